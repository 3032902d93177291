list = "%{for s in var.subnets}${s},%{endfor}"
