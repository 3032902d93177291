a = var.a+var.b*2
b = var.x==var.y&&var.z!=1
c = 1+2
d = var.a>=0?var.a:-var.a
