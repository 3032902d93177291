/*
** base/arena.c — bump allocator; see arena.h.
*/
#include "base/arena.h"
#include "base/util.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

struct ArenaChunk {
  ArenaChunk *next;
  alignas(max_align_t) unsigned char data[];
};

#define ARENA_MIN_CHUNK (64 * 1024)
#define ARENA_MAX_CHUNK (1024 * 1024)

void arena_init(Arena *a) { memset(a, 0, sizeof *a); }

void arena_free(Arena *a) {
  ArenaChunk *c = a->head;
  while (c) {
    ArenaChunk *n = c->next;
    free(c);
    c = n;
  }
  memset(a, 0, sizeof *a);
}

void *arena_alloc(Arena *a, size_t n) {
  /* 8-byte alignment is enough for every node type and keeps small nodes
  ** small: syntax trees must stay within a few times the source size. */
  const size_t al = 8;
  n = (n + al - 1) & ~(al - 1);
  if (!a->head || a->cap - a->used < n) {
    /* Chunks grow with the arena so a large file needs few mallocs, but
    ** stay small enough that the unused tail of the last one is cheap. */
    size_t sz = a->total / 8;
    if (sz < ARENA_MIN_CHUNK) sz = ARENA_MIN_CHUNK;
    if (sz > ARENA_MAX_CHUNK) sz = ARENA_MAX_CHUNK;
    if (sz < n) sz = n;
    ArenaChunk *c = xmalloc(sizeof(ArenaChunk) + sz);
    c->next = a->head;
    a->head = c;
    a->used = 0;
    a->cap = sz;
    a->total += sz;
  }
  a->requested += n;
  void *p = a->head->data + a->used;
  a->used += n;
  memset(p, 0, n);
  return p;
}

char *arena_strndup(Arena *a, const char *s, size_t n) {
  char *p = arena_alloc(a, n + 1);
  if (n) memcpy(p, s, n);
  p[n] = 0;
  return p;
}
