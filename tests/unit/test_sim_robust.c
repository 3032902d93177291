/*
** tests/unit/test_sim_robust.c — every operation of every simulated service
** called with malformed requests (wrong types, odd shapes) on a populated
** world: each must answer a result or an AWS-shaped error, never crash
** (this runs under ASan/UBSan in `make check`).
*/
#include "sim_t.h"

static const char *const bad_requests[] = {
    "{}",
    "{\"X\":1}",
    "{\"RoleName\":1,\"EndpointName\":[],\"ModelName\":{},\"EndpointConfigName\":true,\"AlarmName\":null,"
    "\"ProductionVariants\":\"x\",\"Tags\":{\"a\":1},\"AlarmNames\":\"x\",\"DesiredVariantConfigs\":[1],"
    "\"PolicyDocument\":5,\"AssumeRolePolicyDocument\":[],\"TopicArn\":7,\"Name\":[],\"Seconds\":\"x\"}",
    "{\"RoleName\":\"exec\",\"PolicyName\":\"p\",\"PolicyDocument\":\"{\\\"Statement\\\":\\\"x\\\"}\","
    "\"AssumeRolePolicyDocument\":\"{\\\"Statement\\\":[1,\\\"a\\\",{\\\"Principal\\\":[]}]}\",\"Tags\":[1,{\"Key\":2}],\"TagKeys\":\"a\"}",
    "{\"ModelName\":\"mx\",\"PrimaryContainer\":\"img\",\"Containers\":{\"a\":1},\"ExecutionRoleArn\":\"" ROLE_ARN "\"}",
    "{\"ModelName\":\"my\",\"PrimaryContainer\":{\"Image\":\"" ECR ":v1\",\"Environment\":[1,2],\"ImageConfig\":\"x\"}}",
    "{\"EndpointConfigName\":\"cx\",\"ProductionVariants\":[1,\"a\",{\"VariantName\":\"v\",\"ModelName\":\"m1\","
    "\"ServerlessConfig\":\"x\",\"InitialInstanceCount\":\"2\"}],\"DataCaptureConfig\":[]}",
    "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c2\",\"DeploymentConfig\":{\"BlueGreenUpdatePolicy\":{"
    "\"TrafficRoutingConfiguration\":{\"Type\":\"CANARY\",\"CanarySize\":[],\"WaitIntervalInSeconds\":1}},"
    "\"AutoRollbackConfiguration\":{\"Alarms\":[1,{\"AlarmName\":[]}]}}}",
    "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c2\",\"DeploymentConfig\":{\"RollingUpdatePolicy\":{"
    "\"MaximumBatchSize\":{\"Type\":\"CAPACITY_PERCENT\",\"Value\":1e300},\"WaitIntervalInSeconds\":-1}}}",
    "{\"EndpointName\":\"ep\",\"DesiredVariantConfigs\":[{\"VariantName\":\"AllTraffic\",\"DesiredInstanceCount\":-5,"
    "\"DesiredWeight\":\"x\"}]}",
    "{\"ServiceNamespace\":\"sagemaker\",\"ResourceId\":\"endpoint/ep/variant/AllTraffic\",\"ScalableDimension\":"
    "\"sagemaker:variant:DesiredInstanceCount\",\"MinCapacity\":\"1\",\"MaxCapacity\":1e12,\"SuspendedState\":[],"
    "\"PolicyName\":\"p\",\"PolicyType\":\"TargetTrackingScaling\",\"TargetTrackingScalingPolicyConfiguration\":"
    "{\"TargetValue\":0,\"CustomizedMetricSpecification\":\"x\"},\"ResourceIds\":\"x\",\"Tags\":[1]}",
    "{\"ServiceNamespace\":\"sagemaker\",\"ResourceId\":\"endpoint/ep/variant/AllTraffic\",\"ScalableDimension\":"
    "\"sagemaker:variant:DesiredInstanceCount\",\"PolicyName\":\"s\",\"PolicyType\":\"StepScaling\","
    "\"StepScalingPolicyConfiguration\":{\"StepAdjustments\":\"x\"}}",
    "{\"AlarmName\":\"a\",\"MetricName\":\"M\",\"Namespace\":\"N\",\"Statistic\":\"Sum\",\"Period\":60,"
    "\"EvaluationPeriods\":1e9,\"DatapointsToAlarm\":0,\"Threshold\":\"x\",\"ComparisonOperator\":\"GreaterThanThreshold\","
    "\"Dimensions\":[1,{\"Name\":2}],\"AlarmActions\":[1],\"MetricData\":[1,{\"MetricName\":\"M\",\"Values\":[\"a\"],"
    "\"StatisticValues\":[]}],\"Statistics\":[1],\"StartTime\":\"junk\",\"StateValue\":\"OK\",\"StateReason\":\"r\","
    "\"StateReasonData\":\"[\"}",
    "{\"Name\":\"t\",\"Attributes\":{\"DisplayName\":1},\"TopicArn\":\"arn:aws:sns:us-east-1:123456789012:t\","
    "\"AttributeName\":\"Policy\",\"ResourceArn\":\"x\",\"Message\":\"m\"}",
    "{\"EndpointName\":\"ep\",\"Body\":5,\"TargetVariant\":[],\"Rps\":\"x\",\"Seconds\":60,\"Image\":\"\",\"Rate5xx\":0.5,"
    "\"MaxSeconds\":1e30,\"PollSeconds\":0}",
};

