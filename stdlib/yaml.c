/*
** stdlib/yaml.c — yamlencode and yamldecode, on libyaml.
**
** yamlencode follows go-cty-yaml's output: block style, every string and
** mapping key double-quoted (multi-line strings as literal blocks), numbers,
** bools and null plain, empty collections as [] and {}. yamldecode resolves
** untagged plain scalars with YAML 1.2's core schema (null, bool, int,
** float, else string), mappings become objects and sequences tuples, and
** aliases are expanded (an alias inside its own anchor's definition is an
** error, as in Terraform).
*/
#include "stdlib/fn.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "base/buf.h"
#include "base/util.h"

/* ------------------------------------------------------------ encode */

static int yaml_out(void *data, unsigned char *buf, size_t size) {
  buf_add((Buf *)data, (const char *)buf, size);
  return 1;
}

static bool emit_scalar(yaml_emitter_t *em, const char *s, size_t n, yaml_scalar_style_t st) {
  yaml_event_t ev;
  yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)n, 1, 1, st);
  return yaml_emitter_emit(em, &ev);
}

static bool emit_value(yaml_emitter_t *em, const Value *v) {
  yaml_event_t ev;
  if (val_is_null(v)) return emit_scalar(em, "null", 4, YAML_PLAIN_SCALAR_STYLE);
  const Type *t = val_type(v);
  switch (t->kind) {
  case TY_STRING: {
    bool multi = memchr(val_str(v), '\n', val_str_len(v)) != NULL;
    return emit_scalar(em, val_str(v), val_str_len(v),
                       multi ? YAML_LITERAL_SCALAR_STYLE : YAML_DOUBLE_QUOTED_SCALAR_STYLE);
  }
  case TY_BOOL:
    return emit_scalar(em, val_get_bool(v) ? "true" : "false", val_get_bool(v) ? 4 : 5,
                       YAML_PLAIN_SCALAR_STYLE);
  case TY_NUMBER: {
    char *s = val_number_text(v);
    bool ok = emit_scalar(em, s, strlen(s), YAML_PLAIN_SCALAR_STYLE);
    free(s);
    return ok;
  }
  case TY_LIST: case TY_SET: case TY_TUPLE: {
    yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
    if (!yaml_emitter_emit(em, &ev)) return false;
    ValIter it = val_iter(v);
    while (val_iter_next(&it))
      if (!emit_value(em, it.elem)) return false;
    yaml_sequence_end_event_initialize(&ev);
    return yaml_emitter_emit(em, &ev);
  }
  case TY_MAP: case TY_OBJECT: {
    yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
    if (!yaml_emitter_emit(em, &ev)) return false;
    ValIter it = val_iter(v);
    while (val_iter_next(&it)) {
      if (!emit_scalar(em, it.key, strlen(it.key), YAML_DOUBLE_QUOTED_SCALAR_STYLE)) return false;
      if (!emit_value(em, it.elem)) return false;
    }
    yaml_mapping_end_event_initialize(&ev);
    return yaml_emitter_emit(em, &ev);
  }
  case TY_DYNAMIC: return false;
  }
  return false;
}

static Value *f_yamlencode(FnCall *c) {
  if (!val_is_wholly_known(c->args[0])) return val_unknown(T_STRING);
  yaml_emitter_t em;
  yaml_event_t ev;
  Buf b = BUF_INIT;
  buf_add(&b, "", 0);
  yaml_emitter_initialize(&em);
  yaml_emitter_set_output(&em, yaml_out, &b);
  yaml_emitter_set_unicode(&em, 1);
  /* go-yaml (and so Terraform) folds double-quoted scalars at 80 columns */
  yaml_emitter_set_width(&em, 80);
  yaml_emitter_set_indent(&em, 2);
  bool ok = true;
  yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
  ok = ok && yaml_emitter_emit(&em, &ev);
  yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
  ok = ok && yaml_emitter_emit(&em, &ev);
  ok = ok && emit_value(&em, c->args[0]);
  yaml_document_end_event_initialize(&ev, 1);
  ok = ok && yaml_emitter_emit(&em, &ev);
  yaml_stream_end_event_initialize(&ev);
  ok = ok && yaml_emitter_emit(&em, &ev);
  yaml_emitter_flush(&em);
  yaml_emitter_delete(&em);
  if (!ok) {
    buf_free(&b);
    return fn_error(c, "failed to encode YAML");
  }
  /* go-yaml (an older libyaml port) closes a document whose only content
  ** is a plain scalar with a document end marker; libyaml 0.2 no longer does */
  const Value *v = c->args[0];
  if (val_is_null(v) || val_kind(v) == TY_BOOL || val_kind(v) == TY_NUMBER) buf_puts(&b, "...\n");
  Value *r = val_string(b.s, b.len);
  buf_free(&b);
  return r;
}

