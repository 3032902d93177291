my-block "x-y" {
  inner-attr = "v"
  inner-block {
    deep-attr = 1
  }
}
