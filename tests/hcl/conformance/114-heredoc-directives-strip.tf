config = <<EOT
%{ for ip in var.ips ~}
allow ${ip};
%{ endfor ~}
deny all;
EOT
