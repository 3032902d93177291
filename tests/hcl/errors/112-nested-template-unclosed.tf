a = "${"${var.x}"
