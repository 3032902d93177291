a = <<EOT
${"inner ${var.x}"}
${upper("q")}
EOT
