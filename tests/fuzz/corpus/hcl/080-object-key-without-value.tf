m = {
  a
}
