/*
** eval/eval.c — the expression evaluator (hclsyntax's Value methods).
**
** ev() returns an owned value or NULL after adding diagnostics. Where hcl
** evaluates every sub-expression to report all errors, so do we: children
** are evaluated before giving up. Unknown and sensitive handling follows
** hclsyntax + go-cty: operators unmark their operands and mark the result,
** unknown operands give unknown results of the operator's type.
*/
#include "eval/eval.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/util.h"
#include "eval/value_int.h"

/* A symbol bound by a for-expression or template for directive. */
typedef struct Sym {
  HclStr name;
  const Value *val;
  struct Sym *next;
} Sym;

typedef struct Ev {
  const EvScope *scope;
  DiagList *diags;
  Sym *syms;          /* innermost first */
  const Value *anon;  /* the current splat element */
  int depth;
  /* After an expression failed (returned NULL): the type of the placeholder
  ** hcl would have returned for it (an operator's result type, a tuple of its
  ** elements' types ...), which still matters when a conditional unifies
  ** its branches. err_node is the expression that set it. */
  const Type *err_type;
  const Expr *err_node;
} Ev;

/* Fails expression e with a placeholder of type t (see Ev.err_type). */
static Value *fail_as(Ev *E, const Expr *e, const Type *t) {
  E->err_type = t;
  E->err_node = e;
  return NULL;
}

static Value *ev(Ev *E, const Expr *e);

static bool hs_eq(HclStr a, HclStr b) { return a.len == b.len && memcmp(a.s, b.s, a.len) == 0; }

static const Sym *sym_find(const Ev *E, HclStr name) {
  for (const Sym *s = E->syms; s; s = s->next)
    if (hs_eq(s->name, name)) return s;
  return NULL;
}

