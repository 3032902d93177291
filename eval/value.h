/*
** eval/value.h — tfc's value model: types, values, conversions, printing.
**
** In the spirit of go-cty. A Value has a Type; it may be null (typed), unknown
** ("known after apply", of a known type or of the dynamic type) and may carry
** the sensitive mark. Values are immutable and reference counted; Types are
** interned and immortal.
**
** ====================================================================
**  OWNERSHIP RULE (the only one):
**
**    Functions BORROW the Value* arguments they are given and RETURN an
**    OWNED reference: every `Value *` a function returns must be released
**    once with val_free() (val_free(NULL) is a no-op). Containers built by
**    a constructor take their own references to the elements, so the caller
**    still frees what it passed in.
**
**    `const` pointers returned by accessors (val_str, val_elems, val_keys,
**    ValIter fields, Type fields) are views into the value and live exactly
**    as long as it does; they are never freed.
**
**    `const Type *` are interned: never freed, compared with ==.
**    `char *` results (names, formatted text, error messages) are malloc'd
**    and owned by the caller (free()).
** ====================================================================
**
** Reference counts are atomic, so values may be shared between the threads
** of a parallel graph walk. NULL is never a valid Value except as an error
** result (functions that can fail say so and report why).
*/
#ifndef TFC_VALUE_H
#define TFC_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <mpfr.h>

#include "base/diag.h"
#include "base/src.h"

struct Expr;
typedef struct Value Value;

/* ------------------------------------------------------------------ types */

typedef enum TypeKind {
  TY_DYNAMIC,   /* cty.DynamicPseudoType: "any" in a constraint, unknown type of a value */
  TY_STRING,
  TY_NUMBER,
  TY_BOOL,
  TY_LIST,
  TY_SET,
  TY_MAP,
  TY_TUPLE,
  TY_OBJECT
} TypeKind;

/* Read-only; build types only through the type_* constructors. */
typedef struct Type {
  TypeKind kind;
  const struct Type *elem;           /* list/set/map element type */
  size_t n;                          /* tuple elements / object attributes */
  const struct Type *const *elems;   /* tuple element types; object attribute types
                                        (parallel to names) */
  const char *const *names;          /* object attribute names, sorted bytewise */
  const bool *optional;              /* object type constraints only: optional(...)
                                        attributes; NULL when none is optional */
  uint32_t hash;                     /* structural hash, for interning */
} Type;

/* The primitive and dynamic types (static, interned). */
extern const Type ty_dynamic, ty_string, ty_number, ty_bool;
#define T_DYNAMIC (&ty_dynamic)
#define T_STRING (&ty_string)
#define T_NUMBER (&ty_number)
#define T_BOOL (&ty_bool)

const Type *type_list(const Type *elem);
const Type *type_set(const Type *elem);
const Type *type_map(const Type *elem);
const Type *type_tuple(const Type *const *elems, size_t n);
/* names need not be sorted (they are sorted here) and must be distinct;
** optional may be NULL. */
const Type *type_object(const char *const *names, const Type *const *types, size_t n);
const Type *type_object_opt(const char *const *names, const Type *const *types,
                            const bool *optional, size_t n);
/* The same object type with no attribute marked optional. */
const Type *type_object_plain(const Type *t);
static inline const Type *type_empty_object(void) { return type_object(NULL, NULL, 0); }
static inline const Type *type_empty_tuple(void) { return type_tuple(NULL, 0); }

static inline bool type_is_primitive(const Type *t) {
  return t->kind == TY_STRING || t->kind == TY_NUMBER || t->kind == TY_BOOL;
}
static inline bool type_is_collection(const Type *t) {
  return t->kind == TY_LIST || t->kind == TY_SET || t->kind == TY_MAP;
}
static inline bool type_is_structural(const Type *t) {
  return t->kind == TY_TUPLE || t->kind == TY_OBJECT;
}
/* Lists, sets and tuples: what a for-expression or splat iterates by index. */
static inline bool type_is_sequence(const Type *t) {
  return t->kind == TY_LIST || t->kind == TY_SET || t->kind == TY_TUPLE;
}
/* True when dynamic appears anywhere in t. */
bool type_has_dynamic(const Type *t);
/* Index of attribute name in an object type, or -1. */
long type_attr_index(const Type *t, const char *name);
/* Type of attribute name, or NULL. */
const Type *type_attr(const Type *t, const char *name);

/* cty's FriendlyName: "string", "list of string", "map of number", "object",
** "tuple", "dynamic". */
char *type_friendly_name(const Type *t);
/* FriendlyNameForConstraint: as above but dynamic is "any type". */
char *type_friendly_name_constraint(const Type *t);
/* Terraform's type expression: "list(string)", "object({a=number})", "any"... */
char *type_expr_string(const Type *t);

/* The single type every one of types converts to, as HCL unifies the
** branches of a conditional or the elements of a collection; NULL when
** there is none. */
const Type *type_unify(const Type *const *types, size_t n);

/* cty's JSON type encoding ("string", ["list","string"], ["object",{..}]),
** as written in plan files and state output schemas. */
cJSON *type_to_json(const Type *t);
const Type *type_from_json(const cJSON *j, char **err);

