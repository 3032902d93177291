a = "é" # c
b = "xy" # d
