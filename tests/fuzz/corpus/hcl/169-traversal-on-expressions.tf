a = [1, 2, 3][0]
b = {a = 1}.a
c = {a = 1}["a"]
d = (var.x).y
e = func()[0].attr
f = "str"[0]
