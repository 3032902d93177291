/*
** tests/unit/test_state_journal.c — crash safety of the state journal.
**
** - replay of intents and done records after an abandoned (crashed) run;
** - a journal cut at every byte offset replays to exactly the state after
**   the operations whose records are complete (a prefix), never an error;
** - a child doing journaled operations is SIGKILLed at random moments, 60
**   times; each time the state and journal load, and nothing the child had
**   reported as synced is lost.
*/
#include "t.h"

#include "base/util.h"
#include "state/state.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char *tmpdir(void) {
  char tmpl[] = "/tmp/tfc-journal-XXXXXX";
  char *d = mkdtemp(tmpl);
  return xstrdup(d ? d : "/tmp");
}

static void rmrf(const char *d) {
  char *cmd = xasprintf("rm -rf '%s'", d);
  if (system(cmd) != 0) printf("# could not remove %s\n", d);
  free(cmd);
}

static StRef ref_for(int i) {
  StRef r;
  memset(&r, 0, sizeof r);
  r.module = i % 3 == 0 ? "module.m" : "";
  r.mode = ST_MANAGED;
  r.type = "aws_thing";
  r.name = "t";
  r.key.kind = ST_KEY_INT;
  r.key.i = i;
  return r;
}

/* An object whose attributes say which operation made it. */
static StInstance *object_for(int i, int version) {
  StInstance *in = xcalloc(1, sizeof *in);
  in->attributes = cJSON_CreateObject();
  char id[32];
  snprintf(id, sizeof id, "thing-%d", i);
  cJSON_AddStringToObject(in->attributes, "id", id);
  cJSON_AddNumberToObject(in->attributes, "version", version);
  cJSON_AddStringToObject(in->attributes, "note", "<a&b> \"quoted\"\n");
  in->sensitive_attributes = cJSON_CreateArray();
  in->has_identity_schema_version = true;
  st_instance_add_dep(in, "aws_vpc.main");
  return in;
}

static void free_object(StInstance *in) {
  st_instance_clear(in);
  free(in);
}

static void test_replay_after_crash(void) {
  char *d = tmpdir();
  char *path = xasprintf("%s/terraform.tfstate", d);
  DiagList dl = {0};
  StMgr *m = st_mgr_open(path, NULL, &dl);
  CHECK(m != NULL);
  if (!m) return;
  char *lineage = xstrdup(st_mgr_state(m)->lineage);
  for (int i = 0; i < 3; i++) {
    StRef r = ref_for(i);
    uint64_t id = st_mgr_intent(m, &r, "create", NULL, &dl);
    CHECK(id > 0);
    StInstance *o = object_for(i, 1);
    CHECK(st_mgr_done(m, id, &r, o, i == 2, &dl));
    free_object(o);
  }
  StRef r3 = ref_for(3);
  cJSON *planned = cJSON_CreateObject();
  cJSON_AddStringToObject(planned, "name", "x");
  CHECK(st_mgr_intent(m, &r3, "create", planned, &dl) > 0);
  cJSON_Delete(planned);
  cJSON *ov = cJSON_CreateString("v");
  CHECK(st_mgr_set_output(m, "out", ov, NULL, false, &dl));
  CHECK(st_mgr_sync(m, &dl));
  cJSON_Delete(ov);
  st_mgr_abandon(m); /* the crash: nothing folded */
  CHECK(access(path, F_OK) != 0);

  m = st_mgr_open(path, NULL, &dl);
  CHECK(m != NULL);
  CHECK_INT(dl.n, 0);
  if (!m) return;
  State *s = st_mgr_state(m);
  CHECK_STR(s->lineage, lineage);
  CHECK_INT(st_count_instances(s), 3);
  CHECK(st_find_output(s, "out") != NULL);
  size_t np = 0;
  const StIntent *p = st_mgr_pending(m, &np);
  CHECK_INT(np, 1);
  if (np == 1) {
    CHECK_STR(p[0].addr, "module.m.aws_thing.t[3]");
    CHECK_STR(p[0].action, "create");
    CHECK(p[0].planned && cJSON_GetObjectItem(p[0].planned, "name"));
  }
  /* reconcile: the object turned out not to exist */
  if (np == 1) {
    StRef r = ref_for(3);
    CHECK(st_mgr_done(m, p[0].id, &r, NULL, true, &dl));
  }
  /* a delete */
  StRef r1 = ref_for(1);
  uint64_t id = st_mgr_intent(m, &r1, "delete", NULL, &dl);
  CHECK(st_mgr_done(m, id, &r1, NULL, true, &dl));
  CHECK(st_mgr_close(m, &dl));
  char *jp = st_journal_path(path);
  CHECK(access(jp, F_OK) != 0); /* folded and removed */
  free(jp);
  bool ex;
  State *back = st_read_file(path, &ex, &dl);
  CHECK(back && st_count_instances(back) == 2 && back->serial == 1);
  st_free(back);
  CHECK_INT(dl.n, 0);
  diag_free(&dl);
  free(lineage);
  rmrf(d);
  free(d);
  free(path);
}

