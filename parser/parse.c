/*
** parser/parse.c — drives the lemon parser: the token feeder, syntax error
** messages, and the entry points hcl_parse / hcl_parse_expr.
**
** The feeder sits between lexer and grammar. It keeps a stack of open
** brackets (PFrame) to decide what the grammar cannot: whether a newline is
** significant here, whether an identifier is a contextual keyword (for, in,
** if, else, endif, endfor), and which of hcl's specific messages describes a
** syntax error at this point.
*/
#include "parser/build.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>

/* Deeper nesting than this is reported instead of parsed: every later stage
** walks the tree recursively, and no real configuration comes close. */
#define MAX_NESTING 1000

static PFrame *ftop(ParseState *ps) { return ps->depth ? &ps->frames[ps->depth - 1] : NULL; }

static void fpush(ParseState *ps, FrameKind k, Token open) {
  PFrame f;
  memset(&f, 0, sizeof f);
  f.kind = k;
  f.open = open;
  VEC_PUSH(ps->frames, ps->depth, ps->cap, f);
  if (ps->depth > MAX_NESTING && !ps->aborted) {
    SrcRange r = src_range(ps->file, open.start, open.end);
    diag_error(ps->diags, r, "Nesting too deep",
               "This configuration nests brackets, blocks or templates more than %d levels deep here, "
               "which tfc does not accept. Flatten the expression or split it with locals.",
               MAX_NESTING);
    ps->aborted = true;
  }
}

static void fpop(ParseState *ps, FrameKind a, FrameKind b) {
  PFrame *f = ftop(ps);
  if (f && (f->kind == a || f->kind == b) && ps->depth > 1) ps->depth--;
}

static bool tok_is(ParseState *ps, Token t, const char *word) {
  size_t n = strlen(word);
  return t.end - t.start == n && memcmp(ps->src + t.start, word, n) == 0;
}

/* ---- lookahead ---- */

static Token raw_next(ParseState *ps, int *type) {
  if (ps->nqueue) {
    Token t = ps->queue[0];
    *type = ps->queue_type[0];
    ps->nqueue--;
    memmove(ps->queue, ps->queue + 1, ps->nqueue * sizeof ps->queue[0]);
    memmove(ps->queue_type, ps->queue_type + 1, ps->nqueue * sizeof ps->queue_type[0]);
    return t;
  }
  return lex_next(&ps->lx, type);
}

static void enqueue(ParseState *ps) {
  ps->queue[ps->nqueue] = lex_next(&ps->lx, &ps->queue_type[ps->nqueue]);
  ps->nqueue++;
}

/* Whether the next token other than newlines is the identifier "for". The
** newlines in between are kept in the queue (at most a few are needed: a
** long run of blank lines is collapsed, since they are all insignificant
** inside the brackets this is asked for). */
static bool next_is_for(ParseState *ps) {
  for (;;) {
    if (ps->nqueue == 0) enqueue(ps);
    int type = ps->queue_type[ps->nqueue - 1];
    if (type != TK_NEWLINE) return type == TK_IDENT && tok_is(ps, ps->queue[ps->nqueue - 1], "for");
    if (ps->nqueue == sizeof ps->queue / sizeof ps->queue[0]) ps->nqueue--; /* drop a newline */
    enqueue(ps);
  }
}

/* Puts back the "=" of an ATTRNAME token, to be read next. The queue is
** empty here (next_is_for stops at the first token that is not a newline,
** so an ATTRNAME is the last it queues), which leaves room. */
static void split_attrname(ParseState *ps, Token name) {
  uint32_t e = name.end;
  while (ps->src[e] != '=') e++; /* only spaces and tabs lie between */
  memmove(ps->queue + 1, ps->queue, ps->nqueue * sizeof ps->queue[0]);
  memmove(ps->queue_type + 1, ps->queue_type, ps->nqueue * sizeof ps->queue_type[0]);
  ps->queue[0].start = e;
  ps->queue[0].end = e + 1;
  ps->queue_type[0] = TK_EQUAL;
  ps->nqueue++;
}

