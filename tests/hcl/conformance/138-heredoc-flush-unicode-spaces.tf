a = <<-EOT
    x
    éy
     z
    EOT
