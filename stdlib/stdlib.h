/*
** stdlib/stdlib.h — Terraform's built-in functions.
**
** The evaluator (eval/) calls functions only through this interface; the
** implementations live in the stdlib folder. Values follow eval/value.h's rule:
** arguments are borrowed, the result is an owned reference.
**
** try() and can() are not here: they need unevaluated expressions, so the
** evaluator implements them itself.
*/
#ifndef TFC_STDLIB_H
#define TFC_STDLIB_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "base/src.h"
#include "eval/value.h"

typedef struct FnCtx {
  const char *base_dir;   /* module directory: file functions resolve relative to it */
  bool plan_time;         /* impure functions (timestamp, uuid, bcrypt) return unknown */
  /* for templatefile: the evaluator to render a parsed template with vars */
  Value *(*render_template)(void *ev, const char *path, const char *src, size_t len, Value *vars,
                            SrcRange call_range, DiagList *diags);
  void *ev;
} FnCtx;

bool fn_exists(const char *name);                 /* accepts "core::" prefix */
const char *const *fn_names(size_t *n);           /* for did-you-mean */
/* Calls name with nargs arguments (borrowed; the result is owned). On error
** adds diagnostics (e.g. "Invalid function argument" on arg_ranges[i]) and
** returns NULL. */
Value *fn_call(const char *name, Value **args, size_t nargs, const SrcRange *arg_ranges,
               SrcRange call_range, FnCtx *ctx, DiagList *diags);

#endif
