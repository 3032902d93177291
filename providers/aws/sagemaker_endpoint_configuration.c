/*
** providers/aws/sagemaker_endpoint_configuration.c —
** aws_sagemaker_endpoint_configuration (aws-provider.md §7). Immutable but
** for tags: every variant, data capture, async and key change replaces it.
** CreateEndpointConfig (no wait), DescribeEndpointConfig, tags, delete.
** Variant names left out are generated at apply ("terraform-" + 26), not
** "AllTraffic", as the real provider does.
*/
#include "providers/aws/aws_int.h"

#include "base/util.h"

#include <stdlib.h>
#include <string.h>

static const char *const conflicts_name[] = {"name_prefix", NULL};
static const char *const conflicts_prefix[] = {"name", NULL};
static const char *const accelerators[] = {"ml.eia1.medium", "ml.eia1.large",  "ml.eia1.xlarge",
                                           "ml.eia2.medium", "ml.eia2.large",  "ml.eia2.xlarge", NULL};
static const char *const ami_versions[] = {"al2-ami-sagemaker-inference-gpu-2", "al2-ami-sagemaker-inference-gpu-2-1",
                                           "al2-ami-sagemaker-inference-gpu-3-1",
                                           "al2-ami-sagemaker-inference-neuron-2",
                                           "al2023-ami-sagemaker-inference-gpu-4-1", NULL};
static const char *const memory_sizes[] = {"1024", "2048", "3072", "4096", "5120", "6144", NULL};
static const char *const routing_strategies[] = {"LEAST_OUTSTANDING_REQUESTS", "RANDOM", NULL};
static const char *const scaling_status[] = {"ENABLED", "DISABLED", NULL};
static const char *const reservation_prefs[] = {"capacity-reservations-only", NULL};
static const char *const capture_modes[] = {"Input", "Output", "InputAndOutput", NULL};
static const char *const notification_topics[] = {"SUCCESS_NOTIFICATION_TOPIC", "ERROR_NOTIFICATION_TOPIC", NULL};

#define ARN_RULE .regex = AWS_RE_ARN, .regex_message = "is an invalid ARN"
#define S3_RULE .regex = AWS_RE_S3_URI, .regex_message = "must be an https:// or s3:// URI"

static const SchemaAttr serverless_attrs[] = {
    {.name = "max_concurrency", .type = "number", .flags = REQ | FNEW, .has_range = true, .min = 1, .max = 200},
    /* one of 1024..6144 in steps of 1024; checked in validate (a number) */
    {.name = "memory_size_in_mb", .type = "number", .flags = REQ | FNEW, .has_range = true, .min = 1024, .max = 6144},
    {.name = "provisioned_concurrency", .type = "number", .flags = OPT | FNEW, .has_range = true, .min = 1, .max = 200},
};
static const Schema serverless_schema = SCHEMA_ATTRS(serverless_attrs);

static const SchemaAttr core_dump_attrs[] = {
    {.name = "destination_s3_uri", .type = "string", .flags = REQ | FNEW, .min_len = 1, .max_len = 512, S3_RULE},
    {.name = "kms_key_id", .type = "string", .flags = OPT | FNEW, ARN_RULE},
};
static const Schema core_dump_schema = SCHEMA_ATTRS(core_dump_attrs);
static const SchemaAttr shadow_core_dump_attrs[] = {
    {.name = "destination_s3_uri", .type = "string", .flags = REQ | FNEW, .min_len = 1, .max_len = 512, S3_RULE},
    {.name = "kms_key_id", .type = "string", .flags = REQ | FNEW, ARN_RULE},
};
static const Schema shadow_core_dump_schema = SCHEMA_ATTRS(shadow_core_dump_attrs);

static const SchemaAttr routing_attrs[] = {
    {.name = "routing_strategy", .type = "string", .flags = REQ | FNEW, .one_of = routing_strategies},
};
static const Schema routing_schema = SCHEMA_ATTRS(routing_attrs);

static const SchemaAttr mis_attrs[] = {
    {.name = "max_instance_count", .type = "number", .flags = OPT | FNEW, .has_range = true, .min = 1, .max = 1e9},
    {.name = "min_instance_count", .type = "number", .flags = OPT | FNEW, .has_range = true, .min = 0, .max = 1e9},
    {.name = "status", .type = "string", .flags = OPT | FNEW, .one_of = scaling_status},
};
static const Schema mis_schema = SCHEMA_ATTRS(mis_attrs);

