a = "${merge(
  var.a,
  var.b,
)}"
b = "x${
  var.y
}z"
