/*
** tests/tools/fnfuzzreplay.c — replays the corpus of the functions' fuzz
** target (tests/fuzz/corpus/fuzz_fn_decode) without libFuzzer, so `make
** check` runs every saved input under the sanitizers. Prints one "ok"
** line per input; a crash or leak fails the suite (tests/run.sh).
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/util.h"
#include "tests/fuzz/fuzz_fn_decode.c"

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "tests/fuzz/corpus/fuzz_fn_decode";
  DIR *d = opendir(dir);
  if (!d) {
    printf("FAIL - fuzzreplay: cannot open %s\n", dir);
    return 1;
  }
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    char *path = xasprintf("%s/%s", dir, e->d_name);
    size_t n;
    char *data = read_file(path, &n);
    if (data) {
      LLVMFuzzerTestOneInput((const uint8_t *)data, n);
      printf("ok - fuzz/fn_decode/%s\n", e->d_name);
    }
    free(data);
    free(path);
  }
  closedir(d);
  return 0;
}
