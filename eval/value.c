/*
** eval/value.c — values: construction, reference counting, marks, numbers,
** collections, indexing, equality and set order. See value.h.
**
** A value is one malloc: the header plus, inline after it, the bytes of a
** string or the element pointers (and map keys) of a collection. Numbers that
** are exact int64 integers skip MPFR entirely (VF_INT); the rest are mpfr_t
** at the precision go-cty's big.Float would have.
*/
#include "eval/value_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "base/buf.h"
#include "base/util.h"

/* ------------------------------------------------------------ lifecycle */

static Value v_true = {VAL_IMMORTAL, 0, 0, &ty_bool, {.b = true}};
static Value v_false = {VAL_IMMORTAL, 0, 0, &ty_bool, {.b = false}};
static Value v_null_dyn = {VAL_IMMORTAL, VF_NULL, 0, &ty_dynamic, {.i = 0}};
static Value v_unk_dyn = {VAL_IMMORTAL, VF_UNKNOWN | VF_DEEPUNK, 0, &ty_dynamic, {.i = 0}};
static Value v_unk_bool = {VAL_IMMORTAL, VF_UNKNOWN | VF_DEEPUNK, 0, &ty_bool, {.i = 0}};
static Value v_unk_str = {VAL_IMMORTAL, VF_UNKNOWN | VF_DEEPUNK, 0, &ty_string, {.i = 0}};
static Value v_unk_num = {VAL_IMMORTAL, VF_UNKNOWN | VF_DEEPUNK, 0, &ty_number, {.i = 0}};

Value *val_alloc(const Type *t, uint8_t flags, size_t extra) {
  Value *v = xmalloc(sizeof *v + extra);
  atomic_init(&v->rc, 1);
  v->flags = flags;
  v->prec = 0;
  v->type = t;
  memset(&v->u, 0, sizeof v->u);
  return v;
}

Value *val_ref(const Value *cv) {
  Value *v = (Value *)cv;
  if (v && atomic_load_explicit(&v->rc, memory_order_relaxed) != VAL_IMMORTAL)
    atomic_fetch_add_explicit(&v->rc, 1, memory_order_relaxed);
  return v;
}

static bool has_payload(const Value *v) { return !(v->flags & (VF_NULL | VF_UNKNOWN)); }

void val_free(Value *v) {
  if (!v || atomic_load_explicit(&v->rc, memory_order_relaxed) == VAL_IMMORTAL) return;
  if (atomic_fetch_sub_explicit(&v->rc, 1, memory_order_acq_rel) != 1) return;
  if (has_payload(v)) {
    switch (v->type->kind) {
      case TY_NUMBER:
        if (!(v->flags & VF_INT)) mpfr_clear(v->u.m);
        break;
      case TY_LIST:
      case TY_SET:
      case TY_MAP:
      case TY_TUPLE:
      case TY_OBJECT:
        for (size_t i = 0; i < v->u.coll.n; i++) val_free(v->u.coll.el[i]);
        break;
      default: break;
    }
  }
  free(v);
}

/* ------------------------------------------------------------ constructors */

Value *val_null(const Type *t) {
  if (t == T_DYNAMIC) return &v_null_dyn;
  return val_alloc(t, VF_NULL, 0);
}

Value *val_unknown(const Type *t) {
  if (t == T_DYNAMIC) return &v_unk_dyn;
  if (t == T_BOOL) return &v_unk_bool;
  if (t == T_STRING) return &v_unk_str;
  if (t == T_NUMBER) return &v_unk_num;
  return val_alloc(t, VF_UNKNOWN | VF_DEEPUNK, 0);
}

Value *val_bool(bool b) { return b ? &v_true : &v_false; }

Value *val_num_int(int64_t i, unsigned prec) {
  Value *v = val_alloc(T_NUMBER, VF_INT, 0);
  v->prec = (uint16_t)prec;
  v->u.i = i;
  return v;
}

Value *val_number_i64(int64_t i) { return val_num_int(i, 64); }

Value *val_num_from_mpfr(mpfr_srcptr x, unsigned prec) {
  if (mpfr_number_p(x) && mpfr_integer_p(x) && mpfr_fits_slong_p(x, MPFR_RNDN) &&
      !(mpfr_zero_p(x) && mpfr_signbit(x)))
    return val_num_int((int64_t)mpfr_get_si(x, MPFR_RNDN), prec);
  Value *v = val_alloc(T_NUMBER, 0, 0);
  v->prec = (uint16_t)prec;
  mpfr_init2(v->u.m, (mpfr_prec_t)prec);
  mpfr_set(v->u.m, x, MPFR_RNDN);
  return v;
}

Value *val_number_double(double d) {
  mpfr_t x;
  mpfr_init2(x, 53);
  mpfr_set_d(x, d, MPFR_RNDN);
  Value *v = val_num_from_mpfr(x, 53);
  mpfr_clear(x);
  return v;
}

Value *val_number_mpfr(mpfr_srcptr x) {
  return val_num_from_mpfr(x, (unsigned)mpfr_get_prec(x));
}

/* Go's big.ParseFloat syntax in base 10: [+-] (digits [. digits*] | . digits)
** [(e|E) [+-] digits], or [+-]Inf / inf. */
static bool number_syntax(const char *s, size_t n, bool *is_inf) {
  size_t i = 0;
  *is_inf = false;
  if (i < n && (s[i] == '+' || s[i] == '-')) i++;
  if (n - i == 3 && (s[i] == 'I' || s[i] == 'i') && s[i + 1] == 'n' && s[i + 2] == 'f') {
    *is_inf = true;
    return true;
  }
  size_t d = 0;
  while (i < n && isdigit((unsigned char)s[i])) i++, d++;
  if (i < n && s[i] == '.') {
    i++;
    while (i < n && isdigit((unsigned char)s[i])) i++, d++;
  }
  if (d == 0) return false;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if (i < n && (s[i] == '+' || s[i] == '-')) i++;
    size_t e = 0;
    while (i < n && isdigit((unsigned char)s[i])) i++, e++;
    if (!e) return false;
  }
  return i == n;
}

