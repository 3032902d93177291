# inputs.tf — root variables the article's tfvars set but never declares
# (model_config itself is declared in the article's variables.tf).

variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "us-east-1"
}

variable "service_name" {
  # The endpoint keeps the name its clients already use (invoke.py calls
  # prod-fraud-detector-v2), whatever model version it serves.
  description = "Stable name of the service; the endpoint is named ENVIRONMENT-SERVICE_NAME."
  type        = string
  default     = "fraud-detector-v2"
}

variable "autoscaling_max" {
  description = "Upper bound of the endpoint variant's instance count."
  type        = number
}

variable "target_invocations_per_instance" {
  description = "Target tracking value for SageMakerVariantInvocationsPerInstance (per minute)."
  type        = number
}

variable "latency_threshold_ms" {
  description = "Average model latency, in milliseconds, above which the latency alarm fires."
  type        = number
  default     = 500
}
