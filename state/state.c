/*
** state/state.c — the state model: construction, lookup, sorting, equality.
*/
#include "state/state.h"

#include "base/util.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the resource index ----
** Open addressing from "module\x1fmode\x1ftype\x1fname" to resource pointer,
** so journal replay and the applier find a resource in O(1) even with
** 100,000 of them. Rebuilt from scratch whenever a resource is removed. */
struct StIndex {
  StResource **slot;
  size_t cap, n;
};

static uint64_t hash_parts(const char *module, StMode mode, const char *type, const char *name) {
  uint64_t h = 1469598103934665603ull;
  const char *parts[3] = {module, type, name};
  for (int i = 0; i < 3; i++) {
    for (const unsigned char *p = (const unsigned char *)parts[i]; *p; p++) h = (h ^ *p) * 1099511628211ull;
    h = (h ^ 0x1f) * 1099511628211ull;
  }
  return (h ^ (uint64_t)mode) * 1099511628211ull;
}

static bool res_is(const StResource *r, const char *module, StMode mode, const char *type,
                   const char *name) {
  return r->mode == mode && strcmp(r->name, name) == 0 && strcmp(r->type, type) == 0 &&
         strcmp(r->module, module) == 0;
}

static void index_insert(StIndex *ix, StResource *r) {
  size_t m = ix->cap - 1;
  size_t i = (size_t)hash_parts(r->module, r->mode, r->type, r->name) & m;
  while (ix->slot[i]) i = (i + 1) & m;
  ix->slot[i] = r;
  ix->n++;
}

static void index_build(State *s) {
  StIndex *ix = s->index;
  if (!ix) ix = s->index = xcalloc(1, sizeof *ix);
  size_t cap = 64;
  while (cap < s->nres * 2 + 2) cap *= 2;
  free(ix->slot);
  ix->slot = xcalloc(cap, sizeof *ix->slot);
  ix->cap = cap;
  ix->n = 0;
  for (size_t i = 0; i < s->nres; i++) index_insert(ix, s->res[i]);
}

static void index_drop(State *s) {
  if (!s->index) return;
  free(s->index->slot);
  free(s->index);
  s->index = NULL;
}

StResource *st_find_resource(State *s, const char *module, StMode mode, const char *type,
                             const char *name) {
  if (!module) module = "";
  if (!s->index) index_build(s);
  StIndex *ix = s->index;
  size_t m = ix->cap - 1;
  size_t i = (size_t)hash_parts(module, mode, type, name) & m;
  for (; ix->slot[i]; i = (i + 1) & m)
    if (res_is(ix->slot[i], module, mode, type, name)) return ix->slot[i];
  return NULL;
}

/* ---- keys ---- */

void st_key_copy(StKey *dst, const StKey *src) {
  *dst = *src;
  dst->s = src->kind == ST_KEY_STR && src->s ? xstrdup(src->s) : NULL;
}

void st_key_free(StKey *k) {
  free(k->s);
  memset(k, 0, sizeof *k);
}

int st_key_cmp(const StKey *a, const StKey *b) {
  if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
  if (a->kind == ST_KEY_INT) return a->i < b->i ? -1 : a->i > b->i;
  if (a->kind == ST_KEY_STR) return strcmp(a->s, b->s);
  return 0;
}

/* Instance keys are shown the way Terraform prints them in addresses: the
** string quoted with backslash escapes. */
void st_key_format(Buf *b, const StKey *k) {
  if (k->kind == ST_KEY_INT) {
    buf_printf(b, "[%lld]", k->i);
  } else if (k->kind == ST_KEY_STR) {
    buf_put_index_key(b, k->s);
  }
}

char *st_resource_addr(const StResource *r) {
  Buf b = BUF_INIT;
  if (r->module[0]) {
    buf_puts(&b, r->module);
    buf_putc(&b, '.');
  }
  if (r->mode == ST_DATA) buf_puts(&b, "data.");
  buf_printf(&b, "%s.%s", r->type, r->name);
  return buf_take(&b);
}

