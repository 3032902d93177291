/*
** eval/format.c — values as `terraform console` prints them, and short
** descriptions for diagnostics.
*/
#include "eval/value_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/util.h"

static void indent(Buf *b, int n) {
  for (int i = 0; i < n; i++) buf_putc(b, ' ');
}

static void format_value(Buf *b, const Value *v, int ind);

/* A string with a newline becomes a heredoc (indented form when nested). */
static bool format_multiline(Buf *b, const char *s, size_t n, int ind) {
  if (!memchr(s, '\n', n)) return false;
  /* the delimiter must not equal any trimmed line */
  size_t dl = 3;
  for (;;) {
    bool clash = false;
    const char *p = s, *end = s + n;
    while (p <= end) {
      const char *nl = memchr(p, '\n', (size_t)(end - p));
      const char *le = nl ? nl : end;
      const char *a = p, *z = le;
      while (a < z && (*a == ' ' || *a == '\t' || *a == '\r' || *a == '\v' || *a == '\f')) a++;
      while (z > a && (z[-1] == ' ' || z[-1] == '\t' || z[-1] == '\r' || z[-1] == '\v' || z[-1] == '\f')) z--;
      if ((size_t)(z - a) == dl && memcmp(a, "EOT", 3) == 0) {
        bool all = true;
        for (size_t i = 3; i < dl; i++)
          if (a[i] != '_') all = false;
        if (all) clash = true;
      }
      if (!nl) break;
      p = nl + 1;
    }
    if (!clash) break;
    dl++;
  }
  buf_puts(b, ind > 0 ? "<<-" : "<<");
  buf_puts(b, "EOT");
  for (size_t i = 3; i < dl; i++) buf_putc(b, '_');
  const char *p = s, *end = s + n;
  for (;;) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    buf_putc(b, '\n');
    indent(b, ind);
    buf_add(b, p, (size_t)(le - p));
    if (!nl) break;
    p = nl + 1;
  }
  buf_putc(b, '\n');
  indent(b, ind);
  buf_puts(b, "EOT");
  for (size_t i = 3; i < dl; i++) buf_putc(b, '_');
  return true;
}

static void format_null(Buf *b, const Type *t) {
  char *fn;
  switch (t->kind) {
    case TY_DYNAMIC: buf_puts(b, "null"); return;
    case TY_STRING: buf_puts(b, "tostring(null)"); return;
    case TY_NUMBER: buf_puts(b, "tonumber(null)"); return;
    case TY_BOOL: buf_puts(b, "tobool(null)"); return;
    case TY_LIST:
    case TY_SET:
    case TY_MAP:
      fn = type_friendly_name(t->elem);
      buf_printf(b, "%s(null) /* of %s */", t->kind == TY_LIST ? "tolist" : t->kind == TY_SET ? "toset" : "tomap", fn);
      free(fn);
      return;
    default:
      fn = type_friendly_name(t);
      buf_printf(b, "null /* %s */", fn);
      free(fn);
      return;
  }
}

static void format_seq(Buf *b, const Value *v, int ind) {
  buf_putc(b, '[');
  for (size_t i = 0; i < v->u.coll.n; i++) {
    buf_putc(b, '\n');
    indent(b, ind + 2);
    format_value(b, v->u.coll.el[i], ind + 2);
    buf_putc(b, ',');
  }
  if (v->u.coll.n) {
    buf_putc(b, '\n');
    indent(b, ind);
  }
  buf_putc(b, ']');
}

static void format_mapping(Buf *b, const Value *v, int ind) {
  buf_putc(b, '{');
  for (size_t i = 0; i < v->u.coll.n; i++) {
    buf_putc(b, '\n');
    indent(b, ind + 2);
    const char *k = v->u.coll.keys[i];
    size_t kl = strlen(k);
    if (!format_multiline(b, k, kl, ind + 2)) {
      char *q = val_quote(k, kl);
      buf_puts(b, q);
      free(q);
    }
    buf_puts(b, " = ");
    format_value(b, v->u.coll.el[i], ind + 2);
  }
  if (v->u.coll.n) {
    buf_putc(b, '\n');
    indent(b, ind);
  }
  buf_putc(b, '}');
}

static void format_value(Buf *b, const Value *v, int ind) {
  if (v->flags & VF_UNKNOWN) {
    buf_puts(b, "(known after apply)");
    return;
  }
  if (v->flags & VF_SENS) {
    buf_puts(b, "(sensitive value)");
    return;
  }
  if (v->flags & VF_NULL) {
    format_null(b, v->type);
    return;
  }
  switch (v->type->kind) {
    case TY_STRING:
      if (!format_multiline(b, v->u.str.s, v->u.str.len, ind)) {
        char *q = val_quote(v->u.str.s, v->u.str.len);
        buf_puts(b, q);
        free(q);
      }
      return;
    case TY_NUMBER: val_number_text_buf(v, b); return;
    case TY_BOOL: buf_puts(b, v->u.b ? "true" : "false"); return;
    case TY_OBJECT: format_mapping(b, v, ind); return;
    case TY_TUPLE: format_seq(b, v, ind); return;
    case TY_LIST:
      buf_puts(b, "tolist(");
      format_seq(b, v, ind);
      buf_putc(b, ')');
      return;
    case TY_SET:
      buf_puts(b, "toset(");
      format_seq(b, v, ind);
      buf_putc(b, ')');
      return;
    case TY_MAP:
      buf_puts(b, "tomap(");
      format_mapping(b, v, ind);
      buf_putc(b, ')');
      return;
    default: buf_puts(b, "null"); return;
  }
}

char *val_format(const Value *v) {
  Buf b = BUF_INIT;
  format_value(&b, v, 0);
  return buf_take(&b);
}

char *val_describe(const Value *v) {
  if (v->flags & VF_SENS) return xstrdup("(sensitive value)");
  if (v->flags & VF_UNKNOWN) return xstrdup("a value known only after apply");
  if (v->flags & VF_NULL) return xstrdup("null");
  Buf b = BUF_INIT;
  switch (v->type->kind) {
    case TY_STRING:
    case TY_NUMBER:
    case TY_BOOL: format_value(&b, v, 0); break;
    case TY_LIST:
    case TY_SET:
    case TY_MAP:
    case TY_TUPLE: {
      char *fn = type_friendly_name(v->type);
      size_t n = v->u.coll.n;
      if (n == 0) buf_printf(&b, "empty %s", fn);
      else buf_printf(&b, "%s with %zu element%s", fn, n, n == 1 ? "" : "s");
      free(fn);
      break;
    }
    case TY_OBJECT: {
      size_t n = v->u.coll.n;
      if (n == 0) buf_puts(&b, "object with no attributes");
      else if (n == 1) buf_printf(&b, "object with 1 attribute \"%s\"", v->u.coll.keys[0]);
      else buf_printf(&b, "object with %zu attributes", n);
      break;
    }
    default: buf_puts(&b, "dynamic"); break;
  }
  return buf_take(&b);
}
