provider "aws" {
  region = "us-east-1"
}
variable "tag" {
  default = "a"
}
variable "n" {
  default = 2
}
resource "aws_sns_topic" "t" {
  count = var.n
  name  = "topic-${count.index}"
  tags  = { v = count.index == 1 ? var.tag : "fixed" }
}
resource "aws_sns_topic" "whole" {
  name = "whole"
  lifecycle {
    replace_triggered_by = [aws_sns_topic.t]
  }
}
resource "aws_sns_topic" "each" {
  count = var.n
  name  = "each-${count.index}"
  lifecycle {
    replace_triggered_by = [aws_sns_topic.t[count.index].tags]
  }
}
