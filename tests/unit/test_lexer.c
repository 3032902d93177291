/*
** tests/unit/test_lexer.c — the token stream the parser asks for: "name ="
** glued into ATTRNAME, blank lines and comment lines folded into one
** newline, plain strings whole, and spaces skipped eight bytes at a time.
** (The formatter's lossless stream is checked in test_fmt.c.)
*/
#include "t.h"

#include "base/buf.h"
#include "base/util.h"
#include "lexer/lexer.h"

/* The parser-mode tokens of text, as "TYPE:text" joined by spaces, with
** NEWLINE shown as "NL" and the names of the few types the tests meet. */
static char *tokens(const char *text) {
  DiagList d = {0};
  Lexer lx;
  lex_init(&lx, 0, text, strlen(text), &d);
  lx.whole_strings = true;
  lx.attr_names = true;
  Buf b = BUF_INIT;
  for (;;) {
    int type;
    Token t = lex_next(&lx, &type);
    if (type == TK_EOF) break;
    if (b.len) buf_putc(&b, ' ');
    switch (type) {
    case TK_NEWLINE: buf_puts(&b, "NL"); continue;
    case TK_ATTRNAME: buf_puts(&b, "ATTR:"); break;
    case TK_IDENT: buf_puts(&b, "ID:"); break;
    case TK_STRING: buf_puts(&b, "STR:"); break;
    case TK_NUMBER: buf_puts(&b, "NUM:"); break;
    case TK_EQUAL: buf_puts(&b, "EQ:"); break;
    default: buf_puts(&b, "T:"); break;
    }
    buf_add(&b, text + t.start, t.end - t.start);
  }
  lex_free(&lx);
  diag_free(&d);
  return buf_take(&b);
}

#define CHECK_TOKENS(text, want)    \
  do {                              \
    char *got_ = tokens(text);      \
    CHECK_STR(got_, want);          \
    free(got_);                     \
  } while (0)

static void test_attribute_names(void) {
  CHECK_TOKENS("a = 1\n", "ATTR:a NUM:1 NL");
  CHECK_TOKENS("name\t \t= \"x\"\n", "ATTR:name STR:\"x\" NL");
  CHECK_TOKENS("a=b\n", "ATTR:a ID:b NL");
  CHECK_TOKENS("with-dash = 1", "ATTR:with-dash NUM:1");
  /* comparisons and arrows are not assignments */
  CHECK_TOKENS("a == b", "ID:a T:== ID:b");
  CHECK_TOKENS("k => v", "ID:k T:=> ID:v");
  /* a comment or a newline between them leaves the two apart */
  CHECK_TOKENS("a /* c */ = 1", "ID:a EQ:= NUM:1");
  CHECK_TOKENS("a\n= 1", "ID:a NL EQ:= NUM:1");
  /* "=" as the very last byte */
  CHECK_TOKENS("a =", "ATTR:a");
}

static void test_blank_lines_fold(void) {
  CHECK_TOKENS("a = 1\n\n   \n\t\nb = 2\n", "ATTR:a NUM:1 NL ATTR:b NUM:2 NL");
  CHECK_TOKENS("a = 1\n# one\n  // two\n\nb = 2", "ATTR:a NUM:1 NL ATTR:b NUM:2");
  CHECK_TOKENS("a = 1 # trailing\n\nb = 2", "ATTR:a NUM:1 NL ATTR:b NUM:2");
  CHECK_TOKENS("a = 1\r\n\r\nb = 2", "ATTR:a NUM:1 NL ATTR:b NUM:2");
  /* a block comment is not a line comment: the newline after it stays */
  CHECK_TOKENS("a = 1\n/* c */\nb = 2", "ATTR:a NUM:1 NL NL ATTR:b NUM:2");
  /* a comment without a newline ends the file */
  CHECK_TOKENS("a = 1\n# last", "ATTR:a NUM:1 NL");
}

static void test_spaces(void) {
  /* runs shorter and longer than a word, tabs inside, at the very end */
  CHECK_TOKENS("a                  =                 1", "ATTR:a NUM:1");
  CHECK_TOKENS("x =       \t       \t    y", "ATTR:x ID:y");
  CHECK_TOKENS("x = y                    ", "ATTR:x ID:y");
  CHECK_TOKENS("        ", "");
}

static void test_whole_strings(void) {
  CHECK_TOKENS("s = \"plain text, with: punctuation!\"", "ATTR:s STR:\"plain text, with: punctuation!\"");
  /* escapes, templates and non-ASCII text are not plain */
  CHECK_TOKENS("s = \"a\\nb\"", "ATTR:s T:\" T:a\\nb T:\"");
  CHECK_TOKENS("s = \"${x}\"", "ATTR:s T:\" T:${ ID:x T:} T:\"");
  CHECK_TOKENS("s = \"é\"", "ATTR:s T:\" T:é T:\"");
  /* a NUL byte inside a string is text, not the end of the file */
  char with_nul[] = "s = \"a\0b\"";
  DiagList d = {0};
  Lexer lx;
  lex_init(&lx, 0, with_nul, sizeof with_nul - 1, &d);
  lx.whole_strings = true;
  lx.attr_names = true;
  int type, n = 0;
  do {
    lex_next(&lx, &type);
    n++;
  } while (type != TK_EOF && n < 20);
  CHECK(n < 20);
  CHECK_INT(lx.pos, sizeof with_nul - 1);
  lex_free(&lx);
  diag_free(&d);
}

int main(void) {
  RUN(test_attribute_names);
  RUN(test_blank_lines_fold);
  RUN(test_spaces);
  RUN(test_whole_strings);
  return T_END();
}
