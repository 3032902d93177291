a = -var.x * 2
b = !var.a && var.b
c = -var.x.y[0]
d = -(var.x + 1)
e = 2 * -var.y
f = !var.a == var.b
g = 1 - -1
h = var.a - -var.b
