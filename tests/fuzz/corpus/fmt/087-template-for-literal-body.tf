a = "%{for x in var.xs}-%{endfor}"
b = "%{for x in var.xs}${1}%{endfor}"
