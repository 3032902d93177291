/*
** tests/tools/evaltest.c — the runner of the expression golden tests
** (the .txt files of tests/eval).
**
** A case is two lines:
**
**     EXPRESSION                  or    as TYPE: EXPRESSION
**     => EXPECTED
**
** EXPECTED is the value as `terraform console` prints it, on one line with
** "\n" for each newline (and "\\" for a backslash); or "error: SUMMARY" for
** a failing expression (the summary of the first error); or "error" for any
** failure. "as TYPE:" converts the value to the type constraint TYPE before
** printing (conversion failures print "error: " and the conversion message).
** Lines starting with '#' and blank lines are ignored.
**
** Roots available to expressions:
**   var.*  the object in tests/eval/vars.json (types implied from JSON)
**   u.*    unknown values: u.str u.num u.bool u.dyn u.list (list of string)
**          u.map (map of number) u.set (set of string) u.obj (object({a=string}))
**          u.tuple (tuple([string, number]))
**   s.*    sensitive values: s.str="secret" s.num=42 s.bool=true
**          s.list=tolist(["a","b"]) s.map=tomap({a=1}) s.obj={a="x"}
**   n.*    typed nulls: n.str n.num n.bool n.list n.map n.set n.obj
**   p.*    partly unknown: p.list = tolist(["a", unknown]) p.obj = {a="x", b=unknown number}
**
** Function calls other than try/can print "skip - NAME" when the built-in
** functions are not linked in (the stdlib lands separately).
**
** Usage: evaltest [-print] [-vars FILE] FILE...
**   -print  print each case's actual result line instead of checking it
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/util.h"
#include "eval/eval.h"
#include "parser/ast.h"
#include "stdlib/stdlib.h"

/* The built-in functions. STDLIB-MERGE: becomes &ev_stdlib_funcs once the
** stdlib is merged; until then cases that call functions are skipped. */
static const EvFuncs *funcs = &ev_stdlib_funcs;

static Value *root_var, *root_u, *root_s, *root_n, *root_p;

static Value *obj2(const char *const *names, Value **vals, size_t n) {
  Value *o = val_object(names, vals, n);
  for (size_t i = 0; i < n; i++) val_free(vals[i]);
  return o;
}

static void build_roots(const char *vars_path) {
  size_t len = 0;
  char *txt = vars_path ? read_file(vars_path, &len) : NULL;
  if (txt) {
    cJSON *j = cJSON_ParseWithLength(txt, len);
    char *e = NULL;
    root_var = j ? val_from_json(j, T_DYNAMIC, &e) : NULL;
    free(e);
    cJSON_Delete(j);
    free(txt);
  }
  if (!root_var) root_var = val_empty_object();

  const Type *ls = type_list(T_STRING);
  const char *an[] = {"a"};
  const Type *at[] = {T_STRING};
  const Type *oa = type_object(an, at, 1);
  const Type *tt[] = {T_STRING, T_NUMBER};
  {
    const char *names[] = {"str", "num", "bool", "dyn", "list", "map", "set", "obj", "tuple"};
    Value *v[] = {val_unknown(T_STRING), val_unknown(T_NUMBER), val_unknown(T_BOOL), val_unknown(T_DYNAMIC),
                  val_unknown(ls), val_unknown(type_map(T_NUMBER)), val_unknown(type_set(T_STRING)),
                  val_unknown(oa), val_unknown(type_tuple(tt, 2))};
    root_u = obj2(names, v, 9);
  }
  {
    Value *a = val_cstring("a"), *b = val_cstring("b"), *one = val_number_i64(1), *x = val_cstring("x");
    Value *l = val_list(T_STRING, (Value *[]){a, b}, 2);
    const char *mk[] = {"a"};
    Value *m = val_map(T_NUMBER, mk, &one, 1);
    Value *o = val_object(an, &x, 1);
    Value *sec = val_cstring("secret"), *num = val_number_i64(42);
    const char *names[] = {"str", "num", "bool", "list", "map", "obj"};
    Value *raw[] = {sec, num, val_bool(true), l, m, o};
    Value *v[6];
    for (int i = 0; i < 6; i++) v[i] = val_mark_sensitive(raw[i]);
    root_s = obj2(names, v, 6);
    for (int i = 0; i < 6; i++) val_free(raw[i]);
    val_free(a), val_free(b), val_free(one), val_free(x);
  }
  {
    const char *names[] = {"str", "num", "bool", "list", "map", "set", "obj"};
    Value *v[] = {val_null(T_STRING), val_null(T_NUMBER), val_null(T_BOOL), val_null(ls),
                  val_null(type_map(T_STRING)), val_null(type_set(T_STRING)), val_null(oa)};
    root_n = obj2(names, v, 7);
  }
  {
    Value *a = val_cstring("a"), *us = val_unknown(T_STRING), *x = val_cstring("x"), *un = val_unknown(T_NUMBER);
    Value *l = val_list(T_STRING, (Value *[]){a, us}, 2);
    const char *on[] = {"a", "b"};
    Value *o = val_object(on, (Value *[]){x, un}, 2);
    const char *names[] = {"list", "obj"};
    Value *v[] = {l, o};
    root_p = obj2(names, v, 2);
    val_free(a), val_free(us), val_free(x), val_free(un);
  }
}

