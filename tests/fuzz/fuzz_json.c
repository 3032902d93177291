/*
** tests/fuzz/fuzz_json.c — libFuzzer target for .tf.json files: yajl, the
** document-to-tree pass with Terraform's and the AWS provider's schemas,
** and the templates and expressions parsed out of strings. Any bytes must
** end in a tree or diagnostics, never a crash, hang or leak.
*/
#include "base/util.h"
#include "eval/jsonschema.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *buf = xmalloc(size + 1);
  if (size) memcpy(buf, data, size);
  buf[size] = 0;
  uint32_t id = src_add("fuzz.tf.json", buf, size);
  DiagList d = {0};
  HclFile *f = cfg_parse_json(id, &d);
  for (size_t i = 0; i < d.n && i < 4; i++) {
    cJSON *o = diag_to_json(&d.v[i]);
    cJSON_Delete(o);
  }
  hcl_file_free(f);
  diag_free(&d);
  src_reset();
  return 0;
}
