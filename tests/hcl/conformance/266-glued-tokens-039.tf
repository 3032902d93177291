x = true.x