static bool ends_expr(int type) {
  switch (type) {
  case TK_IDENT: case TK_NUMBER: case TK_RPAREN: case TK_RBRACK: case TK_RBRACE:
  case TK_CQUOTE: case TK_CHEREDOC: case TK_STAR: case TK_STRING:
    return true;
  default:
    return false;
  }
}

/* ---- syntax errors ---- */

static void report(ParseState *ps, uint32_t s, uint32_t e, const char *summary, const char *detail) {
  /* one message per line: recovery can trip over the same line again */
  uint32_t ls = s;
  while (ls > 0 && ps->src[ls - 1] != '\n') ls--;
  if (ps->errors && ls == ps->last_err_line_start) return;
  ps->errors++;
  ps->last_err_line_start = ls;
  SrcRange r = src_range(ps->file, s, e);
  diag_error(ps->diags, r, summary, "%s", detail);
}

static const char *const INVALID_EXPR = "Expected the start of an expression, but found an invalid expression token.";

void ps_syntax_error(ParseState *ps, int major, Token t) {
  if (ps->aborted) return;
  PFrame *f = ftop(ps);
  int prev = ps->prev_type;
  /* a whole-string token is reported at its opening quote, like hcl */
  if (major == TK_STRING) t.end = t.start + 1;
  if (major == 0) {
    t.start = t.end = (uint32_t)ps->len;
    /* whatever this reports is about the end of the file: it sorts last */
    VEC_PUSH(ps->eof_diags, ps->neof, ps->capeof, ps->diags->n);
    /* the innermost unclosed construct explains an unexpected end of file */
    for (size_t i = ps->depth; i-- > 0;) {
      PFrame *g = &ps->frames[i];
      switch (g->kind) {
      case PF_BODY:
        if (i == ps->depth - 1 && !g->in_attr && prev == TK_IDENT && ps->prev.start > 0 &&
            (ps->src[ps->prev.start - 1] == '\n' || ps->src[ps->prev.start - 1] == ' ' ||
             ps->src[ps->prev.start - 1] == '\t')) {
          /* a bare word where an item starts, cut off by the end of file */
          report(ps, ps->prev.start, ps->prev.end, "Argument or block definition required",
                 "An argument or block definition is required here. To set an argument, use the equals sign \"=\" "
                 "to introduce the argument value.");
          return;
        }
        if (i == 0) break;
        report(ps, g->open.start, g->open.end, "Unclosed configuration block",
               "There is no closing brace for this block before the end of the file. This may be caused by "
               "incorrect brace nesting elsewhere in this file.");
        return;
      case PF_PAREN:
        report(ps, t.start, t.end, "Unbalanced parentheses",
               "Expected a closing parenthesis to terminate the expression.");
        return;
      case PF_INDEX:
        report(ps, t.start, t.end, "Missing close bracket on index",
               "The index operator must end with a closing bracket (\"]\").");
        return;
      case PF_TUPLE:
        if (!ends_expr(prev)) {
          report(ps, t.start, t.end, "Missing expression",
                 "Expected the start of an expression, but found the end of the file.");
          return;
        }
        report(ps, g->open.start, g->open.end, "Unterminated tuple constructor expression",
               "There is no corresponding closing bracket before the end of the file. This may be caused by "
               "incorrect bracket nesting elsewhere in this file.");
        return;
      case PF_INTERP:
        report(ps, g->open.start, g->open.end, "Unclosed template interpolation sequence",
               "There is no closing brace for this interpolation sequence before the end of the file. This might "
               "be caused by incorrect nesting inside the given expression.");
        return;
      case PF_OBJECT:
        if (ends_expr(prev))
          report(ps, g->open.start, g->open.end, "Unterminated object constructor expression",
                 "There is no corresponding closing brace before the end of the file. This may be caused by "
                 "incorrect brace nesting elsewhere in this file.");
        else
          report(ps, t.start, t.end, "Missing expression",
                 "Expected the start of an expression, but found the end of the file.");
        return;
      case PF_CALL:
        report(ps, g->open.start, g->open.end, "Unterminated function call",
               "There is no closing parenthesis for this function call before the end of the file. This may be "
               "caused by incorrect parenthesis nesting elsewhere in this file.");
        return;
      default:
        report(ps, t.start, t.end, "Missing expression",
               "Expected the start of an expression, but found the end of the file.");
        return;
      }
    }
    report(ps, t.start, t.end, "Missing expression", "Expected the start of an expression, but found the end of the file.");
    return;
  }
  switch (f ? f->kind : PF_BODY) {
  case PF_BODY:
    if (!f || !f->in_attr) {
      if (prev == TK_RBRACE && major != TK_NEWLINE) {
        report(ps, t.start, t.end, "Missing newline after block definition",
               "A block definition must end with a newline.");
      } else if (prev == TK_NEWLINE || prev == 0 || prev == TK_LBRACE || prev == TK_RBRACE) {
        report(ps, t.start, t.end, "Argument or block definition required",
               "An argument or block definition is required here.");
      } else if (prev == TK_IDENT && major == TK_NEWLINE && (ps->prev.start == 0 || ps->src[ps->prev.start - 1] == '\n' ||
                                                            ps->src[ps->prev.start - 1] == ' ' || ps->src[ps->prev.start - 1] == '\t')) {
        /* a lone name on its line */
        report(ps, ps->prev.start, ps->prev.end, "Argument or block definition required",
               "An argument or block definition is required here. To set an argument, use the equals sign \"=\" "
               "to introduce the argument value.");
      } else {
        report(ps, t.start, t.end, "Invalid block definition",
               "A block definition must have block content delimited by \"{\" and \"}\", starting on the same "
               "line as the block header.");
      }
    } else if (ends_expr(prev)) {
      report(ps, t.start, t.end, "Missing newline after argument", "An argument definition must end with a newline.");
    } else {
      report(ps, t.start, t.end, "Invalid expression", INVALID_EXPR);
    }
    return;
  case PF_CALL:
    if (ends_expr(prev))
      report(ps, t.start, t.end, "Missing argument separator",
             "A comma is required to separate each function argument from the next.");
    else
      report(ps, t.start, t.end, "Invalid expression", INVALID_EXPR);
    return;
  case PF_PAREN:
    if (ends_expr(prev))
      report(ps, t.start, t.end, "Unbalanced parentheses", "Expected a closing parenthesis to terminate the expression.");
    else
      report(ps, t.start, t.end, "Invalid expression", INVALID_EXPR);
    return;
  case PF_TUPLE:
    if (ends_expr(prev))
      report(ps, t.start, t.end, "Missing item separator", "Expected a comma to mark the beginning of the next item.");
    else
      report(ps, t.start, t.end, "Invalid expression", INVALID_EXPR);
    return;
  case PF_INDEX:
    if (ends_expr(prev)) {
      /* hcl skips ahead to the closing bracket; with none left in the file
      ** it reports the end of the file */
      if (!memchr(ps->src + t.start, ']', ps->len - t.start)) t.start = t.end = (uint32_t)ps->len;
      report(ps, t.start, t.end, "Missing close bracket on index",
             "The index operator must end with a closing bracket (\"]\").");
    }
    else
      report(ps, t.start, t.end, "Invalid expression", INVALID_EXPR);
    return;
  case PF_OBJECT:
    if (ends_expr(prev) && f->after_key)
      report(ps, t.start, t.end, "Missing attribute separator",
             "Expected a newline or comma to mark the beginning of the next attribute.");
    else if (ends_expr(prev))
      report(ps, t.start, t.end, "Missing key/value separator",
             "Expected an equals sign (\"=\") to mark the beginning of the attribute value.");
    else
      report(ps, t.start, t.end, "Invalid expression", INVALID_EXPR);
    return;
  case PF_FOR:
    if (!f->in_seen)
      report(ps, t.start, t.end, "Invalid 'for' expression",
             "For expression requires variable name after 'for', optionally followed by a comma and a second "
             "variable name, and then the 'in' keyword.");
    else if (!f->colon_seen)
      report(ps, t.start, t.end, "Invalid 'for' expression", "For expression requires a colon after the collection expression.");
    else
      report(ps, t.start, t.end, "Invalid 'for' expression", "Extra characters after the end of the 'for' expression.");
    return;
  case PF_INTERP:
    if (f->directive && prev == TK_TEMPLATE_CONTROL)
      report(ps, t.start, t.end, "Invalid template control keyword",
             "The keyword is not a valid template control keyword. Use one of if, else, endif, for, endfor.");
    else if (ends_expr(prev))
      report(ps, t.start, t.end, "Extra characters after interpolation expression",
             "Expected a closing brace to end the interpolation expression, but found extra characters.\n\n"
             "This can happen when you include interpolation syntax for another language, such as shell "
             "scripting, but forget to escape the interpolation start token. If this is an embedded sequence for "
             "another language, escape it by starting with \"$${\" instead of just \"${\".");
    else
      report(ps, t.start, t.end, "Invalid expression", INVALID_EXPR);
    return;
  case PF_QUOTE:
  case PF_HEREDOC:
    report(ps, t.start, t.end, "Unexpected template directive",
           "This template directive has no matching opening directive (if or for), or closes a different one.");
    return;
  }
}

