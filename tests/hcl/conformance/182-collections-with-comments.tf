list = [
  "a", # first
  /* second */ "b",
  // third
  "c"
]
map = {
  # comment line
  a = 1 # trailing
  b = 2 // trailing
}
