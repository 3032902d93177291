/*
** cli/hcl2json.c — `tfc hcl2json [-no-color] FILE...`: print each file in
** the JSON shape of the hcl2json converter, one document per file.
*/
#include "cli/cli.h"
#include "parser/ast.h"
#include "parser/hcl2json.h"
#include "base/util.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_hcl2json(int argc, char **argv) {
  bool no_color = false;
  int nfiles = 0, rc = 0;
  for (int i = 1; i < argc; i++) {
    if (cli_flag(argv[i], "no-color")) no_color = true;
    else if (argv[i][0] == '-' && argv[i][1]) {
      fprintf(stderr, "Usage: tfc hcl2json [-no-color] FILE...\n");
      return 1;
    }
  }
  DiagList diags = {0};
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] == '-' && argv[i][1]) continue;
    nfiles++;
    size_t len;
    const char *path = argv[i];
    char *bytes = strcmp(path, "-") == 0 ? NULL : read_file(path, &len);
    if (!bytes) {
      diag_add(&diags, DIAG_ERROR, NULL, "Failed to read file", "The file %s could not be read: %s.", path,
               strerror(errno));
      rc = 1;
      continue;
    }
    uint32_t id = src_add(path, bytes, len);
    DiagList fd = {0};
    HclFile *f = hcl_parse(id, &fd);
    if (!diag_has_errors(&fd)) {
      cJSON *j = hcl_to_json(f, &fd);
      if (j) {
        char *s = hcl_json_print(j);
        fputs(s, stdout);
        free(s);
        cJSON_Delete(j);
      }
    }
    if (diag_has_errors(&fd)) rc = 1;
    diag_move(&diags, &fd);
    hcl_file_free(f);
  }
  if (nfiles == 0) {
    fprintf(stderr, "Usage: tfc hcl2json [-no-color] FILE...\n");
    return 1;
  }
  diag_print_all(&diags, stdout, stderr, diag_color_enabled(stderr, no_color));
  diag_free(&diags);
  src_reset();
  return rc;
}
