/*
** tests/tools/fntest.c — runs the golden function cases in tests/functions.
**
** Usage: fntest [DIR] [FILTER]   (DIR defaults to tests/functions; FILTER
** keeps only cases whose name contains it). Prints "ok - fn/NAME/N" or
** "FAIL - fn/NAME/N: why" per case (see tests/functions/README.md for the
** file format).
**
** Expressions are read by a small reader of literals and function calls so
** the built-in functions can be tested without the evaluator: every call
** goes straight to fn_call. Values are compared as compact JSON with sorted
** keys (the form the oracle's output was normalised to) plus their type in
** go-cty's JSON type encoding.
*/
#include <cjson/cJSON.h>
#include <dirent.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/util.h"
#include "eval/value.h"
#include "stdlib/stdlib.h"

/* ------------------------------------------------------------ reader */

typedef struct Rd {
  const char *s;
  size_t i, n;
  const char *err;
  FnCtx *ctx;
  DiagList *diags;
} Rd;

static void ws(Rd *r) {
  while (r->i < r->n && strchr(" \t\r\n", r->s[r->i])) r->i++;
}

static Value *rd_expr(Rd *r);

static void put_utf8(Buf *b, unsigned long cp) {
  char o[4];
  if (cp < 0x80) { buf_putc(b, (char)cp); return; }
  if (cp < 0x800) { o[0] = (char)(0xC0 | (cp >> 6)); o[1] = (char)(0x80 | (cp & 0x3F)); buf_add(b, o, 2); return; }
  if (cp < 0x10000) {
    o[0] = (char)(0xE0 | (cp >> 12)); o[1] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[2] = (char)(0x80 | (cp & 0x3F));
    buf_add(b, o, 3);
    return;
  }
  o[0] = (char)(0xF0 | (cp >> 18)); o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (char)(0x80 | (cp & 0x3F));
  buf_add(b, o, 4);
}

static char *rd_string_raw(Rd *r, size_t *len) {
  Buf b = BUF_INIT;
  buf_add(&b, "", 0);
  r->i++; /* opening quote */
  while (r->i < r->n && r->s[r->i] != '"') {
    char ch = r->s[r->i];
    if (ch == '\\' && r->i + 1 < r->n) {
      char e = r->s[r->i + 1];
      r->i += 2;
      switch (e) {
      case 'n': buf_putc(&b, '\n'); break;
      case 't': buf_putc(&b, '\t'); break;
      case 'r': buf_putc(&b, '\r'); break;
      case '"': buf_putc(&b, '"'); break;
      case '\\': buf_putc(&b, '\\'); break;
      case 'u': case 'U': {
        int k = e == 'u' ? 4 : 8;
        char hex[9] = {0};
        memcpy(hex, r->s + r->i, (size_t)k);
        r->i += (size_t)k;
        put_utf8(&b, strtoul(hex, NULL, 16));
        break;
      }
      default: r->err = "bad escape"; buf_free(&b); return NULL;
      }
      continue;
    }
    if ((ch == '$' || ch == '%') && r->i + 2 < r->n && r->s[r->i + 1] == ch && r->s[r->i + 2] == '{') {
      buf_putc(&b, ch);
      buf_putc(&b, '{');
      r->i += 3;
      continue;
    }
    if ((ch == '$' || ch == '%') && r->i + 1 < r->n && r->s[r->i + 1] == '{') {
      r->err = "templates are not supported by the test reader";
      buf_free(&b);
      return NULL;
    }
    buf_putc(&b, ch);
    r->i++;
  }
  if (r->i >= r->n) {
    r->err = "unterminated string";
    buf_free(&b);
    return NULL;
  }
  r->i++;
  *len = b.len;
  return buf_take(&b);
}

static bool is_ident(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == ':';
}

static bool render(Buf *b, const Value *v);

/* A runner-only function: _unknown(TYPE) with TYPE in the JSON type encoding. */
static Value *make_unknown(Rd *r, Value *t) {
  Buf b = BUF_INIT;
  buf_add(&b, "", 0);
  render(&b, t);
  cJSON *tj = cJSON_Parse(b.s);
  buf_free(&b);
  char *err = NULL;
  const Type *ty = tj ? type_from_json(tj, &err) : NULL;
  cJSON_Delete(tj);
  free(err);
  if (!ty) {
    r->err = "bad type in _unknown";
    return NULL;
  }
  return val_unknown(ty);
}

