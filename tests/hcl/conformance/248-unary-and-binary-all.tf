# unary operators against every binary operator
neg_or = -var.a || -var.b
not_or = !var.a || !var.b
lit_or = 1 || 2
paren_or = (var.a || var.b) || (var.c)
neg_and = -var.a && -var.b
not_and = !var.a && !var.b
lit_and = 1 && 2
paren_and = (var.a && var.b) && (var.c)
neg_eq = -var.a == -var.b
not_eq = !var.a == !var.b
lit_eq = 1 == 2
paren_eq = (var.a == var.b) == (var.c)
neg_ne = -var.a != -var.b
not_ne = !var.a != !var.b
lit_ne = 1 != 2
paren_ne = (var.a != var.b) != (var.c)
neg_lt = -var.a < -var.b
not_lt = !var.a < !var.b
lit_lt = 1 < 2
paren_lt = (var.a < var.b) < (var.c)
neg_le = -var.a <= -var.b
not_le = !var.a <= !var.b
lit_le = 1 <= 2
paren_le = (var.a <= var.b) <= (var.c)
neg_gt = -var.a > -var.b
not_gt = !var.a > !var.b
lit_gt = 1 > 2
paren_gt = (var.a > var.b) > (var.c)
neg_ge = -var.a >= -var.b
not_ge = !var.a >= !var.b
lit_ge = 1 >= 2
paren_ge = (var.a >= var.b) >= (var.c)
neg_add = -var.a + -var.b
not_add = !var.a + !var.b
lit_add = 1 + 2
paren_add = (var.a + var.b) + (var.c)
neg_sub = -var.a - -var.b
not_sub = !var.a - !var.b
lit_sub = 1 - 2
paren_sub = (var.a - var.b) - (var.c)
neg_mul = -var.a * -var.b
not_mul = !var.a * !var.b
lit_mul = 1 * 2
paren_mul = (var.a * var.b) * (var.c)
neg_div = -var.a / -var.b
not_div = !var.a / !var.b
lit_div = 1 / 2
paren_div = (var.a / var.b) / (var.c)
neg_mod = -var.a % -var.b
not_mod = !var.a % !var.b
lit_mod = 1 % 2
paren_mod = (var.a % var.b) % (var.c)
