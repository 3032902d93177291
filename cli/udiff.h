/*
** cli/udiff.h — unified diffs of two texts, in the layout of `diff -u`.
**
** Used by `tfc fmt -diff` (Terraform shells out to `diff -u --label=old/F
** --label=new/F`; tfc computes the same kind of diff itself, so it needs no
** external program and no temporary files).
*/
#ifndef TFC_UDIFF_H
#define TFC_UDIFF_H

#include <stddef.h>

#include "base/buf.h"

/* Appends to out the unified diff (3 lines of context) turning a into b,
** headed "--- old_label" / "+++ new_label". Appends nothing when the texts
** are equal. A last line without a newline is followed by
** "\ No newline at end of file", as diff prints it. */
void udiff(Buf *out, const char *a, size_t alen, const char *b, size_t blen, const char *old_label,
           const char *new_label);

#endif
