x = a.in.b
