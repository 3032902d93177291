list = [
  <<EOT
one
EOT
  ,
  <<-EOT
    two
  EOT
]
obj = {
  a = <<EOT
alpha
EOT
  b = "bee"
}