Value *val_number_parse(const char *s, size_t n) {
  bool inf;
  if (!number_syntax(s, n, &inf)) return NULL;
  /* fast path: short plain integers */
  if (n <= 18) {
    size_t i = 0;
    bool neg = false;
    if (s[0] == '-' || s[0] == '+') neg = s[0] == '-', i++;
    if (i < n) {
      int64_t x = 0;
      size_t j = i;
      for (; j < n && isdigit((unsigned char)s[j]); j++) x = x * 10 + (s[j] - '0');
      if (j == n && !(neg && x == 0)) return val_num_int(neg ? -x : x, VAL_PREC);
    }
  }
  char buf[64];
  char *tmp = n < sizeof buf ? buf : xmalloc(n + 1);
  memcpy(tmp, s, n);
  tmp[n] = 0;
  mpfr_t x;
  mpfr_init2(x, VAL_PREC);
  if (inf) mpfr_set_inf(x, s[0] == '-' ? -1 : 1);
  else mpfr_strtofr(x, tmp, NULL, 10, MPFR_RNDN);
  if (tmp != buf) free(tmp);
  Value *v = val_num_from_mpfr(x, VAL_PREC);
  mpfr_clear(x);
  return v;
}

static bool is_ascii(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] >= 0x80) return false;
  return true;
}

static Value *string_raw(const char *s, size_t n) {
  Value *v = val_alloc(T_STRING, 0, n + 1);
  v->u.str.len = n;
  v->u.str.s = (char *)(v + 1);
  memcpy(v->u.str.s, s, n);
  v->u.str.s[n] = 0;
  return v;
}

Value *val_string(const char *s, size_t n) {
  if (is_ascii(s, n)) return string_raw(s, n);
  utf8proc_uint8_t *out = NULL;
  utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &out,
                                    UTF8PROC_STABLE | UTF8PROC_COMPOSE);
  if (r < 0) return string_raw(s, n); /* invalid UTF-8: kept as given */
  Value *v = string_raw((const char *)out, (size_t)r);
  free(out);
  return v;
}

Value *val_cstring(const char *s) { return val_string(s, strlen(s)); }

static uint8_t deep_flags(Value *const *el, size_t n) {
  uint8_t f = 0;
  for (size_t i = 0; i < n; i++) f |= el[i]->flags & (VF_DEEPSENS | VF_DEEPUNK);
  return f;
}

Value *val_coll_own(const Type *t, Value **el, const char *const *keys, size_t n) {
  size_t keybytes = 0;
  if (keys)
    for (size_t i = 0; i < n; i++) keybytes += strlen(keys[i]) + 1;
  size_t extra = n * sizeof(Value *) + (keys ? n * sizeof(char *) + keybytes : 0);
  Value *v = val_alloc(t, deep_flags(el, n), extra);
  v->u.coll.n = n;
  v->u.coll.el = (Value **)(v + 1);
  if (n) memcpy(v->u.coll.el, el, n * sizeof *el);
  if (keys) {
    const char **kp = (const char **)(v->u.coll.el + n);
    char *kb = (char *)(kp + n);
    for (size_t i = 0; i < n; i++) {
      size_t l = strlen(keys[i]) + 1;
      memcpy(kb, keys[i], l);
      kp[i] = kb;
      kb += l;
    }
    v->u.coll.keys = kp;
  } else if (t->kind == TY_OBJECT) {
    v->u.coll.keys = (const char **)t->names;
  }
  return v;
}

static Value **ref_all(Value *const *elems, size_t n, Value **stack, size_t nstack) {
  Value **el = n <= nstack ? stack : xmalloc(n * sizeof *el);
  for (size_t i = 0; i < n; i++) el[i] = val_ref(elems[i]);
  return el;
}

Value *val_list(const Type *elem, Value *const *elems, size_t n) {
  if (!elem) elem = n ? elems[0]->type : T_DYNAMIC;
  Value *stack[16] = {0};
  Value **el = ref_all(elems, n, stack, 16);
  Value *v = val_coll_own(type_list(elem), el, NULL, n);
  if (el != stack) free(el);
  return v;
}

static int set_cmp_qsort(const void *a, const void *b) {
  return val_set_order(*(Value *const *)a, *(Value *const *)b);
}

Value *val_set(const Type *elem, Value *const *elems, size_t n) {
  if (!elem) elem = n ? elems[0]->type : T_DYNAMIC;
  Value **el = xmalloc((n ? n : 1) * sizeof *el);
  bool sens = false;
  for (size_t i = 0; i < n; i++) {
    if (elems[i]->flags & VF_DEEPSENS) {
      sens = true;
      el[i] = val_unmark_deep(elems[i]);
    } else {
      el[i] = val_ref(elems[i]);
    }
  }
  if (n > 1) qsort(el, n, sizeof *el, set_cmp_qsort);
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    if (m && val_is_wholly_known(el[i]) && val_is_wholly_known(el[m - 1]) &&
        val_raw_equal(el[m - 1], el[i])) {
      val_free(el[i]);
      continue;
    }
    el[m++] = el[i];
  }
  Value *v = val_coll_own(type_set(elem), el, NULL, m);
  free(el);
  if (sens) v = val_take_sens(v, true);
  return v;
}

Value *val_tuple(Value *const *elems, size_t n) {
  const Type *tstack[16] = {0};
  const Type **tt = n <= 16 ? tstack : xmalloc(n * sizeof *tt);
  for (size_t i = 0; i < n; i++) tt[i] = elems[i]->type;
  const Type *t = type_tuple(tt, n);
  if (tt != tstack) free(tt);
  Value *stack[16] = {0};
  Value **el = ref_all(elems, n, stack, 16);
  Value *v = val_coll_own(t, el, NULL, n);
  if (el != stack) free(el);
  return v;
}

