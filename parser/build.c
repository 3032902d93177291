/*
** parser/build.c — the tree builders called from grammar actions.
**
** Nodes live in the file's arena and are allocated with only the bytes their
** variant needs. Builders tolerate NULL children (error recovery leaves
** them) and substitute a harmless null literal, so later stages can walk any
** tree without checks.
**
** Template work happens here too: decoding escapes, applying ~ strip
** markers, removing a <<- heredoc's common indentation, and merging adjacent
** literal chunks.
*/
#include "parser/build.h"
#include "base/buf.h"
#include "base/util.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

#define VARIANT_SIZE(field) (offsetof(Expr, u) + sizeof(((Expr *)0)->u.field))

static Expr *new_expr(ParseState *ps, ExprKind k, size_t size, SrcRange r) {
  Expr *e = arena_alloc(ps->A, size);
  e->kind = k;
  e->range = r;
  return e;
}

static SrcRange trange(ParseState *ps, Token t) { return src_range(ps->file, t.start, t.end); }

static HclStr tstr(ParseState *ps, Token t) {
  HclStr s = {ps->src + t.start, t.end - t.start};
  return s;
}

/* A stand-in for a missing child: a null literal spanning r. */
static Expr *placeholder(ParseState *ps, SrcRange r) {
  Expr *e = new_expr(ps, EXPR_LITERAL, VARIANT_SIZE(lit), r);
  e->u.lit.kind = LIT_NULL;
  return e;
}

static Expr *nz(ParseState *ps, Expr *e, SrcRange r) { return e ? e : placeholder(ps, r); }

/* Arena-backed growable arrays: when full, a doubled copy is made and the
** old one is abandoned to the arena (at most the final size again). */
static void *grow(ParseState *ps, void *v, size_t n, size_t *cap, size_t sz) {
  if (n < *cap) return v;
  size_t c = *cap ? *cap * 2 : 4;
  void *nv = arena_alloc(ps->A, c * sz);
  if (n) memcpy(nv, v, n * sz);
  *cap = c;
  return nv;
}

/* ---- bodies ---- */

ItemList *ps_items_new(ParseState *ps) { return arena_alloc(ps->A, sizeof(ItemList)); }

ItemList *ps_items_add_attr(ParseState *ps, ItemList *l, Attribute *a) {
  if (!l) l = ps_items_new(ps);
  if (!a) return l;
  l->v = grow(ps, l->v, l->n, &l->cap, sizeof *l->v);
  l->v[l->n].attr = a;
  l->v[l->n].block = NULL;
  l->n++;
  return l;
}

ItemList *ps_items_add_block(ParseState *ps, ItemList *l, Block *b) {
  if (!l) l = ps_items_new(ps);
  if (!b) return l;
  l->v = grow(ps, l->v, l->n, &l->cap, sizeof *l->v);
  l->v[l->n].attr = NULL;
  l->v[l->n].block = b;
  l->n++;
  return l;
}

/* Each argument may be set once per body (hcl's "Attribute redefined"). A
** body can hold thousands of attributes (tfvars), so names are hashed. */
static void check_duplicates(ParseState *ps, Body *b) {
  size_t nattr = 0;
  for (size_t i = 0; i < b->nitems; i++) nattr += b->items[i].attr != NULL;
  if (nattr < 2) return;
  size_t cap = 16;
  while (cap < nattr * 2) cap *= 2;
  Attribute **tab = xcalloc(cap, sizeof *tab);
  for (size_t i = 0; i < b->nitems; i++) {
    Attribute *a = b->items[i].attr;
    if (!a) continue;
    uint32_t h = 2166136261u;
    for (size_t k = 0; k < a->name.len; k++) h = (h ^ (unsigned char)a->name.s[k]) * 16777619u;
    size_t j = h & (cap - 1);
    for (;; j = (j + 1) & (cap - 1)) {
      Attribute *o = tab[j];
      if (!o) {
        tab[j] = a;
        break;
      }
      if (o->name.len == a->name.len && memcmp(o->name.s, a->name.s, a->name.len) == 0) {
        SrcPos p = src_pos(ps->file, o->name_range.start);
        SrcPos q = src_pos(ps->file, o->name_range.end);
        const char *path = src_get(ps->file)->path;
        const char *slash = strrchr(path, '/');
        diag_error(ps->diags, a->name_range, "Attribute redefined",
                   "The argument \"%.*s\" was already set at %s:%d,%d-%d. Each argument may be set only once.",
                   (int)a->name.len, a->name.s, slash ? slash + 1 : path, p.line, p.column, q.column);
        break;
      }
    }
  }
  free(tab);
}

