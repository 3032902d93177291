variable "name" {
  type    = string
  default = "alerts"
}

resource "aws_sns_topic" "t" {
  name = var.name
  tags = { Team = "ml" }
}

output "arn" {
  value = aws_sns_topic.t.arn
}
