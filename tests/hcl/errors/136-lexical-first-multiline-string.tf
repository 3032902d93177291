a = }
b = "x
y"
