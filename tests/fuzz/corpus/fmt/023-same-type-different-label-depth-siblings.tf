resource "aws_instance" "a" {}
resource "aws_instance" "b" {}
resource "aws_s3_bucket" "a" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}
