/*
** plan/json.c — `terraform show -json PLANFILE`: the plan representation,
** format_version 1.2 (reference/terraform.md §2.1–2.3).
**
** Keys are added in the order Terraform's Go structs declare them and maps
** (output_changes, expressions, module_calls ...) in sorted key order, as
** encoding/json writes them, so the text matches byte for byte when printed
** with json_print(v, JSON_GO | JSON_COMPACT).
**
** Values: "before" is the full prior value; "after" drops unknown values
** (object attributes removed, sequence elements replaced by null so that
** positions still line up with "after_unknown"); the *_sensitive and
** after_unknown mirrors have true at the affected leaves, omit false in
** objects and keep one entry per element in arrays.
*/
#include "plan/plan.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/util.h"
#include "eval/eval.h"

#define FORMAT_VERSION "1.2"

/* ------------------------------------------------------------- values */

/* omitUnknowns + JSON: NULL when v itself is unknown. */
static cJSON *known_json(const Value *v) {
  if (!val_is_known(v)) return NULL;
  if (val_is_null(v)) return cJSON_CreateNull();
  if (val_is_wholly_known(v)) return val_to_json(v);
  ValIter it = val_iter(v);
  switch (val_kind(v)) {
    case TY_LIST:
    case TY_SET:
    case TY_TUPLE: {
      cJSON *a = cJSON_CreateArray();
      while (val_iter_next(&it)) {
        cJSON *e = known_json(it.elem);
        cJSON_AddItemToArray(a, e ? e : cJSON_CreateNull());
      }
      return a;
    }
    case TY_MAP:
    case TY_OBJECT: {
      cJSON *o = cJSON_CreateObject();
      while (val_iter_next(&it)) {
        cJSON *e = known_json(it.elem);
        if (e) cJSON_AddItemToObject(o, it.key, e);
      }
      return o;
    }
    default: return val_to_json(v);
  }
}

/* unknownAsBool. */
static cJSON *unknown_mirror(const Value *v) {
  if (val_is_known(v) && val_is_null(v)) return cJSON_CreateFalse();
  if (!val_is_known(v)) return cJSON_CreateTrue();
  ValIter it = val_iter(v);
  switch (val_kind(v)) {
    case TY_LIST:
    case TY_SET:
    case TY_TUPLE: {
      cJSON *a = cJSON_CreateArray();
      while (val_iter_next(&it)) cJSON_AddItemToArray(a, unknown_mirror(it.elem));
      return a;
    }
    case TY_MAP:
    case TY_OBJECT: {
      cJSON *o = cJSON_CreateObject();
      while (val_iter_next(&it)) {
        cJSON *e = unknown_mirror(it.elem);
        if (cJSON_IsFalse(e)) cJSON_Delete(e);
        else cJSON_AddItemToObject(o, it.key, e);
      }
      return o;
    }
    default: return cJSON_CreateFalse();
  }
}

/* SensitiveAsBool over a value with the schema's sensitive attributes
** marked as well (s may be NULL: marks only). */
static cJSON *sensitive_mirror(const Value *v, const Schema *s, bool marked) {
  if (marked || val_is_sensitive(v)) return cJSON_CreateTrue();
  if (val_is_null(v) || !val_is_known(v)) {
    if (val_is_null(v) || type_is_primitive(val_type(v)) || val_kind(v) == TY_DYNAMIC) return cJSON_CreateFalse();
    return type_is_sequence(val_type(v)) ? cJSON_CreateArray() : cJSON_CreateObject();
  }
  ValIter it = val_iter(v);
  switch (val_kind(v)) {
    case TY_LIST:
    case TY_SET:
    case TY_TUPLE: {
      cJSON *a = cJSON_CreateArray();
      while (val_iter_next(&it)) cJSON_AddItemToArray(a, sensitive_mirror(it.elem, s, false));
      return a;
    }
    case TY_MAP:
    case TY_OBJECT: {
      cJSON *o = cJSON_CreateObject();
      bool obj = val_kind(v) == TY_OBJECT;
      while (val_iter_next(&it)) {
        const Schema *child = NULL;
        bool m = false;
        if (obj && s) {
          const SchemaAttr *a = schema_attr(s, it.key);
          const SchemaBlock *b = a ? NULL : schema_block(s, it.key);
          m = a && (a->flags & SA_SENSITIVE);
          child = b ? b->schema : NULL;
        }
        cJSON *e = sensitive_mirror(it.elem, child, m);
        if (cJSON_IsFalse(e)) cJSON_Delete(e);
        else cJSON_AddItemToObject(o, it.key, e);
      }
      return o;
    }
    default: return cJSON_CreateFalse();
  }
}

