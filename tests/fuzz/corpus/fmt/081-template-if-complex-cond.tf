a = "%{if var.a && (var.b || !var.c)}x%{endif}"
b = "%{if length(var.list) > 0}has items%{endif}"
c = "%{if var.env == "prod"}PROD%{endif}"
