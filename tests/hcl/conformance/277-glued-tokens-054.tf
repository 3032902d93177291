x = !a.b