static const SchemaAttr crc_attrs[] = {
    {.name = "capacity_reservation_preference", .type = "string", .flags = OPT | FNEW, .one_of = reservation_prefs},
    {.name = "ml_reservation_arn", .type = "string", .flags = OPT | FNEW, ARN_RULE},
};
static const Schema crc_schema = SCHEMA_ATTRS(crc_attrs);

#define VARIANT_ATTRS(VOLUME_FLAGS)                                                                                  \
  {.name = "accelerator_type", .type = "string", .flags = OPT | FNEW, .one_of = accelerators},                       \
  {.name = "container_startup_health_check_timeout_in_seconds", .type = "number", .flags = OPT | FNEW,              \
   .has_range = true, .min = 60, .max = 3600},                                                                      \
  {.name = "enable_ssm_access", .type = "bool", .flags = OPT | FNEW},                                                \
  {.name = "inference_ami_version", .type = "string", .flags = OPT | FNEW, .one_of = ami_versions},                  \
  {.name = "initial_instance_count", .type = "number", .flags = OPT | FNEW, .has_range = true, .min = 1, .max = 1e9},\
  {.name = "initial_variant_weight", .type = "number", .flags = OPT | FNEW, .default_json = "1", .has_range = true,  \
   .min = 0, .max = 1e18},                                                                                           \
  {.name = "instance_type", .type = "string", .flags = OPT | FNEW, .one_of = AWS_INSTANCE_TYPES},                    \
  {.name = "model_data_download_timeout_in_seconds", .type = "number", .flags = OPT | FNEW, .has_range = true,      \
   .min = 60, .max = 3600},                                                                                          \
  {.name = "model_name", .type = "string", .flags = OPT | FNEW},                                                     \
  {.name = "variant_name", .type = "string", .flags = OPTC | FNEW},                                                  \
  {.name = "volume_size_in_gb", .type = "number", .flags = VOLUME_FLAGS | FNEW, .has_range = true, .min = 1, .max = 512}

static const SchemaAttr variant_attrs[] = {VARIANT_ATTRS(OPTC)};
static const SchemaBlock variant_blocks[] = {
    {.name = "capacity_reservation_config", .nesting = NEST_LIST, .max_items = 1, .flags = FNEW, .schema = &crc_schema},
    {.name = "core_dump_config", .nesting = NEST_LIST, .max_items = 1, .flags = FNEW, .schema = &core_dump_schema},
    {.name = "managed_instance_scaling", .nesting = NEST_LIST, .max_items = 1, .flags = FNEW, .schema = &mis_schema},
    {.name = "routing_config", .nesting = NEST_LIST, .flags = FNEW, .schema = &routing_schema},
    {.name = "serverless_config", .nesting = NEST_LIST, .max_items = 1, .flags = FNEW, .schema = &serverless_schema},
};
static const Schema variant_schema = SCHEMA(variant_attrs, variant_blocks);

static const SchemaAttr shadow_variant_attrs[] = {VARIANT_ATTRS(OPT)};
static const SchemaBlock shadow_variant_blocks[] = {
    {.name = "capacity_reservation_config", .nesting = NEST_LIST, .max_items = 1, .flags = FNEW, .schema = &crc_schema},
    {.name = "core_dump_config", .nesting = NEST_LIST, .max_items = 1, .flags = FNEW, .schema = &shadow_core_dump_schema},
    {.name = "managed_instance_scaling", .nesting = NEST_LIST, .max_items = 1, .flags = FNEW, .schema = &mis_schema},
    {.name = "routing_config", .nesting = NEST_LIST, .flags = FNEW, .schema = &routing_schema},
    {.name = "serverless_config", .nesting = NEST_LIST, .max_items = 1, .flags = FNEW, .schema = &serverless_schema},
};
static const Schema shadow_variant_schema = SCHEMA(shadow_variant_attrs, shadow_variant_blocks);

static const SchemaAttr capture_option_attrs[] = {
    {.name = "capture_mode", .type = "string", .flags = REQ | FNEW, .one_of = capture_modes},
};
static const Schema capture_option_schema = SCHEMA_ATTRS(capture_option_attrs);

