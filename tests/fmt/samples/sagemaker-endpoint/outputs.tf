output "endpoint_name" {
  description = "Name of the SageMaker endpoint (use it with invoke.py)."
  value       = module.inference.endpoint_name
}

output "endpoint_arn" {
  value = module.inference.endpoint_arn
}

output "execution_role_arn" {
  value = module.inference.execution_role_arn
}

output "alert_topic_arn" {
  value = aws_sns_topic.alerts.arn
}
