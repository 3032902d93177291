/*
** providers/aws/sagemaker_endpoint.c — aws_sagemaker_endpoint
** (aws-provider.md §8). CreateEndpoint then the InService wait (60 min);
** UpdateEndpoint when endpoint_config_name or deployment_config changes,
** then the same wait, and an update SageMaker rolled back (InService again
** on the old configuration, with a FailureReason) is an error; DeleteEndpoint
** then a wait until it is gone (10 min). Deleting is "gone" on read.
*/
#include "providers/aws/aws_int.h"

#include "base/util.h"

#include <stdlib.h>
#include <string.h>

static const char *const routing_types[] = {"ALL_AT_ONCE", "CANARY", "LINEAR", NULL};
static const char *const size_types[] = {"INSTANCE_COUNT", "CAPACITY_PERCENT", NULL};
static const char *const bg_group[] = {"blue_green_update_policy", "rolling_update_policy", NULL};

#define SM_NAME_RULES .max_len = 63, .regex = AWS_RE_SM_NAME, \
  .regex_message = "must contain only alphanumeric characters and hyphens, and must not start with a hyphen"

static const SchemaAttr alarm_attrs[] = {
    {.name = "alarm_name", .type = "string", .flags = REQ | FNEW, .min_len = 1, .max_len = 255},
};
static const Schema alarm_schema = SCHEMA_ATTRS(alarm_attrs);
static const SchemaBlock arc_blocks[] = {
    {.name = "alarms", .nesting = NEST_SET, .min_items = 1, .max_items = 10, .flags = FNEW, .schema = &alarm_schema},
};
static const Schema arc_schema = {NULL, 0, arc_blocks, 1};

static const SchemaAttr size_attrs[] = {
    {.name = "type", .type = "string", .flags = REQ, .one_of = size_types},
    {.name = "value", .type = "number", .flags = REQ, .has_range = true, .min = 1, .max = 1e9},
};
static const Schema size_schema = SCHEMA_ATTRS(size_attrs);

static const SchemaAttr trc_attrs[] = {
    {.name = "type", .type = "string", .flags = REQ, .one_of = routing_types},
    {.name = "wait_interval_in_seconds", .type = "number", .flags = REQ, .has_range = true, .min = 0, .max = 3600},
};
static const SchemaBlock trc_blocks[] = {
    {.name = "canary_size", .nesting = NEST_LIST, .max_items = 1, .schema = &size_schema},
    {.name = "linear_step_size", .nesting = NEST_LIST, .max_items = 1, .schema = &size_schema},
};
static const Schema trc_schema = SCHEMA(trc_attrs, trc_blocks);

static const SchemaAttr bg_attrs[] = {
    /* the provider still uses the older API maximum, 14400 (the API: 28800) */
    {.name = "maximum_execution_timeout_in_seconds", .type = "number", .flags = OPT, .has_range = true, .min = 600,
     .max = 14400},
    {.name = "termination_wait_in_seconds", .type = "number", .flags = OPT, .default_json = "0", .has_range = true,
     .min = 0, .max = 3600},
};
static const SchemaBlock bg_blocks[] = {
    {.name = "traffic_routing_configuration", .nesting = NEST_LIST, .min_items = 1, .max_items = 1, .schema = &trc_schema},
};
static const Schema bg_schema = SCHEMA(bg_attrs, bg_blocks);

static const SchemaAttr rolling_attrs[] = {
    {.name = "maximum_execution_timeout_in_seconds", .type = "number", .flags = OPT, .has_range = true, .min = 600,
     .max = 14400},
    {.name = "wait_interval_in_seconds", .type = "number", .flags = REQ, .has_range = true, .min = 0, .max = 3600},
};
static const SchemaBlock rolling_blocks[] = {
    {.name = "maximum_batch_size", .nesting = NEST_LIST, .min_items = 1, .max_items = 1, .schema = &size_schema},
    {.name = "rollback_maximum_batch_size", .nesting = NEST_LIST, .max_items = 1, .schema = &size_schema},
};
static const Schema rolling_schema = SCHEMA(rolling_attrs, rolling_blocks);

