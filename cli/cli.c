/*
** cli/cli.c — dispatch and flag helpers shared by every subcommand.
*/
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *out, const CliCommand *cmds, size_t n) {
  fprintf(out, "Usage: tfc [global options] <subcommand> [args]\n\n"
               "tfc is a Terraform-compatible planner and applier with a built-in AWS provider\n"
               "and a simulated AWS.\n\nCommands:\n");
  for (size_t i = 0; i < n; i++) fprintf(out, "  %-14s %s\n", cmds[i].name, cmds[i].help);
}

int cli_dispatch(int argc, char **argv, const CliCommand *cmds, size_t ncmds) {
  int i = 1;
  /* global options come before the subcommand, as in Terraform */
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (cli_flag(argv[i], "version") || cli_flag(argv[i], "v")) return cmd_version(1, argv);
    if (cli_flag(argv[i], "help") || cli_flag(argv[i], "h")) {
      usage(stdout, cmds, ncmds);
      return 0;
    }
  }
  if (i >= argc) {
    usage(stderr, cmds, ncmds);
    return 1;
  }
  for (size_t c = 0; c < ncmds; c++)
    if (strcmp(argv[i], cmds[c].name) == 0) return cmds[c].run(argc - i, argv + i);
  fprintf(stderr, "tfc has no command named \"%s\".\n\nTo see all of tfc's top-level commands, run:\n  tfc -help\n\n",
          argv[i]);
  return 1;
}

int cmd_version(int argc, char **argv) {
  (void)argc;
  (void)argv;
  printf("tfc v%s (compatible with Terraform v%s)\non linux_amd64\n", TFC_VERSION, TFC_TERRAFORM_COMPAT);
  return 0;
}

bool cli_flag(const char *arg, const char *name) {
  if (*arg != '-') return false;
  arg++;
  if (*arg == '-') arg++;
  size_t n = strlen(name);
  if (strncmp(arg, name, n) != 0) return false;
  return arg[n] == 0 || strcmp(arg + n, "=true") == 0;
}

const char *cli_flag_value(const char *arg, const char *name) {
  if (*arg != '-') return NULL;
  arg++;
  if (*arg == '-') arg++;
  size_t n = strlen(name);
  if (strncmp(arg, name, n) != 0 || arg[n] != '=') return NULL;
  return arg + n + 1;
}