Value *val_empty_tuple(void) { return val_tuple(NULL, 0); }
Value *val_empty_object(void) { return val_object(NULL, NULL, 0); }

typedef struct KV {
  const char *k;
  Value *v;
  size_t pos;
} KV;

static int kv_cmp(const void *a, const void *b) {
  const KV *x = a, *y = b;
  int c = strcmp(x->k, y->k);
  if (c) return c;
  return x->pos < y->pos ? -1 : x->pos > y->pos;
}

Value *val_map(const Type *elem, const char *const *keys, Value *const *vals, size_t n) {
  if (!elem) elem = n ? vals[0]->type : T_DYNAMIC;
  KV *kv = xmalloc((n ? n : 1) * sizeof *kv);
  bool sorted = true;
  for (size_t i = 0; i < n; i++) {
    kv[i].k = keys[i];
    kv[i].v = vals[i];
    kv[i].pos = i;
    if (i && strcmp(keys[i - 1], keys[i]) >= 0) sorted = false;
  }
  if (!sorted) qsort(kv, n, sizeof *kv, kv_cmp);
  Value **el = xmalloc((n ? n : 1) * sizeof *el);
  const char **kk = xmalloc((n ? n : 1) * sizeof *kk);
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    if (i + 1 < n && strcmp(kv[i].k, kv[i + 1].k) == 0) continue; /* last one wins */
    kk[m] = kv[i].k;
    el[m++] = val_ref(kv[i].v);
  }
  Value *v = val_coll_own(type_map(elem), el, kk, m);
  free(kv);
  free(el);
  free(kk);
  return v;
}

Value *val_object(const char *const *names, Value *const *vals, size_t n) {
  KV kstack[16];
  KV *kv = n <= 16 ? kstack : xmalloc(n * sizeof *kv);
  bool sorted = true;
  for (size_t i = 0; i < n; i++) {
    kv[i].k = names[i];
    kv[i].v = vals[i];
    kv[i].pos = i;
    if (i && strcmp(names[i - 1], names[i]) >= 0) sorted = false;
  }
  if (!sorted) qsort(kv, n, sizeof *kv, kv_cmp);
  const char *nstack[16] = {0};
  const Type *tstack[16] = {0};
  Value *vstack[16];
  const char **nm = n <= 16 ? nstack : xmalloc(n * sizeof *nm);
  const Type **tt = n <= 16 ? tstack : xmalloc(n * sizeof *tt);
  Value **el = n <= 16 ? vstack : xmalloc(n * sizeof *el);
  for (size_t i = 0; i < n; i++) {
    nm[i] = kv[i].k;
    tt[i] = kv[i].v->type;
    el[i] = val_ref(kv[i].v);
  }
  const Type *t = type_object(nm, tt, n);
  Value *v = val_coll_own(t, el, NULL, n);
  if (n > 16) free(kv), free(nm), free(tt), free(el);
  return v;
}

/* ------------------------------------------------------------ marks */

/* A shallow copy of v (same payload, shared children). */
static Value *shallow_copy(const Value *v) {
  if (!has_payload(v)) {
    Value *c = val_alloc(v->type, v->flags, 0);
    c->prec = v->prec;
    return c;
  }
  switch (v->type->kind) {
    case TY_STRING: {
      Value *c = string_raw(v->u.str.s, v->u.str.len);
      c->flags = v->flags;
      return c;
    }
    case TY_NUMBER: {
      if (v->flags & VF_INT) {
        Value *c = val_num_int(v->u.i, v->prec);
        c->flags = v->flags;
        return c;
      }
      Value *c = val_num_from_mpfr(v->u.m, v->prec);
      c->flags = v->flags;
      return c;
    }
    case TY_BOOL: {
      Value *c = val_alloc(T_BOOL, v->flags, 0);
      c->u.b = v->u.b;
      return c;
    }
    case TY_DYNAMIC: return val_alloc(v->type, v->flags, 0);
    default: {
      size_t n = v->u.coll.n;
      Value **el = xmalloc((n ? n : 1) * sizeof *el);
      for (size_t i = 0; i < n; i++) el[i] = val_ref(v->u.coll.el[i]);
      Value *c = val_coll_own(v->type, el, v->type->kind == TY_MAP ? v->u.coll.keys : NULL, n);
      free(el);
      c->flags = v->flags;
      return c;
    }
  }
}

static uint8_t recompute_deep(Value *v) {
  uint8_t f = v->flags & ~(VF_DEEPSENS | VF_DEEPUNK);
  if (f & VF_SENS) f |= VF_DEEPSENS;
  if (f & VF_UNKNOWN) f |= VF_DEEPUNK;
  if (has_payload(v) && !type_is_primitive(v->type) && v->type->kind != TY_DYNAMIC)
    f |= deep_flags(v->u.coll.el, v->u.coll.n);
  return f;
}

Value *val_take_sens(Value *v, bool sens) {
  if (!!(v->flags & VF_SENS) == sens) return v;
  Value *c = atomic_load(&v->rc) == 1 ? v : shallow_copy(v);
  if (c != v) val_free(v);
  if (sens) c->flags |= VF_SENS;
  else c->flags &= (uint8_t)~VF_SENS;
  c->flags = recompute_deep(c);
  return c;
}

Value *val_mark_sensitive(const Value *v) { return val_take_sens(val_ref(v), true); }

Value *val_mark_sensitive_if(const Value *v, bool s) {
  return s ? val_mark_sensitive(v) : val_ref(v);
}

Value *val_unmark(const Value *v) { return val_take_sens(val_ref(v), false); }

Value *val_unmark_deep(const Value *v) {
  if (!(v->flags & VF_DEEPSENS)) return val_ref(v);
  if (!has_payload(v) || type_is_primitive(v->type)) return val_unmark(v);
  size_t n = v->u.coll.n;
  Value **el = xmalloc((n ? n : 1) * sizeof *el);
  for (size_t i = 0; i < n; i++) el[i] = val_unmark_deep(v->u.coll.el[i]);
  Value *c = val_coll_own(v->type, el, v->type->kind == TY_MAP ? v->u.coll.keys : NULL, n);
  free(el);
  return c;
}

