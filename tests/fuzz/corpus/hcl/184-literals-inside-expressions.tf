a = [1, var.x, 3]
b = { a = 1, b = var.y }
c = [[var.x], [1]]
d = { n = { m = var.z } }
