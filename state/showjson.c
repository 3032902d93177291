/*
** state/showjson.c — the state in `terraform show -json` form
** (reference/terraform.md §2.3), also the "prior_state" of the JSON plan.
**
** Key order follows Terraform's jsonstate structs; resources and child
** modules are sorted by address; sensitive_values uses Terraform's
** "mirror of true" convention (objects keep only entries that are not
** false, lists keep one entry per element).
*/
#include "state/state.h"

#include "base/util.h"

#include <stdlib.h>
#include <string.h>

/* provider["registry.terraform.io/hashicorp/aws"].west -> the quoted part */
static char *provider_name(const char *provider) {
  const char *p = strstr(provider, "provider[\"");
  if (p) {
    p += 10;
    const char *e = strchr(p, '"');
    if (e) return xstrndup(p, (size_t)(e - p));
  }
  /* legacy "provider.aws" */
  p = strstr(provider, "provider.");
  if (p) {
    p += 9;
    size_t n = strcspn(p, ".");
    char *name = xstrndup(p, n);
    char *r = xasprintf("registry.terraform.io/hashicorp/%s", name);
    free(name);
    return r;
  }
  return xstrdup(provider);
}

/* SensitiveAsBool of a value with no marks inside: false for primitives
** and null, [f, f, ...] for lists, {} keeping non-false members for objects. */
static cJSON *as_bool(const cJSON *v) {
  if (cJSON_IsArray(v)) {
    cJSON *a = cJSON_CreateArray();
    for (const cJSON *c = v->child; c; c = c->next) cJSON_AddItemToArray(a, as_bool(c));
    return a;
  }
  if (cJSON_IsObject(v)) {
    cJSON *o = cJSON_CreateObject();
    for (const cJSON *c = v->child; c; c = c->next) {
      cJSON *s = as_bool(c);
      if (cJSON_IsFalse(s)) cJSON_Delete(s);
      else cJSON_AddItemToObject(o, c->string, s);
    }
    return o;
  }
  return cJSON_CreateFalse();
}

/* Marks the path given by steps (a sensitive_attributes path) as true in
** mir, the mirror of value v. */
static cJSON *merge(cJSON *mir, const cJSON *v, const cJSON *steps) {
  if (!steps) {
    cJSON_Delete(mir);
    return cJSON_CreateTrue();
  }
  if (cJSON_IsTrue(mir)) return mir;
  const cJSON *t = cJSON_GetObjectItemCaseSensitive(steps, "type");
  const cJSON *sv = cJSON_GetObjectItemCaseSensitive(steps, "value");
  const cJSON *iv = cJSON_IsObject(sv) ? cJSON_GetObjectItemCaseSensitive(sv, "value") : sv;
  bool attr = cJSON_IsString(t) && strcmp(t->valuestring, "get_attr") == 0;
  if (cJSON_IsObject(mir) && cJSON_IsString(attr ? sv : iv)) {
    const char *k = (attr ? sv : iv)->valuestring;
    const cJSON *cv = cJSON_GetObjectItemCaseSensitive(v, k);
    if (!cv) return mir;
    cJSON *cur = cJSON_DetachItemFromObjectCaseSensitive(mir, k);
    if (!cur) cur = as_bool(cv);
    cJSON_AddItemToObject(mir, k, merge(cur, cv, steps->next));
    return mir;
  }
  if (cJSON_IsArray(mir) && cJSON_IsNumber(iv) && iv->valuedouble >= 0 && iv->valuedouble < 1e9) {
    int i = (int)iv->valuedouble;
    const cJSON *cv = cJSON_GetArrayItem(v, i);
    cJSON *cur = cJSON_DetachItemFromArray(mir, i);
    if (!cv || !cur) {
      if (cur) cJSON_InsertItemInArray(mir, i, cur);
      return mir;
    }
    cJSON_InsertItemInArray(mir, i, merge(cur, cv, steps->next));
    return mir;
  }
  return mir;
}

static cJSON *sensitive_values(const StInstance *in) {
  cJSON *mir = as_bool(in->attributes);
  for (const cJSON *p = in->sensitive_attributes ? in->sensitive_attributes->child : NULL; p; p = p->next)
    if (cJSON_IsArray(p) && p->child) mir = merge(mir, in->attributes, p->child);
  if (!cJSON_IsObject(mir)) {
    cJSON_Delete(mir);
    mir = cJSON_CreateObject();
  }
  return mir;
}

typedef struct Mod {
  char *addr;            /* "" for root */
  cJSON *resources;      /* array, may be empty */
} Mod;

static int cmp_addr(const void *a, const void *b) {
  const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
  return strcmp(cJSON_GetObjectItemCaseSensitive(x, "address")->valuestring,
                cJSON_GetObjectItemCaseSensitive(y, "address")->valuestring);
}

/* Sorts a cJSON array of objects by their "address". */
static void sort_by_address(cJSON *arr) {
  size_t n = (size_t)cJSON_GetArraySize(arr);
  if (n < 2) return;
  cJSON **v = xmalloc(n * sizeof *v);
  for (size_t i = 0; i < n; i++) v[i] = cJSON_DetachItemFromArray(arr, 0);
  qsort(v, n, sizeof *v, cmp_addr);
  for (size_t i = 0; i < n; i++) cJSON_AddItemToArray(arr, v[i]);
  free(v);
}