static Diag *err(Ev *E, SrcRange r, const char *summary, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static Diag *err(Ev *E, SrcRange r, const char *summary, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *d = NULL;
  if (fmt) {
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    d = xmalloc((size_t)n + 1);
    vsnprintf(d, (size_t)n + 1, fmt, ap);
  }
  va_end(ap);
  Diag *dg = diag_error(E->diags, r, summary, "%s", d ? d : "");
  if (!d) {
    free(dg->detail);
    dg->detail = NULL;
  }
  free(d);
  return dg;
}

static Value *mark_if(Value *v, bool sens) { return (v && sens) ? val_take_sens(v, true) : v; }

static bool deep_sens(const Value *v) { return v && (v->flags & VF_DEEPSENS); }

/* ------------------------------------------------------------ literals */

static Value *small_ints[1025];
static pthread_once_t small_once = PTHREAD_ONCE_INIT;

static void small_init(void) {
  for (int i = 0; i < 1025; i++) {
    Value *v = val_num_int(i, VAL_PREC);
    atomic_store(&v->rc, VAL_IMMORTAL);
    small_ints[i] = v;
  }
}

static Value *eval_literal(const Expr *e) {
  switch (e->u.lit.kind) {
    case LIT_BOOL: return val_bool(e->u.lit.b);
    case LIT_NULL: return val_null(T_DYNAMIC);
    case LIT_NUMBER: {
      HclStr t = e->u.lit.text;
      if (t.len <= 4) {
        int x = 0;
        size_t i = 0;
        for (; i < t.len && t.s[i] >= '0' && t.s[i] <= '9'; i++) x = x * 10 + (t.s[i] - '0');
        if (i == t.len && t.len && x <= 1024) {
          pthread_once(&small_once, small_init);
          return small_ints[x];
        }
      }
      Value *v = val_number_parse(t.s, t.len);
      return v ? v : val_unknown(T_NUMBER);
    }
  }
  return val_null(T_DYNAMIC);
}

/* ------------------------------------------------------------ templates */

static Value *eval_parts(Ev *E, const TplList *parts, SrcRange whole);

/* The for-expression iteration over a known, non-null, unmarked collection. */
typedef struct Iter {
  const Value *coll;
  size_t i, n;
} Iter;

static bool iterable(const Type *t) {
  return t->kind == TY_LIST || t->kind == TY_SET || t->kind == TY_TUPLE || t->kind == TY_MAP ||
         t->kind == TY_OBJECT;
}

/* Key of element i: index for sequences, the element for sets, the key for
** maps and objects. */
static Value *iter_key(const Value *coll, size_t i) {
  switch (coll->type->kind) {
    case TY_SET: return val_ref(coll->u.coll.el[i]);
    case TY_MAP:
    case TY_OBJECT: return val_cstring(coll->u.coll.keys[i]);
    default: return val_num_int((int64_t)i, 64);
  }
}

/* Checks a for collection; returns 1 to iterate, 0 for an unknown (dynamic)
** result, -1 on error. */
static int check_coll(Ev *E, const Value *coll, const Expr *ce, SrcRange ctx) {
  if (coll->flags & VF_NULL) {
    Diag *d = err(E, ce->range, "Iteration over null value",
                  "A null value cannot be used as the collection in a 'for' expression.");
    diag_set_context(d, ctx);
    return -1;
  }
  if (coll->type == T_DYNAMIC) return 0;
  if (!iterable(coll->type)) {
    char *fn = type_friendly_name(coll->type);
    Diag *d = err(E, ce->range, "Iteration over non-iterable value",
                  "A value of type %s cannot be used as the collection in a 'for' expression.", fn);
    diag_set_context(d, ctx);
    free(fn);
    return -1;
  }
  if (coll->flags & VF_UNKNOWN) return 0;
  return 1;
}

static Value *to_string_part(Ev *E, const Value *v, SrcRange r, SrcRange ctx, bool *known, bool *sens, Buf *b,
                             const char *null_detail, const char *conv_prefix) {
  if (v->flags & VF_SENS) *sens = true;
  if (v->flags & VF_NULL) {
    Diag *d = err(E, r, "Invalid template interpolation value", "%s", null_detail);
    diag_set_context(d, ctx);
    return NULL;
  }
  if (v->flags & VF_UNKNOWN) {
    *known = false;
    return val_unknown(T_STRING);
  }
  ValConvErr ce;
  Value *s = val_convert(v, T_STRING, &ce);
  if (!s) {
    char *t = val_conv_err_text(&ce);
    Diag *d = err(E, r, "Invalid template interpolation value", "%s: %s.", conv_prefix, t);
    diag_set_context(d, ctx);
    free(t);
    val_conv_err_free(&ce);
    return NULL;
  }
  if (s->flags & VF_UNKNOWN) *known = false;
  else buf_add(b, s->u.str.s, s->u.str.len);
  return s;
}

static Value *tpl_if(Ev *E, const TplPart *p, SrcRange whole) {
  Value *t = eval_parts(E, &p->u.ifd->then_parts, p->range);
  Value *f = p->u.ifd->has_else ? eval_parts(E, &p->u.ifd->else_parts, p->range) : val_cstring("");
  Value *c = ev(E, p->u.ifd->cond);
  Value *res = NULL;
  if (!c || !t || !f) goto out;
  bool sens = (c->flags & VF_SENS) || (t->flags & VF_SENS) || (f->flags & VF_SENS);
  if (c->flags & VF_NULL) {
    Diag *d = err(E, p->u.ifd->cond->range, "Null condition",
                  "The condition value is null. Conditions must either be true or false.");
    diag_set_context(d, whole);
    goto out;
  }
  if (c->flags & VF_UNKNOWN) {
    res = mark_if(val_unknown(T_STRING), sens);
    goto out;
  }
  Value *cb = val_convert(c, T_BOOL, NULL);
  if (!cb) {
    Diag *d = err(E, p->u.ifd->cond->range, "Incorrect condition type", "The condition expression must be of type bool.");
    diag_set_context(d, whole);
    goto out;
  }
  res = mark_if(val_unmark(cb->u.b ? t : f), sens);
  val_free(cb);
out:
  val_free(c);
  val_free(t);
  val_free(f);
  return res;
}

static Value *tpl_for(Ev *E, const TplPart *p, SrcRange whole) {
  Value *coll = ev(E, p->u.ford->coll);
  if (!coll) return NULL;
  int st = check_coll(E, coll, p->u.ford->coll, whole);
  if (st <= 0) {
    bool s = coll->flags & VF_SENS;
    val_free(coll);
    return st < 0 ? NULL : mark_if(val_unknown(T_STRING), s);
  }
  bool sens = coll->flags & VF_SENS, known = true, failed = false;
  Buf b = BUF_INIT;
  size_t n = coll->u.coll.n;
  for (size_t i = 0; i < n; i++) {
    Value *k = p->u.ford->key_var.len ? iter_key(coll, i) : NULL;
    Sym sk = {p->u.ford->key_var, k, E->syms};
    Sym sv = {p->u.ford->val_var, coll->u.coll.el[i], k ? &sk : E->syms};
    Sym *save = E->syms;
    E->syms = &sv;
    Value *part = eval_parts(E, &p->u.ford->body, p->range);
    E->syms = save;
    val_free(k);
    if (!part) {
      failed = true;
      continue;
    }
    Value *s = to_string_part(E, part, p->range, whole, &known, &sens, &b,
                              "An iteration result is null. Cannot include a null value in a string template.",
                              "Cannot include one of the interpolation results into the string template");
    if (!s) failed = true;
    val_free(s);
    val_free(part);
  }
  val_free(coll);
  if (failed) {
    buf_free(&b);
    return NULL;
  }
  Value *r = known ? val_string(b.s ? b.s : "", b.len) : val_unknown(T_STRING);
  buf_free(&b);
  return mark_if(r, sens);
}

static Value *eval_parts(Ev *E, const TplList *parts, SrcRange whole) {
  Buf b = BUF_INIT;
  bool known = true, sens = false, failed = false;
  for (size_t i = 0; i < parts->n; i++) {
    const TplPart *p = &parts->v[i];
    Value *v = NULL;
    switch (p->kind) {
      case TPL_LITERAL: buf_add(&b, p->u.lit.s, p->u.lit.len); continue;
      case TPL_INTERP: v = ev(E, p->u.interp); break;
      case TPL_IF: v = tpl_if(E, p, whole); break;
      case TPL_FOR: v = tpl_for(E, p, whole); break;
    }
    if (!v) {
      failed = true;
      continue;
    }
    SrcRange r = p->kind == TPL_INTERP ? p->u.interp->range : p->range;
    Value *s = to_string_part(E, v, r, whole, &known, &sens, &b,
                              "The expression result is null. Cannot include a null value in a string template.",
                              "Cannot include the given value in a string template");
    if (!s) failed = true;
    val_free(s);
    val_free(v);
  }
  if (failed) {
    buf_free(&b);
    return NULL;
  }
  Value *r = known ? val_string(b.s ? b.s : "", b.len) : val_unknown(T_STRING);
  buf_free(&b);
  return mark_if(r, sens);
}

static Value *eval_template(Ev *E, const Expr *e) {
  if (e->u.tpl.literal) return val_string(e->u.tpl.lit.s, e->u.tpl.lit.len);
  const TplList *parts = &e->u.tpl.parts;
  if (parts->n == 1 && parts->v[0].kind == TPL_INTERP && !e->u.tpl.heredoc) return ev(E, parts->v[0].u.interp);
  if (parts->n == 1 && parts->v[0].kind == TPL_LITERAL) return val_string(parts->v[0].u.lit.s, parts->v[0].u.lit.len);
  return eval_parts(E, parts, e->range);
}

/* ------------------------------------------------------------ tuples, objects */

static Value *eval_tuple(Ev *E, const Expr *e) {
  size_t n = e->u.list.n;
  Value *stack[16] = {0};
  Value **el = n <= 16 ? stack : xmalloc(n * sizeof *el);
  const Type **types = xmalloc((n ? n : 1) * sizeof *types);
  bool failed = false;
  for (size_t i = 0; i < n; i++) {
    if (!(el[i] = ev(E, e->u.list.v[i]))) failed = true;
    types[i] = el[i] ? el[i]->type : E->err_type;
  }
  Value *r = failed ? fail_as(E, e, type_tuple(types, n)) : val_tuple(el, n);
  for (size_t i = 0; i < n; i++) val_free(el[i]);
  if (el != stack) free(el);
  free(types);
  return r;
}

static Value *eval_object(Ev *E, const Expr *e) {
  size_t n = e->u.object.n;
  Value **vals = xcalloc(n ? n : 1, sizeof *vals);
  Value **keys = xcalloc(n ? n : 1, sizeof *keys);
  const Type **vtypes = xcalloc(n ? n : 1, sizeof *vtypes);
  bool failed = false, key_failed = false, known = true, sens = false;
  for (size_t i = 0; i < n; i++) {
    const ObjItem *it = &e->u.object.v[i];
    Value *k;
    if (it->key_bare && it->key->kind == EXPR_VARIABLE) k = val_string(it->key->u.name.s, it->key->u.name.len);
    else k = ev(E, it->key);
    vals[i] = ev(E, it->value);
    vtypes[i] = vals[i] ? vals[i]->type : E->err_type;
    if (!vals[i]) failed = true;
    if (!k) {
      failed = key_failed = true;
      continue;
    }
    if (k->flags & VF_NULL) {
      err(E, it->value->range, "Null value as key", "Can't use a null value as a key.");
      failed = key_failed = true;
      val_free(k);
      continue;
    }
    if (k->flags & VF_SENS) sens = true;
    ValConvErr ce;
    Value *ks = val_convert(k, T_STRING, &ce);
    val_free(k);
    if (!ks) {
      char *t = val_conv_err_text(&ce);
      err(E, it->key->range, "Incorrect key type", "Can't use this value as a key: %s.", t);
      free(t);
      val_conv_err_free(&ce);
      failed = key_failed = true;
      continue;
    }
    if (ks->flags & VF_UNKNOWN) known = false;
    keys[i] = ks;
  }
  Value *r = NULL;
  if (!key_failed && known) {
    /* later items win over earlier ones with the same key */
    const char **names = xmalloc((n ? n : 1) * sizeof *names);
    Value **v2 = xmalloc((n ? n : 1) * sizeof *v2);
    const Type **t2 = xmalloc((n ? n : 1) * sizeof *t2);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
      bool later = false;
      for (size_t j = i + 1; j < n && !later; j++)
        if (keys[j]->u.str.len == keys[i]->u.str.len && !strcmp(keys[j]->u.str.s, keys[i]->u.str.s)) later = true;
      if (later) continue;
      names[m] = keys[i]->u.str.s;
      t2[m] = vtypes[i];
      v2[m++] = vals[i];
    }
    /* a failed value still gives the object its placeholder's type */
    if (failed) r = fail_as(E, e, type_object(names, t2, m));
    else r = mark_if(val_object(names, v2, m), sens);
    free(names);
    free(v2);
    free(t2);
  } else if (!failed) {
    r = mark_if(val_unknown(T_DYNAMIC), sens);
  }
  for (size_t i = 0; i < n; i++) {
    val_free(keys[i]);
    val_free(vals[i]);
  }
  free(keys);
  free(vals);
  free(vtypes);
  return r;
}

