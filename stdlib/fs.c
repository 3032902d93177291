/*
** stdlib/fs.c — filesystem functions: file, fileexists, fileset,
** filebase64, templatefile, templatestring, abspath, dirname, basename,
** pathexpand.
**
** Relative paths resolve against the module directory (FnCtx.base_dir),
** except abspath, which Terraform resolves against the working directory.
** Path manipulation follows Go's path/filepath (Clean, Dir, Base) so the
** results are byte-for-byte Terraform's.
*/
#include "stdlib/fn.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

#include "base/buf.h"
#include "base/util.h"

bool fn_utf8_valid(const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned char ch = (unsigned char)s[i];
    size_t k;
    uint32_t cp;
    if (ch < 0x80) { i++; continue; }
    else if ((ch & 0xE0) == 0xC0) { k = 1; cp = ch & 0x1F; }
    else if ((ch & 0xF0) == 0xE0) { k = 2; cp = ch & 0x0F; }
    else if ((ch & 0xF8) == 0xF0) { k = 3; cp = ch & 0x07; }
    else return false;
    for (size_t j = 1; j <= k; j++) {
      if (i + j >= n || ((unsigned char)s[i + j] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | ((unsigned char)s[i + j] & 0x3F);
    }
    if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += k + 1;
  }
  return true;
}

/* Go's filepath.Clean, lexically. */
static char *path_clean(const char *p) {
  size_t n = strlen(p);
  if (n == 0) return xstrdup(".");
  bool rooted = p[0] == '/';
  char **segs = xmalloc((n + 1) * sizeof *segs);
  size_t ns = 0;
  char *copy = xstrdup(p);
  for (char *save = NULL, *tok = strtok_r(copy, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
    if (!strcmp(tok, ".")) continue;
    if (!strcmp(tok, "..")) {
      if (ns > 0 && strcmp(segs[ns - 1], "..") != 0) ns--;
      else if (!rooted) segs[ns++] = tok;
      continue;
    }
    segs[ns++] = tok;
  }
  Buf b = BUF_INIT;
  buf_add(&b, "", 0);
  if (rooted) buf_putc(&b, '/');
  for (size_t i = 0; i < ns; i++) {
    if (i) buf_putc(&b, '/');
    buf_puts(&b, segs[i]);
  }
  if (b.len == 0) buf_putc(&b, '.');
  free(segs);
  free(copy);
  return buf_take(&b);
}

char *fn_resolve_path(FnCall *c, const char *path) {
  if (path[0] == '/' || !c->ctx->base_dir || !*c->ctx->base_dir) return xstrdup(path);
  return xasprintf("%s/%s", c->ctx->base_dir, path);
}

char *fn_read_file(FnCall *c, const char *path, size_t *len) {
  char *full = fn_resolve_path(c, path);
  struct stat st;
  char *data = NULL;
  if (stat(full, &st) != 0) {
    if (errno == ENOENT)
      fn_arg_error(c, 0,
                   "no file exists at %s; this function works only with files that are distributed as part "
                   "of the configuration source code, so if this file will be created by a resource in this "
                   "configuration you must instead obtain this result from an attribute of that resource",
                   fn_show(c, 0, path));
    else fn_arg_error(c, 0, "failed to read file: %s", strerror(errno));
  } else if (S_ISDIR(st.st_mode)) {
    fn_arg_error(c, 0, "failed to read file: read %s: is a directory", fn_show(c, 0, full));
  } else if (!(data = read_file(full, len))) {
    fn_arg_error(c, 0, "failed to read file: %s", strerror(errno));
  }
  free(full);
  return data;
}

static Value *f_file(FnCall *c) {
  size_t n;
  const char *path = val_str(c->args[0]);
  char *d = fn_read_file(c, path, &n);
  if (!d) return NULL;
  if (!fn_utf8_valid(d, n)) {
    free(d);
    return fn_arg_error(c, 0,
                        "contents of %s are not valid UTF-8; use the filebase64 function to obtain the Base64 "
                        "encoded contents or the other file functions (e.g. filemd5, filesha256) to obtain file "
                        "hashing results instead",
                        fn_show(c, 0, path));
  }
  Value *r = val_string(d, n);
  free(d);
  return r;
}

static Value *f_filebase64(FnCall *c) {
  size_t n;
  char *d = fn_read_file(c, val_str(c->args[0]), &n);
  if (!d) return NULL;
  char *b = fn_base64((const unsigned char *)d, n);
  free(d);
  Value *r = val_cstring(b);
  free(b);
  return r;
}

static Value *f_fileexists(FnCall *c) {
  char *full = fn_resolve_path(c, val_str(c->args[0]));
  struct stat st;
  Value *r;
  if (stat(full, &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) r = val_bool(false);
    else r = fn_error(c, "failed to stat %s", fn_show(c, 0, val_str(c->args[0])));
  } else if (!S_ISREG(st.st_mode)) {
    r = fn_error(c, "%s is not a regular file, but \"%s\"", fn_show(c, 0, val_str(c->args[0])),
                 S_ISDIR(st.st_mode) ? "drwxr-xr-x" : "irregular");
  } else {
    r = val_bool(true);
  }
  free(full);
  return r;
}

/* ------------------------------------------------------------ fileset */

/* Expands the first {a,b} group of pat into alternatives, recursively. */
static void brace_expand(const char *pat, char ***out, size_t *n, size_t *cap) {
  const char *open = strchr(pat, '{');
  const char *close = NULL;
  if (open) {
    int depth = 0;
    for (const char *p = open; *p; p++) {
      if (*p == '{') depth++;
      else if (*p == '}' && --depth == 0) { close = p; break; }
    }
  }
  if (!open || !close) {
    VEC_PUSH(*out, *n, *cap, xstrdup(pat));
    return;
  }
  const char *p = open + 1;
  int depth = 0;
  for (const char *q = p;; q++) {
    if (*q == '{') depth++;
    else if (*q == '}' && depth) depth--;
    else if ((*q == ',' && depth == 0) || q == close) {
      char *alt = xasprintf("%.*s%.*s%s", (int)(open - pat), pat, (int)(q - p), p, close + 1);
      brace_expand(alt, out, n, cap);
      free(alt);
      p = q + 1;
      if (q == close) break;
    }
  }
}

/* Matches path segments against pattern segments; "**" matches any number
** of whole segments. */
static bool seg_match(char **ps, size_t np, char **fs, size_t nf) {
  if (np == 0) return nf == 0;
  if (!strcmp(ps[0], "**")) {
    for (size_t k = 0; k <= nf; k++)
      if (seg_match(ps + 1, np - 1, fs + k, nf - k)) return true;
    return false;
  }
  if (nf == 0) return false;
  if (fnmatch(ps[0], fs[0], 0) != 0) return false;
  return seg_match(ps + 1, np - 1, fs + 1, nf - 1);
}

static size_t split_segs(char *s, char ***out) {
  size_t n = 0, cap = 0;
  *out = NULL;
  for (char *save = NULL, *t = strtok_r(s, "/", &save); t; t = strtok_r(NULL, "/", &save))
    if (strcmp(t, ".") != 0) VEC_PUSH(*out, n, cap, t);
  return n;
}

typedef struct Walk {
  char **pats;   /* brace-expanded patterns */
  size_t npats;
  char **found;
  size_t nfound, cap;
} Walk;

static void walk_dir(Walk *w, const char *dir, const char *rel, int depth) {
  if (depth > 64) return;
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char *full = xasprintf("%s/%s", dir, e->d_name);
    char *r = *rel ? xasprintf("%s/%s", rel, e->d_name) : xstrdup(e->d_name);
    struct stat st;
    if (stat(full, &st) == 0) {
      if (S_ISDIR(st.st_mode)) {
        walk_dir(w, full, r, depth + 1);
      } else if (S_ISREG(st.st_mode)) {
        for (size_t i = 0; i < w->npats; i++) {
          char *pc = xstrdup(w->pats[i]), *rc = xstrdup(r);
          char **ps, **fs;
          size_t np = split_segs(pc, &ps), nf = split_segs(rc, &fs);
          bool m = seg_match(ps, np, fs, nf);
          free(ps);
          free(fs);
          free(pc);
          free(rc);
          if (m) {
            VEC_PUSH(w->found, w->nfound, w->cap, xstrdup(r));
            break;
          }
        }
      }
    }
    free(full);
    free(r);
  }
  closedir(d);
}

static bool pattern_ok(const char *p) {
  for (; *p; p++) {
    if (*p == '\\' && p[1]) p++;
    else if (*p == '[') {
      const char *q = strchr(p + 1, ']');
      if (!q) return false;
      p = q;
    }
  }
  return true;
}

static Value *f_fileset(FnCall *c) {
  const char *pat = val_str(c->args[1]);
  if (!pattern_ok(pat)) {
    char *full = xasprintf("%s/%s", val_str(c->args[0]), pat);
    fn_arg_error(c, 1, "failed to glob pattern (%s): syntax error in pattern", full);
    free(full);
    return NULL;
  }
  Walk w = {0};
  size_t cap = 0;
  brace_expand(pat, &w.pats, &w.npats, &cap);
  char *root = fn_resolve_path(c, val_str(c->args[0]));
  walk_dir(&w, root, "", 0);
  free(root);
  for (size_t i = 0; i < w.npats; i++) free(w.pats[i]);
  free(w.pats);
  Value **vs = xmalloc((w.nfound ? w.nfound : 1) * sizeof *vs);
  for (size_t i = 0; i < w.nfound; i++) {
    vs[i] = val_cstring(w.found[i]);
    free(w.found[i]);
  }
  free(w.found);
  Value *r = val_set(T_STRING, vs, w.nfound);
  for (size_t i = 0; i < w.nfound; i++) val_free(vs[i]);
  free(vs);
  return r;
}

/* ------------------------------------------------------------ templates */

/* HCL's identifier rule for template variable names: a letter or
** underscore, then letters, digits, underscores and dashes. */
static bool valid_identifier(const char *s) {
  size_t n = strlen(s), i = 0;
  bool first = true;
  while (i < n) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
    if (k <= 0) return false;
    utf8proc_category_t cat = utf8proc_category(cp);
    bool letter = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
    bool digit = cat == UTF8PROC_CATEGORY_ND;
    bool mark = cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC;
    if (first ? !(letter || cp == '_') : !(letter || digit || mark || cp == '_' || cp == '-')) return false;
    first = false;
    i += (size_t)k;
  }
  return !first;
}

