/*
** cli/main.c — the tfc command: dispatch to subcommands.
*/
#include "cli/cli.h"
#include "cli/console.h"
#include "cli/sim_cmd.h"
#include "cli/state_cmd.h"

#include <stdio.h>
#include <string.h>

/* Terraform's order in `terraform -help`: main commands first. */
static const CliCommand commands[] = {
    {"init", cmd_init, "Prepare your working directory for other commands"},
    {"validate", cmd_validate, "Check whether the configuration is valid"},
    {"plan", cmd_plan, "Show changes required by the current configuration"},
    {"apply", cmd_apply, "Create or update infrastructure"},
    {"destroy", cmd_destroy, "Destroy previously-created infrastructure"},
    {"import", cmd_import, "Associate existing infrastructure with a Terraform resource"},
    {"show", cmd_show, "Show the current state"},
    {"graph", cmd_graph, "Generate a Graphviz graph of the steps in an operation"},
    {"console", cmd_console, "Try Terraform expressions at an interactive command prompt"},
    {"fmt", cmd_fmt, "Reformat your configuration in the standard style"},
    {"hcl2json", cmd_hcl2json, "Print HCL files as JSON (the hcl2json shape)"},
    {"output", cmd_output, "Show output values from your root module"},
    {"state", cmd_state, "Advanced state management"},
    {"workspace", cmd_workspace, "Workspace management"},
    {"sim", cmd_sim, "Inspect and drive the simulated AWS"},
    {"version", cmd_version, "Show the current tfc version"},
    {"refresh", cmd_refresh, "Update the state to match remote systems"},
};

int main(int argc, char **argv) {
  return cli_dispatch(argc, argv, commands, sizeof commands / sizeof commands[0]);
}
