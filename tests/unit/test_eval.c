/*
** tests/unit/test_eval.c — the evaluator's interfaces: references without
** evaluation, the resolver protocol, diagnostic ranges, type constraints
** with defaults, template rendering.
*/
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "eval/eval.h"
#include "parser/ast.h"
#include "t.h"

static Arena arena;

static Expr *parse(const char *s) {
  size_t n = strlen(s);
  uint32_t f = src_add("test.tf", xstrndup(s, n), n);
  DiagList d = {0};
  Expr *e = hcl_parse_expr(f, &arena, &d);
  if (diag_has_errors(&d)) e = NULL;
  diag_free(&d);
  return e;
}

/* The references of src, each as "text@start-end", joined with spaces. */
static char *refs(const char *src) {
  Expr *e = parse(src);
  if (!e) return xstrdup("(parse error)");
  EvRefList l = {0};
  ev_references(e, &l);
  char *out = xstrdup("");
  for (size_t i = 0; i < l.n; i++) {
    char *t = ev_traversal_string(&l.v[i]);
    char *n = xasprintf("%s%s%s@%u-%u", out, i ? " " : "", t, l.v[i].range.start, l.v[i].range.end);
    free(out);
    free(t);
    out = n;
  }
  ev_reflist_free(&l);
  return out;
}

#define CHECK_REFS(src, want)   \
  do {                          \
    char *r_ = refs(src);       \
    CHECK_STR(r_, want);        \
    free(r_);                   \
  } while (0)

static void test_references(void) {
  CHECK_REFS("var.a", "var.a@0-5");
  CHECK_REFS("aws_x.y[*].z", "aws_x.y@0-7");
  CHECK_REFS("aws_x.y[0].id", "aws_x.y[0].id@0-13");
  CHECK_REFS("aws_x.y[\"k\"].id", "aws_x.y[\"k\"].id@0-15");
  CHECK_REFS("module.m.out", "module.m.out@0-12");
  CHECK_REFS("\"${each.key}-${count.index}\"", "each.key@3-11 count.index@15-26");
  CHECK_REFS("aws_x.y[var.i].id", "var.i@8-13 aws_x.y@0-7");
  CHECK_REFS("[for x in var.l : x.a + local.b if x != path.module]", "var.l@10-15 local.b@24-31 path.module@40-51");
  CHECK_REFS("{for k, v in var.m : k => v...}", "var.m@13-18");
  CHECK_REFS("upper(terraform.workspace)", "terraform.workspace@6-25");
  CHECK_REFS("var.c ? self.x : data.a.b.c", "var.c@0-5 self.x@8-14 data.a.b.c@17-27");
  CHECK_REFS("\"%{for s in var.l}${s}${local.z}%{endfor}\"", "var.l@12-17 local.z@24-31");
  CHECK_REFS("{a = local.q, (var.k) = 1}", "local.q@5-12 var.k@15-20");
  CHECK_REFS("var.list.*.id", "var.list@0-8");
  CHECK_REFS("1 + 2", "");
}

/* A resolver that knows var.* (consuming one step) and counts calls. */
static int calls;

static Value *resolve(void *ud, const EvTraversal *t, size_t *consumed, DiagList *diags) {
  (void)ud;
  calls++;
  if (hcl_str_eq(t->root, "var") && t->nsteps && t->steps[0].kind == EV_STEP_ATTR) {
    *consumed = 1;
    if (hcl_str_eq(t->steps[0].name, "name")) return val_cstring("web");
    if (hcl_str_eq(t->steps[0].name, "ports")) {
      Value *p[] = {val_number_i64(80), val_number_i64(443)};
      Value *l = val_list(T_NUMBER, p, 2);
      val_free(p[0]), val_free(p[1]);
      return l;
    }
    if (hcl_str_eq(t->steps[0].name, "secret")) {
      Value *s = val_cstring("hunter2");
      Value *m = val_mark_sensitive(s);
      val_free(s);
      return m;
    }
  }
  diag_error(diags, t->range, "Reference to undeclared input variable", "Not declared.");
  return NULL;
}

static char *eval_str(const char *src, DiagList *d) {
  Expr *e = parse(src);
  if (!e) return xstrdup("(parse error)");
  EvScope sc = {resolve, NULL, NULL, NULL};
  Value *v = ev_eval(e, &sc, d);
  if (!v) return xstrdup("(error)");
  char *s = val_format(v);
  val_free(v);
  return s;
}

