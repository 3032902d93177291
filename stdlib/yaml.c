/*
** stdlib/yaml.c — yamlencode and yamldecode, on libyaml.
**
** yamlencode follows go-cty-yaml's output: block style, every string and
** mapping key double-quoted (multi-line strings as literal blocks), numbers,
** bools and null plain, empty collections as [] and {}. yamldecode resolves
** untagged plain scalars with YAML 1.2's core schema (null, bool, int,
** float, else string), mappings become objects and sequences tuples, and
** aliases are expanded (an alias inside its own anchor's definition is an
** error, as in Terraform).
*/
#include "stdlib/fn.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "base/buf.h"
#include "base/util.h"

/* ------------------------------------------------------------ encode */

static int yaml_out(void *data, unsigned char *buf, size_t size) {
  buf_add((Buf *)data, (const char *)buf, size);
  return 1;
}

static bool emit_scalar(yaml_emitter_t *em, const char *s, size_t n, yaml_scalar_style_t st) {
  yaml_event_t ev;
  yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)n, 1, 1, st);
  return yaml_emitter_emit(em, &ev);
}

static bool emit_value(yaml_emitter_t *em, const Value *v) {
  yaml_event_t ev;
  if (val_is_null(v)) return emit_scalar(em, "null", 4, YAML_PLAIN_SCALAR_STYLE);
  const Type *t = val_type(v);
  switch (t->kind) {
  case TY_STRING: {
    bool multi = memchr(val_str(v), '\n', val_str_len(v)) != NULL;
    return emit_scalar(em, val_str(v), val_str_len(v),
                       multi ? YAML_LITERAL_SCALAR_STYLE : YAML_DOUBLE_QUOTED_SCALAR_STYLE);
  }
  case TY_BOOL:
    return emit_scalar(em, val_get_bool(v) ? "true" : "false", val_get_bool(v) ? 4 : 5,
                       YAML_PLAIN_SCALAR_STYLE);
  case TY_NUMBER: {
    char *s = val_number_text(v);
    bool ok = emit_scalar(em, s, strlen(s), YAML_PLAIN_SCALAR_STYLE);
    free(s);
    return ok;
  }
  case TY_LIST: case TY_SET: case TY_TUPLE: {
    yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
    if (!yaml_emitter_emit(em, &ev)) return false;
    ValIter it = val_iter(v);
    while (val_iter_next(&it))
      if (!emit_value(em, it.elem)) return false;
    yaml_sequence_end_event_initialize(&ev);
    return yaml_emitter_emit(em, &ev);
  }
  case TY_MAP: case TY_OBJECT: {
    yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
    if (!yaml_emitter_emit(em, &ev)) return false;
    ValIter it = val_iter(v);
    while (val_iter_next(&it)) {
      if (!emit_scalar(em, it.key, strlen(it.key), YAML_DOUBLE_QUOTED_SCALAR_STYLE)) return false;
      if (!emit_value(em, it.elem)) return false;
    }
    yaml_mapping_end_event_initialize(&ev);
    return yaml_emitter_emit(em, &ev);
  }
  case TY_DYNAMIC: return false;
  }
  return false;
}

static Value *f_yamlencode(FnCall *c) {
  if (!val_is_wholly_known(c->args[0])) return val_unknown(T_STRING);
  yaml_emitter_t em;
  yaml_event_t ev;
  Buf b = BUF_INIT;
  buf_add(&b, "", 0);
  yaml_emitter_initialize(&em);
  yaml_emitter_set_output(&em, yaml_out, &b);
  yaml_emitter_set_unicode(&em, 1);
  yaml_emitter_set_width(&em, -1);
  yaml_emitter_set_indent(&em, 2);
  bool ok = true;
  yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
  ok = ok && yaml_emitter_emit(&em, &ev);
  yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
  ok = ok && yaml_emitter_emit(&em, &ev);
  ok = ok && emit_value(&em, c->args[0]);
  yaml_document_end_event_initialize(&ev, 1);
  ok = ok && yaml_emitter_emit(&em, &ev);
  yaml_stream_end_event_initialize(&ev);
  ok = ok && yaml_emitter_emit(&em, &ev);
  yaml_emitter_flush(&em);
  yaml_emitter_delete(&em);
  if (!ok) {
    buf_free(&b);
    return fn_error(c, "failed to encode YAML");
  }
  /* libyaml ends an open-ended plain top-level scalar with "...";
  ** go-yaml does not. */
  if (b.len >= 4 && strcmp(b.s + b.len - 4, "...\n") == 0) b.len -= 4;
  Value *r = val_string(b.s, b.len);
  buf_free(&b);
  return r;
}