static const SchemaAttr cth_attrs[] = {
    {.name = "csv_content_types", .type = "set(string)", .flags = OPT | FNEW, .min_len = 1, .max_len = 256},
    {.name = "json_content_types", .type = "set(string)", .flags = OPT | FNEW, .min_len = 1, .max_len = 256},
};
static const Schema cth_schema = SCHEMA_ATTRS(cth_attrs);

static const SchemaAttr dcc_attrs[] = {
    {.name = "destination_s3_uri", .type = "string", .flags = REQ | FNEW, .min_len = 1, .max_len = 512, S3_RULE},
    {.name = "enable_capture", .type = "bool", .flags = OPT | FNEW},
    {.name = "initial_sampling_percentage", .type = "number", .flags = REQ | FNEW, .has_range = true, .min = 0,
     .max = 100},
    {.name = "kms_key_id", .type = "string", .flags = OPT | FNEW, ARN_RULE},
};
static const SchemaBlock dcc_blocks[] = {
    {.name = "capture_content_type_header", .nesting = NEST_LIST, .max_items = 1, .flags = FNEW, .schema = &cth_schema},
    {.name = "capture_options", .nesting = NEST_LIST, .min_items = 1, .max_items = 2, .flags = FNEW,
     .schema = &capture_option_schema},
};
static const Schema dcc_schema = SCHEMA(dcc_attrs, dcc_blocks);

static const SchemaAttr notification_attrs[] = {
    {.name = "error_topic", .type = "string", .flags = OPT | FNEW, ARN_RULE},
    {.name = "include_inference_response_in", .type = "set(string)", .flags = OPT | FNEW, .one_of = notification_topics},
    {.name = "success_topic", .type = "string", .flags = OPT | FNEW, ARN_RULE},
};
static const Schema notification_schema = SCHEMA_ATTRS(notification_attrs);

static const SchemaAttr output_attrs[] = {
    {.name = "kms_key_id", .type = "string", .flags = OPT | FNEW, ARN_RULE},
    {.name = "s3_failure_path", .type = "string", .flags = OPT | FNEW, .min_len = 1, .max_len = 512, S3_RULE},
    {.name = "s3_output_path", .type = "string", .flags = REQ | FNEW, .min_len = 1, .max_len = 512, S3_RULE},
};
static const SchemaBlock output_blocks[] = {
    {.name = "notification_config", .nesting = NEST_LIST, .max_items = 1, .flags = FNEW, .schema = &notification_schema},
};
static const Schema output_schema = SCHEMA(output_attrs, output_blocks);

static const SchemaAttr client_attrs[] = {
    {.name = "max_concurrent_invocations_per_instance", .type = "number", .flags = OPT | FNEW, .has_range = true,
     .min = 1, .max = 1000},
};
static const Schema client_schema = SCHEMA_ATTRS(client_attrs);

static const SchemaBlock async_blocks[] = {
    {.name = "client_config", .nesting = NEST_LIST, .max_items = 1, .flags = FNEW, .schema = &client_schema},
    {.name = "output_config", .nesting = NEST_LIST, .min_items = 1, .max_items = 1, .flags = FNEW,
     .schema = &output_schema},
};
static const Schema async_schema = {NULL, 0, async_blocks, NELEM(async_blocks)};

