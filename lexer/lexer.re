/*
** lexer/lexer.re — the HCL native-syntax scanner (re2c source; the Makefile
** generates build/gen/lexer.c from it — edit this file, not that one).
**
** Three scanning modes, chosen by the frame on top of the stack:
**   expression  operators, identifiers, numbers, comments, newlines
**   string      the inside of "...": literal chunks, ${, %{, the closing quote
**   heredoc     the lines of <<EOT ... EOT: literal chunks, ${, %{, the marker
** '{' in expression mode pushes a brace frame; "${" and "%{" push a template
** frame, so the matching '}' knows whether it ends a template sequence (and
** returns to string or heredoc mode) or is an ordinary closing brace.
**
** End of input is detected by bounds (re2c's eof rule with a sentinel that is
** only trusted at the limit), so NUL bytes inside a file are ordinary bytes.
*/
#include "lexer/lexer.h"
#include "base/util.h"

#include <string.h>
#include <utf8proc.h>

enum { LF_BRACE, LF_INTERP, LF_STRING, LF_HEREDOC };

void lex_init(Lexer *lx, uint32_t file, const char *src, size_t len, DiagList *diags) {
  memset(lx, 0, sizeof *lx);
  lx->src = (const unsigned char *)src;
  lx->len = len;
  lx->file = file;
  lx->diags = diags;
  /* A UTF-8 byte-order mark is not part of the configuration. */
  if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) lx->pos = 3;
}

void lex_free(Lexer *lx) {
  free(lx->stack);
  lx->stack = NULL;
  lx->depth = lx->cap = 0;
}

static void push(Lexer *lx, uint8_t kind) {
  LexFrame f;
  memset(&f, 0, sizeof f);
  f.kind = kind;
  VEC_PUSH(lx->stack, lx->depth, lx->cap, f);
  lx->mode = kind;
}

static LexFrame *top(Lexer *lx) { return lx->depth ? &lx->stack[lx->depth - 1] : NULL; }

/* The scanning mode is the top frame's kind, kept beside the stack so the
** dispatch on every token reads one byte. */
static void pop(Lexer *lx) {
  lx->depth--;
  lx->mode = lx->depth ? lx->stack[lx->depth - 1].kind : LF_BRACE;
}

/* The type goes through the Lexer, not the returned Token: a 12-byte
** struct returned by value makes GCC assemble it in memory from 4-byte
** stores and reload it 8 bytes at a time, a store-forwarding stall on
** every token. */
static Token tok_(Lexer *lx, int type, size_t start, size_t end) {
  lx->type = type;
  Token t = {(uint32_t)start, (uint32_t)end};
  return t;
}
#define tok(type, start, end) tok_(lx, type, start, end)

static void lex_error(Lexer *lx, size_t start, size_t end, const char *summary, const char *detail) {
  SrcRange r = src_range(lx->file, (uint32_t)start, (uint32_t)end);
  diag_error(lx->diags, r, summary, "%s", detail);
}

bool lex_unicode_id(const unsigned char *s, size_t avail, bool start, size_t *n) {
  utf8proc_int32_t cp;
  utf8proc_ssize_t k = utf8proc_iterate(s, (utf8proc_ssize_t)(avail > 4 ? 4 : avail), &cp);
  if (k <= 0) return false;
  *n = (size_t)k;
  if (cp < 0x80) {
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_') return true;
    return !start && ((cp >= '0' && cp <= '9') || cp == '-');
  }
  /* UAX #31: ID_Start = letters and letter numbers; ID_Continue adds marks,
  ** digits and connector punctuation. */
  switch (utf8proc_category(cp)) {
  case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
  case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_NL:
    return true;
  case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ND:
  case UTF8PROC_CATEGORY_PC:
    return !start;
  default:
    return cp == 0x200C || cp == 0x200D ? !start : false;
  }
}

/* Extends an identifier over any following identifier characters, ASCII or
** not, starting at pos. */
static size_t ident_tail(Lexer *lx, size_t pos) {
  size_t n;
  while (pos < lx->len && lex_unicode_id(lx->src + pos, lx->len - pos, false, &n)) pos += n;
  return pos;
}