/* ------------------------------------------------------------ decode */

typedef struct YDec {
  yaml_document_t *doc;
  char *busy;        /* per node: being converted (to catch self-aliases) */
  const char *err;   /* static message */
  char errbuf[256];
} YDec;

static bool all_digits(const char *s, const char *set) {
  if (!*s) return false;
  for (; *s; s++)
    if (!strchr(set, *s)) return false;
  return true;
}

/* YAML 1.2 core schema resolution of an untagged plain scalar. */
static Value *resolve_plain(const char *s, YDec *d) {
  if (!*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL"))
    return val_null(T_DYNAMIC);
  if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE")) return val_bool(true);
  if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE")) return val_bool(false);
  const char *p = s + (*s == '-' || *s == '+');
  if ((p[0] == '0' && (p[1] == 'x' || p[1] == 'o')) && p[2]) {
    bool hex = p[1] == 'x';
    if (all_digits(p + 2, hex ? "0123456789abcdefABCDEF" : "01234567")) {
      mpz_t z;
      mpz_init(z);
      mpz_set_str(z, p + 2, hex ? 16 : 8);
      if (*s == '-') mpz_neg(z, z);
      mpfr_t x;
      mpfr_init2(x, VAL_PREC);
      mpfr_set_z(x, z, MPFR_RNDN);
      Value *r = val_number_mpfr(x);
      mpfr_clear(x);
      mpz_clear(z);
      return r;
    }
  }
  if (!strcmp(p, ".inf") || !strcmp(p, ".Inf") || !strcmp(p, ".INF") || !strcmp(s, ".nan") ||
      !strcmp(s, ".NaN") || !strcmp(s, ".NAN")) {
    d->err = "cannot represent infinity or NaN as a number";
    return NULL;
  }
  if (strchr("0123456789-+.", *s)) {
    const char *q = *s == '+' ? s + 1 : s;
    Value *n = val_number_parse(q, strlen(q));
    if (n) return n;
  }
  return val_cstring(s);
}

static Value *ynode(YDec *d, int id) {
  yaml_node_t *n = yaml_document_get_node(d->doc, id);
  if (!n) {
    d->err = "invalid YAML document";
    return NULL;
  }
  const char *tag = (const char *)n->tag;
  if (d->busy[id]) {
    snprintf(d->errbuf, sizeof d->errbuf, "cannot refer to anchor from inside its own definition");
    d->err = d->errbuf;
    return NULL;
  }
  Value *r = NULL;
  switch (n->type) {
  case YAML_SCALAR_NODE: {
    const char *s = (const char *)n->data.scalar.value;
    size_t len = n->data.scalar.length;
    bool plain = n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    if (!strcmp(tag, YAML_STR_TAG)) r = plain ? resolve_plain(s, d) : val_string(s, len);
    else if (!strcmp(tag, YAML_NULL_TAG)) r = val_null(T_DYNAMIC);
    else if (!strcmp(tag, YAML_BOOL_TAG) || !strcmp(tag, YAML_INT_TAG) || !strcmp(tag, YAML_FLOAT_TAG))
      r = resolve_plain(s, d);
    else {
      snprintf(d->errbuf, sizeof d->errbuf, "unsupported tag \"%s\"", tag);
      d->err = d->errbuf;
    }
    return r;
  }
  case YAML_SEQUENCE_NODE: {
    if (strcmp(tag, YAML_SEQ_TAG) != 0) {
      snprintf(d->errbuf, sizeof d->errbuf, "unsupported tag \"%s\"", tag);
      d->err = d->errbuf;
      return NULL;
    }
    d->busy[id] = 1;
    size_t cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start), i;
    Value **vs = xmalloc((cnt ? cnt : 1) * sizeof *vs);
    for (i = 0; i < cnt; i++)
      if (!(vs[i] = ynode(d, n->data.sequence.items.start[i]))) break;
    if (i == cnt) r = val_tuple(vs, cnt);
    for (size_t k = 0; k < i; k++) val_free(vs[k]);
    free(vs);
    d->busy[id] = 0;
    return r;
  }
  case YAML_MAPPING_NODE: {
    if (strcmp(tag, YAML_MAP_TAG) != 0) {
      snprintf(d->errbuf, sizeof d->errbuf, "unsupported tag \"%s\"", tag);
      d->err = d->errbuf;
      return NULL;
    }
    d->busy[id] = 1;
    size_t cnt = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start), i, m = 0;
    Value **vs = xmalloc((cnt ? cnt : 1) * sizeof *vs);
    const char **ks = xmalloc((cnt ? cnt : 1) * sizeof *ks);
    for (i = 0; i < cnt; i++) {
      yaml_node_pair_t *p = &n->data.mapping.pairs.start[i];
      yaml_node_t *kn = yaml_document_get_node(d->doc, p->key);
      if (!kn || kn->type != YAML_SCALAR_NODE) {
        d->err = "only string keys are supported";
        break;
      }
      Value *v = ynode(d, p->value);
      if (!v) break;
      const char *k = (const char *)kn->data.scalar.value;
      size_t j;
      for (j = 0; j < m && strcmp(ks[j], k) != 0; j++) {}
      if (j < m) val_free(vs[j]);
      else ks[m++] = k;
      vs[j] = v;
    }
    if (i == cnt) r = val_object(ks, vs, m);
    for (size_t k = 0; k < m; k++) val_free(vs[k]);
    free(vs);
    free(ks);
    d->busy[id] = 0;
    return r;
  }
  case YAML_NO_NODE: break;
  }
  d->err = "invalid YAML document";
  return NULL;
}

