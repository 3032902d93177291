/*
** providers/aws/sns_topic.c — aws_sns_topic (aws-provider.md §16): the
** topic alarm actions notify. CreateTopic (idempotent), GetTopicAttributes,
** SetTopicAttributes per changed attribute, DeleteTopic. id = the ARN.
*/
#include "providers/aws/aws_int.h"

#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const conflicts_name[] = {"name_prefix", NULL};
static const char *const conflicts_prefix[] = {"name", NULL};

static const SchemaAttr aws_sns_topic_attrs[] = {
    AWS_REGION_ATTR,
    {.name = "arn", .type = "string", .flags = CMP},
    {.name = "content_based_deduplication", .type = "bool", .flags = OPT, .default_json = "false"},
    {.name = "delivery_policy", .type = "string", .flags = OPT},
    {.name = "display_name", .type = "string", .flags = OPT},
    {.name = "fifo_topic", .type = "bool", .flags = OPT | FNEW, .default_json = "false"},
    {.name = "id", .type = "string", .flags = CMP},
    {.name = "kms_master_key_id", .type = "string", .flags = OPT},
    {.name = "name", .type = "string", .flags = OPTC | FNEW, .min_len = 1, .max_len = 256,
     .regex = "[A-Za-z0-9_-]+(\\.fifo)?",
     .regex_message = "must contain only alphanumeric characters, hyphens and underscores (FIFO topics end in .fifo)",
     .conflicts_with = conflicts_name},
    {.name = "name_prefix", .type = "string", .flags = OPTC | FNEW, .conflicts_with = conflicts_prefix},
    {.name = "owner", .type = "string", .flags = CMP},
    {.name = "policy", .type = "string", .flags = OPTC},
    {.name = "signature_version", .type = "number", .flags = OPTC},
    {.name = "tags", .type = "map(string)", .flags = OPT},
    {.name = "tags_all", .type = "map(string)", .flags = OPTC},
    {.name = "tracing_config", .type = "string", .flags = OPTC},
};
static const Schema aws_sns_topic_schema = SCHEMA_ATTRS(aws_sns_topic_attrs);

#define WHAT "SNS Topic"

/* tf attribute <-> topic attribute name (values are strings on the wire) */
static const char *const attr_map[][2] = {
    {"delivery_policy", "DeliveryPolicy"}, {"display_name", "DisplayName"}, {"kms_master_key_id", "KmsMasterKeyId"},
    {"policy", "Policy"},                  {"signature_version", "SignatureVersion"},
    {"tracing_config", "TracingConfig"},
};

static char *attr_text(const cJSON *plan, const char *key) {
  const cJSON *v = js_get(plan, key);
  if (cJSON_IsString(v) && v->valuestring[0]) return xstrdup(v->valuestring);
  if (cJSON_IsNumber(v)) return xasprintf("%g", v->valuedouble);
  return NULL;
}

static int topic_create(ProvCtx *p, cJSON *plan, ProvDiags *out) {
  const char *name = js_str(plan, "name");
  cJSON *req = aws_req("Name", name);
  cJSON *attrs = cJSON_CreateObject();
  if (js_bool(plan, "fifo_topic", false)) {
    cJSON_AddStringToObject(attrs, "FifoTopic", "true");
    if (js_bool(plan, "content_based_deduplication", false))
      cJSON_AddStringToObject(attrs, "ContentBasedDeduplication", "true");
  }
  for (size_t i = 0; i < NELEM(attr_map); i++) {
    char *t = attr_text(plan, attr_map[i][0]);
    if (t) cJSON_AddStringToObject(attrs, attr_map[i][1], t);
    free(t);
  }
  if (cJSON_GetArraySize(attrs) > 0) cJSON_AddItemToObject(req, "Attributes", attrs);
  else cJSON_Delete(attrs);
  cJSON *tags = aws_tags_request(p, plan, false);
  if (tags) cJSON_AddItemToObject(req, "Tags", tags);
  cJSON *resp = NULL;
  if (aws_do(p, "sns", "CreateTopic", req, &resp, "creating", WHAT, name, out)) return -1;
  js_set_str(plan, "id", js_str(resp, "TopicArn"));
  js_set_str(plan, "arn", js_str(resp, "TopicArn"));
  cJSON_Delete(resp);
  return 0;
}

