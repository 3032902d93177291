a = trimspace(<<EOT
  padded
EOT
)
b = jsonencode(<<-EOT
    {"x": 1}
  EOT
)
