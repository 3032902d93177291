a {
  b = }
}
c = "\q"
