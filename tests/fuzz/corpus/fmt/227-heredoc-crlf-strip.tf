a = <<EOT
%{ for x in var.xs ~}
${x}
%{ endfor ~}
end
EOT
