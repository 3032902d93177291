a = "${var.c ? "yes" : "no"}"
b = "${var.c ? var.a : var.b}"
