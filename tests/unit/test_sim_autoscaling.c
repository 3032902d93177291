/*
** tests/unit/test_sim_autoscaling.c — Application Auto Scaling in the
** simulator: scalable targets, target-tracking policies with their managed
** alarms, scaling arithmetic and cooldowns, activities, and the interplay
** with endpoint updates and deletes.
*/
#include "sim_t.h"

#include "base/util.h"

#define RID "endpoint/ep/variant/AllTraffic"
#define TGT_OBJ "{" TGT "}"
#define TGT "\"ServiceNamespace\":\"sagemaker\",\"ResourceId\":\"" RID "\",\"ScalableDimension\":\"sagemaker:variant:DesiredInstanceCount\""

static void endpoint(const char *itype, int count) {
  world(NULL);
  make_role(true);
  make_model("m1", "v1");
  make_config("c1", "m1", itype, count);
  make_config("c2", "m1", "ml.c5.large", count);
  OK("sagemaker", "CreateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c1\"}");
  advance(600);
}

static void policy(double target, const char *extra) {
  char buf[768];
  snprintf(buf, sizeof buf,
           "{\"PolicyName\":\"ipi\"," TGT ",\"PolicyType\":\"TargetTrackingScaling\",\"TargetTrackingScalingPolicyConfiguration\":"
           "{\"TargetValue\":%g,\"PredefinedMetricSpecification\":{\"PredefinedMetricType\":\"SageMakerVariantInvocationsPerInstance\"}%s}}",
           target, extra ? extra : "");
  OK("application-autoscaling", "PutScalingPolicy", buf);
}

static void test_register_target(void) {
  endpoint("ml.m5.large", 1);
  OK("application-autoscaling", "RegisterScalableTarget", "{" TGT ",\"MinCapacity\":1,\"MaxCapacity\":4}");
  CHECK(strncmp(rs("ScalableTargetARN"), "arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/", 71) == 0);
  OK("application-autoscaling", "DescribeScalableTargets", "{\"ServiceNamespace\":\"sagemaker\",\"ResourceIds\":[\"" RID "\"]}");
  CHECK_STR(rs("ScalableTargets.0.ResourceId"), RID);
  CHECK_INT(rn("ScalableTargets.0.MaxCapacity"), 4);
  CHECK(strstr(rs("ScalableTargets.0.RoleARN"), "AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint") != NULL);
  CHECK(cJSON_IsFalse(sim_get(sim_get(cJSON_GetArrayItem(sim_get(R, "ScalableTargets"), 0), "SuspendedState"), "DynamicScalingInSuspended")));
  /* an upsert: unspecified fields keep their values */
  OK("application-autoscaling", "RegisterScalableTarget", "{" TGT ",\"MaxCapacity\":6}");
  OK("application-autoscaling", "DescribeScalableTargets", "{\"ServiceNamespace\":\"sagemaker\"}");
  CHECK_INT(rn("ScalableTargets.0.MinCapacity"), 1);
  CHECK_INT(rn("ScalableTargets.0.MaxCapacity"), 6);
  ERR("application-autoscaling", "RegisterScalableTarget", "{" TGT ",\"MinCapacity\":5,\"MaxCapacity\":2}", "ValidationException", 400,
      "Minimum capacity cannot be greater than maximum capacity");
  ERR("application-autoscaling", "RegisterScalableTarget",
      "{\"ServiceNamespace\":\"sagemaker\",\"ResourceId\":\"ep/AllTraffic\",\"ScalableDimension\":\"sagemaker:variant:DesiredInstanceCount\",\"MinCapacity\":1,\"MaxCapacity\":2}",
      "ValidationException", 400, "Unsupported resource ID: ep/AllTraffic.*");
  ERR("application-autoscaling", "RegisterScalableTarget",
      "{\"ServiceNamespace\":\"sagemaker\",\"ResourceId\":\"endpoint/nope/variant/AllTraffic\",\"ScalableDimension\":\"sagemaker:variant:DesiredInstanceCount\",\"MinCapacity\":1,\"MaxCapacity\":2}",
      "ValidationException", 400, "The endpoint nope does not exist.");
  ERR("application-autoscaling", "RegisterScalableTarget",
      "{\"ServiceNamespace\":\"sagemaker\",\"ResourceId\":\"endpoint/ep/variant/Other\",\"ScalableDimension\":\"sagemaker:variant:DesiredInstanceCount\",\"MinCapacity\":1,\"MaxCapacity\":2}",
      "ValidationException", 400, "The variant Other does not exist in endpoint ep.");
  ERR("application-autoscaling", "RegisterScalableTarget",
      "{\"ServiceNamespace\":\"sagemaker\",\"ResourceId\":\"" RID "\",\"ScalableDimension\":\"sagemaker:variant:Nope\",\"MinCapacity\":1,\"MaxCapacity\":2}",
      "ValidationException", 400, "*");
  ERR("application-autoscaling", "RegisterScalableTarget", "{\"ServiceNamespace\":\"s3\"}", "ValidationException", 400, "*");
  ERR("application-autoscaling", "RegisterScalableTarget", "{" TGT ",\"MinCapacity\":0,\"MaxCapacity\":2}", "ValidationException", 400,
      "MinCapacity must be at least 1 for the SageMaker variant AllTraffic.");
  sim_t_end();
}

