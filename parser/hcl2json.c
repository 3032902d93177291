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
static void conv_part_text(Conv *c, Buf *b, const TplList *parts);

/* "${" + exact source + "}" */
static void wrap_src(Conv *c, Buf *b, SrcRange r) {
  buf_puts(b, "${");
  buf_add(b, c->src + r.start, r.end - r.start);
  buf_putc(b, '}');
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

static bool only_literals(const TplList *parts) {
  for (size_t i = 0; i < parts->n; i++)
    if (parts->v[i].kind != TPL_LITERAL) return false;
  return true;
}

/* Text of one template part, as the converter renders it. */
static void conv_part(Conv *c, Buf *b, const TplPart *p) {
  switch (p->kind) {
  case TPL_LITERAL:
    buf_add(b, p->u.lit.s, p->u.lit.len);
    return;
  case TPL_INTERP: {
    const Expr *e = p->u.interp;
    if (e->kind == EXPR_LITERAL) {
      /* a literal interpolation renders as its string value */
      if (e->u.lit.kind == LIT_NUMBER) buf_add(b, e->u.lit.text.s, e->u.lit.text.len);
      else if (e->u.lit.kind == LIT_BOOL) buf_puts(b, e->u.lit.b ? "true" : "false");
      else wrap_src(c, b, e->range);
    } else if (e->kind == EXPR_TEMPLATE) {
      conv_part_text(c, b, &e->u.tpl.parts);
    } else {
      wrap_src(c, b, e->range);
    }
    return;
  }
  case TPL_IF: {
    const TplIf *d = p->u.ifd;
    buf_puts(b, "%{if ");
    buf_add(b, c->src + d->cond->range.start, d->cond->range.end - d->cond->range.start);
    buf_putc(b, '}');
    conv_part_text(c, b, &d->then_parts);
    Buf e = BUF_INIT;
    conv_part_text(c, &e, &d->else_parts);
    if (e.len) {
      buf_puts(b, "%{else}");
      buf_add(b, e.s, e.len);
    }
    buf_free(&e);
    buf_puts(b, "%{endif}");
    return;
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
    buf_add(b, c->src + d->coll->range.start, d->coll->range.end - d->coll->range.start);
    buf_putc(b, '}');
    conv_part_text(c, b, &d->body);
    buf_puts(b, "%{endfor}");
    return;
  }
  }
}

static void conv_part_text(Conv *c, Buf *b, const TplList *parts) {
  for (size_t i = 0; i < parts->n; i++) conv_part(c, b, &parts->v[i]);
}

static cJSON *conv_template(Conv *c, const Expr *e) {
  const TplList *parts = &e->u.tpl.parts;
  /* "${x}" alone is x itself */
  if (!e->u.tpl.heredoc && parts->n == 1 && parts->v[0].kind == TPL_INTERP)
    return conv_expr(c, parts->v[0].u.interp);
  Buf b = BUF_INIT;
  if (only_literals(parts)) {
    for (size_t i = 0; i < parts->n; i++) buf_add(&b, parts->v[i].u.lit.s, parts->v[i].u.lit.len);
  } else {
    conv_part_text(c, &b, parts);
  }
  cJSON *j = cJSON_CreateString(b.s ? b.s : "");
  buf_free(&b);
  return j;
}

/* Object keys: a bare name is itself; anything else renders like a
** template part. */
static char *conv_key(Conv *c, const ObjItem *it) {
  const Expr *k = it->key;
  Buf b = BUF_INIT;
  if (k->kind == EXPR_VARIABLE || k->kind == EXPR_GETATTR || k->kind == EXPR_INDEX) {
    buf_add(&b, c->src + k->range.start, k->range.end - k->range.start);
  } else if (k->kind == EXPR_TEMPLATE) {
    if (!k->u.tpl.heredoc && k->u.tpl.parts.n == 1 && k->u.tpl.parts.v[0].kind == TPL_INTERP) {
      TplPart p = k->u.tpl.parts.v[0];
      conv_part(c, &b, &p);
    } else {
      conv_part_text(c, &b, &k->u.tpl.parts);
    }
  } else if (k->kind == EXPR_LITERAL) {
    if (k->u.lit.kind == LIT_NUMBER) buf_add(&b, k->u.lit.text.s, k->u.lit.text.len);
    else if (k->u.lit.kind == LIT_BOOL) buf_puts(&b, k->u.lit.b ? "true" : "false");
    else wrap_src(c, &b, k->range);
  } else {
    wrap_src(c, &b, k->range);
  }
  return buf_take(&b);
}

static cJSON *conv_expr(Conv *c, const Expr *e) {
  switch (e->kind) {
  case EXPR_LITERAL:
    return literal_json(e, false, false);
  case EXPR_UNARY:
    if (e->u.unary.e->kind == EXPR_LITERAL) {
      const Expr *l = e->u.unary.e;
      bool neg = e->u.unary.op == OP_NEG, not = e->u.unary.op == OP_NOT;
      /* folding applies only where the operator fits the literal */
      if ((neg && l->u.lit.kind == LIT_NUMBER) || (not && l->u.lit.kind == LIT_BOOL))
        return literal_json(l, neg, not);
    }
    return wrap_json(c, e->range);
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
  for (size_t i = 0; i < b->nitems; i++)
    if (b->items[i].block) conv_block(c, b->items[i].block, out);
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

/* ---- printing ---- */

static int key_cmp(const void *a, const void *b) {
  const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
  return strcmp(x->string, y->string);
}

static void print_string(Buf *b, const char *s) {
  buf_putc(b, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
    case '"': buf_puts(b, "\\\""); break;
    case '\\': buf_puts(b, "\\\\"); break;
    case '\n': buf_puts(b, "\\n"); break;
    case '\r': buf_puts(b, "\\r"); break;
    case '\t': buf_puts(b, "\\t"); break;
    case '\b': buf_puts(b, "\\b"); break;
    case '\f': buf_puts(b, "\\f"); break;
    default:
      if (*p < 0x20) buf_printf(b, "\\u%04x", *p);
      else buf_putc(b, (char)*p);
    }
  }
  buf_putc(b, '"');
}

/* Shortest text that reads back as the same double, as JavaScript prints. */
static void print_number(Buf *b, double d) {
  if (d == 0) {
    buf_putc(b, '0');
    return;
  }
  char tmp[64];
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(tmp, sizeof tmp, "%.*g", prec, d);
    if (strtod(tmp, NULL) == d) break;
  }
  /* JavaScript writes integers up to 1e21 in full */
  if (fabs(d) < 1e21 && d == floor(d)) snprintf(tmp, sizeof tmp, "%.0f", d);
  buf_puts(b, tmp);
}

static void print_value(Buf *b, const cJSON *v, int indent) {
  if (cJSON_IsNull(v)) buf_puts(b, "null");
  else if (cJSON_IsTrue(v)) buf_puts(b, "true");
  else if (cJSON_IsFalse(v)) buf_puts(b, "false");
  else if (cJSON_IsNumber(v)) print_number(b, v->valuedouble);
  else if (cJSON_IsString(v)) print_string(b, v->valuestring);
  else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
    bool obj = cJSON_IsObject(v);
    size_t n = 0;
    for (const cJSON *c = v->child; c; c = c->next) n++;
    if (n == 0) {
      buf_puts(b, obj ? "{}" : "[]");
      return;
    }
    const cJSON **items = xmalloc(n * sizeof *items);
    n = 0;
    for (const cJSON *c = v->child; c; c = c->next) items[n++] = c;
    if (obj) qsort(items, n, sizeof *items, key_cmp);
    buf_putc(b, obj ? '{' : '[');
    for (size_t i = 0; i < n; i++) {
      buf_putc(b, '\n');
      for (int k = 0; k < indent + 2; k++) buf_putc(b, ' ');
      if (obj) {
        print_string(b, items[i]->string);
        buf_puts(b, ": ");
      }
      print_value(b, items[i], indent + 2);
      if (i + 1 < n) buf_putc(b, ',');
    }
    buf_putc(b, '\n');
    for (int k = 0; k < indent; k++) buf_putc(b, ' ');
    buf_putc(b, obj ? '}' : ']');
    free(items);
  }
}

char *hcl_json_print(const void *v) {
  Buf b = BUF_INIT;
  print_value(&b, v, 0);
  buf_putc(&b, '\n');
  return buf_take(&b);
}
