a = "${var.a ~}   ${~ var.b}"
b = "${var.a ~}\n\n${var.b}"
