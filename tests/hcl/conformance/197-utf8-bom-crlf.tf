a = "bom"
b = 2
