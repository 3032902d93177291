/*
** stdlib/collection.c — functions over lists, sets, tuples, maps, objects.
**
** Result types follow go-cty/Terraform: functions that keep their input's
** kind return a list for a list and a tuple for a tuple; functions that
** mix elements unify their types the way HCL unifies collection elements.
*/
#include "stdlib/fn.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/util.h"

/* ------------------------------------------------------------ helpers */

typedef struct Vals {
  Value **v;
  size_t n, cap;
} Vals;

static void vals_push(Vals *vs, Value *v) { VEC_PUSH(vs->v, vs->n, vs->cap, v); }
static void vals_free(Vals *vs) {
  for (size_t i = 0; i < vs->n; i++) val_free(vs->v[i]);
  free(vs->v);
  memset(vs, 0, sizeof *vs);
}

/* Key/value pairs collected in order, then sorted by key with the later of
** equal keys kept: "later arguments win" in O(n log n). Values are
** borrowed (the arguments outlive the call). */
typedef struct KV {
  const char *key;
  const void *val;
  size_t seq;
} KV;

typedef struct KVs {
  KV *v;
  size_t n, cap;
} KVs;

static void kv_push(KVs *kv, const char *key, const void *val) {
  KV e = {key, val, kv->n};
  VEC_PUSH(kv->v, kv->n, kv->cap, e);
}

static int kv_cmp(const void *a, const void *b) {
  const KV *x = a, *y = b;
  int c = strcmp(x->key, y->key);
  return c ? c : (x->seq < y->seq ? -1 : x->seq > y->seq);
}

/* Sorts and keeps the last pair of each key; fills names/vals (malloc'd,
** parallel) and returns how many. */
static size_t kv_finish(KVs *kv, const char ***names, const void ***vals) {
  if (kv->n) qsort(kv->v, kv->n, sizeof *kv->v, kv_cmp);
  *names = xmalloc((kv->n ? kv->n : 1) * sizeof **names);
  *vals = xmalloc((kv->n ? kv->n : 1) * sizeof **vals);
  size_t m = 0;
  for (size_t i = 0; i < kv->n; i++) {
    if (i + 1 < kv->n && strcmp(kv->v[i].key, kv->v[i + 1].key) == 0) continue;
    (*names)[m] = kv->v[i].key;
    (*vals)[m++] = kv->v[i].val;
  }
  free(kv->v);
  memset(kv, 0, sizeof *kv);
  return m;
}

static const Type *elem_type_of(const Value *v) {
  const Type *t = val_type(v);
  return type_is_collection(t) ? t->elem : T_DYNAMIC;
}

static char *friendly(const Value *v) { return type_friendly_name(val_type(v)); }

/* ------------------------------------------------------------ functions */

static Value *f_chunklist(FnCall *c) {
  int64_t size;
  if (!val_get_i64(c->args[1], &size))
    return fn_error(c, "invalid size: value must be a whole number, between -9223372036854775808 and "
                       "9223372036854775807");
  if (size < 0) return fn_error(c, "the size argument must be positive");
  const Value *l = c->args[0];
  const Type *et = elem_type_of(l);
  size_t n = val_len(l);
  Value *const *e = val_elems(l);
  Vals out = {0};
  if (size == 0 && n > 0) {
    vals_push(&out, val_ref(l));
  } else {
    for (size_t i = 0; i < n; i += (size_t)size) {
      size_t k = n - i < (size_t)size ? n - i : (size_t)size;
      vals_push(&out, val_list(et, e + i, k));
    }
  }
  Value *r = val_list(type_list(et), out.v, out.n);
  vals_free(&out);
  return r;
}

/* Terraform's coalesce (not go-cty's): empty strings are skipped too. */
static const Type *coalesce_type(FnCall *c) {
  const Type **ts = xmalloc((c->nargs + 1) * sizeof *ts);
  for (size_t i = 0; i < c->nargs; i++) ts[i] = val_type(c->args[i]);
  const Type *u = c->nargs ? type_unify(ts, c->nargs) : NULL;
  free(ts);
  if (!u) fn_error(c, "all arguments must have the same type");
  return u;
}

static Value *f_coalesce(FnCall *c) {
  const Type *t = coalesce_type(c);
  if (!t) return NULL;
  for (size_t i = 0; i < c->nargs; i++) {
    Value *v = val_convert(c->args[i], t, NULL);
    if (!v) continue;
    if (!val_is_known(v)) {
      val_free(v);
      return val_unknown(t);
    }
    if (val_is_null(v) || (t == T_STRING && val_str_len(v) == 0)) {
      val_free(v);
      continue;
    }
    return v;
  }
  return fn_error(c, "no non-null, non-empty-string arguments");
}

static const Type *coalescelist_type(FnCall *c) {
  if (c->nargs == 0) {
    fn_error(c, "at least one argument is required");
    return NULL;
  }
  const Type **ts = xmalloc(c->nargs * sizeof *ts);
  for (size_t i = 0; i < c->nargs; i++) {
    ts[i] = val_type(c->args[i]);
    bool unknown_dyn = ts[i]->kind == TY_DYNAMIC && !val_is_known(c->args[i]);
    if (ts[i]->kind != TY_LIST && ts[i]->kind != TY_TUPLE && !unknown_dyn) {
      free(ts);
      fn_error(c, "coalescelist arguments must be lists or tuples");
      return NULL;
    }
  }
  const Type *u = type_unify(ts, c->nargs);
  free(ts);
  /* Tuples of different lengths may not unify; the result is then the
  ** first non-empty argument's own type, known only once it is found. */
  return u ? u : T_DYNAMIC;
}

/* The first non-empty argument, with its own type as go-cty returns it. */
static Value *f_coalescelist(FnCall *c) {
  if (!coalescelist_type(c)) return NULL;
  for (size_t i = 0; i < c->nargs; i++) {
    if (val_is_null(c->args[i])) continue;
    if (!val_is_known(c->args[i])) return val_unknown(T_DYNAMIC);
    if (val_len(c->args[i]) > 0) return val_ref(c->args[i]);
  }
  return fn_error(c, "no non-null arguments");
}

