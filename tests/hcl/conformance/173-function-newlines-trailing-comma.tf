a = merge(
  var.a,
  var.b,
)
b = coalesce(
  var.x,
  var.y
)
c = f(
)
d = g(1,
  2,
  3,)