static void populate(void) {
  world(NULL);
  make_role(true);
  make_model("m1", "v1");
  make_model("m2", "v2");
  make_config("c1", "m1", "ml.m5.large", 2);
  make_config("c2", "m2", "ml.m5.large", 2);
  OK("sagemaker", "CreateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c1\"}");
  advance(600);
  OK("sns", "CreateTopic", "{\"Name\":\"t\"}");
}

static void test_every_operation_survives_bad_input(void) {
  const SimService *svcs[] = {&sim_svc_iam, &sim_svc_sts, &sim_svc_sagemaker, &sim_svc_runtime,
                              &sim_svc_autoscaling, &sim_svc_cloudwatch, &sim_svc_sns, &sim_svc_sim};
  int calls = 0;
  populate();
  for (size_t s = 0; s < sizeof svcs / sizeof svcs[0]; s++)
    for (size_t o = 0; o < svcs[s]->nops; o++) {
      if (strcmp(svcs[s]->ops[o].name, "Reset") == 0) continue;
      for (size_t r = 0; r < sizeof bad_requests / sizeof bad_requests[0]; r++) {
        int rc = call(svcs[s]->name, svcs[s]->ops[o].name, bad_requests[r]);
        calls++;
        if (rc != 0 && (!E.code || !E.message || E.http_status < 400)) {
          printf("FAIL - %s: %s:%s request %zu: error without code/message/status\n", t_cur_name, svcs[s]->name,
                 svcs[s]->ops[o].name, r);
          t_cur_failed = 1;
        }
        if (rc == 0 && !R) {
          printf("FAIL - %s: %s:%s request %zu: success without a response\n", t_cur_name, svcs[s]->name,
                 svcs[s]->ops[o].name, r);
          t_cur_failed = 1;
        }
      }
    }
  CHECK(calls > 500);
  /* the world is still coherent enough to move on */
  advance(3600);
  Buf b = BUF_INIT;
  sim_status_text(W, &b);
  CHECK(b.s && strstr(b.s, "Endpoints (") != NULL);
  buf_free(&b);
  sim_t_end();
}

