a = }
b = 'x'
