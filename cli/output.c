/*
** cli/output.c — `tfc output [-json|-raw] [NAME]` (reference/terraform.md
** §2.4): root module outputs from the selected workspace's state.
*/
#include "cli/state_cmd.h"

#include "base/util.h"
#include "cli/cli.h"
#include "state/state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_output[] =
    "Usage: tfc [global options] output [options] [NAME]\n\n"
    "  Reads an output variable from a Terraform state file and prints\n"
    "  the value. With no additional arguments, output will display all\n"
    "  the outputs for the root module.  If NAME is not specified, all\n"
    "  outputs are printed.\n\nOptions:\n\n"
    "  -state=path      Path to the state file to read. Defaults to\n"
    "                   \"terraform.tfstate\". Ignored when remote\n"
    "                   state is used.\n\n"
    "  -no-color        If specified, output won't contain any color.\n\n"
    "  -json            If specified, machine readable output will be\n"
    "                   printed in JSON format.\n\n"
    "  -raw             For value types that can be automatically\n"
    "                   converted to a string, will print the raw\n"
    "                   string directly, rather than a human-oriented\n"
    "                   representation of the value.\n";

int cmd_output(int argc, char **argv) {
  StateFlags f = {NULL, true, 0, false, NULL};
  bool json = false, raw = false;
  const char *name = NULL;
  for (int i = 1; i < argc; i++) {
    bool bad = false;
    if (argv[i][0] == '-' && argv[i][1]) {
      if (cli_flag(argv[i], "json")) json = true;
      else if (cli_flag(argv[i], "raw")) raw = true;
      else if (!state_flag(argv[i], &f, &bad) || bad) {
        fprintf(stderr, "Error parsing command-line flags: flag provided but not defined: %s\n\n%s", argv[i],
                usage_output);
        return 1;
      }
      continue;
    }
    if (name) {
      fprintf(stderr, "The output command expects exactly one argument with the name\nof an output variable or no "
                      "arguments to show all outputs.\n\n%s", usage_output);
      return 1;
    }
    name = argv[i];
  }
  DiagList dl = {0};
  int rc = 0;
  if (json && raw) {
    diag_add(&dl, DIAG_ERROR, NULL, "Invalid output format", "The -raw and -json options are mutually-exclusive.");
    rc = 1;
    goto out;
  }
  if (raw && !name) {
    diag_add(&dl, DIAG_ERROR, NULL, "Output name required",
             "You must give the name of a single output value when using the -raw option.");
    rc = 1;
    goto out;
  }
  char *path = state_flags_path(&f);
  StOpenOpts o;
  memset(&o, 0, sizeof o);
  o.readonly = true;
  StMgr *m = st_mgr_open(path, &o, &dl);
  free(path);
  if (!m) {
    rc = 1;
    goto out;
  }
  State *s = st_mgr_state(m);
  st_sort(s);
  Buf b = BUF_INIT;
  if (!name) {
    if (json) {
      /* {name: {sensitive, type, value}}, sensitive values included */
      if (!s->noutputs) {
        buf_puts(&b, "{}\n");
      } else {
        buf_puts(&b, "{\n");
        for (size_t i = 0; i < s->noutputs; i++) {
          StOutput *op = &s->outputs[i];
          buf_puts(&b, "  ");
          st_json_string(&b, op->name, strlen(op->name));
          buf_printf(&b, ": {\n    \"sensitive\": %s,\n    \"type\": ", op->sensitive ? "true" : "false");
          st_json_pretty(&b, op->type, 2, true);
          buf_puts(&b, ",\n    \"value\": ");
          st_json_pretty(&b, op->value, 2, true);
          buf_printf(&b, "\n  }%s\n", i + 1 < s->noutputs ? "," : "");
        }
        buf_puts(&b, "}\n");
      }
    } else if (!s->noutputs) {
      diag_add(&dl, DIAG_WARNING, NULL, "No outputs found",
               "The state file either has no outputs defined, or all the defined outputs are empty. Please define an "
               "output in your configuration with the `output` keyword and run `terraform refresh` for it to become "
               "available. If you are using interpolation, please verify the interpolated value is not empty. You can "
               "use the `terraform console` command to assist.");
    } else {
      for (size_t i = 0; i < s->noutputs; i++) {
        StOutput *op = &s->outputs[i];
        buf_printf(&b, "%s = ", op->name);
        if (op->sensitive) buf_puts(&b, "<sensitive>");
        else st_render_value(&b, op->value, op->type, 0);
        buf_putc(&b, '\n');
      }
    }
  } else {
    StOutput *op = st_find_output(s, name);
    if (!op) {
      diag_add(&dl, DIAG_ERROR, NULL, "Output not found", "The output variable requested could not be found in the "
               "state file. If you recently added this to your configuration, be sure to run `terraform apply`, since "
               "the state won't be updated with new output variables until that command is run.");
      /* Terraform's summary names the output */
      free(dl.v[dl.n - 1].summary);
      dl.v[dl.n - 1].summary = xasprintf("Output \"%s\" not found", name);
      rc = 1;
    } else if (json) {
      st_json_compact(&b, op->value);
      buf_putc(&b, '\n');
    } else if (raw) {
      const cJSON *v = op->value;
      if (cJSON_IsString(v)) buf_puts(&b, v->valuestring);
      else if (cJSON_IsNumber(v)) st_render_value(&b, v, op->type, 0);
      else if (cJSON_IsBool(v)) buf_puts(&b, cJSON_IsTrue(v) ? "true" : "false");
      else {
        diag_add(&dl, DIAG_ERROR, NULL, "Unsupported value for raw output",
                 "The -raw option only supports strings, numbers, and boolean values, but output value \"%s\" is %s.\n\n"
                 "Use the -json option for machine-readable representations of output values that have complex types.",
                 name, cJSON_IsNull(v) ? "null" : cJSON_IsArray(v) ? "a list or tuple" : "an object or map");
        rc = 1;
      }
    } else {
      st_render_value(&b, op->value, op->type, 0);
      buf_putc(&b, '\n');
    }
  }
  if (b.len) fwrite(b.s, 1, b.len, stdout);
  buf_free(&b);
  st_mgr_abandon(m);
out:
  print_diags(&dl, f.no_color);
  diag_free(&dl);
  return rc;
}
