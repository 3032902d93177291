/*
** bench/eval_bench.c — evaluator throughput: a for-expression over 1,000,000
** elements and 100,000 string templates. Prints one line per measurement and
** fails (exit 1) when a limit from issue 3 is exceeded (1 s each).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/util.h"
#include "eval/eval.h"
#include "parser/ast.h"

static Value *big;

static Value *resolve(void *ud, const EvTraversal *t, size_t *consumed, DiagList *diags) {
  (void)ud;
  (void)diags;
  *consumed = 1;
  if (t->nsteps && t->steps[0].kind == EV_STEP_ATTR && hcl_str_eq(t->steps[0].name, "big")) return val_ref(big);
  diag_error(diags, t->range, "Unknown variable", "Only var.big exists here.");
  return NULL;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double run(const char *what, const char *src, size_t n, size_t want_len) {
  big = NULL;
  Value **el = xmalloc(n * sizeof *el);
  for (size_t i = 0; i < n; i++) el[i] = val_number_i64((int64_t)i);
  big = val_tuple(el, n);
  for (size_t i = 0; i < n; i++) val_free(el[i]);
  free(el);
  uint32_t f = src_add(what, xstrdup(src), strlen(src));
  Arena a;
  arena_init(&a);
  DiagList d = {0};
  Expr *e = hcl_parse_expr(f, &a, &d);
  EvScope sc = {resolve, NULL, NULL, NULL};
  double t0 = now();
  Value *v = e ? ev_eval(e, &sc, &d) : NULL;
  double t1 = now();
  if (!v || val_len(v) != want_len) {
    diag_print_all(&d, stdout, stderr, false);
    fprintf(stderr, "%s: wrong result\n", what);
    exit(1);
  }
  val_free(v);
  val_free(big);
  diag_free(&d);
  arena_free(&a);
  printf("%-46s %8.3f s (CPU)\n", what, t1 - t0);
  return t1 - t0;
}

int main(void) {
  double a = run("for-expression over 1,000,000 elements", "[for x in var.big : x * 2 + 1 if x >= 0]", 1000000,
                 1000000);
  double b = run("100,000 string templates", "[for i, x in var.big : \"item-${i}-${x + 1}-%{if x > 5}big%{endif}\"]",
                 100000, 100000);
  double c = run("object for-expression over 100,000 keys", "{for x in var.big : \"k${x}\" => x}", 100000, 100000);
  (void)c;
  src_reset();
  if (a > 1.0 || b > 1.0) {
    printf("FAIL: over the 1 s limit\n");
    return 1;
  }
  return 0;
}
