/*
** cli/fmt.c — `tfc fmt`: rewrite configuration files in the canonical style.
**
**   tfc fmt [-list=false] [-write=false] [-diff] [-check] [-recursive]
**           [-no-color] [PATH... | -]
**
** Behaviour, output and exit codes follow `terraform fmt`, so scripts and
** pre-commit hooks written for it work unchanged:
**   - no PATH means the current directory; a directory is scanned for .tf,
**     .tfvars, .tftest.hcl (and .tfmock.hcl, .tfquery.hcl) files, in name
**     order, skipping hidden and editor backup files; subdirectories only
**     with -recursive; JSON files are never touched;
**   - a file with a syntax error is left alone and its diagnostics are
**     printed (after the other files' output); the exit code is then 2;
**   - -list prints each changed file's name, -write rewrites it, -diff
**     prints a unified diff headed "--- old/FILE" / "+++ new/FILE";
**   - -check writes nothing and exits 3 when any file would change; what
**     -list/-diff would print is shown only when -list is on;
**   - "-" reads standard input and prints the formatted text (or the diff).
** Paths are printed relative to the current directory, as Terraform does.
*/
#include "cli/cli.h"
#include "cli/udiff.h"
#include "parser/ast.h"
#include "parser/fmt.h"
#include "base/buf.h"
#include "base/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const exts[] = {".tf", ".tfvars", ".tftest.hcl", ".tfmock.hcl", ".tfquery.hcl"};

typedef struct FmtRun {
  bool list, write, diff, check;
  bool recursive;
  Buf out;            /* -check: everything that would be printed */
  DiagList diags;
  char cwd[PATH_MAX];
} FmtRun;

static void help(FILE *to) {
  fputs("Usage: tfc [global options] fmt [options] [target...]\n"
        "\n"
        "  Rewrites configuration files (.tf), variable files (.tfvars) and test\n"
        "  files (.tftest.hcl) into the canonical layout and style that Terraform's\n"
        "  fmt produces. JSON files are left alone.\n"
        "\n"
        "  With no target, the files of the current directory are processed. A\n"
        "  directory target is scanned instead, a file target is processed on its\n"
        "  own, and \"-\" formats standard input onto standard output.\n"
        "\n"
        "Options:\n"
        "\n"
        "  -list=false    Do not print the names of files whose formatting changed\n"
        "                 (never printed for standard input)\n"
        "\n"
        "  -write=false   Do not rewrite the files\n"
        "                 (never written for standard input or with -check)\n"
        "\n"
        "  -diff          Print a unified diff of the changes\n"
        "\n"
        "  -check         Only check: exit with status 3 if any input is not in the\n"
        "                 canonical format, 0 if all of it is\n"
        "\n"
        "  -no-color      Print diagnostics without colour\n"
        "\n"
        "  -recursive     Also process the files in subdirectories\n",
        to);
}

/* Bool values as Go's strconv.ParseBool takes them, since Terraform's flags
** are Go flags. */
static int parse_bool(const char *v) {
  static const char *const yes[] = {"1", "t", "T", "true", "TRUE", "True"};
  static const char *const no[] = {"0", "f", "F", "false", "FALSE", "False"};
  for (size_t i = 0; i < 6; i++) {
    if (strcmp(v, yes[i]) == 0) return 1;
    if (strcmp(v, no[i]) == 0) return 0;
  }
  return -1;
}

/* Writes text the way Terraform's UI writer does: the text, and a newline
** if it did not end with one. */
static void ui_write(const char *s, size_t n) {
  fwrite(s, 1, n, stdout);
  if (n == 0 || s[n - 1] != '\n') fputc('\n', stdout);
}

static void emit(FmtRun *r, const char *s, size_t n) {
  if (r->check) buf_add(&r->out, s, n);
  else ui_write(s, n);
}

