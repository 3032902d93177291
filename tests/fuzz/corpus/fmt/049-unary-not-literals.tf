a = !true
b = !false
c = ! true
