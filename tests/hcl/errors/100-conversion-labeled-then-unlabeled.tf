dynamic "x" {}
dynamic {}
