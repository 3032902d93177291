/*
** state/mgr.c — one command's hold on a state file: lock, read, journal,
** atomic writes, backup, serial rules.
**
** The journal (.NAME.journal next to the state) makes every provider call
** durable without rewriting the whole state each time, which would be
** quadratic over 10,000 operations. Each line is one record:
**
**     {"crc":"1a2b3c4d","rec":{...}}\n
**
** where crc is the zlib CRC-32 of the bytes of the record exactly as
** written. Records: "begin" (lineage and serial of the state the journal
** applies to, always first), "intent" (an operation is about to start),
** "done" (its outcome: the new object, or null when the object is gone),
** "output" (an output value set or removed). A record is applied only once
** its line is complete and its checksum matches; the first bad line ends
** replay, which is what a write torn by a crash looks like. Records set
** absolute values, so replaying a journal over a state that already holds
** its effects (a crash between the state rename and the journal removal)
** changes nothing.
*/
#include "state/lock.h"

#include "base/util.h"

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <signal.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

struct StMgr {
  pthread_mutex_t mu;             /* guards everything below */
  pthread_mutex_t sync_mu;        /* one fsync of the journal at a time */
  char *path, *journal_path, *backup_path;
  StLock *lock;
  State *state;
  bool existed;
  /* the snapshot read at open: written as the backup, once, when the state changes */
  char *orig_bytes;
  size_t orig_len;
  bool backup_written;
  /* what is on disk now, for the serial rule */
  bool disk_exists;
  uint64_t disk_serial;
  char *disk_tfver;
  Buf disk_content;
  size_t state_bytes;
  bool dirty;
  bool readonly;
  /* journal */
  int jfd;
  size_t jbytes;                  /* bytes written to the journal */
  size_t jsynced;                 /* of which known durable */
  uint64_t jgen;                  /* bumped whenever the journal is replaced */
  uint64_t next_id;
  size_t fold_bytes;
  StIntent *open;                 /* intents without a done record */
  size_t nopen, capopen;
  StIntent *crashed;              /* those a crashed run left behind */
  size_t ncrashed, capcrashed;
};

/* ---- small helpers ---- */

static void content_of(State *s, Buf *b) { st_serialize_body(s, b); }

static bool buf_eq(const Buf *a, const Buf *b) {
  return a->len == b->len && (a->len == 0 || memcmp(a->s, b->s, a->len) == 0);
}

static void intent_free(StIntent *it) {
  free(it->module);
  free(it->type);
  free(it->name);
  free(it->provider);
  free(it->deposed);
  free(it->addr);
  free(it->action);
  st_key_free(&it->key);
  cJSON_Delete(it->planned);
}

static void intent_copy(StIntent *d, const StIntent *s) {
  *d = *s;
  d->module = xstrdup(s->module);
  d->type = xstrdup(s->type);
  d->name = xstrdup(s->name);
  d->provider = xstrdup(s->provider);
  d->deposed = s->deposed ? xstrdup(s->deposed) : NULL;
  d->addr = xstrdup(s->addr);
  d->action = xstrdup(s->action);
  st_key_copy(&d->key, &s->key);
  d->planned = s->planned ? cJSON_Duplicate(s->planned, true) : NULL;
}

static void drop_intent(StIntent **v, size_t *n, uint64_t id) {
  for (size_t i = 0; i < *n; i++) {
    if ((*v)[i].id != id) continue;
    intent_free(&(*v)[i]);
    memmove(&(*v)[i], &(*v)[i + 1], (*n - i - 1) * sizeof **v);
    (*n)--;
    return;
  }
}

