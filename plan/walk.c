/*
** plan/walk.c — making a plan and applying it.
**
** Both walks evaluate the configuration through eval/modtree.h with a hook
** that answers resource references from a table of instance values:
** planned values while planning, real values as apply replaces them. A
** resource is planned the first time anything refers to it (or when the
** walk reaches it), so resources are always planned after what they depend
** on, and the order of the plan's changes is an order in which they can be
** created. Reference cycles are reported when a resource is asked for
** while it is being planned.
**
** Apply re-evaluates each resource's configuration just before its
** operation, with the values its dependencies really got, asks the provider
** to plan again (unknowns from the plan are then known) and runs the
** operation. Every operation is journaled before and after it runs.
*/
#include "plan/plan.h"
#include "base/buf.h"
#include "base/util.h"
#include "eval/decode.h"
#include "eval/modtree.h"
#include "providers/https/https.h"
#include "providers/sim/sim.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ runtime */

typedef struct ProvInst {
  const Provider *prov;
  ProvCtx *ctx;
} ProvInst;

struct Runtime {
  ProvInst *v;
  size_t n, cap;
};

static const Block empty_block;
static const Body empty_body;

static const CfgProvider *find_provider_config(CfgModule *root, const char *name) {
  for (size_t i = 0; i < root->nproviders; i++)
    if (strcmp(root->providers[i].name, name) == 0 && !root->providers[i].alias) return &root->providers[i];
  return NULL;
}

static void need_provider(CfgModule *m, void *ud) {
  const char ***names = ud;
  for (size_t i = 0; i < m->nresources; i++) {
    const char *p = m->resources[i].provider;
    size_t k = 0;
    while ((*names)[k] && strcmp((*names)[k], p) != 0) k++;
    if (!(*names)[k] && k < 15) (*names)[k] = p;
  }
}

Runtime *runtime_open(CfgModule *root, const PlanOptions *o, DiagList *d) {
  Runtime *rt = xcalloc(1, sizeof *rt);
  const char *names[16] = {0};
  const char **np = names;
  cfg_walk(root, need_provider, &np);
  for (size_t i = 0; i < root->nproviders; i++) {
    size_t k = 0;
    while (names[k] && strcmp(names[k], root->providers[i].name) != 0) k++;
    if (!names[k] && k < 15) names[k] = root->providers[i].name;
  }
  /* provider blocks are evaluated in the root module with the variables */
  VarOptions vo = {root->dir, o->vars, o->nvars, true};
  DiagList vd = {0};
  Value **vars = vars_collect(root, &vo, &vd);
  diag_free(&vd); /* reported by the plan itself */
  ModTree *t = modtree_new(root, vars, o->workspace, false, NULL);
  for (size_t i = 0; names[i]; i++) {
    const Provider *p = provider_lookup(names[i]);
    if (!p) continue; /* reported by the checks */
    const CfgProvider *pc = find_provider_config(root, names[i]);
    Block blk = empty_block;
    Body body = empty_body;
    blk.body = &body;
    const Block *use = &blk;
    if (pc) {
      for (size_t f = 0; f < root->nfiles && use == &blk; f++)
        for (size_t k = 0; k < root->files[f]->body->nitems; k++) {
          Block *b = root->files[f]->body->items[k].block;
          if (b && b->body == pc->body) use = b;
        }
    }
    RangeMap rm = {0};
    Value *cfg = decode_resource_body(t->me, use, p->config_schema, &rm, d);
    if (pc) {
      /* "alias" is meta, everything else belongs to the provider */
    }
    Value *withdef = cfg ? schema_apply_defaults(p->config_schema, cfg) : NULL;
    DiagList sd = {0};
    AwsTransport *tr = NULL;
    if (o->cloud && strcmp(o->cloud, "aws") == 0) {
      /* the real AWS APIs (or whatever AWS_ENDPOINT_URL points at) */
      cJSON *pj = withdef ? val_to_json(withdef) : NULL;
      tr = pj ? https_open_provider_block(pj, &sd) : NULL;
      cJSON_Delete(pj);
    } else {
      tr = sim_open(".", &sd);
    }
    diag_move(d, &sd);
    ProvDiags pd = {0};
    ProvCtx *ctx = tr && withdef ? p->configure(withdef, tr, &pd) : NULL;
    decode_prov_diags(&pd, &rm, NULL, d);
    prov_diags_free(&pd);
    rangemap_free(&rm);
    val_free(cfg);
    val_free(withdef);
    if (ctx) {
      ProvInst pi = {p, ctx};
      VEC_PUSH(rt->v, rt->n, rt->cap, pi);
    } else if (tr && !withdef && tr->close) {
      tr->close(tr); /* configure owns the transport it was given, even when it fails */
    }
  }
  modtree_free(t);
  return rt;
}

void runtime_close(Runtime *rt) {
  if (!rt) return;
  for (size_t i = 0; i < rt->n; i++) rt->v[i].prov->close(rt->v[i].ctx);
  free(rt->v);
  free(rt);
}

static ProvCtx *runtime_ctx(Runtime *rt, const Provider *p) {
  for (size_t i = 0; i < rt->n; i++)
    if (rt->v[i].prov == p) return rt->v[i].ctx;
  return NULL;
}

/* ------------------------------------------------------------ the walker */

/* One instance of a configured resource (or an orphan in the state). */
typedef struct Inst {
  StKey key;
  Value *value;              /* what references see (planned, then real) */
  long change;               /* index into plan->changes, -1 if none */
} Inst;

typedef struct DepSet DepSet;

typedef struct RVal {
  CfgResource *r;
  int state;                 /* 0 not planned, 1 planning, 2 planned */
  Inst *inst;
  size_t ninst, capinst;
  Value *agg;                /* what references see (aggregate), cached; NULL when stale */
  DepSet *deps;              /* resources r depends on, computed on first use */
  int cbd;                   /* create_before_destroy applies: -1 not known yet, 0, 1 */
  bool expanded_unknown;     /* count/for_each unknown: planning failed */
  const Provider *prov;
  const ResourceType *rt;
  const DataSourceType *dt;
  const Schema *schema;
} RVal;

typedef struct Walker {
  CfgModule *root;
  ModTree *tree;
  RVal *rv;
  size_t nrv;
  Plan *plan;
  const State *prior;
  State *refreshed;          /* prior after refresh (a clone) */
  Runtime *rt;
  const PlanOptions *o;
  DiagList *d;
  bool applying;
} Walker;

/* RVals are collected in cfg_walk order, which is how resources are numbered. */
static RVal *find_rv(Walker *w, const CfgResource *r) {
  return r->seq < w->nrv && w->rv[r->seq].r == r ? &w->rv[r->seq] : NULL;
}

static void collect_rv(CfgModule *m, void *ud) {
  Walker *w = ud;
  w->rv = xrealloc(w->rv, (w->nrv + m->nresources + 1) * sizeof *w->rv);
  for (size_t i = 0; i < m->nresources; i++) {
    RVal *v = &w->rv[w->nrv++];
    memset(v, 0, sizeof *v);
    v->r = &m->resources[i];
    v->cbd = -1;
  }
}

/* Every change to v's instances goes through here, so that the cached
** aggregate is rebuilt on the next reference. */
static void rv_changed(RVal *v) {
  val_free(v->agg);
  v->agg = NULL;
}

static char *module_path(const CfgModule *m) { return xstrdup(m->addr); }

static StMode st_mode(CfgMode m) { return m == CFG_DATA ? ST_DATA : ST_MANAGED; }

static char *inst_addr(const CfgResource *r, const StKey *k) {
  char *base = cfg_resource_addr(r);
  Buf b = BUF_INIT;
  buf_puts(&b, base);
  st_key_format(&b, k);
  free(base);
  return buf_take(&b);
}

/* The value references to r see: one object, a tuple (count) or an object
** keyed by instance key (for_each). */
static Value *aggregate(const RVal *v) {
  const CfgResource *r = v->r;
  if (v->expanded_unknown) return val_unknown(T_DYNAMIC);
  if (!r->count && !r->for_each) {
    if (v->ninst && v->inst[0].value) return val_ref(v->inst[0].value);
    return val_unknown(v->schema ? schema_type(v->schema) : T_DYNAMIC);
  }
  Value **vals = xcalloc(v->ninst + 1, sizeof *vals);
  const char **keys = xcalloc(v->ninst + 1, sizeof *keys);
  for (size_t i = 0; i < v->ninst; i++) {
    vals[i] = v->inst[i].value ? v->inst[i].value : val_unknown(T_DYNAMIC);
    keys[i] = v->inst[i].key.s;
  }
  Value *out = r->count ? val_tuple(vals, v->ninst) : val_object(keys, vals, v->ninst);
  for (size_t i = 0; i < v->ninst; i++)
    if (!v->inst[i].value) val_free(vals[i]);
  free(vals);
  free(keys);
  return out;
}

static void plan_resource(Walker *w, RVal *v);

static Value *hook_resource(void *ud, const CfgResource *r, SrcRange rng, DiagList *d) {
  Walker *w = ud;
  RVal *v = find_rv(w, r);
  if (!v) return val_unknown(T_DYNAMIC);
  if (v->state == 1) {
    char *a = cfg_resource_addr(r);
    diag_error(d, rng, "Cycle", "%s refers to itself through its references (a dependency cycle); break the cycle "
                                "by removing one of the references.", a);
    free(a);
    return NULL;
  }
  if (v->state == 0 && !w->applying) plan_resource(w, v);
  /* a resource with n instances is referred to by up to n others: build
  ** its value once, not once per reference */
  if (!v->agg) v->agg = aggregate(v);
  return val_ref(v->agg);
}

