a = <<-EOT
    name: ${var.name}
      nested: ${var.nested}
    EOT
b = <<-EOT
    ${var.first}
      second
    EOT
c = <<-EOT
      ${var.first}
    second
    EOT
