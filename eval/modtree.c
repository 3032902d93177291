/*
** eval/modtree.c — scopes for every module; see modtree.h.
*/
#include "eval/modtree.h"
#include "base/buf.h"
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
  /* count.index / each.* are this instance's, or unknown when the tree
  ** does not expand (one instance stands for all) */
  Value *ci = child->key_kind == MT_KEY_INT ? val_number_i64(child->key_i) : NULL;
  Value *ek = child->key_kind == MT_KEY_STR ? val_cstring(child->key_s) : NULL;
  modeval_set_instance(parent->me, c->count != NULL, ci, c->for_each != NULL, ek, child->each_value, NULL);
  val_free(ci);
  val_free(ek);
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

static ModTree *build(CfgModule *m, ModTree *parent, const ModEvalHooks *hooks, const char *root_dir,
                      const char *workspace, bool plan_time) {
  ModTree *t = xcalloc(1, sizeof *t);
  t->mod = m;
  t->parent = parent;
  t->me = modeval_new(m, root_dir, workspace, plan_time);
  if (hooks) t->me->hooks = *hooks;
  t->me->owner = t;
  t->calls = xcalloc(m->ncalls + 1, sizeof *t->calls);
  t->expand = parent ? parent->expand : false;
  return t;
}

ModTree *modtree_new(CfgModule *root, Value **root_vars, const char *workspace, bool plan_time, bool expand,
                     const ModEvalHooks *hooks) {
  ModTree *t = build(root, NULL, hooks, root->dir, workspace, plan_time);
  t->expand = expand;
  t->path = xstrdup("");
  for (size_t i = 0; i < root->nvars; i++) modeval_set_var(t->me, i, root_vars ? root_vars[i] : NULL);
  free(root_vars);
  return t;
}

/* One key of a call's expansion. */
typedef struct Key {
  ModKeyKind kind;
  long long i;
  char *s;
  Value *each;
} Key;

static void keys_free(Key *k, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(k[i].s);
    val_free(k[i].each);
  }
  free(k);
}

/* The keys of call c in parent: none (one instance), 0..count-1, or the
** for_each keys. false after a diagnostic (or silently when the value is
** not known yet, which the planner reports where it needs the instances). */
static bool call_keys(ModTree *parent, const CfgModuleCall *c, Key **out, size_t *n, DiagList *d) {
  *out = NULL;
  *n = 0;
  if (!parent->expand || (!c->count && !c->for_each)) {
    *out = xcalloc(1, sizeof **out);
    *n = 1;
    return true;
  }
  modeval_set_instance(parent->me, false, NULL, false, NULL, NULL, NULL);
  Value *v = modeval_expr(parent->me, c->count ? c->count : c->for_each, d);
  if (!v) return false;
  bool ok = true;
  if (c->count) {
    long long cnt = modeval_count(v, c->count->range, d);
    if (cnt < 0) {
      ok = false;
    } else {
      *out = xcalloc((size_t)cnt + 1, sizeof **out);
      for (long long i = 0; i < cnt; i++) {
        (*out)[i].kind = MT_KEY_INT;
        (*out)[i].i = i;
      }
      *n = (size_t)cnt;
    }
  } else if (!modeval_for_each_ok(v, c->for_each->range, "module call", d)) {
    ok = false;
  } else {
    *out = xcalloc(val_len(v) + 1, sizeof **out);
    ValIter it = val_iter(v);
    while (val_iter_next(&it)) {
      Key *k = &(*out)[(*n)++];
      k->kind = MT_KEY_STR;
      if (it.key) {
        k->s = xstrdup(it.key);
      } else {
        Value *sv = val_convert(it.elem, T_STRING, NULL);
        k->s = xstrdup(sv && val_is_known(sv) && !val_is_null(sv) ? val_str(sv) : "");
        val_free(sv);
      }
      k->each = val_ref(it.elem);
    }
  }
  val_free(v);
  modeval_clear_instance(parent->me);
  return ok;
}

static bool same_key(const ModTree *t, const Key *k) {
  if (t->key_kind != k->kind) return false;
  if (k->kind == MT_KEY_INT) return t->key_i == k->i;
  if (k->kind == MT_KEY_STR) return strcmp(t->key_s, k->s) == 0;
  return true;
}

/* Makes call i's instances those of keys, keeping the ones whose key stays. */
static void expand_call(ModTree *t, size_t i, Key *keys, size_t n) {
  CfgModuleCall *c = &t->mod->calls[i];
  ModCallInsts *ci = &t->calls[i];
  ModTree **v = xcalloc(n + 1, sizeof *v);
  for (size_t k = 0; k < n; k++) {
    for (size_t j = 0; j < ci->n; j++) {
      if (ci->v[j] && same_key(ci->v[j], &keys[k])) {
        v[k] = ci->v[j];
        ci->v[j] = NULL;
        break;
      }
    }
    if (!v[k]) {
      ModTree *ch = build(c->child, t, &t->me->hooks, t->me->path_root, t->me->workspace, t->me->fn.plan_time);
      ch->key_kind = keys[k].kind;
      ch->key_i = keys[k].i;
      ch->key_s = keys[k].s ? xstrdup(keys[k].s) : NULL;
      Buf b = BUF_INIT;
      buf_printf(&b, "%s%smodule.%s", t->path, t->path[0] ? "." : "", c->name);
      if (ch->key_kind == MT_KEY_INT) buf_printf(&b, "[%lld]", ch->key_i);
      else if (ch->key_kind == MT_KEY_STR) buf_put_index_key(&b, ch->key_s);
      ch->path = buf_take(&b);
      v[k] = ch;
    }
    val_free(v[k]->each_value);
    v[k]->each_value = keys[k].each ? val_ref(keys[k].each) : NULL;
  }
  for (size_t j = 0; j < ci->n; j++) modtree_free(ci->v[j]);
  free(ci->v);
  ci->v = v;
  ci->n = n;
}