/* ------------------------------------------------------------ traversals */

static SrcRange attr_range(const Expr *e) {
  SrcRange r = e->u.getattr.name_range;
  if (r.start > 0) {
    SrcFile *f = src_get(r.file);
    if (f && r.start <= f->len && f->bytes[r.start - 1] == '.') r.start--;
  }
  return r;
}

/* The key of an index step if it is a literal, else NULL. */
static Value *static_key(const Expr *k) {
  while (k->kind == EXPR_PAREN) k = k->u.paren;
  if (k->kind == EXPR_LITERAL && k->u.lit.kind == LIT_NUMBER) return val_number_parse(k->u.lit.text.s, k->u.lit.text.len);
  HclStr s;
  if (k->kind == EXPR_TEMPLATE && !k->u.tpl.heredoc && hcl_tpl_text(k, &s)) return val_string(s.s, s.len);
  return NULL;
}

/* Applies one GETATTR or INDEX node to obj. */
static Value *apply_step(Ev *E, const Value *obj, const Expr *node) {
  if (node->kind == EXPR_GETATTR) {
    char nb[128];
    HclStr n = node->u.getattr.name;
    char *name = n.len < sizeof nb ? nb : xmalloc(n.len + 1);
    memcpy(name, n.s, n.len);
    name[n.len] = 0;
    Value *r = val_getattr(obj, name, attr_range(node), E->diags);
    if (name != nb) free(name);
    return r;
  }
  Value *k = ev(E, node->u.index.key);
  if (!k) return NULL;
  Value *r = val_index(obj, k, node->u.index.bracket_range, E->diags);
  val_free(k);
  return r;
}

#define MAX_CHAIN 256

static Value *eval_chain(Ev *E, const Expr *e) {
  const Expr *chain[MAX_CHAIN];
  size_t n = 0;
  const Expr *root = e;
  while ((root->kind == EXPR_GETATTR || root->kind == EXPR_INDEX) && n < MAX_CHAIN) {
    chain[n++] = root;
    root = root->kind == EXPR_GETATTR ? root->u.getattr.obj : root->u.index.obj;
  }
  /* chain[n-1] is applied first */
  Value *cur = NULL;
  size_t next = n; /* chain[next-1] is the next node to apply */
  if (root->kind == EXPR_VARIABLE && !sym_find(E, root->u.name)) {
    if (!E->scope || !E->scope->resolve) {
      err(E, root->range, "Variables not allowed", "Variables may not be used here.");
      for (size_t i = 0; i < n; i++)
        if (chain[i]->kind == EXPR_INDEX) val_free(ev(E, chain[i]->u.index.key));
      return NULL;
    }
    EvStep stack[16];
    EvStep *steps = n <= 16 ? stack : xmalloc(n * sizeof *steps);
    size_t ns = 0;
    SrcRange whole = root->range;
    for (size_t i = n; i > 0; i--) {
      const Expr *c = chain[i - 1];
      EvStep s;
      memset(&s, 0, sizeof s);
      if (c->kind == EXPR_GETATTR) {
        s.kind = EV_STEP_ATTR;
        s.name = c->u.getattr.name;
        s.range = attr_range(c);
      } else {
        s.kind = EV_STEP_INDEX;
        s.key = static_key(c->u.index.key);
        if (!s.key) break;
        s.range = c->u.index.bracket_range;
      }
      steps[ns++] = s;
      whole = src_span(whole, s.range);
    }
    EvTraversal t = {root->u.name, root->range, steps, ns, whole};
    size_t consumed = 0;
    cur = E->scope->resolve(E->scope->ud, &t, &consumed, E->diags);
    for (size_t i = 0; i < ns; i++) val_free(steps[i].key);
    if (steps != stack) free(steps);
    if (!cur) return NULL;
    if (consumed > ns) consumed = ns;
    next = n - consumed;
  } else {
    cur = ev(E, root);
    if (!cur) {
      for (size_t i = 0; i < n; i++)
        if (chain[i]->kind == EXPR_INDEX) val_free(ev(E, chain[i]->u.index.key));
      return NULL;
    }
  }
  while (next > 0) {
    Value *nv = apply_step(E, cur, chain[next - 1]);
    val_free(cur);
    if (!nv) return NULL;
    cur = nv;
    next--;
  }
  return cur;
}

static Value *eval_variable(Ev *E, const Expr *e) {
  const Sym *s = sym_find(E, e->u.name);
  if (s) return val_ref(s->val);
  return eval_chain(E, e);
}

/* ------------------------------------------------------------ operators */

static const char *operand_side(int side) {
  return side == 0 ? "left operand" : side == 1 ? "right operand" : "unary operand";
}

/* Converts an operand to its parameter type, reporting "Invalid operand". */
static Value *operand(Ev *E, const Value *v, const Type *t, const Expr *x, SrcRange ctx, int side) {
  if (!v) return NULL;
  ValConvErr ce;
  Value *r = val_convert(v, t, &ce);
  if (!r) {
    char *m = val_conv_err_text(&ce);
    Diag *d = err(E, x->range, "Invalid operand", "Unsuitable value for %s: %s.", operand_side(side), m);
    diag_set_context(d, ctx);
    free(m);
    val_conv_err_free(&ce);
  }
  return r;
}

static const Type *op_param(BinOp op) {
  switch (op) {
    case OP_OR:
    case OP_AND: return T_BOOL;
    case OP_EQ:
    case OP_NE: return T_DYNAMIC;
    default: return T_NUMBER;
  }
}

static const Type *op_result(BinOp op) {
  switch (op) {
    case OP_ADD:
    case OP_SUB:
    case OP_MUL:
    case OP_DIV:
    case OP_MOD: return T_NUMBER;
    default: return T_BOOL;
  }
}

static Value *op_failed(Ev *E, const Expr *e, const char *msg) {
  Diag *d = err(E, e->range, "Operation failed", "Error during operation: %s.", msg);
  (void)d;
  return NULL;
}

