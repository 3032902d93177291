a = "%{for x in var.xs}${x}"