static void test_burstable_rejected(void) {
  endpoint("ml.t2.medium", 1);
  ERR("application-autoscaling", "RegisterScalableTarget", "{" TGT ",\"MinCapacity\":1,\"MaxCapacity\":4}", "ValidationException", 400,
      "The instance type ml.t2.medium of variant AllTraffic of endpoint ep is a burstable performance instance type, "
      "which is not supported by Application Auto Scaling.");
  sim_t_end();
}

static void test_register_moves_count_into_range(void) {
  endpoint("ml.m5.large", 1);
  OK("application-autoscaling", "RegisterScalableTarget", "{" TGT ",\"MinCapacity\":2,\"MaxCapacity\":4}");
  CHECK_STR(endpoint_status("ep"), "Updating");
  CHECK_INT(rn("ProductionVariants.0.DesiredInstanceCount"), 2);
  advance(600);
  CHECK_INT(endpoint_status("ep") ? rn("ProductionVariants.0.CurrentInstanceCount") : -1, 2);
  OK("application-autoscaling", "DescribeScalingActivities", "{\"ServiceNamespace\":\"sagemaker\"}");
  CHECK_STR(rs("ScalingActivities.0.Cause"), "minimum capacity was set to 2");
  CHECK_STR(rs("ScalingActivities.0.StatusCode"), "Successful");
  CHECK_STR(rs("ScalingActivities.0.Description"), "Setting desired instance count to 2.");
  CHECK_STR(rs("ScalingActivities.0.StatusMessage"),
            "Successfully set desired instance count to 2. Change successfully fulfilled by sagemaker.");
  sim_t_end();
}

