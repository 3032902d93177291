a = "%{for x var.xs}${x}%{endfor}"