static cJSON *ref_json(const StRef *r) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "module", r->module ? r->module : "");
  cJSON_AddStringToObject(o, "mode", r->mode == ST_DATA ? "data" : "managed");
  cJSON_AddStringToObject(o, "type", r->type);
  cJSON_AddStringToObject(o, "name", r->name);
  cJSON_AddStringToObject(o, "provider", r->provider ? r->provider : ST_AWS_PROVIDER);
  if (r->key.kind == ST_KEY_INT) cJSON_AddNumberToObject(o, "key", (double)r->key.i);
  else if (r->key.kind == ST_KEY_STR) cJSON_AddStringToObject(o, "key", r->key.s);
  if (r->deposed) cJSON_AddStringToObject(o, "deposed", r->deposed);
  return o;
}

/* Reads a ref back; the strings point into j. */
static bool ref_from_json(const cJSON *j, StRef *r) {
  memset(r, 0, sizeof *r);
  const cJSON *mo = cJSON_GetObjectItemCaseSensitive(j, "module");
  const cJSON *md = cJSON_GetObjectItemCaseSensitive(j, "mode");
  const cJSON *ty = cJSON_GetObjectItemCaseSensitive(j, "type");
  const cJSON *na = cJSON_GetObjectItemCaseSensitive(j, "name");
  const cJSON *pr = cJSON_GetObjectItemCaseSensitive(j, "provider");
  const cJSON *ke = cJSON_GetObjectItemCaseSensitive(j, "key");
  const cJSON *de = cJSON_GetObjectItemCaseSensitive(j, "deposed");
  if (!cJSON_IsString(mo) || !cJSON_IsString(md) || !cJSON_IsString(ty) || !cJSON_IsString(na) ||
      !cJSON_IsString(pr))
    return false;
  r->module = mo->valuestring;
  r->mode = strcmp(md->valuestring, "data") == 0 ? ST_DATA : ST_MANAGED;
  r->type = ty->valuestring;
  r->name = na->valuestring;
  r->provider = pr->valuestring;
  if (cJSON_IsNumber(ke) && ke->valuedouble > -9e15 && ke->valuedouble < 9e15) {
    r->key.kind = ST_KEY_INT;
    r->key.i = (long long)ke->valuedouble;
  } else if (cJSON_IsString(ke)) {
    r->key.kind = ST_KEY_STR;
    r->key.s = ke->valuestring;
  }
  r->deposed = cJSON_IsString(de) ? de->valuestring : NULL;
  return true;
}

static char *ref_addr(const StRef *r) {
  Buf b = BUF_INIT;
  if (r->module && r->module[0]) buf_printf(&b, "%s.", r->module);
  if (r->mode == ST_DATA) buf_puts(&b, "data.");
  buf_printf(&b, "%s.%s", r->type, r->name);
  st_key_format(&b, &r->key);
  return buf_take(&b);
}

static void make_intent(StIntent *it, uint64_t id, const StRef *r, const char *action, const cJSON *planned) {
  memset(it, 0, sizeof *it);
  it->id = id;
  it->module = xstrdup(r->module ? r->module : "");
  it->mode = r->mode;
  it->type = xstrdup(r->type);
  it->name = xstrdup(r->name);
  it->provider = xstrdup(r->provider ? r->provider : ST_AWS_PROVIDER);
  it->deposed = r->deposed ? xstrdup(r->deposed) : NULL;
  st_key_copy(&it->key, &r->key);
  it->addr = ref_addr(r);
  it->action = xstrdup(action ? action : "");
  it->planned = planned ? cJSON_Duplicate(planned, true) : NULL;
}

static StRef intent_ref(const StIntent *it) {
  StRef r = {it->module, it->mode, it->type, it->name, it->provider, it->key, it->deposed};
  return r;
}

/* ---- applying records to the state ---- */

