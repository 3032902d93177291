/*
** eval/modtree.c — scopes for every module; see modtree.h.
*/
#include "eval/modtree.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>

static const char *const CALL_META[] = {"source", "version", "count", "for_each", "depends_on", "providers"};

static bool is_meta(HclStr n) {
  for (size_t i = 0; i < sizeof CALL_META / sizeof CALL_META[0]; i++)
    if (hcl_str_eq(n, CALL_META[i])) return true;
  return false;
}

/* Evaluates a call's arguments in the parent scope and sets the child's
** variables. */
static void bind_inputs(ModTree *parent, CfgModuleCall *c, ModTree *child, DiagList *d) {
  CfgModule *cm = child->mod;
  bool *given = xcalloc(cm->nvars + 1, sizeof *given);
  const char **names = xcalloc(cm->nvars + 1, sizeof *names);
  for (size_t i = 0; i < cm->nvars; i++) names[i] = cm->vars[i].name;
  /* count/for_each on the call: its instances are not known here, so
  ** count.index / each.* are unknown */
  modeval_set_instance(parent->me, c->count != NULL, NULL, c->for_each != NULL, NULL, NULL, NULL);
  for (size_t i = 0; i < c->body->nitems; i++) {
    const Attribute *a = c->body->items[i].attr;
    if (!a || is_meta(a->name)) continue;
    char *name = xstrndup(a->name.s, a->name.len);
    size_t k = 0;
    while (k < cm->nvars && strcmp(cm->vars[k].name, name) != 0) k++;
    if (k == cm->nvars) {
      const char *s = cfg_suggest(name, names, cm->nvars);
      if (s)
        diag_error(d, a->name_range, "Unsupported argument",
                   "An argument named \"%s\" is not expected here. Did you mean \"%s\"?", name, s);
      else
        diag_error(d, a->name_range, "Unsupported argument", "An argument named \"%s\" is not expected here.", name);
      free(name);
      continue;
    }
    given[k] = true;
    Value *v = modeval_expr(parent->me, a->expr, d);
    if (v) {
      CfgVariable *var = &cm->vars[k];
      Value *withdef = var->defaults ? val_apply_defaults(v, var->defaults) : val_ref(v);
      ValConvErr ce = {0};
      Value *cv = val_convert(withdef, var->type, &ce);
      if (!cv) {
        char *msg = val_conv_err_text(&ce);
        diag_error(d, a->expr->range, "Invalid value for input variable",
                   "The given value is not suitable for %s's input variable \"%s\": %s.", cm->addr, name, msg);
        free(msg);
        val_conv_err_free(&ce);
      } else if (val_is_null(cv) && !var->nullable) {
        val_free(cv);
        cv = var->default_value ? val_ref(var->default_value) : NULL;
        if (!cv)
          diag_error(d, a->expr->range, "Required variable not set",
                     "The value for %s's input variable \"%s\" must not be null.", cm->addr, name);
      }
      if (cv && var->sensitive) {
        Value *s = val_mark_sensitive(cv);
        val_free(cv);
        cv = s;
      }
      modeval_set_var(child->me, k, cv);
      val_free(withdef);
      val_free(v);
    }
    free(name);
  }
  modeval_clear_instance(parent->me);
  for (size_t k = 0; k < cm->nvars; k++) {
    if (given[k]) continue;
    if (cm->vars[k].default_value) modeval_set_var(child->me, k, val_ref(cm->vars[k].default_value));
    else if (!cm->vars[k].default_expr)
      diag_error(d, c->decl_range, "Missing required argument",
                 "The argument \"%s\" is required, but no definition was found.", cm->vars[k].name);
  }
  free(given);
  free(names);
}

static ModTree *build(CfgModule *m, ModTree *parent, const char *root_dir, const char *workspace, bool plan_time,
                      const ModEvalHooks *hooks) {
  ModTree *t = xcalloc(1, sizeof *t);
  t->mod = m;
  t->parent = parent;
  t->me = modeval_new(m, root_dir, workspace, plan_time);
  if (hooks) t->me->hooks = *hooks;
  t->children = xcalloc(m->ncalls + 1, sizeof *t->children);
  return t;
}

static void build_children(ModTree *t, const char *root_dir, const char *workspace, bool plan_time,
                           const ModEvalHooks *hooks) {
  for (size_t i = 0; i < t->mod->ncalls; i++) {
    CfgModuleCall *c = &t->mod->calls[i];
    if (!c->child) continue;
    t->children[i] = build(c->child, t, root_dir, workspace, plan_time, hooks);
    build_children(t->children[i], root_dir, workspace, plan_time, hooks);
  }
}

ModTree *modtree_new(CfgModule *root, Value **root_vars, const char *workspace, bool plan_time,
                     const ModEvalHooks *hooks) {
  ModTree *t = build(root, NULL, root->dir, workspace, plan_time, hooks);
  for (size_t i = 0; i < root->nvars; i++) modeval_set_var(t->me, i, root_vars ? root_vars[i] : NULL);
  free(root_vars);
  build_children(t, root->dir, workspace, plan_time, hooks);
  return t;
}

void modtree_bind_inputs(ModTree *t, DiagList *d) {
  for (size_t i = 0; i < t->mod->ncalls; i++) {
    if (!t->children[i]) continue;
    bind_inputs(t, &t->mod->calls[i], t->children[i], d);
    modtree_bind_inputs(t->children[i], d);
  }
}

void modtree_free(ModTree *t) {
  if (!t) return;
  for (size_t i = 0; i < t->mod->ncalls; i++) modtree_free(t->children[i]);
  free(t->children);
  modeval_free(t->me);
  free(t);
}

ModTree *modtree_find(ModTree *t, const CfgModule *m) {
  if (!t) return NULL;
  if (t->mod == m) return t;
  for (size_t i = 0; i < t->mod->ncalls; i++) {
    ModTree *r = modtree_find(t->children[i], m);
    if (r) return r;
  }
  return NULL;
}
