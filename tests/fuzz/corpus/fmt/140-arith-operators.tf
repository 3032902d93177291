add = var.a + var.b
sub = var.a - var.b
mul = var.a * var.b
div = var.a / var.b
mod = var.a % var.b
lit = 1 + 2
