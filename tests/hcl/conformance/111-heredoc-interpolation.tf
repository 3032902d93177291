user_data = <<EOT
#!/bin/bash
export ENV=${var.env}
export REGION=${data.aws_region.current.name}
echo "${upper(var.name)}" > /etc/name
EOT
