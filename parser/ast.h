/*
** parser/ast.h — the syntax tree of one HCL file.
**
** The tree mirrors hclsyntax: a Body holds attributes and blocks; an
** attribute's value is an Expr. Every node carries its SrcRange. All nodes,
** identifier names and decoded string literals live in the file's arena
** (HclFile.arena) and die with it; nothing here is freed individually.
**
** Names (identifiers, labels, decoded literal text) are HclStr slices: a
** pointer and a length, because decoded strings may contain NUL bytes.
*/
#ifndef TFC_AST_H
#define TFC_AST_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/src.h"

typedef struct HclStr {
  const char *s;   /* not NUL-terminated in general */
  size_t len;
} HclStr;

typedef struct Expr Expr;
typedef struct Body Body;
typedef struct TplPart TplPart;

typedef enum ExprKind {
  EXPR_LITERAL,      /* lit: number, bool or null */
  EXPR_TEMPLATE,     /* tpl: quoted string or heredoc */
  EXPR_TUPLE,        /* list: [a, b] */
  EXPR_OBJECT,       /* object: {k = v} */
  EXPR_VARIABLE,     /* name: a root variable such as var, local, aws_x */
  EXPR_GETATTR,      /* getattr: obj.name */
  EXPR_INDEX,        /* index: obj[key] or legacy obj.0 */
  EXPR_SPLAT,        /* splat: src[*].each or src.*.each */
  EXPR_ANON,         /* the element placeholder inside splat.each */
  EXPR_CALL,         /* call: f(args) */
  EXPR_FOR,          /* forx: [for ...] / {for ...} */
  EXPR_BINARY,       /* binary: l op r */
  EXPR_UNARY,        /* unary: !x, -x */
  EXPR_COND,         /* cond: c ? a : b */
  EXPR_PAREN         /* paren: (x) */
} ExprKind;

typedef enum LitKind { LIT_NUMBER, LIT_BOOL, LIT_NULL } LitKind;

typedef enum BinOp {
  OP_OR, OP_AND, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
  OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD
} BinOp;

typedef enum UnOp { OP_NOT, OP_NEG } UnOp;

typedef struct ObjItem {
  Expr *key;         /* EXPR_VARIABLE for a bare key (a literal name, not a reference),
                        EXPR_TEMPLATE for a quoted key, EXPR_PAREN for (expr), or
                        any expression; key_bare tells the first case apart */
  Expr *value;
  bool key_bare;     /* key written as a bare identifier: means the literal name */
  bool colon;        /* written with ':' instead of '=' (for fmt) */
} ObjItem;

typedef enum TplKind { TPL_LITERAL, TPL_INTERP, TPL_IF, TPL_FOR } TplKind;

typedef struct TplList {
  TplPart *v;
  size_t n;
} TplList;

typedef struct TplIf {
  Expr *cond;
  TplList then_parts;
  TplList else_parts;
  bool has_else;
} TplIf;

typedef struct TplFor {
  HclStr key_var;              /* len 0 when absent */
  HclStr val_var;
  Expr *coll;
  TplList body;
} TplFor;

struct TplPart {
  TplKind kind;
  SrcRange range;
  union {
    HclStr lit;                /* TPL_LITERAL: decoded text, strip markers applied */
    Expr *interp;              /* TPL_INTERP: ${ expr } */
    TplIf *ifd;                /* TPL_IF: %{ if cond } ... %{ else } ... %{ endif } */
    TplFor *ford;              /* TPL_FOR: %{ for k, v in coll } ... %{ endfor } */
  } u;
};

