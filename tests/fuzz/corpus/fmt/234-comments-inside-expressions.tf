a = var.a + /* c */ var.b
b = [for x in var.l : # why
  x]
c = {
  k = var.v # trailing
}
