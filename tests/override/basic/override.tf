variable "name" {
  default = "over"
}
locals {
  suffix = "two"
}
resource "aws_sns_topic" "t" {
  lifecycle {
    create_before_destroy = true
  }
}
