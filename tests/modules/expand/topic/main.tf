variable "name" {
  type = string
}

resource "aws_sns_topic" "this" {
  name = var.name
}

module "inner" {
  source = "./inner"
  topic  = aws_sns_topic.this.name
}

output "arn" {
  value = aws_sns_topic.this.arn
}

output "name" {
  value = module.inner.alarm
}
