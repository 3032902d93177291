/*
** parser/fmt.c — the canonical layout of HCL native syntax; see fmt.h.
**
** The algorithm is hclwrite's (the formatter `terraform fmt` is built on),
** so that tfc and Terraform agree byte for byte:
**
**   1. The file is lexed into tokens, each remembering how many bytes of
**      whitespace preceded it ("spaces"); whitespace itself is not a token.
**   2. With a syntax tree, Terraform's rewrites replace some token runs
**      (labels, "${x}" values, variable types) by new tokens.
**   3. The tokens are cut into lines at newlines (a # or // comment ends
**      with its newline, so it ends a line too). Each line has up to three
**      cells: lead, assign (from the first "=" when the rest of the line is
**      a complete expression) and comment (a trailing line comment).
**   4. Indentation: two spaces per open bracket level, where a line that
**      opens several brackets counts as one level and a line that closes
**      them gives that level back (a stack of per-line opener counts).
**   5. Spacing: every gap inside a cell becomes one space or none, decided
**      by the token on either side (space_after).
**   6. Alignment: runs of consecutive lines with an assign cell pad their
**      "=" to one column; then runs with a comment cell pad the comment.
**
** Only the gap before each token changes; token bytes are copied as they
** are, which keeps strings, heredoc bodies and comments intact. The only
** exception is the whitespace before end of file, which hclwrite keeps
** (as that many spaces) because the end-of-file token belongs to no line.
**
** Memory: one token array per call (grown geometrically), one line array,
** one output buffer; nothing is allocated per token.
*/
#include "parser/fmt.h"
#include "lexer/lexer.h"
#include "base/util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* A token for formatting. Source tokens point into the file; tokens made by
** the Terraform rewrites point at static text or into the rewrite arena. */
typedef struct FTok {
  const char *p;     /* the token's bytes */
  uint32_t len;
  uint32_t start;    /* source offset (rewrites: offset of what they replace) */
  int32_t spaces;    /* spaces written before the token */
  int type;          /* TK_* */
} FTok;

typedef struct FVec {
  FTok *v;
  size_t n, cap;
} FVec;

#define NONE UINT32_MAX

/* One line: tokens [s, e); the assign cell starts at asg, the comment cell
** is token cmt (NONE when absent). The lead cell runs from s to whichever
** of asg, cmt, e comes first. */
typedef struct FLine {
  uint32_t s, e, asg, cmt;
} FLine;

static void fv_push(FVec *fv, FTok t) { VEC_PUSH(fv->v, fv->n, fv->cap, t); }

static FTok mk(int type, const char *p, size_t len, uint32_t start) {
  FTok t = {p, (uint32_t)len, start, 0, type};
  return t;
}

/* ---- 1. tokens ---- */

static void lex_all(const char *src, size_t len, FVec *out) {
  DiagList d = {0};
  Lexer lx;
  lex_init(&lx, 0, src, len, &d);
  /* Whitespace is not asked for: every byte between two tokens is
  ** whitespace (tests/unit/test_fmt.c checks the stream is lossless), so
  ** the gap is known from the offsets, at half the lexer calls. */
  lx.keep_comments = true;
  /* typical files have about one token per four bytes */
  vec_reserve((void **)&out->v, &out->cap, len / 4 + 16, sizeof *out->v);
  size_t prev_end = 0;
  for (;;) {
    int type;
    Token t = lex_next(&lx, &type);
    /* Like hclwrite, the gap is counted in bytes: the lexer's whitespace
    ** (spaces, tabs, a stray CR) and a leading byte-order mark, which hcl
    ** skips too and which therefore disappears as indentation. */
    FTok f = mk(type, src + t.start, t.end - t.start, t.start);
    f.spaces = (int32_t)(t.start >= prev_end ? t.start - prev_end : 0);
    fv_push(out, f);
    if (t.end > prev_end) prev_end = t.end;
    if (type == TK_EOF) break;
  }
  lex_free(&lx);
  diag_free(&d);
}

/* ---- 2. Terraform's rewrites ---- */

