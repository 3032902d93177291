/*
** providers/aws/aws.c — the Provider "aws": the provider block's schema,
** configure (region, account id through STS GetCallerIdentity unless
** skipped, default tags), close, clock, and the tables of resource and data
** source types.
**
** Credentials, profiles, endpoints and the other connection settings are
** accepted so configurations written for Terraform validate unchanged; the
** transport the core hands to configure decides where calls go.
*/
#include "providers/aws/aws_int.h"

#include "base/util.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------- schema */

static const char *const retry_modes[] = {"standard", "adaptive", NULL};
static const char *const conflicts_allowed[] = {"forbidden_account_ids", NULL};
static const char *const conflicts_forbidden[] = {"allowed_account_ids", NULL};

static const SchemaAttr default_tags_attrs[] = {
    {.name = "tags", .type = "map(string)", .flags = OPT, .description = "Tags applied to every resource that takes tags"},
};
static const Schema default_tags_schema = SCHEMA_ATTRS(default_tags_attrs);

static const SchemaAttr ignore_tags_attrs[] = {
    {.name = "keys", .type = "set(string)", .flags = OPT},
    {.name = "key_prefixes", .type = "set(string)", .flags = OPT},
};
static const Schema ignore_tags_schema = SCHEMA_ATTRS(ignore_tags_attrs);

/* Endpoint overrides: one URL per service key, schema default "". */
#define EP(n) {.name = n, .type = "string", .flags = OPT}
static const SchemaAttr endpoints_attrs[] = {
    EP("appautoscaling"), EP("applicationautoscaling"), EP("cloudwatch"), EP("iam"),  EP("sagemaker"),
    EP("sns"),            EP("sts"),                    EP("s3"),         EP("ec2"),  EP("logs"),
};
static const Schema endpoints_schema = SCHEMA_ATTRS(endpoints_attrs);

static const SchemaAttr assume_role_attrs[] = {
    {.name = "role_arn", .type = "string", .flags = OPT},
    {.name = "session_name", .type = "string", .flags = OPT},
    {.name = "external_id", .type = "string", .flags = OPT},
    {.name = "duration", .type = "string", .flags = OPT},
    {.name = "policy", .type = "string", .flags = OPT},
    {.name = "policy_arns", .type = "set(string)", .flags = OPT},
    {.name = "source_identity", .type = "string", .flags = OPT},
    {.name = "tags", .type = "map(string)", .flags = OPT},
    {.name = "transitive_tag_keys", .type = "set(string)", .flags = OPT},
};
static const Schema assume_role_schema = SCHEMA_ATTRS(assume_role_attrs);

static const SchemaAttr web_identity_attrs[] = {
    {.name = "role_arn", .type = "string", .flags = OPT},
    {.name = "session_name", .type = "string", .flags = OPT},
    {.name = "web_identity_token", .type = "string", .flags = OPT},
    {.name = "web_identity_token_file", .type = "string", .flags = OPT},
    {.name = "duration", .type = "string", .flags = OPT},
    {.name = "policy", .type = "string", .flags = OPT},
    {.name = "policy_arns", .type = "set(string)", .flags = OPT},
};
static const Schema web_identity_schema = SCHEMA_ATTRS(web_identity_attrs);

