/*
** providers/schema.c — the generic schema operations of provider.h: the
** object type a schema describes, Terraform's ProposedNewObject, the
** declarative validations, replacement paths, defaults, and the small
** containers (ProvDiags, PathSet) and lookups the interface declares.
**
** Paths are written as the core maps them to source ranges:
** "production_variants[0].instance_type", "tags[\"k\"]" is not needed here
** (validations stop at attributes).
*/
#include "providers/provider.h"

#include "base/buf.h"
#include "base/util.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ diagnostics */

void prov_diag(ProvDiags *d, DiagSeverity sev, const char *path, const char *summary, const char *detail, ...) {
  ProvDiag pd = {sev, path ? xstrdup(path) : NULL, xstrdup(summary), NULL};
  if (detail) {
    va_list ap;
    va_start(ap, detail);
    char *s = NULL;
    if (vasprintf(&s, detail, ap) < 0) s = NULL;
    va_end(ap);
    pd.detail = s;
  }
  VEC_PUSH(d->v, d->n, d->cap, pd);
  if (sev == DIAG_ERROR) d->nerrors++;
}

void prov_diags_free(ProvDiags *d) {
  for (size_t i = 0; i < d->n; i++) {
    free(d->v[i].path);
    free(d->v[i].summary);
    free(d->v[i].detail);
  }
  free(d->v);
  memset(d, 0, sizeof *d);
}

void pathset_add(PathSet *p, const char *path) {
  if (pathset_has(p, path)) return;
  char *s = xstrdup(path);
  VEC_PUSH(p->v, p->n, p->cap, s);
}

bool pathset_has(const PathSet *p, const char *path) {
  for (size_t i = 0; i < p->n; i++)
    if (strcmp(p->v[i], path) == 0) return true;
  return false;
}

void pathset_free(PathSet *p) {
  for (size_t i = 0; i < p->n; i++) free(p->v[i]);
  free(p->v);
  memset(p, 0, sizeof *p);
}

const ResourceType *provider_resource(const Provider *p, const char *type) {
  for (size_t i = 0; i < p->nresources; i++)
    if (strcmp(p->resources[i]->name, type) == 0) return p->resources[i];
  return NULL;
}

const DataSourceType *provider_data_source(const Provider *p, const char *type) {
  for (size_t i = 0; i < p->ndata_sources; i++)
    if (strcmp(p->data_sources[i]->name, type) == 0) return p->data_sources[i];
  return NULL;
}

/* ------------------------------------------------------------------ types */

/* Parses the small type-expression language schema tables use: string,
** number, bool, list(T), set(T), map(T). A malformed table is a
** programming error, caught by the first unit test that touches it. */
static const Type *parse_type(const char **s) {
  static const struct {
    const char *kw;
    const Type *t;
  } prims[] = {{"string", &ty_string}, {"number", &ty_number}, {"bool", &ty_bool}, {"dynamic", &ty_dynamic}};
  for (size_t i = 0; i < sizeof prims / sizeof prims[0]; i++) {
    size_t n = strlen(prims[i].kw);
    if (strncmp(*s, prims[i].kw, n) == 0) {
      *s += n;
      return prims[i].t;
    }
  }
  static const char *const colls[] = {"list(", "set(", "map("};
  for (int i = 0; i < 3; i++) {
    size_t n = strlen(colls[i]);
    if (strncmp(*s, colls[i], n) != 0) continue;
    *s += n;
    const Type *e = parse_type(s);
    if (!e || **s != ')') return NULL;
    (*s)++;
    return i == 0 ? type_list(e) : i == 1 ? type_set(e) : type_map(e);
  }
  return NULL;
}

static const Type *attr_type(const SchemaAttr *a) {
  const char *s = a->type;
  const Type *t = parse_type(&s);
  if (!t || *s) {
    fprintf(stderr, "tfc: internal error: bad schema type \"%s\" for %s\n", a->type, a->name);
    abort();
  }
  return t;
}

