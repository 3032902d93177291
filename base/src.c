/*
** base/src.c — the source registry; see src.h.
*/
#include "base/src.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static SrcFile **files;   /* index 0 unused so that id 0 means "none" */
static size_t nfiles, capfiles;

uint32_t src_add(const char *path, char *bytes, size_t len) {
  if (nfiles == 0) VEC_PUSH(files, nfiles, capfiles, NULL);
  SrcFile *f = xcalloc(1, sizeof *f);
  f->path = xstrdup(path);
  f->bytes = bytes;
  f->len = len;
  VEC_PUSH(files, nfiles, capfiles, f);
  return (uint32_t)(nfiles - 1);
}

SrcFile *src_get(uint32_t id) {
  if (id == 0 || id >= nfiles) return NULL;
  return files[id];
}

static void build_lines(SrcFile *f) {
  size_t cap = 0;
  VEC_PUSH(f->lines, f->nlines, cap, 0);
  for (size_t i = 0; i < f->len; i++)
    if (f->bytes[i] == '\n') VEC_PUSH(f->lines, f->nlines, cap, (uint32_t)(i + 1));
}

/* Columns count grapheme clusters, as hcl does, so that a combining accent
** or an emoji with modifiers is one column. Invalid UTF-8 counts a byte. */
static int count_columns(const char *s, size_t n) {
  int col = 0;
  utf8proc_int32_t prev = -1, state = 0;
  size_t i = 0;
  while (i < n) {
    /* an ASCII byte followed by another ASCII byte is a whole grapheme
    ** (\r\n aside, which never occurs within a line) */
    if ((unsigned char)s[i] < 0x80 && (i + 1 == n || (unsigned char)s[i + 1] < 0x80)) {
      col++;
      i++;
      prev = -1;
      continue;
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
    if (k <= 0) {
      col++;
      i++;
      prev = -1;
      continue;
    }
    if (prev < 0 || utf8proc_grapheme_break_stateful(prev, cp, &state)) col++;
    prev = cp;
    i += (size_t)k;
  }
  return col;
}

SrcPos src_pos(uint32_t file, uint32_t byte) {
  SrcPos p = {1, 1, byte};
  SrcFile *f = src_get(file);
  if (!f) return p;
  if (byte > f->len) byte = (uint32_t)f->len;
  if (!f->lines) build_lines(f);
  size_t lo = 0, hi = f->nlines;
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (f->lines[mid] <= byte) lo = mid; else hi = mid;
  }
  p.line = (int)lo + 1;
  p.column = count_columns(f->bytes + f->lines[lo], byte - f->lines[lo]) + 1;
  return p;
}

/* A file has a context per top-level block, thousands in a large one, so
** built headers share one buffer instead of an allocation each. */
void src_add_context(uint32_t file, uint32_t start, uint32_t end, const char *header, size_t len) {
  SrcFile *f = src_get(file);
  if (!f) return;
  SrcContext c = {start, end, (uint32_t)f->ctxlen, (uint32_t)len | CTX_BUILT};
  VEC_PUSH(f->ctx, f->nctx, f->capctx, c);
  vec_reserve((void **)&f->ctxtext, &f->ctxcap, f->ctxlen + len + 1, 1);
  memcpy(f->ctxtext + f->ctxlen, header, len);
  f->ctxtext[f->ctxlen + len] = 0;
  f->ctxlen += len + 1;
}

void src_add_context_span(uint32_t file, uint32_t start, uint32_t end, uint32_t at, uint32_t len) {
  SrcFile *f = src_get(file);
  if (!f) return;
  SrcContext c = {start, end, at, len};
  VEC_PUSH(f->ctx, f->nctx, f->capctx, c);
}

static void free_context_texts(SrcFile *f) {
  for (size_t i = 0; i < f->ncopy; i++) free(f->ctxcopy[i]);
  free(f->ctxcopy);
  f->ctxcopy = NULL;
  f->ncopy = 0;
}

void src_clear_context(uint32_t file) {
  SrcFile *f = src_get(file);
  if (!f) return;
  free_context_texts(f);
  f->nctx = f->ctxlen = 0;
}

const char *src_context_at(uint32_t file, uint32_t byte) {
  SrcFile *f = src_get(file);
  if (!f) return NULL;
  /* contexts are in source order and do not overlap */
  size_t lo = 0, hi = f->nctx;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (f->ctx[mid].end <= byte) lo = mid + 1;
    else hi = mid;
  }
  if (lo == f->nctx || byte < f->ctx[lo].start) return NULL;
  SrcContext *c = &f->ctx[lo];
  if (c->len & CTX_BUILT) return f->ctxtext + c->at;
  if (f->ncopy < f->nctx) {
    f->ctxcopy = xrealloc(f->ctxcopy, f->nctx * sizeof *f->ctxcopy);
    memset(f->ctxcopy + f->ncopy, 0, (f->nctx - f->ncopy) * sizeof *f->ctxcopy);
    f->ncopy = f->nctx;
  }
  if (!f->ctxcopy[lo]) f->ctxcopy[lo] = xstrndup(f->bytes + c->at, c->len);
  return f->ctxcopy[lo];
}

void src_forget(uint32_t id) {
  SrcFile *f = src_get(id);
  if (!f) return;
  free((char *)f->bytes);
  free(f->lines);
  free_context_texts(f);
  free(f->ctx);
  free(f->ctxtext);
  f->ctxtext = NULL;
  f->ctxlen = f->ctxcap = 0;
  f->bytes = NULL;
  f->len = 0;
  f->lines = NULL;
  f->nlines = 0;
  f->ctx = NULL;
  f->nctx = f->capctx = 0;
}

void src_reset(void) {
  for (size_t i = 1; i < nfiles; i++) {
    SrcFile *f = files[i];
    free(f->path);
    free((char *)f->bytes);
    free(f->lines);
    free_context_texts(f);
    free(f->ctx);
    free(f->ctxtext);
    free(f);
  }
  free(files);
  files = NULL;
  nfiles = capfiles = 0;
}
