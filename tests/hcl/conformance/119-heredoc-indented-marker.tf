locals {
  a = <<EOT
  keep indentation
    more
  EOT
}
