a = <<EOT
content
EOT
b = = 1
