/*
** base/diag.c — diagnostics and their Terraform-style rendering; see diag.h.
*/
#include "base/diag.h"
#include "base/buf.h"
#include "base/util.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static Diag *diag_vadd(DiagList *dl, DiagSeverity sev, const SrcRange *subject, const char *summary,
                       const char *detail, va_list ap) {
  Diag d;
  memset(&d, 0, sizeof d);
  d.severity = sev;
  d.summary = xstrdup(summary);
  if (detail) {
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, detail, cp);
    va_end(cp);
    if (n > 0) {
      char *s = xmalloc((size_t)n + 1);
      vsnprintf(s, (size_t)n + 1, detail, ap);
      d.detail = s;
    }
  }
  if (subject && subject->file) {
    d.has_subject = true;
    d.subject = *subject;
    /* a range computed from outside bytes must still be a range, or the
    ** snippet code would read a negative length */
    if (d.subject.start > d.subject.end) d.subject.start = d.subject.end;
  }
  VEC_PUSH(dl->v, dl->n, dl->cap, d);
  if (sev == DIAG_ERROR) dl->nerrors++;
  return &dl->v[dl->n - 1];
}

Diag *diag_add(DiagList *dl, DiagSeverity sev, const SrcRange *subject, const char *summary,
               const char *detail, ...) {
  va_list ap;
  va_start(ap, detail);
  Diag *d = diag_vadd(dl, sev, subject, summary, detail, ap);
  va_end(ap);
  return d;
}

Diag *diag_error(DiagList *dl, SrcRange subject, const char *summary, const char *detail, ...) {
  va_list ap;
  va_start(ap, detail);
  Diag *d = diag_vadd(dl, DIAG_ERROR, &subject, summary, detail, ap);
  va_end(ap);
  return d;
}

void diag_set_context(Diag *d, SrcRange context) {
  d->has_context = context.file != 0;
  d->context = context;
}

void diag_add_value(Diag *d, const char *traversal, const char *statement) {
  d->values = xrealloc(d->values, (d->nvalues + 1) * sizeof *d->values);
  d->values[d->nvalues].traversal = xstrdup(traversal);
  d->values[d->nvalues].statement = xstrdup(statement);
  d->nvalues++;
}

void diag_move(DiagList *dst, DiagList *src) {
  for (size_t i = 0; i < src->n; i++) {
    VEC_PUSH(dst->v, dst->n, dst->cap, src->v[i]);
    if (src->v[i].severity == DIAG_ERROR) dst->nerrors++;
  }
  free(src->v);
  memset(src, 0, sizeof *src);
}

bool diag_has_errors(const DiagList *dl) { return dl->nerrors > 0; }

void diag_free(DiagList *dl) {
  for (size_t i = 0; i < dl->n; i++) {
    Diag *d = &dl->v[i];
    free(d->summary);
    free(d->detail);
    free(d->address);
    for (size_t j = 0; j < d->nvalues; j++) {
      free(d->values[j].traversal);
      free(d->values[j].statement);
    }
    free(d->values);
  }
  free(dl->v);
  memset(dl, 0, sizeof *dl);
}

#define SNIPPET_MAX_LINE 512

/* The snippet Terraform shows: the whole lines overlapping the context range
** (or the subject), and the subject's offsets within that text. */
typedef struct Snippet {
  const char *code;
  size_t len;
  int start_line;
  size_t hl_start, hl_end;
  const char *context;
} Snippet;

static bool make_snippet(const Diag *d, Snippet *sn) {
  if (!d->has_subject) return false;
  SrcFile *f = src_get(d->subject.file);
  if (!f) return false;
  uint32_t hs = d->subject.start, he = d->subject.end;
  if (he < hs) he = hs;
  uint32_t ss = hs, se = he;
  if (d->has_context && d->context.file == d->subject.file) {
    ss = d->context.start < hs ? d->context.start : hs;
    se = d->context.end > he ? d->context.end : he;
  }
  if (se == ss) se++;
  if (he == hs) he++;
  if (ss > f->len) ss = (uint32_t)f->len;
  if (se > f->len) se = (uint32_t)f->len;
  /* whole lines overlapping [ss, se) */
  uint32_t ls = ss;
  while (ls > 0 && f->bytes[ls - 1] != '\n') ls--;
  uint32_t le = se > ss ? se - 1 : se;
  if (le > f->len) le = (uint32_t)f->len;
  while (le < f->len && f->bytes[le] != '\n') le++;
  /* hcl's line scanner drops the \r of a CRLF line ending */
  size_t len = le - ls;
  sn->code = f->bytes + ls;
  sn->len = len;
  sn->start_line = src_pos(d->subject.file, ls).line;
  size_t a = hs >= ls ? hs - ls : 0, b = a + (he - hs);
  if (a > len) a = len;
  if (b > len) b = len;
  sn->hl_start = a;
  sn->hl_end = b;
  sn->context = src_context_at(d->subject.file, hs);
  return true;
}