static void apply_done(State *s, const StRef *r, cJSON *obj, const char *path, DiagList *dl) {
  if (!obj || cJSON_IsNull(obj)) {
    StResource *res = st_find_resource(s, r->module, r->mode, r->type, r->name);
    if (!res) return;
    st_remove_instance(res, &r->key, r->deposed);
    /* Terraform prunes resources left without instances */
    if (res->ninst == 0) st_remove_resource(s, res);
    return;
  }
  StResource *res = st_get_resource(s, r->module, r->mode, r->type, r->name, r->provider);
  /* the object's own key fields must agree with the ref */
  cJSON_DeleteItemFromObjectCaseSensitive(obj, "index_key");
  cJSON_DeleteItemFromObjectCaseSensitive(obj, "deposed");
  if (r->key.kind == ST_KEY_INT) cJSON_AddNumberToObject(obj, "index_key", (double)r->key.i);
  else if (r->key.kind == ST_KEY_STR) cJSON_AddStringToObject(obj, "index_key", r->key.s);
  if (r->deposed) cJSON_AddStringToObject(obj, "deposed", r->deposed);
  st_instance_from_json(res, obj, path, dl);
}

static void apply_output(State *s, cJSON *rec) {
  cJSON *n = cJSON_GetObjectItemCaseSensitive(rec, "name");
  if (!cJSON_IsString(n)) return;
  cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, "value");
  cJSON *t = cJSON_GetObjectItemCaseSensitive(rec, "type");
  st_set_output(s, n->valuestring, v, t, cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "sensitive")));
}

/* ---- journal writing ---- */

static void frame(Buf *line, const Buf *rec) {
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, (const Bytef *)rec->s, (uInt)rec->len);
  buf_printf(line, "{\"crc\":\"%08lx\",\"rec\":", (unsigned long)crc);
  buf_add(line, rec->s, rec->len);
  buf_puts(line, "}\n");
}

static bool jwrite(StMgr *m, const char *s, size_t n, DiagList *dl) {
  size_t off = 0;
  while (off < n) {
    ssize_t w = write(m->jfd, s + off, n - off);
    if (w < 0) {
      if (errno == EINTR) continue;
      diag_add(dl, DIAG_ERROR, NULL, "Failed to write the state journal", "Error writing %s: %s.",
               m->journal_path, strerror(errno));
      return false;
    }
    off += (size_t)w;
  }
  m->jbytes += n;
  return true;
}

static cJSON *begin_record(StMgr *m) {
  cJSON *r = cJSON_CreateObject();
  cJSON_AddStringToObject(r, "op", "begin");
  cJSON_AddStringToObject(r, "lineage", m->state->lineage);
  cJSON_AddNumberToObject(r, "serial", (double)m->state->serial);
  return r;
}

static cJSON *intent_record(const StIntent *it) {
  cJSON *r = cJSON_CreateObject();
  cJSON_AddStringToObject(r, "op", "intent");
  cJSON_AddNumberToObject(r, "id", (double)it->id);
  StRef ref = intent_ref(it);
  cJSON_AddItemToObject(r, "ref", ref_json(&ref));
  cJSON_AddStringToObject(r, "action", it->action);
  if (it->planned) cJSON_AddItemToObject(r, "planned", cJSON_Duplicate(it->planned, true));
  return r;
}

static void add_framed(Buf *out, cJSON *rec) {
  Buf rb = BUF_INIT;
  st_json_compact(&rb, rec);
  frame(out, &rb);
  buf_free(&rb);
  cJSON_Delete(rec);
}

/* Creates the journal with its begin record (and the intents still open)
** durably, replacing any old one. */
static bool journal_start(StMgr *m, DiagList *dl) {
  Buf b = BUF_INIT;
  add_framed(&b, begin_record(m));
  for (size_t i = 0; i < m->nopen; i++) add_framed(&b, intent_record(&m->open[i]));
  bool ok = st_write_atomic(m->journal_path, b.s, b.len, dl);
  size_t len = b.len;
  buf_free(&b);
  if (!ok) return false;
  if (m->jfd >= 0) close(m->jfd);
  m->jfd = open(m->journal_path, O_WRONLY | O_APPEND | O_CLOEXEC);
  if (m->jfd < 0) {
    diag_add(dl, DIAG_ERROR, NULL, "Failed to write the state journal", "Error opening %s: %s.",
             m->journal_path, strerror(errno));
    return false;
  }
  m->jbytes = m->jsynced = len;
  m->jgen++;
  return true;
}

