# Inputs of a database module. Every input is validated.
variable "identifier" {
  type        = string
  description = "The identifier of the database."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,62}$", var.identifier))
    error_message = "The identifier must start with a letter and contain only lowercase letters, digits and hyphens."
  }
}

variable "engine" {
  type        = string
  description = "The engine of the database."
  default     = "postgres"

  validation {
    condition     = contains(["postgres", "mysql", "mariadb"], var.engine)
    error_message = "Supported engines: postgres, mysql, mariadb."
  }
}

variable "engine_version" {
  type        = string
  description = "The engine version of the database."
  default     = "16.2"

  validation {
    condition     = length(split(".", var.engine_version)) >= 1
    error_message = "engine_version must look like a version."
  }
}

variable "instance_class" {
  type        = string
  description = "The instance class of the database."
  default     = "db.t4g.medium"

  validation {
    condition     = startswith(var.instance_class, "db.")
    error_message = "instance_class must start with \"db.\"."
  }
}

variable "allocated_storage" {
  type        = number
  description = "The allocated storage of the database."
  default     = 20

  validation {
    condition     = var.allocated_storage >= 20 && var.allocated_storage <= 65536
    error_message = "allocated_storage must be between 20 and 65536 GiB."
  }
}

variable "max_allocated_storage" {
  type        = number
  description = "The max allocated storage of the database."
  default     = 0

  validation {
    condition     = var.max_allocated_storage == 0 || var.max_allocated_storage >= var.allocated_storage
    error_message = "max_allocated_storage must be 0 (disabled) or at least allocated_storage."
  }
}

variable "backup_retention_period" {
  type        = number
  description = "The backup retention period of the database."
  default     = 7

  validation {
    condition     = var.backup_retention_period >= 0 && var.backup_retention_period <= 35
    error_message = "Backups can be kept for 0 to 35 days."
  }
}

variable "backup_window" {
  type        = string
  description = "The backup window of the database."
  default     = "03:00-04:00"

  validation {
    condition     = can(regex("^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$", var.backup_window))
    error_message = "backup_window must be hh24:mi-hh24:mi."
  }
}

variable "maintenance_window" {
  type        = string
  description = "The maintenance window of the database."
  default     = "sun:04:30-sun:05:30"

  validation {
    condition     = can(regex("^(mon|tue|wed|thu|fri|sat|sun):[0-2][0-9]:[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):[0-2][0-9]:[0-5][0-9]$", var.maintenance_window))
    error_message = "maintenance_window must be ddd:hh24:mi-ddd:hh24:mi."
  }
}

variable "port" {
  type        = number
  description = "The port of the database."
  default     = null

  validation {
    condition     = var.port == null ? true : (var.port > 1024 && var.port < 65536)
    error_message = "port must be an unprivileged TCP port."
  }
}

variable "multi_az" {
  type        = bool
  description = "The multi az of the database."
  default     = false
}

variable "deletion_protection" {
  type        = bool
  description = "The deletion protection of the database."
  default     = true
}

variable "performance_insights_retention" {
  type        = number
  description = "The performance insights retention of the database."
  default     = 7

  validation {
    condition     = contains([7, 31, 62, 93, 186, 372, 731], var.performance_insights_retention)
    error_message = "Allowed retention: 7, 31, 62, 93, 186, 372 or 731 days."
  }
}

variable "allowed_cidrs" {
  type        = list(string)
  description = "The allowed cidrs of the database."
  default     = []

  validation {
    condition     = alltrue([for c in var.allowed_cidrs : can(cidrnetmask(c))])
    error_message = "Every entry of allowed_cidrs must be an IPv4 CIDR block."
  }
}

variable "parameters" {
  type        = map(string)
  description = "The parameters of the database."
  default     = {}

  validation {
    condition     = length(var.parameters) <= 100
    error_message = "At most 100 parameters."
  }
}

variable "tags" {
  type        = map(string)
  description = "The tags of the database."
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.tags : length(k) <= 128 && length(v) <= 256])
    error_message = "Tag keys are limited to 128 and values to 256 characters."
  }
}

variable "replicas" {
  description = "Read replicas, keyed by name."
  type = map(object({
    instance_class = optional(string)
    az             = optional(string)
    promotion_tier = optional(number, 1)
  }))
  default = {}

  validation {
    condition = alltrue([
      for name, r in var.replicas :
      can(regex("^[a-z0-9-]+$", name)) && (r.promotion_tier == null || r.promotion_tier <= 15)
    ])
    error_message = <<-EOT
      Replica names may only contain lowercase letters, digits and hyphens,
      and promotion_tier must be between 0 and 15.
    EOT
  }
}
