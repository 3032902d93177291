smile = "\U0001F600"
e_acute = "\U000000e9"
rocket = "x\U0001f680y"
max = "\U0010FFFF"