static Value *f_compact(FnCall *c) {
  Vals out = {0};
  ValIter it = val_iter(c->args[0]);
  while (val_iter_next(&it))
    if (!val_is_null(it.elem) && val_str_len(it.elem) > 0) vals_push(&out, val_ref(it.elem));
  Value *r = val_list(T_STRING, out.v, out.n);
  vals_free(&out);
  return r;
}

static const Type *concat_type(FnCall *c) {
  if (c->nargs == 0) {
    fn_error(c, "at least one argument is required");
    return NULL;
  }
  bool all_lists = true;
  for (size_t i = 0; i < c->nargs; i++)
    if (val_kind(c->args[i]) != TY_LIST || val_type(c->args[i]) != val_type(c->args[0])) all_lists = false;
  if (all_lists) return val_type(c->args[0]);
  const Type **ts = NULL;
  size_t n = 0, cap = 0;
  for (size_t i = 0; i < c->nargs; i++) {
    const Type *t = val_type(c->args[i]);
    if (t->kind == TY_TUPLE) {
      for (size_t k = 0; k < t->n; k++) VEC_PUSH(ts, n, cap, t->elems[k]);
    } else if (t->kind == TY_LIST) {
      if (!val_is_known(c->args[i])) {
        free(ts);
        return T_DYNAMIC;
      }
      if (val_is_null(c->args[i])) continue;
      for (size_t k = 0; k < val_len(c->args[i]); k++) VEC_PUSH(ts, n, cap, t->elem);
    } else if (t->kind == TY_DYNAMIC) {
      free(ts);
      return T_DYNAMIC;
    } else {
      free(ts);
      char *fnm = type_friendly_name(t);
      fn_arg_error(c, i, "all arguments must be lists or tuples; got %s", fnm);
      free(fnm);
      return NULL;
    }
  }
  const Type *r = type_tuple(ts, n);
  free(ts);
  return r;
}

static Value *f_concat(FnCall *c) {
  const Type *t = concat_type(c);
  if (!t) return NULL;
  for (size_t i = 0; i < c->nargs; i++)
    if (!val_is_known(c->args[i])) return val_unknown(t);
  Vals all = {0};
  for (size_t i = 0; i < c->nargs; i++) {
    if (val_is_null(c->args[i])) continue;
    ValIter it = val_iter(c->args[i]);
    while (val_iter_next(&it)) vals_push(&all, val_ref(it.elem));
  }
  Value *r = t->kind == TY_LIST ? val_list(t->elem, all.v, all.n) : val_tuple(all.v, all.n);
  vals_free(&all);
  return r;
}

static Value *f_contains(FnCall *c) {
  const Value *l = c->args[0];
  if (!type_is_sequence(val_type(l))) return fn_error(c, "argument must be list, tuple, or set");
  if (!val_is_known(l) || !val_is_known(c->args[1])) return val_unknown(T_BOOL);
  bool unknown = false;
  ValIter it = val_iter(l);
  while (val_iter_next(&it)) {
    if (!val_is_known(it.elem)) {
      unknown = true;
      continue;
    }
    Value *eq = val_equals(it.elem, c->args[1]);
    bool known = val_is_known(eq), t = known && !val_is_null(eq) && val_get_bool(eq);
    val_free(eq);
    if (!known) unknown = true;
    else if (t) return val_bool(true);
  }
  return unknown ? val_unknown(T_BOOL) : val_bool(false);
}

/* Result types of functions whose result is a list of the argument's
** elements, for when an unknown argument short-circuits the call. */
static const Type *same_list_type(FnCall *c) { return val_type(c->args[0]); }
static const Type *chunklist_type(FnCall *c) { return type_list(val_type(c->args[0])); }
static const Type *matchkeys_type(FnCall *c) { return val_type(c->args[0]); }

/* First occurrences, found with a hash set (val_hash is consistent with
** val_raw_equal) so long lists stay linear. */
static Value *f_distinct(FnCall *c) {
  size_t n = val_len(c->args[0]), cap = 16;
  while (cap < 2 * n + 1) cap *= 2;
  const Value **slots = xcalloc(cap, sizeof *slots);
  Vals out = {0};
  ValIter it = val_iter(c->args[0]);
  while (val_iter_next(&it)) {
    size_t h = val_hash(it.elem) & (cap - 1);
    bool seen = false;
    for (; slots[h]; h = (h + 1) & (cap - 1))
      if (val_raw_equal(slots[h], it.elem)) {
        seen = true;
        break;
      }
    if (seen) continue;
    slots[h] = it.elem;
    vals_push(&out, val_ref(it.elem));
  }
  free(slots);
  Value *r = val_list(elem_type_of(c->args[0]), out.v, out.n);
  vals_free(&out);
  return r;
}

/* Wraps an index into [0, n) as Terraform's element does (negative counts
** from the end). */
static size_t wrap_index(int64_t i, size_t n) {
  int64_t m = i % (int64_t)n;
  if (m < 0) m += (int64_t)n;
  return (size_t)m;
}

static const Type *element_type(FnCall *c) {
  const Type *t = val_type(c->args[0]);
  if (t->kind == TY_LIST) return t->elem;
  if (t->kind == TY_DYNAMIC) return T_DYNAMIC;
  if (t->kind == TY_TUPLE) {
    int64_t i;
    if (!val_is_known(c->args[1]) || t->n == 0 || !val_get_i64(c->args[1], &i)) return T_DYNAMIC;
    return t->elems[wrap_index(i, t->n)];
  }
  char *f = type_friendly_name(t);
  fn_error(c, "cannot read elements from %s", f);
  free(f);
  return NULL;
}

