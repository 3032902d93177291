/*
** state/lock.c — the state lock and durable file writes.
**
** The lock is an advisory flock on `.NAME.lock.info`, the file that also
** carries Terraform's lock metadata (ID, Operation, Who, ...) for the loser
** to show. The kernel drops a flock when its holder dies, so a crashed tfc
** never leaves a lock behind; a stale .lock.info without a holder is simply
** taken over. Unlocking deletes the file while still holding the lock, and a
** locker checks that the file it locked is still the one at the path, so a
** delete racing a new locker can never give two holders.
*/
#include "state/lock.h"

#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char *dot_sibling(const char *state_path, const char *suffix) {
  char *d = xstrdup(state_path), *b = xstrdup(state_path);
  const char *dir = dirname(d);
  const char *base = basename(b);
  if (base[0] == '.') base++;
  char *p = xasprintf("%s/.%s%s", dir, base, suffix);
  free(d);
  free(b);
  return p;
}

char *st_lock_info_path(const char *state_path) { return dot_sibling(state_path, ".lock.info"); }
char *st_journal_path(const char *state_path) { return dot_sibling(state_path, ".journal"); }

static bool fsync_dir_of(const char *path) {
  char *d = xstrdup(path);
  int fd = open(dirname(d), O_RDONLY | O_DIRECTORY);
  free(d);
  if (fd < 0) return false;
  bool ok = fsync(fd) == 0 || errno == EINVAL;
  close(fd);
  return ok;
}

bool st_fsync_dir(const char *path) { return fsync_dir_of(path); }

bool st_write_atomic(const char *path, const char *bytes, size_t len, DiagList *dl) {
  char *d = xstrdup(path), *b = xstrdup(path);
  static unsigned long counter;
  unsigned long k = __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED);
  char *tmp = xasprintf("%s/.%s.tmp-%ld-%lu", dirname(d), basename(b), (long)getpid(), k);
  free(d);
  free(b);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) goto fail;
  size_t off = 0;
  while (off < len) {
    ssize_t w = write(fd, bytes + off, len - off);
    if (w < 0) {
      if (errno == EINTR) continue;
      close(fd);
      goto fail;
    }
    off += (size_t)w;
  }
  if (fsync(fd) != 0) {
    close(fd);
    goto fail;
  }
  if (close(fd) != 0) goto fail;
  if (rename(tmp, path) != 0) goto fail;
  if (!fsync_dir_of(path)) goto fail_nounlink;
  free(tmp);
  return true;
fail:;
  int e = errno;
  unlink(tmp);
  errno = e;
fail_nounlink:
  diag_add(dl, DIAG_ERROR, NULL, "Failed to save state", "Error saving state to %s: %s.", path, strerror(errno));
  free(tmp);
  return false;
}

/* ---- lock ---- */

struct StLock {
  int fd;
  char *info_path;
};

static char *who(void) {
  char host[256] = "localhost";
  gethostname(host, sizeof host - 1);
  host[sizeof host - 1] = 0;
  const char *user = getenv("USER");
  struct passwd *pw = user ? NULL : getpwuid(getuid());
  if (!user) user = pw ? pw->pw_name : "unknown";
  return xasprintf("%s@%s", user, host);
}

/* Lock metadata exactly as Terraform's LockInfo marshals it (compact JSON,
** Go field names). */
static char *lock_info_json(const char *id, const char *op, const char *path) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  struct tm tm;
  gmtime_r(&ts.tv_sec, &tm);
  char frac[16];
  snprintf(frac, sizeof frac, "%09ld", ts.tv_nsec);
  /* RFC 3339 with nanoseconds, trailing zeros dropped (Go's RFC3339Nano) */
  size_t fl = strlen(frac);
  while (fl > 0 && frac[fl - 1] == '0') frac[--fl] = 0;
  char created[64];
  snprintf(created, sizeof created, "%04d-%02d-%02dT%02d:%02d:%02d%s%sZ", tm.tm_year + 1900, tm.tm_mon + 1,
           tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, fl ? "." : "", frac);
  char *w = who();
  Buf b = BUF_INIT;
  buf_puts(&b, "{\"ID\":");
  st_json_string(&b, id, strlen(id));
  buf_puts(&b, ",\"Operation\":");
  st_json_string(&b, op, strlen(op));
  buf_puts(&b, ",\"Info\":\"\",\"Who\":");
  st_json_string(&b, w, strlen(w));
  buf_puts(&b, ",\"Version\":\"" ST_WRITER_VERSION "\",\"Created\":");
  st_json_string(&b, created, strlen(created));
  buf_puts(&b, ",\"Path\":");
  st_json_string(&b, path, strlen(path));
  buf_putc(&b, '}');
  free(w);
  return buf_take(&b);
}

