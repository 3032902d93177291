/*
 * Serverless API: Lambda functions behind an HTTP API, DynamoDB table,
 * SQS queue with DLQ, alarms.
 */

variable "service" {
  type    = string
  default = "orders"
}

variable "stage" {
  type = string
}

variable "functions" {
  description = "Function name => settings."
  type = map(object({
    handler     = string
    memory      = optional(number, 256)
    timeout     = optional(number, 10)
    route       = string
    environment = optional(map(string), {})
  }))
  default = {
    create = { handler = "create.handler", route = "POST /orders" }
    get    = { handler = "get.handler", route = "GET /orders/{id}", memory = 128 }
    list   = { handler = "list.handler", route = "GET /orders" }
    delete = { handler = "delete.handler", route = "DELETE /orders/{id}", timeout = 5 }
  }
}

variable "log_retention_days" {
  type    = number
  default = 14
}

locals {
  prefix = "${var.service}-${var.stage}"

  lambda_env = {
    TABLE_NAME = aws_dynamodb_table.orders.name
    QUEUE_URL  = aws_sqs_queue.events.url
    STAGE      = var.stage
    LOG_LEVEL  = var.stage == "prod" ? "warn" : "debug"
  }

  alarm_thresholds = {
    Errors   = { threshold = 1, statistic = "Sum" }
    Throttles = { threshold = 5, statistic = "Sum" }
    Duration = { threshold = 5000, statistic = "p99" }
  }

  function_alarms = merge([
    for fn in keys(var.functions) : {
      for metric, cfg in local.alarm_thresholds :
      "${fn}-${lower(metric)}" => merge(cfg, { function = fn, metric = metric })
    }
  ]...)
}

data "archive_file" "bundle" {
  type        = "zip"
  source_dir  = "${path.module}/dist"
  output_path = "${path.module}/build/${local.prefix}.zip"
}

resource "aws_dynamodb_table" "orders" {
  name         = "${local.prefix}-orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "sk"

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "sk"
    type = "S"
  }

  attribute {
    name = "gsi1pk"
    type = "S"
  }

  global_secondary_index {
    name            = "gsi1"
    hash_key        = "gsi1pk"
    range_key       = "sk"
    projection_type = "ALL"
  }

  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = var.stage == "prod"
  }

  server_side_encryption {
    enabled = true
  }
}

resource "aws_sqs_queue" "dlq" {
  name                      = "${local.prefix}-events-dlq"
  message_retention_seconds = 1209600
}

resource "aws_sqs_queue" "events" {
  name                       = "${local.prefix}-events"
  visibility_timeout_seconds = 60

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = 5
  })
}

resource "aws_iam_role" "lambda" {
  name = "${local.prefix}-lambda"

  assume_role_policy = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Principal": {"Service": "lambda.amazonaws.com"},
          "Action": "sts:AssumeRole"
        }
      ]
    }
  POLICY
}

resource "aws_iam_role_policy" "lambda" {
  role = aws_iam_role.lambda.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Action = [
          "dynamodb:GetItem",
          "dynamodb:PutItem",
          "dynamodb:DeleteItem",
          "dynamodb:Query",
        ]
        Resource = [
          aws_dynamodb_table.orders.arn,
          "${aws_dynamodb_table.orders.arn}/index/*",
        ]
      },
      {
        Effect   = "Allow"
        Action   = ["sqs:SendMessage"]
        Resource = aws_sqs_queue.events.arn
      },
      {
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "${aws_cloudwatch_log_group.fn["create"].arn}:*"
      },
    ]
  })
}

resource "aws_cloudwatch_log_group" "fn" {
  for_each          = var.functions
  name              = "/aws/lambda/${local.prefix}-${each.key}"
  retention_in_days = var.log_retention_days
}

resource "aws_lambda_function" "fn" {
  for_each = var.functions

  function_name    = "${local.prefix}-${each.key}"
  role             = aws_iam_role.lambda.arn
  handler          = each.value.handler
  runtime          = "nodejs20.x"
  architectures    = ["arm64"]
  memory_size      = each.value.memory
  timeout          = each.value.timeout
  filename         = data.archive_file.bundle.output_path
  source_code_hash = data.archive_file.bundle.output_base64sha256

  environment {
    variables = merge(local.lambda_env, each.value.environment)
  }

  tracing_config {
    mode = "Active"
  }

  depends_on = [aws_cloudwatch_log_group.fn]
}

resource "aws_apigatewayv2_api" "http" {
  name          = local.prefix
  protocol_type = "HTTP"

  cors_configuration {
    allow_origins = var.stage == "prod" ? ["https://shop.example.com"] : ["*"]
    allow_methods = distinct([for f in values(var.functions) : split(" ", f.route)[0]])
    allow_headers = ["content-type", "authorization"]
    max_age       = 300
  }
}

resource "aws_apigatewayv2_integration" "fn" {
  for_each = var.functions

  api_id                 = aws_apigatewayv2_api.http.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.fn[each.key].invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "fn" {
  for_each = var.functions

  api_id    = aws_apigatewayv2_api.http.id
  route_key = each.value.route
  target    = "integrations/${aws_apigatewayv2_integration.fn[each.key].id}"
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_burst_limit = 100
    throttling_rate_limit  = 50
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.fn["list"].arn
    format = jsonencode({
      requestId = "$context.requestId"
      ip        = "$context.identity.sourceIp"
      status    = "$context.status"
      latency   = "$context.integrationLatency"
    })
  }
}

resource "aws_lambda_permission" "api" {
  for_each = var.functions

  statement_id  = "AllowApiGateway"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.fn[each.key].function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.http.execution_arn}/*/*"
}

resource "aws_cloudwatch_metric_alarm" "fn" {
  for_each = local.function_alarms

  alarm_name          = "${local.prefix}-${each.key}"
  namespace           = "AWS/Lambda"
  metric_name         = each.value.metric
  dimensions          = { FunctionName = aws_lambda_function.fn[each.value.function].function_name }
  statistic           = each.value.statistic == "p99" ? null : each.value.statistic
  extended_statistic  = each.value.statistic == "p99" ? "p99" : null
  period              = 60
  evaluation_periods  = 3
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_description   = <<EOT
${each.value.metric} for ${each.value.function} reached ${each.value.threshold}.
Runbook: https://wiki.example.com/runbooks/${var.service}#${lower(each.value.metric)}
EOT
}

output "api_url" {
  value = aws_apigatewayv2_stage.default.invoke_url
}

output "function_arns" {
  value = { for k, f in aws_lambda_function.fn : k => f.arn }
}

output "routes" {
  value = sort([for r in aws_apigatewayv2_route.fn : r.route_key])
}