static Body *make_body(ParseState *ps, ItemList *l, SrcRange r) {
  Body *b = arena_alloc(ps->A, sizeof *b);
  b->range = r;
  if (l && l->n) {
    b->items = l->v;
    b->nitems = l->n;
  }
  check_duplicates(ps, b);
  return b;
}

void ps_finish_body(ParseState *ps, ItemList *l) {
  if (!ps->hf) return;
  ps->hf->body = make_body(ps, l, src_range(ps->file, 0, (uint32_t)ps->len));
}

void ps_finish_expr(ParseState *ps, Expr *e) { ps->expr_root = e; }

Attribute *ps_attribute(ParseState *ps, Token name, Expr *e) {
  Attribute *a = arena_alloc(ps->A, sizeof *a);
  a->name = tstr(ps, name);
  a->name_range = trange(ps, name);
  a->expr = nz(ps, e, trange(ps, name));
  return a;
}

/* Go's %q quoting, used for block labels in "in resource ..." contexts. */
static void quote_label(char *out, size_t cap, HclStr s) {
  size_t n = 0;
  if (n < cap) out[n++] = '"';
  for (size_t i = 0; i < s.len && n + 6 < cap; i++) {
    unsigned char c = (unsigned char)s.s[i];
    if (c == '"' || c == '\\') {
      out[n++] = '\\';
      out[n++] = (char)c;
    } else if (c < 0x20) {
      n += (size_t)snprintf(out + n, cap - n, "\\x%02x", c);
    } else {
      out[n++] = (char)c;
    }
  }
  if (n + 1 < cap) out[n++] = '"';
  out[n < cap ? n : cap - 1] = 0;
}

Block *ps_block(ParseState *ps, Token type, LabelList *labels, Token open, ItemList *items, Attribute *one,
                Token close) {
  Block *b = arena_alloc(ps->A, sizeof *b);
  b->type = tstr(ps, type);
  b->type_range = trange(ps, type);
  if (labels) {
    b->labels = labels->v;
    b->label_ranges = labels->r;
    b->nlabels = labels->n;
  }
  b->open_range = trange(ps, open);
  b->close_range = trange(ps, close);
  b->range = src_range(ps->file, type.start, close.end);
  if (one) items = ps_items_add_attr(ps, NULL, one);
  b->body = make_body(ps, items, src_range(ps->file, open.start, close.end));
  /* top-level blocks name the context of diagnostics inside them */
  if (ps->depth == 1) {
    Buf h = BUF_INIT;
    buf_add(&h, b->type.s, b->type.len);
    for (size_t i = 0; i < b->nlabels; i++) {
      char q[512];
      quote_label(q, sizeof q, b->labels[i]);
      buf_putc(&h, ' ');
      buf_puts(&h, q);
    }
    src_add_context(ps->file, b->range.start, b->range.end, h.s);
    buf_free(&h);
  }
  return b;
}

static LabelList *label_add(ParseState *ps, LabelList *l, HclStr s, SrcRange r) {
  if (!l) l = arena_alloc(ps->A, sizeof *l);
  if (l->n == l->cap) {
    size_t c = l->cap;
    l->v = grow(ps, l->v, l->n, &c, sizeof *l->v);
    l->r = grow(ps, l->r, l->n, &l->cap, sizeof *l->r);
  }
  l->v[l->n] = s;
  l->r[l->n] = r;
  l->n++;
  return l;
}