static Token invalid_char(Lexer *lx, size_t start) {
  size_t n = 1;
  utf8proc_int32_t cp;
  utf8proc_ssize_t k = utf8proc_iterate(lx->src + start, (utf8proc_ssize_t)(lx->len - start), &cp);
  if (k <= 0) {
    lex_error(lx, start, start + 1, "Invalid character encoding",
              "All input files must be UTF-8 encoded. Ensure that UTF-8 encoding is selected in your editor.");
  } else {
    n = (size_t)k;
    if (cp == '\'')
      lex_error(lx, start, start + n, "Invalid character",
                "Single quotes are not valid. Use double quotes (\") to enclose strings.");
    else
      lex_error(lx, start, start + n, "Invalid character", "This character is not used within the language.");
  }
  lx->pos = start + n;
  return tok(TK_INVALID, start, start + n);
}

/* The end of a run of spaces and tabs from p. Indentation and alignment
** are a third of a typical file's bytes, so they are compared eight at a
** time where the byte order allows it. */
static size_t skip_spaces(const unsigned char *s, size_t p, size_t n) {
  /* most gaps are one space or none: settle those before the word loop */
  if (s[p] != ' ' && s[p] != '\t') return p;
  if (s[++p] != ' ' && s[p] != '\t') return p;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  while (p + 8 <= n) {
    uint64_t w;
    memcpy(&w, s + p, 8);
    w ^= 0x2020202020202020u; /* a space becomes a zero byte */
    if (!w) {
      p += 8;
      continue;
    }
    p += (size_t)__builtin_ctzll(w) >> 3;
    if (s[p] != '\t') return p;
    p++;
  }
#endif
  while (p < n && (s[p] == ' ' || s[p] == '\t')) p++;
  return p;
}

/* After a newline, the blank lines and line comments that follow add
** nothing: newlines are either insignificant where they stand or one of
** them ends the item, so the parser sees a run of them as one. The next
** line's indentation is skipped too. */
static void skip_blank_lines(Lexer *lx) {
  const unsigned char *s = lx->src;
  size_t p = lx->pos, n = lx->len;
  for (;;) {
    size_t q = p = skip_spaces(s, p, n);
    if (q < n && s[q] == '\r' && q + 1 < n && s[q + 1] == '\n') q++;
    if (q < n && (s[q] == '#' || (s[q] == '/' && q + 1 < n && s[q + 1] == '/'))) {
      const unsigned char *e = memchr(s + q, '\n', n - q);
      if (!e) break;
      q = (size_t)(e - s);
    }
    if (q >= n || s[q] != '\n') break;
    p = q + 1;
  }
  lx->pos = p;
}

/* Byte classes for the two runs that make up most of a file's bytes:
** identifiers and plain quoted text. A table lookup per byte beats the
** DFA's compare chains there. NUL is in neither class, so the NUL after
** the last byte ends every run. */
enum { C_ID = 1, C_TEXT = 2 };
static const unsigned char byte_class[256] = {
  [' '] = C_TEXT, ['!'] = C_TEXT, ['#'] = C_TEXT, ['&' ... ','] = C_TEXT,
  ['-'] = C_ID | C_TEXT, ['.' ... '/'] = C_TEXT, ['0' ... '9'] = C_ID | C_TEXT, [':' ... '@'] = C_TEXT,
  ['A' ... 'Z'] = C_ID | C_TEXT, ['['] = C_TEXT, [']' ... '^'] = C_TEXT, ['_'] = C_ID | C_TEXT,
  ['`'] = C_TEXT, ['a' ... 'z'] = C_ID | C_TEXT, ['{' ... '~'] = C_TEXT, [0x7f] = C_TEXT,
  [0x01 ... 0x09] = C_TEXT, [0x0b ... 0x0c] = C_TEXT, [0x0e ... 0x1f] = C_TEXT,
};

#define YYCTYPE unsigned char