static Value *hook_module(void *ud, const CfgModuleCall *c, SrcRange rng, DiagList *d) {
  (void)rng;
  Walker *w = ud;
  ModTree *t = modtree_find(w->tree, c->child);
  if (!t) return val_unknown(T_DYNAMIC);
  CfgModule *m = t->mod;
  const char **names = xcalloc(m->noutputs + 1, sizeof *names);
  Value **vals = xcalloc(m->noutputs + 1, sizeof *vals);
  for (size_t i = 0; i < m->noutputs; i++) {
    names[i] = m->outputs[i].name;
    vals[i] = m->outputs[i].value ? modeval_expr(t->me, m->outputs[i].value, d) : NULL;
    if (!vals[i]) vals[i] = val_unknown(T_DYNAMIC);
    if (m->outputs[i].sensitive && !val_is_sensitive(vals[i])) {
      Value *s = val_mark_sensitive(vals[i]);
      val_free(vals[i]);
      vals[i] = s;
    }
  }
  Value *o = val_object(names, vals, m->noutputs);
  for (size_t i = 0; i < m->noutputs; i++) val_free(vals[i]);
  free(names);
  free(vals);
  return o;
}

static const Type *hook_type(void *ud, const CfgResource *r) {
  RVal *v = find_rv(ud, r);
  return v && v->schema ? schema_type(v->schema) : NULL;
}

/* Locals and module inputs may depend on resources whose values just
** changed: forget cached locals and bind module inputs again. */
static void invalidate(Walker *w, ModTree *t) {
  for (size_t i = 0; i < t->mod->nlocals; i++) {
    val_free(t->me->locals[i]);
    t->me->locals[i] = NULL;
    t->me->lstate[i] = 0;
  }
  for (size_t i = 0; i < t->mod->ncalls; i++)
    if (t->children[i]) invalidate(w, t->children[i]);
}

static void refresh_scopes(Walker *w) {
  invalidate(w, w->tree);
  DiagList tmp = {0};
  modtree_bind_inputs(w->tree, &tmp);
  diag_free(&tmp);
}

/* ------------------------------------------------------------ state access */

static StResource *state_resource(const State *s, const CfgResource *r) {
  char *mod = module_path(r->module);
  StResource *sr = st_find_resource((State *)s, mod, st_mode(r->mode), r->type, r->name);
  free(mod);
  return sr;
}

static Value *state_value(const StInstance *in, const Schema *s, DiagList *d, const char *addr) {
  char *err = NULL;
  Value *v = val_from_json(in->attributes, schema_type(s), &err);
  if (!v) {
    diag_add(d, DIAG_ERROR, NULL, "Invalid resource instance data in state",
             "The state's object for %s does not match the provider's schema: %s.", addr, err ? err : "?");
    free(err);
  }
  return v;
}

/* ------------------------------------------------------------ changes */

static Change *add_change(Walker *w) {
  Plan *p = w->plan;
  VEC_PUSH(p->changes, p->n, p->cap, (Change){0});
  Change *c = &p->changes[p->n - 1];
  c->deps = NULL;
  return c;
}

/* Resources (of any module) that an expression depends on, following
** locals, variables and module outputs to the resources behind them. */
struct DepSet {
  CfgResource **v;
  size_t n, cap;
  const void **seen;
  size_t nseen, capseen;
};

static bool seen(DepSet *s, const void *p) {
  for (size_t i = 0; i < s->nseen; i++)
    if (s->seen[i] == p) return true;
  VEC_PUSH(s->seen, s->nseen, s->capseen, p);
  return false;
}

static void deps_of_expr(CfgModule *m, const Expr *e, DepSet *out);

static void deps_of_body(CfgModule *m, const Body *b, DepSet *out) {
  for (size_t i = 0; i < b->nitems; i++) {
    if (b->items[i].attr) deps_of_expr(m, b->items[i].attr->expr, out);
    else deps_of_body(m, b->items[i].block->body, out);
  }
}

static void add_dep(DepSet *out, CfgResource *r) {
  for (size_t i = 0; i < out->n; i++)
    if (out->v[i] == r) return;
  VEC_PUSH(out->v, out->n, out->cap, r);
}

static char *step(const EvTraversal *t, size_t i) {
  if (i >= t->nsteps || t->steps[i].kind != EV_STEP_ATTR) return NULL;
  return xstrndup(t->steps[i].name.s, t->steps[i].name.len);
}

static void deps_of_expr(CfgModule *m, const Expr *e, DepSet *out) {
  EvRefList refs = {0};
  ev_references(e, &refs);
  for (size_t i = 0; i < refs.n; i++) {
    EvTraversal *t = &refs.v[i];
    char *root = xstrndup(t->root.s, t->root.len);
    char *s0 = step(t, 0), *s1 = step(t, 1);
    if (strcmp(root, "local") == 0 && s0) {
      CfgLocal *l = cfg_local(m, s0);
      if (l && !seen(out, l)) deps_of_expr(m, l->expr, out);
    } else if (strcmp(root, "var") == 0 && s0) {
      /* a child module's variable is its call's argument in the parent */
      if (m->call && m->parent && !seen(out, cfg_variable(m, s0))) {
        for (size_t k = 0; k < m->call->body->nitems; k++) {
          Attribute *a = m->call->body->items[k].attr;
          if (a && hcl_str_eq(a->name, s0)) deps_of_expr(m->parent, a->expr, out);
        }
      }
    } else if (strcmp(root, "module") == 0 && s0) {
      CfgModuleCall *c = cfg_call(m, s0);
      if (c && c->child) {
        for (size_t k = 0; k < c->child->noutputs; k++) {
          CfgOutput *o = &c->child->outputs[k];
          if ((s1 && strcmp(o->name, s1) != 0) || !o->value || seen(out, o)) continue;
          deps_of_expr(c->child, o->value, out);
          for (size_t j = 0; j < o->ndepends; j++) deps_of_expr(c->child, o->depends_on[j], out);
        }
      }
    } else if (strcmp(root, "data") == 0 && s0 && s1) {
      CfgResource *r = cfg_resource(m, CFG_DATA, s0, s1);
      if (r) add_dep(out, r);
    } else if (s0) {
      CfgResource *r = cfg_resource(m, CFG_MANAGED, root, s0);
      if (r) add_dep(out, r);
    }
    free(root);
    free(s0);
    free(s1);
  }
  ev_reflist_free(&refs);
}

static void resource_deps(CfgResource *r, DepSet *out) {
  deps_of_body(r->module, r->body, out);
  if (r->count) deps_of_expr(r->module, r->count, out);
  if (r->for_each) deps_of_expr(r->module, r->for_each, out);
  for (size_t i = 0; i < r->ndepends; i++) deps_of_expr(r->module, r->depends_on[i], out);
  /* a module call's depends_on applies to everything inside it */
  for (CfgModule *m = r->module; m->call; m = m->parent)
    for (size_t i = 0; i < m->call->ndepends; i++) deps_of_expr(m->parent, m->call->depends_on[i], out);
}

static void depset_free(DepSet *s) {
  free(s->v);
  free(s->seen);
}

/* ------------------------------------------------------------ planning */

static bool in_list(const char *const *v, size_t n, const char *s) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(v[i], s) == 0) return true;
  return false;
}

/* Instance keys of r: none, 0..count-1, or the for_each keys. */
static bool expand(Walker *w, RVal *v, ModEval *me, StKey **keys, Value ***eachvals, size_t *n) {
  CfgResource *r = v->r;
  *keys = NULL;
  *eachvals = NULL;
  *n = 0;
  modeval_set_instance(me, false, NULL, false, NULL, NULL, NULL);
  if (r->count) {
    Value *c = modeval_expr(me, r->count, w->d);
    if (!c) return false;
    Value *num = val_convert(c, T_NUMBER, NULL);
    int64_t cnt = -1;
    if (!num || !val_is_known(num) || val_is_null(num) || !val_get_i64(num, &cnt) || cnt < 0) {
      diag_error(w->d, r->count->range, "Invalid count argument",
                 (num && !val_is_known(num))
                     ? "The \"count\" value depends on resource attributes that cannot be determined until apply, so "
                       "Terraform cannot predict how many instances will be created. To work around this, use the "
                       "-target argument to first apply only the resources that the count depends on."
                     : "The given \"count\" argument value is unsuitable: must be a whole number greater than or "
                       "equal to zero.");
      val_free(num);
      val_free(c);
      return false;
    }
    val_free(num);
    val_free(c);
    *keys = xcalloc((size_t)cnt + 1, sizeof **keys);
    for (int64_t i = 0; i < cnt; i++) {
      (*keys)[i].kind = ST_KEY_INT;
      (*keys)[i].i = i;
    }
    *n = (size_t)cnt;
    return true;
  }
  if (r->for_each) {
    Value *c = modeval_expr(me, r->for_each, w->d);
    if (!c) return false;
    if (!val_is_wholly_known(c) || val_is_null(c) ||
        !(val_kind(c) == TY_MAP || val_kind(c) == TY_OBJECT || val_kind(c) == TY_SET)) {
      diag_error(w->d, r->for_each->range, "Invalid for_each argument",
                 !val_is_wholly_known(c)
                     ? "The \"for_each\" map includes keys derived from resource attributes that cannot be determined "
                       "until apply, and so Terraform cannot determine the full set of keys that will identify the "
                       "instances of this resource."
                     : "The given \"for_each\" argument value is unsuitable: the \"for_each\" argument must be a map, "
                       "or set of strings.");
      val_free(c);
      return false;
    }
    size_t len = val_len(c);
    *keys = xcalloc(len + 1, sizeof **keys);
    *eachvals = xcalloc(len + 1, sizeof **eachvals);
    ValIter it = val_iter(c);
    while (val_iter_next(&it)) {
      StKey *k = &(*keys)[*n];
      k->kind = ST_KEY_STR;
      if (it.key) {
        k->s = xstrdup(it.key);
      } else {
        Value *s = val_convert(it.elem, T_STRING, NULL);
        k->s = xstrdup(s ? val_str(s) : "");
        val_free(s);
      }
      (*eachvals)[*n] = val_ref(it.elem);
      (*n)++;
    }
    val_free(c);
    return true;
  }
  *keys = xcalloc(1, sizeof **keys);
  *n = 1;
  return true;
}

