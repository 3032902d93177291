/*
** tests/unit/test_value.c — the value model: numbers, strings, collections,
** sets, marks, equality, conversion, JSON, type names and console printing.
*/
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "eval/value.h"
#include "t.h"

static char *fmt_free(Value *v) {
  char *s = val_format(v);
  val_free(v);
  return s;
}

#define CHECK_FMT(v, want)    \
  do {                        \
    char *s_ = fmt_free(v);   \
    CHECK_STR(s_, want);      \
    free(s_);                 \
  } while (0)

static Value *num(const char *s) { return val_number_parse(s, strlen(s)); }

static void test_number_text(void) {
  const char *cases[][2] = {
      {"1000000", "1000000"}, {"1e6", "1000000"}, {"1.5", "1.5"}, {"1.50", "1.5"}, {"0.1", "0.1"},
      {"1e-7", "0.0000001"}, {"123456789012345678901234567890", "123456789012345678901234567890"},
      {"-0.25", "-0.25"}, {"1e21", "1000000000000000000000"}, {"007", "7"}, {"2.5e3", "2500"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    Value *v = num(cases[i][0]);
    CHECK(v != NULL);
    if (!v) continue;
    char *t = val_number_text(v);
    CHECK_STR(t, cases[i][1]);
    free(t);
    val_free(v);
  }
  const char *bad[] = {"", "abc", "1e", " 1", "1 ", "0x10", "1_000", "--1", "NaN", "."};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    Value *v = val_number_parse(bad[i], strlen(bad[i]));
    CHECK(v == NULL);
    val_free(v);
  }
}

static void test_number_ops(void) {
  Value *a = num("1"), *b = num("3"), *z = num("0");
  char *err = NULL;
  Value *q = val_num_op(VNUM_DIV, a, b, &err);
  char *t = val_number_text(q);
  CHECK(strncmp(t, "0.33333333333333333333", 22) == 0);
  CHECK(strlen(t) > 150);
  free(t);
  val_free(q);
  Value *inf = val_num_op(VNUM_DIV, a, z, &err);
  CHECK_FMT(inf, "+Inf");
  Value *nan = val_num_op(VNUM_DIV, z, z, &err);
  CHECK(nan == NULL);
  CHECK_STR(err, "can't divide zero by zero or infinity by infinity");
  free(err);
  /* int64 overflow moves to MPFR without losing the exact result */
  Value *m = num("9223372036854775807"), *two = num("2");
  Value *p = val_num_op(VNUM_MUL, m, two, NULL);
  CHECK_FMT(p, "18446744073709551614");
  int64_t i;
  CHECK(val_get_i64(m, &i) && i == INT64_MAX);
  CHECK(val_num_cmp(a, b) < 0 && val_num_cmp(b, a) > 0 && val_num_cmp(a, a) == 0);
  Value *neg = val_num_neg(z);
  CHECK_FMT(neg, "-0");
  val_free(a), val_free(b), val_free(z), val_free(m), val_free(two);
}

static void test_strings(void) {
  Value *s = val_cstring("e\xcc\x81"); /* e + combining acute: NFC makes one code point */
  CHECK_INT(val_str_len(s), 2);
  CHECK_STR(val_str(s), "\xc3\xa9");
  val_free(s);
  Value *q = val_cstring("a\"b\\c\td\x01");
  CHECK_FMT(q, "\"a\\\"b\\\\c\\td\\x01\"");
  Value *ml = val_cstring("one\ntwo");
  CHECK_FMT(ml, "<<EOT\none\ntwo\nEOT");
  Value *eot = val_cstring("EOT\nx");
  CHECK_FMT(eot, "<<EOT_\nEOT\nx\nEOT_");
}