static Value *rd_call(Rd *r, const char *name) {
  Value **args = NULL;
  size_t n = 0, cap = 0;
  bool expand = false;
  r->i++; /* ( */
  ws(r);
  while (r->i < r->n && r->s[r->i] != ')') {
    Value *a = rd_expr(r);
    if (!a) goto fail;
    VEC_PUSH(args, n, cap, a);
    ws(r);
    if (r->i + 2 < r->n && !strncmp(r->s + r->i, "...", 3)) {
      expand = true;
      r->i += 3;
      ws(r);
    }
    if (r->i < r->n && r->s[r->i] == ',') {
      r->i++;
      ws(r);
    }
  }
  if (r->i >= r->n) {
    r->err = "unterminated call";
    goto fail;
  }
  r->i++;
  if (expand && n > 0) {
    Value *last = args[--n];
    ValIter it = val_iter(last);
    while (val_iter_next(&it)) VEC_PUSH(args, n, cap, val_ref(it.elem));
    val_free(last);
  }
  Value *res;
  if (!strcmp(name, "_unknown") && n == 1) {
    res = make_unknown(r, args[0]);
  } else {
    SrcRange *rg = xcalloc(n + 1, sizeof *rg);
    SrcRange call = {0, 0, 0};
    res = fn_call(name, args, n, rg, call, r->ctx, r->diags);
    free(rg);
    if (!res && !r->err) r->err = "call failed";
  }
  for (size_t k = 0; k < n; k++) val_free(args[k]);
  free(args);
  return res;
fail:
  for (size_t k = 0; k < n; k++) val_free(args[k]);
  free(args);
  return NULL;
}

static Value *rd_expr(Rd *r) {
  ws(r);
  if (r->i >= r->n) {
    r->err = "unexpected end";
    return NULL;
  }
  char ch = r->s[r->i];
  if (ch == '-') {
    r->i++;
    Value *v = rd_expr(r);
    if (!v) return NULL;
    Value *neg = val_num_neg(v);
    val_free(v);
    return neg;
  }
  if (ch == '"') {
    size_t len;
    char *s = rd_string_raw(r, &len);
    if (!s) return NULL;
    Value *v = val_string(s, len);
    free(s);
    return v;
  }
  if (ch >= '0' && ch <= '9') {
    size_t st = r->i;
    while (r->i < r->n && strchr("0123456789.eE", r->s[r->i])) {
      if ((r->s[r->i] == 'e' || r->s[r->i] == 'E') && r->i + 1 < r->n && strchr("+-", r->s[r->i + 1])) r->i++;
      r->i++;
    }
    Value *v = val_number_parse(r->s + st, r->i - st);
    if (!v) r->err = "bad number";
    return v;
  }
  if (ch == '[') {
    r->i++;
    Value **el = NULL;
    size_t n = 0, cap = 0;
    ws(r);
    while (r->i < r->n && r->s[r->i] != ']') {
      Value *e = rd_expr(r);
      if (!e) {
        for (size_t k = 0; k < n; k++) val_free(el[k]);
        free(el);
        return NULL;
      }
      VEC_PUSH(el, n, cap, e);
      ws(r);
      if (r->i < r->n && r->s[r->i] == ',') r->i++;
      ws(r);
    }
    r->i++;
    Value *t = val_tuple(el, n);
    for (size_t k = 0; k < n; k++) val_free(el[k]);
    free(el);
    return t;
  }
  if (ch == '{') {
    r->i++;
    Value **el = NULL;
    char **names = NULL;
    size_t n = 0, cap = 0, ncap = 0;
    Value *res = NULL;
    ws(r);
    while (r->i < r->n && r->s[r->i] != '}') {
      char *key;
      size_t kl;
      if (r->s[r->i] == '"') {
        key = rd_string_raw(r, &kl);
        if (!key) goto objfail;
      } else {
        size_t st = r->i;
        while (r->i < r->n && is_ident(r->s[r->i])) r->i++;
        if (r->i == st) {
          r->err = "bad object key";
          goto objfail;
        }
        key = xstrndup(r->s + st, r->i - st);
      }
      ws(r);
      if (r->i < r->n && (r->s[r->i] == '=' || r->s[r->i] == ':')) r->i++;
      Value *v = rd_expr(r);
      if (!v) {
        free(key);
        goto objfail;
      }
      /* a repeated key keeps the last value */
      size_t j;
      for (j = 0; j < n && strcmp(names[j], key) != 0; j++) {}
      if (j < n) {
        free(key);
        val_free(el[j]);
        el[j] = v;
      } else {
        VEC_PUSH(names, n, ncap, key);
        n--;
        VEC_PUSH(el, n, cap, v);
      }
      ws(r);
      if (r->i < r->n && r->s[r->i] == ',') r->i++;
      ws(r);
    }
    r->i++;
    res = val_object((const char *const *)names, el, n);
  objfail:
    for (size_t k = 0; k < n; k++) {
      val_free(el[k]);
      free(names[k]);
    }
    free(el);
    free(names);
    return res;
  }
  if (is_ident(ch)) {
    size_t st = r->i;
    while (r->i < r->n && is_ident(r->s[r->i])) r->i++;
    char *name = xstrndup(r->s + st, r->i - st);
    Value *v = NULL;
    ws(r);
    if (r->i < r->n && r->s[r->i] == '(') v = rd_call(r, name);
    else if (!strcmp(name, "true")) v = val_bool(true);
    else if (!strcmp(name, "false")) v = val_bool(false);
    else if (!strcmp(name, "null")) v = val_null(T_DYNAMIC);
    else r->err = "unknown identifier";
    free(name);
    return v;
  }
  r->err = "unexpected character";
  return NULL;
}

