/*
** eval/modeval.c — the scope of one module instance; see modeval.h.
*/
#include "eval/modeval.h"
#include "base/buf.h"
#include "base/util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static Value *resolve(void *ud, const EvTraversal *t, size_t *consumed, DiagList *d);

ModEval *modeval_new(CfgModule *m, const char *root_dir, const char *workspace, bool plan_time) {
  ModEval *me = xcalloc(1, sizeof *me);
  me->mod = m;
  me->vars = xcalloc(m->nvars + 1, sizeof *me->vars);
  me->locals = xcalloc(m->nlocals + 1, sizeof *me->locals);
  me->lstate = xcalloc(m->nlocals + 1, 1);
  me->workspace = workspace ? workspace : "default";
  /* Terraform's path.module is relative to the working directory */
  me->path_module = xstrdup(m->dir);
  me->path_root = xstrdup(root_dir ? root_dir : ".");
  char cwd[PATH_MAX];
  me->path_cwd = xstrdup(getcwd(cwd, sizeof cwd) ? cwd : ".");
  me->fn.base_dir = me->path_module;
  me->fn.plan_time = plan_time;
  me->fn.render_template = ev_render_template;
  me->fn.ev = &me->scope;
  me->scope.resolve = resolve;
  me->scope.ud = me;
  me->scope.funcs = &ev_stdlib_funcs;
  me->scope.fn = &me->fn;
  return me;
}

void modeval_clear_instance(ModEval *me) {
  val_free(me->count_index);
  val_free(me->each_key);
  val_free(me->each_value);
  val_free(me->self);
  me->count_index = me->each_key = me->each_value = me->self = NULL;
  me->has_count = me->has_each = me->has_self = false;
}

void modeval_free(ModEval *me) {
  if (!me) return;
  modeval_clear_instance(me);
  for (size_t i = 0; i < me->mod->nvars; i++) val_free(me->vars[i]);
  for (size_t i = 0; i < me->mod->nlocals; i++) val_free(me->locals[i]);
  free(me->vars);
  free(me->locals);
  free(me->lstate);
  free(me->path_module);
  free(me->path_root);
  free(me->path_cwd);
  while (me->nsyms) modeval_pop_symbol(me);
  free(me->syms);
  free(me);
}

void modeval_set_var(ModEval *me, size_t index, Value *v) {
  val_free(me->vars[index]);
  me->vars[index] = v;
}

void modeval_set_instance(ModEval *me, bool counted, const Value *count_index, bool for_each, const Value *each_key,
                          const Value *each_value, const Value *self) {
  modeval_clear_instance(me);
  me->has_count = counted;
  me->count_index = count_index ? val_ref(count_index) : NULL;
  me->has_each = for_each;
  me->each_key = each_key ? val_ref(each_key) : NULL;
  me->each_value = each_value ? val_ref(each_value) : NULL;
  me->has_self = self != NULL;
  me->self = self ? val_ref(self) : NULL;
}

Value *modeval_expr(ModEval *me, const Expr *e, DiagList *d) { return ev_eval(e, &me->scope, d); }

void modeval_push_symbol(ModEval *me, const char *name, const Value *v) {
  struct ModSym s = {xstrdup(name), val_ref(v)};
  VEC_PUSH(me->syms, me->nsyms, me->capsyms, s);
}

void modeval_pop_symbol(ModEval *me) {
  if (!me->nsyms) return;
  me->nsyms--;
  free(me->syms[me->nsyms].name);
  val_free(me->syms[me->nsyms].value);
}

/* ---- locals, with cycle detection ---- */

static void report_cycle(ModEval *me, size_t index, DiagList *d) {
  /* every local still "in progress" is on the cycle's evaluation path */
  Buf b = BUF_INIT;
  for (size_t i = 0; i < me->mod->nlocals; i++)
    if (me->lstate[i] == 1) buf_printf(&b, "%slocal.%s", b.len ? ", " : "", me->mod->locals[i].name);
  diag_error(d, me->mod->locals[index].range, "Cycle in local values",
             "The local value \"%s\" depends on itself through this cycle: %s.", me->mod->locals[index].name, b.s);
  buf_free(&b);
}