/* ------------------------------------------------------------ decode */

/* Decoding works on libyaml's event stream rather than its document
** API: only events tell an explicit tag (!!str true) from none, and carry
** anchor names for the error messages. */
typedef struct Anchor {
  char *name;
  Value *v;    /* NULL while its own definition is being read */
} Anchor;

typedef struct YDec {
  yaml_parser_t *p;
  Anchor *a;
  size_t na, capa;
  int depth;
  char err[512];
  bool failed;
} YDec;

/* Records the first error; m (may be NULL) gives the position, which
** go-cty-yaml reports for structural errors but not for scalars. */
static void yfail(YDec *d, const yaml_mark_t *m, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void yfail(YDec *d, const yaml_mark_t *m, const char *fmt, ...) {
  if (d->failed) return;
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (m) snprintf(d->err, sizeof d->err, "on line %zu, column %zu: %s", m->line + 1, m->column + 1, msg);
  else snprintf(d->err, sizeof d->err, "%s", msg);
  d->failed = true;
}

static Value *number_from(double x) { return val_number_double(x); }

/* Digits-only run of at most max characters; returns how many. */
static size_t ydigits(const char *s, size_t max) {
  size_t k = 0;
  while (k < max && s[k] >= '0' && s[k] <= '9') k++;
  return k;
}

/* YAML timestamps in the forms go-cty-yaml accepts (YYYY-M-D, optionally
** with [Tt ]h:m:s[.frac] and a zone), as an RFC 3339 string. */
static Value *yaml_timestamp(const char *s) {
  size_t i = ydigits(s, 5);
  if (i != 4 || s[i] != '-') return NULL;
  int y = atoi(s), mo, dd, h = 0, mi = 0, se = 0;
  const char *p = s + 5;
  size_t k = ydigits(p, 2);
  if (!k) return NULL;
  mo = atoi(p);
  p += k;
  if (*p++ != '-') return NULL;
  if (!(k = ydigits(p, 2))) return NULL;
  dd = atoi(p);
  p += k;
  long off = 0;
  if (*p == 'T' || *p == 't' || *p == ' ') {
    bool space = *p == ' ';
    p++;
    if (!(k = ydigits(p, 2))) return NULL;
    h = atoi(p);
    p += k;
    if (*p++ != ':' || !(k = ydigits(p, 2))) return NULL;
    mi = atoi(p);
    p += k;
    if (*p++ != ':' || !(k = ydigits(p, 2))) return NULL;
    se = atoi(p);
    p += k;
    if (*p == '.') {
      p++;
      if (!(k = ydigits(p, 9))) return NULL;
      p += k;
    }
    if (!space) {
      if (*p == 'Z') p++;
      else if ((*p == '+' || *p == '-') && ydigits(p + 1, 2) == 2 && p[3] == ':' && ydigits(p + 4, 2) == 2) {
        off = (atoi(p + 1) * 3600 + atoi(p + 4) * 60) * (*p == '-' ? -1 : 1);
        p += 6;
      } else {
        return NULL;
      }
    }
  }
  if (*p) return NULL;
  static const int md[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (mo < 1 || mo > 12 || dd < 1 || dd > md[mo - 1] || (mo == 2 && dd == 29 && !leap) || h > 23 || mi > 59 ||
      se > 59)
    return NULL;
  char out[128];
  if (off == 0) snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, dd, h, mi, se);
  else
    snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld", y, mo, dd, h, mi, se,
             off < 0 ? '-' : '+', labs(off) / 3600, labs(off) % 3600 / 60);
  return val_cstring(out);
}

