/*
** eval/eval.h — evaluating expressions, and listing their references.
**
** An expression is evaluated over an EvScope: a resolver callback supplied by
** the caller answers root references (var.x, local.y, module.m.out,
** aws_x.y[0], data.a.b, each.key, count.index, path.module,
** terraform.workspace, self ...); the evaluator itself binds the symbols of
** for-expressions and splats. Function calls go through stdlib/stdlib.h,
** except try() and can(), which need their arguments unevaluated.
**
** Values follow eval/value.h's rule: arguments borrowed, results owned.
** Unknown and sensitive values propagate as Terraform does (terraform.md
** §5.5); && and || short-circuit as in hcl 2.24.
*/
#ifndef TFC_EVAL_H
#define TFC_EVAL_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "base/src.h"
#include "eval/value.h"
#include "parser/ast.h"

struct FnCtx;

/* One static step of a traversal: .name or [literal key]. */
typedef enum EvStepKind { EV_STEP_ATTR, EV_STEP_INDEX } EvStepKind;

typedef struct EvStep {
  EvStepKind kind;
  HclStr name;          /* EV_STEP_ATTR: the attribute name (points into the AST) */
  Value *key;           /* EV_STEP_INDEX: the literal key (string or number), owned by the list */
  SrcRange range;       /* ".name" or "[key]" */
} EvStep;

/* A reference: a root name with the static steps that follow it, e.g.
** var.a -> root "var", steps [.a]; aws_x.y[0].id -> root "aws_x", steps
** [.y, [0], .id]. Steps stop at the first dynamic index or splat. */
typedef struct EvTraversal {
  HclStr root;
  SrcRange root_range;
  EvStep *steps;
  size_t nsteps;
  SrcRange range;       /* root through the last static step */
} EvTraversal;

/* Resolves a root reference. Returns the value of the root plus the first
** *consumed steps (the caller sets *consumed, 0 <= *consumed <= t->nsteps;
** e.g. for var.a.b the resolver returns var.a and consumes 1), or NULL after
** adding a diagnostic ("Reference to undeclared input variable" ...). The
** evaluator applies the remaining steps itself. */
typedef Value *(*EvResolveFn)(void *ud, const EvTraversal *t, size_t *consumed, DiagList *diags);

/* The function library, called through pointers so that eval/ does not
** depend on stdlib/ at link time. ev_stdlib_funcs (eval/stdfuncs.c) points
** at stdlib/stdlib.h's fn_exists, fn_names and fn_call. */
typedef struct EvFuncs {
  bool (*exists)(const char *name);
  const char *const *(*names)(size_t *n);
  Value *(*call)(const char *name, Value **args, size_t nargs, const SrcRange *arg_ranges,
                 SrcRange call_range, struct FnCtx *ctx, DiagList *diags);
} EvFuncs;
extern const EvFuncs ev_stdlib_funcs;

typedef struct EvScope {
  EvResolveFn resolve;  /* NULL: every root reference is an error */
  void *ud;
  const EvFuncs *funcs; /* NULL: function calls are not allowed here */
  struct FnCtx *fn;     /* passed to funcs->call */
} EvScope;

/* Evaluates e. Returns an owned value, or NULL when errors were added to
** diags (every error found is reported, not only the first). */
Value *ev_eval(const Expr *e, const EvScope *scope, DiagList *diags);

/* Evaluates an expression that may not refer to anything (defaults in type
** constraints, literals): no references, no functions. */
Value *ev_eval_const(const Expr *e, DiagList *diags);

/* Renders a template source text (for templatefile): parses src as a
** template registered under path and evaluates it with vars (an object or
** map) as its only variables. Usable as FnCtx.render_template with ev set
** to the caller's EvScope (its functions are used). */
Value *ev_render_template(void *ev, const char *path, const char *src, size_t len, Value *vars,
                          SrcRange call_range, DiagList *diags);

/* A list of references, in source order. */
typedef struct EvRefList {
  EvTraversal *v;
  size_t n, cap;
} EvRefList;

/* Appends every reference e makes, without evaluating anything. Symbols
** bound by for-expressions and splats inside e are not references. */
void ev_references(const Expr *e, EvRefList *out);
void ev_reflist_free(EvRefList *l);

/* "var.a", "aws_x.y[0].id", "each.key": a reference as Terraform writes it. */
char *ev_traversal_string(const EvTraversal *t);

#endif
