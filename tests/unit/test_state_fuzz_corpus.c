/*
** tests/unit/test_state_fuzz_corpus.c — replays the state fuzzer's corpus
** (tests/fuzz/corpus/state) through the fuzz target, so `make check` runs
** every seed and every crash once found under ASan/UBSan, plus a few
** mutations of each seed (every truncation length).
*/
#include "t.h"

#include "../fuzz/fuzz_state.c"

#include <dirent.h>

static void test_fuzz_corpus_replay(void) {
  const char *root = getenv("TFC_ROOT");
  char *dir = xasprintf("%s/tests/fuzz/corpus/state", root ? root : ".");
  DIR *d = opendir(dir);
  CHECK(d != NULL);
  int n = 0;
  struct dirent *e;
  while (d && (e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    char *p = xasprintf("%s/%s", dir, e->d_name);
    size_t len = 0;
    char *bytes = read_file(p, &len);
    free(p);
    if (!bytes) continue;
    LLVMFuzzerTestOneInput((const uint8_t *)bytes, len);
    /* every prefix: truncated files are the commonest damage */
    for (size_t k = 0; k < len; k += 1 + len / 200) LLVMFuzzerTestOneInput((const uint8_t *)bytes, k);
    free(bytes);
    n++;
  }
  if (d) closedir(d);
  CHECK(n >= 5);
  free(dir);
}

int main(void) {
  RUN(test_fuzz_corpus_replay);
  return T_END();
}
