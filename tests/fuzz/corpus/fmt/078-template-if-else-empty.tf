a = "%{if var.x}yes%{else}%{endif}"
b = "%{if var.x}%{else}no%{endif}"
c = "%{if var.x}%{endif}"