static void test_resolver(void) {
  DiagList d = {0};
  calls = 0;
  char *s = eval_str("\"${var.name}:${var.ports[1]}\"", &d);
  CHECK_STR(s, "\"web:443\"");
  CHECK_INT(calls, 2);
  free(s);
  s = eval_str("[for p in var.ports : p + 1]", &d);
  CHECK_STR(s, "[\n  81,\n  444,\n]");
  free(s);
  s = eval_str("var.secret == \"x\"", &d);
  CHECK_STR(s, "(sensitive value)");
  free(s);
  CHECK_INT(d.n, 0);
  s = eval_str("var.nope", &d);
  CHECK_STR(s, "(error)");
  free(s);
  CHECK_INT(d.n, 1);
  if (d.n) {
    CHECK_STR(d.v[0].summary, "Reference to undeclared input variable");
    CHECK_INT(d.v[0].subject.start, 0);
    CHECK_INT(d.v[0].subject.end, 8);
  }
  diag_free(&d);
}

static void test_error_ranges(void) {
  DiagList d = {0};
  char *s = eval_str("1 + \"x\"", &d);
  free(s);
  CHECK_INT(d.n, 1);
  if (d.n) {
    CHECK_STR(d.v[0].summary, "Invalid operand");
    CHECK_STR(d.v[0].detail, "Unsuitable value for right operand: a number is required.");
    CHECK_INT(d.v[0].subject.start, 4);
    CHECK_INT(d.v[0].subject.end, 7);
  }
  diag_free(&d);
  /* both operands' errors are reported */
  s = eval_str("var.a + var.b", &d);
  free(s);
  CHECK_INT(d.n, 2);
  diag_free(&d);
  s = eval_str("{a = 1}.b", &d);
  free(s);
  if (d.n) {
    CHECK_STR(d.v[0].summary, "Unsupported attribute");
    CHECK_INT(d.v[0].subject.start, 7);
    CHECK_INT(d.v[0].subject.end, 9);
  }
  diag_free(&d);
  s = eval_str("[1, 2][5]", &d);
  free(s);
  if (d.n) {
    CHECK_STR(d.v[0].detail, "The given key does not identify an element in this collection value: the given index "
                             "is greater than or equal to the length of the collection.");
    CHECK_INT(d.v[0].subject.start, 6);
    CHECK_INT(d.v[0].subject.end, 9);
  }
  diag_free(&d);
  s = eval_str("{for x in [1, 1] : x => x}", &d);
  free(s);
  CHECK_INT(d.n, 1);
  if (d.n) CHECK_STR(d.v[0].summary, "Duplicate object key");
  diag_free(&d);
  s = eval_str("true ? {a = 1} : [1]", &d);
  free(s);
  if (d.n) {
    CHECK_STR(d.v[0].summary, "Inconsistent conditional result types");
    CHECK_STR(d.v[0].detail, "The true and false result expressions must have consistent types. The 'true' value "
                             "is object, but the 'false' value is tuple.");
  }
  diag_free(&d);
  s = eval_str("upper(\"a\")", &d);
  free(s);
  if (d.n) CHECK_STR(d.v[0].summary, "Function calls not allowed");
  diag_free(&d);
}

static void test_type_constraints(void) {
  DiagList d = {0};
  Expr *e = parse("object({name = string, port = optional(number, 8080), tags = optional(map(string))})");
  TypeDefaults *defs = NULL;
  const Type *t = type_from_expr(e, &defs, &d);
  CHECK(t != NULL && defs != NULL);
  char *ts = type_expr_string(t);
  CHECK_STR(ts, "object({name=string, port=optional(number), tags=optional(map(string))})");
  free(ts);
  Expr *ve = parse("{name = \"a\", extra = true}");
  EvScope sc = {NULL, NULL, NULL, NULL};
  Value *v = ev_eval(ve, &sc, &d);
  Value *wd = val_apply_defaults(v, defs);
  Value *c = val_convert(wd, t, NULL);
  char *s = val_format(c);
  CHECK_STR(s, "{\n  \"name\" = \"a\"\n  \"port\" = 8080\n  \"tags\" = tomap(null) /* of string */\n}");
  free(s);
  val_free(c), val_free(wd), val_free(v);
  type_defaults_free(defs);
  /* defaults inside collections apply to every element */
  e = parse("list(object({a = optional(string, \"x\")}))");
  t = type_from_expr(e, &defs, &d);
  ve = parse("[{}, {a = \"y\"}]");
  v = ev_eval(ve, &sc, &d);
  wd = val_apply_defaults(v, defs);
  c = val_convert(wd, t, NULL);
  s = val_format(c);
  CHECK_STR(s, "tolist([\n  {\n    \"a\" = \"x\"\n  },\n  {\n    \"a\" = \"y\"\n  },\n])");
  free(s);
  val_free(c), val_free(wd), val_free(v);
  type_defaults_free(defs);
  CHECK_INT(d.n, 0);
  e = parse("optional(string, 1)");
  CHECK(type_from_expr(e, NULL, &d) == NULL);
  CHECK_INT(d.n, 1);
  diag_free(&d);
  e = parse("object({a = optional(number, \"x\")})");
  CHECK(type_from_expr(e, NULL, &d) == NULL);
  if (d.n) CHECK_STR(d.v[0].summary, "Invalid default value for optional attribute");
  diag_free(&d);
}

