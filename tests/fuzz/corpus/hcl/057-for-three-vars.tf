a = [for a, b, c in var.l : a]
