/*
** eval/modtree.h — one evaluation scope per module of a loaded configuration.
**
** The root module's variables come from the caller (eval/vars.h); a child
** module's variables are its call's arguments, evaluated in the parent's
** scope and converted to the declared types (unknown where an argument is
** unknown). Argument names are checked against the child's variables.
*/
#ifndef TFC_MODTREE_H
#define TFC_MODTREE_H

#include "eval/modeval.h"

typedef struct ModTree {
  CfgModule *mod;
  ModEval *me;
  struct ModTree **children;   /* parallel to mod->calls; NULL where not loaded */
  struct ModTree *parent;
} ModTree;

/* Creates a scope for every module. root_vars: parallel to root->vars,
** ownership taken (entries may be NULL: unknown). hooks are installed in
** every module's ModEval. */
ModTree *modtree_new(CfgModule *root, Value **root_vars, const char *workspace, bool plan_time,
                     const ModEvalHooks *hooks);
/* Evaluates every module call's arguments (parents first) and sets the
** children's variables. Hooks may already look the tree up. */
void modtree_bind_inputs(ModTree *t, DiagList *d);
void modtree_free(ModTree *t);
/* The ModTree of module m (found by walking); NULL if m is not in t. */
ModTree *modtree_find(ModTree *t, const CfgModule *m);

#endif
