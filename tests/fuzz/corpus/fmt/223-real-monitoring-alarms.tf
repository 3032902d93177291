# Monitoring: dashboards and alarms for a set of services.

variable "services" {
  type    = list(string)
  default = ["api", "worker", "scheduler", "gateway"]
}

variable "sns_topic_arn" {
  type = string
}

locals {
  dashboard_widgets = [
    for i, svc in var.services : {
      type   = "metric"
      x      = (i % 2) * 12
      y      = floor(i / 2) * 6
      width  = 12
      height = 6
      properties = {
        title   = "${title(svc)} CPU / memory"
        region  = var.region
        stat    = "Average"
        period  = 300
        metrics = [
          ["AWS/ECS", "CPUUtilization", "ServiceName", svc, "ClusterName", var.cluster],
          [".", "MemoryUtilization", ".", ".", ".", "."],
        ]
      }
    }
  ]
}

resource "aws_cloudwatch_dashboard" "main" {
  dashboard_name = "${var.name}-overview"
  dashboard_body = jsonencode({ widgets = local.dashboard_widgets })
}

resource "aws_cloudwatch_metric_alarm" "cpu_high" {
  for_each = toset(var.services)

  alarm_name          = "${var.name}-${each.key}-cpu-high"
  alarm_description   = "CPUUtilization for ${each.key} breached 85"
  namespace           = "AWS/ECS"
  metric_name         = "CPUUtilization"
  statistic           = "Average"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 85
  period              = 300
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  treat_missing_data  = "missing"

  dimensions = {
    ServiceName = each.key
    ClusterName = var.cluster
  }

  alarm_actions = [var.sns_topic_arn]
  ok_actions    = [var.sns_topic_arn]

  tags = {
    Service  = each.key
    Severity = "warning"
  }
}

resource "aws_cloudwatch_metric_alarm" "memory_high" {
  for_each = toset(var.services)

  alarm_name          = "${var.name}-${each.key}-memory-high"
  alarm_description   = "MemoryUtilization for ${each.key} breached 90"
  namespace           = "AWS/ECS"
  metric_name         = "MemoryUtilization"
  statistic           = "Average"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 90
  period              = 300
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  treat_missing_data  = "missing"

  dimensions = {
    ServiceName = each.key
    ClusterName = var.cluster
  }

  alarm_actions = [var.sns_topic_arn]
  ok_actions    = [var.sns_topic_arn]

  tags = {
    Service  = each.key
    Severity = "warning"
  }
}

resource "aws_cloudwatch_metric_alarm" "5xx" {
  for_each = toset(var.services)

  alarm_name          = "${var.name}-${each.key}-5xx"
  alarm_description   = "HTTPCode_Target_5XX_Count for ${each.key} breached 10"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_Target_5XX_Count"
  statistic           = "Sum"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = 10
  period              = 300
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  treat_missing_data  = "missing"

  dimensions = {
    ServiceName = each.key
    ClusterName = var.cluster
  }

  alarm_actions = [var.sns_topic_arn]
  ok_actions    = [var.sns_topic_arn]

  tags = {
    Service  = each.key
    Severity = "critical"
  }
}

resource "aws_cloudwatch_metric_alarm" "latency" {
  for_each = toset(var.services)

  alarm_name          = "${var.name}-${each.key}-latency"
  alarm_description   = "TargetResponseTime for ${each.key} breached 1.5"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "TargetResponseTime"
  statistic           = "Average"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 1.5
  period              = 300
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  treat_missing_data  = "missing"

  dimensions = {
    ServiceName = each.key
    ClusterName = var.cluster
  }

  alarm_actions = [var.sns_topic_arn]
  ok_actions    = [var.sns_topic_arn]

  tags = {
    Service  = each.key
    Severity = "warning"
  }
}

resource "aws_cloudwatch_metric_alarm" "unhealthy" {
  for_each = toset(var.services)

  alarm_name          = "${var.name}-${each.key}-unhealthy"
  alarm_description   = "UnHealthyHostCount for ${each.key} breached 0"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "UnHealthyHostCount"
  statistic           = "Maximum"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  period              = 300
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  treat_missing_data  = "missing"

  dimensions = {
    ServiceName = each.key
    ClusterName = var.cluster
  }

  alarm_actions = [var.sns_topic_arn]
  ok_actions    = [var.sns_topic_arn]

  tags = {
    Service  = each.key
    Severity = "critical"
  }
}

