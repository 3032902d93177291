resource "x" "y" {
  name = "a"
  name = "b"
}
