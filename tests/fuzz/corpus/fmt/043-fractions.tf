half = 0.5
pi = 3.14159265358979
tenth = 0.1
one_point_zero = 1.0
trailing_zeros = 2.500
long_fraction = 0.30000000000000004
