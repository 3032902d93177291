/*
** tests/unit/test_fmt.c — the formatter's foundations: the lexer's lossless
** token stream, hcl_format's layout rules and Terraform rewrites on small
** inputs, and a property test: reshuffling the whitespace between tokens
** never changes the formatted result.
*/
#include "t.h"

#include "base/util.h"
#include "lexer/lexer.h"
#include "parser/ast.h"
#include "parser/fmt.h"

#include <dirent.h>

/* Every file of a test corpus directory, as paths. */
static char **corpus(const char *dir, size_t *n) {
  char **v = NULL;
  size_t cap = 0;
  *n = 0;
  DIR *d = opendir(dir);
  if (!d) return NULL;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    size_t l = strlen(e->d_name);
    if (e->d_name[0] == '.' || (l > 9 && strcmp(e->d_name + l - 9, ".expected") == 0)) continue;
    VEC_PUSH(v, *n, cap, xasprintf("%s/%s", dir, e->d_name));
  }
  closedir(d);
  return v;
}

static const char *const dirs[] = {"tests/hcl/conformance", "tests/hcl/errors", "tests/fuzz/corpus/hcl",
                                   "tests/fmt/cases"};

/* With comments and whitespace kept, the tokens tile the file: each starts
** where the previous ended, and the last ends at the end of the file. Only
** a leading byte-order mark is skipped. Checked on valid and invalid input,
** since fmt lexes before it knows whether the file parses. */
static void test_lexer_lossless(void) {
  size_t files = 0;
  for (size_t di = 0; di < sizeof dirs / sizeof dirs[0]; di++) {
    size_t n;
    char **paths = corpus(dirs[di], &n);
    for (size_t i = 0; i < n; i++) {
      size_t len;
      char *src = read_file(paths[i], &len);
      CHECK(src != NULL);
      if (!src) continue;
      files++;
      DiagList d = {0};
      Lexer lx;
      lex_init(&lx, 0, src, len, &d);
      lx.keep_comments = lx.keep_whitespace = true;
      size_t pos = lx.pos, ntok = 0;
      bool ok = true;
      for (;;) {
        int type;
        Token t = lex_next(&lx, &type);
        if (t.start != pos) {
          printf("FAIL - test_lexer_lossless: %s: gap at byte %zu (next token at %u)\n", paths[i], pos,
                 (unsigned)t.start);
          ok = false;
          break;
        }
        pos = t.end;
        if (type == TK_EOF || ++ntok > len + 10) break;
      }
      if (ok && pos != len) {
        printf("FAIL - test_lexer_lossless: %s: stream ends at %zu of %zu\n", paths[i], pos, len);
        ok = false;
      }
      if (!ok) t_cur_failed = 1;
      lex_free(&lx);
      diag_free(&d);
      free(src);
      free(paths[i]);
    }
    free(paths);
  }
  CHECK(files > 400);
}

static char *fmt_text(const char *text, bool tree) {
  size_t n;
  if (!tree) return hcl_format(text, strlen(text), NULL, &n);
  DiagList d = {0};
  uint32_t id = src_add("t.tf", xstrdup(text), strlen(text));
  HclFile *f = hcl_parse(id, &d);
  CHECK_INT(d.nerrors, 0);
  char *r = hcl_format(src_get(id)->bytes, strlen(text), f, &n);
  hcl_file_free(f);
  diag_free(&d);
  return r;
}

#define FMT_IS(in, tree, want)          \
  do {                                  \
    char *got_ = fmt_text(in, tree);    \
    CHECK_STR(got_, want);              \
    free(got_);                         \
  } while (0)

static void test_layout_rules(void) {
  FMT_IS("a=1\nbbb  =  2\n", false, "a   = 1\nbbb = 2\n");
  /* a blank line, a comment line or a block header ends an alignment run */
  FMT_IS("a=1\n\nbbb=2\n", false, "a = 1\n\nbbb = 2\n");
  FMT_IS("a=1\n# c\nbbb=2\n", false, "a = 1\n# c\nbbb = 2\n");
  /* "x = {" opens a multi-line value: not aligned, and indents its body */
  FMT_IS("a=1\nbbbb={\nc=1\n}\n", false, "a = 1\nbbbb = {\n  c = 1\n}\n");
  FMT_IS("x {\ny {\nz = [\n1,\n]\n}\n}\n", false, "x {\n  y {\n    z = [\n      1,\n    ]\n  }\n}\n");
  FMT_IS("a = 1 # one\nbb = 22 # two\n", false, "a  = 1  # one\nbb = 22 # two\n");
  FMT_IS("a = f( x , y )[ 0 ].b\n", false, "a = f(x, y)[0].b\n");
  FMT_IS("a = {}\nb = { c = 1 }\nc = {d=1}\n", false, "a = {}\nb = { c = 1 }\nc = { d = 1 }\n");
  FMT_IS("a = -1\nb = x - -1\nc = ! x\n", false, "a = -1\nb = x - -1\nc = !x\n");
  FMT_IS("a = [for x in [1] : x if x>0]\n", false, "a = [for x in [1] : x if x > 0]\n");
  /* no trailing whitespace, no blank-line spaces; but bytes after the last
  ** newline stay (as spaces), as hclwrite leaves them */
  FMT_IS("a = 1   \n  \nb = 2\n \t", false, "a = 1\n\nb = 2\n  ");
  /* heredoc bodies and string contents are untouched */
  FMT_IS("a = <<EOT\n  x  =  1\n${ y }\nEOT\n", false, "a = <<EOT\n  x  =  1\n${y}\nEOT\n");
  FMT_IS("a = \"  x  ${ y }  \"\n", false, "a = \"  x  ${y}  \"\n");
  FMT_IS("", false, "");
  FMT_IS("a=1", false, "a = 1");
  FMT_IS("a=1\r\nbb=2\r\n", false, "a  = 1\r\nbb = 2\r\n");
}