typedef struct Rewrite {
  const FTok *in;    /* the lexed tokens */
  size_t n;
  size_t copied;     /* in[0..copied) are already in out */
  size_t cursor;     /* where the last token lookup ended (tok_at) */
  FVec *out;
  Arena arena;       /* text of re-quoted labels */
} Rewrite;

/* Index of the first token starting at or after byte off. The tree is
** walked in source order, so queries mostly move forward: a cursor makes
** them linear overall, with a binary search for the odd step back. */
static size_t tok_at(Rewrite *rw, uint32_t off) {
  size_t c = rw->cursor;
  if (c > 0 && rw->in[c - 1].start >= off) {
    size_t lo = 0, hi = c;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (rw->in[mid].start < off) lo = mid + 1;
      else hi = mid;
    }
    c = lo;
  }
  while (c < rw->n && rw->in[c].start < off) c++;
  rw->cursor = c;
  return c;
}

static void copy_upto(Rewrite *rw, size_t idx) {
  if (rw->out->cap == 0) vec_reserve((void **)&rw->out->v, &rw->out->cap, rw->n + 16, sizeof *rw->out->v);
  while (rw->copied < idx && rw->copied < rw->n) fv_push(rw->out, rw->in[rw->copied++]);
}

static bool tok_is(const FTok *t, int type, const char *text) {
  size_t n = strlen(text);
  return t->type == type && t->len == n && memcmp(t->p, text, n) == 0;
}

/* Whether t[s, e) is exactly one interpolation, "${ expr }", and if so
** the expression's tokens without leading and trailing newlines (a newline
** after "x =" would leave the attribute without a value). Mirrors
** terraform's formatValueExpr, which errs on the side of leaving things be:
** any literal text or second sequence at the outer level keeps the quotes. */
static bool interp_only(const FTok *t, size_t *ps, size_t *pe) {
  size_t s = *ps, e = *pe;
  if (e - s < 5 || t[s].type != TK_OQUOTE || t[s + 1].type != TK_TEMPLATE_INTERP ||
      t[e - 2].type != TK_TEMPLATE_SEQ_END || t[e - 1].type != TK_CQUOTE)
    return false;
  s += 2;
  e -= 2;
  int quotes = 0;
  for (size_t i = s; i < e; i++) {
    int ty = t[i].type;
    if (ty == TK_OQUOTE) { quotes++; continue; }
    if (ty == TK_CQUOTE) { quotes--; continue; }
    if (quotes > 0) continue;   /* "${f("${x}")}": nested templates are fine */
    if (ty == TK_TEMPLATE_INTERP || ty == TK_TEMPLATE_SEQ_END || ty == TK_QUOTED_LIT) return false;
  }
  while (s < e && t[s].type == TK_NEWLINE) s++;
  while (e > s && t[e - 1].type == TK_NEWLINE) e--;
  *ps = s;
  *pe = e;
  return true;
}

/* Replaces an attribute value [a, b) that is one interpolation by its
** expression. Terraform unwraps one level per run, so "${"${x}"}" needs two
** runs; tfc unwraps to the end in one, which keeps fmt idempotent and gives
** what a second terraform fmt run would. */
static void unwrap_interp(Rewrite *rw, size_t a, size_t b) {
  const FTok *t = rw->in;
  size_t s = a, e = b;
  bool wrap = false, any = false;
  while (!wrap && interp_only(t, &s, &e)) {
    any = true;
    bool multi = false, lead_paren = false, trail_paren = false;
    for (size_t i = s; i < e; i++) {
      if (i == s && t[i].type == TK_LPAREN) lead_paren = true;
      else if (t[i].type == TK_NEWLINE) multi = true;
      else if (i == e - 1 && t[i].type == TK_RPAREN) trail_paren = true;
    }
    /* a multi-line expression (say a conditional) only parses as a value
    ** when parenthesised */
    wrap = multi && !(lead_paren && trail_paren);
  }
  if (!any) return;
  copy_upto(rw, a);
  if (wrap) fv_push(rw->out, mk(TK_LPAREN, "(", 1, t[a].start));
  for (size_t i = s; i < e; i++) fv_push(rw->out, t[i]);
  if (wrap) fv_push(rw->out, mk(TK_RPAREN, ")", 1, t[b - 1].start));
  rw->copied = b;
}