static Value *resolve(void *ud, const EvTraversal *t, size_t *consumed, DiagList *diags) {
  (void)ud;
  *consumed = 0;
  Value *r = NULL;
  if (hcl_str_eq(t->root, "var")) r = root_var;
  else if (hcl_str_eq(t->root, "u")) r = root_u;
  else if (hcl_str_eq(t->root, "s")) r = root_s;
  else if (hcl_str_eq(t->root, "n")) r = root_n;
  else if (hcl_str_eq(t->root, "p")) r = root_p;
  if (!r) {
    diag_error(diags, t->root_range, "Unknown variable", "There is no variable named \"%.*s\".", (int)t->root.len,
               t->root.s);
    return NULL;
  }
  return val_ref(r);
}

static bool has_call(const Expr *e);

static bool parts_have_call(const TplList *l) {
  for (size_t i = 0; i < l->n; i++) {
    const TplPart *p = &l->v[i];
    if (p->kind == TPL_INTERP && has_call(p->u.interp)) return true;
    if (p->kind == TPL_IF && (has_call(p->u.ifd->cond) || parts_have_call(&p->u.ifd->then_parts) ||
                              parts_have_call(&p->u.ifd->else_parts)))
      return true;
    if (p->kind == TPL_FOR && (has_call(p->u.ford->coll) || parts_have_call(&p->u.ford->body))) return true;
  }
  return false;
}

/* A call to a function other than try/can anywhere in e. */
static bool has_call(const Expr *e) {
  if (!e) return false;
  switch (e->kind) {
    case EXPR_CALL: {
      HclStr n = e->u.call.name;
      if (!hcl_str_eq(n, "try") && !hcl_str_eq(n, "can")) return true;
      for (size_t i = 0; i < e->u.call.nargs; i++)
        if (has_call(e->u.call.args[i])) return true;
      return false;
    }
    case EXPR_TEMPLATE: return !e->u.tpl.literal && parts_have_call(&e->u.tpl.parts);
    case EXPR_TUPLE:
      for (size_t i = 0; i < e->u.list.n; i++)
        if (has_call(e->u.list.v[i])) return true;
      return false;
    case EXPR_OBJECT:
      for (size_t i = 0; i < e->u.object.n; i++)
        if (has_call(e->u.object.v[i].key) || has_call(e->u.object.v[i].value)) return true;
      return false;
    case EXPR_GETATTR: return has_call(e->u.getattr.obj);
    case EXPR_INDEX: return has_call(e->u.index.obj) || has_call(e->u.index.key);
    case EXPR_SPLAT: return has_call(e->u.splat.src) || has_call(e->u.splat.each);
    case EXPR_FOR:
      return has_call(e->u.forx.coll) || has_call(e->u.forx.key) || has_call(e->u.forx.value) ||
             has_call(e->u.forx.cond);
    case EXPR_BINARY: return has_call(e->u.binary.l) || has_call(e->u.binary.r);
    case EXPR_UNARY: return has_call(e->u.unary.e);
    case EXPR_COND: return has_call(e->u.cond.cond) || has_call(e->u.cond.t) || has_call(e->u.cond.f);
    case EXPR_PAREN: return has_call(e->u.paren);
    default: return false;
  }
}

static char *escape_lines(const char *s) {
  Buf b = BUF_INIT;
  for (; *s; s++) {
    if (*s == '\n') buf_puts(&b, "\\n");
    else if (*s == '\\') buf_puts(&b, "\\\\");
    else buf_putc(&b, *s);
  }
  return buf_take(&b);
}

static Expr *parse_text(const char *what, const char *s, Arena *arena, DiagList *d) {
  size_t n = strlen(s);
  uint32_t f = src_add(what, xstrndup(s, n), n);
  return hcl_parse_expr(f, arena, d);
}

