a = "before \n  ${~ var.x ~}  \n after"
