a = <<EOT
trailing   
  both  
EOT