/* ------------------------------------------------------------ inspecting */

const Type *val_type(const Value *v) { return v->type; }
bool val_is_null(const Value *v) { return v->flags & VF_NULL; }
bool val_is_known(const Value *v) { return !(v->flags & VF_UNKNOWN); }
bool val_is_sensitive(const Value *v) { return v->flags & VF_SENS; }
bool val_has_sensitive(const Value *v) { return v->flags & VF_DEEPSENS; }
bool val_is_wholly_known(const Value *v) { return !(v->flags & VF_DEEPUNK); }

bool val_get_bool(const Value *v) { return v->u.b; }
const char *val_str(const Value *v) { return v->u.str.s; }
size_t val_str_len(const Value *v) { return v->u.str.len; }

bool val_get_i64(const Value *v, int64_t *out) {
  if (v->flags & VF_INT) {
    *out = v->u.i;
    return true;
  }
  if (mpfr_number_p(v->u.m) && mpfr_integer_p(v->u.m) && mpfr_fits_slong_p(v->u.m, MPFR_RNDN)) {
    *out = mpfr_get_si(v->u.m, MPFR_RNDN);
    return true;
  }
  return false;
}

double val_get_double(const Value *v) {
  if (v->flags & VF_INT) return (double)v->u.i;
  return mpfr_get_d(v->u.m, MPFR_RNDN);
}

void val_get_mpfr(const Value *v, mpfr_ptr out) {
  if (v->flags & VF_INT) mpfr_set_si(out, v->u.i, MPFR_RNDN);
  else mpfr_set(out, v->u.m, MPFR_RNDN);
}

/* Shortest decimal digits that read back (at x's precision, round to
** nearest even) as x: Go's big.Float Text('f', -1). */
static void shortest_digits(mpfr_srcptr x, Buf *b) {
  mpfr_prec_t p = mpfr_get_prec(x);
  size_t maxd = (size_t)(p * 0.30103) + 3;
  mpfr_t y;
  mpfr_init2(y, p);
  char *digits = NULL;
  mpfr_exp_t e = 0;
  size_t lo = 1, hi = maxd;
  /* Binary search for the smallest digit count that round-trips. */
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    mpfr_exp_t ee;
    char *d = mpfr_get_str(NULL, &ee, 10, mid, x, MPFR_RNDN);
    char *txt = xasprintf("%s%s%se%ld", d[0] == '-' ? "-" : "", "0.", d[0] == '-' ? d + 1 : d, (long)ee);
    mpfr_set_str(y, txt, 10, MPFR_RNDN);
    free(txt);
    mpfr_free_str(d);
    if (mpfr_equal_p(x, y)) hi = mid;
    else lo = mid + 1;
  }
  digits = mpfr_get_str(NULL, &e, 10, lo, x, MPFR_RNDN);
  const char *d = digits;
  if (*d == '-') {
    buf_putc(b, '-');
    d++;
  }
  size_t nd = strlen(d);
  while (nd > 1 && d[nd - 1] == '0') nd--;
  if (e > 1000000 || e < -1000000) {
    /* Terraform would write every digit; beyond a million of them (a
    ** gigabyte for 1e999999999) tfc writes the exponent instead. */
    buf_add(b, d, 1);
    if (nd > 1) {
      buf_putc(b, '.');
      buf_add(b, d + 1, nd - 1);
    }
    buf_printf(b, "e%+ld", (long)(e - 1));
  } else if (e <= 0) {
    buf_puts(b, "0.");
    for (mpfr_exp_t i = 0; i < -e; i++) buf_putc(b, '0');
    buf_add(b, d, nd);
  } else if ((size_t)e >= nd) {
    buf_add(b, d, nd);
    for (size_t i = nd; i < (size_t)e; i++) buf_putc(b, '0');
  } else {
    buf_add(b, d, (size_t)e);
    buf_putc(b, '.');
    buf_add(b, d + e, nd - (size_t)e);
  }
  mpfr_free_str(digits);
  mpfr_clear(y);
}

static void number_text(const Value *v, Buf *b) {
  if (v->flags & VF_INT) {
    buf_printf(b, "%lld", (long long)v->u.i);
    return;
  }
  if (mpfr_inf_p(v->u.m)) {
    buf_puts(b, mpfr_signbit(v->u.m) ? "-Inf" : "+Inf");
    return;
  }
  if (mpfr_nan_p(v->u.m)) {
    buf_puts(b, "NaN");
    return;
  }
  if (mpfr_zero_p(v->u.m)) {
    buf_puts(b, mpfr_signbit(v->u.m) ? "-0" : "0");
    return;
  }
  shortest_digits(v->u.m, b);
}

char *val_number_text(const Value *v) {
  Buf b = BUF_INIT;
  number_text(v, &b);
  return buf_take(&b);
}

void val_number_text_buf(const Value *v, Buf *b) { number_text(v, b); }

int val_num_cmp(const Value *a, const Value *b) {
  if ((a->flags & VF_INT) && (b->flags & VF_INT)) return (a->u.i > b->u.i) - (a->u.i < b->u.i);
  if (a->flags & VF_INT) {
    int c = mpfr_cmp_si(b->u.m, a->u.i);
    return (c < 0) - (c > 0);
  }
  if (b->flags & VF_INT) {
    int c = mpfr_cmp_si(a->u.m, b->u.i);
    return (c > 0) - (c < 0);
  }
  int c = mpfr_cmp(a->u.m, b->u.m);
  return (c > 0) - (c < 0);
}

/* ------------------------------------------------------------ arithmetic */

static void to_mpfr(const Value *v, mpfr_ptr out, mpfr_prec_t p) {
  mpfr_init2(out, p);
  val_get_mpfr(v, out);
}