static Value *eval_binary(Ev *E, const Expr *e) {
  BinOp op = e->u.binary.op;
  const Type *pt = op_param(op);
  Value *lraw = ev(E, e->u.binary.l);
  Value *l = operand(E, lraw, pt, e->u.binary.l, e->range, 0);
  val_free(lraw);
  if ((op == OP_OR || op == OP_AND) && l && !(l->flags & (VF_UNKNOWN | VF_NULL | VF_SENS)) &&
      l->u.b == (op == OP_OR))
    return l; /* short circuit: the right side is not evaluated */
  Value *rraw = ev(E, e->u.binary.r);
  Value *r = operand(E, rraw, pt, e->u.binary.r, e->range, 1);
  val_free(rraw);
  Value *res = NULL;
  if (!l || !r) goto out;
  bool sens = deep_sens(l) || deep_sens(r);
  if (op == OP_EQ || op == OP_NE) {
    Value *eq = val_equals(l, r);
    if (op == OP_NE && val_is_known(eq)) {
      Value *ne = val_bool(!eq->u.b);
      res = mark_if(ne, val_is_sensitive(eq));
      val_free(eq);
    } else {
      res = eq;
    }
    goto out;
  }
  if (!(l->flags & VF_UNKNOWN) && !(r->flags & VF_UNKNOWN) && ((l->flags & VF_NULL) || (r->flags & VF_NULL))) {
    op_failed(E, e, "argument must not be null");
    goto out;
  }
  if ((l->flags & VF_UNKNOWN) || (r->flags & VF_UNKNOWN)) {
    res = mark_if(val_unknown(op_result(op)), sens);
    goto out;
  }
  switch (op) {
    case OP_OR: res = val_bool(l->u.b || r->u.b); break;
    case OP_AND: res = val_bool(l->u.b && r->u.b); break;
    case OP_LT: res = val_bool(val_num_cmp(l, r) < 0); break;
    case OP_LE: res = val_bool(val_num_cmp(l, r) <= 0); break;
    case OP_GT: res = val_bool(val_num_cmp(l, r) > 0); break;
    case OP_GE: res = val_bool(val_num_cmp(l, r) >= 0); break;
    default: {
      ValNumOp nop = op == OP_ADD ? VNUM_ADD : op == OP_SUB ? VNUM_SUB : op == OP_MUL ? VNUM_MUL
                     : op == OP_DIV ? VNUM_DIV : VNUM_MOD;
      char *m = NULL;
      res = val_num_op(nop, l, r, &m);
      if (!res) {
        op_failed(E, e, m);
        free(m);
      } else if (res->flags & VF_SENS) {
        /* x % 0 returns x itself, marks and all; marks are re-applied below */
        Value *u = val_unmark(res);
        val_free(res);
        res = u;
      }
    }
  }
  res = mark_if(res, sens);
out:
  val_free(l);
  val_free(r);
  return res;
}

static Value *eval_unary(Ev *E, const Expr *e) {
  bool not = e->u.unary.op == OP_NOT;
  Value *raw = ev(E, e->u.unary.e);
  Value *v = operand(E, raw, not ? T_BOOL : T_NUMBER, e->u.unary.e, e->range, 2);
  val_free(raw);
  if (!v) return NULL;
  bool sens = deep_sens(v);
  Value *res;
  if (v->flags & VF_UNKNOWN) {
    res = val_unknown(not ? T_BOOL : T_NUMBER);
  } else if (v->flags & VF_NULL) {
    val_free(v);
    return op_failed(E, e, "argument must not be null");
  } else if (not) {
    res = val_bool(!v->u.b);
  } else {
    Value *u = val_unmark(v);
    res = val_num_neg(u);
    val_free(u);
  }
  val_free(v);
  return mark_if(res, sens);
}

/* ------------------------------------------------------------ conditional */

static const char *type_word(const Type *t, char **tofree) {
  *tofree = type_friendly_name(t);
  return *tofree;
}

/* hcl's describeConditionalTypeMismatch. */
static char *describe_mismatch(const Type *t, const Type *f) {
  if (t->kind == TY_OBJECT && f->kind == TY_OBJECT) {
    for (size_t i = 0; i < t->n; i++) {
      const Type *fa = type_attr(f, t->names[i]);
      if (!fa)
        return xasprintf("The 'true' value includes object attribute \"%s\", which is absent in the 'false' value",
                         t->names[i]);
      if (fa != t->elems[i]) {
        char *inner = describe_mismatch(t->elems[i], fa);
        char *r = xasprintf("Type mismatch for object attribute \"%s\": %s", t->names[i], inner);
        free(inner);
        return r;
      }
    }
    for (size_t i = 0; i < f->n; i++)
      if (!type_attr(t, f->names[i]))
        return xasprintf("The 'false' value includes object attribute \"%s\", which is absent in the 'true' value",
                         f->names[i]);
  } else if (t->kind == TY_TUPLE && f->kind == TY_TUPLE) {
    if (t->n != f->n)
      return xasprintf("The 'true' tuple has length %zu, but the 'false' tuple has length %zu", t->n, f->n);
    for (size_t i = 0; i < t->n; i++)
      if (t->elems[i] != f->elems[i]) {
        char *inner = describe_mismatch(t->elems[i], f->elems[i]);
        char *r = xasprintf("Mismatched tuple element type at index %zu: %s", i, inner);
        free(inner);
        return r;
      }
  } else if (type_is_collection(t) && t->kind == f->kind &&
             ((t->elem->kind == TY_OBJECT && f->elem->kind == TY_OBJECT) ||
              (t->elem->kind == TY_TUPLE && f->elem->kind == TY_TUPLE))) {
    const char *noun = t->kind == TY_LIST ? "list" : t->kind == TY_SET ? "set" : "map";
    char *inner = describe_mismatch(t->elem, f->elem);
    char *r = xasprintf("Mismatched %s element types: %s", noun, inner);
    free(inner);
    return r;
  }
  char *a, *b;
  type_word(t, &a);
  type_word(f, &b);
  char *r;
  if (!strcmp(a, b))
    r = xstrdup("The 'true' and 'false' result expressions have types that are not compatible, but the types "
                "are identical when described in summary");
  else r = xasprintf("The 'true' value is %s, but the 'false' value is %s", a, b);
  free(a);
  free(b);
  return r;
}

