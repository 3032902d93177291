/*
** plan/check.c — whole-configuration static checks; see check.h.
**
** Resources are decoded lazily: when an expression refers to a resource
** that has not been decoded yet, it is decoded then (a reference cycle
** yields an unknown value here and is reported by the graph). A decoded
** resource's value is its configuration with computed attributes unknown —
** what Terraform would plan for a new object — so that a reference such as
** "endpoint/${aws_sagemaker_endpoint.this.name}/variant/primary" is known
** whenever the variables are, and the deployment checks can follow it.
*/
#include "plan/check.h"
#include "base/util.h"
#include "eval/decode.h"
#include "eval/modtree.h"
#include "graph/graph.h"

#include <stdlib.h>
#include <string.h>

typedef struct Entry {
  CfgResource *r;
  int state;             /* 0 not decoded, 1 decoding, 2 done */
  Value *config;         /* decoded configuration */
  Value *value;          /* what references see */
  RangeMap rm;
  const Provider *prov;
  const Schema *schema;
} Entry;

typedef struct Ctx {
  ModTree *tree;
  Entry *e;
  size_t n, cap;
  DiagList *d;
  char **missing_providers;
  size_t nmissing, capmissing;
} Ctx;

static void collect(CfgModule *m, void *ud) {
  Ctx *c = ud;
  for (size_t i = 0; i < m->nresources; i++) {
    Entry e;
    memset(&e, 0, sizeof e);
    e.r = &m->resources[i];
    VEC_PUSH(c->e, c->n, c->cap, e);
  }
}

/* Entries are collected in cfg_walk order, which is how resources are numbered. */
static Entry *find(Ctx *c, const CfgResource *r) {
  return r->seq < c->n && c->e[r->seq].r == r ? &c->e[r->seq] : NULL;
}

static const char *const *type_names(const Provider *p, bool data, size_t *n) {
  const char **v = xcalloc((data ? p->ndata_sources : p->nresources) + 1, sizeof *v);
  *n = 0;
  if (data)
    for (size_t i = 0; i < p->ndata_sources; i++) v[(*n)++] = p->data_sources[i]->name;
  else
    for (size_t i = 0; i < p->nresources; i++) v[(*n)++] = p->resources[i]->name;
  return v;
}

/* Finds the provider and schema of e, reporting what is missing once. */
static bool resolve_schema(Ctx *c, Entry *e) {
  CfgResource *r = e->r;
  e->prov = provider_lookup(r->provider);
  if (!e->prov) {
    for (size_t i = 0; i < c->nmissing; i++)
      if (strcmp(c->missing_providers[i], r->provider) == 0) return false;
    VEC_PUSH(c->missing_providers, c->nmissing, c->capmissing, r->provider);
    diag_error(c->d, r->decl_range, "Provider not available",
               "This configuration requires the provider \"%s\", which is not built into tfc. tfc includes the "
               "\"aws\" provider only.", r->provider);
    return false;
  }
  bool data = r->mode == CFG_DATA;
  if (data) {
    const DataSourceType *dt = provider_data_source(e->prov, r->type);
    if (dt) e->schema = dt->schema;
  } else {
    const ResourceType *rt = provider_resource(e->prov, r->type);
    if (rt) e->schema = rt->schema;
  }
  if (!e->schema) {
    size_t n;
    const char *const *names = type_names(e->prov, data, &n);
    const char *s = cfg_suggest(r->type, names, n);
    SrcRange tr = r->block->label_ranges[0];
    if (s)
      diag_error(c->d, tr, data ? "Invalid data source" : "Invalid resource type",
                 "The provider hashicorp/%s does not support %s \"%s\". Did you mean \"%s\"?", e->prov->name,
                 data ? "data source" : "resource type", r->type, s);
    else
      diag_error(c->d, tr, data ? "Invalid data source" : "Invalid resource type",
                 "The provider hashicorp/%s does not support %s \"%s\".", e->prov->name,
                 data ? "data source" : "resource type", r->type);
    free((void *)names);
    return false;
  }
  return true;
}

