/*
** stdlib/numeric.c — abs, ceil, floor, log, pow, signum, max, min, parseint.
**
** Numbers are MPFR values at the value model's precision; functions that
** go-cty computes in float64 (log, pow) are computed in double here too so
** results print identically (log(50, 10) = 1.6989700043360185).
*/
#include "stdlib/fn.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/util.h"

/* Applies an exact MPFR operation to argument 0. */
static Value *num_unary(FnCall *c, int (*op)(mpfr_ptr, mpfr_srcptr, mpfr_rnd_t)) {
  mpfr_t x;
  mpfr_init2(x, VAL_PREC);
  val_get_mpfr(c->args[0], x);
  op(x, x, MPFR_RNDN);
  if (mpfr_zero_p(x)) mpfr_set_zero(x, 1); /* ceil(-0.5) is 0, not -0 */
  Value *r = val_number_mpfr(x);
  mpfr_clear(x);
  return r;
}

static int mpfr_ceil_r(mpfr_ptr r, mpfr_srcptr x, mpfr_rnd_t rnd) { (void)rnd; return mpfr_ceil(r, x); }
static int mpfr_floor_r(mpfr_ptr r, mpfr_srcptr x, mpfr_rnd_t rnd) { (void)rnd; return mpfr_floor(r, x); }

static Value *f_abs(FnCall *c) { return num_unary(c, mpfr_abs); }
static Value *f_ceil(FnCall *c) { return num_unary(c, mpfr_ceil_r); }
static Value *f_floor(FnCall *c) { return num_unary(c, mpfr_floor_r); }

/* go-cty turns the float64 result into a big.Float, which panics on NaN;
** Terraform reports that panic as the call's error. */
static Value *from_double(FnCall *c, double d) {
  if (isnan(d)) return fn_error(c, "panic in function implementation: Float.SetFloat64(NaN)");
  return val_number_double(d);
}

static Value *f_log(FnCall *c) {
  double n = val_get_double(c->args[0]), b = val_get_double(c->args[1]);
  return from_double(c, log(n) / log(b));
}

static Value *f_pow(FnCall *c) {
  double n = val_get_double(c->args[0]), p = val_get_double(c->args[1]);
  return from_double(c, pow(n, p));
}

/* go-cty converts to an int first, so a fraction is an error. */
static Value *f_signum(FnCall *c) {
  int64_t i;
  if (!fn_int_arg(c, 0, &i, false)) return NULL;
  return val_number_i64(i > 0 ? 1 : i < 0 ? -1 : 0);
}

static Value *minmax(FnCall *c, int want) {
  if (c->nargs == 0) return fn_error(c, "must pass at least one number");
  size_t best = 0;
  for (size_t i = 1; i < c->nargs; i++)
    if (val_num_cmp(c->args[i], c->args[best]) == want) best = i;
  return val_ref(c->args[best]);
}
static Value *f_max(FnCall *c) { return minmax(c, 1); }
static Value *f_min(FnCall *c) { return minmax(c, -1); }

/* parseint accepts digits of any base 2..62 as Go's big.Int SetString does:
** 0-9, a-z, A-Z; letters are case-insensitive up to base 36, and for larger
** bases A-Z are 36..61. An optional sign; nothing else. */
static int digit_val(char ch, int base) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (base <= 36) {
    if (ch >= 'a' && ch <= 'z') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'Z') return ch - 'A' + 10;
  } else {
    if (ch >= 'a' && ch <= 'z') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'Z') return ch - 'A' + 36;
  }
  return 99;
}

static Value *f_parseint(FnCall *c) {
  if (val_kind(c->args[0]) != TY_STRING) {
    char *t = type_friendly_name(val_type(c->args[0]));
    fn_arg_error(c, 0, "first argument must be a string, not %s", t);
    free(t);
    return NULL;
  }
  int64_t base;
  if (!val_get_i64(c->args[1], &base) || base < 2 || base > 62)
    return fn_arg_error(c, 1, "base must be a whole number between 2 and 62 inclusive");
  const char *s = val_str(c->args[0]);
  size_t n = val_str_len(c->args[0]);
  size_t i = 0;
  bool neg = false;
  if (i < n && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  bool ok = i < n;
  mpz_t z;
  mpz_init(z);
  for (; ok && i < n; i++) {
    int d = digit_val(s[i], (int)base);
    if (d >= base) ok = false;
    else {
      mpz_mul_ui(z, z, (unsigned long)base);
      mpz_add_ui(z, z, (unsigned long)d);
    }
  }
  if (!ok) {
    mpz_clear(z);
    char *q = val_quote(s, n);
    fn_arg_error(c, 0, "cannot parse %s as a base %d integer", fn_show(c, 0, q), (int)base);
    free(q);
    return NULL;
  }
  if (neg) mpz_neg(z, z);
  mpfr_t x;
  size_t bits = mpz_sizeinbase(z, 2) + 1;
  mpfr_init2(x, bits > VAL_PREC ? (mpfr_prec_t)bits : VAL_PREC);
  mpfr_set_z(x, z, MPFR_RNDN);
  Value *r = val_number_mpfr(x);
  mpfr_clear(x);
  mpz_clear(z);
  return r;
}

const FnDef fn_defs_numeric[] = {
    {"abs", {{"num", FT_NUMBER, 0}}, 1, {0}, FT_NUMBER, NULL, f_abs},
    {"ceil", {{"num", FT_NUMBER, 0}}, 1, {0}, FT_NUMBER, NULL, f_ceil},
    {"floor", {{"num", FT_NUMBER, 0}}, 1, {0}, FT_NUMBER, NULL, f_floor},
    {"log", {{"num", FT_NUMBER, 0}, {"base", FT_NUMBER, 0}}, 2, {0}, FT_NUMBER, NULL, f_log},
    {"pow", {{"num", FT_NUMBER, 0}, {"power", FT_NUMBER, 0}}, 2, {0}, FT_NUMBER, NULL, f_pow},
    {"signum", {{"num", FT_NUMBER, 0}}, 1, {0}, FT_NUMBER, NULL, f_signum},
    {"max", {{0}}, 0, {"numbers", FT_NUMBER, 0}, FT_NUMBER, NULL, f_max},
    {"min", {{0}}, 0, {"numbers", FT_NUMBER, 0}, FT_NUMBER, NULL, f_min},
    {"parseint", {{"number", FT_ANY, 0}, {"base", FT_NUMBER, 0}}, 2, {0}, FT_NUMBER, NULL,
     f_parseint},
    {NULL, {{0}}, 0, {0}, FT_ANY, NULL, NULL},
};
