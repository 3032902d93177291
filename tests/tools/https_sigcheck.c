/*
** tests/tools/https_sigcheck.c — sends one request of each wire protocol
** through the HTTPS transport to tests/sigv4/verify_server.py, which
** re-signs what arrived with botocore and refuses a mismatch. Run by
** tests/suites/https_sigcheck.sh with AWS_ENDPOINT_URL pointing at it.
*/
#include "providers/https/https.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

static int check(AwsTransport *t, const char *name, const char *svc, const char *op, const char *req_json) {
  cJSON *req = cJSON_Parse(req_json), *resp = NULL;
  AwsError err = {0};
  int rc = t->call(t, svc, op, req, &resp, &err);
  const cJSON *signed_by = cJSON_GetObjectItemCaseSensitive(resp, "Signed");
  const cJSON *body = cJSON_GetObjectItemCaseSensitive(resp, "Body");
  int ok = rc == 0 && ((cJSON_IsString(signed_by) && strcmp(signed_by->valuestring, svc) == 0) ||
                       (cJSON_IsString(body) && strcmp(body->valuestring, "signed") == 0));
  if (ok)
    printf("ok - https/sigcheck/%s\n", name);
  else
    printf("FAIL - https/sigcheck/%s: %s: %s\n", name, err.code ? err.code : "unexpected answer",
           err.message ? err.message : "");
  cJSON_Delete(req);
  cJSON_Delete(resp);
  aws_error_clear(&err);
  return ok ? 0 : 1;
}

int main(void) {
  DiagList d = {0};
  HttpsConfig cfg = {.max_attempts = 1};
  AwsTransport *t = https_open(&cfg, &d);
  diag_free(&d);
  if (!t) {
    printf("FAIL - https/sigcheck/open: https_open failed\n");
    return 1;
  }
  int f = 0;
  f += check(t, "json11-sagemaker", "sagemaker", "DescribeEndpoint", "{\"EndpointName\":\"e p \\u00e9\"}");
  f += check(t, "json11-autoscaling", "application-autoscaling", "DescribeScalableTargets",
             "{\"ServiceNamespace\":\"sagemaker\"}");
  f += check(t, "json11-empty-input", "sagemaker", "ListEndpoints", "{}");
  f += check(t, "query-iam-global", "iam", "CreateRole",
             "{\"RoleName\":\"r\",\"AssumeRolePolicyDocument\":\"{\\\"a\\\": [1, 2]}\","
             "\"Tags\":[{\"Key\":\"k\",\"Value\":\"v &=+ \\u00fc\"}]}");
  f += check(t, "query-sts", "sts", "GetCallerIdentity", "{}");
  f += check(t, "query-sns-map", "sns", "CreateTopic", "{\"Name\":\"t\",\"Attributes\":{\"DisplayName\":\"D\"}}");
  f += check(t, "query-cloudwatch", "monitoring", "PutMetricAlarm",
             "{\"AlarmName\":\"a b\",\"Threshold\":0.25,\"Dimensions\":[{\"Name\":\"n\",\"Value\":\"v\"}]}");
  f += check(t, "rest-runtime", "sagemaker-runtime", "InvokeEndpoint",
             "{\"EndpointName\":\"my-ep\",\"Body\":\"{\\\"x\\\": [1]}\",\"ContentType\":\"application/json\","
             "\"Accept\":\"application/json\",\"CustomAttributes\":\"c=1;  d=2\"}");
  f += check(t, "rest-runtime-no-content-type", "sagemaker-runtime", "InvokeEndpoint",
             "{\"EndpointName\":\"my-ep\",\"Body\":\"raw bytes\"}");
  t->close(t);
  return f ? 1 : 0;
}
