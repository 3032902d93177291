x = a . b.c