static const SchemaBlock dc_blocks[] = {
    {.name = "auto_rollback_configuration", .nesting = NEST_LIST, .max_items = 1, .flags = FNEW, .schema = &arc_schema},
    {.name = "blue_green_update_policy", .nesting = NEST_LIST, .max_items = 1, .schema = &bg_schema},
    {.name = "rolling_update_policy", .nesting = NEST_LIST, .max_items = 1, .schema = &rolling_schema},
};
static const Schema dc_schema = {NULL, 0, dc_blocks, NELEM(dc_blocks)};

static const SchemaAttr aws_sagemaker_endpoint_attrs[] = {
    AWS_REGION_ATTR,
    {.name = "arn", .type = "string", .flags = CMP},
    {.name = "endpoint_config_name", .type = "string", .flags = REQ, SM_NAME_RULES},
    {.name = "id", .type = "string", .flags = CMP},
    {.name = "name", .type = "string", .flags = OPTC | FNEW, SM_NAME_RULES},
    {.name = "tags", .type = "map(string)", .flags = OPT},
    {.name = "tags_all", .type = "map(string)", .flags = OPTC},
};
static const SchemaBlock aws_sagemaker_endpoint_blocks[] = {
    {.name = "deployment_config", .nesting = NEST_LIST, .max_items = 1, .schema = &dc_schema},
};
static const Schema aws_sagemaker_endpoint_schema = SCHEMA(aws_sagemaker_endpoint_attrs, aws_sagemaker_endpoint_blocks);

/* ------------------------------------------------------------ field map */

static const AwsField f_size[] = {{"type", "Type", F_STR, NULL}, {"value", "Value", F_NUM, NULL}, {0}};
static const AwsField f_trc[] = {{"type", "Type", F_STR, NULL},
                                 {"wait_interval_in_seconds", "WaitIntervalInSeconds", F_NUM, NULL},
                                 {"canary_size", "CanarySize", F_OBJ, f_size},
                                 {"linear_step_size", "LinearStepSize", F_OBJ, f_size},
                                 {0}};
static const AwsField f_bg[] = {
    {"traffic_routing_configuration", "TrafficRoutingConfiguration", F_OBJ, f_trc},
    {"termination_wait_in_seconds", "TerminationWaitInSeconds", F_NUM, NULL},
    /* sent only when > 0 */
    {"maximum_execution_timeout_in_seconds", "MaximumExecutionTimeoutInSeconds", F_NUM | F_OMIT_ZERO, NULL},
    {0}};
static const AwsField f_rolling[] = {
    {"maximum_batch_size", "MaximumBatchSize", F_OBJ, f_size},
    {"wait_interval_in_seconds", "WaitIntervalInSeconds", F_NUM, NULL},
    {"maximum_execution_timeout_in_seconds", "MaximumExecutionTimeoutInSeconds", F_NUM | F_OMIT_ZERO, NULL},
    {"rollback_maximum_batch_size", "RollbackMaximumBatchSize", F_OBJ, f_size},
    {0}};
static const AwsField f_alarm[] = {{"alarm_name", "AlarmName", F_STR, NULL}, {0}};
static const AwsField f_arc[] = {{"alarms", "Alarms", F_OBJS, f_alarm}, {0}};
static const AwsField f_dc[] = {{"blue_green_update_policy", "BlueGreenUpdatePolicy", F_OBJ, f_bg},
                                {"rolling_update_policy", "RollingUpdatePolicy", F_OBJ, f_rolling},
                                {"auto_rollback_configuration", "AutoRollbackConfiguration", F_OBJ, f_arc},
                                {0}};
static const AwsField f_endpoint[] = {{"deployment_config", "DeploymentConfig", F_OBJ, f_dc}, {0}};