static void test_collections_format(void) {
  Value *a = val_cstring("a"), *one = val_number_i64(1);
  Value *l = val_list(T_STRING, &a, 1);
  CHECK_FMT(l, "tolist([\n  \"a\",\n])");
  Value *empty = val_list(T_STRING, NULL, 0);
  CHECK_FMT(empty, "tolist([])");
  const char *k[] = {"b", "a"};
  Value *vals[] = {one, one};
  Value *m = val_map(T_NUMBER, k, vals, 2);
  CHECK_FMT(m, "tomap({\n  \"a\" = 1\n  \"b\" = 1\n})");
  Value *o = val_object(k, vals, 2);
  CHECK_FMT(o, "{\n  \"a\" = 1\n  \"b\" = 1\n}");
  Value *ml = val_cstring("x\ny");
  Value *t = val_tuple(&ml, 1);
  CHECK_FMT(t, "[\n  <<-EOT\n  x\n  y\n  EOT,\n]");
  val_free(ml);
  CHECK_FMT(val_null(T_DYNAMIC), "null");
  CHECK_FMT(val_null(type_list(T_NUMBER)), "tolist(null) /* of number */");
  CHECK_FMT(val_null(type_empty_object()), "null /* object */");
  CHECK_FMT(val_unknown(T_STRING), "(known after apply)");
  Value *sec = val_mark_sensitive(a);
  CHECK(val_is_sensitive(sec) && !val_is_sensitive(a));
  CHECK_FMT(sec, "(sensitive value)");
  val_free(a), val_free(one);
}

static void test_sets(void) {
  Value *v[] = {val_cstring("b"), val_cstring("a"), val_cstring("b"), val_unknown(T_STRING), val_cstring("c")};
  Value *s = val_set(T_STRING, v, 5);
  CHECK_INT(val_len(s), 4);
  CHECK_FMT(s, "toset([\n  \"a\",\n  \"b\",\n  \"c\",\n  (known after apply),\n])");
  for (int i = 0; i < 5; i++) val_free(v[i]);
  Value *n[] = {val_number_i64(10), val_number_i64(9), val_number_i64(-1)};
  Value *ns = val_set(T_NUMBER, n, 3);
  CHECK_FMT(ns, "toset([\n  -1,\n  9,\n  10,\n])");
  for (int i = 0; i < 3; i++) val_free(n[i]);
  /* marks on elements move to the set */
  Value *x = val_cstring("x"), *sx = val_mark_sensitive(x);
  Value *ms = val_set(T_STRING, &sx, 1);
  CHECK(val_is_sensitive(ms));
  CHECK(!val_is_sensitive(val_elems(ms)[0]));
  val_free(ms), val_free(sx), val_free(x);
}

static void test_equality(void) {
  Value *a = val_number_i64(1), *b = num("1.0"), *s = val_cstring("1");
  Value *e = val_equals(a, b);
  CHECK(val_is_known(e) && val_get_bool(e));
  val_free(e);
  e = val_equals(a, s);
  CHECK(val_is_known(e) && !val_get_bool(e));
  val_free(e);
  Value *u = val_unknown(T_NUMBER);
  e = val_equals(a, u);
  CHECK(!val_is_known(e));
  val_free(e);
  Value *ns = val_null(T_STRING), *nd = val_null(T_DYNAMIC);
  e = val_equals(ns, nd);
  CHECK(val_get_bool(e));
  val_free(e);
  Value *sa = val_mark_sensitive(a);
  e = val_equals(sa, b);
  CHECK(val_is_sensitive(e));
  val_free(e);
  CHECK(val_raw_equal(a, b));
  CHECK(!val_raw_equal(a, sa));
  CHECK(!val_raw_equal(u, a));
  val_free(a), val_free(b), val_free(s), val_free(u), val_free(ns), val_free(nd), val_free(sa);
}

