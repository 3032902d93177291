/*
** cli/plan.c — `tfc plan`, `tfc apply`, `tfc destroy` and `tfc init`.
**
** Flags, prompts, output texts and exit codes follow Terraform's, so
** scripts and CI jobs written for terraform work unchanged.
*/
#include "cli/cli.h"
#include "base/jsonout.h"
#include "base/src.h"
#include "base/util.h"
#include "eval/modtree.h"
#include "eval/vars.h"
#include "plan/check.h"
#include "plan/plan.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <openssl/evp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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
  const char *pos[2];           /* import: ADDRESS ID */
  size_t npos;
  const char *state_path;       /* import -state=PATH */
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
      if (strcmp(cmd, "import") == 0) {
        TAKE("state", a->state_path = v)
        if (s[0] != '-' && a->npos < 2) {
          a->pos[a->npos++] = s;
          continue;
        }
      }
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
  a->po.parallelism = a->parallelism;
  if (a->parallelism < 1) {
    fprintf(stderr, "\nError: Invalid parallelism value\n\nThe -parallelism argument must be greater than zero.\n");
    return false;
  }
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
/*
** Saved plans. Terraform's plan file embeds the configuration and applies
** exactly the planned changes. tfc's is a JSON document that records what the
** plan was made from (state lineage and serial, a digest of every file read,
** the options) and what it said; `apply PLANFILE` makes the plan again from the
** same inputs and applies it only if it says the same thing, so "exactly these
** actions" holds or the apply refuses before touching anything.
*/
#define PLANFILE_FORMAT "tfc-plan/1"