Value *modeval_local(ModEval *me, size_t index, DiagList *d) {
  switch (me->lstate[index]) {
  case 2:
    return val_ref(me->locals[index]);
  case 1:
    report_cycle(me, index, d);
    return NULL;
  case 3:
    return val_unknown(T_DYNAMIC); /* already reported */
  default:
    break;
  }
  me->lstate[index] = 1;
  /* a local is evaluated outside any resource instance */
  bool hc = me->has_count, he = me->has_each, hs = me->has_self;
  me->has_count = me->has_each = me->has_self = false;
  DiagList ld = {0};
  Value *v = ev_eval(me->mod->locals[index].expr, &me->scope, &ld);
  me->has_count = hc;
  me->has_each = he;
  me->has_self = hs;
  diag_move(d, &ld);
  if (!v) {
    me->lstate[index] = 3;
    return NULL;
  }
  me->locals[index] = v;
  me->lstate[index] = 2;
  return val_ref(v);
}

/* ---- the resolver ---- */

static char *step_name(const EvTraversal *t, size_t i) {
  if (i >= t->nsteps || t->steps[i].kind != EV_STEP_ATTR) return NULL;
  return xstrndup(t->steps[i].name.s, t->steps[i].name.len);
}

static void invalid_ref(DiagList *d, SrcRange r, const char *detail) { diag_error(d, r, "Invalid reference", "%s", detail); }

static Value *resolve_var(ModEval *me, const EvTraversal *t, size_t *consumed, DiagList *d) {
  char *name = step_name(t, 0);
  if (!name) {
    invalid_ref(d, t->range, "The \"var\" object cannot be accessed directly. Instead, access one of its attributes.");
    return NULL;
  }
  CfgModule *m = me->mod;
  for (size_t i = 0; i < m->nvars; i++) {
    if (strcmp(m->vars[i].name, name) == 0) {
      free(name);
      *consumed = 1;
      Value *v = me->vars[i] ? val_ref(me->vars[i]) : val_unknown(m->vars[i].type);
      if (m->vars[i].sensitive && !val_is_sensitive(v)) {
        Value *s = val_mark_sensitive(v);
        val_free(v);
        v = s;
      }
      return v;
    }
  }
  const char **names = xcalloc(m->nvars + 1, sizeof *names);
  for (size_t i = 0; i < m->nvars; i++) names[i] = m->vars[i].name;
  const char *s = cfg_suggest(name, names, m->nvars);
  SrcRange r = src_span(t->root_range, t->steps[0].range);
  if (s)
    diag_error(d, r, "Reference to undeclared input variable",
               "An input variable with the name \"%s\" has not been declared. Did you mean \"%s\"?", name, s);
  else
    diag_error(d, r, "Reference to undeclared input variable",
               "An input variable with the name \"%s\" has not been declared. This variable can be declared with a "
               "variable \"%s\" {} block.", name, name);
  free(names);
  free(name);
  return NULL;
}

static Value *resolve_local(ModEval *me, const EvTraversal *t, size_t *consumed, DiagList *d) {
  char *name = step_name(t, 0);
  if (!name) {
    invalid_ref(d, t->range, "The \"local\" object cannot be accessed directly. Instead, access one of its attributes.");
    return NULL;
  }
  CfgModule *m = me->mod;
  for (size_t i = 0; i < m->nlocals; i++) {
    if (strcmp(m->locals[i].name, name) == 0) {
      free(name);
      *consumed = 1;
      return modeval_local(me, i, d);
    }
  }
  const char **names = xcalloc(m->nlocals + 1, sizeof *names);
  for (size_t i = 0; i < m->nlocals; i++) names[i] = m->locals[i].name;
  const char *s = cfg_suggest(name, names, m->nlocals);
  SrcRange r = src_span(t->root_range, t->steps[0].range);
  if (s)
    diag_error(d, r, "Reference to undeclared local value",
               "A local value with the name \"%s\" has not been declared. Did you mean \"%s\"?", name, s);
  else
    diag_error(d, r, "Reference to undeclared local value", "A local value with the name \"%s\" has not been declared.",
               name);
  free(names);
  free(name);
  return NULL;
}

