resource "aws_security_group" "db" {
  ingress {
    from_port = 5432
    to_port   = 5432
  }
  ingress {
    from_port = 5433
    to_port   = 5433
  }
  ingress {
    from_port = 5434
    to_port   = 5434
  }
}
