a = [var.x...]
