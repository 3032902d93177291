a = var.x + 1 > var.y * 2 && var.z == "a" || !var.w
b = var.a < var.b == var.c > var.d
c = var.a || var.b && var.c
d = (var.a || var.b) && var.c