static void test_types(void) {
  const Type *l = type_list(T_STRING);
  CHECK(l == type_list(T_STRING));
  CHECK(l != type_set(T_STRING));
  const char *n1[] = {"b", "a"}, *n2[] = {"a", "b"};
  const Type *t1[] = {T_NUMBER, T_STRING}, *t2[] = {T_STRING, T_NUMBER};
  CHECK(type_object(n1, t1, 2) == type_object(n2, t2, 2));
  char *f = type_friendly_name(type_map(type_list(T_NUMBER)));
  CHECK_STR(f, "map of list of number");
  free(f);
  f = type_friendly_name_constraint(type_list(T_DYNAMIC));
  CHECK_STR(f, "list of any type");
  free(f);
  f = type_expr_string(type_object(n1, t1, 2));
  CHECK_STR(f, "object({a=string, b=number})");
  free(f);
  const Type *u2[] = {T_NUMBER, T_STRING};
  CHECK(type_unify(u2, 2) == T_STRING);
  const Type *u3[] = {T_NUMBER, T_BOOL};
  CHECK(type_unify(u3, 2) == NULL);
  const Type *u4[] = {type_tuple(t1, 1), type_tuple(t1, 2)};
  CHECK(type_unify(u4, 2) == type_list(T_STRING));
  cJSON *j = type_to_json(type_object(n1, t1, 2));
  char *js = cJSON_PrintUnformatted(j);
  CHECK_STR(js, "[\"object\",{\"a\":\"string\",\"b\":\"number\"}]");
  char *err = NULL;
  CHECK(type_from_json(j, &err) == type_object(n1, t1, 2));
  free(js);
  cJSON_Delete(j);
}

static void test_convert(void) {
  Value *one = val_number_i64(1), *x = val_cstring("x");
  ValConvErr ce;
  Value *s = val_convert(one, T_STRING, &ce);
  CHECK_FMT(s, "\"1\"");
  Value *bad = val_convert(x, T_NUMBER, &ce);
  CHECK(bad == NULL);
  CHECK_STR(ce.msg, "a number is required");
  CHECK_STR(ce.path, "");
  val_conv_err_free(&ce);
  Value *el[] = {one, x};
  Value *tup = val_tuple(el, 2);
  Value *l = val_convert(tup, type_list(T_DYNAMIC), &ce);
  CHECK_FMT(l, "tolist([\n  \"1\",\n  \"x\",\n])");
  Value *ln = val_convert(tup, type_list(T_NUMBER), &ce);
  CHECK(ln == NULL);
  char *txt = val_conv_err_text(&ce);
  CHECK_STR(txt, "[1]: a number is required");
  free(txt);
  val_conv_err_free(&ce);
  const char *names[] = {"a"};
  const Type *types[] = {T_STRING};
  const Type *ot = type_object(names, types, 1);
  Value *eo = val_empty_object();
  Value *r = val_convert(eo, ot, &ce);
  CHECK(r == NULL);
  CHECK_STR(ce.msg, "attribute \"a\" is required");
  val_conv_err_free(&ce);
  Value *u = val_unknown(T_DYNAMIC);
  Value *uc = val_convert(u, type_list(T_STRING), NULL);
  CHECK(!val_is_known(uc) && val_type(uc) == type_list(T_STRING));
  val_free(uc);
  val_free(one), val_free(x), val_free(tup), val_free(eo);
}

static void test_json(void) {
  const char *src = "{\"a\":[1,2.5,\"x\"],\"b\":{\"c\":true,\"d\":null},\"n\":0.1}";
  cJSON *j = cJSON_Parse(src);
  char *err = NULL;
  Value *v = val_from_json(j, T_DYNAMIC, &err);
  CHECK(v != NULL);
  cJSON *back = val_to_json(v);
  char *s = cJSON_PrintUnformatted(back);
  CHECK_STR(s, src);
  free(s);
  cJSON_Delete(back);
  /* numbers read back at full precision: 0.1 is the 512-bit 0.1 */
  Value *n = val_attr(v, "n");
  char *t = val_number_text(n);
  CHECK_STR(t, "0.1");
  free(t);
  val_free(n);
  val_free(v);
  /* typed decoding */
  const Type *ls = type_set(T_STRING);
  cJSON *arr = cJSON_Parse("[\"b\",\"a\",\"b\"]");
  Value *sv = val_from_json(arr, ls, &err);
  CHECK_FMT(sv, "toset([\n  \"a\",\n  \"b\",\n])");
  Value *bad = val_from_json(arr, T_NUMBER, &err);
  CHECK(bad == NULL && err != NULL);
  free(err);
  cJSON_Delete(arr);
  cJSON_Delete(j);
  Value *u = val_unknown(T_STRING);
  CHECK(val_to_json(u) == NULL);
}

