/*
** cli/main.c — the tfc command: dispatch to subcommands.
*/
#include "cli/cli.h"
#include "cli/console.h"

#include <stdio.h>
#include <string.h>

static const CliCommand commands[] = {
    {"console", cmd_console, "Try Terraform expressions at an interactive command prompt"},
    {"fmt", cmd_fmt, "Reformat your configuration in the standard style"},
    {"hcl2json", cmd_hcl2json, "Print HCL files as JSON (the hcl2json shape)"},
    {"version", cmd_version, "Show the current tfc version"},
};

int main(int argc, char **argv) {
  return cli_dispatch(argc, argv, commands, sizeof commands / sizeof commands[0]);
}