static const SchemaAttr aws_sagemaker_endpoint_configuration_attrs[] = {
    AWS_REGION_ATTR,
    {.name = "arn", .type = "string", .flags = CMP},
    {.name = "execution_role_arn", .type = "string", .flags = OPT | FNEW, ARN_RULE},
    {.name = "id", .type = "string", .flags = CMP},
    {.name = "kms_key_arn", .type = "string", .flags = OPT | FNEW, ARN_RULE},
    {.name = "name", .type = "string", .flags = OPTC | FNEW, .max_len = 63, .regex = AWS_RE_SM_NAME,
     .regex_message = "must contain only alphanumeric characters and hyphens, and must not start with a hyphen",
     .conflicts_with = conflicts_name},
    {.name = "name_prefix", .type = "string", .flags = OPTC | FNEW, .max_len = 37, .regex = AWS_RE_SM_PREFIX,
     .regex_message = "must contain only alphanumeric characters and hyphens, and must not start with a hyphen",
     .conflicts_with = conflicts_prefix},
    {.name = "tags", .type = "map(string)", .flags = OPT},
    {.name = "tags_all", .type = "map(string)", .flags = OPTC},
};
static const SchemaBlock aws_sagemaker_endpoint_configuration_blocks[] = {
    {.name = "async_inference_config", .nesting = NEST_LIST, .max_items = 1, .flags = FNEW, .schema = &async_schema},
    {.name = "data_capture_config", .nesting = NEST_LIST, .max_items = 1, .flags = FNEW, .schema = &dcc_schema},
    {.name = "production_variants", .nesting = NEST_LIST, .min_items = 1, .max_items = 10, .schema = &variant_schema},
    {.name = "shadow_production_variants", .nesting = NEST_LIST, .max_items = 10, .schema = &shadow_variant_schema},
};
static const Schema aws_sagemaker_endpoint_configuration_schema =
    SCHEMA(aws_sagemaker_endpoint_configuration_attrs, aws_sagemaker_endpoint_configuration_blocks);

/* ------------------------------------------------------------ field map */

static const AwsField f_serverless[] = {{"max_concurrency", "MaxConcurrency", F_NUM, NULL},
                                        {"memory_size_in_mb", "MemorySizeInMB", F_NUM, NULL},
                                        {"provisioned_concurrency", "ProvisionedConcurrency", F_NUM, NULL},
                                        {0}};
static const AwsField f_core_dump[] = {{"destination_s3_uri", "DestinationS3Uri", F_STR, NULL},
                                       {"kms_key_id", "KmsKeyId", F_STR, NULL},
                                       {0}};
static const AwsField f_routing[] = {{"routing_strategy", "RoutingStrategy", F_STR, NULL}, {0}};
static const AwsField f_mis[] = {{"max_instance_count", "MaxInstanceCount", F_NUM, NULL},
                                 {"min_instance_count", "MinInstanceCount", F_NUM, NULL},
                                 {"status", "Status", F_STR, NULL},
                                 {0}};
static const AwsField f_crc[] = {{"capacity_reservation_preference", "CapacityReservationPreference", F_STR, NULL},
                                 {"ml_reservation_arn", "MlReservationArn", F_STR, NULL},
                                 {0}};
static const AwsField f_variant[] = {
    {"variant_name", "VariantName", F_STR, NULL},
    {"model_name", "ModelName", F_STR, NULL},
    {"instance_type", "InstanceType", F_STR, NULL},
    {"initial_instance_count", "InitialInstanceCount", F_NUM, NULL},
    {"initial_variant_weight", "InitialVariantWeight", F_NUM, NULL},
    {"accelerator_type", "AcceleratorType", F_STR, NULL},
    {"volume_size_in_gb", "VolumeSizeInGB", F_NUM, NULL},
    {"model_data_download_timeout_in_seconds", "ModelDataDownloadTimeoutInSeconds", F_NUM, NULL},
    {"container_startup_health_check_timeout_in_seconds", "ContainerStartupHealthCheckTimeoutInSeconds", F_NUM, NULL},
    {"enable_ssm_access", "EnableSSMAccess", F_BOOL, NULL},
    {"inference_ami_version", "InferenceAmiVersion", F_STR, NULL},
    {"serverless_config", "ServerlessConfig", F_OBJ, f_serverless},
    {"core_dump_config", "CoreDumpConfig", F_OBJ, f_core_dump},
    {"routing_config", "RoutingConfig", F_OBJ, f_routing},
    {"managed_instance_scaling", "ManagedInstanceScaling", F_OBJ, f_mis},
    {"capacity_reservation_config", "CapacityReservationConfig", F_OBJ, f_crc},
    {0}};
static const AwsField f_capture_option[] = {{"capture_mode", "CaptureMode", F_STR, NULL}, {0}};
static const AwsField f_cth[] = {{"csv_content_types", "CsvContentTypes", F_LIST, NULL},
                                 {"json_content_types", "JsonContentTypes", F_LIST, NULL},
                                 {0}};