LabelList *ps_label_ident(ParseState *ps, LabelList *l, Token t) {
  return label_add(ps, l, tstr(ps, t), trange(ps, t));
}

LabelList *ps_label_string(ParseState *ps, LabelList *l, Token open, PartList *p, Token close) {
  HclStr s = {"", 0};
  SrcRange r = src_range(ps->file, open.start, close.end);
  if (p) {
    for (size_t i = 0; i < p->n; i++) {
      if (p->v[i].kind != TPL_LITERAL) {
        diag_error(ps->diags, p->v[i].range, "Invalid string literal",
                   "Template sequences are not allowed in this string. To include a literal \"$\", double it "
                   "(as \"$$\") to escape it.");
        return label_add(ps, l, s, r);
      }
    }
    if (p->n == 1) s = p->v[0].u.lit;
  }
  return label_add(ps, l, s, r);
}

/* ---- expressions ---- */

Expr *ps_cond(ParseState *ps, Expr *c, Expr *t, Expr *f) {
  SrcRange r0 = c ? c->range : (t ? t->range : src_range(ps->file, ps->prev.start, ps->prev.end));
  c = nz(ps, c, r0);
  t = nz(ps, t, c->range);
  f = nz(ps, f, t->range);
  Expr *e = new_expr(ps, EXPR_COND, VARIANT_SIZE(cond), src_span(c->range, f->range));
  e->u.cond.cond = c;
  e->u.cond.t = t;
  e->u.cond.f = f;
  return e;
}

Expr *ps_binary(ParseState *ps, BinOp op, Expr *l, Token optok, Expr *r) {
  SrcRange or = trange(ps, optok);
  l = nz(ps, l, or);
  r = nz(ps, r, or);
  Expr *e = new_expr(ps, EXPR_BINARY, VARIANT_SIZE(binary), src_span(l->range, r->range));
  e->u.binary.op = op;
  e->u.binary.l = l;
  e->u.binary.r = r;
  e->u.binary.op_range = or;
  return e;
}

Expr *ps_unary(ParseState *ps, UnOp op, Token optok, Expr *x) {
  SrcRange or = trange(ps, optok);
  x = nz(ps, x, or);
  Expr *e = new_expr(ps, EXPR_UNARY, VARIANT_SIZE(unary), src_span(or, x->range));
  e->u.unary.op = op;
  e->u.unary.e = x;
  return e;
}

/* Traversal steps after a splat apply to each element: the builders below
** push them into the splat's each-expression instead of wrapping the splat,
** until a parenthesis or an operator ends the postfix chain. The legacy .*
** form takes only attribute steps. */
static Expr *open_splat(Expr *e, bool index_step) {
  if (e && e->kind == EXPR_SPLAT && !(index_step && e->u.splat.attr_only)) return e;
  return NULL;
}

Expr *ps_getattr(ParseState *ps, Expr *obj, Token name) {
  obj = nz(ps, obj, trange(ps, name));
  Expr *sp = open_splat(obj, false);
  Expr *base = sp ? sp->u.splat.each : obj;
  Expr *e = new_expr(ps, EXPR_GETATTR, VARIANT_SIZE(getattr), src_span(base->range, trange(ps, name)));
  e->u.getattr.obj = base;
  e->u.getattr.name = tstr(ps, name);
  e->u.getattr.name_range = trange(ps, name);
  if (sp) {
    sp->u.splat.each = e;
    sp->range = src_span(sp->range, e->range);
    return sp;
  }
  return e;
}

Expr *ps_legacy_index(ParseState *ps, Expr *obj, Token num) {
  obj = nz(ps, obj, trange(ps, num));
  for (uint32_t i = num.start; i < num.end; i++) {
    char c = ps->src[i];
    if (c == '.' || c == 'e' || c == 'E') {
      diag_error(ps->diags, trange(ps, num), "Invalid legacy index syntax",
                 "When using the legacy index syntax, chaining two indexes together is not permitted. Use the "
                 "proper index syntax instead, like [1].");
      break;
    }
  }
  Expr *key = ps_number(ps, num);
  Expr *sp = open_splat(obj, false);
  Expr *base = sp ? sp->u.splat.each : obj;
  Expr *e = new_expr(ps, EXPR_INDEX, VARIANT_SIZE(index), src_span(base->range, trange(ps, num)));
  e->u.index.obj = base;
  e->u.index.key = key;
  e->u.index.legacy = true;
  e->u.index.bracket_range = trange(ps, num);
  if (sp) {
    sp->u.splat.each = e;
    sp->range = src_span(sp->range, e->range);
    return sp;
  }
  return e;
}

