/*
** parser/hcl2json.c — converts a syntax tree to hcl2json's JSON shape.
**
** The rules follow the converter users pipe into jq: attributes and blocks
** merge into one object per body; literal values (and unary operators on a
** literal) become JSON values; tuples and objects convert element-wise;
** templates are re-rendered from their parts; everything else is kept as
** "${<exact source text>}".
*/
#include "parser/hcl2json.h"
#include "base/buf.h"
#include "base/jsonout.h"
#include "base/util.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct Conv {
  const HclFile *f;
  const char *src;
  DiagList *diags;
  bool failed;
} Conv;

static cJSON *conv_expr(Conv *c, const Expr *e);

/* "${" + exact source + "}" */
static void wrap_src(Conv *c, Buf *b, SrcRange r) {
  buf_puts(b, "${");
  buf_add(b, c->src + r.start, r.end - r.start);
  buf_putc(b, '}');
}

/* cJSON strings end at a NUL byte, but a decoded string may contain "\u0000":
** inside the tree a NUL is kept as the two bytes C0 80 (never valid UTF-8),
** and print_string turns them back into \u0000. */
static cJSON *string_json(const char *s, size_t n) {
  if (!s) return cJSON_CreateString("");
  if (!memchr(s, 0, n)) return cJSON_CreateString(s);
  Buf b = BUF_INIT;
  for (size_t i = 0; i < n; i++) {
    if (s[i]) buf_putc(&b, s[i]);
    else buf_add(&b, "\xC0\x80", 2);
  }
  cJSON *j = cJSON_CreateString(b.s ? b.s : "");
  buf_free(&b);
  return j;
}

static cJSON *wrap_json(Conv *c, SrcRange r) {
  Buf b = BUF_INIT;
  wrap_src(c, &b, r);
  cJSON *j = cJSON_CreateString(b.s);
  buf_free(&b);
  return j;
}

static cJSON *number_json(HclStr text, bool neg) {
  char *t = xstrndup(text.s, text.len);
  double d = strtod(t, NULL);
  free(t);
  if (neg) d = -d;
  if (!isfinite(d)) return cJSON_CreateNull();
  return cJSON_CreateNumber(d);
}

static cJSON *literal_json(const Expr *e, bool neg, bool not) {
  switch (e->u.lit.kind) {
  case LIT_NUMBER:
    return number_json(e->u.lit.text, neg);
  case LIT_BOOL:
    return cJSON_CreateBool(not ? !e->u.lit.b : e->u.lit.b);
  case LIT_NULL:
    return cJSON_CreateNull();
  }
  return cJSON_CreateNull();
}

/* Literal text as the converter emits it: "${" and "%{" are escaped again
** ("$${", "%%{") so the output is valid template text in HCL's JSON syntax. */
static void add_lit(Buf *b, HclStr s) {
  size_t i = 0, from = 0;
  for (; i + 1 < s.len; i++) {
    if ((s.s[i] == '$' || s.s[i] == '%') && s.s[i + 1] == '{') {
      buf_add(b, s.s + from, i + 1 - from);
      buf_putc(b, s.s[i]);
      from = i + 1;
    }
  }
  buf_add(b, s.s + from, s.len - from);
}

/* A number literal as cty prints it: exact decimal, no exponent, no
** superfluous zeros ("1.50" -> "1.5", "1e3" -> "1000"). */
static void add_number_text(Buf *b, HclStr t) {
  char digits[512];
  size_t nd = 0, i = 0;
  long point = -1, exp10 = 0;
  for (; i < t.len && t.s[i] != 'e' && t.s[i] != 'E'; i++) {
    if (t.s[i] == '.') point = (long)nd;
    else if (nd < sizeof digits) digits[nd++] = t.s[i];
  }
  if (point < 0) point = (long)nd;
  if (i < t.len) exp10 = strtol(t.s + i + 1, NULL, 10);
  if (exp10 > 100000 || exp10 < -100000) exp10 = 0;
  point += exp10;
  /* trim leading zeros of the integer part and trailing zeros of the fraction */
  size_t lo = 0, hi = nd;
  while (lo < hi && digits[lo] == '0') {
    lo++;
  }
  while (hi > lo && digits[hi - 1] == '0' && (long)hi > point) hi--;
  if (lo == hi) {
    buf_putc(b, '0');
    return;
  }
  long first = (long)lo;
  if (point <= first) {
    buf_puts(b, "0.");
    for (long k = point; k < first; k++) buf_putc(b, '0');
    buf_add(b, digits + lo, hi - lo);
    return;
  }
  for (long k = first; k < point; k++) buf_putc(b, k < (long)hi ? digits[k] : '0');
  if ((long)hi > point) {
    buf_putc(b, '.');
    buf_add(b, digits + point, hi - (size_t)point);
  }
}

static void conv_parts(Conv *c, Buf *b, const TplList *parts);

