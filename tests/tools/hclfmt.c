/*
** tests/tools/hclfmt.c — prints hcl_format() of a file without the syntax
** tree, i.e. hclwrite's layout alone (no Terraform rewrites), so the suite
** can compare the layout engine with the oracle's hclwrite output on every
** file, including those where `tfc fmt` would also quote labels or unwrap
** "${x}". With -t it parses first and applies the rewrites, like tfc fmt.
*/
#include "parser/ast.h"
#include "parser/fmt.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  bool tree = argc == 3 && strcmp(argv[1], "-t") == 0;
  if (argc != 2 && !tree) {
    fprintf(stderr, "usage: hclfmt [-t] FILE\n");
    return 2;
  }
  const char *path = argv[argc - 1];
  size_t len;
  char *src = read_file(path, &len);
  if (!src) {
    perror(path);
    return 2;
  }
  HclFile *f = NULL;
  DiagList d = {0};
  if (tree) {
    uint32_t id = src_add(path, src, len);
    f = hcl_parse(id, &d);
    if (diag_has_errors(&d)) {
      diag_print_all(&d, stdout, stderr, false);
      return 1;
    }
  }
  size_t n;
  char *out = hcl_format(src, len, f, &n);
  fwrite(out, 1, n, stdout);
  free(out);
  if (f) hcl_file_free(f);
  diag_free(&d);
  if (tree) src_reset();
  else free(src);
  return 0;
}
