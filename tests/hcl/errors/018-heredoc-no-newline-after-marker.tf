a = <<EOT line
EOT
