/*
** providers/aws/appautoscaling_policy.c — aws_appautoscaling_policy
** (aws-provider.md §10). PutScalingPolicy on create and update (an upsert),
** DescribeScalingPolicies on read, DeleteScalingPolicy on delete. As the
** real provider, cooldowns are sent as 0 when left out (so AWS's 300 s
** default for SageMaker does not apply) and policy_type defaults to
** StepScaling. id = name; import "<ns>/<resource-id>/<dimension>/<name>".
*/
#include "providers/aws/aws_int.h"

#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const policy_types[] = {"StepScaling", "TargetTrackingScaling", "PredictiveScaling", NULL};
static const char *const statistics[] = {"Average", "Minimum", "Maximum", "SampleCount", "Sum", NULL};
static const char *const adjustment_types[] = {"ChangeInCapacity", "PercentChangeInCapacity", "ExactCapacity", NULL};
static const char *const aggregation_types[] = {"Average", "Minimum", "Maximum", NULL};

static const SchemaAttr dim_attrs[] = {
    {.name = "name", .type = "string", .flags = REQ},
    {.name = "value", .type = "string", .flags = REQ},
};
static const Schema dim_schema = SCHEMA_ATTRS(dim_attrs);

static const SchemaAttr metric_attrs[] = {
    {.name = "metric_name", .type = "string", .flags = REQ},
    {.name = "namespace", .type = "string", .flags = REQ},
};
static const SchemaBlock metric_blocks[] = {
    {.name = "dimensions", .nesting = NEST_SET, .schema = &dim_schema},
};
static const Schema metric_schema = SCHEMA(metric_attrs, metric_blocks);

static const SchemaAttr metric_stat_attrs[] = {
    {.name = "stat", .type = "string", .flags = REQ, .min_len = 1, .max_len = 100},
    {.name = "unit", .type = "string", .flags = OPT},
};
static const SchemaBlock metric_stat_blocks[] = {
    {.name = "metric", .nesting = NEST_LIST, .min_items = 1, .max_items = 1, .schema = &metric_schema},
};
static const Schema metric_stat_schema = SCHEMA(metric_stat_attrs, metric_stat_blocks);

static const SchemaAttr metrics_attrs[] = {
    {.name = "expression", .type = "string", .flags = OPT, .min_len = 1, .max_len = 2047},
    {.name = "id", .type = "string", .flags = REQ, .min_len = 1, .max_len = 255},
    {.name = "label", .type = "string", .flags = OPT, .min_len = 1, .max_len = 2047},
    {.name = "return_data", .type = "bool", .flags = OPT, .default_json = "true"},
};
static const SchemaBlock metrics_blocks[] = {
    {.name = "metric_stat", .nesting = NEST_LIST, .max_items = 1, .schema = &metric_stat_schema},
};
static const Schema metrics_schema = SCHEMA(metrics_attrs, metrics_blocks);

static const char *const conflicts_metrics[] = {"metrics", NULL};
static const SchemaAttr customized_attrs[] = {
    {.name = "metric_name", .type = "string", .flags = OPT, .conflicts_with = conflicts_metrics},
    {.name = "namespace", .type = "string", .flags = OPT, .conflicts_with = conflicts_metrics},
    {.name = "statistic", .type = "string", .flags = OPT, .one_of = statistics, .conflicts_with = conflicts_metrics},
    {.name = "unit", .type = "string", .flags = OPT, .conflicts_with = conflicts_metrics},
};
static const SchemaBlock customized_blocks[] = {
    {.name = "dimensions", .nesting = NEST_SET, .schema = &dim_schema},
    {.name = "metrics", .nesting = NEST_SET, .schema = &metrics_schema},
};
static const Schema customized_schema = SCHEMA(customized_attrs, customized_blocks);

static const SchemaAttr predefined_attrs[] = {
    {.name = "predefined_metric_type", .type = "string", .flags = REQ},
    {.name = "resource_label", .type = "string", .flags = OPT, .max_len = 1023},
};
static const Schema predefined_schema = SCHEMA_ATTRS(predefined_attrs);

static const SchemaAttr tt_attrs[] = {
    {.name = "disable_scale_in", .type = "bool", .flags = OPT, .default_json = "false"},
    {.name = "scale_in_cooldown", .type = "number", .flags = OPT},
    {.name = "scale_out_cooldown", .type = "number", .flags = OPT},
    {.name = "target_value", .type = "number", .flags = REQ},
};
static const SchemaBlock tt_blocks[] = {
    {.name = "customized_metric_specification", .nesting = NEST_LIST, .max_items = 1, .schema = &customized_schema},
    {.name = "predefined_metric_specification", .nesting = NEST_LIST, .max_items = 1, .schema = &predefined_schema},
};
static const Schema tt_schema = SCHEMA(tt_attrs, tt_blocks);

