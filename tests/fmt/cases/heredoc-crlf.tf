a = <<EOT
line
EOT
bb = 1
