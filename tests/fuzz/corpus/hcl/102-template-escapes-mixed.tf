a = "\"${var.q}\""
b = "tab\t${var.x}\tnewline\n"
c = "$${literal} ${real} %%{literal} %{if c}d%{endif}"
d = "\u00e9${var.x}\U0001F600"