static void test_target_tracking_policy(void) {
  endpoint("ml.m5.large", 1);
  ERR("application-autoscaling", "PutScalingPolicy",
      "{\"PolicyName\":\"ipi\"," TGT ",\"PolicyType\":\"TargetTrackingScaling\",\"TargetTrackingScalingPolicyConfiguration\":{\"TargetValue\":100,"
      "\"PredefinedMetricSpecification\":{\"PredefinedMetricType\":\"SageMakerVariantInvocationsPerInstance\"}}}",
      "ObjectNotFoundException", 400,
      "No scalable target registered for service namespace: sagemaker, resource ID: " RID ", scalable dimension: "
      "sagemaker:variant:DesiredInstanceCount");
  OK("application-autoscaling", "RegisterScalableTarget", "{" TGT ",\"MinCapacity\":1,\"MaxCapacity\":4}");
  policy(100, NULL);
  CHECK(strncmp(rs("PolicyARN"), "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:", 57) == 0);
  CHECK(strstr(rs("PolicyARN"), ":resource/sagemaker/" RID ":policyName/ipi") != NULL);
  const char *hi = rs("Alarms.0.AlarmName"), *lo = rs("Alarms.1.AlarmName");
  CHECK(hi && strncmp(hi, "TargetTracking-" RID "-AlarmHigh-", strlen("TargetTracking-" RID "-AlarmHigh-")) == 0);
  CHECK(lo && strncmp(lo, "TargetTracking-" RID "-AlarmLow-", strlen("TargetTracking-" RID "-AlarmLow-")) == 0);
  char *high = xstrdup(hi);
  char req[512];
  snprintf(req, sizeof req, "{\"AlarmNames\":[\"%s\"]}", high);
  OK("monitoring", "DescribeAlarms", req);
  CHECK_STR(rs("MetricAlarms.0.MetricName"), "InvocationsPerInstance");
  CHECK_STR(rs("MetricAlarms.0.Statistic"), "Sum");
  CHECK_STR(rs("MetricAlarms.0.ComparisonOperator"), "GreaterThanThreshold");
  CHECK_INT(rn("MetricAlarms.0.EvaluationPeriods"), 3);
  CHECK_INT(rn("MetricAlarms.0.Threshold"), 100);
  OK("monitoring", "DescribeAlarms", "{\"AlarmNamePrefix\":\"TargetTracking-\"}");
  CHECK_INT(rn("MetricAlarms.1.EvaluationPeriods"), 15);
  CHECK_INT(rn("MetricAlarms.1.Threshold") * 10, 900); /* 0.9 x target, via MetricAlarms sorted High < Low */
  /* an update keeps the alarm names; DisableScaleIn drops AlarmLow */
  policy(200, ",\"DisableScaleIn\":true");
  CHECK_STR(rs("Alarms.0.AlarmName"), high);
  CHECK(rs("Alarms.1.AlarmName") == NULL);
  OK("application-autoscaling", "DescribeScalingPolicies", "{\"ServiceNamespace\":\"sagemaker\",\"PolicyNames\":[\"ipi\"]}");
  CHECK_INT(rn("ScalingPolicies.0.TargetTrackingScalingPolicyConfiguration.TargetValue"), 200);
  OK("monitoring", "DescribeAlarms", "{\"AlarmNamePrefix\":\"TargetTracking-\"}");
  CHECK(rs("MetricAlarms.1.AlarmName") == NULL);
  OK("application-autoscaling", "DeleteScalingPolicy", "{\"PolicyName\":\"ipi\"," TGT "}");
  OK("monitoring", "DescribeAlarms", "{\"AlarmNamePrefix\":\"TargetTracking-\"}");
  CHECK(rs("MetricAlarms.0.AlarmName") == NULL);
  ERR("application-autoscaling", "DeleteScalingPolicy", "{\"PolicyName\":\"ipi\"," TGT "}", "ObjectNotFoundException", 400,
      "No scaling policy found for service namespace: sagemaker, resource ID: " RID ", scalable dimension: "
      "sagemaker:variant:DesiredInstanceCount, policy name: ipi");
  ERR("application-autoscaling", "PutScalingPolicy",
      "{\"PolicyName\":\"x\"," TGT ",\"PolicyType\":\"TargetTrackingScaling\",\"TargetTrackingScalingPolicyConfiguration\":"
      "{\"PredefinedMetricSpecification\":{\"PredefinedMetricType\":\"SageMakerVariantInvocationsPerInstance\"}}}",
      "ValidationException", 400, "1 validation error detected: Value null at 'targetTrackingScalingPolicyConfiguration.targetValue'*");
  ERR("application-autoscaling", "PutScalingPolicy",
      "{\"PolicyName\":\"x\"," TGT ",\"PolicyType\":\"TargetTrackingScaling\",\"TargetTrackingScalingPolicyConfiguration\":"
      "{\"TargetValue\":1,\"PredefinedMetricSpecification\":{\"PredefinedMetricType\":\"ECSServiceAverageCPUUtilization\"}}}",
      "ValidationException", 400, "*");
  free(high);
  sim_t_end();
}

static int instances(void) {
  endpoint_status("ep");
  return (int)rn("ProductionVariants.0.CurrentInstanceCount");
}

