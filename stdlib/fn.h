/*
** stdlib/fn.h — internal interface between the dispatcher and the function
** implementations (not used outside stdlib/).
**
** Every built-in function is one row of the signature table in dispatch.c:
** its parameters (name, type, what they accept), an optional variadic
** parameter, its return type and its implementation. The dispatcher does
** everything generic before an implementation runs:
**   - arity ("Not enough/Too many function arguments");
**   - null arguments where a parameter does not accept null;
**   - conversion of each argument to its parameter's type;
**   - sensitive marks: stripped from arguments (deeply, or only at the top
**     for FP_SHALLOW parameters) and put back on the result, unless the
**     parameter handles marks itself (FP_MARKED);
**   - unknown arguments: when an argument holds an unknown anywhere (only
**     at the top for FP_SHALLOW) the result is unknown of the return type,
**     unless the parameter handles unknowns itself (FP_UNKNOWN).
** So an implementation sees known, unmarked, correctly typed, non-null
** values (except where its row says otherwise) and only computes.
*/
#ifndef TFC_STDLIB_FN_H
#define TFC_STDLIB_FN_H

#include <stdarg.h>

#include "stdlib/stdlib.h"

/* Parameter types. Composite types cannot be static initialisers (types
** are interned at run time), so the table names them with a code. */
typedef enum FnType {
  FT_ANY,          /* any value, unconverted (cty.DynamicPseudoType) */
  FT_STRING,
  FT_NUMBER,
  FT_BOOL,
  FT_LIST_ANY,     /* list of any single type */
  FT_SET_ANY,      /* set of any single type */
  FT_MAP_ANY,      /* map of any single type */
  FT_LIST_STRING,
  FT_LIST_NUMBER,
  FT_LIST_BOOL,
  FT_SET_STRING,
  FT_MAP_STRING,
  FT_MAP_LIST_STRING,
  FT_LIST_LIST_ANY, /* list of lists (coalescelist-like); unused as a conversion */
} FnType;

/* Parameter flags. */
enum {
  FP_NULL = 1 << 0,      /* null is passed through to the implementation */
  FP_UNKNOWN = 1 << 1,   /* unknown (anywhere inside) is passed through */
  FP_MARKED = 1 << 2,    /* sensitive marks are passed through */
  /* Structural functions (element, slice, keys, merge ...) only move
  ** elements around, so only the argument's own top-level unknown/mark is
  ** handled by the dispatcher; unknown or sensitive elements inside stay
  ** where they are and end up in the result only if the element does
  ** (element(["a", sensitive("b")], 0) is not sensitive, as in Terraform). */
  FP_SHALLOW = 1 << 3,
};

typedef struct FnParam {
  const char *name;   /* as Terraform names it, shown in error details */
  FnType type;
  unsigned flags;
} FnParam;

typedef struct FnCall FnCall;
typedef Value *(*FnImpl)(FnCall *c);
/* Return type from the (converted) arguments, which may be unknown; NULL
** after reporting an error. Only needed when the result type depends on the
** arguments and an unknown argument can short-circuit the call. */
typedef const Type *(*FnTypeFn)(FnCall *c);

#define FN_MAXPARAMS 4

typedef struct FnDef {
  const char *name;
  FnParam params[FN_MAXPARAMS];
  int nparams;
  FnParam var;        /* variadic parameter; var.name == NULL when none */
  FnType ret;         /* return type when type_fn is NULL */
  FnTypeFn type_fn;
  FnImpl impl;
} FnDef;

/* One call in progress. */
struct FnCall {
  const FnDef *def;
  Value **args;             /* converted, owned by the dispatcher */
  size_t nargs;
  const SrcRange *ranges;   /* per argument; may be NULL */
  SrcRange call_range;
  FnCtx *ctx;
  DiagList *diags;
  bool failed;              /* an error diagnostic was added */
  Value *const *orig;       /* the arguments as given (marks intact) */
};

/* Resolves a parameter type code to a type. */
const Type *fn_type(FnType t);

/* "Invalid function argument" on argument i: `Invalid value for "NAME"
** parameter: MSG.` Always returns NULL so implementations can
** `return fn_arg_error(...)`. */
Value *fn_arg_error(FnCall *c, size_t i, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* "Error in function call": `Call to function "NAME" failed: MSG.` */
Value *fn_error(FnCall *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* text, or "(sensitive value)" when argument i was sensitive, so error
** messages never echo a secret (Terraform's redactIfSensitive). */
const char *fn_show(const FnCall *c, size_t i, const char *text);

/* Small helpers over the value API used by many implementations. */
Value *fn_str(const char *s, size_t n);          /* = val_string */
Value *fn_cstr(const char *s);
/* The argument as an int64; reports "value must be a whole number..." as
** cty does when it is not. */
bool fn_int_arg(FnCall *c, size_t i, int64_t *out, bool as_arg_error);
/* List of strings from a malloc'd array of malloc'd strings (freed here). */
Value *fn_string_list(char **items, size_t n);
/* Whether s[0..n) is valid UTF-8. */
bool fn_utf8_valid(const char *s, size_t n);
/* Joins base_dir and path unless path is absolute (malloc'd). */
char *fn_resolve_path(FnCall *c, const char *path);
/* Reads a file for the file* functions, with Terraform's diagnostics on
** argument 0 when it is missing or unreadable. */
char *fn_read_file(FnCall *c, const char *path, size_t *len);

/* Go-compatible JSON text of a known value (jsonencode, format's %v):
** compact, object keys sorted, <, >, & and U+2028/9 escaped as Go does.
** Returns NULL when v contains an unknown. */
char *fn_json_encode(const Value *v);
/* Splits s into grapheme clusters as Terraform counts "characters": fills
** *starts with the byte offset of each cluster (plus a final n), returns the
** number of clusters. *starts is malloc'd. */
size_t fn_graphemes(const char *s, size_t n, size_t **starts);

/* Standard base64 (with padding) of bytes, malloc'd. */
char *fn_base64(const unsigned char *p, size_t n);
/* Strict standard base64 decoding; NULL when s is not valid base64. */
unsigned char *fn_base64_decode(const char *s, size_t n, size_t *outn);

/* The per-category tables, concatenated by dispatch.c. Each ends with a
** row whose name is NULL. */
extern const FnDef fn_defs_numeric[], fn_defs_string[], fn_defs_collection[],
    fn_defs_encoding[], fn_defs_fs[], fn_defs_time[], fn_defs_crypto[], fn_defs_net[],
    fn_defs_conv[], fn_defs_regex[], fn_defs_format[], fn_defs_yaml[];

#endif
