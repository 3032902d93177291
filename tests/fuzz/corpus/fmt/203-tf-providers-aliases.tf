provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}

provider "aws" {
  alias  = "us_west"
  region = "us-west-2"

  assume_role {
    role_arn     = "arn:aws:iam::${var.account_id}:role/deploy"
    session_name = "terraform"
  }
}

resource "aws_s3_bucket" "replica" {
  provider = aws.us_west
  bucket   = "${var.name}-replica"
}