static Value *f_element(FnCall *c) {
  if (!element_type(c)) return NULL;
  int64_t i;
  if (!val_get_i64(c->args[1], &i))
    return fn_error(c, "invalid index: value must be a whole number, between -9223372036854775808 and "
                       "9223372036854775807");
  size_t n = val_len(c->args[0]);
  if (n == 0) return fn_error(c, "cannot use element function with an empty list");
  return val_ref(val_elems(c->args[0])[wrap_index(i, n)]);
}

/* Appends the leaves of v; false when an unknown sequence was met. A
** sensitive nested list passes its mark on to each of its leaves. */
static bool flatten_into(const Value *v, Vals *out, bool sens) {
  if (!val_is_null(v) && type_is_sequence(val_type(v))) {
    if (!val_is_known(v)) return false;
    sens = sens || val_is_sensitive(v);
    ValIter it = val_iter(v);
    while (val_iter_next(&it))
      if (!flatten_into(it.elem, out, sens)) return false;
    return true;
  }
  if (!val_is_known(v) && val_kind(v) == TY_DYNAMIC) return false;
  vals_push(out, sens ? val_mark_sensitive(v) : val_ref(v));
  return true;
}

static Value *f_flatten(FnCall *c) {
  const Value *l = c->args[0];
  if (!type_is_sequence(val_type(l))) {
    if (val_kind(l) == TY_DYNAMIC) return val_unknown(T_DYNAMIC);
    return fn_error(c, "can only flatten lists, sets and tuples");
  }
  Vals out = {0};
  Value *r;
  if (!flatten_into(l, &out, false)) r = val_unknown(T_DYNAMIC);
  else r = val_tuple(out.v, out.n);
  vals_free(&out);
  return r;
}

static Value *f_index(FnCall *c) {
  const Value *l = c->args[0];
  TypeKind k = val_kind(l);
  if (k != TY_LIST && k != TY_TUPLE) return fn_arg_error(c, 0, "argument must be a list or tuple");
  if (!val_is_known(l) || !val_is_known(c->args[1])) return val_unknown(T_NUMBER);
  if (val_len(l) == 0) return fn_error(c, "cannot search an empty list");
  ValIter it = val_iter(l);
  while (val_iter_next(&it)) {
    Value *eq = val_equals(it.elem, c->args[1]);
    if (!val_is_known(eq)) {
      val_free(eq);
      return val_unknown(T_NUMBER);
    }
    bool t = !val_is_null(eq) && val_get_bool(eq);
    val_free(eq);
    if (t) return val_number_i64((int64_t)it.i);
  }
  return fn_error(c, "item not found");
}

static const Type *keys_type(FnCall *c) {
  const Type *t = val_type(c->args[0]);
  if (t->kind == TY_MAP) return type_list(T_STRING);
  if (t->kind == TY_DYNAMIC) return T_DYNAMIC;
  if (t->kind == TY_OBJECT) {
    const Type **ts = xmalloc((t->n + 1) * sizeof *ts);
    for (size_t i = 0; i < t->n; i++) ts[i] = T_STRING;
    const Type *r = type_tuple(ts, t->n);
    free(ts);
    return r;
  }
  fn_arg_error(c, 0, "must have map or object type");
  return NULL;
}

static Value *f_keys(FnCall *c) {
  const Type *t = keys_type(c);
  if (!t) return NULL;
  const Value *m = c->args[0];
  size_t n = val_len(m);
  const char *const *ks = val_keys(m);
  Value **vs = xmalloc((n ? n : 1) * sizeof *vs);
  for (size_t i = 0; i < n; i++) vs[i] = val_cstring(ks[i]);
  Value *r = val_kind(m) == TY_MAP ? val_list(T_STRING, vs, n) : val_tuple(vs, n);
  for (size_t i = 0; i < n; i++) val_free(vs[i]);
  free(vs);
  return r;
}

static const Type *values_type(FnCall *c) {
  const Type *t = val_type(c->args[0]);
  if (t->kind == TY_MAP) return type_list(t->elem);
  if (t->kind == TY_OBJECT) return type_tuple(t->elems, t->n);
  return T_DYNAMIC;
}

static Value *f_values(FnCall *c) {
  const Value *m = c->args[0];
  TypeKind k = val_kind(m);
  if (k != TY_MAP && k != TY_OBJECT) return fn_error(c, "values() requires a map as the first argument");
  size_t n = val_len(m);
  if (k == TY_MAP) return val_list(val_type(m)->elem, val_elems(m), n);
  return val_tuple(val_elems(m), n);
}

/* Terraform's length: strings count grapheme clusters; the length of a
** tuple or object is known from its type even when its value is not. */
static Value *f_length(FnCall *c) {
  const Value *v = c->args[0];
  const Type *t = val_type(v);
  if (!val_is_known(v)) {
    if (type_is_structural(t)) return val_number_i64((int64_t)t->n);
    return val_unknown(T_NUMBER);
  }
  if (t->kind == TY_STRING) {
    size_t *st;
    size_t g = fn_graphemes(val_str(v), val_str_len(v), &st);
    free(st);
    return val_number_i64((int64_t)g);
  }
  if (type_is_collection(t) || type_is_structural(t)) return val_number_i64((int64_t)val_len(v));
  return fn_error(c, "argument must be a string, a collection type, or a structural type");
}

static const Type *lookup_type(FnCall *c) {
  if (c->nargs > 3) {
    fn_error(c, "lookup() takes no more than one default argument");
    return NULL;
  }
  const Type *t = val_type(c->args[0]);
  if (t->kind == TY_DYNAMIC) return T_DYNAMIC;
  if (t->kind == TY_OBJECT) {
    if (!val_is_known(c->args[1])) return T_DYNAMIC;
    const Type *at = type_attr(t, val_str(c->args[1]));
    if (at) return at;
    if (c->nargs == 3) return val_type(c->args[2]);
    fn_arg_error(c, 0, "the given object has no attribute \"%s\"", fn_show(c, 1, val_str(c->args[1])));
    return NULL;
  }
  if (t->kind == TY_MAP) {
    if (c->nargs == 3) {
      Value *d = val_convert(c->args[2], t->elem, NULL);
      if (!d) {
        fn_arg_error(c, 2, "the default value must have the same type as the map elements");
        return NULL;
      }
      val_free(d);
    }
    return t->elem;
  }
  fn_arg_error(c, 0, "lookup() requires a map as the first argument");
  return NULL;
}