Expr *ps_index(ParseState *ps, Expr *obj, Expr *key, Token open, Token close) {
  SrcRange br = src_range(ps->file, open.start, close.end);
  obj = nz(ps, obj, br);
  key = nz(ps, key, br);
  Expr *sp = open_splat(obj, true);
  Expr *base = sp ? sp->u.splat.each : obj;
  Expr *e = new_expr(ps, EXPR_INDEX, VARIANT_SIZE(index), src_span(base->range, br));
  e->u.index.obj = base;
  e->u.index.key = key;
  e->u.index.bracket_range = br;
  if (sp) {
    sp->u.splat.each = e;
    sp->range = src_span(sp->range, e->range);
    return sp;
  }
  return e;
}

Expr *ps_splat(ParseState *ps, Expr *src, Token open, Token close, bool attr_only) {
  SrcRange mr = src_range(ps->file, open.start, close.end);
  src = nz(ps, src, mr);
  Expr *e = new_expr(ps, EXPR_SPLAT, VARIANT_SIZE(splat), src_span(src->range, mr));
  e->u.splat.src = src;
  e->u.splat.attr_only = attr_only;
  e->u.splat.marker_range = mr;
  e->u.splat.each = new_expr(ps, EXPR_ANON, offsetof(Expr, u), mr);
  return e;
}

Expr *ps_number(ParseState *ps, Token t) {
  Expr *e = new_expr(ps, EXPR_LITERAL, VARIANT_SIZE(lit), trange(ps, t));
  e->u.lit.kind = LIT_NUMBER;
  e->u.lit.text = tstr(ps, t);
  return e;
}

Expr *ps_variable(ParseState *ps, Token t) {
  HclStr s = tstr(ps, t);
  if (hcl_str_eq(s, "true") || hcl_str_eq(s, "false") || hcl_str_eq(s, "null")) {
    Expr *e = new_expr(ps, EXPR_LITERAL, VARIANT_SIZE(lit), trange(ps, t));
    e->u.lit.kind = s.s[0] == 'n' ? LIT_NULL : LIT_BOOL;
    e->u.lit.b = s.s[0] == 't';
    e->u.lit.text = s;
    return e;
  }
  Expr *e = new_expr(ps, EXPR_VARIABLE, VARIANT_SIZE(name), trange(ps, t));
  e->u.name = s;
  return e;
}

Expr *ps_paren(ParseState *ps, Token open, Expr *x, Token close) {
  SrcRange r = src_range(ps->file, open.start, close.end);
  Expr *e = new_expr(ps, EXPR_PAREN, VARIANT_SIZE(paren), r);
  e->u.paren = nz(ps, x, r);
  return e;
}

Expr *ps_error_expr(ParseState *ps, Token open, Token close) {
  return placeholder(ps, src_range(ps->file, open.start, close.end));
}

Expr *ps_tuple(ParseState *ps, Token open, ExprList *l, Token close) {
  Expr *e = new_expr(ps, EXPR_TUPLE, VARIANT_SIZE(list), src_range(ps->file, open.start, close.end));
  if (l) {
    e->u.list.v = l->v;
    e->u.list.n = l->n;
  }
  return e;
}

Expr *ps_object(ParseState *ps, Token open, ObjList *l, Token close) {
  Expr *e = new_expr(ps, EXPR_OBJECT, VARIANT_SIZE(object), src_range(ps->file, open.start, close.end));
  if (l) {
    e->u.object.v = l->v;
    e->u.object.n = l->n;
  }
  return e;
}

