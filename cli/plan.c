/*
** cli/plan.c — `tfc plan`, `tfc apply`, `tfc destroy` and `tfc init`.
**
** Flags, prompts, output texts and exit codes follow Terraform's, so
** scripts and CI jobs written for terraform work unchanged.
*/
#include "cli/cli.h"
#include "base/util.h"
#include "plan/check.h"
#include "plan/plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct Args {
  PlanOptions po;
  VarArg *vars;
  size_t nvars, capvars;
  const char **replace, **targets;
  size_t nreplace, capreplace, ntargets, captargets;
  bool no_color, auto_approve, detailed, no_lock, input;
  double lock_timeout;
  const char *out_file;
  const char *plan_file;
  int parallelism;
} Args;

static double parse_duration(const char *s) {
  char *end;
  double v = strtod(s, &end);
  if (*end == 'm') v *= 60;
  else if (*end == 'h') v *= 3600;
  return v;
}

/* Returns false (after printing usage) on an unknown flag. */
static bool parse(int argc, char **argv, Args *a, const char *cmd) {
  memset(a, 0, sizeof *a);
  a->po.refresh = true;
  a->input = true;
  a->parallelism = 10;
  for (int i = 1; i < argc; i++) {
    const char *s = argv[i], *v;
#define TAKE(name, ...)                                                      \
  if ((v = cli_flag_value(s, name)) || (cli_flag(s, name) && i + 1 < argc && (v = argv[++i]))) { \
    __VA_ARGS__;                                                             \
    continue;                                                                \
  }
    if (cli_flag(s, "no-color")) a->no_color = true;
    else if (cli_flag(s, "auto-approve")) a->auto_approve = true;
    else if (cli_flag(s, "detailed-exitcode")) a->detailed = true;
    else if (cli_flag(s, "destroy")) a->po.destroy = true;
    else if (cli_flag(s, "refresh-only")) a->po.refresh_only = true;
    else if (cli_flag_value(s, "refresh")) a->po.refresh = strcmp(cli_flag_value(s, "refresh"), "false") != 0;
    else if (cli_flag_value(s, "lock")) a->no_lock = strcmp(cli_flag_value(s, "lock"), "false") == 0;
    else if (cli_flag_value(s, "input")) a->input = strcmp(cli_flag_value(s, "input"), "false") != 0;
    else if (cli_flag(s, "compact-warnings") || cli_flag(s, "lock")) continue;
    else {
      TAKE("var", VarArg va = {false, v}; VEC_PUSH(a->vars, a->nvars, a->capvars, va))
      TAKE("var-file", VarArg va = {true, v}; VEC_PUSH(a->vars, a->nvars, a->capvars, va))
      TAKE("replace", VEC_PUSH(a->replace, a->nreplace, a->capreplace, v))
      TAKE("target", VEC_PUSH(a->targets, a->ntargets, a->captargets, v))
      TAKE("out", a->out_file = v)
      TAKE("lock-timeout", a->lock_timeout = parse_duration(v))
      TAKE("parallelism", a->parallelism = atoi(v))
      TAKE("cloud", a->po.cloud = v)
      if (s[0] != '-' && strcmp(cmd, "apply") == 0 && !a->plan_file) {
        a->plan_file = s;
        continue;
      }
      fprintf(stderr, "Usage: tfc [global options] %s [options]\n\n"
                      "Unknown option or argument: %s\n", cmd, s);
      return false;
    }
#undef TAKE
  }
  a->po.vars = a->vars;
  a->po.nvars = a->nvars;
  a->po.replace = a->replace;
  a->po.nreplace = a->nreplace;
  a->po.targets = a->targets;
  a->po.ntargets = a->ntargets;
  return true;
}

static void args_free(Args *a) {
  free(a->vars);
  free(a->replace);
  free(a->targets);
}

/* Diagnostics equal to one already in dst (same summary and subject) are
** dropped: the static checks and the plan walk evaluate the same things. */
static void merge_unique(DiagList *dst, DiagList *src) {
  for (size_t i = 0; i < src->n; i++) {
    Diag *x = &src->v[i];
    bool dup = false;
    for (size_t k = 0; k < dst->n && !dup; k++) {
      Diag *y = &dst->v[k];
      dup = strcmp(x->summary, y->summary) == 0 && x->has_subject == y->has_subject &&
            (!x->has_subject || (x->subject.file == y->subject.file && x->subject.start == y->subject.start));
    }
    if (dup) continue;
    Diag *n = diag_add(dst, x->severity, x->has_subject ? &x->subject : NULL, x->summary, "%s",
                       x->detail ? x->detail : "");
    if (x->address) n->address = xstrdup(x->address);
  }
  diag_free(src);
}

