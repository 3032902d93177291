resource "aws_cloudwatch_metric_alarm" "a" {
  alarm_name          = "a"
  evaluation_periods  = 2
  comparison_operator = "MoreThan"
}
