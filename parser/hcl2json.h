/*
** parser/hcl2json.h — the JSON shape of the widely used hcl2json converter.
**
** Blocks nest as type -> label -> ... -> [body, ...]; literals become JSON
** values; every other expression becomes the string "${<source>}";
** templates are re-rendered. This is what `tfc hcl2json` prints.
*/
#ifndef TFC_HCL2JSON_H
#define TFC_HCL2JSON_H

#include "parser/ast.h"

/* Returns a cJSON object (as void*), or NULL after adding a diagnostic. */
void *hcl_to_json(const HclFile *f, DiagList *diags);
/* Prints v with 2-space indentation and sorted keys, like JSON.stringify. */
char *hcl_json_print(const void *v);

#endif
