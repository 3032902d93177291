/*
** tests/fuzz/fuzz_aws_ini.c — libFuzzer target for the parser of
** ~/.aws/credentials and ~/.aws/config (providers/https/ini.c): any bytes
** must parse to entries and a count of bad lines, never a crash or leak.
** Its corpus (tests/fuzz/corpus/aws_ini) is replayed by `make test` and
** `make check` through tests/fuzz/replay.c.
*/
#include "base/util.h"
#include "providers/https/ini.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  IniFile f = {0};
  ini_parse((const char *)data, size, &f);
  /* the lookups the transport makes */
  (void)ini_profile_get(&f, 1, "default", "region");
  (void)ini_profile_get(&f, 0, "default", "aws_access_key_id");
  (void)ini_has_profile(&f, 1, "dev");
  if (f.n) (void)ini_get(&f, f.v[0].section, f.v[0].key);
  ini_free(&f);
  return 0;
}
