/*
** state/render.c — resource instances and values as people read them:
** `state show` (Terraform's `show` layout) and the plan-like blocks of
** `state diff`.
**
** The state holds attributes as plain JSON, without the provider schema
** that tells Terraform's renderer which values are nested blocks. The rule
** used here: a list whose elements are all objects is rendered as nested
** blocks (that is how every AWS provider block is stored), an object is a
** map with quoted keys. Strings that hold a JSON object or array are shown
** as jsonencode(...), multi-line strings as heredocs, as Terraform does.
*/
#include "state/render.h"

#include "base/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- sensitive paths ----
** A sensitive_attributes path [{"type":"get_attr","value":"a"},{"type":
** "index","value":{"value":0,"type":"number"}}] becomes the string .a[0],
** and the renderer builds the same string for where it is. */
void rd_sens_init(RdSens *s, const cJSON *paths) {
  memset(s, 0, sizeof *s);
  for (const cJSON *p = paths && cJSON_IsArray(paths) ? paths->child : NULL; p; p = p->next) {
    Buf b = BUF_INIT;
    buf_puts(&b, "");
    for (const cJSON *st = cJSON_IsArray(p) ? p->child : NULL; st; st = st->next) {
      const cJSON *t = cJSON_GetObjectItemCaseSensitive(st, "type");
      const cJSON *v = cJSON_GetObjectItemCaseSensitive(st, "value");
      if (cJSON_IsString(t) && strcmp(t->valuestring, "get_attr") == 0 && cJSON_IsString(v)) {
        buf_printf(&b, ".%s", v->valuestring);
      } else if (cJSON_IsString(t) && strcmp(t->valuestring, "index") == 0) {
        const cJSON *iv = cJSON_IsObject(v) ? cJSON_GetObjectItemCaseSensitive(v, "value") : v;
        if (cJSON_IsNumber(iv) && fabs(iv->valuedouble) < 9e15) buf_printf(&b, "[%lld]", (long long)iv->valuedouble);
        else if (cJSON_IsString(iv)) buf_printf(&b, "[\"%s\"]", iv->valuestring);
      }
    }
    VEC_PUSH(s->paths, s->n, s->cap, buf_take(&b));
  }
}

void rd_sens_free(RdSens *s) {
  for (size_t i = 0; i < s->n; i++) free(s->paths[i]);
  free(s->paths);
  memset(s, 0, sizeof *s);
}

bool rd_sens_has(const RdSens *s, const char *path) {
  for (size_t i = 0; s && i < s->n; i++)
    if (strcmp(s->paths[i], path) == 0) return true;
  return false;
}

/* ---- primitives ---- */

void rd_pad(Buf *b, int n) {
  for (int i = 0; i < n; i++) buf_putc(b, ' ');
}

/* A string literal in HCL's quoting (what Terraform's renderer shows). */
void rd_quote(Buf *b, const char *s) {
  buf_putc(b, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
    case '"': buf_puts(b, "\\\""); break;
    case '\\': buf_puts(b, "\\\\"); break;
    case '\n': buf_puts(b, "\\n"); break;
    case '\r': buf_puts(b, "\\r"); break;
    case '\t': buf_puts(b, "\\t"); break;
    default:
      if (*p < 0x20) buf_printf(b, "\\u%04x", *p);
      else buf_putc(b, (char)*p);
    }
  }
  buf_putc(b, '"');
}

bool rd_is_block_list(const cJSON *v) {
  if (!cJSON_IsArray(v) || !v->child) return false;
  for (const cJSON *c = v->child; c; c = c->next)
    if (!cJSON_IsObject(c)) return false;
  return true;
}

/* The JSON inside a string, when the string is a JSON object or array. */
cJSON *rd_json_in_string(const cJSON *v) {
  if (!cJSON_IsString(v)) return NULL;
  const char *s = v->valuestring;
  while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r') s++;
  if (*s != '{' && *s != '[') return NULL;
  cJSON *j = st_json_parse(v->valuestring, strlen(v->valuestring), NULL);
  if (j && !cJSON_IsObject(j) && !cJSON_IsArray(j)) {
    cJSON_Delete(j);
    return NULL;
  }
  return j;
}

