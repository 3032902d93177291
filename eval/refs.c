/*
** eval/refs.c — the references an expression makes, found without
** evaluating it (hcl's Variables()), for building the dependency graph; and
** template rendering for templatefile.
*/
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/util.h"
#include "eval/eval.h"
#include "eval/value_int.h"

/* Names bound by enclosing for-expressions / template for directives. */
typedef struct Bound {
  HclStr name;
  const struct Bound *next;
} Bound;

static bool is_bound(const Bound *b, HclStr n) {
  for (; b; b = b->next)
    if (b->name.len == n.len && memcmp(b->name.s, n.s, n.len) == 0) return true;
  return false;
}

static void walk(const Expr *e, const Bound *b, EvRefList *out);

static void walk_parts(const TplList *l, const Bound *b, EvRefList *out) {
  for (size_t i = 0; i < l->n; i++) {
    const TplPart *p = &l->v[i];
    switch (p->kind) {
      case TPL_LITERAL: break;
      case TPL_INTERP: walk(p->u.interp, b, out); break;
      case TPL_IF:
        walk(p->u.ifd->cond, b, out);
        walk_parts(&p->u.ifd->then_parts, b, out);
        walk_parts(&p->u.ifd->else_parts, b, out);
        break;
      case TPL_FOR: {
        walk(p->u.ford->coll, b, out);
        Bound bk = {p->u.ford->key_var, b};
        Bound bv = {p->u.ford->val_var, p->u.ford->key_var.len ? &bk : b};
        walk_parts(&p->u.ford->body, &bv, out);
        break;
      }
    }
  }
}

static Value *literal_key(const Expr *k) {
  while (k->kind == EXPR_PAREN) k = k->u.paren;
  if (k->kind == EXPR_LITERAL && k->u.lit.kind == LIT_NUMBER) return val_number_parse(k->u.lit.text.s, k->u.lit.text.len);
  HclStr s;
  if (k->kind == EXPR_TEMPLATE && !k->u.tpl.heredoc && hcl_tpl_text(k, &s)) return val_string(s.s, s.len);
  return NULL;
}

static SrcRange attr_step_range(const Expr *e) {
  SrcRange r = e->u.getattr.name_range;
  SrcFile *f = src_get(r.file);
  if (f && r.start > 0 && r.start <= f->len && f->bytes[r.start - 1] == '.') r.start--;
  return r;
}

/* A chain of GETATTR/INDEX nodes over a root. Records the root reference
** with its static steps, and walks dynamic index keys and non-variable
** roots. */
static void walk_chain(const Expr *e, const Bound *b, EvRefList *out) {
  const Expr *chain[256];
  size_t n = 0;
  const Expr *root = e;
  while ((root->kind == EXPR_GETATTR || root->kind == EXPR_INDEX) && n < 256) {
    chain[n++] = root;
    root = root->kind == EXPR_GETATTR ? root->u.getattr.obj : root->u.index.obj;
  }
  if (root->kind == EXPR_VARIABLE && !is_bound(b, root->u.name)) {
    EvTraversal t;
    memset(&t, 0, sizeof t);
    t.root = root->u.name;
    t.root_range = root->range;
    t.range = root->range;
    bool dynamic = false;
    size_t scap = 0;
    for (size_t i = n; i > 0; i--) {
      const Expr *c = chain[i - 1];
      if (dynamic) {
        if (c->kind == EXPR_INDEX) walk(c->u.index.key, b, out);
        continue;
      }
      EvStep s;
      memset(&s, 0, sizeof s);
      if (c->kind == EXPR_GETATTR) {
        s.kind = EV_STEP_ATTR;
        s.name = c->u.getattr.name;
        s.range = attr_step_range(c);
      } else {
        s.kind = EV_STEP_INDEX;
        s.key = literal_key(c->u.index.key);
        s.range = c->u.index.bracket_range;
        if (!s.key) {
          dynamic = true;
          walk(c->u.index.key, b, out);
          continue;
        }
      }
      VEC_PUSH(t.steps, t.nsteps, scap, s);
      t.range = src_span(t.range, s.range);
    }
    VEC_PUSH(out->v, out->n, out->cap, t);
    return;
  }
  if (root->kind != EXPR_VARIABLE) walk(root, b, out);
  for (size_t i = 0; i < n; i++)
    if (chain[i]->kind == EXPR_INDEX) walk(chain[i]->u.index.key, b, out);
}

static void walk(const Expr *e, const Bound *b, EvRefList *out) {
  if (!e) return;
  switch (e->kind) {
    case EXPR_LITERAL:
    case EXPR_ANON: return;
    case EXPR_TEMPLATE:
      if (!e->u.tpl.literal) walk_parts(&e->u.tpl.parts, b, out);
      return;
    case EXPR_TUPLE:
      for (size_t i = 0; i < e->u.list.n; i++) walk(e->u.list.v[i], b, out);
      return;
    case EXPR_OBJECT:
      for (size_t i = 0; i < e->u.object.n; i++) {
        const ObjItem *it = &e->u.object.v[i];
        if (!(it->key_bare && it->key->kind == EXPR_VARIABLE)) walk(it->key, b, out);
        walk(it->value, b, out);
      }
      return;
    case EXPR_VARIABLE:
    case EXPR_GETATTR:
    case EXPR_INDEX: walk_chain(e, b, out); return;
    case EXPR_SPLAT:
      walk(e->u.splat.src, b, out);
      walk(e->u.splat.each, b, out);
      return;
    case EXPR_CALL:
      for (size_t i = 0; i < e->u.call.nargs; i++) walk(e->u.call.args[i], b, out);
      return;
    case EXPR_FOR: {
      walk(e->u.forx.coll, b, out);
      Bound bk = {e->u.forx.key_var, b};
      Bound bv = {e->u.forx.val_var, e->u.forx.key_var.len ? &bk : b};
      walk(e->u.forx.key, &bv, out);
      walk(e->u.forx.value, &bv, out);
      walk(e->u.forx.cond, &bv, out);
      return;
    }
    case EXPR_BINARY:
      walk(e->u.binary.l, b, out);
      walk(e->u.binary.r, b, out);
      return;
    case EXPR_UNARY: walk(e->u.unary.e, b, out); return;
    case EXPR_COND:
      walk(e->u.cond.cond, b, out);
      walk(e->u.cond.t, b, out);
      walk(e->u.cond.f, b, out);
      return;
    case EXPR_PAREN: walk(e->u.paren, b, out); return;
  }
}

