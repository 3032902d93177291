name = "${var.project}-${var.env}"
