a = "%{if var.a}A%{if var.b}B%{else}b%{endif}%{else}a%{endif}"
