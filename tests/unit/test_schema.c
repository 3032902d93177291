/*
** tests/unit/test_schema.c — the generic schema operations of provider.h
** on small hand-written schemas: the object type, ProposedNewObject,
** declarative validation with attribute paths, replacement paths, defaults.
*/
#include "providers/provider.h"
#include "t.h"

#include "base/util.h"

#include <cjson/cJSON.h>

static const char *const colors[] = {"red", "green", NULL};
static const char *const c_name[] = {"prefix", NULL};
static const char *const c_prefix[] = {"name", NULL};
static const char *const group[] = {"a", "b", NULL};

static const SchemaAttr leaf_attrs[] = {
    {.name = "size", .type = "number", .flags = SA_OPTIONAL | SA_FORCE_NEW, .has_range = true, .min = 1, .max = 10},
    {.name = "label", .type = "string", .flags = SA_OPTIONAL},
    {.name = "computed", .type = "string", .flags = SA_OPTIONAL | SA_COMPUTED},
};
static const Schema leaf = {leaf_attrs, 3, NULL, 0};

static const SchemaAttr tag_attrs[] = {
    {.name = "key", .type = "string", .flags = SA_REQUIRED},
    {.name = "id", .type = "string", .flags = SA_COMPUTED},
};
static const Schema tag = {tag_attrs, 2, NULL, 0};

static const SchemaAttr top_attrs[] = {
    {.name = "name", .type = "string", .flags = SA_OPTIONAL | SA_COMPUTED | SA_FORCE_NEW, .min_len = 1, .max_len = 5,
     .regex = "[a-z]+", .regex_message = "lower-case letters only", .conflicts_with = c_name},
    {.name = "prefix", .type = "string", .flags = SA_OPTIONAL | SA_FORCE_NEW, .conflicts_with = c_prefix},
    {.name = "color", .type = "string", .flags = SA_OPTIONAL, .default_json = "\"red\"", .one_of = colors},
    {.name = "arn", .type = "string", .flags = SA_COMPUTED},
    {.name = "count", .type = "number", .flags = SA_REQUIRED},
    {.name = "a", .type = "string", .flags = SA_OPTIONAL, .exactly_one_of = group},
    {.name = "b", .type = "string", .flags = SA_OPTIONAL, .exactly_one_of = group},
    {.name = "ids", .type = "set(string)", .flags = SA_OPTIONAL, .one_of = colors},
    {.name = "tags", .type = "map(string)", .flags = SA_OPTIONAL},
};
static const SchemaBlock top_blocks[] = {
    {.name = "item", .nesting = NEST_LIST, .min_items = 1, .max_items = 2, .schema = &leaf},
    {.name = "tag", .nesting = NEST_SET, .schema = &tag},
    {.name = "extra", .nesting = NEST_LIST, .max_items = 1, .flags = SA_COMPUTED, .schema = &leaf},
};
static const Schema top = {top_attrs, sizeof top_attrs / sizeof top_attrs[0], top_blocks, 3};

static Value *obj(const char *json) {
  cJSON *j = cJSON_Parse(json);
  char *err = NULL;
  Value *v = val_from_json(j, schema_type(&top), &err);
  if (!v) printf("# bad test value %s: %s\n", json, err);
  free(err);
  cJSON_Delete(j);
  return v;
}

static Value *get(const Value *v, const char *path) {
  /* "item.0.size" */
  char buf[128];
  snprintf(buf, sizeof buf, "%s", path);
  Value *cur = val_ref(v);
  for (char *save = NULL, *p = strtok_r(buf, ".", &save); p && cur; p = strtok_r(NULL, ".", &save)) {
    Value *next = NULL;
    if (*p >= '0' && *p <= '9') {
      size_t i = (size_t)atoi(p);
      if (val_is_known(cur) && !val_is_null(cur) && i < val_len(cur)) next = val_ref(val_elems(cur)[i]);
    } else {
      next = val_attr(cur, p);
    }
    val_free(cur);
    cur = next;
  }
  return cur;
}

static bool is_unknown(const Value *v, const char *path) {
  Value *x = get(v, path);
  bool r = x && !val_is_known(x);
  val_free(x);
  return r;
}

static bool str_is(const Value *v, const char *path, const char *want) {
  Value *x = get(v, path);
  bool r = x && val_is_known(x) && !val_is_null(x) && strcmp(val_str(x), want) == 0;
  val_free(x);
  return r;
}

static ProvDiags D;

static bool has(const char *path, const char *text) {
  for (size_t i = 0; i < D.n; i++)
    if (D.v[i].path && strcmp(D.v[i].path, path) == 0 &&
        (strstr(D.v[i].summary, text) || (D.v[i].detail && strstr(D.v[i].detail, text))))
      return true;
  return false;
}

