who = "auto-a"