static bool vars_ok(FnCall *c, size_t i) {
  const Value *v = c->args[i];
  if (val_is_null(v) || val_kind(v) == TY_DYNAMIC) return true;
  if (val_kind(v) != TY_MAP && val_kind(v) != TY_OBJECT) {
    fn_arg_error(c, i, "invalid vars value: must be a map");
    return false;
  }
  if (!val_is_known(v)) return true;
  ValIter it = val_iter(v);
  while (val_iter_next(&it))
    if (!valid_identifier(it.key)) {
      fn_arg_error(c, i,
                   "invalid template variable name \"%s\": must start with a letter, followed by zero or more "
                   "letters, digits, and underscores",
                   it.key);
      return false;
    }
  return true;
}

static Value *f_templatefile(FnCall *c) {
  if (!val_is_known(c->args[0])) return val_unknown(T_DYNAMIC);
  /* the file is still read (and its errors reported) when vars are unknown */
  size_t n;
  const char *path = val_str(c->args[0]);
  char *src = fn_read_file(c, path, &n);
  if (!src) return NULL;
  if (!fn_utf8_valid(src, n)) {
    free(src);
    return fn_arg_error(c, 0, "contents of %s are not valid UTF-8", fn_show(c, 0, path));
  }
  if (!vars_ok(c, 1)) {
    free(src);
    return NULL;
  }
  if (!val_is_known(c->args[1])) {
    free(src);
    return val_unknown(T_DYNAMIC);
  }
  if (!c->ctx->render_template) {
    free(src);
    return fn_error(c, "templates cannot be rendered in this context");
  }
  char *full = fn_resolve_path(c, path);
  Value *r = c->ctx->render_template(c->ctx->ev, full, src, n, c->args[1], c->call_range, c->diags);
  free(full);
  free(src);
  if (!r) c->failed = true;
  return r;
}