static bool ident_like(const char *s) {
  if (!*s || !(((*s | 32) >= 'a' && (*s | 32) <= 'z') || *s == '_')) return false;
  for (; *s; s++)
    if (!(((*s | 32) >= 'a' && (*s | 32) <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
      return false;
  return true;
}

/* Map keys are quoted; inside jsonencode(...) object keys that are
** identifiers are bare, as Terraform prints HCL object constructors. */
void rd_key(Buf *b, const char *k, bool bare_ok) {
  if (bare_ok && ident_like(k)) buf_puts(b, k);
  else rd_quote(b, k);
}

int rd_key_width(const char *k, bool bare_ok) {
  if (bare_ok && ident_like(k)) return (int)strlen(k);
  Buf b = BUF_INIT;
  rd_quote(&b, k);
  int n = (int)b.len;
  buf_free(&b);
  return n;
}

/* ---- the line layout ----
** Show mode: names at 4*depth. Diff mode: the symbol at 4*depth+2, names at
** 4*depth+4, so unchanged lines line up with changed ones. */
void rd_line(const Rd *r, int depth, char sym) {
  if (!r->diff) {
    rd_pad(r->b, 4 * depth);
    return;
  }
  rd_pad(r->b, 4 * depth + 2);
  buf_putc(r->b, sym ? sym : ' ');
  buf_putc(r->b, ' ');
}

/* The closing bracket of a value opened at depth: at the name column. */
void rd_close(const Rd *r, int depth, const char *s) {
  rd_pad(r->b, r->diff ? 4 * depth + 4 : 4 * depth);
  buf_puts(r->b, s);
}

static int cmp_member(const void *a, const void *b) {
  return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

const cJSON **rd_sorted_members(const cJSON *obj, size_t *n) {
  size_t k = 0;
  for (const cJSON *c = obj ? obj->child : NULL; c; c = c->next) k++;
  const cJSON **m = xmalloc((k ? k : 1) * sizeof *m);
  k = 0;
  for (const cJSON *c = obj ? obj->child : NULL; c; c = c->next) m[k++] = c;
  qsort(m, k, sizeof *m, cmp_member);
  *n = k;
  return m;
}

/* Writes a value after "name = " with every nested line carrying sym.
** path is where the value sits, for sensitivity. */
void rd_value(const Rd *r, const cJSON *v, int depth, char sym, const char *path, bool in_json) {
  Buf *b = r->b;
  if (r->sens && rd_sens_has(r->sens, path)) {
    buf_puts(b, "(sensitive value)");
    return;
  }
  if (!v || cJSON_IsNull(v)) {
    buf_puts(b, "null");
  } else if (cJSON_IsBool(v)) {
    buf_puts(b, cJSON_IsTrue(v) ? "true" : "false");
  } else if (cJSON_IsNumber(v)) {
    st_json_number(b, v);
  } else if (cJSON_IsString(v)) {
    cJSON *j = in_json ? NULL : rd_json_in_string(v);
    if (j) {
      buf_puts(b, "jsonencode(\n");
      rd_line(r, depth + 1, sym);
      rd_value(r, j, depth + 1, sym, path, true);
      buf_putc(b, '\n');
      rd_close(r, depth, ")");
      cJSON_Delete(j);
    } else if (strchr(v->valuestring, '\n') && !in_json) {
      /* heredoc: lines at the nested indent, EOT at the name column */
      buf_puts(b, "<<-EOT\n");
      const char *s = v->valuestring;
      while (*s) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        rd_line(r, depth + 1, sym);
        buf_add(b, s, n);
        buf_putc(b, '\n');
        s += n + (nl ? 1 : 0);
      }
      rd_close(r, depth, "EOT");
    } else {
      rd_quote(b, v->valuestring);
    }
  } else if (cJSON_IsArray(v)) {
    if (!v->child) {
      buf_puts(b, "[]");
      return;
    }
    buf_puts(b, "[\n");
    int i = 0;
    for (const cJSON *c = v->child; c; c = c->next, i++) {
      char *p = xasprintf("%s[%d]", path, i);
      rd_line(r, depth + 1, sym);
      rd_value(r, c, depth + 1, sym, p, in_json);
      buf_puts(b, ",\n");
      free(p);
    }
    rd_close(r, depth, "]");
  } else if (cJSON_IsObject(v)) {
    if (!v->child) {
      buf_puts(b, "{}");
      return;
    }
    size_t n;
    const cJSON **m = rd_sorted_members(v, &n);
    int w = 0;
    for (size_t i = 0; i < n; i++) {
      int kw = rd_key_width(m[i]->string, in_json);
      if (kw > w) w = kw;
    }
    buf_puts(b, "{\n");
    for (size_t i = 0; i < n; i++) {
      char *p = xasprintf("%s[\"%s\"]", path, m[i]->string);
      rd_line(r, depth + 1, sym);
      rd_key(b, m[i]->string, in_json);
      rd_pad(b, w - rd_key_width(m[i]->string, in_json));
      buf_puts(b, " = ");
      rd_value(r, m[i], depth + 1, sym, p, in_json);
      buf_putc(b, '\n');
      free(p);
    }
    free(m);
    rd_close(r, depth, "}");
  }
}

/* The body of a block (resource or nested block): attributes with aligned
** "=", then nested blocks each after a blank line. Null attributes are
** left out, as Terraform leaves them out. */
void rd_body(const Rd *r, const cJSON *obj, int depth, char sym, const char *path, bool to_null) {
  Buf *b = r->b;
  size_t n;
  const cJSON **m = rd_sorted_members(obj, &n);
  int w = 0;
  for (size_t i = 0; i < n; i++) {
    if (cJSON_IsNull(m[i]) || rd_is_block_list(m[i])) continue;
    int kw = (int)strlen(m[i]->string);
    if (kw > w) w = kw;
  }
  for (size_t i = 0; i < n; i++) {
    if (cJSON_IsNull(m[i]) || rd_is_block_list(m[i])) continue;
    char *p = xasprintf("%s.%s", path, m[i]->string);
    rd_line(r, depth, sym);
    buf_puts(b, m[i]->string);
    rd_pad(b, w - (int)strlen(m[i]->string));
    buf_puts(b, " = ");
    rd_value(r, m[i], depth, sym, p, false);
    if (to_null) buf_puts(b, " -> null");
    buf_putc(b, '\n');
    free(p);
  }
  for (size_t i = 0; i < n; i++) {
    if (!rd_is_block_list(m[i])) continue;
    int k = 0;
    for (const cJSON *c = m[i]->child; c; c = c->next, k++) {
      char *p = xasprintf("%s.%s[%d]", path, m[i]->string, k);
      buf_putc(b, '\n');
      rd_line(r, depth, sym);
      buf_printf(b, "%s {\n", m[i]->string);
      rd_body(r, c, depth + 1, sym, p, to_null);
      rd_close(r, depth, "}\n");
      free(p);
    }
  }
  free(m);
}

/* Go's strconv.Quote: printable UTF-8 kept, control bytes as \xNN (with
** the short escapes), invalid UTF-8 bytes as \xNN. */
static void go_quote(Buf *b, const char *str) {
  const unsigned char *s = (const unsigned char *)str;
  buf_putc(b, '"');
  while (*s) {
    unsigned c = *s;
    if (c == '"' || c == '\\') {
      buf_putc(b, '\\');
      buf_putc(b, (char)c);
      s++;
    } else if (c >= 0x20 && c < 0x7f) {
      buf_putc(b, (char)c);
      s++;
    } else if (c < 0x80) {
      const char *e = c == '\a' ? "\\a" : c == '\b' ? "\\b" : c == '\f' ? "\\f" : c == '\n' ? "\\n"
                    : c == '\r' ? "\\r" : c == '\t' ? "\\t" : c == '\v' ? "\\v" : NULL;
      if (e) buf_puts(b, e);
      else buf_printf(b, "\\x%02x", c);
      s++;
    } else {
      /* copy a well-formed multi-byte sequence, escape a stray byte */
      size_t k = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
      size_t i = 1;
      while (k && i < k && (s[i] & 0xc0) == 0x80) i++;
      if (k && i == k) {
        buf_add(b, (const char *)s, k);
        s += k;
      } else {
        buf_printf(b, "\\x%02x", c);
        s++;
      }
    }
  }
  buf_putc(b, '"');
}

/* A number as cty prints it (big.Float Text 'f' -1): the source text when
** it is already in that form (exact even beyond double precision), else
** the shortest form of the double. */
static void cty_number(Buf *b, const cJSON *v) {
  if (st_number_text_canonical(v->valuestring)) buf_puts(b, v->valuestring);
  else st_format_number(b, v->valuedouble);
}

static const char *type_kind(const cJSON *type) {
  if (cJSON_IsString(type)) return type->valuestring;
  if (cJSON_IsArray(type) && cJSON_IsString(type->child)) return type->child->valuestring;
  return "dynamic";
}

/* The type of element i (or attribute key) inside a collection/structural type. */
static const cJSON *elem_type(const cJSON *type, const char *key, int i) {
  if (!cJSON_IsArray(type) || !type->child) return NULL;
  const cJSON *arg = type->child->next;
  const char *k = type->child->valuestring;
  if (!strcmp(k, "list") || !strcmp(k, "set") || !strcmp(k, "map")) return arg;
  if (!strcmp(k, "object") && key) return cJSON_GetObjectItemCaseSensitive(arg, key);
  if (!strcmp(k, "tuple")) return cJSON_GetArrayItem(arg, i);
  return NULL;
}

static void format_value(Buf *b, const cJSON *v, const cJSON *type, int indent);

static void heredoc(Buf *b, const char *str, int indent) {
  size_t n = 0;
  char **lines = NULL;
  size_t cap = 0;
  const char *s = str;
  for (;;) {
    const char *nl = strchr(s, '\n');
    size_t len = nl ? (size_t)(nl - s) : strlen(s);
    VEC_PUSH(lines, n, cap, xstrndup(s, len));
    if (!nl) break;
    s = nl + 1;
  }
  /* the delimiter must not appear as a line of its own */
  Buf delim = BUF_INIT;
  buf_puts(&delim, "EOT");
  for (bool again = true; again;) {
    again = false;
    for (size_t i = 0; i < n && !again; i++) {
      const char *l = lines[i];
      while (*l == ' ' || *l == '\t') l++;
      size_t ll = strlen(l);
      while (ll && (l[ll - 1] == ' ' || l[ll - 1] == '\t')) ll--;
      if (ll == delim.len && memcmp(l, delim.s, ll) == 0) {
        buf_putc(&delim, '_');
        again = true;
      }
    }
  }
  buf_puts(b, indent > 0 ? "<<-" : "<<");
  buf_puts(b, delim.s);
  for (size_t i = 0; i < n; i++) {
    buf_putc(b, '\n');
    rd_pad(b, indent);
    buf_puts(b, lines[i]);
    free(lines[i]);
  }
  buf_putc(b, '\n');
  rd_pad(b, indent);
  buf_puts(b, delim.s);
  free(lines);
  buf_free(&delim);
}

/* Terraform's console/output value syntax (repl.FormatValue). */
static void format_value(Buf *b, const cJSON *v, const cJSON *type, int indent) {
  const char *k = type_kind(type);
  if (!v || cJSON_IsNull(v)) {
    if (!strcmp(k, "string")) buf_puts(b, "tostring(null)");
    else if (!strcmp(k, "number")) buf_puts(b, "tonumber(null)");
    else if (!strcmp(k, "bool")) buf_puts(b, "tobool(null)");
    else buf_puts(b, "null");
    return;
  }
  if (cJSON_IsString(v)) {
    if (strchr(v->valuestring, '\n')) heredoc(b, v->valuestring, indent);
    else go_quote(b, v->valuestring);
  } else if (cJSON_IsNumber(v)) {
    cty_number(b, v);
  } else if (cJSON_IsBool(v)) {
    buf_puts(b, cJSON_IsTrue(v) ? "true" : "false");
  } else if (cJSON_IsArray(v)) {
    const char *wrap = !strcmp(k, "list") ? "tolist(" : !strcmp(k, "set") ? "toset(" : NULL;
    if (wrap) buf_puts(b, wrap);
    buf_putc(b, '[');
    int i = 0;
    for (const cJSON *c = v->child; c; c = c->next, i++) {
      buf_putc(b, '\n');
      rd_pad(b, indent + 2);
      format_value(b, c, elem_type(type, NULL, i), indent + 2);
      buf_putc(b, ',');
    }
    if (v->child) {
      buf_putc(b, '\n');
      rd_pad(b, indent);
    }
    buf_putc(b, ']');
    if (wrap) buf_putc(b, ')');
  } else if (cJSON_IsObject(v)) {
    bool map = !strcmp(k, "map");
    if (map) buf_puts(b, "tomap(");
    buf_putc(b, '{');
    size_t n;
    const cJSON **m = rd_sorted_members(v, &n);
    for (size_t i = 0; i < n; i++) {
      buf_putc(b, '\n');
      rd_pad(b, indent + 2);
      go_quote(b, m[i]->string);
      buf_puts(b, " = ");
      format_value(b, m[i], elem_type(type, m[i]->string, 0), indent + 2);
    }
    free(m);
    if (n) {
      buf_putc(b, '\n');
      rd_pad(b, indent);
    }
    buf_putc(b, '}');
    if (map) buf_putc(b, ')');
  }
}

void st_render_value(Buf *b, const cJSON *v, const cJSON *type, int indent) { format_value(b, v, type, indent); }

void st_render_instance(Buf *b, const StResource *r, const StInstance *in) {
  char *addr = st_instance_addr(r, in);
  buf_printf(b, "# %s:", addr);
  if (in->deposed) buf_printf(b, " (deposed object %s)", in->deposed);
  else if (in->tainted) buf_puts(b, " (tainted)");
  buf_printf(b, "\n%s \"%s\" \"%s\" {\n", r->mode == ST_DATA ? "data" : "resource", r->type, r->name);
  RdSens sens;
  rd_sens_init(&sens, in->sensitive_attributes);
  Rd rd = {b, false, &sens};
  rd_body(&rd, in->attributes, 1, 0, "", false);
  buf_puts(b, "}\n");
  rd_sens_free(&sens);
  free(addr);
}
