x = a.b
  .c
