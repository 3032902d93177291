a = <<EOT
before ${join(",",
  var.list)} after
EOT