static Value *f_lookup(FnCall *c) {
  const Type *t = lookup_type(c);
  if (!t) return NULL;
  const Value *m = c->args[0];
  if (!val_is_wholly_known(m) || !val_is_known(c->args[1])) return val_unknown(t);
  if (val_is_null(m)) return fn_arg_error(c, 0, "argument must not be null");
  const char *key = val_str(c->args[1]);
  Value *v = val_kind(m) == TY_OBJECT ? val_attr(m, key) : val_map_get(m, key);
  if (v) return v;
  if (c->nargs == 3) {
    Value *d = val_convert(c->args[2], t, NULL);
    return d ? d : val_ref(c->args[2]);
  }
  char *q = val_quote(key, strlen(key));
  fn_error(c, "lookup failed to find key %s", fn_show(c, 1, q));
  free(q);
  return NULL;
}

static Value *f_matchkeys(FnCall *c) {
  const Value *vals = c->args[0], *keys = c->args[1], *search = c->args[2];
  const Type *ts[2] = {val_type(keys)->elem, val_type(search)->elem};
  if (!type_unify(ts, 2)) return fn_arg_error(c, 1, "keys and searchset must be of the same type");
  if (val_len(vals) != val_len(keys))
    return fn_arg_error(c, 1, "length of keys and values should be equal");
  Vals out = {0};
  for (size_t i = 0; i < val_len(keys); i++) {
    const Value *k = val_elems(keys)[i];
    ValIter it = val_iter(search);
    while (val_iter_next(&it)) {
      Value *eq = val_equals(k, it.elem);
      bool t = val_is_known(eq) && !val_is_null(eq) && val_get_bool(eq);
      val_free(eq);
      if (t) {
        vals_push(&out, val_ref(val_elems(vals)[i]));
        break;
      }
    }
  }
  Value *r = val_list(val_type(vals)->elem, out.v, out.n);
  vals_free(&out);
  return r;
}

/* go-cty's merge result type: the common type when every argument has the
** same type, otherwise an object of every attribute seen (later wins). */
static const Type *merge_type(FnCall *c) {
  if (c->nargs == 0) return type_empty_object();
  bool matching = true, attrs_known = true;
  KVs kv = {0};
  for (size_t i = 0; i < c->nargs; i++) {
    const Value *a = c->args[i];
    const Type *t = val_type(a);
    if (t->kind == TY_DYNAMIC) {
      free(kv.v);
      return T_DYNAMIC;
    }
    if (t->kind != TY_MAP && t->kind != TY_OBJECT) {
      free(kv.v);
      char *f = type_friendly_name(t);
      fn_error(c, "arguments must be maps or objects, got \"%s\"", f);
      free(f);
      return NULL;
    }
    if (t->kind == TY_OBJECT && !val_is_null(a)) {
      for (size_t k = 0; k < t->n; k++) kv_push(&kv, t->names[k], t->elems[k]);
    } else if (t->kind == TY_MAP && !val_is_null(a)) {
      if (val_is_known(a)) {
        const char *const *ks = val_keys(a);
        for (size_t k = 0; k < val_len(a); k++) kv_push(&kv, ks[k], t->elem);
      } else {
        attrs_known = false;
      }
    }
    if (i > 0 && t != val_type(c->args[0])) matching = false;
  }
  const char **names;
  const void **types;
  size_t n = kv_finish(&kv, &names, &types);
  const Type *r;
  if (matching) r = val_type(c->args[0]);
  else if (!attrs_known) r = T_DYNAMIC;
  else r = type_object(names, (const Type *const *)types, n);
  free(names);
  free(types);
  return r;
}

static Value *f_merge(FnCall *c) {
  const Type *t = merge_type(c);
  if (!t) return NULL;
  KVs kv = {0};
  for (size_t i = 0; i < c->nargs; i++) {
    const Value *a = c->args[i];
    TypeKind k0 = val_kind(a);
    if (k0 != TY_MAP && k0 != TY_OBJECT && k0 != TY_DYNAMIC) {
      /* merge_type skips this check when a null or unknown argument of
      ** unknown type comes first */
      free(kv.v);
      char *f = type_friendly_name(val_type(a));
      fn_error(c, "arguments must be maps or objects, got \"%s\"", f);
      free(f);
      return NULL;
    }
    if (val_is_null(a)) continue;
    if (!val_is_known(a)) {
      free(kv.v);
      return val_unknown(t);
    }
    ValIter it = val_iter(a);
    while (val_iter_next(&it)) kv_push(&kv, it.key, it.elem);
  }
  const char **names;
  const void **vals;
  size_t n = kv_finish(&kv, &names, &vals);
  Value *const *vs = (Value *const *)vals;
  Value *r = t->kind == TY_MAP ? val_map(t->elem, names, vs, n) : val_object(names, vs, n);
  free(names);
  free(vals);
  return r;
}

static const Type *one_type(FnCall *c) {
  const Type *t = val_type(c->args[0]);
  if (t->kind == TY_LIST || t->kind == TY_SET) return t->elem;
  if (t->kind == TY_DYNAMIC) return T_DYNAMIC;
  if (t->kind == TY_TUPLE && t->n <= 1) return t->n ? t->elems[0] : T_DYNAMIC;
  fn_arg_error(c, 0, "must be a list, set, or tuple value with either zero or one elements");
  return NULL;
}

static Value *f_one(FnCall *c) {
  const Type *t = one_type(c);
  if (!t) return NULL;
  const Value *l = c->args[0];
  if (!val_is_known(l)) return val_unknown(t);
  if (val_is_null(l)) return fn_arg_error(c, 0, "argument must not be null");
  size_t n = val_len(l);
  if (n == 0) return val_null(t);
  if (n > 1) return fn_arg_error(c, 0, "must be a list, set, or tuple value with either zero or one elements");
  return val_ref(val_elems(l)[0]);
}

