a = f(var.x..)
