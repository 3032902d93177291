/*
** cli/graph.c — `tfc graph`: the resource dependency graph as DOT, which
** `dot -Tsvg` turns into a picture.
*/
#include "cli/cli.h"
#include "graph/graph.h"

#include <stdio.h>
#include <stdlib.h>

int cmd_graph(int argc, char **argv) {
  bool no_color = false;
  for (int i = 1; i < argc; i++) {
    if (cli_flag(argv[i], "no-color")) no_color = true;
    else if (!cli_flag_value(argv[i], "type") && !cli_flag(argv[i], "draw-cycles")) {
      fprintf(stderr, "Usage: tfc [global options] graph [options]\n\nUnknown option: %s\n", argv[i]);
      return 1;
    }
  }
  DiagList d = {0};
  CfgModule *root = cfg_load(".", &d);
  int rc = 0;
  if (diag_has_errors(&d)) {
    rc = 1;
  } else {
    Graph *g = graph_build(root);
    char *dot = graph_dot(g);
    fputs(dot, stdout);
    free(dot);
    graph_free(g);
  }
  diag_print_all(&d, stdout, stderr, diag_color_enabled(stderr, no_color));
  diag_free(&d);
  cfg_free(root);
  src_reset();
  return rc;
}
