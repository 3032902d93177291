/*
** cli/workspace.c — `tfc workspace new|select|list|show|delete` with
** Terraform's texts and exit codes.
*/
#include "cli/state_cmd.h"

#include "base/util.h"
#include "cli/cli.h"
#include "state/state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ENV_INVALID_NAME                                                                                   \
  "\nThe workspace name \"%s\" is not allowed. The name must contain only URL safe\ncharacters, and no path " \
  "separators.\n"

#define ENV_DOES_NOT_EXIST                                                                                  \
  "\nWorkspace \"%s\" doesn't exist.\n\nYou can create this workspace with the \"new\" subcommand \nor "       \
  "include the \"-or-create\" flag with the \"select\" subcommand.\n"

#define ENV_OVERRIDDEN_NOTE                                                                                 \
  "\n\nThe active workspace is being overridden using the TF_WORKSPACE environment\nvariable.\n"

#define ENV_OVERRIDDEN_SELECT                                                                               \
  "\nThe selected workspace is currently overridden using the TF_WORKSPACE\nenvironment variable.\n\nTo "      \
  "select a new workspace, either update this environment variable or unset\nit and then run this command "   \
  "again.\n"

#define ENV_OVERRIDDEN_NEW                                                                                  \
  "\nThe workspace is currently overridden using the TF_WORKSPACE environment\nvariable. You cannot create a " \
  "new workspace when using this setting.\n\nTo create a new workspace, either unset this environment "        \
  "variable or update it\nto match the workspace name you are trying to create, and then run this command\n"  \
  "again.\n"

static const char usage_ws[] =
    "Usage: tfc [global options] workspace\n\n"
    "  new, list, show, select and delete Terraform workspaces.\n\n"
    "Subcommands:\n"
    "    delete    Delete a workspace\n"
    "    list      List Workspaces\n"
    "    new       Create a new workspace\n"
    "    select    Select a workspace\n"
    "    show      Show the name of the current workspace\n";

typedef struct WsFlags {
  StateFlags sf;
  bool force, or_create;
  const char *name;
  int npos;
} WsFlags;

static int parse(int argc, char **argv, WsFlags *w) {
  memset(w, 0, sizeof *w);
  w->sf.lock = true;
  for (int i = 1; i < argc; i++) {
    bool bad = false;
    if (argv[i][0] == '-' && argv[i][1]) {
      if (cli_flag(argv[i], "force")) w->force = true;
      else if (cli_flag(argv[i], "or-create")) w->or_create = true;
      else if (!state_flag(argv[i], &w->sf, &bad) || bad) {
        fprintf(stderr, "Error parsing command-line flags: flag provided but not defined: %s\n", argv[i]);
        return 1;
      }
      continue;
    }
    w->name = argv[i];
    w->npos++;
  }
  return 0;
}

static void green(bool color, const char *fmt, const char *name) {
  if (color) fputs("\x1b[0m\x1b[32m", stdout);
  printf(fmt, name);
  if (color) fputs("\x1b[0m", stdout);
  fputc('\n', stdout);
}

static int ws_list(int argc, char **argv) {
  WsFlags w;
  if (parse(argc, argv, &w)) return 1;
  size_t n;
  char **v = st_ws_list(&n);
  char *cur = st_ws_current();
  for (size_t i = 0; i < n; i++) {
    printf("%s %s\n", strcmp(v[i], cur) == 0 ? "*" : " ", v[i]);
    free(v[i]);
  }
  free(v);
  free(cur);
  if (st_ws_overridden()) fputs(ENV_OVERRIDDEN_NOTE, stdout);
  putchar('\n');
  return 0;
}

static int ws_show(int argc, char **argv) {
  (void)argc;
  (void)argv;
  char *cur = st_ws_current();
  puts(cur);
  free(cur);
  return 0;
}

