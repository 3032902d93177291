a = <<EOT
%{ if var.x }
yes
EOT