void ps_parse_failure(ParseState *ps) {
  if (!ps->errors && !ps->aborted)
    report(ps, (uint32_t)ps->len, (uint32_t)ps->len, "Invalid configuration",
           "The configuration could not be parsed.");
}

void ps_stack_overflow(ParseState *ps) {
  if (!ps->aborted)
    report(ps, ps->prev.start, ps->prev.end, "Nesting too deep", "The configuration nests too deeply to parse.");
  ps->aborted = true;
}

/* ---- feeding ---- */

static void feed(ParseState *ps, void *parser, int type, Token t) {
  HclParser(parser, type, t);
  ps->prev = t;
  ps->prev_type = type;
}

/* Updates the frame stack for a token and returns the type the grammar
** should see (contextual keywords), or 0 when the token is dropped. */
static int classify(ParseState *ps, int type, Token t) {
  PFrame *f = &ps->frames[ps->depth - 1]; /* the file's body frame is never popped */
  int prev = ps->prev_type;
  switch (type) {
  case TK_NEWLINE:
    switch (f->kind) {
    case PF_BODY:
      f->in_attr = false;
      return type;
    case PF_OBJECT:
      f->after_key = false;
      /* after "{", "," or another newline a newline separates
      ** nothing (the grammar has no rule for it) */
      return prev == TK_COMMA || prev == TK_LBRACE || prev == TK_NEWLINE ? 0 : type;
    default:
      return 0;
    }
  case TK_ATTRNAME:
    /* only where an argument or an object item starts; see run() */
    if (f->kind == PF_BODY && !f->in_attr && (prev == TK_NEWLINE || prev == TK_LBRACE || prev == 0)) {
      f->in_attr = true;
      return type;
    }
    if (f->kind == PF_OBJECT && (prev == TK_LBRACE || prev == TK_COMMA || prev == TK_NEWLINE)) {
      f->after_key = true;
      return type;
    }
    /* "name =" where no argument or item starts (an error, or a for
    ** expression's "k =" typo): the grammar sees the two tokens the
    ** lexer would have made */
    split_attrname(ps, t);
    type = TK_IDENT;
    goto ident;
  case TK_EQUAL:
    if (f->kind == PF_BODY) f->in_attr = true;
    if (f->kind == PF_OBJECT) f->after_key = true;
    return type;
  case TK_COLON:
    if (f->kind == PF_OBJECT) f->after_key = true;
    if (f->kind == PF_FOR && f->in_seen) f->colon_seen = true;
    return type;
  case TK_COMMA:
    if (f->kind == PF_OBJECT) f->after_key = false;
    return type;
  case TK_LPAREN:
    if (prev == TK_IDENT) {
      /* the call's range starts at its name: "max(" */
      Token o = t;
      o.start = ps->prev.start;
      fpush(ps, PF_CALL, o);
    } else {
      fpush(ps, PF_PAREN, t);
    }
    return type;
  case TK_LBRACK:
    /* after "a.*" a bracket indexes; after "2 *" it opens a tuple */
    if (ends_expr(prev) && (prev != TK_STAR || (ps->prev.start > 0 && ps->src[ps->prev.start - 1] == '.')))
      fpush(ps, PF_INDEX, t);
    else if (next_is_for(ps))
      fpush(ps, PF_FOR, t);
    else
      fpush(ps, PF_TUPLE, t);
    return type;
  case TK_LBRACE:
    if (f->kind == PF_BODY && !f->in_attr)
      fpush(ps, PF_BODY, t);
    else if (next_is_for(ps))
      fpush(ps, PF_FOR, t);
    else
      fpush(ps, PF_OBJECT, t);
    return type;
  case TK_RPAREN:
    fpop(ps, PF_PAREN, PF_CALL);
    return type;
  case TK_RBRACK:
    if (f->kind == PF_FOR && ps->src[f->open.start] == '[') ps->depth--;
    else fpop(ps, PF_TUPLE, PF_INDEX);
    return type;
  case TK_RBRACE:
    if (f->kind == PF_FOR && ps->src[f->open.start] == '{') ps->depth--;
    else fpop(ps, PF_OBJECT, PF_BODY);
    return type;
  case TK_OQUOTE:
    fpush(ps, PF_QUOTE, t);
    return type;
  case TK_CQUOTE:
    fpop(ps, PF_QUOTE, PF_QUOTE);
    return type;
  case TK_OHEREDOC:
    fpush(ps, PF_HEREDOC, t);
    return type;
  case TK_CHEREDOC:
    fpop(ps, PF_HEREDOC, PF_HEREDOC);
    return type;
  case TK_TEMPLATE_INTERP:
    fpush(ps, PF_INTERP, t);
    return type;
  case TK_TEMPLATE_CONTROL:
    fpush(ps, PF_INTERP, t);
    ftop(ps)->directive = true;
    return type;
  case TK_TEMPLATE_SEQ_END:
    fpop(ps, PF_INTERP, PF_INTERP);
    return type;
  case TK_IDENT:
  ident:
    /* keywords are contextual: only for expressions and directives have any */
    if (f->kind != PF_FOR && f->kind != PF_INTERP) return type;
    if ((prev == TK_LBRACK || prev == TK_LBRACE) && f->kind == PF_FOR && tok_is(ps, t, "for")) {
      return TK_FOR;
    } else if (f->kind == PF_FOR && !f->in_seen && tok_is(ps, t, "in")) {
      f->in_seen = true;
      return TK_IN;
    } else if (f->kind == PF_FOR && f->colon_seen && tok_is(ps, t, "if")) {
      return TK_IF;
    } else if (f->kind == PF_INTERP && f->directive) {
      if (prev == TK_TEMPLATE_CONTROL) {
        static const struct { const char *w; int type; } kw[] = {
            {"if", TK_IF}, {"for", TK_FOR}, {"else", TK_ELSE}, {"endif", TK_ENDIF}, {"endfor", TK_ENDFOR}};
        for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
          if (tok_is(ps, t, kw[i].w)) type = kw[i].type;
      } else if (!f->in_seen && tok_is(ps, t, "in")) {
        f->in_seen = true;
        return TK_IN;
      }
    }
    return type;
  default:
    return type;
  }
}

