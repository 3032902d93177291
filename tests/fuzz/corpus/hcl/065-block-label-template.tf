resource "${var.x}" {}