/* Expression mode. */
static Token lex_expr(Lexer *lx) {
  for (;;) {
    /* indentation and alignment are most of a file's tokens when they
    ** are tokens at all; skipped here they cost no dispatch */
    if (!lx->keep_whitespace) lx->pos = skip_spaces(lx->src, lx->pos, lx->len);
    const YYCTYPE *YYCURSOR = lx->src + lx->pos, *YYLIMIT = lx->src + lx->len, *YYMARKER = YYCURSOR;
    size_t start = lx->pos;
#define ADV() (lx->pos = (size_t)(YYCURSOR - lx->src))
#define T(type) do { ADV(); return tok(type, start, lx->pos); } while (0)
    /*!re2c
      re2c:yyfill:enable = 0;
      re2c:eof = 0;

      ident = [a-zA-Z_][a-zA-Z0-9_-]*;
      digits = [0-9]+;
      number = digits ("." digits)? ([eE] [+-]? digits)? | digits "." [eE] [+-]? digits;
      /* hcl's scanner reads "1.5.5" or "1e1.5" as one malformed number */
      badnumber = digits ("." digits)? ([eE] [+-]? digits)? ("." digits)+;
      nl = "\r"? "\n";

      $ { lx->pos = lx->len; return tok(TK_EOF, lx->len, lx->len); }
      /* A CR is whitespace only on its own: before a LF it belongs to the
      ** newline, which the formatter must keep byte for byte. */
      [ \t]+ | "\r" { ADV(); if (lx->keep_whitespace) return tok(TK_WHITESPACE, start, lx->pos); continue; }
      nl {
        ADV();
        Token t = tok(TK_NEWLINE, start, lx->pos);
        if (!lx->keep_whitespace && !lx->keep_comments) skip_blank_lines(lx);
        return t;
      }
      ("#" | "//") [^\n\x00]* {
        /* A line comment ends the line: unless comments are kept, it reads as
        ** the newline that terminates it. NUL bytes are scanned in C so the
        ** sentinel never stops a comment early. */
        size_t p = (size_t)(YYCURSOR - lx->src);
        while (p < lx->len && lx->src[p] != '\n') p++;
        if (p < lx->len) p++;
        lx->pos = p;
        if (lx->keep_comments) return tok(TK_COMMENT, start, p);
        if (p > start && lx->src[p - 1] == '\n') {
          Token t = tok(TK_NEWLINE, p - 1, p);
          if (!lx->keep_whitespace) skip_blank_lines(lx);
          return t;
        }
        continue;
      }
      "/*" {
        size_t p = (size_t)(YYCURSOR - lx->src);
        while (p + 1 < lx->len && !(lx->src[p] == '*' && lx->src[p + 1] == '/')) p++;
        if (p + 1 >= lx->len) {
          /* hcl reads an unclosed comment as a stray "/", which the parser
          ** then reports where an expression or argument was expected */
          lx->pos = start + 1;
          return tok(TK_INVALID, start, start + 1);
        }
        lx->pos = p + 2;
        if (lx->keep_comments) return tok(TK_COMMENT, start, lx->pos);
        continue;
      }
      number { T(TK_NUMBER); }
      badnumber {
        ADV();
        lex_error(lx, start, lx->pos, "Invalid number literal", "Failed to recognize the value of this number literal.");
        return tok(TK_NUMBER, start, lx->pos);
      }
      [a-zA-Z_] {
        const unsigned char *p = YYCURSOR;
        while (byte_class[*p] & C_ID) p++;
        lx->pos = (size_t)(p - lx->src);
        if (lx->pos < lx->len && *p >= 0x80) lx->pos = ident_tail(lx, lx->pos);
        /* An identifier followed by "=" (not "==" or "=>") on the same
        ** line starts an argument or an object item: one token for the
        ** two, since a file is mostly such lines. The token is the name;
        ** the feeder splits it again anywhere else. */
        if (lx->attr_names) {
          const unsigned char *q = lx->src + lx->pos;
          while (*q == ' ' || *q == '\t') q++;
          if (*q == '=' && q[1] != '=' && q[1] != '>' && q < YYLIMIT) {
            size_t end = lx->pos;
            lx->pos = (size_t)(q + 1 - lx->src);
            return tok(TK_ATTRNAME, start, end);
          }
        }
        return tok(TK_IDENT, start, lx->pos);
      }
      [\x80-\xff] {
        size_t n;
        if (lex_unicode_id(lx->src + start, lx->len - start, true, &n)) {
          lx->pos = ident_tail(lx, start + n);
          return tok(TK_IDENT, start, lx->pos);
        }
        return invalid_char(lx, start);
      }
      "<<" "-"? ident nl {
        ADV();
        push(lx, LF_HEREDOC);
        LexFrame *f = top(lx);
        f->flush = lx->src[start + 2] == '-';
        f->line_start = true;
        size_t ms = start + (f->flush ? 3 : 2), me = lx->pos - 1;
        if (lx->src[me - 1] == '\r') me--;
        f->mark_start = (uint32_t)ms;
        f->mark_len = (uint32_t)(me - ms);
        return tok(TK_OHEREDOC, start, lx->pos);
      }
      "\"" {
        /* Most strings are plain ASCII text: no template sequences,
        ** escapes or characters to validate and normalise. For the parser
        ** such a string is one token, its quotes included, and its text is
        ** the source itself. */
        if (lx->whole_strings) {
          const unsigned char *p = YYCURSOR;
          while (byte_class[*p] & C_TEXT) p++;
          if (*p == '"' && p < YYLIMIT) {
            lx->pos = (size_t)(p + 1 - lx->src);
            return tok(TK_STRING, start, lx->pos);
          }
        }
        ADV();
        push(lx, LF_STRING);
        return tok(TK_OQUOTE, start, lx->pos);
      }
      "{" { ADV(); push(lx, LF_BRACE); return tok(TK_LBRACE, start, lx->pos); }
      "~"? "}" {
        ADV();
        LexFrame *f = top(lx);
        if (f && f->kind == LF_INTERP) {
          pop(lx);
          return tok(TK_TEMPLATE_SEQ_END, start, lx->pos);
        }
        if (lx->src[start] == '~') { lx->pos = start; return invalid_char(lx, start); }
        if (f && f->kind == LF_BRACE) pop(lx);
        return tok(TK_RBRACE, start, lx->pos);
      }
      "[" { T(TK_LBRACK); }
      "]" { T(TK_RBRACK); }
      "(" { T(TK_LPAREN); }
      ")" { T(TK_RPAREN); }
      "," { T(TK_COMMA); }
      "..." { T(TK_ELLIPSIS); }
      "." { T(TK_DOT); }
      "::" { T(TK_DCOLON); }
      ":" { T(TK_COLON); }
      "?" { T(TK_QUESTION); }
      "=>" { T(TK_ARROW); }
      "==" { T(TK_EQ); }
      "!=" { T(TK_NE); }
      "<=" { T(TK_LE); }
      ">=" { T(TK_GE); }
      "<" { T(TK_LT); }
      ">" { T(TK_GT); }
      "=" { T(TK_EQUAL); }
      "&&" { T(TK_AND); }
      "||" { T(TK_OR); }
      "!" { T(TK_BANG); }
      "+" { T(TK_PLUS); }
      "-" { T(TK_MINUS); }
      "*" { T(TK_STAR); }
      "/" { T(TK_SLASH); }
      "%" { T(TK_PERCENT); }
      * { return invalid_char(lx, start); }
    */
  }
}

