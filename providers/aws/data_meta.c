/*
** providers/aws/data_meta.c — the data sources about the provider itself:
** aws_caller_identity (STS GetCallerIdentity), aws_region and aws_partition
** (static partition data, no API call).
*/
#include "providers/aws/aws_int.h"

#include "base/util.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------ caller identity */

static const SchemaAttr caller_identity_attrs[] = {
    {.name = "id", .type = "string", .flags = OPTC},
    {.name = "account_id", .type = "string", .flags = CMP},
    {.name = "arn", .type = "string", .flags = CMP},
    {.name = "user_id", .type = "string", .flags = CMP},
};
static const Schema caller_identity_schema = SCHEMA_ATTRS(caller_identity_attrs);

static Value *caller_identity_read(ProvCtx *p, const Value *config, ProvDiags *out) {
  (void)config;
  cJSON *resp = NULL;
  AwsError e = {0};
  if (aws_call(p, "sts", "GetCallerIdentity", NULL, &resp, &e) != 0) {
    aws_err_diag(out, "reading", "STS Caller Identity", NULL, "sts", "GetCallerIdentity", &e);
    aws_error_clear(&e);
    return NULL;
  }
  cJSON *st = cJSON_CreateObject();
  js_set_str(st, "id", js_str(resp, "Account"));
  js_set_str(st, "account_id", js_str(resp, "Account"));
  js_set_str(st, "arn", js_str(resp, "Arn"));
  js_set_str(st, "user_id", js_str(resp, "UserId"));
  cJSON_Delete(resp);
  Value *v = aws_json_val(&caller_identity_schema, st, out);
  cJSON_Delete(st);
  return v;
}

const DataSourceType aws_caller_identity_ds = {"aws_caller_identity", &caller_identity_schema, caller_identity_read};

/* --------------------------------------------------------------- region */

static const char *const region_conflicts_name[] = {"region", NULL};
static const SchemaAttr region_attrs[] = {
    {.name = "region", .type = "string", .flags = OPTC},
    {.name = "name", .type = "string", .flags = OPTC | SA_DEPRECATED, .conflicts_with = region_conflicts_name,
     .description = "Deprecated: use region"},
    {.name = "endpoint", .type = "string", .flags = OPTC},
    {.name = "id", .type = "string", .flags = OPTC},
    {.name = "description", .type = "string", .flags = CMP},
};
static const Schema region_schema = SCHEMA_ATTRS(region_attrs);

static const char *const region_names[][2] = {
    {"af-south-1", "Africa (Cape Town)"},
    {"ap-east-1", "Asia Pacific (Hong Kong)"},
    {"ap-northeast-1", "Asia Pacific (Tokyo)"},
    {"ap-northeast-2", "Asia Pacific (Seoul)"},
    {"ap-northeast-3", "Asia Pacific (Osaka)"},
    {"ap-south-1", "Asia Pacific (Mumbai)"},
    {"ap-south-2", "Asia Pacific (Hyderabad)"},
    {"ap-southeast-1", "Asia Pacific (Singapore)"},
    {"ap-southeast-2", "Asia Pacific (Sydney)"},
    {"ap-southeast-3", "Asia Pacific (Jakarta)"},
    {"ap-southeast-4", "Asia Pacific (Melbourne)"},
    {"ca-central-1", "Canada (Central)"},
    {"ca-west-1", "Canada West (Calgary)"},
    {"cn-north-1", "China (Beijing)"},
    {"cn-northwest-1", "China (Ningxia)"},
    {"eu-central-1", "Europe (Frankfurt)"},
    {"eu-central-2", "Europe (Zurich)"},
    {"eu-north-1", "Europe (Stockholm)"},
    {"eu-south-1", "Europe (Milan)"},
    {"eu-south-2", "Europe (Spain)"},
    {"eu-west-1", "Europe (Ireland)"},
    {"eu-west-2", "Europe (London)"},
    {"eu-west-3", "Europe (Paris)"},
    {"il-central-1", "Israel (Tel Aviv)"},
    {"me-central-1", "Middle East (UAE)"},
    {"me-south-1", "Middle East (Bahrain)"},
    {"sa-east-1", "South America (Sao Paulo)"},
    {"us-east-1", "US East (N. Virginia)"},
    {"us-east-2", "US East (Ohio)"},
    {"us-gov-east-1", "AWS GovCloud (US-East)"},
    {"us-gov-west-1", "AWS GovCloud (US-West)"},
    {"us-west-1", "US West (N. California)"},
    {"us-west-2", "US West (Oregon)"},
};

static const char *dns_suffix(const char *region) {
  return strncmp(region, "cn-", 3) == 0 ? "amazonaws.com.cn" : "amazonaws.com";
}

static Value *region_read(ProvCtx *p, const Value *config, ProvDiags *out) {
  if (config && !val_is_wholly_known(config)) return val_unknown(schema_type(&region_schema));
  cJSON *cfg = config ? aws_val_json(config) : cJSON_CreateObject();
  const char *want = js_str(cfg, "region");
  if (!want) want = js_str(cfg, "name");
  if (!want) want = p->region;
  const char *desc = NULL;
  for (size_t i = 0; i < NELEM(region_names); i++)
    if (strcmp(region_names[i][0], want) == 0) desc = region_names[i][1];
  char *endpoint = xasprintf("ec2.%s.%s", want, dns_suffix(want));
  const char *ep_filter = js_str(cfg, "endpoint");
  if (ep_filter && strcmp(ep_filter, endpoint) != 0) {
    prov_diag(out, DIAG_ERROR, "endpoint", "no matching region found", "No region has the endpoint %s.", ep_filter);
    free(endpoint);
    cJSON_Delete(cfg);
    return NULL;
  }
  cJSON *st = cJSON_CreateObject();
  js_set_str(st, "region", want);
  js_set_str(st, "name", want);
  js_set_str(st, "id", want);
  js_set_str(st, "endpoint", endpoint);
  js_set_str(st, "description", desc ? desc : "");
  free(endpoint);
  cJSON_Delete(cfg);
  Value *v = aws_json_val(&region_schema, st, out);
  cJSON_Delete(st);
  return v;
}

const DataSourceType aws_region_ds = {"aws_region", &region_schema, region_read};

/* ------------------------------------------------------------ partition */

static const SchemaAttr partition_attrs[] = {
    {.name = "id", .type = "string", .flags = OPTC},
    {.name = "partition", .type = "string", .flags = CMP},
    {.name = "dns_suffix", .type = "string", .flags = CMP},
    {.name = "reverse_dns_prefix", .type = "string", .flags = CMP},
};
static const Schema partition_schema = SCHEMA_ATTRS(partition_attrs);

static Value *partition_read(ProvCtx *p, const Value *config, ProvDiags *out) {
  (void)config;
  const char *suffix = dns_suffix(p->region);
  cJSON *st = cJSON_CreateObject();
  js_set_str(st, "id", p->partition);
  js_set_str(st, "partition", p->partition);
  js_set_str(st, "dns_suffix", suffix);
  js_set_str(st, "reverse_dns_prefix", strcmp(suffix, "amazonaws.com.cn") == 0 ? "cn.com.amazonaws" : "com.amazonaws");
  Value *v = aws_json_val(&partition_schema, st, out);
  cJSON_Delete(st);
  return v;
}

const DataSourceType aws_partition_ds = {"aws_partition", &partition_schema, partition_read};
