sub = 10 - 4 - 3
div = 100 / 10 / 2
mod = 17 % 5 % 2
or3 = var.a || var.b || var.c
and3 = var.a && var.b && var.c
eq3 = var.a == var.b == var.c
