/*
** base/buf.c — see buf.h.
*/
#include "base/buf.h"
#include "base/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void buf_grow(Buf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap) return;
  size_t c = b->cap ? b->cap * 2 : 64;
  while (c < b->len + extra + 1) c *= 2;
  b->s = xrealloc(b->s, c);
  b->cap = c;
}

void buf_add(Buf *b, const char *s, size_t n) {
  buf_grow(b, n);
  if (n) memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = 0;
}

void buf_puts(Buf *b, const char *s) { buf_add(b, s, strlen(s)); }

void buf_putc(Buf *b, char c) {
  buf_grow(b, 1);
  b->s[b->len++] = c;
  b->s[b->len] = 0;
}

void buf_printf(Buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n <= 0) return;
  buf_grow(b, (size_t)n);
  va_start(ap, fmt);
  vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

char *buf_take(Buf *b) {
  char *s = b->s ? b->s : xstrdup("");
  b->s = NULL;
  b->len = b->cap = 0;
  return s;
}

void buf_free(Buf *b) {
  free(b->s);
  b->s = NULL;
  b->len = b->cap = 0;
}

void buf_put_index_key(Buf *b, const char *s) {
  buf_add(b, "[\"", 2);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\') {
      buf_putc(b, '\\');
      buf_putc(b, (char)*p);
    } else if (*p == '\n') {
      buf_add(b, "\\n", 2);
    } else if (*p == '\t') {
      buf_add(b, "\\t", 2);
    } else if (*p < 0x20) {
      buf_printf(b, "\\x%02x", *p);
    } else {
      buf_putc(b, (char)*p);
    }
  }
  buf_add(b, "\"]", 2);
}
