a = "%{for x in var.xs}${x}%{endfor}"
b = "%{if true}x%{endif}"
c = "%{if false}x%{else}y%{endif}"
