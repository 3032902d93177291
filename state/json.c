/*
** state/json.c — JSON in the exact bytes Go's encoding/json produces.
**
** cJSON parses; it cannot print Terraform's bytes (its escaping and number
** formatting differ from Go's), so the state, journal and lock files are
** printed here. Parsing also recovers each number's source text, which cJSON
** drops, so numbers round-trip byte for byte.
*/
#include "state/state.h"

#include "base/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- parsing ---- */

/* Collects the text of every number token of an already-valid JSON
** document, in document order. Only strings need care: their contents can
** look like numbers. */
typedef struct NumText {
  const char *start;
  size_t len;
} NumText;

typedef struct NumTexts {
  NumText *v;
  size_t n, cap;
} NumTexts;

static void scan_numbers(const char *s, size_t n, NumTexts *nt) {
  size_t i = 0;
  while (i < n) {
    char c = s[i];
    if (c == '"') {
      i++;
      while (i < n && s[i] != '"') i += s[i] == '\\' ? 2 : 1;
      i++;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      size_t j = i + 1;
      while (j < n && (strchr("0123456789.eE+-", s[j]) != NULL) && s[j]) j++;
      NumText t = {s + i, j - i};
      VEC_PUSH(nt->v, nt->n, nt->cap, t);
      i = j;
    } else {
      i++;
    }
  }
}

/* Type tests without a library call: these walks touch every node. */
#define IS_NUM(v) (((v)->type & 0xFF) == cJSON_Number)

/* Pre-order walk matching number nodes with the scanned texts. */
static void assign_numbers(cJSON *v, NumTexts *nt, size_t *next) {
  for (; v; v = v->next) {
    if (IS_NUM(v)) {
      if (*next < nt->n) {
        v->valuestring = xstrndup(nt->v[*next].start, nt->v[*next].len);
        (*next)++;
      }
    } else if (v->child) {
      assign_numbers(v->child, nt, next);
    }
  }
}

static size_t count_numbers(const cJSON *v) {
  size_t k = 0;
  for (; v; v = v->next) {
    if (IS_NUM(v)) k++;
    else if (v->child) k += count_numbers(v->child);
  }
  return k;
}

cJSON *st_json_parse(const char *s, size_t n, size_t *errpos) {
  const char *end = NULL;
  cJSON *root = cJSON_ParseWithLengthOpts(s, n, &end, false);
  if (!root) {
    if (errpos) {
      const char *e = cJSON_GetErrorPtr();
      *errpos = (e && e >= s && e <= s + n) ? (size_t)(e - s) : 0;
    }
    return NULL;
  }
  /* trailing bytes after the document: only whitespace is allowed */
  size_t off = end ? (size_t)(end - s) : n;
  while (off < n && (s[off] == ' ' || s[off] == '\n' || s[off] == '\r' || s[off] == '\t')) off++;
  if (off < n) {
    cJSON_Delete(root);
    if (errpos) *errpos = off;
    return NULL;
  }
  NumTexts nt;
  memset(&nt, 0, sizeof nt);
  scan_numbers(s, n, &nt);
  /* If the counts disagree something is off (e.g. a NUL inside the text);
  ** fall back to computed number text rather than mislabel numbers. */
  if (nt.n == count_numbers(root)) {
    size_t next = 0;
    assign_numbers(root, &nt, &next);
  }
  free(nt.v);
  return root;
}

/* Whether number text is already in cty's printed form: optional minus,
** no leading zeros, no exponent, no trailing zeros after a point. */
bool st_number_text_canonical(const char *t) {
  if (!t || !*t) return false;
  const char *p = t + (*t == '-');
  if (!(*p >= '0' && *p <= '9') || (p[0] == '0' && p[1] && p[1] != '.')) return false;
  for (const char *q = p; *q; q++)
    if (!((*q >= '0' && *q <= '9') || *q == '.')) return false;
  size_t n = strlen(t);
  if (strchr(t, '.') && (t[n - 1] == '0' || t[n - 1] == '.')) return false;
  return strcmp(t, "-0") != 0;
}

void st_json_canonical_numbers(cJSON *v) {
  for (; v; v = v->next) {
    if (IS_NUM(v)) {
      if (v->valuestring && !st_number_text_canonical(v->valuestring)) {
        cJSON_free(v->valuestring);
        v->valuestring = NULL;
      }
    } else if (v->child) {
      st_json_canonical_numbers(v->child);
    }
  }
}

