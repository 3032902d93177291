#include "stdlib/fn.h"
const FnDef fn_defs_time[] = {{NULL, {{0}}, 0, {0}, FT_ANY, NULL, NULL}};
const FnDef fn_defs_crypto[] = {{NULL, {{0}}, 0, {0}, FT_ANY, NULL, NULL}};
const FnDef fn_defs_net[] = {{NULL, {{0}}, 0, {0}, FT_ANY, NULL, NULL}};
const FnDef fn_defs_conv[] = {{NULL, {{0}}, 0, {0}, FT_ANY, NULL, NULL}};