static void test_terraform_rewrites(void) {
  FMT_IS("resource aws_x y {\n}\n", true, "resource \"aws_x\" \"y\" {\n}\n");
  FMT_IS("a = \"${var.x}\"\nbb = \"x${var.x}\"\n", true, "a  = var.x\nbb = \"x${var.x}\"\n");
  FMT_IS("a = \"${\"${var.x}\"}\"\n", true, "a = var.x\n");
  FMT_IS("a = \"${x ?\n1 : 2}\"\n", true, "a = (x ?\n1 : 2)\n");
  FMT_IS("variable \"v\" {\n  type = list\n}\n", true, "variable \"v\" {\n  type = list(any)\n}\n");
  FMT_IS("variable \"v\" {\n  type = \"map\"\n}\n", true, "variable \"v\" {\n  type = map(string)\n}\n");
  FMT_IS("x \"v\" {\n  type = list\n}\n", true, "x \"v\" {\n  type = list\n}\n");
  FMT_IS("a = { b = \"${c}\" }\n", true, "a = { b = \"${c}\" }\n");
  FMT_IS("x \"a\\tb\" \"\\u00e9\" \"\\u00a0\" {}\n", true, "x \"a\\tb\" \"\xc3\xa9\" \"\\u00a0\" {}\n");
  src_reset();
}

/* Tiny deterministic generator, so a failure is reproducible. */
static uint64_t rng = 88172645463325252ull;
static unsigned next_rand(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (unsigned)rng;
}

/* Replaces every whitespace run between tokens (except the run before end
** of file, which hclwrite keeps) by 1 to 4 random spaces and tabs, and
** checks the layout comes out the same as for the original. */
static void test_whitespace_invariance(void) {
  size_t n, checked = 0;
  char **paths = corpus("tests/hcl/conformance", &n);
  for (size_t i = 0; i < n; i++) {
    size_t len;
    char *src = read_file(paths[i], &len);
    if (!src) continue;
    char *out = xmalloc(len * 4 + 8);
    size_t on = 0;
    DiagList d = {0};
    Lexer lx;
    lex_init(&lx, 0, src, len, &d);
    lx.keep_comments = lx.keep_whitespace = true;
    memcpy(out, src, lx.pos);
    on = lx.pos;
    for (;;) {
      int type;
      Token t = lex_next(&lx, &type);
      if (type == TK_EOF) break;
      bool ws = type == TK_WHITESPACE && t.end < len && memchr(src + t.start, '\r', t.end - t.start) == NULL;
      if (ws) {
        unsigned k = 1 + next_rand() % 4;
        for (unsigned j = 0; j < k; j++) out[on++] = next_rand() % 3 ? ' ' : '\t';
      } else {
        memcpy(out + on, src + t.start, t.end - t.start);
        on += t.end - t.start;
      }
    }
    out[on] = 0;
    lex_free(&lx);
    diag_free(&d);
    size_t a_n, b_n;
    char *a = hcl_format(src, len, NULL, &a_n);
    char *b = hcl_format(out, on, NULL, &b_n);
    if (a_n != b_n || memcmp(a, b, a_n) != 0) {
      printf("FAIL - test_whitespace_invariance: %s formats differently with other whitespace\n", paths[i]);
      t_cur_failed = 1;
    }
    checked++;
    free(a);
    free(b);
    free(out);
    free(src);
    free(paths[i]);
  }
  free(paths);
  CHECK(checked > 200);
}

/* Deep nesting and long lines stay linear and do not crash. */
static void test_pathological(void) {
  size_t depth = 100000;
  char *s = xmalloc(depth * 2 + 16);
  size_t k = 0;
  memcpy(s, "a = ", 4);
  k = 4;
  for (size_t i = 0; i < depth; i++) s[k++] = '[';
  for (size_t i = 0; i < depth; i++) s[k++] = ']';
  s[k++] = '\n';
  s[k] = 0;
  size_t n;
  char *r = hcl_format(s, k, NULL, &n);
  CHECK_INT(n, k);
  free(r);
  /* one bracket per line: indentation grows to 200000 columns */
  char *t = xmalloc(depth * 4 + 16);
  k = 0;
  for (size_t i = 0; i < 2000; i++) t[k++] = '(', t[k++] = '\n';
  for (size_t i = 0; i < 2000; i++) t[k++] = ')', t[k++] = '\n';
  t[k] = 0;
  r = hcl_format(t, k, NULL, &n);
  CHECK(n > k);
  free(r);
  free(s);
  free(t);
}

int main(void) {
  RUN(test_lexer_lossless);
  RUN(test_layout_rules);
  RUN(test_terraform_rewrites);
  RUN(test_whitespace_invariance);
  RUN(test_pathological);
  return T_END();
}
