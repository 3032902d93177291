/*
** cli/cli.h — subcommand table and shared command-line helpers.
**
** Each subcommand is `int cmd_NAME(int argc, char **argv)` with argv[0] the
** subcommand name; it returns the process exit code (Terraform's codes).
*/
#ifndef TFC_CLI_H
#define TFC_CLI_H

#include <stdbool.h>
#include <stddef.h>

typedef struct CliCommand {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *help;
} CliCommand;

/* The Terraform version whose behaviour tfc follows (terraform version, required_version). */
#define TFC_VERSION "0.1.0"
#define TFC_TERRAFORM_COMPAT "1.14.0"

int cli_dispatch(int argc, char **argv, const CliCommand *cmds, size_t ncmds);
int cmd_version(int argc, char **argv);
int cmd_hcl2json(int argc, char **argv);
int cmd_fmt(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_apply(int argc, char **argv);
int cmd_refresh(int argc, char **argv);
int cmd_destroy(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_graph(int argc, char **argv);
int cmd_show(int argc, char **argv);
/* A plan file written by `tfc plan -out`, checked; NULL with a diagnostic. */
struct cJSON;
struct DiagList;
struct cJSON *plan_file_read(const char *file, struct DiagList *d);
/* The same from bytes in memory; file names them in the diagnostic. */
struct cJSON *plan_file_parse(const char *text, size_t n, const char *file, struct DiagList *d);

/* Accepts Terraform's flag spellings: -flag, --flag, -flag=value. Returns
** true when arg is the boolean flag name (value "true"/absent). */
bool cli_flag(const char *arg, const char *name);
/* Returns the value of -name=value or NULL. */
const char *cli_flag_value(const char *arg, const char *name);

#endif
