/*
** cli/main.c — the tfc command: dispatch to subcommands.
*/
#include "cli/cli.h"
#include "cli/state_cmd.h"

#include <stdio.h>
#include <string.h>

static const CliCommand commands[] = {
    {"version", cmd_version, "Show the current tfc version"},
    {"output", cmd_output, "Show output values from your root module"},
    {"state", cmd_state, "Advanced state management"},
    {"workspace", cmd_workspace, "Workspace management"},
};

int main(int argc, char **argv) {
  return cli_dispatch(argc, argv, commands, sizeof commands / sizeof commands[0]);
}
