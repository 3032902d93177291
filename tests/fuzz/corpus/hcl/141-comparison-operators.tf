eq = var.a == var.b
ne = var.a != var.b
lt = var.a < var.b
le = var.a <= var.b
gt = var.a > var.b
ge = var.a >= var.b
