provider "aws" {
  region = "us-east-1"
}
variable "name" {
  type    = string
  default = "base"
}
locals {
  suffix = "one"
  other  = "keep"
}
resource "aws_sns_topic" "t" {
  name = "${var.name}-${local.suffix}"
  tags = { a = "1" }
  lifecycle {
    prevent_destroy = false
    ignore_changes  = [tags]
  }
}
resource "aws_sagemaker_endpoint_configuration" "c" {
  name = "cfg"
  production_variants {
    variant_name           = "a"
    model_name             = "m"
    initial_instance_count = 1
    instance_type          = "ml.m5.large"
  }
  production_variants {
    variant_name           = "b"
    model_name             = "m"
    initial_instance_count = 1
    instance_type          = "ml.m5.large"
  }
}
output "o" { value = aws_sns_topic.t.name }
