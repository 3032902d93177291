output "endpoint_name" {
  value = aws_sagemaker_endpoint.this.name
}

output "endpoint_arn" {
  value = aws_sagemaker_endpoint.this.arn
}

output "execution_role_arn" {
  value = aws_iam_role.sagemaker_execution.arn
}
