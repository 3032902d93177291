a = x[0
b = 1
c = 2
