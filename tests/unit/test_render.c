/*
** tests/unit/test_render.c — golden tests of the human plan text and the
** JSON plan.
**
** Each test builds a Plan by hand from the real AWS schemas, renders it,
** and compares the text with tests/render/NAME.txt byte for byte (the
** -no-color text Terraform prints). Values are written as JSON; two
** string spellings stand for what JSON cannot say:
**
**   "?"          an unknown value of the attribute's type
**   "!secret:X"  the value X (a string, or JSON text for other types)
**                marked sensitive
**
** Set TFC_UPDATE_GOLDEN=1 to rewrite the golden files from the output
** (then read the diff: these texts are what users compare with Terraform).
*/
#include "t.h"

#include <stdbool.h>

#include "base/buf.h"
#include "base/jsonout.h"
#include "base/util.h"
#include "plan/plan.h"
#include "providers/aws/aws.h"

/* ---------------------------------------------------------- value builder */

static Value *mkv(const cJSON *j, const Type *t);

static Value *mk_str_typed(const char *s, const Type *t) {
  if (t->kind == TY_STRING || t->kind == TY_DYNAMIC) return val_cstring(s);
  cJSON *j = cJSON_Parse(s);
  Value *v = mkv(j, t);
  cJSON_Delete(j);
  return v;
}

static Value *mkv(const cJSON *j, const Type *t) {
  if (!j || cJSON_IsNull(j)) return val_null(t);
  if (cJSON_IsString(j)) {
    if (!strcmp(j->valuestring, "?")) return val_unknown(t);
    if (!strncmp(j->valuestring, "!secret:", 8)) {
      Value *in = mk_str_typed(j->valuestring + 8, t);
      Value *m = val_mark_sensitive(in);
      val_free(in);
      return m;
    }
  }
  switch (t->kind) {
    case TY_OBJECT: {
      Value **vals = xmalloc((t->n ? t->n : 1) * sizeof *vals);
      for (size_t i = 0; i < t->n; i++) vals[i] = mkv(cJSON_GetObjectItemCaseSensitive(j, t->names[i]), t->elems[i]);
      Value *o = val_object((const char *const *)t->names, vals, t->n);
      for (size_t i = 0; i < t->n; i++) val_free(vals[i]);
      free(vals);
      return o;
    }
    case TY_LIST:
    case TY_SET: {
      size_t n = (size_t)cJSON_GetArraySize(j), i = 0;
      Value **el = xmalloc((n ? n : 1) * sizeof *el);
      const cJSON *c;
      cJSON_ArrayForEach(c, j) el[i++] = mkv(c, t->elem);
      Value *l = t->kind == TY_LIST ? val_list(t->elem, el, n) : val_set(t->elem, el, n);
      for (i = 0; i < n; i++) val_free(el[i]);
      free(el);
      return l;
    }
    case TY_MAP: {
      size_t n = (size_t)cJSON_GetArraySize(j), i = 0;
      Value **el = xmalloc((n ? n : 1) * sizeof *el);
      const char **keys = xmalloc((n ? n : 1) * sizeof *keys);
      const cJSON *c;
      cJSON_ArrayForEach(c, j) {
        keys[i] = c->string;
        el[i++] = mkv(c, t->elem);
      }
      Value *m = val_map(t->elem, keys, el, n);
      for (i = 0; i < n; i++) val_free(el[i]);
      free(el);
      free(keys);
      return m;
    }
    default: {
      char *err = NULL;
      Value *v = val_from_json(j, t, &err);
      if (!v) {
        printf("# bad test value: %s\n", err);
        free(err);
        abort();
      }
      return v;
    }
  }
}

/* A value of the schema's object type from JSON text (NULL text: NULL). */
static Value *sv(const Schema *s, const char *json) {
  if (!json) return NULL;
  cJSON *j = cJSON_Parse(json);
  if (!j) {
    printf("# bad test JSON: %s\n", json);
    abort();
  }
  Value *v = mkv(j, schema_type(s));
  cJSON_Delete(j);
  return v;
}

/* A dynamic value (outputs) from JSON text. */
static Value *dv(const char *json) {
  if (!json) return NULL;
  cJSON *j = cJSON_Parse(json);
  Value *v;
  if (cJSON_IsString(j) && !strcmp(j->valuestring, "?")) v = val_unknown(T_DYNAMIC);
  else {
    char *err = NULL;
    v = val_from_json(j, T_DYNAMIC, &err);
    free(err);
  }
  cJSON_Delete(j);
  return v;
}

/* ---------------------------------------------------------- plan builder */

static Plan *new_plan(void) { return xcalloc(1, sizeof(Plan)); }

static const Schema *res_schema(const char *type, bool data, const ResourceType **rt, const DataSourceType **dt) {
  if (data) {
    *dt = provider_data_source(&aws_provider, type);
    return *dt ? (*dt)->schema : NULL;
  }
  *rt = provider_resource(&aws_provider, type);
  return *rt ? (*rt)->schema : NULL;
}

/* Adds a change; replace is a NULL-terminated list of paths (may be NULL). */
static Change *add(Plan *p, const char *addr, Action act, const char *before, const char *after,
                   const char *const *replace, const char *reason) {
  StAddr a;
  char *err = NULL;
  if (!st_addr_parse(addr, &a, &err)) {
    printf("# bad address %s: %s\n", addr, err);
    abort();
  }
  VEC_PUSH(p->changes, p->n, p->cap, ((Change){0}));
  Change *c = &p->changes[p->n - 1];
  c->addr = xstrdup(addr);
  c->module = st_addr_module(&a);
  c->mode = a.mode;
  c->type = xstrdup(a.type);
  c->name = xstrdup(a.name);
  st_key_copy(&c->key, &a.key);
  c->action = act;
  c->prov = &aws_provider;
  c->schema = res_schema(a.type, a.mode == ST_DATA, &c->rt, &c->dt);
  if (!c->schema) {
    printf("# unknown type %s\n", a.type);
    abort();
  }
  c->before = sv(c->schema, before);
  c->after = sv(c->schema, after);
  for (size_t i = 0; replace && replace[i]; i++) pathset_add(&c->replace_paths, replace[i]);
  c->reason = reason ? xstrdup(reason) : NULL;
  st_addr_free(&a);
  return c;
}