/* "a.b[0].c" / "tags[\"k\"]" -> ["a","b",0,"c"]. */
static cJSON *path_json(const char *p) {
  cJSON *a = cJSON_CreateArray();
  while (*p) {
    if (*p == '.') {
      p++;
      continue;
    }
    if (*p == '[') {
      p++;
      if (*p == '"') {
        Buf k = BUF_INIT;
        for (p++; *p && *p != '"'; p++) {
          if (*p == '\\' && p[1]) p++;
          buf_putc(&k, *p);
        }
        if (*p == '"') p++;
        cJSON_AddItemToArray(a, cJSON_CreateString(k.s ? k.s : ""));
        buf_free(&k);
      } else {
        long long n = strtoll(p, (char **)&p, 10);
        cJSON_AddItemToArray(a, cJSON_CreateNumber((double)n));
      }
      while (*p && *p != ']') p++;
      if (*p == ']') p++;
      continue;
    }
    size_t n = strcspn(p, ".[");
    char *name = xstrndup(p, n);
    cJSON_AddItemToArray(a, cJSON_CreateString(name));
    free(name);
    p += n;
  }
  return a;
}

static cJSON *key_json(const StKey *k) {
  if (k->kind == ST_KEY_INT) return cJSON_CreateNumber((double)k->i);
  if (k->kind == ST_KEY_STR) return cJSON_CreateString(k->s);
  return NULL;
}

static char *provider_fqn(const Provider *p) {
  return xasprintf("registry.terraform.io/hashicorp/%s", p && p->name ? p->name : "aws");
}

static cJSON *actions_json(Action a) {
  static const char *const names[][2] = {
      [ACT_NOOP] = {"no-op", NULL},      [ACT_CREATE] = {"create", NULL},     [ACT_READ] = {"read", NULL},
      [ACT_UPDATE] = {"update", NULL},   [ACT_DELETE] = {"delete", NULL},     [ACT_REPLACE_DC] = {"delete", "create"},
      [ACT_REPLACE_CD] = {"create", "delete"},
  };
  cJSON *arr = cJSON_CreateArray();
  for (int i = 0; i < 2 && names[a][i]; i++) cJSON_AddItemToArray(arr, cJSON_CreateString(names[a][i]));
  return arr;
}

/* The Change object of a resource (or drift) change. */
static cJSON *change_json(Action act, const Value *before, const Value *after, const Schema *s, const PathSet *rp) {
  cJSON *c = cJSON_CreateObject();
  cJSON_AddItemToObject(c, "actions", actions_json(act));
  cJSON *bj = before ? val_to_json(before) : NULL;
  cJSON_AddItemToObject(c, "before", bj ? bj : cJSON_CreateNull());
  if (after) {
    cJSON *aj = known_json(after);
    if (aj) cJSON_AddItemToObject(c, "after", aj);
    cJSON_AddItemToObject(c, "after_unknown",
                          val_is_wholly_known(after) ? cJSON_CreateObject() : unknown_mirror(after));
  } else {
    cJSON_AddItemToObject(c, "after", cJSON_CreateNull());
    cJSON_AddItemToObject(c, "after_unknown", cJSON_CreateObject());
  }
  cJSON_AddItemToObject(c, "before_sensitive", before ? sensitive_mirror(before, s, false) : cJSON_CreateFalse());
  cJSON_AddItemToObject(c, "after_sensitive", after ? sensitive_mirror(after, s, false) : cJSON_CreateFalse());
  if (rp && rp->n) {
    cJSON *paths = cJSON_CreateArray();
    for (size_t i = 0; i < rp->n; i++) cJSON_AddItemToArray(paths, path_json(rp->v[i]));
    cJSON_AddItemToObject(c, "replace_paths", paths);
  }
  return c;
}

static int change_order(const void *x, const void *y) {
  const Change *a = *(const Change *const *)x, *b = *(const Change *const *)y;
  int c = strcmp(a->addr, b->addr);
  if (c) return c;
  return strcmp(a->deposed ? a->deposed : "", b->deposed ? b->deposed : "");
}

