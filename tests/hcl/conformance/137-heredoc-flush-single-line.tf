a = <<-EOT
        only
        EOT
