/*
** parser/json.c — HCL's JSON syntax (.tf.json) into the native tree shape.
**
** yajl reads the bytes (strict JSON, UTF-8 checked) into a small document of
** values with byte ranges; a second pass turns that document into Bodies,
** Blocks and Attributes. JSON cannot say whether a property is an argument
** or a block, so the caller's schema decides (HclJsonSchema), as hcl decodes
** a JSON body against a schema. Strings are templates, parsed by the native
** parser; where the schema says a string holds an expression (depends_on,
** provider, a variable's type) it is parsed as one. Ranges inside a string
** are exact when the string has no escapes, and fall within the string's
** quotes otherwise, which is as close as hcl gets too.
*/
#include "parser/ast.h"
#include "base/buf.h"
#include "base/util.h"

#include <yajl/yajl_parse.h>

#include <stdlib.h>
#include <string.h>

/* Deeper nesting is reported instead of read: every later stage recurses. */
#define MAX_NESTING 1000

typedef enum { JV_NULL, JV_BOOL, JV_NUM, JV_STR, JV_ARR, JV_OBJ } JKind;

typedef struct JVal JVal;

typedef struct JProp {
  const char *key;
  size_t klen;
  uint32_t kstart, kend;   /* the key's token, quotes included */
  JVal *val;
} JProp;

struct JVal {
  JKind kind;
  uint32_t start, end;
  const char *s;           /* JV_STR: decoded text; JV_NUM: as written */
  size_t len;
  bool b;
  JVal **items;            /* JV_ARR */
  JProp *props;            /* JV_OBJ */
  size_t n;
};

/* ------------------------------------------------------------ document */

typedef struct Frame {
  JVal *v;
  JVal **items;
  JProp *props;
  size_t n, cap;
} Frame;

typedef struct Doc {
  yajl_handle h;
  Arena *a;
  const char *src;
  size_t len;
  Frame *stack;
  size_t depth, cap;
  JVal *root;
  /* the key read last, waiting for its value */
  const char *key;
  size_t klen;
  uint32_t kstart, kend;
  bool too_deep;
} Doc;

static uint32_t consumed(Doc *d) { return (uint32_t)yajl_get_bytes_consumed(d->h); }

/* The opening quote of the string token that ends just before end. */
static uint32_t str_start(const char *src, uint32_t end) {
  for (uint32_t j = end >= 2 ? end - 2 : 0; j > 0; j--) {
    if (src[j] != '"') continue;
    uint32_t bs = 0;
    while (j > bs && src[j - 1 - bs] == '\\') bs++;
    if (bs % 2 == 0) return j;
  }
  return 0;
}

static JVal *add_value(Doc *d, JKind k, uint32_t start, uint32_t end) {
  /* a number at the very end is only seen complete at EOF, where yajl's
  ** count may not cover it: keep the range inside the file */
  if (end > d->len) end = (uint32_t)d->len;
  if (start > end) start = end;
  JVal *v = arena_alloc(d->a, sizeof *v);
  memset(v, 0, sizeof *v);
  v->kind = k;
  v->start = start;
  v->end = end;
  Frame *f = d->depth ? &d->stack[d->depth - 1] : NULL;
  if (!f) {
    d->root = v;
  } else if (f->v->kind == JV_ARR) {
    VEC_PUSH(f->items, f->n, f->cap, v);
  } else {
    JProp p = {d->key, d->klen, d->kstart, d->kend, v};
    VEC_PUSH(f->props, f->n, f->cap, p);
  }
  return v;
}

static int cb_null(void *ud) {
  Doc *d = ud;
  uint32_t e = consumed(d);
  add_value(d, JV_NULL, e - 4, e);
  return 1;
}

static int cb_bool(void *ud, int b) {
  Doc *d = ud;
  uint32_t e = consumed(d);
  JVal *v = add_value(d, JV_BOOL, e - (b ? 4 : 5), e);
  v->b = b != 0;
  return 1;
}

static int cb_number(void *ud, const char *s, size_t len) {
  Doc *d = ud;
  uint32_t e = consumed(d);
  JVal *v = add_value(d, JV_NUM, e - (uint32_t)len, e);
  v->s = arena_strndup(d->a, s, len);
  v->len = len;
  return 1;
}