static Value *eval_cond(Ev *E, const Expr *e) {
  DiagList td = {0}, fd = {0};
  Ev Et = *E, Ef = *E;
  Et.diags = &td;
  Ef.diags = &fd;
  Value *t = ev(&Et, e->u.cond.t);
  Value *f = ev(&Ef, e->u.cond.f);
  Value *tv = t ? t : val_unknown(Et.err_type);
  Value *fv = f ? f : val_unknown(Ef.err_type);
  const Type *rt = T_DYNAMIC;
  Value *res = NULL, *c = NULL;
  bool conv_t = false, conv_f = false;
  if ((tv->flags & VF_NULL) && tv->type == T_DYNAMIC && !(tv->flags & VF_SENS)) {
    rt = fv->type;
    conv_t = true;
  } else if ((fv->flags & VF_NULL) && fv->type == T_DYNAMIC && !(fv->flags & VF_SENS)) {
    rt = tv->type;
    conv_f = true;
  } else if (tv->type == T_DYNAMIC || fv->type == T_DYNAMIC) {
    rt = T_DYNAMIC;
  } else {
    const Type *ts[2] = {tv->type, fv->type};
    rt = type_unify(ts, 2);
    conv_t = conv_f = true;
    if (!rt) {
      char *m = describe_mismatch(tv->type, fv->type);
      Diag *d = err(E, src_span(e->u.cond.t->range, e->u.cond.f->range), "Inconsistent conditional result types",
                    "The true and false result expressions must have consistent types. %s.", m);
      diag_set_context(d, e->range);
      free(m);
      goto out;
    }
  }
  c = ev(E, e->u.cond.cond);
  if (!c) goto out;
  if (c->flags & VF_NULL) {
    Diag *d = err(E, e->u.cond.cond->range, "Null condition",
                  "The condition value is null. Conditions must either be true or false.");
    diag_set_context(d, e->range);
    goto out;
  }
  bool sens = (c->flags & VF_SENS) || (tv->flags & VF_SENS) || (fv->flags & VF_SENS);
  if (c->flags & VF_UNKNOWN) {
    if ((tv->flags & VF_NULL) && (fv->flags & VF_NULL)) res = mark_if(val_null(rt), sens);
    else res = mark_if(val_unknown(rt), sens);
    /* errors of either branch still count when the condition is unknown */
    if (!t || !f) {
      val_free(res);
      res = NULL;
      diag_move(E->diags, &td);
      diag_move(E->diags, &fd);
    }
    goto out;
  }
  Value *cb = val_convert(c, T_BOOL, NULL);
  if (!cb) {
    Diag *d = err(E, e->u.cond.cond->range, "Incorrect condition type", "The condition expression must be of type bool.");
    diag_set_context(d, e->range);
    goto out;
  }
  bool which = cb->u.b;
  val_free(cb);
  const Expr *be = which ? e->u.cond.t : e->u.cond.f;
  Value *bv = which ? t : f;
  diag_move(E->diags, which ? &td : &fd);
  if (!bv) goto out;
  Value *u = val_unmark(bv);
  if ((which ? conv_t : conv_f) && u->type != rt) {
    ValConvErr ce;
    Value *cv = val_convert(u, rt, &ce);
    val_free(u);
    if (!cv) {
      char *m = val_conv_err_text(&ce);
      Diag *d = err(E, be->range, "Inconsistent conditional result types", "The %s result value has the wrong type: %s.",
                    which ? "true" : "false", m);
      diag_set_context(d, e->range);
      free(m);
      val_conv_err_free(&ce);
      goto out;
    }
    u = cv;
  }
  res = mark_if(u, sens);
out:
  diag_free(&td);
  diag_free(&fd);
  val_free(c);
  val_free(tv);
  val_free(fv);
  if (!res) return fail_as(E, e, rt ? rt : T_DYNAMIC);
  return res;
}

/* ------------------------------------------------------------ for */

typedef struct KeyIdx {
  const Value *key; /* a known string */
  size_t idx;
} KeyIdx;

static int keyidx_cmp(const void *a, const void *b) {
  const KeyIdx *x = a, *y = b;
  size_t n = x->key->u.str.len < y->key->u.str.len ? x->key->u.str.len : y->key->u.str.len;
  int c = memcmp(x->key->u.str.s, y->key->u.str.s, n);
  if (!c) c = (x->key->u.str.len > y->key->u.str.len) - (x->key->u.str.len < y->key->u.str.len);
  if (!c) c = (x->idx > y->idx) - (x->idx < y->idx);
  return c;
}

static bool keyidx_same(const KeyIdx *x, const KeyIdx *y) {
  return x->key->u.str.len == y->key->u.str.len && !memcmp(x->key->u.str.s, y->key->u.str.s, x->key->u.str.len);
}

