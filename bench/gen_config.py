#!/usr/bin/env python3
"""Generates a large, realistic Terraform configuration on stdout.

Usage: gen_config.py N_RESOURCES [SEED]
Resource blocks mix the shapes real modules have: string and number
arguments, references, maps, lists, nested blocks, heredoc policies,
templates, conditionals, for expressions and function calls."""
import random, sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
rnd = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
out = sys.stdout.write
out('variable "environment" {\n  type    = string\n  default = "prod"\n}\n\n')
out('locals {\n  common_tags = {\n    Environment = var.environment\n    ManagedBy   = "terraform"\n  }\n}\n\n')
for i in range(n):
    kind = i % 4
    if kind == 0:
        out(f'''resource "aws_iam_role" "role_{i}" {{
  name = "${{var.environment}}-role-{i}"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Action    = "sts:AssumeRole"
      Effect    = "Allow"
      Principal = {{ Service = "sagemaker.amazonaws.com" }}
    }}]
  }})
  tags = merge(local.common_tags, {{ Name = "role-{i}" }})
}}

''')
    elif kind == 1:
        out(f'''resource "aws_sagemaker_model" "model_{i}" {{
  name               = "model-{i}-${{var.environment}}"
  execution_role_arn = aws_iam_role.role_{i-1}.arn

  primary_container {{
    image          = "123456789012.dkr.ecr.us-east-1.amazonaws.com/serve:v{rnd.randint(1,9)}.{rnd.randint(0,20)}"
    model_data_url = "s3://models-{i}/model.tar.gz"
    environment = {{
      SAGEMAKER_PROGRAM = "inference.py"
      WORKERS           = {rnd.randint(1, 16)}
    }}
  }}

  tags = local.common_tags
}}

''')
    elif kind == 2:
        out(f'''resource "aws_cloudwatch_metric_alarm" "alarm_{i}" {{
  alarm_name          = "alarm-{i}"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = {rnd.randint(1, 5)}
  metric_name         = "Invocation5XXErrors"
  namespace           = "AWS/SageMaker"
  period              = 60
  statistic           = "Sum"
  threshold           = var.environment == "prod" ? 5 : 50
  alarm_actions       = [for t in ["a", "b"] : "arn:aws:sns:us-east-1:123456789012:${{t}}-{i}"]
  dimensions = {{
    EndpointName = "endpoint-{i}"
    VariantName  = "primary"
  }}
}}

''')
    else:
        out(f'''resource "aws_iam_role_policy" "policy_{i}" {{
  name   = "policy-{i}"
  role   = aws_iam_role.role_{i-3}.id
  policy = <<-EOT
    {{
      "Version": "2012-10-17",
      "Statement": [
        {{ "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::bucket-{i}/*" }}
      ]
    }}
  EOT
}}

''')
