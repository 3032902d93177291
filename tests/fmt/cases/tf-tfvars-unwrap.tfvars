name = "${var.x}"
other="${"lit"}"