/* `type` in a variable block: bare collection keywords get "any" as element
** type; the quoted type names of Terraform 0.11 become type expressions (their
** collections held strings). */
static void normalise_type(Rewrite *rw, size_t a, size_t b) {
  const FTok *t = rw->in;
  const char *elem = NULL, *kw = NULL;
  uint32_t at = a < rw->n ? t[a].start : 0;
  if (b - a == 1 && t[a].type == TK_IDENT) {
    if (tok_is(&t[a], TK_IDENT, "list") || tok_is(&t[a], TK_IDENT, "map") || tok_is(&t[a], TK_IDENT, "set")) {
      copy_upto(rw, a + 1);   /* keep the keyword token itself */
      fv_push(rw->out, mk(TK_LPAREN, "(", 1, at));
      fv_push(rw->out, mk(TK_IDENT, "any", 3, at));
      fv_push(rw->out, mk(TK_RPAREN, ")", 1, at));
    }
    return;
  }
  if (b - a != 3 || t[a].type != TK_OQUOTE || t[a + 2].type != TK_CQUOTE) return;
  if (tok_is(&t[a + 1], TK_QUOTED_LIT, "string")) kw = "string";
  else if (tok_is(&t[a + 1], TK_QUOTED_LIT, "list")) kw = "list", elem = "string";
  else if (tok_is(&t[a + 1], TK_QUOTED_LIT, "map")) kw = "map", elem = "string";
  else return;
  copy_upto(rw, a);
  fv_push(rw->out, mk(TK_IDENT, kw, strlen(kw), at));
  if (elem) {
    fv_push(rw->out, mk(TK_LPAREN, "(", 1, at));
    fv_push(rw->out, mk(TK_IDENT, elem, strlen(elem), at));
    fv_push(rw->out, mk(TK_RPAREN, ")", 1, at));
  }
  rw->copied = b;
}

/* Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and
** the ASCII space. */
static bool go_isprint(utf8proc_int32_t cp) {
  if (cp == ' ') return true;
  switch (utf8proc_category(cp)) {
  case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
  case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
  case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
  case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
  case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PD: case UTF8PROC_CATEGORY_PS:
  case UTF8PROC_CATEGORY_PE: case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
  case UTF8PROC_CATEGORY_PO: case UTF8PROC_CATEGORY_SM: case UTF8PROC_CATEGORY_SC:
  case UTF8PROC_CATEGORY_SK: case UTF8PROC_CATEGORY_SO:
    return true;
  default:
    return false;
  }
}

/* The quoted-literal text of a label value, escaped the way hclwrite writes
** a string: \n \r \t \" \\, "${" and "%{" doubled, other unprintable
** characters as \uXXXX / \UXXXXXXXX. */
static HclStr escape_label(Arena *a, HclStr s) {
  char *out = arena_alloc(a, s.len * 10 + 1);
  size_t n = 0;
  for (size_t i = 0; i < s.len;) {
    unsigned char c = (unsigned char)s.s[i];
    utf8proc_int32_t cp = c;
    size_t k = 1;
    if (c >= 0x80) {
      utf8proc_ssize_t r = utf8proc_iterate((const utf8proc_uint8_t *)s.s + i, (utf8proc_ssize_t)(s.len - i), &cp);
      if (r > 0) k = (size_t)r;
      else cp = 0xFFFD;   /* Go ranges over invalid bytes as U+FFFD */
    }
    switch (cp) {
    case '\n': memcpy(out + n, "\\n", 2); n += 2; break;
    case '\r': memcpy(out + n, "\\r", 2); n += 2; break;
    case '\t': memcpy(out + n, "\\t", 2); n += 2; break;
    case '"': memcpy(out + n, "\\\"", 2); n += 2; break;
    case '\\': memcpy(out + n, "\\\\", 2); n += 2; break;
    case '$': case '%':
      out[n++] = (char)c;
      if (i + 1 < s.len && s.s[i + 1] == '{') out[n++] = (char)c;
      break;
    default:
      if (cp == 0xFFFD && c >= 0x80 && k == 1) {
        memcpy(out + n, "\xEF\xBF\xBD", 3);
        n += 3;
      } else if (!go_isprint(cp)) {
        n += (size_t)snprintf(out + n, 11, cp < 0x10000 ? "\\u%04x" : "\\U%08x", (unsigned)cp);
      } else {
        memcpy(out + n, s.s + i, k);
        n += k;
      }
    }
    i += k;
  }
  HclStr r = {out, n};
  return r;
}