static bool has_ext(const char *name) {
  size_t n = strlen(name);
  for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
    size_t e = strlen(exts[i]);
    if (n >= e && strcmp(name + n - e, exts[i]) == 0) return true;
  }
  return false;
}

/* Editor and hidden files a directory scan passes over, like Terraform's
** configuration loader: .x, x~, #x#. */
static bool ignored(const char *name) {
  size_t n = strlen(name);
  return name[0] == '.' || (n && name[n - 1] == '~') || (n > 1 && name[0] == '#' && name[n - 1] == '#');
}

/* Splits an absolute path into its cleaned segments (Go's filepath.Clean:
** "." dropped, ".." removes the segment before it, never above the root).
** Segments point into p, which is modified. */
static size_t segments(char *p, char **seg, size_t max) {
  size_t n = 0;
  for (char *tok = strtok(p, "/"); tok; tok = strtok(NULL, "/")) {
    if (strcmp(tok, ".") == 0) continue;
    if (strcmp(tok, "..") == 0) {
      if (n) n--;
      continue;
    }
    if (n < max) seg[n++] = tok;
  }
  return n;
}

/* The path as Terraform shows it: relative to the working directory
** (filepath.Rel of the cleaned absolute path), "../x" included. */
static char *display_path(const FmtRun *r, const char *given) {
  enum { MAXSEG = 512 };
  char abs[PATH_MAX * 2], cwd[PATH_MAX];
  char *as[MAXSEG], *cs[MAXSEG];
  if (given[0] == '/' || !r->cwd[0]) snprintf(abs, sizeof abs, "%s", given);
  else snprintf(abs, sizeof abs, "%s/%s", r->cwd, given);
  snprintf(cwd, sizeof cwd, "%s", r->cwd);
  size_t na = segments(abs, as, MAXSEG), nc = segments(cwd, cs, MAXSEG);
  Buf b = BUF_INIT;
  size_t common = 0;
  if (!r->cwd[0]) {
    /* no working directory to be relative to: the cleaned absolute path */
    for (size_t k = 0; k < na; k++) buf_printf(&b, "/%s", as[k]);
    if (!b.len) buf_putc(&b, '/');
    return buf_take(&b);
  }
  while (common < na && common < nc && strcmp(as[common], cs[common]) == 0) common++;
  for (size_t k = common; k < nc; k++) buf_puts(&b, b.len ? "/.." : "..");
  for (size_t k = common; k < na; k++) {
    if (b.len) buf_putc(&b, '/');
    buf_puts(&b, as[k]);
  }
  if (b.len == 0) buf_putc(&b, '.');
  return buf_take(&b);
}

/* Replaces path's contents: a temporary file next to the real one (symlinks
** followed), with the same permissions, renamed over it, so an interrupted
** run leaves either the old or the new file, never half of one. */
static bool write_file(const char *path, const char *data, size_t n) {
  char real[PATH_MAX];
  if (!realpath(path, real)) return false;
  struct stat st;
  if (stat(real, &st) != 0) return false;
  char *tmp = xasprintf("%s.tfc-fmt-XXXXXX", real);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    /* a directory we may not create files in, holding a file we may
    ** write: rewrite it in place, as Terraform always does */
    free(tmp);
    fd = open(real, O_WRONLY | O_TRUNC);
    if (fd < 0) return false;
    bool ok = true;
    for (size_t done = 0; ok && done < n;) {
      ssize_t w = write(fd, data + done, n - done);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) ok = false;
      else done += (size_t)w;
    }
    return close(fd) == 0 && ok;
  }
  bool ok = fchmod(fd, st.st_mode & 07777) == 0;
  for (size_t done = 0; ok && done < n;) {
    ssize_t w = write(fd, data + done, n - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) ok = false;
    else done += (size_t)w;
  }
  if (ok && fsync(fd) != 0) ok = false;
  if (close(fd) != 0) ok = false;
  if (ok && rename(tmp, real) != 0) ok = false;
  if (!ok) unlink(tmp);
  free(tmp);
  return ok;
}

