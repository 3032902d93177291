resource "aws_instance" "web-server-01" {}
module "vpc.prod" {}
thing "with space" "and/slash" "and:colon" {}
thing "" {}