static void test_scale_out_and_in(void) {
  endpoint("ml.m5.large", 1);
  OK("application-autoscaling", "RegisterScalableTarget", "{" TGT ",\"MinCapacity\":1,\"MaxCapacity\":8}");
  policy(100, ",\"ScaleOutCooldown\":300,\"ScaleInCooldown\":300");
  AwsError err = {0};
  /* 10 rps = 600 invocations a minute on 1 instance, 6x the target */
  CHECK_INT(sim_traffic(W, "ep", 10, 4 * 60, 0, 0, &err), 0);
  CHECK_INT(instances(), 1); /* metrics lag: not yet */
  CHECK_INT(sim_traffic(W, "ep", 10, 60, 0, 0, &err), 0);
  CHECK_STR(endpoint_status("ep"), "Updating"); /* AlarmHigh 3 of 3 after the 2-minute delay */
  CHECK_INT(rn("ProductionVariants.0.DesiredInstanceCount"), 6);
  CHECK_INT(sim_traffic(W, "ep", 10, 10 * 60, 0, 0, &err), 0);
  CHECK_INT(instances(), 6);
  OK("application-autoscaling", "DescribeScalingActivities", "{\"ServiceNamespace\":\"sagemaker\",\"ResourceId\":\"" RID "\"}");
  CHECK(strstr(rs("ScalingActivities.0.Cause"), "-AlarmHigh-") != NULL);
  CHECK(strstr(rs("ScalingActivities.0.Cause"), " in state ALARM triggered policy ipi") != NULL);
  CHECK(rs("ScalingActivities.1.Cause") == NULL); /* no second scale-out: 600/6 = 100 is on target */
  /* traffic stops: zeros for 15 minutes trip AlarmLow; scale in to the minimum */
  advance(25 * 60);
  CHECK_INT(instances(), 1);
  OK("application-autoscaling", "DescribeScalingActivities", "{\"ServiceNamespace\":\"sagemaker\"}");
  CHECK(strstr(rs("ScalingActivities.0.Cause"), "-AlarmLow-") != NULL);
  CHECK_STR(rs("ScalingActivities.0.Description"), "Setting desired instance count to 1.");
  sim_t_end();
}

static void test_cooldown_blocks_scale_in(void) {
  endpoint("ml.m5.large", 4);
  OK("application-autoscaling", "RegisterScalableTarget", "{" TGT ",\"MinCapacity\":1,\"MaxCapacity\":8}");
  policy(100, ",\"ScaleInCooldown\":3600");
  AwsError err = {0};
  CHECK_INT(sim_traffic(W, "ep", 1, 60, 0, 0, &err), 0);
  advance(25 * 60);
  CHECK_INT(instances(), 1); /* the first scale-in happens */
  OK("application-autoscaling", "RegisterScalableTarget", "{" TGT ",\"MinCapacity\":3}");
  advance(600);
  CHECK_INT(instances(), 3);
  OK("application-autoscaling", "RegisterScalableTarget", "{" TGT ",\"MinCapacity\":1}");
  advance(20 * 60);
  CHECK_INT(instances(), 3); /* scale-in cooldown of an hour still running */
  sim_t_end();
}

static void test_update_and_delete_with_target(void) {
  endpoint("ml.m5.large", 1);
  OK("application-autoscaling", "RegisterScalableTarget", "{" TGT ",\"MinCapacity\":1,\"MaxCapacity\":4}");
  policy(100, NULL);
  ERR("sagemaker", "UpdateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c2\"}", "ValidationException", 400,
      "The variant AllTraffic is registered as an Application Auto Scaling scalable target. Deregister the scalable target "
      "before you change the instance type of the variant, then register it again.");
  OK("application-autoscaling", "DeregisterScalableTarget", TGT_OBJ);
  OK("application-autoscaling", "DescribeScalingPolicies", "{\"ServiceNamespace\":\"sagemaker\"}");
  CHECK(rs("ScalingPolicies.0.PolicyName") == NULL); /* deregistering deletes the policies */
  OK("monitoring", "DescribeAlarms", NULL);
  CHECK(rs("MetricAlarms.0.AlarmName") == NULL);      /* and their alarms */
  ERR("application-autoscaling", "DeregisterScalableTarget", TGT_OBJ, "ObjectNotFoundException", 400, "No scalable target registered*");
  OK("application-autoscaling", "RegisterScalableTarget", "{" TGT ",\"MinCapacity\":1,\"MaxCapacity\":4}");
  OK("sagemaker", "DeleteEndpoint", "{\"EndpointName\":\"ep\"}");
  OK("application-autoscaling", "DescribeScalableTargets", "{\"ServiceNamespace\":\"sagemaker\"}");
  CHECK(rs("ScalableTargets.0.ResourceId") == NULL); /* DeleteEndpoint deregisters */
  sim_t_end();
}

