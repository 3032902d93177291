resource "aws_instance" "x" {
  lifecycle { create_before_destroy = true }
  timeouts { create = "10m" }
}
