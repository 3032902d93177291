variable "environment" {
  type        = string
  description = "Deployment environment (dev, staging or prod)."
  default     = "dev"

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "The environment must be one of: dev, staging, prod."
  }
}

variable "instance_count" {
  type    = number
  default = 1

  validation {
    condition     = var.instance_count >= 1 && var.instance_count <= 10
    error_message = "instance_count must be between 1 and 10."
  }

  validation {
    condition     = floor(var.instance_count) == var.instance_count
    error_message = "instance_count must be a whole number."
  }
}

variable "cidr_block" {
  type = string

  validation {
    condition     = can(cidrhost(var.cidr_block, 0))
    error_message = "Must be a valid IPv4 CIDR block, got \"${var.cidr_block}\"."
  }
}

variable "db_password" {
  type      = string
  sensitive = true
  nullable  = false
}

variable "subnets" {
  type = list(object({
    name       = string
    cidr       = string
    public     = optional(bool, false)
    zone_index = optional(number)
  }))
  default = []
}

variable "tags" {
  type    = map(string)
  default = {}
}

variable "settings" {
  type = object({
    retention_days = number
    alarms         = set(string)
    thresholds     = tuple([number, number])
  })
  default = {
    retention_days = 30
    alarms         = ["cpu", "memory"]
    thresholds     = [80, 95]
  }
}

variable "ephemeral_token" {
  type      = string
  ephemeral = true
}
