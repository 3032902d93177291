empty = {}
one = { a = 1 }
commas = { a = 1, b = 2, c = 3 }
trailing_comma = { a = 1, b = 2, }
newlines = {
  a = 1
  b = 2
}
mixed = {
  a = 1,
  b = 2
  c = 3,
}
colons = { a: 1, b: 2 }
nested = { a = { b = { c = {} } } }
