/*
** base/buf.h — growable byte buffer for building output text.
*/
#ifndef TFC_BUF_H
#define TFC_BUF_H

#include <stddef.h>

typedef struct Buf {
  char *s;      /* always NUL-terminated once anything was added */
  size_t len;   /* bytes used, excluding the NUL */
  size_t cap;   /* bytes allocated */
} Buf;

#define BUF_INIT {NULL, 0, 0}

void buf_add(Buf *b, const char *s, size_t n);
void buf_puts(Buf *b, const char *s);
void buf_putc(Buf *b, char c);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the string to the caller (never NULL) and resets the buffer. */
/* A string instance key as Terraform writes it in addresses: ["a\"b"]. */
void buf_put_index_key(Buf *b, const char *s);
char *buf_take(Buf *b);
void buf_free(Buf *b);

#endif
