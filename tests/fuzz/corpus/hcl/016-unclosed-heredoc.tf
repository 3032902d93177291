a = <<EOT
line
more