char *st_instance_addr(const StResource *r, const StInstance *in) {
  Buf b = BUF_INIT;
  char *ra = st_resource_addr(r);
  buf_puts(&b, ra);
  free(ra);
  st_key_format(&b, &in->key);
  return buf_take(&b);
}

/* ---- model ---- */

char *st_new_uuid(void) {
  unsigned char u[16];
  if (RAND_bytes(u, sizeof u) != 1) {
    /* OpenSSL's generator failing is not recoverable in a useful way;
    ** a lineage must be unique, so refuse to invent a weak one. */
    fputs("tfc: cannot obtain random bytes for a state lineage\n", stderr);
    exit(1);
  }
  u[6] = (unsigned char)((u[6] & 0x0f) | 0x40); /* version 4 */
  u[8] = (unsigned char)((u[8] & 0x3f) | 0x80); /* RFC 4122 variant */
  return xasprintf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1],
                   u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14],
                   u[15]);
}

State *st_new(void) {
  State *s = xcalloc(1, sizeof *s);
  s->terraform_version = xstrdup(ST_WRITER_VERSION);
  s->lineage = st_new_uuid();
  return s;
}

void st_instance_clear(StInstance *in) {
  st_key_free(&in->key);
  free(in->deposed);
  if (!in->shared_attributes) cJSON_Delete(in->attributes);
  cJSON_Delete(in->sensitive_attributes);
  cJSON_Delete(in->identity);
  free(in->private_b64);
  for (size_t i = 0; i < in->ndeps; i++) free(in->deps[i]);
  free(in->deps);
  memset(in, 0, sizeof *in);
}

static void resource_free(StResource *r) {
  for (size_t i = 0; i < r->ninst; i++) st_instance_clear(&r->inst[i]);
  free(r->inst);
  free(r->module);
  free(r->type);
  free(r->name);
  free(r->provider);
  free(r);
}

static void output_clear(StOutput *o) {
  free(o->name);
  cJSON_Delete(o->value);
  cJSON_Delete(o->type);
}

void st_free(State *s) {
  if (!s) return;
  for (size_t i = 0; i < s->nres; i++) resource_free(s->res[i]);
  free(s->res);
  for (size_t i = 0; i < s->noutputs; i++) output_clear(&s->outputs[i]);
  free(s->outputs);
  cJSON_Delete(s->check_results);
  free(s->terraform_version);
  free(s->lineage);
  index_drop(s);
  free(s);
}

static cJSON *dup(const cJSON *v) { return v ? cJSON_Duplicate(v, true) : NULL; }

void st_instance_copy(StInstance *dst, const StInstance *src) {
  *dst = *src;
  st_key_copy(&dst->key, &src->key);
  dst->deposed = src->deposed ? xstrdup(src->deposed) : NULL;
  dst->attributes = dup(src->attributes);
  dst->sensitive_attributes = dup(src->sensitive_attributes);
  dst->identity = dup(src->identity);
  dst->private_b64 = src->private_b64 ? xstrdup(src->private_b64) : NULL;
  dst->deps = src->ndeps ? xmalloc(src->ndeps * sizeof *dst->deps) : NULL;
  for (size_t i = 0; i < src->ndeps; i++) dst->deps[i] = xstrdup(src->deps[i]);
  dst->decoded = NULL;
  dst->shared_attributes = false;
}