/* Types are interned, so a cache only saves the walk; it is keyed by the
** schema's address (schemas are static tables) and shared by threads. */
static pthread_mutex_t type_mu = PTHREAD_MUTEX_INITIALIZER;
static struct TypeCache {
  const Schema *s;
  const Type *t;
} *type_cache;
static size_t ntype_cache, cap_type_cache;

const Type *schema_type(const Schema *s) {
  pthread_mutex_lock(&type_mu);
  for (size_t i = 0; i < ntype_cache; i++)
    if (type_cache[i].s == s) {
      const Type *t = type_cache[i].t;
      pthread_mutex_unlock(&type_mu);
      return t;
    }
  pthread_mutex_unlock(&type_mu);
  size_t n = s->nattrs + s->nblocks;
  const char **names = xmalloc((n ? n : 1) * sizeof *names);
  const Type **types = xmalloc((n ? n : 1) * sizeof *types);
  for (size_t i = 0; i < s->nattrs; i++) {
    names[i] = s->attrs[i].name;
    types[i] = attr_type(&s->attrs[i]);
  }
  for (size_t i = 0; i < s->nblocks; i++) {
    const SchemaBlock *b = &s->blocks[i];
    const Type *et = schema_type(b->schema);
    names[s->nattrs + i] = b->name;
    types[s->nattrs + i] = b->nesting == NEST_SET ? type_set(et) : type_list(et);
  }
  const Type *t = type_object(names, types, n);
  free(names);
  free(types);
  pthread_mutex_lock(&type_mu);
  struct TypeCache c = {s, t};
  VEC_PUSH(type_cache, ntype_cache, cap_type_cache, c);
  pthread_mutex_unlock(&type_mu);
  return t;
}

const SchemaAttr *schema_attr(const Schema *s, const char *name) {
  for (size_t i = 0; i < s->nattrs; i++)
    if (strcmp(s->attrs[i].name, name) == 0) return &s->attrs[i];
  return NULL;
}

const SchemaBlock *schema_block(const Schema *s, const char *name) {
  for (size_t i = 0; i < s->nblocks; i++)
    if (strcmp(s->blocks[i].name, name) == 0) return &s->blocks[i];
  return NULL;
}

/* ------------------------------------------------------------ helpers */

/* An attribute of an object value, or NULL when v is null/unknown or has no
** such attribute. A new reference. */
static Value *get(const Value *v, const char *name) {
  if (!v || val_is_null(v) || !val_is_known(v) || val_kind(v) != TY_OBJECT) return NULL;
  return val_attr(v, name);
}

/* Builds the object of schema s from parallel arrays indexed as in
** schema_type (attrs, then blocks); consumes the values. */
static Value *build(const Schema *s, Value **vals) {
  size_t n = s->nattrs + s->nblocks;
  const char **names = xmalloc((n ? n : 1) * sizeof *names);
  for (size_t i = 0; i < s->nattrs; i++) names[i] = s->attrs[i].name;
  for (size_t i = 0; i < s->nblocks; i++) names[s->nattrs + i] = s->blocks[i].name;
  Value *o = val_object(names, vals, n);
  for (size_t i = 0; i < n; i++) val_free(vals[i]);
  free(names);
  return o;
}

static bool has_force_new(const Schema *s) {
  for (size_t i = 0; i < s->nattrs; i++)
    if (s->attrs[i].flags & SA_FORCE_NEW) return true;
  for (size_t i = 0; i < s->nblocks; i++)
    if ((s->blocks[i].flags & SA_FORCE_NEW) || has_force_new(s->blocks[i].schema)) return true;
  return false;
}

/* ------------------------------------------------------- proposed new */

static Value *proposed_obj(const Schema *s, const Value *prior, const Value *config);

/* Whether two set elements are "the same object" for carrying computed
** values over: equal in every attribute the configuration sets. */
static bool same_configured(const Schema *s, const Value *prior, const Value *config) {
  for (size_t i = 0; i < s->nattrs; i++) {
    const SchemaAttr *a = &s->attrs[i];
    Value *c = get(config, a->name), *p = get(prior, a->name);
    bool ok = true;
    if (c && !val_is_null(c) && !((a->flags & SA_COMPUTED) && !(a->flags & SA_OPTIONAL)))
      ok = p && val_raw_equal(c, p);
    val_free(c);
    val_free(p);
    if (!ok) return false;
  }
  return true;
}

