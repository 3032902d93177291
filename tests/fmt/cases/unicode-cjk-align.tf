a = "日本" # c
b = "xy" # d
