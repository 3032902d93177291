/*
** eval/modtree.h — one evaluation scope per module instance of a loaded
** configuration.
**
** The root module's variables come from the caller (eval/vars.h); a child
** module's variables are its call's arguments, evaluated in the parent's
** scope and converted to the declared types (unknown where an argument is
** unknown). Argument names are checked against the child's variables.
**
** A tree made with `expand` (plan and apply) has one instance per key of a
** call's count or for_each, each with count.index / each.* bound while its
** arguments are evaluated, and its own state address ("module.a[0]"). The
** keys are evaluated again by every modtree_bind_inputs; instances whose key
** stays keep their scope (and `user` data). Without `expand` (validate,
** console) every call has one instance, whose count.index / each.* are
** unknown, so the module is checked once for all of its instances.
*/
#ifndef TFC_MODTREE_H
#define TFC_MODTREE_H

#include "eval/modeval.h"

typedef enum { MT_KEY_NONE, MT_KEY_INT, MT_KEY_STR } ModKeyKind;

struct ModTree;

/* The instances of one module call. */
typedef struct ModCallInsts {
  struct ModTree **v;        /* in key order: 0..count-1, or for_each's order */
  size_t n;
  bool unknown;              /* count/for_each could not be evaluated: no instances */
} ModCallInsts;

typedef struct ModTree {
  CfgModule *mod;
  ModEval *me;               /* me->owner is this instance */
  struct ModTree *parent;
  ModKeyKind key_kind;       /* this instance's key in its call */
  long long key_i;
  char *key_s;
  Value *each_value;         /* for_each's element for this key */
  char *path;                /* "" for the root, "module.a[0].module.b": the state's module address */
  ModCallInsts *calls;       /* parallel to mod->calls */
  bool expand;
  /* the caller's data for this instance, freed with it */
  void *user;
  void (*user_free)(void *user);
} ModTree;

/* Creates the root scope. root_vars: parallel to root->vars, ownership
** taken (entries may be NULL: unknown). hooks are installed in every
** instance's ModEval. Children appear with modtree_bind_inputs. */
ModTree *modtree_new(CfgModule *root, Value **root_vars, const char *workspace, bool plan_time, bool expand,
                     const ModEvalHooks *hooks);
/* Evaluates every module call's instances and arguments (parents first) and
** sets the children's variables. Hooks may already look the tree up. */
void modtree_bind_inputs(ModTree *t, DiagList *d);
void modtree_free(ModTree *t);
/* The first instance of module m; NULL if none. */
ModTree *modtree_find(ModTree *t, const CfgModule *m);
/* The instance with this state module address; NULL if none. */
ModTree *modtree_find_path(ModTree *t, const char *path);
/* The first instance of call i of t, or NULL. */
ModTree *modtree_child(const ModTree *t, size_t call);
/* A ModEvalHooks.module that answers module.NAME from the tree: the
** instance's outputs, or a tuple/object of them with count/for_each
** (unknown when the tree does not expand). */
Value *modtree_hook_module(void *ud, ModEvalRef me, const CfgModuleCall *c, SrcRange rng, DiagList *d);

#endif