/* Builds a journal of many kinds of records, then replays every prefix. */
static void test_truncate_every_offset(void) {
  char *d = tmpdir();
  char *path = xasprintf("%s/terraform.tfstate", d);
  char *jpath = st_journal_path(path);
  DiagList dl = {0};
  /* base state on disk */
  StMgr *m = st_mgr_open(path, NULL, &dl);
  State *s = st_mgr_state(m);
  StRef r0 = ref_for(100);
  StResource *res = st_get_resource(s, "", ST_MANAGED, "aws_thing", "t", NULL);
  StInstance *in = st_put_instance(res, &r0.key, NULL);
  cJSON_AddStringToObject(in->attributes, "id", "base");
  CHECK(st_mgr_write(m, &dl));
  /* expected states after each completed operation */
  State *expect[64];
  int nexpect = 0;
  expect[nexpect++] = st_clone(s);
  for (int i = 0; i < 20; i++) {
    StRef r = ref_for(i % 7);
    uint64_t id = st_mgr_intent(m, &r, i % 5 == 4 ? "delete" : "update", NULL, &dl);
    if (i % 5 == 4) {
      CHECK(st_mgr_done(m, id, &r, NULL, i % 2, &dl));
    } else {
      StInstance *o = object_for(i % 7, i);
      CHECK(st_mgr_done(m, id, &r, o, i % 2, &dl));
      free_object(o);
    }
    expect[nexpect++] = st_clone(st_mgr_state(m));
    if (i % 6 == 5) {
      cJSON *v = cJSON_CreateNumber(i);
      CHECK(st_mgr_set_output(m, "n", v, NULL, false, &dl));
      cJSON_Delete(v);
      expect[nexpect++] = st_clone(st_mgr_state(m));
    }
  }
  CHECK(st_mgr_sync(m, &dl));
  size_t jlen = 0;
  char *journal = read_file(jpath, &jlen);
  CHECK(journal != NULL && jlen > 1000);
  st_mgr_abandon(m);
  int bad = 0, last = 0;
  for (size_t off = 0; journal && off <= jlen; off++) {
    int fd = open(jpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || write(fd, journal, off) != (ssize_t)off) bad++;
    if (fd >= 0) close(fd);
    StOpenOpts o = {0};
    o.readonly = true;
    DiagList dl2 = {0};
    StMgr *r = st_mgr_open(path, &o, &dl2);
    if (!r || dl2.n) {
      bad++;
    } else {
      /* the replayed state must be one of the prefixes, never going back */
      int k;
      for (k = last; k < nexpect; k++)
        if (st_same_content(st_mgr_state(r), expect[k])) break;
      if (k == nexpect) {
        if (bad++ < 3) printf("# offset %zu: state matches no prefix\n", off);
      } else {
        last = k;
      }
    }
    st_mgr_abandon(r);
    diag_free(&dl2);
  }
  CHECK_INT(bad, 0);
  CHECK_INT(last, nexpect - 1); /* the whole journal gives the final state */
  for (int i = 0; i < nexpect; i++) st_free(expect[i]);
  free(journal);
  diag_free(&dl);
  rmrf(d);
  free(d);
  free(path);
  free(jpath);
}

/* The child: endless journaled creates/updates with frequent folds;
** reports through the pipe how many operations are durable. */
static void child_work(const char *path, int wfd, int start) {
  DiagList dl = {0};
  StMgr *m = st_mgr_open(path, NULL, &dl);
  if (!m) _exit(3);
  st_mgr_set_fold_bytes(m, 3000);
  for (int i = start;; i++) {
    StRef r = ref_for(i);
    uint64_t id = st_mgr_intent(m, &r, "create", NULL, &dl);
    StInstance *o = object_for(i, i);
    if (!id || !st_mgr_done(m, id, &r, o, false, &dl)) _exit(4);
    free_object(o);
    if (i % 3 == 2) {
      if (!st_mgr_sync(m, &dl)) _exit(5);
      int done = i + 1;
      if (write(wfd, &done, sizeof done) != (ssize_t)sizeof done) _exit(6);
    }
    if (i % 17 == 16 && !st_mgr_write(m, &dl)) _exit(7);
  }
}