static void wrap_para(Buf *b, const char *line, size_t n, int width) {
  if (width <= 0 || (n && line[0] == ' ')) {
    buf_add(b, line, n);
    buf_putc(b, '\n');
    return;
  }
  /* greedy word wrap on spaces, like mitchellh/go-wordwrap */
  size_t col = 0, i = 0;
  while (i < n) {
    size_t j = i;
    while (j < n && line[j] != ' ') j++;
    size_t wl = j - i;
    if (col > 0 && col + 1 + wl > (size_t)width) {
      buf_putc(b, '\n');
      col = 0;
    } else if (col > 0) {
      buf_putc(b, ' ');
      col++;
    }
    buf_add(b, line + i, wl);
    col += wl;
    i = j;
    while (i < n && line[i] == ' ') i++;
  }
  buf_putc(b, '\n');
}

static void render_body(Buf *b, const Diag *d, bool color, int width) {
  Snippet sn;
  if (d->address) buf_printf(b, "  with %s,\n", d->address);
  if (make_snippet(d, &sn)) {
    SrcFile *f = src_get(d->subject.file);
    SrcPos p = src_pos(d->subject.file, d->subject.start);
    if (sn.context)
      buf_printf(b, "  on %s line %d, in %s:\n", f->path, p.line, sn.context);
    else
      buf_printf(b, "  on %s line %d:\n", f->path, p.line);
    Buf code = BUF_INIT;
    buf_add(&code, sn.code, sn.hl_start);
    if (color) buf_puts(&code, "\x1b[4m");
    buf_add(&code, sn.code + sn.hl_start, sn.hl_end - sn.hl_start);
    if (color) buf_puts(&code, "\x1b[0m");
    buf_add(&code, sn.code + sn.hl_end, sn.len - sn.hl_end);
    int line = sn.start_line;
    const char *s = code.s ? code.s : "";
    for (;;) {
      const char *nl = strchr(s, '\n');
      size_t n = nl ? (size_t)(nl - s) : strlen(s);
      if (n && s[n - 1] == '\r') n--;
      /* a huge line (a minified blob, a 50 MB string) is cut, not dumped */
      if (n > SNIPPET_MAX_LINE) {
        size_t k = SNIPPET_MAX_LINE;
        while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80) k--;
        buf_printf(b, "%4d: %.*s...\n", line++, (int)k, s);
      } else {
        buf_printf(b, "%4d: %.*s\n", line++, (int)n, s);
      }
      if (!nl) break;
      s = nl + 1;
    }
    buf_free(&code);
    if (d->nvalues) {
      buf_puts(b, color ? "    \x1b[90m├────────────────\x1b[0m\n" : "    ├────────────────\n");
      for (size_t i = 0; i < d->nvalues; i++)
        buf_printf(b, color ? "    \x1b[90m│\x1b[0m \x1b[1m%s\x1b[0m %s\n" : "    │ %s %s\n",
                   d->values[i].traversal, d->values[i].statement);
    }
    buf_putc(b, '\n');
  } else if (d->has_subject) {
    SrcFile *f = src_get(d->subject.file);
    if (f) buf_printf(b, "  on %s line %d:\n  (source code not available)\n\n", f->path,
                      src_pos(d->subject.file, d->subject.start).line);
  }
  if (d->detail) {
    const char *s = d->detail;
    for (;;) {
      const char *nl = strchr(s, '\n');
      size_t n = nl ? (size_t)(nl - s) : strlen(s);
      wrap_para(b, s, n, width);
      if (!nl) break;
      s = nl + 1;
    }
  }
}