static Value *f_range(FnCall *c) {
  Value *start, *end, *step;
  Value *zero = val_number_i64(0), *one = val_number_i64(1), *mone = val_number_i64(-1);
  switch (c->nargs) {
  case 1:
    start = zero;
    end = c->args[0];
    step = val_num_cmp(c->args[0], zero) < 0 ? mone : one;
    break;
  case 2:
    start = c->args[0];
    end = c->args[1];
    step = val_num_cmp(c->args[1], c->args[0]) < 0 ? mone : one;
    break;
  case 3:
    start = c->args[0];
    end = c->args[1];
    step = c->args[2];
    break;
  default:
    val_free(zero); val_free(one); val_free(mone);
    return fn_error(c, "must have one, two, or three arguments");
  }
  bool down = val_num_cmp(step, zero) < 0;
  Value *res = NULL;
  if (down && val_num_cmp(end, start) > 0) {
    fn_arg_error(c, 1, "end must be less than start when step is negative");
  } else if (!down && val_num_cmp(end, start) < 0) {
    fn_arg_error(c, 1, "end must be greater than start when step is positive");
  } else {
    Vals out = {0};
    Value *num = val_ref(start);
    for (;;) {
      int cmp = val_num_cmp(num, end);
      if (down ? cmp <= 0 : cmp >= 0) break;
      if (out.n >= 1024) {
        fn_error(c, "more than 1024 values were generated; either decrease the difference between "
                    "start and end or use a smaller step");
        break;
      }
      vals_push(&out, val_ref(num));
      char *err = NULL;
      Value *nx = val_num_op(VNUM_ADD, num, step, &err);
      free(err);
      val_free(num);
      num = nx;
      if (!num) break;
    }
    val_free(num);
    if (!c->failed) res = val_list(T_NUMBER, out.v, out.n);
    vals_free(&out);
  }
  val_free(zero); val_free(one); val_free(mone);
  return res;
}

static const Type *reverse_type(FnCall *c) {
  const Type *t = val_type(c->args[0]);
  if (t->kind == TY_LIST || t->kind == TY_DYNAMIC) return t;
  if (t->kind == TY_SET) return type_list(t->elem);
  if (t->kind == TY_TUPLE) {
    const Type **ts = xmalloc((t->n + 1) * sizeof *ts);
    for (size_t i = 0; i < t->n; i++) ts[i] = t->elems[t->n - 1 - i];
    const Type *r = type_tuple(ts, t->n);
    free(ts);
    return r;
  }
  char *f = type_friendly_name(t);
  fn_arg_error(c, 0, "can only reverse list or tuple values, not %s", f);
  free(f);
  return NULL;
}

static Value *f_reverse(FnCall *c) {
  const Type *t = reverse_type(c);
  if (!t) return NULL;
  size_t n = val_len(c->args[0]);
  Value *const *e = val_elems(c->args[0]);
  Value **vs = xmalloc((n ? n : 1) * sizeof *vs);
  for (size_t i = 0; i < n; i++) vs[i] = e[n - 1 - i];
  Value *r = t->kind == TY_TUPLE ? val_tuple(vs, n) : val_list(t->elem, vs, n);
  free(vs);
  return r;
}

/* Converts every argument to a set of one unified element type. */
static bool unify_sets(FnCall *c, const Type **elem) {
  const Type **ts = xmalloc(c->nargs * sizeof *ts);
  for (size_t i = 0; i < c->nargs; i++) ts[i] = val_type(c->args[i]);
  const Type *u = type_unify(ts, c->nargs);
  free(ts);
  if (!u || u->kind != TY_SET) {
    fn_error(c, "given sets must all have compatible element types");
    return false;
  }
  for (size_t i = 0; i < c->nargs; i++) {
    Value *cv = val_convert(c->args[i], u, NULL);
    if (!cv) {
      fn_error(c, "given sets must all have compatible element types");
      return false;
    }
    val_free(c->args[i]);
    c->args[i] = cv;
  }
  *elem = u->elem;
  return true;
}

/* Sets keep their elements in val_set_order, so membership is a binary
** search. */
static bool set_has(const Value *s, const Value *v) {
  size_t lo = 0, hi = val_len(s);
  Value *const *e = val_elems(s);
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int cmp = val_set_order(e[mid], v);
    if (cmp == 0) return val_raw_equal(e[mid], v);
    if (cmp < 0) lo = mid + 1;
    else hi = mid;
  }
  return false;
}

static Value *set_op(FnCall *c, int op) {
  const Type *et;
  if (!unify_sets(c, &et)) return NULL;
  Vals out = {0};
  if (op == 0) { /* union */
    for (size_t i = 0; i < c->nargs; i++) {
      ValIter it = val_iter(c->args[i]);
      while (val_iter_next(&it)) vals_push(&out, val_ref(it.elem));
    }
  } else {
    ValIter it = val_iter(c->args[0]);
    while (val_iter_next(&it)) {
      bool keep = true;
      for (size_t i = 1; i < c->nargs && keep; i++) {
        bool has = set_has(c->args[i], it.elem);
        keep = op == 1 ? has : !has;
      }
      if (keep) vals_push(&out, val_ref(it.elem));
    }
  }
  Value *r = val_set(et, out.v, out.n);
  vals_free(&out);
  return r;
}

static const Type *set_op_type(FnCall *c) {
  const Type **ts = xmalloc(c->nargs * sizeof *ts);
  for (size_t i = 0; i < c->nargs; i++) ts[i] = val_type(c->args[i]);
  const Type *u = type_unify(ts, c->nargs);
  free(ts);
  return u ? u : T_DYNAMIC;
}

static Value *f_setunion(FnCall *c) { return set_op(c, 0); }
static Value *f_setintersection(FnCall *c) { return set_op(c, 1); }
static Value *f_setsubtract(FnCall *c) { return set_op(c, 2); }

