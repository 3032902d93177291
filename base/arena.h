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
  ArenaChunk *head;   /* chunk currently being filled (most recent first) */
  size_t used;        /* bytes used in head */
  size_t cap;         /* usable bytes in head */
  size_t total;       /* bytes obtained from malloc, for memory reports */
  size_t requested;   /* bytes handed out, for memory reports */
} Arena;

void arena_init(Arena *a);
void arena_free(Arena *a);
/* Returns zeroed, max-aligned memory; aborts only if malloc fails. */
void *arena_alloc(Arena *a, size_t n);
/* Copies n bytes and appends a NUL (the copy may contain NULs itself). */
char *arena_strndup(Arena *a, const char *s, size_t n);

#endif