static Value *eval_for(Ev *E, const Expr *e) {
  const Expr *ce = e->u.forx.coll;
  Value *coll = ev(E, ce);
  if (!coll) return NULL;
  HclStr kv = e->u.forx.key_var, vv = e->u.forx.val_var;
  bool sens = false;
  /* early check of the condition with unknown symbols, as hcl does */
  if (e->u.forx.cond) {
    Value *dyn = val_unknown(T_DYNAMIC);
    Sym sk = {kv, dyn, E->syms};
    Sym sv = {vv, dyn, kv.len ? &sk : E->syms};
    Sym *save = E->syms;
    E->syms = &sv;
    size_t before = E->diags->nerrors;
    Value *c = ev(E, e->u.forx.cond);
    E->syms = save;
    if (!c || E->diags->nerrors > before) {
      val_free(c);
      val_free(coll);
      return NULL;
    }
    if (c->flags & VF_NULL) {
      Diag *d = err(E, e->u.forx.cond->range, "Condition is null", "The value of the 'if' clause must not be null.");
      diag_set_context(d, e->range);
      val_free(c);
      val_free(coll);
      return NULL;
    }
    ValConvErr cerr;
    Value *cb = val_convert(c, T_BOOL, &cerr);
    if (!cb) {
      char *m = val_conv_err_text(&cerr);
      Diag *d = err(E, e->u.forx.cond->range, "Invalid 'for' condition", "The 'if' clause value is invalid: %s.", m);
      diag_set_context(d, e->range);
      free(m);
      val_conv_err_free(&cerr);
      val_free(c);
      val_free(coll);
      return NULL;
    }
    if (c->flags & VF_SENS) sens = true;
    val_free(cb);
    val_free(c);
  }
  int st = check_coll(E, coll, ce, e->range);
  if (st <= 0) {
    bool s = sens || (coll->flags & VF_SENS);
    val_free(coll);
    return st < 0 ? NULL : mark_if(val_unknown(T_DYNAMIC), s);
  }
  if (coll->flags & VF_SENS) sens = true;
  size_t n = coll->u.coll.n;
  Value **vals = xmalloc((n ? n : 1) * sizeof *vals);
  Value **keys = e->u.forx.object ? xmalloc((n ? n : 1) * sizeof *keys) : NULL;
  const Type **vtypes = xmalloc((n ? n : 1) * sizeof *vtypes);
  size_t m = 0;
  bool known = true, failed = false, value_only = true;
  Sym *save = E->syms;
  for (size_t i = 0; i < n; i++) {
    Value *k = kv.len ? iter_key(coll, i) : NULL;
    Sym sk = {kv, k, save};
    Sym sv = {vv, coll->u.coll.el[i], k ? &sk : save};
    E->syms = &sv;
    if (e->u.forx.cond) {
      Value *c = ev(E, e->u.forx.cond);
      if (!c) {
        failed = true;
        value_only = false;
        goto next;
      }
      if (c->flags & VF_NULL) {
        if (known) {
          Diag *d = err(E, e->u.forx.cond->range, "Invalid 'for' condition", "The value of the 'if' clause must not be null.");
          diag_set_context(d, e->range);
        }
        known = false;
        failed = true;
        value_only = false;
        val_free(c);
        goto next;
      }
      ValConvErr cerr;
      Value *cb = val_convert(c, T_BOOL, &cerr);
      val_free(c);
      if (!cb) {
        if (known) {
          char *mm = val_conv_err_text(&cerr);
          Diag *d = err(E, e->u.forx.cond->range, "Invalid 'for' condition", "The 'if' clause value is invalid: %s.", mm);
          diag_set_context(d, e->range);
          free(mm);
        }
        val_conv_err_free(&cerr);
        known = false;
        failed = true;
        value_only = false;
        goto next;
      }
      if (cb->flags & VF_UNKNOWN) {
        known = false;
        val_free(cb);
        goto next;
      }
      if (cb->flags & VF_SENS) sens = true;
      bool inc = cb->u.b;
      val_free(cb);
      if (!inc) goto next;
    }
    if (e->u.forx.object) {
      Value *kr = ev(E, e->u.forx.key);
      if (!kr) {
        failed = true;
        value_only = false;
        Value *vx = ev(E, e->u.forx.value);
        val_free(vx);
        goto next;
      }
      if (kr->flags & VF_NULL) {
        if (known) {
          Diag *d = err(E, e->u.forx.key->range, "Invalid object key", "Key expression in 'for' expression must not produce a null value.");
          diag_set_context(d, e->range);
        }
        known = false;
        failed = true;
        value_only = false;
        val_free(kr);
        goto next;
      }
      if (kr->flags & VF_UNKNOWN) {
        known = false;
        if (kr->flags & VF_SENS) sens = true;
        val_free(kr);
        goto next;
      }
      ValConvErr cerr;
      Value *ks = val_convert(kr, T_STRING, &cerr);
      val_free(kr);
      if (!ks) {
        if (known) {
          char *mm = val_conv_err_text(&cerr);
          Diag *d = err(E, e->u.forx.key->range, "Invalid object key", "The key expression produced an invalid result: %s.", mm);
          diag_set_context(d, e->range);
          free(mm);
        }
        val_conv_err_free(&cerr);
        known = false;
        failed = true;
        value_only = false;
        goto next;
      }
      if (ks->flags & VF_SENS) sens = true;
      Value *vx = ev(E, e->u.forx.value);
      if (!vx) failed = true;
      keys[m] = ks;
      vtypes[m] = vx ? vx->type : E->err_type;
      vals[m++] = vx;
    } else {
      Value *vx = ev(E, e->u.forx.value);
      if (!vx) failed = true;
      vtypes[m] = vx ? vx->type : E->err_type;
      vals[m++] = vx;
    }
  next:
    E->syms = save;
    val_free(k);
  }
  E->syms = save;
  Value *res = NULL;
  if (failed) {
    /* only values failed: hcl still builds the tuple/object around their
    ** placeholders, whose types matter to an enclosing conditional */
    if (value_only && known && !e->u.forx.group && m <= 1000) {
      if (!e->u.forx.object) {
        res = fail_as(E, e, type_tuple(vtypes, m));
      } else {
        const char **names = xmalloc((m ? m : 1) * sizeof *names);
        const Type **tt = xmalloc((m ? m : 1) * sizeof *tt);
        size_t u = 0;
        for (size_t i = 0; i < m; i++) {
          bool seen = false;
          for (size_t j = 0; j < u && !seen; j++) seen = !strcmp(names[j], keys[i]->u.str.s);
          if (seen) continue;
          names[u] = keys[i]->u.str.s;
          tt[u++] = vtypes[i];
        }
        res = fail_as(E, e, type_object(names, tt, u));
        free(names);
        free(tt);
      }
    }
  } else if (!known) {
    res = mark_if(val_unknown(T_DYNAMIC), sens);
  } else if (!e->u.forx.object) {
    res = mark_if(val_tuple(vals, m), sens);
  } else {
    /* Items sorted by key, then by iteration order: equal keys are adjacent,
    ** which finds duplicates and forms groups without quadratic work. */
    KeyIdx *ord = xmalloc((m ? m : 1) * sizeof *ord);
    for (size_t i = 0; i < m; i++) {
      ord[i].key = keys[i];
      ord[i].idx = i;
    }
    qsort(ord, m, sizeof *ord, keyidx_cmp);
    const char **names = xmalloc((m ? m : 1) * sizeof *names);
    Value **out = xmalloc((m ? m : 1) * sizeof *out);
    Value **tmp = xmalloc((m ? m : 1) * sizeof *tmp);
    size_t g = 0;
    for (size_t i = 0; i < m;) {
      size_t j = i + 1;
      while (j < m && keyidx_same(&ord[i], &ord[j])) j++;
      if (e->u.forx.group) {
        for (size_t k = i; k < j; k++) tmp[k - i] = vals[ord[k].idx];
        names[g] = ord[i].key->u.str.s;
        out[g++] = val_tuple(tmp, j - i);
      } else {
        for (size_t k = i + 1; k < j; k++) {
          Diag *d = err(E, e->u.forx.key->range, "Duplicate object key",
                        "Two different items produced the key \"%s\" in this 'for' expression. If duplicates are "
                        "expected, use the ellipsis (...) after the value expression to enable grouping by key.",
                        ord[k].key->u.str.s);
          diag_set_context(d, e->range);
          failed = true;
        value_only = false;
        }
        names[g] = ord[i].key->u.str.s;
        out[g++] = val_ref(vals[ord[i].idx]);
      }
      i = j;
    }
    if (!failed) res = mark_if(val_object(names, out, g), sens);
    for (size_t i = 0; i < g; i++) val_free(out[i]);
    free(names);
    free(out);
    free(tmp);
    free(ord);
  }
  for (size_t i = 0; i < m; i++) {
    val_free(vals[i]);
    if (keys) val_free(keys[i]);
  }
  free(vals);
  free(keys);
  free(vtypes);
  val_free(coll);
  return res;
}

/* ------------------------------------------------------------ splat */

static Value *splat_each(Ev *E, const Expr *each, const Value *item) {
  const Value *save = E->anon;
  E->anon = item;
  Value *r = ev(E, each);
  E->anon = save;
  return r;
}

/* The result type of the splat when the source is unknown or empty. */
static const Type *splat_type(Ev *E, const Expr *each, const Type *st) {
  DiagList tmp = {0};
  Ev E2 = *E;
  E2.diags = &tmp;
  const Type *r = T_DYNAMIC;
  if (st->kind == TY_LIST || st->kind == TY_SET) {
    Value *u = val_unknown(st->elem);
    Value *v = splat_each(&E2, each, u);
    r = type_list(v ? v->type : T_DYNAMIC);
    val_free(v);
    val_free(u);
  } else if (st->kind == TY_TUPLE) {
    const Type **ts = xmalloc((st->n ? st->n : 1) * sizeof *ts);
    for (size_t i = 0; i < st->n; i++) {
      Value *u = val_unknown(st->elems[i]);
      Value *v = splat_each(&E2, each, u);
      ts[i] = v ? v->type : T_DYNAMIC;
      val_free(v);
      val_free(u);
    }
    r = type_tuple(ts, st->n);
    free(ts);
  }
  diag_free(&tmp);
  return r;
}