/* -------------------------------------------------- type constraints */

/* Defaults declared by optional(T, default) inside a type constraint. */
typedef struct TypeDefaults TypeDefaults;

/* Parses a type constraint expression as in a variable block: string, number,
** bool, any, list(T), set(T), map(T), tuple([..]), object({a=T,
** b=optional(T), c=optional(T, default)}), bare list/map/set (= of any) and
** the legacy quoted forms "string", "list", "map". Returns NULL and adds
** diagnostics on error. *defaults (may be NULL when not wanted) receives the
** defaults tree, or NULL when there are none. */
const Type *type_from_expr(const struct Expr *e, TypeDefaults **defaults, DiagList *diags);
/* Applies defaults to v (which has not yet been converted to the constraint):
** missing or null optional attributes get their default, recursively through
** collections, as Terraform does before converting a variable's value. */
Value *val_apply_defaults(const Value *v, const TypeDefaults *d);
void type_defaults_free(TypeDefaults *d);

/* ----------------------------------------------------------------- values */

/* Precision of numbers in bits (go-cty's big.Float literals). */
#define VAL_PREC 512

Value *val_ref(const Value *v);          /* another reference to v */
void val_free(Value *v);                 /* releases one reference */

/* Constructors. */
Value *val_null(const Type *t);
Value *val_unknown(const Type *t);
Value *val_bool(bool b);
Value *val_number_i64(int64_t i);
Value *val_number_double(double d);       /* 53-bit precision, like cty.NumberFloatVal */
Value *val_number_mpfr(mpfr_srcptr x);    /* copied at x's precision */
/* Parses a decimal number ("12", "-1.5e3") at VAL_PREC bits, round to
** nearest even; NULL if s is not a number. Leading/trailing space rejected. */
Value *val_number_parse(const char *s, size_t n);
/* Copies and NFC-normalises UTF-8 text; invalid UTF-8 is replaced by U+FFFD. */
Value *val_string(const char *s, size_t n);
Value *val_cstring(const char *s);
/* Empty tuple / empty object. */
Value *val_empty_tuple(void);
Value *val_empty_object(void);
/* Every element must have exactly type elem (convert first). elem may be NULL
** when n > 0 (then the first element's type is used). */
Value *val_list(const Type *elem, Value *const *elems, size_t n);
/* As val_list; duplicates are removed and elements put in cty's set order. */
Value *val_set(const Type *elem, Value *const *elems, size_t n);
Value *val_tuple(Value *const *elems, size_t n);
/* keys in any order; a repeated key keeps the last value. */
Value *val_map(const Type *elem, const char *const *keys, Value *const *vals, size_t n);
/* names in any order, distinct. */
Value *val_object(const char *const *names, Value *const *vals, size_t n);

/* Marks. Sensitive is a mark on one value; collections may hold marked
** elements. Operations propagate marks (see eval.h). */
Value *val_mark_sensitive(const Value *v);
Value *val_mark_sensitive_if(const Value *v, bool sensitive);
Value *val_unmark(const Value *v);        /* removes the top-level mark */
Value *val_unmark_deep(const Value *v);   /* removes every mark inside */

/* Inspecting. */
const Type *val_type(const Value *v);
static inline TypeKind val_kind(const Value *v) { return val_type(v)->kind; }
bool val_is_null(const Value *v);
bool val_is_known(const Value *v);
bool val_is_sensitive(const Value *v);    /* top-level mark */
bool val_has_sensitive(const Value *v);   /* a mark anywhere inside */
bool val_is_wholly_known(const Value *v); /* no unknown anywhere inside */

/* Primitive accessors (the value must be known, non-null, of that type). */
bool val_get_bool(const Value *v);
const char *val_str(const Value *v);      /* NUL-terminated (may contain NULs) */
size_t val_str_len(const Value *v);       /* bytes */
/* True when the number is an integer that fits in int64. */
bool val_get_i64(const Value *v, int64_t *out);
double val_get_double(const Value *v);    /* nearest double */
/* Sets out (initialised by the caller, any precision) to the number. */
void val_get_mpfr(const Value *v, mpfr_ptr out);
/* Terraform's text of a number: shortest decimal that round-trips at its
** precision, never exponent form ("1000000", "1.5", "-0.25", "+Inf"). */
char *val_number_text(const Value *v);
/* -1, 0, 1 (numbers must be known, non-null, not NaN). */
int val_num_cmp(const Value *a, const Value *b);

/* Collections and structures (known, non-null). For lists, sets and tuples
** the elements; for maps the values in key order and for objects the
** attribute values in name order (parallel to val_keys / type names). */
size_t val_len(const Value *v);
Value *const *val_elems(const Value *v);
/* Map keys (sorted bytewise) or object attribute names; NULL otherwise. */
const char *const *val_keys(const Value *v);