FuncName *ps_fname(ParseState *ps, FuncName *prefix, Token name) {
  FuncName *f = arena_alloc(ps->A, sizeof *f);
  if (prefix) {
    /* provider::ns::fn is one name spanning the source, :: included */
    f->name.s = prefix->name.s;
    f->name.len = name.end - (uint32_t)(prefix->name.s - ps->src);
    f->range = src_span(prefix->range, trange(ps, name));
    f->range_tok = prefix->range_tok;
  } else {
    f->name = tstr(ps, name);
    f->range = trange(ps, name);
    f->range_tok = name;
  }
  return f;
}

Expr *ps_call(ParseState *ps, FuncName *f, Token open, ExprList *args, Token close) {
  Expr *e = new_expr(ps, EXPR_CALL, VARIANT_SIZE(call), src_range(ps->file, f->range.start, close.end));
  e->u.call.name = f->name;
  e->u.call.name_range = f->range;
  e->u.call.open_range = trange(ps, open);
  e->u.call.close_range = trange(ps, close);
  if (args) {
    e->u.call.args = args->v;
    e->u.call.nargs = args->n;
    e->u.call.expand_final = args->expand;
  }
  return e;
}

ExprList *ps_list_add(ParseState *ps, ExprList *l, Expr *x) {
  if (!l) l = arena_alloc(ps->A, sizeof *l);
  l->v = grow(ps, l->v, l->n, &l->cap, sizeof *l->v);
  l->v[l->n++] = nz(ps, x, src_range(ps->file, ps->prev.start, ps->prev.end));
  return l;
}

ExprList *ps_list_expand(ParseState *ps, ExprList *l) {
  (void)ps;
  if (l) l->expand = true;
  return l;
}

ObjList *ps_obj_add(ParseState *ps, ObjList *l, Expr *k, Expr *v, bool colon) {
  if (!l) l = arena_alloc(ps->A, sizeof *l);
  SrcRange r = src_range(ps->file, ps->prev.start, ps->prev.end);
  k = nz(ps, k, r);
  v = nz(ps, v, r);
  l->v = grow(ps, l->v, l->n, &l->cap, sizeof *l->v);
  ObjItem *it = &l->v[l->n++];
  it->key = k;
  it->value = v;
  it->colon = colon;
  it->key_bare = k->kind == EXPR_VARIABLE;
  return l;
}

ForIntro *ps_for_intro(ParseState *ps, Token *key, Token *val, Expr *coll) {
  ForIntro *fi = arena_alloc(ps->A, sizeof *fi);
  if (key) fi->key = tstr(ps, *key);
  fi->val = tstr(ps, *val);
  fi->coll = nz(ps, coll, trange(ps, *val));
  return fi;
}

Expr *ps_for(ParseState *ps, Token open, ForIntro *fi, Expr *key, Expr *value, int group, Expr *cond,
             Token close) {
  SrcRange r = src_range(ps->file, open.start, close.end);
  Expr *e = new_expr(ps, EXPR_FOR, VARIANT_SIZE(forx), r);
  if (fi) {
    e->u.forx.key_var = fi->key;
    e->u.forx.val_var = fi->val;
    e->u.forx.coll = fi->coll;
  } else {
    e->u.forx.coll = placeholder(ps, r);
  }
  e->u.forx.object = key != NULL;
  e->u.forx.key = key;
  e->u.forx.value = nz(ps, value, r);
  e->u.forx.group = group != 0;
  e->u.forx.cond = cond;
  e->u.forx.open_range = trange(ps, open);
  e->u.forx.close_range = trange(ps, close);
  if (group && !key) {
    diag_error(ps->diags, e->u.forx.value->range, "Invalid 'for' expression",
               "Grouping ellipsis (...) cannot be used when constructing a tuple.");
  }
  return e;
}

/* ---- templates ---- */

static bool is_strip_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static void strip_tail(PartList *l) {
  if (!l || !l->n || l->v[l->n - 1].kind != TPL_LITERAL) return;
  HclStr *s = &l->v[l->n - 1].u.lit;
  while (s->len && is_strip_space(s->s[s->len - 1])) s->len--;
}