/* cty.ParseNumberVal: a decimal number, also "Inf" forms, optional sign. */
static Value *ynumber(const char *s) {
  const char *p = s + (*s == '+');
  if (!strcmp(p, "Inf") || !strcmp(p, "inf") || !strcmp(p, "-Inf") || !strcmp(p, "-inf"))
    return number_from(p[0] == '-' ? -INFINITY : INFINITY);
  size_t n = strlen(p);
  size_t i = *p == '-';
  bool digit = false, dot = false;
  for (; i < n && ((p[i] >= '0' && p[i] <= '9') || p[i] == '.'); i++) {
    if (p[i] == '.') {
      if (dot) return NULL;
      dot = true;
    } else {
      digit = true;
    }
  }
  if (!digit) return NULL;
  if (i < n && (p[i] == 'e' || p[i] == 'E')) {
    i++;
    if (i < n && (p[i] == '+' || p[i] == '-')) i++;
    if (!(i < n && p[i] >= '0' && p[i] <= '9')) return NULL;
    while (i < n && p[i] >= '0' && p[i] <= '9') i++;
  }
  if (i != n) return NULL;
  /* ".5" and "5." are numbers to go-cty; the value model wants digits on
  ** both sides of a point */
  Buf q = BUF_INIT;
  const char *r = p;
  if (*r == '-') buf_putc(&q, *r++);
  if (*r == '.') buf_putc(&q, '0');
  for (; *r; r++) {
    if (*r == '.' && !(r[1] >= '0' && r[1] <= '9')) continue;
    buf_putc(&q, *r);
  }
  Value *v = val_number_parse(q.s, q.len);
  buf_free(&q);
  return v;
}

/* Integers in the forms strconv.ParseInt(s, 0, 64) takes (0x, 0o, 0b, 0
** prefixes), for explicitly tagged !!int/!!float scalars. */
static Value *yint_prefixed(const char *s) {
  const char *p = s;
  bool neg = false;
  if (*p == '+' || *p == '-') neg = *p++ == '-';
  int base = 10;
  if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) { base = 16; p += 2; }
  else if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O')) { base = 8; p += 2; }
  else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B')) { base = 2; p += 2; }
  else if (p[0] == '0' && p[1]) { base = 8; p += 1; }
  if (!*p) return NULL;
  char *end;
  errno = 0;
  unsigned long long u = strtoull(p, &end, base);
  if (*end || errno) return NULL;
  if (neg) {
    if (u > (unsigned long long)INT64_MAX + 1) return NULL;
    return val_number_i64(u == (unsigned long long)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u);
  }
  if (u <= (unsigned long long)INT64_MAX) return val_number_i64((int64_t)u);
  mpfr_t x;
  mpfr_init2(x, VAL_PREC);
  mpfr_set_uj(x, u, MPFR_RNDN);
  Value *r = val_number_mpfr(x);
  mpfr_clear(x);
  return r;
}

static char *strip_underscores(const char *s) {
  char *o = xstrdup(s), *w = o;
  for (; *s; s++)
    if (*s != '_') *w++ = *s;
  *w = 0;
  return o;
}

