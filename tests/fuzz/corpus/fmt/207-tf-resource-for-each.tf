resource "aws_iam_user" "this" {
  for_each = toset(var.usernames)

  name = each.key
  path = "/users/"

  tags = {
    Owner = each.value
  }
}

resource "aws_route53_record" "records" {
  for_each = { for r in var.records : "${r.name}.${r.type}" => r }

  zone_id = var.zone_id
  name    = each.value.name
  type    = each.value.type
  ttl     = try(each.value.ttl, 300)
  records = each.value.values
}
