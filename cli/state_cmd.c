/*
** cli/state_cmd.c — `tfc state list|show|rm|mv|pull|push|diff`, with
** Terraform's texts and exit codes (reference/terraform.md §3.9).
*/
#include "cli/state_cmd.h"

#include "base/util.h"
#include "cli/cli.h"
#include "state/state.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ERR_NO_STATE                                                                                          \
  "No state file was found!\n\nState management commands require a state file. Run this command\n"          \
  "in a directory where Terraform has been run or use the -state flag\nto point the command to another state " \
  "file.\n"

#define ERR_NO_INSTANCE_TAIL                                                                                  \
  "This command requires that the address references one specific instance.\nTo view the available "          \
  "instances, use \"terraform state list\". Please modify \nthe address to reference a specific instance.\n"

#define ERR_NO_INSTANCE "No instance found for the given address!\n\n" ERR_NO_INSTANCE_TAIL

/* ---- shared flag handling ---- */

bool parse_duration(const char *s, double *seconds) {
  double total = 0;
  if (!*s) return false;
  if (strcmp(s, "0") == 0) {
    *seconds = 0;
    return true;
  }
  while (*s) {
    char *end;
    double v = strtod(s, &end);
    if (end == s || v < 0) return false;
    s = end;
    if (strncmp(s, "ms", 2) == 0) total += v / 1000, s += 2;
    else if (*s == 's') total += v, s++;
    else if (*s == 'm') total += v * 60, s++;
    else if (*s == 'h') total += v * 3600, s++;
    else return false;
  }
  *seconds = total;
  return true;
}

bool state_flag(const char *arg, StateFlags *f, bool *bad) {
  const char *v;
  if ((v = cli_flag_value(arg, "state"))) {
    f->state_path = v;
  } else if ((v = cli_flag_value(arg, "lock-timeout"))) {
    if (!parse_duration(v, &f->lock_timeout)) *bad = true;
  } else if (cli_flag(arg, "lock")) {
    f->lock = true;
  } else if ((v = cli_flag_value(arg, "lock"))) {
    if (strcmp(v, "false") == 0) f->lock = false;
    else if (strcmp(v, "true") == 0) f->lock = true;
    else *bad = true;
  } else if (cli_flag(arg, "no-color")) {
    f->no_color = true;
  } else if ((v = cli_flag_value(arg, "backup"))) {
    f->backup_path = v;
  } else {
    return false;
  }
  return true;
}

char *state_flags_path(const StateFlags *f) {
  if (f->state_path) return xstrdup(f->state_path);
  char *ws = st_ws_current();
  char *p = st_ws_state_path(ws);
  free(ws);
  return p;
}

void print_diags(const DiagList *dl, bool no_color) {
  diag_print_all(dl, stdout, stderr, diag_color_enabled(stderr, no_color));
}

static StateFlags default_flags(void) {
  StateFlags f = {NULL, true, 0, false, NULL};
  return f;
}

/* Collects positional arguments and shared flags; other flags go through
** extra (returns false for unknown flags). */
typedef bool (*ExtraFlag)(const char *arg, void *ctx);

static int parse_args(int argc, char **argv, StateFlags *f, char ***pos, int *npos, ExtraFlag extra, void *ctx,
                      const char *usage) {
  *pos = xcalloc((size_t)argc + 1, sizeof **pos);
  *npos = 0;
  for (int i = 1; i < argc; i++) {
    bool bad = false;
    if (argv[i][0] == '-' && argv[i][1]) {
      if (state_flag(argv[i], f, &bad) && !bad) continue;
      if (!bad && extra && extra(argv[i], ctx)) continue;
      fprintf(stderr, "Error parsing command-line flags: flag provided but not defined or invalid: %s\n\n%s", argv[i],
              usage);
      return 1;
    }
    (*pos)[(*npos)++] = argv[i];
  }
  return 0;
}

/* Opens the state for reading (no lock), journal replayed in memory. */
static StMgr *open_ro(const StateFlags *f, DiagList *dl) {
  char *path = state_flags_path(f);
  StOpenOpts o;
  memset(&o, 0, sizeof o);
  o.readonly = true;
  StMgr *m = st_mgr_open(path, &o, dl);
  free(path);
  return m;
}