static const SchemaAttr step_adj_attrs[] = {
    {.name = "metric_interval_lower_bound", .type = "string", .flags = OPT},
    {.name = "metric_interval_upper_bound", .type = "string", .flags = OPT},
    {.name = "scaling_adjustment", .type = "number", .flags = REQ},
};
static const Schema step_adj_schema = SCHEMA_ATTRS(step_adj_attrs);

static const SchemaAttr step_attrs[] = {
    {.name = "adjustment_type", .type = "string", .flags = OPT, .one_of = adjustment_types},
    {.name = "cooldown", .type = "number", .flags = OPT},
    {.name = "metric_aggregation_type", .type = "string", .flags = OPT, .one_of = aggregation_types},
    {.name = "min_adjustment_magnitude", .type = "number", .flags = OPT},
};
static const SchemaBlock step_blocks[] = {
    {.name = "step_adjustment", .nesting = NEST_SET, .schema = &step_adj_schema},
};
static const Schema step_schema = SCHEMA(step_attrs, step_blocks);

/* Predictive scaling: the predefined metric forms. */
static const SchemaAttr pred_metric_attrs[] = {
    {.name = "predefined_metric_type", .type = "string", .flags = REQ, .min_len = 1, .max_len = 128},
    {.name = "resource_label", .type = "string", .flags = OPT, .min_len = 1, .max_len = 1023},
};
static const Schema pred_metric_schema = SCHEMA_ATTRS(pred_metric_attrs);
static const SchemaAttr pred_spec_attrs[] = {
    {.name = "target_value", .type = "number", .flags = REQ},
};
static const SchemaBlock pred_spec_blocks[] = {
    {.name = "predefined_load_metric_specification", .nesting = NEST_LIST, .max_items = 1, .schema = &pred_metric_schema},
    {.name = "predefined_metric_pair_specification", .nesting = NEST_LIST, .max_items = 1, .schema = &pred_metric_schema},
    {.name = "predefined_scaling_metric_specification", .nesting = NEST_LIST, .max_items = 1,
     .schema = &pred_metric_schema},
};
static const Schema pred_spec_schema = SCHEMA(pred_spec_attrs, pred_spec_blocks);
static const SchemaAttr pred_attrs[] = {
    {.name = "max_capacity_breach_behavior", .type = "string", .flags = OPT,
     .one_of = (const char *const[]){"HonorMaxCapacity", "IncreaseMaxCapacity", NULL}},
    {.name = "max_capacity_buffer", .type = "number", .flags = OPT, .has_range = true, .min = 0, .max = 100},
    {.name = "mode", .type = "string", .flags = OPTC,
     .one_of = (const char *const[]){"ForecastOnly", "ForecastAndScale", NULL}},
    {.name = "scheduling_buffer_time", .type = "number", .flags = OPTC, .has_range = true, .min = 0, .max = 3600},
};
static const SchemaBlock pred_blocks[] = {
    {.name = "metric_specification", .nesting = NEST_LIST, .min_items = 1, .schema = &pred_spec_schema},
};
static const Schema pred_schema = SCHEMA(pred_attrs, pred_blocks);

static const SchemaAttr aws_appautoscaling_policy_attrs[] = {
    AWS_REGION_ATTR,
    {.name = "alarm_arns", .type = "list(string)", .flags = CMP},
    {.name = "arn", .type = "string", .flags = CMP},
    {.name = "id", .type = "string", .flags = CMP},
    {.name = "name", .type = "string", .flags = REQ | FNEW, .max_len = 255},
    {.name = "policy_type", .type = "string", .flags = OPT, .default_json = "\"StepScaling\"", .one_of = policy_types},
    {.name = "resource_id", .type = "string", .flags = REQ | FNEW},
    {.name = "scalable_dimension", .type = "string", .flags = REQ | FNEW},
    {.name = "service_namespace", .type = "string", .flags = REQ | FNEW},
};
static const SchemaBlock aws_appautoscaling_policy_blocks[] = {
    {.name = "predictive_scaling_policy_configuration", .nesting = NEST_LIST, .max_items = 1, .schema = &pred_schema},
    {.name = "step_scaling_policy_configuration", .nesting = NEST_LIST, .max_items = 1, .schema = &step_schema},
    {.name = "target_tracking_scaling_policy_configuration", .nesting = NEST_LIST, .max_items = 1, .schema = &tt_schema},
};
static const Schema aws_appautoscaling_policy_schema =
    SCHEMA(aws_appautoscaling_policy_attrs, aws_appautoscaling_policy_blocks);

