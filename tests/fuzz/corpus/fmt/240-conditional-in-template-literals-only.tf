a = "<${var.c ? "a" : "b"}>"
b = "<${var.c ? 1 : null}>"
c = "<${var.c ? "x${var.y}" : "z"}>"