Value *val_num_op(ValNumOp op, const Value *a, const Value *b, char **err) {
  unsigned prec = a->prec > b->prec ? a->prec : b->prec;
  if (prec < 64) prec = 64;
  if ((a->flags & VF_INT) && (b->flags & VF_INT)) {
    int64_t x = a->u.i, y = b->u.i, r;
    switch (op) {
      case VNUM_ADD:
        if (!__builtin_add_overflow(x, y, &r)) return val_num_int(r, prec);
        break;
      case VNUM_SUB:
        if (!__builtin_sub_overflow(x, y, &r)) return val_num_int(r, prec);
        break;
      case VNUM_MUL:
        if (!__builtin_mul_overflow(x, y, &r) && !(r == 0 && ((x < 0) != (y < 0))))
          return val_num_int(r, prec);
        break;
      case VNUM_DIV:
        if (y != 0 && !(x == INT64_MIN && y == -1) && x % y == 0 && !(x == 0 && y < 0))
          return val_num_int(x / y, prec);
        break;
      case VNUM_MOD:
        if (y == 0) return val_ref(a);
        if (y == -1) return val_num_int(0, prec);
        return val_num_int(x % y, prec);
    }
  }
  unsigned pa = a->prec ? a->prec : VAL_PREC, pb = b->prec ? b->prec : VAL_PREC;
  mpfr_prec_t p = (mpfr_prec_t)(pa > pb ? pa : pb);
  mpfr_t x, y, r;
  to_mpfr(a, x, p);
  to_mpfr(b, y, p);
  mpfr_init2(r, p);
  Value *res = NULL;
  switch (op) {
    case VNUM_ADD: mpfr_add(r, x, y, MPFR_RNDN); break;
    case VNUM_SUB: mpfr_sub(r, x, y, MPFR_RNDN); break;
    case VNUM_MUL: mpfr_mul(r, x, y, MPFR_RNDN); break;
    case VNUM_DIV:
      if ((mpfr_zero_p(x) && mpfr_zero_p(y)) || (mpfr_inf_p(x) && mpfr_inf_p(y))) {
        if (err) *err = xstrdup("can't divide zero by zero or infinity by infinity");
        goto done;
      }
      mpfr_div(r, x, y, MPFR_RNDN);
      break;
    case VNUM_MOD:
      if (mpfr_inf_p(x) || mpfr_inf_p(y)) {
        mpfr_mul(r, x, y, MPFR_RNDN);
        break;
      }
      if (mpfr_zero_p(y)) {
        res = val_ref(a);
        goto done;
      } else {
        mpfr_t q;
        mpfr_init2(q, p);
        mpfr_div(q, x, y, MPFR_RNDN);
        mpfr_trunc(q, q);
        mpfr_mul(q, q, y, MPFR_RNDN);
        mpfr_sub(r, x, q, MPFR_RNDN);
        mpfr_clear(q);
      }
      break;
  }
  if (mpfr_nan_p(r)) {
    if (err)
      *err = xstrdup(op == VNUM_ADD ? "can't compute sum of opposing infinities"
                     : op == VNUM_SUB ? "can't subtract infinity from itself"
                     : op == VNUM_MUL ? "can't multiply zero by infinity"
                                      : "can't divide zero by zero or infinity by infinity");
    goto done;
  }
  res = val_num_from_mpfr(r, (unsigned)p);
done:
  mpfr_clear(x);
  mpfr_clear(y);
  mpfr_clear(r);
  return res;
}

Value *val_num_neg(const Value *a) {
  if ((a->flags & VF_INT) && a->u.i != INT64_MIN && a->u.i != 0) return val_num_int(-a->u.i, a->prec);
  mpfr_prec_t p = a->prec ? a->prec : VAL_PREC;
  mpfr_t x;
  to_mpfr(a, x, p);
  mpfr_neg(x, x, MPFR_RNDN);
  Value *r = val_num_from_mpfr(x, (unsigned)p);
  mpfr_clear(x);
  return r;
}

/* ------------------------------------------------------------ collections */

size_t val_len(const Value *v) {
  if (!has_payload(v) || type_is_primitive(v->type) || v->type->kind == TY_DYNAMIC) return 0;
  return v->u.coll.n;
}

Value *const *val_elems(const Value *v) { return v->u.coll.el; }

const char *const *val_keys(const Value *v) {
  if (v->type->kind != TY_MAP && v->type->kind != TY_OBJECT) return NULL;
  if (!has_payload(v)) return v->type->kind == TY_OBJECT ? v->type->names : NULL;
  return v->u.coll.keys;
}

bool val_iter_next(ValIter *it) {
  it->i++;
  if (it->i >= val_len(it->coll)) return false;
  it->elem = it->coll->u.coll.el[it->i];
  it->key = it->coll->u.coll.keys ? it->coll->u.coll.keys[it->i] : NULL;
  return true;
}

static long key_index(const Value *v, const char *key) {
  size_t lo = 0, hi = v->u.coll.n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = strcmp(v->u.coll.keys[mid], key);
    if (c == 0) return (long)mid;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return -1;
}

Value *val_map_get(const Value *map, const char *key) {
  if (!has_payload(map) || map->type->kind != TY_MAP) return NULL;
  long i = key_index(map, key);
  return i < 0 ? NULL : val_ref(map->u.coll.el[i]);
}

Value *val_attr(const Value *obj, const char *name) {
  if (obj->type->kind != TY_OBJECT) return NULL;
  long i = type_attr_index(obj->type, name);
  if (i < 0) return NULL;
  if (!has_payload(obj)) return obj->flags & VF_NULL ? val_null(obj->type->elems[i]) : val_unknown(obj->type->elems[i]);
  return val_ref(obj->u.coll.el[i]);
}

/* ------------------------------------------------------------ index, attr */

static int num_sign(const Value *v) {
  if (v->flags & VF_INT) return (v->u.i > 0) - (v->u.i < 0);
  return mpfr_sgn(v->u.m);
}

static Value *with_sens(Value *v, bool sens) { return sens ? val_take_sens(v, true) : v; }

