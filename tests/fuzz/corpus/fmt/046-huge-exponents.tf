overflow = 1e400
overflow_negative = -1e400
underflow = 1e-400
max_double = 1.7976931348623157e308
min_subnormal = 5e-324
just_over = 1.8e308
