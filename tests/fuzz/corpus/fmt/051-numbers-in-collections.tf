ports = [22, 80, 443, -1, 1.5, 1e2]
limits = {
  cpu    = 0.25
  memory = 512
  neg    = -10
}