static Value *eval_splat(Ev *E, const Expr *e) {
  const Expr *inner = e->u.splat.src;
  if (inner->kind == EXPR_SPLAT && !inner->u.splat.attr_only && !e->u.splat.attr_only) {
    /* A[*].b[*]: the second splat is part of the first one's traversal, so
    ** it applies to each element's .b (as hcl nests them), not to the list
    ** the first splat produced. Rebuilt on the stack: nothing keeps them. */
    Expr each = *e;
    each.u.splat.src = inner->u.splat.each;
    Expr outer = *inner;
    outer.u.splat.each = &each;
    outer.range = e->range;
    return eval_splat(E, &outer);
  }
  Value *src = ev(E, e->u.splat.src);
  if (!src) {
    DiagList tmp = {0};
    Ev E2 = *E;
    E2.diags = &tmp;
    Value *u = val_unknown(T_DYNAMIC);
    val_free(splat_each(&E2, e->u.splat.each, u));
    val_free(u);
    diag_free(&tmp);
    return NULL;
  }
  const Type *st = src->type;
  bool upgrade = !(st->kind == TY_TUPLE || st->kind == TY_LIST || st->kind == TY_SET);
  bool sens = src->flags & VF_SENS;
  if (src->flags & VF_NULL) {
    val_free(src);
    if (upgrade) return mark_if(val_empty_tuple(), sens);
    Diag *d = err(E, e->u.splat.src->range, "Splat of null value",
                  "Splat expressions (with the * symbol) cannot be applied to null sequences.");
    diag_set_context(d, src_span(e->u.splat.src->range, e->u.splat.marker_range));
    return NULL;
  }
  if (st == T_DYNAMIC) {
    val_free(src);
    return mark_if(val_unknown(T_DYNAMIC), sens);
  }
  /* An unknown single value may turn out null (no elements) or not (one):
  ** the result is unknown, but the traversal is still checked below. */
  bool upgraded_unknown = upgrade && (src->flags & VF_UNKNOWN);
  if (upgrade) {
    Value *u = val_unmark(src);
    Value *t = val_tuple(&u, 1);
    val_free(u);
    val_free(src);
    src = t;
    st = src->type;
  }
  if (src->flags & VF_UNKNOWN) {
    const Type *rt = splat_type(E, e->u.splat.each, st);
    val_free(src);
    return mark_if(val_unknown(rt), sens);
  }
  size_t n = src->u.coll.n;
  Value **vals = xmalloc((n ? n : 1) * sizeof *vals);
  bool failed = false;
  for (size_t i = 0; i < n; i++) {
    vals[i] = splat_each(E, e->u.splat.each, src->u.coll.el[i]);
    if (!vals[i]) failed = true;
  }
  Value *res = NULL;
  if (failed) {
    for (size_t i = 0; i < n; i++) val_free(vals[i]);
    free(vals);
    val_free(src);
    return fail_as(E, e, splat_type(E, e->u.splat.each, st));
  }
  if (upgraded_unknown) {
    res = mark_if(val_unknown(T_DYNAMIC), sens);
  } else {
    if (st->kind == TY_LIST || st->kind == TY_SET) {
      if (n == 0) {
        const Type *rt = splat_type(E, e->u.splat.each, st);
        res = val_list(rt->elem, NULL, 0);
      } else {
        bool same = true;
        for (size_t i = 1; i < n; i++)
          if (vals[i]->type != vals[0]->type) same = false;
        if (same) {
          res = val_list(vals[0]->type, vals, n);
        } else {
          Value *tup = val_tuple(vals, n);
          res = val_convert(tup, type_list(T_DYNAMIC), NULL);
          if (!res) res = val_ref(tup);
          val_free(tup);
        }
      }
    } else {
      res = val_tuple(vals, n);
    }
    res = mark_if(res, sens);
  }
  for (size_t i = 0; i < n; i++) val_free(vals[i]);
  free(vals);
  val_free(src);
  return res;
}

/* ------------------------------------------------------------ calls */

static bool call_is(const Expr *e, const char *name) {
  HclStr n = e->u.call.name;
  if (n.len > 6 && !memcmp(n.s, "core::", 6)) {
    n.s += 6;
    n.len -= 6;
  }
  return hcl_str_eq(n, name);
}

static Value *eval_try(Ev *E, const Expr *e) {
  DiagList all = {0};
  if (e->u.call.nargs == 0) {
    err(E, e->range, "Not enough function arguments", "Function \"try\" expects at least 1 argument(s). Missing value for \"expressions\".");
    return NULL;
  }
  for (size_t i = 0; i < e->u.call.nargs; i++) {
    DiagList d = {0};
    Ev E2 = *E;
    E2.diags = &d;
    Value *v = ev(&E2, e->u.call.args[i]);
    if (v && !diag_has_errors(&d)) {
      diag_free(&d);
      diag_free(&all);
      if (!val_is_wholly_known(v)) {
        bool s = val_has_sensitive(v);
        val_free(v);
        return mark_if(val_unknown(T_DYNAMIC), s);
      }
      return v;
    }
    val_free(v);
    diag_move(&all, &d);
    diag_free(&d);
  }
  Buf b = BUF_INIT;
  buf_puts(&b, "no expression succeeded:\n");
  for (size_t i = 0; i < all.n; i++) {
    const Diag *d = &all.v[i];
    if (d->has_subject) {
      SrcPos p = src_pos(d->subject.file, d->subject.start), q = src_pos(d->subject.file, d->subject.end);
      SrcFile *f = src_get(d->subject.file);
      buf_printf(&b, "- %s (at %s:%d,%d-%d)\n  %s\n", d->summary, f ? f->path : "", p.line, p.column,
                 q.line == p.line ? q.column : q.column, d->detail ? d->detail : "");
    } else {
      buf_printf(&b, "- %s\n  %s\n", d->summary, d->detail ? d->detail : "");
    }
  }
  buf_puts(&b, "\nAt least one expression must produce a successful result");
  err(E, e->range, "Error in function call", "Call to function \"try\" failed: %s.", b.s);
  buf_free(&b);
  diag_free(&all);
  return NULL;
}

static Value *eval_can(Ev *E, const Expr *e) {
  if (e->u.call.nargs != 1) {
    err(E, e->range, e->u.call.nargs ? "Too many function arguments" : "Not enough function arguments",
        e->u.call.nargs ? "Function \"can\" expects only 1 argument(s)." : "Function \"can\" expects 1 argument(s). Missing value for \"expression\".");
    return NULL;
  }
  DiagList d = {0};
  Ev E2 = *E;
  E2.diags = &d;
  Value *v = ev(&E2, e->u.call.args[0]);
  bool ok = v && !diag_has_errors(&d);
  diag_free(&d);
  Value *r;
  if (ok && !val_is_wholly_known(v)) r = val_unknown(T_BOOL);
  else r = val_bool(ok);
  val_free(v);
  return r;
}

/* convert(value, type): the second argument is a type constraint, not a
** value, so it is read from the syntax tree like a variable's type. */
static Value *eval_convert(Ev *E, const Expr *e) {
  if (e->u.call.nargs != 2) {
    err(E, e->range, e->u.call.nargs > 2 ? "Too many function arguments" : "Not enough function arguments",
        e->u.call.nargs > 2 ? "Function \"convert\" expects only 2 argument(s)."
                            : "Function \"convert\" expects 2 argument(s). Missing value for \"%s\".",
        e->u.call.nargs ? "type" : "value");
    return NULL;
  }
  const Type *t = type_from_expr(e->u.call.args[1], NULL, E->diags);
  if (!t) return NULL;
  Value *v = ev(E, e->u.call.args[0]);
  if (!v) return NULL;
  ValConvErr ce = {0};
  Value *r = val_convert(v, t, &ce);
  if (!r) {
    char *msg = val_conv_err_text(&ce);
    err(E, e->u.call.args[0]->range, "Invalid function argument", "Invalid value for \"value\" parameter: %s.", msg);
    free(msg);
    val_conv_err_free(&ce);
  }
  val_free(v);
  return r;
}

