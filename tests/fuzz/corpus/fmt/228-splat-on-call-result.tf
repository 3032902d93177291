a = values(var.m)[*].id
b = tolist(var.s)[*]
c = var.list[*].items[*].name
d = var.list.*.items.0
