a = 1E5E5
