# inference/endpoint.tf
resource "aws_sagemaker_endpoint" "this" {
name = local.endpoint_name
endpoint_config_name = aws_sagemaker_endpoint_configuration.this.name
deployment_config {
blue_green_update_policy {
traffic_routing_configuration {
type = "CANARY"
canary_size {
type = "INSTANCE_COUNT"
value = 1
}
wait_interval_in_seconds = 300
}
maximum_execution_timeout_in_seconds = 1800
termination_wait_in_seconds = 120
}
auto_rollback_configuration {
alarms {
alarm_name = aws_cloudwatch_metric_alarm.endpoint_errors.alarm_name
}
}
}
tags = {
Environment = var.environment
Model = var.model_config.name
}
}
