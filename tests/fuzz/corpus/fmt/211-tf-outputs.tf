output "vpc_id" {
  description = "The ID of the VPC."
  value       = module.vpc.vpc_id
}

output "instance_ips" {
  value = aws_instance.web[*].private_ip
}

output "db_password" {
  value     = var.db_password
  sensitive = true
}

output "endpoint" {
  value = "https://${aws_lb.this.dns_name}:${var.port}/"

  precondition {
    condition     = var.port > 0
    error_message = "Port must be positive."
  }
}

output "user_arns" {
  value = { for name, user in aws_iam_user.this : name => user.arn }
}

output "depends" {
  value      = "done"
  depends_on = [aws_instance.web]
}
