a = "😀" # c
b = "xy" # d
