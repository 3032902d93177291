a = -1
b = 1 - -1
c = [-1, - 2]
d = foo(-1)
e = x - 1
f = (x) - 1
g = x[0] - 1
h = "a" - 1
i = -x.y
j = 1 * -x
k = !true
l = a ? -1 : -2
m = {a = -1, b: -2}
n = [for x in y: -x]