static cJSON *resource_change_json(const Change *c) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "address", c->addr);
  if (c->module && *c->module) cJSON_AddStringToObject(o, "module_address", c->module);
  cJSON_AddStringToObject(o, "mode", c->mode == ST_DATA ? "data" : "managed");
  cJSON_AddStringToObject(o, "type", c->type);
  cJSON_AddStringToObject(o, "name", c->name);
  cJSON *k = key_json(&c->key);
  if (k) cJSON_AddItemToObject(o, "index", k);
  char *fqn = provider_fqn(c->prov);
  cJSON_AddStringToObject(o, "provider_name", fqn);
  free(fqn);
  if (c->deposed) cJSON_AddStringToObject(o, "deposed", c->deposed);
  cJSON_AddItemToObject(o, "change", change_json(c->action, c->before, c->after, c->schema, &c->replace_paths));
  const char *why = plan_action_reason(c);
  if (why) cJSON_AddStringToObject(o, "action_reason", why);
  return o;
}

static cJSON *drift_json(const Drift *d) {
  StAddr a;
  char *err = NULL;
  if (!st_addr_parse(d->addr, &a, &err)) {
    free(err);
    return NULL;
  }
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "address", d->addr);
  char *mod = st_addr_module(&a);
  if (*mod) cJSON_AddStringToObject(o, "module_address", mod);
  free(mod);
  cJSON_AddStringToObject(o, "mode", d->mode == ST_DATA ? "data" : "managed");
  cJSON_AddStringToObject(o, "type", d->type);
  cJSON_AddStringToObject(o, "name", a.name);
  cJSON *k = key_json(&a.key);
  if (k) cJSON_AddItemToObject(o, "index", k);
  char *fqn = provider_fqn(NULL);
  cJSON_AddStringToObject(o, "provider_name", fqn);
  free(fqn);
  cJSON_AddItemToObject(o, "change", change_json(d->after ? ACT_UPDATE : ACT_DELETE, d->before, d->after, d->schema, NULL));
  st_addr_free(&a);
  return o;
}

/* ----------------------------------------------------- planned values */

typedef struct PMod {
  char *addr;
  cJSON *resources;     /* array */
} PMod;

static PMod *pmod_get(PMod **v, size_t *n, size_t *cap, const char *addr) {
  for (size_t i = 0; i < *n; i++)
    if (!strcmp((*v)[i].addr, addr)) return &(*v)[i];
  PMod m = {xstrdup(addr), cJSON_CreateArray()};
  VEC_PUSH(*v, *n, *cap, m);
  return &(*v)[*n - 1];
}

/* "module.a[0].module.b" -> "module.a[0]"; "" for a top-level module. */
static char *module_parent(const char *addr) {
  const char *last = NULL;
  for (const char *p = strstr(addr, ".module."); p; p = strstr(p + 1, ".module.")) last = p;
  return last ? xstrndup(addr, (size_t)(last - addr)) : xstrdup("");
}

static cJSON *module_json(PMod *mods, size_t n, const char *addr) {
  cJSON *m = cJSON_CreateObject();
  PMod *self = NULL;
  for (size_t i = 0; i < n; i++)
    if (!strcmp(mods[i].addr, addr)) self = &mods[i];
  if (self && cJSON_GetArraySize(self->resources) > 0) {
    cJSON_AddItemToObject(m, "resources", self->resources);
    self->resources = NULL;
  }
  if (*addr) cJSON_AddStringToObject(m, "address", addr);
  cJSON *kids = NULL;
  for (size_t i = 0; i < n; i++) {
    if (!*mods[i].addr) continue;
    char *par = module_parent(mods[i].addr);
    if (!strcmp(par, addr)) {
      if (!kids) kids = cJSON_CreateArray();
      cJSON_AddItemToArray(kids, module_json(mods, n, mods[i].addr));
    }
    free(par);
  }
  if (kids) cJSON_AddItemToObject(m, "child_modules", kids);
  return m;
}

static int pmod_order(const void *x, const void *y) {
  return strcmp(((const PMod *)x)->addr, ((const PMod *)y)->addr);
}

