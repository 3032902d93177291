#!/usr/bin/env python3
"""Generates a tree of Terraform modules for the fmt benchmark.

Usage: gen_fmt_tree.py DIR [FILES] [SEED]
Writes FILES (default 2000) .tf/.tfvars files of 2-4 KB in DIR/moduleNN/,
20 per module, in the shapes real modules have: variables with types and
validation, locals, resources with nested blocks, jsonencode policies,
heredocs, for expressions, outputs, and comments. About one file in ten
is written unformatted (flush-left bodies, unaligned "="), as a pre-commit
hook would find them."""
import os, random, sys

root = sys.argv[1]
nfiles = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
rnd = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)

def variable(i):
    return f'''variable "instance_count_{i}" {{
  description = "How many instances of component {i} to run"
  type        = number
  default     = {rnd.randint(1, 9)}

  validation {{
    condition     = var.instance_count_{i} > 0 && var.instance_count_{i} <= 20
    error_message = "instance_count_{i} must be between 1 and 20."
  }}
}}

variable "tags_{i}" {{
  type    = map(string)
  default = {{}}
}}

'''

def role(i):
    return f'''resource "aws_iam_role" "role_{i}" {{
  name = "${{var.environment}}-role-{i}"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Action    = "sts:AssumeRole"
      Effect    = "Allow"
      Principal = {{ Service = "sagemaker.amazonaws.com" }}
    }}]
  }})
  tags = merge(local.common_tags, {{ Name = "role-{i}" }}) # merged
}}

'''

def endpoint(i):
    return f'''resource "aws_sagemaker_endpoint_configuration" "cfg_{i}" {{
  name = "cfg-{i}-${{random_id.suffix.hex}}"

  production_variants {{
    variant_name           = "AllTraffic"
    model_name             = aws_sagemaker_model.model_{i}.name
    initial_instance_count = var.instance_count_{i}
    instance_type          = var.instance_type
  }}

  lifecycle {{
    create_before_destroy = true
    ignore_changes        = [tags]
  }}
}}

resource "aws_sagemaker_endpoint" "ep_{i}" {{
  name                 = "ep-{i}"
  endpoint_config_name = aws_sagemaker_endpoint_configuration.cfg_{i}.name

  deployment_config {{
    blue_green_update_policy {{
      traffic_routing_configuration {{
        type                     = "CANARY"
        wait_interval_in_seconds = 300
        canary_size {{
          type  = "CAPACITY_PERCENT"
          value = 10
        }}
      }}
    }}
    auto_rollback_configuration {{
      alarms {{
        alarm_name = aws_cloudwatch_metric_alarm.errors_{i}.alarm_name
      }}
    }}
  }}
}}

'''

def alarm(i):
    return f'''resource "aws_cloudwatch_metric_alarm" "errors_{i}" {{
  alarm_name          = "ep-{i}-5xx"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 2
  metric_name         = "Invocation5XXErrors"
  namespace           = "AWS/SageMaker"
  period              = 60
  statistic           = "Sum"
  threshold           = {rnd.randint(1, 50)}
  alarm_description   = <<-EOT
    Endpoint ep-{i} returns server errors.
    Runbook: https://wiki.example.com/runbooks/ep-{i}
  EOT
  dimensions = {{
    EndpointName = "ep-{i}"
    VariantName  = "AllTraffic"
  }}
}}

'''

def locals_(i):
    return f'''locals {{
  # names derived once, used everywhere
  prefix_{i}  = "${{var.environment}}-{i}"
  subnets_{i} = [for s in var.subnets : s.id if s.public == false]
  by_az_{i}   = {{ for s in var.subnets : s.az => s.id... }}
  enabled_{i} = var.environment == "prod" ? true : false
}}

output "endpoint_{i}" {{
  value       = aws_sagemaker_endpoint.ep_{i}.name
  description = "Endpoint name for component {i}"
}}

'''

def tfvars(i):
    return ''.join(f'''instance_count_{k} = {rnd.randint(1, 9)}
instance_type_{k}  = "ml.c5.xlarge"
tags_{k} = {{
  Team    = "ml-platform"
  Service = "svc-{i}-{k}"
}}

''' for k in range(12))

def unformat(text):
    # flush-left bodies and "=" without alignment: what fmt must fix
    out = []
    for line in text.split("\n"):
        s = line.strip()
        if " = " in s and "{" not in s:
            a, b = s.split(" = ", 1)
            s = a.strip() + "=" + b
        out.append(s)
    return "\n".join(out)

parts = [variable, role, endpoint, alarm, locals_]
for n in range(nfiles):
    d = os.path.join(root, f"module{n // 20:03d}")
    os.makedirs(d, exist_ok=True)
    if n % 20 == 19:
        name, text = "terraform.tfvars", tfvars(n)
    else:
        text, k = "", 0
        target = rnd.randint(2048, 4096)
        while len(text) < target:
            text += parts[(n + k) % len(parts)](f"{n}_{k}")
            k += 1
        name = f"file{n % 20:02d}.tf"
    if n % 10 == 3:
        text = unformat(text)
    with open(os.path.join(d, name), "w") as f:
        f.write(text)