static int cb_string(void *ud, const unsigned char *s, size_t len) {
  Doc *d = ud;
  uint32_t e = consumed(d);
  JVal *v = add_value(d, JV_STR, str_start(d->src, e), e);
  v->s = arena_strndup(d->a, (const char *)s, len);
  v->len = len;
  return 1;
}

static int cb_key(void *ud, const unsigned char *s, size_t len) {
  Doc *d = ud;
  d->kend = consumed(d);
  d->kstart = str_start(d->src, d->kend);
  d->key = arena_strndup(d->a, (const char *)s, len);
  d->klen = len;
  return 1;
}

static int open_container(Doc *d, JKind k) {
  if (d->depth >= MAX_NESTING) {
    d->too_deep = true;
    return 0;
  }
  uint32_t e = consumed(d);
  JVal *v = add_value(d, k, e - 1, e);
  Frame f = {v, NULL, NULL, 0, 0};
  VEC_PUSH(d->stack, d->depth, d->cap, f);
  return 1;
}

static int close_container(Doc *d) {
  Frame *f = &d->stack[--d->depth];
  f->v->end = consumed(d);
  f->v->n = f->n;
  if (f->v->kind == JV_ARR && f->n) {
    f->v->items = arena_alloc(d->a, f->n * sizeof *f->items);
    memcpy(f->v->items, f->items, f->n * sizeof *f->items);
  } else if (f->v->kind == JV_OBJ && f->n) {
    f->v->props = arena_alloc(d->a, f->n * sizeof *f->props);
    memcpy(f->v->props, f->props, f->n * sizeof *f->props);
  }
  free(f->items);
  free(f->props);
  return 1;
}

static int cb_start_map(void *ud) { return open_container(ud, JV_OBJ); }
static int cb_end_map(void *ud) { return close_container(ud); }
static int cb_start_array(void *ud) { return open_container(ud, JV_ARR); }
static int cb_end_array(void *ud) { return close_container(ud); }

static const yajl_callbacks callbacks = {
  cb_null, cb_bool, NULL, NULL, cb_number, cb_string, cb_start_map, cb_key, cb_end_map, cb_start_array, cb_end_array,
};

/* yajl's messages, in the words hcl uses for the same mistakes. */
static void syntax_error(DiagList *dl, uint32_t file, uint32_t at, const char *msg) {
  const char *summary = "Invalid JSON syntax", *detail = "This is not valid JSON.";
  if (strstr(msg, "premature EOF")) {
    summary = "Missing JSON value";
    detail = "The JSON document ends before it is complete; check for a missing closing brace or bracket.";
  } else if (strstr(msg, "separated by a colon")) {
    summary = "Missing property value colon";
    detail = "JSON requires a colon after a property name.";
  } else if (strstr(msg, "inside map, I expect")) {
    summary = "Missing attribute seperator comma";
    detail = "A comma is required to separate each attribute from the next inside an object.";
  } else if (strstr(msg, "after array element")) {
    summary = "Missing array element separator comma";
    detail = "A comma is required to separate each element from the next inside an array.";
  } else if (strstr(msg, "trailing garbage")) {
    summary = "Extraneous data after value";
    detail = "Extra characters appear after the JSON value.";
  } else if (strstr(msg, "invalid object key")) {
    summary = "Invalid object property name";
    detail = "A JSON object property name must be a string.";
  } else if (strstr(msg, "string") || strstr(msg, "escape") || strstr(msg, "UTF8")) {
    summary = "Invalid JSON string";
    detail = "This string is not valid JSON: check its escapes and that it is UTF-8.";
  } else if (strstr(msg, "number") || strstr(msg, "digit")) {
    summary = "Invalid JSON number";
    detail = "This is not a valid JSON number.";
  } else if (strstr(msg, "invalid char") || strstr(msg, "unallowed token")) {
    summary = "Invalid JSON keyword";
    detail = "This is not a JSON value: expected an object, array, string, number, true, false or null.";
  }
  SrcFile *sf = src_get(file);
  uint32_t end = at < sf->len ? at + 1 : at;
  while (end < sf->len && ((unsigned char)sf->bytes[end] & 0xC0) == 0x80) end++;
  diag_error(dl, src_range(file, at, end), summary, "%s", detail);
}