static bool is_traversal(const Expr *e) {
  HclStr text;
  switch (e->kind) {
  case EXPR_VARIABLE:
    return true;
  case EXPR_GETATTR:
    return is_traversal(e->u.getattr.obj);
  case EXPR_INDEX:
    return (e->u.index.key->kind == EXPR_LITERAL ||
            hcl_tpl_text(e->u.index.key, &text)) &&
           is_traversal(e->u.index.obj);
  default:
    return false;
  }
}

static bool single_interp(const Expr *e) {
  return e->kind == EXPR_TEMPLATE && !e->u.tpl.literal && e->u.tpl.parts.n == 1 &&
         e->u.tpl.parts.v[0].kind == TPL_INTERP;
}

static void add_src(Conv *c, Buf *b, SrcRange r) { buf_add(b, c->src + r.start, r.end - r.start); }

/* An expression in string context: literals render as their string
** value, templates as their parts, a conditional as an if directive, and
** anything else as "${source}". */
static void conv_strpart(Conv *c, Buf *b, const Expr *e) {
  switch (e->kind) {
  case EXPR_LITERAL:
    if (e->u.lit.kind == LIT_NUMBER) add_number_text(b, e->u.lit.text);
    else if (e->u.lit.kind == LIT_BOOL) buf_puts(b, e->u.lit.b ? "true" : "false");
    else buf_puts(b, "null");
    return;
  case EXPR_TEMPLATE:
    if (e->u.tpl.literal) add_lit(b, e->u.tpl.lit);
    else conv_parts(c, b, &e->u.tpl.parts);
    return;
  case EXPR_COND: {
    buf_puts(b, "%{if ");
    add_src(c, b, e->u.cond.cond->range);
    buf_putc(b, '}');
    conv_strpart(c, b, e->u.cond.t);
    Buf f = BUF_INIT;
    conv_strpart(c, &f, e->u.cond.f);
    if (f.len) {
      buf_puts(b, "%{else}");
      buf_add(b, f.s, f.len);
    }
    buf_free(&f);
    buf_puts(b, "%{endif}");
    return;
  }
  default:
    wrap_src(c, b, e->range);
    return;
  }
}

static void conv_parts(Conv *c, Buf *b, const TplList *parts) {
  for (size_t i = 0; i < parts->n; i++) {
    const TplPart *p = &parts->v[i];
    switch (p->kind) {
    case TPL_LITERAL:
      add_lit(b, p->u.lit);
      break;
    case TPL_INTERP:
      conv_strpart(c, b, p->u.interp);
      break;
    case TPL_IF: {
      const TplIf *d = p->u.ifd;
      buf_puts(b, "%{if ");
      add_src(c, b, d->cond->range);
      buf_putc(b, '}');
      conv_parts(c, b, &d->then_parts);
      Buf f = BUF_INIT;
      conv_parts(c, &f, &d->else_parts);
      if (f.len) {
        buf_puts(b, "%{else}");
        buf_add(b, f.s, f.len);
      }
      buf_free(&f);
      buf_puts(b, "%{endif}");
      break;
    }
    case TPL_FOR: {
      const TplFor *d = p->u.ford;
      buf_puts(b, "%{for ");
      if (d->key_var.len) {
        buf_add(b, d->key_var.s, d->key_var.len);
        buf_puts(b, ", ");
      }
      buf_add(b, d->val_var.s, d->val_var.len);
      buf_puts(b, " in ");
      add_src(c, b, d->coll->range);
      buf_putc(b, '}');
      conv_parts(c, b, &d->body);
      buf_puts(b, "%{endfor}");
      break;
    }
    }
  }
}

static cJSON *conv_template(Conv *c, const Expr *e) {
  /* "${x}" alone is x itself */
  if (single_interp(e)) return conv_expr(c, e->u.tpl.parts.v[0].u.interp);
  Buf b = BUF_INIT;
  conv_strpart(c, &b, e);
  cJSON *j = string_json(b.s, b.len);
  buf_free(&b);
  return j;
}

static char *conv_key(Conv *c, const ObjItem *it) {
  const Expr *k = it->key;
  Buf b = BUF_INIT;
  if (is_traversal(k)) add_src(c, &b, k->range);
  else if (single_interp(k)) conv_strpart(c, &b, k->u.tpl.parts.v[0].u.interp);
  else conv_strpart(c, &b, k);
  return buf_take(&b);
}

/* Folding "-1" or "!true" as the converter does; the wrong operand type is
** the evaluation error hcl would give. */
static cJSON *conv_unary(Conv *c, const Expr *e) {
  const Expr *l = e->u.unary.e;
  if (l->kind != EXPR_LITERAL) return wrap_json(c, e->range);
  bool neg = e->u.unary.op == OP_NEG;
  if (neg && l->u.lit.kind == LIT_NUMBER) return literal_json(l, true, false);
  if (!neg && l->u.lit.kind == LIT_BOOL) return literal_json(l, false, true);
  diag_error(c->diags, e->range, "Invalid operand", "Unsuitable value for unary operand: %s required.",
             neg ? "number" : "bool");
  c->failed = true;
  return cJSON_CreateNull();
}

