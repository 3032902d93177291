/*
** base/src.h — source files and byte ranges.
**
** Every token, syntax node and diagnostic refers to source by a SrcRange:
** a file id and a half-open byte range. Lines and columns are computed only
** when something is shown to a user (src_pos), so the hot paths never count
** newlines.
**
** The registry owns the bytes of every file it holds until src_reset().
** Files are registered once and never move, so ranges stay valid.
*/
#ifndef TFC_SRC_H
#define TFC_SRC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct SrcRange {
  uint32_t file;    /* id from src_add; 0 means "no source" */
  uint32_t start;   /* first byte */
  uint32_t end;     /* one past the last byte */
} SrcRange;

typedef struct SrcPos {
  int line;         /* 1-based */
  int column;       /* 1-based, counted in grapheme clusters like hcl */
  uint32_t byte;    /* 0-based offset */
} SrcPos;

/* A top-level block's extent and header text ("resource \"a\" \"b\""),
** used to say "in resource ..." in diagnostics. Filled by the parser.
** Most headers are written in the file exactly as they are shown, so they
** are kept as a slice of the source and copied out only when asked for. */
typedef struct SrcContext {
  uint32_t start, end;   /* the block */
  uint32_t at, len;      /* the header: bytes of the source, or of ctxtext if
                            len has CTX_BUILT set (NUL-terminated there) */
} SrcContext;
#define CTX_BUILT 0x80000000u

typedef struct SrcFile {
  char *path;            /* as given by the user, used in messages */
  const char *bytes;     /* file contents (owned) */
  size_t len;
  uint32_t *lines;       /* byte offset of each line start, built lazily */
  size_t nlines;
  SrcContext *ctx;       /* in source order */
  size_t nctx, capctx;
  char *ctxtext;         /* every built header, one allocation for all */
  char **ctxcopy;        /* source headers copied out when asked for, by
                            context (grown on request) */
  size_t ncopy;
  size_t ctxlen, ctxcap;
} SrcFile;

/* Registers a file; takes ownership of bytes (malloc'd). Returns its id (>0). */
uint32_t src_add(const char *path, char *bytes, size_t len);
SrcFile *src_get(uint32_t id);
/* Line/column of a byte offset in a file. */
SrcPos src_pos(uint32_t file, uint32_t byte);
/* Records a top-level block's header text (len bytes, not NUL-terminated). */
void src_add_context(uint32_t file, uint32_t start, uint32_t end, const char *header, size_t len);
/* Records a top-level block whose header text is the source's bytes
** [at, at+len) as written. */
void src_add_context_span(uint32_t file, uint32_t start, uint32_t end, uint32_t at, uint32_t len);
/* Drops a file's contexts, so that parsing it again does not repeat them. */
void src_clear_context(uint32_t file);
/* Header of the top-level block containing byte, or NULL. The text stays
** valid until the file's contexts are cleared. */
const char *src_context_at(uint32_t file, uint32_t byte);
/* Frees a file's bytes once nothing will point into them (no diagnostic
** about it is pending), keeping its id valid with empty contents. For
** commands that stream through many files, such as fmt. */
void src_forget(uint32_t id);
/* Frees every registered file. */
void src_reset(void);

static inline SrcRange src_range(uint32_t file, uint32_t start, uint32_t end) {
  SrcRange r = {file, start, end};
  return r;
}
/* The smallest range covering both (same file assumed). */
static inline SrcRange src_span(SrcRange a, SrcRange b) {
  SrcRange r = a;
  if (b.start < r.start) r.start = b.start;
  if (b.end > r.end) r.end = b.end;
  return r;
}

#endif