/* go-cty-yaml's scalar resolution. tag is "" for an untagged plain
** scalar, otherwise the full tag. */
static Value *resolve_scalar(YDec *d, const char *tag, const char *s, size_t len) {
  static const char *const yes[] = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"};
  static const char *const no[] = {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"};
  static const char *const nul[] = {"", "~", "null", "Null", "NULL"};
  bool is_str = !strcmp(tag, YAML_STR_TAG), is_bin = !strcmp(tag, "tag:yaml.org,2002:binary");
  bool known = !*tag || is_str || is_bin || !strcmp(tag, YAML_BOOL_TAG) || !strcmp(tag, YAML_INT_TAG) ||
               !strcmp(tag, YAML_FLOAT_TAG) || !strcmp(tag, YAML_NULL_TAG) || !strcmp(tag, YAML_TIMESTAMP_TAG);
  if (!known) {
    yfail(d, NULL, "unsupported tag \"%s\"", tag);
    return NULL;
  }
  char c0 = len ? s[0] : 'N';
  bool hint = strchr("+-0123456789yYnNtTfFoO~.N", c0) != NULL && c0 != 0;
  if (hint && !is_str && !is_bin) {
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
      if (!strcmp(s, yes[i])) return val_bool(true);
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
      if (!strcmp(s, no[i])) return val_bool(false);
    for (size_t i = 0; i < sizeof nul / sizeof *nul; i++)
      if (!strcmp(s, nul[i])) return val_null(T_DYNAMIC);
    if (!strcmp(s, ".inf") || !strcmp(s, ".Inf") || !strcmp(s, ".INF") || !strcmp(s, "+.inf") ||
        !strcmp(s, "+.Inf") || !strcmp(s, "+.INF"))
      return number_from(INFINITY);
    if (!strcmp(s, "-.inf") || !strcmp(s, "-.Inf") || !strcmp(s, "-.INF")) return number_from(-INFINITY);
    if (!strcmp(s, ".nan") || !strcmp(s, ".NaN") || !strcmp(s, ".NAN")) {
      yfail(d, NULL, "floating point NaN is not supported");
      return NULL;
    }
    if (c0 == '.') {
      Value *v = ynumber(s);
      if (v) return v;
    } else if (strchr("+-0123456789", c0)) {
      if (!*tag || !strcmp(tag, YAML_TIMESTAMP_TAG)) {
        Value *ts = yaml_timestamp(s);
        if (ts) return ts;
      }
      char *plain = strip_underscores(s);
      Value *v = ynumber(plain);
      bool bin = !strncmp(plain, "0b", 2) || !strncmp(plain, "-0b", 3);
      free(plain);
      if (v) return v;
      if (bin) tag = YAML_INT_TAG;
    }
  }
  if (is_str || is_bin) {
    if (is_bin) {
      size_t dn;
      unsigned char *dec = fn_base64_decode(s, len, &dn);
      if (!dec) {
        yfail(d, NULL, "cannot parse \"%s\" as %s: not valid base64", s, tag);
        return NULL;
      }
      free(dec);
    }
    return val_string(s, len);
  }
  if (!strcmp(tag, YAML_BOOL_TAG)) {
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
      if (!strcmp(s, yes[i])) return val_bool(true);
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
      if (!strcmp(s, no[i])) return val_bool(false);
  } else if (!strcmp(tag, YAML_INT_TAG) || !strcmp(tag, YAML_FLOAT_TAG)) {
    char *plain = strip_underscores(s);
    Value *v = ynumber(plain);
    if (!v) v = yint_prefixed(plain);
    free(plain);
    if (v) return v;
  } else if (!strcmp(tag, YAML_TIMESTAMP_TAG)) {
    Value *ts = yaml_timestamp(s);
    if (ts) return ts;
  } else if (!strcmp(tag, YAML_NULL_TAG)) {
    return val_null(T_DYNAMIC);
  } else {
    return val_string(s, len); /* untagged */
  }
  yfail(d, NULL, "cannot parse \"%s\" as %s", s, tag);
  return NULL;
}

static bool next_event(YDec *d, yaml_event_t *ev) {
  if (yaml_parser_parse(d->p, ev)) return true;
  yfail(d, &d->p->problem_mark, "%s", d->p->problem ? d->p->problem : "invalid YAML");
  return false;
}

static Value *yvalue(YDec *d, yaml_event_t *ev);

/* Sets or replaces key k (later wins, as go-cty-yaml's merges do). */
static void yput(const char ***ks, Value ***vs, size_t *m, size_t *cap, const char *k, Value *v) {
  for (size_t j = 0; j < *m; j++)
    if (!strcmp((*ks)[j], k)) {
      val_free((*vs)[j]);
      (*vs)[j] = v;
      return;
    }
  if (*m == *cap) {
    *cap = *cap ? *cap * 2 : 8;
    *ks = xrealloc(*ks, *cap * sizeof **ks);
    *vs = xrealloc(*vs, *cap * sizeof **vs);
  }
  (*ks)[*m] = k;
  (*vs)[(*m)++] = v;
}

/* A merge key's value: a mapping, or a sequence of mappings, whose pairs are
** added in order. */
static bool ymerge_value(YDec *d, const Value *v, const yaml_mark_t *m, const char ***ks, Value ***vs, size_t *n,
                         size_t *cap, char ***owned, size_t *nowned, size_t *capowned) {
  TypeKind k = val_kind(v);
  if (!val_is_null(v) && (k == TY_OBJECT || k == TY_MAP)) {
    ValIter it = val_iter(v);
    while (val_iter_next(&it)) {
      char *key = xstrdup(it.key);
      VEC_PUSH(*owned, *nowned, *capowned, key);
      yput(ks, vs, n, cap, key, val_ref(it.elem));
    }
    return true;
  }
  if (!val_is_null(v) && k == TY_TUPLE) {
    ValIter it = val_iter(v);
    while (val_iter_next(&it)) {
      TypeKind ek = val_kind(it.elem);
      if (val_is_null(it.elem) || (ek != TY_OBJECT && ek != TY_MAP)) {
        yfail(d, m, "map merge requires map or sequence of maps as the value");
        return false;
      }
      if (!ymerge_value(d, it.elem, m, ks, vs, n, cap, owned, nowned, capowned)) return false;
    }
    return true;
  }
  yfail(d, m, "map merge requires map or sequence of maps as the value");
  return false;
}

static Value *ymapping(YDec *d) {
  const char **ks = NULL;
  Value **vs = NULL;
  char **owned = NULL; /* key strings (event data is freed as we go) */
  size_t n = 0, cap = 0, nowned = 0, capowned = 0;
  Value *r = NULL;
  for (;;) {
    yaml_event_t kev;
    if (!next_event(d, &kev)) break;
    if (kev.type == YAML_MAPPING_END_EVENT) {
      yaml_event_delete(&kev);
      r = val_object(ks, vs, n);
      break;
    }
    if (kev.type != YAML_SCALAR_EVENT) {
      yfail(d, &kev.start_mark, "only scalar mapping keys are supported");
      yaml_event_delete(&kev);
      break;
    }
    const char *ktag = (const char *)kev.data.scalar.tag;
    bool merge = (kev.data.scalar.plain_implicit && !ktag && !strcmp((const char *)kev.data.scalar.value, "<<")) ||
                 (ktag && !strcmp(ktag, "tag:yaml.org,2002:merge"));
    char *key = xstrndup((const char *)kev.data.scalar.value, kev.data.scalar.length);
    yaml_mark_t km = kev.start_mark;
    yaml_event_delete(&kev);
    VEC_PUSH(owned, nowned, capowned, key);
    yaml_event_t vev;
    if (!next_event(d, &vev)) break;
    Value *v = yvalue(d, &vev);
    if (!v) break;
    if (merge) {
      bool ok = ymerge_value(d, v, &km, &ks, &vs, &n, &cap, &owned, &nowned, &capowned);
      val_free(v);
      if (!ok) break;
      continue;
    }
    yput(&ks, &vs, &n, &cap, key, v);
  }
  for (size_t i = 0; i < n; i++) val_free(vs[i]);
  free(vs);
  free(ks);
  for (size_t i = 0; i < nowned; i++) free(owned[i]);
  free(owned);
  return r;
}

static Value *ysequence(YDec *d) {
  Value **vs = NULL;
  size_t n = 0, cap = 0;
  Value *r = NULL;
  for (;;) {
    yaml_event_t ev;
    if (!next_event(d, &ev)) break;
    if (ev.type == YAML_SEQUENCE_END_EVENT) {
      yaml_event_delete(&ev);
      r = val_tuple(vs, n);
      break;
    }
    Value *v = yvalue(d, &ev);
    if (!v) break;
    VEC_PUSH(vs, n, cap, v);
  }
  for (size_t i = 0; i < n; i++) val_free(vs[i]);
  free(vs);
  return r;
}

/* Registers an anchor as being defined; returns its slot. */
static size_t yanchor_open(YDec *d, const char *name) {
  Anchor a = {xstrdup(name), NULL};
  VEC_PUSH(d->a, d->na, d->capa, a);
  return d->na - 1;
}

/* Builds the value that starts with ev (consumed here). */
static Value *yvalue(YDec *d, yaml_event_t *ev) {
  Value *r = NULL;
  yaml_mark_t mark = ev->start_mark;
  const char *anchor = NULL;
  const char *tag = NULL;
  switch (ev->type) {
  case YAML_ALIAS_EVENT: {
    const char *name = (const char *)ev->data.alias.anchor;
    for (size_t i = d->na; i-- > 0;)
      if (!strcmp(d->a[i].name, name)) {
        if (!d->a[i].v) yfail(d, &mark, "cannot refer to anchor \"%s\" from inside its own definition", name);
        else r = val_ref(d->a[i].v); /* shared, never copied: no "billion laughs" */
        goto done;
      }
    yfail(d, &mark, "unknown anchor \"%s\" referenced", name);
    goto done;
  }
  case YAML_SCALAR_EVENT: {
    anchor = (const char *)ev->data.scalar.anchor;
    tag = (const char *)ev->data.scalar.tag;
    const char *s = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    if (!tag || !strcmp(tag, "!")) {
      /* untagged: plain scalars are resolved by content, quoted ones are strings */
      if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && tag == NULL) r = resolve_scalar(d, "", s, len);
      else r = val_string(s, len);
    } else {
      r = resolve_scalar(d, tag, s, len);
    }
    if (r && anchor) {
      size_t slot = yanchor_open(d, anchor);
      d->a[slot].v = val_ref(r);
    }
    goto done;
  }
  case YAML_SEQUENCE_START_EVENT:
  case YAML_MAPPING_START_EVENT: {
    bool seq = ev->type == YAML_SEQUENCE_START_EVENT;
    anchor = (const char *)(seq ? ev->data.sequence_start.anchor : ev->data.mapping_start.anchor);
    tag = (const char *)(seq ? ev->data.sequence_start.tag : ev->data.mapping_start.tag);
    if (tag && strcmp(tag, "!") != 0 && strcmp(tag, seq ? YAML_SEQ_TAG : YAML_MAP_TAG) != 0) {
      yfail(d, &mark, "unsupported tag \"%s\"", tag);
      goto done;
    }
    if (++d->depth > 1000) {
      yfail(d, &mark, "nesting is too deep");
      d->depth--;
      goto done;
    }
    size_t slot = anchor ? yanchor_open(d, anchor) : 0;
    r = seq ? ysequence(d) : ymapping(d);
    d->depth--;
    if (r && anchor) d->a[slot].v = val_ref(r);
    goto done;
  }
  default: yfail(d, &mark, "unexpected YAML event"); break;
  }
done:
  yaml_event_delete(ev);
  return r;
}