static cJSON *planned_values(const Plan *p, const Change *const *v, size_t n) {
  cJSON *pv = cJSON_CreateObject();
  cJSON *outs = cJSON_CreateObject();
  const OutputChange **ord = xmalloc((p->nout ? p->nout : 1) * sizeof *ord);
  size_t no = 0;
  for (size_t i = 0; i < p->nout; i++)
    if (p->outputs[i].after && plan_output_action(&p->outputs[i]) != ACT_DELETE) ord[no++] = &p->outputs[i];
  for (size_t i = 1; i < no; i++)
    for (size_t j = i; j > 0 && strcmp(ord[j - 1]->name, ord[j]->name) > 0; j--) {
      const OutputChange *t = ord[j];
      ord[j] = ord[j - 1];
      ord[j - 1] = t;
    }
  for (size_t i = 0; i < no; i++) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "sensitive", ord[i]->sensitive);
    if (val_is_wholly_known(ord[i]->after)) {
      cJSON_AddItemToObject(o, "type", type_to_json(val_type(ord[i]->after)));
      cJSON *vj = val_to_json(ord[i]->after);
      cJSON_AddItemToObject(o, "value", vj ? vj : cJSON_CreateNull());
    }
    cJSON_AddItemToObject(outs, ord[i]->name, o);
  }
  free(ord);
  if (outs->child) cJSON_AddItemToObject(pv, "outputs", outs);
  else cJSON_Delete(outs);

  PMod *mods = NULL;
  size_t nm = 0, cm = 0;
  pmod_get(&mods, &nm, &cm, "");
  for (size_t i = 0; i < n; i++) {
    const Change *c = v[i];
    if (!c->after || c->deposed || c->action == ACT_DELETE) continue;
    /* every ancestor module appears even without resources of its own */
    const char *mod = c->module ? c->module : "";
    char *m = xstrdup(mod);
    while (*m) {
      pmod_get(&mods, &nm, &cm, m);
      char *par = module_parent(m);
      free(m);
      m = par;
    }
    free(m);
    PMod *pm = pmod_get(&mods, &nm, &cm, mod);
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "address", c->addr);
    cJSON_AddStringToObject(r, "mode", c->mode == ST_DATA ? "data" : "managed");
    cJSON_AddStringToObject(r, "type", c->type);
    cJSON_AddStringToObject(r, "name", c->name);
    cJSON *k = key_json(&c->key);
    if (k) cJSON_AddItemToObject(r, "index", k);
    char *fqn = provider_fqn(c->prov);
    cJSON_AddStringToObject(r, "provider_name", fqn);
    free(fqn);
    cJSON_AddNumberToObject(r, "schema_version", c->rt ? c->rt->schema_version : 0);
    cJSON *vals = known_json(c->after);
    if (vals && cJSON_IsObject(vals) && vals->child) cJSON_AddItemToObject(r, "values", vals);
    else cJSON_Delete(vals);
    cJSON_AddItemToObject(r, "sensitive_values", sensitive_mirror(c->after, c->schema, false));
    cJSON_AddItemToArray(pm->resources, r);
  }
  qsort(mods, nm, sizeof *mods, pmod_order);
  cJSON_AddItemToObject(pv, "root_module", module_json(mods, nm, ""));
  for (size_t i = 0; i < nm; i++) {
    free(mods[i].addr);
    cJSON_Delete(mods[i].resources);
  }
  free(mods);
  return pv;
}

/* ------------------------------------------------------ output changes */

static cJSON *output_changes(const Plan *p) {
  if (!p->nout) return NULL;
  cJSON *m = cJSON_CreateObject();
  const OutputChange **ord = xmalloc(p->nout * sizeof *ord);
  for (size_t i = 0; i < p->nout; i++) ord[i] = &p->outputs[i];
  for (size_t i = 1; i < p->nout; i++)
    for (size_t j = i; j > 0 && strcmp(ord[j - 1]->name, ord[j]->name) > 0; j--) {
      const OutputChange *t = ord[j];
      ord[j] = ord[j - 1];
      ord[j - 1] = t;
    }
  for (size_t i = 0; i < p->nout; i++) {
    const OutputChange *oc = ord[i];
    cJSON *c = cJSON_CreateObject();
    cJSON_AddItemToObject(c, "actions", actions_json(plan_output_action(oc)));
    cJSON *bj = oc->before ? val_to_json(oc->before) : NULL;
    cJSON_AddItemToObject(c, "before", bj ? bj : cJSON_CreateNull());
    if (!oc->after) {
      cJSON_AddItemToObject(c, "after", cJSON_CreateNull());
      cJSON_AddItemToObject(c, "after_unknown", cJSON_CreateFalse());
    } else if (val_is_wholly_known(oc->after)) {
      cJSON_AddItemToObject(c, "after", val_to_json(oc->after));
      cJSON_AddItemToObject(c, "after_unknown", cJSON_CreateFalse());
    } else {
      cJSON *aj = known_json(oc->after);
      if (aj && !cJSON_IsNull(aj)) cJSON_AddItemToObject(c, "after", aj);
      else cJSON_Delete(aj);
      cJSON_AddItemToObject(c, "after_unknown", unknown_mirror(oc->after));
    }
    cJSON_AddBoolToObject(c, "before_sensitive", oc->sensitive);
    cJSON_AddBoolToObject(c, "after_sensitive", oc->sensitive);
    cJSON_AddItemToObject(m, oc->name, c);
  }
  free(ord);
  return m;
}

