locals {
  script = <<-EOT
    #!/bin/sh
    echo "start"
      indented more
    echo "end"
  EOT
}
