url = "${var.scheme}://${var.user}:${var.pass}@${var.host}:${var.port}/${var.path}?q=${var.q}#${var.frag}"
