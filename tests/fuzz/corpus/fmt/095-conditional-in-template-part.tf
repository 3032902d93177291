a = "x${var.c ? "yes" : "no"}y"
b = "${var.c ? var.a : var.b}!"
c = "${var.c ? 1 : 2}-"
d = "-${var.c ? "" : "z"}"
