a {
  x = 1
if