/* Opens for a change: locked, with a timestamped backup as Terraform's
** state subcommands make. */
static StMgr *open_rw(const StateFlags *f, const char *op, DiagList *dl) {
  char *path = state_flags_path(f);
  StOpenOpts o;
  memset(&o, 0, sizeof o);
  o.no_lock = !f->lock;
  o.lock_timeout = f->lock_timeout;
  o.operation = op;
  char *backup = f->backup_path ? xstrdup(f->backup_path) : xasprintf("%s.%ld.backup", path, (long)time(NULL));
  o.backup_path = backup;
  StMgr *m = st_mgr_open(path, &o, dl);
  free(backup);
  free(path);
  return m;
}

static bool state_empty(StMgr *m) {
  return !st_mgr_existed(m) && st_mgr_state(m)->nres == 0 && st_mgr_state(m)->noutputs == 0;
}

/* ---- list ---- */

static const char usage_list[] =
    "Usage: tfc [global options] state list [options] [address...]\n\n"
    "  List resources in the Terraform state.\n\nOptions:\n\n"
    "  -state=statefile    Path to a Terraform state file to use to look\n"
    "                      up Terraform-managed resources. By default, Terraform\n"
    "                      will consult the state of the currently-selected\n"
    "                      workspace.\n\n"
    "  -id=ID              Filters the results to include only instances whose\n"
    "                      resource types have an attribute named \"id\" whose value\n"
    "                      equals the given id string.\n";

static bool list_extra(const char *arg, void *ctx) {
  const char *v = cli_flag_value(arg, "id");
  if (!v) return false;
  *(const char **)ctx = v;
  return true;
}

static int state_list(int argc, char **argv) {
  StateFlags f = default_flags();
  char **pos;
  int npos;
  const char *id = NULL;
  int rc = parse_args(argc, argv, &f, &pos, &npos, list_extra, &id, usage_list);
  DiagList dl = {0};
  StAddr *filters = xcalloc((size_t)npos + 1, sizeof *filters);
  int nf = 0;
  StMgr *m = NULL;
  if (rc) goto out;
  for (int i = 0; i < npos; i++) {
    char *err = NULL;
    if (!st_addr_parse(pos[i], &filters[nf], &err)) {
      fprintf(stderr, "Error parsing instance address: %s\n\nThis command requires that the address references one "
                      "specific instance.\nTo view the available instances, use \"terraform state list\". Please "
                      "modify \nthe address to reference a specific instance.\n",
              err);
      free(err);
      rc = 1;
      goto out;
    }
    nf++;
  }
  m = open_ro(&f, &dl);
  if (!m) {
    rc = 1;
    goto out;
  }
  if (state_empty(m)) {
    fputs(ERR_NO_STATE, stderr);
    rc = 1;
    goto out;
  }
  State *s = st_mgr_state(m);
  st_sort(s);
  for (size_t i = 0; i < s->nres; i++) {
    StResource *r = s->res[i];
    for (size_t j = 0; j < r->ninst; j++) {
      StInstance *in = &r->inst[j];
      /* one line per instance, however many deposed objects it has */
      if (j > 0 && st_key_cmp(&r->inst[j - 1].key, &in->key) == 0) continue;
      bool match = nf == 0;
      for (int k = 0; k < nf && !match; k++) match = st_addr_matches(&filters[k], r, in);
      if (!match) continue;
      if (id) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(in->attributes, "id");
        if (!cJSON_IsString(v) || strcmp(v->valuestring, id) != 0) continue;
      }
      char *a = st_instance_addr(r, in);
      puts(a);
      free(a);
    }
  }
out:
  print_diags(&dl, f.no_color);
  diag_free(&dl);
  st_mgr_abandon(m);
  for (int k = 0; k < nf; k++) st_addr_free(&filters[k]);
  free(filters);
  free(pos);
  return rc;
}

/* ---- show ---- */

static const char usage_show[] = "Usage: tfc [global options] state show [options] ADDRESS\n\n"
                                 "  Shows the attributes of a resource in the Terraform state.\n\nOptions:\n\n"
                                 "  -state=statefile    Path to a Terraform state file to use to look\n"
                                 "                      up Terraform-managed resources.\n";