void st_json_set_number(cJSON *num, double d) {
  if (num->valuestring) {
    cJSON_free(num->valuestring);
    num->valuestring = NULL;
  }
  cJSON_SetNumberValue(num, d);
}

/* ---- printing ---- */

static const char hexdig[] = "0123456789abcdef";

/* Length of a valid UTF-8 sequence at s (1..4), or 0 when invalid. */
static size_t utf8_len(const unsigned char *s, size_t n, unsigned *cp) {
  unsigned c = s[0];
  size_t k;
  unsigned v, min;
  if (c < 0x80) {
    *cp = c;
    return 1;
  } else if ((c & 0xe0) == 0xc0) {
    k = 2, v = c & 0x1f, min = 0x80;
  } else if ((c & 0xf0) == 0xe0) {
    k = 3, v = c & 0x0f, min = 0x800;
  } else if ((c & 0xf8) == 0xf0) {
    k = 4, v = c & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (k > n) return 0;
  for (size_t i = 1; i < k; i++) {
    if ((s[i] & 0xc0) != 0x80) return 0;
    v = (v << 6) | (s[i] & 0x3f);
  }
  if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return 0;
  *cp = v;
  return k;
}

/* Go's encoding/json string escaping with HTML escaping on (the default):
** <, >, & become \u003c \u003e \u0026; U+2028/2029 are escaped; invalid
** UTF-8 becomes \ufffd. */
void st_json_string(Buf *b, const char *str, size_t n) {
  const unsigned char *s = (const unsigned char *)str;
  buf_putc(b, '"');
  size_t i = 0, run = 0;
  while (i < n) {
    unsigned c = s[i];
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&') {
      i++;
      continue;
    }
    if (i > run) buf_add(b, str + run, i - run);
    if (c < 0x80) {
      switch (c) {
      case '"': buf_add(b, "\\\"", 2); break;
      case '\\': buf_add(b, "\\\\", 2); break;
      case '\b': buf_add(b, "\\b", 2); break;
      case '\f': buf_add(b, "\\f", 2); break;
      case '\n': buf_add(b, "\\n", 2); break;
      case '\r': buf_add(b, "\\r", 2); break;
      case '\t': buf_add(b, "\\t", 2); break;
      default: {
        char e[6] = {'\\', 'u', '0', '0', hexdig[c >> 4], hexdig[c & 15]};
        buf_add(b, e, 6);
      }
      }
      i++;
    } else {
      unsigned cp;
      size_t k = utf8_len(s + i, n - i, &cp);
      if (k == 0) {
        buf_add(b, "\\ufffd", 6);
        i++;
      } else if (cp == 0x2028 || cp == 0x2029) {
        buf_add(b, cp == 0x2028 ? "\\u2028" : "\\u2029", 6);
        i += k;
      } else {
        buf_add(b, str + i, k);
        i += k;
      }
    }
    run = i;
  }
  if (i > run) buf_add(b, str + run, i - run);
  buf_putc(b, '"');
}

/* cty prints numbers with big.Float's Text('f', -1): the shortest decimal
** that identifies the value, never in exponent form. */
void st_format_number(Buf *b, double d) {
  if (!isfinite(d)) {
    buf_puts(b, "0");
    return;
  }
  if (d == 0) {
    buf_puts(b, "0");
    return;
  }
  if (d == floor(d) && fabs(d) < 1e15) {
    buf_printf(b, "%.0f", d);
    return;
  }
  char tmp[64];
  int p;
  for (p = 1; p <= 17; p++) {
    snprintf(tmp, sizeof tmp, "%.*e", p - 1, d);
    if (strtod(tmp, NULL) == d) break;
  }
  /* tmp is [-]D[.DDD]e[+-]XX: expand into fixed notation */
  const char *t = tmp;
  bool neg = *t == '-';
  if (neg) t++;
  char digits[32];
  size_t nd = 0;
  for (; *t && *t != 'e'; t++)
    if (*t != '.') digits[nd++] = *t;
  int exp = atoi(t + 1);
  while (nd > 1 && digits[nd - 1] == '0') nd--;
  if (neg) buf_putc(b, '-');
  int point = exp + 1; /* digits before the decimal point */
  if (point <= 0) {
    buf_puts(b, "0.");
    for (int k = 0; k < -point; k++) buf_putc(b, '0');
    buf_add(b, digits, nd);
  } else if ((size_t)point >= nd) {
    buf_add(b, digits, nd);
    for (size_t k = nd; k < (size_t)point; k++) buf_putc(b, '0');
  } else {
    buf_add(b, digits, (size_t)point);
    buf_putc(b, '.');
    buf_add(b, digits + point, nd - (size_t)point);
  }
}

