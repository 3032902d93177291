/*
** tests/fuzz/fuzz_planfile.c — libFuzzer target for the saved plan reader
** (`tfc apply PLANFILE`, `tfc show PLANFILE`).
**
** Any bytes must give either a plan document or a diagnostic, never a
** crash or a leak; a document that is accepted has the fields apply and
** show read without further checks.
*/
#include "base/diag.h"
#include "cli/cli.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  DiagList dl = {0};
  cJSON *pf = plan_file_parse((const char *)data, size, "fuzz.tfplan", &dl);
  if (pf) {
    if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(pf, "rendered")) ||
        !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(pf, "plan")))
      abort();
    cJSON_Delete(pf);
  } else if (!diag_has_errors(&dl)) {
    abort(); /* refused without saying why */
  }
  diag_free(&dl);
  return 0;
}
