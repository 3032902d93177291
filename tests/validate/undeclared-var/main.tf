variable "environment" {
  type = string
}

resource "aws_sns_topic" "t" {
  name = "${var.enviroment}-alerts"
}
