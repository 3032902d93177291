by_role = { for u in var.users : u.role => u.name... }
grouped = {for k, v in var.m : v.group => k... if v.active}