static Value *f_yamldecode(FnCall *c) {
  yaml_parser_t p;
  yaml_document_t doc;
  yaml_parser_initialize(&p);
  yaml_parser_set_input_string(&p, (const unsigned char *)val_str(c->args[0]), val_str_len(c->args[0]));
  if (!yaml_parser_load(&p, &doc)) {
    Value *r = fn_error(c, "on line %zu, column %zu: %s", p.problem_mark.line + 1, p.problem_mark.column + 1,
                        p.problem ? p.problem : "invalid YAML");
    yaml_parser_delete(&p);
    return r;
  }
  Value *r = NULL;
  yaml_node_t *root = yaml_document_get_root_node(&doc);
  if (!root) {
    r = val_null(T_DYNAMIC);
  } else {
    size_t nn = (size_t)(doc.nodes.top - doc.nodes.start) + 2;
    YDec d = {&doc, xcalloc(nn, 1), NULL, {0}};
    r = ynode(&d, 1);
    if (!r) fn_error(c, "%s", d.err ? d.err : "invalid YAML");
    free(d.busy);
  }
  yaml_document_delete(&doc);
  yaml_parser_delete(&p);
  return r;
}

const FnDef fn_defs_yaml[] = {
    {"yamlencode", {{"value", FT_ANY, FP_NULL | FP_UNKNOWN}}, 1, {0}, FT_STRING, NULL, f_yamlencode},
    {"yamldecode", {{"src", FT_STRING, 0}}, 1, {0}, FT_ANY, NULL, f_yamldecode},
    {NULL, {{0}}, 0, {0}, FT_ANY, NULL, NULL},
};