/* The module object for path, with its children nested under it. */
static cJSON *module_json(Mod *mods, size_t nmods, const char *path) {
  cJSON *o = cJSON_CreateObject();
  for (size_t i = 0; i < nmods; i++)
    if (strcmp(mods[i].addr, path) == 0 && cJSON_GetArraySize(mods[i].resources) > 0) {
      sort_by_address(mods[i].resources);
      cJSON_AddItemToObject(o, "resources", cJSON_Duplicate(mods[i].resources, true));
    }
  if (path[0]) cJSON_AddStringToObject(o, "address", path);
  /* direct children: paths that extend this one by exactly one module step */
  cJSON *kids = cJSON_CreateArray();
  size_t pl = strlen(path);
  char **seen = NULL;
  size_t nseen = 0, capseen = 0;
  for (size_t i = 0; i < nmods; i++) {
    const char *a = mods[i].addr;
    if (!a[0] || (pl && (strncmp(a, path, pl) != 0 || a[pl] != '.'))) continue;
    const char *rest = pl ? a + pl + 1 : a;
    /* the child is "module.NAME[KEY]" at the start of rest */
    StAddr sa;
    char *probe = xasprintf("%s.x.y", rest);
    bool ok = st_addr_parse(probe, &sa, NULL);
    free(probe);
    if (!ok || sa.nmods == 0) {
      if (ok) st_addr_free(&sa);
      continue;
    }
    Buf b = BUF_INIT;
    if (pl) buf_printf(&b, "%s.", path);
    buf_printf(&b, "module.%s", sa.mods[0].name);
    st_key_format(&b, &sa.mods[0].key);
    st_addr_free(&sa);
    char *child = buf_take(&b);
    bool dup = false;
    for (size_t k = 0; k < nseen && !dup; k++) dup = strcmp(seen[k], child) == 0;
    if (dup) {
      free(child);
      continue;
    }
    VEC_PUSH(seen, nseen, capseen, child);
  }
  for (size_t k = 0; k < nseen; k++) {
    cJSON_AddItemToArray(kids, module_json(mods, nmods, seen[k]));
    free(seen[k]);
  }
  free(seen);
  sort_by_address(kids);
  if (cJSON_GetArraySize(kids) > 0) cJSON_AddItemToObject(o, "child_modules", kids);
  else cJSON_Delete(kids);
  return o;
}

cJSON *st_show_json(State *s) {
  cJSON *root = cJSON_CreateObject();
  cJSON_AddStringToObject(root, "format_version", "1.0");
  cJSON_AddStringToObject(root, "terraform_version", ST_WRITER_VERSION);
  if (s->nres == 0 && s->noutputs == 0) return root;
  st_sort(s);
  cJSON *values = cJSON_AddObjectToObject(root, "values");
  if (s->noutputs) {
    cJSON *outs = cJSON_AddObjectToObject(values, "outputs");
    for (size_t i = 0; i < s->noutputs; i++) {
      cJSON *o = cJSON_AddObjectToObject(outs, s->outputs[i].name);
      cJSON_AddBoolToObject(o, "sensitive", s->outputs[i].sensitive);
      cJSON_AddItemToObject(o, "value", cJSON_Duplicate(s->outputs[i].value, true));
      cJSON_AddItemToObject(o, "type", cJSON_Duplicate(s->outputs[i].type, true));
    }
  }
  Mod *mods = NULL;
  size_t nmods = 0, capmods = 0;
  for (size_t i = 0; i < s->nres; i++) {
    StResource *r = s->res[i];
    Mod *m = NULL;
    for (size_t k = 0; k < nmods && !m; k++)
      if (strcmp(mods[k].addr, r->module) == 0) m = &mods[k];
    if (!m) {
      Mod nm = {xstrdup(r->module), cJSON_CreateArray()};
      VEC_PUSH(mods, nmods, capmods, nm);
      m = &mods[nmods - 1];
    }
    char *pname = provider_name(r->provider);
    for (size_t j = 0; j < r->ninst; j++) {
      StInstance *in = &r->inst[j];
      cJSON *o = cJSON_CreateObject();
      char *addr = st_instance_addr(r, in);
      cJSON_AddStringToObject(o, "address", addr);
      free(addr);
      cJSON_AddStringToObject(o, "mode", r->mode == ST_DATA ? "data" : "managed");
      cJSON_AddStringToObject(o, "type", r->type);
      cJSON_AddStringToObject(o, "name", r->name);
      if (in->key.kind == ST_KEY_INT) cJSON_AddNumberToObject(o, "index", (double)in->key.i);
      else if (in->key.kind == ST_KEY_STR) cJSON_AddStringToObject(o, "index", in->key.s);
      cJSON_AddStringToObject(o, "provider_name", pname);
      cJSON_AddNumberToObject(o, "schema_version", (double)in->schema_version);
      cJSON_AddItemToObject(o, "values", cJSON_Duplicate(in->attributes, true));
      cJSON_AddItemToObject(o, "sensitive_values", sensitive_values(in));
      if (in->ndeps) {
        cJSON *d = cJSON_AddArrayToObject(o, "depends_on");
        for (size_t k = 0; k < in->ndeps; k++) cJSON_AddItemToArray(d, cJSON_CreateString(in->deps[k]));
      }
      if (in->tainted) cJSON_AddTrueToObject(o, "tainted");
      if (in->deposed) cJSON_AddStringToObject(o, "deposed_key", in->deposed);
      cJSON_AddItemToArray(m->resources, o);
    }
    free(pname);
  }
  /* every ancestor of a module with resources must exist to nest under */
  cJSON_AddItemToObject(values, "root_module", module_json(mods, nmods, ""));
  for (size_t k = 0; k < nmods; k++) {
    free(mods[k].addr);
    cJSON_Delete(mods[k].resources);
  }
  free(mods);
  return root;
}
