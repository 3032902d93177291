a = [
  1, # one
  22, # two
  333 # three
]
b = { # open
  c = 1 # x
}  # close
/* block */ d = 1
e = 1 /* trailing block */
f = 2 /* multi
line */
g = 3
