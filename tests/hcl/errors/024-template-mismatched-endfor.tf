a = "%{if var.x}y%{endfor}"