static int state_show(int argc, char **argv) {
  StateFlags f = default_flags();
  char **pos;
  int npos;
  int rc = parse_args(argc, argv, &f, &pos, &npos, NULL, NULL, usage_show);
  DiagList dl = {0};
  StMgr *m = NULL;
  StAddr a;
  bool parsed = false;
  if (rc) goto out;
  if (npos != 1) {
    fprintf(stderr, "Exactly one argument expected.\n\n%s", usage_show);
    rc = 1;
    goto out;
  }
  char *err = NULL;
  if (!(parsed = st_addr_parse(pos[0], &a, &err)) || !a.has_resource) {
    fprintf(stderr, "Error parsing instance address: %s\n\n%s", err ? err : "not a resource instance address",
            ERR_NO_INSTANCE_TAIL);
    free(err);
    rc = 1;
    goto out;
  }
  m = open_ro(&f, &dl);
  if (!m) {
    rc = 1;
    goto out;
  }
  if (state_empty(m)) {
    fputs(ERR_NO_STATE, stderr);
    rc = 1;
    goto out;
  }
  State *s = st_mgr_state(m);
  char *mod = st_addr_module(&a);
  StResource *r = st_find_resource(s, mod, a.mode, a.type, a.name);
  free(mod);
  StInstance *in = r ? st_find_instance(r, &a.key, NULL) : NULL;
  if (!in) {
    fputs(ERR_NO_INSTANCE, stderr);
    rc = 1;
    goto out;
  }
  Buf b = BUF_INIT;
  st_render_instance(&b, r, in);
  fputs(b.s, stdout);
  buf_free(&b);
out:
  print_diags(&dl, f.no_color);
  diag_free(&dl);
  st_mgr_abandon(m);
  if (parsed) st_addr_free(&a);
  free(pos);
  return rc;
}

/* ---- rm ---- */

static const char usage_rm[] =
    "Usage: tfc [global options] state rm [options] ADDRESS...\n\n"
    "  Remove one or more items from the Terraform state, causing Terraform to\n"
    "  \"forget\" those items without first destroying them in the remote system.\n\nOptions:\n\n"
    "  -dry-run            If set, prints out what would've been removed but\n"
    "                      doesn't actually remove anything.\n\n"
    "  -backup=PATH        Path where Terraform should write the backup\n"
    "                      state.\n\n"
    "  -lock=false         Don't hold a state lock during the operation. This is\n"
    "                      dangerous if others might concurrently run commands\n"
    "                      against the same workspace.\n\n"
    "  -lock-timeout=0s    Duration to retry a state lock.\n\n"
    "  -state=PATH         Path to the state file to update. Defaults to the\n"
    "                      current workspace state.\n";

static bool dry_extra(const char *arg, void *ctx) {
  if (cli_flag(arg, "dry-run")) {
    *(bool *)ctx = true;
    return true;
  }
  return cli_flag(arg, "ignore-remote-version");
}

