# inference/variables.tf — the inputs the article's module files use.

variable "environment" {
  description = "Environment name, used in every resource name."
  type        = string
}

variable "model_config" {
  description = "Model deployment configuration. Change to deploy new models."
  type = object({
    name           = string
    image_uri      = string
    model_data_url = string
    instance_type  = string
    instance_count = number
  })
}

variable "model_bucket_arn" {
  description = "ARN of the S3 bucket holding the model artifact."
  type        = string
}

variable "sns_alert_topic_arn" {
  description = "SNS topic notified by the endpoint alarms."
  type        = string
}

variable "latency_threshold_ms" {
  description = "Average model latency, in milliseconds, that raises the latency alarm."
  type        = number
}

variable "autoscaling_max" {
  description = "Maximum instance count of the autoscaled variant."
  type        = number
}

variable "target_invocations_per_instance" {
  description = "Target invocations per instance per minute for target tracking."
  type        = number
}