static size_t levenshtein(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 64 || lb > 64) return 99;
  size_t d[65];
  for (size_t j = 0; j <= lb; j++) d[j] = j;
  for (size_t i = 1; i <= la; i++) {
    size_t prev = d[0];
    d[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t cur = d[j];
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      size_t m = prev + cost;
      if (d[j] + 1 < m) m = d[j] + 1;
      if (d[j - 1] + 1 < m) m = d[j - 1] + 1;
      d[j] = m;
      prev = cur;
    }
  }
  return d[lb];
}

/* hcl's nameSuggestion: the first candidate within edit distance 2. */
const char *val_suggest(const char *given, const char *const *cands, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (levenshtein(given, cands[i]) < 3) return cands[i];
  return NULL;
}

Value *val_index(const Value *coll, const Value *key, SrcRange rng, DiagList *diags) {
  const char *inv = "Invalid index";
  if (coll->flags & VF_NULL) {
    diag_error(diags, rng, "Attempt to index null value", "This value is null, so it does not have any indices.");
    return NULL;
  }
  if (key->flags & VF_NULL) {
    diag_error(diags, rng, inv, "Can't use a null value as an indexing key.");
    return NULL;
  }
  const Type *ty = coll->type, *kty = key->type;
  bool sens = (coll->flags & VF_SENS) || (key->flags & VF_SENS);
  if (kty == T_DYNAMIC || ty == T_DYNAMIC) return with_sens(val_unknown(T_DYNAMIC), coll->flags & VF_SENS);
  switch (ty->kind) {
    case TY_LIST:
    case TY_TUPLE:
    case TY_MAP: {
      const Type *want = ty->kind == TY_MAP ? T_STRING : T_NUMBER;
      ValConvErr ce = {0};
      Value *k = val_convert(key, want, &ce);
      if (!k) {
        diag_error(diags, rng, inv, "The given key does not identify an element in this collection value: %s.", ce.msg);
        val_conv_err_free(&ce);
        return NULL;
      }
      if (!(coll->flags & VF_UNKNOWN) && !(k->flags & VF_UNKNOWN)) {
        long idx = -1;
        if (ty->kind == TY_MAP) {
          idx = key_index(coll, k->u.str.s);
        } else {
          int64_t i;
          if (val_get_i64(k, &i) && i >= 0 && (size_t)i < coll->u.coll.n) idx = (long)i;
          else if (!(k->flags & VF_SENS)) {
            const char *why = NULL;
            bool whole = (k->flags & VF_INT) || (mpfr_number_p(k->u.m) && mpfr_integer_p(k->u.m));
            if (!whole) {
              mpfr_t x;
              mpfr_init2(x, k->prec);
              val_get_mpfr(k, x);
              char g[64];
              mpfr_snprintf(g, sizeof g, "%.10Rg", x);
              mpfr_clear(x);
              diag_error(diags, rng, inv,
                         "The given key does not identify an element in this collection value: indexing a "
                         "sequence requires a whole number, but the given index (%s) has a fractional part.",
                         g);
              val_free(k);
              return NULL;
            }
            if (num_sign(k) < 0) why = "a negative number is not a valid index for a sequence";
            else if (coll->u.coll.n == 0) why = "the collection has no elements";
            else why = "the given index is greater than or equal to the length of the collection";
            diag_error(diags, rng, inv, "The given key does not identify an element in this collection value: %s.", why);
            val_free(k);
            return NULL;
          }
        }
        if (idx < 0) {
          diag_error(diags, rng, inv, "The given key does not identify an element in this collection value.");
          val_free(k);
          return NULL;
        }
        val_free(k);
        return with_sens(val_ref(coll->u.coll.el[idx]), sens);
      }
      val_free(k);
      if (ty->kind == TY_TUPLE) return with_sens(val_unknown(T_DYNAMIC), coll->flags & VF_SENS);
      return with_sens(val_unknown(ty->elem), coll->flags & VF_SENS);
    }
    case TY_OBJECT: {
      bool was_number = kty == T_NUMBER;
      ValConvErr ce = {0};
      Value *k = val_convert(key, T_STRING, &ce);
      if (!k) {
        diag_error(diags, rng, inv, "The given key does not identify an element in this collection value: %s.", ce.msg);
        val_conv_err_free(&ce);
        return NULL;
      }
      if ((coll->flags & VF_UNKNOWN) || (k->flags & VF_UNKNOWN)) {
        val_free(k);
        return with_sens(val_unknown(T_DYNAMIC), coll->flags & VF_SENS);
      }
      long i = type_attr_index(ty, k->u.str.s);
      val_free(k);
      if (i < 0) {
        diag_error(diags, rng, inv, "The given key does not identify an element in this collection value.%s",
                   was_number ? " An object only supports looking up attributes by name, not by numeric index." : "");
        return NULL;
      }
      return with_sens(val_ref(coll->u.coll.el[i]), sens);
    }
    case TY_SET:
      diag_error(diags, rng, inv,
                 "Elements of a set are identified only by their value and don't have any separate index or key "
                 "to select with, so it's only possible to perform operations across all elements of the set.");
      return NULL;
    default:
      diag_error(diags, rng, inv, "This value does not have any indices.");
      return NULL;
  }
}

