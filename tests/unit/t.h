/*
** tests/unit/t.h — the unit-test harness.
**
** A test file defines functions `static void test_xxx(void)` and lists them in
** main with RUN(test_xxx). Each check that fails prints "FAIL - test: file:line:
** message"; each test that passes prints "ok - test". tests/run.sh counts these
** lines across every test binary and suite.
*/
#ifndef TFC_T_H
#define TFC_T_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_failed_total, t_passed_total, t_cur_failed;
static const char *t_cur_name;

#define CHECK(cond)                                                                   \
  do {                                                                                \
    if (!(cond)) {                                                                    \
      printf("FAIL - %s: %s:%d: %s\n", t_cur_name, __FILE__, __LINE__, #cond);        \
      t_cur_failed = 1;                                                               \
    }                                                                                 \
  } while (0)

#define CHECK_STR(got, want)                                                          \
  do {                                                                                \
    const char *g_ = (got), *w_ = (want);                                             \
    if (!g_ || strcmp(g_, w_) != 0) {                                                 \
      printf("FAIL - %s: %s:%d: got \"%s\", want \"%s\"\n", t_cur_name, __FILE__,     \
             __LINE__, g_ ? g_ : "(null)", w_);                                       \
      t_cur_failed = 1;                                                               \
    }                                                                                 \
  } while (0)

#define CHECK_INT(got, want)                                                          \
  do {                                                                                \
    long long g_ = (long long)(got), w_ = (long long)(want);                          \
    if (g_ != w_) {                                                                   \
      printf("FAIL - %s: %s:%d: %s = %lld, want %lld\n", t_cur_name, __FILE__,        \
             __LINE__, #got, g_, w_);                                                 \
      t_cur_failed = 1;                                                               \
    }                                                                                 \
  } while (0)

#define RUN(fn)                                                                       \
  do {                                                                                \
    t_cur_name = #fn;                                                                 \
    t_cur_failed = 0;                                                                 \
    fn();                                                                             \
    if (t_cur_failed) t_failed_total++;                                               \
    else { t_passed_total++; printf("ok - %s\n", #fn); }                              \
  } while (0)

#define T_END() (t_failed_total ? 1 : 0)

#endif