static bool has_replace_flag(Walker *w, const char *addr) {
  return w->o->replace && in_list(w->o->replace, w->o->nreplace, addr);
}

/* Keeps prior values for the attributes named by ignore_changes. */
static Value *apply_ignore_changes(const CfgResource *r, const Value *prior, const Value *config) {
  if (!prior || (!r->lc.ignore_all && !r->lc.nignore)) return val_ref(config);
  const Type *ty = val_type(config);
  size_t n = ty->n;
  Value **vals = xcalloc(n + 1, sizeof *vals);
  for (size_t i = 0; i < n; i++) {
    bool keep = r->lc.ignore_all;
    for (size_t k = 0; k < r->lc.nignore && !keep; k++) {
      const Expr *x = r->lc.ignore_changes[k];
      while (x->kind == EXPR_GETATTR || x->kind == EXPR_INDEX)
        x = x->kind == EXPR_GETATTR ? x->u.getattr.obj : x->u.index.obj;
      if (x->kind == EXPR_VARIABLE && hcl_str_eq(x->u.name, ty->names[i])) keep = true;
    }
    Value *pv = keep ? val_attr(prior, ty->names[i]) : NULL;
    vals[i] = pv ? pv : val_attr(config, ty->names[i]);
  }
  Value *out = val_object((const char *const *)ty->names, vals, n);
  for (size_t i = 0; i < n; i++) val_free(vals[i]);
  free(vals);
  return out;
}

static const DepSet *rv_deps(RVal *v) {
  if (!v->deps) {
    v->deps = xcalloc(1, sizeof *v->deps);
    resource_deps(v->r, v->deps);
  }
  return v->deps;
}

static void set_dep_addrs(Change *c, RVal *v) {
  const DepSet *ds = rv_deps(v);
  c->dep_addrs = xcalloc(ds->n + 1, sizeof *c->dep_addrs);
  for (size_t i = 0; i < ds->n; i++) c->dep_addrs[c->ndep_addrs++] = cfg_resource_addr(ds->v[i]);
}

/* The changes each change must wait for: those of every instance of the
** resources it depends on. Only an apply needs them, and they are as many
** as instances times dependencies' instances, so a plan does not list them. */
static void link_deps(Walker *w, Plan *p) {
  for (size_t i = 0; i < p->n; i++) {
    Change *c = &p->changes[i];
    RVal *v = c->cfg ? find_rv(w, c->cfg) : NULL;
    if (!v || c->deps) continue;
    const DepSet *ds = rv_deps(v);
    for (size_t j = 0; j < ds->n; j++) {
      RVal *dv = find_rv(w, ds->v[j]);
      for (size_t k = 0; dv && k < dv->ninst; k++) {
        if (dv->inst[k].change < 0) continue;
        c->deps = xrealloc(c->deps, (c->ndeps + 1) * sizeof *c->deps);
        c->deps[c->ndeps++] = (size_t)dv->inst[k].change;
      }
    }
  }
}

/* Whether create_before_destroy applies to v's resource: written, or implied
** because a resource that depends on it has it. Settled for every resource
** the first time it is asked, in one pass over those that have it. */
static bool cbd_for(Walker *w, RVal *v) {
  if (v->cbd < 0) {
    for (size_t i = 0; i < w->nrv; i++) w->rv[i].cbd = w->rv[i].r->lc.create_before_destroy;
    for (size_t i = 0; i < w->nrv; i++) {
      if (!w->rv[i].r->lc.create_before_destroy) continue;
      const DepSet *ds = rv_deps(&w->rv[i]);
      for (size_t k = 0; k < ds->n; k++) {
        RVal *dv = find_rv(w, ds->v[k]);
        if (dv) dv->cbd = 1;
      }
    }
  }
  return v->cbd;
}

static void plan_instance(Walker *w, RVal *v, ModEval *me, const StKey *key, const Value *eachval) {
  CfgResource *r = v->r;
  char *addr = inst_addr(r, key);
  Value *ci = key->kind == ST_KEY_INT ? val_number_i64(key->i) : NULL;
  Value *ek = key->kind == ST_KEY_STR ? val_cstring(key->s) : NULL;
  modeval_set_instance(me, r->count != NULL, ci, r->for_each != NULL, ek, eachval, NULL);
  val_free(ci);
  val_free(ek);
  Inst in;
  memset(&in, 0, sizeof in);
  st_key_copy(&in.key, key);
  in.change = -1;

  StResource *sr = state_resource(w->refreshed, r);
  StInstance *si = sr ? st_find_instance(sr, key, NULL) : NULL;
  Value *prior = si ? state_value(si, v->schema, w->d, addr) : NULL;

  if (w->o->destroy) {
    in.value = prior ? val_ref(prior) : NULL;
    if (prior && r->mode == CFG_MANAGED) {
      Change *c = add_change(w);
      c->action = ACT_DELETE;
      c->before = val_ref(prior);
      in.change = (long)(c - w->plan->changes);
    }
    goto done;
  }

  RangeMap rm = {0};
  Value *cfg = decode_resource_body(me, r->block, v->schema, &rm, w->d);
  Value *config = cfg ? schema_apply_defaults(v->schema, cfg) : NULL;
  val_free(cfg);
  if (!config) {
    rangemap_free(&rm);
    w->plan->errored = true;
    goto done;
  }
  ProvDiags pd = {0};
  schema_validate(v->schema, config, &pd);
  ProvCtx *ctx = runtime_ctx(w->rt, v->prov);
  if (r->mode == CFG_DATA) {
    if (val_is_wholly_known(config) && ctx) {
      Value *got = v->dt->read(ctx, config, &pd);
      in.value = got;
      if (got) {
        Change *c = add_change(w);
        c->action = ACT_NOOP; /* read now; stored in state at apply */
        c->after = val_ref(got);
        in.change = (long)(c - w->plan->changes);
      }
    } else {
      in.value = schema_proposed_new(v->schema, NULL, config);
      Change *c = add_change(w);
      c->action = ACT_READ;
      c->after = val_ref(in.value);
      c->reason = xstrdup("config refers to values not yet known");
      in.change = (long)(c - w->plan->changes);
    }
  } else if (ctx) {
    if (v->rt->validate) v->rt->validate(config, &pd);
    bool tainted = si && si->tainted;
    bool forced = has_replace_flag(w, addr);
    Value *cfg2 = apply_ignore_changes(r, prior, config);
    /* a forced replacement plans as a create against no prior object */
    const Value *base = (tainted || forced) ? NULL : prior;
    Value *proposed = schema_proposed_new(v->schema, base, cfg2);
    PathSet rp = {0};
    Value *planned = v->rt->plan(ctx, base, cfg2, proposed, &rp, &pd);
    val_free(proposed);
    val_free(cfg2);
    if (planned) {
      Change *c = add_change(w);
      c->before = prior ? val_ref(prior) : NULL;
      c->after = val_ref(planned);
      c->replace_paths = rp;
      memset(&rp, 0, sizeof rp);
      if (!prior) c->action = ACT_CREATE;
      else if (tainted || forced || c->replace_paths.n) {
        c->action = cbd_for(w, v) ? ACT_REPLACE_CD : ACT_REPLACE_DC;
        if (tainted) c->reason = xstrdup("tainted");
        else if (forced) c->reason = xstrdup("replace_by_request");
      } else if (val_raw_equal(prior, planned)) c->action = ACT_NOOP;
      else c->action = ACT_UPDATE;
      if ((c->action == ACT_REPLACE_CD || c->action == ACT_REPLACE_DC) && r->lc.prevent_destroy) {
        diag_error(w->d, r->decl_range, "Instance cannot be destroyed",
                   "Resource %s has lifecycle.prevent_destroy set, but the plan calls for this resource to be "
                   "destroyed. To avoid this error and continue with the plan, either disable "
                   "lifecycle.prevent_destroy or reduce the scope of the plan using the -target option.", addr);
        w->plan->errored = true;
      }
      in.change = (long)(c - w->plan->changes);
      in.value = planned;
    }
    pathset_free(&rp);
  }
  decode_prov_diags(&pd, &rm, addr, w->d);
  if (pd.nerrors) w->plan->errored = true;
  prov_diags_free(&pd);
  rangemap_free(&rm);
  val_free(config);
done:
  if (in.change >= 0) {
    Change *c = &w->plan->changes[in.change];
    c->addr = xstrdup(addr);
    c->module = module_path(r->module);
    c->mode = st_mode(r->mode);
    c->type = xstrdup(r->type);
    c->name = xstrdup(r->name);
    st_key_copy(&c->key, key);
    c->prov = v->prov;
    c->rt = v->rt;
    c->dt = v->dt;
    c->schema = v->schema;
    c->cfg = r;
    c->cbd = r->mode == CFG_MANAGED && cbd_for(w, v);
    set_dep_addrs(c, v);
  }
  val_free(prior);
  VEC_PUSH(v->inst, v->ninst, v->capinst, in);
  rv_changed(v);
  free(addr);
}