/* Makes the journal durable up to byte end of generation gen. Called
** without m->mu held: threads finishing together queue on sync_mu, and the
** first fdatasync covers every record written before it started, so each
** of the others finds its record already durable (group commit). */
static bool durable(StMgr *m, uint64_t gen, size_t end, DiagList *dl) {
  bool ok = true;
  pthread_mutex_lock(&m->sync_mu);
  pthread_mutex_lock(&m->mu);
  bool need = gen == m->jgen && m->jsynced < end && m->jfd >= 0;
  /* a fold may close the descriptor meanwhile; sync a duplicate */
  int fd = need ? dup(m->jfd) : -1;
  size_t upto = m->jbytes;
  pthread_mutex_unlock(&m->mu);
  if (need) {
    if (fd < 0 || fdatasync(fd) != 0) {
      diag_add(dl, DIAG_ERROR, NULL, "Failed to write the state journal", "Error syncing %s: %s.", m->journal_path,
               strerror(errno));
      ok = false;
    }
    if (fd >= 0) close(fd);
    pthread_mutex_lock(&m->mu);
    if (ok && gen == m->jgen && upto > m->jsynced) m->jsynced = upto;
    pthread_mutex_unlock(&m->mu);
  }
  pthread_mutex_unlock(&m->sync_mu);
  return ok;
}

/* Appends one record (m->mu held); *gen and *end say where it ended, for
** durable(). */
static bool append_record(StMgr *m, cJSON *rec, uint64_t *gen, size_t *end, DiagList *dl) {
  if (m->readonly) {
    diag_add(dl, DIAG_ERROR, NULL, "Failed to write the state journal", "The state %s was opened read-only.",
             m->path);
    cJSON_Delete(rec);
    return false;
  }
  if (m->jfd < 0 && !journal_start(m, dl)) {
    cJSON_Delete(rec);
    return false;
  }
  Buf line = BUF_INIT;
  add_framed(&line, rec);
  bool ok = jwrite(m, line.s, line.len, dl);
  buf_free(&line);
  *gen = m->jgen;
  *end = m->jbytes;
  return ok;
}

/* ---- replay ---- */

