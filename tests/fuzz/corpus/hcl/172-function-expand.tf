a = max(var.nums...)
b = concat(var.lists...)
c = format("%s-%s", var.parts...)
d = min([1, 2]...)
