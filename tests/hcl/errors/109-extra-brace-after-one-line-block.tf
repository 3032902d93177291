locals { a = 1 } }
