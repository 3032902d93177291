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

/* Eight bytes at a time, for the scans over literal text that usually
** find nothing: whether a word holds a zero byte, or a byte below n
** (n <= 128). Exact for the existence question, which is all they answer. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SWAR 1
#define ONES 0x0101010101010101u
#define HIGHS 0x8080808080808080u
#define HAS_ZERO(v) (((v) - ONES) & ~(v) & HIGHS)
#define HAS_LESS(v, n) (((v) - ONES * (n)) & ~(v) & HIGHS)
#define HAS_BYTE(v, c) HAS_ZERO((v) ^ (ONES * (c)))
#endif

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

static const size_t scratch_size[SC_COUNT] = {sizeof(BodyItem), sizeof(Expr *), sizeof(ObjItem),
                                              sizeof(LabelItem), sizeof(TplPart)};

ListH ps_list_new(ParseState *ps, int kind) {
  ListH h;
  memset(&h, 0, sizeof h);
  h.start = (uint32_t)ps->scratch[kind].n;
  return h;
}

/* Room for one more element of list h; anything an abandoned list left
** above h's elements is dropped first. */
static void *list_push(ParseState *ps, int kind, ListH *h) {
  Scratch *sc = &ps->scratch[kind];
  sc->size = scratch_size[kind];
  sc->n = h->start + h->n;
  if (sc->n == sc->cap) {
    sc->cap = sc->cap ? sc->cap * 2 : 64;
    sc->v = xrealloc(sc->v, sc->cap * sc->size);
  }
  h->n++;
  return sc->v + sc->n++ * sc->size;
}

static void *list_at(ParseState *ps, int kind, ListH h, size_t i) {
  return ps->scratch[kind].v + (h.start + i) * scratch_size[kind];
}

/* Copies the elements of h into an exactly sized arena array and pops
** them from the scratch stack. */
static void *list_finish(ParseState *ps, int kind, ListH h) {
  Scratch *sc = &ps->scratch[kind];
  if (!h.n) {
    if (sc->n > h.start) sc->n = h.start;
    return NULL;
  }
  size_t bytes = h.n * scratch_size[kind];
  void *v = arena_alloc(ps->A, bytes);
  memcpy(v, sc->v + h.start * scratch_size[kind], bytes);
  sc->n = h.start;
  return v;
}

static HclStr decode_lit(ParseState *ps, Token t, bool heredoc, bool normalize);

/* ---- bodies ---- */

ItemList ps_items_add_attr(ParseState *ps, ItemList l, Attribute *a) {
  if (!a) return l;
  BodyItem *it = list_push(ps, SC_ITEMS, &l);
  it->attr = a;
  it->block = NULL;
  return l;
}

ItemList ps_items_add_block(ParseState *ps, ItemList l, Block *b) {
  if (!b) return l;
  BodyItem *it = list_push(ps, SC_ITEMS, &l);
  it->attr = NULL;
  it->block = b;
  return l;
}

static void report_duplicate(ParseState *ps, const Attribute *first, const Attribute *again) {
  SrcPos p = src_pos(ps->file, first->name_range.start);
  SrcPos q = src_pos(ps->file, first->name_range.end);
  const char *path = src_get(ps->file)->path;
  const char *slash = strrchr(path, '/');
  diag_error(ps->diags, again->name_range, "Attribute redefined",
             "The argument \"%.*s\" was already set at %s:%d,%d-%d. Each argument may be set only once.",
             (int)again->name.len, again->name.s, slash ? slash + 1 : path, p.line, p.column, q.column);
}

static bool same_name(const Attribute *a, const Attribute *b) {
  return a->name.len == b->name.len && memcmp(a->name.s, b->name.s, a->name.len) == 0;
}

/* Each argument may be set once per body (hcl's "Attribute redefined").
** Most bodies have a handful of attributes, compared pairwise; a body can
** also hold thousands (tfvars), so large ones are hashed. */
static void check_duplicates(ParseState *ps, Body *b) {
  size_t nattr = 0;
  for (size_t i = 0; i < b->nitems; i++) nattr += b->items[i].attr != NULL;
  if (nattr < 2) return;
  if (nattr <= 16) {
    for (size_t i = 1; i < b->nitems; i++) {
      const Attribute *a = b->items[i].attr;
      if (!a) continue;
      for (size_t j = 0; j < i; j++) {
        const Attribute *o = b->items[j].attr;
        if (o && same_name(o, a)) {
          report_duplicate(ps, o, a);
          break;
        }
      }
    }
    return;
  }
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
      if (same_name(o, a)) {
        report_duplicate(ps, o, a);
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
    b->nitems = l->n;
    b->items = list_finish(ps, SC_ITEMS, *l);
  }
  check_duplicates(ps, b);
  return b;
}