static void add_out(Plan *p, const char *name, const char *before, const char *after, bool sensitive) {
  VEC_PUSH(p->outputs, p->nout, p->capout, ((OutputChange){0}));
  OutputChange *o = &p->outputs[p->nout - 1];
  o->name = xstrdup(name);
  o->before = dv(before);
  o->after = dv(after);
  o->sensitive = sensitive;
}

static void add_drift(Plan *p, const char *addr, const char *type, const char *before, const char *after) {
  VEC_PUSH(p->drift, p->ndrift, p->capdrift, ((Drift){0}));
  Drift *d = &p->drift[p->ndrift - 1];
  d->addr = xstrdup(addr);
  d->mode = ST_MANAGED;
  d->type = xstrdup(type);
  const ResourceType *rt = provider_resource(&aws_provider, type);
  d->schema = rt->schema;
  d->before = sv(d->schema, before);
  d->after = sv(d->schema, after);
}

/* ------------------------------------------------------------- goldens */

static void golden(const char *name, const char *got) {
  char *path = xasprintf("tests/render/%s", name);
  const char *upd = getenv("TFC_UPDATE_GOLDEN");
  if (upd && *upd == '1') {
    FILE *f = fopen(path, "w");
    if (f) {
      fputs(got, f);
      fclose(f);
    }
  }
  size_t n = 0;
  char *want = read_file(path, &n);
  if (!want) {
    printf("FAIL - %s: cannot read %s\n", t_cur_name, path);
    t_cur_failed = 1;
  } else if (strcmp(want, got) != 0) {
    /* show the first differing line */
    const char *w = want, *g = got;
    int line = 1;
    while (*w && *w == *g) {
      if (*w == '\n') line++;
      w++;
      g++;
    }
    const char *we = strchr(w, '\n'), *ge = strchr(g, '\n');
    printf("FAIL - %s: %s differs at line %d:\n  want: %.*s\n  got:  %.*s\n", t_cur_name, path, line,
           (int)(we ? we - w : (long)strlen(w)), w, (int)(ge ? ge - g : (long)strlen(g)), g);
    t_cur_failed = 1;
  }
  free(want);
  free(path);
}

static void check_render(Plan *p, const char *file) {
  Buf b = BUF_INIT;
  plan_render_buf(&b, p, false);
  golden(file, b.s ? b.s : "");
  buf_free(&b);
}

/* ------------------------------------------------------------- fixtures */

