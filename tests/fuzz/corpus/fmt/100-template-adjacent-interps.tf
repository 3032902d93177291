a = "${var.a}${var.b}${var.c}"
b = "${var.a}${"-"}${var.c}"
