/*
** eval/override.h — Terraform's override files.
*/
#ifndef TFC_OVERRIDE_H
#define TFC_OVERRIDE_H

#include "parser/ast.h"

/* override.tf, override.tf.json, *_override.tf, *_override.tf.json */
bool cfg_is_override_file(const char *path);
/* Merges every override file among files (in the order given) into the
** primary files' blocks, in place. */
void cfg_apply_overrides(HclFile **files, size_t n, DiagList *d);

#endif
