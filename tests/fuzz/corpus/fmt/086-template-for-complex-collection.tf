a = "%{for x in concat(var.a, ["z"])}${x}%{endfor}"
b = "%{for k, v in {a = 1, b = 2}}${k}%{endfor}"
c = "%{ for x in [for y in var.l : y if y != ""] }${x}%{ endfor }"
