config = <<EOT
%{ if var.enable_tls }
listen 443 ssl;
%{ else }
listen 80;
%{ endif }
%{ for name, port in var.upstreams }
server ${name}:${port};
%{ endfor }
EOT