static void test_sigkill_random(void) {
  char *d = tmpdir();
  char *path = xasprintf("%s/terraform.tfstate", d);
  srand((unsigned)time(NULL) ^ (unsigned)getpid());
  int durable = 0, failures = 0, kills = 0, pending_total = 0;
  for (int round = 0; round < 60; round++) {
    int p[2];
    if (pipe(p) != 0) break;
    pid_t pid = fork();
    if (pid == 0) {
      close(p[0]);
      child_work(path, p[1], durable);
    }
    close(p[1]);
    struct timespec ts = {0, (long)(rand() % 15000) * 1000L};
    nanosleep(&ts, NULL);
    kill(pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) kills++;
    int v, reported = durable;
    while (read(p[0], &v, sizeof v) == (ssize_t)sizeof v) reported = v;
    close(p[0]);
    DiagList dl = {0};
    StMgr *m = st_mgr_open(path, NULL, &dl);
    if (!m || dl.n) {
      if (failures++ < 3) {
        printf("# round %d: state failed to load\n", round);
        diag_print_all(&dl, stdout, stdout, false);
      }
      st_mgr_abandon(m);
      diag_free(&dl);
      break;
    }
    State *s = st_mgr_state(m);
    size_t n = st_count_instances(s);
    size_t np = 0;
    const StIntent *pend = st_mgr_pending(m, &np);
    pending_total += (int)np;
    /* reconcile each dangling intent the way the applier would: here the
    ** "provider" says the object does not exist */
    for (size_t i = 0; i < np; i++) {
      StRef r = {pend[0].module, pend[0].mode, pend[0].type, pend[0].name, pend[0].provider, pend[0].key,
                 pend[0].deposed};
      st_mgr_done(m, pend[0].id, &r, NULL, true, &dl);
    }
    if (n < (size_t)reported) {
      if (failures++ < 3) printf("# round %d: %zu objects, %d were durable\n", round, n, reported);
    }
    /* every object is intact */
    for (size_t i = 0; i < s->nres; i++)
      for (size_t j = 0; j < s->res[i]->ninst; j++) {
        cJSON *ver = cJSON_GetObjectItem(s->res[i]->inst[j].attributes, "version");
        if (!ver || (long long)ver->valuedouble != s->res[i]->inst[j].key.i) failures++;
      }
    durable = (int)st_count_instances(s);
    if (!st_mgr_close(m, &dl)) failures++;
    diag_free(&dl);
  }
  printf("# %d kills, %d objects durable, %d dangling intents reconciled\n", kills, durable, pending_total);
  /* temporary files of killed writers were cleaned up by the next open */
  char *cmd = xasprintf("ls -a '%s' | grep -c '\\.tmp-' > /dev/null", d);
  CHECK(system(cmd) != 0);
  free(cmd);
  CHECK_INT(failures, 0);
  CHECK(kills >= 50);
  rmrf(d);
  free(d);
  free(path);
}

/* Ten threads journaling at once, as the applier's parallel walk does:
** nothing lost or mixed up, and the journal replays after a "crash". */
typedef struct Worker {
  StMgr *m;
  int base;
  int failures;
} Worker;

static void *worker(void *arg) {
  Worker *w = arg;
  DiagList dl = {0};
  for (int i = 0; i < 100; i++) {
    int n = w->base + i;
    StRef r = ref_for(n);
    uint64_t id = st_mgr_intent(w->m, &r, "create", NULL, &dl);
    StInstance *o = object_for(n, n);
    if (!id || !st_mgr_done(w->m, id, &r, o, true, &dl)) w->failures++;
    free_object(o);
  }
  if (dl.n) w->failures++;
  diag_free(&dl);
  return NULL;
}

static void test_threads_group_commit(void) {
  char *d = tmpdir();
  char *path = xasprintf("%s/terraform.tfstate", d);
  DiagList dl = {0};
  StMgr *m = st_mgr_open(path, NULL, &dl);
  CHECK(m != NULL);
  if (!m) return;
  st_mgr_set_fold_bytes(m, 20000); /* folds happen while threads write */
  pthread_t th[10];
  Worker w[10];
  for (int i = 0; i < 10; i++) {
    w[i].m = m;
    w[i].base = i * 1000;
    w[i].failures = 0;
    pthread_create(&th[i], NULL, worker, &w[i]);
  }
  int failures = 0;
  for (int i = 0; i < 10; i++) {
    pthread_join(th[i], NULL);
    failures += w[i].failures;
  }
  CHECK_INT(failures, 0);
  CHECK_INT(st_count_instances(st_mgr_state(m)), 1000);
  st_mgr_abandon(m);
  m = st_mgr_open(path, NULL, &dl);
  CHECK(m != NULL);
  if (m) {
    CHECK_INT(st_count_instances(st_mgr_state(m)), 1000);
    size_t np;
    st_mgr_pending(m, &np);
    CHECK_INT(np, 0);
    CHECK(st_mgr_close(m, &dl));
  }
  CHECK_INT(dl.n, 0);
  diag_free(&dl);
  rmrf(d);
  free(d);
  free(path);
}