/* Whether tokens [a, b) already are the labels as they would be written:
** plain quoted strings, nothing between them. Most blocks are, and leaving
** them alone spares copying the file's tokens. */
static bool labels_canonical(Rewrite *rw, const Block *blk, size_t a, size_t b) {
  const FTok *t = rw->in;
  size_t i = a;
  for (size_t k = 0; k < blk->nlabels; k++) {
    HclStr l = blk->labels[k];
    if (i >= b || t[i].type != TK_OQUOTE) return false;
    i++;
    if (l.len) {
      /* only labels that need no escaping compare byte for byte */
      for (size_t j = 0; j < l.len; j++) {
        unsigned char c = (unsigned char)l.s[j];
        if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '$' || c == '%') return false;
      }
      if (i >= b || t[i].type != TK_QUOTED_LIT || t[i].len != l.len || memcmp(t[i].p, l.s, l.len) != 0) return false;
      i++;
    }
    if (i >= b || t[i].type != TK_CQUOTE) return false;
    i++;
  }
  return i == b;
}

/* Every label is written quoted; whatever sat between the block type and
** the last label (comments) goes, as terraform's SetLabels drops it. */
static void quote_labels(Rewrite *rw, const Block *blk) {
  if (blk->nlabels == 0) return;
  size_t a = tok_at(rw, blk->type_range.end);
  size_t b = tok_at(rw, blk->label_ranges[blk->nlabels - 1].end);
  if (a > b) return;
  if (labels_canonical(rw, blk, a, b)) return;
  copy_upto(rw, a);
  for (size_t i = 0; i < blk->nlabels; i++) {
    uint32_t at = blk->label_ranges[i].start;
    HclStr q = escape_label(&rw->arena, blk->labels[i]);
    fv_push(rw->out, mk(TK_OQUOTE, "\"", 1, at));
    if (q.len) fv_push(rw->out, mk(TK_QUOTED_LIT, q.s, q.len, at));
    fv_push(rw->out, mk(TK_CQUOTE, "\"", 1, at));
  }
  rw->copied = b;
}

static void rewrite_body(Rewrite *rw, const Body *body, int depth, bool in_variable) {
  if (!body) return;
  for (size_t i = 0; i < body->nitems; i++) {
    const BodyItem *it = &body->items[i];
    if (it->attr && it->attr->expr) {
      const Attribute *at = it->attr;
      size_t a = tok_at(rw, at->expr->range.start), b = tok_at(rw, at->expr->range.end);
      if (a < rw->copied || b > rw->n || a >= b) continue;
      if (depth == 1 && in_variable && hcl_str_eq(at->name, "type")) normalise_type(rw, a, b);
      else unwrap_interp(rw, a, b);
    } else if (it->block) {
      const Block *blk = it->block;
      quote_labels(rw, blk);
      rewrite_body(rw, blk->body, depth + 1, depth == 0 && hcl_str_eq(blk->type, "variable"));
    }
  }
}

/* ---- 3. lines and cells ---- */

static int bracket_change(int type) {
  switch (type) {
  case TK_LBRACE: case TK_LBRACK: case TK_LPAREN: case TK_TEMPLATE_INTERP: case TK_TEMPLATE_CONTROL:
    return 1;
  case TK_RBRACE: case TK_RBRACK: case TK_RPAREN: case TK_TEMPLATE_SEQ_END:
    return -1;
  default:
    return 0;
  }
}

