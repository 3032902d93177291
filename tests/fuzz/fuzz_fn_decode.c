/*
** tests/fuzz/fuzz_fn_decode.c — libFuzzer target for the built-in functions
** that parse untrusted text: jsondecode, yamldecode, csvdecode, and regex /
** regexall / replace with the input as the pattern, plus formatdate and
** format with the input as the format string. The first byte picks the
** function; the rest is the argument. Errors must be diagnostics, never
** crashes, leaks or hangs. Also built as a plain replay program
** (FUZZ_REPLAY) for its corpus in tests/fuzz/corpus/fn_decode.
*/
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "eval/value.h"
#include "stdlib/stdlib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  static const char *const fns[] = {"jsondecode", "yamldecode", "csvdecode", "regex", "regexall",
                                    "replace", "formatdate", "format", "timeadd", "cidrsubnets"};
  const char *fn = fns[data[0] % (sizeof fns / sizeof fns[0])];
  Value *arg = val_string((const char *)data + 1, size - 1);
  Value *other = val_cstring("2020-01-02T03:04:05Z hello 10.0.0.0/8");
  Value *num = val_number_i64(4);
  Value *args[3] = {arg, other, other};
  size_t n = 1;
  if (!strcmp(fn, "regex") || !strcmp(fn, "regexall") || !strcmp(fn, "formatdate")) n = 2;
  if (!strcmp(fn, "replace")) {
    args[0] = other;
    args[1] = arg;
    args[2] = other;
    n = 3;
  }
  if (!strcmp(fn, "format")) {
    args[1] = other;
    args[2] = num;
    n = 3;
  }
  if (!strcmp(fn, "timeadd")) {
    args[0] = other;
    args[1] = arg;
    n = 2;
  }
  if (!strcmp(fn, "cidrsubnets")) {
    args[1] = num;
    n = 2;
  }
  FnCtx ctx = {0};
  DiagList diags = {0};
  SrcRange r = {0, 0, 0};
  SrcRange rs[3] = {r, r, r};
  Value *res = fn_call(fn, args, n, rs, r, &ctx, &diags);
  val_free(res);
  diag_free(&diags);
  val_free(arg);
  val_free(other);
  val_free(num);
  return 0;
}
