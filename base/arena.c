/*
** base/arena.c — bump allocator; see arena.h.
*/
#include "base/arena.h"
#include "base/util.h"

#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct ArenaChunk {
  ArenaChunk *next;
  size_t mapped;       /* bytes mapped for a huge chunk; 0 when malloc'd */
  alignas(max_align_t) unsigned char data[];
};

#define ARENA_MIN_CHUNK (64 * 1024)
#define ARENA_MAX_CHUNK (1024 * 1024)
#define ARENA_HUGE (2 * 1024 * 1024)

void arena_init(Arena *a) { memset(a, 0, sizeof *a); }

void arena_free(Arena *a) {
  ArenaChunk *c = a->head;
  while (c) {
    ArenaChunk *n = c->next;
    if (c->mapped) munmap(c, c->mapped);
    else free(c);
    c = n;
  }
  memset(a, 0, sizeof *a);
}

/* Once an arena is large (the tree of a big configuration), it grows by
** 2 MB chunks mapped on a 2 MB boundary and advised as huge pages: fresh
** memory then costs one page fault per 2 MB instead of 512, and those
** faults were a third of the time spent parsing a large file. Returns
** NULL when the mapping fails, and the caller falls back to malloc. */
static ArenaChunk *huge_chunk(bool huge_pages) {
  size_t span = 2 * ARENA_HUGE;
  unsigned char *p = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return NULL;
  size_t lead = (ARENA_HUGE - (uintptr_t)p % ARENA_HUGE) % ARENA_HUGE;
  if (lead) munmap(p, lead);
  munmap(p + lead + ARENA_HUGE, span - lead - ARENA_HUGE);
  ArenaChunk *c = (ArenaChunk *)(p + lead);
#ifdef MADV_HUGEPAGE
  if (huge_pages) madvise(c, ARENA_HUGE, MADV_HUGEPAGE); /* advice only: fine if refused */
#else
  (void)huge_pages;
#endif
  c->mapped = ARENA_HUGE;
  return c;
}

void *arena_grow(Arena *a, size_t n) {
  /* Chunks grow with the arena so a large file needs few mallocs, but
  ** stay small enough that the unused tail of the last one is cheap. */
  size_t sz = a->total / 8, least = a->first ? a->first : ARENA_MIN_CHUNK;
  if (sz < least) sz = least;
  if (sz > ARENA_MAX_CHUNK) sz = ARENA_MAX_CHUNK;
  ArenaChunk *c = NULL;
  /* A huge page is faulted in whole on its first touch, so a chunk the
  ** caller will likely leave mostly empty (the last one) gets small pages. */
  bool huge_pages = !a->expect || a->total + ARENA_HUGE <= a->expect;
  if (a->total >= ARENA_HUGE && n <= ARENA_HUGE - sizeof(ArenaChunk) && (c = huge_chunk(huge_pages)) != NULL) {
    sz = ARENA_HUGE - sizeof(ArenaChunk);
  } else {
    if (sz < n) sz = n;
    /* calloc: big chunks come straight from mmap, already zero */
    c = xcalloc(1, sizeof(ArenaChunk) + sz);
  }
  c->next = a->head;
  a->head = c;
  a->base = c->data;
  a->cap = sz;
  a->total += sz;
  a->used = n;
  a->requested += n;
  return c->data;
}

char *arena_strndup(Arena *a, const char *s, size_t n) {
  char *p = arena_alloc(a, n + 1);
  if (n) memcpy(p, s, n);
  p[n] = 0;
  return p;
}