/* Valid requests of the usual flow; the fuzz below damages them. */
static const char *const samples[][3] = {
    {"iam", "CreateRole", "{\"RoleName\":\"r2\",\"Path\":\"/a/\",\"AssumeRolePolicyDocument\":\"" TRUST_SM "\",\"Tags\":[{\"Key\":\"k\",\"Value\":\"v\"}]}"},
    {"iam", "PutRolePolicy", "{\"RoleName\":\"exec\",\"PolicyName\":\"p2\",\"PolicyDocument\":\"" S3_READ "\"}"},
    {"sagemaker", "CreateModel", "{\"ModelName\":\"m9\",\"ExecutionRoleArn\":\"" ROLE_ARN "\",\"PrimaryContainer\":{\"Image\":\"" ECR ":v9\",\"ModelDataUrl\":\"s3://models/v9/m.tar.gz\",\"Environment\":{\"A\":\"b\"}}}"},
    {"sagemaker", "CreateEndpointConfig", "{\"EndpointConfigName\":\"c9\",\"ProductionVariants\":[{\"VariantName\":\"AllTraffic\",\"ModelName\":\"m1\",\"InstanceType\":\"ml.m5.large\",\"InitialInstanceCount\":2,\"InitialVariantWeight\":1}]}"},
    {"sagemaker", "UpdateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c2\",\"DeploymentConfig\":{\"BlueGreenUpdatePolicy\":{\"TrafficRoutingConfiguration\":{\"Type\":\"LINEAR\",\"LinearStepSize\":{\"Type\":\"INSTANCE_COUNT\",\"Value\":1},\"WaitIntervalInSeconds\":60},\"TerminationWaitInSeconds\":60},\"AutoRollbackConfiguration\":{\"Alarms\":[{\"AlarmName\":\"a\"}]}}}"},
    {"sagemaker", "UpdateEndpointWeightsAndCapacities", "{\"EndpointName\":\"ep\",\"DesiredVariantConfigs\":[{\"VariantName\":\"AllTraffic\",\"DesiredInstanceCount\":3,\"DesiredWeight\":1}]}"},
    {"application-autoscaling", "RegisterScalableTarget", "{\"ServiceNamespace\":\"sagemaker\",\"ResourceId\":\"endpoint/ep/variant/AllTraffic\",\"ScalableDimension\":\"sagemaker:variant:DesiredInstanceCount\",\"MinCapacity\":1,\"MaxCapacity\":3,\"SuspendedState\":{\"DynamicScalingInSuspended\":false}}"},
    {"application-autoscaling", "PutScalingPolicy", "{\"PolicyName\":\"p\",\"ServiceNamespace\":\"sagemaker\",\"ResourceId\":\"endpoint/ep/variant/AllTraffic\",\"ScalableDimension\":\"sagemaker:variant:DesiredInstanceCount\",\"PolicyType\":\"TargetTrackingScaling\",\"TargetTrackingScalingPolicyConfiguration\":{\"TargetValue\":10,\"CustomizedMetricSpecification\":{\"MetricName\":\"M\",\"Namespace\":\"N\",\"Statistic\":\"Sum\",\"Dimensions\":[{\"Name\":\"a\",\"Value\":\"b\"}]}}}"},
    {"monitoring", "PutMetricAlarm", "{\"AlarmName\":\"a\",\"Namespace\":\"AWS/SageMaker\",\"MetricName\":\"Invocations\",\"Dimensions\":[{\"Name\":\"EndpointName\",\"Value\":\"ep\"}],\"Statistic\":\"Sum\",\"Period\":60,\"EvaluationPeriods\":2,\"DatapointsToAlarm\":1,\"Threshold\":1,\"ComparisonOperator\":\"GreaterThanThreshold\",\"AlarmActions\":[\"arn:aws:sns:us-east-1:123456789012:t\"],\"TreatMissingData\":\"breaching\"}"},
    {"monitoring", "PutMetricData", "{\"Namespace\":\"N\",\"MetricData\":[{\"MetricName\":\"M\",\"Dimensions\":[{\"Name\":\"a\",\"Value\":\"b\"}],\"Value\":3,\"Timestamp\":\"2026-01-01T00:00:00Z\"}]}"},
    {"monitoring", "DescribeAlarms", "{\"AlarmNames\":[\"a\"],\"ActionPrefix\":\"arn\",\"StateValue\":\"OK\",\"AlarmTypes\":[\"MetricAlarm\"]}"},
    {"sns", "CreateTopic", "{\"Name\":\"t2\",\"Attributes\":{\"DisplayName\":\"x\"},\"Tags\":[{\"Key\":\"a\",\"Value\":\"b\"}]}"},
    {"sagemaker-runtime", "InvokeEndpoint", "{\"EndpointName\":\"ep\",\"Body\":\"{}\",\"TargetVariant\":\"AllTraffic\"}"},
    {"sim", "Traffic", "{\"EndpointName\":\"ep\",\"Rps\":2,\"Seconds\":120,\"ErrorRate\":0.1,\"LatencyMs\":10}"},
};

static uint64_t fz = 88172645463325252ULL;
static uint64_t fz_next(void) {
  fz ^= fz << 13;
  fz ^= fz >> 7;
  fz ^= fz << 17;
  return fz;
}

static cJSON *junk(void) {
  switch (fz_next() % 7) {
  case 0: return cJSON_CreateNumber(-1);
  case 1: return cJSON_CreateNumber(1e300);
  case 2: return cJSON_CreateString("");
  case 3: return cJSON_CreateArray();
  case 4: return cJSON_CreateObject();
  case 5: return cJSON_CreateNull();
  default: return cJSON_CreateString("\x01x-");
  }
}

/* Replaces about one node in eight (recursively) with a value of another type. */
static void mutate(cJSON *o) {
  for (cJSON *c = o ? o->child : NULL; c; c = c->next) {
    if (fz_next() % 8 == 0) {
      cJSON *j = junk();
      if (c->string) j->string = strdup(c->string); /* keep the member's key */
      cJSON_ReplaceItemViaPointer(o, c, j);
      c = j;
    } else {
      mutate(c);
    }
  }
}

static void test_fuzzed_requests(void) {
  populate();
  int calls = 0;
  for (int round = 0; round < 40; round++)
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
      cJSON *req = cJSON_Parse(samples[i][2]);
      if (!req) {
        printf("FAIL - %s: sample %zu is not JSON\n", t_cur_name, i);
        t_cur_failed = 1;
        continue;
      }
      if (round) mutate(req);
      cJSON_Delete(R);
      R = NULL;
      aws_error_clear(&E);
      int rc = sim_call(W, samples[i][0], samples[i][1], req, &R, &E);
      cJSON_Delete(req);
      calls++;
      if (rc != 0 && (!E.code || !E.message)) {
        printf("FAIL - %s: %s sample %zu round %d: error without code\n", t_cur_name, samples[i][1], i, round);
        t_cur_failed = 1;
      }
    }
  advance(7200);
  OK("monitoring", "DescribeAlarms", "{\"ActionPrefix\":\"arn\"}");
  CHECK(calls == 40 * (int)(sizeof samples / sizeof samples[0]));
  sim_t_end();
}

int main(void) {
  RUN(test_every_operation_survives_bad_input);
  RUN(test_fuzzed_requests);
  return T_END();
}
