msg = "line one\nline two\n"