static char *sources_digest(void) {
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
  SrcFile *f;
  for (uint32_t id = 1; (f = src_get(id)); id++) {
    if (!f->bytes) continue;
    char len[32];
    int n = snprintf(len, sizeof len, "%zu:", f->len);
    EVP_DigestUpdate(ctx, f->path, strlen(f->path) + 1);
    EVP_DigestUpdate(ctx, len, (size_t)n);
    EVP_DigestUpdate(ctx, f->bytes, f->len);
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned mdn = 0;
  EVP_DigestFinal_ex(ctx, md, &mdn);
  EVP_MD_CTX_free(ctx);
  char *hex = xmalloc(2 * mdn + 1);
  for (unsigned i = 0; i < mdn; i++) snprintf(hex + 2 * i, 3, "%02x", md[i]);
  return hex;
}

static char *render_text(const Plan *p, bool color) {
  Buf b = BUF_INIT;
  plan_render_buf(&b, p, color);
  return b.s ? b.s : xstrdup("");
}

static bool write_plan_file(const char *file, const Args *a, const State *prior, const Plan *p, const CfgModule *root,
                            DiagList *d) {
  cJSON *j = cJSON_CreateObject();
  cJSON_AddStringToObject(j, "format", PLANFILE_FORMAT);
  cJSON_AddStringToObject(j, "workspace", a->po.workspace ? a->po.workspace : "default");
  cJSON_AddStringToObject(j, "lineage", prior && prior->lineage ? prior->lineage : "");
  cJSON_AddNumberToObject(j, "serial", prior ? (double)prior->serial : 0);
  char *digest = sources_digest();
  cJSON_AddStringToObject(j, "sources_sha256", digest);
  free(digest);
  cJSON *opts = cJSON_AddObjectToObject(j, "options");
  cJSON *vars = cJSON_AddArrayToObject(opts, "vars");
  for (size_t i = 0; i < a->nvars; i++) {
    cJSON *v = cJSON_CreateObject();
    cJSON_AddBoolToObject(v, "file", a->vars[i].is_file);
    cJSON_AddStringToObject(v, "text", a->vars[i].text);
    cJSON_AddItemToArray(vars, v);
  }
  cJSON *rep = cJSON_AddArrayToObject(opts, "replace");
  for (size_t i = 0; i < a->nreplace; i++) cJSON_AddItemToArray(rep, cJSON_CreateString(a->replace[i]));
  cJSON *tg = cJSON_AddArrayToObject(opts, "targets");
  for (size_t i = 0; i < a->ntargets; i++) cJSON_AddItemToArray(tg, cJSON_CreateString(a->targets[i]));
  cJSON_AddBoolToObject(opts, "destroy", a->po.destroy);
  cJSON_AddBoolToObject(opts, "refresh", a->po.refresh);
  if (a->po.cloud) cJSON_AddStringToObject(opts, "cloud", a->po.cloud);
  char *text = render_text(p, false), *ctext = render_text(p, true);
  cJSON_AddStringToObject(j, "rendered", text);
  cJSON_AddStringToObject(j, "rendered_color", ctext);
  Buf md = BUF_INIT;
  plan_render_markdown(&md, p);
  cJSON_AddStringToObject(j, "rendered_markdown", md.s ? md.s : "");
  buf_free(&md);
  free(text);
  free(ctext);
  cJSON_AddItemToObject(j, "plan", plan_to_json(p, root, prior));
  char *out = json_print(j, JSON_GO);
  cJSON_Delete(j);
  char *tmp = xasprintf("%s.tmp", file);
  FILE *fp = fopen(tmp, "w");
  bool ok = fp && fputs(out, fp) >= 0 && fputc('\n', fp) != EOF;
  if (fp && fclose(fp) != 0) ok = false;
  if (ok && rename(tmp, file) != 0) ok = false;
  if (!ok) {
    diag_add(d, DIAG_ERROR, NULL, "Failed to write plan file", "The plan file %s could not be written: %s.", file,
             strerror(errno));
    remove(tmp);
  }
  free(tmp);
  free(out);
  return ok;
}

cJSON *plan_file_read(const char *file, DiagList *d) {
  size_t n = 0;
  char *text = read_file(file, &n);
  if (!text) {
    diag_add(d, DIAG_ERROR, NULL, "Failed to load plan file", "Could not read the plan file %s: %s.", file,
             strerror(errno));
    return NULL;
  }
  cJSON *j = plan_file_parse(text, n, file, d);
  free(text);
  return j;
}

cJSON *plan_file_parse(const char *text, size_t n, const char *file, DiagList *d) {
  cJSON *j = cJSON_ParseWithLength(text, n);
  const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(j, "format");
  if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, PLANFILE_FORMAT) != 0 ||
      !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(j, "rendered")) ||
      !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(j, "options")) ||
      !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(j, "plan"))) {
    diag_add(d, DIAG_ERROR, NULL, "Failed to load plan file",
             "%s is not a plan file written by tfc plan -out (format \"%s\"). Make a new one with tfc plan -out=%s.",
             file, PLANFILE_FORMAT, file);
    cJSON_Delete(j);
    return NULL;
  }
  return j;
}

static const char *jstr(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : "";
}

/* Takes the options the plan was made with; the strings stay owned by pf. */
static void args_from_plan_file(Args *a, const cJSON *pf) {
  const cJSON *o = cJSON_GetObjectItemCaseSensitive(pf, "options"), *it;
  cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(o, "vars")) {
    VarArg va = {cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it, "file")), jstr(it, "text")};
    VEC_PUSH(a->vars, a->nvars, a->capvars, va);
  }
  cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(o, "replace")) {
    if (cJSON_IsString(it)) VEC_PUSH(a->replace, a->nreplace, a->capreplace, it->valuestring);
  }
  cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(o, "targets")) {
    if (cJSON_IsString(it)) VEC_PUSH(a->targets, a->ntargets, a->captargets, it->valuestring);
  }
  a->po.destroy = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "destroy"));
  a->po.refresh = !cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(o, "refresh"));
  if (*jstr(o, "cloud")) a->po.cloud = jstr(o, "cloud");
  a->po.vars = a->vars;
  a->po.nvars = a->nvars;
  a->po.replace = a->replace;
  a->po.nreplace = a->nreplace;
  a->po.targets = a->targets;
  a->po.ntargets = a->ntargets;
}

