instance_type = var.env == "prod" ? "m5.large" : "t3.micro"
count = var.enabled ? 1 : 0
