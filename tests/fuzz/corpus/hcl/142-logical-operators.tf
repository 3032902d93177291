and = var.a && var.b
or = var.a || var.b
not = !var.a
mixed = !var.a && var.b || var.c
