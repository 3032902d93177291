/*
** tests/unit/test_aws_policy.c — aws_iam_policy_document golden cases
** (tests/aws/policy_document/NAME.json -> NAME.expected), the data source's
** computed attributes, and JSON policy equivalence (diff suppression).
*/
#include "providers/aws/aws_int.h"
#include "t.h"

#include "base/util.h"

#include <dirent.h>

static const char *root(void) {
  const char *r = getenv("TFC_ROOT");
  return r ? r : ".";
}

static Value *doc_config(const char *json) {
  const DataSourceType *ds = provider_data_source(&aws_provider, "aws_iam_policy_document");
  cJSON *j = cJSON_Parse(json);
  ProvDiags d = {0};
  Value *v = j ? aws_json_val(ds->schema, j, &d) : NULL;
  prov_diags_free(&d);
  cJSON_Delete(j);
  return v;
}

static void trim(char *s) {
  size_t n = strlen(s);
  while (n && (s[n - 1] == '\n' || s[n - 1] == '\r')) s[--n] = 0;
}

static void test_golden(void) {
  char *dir = xasprintf("%s/tests/aws/policy_document", root());
  DIR *d = opendir(dir);
  CHECK(d != NULL);
  int cases = 0;
  const DataSourceType *ds = provider_data_source(&aws_provider, "aws_iam_policy_document");
  for (struct dirent *e; d && (e = readdir(d));) {
    size_t n = strlen(e->d_name);
    if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0) continue;
    char *in = xasprintf("%s/%s", dir, e->d_name);
    char *exp = xasprintf("%s/%.*s.expected", dir, (int)(n - 5), e->d_name);
    size_t len;
    char *src = read_file(in, &len), *want = read_file(exp, &len);
    CHECK(src && want);
    if (!src || !want) {
      free(src);
      free(want);
      free(in);
      free(exp);
      continue;
    }
    trim(want);
    Value *cfg = doc_config(src);
    ProvDiags diags = {0};
    Value *out = cfg ? ds->read(NULL, cfg, &diags) : NULL;
    char *got;
    if (out) {
      Value *j = val_attr(out, "json");
      got = xstrdup(val_str(j));
      val_free(j);
    } else {
      got = diags.n ? xasprintf("error %s: %s", diags.v[0].path ? diags.v[0].path : "-",
                                diags.v[0].detail ? diags.v[0].detail : diags.v[0].summary)
                    : xstrdup("(no result)");
    }
    if (strcmp(got, want) != 0) {
      printf("FAIL - test_golden: %s\n--- got\n%s\n--- want\n%s\n", e->d_name, got, want);
      t_cur_failed = 1;
    }
    cases++;
    free(got);
    val_free(out);
    val_free(cfg);
    prov_diags_free(&diags);
    free(src);
    free(want);
    free(in);
    free(exp);
  }
  if (d) closedir(d);
  CHECK(cases >= 6);
  free(dir);
}

static void test_computed_attrs(void) {
  const DataSourceType *ds = provider_data_source(&aws_provider, "aws_iam_policy_document");
  Value *cfg = doc_config("{\"statement\":[{\"actions\":[\"sts:AssumeRole\"],\"principals\":[{\"type\":\"Service\","
                          "\"identifiers\":[\"sagemaker.amazonaws.com\"]}]}]}");
  ProvDiags d = {0};
  Value *out = ds->read(NULL, cfg, &d);
  Value *mini = val_attr(out, "minified_json"), *id = val_attr(out, "id");
  CHECK_STR(val_str(mini), "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\","
                           "\"Principal\":{\"Service\":\"sagemaker.amazonaws.com\"}}]}");
  /* crc32 of the pretty JSON, in decimal (computed independently) */
  CHECK_STR(val_str(id), "1147345228");
  val_free(mini);
  val_free(id);
  val_free(out);
  val_free(cfg);
  prov_diags_free(&d);
  /* the effect enum is checked declaratively */
  cfg = doc_config("{\"statement\":[{\"effect\":\"Maybe\",\"actions\":[\"s3:*\"]}]}");
  schema_validate(ds->schema, cfg, &d);
  CHECK(d.nerrors == 1 && strcmp(d.v[0].path, "statement[0].effect") == 0);
  prov_diags_free(&d);
  val_free(cfg);
}

static void test_unknown_config(void) {
  const DataSourceType *ds = provider_data_source(&aws_provider, "aws_iam_policy_document");
  Value *o = doc_config("{\"statement\":[{\"actions\":[\"s3:GetObject\"]}]}");
  Value *cfg = aws_val_set(o, "policy_id", val_unknown(T_STRING));
  ProvDiags d = {0};
  Value *out = ds->read(NULL, cfg, &d);
  CHECK(out && !val_is_known(out));
  val_free(out);
  val_free(cfg);
  val_free(o);
}

static void test_equivalence(void) {
  CHECK(aws_policy_equivalent("{\"a\":1}", "{\"a\":1}"));
  CHECK(aws_policy_equivalent(
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}",
      "{\n  \"Statement\": {\"Resource\": [\"*\"], \"Action\": [\"s3:GetObject\"], \"Effect\": \"Allow\"},\n"
      "  \"Version\": \"2012-10-17\"\n}"));
  CHECK(aws_policy_equivalent("{\"Statement\":[{\"Action\":[\"b\",\"a\"]}]}", "{\"Statement\":[{\"Action\":[\"a\",\"b\"]}]}"));
  CHECK(!aws_policy_equivalent("{\"Statement\":[{\"Action\":[\"a\",\"b\"]}]}", "{\"Statement\":[{\"Action\":[\"a\"]}]}"));
  CHECK(!aws_policy_equivalent("{\"Effect\":\"Allow\"}", "{\"Effect\":\"Deny\"}"));
  CHECK(!aws_policy_equivalent("not json", "{}"));
}

int main(void) {
  RUN(test_golden);
  RUN(test_computed_attrs);
  RUN(test_unknown_config);
  RUN(test_equivalence);
  return T_END();
}
