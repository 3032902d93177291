/*
** cli/state_cmd.h — commands over state files: `tfc state ...`,
** `tfc output`, `tfc workspace ...`, and the flag handling they share.
*/
#ifndef TFC_CLI_STATE_CMD_H
#define TFC_CLI_STATE_CMD_H

#include <stdbool.h>

#include "base/diag.h"

int cmd_state(int argc, char **argv);
int cmd_output(int argc, char **argv);
int cmd_workspace(int argc, char **argv);

/* Flags every state-touching command accepts. */
typedef struct StateFlags {
  const char *state_path;     /* -state=PATH; NULL: the workspace's state */
  bool lock;                  /* -lock (default true) */
  double lock_timeout;        /* -lock-timeout=DURATION, seconds */
  bool no_color;
  const char *backup_path;    /* -backup=PATH ("-" disables); NULL: timestamped */
} StateFlags;

/* Consumes one of the shared flags; returns false when arg is not one.
** A malformed value sets *bad. */
bool state_flag(const char *arg, StateFlags *f, bool *bad);
/* Go duration syntax ("0s", "1m30s", "500ms"); false when malformed. */
bool parse_duration(const char *s, double *seconds);
/* The path commands read and write: -state, else the selected workspace's. */
char *state_flags_path(const StateFlags *f);
/* Prints diagnostics the way every command does. */
void print_diags(const DiagList *dl, bool no_color);

#endif