static void strip_head(PartList *l) {
  if (!l || !l->n || l->v[0].kind != TPL_LITERAL) return;
  HclStr *s = &l->v[0].u.lit;
  while (s->len && is_strip_space(s->s[0])) {
    s->s++;
    s->len--;
  }
}

static bool tok_strips_left(ParseState *ps, Token open) { return open.end - open.start == 3 && ps->src[open.start + 2] == '~'; }
static bool tok_strips_right(ParseState *ps, Token close) { return close.end - close.start == 2 && ps->src[close.start] == '~'; }

static void put_utf8(char *out, size_t *n, uint32_t cp) {
  *n += (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)out + *n);
}

/* Decodes a literal chunk: escapes in quoted strings (heredocs only have
** $${ and %%{). Returns the source slice itself when nothing needs
** decoding, so ordinary strings are never copied. */
static HclStr decode_lit(ParseState *ps, Token t, bool heredoc) {
  const char *s = ps->src + t.start;
  size_t n = t.end - t.start;
  bool plain = true;
  for (size_t i = 0; i < n && plain; i++) {
    if (s[i] == '\\' && !heredoc) plain = false;
    if ((s[i] == '$' || s[i] == '%') && i + 2 < n + 1 && i + 1 < n && s[i + 1] == s[i] && i + 2 < n && s[i + 2] == '{')
      plain = false;
  }
  /* bytes must be UTF-8 */
  if (utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, NULL, 0, 0) < 0) {
    size_t i = 0;
    while (i < n) {
      utf8proc_int32_t cp;
      utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
      if (k <= 0) break;
      i += (size_t)k;
    }
    SrcRange r = src_range(ps->file, t.start + (uint32_t)i, t.start + (uint32_t)i + 1);
    diag_error(ps->diags, r, "Invalid character encoding",
               "All input files must be UTF-8 encoded. Ensure that UTF-8 encoding is selected in your editor.");
  }
  if (plain) {
    HclStr r = {s, n};
    return r;
  }
  char *out = arena_alloc(ps->A, n + 1);
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    char c = s[i];
    if ((c == '$' || c == '%') && i + 2 < n && s[i + 1] == c && s[i + 2] == '{') {
      out[o++] = c;
      out[o++] = '{';
      i += 3;
      continue;
    }
    if (c != '\\' || heredoc) {
      out[o++] = c;
      i++;
      continue;
    }
    if (i + 1 >= n) {
      out[o++] = c;
      i++;
      continue;
    }
    char e = s[i + 1];
    switch (e) {
    case 'n': out[o++] = '\n'; i += 2; continue;
    case 'r': out[o++] = '\r'; i += 2; continue;
    case 't': out[o++] = '\t'; i += 2; continue;
    case '"': out[o++] = '"'; i += 2; continue;
    case '\\': out[o++] = '\\'; i += 2; continue;
    case 'u':
    case 'U': {
      size_t digits = e == 'u' ? 4 : 8, k;
      uint32_t cp = 0;
      for (k = 0; k < digits && i + 2 + k < n; k++) {
        char h = s[i + 2 + k];
        int v = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
        if (v < 0) break;
        cp = cp * 16 + (uint32_t)v;
      }
      if (k < digits || !utf8proc_codepoint_valid((utf8proc_int32_t)cp)) {
        SrcRange r = src_range(ps->file, t.start + (uint32_t)i, t.start + (uint32_t)(i + 2 + k));
        diag_error(ps->diags, r, "Invalid escape sequence",
                   "The \\%c escape sequence must be followed by %zu hexadecimal digits that form a valid Unicode "
                   "character.", e, digits);
        i += 2 + k;
        continue;
      }
      put_utf8(out, &o, cp);
      i += 2 + digits;
      continue;
    }
    default: {
      SrcRange r = src_range(ps->file, t.start + (uint32_t)i, t.start + (uint32_t)i + 2);
      diag_error(ps->diags, r, "Invalid escape sequence",
                 "The symbol \"%c\" is not a valid escape sequence selector.", e);
      out[o++] = e;
      i += 2;
      continue;
    }
    }
  }
  HclStr r = {out, o};
  return r;
}

