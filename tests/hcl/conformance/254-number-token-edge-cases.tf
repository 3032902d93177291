dot_exponent       = 1.e5
dot_exponent_upper = 1.E5
dot_exponent_sign  = 1.e+5
attr_on_int        = 1.x
attr_on_float      = 1.5.x
attr_after_exp     = 1.5e5.x
attr_named_ex      = 1.ex