static void decode_entry(Ctx *c, Entry *e) {
  e->state = 1;
  CfgResource *r = e->r;
  ModTree *t = modtree_find(c->tree, r->module);
  if (!t || !resolve_schema(c, e)) {
    e->state = 2;
    return;
  }
  ModEval *me = t->me;
  /* save the instance context of whatever expression asked for this */
  bool hc = me->has_count, he = me->has_each;
  Value *ci = me->count_index ? val_ref(me->count_index) : NULL, *ek = me->each_key ? val_ref(me->each_key) : NULL,
        *ev = me->each_value ? val_ref(me->each_value) : NULL, *sf = me->self ? val_ref(me->self) : NULL;
  modeval_set_instance(me, r->count != NULL, NULL, r->for_each != NULL, NULL, NULL, NULL);
  if (r->count) val_free(modeval_expr(me, r->count, c->d));
  if (r->for_each) val_free(modeval_expr(me, r->for_each, c->d));
  Value *cfg = decode_resource_body(me, r->block, e->schema, &e->rm, c->d);
  if (cfg) {
    e->config = schema_apply_defaults(e->schema, cfg);
    val_free(cfg);
    ProvDiags pd = {0};
    schema_validate(e->schema, e->config, &pd);
    if (r->mode == CFG_MANAGED) {
      const ResourceType *rt = provider_resource(e->prov, r->type);
      if (rt->validate) rt->validate(e->config, &pd);
      e->value = schema_proposed_new(e->schema, NULL, e->config);
    } else {
      /* a data source is read at plan time; until then it is unknown */
      e->value = val_unknown(schema_type(e->schema));
    }
    char *addr = cfg_resource_addr(r);
    decode_prov_diags(&pd, &e->rm, addr, c->d);
    free(addr);
    prov_diags_free(&pd);
  }
  /* references must exist even when they only order things */
  for (size_t i = 0; i < r->ndepends; i++) val_free(modeval_expr(me, r->depends_on[i], c->d));
  for (size_t i = 0; i < r->lc.nreplace; i++) val_free(modeval_expr(me, r->lc.replace_triggered_by[i], c->d));
  modeval_set_instance(me, hc, ci, he, ek, ev, sf);
  val_free(ci);
  val_free(ek);
  val_free(ev);
  val_free(sf);
  e->state = 2;
}

static Value *hook_resource(void *ud, ModEvalRef me, const CfgResource *r, SrcRange rng, DiagList *d) {
  (void)me;
  (void)rng;
  (void)d;
  Ctx *c = ud;
  Entry *e = find(c, r);
  if (!e) return val_unknown(T_DYNAMIC);
  if (e->state == 0) decode_entry(c, e);
  if (r->count || r->for_each || !e->value) return val_unknown(T_DYNAMIC);
  return val_ref(e->value);
}

/* ---- deployment checks ---- */

/* Adds to deps every resource of the same module that e's expressions
** refer to. */
static void expr_deps(Ctx *c, const CfgModule *m, const Expr *x, size_t **deps, size_t *n, size_t *cap) {
  EvRefList refs = {0};
  ev_references(x, &refs);
  for (size_t i = 0; i < refs.n; i++) {
    EvTraversal *t = &refs.v[i];
    CfgResource *r = NULL;
    char *root = xstrndup(t->root.s, t->root.len);
    if (strcmp(root, "data") == 0 && t->nsteps >= 2 && t->steps[0].kind == EV_STEP_ATTR && t->steps[1].kind == EV_STEP_ATTR) {
      char *ty = xstrndup(t->steps[0].name.s, t->steps[0].name.len);
      char *nm = xstrndup(t->steps[1].name.s, t->steps[1].name.len);
      r = cfg_resource(m, CFG_DATA, ty, nm);
      free(ty);
      free(nm);
    } else if (t->nsteps >= 1 && t->steps[0].kind == EV_STEP_ATTR) {
      char *nm = xstrndup(t->steps[0].name.s, t->steps[0].name.len);
      r = cfg_resource(m, CFG_MANAGED, root, nm);
      free(nm);
    }
    free(root);
    if (!r) continue;
    size_t idx = (size_t)(find(c, r) - c->e);
    bool dup = false;
    for (size_t k = 0; k < *n; k++) dup = dup || (*deps)[k] == idx;
    if (!dup) VEC_PUSH(*deps, *n, *cap, idx);
  }
  ev_reflist_free(&refs);
}

static void body_deps(Ctx *c, const CfgModule *m, const Body *b, size_t **deps, size_t *n, size_t *cap) {
  for (size_t i = 0; i < b->nitems; i++) {
    if (b->items[i].attr) expr_deps(c, m, b->items[i].attr->expr, deps, n, cap);
    else body_deps(c, m, b->items[i].block->body, deps, n, cap);
  }
}

