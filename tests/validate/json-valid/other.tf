output "cfg" {
  value = aws_sagemaker_endpoint_configuration.c.name
}
