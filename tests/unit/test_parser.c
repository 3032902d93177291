/*
** tests/unit/test_parser.c — the HCL front end: tree shapes, ranges, error
** recovery, and Terraform-style diagnostic rendering.
*/
#include "t.h"

#include "base/buf.h"
#include "base/util.h"
#include "parser/ast.h"

#include <cjson/cJSON.h>

static HclFile *parse(const char *path, const char *text, DiagList *d) {
  uint32_t id = src_add(path, xstrdup(text), strlen(text));
  return hcl_parse(id, d);
}

static char *render(const Diag *dg, bool color) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  diag_render_text(f, dg, color, 78);
  fclose(f);
  return buf;
}

static void test_blocks_and_attributes(void) {
  DiagList d = {0};
  HclFile *f = parse("main.tf",
                     "resource \"aws_x\" \"y\" {\n  name = \"a\"\n  nested {\n    n = 1\n  }\n}\nlocals { a = 1 }\n", &d);
  CHECK_INT(d.n, 0);
  CHECK_INT(f->body->nitems, 2);
  Block *b = f->body->items[0].block;
  CHECK(b != NULL);
  CHECK(hcl_str_eq(b->type, "resource"));
  CHECK_INT(b->nlabels, 2);
  CHECK(hcl_str_eq(b->labels[0], "aws_x"));
  CHECK(hcl_str_eq(b->labels[1], "y"));
  CHECK_INT(b->body->nitems, 2);
  Attribute *a = b->body->items[0].attr;
  CHECK(hcl_str_eq(a->name, "name"));
  CHECK_INT(a->name_range.start, 25);
  CHECK_INT(a->expr->kind, EXPR_TEMPLATE);
  CHECK_INT(a->expr->range.start, 32);
  CHECK_INT(a->expr->range.end, 35);
  Block *one = f->body->items[1].block;
  CHECK_INT(one->body->nitems, 1);
  hcl_file_free(f);
  diag_free(&d);
  src_reset();
}

static void test_expression_shapes(void) {
  DiagList d = {0};
  HclFile *f = parse("e.tf", "a = x.y[0].z\nb = l[*].id\nc = 1 + 2 * 3\nd = c ? 1 : 2\ne = f(1, [2]...)\n"
                     "g = [for k, v in m : v if k != \"\"]\nh = {for k, v in m : k => v...}\n", &d);
  CHECK_INT(d.n, 0);
  Expr *a = f->body->items[0].attr->expr;
  CHECK_INT(a->kind, EXPR_GETATTR);
  CHECK_INT(a->u.getattr.obj->kind, EXPR_INDEX);
  Expr *b = f->body->items[1].attr->expr;
  CHECK_INT(b->kind, EXPR_SPLAT);
  CHECK_INT(b->u.splat.each->kind, EXPR_GETATTR);
  CHECK_INT(b->u.splat.each->u.getattr.obj->kind, EXPR_ANON);
  Expr *c = f->body->items[2].attr->expr;
  CHECK_INT(c->kind, EXPR_BINARY);
  CHECK_INT(c->u.binary.op, OP_ADD);
  CHECK_INT(c->u.binary.r->u.binary.op, OP_MUL);
  Expr *e = f->body->items[4].attr->expr;
  CHECK_INT(e->kind, EXPR_CALL);
  CHECK_INT(e->u.call.nargs, 2);
  CHECK(e->u.call.expand_final);
  Expr *g = f->body->items[5].attr->expr;
  CHECK_INT(g->kind, EXPR_FOR);
  CHECK(!g->u.forx.object);
  CHECK(g->u.forx.cond != NULL);
  CHECK(hcl_str_eq(g->u.forx.key_var, "k"));
  Expr *h = f->body->items[6].attr->expr;
  CHECK(h->u.forx.object && h->u.forx.group);
  hcl_file_free(f);
  diag_free(&d);
  src_reset();
}