static Value *proposed_block(const SchemaBlock *b, const Value *prior, const Value *config) {
  const Type *et = schema_type(b->schema);
  const Type *ct = b->nesting == NEST_SET ? type_set(et) : type_list(et);
  if (!config || val_is_null(config)) {
    if ((b->flags & SA_COMPUTED) && prior && !val_is_null(prior)) return val_ref(prior);
    return config ? val_ref(config) : val_list(et, NULL, 0);
  }
  if (!val_is_known(config)) return val_ref(config);
  size_t n = val_len(config);
  /* an optional+computed block left out of the configuration keeps what the
  ** provider chose (unknown on create) */
  if (n == 0 && (b->flags & SA_COMPUTED)) {
    if (prior && !val_is_null(prior)) return val_ref(prior);
    return val_unknown(ct);
  }
  Value *const *ce = val_elems(config);
  size_t np = prior && !val_is_null(prior) && val_is_known(prior) ? val_len(prior) : 0;
  Value *const *pe = np ? val_elems(prior) : NULL;
  Value **out = xmalloc((n ? n : 1) * sizeof *out);
  bool *used = xcalloc(np ? np : 1, sizeof *used);
  for (size_t i = 0; i < n; i++) {
    const Value *pm = NULL;
    if (b->nesting == NEST_LIST) {
      pm = i < np ? pe[i] : NULL;
    } else {
      for (size_t j = 0; j < np; j++)
        if (!used[j] && same_configured(b->schema, pe[j], ce[i])) {
          used[j] = true;
          pm = pe[j];
          break;
        }
    }
    out[i] = proposed_obj(b->schema, pm, ce[i]);
  }
  Value *r = b->nesting == NEST_SET ? val_set(et, out, n) : val_list(et, out, n);
  for (size_t i = 0; i < n; i++) val_free(out[i]);
  free(out);
  free(used);
  return r;
}

static Value *proposed_obj(const Schema *s, const Value *prior, const Value *config) {
  if (!config || val_is_null(config) || !val_is_known(config)) return config ? val_ref(config) : NULL;
  bool have_prior = prior && !val_is_null(prior) && val_is_known(prior);
  size_t n = s->nattrs + s->nblocks;
  Value **vals = xmalloc((n ? n : 1) * sizeof *vals);
  for (size_t i = 0; i < s->nattrs; i++) {
    const SchemaAttr *a = &s->attrs[i];
    Value *c = get(config, a->name);
    if (!c) c = val_null(attr_type(a));
    if ((a->flags & SA_COMPUTED) && val_is_null(c)) {
      val_free(c);
      Value *p = have_prior ? get(prior, a->name) : NULL;
      vals[i] = p ? p : val_unknown(attr_type(a));
    } else {
      vals[i] = c;
    }
  }
  for (size_t i = 0; i < s->nblocks; i++) {
    const SchemaBlock *b = &s->blocks[i];
    Value *c = get(config, b->name), *p = have_prior ? get(prior, b->name) : NULL;
    vals[s->nattrs + i] = proposed_block(b, p, c);
    val_free(c);
    val_free(p);
  }
  Value *r = build(s, vals);
  free(vals);
  return r;
}

Value *schema_proposed_new(const Schema *s, const Value *prior, const Value *config) {
  if (!config) return val_null(schema_type(s));
  return proposed_obj(s, prior, config);
}

/* ------------------------------------------------------------ defaults */

static Value *default_value(const SchemaAttr *a) {
  cJSON *j = cJSON_Parse(a->default_json);
  char *err = NULL;
  Value *v = j ? val_from_json(j, attr_type(a), &err) : NULL;
  cJSON_Delete(j);
  if (!v) {
    fprintf(stderr, "tfc: internal error: bad default %s for %s: %s\n", a->default_json, a->name, err ? err : "");
    abort();
  }
  return v;
}

