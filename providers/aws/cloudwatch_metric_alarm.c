/*
** providers/aws/cloudwatch_metric_alarm.c — aws_cloudwatch_metric_alarm
** (aws-provider.md §11). PutMetricAlarm with the full input on create and
** on any non-tag change (an upsert), DescribeAlarms on read, DeleteAlarms
** on delete. As the real provider: threshold sent as 0 when unset (unless
** threshold_metric_id), treat_missing_data "missing", actions_enabled true.
*/
#include "providers/aws/aws_int.h"

#include "base/util.h"

#include <stdlib.h>
#include <string.h>

static const char *const comparison_ops[] = {"GreaterThanOrEqualToThreshold",
                                             "GreaterThanThreshold",
                                             "LessThanThreshold",
                                             "LessThanOrEqualToThreshold",
                                             "LessThanLowerOrGreaterThanUpperThreshold",
                                             "LessThanLowerThreshold",
                                             "GreaterThanUpperThreshold",
                                             NULL};
static const char *const statistics[] = {"SampleCount", "Average", "Sum", "Minimum", "Maximum", NULL};
static const char *const missing_modes[] = {"missing", "ignore", "breaching", "notBreaching", NULL};
static const char *const low_sample[] = {"evaluate", "ignore", NULL};
static const char *const units[] = {
    "Seconds",          "Microseconds",      "Milliseconds",     "Bytes",          "Kilobytes",
    "Megabytes",        "Gigabytes",         "Terabytes",        "Bits",           "Kilobits",
    "Megabits",         "Gigabits",          "Terabits",         "Percent",        "Count",
    "Bytes/Second",     "Kilobytes/Second",  "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
    "Bits/Second",      "Kilobits/Second",   "Megabits/Second",  "Gigabits/Second", "Terabits/Second",
    "Count/Second",     "None",              NULL};
static const char *const c_metric[] = {"metric_query", NULL};
static const char *const c_statistic[] = {"extended_statistic", "metric_query", NULL};
static const char *const c_extended[] = {"statistic", "metric_query", NULL};
static const char *const c_threshold[] = {"threshold_metric_id", NULL};
static const char *const c_threshold_id[] = {"threshold", NULL};

#define EXT_STAT_RE "(p|tm|tc|ts|wm)(\\d{1,2}(\\.\\d{0,10})?|100)|[ptTsSwW][mMcC]?\\(\\d*\\.?\\d*%?:\\d*\\.?\\d*%?\\)|IQM"

static const SchemaAttr qmetric_attrs[] = {
    {.name = "dimensions", .type = "map(string)", .flags = OPT},
    {.name = "metric_name", .type = "string", .flags = REQ, .min_len = 1, .max_len = 255},
    {.name = "namespace", .type = "string", .flags = OPT, .min_len = 1, .max_len = 255},
    {.name = "period", .type = "number", .flags = REQ},
    {.name = "stat", .type = "string", .flags = REQ},
    {.name = "unit", .type = "string", .flags = OPT, .one_of = units},
};
static const Schema qmetric_schema = SCHEMA_ATTRS(qmetric_attrs);

static const SchemaAttr query_attrs[] = {
    {.name = "account_id", .type = "string", .flags = OPT, .min_len = 1, .max_len = 255},
    {.name = "expression", .type = "string", .flags = OPT, .min_len = 1, .max_len = 1024},
    {.name = "id", .type = "string", .flags = REQ, .min_len = 1, .max_len = 255},
    {.name = "label", .type = "string", .flags = OPT},
    {.name = "period", .type = "number", .flags = OPT},
    {.name = "return_data", .type = "bool", .flags = OPT, .default_json = "false"},
};
static const SchemaBlock query_blocks[] = {
    {.name = "metric", .nesting = NEST_LIST, .max_items = 1, .schema = &qmetric_schema},
};
static const Schema query_schema = SCHEMA(query_attrs, query_blocks);

static const SchemaAttr promql_attrs[] = {
    {.name = "pending_period", .type = "number", .flags = OPT, .has_range = true, .min = 0, .max = 86400},
    {.name = "query", .type = "string", .flags = REQ, .min_len = 1, .max_len = 10000},
    {.name = "recovery_period", .type = "number", .flags = OPT, .has_range = true, .min = 0, .max = 86400},
};
static const Schema promql_schema = SCHEMA_ATTRS(promql_attrs);
static const SchemaBlock criteria_blocks[] = {
    {.name = "promql_criteria", .nesting = NEST_LIST, .min_items = 1, .max_items = 1, .schema = &promql_schema},
};
static const Schema criteria_schema = {NULL, 0, criteria_blocks, 1};

