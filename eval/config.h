/*
** eval/config.h — the configuration model: a module tree loaded from
** directories of .tf files.
**
** cfg_load reads the root module's directory and, recursively, every module
** called with a local source ("./x", "../y"), and decodes the blocks
** Terraform knows (terraform, provider, variable, locals, output, resource,
** data, module, moved, import, check) into the structs below. Expressions
** stay unevaluated (Expr* into the files' trees); evaluation happens in
** eval/modeval.c, planning in plan/.
**
** Everything here is owned by the module tree: cfg_free(root) releases it,
** including the parsed files.
*/
#ifndef TFC_CONFIG_H
#define TFC_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "eval/value.h"
#include "parser/ast.h"

typedef struct CfgModule CfgModule;

/* A precondition, postcondition, validation or check assertion. */
typedef struct CfgCheck {
  Expr *condition;
  Expr *error_message;
  SrcRange range;                 /* the block header */
} CfgCheck;

typedef struct CfgLifecycle {
  bool create_before_destroy;
  bool cbd_set;                   /* written explicitly */
  SrcRange cbd_range;             /* the create_before_destroy attribute */
  bool prevent_destroy;
  bool ignore_all;                /* ignore_changes = all */
  Expr **ignore_changes;          /* traversals relative to the resource */
  size_t nignore;
  Expr **replace_triggered_by;
  size_t nreplace;
  CfgCheck *pre, *post;
  size_t npre, npost;
} CfgLifecycle;

typedef enum { CFG_MANAGED, CFG_DATA } CfgMode;

typedef struct CfgResource {
  CfgMode mode;
  char *type, *name;
  SrcRange decl_range;            /* resource "type" "name" */
  Block *block;
  Body *body;
  Expr *count, *for_each;
  Expr **depends_on;
  size_t ndepends;
  char *provider;                 /* local provider name: "aws" */
  char *provider_alias;           /* NULL for the default configuration */
  CfgLifecycle lc;
  CfgModule *module;
  size_t seq;                     /* position among all resources of the tree, in cfg_walk order */
} CfgResource;

typedef struct CfgVariable {
  char *name;
  SrcRange decl_range;
  const Type *type;               /* T_DYNAMIC when no type was given */
  TypeDefaults *defaults;
  Expr *default_expr;             /* NULL: required */
  Value *default_value;           /* converted to type; NULL when required or invalid */
  char *description;
  bool sensitive;
  bool nullable;
  CfgCheck *validations;
  size_t nvalidations;
} CfgVariable;

typedef struct CfgLocal {
  char *name;
  Expr *expr;
  SrcRange range;                 /* the name */
} CfgLocal;

typedef struct CfgOutput {
  char *name;
  SrcRange decl_range;
  Expr *value;
  char *description;
  bool sensitive;
  Expr **depends_on;
  size_t ndepends;
  CfgCheck *pre;
  size_t npre;
} CfgOutput;

typedef struct CfgModuleCall {
  char *name;
  SrcRange decl_range;
  char *source;
  SrcRange source_range;
  Body *body;                     /* input arguments are its attributes */
  Expr *count, *for_each;
  Expr **depends_on;
  size_t ndepends;
  CfgModule *child;               /* NULL when the source could not be loaded */
} CfgModuleCall;

typedef struct CfgProvider {
  char *name;
  char *alias;
  SrcRange decl_range;
  Body *body;
} CfgProvider;

struct CfgModule {
  char *dir;                      /* directory as given (relative to the cwd) */
  char *addr;                     /* "" for the root, "module.a.module.b" below */
  CfgModule *parent;
  CfgModuleCall *call;            /* the call that created it; NULL for the root */
  HclFile **files;
  size_t nfiles;
  CfgVariable *vars;
  size_t nvars;
  CfgLocal *locals;
  size_t nlocals;
  CfgOutput *outputs;
  size_t noutputs;
  CfgResource *resources;
  size_t nresources;
  size_t *rslot;                  /* hash index of resources for cfg_resource: position + 1, 0 empty */
  size_t rcap;                    /* slots in rslot, a power of two above 2 * nresources */
  CfgModuleCall *calls;
  size_t ncalls;
  CfgProvider *providers;
  size_t nproviders;
  Expr *required_version;
  SrcRange required_version_range;
  char *backend;                  /* "local" or NULL */
  char *backend_path;             /* backend "local" { path = ... } */
};

/* Loads the module in dir and every local module it calls. Always returns a
** tree (possibly incomplete); problems are diagnostics. */
CfgModule *cfg_load(const char *dir, DiagList *diags);
void cfg_free(CfgModule *m);

CfgVariable *cfg_variable(const CfgModule *m, const char *name);
CfgLocal *cfg_local(const CfgModule *m, const char *name);
CfgOutput *cfg_output(const CfgModule *m, const char *name);
CfgResource *cfg_resource(const CfgModule *m, CfgMode mode, const char *type, const char *name);
CfgModuleCall *cfg_call(const CfgModule *m, const char *name);

/* "aws_x.y" or "data.aws_x.y", prefixed with the module address. malloc'd. */
char *cfg_resource_addr(const CfgResource *r);
/* " in module.a" or " in the root module", for messages. */
const char *cfg_module_phrase(const CfgModule *m);

/* Calls fn for m and every module below it, parents first. */
void cfg_walk(CfgModule *m, void (*fn)(CfgModule *m, void *ud), void *ud);

/* hcl-style did-you-mean: the closest candidate within a small edit
** distance, or NULL. */
const char *cfg_suggest(const char *given, const char *const *cands, size_t n);

#endif
