a = [for x var.l : x]
