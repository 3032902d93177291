a = upper(lower(trimspace(var.x)))
b = join(",", concat(var.a, [for x in var.b : tostring(x)]))
c = merge(var.tags, { Name = format("%s-%s", var.a, var.b) })