/* Why the saved plan cannot be applied now, or NULL. */
static const char *plan_file_mismatch(const cJSON *pf, const State *s, const Plan *p, const char *ws) {
  const cJSON *serial = cJSON_GetObjectItemCaseSensitive(pf, "serial");
  if (strcmp(jstr(pf, "workspace"), ws) != 0)
    return "The plan was made for another workspace. Select it with tfc workspace select, or make a new plan.";
  /* A state never written (serial 0) gets a fresh lineage on every open. */
  bool fresh = s->serial == 0 && cJSON_IsNumber(serial) && serial->valuedouble == 0;
  if (!fresh && (strcmp(jstr(pf, "lineage"), s->lineage ? s->lineage : "") != 0 || !cJSON_IsNumber(serial) ||
                 (uint64_t)serial->valuedouble != s->serial))
    return "The given plan file can no longer be applied because the state was changed by another operation after "
           "the plan was created.";
  char *digest = sources_digest();
  bool same = strcmp(digest, jstr(pf, "sources_sha256")) == 0;
  free(digest);
  if (!same)
    return "The configuration or a variables file changed after the plan was created. tfc plans again from the "
           "files on disk when it applies a saved plan, so it cannot take exactly the saved actions. Run tfc plan "
           "-out again.";
  char *text = render_text(p, false);
  same = strcmp(text, jstr(pf, "rendered")) == 0;
  free(text);
  if (!same)
    return "The objects in AWS changed after the plan was created, so applying now would not take exactly the "
           "planned actions. Run tfc plan -out again and review the new plan.";
  return NULL;
}

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

/* Terraform's interrupt protocol: the first SIGINT/SIGTERM stops the apply
** gracefully (plan_apply finishes what is running and starts nothing
** more), a second one exits at once; the state journal lets the next run
** settle whatever was in flight. Only async-signal-safe calls here. */
static void on_interrupt(int sig) {
  (void)sig;
  if (plan_stop_requested) {
    static const char msg[] = "\nTwo interrupts received. Exiting immediately. Note that data loss may have occurred.\n";
    ssize_t n = write(2, msg, sizeof msg - 1);
    (void)n;
    _exit(1);
  }
  plan_stop_requested = 1;
  static const char msg[] =
      "\nInterrupt received.\nPlease wait for Terraform to exit or data loss may occur.\nGracefully shutting down...\n\n"
      "Stopping operation...\n";
  ssize_t n = write(1, msg, sizeof msg - 1);
  (void)n;
}

static void catch_interrupts(bool on) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on ? on_interrupt : SIG_DFL;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
}