static bool resolve_types(Walker *w, RVal *v) {
  CfgResource *r = v->r;
  v->prov = provider_lookup(r->provider);
  if (!v->prov) return false;
  if (r->mode == CFG_DATA) {
    v->dt = provider_data_source(v->prov, r->type);
    v->schema = v->dt ? v->dt->schema : NULL;
  } else {
    v->rt = provider_resource(v->prov, r->type);
    v->schema = v->rt ? v->rt->schema : NULL;
  }
  (void)w;
  return v->schema != NULL;
}

static void plan_resource(Walker *w, RVal *v) {
  v->state = 1;
  if (!resolve_types(w, v)) {
    v->state = 2;
    v->expanded_unknown = true;
    rv_changed(v);
    return;
  }
  ModTree *t = modtree_find(w->tree, v->r->module);
  ModEval *me = t->me;
  /* save the instance context of whatever was being evaluated */
  bool hc = me->has_count, he = me->has_each;
  Value *ci = me->count_index ? val_ref(me->count_index) : NULL, *ek = me->each_key ? val_ref(me->each_key) : NULL,
        *ev = me->each_value ? val_ref(me->each_value) : NULL, *sf = me->self ? val_ref(me->self) : NULL;
  StKey *keys;
  Value **eachvals;
  size_t n;
  if (w->o->destroy && (v->r->count || v->r->for_each)) {
    /* destroying: the instances are those in the state */
    StResource *sr = state_resource(w->refreshed, v->r);
    n = sr ? sr->ninst : 0;
    keys = xcalloc(n + 1, sizeof *keys);
    eachvals = NULL;
    for (size_t i = 0; i < n; i++) st_key_copy(&keys[i], &sr->inst[i].key);
    for (size_t i = 0; i < n; i++) plan_instance(w, v, me, &keys[i], NULL);
  } else if (expand(w, v, me, &keys, &eachvals, &n)) {
    for (size_t i = 0; i < n; i++) plan_instance(w, v, me, &keys[i], eachvals ? eachvals[i] : NULL);
  } else {
    v->expanded_unknown = true;
    rv_changed(v);
    w->plan->errored = true;
  }
  for (size_t i = 0; i < n; i++) {
    st_key_free(&keys[i]);
    if (eachvals) val_free(eachvals[i]);
  }
  free(keys);
  free(eachvals);
  modeval_set_instance(me, hc, ci, he, ek, ev, sf);
  val_free(ci);
  val_free(ek);
  val_free(ev);
  val_free(sf);
  v->state = 2;
}

typedef struct CfgOf {
  const StResource *sr;
  RVal *v;
} CfgOf;

static int cmp_cfgof(const void *a, const void *b) {
  const StResource *x = ((const CfgOf *)a)->sr, *y = ((const CfgOf *)b)->sr;
  return x < y ? -1 : x > y;
}

static int cmp_keyp(const void *a, const void *b) {
  return st_key_cmp(*(const StKey *const *)a, *(const StKey *const *)b);
}

/* Objects in the state that the configuration no longer has. Both sides are
** matched through sorted tables: a state and a configuration of n resources
** are common, and pairwise comparison would cost n^2. */
static void plan_orphans(Walker *w) {
  State *s = w->refreshed;
  CfgOf *cfgof = xcalloc(w->nrv + 1, sizeof *cfgof);
  size_t ncfgof = 0;
  for (size_t k = 0; k < w->nrv; k++) {
    StResource *sr = w->rv[k].r->mode == CFG_MANAGED ? state_resource(s, w->rv[k].r) : NULL;
    if (sr) cfgof[ncfgof++] = (CfgOf){sr, &w->rv[k]};
  }
  if (ncfgof > 1) qsort(cfgof, ncfgof, sizeof *cfgof, cmp_cfgof);
  for (size_t i = 0; i < s->nres; i++) {
    StResource *sr = s->res[i];
    if (sr->mode != ST_MANAGED) continue;
    const Provider *prov = provider_lookup("aws");
    const ResourceType *rt = prov ? provider_resource(prov, sr->type) : NULL;
    if (!rt) continue;
    CfgOf want = {sr, NULL};
    CfgOf *hit = ncfgof ? bsearch(&want, cfgof, ncfgof, sizeof *cfgof, cmp_cfgof) : NULL;
    RVal *cv = hit ? hit->v : NULL;
    const StKey **keys = xcalloc((cv ? cv->ninst : 0) + 1, sizeof *keys);
    for (size_t k = 0; cv && k < cv->ninst; k++) keys[k] = &cv->inst[k].key;
    if (cv && cv->ninst > 1) qsort(keys, cv->ninst, sizeof *keys, cmp_keyp);
    for (size_t j = 0; j < sr->ninst; j++) {
      StInstance *si = &sr->inst[j];
      const StKey *want_key = &si->key;
      bool present = cv && !si->deposed && cv->ninst &&
                     bsearch(&want_key, keys, cv->ninst, sizeof *keys, cmp_keyp) != NULL;
      if (present) continue;
      if (w->o->destroy && cv && !si->deposed) continue; /* planned by plan_resource */
      char *addr = st_instance_addr(sr, si);
      Value *prior = state_value(si, rt->schema, w->d, addr);
      if (!prior) {
        free(addr);
        continue;
      }
      Change *c = add_change(w);
      c->action = ACT_DELETE;
      c->before = prior;
      c->addr = addr;
      c->module = xstrdup(sr->module);
      c->mode = ST_MANAGED;
      c->type = xstrdup(sr->type);
      c->name = xstrdup(sr->name);
      st_key_copy(&c->key, &si->key);
      c->deposed = si->deposed ? xstrdup(si->deposed) : NULL;
      c->prov = prov;
      c->rt = rt;
      c->schema = rt->schema;
      if (si->deposed) c->reason = xasprintf("deposed object");
      else if (!cv) c->reason = xasprintf("because %s is not in configuration", st_resource_addr(sr));
      else c->reason = xasprintf("because %s is not in configuration", addr);
      for (size_t k = 0; k < si->ndeps; k++) {
        c->dep_addrs = xrealloc(c->dep_addrs, (c->ndep_addrs + 1) * sizeof *c->dep_addrs);
        c->dep_addrs[c->ndep_addrs++] = xstrdup(si->deps[k]);
      }
    }
    free(keys);
  }
  free(cfgof);
}

static void refresh(Walker *w) {
  State *s = w->refreshed;
  for (size_t i = 0; i < s->nres; i++) {
    StResource *sr = s->res[i];
    if (sr->mode != ST_MANAGED) continue;
    const Provider *prov = provider_lookup("aws");
    const ResourceType *rt = prov ? provider_resource(prov, sr->type) : NULL;
    ProvCtx *ctx = prov ? runtime_ctx(w->rt, prov) : NULL;
    if (!rt || !ctx) continue;
    for (size_t j = 0; j < sr->ninst;) {
      StInstance *si = &sr->inst[j];
      char *addr = st_instance_addr(sr, si);
      Value *prior = state_value(si, rt->schema, w->d, addr);
      if (!prior) {
        free(addr);
        j++;
        continue;
      }
      ProvDiags pd = {0};
      Value *now = rt->read(ctx, prior, &pd);
      for (size_t k = 0; k < pd.n; k++)
        diag_add(w->d, pd.v[k].severity, NULL, pd.v[k].summary, "%s: %s", addr, pd.v[k].detail ? pd.v[k].detail : "");
      bool failed = pd.nerrors > 0;
      prov_diags_free(&pd);
      if (failed) {
        w->plan->errored = true;
      } else if (!now || !val_raw_equal(now, prior)) {
        Drift dr = {xstrdup(addr), ST_MANAGED, xstrdup(sr->type), val_ref(prior), now ? val_ref(now) : NULL, rt->schema};
        VEC_PUSH(w->plan->drift, w->plan->ndrift, w->plan->capdrift, dr);
        if (!now) {
          st_remove_instance(sr, &si->key, si->deposed);
          val_free(prior);
          free(addr);
          continue;
        }
        cJSON *js = val_to_json(now);
        if (js) {
          cJSON_Delete(si->attributes);
          si->attributes = js;
        }
      }
      val_free(now);
      val_free(prior);
      free(addr);
      j++;
    }
  }
}

static void plan_outputs(Walker *w) {
  CfgModule *m = w->root;
  ModEval *me = w->tree->me;
  for (size_t i = 0; i < m->noutputs; i++) {
    CfgOutput *o = &m->outputs[i];
    OutputChange oc;
    memset(&oc, 0, sizeof oc);
    oc.name = xstrdup(o->name);
    oc.sensitive = o->sensitive;
    StOutput *so = st_find_output((State *)w->prior, o->name);
    if (so) {
      char *err = NULL;
      const Type *t = so->type ? type_from_json(so->type, &err) : T_DYNAMIC;
      free(err);
      oc.before = val_from_json(so->value, t ? t : T_DYNAMIC, &err);
      free(err);
    }
    if (!w->o->destroy && o->value) {
      oc.after = modeval_expr(me, o->value, w->d);
      if (oc.after && val_has_sensitive(oc.after) && !o->sensitive) {
        diag_error(w->d, o->decl_range, "Output refers to sensitive values",
                   "To reduce the risk of accidentally exporting sensitive data that was intended to be only internal, "
                   "Terraform requires that any root module output containing sensitive data be explicitly marked as "
                   "sensitive, to confirm your intent.\n\nIf you do intend to export this data, annotate the output "
                   "value as sensitive by adding the following argument:\n    sensitive = true");
        w->plan->errored = true;
      }
    }
    VEC_PUSH(w->plan->outputs, w->plan->nout, w->plan->capout, oc);
  }
  /* outputs in the state that the configuration dropped */
  for (size_t i = 0; w->prior && i < w->prior->noutputs; i++) {
    if (cfg_output(m, w->prior->outputs[i].name)) continue;
    OutputChange oc;
    memset(&oc, 0, sizeof oc);
    oc.name = xstrdup(w->prior->outputs[i].name);
    char *err = NULL;
    oc.before = val_from_json(w->prior->outputs[i].value, T_DYNAMIC, &err);
    free(err);
    oc.sensitive = w->prior->outputs[i].sensitive;
    VEC_PUSH(w->plan->outputs, w->plan->nout, w->plan->capout, oc);
  }
}

