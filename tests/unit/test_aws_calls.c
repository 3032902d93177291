/*
** tests/unit/test_aws_calls.c — the API operations each resource calls and
** the shapes of their requests, recorded on the way to the simulator: what
** the real provider sends (cooldowns and threshold as 0, omitted timeouts),
** the order of calls on create and delete, and how waits poll.
*/
#include "aws_t.h"

#include "base/util.h"

#include <time.h>

static void test_role_calls(void) {
  provider(NULL);
  record();
  Value *role = make_role("exec", false);
  char *o = ops(false);
  CHECK_STR(o, "iam:CreateRole,iam:GetRole,iam:ListRolePolicies,iam:ListAttachedRolePolicies");
  free(o);
  const cJSON *req = request("CreateRole", 0);
  CHECK(js_num(req, "MaxSessionDuration", 0) == 3600);
  CHECK_STR(js_str(req, "Path"), "/");
  record();
  clear_diags();
  CHECK(rt("aws_iam_role")->apply(P, role, NULL, &D) == NULL);
  o = ops(false);
  CHECK_STR(o, "iam:ListInstanceProfilesForRole,iam:DeleteRole");
  free(o);
  val_free(role);
  done();
}

static void test_endpoint_calls(void) {
  provider(NULL);
  Value *role = make_role("exec", true);
  char *mc = cfgf(MODEL_CFG, "m1", IMAGE);
  Value *model = up(rt("aws_sagemaker_model"), NULL, mc);
  char *cc = cfgf(CONFIG_CFG, "c1", "m1", "ml.m5.large", 1);
  Value *c1 = up(rt("aws_sagemaker_endpoint_configuration"), NULL, cc);
  record();
  Value *ep = up(rt("aws_sagemaker_endpoint"), NULL,
                 "{\"name\":\"e1\",\"endpoint_config_name\":\"c1\",\"deployment_config\":[{\"blue_green_update_policy\":[{"
                 "\"traffic_routing_configuration\":[{\"type\":\"ALL_AT_ONCE\",\"wait_interval_in_seconds\":0}]}]}]}");
  CHECK(ep != NULL);
  const cJSON *req = request("CreateEndpoint", 0);
  const cJSON *bg = js_get(js_get(req, "DeploymentConfig"), "BlueGreenUpdatePolicy");
  CHECK(js_num(bg, "TerminationWaitInSeconds", -1) == 0);         /* default 0, sent */
  CHECK(js_get(bg, "MaximumExecutionTimeoutInSeconds") == NULL);  /* sent only when > 0 */
  /* the wait polls DescribeEndpoint with 30-second simulated sleeps */
  const cJSON *adv = request("Advance", 0);
  CHECK(adv && js_num(adv, "Seconds", 0) == 30);
  int polls = 0;
  const cJSON *e;
  cJSON_ArrayForEach(e, CALLS) polls += strcmp(js_str(e, "op"), "DescribeEndpoint") == 0;
  CHECK(polls >= 10);   /* the simulator's 480 s create, polled every 30 s */
  val_free(ep);
  val_free(c1);
  val_free(model);
  val_free(role);
  free(mc);
  free(cc);
  done();
}