/* ------------------------------------------------------- configuration */

static char *hstr(HclStr s) { return xstrndup(s.s, s.len); }

static bool hstr_is(HclStr s, const char *c) { return s.len == strlen(c) && memcmp(s.s, c, s.len) == 0; }

/* traversalStr: ".name" and "[key]" steps. */
static void steps_str(Buf *b, const EvStep *st, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (st[i].kind == EV_STEP_ATTR) {
      buf_putc(b, '.');
      buf_add(b, st[i].name.s, st[i].name.len);
    } else {
      buf_putc(b, '[');
      const Value *k = st[i].key;
      if (k && val_is_known(k) && !val_is_null(k) && val_kind(k) == TY_STRING) {
        char *q = val_quote(val_str(k), val_str_len(k));
        buf_puts(b, q);
        free(q);
      } else if (k && val_is_known(k) && !val_is_null(k) && val_kind(k) == TY_NUMBER) {
        char *t = val_number_text(k);
        buf_puts(b, t);
        free(t);
      } else {
        buf_puts(b, "...");
      }
      buf_putc(b, ']');
    }
  }
}

static void add_ref_string(cJSON *arr, HclStr root, const EvStep *st, size_t n) {
  Buf b = BUF_INIT;
  buf_add(&b, root.s, root.len);
  steps_str(&b, st, n);
  cJSON_AddItemToArray(arr, cJSON_CreateString(b.s ? b.s : ""));
  buf_free(&b);
}

/* A reference as the JSON configuration lists it: the full traversal, each
** shorter prefix down to the referenced object, and the object without its
** instance key. */
static void add_refs(cJSON *arr, const EvTraversal *t) {
  size_t subj; /* steps that belong to the referenced object */
  bool keyed = false, module_out = false;
  if (hstr_is(t->root, "var") || hstr_is(t->root, "local") || hstr_is(t->root, "path") ||
      hstr_is(t->root, "terraform") || hstr_is(t->root, "count") || hstr_is(t->root, "each")) {
    subj = t->nsteps ? 1 : 0;
  } else if (hstr_is(t->root, "self")) {
    subj = 0;
  } else if (hstr_is(t->root, "module")) {
    subj = t->nsteps ? 1 : 0;
    if (subj < t->nsteps && t->steps[subj].kind == EV_STEP_INDEX) {
      subj++;
      keyed = true;
    }
    if (subj < t->nsteps && t->steps[subj].kind == EV_STEP_ATTR) {
      subj++;
      module_out = true;
    }
  } else {
    size_t base = hstr_is(t->root, "data") ? 2 : 1;
    subj = t->nsteps < base ? t->nsteps : base;
    if (subj < t->nsteps && t->steps[subj].kind == EV_STEP_INDEX) {
      subj++;
      keyed = true;
    }
  }
  for (size_t n = t->nsteps; n > subj; n--) add_ref_string(arr, t->root, t->steps, n);
  add_ref_string(arr, t->root, t->steps, subj);
  if (hstr_is(t->root, "module")) {
    if (module_out) add_ref_string(arr, t->root, t->steps, subj - 1);
    else if (keyed) add_ref_string(arr, t->root, t->steps, subj - 1);
  } else if (keyed) {
    add_ref_string(arr, t->root, t->steps, subj - 1);
  }
}

/* {"constant_value": v} or {"references": [...]}. */
static cJSON *expr_json(const Expr *e) {
  cJSON *o = cJSON_CreateObject();
  if (!e) return o;
  EvRefList refs = {0};
  ev_references(e, &refs);
  if (refs.n == 0) {
    DiagList dl = {0};
    Value *v = ev_eval_const(e, &dl);
    if (v && val_is_wholly_known(v)) {
      cJSON *j = val_to_json(v);
      if (j) cJSON_AddItemToObject(o, "constant_value", j);
    }
    val_free(v);
    diag_free(&dl);
  } else {
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < refs.n; i++) add_refs(arr, &refs.v[i]);
    cJSON_AddItemToObject(o, "references", arr);
  }
  ev_reflist_free(&refs);
  return o;
}

static int item_order(const void *x, const void *y) { return strcmp((*(cJSON *const *)x)->string, (*(cJSON *const *)y)->string); }

/* Go writes map keys sorted. */
static void sort_object(cJSON *o) {
  size_t n = 0;
  for (cJSON *c = o->child; c; c = c->next) n++;
  if (n < 2) return;
  cJSON **v = xmalloc(n * sizeof *v);
  n = 0;
  for (cJSON *c = o->child; c; c = c->next) v[n++] = c;
  qsort(v, n, sizeof *v, item_order);
  for (size_t i = 0; i < n; i++) {
    v[i]->prev = i ? v[i - 1] : v[n - 1];
    v[i]->next = i + 1 < n ? v[i + 1] : NULL;
  }
  o->child = v[0];
  free(v);
}

