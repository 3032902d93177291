splat_then_index = x[*][0]
attr_splat_then_index = x.*[0]
for_then_index = [for v in y : v][0]
for_obj_then_attr = {for k, v in y : k => v}.key
null_traversal = null.foo
literal_condition = true ? 1 : 2
string_compare = "a" == "b"
splat_twice = x[*].y[*]
splat_spaces = x[ * ]
legacy_separated = x.0.y.1
legacy_then_index = x.0[1]
legacy_exponent = x.1e3
neg_legacy = -x.0
template_index = "${x}"[0]
paren_newline = (x
  .y)
heredoc_arg = f(<<EOT
a
EOT
, 1)
expand_only = f(x...)
legacy_exp_sign = x.1e+3
legacy_leading_zero = x.01
legacy_then_attr = x.1.y
