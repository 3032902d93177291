nonempty = [for s in var.list : s if s != ""]
evens = [for i, n in var.nums : n if i % 2 == 0]
