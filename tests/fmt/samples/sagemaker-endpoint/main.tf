# main.tf — the root module the article leaves out: the provider, the
# alert topic, and the call to ./inference with the values it needs.
# Select the environment with a workspace (dev, prod) and pass its values
# with -var-file=environments/<workspace>.tfvars.

terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project   = "fraud-detection"
      ManagedBy = "terraform"
    }
  }
}

locals {
  # The workspace names the environment: dev, prod.
  environment = terraform.workspace

  # "s3://bucket/key..." -> "arn:aws:s3:::bucket"
  model_bucket     = split("/", trimprefix(var.model_config.model_data_url, "s3://"))[0]
  model_bucket_arn = "arn:aws:s3:::${local.model_bucket}"
}

resource "aws_sns_topic" "alerts" {
  name = "${local.environment}-inference-alerts"
}

module "inference" {
  source = "./inference"

  environment                     = local.environment
  model_config                    = var.model_config
  model_bucket_arn                = local.model_bucket_arn
  sns_alert_topic_arn             = aws_sns_topic.alerts.arn
  latency_threshold_ms            = var.latency_threshold_ms
  autoscaling_max                 = var.autoscaling_max
  target_invocations_per_instance = var.target_invocations_per_instance
}
