resource "x" "y" {
  setting = "attr"
  setting {
    value = 1
  }
  other {
    a = 1
  }
  other = [1]
}