resource "aws_cloudwatch_metric_alarm" "queue_depth" {
  for_each = toset(var.services)

  alarm_name          = "${var.name}-${each.key}-queue-depth"
  alarm_description   = "ApproximateNumberOfMessagesVisible for ${each.key} breached 1000"
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  statistic           = "Maximum"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 1000
  period              = 300
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  treat_missing_data  = "missing"

  dimensions = {
    ServiceName = each.key
    ClusterName = var.cluster
  }

  alarm_actions = [var.sns_topic_arn]
  ok_actions    = [var.sns_topic_arn]

  tags = {
    Service  = each.key
    Severity = "warning"
  }
}

resource "aws_cloudwatch_metric_alarm" "queue_age" {
  for_each = toset(var.services)

  alarm_name          = "${var.name}-${each.key}-queue-age"
  alarm_description   = "ApproximateAgeOfOldestMessage for ${each.key} breached 600"
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateAgeOfOldestMessage"
  statistic           = "Maximum"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 600
  period              = 300
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  treat_missing_data  = "missing"

  dimensions = {
    ServiceName = each.key
    ClusterName = var.cluster
  }

  alarm_actions = [var.sns_topic_arn]
  ok_actions    = [var.sns_topic_arn]

  tags = {
    Service  = each.key
    Severity = "warning"
  }
}

resource "aws_cloudwatch_metric_alarm" "db_cpu" {
  for_each = toset(var.services)

  alarm_name          = "${var.name}-${each.key}-db-cpu"
  alarm_description   = "CPUUtilization for ${each.key} breached 80"
  namespace           = "AWS/RDS"
  metric_name         = "CPUUtilization"
  statistic           = "Average"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 80
  period              = 300
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  treat_missing_data  = "missing"

  dimensions = {
    ServiceName = each.key
    ClusterName = var.cluster
  }

  alarm_actions = [var.sns_topic_arn]
  ok_actions    = [var.sns_topic_arn]

  tags = {
    Service  = each.key
    Severity = "warning"
  }
}

resource "aws_cloudwatch_metric_alarm" "db_storage" {
  for_each = toset(var.services)

  alarm_name          = "${var.name}-${each.key}-db-storage"
  alarm_description   = "FreeStorageSpace for ${each.key} breached 10000000000.0"
  namespace           = "AWS/RDS"
  metric_name         = "FreeStorageSpace"
  statistic           = "Minimum"
  comparison_operator = "LessThanThreshold"
  threshold           = 10000000000.0
  period              = 300
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  treat_missing_data  = "missing"

  dimensions = {
    ServiceName = each.key
    ClusterName = var.cluster
  }

  alarm_actions = [var.sns_topic_arn]
  ok_actions    = [var.sns_topic_arn]

  tags = {
    Service  = each.key
    Severity = "warning"
  }
}

resource "aws_cloudwatch_metric_alarm" "db_connections" {
  for_each = toset(var.services)

  alarm_name          = "${var.name}-${each.key}-db-connections"
  alarm_description   = "DatabaseConnections for ${each.key} breached 400"
  namespace           = "AWS/RDS"
  metric_name         = "DatabaseConnections"
  statistic           = "Maximum"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 400
  period              = 300
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  treat_missing_data  = "missing"

  dimensions = {
    ServiceName = each.key
    ClusterName = var.cluster
  }

  alarm_actions = [var.sns_topic_arn]
  ok_actions    = [var.sns_topic_arn]

  tags = {
    Service  = each.key
    Severity = "warning"
  }
}

resource "aws_cloudwatch_composite_alarm" "service_down" {
  for_each   = toset(var.services)
  alarm_name = "${var.name}-${each.key}-down"

  alarm_rule = join(" OR ", [
    "ALARM(${aws_cloudwatch_metric_alarm.unhealthy[each.key].alarm_name})",
    "ALARM(${aws_cloudwatch_metric_alarm["5xx"][each.key].alarm_name})",
  ])

  actions_enabled = true
  alarm_actions   = [var.sns_topic_arn]
}
