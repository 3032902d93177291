/*
** eval/convert.c — type conversion as go-cty's convert package does it
** (the "unsafe" conversions Terraform uses everywhere), with its error
** messages.
**
** A conversion is first checked at the type level (type_can_convert in
** type.c); if impossible the error is cty's MismatchMessage for the two
** types. Otherwise the value is walked and converted, and value-level
** failures ("a number is required") carry the path where they happened.
*/
#include "eval/value_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/util.h"

void val_conv_err_free(ValConvErr *e) {
  if (!e) return;
  free(e->path);
  free(e->msg);
  e->path = e->msg = NULL;
}

char *val_conv_err_text(const ValConvErr *e) {
  if (e->path && *e->path) return xasprintf("%s: %s", e->path, e->msg ? e->msg : "");
  return xstrdup(e->msg ? e->msg : "");
}

/* ------------------------------------------------------------ messages */

static char *mismatch(const Type *got, const Type *want);

static char *required(const Type *want) {
  char *n = type_friendly_name_constraint(want);
  char *r = xasprintf("%s required", n);
  free(n);
  return r;
}

static char *mismatch_objects(const Type *got, const Type *want) {
  const char *missing[3];
  size_t nmissing = 0;
  char *first = NULL;
  for (size_t i = 0; i < want->n; i++) {
    const char *name = want->names[i];
    const Type *ga = type_attr(got, name);
    if (!ga) {
      if (!(want->optional && want->optional[i])) {
        if (nmissing < 3) missing[nmissing] = name;
        nmissing++;
      }
      continue;
    }
    if (ga == want->elems[i] || type_can_convert(ga, want->elems[i])) continue;
    if (!first) {
      char *m = mismatch(ga, want->elems[i]);
      first = xasprintf("attribute \"%s\": %s", name, m);
      free(m);
    }
  }
  if (nmissing) {
    free(first);
    if (nmissing == 1) return xasprintf("attribute \"%s\" is required", missing[0]);
    if (nmissing == 2) return xasprintf("attributes \"%s\" and \"%s\" are required", missing[0], missing[1]);
    Buf b = BUF_INIT;
    buf_puts(&b, "attributes ");
    size_t k = 0;
    for (size_t i = 0; i < want->n; i++) {
      const char *name = want->names[i];
      if (type_attr(got, name) || (want->optional && want->optional[i])) continue;
      if (k++) buf_puts(&b, ", ");
      if (k == nmissing) buf_puts(&b, "and ");
      buf_printf(&b, "\"%s\"", name);
    }
    buf_puts(&b, " are required");
    return buf_take(&b);
  }
  if (first) return first;
  return xstrdup("incorrect object attributes");
}

static char *mismatch(const Type *got, const Type *want) {
  if (got->kind == TY_OBJECT && want->kind == TY_OBJECT) return mismatch_objects(got, want);
  if (got->kind == TY_TUPLE && want->kind == TY_LIST && want->elem == T_DYNAMIC)
    return xstrdup("all list elements must have the same type");
  if (got->kind == TY_TUPLE && want->kind == TY_SET && want->elem == T_DYNAMIC)
    return xstrdup("all set elements must have the same type");
  if (got->kind == TY_OBJECT && want->kind == TY_MAP && want->elem == T_DYNAMIC)
    return xstrdup("all map elements must have the same type");
  if (type_is_structural(got) && type_is_collection(want)) {
    if ((want->kind == TY_LIST || want->kind == TY_SET) && got->kind != TY_TUPLE) return required(want);
    if (want->kind == TY_MAP && got->kind != TY_OBJECT) return required(want);
    for (size_t i = 0; i < got->n; i++) {
      if (got->elems[i] == want->elem || type_can_convert(got->elems[i], want->elem)) continue;
      char *m = mismatch(got->elems[i], want->elem);
      char *r = got->kind == TY_TUPLE ? xasprintf("element %zu: %s", i, m)
                                      : xasprintf("element \"%s\": %s", got->names[i], m);
      free(m);
      return r;
    }
    char *n = type_friendly_name_constraint(want->elem);
    char *r = xasprintf("all elements must be %s", n);
    free(n);
    return r;
  }
  if (type_is_collection(got) && type_is_collection(want)) {
    if ((want->kind == TY_LIST || want->kind == TY_SET) && got->kind == TY_MAP) return required(want);
    if (want->kind == TY_MAP && got->kind != TY_MAP) return required(want);
    const char *noun = want->kind == TY_LIST ? "list element type" : want->kind == TY_SET ? "set element type"
                                                                                          : "map element type";
    char *m = mismatch(got->elem, want->elem);
    char *r = xasprintf("incorrect %s: %s", noun, m);
    free(m);
    return r;
  }
  return required(want);
}

