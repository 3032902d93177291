/*
** stdlib/format.c — format and formatlist.
**
** The verbs are go-cty's subset of Go's fmt: %% %v %#v %t %d %b %o %x %X
** %e %E %f %g %G %s %q, with flags (space + - # 0), width, precision and
** explicit argument indexes %[n]. Each verb converts its argument the way
** cty does (%s to string, %d to a whole number, %t to bool) and errors name
** the verb and its offset in the format string, as Terraform's do.
*/
#include "stdlib/fn.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "base/buf.h"
#include "base/util.h"

typedef struct Spec {
  bool minus, plus, sharp, zero, space;
  int width, prec;   /* -1 when absent */
} Spec;

/* go-cty measures width and precision of strings in grapheme clusters. */
static size_t cp_count(const char *s, size_t n) {
  size_t *st;
  size_t g = fn_graphemes(s, n, &st);
  free(st);
  return g;
}

/* Pads s to the width in grapheme clusters. */
static void put_padded(Buf *b, const Spec *sp, const char *s, size_t n, bool numeric) {
  size_t w = cp_count(s, n);
  size_t pad = sp->width > 0 && (size_t)sp->width > w ? (size_t)sp->width - w : 0;
  if (sp->minus) {
    buf_add(b, s, n);
    for (size_t i = 0; i < pad; i++) buf_putc(b, ' ');
    return;
  }
  if (sp->zero && numeric && pad) {
    size_t sign = n > 0 && (s[0] == '-' || s[0] == '+' || s[0] == ' ') ? 1 : 0;
    buf_add(b, s, sign);
    for (size_t i = 0; i < pad; i++) buf_putc(b, '0');
    buf_add(b, s + sign, n - sign);
    return;
  }
  for (size_t i = 0; i < pad; i++) buf_putc(b, ' ');
  buf_add(b, s, n);
}

/* Converts the argument for a verb; NULL with *why set on failure. */
static Value *conv_for(const Value *v, const Type *t, char **why) {
  if (val_is_null(v)) {
    *why = xstrdup("null value cannot be formatted");
    return NULL;
  }
  ValConvErr e = {0};
  Value *r = val_convert(v, t, &e);
  if (!r) {
    *why = val_conv_err_text(&e);
    val_conv_err_free(&e);
  }
  return r;
}