void st_json_number(Buf *b, const cJSON *num) {
  const char *t = num->valuestring;
  /* use the source text only while it still denotes the node's value */
  if (t && *t && strtod(t, NULL) == num->valuedouble) {
    buf_puts(b, t);
    return;
  }
  st_format_number(b, num->valuedouble);
}

static void indent(Buf *b, int depth) {
  buf_putc(b, '\n');
  for (int i = 0; i < depth; i++) buf_add(b, "  ", 2);
}

/* Members sorted by name; duplicate names keep their order (qsort is not
** stable), so writing a written document again gives the same bytes. */
typedef struct Member {
  const cJSON *m;
  size_t idx;
} Member;

static int cmp_member(const void *a, const void *b) {
  const Member *x = a, *y = b;
  int c = strcmp(x->m->string ? x->m->string : "", y->m->string ? y->m->string : "");
  if (c) return c;
  return x->idx < y->idx ? -1 : x->idx > y->idx;
}

void st_json_pretty(Buf *b, const cJSON *v, int depth, bool sort_keys) {
  if (!v || cJSON_IsNull(v) || cJSON_IsInvalid(v)) {
    buf_puts(b, "null");
  } else if (cJSON_IsFalse(v)) {
    buf_puts(b, "false");
  } else if (cJSON_IsTrue(v)) {
    buf_puts(b, "true");
  } else if (cJSON_IsNumber(v)) {
    st_json_number(b, v);
  } else if (cJSON_IsString(v)) {
    st_json_string(b, v->valuestring, strlen(v->valuestring));
  } else if (cJSON_IsArray(v)) {
    if (!v->child) {
      buf_puts(b, "[]");
      return;
    }
    buf_putc(b, '[');
    for (const cJSON *c = v->child; c; c = c->next) {
      indent(b, depth + 1);
      st_json_pretty(b, c, depth + 1, sort_keys);
      if (c->next) buf_putc(b, ',');
    }
    indent(b, depth);
    buf_putc(b, ']');
  } else if (cJSON_IsObject(v)) {
    if (!v->child) {
      buf_puts(b, "{}");
      return;
    }
    size_t n = 0;
    for (const cJSON *c = v->child; c; c = c->next) n++;
    Member *m = xmalloc(n * sizeof *m);
    n = 0;
    for (const cJSON *c = v->child; c; c = c->next, n++) {
      m[n].m = c;
      m[n].idx = n;
    }
    if (sort_keys) qsort(m, n, sizeof *m, cmp_member);
    buf_putc(b, '{');
    for (size_t i = 0; i < n; i++) {
      indent(b, depth + 1);
      const char *k = m[i].m->string ? m[i].m->string : "";
      st_json_string(b, k, strlen(k));
      buf_add(b, ": ", 2);
      st_json_pretty(b, m[i].m, depth + 1, sort_keys);
      if (i + 1 < n) buf_putc(b, ',');
    }
    free(m);
    indent(b, depth);
    buf_putc(b, '}');
  } else if (cJSON_IsRaw(v)) {
    buf_puts(b, v->valuestring);
  } else {
    buf_puts(b, "null");
  }
}

void st_json_compact(Buf *b, const cJSON *v) {
  if (!v || cJSON_IsNull(v) || cJSON_IsInvalid(v)) {
    buf_puts(b, "null");
  } else if (cJSON_IsFalse(v)) {
    buf_puts(b, "false");
  } else if (cJSON_IsTrue(v)) {
    buf_puts(b, "true");
  } else if (cJSON_IsNumber(v)) {
    st_json_number(b, v);
  } else if (cJSON_IsString(v)) {
    st_json_string(b, v->valuestring, strlen(v->valuestring));
  } else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
    bool obj = cJSON_IsObject(v);
    buf_putc(b, obj ? '{' : '[');
    for (const cJSON *c = v->child; c; c = c->next) {
      if (obj) {
        const char *k = c->string ? c->string : "";
        st_json_string(b, k, strlen(k));
        buf_putc(b, ':');
      }
      st_json_compact(b, c);
      if (c->next) buf_putc(b, ',');
    }
    buf_putc(b, obj ? '}' : ']');
  } else if (cJSON_IsRaw(v)) {
    buf_puts(b, v->valuestring);
  } else {
    buf_puts(b, "null");
  }
}
