/*
** tests/fuzz/fuzz_aws_ini.c — libFuzzer target for the parser of
** ~/.aws/credentials and ~/.aws/config (providers/https/ini.c): any bytes
** must parse to entries and a count of bad lines, never a crash or leak.
** Built with FUZZ_REPLAY as a plain program that runs the corpus files
** given on the command line (`make check` replays tests/fuzz/corpus/aws_ini).
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

#ifdef FUZZ_REPLAY
#include <stdio.h>
int main(int argc, char **argv) {
  int n = 0;
  for (int i = 1; i < argc; i++) {
    size_t len;
    char *b = read_file(argv[i], &len);
    if (!b) {
      perror(argv[i]);
      return 2;
    }
    LLVMFuzzerTestOneInput((const uint8_t *)b, len);
    free(b);
    n++;
  }
  printf("ok - fuzz replay of %d inputs\n", n);
  return 0;
}
#endif
