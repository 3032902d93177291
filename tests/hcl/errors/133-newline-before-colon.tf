a = x ? y
  : z
