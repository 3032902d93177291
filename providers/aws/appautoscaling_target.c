/*
** providers/aws/appautoscaling_target.c — aws_appautoscaling_target
** (aws-provider.md §9). RegisterScalableTarget on create and on any
** non-tag change (an upsert), DescribeScalableTargets on read,
** DeregisterScalableTarget then a wait until it is gone on delete.
** id = resource_id; import "<namespace>/<resource-id>/<dimension>".
*/
#include "providers/aws/aws_int.h"

#include "base/util.h"

#include <stdlib.h>
#include <string.h>

static const SchemaAttr suspended_attrs[] = {
    {.name = "dynamic_scaling_in_suspended", .type = "bool", .flags = OPT, .default_json = "false"},
    {.name = "dynamic_scaling_out_suspended", .type = "bool", .flags = OPT, .default_json = "false"},
    {.name = "scheduled_scaling_suspended", .type = "bool", .flags = OPT, .default_json = "false"},
};
static const Schema suspended_schema = SCHEMA_ATTRS(suspended_attrs);

static const SchemaAttr aws_appautoscaling_target_attrs[] = {
    AWS_REGION_ATTR,
    {.name = "arn", .type = "string", .flags = CMP},
    {.name = "id", .type = "string", .flags = CMP},
    {.name = "max_capacity", .type = "number", .flags = REQ},
    {.name = "min_capacity", .type = "number", .flags = REQ},
    {.name = "resource_id", .type = "string", .flags = REQ | FNEW},
    {.name = "role_arn", .type = "string", .flags = OPTC},
    {.name = "scalable_dimension", .type = "string", .flags = REQ | FNEW},
    {.name = "service_namespace", .type = "string", .flags = REQ | FNEW},
    {.name = "tags", .type = "map(string)", .flags = OPT},
    {.name = "tags_all", .type = "map(string)", .flags = OPTC},
};
static const SchemaBlock aws_appautoscaling_target_blocks[] = {
    {.name = "suspended_state", .nesting = NEST_LIST, .max_items = 1, .flags = SA_COMPUTED, .schema = &suspended_schema},
};
static const Schema aws_appautoscaling_target_schema =
    SCHEMA(aws_appautoscaling_target_attrs, aws_appautoscaling_target_blocks);

static const AwsField f_suspended[] = {
    {"dynamic_scaling_in_suspended", "DynamicScalingInSuspended", F_BOOL, NULL},
    {"dynamic_scaling_out_suspended", "DynamicScalingOutSuspended", F_BOOL, NULL},
    {"scheduled_scaling_suspended", "ScheduledScalingSuspended", F_BOOL, NULL},
    {0}};
static const AwsField f_target[] = {
    {"service_namespace", "ServiceNamespace", F_STR, NULL},
    {"resource_id", "ResourceId", F_STR, NULL},
    {"scalable_dimension", "ScalableDimension", F_STR, NULL},
    {"min_capacity", "MinCapacity", F_NUM, NULL},
    {"max_capacity", "MaxCapacity", F_NUM, NULL},
    {"role_arn", "RoleARN", F_STR, NULL},
    {"suspended_state", "SuspendedState", F_OBJ, f_suspended},
    {0}};

#define SVC "application-autoscaling"
#define WHAT "Application AutoScaling Target"

static int do_register(ProvCtx *p, const cJSON *plan, cJSON **resp, ProvDiags *out) {
  cJSON *req = cJSON_CreateObject();
  aws_expand(f_target, plan, req);
  AwsError e = {0};
  int rc = aws_call_retry(p, SVC, "RegisterScalableTarget", req, resp, &e, 120, "ValidationException",
                          "Unable to assume IAM role");
  cJSON_Delete(req);
  if (rc != 0) {
    aws_err_diag(out, "registering", WHAT, js_str(plan, "resource_id"), SVC, "RegisterScalableTarget", &e);
    aws_error_clear(&e);
  }
  return rc;
}

static int target_create(ProvCtx *p, cJSON *plan, ProvDiags *out) {
  cJSON *resp = NULL;
  if (do_register(p, plan, &resp, out)) return -1;
  js_set_str(plan, "id", js_str(plan, "resource_id"));
  char *arn = js_str(resp, "ScalableTargetARN") ? xstrdup(js_str(resp, "ScalableTargetARN")) : NULL;
  cJSON_Delete(resp);
  int rc = 0;
  /* tags are applied with TagResource (the API's map shape) right after */
  cJSON *tags = aws_tags_request(p, plan, true);
  if (tags && arn) {
    cJSON *req = aws_req("ResourceARN", arn);
    cJSON_AddItemToObject(req, "Tags", tags);
    rc = aws_do(p, SVC, "TagResource", req, NULL, "tagging", WHAT, arn, out);
  } else {
    cJSON_Delete(tags);
  }
  free(arn);
  return rc;
}

/* The one registered target matching the state, or NULL (gone). */
static cJSON *find_target(ProvCtx *p, const cJSON *st, int *rc, ProvDiags *out) {
  cJSON *req = cJSON_CreateObject();
  cJSON_AddStringToObject(req, "ServiceNamespace", js_str(st, "service_namespace") ? js_str(st, "service_namespace") : "");
  cJSON *ids = cJSON_AddArrayToObject(req, "ResourceIds");
  cJSON_AddItemToArray(ids, cJSON_CreateString(js_str(st, "resource_id") ? js_str(st, "resource_id") : ""));
  if (js_str(st, "scalable_dimension")) cJSON_AddStringToObject(req, "ScalableDimension", js_str(st, "scalable_dimension"));
  cJSON *resp = NULL;
  *rc = aws_do(p, SVC, "DescribeScalableTargets", req, &resp, "reading", WHAT, js_str(st, "resource_id"), out);
  if (*rc) return NULL;
  cJSON *found = NULL;
  cJSON *t;
  cJSON_ArrayForEach(t, js_get(resp, "ScalableTargets")) {
    if (js_str(t, "ResourceId") && js_str(st, "resource_id") && strcmp(js_str(t, "ResourceId"), js_str(st, "resource_id")) == 0 &&
        js_str(t, "ScalableDimension") && js_str(st, "scalable_dimension") &&
        strcmp(js_str(t, "ScalableDimension"), js_str(st, "scalable_dimension")) == 0) {
      found = cJSON_Duplicate(t, 1);
      break;
    }
  }
  cJSON_Delete(resp);
  return found;
}

