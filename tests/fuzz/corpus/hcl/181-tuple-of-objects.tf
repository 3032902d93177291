ingress_rules = [
  {
    port        = 22
    cidr_blocks = ["10.0.0.0/8"]
  },
  {
    port        = 443
    cidr_blocks = ["0.0.0.0/0"]
  },
]