static JVal *read_doc(uint32_t file, Arena *a, DiagList *dl) {
  SrcFile *sf = src_get(file);
  Doc d;
  memset(&d, 0, sizeof d);
  d.a = a;
  d.src = sf->bytes;
  d.len = sf->len;
  d.h = yajl_alloc(&callbacks, NULL, &d);
  yajl_status st = yajl_parse(d.h, (const unsigned char *)sf->bytes, sf->len);
  if (st == yajl_status_ok) st = yajl_complete_parse(d.h);
  if (st != yajl_status_ok) {
    uint32_t at = consumed(&d);
    if (at > sf->len) at = (uint32_t)sf->len;
    if (d.too_deep) {
      diag_error(dl, src_range(file, at ? at - 1 : 0, at), "Nesting too deep",
                 "This document nests objects and arrays more than %d levels deep here, which tfc does not accept.",
                 MAX_NESTING);
    } else {
      unsigned char *msg = yajl_get_error(d.h, 0, (const unsigned char *)sf->bytes, sf->len);
      syntax_error(dl, file, at, (const char *)msg);
      yajl_free_error(d.h, msg);
    }
    d.root = NULL;
  }
  for (size_t i = 0; i < d.depth; i++) {
    free(d.stack[i].items);
    free(d.stack[i].props);
  }
  free(d.stack);
  yajl_free(d.h);
  return d.root;
}

/* ------------------------------------------------------- ranges in strings */

/* Moves a range of the copy a string was parsed from onto the JSON file:
** offset k of the string's text is byte lo + k, clamped within the quotes. */
typedef struct Remap {
  uint32_t from, to, shift, lo, hi;
} Remap;

static void fix(SrcRange *r, const Remap *m) {
  if (r->file != m->from) return;
  r->file = m->to;
  uint32_t s = r->start > m->shift ? r->start - m->shift : 0, e = r->end > m->shift ? r->end - m->shift : 0;
  r->start = m->lo + s > m->hi ? m->hi : m->lo + s;
  r->end = m->lo + e > m->hi ? m->hi : m->lo + e;
  if (r->end < r->start) r->end = r->start;
}

static void fix_expr(Expr *e, const Remap *m);

static void fix_parts(TplList *l, const Remap *m) {
  for (size_t i = 0; i < l->n; i++) {
    TplPart *p = &l->v[i];
    fix(&p->range, m);
    switch (p->kind) {
    case TPL_LITERAL: break;
    case TPL_INTERP: fix_expr(p->u.interp, m); break;
    case TPL_IF:
      fix_expr(p->u.ifd->cond, m);
      fix_parts(&p->u.ifd->then_parts, m);
      fix_parts(&p->u.ifd->else_parts, m);
      break;
    case TPL_FOR:
      fix_expr(p->u.ford->coll, m);
      fix_parts(&p->u.ford->body, m);
      break;
    }
  }
}

static void fix_expr(Expr *e, const Remap *m) {
  if (!e) return;
  fix(&e->range, m);
  switch (e->kind) {
  case EXPR_LITERAL: case EXPR_VARIABLE: case EXPR_ANON: break;
  case EXPR_TEMPLATE:
    if (!e->u.tpl.literal) fix_parts(&e->u.tpl.parts, m);
    break;
  case EXPR_TUPLE:
    for (size_t i = 0; i < e->u.list.n; i++) fix_expr(e->u.list.v[i], m);
    break;
  case EXPR_OBJECT:
    for (size_t i = 0; i < e->u.object.n; i++) {
      fix_expr(e->u.object.v[i].key, m);
      fix_expr(e->u.object.v[i].value, m);
    }
    break;
  case EXPR_GETATTR:
    fix_expr(e->u.getattr.obj, m);
    fix(&e->u.getattr.name_range, m);
    break;
  case EXPR_INDEX:
    fix_expr(e->u.index.obj, m);
    fix_expr(e->u.index.key, m);
    fix(&e->u.index.bracket_range, m);
    break;
  case EXPR_SPLAT:
    fix_expr(e->u.splat.src, m);
    fix_expr(e->u.splat.each, m);
    fix(&e->u.splat.marker_range, m);
    break;
  case EXPR_CALL:
    fix(&e->u.call.name_range, m);
    fix(&e->u.call.open_range, m);
    fix(&e->u.call.close_range, m);
    for (size_t i = 0; i < e->u.call.nargs; i++) fix_expr(e->u.call.args[i], m);
    break;
  case EXPR_FOR:
    fix_expr(e->u.forx.coll, m);
    fix_expr(e->u.forx.key, m);
    fix_expr(e->u.forx.value, m);
    fix_expr(e->u.forx.cond, m);
    fix(&e->u.forx.open_range, m);
    fix(&e->u.forx.close_range, m);
    break;
  case EXPR_BINARY:
    fix_expr(e->u.binary.l, m);
    fix_expr(e->u.binary.r, m);
    fix(&e->u.binary.op_range, m);
    break;
  case EXPR_UNARY: fix_expr(e->u.unary.e, m); break;
  case EXPR_COND:
    fix_expr(e->u.cond.cond, m);
    fix_expr(e->u.cond.t, m);
    fix_expr(e->u.cond.f, m);
    break;
  case EXPR_PAREN: fix_expr(e->u.paren, m); break;
  }
}

