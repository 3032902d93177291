/*
** tests/fuzz/replay.c — the main() of every fuzz target's replay build: runs
** LLVMFuzzerTestOneInput on each file named on the command line, so that
** `make test` / `make check` replay the corpora (under the sanitizers in
** check) without libFuzzer.
*/
#include "base/util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
  printf("replayed %d inputs\n", n);
  return 0;
}