/* A crash after the state was renamed into place but before the journal
** was removed: replaying the old journal changes nothing, the serial is not
** bumped again. A journal of another state is refused, never applied. */
static void test_stale_and_foreign_journal(void) {
  char *d = tmpdir();
  char *path = xasprintf("%s/terraform.tfstate", d);
  char *jpath = st_journal_path(path);
  DiagList dl = {0};
  StMgr *m = st_mgr_open(path, NULL, &dl);
  if (!m) return;
  for (int i = 0; i < 2; i++) {
    StRef r = ref_for(i);
    uint64_t id = st_mgr_intent(m, &r, "create", NULL, &dl);
    StInstance *o = object_for(i, 1);
    st_mgr_done(m, id, &r, o, true, &dl);
    free_object(o);
  }
  size_t jlen = 0;
  char *journal = read_file(jpath, &jlen);
  CHECK(st_mgr_write(m, &dl));
  CHECK(access(jpath, F_OK) != 0);
  st_mgr_abandon(m);
  FILE *f = fopen(jpath, "w");
  if (f && journal) {
    fwrite(journal, 1, jlen, f);
    fclose(f);
  }
  m = st_mgr_open(path, NULL, &dl);
  CHECK(m != NULL);
  if (m) {
    CHECK_INT(st_count_instances(st_mgr_state(m)), 2);
    CHECK(st_mgr_close(m, &dl));
  }
  bool ex;
  State *s = st_read_file(path, &ex, &dl);
  CHECK(s && s->serial == 1);
  CHECK(access(jpath, F_OK) != 0);
  /* the same journal against a state of another lineage */
  if (s) {
    free(s->lineage);
    s->lineage = xstrdup("00000000-0000-4000-8000-000000000000");
    Buf b = BUF_INIT;
    st_serialize(s, &b);
    CHECK(st_write_atomic(path, b.s, b.len, &dl));
    buf_free(&b);
  }
  st_free(s);
  f = fopen(jpath, "w");
  if (f && journal) {
    fwrite(journal, 1, jlen, f);
    fclose(f);
  }
  CHECK_INT(dl.n, 0);
  m = st_mgr_open(path, NULL, &dl);
  CHECK(m == NULL);
  CHECK(dl.n == 1 && strcmp(dl.v[0].summary, "State journal does not match the state") == 0);
  CHECK(access(jpath, F_OK) == 0); /* kept for the user */
  st_mgr_abandon(m);
  free(journal);
  diag_free(&dl);
  rmrf(d);
  free(d);
  free(path);
  free(jpath);
}

/* A damaged record in the middle (not a torn tail): records before it
** apply, a warning names the byte, and the whole journal is kept. */
static void test_damaged_journal(void) {
  char *d = tmpdir();
  char *path = xasprintf("%s/terraform.tfstate", d);
  char *jpath = st_journal_path(path);
  DiagList dl = {0};
  StMgr *m = st_mgr_open(path, NULL, &dl);
  if (!m) return;
  for (int i = 0; i < 3; i++) {
    StRef r = ref_for(i + 1);
    uint64_t id = st_mgr_intent(m, &r, "create", NULL, &dl);
    StInstance *o = object_for(i + 1, 1);
    st_mgr_done(m, id, &r, o, true, &dl);
    free_object(o);
  }
  st_mgr_abandon(m);
  size_t len = 0;
  char *j = read_file(jpath, &len);
  /* damage the 4th line (the second done record) */
  char *p = j;
  for (int k = 0; k < 3 && p; k++) p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL;
  if (p) p[40] ^= 1;
  FILE *f = fopen(jpath, "w");
  if (f) {
    fwrite(j, 1, len, f);
    fclose(f);
  }
  m = st_mgr_open(path, NULL, &dl);
  CHECK(m != NULL);
  CHECK(dl.n == 1 && dl.v[0].severity == DIAG_WARNING && strcmp(dl.v[0].summary, "State journal damaged") == 0);
  if (m) CHECK_INT(st_count_instances(st_mgr_state(m)), 1);
  char *copy = xasprintf("%s.damaged", jpath);
  CHECK(access(copy, F_OK) == 0);
  free(copy);
  st_mgr_abandon(m);
  free(j);
  diag_free(&dl);
  rmrf(d);
  free(d);
  free(path);
  free(jpath);
}

int main(void) {
  RUN(test_damaged_journal);
  RUN(test_stale_and_foreign_journal);
  RUN(test_threads_group_commit);
  RUN(test_replay_after_crash);
  RUN(test_truncate_every_offset);
  RUN(test_sigkill_random);
  return T_END();
}