#define WHAT "SageMaker AI Endpoint"

/* Timeouts and poll delay of the real provider's waiters. */
enum { WAIT_INSERVICE = 3600, WAIT_DELETED = 600, POLL = 30 };

/* Describes the endpoint: 0 with *resp, 1 when it does not exist, -1 on
** another error (diagnostic added). */
static int describe(ProvCtx *p, const char *name, cJSON **resp, ProvDiags *out) {
  cJSON *req = aws_req("EndpointName", name);
  AwsError e = {0};
  int rc = aws_call(p, "sagemaker", "DescribeEndpoint", req, resp, &e);
  cJSON_Delete(req);
  if (rc == 0) return 0;
  int r = 1;
  if (!aws_err_is(&e, "ValidationException", "Could not find endpoint")) {
    aws_err_diag(out, "reading", WHAT, name, "sagemaker", "DescribeEndpoint", &e);
    r = -1;
  }
  aws_error_clear(&e);
  return r;
}

/* The InService waiter: pending Creating/Updating/SystemUpdating, target
** InService; any other status ends it with the FailureReason. Returns the
** last DescribeEndpoint output, or NULL after a diagnostic. */
static cJSON *wait_in_service(ProvCtx *p, const char *name, const char *phase, ProvDiags *out) {
  static const char *const pending[] = {"Creating", "Updating", "SystemUpdating", NULL};
  for (int waited = 0;; waited += POLL) {
    cJSON *resp = NULL;
    int rc = describe(p, name, &resp, out);
    if (rc < 0) return NULL;
    if (rc > 0) {
      prov_diag(out, DIAG_ERROR, NULL, "waiting for SageMaker AI Endpoint",
                "waiting for SageMaker AI Endpoint (%s) %s: couldn't find resource", name, phase);
      return NULL;
    }
    const char *st = js_str(resp, "EndpointStatus");
    if (st && strcmp(st, "InService") == 0) return resp;
    bool pend = false;
    for (const char *const *q = pending; *q; q++)
      if (st && strcmp(st, *q) == 0) pend = true;
    if (!pend) {
      char *sum = xasprintf("waiting for SageMaker AI Endpoint (%s) %s: unexpected state '%s', wanted target "
                            "'InService'. last error: %s",
                            name, phase, st ? st : "", js_str(resp, "FailureReason") ? js_str(resp, "FailureReason") : "");
      prov_diag(out, DIAG_ERROR, NULL, sum, NULL);
      free(sum);
      cJSON_Delete(resp);
      return NULL;
    }
    cJSON_Delete(resp);
    if (waited >= WAIT_INSERVICE) {
      prov_diag(out, DIAG_ERROR, NULL, "waiting for SageMaker AI Endpoint",
                "waiting for SageMaker AI Endpoint (%s) %s: timeout while waiting for state to become 'InService' "
                "(last state: '%s', timeout: 1h0m0s)",
                name, phase, st ? st : "");
      return NULL;
    }
    aws_sleep(p, POLL);
  }
}

static int endpoint_create(ProvCtx *p, cJSON *plan, ProvDiags *out) {
  const char *name = js_str(plan, "name");
  cJSON *req = aws_req("EndpointName", name);
  cJSON_AddStringToObject(req, "EndpointConfigName", js_str(plan, "endpoint_config_name"));
  aws_expand(f_endpoint, plan, req);
  cJSON *tags = aws_tags_request(p, plan, false);
  if (tags) cJSON_AddItemToObject(req, "Tags", tags);
  if (aws_do(p, "sagemaker", "CreateEndpoint", req, NULL, "creating", WHAT, name, out)) return -1;
  js_set_str(plan, "id", name);
  cJSON *resp = wait_in_service(p, name, "create", out);
  if (!resp) return -1;
  cJSON_Delete(resp);
  return 0;
}