static PartList *part_add(ParseState *ps, PartList *l, TplPart p) {
  if (!l) l = arena_alloc(ps->A, sizeof *l);
  l->v = grow(ps, l->v, l->n, &l->cap, sizeof *l->v);
  l->v[l->n++] = p;
  return l;
}

PartList *ps_part_lit(ParseState *ps, PartList *l, Token t, bool heredoc) {
  TplPart p;
  memset(&p, 0, sizeof p);
  p.kind = TPL_LITERAL;
  p.range = trange(ps, t);
  p.u.lit = decode_lit(ps, t, heredoc);
  bool strip = l && l->strip_next;
  if (l) l->strip_next = false;
  if (strip) {
    while (p.u.lit.len && is_strip_space(p.u.lit.s[0])) {
      p.u.lit.s++;
      p.u.lit.len--;
    }
  }
  return part_add(ps, l, p);
}

PartList *ps_part_interp(ParseState *ps, PartList *l, Token open, Expr *e, Token close) {
  if (tok_strips_left(ps, open)) strip_tail(l);
  TplPart p;
  memset(&p, 0, sizeof p);
  p.kind = TPL_INTERP;
  p.range = src_range(ps->file, open.start, close.end);
  p.u.interp = nz(ps, e, p.range);
  l = part_add(ps, l, p);
  l->strip_next = tok_strips_right(ps, close);
  return l;
}

static TplList to_list(PartList *l) {
  TplList t = {NULL, 0};
  if (l) {
    t.v = l->v;
    t.n = l->n;
  }
  return t;
}

PartList *ps_part_if(ParseState *ps, PartList *l, Token open, Expr *cond, Token c1, PartList *then_parts,
                     Token *else_open, Token *else_close, PartList *else_parts, Token end_open, Token end_close) {
  if (tok_strips_left(ps, open)) strip_tail(l);
  if (tok_strips_right(ps, c1)) strip_head(then_parts);
  if (else_open) {
    if (tok_strips_left(ps, *else_open)) strip_tail(then_parts);
    if (tok_strips_right(ps, *else_close)) strip_head(else_parts);
    if (tok_strips_left(ps, end_open)) strip_tail(else_parts);
  } else if (tok_strips_left(ps, end_open)) {
    strip_tail(then_parts);
  }
  TplIf *d = arena_alloc(ps->A, sizeof *d);
  SrcRange r = src_range(ps->file, open.start, end_close.end);
  d->cond = nz(ps, cond, r);
  d->then_parts = to_list(then_parts);
  d->else_parts = to_list(else_parts);
  d->has_else = else_open != NULL;
  TplPart p;
  memset(&p, 0, sizeof p);
  p.kind = TPL_IF;
  p.range = r;
  p.u.ifd = d;
  l = part_add(ps, l, p);
  l->strip_next = tok_strips_right(ps, end_close);
  return l;
}

PartList *ps_part_for(ParseState *ps, PartList *l, Token open, Token *key, Token *val, Expr *coll, Token c1,
                      PartList *body, Token end_open, Token end_close) {
  if (tok_strips_left(ps, open)) strip_tail(l);
  if (tok_strips_right(ps, c1)) strip_head(body);
  if (tok_strips_left(ps, end_open)) strip_tail(body);
  TplFor *d = arena_alloc(ps->A, sizeof *d);
  SrcRange r = src_range(ps->file, open.start, end_close.end);
  if (key) d->key_var = tstr(ps, *key);
  d->val_var = tstr(ps, *val);
  d->coll = nz(ps, coll, r);
  d->body = to_list(body);
  TplPart p;
  memset(&p, 0, sizeof p);
  p.kind = TPL_FOR;
  p.range = r;
  p.u.ford = d;
  l = part_add(ps, l, p);
  l->strip_next = tok_strips_right(ps, end_close);
  return l;
}

