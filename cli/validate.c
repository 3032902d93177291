/*
** cli/validate.c — `tfc validate [-json] [-no-color] [-var ...] [-var-file ...] [DIR]`.
**
** Needs no init, no network and no plugins: the provider schemas are
** compiled in. As an extension to Terraform, -var and -var-file are
** accepted so a pre-commit hook can check each environment's values.
*/
#include "cli/cli.h"
#include "base/jsonout.h"
#include "base/util.h"
#include "plan/check.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(void) {
  fprintf(stderr, "Usage: tfc [global options] validate [options] [DIR]\n\n"
                  "  Validate the configuration files in a directory, referring only to the\n"
                  "  configuration and not accessing any remote services such as remote state,\n"
                  "  provider APIs, etc.\n\n"
                  "Options:\n\n"
                  "  -json                 Produce output in a machine-readable JSON format.\n"
                  "  -no-color             If specified, output won't contain any color.\n"
                  "  -var 'foo=bar'        Set a value for one of the input variables (tfc extension).\n"
                  "  -var-file=filename    Load variable values from the given file (tfc extension).\n");
  return 1;
}

static void print_json(const DiagList *d) {
  size_t errs = 0, warns = 0;
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "format_version", "1.0");
  for (size_t i = 0; i < d->n; i++) {
    if (d->v[i].severity == DIAG_ERROR) errs++;
    else warns++;
  }
  cJSON_AddBoolToObject(o, "valid", errs == 0);
  cJSON_AddNumberToObject(o, "error_count", (double)errs);
  cJSON_AddNumberToObject(o, "warning_count", (double)warns);
  cJSON *arr = cJSON_AddArrayToObject(o, "diagnostics");
  for (size_t i = 0; i < d->n; i++) cJSON_AddItemToArray(arr, diag_to_json(&d->v[i]));
  char *s = json_print(o, JSON_GO);
  fputs(s, stdout);
  free(s);
  cJSON_Delete(o);
}

int cmd_validate(int argc, char **argv) {
  bool json = false, no_color = false;
  const char *dir = ".";
  VarArg *vars = NULL;
  size_t nvars = 0, cap = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v;
    if (cli_flag(a, "json")) json = true;
    else if (cli_flag(a, "no-color")) no_color = true;
    else if ((v = cli_flag_value(a, "var"))) {
      VarArg va = {false, v};
      VEC_PUSH(vars, nvars, cap, va);
    } else if (cli_flag(a, "var") && i + 1 < argc) {
      VarArg va = {false, argv[++i]};
      VEC_PUSH(vars, nvars, cap, va);
    } else if ((v = cli_flag_value(a, "var-file"))) {
      VarArg va = {true, v};
      VEC_PUSH(vars, nvars, cap, va);
    } else if (cli_flag(a, "var-file") && i + 1 < argc) {
      VarArg va = {true, argv[++i]};
      VEC_PUSH(vars, nvars, cap, va);
    } else if (a[0] == '-') {
      free(vars);
      return usage();
    } else {
      dir = a;
    }
  }
  DiagList d = {0};
  CfgModule *root = cfg_load(dir, &d);
  if (!diag_has_errors(&d)) {
    CheckOptions o = {vars, nvars, getenv("TF_WORKSPACE"), false};
    check_config(root, &o, &d);
  }
  int rc = diag_has_errors(&d) ? 1 : 0;
  if (json) {
    print_json(&d);
  } else {
    bool color = diag_color_enabled(stdout, no_color);
    diag_print_all(&d, stdout, stderr, diag_color_enabled(stderr, no_color));
    if (!rc) {
      const char *ok = color ? "\x1b[32m\x1b[1mSuccess!\x1b[0m" : "Success!";
      /* Terraform word-wraps this line at the output width (78 off a terminal) */
      if (d.n)
        printf("%s The configuration is valid, but there were some validation warnings\nas shown above.\n\n", ok);
      else
        printf("%s The configuration is valid.\n\n", ok);
    }
  }
  cfg_free(root);
  diag_free(&d);
  free(vars);
  src_reset();
  return rc;
}