static int topic_read(ProvCtx *p, cJSON *st, ProvDiags *out) {
  const char *arn = js_str(st, "id");
  if (!arn) return AWS_GONE;
  cJSON *req = aws_req("TopicArn", arn), *resp = NULL;
  AwsError e = {0};
  int rc = aws_call(p, "sns", "GetTopicAttributes", req, &resp, &e);
  cJSON_Delete(req);
  if (rc != 0) {
    int r = AWS_GONE;
    if (!aws_err_is(&e, "NotFound", NULL)) {
      aws_err_diag(out, "reading", WHAT, arn, "sns", "GetTopicAttributes", &e);
      r = AWS_FAILED;
    }
    aws_error_clear(&e);
    return r;
  }
  const cJSON *a = js_get(resp, "Attributes");
  js_set_str(st, "arn", arn);
  js_set_str(st, "owner", js_str(a, "Owner"));
  const char *colon = strrchr(arn, ':');
  const char *name = colon ? colon + 1 : arn;
  js_set_str(st, "name", name);
  char *prefix = aws_name_prefix_of(name);
  if (prefix || !js_str(st, "name_prefix")) js_set_str(st, "name_prefix", prefix);
  free(prefix);
  js_set_bool(st, "fifo_topic", js_str(a, "FifoTopic") && strcmp(js_str(a, "FifoTopic"), "true") == 0);
  js_set_bool(st, "content_based_deduplication",
              js_str(a, "ContentBasedDeduplication") && strcmp(js_str(a, "ContentBasedDeduplication"), "true") == 0);
  for (size_t i = 0; i < NELEM(attr_map); i++) {
    const char *v = js_str(a, attr_map[i][1]);
    if (strcmp(attr_map[i][0], "signature_version") == 0) {
      if (v) js_set_num(st, attr_map[i][0], atof(v));
      else js_set(st, attr_map[i][0], cJSON_CreateNull());
    } else {
      js_set_str(st, attr_map[i][0], v);
    }
  }
  char *arn_copy = xstrdup(arn);
  cJSON_Delete(resp);
  rc = aws_tags_fetch(p, &AWS_TAGS_SNS, arn_copy, st, WHAT, out);
  free(arn_copy);
  return rc ? AWS_FAILED : AWS_FOUND;
}

static int topic_update(ProvCtx *p, const cJSON *prior, cJSON *plan, ProvDiags *out) {
  const char *arn = js_str(prior, "id");
  for (size_t i = 0; i < NELEM(attr_map); i++) {
    char *a = attr_text(prior, attr_map[i][0]), *b = attr_text(plan, attr_map[i][0]);
    bool changed = (a || b) && (!a || !b || strcmp(a, b) != 0);
    int rc = 0;
    if (changed) {
      cJSON *req = aws_req("TopicArn", arn);
      cJSON_AddStringToObject(req, "AttributeName", attr_map[i][1]);
      cJSON_AddStringToObject(req, "AttributeValue", b ? b : "");
      rc = aws_do(p, "sns", "SetTopicAttributes", req, NULL, "setting", "SNS Topic attribute", arn, out);
    }
    free(a);
    free(b);
    if (rc) return -1;
  }
  if (js_bool(prior, "content_based_deduplication", false) != js_bool(plan, "content_based_deduplication", false)) {
    cJSON *req = aws_req("TopicArn", arn);
    cJSON_AddStringToObject(req, "AttributeName", "ContentBasedDeduplication");
    cJSON_AddStringToObject(req, "AttributeValue", js_bool(plan, "content_based_deduplication", false) ? "true" : "false");
    if (aws_do(p, "sns", "SetTopicAttributes", req, NULL, "setting", "SNS Topic attribute", arn, out)) return -1;
  }
  return aws_tags_update(p, &AWS_TAGS_SNS, arn, prior, plan, WHAT, out);
}

static int topic_delete(ProvCtx *p, const cJSON *prior, ProvDiags *out) {
  cJSON *req = aws_req("TopicArn", js_str(prior, "id"));
  AwsError e = {0};
  int rc = aws_call(p, "sns", "DeleteTopic", req, NULL, &e);
  cJSON_Delete(req);
  if (rc != 0 && !aws_err_is(&e, "NotFound", NULL)) {
    aws_err_diag(out, "deleting", WHAT, js_str(prior, "id"), "sns", "DeleteTopic", &e);
    aws_error_clear(&e);
    return -1;
  }
  aws_error_clear(&e);
  return 0;
}

static int topic_import(ProvCtx *p, const char *id, cJSON *st, ProvDiags *out) {
  (void)p;
  if (strncmp(id, "arn:", 4) != 0) {
    prov_diag(out, DIAG_ERROR, NULL, "Invalid import ID", "an SNS topic is imported by its ARN, got %s", id);
    return -1;
  }
  js_set_str(st, "id", id);
  return 0;
}

static const char *const topic_json_attrs[] = {"policy", "delivery_policy", NULL};

static const AwsRes aws_sns_topic_res = {
    .type = "aws_sns_topic",
    .schema = &aws_sns_topic_schema,
    .regional = true,
    .json_attrs = topic_json_attrs,
    .generated_name = true,
    .has_tags = true,
    .create = topic_create,
    .update = topic_update,
    .del = topic_delete,
    .read = topic_read,
    .import_id = topic_import,
};

AWS_RESOURCE(aws_sns_topic, "id");
