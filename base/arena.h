/*
** base/arena.h — bump allocator.
**
** One arena per parsed file holds its tokens, syntax nodes and decoded
** literals; freeing the arena frees all of them at once. Nothing allocated
** from an arena is freed individually.
*/
#ifndef TFC_ARENA_H
#define TFC_ARENA_H

#include <stddef.h>

typedef struct ArenaChunk ArenaChunk;

typedef struct Arena {
  ArenaChunk *head;     /* chunk currently being filled (most recent first) */
  unsigned char *base;  /* head's first usable byte */
  size_t used;          /* bytes used in head */
  size_t cap;           /* usable bytes in head */
  size_t total;         /* bytes obtained from malloc, for memory reports */
  size_t requested;     /* bytes handed out, for memory reports */
  size_t first;         /* size of the first chunk (0: 64 KB), when the
                           caller can tell roughly what it needs */
  size_t expect;        /* roughly the bytes the caller will need (0: unknown) */
} Arena;

void arena_init(Arena *a);
void arena_free(Arena *a);
/* Starts a new chunk and returns the first n bytes of it (arena_alloc's
** slow path). */
void *arena_grow(Arena *a, size_t n);

/* Returns zeroed memory, 8-byte aligned; aborts only if malloc fails.
** Inline: a parse allocates a node every few tokens. Every chunk starts
** zeroed and nothing is handed out twice, so no clearing is needed. */
static inline void *arena_alloc(Arena *a, size_t n) {
  /* 8-byte alignment is enough for every node type and keeps small nodes
  ** small: syntax trees must stay within a few times the source size. */
  n = (n + 7) & ~(size_t)7;
  if (!a->head || a->cap - a->used < n) return arena_grow(a, n);
  void *p = a->base + a->used;
  a->used += n;
  a->requested += n;
  return p;
}

/* Copies n bytes and appends a NUL (the copy may contain NULs itself). */
char *arena_strndup(Arena *a, const char *s, size_t n);

#endif