static void test_render_template(void) {
  DiagList d = {0};
  const char *names[] = {"name", "items"};
  Value *a = val_cstring("a"), *b = val_cstring("b");
  Value *items = val_tuple((Value *[]){a, b}, 2);
  Value *nm = val_cstring("world");
  Value *vars = val_object(names, (Value *[]){nm, items}, 2);
  const char *src = "Hello ${name}!\n%{ for i in items ~}\n- ${i}\n%{ endfor ~}\n";
  EvScope sc = {NULL, NULL, NULL, NULL};
  SrcRange r = {0, 0, 0};
  Value *v = ev_render_template(&sc, "hello.tftpl", src, strlen(src), vars, r, &d);
  CHECK(v != NULL);
  if (v) CHECK_STR(val_str(v), "Hello world!\n- a\n- b\n");
  val_free(v);
  const char *nonl = "x=${name}";
  v = ev_render_template(&sc, "t2.tftpl", nonl, strlen(nonl), vars, r, &d);
  if (v) CHECK_STR(val_str(v), "x=world");
  val_free(v);
  const char *bad = "${nope}";
  v = ev_render_template(&sc, "t3.tftpl", bad, strlen(bad), vars, r, &d);
  CHECK(v == NULL);
  if (d.n) {
    CHECK_STR(d.v[0].summary, "Unknown variable");
    /* the range is in the template's own text: ${nope} at bytes 2-6, line 1 */
    CHECK_INT(d.v[0].subject.start, 2);
    CHECK_INT(d.v[0].subject.end, 6);
    CHECK_INT(src_pos(d.v[0].subject.file, d.v[0].subject.start).line, 1);
  }
  diag_free(&d);
  val_free(a), val_free(b), val_free(items), val_free(nm), val_free(vars);
}

/* Values and types are shared between the threads of a parallel graph walk:
** several threads evaluate over the same values at once. */
static Value *shared;
static const Expr *shared_expr;

static Value *resolve_shared(void *ud, const EvTraversal *t, size_t *consumed, DiagList *diags) {
  (void)ud;
  (void)diags;
  (void)t;
  *consumed = 0;
  return val_ref(shared);
}

static void *worker(void *arg) {
  long ok = 0;
  EvScope sc = {resolve_shared, NULL, NULL, NULL};
  for (int i = 0; i < 2000; i++) {
    DiagList d = {0};
    Value *v = ev_eval(shared_expr, &sc, &d);
    if (v && val_len(v) == 50) ok++;
    val_free(v);
    diag_free(&d);
  }
  *(long *)arg = ok;
  return NULL;
}

static void test_threads(void) {
  Value *el[50];
  for (int i = 0; i < 50; i++) el[i] = val_number_i64(i);
  shared = val_tuple(el, 50);
  for (int i = 0; i < 50; i++) val_free(el[i]);
  shared_expr = parse("{for i, x in s : \"k${i}\" => [x, {n = x * 2, s = \"${x}\"}]}");
  CHECK(shared_expr != NULL);
  pthread_t th[4];
  long ok[4] = {0};
  for (int i = 0; i < 4; i++) pthread_create(&th[i], NULL, worker, &ok[i]);
  for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
  for (int i = 0; i < 4; i++) CHECK_INT(ok[i], 2000);
  val_free(shared);
}

int main(void) {
  arena_init(&arena);
  RUN(test_threads);
  RUN(test_references);
  RUN(test_resolver);
  RUN(test_error_ranges);
  RUN(test_type_constraints);
  RUN(test_render_template);
  arena_free(&arena);
  src_reset();
  return T_END();
}
