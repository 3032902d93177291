a = f(var.x..., 1)
