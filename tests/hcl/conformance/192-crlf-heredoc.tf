a = <<EOT
line one
line two
EOT
b = <<-EOT
    flush
      indented
    EOT
