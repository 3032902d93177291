#!/usr/bin/env python3
"""Generates a root module calling M local modules with R resources each.

Usage: gen_modules.py DIR M R — writes DIR/main.tf and DIR/modules/mNNN/main.tf.
Each module has SNS topics, IAM roles with JSON policies and alarms that refer
to each other, so validate has references, functions and schemas to check."""
import os, sys

out, nmod, nres = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "main.tf"), "w") as f:
    f.write('variable "environment" {\n  type    = string\n  default = "bench"\n}\n\n')
    for m in range(nmod):
        f.write(f'module "m{m:03d}" {{\n  source      = "./modules/m{m:03d}"\n  environment = var.environment\n}}\n\n')
for m in range(nmod):
    d = os.path.join(out, "modules", f"m{m:03d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "main.tf"), "w") as f:
        f.write('variable "environment" {\n  type = string\n}\n\n')
        f.write('locals {\n  prefix = "${var.environment}-m%03d"\n}\n\n' % m)
        for r in range(nres):
            k = r % 3
            if k == 0:
                f.write(f'''resource "aws_sns_topic" "t{r}" {{
  name = "${{local.prefix}}-topic-{r}"
  tags = {{ Index = "{r}" }}
}}

''')
            elif k == 1:
                f.write(f'''resource "aws_iam_role" "r{r}" {{
  name = "${{local.prefix}}-role-{r}"
  assume_role_policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Action = "sts:AssumeRole", Effect = "Allow", Principal = {{ Service = "sagemaker.amazonaws.com" }} }}]
  }})
}}

''')
            else:
                f.write(f'''resource "aws_cloudwatch_metric_alarm" "a{r}" {{
  alarm_name          = "${{local.prefix}}-alarm-{r}"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 2
  metric_name         = "Invocation5XXErrors"
  namespace           = "AWS/SageMaker"
  period              = 60
  statistic           = "Sum"
  threshold           = 5
  alarm_actions       = [aws_sns_topic.t{r - 2}.arn]
}}

''')