static void error_msg(FmtRun *r, const char *fmt, const char *arg) {
  char *s = xasprintf(fmt, arg);
  diag_add(&r->diags, DIAG_ERROR, NULL, s, NULL);
  free(s);
}

/* Formats one file's bytes (taking ownership of them). name is the path as
** shown to the user; disk is where to write, NULL for standard input. */
static void process(FmtRun *r, const char *name, const char *disk, char *bytes, size_t len) {
  uint32_t id = src_add(name, bytes, len);
  size_t ndiags = r->diags.n;
  DiagList fd = {0};
  HclFile *f = hcl_parse(id, &fd);
  if (diag_has_errors(&fd)) {
    /* a formatter let loose on a broken file could make changes that are
    ** hard to undo: report and leave it */
    diag_move(&r->diags, &fd);
    hcl_file_free(f);
    return;
  }
  /* warnings only; the parser gives none today */
  diag_move(&r->diags, &fd);
  size_t olen;
  char *out = hcl_format(bytes, len, f, &olen);
  hcl_file_free(f);
  bool changed = olen != len || memcmp(out, bytes, len) != 0;
  if (changed) {
    if (r->list) {
      Buf b = BUF_INIT;
      buf_printf(&b, "%s\n", name);
      emit(r, b.s, b.len);
      buf_free(&b);
    }
    if (r->write && disk && !write_file(disk, out, olen))
      error_msg(r, "Failed to write %s", name);
    if (r->diff) {
      Buf d = BUF_INIT;
      char *ol = xasprintf("old/%s", name), *nl = xasprintf("new/%s", name);
      udiff(&d, bytes, len, out, olen, ol, nl);
      free(ol);
      free(nl);
      emit(r, d.s ? d.s : "", d.len);
      buf_free(&d);
    }
  }
  if (!r->list && !r->write && !r->diff) emit(r, out, olen);
  free(out);
  if (r->diags.n == ndiags) src_forget(id);   /* no diagnostic points into it */
}

static void process_path_file(FmtRun *r, const char *path) {
  size_t len;
  char *bytes = read_file(path, &len);
  char *name = display_path(r, path);
  if (!bytes) error_msg(r, "Failed to read file %s", name);
  else process(r, name, path, bytes, len);
  free(name);
}

static int name_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void process_dir(FmtRun *r, const char *dir) {
  DIR *d = opendir(dir);
  if (!d) {
    char *name = display_path(r, dir);
    error_msg(r, errno == ENOENT ? "There is no configuration directory at %s" : "Cannot read directory %s", name);
    free(name);
    return;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (ignored(e->d_name)) continue;
    VEC_PUSH(names, n, cap, xstrdup(e->d_name));
  }
  closedir(d);
  if (n) qsort(names, n, sizeof *names, name_cmp);
  for (size_t i = 0; i < n; i++) {
    char *sub = strcmp(dir, ".") == 0 ? xstrdup(names[i]) : xasprintf("%s/%s", dir, names[i]);
    struct stat st;
    /* like Go's ReadDir, a symlink to a directory is not a directory */
    if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode)) {
      if (r->recursive) process_dir(r, sub);
    } else if (has_ext(names[i])) {
      process_path_file(r, sub);
    }
    free(sub);
    free(names[i]);
  }
  free(names);
}