static bool is_meta_attr(HclStr n, bool module_call) {
  static const char *const meta[] = {"count", "for_each", "depends_on", "provider", NULL};
  static const char *const mod_meta[] = {"count", "for_each", "depends_on", "providers", "source", "version", NULL};
  for (const char *const *m = module_call ? mod_meta : meta; *m; m++)
    if (hstr_is(n, *m)) return true;
  return false;
}

static bool is_meta_block(HclStr n) {
  return hstr_is(n, "lifecycle") || hstr_is(n, "provisioner") || hstr_is(n, "connection") || hstr_is(n, "dynamic");
}

/* An expression map for a body: attributes, and nested blocks as arrays. */
static cJSON *body_exprs(const Body *b, bool module_call) {
  cJSON *o = cJSON_CreateObject();
  if (!b) return o;
  for (size_t i = 0; i < b->nitems; i++) {
    const BodyItem *it = &b->items[i];
    if (it->attr) {
      if (is_meta_attr(it->attr->name, module_call)) continue;
      char *n = hstr(it->attr->name);
      cJSON_DeleteItemFromObjectCaseSensitive(o, n);
      cJSON_AddItemToObject(o, n, expr_json(it->attr->expr));
      free(n);
    } else if (it->block && !module_call && !is_meta_block(it->block->type)) {
      char *n = hstr(it->block->type);
      cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, n);
      if (!arr) arr = cJSON_AddArrayToObject(o, n);
      cJSON_AddItemToArray(arr, body_exprs(it->block->body, false));
      free(n);
    }
  }
  sort_object(o);
  return o;
}

static cJSON *depends_json(Expr *const *deps, size_t n) {
  if (!n) return NULL;
  cJSON *arr = cJSON_CreateArray();
  for (size_t i = 0; i < n; i++) {
    EvRefList refs = {0};
    ev_references(deps[i], &refs);
    for (size_t k = 0; k < refs.n; k++) {
      char *s = ev_traversal_string(&refs.v[k]);
      cJSON_AddItemToArray(arr, cJSON_CreateString(s));
      free(s);
    }
    ev_reflist_free(&refs);
  }
  return arr;
}

static char *provider_key(const char *name, const char *alias, const char *module) {
  char *p = alias ? xasprintf("%s.%s", name, alias) : xstrdup(name);
  if (!module || !*module) return p;
  char *k = xasprintf("%s:%s", module, p);
  free(p);
  return k;
}

static int res_order(const void *x, const void *y) {
  const cJSON *a = *(cJSON *const *)x, *b = *(cJSON *const *)y;
  return strcmp(cJSON_GetObjectItemCaseSensitive(a, "address")->valuestring,
                cJSON_GetObjectItemCaseSensitive(b, "address")->valuestring);
}

