variable "topic_arn" {
  type = string
}

resource "aws_sns_topic" "this" {
  name = "alarms"
}

output "topic_name" {
  value = aws_sns_topic.this.name
}
