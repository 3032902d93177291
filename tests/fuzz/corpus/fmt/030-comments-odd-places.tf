resource /* type */ "aws_instance" /* name */ "web" /* body */ {
  ami = "x" # after value
  # before closing brace
}

list = [ # after bracket
  1, # one
  // two
  2, /* three */ 3
  # before close
]

obj = {
  # in object
  a = 1 // after item
  /* before key */ b = 2
}

call = max(
  1, # first
  2  // second
)