/* A module call's value when no hook answers: an object with one unknown
** attribute per declared output, so misspelled outputs are still caught. */
static Value *unknown_module(const CfgModuleCall *c) {
  if (c->count || c->for_each || !c->child) return val_unknown(T_DYNAMIC);
  CfgModule *ch = c->child;
  const char **names = xcalloc(ch->noutputs + 1, sizeof *names);
  Value **vals = xcalloc(ch->noutputs + 1, sizeof *vals);
  for (size_t i = 0; i < ch->noutputs; i++) {
    names[i] = ch->outputs[i].name;
    vals[i] = val_unknown(T_DYNAMIC);
  }
  Value *o = val_object(names, vals, ch->noutputs);
  for (size_t i = 0; i < ch->noutputs; i++) val_free(vals[i]);
  free(names);
  free(vals);
  return o;
}

static Value *resolve_module(ModEval *me, const EvTraversal *t, size_t *consumed, DiagList *d) {
  char *name = step_name(t, 0);
  if (!name) {
    invalid_ref(d, t->range, "The \"module\" object cannot be accessed directly. Instead, access one of its attributes.");
    return NULL;
  }
  CfgModuleCall *c = cfg_call(me->mod, name);
  if (!c) {
    const char **names = xcalloc(me->mod->ncalls + 1, sizeof *names);
    for (size_t i = 0; i < me->mod->ncalls; i++) names[i] = me->mod->calls[i].name;
    const char *s = cfg_suggest(name, names, me->mod->ncalls);
    SrcRange r = src_span(t->root_range, t->steps[0].range);
    if (s)
      diag_error(d, r, "Reference to undeclared module", "No module call named \"%s\" is declared in %s. Did you mean \"%s\"?",
                 name, cfg_module_phrase(me->mod), s);
    else
      diag_error(d, r, "Reference to undeclared module", "No module call named \"%s\" is declared in %s.", name,
                 cfg_module_phrase(me->mod));
    free(names);
    free(name);
    return NULL;
  }
  free(name);
  *consumed = 1;
  SrcRange r = src_span(t->root_range, t->steps[0].range);
  if (me->hooks.module) return me->hooks.module(me->hooks.ud, me, c, r, d);
  return unknown_module(c);
}

static Value *resource_value(ModEval *me, const CfgResource *r, SrcRange rng, DiagList *d) {
  if (me->hooks.resource) return me->hooks.resource(me->hooks.ud, me, r, rng, d);
  if (r->count || r->for_each) return val_unknown(T_DYNAMIC);
  const Type *ty = me->hooks.resource_type ? me->hooks.resource_type(me->hooks.ud, r) : NULL;
  return val_unknown(ty ? ty : T_DYNAMIC);
}

static Value *resolve_resource(ModEval *me, CfgMode mode, const EvTraversal *t, size_t first, size_t *consumed,
                               DiagList *d) {
  char *type = mode == CFG_DATA ? step_name(t, 0) : xstrndup(t->root.s, t->root.len);
  char *name = step_name(t, first);
  if (!type || !name) {
    invalid_ref(d, t->range,
                mode == CFG_DATA
                    ? "The \"data\" object must be followed by two attribute names: the data source type and the resource name."
                    : "A reference to a resource type must be followed by at least one attribute access, specifying the "
                      "resource name.");
    free(type);
    free(name);
    return NULL;
  }
  CfgResource *r = cfg_resource(me->mod, mode, type, name);
  SrcRange rng = src_span(t->root_range, t->steps[first].range);
  if (!r) {
    if (mode == CFG_MANAGED)
      diag_error(d, rng, "Reference to undeclared resource", "A managed resource \"%s\" \"%s\" has not been declared in %s.",
                 type, name, cfg_module_phrase(me->mod));
    else
      diag_error(d, rng, "Reference to undeclared resource", "A data resource \"%s\" \"%s\" has not been declared in %s.",
                 type, name, cfg_module_phrase(me->mod));
    free(type);
    free(name);
    return NULL;
  }
  free(type);
  free(name);
  *consumed = first + 1;
  return resource_value(me, r, rng, d);
}

