/*
** providers/aws/sagemaker_model.c — aws_sagemaker_model (aws-provider.md
** §6). Models are immutable: every argument but tags forces replacement.
** CreateModel (retried 2 min on ValidationException: the execution role may
** not be visible yet), DescribeModel, AddTags/DeleteTags, DeleteModel.
*/
#include "providers/aws/aws_int.h"

#include "base/util.h"

#include <stdlib.h>
#include <string.h>

static const char *const container_modes[] = {"SingleModel", "MultiModel", NULL};
static const char *const access_modes[] = {"Platform", "Vpc", NULL};
static const char *const s3_data_types[] = {"S3Prefix", "S3Object", NULL};
static const char *const compression_types[] = {"None", "Gzip", NULL};
static const char *const cache_settings[] = {"Enabled", "Disabled", NULL};
static const char *const exec_modes[] = {"Serial", "Direct", NULL};

#define SM_NAME_RULES .max_len = 63, .regex = AWS_RE_SM_NAME, \
  .regex_message = "must contain only alphanumeric characters and hyphens, and must not start with a hyphen"

static const SchemaAttr auth_attrs[] = {
    {.name = "repository_credentials_provider_arn", .type = "string", .flags = REQ | FNEW, .regex = AWS_RE_ARN,
     .regex_message = "is an invalid ARN"},
};
static const Schema auth_schema = SCHEMA_ATTRS(auth_attrs);

static const SchemaAttr image_config_attrs[] = {
    {.name = "repository_access_mode", .type = "string", .flags = REQ | FNEW, .one_of = access_modes},
};
static const SchemaBlock image_config_blocks[] = {
    {.name = "repository_auth_config", .nesting = NEST_LIST, .max_items = 1, .schema = &auth_schema},
};
static const Schema image_config_schema = SCHEMA(image_config_attrs, image_config_blocks);

static const SchemaAttr access_attrs[] = {
    {.name = "accept_eula", .type = "bool", .flags = REQ | FNEW},
};
static const Schema access_schema = SCHEMA_ATTRS(access_attrs);

static const SchemaAttr s3_source_attrs[] = {
    {.name = "s3_uri", .type = "string", .flags = REQ | FNEW, .regex = AWS_RE_S3_URI,
     .regex_message = "must be an https:// or s3:// URI"},
    {.name = "s3_data_type", .type = "string", .flags = REQ | FNEW, .one_of = s3_data_types},
    {.name = "compression_type", .type = "string", .flags = REQ | FNEW, .one_of = compression_types},
};
static const SchemaBlock s3_source_blocks[] = {
    {.name = "model_access_config", .nesting = NEST_LIST, .max_items = 1, .schema = &access_schema},
};
static const Schema s3_source_schema = SCHEMA(s3_source_attrs, s3_source_blocks);

static const SchemaBlock data_source_blocks[] = {
    {.name = "s3_data_source", .nesting = NEST_LIST, .min_items = 1, .schema = &s3_source_schema},
};
static const Schema data_source_schema = {NULL, 0, data_source_blocks, 1};

static const SchemaAttr additional_attrs[] = {
    {.name = "channel_name", .type = "string", .flags = REQ | FNEW},
};
static const Schema additional_schema = {additional_attrs, 1, data_source_blocks, 1};

static const SchemaAttr mm_attrs[] = {
    {.name = "model_cache_setting", .type = "string", .flags = OPT | FNEW, .one_of = cache_settings},
};
static const Schema mm_schema = SCHEMA_ATTRS(mm_attrs);

static const SchemaAttr container_attrs[] = {
    {.name = "container_hostname", .type = "string", .flags = OPT | FNEW, SM_NAME_RULES},
    {.name = "environment", .type = "map(string)", .flags = OPT | FNEW, .max_len = 1024},
    {.name = "image", .type = "string", .flags = OPT | FNEW, .max_len = 255, .regex = "\\S*",
     .regex_message = "must not contain whitespace"},
    {.name = "inference_specification_name", .type = "string", .flags = OPT | FNEW, SM_NAME_RULES},
    {.name = "mode", .type = "string", .flags = OPT | FNEW, .default_json = "\"SingleModel\"", .one_of = container_modes},
    {.name = "model_data_url", .type = "string", .flags = OPT | FNEW, .max_len = 1024, .regex = AWS_RE_S3_URI,
     .regex_message = "must be an https:// or s3:// URI"},
    {.name = "model_package_name", .type = "string", .flags = OPT | FNEW},
};
static const SchemaBlock container_blocks[] = {
    {.name = "additional_model_data_source", .nesting = NEST_LIST, .flags = SA_COMPUTED, .schema = &additional_schema},
    {.name = "image_config", .nesting = NEST_LIST, .max_items = 1, .schema = &image_config_schema},
    {.name = "model_data_source", .nesting = NEST_LIST, .max_items = 1, .flags = SA_COMPUTED, .schema = &data_source_schema},
    {.name = "multi_model_config", .nesting = NEST_LIST, .max_items = 1, .flags = SA_FORCE_NEW, .schema = &mm_schema},
};
static const Schema container_schema = SCHEMA(container_attrs, container_blocks);

