a = var.a   +   var.b
b = [for   x   in   var.xs   :   x]
c = func(  var.a  ,  var.b  )
d = var.a  ?  var.b  :  var.c
