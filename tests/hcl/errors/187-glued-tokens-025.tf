a = b
= c