static int ws_new(int argc, char **argv) {
  WsFlags w;
  if (parse(argc, argv, &w)) return 1;
  if (w.npos != 1) {
    fputs("Expected a single argument: NAME.\n\n", stderr);
    fputs(usage_ws, stderr);
    return 1;
  }
  if (st_ws_overridden() && strcmp(getenv("TF_WORKSPACE"), w.name) != 0) {
    fputs(ENV_OVERRIDDEN_NEW, stderr);
    return 1;
  }
  if (!st_ws_valid_name(w.name)) {
    fprintf(stderr, ENV_INVALID_NAME, w.name);
    return 1;
  }
  if (st_ws_exists(w.name)) {
    fprintf(stderr, "Workspace \"%s\" already exists\n", w.name);
    return 1;
  }
  DiagList dl = {0};
  bool ok = st_ws_create(w.name, &dl) && st_ws_select(w.name, &dl);
  /* -state=PATH seeds the new workspace with an existing state */
  if (ok && w.sf.state_path) {
    bool exists;
    State *s = st_read_file(w.sf.state_path, &exists, &dl);
    if (s) {
      char *p = st_ws_state_path(w.name);
      Buf b = BUF_INIT;
      st_serialize(s, &b);
      ok = st_write_atomic(p, b.s, b.len, &dl);
      buf_free(&b);
      free(p);
      st_free(s);
    } else if (dl.nerrors) {
      ok = false;
    }
  }
  print_diags(&dl, w.sf.no_color);
  diag_free(&dl);
  if (!ok) return 1;
  bool color = diag_color_enabled(stdout, w.sf.no_color);
  if (color) printf("\n\x1b[0m\x1b[32m\x1b[1mCreated and switched to workspace \"%s\"!\x1b[0m\x1b[32m\n", w.name);
  else printf("\nCreated and switched to workspace \"%s\"!\n", w.name);
  fputs("\nYou're now on a new, empty workspace. Workspaces isolate their state,\n"
        "so if you run \"terraform plan\" Terraform will not see any existing state\n"
        "for this configuration.\n",
        stdout);
  if (color) fputs("\x1b[0m", stdout);
  putchar('\n');
  return 0;
}

static int ws_select(int argc, char **argv) {
  WsFlags w;
  if (parse(argc, argv, &w)) return 1;
  if (w.npos != 1) {
    fputs("Expected a single argument: NAME.\n\n", stderr);
    fputs(usage_ws, stderr);
    return 1;
  }
  if (st_ws_overridden()) {
    fputs(ENV_OVERRIDDEN_SELECT, stderr);
    return 1;
  }
  if (!st_ws_valid_name(w.name)) {
    fprintf(stderr, ENV_INVALID_NAME, w.name);
    return 1;
  }
  DiagList dl = {0};
  bool created = false;
  if (!st_ws_exists(w.name)) {
    if (!w.or_create) {
      fprintf(stderr, ENV_DOES_NOT_EXIST, w.name);
      return 1;
    }
    if (!st_ws_create(w.name, &dl)) {
      print_diags(&dl, w.sf.no_color);
      diag_free(&dl);
      return 1;
    }
    created = true;
  }
  bool ok = st_ws_select(w.name, &dl);
  print_diags(&dl, w.sf.no_color);
  diag_free(&dl);
  if (!ok) return 1;
  bool color = diag_color_enabled(stdout, w.sf.no_color);
  if (created) {
    if (color) printf("\n\x1b[0m\x1b[32m\x1b[1mCreated and switched to workspace \"%s\"!\x1b[0m\x1b[32m\n", w.name);
    else printf("\nCreated and switched to workspace \"%s\"!\n", w.name);
    fputs("\nYou're now on a new, empty workspace. Workspaces isolate their state,\n"
          "so if you run \"terraform plan\" Terraform will not see any existing state\n"
          "for this configuration.\n\n",
          stdout);
    return 0;
  }
  green(color, "Switched to workspace \"%s\".", w.name);
  return 0;
}

