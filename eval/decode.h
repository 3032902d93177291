/*
** eval/decode.h — decoding a resource block's body against a provider
** schema into one object value.
**
** The result has every schema attribute (null where not configured) and one
** attribute per nested block type (a list or set of objects); `dynamic`
** blocks are expanded. Problems are Terraform's diagnostics on the exact
** argument: unsupported names with did-you-mean, missing required
** arguments, wrong types, too many or too few blocks.
**
** A RangeMap remembers where each attribute path was written
** ("production_variants[0].instance_type"), so a provider's diagnostic about
** a path can be shown on that source range.
*/
#ifndef TFC_DECODE_H
#define TFC_DECODE_H

#include "eval/modeval.h"
#include "providers/provider.h"

typedef struct RangeEntry {
  char *path;
  SrcRange range;
} RangeEntry;

typedef struct RangeMap {
  RangeEntry *v;
  size_t n, cap;
  SrcRange whole;        /* the block header, for paths not written */
} RangeMap;

/* Decodes body (a resource or data block's body; its meta-arguments are
** skipped) with the module instance context already set in me. Returns
** NULL only when nothing could be decoded. */
Value *decode_resource_body(ModEval *me, const Block *block, const Schema *s, RangeMap *rm, DiagList *d);

/* The range recorded for path, or for its longest recorded prefix, or the
** whole block. */
SrcRange rangemap_find(const RangeMap *rm, const char *path);
void rangemap_free(RangeMap *rm);

/* Turns provider diagnostics into diagnostics on the configuration. */
void decode_prov_diags(const ProvDiags *pd, const RangeMap *rm, const char *address, DiagList *d);

#endif
