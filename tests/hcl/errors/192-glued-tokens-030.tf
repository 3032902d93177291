x = [for k, a.b in y : 1]
