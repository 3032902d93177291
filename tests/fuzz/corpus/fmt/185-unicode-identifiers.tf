café = "coffee"
über = 1
naïve-flag = true
名前 = "name"
データ = [1, 2]
ελληνικά = "greek"
кириллица = "cyrillic"
