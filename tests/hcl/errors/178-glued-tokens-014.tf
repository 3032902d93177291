resource "a" "b" { count = 1 } y = 2