static int state_rm(int argc, char **argv) {
  StateFlags f = default_flags();
  char **pos;
  int npos;
  bool dry = false;
  int rc = parse_args(argc, argv, &f, &pos, &npos, dry_extra, &dry, usage_rm);
  DiagList dl = {0};
  StMgr *m = NULL;
  StAddr *addrs = xcalloc((size_t)npos + 1, sizeof *addrs);
  int na = 0;
  if (rc) goto out;
  if (npos < 1) {
    fprintf(stderr, "At least one address is required.\n\n%s", usage_rm);
    rc = 1;
    goto out;
  }
  for (int i = 0; i < npos; i++) {
    char *err = NULL;
    if (!st_addr_parse(pos[i], &addrs[na], &err)) {
      diag_add(&dl, DIAG_ERROR, NULL, "Invalid target address", "Error parsing %s: %s.", pos[i], err);
      free(err);
      rc = 1;
      goto out;
    }
    na++;
  }
  m = dry ? open_ro(&f, &dl) : open_rw(&f, "OperationTypeInvalid", &dl);
  if (!m) {
    rc = 1;
    goto out;
  }
  if (state_empty(m)) {
    fputs(ERR_NO_STATE, stderr);
    rc = 1;
    goto out;
  }
  State *s = st_mgr_state(m);
  st_sort(s);
  /* every address must match something before anything is removed */
  for (int k = 0; k < na; k++) {
    bool any = false;
    for (size_t i = 0; i < s->nres && !any; i++)
      for (size_t j = 0; j < s->res[i]->ninst && !any; j++) any = st_addr_matches(&addrs[k], s->res[i], &s->res[i]->inst[j]);
    if (!any) {
      diag_add(&dl, DIAG_ERROR, NULL, "Invalid target address",
               "No matching objects found. To view the available instances, use \"terraform state list\". Please "
               "modify the address to reference a specific instance.");
      rc = 1;
      goto out;
    }
  }
  int removed = 0;
  for (size_t i = 0; i < s->nres;) {
    StResource *r = s->res[i];
    for (size_t j = 0; j < r->ninst;) {
      StInstance *in = &r->inst[j];
      bool match = false;
      for (int k = 0; k < na && !match; k++) match = st_addr_matches(&addrs[k], r, in);
      if (!match) {
        j++;
        continue;
      }
      if (!in->deposed) {
        char *a = st_instance_addr(r, in);
        printf("%s %s\n", dry ? "Would remove" : "Removed", a);
        free(a);
        removed++;
      }
      if (dry) {
        j++;
      } else {
        StKey key;
        st_key_copy(&key, &in->key);
        char *dep = in->deposed ? xstrdup(in->deposed) : NULL;
        st_remove_instance(r, &key, dep);
        st_key_free(&key);
        free(dep);
      }
    }
    if (!dry && r->ninst == 0) st_remove_resource(s, r);
    else i++;
  }
  if (dry) {
    if (removed == 0) puts("Would have removed nothing.");
    goto out;
  }
  if (!st_mgr_write(m, &dl)) {
    rc = 1;
    goto out;
  }
  printf("Successfully removed %d resource instance(s).\n", removed);
out:
  if (m && !st_mgr_close(m, &dl)) rc = 1;
  print_diags(&dl, f.no_color);
  diag_free(&dl);
  for (int k = 0; k < na; k++) st_addr_free(&addrs[k]);
  free(addrs);
  free(pos);
  return rc;
}

/* ---- mv ---- */

static const char usage_mv[] =
    "Usage: tfc [global options] state mv [options] SOURCE DESTINATION\n\n"
    "  This command will move an item matched by the address given to the\n"
    "  destination address. This command can also move to a destination address\n"
    "  in a completely different state file.\n\nOptions:\n\n"
    "  -dry-run            If set, prints out what would've been moved but doesn't\n"
    "                      actually move anything.\n\n"
    "  -lock=false         Don't hold a state lock during the operation.\n\n"
    "  -lock-timeout=0s    Duration to retry a state lock.\n";

/* Replaces the prefix `from` of a module path with `to`. */
static char *rebase_module(const char *module, const char *from, const char *to) {
  size_t n = strlen(from);
  return xasprintf("%s%s", to, module + n);
}

static bool module_prefix(const char *module, const char *prefix) {
  size_t n = strlen(prefix);
  return strncmp(module, prefix, n) == 0 && (module[n] == 0 || module[n] == '.');
}

