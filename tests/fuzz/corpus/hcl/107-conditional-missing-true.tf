a = var.c ? : 2
