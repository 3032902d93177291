a = <<-EOT
  x
    y
      EOT
b = <<-EOT
  x
		EOT
c = <<-EOT
${var.a}
  b
EOT
