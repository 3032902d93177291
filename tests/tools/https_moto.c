/*
** tests/tools/https_moto.c — drives the HTTPS transport against a moto
** server (started by tests/suites/https_moto.sh, which points
** AWS_ENDPOINT_URL at it and sets dummy credentials). Every call goes
** through the call interface exactly as the AWS resources make it; each
** check prints "ok - https/moto/NAME" or "FAIL - https/moto/NAME: why".
*/
#include "base/util.h"
#include "providers/https/https.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static AwsTransport *T;
static int failures;

static void result(const char *name, int ok, const char *fmt, ...) {
  if (ok) {
    printf("ok - https/moto/%s\n", name);
    return;
  }
  failures++;
  printf("FAIL - https/moto/%s: ", name);
  va_list ap;
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
}

/* Calls service.op with the request given as JSON text; returns the
** response (or NULL, with *err filled). */
static cJSON *call(const char *svc, const char *op, const char *req_json, AwsError *err) {
  cJSON *req = cJSON_Parse(req_json);
  if (!req) {
    fprintf(stderr, "bad test JSON for %s: %s\n", op, req_json);
    exit(2);
  }
  cJSON *resp = NULL;
  int rc = T->call(T, svc, op, req, &resp, err);
  cJSON_Delete(req);
  return rc == 0 ? resp : NULL;
}

/* A call that must succeed; reports under name. */
static cJSON *must(const char *name, const char *svc, const char *op, const char *req_json) {
  AwsError err = {0};
  cJSON *r = call(svc, op, req_json, &err);
  result(name, r != NULL, "%s %s failed: %s: %s (HTTP %d)", svc, op, err.code, err.message, err.http_status);
  aws_error_clear(&err);
  return r;
}

/* A call that must fail with code and status. */
static void must_fail(const char *name, const char *svc, const char *op, const char *req_json, const char *code,
                      int status) {
  AwsError err = {0};
  cJSON *r = call(svc, op, req_json, &err);
  result(name, !r && err.code && strcmp(err.code, code) == 0 && (status == 0 || err.http_status == status),
         "%s %s: want %s (HTTP %d), got %s (HTTP %d): %s", svc, op, code, status, r ? "success" : err.code,
         err.http_status, err.message ? err.message : "");
  cJSON_Delete(r);
  aws_error_clear(&err);
}

/* The value at a dotted path ("Role.Tags.0.Key"; numbers index arrays). */
static const cJSON *at(const cJSON *j, const char *path) {
  char *p = xstrdup(path), *save = NULL;
  for (char *k = strtok_r(p, ".", &save); k && j; k = strtok_r(NULL, ".", &save))
    j = cJSON_IsArray(j) ? cJSON_GetArrayItem(j, atoi(k)) : cJSON_GetObjectItemCaseSensitive(j, k);
  free(p);
  return j;
}

