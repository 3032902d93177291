resource "a" "b" {}
resource "a" {}