/* ------------------------------------------------------------ helpers */

static const Type *without_optional(const Type *t) {
  switch (t->kind) {
    case TY_LIST: return type_list(without_optional(t->elem));
    case TY_SET: return type_set(without_optional(t->elem));
    case TY_MAP: return type_map(without_optional(t->elem));
    case TY_TUPLE: {
      const Type **el = xmalloc((t->n ? t->n : 1) * sizeof *el);
      for (size_t i = 0; i < t->n; i++) el[i] = without_optional(t->elems[i]);
      const Type *r = type_tuple(el, t->n);
      free(el);
      return r;
    }
    case TY_OBJECT: {
      const Type **el = xmalloc((t->n ? t->n : 1) * sizeof *el);
      for (size_t i = 0; i < t->n; i++) el[i] = without_optional(t->elems[i]);
      const Type *r = type_object(t->names, el, t->n);
      free(el);
      return r;
    }
    default: return t;
  }
}

/* cty's dynamicReplace: out with its dynamic parts filled from in. */
static const Type *dynamic_replace(const Type *in, const Type *out) {
  if (!in || in == T_DYNAMIC) return out;
  switch (out->kind) {
    case TY_DYNAMIC: return in;
    case TY_STRING:
    case TY_NUMBER:
    case TY_BOOL: return out;
    case TY_MAP:
    case TY_LIST:
    case TY_SET: {
      const Type *e = NULL;
      if (type_is_collection(in)) {
        e = dynamic_replace(in->elem, out->elem);
      } else if (type_is_structural(in)) {
        e = in->n ? type_unify(in->elems, in->n) : NULL;
        e = dynamic_replace(e, out->elem);
      } else {
        e = out->elem;
      }
      return out->kind == TY_MAP ? type_map(e) : out->kind == TY_LIST ? type_list(e) : type_set(e);
    }
    case TY_OBJECT: {
      const Type **el = xmalloc((out->n ? out->n : 1) * sizeof *el);
      for (size_t i = 0; i < out->n; i++) {
        if (in->kind == TY_MAP) el[i] = dynamic_replace(in->elem, out->elems[i]);
        else if (in->kind == TY_OBJECT && type_attr(in, out->names[i]))
          el[i] = dynamic_replace(type_attr(in, out->names[i]), out->elems[i]);
        else el[i] = out->elems[i];
      }
      const Type *r = type_object(out->names, el, out->n);
      free(el);
      return r;
    }
    case TY_TUPLE: {
      if (in->kind != TY_TUPLE || in->n != out->n) return out;
      const Type **el = xmalloc((out->n ? out->n : 1) * sizeof *el);
      for (size_t i = 0; i < out->n; i++) el[i] = dynamic_replace(in->elems[i], out->elems[i]);
      const Type *r = type_tuple(el, out->n);
      free(el);
      return r;
    }
  }
  return out;
}

/* Path text in Terraform's form, built as conversion descends. */
typedef struct Path {
  Buf b;
} Path;

static void set_err(ValConvErr *err, Path *p, char *msg) {
  if (err) {
    err->path = xstrndup(p->b.s ? p->b.s : "", p->b.len);
    err->msg = msg;
  } else {
    free(msg);
  }
}

static Value *conv(const Value *v, const Type *want, Path *p, ValConvErr *err);

/* Converts element i of a sequence; path "[i]". */
static Value *conv_at(const Value *v, const Type *want, Path *p, size_t i, ValConvErr *err) {
  size_t save = p->b.len;
  buf_printf(&p->b, "[%zu]", i);
  Value *r = conv(v, want, p, err);
  p->b.len = save;
  if (p->b.s) p->b.s[save] = 0;
  return r;
}

