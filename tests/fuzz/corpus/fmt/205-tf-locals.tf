locals {
  name_prefix = "${var.project}-${var.environment}"

  common_tags = merge(var.tags, {
    Project     = var.project
    Environment = var.environment
  })

  azs = slice(data.aws_availability_zones.available.names, 0, 3)

  public_subnets  = [for i, az in local.azs : cidrsubnet(var.cidr_block, 8, i)]
  private_subnets = [for i, az in local.azs : cidrsubnet(var.cidr_block, 8, i + 10)]

  subnet_map = {
    for s in var.subnets : s.name => s
    if s.cidr != ""
  }

  is_prod      = var.environment == "prod"
  instance_type = local.is_prod ? "m6i.large" : "t3.small"
}

locals {
  second_locals_block = true
}
