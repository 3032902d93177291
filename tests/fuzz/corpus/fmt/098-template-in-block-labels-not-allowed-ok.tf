resource "aws_instance" "web" {
  tags = {
    Name = "${var.name}-web"
  }
}