static int state_mv(int argc, char **argv) {
  StateFlags f = default_flags();
  char **pos;
  int npos;
  bool dry = false;
  int rc = parse_args(argc, argv, &f, &pos, &npos, dry_extra, &dry, usage_mv);
  DiagList dl = {0};
  StMgr *m = NULL;
  StAddr src, dst;
  bool ps = false, pd = false;
  int moved = 0;
  if (rc) goto out;
  if (npos != 2) {
    fprintf(stderr, "Exactly two arguments expected.\n\n%s", usage_mv);
    rc = 1;
    goto out;
  }
  char *err = NULL;
  if (!(ps = st_addr_parse(pos[0], &src, &err)) || !(pd = st_addr_parse(pos[1], &dst, &err))) {
    diag_add(&dl, DIAG_ERROR, NULL, ps ? "Invalid target address" : "Invalid source address", "Error parsing %s: %s.",
             pos[ps ? 1 : 0], err);
    free(err);
    rc = 1;
    goto out;
  }
  m = dry ? open_ro(&f, &dl) : open_rw(&f, "OperationTypeInvalid", &dl);
  if (!m) {
    rc = 1;
    goto out;
  }
  if (state_empty(m)) {
    fputs(ERR_NO_STATE, stderr);
    rc = 1;
    goto out;
  }
  State *s = st_mgr_state(m);
  char *smod = st_addr_module(&src), *dmod = st_addr_module(&dst);
  if (!src.has_resource || !dst.has_resource) {
    /* a whole module */
    if (src.has_resource != dst.has_resource) {
      diag_add(&dl, DIAG_ERROR, NULL, "Invalid state move request", "Cannot move %s to %s: the source is a %s and the "
               "destination is a %s.", pos[0], pos[1], src.has_resource ? "resource" : "module",
               dst.has_resource ? "resource" : "module");
      rc = 1;
    } else if (module_prefix(dmod, smod)) {
      diag_add(&dl, DIAG_ERROR, NULL, "Invalid state move request", "Cannot move %s into itself (%s).", pos[0], pos[1]);
      rc = 1;
    } else {
      for (size_t i = 0; i < s->nres; i++)
        if (module_prefix(s->res[i]->module, dmod)) {
          diag_add(&dl, DIAG_ERROR, NULL, "Invalid target address", "Cannot move to %s: there is already a module at "
                   "that address.", pos[1]);
          rc = 1;
          break;
        }
      for (size_t i = 0; i < s->nres && !rc; i++) {
        StResource *r = s->res[i];
        if (!module_prefix(r->module, smod)) continue;
        moved++;
        if (dry) continue;
        char *nm = rebase_module(r->module, smod, dmod);
        StResource *nr = st_get_resource(s, nm, r->mode, r->type, r->name, r->provider);
        for (size_t j = 0; j < r->ninst; j++) {
          StInstance *in = st_put_instance(nr, &r->inst[j].key, r->inst[j].deposed);
          st_instance_clear(in);
          st_instance_copy(in, &r->inst[j]);
        }
        free(nm);
        st_remove_resource(s, r);
        i--;
      }
    }
  } else {
    StResource *r = st_find_resource(s, smod, src.mode, src.type, src.name);
    if (r && strcmp(src.type, dst.type) != 0) {
      diag_add(&dl, DIAG_ERROR, NULL, "Invalid state move request",
               "Cannot move %s to %s: resource types don't match.", pos[0], pos[1]);
      rc = 1;
    } else if (r && src.key.kind == ST_KEY_NONE && dst.key.kind == ST_KEY_NONE) {
      /* the whole resource */
      if (st_find_resource(s, dmod, dst.mode, dst.type, dst.name)) {
        diag_add(&dl, DIAG_ERROR, NULL, "Invalid target address",
                 "Cannot move to %s: there is already a resource instance at that address in the current state.",
                 pos[1]);
        rc = 1;
      } else {
        moved = 1;
        if (!dry) {
          StResource *nr = st_get_resource(s, dmod, dst.mode, dst.type, dst.name, r->provider);
          for (size_t j = 0; j < r->ninst; j++) {
            StInstance *in = st_put_instance(nr, &r->inst[j].key, r->inst[j].deposed);
            st_instance_clear(in);
            st_instance_copy(in, &r->inst[j]);
          }
          st_remove_resource(s, r);
        }
      }
    } else if (r && st_find_instance(r, &src.key, NULL)) {
      /* one instance, with any deposed objects it has */
      StResource *nr = st_find_resource(s, dmod, dst.mode, dst.type, dst.name);
      if (nr && st_find_instance(nr, &dst.key, NULL)) {
        diag_add(&dl, DIAG_ERROR, NULL, "Invalid target address",
                 "Cannot move to %s: there is already a resource instance at that address in the current state.",
                 pos[1]);
        rc = 1;
      } else {
        moved = 1;
        if (!dry) {
          nr = st_get_resource(s, dmod, dst.mode, dst.type, dst.name, r->provider);
          for (size_t j = 0; j < r->ninst;) {
            if (st_key_cmp(&r->inst[j].key, &src.key) != 0) {
              j++;
              continue;
            }
            StInstance *in = st_put_instance(nr, &dst.key, r->inst[j].deposed);
            StInstance copy;
            st_instance_copy(&copy, &r->inst[j]);
            st_key_free(&copy.key);
            st_key_copy(&copy.key, &dst.key);
            st_instance_clear(in);
            *in = copy;
            StKey k;
            st_key_copy(&k, &src.key);
            char *dep = r->inst[j].deposed ? xstrdup(r->inst[j].deposed) : NULL;
            st_remove_instance(r, &k, dep);
            st_key_free(&k);
            free(dep);
          }
          if (r->ninst == 0) st_remove_resource(s, r);
        }
      }
    }
  }
  free(smod);
  free(dmod);
  if (rc) goto out;
  if (!moved) {
    diag_add(&dl, DIAG_ERROR, NULL, "Invalid source address",
             "Cannot move %s: does not match anything in the current state.", pos[0]);
    rc = 1;
    goto out;
  }
  printf("%s \"%s\" to \"%s\"\n", dry ? "Would move" : "Move", pos[0], pos[1]);
  if (!dry) {
    if (!st_mgr_write(m, &dl)) {
      rc = 1;
      goto out;
    }
    printf("Successfully moved %d object(s).\n", moved);
  }
out:
  if (m && !st_mgr_close(m, &dl)) rc = 1;
  print_diags(&dl, f.no_color);
  diag_free(&dl);
  if (ps) st_addr_free(&src);
  if (pd) st_addr_free(&dst);
  free(pos);
  return rc;
}

