variable "a" {
  type = list
}
variable "b" {
  type = "string"
}
variable "c" {
  type = "list"
}
variable "d" {
  type = "map"
}
variable "e" {
  type = map
  default = "${var.x}"
}
variable f {
  type = set
}
output "o" {
  value = "${aws_instance.x.id}"
}
output "p" {
  value = "${var.a}-${var.b}"
}
locals {
  q = "${
    var.a
  }"
  r = "${var.c ?
    1 : 2}"
  s = "${(var.c ?
    1 : 2)}"
  t = "${f("${x}")}"
}
