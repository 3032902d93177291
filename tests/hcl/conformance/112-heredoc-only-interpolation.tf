a = <<EOT
${var.x}
EOT
b = <<EOT
${var.x}${var.y}
EOT