static Value *eval_call(Ev *E, const Expr *e) {
  HclStr hn = e->u.call.name;
  char nb[128];
  char *name = hn.len < sizeof nb ? nb : xmalloc(hn.len + 1);
  memcpy(name, hn.s, hn.len);
  name[hn.len] = 0;
  Value *res = NULL;
  size_t nargs = e->u.call.nargs;
  Value **args = NULL;
  SrcRange *ranges = NULL;
  size_t n = 0;
  bool failed = false;
  if (call_is(e, "try")) {
    res = eval_try(E, e);
    goto done;
  }
  if (call_is(e, "can")) {
    res = eval_can(E, e);
    goto done;
  }
  if (call_is(e, "convert")) {
    res = eval_convert(E, e);
    goto done;
  }
  if (!E->scope || !E->scope->funcs) {
    err(E, e->u.call.name_range, "Function calls not allowed", "Functions may not be called here.");
    failed = true;
    goto done;
  }
  if (!E->scope->funcs->exists(name)) {
    size_t nn = 0;
    const char *const *names = E->scope->funcs->names(&nn);
    const char *bare = strncmp(name, "core::", 6) == 0 ? name + 6 : name;
    const char *s = val_suggest(bare, names, nn);
    if (strstr(name, "::") && strncmp(name, "core::", 6) != 0)
      err(E, e->u.call.name_range, "Call to unknown function", "There is no function named \"%s\".", name);
    else if (s)
      err(E, e->u.call.name_range, "Call to unknown function", "There is no function named \"%s\". Did you mean \"%s\"?", name, s);
    else
      err(E, e->u.call.name_range, "Call to unknown function", "There is no function named \"%s\".", name);
    for (size_t i = 0; i < nargs; i++) val_free(ev(E, e->u.call.args[i]));
    failed = true;
    goto done;
  }
  size_t cap = nargs + 4;
  args = xcalloc(cap, sizeof *args);
  ranges = xcalloc(cap, sizeof *ranges);
  for (size_t i = 0; i < nargs; i++) {
    const Expr *a = e->u.call.args[i];
    Value *v = ev(E, a);
    if (!v) {
      failed = true;
      continue;
    }
    if (i + 1 == nargs && e->u.call.expand_final) {
      const Type *t = v->type;
      if (v->flags & VF_NULL) {
        Diag *d = err(E, a->range, "Invalid expanding argument value", "The expanding argument (indicated by ...) must not be null.");
        diag_set_context(d, e->range);
        failed = true;
        val_free(v);
        continue;
      }
      if (t == T_DYNAMIC || (v->flags & VF_UNKNOWN)) {
        if (t != T_DYNAMIC && !type_is_sequence(t)) goto bad_expand;
        val_free(v);
        if (!failed) res = val_unknown(T_DYNAMIC);
        goto done_args;
      }
      if (!type_is_sequence(t)) {
      bad_expand:;
        Diag *d = err(E, a->range, "Invalid expanding argument value",
                      "The expanding argument (indicated by ...) must be of a tuple, list, or set type.");
        diag_set_context(d, e->range);
        failed = true;
        val_free(v);
        continue;
      }
      bool s = v->flags & VF_SENS;
      size_t m = v->u.coll.n;
      if (n + m > cap) {
        cap = n + m + 1;
        args = xrealloc(args, cap * sizeof *args);
        ranges = xrealloc(ranges, cap * sizeof *ranges);
      }
      for (size_t j = 0; j < m; j++) {
        args[n] = mark_if(val_ref(v->u.coll.el[j]), s);
        ranges[n++] = a->range;
      }
      val_free(v);
      continue;
    }
    args[n] = v;
    ranges[n++] = a->range;
  }
  if (!failed) {
    res = E->scope->funcs->call(name, args, n, ranges, e->range, E->scope->fn, E->diags);
  }
done_args:
  for (size_t i = 0; i < n; i++) val_free(args[i]);
done:
  free(args);
  free(ranges);
  if (name != nb) free(name);
  return res;
}

/* ------------------------------------------------------------ dispatch */

static Value *ev_kind(Ev *E, const Expr *e) {
  if (!e) return val_unknown(T_DYNAMIC);
  switch (e->kind) {
    case EXPR_LITERAL: return eval_literal(e);
    case EXPR_TEMPLATE: return eval_template(E, e);
    case EXPR_TUPLE: return eval_tuple(E, e);
    case EXPR_OBJECT: return eval_object(E, e);
    case EXPR_VARIABLE: return eval_variable(E, e);
    case EXPR_GETATTR:
    case EXPR_INDEX: return eval_chain(E, e);
    case EXPR_SPLAT: return eval_splat(E, e);
    case EXPR_ANON: return E->anon ? val_ref(E->anon) : val_unknown(T_DYNAMIC);
    case EXPR_CALL: return eval_call(E, e);
    case EXPR_FOR: return eval_for(E, e);
    case EXPR_BINARY: return eval_binary(E, e);
    case EXPR_UNARY: return eval_unary(E, e);
    case EXPR_COND: return eval_cond(E, e);
    case EXPR_PAREN: return ev(E, e->u.paren);
  }
  return val_unknown(T_DYNAMIC);
}

/* Evaluates e; on failure also records the placeholder type (Ev.err_type). */
static Value *ev(Ev *E, const Expr *e) {
  Value *r = ev_kind(E, e);
  if (r || !e) return r;
  switch (e->kind) {
    case EXPR_BINARY: return fail_as(E, e, op_result(e->u.binary.op));
    case EXPR_UNARY: return fail_as(E, e, e->u.unary.op == OP_NOT ? T_BOOL : T_NUMBER);
    case EXPR_TEMPLATE:
      if (!e->u.tpl.literal && e->u.tpl.parts.n == 1 && e->u.tpl.parts.v[0].kind == TPL_INTERP && !e->u.tpl.heredoc)
        return fail_as(E, e, E->err_type); /* unwrapped: the inner expression's */
      return fail_as(E, e, T_STRING);
    case EXPR_PAREN: return fail_as(E, e, E->err_type);
    default:
      /* tuples, conditionals and splats say their own placeholder type */
      if (E->err_node != e) return fail_as(E, e, T_DYNAMIC);
      return NULL;
  }
}

Value *ev_eval(const Expr *e, const EvScope *scope, DiagList *diags) {
  Ev E;
  memset(&E, 0, sizeof E);
  E.scope = scope;
  E.diags = diags;
  size_t before = diags->nerrors;
  Value *v = ev(&E, e);
  if (v && diags->nerrors > before) {
    val_free(v);
    v = NULL;
  }
  if (!v && diags->nerrors == before)
    diag_error(diags, e->range, "Invalid expression", "This expression could not be evaluated.");
  return v;
}

Value *ev_eval_const(const Expr *e, DiagList *diags) { return ev_eval(e, NULL, diags); }
