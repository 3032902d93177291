region         = "eu-central-1"
environment    = "staging"
instance_count = 3
enable_logging = true

tags = {
  Team       = "platform"
  CostCenter = "1234"
}

subnets = [
  { name = "a", cidr = "10.0.1.0/24", public = true },
  { name = "b", cidr = "10.0.2.0/24" },
]

allowed_ports = [22, 80, 443]