static Value *resolve(void *ud, const EvTraversal *t, size_t *consumed, DiagList *d) {
  ModEval *me = ud;
  HclStr root = t->root;
  *consumed = 0;
  for (size_t i = me->nsyms; i-- > 0;)
    if (hcl_str_eq(root, me->syms[i].name)) return val_ref(me->syms[i].value);
  if (hcl_str_eq(root, "var")) return resolve_var(me, t, consumed, d);
  if (hcl_str_eq(root, "local")) return resolve_local(me, t, consumed, d);
  if (hcl_str_eq(root, "module")) return resolve_module(me, t, consumed, d);
  if (hcl_str_eq(root, "data")) return resolve_resource(me, CFG_DATA, t, 1, consumed, d);
  if (hcl_str_eq(root, "path")) {
    char *n = step_name(t, 0);
    const char *v = NULL;
    if (n && strcmp(n, "module") == 0) v = me->path_module;
    else if (n && strcmp(n, "root") == 0) v = me->path_root;
    else if (n && strcmp(n, "cwd") == 0) v = me->path_cwd;
    free(n);
    if (!v) {
      invalid_ref(d, t->range, "The \"path\" object has the attributes \"module\", \"root\" and \"cwd\".");
      return NULL;
    }
    *consumed = 1;
    return val_cstring(v);
  }
  if (hcl_str_eq(root, "terraform")) {
    char *n = step_name(t, 0);
    bool ok = n && strcmp(n, "workspace") == 0;
    free(n);
    if (!ok) {
      invalid_ref(d, t->range, "The \"terraform\" object has only the attribute \"workspace\".");
      return NULL;
    }
    *consumed = 1;
    return val_cstring(me->workspace);
  }
  if (hcl_str_eq(root, "count")) {
    if (!me->has_count) {
      diag_error(d, t->range, "Reference to \"count\" in non-counted context",
                 "The \"count\" object can only be used in \"module\", \"resource\", and \"data\" blocks, and only when "
                 "the \"count\" argument is set.");
      return NULL;
    }
    char *n = step_name(t, 0);
    bool ok = n && strcmp(n, "index") == 0;
    free(n);
    if (!ok) {
      invalid_ref(d, t->range, "The \"count\" object has only the attribute \"index\".");
      return NULL;
    }
    *consumed = 1;
    return me->count_index ? val_ref(me->count_index) : val_unknown(T_NUMBER);
  }
  if (hcl_str_eq(root, "each")) {
    if (!me->has_each) {
      diag_error(d, t->range, "Reference to \"each\" in context without for_each",
                 "The \"each\" object can be used only in \"module\" or \"resource\" blocks, and only when the "
                 "\"for_each\" argument is set.");
      return NULL;
    }
    char *n = step_name(t, 0);
    Value *v = NULL;
    if (n && strcmp(n, "key") == 0) v = me->each_key ? val_ref(me->each_key) : val_unknown(T_STRING);
    else if (n && strcmp(n, "value") == 0) v = me->each_value ? val_ref(me->each_value) : val_unknown(T_DYNAMIC);
    free(n);
    if (!v) {
      invalid_ref(d, t->range, "The \"each\" object has the attributes \"key\" and \"value\".");
      return NULL;
    }
    *consumed = 1;
    return v;
  }
  if (hcl_str_eq(root, "self")) {
    if (!me->has_self) {
      invalid_ref(d, t->range, "The \"self\" object is not available in this context: it may be used only in "
                               "postconditions and provisioners.");
      return NULL;
    }
    return me->self ? val_ref(me->self) : val_unknown(T_DYNAMIC);
  }
  return resolve_resource(me, CFG_MANAGED, t, 0, consumed, d);
}