Value *schema_apply_defaults(const Schema *s, const Value *config) {
  if (!config || val_is_null(config) || !val_is_known(config)) return config ? val_ref(config) : NULL;
  size_t n = s->nattrs + s->nblocks;
  Value **vals = xmalloc((n ? n : 1) * sizeof *vals);
  for (size_t i = 0; i < s->nattrs; i++) {
    const SchemaAttr *a = &s->attrs[i];
    Value *c = get(config, a->name);
    if ((!c || val_is_null(c)) && a->default_json) {
      val_free(c);
      c = default_value(a);
    }
    vals[i] = c ? c : val_null(attr_type(a));
  }
  for (size_t i = 0; i < s->nblocks; i++) {
    const SchemaBlock *b = &s->blocks[i];
    Value *c = get(config, b->name);
    const Type *et = schema_type(b->schema);
    if (!c || val_is_null(c)) {
      /* an absent block is an empty list, as the core decodes it */
      val_free(c);
      vals[s->nattrs + i] = b->nesting == NEST_SET ? val_set(et, NULL, 0) : val_list(et, NULL, 0);
      continue;
    }
    if (!val_is_known(c)) {
      vals[s->nattrs + i] = c;
      continue;
    }
    size_t m = val_len(c);
    Value **el = xmalloc((m ? m : 1) * sizeof *el);
    for (size_t k = 0; k < m; k++) el[k] = schema_apply_defaults(b->schema, val_elems(c)[k]);
    vals[s->nattrs + i] = b->nesting == NEST_SET ? val_set(et, el, m) : val_list(et, el, m);
    for (size_t k = 0; k < m; k++) val_free(el[k]);
    free(el);
    val_free(c);
  }
  Value *r = build(s, vals);
  free(vals);
  return r;
}

/* ------------------------------------------------------------ validation */

static size_t utf8_chars(const char *s, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80) c++;
  return c;
}

/* Compiled patterns, cached by pattern address (patterns live in tables). */
static pthread_mutex_t re_mu = PTHREAD_MUTEX_INITIALIZER;
static struct ReCache {
  const char *pat;
  pcre2_code *code;
} *re_cache;
static size_t nre_cache, cap_re_cache;

static bool re_full_match(const char *pat, const char *s, size_t n) {
  pthread_mutex_lock(&re_mu);
  pcre2_code *code = NULL;
  for (size_t i = 0; i < nre_cache; i++)
    if (re_cache[i].pat == pat) code = re_cache[i].code;
  if (!code) {
    int ec;
    PCRE2_SIZE eo;
    code = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_ANCHORED | PCRE2_ENDANCHORED, &ec,
                         &eo, NULL);
    if (!code) {
      pthread_mutex_unlock(&re_mu);
      fprintf(stderr, "tfc: internal error: bad schema pattern %s\n", pat);
      abort();
    }
    struct ReCache c = {pat, code};
    VEC_PUSH(re_cache, nre_cache, cap_re_cache, c);
  }
  pthread_mutex_unlock(&re_mu);
  pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
  int rc = pcre2_match(code, (PCRE2_SPTR)s, n, 0, 0, md, NULL);
  pcre2_match_data_free(md);
  return rc >= 0;
}

static char *join_path(const char *prefix, const char *name) {
  return *prefix ? xasprintf("%s.%s", prefix, name) : xstrdup(name);
}

static bool is_set(const Value *v) { return v && !val_is_null(v); }

/* Whether the configuration sets the attribute or block called name: a
** non-null attribute, or at least one block (an empty block list is how an
** absent block arrives). Unknown counts as set. */
static bool present(const Schema *s, const Value *obj, const char *name) {
  Value *o = get(obj, name);
  bool r = is_set(o);
  if (r && schema_block(s, name) && val_is_known(o)) r = val_len(o) > 0;
  val_free(o);
  return r;
}

