a = var.café
b = local.名前[0]
c = "${var.über}-x"
d = [for ü in var.list : ü]