static void test_autoscaling_and_alarm_requests(void) {
  provider(NULL);
  Value *role = make_role("exec", true);
  char *mc = cfgf(MODEL_CFG, "m1", IMAGE);
  Value *model = up(rt("aws_sagemaker_model"), NULL, mc);
  char *cc = cfgf(CONFIG_CFG, "c1", "m1", "ml.m5.large", 1);
  Value *c1 = up(rt("aws_sagemaker_endpoint_configuration"), NULL, cc);
  Value *ep = up(rt("aws_sagemaker_endpoint"), NULL, "{\"name\":\"e1\",\"endpoint_config_name\":\"c1\"}");
  Value *target = up(rt("aws_appautoscaling_target"), NULL,
                     "{\"service_namespace\":\"sagemaker\",\"resource_id\":\"endpoint/e1/variant/AllTraffic\","
                     "\"scalable_dimension\":\"sagemaker:variant:DesiredInstanceCount\",\"min_capacity\":1,"
                     "\"max_capacity\":2}");
  record();
  Value *step = up(rt("aws_appautoscaling_policy"), NULL,
                   "{\"name\":\"step\",\"service_namespace\":\"sagemaker\",\"resource_id\":\"endpoint/e1/variant/AllTraffic\","
                   "\"scalable_dimension\":\"sagemaker:variant:DesiredInstanceCount\","
                   "\"step_scaling_policy_configuration\":[{\"adjustment_type\":\"ChangeInCapacity\","
                   "\"step_adjustment\":[{\"scaling_adjustment\":1,\"metric_interval_lower_bound\":\"0\"}]}]}");
  print_diags();
  CHECK(step != NULL);
  const cJSON *req = request("PutScalingPolicy", 0);
  CHECK_STR(js_str(req, "PolicyType"), "StepScaling");                /* the default */
  const cJSON *sc = js_get(req, "StepScalingPolicyConfiguration");
  CHECK(js_num(sc, "Cooldown", -1) == 0);                              /* sent as 0 when unset */
  CHECK(js_get(sc, "MinAdjustmentMagnitude") == NULL);
  const cJSON *adj = cJSON_GetArrayItem(js_get(sc, "StepAdjustments"), 0);
  CHECK(js_num(adj, "MetricIntervalLowerBound", -1) == 0 && !js_get(adj, "MetricIntervalUpperBound"));
  CHECK(noop(rt("aws_appautoscaling_policy"), step,
             "{\"name\":\"step\",\"service_namespace\":\"sagemaker\",\"resource_id\":\"endpoint/e1/variant/AllTraffic\","
             "\"scalable_dimension\":\"sagemaker:variant:DesiredInstanceCount\","
             "\"step_scaling_policy_configuration\":[{\"adjustment_type\":\"ChangeInCapacity\","
             "\"step_adjustment\":[{\"scaling_adjustment\":1,\"metric_interval_lower_bound\":\"0\"}]}]}"));
  record();
  Value *alarm = up(rt("aws_cloudwatch_metric_alarm"), NULL,
                    "{\"alarm_name\":\"a\",\"namespace\":\"AWS/SageMaker\",\"metric_name\":\"Invocations\","
                    "\"statistic\":\"Sum\",\"period\":60,\"evaluation_periods\":1,"
                    "\"comparison_operator\":\"LessThanThreshold\",\"dimensions\":{\"EndpointName\":\"e1\"}}");
  req = request("PutMetricAlarm", 0);
  CHECK(js_num(req, "Threshold", -1) == 0);
  CHECK_STR(js_str(req, "TreatMissingData"), "missing");
  CHECK(cJSON_IsTrue(js_get(req, "ActionsEnabled")));
  const cJSON *dim = cJSON_GetArrayItem(js_get(req, "Dimensions"), 0);
  CHECK_STR(js_str(dim, "Name"), "EndpointName");
  CHECK_STR(js_str(dim, "Value"), "e1");
  val_free(alarm);
  val_free(step);
  val_free(target);
  val_free(ep);
  val_free(c1);
  val_free(model);
  val_free(role);
  free(mc);
  free(cc);
  done();
}

/* A transport without the simulator's "sim" pseudo-service (as HTTPS to
** AWS): the poll delay is then real time. */
static int nosim_call(AwsTransport *t, const char *service, const char *op, const cJSON *req, cJSON **resp,
                      AwsError *err) {
  (void)t;
  (void)op;
  (void)req;
  (void)resp;
  aws_error_set(err, 400, "UnknownServiceException", "no service %s", service);
  return -1;
}
static void nosim_close(AwsTransport *t) { (void)t; }

static void test_sleep_without_simulator(void) {
  AwsTransport t = {nosim_call, nosim_close, NULL};
  ProvCtx p;
  memset(&p, 0, sizeof p);
  p.t = &t;
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  aws_sleep(&p, 1);
  clock_gettime(CLOCK_MONOTONIC, &b);
  double dt = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
  CHECK(dt >= 0.9 && dt < 5);
  /* and the clock falls back to the real one */
  CHECK(aws_clock_now(&p) > 1.7e9);
}

static void test_unique_names(void) {
  provider(NULL);
  char *a = aws_unique_name(P, NULL), *b = aws_unique_name(P, "pre-");
  /* the simulated clock starts at 2026-01-01T00:00:00Z */
  CHECK_STR(a, "terraform-20260101000000000000000001");
  CHECK_STR(b, "pre-20260101000000000000000002");
  char *pfx = aws_name_prefix_of(b);
  CHECK_STR(pfx, "pre-");
  CHECK(aws_name_prefix_of("my-endpoint") == NULL);
  free(a);
  free(b);
  free(pfx);
  done();
}

int main(void) {
  RUN(test_role_calls);
  RUN(test_endpoint_calls);
  RUN(test_autoscaling_and_alarm_requests);
  RUN(test_sleep_without_simulator);
  RUN(test_unique_names);
  return T_END();
}
