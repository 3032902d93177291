tags = {
  "${var.prefix}-name" = "x"
  "${var.key}"         = "y"
  "plain"              = "z"
  "k-${1}"             = "w"
}
