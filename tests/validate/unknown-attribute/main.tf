resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = "{}"
}

resource "aws_iam_role_policy" "p" {
  name   = "p"
  role   = aws_iam_role.r.nam
  policy = "{}"
}
