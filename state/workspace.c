/*
** state/workspace.c — workspaces of the local backend, laid out on disk as
** Terraform does: "default" is terraform.tfstate, any other workspace NAME
** is terraform.tfstate.d/NAME/terraform.tfstate, and the selection lives in
** .terraform/environment (TF_DATA_DIR moves .terraform; TF_WORKSPACE
** overrides the selection without changing it).
*/
#include "state/state.h"

#include "base/util.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define WS_DIR "terraform.tfstate.d"

static char *data_dir(void) {
  const char *d = getenv("TF_DATA_DIR");
  return xstrdup(d && *d ? d : ".terraform");
}

bool st_ws_overridden(void) {
  const char *w = getenv("TF_WORKSPACE");
  return w && *w;
}

char *st_ws_current(void) {
  if (st_ws_overridden()) return xstrdup(getenv("TF_WORKSPACE"));
  char *dd = data_dir();
  char *p = xasprintf("%s/environment", dd);
  free(dd);
  size_t len = 0;
  char *s = read_file(p, &len);
  free(p);
  if (!s) return xstrdup("default");
  /* the file holds just the name; tolerate a trailing newline */
  while (len && (s[len - 1] == '\n' || s[len - 1] == '\r' || s[len - 1] == ' ')) s[--len] = 0;
  if (!len) {
    free(s);
    return xstrdup("default");
  }
  return s;
}

char *st_ws_state_path(const char *name) {
  if (strcmp(name, "default") == 0) return xstrdup("terraform.tfstate");
  return xasprintf(WS_DIR "/%s/terraform.tfstate", name);
}

/* Terraform accepts a name that URL path escaping leaves unchanged. */
bool st_ws_valid_name(const char *name) {
  if (!*name) return false;
  for (const char *p = name; *p; p++) {
    char c = *p;
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-._~$&+,;=:@", c);
    if (!ok) return false;
  }
  return true;
}

bool st_ws_exists(const char *name) {
  if (strcmp(name, "default") == 0) return true;
  if (!st_ws_valid_name(name)) return false;
  char *p = xasprintf(WS_DIR "/%s", name);
  struct stat st;
  bool ok = stat(p, &st) == 0 && S_ISDIR(st.st_mode);
  free(p);
  return ok;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

char **st_ws_list(size_t *n) {
  char **v = NULL;
  size_t k = 0, cap = 0;
  VEC_PUSH(v, k, cap, xstrdup("default"));
  DIR *d = opendir(WS_DIR);
  if (d) {
    struct dirent *e;
    while ((e = readdir(d))) {
      if (e->d_name[0] == '.') continue;
      char *p = xasprintf(WS_DIR "/%s", e->d_name);
      struct stat st;
      if (stat(p, &st) == 0 && S_ISDIR(st.st_mode) && strcmp(e->d_name, "default") != 0)
        VEC_PUSH(v, k, cap, xstrdup(e->d_name));
      free(p);
    }
    closedir(d);
  }
  qsort(v + 1, k - 1, sizeof *v, cmp_str);
  *n = k;
  return v;
}

bool st_ws_select(const char *name, DiagList *dl) {
  char *dd = data_dir();
  if (mkdir(dd, 0755) != 0 && errno != EEXIST) {
    diag_add(dl, DIAG_ERROR, NULL, "Failed to select workspace", "Cannot create %s: %s.", dd, strerror(errno));
    free(dd);
    return false;
  }
  char *p = xasprintf("%s/environment", dd);
  free(dd);
  bool ok = st_write_atomic(p, name, strlen(name), dl);
  free(p);
  return ok;
}

bool st_ws_create(const char *name, DiagList *dl) {
  if ((mkdir(WS_DIR, 0755) != 0 && errno != EEXIST)) goto fail;
  char *p = xasprintf(WS_DIR "/%s", name);
  if (mkdir(p, 0755) != 0 && errno != EEXIST) {
    free(p);
    goto fail;
  }
  free(p);
  return true;
fail:
  diag_add(dl, DIAG_ERROR, NULL, "Failed to create workspace", "Cannot create %s/%s: %s.", WS_DIR, name,
           strerror(errno));
  return false;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb;
  (void)flag;
  (void)ftw;
  return remove(path);
}

bool st_ws_delete(const char *name, DiagList *dl) {
  char *p = xasprintf(WS_DIR "/%s", name);
  bool ok = nftw(p, rm_one, 16, FTW_DEPTH | FTW_PHYS) == 0;
  if (!ok)
    diag_add(dl, DIAG_ERROR, NULL, "Failed to delete workspace", "Cannot remove %s: %s.", p, strerror(errno));
  free(p);
  return ok;
}
