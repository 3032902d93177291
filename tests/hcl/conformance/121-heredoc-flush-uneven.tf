a = <<-EOT
      six
    four
        eight
    EOT