void modtree_bind_inputs(ModTree *t, DiagList *d) {
  for (size_t i = 0; i < t->mod->ncalls; i++) {
    CfgModuleCall *c = &t->mod->calls[i];
    if (!c->child) continue;
    Key *keys;
    size_t n;
    bool ok = call_keys(t, c, &keys, &n, d);
    t->calls[i].unknown = !ok;
    expand_call(t, i, keys, ok ? n : 0);
    keys_free(keys, n);
    for (size_t k = 0; k < t->calls[i].n; k++) {
      bind_inputs(t, c, t->calls[i].v[k], d);
      modtree_bind_inputs(t->calls[i].v[k], d);
    }
  }
}

void modtree_free(ModTree *t) {
  if (!t) return;
  for (size_t i = 0; i < t->mod->ncalls; i++) {
    for (size_t k = 0; k < t->calls[i].n; k++) modtree_free(t->calls[i].v[k]);
    free(t->calls[i].v);
  }
  free(t->calls);
  if (t->user_free) t->user_free(t->user);
  modeval_free(t->me);
  free(t->key_s);
  val_free(t->each_value);
  free(t->path);
  free(t);
}

ModTree *modtree_find(ModTree *t, const CfgModule *m) {
  if (!t) return NULL;
  if (t->mod == m) return t;
  for (size_t i = 0; i < t->mod->ncalls; i++)
    for (size_t k = 0; k < t->calls[i].n; k++) {
      ModTree *r = modtree_find(t->calls[i].v[k], m);
      if (r) return r;
    }
  return NULL;
}

ModTree *modtree_find_path(ModTree *t, const char *path) {
  if (!t) return NULL;
  if (strcmp(t->path, path) == 0) return t;
  size_t n = strlen(t->path);
  if (strncmp(t->path, path, n) != 0) return NULL;
  for (size_t i = 0; i < t->mod->ncalls; i++)
    for (size_t k = 0; k < t->calls[i].n; k++) {
      ModTree *r = modtree_find_path(t->calls[i].v[k], path);
      if (r) return r;
    }
  return NULL;
}

ModTree *modtree_child(const ModTree *t, size_t call) {
  return call < t->mod->ncalls && t->calls[call].n ? t->calls[call].v[0] : NULL;
}

/* The object of one module instance's outputs. */
static Value *module_outputs(ModTree *t, DiagList *d) {
  CfgModule *m = t->mod;
  const char **names = xcalloc(m->noutputs + 1, sizeof *names);
  Value **vals = xcalloc(m->noutputs + 1, sizeof *vals);
  for (size_t i = 0; i < m->noutputs; i++) {
    names[i] = m->outputs[i].name;
    vals[i] = m->outputs[i].value ? modeval_expr(t->me, m->outputs[i].value, d) : NULL;
    if (!vals[i]) vals[i] = val_unknown(T_DYNAMIC);
    if (m->outputs[i].sensitive && !val_is_sensitive(vals[i])) {
      Value *sv = val_mark_sensitive(vals[i]);
      val_free(vals[i]);
      vals[i] = sv;
    }
  }
  Value *o = val_object(names, vals, m->noutputs);
  for (size_t i = 0; i < m->noutputs; i++) val_free(vals[i]);
  free(names);
  free(vals);
  return o;
}

Value *modtree_hook_module(void *ud, ModEvalRef me, const CfgModuleCall *c, SrcRange rng, DiagList *d) {
  (void)ud;
  (void)rng;
  ModTree *t = me->owner;
  size_t idx = (size_t)(c - t->mod->calls);
  if (idx >= t->mod->ncalls || t->calls[idx].unknown) return val_unknown(T_DYNAMIC);
  ModCallInsts *ci = &t->calls[idx];
  bool expanded = c->count || c->for_each;
  /* one instance standing for all of them says nothing about how many */
  if (expanded && !t->expand) return val_unknown(T_DYNAMIC);
  if (!expanded) return ci->n ? module_outputs(ci->v[0], d) : val_unknown(T_DYNAMIC);
  Value **vals = xcalloc(ci->n + 1, sizeof *vals);
  const char **keys = xcalloc(ci->n + 1, sizeof *keys);
  for (size_t i = 0; i < ci->n; i++) {
    vals[i] = module_outputs(ci->v[i], d);
    keys[i] = ci->v[i]->key_s;
  }
  Value *out = c->count ? val_tuple(vals, ci->n) : val_object(keys, vals, ci->n);
  for (size_t i = 0; i < ci->n; i++) val_free(vals[i]);
  free(vals);
  free(keys);
  return out;
}