static Value *f_yamldecode(FnCall *c) {
  yaml_parser_t p;
  yaml_parser_initialize(&p);
  yaml_parser_set_input_string(&p, (const unsigned char *)val_str(c->args[0]), val_str_len(c->args[0]));
  YDec d = {&p, NULL, 0, 0, 0, {0}, false};
  Value *r = NULL;
  yaml_event_t ev;
  /* STREAM-START, then either STREAM-END (empty input: null) or one document */
  if (next_event(&d, &ev)) {
    yaml_event_delete(&ev);
    if (next_event(&d, &ev)) {
      if (ev.type == YAML_STREAM_END_EVENT) {
        r = val_null(T_DYNAMIC);
        yaml_event_delete(&ev);
      } else {
        yaml_event_delete(&ev); /* DOCUMENT-START */
        if (next_event(&d, &ev)) r = yvalue(&d, &ev);
        if (r && next_event(&d, &ev)) { /* DOCUMENT-END */
          yaml_event_delete(&ev);
          if (next_event(&d, &ev)) {
            if (ev.type != YAML_STREAM_END_EVENT) {
              yfail(&d, &ev.start_mark, "unexpected extra content after value");
              val_free(r);
              r = NULL;
            }
            yaml_event_delete(&ev);
          } else {
            val_free(r);
            r = NULL;
          }
        } else if (r) {
          val_free(r);
          r = NULL;
        }
      }
    }
  }
  if (!r) fn_error(c, "%s", d.failed ? d.err : "invalid YAML");
  for (size_t i = 0; i < d.na; i++) {
    free(d.a[i].name);
    val_free(d.a[i].v);
  }
  free(d.a);
  yaml_parser_delete(&p);
  return r;
}

const FnDef fn_defs_yaml[] = {
    {"yamlencode", {{"value", FT_ANY, FP_NULL | FP_UNKNOWN}}, 1, {0}, FT_STRING, NULL, f_yamlencode},
    {"yamldecode", {{"src", FT_STRING, 0}}, 1, {0}, FT_ANY, NULL, f_yamldecode},
    {NULL, {{0}}, 0, {0}, FT_ANY, NULL, NULL},
};
