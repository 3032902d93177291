/*
** stdlib/dispatch.c — the signature table and the dispatcher.
**
** The rows live next to their implementations (one array per category
** file); this file merges them into the one sorted table that fn_exists,
** fn_names and fn_call search, and runs the generic part of every call
** (see fn.h for what the dispatcher guarantees an implementation).
*/
#include "stdlib/fn.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/util.h"

static const FnDef *const fn_tables[] = {fn_defs_numeric, fn_defs_string, fn_defs_collection,
                                         fn_defs_encoding, fn_defs_fs,     fn_defs_time,
                                         fn_defs_crypto,   fn_defs_net,    fn_defs_conv,
                                         fn_defs_regex,    fn_defs_format, fn_defs_yaml};

static const FnDef **fn_sorted;   /* every row, sorted by name */
static const char **fn_namev;     /* parallel names, for fn_names */
static size_t fn_count;
static pthread_once_t fn_once = PTHREAD_ONCE_INIT;

static int def_cmp(const void *a, const void *b) {
  return strcmp((*(const FnDef *const *)a)->name, (*(const FnDef *const *)b)->name);
}

/* Built once, on first use; the graph walk may call functions from several
** threads, hence pthread_once. The arrays live for the whole process. */
static void fn_build(void) {
  size_t n = 0;
  for (size_t t = 0; t < sizeof fn_tables / sizeof fn_tables[0]; t++)
    for (const FnDef *d = fn_tables[t]; d->name; d++) n++;
  fn_sorted = xmalloc(n * sizeof *fn_sorted);
  fn_namev = xmalloc((n + 1) * sizeof *fn_namev);
  for (size_t t = 0; t < sizeof fn_tables / sizeof fn_tables[0]; t++)
    for (const FnDef *d = fn_tables[t]; d->name; d++) fn_sorted[fn_count++] = d;
  qsort(fn_sorted, fn_count, sizeof *fn_sorted, def_cmp);
  for (size_t i = 0; i < fn_count; i++) fn_namev[i] = fn_sorted[i]->name;
  fn_namev[fn_count] = NULL;
}

static const FnDef *fn_find(const char *name) {
  pthread_once(&fn_once, fn_build);
  if (strncmp(name, "core::", 6) == 0) name += 6;
  size_t lo = 0, hi = fn_count;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = strcmp(name, fn_sorted[mid]->name);
    if (c == 0) return fn_sorted[mid];
    if (c < 0) hi = mid;
    else lo = mid + 1;
  }
  return NULL;
}

bool fn_exists(const char *name) { return fn_find(name) != NULL; }

const char *const *fn_names(size_t *n) {
  pthread_once(&fn_once, fn_build);
  if (n) *n = fn_count;
  return fn_namev;
}

const Type *fn_type(FnType t) {
  switch (t) {
  case FT_ANY: return T_DYNAMIC;
  case FT_STRING: return T_STRING;
  case FT_NUMBER: return T_NUMBER;
  case FT_BOOL: return T_BOOL;
  case FT_LIST_ANY: return type_list(T_DYNAMIC);
  case FT_SET_ANY: return type_set(T_DYNAMIC);
  case FT_MAP_ANY: return type_map(T_DYNAMIC);
  case FT_LIST_STRING: return type_list(T_STRING);
  case FT_LIST_NUMBER: return type_list(T_NUMBER);
  case FT_LIST_BOOL: return type_list(T_BOOL);
  case FT_SET_STRING: return type_set(T_STRING);
  case FT_MAP_STRING: return type_map(T_STRING);
  case FT_MAP_LIST_STRING: return type_map(type_list(T_STRING));
  case FT_LIST_LIST_ANY: return type_list(type_list(T_DYNAMIC));
  }
  return T_DYNAMIC;
}

static SrcRange arg_range(const FnCall *c, size_t i) {
  if (c->ranges && i < c->nargs) return c->ranges[i];
  return c->call_range;
}

static const FnParam *param_of(const FnDef *d, size_t i) {
  if ((int)i < d->nparams) return &d->params[i];
  return d->var.name ? &d->var : NULL;
}

Value *fn_arg_error(FnCall *c, size_t i, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Buf b = BUF_INIT;
  char tmp[1024];
  vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  const FnParam *p = param_of(c->def, i);
  buf_printf(&b, "Invalid value for \"%s\" parameter: %s.", p ? p->name : "?", tmp);
  SrcRange r = arg_range(c, i);
  diag_add(c->diags, DIAG_ERROR, &r, "Invalid function argument", "%s", b.s);
  buf_free(&b);
  c->failed = true;
  return NULL;
}

Value *fn_error(FnCall *c, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char tmp[1024];
  vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  diag_add(c->diags, DIAG_ERROR, &c->call_range, "Error in function call",
           "Call to function \"%s\" failed: %s.", c->def->name, tmp);
  c->failed = true;
  return NULL;
}

