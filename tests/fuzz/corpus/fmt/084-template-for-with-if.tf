a = "%{for i, x in var.items}%{if i > 0}, %{endif}${x}%{endfor}"