static State *copy_state(const State *s, bool share) {
  State *c = xcalloc(1, sizeof *c);
  c->terraform_version = xstrdup(s->terraform_version);
  c->serial = s->serial;
  c->lineage = xstrdup(s->lineage);
  for (size_t i = 0; i < s->noutputs; i++)
    st_set_output(c, s->outputs[i].name, s->outputs[i].value, s->outputs[i].type, s->outputs[i].sensitive);
  for (size_t i = 0; i < s->nres; i++) {
    const StResource *r = s->res[i];
    StResource *d = xcalloc(1, sizeof *d);
    d->module = xstrdup(r->module);
    d->mode = r->mode;
    d->type = xstrdup(r->type);
    d->name = xstrdup(r->name);
    d->provider = xstrdup(r->provider);
    if (r->ninst) {
      d->inst = xcalloc(r->ninst, sizeof *d->inst);
      d->capinst = r->ninst;
      for (size_t j = 0; j < r->ninst; j++) {
        if (!share) {
          st_instance_copy(&d->inst[j], &r->inst[j]);
          continue;
        }
        /* everything but the attributes, which stay the original's */
        StInstance tmp = r->inst[j];
        tmp.attributes = NULL;
        st_instance_copy(&d->inst[j], &tmp);
        cJSON_Delete(d->inst[j].attributes);
        d->inst[j].attributes = r->inst[j].attributes;
        d->inst[j].shared_attributes = true;
      }
      d->ninst = r->ninst;
    }
    VEC_PUSH(c->res, c->nres, c->capres, d);
  }
  c->check_results = dup(s->check_results);
  return c;
}

State *st_clone(const State *s) { return copy_state(s, false); }

State *st_clone_sharing(const State *s) { return copy_state(s, true); }

StResource *st_get_resource(State *s, const char *module, StMode mode, const char *type,
                            const char *name, const char *provider) {
  if (!module) module = "";
  StResource *r = st_find_resource(s, module, mode, type, name);
  if (r) return r;
  r = xcalloc(1, sizeof *r);
  r->module = xstrdup(module);
  r->mode = mode;
  r->type = xstrdup(type);
  r->name = xstrdup(name);
  r->provider = xstrdup(provider ? provider : ST_AWS_PROVIDER);
  VEC_PUSH(s->res, s->nres, s->capres, r);
  if (s->index->n * 2 + 2 > s->index->cap) index_build(s);
  else index_insert(s->index, r);
  return r;
}

void st_remove_resource(State *s, StResource *r) {
  for (size_t i = 0; i < s->nres; i++) {
    if (s->res[i] != r) continue;
    memmove(&s->res[i], &s->res[i + 1], (s->nres - i - 1) * sizeof *s->res);
    s->nres--;
    resource_free(r);
    index_drop(s);
    return;
  }
}

static int inst_cmp(const StInstance *in, const StKey *key, const char *deposed) {
  int c = st_key_cmp(&in->key, key);
  return c ? c : strcmp(in->deposed ? in->deposed : "", deposed ? deposed : "");
}