/* Iterates any collection or structure in Terraform's order. */
typedef struct ValIter {
  const Value *coll;
  size_t i;          /* index of the current element */
  const char *key;   /* map key / attribute name, NULL for sequences */
  const Value *elem; /* the current element */
} ValIter;
static inline ValIter val_iter(const Value *coll) {
  ValIter it = {coll, (size_t)-1, NULL, NULL};
  return it;
}
bool val_iter_next(ValIter *it);

/* Map element / object attribute by name: a new reference or NULL. */
Value *val_map_get(const Value *map, const char *key);
Value *val_attr(const Value *obj, const char *name);

/* Terraform's `v[key]` with diagnostics ("Invalid index" ...) on rng; key
** is converted as HCL does (numbers for sequences, strings for maps).
** Handles null, unknown and marks. Returns NULL on error. */
Value *val_index(const Value *coll, const Value *key, SrcRange rng, DiagList *diags);
/* Terraform's `v.name` ("Unsupported attribute" with did-you-mean ...). */
Value *val_getattr(const Value *v, const char *name, SrcRange rng, DiagList *diags);

/* ------------------------------------------------------------ comparison */

/* Terraform's `==`: a bool value; unknown when either side is (or contains
** an unknown that matters); marks of both sides are carried over. Values of
** different types are unequal except that null equals null of any type. */
Value *val_equals(const Value *a, const Value *b);
/* Exact identity: same type, same knownness, same marks, same content. */
bool val_raw_equal(const Value *a, const Value *b);
/* cty's set element order: a total order on values of one type (known before
** unknown; strings bytewise, numbers numerically, false < true, others by
** their serialised form). */
int val_set_order(const Value *a, const Value *b);
/* Hash consistent with val_raw_equal. */
uint32_t val_hash(const Value *v);

/* ------------------------------------------------------------ arithmetic */

typedef enum ValNumOp { VNUM_ADD, VNUM_SUB, VNUM_MUL, VNUM_DIV, VNUM_MOD } ValNumOp;
/* a and b are known non-null numbers (unmarked). Returns NULL and sets *err
** (malloc'd, e.g. "can't divide zero by zero or infinity by infinity") on
** failure. Small integers take a fast path; otherwise MPFR at the larger
** precision of the operands, round to nearest even, as go-cty does. */
Value *val_num_op(ValNumOp op, const Value *a, const Value *b, char **err);
Value *val_num_neg(const Value *a);

/* ------------------------------------------------------------ conversion */

/* Why a conversion failed. path is Terraform's path text (".a", "[0]",
** "[\"k\"]"; "" at the top), msg cty's message ("string required",
** "a number is required", "attribute \"name\" is required",
** "element types must all match for conversion to list", ...). */
typedef struct ValConvErr {
  char *path;
  char *msg;
} ValConvErr;
void val_conv_err_free(ValConvErr *e);
/* "path: msg", or msg when path is empty (Terraform's tfdiags.FormatError). */
char *val_conv_err_text(const ValConvErr *e);

/* Converts v to type want (a type constraint: dynamic means "any"), following
** cty's convert package: primitives to/from string, tuple->list/set, object
** ->map/object (extra attributes dropped), list<->set, unknown and null carry
** over with the target type, marks are kept. Returns NULL and fills *err
** (if err is non-NULL) on failure. */
Value *val_convert(const Value *v, const Type *want, ValConvErr *err);
/* Whether v can convert to want without looking at values (type-level). */
bool type_can_convert(const Type *from, const Type *want);

/* --------------------------------------------------------------- JSON */

/* The JSON form used in state and plan files: objects/maps as JSON objects,
** lists/sets/tuples as arrays, numbers as JSON numbers with their exact text.
** Unknown values cannot be encoded: returns NULL. Marks are ignored. */
cJSON *val_to_json(const Value *v);
/* Decodes JSON as a value of type t (dynamic: infers object/tuple/string/
** number/bool as cty's ImpliedType does). Returns NULL and sets *err. */
Value *val_from_json(const cJSON *j, const Type *t, char **err);

/* Plan JSON (terraform show -json), following Terraform's jsonplan:
** val_to_json_known: the value with unknown leaves removed (object
**   attributes dropped, sequence elements null); a wholly unknown value
**   gives JSON null.
** val_unknown_json: "after_unknown": true at unknown leaves, known leaves
**   omitted from objects, one entry per sequence element, {} when nothing is
**   unknown inside a collection, false for a known primitive or null.
** val_sensitive_json: "before/after_sensitive": the same shape with true at
**   sensitive values. */
cJSON *val_to_json_known(const Value *v);
cJSON *val_unknown_json(const Value *v);
cJSON *val_sensitive_json(const Value *v);

/* ------------------------------------------------------------- printing */

/* Exactly as `terraform console` prints a value (multi-line, 2-space indent,
** tolist([...]), toset([...]), tomap({...}), heredoc strings, null forms,
** "(known after apply)", "(sensitive value)"). */
char *val_format(const Value *v);
/* A short one-line form for diagnostics ("\"foo\"", "1", "list of string
** with 3 elements", "object with 2 attributes", "null"). */
char *val_describe(const Value *v);

/* Go's strconv.Quote, appended to a malloc'd string. */
char *val_quote(const char *s, size_t n);

#endif
