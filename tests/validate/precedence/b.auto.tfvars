who = "auto-b"
