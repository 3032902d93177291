a = join(",", [for s in var.list : lower(s)])
b = "${length([for x in var.xs : x if x > 0])} positive"