/* ---- pull / push ---- */

static int state_pull(int argc, char **argv) {
  StateFlags f = default_flags();
  char **pos;
  int npos;
  int rc = parse_args(argc, argv, &f, &pos, &npos, NULL, NULL, "Usage: tfc [global options] state pull [options]\n");
  DiagList dl = {0};
  StMgr *m = NULL;
  if (rc) goto out;
  m = open_ro(&f, &dl);
  if (!m) {
    rc = 1;
    goto out;
  }
  if (!state_empty(m)) {
    Buf b = BUF_INIT;
    st_serialize(st_mgr_state(m), &b);
    fwrite(b.s, 1, b.len, stdout);
    buf_free(&b);
  }
out:
  print_diags(&dl, f.no_color);
  diag_free(&dl);
  st_mgr_abandon(m);
  free(pos);
  return rc;
}

static const char usage_push[] =
    "Usage: tfc [global options] state push [options] PATH\n\n"
    "  Update remote state from a local state file at PATH.\n\n"
    "  This command \"pushes\" a local state and overwrites remote state\n"
    "  with a local state file. The command will protect you against writing\n"
    "  an older serial or a different state file lineage unless you specify the\n"
    "  \"-force\" flag.\n\n  If PATH is \"-\", then this command will read the state to push from stdin.\n\n"
    "Options:\n\n  -force              Write the state even if lineages don't match or the\n"
    "                      remote serial is higher.\n\n"
    "  -lock=false         Don't hold a state lock during the operation.\n\n"
    "  -lock-timeout=0s    Duration to retry a state lock.\n";

static bool force_extra(const char *arg, void *ctx) {
  if (!cli_flag(arg, "force")) return false;
  *(bool *)ctx = true;
  return true;
}

static char *read_stream(FILE *in, size_t *len) {
  Buf b = BUF_INIT;
  char tmp[65536];
  size_t n;
  buf_puts(&b, "");
  while ((n = fread(tmp, 1, sizeof tmp, in)) > 0) buf_add(&b, tmp, n);
  *len = b.len;
  return buf_take(&b);
}