/* Replays a journal over m->state. Returns false (with an error) only when
** the journal cannot belong to this state; a torn tail is dropped. */
static bool replay(StMgr *m, DiagList *dl) {
  size_t len = 0;
  char *bytes = read_file(m->journal_path, &len);
  if (!bytes) return true;
  size_t off = 0, good = 0;
  bool began = false, ok = true;
  while (off < len) {
    char *nl = memchr(bytes + off, '\n', len - off);
    if (!nl) break; /* torn last line */
    size_t ll = (size_t)(nl - (bytes + off));
    const char *line = bytes + off;
    static const char pre[] = "{\"crc\":\"";
    if (ll < 26 || memcmp(line, pre, 8) != 0 || memcmp(line + 16, "\",\"rec\":", 8) != 0 || line[ll - 1] != '}')
      break;
    char hex[9];
    memcpy(hex, line + 8, 8);
    hex[8] = 0;
    char *end;
    unsigned long want = strtoul(hex, &end, 16);
    if (*end) break;
    const char *rs = line + 24;
    size_t rl = ll - 25;
    uLong crc = crc32(crc32(0L, Z_NULL, 0), (const Bytef *)rs, (uInt)rl);
    if (crc != want) break;
    cJSON *rec = st_json_parse(rs, rl, NULL);
    if (!rec) break;
    const cJSON *op = cJSON_GetObjectItemCaseSensitive(rec, "op");
    const char *ops = cJSON_IsString(op) ? op->valuestring : "";
    if (!began) {
      const cJSON *li = cJSON_GetObjectItemCaseSensitive(rec, "lineage");
      const cJSON *se = cJSON_GetObjectItemCaseSensitive(rec, "serial");
      if (strcmp(ops, "begin") != 0 || !cJSON_IsString(li)) {
        cJSON_Delete(rec);
        break;
      }
      if (!m->state) {
        m->state = st_new();
        free(m->state->lineage);
        m->state->lineage = xstrdup(li->valuestring);
        m->state->serial = cJSON_IsNumber(se) && se->valuedouble >= 0 && se->valuedouble < 1.8e19
                               ? (uint64_t)se->valuedouble
                               : 0;
      } else if (strcmp(m->state->lineage, li->valuestring) != 0) {
        diag_add(dl, DIAG_ERROR, NULL, "State journal does not match the state",
                 "The journal %s was written for a state with lineage %s, but %s has lineage %s. tfc will not "
                 "apply it to a different state. Move the journal away (keep it: it records changes an "
                 "interrupted run made) and run the command again.",
                 m->journal_path, li->valuestring, m->path, m->state->lineage);
        cJSON_Delete(rec);
        ok = false;
        break;
      }
      began = true;
    } else if (strcmp(ops, "intent") == 0 || strcmp(ops, "done") == 0) {
      StRef r;
      const cJSON *id = cJSON_GetObjectItemCaseSensitive(rec, "id");
      if (!ref_from_json(cJSON_GetObjectItemCaseSensitive(rec, "ref"), &r) || !cJSON_IsNumber(id)) {
        cJSON_Delete(rec);
        break;
      }
      if (id->valuedouble < 0 || id->valuedouble > 9e15) {
        cJSON_Delete(rec);
        break;
      }
      uint64_t iid = (uint64_t)id->valuedouble;
      if (iid >= m->next_id) m->next_id = iid + 1;
      if (ops[0] == 'i') {
        StIntent it;
        const cJSON *ac = cJSON_GetObjectItemCaseSensitive(rec, "action");
        make_intent(&it, iid, &r, cJSON_IsString(ac) ? ac->valuestring : "",
                    cJSON_GetObjectItemCaseSensitive(rec, "planned"));
        VEC_PUSH(m->open, m->nopen, m->capopen, it);
      } else {
        drop_intent(&m->open, &m->nopen, iid);
        apply_done(m->state, &r, cJSON_GetObjectItemCaseSensitive(rec, "object"), m->journal_path, dl);
        m->dirty = true;
      }
    } else if (strcmp(ops, "output") == 0) {
      apply_output(m->state, rec);
      m->dirty = true;
    }
    cJSON_Delete(rec);
    off += ll + 1;
    good = off;
  }
  if (ok && good < len && !m->readonly && memchr(bytes + good, '\n', len - good)) {
    /* Complete lines after the first bad one: not a torn write but damage.
    ** Keep the whole file for inspection before cutting it. */
    char *copy = xasprintf("%s.damaged", m->journal_path);
    DiagList ignore = {0};
    st_write_atomic(copy, bytes, len, &ignore);
    diag_free(&ignore);
    diag_add(dl, DIAG_WARNING, NULL, "State journal damaged",
             "%s has a damaged record at byte %zu; the records before it were applied, the rest were not. A copy "
             "of the whole journal was saved as %s.",
             m->journal_path, good, copy);
    free(copy);
  }
  if (ok && good < len && !m->readonly) {
    /* Cut the torn tail off so records appended from now on follow a
    ** complete line; otherwise the next replay would stop at the tear. */
    int fd = open(m->journal_path, O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
      if (ftruncate(fd, (off_t)good) == 0) fsync(fd);
      close(fd);
    }
  }
  free(bytes);
  if (ok && began) {
    for (size_t i = 0; i < m->nopen; i++) {
      StIntent c;
      intent_copy(&c, &m->open[i]);
      VEC_PUSH(m->crashed, m->ncrashed, m->capcrashed, c);
    }
    if (!m->readonly) m->jfd = open(m->journal_path, O_WRONLY | O_APPEND | O_CLOEXEC);
    m->jbytes = m->jsynced = good;
  }
  if (ok && !began && !m->readonly) unlink(m->journal_path);
  return ok;
}