static const SchemaAttr aws_cloudwatch_metric_alarm_attrs[] = {
    AWS_REGION_ATTR,
    {.name = "actions_enabled", .type = "bool", .flags = OPT, .default_json = "true"},
    {.name = "alarm_actions", .type = "set(string)", .flags = OPT, .regex = AWS_RE_ARN, .regex_message = "is an invalid ARN"},
    {.name = "alarm_description", .type = "string", .flags = OPT, .max_len = 1024},
    {.name = "alarm_name", .type = "string", .flags = REQ | FNEW, .min_len = 1, .max_len = 255},
    {.name = "arn", .type = "string", .flags = CMP},
    {.name = "comparison_operator", .type = "string", .flags = OPT, .one_of = comparison_ops},
    {.name = "datapoints_to_alarm", .type = "number", .flags = OPT, .has_range = true, .min = 1, .max = 1e9},
    {.name = "dimensions", .type = "map(string)", .flags = OPT, .conflicts_with = c_metric},
    {.name = "evaluate_low_sample_count_percentiles", .type = "string", .flags = OPTC, .one_of = low_sample},
    {.name = "evaluation_interval", .type = "number", .flags = OPT},
    {.name = "evaluation_periods", .type = "number", .flags = OPT, .has_range = true, .min = 1, .max = 1e9},
    {.name = "extended_statistic", .type = "string", .flags = OPT, .regex = EXT_STAT_RE,
     .regex_message = "must be a percentile statistic such as p99 or tm90", .conflicts_with = c_extended},
    {.name = "id", .type = "string", .flags = CMP},
    {.name = "insufficient_data_actions", .type = "set(string)", .flags = OPT, .regex = AWS_RE_ARN,
     .regex_message = "is an invalid ARN"},
    {.name = "metric_name", .type = "string", .flags = OPT, .min_len = 1, .max_len = 255, .conflicts_with = c_metric},
    {.name = "namespace", .type = "string", .flags = OPT, .min_len = 1, .max_len = 255, .regex = "[^:].*",
     .regex_message = "must not start with ':'", .conflicts_with = c_metric},
    {.name = "ok_actions", .type = "set(string)", .flags = OPT, .regex = AWS_RE_ARN, .regex_message = "is an invalid ARN"},
    {.name = "period", .type = "number", .flags = OPT, .conflicts_with = c_metric},
    {.name = "statistic", .type = "string", .flags = OPT, .one_of = statistics, .conflicts_with = c_statistic},
    {.name = "tags", .type = "map(string)", .flags = OPT},
    {.name = "tags_all", .type = "map(string)", .flags = OPTC},
    {.name = "threshold", .type = "number", .flags = OPT, .conflicts_with = c_threshold},
    {.name = "threshold_metric_id", .type = "string", .flags = OPT, .min_len = 1, .max_len = 255,
     .conflicts_with = c_threshold_id},
    {.name = "treat_missing_data", .type = "string", .flags = OPT, .default_json = "\"missing\"", .one_of = missing_modes},
    {.name = "unit", .type = "string", .flags = OPT, .one_of = units},
};
static const SchemaBlock aws_cloudwatch_metric_alarm_blocks[] = {
    {.name = "evaluation_criteria", .nesting = NEST_LIST, .max_items = 1, .schema = &criteria_schema},
    {.name = "metric_query", .nesting = NEST_SET, .schema = &query_schema},
};
static const Schema aws_cloudwatch_metric_alarm_schema =
    SCHEMA(aws_cloudwatch_metric_alarm_attrs, aws_cloudwatch_metric_alarm_blocks);

static const AwsField f_promql[] = {{"query", "Query", F_STR, NULL},
                                    {"pending_period", "PendingPeriod", F_NUM, NULL},
                                    {"recovery_period", "RecoveryPeriod", F_NUM, NULL},
                                    {0}};
