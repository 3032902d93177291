a = "hello
b = 2