static void test_type(void) {
  const Type *t = schema_type(&top);
  char *s = type_expr_string(t);
  CHECK(strstr(s, "item=list(object({computed=string, label=string, size=number}))") != NULL);
  CHECK(strstr(s, "tag=set(object({id=string, key=string}))") != NULL);
  CHECK(strstr(s, "tags=map(string)") != NULL);
  free(s);
  CHECK(schema_type(&top) == t);
  CHECK(schema_attr(&top, "color") == &top_attrs[2]);
  CHECK(schema_block(&top, "tag") == &top_blocks[1]);
  CHECK(schema_attr(&top, "nope") == NULL);
}

static void test_proposed_create(void) {
  Value *cfg = obj("{\"count\":1,\"item\":[{\"size\":2}],\"tag\":[{\"key\":\"k\"}],\"extra\":[]}");
  Value *p = schema_proposed_new(&top, NULL, cfg);
  CHECK(is_unknown(p, "name"));           /* optional+computed, not set */
  CHECK(is_unknown(p, "arn"));            /* computed */
  CHECK(is_unknown(p, "item.0.computed"));
  CHECK(is_unknown(p, "extra"));          /* optional+computed block left out */
  Value *prefix = get(p, "prefix");
  CHECK(prefix && val_is_null(prefix));   /* plain optional stays null */
  val_free(prefix);
  Value *tags = get(p, "tag");
  CHECK(tags && val_len(tags) == 1 && !val_is_known(val_attr(val_elems(tags)[0], "id")));
  val_free(tags);
  val_free(p);
  val_free(cfg);
}

static void test_proposed_update(void) {
  Value *prior = obj("{\"name\":\"abc\",\"arn\":\"arn:1\",\"count\":1,\"item\":[{\"size\":2,\"computed\":\"c0\"},"
                     "{\"size\":3,\"computed\":\"c1\"}],\"tag\":[{\"key\":\"a\",\"id\":\"1\"},{\"key\":\"b\",\"id\":\"2\"}],"
                     "\"extra\":[{\"label\":\"chosen\"}]}");
  Value *cfg = obj("{\"count\":2,\"item\":[{\"size\":5}],\"tag\":[{\"key\":\"b\"},{\"key\":\"c\"}],\"extra\":[]}");
  Value *p = schema_proposed_new(&top, prior, cfg);
  CHECK(str_is(p, "name", "abc"));        /* computed values carried over */
  CHECK(str_is(p, "arn", "arn:1"));
  CHECK(str_is(p, "item.0.computed", "c0")); /* lists match by position */
  Value *items = get(p, "item");
  CHECK(items && val_len(items) == 1);
  val_free(items);
  CHECK(str_is(p, "extra.0.label", "chosen")); /* O+C block kept */
  /* sets match by configured attributes: "b" keeps id 2, "c" is new */
  Value *tags = get(p, "tag");
  int known_b = 0, unknown_c = 0;
  ValIter it = val_iter(tags);
  while (val_iter_next(&it)) {
    Value *k = val_attr(it.elem, "key"), *id = val_attr(it.elem, "id");
    if (strcmp(val_str(k), "b") == 0 && val_is_known(id) && strcmp(val_str(id), "2") == 0) known_b = 1;
    if (strcmp(val_str(k), "c") == 0 && !val_is_known(id)) unknown_c = 1;
    val_free(k);
    val_free(id);
  }
  CHECK(known_b && unknown_c);
  val_free(tags);
  /* a configured value wins over the prior one */
  Value *cfg2 = obj("{\"name\":\"xyz\",\"count\":2,\"item\":[{\"size\":5}],\"tag\":[],\"extra\":[]}");
  Value *p2 = schema_proposed_new(&top, prior, cfg2);
  CHECK(str_is(p2, "name", "xyz"));
  val_free(p2);
  val_free(cfg2);
  val_free(p);
  val_free(cfg);
  val_free(prior);
  /* no configuration: the object goes away */
  Value *gone = schema_proposed_new(&top, NULL, NULL);
  CHECK(gone && val_is_null(gone));
  val_free(gone);
}