static void print_diags(DiagList *d, bool no_color) {
  diag_print_all(d, stdout, stderr, diag_color_enabled(stdout, no_color));
  diag_free(d);
}

static bool ask_yes(const char *question, const char *detail) {
  printf("\n%s\n%s\n\n  Enter a value: ", question, detail);
  fflush(stdout);
  char line[256];
  if (!fgets(line, sizeof line, stdin)) return false;
  line[strcspn(line, "\r\n")] = 0;
  return strcmp(line, "yes") == 0;
}

static void print_outputs(StMgr *sm, bool color) {
  State *s = st_mgr_state(sm);
  if (!s->noutputs) return;
  printf("\n%sOutputs:%s\n\n", color ? "\x1b[0m\x1b[1m\x1b[32m" : "", color ? "\x1b[0m" : "");
  for (size_t i = 0; i < s->noutputs; i++) {
    StOutput *o = &s->outputs[i];
    if (o->sensitive) {
      printf("%s = <sensitive>\n", o->name);
      continue;
    }
    Buf b = BUF_INIT;
    st_render_value(&b, o->value, o->type, 0);
    printf("%s = %s\n", o->name, b.s ? b.s : "");
    buf_free(&b);
  }
}

/* Loads the configuration and runs the static checks. NULL on errors
** (already printed). */
static CfgModule *load_checked(Args *a, DiagList *d) {
  CfgModule *root = cfg_load(".", d);
  if (diag_has_errors(d)) {
    cfg_free(root);
    return NULL;
  }
  CheckOptions co = {a->vars, a->nvars, a->po.workspace, !a->po.destroy};
  check_config(root, &co, d);
  if (diag_has_errors(d)) {
    cfg_free(root);
    return NULL;
  }
  return root;
}

enum { RUN_PLAN, RUN_APPLY, RUN_DESTROY };