/* cty phrases a conversion failure inside a collection as "element 1: ..."
** or "attribute \"a\": ..."; the value model gives the path as "[1]" or
** ".a", so the first step of the path is translated here. */
static char *conv_err_message(const ValConvErr *e) {
  const char *p = e->path ? e->path : "";
  const char *any = e->msg ? strstr(e->msg, " of any type required") : NULL;
  if (!*p && any) /* cty says "list of any single type required" */
    return xasprintf("%.*s of any single type required", (int)(any - e->msg), e->msg);
  /* cty's wording for a tuple whose elements do not unify */
  static const char *const kinds[] = {"list", "set", "map"};
  for (size_t k = 0; !*p && e->msg && k < 3; k++) {
    char want[64];
    snprintf(want, sizeof want, "element types must all match for conversion to %s", kinds[k]);
    if (!strcmp(e->msg, want)) return xasprintf("all %s elements must have the same type", kinds[k]);
  }
  if (!*p) return xstrdup(e->msg ? e->msg : "invalid value");
  Buf b = BUF_INIT;
  if (p[0] == '[' && p[1] != '"') {
    size_t n = strcspn(p + 1, "]");
    buf_printf(&b, "element %.*s: %s", (int)n, p + 1, e->msg);
  } else if (p[0] == '[') {
    size_t n = strcspn(p + 2, "\"");
    buf_printf(&b, "element \"%.*s\": %s", (int)n, p + 2, e->msg);
  } else if (p[0] == '.') {
    size_t n = strcspn(p + 1, ".[");
    buf_printf(&b, "attribute \"%.*s\": %s", (int)n, p + 1, e->msg);
  } else {
    buf_printf(&b, "%s: %s", p, e->msg);
  }
  return buf_take(&b);
}

static const Type *ret_type(FnCall *c) {
  if (c->def->type_fn) return c->def->type_fn(c);
  return fn_type(c->def->ret);
}

Value *fn_call(const char *name, Value **args, size_t nargs, const SrcRange *arg_ranges,
               SrcRange call_range, FnCtx *ctx, DiagList *diags) {
  const FnDef *d = fn_find(name);
  if (!d) {
    diag_add(diags, DIAG_ERROR, &call_range, "Call to unknown function",
             "There is no function named \"%s\".", name);
    return NULL;
  }
  FnCtx dflt = {0};
  FnCall c = {d, NULL, nargs, arg_ranges, call_range, ctx ? ctx : &dflt, diags, false, args};

  /* Arity, with HCL's texts. */
  if (nargs < (size_t)d->nparams) {
    diag_add(diags, DIAG_ERROR, &call_range, "Not enough function arguments",
             "Function \"%s\" expects %s%d argument(s). Missing value for \"%s\".", d->name,
             d->var.name ? "at least " : "", d->nparams, d->params[nargs].name);
    return NULL;
  }
  if (!d->var.name && nargs > (size_t)d->nparams) {
    SrcRange r = arg_ranges ? arg_ranges[d->nparams] : call_range;
    diag_add(diags, DIAG_ERROR, &r, "Too many function arguments",
             "Function \"%s\" expects only %d argument(s).", d->name, d->nparams);
    return NULL;
  }

  /* Nulls, conversions, marks, unknowns: one prologue for every function. */
  c.args = xcalloc(nargs ? nargs : 1, sizeof *c.args);
  bool sensitive = false, unknown = false;
  for (size_t i = 0; i < nargs; i++) {
    const FnParam *p = param_of(d, i);
    Value *v = val_ref(args[i]);
    bool shallow = p->flags & FP_SHALLOW;
    if (!(p->flags & FP_MARKED) && (shallow ? val_is_sensitive(v) : val_has_sensitive(v))) {
      sensitive = true;
      Value *u = shallow ? val_unmark(v) : val_unmark_deep(v);
      val_free(v);
      v = u;
    }
    if (val_is_null(v) && !(p->flags & FP_NULL)) {
      fn_arg_error(&c, i, "argument must not be null");
      val_free(v);
      continue;
    }
    if (p->type != FT_ANY) {
      ValConvErr err = {0};
      Value *cv = val_convert(v, fn_type(p->type), &err);
      if (!cv) {
        char *m = conv_err_message(&err);
        fn_arg_error(&c, i, "%s", m);
        free(m);
        val_conv_err_free(&err);
        val_free(v);
        continue;
      }
      val_free(v);
      v = cv;
    }
    if (!(p->flags & FP_UNKNOWN) && !(shallow ? val_is_known(v) : val_is_wholly_known(v))) unknown = true;
    c.args[i] = v;
  }

  Value *res = NULL;
  if (!c.failed) {
    if (unknown) {
      const Type *t = ret_type(&c);
      if (t) res = val_unknown(t);
    } else {
      res = d->impl(&c);
      if (!res && !c.failed) fn_error(&c, "internal error");
    }
  }
  for (size_t i = 0; i < nargs; i++) val_free(c.args[i]);
  free(c.args);
  if (res && sensitive && !val_is_sensitive(res)) {
    Value *m = val_mark_sensitive(res);
    val_free(res);
    res = m;
  }
  return res;
}

/* ------------------------------------------------------------ helpers */

const char *fn_show(const FnCall *c, size_t i, const char *text) {
  if (c->orig && i < c->nargs && val_has_sensitive(c->orig[i])) return "(sensitive value)";
  return text;
}

Value *fn_str(const char *s, size_t n) { return val_string(s, n); }
Value *fn_cstr(const char *s) { return val_cstring(s); }

bool fn_int_arg(FnCall *c, size_t i, int64_t *out, bool as_arg_error) {
  if (val_get_i64(c->args[i], out)) return true;
  const char *m = "value must be a whole number, between -9223372036854775808 and "
                  "9223372036854775807";
  if (as_arg_error) fn_arg_error(c, i, "%s", m);
  else fn_error(c, "%s", m);
  return false;
}

Value *fn_string_list(char **items, size_t n) {
  Value **vs = xmalloc((n ? n : 1) * sizeof *vs);
  for (size_t i = 0; i < n; i++) {
    vs[i] = val_cstring(items[i]);
    free(items[i]);
  }
  free(items);
  Value *l = val_list(T_STRING, vs, n);
  for (size_t i = 0; i < n; i++) val_free(vs[i]);
  free(vs);
  return l;
}
