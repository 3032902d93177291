setting {}
setting "x" {}