static Value *f_templatestring(FnCall *c) {
  if (!val_is_known(c->args[0])) return val_unknown(T_DYNAMIC);
  if (!vars_ok(c, 1)) return NULL;
  if (!val_is_known(c->args[1])) return val_unknown(T_DYNAMIC);
  if (!c->ctx->render_template) return fn_error(c, "templates cannot be rendered in this context");
  Value *r = c->ctx->render_template(c->ctx->ev, "<templatestring>", val_str(c->args[0]), val_str_len(c->args[0]),
                                     c->args[1], c->call_range, c->diags);
  if (!r) c->failed = true;
  return r;
}

/* ------------------------------------------------------------ paths */

static Value *take_str(char *s) {
  Value *r = val_cstring(s);
  free(s);
  return r;
}

static Value *f_abspath(FnCall *c) {
  const char *p = val_str(c->args[0]);
  if (p[0] == '/') return take_str(path_clean(p));
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd)) return fn_error(c, "cannot determine the working directory");
  char *j = xasprintf("%s/%s", cwd, p);
  Value *r = take_str(path_clean(j));
  free(j);
  return r;
}

/* Go's filepath.Dir: everything up to the last separator, cleaned. */
static Value *f_dirname(FnCall *c) {
  const char *p = val_str(c->args[0]);
  const char *slash = strrchr(p, '/');
  char *dir = slash ? xstrndup(p, (size_t)(slash - p + 1)) : xstrdup("");
  Value *r = take_str(path_clean(dir));
  free(dir);
  return r;
}

