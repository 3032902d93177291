resource "aws_sns_topic" "u" {
  name = "u"
}
locals {
  nope = 1
}
provider "aws" {
  alias  = "west"
  region = "us-west-2"
}
moved {
  from = aws_sns_topic.a
  to   = aws_sns_topic.t
}
variable "v" {}
