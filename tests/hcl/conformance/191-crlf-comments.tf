# hash comment
// slash comment
/* block
   comment */
a = 1 # trailing
b = 2
