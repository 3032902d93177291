decomposed = "é"
angstrom = "\u212b"
heredoc = <<EOT
é
EOT
template = "${var.x}é"
keys = { "é" = 1 }
label "é" {}
é = "ident not normalized"