/* ------------------------------------------------------------ rendering */

/* JSON as Python's json.dumps(ensure_ascii=False, sort_keys=True,
** separators=(",", ":")) writes it, which is how expectations are stored. */
static bool render(Buf *b, const Value *v) {
  if (!val_is_known(v)) return false;
  if (val_is_null(v)) {
    buf_puts(b, "null");
    return true;
  }
  switch (val_kind(v)) {
  case TY_STRING: {
    const char *s = val_str(v);
    size_t n = val_str_len(v);
    buf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
      unsigned char c = (unsigned char)s[i];
      if (c == '"') buf_puts(b, "\\\"");
      else if (c == '\\') buf_puts(b, "\\\\");
      else if (c == '\n') buf_puts(b, "\\n");
      else if (c == '\r') buf_puts(b, "\\r");
      else if (c == '\t') buf_puts(b, "\\t");
      else if (c == '\b') buf_puts(b, "\\b");
      else if (c == '\f') buf_puts(b, "\\f");
      else if (c < 0x20) buf_printf(b, "\\u%04x", c);
      else buf_putc(b, (char)c);
    }
    buf_putc(b, '"');
    return true;
  }
  case TY_NUMBER: {
    char *t = val_number_text(v);
    buf_puts(b, t);
    free(t);
    return true;
  }
  case TY_BOOL: buf_puts(b, val_get_bool(v) ? "true" : "false"); return true;
  case TY_LIST: case TY_SET: case TY_TUPLE: {
    buf_putc(b, '[');
    ValIter it = val_iter(v);
    while (val_iter_next(&it)) {
      if (it.i) buf_putc(b, ',');
      if (!render(b, it.elem)) return false;
    }
    buf_putc(b, ']');
    return true;
  }
  case TY_MAP: case TY_OBJECT: {
    buf_putc(b, '{');
    ValIter it = val_iter(v);
    while (val_iter_next(&it)) {
      if (it.i) buf_putc(b, ',');
      Value *k = val_cstring(it.key);
      render(b, k);
      val_free(k);
      buf_putc(b, ':');
      if (!render(b, it.elem)) return false;
    }
    buf_putc(b, '}');
    return true;
  }
  case TY_DYNAMIC: buf_puts(b, "null"); return true;
  }
  return false;
}