int cmd_fmt(int argc, char **argv) {
  /* Each file's parse arena is freed before the next is read; without this
  ** glibc hands the memory back to the kernel every time and takes it again,
  ** which costs more than formatting (a page fault per page per file). */
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  mallopt(M_TOP_PAD, 4 << 20);
  FmtRun r;
  memset(&r, 0, sizeof r);
  r.list = r.write = true;
  bool no_color = false;
  if (!getcwd(r.cwd, sizeof r.cwd)) r.cwd[0] = 0;

  /* -no-color is taken out wherever it stands, before flag parsing */
  int nargs = 0;
  char **args = xmalloc((size_t)(argc + 1) * sizeof *args);
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-no-color") == 0) no_color = true;
    else args[nargs++] = argv[i];
  }

  /* Go flag parsing: flags first; the first non-flag ends them */
  int i = 0;
  for (; i < nargs; i++) {
    const char *a = args[i];
    if (a[0] != '-' || a[1] == 0) break;
    if (strcmp(a, "--") == 0) {
      i++;
      break;
    }
    const char *name = a + 1 + (a[1] == '-');
    const char *eq = strchr(name, '=');
    size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
    bool *target = NULL;
    if (nlen == 4 && strncmp(name, "list", 4) == 0) target = &r.list;
    else if (nlen == 5 && strncmp(name, "write", 5) == 0) target = &r.write;
    else if (nlen == 4 && strncmp(name, "diff", 4) == 0) target = &r.diff;
    else if (nlen == 5 && strncmp(name, "check", 5) == 0) target = &r.check;
    else if (nlen == 9 && strncmp(name, "recursive", 9) == 0) target = &r.recursive;
    else if ((nlen == 1 && name[0] == 'h') || (nlen == 4 && strncmp(name, "help", 4) == 0)) {
      help(stdout);
      free(args);
      return 0;
    }
    if (!target) {
      help(stderr);
      if (nlen == 0 || name[0] == '-' || name[0] == '=')
        fprintf(stderr, "Error parsing command-line flags: bad flag syntax: %s\n\n", a);
      else
        fprintf(stderr, "Error parsing command-line flags: flag provided but not defined: -%.*s\n\n", (int)nlen, name);
      free(args);
      return 1;
    }
    int v = eq ? parse_bool(eq + 1) : 1;
    if (v < 0) {
      help(stderr);
      fprintf(stderr, "Error parsing command-line flags: invalid boolean value \"%s\" for -%.*s: parse error\n\n",
              eq + 1, (int)nlen, name);
      free(args);
      return 1;
    }
    *target = v;
  }

  bool use_stdin = i < nargs && strcmp(args[i], "-") == 0;
  if (use_stdin) r.list = r.write = false;
  bool list_shown = r.list;
  if (r.check) {
    r.list = true;   /* the list tells whether anything would change */
    r.write = false;
  }

  if (use_stdin) {
    size_t len;
    char *bytes = read_file("/dev/stdin", &len);
    if (!bytes) error_msg(&r, "Failed to read %s", "<stdin>");
    else process(&r, "<stdin>", NULL, bytes, len);
  } else {
    int first = i;
    for (int k = first; k < nargs || (k == first && first == nargs); k++) {
      const char *path = k < nargs ? args[k] : ".";
      struct stat st;
      if (stat(path, &st) != 0) {
        char *name = display_path(&r, path);
        error_msg(&r, "No file or directory at %s", name);
        free(name);
        break;
      }
      if (S_ISDIR(st.st_mode)) {
        process_dir(&r, path);
      } else if (has_ext(path)) {
        process_path_file(&r, path);
      } else {
        diag_add(&r.diags, DIAG_ERROR, NULL,
                 "Only .tf, .tfvars, and .tftest.hcl files can be processed with tfc fmt", NULL);
      }
      if (k >= nargs) break;
    }
  }
  fflush(stdout);

  int rc = 0;
  diag_print_all(&r.diags, stdout, stderr, diag_color_enabled(stderr, no_color));
  if (diag_has_errors(&r.diags)) {
    rc = 2;
  } else if (r.check) {
    if (list_shown && r.out.len) ui_write(r.out.s, r.out.len);
    rc = r.out.len ? 3 : 0;
  }
  buf_free(&r.out);
  diag_free(&r.diags);
  free(args);
  src_reset();
  return rc;
}
