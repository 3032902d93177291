/*
** base/jsonout.h — printing cJSON trees the way other tools print JSON.
**
** cJSON's own printer indents with tabs and cannot keep "\u0000" inside a
** string; tfc's outputs must match Node's JSON.stringify(v, null, 2)
** (hcl2json) or Go's json.MarshalIndent (Terraform's -json outputs).
** Inside a cJSON string, the byte pair C0 80 (never valid UTF-8) stands for
** a NUL character and is printed as \u0000.
*/
#ifndef TFC_JSONOUT_H
#define TFC_JSONOUT_H

#include <cjson/cJSON.h>

enum {
  JSON_SORT_KEYS = 1,   /* object keys in byte order (else as built) */
  JSON_HTML_ESCAPE = 2, /* <, >, & as \u003c, \u003e, \u0026 (Go's encoder) */
  JSON_GO_NUMBERS = 4,  /* numbers as Go prints float64, not JavaScript */
  JSON_COMPACT = 8      /* one line, no spaces (Go's json.Marshal) */
};
#define JSON_GO (JSON_HTML_ESCAPE | JSON_GO_NUMBERS)

/* 2-space indented text (one line with JSON_COMPACT) with a trailing
** newline; malloc'd. Raw items (cJSON_CreateRaw: exact number text) are
** printed as they are. */
char *json_print(const cJSON *v, int flags);

#endif
