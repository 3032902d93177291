a = "before ${var.x ~}   after"