static int state_push(int argc, char **argv) {
  StateFlags f = default_flags();
  char **pos;
  int npos;
  bool force = false;
  int rc = parse_args(argc, argv, &f, &pos, &npos, force_extra, &force, usage_push);
  DiagList dl = {0};
  StMgr *m = NULL;
  State *in = NULL;
  if (rc) goto out;
  if (npos != 1) {
    fprintf(stderr, "Exactly one argument expected.\n\n%s", usage_push);
    rc = 1;
    goto out;
  }
  size_t len = 0;
  char *bytes = strcmp(pos[0], "-") == 0 ? read_stream(stdin, &len) : read_file(pos[0], &len);
  if (!bytes) {
    fprintf(stderr, "Error reading source state \"%s\": %s\n", pos[0], strerror(errno));
    rc = 1;
    goto out;
  }
  in = st_parse(bytes, len, strcmp(pos[0], "-") == 0 ? "<stdin>" : pos[0], &dl);
  free(bytes);
  if (!in) {
    rc = 1;
    goto out;
  }
  m = open_rw(&f, "OperationTypeInvalid", &dl);
  if (!m) {
    rc = 1;
    goto out;
  }
  State *cur = st_mgr_state(m);
  bool cur_empty = cur->nres == 0 && cur->noutputs == 0;
  if (!force && !cur_empty) {
    char *msg = NULL;
    if (strcmp(in->lineage, cur->lineage) != 0)
      msg = xasprintf("cannot import state with lineage \"%s\" over unrelated state with lineage \"%s\"", in->lineage,
                      cur->lineage);
    else if (in->serial < cur->serial)
      msg = xasprintf("cannot import state with serial %llu over newer state with serial %llu",
                      (unsigned long long)in->serial, (unsigned long long)cur->serial);
    else if (in->serial == cur->serial && !st_same_content(in, cur))
      msg = xasprintf("cannot overwrite existing state with serial %llu with a different state that has the same serial",
                      (unsigned long long)in->serial);
    if (msg) {
      fprintf(stderr, "Failed to write state: %s\n", msg);
      free(msg);
      rc = 1;
      goto out;
    }
  }
  /* the pushed state replaces the current one with its own lineage and serial */
  State *s = st_mgr_state(m);
  State tmp = *s;
  *s = *in;
  *in = tmp;
  if (!st_mgr_write_forced(m, &dl)) rc = 1;
out:
  if (m && !st_mgr_close(m, &dl)) rc = 1;
  print_diags(&dl, f.no_color);
  diag_free(&dl);
  st_free(in);
  free(pos);
  return rc;
}

/* ---- diff ---- */

static const char usage_diff[] =
    "Usage: tfc [global options] state diff [options] OLD NEW\n\n"
    "  Shows what changed between two states, the way a plan shows changes:\n"
    "  each resource instance created, updated, replaced or destroyed, with\n"
    "  sensitive values hidden. OLD and NEW are state files, or git revisions\n"
    "  of one written as git:REV:PATH (for example git:HEAD~1:terraform.tfstate).\n\n"
    "Options:\n\n"
    "  -markdown            A summary table and one <details> section per\n"
    "                       resource, for pull-request comments.\n\n"
    "  -detailed-exitcode   Exit 0 when the states match, 2 when they differ.\n";

typedef struct DiffFlags {
  bool markdown, detailed;
} DiffFlags;

static bool diff_extra(const char *arg, void *ctx) {
  DiffFlags *d = ctx;
  if (cli_flag(arg, "markdown")) d->markdown = true;
  else if (cli_flag(arg, "detailed-exitcode")) d->detailed = true;
  else return false;
  return true;
}

