a = var.x || var.y ? 1 : 2
b = var.x ? var.y || var.z : var.w && var.v
c = 1 + 2 > 3 ? "big" : "small"
d = var.a ? -1 : !var.b
e = var.a ? [1] : [for x in var.l : x]
f = var.a == null ? {} : { v = var.a }
g = var.a ? var.b ? var.c ? 1 : 2 : 3 : 4
