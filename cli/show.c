/*
** cli/show.c — `tfc show [-json] [-no-color] [PLANFILE]`: a saved plan, or the current state as
** Terraform shows it (every resource instance, then the outputs), or its
** `terraform show -json` form.
*/
#include "cli/cli.h"
#include "base/diag.h"
#include "base/jsonout.h"
#include "base/util.h"
#include "state/state.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_show(int argc, char **argv) {
  bool json = false, no_color = false, markdown = false;
  const char *plan_file = NULL;
  for (int i = 1; i < argc; i++) {
    if (cli_flag(argv[i], "json")) json = true;
    else if (cli_flag(argv[i], "no-color")) no_color = true;
    else if (cli_flag(argv[i], "markdown")) markdown = true;
    else if (argv[i][0] != '-' && !plan_file) plan_file = argv[i];
    else {
      fprintf(stderr, "Usage: tfc [global options] show [options] [path]\n\nUnknown option or argument: %s\n", argv[i]);
      return 1;
    }
  }
  if (markdown && !plan_file) {
    fprintf(stderr, "\nError: -markdown needs a saved plan\n\nUse tfc show -markdown PLANFILE (from tfc plan -out=PLANFILE); "
                    "for two states use tfc state diff -markdown OLD NEW.\n");
    return 1;
  }
  if (plan_file) {
    DiagList fd = {0};
    cJSON *pf = plan_file_read(plan_file, &fd);
    if (!pf) {
      diag_print_all(&fd, stdout, stderr, diag_color_enabled(stderr, no_color));
      diag_free(&fd);
      return 1;
    }
    if (json) {
      char *t = json_print(cJSON_GetObjectItemCaseSensitive(pf, "plan"), JSON_GO | JSON_COMPACT);
      fputs(t, stdout);
      free(t);
    } else {
      const char *k = markdown                              ? "rendered_markdown"
                      : diag_color_enabled(stdout, no_color) ? "rendered_color"
                                                             : "rendered";
      const cJSON *r = cJSON_GetObjectItemCaseSensitive(pf, k);
      fputs(cJSON_IsString(r) ? r->valuestring : "", stdout);
    }
    cJSON_Delete(pf);
    return 0;
  }
  char *ws = st_ws_current();
  char *path = st_ws_state_path(ws);
  StOpenOpts o;
  memset(&o, 0, sizeof o);
  o.readonly = true;
  DiagList d = {0};
  StMgr *m = st_mgr_open(path, &o, &d);
  int rc = 0;
  if (!m) {
    diag_print_all(&d, stdout, stderr, diag_color_enabled(stderr, no_color));
    rc = 1;
    goto out;
  }
  State *s = st_mgr_state(m);
  if (json) {
    cJSON *j = st_show_json(s);
    char *t = json_print(j, JSON_GO | JSON_COMPACT);
    fputs(t, stdout);
    free(t);
    cJSON_Delete(j);
  } else if (!s->nres && !s->noutputs) {
    printf("No state.\n");
  } else {
    Buf b = BUF_INIT;
    for (size_t i = 0; i < s->nres; i++)
      for (size_t k = 0; k < s->res[i]->ninst; k++) {
        st_render_instance(&b, s->res[i], &s->res[i]->inst[k]);
        buf_putc(&b, '\n');
      }
    if (s->noutputs) {
      buf_puts(&b, "\nOutputs:\n\n");
      for (size_t i = 0; i < s->noutputs; i++) {
        StOutput *out = &s->outputs[i];
        buf_printf(&b, "%s = ", out->name);
        if (out->sensitive) buf_puts(&b, "(sensitive value)");
        else st_render_value(&b, out->value, out->type, 0);
        buf_putc(&b, '\n');
      }
    }
    fputs(b.s ? b.s : "", stdout);
    buf_free(&b);
  }
  st_mgr_abandon(m);
out:
  diag_free(&d);
  free(path);
  free(ws);
  return rc;
}
