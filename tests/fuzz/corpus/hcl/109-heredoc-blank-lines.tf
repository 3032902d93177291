a = <<EOT

first


last

EOT