/* Removes temporary files that a writer killed mid-write left next to the
** state (".NAME...tmp-PID-N" whose PID no longer runs). */
static void remove_stale_temps(const char *path) {
  char *d = xstrdup(path), *b = xstrdup(path);
  const char *dir = dirname(d), *base = basename(b);
  DIR *dh = opendir(dir);
  if (dh) {
    struct dirent *e;
    while ((e = readdir(dh))) {
      const char *t = strstr(e->d_name, ".tmp-");
      if (e->d_name[0] != '.' || !t || !strstr(e->d_name, base)) continue;
      char *end;
      long pid = strtol(t + 5, &end, 10);
      if (pid <= 0 || *end != '-' || pid == (long)getpid()) continue;
      if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue;
      char *full = xasprintf("%s/%s", dir, e->d_name);
      unlink(full);
      free(full);
    }
    closedir(dh);
  }
  free(d);
  free(b);
}

/* ---- open / write / close ---- */

StMgr *st_mgr_open(const char *path, const StOpenOpts *opts, DiagList *dl) {
  StOpenOpts none;
  memset(&none, 0, sizeof none);
  if (!opts) opts = &none;
  StMgr *m = xcalloc(1, sizeof *m);
  pthread_mutex_init(&m->mu, NULL);
  pthread_mutex_init(&m->sync_mu, NULL);
  m->path = xstrdup(path);
  m->journal_path = st_journal_path(path);
  if (!opts->backup_path) m->backup_path = xasprintf("%s.backup", path);
  else if (strcmp(opts->backup_path, "-") != 0) m->backup_path = xstrdup(opts->backup_path);
  m->jfd = -1;
  m->next_id = 1;
  m->fold_bytes = 4u << 20;
  m->readonly = opts->readonly;
  if (!opts->no_lock && !opts->readonly) {
    m->lock = st_lock_acquire(path, opts->operation, opts->lock_timeout, opts->quiet, dl);
    if (!m->lock) goto fail;
    remove_stale_temps(path);
  }
  size_t len = 0;
  m->orig_bytes = read_file(path, &len);
  m->orig_len = len;
  if (!m->orig_bytes && errno != ENOENT) {
    diag_add(dl, DIAG_ERROR, NULL, "Failed to load state", "Cannot read %s: %s.", path, strerror(errno));
    goto fail;
  }
  if (m->orig_bytes && len > 0) {
    m->state = st_parse(m->orig_bytes, len, path, dl);
    if (!m->state) goto fail;
    m->existed = m->disk_exists = true;
    m->disk_serial = m->state->serial;
    m->disk_tfver = xstrdup(m->state->terraform_version);
    /* What is on disk, for the serial rule; until the first change it is
    ** also the opening snapshot, so it decides the backup too. Readers
    ** never write and skip it. */
    if (!m->readonly) {
      content_of(m->state, &m->disk_content);
    } else {
      free(m->orig_bytes);
      m->orig_bytes = NULL;
    }
    m->state_bytes = len;
  }
  if (!replay(m, dl)) goto fail;
  if (!m->state) m->state = st_new();
  return m;
fail:
  st_mgr_abandon(m);
  return NULL;
}

State *st_mgr_state(StMgr *m) { return m->state; }
bool st_mgr_existed(const StMgr *m) { return m->existed; }

const StIntent *st_mgr_pending(const StMgr *m, size_t *n) {
  *n = m->ncrashed;
  return m->crashed;
}

