locals {
    a = {
  b = [1,2,
3]
      c = "x"   # c
  dd = "y" // d
    }
    e = <<-EOT
        keep   ${ var.x }
      %{ for x in y ~}
        ${x}
      %{~ endfor }
    EOT
  f = foo(bar(
    1), [
      2])
  g = [for k,v in var.m: upper(k) if v!=null]
  h = {for k,v in var.m: k=>v...}
  i = var.list[*].id
  j = var.obj.0.name
  k = a==b&&c||!d
  l = (1+2)*3/4%5
  m = x ? "a" : "b"
}
resource aws_instance web { ami = "x" }
resource "a" "b" {
  lifecycle {
    ignore_changes = [tags,]
  }
  dynamic "setting" {
    for_each = var.s
    content {
      name = setting.value.name
    }
  }
}
