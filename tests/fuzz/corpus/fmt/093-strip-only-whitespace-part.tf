a = "${var.a}   ${~ var.b}"
b = "${var.a ~}   ${var.b}"
c = "   ${~ var.a ~}   "