/* A step policy acts through a user alarm whose action is the policy ARN. */
static void test_step_scaling(void) {
  endpoint("ml.m5.large", 1);
  OK("application-autoscaling", "RegisterScalableTarget", "{" TGT ",\"MinCapacity\":1,\"MaxCapacity\":5}");
  OK("application-autoscaling", "PutScalingPolicy",
     "{\"PolicyName\":\"step\"," TGT ",\"PolicyType\":\"StepScaling\",\"StepScalingPolicyConfiguration\":{\"AdjustmentType\":"
     "\"ChangeInCapacity\",\"Cooldown\":600,\"StepAdjustments\":[{\"MetricIntervalLowerBound\":0,\"ScalingAdjustment\":2}]}}");
  CHECK(rs("Alarms.0.AlarmName") == NULL); /* step policies own no alarms */
  char *arn = xstrdup(rs("PolicyARN"));
  char req[1024];
  snprintf(req, sizeof req,
           "{\"AlarmName\":\"busy\",\"Namespace\":\"AWS/SageMaker\",\"MetricName\":\"Invocations\",\"Dimensions\":"
           "[{\"Name\":\"EndpointName\",\"Value\":\"ep\"},{\"Name\":\"VariantName\",\"Value\":\"AllTraffic\"}],"
           "\"Statistic\":\"Sum\",\"Period\":60,\"EvaluationPeriods\":1,\"Threshold\":100,\"ComparisonOperator\":"
           "\"GreaterThanThreshold\",\"AlarmActions\":[\"%s\"]}", arn);
  OK("monitoring", "PutMetricAlarm", req);
  AwsError err = {0};
  CHECK_INT(sim_traffic(W, "ep", 5, 4 * 60, 0, 0, &err), 0);
  CHECK_STR(endpoint_status("ep"), "Updating");
  CHECK_INT(rn("ProductionVariants.0.DesiredInstanceCount"), 3);
  CHECK_INT(sim_traffic(W, "ep", 5, 8 * 60, 0, 0, &err), 0);
  CHECK_INT(instances(), 3); /* the 600 s cooldown holds the next step */
  CHECK_INT(sim_traffic(W, "ep", 5, 8 * 60, 0, 0, &err), 0);
  CHECK_INT(instances(), 5); /* then +2 again, capped at the maximum */
  free(arn);
  sim_t_end();
}

static void test_target_tags(void) {
  endpoint("ml.m5.large", 1);
  OK("application-autoscaling", "RegisterScalableTarget", "{" TGT ",\"MinCapacity\":1,\"MaxCapacity\":4}");
  char *arn = xstrdup(rs("ScalableTargetARN"));
  char req[512];
  snprintf(req, sizeof req, "{\"ResourceARN\":\"%s\",\"Tags\":{\"team\":\"ml\"}}", arn);
  OK("application-autoscaling", "TagResource", req);
  snprintf(req, sizeof req, "{\"ResourceARN\":\"%s\"}", arn);
  OK("application-autoscaling", "ListTagsForResource", req);
  CHECK_STR(rs("Tags.team"), "ml");
  snprintf(req, sizeof req, "{\"ResourceARN\":\"%s\",\"TagKeys\":[\"team\"]}", arn);
  OK("application-autoscaling", "UntagResource", req);
  snprintf(req, sizeof req, "{\"ResourceARN\":\"%s\"}", arn);
  OK("application-autoscaling", "ListTagsForResource", req);
  CHECK(rs("Tags.team") == NULL);
  ERR("application-autoscaling", "ListTagsForResource", "{\"ResourceARN\":\"arn:aws:application-autoscaling:us-east-1:1:scalable-target/x\"}",
      "ResourceNotFoundException", 400, "*");
  free(arn);
  sim_t_end();
}

int main(void) {
  RUN(test_register_target);
  RUN(test_burstable_rejected);
  RUN(test_register_moves_count_into_range);
  RUN(test_target_tracking_policy);
  RUN(test_scale_out_and_in);
  RUN(test_cooldown_blocks_scale_in);
  RUN(test_update_and_delete_with_target);
  RUN(test_step_scaling);
  RUN(test_target_tags);
  return T_END();
}
