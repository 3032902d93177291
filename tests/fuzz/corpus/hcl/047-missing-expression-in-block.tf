resource "x" "y" {
  ami =
}
