a = <<-EOT
    %{ if var.c }
      yes
    %{ else }
      no
    %{ endif }
    EOT
