/*
** plan/sched.c — running apply's operations concurrently on a virtual
** clock; see sched.h.
**
** Each operation runs on its own thread, but only one thread runs at a time:
** the one holding `mu`, which it hands over explicitly. A task runs until it
** sleeps (a waiter's poll delay) or finishes; then the main thread starts
** whatever else is ready, and when every running task sleeps it moves the
** clock to the earliest wake-up and resumes that task. So the walker, the
** evaluator and the state need no locks, runs are deterministic, and the
** simulated time of a whole apply is its critical path at the parallelism
** allowed — as if the operations had really overlapped.
*/
#include "plan/sched.h"
#include "base/util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct Task {
  Sched *s;
  size_t id;
  SchedFn fn;
  void *arg;
  pthread_t th;
  pthread_cond_t cv;
  bool go;           /* its turn */
  bool sleeping, done, joined;
  double wake;
} Task;

struct Sched {
  pthread_mutex_t mu;
  pthread_cond_t main_cv;
  bool main_go;
  Task *current;     /* NULL: the main thread runs */
  Task **tasks;
  size_t n, cap;
  SchedClock clock;
};

Sched *sched_new(const SchedClock *clock) {
  Sched *s = xcalloc(1, sizeof *s);
  pthread_mutex_init(&s->mu, NULL);
  pthread_cond_init(&s->main_cv, NULL);
  s->clock = *clock;
  /* the main thread holds the baton whenever it runs */
  pthread_mutex_lock(&s->mu);
  return s;
}

static void join(Task *t) {
  if (t->joined) return;
  pthread_join(t->th, NULL);
  pthread_cond_destroy(&t->cv);
  t->joined = true;
}

void sched_free(Sched *s) {
  if (!s) return;
  for (size_t i = 0; i < s->n; i++) {
    join(s->tasks[i]);
    free(s->tasks[i]);
  }
  free(s->tasks);
  pthread_mutex_unlock(&s->mu);
  pthread_cond_destroy(&s->main_cv);
  pthread_mutex_destroy(&s->mu);
  free(s);
}

/* Main thread: lets t run until it sleeps or finishes. */
static void run_task(Sched *s, Task *t) {
  s->current = t;
  t->go = true;
  pthread_cond_signal(&t->cv);
  while (!s->main_go) pthread_cond_wait(&s->main_cv, &s->mu);
  s->main_go = false;
  s->current = NULL;
  if (t->done) join(t);
}

/* Task thread: gives the baton back to the main thread and waits for its turn. */
static void back_to_main(Sched *s, Task *t) {
  s->main_go = true;
  pthread_cond_signal(&s->main_cv);
  while (!t->go) pthread_cond_wait(&t->cv, &s->mu);
  t->go = false;
}

static void *thread_main(void *p) {
  Task *t = p;
  Sched *s = t->s;
  pthread_mutex_lock(&s->mu);
  while (!t->go) pthread_cond_wait(&t->cv, &s->mu);
  t->go = false;
  t->fn(t->arg);
  t->done = true;
  s->main_go = true;
  pthread_cond_signal(&s->main_cv);
  pthread_mutex_unlock(&s->mu);
  return NULL;
}

bool sched_start(Sched *s, size_t id, SchedFn fn, void *arg) {
  Task *t = xcalloc(1, sizeof *t);
  t->s = s;
  t->id = id;
  t->fn = fn;
  t->arg = arg;
  pthread_cond_init(&t->cv, NULL);
  if (pthread_create(&t->th, NULL, thread_main, t) != 0) {
    /* no thread to be had: run it here, as a sequential walk would */
    pthread_cond_destroy(&t->cv);
    free(t);
    fn(arg);
    return false;
  }
  VEC_PUSH(s->tasks, s->n, s->cap, t);
  run_task(s, t);
  return true;
}

bool sched_sleep(Sched *s, double seconds) {
  if (!s || !s->current) return false;
  Task *t = s->current;
  t->wake = s->clock.now(s->clock.ud) + seconds;
  t->sleeping = true;
  back_to_main(s, t);
  t->sleeping = false;
  return true;
}

size_t sched_running(const Sched *s) {
  size_t n = 0;
  for (size_t i = 0; i < s->n; i++) n += !s->tasks[i]->done;
  return n;
}

bool sched_advance(Sched *s) {
  Task *next = NULL;
  for (size_t i = 0; i < s->n; i++) {
    Task *t = s->tasks[i];
    if (!t->done && t->sleeping && (!next || t->wake < next->wake)) next = t;
  }
  if (!next) return false;
  double now = s->clock.now(s->clock.ud);
  if (next->wake > now) s->clock.advance(s->clock.ud, now, next->wake);
  run_task(s, next);
  return true;
}

bool sched_done(const Sched *s, size_t id) {
  for (size_t i = 0; i < s->n; i++)
    if (s->tasks[i]->id == id) return s->tasks[i]->done;
  return true;
}

bool sched_in_task(const Sched *s) { return s && s->current != NULL; }

size_t sched_current_id(const Sched *s) { return s && s->current ? s->current->id : (size_t)-1; }
