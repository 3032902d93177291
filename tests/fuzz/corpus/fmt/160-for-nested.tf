matrix = [for a in var.as : [for b in var.bs : "${a}-${b}"]]
flat = flatten([for k, v in var.m : [for i in v : { key = k, item = i }]])