/* Nodes are allocated with only the bytes their variant needs (see
** parser/build.c), so never copy an Expr by value. */
struct Expr {
  ExprKind kind;
  SrcRange range;
  union {
    struct {
      LitKind kind;
      bool b;                  /* LIT_BOOL */
      HclStr text;             /* LIT_NUMBER: the literal as written, e.g. "1.5e3" */
    } lit;
    struct {
      /* Most templates are one literal (a plain "string"): those keep
      ** just its text, with no part array. Check literal before parts. */
      union {
        TplList parts;         /* !literal */
        HclStr lit;            /* literal: decoded text, as a TPL_LITERAL part's */
      };
      bool literal;
      bool heredoc;
      bool flush;              /* <<- heredoc */
    } tpl;
    struct {
      Expr **v;
      size_t n;
    } list;
    struct {
      ObjItem *v;
      size_t n;
    } object;
    HclStr name;               /* EXPR_VARIABLE */
    struct {
      Expr *obj;
      HclStr name;
      SrcRange name_range;
    } getattr;
    struct {
      Expr *obj;
      Expr *key;
      bool legacy;             /* written as obj.0 */
      SrcRange bracket_range;  /* [key] including the brackets */
    } index;
    struct {
      Expr *src;
      Expr *each;              /* traversal applied to each element, rooted at EXPR_ANON */
      bool attr_only;          /* legacy .* form */
      SrcRange marker_range;   /* the [*] or .* */
    } splat;
    struct {
      HclStr name;             /* may be "provider::ns::fn" or "core::fn" */
      SrcRange name_range;
      Expr **args;
      size_t nargs;
      bool expand_final;       /* f(a, list...) */
      SrcRange open_range, close_range;
    } call;
    struct {
      HclStr key_var;          /* len 0 when absent */
      HclStr val_var;
      Expr *coll;
      Expr *key;               /* object form only */
      Expr *value;
      Expr *cond;              /* may be NULL */
      bool object;             /* {for ...} */
      bool group;              /* value followed by ... */
      SrcRange open_range, close_range;
    } forx;
    struct {
      BinOp op;
      Expr *l, *r;
      SrcRange op_range;
    } binary;
    struct {
      UnOp op;
      Expr *e;
    } unary;
    struct {
      Expr *cond, *t, *f;
    } cond;
    Expr *paren;
  } u;
};

typedef struct Attribute {
  HclStr name;
  SrcRange name_range;
  Expr *expr;                /* the attribute spans name_range.start to expr->range.end */
} Attribute;

typedef struct Block {
  HclStr type;
  SrcRange type_range;
  HclStr *labels;
  SrcRange *label_ranges;
  size_t nlabels;
  Body *body;
  SrcRange range;            /* type through closing brace */
  SrcRange open_range, close_range;
} Block;

/* An attribute or a block, in source order. */
typedef struct BodyItem {
  Attribute *attr;           /* exactly one of attr/block is set */
  Block *block;
} BodyItem;

struct Body {
  BodyItem *items;
  size_t nitems;
  SrcRange range;
};

typedef struct HclFile {
  uint32_t file;             /* source registry id */
  Body *body;                /* never NULL after parsing, even with errors */
  Arena arena;               /* owns every node */
  bool is_json;              /* loaded from .tf.json */
} HclFile;

/* Parses native syntax. Always returns a file (with as much of the body as
** could be recovered); errors go to diags. The source must be registered. */
HclFile *hcl_parse(uint32_t file, DiagList *diags);
/* Parses a single expression (for tfc console, -var values, tests). */
Expr *hcl_parse_expr(uint32_t file, Arena *arena, DiagList *diags);
/* How a JSON body's property is read: JSON cannot tell an argument from a
** block, so a schema says (parser/json.c). */
typedef enum HclJsonKind {
  HJ_ATTR,     /* an argument; strings in its value are templates */
  HJ_EXPR,     /* an argument whose strings hold expressions (depends_on, provider, type) */
  HJ_BLOCK     /* a block type, with *nlabels labels */
} HclJsonKind;

typedef struct HclJsonSchema {
  /* ctx: what the body belongs to, as returned by body() (NULL: the file). */
  HclJsonKind (*property)(void *ud, const void *ctx, const char *name, int *nlabels);
  /* The ctx of the body of a block of this type and labels. */
  const void *(*body)(void *ud, const void *ctx, const char *type, const char *const *labels, size_t nlabels);
  void *ud;
} HclJsonSchema;

/* Parses HCL's JSON syntax into the same tree shape. sch may be NULL: then
** every property is an argument. */
HclFile *hcl_parse_json(uint32_t file, const HclJsonSchema *sch, DiagList *diags);
void hcl_file_free(HclFile *f);

/* The text of a template that is one literal or empty, e.g. "abc" or "";
** false for any other expression. */
bool hcl_tpl_text(const Expr *e, HclStr *text);

/* Convenience: the NUL-terminated copy of a name, allocated in arena. */
const char *hcl_cstr(Arena *a, HclStr s);
bool hcl_str_eq(HclStr s, const char *lit);

#endif
