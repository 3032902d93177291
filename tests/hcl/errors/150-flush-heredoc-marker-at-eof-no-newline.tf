a = <<-EOT
    x
    EOT