who = "varfile"
