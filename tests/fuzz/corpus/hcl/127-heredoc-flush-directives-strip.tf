a = <<-EOT
    %{ for x in var.xs ~}
    - ${x}
    %{ endfor ~}

    end
    EOT
b = <<-EOT
    %{ for x in var.xs ~}
    - ${x}
    %{~ endfor }
    EOT
