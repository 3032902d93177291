security_rules = {
  for rule in var.rules :
  "${rule.direction}-${rule.port}" => {
    port      = rule.port
    direction = rule.direction
  }
  if rule.enabled
}
list = [
  for x in var.xs :
  x * 2
]
