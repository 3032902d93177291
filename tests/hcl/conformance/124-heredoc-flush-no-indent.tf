a = <<-EOT
no indent
  two
EOT
