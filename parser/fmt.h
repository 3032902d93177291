/*
** parser/fmt.h — the canonical layout of HCL native syntax (`tfc fmt`).
**
** The formatter works on the lexer's lossless token stream, the way
** HashiCorp's hclwrite does: it only changes the whitespace between tokens
** on each line (indentation by bracket nesting, one space or none between
** tokens, aligned "=" and trailing comments). It never adds, removes or
** reorders lines; heredoc bodies and the inside of strings are copied as
** they are.
**
** Given the file's syntax tree it also makes the rewrites `terraform fmt`
** adds on top of hclwrite: block labels are quoted, an attribute value that
** is exactly one "${ expr }" becomes the bare expression, and the `type` of
** a top-level `variable` block is normalised (list -> list(any),
** "string" -> string, "list" -> list(string), "map" -> map(string)).
*/
#ifndef TFC_FMT_H
#define TFC_FMT_H

#include <stddef.h>

#include "parser/ast.h"

/* Formats src[0..len). src[len] must be readable (a NUL), as for the lexer.
** tree is the file parsed from exactly these bytes, without errors, or NULL
** for hclwrite's layout alone (no Terraform rewrites). Returns a malloc'd
** buffer (NUL-terminated) and its length in *out_len. Never fails: bytes
** the formatter does not understand are copied through. */
char *hcl_format(const char *src, size_t len, const HclFile *tree, size_t *out_len);

#endif
