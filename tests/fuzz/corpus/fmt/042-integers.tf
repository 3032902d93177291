zero = 0
one = 1
port = 8080
max_int32 = 2147483647
leading_zeros = 007