Value *val_getattr(const Value *obj, const char *name, SrcRange rng, DiagList *diags) {
  const char *un = "Unsupported attribute";
  if (obj->flags & VF_NULL) {
    diag_error(diags, rng, "Attempt to get attribute from null value",
               "This value is null, so it does not have any attributes.");
    return NULL;
  }
  const Type *ty = obj->type;
  bool sens = obj->flags & VF_SENS;
  switch (ty->kind) {
    case TY_OBJECT: {
      long i = type_attr_index(ty, name);
      if (i < 0) {
        const char *s = val_suggest(name, ty->names, ty->n);
        if (s) diag_error(diags, rng, un, "This object does not have an attribute named \"%s\". Did you mean \"%s\"?", name, s);
        else diag_error(diags, rng, un, "This object does not have an attribute named \"%s\".", name);
        return NULL;
      }
      if (obj->flags & VF_UNKNOWN) return with_sens(val_unknown(ty->elems[i]), sens);
      return with_sens(val_ref(obj->u.coll.el[i]), sens);
    }
    case TY_MAP: {
      if (obj->flags & VF_UNKNOWN) return with_sens(val_unknown(ty->elem), sens);
      long i = key_index(obj, name);
      if (i < 0) {
        diag_error(diags, rng, "Missing map element", "This map does not have an element with the key \"%s\".", name);
        return NULL;
      }
      return with_sens(val_ref(obj->u.coll.el[i]), sens);
    }
    case TY_DYNAMIC: return with_sens(val_unknown(T_DYNAMIC), sens);
    case TY_LIST:
      if (ty->elem->kind == TY_OBJECT) {
        if (type_attr_index(ty->elem, name) >= 0)
          diag_error(diags, rng, un,
                     "Can't access attributes on a list of objects. Did you mean to access attribute \"%s\" for a "
                     "specific element of the list, or across all elements of the list?",
                     name);
        else
          diag_error(diags, rng, un,
                     "Can't access attributes on a list of objects. Did you mean to access an attribute for a "
                     "specific element of the list, or across all elements of the list?");
        return NULL;
      }
      break;
    case TY_SET:
      if (ty->elem->kind == TY_OBJECT) {
        diag_error(diags, rng, un,
                   "Can't access attributes on a set of objects. Did you mean to access an attribute across all "
                   "elements of the set?");
        return NULL;
      }
      break;
    case TY_STRING:
    case TY_NUMBER:
    case TY_BOOL: {
      char *fn = type_friendly_name(ty);
      diag_error(diags, rng, un, "Can't access attributes on a primitive-typed value (%s).", fn);
      free(fn);
      return NULL;
    }
    default: break;
  }
  diag_error(diags, rng, un, "This value does not have any attributes.");
  return NULL;
}

/* ------------------------------------------------------------ equality */

/* cty's HasWhollyKnownType: no unknown value whose type involves dynamic. */
static bool wholly_known_type(const Value *v) {
  if (v->flags & VF_NULL) return true;
  if (v->flags & VF_UNKNOWN) return !type_has_dynamic(v->type);
  if (type_is_primitive(v->type) || !(v->flags & VF_DEEPUNK)) return true;
  for (size_t i = 0; i < v->u.coll.n; i++)
    if (!wholly_known_type(v->u.coll.el[i])) return false;
  return true;
}

/* 1 true, 0 false, -1 unknown; a and b unmarked-equivalent. */
static int equals3(const Value *a, const Value *b) {
  bool ka = !(a->flags & VF_UNKNOWN), kb = !(b->flags & VF_UNKNOWN);
  if (!ka && !kb) return -1;
  if (ka && !kb) {
    if ((a->flags & VF_NULL) || type_has_dynamic(b->type)) return -1;
    if (a->type != b->type) return 0;
    return -1;
  }
  if (!ka && kb) {
    if ((b->flags & VF_NULL) || type_has_dynamic(a->type)) return -1;
    if (a->type != b->type) return 0;
    return -1;
  }
  bool na = a->flags & VF_NULL, nb = b->flags & VF_NULL;
  if (na && nb) return 1;
  if (na || nb) return 0;
  if (!wholly_known_type(a) || !wholly_known_type(b)) {
    if (!type_can_convert(a->type, b->type) && !type_can_convert(b->type, a->type)) return 0;
    return -1;
  }
  if (a->type != b->type) return 0;
  switch (a->type->kind) {
    case TY_NUMBER: return val_num_cmp(a, b) == 0;
    case TY_BOOL: return a->u.b == b->u.b;
    case TY_STRING: return a->u.str.len == b->u.str.len && memcmp(a->u.str.s, b->u.str.s, a->u.str.len) == 0;
    case TY_SET: {
      for (size_t i = 0; i < a->u.coll.n; i++)
        if (!val_is_wholly_known(a->u.coll.el[i])) return -1;
      for (size_t i = 0; i < b->u.coll.n; i++)
        if (!val_is_wholly_known(b->u.coll.el[i])) return -1;
      if (a->u.coll.n != b->u.coll.n) return 0;
      for (size_t i = 0; i < a->u.coll.n; i++)
        if (!val_raw_equal(a->u.coll.el[i], b->u.coll.el[i])) return 0;
      return 1;
    }
    case TY_MAP:
      if (a->u.coll.n != b->u.coll.n) return 0;
      for (size_t i = 0; i < a->u.coll.n; i++)
        if (strcmp(a->u.coll.keys[i], b->u.coll.keys[i]) != 0) return 0;
      /* fall through */
    case TY_LIST:
    case TY_TUPLE:
    case TY_OBJECT:
      if (a->u.coll.n != b->u.coll.n) return 0;
      for (size_t i = 0; i < a->u.coll.n; i++) {
        int e = equals3(a->u.coll.el[i], b->u.coll.el[i]);
        if (e != 1) return e;
      }
      return 1;
    default: return 0;
  }
}

Value *val_equals(const Value *a, const Value *b) {
  bool sens = (a->flags & VF_DEEPSENS) || (b->flags & VF_DEEPSENS);
  int e = equals3(a, b);
  Value *r = e < 0 ? val_unknown(T_BOOL) : val_bool(e == 1);
  return with_sens(r, sens);
}