static Value *conv_key(const Value *v, const Type *want, Path *p, const char *key, bool attr, ValConvErr *err) {
  size_t save = p->b.len;
  if (attr) {
    buf_printf(&p->b, ".%s", key);
  } else {
    char *q = val_quote(key, strlen(key));
    buf_printf(&p->b, "[%s]", q);
    free(q);
  }
  Value *r = conv(v, want, p, err);
  p->b.len = save;
  if (p->b.s) p->b.s[save] = 0;
  return r;
}

static void free_all(Value **el, size_t n) {
  for (size_t i = 0; i < n; i++) val_free(el[i]);
  free(el);
}

static bool all_same_type(Value **el, size_t n) {
  for (size_t i = 1; i < n; i++)
    if (el[i]->type != el[0]->type) return false;
  return true;
}

static Value *conv_primitive(const Value *v, const Type *want, Path *p, ValConvErr *err) {
  const Type *from = v->type;
  if (want == T_STRING) {
    if (from == T_NUMBER) {
      char *t = val_number_text(v);
      Value *r = val_string(t, strlen(t));
      free(t);
      return r;
    }
    return val_cstring(v->u.b ? "true" : "false");
  }
  if (want == T_NUMBER) {
    Value *r = val_number_parse(v->u.str.s, v->u.str.len);
    if (!r) set_err(err, p, xstrdup("a number is required"));
    return r;
  }
  /* string -> bool */
  const char *s = v->u.str.s;
  if (!strcmp(s, "true") || !strcmp(s, "1")) return val_bool(true);
  if (!strcmp(s, "false") || !strcmp(s, "0")) return val_bool(false);
  if (!strcasecmp(s, "true"))
    set_err(err, p, xstrdup("a bool is required; to convert from string, use lowercase \"true\""));
  else if (!strcasecmp(s, "false"))
    set_err(err, p, xstrdup("a bool is required; to convert from string, use lowercase \"false\""));
  else set_err(err, p, xstrdup("a bool is required"));
  return NULL;
}

/* Lists and sets from lists, sets and tuples. */
static Value *conv_to_seq(const Value *v, const Type *want, Path *p, ValConvErr *err) {
  size_t n = v->u.coll.n;
  const Type *ety = want->elem;
  const Type *from = v->type;
  if (from->kind == TY_TUPLE && ety == T_DYNAMIC && n) ety = type_unify(from->elems, from->n);
  Value **el = xmalloc((n ? n : 1) * sizeof *el);
  for (size_t i = 0; i < n; i++) {
    Value *e = conv_at(v->u.coll.el[i], ety, p, i, err);
    if (!e) {
      free_all(el, i);
      return NULL;
    }
    el[i] = e;
  }
  Value *r;
  const char *what = want->kind == TY_LIST ? "list" : "set";
  if (n == 0) {
    const Type *et = ety;
    if (et == T_DYNAMIC && from->kind != TY_TUPLE) et = from->elem;
    et = without_optional(et);
    r = want->kind == TY_LIST ? val_list(et, NULL, 0) : val_set(et, NULL, 0);
  } else if (!all_same_type(el, n)) {
    free_all(el, n);
    set_err(err, p, xasprintf("element types must all match for conversion to %s", what));
    return NULL;
  } else {
    r = want->kind == TY_LIST ? val_list(el[0]->type, el, n) : val_set(el[0]->type, el, n);
  }
  free_all(el, n);
  return r;
}

