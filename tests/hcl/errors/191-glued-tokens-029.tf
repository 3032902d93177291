x = [for a.b in y : 1]
