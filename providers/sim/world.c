/*
** providers/sim/world.c — the world document, its persistence, the dispatcher
** from (service, operation) to handlers, and the AwsTransport around it.
**
** World layout (keys are sorted when written, so the file diffs cleanly):
**   format            1
**   now               virtual clock, seconds since the epoch
**   rng               PRNG state (hex), seeded from TFC_SIM_SEED at creation
**   account, region   from knobs at creation
**   iam.roles         lower-cased role name -> role (names are unique case-insensitively)
**   sagemaker.models / endpoint_configs / endpoints   name -> object
**   autoscaling.targets   "namespace|resource|dimension" -> target
**   autoscaling.policies  "namespace|resource|dimension|name" -> policy
**   autoscaling.activities  newest last, bounded
**   cloudwatch.alarms     name -> alarm;  cloudwatch.metrics  key -> [[t,sum,n,min,max]...]
**   sns.topics            name -> topic;  sns.notifications  newest last, bounded
**   sim.faults            image -> 5xx rate;  sim.traffic  endpoint -> generator
*/
#include "providers/sim/sim_int.h"

#include "base/util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---------------------------------------------------------------- JSON helpers */

cJSON *sim_get(const cJSON *o, const char *key) {
  return o ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
}

const char *sim_str(const cJSON *o, const char *key) {
  cJSON *v = sim_get(o, key);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

double sim_num(const cJSON *o, const char *key, double dflt) {
  cJSON *v = sim_get(o, key);
  return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

bool sim_bool(const cJSON *o, const char *key, bool dflt) {
  cJSON *v = sim_get(o, key);
  return cJSON_IsBool(v) ? cJSON_IsTrue(v) : dflt;
}

void sim_set(cJSON *o, const char *key, cJSON *v) {
  if (sim_get(o, key)) cJSON_ReplaceItemInObjectCaseSensitive(o, key, v);
  else cJSON_AddItemToObject(o, key, v);
}

cJSON *sim_obj(cJSON *parent, const char *key) {
  cJSON *v = sim_get(parent, key);
  if (cJSON_IsObject(v)) return v;
  v = cJSON_CreateObject();
  sim_set(parent, key, v);
  return v;
}

cJSON *sim_arr(cJSON *parent, const char *key) {
  cJSON *v = sim_get(parent, key);
  if (cJSON_IsArray(v)) return v;
  v = cJSON_CreateArray();
  sim_set(parent, key, v);
  return v;
}

void sim_set_str(cJSON *o, const char *key, const char *v) { sim_set(o, key, cJSON_CreateString(v)); }
void sim_set_num(cJSON *o, const char *key, double v) { sim_set(o, key, cJSON_CreateNumber(v)); }
void sim_set_bool(cJSON *o, const char *key, bool v) { sim_set(o, key, cJSON_CreateBool(v)); }
void sim_del(cJSON *o, const char *key) { cJSON_DeleteItemFromObjectCaseSensitive(o, key); }
cJSON *sim_dup(const cJSON *v) { return v ? cJSON_Duplicate(v, 1) : NULL; }

cJSON *sim_coll(SimWorld *w, const char *service, const char *kind) {
  return sim_obj(sim_obj(w->doc, service), kind);
}

/* ---------------------------------------------------------------- indexes */

static size_t hash_key(const char *s) {
  size_t h = 14695981039346656037ULL; /* FNV-1a */
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

static void index_insert(SimIndex *x, cJSON *item) {
  size_t i = hash_key(item->string) & (x->cap - 1);
  while (x->slot[i] && strcmp(x->slot[i]->string, item->string) != 0) i = (i + 1) & (x->cap - 1);
  if (!x->slot[i]) x->n++;
  x->slot[i] = item;
}

static void index_fill(SimIndex *x, size_t members) {
  x->cap = 16;
  while (x->cap < 2 * members + 2) x->cap *= 2;
  free(x->slot);
  x->slot = xcalloc(x->cap, sizeof *x->slot);
  x->n = 0;
  for (cJSON *c = x->coll->child; c; c = c->next) index_insert(x, c);
}

static SimIndex *index_of(SimWorld *w, cJSON *coll) {
  for (size_t i = 0; i < w->nidx; i++)
    if (w->idx[i].coll == coll) return &w->idx[i];
  w->idx = xrealloc(w->idx, (w->nidx + 1) * sizeof *w->idx);
  SimIndex *x = &w->idx[w->nidx++];
  *x = (SimIndex){.coll = coll};
  size_t n = 0;
  for (cJSON *c = coll->child; c; c = c->next) n++;
  index_fill(x, n);
  return x;
}

/* Forgets every index: the document they point into is being replaced. */
static void index_drop(SimWorld *w) {
  for (size_t i = 0; i < w->nidx; i++) free(w->idx[i].slot);
  free(w->idx);
  w->idx = NULL;
  w->nidx = 0;
}

static size_t index_pos(const SimIndex *x, const char *key) {
  size_t i = hash_key(key) & (x->cap - 1);
  while (x->slot[i] && strcmp(x->slot[i]->string, key) != 0) i = (i + 1) & (x->cap - 1);
  return i;
}

cJSON *sim_find(SimWorld *w, const char *service, const char *kind, const char *key) {
  SimIndex *x = index_of(w, sim_coll(w, service, kind));
  return x->slot[index_pos(x, key)];
}

void sim_put(SimWorld *w, const char *service, const char *kind, const char *key, cJSON *v) {
  SimIndex *x = index_of(w, sim_coll(w, service, kind));
  size_t i = index_pos(x, key);
  cJSON_AddItemToObject(x->coll, key, v); /* before the delete: key may be the old member's name */
  if (x->slot[i]) cJSON_Delete(cJSON_DetachItemViaPointer(x->coll, x->slot[i]));
  if (!x->slot[i]) x->n++;
  x->slot[i] = v;
  if (2 * x->n >= x->cap) index_fill(x, x->n);
}

void sim_remove(SimWorld *w, const char *service, const char *kind, const char *key) {
  SimIndex *x = index_of(w, sim_coll(w, service, kind));
  size_t i = index_pos(x, key), mask = x->cap - 1;
  if (!x->slot[i]) return;
  cJSON_Delete(cJSON_DetachItemViaPointer(x->coll, x->slot[i]));
  x->slot[i] = NULL;
  x->n--;
  /* close the gap so every later member of the probe run stays reachable */
  for (size_t j = (i + 1) & mask; x->slot[j]; j = (j + 1) & mask) {
    size_t home = hash_key(x->slot[j]->string) & mask;
    bool reachable = i <= j ? (home > i && home <= j) : (home > i || home <= j);
    if (reachable) continue;
    x->slot[i] = x->slot[j];
    x->slot[j] = NULL;
    i = j;
  }
}

void sim_log(cJSON *arr, cJSON *entry, int keep) {
  cJSON_AddItemToArray(arr, entry);
  while (keep > 0 && cJSON_GetArraySize(arr) > keep) cJSON_DeleteItemFromArray(arr, 0);
}

void sim_lower(char *s) {
  for (; *s; s++) *s = (char)tolower((unsigned char)*s);
}

/* ---------------------------------------------------------------- clock, ids */

long long sim_now(const SimWorld *w) { return (long long)sim_num(w->doc, "now", 0); }
long long sim_clock_now(const SimWorld *w) { return sim_now(w); }
void sim_set_now(SimWorld *w, long long t) { sim_set_num(w->doc, "now", (double)t); }

const char *sim_time_iso(long long t, char *buf) {
  time_t tt = (time_t)t;
  struct tm tm;
  gmtime_r(&tt, &tm);
  strftime(buf, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

char *sim_now_iso(const SimWorld *w, char *buf) {
  sim_time_iso(sim_now(w), buf);
  return buf;
}

long long sim_parse_duration(const char *s) {
  if (!s || !*s) return -1;
  long long total = 0;
  while (*s) {
    if (!isdigit((unsigned char)*s)) return -1;
    char *end;
    long long n = strtoll(s, &end, 10);
    long long mul = 1;
    switch (*end) {
    case 0: break;
    case 's': mul = 1; end++; break;
    case 'm': mul = 60; end++; break;
    case 'h': mul = 3600; end++; break;
    case 'd': mul = 86400; end++; break;
    default: return -1;
    }
    if (n > 100LL * 365 * 86400 / mul) return -1;
    total += n * mul;
    s = end;
  }
  return total;
}

/* splitmix64: tiny, good enough for jitter and ids, and its whole state is one
** number we can store in the world so runs continue deterministically. */
uint64_t sim_rand(SimWorld *w) {
  const char *st = sim_str(w->doc, "rng");
  uint64_t x = st ? strtoull(st, NULL, 16) : 1;
  x += 0x9e3779b97f4a7c15ULL;
  char buf[24];
  snprintf(buf, sizeof buf, "%016" PRIx64, x);
  sim_set_str(w->doc, "rng", buf);
  uint64_t z = x;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

double sim_rand01(SimWorld *w) { return (double)(sim_rand(w) >> 11) / 9007199254740992.0; }

void sim_uuid(SimWorld *w, char out[37]) {
  uint64_t a = sim_rand(w), b = sim_rand(w);
  snprintf(out, 37, "%08" PRIx64 "-%04" PRIx64 "-4%03" PRIx64 "-%04" PRIx64 "-%012" PRIx64,
           a >> 32, (a >> 16) & 0xffff, a & 0xfff, (uint64_t)(0x8000 | (b >> 48 & 0x3fff)), (uint64_t)(b & 0xffffffffffffULL));
}

void sim_rand_id(SimWorld *w, const char *prefix, int n, char *out) {
  static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  size_t p = strlen(prefix);
  memcpy(out, prefix, p);
  for (int i = 0; i < n; i++) out[p + (size_t)i] = alnum[sim_rand(w) % 32];
  out[p + (size_t)n] = 0;
}

const char *sim_account(const SimWorld *w) { return sim_str(w->doc, "account"); }
const char *sim_region(const SimWorld *w) { return sim_str(w->doc, "region"); }

void sim_sha256_hex(const char *s, size_t n, char out[65]) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256((const unsigned char *)s, n, md);
  for (int i = 0; i < SHA256_DIGEST_LENGTH; i++) snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* ---------------------------------------------------------------- world life */

static cJSON *fresh_doc(void) {
  cJSON *d = cJSON_CreateObject();
  sim_set_num(d, "format", 1);
  sim_set_num(d, "now", sim_knob("start_time"));
  const char *seed = getenv("TFC_SIM_SEED");
  uint64_t s = seed && *seed ? strtoull(seed, NULL, 10) : 1;
  char buf[24];
  snprintf(buf, sizeof buf, "%016" PRIx64, s);
  sim_set_str(d, "rng", buf);
  sim_set_str(d, "account", sim_knob_str("account_id"));
  sim_set_str(d, "region", sim_knob_str("region"));
  static const char *const colls[][2] = {
      {"iam", "roles"},           {"sagemaker", "models"},      {"sagemaker", "endpoint_configs"},
      {"sagemaker", "endpoints"}, {"autoscaling", "targets"},   {"autoscaling", "policies"},
      {"cloudwatch", "alarms"},   {"cloudwatch", "metrics"},    {"sns", "topics"},
      {"sim", "faults"},          {"sim", "traffic"},
  };
  for (size_t i = 0; i < sizeof colls / sizeof colls[0]; i++) sim_obj(sim_obj(d, colls[i][0]), colls[i][1]);
  sim_arr(sim_obj(d, "autoscaling"), "activities");
  sim_arr(sim_obj(d, "sns"), "notifications");
  return d;
}

/* Remembers which version of the file this process has. */
static void note_file(SimWorld *w) {
  struct stat st;
  w->have_seen = w->path && stat(w->path, &st) == 0;
  if (!w->have_seen) return;
  w->seen_ino = (long long)st.st_ino;
  w->seen_size = (long long)st.st_size;
  w->seen_mtime_ns = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
}

static bool file_changed(SimWorld *w) {
  struct stat st;
  if (!w->path || stat(w->path, &st) != 0) return false;
  return !w->have_seen || w->seen_ino != (long long)st.st_ino || w->seen_size != (long long)st.st_size ||
         w->seen_mtime_ns != (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
}

SimWorld *sim_world_open(const char *dir, DiagList *diags) {
  sim_knobs_load(diags);
  SimWorld *w = xcalloc(1, sizeof *w);
  w->lockfd = -1;
  if (dir) w->path = xasprintf("%s/.tfc/sim-world.json", dir);
  if (w->path) {
    size_t len;
    char *text = read_file(w->path, &len);
    if (text) {
      w->doc = cJSON_ParseWithLength(text, len);
      free(text);
      if (!cJSON_IsObject(w->doc) || sim_num(w->doc, "format", 0) != 1) {
        diag_add(diags, DIAG_ERROR, NULL, "Cannot read the simulated AWS world",
                 "%s is not a simulator world file (damaged, or from another version). "
                 "Move it away or run `tfc sim reset` to start an empty world.", w->path);
        cJSON_Delete(w->doc);
        free(w->path);
        free(w);
        return NULL;
      }
    } else if (errno != ENOENT) {
      diag_add(diags, DIAG_ERROR, NULL, "Cannot read the simulated AWS world", "%s: %s", w->path,
               strerror(errno));
      free(w->path);
      free(w);
      return NULL;
    }
  }
  if (!w->doc) w->doc = fresh_doc();
  note_file(w);
  return w;
}

static int mkdir_p(const char *path);

void sim_world_begin(SimWorld *w) {
  if (!w->path || w->depth++ > 0) return;
  if (w->lockfd < 0) {
    char *lock = xasprintf("%.*s.lock", (int)(strlen(w->path) - 5), w->path); /* sim-world.lock */
    if (mkdir_p(lock) == 0) w->lockfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    free(lock);
  }
  if (w->lockfd >= 0) flock(w->lockfd, LOCK_EX);
  if (!file_changed(w)) return;
  size_t len;
  char *text = read_file(w->path, &len);
  cJSON *doc = text ? cJSON_ParseWithLength(text, len) : NULL;
  free(text);
  /* a damaged file written by someone else is not adopted: this process
  ** keeps its world and its next save repairs the file */
  if (cJSON_IsObject(doc) && sim_num(doc, "format", 0) == 1) {
    index_drop(w);
    cJSON_Delete(w->doc);
    w->doc = doc;
    note_file(w);
  } else {
    cJSON_Delete(doc);
  }
}

void sim_world_end(SimWorld *w) {
  if (!w->path || w->depth == 0 || --w->depth > 0) return;
  if (w->lockfd >= 0) flock(w->lockfd, LOCK_UN);
}

void sim_world_reset(SimWorld *w) {
  index_drop(w);
  cJSON_Delete(w->doc);
  sim_knobs_load(NULL);
  w->doc = fresh_doc();
  w->dirty = true;
}

void sim_world_close(SimWorld *w) {
  if (!w) return;
  if (w->lockfd >= 0) close(w->lockfd);
  index_drop(w);
  cJSON_Delete(w->doc);
  free(w->path);
  free(w);
}

const cJSON *sim_world_doc(const SimWorld *w) { return w->doc; }

static int cmp_items(const void *a, const void *b) {
  const cJSON *x = *(cJSON *const *)a, *y = *(cJSON *const *)b;
  return strcmp(x->string, y->string);
}

/* Sorts object members recursively so the file is byte-stable whatever
** order objects were created in. */
static void sort_keys(cJSON *o) {
  if (!o) return;
  size_t n = 0;
  for (cJSON *c = o->child; c; c = c->next) {
    sort_keys(c);
    n++;
  }
  if (!cJSON_IsObject(o) || n < 2) return;
  /* saved after every call, the world is sorted but for what the call added */
  bool sorted = true;
  for (cJSON *c = o->child; c->next && sorted; c = c->next) sorted = strcmp(c->string, c->next->string) <= 0;
  if (sorted) return;
  cJSON **v = xmalloc(n * sizeof *v);
  size_t i = 0;
  for (cJSON *c = o->child; c; c = c->next) v[i++] = c;
  qsort(v, n, sizeof *v, cmp_items);
  for (i = 0; i < n; i++) {
    v[i]->prev = i ? v[i - 1] : v[n - 1]; /* cJSON keeps child->prev = last */
    v[i]->next = i + 1 < n ? v[i + 1] : NULL;
  }
  o->child = v[0];
  free(v);
}

static int mkdir_p(const char *path) {
  char *p = xstrdup(path);
  for (char *s = p + 1; *s; s++) {
    if (*s != '/') continue;
    *s = 0;
    if (mkdir(p, 0777) != 0 && errno != EEXIST) {
      free(p);
      return -1;
    }
    *s = '/';
  }
  free(p);
  return 0;
}

int sim_world_save(SimWorld *w, DiagList *diags) {
  w->dirty = false;
  if (!w->path) return 0;
  sort_keys(w->doc);
  char *text = cJSON_Print(w->doc);
  size_t len = strlen(text);
  char *tmp = xasprintf("%s.tmp", w->path);
  int rc = -1;
  if (mkdir_p(w->path) == 0) {
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      size_t off = 0;
      ssize_t k = 0;
      while (off < len && (k = write(fd, text + off, len - off)) > 0) off += (size_t)k;
      /* No fsync: the rename keeps the file whole if tfc dies mid-write,
      ** which is what matters here; surviving a power cut does not, for a
      ** simulator, and an fsync per API call was a fifth of a large apply. */
      bool ok = off == len && write(fd, "\n", 1) == 1;
      ok = close(fd) == 0 && ok;
      if (ok && rename(tmp, w->path) == 0) {
        rc = 0;
        note_file(w);
      } else {
        unlink(tmp);
      }
    }
  }
  if (rc != 0)
    diag_add(diags, DIAG_ERROR, NULL, "Cannot save the simulated AWS world", "%s: %s", w->path,
             strerror(errno));
  free(tmp);
  free(text);
  return rc;
}

/* ---------------------------------------------------------------- dispatch */

static const SimService *const services[] = {
    &sim_svc_iam, &sim_svc_sts, &sim_svc_sagemaker, &sim_svc_runtime, &sim_svc_autoscaling,
    &sim_svc_cloudwatch, &sim_svc_sns, &sim_svc_sim,
};

int sim_call(SimWorld *w, const char *service, const char *op, const cJSON *req, cJSON **resp,
             AwsError *err) {
  *resp = NULL;
  const SimService *svc = NULL;
  for (size_t i = 0; i < sizeof services / sizeof services[0]; i++)
    if (strcmp(services[i]->name, service) == 0) svc = services[i];
  if (!svc) return sim_err(err, 400, "UnknownServiceException", "The simulator has no service %s.", service);
  const SimOp *o = NULL;
  for (size_t i = 0; i < svc->nops; i++)
    if (strcmp(svc->ops[i].name, op) == 0) o = &svc->ops[i];
  if (!o)
    return sim_err(err, 400, "UnknownOperationException",
                   "The simulator does not implement %s:%s.", service, op);
  cJSON *empty = NULL;
  if (!cJSON_IsObject(req)) req = empty = cJSON_CreateObject();
  sim_world_begin(w);
  int rc = o->fn(w, req, resp, err);
  cJSON_Delete(empty);
  if (rc == 0 && !*resp) *resp = cJSON_CreateObject();
  if ((rc == 0 && o->mutates) || w->dirty) {
    DiagList d = {0};
    if (sim_world_save(w, &d) != 0) {
      cJSON_Delete(*resp);
      *resp = NULL;
      aws_error_clear(err);
      rc = sim_err(err, 500, "InternalFailure", "%s", d.v[0].detail ? d.v[0].detail : d.v[0].summary);
    }
    diag_free(&d);
  }
  sim_world_end(w);
  return rc;
}

/* ---------------------------------------------------------------- transport */

typedef struct SimTransport {
  AwsTransport t;
  SimWorld *w;
  pthread_mutex_t mu;  /* the provider walks the graph in parallel */
} SimTransport;

static int transport_call(AwsTransport *t, const char *service, const char *op, const cJSON *req,
                          cJSON **resp, AwsError *err) {
  SimTransport *st = t->ctx;
  /* the round trip, outside the lock like a network call */
  double lat = sim_knob("api_latency_ms");
  if (lat > 0) {
    struct timespec ts = {(time_t)(lat / 1000), (long)(fmod(lat, 1000) * 1e6)};
    nanosleep(&ts, NULL);
  }
  pthread_mutex_lock(&st->mu);
  int rc = sim_call(st->w, service, op, req, resp, err);
  pthread_mutex_unlock(&st->mu);
  return rc;
}

static void transport_close(AwsTransport *t) {
  SimTransport *st = t->ctx;
  sim_world_close(st->w);
  pthread_mutex_destroy(&st->mu);
  free(st);
}

AwsTransport *sim_open(const char *dir, DiagList *diags) {
  SimWorld *w = sim_world_open(dir, diags);
  if (!w) return NULL;
  SimTransport *st = xcalloc(1, sizeof *st);
  st->w = w;
  pthread_mutex_init(&st->mu, NULL);
  st->t.call = transport_call;
  st->t.close = transport_close;
  st->t.ctx = st;
  return &st->t;
}

SimWorld *sim_transport_world(AwsTransport *t) { return ((SimTransport *)t->ctx)->w; }
