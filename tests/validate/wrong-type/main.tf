resource "aws_cloudwatch_metric_alarm" "a" {
  alarm_name          = "a"
  evaluation_periods  = "two"
  comparison_operator = "GreaterThanThreshold"
}