/* A # or // comment carries the newline that ends it. */
static bool ends_line(const FTok *t) {
  return t->type == TK_NEWLINE || (t->type == TK_COMMENT && t->len && t->p[t->len - 1] == '\n');
}

/* Net bracket count of t[s, e), up to and including a heredoc opener: what
** follows the opener is the heredoc's body and does not nest. */
static int net_brackets(const FTok *t, uint32_t s, uint32_t e) {
  int net = 0;
  for (uint32_t i = s; i < e; i++) {
    net += bracket_change(t[i].type);
    if (t[i].type == TK_OHEREDOC) break;
  }
  return net;
}

static FLine *split_lines(FTok *t, size_t n, size_t *nlines) {
  size_t count = 1;
  for (size_t i = 0; i < n; i++)
    if (ends_line(&t[i])) count++;
  FLine *lines = xmalloc(count * sizeof *lines);
  size_t li = 0;
  uint32_t s = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (t[i].type == TK_EOF) break;
    if (ends_line(&t[i])) {
      lines[li].s = s;
      lines[li].e = i + 1;
      li++;
      s = i + 1;
    }
  }
  /* the last line, unless the file ends with a newline: up to the EOF */
  uint32_t last = (uint32_t)n;
  if (n && t[n - 1].type == TK_EOF) last--;
  lines[li].s = s;
  lines[li].e = last > s ? last : s;
  li++;
  for (size_t k = 0; k < li; k++) {
    FLine *l = &lines[k];
    l->asg = l->cmt = NONE;
    if (l->e == l->s) continue;
    uint32_t lead_end = l->e;
    if (l->e - l->s > 1 && t[l->e - 1].type == TK_COMMENT) {
      l->cmt = l->e - 1;
      lead_end = l->cmt;
    }
    for (uint32_t i = l->s + 1; i < lead_end; i++) {
      if (t[i].type != TK_EQUAL) continue;
      /* only when the value is complete on this line: "x = {" opens a
      ** multi-line value and is not aligned */
      if (net_brackets(t, i, lead_end) == 0) l->asg = i;
      break;
    }
  }
  *nlines = li;
  return lines;
}

static uint32_t lead_end(const FLine *l) { return l->asg != NONE ? l->asg : l->cmt != NONE ? l->cmt : l->e; }
static uint32_t assign_end(const FLine *l) { return l->cmt != NONE ? l->cmt : l->e; }

/* ---- 4. indentation ---- */

static void indent_lines(FTok *t, FLine *lines, size_t nlines) {
  int *stack = NULL;
  size_t depth = 0, cap = 0;
  for (size_t k = 0; k < nlines; k++) {
    FLine *l = &lines[k];
    if (l->e == l->s) continue;
    if (t[l->s].type == TK_NEWLINE) {
      t[l->s].spaces = 0;   /* blank lines carry no trailing spaces */
      continue;
    }
    int net = net_brackets(t, l->s, lead_end(l));
    if (l->asg != NONE) net += net_brackets(t, l->asg, assign_end(l));
    if (net > 0) {
      t[l->s].spaces = (int32_t)(2 * depth);
      VEC_PUSH(stack, depth, cap, net);
      continue;
    }
    /* closers give back whole levels opened by earlier lines, or part of
    ** one when that line opened several brackets */
    int closed = -net;
    while (closed > 0 && depth > 0) {
      int top = stack[depth - 1];
      if (closed > top) {
        closed -= top;
        depth--;
      } else if (closed < top) {
        stack[depth - 1] -= closed;
        closed = 0;
      } else {
        depth--;
        closed = 0;
      }
    }
    t[l->s].spaces = (int32_t)(2 * depth);
  }
  free(stack);
}

/* ---- 5. spacing ---- */

static bool is_in_keyword(const FTok *t) { return tok_is(t, TK_IDENT, "in"); }