/* Where (key, deposed) is or would go: instances are kept in the order the
** file lists them, so a resource of n instances is searched in log n. */
static size_t inst_pos(const StResource *r, const StKey *key, const char *deposed) {
  size_t lo = 0, hi = r->ninst;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (inst_cmp(&r->inst[mid], key, deposed) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

StInstance *st_find_instance(StResource *r, const StKey *key, const char *deposed) {
  size_t i = inst_pos(r, key, deposed);
  return i < r->ninst && inst_cmp(&r->inst[i], key, deposed) == 0 ? &r->inst[i] : NULL;
}

StInstance *st_put_instance(StResource *r, const StKey *key, const char *deposed) {
  size_t i = inst_pos(r, key, deposed);
  StInstance *in;
  if (i < r->ninst && inst_cmp(&r->inst[i], key, deposed) == 0) {
    in = &r->inst[i];
    st_instance_clear(in);
  } else {
    vec_reserve((void **)&r->inst, &r->capinst, r->ninst + 1, sizeof *r->inst);
    memmove(&r->inst[i + 1], &r->inst[i], (r->ninst - i) * sizeof *r->inst);
    r->ninst++;
    in = &r->inst[i];
    memset(in, 0, sizeof *in);
  }
  st_key_copy(&in->key, key);
  in->deposed = deposed ? xstrdup(deposed) : NULL;
  in->attributes = cJSON_CreateObject();
  in->sensitive_attributes = cJSON_CreateArray();
  in->has_identity_schema_version = true;
  return in;
}

bool st_remove_instance(StResource *r, const StKey *key, const char *deposed) {
  StInstance *in = st_find_instance(r, key, deposed);
  if (!in) return false;
  size_t i = (size_t)(in - r->inst);
  st_instance_clear(in);
  memmove(&r->inst[i], &r->inst[i + 1], (r->ninst - i - 1) * sizeof *r->inst);
  r->ninst--;
  return true;
}

void st_instance_add_dep(StInstance *in, const char *addr) {
  for (size_t i = 0; i < in->ndeps; i++)
    if (strcmp(in->deps[i], addr) == 0) return;
  in->deps = xrealloc(in->deps, (in->ndeps + 1) * sizeof *in->deps);
  in->deps[in->ndeps++] = xstrdup(addr);
}

StOutput *st_find_output(State *s, const char *name) {
  for (size_t i = 0; i < s->noutputs; i++)
    if (strcmp(s->outputs[i].name, name) == 0) return &s->outputs[i];
  return NULL;
}

void st_set_output(State *s, const char *name, const cJSON *value, const cJSON *type, bool sensitive) {
  StOutput *o = st_find_output(s, name);
  if (!value) {
    if (!o) return;
    size_t i = (size_t)(o - s->outputs);
    output_clear(o);
    memmove(&s->outputs[i], &s->outputs[i + 1], (s->noutputs - i - 1) * sizeof *s->outputs);
    s->noutputs--;
    return;
  }
  if (o) {
    cJSON_Delete(o->value);
    cJSON_Delete(o->type);
  } else {
    vec_reserve((void **)&s->outputs, &s->capoutputs, s->noutputs + 1, sizeof *s->outputs);
    o = &s->outputs[s->noutputs++];
    o->name = xstrdup(name);
  }
  o->value = cJSON_Duplicate(value, true);
  o->type = type ? cJSON_Duplicate(type, true) : cJSON_CreateString("dynamic");
  o->sensitive = sensitive;
}

/* ---- sorting (reference/terraform.md §1.1) ---- */

static int cmp_res(const void *a, const void *b) {
  const StResource *x = *(StResource *const *)a, *y = *(StResource *const *)b;
  int c = strcmp(x->module, y->module);
  if (c) return c;
  /* "data" sorts before "managed" as strings */
  if (x->mode != y->mode) return x->mode == ST_DATA ? -1 : 1;
  c = strcmp(x->type, y->type);
  if (c) return c;
  return strcmp(x->name, y->name);
}

static int cmp_inst(const void *a, const void *b) {
  const StInstance *x = a, *y = b;
  int c = st_key_cmp(&x->key, &y->key);
  if (c) return c;
  return strcmp(x->deposed ? x->deposed : "", y->deposed ? y->deposed : "");
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_out(const void *a, const void *b) {
  return strcmp(((const StOutput *)a)->name, ((const StOutput *)b)->name);
}

/* qsort must not see a NULL base, which empty vectors have. */
static void sort_n(void *v, size_t n, size_t sz, int (*cmp)(const void *, const void *)) {
  if (n > 1) qsort(v, n, sz, cmp);
}

void st_sort(State *s) {
  sort_n(s->res, s->nres, sizeof *s->res, cmp_res);
  for (size_t i = 0; i < s->nres; i++) {
    StResource *r = s->res[i];
    sort_n(r->inst, r->ninst, sizeof *r->inst, cmp_inst);
    for (size_t j = 0; j < r->ninst; j++) sort_n(r->inst[j].deps, r->inst[j].ndeps, sizeof(char *), cmp_str);
  }
  sort_n(s->outputs, s->noutputs, sizeof *s->outputs, cmp_out);
}

size_t st_count_instances(const State *s) {
  size_t n = 0;
  for (size_t i = 0; i < s->nres; i++) n += s->res[i]->ninst;
  return n;
}