/* Reads a state from a file or from git ("git:REV:PATH"). An empty or
** missing file is an empty state, so a diff can show a first apply. */
static State *load_diff_side(const char *spec, DiagList *dl) {
  size_t len = 0;
  char *bytes = NULL;
  if (strncmp(spec, "git:", 4) == 0) {
    const char *rev = spec + 4;
    const char *colon = strchr(rev, ':');
    if (!colon) {
      diag_add(dl, DIAG_ERROR, NULL, "Invalid state source",
               "%s: a git source is written git:REV:PATH, for example git:HEAD~1:terraform.tfstate.", spec);
      return NULL;
    }
    /* quote REV:PATH for the shell: single quotes, each ' as '\'' */
    Buf cmd = BUF_INIT;
    buf_puts(&cmd, "git show '");
    for (const char *p = rev; *p; p++) {
      if (*p == '\'') buf_puts(&cmd, "'\\''");
      else buf_putc(&cmd, *p);
    }
    buf_puts(&cmd, "' 2>/dev/null");
    FILE *pf = popen(cmd.s, "r");
    buf_free(&cmd);
    if (pf) {
      bytes = read_stream(pf, &len);
      int st = pclose(pf);
      if (st != 0) {
        free(bytes);
        diag_add(dl, DIAG_ERROR, NULL, "Failed to read state from git",
                 "\"git show %s\" failed: the revision or the path does not exist in this repository.", rev);
        return NULL;
      }
    }
  } else {
    bytes = read_file(spec, &len);
    if (!bytes && errno != ENOENT) {
      diag_add(dl, DIAG_ERROR, NULL, "Failed to load state", "Cannot read %s: %s.", spec, strerror(errno));
      return NULL;
    }
    if (!bytes) {
      diag_add(dl, DIAG_ERROR, NULL, "Failed to load state", "Cannot read %s: no such file.", spec);
      return NULL;
    }
  }
  State *s;
  if (!bytes || len == 0) {
    s = st_new();
    free(s->lineage);
    s->lineage = xstrdup("");
  } else {
    s = st_parse(bytes, len, spec, dl);
  }
  free(bytes);
  return s;
}

static int state_diff(int argc, char **argv) {
  StateFlags f = default_flags();
  char **pos;
  int npos;
  DiffFlags df = {false, false};
  int rc = parse_args(argc, argv, &f, &pos, &npos, diff_extra, &df, usage_diff);
  DiagList dl = {0};
  State *a = NULL, *b = NULL;
  if (rc) goto out;
  if (npos != 2) {
    fprintf(stderr, "Exactly two arguments expected.\n\n%s", usage_diff);
    rc = 1;
    goto out;
  }
  a = load_diff_side(pos[0], &dl);
  b = load_diff_side(pos[1], &dl);
  if (!a || !b) {
    rc = 1;
    goto out;
  }
  Buf out = BUF_INIT;
  StDiffOpts o = {df.markdown, pos[0], pos[1]};
  size_t n = st_diff(&out, a, b, &o);
  fwrite(out.s, 1, out.len, stdout);
  buf_free(&out);
  if (df.detailed && n) rc = 2;
out:
  print_diags(&dl, f.no_color);
  diag_free(&dl);
  st_free(a);
  st_free(b);
  free(pos);
  return rc;
}

/* ---- dispatch ---- */

static const char usage_state[] =
    "Usage: tfc [global options] state <subcommand> [options] [args]\n\n"
    "  This command has subcommands for advanced state management.\n\n"
    "  These subcommands can be used to slice and dice the Terraform state.\n"
    "  This is sometimes necessary in advanced cases. For your safety, all\n"
    "  state management commands that modify the state create a timestamped\n"
    "  backup of the state prior to making modifications.\n\n"
    "Subcommands:\n"
    "    diff                Show a plan-like diff of two states\n"
    "    list                List resources in the state\n"
    "    mv                  Move an item in the state\n"
    "    pull                Pull current state and output to stdout\n"
    "    push                Update remote state from a local state file\n"
    "    rm                  Remove instances from the state\n"
    "    show                Show a resource in the state\n";

int cmd_state(int argc, char **argv) {
  static const struct {
    const char *name;
    int (*run)(int, char **);
  } subs[] = {{"list", state_list}, {"show", state_show}, {"rm", state_rm},     {"mv", state_mv},
              {"pull", state_pull}, {"push", state_push}, {"diff", state_diff}};
  if (argc < 2 || cli_flag(argv[1], "help") || cli_flag(argv[1], "h")) {
    fputs(usage_state, argc < 2 ? stderr : stdout);
    return argc < 2 ? 1 : 0;
  }
  for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
    if (strcmp(argv[1], subs[i].name) == 0) return subs[i].run(argc - 1, argv + 1);
  fprintf(stderr, "tfc state has no subcommand named \"%s\".\n\n%s", argv[1], usage_state);
  return 1;
}
