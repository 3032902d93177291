empty = ""
space = " "
spaces = "   "
tab = "\t"
