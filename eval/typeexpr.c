/*
** eval/typeexpr.c — type constraints written in configuration (a variable's
** `type = ...`) and the defaults of optional(T, default) attributes, as
** Terraform's typeexpr package reads and applies them.
*/
#include "eval/value_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "eval/eval.h"
#include "parser/ast.h"

/* Defaults for one level of a type: default values of optional object
** attributes, and the defaults of nested levels (per attribute name; the
** element of a collection under the name ""). */
struct TypeDefaults {
  const Type *type;
  size_t ndef;
  char **def_names;
  Value **def_vals;
  size_t nchild;
  char **child_names;
  TypeDefaults **children;
};

static const char *invalid = "Invalid type specification";

static const Expr *unparen(const Expr *e) {
  while (e && e->kind == EXPR_PAREN) e = e->u.paren;
  return e;
}

static bool name_is(HclStr s, const char *lit) {
  size_t n = strlen(lit);
  return s.len == n && memcmp(s.s, lit, n) == 0;
}

static TypeDefaults *td_new(const Type *t) {
  TypeDefaults *d = xcalloc(1, sizeof *d);
  d->type = t;
  return d;
}

void type_defaults_free(TypeDefaults *d) {
  if (!d) return;
  for (size_t i = 0; i < d->ndef; i++) {
    free(d->def_names[i]);
    val_free(d->def_vals[i]);
  }
  for (size_t i = 0; i < d->nchild; i++) {
    free(d->child_names[i]);
    type_defaults_free(d->children[i]);
  }
  free(d->def_names);
  free(d->def_vals);
  free(d->child_names);
  free(d->children);
  free(d);
}

static void td_child(TypeDefaults **parent, const Type *pt, const char *name, TypeDefaults *c) {
  if (!c) return;
  if (!*parent) *parent = td_new(pt);
  TypeDefaults *p = *parent;
  p->child_names = xrealloc(p->child_names, (p->nchild + 1) * sizeof *p->child_names);
  p->children = xrealloc(p->children, (p->nchild + 1) * sizeof *p->children);
  p->child_names[p->nchild] = xstrdup(name);
  p->children[p->nchild++] = c;
}

static const Type *parse(const Expr *e, bool constraint, TypeDefaults **defs, DiagList *diags);

