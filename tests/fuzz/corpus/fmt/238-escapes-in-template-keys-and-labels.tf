m = {
  "tab\tkey" = 1
  "quote\"key" = 2
  "dollar$${x}" = 3
}
block "label\nnewline" {}