static void test_iter_and_access(void) {
  const char *k[] = {"z", "a"};
  Value *one = val_number_i64(1), *two = val_number_i64(2);
  Value *vals[] = {one, two};
  Value *m = val_map(T_NUMBER, k, vals, 2);
  ValIter it = val_iter(m);
  int n = 0;
  while (val_iter_next(&it)) {
    if (n == 0) CHECK_STR(it.key, "a");
    if (n == 1) CHECK_STR(it.key, "z");
    n++;
  }
  CHECK_INT(n, 2);
  Value *g = val_map_get(m, "z");
  CHECK(g && val_num_cmp(g, one) == 0);
  val_free(g);
  CHECK(val_map_get(m, "q") == NULL);
  DiagList d = {0};
  SrcRange r = {0, 0, 0};
  Value *key = val_cstring("a");
  Value *x = val_index(m, key, r, &d);
  CHECK(x && val_num_cmp(x, two) == 0);
  val_free(x);
  Value *bad = val_getattr(m, "nope", r, &d);
  CHECK(bad == NULL && d.n == 1);
  CHECK_STR(d.v[0].summary, "Missing map element");
  diag_free(&d);
  val_free(key), val_free(m), val_free(one), val_free(two);
}

static char *json_free(cJSON *j) {
  char *s = cJSON_PrintUnformatted(j);
  cJSON_Delete(j);
  return s;
}

static void test_plan_json(void) {
  const char *names[] = {"id", "name", "tags", "ports", "secret"};
  Value *id = val_unknown(T_STRING), *nm = val_cstring("web"), *u = val_unknown(T_NUMBER), *p80 = val_number_i64(80);
  Value *pe[] = {p80, u};
  Value *ports = val_tuple(pe, 2);
  const char *tk[] = {"a"};
  Value *tags = val_map(T_STRING, tk, &nm, 1);
  Value *raw = val_cstring("pw"), *sec = val_mark_sensitive(raw);
  Value *vals[] = {id, nm, tags, ports, sec};
  Value *o = val_object(names, vals, 5);
  char *s = json_free(val_to_json_known(o));
  CHECK_STR(s, "{\"name\":\"web\",\"ports\":[80,null],\"secret\":\"pw\",\"tags\":{\"a\":\"web\"}}");
  free(s);
  s = json_free(val_unknown_json(o));
  CHECK_STR(s, "{\"id\":true,\"ports\":[false,true],\"tags\":{}}");
  free(s);
  s = json_free(val_sensitive_json(o));
  CHECK_STR(s, "{\"ports\":[false,false],\"secret\":true,\"tags\":{}}");
  free(s);
  s = json_free(val_unknown_json(nm));
  CHECK_STR(s, "false");
  free(s);
  Value *all_known = val_object(names + 1, vals + 1, 1);
  s = json_free(val_unknown_json(all_known));
  CHECK_STR(s, "{}");
  free(s);
  val_free(all_known);
  val_free(id), val_free(nm), val_free(u), val_free(p80), val_free(ports), val_free(tags), val_free(raw), val_free(sec),
      val_free(o);
}

int main(void) {
  RUN(test_plan_json);
  RUN(test_number_text);
  RUN(test_number_ops);
  RUN(test_strings);
  RUN(test_collections_format);
  RUN(test_sets);
  RUN(test_equality);
  RUN(test_types);
  RUN(test_convert);
  RUN(test_json);
  RUN(test_iter_and_access);
  return T_END();
}
