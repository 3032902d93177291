a = "${ ~ var.x}"
