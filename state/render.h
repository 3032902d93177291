/*
** state/render.h — the rendering engine shared by `state show` and
** `state diff` (internal to state/).
*/
#ifndef TFC_STATE_RENDER_H
#define TFC_STATE_RENDER_H

#include "state/state.h"

/* Sensitive attribute paths of one object, as ".a[0][\"k\"]" strings. */
typedef struct RdSens {
  char **paths;
  size_t n, cap;
} RdSens;

void rd_sens_init(RdSens *s, const cJSON *paths);
void rd_sens_free(RdSens *s);
bool rd_sens_has(const RdSens *s, const char *path);

typedef struct Rd {
  Buf *b;
  bool diff;            /* plan layout with a symbol column */
  const RdSens *sens;   /* NULL: nothing hidden */
} Rd;

void rd_pad(Buf *b, int n);
void rd_quote(Buf *b, const char *s);
bool rd_is_block_list(const cJSON *v);
cJSON *rd_json_in_string(const cJSON *v);
void rd_key(Buf *b, const char *k, bool bare_ok);
int rd_key_width(const char *k, bool bare_ok);
void rd_line(const Rd *r, int depth, char sym);
void rd_close(const Rd *r, int depth, const char *s);
const cJSON **rd_sorted_members(const cJSON *obj, size_t *n);
void rd_value(const Rd *r, const cJSON *v, int depth, char sym, const char *path, bool in_json);
void rd_body(const Rd *r, const cJSON *obj, int depth, char sym, const char *path, bool to_null);

#endif
