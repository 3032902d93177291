empty = []
one = [1]
trailing = [1, 2, 3,]
mixed = ["a", 1, true, null, var.x]
nested = [[1, 2], [3, [4, 5]], []]
multiline = [
  "a",
  "b"
]
multiline_trailing = [
  "a",
  "b",
]
