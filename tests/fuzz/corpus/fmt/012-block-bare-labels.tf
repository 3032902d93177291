resource aws_instance web {
  ami = "ami-12345678"
}
