a = <<-EOT
    x
      
    EOT