static int run(int argc, char **argv, int mode) {
  const char *cmd = mode == RUN_PLAN ? "plan" : mode == RUN_APPLY ? "apply" : "destroy";
  Args a;
  if (!parse(argc, argv, &a, cmd)) {
    args_free(&a);
    return 1;
  }
  if (mode == RUN_DESTROY) a.po.destroy = true;
  if (!a.po.cloud) a.po.cloud = getenv("TFC_CLOUD");
  if (a.po.cloud && strcmp(a.po.cloud, "sim") != 0 && strcmp(a.po.cloud, "aws") != 0) {
    fprintf(stderr, "\nError: Invalid -cloud value\n\n-cloud (or TFC_CLOUD) must be \"sim\" (the simulated AWS, the "
                    "default) or \"aws\" (the real AWS APIs over HTTPS), not \"%s\".\n", a.po.cloud);
    args_free(&a);
    return 1;
  }
  if (a.plan_file) {
    fprintf(stderr, "\nError: Saved plan files are not supported yet\n\n"
                    "tfc cannot apply a saved plan file (%s) yet. Run tfc apply without a plan file.\n", a.plan_file);
    args_free(&a);
    return 1;
  }
  bool color = diag_color_enabled(stdout, a.no_color);
  char *ws = st_ws_current();
  a.po.workspace = ws;
  DiagList d = {0};
  CfgModule *root = load_checked(&a, &d);
  if (!root) {
    print_diags(&d, a.no_color);
    free(ws);
    args_free(&a);
    src_reset();
    return 1;
  }
  char *path = st_ws_state_path(ws);
  StOpenOpts so;
  memset(&so, 0, sizeof so);
  so.no_lock = a.no_lock;
  so.lock_timeout = a.lock_timeout;
  so.operation = mode == RUN_PLAN ? "OperationTypePlan" : "OperationTypeApply";
  so.readonly = mode == RUN_PLAN;
  StMgr *sm = st_mgr_open(path, &so, &d);
  if (!sm) {
    print_diags(&d, a.no_color);
    cfg_free(root);
    free(path);
    free(ws);
    args_free(&a);
    src_reset();
    return 1;
  }
  Runtime *rt = runtime_open(root, &a.po, &d);
  if (mode != RUN_PLAN) plan_reconcile(sm, rt, stdout, &d);
  DiagList pd = {0};
  Plan *p = plan_make(root, st_mgr_state(sm), &a.po, rt, &pd);
  merge_unique(&d, &pd);
  int rc = 0;
  if (p->errored || diag_has_errors(&d)) {
    print_diags(&d, a.no_color);
    rc = 1;
    goto out;
  }
  plan_render(stdout, p, color);
  bool changes = plan_has_changes(p);
  if (mode == RUN_PLAN) {
    print_diags(&d, a.no_color);
    if (changes) plan_render_footer(stdout, NULL, color);
    if (a.out_file)
      fprintf(stderr, "\nWarning: Saved plan files are not supported yet\n\nThe plan was not saved to %s.\n",
              a.out_file);
    rc = a.detailed && changes ? 2 : 0;
    goto out;
  }
  if (!changes) {
    print_diags(&d, a.no_color);
    printf("\n%s%s complete! Resources: 0 added, 0 changed, 0 destroyed.%s\n", color ? "\x1b[0m\x1b[1m\x1b[32m" : "",
           mode == RUN_DESTROY ? "Destroy" : "Apply", color ? "\x1b[0m" : "");
    if (mode == RUN_APPLY) print_outputs(sm, color);
    goto out;
  }
  if (!a.auto_approve) {
    bool yes = mode == RUN_DESTROY
                   ? ask_yes("Do you really want to destroy all resources?",
                             "  Terraform will destroy all your managed infrastructure, as shown above.\n"
                             "  There is no undo. Only 'yes' will be accepted to confirm.")
                   : ask_yes("Do you want to perform these actions?",
                             "  Terraform will perform the actions described above.\n"
                             "  Only 'yes' will be accepted to approve.");
    if (!yes) {
      printf("\n%s cancelled.\n", mode == RUN_DESTROY ? "Destroy" : "Apply");
      print_diags(&d, a.no_color);
      rc = 1;
      goto out;
    }
  }
  printf("\n");
  int failed = plan_apply(p, root, &a.po, sm, rt, stdout, color, &d);
  if (!st_mgr_close(sm, &d)) failed++;
  sm = NULL;
  if (failed) {
    print_diags(&d, a.no_color);
    rc = 1;
    goto out;
  }
  print_diags(&d, a.no_color);
  if (mode == RUN_DESTROY)
    printf("\n%sDestroy complete! Resources: %zu destroyed.%s\n", color ? "\x1b[0m\x1b[1m\x1b[32m" : "",
           p->applied_destroyed, color ? "\x1b[0m" : "");
  else
    printf("\n%sApply complete! Resources: %zu added, %zu changed, %zu destroyed.%s\n",
           color ? "\x1b[0m\x1b[1m\x1b[32m" : "", p->applied_added, p->applied_changed, p->applied_destroyed,
           color ? "\x1b[0m" : "");
  if (mode == RUN_APPLY) {
    StOpenOpts ro;
    memset(&ro, 0, sizeof ro);
    ro.readonly = true;
    DiagList od = {0};
    StMgr *rm = st_mgr_open(path, &ro, &od);
    if (rm) {
      print_outputs(rm, color);
      st_mgr_abandon(rm);
    }
    diag_free(&od);
  }
out:
  if (sm) {
    DiagList cd = {0};
    if (mode == RUN_PLAN) st_mgr_abandon(sm);
    else if (!st_mgr_close(sm, &cd)) rc = 1;
    print_diags(&cd, a.no_color);
  }
  diag_free(&d);
  plan_free(p);
  runtime_close(rt);
  cfg_free(root);
  free(path);
  free(ws);
  args_free(&a);
  src_reset();
  return rc;
}

int cmd_plan(int argc, char **argv) { return run(argc, argv, RUN_PLAN); }
int cmd_apply(int argc, char **argv) { return run(argc, argv, RUN_APPLY); }
int cmd_destroy(int argc, char **argv) { return run(argc, argv, RUN_DESTROY); }