static const char *s_at(const cJSON *j, const char *path) {
  const cJSON *v = at(j, path);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void expect_str(const char *name, const cJSON *j, const char *path, const char *want) {
  const char *got = s_at(j, path);
  result(name, got && strcmp(got, want) == 0, "%s = %s, want %s", path, got ? got : "(missing)", want);
}

static void expect_num(const char *name, const cJSON *j, const char *path, double want) {
  const cJSON *v = at(j, path);
  char *got = v ? cJSON_PrintUnformatted(v) : NULL;
  result(name, cJSON_IsNumber(v) && v->valuedouble == want, "%s is %s, not the number %g", path,
         got ? got : "(missing)", want);
  free(got);
}

static void expect_array(const char *name, const cJSON *j, const char *path, int n) {
  const cJSON *v = at(j, path);
  result(name, cJSON_IsArray(v) && cJSON_GetArraySize(v) == n, "%s is not an array of %d", path, n);
}

static void expect_bool(const char *name, const cJSON *j, const char *path, int want) {
  const cJSON *v = at(j, path);
  result(name, cJSON_IsBool(v) && cJSON_IsTrue(v) == want, "%s is not %s", path, want ? "true" : "false");
}

static void test_sts(void) {
  const char *acct = https_account_id(T);
  result("open-validates-credentials", acct && strlen(acct) == 12, "account id %s", acct ? acct : "(none)");
  cJSON *r = must("sts-get-caller-identity", "sts", "GetCallerIdentity", "{}");
  if (r) {
    expect_str("sts-account", r, "Account", acct ? acct : "");
    result("sts-arn", s_at(r, "Arn") && strncmp(s_at(r, "Arn"), "arn:aws:", 8) == 0, "Arn missing");
  }
  cJSON_Delete(r);
}

static char role_arn[256];

static void test_iam(void) {
  const char *trust = "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\","
                      "\\\"Principal\\\":{\\\"Service\\\":\\\"sagemaker.amazonaws.com\\\"},\\\"Action\\\":\\\"sts:"
                      "AssumeRole\\\"}]}";
  char *req = xasprintf("{\"RoleName\":\"tfc-moto-role\",\"Path\":\"/service/\",\"Description\":\"a role & more <x>\","
                        "\"MaxSessionDuration\":7200,\"AssumeRolePolicyDocument\":\"%s\","
                        "\"Tags\":[{\"Key\":\"env\",\"Value\":\"prod\"},{\"Key\":\"team\",\"Value\":\"ml ops\"}]}",
                        trust);
  cJSON *r = must("iam-create-role", "iam", "CreateRole", req);
  if (r) {
    expect_str("iam-create-role-name", r, "Role.RoleName", "tfc-moto-role");
    expect_str("iam-create-role-path", r, "Role.Path", "/service/");
    snprintf(role_arn, sizeof role_arn, "%s", s_at(r, "Role.Arn") ? s_at(r, "Role.Arn") : "");
    result("iam-create-role-arn", strstr(role_arn, ":role/service/tfc-moto-role") != NULL, "Arn %s", role_arn);
  }
  cJSON_Delete(r);
  must_fail("iam-create-role-twice", "iam", "CreateRole", req, "EntityAlreadyExists", 409);
  free(req);

  r = must("iam-get-role", "iam", "GetRole", "{\"RoleName\":\"tfc-moto-role\"}");
  if (r) {
    expect_str("iam-get-role-description", r, "Role.Description", "a role & more <x>");
    expect_num("iam-get-role-max-session", r, "Role.MaxSessionDuration", 7200);
    expect_array("iam-get-role-tags", r, "Role.Tags", 2);
    expect_str("iam-get-role-tag-value", r, "Role.Tags.1.Value", "ml ops");
    result("iam-get-role-trust", s_at(r, "Role.AssumeRolePolicyDocument") &&
                                     strstr(s_at(r, "Role.AssumeRolePolicyDocument"), "sagemaker.amazonaws.com"),
           "AssumeRolePolicyDocument missing");
  }
  cJSON_Delete(r);

  const char *policy = "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\","
                       "\\\"Action\\\":\\\"s3:GetObject\\\",\\\"Resource\\\":\\\"arn:aws:s3:::bucket/*\\\"}]}";
  req = xasprintf("{\"RoleName\":\"tfc-moto-role\",\"PolicyName\":\"inline\",\"PolicyDocument\":\"%s\"}", policy);
  cJSON_Delete(must("iam-put-role-policy", "iam", "PutRolePolicy", req));
  free(req);
  r = must("iam-get-role-policy", "iam", "GetRolePolicy", "{\"RoleName\":\"tfc-moto-role\",\"PolicyName\":\"inline\"}");
  if (r) {
    expect_str("iam-get-role-policy-name", r, "PolicyName", "inline");
    const char *doc = s_at(r, "PolicyDocument");
    result("iam-get-role-policy-document", doc && (strstr(doc, "s3:GetObject") || strstr(doc, "s3%3AGetObject")),
           "PolicyDocument %s", doc ? doc : "(missing)");
  }
  cJSON_Delete(r);
  r = must("iam-list-role-policies", "iam", "ListRolePolicies", "{\"RoleName\":\"tfc-moto-role\"}");
  if (r) {
    expect_array("iam-list-role-policies-array", r, "PolicyNames", 1);
    expect_str("iam-list-role-policies-name", r, "PolicyNames.0", "inline");
    expect_bool("iam-list-role-policies-truncated", r, "IsTruncated", 0);
  }
  cJSON_Delete(r);
  cJSON_Delete(must("iam-delete-role-policy", "iam", "DeleteRolePolicy",
                    "{\"RoleName\":\"tfc-moto-role\",\"PolicyName\":\"inline\"}"));
  r = must("iam-list-role-policies-empty", "iam", "ListRolePolicies", "{\"RoleName\":\"tfc-moto-role\"}");
  if (r) expect_array("iam-list-role-policies-empty-array", r, "PolicyNames", 0);
  cJSON_Delete(r);
  must_fail("iam-get-role-policy-missing", "iam", "GetRolePolicy",
            "{\"RoleName\":\"tfc-moto-role\",\"PolicyName\":\"inline\"}", "NoSuchEntity", 404);
  must_fail("iam-get-role-missing", "iam", "GetRole", "{\"RoleName\":\"no-such-role\"}", "NoSuchEntity", 404);
}

static void test_iam_cleanup(void) {
  cJSON_Delete(must("iam-delete-role", "iam", "DeleteRole", "{\"RoleName\":\"tfc-moto-role\"}"));
  must_fail("iam-get-role-deleted", "iam", "GetRole", "{\"RoleName\":\"tfc-moto-role\"}", "NoSuchEntity", 404);
}

static char topic_arn[256];

static void test_sns(void) {
  cJSON *r = must("sns-create-topic", "sns", "CreateTopic",
                  "{\"Name\":\"tfc-alerts\",\"Attributes\":{\"DisplayName\":\"TFC alerts\"},"
                  "\"Tags\":[{\"Key\":\"env\",\"Value\":\"prod\"}]}");
  snprintf(topic_arn, sizeof topic_arn, "%s", r && s_at(r, "TopicArn") ? s_at(r, "TopicArn") : "");
  result("sns-topic-arn", strstr(topic_arn, ":tfc-alerts") != NULL, "TopicArn %s", topic_arn);
  cJSON_Delete(r);
  char *req = xasprintf("{\"TopicArn\":\"%s\"}", topic_arn);
  r = must("sns-get-topic-attributes", "sns", "GetTopicAttributes", req);
  if (r) {
    expect_str("sns-attributes-map", r, "Attributes.DisplayName", "TFC alerts");
    expect_str("sns-attributes-arn", r, "Attributes.TopicArn", topic_arn);
  }
  cJSON_Delete(r);
  char *treq = xasprintf("{\"ResourceArn\":\"%s\"}", topic_arn);
  r = must("sns-list-tags", "sns", "ListTagsForResource", treq);
  if (r) expect_str("sns-list-tags-value", r, "Tags.0.Value", "prod");
  cJSON_Delete(r);
  free(treq);
  r = must("sns-list-topics", "sns", "ListTopics", "{}");
  if (r) expect_array("sns-list-topics-array", r, "Topics", 1);
  cJSON_Delete(r);
  free(req);
}

static void test_sns_cleanup(void) {
  char *req = xasprintf("{\"TopicArn\":\"%s\"}", topic_arn);
  cJSON_Delete(must("sns-delete-topic", "sns", "DeleteTopic", req));
  must_fail("sns-get-deleted-topic", "sns", "GetTopicAttributes", req, "NotFound", 404);
  free(req);
}

static void test_cloudwatch(void) {
  char *req = xasprintf(
      "{\"AlarmName\":\"tfc-5xx\",\"AlarmDescription\":\"5xx errors\",\"Namespace\":\"AWS/SageMaker\","
      "\"MetricName\":\"Invocation5XXErrors\",\"Statistic\":\"Sum\",\"Period\":60,\"EvaluationPeriods\":2,"
      "\"DatapointsToAlarm\":2,\"Threshold\":80.5,\"ComparisonOperator\":\"GreaterThanThreshold\","
      "\"TreatMissingData\":\"notBreaching\",\"ActionsEnabled\":true,\"AlarmActions\":[\"%s\"],"
      "\"Dimensions\":[{\"Name\":\"EndpointName\",\"Value\":\"ep\"},{\"Name\":\"VariantName\",\"Value\":\"AllTraffic\"}],"
      "\"Tags\":[{\"Key\":\"env\",\"Value\":\"prod\"}]}",
      topic_arn);
  cJSON_Delete(must("cw-put-metric-alarm", "monitoring", "PutMetricAlarm", req));
  free(req);
  cJSON *r = must("cw-describe-alarms", "monitoring", "DescribeAlarms", "{\"AlarmNames\":[\"tfc-5xx\"]}");
  if (r) {
    expect_array("cw-describe-alarms-array", r, "MetricAlarms", 1);
    expect_str("cw-alarm-name", r, "MetricAlarms.0.AlarmName", "tfc-5xx");
    expect_num("cw-alarm-threshold", r, "MetricAlarms.0.Threshold", 80.5);
    expect_num("cw-alarm-period", r, "MetricAlarms.0.Period", 60);
    expect_num("cw-alarm-evaluation-periods", r, "MetricAlarms.0.EvaluationPeriods", 2);
    expect_bool("cw-alarm-actions-enabled", r, "MetricAlarms.0.ActionsEnabled", 1);
    expect_array("cw-alarm-dimensions", r, "MetricAlarms.0.Dimensions", 2);
    expect_str("cw-alarm-dimension-value", r, "MetricAlarms.0.Dimensions.1.Value", "AllTraffic");
    expect_array("cw-alarm-actions", r, "MetricAlarms.0.AlarmActions", 1);
    expect_str("cw-alarm-action", r, "MetricAlarms.0.AlarmActions.0", topic_arn);
    expect_array("cw-alarm-ok-actions-empty", r, "MetricAlarms.0.OKActions", 0);
  }
  cJSON_Delete(r);
  r = must("cw-describe-missing", "monitoring", "DescribeAlarms", "{\"AlarmNames\":[\"no-such-alarm\"]}");
  if (r) expect_array("cw-describe-missing-empty", r, "MetricAlarms", 0);
  cJSON_Delete(r);
  cJSON_Delete(must("cw-delete-alarms", "monitoring", "DeleteAlarms", "{\"AlarmNames\":[\"tfc-5xx\"]}"));
  r = must("cw-describe-deleted", "monitoring", "DescribeAlarms", "{\"AlarmNames\":[\"tfc-5xx\"]}");
  if (r) expect_array("cw-describe-deleted-empty", r, "MetricAlarms", 0);
  cJSON_Delete(r);
}

static void test_sagemaker(void) {
  char *req = xasprintf("{\"ModelName\":\"tfc-model\",\"ExecutionRoleArn\":\"%s\",\"PrimaryContainer\":{\"Image\":"
                        "\"123456789012.dkr.ecr.us-east-1.amazonaws.com/img:1\",\"ModelDataUrl\":"
                        "\"s3://bucket/model.tar.gz\",\"Environment\":{\"A\":\"1\"}},"
                        "\"Tags\":[{\"Key\":\"env\",\"Value\":\"prod\"}]}",
                        role_arn);
  cJSON *r = must("sm-create-model", "sagemaker", "CreateModel", req);
  if (r) result("sm-create-model-arn", s_at(r, "ModelArn") && strstr(s_at(r, "ModelArn"), ":model/tfc-model"),
                "ModelArn missing");
  cJSON_Delete(r);
  free(req);
  r = must("sm-describe-model", "sagemaker", "DescribeModel", "{\"ModelName\":\"tfc-model\"}");
  if (r) {
    expect_str("sm-describe-model-name", r, "ModelName", "tfc-model");
    expect_str("sm-describe-model-env", r, "PrimaryContainer.Environment.A", "1");
    const char *ct = s_at(r, "CreationTime");
    result("sm-describe-model-creation-time-iso", ct && strlen(ct) >= 20 && ct[4] == '-' && ct[10] == 'T',
           "CreationTime %s is not ISO 8601", ct ? ct : "(not a string)");
  }
  cJSON_Delete(r);
  must_fail("sm-describe-missing-model", "sagemaker", "DescribeModel", "{\"ModelName\":\"no-such-model\"}",
            "ValidationException", 400);

  cJSON_Delete(must("sm-create-endpoint-config", "sagemaker", "CreateEndpointConfig",
                    "{\"EndpointConfigName\":\"tfc-config\",\"ProductionVariants\":[{\"VariantName\":\"AllTraffic\","
                    "\"ModelName\":\"tfc-model\",\"InitialInstanceCount\":1,\"InstanceType\":\"ml.m5.large\","
                    "\"InitialVariantWeight\":1}]}"));
  r = must("sm-describe-endpoint-config", "sagemaker", "DescribeEndpointConfig", "{\"EndpointConfigName\":\"tfc-config\"}");
  if (r) {
    expect_array("sm-endpoint-config-variants", r, "ProductionVariants", 1);
    expect_str("sm-endpoint-config-instance-type", r, "ProductionVariants.0.InstanceType", "ml.m5.large");
    expect_num("sm-endpoint-config-count", r, "ProductionVariants.0.InitialInstanceCount", 1);
  }
  cJSON_Delete(r);
  cJSON_Delete(must("sm-create-endpoint", "sagemaker", "CreateEndpoint",
                    "{\"EndpointName\":\"tfc-endpoint\",\"EndpointConfigName\":\"tfc-config\"}"));
  r = must("sm-describe-endpoint", "sagemaker", "DescribeEndpoint", "{\"EndpointName\":\"tfc-endpoint\"}");
  if (r) {
    expect_str("sm-describe-endpoint-config", r, "EndpointConfigName", "tfc-config");
    result("sm-describe-endpoint-status", s_at(r, "EndpointStatus") != NULL, "EndpointStatus missing");
  }
  cJSON_Delete(r);
  r = must("sm-list-tags", "sagemaker", "ListTags", "{\"ResourceArn\":\"arn:aws:sagemaker:us-east-1:123456789012:model/tfc-model\"}");
  cJSON_Delete(r);
}

static void test_runtime(void) {
  /* moto answers InvokeEndpoint with canned results */
  AwsError err = {0};
  cJSON *r = call("sagemaker-runtime", "InvokeEndpoint",
                  "{\"EndpointName\":\"tfc-endpoint\",\"Body\":\"{\\\"instances\\\":[1]}\","
                  "\"ContentType\":\"application/json\",\"Accept\":\"application/json\"}",
                  &err);
  result("runtime-invoke-endpoint", r && s_at(r, "Body") != NULL, "%s: %s", err.code, err.message);
  cJSON_Delete(r);
  aws_error_clear(&err);
}

static void test_autoscaling(void) {
  cJSON_Delete(must("aas-register-scalable-target", "application-autoscaling", "RegisterScalableTarget",
                    "{\"ServiceNamespace\":\"sagemaker\",\"ResourceId\":\"endpoint/tfc-endpoint/variant/AllTraffic\","
                    "\"ScalableDimension\":\"sagemaker:variant:DesiredInstanceCount\",\"MinCapacity\":1,"
                    "\"MaxCapacity\":4}"));
  cJSON *r = must("aas-describe-scalable-targets", "application-autoscaling", "DescribeScalableTargets",
                  "{\"ServiceNamespace\":\"sagemaker\",\"ResourceIds\":[\"endpoint/tfc-endpoint/variant/AllTraffic\"]}");
  if (r) {
    expect_array("aas-scalable-targets-array", r, "ScalableTargets", 1);
    expect_num("aas-scalable-target-max", r, "ScalableTargets.0.MaxCapacity", 4);
  }
  cJSON_Delete(r);
  r = must("aas-put-scaling-policy", "application-autoscaling", "PutScalingPolicy",
           "{\"PolicyName\":\"tfc-invocations\",\"ServiceNamespace\":\"sagemaker\","
           "\"ResourceId\":\"endpoint/tfc-endpoint/variant/AllTraffic\","
           "\"ScalableDimension\":\"sagemaker:variant:DesiredInstanceCount\",\"PolicyType\":\"TargetTrackingScaling\","
           "\"TargetTrackingScalingPolicyConfiguration\":{\"TargetValue\":70.0,\"ScaleInCooldown\":300,"
           "\"ScaleOutCooldown\":60,\"PredefinedMetricSpecification\":{\"PredefinedMetricType\":"
           "\"SageMakerVariantInvocationsPerInstance\"}}}");
  if (r) result("aas-policy-arn", s_at(r, "PolicyARN") != NULL, "PolicyARN missing");
  cJSON_Delete(r);
  r = must("aas-describe-scaling-policies", "application-autoscaling", "DescribeScalingPolicies",
           "{\"ServiceNamespace\":\"sagemaker\",\"PolicyNames\":[\"tfc-invocations\"]}");
  if (r) {
    expect_array("aas-scaling-policies-array", r, "ScalingPolicies", 1);
    expect_num("aas-scaling-policy-target", r, "ScalingPolicies.0.TargetTrackingScalingPolicyConfiguration.TargetValue",
               70);
  }
  cJSON_Delete(r);
  cJSON_Delete(must("aas-delete-scaling-policy", "application-autoscaling", "DeleteScalingPolicy",
                    "{\"PolicyName\":\"tfc-invocations\",\"ServiceNamespace\":\"sagemaker\","
                    "\"ResourceId\":\"endpoint/tfc-endpoint/variant/AllTraffic\","
                    "\"ScalableDimension\":\"sagemaker:variant:DesiredInstanceCount\"}"));
  cJSON_Delete(must("aas-deregister-scalable-target", "application-autoscaling", "DeregisterScalableTarget",
                    "{\"ServiceNamespace\":\"sagemaker\",\"ResourceId\":\"endpoint/tfc-endpoint/variant/AllTraffic\","
                    "\"ScalableDimension\":\"sagemaker:variant:DesiredInstanceCount\"}"));
  /* AWS answers ObjectNotFoundException here; moto answers ValidationException.
  ** The transport passes on whatever code the service sent. */
  must_fail("aas-deregister-missing", "application-autoscaling", "DeregisterScalableTarget",
            "{\"ServiceNamespace\":\"sagemaker\",\"ResourceId\":\"endpoint/tfc-endpoint/variant/AllTraffic\","
            "\"ScalableDimension\":\"sagemaker:variant:DesiredInstanceCount\"}",
            "ValidationException", 400);
}

static void test_sagemaker_cleanup(void) {
  cJSON_Delete(must("sm-delete-endpoint", "sagemaker", "DeleteEndpoint", "{\"EndpointName\":\"tfc-endpoint\"}"));
  must_fail("sm-describe-deleted-endpoint", "sagemaker", "DescribeEndpoint", "{\"EndpointName\":\"tfc-endpoint\"}",
            "ValidationException", 400);
  cJSON_Delete(must("sm-delete-endpoint-config", "sagemaker", "DeleteEndpointConfig",
                    "{\"EndpointConfigName\":\"tfc-config\"}"));
  cJSON_Delete(must("sm-delete-model", "sagemaker", "DeleteModel", "{\"ModelName\":\"tfc-model\"}"));
  must_fail("sm-describe-deleted-model", "sagemaker", "DescribeModel", "{\"ModelName\":\"tfc-model\"}",
            "ValidationException", 400);
}

/* The graph walk calls the transport from several threads at once: each
** thread makes calls of its own; all must succeed. */
static void *worker(void *ud) {
  int *fails = ud;
  for (int i = 0; i < 5; i++) {
    AwsError err = {0};
    cJSON *r = call(i % 2 ? "sts" : "iam", i % 2 ? "GetCallerIdentity" : "ListRoles", "{}", &err);
    if (!r) (*fails)++;
    cJSON_Delete(r);
    aws_error_clear(&err);
  }
  return NULL;
}

static void test_threads(void) {
  pthread_t th[8];
  int fails[8] = {0};
  for (int i = 0; i < 8; i++) pthread_create(&th[i], NULL, worker, &fails[i]);
  int total = 0;
  for (int i = 0; i < 8; i++) {
    pthread_join(th[i], NULL);
    total += fails[i];
  }
  result("parallel-calls", total == 0, "%d of 40 calls from 8 threads failed", total);
}

static void test_unknown(void) {
  must_fail("unknown-service", "s3", "ListBuckets", "{}", "UnknownServiceException", 400);
  must_fail("runtime-unknown-operation", "sagemaker-runtime", "InvokeEndpointAsync", "{}",
            "UnknownOperationException", 400);
}

int main(void) {
  DiagList d = {0};
  HttpsConfig cfg = {.validate_credentials = true, .max_attempts = 3, .backoff_base_ms = 50};
  T = https_open(&cfg, &d);
  if (!T) {
    for (size_t i = 0; i < d.n; i++) diag_render_text(stdout, &d.v[i], false, 0);
    printf("FAIL - https/moto/open: https_open failed\n");
    diag_free(&d);
    return 1;
  }
  diag_free(&d);
  test_sts();
  test_iam();
  test_sns();
  test_cloudwatch();
  test_sagemaker();
  test_runtime();
  test_autoscaling();
  test_sagemaker_cleanup();
  test_sns_cleanup();
  test_iam_cleanup();
  test_unknown();
  test_threads();
  T->close(T);
  return failures ? 1 : 0;
}
