resource "a" "b" { lifecycle {} }