static char *type_text(const Type *t) {
  cJSON *j = type_to_json(t);
  char *s = cJSON_PrintUnformatted(j);
  cJSON_Delete(j);
  return s;
}

/* A stand-in for the evaluator's template renderer: replaces ${name} with
** the variable's string value. It only lets the tests check what stdlib
** does around rendering (reading the file, checking and passing vars). */
static Value *test_render(void *ev, const char *path, const char *src, size_t len, Value *vars,
                          SrcRange call_range, DiagList *diags) {
  (void)ev;
  (void)path;
  Buf b = BUF_INIT;
  buf_add(&b, "", 0);
  for (size_t i = 0; i < len; i++) {
    if (src[i] == '$' && i + 1 < len && src[i + 1] == '{') {
      size_t e = i + 2;
      while (e < len && src[e] != '}') e++;
      char *name = xstrndup(src + i + 2, e - i - 2);
      Value *v = val_is_null(vars) ? NULL
                 : val_kind(vars) == TY_OBJECT ? val_attr(vars, name) : val_map_get(vars, name);
      Value *s = v ? val_convert(v, T_STRING, NULL) : NULL;
      if (!s) {
        diag_add(diags, DIAG_ERROR, &call_range, "Unknown variable", "There is no variable named \"%s\".", name);
        free(name);
        val_free(v);
        buf_free(&b);
        return NULL;
      }
      buf_add(&b, val_str(s), val_str_len(s));
      val_free(s);
      val_free(v);
      free(name);
      i = e;
      continue;
    }
    buf_putc(&b, src[i]);
  }
  Value *r = val_string(b.s, b.len);
  buf_free(&b);
  return r;
}

/* ------------------------------------------------------------ cases */

typedef struct Case {
  char *expr;
  char *value, *type, *regex, *error;
  bool unknown, sensitive;
} Case;

typedef struct Count {
  char *name;
  int n;
} Count;

static Count *counts;
static size_t ncounts, capcounts;
static int nfail, npass;

static int next_index(const char *name) {
  for (size_t i = 0; i < ncounts; i++)
    if (!strcmp(counts[i].name, name)) return ++counts[i].n;
  Count c = {xstrdup(name), 1};
  VEC_PUSH(counts, ncounts, capcounts, c);
  return 1;
}

static void run_case(const Case *c, const char *files_dir, const char *filter) {
  char name[128];
  size_t k = 0;
  while (c->expr[k] && is_ident(c->expr[k]) && k < 60) k++;
  char fname[64];
  snprintf(fname, sizeof fname, "%.*s", (int)k, c->expr);
  snprintf(name, sizeof name, "fn/%s/%d", fname, next_index(fname));
  if (filter && !strstr(name, filter)) return;

  FnCtx ctx = {files_dir, false, test_render, NULL};
  DiagList diags = {0};
  Rd r = {c->expr, 0, strlen(c->expr), NULL, &ctx, &diags};
  Value *v = rd_expr(&r);
  Buf why = BUF_INIT;
  if (c->error) {
    /* "Summary" or "Summary; Detail" */
    const char *semi = strstr(c->error, "; ");
    size_t sl = semi ? (size_t)(semi - c->error) : strlen(c->error);
    bool found = false;
    for (size_t i = 0; i < diags.n && !found; i++) {
      const Diag *d = &diags.v[i];
      if (strlen(d->summary) != sl || strncmp(d->summary, c->error, sl) != 0) continue;
      if (semi && (!d->detail || strcmp(d->detail, semi + 2) != 0)) {
        buf_printf(&why, "detail: got \"%s\" want \"%s\"", d->detail ? d->detail : "", semi + 2);
        continue;
      }
      found = true;
    }
    if (!found && !why.len) {
      if (v) {
        Buf vb = BUF_INIT;
        render(&vb, v);
        buf_printf(&why, "got value %s, want error %s", vb.s ? vb.s : "(unknown)", c->error);
        buf_free(&vb);
      } else if (diags.n) {
        buf_printf(&why, "got error \"%s; %s\", want %s", diags.v[0].summary,
                   diags.v[0].detail ? diags.v[0].detail : "", c->error);
      } else {
        buf_printf(&why, "got no result (%s), want %s", r.err ? r.err : "?", c->error);
      }
    }
    if (found) buf_free(&why);
  } else if (!v) {
    if (diags.n)
      buf_printf(&why, "error \"%s; %s\"", diags.v[0].summary, diags.v[0].detail ? diags.v[0].detail : "");
    else buf_printf(&why, "reader: %s", r.err ? r.err : "no value");
  } else {
    if (c->unknown && val_is_known(v)) buf_puts(&why, "want unknown, got known; ");
    if (!c->unknown && !val_is_known(v)) buf_puts(&why, "got unknown; ");
    if (c->sensitive != val_is_sensitive(v))
      buf_printf(&why, "sensitive: got %d want %d; ", val_is_sensitive(v), c->sensitive);
    if (c->value) {
      Buf vb = BUF_INIT;
      buf_add(&vb, "", 0);
      if (!render(&vb, v) || strcmp(vb.s, c->value) != 0)
        buf_printf(&why, "got %s want %s; ", vb.s, c->value);
      buf_free(&vb);
    }
    if (c->type) {
      char *t = type_text(val_type(v));
      if (strcmp(t, c->type) != 0) buf_printf(&why, "type %s want %s; ", t, c->type);
      free(t);
    }
    if (c->regex) {
      regex_t re;
      if (regcomp(&re, c->regex, REG_EXTENDED | REG_NOSUB) != 0) buf_puts(&why, "bad regex; ");
      else {
        if (val_kind(v) != TY_STRING || !val_is_known(v) || val_is_null(v) ||
            regexec(&re, val_str(v), 0, NULL, 0) != 0)
          buf_printf(&why, "value does not match /%s/; ", c->regex);
        regfree(&re);
      }
    }
  }
  if (why.len) {
    printf("FAIL - %s: %s: %s\n", name, c->expr, why.s);
    nfail++;
  } else {
    printf("ok - %s\n", name);
    npass++;
  }
  buf_free(&why);
  val_free(v);
  diag_free(&diags);
}

