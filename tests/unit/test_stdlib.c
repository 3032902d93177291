/*
** tests/unit/test_stdlib.c — the function table and the dispatcher's
** diagnostics (which argument an error points at); the functions' values
** are covered by the golden cases in tests/functions.
*/
#include <string.h>

#include "base/util.h"
#include "eval/value.h"
#include "stdlib/stdlib.h"
#include "tests/unit/t.h"

static void test_names_sorted_and_complete(void) {
  size_t n;
  const char *const *v = fn_names(&n);
  CHECK(n >= 118);
  for (size_t i = 1; i < n; i++) CHECK(strcmp(v[i - 1], v[i]) < 0);
  static const char *const must[] = {"lookup", "merge", "templatefile", "templatestring", "plantimestamp",
                                     "cidrsubnets", "yamlencode", "bcrypt", "list", "map", "ephemeralasnull"};
  for (size_t i = 0; i < sizeof must / sizeof must[0]; i++) CHECK(fn_exists(must[i]));
  CHECK(fn_exists("core::upper"));
  CHECK(!fn_exists("nosuchfunction"));
  CHECK(!fn_exists("core::"));
  CHECK(!fn_exists("try")); /* the evaluator's */
}

static SrcRange rng(uint32_t a, uint32_t b) { return src_range(1, a, b); }

static void test_invalid_argument_points_at_argument(void) {
  DiagList d = {0};
  Value *args[2] = {val_cstring("a"), val_cstring("not a number")};
  SrcRange r[2] = {rng(10, 13), rng(15, 29)};
  FnCtx ctx = {0};
  Value *res = fn_call("substr", args, 2, r, rng(0, 30), &ctx, &d);
  CHECK(res == NULL);
  CHECK_INT(d.n, 1);
  if (d.n == 1) {
    CHECK_STR(d.v[0].summary, "Not enough function arguments");
    CHECK(d.v[0].subject.start == 0 && d.v[0].subject.end == 30);
  }
  diag_free(&d);
  memset(&d, 0, sizeof d);
  Value *a3[3] = {args[0], args[1], args[1]};
  SrcRange r3[3] = {r[0], r[1], rng(31, 40)};
  res = fn_call("substr", a3, 3, r3, rng(0, 41), &ctx, &d);
  CHECK(res == NULL);
  CHECK(d.n >= 1);
  if (d.n >= 1) {
    CHECK_STR(d.v[0].summary, "Invalid function argument");
    CHECK_STR(d.v[0].detail, "Invalid value for \"offset\" parameter: a number is required.");
    CHECK(d.v[0].subject.start == 15 && d.v[0].subject.end == 29);
  }
  diag_free(&d);
  val_free(args[0]);
  val_free(args[1]);
}

static void test_too_many_points_at_first_extra(void) {
  DiagList d = {0};
  Value *a = val_cstring("x");
  Value *args[3] = {a, a, a};
  SrcRange r[3] = {rng(6, 9), rng(11, 14), rng(16, 19)};
  FnCtx ctx = {0};
  CHECK(fn_call("upper", args, 3, r, rng(0, 20), &ctx, &d) == NULL);
  CHECK_INT(d.n, 1);
  if (d.n == 1) {
    CHECK_STR(d.v[0].summary, "Too many function arguments");
    CHECK_STR(d.v[0].detail, "Function \"upper\" expects only 1 argument(s).");
    CHECK(d.v[0].subject.start == 11);
  }
  diag_free(&d);
  val_free(a);
}

static void test_unknown_function(void) {
  DiagList d = {0};
  FnCtx ctx = {0};
  CHECK(fn_call("nosuch", NULL, 0, NULL, rng(0, 8), &ctx, &d) == NULL);
  CHECK_INT(d.n, 1);
  if (d.n == 1) CHECK_STR(d.v[0].summary, "Call to unknown function");
  diag_free(&d);
}

static void test_plan_time_impure_functions_are_unknown(void) {
  DiagList d = {0};
  FnCtx ctx = {NULL, true, NULL, NULL};
  const char *names[] = {"uuid", "timestamp"};
  for (size_t i = 0; i < 2; i++) {
    Value *v = fn_call(names[i], NULL, 0, NULL, rng(0, 6), &ctx, &d);
    CHECK(v && !val_is_known(v) && val_type(v) == T_STRING);
    val_free(v);
  }
  Value *s = val_cstring("pw");
  Value *v = fn_call("bcrypt", &s, 1, NULL, rng(0, 6), &ctx, &d);
  CHECK(v && !val_is_known(v));
  val_free(v);
  val_free(s);
  CHECK_INT(d.n, 0);
  diag_free(&d);
}

static void test_core_prefix_calls(void) {
  DiagList d = {0};
  FnCtx ctx = {0};
  Value *s = val_cstring("abc");
  Value *v = fn_call("core::upper", &s, 1, NULL, rng(0, 6), &ctx, &d);
  CHECK(v && !strcmp(val_str(v), "ABC"));
  val_free(v);
  val_free(s);
  diag_free(&d);
}

int main(void) {
  RUN(test_names_sorted_and_complete);
  RUN(test_invalid_argument_points_at_argument);
  RUN(test_too_many_points_at_first_extra);
  RUN(test_unknown_function);
  RUN(test_plan_time_impure_functions_are_unknown);
  RUN(test_core_prefix_calls);
  return T_END();
}