static Walker *walker_new(CfgModule *root, const State *prior, const PlanOptions *o, Runtime *rt, DiagList *d,
                          bool vars_required) {
  Walker *w = xcalloc(1, sizeof *w);
  w->root = root;
  w->prior = prior;
  w->refreshed = prior ? st_clone(prior) : st_new();
  w->rt = rt;
  w->o = o;
  w->d = d;
  cfg_walk(root, collect_rv, w);
  VarOptions vo = {root->dir, o->vars, o->nvars, !vars_required};
  Value **vars = vars_collect(root, &vo, d);
  ModEvalHooks hooks = {hook_resource, hook_module, hook_type, w};
  w->tree = modtree_new(root, vars, o->workspace, true, &hooks);
  for (size_t i = 0; i < w->nrv; i++) resolve_types(w, &w->rv[i]);
  return w;
}

static void walker_free(Walker *w) {
  for (size_t i = 0; i < w->nrv; i++) {
    for (size_t k = 0; k < w->rv[i].ninst; k++) {
      st_key_free(&w->rv[i].inst[k].key);
      val_free(w->rv[i].inst[k].value);
    }
    free(w->rv[i].inst);
    val_free(w->rv[i].agg);
    if (w->rv[i].deps) depset_free(w->rv[i].deps);
    free(w->rv[i].deps);
  }
  free(w->rv);
  modtree_free(w->tree);
  st_free(w->refreshed);
  free(w);
}

Plan *plan_make(CfgModule *root, const State *prior, const PlanOptions *o, Runtime *rt, DiagList *d) {
  Plan *p = xcalloc(1, sizeof *p);
  p->destroy = o->destroy;
  p->refresh_only = o->refresh_only;
  if (prior) {
    p->prior_lineage = xstrdup(prior->lineage);
    p->prior_serial = prior->serial;
  }
  Walker *w = walker_new(root, prior, o, rt, d, !o->destroy);
  w->plan = p;
  if (diag_has_errors(d)) {
    p->errored = true;
    walker_free(w);
    return p;
  }
  modtree_bind_inputs(w->tree, d);
  if (o->refresh) refresh(w);
  if (!o->refresh_only) {
    for (size_t i = 0; i < w->nrv; i++)
      if (w->rv[i].state == 0) plan_resource(w, &w->rv[i]);
    plan_orphans(w);
    /* variables checked once every value they may refer to is planned */
    for (size_t i = 0; i < 1; i++) modeval_check_vars(w->tree->me, d);
    plan_outputs(w);
  }
  if (diag_has_errors(d)) p->errored = true;
  walker_free(w);
  return p;
}

/* ------------------------------------------------------------ applying */

/* Go's Duration text, truncated to seconds: "0s", "45s", "6m12s", "1h0m5s". */
static void elapsed_text(char *buf, size_t n, double secs) {
  long s = secs < 0 ? 0 : (long)floor(secs);
  long h = s / 3600, m = (s % 3600) / 60, r = s % 60;
  if (h) snprintf(buf, n, "%ldh%ldm%lds", h, m, r);
  else if (m) snprintf(buf, n, "%ldm%lds", m, r);
  else snprintf(buf, n, "%lds", r);
}

typedef struct Applier {
  Walker *w;
  StMgr *sm;
  /* the create in progress: its intent is journaled from the provider's
  ** create hook, once generated names are known */
  const Change *creating;
  uint64_t create_intent;
  FILE *out;
  bool color;
  unsigned char *status;     /* per change: 0 pending, 1 done, 2 failed, 3 skipped */
  size_t failed;
  size_t added, changed, destroyed;
} Applier;

static const char *id_of(const Change *c, const Value *v) {
  if (!v || !val_is_known(v) || val_is_null(v)) return NULL;
  const char *attr = c->rt && c->rt->id_attr ? c->rt->id_attr : "id";
  long i = type_attr_index(val_type(v), attr);
  if (i < 0) return NULL;
  const Value *x = val_elems(v)[i];
  return x && val_is_known(x) && !val_is_null(x) && val_kind(x) == TY_STRING ? val_str(x) : NULL;
}

