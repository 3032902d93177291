/*
** plan/sched.h — concurrent operations on a virtual clock, one running at a
** time (plan/sched.c explains why).
**
** The main thread starts tasks; a task runs until it calls sched_sleep or
** returns. When every running task sleeps, sched_advance moves the clock to
** the earliest wake-up (through SchedClock, which for the simulator moves
** its clock and for real AWS really sleeps) and resumes that task.
*/
#ifndef TFC_SCHED_H
#define TFC_SCHED_H

#include <stdbool.h>
#include <stddef.h>

typedef struct SchedClock {
  double (*now)(void *ud);
  /* moves the clock from `from` to `to` (to > from) */
  void (*advance)(void *ud, double from, double to);
  void *ud;
} SchedClock;

typedef struct Sched Sched;
typedef void (*SchedFn)(void *arg);

/* The calling thread becomes the main thread. */
Sched *sched_new(const SchedClock *clock);
/* Waits for every task (all must be done) and frees. */
void sched_free(Sched *s);
/* Runs fn(arg) as task id until it first sleeps or returns. false if no
** thread could be made; fn then ran to the end on the caller's thread. */
bool sched_start(Sched *s, size_t id, SchedFn fn, void *arg);
/* In a task: sleeps `seconds` of clock time, letting others run. Outside a
** task (or with s NULL): false, and the caller sleeps its own way. */
bool sched_sleep(Sched *s, double seconds);
/* Tasks started and not finished. */
size_t sched_running(const Sched *s);
/* Main thread, when every running task sleeps: wakes the earliest. false
** when no task sleeps. */
bool sched_advance(Sched *s);
bool sched_done(const Sched *s, size_t id);
bool sched_in_task(const Sched *s);
size_t sched_current_id(const Sched *s);

#endif
