/*
** plan/check.h — static checks of a whole configuration, shared by
** `tfc validate` and `tfc plan`.
**
** Every expression of every module is evaluated once with the values known
** so far (variables from -var/-var-file when given, otherwise unknown;
** resources as their configuration with computed attributes unknown), so
** that undeclared references, unsupported arguments, type errors and
** provider validations all surface in one run. Then the providers'
** deployment checks look at the decoded resources together.
*/
#ifndef TFC_CHECK_H
#define TFC_CHECK_H

#include "eval/config.h"
#include "eval/vars.h"

typedef struct CheckOptions {
  const VarArg *vars;
  size_t nvars;
  const char *workspace;
  bool vars_required;      /* plan: missing variables are errors */
} CheckOptions;

/* Checks the loaded configuration; appends diagnostics. */
void check_config(CfgModule *root, const CheckOptions *o, DiagList *d);

#endif