/* ------------------------------------------------------------ field map */

static const AwsField f_dim[] = {{"name", "Name", F_STR, NULL}, {"value", "Value", F_STR, NULL}, {0}};
static const AwsField f_metric[] = {{"metric_name", "MetricName", F_STR, NULL},
                                    {"namespace", "Namespace", F_STR, NULL},
                                    {"dimensions", "Dimensions", F_OBJS, f_dim},
                                    {0}};
static const AwsField f_metric_stat[] = {{"metric", "Metric", F_OBJ, f_metric},
                                         {"stat", "Stat", F_STR, NULL},
                                         {"unit", "Unit", F_STR, NULL},
                                         {0}};
static const AwsField f_metrics[] = {{"id", "Id", F_STR, NULL},
                                     {"expression", "Expression", F_STR, NULL},
                                     {"label", "Label", F_STR, NULL},
                                     {"return_data", "ReturnData", F_BOOL, NULL},
                                     {"metric_stat", "MetricStat", F_OBJ, f_metric_stat},
                                     {0}};
static const AwsField f_customized[] = {{"metric_name", "MetricName", F_STR, NULL},
                                        {"namespace", "Namespace", F_STR, NULL},
                                        {"statistic", "Statistic", F_STR, NULL},
                                        {"unit", "Unit", F_STR, NULL},
                                        {"dimensions", "Dimensions", F_OBJS, f_dim},
                                        {"metrics", "Metrics", F_OBJS, f_metrics},
                                        {0}};
static const AwsField f_predefined[] = {{"predefined_metric_type", "PredefinedMetricType", F_STR, NULL},
                                        {"resource_label", "ResourceLabel", F_STR, NULL},
                                        {0}};
static const AwsField f_tt[] = {{"target_value", "TargetValue", F_NUM, NULL},
                                {"disable_scale_in", "DisableScaleIn", F_BOOL, NULL},
                                {"scale_in_cooldown", "ScaleInCooldown", F_NUM, NULL},
                                {"scale_out_cooldown", "ScaleOutCooldown", F_NUM, NULL},
                                {"predefined_metric_specification", "PredefinedMetricSpecification", F_OBJ, f_predefined},
                                {"customized_metric_specification", "CustomizedMetricSpecification", F_OBJ, f_customized},
                                {0}};
static const AwsField f_step[] = {{"adjustment_type", "AdjustmentType", F_STR, NULL},
                                  {"cooldown", "Cooldown", F_NUM, NULL},
                                  {"metric_aggregation_type", "MetricAggregationType", F_STR, NULL},
                                  {"min_adjustment_magnitude", "MinAdjustmentMagnitude", F_NUM | F_OMIT_ZERO, NULL},
                                  {0}};
static const AwsField f_pred_metric[] = {{"predefined_metric_type", "PredefinedMetricType", F_STR, NULL},
                                         {"resource_label", "ResourceLabel", F_STR, NULL},
                                         {0}};
static const AwsField f_pred_spec[] = {
    {"target_value", "TargetValue", F_NUM, NULL},
    {"predefined_load_metric_specification", "PredefinedLoadMetricSpecification", F_OBJ, f_pred_metric},
    {"predefined_metric_pair_specification", "PredefinedMetricPairSpecification", F_OBJ, f_pred_metric},
    {"predefined_scaling_metric_specification", "PredefinedScalingMetricSpecification", F_OBJ, f_pred_metric},
    {0}};
static const AwsField f_pred[] = {{"metric_specification", "MetricSpecifications", F_OBJS, f_pred_spec},
                                  {"mode", "Mode", F_STR, NULL},
                                  {"scheduling_buffer_time", "SchedulingBufferTime", F_NUM, NULL},
                                  {"max_capacity_breach_behavior", "MaxCapacityBreachBehavior", F_STR, NULL},
                                  {"max_capacity_buffer", "MaxCapacityBuffer", F_NUM, NULL},
                                  {0}};
static const AwsField f_policy[] = {
    {"name", "PolicyName", F_STR, NULL},
    {"service_namespace", "ServiceNamespace", F_STR, NULL},
    {"resource_id", "ResourceId", F_STR, NULL},
    {"scalable_dimension", "ScalableDimension", F_STR, NULL},
    {"policy_type", "PolicyType", F_STR, NULL},
    {"target_tracking_scaling_policy_configuration", "TargetTrackingScalingPolicyConfiguration", F_OBJ, f_tt},
    {"step_scaling_policy_configuration", "StepScalingPolicyConfiguration", F_OBJ, f_step},
    {"predictive_scaling_policy_configuration", "PredictiveScalingPolicyConfiguration", F_OBJ, f_pred},
    {0}};