static int endpoint_read(ProvCtx *p, cJSON *st, ProvDiags *out) {
  const char *id = js_str(st, "id");
  if (!id) return AWS_GONE;
  char *name = xstrdup(id);
  cJSON *resp = NULL;
  int rc = describe(p, name, &resp, out);
  free(name);
  if (rc != 0) return rc > 0 ? AWS_GONE : AWS_FAILED;
  /* an endpoint being deleted is as good as gone */
  if (js_str(resp, "EndpointStatus") && strcmp(js_str(resp, "EndpointStatus"), "Deleting") == 0) {
    cJSON_Delete(resp);
    return AWS_GONE;
  }
  js_set_str(st, "name", js_str(resp, "EndpointName"));
  js_set_str(st, "arn", js_str(resp, "EndpointArn"));
  js_set_str(st, "endpoint_config_name", js_str(resp, "EndpointConfigName"));
  cJSON *dc = js_get(resp, "LastDeploymentConfig");
  if (dc) {
    cJSON *wrap = cJSON_CreateObject();
    cJSON_AddItemReferenceToObject(wrap, "DeploymentConfig", dc);
    aws_flatten(f_endpoint, wrap, st);
    cJSON_Delete(wrap);
  } else {
    js_set(st, "deployment_config", cJSON_CreateArray());
  }
  char *arn = xstrdup(js_str(resp, "EndpointArn") ? js_str(resp, "EndpointArn") : "");
  cJSON_Delete(resp);
  rc = aws_tags_fetch(p, &AWS_TAGS_SAGEMAKER, arn, st, WHAT, out);
  free(arn);
  return rc ? AWS_FAILED : AWS_FOUND;
}

static bool json_changed(const cJSON *a, const cJSON *b, const char *key) {
  const cJSON *x = js_get(a, key), *y = js_get(b, key);
  if ((!x || cJSON_IsNull(x)) && (!y || cJSON_IsNull(y))) return false;
  if (!x || !y) return true;
  return !cJSON_Compare(x, y, true);
}

static int endpoint_update(ProvCtx *p, const cJSON *prior, cJSON *plan, ProvDiags *out) {
  const char *name = js_str(prior, "id");
  if (aws_tags_update(p, &AWS_TAGS_SAGEMAKER, js_str(prior, "arn"), prior, plan, WHAT, out)) return -1;
  if (!json_changed(prior, plan, "endpoint_config_name") && !json_changed(prior, plan, "deployment_config")) return 0;
  const char *want = js_str(plan, "endpoint_config_name");
  cJSON *req = aws_req("EndpointName", name);
  cJSON_AddStringToObject(req, "EndpointConfigName", want);
  aws_expand(f_endpoint, plan, req);
  if (aws_do(p, "sagemaker", "UpdateEndpoint", req, NULL, "updating", WHAT, name, out)) return -1;
  cJSON *resp = wait_in_service(p, name, "update", out);
  if (!resp) return -1;
  /* SageMaker rolls a failed deployment back and returns to InService on
  ** the old configuration: that is a failed update, not a success */
  const char *now = js_str(resp, "EndpointConfigName");
  bool same_config = !json_changed(prior, plan, "endpoint_config_name");
  int rc = 0;
  /* with the configuration unchanged (deployment_config only) the name
  ** cannot tell; a FailureReason set by this update then does */
  if (!now || strcmp(now, want) != 0 || (same_config && js_str(resp, "FailureReason"))) {
    const char *why = js_str(resp, "FailureReason") ? js_str(resp, "FailureReason") : "(none given)";
    char *sum = now && strcmp(now, want) == 0
                    ? xasprintf("updating SageMaker AI Endpoint (%s): update failed and was rolled back. FailureReason: %s",
                                name, why)
                    : xasprintf("updating SageMaker AI Endpoint (%s): update failed and was rolled back: the endpoint "
                                "is InService on endpoint configuration %s, not %s. FailureReason: %s",
                                name, now ? now : "", want, why);
    prov_diag(out, DIAG_ERROR, NULL, sum, NULL);
    free(sum);
    rc = -1;
  }
  cJSON_Delete(resp);
  return rc;
}

