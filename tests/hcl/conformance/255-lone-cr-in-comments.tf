# comment with a lone  carriage return
a = 1 // another  one
/* and  here */
b = 2
