/*
** eval/value_int.h — the representation of Value, shared by the files of
** eval/ that build and take apart values (value.c, convert.c, vjson.c,
** format.c). Nothing outside eval/ includes this.
*/
#ifndef TFC_VALUE_INT_H
#define TFC_VALUE_INT_H

#include <stdatomic.h>

#include "eval/value.h"

enum {
  VF_NULL = 1,      /* null of its type */
  VF_UNKNOWN = 2,   /* not known until apply */
  VF_SENS = 4,      /* the sensitive mark on this value */
  VF_DEEPSENS = 8,  /* VF_SENS here or on anything inside */
  VF_DEEPUNK = 16,  /* VF_UNKNOWN here or anywhere inside */
  VF_INT = 32       /* number held in u.i (an exact integer) */
};

#define VAL_IMMORTAL 0xffffffffu

struct Value {
  _Atomic uint32_t rc;   /* references; VAL_IMMORTAL for static values */
  uint8_t flags;         /* VF_* */
  uint16_t prec;         /* numbers: precision in bits of the big-float form */
  const Type *type;
  union {
    bool b;
    int64_t i;           /* VF_INT numbers */
    mpfr_t m;            /* other numbers */
    struct {
      size_t len;
      char *s;           /* inline after the struct, NUL-terminated */
    } str;
    struct {
      size_t n;
      Value **el;        /* inline after the struct */
      const char **keys; /* maps: inline; objects: the type's names */
    } coll;
  } u;
};

/* A value of type t with flags, before its payload is filled in. */
Value *val_alloc(const Type *t, uint8_t flags, size_t extra);
/* A collection value of type t taking ownership of n references in el
** (el itself is copied); keys (maps only) are copied. */
Value *val_coll_own(const Type *t, Value **el, const char *const *keys, size_t n);
/* Number from an mpfr value of precision prec (normalised to VF_INT when
** it is an exact int64). */
Value *val_num_from_mpfr(mpfr_srcptr x, unsigned prec);
/* An integer number with the given big-float precision. */
Value *val_num_int(int64_t i, unsigned prec);
/* Appends a number's text to b. */
struct Buf;
void val_number_text_buf(const Value *v, struct Buf *b);
/* hcl's nameSuggestion: a candidate within edit distance 2, or NULL. */
const char *val_suggest(const char *given, const char *const *cands, size_t n);
/* Same value with the sensitive flag set or cleared (shallow). */
Value *val_take_sens(Value *v, bool sens); /* CONSUMES v (internal helper) */

#endif