static const Type *parse_object(const Expr *call, DiagList *diags, TypeDefaults **defs) {
  const char *msg =
      "Object type constructor requires a map whose keys are attribute names and whose values are the "
      "corresponding attribute types.";
  if (call->u.call.nargs != 1) {
    diag_error(diags, call->range, invalid, "%s", msg);
    return NULL;
  }
  const Expr *o = unparen(call->u.call.args[0]);
  if (o->kind != EXPR_OBJECT) {
    diag_error(diags, o->range, invalid, "%s", msg);
    return NULL;
  }
  size_t n = o->u.object.n;
  const char **names = xmalloc((n ? n : 1) * sizeof *names);
  const Type **types = xmalloc((n ? n : 1) * sizeof *types);
  bool *opt = xcalloc(n ? n : 1, sizeof *opt);
  Value **dvals = xcalloc(n ? n : 1, sizeof *dvals);
  TypeDefaults **kids = xcalloc(n ? n : 1, sizeof *kids);
  bool ok = true;
  Arena tmp;
  arena_init(&tmp);
  for (size_t i = 0; i < n && ok; i++) {
    const ObjItem *it = &o->u.object.v[i];
    const Expr *k = it->key;
    const char *name = NULL;
    HclStr text;
    if (it->key_bare && k->kind == EXPR_VARIABLE) {
      name = hcl_cstr(&tmp, k->u.name);
    } else if (hcl_tpl_text(k, &text)) {
      name = text.len ? hcl_cstr(&tmp, text) : "";
    } else {
      diag_error(diags, k->range, invalid, "Object constructor map keys must be attribute names.");
      ok = false;
      break;
    }
    for (size_t j = 0; j < i; j++)
      if (!strcmp(names[j], name)) {
        diag_error(diags, k->range, invalid, "Duplicate attribute name \"%s\".", name);
        ok = false;
      }
    names[i] = name;
    const Expr *v = unparen(it->value);
    if (v->kind == EXPR_CALL && name_is(v->u.call.name, "optional")) {
      size_t na = v->u.call.nargs;
      if (na < 1 || na > 2) {
        diag_error(diags, v->range, invalid,
                   "Optional attribute modifier requires the attribute type as its first argument, and "
                   "optionally a default value as its second argument.");
        ok = false;
        break;
      }
      opt[i] = true;
      types[i] = parse(v->u.call.args[0], true, &kids[i], diags);
      if (!types[i]) {
        ok = false;
        break;
      }
      if (na == 2) {
        DiagList d2 = {0};
        Value *dv = ev_eval_const(v->u.call.args[1], &d2);
        if (!dv) {
          diag_move(diags, &d2);
          ok = false;
          break;
        }
        diag_free(&d2);
        ValConvErr ce;
        Value *cv = val_convert(dv, types[i], &ce);
        val_free(dv);
        if (!cv) {
          char *t = val_conv_err_text(&ce);
          diag_error(diags, v->u.call.args[1]->range, "Invalid default value for optional attribute",
                     "This default value is not compatible with the attribute's type constraint: %s.", t);
          free(t);
          val_conv_err_free(&ce);
          ok = false;
          break;
        }
        dvals[i] = cv;
      }
    } else {
      types[i] = parse(v, true, &kids[i], diags);
      if (!types[i]) ok = false;
    }
  }
  const Type *r = NULL;
  if (ok) {
    r = type_object_opt(names, types, opt, n);
    for (size_t i = 0; i < n; i++) {
      if (dvals[i]) {
        if (!*defs) *defs = td_new(r);
        TypeDefaults *d = *defs;
        d->def_names = xrealloc(d->def_names, (d->ndef + 1) * sizeof *d->def_names);
        d->def_vals = xrealloc(d->def_vals, (d->ndef + 1) * sizeof *d->def_vals);
        d->def_names[d->ndef] = xstrdup(names[i]);
        d->def_vals[d->ndef++] = dvals[i];
        dvals[i] = NULL;
      }
      td_child(defs, r, names[i], kids[i]);
      kids[i] = NULL;
    }
  }
  for (size_t i = 0; i < n; i++) {
    val_free(dvals[i]);
    type_defaults_free(kids[i]);
  }
  arena_free(&tmp);
  free(names);
  free(types);
  free(opt);
  free(dvals);
  free(kids);
  return r;
}