static void say(Applier *a, const char *addr, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(Applier *a, const char *addr, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  if (a->color) fprintf(a->out, "\x1b[0m\x1b[1m");
  fprintf(a->out, "%s: ", addr);
  vfprintf(a->out, fmt, ap);
  if (a->color) fprintf(a->out, "\x1b[0m");
  fputc('\n', a->out);
  va_end(ap);
  fflush(a->out);
}

static double now_of(const Change *c, Runtime *rt) {
  ProvCtx *ctx = runtime_ctx(rt, c->prov);
  return ctx && c->prov->clock ? c->prov->clock(ctx) : 0;
}

/* "Still creating..." lines for each 10 s of (simulated) time the
** operation took, then the completion line. */
static void progress(Applier *a, const Change *c, const char *still, double secs, const char *id) {
  for (long t = 10; t < (long)secs; t += 10) {
    char e[32];
    elapsed_text(e, sizeof e, (double)t);
    if (id) say(a, c->addr, "Still %s... [id=%s, %s elapsed]", still, id, e);
    else say(a, c->addr, "Still %s... [%s elapsed]", still, e);
  }
}

static StRef ref_of(const Change *c, const char *deposed) {
  StRef r;
  memset(&r, 0, sizeof r);
  r.module = c->module;
  r.mode = c->mode;
  r.type = c->type;
  r.name = c->name;
  r.key = c->key;
  r.deposed = deposed;
  return r;
}

static int cmp_str(const void *x, const void *y) { return strcmp(*(char *const *)x, *(char *const *)y); }

static bool record(Applier *a, const Change *c, uint64_t intent, const char *deposed, const Value *v, bool tainted) {
  StRef ref = ref_of(c, deposed);
  if (!v) return st_mgr_done(a->sm, intent, &ref, NULL, true, a->w->d);
  StInstance in;
  memset(&in, 0, sizeof in);
  st_key_copy(&in.key, &c->key);
  in.deposed = deposed ? xstrdup(deposed) : NULL;
  in.tainted = tainted;
  in.schema_version = c->rt ? c->rt->schema_version : 0;
  in.attributes = val_to_json(v);
  if (!in.attributes) in.attributes = cJSON_CreateObject();
  in.sensitive_attributes = cJSON_CreateArray();
  char **deps = xcalloc(c->ndep_addrs + 1, sizeof *deps);
  for (size_t i = 0; i < c->ndep_addrs; i++) deps[i] = c->dep_addrs[i];
  qsort(deps, c->ndep_addrs, sizeof *deps, cmp_str);
  for (size_t i = 0; i < c->ndep_addrs && c->mode == ST_MANAGED; i++) st_instance_add_dep(&in, deps[i]);
  free(deps);
  in.create_before_destroy = c->cbd;
  bool ok = st_mgr_done(a->sm, intent, &ref, &in, true, a->w->d);
  st_instance_clear(&in);
  return ok;
}

static void set_inst_value(Walker *w, const Change *c, const Value *v) {
  if (!c->cfg) return;
  RVal *rv = find_rv(w, c->cfg);
  for (size_t i = 0; rv && i < rv->ninst; i++) {
    if (st_key_cmp(&rv->inst[i].key, &c->key) != 0) continue;
    val_free(rv->inst[i].value);
    rv->inst[i].value = v ? val_ref(v) : NULL;
    rv_changed(rv);
  }
}

/* The configuration of c's instance evaluated now, planned against prior. */
static Value *final_plan(Applier *a, Change *c, const Value *prior) {
  Walker *w = a->w;
  CfgResource *r = c->cfg;
  refresh_scopes(w);
  ModTree *t = modtree_find(w->tree, r->module);
  ModEval *me = t->me;
  Value *ci = c->key.kind == ST_KEY_INT ? val_number_i64(c->key.i) : NULL;
  Value *ek = c->key.kind == ST_KEY_STR ? val_cstring(c->key.s) : NULL;
  Value *ev = NULL;
  if (r->for_each && ek) {
    modeval_set_instance(me, false, NULL, false, NULL, NULL, NULL);
    Value *coll = modeval_expr(me, r->for_each, w->d);
    if (coll && val_is_known(coll) && !val_is_null(coll)) {
      ValIter it = val_iter(coll);
      while (val_iter_next(&it)) {
        Value *ks = it.key ? val_cstring(it.key) : val_convert(it.elem, T_STRING, NULL);
        if (ks && strcmp(val_str(ks), c->key.s) == 0) ev = val_ref(it.elem);
        val_free(ks);
        if (ev) break;
      }
    }
    val_free(coll);
  }
  modeval_set_instance(me, r->count != NULL, ci, r->for_each != NULL, ek, ev, NULL);
  val_free(ci);
  val_free(ek);
  val_free(ev);
  RangeMap rm = {0};
  Value *cfg = decode_resource_body(me, r->block, c->schema, &rm, w->d);
  Value *config = cfg ? schema_apply_defaults(c->schema, cfg) : NULL;
  val_free(cfg);
  Value *planned = NULL;
  if (config) {
    ProvDiags pd = {0};
    if (c->mode == ST_DATA) {
      planned = c->dt->read(runtime_ctx(w->rt, c->prov), config, &pd);
    } else {
      Value *cfg2 = apply_ignore_changes(r, prior, config);
      Value *proposed = schema_proposed_new(c->schema, prior, cfg2);
      PathSet rp = {0};
      planned = c->rt->plan(runtime_ctx(w->rt, c->prov), prior, cfg2, proposed, &rp, &pd);
      pathset_free(&rp);
      val_free(proposed);
      val_free(cfg2);
    }
    decode_prov_diags(&pd, &rm, c->addr, w->d);
    if (pd.nerrors) {
      val_free(planned);
      planned = NULL;
    }
    prov_diags_free(&pd);
  }
  rangemap_free(&rm);
  val_free(config);
  modeval_clear_instance(me);
  return planned;
}

static void report_failure(Applier *a, Change *c, ProvDiags *pd) {
  for (size_t i = 0; i < pd->n; i++) {
    SrcRange r = c->cfg ? c->cfg->decl_range : src_range(0, 0, 0);
    Diag *dg = diag_add(a->w->d, pd->v[i].severity, c->cfg ? &r : NULL, pd->v[i].summary, "%s",
                        pd->v[i].detail ? pd->v[i].detail : "");
    dg->address = xstrdup(c->addr);
  }
}

/* The known parts of v as state JSON, unknown values as null: what an
** intent records, so an interrupted create can be found again by name. */
static cJSON *known_json(const Value *v) {
  if (!val_is_known(v) || val_is_null(v)) return cJSON_CreateNull();
  if (val_is_wholly_known(v)) return val_to_json(v);
  TypeKind k = val_kind(v);
  if (k == TY_OBJECT || k == TY_MAP) {
    cJSON *o = cJSON_CreateObject();
    ValIter it = val_iter(v);
    while (val_iter_next(&it)) cJSON_AddItemToObject(o, it.key, known_json(it.elem));
    return o;
  }
  cJSON *a = cJSON_CreateArray();
  ValIter it = val_iter(v);
  while (val_iter_next(&it)) cJSON_AddItemToArray(a, known_json(it.elem));
  return a;
}

static void create_hook(void *ud, const cJSON *obj) {
  Applier *a = ud;
  if (!a->creating || a->create_intent) return;
  StRef ref = ref_of(a->creating, NULL);
  a->create_intent = st_mgr_intent(a->sm, &ref, "create", obj, a->w->d);
}

/* Creates (or, with prior, updates) c's object. Returns the new value. */
static Value *do_create_update(Applier *a, Change *c, const Value *prior, bool update) {
  Walker *w = a->w;
  Value *planned = final_plan(a, c, prior);
  if (!planned) return NULL;
  const char *id = update ? id_of(c, prior) : NULL;
  StRef ref = ref_of(c, NULL);
  uint64_t intent = 0;
  ProvCtx *ctx = runtime_ctx(w->rt, c->prov);
  bool hooked = !update && c->prov->set_create_hook;
  if (hooked) {
    /* journaled by the hook, with the names the provider chose */
    a->creating = c;
    a->create_intent = 0;
    c->prov->set_create_hook(ctx, create_hook, a);
  } else {
    cJSON *pj = known_json(planned);
    intent = st_mgr_intent(a->sm, &ref, update ? "update" : "create", pj, w->d);
    cJSON_Delete(pj);
  }
  if (update) say(a, c->addr, "Modifying... [id=%s]", id ? id : "");
  else say(a, c->addr, "Creating...");
  double t0 = now_of(c, w->rt);
  ProvDiags pd = {0};
  Value *got = c->rt->apply(ctx, prior, planned, &pd);
  if (hooked) {
    c->prov->set_create_hook(ctx, NULL, NULL);
    intent = a->create_intent;
    a->creating = NULL;
    if (!intent) {
      /* the provider failed before its create call: nothing to look for */
      cJSON *pj = known_json(planned);
      intent = st_mgr_intent(a->sm, &ref, "create", pj, w->d);
      cJSON_Delete(pj);
    }
  }
  double secs = now_of(c, w->rt) - t0;
  const char *nid = id_of(c, got);
  progress(a, c, update ? "modifying" : "creating", secs, update ? (id ? id : nid) : NULL);
  char e[32];
  elapsed_text(e, sizeof e, secs);
  if (pd.nerrors) {
    report_failure(a, c, &pd);
    /* an object that exists but is not as planned is tainted */
    record(a, c, intent, NULL, got ? got : prior, got != NULL && !update);
    if (got) set_inst_value(w, c, got);
    val_free(got);
    got = NULL;
  } else {
    if (update) say(a, c->addr, "Modifications complete after %s [id=%s]", e, nid ? nid : "");
    else if (nid) say(a, c->addr, "Creation complete after %s [id=%s]", e, nid);
    else say(a, c->addr, "Creation complete after %s", e);
    record(a, c, intent, NULL, got, false);
    set_inst_value(w, c, got);
  }
  prov_diags_free(&pd);
  val_free(planned);
  return got;
}

/* Whether the state records the object as tainted; a failed destroy must
** keep that, or the next plan would build on an object known to be broken. */
static bool was_tainted(Applier *a, const Change *c, const char *deposed) {
  StResource *sr = st_find_resource(st_mgr_state(a->sm), c->module, c->mode, c->type, c->name);
  StInstance *si = sr ? st_find_instance(sr, &c->key, deposed) : NULL;
  return si && si->tainted;
}

static bool do_delete(Applier *a, Change *c, const Value *prior, const char *deposed) {
  Walker *w = a->w;
  const char *id = id_of(c, prior);
  StRef ref = ref_of(c, deposed);
  uint64_t intent = st_mgr_intent(a->sm, &ref, "delete", NULL, w->d);
  if (deposed) say(a, c->addr, "Destroying... [id=%s, deposed object %s]", id ? id : "", deposed);
  else say(a, c->addr, "Destroying... [id=%s]", id ? id : "");
  double t0 = now_of(c, w->rt);
  ProvDiags pd = {0};
  Value *got = c->rt->apply(runtime_ctx(w->rt, c->prov), prior, NULL, &pd);
  double secs = now_of(c, w->rt) - t0;
  progress(a, c, "destroying", secs, id);
  bool ok = pd.nerrors == 0;
  if (!ok) {
    report_failure(a, c, &pd);
    record(a, c, intent, deposed, prior, was_tainted(a, c, deposed));
  } else {
    char e[32];
    elapsed_text(e, sizeof e, secs);
    say(a, c->addr, "Destruction complete after %s", e);
    record(a, c, intent, deposed, NULL, false);
  }
  val_free(got);
  prov_diags_free(&pd);
  return ok;
}

static bool deps_ok(Applier *a, const Change *c) {
  for (size_t i = 0; i < c->ndeps; i++)
    if (a->status[c->deps[i]] >= 2) return false;
  return true;
}

/* Whether delete x must wait for delete y: y's object depends on x's. */
static bool delete_after(const Change *x, const Change *y) {
  char *base = xstrdup(x->addr);
  char *br = strchr(base, '[');
  if (br) *br = 0;
  bool r = false;
  for (size_t i = 0; i < y->ndep_addrs && !r; i++) r = strcmp(y->dep_addrs[i], base) == 0;
  free(base);
  return r;
}

static char *new_deposed_key(void) {
  char *u = st_new_uuid();
  char *k = xstrndup(u, 8);
  free(u);
  return k;
}

int plan_apply(Plan *p, CfgModule *root, const PlanOptions *o, StMgr *sm, Runtime *rt, FILE *out, bool color,
               DiagList *d) {
  State *cur = st_mgr_state(sm);
  Walker *w = walker_new(root, cur, o, rt, d, !o->destroy);
  w->plan = p;
  w->applying = true;
  /* references see planned values until the real ones arrive */
  for (size_t i = 0; i < p->n; i++) {
    Change *c = &p->changes[i];
    if (!c->cfg) continue;
    RVal *rv = find_rv(w, c->cfg);
    if (!rv) continue;
    Inst in;
    memset(&in, 0, sizeof in);
    st_key_copy(&in.key, &c->key);
    in.change = (long)i;
    in.value = c->after ? val_ref(c->after) : (c->before ? val_ref(c->before) : NULL);
    VEC_PUSH(rv->inst, rv->ninst, rv->capinst, in);
    rv_changed(rv);
    rv->state = 2;
  }
  link_deps(w, p);
  modtree_bind_inputs(w->tree, d);
  Applier a;
  memset(&a, 0, sizeof a);
  a.w = w;
  a.sm = sm;
  a.out = out;
  a.color = color;
  a.status = xcalloc(p->n + 1, 1);
  char **deposed = xcalloc(p->n + 1, sizeof *deposed);

  /* Creates, updates, reads and the first half of replacements. Terraform
  ** starts every operation whose dependencies are done at once; run them
  ** one at a time, but in the order a parallel walk would start them:
  ** earliest ready (by the provider's clock) first, plan order on ties. */
  double *end = xcalloc(p->n + 1, sizeof *end);
  /* depth in the graph breaks ties: operations that take no time still
  ** start in waves in a parallel walk */
  size_t *level = xcalloc(p->n + 1, sizeof *level);
  for (size_t i = 0; i < p->n; i++)
    for (size_t k = 0; k < p->changes[i].ndeps; k++)
      if (p->changes[i].deps[k] < i && level[p->changes[i].deps[k]] + 1 > level[i])
        level[i] = level[p->changes[i].deps[k]] + 1;
  double start_clock = 0;
  for (size_t i = 0; i < p->n; i++)
    if (p->changes[i].prov) {
      start_clock = now_of(&p->changes[i], rt);
      break;
    }
  for (;;) {
    long pick = -1;
    double best = 0;
    for (size_t j = 0; j < p->n; j++) {
      Change *cj = &p->changes[j];
      if (cj->action == ACT_DELETE || a.status[j]) continue;
      bool ready = true;
      double at = start_clock;
      for (size_t k = 0; k < cj->ndeps && ready; k++) {
        size_t dk = cj->deps[k];
        if (p->changes[dk].action == ACT_DELETE) continue;
        if (!a.status[dk]) ready = false;
        else if (end[dk] > at) at = end[dk];
      }
      if (ready && (pick < 0 || at < best || (at == best && level[j] < level[pick]))) {
        pick = (long)j;
        best = at;
      }
    }
    if (pick < 0) break;
    size_t i = (size_t)pick;
    Change *c = &p->changes[i];
    if (!deps_ok(&a, c)) {
      a.status[i] = 3;
      end[i] = best;
      continue;
    }
    bool ok = true;
    switch (c->action) {
    case ACT_NOOP:
      if (c->mode == ST_DATA && c->after) {
        StRef ref = ref_of(c, NULL);
        uint64_t id = st_mgr_intent(sm, &ref, "read", NULL, d);
        record(&a, c, id, NULL, c->after, false);
      }
      break;
    case ACT_READ: {
      say(&a, c->addr, "Reading...");
      Value *got = final_plan(&a, c, NULL);
      ok = got != NULL;
      if (ok) {
        StRef ref = ref_of(c, NULL);
        uint64_t id = st_mgr_intent(sm, &ref, "read", NULL, d);
        record(&a, c, id, NULL, got, false);
        set_inst_value(w, c, got);
        say(&a, c->addr, "Read complete after 0s");
      }
      val_free(got);
      break;
    }
    case ACT_CREATE: {
      Value *got = do_create_update(&a, c, NULL, false);
      ok = got != NULL;
      a.added += ok;
      val_free(got);
      break;
    }
    case ACT_UPDATE: {
      Value *got = do_create_update(&a, c, c->before, true);
      ok = got != NULL;
      a.changed += ok;
      val_free(got);
      break;
    }
    case ACT_REPLACE_DC:
      ok = do_delete(&a, c, c->before, NULL);
      if (ok) {
        a.destroyed++;
        Value *got = do_create_update(&a, c, NULL, false);
        ok = got != NULL;
        a.added += ok;
        val_free(got);
      }
      break;
    case ACT_REPLACE_CD: {
      /* the old object steps aside as a deposed object, deleted later */
      deposed[i] = new_deposed_key();
      StRef ref = ref_of(c, deposed[i]);
      uint64_t id = st_mgr_intent(sm, &ref, "depose", NULL, d);
      record(&a, c, id, deposed[i], c->before, false);
      Value *got = do_create_update(&a, c, NULL, false);
      ok = got != NULL;
      a.added += ok;
      if (!ok) {
        /* the replacement failed: the old object stays current */
        StRef cref = ref_of(c, NULL);
        uint64_t rid = st_mgr_intent(sm, &cref, "restore", NULL, d);
        record(&a, c, rid, NULL, c->before, false);
        StRef dref = ref_of(c, deposed[i]);
        uint64_t did = st_mgr_intent(sm, &dref, "forget", NULL, d);
        record(&a, c, did, deposed[i], NULL, false);
        free(deposed[i]);
        deposed[i] = NULL;
      }
      val_free(got);
      break;
    }
    default:
      break;
    }
    a.status[i] = ok ? 1 : 2;
    a.failed += !ok;
    end[i] = c->prov ? now_of(c, rt) : best;
  }
  free(end);
  free(level);

  /* deletions: dependents first */
  size_t ndel = 0;
  for (size_t i = 0; i < p->n; i++)
    if (p->changes[i].action == ACT_DELETE || deposed[i]) ndel++;
  unsigned char *done = xcalloc(p->n + 1, 1), *kept = xcalloc(p->n + 1, 1);
  for (size_t round = 0; round < ndel; round++) {
    for (size_t i = p->n; i-- > 0;) {
      Change *c = &p->changes[i];
      bool del = c->action == ACT_DELETE || deposed[i];
      if (!del || done[i]) continue;
      bool wait = false;
      for (size_t k = 0; k < p->n && !wait; k++) {
        Change *y = &p->changes[k];
        if (k == i || done[k] || !(y->action == ACT_DELETE || deposed[k])) continue;
        wait = delete_after(c, y);
      }
      if (wait && round + 1 < ndel) continue;
      done[i] = 1;
      if (c->action == ACT_DELETE && a.status[i] == 0) {
        /* an object still used by a dependent whose change failed stays */
        bool in_use = false;
        for (size_t k = 0; k < p->n && !in_use; k++)
          in_use = k != i && (a.status[k] >= 2 || kept[k]) && delete_after(c, &p->changes[k]);
        if (in_use) {
          kept[i] = 1;
          a.status[i] = 3;
          say(&a, c->addr, "Not destroying: a change that depends on it failed");
          continue;
        }
        bool ok = do_delete(&a, c, c->before, c->deposed);
        a.status[i] = ok ? 1 : 2;
        a.failed += !ok;
        a.destroyed += ok;
      } else if (deposed[i]) {
        /* the old object goes only once everything that used it moved on:
        ** when an update of a dependent failed (a rolled-back deployment),
        ** the old object is still in use and stays, deposed */
        bool in_use = false;
        for (size_t k = 0; k < p->n && !in_use; k++)
          for (size_t j = 0; j < p->changes[k].ndeps && !in_use; j++)
            in_use = p->changes[k].deps[j] == i && (a.status[k] >= 2 || kept[k]);
        if (in_use) {
          kept[i] = 1;
          say(&a, c->addr, "Keeping deposed object %s: a dependent change failed", deposed[i]);
          continue;
        }
        bool ok = do_delete(&a, c, c->before, deposed[i]);
        a.failed += !ok;
        a.destroyed += ok;
      }
    }
  }
  free(done);
  free(kept);

  /* root outputs from the values everything really got */
  refresh_scopes(w);
  for (size_t i = 0; i < root->noutputs && !o->destroy; i++) {
    CfgOutput *co = &root->outputs[i];
    Value *v = co->value ? modeval_expr(w->tree->me, co->value, d) : NULL;
    if (v && val_is_wholly_known(v)) {
      Value *plain = val_unmark_deep(v);
      cJSON *vj = val_to_json(plain);
      cJSON *tj = type_to_json(val_type(plain));
      st_mgr_set_output(sm, co->name, vj, tj, co->sensitive, d);
      cJSON_Delete(vj);
      cJSON_Delete(tj);
      val_free(plain);
    }
    val_free(v);
  }
  {
    char **gone = xcalloc(cur->noutputs + 1, sizeof *gone);
    size_t ngone = 0;
    for (size_t i = 0; i < cur->noutputs; i++)
      if (o->destroy || !cfg_output(root, cur->outputs[i].name)) gone[ngone++] = xstrdup(cur->outputs[i].name);
    for (size_t i = 0; i < ngone; i++) {
      st_mgr_set_output(sm, gone[i], NULL, NULL, false, d);
      free(gone[i]);
    }
    free(gone);
  }
  size_t failed = a.failed;
  p->errored = failed > 0;
  /* the summary counts are the ones the CLI prints */
  p->applied_added = a.added;
  p->applied_changed = a.changed;
  p->applied_destroyed = a.destroyed;
  for (size_t i = 0; i < p->n; i++) free(deposed[i]);
  free(deposed);
  free(a.status);
  walker_free(w);
  return (int)failed;
}

/* ------------------------------------------------------------ recovery */

/* A run that died between an operation's intent and its outcome left the
** intent in the journal. Each is settled by asking the provider what
** exists now: an object that was created is adopted, one that was deleted
** is forgotten, anything else keeps the state's record. */
int plan_reconcile(StMgr *sm, Runtime *rt, FILE *out, DiagList *d) {
  size_t n = 0;
  const StIntent *pend = st_mgr_pending(sm, &n);
  if (!n) return 0;
  int settled = 0;
  /* copy first: st_mgr_done changes the pending list */
  StIntent *v = xcalloc(n, sizeof *v);
  for (size_t i = 0; i < n; i++) {
    v[i] = pend[i];
    v[i].module = xstrdup(pend[i].module ? pend[i].module : "");
    v[i].type = xstrdup(pend[i].type);
    v[i].name = xstrdup(pend[i].name);
    v[i].deposed = pend[i].deposed ? xstrdup(pend[i].deposed) : NULL;
    v[i].addr = xstrdup(pend[i].addr ? pend[i].addr : pend[i].name);
    v[i].action = xstrdup(pend[i].action ? pend[i].action : "");
    v[i].planned = pend[i].planned ? cJSON_Duplicate(pend[i].planned, 1) : NULL;
    st_key_copy(&v[i].key, &pend[i].key);
  }
  for (size_t i = 0; i < n; i++) {
    StIntent *it = &v[i];
    const Provider *prov = provider_lookup("aws");
    const ResourceType *rtype = prov && it->mode == ST_MANAGED ? provider_resource(prov, it->type) : NULL;
    ProvCtx *ctx = prov ? runtime_ctx(rt, prov) : NULL;
    StRef ref;
    memset(&ref, 0, sizeof ref);
    ref.module = it->module;
    ref.mode = it->mode;
    ref.type = it->type;
    ref.name = it->name;
    ref.key = it->key;
    ref.deposed = it->deposed;
    /* what the state says now, and what the interrupted operation aimed at */
    State *s = st_mgr_state(sm);
    StResource *sr = st_find_resource(s, it->module, it->mode, it->type, it->name);
    StInstance *si = sr ? st_find_instance(sr, &it->key, it->deposed) : NULL;
    Value *probe = NULL;
    char *err = NULL;
    if (rtype && it->planned) {
      /* an object interrupted in its create has no id yet; most AWS
      ** objects are identified by the name they were created with */
      cJSON *pl = cJSON_Duplicate(it->planned, 1);
      cJSON *id = cJSON_GetObjectItemCaseSensitive(pl, "id");
      if (!id || cJSON_IsNull(id)) {
        cJSON *nm = cJSON_GetObjectItemCaseSensitive(pl, "name");
        if (!cJSON_IsString(nm)) nm = cJSON_GetObjectItemCaseSensitive(pl, "alarm_name");
        if (cJSON_IsString(nm)) {
          if (id) cJSON_ReplaceItemInObjectCaseSensitive(pl, "id", cJSON_CreateString(nm->valuestring));
          else cJSON_AddStringToObject(pl, "id", nm->valuestring);
        }
      }
      probe = val_from_json(pl, schema_type(rtype->schema), &err);
      cJSON_Delete(pl);
    }
    if (!probe && rtype && si) probe = val_from_json(si->attributes, schema_type(rtype->schema), &err);
    free(err);
    Value *now = NULL;
    bool asked = false;
    if (probe && ctx && strcmp(it->action, "delete") == 0) {
      /* finish the delete: the provider's delete waits until the object is
      ** gone and treats "not found" as done, so a half-deleted object (an
      ** endpoint still Deleting) does not block the next create of its name */
      ProvDiags pd = {0};
      Value *left = rtype->apply(ctx, probe, NULL, &pd);
      if (!pd.nerrors) {
        st_mgr_done(sm, it->id, &ref, NULL, true, d);
        fprintf(out, "%s: Finished an interrupted delete\n", it->addr);
        settled++;
        val_free(left);
        prov_diags_free(&pd);
        val_free(probe);
        continue;
      }
      val_free(left);
      prov_diags_free(&pd);
    }
    if (probe && ctx && val_is_wholly_known(probe)) {
      ProvDiags pd = {0};
      now = rtype->read(ctx, probe, &pd);
      asked = pd.nerrors == 0;
      prov_diags_free(&pd);
    }
    if (asked) {
      StInstance obj;
      memset(&obj, 0, sizeof obj);
      if (now) {
        st_key_copy(&obj.key, &it->key);
        obj.deposed = it->deposed ? xstrdup(it->deposed) : NULL;
        obj.schema_version = rtype->schema_version;
        obj.attributes = val_to_json(now);
        if (!obj.attributes) obj.attributes = cJSON_CreateObject();
        obj.sensitive_attributes = cJSON_CreateArray();
        if (si) {
          for (size_t k = 0; k < si->ndeps; k++) st_instance_add_dep(&obj, si->deps[k]);
          obj.create_before_destroy = si->create_before_destroy;
        }
        /* A create cut off may have been cut off in its wait: the object
        ** exists but may never become usable (an endpoint that goes on to
        ** fail). Terraform taints an object whose create did not finish, so
        ** the next apply replaces it instead of building on it. */
        obj.tainted = strcmp(it->action, "create") == 0 || (si && si->tainted);
      }
      st_mgr_done(sm, it->id, &ref, now ? &obj : NULL, true, d);
      fprintf(out, "%s: Reconciled an interrupted %s (%s)\n", it->addr, it->action,
              !now          ? "no object exists"
              : obj.tainted ? "the object exists and is recorded as tainted"
                            : "the object exists and is recorded");
      if (now) st_instance_clear(&obj);
      settled++;
    } else {
      /* nothing to ask: keep the state's record of the object, if any */
      st_mgr_done(sm, it->id, &ref, si, true, d);
      fprintf(out, "%s: Interrupted %s could not be checked; the state keeps its previous record\n", it->addr,
              it->action);
    }
    val_free(probe);
    val_free(now);
  }
  for (size_t i = 0; i < n; i++) {
    free(v[i].module);
    free(v[i].type);
    free(v[i].name);
    free(v[i].deposed);
    free(v[i].addr);
    free(v[i].action);
    cJSON_Delete(v[i].planned);
    st_key_free(&v[i].key);
  }
  free(v);
  return settled;
}

/* ------------------------------------------------------------ import */

static const char NO_OBJECT[] = "Cannot import non-existent remote object";

static void no_object(DiagList *d, const char *addr) {
  diag_add(d, DIAG_ERROR, NULL, NO_OBJECT,
           "While attempting to import an existing object to \"%s\", the provider detected that no object exists "
           "with the given id. Only pre-existing objects can be imported; check that the id is correct and that it "
           "is associated with the provider's configured region or endpoint, or use \"terraform apply\" to create "
           "a new remote object for this resource.", addr);
}

/* Provider diagnostics of an import have no configuration to point at. The
** provider, which does not know the address, names the type in its "no
** object" error; in Terraform that error is the core's, naming the address. */
static bool import_diags(ProvDiags *pd, const char *addr, DiagList *d) {
  for (size_t i = 0; i < pd->n; i++) {
    if (strcmp(pd->v[i].summary, NO_OBJECT) == 0) no_object(d, addr);
    else diag_add(d, pd->v[i].severity, NULL, pd->v[i].summary, "%s", pd->v[i].detail ? pd->v[i].detail : "");
  }
  bool failed = pd->nerrors > 0;
  prov_diags_free(pd);
  return failed;
}

int plan_import(const CfgResource *r, const StKey *key, const char *id, StMgr *sm, Runtime *rt, FILE *out,
                bool color, DiagList *d) {
  char *addr = inst_addr(r, key);
  const char *bold = color ? "\x1b[0m\x1b[1m" : "", *green = color ? "\x1b[0m\x1b[32m" : "",
             *boldgreen = color ? "\x1b[0m\x1b[1m\x1b[32m" : "", *reset = color ? "\x1b[0m" : "";
  const Provider *prov = provider_lookup(r->provider);
  const ResourceType *rtype = prov ? provider_resource(prov, r->type) : NULL;
  ProvCtx *ctx = prov ? runtime_ctx(rt, prov) : NULL;
  int rc = 1;
  Value *got = NULL, *now = NULL;
  if (!rtype || !rtype->import) {
    diag_add(d, DIAG_ERROR, NULL, "Resource type doesn't support import",
             "The %s resource type does not support importing existing objects.", r->type);
    goto out;
  }
  if (!ctx) goto out; /* the provider's configuration failed; its diagnostics say why */
  fprintf(out, "%s%s: Importing from ID \"%s\"...%s\n", bold, addr, id, reset);
  ProvDiags pd = {0};
  got = rtype->import(ctx, id, &pd);
  if (import_diags(&pd, addr, d) || !got) goto out;
  fprintf(out, "%s%s: Import prepared!%s\n%s  Prepared %s for import%s\n", boldgreen, addr, reset, green, r->type,
          reset);
  /* as Terraform, the address is checked once the provider has found the object */
  char *mod = module_path(r->module);
  StResource *sr = st_find_resource(st_mgr_state(sm), mod, ST_MANAGED, r->type, r->name);
  free(mod);
  if (sr && st_find_instance(sr, key, NULL)) {
    diag_add(d, DIAG_ERROR, NULL, "Resource already managed by Terraform",
             "Terraform is already managing a remote object for %s. To import to this address you must first remove "
             "the existing object from the state.", addr);
    goto out;
  }
  Value *idv = val_attr(got, rtype->id_attr ? rtype->id_attr : "id");
  fprintf(out, "%s%s: Refreshing state... [id=%s]%s\n", bold, addr,
          idv && val_kind(idv) == TY_STRING && val_is_known(idv) ? val_str(idv) : id, reset);
  val_free(idv);
  ProvDiags rd = {0};
  now = rtype->read(ctx, got, &rd);
  if (import_diags(&rd, addr, d)) goto out;
  if (!now) {
    no_object(d, addr);
    goto out;
  }
  /* journaled like any operation: a crash before the state is written is
  ** settled by reading the object back */
  char *m = module_path(r->module);
  StRef ref;
  memset(&ref, 0, sizeof ref);
  ref.module = m;
  ref.mode = ST_MANAGED;
  ref.type = r->type;
  ref.name = r->name;
  ref.key = *key;
  cJSON *planned = val_to_json(now);
  uint64_t intent = st_mgr_intent(sm, &ref, "import", planned, d);
  cJSON_Delete(planned);
  StInstance in;
  memset(&in, 0, sizeof in);
  st_key_copy(&in.key, key);
  in.schema_version = rtype->schema_version;
  in.attributes = val_to_json(now);
  if (!in.attributes) in.attributes = cJSON_CreateObject();
  in.sensitive_attributes = cJSON_CreateArray();
  if (intent && st_mgr_done(sm, intent, &ref, &in, true, d)) rc = 0;
  st_instance_clear(&in);
  free(m);
out:
  val_free(got);
  val_free(now);
  free(addr);
  return rc;
}
