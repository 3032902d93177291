x = "${a}${b}"
y = "pre ${a} post"
z = "%{if a}yes%{else}no%{endif}"
w = "${ {a=1} }"
v = "$${literal} %%{x}"
u = "\"quoted\" \\ \n"
t = <<EOT
no ${ interp   } change
EOT
s = <<EOT
EOT
