provider "aws" {
  region = "us-east-1"
}

variable "services" {
  type    = set(string)
  default = ["a", "b"]
}

variable "enabled" {
  type    = bool
  default = true
}

module "svc" {
  source   = "./topic"
  for_each = var.services
  name     = "svc-${each.key}"
}

module "opt" {
  source = "./topic"
  count  = var.enabled ? 1 : 0
  name   = "opt-${count.index}"
}

output "a_arn" {
  value = module.svc["a"].arn
}

output "names" {
  value = [for k, m in module.svc : m.name]
}

output "opt_names" {
  value = module.opt[*].name
}
