module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.5.1"

  name = local.name_prefix
  cidr = var.cidr_block

  azs             = local.azs
  private_subnets = local.private_subnets
  public_subnets  = local.public_subnets

  enable_nat_gateway = true
  single_nat_gateway = !local.is_prod

  tags = local.common_tags
}

module "buckets" {
  source   = "./modules/bucket"
  for_each = var.buckets

  name       = each.key
  versioning = each.value.versioning

  providers = {
    aws = aws.us_west
  }

  depends_on = [module.vpc]
}

module "local_relative" {
  source = "../shared/logging"
  count  = var.enable_logging ? 1 : 0
}
