/*
** tests/unit/sim_t.h — helpers shared by the simulator's unit tests: an
** in-memory world and one-line API calls with JSON written inline.
*/
#ifndef TFC_SIM_T_H
#define TFC_SIM_T_H

#include "providers/sim/sim_int.h"
#include "t.h"

/* each test file uses a different subset of these helpers */
#pragma GCC diagnostic ignored "-Wunused-function"

static SimWorld *W;
static AwsError E;
static cJSON *R; /* the last response (owned here) */

/* A fresh in-memory world; knobs from `knobs` ("a=1,b=2" or NULL). */
static void world(const char *knobs) {
  if (W) sim_world_close(W);
  if (knobs) setenv("TFC_SIM_KNOBS", knobs, 1);
  else unsetenv("TFC_SIM_KNOBS");
  setenv("TFC_SIM_SEED", "7", 1);
  W = sim_world_open(NULL, NULL);
}

/* Calls service/op with a JSON request; returns 0 or -1 (E holds the error). */
static int call(const char *svc, const char *op, const char *json) {
  cJSON *req = cJSON_Parse(json ? json : "{}");
  if (!req) {
    printf("FAIL - %s: bad JSON in test: %s\n", t_cur_name, json);
    t_cur_failed = 1;
    return -1;
  }
  cJSON_Delete(R);
  R = NULL;
  aws_error_clear(&E);
  int rc = sim_call(W, svc, op, req, &R, &E);
  cJSON_Delete(req);
  return rc;
}

/* A string at a path like "EndpointStatus" or "Role.Arn" or "Alarms.0.AlarmName". */
static const char *rs(const char *path) {
  const cJSON *o = R;
  char buf[256];
  snprintf(buf, sizeof buf, "%s", path);
  for (char *save = NULL, *p = strtok_r(buf, ".", &save); p && o; p = strtok_r(NULL, ".", &save))
    o = (*p >= '0' && *p <= '9') ? cJSON_GetArrayItem(o, atoi(p)) : cJSON_GetObjectItemCaseSensitive(o, p);
  return cJSON_IsString(o) ? o->valuestring : NULL;
}

static double rn(const char *path) {
  const cJSON *o = R;
  char buf[256];
  snprintf(buf, sizeof buf, "%s", path);
  for (char *save = NULL, *p = strtok_r(buf, ".", &save); p && o; p = strtok_r(NULL, ".", &save))
    o = (*p >= '0' && *p <= '9') ? cJSON_GetArrayItem(o, atoi(p)) : cJSON_GetObjectItemCaseSensitive(o, p);
  return cJSON_IsNumber(o) ? o->valuedouble : -1;
}

#define OK(svc, op, json)                                                                         \
  do {                                                                                            \
    if (call(svc, op, json) != 0) {                                                               \
      printf("FAIL - %s: %s:%d: %s failed: %s: %s\n", t_cur_name, __FILE__, __LINE__, op, E.code, \
             E.message);                                                                          \
      t_cur_failed = 1;                                                                           \
    }                                                                                             \
  } while (0)

/* Expects the call to fail with exactly this code, HTTP status and message
** (message NULL = not checked; a message ending in "*" is a prefix). */
#define ERR(svc, op, json, want_code, want_status, want_msg)                                                          \
  do {                                                                                                 \
    if (call(svc, op, json) == 0) {                                                                    \
      printf("FAIL - %s: %s:%d: %s succeeded, want %s\n", t_cur_name, __FILE__, __LINE__, op, want_code);   \
      t_cur_failed = 1;                                                                                \
    } else {                                                                                           \
      CHECK_STR(E.code, want_code);                                                                         \
      CHECK_INT(E.http_status, want_status);                                                                \
      const char *m_ = (want_msg);                                                                          \
      if (m_) {                                                                                        \
        size_t n_ = strlen(m_);                                                                        \
        if (n_ && m_[n_ - 1] == '*') {                                                                 \
          if (!E.message || strncmp(E.message, m_, n_ - 1) != 0) {                                     \
            printf("FAIL - %s: %s:%d: message \"%s\" does not start with \"%.*s\"\n", t_cur_name,      \
                   __FILE__, __LINE__, E.message ? E.message : "", (int)n_ - 1, m_);                                    \
            t_cur_failed = 1;                                                                          \
          }                                                                                            \
        } else                                                                                         \
          CHECK_STR(E.message, m_);                                                                    \
      }                                                                                                \
    }                                                                                                  \
  } while (0)

static void sim_t_end(void) {
  cJSON_Delete(R);
  R = NULL;
  aws_error_clear(&E);
  sim_world_close(W);
  W = NULL;
  unsetenv("TFC_SIM_KNOBS");
  sim_knobs_load(NULL);
}

/* The usual execution role and S3 read policy used across tests. */
#define TRUST_SM                                                                                   \
  "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":" \
  "{\\\"Service\\\":\\\"sagemaker.amazonaws.com\\\"},\\\"Action\\\":\\\"sts:AssumeRole\\\"}]}"
#define S3_READ                                                                                    \
  "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":"   \
  "\\\"s3:GetObject\\\",\\\"Resource\\\":\\\"arn:aws:s3:::models/*\\\"},{\\\"Effect\\\":\\\"Allow\\\","         \
  "\\\"Action\\\":[\\\"ecr:GetAuthorizationToken\\\",\\\"ecr:BatchGetImage\\\",\\\"ecr:GetDownloadUrlForLayer\\\"],"  \
  "\\\"Resource\\\":\\\"*\\\"}]}"
#define ROLE_ARN "arn:aws:iam::123456789012:role/exec"
#define ECR "123456789012.dkr.ecr.us-east-1.amazonaws.com/app"

static void make_role(bool with_s3) {
  OK("iam", "CreateRole", "{\"RoleName\":\"exec\",\"AssumeRolePolicyDocument\":\"" TRUST_SM "\"}");
  if (with_s3) OK("iam", "PutRolePolicy", "{\"RoleName\":\"exec\",\"PolicyName\":\"s3\",\"PolicyDocument\":\"" S3_READ "\"}");
}

static void make_model(const char *name, const char *tag) {
  char buf[512];
  snprintf(buf, sizeof buf,
           "{\"ModelName\":\"%s\",\"ExecutionRoleArn\":\"" ROLE_ARN "\",\"PrimaryContainer\":{\"Image\":\"" ECR
           ":%s\",\"ModelDataUrl\":\"s3://models/%s/model.tar.gz\"}}",
           name, tag, tag);
  OK("sagemaker", "CreateModel", buf);
}

static void make_config(const char *name, const char *model, const char *itype, int count) {
  char buf[512];
  snprintf(buf, sizeof buf,
           "{\"EndpointConfigName\":\"%s\",\"ProductionVariants\":[{\"VariantName\":\"AllTraffic\",\"ModelName\":"
           "\"%s\",\"InstanceType\":\"%s\",\"InitialInstanceCount\":%d}]}",
           name, model, itype, count);
  OK("sagemaker", "CreateEndpointConfig", buf);
}

static const char *endpoint_status(const char *name) {
  char buf[128];
  snprintf(buf, sizeof buf, "{\"EndpointName\":\"%s\"}", name);
  if (call("sagemaker", "DescribeEndpoint", buf) != 0) return "(gone)";
  return rs("EndpointStatus");
}

static void advance(long long s) { sim_advance(W, s); }

#endif