static void run(ParseState *ps, bool expr_mode) {
  void *parser = HclParserAlloc(malloc, ps);
  Token start = {0, 0};
  fpush(ps, PF_BODY, start);
  ps->prev_type = 0;
  if (expr_mode) {
    HclParser(parser, TK_EXPRSTART, start);
    ps->frames[0].in_attr = true;
  }
  /* the parser's lexer keeps neither whitespace nor comments */
  for (;;) {
    int type;
    Token t = raw_next(ps, &type);
    if (type == TK_EOF || ps->aborted) break;
    type = classify(ps, type, t);
    if (!type) continue;
    if (ps->aborted) break;
    feed(ps, parser, type, t);
  }
  ps->eof_diag_from = (size_t)-1;
  if (!ps->aborted) {
    Token end = {(uint32_t)ps->len, (uint32_t)ps->len};
    /* the last line needs no newline; the grammar wants one */
    if (ps->prev_type != TK_NEWLINE && ps->depth == 1) feed(ps, parser, TK_NEWLINE, end);
    ps->eof_diag_from = ps->diags->n;
    HclParser(parser, 0, end);
  }
  HclParserFree(parser, free);
}

static void ps_init(ParseState *ps, HclFile *hf, Arena *a, uint32_t file, DiagList *lexd, DiagList *parsed) {
  memset(ps, 0, sizeof *ps);
  SrcFile *sf = src_get(file);
  ps->hf = hf;
  ps->A = a;
  ps->file = file;
  ps->src = sf->bytes;
  ps->len = sf->len;
  ps->diags = parsed;
  lex_init(&ps->lx, file, sf->bytes, sf->len, lexd);
  ps->lx.whole_strings = true;
  ps->lx.attr_names = true;
}

