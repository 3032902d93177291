x = a.b.名前.c
