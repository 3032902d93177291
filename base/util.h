/*
** base/util.h — allocation that cannot fail silently, and small helpers.
**
** Out of memory is the one condition tfc does not turn into a diagnostic:
** xmalloc and friends print a message and exit(1).
*/
#ifndef TFC_UTIL_H
#define TFC_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a fresh malloc'd string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grows *v (element size sz) so it can hold at least n elements. */
void vec_reserve(void **v, size_t *cap, size_t n, size_t sz);
/* The capacity test is inline: pushes sit on hot paths (the parser's
** bracket stacks) where a call per element shows. */
#define VEC_PUSH(v, n, cap, x)                                          \
  do {                                                                  \
    if ((n) + 1 > (cap)) vec_reserve((void **)&(v), &(cap), (n) + 1, sizeof *(v)); \
    (v)[(n)++] = (x);                                                   \
  } while (0)

/* Reads a whole file; returns NULL and sets errno on failure. */
char *read_file(const char *path, size_t *len);

#endif
