x = a b.c