/* "FILE:L,C-L,C" for "checked by the validation rule at ...". */
static char *range_text(SrcRange r) {
  SrcFile *f = src_get(r.file);
  SrcPos a = src_pos(r.file, r.start), b = src_pos(r.file, r.end);
  return xasprintf("%s:%d,%d-%d,%d", f ? f->path : "?", a.line, a.column, b.line, b.column);
}

void modeval_check_vars(ModEval *me, DiagList *d) {
  CfgModule *m = me->mod;
  for (size_t i = 0; i < m->nvars; i++) {
    CfgVariable *v = &m->vars[i];
    for (size_t k = 0; k < v->nvalidations; k++) {
      CfgCheck *c = &v->validations[k];
      if (!c->condition) continue;
      Value *ok = modeval_expr(me, c->condition, d);
      if (!ok) continue;
      Value *b = val_convert(ok, T_BOOL, NULL);
      if (!b || val_is_null(b)) {
        diag_error(d, c->condition->range, "Invalid variable validation result",
                   "The validation condition must produce true or false, not null.");
      } else if (val_is_known(b) && !val_get_bool(b)) {
        char *msg = NULL;
        if (c->error_message) {
          DiagList md = {0};
          Value *mv = modeval_expr(me, c->error_message, &md);
          Value *ms = mv ? val_convert(mv, T_STRING, NULL) : NULL;
          if (ms && val_is_known(ms) && !val_is_null(ms)) msg = xstrdup(val_str(ms));
          val_free(ms);
          val_free(mv);
          diag_free(&md);
        }
        char *at = range_text(c->range);
        SrcRange subj = me->vars[i] ? v->decl_range : v->decl_range;
        diag_error(d, subj, "Invalid value for variable", "%s\n\nThis was checked by the validation rule at %s.",
                   msg ? msg : "The value is not valid.", at);
        free(at);
        free(msg);
      }
      val_free(b);
      val_free(ok);
    }
  }
}

long long modeval_count(const Value *v, SrcRange r, DiagList *d) {
  Value *num = val_convert(v, T_NUMBER, NULL);
  int64_t cnt = -1;
  if (!num || !val_is_known(num) || val_is_null(num) || !val_get_i64(num, &cnt) || cnt < 0) {
    diag_error(d, r, "Invalid count argument",
               (num && !val_is_known(num))
                   ? "The \"count\" value depends on resource attributes that cannot be determined until apply, so "
                     "Terraform cannot predict how many instances will be created. To work around this, use the "
                     "-target argument to first apply only the resources that the count depends on."
                   : "The given \"count\" argument value is unsuitable: must be a whole number greater than or "
                     "equal to zero.");
    cnt = -1;
  }
  val_free(num);
  return cnt;
}

bool modeval_for_each_ok(const Value *v, SrcRange r, const char *what, DiagList *d) {
  if (val_is_wholly_known(v) && !val_is_null(v) &&
      (val_kind(v) == TY_MAP || val_kind(v) == TY_OBJECT || val_kind(v) == TY_SET))
    return true;
  if (!val_is_wholly_known(v))
    diag_error(d, r, "Invalid for_each argument",
               "The \"for_each\" map includes keys derived from resource attributes that cannot be determined until "
               "apply, and so Terraform cannot determine the full set of keys that will identify the instances of "
               "this %s.", what);
  else
    diag_error(d, r, "Invalid for_each argument",
               "The given \"for_each\" argument value is unsuitable: the \"for_each\" argument must be a map, or "
               "set of strings.");
  return false;
}
