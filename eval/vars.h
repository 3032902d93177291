/*
** eval/vars.h — values for the root module's input variables.
**
** Sources in Terraform's precedence, later wins: the variable's default,
** TF_VAR_name environment variables, terraform.tfvars,
** terraform.tfvars.json, *.auto.tfvars(.json) in lexical order, then -var
** and -var-file in command-line order. Each value is converted to the
** declared type and checked by the variable's validation rules.
*/
#ifndef TFC_VARS_H
#define TFC_VARS_H

#include "eval/config.h"

typedef struct VarArg {
  bool is_file;          /* -var-file=PATH, else -var NAME=VALUE */
  const char *text;
} VarArg;

typedef struct VarOptions {
  const char *dir;       /* where terraform.tfvars etc. are looked for */
  const VarArg *args;
  size_t nargs;
  /* validate: a variable with no value is unknown instead of an error */
  bool allow_unset;
} VarOptions;

/* Returns an array parallel to root->vars: an owned value for each
** variable, or NULL (unknown) where allow_unset and nothing was given.
** Problems are diagnostics; the array is always returned. */
Value **vars_collect(CfgModule *root, const VarOptions *o, DiagList *d);
void vars_free(Value **vals, size_t n);


#endif
