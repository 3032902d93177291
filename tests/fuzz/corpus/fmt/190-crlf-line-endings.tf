region = "us-east-1"
count = 3

resource "aws_instance" "web" {
  ami = "ami-1"
  tags = {
    Name = "web"
  }
}