static int ws_delete(int argc, char **argv) {
  WsFlags w;
  if (parse(argc, argv, &w)) return 1;
  if (w.npos != 1) {
    fputs("Expected a single argument: NAME.\n\n", stderr);
    fputs(usage_ws, stderr);
    return 1;
  }
  if (!st_ws_valid_name(w.name)) {
    fprintf(stderr, ENV_INVALID_NAME, w.name);
    return 1;
  }
  if (!st_ws_exists(w.name)) {
    fprintf(stderr, "Workspace \"%s\" doesn't exist.\n", w.name);
    return 1;
  }
  char *cur = st_ws_current();
  bool is_cur = strcmp(cur, w.name) == 0;
  free(cur);
  DiagList dl = {0};
  if (is_cur) {
    diag_add(&dl, DIAG_ERROR, NULL, "Workspace is your active workspace",
             "You cannot delete the currently active workspace. Please switch to another workspace and try again.");
    print_diags(&dl, w.sf.no_color);
    diag_free(&dl);
    return 1;
  }
  if (strcmp(w.name, "default") == 0) {
    diag_add(&dl, DIAG_ERROR, NULL, "Failed to delete workspace", "Can't delete default workspace");
    print_diags(&dl, w.sf.no_color);
    diag_free(&dl);
    return 1;
  }
  /* lock the workspace's state while looking at it and removing it */
  char *path = st_ws_state_path(w.name);
  StOpenOpts o;
  memset(&o, 0, sizeof o);
  o.no_lock = !w.sf.lock;
  o.lock_timeout = w.sf.lock_timeout;
  o.operation = "OperationTypeInvalid";
  StMgr *m = st_mgr_open(path, &o, &dl);
  free(path);
  if (!m) {
    print_diags(&dl, w.sf.no_color);
    diag_free(&dl);
    return 1;
  }
  State *s = st_mgr_state(m);
  size_t ninst = st_count_instances(s);
  if (ninst && !w.force) {
    Buf list = BUF_INIT;
    st_sort(s);
    for (size_t i = 0; i < s->nres; i++)
      for (size_t j = 0; j < s->res[i]->ninst; j++) {
        char *a = st_instance_addr(s->res[i], &s->res[i]->inst[j]);
        buf_printf(&list, "\n  - %s", a);
        free(a);
      }
    diag_add(&dl, DIAG_ERROR, NULL, "Workspace is not empty",
             "Workspace \"%s\" is currently tracking the following resource instances:%s\n\n"
             "Deleting this workspace would cause Terraform to lose track of any associated remote objects, which "
             "would then require you to delete them manually outside of Terraform. You should destroy these objects "
             "with Terraform before deleting the workspace.\n\n"
             "If you want to delete this workspace anyway, and have Terraform forget about these managed objects, "
             "use the -force option to disable this safety check.",
             w.name, list.s);
    buf_free(&list);
    st_mgr_abandon(m);
    print_diags(&dl, w.sf.no_color);
    diag_free(&dl);
    return 1;
  }
  /* the journal and lock file live inside the workspace folder; the lock is
  ** released by closing after the folder is gone */
  bool ok = st_ws_delete(w.name, &dl);
  st_mgr_abandon(m);
  print_diags(&dl, w.sf.no_color);
  diag_free(&dl);
  if (!ok) return 1;
  bool color = diag_color_enabled(stdout, w.sf.no_color);
  green(color, "Deleted workspace \"%s\"!", w.name);
  if (ninst) {
    if (color) fputs("\x1b[0m\x1b[33m", stdout);
    printf("WARNING: \"%s\" was non-empty.\nThe resources managed by the deleted workspace may still exist,\n"
           "but are no longer manageable by Terraform since the state has\nbeen deleted.\n",
           w.name);
    if (color) fputs("\x1b[0m", stdout);
  }
  return 0;
}

int cmd_workspace(int argc, char **argv) {
  static const struct {
    const char *name;
    int (*run)(int, char **);
  } subs[] = {{"list", ws_list}, {"show", ws_show}, {"new", ws_new}, {"select", ws_select}, {"delete", ws_delete}};
  if (argc < 2 || cli_flag(argv[1], "help") || cli_flag(argv[1], "h")) {
    fputs(usage_ws, argc < 2 ? stderr : stdout);
    return argc < 2 ? 1 : 0;
  }
  for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
    if (strcmp(argv[1], subs[i].name) == 0) return subs[i].run(argc - 1, argv + 1);
  fprintf(stderr, "tfc workspace has no subcommand named \"%s\".\n\n%s", argv[1], usage_ws);
  return 1;
}
