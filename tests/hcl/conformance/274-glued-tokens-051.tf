x = "${a.b.c}"
