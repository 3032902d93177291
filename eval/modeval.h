/*
** eval/modeval.h — evaluating expressions inside one module instance.
**
** A ModEval binds a module's configuration to values: its input variables,
** its locals (evaluated lazily, cycles reported), path.*, terraform.*, and —
** through hooks the caller supplies — resources and module calls. The
** planner supplies hooks that return planned values; `tfc validate`
** supplies none, and every resource is then an unknown value of its
** schema's type, so attribute names are still checked.
**
** count.index, each.key/value and self are set per instance with
** modeval_set_instance before evaluating an instance's arguments.
*/
#ifndef TFC_MODEVAL_H
#define TFC_MODEVAL_H

#include "eval/config.h"
#include "eval/eval.h"
#include "stdlib/stdlib.h"

/* The module instance asking (hooks answer per instance). */
typedef struct ModEval *ModEvalRef;

typedef struct ModEvalHooks {
  /* The value a reference to r evaluates to: the object (or, with count /
  ** for_each, the tuple / object of instance objects). NULL after adding a
  ** diagnostic. NULL hook: an unknown value of r's type. */
  Value *(*resource)(void *ud, ModEvalRef me, const CfgResource *r, SrcRange rng, DiagList *d);
  /* The object of a module call's outputs (tuple/object with count/for_each). */
  Value *(*module)(void *ud, ModEvalRef me, const CfgModuleCall *c, SrcRange rng, DiagList *d);
  /* The type of r's objects, for unknown values; NULL hook: dynamic. */
  const Type *(*resource_type)(void *ud, const CfgResource *r);
  void *ud;
} ModEvalHooks;

typedef struct ModEval {
  CfgModule *mod;
  Value **vars;              /* parallel to mod->vars; NULL entry: unknown of its type */
  Value **locals;            /* parallel to mod->locals, filled lazily */
  unsigned char *lstate;     /* 0 not evaluated, 1 in progress, 2 done, 3 failed */
  ModEvalHooks hooks;
  void *owner;               /* the module instance (eval/modtree.h) this scope belongs to */
  const char *workspace;
  char *path_module, *path_root, *path_cwd;
  FnCtx fn;
  EvScope scope;
  /* the instance being evaluated */
  bool has_count, has_each, has_self;
  Value *count_index, *each_key, *each_value, *self;
  /* symbols bound by dynamic blocks (the iterator), innermost last */
  struct ModSym {
    char *name;
    Value *value;
  } *syms;
  size_t nsyms, capsyms;
} ModEval;

/* vars may be NULL (all unknown); ownership of vars stays with the caller
** unless modeval_set_var is used. */
ModEval *modeval_new(CfgModule *m, const char *root_dir, const char *workspace, bool plan_time);
void modeval_free(ModEval *me);
/* Takes ownership of v (may be NULL: unknown). */
void modeval_set_var(ModEval *me, size_t index, Value *v);
/* Borrowed values; NULL arguments leave that context unset. */
void modeval_set_instance(ModEval *me, bool counted, const Value *count_index, bool for_each, const Value *each_key,
                          const Value *each_value, const Value *self);
void modeval_clear_instance(ModEval *me);

Value *modeval_expr(ModEval *me, const Expr *e, DiagList *d);
/* Binds a root name (a dynamic block's iterator) until the matching pop. */
void modeval_push_symbol(ModEval *me, const char *name, const Value *v);
void modeval_pop_symbol(ModEval *me);
/* Runs every variable's validation rules against the values set; rules
** whose result is unknown are skipped, as Terraform defers them. */
void modeval_check_vars(ModEval *me, DiagList *d);
Value *modeval_local(ModEval *me, size_t index, DiagList *d);
/* count's value as a number of instances, or -1 after Terraform's "Invalid
** count argument" at r. */
long long modeval_count(const Value *v, SrcRange r, DiagList *d);
/* Whether v can be a for_each (a known map, object or set of strings); if
** not, "Invalid for_each argument" at r. what: "resource", "module call". */
bool modeval_for_each_ok(const Value *v, SrcRange r, const char *what, DiagList *d);

#endif
