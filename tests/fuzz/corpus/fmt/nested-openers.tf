list = [{
  a = 1
  }, {
      b = 2
}]
policy = jsonencode({
  Version = "2012-10-17"
  Statement = [{
    Effect = "Allow"
    Action = ["s3:GetObject",
              "s3:PutObject"]
  }]
})
x = {
  for k, v in var.m :
  k => v
  if v != null
}
y = [
  <<EOT
inside list
EOT
  , "b",
]
z = <<-EOT
	tab indented
	  ${var.x}
	EOT