/* Go's filepath.Base: the last element after trailing slashes are removed. */
static Value *f_basename(FnCall *c) {
  const char *p = val_str(c->args[0]);
  size_t n = strlen(p);
  if (n == 0) return val_cstring(".");
  while (n > 0 && p[n - 1] == '/') n--;
  if (n == 0) return val_cstring("/");
  size_t s = n;
  while (s > 0 && p[s - 1] != '/') s--;
  return val_string(p + s, n - s);
}

static Value *f_pathexpand(FnCall *c) {
  const char *p = val_str(c->args[0]);
  if (p[0] != '~') return val_ref(c->args[0]);
  if (p[1] && p[1] != '/') return fn_error(c, "cannot expand user-specific home dir");
  const char *home = getenv("HOME");
  if (!home || !*home) return fn_error(c, "HOME environment variable is not set");
  return take_str(xasprintf("%s%s", home, p + 1));
}

const FnDef fn_defs_fs[] = {
    {"file", {{"path", FT_STRING, 0}}, 1, {0}, FT_STRING, NULL, f_file},
    {"fileexists", {{"path", FT_STRING, 0}}, 1, {0}, FT_BOOL, NULL, f_fileexists},
    {"fileset", {{"path", FT_STRING, 0}, {"pattern", FT_STRING, 0}}, 2, {0}, FT_SET_STRING, NULL, f_fileset},
    {"filebase64", {{"path", FT_STRING, 0}}, 1, {0}, FT_STRING, NULL, f_filebase64},
    {"templatefile", {{"path", FT_STRING, FP_UNKNOWN}, {"vars", FT_ANY, FP_NULL | FP_UNKNOWN}}, 2, {0}, FT_ANY,
     NULL, f_templatefile},
    {"templatestring", {{"template", FT_STRING, FP_UNKNOWN}, {"vars", FT_ANY, FP_NULL | FP_UNKNOWN}}, 2, {0},
     FT_ANY, NULL, f_templatestring},
    {"abspath", {{"path", FT_STRING, 0}}, 1, {0}, FT_STRING, NULL, f_abspath},
    {"dirname", {{"path", FT_STRING, 0}}, 1, {0}, FT_STRING, NULL, f_dirname},
    {"basename", {{"path", FT_STRING, 0}}, 1, {0}, FT_STRING, NULL, f_basename},
    {"pathexpand", {{"path", FT_STRING, 0}}, 1, {0}, FT_STRING, NULL, f_pathexpand},
    {NULL, {{0}}, 0, {0}, FT_ANY, NULL, NULL},
};