#define SVC "application-autoscaling"
#define WHAT "Application AutoScaling Policy"

static void default_zero(cJSON *o, const char *key) {
  if (o && !js_get(o, key)) cJSON_AddNumberToObject(o, key, 0);
}

static int put_policy(ProvCtx *p, cJSON *plan, ProvDiags *out) {
  cJSON *req = cJSON_CreateObject();
  aws_expand(f_policy, plan, req);
  cJSON *tt = js_get(req, "TargetTrackingScalingPolicyConfiguration");
  default_zero(tt, "ScaleInCooldown");
  default_zero(tt, "ScaleOutCooldown");
  cJSON *step = js_get(req, "StepScalingPolicyConfiguration");
  default_zero(step, "Cooldown");
  if (step) {
    /* interval bounds are strings in state ("" = unset), numbers on the wire */
    cJSON *adj = cJSON_AddArrayToObject(step, "StepAdjustments");
    const cJSON *e;
    cJSON_ArrayForEach(e, js_get(js_block(plan, "step_scaling_policy_configuration"), "step_adjustment")) {
      cJSON *o = cJSON_CreateObject();
      cJSON_AddNumberToObject(o, "ScalingAdjustment", js_num(e, "scaling_adjustment", 0));
      if (js_str(e, "metric_interval_lower_bound"))
        cJSON_AddNumberToObject(o, "MetricIntervalLowerBound", atof(js_str(e, "metric_interval_lower_bound")));
      if (js_str(e, "metric_interval_upper_bound"))
        cJSON_AddNumberToObject(o, "MetricIntervalUpperBound", atof(js_str(e, "metric_interval_upper_bound")));
      cJSON_AddItemToArray(adj, o);
    }
  }
  AwsError e = {0};
  int rc = aws_call_retry(p, SVC, "PutScalingPolicy", req, NULL, &e, 120, "FailedResourceAccessException", NULL);
  cJSON_Delete(req);
  if (rc != 0) {
    aws_err_diag(out, "putting", WHAT, js_str(plan, "name"), SVC, "PutScalingPolicy", &e);
    aws_error_clear(&e);
  }
  return rc;
}

static int policy_create(ProvCtx *p, cJSON *plan, ProvDiags *out) {
  if (put_policy(p, plan, out)) return -1;
  js_set_str(plan, "id", js_str(plan, "name"));
  return 0;
}

static int policy_update(ProvCtx *p, const cJSON *prior, cJSON *plan, ProvDiags *out) {
  (void)prior;
  return put_policy(p, plan, out);
}

static char *bound_text(const cJSON *o, const char *key) {
  const cJSON *v = js_get(o, key);
  if (!cJSON_IsNumber(v)) return NULL;
  char buf[64];
  snprintf(buf, sizeof buf, "%g", v->valuedouble);
  return xstrdup(buf);
}

