module "m" {
  source = "./m"
  providers = {
    aws = aws.west
  }
  count = 3
  depends_on = [aws_instance.a,
    aws_instance.b]
}
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}