static int diag_pos_cmp(const void *a, const void *b) {
  const Diag *x = a, *y = b;
  uint32_t p = x->has_subject ? x->subject.start : 0, q = y->has_subject ? y->subject.start : 0;
  return (p > q) - (p < q);
}

/* hcl reports what its scanner finds in the whole file first, then the
** parser's errors in the order it meets them (source order); errors found
** only at the end of the file (unclosed constructs) come last. */
static void merge_diags(DiagList *out, DiagList *lexd, DiagList *parsed, const size_t *eof, size_t neof) {
  /* insertion sort: stable, and diagnostic lists are short */
  size_t n = parsed->n;
  bool *at_end = xcalloc(n + 1, sizeof *at_end);
  for (size_t i = 0; i < neof; i++)
    if (eof[i] < n) at_end[eof[i]] = true;
  Diag *v = parsed->v;
  for (size_t i = 1; i < n; i++) {
    Diag key = v[i];
    bool kend = at_end[i];
    size_t j = i;
    while (j > 0 && !at_end[j - 1] == !kend ? diag_pos_cmp(&v[j - 1], &key) > 0 : (j > 0 && at_end[j - 1] && !kend)) {
      v[j] = v[j - 1];
      at_end[j] = at_end[j - 1];
      j--;
    }
    v[j] = key;
    at_end[j] = kend;
  }
  free(at_end);
  diag_move(out, lexd);
  diag_move(out, parsed);
}