static const SchemaAttr iec_attrs[] = {
    {.name = "mode", .type = "string", .flags = REQ | FNEW, .one_of = exec_modes},
};
static const Schema iec_schema = SCHEMA_ATTRS(iec_attrs);

static const SchemaAttr vpc_attrs[] = {
    {.name = "security_group_ids", .type = "set(string)", .flags = REQ | FNEW},
    {.name = "subnets", .type = "set(string)", .flags = REQ | FNEW},
};
static const Schema vpc_schema = SCHEMA_ATTRS(vpc_attrs);

static const SchemaAttr aws_sagemaker_model_attrs[] = {
    AWS_REGION_ATTR,
    {.name = "arn", .type = "string", .flags = CMP},
    {.name = "enable_network_isolation", .type = "bool", .flags = OPT | FNEW},
    {.name = "execution_role_arn", .type = "string", .flags = REQ | FNEW, .regex = AWS_RE_ARN,
     .regex_message = "is an invalid ARN"},
    {.name = "id", .type = "string", .flags = CMP},
    {.name = "name", .type = "string", .flags = OPTC | FNEW, SM_NAME_RULES},
    {.name = "tags", .type = "map(string)", .flags = OPT},
    {.name = "tags_all", .type = "map(string)", .flags = OPTC},
};
static const SchemaBlock aws_sagemaker_model_blocks[] = {
    {.name = "container", .nesting = NEST_LIST, .schema = &container_schema},
    {.name = "inference_execution_config", .nesting = NEST_LIST, .max_items = 1, .flags = SA_COMPUTED | SA_FORCE_NEW,
     .schema = &iec_schema},
    {.name = "primary_container", .nesting = NEST_LIST, .max_items = 1, .schema = &container_schema},
    {.name = "vpc_config", .nesting = NEST_LIST, .max_items = 1, .flags = SA_FORCE_NEW, .schema = &vpc_schema},
};
static const Schema aws_sagemaker_model_schema = SCHEMA(aws_sagemaker_model_attrs, aws_sagemaker_model_blocks);

/* ------------------------------------------------------------ field map */

static const AwsField f_access[] = {{"accept_eula", "AcceptEula", F_BOOL, NULL}, {0}};
static const AwsField f_s3_source[] = {{"s3_uri", "S3Uri", F_STR, NULL},
                                       {"s3_data_type", "S3DataType", F_STR, NULL},
                                       {"compression_type", "CompressionType", F_STR, NULL},
                                       {"model_access_config", "ModelAccessConfig", F_OBJ, f_access},
                                       {0}};
static const AwsField f_data_source[] = {{"s3_data_source", "S3DataSource", F_OBJ, f_s3_source}, {0}};
static const AwsField f_additional[] = {{"channel_name", "ChannelName", F_STR, NULL},
                                        {"s3_data_source", "S3DataSource", F_OBJ, f_s3_source},
                                        {0}};
static const AwsField f_auth[] = {{"repository_credentials_provider_arn", "RepositoryCredentialsProviderArn", F_STR, NULL},
                                  {0}};
static const AwsField f_image_config[] = {{"repository_access_mode", "RepositoryAccessMode", F_STR, NULL},
                                          {"repository_auth_config", "RepositoryAuthConfig", F_OBJ, f_auth},
                                          {0}};
static const AwsField f_mm[] = {{"model_cache_setting", "ModelCacheSetting", F_STR, NULL}, {0}};
static const AwsField f_container[] = {
    {"image", "Image", F_STR, NULL},
    {"mode", "Mode", F_STR, NULL},
    {"model_data_url", "ModelDataUrl", F_STR, NULL},
    {"model_package_name", "ModelPackageName", F_STR, NULL},
    {"container_hostname", "ContainerHostname", F_STR, NULL},
    {"environment", "Environment", F_MAP, NULL},
    {"inference_specification_name", "InferenceSpecificationName", F_STR, NULL},
    {"image_config", "ImageConfig", F_OBJ, f_image_config},
    {"model_data_source", "ModelDataSource", F_OBJ, f_data_source},
    {"additional_model_data_source", "AdditionalModelDataSources", F_OBJS, f_additional},
    {"multi_model_config", "MultiModelConfig", F_OBJ, f_mm},
    {0}};