void ps_finish_body(ParseState *ps, ItemList l) {
  if (!ps->hf) return;
  ps->hf->body = make_body(ps, &l, src_range(ps->file, 0, (uint32_t)ps->len));
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

/* Whether a label prints as itself in quotes: no byte Go's %q would escape. */
static bool plain_label(HclStr l) {
  size_t k = 0;
#ifdef SWAR
  for (; k + 8 <= l.len; k += 8) {
    uint64_t w;
    memcpy(&w, l.s + k, 8);
    if (HAS_LESS(w, 0x20) | HAS_BYTE(w, '"') | HAS_BYTE(w, '\\')) break;
  }
#endif
  while (k < l.len && (unsigned char)l.s[k] >= 0x20 && l.s[k] != '"' && l.s[k] != '\\') k++;
  return k == l.len;
}

/* Records a top-level block's header ("resource \"a\" \"b\"") for the "in
** ..." line of diagnostics. Written the usual way, quoted labels one space
** apart, the header is the source itself, and only its place is kept. */
static void add_context(ParseState *ps, const Block *b) {
  uint32_t end = b->type_range.end;
  bool as_written = true;
  for (size_t i = 0; i < b->nlabels && as_written; i++) {
    SrcRange r = b->label_ranges[i];
    as_written = r.start == end + 1 && ps->src[end] == ' ' && ps->src[r.start] == '"' &&
                 b->labels[i].s == ps->src + r.start + 1 && b->labels[i].len + 2 == r.end - r.start &&
                 plain_label(b->labels[i]);
    end = r.end;
  }
  if (as_written) {
    src_add_context_span(ps->file, b->range.start, b->range.end, b->type_range.start, end - b->type_range.start);
    return;
  }
  Buf *h = &ps->header;
  h->len = 0;
  buf_add(h, b->type.s, b->type.len);
  for (size_t i = 0; i < b->nlabels; i++) {
    char q[512];
    quote_label(q, sizeof q, b->labels[i]);
    buf_putc(h, ' ');
    buf_puts(h, q);
  }
  src_add_context(ps->file, b->range.start, b->range.end, h->s, h->len);
}

Block *ps_block(ParseState *ps, Token type, LabelList labels, Token open, ItemList *items, Attribute *one,
                Token close) {
  Block *b = arena_alloc(ps->A, sizeof *b);
  b->type = tstr(ps, type);
  b->type_range = trange(ps, type);
  if (labels.n) {
    b->nlabels = labels.n;
    b->labels = arena_alloc(ps->A, labels.n * sizeof *b->labels);
    b->label_ranges = arena_alloc(ps->A, labels.n * sizeof *b->label_ranges);
    for (size_t i = 0; i < labels.n; i++) {
      LabelItem *li = list_at(ps, SC_LABELS, labels, i);
      b->labels[i] = li->s;
      b->label_ranges[i] = li->r;
    }
  }
  list_finish(ps, SC_LABELS, labels);
  ItemList single;
  if (one) {
    single = ps_items_add_attr(ps, ps_list_new(ps, SC_ITEMS), one);
    items = &single;
  }
  b->open_range = trange(ps, open);
  b->close_range = trange(ps, close);
  b->range = src_range(ps->file, type.start, close.end);
  b->body = make_body(ps, items, src_range(ps->file, open.start, close.end));
  /* top-level blocks name the context of diagnostics inside them */
  if (ps->depth == 1) add_context(ps, b);
  return b;
}

static LabelList label_add(ParseState *ps, LabelList l, HclStr s, SrcRange r) {
  LabelItem *li = list_push(ps, SC_LABELS, &l);
  li->s = s;
  li->r = r;
  return l;
}

LabelList ps_label_ident(ParseState *ps, LabelList l, Token t) {
  return label_add(ps, l, tstr(ps, t), trange(ps, t));
}

LabelList ps_label_string(ParseState *ps, LabelList l, Token open, PartList pl, Token close) {
  HclStr s = {"", 0};
  SrcRange r = src_range(ps->file, open.start, close.end);
  TplPart *parts = list_finish(ps, SC_PARTS, pl);
  PartList pv = {0, (uint32_t)pl.n, false, false};
  PartList *p = &pv;
  if (p->n) {
    for (size_t i = 0; i < p->n; i++) {
      if (parts[i].kind != TPL_LITERAL) {
        diag_error(ps->diags, parts[i].range, "Invalid string literal",
                   "Template sequences are not allowed in this string. To include a literal \"$\", double it "
                   "(as \"$$\") to escape it.");
        return label_add(ps, l, s, r);
      }
    }
    /* labels are the one kind of string hcl does not NFC-normalise, so
    ** decode the chunks again without it */
    Buf b = BUF_INIT;
    DiagList *real = ps->diags, again = {0};
    ps->diags = &again; /* problems were reported by the first decoding */
    for (size_t i = 0; i < p->n; i++) {
      Token t = {parts[i].range.start, parts[i].range.end};
      HclStr d = decode_lit(ps, t, false, false);
      buf_add(&b, d.s, d.len);
    }
    ps->diags = real;
    diag_free(&again);
    if (b.len) {
      s.s = arena_strndup(ps->A, b.s, b.len);
      s.len = b.len;
    }
    buf_free(&b);
  }
  return label_add(ps, l, s, r);
}

/* A label written as a plain string (one TK_STRING token): its text is
** the source between the quotes. */
LabelList ps_label_simple(ParseState *ps, LabelList l, Token str) {
  Token lit = {str.start + 1, str.end - 1};
  return label_add(ps, l, tstr(ps, lit), trange(ps, str));
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
    if (c == '.') {
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
  if (src->kind == EXPR_SPLAT && src->u.splat.attr_only)
    diag_error(ps->diags, trange(ps, close), "Nested splat expression not allowed",
               "A splat expression (*) cannot be used inside another attribute-only splat expression.");
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
  if ((s.len == 4 && (memcmp(s.s, "true", 4) == 0 || memcmp(s.s, "null", 4) == 0)) ||
      (s.len == 5 && memcmp(s.s, "false", 5) == 0)) {
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

Expr *ps_tuple(ParseState *ps, Token open, ExprList l, Token close) {
  Expr *e = new_expr(ps, EXPR_TUPLE, VARIANT_SIZE(list), src_range(ps->file, open.start, close.end));
  e->u.list.n = l.n;
  e->u.list.v = list_finish(ps, SC_EXPRS, l);
  return e;
}

Expr *ps_object(ParseState *ps, Token open, ObjList l, Token close) {
  Expr *e = new_expr(ps, EXPR_OBJECT, VARIANT_SIZE(object), src_range(ps->file, open.start, close.end));
  e->u.object.n = l.n;
  e->u.object.v = list_finish(ps, SC_OBJS, l);
  return e;
}

Expr *ps_call(ParseState *ps, Token name, Token open, ExprList args, Token close) {
  Expr *e = new_expr(ps, EXPR_CALL, VARIANT_SIZE(call), src_range(ps->file, name.start, close.end));
  e->u.call.name = tstr(ps, name);
  e->u.call.name_range = trange(ps, name);
  e->u.call.open_range = trange(ps, open);
  e->u.call.close_range = trange(ps, close);
  e->u.call.nargs = args.n;
  e->u.call.expand_final = args.expand;
  e->u.call.args = list_finish(ps, SC_EXPRS, args);
  return e;
}

ExprList ps_list_add(ParseState *ps, ExprList l, Expr *x) {
  Expr **slot = list_push(ps, SC_EXPRS, &l);
  *slot = nz(ps, x, src_range(ps->file, ps->prev.start, ps->prev.end));
  return l;
}

ExprList ps_list_expand(ParseState *ps, ExprList l) {
  (void)ps;
  l.expand = true;
  return l;
}

ObjList ps_obj_add(ParseState *ps, ObjList l, Expr *k, Expr *v, bool colon) {
  SrcRange r = src_range(ps->file, ps->prev.start, ps->prev.end);
  k = nz(ps, k, r);
  v = nz(ps, v, r);
  ObjItem *it = list_push(ps, SC_OBJS, &l);
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

static void strip_tail(ParseState *ps, PartList *l) {
  if (!l || !l->n) return;
  TplPart *last = list_at(ps, SC_PARTS, *l, l->n - 1);
  if (last->kind != TPL_LITERAL) return;
  HclStr *s = &last->u.lit;
  while (s->len && is_strip_space(s->s[s->len - 1])) s->len--;
}

static void strip_head(ParseState *ps, PartList *l) {
  if (!l || !l->n) return;
  TplPart *first = list_at(ps, SC_PARTS, *l, 0);
  if (first->kind != TPL_LITERAL) return;
  HclStr *s = &first->u.lit;
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

/* Strings are NFC-normalised, as hcl does for every quoted string and
** heredoc. ASCII text is already normal, so only text with high bytes pays. */
static HclStr nfc(ParseState *ps, HclStr s) {
  size_t i = 0;
  while (i < s.len && (unsigned char)s.s[i] < 0x80) i++;
  if (i == s.len) return s;
  utf8proc_uint8_t *out = NULL;
  utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s.s, (utf8proc_ssize_t)s.len, &out,
                                    UTF8PROC_STABLE | UTF8PROC_COMPOSE);
  if (n < 0) return s; /* invalid UTF-8 was reported already */
  if ((size_t)n != s.len || memcmp(out, s.s, s.len) != 0) {
    s.s = arena_strndup(ps->A, (const char *)out, (size_t)n);
    s.len = (size_t)n;
  }
  free(out);
  return s;
}

/* Decodes a literal chunk: escapes in quoted strings (heredocs only have
** $${ and %%{). Returns the source slice itself when nothing needs
** decoding, so ordinary strings are never copied. */
static HclStr decode_lit(ParseState *ps, Token t, bool heredoc, bool normalize) {
  const char *s = ps->src + t.start;
  size_t n = t.end - t.start;
  /* Most chunks are plain ASCII: one scan for the bytes that can matter
  ** (escapes, $${ and %%{, non-ASCII) settles it without copying. */
  size_t i = 0;
#ifdef SWAR
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    if ((w & HIGHS) | HAS_BYTE(w, '\\') | HAS_BYTE(w, '$') | HAS_BYTE(w, '%')) break;
  }
#endif
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\\' || c == '$' || c == '%' || c >= 0x80) break;
    i++;
  }
  if (i == n) {
    HclStr r = {s, n};
    return r;
  }
  bool plain = true;
  for (; i < n && plain; i++) {
    char c = s[i];
    if (c == '\\') plain = heredoc;
    else if ((c == '$' || c == '%') && i + 2 < n && s[i + 1] == c && s[i + 2] == '{') plain = false;
  }
  /* bytes must be UTF-8; ASCII (the common case) needs no decoding */
  size_t hi = 0;
  while (hi < n && (unsigned char)s[hi] < 0x80) hi++;
  for (i = hi; i < n;) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
    if (k <= 0) {
      SrcRange r = src_range(ps->file, t.start + (uint32_t)i, t.start + (uint32_t)i + 1);
      diag_error(ps->diags, r, "Invalid character encoding",
                 "All input files must be UTF-8 encoded. Ensure that UTF-8 encoding is selected in your editor.");
      break;
    }
    i += (size_t)k;
  }
  if (plain) {
    HclStr r = {s, n};
    return normalize ? nfc(ps, r) : r;
  }
  char *out = arena_alloc(ps->A, n + 1);
  size_t o = 0;
  for (i = 0; i < n;) {
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
  return normalize ? nfc(ps, r) : r;
}

static PartList part_add(ParseState *ps, PartList l, TplPart p) {
  *(TplPart *)list_push(ps, SC_PARTS, &l) = p;
  return l;
}

PartList ps_part_lit(ParseState *ps, PartList l, Token t, bool heredoc) {
  TplPart p;
  memset(&p, 0, sizeof p);
  p.kind = TPL_LITERAL;
  p.range = trange(ps, t);
  p.u.lit = decode_lit(ps, t, heredoc, true);
  if (l.strip_next) {
    l.strip_next = false;
    while (p.u.lit.len && is_strip_space(p.u.lit.s[0])) {
      p.u.lit.s++;
      p.u.lit.len--;
    }
  }
  return part_add(ps, l, p);
}

PartList ps_part_interp(ParseState *ps, PartList l, Token open, Expr *e, Token close) {
  if (tok_strips_left(ps, open)) strip_tail(ps, &l);
  TplPart p;
  memset(&p, 0, sizeof p);
  p.kind = TPL_INTERP;
  p.range = src_range(ps->file, open.start, close.end);
  p.u.interp = nz(ps, e, p.range);
  l.strip_next = false;
  l = part_add(ps, l, p);
  l.strip_next = tok_strips_right(ps, close);
  return l;
}

static TplList to_list(ParseState *ps, PartList l) {
  TplList t;
  t.n = l.n;
  t.v = list_finish(ps, SC_PARTS, l);
  return t;
}

PartList ps_part_if(ParseState *ps, PartList l, Token open, Expr *cond, Token c1, PartList then_parts,
                    Token *else_open, Token *else_close, PartList *else_parts, Token end_open, Token end_close) {
  if (tok_strips_left(ps, open)) strip_tail(ps, &l);
  if (tok_strips_right(ps, c1)) strip_head(ps, &then_parts);
  if (else_open) {
    if (tok_strips_left(ps, *else_open)) strip_tail(ps, &then_parts);
    if (tok_strips_right(ps, *else_close)) strip_head(ps, else_parts);
    if (tok_strips_left(ps, end_open)) strip_tail(ps, else_parts);
  } else if (tok_strips_left(ps, end_open)) {
    strip_tail(ps, &then_parts);
  }
  TplIf *d = arena_alloc(ps->A, sizeof *d);
  SrcRange r = src_range(ps->file, open.start, end_close.end);
  d->cond = nz(ps, cond, r);
  /* the else list sits above the then list on the scratch stack */
  if (else_parts) d->else_parts = to_list(ps, *else_parts);
  d->then_parts = to_list(ps, then_parts);
  d->has_else = else_open != NULL;
  TplPart p;
  memset(&p, 0, sizeof p);
  p.kind = TPL_IF;
  p.range = r;
  p.u.ifd = d;
  l.strip_next = false;
  l = part_add(ps, l, p);
  l.strip_next = tok_strips_right(ps, end_close);
  return l;
}

PartList ps_part_for(ParseState *ps, PartList l, Token open, Token *key, Token *val, Expr *coll, Token c1,
                     PartList body, Token end_open, Token end_close) {
  if (tok_strips_left(ps, open)) strip_tail(ps, &l);
  if (tok_strips_right(ps, c1)) strip_head(ps, &body);
  if (tok_strips_left(ps, end_open)) strip_tail(ps, &body);
  TplFor *d = arena_alloc(ps->A, sizeof *d);
  SrcRange r = src_range(ps->file, open.start, end_close.end);
  if (key) d->key_var = tstr(ps, *key);
  d->val_var = tstr(ps, *val);
  d->coll = nz(ps, coll, r);
  d->body = to_list(ps, body);
  TplPart p;
  memset(&p, 0, sizeof p);
  p.kind = TPL_FOR;
  p.range = r;
  p.u.ford = d;
  l.strip_next = false;
  l = part_add(ps, l, p);
  l.strip_next = tok_strips_right(ps, end_close);
  return l;
}

/* <<- heredocs lose the indentation common to their lines. As in hcl, the
** walk is over the template's tokens in source order (strip markers already
** applied): a token starts a line when it is the first or follows a literal
** ending in a newline. A line-start literal that is only whitespace and a
** newline is blank and ignored; any other line-start literal offers its
** leading whitespace as a candidate, a line-start directive or
** interpolation offers 0. The minimum is then removed from every non-blank
** line-start literal. */
typedef struct Flush {
  bool at_line_start;
  bool apply;           /* second pass: trim */
  size_t min;
} Flush;

static bool blank_line(HclStr s) {
  if (!s.len || s.s[s.len - 1] != '\n') return false;
  for (size_t i = 0; i < s.len; i++)
    if (s.s[i] != ' ' && s.s[i] != '\t' && s.s[i] != '\r' && s.s[i] != '\n') return false;
  return true;
}

static void flush_nonlit(Flush *f) {
  if (f->at_line_start && !f->apply) f->min = 0;
  f->at_line_start = false;
}

static void flush_walk(TplList *l, Flush *f) {
  for (size_t i = 0; i < l->n; i++) {
    TplPart *p = &l->v[i];
    switch (p->kind) {
    case TPL_LITERAL: {
      HclStr *s = &p->u.lit;
      bool ends_nl = s->len && s->s[s->len - 1] == '\n';
      if (f->at_line_start && !blank_line(*s)) {
        size_t k = 0;
        while (k < s->len && (s->s[k] == ' ' || s->s[k] == '\t')) k++;
        if (!f->apply) {
          if (k < f->min) f->min = k;
        } else {
          if (k > f->min) k = f->min;
          s->s += k;
          s->len -= k;
        }
      }
      f->at_line_start = ends_nl;
      break;
    }
    case TPL_INTERP:
      flush_nonlit(f);
      break;
    case TPL_IF:
      flush_nonlit(f);
      flush_walk(&p->u.ifd->then_parts, f);
      if (p->u.ifd->has_else) flush_nonlit(f);
      flush_walk(&p->u.ifd->else_parts, f);
      flush_nonlit(f);
      break;
    case TPL_FOR:
      flush_nonlit(f);
      flush_walk(&p->u.ford->body, f);
      flush_nonlit(f);
      break;
    }
  }
}

/* Adjacent literal chunks (one per heredoc line, or split around a lone $)
** become one, as in hcl's tree. A run that is still contiguous in the
** source keeps pointing there; otherwise it is joined once. */
static void merge_literals(ParseState *ps, TplList *l) {
  size_t o = 0;
  for (size_t i = 0; i < l->n;) {
    TplPart *p = &l->v[i];
    if (p->kind == TPL_IF) {
      merge_literals(ps, &p->u.ifd->then_parts);
      merge_literals(ps, &p->u.ifd->else_parts);
    } else if (p->kind == TPL_FOR) {
      merge_literals(ps, &p->u.ford->body);
    }
    size_t j = i + 1;
    if (p->kind == TPL_LITERAL) {
      size_t len = p->u.lit.len;
      bool contiguous = true;
      for (; j < l->n && l->v[j].kind == TPL_LITERAL; j++) {
        contiguous = contiguous && l->v[j - 1].u.lit.s + l->v[j - 1].u.lit.len == l->v[j].u.lit.s;
        len += l->v[j].u.lit.len;
      }
      if (j > i + 1) {
        TplPart m = *p;
        if (!contiguous) {
          char *buf = arena_alloc(ps->A, len + 1), *w = buf;
          for (size_t k = i; k < j; k++) {
            memcpy(w, l->v[k].u.lit.s, l->v[k].u.lit.len);
            w += l->v[k].u.lit.len;
          }
          m.u.lit.s = buf;
        }
        m.u.lit.len = len;
        m.range.end = l->v[j - 1].range.end;
        l->v[o++] = m;
        i = j;
        continue;
      }
    }
    l->v[o++] = *p;
    i = j;
  }
  l->n = o;
}

Expr *ps_template(ParseState *ps, Token open, PartList parts, Token close, bool heredoc) {
  Expr *e = new_expr(ps, EXPR_TEMPLATE, VARIANT_SIZE(tpl), src_range(ps->file, open.start, close.end));
  e->u.tpl.heredoc = heredoc;
  /* indentation and merging work on the scratch stack, so that only the
  ** merged parts (one per heredoc rather than one per line) are copied */
  TplList l = {parts.n ? list_at(ps, SC_PARTS, parts, 0) : NULL, parts.n};
  if (heredoc && open.end - open.start > 2 && ps->src[open.start + 2] == '-') {
    e->u.tpl.flush = true;
    Flush f = {true, false, (size_t)-1};
    flush_walk(&l, &f);
    if (f.min != (size_t)-1 && f.min > 0) {
      f.apply = true;
      f.at_line_start = true;
      flush_walk(&l, &f);
    }
  }
  merge_literals(ps, &l);
  parts.n = (uint32_t)l.n;
  if (l.n == 1 && l.v[0].kind == TPL_LITERAL) {
    e->u.tpl.literal = true;
    e->u.tpl.lit = l.v[0].u.lit;
    parts.n = 0; /* list_finish then only pops the part */
    list_finish(ps, SC_PARTS, parts);
  } else {
    e->u.tpl.parts = to_list(ps, parts);
  }
  return e;
}

/* A plain string (one TK_STRING token) is the same tree as its quote,
** literal, quote form would build, made directly: it is the commonest
** expression in a configuration, and its text needs no decoding. */
Expr *ps_string(ParseState *ps, Token str) {
  Expr *e = new_expr(ps, EXPR_TEMPLATE, VARIANT_SIZE(tpl), trange(ps, str));
  if (str.end - str.start > 2) {
    Token lit = {str.start + 1, str.end - 1};
    e->u.tpl.literal = true;
    e->u.tpl.lit = tstr(ps, lit);
  }
  return e;
}