static const Type *parse(const Expr *e, bool constraint, TypeDefaults **defs, DiagList *diags) {
  e = unparen(e);
  if (e->kind == EXPR_VARIABLE) {
    HclStr n = e->u.name;
    if (name_is(n, "string")) return T_STRING;
    if (name_is(n, "number")) return T_NUMBER;
    if (name_is(n, "bool")) return T_BOOL;
    if (name_is(n, "any")) {
      if (constraint) return T_DYNAMIC;
      diag_error(diags, e->range, invalid, "The keyword \"any\" cannot be used in this type specification: an exact type is required.");
      return NULL;
    }
    if (name_is(n, "list") || name_is(n, "map") || name_is(n, "set") || name_is(n, "tuple") ||
        name_is(n, "object")) {
      const char *what = name_is(n, "list") ? "list" : name_is(n, "map") ? "map" : name_is(n, "set") ? "set"
                         : name_is(n, "tuple")                          ? "tuple" : "object";
      if (!strcmp(what, "object"))
        diag_error(diags, e->range, invalid,
                   "The object type constructor requires one argument specifying the attribute types as a map.");
      else if (!strcmp(what, "tuple"))
        diag_error(diags, e->range, invalid,
                   "The tuple type constructor requires one argument specifying the element types as a list.");
      else
        diag_error(diags, e->range, invalid, "The %s type constructor requires one argument specifying the element type.", what);
      return NULL;
    }
    diag_error(diags, e->range, invalid, "The keyword \"%.*s\" is not a valid type specification.", (int)n.len, n.s);
    return NULL;
  }
  if (e->kind == EXPR_CALL) {
    HclStr n = e->u.call.name;
    bool is_list = name_is(n, "list"), is_set = name_is(n, "set"), is_map = name_is(n, "map");
    if (is_list || is_set || is_map) {
      const char *what = is_list ? "list" : is_set ? "set" : "map";
      if (e->u.call.nargs != 1) {
        diag_error(diags, e->range, invalid, "The %s type constructor requires one argument specifying the element type.", what);
        return NULL;
      }
      TypeDefaults *kid = NULL;
      const Type *el = parse(e->u.call.args[0], constraint, &kid, diags);
      if (!el) return NULL;
      const Type *r = is_list ? type_list(el) : is_set ? type_set(el) : type_map(el);
      td_child(defs, r, "", kid);
      return r;
    }
    if (name_is(n, "object")) return parse_object(e, diags, defs);
    if (name_is(n, "tuple")) {
      const Expr *a = e->u.call.nargs == 1 ? unparen(e->u.call.args[0]) : NULL;
      if (!a || a->kind != EXPR_TUPLE) {
        diag_error(diags, e->range, invalid, "The tuple type constructor requires one argument specifying the element types as a list.");
        return NULL;
      }
      size_t cnt = a->u.list.n;
      const Type **el = xmalloc((cnt ? cnt : 1) * sizeof *el);
      for (size_t i = 0; i < cnt; i++) {
        TypeDefaults *kid = NULL;
        el[i] = parse(a->u.list.v[i], constraint, &kid, diags);
        if (!el[i]) {
          free(el);
          return NULL;
        }
        if (kid) {
          char key[32];
          snprintf(key, sizeof key, "%zu", i);
          /* tuple element defaults are keyed by index */
          td_child(defs, T_DYNAMIC, key, kid);
        }
      }
      const Type *r = type_tuple(el, cnt);
      if (*defs) (*defs)->type = r;
      free(el);
      return r;
    }
    if (name_is(n, "optional")) {
      diag_error(diags, e->range, invalid, "Keyword \"optional\" is valid only as a modifier for object type attributes.");
      return NULL;
    }
    diag_error(diags, e->u.call.name_range, invalid, "Keyword \"%.*s\" is not a valid type constructor.", (int)n.len, n.s);
    return NULL;
  }
  diag_error(diags, e->range, invalid,
             "A type specification is either a primitive type keyword (bool, number, string) or a complex type "
             "constructor call, like list(string).");
  return NULL;
}

const Type *type_from_expr(const Expr *e, TypeDefaults **defaults, DiagList *diags) {
  TypeDefaults *d = NULL;
  if (defaults) *defaults = NULL;
  const Expr *u = unparen(e);
  /* Terraform's legacy forms: bare list and map mean "of any". */
  if (u->kind == EXPR_VARIABLE && name_is(u->u.name, "list")) return type_list(T_DYNAMIC);
  if (u->kind == EXPR_VARIABLE && name_is(u->u.name, "map")) return type_map(T_DYNAMIC);
  if (u->kind == EXPR_TEMPLATE && u->u.tpl.literal) {
    HclStr s = u->u.tpl.lit;
    const char *repl = name_is(s, "string") ? "string" : name_is(s, "list") ? "list(string)"
                       : name_is(s, "map")  ? "map(string)" : NULL;
    if (repl) {
      diag_error(diags, u->range, "Invalid quoted type constraints",
                 "Terraform 0.11 and earlier required type constraints to be given in quotes, but that form is "
                 "now deprecated and will be removed in a future version of Terraform. Remove the quotes around "
                 "\"%.*s\" and write %s instead.",
                 (int)s.len, s.s, repl);
      return NULL;
    }
  }
  const Type *t = parse(e, true, &d, diags);
  if (!t) {
    type_defaults_free(d);
    return NULL;
  }
  if (defaults) *defaults = d;
  else type_defaults_free(d);
  return t;
}

