/*
** tests/fuzz/fuzz_hcl.c — libFuzzer target for the lexer, parser and the
** hcl2json converter: any bytes must end in a tree or diagnostics, never a
** crash, hang or leak. Also built as a plain program (FUZZ_REPLAY) that
** runs each file given on the command line, so `make check` replays the
** corpus under the sanitizers without libFuzzer.
*/
#include "base/util.h"
#include "parser/ast.h"
#include "parser/hcl2json.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *buf = xmalloc(size + 1);
  if (size) memcpy(buf, data, size);
  buf[size] = 0;
  uint32_t id = src_add("fuzz.tf", buf, size);
  DiagList d = {0};
  HclFile *f = hcl_parse(id, &d);
  if (!diag_has_errors(&d)) {
    cJSON *j = hcl_to_json(f, &d);
    if (j) {
      char *s = hcl_json_print(j);
      free(s);
      cJSON_Delete(j);
    }
  }
  /* rendering touches line/column and snippet code: exercise it too */
  for (size_t i = 0; i < d.n && i < 4; i++) {
    cJSON *o = diag_to_json(&d.v[i]);
    cJSON_Delete(o);
  }
  hcl_file_free(f);
  diag_free(&d);
  src_reset();
  return 0;
}
