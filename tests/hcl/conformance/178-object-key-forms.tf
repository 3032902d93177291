m = {
  bare          = 1
  "quoted"      = 2
  "with space"  = 3
  "with.dot"    = 4
  (var.dynamic) = 5
  "${var.t}"    = 6
  kebab-key     = 7
  123           = 8
  1.50          = 9
  true          = 10
  null          = 11
  var.traversal = 12
  a.b[0]        = 13
  upper("f")    = 14
  -1            = 15
  (1)           = 16
}