static void test_templates(void) {
  DiagList d = {0};
  HclFile *f = parse("t.tf", "a = \"x ${~ y ~} z\\n\"\nb = <<-EOT\n    one\n      two\n    EOT\n"
                     "c = \"%{if p}yes%{else}no%{endif}\"\n", &d);
  CHECK_INT(d.n, 0);
  Expr *a = f->body->items[0].attr->expr;
  CHECK_INT(a->u.tpl.parts.n, 3);
  CHECK_INT(a->u.tpl.parts.v[0].u.lit.len, 1);   /* "x" with the space stripped */
  CHECK_INT(a->u.tpl.parts.v[2].u.lit.len, 2);   /* "z\n" */
  Expr *b = f->body->items[1].attr->expr;
  CHECK(b->u.tpl.literal);
  CHECK(b->u.tpl.lit.len == 10 && memcmp(b->u.tpl.lit.s, "one\n  two\n", 10) == 0);
  Expr *c = f->body->items[2].attr->expr;
  CHECK_INT(c->u.tpl.parts.n, 1);
  CHECK_INT(c->u.tpl.parts.v[0].kind, TPL_IF);
  CHECK(c->u.tpl.parts.v[0].u.ifd->has_else);
  hcl_file_free(f);
  diag_free(&d);
  src_reset();
}

/* Recovery: every bad line is reported, and the good lines around them
** still parse. */
static void test_recovery_reports_every_error(void) {
  DiagList d = {0};
  HclFile *f = parse("r.tf", "a = 1 2\nb = 2\nc = = 3\nd = 4\n", &d);
  CHECK_INT(d.nerrors, 2);
  CHECK_STR(d.v[0].summary, "Missing newline after argument");
  CHECK_STR(d.v[1].summary, "Invalid expression");
  CHECK_INT(src_pos(d.v[1].subject.file, d.v[1].subject.start).line, 3);
  size_t good = 0;
  for (size_t i = 0; i < f->body->nitems; i++) good += f->body->items[i].attr != NULL;
  CHECK(good >= 2);
  hcl_file_free(f);
  diag_free(&d);
  src_reset();
}

/* The flagship rendering, byte for byte as Terraform prints it. */
static void test_render_plain(void) {
  DiagList d = {0};
  HclFile *f = parse("main.tf", "resource \"aws_x\" \"y\" {\n  name = 1 2\n}\n", &d);
  CHECK_INT(d.n, 1);
  char *s = render(&d.v[0], false);
  CHECK_STR(s, "\nError: Missing newline after argument\n\n"
               "  on main.tf line 2, in resource \"aws_x\" \"y\":\n"
               "   2:   name = 1 2\n\n"
               "An argument definition must end with a newline.\n");
  free(s);
  s = render(&d.v[0], true);
  CHECK(strstr(s, "\x1b[31m╷\x1b[0m\n") == s);
  CHECK(strstr(s, "Error: ") != NULL);
  CHECK(strstr(s, "\x1b[4m2\x1b[0m") != NULL); /* the subject is underlined */
  CHECK(strstr(s, "\x1b[31m╵\x1b[0m\n") != NULL);
  free(s);
  hcl_file_free(f);
  diag_free(&d);
  src_reset();
}

/* The "in ..." context of a top-level block: kept as a slice of the source
** when the header is written the usual way, built otherwise (bare labels,
** escapes, odd spacing), and the same text either way. */
static void test_block_contexts(void) {
  DiagList d = {0};
  const char *src = "resource \"aws_x\" \"y\" {\n  a = 1 2\n}\n"
                    "resource aws_x   y {\n  a = 1 2\n}\n"
                    "module \"a\\\"b\" {\n  a = 1 2\n}\n"
                    "locals {\n  a = 1 2\n}\n"
                    "data \"t\"  \"n\" {\n  a = 1 2\n}\n";
  HclFile *f = parse("main.tf", src, &d);
  CHECK_INT(d.n, 5);
  static const char *const want[] = {"resource \"aws_x\" \"y\"", "resource \"aws_x\" \"y\"", "module \"a\\\"b\"",
                                     "locals", "data \"t\" \"n\""};
  for (size_t i = 0; i < 5 && i < d.n; i++) {
    const char *c = src_context_at(d.v[i].subject.file, d.v[i].subject.start);
    CHECK(c != NULL);
    if (c) CHECK_STR(c, want[i]);
  }
  CHECK(src_context_at(d.v[0].subject.file, (uint32_t)strlen(src)) == NULL);
  hcl_file_free(f);
  diag_free(&d);
  src_reset();
}

