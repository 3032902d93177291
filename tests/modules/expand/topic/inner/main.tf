variable "topic" {
  type = string
}

resource "aws_cloudwatch_metric_alarm" "this" {
  alarm_name          = "${var.topic}-alarm"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 1
  metric_name         = "NumberOfMessagesPublished"
  namespace           = "AWS/SNS"
  period              = 60
  statistic           = "Sum"
  threshold           = 100
  dimensions = {
    TopicName = var.topic
  }
}

output "alarm" {
  value = aws_cloudwatch_metric_alarm.this.alarm_name
}
