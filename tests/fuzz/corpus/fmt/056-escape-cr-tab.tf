a = "a\rb"
b = "col1\tcol2\tcol3"
c = "\r\n"