bool val_raw_equal(const Value *a, const Value *b) {
  if (a == b) return true;
  if (a->type != b->type) return false;
  if ((a->flags & (VF_NULL | VF_UNKNOWN | VF_SENS)) != (b->flags & (VF_NULL | VF_UNKNOWN | VF_SENS))) return false;
  if (!has_payload(a)) return true;
  switch (a->type->kind) {
    case TY_NUMBER: return val_num_cmp(a, b) == 0;
    case TY_BOOL: return a->u.b == b->u.b;
    case TY_STRING: return a->u.str.len == b->u.str.len && memcmp(a->u.str.s, b->u.str.s, a->u.str.len) == 0;
    case TY_DYNAMIC: return true;
    default:
      if (a->u.coll.n != b->u.coll.n) return false;
      for (size_t i = 0; i < a->u.coll.n; i++) {
        if (a->type->kind == TY_MAP && strcmp(a->u.coll.keys[i], b->u.coll.keys[i]) != 0) return false;
        if (!val_raw_equal(a->u.coll.el[i], b->u.coll.el[i])) return false;
      }
      return true;
  }
}

/* ------------------------------------------------------------ set order */

/* cty's appendSetHashBytes: the serialised form that orders (and hashes)
** non-primitive set elements. */
static void set_bytes(const Value *v, Buf *b) {
  if (v->flags & VF_UNKNOWN) {
    buf_putc(b, '?');
    return;
  }
  if (v->flags & VF_NULL) {
    buf_putc(b, '~');
    return;
  }
  switch (v->type->kind) {
    case TY_NUMBER: {
      if (v->flags & VF_INT) {
        char tmp[64];
        if (v->u.i > -10000000000LL && v->u.i < 10000000000LL) snprintf(tmp, sizeof tmp, "%lld", (long long)v->u.i);
        else snprintf(tmp, sizeof tmp, "%.10g", (double)v->u.i);
        buf_puts(b, tmp);
      } else {
        char tmp[80];
        mpfr_snprintf(tmp, sizeof tmp, "%.10Rg", v->u.m);
        buf_puts(b, tmp);
      }
      return;
    }
    case TY_BOOL: buf_putc(b, v->u.b ? 'T' : 'F'); return;
    case TY_STRING: {
      char *q = val_quote(v->u.str.s, v->u.str.len);
      buf_puts(b, q);
      free(q);
      return;
    }
    case TY_MAP:
      buf_putc(b, '{');
      for (size_t i = 0; i < v->u.coll.n; i++) {
        char *q = val_quote(v->u.coll.keys[i], strlen(v->u.coll.keys[i]));
        buf_puts(b, q);
        free(q);
        buf_putc(b, ':');
        set_bytes(v->u.coll.el[i], b);
        buf_putc(b, ';');
      }
      buf_putc(b, '}');
      return;
    case TY_LIST:
    case TY_SET:
      buf_putc(b, '[');
      for (size_t i = 0; i < v->u.coll.n; i++) {
        set_bytes(v->u.coll.el[i], b);
        buf_putc(b, ';');
      }
      buf_putc(b, ']');
      return;
    case TY_OBJECT:
    case TY_TUPLE:
      buf_putc(b, '<');
      for (size_t i = 0; i < v->u.coll.n; i++) {
        set_bytes(v->u.coll.el[i], b);
        buf_putc(b, ';');
      }
      buf_putc(b, '>');
      return;
    default: return;
  }
}

int val_set_order(const Value *a, const Value *b) {
  bool ka = !(a->flags & VF_UNKNOWN), kb = !(b->flags & VF_UNKNOWN);
  if (ka && !kb) return -1;
  if (!ka && kb) return 1;
  if (!ka && !kb) return 0;
  if (!(a->flags & VF_NULL) && !(b->flags & VF_NULL) && a->type == b->type) {
    switch (a->type->kind) {
      case TY_STRING: {
        size_t n = a->u.str.len < b->u.str.len ? a->u.str.len : b->u.str.len;
        int c = memcmp(a->u.str.s, b->u.str.s, n);
        if (c) return c < 0 ? -1 : 1;
        return (a->u.str.len > b->u.str.len) - (a->u.str.len < b->u.str.len);
      }
      case TY_NUMBER: return val_num_cmp(a, b);
      case TY_BOOL: return (int)a->u.b - (int)b->u.b;
      default: break;
    }
  }
  Buf x = BUF_INIT, y = BUF_INIT;
  set_bytes(a, &x);
  set_bytes(b, &y);
  size_t n = x.len < y.len ? x.len : y.len;
  int c = n ? memcmp(x.s, y.s, n) : 0;
  if (!c) c = (x.len > y.len) - (x.len < y.len);
  buf_free(&x);
  buf_free(&y);
  return c < 0 ? -1 : c > 0;
}

uint32_t val_hash(const Value *v) {
  Buf x = BUF_INIT;
  set_bytes(v, &x);
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < x.len; i++) h = (h ^ (unsigned char)x.s[i]) * 16777619u;
  buf_free(&x);
  return h;
}

/* ------------------------------------------------------------ quoting */

char *val_quote(const char *s, size_t n) {
  Buf b = BUF_INIT;
  buf_putc(&b, '"');
  size_t i = 0;
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
      switch (c) {
        case '"': buf_puts(&b, "\\\""); break;
        case '\\': buf_puts(&b, "\\\\"); break;
        case '\a': buf_puts(&b, "\\a"); break;
        case '\b': buf_puts(&b, "\\b"); break;
        case '\f': buf_puts(&b, "\\f"); break;
        case '\n': buf_puts(&b, "\\n"); break;
        case '\r': buf_puts(&b, "\\r"); break;
        case '\t': buf_puts(&b, "\\t"); break;
        case '\v': buf_puts(&b, "\\v"); break;
        default:
          if (c < 0x20 || c == 0x7f) buf_printf(&b, "\\x%02x", c);
          else buf_putc(&b, (char)c);
      }
      i++;
      continue;
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
    if (l <= 0) {
      buf_printf(&b, "\\x%02x", c);
      i++;
      continue;
    }
    utf8proc_category_t cat = utf8proc_category(cp);
    bool printable = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_SO);
    if (printable) buf_add(&b, s + i, (size_t)l);
    else if (cp < 0x10000) buf_printf(&b, "\\u%04x", cp);
    else buf_printf(&b, "\\U%08x", cp);
    i += (size_t)l;
  }
  buf_putc(&b, '"');
  return buf_take(&b);
}
