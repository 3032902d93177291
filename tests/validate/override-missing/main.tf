resource "aws_sns_topic" "t" {
  name = "t"
}
provider "aws" {
  region = "us-east-1"
}