/* <<- heredocs lose the indentation common to all their lines. A literal
** starts a line when the byte before it is the newline ending the previous
** line (or the heredoc's opening line). */
static bool starts_line(ParseState *ps, const TplPart *p) {
  return p->kind == TPL_LITERAL && p->range.start > 0 && ps->src[p->range.start - 1] == '\n';
}

static size_t indent_of(HclStr s) {
  size_t i = 0;
  while (i < s.len && (s.s[i] == ' ' || s.s[i] == '\t')) i++;
  return i;
}

static void min_indent(ParseState *ps, TplList *l, size_t *min) {
  for (size_t i = 0; i < l->n; i++) {
    TplPart *p = &l->v[i];
    if (starts_line(ps, p)) {
      size_t k = indent_of(p->u.lit);
      /* blank lines do not count */
      bool blank = k == p->u.lit.len || p->u.lit.s[k] == '\n' || p->u.lit.s[k] == '\r';
      if (!blank && k < *min) *min = k;
    } else if (p->kind == TPL_IF) {
      min_indent(ps, &p->u.ifd->then_parts, min);
      min_indent(ps, &p->u.ifd->else_parts, min);
    } else if (p->kind == TPL_FOR) {
      min_indent(ps, &p->u.ford->body, min);
    }
  }
}

static void dedent(ParseState *ps, TplList *l, size_t n) {
  for (size_t i = 0; i < l->n; i++) {
    TplPart *p = &l->v[i];
    if (starts_line(ps, p)) {
      size_t k = indent_of(p->u.lit);
      if (k > n) k = n;
      p->u.lit.s += k;
      p->u.lit.len -= k;
    } else if (p->kind == TPL_IF) {
      dedent(ps, &p->u.ifd->then_parts, n);
      dedent(ps, &p->u.ifd->else_parts, n);
    } else if (p->kind == TPL_FOR) {
      dedent(ps, &p->u.ford->body, n);
    }
  }
}

/* Adjacent literal chunks (one per heredoc line, or split around a lone $)
** become one, as in hcl's tree. */
static void merge_literals(ParseState *ps, TplList *l) {
  size_t o = 0;
  for (size_t i = 0; i < l->n; i++) {
    TplPart *p = &l->v[i];
    if (p->kind == TPL_IF) {
      merge_literals(ps, &p->u.ifd->then_parts);
      merge_literals(ps, &p->u.ifd->else_parts);
    } else if (p->kind == TPL_FOR) {
      merge_literals(ps, &p->u.ford->body);
    }
    if (o > 0 && p->kind == TPL_LITERAL && l->v[o - 1].kind == TPL_LITERAL) {
      TplPart *q = &l->v[o - 1];
      if (q->u.lit.s + q->u.lit.len != p->u.lit.s) {
        char *buf = arena_alloc(ps->A, q->u.lit.len + p->u.lit.len + 1);
        memcpy(buf, q->u.lit.s, q->u.lit.len);
        memcpy(buf + q->u.lit.len, p->u.lit.s, p->u.lit.len);
        q->u.lit.s = buf;
      }
      q->u.lit.len += p->u.lit.len;
      q->range.end = p->range.end;
      continue;
    }
    l->v[o++] = *p;
  }
  l->n = o;
}

Expr *ps_template(ParseState *ps, Token open, PartList *parts, Token close, bool heredoc) {
  Expr *e = new_expr(ps, EXPR_TEMPLATE, VARIANT_SIZE(tpl), src_range(ps->file, open.start, close.end));
  e->u.tpl.heredoc = heredoc;
  e->u.tpl.parts = to_list(parts);
  if (heredoc && open.end - open.start > 2 && ps->src[open.start + 2] == '-') {
    e->u.tpl.flush = true;
    size_t min = (size_t)-1;
    min_indent(ps, &e->u.tpl.parts, &min);
    if (min != (size_t)-1 && min > 0) dedent(ps, &e->u.tpl.parts, min);
  }
  merge_literals(ps, &e->u.tpl.parts);
  return e;
}
