x = a[*].b.c