static int policy_read(ProvCtx *p, cJSON *st, ProvDiags *out) {
  const char *name = js_str(st, "name") ? js_str(st, "name") : js_str(st, "id");
  cJSON *req = cJSON_CreateObject();
  cJSON *names = cJSON_AddArrayToObject(req, "PolicyNames");
  cJSON_AddItemToArray(names, cJSON_CreateString(name ? name : ""));
  cJSON_AddStringToObject(req, "ServiceNamespace", js_str(st, "service_namespace") ? js_str(st, "service_namespace") : "");
  cJSON_AddStringToObject(req, "ResourceId", js_str(st, "resource_id") ? js_str(st, "resource_id") : "");
  if (js_str(st, "scalable_dimension")) cJSON_AddStringToObject(req, "ScalableDimension", js_str(st, "scalable_dimension"));
  cJSON *resp = NULL;
  AwsError e = {0};
  int rc = aws_call(p, SVC, "DescribeScalingPolicies", req, &resp, &e);
  cJSON_Delete(req);
  if (rc != 0) {
    int r = AWS_GONE;
    if (!aws_err_is(&e, "ObjectNotFoundException", NULL)) {
      aws_err_diag(out, "reading", WHAT, name, SVC, "DescribeScalingPolicies", &e);
      r = AWS_FAILED;
    }
    aws_error_clear(&e);
    return r;
  }
  const cJSON *found = NULL, *pol;
  cJSON_ArrayForEach(pol, js_get(resp, "ScalingPolicies")) {
    if (name && js_str(pol, "PolicyName") && strcmp(js_str(pol, "PolicyName"), name) == 0 &&
        (!js_str(st, "scalable_dimension") ||
         (js_str(pol, "ScalableDimension") && strcmp(js_str(pol, "ScalableDimension"), js_str(st, "scalable_dimension")) == 0)))
      found = pol;
  }
  if (!found) {
    cJSON_Delete(resp);
    return AWS_GONE;
  }
  aws_flatten(f_policy, found, st);
  js_set_str(st, "id", js_str(found, "PolicyName"));
  js_set_str(st, "arn", js_str(found, "PolicyARN"));
  cJSON *alarms = cJSON_CreateArray();
  const cJSON *a;
  cJSON_ArrayForEach(a, js_get(found, "Alarms")) if (js_str(a, "AlarmARN"))
      cJSON_AddItemToArray(alarms, cJSON_CreateString(js_str(a, "AlarmARN")));
  js_set(st, "alarm_arns", alarms);
  cJSON *step = js_block(st, "step_scaling_policy_configuration");
  const cJSON *api_step = js_get(found, "StepScalingPolicyConfiguration");
  if (step) {
    cJSON *adj = cJSON_CreateArray();
    cJSON_ArrayForEach(a, js_get(api_step, "StepAdjustments")) {
      cJSON *o = cJSON_CreateObject();
      char *lo = bound_text(a, "MetricIntervalLowerBound"), *hi = bound_text(a, "MetricIntervalUpperBound");
      js_set_str(o, "metric_interval_lower_bound", lo);
      js_set_str(o, "metric_interval_upper_bound", hi);
      free(lo);
      free(hi);
      js_set_num(o, "scaling_adjustment", js_num(a, "ScalingAdjustment", 0));
      cJSON_AddItemToArray(adj, o);
    }
    js_set(step, "step_adjustment", adj);
  }
  cJSON_Delete(resp);
  return AWS_FOUND;
}

static int policy_delete(ProvCtx *p, const cJSON *prior, ProvDiags *out) {
  cJSON *req = cJSON_CreateObject();
  cJSON_AddStringToObject(req, "PolicyName", js_str(prior, "name"));
  cJSON_AddStringToObject(req, "ServiceNamespace", js_str(prior, "service_namespace"));
  cJSON_AddStringToObject(req, "ResourceId", js_str(prior, "resource_id"));
  cJSON_AddStringToObject(req, "ScalableDimension", js_str(prior, "scalable_dimension"));
  AwsError e = {0};
  int rc = aws_call_retry(p, SVC, "DeleteScalingPolicy", req, NULL, &e, 120, "FailedResourceAccessException", NULL);
  cJSON_Delete(req);
  if (rc != 0 && !aws_err_is(&e, "ObjectNotFoundException", NULL)) {
    aws_err_diag(out, "deleting", WHAT, js_str(prior, "name"), SVC, "DeleteScalingPolicy", &e);
    aws_error_clear(&e);
    return -1;
  }
  aws_error_clear(&e);
  return 0;
}

/* "<ns>/<resource-id>/<dimension>/<name>": first segment, second-to-last,
** last, and the middle. */
static int policy_import(ProvCtx *p, const char *id, cJSON *st, ProvDiags *out) {
  (void)p;
  const char *first = strchr(id, '/'), *last = strrchr(id, '/');
  const char *dim = NULL;
  if (first && last > first) {
    for (const char *c = last - 1; c > first; c--)
      if (*c == '/') {
        dim = c;
        break;
      }
  }
  if (!first || !dim || first == id || !last[1] || dim == first) {
    prov_diag(out, DIAG_ERROR, NULL, "Invalid import ID",
              "unexpected format (%s), expected <service-namespace>/<resource-id>/<scalable-dimension>/<policy-name>",
              id);
    return -1;
  }
  char *ns = xstrndup(id, (size_t)(first - id)), *rid = xstrndup(first + 1, (size_t)(dim - first - 1));
  char *sd = xstrndup(dim + 1, (size_t)(last - dim - 1));
  js_set_str(st, "service_namespace", ns);
  js_set_str(st, "resource_id", rid);
  js_set_str(st, "scalable_dimension", sd);
  js_set_str(st, "name", last + 1);
  js_set_str(st, "id", last + 1);
  free(ns);
  free(rid);
  free(sd);
  return 0;
}

static const AwsRes aws_appautoscaling_policy_res = {
    .type = "aws_appautoscaling_policy",
    .schema = &aws_appautoscaling_policy_schema,
    .regional = true,
    .create = policy_create,
    .update = policy_update,
    .del = policy_delete,
    .read = policy_read,
    .import_id = policy_import,
};

AWS_RESOURCE(aws_appautoscaling_policy, "id");