/* The command ends the process: its plan, configuration and state (for
** 10,000 resources, millions of small objects) go back to the system at
** once, where freeing them one by one costs a tenth of a plan. The
** sanitizer builds free everything, so leak checking still sees every
** allocation. */
#if defined(__SANITIZE_ADDRESS__)
#define FREE_AT_EXIT 1
#else
#define FREE_AT_EXIT 0
#endif

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
  cJSON *pf = NULL;
  if (a.plan_file) {
    if (a.nvars) {
      fprintf(stderr, "\nError: Can't set variables when applying a saved plan\n\n"
                      "The -var and -var-file options cannot be used when applying a saved plan file, because a "
                      "saved plan includes the variable values that were set when it was created.\n");
      args_free(&a);
      return 1;
    }
    DiagList fd = {0};
    pf = plan_file_read(a.plan_file, &fd);
    if (!pf) {
      print_diags(&fd, a.no_color);
      diag_free(&fd);
      args_free(&a);
      return 1;
    }
    args_from_plan_file(&a, pf);
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
    cJSON_Delete(pf);
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
    cJSON_Delete(pf);
    src_reset();
    return 1;
  }
  /* from here on an interrupt stops gracefully: nothing is started after it */
  if (mode != RUN_PLAN) catch_interrupts(true);
  Runtime *rt = runtime_open(root, &a.po, &d);
  if (mode != RUN_PLAN) plan_reconcile(sm, rt, stdout, &d);
  /* Terraform's "Refreshing state..." lines; applying a saved plan plans
  ** again quietly */
  if (!pf) {
    a.po.progress = stdout;
    a.po.progress_color = color;
  }
  DiagList pd = {0};
  Plan *p = plan_make(root, st_mgr_state(sm), &a.po, rt, &pd);
  merge_unique(&d, &pd);
  int rc = 0;
  if (p->errored || diag_has_errors(&d)) {
    print_diags(&d, a.no_color);
    rc = 1;
    goto out;
  }
  if (pf) {
    const char *why = plan_file_mismatch(pf, st_mgr_state(sm), p, ws);
    if (why) {
      diag_add(&d, DIAG_ERROR, NULL, "Saved plan is stale", "%s", why);
      print_diags(&d, a.no_color);
      rc = 1;
      goto out;
    }
  } else {
    plan_render(stdout, p, color);
  }
  bool changes = plan_has_changes(p);
  if (mode == RUN_PLAN) {
    if (a.out_file && !write_plan_file(a.out_file, &a, st_mgr_state(sm), p, root, &d)) rc = 1;
    print_diags(&d, a.no_color);
    if (rc) goto out;
    if (changes) plan_render_footer(stdout, a.out_file, color);
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
  if (!a.auto_approve && !pf) {
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
  if (plan_stop_requested) {
    printf("\n%s cancelled.\n", mode == RUN_DESTROY ? "Destroy" : "Apply");
    rc = 1;
    goto out;
  }
  printf("\n");
  fflush(stdout);
  int failed = plan_apply(p, root, &a.po, sm, rt, stdout, color, &d);
  if (!st_mgr_close(sm, &d)) failed++;
  sm = NULL;
  if (failed) {
    print_diags(&d, a.no_color);
    rc = 1;
    goto out;
  }
  if (p->targeted)
    diag_add(&d, DIAG_WARNING, NULL, "Applied changes may be incomplete",
             "The plan was created with the -target option in effect, so some changes requested in the configuration "
             "may have been ignored and the output values may not be fully updated. Run the following command to "
             "verify that no other changes are pending:\n    terraform plan\n\nNote that the -target option is not "
             "suitable for routine use, and is provided only for exceptional situations such as recovering from "
             "errors or mistakes, or when Terraform specifically suggests to use it as part of an error message.");
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
  catch_interrupts(false);
  if (sm) {
    DiagList cd = {0};
    if (mode == RUN_PLAN && !FREE_AT_EXIT) st_mgr_release(sm);
    else if (mode == RUN_PLAN) st_mgr_abandon(sm);
    else if (!st_mgr_close(sm, &cd)) rc = 1;
    print_diags(&cd, a.no_color);
  }
  diag_free(&d);
  if (!FREE_AT_EXIT) {
    runtime_close(rt);
    return rc;
  }
  plan_free(p);
  runtime_close(rt);
  cfg_free(root);
  free(path);
  free(ws);
  args_free(&a);
  cJSON_Delete(pf);
  src_reset();
  return rc;
}

int cmd_plan(int argc, char **argv) { return run(argc, argv, RUN_PLAN); }
int cmd_apply(int argc, char **argv) { return run(argc, argv, RUN_APPLY); }
int cmd_destroy(int argc, char **argv) { return run(argc, argv, RUN_DESTROY); }

/* Terraform keeps `refresh` as an alias of `apply -refresh-only -auto-approve`. */
int cmd_refresh(int argc, char **argv) {
  char **v = xcalloc((size_t)argc + 3, sizeof *v);
  for (int i = 0; i < argc; i++) v[i] = argv[i];
  v[argc] = "-refresh-only";
  v[argc + 1] = "-auto-approve";
  int rc = run(argc + 2, v, RUN_APPLY);
  free(v);
  return rc;
}


/* ------------------------------------------------------------ import */

/* The configured resource an import address names, or NULL. Module calls
** are followed by name; *expanded tells whether one of them has count or
** for_each, and *keys_fit whether each step's key is of the kind its call
** gives its instances. */
static const CfgResource *import_target(const CfgModule *root, const StAddr *ad, bool *expanded, bool *keys_fit) {
  const CfgModule *m = root;
  *expanded = false;
  *keys_fit = true;
  for (size_t i = 0; m && i < ad->nmods; i++) {
    const CfgModuleCall *c = cfg_call(m, ad->mods[i].name);
    if (!c) return NULL;
    StKeyKind want = c->count ? ST_KEY_INT : c->for_each ? ST_KEY_STR : ST_KEY_NONE;
    if (ad->mods[i].key.kind != want) *keys_fit = false;
    if (want != ST_KEY_NONE) *expanded = true;
    m = c->child;
  }
  return m ? cfg_resource(m, CFG_MANAGED, ad->type, ad->name) : NULL;
}

/* Terraform's error for an address whose instance the configuration does
** not have (a key of the wrong kind, or one the expansion does not give). */
static void no_import_config(DiagList *d, const char *target) {
  diag_add(d, DIAG_ERROR, NULL, "Configuration for import target does not exist",
           "The configuration for the given import target %s does not exist. All target instances must have an "
           "associated configuration to be imported.", target);
}

/* Whether the module instance an import address names is one its calls'
** count and for_each give, evaluated as a plan would with the variables.
** Expansions that read resources are unknown here, and said so. */
static bool import_instance_exists(CfgModule *root, const Args *a, const StAddr *ad, const char *target, DiagList *d) {
  VarOptions vo = {root->dir, a->po.vars, a->po.nvars, false};
  DiagList vd = {0};
  Value **vars = vars_collect(root, &vo, &vd);
  bool ok = !diag_has_errors(&vd);
  if (ok) diag_free(&vd); /* its warnings come again from the import itself */
  else diag_move(d, &vd);
  ModTree *t = modtree_new(root, vars, a->po.workspace, true, true, NULL);
  /* Without resource values, a call whose count or for_each reads one
  ** cannot be evaluated; its errors belong to plan. A call on the import
  ** address that could not be evaluated is reported below. */
  DiagList bd = {0};
  if (ok) modtree_bind_inputs(t, &bd);
  diag_free(&bd);
  /* follow the address's steps through the instances */
  const char *unknown = NULL;
  ModTree *m = t;
  for (size_t i = 0; ok && m && i < ad->nmods; i++) {
    size_t c = 0;
    while (c < m->mod->ncalls && strcmp(m->mod->calls[c].name, ad->mods[i].name) != 0) c++;
    if (c == m->mod->ncalls || m->calls[c].unknown) {
      if (c < m->mod->ncalls) unknown = m->mod->calls[c].name;
      m = NULL;
      break;
    }
    Buf want = BUF_INIT;
    buf_printf(&want, "%s%smodule.%s", m->path, m->path[0] ? "." : "", ad->mods[i].name);
    st_key_format(&want, &ad->mods[i].key);
    ModTree *next = NULL;
    for (size_t k = 0; k < m->calls[c].n && !next; k++)
      if (strcmp(m->calls[c].v[k]->path, want.s) == 0) next = m->calls[c].v[k];
    buf_free(&want);
    m = next;
  }
  if (ok && !m) {
    ok = false;
    if (unknown)
      diag_add(d, DIAG_ERROR, NULL, "Cannot import into an undetermined module instance",
               "The count or for_each of module \"%s\" reads values that come from resources (or are known only "
               "at apply time). tfc import evaluates module expansions from the variables alone, so it cannot import "
               "%s into an instance of this module.",
               unknown, target);
    else
      no_import_config(d, target);
  }
  modtree_free(t);
  return ok;
}

int cmd_import(int argc, char **argv) {
  Args a;
  if (!parse(argc, argv, &a, "import")) {
    args_free(&a);
    return 1;
  }
  if (a.npos != 2 || a.nreplace || a.ntargets || a.out_file || a.po.destroy || a.detailed || a.auto_approve) {
    fprintf(stderr, "The import command expects two arguments.\n"
                    "Usage: tfc [global options] import [options] ADDR ID\n");
    args_free(&a);
    return 1;
  }
  if (!a.po.cloud) a.po.cloud = getenv("TFC_CLOUD");
  const char *target = a.pos[0], *id = a.pos[1];
  bool color = diag_color_enabled(stdout, a.no_color);
  StAddr ad;
  char *err = NULL;
  if (!st_addr_parse(target, &ad, &err) || !ad.has_resource || ad.mode != ST_MANAGED) {
    fprintf(stderr, "\nError: Invalid address\n\n%s\n\nFor information on valid syntax, see:\n"
                    "https://developer.hashicorp.com/terraform/cli/state/resource-addressing\n",
            err ? err : "The import address must name one resource instance of a managed resource.");
    free(err);
    if (!err) st_addr_free(&ad);
    args_free(&a);
    return 1;
  }
  char *ws = st_ws_current();
  a.po.workspace = ws;
  DiagList d = {0};
  int rc = 1;
  char *path = NULL, *module = NULL;
  StMgr *sm = NULL;
  Runtime *rt = NULL;
  CfgModule *root = load_checked(&a, &d);
  if (!root) goto out;
  bool expanded, keys_fit;
  const CfgResource *r = import_target(root, &ad, &expanded, &keys_fit);
  if (!r) {
    /* Terraform prints this as plain text, not as a diagnostic */
    char *mod = st_addr_module(&ad);
    fprintf(stderr, "%sError:%s resource address \"%s\" does not exist in the configuration.%s\n\n"
                    "Before importing this resource, please create its configuration in %s. For example:\n\n"
                    "resource \"%s\" \"%s\" {\n  # (resource arguments)\n}\n",
            color ? "\x1b[0m\x1b[1m\x1b[31m" : "", color ? "\x1b[0m\x1b[1m" : "", target, color ? "\x1b[0m" : "",
            *mod ? mod : "the root module", ad.type, ad.name);
    free(mod);
    goto out;
  }
  /* the key must be one the resource's expansion can have */
  StKeyKind want = r->count ? ST_KEY_INT : r->for_each ? ST_KEY_STR : ST_KEY_NONE;
  if (ad.key.kind != want || !keys_fit) {
    no_import_config(&d, target);
    goto out;
  }
  module = st_addr_module(&ad);
  if (expanded && !import_instance_exists(root, &a, &ad, target, &d)) goto out;
  path = a.state_path ? xstrdup(a.state_path) : st_ws_state_path(ws);
  StOpenOpts so;
  memset(&so, 0, sizeof so);
  so.no_lock = a.no_lock;
  so.lock_timeout = a.lock_timeout;
  so.operation = "OperationTypeImport";
  sm = st_mgr_open(path, &so, &d);
  if (!sm) goto out;
  rt = runtime_open(root, &a.po, &d);
  plan_reconcile(sm, rt, stdout, &d);
  if (diag_has_errors(&d)) goto out;
  rc = plan_import(r, module, &ad.key, id, sm, rt, stdout, color, &d);
  if (!st_mgr_close(sm, &d)) rc = 1;
  sm = NULL;
  if (rc == 0)
    printf("\n%sImport successful!\n\nThe resources that were imported are shown above. These resources are now "
           "in\nyour Terraform state and will henceforth be managed by Terraform.\n%s\n",
           color ? "\x1b[0m\x1b[32m" : "", color ? "\x1b[0m" : "");
out:
  if (sm) st_mgr_abandon(sm);
  fflush(stdout); /* the progress lines come before the errors, as on a terminal */
  print_diags(&d, a.no_color);
  runtime_close(rt);
  cfg_free(root);
  free(path);
  free(module);
  free(ws);
  st_addr_free(&ad);
  args_free(&a);
  src_reset();
  return rc;
}
