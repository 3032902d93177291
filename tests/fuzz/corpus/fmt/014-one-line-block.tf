variable "region" { default = "us-west-2" }