static void ps_done(ParseState *ps) {
  free(ps->eof_diags);
  lex_free(&ps->lx);
  free(ps->frames);
  for (int i = 0; i < SC_COUNT; i++) free(ps->scratch[i].v);
  buf_free(&ps->header);
}

HclFile *hcl_parse(uint32_t file, DiagList *diags) {
  HclFile *hf = xcalloc(1, sizeof *hf);
  arena_init(&hf->arena);
  /* a tree takes four to five times its source: a small file gets a small
  ** first chunk, since fresh chunks are cleared whole */
  size_t len = src_get(file)->len;
  hf->arena.first = len < 16 * 1024 ? 5 * len + 1024 : 0;
  hf->arena.expect = 4 * len;
  hf->file = file;
  src_clear_context(file);
  ParseState ps;
  DiagList lexd = {0}, parsed = {0};
  ps_init(&ps, hf, &hf->arena, file, &lexd, &parsed);
  run(&ps, false);
  merge_diags(diags, &lexd, &parsed, ps.eof_diags, ps.neof);
  ps_done(&ps);
  if (!hf->body) {
    hf->body = arena_alloc(&hf->arena, sizeof(Body));
    hf->body->range = src_range(file, 0, 0);
  }
  return hf;
}

Expr *hcl_parse_expr(uint32_t file, Arena *arena, DiagList *diags) {
  ParseState ps;
  DiagList lexd = {0}, parsed = {0};
  ps_init(&ps, NULL, arena, file, &lexd, &parsed);
  run(&ps, true);
  merge_diags(diags, &lexd, &parsed, ps.eof_diags, ps.neof);
  ps_done(&ps);
  return ps.expr_root;
}

void hcl_file_free(HclFile *f) {
  if (!f) return;
  arena_free(&f->arena);
  free(f);
}

bool hcl_tpl_text(const Expr *e, HclStr *text) {
  if (e->kind != EXPR_TEMPLATE) return false;
  if (e->u.tpl.literal) {
    *text = e->u.tpl.lit;
    return true;
  }
  if (e->u.tpl.parts.n) return false;
  text->s = "";
  text->len = 0;
  return true;
}

const char *hcl_cstr(Arena *a, HclStr s) { return arena_strndup(a, s.s, s.len); }

bool hcl_str_eq(HclStr s, const char *lit) {
  size_t n = strlen(lit);
  return s.len == n && memcmp(s.s, lit, n) == 0;
}