/* Reads the holder's metadata for the error message. */
static void describe_holder(Buf *b, const char *info_path) {
  size_t len = 0;
  char *bytes = read_file(info_path, &len);
  cJSON *j = bytes ? cJSON_ParseWithLength(bytes, len) : NULL;
  free(bytes);
  const char *f[7] = {"ID", "Path", "Operation", "Who", "Version", "Created", "Info"};
  buf_puts(b, "Lock Info:\n");
  for (int i = 0; i < 7; i++) {
    cJSON *v = cJSON_GetObjectItemCaseSensitive(j, f[i]);
    char label[16];
    snprintf(label, sizeof label, "%s:", f[i]);
    const char *val = cJSON_IsString(v) ? v->valuestring : "";
    size_t vl = strlen(val);
    if (i == 5 && vl > 20 && val[10] == 'T' && val[vl - 1] == 'Z') {
      /* Go prints the time as "2006-01-02 15:04:05.999 +0000 UTC" */
      buf_printf(b, "  %-10s %.10s %.*s +0000 UTC\n", label, val, (int)(vl - 12), val + 11);
      continue;
    }
    buf_printf(b, "  %-10s %s\n", label, val);
  }
  cJSON_Delete(j);
}

/* One attempt. Returns 1 locked, 0 busy, -1 error (errno set). */
static int try_lock(const char *info_path, int *out_fd) {
  for (;;) {
    int fd = open(info_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return -1;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      int e = errno;
      close(fd);
      if (e == EWOULDBLOCK || e == EAGAIN) return 0;
      errno = e;
      return -1;
    }
    /* the holder we waited for may have unlinked the file just before we
    ** locked it; then our lock is on an orphan inode and we start over */
    struct stat a, b;
    if (fstat(fd, &a) == 0 && stat(info_path, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev) {
      *out_fd = fd;
      return 1;
    }
    close(fd);
  }
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

StLock *st_lock_acquire(const char *state_path, const char *operation, double timeout, bool quiet,
                        DiagList *dl) {
  char *info_path = st_lock_info_path(state_path);
  double start = now_s(), delay = 0.05;
  bool told = false;
  int fd = -1;
  for (;;) {
    int r = try_lock(info_path, &fd);
    if (r == 1) break;
    if (r < 0) {
      diag_add(dl, DIAG_ERROR, NULL, "Error acquiring the state lock",
               "Error message: %s\n\nTerraform acquires a state lock to protect the state from being written\n"
               "by multiple users at the same time. Please resolve the issue above and try\n"
               "again. For most commands, you can disable locking with the \"-lock=false\"\n"
               "flag, but this is not recommended.",
               strerror(errno));
      free(info_path);
      return NULL;
    }
    double elapsed = now_s() - start;
    if (elapsed >= timeout) {
      Buf b = BUF_INIT;
      describe_holder(&b, info_path);
      diag_add(dl, DIAG_ERROR, NULL, "Error acquiring the state lock",
               "Error message: resource temporarily unavailable\n%s\n"
               "Terraform acquires a state lock to protect the state from being written\n"
               "by multiple users at the same time. Please resolve the issue above and try\n"
               "again. For most commands, you can disable locking with the \"-lock=false\"\n"
               "flag, but this is not recommended.",
               b.s);
      buf_free(&b);
      free(info_path);
      return NULL;
    }
    if (!told && !quiet && elapsed + delay > 0.4) {
      fputs("Acquiring state lock. This may take a few moments...\n", stdout);
      fflush(stdout);
      told = true;
    }
    /* back off, doubling to 1s, never sleeping past the deadline */
    double sl = delay;
    if (sl > timeout - elapsed) sl = timeout - elapsed;
    if (sl > 0) {
      struct timespec ts = {(time_t)sl, (long)((sl - (double)(time_t)sl) * 1e9)};
      nanosleep(&ts, NULL);
    }
    delay = delay * 2 > 1.0 ? 1.0 : delay * 2;
  }
  char *id = st_new_uuid();
  char *js = lock_info_json(id, operation ? operation : "OperationTypeInvalid", state_path);
  free(id);
  if (ftruncate(fd, 0) == 0) {
    size_t n = strlen(js), off = 0;
    while (off < n) {
      ssize_t w = pwrite(fd, js + off, n - off, (off_t)off);
      if (w <= 0) break;
      off += (size_t)w;
    }
  }
  free(js);
  StLock *l = xcalloc(1, sizeof *l);
  l->fd = fd;
  l->info_path = info_path;
  return l;
}

void st_lock_release(StLock *l) {
  if (!l) return;
  unlink(l->info_path);
  close(l->fd);
  free(l->info_path);
  free(l);
}
