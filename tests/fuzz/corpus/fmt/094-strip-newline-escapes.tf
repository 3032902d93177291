a = "x\n\n  ${~ var.y ~}\t\t\nz"