static int endpoint_delete(ProvCtx *p, const cJSON *prior, ProvDiags *out) {
  const char *name = js_str(prior, "id");
  cJSON *req = aws_req("EndpointName", name);
  AwsError e = {0};
  int rc = aws_call(p, "sagemaker", "DeleteEndpoint", req, NULL, &e);
  cJSON_Delete(req);
  if (rc != 0) {
    if (aws_err_is(&e, "ValidationException", "Could not find endpoint")) {
      aws_error_clear(&e);
      return 0;
    }
    aws_err_diag(out, "deleting", WHAT, name, "sagemaker", "DeleteEndpoint", &e);
    aws_error_clear(&e);
    return -1;
  }
  for (int waited = 0;; waited += POLL) {
    cJSON *resp = NULL;
    int r = describe(p, name, &resp, out);
    if (r > 0) return 0;
    if (r < 0) return -1;
    const char *st = js_str(resp, "EndpointStatus");
    bool deleting = st && strcmp(st, "Deleting") == 0;
    if (!deleting || waited >= WAIT_DELETED) {
      char *sum = deleting ? xasprintf("waiting for SageMaker AI Endpoint (%s) delete: timeout while waiting for "
                                       "resource to be gone (last state: 'Deleting', timeout: 10m0s)",
                                       name)
                           : xasprintf("waiting for SageMaker AI Endpoint (%s) delete: unexpected state '%s', wanted "
                                       "target ''. last error: %s",
                                       name, st ? st : "",
                                       js_str(resp, "FailureReason") ? js_str(resp, "FailureReason") : "");
      prov_diag(out, DIAG_ERROR, NULL, sum, NULL);
      free(sum);
      cJSON_Delete(resp);
      return -1;
    }
    cJSON_Delete(resp);
    aws_sleep(p, POLL);
  }
}

static int endpoint_import(ProvCtx *p, const char *id, cJSON *st, ProvDiags *out) {
  (void)p;
  (void)out;
  js_set_str(st, "id", id);
  return 0;
}

/* deployment_config: exactly one of blue_green_update_policy and
** rolling_update_policy (blocks, which the declarative rules do not
** cover). */
static void endpoint_validate(const Value *config, ProvDiags *out) {
  cJSON *c = aws_val_json(config);
  const cJSON *dc = js_block(c, "deployment_config");
  if (dc) {
    int n = 0;
    for (const char *const *g = bg_group; *g; g++) n += cJSON_GetArraySize(js_get(dc, *g)) > 0;
    if (n != 1)
      prov_diag(out, DIAG_ERROR, "deployment_config[0]", "Invalid combination of arguments",
                n ? "\"deployment_config.0.blue_green_update_policy\": only one of "
                    "`deployment_config.0.blue_green_update_policy,deployment_config.0.rolling_update_policy` can be "
                    "specified, but `deployment_config.0.blue_green_update_policy,deployment_config.0.rolling_update_"
                    "policy` were specified."
                  : "\"deployment_config.0.blue_green_update_policy\": one of "
                    "`deployment_config.0.blue_green_update_policy,deployment_config.0.rolling_update_policy` must be "
                    "specified");
  }
  cJSON_Delete(c);
}

static const AwsRes aws_sagemaker_endpoint_res = {
    .type = "aws_sagemaker_endpoint",
    .schema = &aws_sagemaker_endpoint_schema,
    .regional = true,
    .generated_name = true,
    .has_tags = true,
    .create = endpoint_create,
    .update = endpoint_update,
    .del = endpoint_delete,
    .read = endpoint_read,
    .import_id = endpoint_import,
    .validate = endpoint_validate,
};

AWS_RESOURCE(aws_sagemaker_endpoint, "id");
