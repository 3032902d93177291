value = (
  var.condition
  ? "yes"
  : "no"
)
other = var.x ? {
  a = 1
} : {
  a = 2
}