static Value *conv_to_map(const Value *v, const Type *want, Path *p, ValConvErr *err) {
  size_t n = v->u.coll.n;
  const Type *ety = want->elem;
  const Type *from = v->type;
  if (from->kind == TY_OBJECT && ety == T_DYNAMIC && n) ety = type_unify(from->elems, from->n);
  Value **el = xmalloc((n ? n : 1) * sizeof *el);
  for (size_t i = 0; i < n; i++) {
    Value *e = conv_key(v->u.coll.el[i], ety, p, v->u.coll.keys[i], false, err);
    if (!e) {
      free_all(el, i);
      return NULL;
    }
    el[i] = e;
  }
  Value *r;
  if (n == 0) {
    const Type *et = ety;
    if (et == T_DYNAMIC && from->kind == TY_MAP) et = from->elem;
    r = val_map(without_optional(et), NULL, NULL, 0);
  } else if (!all_same_type(el, n)) {
    free_all(el, n);
    set_err(err, p, xstrdup("element types must all match for conversion to map"));
    return NULL;
  } else {
    r = val_map(el[0]->type, v->u.coll.keys, el, n);
  }
  free_all(el, n);
  return r;
}

static Value *conv_to_tuple(const Value *v, const Type *want, Path *p, ValConvErr *err) {
  size_t n = v->u.coll.n;
  if (n != want->n) {
    set_err(err, p, xstrdup(want->n == 1 ? "tuple required" : "tuple required"));
    return NULL;
  }
  Value **el = xmalloc((n ? n : 1) * sizeof *el);
  for (size_t i = 0; i < n; i++) {
    Value *e = conv_at(v->u.coll.el[i], want->elems[i], p, i, err);
    if (!e) {
      free_all(el, i);
      return NULL;
    }
    el[i] = e;
  }
  Value *r = val_tuple(el, n);
  free_all(el, n);
  return r;
}

static Value *conv_to_object(const Value *v, const Type *want, Path *p, ValConvErr *err) {
  size_t n = want->n;
  Value **el = xmalloc((n ? n : 1) * sizeof *el);
  bool from_map = v->type->kind == TY_MAP;
  for (size_t i = 0; i < n; i++) {
    const char *name = want->names[i];
    Value *src = from_map ? val_map_get(v, name) : val_attr(v, name);
    if (!src) {
      if (want->optional && want->optional[i]) {
        el[i] = val_null(without_optional(want->elems[i]));
        continue;
      }
      free_all(el, i);
      set_err(err, p, xasprintf("map has no element for required attribute \"%s\"", name));
      return NULL;
    }
    Value *e = conv_key(src, want->elems[i], p, name, true, err);
    val_free(src);
    if (!e) {
      free_all(el, i);
      return NULL;
    }
    if ((e->flags & VF_NULL) && !(e->flags & VF_SENS)) {
      const Type *pt = without_optional(e->type);
      if (pt != e->type) {
        val_free(e);
        e = val_null(pt);
      }
    }
    el[i] = e;
  }
  Value *r = val_object(want->names, el, n);
  free_all(el, n);
  return r;
}

static Value *conv(const Value *v, const Type *want, Path *p, ValConvErr *err) {
  if (want == T_DYNAMIC) return val_ref(v);
  if (v->flags & VF_SENS) {
    Value *u = val_unmark(v);
    Value *r = conv(u, want, p, err);
    val_free(u);
    return r ? val_take_sens(r, true) : NULL;
  }
  if (v->type == want) return val_ref(v);
  if (!type_can_convert(v->type, want)) {
    set_err(err, p, mismatch(v->type, want));
    return NULL;
  }
  if (v->flags & (VF_UNKNOWN | VF_NULL)) {
    const Type *t = dynamic_replace(v->type, without_optional(want));
    return (v->flags & VF_UNKNOWN) ? val_unknown(t) : val_null(t);
  }
  switch (want->kind) {
    case TY_STRING:
    case TY_NUMBER:
    case TY_BOOL: return conv_primitive(v, want, p, err);
    case TY_LIST:
    case TY_SET: return conv_to_seq(v, want, p, err);
    case TY_MAP: return conv_to_map(v, want, p, err);
    case TY_TUPLE: return conv_to_tuple(v, want, p, err);
    case TY_OBJECT: return conv_to_object(v, want, p, err);
    default: return val_ref(v);
  }
}

Value *val_convert(const Value *v, const Type *want, ValConvErr *err) {
  if (err) err->path = err->msg = NULL;
  if (v->type == want || want == T_DYNAMIC) return val_ref(v);
  Path p = {BUF_INIT};
  Value *r = conv(v, want, &p, err);
  buf_free(&p.b);
  return r;
}
