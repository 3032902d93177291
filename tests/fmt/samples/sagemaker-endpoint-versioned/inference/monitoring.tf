# inference/monitoring.tf
resource "aws_cloudwatch_metric_alarm" "endpoint_errors" {
alarm_name = "${var.environment}-endpoint-5xx-errors"
comparison_operator = "GreaterThanThreshold"
evaluation_periods = 2
metric_name = "Invocation5XXErrors"
namespace = "AWS/SageMaker"
period = 60
statistic = "Sum"
threshold = 5
alarm_description = "Endpoint returning 5xx errors"
alarm_actions = [var.sns_alert_topic_arn]
dimensions = {
EndpointName = local.endpoint_name
VariantName = "primary"
}
}
resource "aws_cloudwatch_metric_alarm" "endpoint_latency" {
alarm_name = "${var.environment}-endpoint-high-latency"
comparison_operator = "GreaterThanThreshold"
evaluation_periods = 3
metric_name = "ModelLatency"
namespace = "AWS/SageMaker"
period = 60
statistic = "Average"
threshold = var.latency_threshold_ms * 1000 # microseconds
alarm_description = "Model inference latency too high"
alarm_actions = [var.sns_alert_topic_arn]
dimensions = {
EndpointName = aws_sagemaker_endpoint.this.name
VariantName = "primary"
}
}
