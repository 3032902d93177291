a = var.list[0]
b = var.map["key"]
c = var.nested[0]["k"][1]
d = var.map[var.key]
e = var.list[length(var.list) - 1]
f = aws_instance.web[count.index].id
g = var.m["a.b"].c