static const AwsField f_iec[] = {{"mode", "Mode", F_STR, NULL}, {0}};
static const AwsField f_vpc[] = {{"security_group_ids", "SecurityGroupIds", F_LIST, NULL},
                                 {"subnets", "Subnets", F_LIST, NULL},
                                 {0}};
static const AwsField f_model[] = {
    {"execution_role_arn", "ExecutionRoleArn", F_STR, NULL},
    {"primary_container", "PrimaryContainer", F_OBJ, f_container},
    {"container", "Containers", F_OBJS, f_container},
    {"enable_network_isolation", "EnableNetworkIsolation", F_BOOL, NULL},
    {"inference_execution_config", "InferenceExecutionConfig", F_OBJ, f_iec},
    {"vpc_config", "VpcConfig", F_OBJ, f_vpc},
    {0}};

#define WHAT "SageMaker AI Model"

static int model_create(ProvCtx *p, cJSON *plan, ProvDiags *out) {
  const char *name = js_str(plan, "name");
  cJSON *req = aws_req("ModelName", name);
  aws_expand(f_model, plan, req);
  cJSON *tags = aws_tags_request(p, plan, false);
  if (tags) cJSON_AddItemToObject(req, "Tags", tags);
  AwsError e = {0};
  /* the real provider retries any ValidationException for 2 minutes: a role
  ** created a moment ago may not be assumable yet */
  int rc = aws_call_retry(p, "sagemaker", "CreateModel", req, NULL, &e, 120, "ValidationException", NULL);
  cJSON_Delete(req);
  if (rc != 0) {
    aws_err_diag(out, "creating", WHAT, name, "sagemaker", "CreateModel", &e);
    aws_error_clear(&e);
    return -1;
  }
  js_set_str(plan, "id", name);
  return 0;
}

static int model_read(ProvCtx *p, cJSON *st, ProvDiags *out) {
  const char *id = js_str(st, "id");
  if (!id) return AWS_GONE;
  char *name = xstrdup(id);
  cJSON *req = aws_req("ModelName", name), *resp = NULL;
  AwsError e = {0};
  int rc = aws_call(p, "sagemaker", "DescribeModel", req, &resp, &e);
  cJSON_Delete(req);
  if (rc != 0) {
    /* SageMaker says "not found" with a ValidationException */
    int r = AWS_GONE;
    if (!aws_err_is(&e, "ValidationException", NULL)) {
      aws_err_diag(out, "reading", WHAT, name, "sagemaker", "DescribeModel", &e);
      r = AWS_FAILED;
    }
    aws_error_clear(&e);
    free(name);
    return r;
  }
  js_set_str(st, "name", js_str(resp, "ModelName"));
  js_set_str(st, "arn", js_str(resp, "ModelArn"));
  aws_flatten(f_model, resp, st);
  char *arn = xstrdup(js_str(resp, "ModelArn") ? js_str(resp, "ModelArn") : "");
  cJSON_Delete(resp);
  rc = aws_tags_fetch(p, &AWS_TAGS_SAGEMAKER, arn, st, WHAT, out);
  free(arn);
  free(name);
  return rc ? AWS_FAILED : AWS_FOUND;
}

static int model_update(ProvCtx *p, const cJSON *prior, cJSON *plan, ProvDiags *out) {
  return aws_tags_update(p, &AWS_TAGS_SAGEMAKER, js_str(prior, "arn"), prior, plan, WHAT, out);
}

static int model_delete(ProvCtx *p, const cJSON *prior, ProvDiags *out) {
  cJSON *req = aws_req("ModelName", js_str(prior, "id"));
  AwsError e = {0};
  int rc = aws_call_retry(p, "sagemaker", "DeleteModel", req, NULL, &e, 300, "ResourceNotFound", NULL);
  cJSON_Delete(req);
  if (rc != 0 && !aws_err_is(&e, "ValidationException", "Could not find model")) {
    aws_err_diag(out, "deleting", WHAT, js_str(prior, "id"), "sagemaker", "DeleteModel", &e);
    aws_error_clear(&e);
    return -1;
  }
  aws_error_clear(&e);
  return 0;
}

static int model_import(ProvCtx *p, const char *id, cJSON *st, ProvDiags *out) {
  (void)p;
  (void)out;
  js_set_str(st, "id", id);
  return 0;
}

static const AwsRes aws_sagemaker_model_res = {
    .type = "aws_sagemaker_model",
    .schema = &aws_sagemaker_model_schema,
    .regional = true,
    .generated_name = true,
    .has_tags = true,
    .create = model_create,
    .update = model_update,
    .del = model_delete,
    .read = model_read,
    .import_id = model_import,
};

AWS_RESOURCE(aws_sagemaker_model, "id");
