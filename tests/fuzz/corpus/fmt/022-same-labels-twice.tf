resource "aws_instance" "web" {
  ami = "one"
}

resource "aws_instance" "web" {
  ami = "two"
}
