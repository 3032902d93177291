thing "a" "b" "c" {
  value = 3
}
