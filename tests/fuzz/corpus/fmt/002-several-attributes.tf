instance_type = "t3.micro"
count         = 2
enabled       = true
tags          = null