static cJSON *config_module(const CfgModule *m, cJSON *provider_config) {
  cJSON *o = cJSON_CreateObject();
  if (m->noutputs) {
    cJSON *outs = cJSON_CreateObject();
    for (size_t i = 0; i < m->noutputs; i++) {
      const CfgOutput *out = &m->outputs[i];
      cJSON *j = cJSON_CreateObject();
      if (out->sensitive) cJSON_AddTrueToObject(j, "sensitive");
      cJSON_AddItemToObject(j, "expression", expr_json(out->value));
      cJSON *d = depends_json(out->depends_on, out->ndepends);
      if (d) cJSON_AddItemToObject(j, "depends_on", d);
      if (out->description && *out->description) cJSON_AddStringToObject(j, "description", out->description);
      cJSON_AddItemToObject(outs, out->name, j);
    }
    sort_object(outs);
    cJSON_AddItemToObject(o, "outputs", outs);
  }
  if (m->nresources) {
    cJSON **rs = xmalloc(m->nresources * sizeof *rs);
    for (size_t i = 0; i < m->nresources; i++) {
      const CfgResource *r = &m->resources[i];
      cJSON *j = cJSON_CreateObject();
      char *addr = r->mode == CFG_DATA ? xasprintf("data.%s.%s", r->type, r->name) : xasprintf("%s.%s", r->type, r->name);
      cJSON_AddStringToObject(j, "address", addr);
      free(addr);
      cJSON_AddStringToObject(j, "mode", r->mode == CFG_DATA ? "data" : "managed");
      cJSON_AddStringToObject(j, "type", r->type);
      cJSON_AddStringToObject(j, "name", r->name);
      const char *pname = r->provider ? r->provider : "aws";
      char *pk = provider_key(pname, r->provider_alias, m->addr);
      cJSON_AddStringToObject(j, "provider_config_key", pk);
      if (!cJSON_GetObjectItemCaseSensitive(provider_config, pk)) {
        cJSON *pc = cJSON_AddObjectToObject(provider_config, pk);
        cJSON_AddStringToObject(pc, "name", pname);
        char *fqn = xasprintf("registry.terraform.io/hashicorp/%s", pname);
        cJSON_AddStringToObject(pc, "full_name", fqn);
        free(fqn);
        if (r->provider_alias) cJSON_AddStringToObject(pc, "alias", r->provider_alias);
        if (m->addr && *m->addr) cJSON_AddStringToObject(pc, "module_address", m->addr);
      }
      free(pk);
      cJSON *ex = body_exprs(r->body, false);
      if (ex->child) cJSON_AddItemToObject(j, "expressions", ex);
      else cJSON_Delete(ex);
      int sv = 0;
      const Provider *prov = provider_lookup(pname);
      const ResourceType *rt = prov && r->mode == CFG_MANAGED ? provider_resource(prov, r->type) : NULL;
      if (rt) sv = rt->schema_version;
      cJSON_AddNumberToObject(j, "schema_version", sv);
      if (r->count) cJSON_AddItemToObject(j, "count_expression", expr_json(r->count));
      if (r->for_each) cJSON_AddItemToObject(j, "for_each_expression", expr_json(r->for_each));
      cJSON *d = depends_json(r->depends_on, r->ndepends);
      if (d) cJSON_AddItemToObject(j, "depends_on", d);
      rs[i] = j;
    }
    qsort(rs, m->nresources, sizeof *rs, res_order);
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < m->nresources; i++) cJSON_AddItemToArray(arr, rs[i]);
    free(rs);
    cJSON_AddItemToObject(o, "resources", arr);
  }
  if (m->ncalls) {
    cJSON *calls = cJSON_CreateObject();
    for (size_t i = 0; i < m->ncalls; i++) {
      const CfgModuleCall *mc = &m->calls[i];
      cJSON *j = cJSON_CreateObject();
      if (mc->source) cJSON_AddStringToObject(j, "source", mc->source);
      cJSON *ex = body_exprs(mc->body, true);
      if (ex->child) cJSON_AddItemToObject(j, "expressions", ex);
      else cJSON_Delete(ex);
      if (mc->count) cJSON_AddItemToObject(j, "count_expression", expr_json(mc->count));
      if (mc->for_each) cJSON_AddItemToObject(j, "for_each_expression", expr_json(mc->for_each));
      cJSON_AddItemToObject(j, "module", mc->child ? config_module(mc->child, provider_config) : cJSON_CreateObject());
      cJSON *d = depends_json(mc->depends_on, mc->ndepends);
      if (d) cJSON_AddItemToObject(j, "depends_on", d);
      cJSON_AddItemToObject(calls, mc->name, j);
    }
    sort_object(calls);
    cJSON_AddItemToObject(o, "module_calls", calls);
  }
  if (m->nvars) {
    cJSON *vars = cJSON_CreateObject();
    for (size_t i = 0; i < m->nvars; i++) {
      const CfgVariable *v = &m->vars[i];
      cJSON *j = cJSON_CreateObject();
      if (v->default_value) {
        cJSON *d = val_to_json(v->default_value);
        if (d) cJSON_AddItemToObject(j, "default", d);
      }
      if (v->description && *v->description) cJSON_AddStringToObject(j, "description", v->description);
      if (v->sensitive) cJSON_AddTrueToObject(j, "sensitive");
      cJSON_AddItemToObject(vars, v->name, j);
    }
    sort_object(vars);
    cJSON_AddItemToObject(o, "variables", vars);
  }
  return o;
}