/* Whether a space separates subject from the token after it; before is the
** token ahead of subject in the same cell (type 0 at the start). The order
** of the cases matters: it is hclwrite's. */
static bool space_after(const FTok *subj, const FTok *before, const FTok *after) {
  int s = subj->type, a = after->type, b = before ? before->type : 0;
  if (a == TK_NEWLINE || a == TK_EOF) return false;
  if (s == TK_IDENT && a == TK_LPAREN) return false;                 /* f(x) */
  if ((s == TK_IDENT && a == TK_DCOLON) || (s == TK_DCOLON && a == TK_IDENT)) return false;
  if (s == TK_DOT || a == TK_DOT) return false;
  if (a == TK_COMMA || a == TK_ELLIPSIS) return false;
  if (s == TK_COMMA) return true;
  /* templates keep their text exactly */
  if (s == TK_QUOTED_LIT || s == TK_STRING_LIT || s == TK_OQUOTE || s == TK_OHEREDOC || a == TK_QUOTED_LIT ||
      a == TK_STRING_LIT || a == TK_CQUOTE || a == TK_CHEREDOC)
    return false;
  /* "for x in [y]": "in" is the keyword, not a value being indexed */
  if (is_in_keyword(subj) && b == TK_IDENT) return true;
  if (a == TK_LBRACK && (s == TK_IDENT || s == TK_NUMBER || bracket_change(s) < 0)) return false;
  if (s == TK_BANG) return false;
  if (s == TK_MINUS) {
    /* negation, unless what precedes can end an operand */
    switch (b) {
    case 0:
    case TK_LPAREN: case TK_LBRACE: case TK_LBRACK: case TK_EQUAL: case TK_COLON: case TK_COMMA: case TK_QUESTION:
    case TK_PLUS: case TK_STAR: case TK_SLASH: case TK_PERCENT: case TK_MINUS:
    case TK_EQ: case TK_NE: case TK_GT: case TK_GE: case TK_LT: case TK_LE:
    case TK_AND: case TK_OR: case TK_BANG:
      return false;
    default:
      return true;
    }
  }
  if (s == TK_LBRACE || a == TK_RBRACE) return !(s == TK_LBRACE && a == TK_RBRACE);   /* { a = 1 }, {} */
  if ((s == TK_TEMPLATE_INTERP || s == TK_TEMPLATE_CONTROL) && a == TK_LBRACE) return true;
  if (s == TK_RBRACE && a == TK_TEMPLATE_SEQ_END) return true;
  if (s == TK_TEMPLATE_SEQ_END && (a == TK_TEMPLATE_INTERP || a == TK_TEMPLATE_CONTROL)) return false;
  if (bracket_change(s) > 0) return false;
  if (bracket_change(a) < 0) return false;
  return true;
}

static void space_cell(FTok *t, uint32_t s, uint32_t e) {
  for (uint32_t i = s; i + 1 < e; i++)
    t[i + 1].spaces = space_after(&t[i], i > s ? &t[i - 1] : NULL, &t[i + 1]) ? 1 : 0;
}

static void space_lines(FTok *t, FLine *lines, size_t nlines) {
  for (size_t k = 0; k < nlines; k++) {
    FLine *l = &lines[k];
    space_cell(t, l->s, lead_end(l));
    if (l->asg != NONE) {
      t[l->asg].spaces = 1;
      space_cell(t, l->asg, assign_end(l));
    }
  }
}

/* ---- 6. alignment ---- */

/* Columns a token occupies: grapheme clusters, as hclwrite counts them. */
static size_t tok_columns(const FTok *t) {
  const unsigned char *p = (const unsigned char *)t->p;
  size_t i = 0;
  while (i < t->len && p[i] < 0x80 && p[i] != '\r') i++;
  if (i == t->len) return t->len;
  /* the last ASCII character may start a cluster with what follows (e and
  ** a combining accent) */
  if (i > 0) i--;
  size_t cols = i;
  utf8proc_int32_t prev = -1, state = 0;
  while (i < t->len) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(t->len - i), &cp);
    if (k <= 0) {
      /* an invalid byte is a cluster of its own */
      cols++;
      i++;
      prev = -1;
      state = 0;
      continue;
    }
    if (prev < 0 || utf8proc_grapheme_break_stateful(prev, cp, &state)) cols++;
    prev = cp;
    i += (size_t)k;
  }
  return cols;
}