static const AwsField f_criteria[] = {{"promql_criteria", "PromQLCriteria", F_OBJ, f_promql}, {0}};
static const AwsField f_alarm[] = {
    {"alarm_name", "AlarmName", F_STR, NULL},
    {"comparison_operator", "ComparisonOperator", F_STR, NULL},
    {"evaluation_periods", "EvaluationPeriods", F_NUM, NULL},
    {"metric_name", "MetricName", F_STR, NULL},
    {"namespace", "Namespace", F_STR, NULL},
    {"period", "Period", F_NUM, NULL},
    {"statistic", "Statistic", F_STR, NULL},
    {"extended_statistic", "ExtendedStatistic", F_STR, NULL},
    {"dimensions", "Dimensions", F_NAMEVAL, NULL},
    {"threshold", "Threshold", F_NUM, NULL},
    {"threshold_metric_id", "ThresholdMetricId", F_STR, NULL},
    {"datapoints_to_alarm", "DatapointsToAlarm", F_NUM, NULL},
    {"treat_missing_data", "TreatMissingData", F_STR, NULL},
    {"evaluate_low_sample_count_percentiles", "EvaluateLowSampleCountPercentile", F_STR, NULL},
    {"unit", "Unit", F_STR, NULL},
    {"actions_enabled", "ActionsEnabled", F_BOOL, NULL},
    {"alarm_actions", "AlarmActions", F_LIST, NULL},
    {"ok_actions", "OKActions", F_LIST, NULL},
    {"insufficient_data_actions", "InsufficientDataActions", F_LIST, NULL},
    {"alarm_description", "AlarmDescription", F_STR, NULL},
    {"evaluation_interval", "EvaluationInterval", F_NUM, NULL},
    {"evaluation_criteria", "EvaluationCriteria", F_OBJ, f_criteria},
    {0}};

#define SVC "monitoring"
#define WHAT "CloudWatch Metric Alarm"

/* metric_query blocks -> Metrics: the tf "metric" block holds the stat,
** period and unit that the API nests under MetricStat. */
static cJSON *expand_queries(const cJSON *queries) {
  cJSON *arr = cJSON_CreateArray();
  const cJSON *q;
  cJSON_ArrayForEach(q, queries) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "Id", js_str(q, "id") ? js_str(q, "id") : "");
    if (js_str(q, "expression")) cJSON_AddStringToObject(o, "Expression", js_str(q, "expression"));
    if (js_str(q, "label")) cJSON_AddStringToObject(o, "Label", js_str(q, "label"));
    if (js_str(q, "account_id")) cJSON_AddStringToObject(o, "AccountId", js_str(q, "account_id"));
    if (js_num(q, "period", 0) > 0) cJSON_AddNumberToObject(o, "Period", js_num(q, "period", 0));
    cJSON_AddBoolToObject(o, "ReturnData", js_bool(q, "return_data", false));
    const cJSON *m = js_block(q, "metric");
    if (m) {
      cJSON *ms = cJSON_AddObjectToObject(o, "MetricStat");
      cJSON *metric = cJSON_AddObjectToObject(ms, "Metric");
      cJSON_AddStringToObject(metric, "MetricName", js_str(m, "metric_name") ? js_str(m, "metric_name") : "");
      if (js_str(m, "namespace")) cJSON_AddStringToObject(metric, "Namespace", js_str(m, "namespace"));
      static const AwsField f_dims[] = {{"dimensions", "Dimensions", F_NAMEVAL, NULL}, {0}};
      aws_expand(f_dims, m, metric);
      cJSON_AddNumberToObject(ms, "Period", js_num(m, "period", 60));
      cJSON_AddStringToObject(ms, "Stat", js_str(m, "stat") ? js_str(m, "stat") : "");
      if (js_str(m, "unit")) cJSON_AddStringToObject(ms, "Unit", js_str(m, "unit"));
    }
    cJSON_AddItemToArray(arr, o);
  }
  return arr;
}

static cJSON *flatten_queries(const cJSON *metrics) {
  cJSON *arr = cJSON_CreateArray();
  const cJSON *q;
  cJSON_ArrayForEach(q, metrics) {
    cJSON *o = cJSON_CreateObject();
    js_set_str(o, "id", js_str(q, "Id"));
    js_set_str(o, "expression", js_str(q, "Expression"));
    js_set_str(o, "label", js_str(q, "Label"));
    js_set_str(o, "account_id", js_str(q, "AccountId"));
    if (js_get(q, "Period")) js_set_num(o, "period", js_num(q, "Period", 0));
    js_set_bool(o, "return_data", js_bool(q, "ReturnData", false));
    cJSON *mb = cJSON_CreateArray();
    const cJSON *ms = js_get(q, "MetricStat");
    if (ms) {
      const cJSON *metric = js_get(ms, "Metric");
      cJSON *m = cJSON_CreateObject();
      js_set_str(m, "metric_name", js_str(metric, "MetricName"));
      js_set_str(m, "namespace", js_str(metric, "Namespace"));
      static const AwsField f_dims[] = {{"dimensions", "Dimensions", F_NAMEVAL, NULL}, {0}};
      aws_flatten(f_dims, metric, m);
      js_set_num(m, "period", js_num(ms, "Period", 0));
      js_set_str(m, "stat", js_str(ms, "Stat"));
      js_set_str(m, "unit", js_str(ms, "Unit"));
      cJSON_AddItemToArray(mb, m);
    }
    js_set(o, "metric", mb);
    cJSON_AddItemToArray(arr, o);
  }
  return arr;
}