static const char *const TRUST_LAMBDA =
    "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":{"
    "\\\"Service\\\":\\\"sagemaker.amazonaws.com\\\"},\\\"Action\\\":\\\"sts:AssumeRole\\\"}]}";

static char *role_json(const char *extra) {
  return xasprintf("{\"arn\":\"arn:aws:iam::123456789012:role/inference\",\"assume_role_policy\":\"%s\","
                   "\"create_date\":\"2026-11-27T10:00:00Z\",\"force_detach_policies\":false,\"id\":\"inference\","
                   "\"managed_policy_arns\":[],\"max_session_duration\":3600,\"name\":\"inference\","
                   "\"name_prefix\":\"\",\"path\":\"/\",\"tags\":{\"Team\":\"ml\"},\"tags_all\":{\"Team\":\"ml\"},"
                   "\"unique_id\":\"AROAEXAMPLE\",\"inline_policy\":[]%s}",
                   TRUST_LAMBDA, extra ? extra : "");
}

static const char *const EPC_PRIOR =
    "{\"arn\":\"arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/demo\",\"id\":\"demo\",\"name\":\"demo\","
    "\"name_prefix\":\"\",\"tags\":null,\"tags_all\":{},\"kms_key_arn\":\"\",\"execution_role_arn\":\"\","
    "\"production_variants\":[{\"variant_name\":\"primary\",\"model_name\":\"demo-model\","
    "\"initial_instance_count\":1,\"instance_type\":\"ml.t2.medium\",\"initial_variant_weight\":1,"
    "\"volume_size_in_gb\":0,\"routing_config\":[],\"serverless_config\":[],\"core_dump_config\":[],"
    "\"managed_instance_scaling\":[],\"capacity_reservation_config\":[]}],"
    "\"data_capture_config\":[],\"async_inference_config\":[],\"shadow_production_variants\":[]}";

/* ---------------------------------------------------------------- tests */

static void test_create(void) {
  Plan *p = new_plan();
  add(p, "aws_iam_role.inference", ACT_CREATE, NULL,
      "{\"arn\":\"?\",\"assume_role_policy\":\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":"
      "\\\"Allow\\\",\\\"Principal\\\":{\\\"Service\\\":\\\"sagemaker.amazonaws.com\\\"},\\\"Action\\\":\\\"sts:"
      "AssumeRole\\\"}]}\",\"create_date\":\"?\",\"force_detach_policies\":false,\"id\":\"?\","
      "\"managed_policy_arns\":\"?\",\"max_session_duration\":3600,\"name\":\"inference\",\"name_prefix\":\"?\","
      "\"path\":\"/\",\"tags\":{\"Team\":\"ml\",\"Cost Center\":\"1234\"},\"tags_all\":{\"Team\":\"ml\",\"Cost "
      "Center\":\"1234\"},\"unique_id\":\"?\",\"inline_policy\":\"?\"}",
      NULL, NULL);
  add(p, "aws_sagemaker_endpoint_configuration.demo", ACT_CREATE, NULL,
      "{\"arn\":\"?\",\"id\":\"?\",\"name\":\"demo\",\"name_prefix\":\"?\",\"tags_all\":\"?\","
      "\"production_variants\":[{\"variant_name\":\"primary\",\"model_name\":\"demo-model\","
      "\"initial_instance_count\":2,\"instance_type\":\"ml.m5.large\",\"initial_variant_weight\":1,"
      "\"volume_size_in_gb\":\"?\",\"routing_config\":[{\"routing_strategy\":\"LEAST_OUTSTANDING_REQUESTS\"}]}],"
      "\"data_capture_config\":[],\"async_inference_config\":[],\"shadow_production_variants\":[]}",
      NULL, NULL);
  check_render(p, "create.txt");
  size_t a, c, d;
  plan_counts(p, &a, &c, &d);
  CHECK_INT(a, 2);
  CHECK_INT(c, 0);
  CHECK_INT(d, 0);
  CHECK(plan_has_changes(p));
  plan_free(p);
}

static void test_update(void) {
  Plan *p = new_plan();
  char *before = role_json(",\"description\":\"old\"");
  char *after = xasprintf("{\"arn\":\"arn:aws:iam::123456789012:role/inference\",\"assume_role_policy\":\"%s\","
                          "\"create_date\":\"2026-11-27T10:00:00Z\",\"description\":\"Role for SageMaker "
                          "inference\",\"force_detach_policies\":false,\"id\":\"inference\","
                          "\"managed_policy_arns\":[],\"max_session_duration\":7200,\"name\":\"inference\","
                          "\"name_prefix\":\"\",\"path\":\"/\",\"tags\":{\"Team\":\"ml\",\"Env\":\"prod\"},"
                          "\"tags_all\":{\"Team\":\"ml\",\"Env\":\"prod\"},\"unique_id\":\"AROAEXAMPLE\","
                          "\"inline_policy\":[]}",
                          TRUST_LAMBDA);
  add(p, "aws_iam_role.inference", ACT_UPDATE, before, after, NULL, NULL);
  free(before);
  free(after);
  check_render(p, "update.txt");
  plan_free(p);
}

static void test_replace(void) {
  static const char *const rp[] = {"production_variants[0].instance_type", NULL};
  const char *after =
      "{\"arn\":\"?\",\"id\":\"?\",\"name\":\"demo\",\"name_prefix\":\"\",\"tags\":null,\"tags_all\":{},"
      "\"kms_key_arn\":\"\",\"execution_role_arn\":\"\","
      "\"production_variants\":[{\"variant_name\":\"primary\",\"model_name\":\"demo-model\","
      "\"initial_instance_count\":1,\"instance_type\":\"ml.m5.xlarge\",\"initial_variant_weight\":1,"
      "\"volume_size_in_gb\":\"?\",\"routing_config\":[],\"serverless_config\":[],\"core_dump_config\":[],"
      "\"managed_instance_scaling\":[],\"capacity_reservation_config\":[]}],"
      "\"data_capture_config\":[],\"async_inference_config\":[],\"shadow_production_variants\":[]}";
  Plan *p = new_plan();
  add(p, "aws_sagemaker_endpoint_configuration.demo", ACT_REPLACE_DC, EPC_PRIOR, after, rp, NULL);
  check_render(p, "replace_dc.txt");
  size_t a, c, d;
  plan_counts(p, &a, &c, &d);
  CHECK_INT(a, 1);
  CHECK_INT(d, 1);
  plan_free(p);

  p = new_plan();
  add(p, "module.inference.aws_sagemaker_endpoint_configuration.demo", ACT_REPLACE_CD, EPC_PRIOR, after, rp, NULL);
  static const char *const rp2[] = {"name", NULL};
  add(p, "aws_sns_topic.alerts", ACT_REPLACE_DC,
      "{\"arn\":\"arn:aws:sns:us-east-1:123456789012:alerts\",\"id\":\"arn:aws:sns:us-east-1:123456789012:alerts\","
      "\"name\":\"alerts\",\"fifo_topic\":false,\"owner\":\"123456789012\",\"signature_version\":0,"
      "\"tags_all\":{}}",
      "{\"arn\":\"?\",\"id\":\"?\",\"name\":\"alerts-v2\",\"fifo_topic\":false,\"owner\":\"?\","
      "\"signature_version\":\"?\",\"tags_all\":\"?\"}",
      rp2, "replace_by_request");
  check_render(p, "replace_cd.txt");
  plan_free(p);
}

static void test_delete(void) {
  Plan *p = new_plan();
  add(p, "aws_sns_topic.old", ACT_DELETE,
      "{\"arn\":\"arn:aws:sns:us-east-1:123456789012:old\",\"id\":\"arn:aws:sns:us-east-1:123456789012:old\","
      "\"name\":\"old\",\"display_name\":\"\",\"fifo_topic\":false,\"owner\":\"123456789012\","
      "\"signature_version\":0,\"tags\":{\"Team\":\"ml\"},\"tags_all\":{\"Team\":\"ml\"},"
      "\"policy\":\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[]}\"}",
      NULL, NULL, "delete_because_no_resource_config");
  /* data sources leaving the state are not shown nor counted */
  add(p, "data.aws_region.current", ACT_DELETE, "{\"id\":\"us-east-1\",\"name\":\"us-east-1\"}", NULL, NULL, NULL);
  /* a type the provider no longer knows: shown from the values alone */
  Change *c0 = add(p, "aws_sns_topic.gone", ACT_DELETE, "{\"arn\":\"arn:x\",\"name\":\"gone\",\"tags\":{\"a\":\"b\"}}",
                   NULL, NULL, NULL);
  c0->schema = NULL;
  c0->rt = NULL;
  check_render(p, "delete.txt");
  size_t a, c, d;
  plan_counts(p, &a, &c, &d);
  CHECK_INT(d, 2);
  plan_free(p);
}

static void test_noop(void) {
  Plan *p = new_plan();
  char *r = role_json(NULL);
  add(p, "aws_iam_role.inference", ACT_NOOP, r, r, NULL, NULL);
  free(r);
  add_out(p, "role_name", "\"inference\"", "\"inference\"", false);
  check_render(p, "noop.txt");
  CHECK(!plan_has_changes(p));
  plan_free(p);

  p = new_plan();
  p->destroy = true;
  check_render(p, "noop_destroy.txt");
  plan_free(p);
}

static void test_drift(void) {
  Plan *p = new_plan();
  char *before = role_json(",\"description\":\"managed by tfc\"");
  char *after = role_json(",\"description\":\"edited in the console\"");
  add_drift(p, "aws_iam_role.inference", "aws_iam_role", before, after);
  add_drift(p, "aws_sns_topic.alerts", "aws_sns_topic",
            "{\"arn\":\"arn:aws:sns:us-east-1:123456789012:alerts\",\"id\":\"arn:aws:sns:us-east-1:123456789012:"
            "alerts\",\"name\":\"alerts\",\"fifo_topic\":false,\"signature_version\":0,\"tags_all\":{}}",
            NULL);
  add(p, "aws_iam_role.inference", ACT_UPDATE, after, before, NULL, NULL);
  add(p, "aws_sns_topic.alerts", ACT_CREATE, NULL,
      "{\"arn\":\"?\",\"id\":\"?\",\"name\":\"alerts\",\"fifo_topic\":false,\"owner\":\"?\","
      "\"signature_version\":\"?\",\"tags_all\":\"?\",\"policy\":\"?\"}",
      NULL, NULL);
  free(before);
  free(after);
  check_render(p, "drift.txt");
  plan_free(p);

  /* drift the configuration already matches: no actions */
  p = new_plan();
  before = role_json(",\"description\":\"a\"");
  after = role_json(",\"description\":\"b\"");
  add_drift(p, "aws_iam_role.inference", "aws_iam_role", before, after);
  add(p, "aws_iam_role.inference", ACT_NOOP, after, after, NULL, NULL);
  p->refresh_only = true;
  check_render(p, "drift_refresh_only.txt");
  CHECK(plan_has_changes(p));
  free(before);
  free(after);
  plan_free(p);
}

static void add_relevant(Plan *p, const char *addr, const char *attr) {
  VEC_PUSH(p->relevant, p->nrelevant, p->caprelevant, ((PlanRelevant){xstrdup(addr), xstrdup(attr)}));
}

/* A normal plan shows only drift the configuration refers to. */
static void test_drift_relevant(void) {
  Plan *p = new_plan();
  p->relevance_known = true;
  char *b1 = role_json(",\"description\":\"managed by tfc\"");
  char *a1 = role_json(",\"description\":\"edited in the console\"");
  char *a2 = role_json(",\"description\":\"edited\",\"permissions_boundary\":\"arn:aws:iam::123456789012:policy/pb\"");
  /* only the description changed, and only arn is referred to: hidden */
  add_drift(p, "aws_iam_role.a", "aws_iam_role", b1, a1);
  add_relevant(p, "aws_iam_role.a", "arn");
  /* description referred to: shown, without the permissions_boundary change */
  add_drift(p, "aws_iam_role.b", "aws_iam_role", b1, a2);
  add_relevant(p, "aws_iam_role.b", "description");
  /* deleted, nothing refers to it: hidden */
  add_drift(p, "aws_iam_role.c", "aws_iam_role", b1, NULL);
  add(p, "aws_iam_role.b", ACT_UPDATE, a2, b1, NULL, NULL);
  check_render(p, "drift_relevant.txt");
  free(b1);
  free(a1);
  free(a2);
  plan_free(p);
}

static void test_data_read(void) {
  Plan *p = new_plan();
  add(p, "data.aws_caller_identity.current", ACT_READ, NULL,
      "{\"id\":\"?\",\"account_id\":\"?\",\"arn\":\"?\",\"user_id\":\"?\"}", NULL, "read_because_config_unknown");
  add(p, "module.inference.data.aws_region.current", ACT_READ, NULL,
      "{\"id\":\"?\",\"name\":\"?\",\"region\":\"?\",\"endpoint\":\"?\",\"description\":\"?\"}", NULL,
      "read_because_dependency_pending");
  check_render(p, "data_read.txt");
  size_t a, c, d;
  plan_counts(p, &a, &c, &d);
  CHECK_INT(a + c + d, 0);
  plan_free(p);
}

static void test_sensitive(void) {
  Plan *p = new_plan();
  add(p, "aws_sagemaker_model.demo", ACT_UPDATE,
      "{\"arn\":\"arn:aws:sagemaker:us-east-1:123456789012:model/demo\",\"id\":\"demo\",\"name\":\"demo\","
      "\"enable_network_isolation\":false,\"execution_role_arn\":\"arn:aws:iam::123456789012:role/inference\","
      "\"tags_all\":{},\"primary_container\":[{\"image\":\"123456789012.dkr.ecr.us-east-1.amazonaws.com/demo:1\","
      "\"mode\":\"SingleModel\",\"environment\":{\"API_TOKEN\":\"!secret:old-token\",\"LOG_LEVEL\":\"info\","
      "\"REGION\":\"us-east-1\",\"OLD_SECRET\":\"!secret:x\"}}]}",
      "{\"arn\":\"arn:aws:sagemaker:us-east-1:123456789012:model/demo\",\"id\":\"demo\",\"name\":\"demo\","
      "\"enable_network_isolation\":false,\"execution_role_arn\":\"arn:aws:iam::123456789012:role/inference\","
      "\"tags_all\":{},\"primary_container\":[{\"image\":\"123456789012.dkr.ecr.us-east-1.amazonaws.com/demo:1\","
      "\"mode\":\"SingleModel\",\"environment\":{\"API_TOKEN\":\"!secret:new-token\",\"LOG_LEVEL\":\"debug\","
      "\"MODEL_KEY\":\"!secret:abc\",\"REGION\":\"!secret:us-east-1\",\"OLD_SECRET\":\"y\"}}]}",
      NULL, NULL);
  add_out(p, "api_token", "\"old-token\"", "\"new-token\"", true);
  add_out(p, "model_arn", NULL, "\"arn:aws:sagemaker:us-east-1:123456789012:model/demo\"", false);
  check_render(p, "sensitive.txt");
  plan_free(p);
}

static void test_nested_blocks(void) {
  /* a second variant added, the first unchanged; a data capture block
  ** added; plus a list of primitives changed in the middle */
  const char *after =
      "{\"arn\":\"arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/demo\",\"id\":\"demo\",\"name\":\"demo\","
      "\"name_prefix\":\"\",\"tags\":null,\"tags_all\":{},\"kms_key_arn\":\"\",\"execution_role_arn\":\"\","
      "\"production_variants\":[{\"variant_name\":\"primary\",\"model_name\":\"demo-model\","
      "\"initial_instance_count\":1,\"instance_type\":\"ml.t2.medium\",\"initial_variant_weight\":1,"
      "\"volume_size_in_gb\":0,\"routing_config\":[],\"serverless_config\":[],\"core_dump_config\":[],"
      "\"managed_instance_scaling\":[],\"capacity_reservation_config\":[]},"
      "{\"variant_name\":\"canary\",\"model_name\":\"demo-model-v2\",\"initial_instance_count\":1,"
      "\"instance_type\":\"ml.t2.medium\",\"initial_variant_weight\":0.1,\"volume_size_in_gb\":\"?\","
      "\"serverless_config\":[],\"routing_config\":[],\"core_dump_config\":[],\"managed_instance_scaling\":[],"
      "\"capacity_reservation_config\":[]}],"
      "\"data_capture_config\":[{\"destination_s3_uri\":\"s3://bucket/capture\",\"enable_capture\":true,"
      "\"initial_sampling_percentage\":20,\"capture_options\":[{\"capture_mode\":\"Input\"},{\"capture_mode\":"
      "\"Output\"}],\"capture_content_type_header\":[{\"json_content_types\":[\"application/json\"]}]}],"
      "\"async_inference_config\":[],\"shadow_production_variants\":[]}";
  static const char *const rp[] = {"data_capture_config", NULL};
  Plan *p = new_plan();
  add(p, "aws_sagemaker_endpoint_configuration.demo", ACT_REPLACE_DC, EPC_PRIOR, after, rp, NULL);
  check_render(p, "nested_blocks.txt");
  plan_free(p);
}

static void test_json_policy(void) {
  Plan *p = new_plan();
  char *before = role_json(NULL);
  char *after = xasprintf(
      "{\"arn\":\"arn:aws:iam::123456789012:role/inference\",\"assume_role_policy\":\"{\\\"Version\\\":\\\"2012-10-"
      "17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":{\\\"Service\\\":[\\\"sagemaker."
      "amazonaws.com\\\",\\\"lambda.amazonaws.com\\\"]},\\\"Action\\\":\\\"sts:AssumeRole\\\",\\\"Sid\\\":\\\"Trust\\\""
      "}]}\",\"create_date\":\"2026-11-27T10:00:00Z\",\"force_detach_policies\":false,\"id\":\"inference\","
      "\"managed_policy_arns\":[],\"max_session_duration\":3600,\"name\":\"inference\",\"name_prefix\":\"\","
      "\"path\":\"/\",\"tags\":{\"Team\":\"ml\"},\"tags_all\":{\"Team\":\"ml\"},\"unique_id\":\"AROAEXAMPLE\","
      "\"inline_policy\":[{\"name\":\"s3\",\"policy\":\"{\\\"Statement\\\":[{\\\"Action\\\":[\\\"s3:GetObject\\\"],"
      "\\\"Effect\\\":\\\"Allow\\\",\\\"Resource\\\":\\\"*\\\"}],\\\"Version\\\":\\\"2012-10-17\\\"}\"}]}");
  add(p, "aws_iam_role.inference", ACT_UPDATE, before, after, NULL, NULL);
  free(before);
  free(after);
  check_render(p, "json_policy.txt");
  plan_free(p);
}

static void test_instances(void) {
  Plan *p = new_plan();
  const char *topic = "{\"arn\":\"?\",\"id\":\"?\",\"name\":\"%s\",\"fifo_topic\":false,\"owner\":\"?\","
                      "\"signature_version\":\"?\",\"tags_all\":\"?\",\"policy\":\"?\"}";
  const char *prior = "{\"arn\":\"arn:aws:sns:us-east-1:123456789012:%s\",\"id\":\"arn:aws:sns:us-east-1:"
                      "123456789012:%s\",\"name\":\"%s\",\"fifo_topic\":false,\"owner\":\"123456789012\","
                      "\"signature_version\":0,\"tags_all\":{}}";
  char *t0 = xasprintf(topic, "t-0"), *t1 = xasprintf(topic, "t-1");
  char *p2 = xasprintf(prior, "t-2", "t-2", "t-2"), *pb = xasprintf(prior, "b", "b", "b");
  char *pm = xasprintf(prior, "m", "m", "m"), *pn = xasprintf(prior, "n", "n", "n");
  add(p, "aws_sns_topic.count[0]", ACT_CREATE, NULL, t0, NULL, NULL);
  add(p, "aws_sns_topic.count[1]", ACT_CREATE, NULL, t1, NULL, NULL);
  add(p, "aws_sns_topic.count[2]", ACT_DELETE, p2, NULL, NULL, "delete_because_count_index");
  add(p, "aws_sns_topic.each[\"b\"]", ACT_DELETE, pb, NULL, NULL, "delete_because_each_key");
  add(p, "aws_sns_topic.single[0]", ACT_DELETE, pn, NULL, NULL, "delete_because_wrong_repetition");
  add(p, "module.old.aws_sns_topic.m", ACT_DELETE, pm, NULL, NULL, "delete_because_no_module");
  Change *c = add(p, "aws_sns_topic.cbd", ACT_DELETE, pn, NULL, NULL, NULL);
  c->deposed = xstrdup("1a2b3c4d");
  check_render(p, "instances.txt");
  free(t0);
  free(t1);
  free(p2);
  free(pb);
  free(pm);
  free(pn);
  plan_free(p);
}

static void test_outputs(void) {
  Plan *p = new_plan();
  add_out(p, "endpoint_name", NULL, "\"demo\"", false);
  add_out(p, "instance_count", "1", "2", false);
  add_out(p, "variants", "[\"primary\"]", "[\"primary\",\"canary\"]", false);
  add_out(p, "settings", "{\"a\":1,\"b\":\"x\"}", "{\"a\":1,\"b\":\"y\",\"c\":true}", false);
  add_out(p, "role_arn", "\"arn:aws:iam::123456789012:role/old\"", "\"?\"", false);
  add_out(p, "removed", "\"gone\"", NULL, false);
  add_out(p, "nulled", "\"x\"", "null", false);
  add_out(p, "still_null", "null", "null", false);
  add_out(p, "unchanged_but_long_name", "\"same\"", "\"same\"", false);
  check_render(p, "outputs_only.txt");
  CHECK(plan_has_changes(p));
  plan_free(p);
}

static void test_multiline(void) {
  Plan *p = new_plan();
  char *before = role_json(",\"description\":\"line one\\nline two\\nline three\\n\"");
  char *after = role_json(",\"description\":\"line one\\nline 2\\nline three\\n\"");
  add(p, "aws_iam_role.inference", ACT_UPDATE, before, after, NULL, NULL);
  free(before);
  free(after);
  add(p, "aws_sns_topic.t", ACT_CREATE, NULL,
      "{\"arn\":\"?\",\"id\":\"?\",\"name\":\"t\",\"display_name\":\"first\\nsecond\",\"fifo_topic\":false,"
      "\"signature_version\":2,\"tags_all\":{}}",
      NULL, NULL);
  check_render(p, "multiline.txt");
  plan_free(p);
}

/* Lists with context lines, sets, maps, numbers, whitespace-only JSON
** changes, JSON that forces replacement, unknowns replacing values. */
static void test_collections(void) {
  Plan *p = new_plan();
  add(p, "aws_appautoscaling_policy.scale", ACT_UPDATE,
      "{\"id\":\"p\",\"name\":\"p\",\"arn\":\"arn:p\",\"alarm_arns\":[\"a1\",\"a2\",\"a3\",\"a4\",\"a5\",\"a6\",\"a7\"]}",
      "{\"id\":\"p\",\"name\":\"p\",\"arn\":\"arn:p\",\"alarm_arns\":[\"a1\",\"a2\",\"a3\",\"a4x\",\"a5\",\"a6\",\"a7\",\"a8\"]}",
      NULL, NULL);
  add(p, "aws_cloudwatch_metric_alarm.errors", ACT_UPDATE,
      "{\"id\":\"errors\",\"alarm_name\":\"errors\",\"threshold\":80,\"evaluation_periods\":2,"
      "\"alarm_actions\":[\"arn:sns:a\",\"arn:sns:b\"],\"ok_actions\":[],"
      "\"dimensions\":{\"EndpointName\":\"demo\",\"VariantName\":\"primary\"},\"tags\":{}}",
      "{\"id\":\"errors\",\"alarm_name\":\"errors\",\"threshold\":90.5,\"evaluation_periods\":2,"
      "\"alarm_actions\":[\"arn:sns:b\",\"arn:sns:c\"],\"ok_actions\":[\"arn:sns:ok\"],"
      "\"dimensions\":{\"EndpointName\":\"demo-2\",\"VariantName\":\"primary\"},\"tags\":{}}",
      NULL, NULL);
  add(p, "aws_sns_topic.ws", ACT_UPDATE,
      "{\"id\":\"ws\",\"name\":\"ws\",\"policy\":\"{\\\"Version\\\":\\\"2012-10-17\\\"}\"}",
      "{\"id\":\"ws\",\"name\":\"ws\",\"policy\":\"{ \\\"Version\\\": \\\"2012-10-17\\\" }\"}", NULL, NULL);
  static const char *const rp[] = {"policy", "arn", NULL};
  add(p, "aws_sns_topic.fifo", ACT_REPLACE_DC,
      "{\"id\":\"fifo\",\"arn\":\"arn:fifo\",\"name\":\"fifo\",\"policy\":\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[]}\"}",
      "{\"id\":\"?\",\"arn\":\"?\",\"name\":\"fifo\",\"policy\":\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Deny\\\"}]}\"}",
      rp, NULL);
  check_render(p, "collections.txt");
  plan_free(p);
}

/* Long lists go through the prefix/suffix path of the LCS; the result is
** the same diff. */
static void test_long_list(void) {
  Buf bb = BUF_INIT, ab = BUF_INIT;
  buf_puts(&bb, "{\"id\":\"p\",\"name\":\"p\",\"alarm_arns\":[");
  buf_puts(&ab, "{\"id\":\"p\",\"name\":\"p\",\"alarm_arns\":[");
  for (int i = 0; i < 3000; i++) {
    buf_printf(&bb, "%s\"a%d\"", i ? "," : "", i);
    buf_printf(&ab, "%s\"a%d%s\"", i ? "," : "", i, i == 1500 ? "x" : "");
  }
  buf_puts(&bb, "]}");
  buf_puts(&ab, "]}");
  Plan *p = new_plan();
  add(p, "aws_appautoscaling_policy.scale", ACT_UPDATE, bb.s, ab.s, NULL, NULL);
  Buf out = BUF_INIT;
  plan_render_buf(&out, p, false);
  CHECK(strstr(out.s, "            # (1499 unchanged elements hidden)\n            \"a1499\",\n          - \"a1500\",\n"
                      "          + \"a1500x\",\n            \"a1501\",\n            # (1498 unchanged elements hidden)\n") != NULL);
  buf_free(&out);
  buf_free(&bb);
  buf_free(&ab);
  plan_free(p);
}

static void test_color(void) {
  Plan *p = new_plan();
  add(p, "aws_sns_topic.t", ACT_CREATE, NULL, "{\"arn\":\"?\",\"name\":\"t\"}", NULL, NULL);
  Buf b = BUF_INIT;
  plan_render_buf(&b, p, true);
  CHECK(strstr(b.s, "\033[32m+\033[0m") != NULL);
  CHECK(strstr(b.s, "\033[1m  # aws_sns_topic.t\033[0m will be created") != NULL);
  CHECK(strstr(b.s, "\033[1mPlan:\033[0m \033[0m1 to add") != NULL);
  buf_free(&b);
  plan_render_buf(&b, p, false);
  CHECK(strchr(b.s, '\033') == NULL);
  buf_free(&b);
  plan_free(p);
}

/* The core may say why in plain words; the token comes out either way. */
static void test_reasons(void) {
  Change c = {0};
  c.action = ACT_DELETE;
  c.reason = "because aws_sns_topic.old is not in configuration";
  CHECK_STR(plan_action_reason(&c), "delete_because_no_resource_config");
  c.reason = "because aws_sns_topic.t[2] is not in configuration";
  c.key.kind = ST_KEY_INT;
  CHECK_STR(plan_action_reason(&c), "delete_because_count_index");
  c.reason = "because aws_sns_topic.t[\"b\"] is not in configuration";
  c.key.kind = ST_KEY_STR;
  CHECK_STR(plan_action_reason(&c), "delete_because_each_key");
  c.reason = "deposed object";
  CHECK(plan_action_reason(&c) == NULL);
  c.action = ACT_REPLACE_DC;
  c.reason = "tainted";
  CHECK_STR(plan_action_reason(&c), "replace_because_tainted");
  c.reason = "replace_by_request";
  CHECK_STR(plan_action_reason(&c), "replace_by_request");
  c.action = ACT_READ;
  c.reason = "config refers to values not yet known";
  CHECK_STR(plan_action_reason(&c), "read_because_config_unknown");
  c.reason = NULL;
  CHECK(plan_action_reason(&c) == NULL);
}

static void test_footer(void) {
  char *buf = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&buf, &n);
  plan_render_footer(f, NULL, false);
  plan_render_footer(f, "tfplan", false);
  fclose(f);
  golden("footer.txt", buf);
  free(buf);
}

/* ------------------------------------------------------------- JSON plan */

/* Checks that key exists in o with the cJSON type test. */
#define HAS(o, key, test)                                                                          \
  do {                                                                                             \
    const cJSON *h_ = cJSON_GetObjectItemCaseSensitive((o), (key));                                \
    if (!h_ || !test(h_)) {                                                                        \
      printf("FAIL - %s: %s:%d: %s missing or not %s\n", t_cur_name, __FILE__, __LINE__, (key), #test); \
      t_cur_failed = 1;                                                                            \
    }                                                                                              \
  } while (0)

static const cJSON *get(const cJSON *o, const char *k) { return cJSON_GetObjectItemCaseSensitive(o, k); }

static Plan *json_plan(void) {
  Plan *p = new_plan();
  p->timestamp = xstrdup("2026-11-27T10:00:00Z");
  /* instance_count is left to its default */
  p->variables = cJSON_Parse("{\"api_token\":\"s3cr3t\"}");
  add(p, "aws_iam_role.inference", ACT_CREATE, NULL,
      "{\"arn\":\"?\",\"assume_role_policy\":\"{\\\"Version\\\":\\\"2012-10-17\\\"}\",\"id\":\"?\","
      "\"name\":\"inference\",\"tags\":{\"Team\":\"ml\"},\"tags_all\":\"?\",\"managed_policy_arns\":[\"?\",\"arn:x\"],"
      "\"inline_policy\":\"?\"}",
      NULL, NULL);
  static const char *const rp[] = {"production_variants[0].instance_type", "tags[\"a.b\"]", NULL};
  add(p, "aws_sagemaker_endpoint_configuration.demo", ACT_REPLACE_DC, EPC_PRIOR,
      "{\"arn\":\"?\",\"id\":\"?\",\"name\":\"demo\",\"production_variants\":[{\"variant_name\":\"primary\","
      "\"model_name\":\"demo-model\",\"initial_instance_count\":2,\"instance_type\":\"ml.m5.large\","
      "\"initial_variant_weight\":1}],\"tags_all\":{}}",
      rp, NULL);
  add(p, "aws_sns_topic.alerts[0]", ACT_NOOP,
      "{\"arn\":\"arn:aws:sns:us-east-1:123456789012:alerts-0\",\"id\":\"arn:aws:sns:us-east-1:123456789012:alerts-0\","
      "\"name\":\"alerts-0\",\"policy\":\"!secret:{}\"}",
      "{\"arn\":\"arn:aws:sns:us-east-1:123456789012:alerts-0\",\"id\":\"arn:aws:sns:us-east-1:123456789012:alerts-0\","
      "\"name\":\"alerts-0\",\"policy\":\"!secret:{}\"}",
      NULL, NULL);
  add(p, "aws_sns_topic.alerts[1]", ACT_CREATE, NULL, "{\"arn\":\"?\",\"id\":\"?\",\"name\":\"alerts-1\"}", NULL, NULL);
  add(p, "aws_sns_topic.old[\"x\"]", ACT_DELETE, "{\"arn\":\"arn:aws:sns:us-east-1:123456789012:x\",\"name\":\"x\"}", NULL,
      NULL, "delete_because_no_resource_config");
  add(p, "data.aws_caller_identity.current", ACT_READ, NULL, "{\"id\":\"?\",\"account_id\":\"?\"}", NULL,
      "read_because_config_unknown");
  add(p, "module.alarms.aws_sns_topic.this", ACT_CREATE, NULL, "{\"arn\":\"?\",\"name\":\"alarms\"}", NULL, NULL);
  add_out(p, "role_arn", NULL, "\"?\"", false);
  add_out(p, "topic", "\"old\"", "\"alarms\"", false);
  add_out(p, "token", NULL, "\"s3cr3t\"", true);
  add_drift(p, "aws_sns_topic.alerts[0]", "aws_sns_topic",
            "{\"arn\":\"arn:aws:sns:us-east-1:123456789012:alerts-0\",\"name\":\"alerts-0\",\"display_name\":\"a\"}",
            "{\"arn\":\"arn:aws:sns:us-east-1:123456789012:alerts-0\",\"name\":\"alerts-0\",\"display_name\":\"b\"}");
  return p;
}

static State *json_prior(void) {
  const char *text =
      "{\"version\":4,\"terraform_version\":\"1.14.0\",\"serial\":3,\"lineage\":\"0f5c2a9e-1b2c-4d5e-8f90-"
      "123456789abc\",\"outputs\":{\"topic\":{\"value\":\"old\",\"type\":\"string\"}},\"resources\":[{\"mode\":"
      "\"managed\",\"type\":\"aws_sns_topic\",\"name\":\"alerts\",\"provider\":\"provider[\\\"registry.terraform.io/"
      "hashicorp/aws\\\"]\",\"instances\":[{\"index_key\":0,\"schema_version\":0,\"attributes\":{\"arn\":\"arn:aws:sns:"
      "us-east-1:123456789012:alerts-0\",\"name\":\"alerts-0\"},\"sensitive_attributes\":[]}]}],\"check_results\":null}";
  DiagList dl = {0};
  State *s = st_parse(text, strlen(text), "prior.tfstate", &dl);
  diag_free(&dl);
  return s;
}

static void test_json(void) {
  Plan *p = json_plan();
  State *prior = json_prior();
  CHECK(prior != NULL);
  DiagList dl = {0};
  CfgModule *root = cfg_load("tests/render/config", &dl);
  CHECK(!diag_has_errors(&dl));
  diag_free(&dl);
  cJSON *j = plan_to_json(p, root, prior);

  /* every field terraform.md §2.1 lists, with its type */
  HAS(j, "format_version", cJSON_IsString);
  CHECK_STR(get(j, "format_version")->valuestring, "1.2");
  HAS(j, "terraform_version", cJSON_IsString);
  HAS(j, "variables", cJSON_IsObject);
  HAS(get(j, "variables"), "instance_count", cJSON_IsObject);
  HAS(j, "planned_values", cJSON_IsObject);
  HAS(get(j, "planned_values"), "outputs", cJSON_IsObject);
  HAS(get(j, "planned_values"), "root_module", cJSON_IsObject);
  HAS(j, "resource_drift", cJSON_IsArray);
  HAS(j, "resource_changes", cJSON_IsArray);
  HAS(j, "output_changes", cJSON_IsObject);
  HAS(j, "prior_state", cJSON_IsObject);
  HAS(j, "configuration", cJSON_IsObject);
  HAS(j, "timestamp", cJSON_IsString);
  HAS(j, "applyable", cJSON_IsBool);
  HAS(j, "complete", cJSON_IsBool);
  HAS(j, "errored", cJSON_IsBool);
  CHECK(cJSON_IsTrue(get(j, "applyable")));
  const cJSON *rc;
  int nrc = 0;
  cJSON_ArrayForEach(rc, get(j, "resource_changes")) {
    nrc++;
    HAS(rc, "address", cJSON_IsString);
    HAS(rc, "mode", cJSON_IsString);
    HAS(rc, "type", cJSON_IsString);
    HAS(rc, "name", cJSON_IsString);
    HAS(rc, "provider_name", cJSON_IsString);
    HAS(rc, "change", cJSON_IsObject);
    const cJSON *c = get(rc, "change");
    HAS(c, "actions", cJSON_IsArray);
    CHECK(get(c, "before") != NULL);
    CHECK(get(c, "after_unknown") != NULL);
    CHECK(get(c, "before_sensitive") != NULL);
    CHECK(get(c, "after_sensitive") != NULL);
  }
  CHECK_INT(nrc, 7);
  /* the replace carries its paths; the create has no before */
  const cJSON *epc = cJSON_GetArrayItem(get(j, "resource_changes"), 1);
  CHECK_STR(get(epc, "address")->valuestring, "aws_sagemaker_endpoint_configuration.demo");
  HAS(get(epc, "change"), "replace_paths", cJSON_IsArray);
  const cJSON *cfg = get(get(j, "configuration"), "root_module");
  HAS(cfg, "resources", cJSON_IsArray);
  HAS(cfg, "module_calls", cJSON_IsObject);
  HAS(cfg, "variables", cJSON_IsObject);
  HAS(cfg, "outputs", cJSON_IsObject);

  char *compact = json_print(j, JSON_GO | JSON_COMPACT);
  CHECK(strchr(compact, '\n') == compact + strlen(compact) - 1);
  free(compact);
  char *pretty = json_print(j, JSON_GO);
  golden("plan.json", pretty);
  free(pretty);
  cJSON_Delete(j);

  /* nothing to do: not applyable, no resource_changes key */
  Plan *e = new_plan();
  e->timestamp = xstrdup("2026-11-27T10:00:00Z");
  cJSON *ej = plan_to_json(e, NULL, NULL);
  CHECK(!get(ej, "resource_changes"));
  CHECK(!get(ej, "prior_state"));
  CHECK(cJSON_IsFalse(get(ej, "applyable")));
  char *ec = json_print(ej, JSON_GO | JSON_COMPACT);
  CHECK_STR(ec,
            "{\"format_version\":\"1.2\",\"terraform_version\":\"" ST_WRITER_VERSION "\",\"planned_values\":{"
            "\"root_module\":{}},\"configuration\":{\"root_module\":{}},\"timestamp\":\"2026-11-27T10:00:00Z\","
            "\"applyable\":false,\"complete\":true,\"errored\":false}\n");
  free(ec);
  cJSON_Delete(ej);
  plan_free(e);

  /* Go's encoder escapes <, >, & and the line/paragraph separators */
  cJSON *sj = cJSON_CreateString("a<b>&\xe2\x80\xa8\xe2\x80\xa9\xc3\xa9");
  char *ss = json_print(sj, JSON_GO | JSON_COMPACT);
  CHECK_STR(ss, "\"a\\u003cb\\u003e\\u0026\\u2028\\u2029\xc3\xa9\"\n");
  free(ss);
  cJSON_Delete(sj);

  cfg_free(root);
  st_free(prior);
  plan_free(p);
}

int main(void) {
  RUN(test_create);
  RUN(test_update);
  RUN(test_replace);
  RUN(test_delete);
  RUN(test_noop);
  RUN(test_drift);
  RUN(test_drift_relevant);
  RUN(test_data_read);
  RUN(test_sensitive);
  RUN(test_nested_blocks);
  RUN(test_json_policy);
  RUN(test_instances);
  RUN(test_outputs);
  RUN(test_multiline);
  RUN(test_collections);
  RUN(test_long_list);
  RUN(test_color);
  RUN(test_reasons);
  RUN(test_footer);
  RUN(test_json);
  return T_END();
}