/* The actual result line for a case; *skip when it needs functions. */
static char *run_case(const char *line, bool *skip) {
  *skip = false;
  Arena arena;
  arena_init(&arena);
  DiagList d = {0};
  const Type *as = NULL;
  TypeDefaults *defs = NULL;
  const char *expr = line;
  char *out = NULL;
  if (!strncmp(line, "as ", 3)) {
    const char *colon = strstr(line, ": ");
    if (!colon) return xstrdup("bad case: 'as TYPE: EXPR' expected");
    char *ts = xstrndup(line + 3, (size_t)(colon - line - 3));
    Expr *te = parse_text("<type>", ts, &arena, &d);
    free(ts);
    if (te && !diag_has_errors(&d)) as = type_from_expr(te, &defs, &d);
    if (!as) {
      out = xasprintf("error: %s", d.n ? d.v[0].summary : "bad type");
      goto done;
    }
    expr = colon + 2;
  }
  Expr *e = parse_text("<case>", expr, &arena, &d);
  if (!e || diag_has_errors(&d)) {
    out = xasprintf("error: %s", d.n ? d.v[0].summary : "parse failed");
    goto done;
  }
  if (!funcs && has_call(e)) {
    *skip = true;
    out = xstrdup("skip");
    goto done;
  }
  FnCtx fctx = {".", false, ev_render_template, NULL};
  EvScope scope = {resolve, NULL, funcs, &fctx};
  fctx.ev = &scope;
  Value *v = ev_eval(e, &scope, &d);
  if (!v) {
    out = xasprintf("error: %s", d.n ? d.v[0].summary : "?");
    goto done;
  }
  if (as) {
    if (defs) {
      Value *dv = val_apply_defaults(v, defs);
      val_free(v);
      v = dv;
    }
    ValConvErr ce;
    Value *c = val_convert(v, as, &ce);
    val_free(v);
    if (!c) {
      char *m = val_conv_err_text(&ce);
      out = xasprintf("error: %s", m);
      free(m);
      val_conv_err_free(&ce);
      goto done;
    }
    v = c;
  }
  char *f = val_format(v);
  out = escape_lines(f);
  free(f);
  val_free(v);
done:
  type_defaults_free(defs);
  diag_free(&d);
  arena_free(&arena);
  return out;
}

int main(int argc, char **argv) {
  bool print = false;
  const char *vars = NULL;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (!strcmp(argv[i], "-print")) print = true;
    else if (!strcmp(argv[i], "-vars") && i + 1 < argc) vars = argv[++i];
  }
  build_roots(vars);
  int failed = 0;
  for (; i < argc; i++) {
    FILE *f = fopen(argv[i], "r");
    if (!f) {
      printf("FAIL - %s: cannot open\n", argv[i]);
      failed++;
      continue;
    }
    const char *base = strrchr(argv[i], '/');
    base = base ? base + 1 : argv[i];
    char *line = NULL, *expr = NULL;
    size_t cap = 0;
    int lineno = 0, exprline = 0;
    while (getline(&line, &cap, f) >= 0) {
      lineno++;
      size_t n = strlen(line);
      while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
      if (!n || line[0] == '#') continue;
      if (!expr) {
        if (!strncmp(line, "=>", 2)) {
          printf("FAIL - %s:%d: expected line without an expression\n", base, lineno);
          failed++;
          continue;
        }
        expr = xstrdup(line);
        exprline = lineno;
        if (print) {
          bool skip;
          char *got = run_case(expr, &skip);
          printf("%s\n=> %s\n", expr, got);
          free(got);
          free(expr);
          expr = NULL;
        }
        continue;
      }
      if (strncmp(line, "=> ", 3) != 0 && strcmp(line, "=>") != 0) {
        printf("FAIL - %s:%d: '=> EXPECTED' line missing\n", base, exprline);
        failed++;
        free(expr);
        expr = xstrdup(line);
        exprline = lineno;
        continue;
      }
      const char *want = line[2] ? line + 3 : "";
      bool skip;
      char *got = run_case(expr, &skip);
      if (skip) {
        printf("skip - %s:%d %s\n", base, exprline, expr);
      } else if (!strcmp(got, want) || (!strcmp(want, "error") && !strncmp(got, "error", 5))) {
        printf("ok - %s:%d %s\n", base, exprline, expr);
      } else {
        printf("FAIL - %s:%d: %s\n    want: %s\n    got:  %s\n", base, exprline, expr, want, got);
        failed++;
      }
      free(got);
      free(expr);
      expr = NULL;
    }
    if (expr) {
      if (!print) {
        printf("FAIL - %s:%d: case without expected line\n", base, exprline);
        failed++;
      }
      free(expr);
    }
    free(line);
    fclose(f);
  }
  val_free(root_var), val_free(root_u), val_free(root_s), val_free(root_n), val_free(root_p);
  src_reset();
  return failed ? 1 : 0;
}