static void run_checks_for_module(Ctx *c, CfgModule *m) {
  size_t base = 0;
  while (base < c->n && c->e[base].r->module != m) base++;
  size_t n = m->nresources;
  if (!n) return;
  CheckResource *cr = xcalloc(n, sizeof *cr);
  size_t **deps = xcalloc(n, sizeof *deps);
  char **addrs = xcalloc(n, sizeof *addrs);
  for (size_t i = 0; i < n; i++) {
    Entry *e = &c->e[base + i];
    size_t nd = 0, cap = 0;
    body_deps(c, m, e->r->body, &deps[i], &nd, &cap);
    for (size_t k = 0; k < e->r->ndepends; k++) expr_deps(c, m, e->r->depends_on[k], &deps[i], &nd, &cap);
    /* indexes relative to this module's slice */
    for (size_t k = 0; k < nd; k++) deps[i][k] -= base;
    addrs[i] = cfg_resource_addr(e->r);
    cr[i].type = e->r->type;
    cr[i].name = e->r->name;
    cr[i].address = addrs[i];
    cr[i].managed = e->r->mode == CFG_MANAGED;
    cr[i].config = e->config;
    cr[i].create_before_destroy = e->r->lc.create_before_destroy;
    cr[i].deps = deps[i];
    cr[i].ndeps = nd;
  }
  /* create_before_destroy spreads to what such a resource depends on, as
  ** Terraform does: repeat until nothing changes (chains are short). */
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < n; i++) {
      if (!cr[i].create_before_destroy) continue;
      for (size_t k = 0; k < cr[i].ndeps; k++) {
        CheckResource *dep = &cr[cr[i].deps[k]];
        if (dep->create_before_destroy || !dep->managed) continue;
        dep->create_before_destroy = true;
        dep->cbd_cause = cr[i].cbd_cause ? cr[i].cbd_cause : cr[i].address;
        changed = true;
      }
    }
  }
  /* one provider's checks per provider present in the module */
  const Provider *done[8];
  size_t ndone = 0;
  for (size_t i = 0; i < n; i++) {
    const Provider *p = c->e[base + i].prov;
    if (!p || !p->check_config) continue;
    bool seen = false;
    for (size_t k = 0; k < ndone; k++) seen = seen || done[k] == p;
    if (seen || ndone == 8) continue;
    done[ndone++] = p;
    p->check_config(cr, n);
  }
  for (size_t i = 0; i < n; i++) {
    decode_prov_diags(&cr[i].diags, &c->e[base + i].rm, addrs[i], c->d);
    prov_diags_free(&cr[i].diags);
    free(deps[i]);
    free(addrs[i]);
  }
  free(cr);
  free(deps);
  free(addrs);
}

static void check_module(Ctx *c, ModTree *t) {
  CfgModule *m = t->mod;
  ModEval *me = t->me;
  for (size_t i = 0; i < m->nlocals; i++) val_free(modeval_local(me, i, c->d));
  for (size_t i = 0; i < m->nresources; i++) {
    Entry *e = find(c, &m->resources[i]);
    if (e->state == 0) decode_entry(c, e);
  }
  for (size_t i = 0; i < m->noutputs; i++) {
    CfgOutput *o = &m->outputs[i];
    if (o->value) val_free(modeval_expr(me, o->value, c->d));
    for (size_t k = 0; k < o->ndepends; k++) val_free(modeval_expr(me, o->depends_on[k], c->d));
  }
  for (size_t i = 0; i < m->ncalls; i++) {
    CfgModuleCall *call = &m->calls[i];
    if (call->count) val_free(modeval_expr(me, call->count, c->d));
    if (call->for_each) val_free(modeval_expr(me, call->for_each, c->d));
    for (size_t k = 0; k < call->ndepends; k++) val_free(modeval_expr(me, call->depends_on[k], c->d));
  }
  modeval_check_vars(me, c->d);
  run_checks_for_module(c, m);
  for (size_t i = 0; i < m->ncalls; i++)
    if (modtree_child(t, i)) check_module(c, modtree_child(t, i));
}

void check_config(CfgModule *root, const CheckOptions *o, DiagList *d) {
  Ctx c;
  memset(&c, 0, sizeof c);
  c.d = d;
  Graph *g = graph_build(root);
  graph_report_cycles(g, d);
  graph_free(g);
  cfg_walk(root, collect, &c);
  VarOptions vo = {root->dir, o->vars, o->nvars, !o->vars_required};
  Value **vars = vars_collect(root, &vo, d);
  ModEvalHooks hooks = {hook_resource, NULL, NULL, &c};
  c.tree = modtree_new(root, vars, o->workspace, true, false, &hooks);
  modtree_bind_inputs(c.tree, d);
  check_module(&c, c.tree);
  for (size_t i = 0; i < c.n; i++) {
    val_free(c.e[i].config);
    val_free(c.e[i].value);
    rangemap_free(&c.e[i].rm);
  }
  free(c.e);
  free(c.missing_providers);
  modtree_free(c.tree);
}