void ev_references(const Expr *e, EvRefList *out) { walk(e, NULL, out); }

void ev_reflist_free(EvRefList *l) {
  for (size_t i = 0; i < l->n; i++) {
    for (size_t j = 0; j < l->v[i].nsteps; j++) val_free(l->v[i].steps[j].key);
    free(l->v[i].steps);
  }
  free(l->v);
  l->v = NULL;
  l->n = l->cap = 0;
}

char *ev_traversal_string(const EvTraversal *t) {
  Buf b = BUF_INIT;
  buf_add(&b, t->root.s, t->root.len);
  for (size_t i = 0; i < t->nsteps; i++) {
    const EvStep *s = &t->steps[i];
    if (s->kind == EV_STEP_ATTR) {
      buf_putc(&b, '.');
      buf_add(&b, s->name.s, s->name.len);
    } else if (val_type(s->key) == T_STRING) {
      char *q = val_quote(val_str(s->key), val_str_len(s->key));
      buf_printf(&b, "[%s]", q);
      free(q);
    } else {
      char *q = val_number_text(s->key);
      buf_printf(&b, "[%s]", q);
      free(q);
    }
  }
  return buf_take(&b);
}

/* ------------------------------------------------------------ templatefile */

typedef struct TplScope {
  const Value *vars;
} TplScope;

static Value *tpl_resolve(void *ud, const EvTraversal *t, size_t *consumed, DiagList *diags) {
  const TplScope *ts = ud;
  *consumed = 0;
  char *name = xstrndup(t->root.s, t->root.len);
  Value *v = NULL;
  if (val_kind(ts->vars) == TY_OBJECT) v = val_attr(ts->vars, name);
  else if (val_kind(ts->vars) == TY_MAP) v = val_map_get(ts->vars, name);
  if (!v) {
    const char *const *keys = val_keys(ts->vars);
    const char *s = keys ? val_suggest(name, keys, val_len(ts->vars)) : NULL;
    if (s) diag_error(diags, t->root_range, "Unknown variable", "There is no variable named \"%s\". Did you mean \"%s\"?", name, s);
    else diag_error(diags, t->root_range, "Unknown variable", "There is no variable named \"%s\".", name);
  }
  free(name);
  return v;
}

/* Moves a range in the wrapped copy onto the original template text. */
static void remap(SrcRange *r, uint32_t from, uint32_t to, uint32_t shift, uint32_t len) {
  if (r->file != from) return;
  r->file = to;
  r->start = r->start > shift ? r->start - shift : 0;
  r->end = r->end > shift ? r->end - shift : 0;
  if (r->start > len) r->start = len;
  if (r->end > len) r->end = len;
}

/* The template is parsed as the body of a heredoc whose marker appears
** nowhere in it; heredoc bodies and template files share their syntax
** (interpolations, directives, no backslash escapes). Diagnostics are moved
** from the wrapped copy onto the template's own text, so their lines and
** snippets are the file's. */
Value *ev_render_template(void *evp, const char *path, const char *src, size_t len, Value *vars,
                          SrcRange call_range, DiagList *diags) {
  (void)call_range;
  const EvScope *outer = evp;
  char marker[32] = "TFCTPL";
  for (int k = 0; memmem(src, len, marker, strlen(marker)); k++) snprintf(marker, sizeof marker, "TFCTPL%d", k);
  bool nl = len > 0 && src[len - 1] == '\n';
  Buf b = BUF_INIT;
  buf_printf(&b, "<<%s\n", marker);
  uint32_t shift = (uint32_t)b.len;
  buf_add(&b, src, len);
  if (!nl) buf_putc(&b, '\n');
  buf_printf(&b, "%s\n", marker);
  size_t blen = b.len;
  uint32_t file = src_add(path, buf_take(&b), blen);
  uint32_t orig = src_add(path, xstrndup(src, len), len);
  Arena arena;
  arena_init(&arena);
  size_t before = diags->nerrors, first = diags->n;
  Expr *e = hcl_parse_expr(file, &arena, diags);
  Value *r = NULL;
  if (e && diags->nerrors == before) {
    TplScope ts = {vars};
    EvScope sc = {tpl_resolve, &ts, outer ? outer->funcs : NULL, outer ? outer->fn : NULL};
    r = ev_eval(e, &sc, diags);
    if (r && !nl && val_kind(r) == TY_STRING && val_is_known(r) && !val_is_null(r) && val_str_len(r) > 0) {
      Value *cut = val_string(val_str(r), val_str_len(r) - 1);
      cut = val_take_sens(cut, val_is_sensitive(r));
      val_free(r);
      r = cut;
    }
  }
  for (size_t i = first; i < diags->n; i++) {
    remap(&diags->v[i].subject, file, orig, shift, (uint32_t)len);
    remap(&diags->v[i].context, file, orig, shift, (uint32_t)len);
  }
  arena_free(&arena);
  return r;
}
