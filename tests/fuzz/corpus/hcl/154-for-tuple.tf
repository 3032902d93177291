names = [for u in var.users : u.name]
upper = [for s in var.list : upper(s)]
