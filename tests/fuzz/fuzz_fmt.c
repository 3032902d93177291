/*
** tests/fuzz/fuzz_fmt.c — libFuzzer target for the formatter. On any bytes
** hclwrite's layout must not crash and must keep every newline (it only
** changes spaces within lines); on a file that parses, the Terraform-style
** result must parse again and be a fixed point of formatting. Its corpus is
** replayed by tests/fuzz/replay.c in `make test` / `make check`.
*/
#include "base/util.h"
#include "parser/ast.h"
#include "parser/fmt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t newlines(const char *s, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++) c += s[i] == '\n';
  return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *buf = xmalloc(size + 1);
  if (size) memcpy(buf, data, size);
  buf[size] = 0;
  size_t n;
  char *plain = hcl_format(buf, size, NULL, &n);
  if (newlines(plain, n) != newlines(buf, size)) abort();
  free(plain);

  uint32_t id = src_add("fuzz.tf", buf, size);
  DiagList d = {0};
  HclFile *f = hcl_parse(id, &d);
  if (!diag_has_errors(&d)) {
    char *once = hcl_format(buf, size, f, &n);
    char *copy = xmalloc(n + 1);
    memcpy(copy, once, n + 1);
    uint32_t id2 = src_add("fuzz2.tf", copy, n);
    DiagList d2 = {0};
    HclFile *f2 = hcl_parse(id2, &d2);
    if (diag_has_errors(&d2)) abort();   /* formatting broke a valid file */
    size_t n2;
    char *twice = hcl_format(copy, n, f2, &n2);
    if (n2 != n || memcmp(twice, once, n) != 0) abort();   /* not idempotent */
    free(twice);
    free(once);
    hcl_file_free(f2);
    diag_free(&d2);
  }
  hcl_file_free(f);
  diag_free(&d);
  src_reset();
  return 0;
}
