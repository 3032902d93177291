a = <<EOT
start ${~ var.x ~} end
line2
EOT
b = <<EOT
${var.x ~}


after
EOT
c = <<EOT
before


${~ var.y}
EOT