static const SchemaAttr provider_attrs[] = {
    {.name = "region", .type = "string", .flags = OPT, .description = "The AWS region (else AWS_REGION / AWS_DEFAULT_REGION)"},
    {.name = "profile", .type = "string", .flags = OPT},
    {.name = "access_key", .type = "string", .flags = OPT | SA_SENSITIVE},
    {.name = "secret_key", .type = "string", .flags = OPT | SA_SENSITIVE},
    {.name = "token", .type = "string", .flags = OPT | SA_SENSITIVE},
    {.name = "shared_config_files", .type = "list(string)", .flags = OPT},
    {.name = "shared_credentials_files", .type = "list(string)", .flags = OPT},
    {.name = "skip_credentials_validation", .type = "bool", .flags = OPT},
    {.name = "skip_requesting_account_id", .type = "bool", .flags = OPT},
    {.name = "skip_region_validation", .type = "bool", .flags = OPT},
    {.name = "skip_metadata_api_check", .type = "string", .flags = OPT, .one_of = (const char *const[]){"true", "false", NULL}},
    {.name = "max_retries", .type = "number", .flags = OPT},
    {.name = "retry_mode", .type = "string", .flags = OPT, .one_of = retry_modes},
    {.name = "allowed_account_ids", .type = "set(string)", .flags = OPT, .conflicts_with = conflicts_allowed},
    {.name = "forbidden_account_ids", .type = "set(string)", .flags = OPT, .conflicts_with = conflicts_forbidden},
    {.name = "insecure", .type = "bool", .flags = OPT},
    {.name = "http_proxy", .type = "string", .flags = OPT},
    {.name = "https_proxy", .type = "string", .flags = OPT},
    {.name = "no_proxy", .type = "string", .flags = OPT},
    {.name = "custom_ca_bundle", .type = "string", .flags = OPT},
    {.name = "ec2_metadata_service_endpoint", .type = "string", .flags = OPT},
    {.name = "ec2_metadata_service_endpoint_mode", .type = "string", .flags = OPT},
    {.name = "s3_use_path_style", .type = "bool", .flags = OPT},
    {.name = "s3_us_east_1_regional_endpoint", .type = "string", .flags = OPT},
    {.name = "sts_region", .type = "string", .flags = OPT},
    {.name = "token_bucket_rate_limiter_capacity", .type = "number", .flags = OPT},
    {.name = "use_dualstack_endpoint", .type = "bool", .flags = OPT},
    {.name = "use_fips_endpoint", .type = "bool", .flags = OPT},
};
static const SchemaBlock provider_blocks[] = {
    {.name = "default_tags", .nesting = NEST_LIST, .max_items = 1, .schema = &default_tags_schema},
    {.name = "ignore_tags", .nesting = NEST_LIST, .max_items = 1, .schema = &ignore_tags_schema},
    {.name = "endpoints", .nesting = NEST_SET, .schema = &endpoints_schema},
    {.name = "assume_role", .nesting = NEST_LIST, .max_items = 1, .schema = &assume_role_schema},
    {.name = "assume_role_with_web_identity", .nesting = NEST_LIST, .max_items = 1, .schema = &web_identity_schema},
};
static const Schema provider_schema = SCHEMA(provider_attrs, provider_blocks);

/* Regions the provider accepts without skip_region_validation. */
static const char *const known_regions[] = {
    "af-south-1",     "ap-east-1",      "ap-east-2",      "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ap-south-1",     "ap-south-2",     "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
    "ap-southeast-5", "ap-southeast-7", "ca-central-1",   "ca-west-1",      "eu-central-1",   "eu-central-2",
    "eu-north-1",     "eu-south-1",     "eu-south-2",     "eu-west-1",      "eu-west-2",      "eu-west-3",
    "il-central-1",   "me-central-1",   "me-south-1",     "mx-central-1",   "sa-east-1",      "us-east-1",
    "us-east-2",      "us-west-1",      "us-west-2",      "us-gov-east-1",  "us-gov-west-1",  "cn-north-1",
    "cn-northwest-1", NULL};

/* ---------------------------------------------------------- configure */

const char *aws_region(const ProvCtx *p) { return p->region; }
const char *aws_account_id(const ProvCtx *p) { return p->account_id; }

static const char *partition_of(const char *region) {
  if (strncmp(region, "cn-", 3) == 0) return "aws-cn";
  if (strncmp(region, "us-gov-", 7) == 0) return "aws-us-gov";
  return "aws";
}

static void ctx_free(ProvCtx *p) {
  if (!p) return;
  if (p->t && p->t->close) p->t->close(p->t);
  free(p->region);
  free(p->account_id);
  free(p->partition);
  free(p->caller_arn);
  free(p->caller_user_id);
  cJSON_Delete(p->default_tags);
  cJSON_Delete(p->ignore_keys);
  cJSON_Delete(p->ignore_prefixes);
  pthread_mutex_destroy(&p->mu);
  free(p);
}

