size = var.env == "prod" ? "large" : var.env == "staging" ? "medium" : "small"
a = var.a ? var.b ? 1 : 2 : 3
b = (var.a ? var.b : var.c) ? var.d : var.e
