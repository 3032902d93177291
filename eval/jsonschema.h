/*
** eval/jsonschema.h — parsing a .tf.json file the way Terraform reads it.
*/
#ifndef TFC_JSONSCHEMA_H
#define TFC_JSONSCHEMA_H

#include "parser/ast.h"

/* Parses a registered .tf.json file into the native tree shape, with
** Terraform's blocks and the compiled-in providers' schemas deciding which
** properties are blocks. */
HclFile *cfg_parse_json(uint32_t file, DiagList *d);

#endif
