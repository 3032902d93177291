a = 1
bbb = 2
block {
  c=3
}
