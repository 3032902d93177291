variable "v" {
  type = list # legacy
  validation {
    type          = list
    condition     = "${length(var.v) > 0}"
    error_message = "empty"
  }
}
resource "aws_x" "y" {
  type = "string"
  tags = {
    Name = "${var.name}"
  }
  name = "${var.prefix}"   # kept as one value
  list = ["${var.a}"]
  spaced = "${ var.a }"
}
module "m" {
  variable "inner" {
    type = map
  }
}
