terraform {
  required_version = ">= 1.0"
}

variable "name" {
  type = string
}

resource "aws_s3_bucket" "b" {
  bucket = var.name

  tags = {
    Name = var.name
    Env  = "prod"
  }
}

resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({
    Statement = [
      {
        Effect = "Deny"
        Action = "s3:*"
      }
    ]
  )
}