static const Type *seq_elem_type(const Type *t) {
  if (t->kind == TY_LIST || t->kind == TY_SET) return t->elem;
  if (t->kind == TY_TUPLE) {
    if (t->n == 0) return T_DYNAMIC;
    return type_unify(t->elems, t->n); /* NULL: no common type */
  }
  return T_DYNAMIC;
}

static const Type *setproduct_type(FnCall *c) {
  if (c->nargs < 2) {
    fn_error(c, "at least two arguments are required");
    return NULL;
  }
  bool any_set = false;
  const Type **ets = xmalloc(c->nargs * sizeof *ets);
  for (size_t i = 0; i < c->nargs; i++) {
    const Type *t = val_type(c->args[i]);
    if (t->kind == TY_DYNAMIC) {
      free(ets);
      return T_DYNAMIC;
    }
    if (!type_is_sequence(t)) {
      free(ets);
      fn_arg_error(c, i, "a set or a list is required");
      return NULL;
    }
    if (t->kind == TY_SET) any_set = true;
    ets[i] = seq_elem_type(t);
    if (!ets[i]) {
      free(ets);
      fn_arg_error(c, i, "all elements must be of the same type");
      return NULL;
    }
  }
  const Type *tt = type_tuple(ets, c->nargs);
  free(ets);
  return any_set ? type_set(tt) : type_list(tt);
}

static Value *f_setproduct(FnCall *c) {
  const Type *t = setproduct_type(c);
  if (!t) return NULL;
  const Type *tt = t->elem;
  size_t total = 1;
  for (size_t i = 0; i < c->nargs; i++) total *= val_len(c->args[i]);
  Vals out = {0};
  size_t *idx = xcalloc(c->nargs, sizeof *idx);
  Value **row = xmalloc(c->nargs * sizeof *row);
  for (size_t k = 0; k < total; k++) {
    for (size_t i = 0; i < c->nargs; i++) {
      Value *e = val_elems(c->args[i])[idx[i]];
      row[i] = val_convert(e, tt->elems[i], NULL);
      if (!row[i]) row[i] = val_ref(e);
    }
    vals_push(&out, val_tuple(row, c->nargs));
    for (size_t i = 0; i < c->nargs; i++) val_free(row[i]);
    for (size_t i = c->nargs; i-- > 0;) {
      if (++idx[i] < val_len(c->args[i])) break;
      idx[i] = 0;
    }
  }
  free(idx);
  free(row);
  Value *r = t->kind == TY_SET ? val_set(tt, out.v, out.n) : val_list(tt, out.v, out.n);
  vals_free(&out);
  return r;
}

/* The checks in go-cty's order, each on the argument it is about. */
static bool slice_bounds(FnCall *c, int64_t *s, int64_t *e, size_t n) {
  if (!fn_int_arg(c, 1, s, true) || !fn_int_arg(c, 2, e, true)) return false;
  if (*s < 0) return fn_arg_error(c, 1, "start index must not be less than zero"), false;
  if (*s > (int64_t)n) return fn_arg_error(c, 1, "start index must not be greater than the length of the list"), false;
  if (*e > (int64_t)n) return fn_arg_error(c, 2, "end index must not be greater than the length of the list"), false;
  if (*s > *e) return fn_arg_error(c, 1, "start index must not be greater than end index"), false;
  return true;
}

static const Type *slice_type(FnCall *c) {
  const Type *t = val_type(c->args[0]);
  if (t->kind == TY_LIST || t->kind == TY_DYNAMIC) return t;
  if (t->kind == TY_SET) {
    fn_arg_error(c, 0, "cannot slice a set, because its elements do not have indices; explicitly convert to a "
                       "list if the ordering of the result is not important");
    return NULL;
  }
  if (t->kind != TY_TUPLE) {
    fn_arg_error(c, 0, "must be a list or tuple value");
    return NULL;
  }
  if (!val_is_known(c->args[1]) || !val_is_known(c->args[2])) return T_DYNAMIC;
  int64_t s, e;
  if (!slice_bounds(c, &s, &e, t->n)) return NULL;
  return type_tuple(t->elems + s, (size_t)(e - s));
}

static Value *f_slice(FnCall *c) {
  const Type *t = slice_type(c);
  if (!t) return NULL;
  int64_t s, e;
  if (!slice_bounds(c, &s, &e, val_len(c->args[0]))) return NULL;
  Value *const *el = val_elems(c->args[0]) + s;
  if (val_kind(c->args[0]) == TY_TUPLE) return val_tuple(el, (size_t)(e - s));
  return val_list(val_type(c->args[0])->elem, el, (size_t)(e - s));
}

static int str_cmp(const void *a, const void *b) {
  const Value *x = *(Value *const *)a, *y = *(Value *const *)b;
  size_t xn = val_str_len(x), yn = val_str_len(y);
  int r = memcmp(val_str(x), val_str(y), xn < yn ? xn : yn);
  return r ? r : (xn < yn ? -1 : xn > yn);
}

static Value *f_sort(FnCall *c) {
  size_t n = val_len(c->args[0]);
  Value **vs = xmalloc((n ? n : 1) * sizeof *vs);
  for (size_t i = 0; i < n; i++) {
    vs[i] = val_elems(c->args[0])[i];
    if (val_is_null(vs[i])) {
      free(vs);
      return fn_error(c, "given list element %zu is null; a null string cannot be sorted", i);
    }
  }
  qsort(vs, n, sizeof *vs, str_cmp);
  Value *r = val_list(T_STRING, vs, n);
  free(vs);
  return r;
}

