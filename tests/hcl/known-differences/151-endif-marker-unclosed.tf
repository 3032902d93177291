a = "x%{endif