static int put_alarm(ProvCtx *p, const cJSON *plan, bool create, ProvDiags *out) {
  cJSON *req = cJSON_CreateObject();
  aws_expand(f_alarm, plan, req);
  /* always sent: threshold (0 when unset) unless a threshold metric is used */
  if (!js_str(plan, "threshold_metric_id") && !js_get(req, "Threshold")) cJSON_AddNumberToObject(req, "Threshold", 0);
  if (!js_get(req, "TreatMissingData")) cJSON_AddStringToObject(req, "TreatMissingData", "missing");
  if (!js_get(req, "ActionsEnabled")) cJSON_AddBoolToObject(req, "ActionsEnabled", true);
  if (cJSON_GetArraySize(js_get(plan, "metric_query")) > 0)
    cJSON_AddItemToObject(req, "Metrics", expand_queries(js_get(plan, "metric_query")));
  if (create) {
    cJSON *tags = aws_tags_request(p, plan, false);
    if (tags) cJSON_AddItemToObject(req, "Tags", tags);
  }
  return aws_do(p, SVC, "PutMetricAlarm", req, NULL, create ? "creating" : "updating", WHAT,
                js_str(plan, "alarm_name"), out);
}

static int alarm_create(ProvCtx *p, cJSON *plan, ProvDiags *out) {
  if (put_alarm(p, plan, true, out)) return -1;
  js_set_str(plan, "id", js_str(plan, "alarm_name"));
  return 0;
}

static int alarm_read(ProvCtx *p, cJSON *st, ProvDiags *out) {
  const char *name = js_str(st, "id") ? js_str(st, "id") : js_str(st, "alarm_name");
  if (!name) return AWS_GONE;
  cJSON *req = cJSON_CreateObject();
  cJSON_AddItemToArray(cJSON_AddArrayToObject(req, "AlarmNames"), cJSON_CreateString(name));
  cJSON_AddItemToArray(cJSON_AddArrayToObject(req, "AlarmTypes"), cJSON_CreateString("MetricAlarm"));
  cJSON *resp = NULL;
  if (aws_do(p, SVC, "DescribeAlarms", req, &resp, "reading", WHAT, name, out)) return AWS_FAILED;
  const cJSON *alarms = js_get(resp, "MetricAlarms");
  int n = cJSON_GetArraySize(alarms);
  if (n != 1) {
    cJSON_Delete(resp);
    if (n == 0) return AWS_GONE;
    prov_diag(out, DIAG_ERROR, NULL, "reading CloudWatch Metric Alarm", "%d CloudWatch Metric Alarms matched %s", n, name);
    return AWS_FAILED;
  }
  const cJSON *a = cJSON_GetArrayItem(alarms, 0);
  aws_flatten(f_alarm, a, st);
  if (!js_get(a, "Dimensions")) js_set(st, "dimensions", cJSON_CreateNull());
  js_set_str(st, "id", js_str(a, "AlarmName"));
  js_set_str(st, "arn", js_str(a, "AlarmArn"));
  js_set(st, "metric_query", flatten_queries(js_get(a, "Metrics")));
  char *arn = xstrdup(js_str(a, "AlarmArn") ? js_str(a, "AlarmArn") : "");
  cJSON_Delete(resp);
  int rc = aws_tags_fetch(p, &AWS_TAGS_CLOUDWATCH, arn, st, WHAT, out);
  free(arn);
  return rc ? AWS_FAILED : AWS_FOUND;
}

static int alarm_update(ProvCtx *p, const cJSON *prior, cJSON *plan, ProvDiags *out) {
  /* any change other than tags: the full PutMetricAlarm */
  cJSON *a = cJSON_Duplicate(prior, 1), *b = cJSON_Duplicate(plan, 1);
  static const char *const skip[] = {"tags", "tags_all", "id", "arn"};
  for (size_t i = 0; i < NELEM(skip); i++) {
    cJSON_DeleteItemFromObjectCaseSensitive(a, skip[i]);
    cJSON_DeleteItemFromObjectCaseSensitive(b, skip[i]);
  }
  bool changed = !cJSON_Compare(a, b, true);
  cJSON_Delete(a);
  cJSON_Delete(b);
  if (changed && put_alarm(p, plan, false, out)) return -1;
  return aws_tags_update(p, &AWS_TAGS_CLOUDWATCH, js_str(prior, "arn"), prior, plan, WHAT, out);
}

