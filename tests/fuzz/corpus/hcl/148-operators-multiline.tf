a = (
  var.a +
  var.b +
  var.c
)
b = (var.x
  && var.y
  || var.z)
