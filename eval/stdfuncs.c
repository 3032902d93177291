/*
** eval/stdfuncs.c — binds the evaluator's function hooks to stdlib/.
**
** Kept in its own file so that only programs which use ev_stdlib_funcs link
** against the built-in functions.
*/
#include "eval/eval.h"
#include "stdlib/stdlib.h"

const EvFuncs ev_stdlib_funcs = {fn_exists, fn_names, fn_call};
