pairs = [for k, v in var.map : "${k}=${v}"]
indexed = [for i, v in var.list : { index = i, value = v }]
