/*
** parser/build.h — parser state and the tree builders the grammar calls.
**
** Internal to parser/: grammar actions are one-line calls into these
** functions. Every builder accepts NULL children (left by error recovery)
** and returns a node that is safe to walk.
*/
#ifndef TFC_BUILD_H
#define TFC_BUILD_H

#include "base/buf.h"
#include "lexer/lexer.h"
#include "parser/ast.h"

/* A list under construction: its elements sit on one of the parser's
** scratch stacks (ParseState.scratch) from index start on, and are copied
** into the arena, exactly sized, when the enclosing node is built. Lists
** nest strictly (an inner list is finished before its outer list grows
** again), so one stack per element type serves every list; elements an
** abandoned list left above (error recovery) are dropped on the next push. */
typedef struct ListH {
  uint32_t start, n;
  bool strip_next;   /* template parts: the previous sequence ended with ~} */
  bool expand;       /* call arguments: the last one is followed by ... */
} ListH;

typedef ListH ItemList, ExprList, ObjList, LabelList, PartList;

typedef struct LabelItem { HclStr s; SrcRange r; } LabelItem;

enum { SC_ITEMS, SC_EXPRS, SC_OBJS, SC_LABELS, SC_PARTS, SC_COUNT };

typedef struct Scratch {
  char *v;
  size_t n, cap, size;  /* element count, capacity, element size */
} Scratch;
typedef struct ForIntro { HclStr key, val; Expr *coll; } ForIntro;

/* Where newlines matter, and what an error message should say, depends on
** the innermost open bracket: the feeder keeps this stack. */
typedef enum {
  PF_BODY,      /* file or block body: newlines end items */
  PF_PAREN,     /* ( of a parenthesised expression */
  PF_CALL,      /* ( of a function call */
  PF_TUPLE,     /* [ of a tuple */
  PF_INDEX,     /* [ of an index */
  PF_OBJECT,    /* { of an object constructor: newlines separate items */
  PF_FOR,       /* [for or {for: newlines ignored */
  PF_INTERP,    /* ${ or %{ */
  PF_QUOTE,     /* inside "..." */
  PF_HEREDOC    /* inside <<EOT ... EOT */
} FrameKind;

typedef struct PFrame {
  FrameKind kind;
  bool in_attr;        /* PF_BODY: an "=" was seen on this line */
  bool in_seen;        /* PF_FOR / PF_INTERP(for): the "in" keyword was seen */
  bool colon_seen;     /* PF_FOR: the ":" was seen */
  bool after_key;      /* PF_OBJECT: a key expression is complete, "=" expected */
  bool directive;      /* PF_INTERP: opened by %{ */
  Token open;          /* the opening token */
} PFrame;

typedef struct ParseState {
  HclFile *hf;
  Arena *A;
  uint32_t file;
  const char *src;
  size_t len;
  DiagList *diags;
  Expr *expr_root;         /* hcl_parse_expr result */
  Lexer lx;
  PFrame *frames;
  size_t depth, cap;
  Token prev;              /* last token handed to the grammar */
  int prev_type;           /* and its type */
  Token queue[4];          /* lookahead buffer */
  int queue_type[4];
  size_t nqueue;
  bool aborted;            /* stop feeding (nesting limit) */
  size_t errors;           /* syntax errors reported by the parser */
  uint32_t last_err_line_start;
  bool err_suppressed;
  Scratch scratch[SC_COUNT];
  size_t eof_diag_from;    /* unused */
  size_t *eof_diags;       /* indexes of parser diagnostics about the end of the file */
  size_t neof, capeof;
  Buf header;              /* a top-level block's header, rebuilt for each */
} ParseState;

/* From the start of a to the end of b. */
static inline Token tok_span(Token a, Token b) {
  Token t = {a.start, b.end};
  return t;
}

void ps_syntax_error(ParseState *ps, int major, Token t);
void ps_parse_failure(ParseState *ps);
void ps_stack_overflow(ParseState *ps);

void ps_finish_body(ParseState *ps, ItemList l);
void ps_finish_expr(ParseState *ps, Expr *e);
ListH ps_list_new(ParseState *ps, int kind);
ItemList ps_items_add_attr(ParseState *ps, ItemList l, Attribute *a);
ItemList ps_items_add_block(ParseState *ps, ItemList l, Block *b);
Attribute *ps_attribute(ParseState *ps, Token name, Expr *e);
Block *ps_block(ParseState *ps, Token type, LabelList labels, Token open, ItemList *items,
                Attribute *one, Token close);
LabelList ps_label_ident(ParseState *ps, LabelList l, Token t);
LabelList ps_label_string(ParseState *ps, LabelList l, Token open, PartList p, Token close);
LabelList ps_label_simple(ParseState *ps, LabelList l, Token str);

Expr *ps_cond(ParseState *ps, Expr *c, Expr *t, Expr *f);
Expr *ps_binary(ParseState *ps, BinOp op, Expr *l, Token optok, Expr *r);
Expr *ps_unary(ParseState *ps, UnOp op, Token optok, Expr *e);
Expr *ps_getattr(ParseState *ps, Expr *obj, Token name);
Expr *ps_legacy_index(ParseState *ps, Expr *obj, Token num);
Expr *ps_splat(ParseState *ps, Expr *src, Token open, Token close, bool attr_only);
Expr *ps_index(ParseState *ps, Expr *obj, Expr *key, Token open, Token close);
Expr *ps_number(ParseState *ps, Token t);
Expr *ps_variable(ParseState *ps, Token t);
Expr *ps_template(ParseState *ps, Token open, PartList parts, Token close, bool heredoc);
Expr *ps_string(ParseState *ps, Token str);
Expr *ps_paren(ParseState *ps, Token open, Expr *e, Token close);
Expr *ps_error_expr(ParseState *ps, Token open, Token close);
Expr *ps_tuple(ParseState *ps, Token open, ExprList l, Token close);
Expr *ps_object(ParseState *ps, Token open, ObjList l, Token close);
Expr *ps_call(ParseState *ps, Token name, Token open, ExprList args, Token close);
Expr *ps_for(ParseState *ps, Token open, ForIntro *intro, Expr *key, Expr *value, int group, Expr *cond,
             Token close);
ExprList ps_list_add(ParseState *ps, ExprList l, Expr *e);
ExprList ps_list_expand(ParseState *ps, ExprList l);
ObjList ps_obj_add(ParseState *ps, ObjList l, Expr *k, Expr *v, bool colon);
ForIntro *ps_for_intro(ParseState *ps, Token *key, Token *val, Expr *coll);

PartList ps_part_lit(ParseState *ps, PartList l, Token t, bool heredoc);
PartList ps_part_interp(ParseState *ps, PartList l, Token open, Expr *e, Token close);
PartList ps_part_if(ParseState *ps, PartList l, Token open, Expr *cond, Token c1, PartList then_parts,
                    Token *else_open, Token *else_close, PartList *else_parts, Token end_open, Token end_close);
PartList ps_part_for(ParseState *ps, PartList l, Token open, Token *key, Token *val, Expr *coll, Token c1,
                     PartList body, Token end_open, Token end_close);

/* lemon's generated entry points (build/gen/grammar.c) */
void *HclParserAlloc(void *(*malloc_fn)(size_t), ParseState *ps);
void HclParserFree(void *p, void (*free_fn)(void *));
void HclParser(void *p, int major, Token minor);

#endif