/* String mode: the inside of a quoted template. Literal chunks keep their
** escapes; the parser decodes them. */
__attribute__((noinline)) static Token lex_string(Lexer *lx) {
  const YYCTYPE *YYCURSOR = lx->src + lx->pos, *YYLIMIT = lx->src + lx->len, *YYMARKER = YYCURSOR;
  size_t start = lx->pos;
  /*!re2c
    re2c:yyfill:enable = 0;
    re2c:eof = 0;

    /* "$${" and "%%{" are escapes; a longer run such as "$$${" is a literal
    ** "$" followed by the escape, as hcl reads it */
    lit = ([^"\\$%\r\n\x00] | "\\" [^\r\n\x00] | "$"{2,} "{"? | "%"{2,} "{"? | "$" [^{"\\$%\r\n\x00] | "%" [^{"\\$%\r\n\x00])+;

    $ {
      lex_error(lx, start, start, "Unterminated template string", "No closing marker was found for the string.");
      pop(lx);
      return tok(TK_CQUOTE, lx->len, lx->len);
    }
    "\"" { ADV(); pop(lx); return tok(TK_CQUOTE, start, lx->pos); }
    "${" "~"? { ADV(); push(lx, LF_INTERP); return tok(TK_TEMPLATE_INTERP, start, lx->pos); }
    "%{" "~"? { ADV(); push(lx, LF_INTERP); return tok(TK_TEMPLATE_CONTROL, start, lx->pos); }
    "\r"? "\n" | "\r" {
      /* A raw newline (or a lone carriage return, which hcl treats alike)
      ** ends the string: report it and let the parser see the string
      ** closed, so the rest of the file still parses. */
      lex_error(lx, start, start, "Invalid multi-line string",
                "Quoted strings may not be split over multiple lines. To produce a multi-line string, either use the \\n escape to represent a newline character or use the \"heredoc\" multi-line template syntax.");
      pop(lx);
      return tok(TK_CQUOTE, start, start);
    }
    lit { T(TK_QUOTED_LIT); }
    [$%\\] | "\x00" {
      /* a lone $ or % before the closing quote or a NUL byte, or a trailing
      ** backslash: literal text; bad escapes are reported when decoding */
      T(TK_QUOTED_LIT);
    }
    * { T(TK_QUOTED_LIT); }
  */
}

/* Heredoc mode. At the start of each line the closing marker is looked for;
** otherwise a literal runs to the end of the line or the next ${ / %{. */
__attribute__((noinline)) static Token lex_heredoc(Lexer *lx) {
  LexFrame *f = top(lx);
  size_t start = lx->pos;
  if (start >= lx->len) {
    lex_error(lx, start, start, "Unterminated template string", "No closing marker was found for the heredoc.");
    pop(lx);
    return tok(TK_CHEREDOC, lx->len, lx->len);
  }
  if (f->line_start) {
    size_t p = start;
    while (p < lx->len && (lx->src[p] == ' ' || lx->src[p] == '\t')) p++;
    size_t m = f->mark_len;
    if (p + m <= lx->len && memcmp(lx->src + p, lx->src + f->mark_start, m) == 0) {
      size_t e = p + m;
      /* the closing marker's line must end with a newline, as in hcl */
      if ((e < lx->len && lx->src[e] == '\n') || (lx->src[e] == '\r' && e + 1 < lx->len && lx->src[e + 1] == '\n')) {
        lx->pos = e;
        pop(lx);
        return tok(TK_CHEREDOC, start, e);
      }
    }
  }
  f->line_start = false;
  const YYCTYPE *YYCURSOR = lx->src + lx->pos, *YYLIMIT = lx->src + lx->len, *YYMARKER = YYCURSOR;
  /*!re2c
    re2c:yyfill:enable = 0;
    re2c:eof = 0;

    hlit = ([^$%\n\x00] | "$"{2,} "{"? | "%"{2,} "{"? | "$" [^{$%\n\x00] | "%" [^{$%\n\x00])+ "\n"? | "\n";

    $ { T(TK_STRING_LIT); }
    "${" "~"? { ADV(); push(lx, LF_INTERP); return tok(TK_TEMPLATE_INTERP, start, lx->pos); }
    "%{" "~"? { ADV(); push(lx, LF_INTERP); return tok(TK_TEMPLATE_CONTROL, start, lx->pos); }
    hlit {
      ADV();
      if (lx->pos > start && lx->src[lx->pos - 1] == '\n') f->line_start = true;
      if (lx->pos == start) lx->pos++;
      return tok(TK_STRING_LIT, start, lx->pos);
    }
    * { T(TK_STRING_LIT); }
  */
}

Token lex_next(Lexer *lx, int *type) {
  Token t;
  if (lx->mode == LF_STRING) t = lex_string(lx);
  else if (lx->mode == LF_HEREDOC) t = lex_heredoc(lx);
  else t = lex_expr(lx);
  *type = lx->type;
  return t;
}

const char *lex_token_name(int type) {
  switch (type) {
  case TK_NEWLINE: return "newline";
  case TK_IDENT: case TK_ATTRNAME: return "identifier";
  case TK_NUMBER: return "number";
  case TK_EQUAL: return "\"=\"";
  case TK_LBRACE: return "\"{\"";
  case TK_RBRACE: return "\"}\"";
  case TK_LBRACK: return "\"[\"";
  case TK_RBRACK: return "\"]\"";
  case TK_LPAREN: return "\"(\"";
  case TK_RPAREN: return "\")\"";
  case TK_COMMA: return "\",\"";
  case TK_DOT: return "\".\"";
  case TK_COLON: return "\":\"";
  case TK_OQUOTE: case TK_CQUOTE: return "quote";
  case TK_EOF: return "end of file";
  default: return "token";
  }
}