static cJSON *conv_expr(Conv *c, const Expr *e) {
  switch (e->kind) {
  case EXPR_LITERAL:
    return literal_json(e, false, false);
  case EXPR_UNARY:
    return conv_unary(c, e);
  case EXPR_TEMPLATE:
    return conv_template(c, e);
  case EXPR_TUPLE: {
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < e->u.list.n; i++) cJSON_AddItemToArray(a, conv_expr(c, e->u.list.v[i]));
    return a;
  }
  case EXPR_OBJECT: {
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; i < e->u.object.n; i++) {
      char *k = conv_key(c, &e->u.object.v[i]);
      cJSON *v = conv_expr(c, e->u.object.v[i].value);
      if (cJSON_GetObjectItemCaseSensitive(o, k))
        cJSON_ReplaceItemInObjectCaseSensitive(o, k, v);
      else
        cJSON_AddItemToObject(o, k, v);
      free(k);
    }
    return o;
  }
  default:
    return wrap_json(c, e->range);
  }
}

static cJSON *conv_body(Conv *c, const Body *b);

static void block_error(Conv *c, const Block *blk) {
  Buf b = BUF_INIT;
  buf_add(&b, blk->type.s, blk->type.len);
  for (size_t i = 0; i < blk->nlabels; i++) {
    buf_putc(&b, i ? '.' : '.');
    buf_add(&b, blk->labels[i].s, blk->labels[i].len);
  }
  diag_error(c->diags, blk->type_range, "Unable to convert block to JSON",
             "The block %s clashes with an argument or block of the same name, which the hcl2json shape cannot "
             "represent.", b.s);
  buf_free(&b);
  c->failed = true;
}

static void conv_block(Conv *c, const Block *blk, cJSON *out) {
  cJSON *value = conv_body(c, blk->body);
  char *key = xstrndup(blk->type.s, blk->type.len);
  for (size_t i = 0; i < blk->nlabels; i++) {
    cJSON *inner = cJSON_GetObjectItemCaseSensitive(out, key);
    if (inner) {
      if (!cJSON_IsObject(inner)) {
        block_error(c, blk);
        free(key);
        cJSON_Delete(value);
        return;
      }
      out = inner;
    } else {
      cJSON *o = cJSON_CreateObject();
      cJSON_AddItemToObject(out, key, o);
      out = o;
    }
    free(key);
    key = xstrndup(blk->labels[i].s, blk->labels[i].len);
  }
  cJSON *cur = cJSON_GetObjectItemCaseSensitive(out, key);
  if (cur) {
    if (!cJSON_IsArray(cur)) {
      block_error(c, blk);
      cJSON_Delete(value);
    } else {
      cJSON_AddItemToArray(cur, value);
    }
  } else {
    cJSON *a = cJSON_CreateArray();
    cJSON_AddItemToArray(a, value);
    cJSON_AddItemToObject(out, key, a);
  }
  free(key);
}

static int str_cmp(const void *a, const void *b) {
  const HclStr *x = a, *y = b;
  size_t n = x->len < y->len ? x->len : y->len;
  int r = memcmp(x->s, y->s, n);
  return r ? r : (x->len > y->len) - (x->len < y->len);
}

static cJSON *conv_body(Conv *c, const Body *b) {
  cJSON *out = cJSON_CreateObject();
  /* attributes first, then blocks, as the converter does */
  for (size_t i = 0; i < b->nitems; i++) {
    const Attribute *a = b->items[i].attr;
    if (!a) continue;
    char *k = xstrndup(a->name.s, a->name.len);
    cJSON_AddItemToObject(out, k, conv_expr(c, a->expr));
    free(k);
  }
  /* a block named like an attribute of the same body is dropped: the
  ** attribute wins, as in the converter */
  HclStr *names = NULL;
  size_t nnames = 0;
  for (size_t i = 0; i < b->nitems; i++) {
    const Block *blk = b->items[i].block;
    if (!blk) continue;
    if (!names) {
      names = xmalloc((b->nitems + 1) * sizeof *names);
      for (size_t j = 0; j < b->nitems; j++)
        if (b->items[j].attr) names[nnames++] = b->items[j].attr->name;
      qsort(names, nnames, sizeof *names, str_cmp);
    }
    if (!bsearch(&blk->type, names, nnames, sizeof *names, str_cmp)) conv_block(c, blk, out);
  }
  free(names);
  return out;
}

void *hcl_to_json(const HclFile *f, DiagList *diags) {
  Conv c = {f, src_get(f->file)->bytes, diags, false};
  cJSON *j = conv_body(&c, f->body);
  if (c.failed) {
    cJSON_Delete(j);
    return NULL;
  }
  return j;
}

char *hcl_json_print(const void *v) { return json_print(v, JSON_SORT_KEYS); }