static cJSON *configuration(const CfgModule *root) {
  cJSON *c = cJSON_CreateObject();
  cJSON *pc = cJSON_CreateObject();
  /* provider blocks first, so their expressions are recorded */
  if (root) {
    for (size_t i = 0; i < root->nproviders; i++) {
      const CfgProvider *p = &root->providers[i];
      char *k = provider_key(p->name, p->alias, root->addr);
      cJSON *j = cJSON_AddObjectToObject(pc, k);
      cJSON_AddStringToObject(j, "name", p->name);
      char *fqn = xasprintf("registry.terraform.io/hashicorp/%s", p->name);
      cJSON_AddStringToObject(j, "full_name", fqn);
      free(fqn);
      if (p->alias) cJSON_AddStringToObject(j, "alias", p->alias);
      cJSON *ex = body_exprs(p->body, false);
      if (ex->child) cJSON_AddItemToObject(j, "expressions", ex);
      else cJSON_Delete(ex);
      free(k);
    }
  }
  cJSON *rm = root ? config_module(root, pc) : cJSON_CreateObject();
  sort_object(pc);
  if (pc->child) cJSON_AddItemToObject(c, "provider_config", pc);
  else cJSON_Delete(pc);
  cJSON_AddItemToObject(c, "root_module", rm);
  return c;
}

/* ---------------------------------------------------------------- plan */

static char *now_rfc3339(void) {
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  char s[32];
  strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return xstrdup(s);
}

cJSON *plan_to_json(const Plan *p, const CfgModule *root, const State *prior) {
  cJSON *j = cJSON_CreateObject();
  cJSON_AddStringToObject(j, "format_version", FORMAT_VERSION);
  cJSON_AddStringToObject(j, "terraform_version", ST_WRITER_VERSION);
  /* the values as given, plus the declared defaults of root variables
  ** that were not set (Terraform adds those too) */
  cJSON *vars = cJSON_CreateObject();
  for (const cJSON *v = p->variables ? p->variables->child : NULL; v; v = v->next) {
    cJSON *o = cJSON_AddObjectToObject(vars, v->string);
    cJSON_AddItemToObject(o, "value", cJSON_Duplicate(v, true));
  }
  for (size_t i = 0; root && i < root->nvars; i++) {
    const CfgVariable *cv = &root->vars[i];
    if (!cv->default_value || cJSON_GetObjectItemCaseSensitive(vars, cv->name)) continue;
    cJSON *d = val_to_json(cv->default_value);
    if (!d) continue;
    cJSON_AddItemToObject(cJSON_AddObjectToObject(vars, cv->name), "value", d);
  }
  if (vars->child) {
    sort_object(vars);
    cJSON_AddItemToObject(j, "variables", vars);
  } else {
    cJSON_Delete(vars);
  }

  const Change **v = xmalloc((p->n ? p->n : 1) * sizeof *v);
  size_t n = 0;
  for (size_t i = 0; i < p->n; i++) {
    /* deleting a data source from the state is bookkeeping, not a change */
    if (p->changes[i].mode == ST_DATA && p->changes[i].action == ACT_DELETE) continue;
    v[n++] = &p->changes[i];
  }
  qsort(v, n, sizeof *v, change_order);

  cJSON_AddItemToObject(j, "planned_values", planned_values(p, v, n));
  if (p->ndrift) {
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < p->ndrift; i++) {
      cJSON *d = drift_json(&p->drift[i]);
      if (d) cJSON_AddItemToArray(arr, d);
    }
    cJSON_AddItemToObject(j, "resource_drift", arr);
  }
  if (n) {
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) cJSON_AddItemToArray(arr, resource_change_json(v[i]));
    cJSON_AddItemToObject(j, "resource_changes", arr);
  }
  free(v);
  cJSON *oc = output_changes(p);
  if (oc) cJSON_AddItemToObject(j, "output_changes", oc);
  if (prior && (prior->nres || prior->noutputs)) {
    State *copy = st_clone(prior);
    cJSON_AddItemToObject(j, "prior_state", st_show_json(copy));
    st_free(copy);
  }
  cJSON_AddItemToObject(j, "configuration", configuration(root));
  if (p->nrelevant) {
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < p->nrelevant; i++) {
      cJSON *o = cJSON_CreateObject();
      cJSON_AddStringToObject(o, "resource", p->relevant[i].addr);
      cJSON *path = cJSON_AddArrayToObject(o, "attribute");
      /* "*" is the whole object: an empty path */
      if (strcmp(p->relevant[i].attr, "*") != 0) cJSON_AddItemToArray(path, cJSON_CreateString(p->relevant[i].attr));
      cJSON_AddItemToArray(arr, o);
    }
    cJSON_AddItemToObject(j, "relevant_attributes", arr);
  }
  char *ts = p->timestamp ? xstrdup(p->timestamp) : now_rfc3339();
  cJSON_AddStringToObject(j, "timestamp", ts);
  free(ts);
  cJSON_AddBoolToObject(j, "applyable", !p->errored && plan_has_changes(p));
  cJSON_AddBoolToObject(j, "complete", !p->errored && !p->targeted);
  cJSON_AddBoolToObject(j, "errored", p->errored);
  return j;
}
