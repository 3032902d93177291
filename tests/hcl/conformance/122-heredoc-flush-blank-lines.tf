a = <<-EOT
    first

    after blank
        
    after whitespace-only line
    EOT