void st_mgr_set_fold_bytes(StMgr *m, size_t bytes) { m->fold_bytes = bytes; }

static bool write_locked(StMgr *m, bool forced, DiagList *dl) {
  State *s = m->state;
  if (m->readonly) {
    diag_add(dl, DIAG_ERROR, NULL, "Failed to save state", "The state %s was opened read-only.", m->path);
    return false;
  }
  Buf content = BUF_INIT;
  content_of(s, &content);
  bool changed = !m->disk_exists || !buf_eq(&content, &m->disk_content);
  if (!forced) {
    if (changed) s->serial = (m->disk_exists ? m->disk_serial : s->serial) + 1;
    else s->serial = m->disk_serial;
    free(s->terraform_version);
    s->terraform_version = xstrdup(ST_WRITER_VERSION);
  }
  bool need = forced || changed || !m->disk_tfver || strcmp(m->disk_tfver, s->terraform_version) != 0;
  bool ok = true;
  if (need) {
    if (changed && m->existed && m->backup_path && !m->backup_written) {
      if (!st_write_atomic(m->backup_path, m->orig_bytes, m->orig_len, dl)) ok = false;
      else m->backup_written = true;
    }
    Buf bytes = BUF_INIT;
    st_serialize_header(s, &bytes);
    buf_add(&bytes, content.s, content.len);
    if (ok && st_write_atomic(m->path, bytes.s, bytes.len, dl)) {
      m->disk_exists = true;
      m->disk_serial = s->serial;
      free(m->disk_tfver);
      m->disk_tfver = xstrdup(s->terraform_version);
      buf_free(&m->disk_content);
      m->disk_content = content;
      content = (Buf)BUF_INIT;
      m->state_bytes = bytes.len;
    } else {
      ok = false;
    }
    buf_free(&bytes);
  }
  buf_free(&content);
  if (!ok) return false;
  m->dirty = false;
  /* the journal's effects are in the file now: start over (carrying the
  ** operations still in flight) or remove it */
  if (m->nopen) return journal_start(m, dl);
  if (m->jfd >= 0) {
    close(m->jfd);
    m->jfd = -1;
  }
  if (unlink(m->journal_path) == 0) st_fsync_dir(m->journal_path);
  m->jbytes = m->jsynced = 0;
  m->jgen++;
  return true;
}

bool st_mgr_write(StMgr *m, DiagList *dl) {
  pthread_mutex_lock(&m->mu);
  bool ok = write_locked(m, false, dl);
  pthread_mutex_unlock(&m->mu);
  return ok;
}

bool st_mgr_write_forced(StMgr *m, DiagList *dl) {
  pthread_mutex_lock(&m->mu);
  bool ok = write_locked(m, true, dl);
  pthread_mutex_unlock(&m->mu);
  return ok;
}

static void maybe_fold(StMgr *m, DiagList *dl) {
  size_t limit = m->fold_bytes > m->state_bytes ? m->fold_bytes : m->state_bytes;
  if (m->jbytes > limit) write_locked(m, false, dl);
}

uint64_t st_mgr_intent(StMgr *m, const StRef *ref, const char *action, const cJSON *planned, DiagList *dl) {
  pthread_mutex_lock(&m->mu);
  StIntent it;
  make_intent(&it, m->next_id++, ref, action, planned);
  uint64_t id = it.id, gen = 0;
  size_t end = 0;
  if (!append_record(m, intent_record(&it), &gen, &end, dl)) {
    intent_free(&it);
    id = 0;
  } else {
    VEC_PUSH(m->open, m->nopen, m->capopen, it);
  }
  pthread_mutex_unlock(&m->mu);
  /* the provider call may start only once the intent is on disk */
  if (id && !durable(m, gen, end, dl)) id = 0;
  return id;
}