static void test_render_json(void) {
  DiagList d = {0};
  HclFile *f = parse("main.tf", "a = \"é\" 2\n", &d);
  CHECK_INT(d.n, 1);
  cJSON *j = diag_to_json(&d.v[0]);
  char *s = cJSON_PrintUnformatted(j);
  CHECK_STR(s, "{\"severity\":\"error\",\"summary\":\"Missing newline after argument\","
               "\"detail\":\"An argument definition must end with a newline.\","
               "\"range\":{\"filename\":\"main.tf\",\"start\":{\"line\":1,\"column\":9,\"byte\":9},"
               "\"end\":{\"line\":1,\"column\":10,\"byte\":10}},"
               "\"snippet\":{\"context\":null,\"code\":\"a = \\\"é\\\" 2\",\"start_line\":1,"
               "\"highlight_start_offset\":9,\"highlight_end_offset\":10,\"values\":[]}}");
  free(s);
  cJSON_Delete(j);
  hcl_file_free(f);
  diag_free(&d);
  src_reset();
}

static void test_wrapping(void) {
  DiagList d = {0};
  diag_add(&d, DIAG_WARNING, NULL, "Something", "%s",
           "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen\n"
           "  indented lines are not wrapped even when they are much longer than the width of the terminal");
  char *s = render(&d.v[0], false);
  CHECK_STR(s, "\nWarning: Something\n\n"
               "one two three four five six seven eight nine ten eleven twelve thirteen\n"
               "fourteen fifteen sixteen\n"
               "  indented lines are not wrapped even when they are much longer than the width of the terminal\n");
  free(s);
  diag_free(&d);
}

static void test_parse_expr(void) {
  Arena a;
  arena_init(&a);
  DiagList d = {0};
  const char *text = "upper(\"a\") == \"A\"";
  uint32_t id = src_add("<console>", xstrdup(text), strlen(text));
  Expr *e = hcl_parse_expr(id, &a, &d);
  CHECK_INT(d.n, 0);
  CHECK(e && e->kind == EXPR_BINARY && e->u.binary.op == OP_EQ);
  arena_free(&a);
  diag_free(&d);
  src_reset();
}

static void test_columns_count_graphemes(void) {
  uint32_t id = src_add("u.tf", xstrdup("x = \"e\xcc\x81\xf0\x9f\x9a\x80\" y\n"), 16);
  /* x = "é🚀" y: e + combining accent is one column, the emoji one more */
  SrcPos p = src_pos(id, 14);
  CHECK_INT(p.line, 1);
  CHECK_INT(p.column, 10);
  src_reset();
}

static void test_nesting_limit(void) {
  Buf b = BUF_INIT;
  buf_puts(&b, "a = ");
  for (int i = 0; i < 5000; i++) buf_putc(&b, '[');
  DiagList d = {0};
  HclFile *f = parse("deep.tf", b.s, &d);
  CHECK(d.nerrors >= 1);
  CHECK_STR(d.v[0].summary, "Nesting too deep");
  hcl_file_free(f);
  diag_free(&d);
  buf_free(&b);
  src_reset();
}

int main(void) {
  RUN(test_blocks_and_attributes);
  RUN(test_expression_shapes);
  RUN(test_templates);
  RUN(test_recovery_reports_every_error);
  RUN(test_render_plain);
  RUN(test_block_contexts);
  RUN(test_render_json);
  RUN(test_wrapping);
  RUN(test_parse_expr);
  RUN(test_columns_count_graphemes);
  RUN(test_nesting_limit);
  return T_END();
}