static void run_file(const char *path, const char *files_dir, const char *filter) {
  size_t len;
  char *text = read_file(path, &len);
  if (!text) {
    printf("FAIL - fn/%s: cannot read\n", path);
    nfail++;
    return;
  }
  Case c;
  memset(&c, 0, sizeof c);
  char *save = NULL;
  for (char *line = strtok_r(text, "\n", &save);; line = strtok_r(NULL, "\n", &save)) {
    if (!line || !strncmp(line, "> ", 2)) {
      if (c.expr) run_case(&c, files_dir, filter);
      memset(&c, 0, sizeof c);
      if (!line) break;
      c.expr = line + 2;
      continue;
    }
    if (!c.expr) continue;
    if (!strncmp(line, "= ", 2)) c.value = line + 2;
    else if (!strncmp(line, ": ", 2)) c.type = line + 2;
    else if (!strncmp(line, "~ ", 2)) c.regex = line + 2;
    else if (!strncmp(line, "! ", 2)) c.error = line + 2;
    else if (!strncmp(line, "? ", 2)) c.unknown = true;
    else if (!strncmp(line, "@ ", 2)) c.sensitive = true;
  }
  free(text);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "tests/functions";
  const char *filter = argc > 2 ? argv[2] : NULL;
  setenv("HOME", "/home/tfc", 1);
  char *files_dir = xasprintf("%s/files", dir);
  DIR *d = opendir(dir);
  if (!d) {
    printf("FAIL - fn: cannot open %s\n", dir);
    return 1;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    size_t l = strlen(e->d_name);
    if (l > 4 && !strcmp(e->d_name + l - 4, ".txt")) VEC_PUSH(names, n, cap, xasprintf("%s/%s", dir, e->d_name));
  }
  closedir(d);
  qsort(names, n, sizeof *names, cmp_str);
  for (size_t i = 0; i < n; i++) {
    run_file(names[i], files_dir, filter);
    free(names[i]);
  }
  free(names);
  free(files_dir);
  for (size_t i = 0; i < ncounts; i++) free(counts[i].name);
  free(counts);
  fflush(stdout); /* the summary must not land inside a case line */
  fprintf(stderr, "%d passed, %d failed\n", npass, nfail);
  return 0;
}