/* Writes a number's decimal text (as val_number_text gives it) the way
** Go's %g with shortest precision does. */
static void shortest_g(Buf *b, const char *t, bool upper) {
  const char *p = t;
  if (*p == '-') buf_putc(b, *p++);
  /* digits without the point, and the position of the point */
  char dig[1200];
  size_t nd = 0;
  long point = -1;
  for (const char *q = p; *q && nd < sizeof dig - 1; q++) {
    if (*q == '.') point = (long)nd;
    else if (*q >= '0' && *q <= '9') dig[nd++] = *q;
  }
  if (point < 0) point = (long)nd;
  size_t lead = 0;
  while (lead < nd && dig[lead] == '0') lead++;
  if (lead == nd) {
    buf_putc(b, '0');
    return;
  }
  while (nd > lead && dig[nd - 1] == '0') nd--;
  long exp = point - (long)lead - 1;
  if (exp < -4 || exp >= 6) {
    buf_putc(b, dig[lead]);
    if (nd - lead > 1) {
      buf_putc(b, '.');
      buf_add(b, dig + lead + 1, nd - lead - 1);
    }
    buf_printf(b, "%c%c%02ld", upper ? 'E' : 'e', exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
  } else {
    buf_puts(b, p);
  }
}

/* Formats one value for one verb into b; returns an error message or NULL. */
static char *format_one(Buf *b, const Spec *sp, char verb, const Value *arg) {
  char *why = NULL;
  switch (verb) {
  case 'v':
    if (sp->sharp || (!val_is_null(arg) && !type_is_primitive(val_type(arg)))) {
      char *j = fn_json_encode(arg);
      if (!j) return xstrdup("value is not known");
      put_padded(b, sp, j, strlen(j), false);
      free(j);
      return NULL;
    }
    if (val_is_null(arg)) {
      put_padded(b, sp, "null", 4, false);
      return NULL;
    }
    /* primitives print as their string form */
    __attribute__((fallthrough));
  case 's': {
    Value *s = conv_for(arg, T_STRING, &why);
    if (!s) return why;
    size_t n = val_str_len(s);
    const char *p = val_str(s);
    if (sp->prec >= 0) {
      size_t *st;
      size_t g = fn_graphemes(p, n, &st);
      if ((size_t)sp->prec < g) n = st[sp->prec];
      free(st);
    }
    put_padded(b, sp, p, n, false);
    val_free(s);
    return NULL;
  }
  case 'q': {
    /* go-cty's %q is the JSON string (HTML-safe escapes included) */
    Value *s = conv_for(arg, T_STRING, &why);
    if (!s) return why;
    char *q = fn_json_encode(s);
    put_padded(b, sp, q, strlen(q), false);
    free(q);
    val_free(s);
    return NULL;
  }
  case 't': {
    Value *v = conv_for(arg, T_BOOL, &why);
    if (!v) return why;
    /* go-cty ignores width and flags for %t */
    buf_puts(b, val_get_bool(v) ? "true" : "false");
    val_free(v);
    return NULL;
  }
  case 'd': case 'b': case 'o': case 'x': case 'X': {
    Value *v = conv_for(arg, T_NUMBER, &why);
    if (!v) return why;
    /* Whole numbers of any size, as Go formats a big.Int. */
    mpfr_t x;
    mpfr_init2(x, VAL_PREC);
    val_get_mpfr(v, x);
    val_free(v);
    if (!mpfr_integer_p(x)) {
      mpfr_clear(x);
      return xstrdup("an integer is required");
    }
    mpz_t z;
    mpz_init(z);
    mpfr_get_z(z, x, MPFR_RNDN);
    mpfr_clear(x);
    bool neg = mpz_sgn(z) < 0;
    mpz_abs(z, z);
    int base = verb == 'd' ? 10 : verb == 'b' ? 2 : verb == 'o' ? 8 : 16;
    char *digits = mpz_get_str(NULL, verb == 'X' ? -16 : base, z);
    mpz_clear(z);
    Buf nb = BUF_INIT;
    if (neg) buf_putc(&nb, '-');
    else if (sp->plus) buf_putc(&nb, '+');
    else if (sp->space) buf_putc(&nb, ' ');
    if (sp->sharp && base == 16) { buf_putc(&nb, '0'); buf_putc(&nb, verb); }
    if (sp->sharp && base == 8) buf_putc(&nb, '0');
    for (int p = sp->prec; p > (int)strlen(digits); p--) buf_putc(&nb, '0');
    buf_puts(&nb, digits);
    free(digits);
    put_padded(b, sp, nb.s, nb.len, sp->prec < 0);
    buf_free(&nb);
    return NULL;
  }
  case 'e': case 'E': case 'f': case 'g': case 'G': {
    Value *v = conv_for(arg, T_NUMBER, &why);
    if (!v) return why;
    char fmt[16];
    int k = 0;
    fmt[k++] = '%';
    if (sp->plus) fmt[k++] = '+';
    if (sp->space) fmt[k++] = ' ';
    if (sp->sharp) fmt[k++] = '#';
    if ((verb == 'g' || verb == 'G') && sp->prec < 0) {
      /* Go's %g without precision uses the shortest exact digits, in
      ** exponent form when the exponent is < -4 or >= 6. */
      char *t = val_number_text(v);
      Buf tb = BUF_INIT;
      if (sp->plus && t[0] != '-') buf_putc(&tb, '+');
      shortest_g(&tb, t, verb == 'G');
      put_padded(b, sp, tb.s, tb.len, true);
      buf_free(&tb);
      free(t);
      val_free(v);
      return NULL;
    }
    if (sp->prec >= 0) k += snprintf(fmt + k, sizeof fmt - (size_t)k, ".%d", sp->prec);
    fmt[k++] = verb;
    fmt[k] = 0;
    double d = val_get_double(v);
    val_free(v);
    int n = snprintf(NULL, 0, fmt, d);
    char *out = xmalloc((size_t)n + 1);
    snprintf(out, (size_t)n + 1, fmt, d);
    put_padded(b, sp, out, (size_t)n, true);
    free(out);
    return NULL;
  }
  }
  return NULL;
}

/* Renders fmt with args (nargs of them). On error returns NULL with *err
** set (malloc'd); *used receives how many arguments the format consumed. */
static char *render(const char *f, size_t fn, Value *const *args, size_t nargs, size_t *used, char **err) {
  Buf b = BUF_INIT;
  buf_add(&b, "", 0);
  size_t next = 0, maxused = 0;
  size_t i = 0;
  while (i < fn) {
    if (f[i] != '%') {
      buf_putc(&b, f[i++]);
      continue;
    }
    size_t start = i++;
    if (i < fn && f[i] == '%') {
      buf_putc(&b, '%');
      i++;
      continue;
    }
    Spec sp = {false, false, false, false, false, -1, -1};
    for (; i < fn; i++) {
      if (f[i] == '-') sp.minus = true;
      else if (f[i] == '+') sp.plus = true;
      else if (f[i] == '#') sp.sharp = true;
      else if (f[i] == '0') sp.zero = true;
      else if (f[i] == ' ') sp.space = true;
      else break;
    }
    if (i < fn && f[i] == '[') {
      size_t j = i + 1;
      long idx = 0;
      while (j < fn && isdigit((unsigned char)f[j])) {
        if (idx < 1000000) idx = idx * 10 + (f[j] - '0');
        j++;
      }
      if (j < fn && f[j] == ']' && idx > 0) {
        next = (size_t)idx - 1;
        i = j + 1;
      }
    }
    if (i < fn && isdigit((unsigned char)f[i])) {
      sp.width = 0;
      /* capped: Go would try to allocate it, we refuse absurd widths */
      while (i < fn && isdigit((unsigned char)f[i])) {
        if (sp.width < 10000) sp.width = sp.width * 10 + (f[i] - '0');
        i++;
      }
    }
    if (i < fn && f[i] == '.') {
      i++;
      sp.prec = 0;
      while (i < fn && isdigit((unsigned char)f[i])) {
        if (sp.prec < 10000) sp.prec = sp.prec * 10 + (f[i] - '0');
        i++;
      }
    }
    if (i >= fn) {
      buf_free(&b);
      *err = xasprintf("unterminated format verb at offset %zu", start);
      return NULL;
    }
    char verb = f[i++];
    if (!strchr("vtdboxXeEfgGsq", verb)) {
      buf_free(&b);
      *err = xasprintf("unsupported format verb '%c' in \"%.*s\" at offset %zu", verb, (int)(i - start),
                       f + start, start);
      return NULL;
    }
    if (next >= nargs) {
      buf_free(&b);
      *err = xasprintf("not enough arguments for \"%.*s\" at %zu: need index %zu but have %zu total",
                       (int)(i - start), f + start, start, next + 1, nargs);
      return NULL;
    }
    char *why = format_one(&b, &sp, verb, args[next]);
    if (why) {
      buf_free(&b);
      *err = xasprintf("unsupported value for \"%.*s\" at %zu: %s", (int)(i - start), f + start, start, why);
      free(why);
      return NULL;
    }
    next++;
    if (next > maxused) maxused = next;
  }
  *used = maxused;
  return buf_take(&b);
}

static Value *f_format(FnCall *c) {
  size_t used = 0;
  char *err = NULL;
  char *s = render(val_str(c->args[0]), val_str_len(c->args[0]), c->args + 1, c->nargs - 1, &used, &err);
  if (!s) {
    fn_error(c, "%s", err);
    free(err);
    return NULL;
  }
  if (used < c->nargs - 1) {
    free(s);
    if (used == 0) return fn_arg_error(c, 1, "too many arguments; no verbs in format string");
    return fn_arg_error(c, used + 1, "too many arguments; only %zu used by format string", used);
  }
  Value *r = val_cstring(s);
  free(s);
  return r;
}

/* The result type needs no arguments, but an unknown argument must not
** hide a bad format string; cty checks only at call time, so neither do we. */
static Value *f_formatlist(FnCall *c) {
  size_t n = c->nargs - 1;
  long len = -1;
  size_t len_arg = 0;
  for (size_t i = 0; i < n; i++) {
    const Value *a = c->args[i + 1];
    if (val_is_null(a) || !type_is_sequence(val_type(a))) continue;
    long l = (long)val_len(a);
    if (len < 0) {
      len = l;
      len_arg = i;
    } else if (l != len) {
      return fn_arg_error(c, i + 1, "argument %zu has length %ld, which is inconsistent with argument %zu of length %ld",
                          i + 1, l, len_arg + 1, len);
    }
  }
  if (len < 0) len = 1;
  Value **items = xmalloc(((size_t)len + 1) * sizeof *items);
  Value **row = xmalloc((n + 1) * sizeof *row);
  Value *res = NULL;
  long k;
  for (k = 0; k < len; k++) {
    for (size_t i = 0; i < n; i++) {
      const Value *a = c->args[i + 1];
      if (!val_is_null(a) && type_is_sequence(val_type(a))) row[i] = val_elems(a)[k];
      else row[i] = c->args[i + 1];
    }
    size_t used;
    char *err = NULL;
    char *s = render(val_str(c->args[0]), val_str_len(c->args[0]), row, n, &used, &err);
    if (!s) {
      fn_error(c, "error on format iteration %ld: %s", k, err);
      free(err);
      break;
    }
    if (used < n) {
      free(s);
      if (used == 0) fn_error(c, "error on format iteration %ld: too many arguments; no verbs in format string", k);
      else fn_error(c, "error on format iteration %ld: too many arguments; only %zu used by format string", k, used);
      break;
    }
    items[k] = val_cstring(s);
    free(s);
  }
  if (k == len) res = val_list(T_STRING, items, (size_t)len);
  for (long j = 0; j < k; j++) val_free(items[j]);
  free(items);
  free(row);
  return res;
}

const FnDef fn_defs_format[] = {
    {"format", {{"format", FT_STRING, 0}}, 1, {"args", FT_ANY, FP_NULL}, FT_STRING, NULL, f_format},
    {"formatlist", {{"format", FT_STRING, 0}}, 1, {"args", FT_ANY, FP_NULL}, FT_LIST_STRING, NULL,
     f_formatlist},
    {NULL, {{0}}, 0, {0}, FT_ANY, NULL, NULL},
};
