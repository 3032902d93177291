/*
** tests/fuzz/fuzz_eval.c — libFuzzer target for the evaluator: any bytes
** that parse as an expression must evaluate to a value or diagnostics, never
** a crash, hang or leak. Roots give unknown, sensitive and null values so
** their propagation paths run too; the result is printed, encoded to JSON,
** converted to a few types, and the expression's references are listed.
** Also built as a plain program (FUZZ_REPLAY) for corpus replay.
*/
#include "base/util.h"
#include "eval/eval.h"
#include "parser/ast.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static Value *resolve(void *ud, const EvTraversal *t, size_t *consumed, DiagList *diags) {
  (void)ud;
  *consumed = t->nsteps ? 1 : 0;
  if (hcl_str_eq(t->root, "u")) return val_unknown(T_DYNAMIC);
  if (hcl_str_eq(t->root, "l")) return val_unknown(type_list(T_STRING));
  if (hcl_str_eq(t->root, "n")) return val_null(type_map(T_NUMBER));
  if (hcl_str_eq(t->root, "s")) {
    Value *a = val_cstring("a"), *b = val_number_i64(2);
    Value *tup = val_tuple((Value *[]){a, b}, 2);
    Value *m = val_mark_sensitive(tup);
    val_free(a), val_free(b), val_free(tup);
    return m;
  }
  diag_error(diags, t->range, "Unknown variable", "No such variable.");
  return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 4096) return 0;
  char *buf = xmalloc(size + 1);
  if (size) memcpy(buf, data, size);
  buf[size] = 0;
  uint32_t id = src_add("fuzz.tf", buf, size);
  Arena arena;
  arena_init(&arena);
  DiagList d = {0};
  Expr *e = hcl_parse_expr(id, &arena, &d);
  if (e && !diag_has_errors(&d)) {
    EvRefList refs = {0};
    ev_references(e, &refs);
    for (size_t i = 0; i < refs.n; i++) free(ev_traversal_string(&refs.v[i]));
    ev_reflist_free(&refs);
    EvScope scope = {resolve, NULL, NULL, NULL};
    Value *v = ev_eval(e, &scope, &d);
    if (v) {
      free(val_format(v));
      free(val_describe(v));
      cJSON *j = val_to_json(v);
      if (j) {
        char *err = NULL;
        Value *back = val_from_json(j, val_type(v), &err);
        val_free(back);
        free(err);
        cJSON_Delete(j);
      }
      const Type *targets[] = {T_STRING, T_NUMBER, T_BOOL, type_list(T_DYNAMIC), type_set(T_STRING),
                               type_map(T_DYNAMIC)};
      for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        ValConvErr ce;
        Value *c = val_convert(v, targets[i], &ce);
        if (!c) val_conv_err_free(&ce);
        val_free(c);
      }
      Value *eq = val_equals(v, v);
      val_free(eq);
      val_free(v);
    }
    DiagList td = {0};
    const Type *t = type_from_expr(e, NULL, &td);
    (void)t;
    diag_free(&td);
  }
  diag_free(&d);
  arena_free(&arena);
  src_reset();
  return 0;
}

#ifdef FUZZ_REPLAY
#include <stdio.h>
int main(int argc, char **argv) {
  int n = 0;
  for (int i = 1; i < argc; i++) {
    size_t len;
    char *b = read_file(argv[i], &len);
    if (!b) {
      perror(argv[i]);
      return 2;
    }
    LLVMFuzzerTestOneInput((const uint8_t *)b, len);
    free(b);
    n++;
  }
  printf("ok - fuzz replay of %d inputs\n", n);
  return 0;
}
#endif
