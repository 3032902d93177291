rules = {
  web = [
    { port = 80, proto = "tcp" },
    { port = 443, proto = "tcp", extra = { note = "tls" } },
  ]
  empty = [{}]
}
