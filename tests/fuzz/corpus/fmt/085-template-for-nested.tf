grid = "%{for r in var.rows}[%{for c in r}${c}%{endfor}]%{endfor}"