static size_t columns(const FTok *t, uint32_t s, uint32_t e) {
  size_t c = 0;
  for (uint32_t i = s; i < e; i++) c += (size_t)t[i].spaces + tok_columns(&t[i]);
  return c;
}

static void align_assign(FTok *t, FLine *lines, size_t nlines) {
  size_t run = 0, max = 0;
  bool open = false;
  for (size_t k = 0; k <= nlines; k++) {
    bool has = k < nlines && lines[k].asg != NONE;
    if (has) {
      if (!open) run = k, max = 0, open = true;
      size_t c = columns(t, lines[k].s, lines[k].asg);
      if (c > max) max = c;
      continue;
    }
    if (!open) continue;
    for (size_t j = run; j < k; j++)
      t[lines[j].asg].spaces = (int32_t)(max - columns(t, lines[j].s, lines[j].asg) + 1);
    open = false;
  }
}

static void align_comments(FTok *t, FLine *lines, size_t nlines) {
  size_t run = 0, max = 0;
  bool open = false;
  for (size_t k = 0; k <= nlines; k++) {
    bool has = k < nlines && lines[k].cmt != NONE;
    if (has) {
      if (!open) run = k, max = 0, open = true;
      size_t c = columns(t, lines[k].s, lines[k].cmt);
      if (c > max) max = c;
      continue;
    }
    if (!open) continue;
    for (size_t j = run; j < k; j++)
      t[lines[j].cmt].spaces = (int32_t)(max - columns(t, lines[j].s, lines[j].cmt) + 1);
    open = false;
  }
}

/* ---- entry point ---- */

/* Steps 3-6 and the output: spaces, then the token's bytes. */
static char *layout(FTok *t, size_t n, size_t *out_len) {
  size_t nlines;
  FLine *lines = split_lines(t, n, &nlines);
  indent_lines(t, lines, nlines);
  space_lines(t, lines, nlines);
  align_assign(t, lines, nlines);
  align_comments(t, lines, nlines);
  free(lines);
  /* the output's exact size first, then one pass of copies */
  size_t total = 0;
  for (size_t i = 0; i < n; i++) total += (size_t)t[i].spaces + t[i].len;
  char *out = xmalloc(total + 1), *w = out;
  for (size_t i = 0; i < n; i++) {
    memset(w, ' ', (size_t)t[i].spaces);
    w += t[i].spaces;
    memcpy(w, t[i].p, t[i].len);
    w += t[i].len;
  }
  *w = 0;
  *out_len = total;
  return out;
}

char *hcl_format(const char *src, size_t len, const HclFile *tree, size_t *out_len) {
  FVec toks = {0};
  lex_all(src, len, &toks);
  if (!tree || !tree->body || tree->is_json) {
    char *r = layout(toks.v, toks.n, out_len);
    free(toks.v);
    return r;
  }
  /* the rewritten stream is built only when a first rewrite happens */
  FVec out = {0};
  Rewrite rw = {toks.v, toks.n, 0, 0, &out, {0}};
  arena_init(&rw.arena);
  rewrite_body(&rw, tree->body, 0, false);
  if (out.n == 0 && rw.copied == 0) {
    /* nothing to rewrite (the common case): lay out the lexed tokens */
    free(out.v);
    char *r = layout(toks.v, toks.n, out_len);
    free(toks.v);
    arena_free(&rw.arena);
    return r;
  }
  copy_upto(&rw, toks.n);
  free(toks.v);
  /* the arena holds re-quoted label text until the output is written */
  char *r = layout(out.v, out.n, out_len);
  arena_free(&rw.arena);
  free(out.v);
  return r;
}
