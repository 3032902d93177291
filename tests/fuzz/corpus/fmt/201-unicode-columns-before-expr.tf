é = "x${var.ü}"
ü = [for ö in var.ä : ö]