static Value *f_sum(FnCall *c) {
  const Value *l = c->args[0];
  if (!type_is_sequence(val_type(l))) {
    char *f = friendly(l);
    fn_arg_error(c, 0, "argument must be list, set, or tuple. Received %s", f);
    free(f);
    return NULL;
  }
  if (val_len(l) == 0) return fn_arg_error(c, 0, "cannot sum an empty list");
  Value *acc = NULL;
  ValIter it = val_iter(l);
  while (val_iter_next(&it)) {
    Value *n = val_is_null(it.elem) ? NULL : val_convert(it.elem, T_NUMBER, NULL);
    if (!n) {
      val_free(acc);
      return fn_arg_error(c, 0, "argument must be list, set, or tuple of number values");
    }
    if (!acc) {
      acc = n;
      continue;
    }
    char *err = NULL;
    Value *s = val_num_op(VNUM_ADD, acc, n, &err);
    val_free(acc);
    val_free(n);
    if (!s) {
      fn_error(c, "%s", err ? err : "can't compute sum");
      free(err);
      return NULL;
    }
    acc = s;
  }
  return acc;
}

/* Pairs (element, key) sorted by element then input order give each
** output list in the order Terraform builds it. */
static Value *f_transpose(FnCall *c) {
  KVs kv = {0};
  ValIter it = val_iter(c->args[0]);
  while (val_iter_next(&it)) {
    if (val_is_null(it.elem)) {
      free(kv.v);
      return fn_arg_error(c, 0, "lists must not be null");
    }
    ValIter li = val_iter(it.elem);
    while (val_iter_next(&li)) {
      if (val_is_null(li.elem)) {
        free(kv.v);
        return fn_arg_error(c, 0, "lists must not contain null values");
      }
      kv_push(&kv, val_str(li.elem), it.key);
    }
  }
  if (kv.n) qsort(kv.v, kv.n, sizeof *kv.v, kv_cmp);
  const char **keys = xmalloc((kv.n ? kv.n : 1) * sizeof *keys);
  Value **lists = xmalloc((kv.n ? kv.n : 1) * sizeof *lists);
  size_t nk = 0;
  for (size_t i = 0; i < kv.n;) {
    size_t j = i;
    Vals grp = {0};
    while (j < kv.n && strcmp(kv.v[j].key, kv.v[i].key) == 0) vals_push(&grp, val_cstring(kv.v[j++].val));
    keys[nk] = kv.v[i].key;
    lists[nk++] = val_list(T_STRING, grp.v, grp.n);
    vals_free(&grp);
    i = j;
  }
  Value *r = val_map(type_list(T_STRING), keys, lists, nk);
  for (size_t k = 0; k < nk; k++) val_free(lists[k]);
  free(lists);
  free(keys);
  free(kv.v);
  return r;
}

static const Type *zipmap_type(FnCall *c) {
  const Type *vt = val_type(c->args[1]);
  if (vt->kind == TY_LIST) return type_map(vt->elem);
  if (vt->kind == TY_DYNAMIC) return T_DYNAMIC;
  if (vt->kind != TY_TUPLE) {
    fn_error(c, "values argument must be a list or tuple value");
    return NULL;
  }
  if (!val_is_wholly_known(c->args[0])) return T_DYNAMIC;
  size_t n = val_len(c->args[0]);
  if (n != vt->n) {
    fn_error(c, "number of keys (%zu) does not match number of values (%zu)", n, vt->n);
    return NULL;
  }
  KVs kv = {0};
  for (size_t i = 0; i < n; i++) {
    const Value *k = val_elems(c->args[0])[i];
    if (!val_is_null(k)) kv_push(&kv, val_str(k), vt->elems[i]);
  }
  const char **names;
  const void **types;
  size_t m = kv_finish(&kv, &names, &types);
  const Type *r = type_object(names, (const Type *const *)types, m);
  free(names);
  free(types);
  return r;
}

static Value *f_zipmap(FnCall *c) {
  const Type *t = zipmap_type(c);
  if (!t) return NULL;
  const Value *ks = c->args[0], *vs = c->args[1];
  size_t n = val_len(ks);
  if (n != val_len(vs))
    return fn_error(c, "number of keys (%zu) does not match number of values (%zu)", n, val_len(vs));
  KVs kv = {0};
  for (size_t i = 0; i < n; i++) {
    const Value *k = val_elems(ks)[i];
    if (val_is_null(k)) {
      free(kv.v);
      return fn_arg_error(c, 0, "keys list has null value at index %zu", i);
    }
    kv_push(&kv, val_str(k), val_elems(vs)[i]);
  }
  const char **names;
  const void **vals;
  size_t m = kv_finish(&kv, &names, &vals);
  Value *const *v = (Value *const *)vals;
  Value *r = t->kind == TY_MAP ? val_map(t->elem, names, v, m) : val_object(names, v, m);
  free(names);
  free(vals);
  return r;
}

/* Terraform stops at the first deciding element, so an unknown after a
** false (alltrue) or a true (anytrue) does not make the result unknown. */
static Value *f_alltrue(FnCall *c) {
  if (!val_is_known(c->args[0])) return val_unknown(T_BOOL);
  ValIter it = val_iter(c->args[0]);
  while (val_iter_next(&it)) {
    if (!val_is_known(it.elem)) return val_unknown(T_BOOL);
    if (val_is_null(it.elem) || !val_get_bool(it.elem)) return val_bool(false);
  }
  return val_bool(true);
}

static Value *f_anytrue(FnCall *c) {
  if (!val_is_known(c->args[0])) return val_unknown(T_BOOL);
  bool unknown = false;
  ValIter it = val_iter(c->args[0]);
  while (val_iter_next(&it)) {
    if (!val_is_known(it.elem)) unknown = true;
    else if (!val_is_null(it.elem) && val_get_bool(it.elem)) return val_bool(true);
  }
  return unknown ? val_unknown(T_BOOL) : val_bool(false);
}

/* list() and map() were removed in Terraform 0.12; they exist only to say so. */
static const Type *removed_list(FnCall *c) {
  fn_error(c, "the \"list\" function was deprecated in Terraform v0.12 and is no longer available; use "
              "tolist([ ... ]) syntax to write a literal list");
  return NULL;
}
static const Type *removed_map(FnCall *c) {
  fn_error(c, "the \"map\" function was deprecated in Terraform v0.12 and is no longer available; use "
              "tomap({ ... }) syntax to write a literal map");
  return NULL;
}
static Value *f_removed(FnCall *c) {
  if (strcmp(c->def->name, "list") == 0) removed_list(c);
  else removed_map(c);
  return NULL;
}