static int alarm_delete(ProvCtx *p, const cJSON *prior, ProvDiags *out) {
  cJSON *req = cJSON_CreateObject();
  cJSON_AddItemToArray(cJSON_AddArrayToObject(req, "AlarmNames"), cJSON_CreateString(js_str(prior, "id")));
  AwsError e = {0};
  int rc = aws_call(p, SVC, "DeleteAlarms", req, NULL, &e);
  cJSON_Delete(req);
  if (rc != 0 && !aws_err_is(&e, "ResourceNotFound", NULL)) {
    aws_err_diag(out, "deleting", WHAT, js_str(prior, "id"), SVC, "DeleteAlarms", &e);
    aws_error_clear(&e);
    return -1;
  }
  aws_error_clear(&e);
  return 0;
}

static int alarm_import(ProvCtx *p, const char *id, cJSON *st, ProvDiags *out) {
  (void)p;
  (void)out;
  js_set_str(st, "id", id);
  return 0;
}

static bool period_ok(double v) { return v == 10 || v == 20 || v == 30 || (v >= 60 && (long long)v % 60 == 0); }

/* The plan-time rules of the current provider. */
static void alarm_validate(const Value *config, ProvDiags *out) {
  cJSON *c = aws_val_json(config);
  bool has_metric = js_str(c, "metric_name") != NULL, has_query = cJSON_GetArraySize(js_get(c, "metric_query")) > 0;
  bool has_criteria = cJSON_GetArraySize(js_get(c, "evaluation_criteria")) > 0;
  /* exactly one way of saying what the alarm watches (unknowns aside) */
  if (has_metric + has_query + has_criteria > 1)
    prov_diag(out, DIAG_ERROR, has_criteria ? "evaluation_criteria" : "metric_name", "Invalid combination of arguments",
              "\"evaluation_criteria\": only one of `evaluation_criteria,metric_name,metric_query` can be specified");
  if (js_get(c, "evaluation_interval") && !has_criteria)
    prov_diag(out, DIAG_ERROR, "evaluation_interval", "Missing required argument",
              "\"evaluation_interval\": all of `evaluation_criteria,evaluation_interval` must be specified");
  if (has_metric || has_query) {
    if (!js_str(c, "comparison_operator"))
      prov_diag(out, DIAG_ERROR, "comparison_operator", "Missing required argument",
                "\"comparison_operator\" is required when \"metric_name\" or \"metric_query\" is set");
    if (!js_get(c, "evaluation_periods"))
      prov_diag(out, DIAG_ERROR, "evaluation_periods", "Missing required argument",
                "\"evaluation_periods\" is required when \"metric_name\" or \"metric_query\" is set");
  }
  if (has_metric && !js_str(c, "statistic") == !js_str(c, "extended_statistic"))
    prov_diag(out, DIAG_ERROR, "statistic", "Invalid combination of arguments",
              "One of `statistic` or `extended_statistic` must be set for a cloudwatch metric alarm");
  if (js_get(c, "period") && !period_ok(js_num(c, "period", 0)))
    prov_diag(out, DIAG_ERROR, "period", "Invalid value", "expected period to be 10, 20, 30 or a multiple of 60, got %g",
              js_num(c, "period", 0));
  int i = 0;
  const cJSON *q;
  cJSON_ArrayForEach(q, js_get(c, "metric_query")) {
    if (js_str(q, "expression") && js_block(q, "metric")) {
      char *path = xasprintf("metric_query[%d]", i);
      prov_diag(out, DIAG_ERROR, path, "Invalid combination of arguments",
                "No more than one `expression` or `metric` may be set in a metric_query");
      free(path);
    }
    i++;
  }
  cJSON_Delete(c);
}

static const AwsRes aws_cloudwatch_metric_alarm_res = {
    .type = "aws_cloudwatch_metric_alarm",
    .schema = &aws_cloudwatch_metric_alarm_schema,
    .regional = true,
    .has_tags = true,
    .create = alarm_create,
    .update = alarm_update,
    .del = alarm_delete,
    .read = alarm_read,
    .import_id = alarm_import,
    .validate = alarm_validate,
};

AWS_RESOURCE(aws_cloudwatch_metric_alarm, "id");
