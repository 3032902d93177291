a = "%{for in var.xs}x%{endfor}"