#define ANY_U (FP_UNKNOWN)
#define ANY_NU (FP_NULL | FP_UNKNOWN)

const FnDef fn_defs_collection[] = {
    {"chunklist", {{"list", FT_LIST_ANY, FP_SHALLOW}, {"size", FT_NUMBER, 0}}, 2, {0}, FT_ANY, chunklist_type, f_chunklist},
    {"coalesce", {{0}}, 0, {"vals", FT_ANY, ANY_NU | FP_SHALLOW}, FT_ANY, coalesce_type, f_coalesce},
    {"coalescelist", {{0}}, 0, {"vals", FT_ANY, ANY_NU | FP_SHALLOW}, FT_ANY, coalescelist_type, f_coalescelist},
    {"compact", {{"list", FT_LIST_STRING, 0}}, 1, {0}, FT_LIST_STRING, NULL, f_compact},
    {"concat", {{0}}, 0, {"seqs", FT_ANY, ANY_U | FP_SHALLOW}, FT_ANY, concat_type, f_concat},
    {"contains", {{"list", FT_ANY, ANY_U}, {"value", FT_ANY, ANY_U}}, 2, {0}, FT_BOOL, NULL, f_contains},
    {"distinct", {{"list", FT_LIST_ANY, 0}}, 1, {0}, FT_ANY, same_list_type, f_distinct},
    {"element", {{"list", FT_ANY, FP_SHALLOW}, {"index", FT_NUMBER, 0}}, 2, {0}, FT_ANY, element_type, f_element},
    {"flatten", {{"list", FT_ANY, ANY_U | FP_SHALLOW}}, 1, {0}, FT_ANY, NULL, f_flatten},
    {"index", {{"list", FT_ANY, ANY_U}, {"value", FT_ANY, ANY_U}}, 2, {0}, FT_NUMBER, NULL, f_index},
    {"keys", {{"inputMap", FT_ANY, FP_SHALLOW}}, 1, {0}, FT_ANY, keys_type, f_keys},
    {"values", {{"mapping", FT_ANY, FP_SHALLOW}}, 1, {0}, FT_ANY, values_type, f_values},
    {"length", {{"value", FT_ANY, ANY_U | FP_SHALLOW}}, 1, {0}, FT_NUMBER, NULL, f_length},
    {"lookup", {{"inputMap", FT_ANY, ANY_U | FP_SHALLOW}, {"key", FT_STRING, ANY_U}}, 2,
     {"default", FT_ANY, ANY_NU | FP_SHALLOW}, FT_ANY, lookup_type, f_lookup},
    {"matchkeys", {{"values", FT_LIST_ANY, 0}, {"keys", FT_LIST_ANY, 0}, {"searchset", FT_LIST_ANY, 0}}, 3,
     {0}, FT_ANY, matchkeys_type, f_matchkeys},
    {"merge", {{0}}, 0, {"maps", FT_ANY, ANY_NU | FP_SHALLOW}, FT_ANY, merge_type, f_merge},
    {"one", {{"list", FT_ANY, ANY_U | FP_SHALLOW}}, 1, {0}, FT_ANY, one_type, f_one},
    {"range", {{0}}, 0, {"params", FT_NUMBER, 0}, FT_LIST_NUMBER, NULL, f_range},
    {"reverse", {{"list", FT_ANY, FP_SHALLOW}}, 1, {0}, FT_ANY, reverse_type, f_reverse},
    {"setintersection", {{"first_set", FT_SET_ANY, 0}}, 1, {"other_sets", FT_SET_ANY, 0}, FT_ANY,
     set_op_type, f_setintersection},
    {"setsubtract", {{"a", FT_SET_ANY, 0}, {"b", FT_SET_ANY, 0}}, 2, {0}, FT_ANY, set_op_type, f_setsubtract},
    {"setunion", {{"first_set", FT_SET_ANY, 0}}, 1, {"other_sets", FT_SET_ANY, 0}, FT_ANY, set_op_type, f_setunion},
    {"setproduct", {{0}}, 0, {"sets", FT_ANY, 0}, FT_ANY, setproduct_type, f_setproduct},
    {"slice", {{"list", FT_ANY, FP_SHALLOW}, {"start_index", FT_NUMBER, 0}, {"end_index", FT_NUMBER, 0}}, 3, {0},
     FT_ANY, slice_type, f_slice},
    {"sort", {{"list", FT_LIST_STRING, 0}}, 1, {0}, FT_LIST_STRING, NULL, f_sort},
    {"sum", {{"list", FT_ANY, 0}}, 1, {0}, FT_NUMBER, NULL, f_sum},
    {"transpose", {{"values", FT_MAP_LIST_STRING, 0}}, 1, {0}, FT_MAP_LIST_STRING, NULL, f_transpose},
    {"zipmap", {{"keys", FT_LIST_STRING, 0}, {"values", FT_ANY, FP_SHALLOW}}, 2, {0}, FT_ANY, zipmap_type, f_zipmap},
    {"alltrue", {{"list", FT_LIST_BOOL, FP_UNKNOWN}}, 1, {0}, FT_BOOL, NULL, f_alltrue},
    {"anytrue", {{"list", FT_LIST_BOOL, FP_UNKNOWN}}, 1, {0}, FT_BOOL, NULL, f_anytrue},
    {"list", {{0}}, 0, {"vals", FT_ANY, ANY_NU}, FT_ANY, removed_list, f_removed},
    {"map", {{0}}, 0, {"vals", FT_ANY, ANY_NU}, FT_ANY, removed_map, f_removed},
    {NULL, {{0}}, 0, {0}, FT_ANY, NULL, NULL},
};