/* ------------------------------------------------------------ applying */

static TypeDefaults *child(const TypeDefaults *d, const char *name) {
  for (size_t i = 0; i < d->nchild; i++)
    if (!strcmp(d->child_names[i], name)) return d->children[i];
  return NULL;
}

static Value *apply(const TypeDefaults *d, const Value *v);

/* A list/set/map of vals when they share one type (after unification),
** else a tuple/object. */
static Value *rebuild(const Value *orig, Value **vals, const char **keys, size_t n) {
  const Type *t = orig->type;
  if (t->kind == TY_TUPLE) return val_tuple(vals, n);
  if (t->kind == TY_OBJECT) return val_object(keys, vals, n);
  if (n == 0) return val_ref(orig);
  const Type **ts = xmalloc(n * sizeof *ts);
  for (size_t i = 0; i < n; i++) ts[i] = vals[i]->type;
  const Type *u = type_unify(ts, n);
  free(ts);
  Value *r = NULL;
  if (u) {
    Value **cv = xmalloc(n * sizeof *cv);
    size_t ok = 0;
    for (; ok < n; ok++)
      if (!(cv[ok] = val_convert(vals[ok], u, NULL))) break;
    if (ok == n) {
      r = t->kind == TY_LIST ? val_list(u, cv, n) : t->kind == TY_SET ? val_set(u, cv, n) : val_map(u, keys, cv, n);
    }
    for (size_t i = 0; i < ok; i++) val_free(cv[i]);
    free(cv);
  }
  if (!r) r = t->kind == TY_MAP ? val_object(keys, vals, n) : val_tuple(vals, n);
  return r;
}

static Value *apply(const TypeDefaults *d, const Value *v) {
  if (!d || val_is_null(v) || !val_is_known(v) || (d->ndef == 0 && d->nchild == 0)) return val_ref(v);
  bool sens = val_is_sensitive(v);
  const Type *t = v->type;
  size_t n = val_len(v);
  Value *r = NULL;
  if (t->kind == TY_LIST || t->kind == TY_SET || t->kind == TY_TUPLE) {
    Value **el = xmalloc((n ? n : 1) * sizeof *el);
    for (size_t i = 0; i < n; i++) {
      char key[32];
      snprintf(key, sizeof key, "%zu", i);
      const TypeDefaults *c = d->type->kind == TY_TUPLE ? child(d, key) : child(d, "");
      el[i] = apply(c, v->u.coll.el[i]);
    }
    r = rebuild(v, el, NULL, n);
    for (size_t i = 0; i < n; i++) val_free(el[i]);
    free(el);
  } else if (t->kind == TY_OBJECT || t->kind == TY_MAP) {
    size_t cap = n + d->ndef;
    Value **el = xmalloc((cap ? cap : 1) * sizeof *el);
    const char **keys = xmalloc((cap ? cap : 1) * sizeof *keys);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
      const TypeDefaults *c = d->type->kind == TY_OBJECT ? child(d, v->u.coll.keys[i]) : child(d, "");
      keys[m] = v->u.coll.keys[i];
      el[m++] = apply(c, v->u.coll.el[i]);
    }
    for (size_t k = 0; k < d->ndef; k++) {
      size_t j = 0;
      while (j < m && strcmp(keys[j], d->def_names[k]) != 0) j++;
      if (j < m && !val_is_null(el[j])) continue;
      const TypeDefaults *c = child(d, d->def_names[k]);
      Value *dv = c ? apply(c, d->def_vals[k]) : val_ref(d->def_vals[k]);
      if (j < m) {
        val_free(el[j]);
        el[j] = dv;
      } else {
        keys[m] = d->def_names[k];
        el[m++] = dv;
      }
    }
    r = rebuild(v, el, keys, m);
    for (size_t i = 0; i < m; i++) val_free(el[i]);
    free(el);
    free(keys);
  } else {
    r = val_ref(v);
  }
  return sens ? val_take_sens(r, true) : r;
}

Value *val_apply_defaults(const Value *v, const TypeDefaults *d) { return apply(d, v); }