static const AwsField f_dcc[] = {{"initial_sampling_percentage", "InitialSamplingPercentage", F_NUM, NULL},
                                 {"destination_s3_uri", "DestinationS3Uri", F_STR, NULL},
                                 {"capture_options", "CaptureOptions", F_OBJS, f_capture_option},
                                 {"enable_capture", "EnableCapture", F_BOOL, NULL},
                                 {"kms_key_id", "KmsKeyId", F_STR, NULL},
                                 {"capture_content_type_header", "CaptureContentTypeHeader", F_OBJ, f_cth},
                                 {0}};
static const AwsField f_notification[] = {{"success_topic", "SuccessTopic", F_STR, NULL},
                                          {"error_topic", "ErrorTopic", F_STR, NULL},
                                          {"include_inference_response_in", "IncludeInferenceResponseIn", F_LIST, NULL},
                                          {0}};
static const AwsField f_output[] = {{"s3_output_path", "S3OutputPath", F_STR, NULL},
                                    {"s3_failure_path", "S3FailurePath", F_STR, NULL},
                                    {"kms_key_id", "KmsKeyId", F_STR, NULL},
                                    {"notification_config", "NotificationConfig", F_OBJ, f_notification},
                                    {0}};
static const AwsField f_client[] = {
    {"max_concurrent_invocations_per_instance", "MaxConcurrentInvocationsPerInstance", F_NUM, NULL}, {0}};
static const AwsField f_async[] = {{"output_config", "OutputConfig", F_OBJ, f_output},
                                   {"client_config", "ClientConfig", F_OBJ, f_client},
                                   {0}};
static const AwsField f_config[] = {
    {"production_variants", "ProductionVariants", F_OBJS, f_variant},
    {"shadow_production_variants", "ShadowProductionVariants", F_OBJS, f_variant},
    {"data_capture_config", "DataCaptureConfig", F_OBJ, f_dcc},
    {"async_inference_config", "AsyncInferenceConfig", F_OBJ, f_async},
    {"kms_key_arn", "KmsKeyId", F_STR, NULL},
    {"execution_role_arn", "ExecutionRoleArn", F_STR, NULL},
    {0}};

#define WHAT "SageMaker AI Endpoint Configuration"

/* Variant names left out are generated, one per variant. */
static void name_variants(ProvCtx *p, cJSON *variants) {
  cJSON *v;
  cJSON_ArrayForEach(v, variants) {
    if (js_str(v, "variant_name")) continue;
    char *n = aws_unique_name(p, NULL);
    js_set_str(v, "variant_name", n);
    free(n);
  }
}

/* An inference-component variant (no model) sends no weight. */
static void drop_weights(cJSON *api_variants) {
  cJSON *v;
  cJSON_ArrayForEach(v, api_variants) if (!js_str(v, "ModelName")) {
    cJSON_DeleteItemFromObjectCaseSensitive(v, "InitialVariantWeight");
    cJSON_DeleteItemFromObjectCaseSensitive(v, "EnableSSMAccess");
  }
}

static int config_create(ProvCtx *p, cJSON *plan, ProvDiags *out) {
  const char *name = js_str(plan, "name");
  name_variants(p, js_get(plan, "production_variants"));
  name_variants(p, js_get(plan, "shadow_production_variants"));
  cJSON *req = aws_req("EndpointConfigName", name);
  aws_expand(f_config, plan, req);
  drop_weights(js_get(req, "ProductionVariants"));
  drop_weights(js_get(req, "ShadowProductionVariants"));
  cJSON *tags = aws_tags_request(p, plan, false);
  if (tags) cJSON_AddItemToObject(req, "Tags", tags);
  if (aws_do(p, "sagemaker", "CreateEndpointConfig", req, NULL, "creating", WHAT, name, out)) return -1;
  js_set_str(plan, "id", name);
  return 0;
}