static int target_read(ProvCtx *p, cJSON *st, ProvDiags *out) {
  int rc;
  cJSON *t = find_target(p, st, &rc, out);
  if (rc) return AWS_FAILED;
  if (!t) return AWS_GONE;
  aws_flatten(f_target, t, st);
  js_set_str(st, "id", js_str(t, "ResourceId"));
  js_set_str(st, "arn", js_str(t, "ScalableTargetARN"));
  char *arn = js_str(t, "ScalableTargetARN") ? xstrdup(js_str(t, "ScalableTargetARN")) : NULL;
  cJSON_Delete(t);
  rc = 0;
  if (arn) rc = aws_tags_fetch(p, &AWS_TAGS_AUTOSCALING, arn, st, WHAT, out);
  else {
    cJSON *none = cJSON_CreateObject();
    aws_tags_read(p, st, none);
    cJSON_Delete(none);
  }
  free(arn);
  return rc ? AWS_FAILED : AWS_FOUND;
}

static bool differs(const cJSON *a, const cJSON *b, const char *key) {
  const cJSON *x = js_get(a, key), *y = js_get(b, key);
  if ((!x || cJSON_IsNull(x)) && (!y || cJSON_IsNull(y))) return false;
  return !x || !y || !cJSON_Compare(x, y, true);
}

static int target_update(ProvCtx *p, const cJSON *prior, cJSON *plan, ProvDiags *out) {
  static const char *const fields[] = {"min_capacity", "max_capacity", "role_arn", "suspended_state"};
  bool changed = false;
  for (size_t i = 0; i < NELEM(fields); i++) changed |= differs(prior, plan, fields[i]);
  if (changed) {
    cJSON *resp = NULL;
    if (do_register(p, plan, &resp, out)) return -1;
    cJSON_Delete(resp);
  }
  if (!js_str(prior, "arn")) return 0;
  return aws_tags_update(p, &AWS_TAGS_AUTOSCALING, js_str(prior, "arn"), prior, plan, WHAT, out);
}

static int target_delete(ProvCtx *p, const cJSON *prior, ProvDiags *out) {
  cJSON *req = cJSON_CreateObject();
  aws_expand(f_target, prior, req);
  cJSON_DeleteItemFromObjectCaseSensitive(req, "MinCapacity");
  cJSON_DeleteItemFromObjectCaseSensitive(req, "MaxCapacity");
  cJSON_DeleteItemFromObjectCaseSensitive(req, "RoleARN");
  cJSON_DeleteItemFromObjectCaseSensitive(req, "SuspendedState");
  AwsError e = {0};
  int rc = aws_call(p, SVC, "DeregisterScalableTarget", req, NULL, &e);
  cJSON_Delete(req);
  if (rc != 0) {
    if (aws_err_is(&e, "ObjectNotFoundException", NULL)) {
      aws_error_clear(&e);
      return 0;
    }
    aws_err_diag(out, "deregistering", WHAT, js_str(prior, "id"), SVC, "DeregisterScalableTarget", &e);
    aws_error_clear(&e);
    return -1;
  }
  for (int waited = 0; waited <= 300; waited += 5) {
    cJSON *t = find_target(p, prior, &rc, out);
    if (rc) return -1;
    if (!t) return 0;
    cJSON_Delete(t);
    aws_sleep(p, 5);
  }
  prov_diag(out, DIAG_ERROR, NULL, "waiting for Application AutoScaling Target",
            "waiting for Application AutoScaling Target (%s) delete: timeout", js_str(prior, "id"));
  return -1;
}

/* "<namespace>/<resource-id>/<dimension>": the first segment, the last,
** and everything between. */
static int target_import(ProvCtx *p, const char *id, cJSON *st, ProvDiags *out) {
  (void)p;
  const char *first = strchr(id, '/'), *last = strrchr(id, '/');
  if (!first || first == last || first == id || !last[1]) {
    prov_diag(out, DIAG_ERROR, NULL, "Invalid import ID",
              "unexpected format (%s), expected <service-namespace>/<resource-id>/<scalable-dimension>", id);
    return -1;
  }
  char *ns = xstrndup(id, (size_t)(first - id)), *rid = xstrndup(first + 1, (size_t)(last - first - 1));
  js_set_str(st, "service_namespace", ns);
  js_set_str(st, "resource_id", rid);
  js_set_str(st, "scalable_dimension", last + 1);
  js_set_str(st, "id", rid);
  free(ns);
  free(rid);
  return 0;
}

static const AwsRes aws_appautoscaling_target_res = {
    .type = "aws_appautoscaling_target",
    .schema = &aws_appautoscaling_target_schema,
    .regional = true,
    .has_tags = true,
    .create = target_create,
    .update = target_update,
    .del = target_delete,
    .read = target_read,
    .import_id = target_import,
};

AWS_RESOURCE(aws_appautoscaling_target, "id");