/* ------------------------------------------------------------ the tree */

typedef struct Conv {
  Arena *a;
  uint32_t file;
  const HclJsonSchema *sch;
  DiagList *d;
  int depth;   /* blocks open; 0 at the top level */
} Conv;

static SrcRange rng(Conv *c, uint32_t s, uint32_t e) { return src_range(c->file, s, e); }

static Expr *new_expr(Conv *c, ExprKind k, uint32_t s, uint32_t e) {
  Expr *x = arena_alloc(c->a, sizeof *x);
  memset(x, 0, sizeof *x);
  x->kind = k;
  x->range = rng(c, s, e);
  return x;
}

static Expr *literal_template(Conv *c, const char *s, size_t len, uint32_t start, uint32_t end) {
  Expr *x = new_expr(c, EXPR_TEMPLATE, start, end);
  x->u.tpl.literal = true;
  x->u.tpl.lit.s = s;
  x->u.tpl.lit.len = len;
  return x;
}

/* Parses text (a JSON string's decoded value) as a template or, with
** as_expr, an expression, with every range moved onto the string. */
static Expr *parse_string(Conv *c, const JVal *v, bool as_expr) {
  SrcFile *sf = src_get(c->file);
  Buf b = BUF_INIT;
  char marker[32] = "TFCJSON";
  uint32_t shift = 0;
  if (as_expr) {
    buf_add(&b, v->s, v->len);
  } else {
    /* a heredoc body has exactly a template's syntax: no backslash escapes */
    for (int k = 0; memmem(v->s, v->len, marker, strlen(marker)); k++) snprintf(marker, sizeof marker, "TFCJSON%d", k);
    buf_printf(&b, "<<%s\n", marker);
    shift = (uint32_t)b.len;
    buf_add(&b, v->s, v->len);
    buf_printf(&b, "\n%s\n", marker);
  }
  size_t blen = b.len;
  uint32_t copy = src_add(sf->path, buf_take(&b), blen);
  Remap m = {copy, c->file, shift, v->start + 1, v->end > v->start + 1 ? v->end - 1 : v->end};
  size_t first = c->d->n, errs = c->d->nerrors;
  Expr *e = hcl_parse_expr(copy, c->a, c->d);
  for (size_t i = first; i < c->d->n; i++) {
    fix(&c->d->v[i].subject, &m);
    fix(&c->d->v[i].context, &m);
  }
  if (!e || c->d->nerrors > errs) return new_expr(c, EXPR_LITERAL, v->start, v->end); /* null, reported */
  fix_expr(e, &m);
  if (!as_expr && e->kind == EXPR_TEMPLATE) {
    e->u.tpl.heredoc = false;
    /* drop the newline the heredoc needed before its closing marker */
    if (e->u.tpl.literal) {
      HclStr *t = &e->u.tpl.lit;
      if (t->len && t->s[t->len - 1] == '\n' && --t->len == 0) {
        e->u.tpl.literal = false; /* nothing left: an empty template */
        e->u.tpl.parts.v = NULL;
        e->u.tpl.parts.n = 0;
      }
    } else {
      TplList *l = &e->u.tpl.parts;
      if (l->n && l->v[l->n - 1].kind == TPL_LITERAL && l->v[l->n - 1].u.lit.len &&
          l->v[l->n - 1].u.lit.s[l->v[l->n - 1].u.lit.len - 1] == '\n') {
        if (--l->v[l->n - 1].u.lit.len == 0) l->n--;
      }
    }
  }
  e->range = rng(c, v->start, v->end);
  return e;
}

static bool has_template_syntax(const char *s, size_t n) {
  return memmem(s, n, "${", 2) != NULL || memmem(s, n, "%{", 2) != NULL;
}

