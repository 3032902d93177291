/*
** plan/walk.c — making a plan and applying it.
**
** Both walks evaluate the configuration through eval/modtree.h with a hook
** that answers resource references from a table of instance values, one
** per module instance: planned values while planning, real values as apply
** replaces them. A
** resource is planned the first time anything refers to it (or when the
** walk reaches it), so resources are always planned after what they depend
** on, and the order of the plan's changes is an order in which they can be
** created. Reference cycles are reported when a resource is asked for
** while it is being planned.
**
** Apply re-evaluates each resource's configuration just before its
** operation, with the values its dependencies really got, asks the provider
** to plan again (unknowns from the plan are then known) and runs the
** operation, each as a task on plan/sched.c so that waits overlap. Every
** operation is journaled before and after it runs.
*/
#include "plan/plan.h"
#include "base/buf.h"
#include "base/util.h"
#include "eval/decode.h"
#include "eval/modtree.h"
#include "plan/sched.h"
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
  ModTree *t = modtree_new(root, vars, o->workspace, false, false, NULL);
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
    bool withdef_given = tr && withdef;
    ProvCtx *ctx = withdef_given ? p->configure(withdef, tr, &pd) : NULL;
    decode_prov_diags(&pd, &rm, NULL, d);
    prov_diags_free(&pd);
    rangemap_free(&rm);
    val_free(cfg);
    val_free(withdef);
    if (ctx) {
      ProvInst pi = {p, ctx};
      VEC_PUSH(rt->v, rt->n, rt->cap, pi);
    } else if (tr && !withdef_given && tr->close) {
      /* configure owns the transport once called, even when it fails */
      tr->close(tr);
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

typedef struct RVal {
  CfgResource *r;
  struct ModTree *t;         /* the module instance */
  int state;                 /* 0 not planned, 1 planning, 2 planned */
  Inst *inst;
  size_t ninst, capinst;
  Value *agg;                /* what references see (aggregate), cached; NULL when stale */
  bool expanded_unknown;     /* count/for_each unknown: planning failed */
  const Provider *prov;
  const ResourceType *rt;
  const DataSourceType *dt;
  const Schema *schema;
} RVal;

typedef struct DepSet DepSet;

typedef struct Walker {
  CfgModule *root;
  ModTree *tree;
  CfgResource **cres;        /* every configured resource, in cfg_walk order (index: seq) */
  size_t ncres, capcres;
  /* per configured resource, worked out once: the resources it depends on,
  ** and whether create_before_destroy applies (-1 not known yet) */
  DepSet **deps;
  signed char *cbd;
  /* applying: the plan's changes grouped by resource (seq) */
  size_t *by_res, *by_res_first;
  /* -target, parsed */
  StAddr *targets;
  size_t ntargets;
  Plan *plan;
  const State *prior;
  State *refreshed;          /* prior after refresh (a clone) */
  Runtime *rt;
  const PlanOptions *o;
  DiagList *d;
  bool applying;
} Walker;

static void collect_res(CfgModule *m, void *ud) {
  Walker *w = ud;
  for (size_t i = 0; i < m->nresources; i++) VEC_PUSH(w->cres, w->ncres, w->capcres, &m->resources[i]);
}

static bool resolve_types(Walker *w, RVal *v);

/* A module instance's RVals (parallel to its resources), kept as the
** instance's user data so they live and die with it. */
typedef struct InstRVals {
  RVal *v;
  size_t n;
} InstRVals;

static void inst_rvals_free(void *p) {
  InstRVals *iv = p;
  for (size_t i = 0; i < iv->n; i++) {
    for (size_t k = 0; k < iv->v[i].ninst; k++) {
      st_key_free(&iv->v[i].inst[k].key);
      val_free(iv->v[i].inst[k].value);
    }
    free(iv->v[i].inst);
    val_free(iv->v[i].agg);
  }
  free(iv->v);
  free(iv);
}

/* Every change to v's instances goes through here, so that the cached
** aggregate is rebuilt on the next reference. */
static void rv_changed(RVal *v) {
  val_free(v->agg);
  v->agg = NULL;
}

static void register_planned(Walker *w, RVal *v);

static InstRVals *inst_rvals(Walker *w, ModTree *t) {
  if (t->user) return t->user;
  InstRVals *iv = xcalloc(1, sizeof *iv);
  iv->n = t->mod->nresources;
  iv->v = xcalloc(iv->n + 1, sizeof *iv->v);
  t->user = iv;
  t->user_free = inst_rvals_free;
  for (size_t i = 0; i < iv->n; i++) {
    iv->v[i].r = &t->mod->resources[i];
    iv->v[i].t = t;
    resolve_types(w, &iv->v[i]);
    if (w->applying) register_planned(w, &iv->v[i]);
  }
  return iv;
}

/* The RVal of r in module instance t (r must be one of t's resources). */
static RVal *find_rv(Walker *w, ModTree *t, const CfgResource *r) {
  if (!t || r->module != t->mod) return NULL;
  return &inst_rvals(w, t)->v[r - t->mod->resources];
}

/* The RVal of a change's resource instance, through its module address. */
static RVal *change_rv(Walker *w, const Change *c) {
  return c->cfg ? find_rv(w, modtree_find_path(w->tree, c->module), c->cfg) : NULL;
}

static StMode st_mode(CfgMode m) { return m == CFG_DATA ? ST_DATA : ST_MANAGED; }

static char *inst_addr(const RVal *v, const StKey *k) {
  const CfgResource *r = v->r;
  Buf b = BUF_INIT;
  if (v->t->path[0]) buf_printf(&b, "%s.", v->t->path);
  buf_printf(&b, "%s%s.%s", r->mode == CFG_DATA ? "data." : "", r->type, r->name);
  st_key_format(&b, k);
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

static Value *hook_resource(void *ud, ModEvalRef me, const CfgResource *r, SrcRange rng, DiagList *d) {
  Walker *w = ud;
  RVal *v = find_rv(w, me->owner, r);
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

static const Type *hook_type(void *ud, const CfgResource *r) {
  (void)ud;
  const Provider *p = provider_lookup(r->provider);
  if (!p) return NULL;
  const Schema *s = NULL;
  if (r->mode == CFG_DATA) {
    const DataSourceType *dt = provider_data_source(p, r->type);
    s = dt ? dt->schema : NULL;
  } else {
    const ResourceType *rt = provider_resource(p, r->type);
    s = rt ? rt->schema : NULL;
  }
  return s ? schema_type(s) : NULL;
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
    for (size_t k = 0; k < t->calls[i].n; k++) invalidate(w, t->calls[i].v[k]);
}

static void refresh_scopes(Walker *w) {
  invalidate(w, w->tree);
  DiagList tmp = {0};
  modtree_bind_inputs(w->tree, &tmp);
  diag_free(&tmp);
}

/* ------------------------------------------------------------ state access */

static StResource *state_resource(const State *s, const RVal *v) {
  return st_find_resource((State *)s, v->t->path, st_mode(v->r->mode), v->r->type, v->r->name);
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

static void plan_say(Walker *w, const char *addr, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void plan_say(Walker *w, const char *addr, const char *fmt, ...) {
  FILE *out = w->o->progress;
  if (!out) return;
  va_list ap;
  va_start(ap, fmt);
  if (w->o->progress_color) fprintf(out, "\x1b[0m\x1b[1m");
  fprintf(out, "%s: ", addr);
  vfprintf(out, fmt, ap);
  if (w->o->progress_color) fprintf(out, "\x1b[0m");
  fputc('\n', out);
  va_end(ap);
}

/* The object's ID as progress lines show it ("" when it has none). */
static const char *value_id(const char *id_attr, const Value *v) {
  if (!v || !val_is_known(v) || val_is_null(v) || val_kind(v) != TY_OBJECT) return "";
  long i = type_attr_index(val_type(v), id_attr ? id_attr : "id");
  const Value *x = i >= 0 ? val_elems(v)[i] : NULL;
  return x && val_is_known(x) && !val_is_null(x) && val_kind(x) == TY_STRING ? val_str(x) : "";
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

/* Calls fn for every resource an expression refers to, following locals,
** variables (a child module's variable is its call's argument in the
** parent) and module outputs (with their depends_on when asked) to the
** resources behind them. visited stops each from being followed twice. at:
** the traversal step after the resource's name. */
typedef void (*RefFn)(void *ud, CfgResource *r, const EvTraversal *t, size_t at);

static void refs_walk(CfgModule *m, const Expr *e, DepSet *visited, bool output_depends, RefFn fn, void *ud) {
  EvRefList refs = {0};
  ev_references(e, &refs);
  for (size_t i = 0; i < refs.n; i++) {
    EvTraversal *t = &refs.v[i];
    char *root = xstrndup(t->root.s, t->root.len);
    char *s0 = step(t, 0), *s1 = step(t, 1);
    if (strcmp(root, "local") == 0 && s0) {
      CfgLocal *l = cfg_local(m, s0);
      if (l && !seen(visited, l)) refs_walk(m, l->expr, visited, output_depends, fn, ud);
    } else if (strcmp(root, "var") == 0 && s0) {
      if (m->call && m->parent && !seen(visited, cfg_variable(m, s0)))
        for (size_t k = 0; k < m->call->body->nitems; k++) {
          Attribute *a = m->call->body->items[k].attr;
          if (a && hcl_str_eq(a->name, s0)) refs_walk(m->parent, a->expr, visited, output_depends, fn, ud);
        }
    } else if (strcmp(root, "module") == 0 && s0) {
      CfgModuleCall *c = cfg_call(m, s0);
      for (size_t k = 0; c && c->child && k < c->child->noutputs; k++) {
        CfgOutput *o = &c->child->outputs[k];
        if ((s1 && strcmp(o->name, s1) != 0) || !o->value || seen(visited, o)) continue;
        refs_walk(c->child, o->value, visited, output_depends, fn, ud);
        for (size_t j = 0; output_depends && j < o->ndepends; j++)
          refs_walk(c->child, o->depends_on[j], visited, output_depends, fn, ud);
      }
    } else if (strcmp(root, "data") == 0 && s0 && s1) {
      CfgResource *r = cfg_resource(m, CFG_DATA, s0, s1);
      if (r) fn(ud, r, t, 2);
    } else if (s0) {
      CfgResource *r = cfg_resource(m, CFG_MANAGED, root, s0);
      if (r) fn(ud, r, t, 1);
    }
    free(root);
    free(s0);
    free(s1);
  }
  ev_reflist_free(&refs);
}

static void dep_found(void *ud, CfgResource *r, const EvTraversal *t, size_t at) {
  (void)t;
  (void)at;
  add_dep(ud, r);
}

static void deps_of_expr(CfgModule *m, const Expr *e, DepSet *out) { refs_walk(m, e, out, true, dep_found, out); }

/* The resource attributes an expression reads ("aws_x.y.arn"), following
** locals, variables and module outputs; attr "*" when a reference uses the
** whole object or its attribute is not static. For Terraform's
** relevant_attributes: which drift the plan shows. */
typedef struct AttrRefs {
  CfgResource **r;
  char **attr;
  size_t n, cap;
} AttrRefs;

static void attr_ref_add(AttrRefs *out, CfgResource *r, const EvTraversal *t, size_t at) {
  char *a = at < t->nsteps && t->steps[at].kind == EV_STEP_INDEX ? step(t, at + 1) : step(t, at);
  if (!a) a = xstrdup("*");
  for (size_t i = 0; i < out->n; i++)
    if (out->r[i] == r && strcmp(out->attr[i], a) == 0) {
      free(a);
      return;
    }
  if (out->n == out->cap) {
    out->cap = out->cap ? 2 * out->cap : 16;
    out->r = xrealloc(out->r, out->cap * sizeof *out->r);
    out->attr = xrealloc(out->attr, out->cap * sizeof *out->attr);
  }
  out->r[out->n] = r;
  out->attr[out->n++] = a;
}

static void attr_found(void *ud, CfgResource *r, const EvTraversal *t, size_t at) { attr_ref_add(ud, r, t, at); }

static void attr_refs_of_expr(CfgModule *m, const Expr *e, AttrRefs *out, DepSet *visited) {
  refs_walk(m, e, visited, false, attr_found, out);
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
    long long cnt = modeval_count(c, r->count->range, w->d);
    val_free(c);
    if (cnt < 0) return false;
    *keys = xcalloc((size_t)cnt + 1, sizeof **keys);
    for (long long i = 0; i < cnt; i++) {
      (*keys)[i].kind = ST_KEY_INT;
      (*keys)[i].i = i;
    }
    *n = (size_t)cnt;
    return true;
  }
  if (r->for_each) {
    Value *c = modeval_expr(me, r->for_each, w->d);
    if (!c) return false;
    if (!modeval_for_each_ok(c, r->for_each->range, "resource", w->d)) {
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

/* The resources r depends on, worked out once per configured resource. */
static const DepSet *res_deps(Walker *w, CfgResource *r) {
  if (!w->deps) w->deps = xcalloc(w->ncres + 1, sizeof *w->deps);
  if (!w->deps[r->seq]) {
    w->deps[r->seq] = xcalloc(1, sizeof(DepSet));
    resource_deps(r, w->deps[r->seq]);
  }
  return w->deps[r->seq];
}

static void set_dep_addrs(Walker *w, Change *c, CfgResource *r) {
  const DepSet *ds = res_deps(w, r);
  c->dep_addrs = xcalloc(ds->n + 1, sizeof *c->dep_addrs);
  for (size_t i = 0; i < ds->n; i++) c->dep_addrs[c->ndep_addrs++] = cfg_resource_addr(ds->v[i]);
}

/* The changes of r's instances in every instance of its module: a
** dependency on a resource in a module with count or for_each is on all of
** them, as in Terraform's graph. */
static void add_inst_deps(Walker *w, ModTree *t, const CfgResource *r, Change *c) {
  if (t->mod == r->module) {
    RVal *dv = find_rv(w, t, r);
    for (size_t k = 0; dv && k < dv->ninst; k++) {
      if (dv->inst[k].change < 0) continue;
      c->deps = xrealloc(c->deps, (c->ndeps + 1) * sizeof *c->deps);
      c->deps[c->ndeps++] = (size_t)dv->inst[k].change;
    }
    return;
  }
  for (size_t i = 0; i < t->mod->ncalls; i++)
    for (size_t k = 0; k < t->calls[i].n; k++) add_inst_deps(w, t->calls[i].v[k], r, c);
}

/* The changes each change must wait for: those of every instance of the
** resources it depends on. Only an apply needs them, and they are as many
** as instances times dependencies' instances, so a plan does not list them. */
static void link_deps(Walker *w, Plan *p) {
  for (size_t i = 0; i < p->n; i++) {
    Change *c = &p->changes[i];
    if (!c->cfg || c->deps) continue;
    const DepSet *ds = res_deps(w, c->cfg);
    for (size_t j = 0; j < ds->n; j++) add_inst_deps(w, w->tree, ds->v[j], c);
  }
}

/* Whether create_before_destroy applies to r: written, or implied because
** a resource that depends on r has it. Settled for every resource the first
** time it is asked, in one pass over those that have it. */
static bool cbd_for(Walker *w, const CfgResource *r) {
  if (!w->cbd) {
    w->cbd = xcalloc(w->ncres + 1, 1);
    for (size_t i = 0; i < w->ncres; i++) w->cbd[i] = w->cres[i]->lc.create_before_destroy;
    for (size_t i = 0; i < w->ncres; i++) {
      if (!w->cres[i]->lc.create_before_destroy) continue;
      const DepSet *ds = res_deps(w, w->cres[i]);
      for (size_t k = 0; k < ds->n; k++) w->cbd[ds->v[k]->seq] = 1;
    }
  }
  return w->cbd[r->seq];
}

static void plan_resource(Walker *w, RVal *v);

/* Whether a value changed between a planned change's before and after. */
static bool value_changed(const Value *before, const Value *after) {
  if (!after || !val_is_wholly_known(after)) return true;
  if (!before) return true;
  return !val_raw_equal(before, after);
}

/* One replace_triggered_by reference: RESOURCE[.NAME][[KEY]][.ATTR...].
** Fires when a referenced instance is planned for an update or a
** replacement, or, with attributes, when that value changes. */
static bool trigger_fires(Walker *w, RVal *v, ModEval *me, const Expr *ref) {
  const Expr *chain[32];
  size_t n = 0;
  for (const Expr *x = ref; x && n < 32;) {
    chain[n++] = x;
    if (x->kind == EXPR_GETATTR) x = x->u.getattr.obj;
    else if (x->kind == EXPR_INDEX) x = x->u.index.obj;
    else break;
  }
  /* chain[n-1] is the root; walk it forwards */
  if (n < 2 || chain[n - 1]->kind != EXPR_VARIABLE || chain[n - 2]->kind != EXPR_GETATTR) return false;
  char *type = xstrndup(chain[n - 1]->u.name.s, chain[n - 1]->u.name.len);
  char *name = xstrndup(chain[n - 2]->u.getattr.name.s, chain[n - 2]->u.getattr.name.len);
  CfgResource *tr = cfg_resource(v->t->mod, CFG_MANAGED, type, name);
  free(type);
  free(name);
  RVal *tv = tr ? find_rv(w, v->t, tr) : NULL;
  if (!tv || tv == v) return false;
  if (tv->state == 0) plan_resource(w, tv);
  size_t at = n - 2;   /* chain[at] is RESOURCE.NAME */
  bool keyed = false;
  StKey key = {0};
  if (at > 0 && chain[at - 1]->kind == EXPR_INDEX) {
    Value *kv = modeval_expr(me, chain[at - 1]->u.index.key, w->d);
    if (kv && val_is_known(kv) && val_kind(kv) == TY_NUMBER) {
      int64_t i = 0;
      if (val_get_i64(kv, &i)) key.kind = ST_KEY_INT, key.i = i;
    } else if (kv && val_is_known(kv) && val_kind(kv) == TY_STRING) {
      key.kind = ST_KEY_STR;
      key.s = xstrdup(val_str(kv));
    }
    val_free(kv);
    keyed = key.kind != ST_KEY_NONE;
    at--;
  }
  bool fired = false;
  for (size_t k = 0; k < tv->ninst && !fired; k++) {
    Inst *in = &tv->inst[k];
    if (in->change < 0 || (keyed && st_key_cmp(&in->key, &key) != 0)) continue;
    const Change *c = &w->plan->changes[in->change];
    if (at == 0) {
      fired = c->action == ACT_UPDATE || c->action == ACT_REPLACE_CD || c->action == ACT_REPLACE_DC;
      continue;
    }
    if (c->action == ACT_CREATE || c->action == ACT_NOOP || c->action == ACT_DELETE) continue;
    Value *b = c->before ? val_ref(c->before) : NULL, *a = c->after ? val_ref(c->after) : NULL;
    for (size_t s2 = at; s2-- > 0 && (a || b);) {
      if (chain[s2]->kind != EXPR_GETATTR) break;
      char *attr = xstrndup(chain[s2]->u.getattr.name.s, chain[s2]->u.getattr.name.len);
      Value *nb = b && val_kind(b) == TY_OBJECT && val_is_known(b) && !val_is_null(b) ? val_attr(b, attr) : NULL;
      Value *na = a && val_kind(a) == TY_OBJECT && val_is_known(a) && !val_is_null(a) ? val_attr(a, attr) : NULL;
      bool unknown_after = a && !val_is_known(a);
      val_free(b);
      val_free(a);
      b = nb;
      a = unknown_after ? val_unknown(T_DYNAMIC) : na;
      free(attr);
    }
    fired = value_changed(b, a);
    val_free(b);
    val_free(a);
  }
  st_key_free(&key);
  return fired;
}

static bool replace_triggered(Walker *w, RVal *v, ModEval *me) {
  for (size_t i = 0; i < v->r->lc.nreplace; i++)
    if (trigger_fires(w, v, me, v->r->lc.replace_triggered_by[i])) return true;
  return false;
}

static void plan_instance(Walker *w, RVal *v, ModEval *me, const StKey *key, const Value *eachval) {
  CfgResource *r = v->r;
  char *addr = inst_addr(v, key);
  Value *ci = key->kind == ST_KEY_INT ? val_number_i64(key->i) : NULL;
  Value *ek = key->kind == ST_KEY_STR ? val_cstring(key->s) : NULL;
  modeval_set_instance(me, r->count != NULL, ci, r->for_each != NULL, ek, eachval, NULL);
  val_free(ci);
  val_free(ek);
  Inst in;
  memset(&in, 0, sizeof in);
  st_key_copy(&in.key, key);
  in.change = -1;

  StResource *sr = state_resource(w->refreshed, v);
  StInstance *si = sr ? st_find_instance(sr, key, NULL) : NULL;
  /* refresh already decoded what it read */
  Value *prior = si ? (si->decoded ? val_ref(si->decoded) : state_value(si, v->schema, w->d, addr)) : NULL;

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
      plan_say(w, addr, "Reading...");
      Value *got = v->dt->read(ctx, config, &pd);
      if (got) plan_say(w, addr, "Read complete after 0s [id=%s]", value_id(NULL, got));
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
    bool triggered = prior && !tainted && !forced && r->lc.nreplace && replace_triggered(w, v, me);
    Value *cfg2 = apply_ignore_changes(r, prior, config);
    /* a forced replacement plans as a create against no prior object */
    const Value *base = (tainted || forced || triggered) ? NULL : prior;
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
      else if (tainted || forced || triggered || c->replace_paths.n) {
        c->action = cbd_for(w, r) ? ACT_REPLACE_CD : ACT_REPLACE_DC;
        if (tainted) c->reason = xstrdup("tainted");
        else if (forced) c->reason = xstrdup("replace_by_request");
        else if (triggered) c->reason = xstrdup("replace_by_triggers");
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
    c->module = xstrdup(v->t->path);
    c->mode = st_mode(r->mode);
    c->type = xstrdup(r->type);
    c->name = xstrdup(r->name);
    st_key_copy(&c->key, key);
    c->prov = v->prov;
    c->rt = v->rt;
    c->dt = v->dt;
    c->schema = v->schema;
    c->cfg = r;
    c->cbd = r->mode == CFG_MANAGED && cbd_for(w, r);
    set_dep_addrs(w, c, r);
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
  ModEval *me = v->t->me;
  /* save the instance context of whatever was being evaluated */
  bool hc = me->has_count, he = me->has_each;
  Value *ci = me->count_index ? val_ref(me->count_index) : NULL, *ek = me->each_key ? val_ref(me->each_key) : NULL,
        *ev = me->each_value ? val_ref(me->each_value) : NULL, *sf = me->self ? val_ref(me->self) : NULL;
  StKey *keys;
  Value **eachvals;
  size_t n;
  if (w->o->destroy && (v->r->count || v->r->for_each)) {
    /* destroying: the instances are those in the state */
    StResource *sr = state_resource(w->refreshed, v);
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

static int cmp_keyp(const void *a, const void *b) {
  return st_key_cmp(*(const StKey *const *)a, *(const StKey *const *)b);
}

/* Objects in the state that the configuration no longer has. */
static void plan_orphans(Walker *w) {
  State *s = w->refreshed;
  ModTree *mt = NULL;   /* the module instance of the last resource: the state lists them by module */
  for (size_t i = 0; i < s->nres; i++) {
    StResource *sr = s->res[i];
    if (sr->mode != ST_MANAGED) continue;
    const Provider *prov = provider_lookup("aws");
    const ResourceType *rt = prov ? provider_resource(prov, sr->type) : NULL;
    if (!rt) continue;
    /* find the configuration of this resource */
    if (!mt || strcmp(mt->path, sr->module) != 0) mt = modtree_find_path(w->tree, sr->module);
    CfgResource *cr = mt ? cfg_resource(mt->mod, CFG_MANAGED, sr->type, sr->name) : NULL;
    RVal *cv = cr ? find_rv(w, mt, cr) : NULL;
    /* the configured keys sorted, so a resource of n instances costs n log n */
    const StKey **keys = xcalloc((cv ? cv->ninst : 0) + 1, sizeof *keys);
    for (size_t k = 0; cv && k < cv->ninst; k++) keys[k] = &cv->inst[k].key;
    if (cv && cv->ninst > 1) qsort(keys, cv->ninst, sizeof *keys, cmp_keyp);
    for (size_t j = 0; j < sr->ninst; j++) {
      StInstance *si = &sr->inst[j];
      const StKey *want = &si->key;
      bool present = cv && !si->deposed && cv->ninst && bsearch(&want, keys, cv->ninst, sizeof *keys, cmp_keyp);
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
      else if (!mt) c->reason = xstrdup("delete_because_no_module");
      else if (!cv) c->reason = xasprintf("because %s is not in configuration", st_resource_addr(sr));
      else c->reason = xasprintf("because %s is not in configuration", addr);
      for (size_t k = 0; k < si->ndeps; k++) {
        c->dep_addrs = xrealloc(c->dep_addrs, (c->ndep_addrs + 1) * sizeof *c->dep_addrs);
        c->dep_addrs[c->ndep_addrs++] = xstrdup(si->deps[k]);
      }
    }
    free(keys);
  }
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
      if (prior && !si->deposed) plan_say(w, addr, "Refreshing state... [id=%s]", value_id(rt->id_attr, prior));
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
        Drift dr = {xstrdup(addr), ST_MANAGED, xstrdup(sr->type), val_ref(prior), now ? val_ref(now) : NULL, rt->schema,
                    xstrdup(sr->module), xstrdup(sr->name), si->deposed ? xstrdup(si->deposed) : NULL, {0}};
        st_key_copy(&dr.key, &si->key);
        VEC_PUSH(w->plan->drift, w->plan->ndrift, w->plan->capdrift, dr);
        if (!now) {
          st_remove_instance(sr, &si->key, si->deposed);
          val_free(prior);
          free(addr);
          continue;
        }
        cJSON *js = val_to_json(now);
        if (js) {
          if (!si->shared_attributes) cJSON_Delete(si->attributes);
          si->attributes = js;
          si->shared_attributes = false;
        }
      }
      if (!si->deposed && val_type(now) == schema_type(rt->schema)) si->decoded = val_ref(now);
      val_free(now);
      val_free(prior);
      free(addr);
      j++;
    }
  }
}

/* Whether every instance of r has been planned (in every module instance). */
static bool all_planned(Walker *w, ModTree *t, const CfgResource *r) {
  if (t->mod == r->module) return find_rv(w, t, r)->state == 2;
  for (size_t i = 0; i < t->mod->ncalls; i++)
    for (size_t k = 0; k < t->calls[i].n; k++)
      if (!all_planned(w, t->calls[i].v[k], r)) return false;
  return true;
}

static void plan_outputs(Walker *w) {
  CfgModule *m = w->root;
  ModEval *me = w->tree->me;
  for (size_t i = 0; i < m->noutputs; i++) {
    CfgOutput *o = &m->outputs[i];
    if (w->ntargets && o->value) {
      /* a targeted plan leaves out outputs that read what it did not plan */
      DepSet ds = {0};
      deps_of_expr(m, o->value, &ds);
      bool planned = true;
      for (size_t k = 0; k < ds.n && planned; k++) planned = all_planned(w, w->tree, ds.v[k]);
      depset_free(&ds);
      if (!planned) continue;
    }
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

/* -target's addresses; false after reporting one that does not parse. */
static bool parse_targets(Walker *w) {
  const PlanOptions *o = w->o;
  w->targets = xcalloc(o->ntargets + 1, sizeof *w->targets);
  bool ok = true;
  for (size_t i = 0; i < o->ntargets; i++) {
    char *err = NULL;
    if (st_addr_parse(o->targets[i], &w->targets[w->ntargets], &err)) {
      w->ntargets++;
    } else {
      diag_add(w->d, DIAG_ERROR, NULL, "Invalid target address", "Invalid target \"%s\": %s", o->targets[i],
               err ? err : "not a resource or module address");
      ok = false;
    }
    free(err);
  }
  return ok;
}

static bool targeted(const Walker *w, const ModTree *t, const CfgResource *r) {
  StResource sr;
  memset(&sr, 0, sizeof sr);
  sr.module = t->path;
  sr.mode = st_mode(r->mode);
  sr.type = r->type;
  sr.name = r->name;
  for (size_t i = 0; i < w->ntargets; i++)
    if (st_addr_matches(&w->targets[i], &sr, NULL)) return true;
  return false;
}

/* With -target, only the targeted resources are planned, and with them,
** as their configuration is evaluated, everything they refer to; an
** error elsewhere in the configuration does not stop the plan. */
static void plan_tree_targeted(Walker *w, ModTree *t) {
  InstRVals *iv = inst_rvals(w, t);
  for (size_t i = 0; i < iv->n; i++)
    if (iv->v[i].state == 0 && targeted(w, t, iv->v[i].r)) plan_resource(w, &iv->v[i]);
  for (size_t i = 0; i < t->mod->ncalls; i++)
    for (size_t k = 0; k < t->calls[i].n; k++) plan_tree_targeted(w, t->calls[i].v[k]);
}

/* Plans every resource of module instance t and of the instances below it. */
static void plan_tree(Walker *w, ModTree *t) {
  InstRVals *iv = inst_rvals(w, t);
  for (size_t i = 0; i < iv->n; i++)
    if (iv->v[i].state == 0) plan_resource(w, &iv->v[i]);
  for (size_t i = 0; i < t->mod->ncalls; i++)
    for (size_t k = 0; k < t->calls[i].n; k++) plan_tree(w, t->calls[i].v[k]);
}

static bool change_matches(const Change *c, const StAddr *a) {
  StResource r;
  memset(&r, 0, sizeof r);
  r.module = c->module;
  r.mode = c->mode;
  r.type = c->type;
  r.name = c->name;
  StInstance in;
  memset(&in, 0, sizeof in);
  in.key = c->key;
  return st_addr_matches(a, &r, &in);
}

/* A change's resource address without instance keys ("module.a.aws_x.y"),
** as dependencies are recorded. */
static char *config_addr(const Change *c) {
  Buf b = BUF_INIT;
  int depth = 0;
  for (const char *q = c->module; *q; q++) {
    if (*q == '"') {
      /* skip a quoted key, escapes included */
      for (q++; *q && *q != '"'; q++)
        if (*q == '\\' && q[1]) q++;
      if (!*q) break;
      continue;
    }
    if (*q == '[') depth++;
    else if (*q == ']') depth--;
    else if (depth == 0) buf_putc(&b, *q);
  }
  if (b.len) buf_putc(&b, '.');
  buf_printf(&b, "%s%s.%s", c->mode == ST_DATA ? "data." : "", c->type, c->name);
  return buf_take(&b);
}

/* -target: keeps the changes of the targeted instances and what they need
** (their dependencies; when destroying, what depends on them), the output
** changes that read only kept resources, and the drift of kept objects. */
static void apply_targets(Walker *w) {
  Plan *p = w->plan;
  const PlanOptions *o = w->o;
  const StAddr *addrs = w->targets;
  size_t na = w->ntargets;
  bool *keep = xcalloc(p->n + 1, sizeof *keep);
  for (size_t i = 0; i < p->n; i++)
    for (size_t k = 0; k < na && !keep[i]; k++) keep[i] = change_matches(&p->changes[i], &addrs[k]);
  /* by configuration address: a destroy plan's changes are not linked by
  ** index, and an orphan's dependencies come from the state */
  char **caddr = xcalloc(p->n + 1, sizeof *caddr);
  for (size_t i = 0; i < p->n; i++) caddr[i] = config_addr(&p->changes[i]);
  for (bool grew = true; grew;) {
    grew = false;
    for (size_t i = 0; i < p->n; i++) {
      Change *c = &p->changes[i];
      for (size_t j = 0; j < p->n; j++) {
        if (i == j || keep[o->destroy ? i : j] || !keep[o->destroy ? j : i]) continue;
        bool dep = false;
        for (size_t k = 0; k < c->ndep_addrs && !dep; k++) dep = strcmp(c->dep_addrs[k], caddr[j]) == 0;
        if (dep) keep[o->destroy ? i : j] = grew = true;
      }
    }
  }
  for (size_t i = 0; i < p->n; i++) free(caddr[i]);
  free(caddr);
  bool *keep_out = xcalloc(p->nout + 1, sizeof *keep_out);
  for (size_t i = 0; i < p->nout && !o->destroy; i++) {
    CfgOutput *co = cfg_output(w->root, p->outputs[i].name);
    if (!co || !co->value) continue;
    DepSet ds = {0};
    deps_of_expr(w->root, co->value, &ds);
    bool ok = true;
    for (size_t j = 0; j < p->n && ok; j++)
      for (size_t k = 0; k < ds.n && ok; k++)
        if (p->changes[j].cfg == ds.v[k] && !keep[j]) ok = false;
    depset_free(&ds);
    keep_out[i] = ok;
  }
  bool *keep_drift = xcalloc(p->ndrift + 1, sizeof *keep_drift);
  for (size_t i = 0; i < p->ndrift; i++)
    for (size_t j = 0; j < p->n && !keep_drift[i]; j++)
      keep_drift[i] = keep[j] && strcmp(p->changes[j].addr, p->drift[i].addr) == 0;
  plan_keep(p, keep, keep_out, keep_drift);
  free(keep);
  free(keep_out);
  free(keep_drift);
  p->targeted = true;
  diag_add(w->d, DIAG_WARNING, NULL, "Resource targeting is in effect",
           "You are creating a plan with the -target option, which means that the result of this plan may not "
           "represent all of the changes requested by the current configuration.\n\nThe -target option is not for "
           "routine use, and is provided only for exceptional situations such as recovering from errors or "
           "mistakes, or when Terraform specifically suggests to use it as part of an error message.");
}

/* The instances of r in every instance of its module, as relevant entries. */
static void add_relevant(Walker *w, ModTree *t, const CfgResource *r, const char *attr) {
  if (t->mod == r->module) {
    RVal *v = find_rv(w, t, r);
    for (size_t k = 0; v && k < v->ninst; k++) {
      PlanRelevant pr = {inst_addr(v, &v->inst[k].key), xstrdup(attr)};
      VEC_PUSH(w->plan->relevant, w->plan->nrelevant, w->plan->caprelevant, pr);
    }
    return;
  }
  for (size_t i = 0; i < t->mod->ncalls; i++)
    for (size_t k = 0; k < t->calls[i].n; k++) add_relevant(w, t->calls[i].v[k], r, attr);
}

static void body_attr_refs(CfgModule *m, const Body *b, bool top, AttrRefs *out, DepSet *visited) {
  for (size_t i = 0; i < b->nitems; i++) {
    const BodyItem *it = &b->items[i];
    if (it->attr) {
      attr_refs_of_expr(m, it->attr->expr, out, visited);
      continue;
    }
    /* lifecycle and friends name resources, not values they read */
    const Block *blk = it->block;
    if (top && (hcl_str_eq(blk->type, "lifecycle") || hcl_str_eq(blk->type, "provisioner") ||
                hcl_str_eq(blk->type, "connection")))
      continue;
    body_attr_refs(m, blk->body, false, out, visited);
  }
}

static void resource_attr_refs(CfgResource *r, AttrRefs *out) {
  DepSet visited = {0};
  body_attr_refs(r->module, r->body, true, out, &visited);
  if (r->count) attr_refs_of_expr(r->module, r->count, out, &visited);
  if (r->for_each) attr_refs_of_expr(r->module, r->for_each, out, &visited);
  depset_free(&visited);
}

/* Terraform's relevant_attributes: the resource attributes that changing
** resources and outputs read, and, transitively, what those resources
** read. The plan shows only drift in these (plan/render.c). */
static void plan_relevance(Walker *w) {
  Plan *p = w->plan;
  AttrRefs refs = {0};
  unsigned char *done = xcalloc(w->ncres + 1, 1);
  for (size_t i = 0; i < p->n; i++) {
    CfgResource *r = p->changes[i].cfg;
    if (p->changes[i].action == ACT_NOOP || !r || done[r->seq]) continue;
    done[r->seq] = 1;
    resource_attr_refs(r, &refs);
  }
  for (size_t i = 0; i < p->nout; i++) {
    CfgOutput *o = cfg_output(w->root, p->outputs[i].name);
    if (!o || !o->value || plan_output_action(&p->outputs[i]) == ACT_NOOP) continue;
    DepSet visited = {0};
    attr_refs_of_expr(w->root, o->value, &refs, &visited);
    depset_free(&visited);
  }
  /* what the referenced resources read contributes too */
  for (size_t i = 0; i < refs.n; i++) {
    CfgResource *r = refs.r[i];
    if (done[r->seq]) continue;
    done[r->seq] = 1;
    resource_attr_refs(r, &refs);
  }
  for (size_t i = 0; i < refs.n; i++) {
    add_relevant(w, w->tree, refs.r[i], refs.attr[i]);
    free(refs.attr[i]);
  }
  free(refs.r);
  free(refs.attr);
  free(done);
  p->relevance_known = true;
}

static void check_vars(ModTree *t, DiagList *d) {
  modeval_check_vars(t->me, d);
  for (size_t i = 0; i < t->mod->ncalls; i++)
    for (size_t k = 0; k < t->calls[i].n; k++) check_vars(t->calls[i].v[k], d);
}

static Walker *walker_new(CfgModule *root, const State *prior, const PlanOptions *o, Runtime *rt, DiagList *d,
                          bool vars_required) {
  Walker *w = xcalloc(1, sizeof *w);
  w->root = root;
  w->prior = prior;
  /* the state the plan reads: prior with what refresh finds; the prior
  ** state does not change while a plan is made, so the clone shares its
  ** attributes and copies only those refresh replaces */
  w->refreshed = prior ? st_clone_sharing(prior) : st_new();
  w->rt = rt;
  w->o = o;
  w->d = d;
  cfg_walk(root, collect_res, w);
  VarOptions vo = {root->dir, o->vars, o->nvars, !vars_required};
  Value **vars = vars_collect(root, &vo, d);
  ModEvalHooks hooks = {hook_resource, modtree_hook_module, hook_type, w};
  w->tree = modtree_new(root, vars, o->workspace, true, true, &hooks);
  return w;
}

static void walker_free(Walker *w) {
  for (size_t i = 0; i < w->ntargets; i++) st_addr_free(&w->targets[i]);
  free(w->targets);
  for (size_t i = 0; i < w->refreshed->nres; i++)
    for (size_t k = 0; k < w->refreshed->res[i]->ninst; k++) val_free(w->refreshed->res[i]->inst[k].decoded);
  for (size_t i = 0; w->deps && i < w->ncres; i++) {
    if (w->deps[i]) depset_free(w->deps[i]);
    free(w->deps[i]);
  }
  free(w->deps);
  free(w->cbd);
  free(w->by_res);
  free(w->by_res_first);
  free(w->cres);
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
  if (o->refresh) refresh(w);
  if (o->ntargets && !parse_targets(w)) p->errored = true;
  if (!o->refresh_only && !p->errored) {
    /* module instances and inputs after refresh: they may read (and so
    ** plan) resources */
    modtree_bind_inputs(w->tree, d);
    /* a destroy plans from the state alone, so all of it is planned and
    ** the targets' dependents picked afterwards */
    if (o->ntargets && !o->destroy) plan_tree_targeted(w, w->tree);
    else plan_tree(w, w->tree);
    plan_orphans(w);
    /* variables checked once every value they may refer to is planned */
    check_vars(w->tree, d);
    plan_outputs(w);
    if (o->ntargets) apply_targets(w);
    plan_relevance(w);
  }
  if (diag_has_errors(d)) p->errored = true;
  walker_free(w);
  return p;
}

/* ------------------------------------------------------------ applying */

volatile sig_atomic_t plan_stop_requested;

/* Go's Duration text, truncated to seconds: "0s", "45s", "6m12s", "1h0m5s". */
static void elapsed_text(char *buf, size_t n, double secs) {
  long s = secs < 0 ? 0 : (long)floor(secs);
  long h = s / 3600, m = (s % 3600) / 60, r = s % 60;
  if (h) snprintf(buf, n, "%ldh%ldm%lds", h, m, r);
  else if (m) snprintf(buf, n, "%ldm%lds", m, r);
  else snprintf(buf, n, "%lds", r);
}

struct Applier;

/* One operation of the apply, run as a task (plan/sched.h). */
typedef struct Op {
  struct Applier *a;
  size_t i;                  /* its change */
  bool ok;
  /* the create in progress: its intent is journaled from the provider's
  ** create hook, once generated names are known */
  const Change *creating;
  uint64_t create_intent;
  /* in a provider call: progress lines are due every 10 s */
  bool active;
  const char *still;         /* "creating", "modifying", "destroying" */
  char *id;
  double t0;
  long shown;                /* seconds of progress already printed */
} Op;

typedef struct Applier {
  Walker *w;
  StMgr *sm;
  Op *ops;                   /* per change */
  size_t inline_op;          /* the op run on the main thread, if any */
  Sched *sched;
  const Change *clock_of;    /* whose provider's clock the walk follows */
  char **deposed;            /* per change: the key its replacement deposed */
  bool force_next;           /* break a cycle among deletions */
  FILE *out;
  bool color;
  unsigned char *status;     /* per change: 0 pending, 1 done, 2 failed, 3 skipped */
  size_t failed;
  size_t added, changed, destroyed;
  bool halted;               /* stopped by an interrupt */
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

static Op *cur_op(Applier *a);

/* An operation's provider call begins: from now on its "Still ..." lines
** are printed as the clock passes each 10 s (progress_until). */
static void op_begin(Applier *a, const char *still, const char *id, double t0) {
  Op *o = cur_op(a);
  o->active = true;
  o->still = still;
  free(o->id);
  o->id = id ? xstrdup(id) : NULL;
  o->t0 = t0;
  o->shown = 0;
}

/* It ended after secs: the lines no clock advance printed (a wait the
** provider did itself), then none. */
static void op_end(Applier *a, const Change *c, double secs) {
  Op *o = cur_op(a);
  for (long t = o->shown + 10; t < (long)secs; t += 10) {
    char e[32];
    elapsed_text(e, sizeof e, (double)t);
    if (o->id) say(a, c->addr, "Still %s... [id=%s, %s elapsed]", o->still, o->id, e);
    else say(a, c->addr, "Still %s... [%s elapsed]", o->still, e);
  }
  o->active = false;
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

/* While applying, the planned values of v's instances. The changes are
** indexed by resource once, so each instance looks at its own only. */
static void register_planned(Walker *w, RVal *v) {
  Plan *p = w->plan;
  if (!p) return;
  if (!w->by_res) {
    w->by_res_first = xcalloc(w->ncres + 2, sizeof *w->by_res_first);
    w->by_res = xcalloc(p->n + 1, sizeof *w->by_res);
    for (size_t i = 0; i < p->n; i++)
      if (p->changes[i].cfg) w->by_res_first[p->changes[i].cfg->seq + 1]++;
    for (size_t k = 0; k < w->ncres; k++) w->by_res_first[k + 1] += w->by_res_first[k];
    size_t *fill = xcalloc(w->ncres + 1, sizeof *fill);
    for (size_t i = 0; i < p->n; i++) {
      const CfgResource *r = p->changes[i].cfg;
      if (r) w->by_res[w->by_res_first[r->seq] + fill[r->seq]++] = i;
    }
    free(fill);
  }
  for (size_t k = w->by_res_first[v->r->seq]; k < w->by_res_first[v->r->seq + 1]; k++) {
    size_t i = w->by_res[k];
    Change *c = &p->changes[i];
    if (strcmp(c->module, v->t->path) != 0) continue;
    Inst in;
    memset(&in, 0, sizeof in);
    st_key_copy(&in.key, &c->key);
    in.change = (long)i;
    in.value = c->after ? val_ref(c->after) : (c->before ? val_ref(c->before) : NULL);
    VEC_PUSH(v->inst, v->ninst, v->capinst, in);
  }
  /* no change planned (a refresh-only or targeted plan): what the state
  ** holds, which apply has just brought up to date with the refresh */
  StResource *sr = !v->ninst && w->prior && v->schema ? state_resource(w->prior, v) : NULL;
  for (size_t k = 0; sr && k < sr->ninst; k++) {
    if (sr->inst[k].deposed) continue;
    Inst in;
    memset(&in, 0, sizeof in);
    st_key_copy(&in.key, &sr->inst[k].key);
    in.change = -1;
    in.value = state_value(&sr->inst[k], v->schema, w->d, v->r->name);
    VEC_PUSH(v->inst, v->ninst, v->capinst, in);
  }
  rv_changed(v);
  v->state = 2;
}

static void set_inst_value(Walker *w, const Change *c, const Value *v) {
  RVal *rv = change_rv(w, c);
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
  ModTree *t = modtree_find_path(w->tree, c->module);
  if (!t) {
    diag_add(w->d, DIAG_ERROR, NULL, "Module instance not found",
             "%s belongs to %s, which the configuration no longer expands to; plan again.", c->addr, c->module);
    return NULL;
  }
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
  Op *o = cur_op(a);
  if (!o->creating || o->create_intent) return;
  StRef ref = ref_of(o->creating, NULL);
  o->create_intent = st_mgr_intent(a->sm, &ref, "create", obj, a->w->d);
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
  Op *op = cur_op(a);
  if (hooked) {
    /* journaled by the hook (installed for the whole apply), with the
    ** names the provider chose */
    op->creating = c;
    op->create_intent = 0;
  } else {
    cJSON *pj = known_json(planned);
    intent = st_mgr_intent(a->sm, &ref, update ? "update" : "create", pj, w->d);
    cJSON_Delete(pj);
  }
  if (update) say(a, c->addr, "Modifying... [id=%s]", id ? id : "");
  else say(a, c->addr, "Creating...");
  double t0 = now_of(c, w->rt);
  op_begin(a, update ? "modifying" : "creating", id, t0);
  ProvDiags pd = {0};
  Value *got = c->rt->apply(ctx, prior, planned, &pd);
  if (hooked) {
    intent = op->create_intent;
    op->creating = NULL;
    if (!intent) {
      /* the provider failed before its create call: nothing to look for */
      cJSON *pj = known_json(planned);
      intent = st_mgr_intent(a->sm, &ref, "create", pj, w->d);
      cJSON_Delete(pj);
    }
  }
  double secs = now_of(c, w->rt) - t0;
  const char *nid = id_of(c, got);
  op_end(a, c, secs);
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
  op_begin(a, "destroying", id, t0);
  ProvDiags pd = {0};
  Value *got = c->rt->apply(runtime_ctx(w->rt, c->prov), prior, NULL, &pd);
  double secs = now_of(c, w->rt) - t0;
  op_end(a, c, secs);
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

static bool plan_has_output(const Plan *p, const char *name) {
  for (size_t i = 0; i < p->nout; i++)
    if (strcmp(p->outputs[i].name, name) == 0) return true;
  return false;
}

/* What refresh found is recorded first, as Terraform's apply does: objects
** deleted outside tfc leave the state (a destroy would not otherwise touch
** them), changed ones get the attributes that were read. */
static void persist_refresh(Plan *p, StMgr *sm, DiagList *d) {
  for (size_t i = 0; i < p->ndrift; i++) {
    Drift *dr = &p->drift[i];
    if (dr->mode != ST_MANAGED || !dr->module) continue;
    StRef ref = {dr->module, dr->mode, dr->type, dr->name, NULL, dr->key, dr->deposed};
    StResource *sr = st_find_resource(st_mgr_state(sm), dr->module, dr->mode, dr->type, dr->name);
    StInstance *si = sr ? st_find_instance(sr, &dr->key, dr->deposed) : NULL;
    if (!si) continue;
    if (!dr->after) {
      uint64_t id = st_mgr_intent(sm, &ref, "forget", NULL, d);
      st_mgr_done(sm, id, &ref, NULL, true, d);
      continue;
    }
    StInstance in;
    st_instance_copy(&in, si);
    cJSON *js = val_to_json(dr->after);
    if (js) {
      cJSON_Delete(in.attributes);
      in.attributes = js;
    }
    uint64_t id = st_mgr_intent(sm, &ref, "refresh", NULL, d);
    st_mgr_done(sm, id, &ref, &in, true, d);
    st_instance_clear(&in);
  }
}

/* ------------------------------------------------------------ tasks */

static Op *cur_op(Applier *a) {
  size_t id = sched_current_id(a->sched);
  return &a->ops[id == (size_t)-1 ? a->inline_op : id];
}

/* The first half of c's change (creates, updates, reads, replacements). */
static void op_apply(void *arg) {
  Op *o = arg;
  Applier *a = o->a;
  size_t i = o->i;
  Change *c = &a->w->plan->changes[i];
  char **deposed = a->deposed;
  bool ok = true;
  switch (c->action) {
  case ACT_NOOP:
    if (c->mode == ST_DATA && c->after) {
      StRef ref = ref_of(c, NULL);
      uint64_t id = st_mgr_intent(a->sm, &ref, "read", NULL, a->w->d);
      record(a, c, id, NULL, c->after, false);
    }
    break;
  case ACT_READ: {
    say(a, c->addr, "Reading...");
    Value *got = final_plan(a, c, NULL);
    ok = got != NULL;
    if (ok) {
      StRef ref = ref_of(c, NULL);
      uint64_t id = st_mgr_intent(a->sm, &ref, "read", NULL, a->w->d);
      record(a, c, id, NULL, got, false);
      set_inst_value(a->w, c, got);
      say(a, c->addr, "Read complete after 0s");
    }
    val_free(got);
    break;
  }
  case ACT_CREATE: {
    Value *got = do_create_update(a, c, NULL, false);
    ok = got != NULL;
    a->added += ok;
    val_free(got);
    break;
  }
  case ACT_UPDATE: {
    Value *got = do_create_update(a, c, c->before, true);
    ok = got != NULL;
    a->changed += ok;
    val_free(got);
    break;
  }
  case ACT_REPLACE_DC:
    ok = do_delete(a, c, c->before, NULL);
    if (ok) {
      a->destroyed++;
      Value *got = do_create_update(a, c, NULL, false);
      ok = got != NULL;
      a->added += ok;
      val_free(got);
    }
    break;
  case ACT_REPLACE_CD: {
    /* the old object steps aside as a deposed object, deleted later */
    deposed[i] = new_deposed_key();
    StRef ref = ref_of(c, deposed[i]);
    uint64_t id = st_mgr_intent(a->sm, &ref, "depose", NULL, a->w->d);
    record(a, c, id, deposed[i], c->before, false);
    Value *got = do_create_update(a, c, NULL, false);
    ok = got != NULL;
    a->added += ok;
    if (!ok) {
      /* the replacement failed: the old object stays current */
      StRef cref = ref_of(c, NULL);
      uint64_t rid = st_mgr_intent(a->sm, &cref, "restore", NULL, a->w->d);
      record(a, c, rid, NULL, c->before, false);
      StRef dref = ref_of(c, deposed[i]);
      uint64_t did = st_mgr_intent(a->sm, &dref, "forget", NULL, a->w->d);
      record(a, c, did, deposed[i], NULL, false);
      free(deposed[i]);
      deposed[i] = NULL;
    }
    val_free(got);
    break;
  }
  default:
    break;
  }
  o->ok = ok;
}

/* A deletion: of c's object, or of the object c's replacement deposed. */
static void op_delete(void *arg) {
  Op *o = arg;
  Applier *a = o->a;
  Change *c = &a->w->plan->changes[o->i];
  const char *dk = a->deposed[o->i];
  if (c->action == ACT_DELETE) o->ok = do_delete(a, c, c->before, c->deposed);
  else o->ok = do_delete(a, c, c->before, dk);
}

static double sched_now(void *ud) {
  Applier *a = ud;
  return a->clock_of ? now_of(a->clock_of, a->w->rt) : 0;
}

typedef struct Tick {
  double at;
  size_t op;
  long secs;
} Tick;

static int cmp_tick(const void *x, const void *y) {
  const Tick *p = x, *q = y;
  if (p->at != q->at) return p->at < q->at ? -1 : 1;
  return p->op < q->op ? -1 : p->op > q->op;
}

/* Prints the "Still creating..." lines of every operation in a provider
** call, for each 10 s that passes before `to`, in time order. */
static void progress_until(Applier *a, double to) {
  Tick *v = NULL;
  size_t n = 0, cap = 0;
  for (size_t i = 0; i < a->w->plan->n; i++) {
    Op *o = &a->ops[i];
    if (!o->active) continue;
    for (long t = o->shown + 10; o->t0 + (double)t < to; t += 10) {
      Tick k = {o->t0 + (double)t, i, t};
      VEC_PUSH(v, n, cap, k);
      o->shown = t;
    }
  }
  if (n) qsort(v, n, sizeof *v, cmp_tick);
  for (size_t k = 0; k < n; k++) {
    Op *o = &a->ops[v[k].op];
    char e[32];
    elapsed_text(e, sizeof e, (double)v[k].secs);
    const Change *c = &a->w->plan->changes[v[k].op];
    if (o->id) say(a, c->addr, "Still %s... [id=%s, %s elapsed]", o->still, o->id, e);
    else say(a, c->addr, "Still %s... [%s elapsed]", o->still, e);
  }
  free(v);
}

static void sched_advance_clock(void *ud, double from, double to) {
  Applier *a = ud;
  progress_until(a, to);
  if (a->clock_of && a->clock_of->prov->advance)
    a->clock_of->prov->advance(runtime_ctx(a->w->rt, a->clock_of->prov), to - from);
}

static bool sleep_hook(void *ud, double seconds) { return sched_sleep(((Applier *)ud)->sched, seconds); }

static void hooks_install(Applier *a, bool on) {
  Runtime *rt = a->w->rt;
  for (size_t i = 0; i < rt->n; i++) {
    const Provider *pv = rt->v[i].prov;
    if (pv->set_sleep_hook) pv->set_sleep_hook(rt->v[i].ctx, on ? sleep_hook : NULL, on ? a : NULL);
    if (pv->set_create_hook) pv->set_create_hook(rt->v[i].ctx, on ? create_hook : NULL, on ? a : NULL);
  }
}

int plan_apply(Plan *p, CfgModule *root, const PlanOptions *o, StMgr *sm, Runtime *rt, FILE *out, bool color,
               DiagList *d) {
  State *cur = st_mgr_state(sm);
  Walker *w = walker_new(root, cur, o, rt, d, !o->destroy);
  w->plan = p;
  w->applying = true;
  /* references see planned values until the real ones arrive: each
  ** module instance's RVals are filled from the plan when first asked for
  ** (register_planned), so instances appear in whatever order evaluation
  ** needs them */
  persist_refresh(p, sm, d);
  modtree_bind_inputs(w->tree, d);
  link_deps(w, p);
  Applier a;
  memset(&a, 0, sizeof a);
  a.w = w;
  a.sm = sm;
  a.out = out;
  a.color = color;
  a.status = xcalloc(p->n + 1, 1);
  char **deposed = xcalloc(p->n + 1, sizeof *deposed);

  /* Creates, updates, reads and the first half of replacements, as tasks
  ** on the scheduler: each starts once everything it depends on is done,
  ** at most -parallelism at a time, in plan order when several are ready
  ** at once; waits overlap, so the simulated time is the critical path. */
  a.ops = xcalloc(p->n + 1, sizeof *a.ops);
  a.deposed = deposed;
  for (size_t i = 0; i < p->n; i++) {
    a.ops[i].a = &a;
    a.ops[i].i = i;
  }
  const Change *clock_of = NULL;
  for (size_t i = 0; i < p->n && !clock_of; i++)
    if (p->changes[i].prov) clock_of = &p->changes[i];
  SchedClock sc = {sched_now, sched_advance_clock, &a};
  a.clock_of = clock_of;
  a.sched = sched_new(&sc);
  hooks_install(&a, true);
  size_t par = o->parallelism > 0 ? (size_t)o->parallelism : 10;
  unsigned char *started = xcalloc(p->n + 1, 1);
  for (;;) {
    bool progressed = false;
    for (size_t j = 0; j < p->n && !a.halted; j++) {
      Change *cj = &p->changes[j];
      if (cj->action == ACT_DELETE || a.status[j] || started[j]) continue;
      bool ready = true;
      for (size_t k = 0; k < cj->ndeps && ready; k++) {
        size_t dk = cj->deps[k];
        if (p->changes[dk].action != ACT_DELETE && !a.status[dk]) ready = false;
      }
      if (!ready) continue;
      if (plan_stop_requested) {
        a.halted = true;
        break;
      }
      if (!deps_ok(&a, cj)) {
        a.status[j] = 3;
        progressed = true;
        continue;
      }
      if (cj->action == ACT_NOOP && !(cj->mode == ST_DATA && cj->after)) {
        a.status[j] = 1;
        progressed = true;
        continue;
      }
      if (sched_running(a.sched) >= par) break;
      started[j] = 1;
      a.inline_op = j;
      sched_start(a.sched, j, op_apply, &a.ops[j]);
      progressed = true;
    }
    for (size_t j = 0; j < p->n; j++) {
      if (!started[j] || a.status[j] || !sched_done(a.sched, j)) continue;
      a.status[j] = a.ops[j].ok ? 1 : 2;
      a.failed += !a.ops[j].ok;
      progressed = true;
    }
    if (progressed) continue;
    if (!sched_advance(a.sched)) break;
  }

  /* deletions: dependents first, as tasks too */
  unsigned char *done = xcalloc(p->n + 1, 1), *kept = xcalloc(p->n + 1, 1);
  memset(started, 0, p->n + 1);
  for (;;) {
    bool progressed = false, blocked = false;
    for (size_t i = p->n; i-- > 0 && !a.halted;) {
      Change *c = &p->changes[i];
      bool del = c->action == ACT_DELETE || deposed[i];
      if (!del || done[i] || started[i]) continue;
      bool wait = false;
      for (size_t k = 0; k < p->n && !wait; k++) {
        Change *y = &p->changes[k];
        if (k == i || done[k] || !(y->action == ACT_DELETE || deposed[k])) continue;
        wait = delete_after(c, y);
      }
      if (wait && !a.force_next) {
        blocked = true;
        continue;
      }
      a.force_next = false;
      if (plan_stop_requested) {
        a.halted = true;
        break;
      }
      progressed = true;
      if (c->action == ACT_DELETE && a.status[i] == 0) {
        /* an object still used by a dependent whose change failed stays */
        bool in_use = false;
        for (size_t k = 0; k < p->n && !in_use; k++)
          in_use = k != i && (a.status[k] >= 2 || kept[k]) && delete_after(c, &p->changes[k]);
        if (in_use) {
          kept[i] = 1;
          done[i] = 1;
          a.status[i] = 3;
          say(&a, c->addr, "Not destroying: a change that depends on it failed");
          continue;
        }
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
          done[i] = 1;
          say(&a, c->addr, "Keeping deposed object %s: a dependent change failed", deposed[i]);
          continue;
        }
      } else {
        done[i] = 1;
        continue;
      }
      if (sched_running(a.sched) >= par) break;
      started[i] = 1;
      a.inline_op = i;
      sched_start(a.sched, i, op_delete, &a.ops[i]);
    }
    for (size_t i = 0; i < p->n; i++) {
      if (!started[i] || done[i] || !sched_done(a.sched, i)) continue;
      done[i] = 1;
      bool ok = a.ops[i].ok;
      if (p->changes[i].action == ACT_DELETE) a.status[i] = ok ? 1 : 2;
      a.failed += !ok;
      a.destroyed += ok;
      progressed = true;
    }
    if (progressed) continue;
    if (sched_advance(a.sched)) continue;
    /* nothing runs and what is left waits on itself: a dependency cycle
    ** among the deletions; take them in reverse plan order */
    if (blocked && !a.halted) {
      a.force_next = true;
      continue;
    }
    break;
  }
  hooks_install(&a, false);
  sched_free(a.sched);
  a.sched = NULL;
  free(started);
  for (size_t i = 0; i < p->n; i++) free(a.ops[i].id);
  free(a.ops);
  free(done);
  free(kept);
  if (a.halted) {
    diag_add(d, DIAG_ERROR, NULL, "execution halted",
             "tfc stopped after an interrupt: every operation that had started finished and is recorded in the "
             "state; nothing else was started. Run the same command again to carry on.");
    a.failed++;
  }

  /* root outputs from the values everything really got */
  refresh_scopes(w);
  for (size_t i = 0; i < root->noutputs && !o->destroy; i++) {
    CfgOutput *co = &root->outputs[i];
    if (p->targeted && !plan_has_output(p, co->name)) continue;
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
    for (size_t i = 0; i < cur->noutputs && !p->targeted; i++)
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

int plan_import(const CfgResource *r, const char *module, const StKey *key, const char *id, StMgr *sm, Runtime *rt,
                FILE *out, bool color, DiagList *d) {
  Buf ab = BUF_INIT;
  if (module[0]) buf_printf(&ab, "%s.", module);
  buf_printf(&ab, "%s.%s", r->type, r->name);
  st_key_format(&ab, key);
  char *addr = buf_take(&ab);
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
  StResource *sr = st_find_resource(st_mgr_state(sm), module, ST_MANAGED, r->type, r->name);
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
  char *m = xstrdup(module);
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