void diag_render_text(FILE *out, const Diag *d, bool color, int width) {
  Buf b = BUF_INIT;
  bool err = d->severity == DIAG_ERROR;
  if (!color) {
    buf_puts(&b, err ? "\nError: " : "\nWarning: ");
    buf_puts(&b, d->summary);
    buf_puts(&b, "\n\n");
    render_body(&b, d, false, width > 1 ? width - 1 : 0);
    fputs(b.s, out);
    buf_free(&b);
    return;
  }
  buf_puts(&b, err ? "\x1b[1m\x1b[31mError: \x1b[0m" : "\x1b[1m\x1b[33mWarning: \x1b[0m");
  buf_printf(&b, "\x1b[1m%s\x1b[0m\n\n", d->summary);
  render_body(&b, d, true, width > 3 ? width - 3 : 0);
  const char *rule = err ? "\x1b[31m" : "\x1b[33m";
  fprintf(out, "%s╷\x1b[0m\n", rule);
  const char *s = b.s;
  while (*s) {
    const char *nl = strchr(s, '\n');
    size_t n = nl ? (size_t)(nl - s) : strlen(s);
    if (n == 0)
      fprintf(out, "%s│\x1b[0m\n", rule);
    else
      fprintf(out, "%s│\x1b[0m %.*s\n", rule, (int)n, s);
    if (!nl) break;
    s = nl + 1;
  }
  fprintf(out, "%s╵\x1b[0m\n", rule);
  buf_free(&b);
}

void diag_print_all(const DiagList *dl, FILE *out, FILE *err, bool color) {
  for (size_t i = 0; i < dl->n; i++) {
    FILE *to = dl->v[i].severity == DIAG_ERROR ? err : out;
    diag_render_text(to, &dl->v[i], color, diag_term_width(to));
  }
}

static cJSON *pos_json(uint32_t file, uint32_t byte) {
  SrcPos p = src_pos(file, byte);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "line", p.line);
  cJSON_AddNumberToObject(o, "column", p.column);
  cJSON_AddNumberToObject(o, "byte", p.byte);
  return o;
}

void *diag_to_json(const Diag *d) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "severity", d->severity == DIAG_ERROR ? "error" : "warning");
  cJSON_AddStringToObject(o, "summary", d->summary);
  cJSON_AddStringToObject(o, "detail", d->detail ? d->detail : "");
  if (d->address) cJSON_AddStringToObject(o, "address", d->address);
  SrcFile *f = d->has_subject ? src_get(d->subject.file) : NULL;
  if (f) {
    cJSON *r = cJSON_AddObjectToObject(o, "range");
    cJSON_AddStringToObject(r, "filename", f->path);
    cJSON_AddItemToObject(r, "start", pos_json(d->subject.file, d->subject.start));
    cJSON_AddItemToObject(r, "end", pos_json(d->subject.file, d->subject.end));
    Snippet sn;
    if (make_snippet(d, &sn)) {
      cJSON *s = cJSON_AddObjectToObject(o, "snippet");
      if (sn.context)
        cJSON_AddStringToObject(s, "context", sn.context);
      else
        cJSON_AddNullToObject(s, "context");
      char *code = xstrndup(sn.code, sn.len);
      cJSON_AddStringToObject(s, "code", code);
      free(code);
      cJSON_AddNumberToObject(s, "start_line", sn.start_line);
      cJSON_AddNumberToObject(s, "highlight_start_offset", (double)sn.hl_start);
      cJSON_AddNumberToObject(s, "highlight_end_offset", (double)sn.hl_end);
      cJSON *vals = cJSON_AddArrayToObject(s, "values");
      for (size_t i = 0; i < d->nvalues; i++) {
        cJSON *v = cJSON_CreateObject();
        cJSON_AddStringToObject(v, "traversal", d->values[i].traversal);
        cJSON_AddStringToObject(v, "statement", d->values[i].statement);
        cJSON_AddItemToArray(vals, v);
      }
    }
  }
  return o;
}

bool diag_color_enabled(FILE *stream, bool no_color_flag) {
  if (no_color_flag) return false;
  const char *nc = getenv("NO_COLOR");
  if (nc && *nc) return false;
  return isatty(fileno(stream)) != 0;
}

int diag_term_width(FILE *stream) {
  struct winsize ws;
  if (isatty(fileno(stream)) && ioctl(fileno(stream), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    return ws.ws_col;
  return 78;
}