static Expr *conv_expr(Conv *c, const JVal *v, bool as_expr) {
  switch (v->kind) {
  case JV_NULL: {
    Expr *x = new_expr(c, EXPR_LITERAL, v->start, v->end);
    x->u.lit.kind = LIT_NULL;
    return x;
  }
  case JV_BOOL: {
    Expr *x = new_expr(c, EXPR_LITERAL, v->start, v->end);
    x->u.lit.kind = LIT_BOOL;
    x->u.lit.b = v->b;
    return x;
  }
  case JV_NUM: {
    Expr *x = new_expr(c, EXPR_LITERAL, v->start, v->end);
    x->u.lit.kind = LIT_NUMBER;
    x->u.lit.text.s = v->s;
    x->u.lit.text.len = v->len;
    return x;
  }
  case JV_STR:
    if (as_expr || has_template_syntax(v->s, v->len)) return parse_string(c, v, as_expr);
    return literal_template(c, v->s, v->len, v->start, v->end);
  case JV_ARR: {
    Expr *x = new_expr(c, EXPR_TUPLE, v->start, v->end);
    x->u.list.n = v->n;
    x->u.list.v = arena_alloc(c->a, (v->n ? v->n : 1) * sizeof(Expr *));
    for (size_t i = 0; i < v->n; i++) x->u.list.v[i] = conv_expr(c, v->items[i], as_expr);
    return x;
  }
  case JV_OBJ: {
    Expr *x = new_expr(c, EXPR_OBJECT, v->start, v->end);
    x->u.object.n = v->n;
    x->u.object.v = arena_alloc(c->a, (v->n ? v->n : 1) * sizeof(ObjItem));
    for (size_t i = 0; i < v->n; i++) {
      const JProp *p = &v->props[i];
      ObjItem *it = &x->u.object.v[i];
      memset(it, 0, sizeof *it);
      JVal k = {JV_STR, p->kstart, p->kend, p->key, p->klen, false, NULL, NULL, 0};
      it->key = conv_expr(c, &k, as_expr);
      /* {"aws": "aws.west"} in a module's providers: the key is a name */
      it->key_bare = as_expr && it->key->kind == EXPR_VARIABLE;
      it->colon = true;
      it->value = conv_expr(c, p->val, as_expr);
    }
    return x;
  }
  }
  return NULL;
}

typedef struct Items {
  BodyItem *v;
  size_t n, cap;
} Items;

static Body *conv_body(Conv *c, const JVal *obj, const void *ctx);

static void add_block(Conv *c, Items *out, const JProp *p, const JVal *body, HclStr *labels, SrcRange *lranges,
                      size_t nl, const void *ctx) {
  Block *b = arena_alloc(c->a, sizeof *b);
  memset(b, 0, sizeof *b);
  b->type.s = p->key;
  b->type.len = p->klen;
  b->type_range = rng(c, p->kstart, p->kend);
  b->nlabels = nl;
  if (nl) {
    b->labels = arena_alloc(c->a, nl * sizeof *labels);
    b->label_ranges = arena_alloc(c->a, nl * sizeof *lranges);
    memcpy(b->labels, labels, nl * sizeof *labels);
    memcpy(b->label_ranges, lranges, nl * sizeof *lranges);
  }
  const char *cl[8];
  for (size_t i = 0; i < nl && i < 8; i++) cl[i] = hcl_cstr(c->a, labels[i]);
  const void *inner = c->sch->body ? c->sch->body(c->sch->ud, ctx, p->key, cl, nl < 8 ? nl : 8) : NULL;
  c->depth++;
  b->body = conv_body(c, body, inner);
  c->depth--;
  b->open_range = rng(c, body->start, body->start + 1);
  b->close_range = rng(c, body->end > body->start ? body->end - 1 : body->end, body->end);
  b->range = rng(c, p->kstart, body->end);
  if (c->depth == 0) {
    Buf h = BUF_INIT;
    buf_add(&h, p->key, p->klen);
    for (size_t i = 0; i < nl; i++) {
      buf_puts(&h, " \"");
      for (size_t k = 0; k < labels[i].len; k++) {
        char ch = labels[i].s[k];
        if (ch == '"' || ch == '\\') buf_putc(&h, '\\');
        buf_putc(&h, ch);
      }
      buf_putc(&h, '"');
    }
    src_add_context(c->file, b->range.start, b->range.end, h.s, h.len);
    buf_free(&h);
  }
  BodyItem it = {NULL, b};
  VEC_PUSH(out->v, out->n, out->cap, it);
}

