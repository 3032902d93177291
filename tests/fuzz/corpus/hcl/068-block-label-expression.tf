resource var.x {}