static ProvCtx *aws_configure(const Value *config, AwsTransport *t, ProvDiags *out) {
  ProvCtx *p = xcalloc(1, sizeof *p);
  pthread_mutex_init(&p->mu, NULL);
  p->t = t;
  cJSON *cfg = config && !val_is_null(config) ? aws_val_json(config) : cJSON_CreateObject();
  const char *region = js_str(cfg, "region");
  if (!region) region = getenv("AWS_REGION");
  if (!region || !*region) region = getenv("AWS_DEFAULT_REGION");
  if (!region || !*region) {
    prov_diag(out, DIAG_ERROR, "region", "Invalid provider configuration",
              "The provider requires a region: set \"region\" in the provider block, or the AWS_REGION or "
              "AWS_DEFAULT_REGION environment variable.");
    cJSON_Delete(cfg);
    ctx_free(p);
    return NULL;
  }
  if (!js_bool(cfg, "skip_region_validation", false)) {
    bool ok = false;
    for (const char *const *r = known_regions; *r; r++)
      if (strcmp(*r, region) == 0) ok = true;
    if (!ok) {
      prov_diag(out, DIAG_ERROR, "region", "Invalid AWS Region", "Invalid AWS Region: %s", region);
      cJSON_Delete(cfg);
      ctx_free(p);
      return NULL;
    }
  }
  p->region = xstrdup(region);
  p->partition = xstrdup(partition_of(region));
  p->default_tags = cJSON_CreateObject();
  cJSON *dt = js_get(js_block(cfg, "default_tags"), "tags");
  if (cJSON_IsObject(dt)) {
    cJSON_Delete(p->default_tags);
    p->default_tags = cJSON_Duplicate(dt, 1);
  }
  const cJSON *it = js_block(cfg, "ignore_tags");
  p->ignore_keys = cJSON_IsArray(js_get(it, "keys")) ? cJSON_Duplicate(js_get(it, "keys"), 1) : cJSON_CreateArray();
  p->ignore_prefixes =
      cJSON_IsArray(js_get(it, "key_prefixes")) ? cJSON_Duplicate(js_get(it, "key_prefixes"), 1) : cJSON_CreateArray();
  bool skip_creds = js_bool(cfg, "skip_credentials_validation", false);
  bool skip_acct = js_bool(cfg, "skip_requesting_account_id", false);
  p->account_id = xstrdup("");
  if (!skip_creds || !skip_acct) {
    cJSON *resp = NULL;
    AwsError e = {0};
    if (aws_call(p, "sts", "GetCallerIdentity", NULL, &resp, &e) != 0) {
      if (!skip_creds) {
        char *s = xasprintf("retrieving caller identity from STS: operation error STS: GetCallerIdentity, https response "
                            "error StatusCode: %d, api error %s: %s",
                            e.http_status, e.code, e.message);
        prov_diag(out, DIAG_ERROR, NULL, "Invalid provider configuration", "%s", s);
        free(s);
        aws_error_clear(&e);
        cJSON_Delete(cfg);
        ctx_free(p);
        return NULL;
      }
      aws_error_clear(&e);
    } else {
      if (!skip_acct && js_str(resp, "Account")) {
        free(p->account_id);
        p->account_id = xstrdup(js_str(resp, "Account"));
      }
      if (js_str(resp, "Arn")) p->caller_arn = xstrdup(js_str(resp, "Arn"));
      if (js_str(resp, "UserId")) p->caller_user_id = xstrdup(js_str(resp, "UserId"));
      cJSON_Delete(resp);
    }
  }
  /* allowed/forbidden account ids are checked as the real provider does */
  const cJSON *e;
  const cJSON *allowed = js_get(cfg, "allowed_account_ids");
  if (cJSON_GetArraySize(allowed) > 0 && *p->account_id) {
    bool ok = false;
    cJSON_ArrayForEach(e, allowed) if (cJSON_IsString(e) && strcmp(e->valuestring, p->account_id) == 0) ok = true;
    if (!ok) prov_diag(out, DIAG_ERROR, "allowed_account_ids", "Invalid provider configuration",
                       "AWS account ID not allowed: %s", p->account_id);
  }
  cJSON_ArrayForEach(e, js_get(cfg, "forbidden_account_ids")) {
    if (cJSON_IsString(e) && strcmp(e->valuestring, p->account_id) == 0)
      prov_diag(out, DIAG_ERROR, "forbidden_account_ids", "Invalid provider configuration",
                "AWS account ID not allowed: %s", p->account_id);
  }
  cJSON_Delete(cfg);
  if (out->nerrors) {
    ctx_free(p);
    return NULL;
  }
  return p;
}

static void aws_close(ProvCtx *p) { ctx_free(p); }

static double aws_clock(ProvCtx *p) { return aws_clock_now(p); }

static void aws_set_sleep_hook(ProvCtx *p, bool (*hook)(void *ud, double seconds), void *ud) {
  p->sleep_hook = hook;
  p->sleep_ud = ud;
}

static void aws_set_create_hook(ProvCtx *p, void (*hook)(void *ud, const cJSON *obj), void *ud) {
  p->create_hook = hook;
  p->create_ud = ud;
}

/* ------------------------------------------------------------- tables */

static const ResourceType *const resources[] = {
    &aws_appautoscaling_policy_type,
    &aws_appautoscaling_target_type,
    &aws_cloudwatch_metric_alarm_type,
    &aws_iam_role_type,
    &aws_iam_role_policy_type,
    &aws_sagemaker_endpoint_type,
    &aws_sagemaker_endpoint_configuration_type,
    &aws_sagemaker_model_type,
    &aws_sns_topic_type,
};

static const DataSourceType *const data_sources[] = {
    &aws_caller_identity_ds,
    &aws_iam_policy_document_ds,
    &aws_partition_ds,
    &aws_region_ds,
};

const Provider aws_provider = {
    .name = "aws",
    .config_schema = &provider_schema,
    .resources = resources,
    .nresources = NELEM(resources),
    .data_sources = data_sources,
    .ndata_sources = NELEM(data_sources),
    .configure = aws_configure,
    .close = aws_close,
    .clock = aws_clock,
    .check_config = aws_check_config,
    .set_create_hook = aws_set_create_hook,
    .set_sleep_hook = aws_set_sleep_hook,
    .advance = aws_advance,
};