/* The SDK's validation errors are one line: the message is the summary. */
static void diag_msg(ProvDiags *out, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void diag_msg(ProvDiags *out, const char *path, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *m = NULL;
  if (vasprintf(&m, fmt, ap) < 0) m = NULL;
  va_end(ap);
  prov_diag(out, DIAG_ERROR, path, m ? m : "invalid value", NULL);
  free(m);
}

static void validate_string(const SchemaAttr *a, const char *path, const Value *v, ProvDiags *out) {
  const char *s = val_str(v);
  size_t n = val_str_len(v);
  if (a->one_of) {
    bool ok = false;
    for (const char *const *o = a->one_of; *o && !ok; o++) ok = strlen(*o) == n && memcmp(*o, s, n) == 0;
    if (!ok) {
      /* the list of allowed values is built only for the message */
      Buf b = BUF_INIT;
      for (const char *const *o = a->one_of; *o; o++) buf_printf(&b, "%s\"%s\"", o == a->one_of ? "" : " ", *o);
      diag_msg(out, path, "expected %s to be one of [%s], got %s", path, b.s ? b.s : "", s);
      buf_free(&b);
    }
  }
  if (a->min_len || a->max_len) {
    size_t c = utf8_chars(s, n);
    if ((int64_t)c < a->min_len || (a->max_len && (int64_t)c > a->max_len)) {
      if (a->max_len)
        diag_msg(out, path, "expected length of %s to be in the range (%lld - %lld), got %s", path,
                 (long long)a->min_len, (long long)a->max_len, s);
      else
        diag_msg(out, path, "expected length of %s to be at least (%lld), got %s", path, (long long)a->min_len, s);
    }
  }
  if (a->regex && !re_full_match(a->regex, s, n)) {
    if (a->regex_message) diag_msg(out, path, "invalid value for %s (%s)", path, a->regex_message);
    else diag_msg(out, path, "expected value of %s to match regular expression \"%s\", got %s", path, a->regex, s);
  }
}

static void validate_number(const SchemaAttr *a, const char *path, const Value *v, ProvDiags *out) {
  if (!a->has_range) return;
  double d = val_get_double(v);
  if (d < a->min || d > a->max) {
    char *t = val_number_text(v);
    diag_msg(out, path, "expected %s to be in the range (%g - %g), got %s", path, a->min, a->max, t);
    free(t);
  }
}

static void validate_leaf(const SchemaAttr *a, const char *path, const Value *v, ProvDiags *out) {
  if (!v || val_is_null(v) || !val_is_known(v)) return;
  switch (val_kind(v)) {
    case TY_STRING: validate_string(a, path, v, out); break;
    case TY_NUMBER: validate_number(a, path, v, out); break;
    case TY_LIST:
    case TY_SET:
    case TY_MAP: {
      /* element rules (enum members, ARNs in a set); lengths of the
      ** collection itself use min_len/max_len only for strings */
      ValIter it = val_iter(v);
      while (val_iter_next(&it)) {
        /* set elements have no stable index: their diagnostics name the set */
        char *ep = it.key ? xasprintf("%s[\"%s\"]", path, it.key)
                   : val_kind(v) == TY_SET ? xstrdup(path)
                                           : xasprintf("%s[%zu]", path, it.i);
        validate_leaf(a, ep, it.elem, out);
        free(ep);
      }
      break;
    }
    default: break;
  }
}

static void validate_obj(const Schema *s, const char *prefix, const Value *obj, ProvDiags *out) {
  if (!obj || val_is_null(obj) || !val_is_known(obj)) return;
  for (size_t i = 0; i < s->nattrs; i++) {
    const SchemaAttr *a = &s->attrs[i];
    char *path = join_path(prefix, a->name);
    Value *v = get(obj, a->name);
    if (is_set(v) && a->conflicts_with) {
      for (const char *const *c = a->conflicts_with; *c; c++)
        if (present(s, obj, *c))
          prov_diag(out, DIAG_ERROR, path, "Conflicting configuration arguments", "\"%s\": conflicts with %s", path,
                    *c);
    }
    if (a->exactly_one_of && a->exactly_one_of[0] && strcmp(a->exactly_one_of[0], a->name) == 0) {
      /* checked once, from the first member of the group */
      int count = 0;
      bool unknown = false;
      Buf names = BUF_INIT;
      for (const char *const *c = a->exactly_one_of; *c; c++) {
        Value *o = get(obj, *c);
        if (o && !val_is_known(o)) unknown = true;
        else if (present(s, obj, *c)) count++;
        val_free(o);
        buf_printf(&names, "%s%s", c == a->exactly_one_of ? "" : ",", *c);
      }
      if (!unknown && count != 1)
        prov_diag(out, DIAG_ERROR, path, "Invalid combination of arguments",
                  count ? "\"%s\": only one of `%s` can be specified, but `%s` were specified."
                        : "\"%s\": one of `%s` must be specified",
                  path, names.s, names.s);
      buf_free(&names);
    }
    validate_leaf(a, path, v, out);
    val_free(v);
    free(path);
  }
  for (size_t i = 0; i < s->nblocks; i++) {
    const SchemaBlock *b = &s->blocks[i];
    char *path = join_path(prefix, b->name);
    Value *v = get(obj, b->name);
    if (v && !val_is_null(v) && val_is_known(v)) {
      size_t n = val_len(v);
      for (size_t k = 0; k < n; k++) {
        char *ep = xasprintf("%s[%zu]", path, k);
        validate_obj(b->schema, ep, val_elems(v)[k], out);
        free(ep);
      }
    }
    val_free(v);
    free(path);
  }
}

void schema_validate(const Schema *s, const Value *config, ProvDiags *out) { validate_obj(s, "", config, out); }

/* ------------------------------------------------------- requires replace */

static void replace_obj(const Schema *s, const char *prefix, const Value *prior, const Value *planned, PathSet *out);

static void replace_block(const SchemaBlock *b, const char *path, const Value *prior, const Value *planned,
                          PathSet *out) {
  bool pn = !prior || val_is_null(prior), nn = !planned || val_is_null(planned);
  size_t np = pn ? 0 : val_len(prior);
  if (!nn && !val_is_known(planned)) {
    if ((b->flags & SA_FORCE_NEW) || has_force_new(b->schema)) pathset_add(out, path);
    return;
  }
  size_t nw = nn ? 0 : val_len(planned);
  bool differ = np != nw || (np && !val_raw_equal(prior, planned));
  if (!differ) return;
  if (b->flags & SA_FORCE_NEW) {
    pathset_add(out, path);
    return;
  }
  if (!has_force_new(b->schema)) return;
  if (np != nw || b->nesting == NEST_SET) {
    /* elements added, removed, or a set element changed: the element as a
    ** whole is new, and it holds arguments that force replacement */
    pathset_add(out, path);
    return;
  }
  for (size_t i = 0; i < np; i++) {
    char *ep = xasprintf("%s[%zu]", path, i);
    replace_obj(b->schema, ep, val_elems(prior)[i], val_elems(planned)[i], out);
    free(ep);
  }
}

static void replace_obj(const Schema *s, const char *prefix, const Value *prior, const Value *planned, PathSet *out) {
  for (size_t i = 0; i < s->nattrs; i++) {
    const SchemaAttr *a = &s->attrs[i];
    if (!(a->flags & SA_FORCE_NEW)) continue;
    Value *p = get(prior, a->name), *n = get(planned, a->name);
    bool changed;
    if (!n) changed = p && !val_is_null(p);
    else if (!val_is_wholly_known(n)) changed = true;
    else if (!p) changed = !val_is_null(n);
    else changed = !val_raw_equal(p, n);
    if (changed) {
      char *path = join_path(prefix, a->name);
      pathset_add(out, path);
      free(path);
    }
    val_free(p);
    val_free(n);
  }
  for (size_t i = 0; i < s->nblocks; i++) {
    const SchemaBlock *b = &s->blocks[i];
    Value *p = get(prior, b->name), *n = get(planned, b->name);
    char *path = join_path(prefix, b->name);
    replace_block(b, path, p, n, out);
    free(path);
    val_free(p);
    val_free(n);
  }
}

void schema_requires_replace(const Schema *s, const Value *prior, const Value *planned, PathSet *out) {
  if (!prior || val_is_null(prior) || !planned || val_is_null(planned) || !val_is_known(planned)) return;
  replace_obj(s, "", prior, planned, out);
}
