locals {
  a = 1
}
locals = "attr wins"
