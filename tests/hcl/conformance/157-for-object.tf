by_name = { for u in var.users : u.name => u }
upper = {for k, v in var.map : upper(k) => v}