/* A block's value: nested objects whose keys are the labels, then the body
** (an object), or an array of either for several blocks. */
static void conv_blocks(Conv *c, Items *out, const JProp *p, const JVal *v, HclStr *labels, SrcRange *lranges,
                        size_t have, size_t want, const void *ctx) {
  if (v->kind == JV_ARR) {
    for (size_t i = 0; i < v->n; i++) conv_blocks(c, out, p, v->items[i], labels, lranges, have, want, ctx);
    return;
  }
  if (v->kind != JV_OBJ) {
    if (have < want)
      diag_error(c->d, rng(c, v->start, v->end), "Incorrect JSON value type",
                 "A JSON object is required here, whose property names are the labels of a \"%.*s\" block.",
                 (int)p->klen, p->key);
    else
      diag_error(c->d, rng(c, v->start, v->end), "Incorrect JSON value type",
                 "Either a JSON object or a JSON array of objects is required here, to define the arguments and "
                 "blocks of a \"%.*s\" block.", (int)p->klen, p->key);
    return;
  }
  if (have == want) {
    add_block(c, out, p, v, labels, lranges, have, ctx);
    return;
  }
  if (v->n == 0)
    diag_error(c->d, rng(c, v->start, v->end), "Missing block label",
               "At least one object property is required, whose name is the label of a \"%.*s\" block.",
               (int)p->klen, p->key);
  for (size_t i = 0; i < v->n; i++) {
    labels[have].s = v->props[i].key;
    labels[have].len = v->props[i].klen;
    lranges[have] = rng(c, v->props[i].kstart, v->props[i].kend);
    conv_blocks(c, out, p, v->props[i].val, labels, lranges, have + 1, want, ctx);
  }
}

static Body *conv_body(Conv *c, const JVal *obj, const void *ctx) {
  Body *body = arena_alloc(c->a, sizeof *body);
  memset(body, 0, sizeof *body);
  body->range = rng(c, obj->start, obj->end);
  Items items = {0};
  for (size_t i = 0; i < obj->n; i++) {
    const JProp *p = &obj->props[i];
    if (p->klen == 2 && memcmp(p->key, "//", 2) == 0) continue; /* a comment */
    int nl = 0;
    HclJsonKind k = c->sch->property ? c->sch->property(c->sch->ud, ctx, p->key, &nl) : HJ_ATTR;
    if (k == HJ_BLOCK) {
      HclStr labels[8];
      SrcRange lr[8];
      conv_blocks(c, &items, p, p->val, labels, lr, 0, nl > 8 ? 8 : (size_t)(nl < 0 ? 0 : nl), ctx);
      continue;
    }
    Attribute *a = arena_alloc(c->a, sizeof *a);
    memset(a, 0, sizeof *a);
    a->name.s = p->key;
    a->name.len = p->klen;
    a->name_range = rng(c, p->kstart, p->kend);
    a->expr = conv_expr(c, p->val, k == HJ_EXPR);
    BodyItem it = {a, NULL};
    VEC_PUSH(items.v, items.n, items.cap, it);
  }
  if (items.n) {
    body->items = arena_alloc(c->a, items.n * sizeof *items.v);
    memcpy(body->items, items.v, items.n * sizeof *items.v);
    body->nitems = items.n;
  }
  free(items.v);
  return body;
}

HclFile *hcl_parse_json(uint32_t file, const HclJsonSchema *sch, DiagList *diags) {
  static const HclJsonSchema none = {NULL, NULL, NULL};
  HclFile *hf = xcalloc(1, sizeof *hf);
  arena_init(&hf->arena);
  hf->file = file;
  hf->is_json = true;
  JVal *root = read_doc(file, &hf->arena, diags);
  Conv c = {&hf->arena, file, sch ? sch : &none, diags, 0};
  if (root && root->kind != JV_OBJ) {
    diag_error(diags, rng(&c, root->start, root->end), "Incorrect JSON value type",
               "The root of a JSON configuration file must be an object, whose properties are the blocks and "
               "arguments of the file.");
    root = NULL;
  }
  if (root) {
    hf->body = conv_body(&c, root, NULL);
  } else {
    hf->body = arena_alloc(&hf->arena, sizeof(Body));
    memset(hf->body, 0, sizeof(Body));
    hf->body->range = src_range(file, 0, 0);
  }
  return hf;
}
