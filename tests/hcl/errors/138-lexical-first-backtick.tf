a = }
b = `x`