bool st_mgr_done(StMgr *m, uint64_t intent, const StRef *ref, const StInstance *obj, bool sync, DiagList *dl) {
  pthread_mutex_lock(&m->mu);
  cJSON *rec = cJSON_CreateObject();
  cJSON_AddStringToObject(rec, "op", "done");
  cJSON_AddNumberToObject(rec, "id", (double)intent);
  cJSON_AddItemToObject(rec, "ref", ref_json(ref));
  cJSON *oj = obj ? st_instance_to_json(obj) : cJSON_CreateNull();
  cJSON_AddItemToObject(rec, "object", oj);
  /* apply to memory from a copy, since applying consumes the object */
  cJSON *applied = cJSON_Duplicate(oj, true);
  uint64_t gen = 0;
  size_t end = 0;
  bool ok = append_record(m, rec, &gen, &end, dl);
  if (ok) {
    /* apply before dropping the intent: ref may point into it */
    apply_done(m->state, ref, applied, m->journal_path, dl);
    drop_intent(&m->open, &m->nopen, intent);
    drop_intent(&m->crashed, &m->ncrashed, intent);
    m->dirty = true;
    maybe_fold(m, dl);
  }
  cJSON_Delete(applied);
  pthread_mutex_unlock(&m->mu);
  return ok && (!sync || durable(m, gen, end, dl));
}

bool st_mgr_set_output(StMgr *m, const char *name, const cJSON *value, const cJSON *type, bool sensitive,
                       DiagList *dl) {
  pthread_mutex_lock(&m->mu);
  cJSON *rec = cJSON_CreateObject();
  cJSON_AddStringToObject(rec, "op", "output");
  cJSON_AddStringToObject(rec, "name", name);
  if (value) {
    cJSON_AddItemToObject(rec, "value", cJSON_Duplicate(value, true));
    cJSON_AddItemToObject(rec, "type", type ? cJSON_Duplicate(type, true) : cJSON_CreateString("dynamic"));
    if (sensitive) cJSON_AddTrueToObject(rec, "sensitive");
  }
  uint64_t gen;
  size_t end;
  bool ok = append_record(m, rec, &gen, &end, dl);
  if (ok) {
    st_set_output(m->state, name, value, type, sensitive);
    m->dirty = true;
  }
  pthread_mutex_unlock(&m->mu);
  return ok;
}

bool st_mgr_sync(StMgr *m, DiagList *dl) {
  pthread_mutex_lock(&m->mu);
  uint64_t gen = m->jgen;
  size_t end = m->jbytes;
  pthread_mutex_unlock(&m->mu);
  return durable(m, gen, end, dl);
}

static void mgr_free(StMgr *m) {
  if (m->jfd >= 0) close(m->jfd);
  st_lock_release(m->lock);
  st_free(m->state);
  for (size_t i = 0; i < m->nopen; i++) intent_free(&m->open[i]);
  free(m->open);
  for (size_t i = 0; i < m->ncrashed; i++) intent_free(&m->crashed[i]);
  free(m->crashed);
  free(m->path);
  free(m->journal_path);
  free(m->backup_path);
  free(m->orig_bytes);
  free(m->disk_tfver);
  buf_free(&m->disk_content);
  pthread_mutex_destroy(&m->mu);
  pthread_mutex_destroy(&m->sync_mu);
  free(m);
}

bool st_mgr_close(StMgr *m, DiagList *dl) {
  if (!m) return true;
  bool ok = true;
  pthread_mutex_lock(&m->mu);
  if (!m->readonly && (m->dirty || m->jfd >= 0)) ok = write_locked(m, false, dl);
  pthread_mutex_unlock(&m->mu);
  mgr_free(m);
  return ok;
}

void st_mgr_abandon(StMgr *m) {
  if (m) mgr_free(m);
}

void st_mgr_release(StMgr *m) {
  if (!m) return;
  if (m->jfd >= 0) close(m->jfd);
  m->jfd = -1;
  st_lock_release(m->lock);
  m->lock = NULL;
}
