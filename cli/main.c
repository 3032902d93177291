/*
** cli/main.c — the tfc command: dispatch to subcommands.
*/
#include "cli/cli.h"
#include "cli/sim_cmd.h"

#include <stdio.h>
#include <string.h>

static const CliCommand commands[] = {
    {"version", cmd_version, "Show the current tfc version"},
    {"sim", cmd_sim, "Inspect and drive the simulated AWS"},
};

int main(int argc, char **argv) {
  return cli_dispatch(argc, argv, commands, sizeof commands / sizeof commands[0]);
}
