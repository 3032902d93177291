# Configuration behind tests/render/plan.json (see tests/unit/test_render.c).
provider "aws" {
  region = "us-east-1"
}

variable "instance_count" {
  type        = number
  default     = 2
  description = "Instances behind the endpoint"
}

variable "api_token" {
  type      = string
  sensitive = true
}

resource "aws_iam_role" "inference" {
  name = "inference"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
  })
  tags = { Team = "ml" }
}

resource "aws_sagemaker_endpoint_configuration" "demo" {
  name = "demo"

  production_variants {
    variant_name           = "primary"
    model_name             = "demo-model"
    initial_instance_count = var.instance_count
    instance_type          = "ml.m5.large"
  }

  depends_on = [aws_iam_role.inference]
}

resource "aws_sns_topic" "alerts" {
  count = 2
  name  = "alerts-${count.index}"
}

data "aws_caller_identity" "current" {}

module "alarms" {
  source    = "./modules/alarms"
  topic_arn = aws_sns_topic.alerts[0].arn
}

output "role_arn" {
  value       = aws_iam_role.inference.arn
  description = "The role"
}

output "topic" {
  value = module.alarms.topic_name
}