static int config_read(ProvCtx *p, cJSON *st, ProvDiags *out) {
  const char *id = js_str(st, "id");
  if (!id) return AWS_GONE;
  char *name = xstrdup(id);
  cJSON *req = aws_req("EndpointConfigName", name), *resp = NULL;
  AwsError e = {0};
  int rc = aws_call(p, "sagemaker", "DescribeEndpointConfig", req, &resp, &e);
  cJSON_Delete(req);
  if (rc != 0) {
    int r = AWS_GONE;
    if (!aws_err_is(&e, "ValidationException", "Could not find endpoint configuration")) {
      aws_err_diag(out, "reading", WHAT, name, "sagemaker", "DescribeEndpointConfig", &e);
      r = AWS_FAILED;
    }
    aws_error_clear(&e);
    free(name);
    return r;
  }
  js_set_str(st, "name", js_str(resp, "EndpointConfigName"));
  char *prefix = aws_name_prefix_of(js_str(resp, "EndpointConfigName"));
  if (prefix || !js_str(st, "name_prefix")) js_set_str(st, "name_prefix", prefix);
  free(prefix);
  js_set_str(st, "arn", js_str(resp, "EndpointConfigArn"));
  aws_flatten(f_config, resp, st);
  char *arn = xstrdup(js_str(resp, "EndpointConfigArn") ? js_str(resp, "EndpointConfigArn") : "");
  cJSON_Delete(resp);
  rc = aws_tags_fetch(p, &AWS_TAGS_SAGEMAKER, arn, st, WHAT, out);
  free(arn);
  free(name);
  return rc ? AWS_FAILED : AWS_FOUND;
}

static int config_update(ProvCtx *p, const cJSON *prior, cJSON *plan, ProvDiags *out) {
  return aws_tags_update(p, &AWS_TAGS_SAGEMAKER, js_str(prior, "arn"), prior, plan, WHAT, out);
}

static int config_delete(ProvCtx *p, const cJSON *prior, ProvDiags *out) {
  /* like the real provider, no check that an endpoint still uses it */
  cJSON *req = aws_req("EndpointConfigName", js_str(prior, "id"));
  AwsError e = {0};
  int rc = aws_call(p, "sagemaker", "DeleteEndpointConfig", req, NULL, &e);
  cJSON_Delete(req);
  if (rc != 0 && !aws_err_is(&e, "ValidationException", "Could not find endpoint configuration")) {
    aws_err_diag(out, "deleting", WHAT, js_str(prior, "id"), "sagemaker", "DeleteEndpointConfig", &e);
    aws_error_clear(&e);
    return -1;
  }
  aws_error_clear(&e);
  return 0;
}

static int config_import(ProvCtx *p, const char *id, cJSON *st, ProvDiags *out) {
  (void)p;
  (void)out;
  js_set_str(st, "id", id);
  return 0;
}

/* Checks the schema cannot say: serverless memory in 1 GB steps, and a
** capture_content_type_header that sets at least one list. */
static void config_validate(const Value *config, ProvDiags *out) {
  cJSON *c = aws_val_json(config);
  static const char *const lists[] = {"production_variants", "shadow_production_variants"};
  for (int l = 0; l < 2; l++) {
    int i = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, js_get(c, lists[l])) {
      const cJSON *sc = js_block(v, "serverless_config");
      double mem = js_num(sc, "memory_size_in_mb", 1024);
      bool ok = false;
      for (const char *const *m = memory_sizes; *m; m++)
        if (atof(*m) == mem) ok = true;
      if (!ok) {
        char *path = xasprintf("%s[%d].serverless_config[0].memory_size_in_mb", lists[l], i);
        prov_diag(out, DIAG_ERROR, path, "Invalid value",
                  "expected %s to be one of [1024 2048 3072 4096 5120 6144], got %g", path, mem);
        free(path);
      }
      i++;
    }
  }
  const cJSON *cth = js_block(js_block(c, "data_capture_config"), "capture_content_type_header");
  if (cth && cJSON_GetArraySize(js_get(cth, "csv_content_types")) == 0 &&
      cJSON_GetArraySize(js_get(cth, "json_content_types")) == 0)
    prov_diag(out, DIAG_ERROR, "data_capture_config[0].capture_content_type_header[0]", "Invalid capture content type header",
              "one of `csv_content_types` or `json_content_types` must be set when capture_content_type_header is "
              "configured");
  cJSON_Delete(c);
}

static const AwsRes aws_sagemaker_endpoint_configuration_res = {
    .type = "aws_sagemaker_endpoint_configuration",
    .schema = &aws_sagemaker_endpoint_configuration_schema,
    .regional = true,
    .generated_name = true,
    .has_tags = true,
    .create = config_create,
    .update = config_update,
    .del = config_delete,
    .read = config_read,
    .import_id = config_import,
    .validate = config_validate,
};

AWS_RESOURCE(aws_sagemaker_endpoint_configuration, "id");