static void test_validate(void) {
  Value *cfg = obj("{\"name\":\"ABCDEFG\",\"prefix\":\"p\",\"color\":\"blue\",\"count\":1,\"a\":\"x\",\"b\":\"y\","
                   "\"ids\":[\"red\",\"pink\"],\"item\":[{\"size\":0},{\"size\":11},{\"size\":5}],\"tag\":[],\"extra\":[]}");
  schema_validate(&top, cfg, &D);
  CHECK(has("name", "expected length of name to be in the range (1 - 5), got ABCDEFG"));
  CHECK(has("name", "invalid value for name (lower-case letters only)"));
  CHECK(has("name", "\"name\": conflicts with prefix"));
  CHECK(has("prefix", "\"prefix\": conflicts with name"));
  CHECK(has("color", "expected color to be one of [\"red\" \"green\"], got blue"));
  CHECK(has("a", "only one of `a,b` can be specified"));
  CHECK(has("ids", "got pink"));   /* set elements have no stable index: the attribute */
  CHECK(!has("ids", "got red"));
  /* block counts and required arguments are the decoder's, not repeated */
  CHECK(!has("item", "blocks are allowed"));
  CHECK(has("item[0].size", "expected item[0].size to be in the range (1 - 10), got 0"));
  CHECK(has("item[1].size", "got 11"));
  CHECK(!has("item[2].size", "range"));
  prov_diags_free(&D);
  cfg = (val_free(cfg), obj("{\"item\":[],\"tag\":[],\"extra\":[]}"));
  schema_validate(&top, cfg, &D);
  CHECK(!has("count", "required"));
  CHECK(has("a", "one of `a,b` must be specified"));
  CHECK(!has("item", "At least"));
  prov_diags_free(&D);
  val_free(cfg);
  /* unknown values are not checked */
  const Type *t = schema_type(&top);
  const char *names[] = {"name", "count", "a", "item"};
  Value *vals[] = {val_unknown(T_STRING), val_number_i64(1), val_cstring("x"),
                   val_unknown(type_attr(t, "item"))};
  Value *partial = val_object(names, vals, 4);
  for (int i = 0; i < 4; i++) val_free(vals[i]);
  char *err = NULL;
  Value *conv = val_convert(partial, t, NULL);
  free(err);
  schema_validate(&top, conv, &D);
  CHECK_INT(D.nerrors, 0);
  prov_diags_free(&D);
  val_free(conv);
  val_free(partial);
}

static void test_requires_replace(void) {
  Value *prior = obj("{\"name\":\"abc\",\"count\":1,\"color\":\"red\",\"item\":[{\"size\":2,\"label\":\"x\"}],"
                     "\"tag\":[],\"extra\":[]}");
  PathSet rr = {0};
  Value *same = obj("{\"name\":\"abc\",\"count\":2,\"color\":\"green\",\"item\":[{\"size\":2,\"label\":\"y\"}],"
                    "\"tag\":[],\"extra\":[]}");
  schema_requires_replace(&top, prior, same, &rr);
  CHECK_INT(rr.n, 0);                     /* only in-place attributes changed */
  Value *diff = obj("{\"name\":\"abd\",\"count\":1,\"item\":[{\"size\":3}],\"tag\":[],\"extra\":[]}");
  schema_requires_replace(&top, prior, diff, &rr);
  CHECK(pathset_has(&rr, "name"));
  CHECK(pathset_has(&rr, "item[0].size"));
  CHECK_INT(rr.n, 2);
  pathset_free(&rr);
  Value *more = obj("{\"name\":\"abc\",\"count\":1,\"item\":[{\"size\":2,\"label\":\"x\"},{\"size\":1}],\"tag\":[],"
                    "\"extra\":[]}");
  schema_requires_replace(&top, prior, more, &rr);
  CHECK(pathset_has(&rr, "item"));        /* an element added holds force-new arguments */
  pathset_free(&rr);
  /* an unknown planned value of a force-new argument forces replacement */
  Value *u = val_attr(prior, "name");
  val_free(u);
  const Type *t = schema_type(&top);
  Value *planned = val_unknown(t);
  schema_requires_replace(&top, prior, planned, &rr);
  CHECK_INT(rr.n, 0);                     /* wholly unknown object: nothing to compare */
  val_free(planned);
  pathset_free(&rr);
  val_free(prior);
  val_free(same);
  val_free(diff);
  val_free(more);
}

static void test_defaults(void) {
  Value *cfg = obj("{\"count\":1,\"item\":[],\"tag\":[],\"extra\":[]}");
  Value *d = schema_apply_defaults(&top, cfg);
  CHECK(str_is(d, "color", "red"));
  val_free(d);
  val_free(cfg);
  cfg = obj("{\"count\":1,\"color\":\"green\"}");
  d = schema_apply_defaults(&top, cfg);
  CHECK(str_is(d, "color", "green"));
  Value *items = get(d, "item");
  CHECK(items && !val_is_null(items) && val_len(items) == 0); /* absent blocks become empty lists */
  val_free(items);
  val_free(d);
  val_free(cfg);
}

static void test_pathset_and_diags(void) {
  PathSet p = {0};
  pathset_add(&p, "a");
  pathset_add(&p, "a");
  pathset_add(&p, "b[0].c");
  CHECK_INT(p.n, 2);
  CHECK(pathset_has(&p, "b[0].c") && !pathset_has(&p, "b"));
  pathset_free(&p);
  ProvDiags d = {0};
  prov_diag(&d, DIAG_WARNING, NULL, "w", NULL);
  prov_diag(&d, DIAG_ERROR, "x.y", "e", "n=%d", 3);
  CHECK_INT(d.n, 2);
  CHECK_INT(d.nerrors, 1);
  CHECK_STR(d.v[1].detail, "n=3");
  CHECK_STR(d.v[1].path, "x.y");
  prov_diags_free(&d);
}

int main(void) {
  RUN(test_type);
  RUN(test_proposed_create);
  RUN(test_proposed_update);
  RUN(test_validate);
  RUN(test_requires_replace);
  RUN(test_defaults);
  RUN(test_pathset_and_diags);
  return T_END();
}
