a = <<EOT

EOT
