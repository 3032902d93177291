/*
** tests/unit/test_sim_sagemaker.c — SageMaker models, endpoint configs and
** endpoints in the simulator: each operation's happy path and errors with
** AWS's code and message, the endpoint status machine, deployment
** guardrails with auto-rollback, and InvokeEndpoint.
*/
#include "sim_t.h"

#include <math.h>

#include "base/util.h"

#define EP_ARN "arn:aws:sagemaker:us-east-1:123456789012:endpoint/"
#define CFG_ARN "arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/"

static void base(int count) {
  world(NULL);
  make_role(true);
  make_model("m1", "v1");
  make_model("m2", "v2");
  make_config("c1", "m1", "ml.m5.large", count);
  make_config("c2", "m2", "ml.m5.large", count);
}

static void test_create_model(void) {
  base(1);
  OK("sagemaker", "DescribeModel", "{\"ModelName\":\"m1\"}");
  CHECK_STR(rs("ModelArn"), "arn:aws:sagemaker:us-east-1:123456789012:model/m1");
  CHECK_STR(rs("PrimaryContainer.Image"), ECR ":v1");
  CHECK_STR(rs("ExecutionRoleArn"), ROLE_ARN);
  ERR("sagemaker", "CreateModel",
      "{\"ModelName\":\"m1\",\"ExecutionRoleArn\":\"" ROLE_ARN "\",\"PrimaryContainer\":{\"Image\":\"" ECR ":v1\"}}",
      "ValidationException", 400, "Cannot create already existing model \"arn:aws:sagemaker:us-east-1:123456789012:model/m1\".");
  ERR("sagemaker", "CreateModel", "{\"ModelName\":\"bad-\",\"PrimaryContainer\":{\"Image\":\"" ECR ":v1\"}}",
      "ValidationException", 400,
      "1 validation error detected: Value 'bad-' at 'modelName' failed to satisfy constraint: Member must satisfy "
      "regular expression pattern: ^[a-zA-Z0-9]([\\-a-zA-Z0-9]*[a-zA-Z0-9])?$");
  ERR("sagemaker", "CreateModel", "{\"PrimaryContainer\":{\"Image\":\"" ECR ":v1\"}}", "ValidationException", 400,
      "1 validation error detected: Value null at 'modelName' failed to satisfy constraint: Member must not be null");
  ERR("sagemaker", "CreateModel", "{\"ModelName\":\"hub\",\"PrimaryContainer\":{\"Image\":\"nginx:latest\"}}",
      "ValidationException", 400, "Using non-ECR image \"nginx:latest\" without Vpc repository access mode is not supported.");
  ERR("sagemaker", "CreateModel", "{\"ModelName\":\"u\",\"PrimaryContainer\":{\"Image\":\"" ECR ":v1\",\"ModelDataUrl\":\"ftp://x/y\"}}",
      "ValidationException", 400, "1 validation error detected: Value 'ftp://x/y' at 'primaryContainer.modelDataUrl'*");
  ERR("sagemaker", "CreateModel", "{\"ModelName\":\"e\",\"PrimaryContainer\":{\"Image\":\"" ECR ":v1\",\"Environment\":{\"1BAD\":\"x\"}}}",
      "ValidationException", 400, "1 validation error detected: Value '1BAD' at 'primaryContainer.environment'*");
  ERR("sagemaker", "CreateModel", "{\"ModelName\":\"none\"}", "ValidationException", 400,
      "Either PrimaryContainer or Containers must be specified.");
  OK("sagemaker", "DeleteModel", "{\"ModelName\":\"m2\"}");
  ERR("sagemaker", "DescribeModel", "{\"ModelName\":\"m2\"}", "ValidationException", 400,
      "Could not find model \"arn:aws:sagemaker:us-east-1:123456789012:model/m2\".");
  ERR("sagemaker", "DeleteModel", "{\"ModelName\":\"m2\"}", "ValidationException", 400, "Could not find model*");
  sim_t_end();
}

static void test_create_model_role_checks(void) {
  world(NULL);
  OK("iam", "CreateRole", "{\"RoleName\":\"lambda\",\"AssumeRolePolicyDocument\":\"{\\\"Statement\\\":[{\\\"Effect\\\":"
                          "\\\"Allow\\\",\\\"Principal\\\":{\\\"Service\\\":\\\"lambda.amazonaws.com\\\"},\\\"Action\\\":"
                          "\\\"sts:AssumeRole\\\"}]}\"}");
  ERR("sagemaker", "CreateModel",
      "{\"ModelName\":\"m\",\"ExecutionRoleArn\":\"arn:aws:iam::123456789012:role/lambda\",\"PrimaryContainer\":{\"Image\":\"" ECR
      ":v1\",\"ModelDataUrl\":\"s3://models/m.tar.gz\"}}",
      "ValidationException", 400,
      "Could not access model data at s3://models/m.tar.gz. Please ensure that the role "
      "\"arn:aws:iam::123456789012:role/lambda\" exists and that its trust relationship policy allows the action "
      "\"sts:AssumeRole\" for the service principal \"sagemaker.amazonaws.com\". Also ensure that the role has "
      "\"s3:GetObject\" permissions and that the object is located in us-east-1.");
  ERR("sagemaker", "CreateModel",
      "{\"ModelName\":\"m\",\"ExecutionRoleArn\":\"arn:aws:iam::123456789012:role/ghost\",\"PrimaryContainer\":{\"Image\":\"" ECR ":v1\"}}",
      "ValidationException", 400,
      "Could not assume role arn:aws:iam::123456789012:role/ghost. Please ensure that the role exists and allows "
      "principal 'sagemaker.amazonaws.com' to assume the role.");
  ERR("sagemaker", "CreateModel", "{\"ModelName\":\"m\",\"ExecutionRoleArn\":\"not-an-arn\",\"PrimaryContainer\":{\"Image\":\"" ECR ":v1\"}}",
      "ValidationException", 400, "1 validation error detected: Value 'not-an-arn' at 'executionRoleArn'*");
  /* knob: IAM propagation delay makes a fresh role invisible for a while */
  world("iam_propagation_seconds=10");
  make_role(false);
  ERR("sagemaker", "CreateModel",
      "{\"ModelName\":\"m\",\"ExecutionRoleArn\":\"" ROLE_ARN "\",\"PrimaryContainer\":{\"Image\":\"" ECR ":v1\"}}",
      "ValidationException", 400, "Could not assume role*");
  advance(10);
  OK("sagemaker", "CreateModel", "{\"ModelName\":\"m\",\"ExecutionRoleArn\":\"" ROLE_ARN "\",\"PrimaryContainer\":{\"Image\":\"" ECR ":v1\"}}");
  sim_t_end();
}

static void test_endpoint_config(void) {
  base(2);
  OK("sagemaker", "DescribeEndpointConfig", "{\"EndpointConfigName\":\"c1\"}");
  CHECK_STR(rs("EndpointConfigArn"), CFG_ARN "c1");
  CHECK_INT(rn("ProductionVariants.0.InitialVariantWeight"), 1);
  CHECK_INT(rn("ProductionVariants.0.InitialInstanceCount"), 2);
  ERR("sagemaker", "CreateEndpointConfig",
      "{\"EndpointConfigName\":\"C1\",\"ProductionVariants\":[{\"VariantName\":\"a\",\"ModelName\":\"m1\",\"InstanceType\":\"ml.m5.large\",\"InitialInstanceCount\":1}]}",
      "ValidationException", 400, "Cannot create already existing endpoint configuration \"" CFG_ARN "c1\".");
  ERR("sagemaker", "CreateEndpointConfig",
      "{\"EndpointConfigName\":\"c3\",\"ProductionVariants\":[{\"VariantName\":\"a\",\"ModelName\":\"ghost\",\"InstanceType\":\"ml.m5.large\",\"InitialInstanceCount\":1}]}",
      "ValidationException", 400, "Could not find model \"arn:aws:sagemaker:us-east-1:123456789012:model/ghost\".");
  ERR("sagemaker", "CreateEndpointConfig",
      "{\"EndpointConfigName\":\"c3\",\"ProductionVariants\":[{\"VariantName\":\"a\",\"ModelName\":\"m1\",\"InstanceType\":\"ml.m5.huge\",\"InitialInstanceCount\":1}]}",
      "ValidationException", 400, "1 validation error detected: Value 'ml.m5.huge' at 'productionVariants.1.member.instanceType'*");
  ERR("sagemaker", "CreateEndpointConfig",
      "{\"EndpointConfigName\":\"c3\",\"ProductionVariants\":[{\"VariantName\":\"a\",\"ModelName\":\"m1\",\"InstanceType\":\"ml.m5.large\",\"InitialInstanceCount\":0}]}",
      "ValidationException", 400, "1 validation error detected: Value '0' at 'productionVariants.1.member.initialInstanceCount' "
                                  "failed to satisfy constraint: Member must have value greater than or equal to 1");
  ERR("sagemaker", "CreateEndpointConfig", "{\"EndpointConfigName\":\"c3\",\"ProductionVariants\":[]}", "ValidationException", 400,
      "*");
  ERR("sagemaker", "CreateEndpointConfig",
      "{\"EndpointConfigName\":\"c3\",\"ProductionVariants\":[{\"VariantName\":\"a\",\"ModelName\":\"m1\",\"InstanceType\":\"ml.m5.large\",\"InitialInstanceCount\":1},"
      "{\"VariantName\":\"a\",\"ModelName\":\"m2\",\"InstanceType\":\"ml.m5.large\",\"InitialInstanceCount\":1}]}",
      "ValidationException", 400, "The variant name(s) [a] are not unique.");
  ERR("sagemaker", "CreateEndpointConfig",
      "{\"EndpointConfigName\":\"s\",\"ProductionVariants\":[{\"VariantName\":\"a\",\"ModelName\":\"m1\",\"ServerlessConfig\":{\"MemorySizeInMB\":1500,\"MaxConcurrency\":5}}]}",
      "ValidationException", 400, "MemorySizeInMB must be a multiple of 1024.");
  OK("sagemaker", "CreateEndpointConfig",
     "{\"EndpointConfigName\":\"s\",\"ProductionVariants\":[{\"VariantName\":\"a\",\"ModelName\":\"m1\",\"ServerlessConfig\":{\"MemorySizeInMB\":2048,\"MaxConcurrency\":5}}]}");
  ERR("sagemaker", "CreateEndpointConfig",
      "{\"EndpointConfigName\":\"v\",\"ProductionVariants\":[{\"VariantName\":\"a\",\"ModelName\":\"m1\",\"InstanceType\":\"ml.m5.large\",\"InitialInstanceCount\":1,\"VolumeSizeInGB\":600}]}",
      "ValidationException", 400, "*");
  ERR("sagemaker", "DescribeEndpointConfig", "{\"EndpointConfigName\":\"nope\"}", "ValidationException", 400,
      "Could not find endpoint configuration \"" CFG_ARN "nope\".");
  sim_t_end();
}

static void test_endpoint_lifecycle(void) {
  base(2);
  OK("sagemaker", "CreateEndpoint", "{\"EndpointName\":\"Demo-EP\",\"EndpointConfigName\":\"c1\"}");
  CHECK_STR(rs("EndpointArn"), EP_ARN "demo-ep"); /* [OBS] lower-cased in the ARN */
  CHECK_STR(endpoint_status("Demo-EP"), "Creating");
  CHECK(rs("ProductionVariants.0.VariantName") == NULL);
  CHECK_STR(rs("PendingDeploymentSummary.ProductionVariants.0.VariantStatus.0.StatusMessage"), "Launching 2 instance(s).");
  ERR("sagemaker", "CreateEndpoint", "{\"EndpointName\":\"demo-ep\",\"EndpointConfigName\":\"c1\"}", "ValidationException", 400,
      "Cannot create already existing endpoint \"" EP_ARN "demo-ep\".");
  ERR("sagemaker", "UpdateEndpoint", "{\"EndpointName\":\"Demo-EP\",\"EndpointConfigName\":\"c2\"}", "ValidationException", 400,
      "Cannot update in-progress endpoint \"" EP_ARN "demo-ep\".");
  ERR("sagemaker", "DeleteEndpoint", "{\"EndpointName\":\"Demo-EP\"}", "ValidationException", 400,
      "Cannot update in-progress endpoint \"" EP_ARN "demo-ep\".");
  OK("sim", "WaitEndpoint", "{\"EndpointName\":\"Demo-EP\",\"MaxSeconds\":420}");
  CHECK_STR(rs("EndpointStatus"), "Creating"); /* gave up after MaxSeconds */
  CHECK_STR(rs("Time"), "2026-01-01T00:07:00Z");
  OK("sim", "Advance", "{\"Seconds\":60}");
  CHECK_STR(rs("Time"), "2026-01-01T00:08:00Z");
  CHECK_STR(endpoint_status("Demo-EP"), "InService");
  CHECK_INT(rn("ProductionVariants.0.CurrentInstanceCount"), 2);
  CHECK_INT(rn("ProductionVariants.0.DesiredInstanceCount"), 2);
  CHECK(rn("ProductionVariants.0.CurrentWeight") == 1.0);
  CHECK_STR(rs("ProductionVariants.0.DeployedImages.0.SpecifiedImage"), ECR ":v1");
  CHECK(strncmp(rs("ProductionVariants.0.DeployedImages.0.ResolvedImage"), ECR "@sha256:", strlen(ECR) + 8) == 0);
  CHECK(rs("PendingDeploymentSummary.EndpointConfigName") == NULL);
  OK("sagemaker", "ListEndpoints", NULL);
  CHECK_STR(rs("Endpoints.0.EndpointStatus"), "InService");
  OK("sagemaker", "DeleteEndpoint", "{\"EndpointName\":\"Demo-EP\"}");
  CHECK_STR(endpoint_status("Demo-EP"), "Deleting");
  OK("sim", "WaitEndpoint", "{\"EndpointName\":\"Demo-EP\"}");
  CHECK_STR(rs("EndpointStatus"), "Gone");
  CHECK_STR(rs("Time"), "2026-01-01T00:10:00Z"); /* 2 minutes, polled every 30 s */
  ERR("sagemaker", "DescribeEndpoint", "{\"EndpointName\":\"Demo-EP\"}", "ValidationException", 400,
      "Could not find endpoint \"" EP_ARN "demo-ep\".");
  ERR("sagemaker", "CreateEndpoint", "{\"EndpointName\":\"e2\",\"EndpointConfigName\":\"nope\"}", "ValidationException", 400,
      "Could not find endpoint configuration \"" CFG_ARN "nope\".");
  ERR("sagemaker", "CreateEndpoint", "{\"EndpointName\":\"e-\",\"EndpointConfigName\":\"c1\"}", "ValidationException", 400,
      "1 validation error detected: Value 'e-' at 'endpointName' failed to satisfy constraint: Member must satisfy "
      "regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");
  sim_t_end();
}

/* Without s3:GetObject on the artifact the endpoint fails with the download error. */
static void test_endpoint_fails_without_s3(void) {
  world(NULL);
  make_role(false);
  make_model("m1", "v1");
  make_config("c1", "m1", "ml.m5.large", 1);
  OK("sagemaker", "CreateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c1\"}");
  advance(3600);
  CHECK_STR(endpoint_status("ep"), "Failed");
  CHECK_STR(rs("FailureReason"), "Failed to download model data for container \"container_1\" from URL: "
                                 "\"s3://models/v1/model.tar.gz\". Please ensure that there is an object located at the URL "
                                 "and that the role passed to CreateModel has permissions to download the object.");
  CHECK(sim_get(R, "ProductionVariants") == NULL);
  ERR("sagemaker", "UpdateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c1\"}", "ValidationException", 400,
      "Cannot update endpoint \"" EP_ARN "ep\" in status Failed; it can only be deleted.");
  OK("sagemaker", "DeleteEndpoint", "{\"EndpointName\":\"ep\"}");
  /* adding the permission later makes the next endpoint work */
  OK("iam", "PutRolePolicy", "{\"RoleName\":\"exec\",\"PolicyName\":\"s3\",\"PolicyDocument\":\"" S3_READ "\"}");
  advance(600);
  OK("sagemaker", "CreateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c1\"}");
  advance(600);
  CHECK_STR(endpoint_status("ep"), "InService");
  sim_t_end();
}

/* An image that never answers /ping: Failed on create, rolled back on update. */
static void test_ping_fault(void) {
  base(1);
  sim_fault_ping(W, ECR ":v2", true);
  OK("sagemaker", "CreateEndpoint", "{\"EndpointName\":\"bad\",\"EndpointConfigName\":\"c2\"}");
  OK("sagemaker", "CreateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c1\"}");
  advance(600);
  CHECK_STR(endpoint_status("bad"), "Creating"); /* still pinging: 8 min + the 4-min health-check window */
  advance(120);
  CHECK_STR(endpoint_status("bad"), "Failed");
  CHECK_STR(rs("LastModifiedTime"), "2026-01-01T00:12:00Z");
  CHECK_STR(rs("FailureReason"), "The primary container for production variant AllTraffic did not pass the ping health "
                                 "check. Please check CloudWatch logs for this endpoint.");
  OK("sagemaker", "UpdateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c2\"}");
  advance(3600);
  CHECK_STR(endpoint_status("ep"), "InService");
  CHECK_STR(rs("EndpointConfigName"), "c1");
  CHECK(strstr(rs("FailureReason"), "did not pass the ping health check") != NULL);
  sim_t_end();
}

/* The execution role must be able to pull its image from ECR (§5.4). */
static void test_endpoint_fails_without_ecr(void) {
  world(NULL);
  make_role(false);
  OK("iam", "PutRolePolicy", "{\"RoleName\":\"exec\",\"PolicyName\":\"s3\",\"PolicyDocument\":\"{\\\"Statement\\\":[{"
                             "\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":\\\"s3:GetObject\\\",\\\"Resource\\\":\\\"*\\\"}]}\"}");
  make_model("m1", "v1");
  make_config("c1", "m1", "ml.m5.large", 1);
  OK("sagemaker", "CreateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c1\"}");
  advance(600);
  CHECK_STR(endpoint_status("ep"), "Failed");
  CHECK_STR(rs("FailureReason"), "Please make sure all images included in the model for the production variant AllTraffic "
                                 "exist, and that the execution role used to create the model has permissions to access them.");
  /* with the knob off, pulls are not checked */
  world("check_ecr_permissions=0");
  make_role(false);
  OK("iam", "AttachRolePolicy", "{\"RoleName\":\"exec\",\"PolicyArn\":\"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess\"}");
  make_model("m1", "v1");
  make_config("c1", "m1", "ml.m5.large", 1);
  OK("sagemaker", "CreateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c1\"}");
  advance(600);
  CHECK_STR(endpoint_status("ep"), "InService");
  sim_t_end();
}

static void test_update_all_at_once_default(void) {
  base(2);
  OK("sagemaker", "CreateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c1\"}");
  advance(600);
  OK("sagemaker", "UpdateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c2\"}");
  CHECK_STR(rs("EndpointArn"), EP_ARN "ep");
  CHECK_STR(endpoint_status("ep"), "Updating");
  CHECK_STR(rs("EndpointConfigName"), "c1"); /* the live config until the switch */
  CHECK_STR(rs("PendingDeploymentSummary.EndpointConfigName"), "c2");
  CHECK_STR(rs("PendingDeploymentSummary.ProductionVariants.0.VariantStatus.0.Status"), "Creating");
  CHECK_STR(rs("ProductionVariants.0.DeployedImages.0.SpecifiedImage"), ECR ":v1");
  advance(3600);
  CHECK_STR(endpoint_status("ep"), "InService");
  CHECK_STR(rs("EndpointConfigName"), "c2");
  CHECK_STR(rs("ProductionVariants.0.DeployedImages.0.SpecifiedImage"), ECR ":v2");
  CHECK(rs("FailureReason") == NULL);
  sim_t_end();
}

/* Deleting a config in use is allowed; the next update then fails. */
static void test_delete_config_in_use(void) {
  base(1);
  OK("sagemaker", "CreateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c1\"}");
  advance(600);
  OK("sagemaker", "DeleteEndpointConfig", "{\"EndpointConfigName\":\"c1\"}");
  CHECK_STR(endpoint_status("ep"), "InService");
  ERR("sagemaker", "UpdateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c2\"}", "ValidationException", 400,
      "Could not find endpoint configuration \"" CFG_ARN "c1\".");
  ERR("sagemaker", "DeleteEndpointConfig", "{\"EndpointConfigName\":\"c1\"}", "ValidationException", 400,
      "Could not find endpoint configuration \"" CFG_ARN "c1\".");
  /* snapshot semantics: deleting the model does not change the running endpoint */
  OK("sagemaker", "DeleteModel", "{\"ModelName\":\"m1\"}");
  CHECK_STR(endpoint_status("ep"), "InService");
  CHECK_STR(rs("ProductionVariants.0.DeployedImages.0.SpecifiedImage"), ECR ":v1");
  sim_t_end();
}

static const char *CANARY_UPDATE =
    "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c2\",\"DeploymentConfig\":{\"BlueGreenUpdatePolicy\":{"
    "\"TrafficRoutingConfiguration\":{\"Type\":\"CANARY\",\"CanarySize\":{\"Type\":\"CAPACITY_PERCENT\",\"Value\":25},"
    "\"WaitIntervalInSeconds\":600},\"TerminationWaitInSeconds\":300,\"MaximumExecutionTimeoutInSeconds\":3600},"
    "\"AutoRollbackConfiguration\":{\"Alarms\":[{\"AlarmName\":\"errors\"}]}}}";

static void errors_alarm(void) {
  OK("monitoring", "PutMetricAlarm",
     "{\"AlarmName\":\"errors\",\"Namespace\":\"AWS/SageMaker\",\"MetricName\":\"Invocation5XXErrors\",\"Dimensions\":"
     "[{\"Name\":\"EndpointName\",\"Value\":\"ep\"},{\"Name\":\"VariantName\",\"Value\":\"AllTraffic\"}],\"Statistic\":"
     "\"Average\",\"Period\":60,\"EvaluationPeriods\":2,\"Threshold\":0.05,\"ComparisonOperator\":\"GreaterThanThreshold\","
     "\"TreatMissingData\":\"notBreaching\"}");
}

static void test_canary_phases(void) {
  base(4);
  errors_alarm();
  OK("sagemaker", "CreateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c1\"}");
  advance(600);
  OK("sagemaker", "UpdateEndpoint", CANARY_UPDATE);
  advance(420); /* provisioning done: the canary instance takes traffic */
  CHECK_STR(endpoint_status("ep"), "Updating");
  CHECK_STR(rs("PendingDeploymentSummary.ProductionVariants.0.VariantStatus.0.Status"), "Baking");
  CHECK(strstr(rs("PendingDeploymentSummary.ProductionVariants.0.VariantStatus.0.StatusMessage"),
               "canary capacity of 1 instance(s)") != NULL);
  SimFleet fl[2];
  cJSON *ep = sim_sm_endpoint(W, "ep");
  CHECK_INT(sim_deploy_fleets(W, ep, "AllTraffic", fl), 2);
  CHECK(fabs(fl[1].share - 0.2) < 1e-9); /* 1 green of 1+4 active instances */
  CHECK_STR(fl[1].config, "c2");
  advance(600 + 300 + 60);
  CHECK_STR(endpoint_status("ep"), "InService");
  CHECK_STR(rs("EndpointConfigName"), "c2");
  CHECK_STR(rs("LastDeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration.Type"), "CANARY");
  sim_t_end();
}

static void test_canary_rollback_on_alarm(void) {
  base(4);
  errors_alarm();
  OK("sagemaker", "CreateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c1\"}");
  advance(600);
  sim_fault(W, ECR ":v2", 0.6);
  OK("sagemaker", "UpdateEndpoint", CANARY_UPDATE);
  AwsError err = {0};
  CHECK_INT(sim_traffic(W, "ep", 10, 40 * 60, 0, 0, &err), 0);
  CHECK_STR(endpoint_status("ep"), "InService");
  CHECK_STR(rs("EndpointConfigName"), "c1");
  CHECK_STR(rs("ProductionVariants.0.DeployedImages.0.SpecifiedImage"), ECR ":v1");
  CHECK(rs("FailureReason") && strstr(rs("FailureReason"), "Auto-rollback alarm errors entered the ALARM state") != NULL);
  CHECK(rs("PendingDeploymentSummary.EndpointConfigName") == NULL);
  sim_t_end();
}

static void test_rollback_status_knob(void) {
  world("rollback_status=RollingBack");
  make_role(true);
  make_model("m1", "v1");
  make_model("m2", "v2");
  make_config("c1", "m1", "ml.m5.large", 4);
  make_config("c2", "m2", "ml.m5.large", 4);
  errors_alarm();
  OK("sagemaker", "CreateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c1\"}");
  advance(600);
  OK("sagemaker", "UpdateEndpoint", CANARY_UPDATE);
  advance(420);
  /* an alarm set by hand during a bake trips the rollback at the next check */
  OK("monitoring", "SetAlarmState", "{\"AlarmName\":\"errors\",\"StateValue\":\"ALARM\",\"StateReason\":\"test\"}");
  advance(60);
  CHECK_STR(endpoint_status("ep"), "RollingBack");
  advance(600);
  CHECK_STR(endpoint_status("ep"), "InService");
  CHECK_STR(rs("EndpointConfigName"), "c1");
  sim_t_end();
}

static void test_update_fails_without_s3_rolls_back(void) {
  base(1);
  OK("sagemaker", "CreateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c1\"}");
  advance(600);
  OK("sagemaker", "CreateModel", "{\"ModelName\":\"m3\",\"ExecutionRoleArn\":\"" ROLE_ARN "\",\"PrimaryContainer\":{\"Image\":\"" ECR
                                 ":v3\",\"ModelDataUrl\":\"s3://elsewhere/m.tar.gz\"}}");
  make_config("c3", "m3", "ml.m5.large", 1);
  OK("sagemaker", "UpdateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c3\"}");
  advance(3600);
  /* a failed update does not fail the endpoint: InService on the old config */
  CHECK_STR(endpoint_status("ep"), "InService");
  CHECK_STR(rs("EndpointConfigName"), "c1");
  CHECK(strncmp(rs("FailureReason"), "Failed to download model data", 29) == 0);
  sim_t_end();
}

static void test_guardrail_validation(void) {
  base(4);
  OK("sagemaker", "CreateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c1\"}");
  advance(600);
  ERR("sagemaker", "UpdateEndpoint",
      "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c2\",\"DeploymentConfig\":{\"BlueGreenUpdatePolicy\":{\"TrafficRoutingConfiguration\":"
      "{\"Type\":\"CANARY\",\"CanarySize\":{\"Type\":\"INSTANCE_COUNT\",\"Value\":3},\"WaitIntervalInSeconds\":60}}}}",
      "ValidationException", 400, "CanarySize must be at most 50% of the instance count (4) of variant AllTraffic.");
  ERR("sagemaker", "UpdateEndpoint",
      "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c2\",\"DeploymentConfig\":{\"BlueGreenUpdatePolicy\":{\"TrafficRoutingConfiguration\":"
      "{\"Type\":\"LINEAR\",\"LinearStepSize\":{\"Type\":\"CAPACITY_PERCENT\",\"Value\":60},\"WaitIntervalInSeconds\":60}}}}",
      "ValidationException", 400, "LinearStepSize must be between 10% and 50% of the instance count (4) of variant AllTraffic.");
  ERR("sagemaker", "UpdateEndpoint",
      "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c2\",\"DeploymentConfig\":{\"BlueGreenUpdatePolicy\":{\"TrafficRoutingConfiguration\":"
      "{\"Type\":\"CANARY\",\"WaitIntervalInSeconds\":60}}}}",
      "ValidationException", 400, "CanarySize must be specified when the traffic routing type is CANARY.");
  ERR("sagemaker", "UpdateEndpoint",
      "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c2\",\"DeploymentConfig\":{\"BlueGreenUpdatePolicy\":{\"TrafficRoutingConfiguration\":"
      "{\"Type\":\"ALL_AT_ONCE\",\"WaitIntervalInSeconds\":4000}}}}",
      "ValidationException", 400,
      "1 validation error detected: Value '4000' at 'deploymentConfig.blueGreenUpdatePolicy.trafficRoutingConfiguration."
      "waitIntervalInSeconds' failed to satisfy constraint: Member must have value less than or equal to 3600");
  ERR("sagemaker", "UpdateEndpoint",
      "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c2\",\"DeploymentConfig\":{\"BlueGreenUpdatePolicy\":{\"TrafficRoutingConfiguration\":"
      "{\"Type\":\"ALL_AT_ONCE\",\"WaitIntervalInSeconds\":0},\"MaximumExecutionTimeoutInSeconds\":300}}}",
      "ValidationException", 400, "*");
  CHECK(strstr(E.message, "greater than or equal to 600") != NULL);
  ERR("sagemaker", "UpdateEndpoint",
      "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c2\",\"DeploymentConfig\":{\"BlueGreenUpdatePolicy\":{\"TrafficRoutingConfiguration\":"
      "{\"Type\":\"FAST\",\"WaitIntervalInSeconds\":0}}}}",
      "ValidationException", 400, "*");
  CHECK(strstr(E.message, "Member must satisfy enum value set: [ALL_AT_ONCE, CANARY, LINEAR]") != NULL);
  ERR("sagemaker", "UpdateEndpoint",
      "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c2\",\"DeploymentConfig\":{\"RollingUpdatePolicy\":{\"MaximumBatchSize\":"
      "{\"Type\":\"INSTANCE_COUNT\",\"Value\":4},\"WaitIntervalInSeconds\":60}}}",
      "ValidationException", 400, "MaximumBatchSize must be between 5% and 50% of the instance count (4) of variant AllTraffic.");
  ERR("sagemaker", "UpdateEndpoint",
      "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c2\",\"DeploymentConfig\":{\"AutoRollbackConfiguration\":{\"Alarms\":[]}}}",
      "ValidationException", 400, "*");
  CHECK_STR(endpoint_status("ep"), "InService");
  sim_t_end();
}

static void test_linear_and_rolling(void) {
  base(4);
  OK("sagemaker", "CreateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c1\"}");
  advance(600);
  OK("sagemaker", "UpdateEndpoint",
     "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c2\",\"DeploymentConfig\":{\"BlueGreenUpdatePolicy\":{\"TrafficRoutingConfiguration\":"
     "{\"Type\":\"LINEAR\",\"LinearStepSize\":{\"Type\":\"INSTANCE_COUNT\",\"Value\":1},\"WaitIntervalInSeconds\":120}}}}");
  cJSON *op = sim_get(sim_sm_endpoint(W, "ep"), "Op");
  /* provision, 3 linear steps (1, 2, 3 of 4), final bake, terminate */
  CHECK_INT(cJSON_GetArraySize(sim_get(op, "Phases")), 6);
  advance(3600);
  CHECK_STR(endpoint_status("ep"), "InService");
  CHECK_STR(rs("EndpointConfigName"), "c2");
  OK("sagemaker", "UpdateEndpoint",
     "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c1\",\"DeploymentConfig\":{\"RollingUpdatePolicy\":{\"MaximumBatchSize\":"
     "{\"Type\":\"CAPACITY_PERCENT\",\"Value\":50},\"WaitIntervalInSeconds\":60}}}");
  op = sim_get(sim_sm_endpoint(W, "ep"), "Op");
  CHECK_STR(sim_str(op, "Mode"), "ROLLING");
  CHECK_INT(cJSON_GetArraySize(sim_get(op, "Phases")), 5); /* 2 batches x (provision, bake) + terminate */
  advance(3600);
  CHECK_STR(endpoint_status("ep"), "InService");
  CHECK_STR(rs("EndpointConfigName"), "c1");
  sim_t_end();
}

static void test_max_execution_timeout_rolls_back(void) {
  base(2);
  OK("sagemaker", "CreateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c1\"}");
  advance(600);
  OK("sagemaker", "UpdateEndpoint",
     "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c2\",\"DeploymentConfig\":{\"BlueGreenUpdatePolicy\":{\"TrafficRoutingConfiguration\":"
     "{\"Type\":\"ALL_AT_ONCE\",\"WaitIntervalInSeconds\":0},\"TerminationWaitInSeconds\":3600,\"MaximumExecutionTimeoutInSeconds\":900}}}");
  advance(7200);
  CHECK_STR(endpoint_status("ep"), "InService");
  CHECK_STR(rs("EndpointConfigName"), "c1");
  CHECK(rs("FailureReason") && strstr(rs("FailureReason"), "MaximumExecutionTimeoutInSeconds") != NULL);
  sim_t_end();
}

static void test_retain_variant_properties(void) {
  base(2);
  OK("sagemaker", "CreateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c1\"}");
  advance(600);
  OK("sagemaker", "UpdateEndpointWeightsAndCapacities",
     "{\"EndpointName\":\"ep\",\"DesiredVariantConfigs\":[{\"VariantName\":\"AllTraffic\",\"DesiredInstanceCount\":3}]}");
  CHECK_STR(endpoint_status("ep"), "Updating");
  CHECK_STR(rs("ProductionVariants.0.VariantStatus.0.StatusMessage"), "Scaling out desired instance count to 3.");
  ERR("sagemaker", "UpdateEndpointWeightsAndCapacities",
      "{\"EndpointName\":\"ep\",\"DesiredVariantConfigs\":[{\"VariantName\":\"AllTraffic\",\"DesiredInstanceCount\":4}]}",
      "ValidationException", 400, "Cannot update in-progress endpoint \"" EP_ARN "ep\".");
  advance(600);
  endpoint_status("ep");
  CHECK_INT(rn("ProductionVariants.0.CurrentInstanceCount"), 3);
  OK("sagemaker", "UpdateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c2\",\"RetainAllVariantProperties\":true}");
  advance(3600);
  CHECK_INT(endpoint_status("ep") ? rn("ProductionVariants.0.CurrentInstanceCount") : -1, 3);
  /* without it, counts reset to the new config's InitialInstanceCount */
  OK("sagemaker", "UpdateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c1\"}");
  advance(3600);
  CHECK_INT(endpoint_status("ep") ? rn("ProductionVariants.0.CurrentInstanceCount") : -1, 2);
  sim_t_end();
}

static void test_invoke(void) {
  base(1);
  ERR("sagemaker-runtime", "InvokeEndpoint", "{\"EndpointName\":\"ep\",\"Body\":\"{}\"}", "ValidationError", 400,
      "Endpoint ep of account 123456789012 not found.");
  OK("sagemaker", "CreateEndpoint", "{\"EndpointName\":\"ep\",\"EndpointConfigName\":\"c1\"}");
  ERR("sagemaker-runtime", "InvokeEndpoint", "{\"EndpointName\":\"ep\",\"Body\":\"{}\"}", "ValidationError", 400,
      "Endpoint ep of account 123456789012 not found.");
  advance(600);
  OK("sagemaker-runtime", "InvokeEndpoint", "{\"EndpointName\":\"ep\",\"Body\":\"{\\\"x\\\":[1,2]}\"}");
  CHECK_STR(rs("ContentType"), "application/json");
  CHECK_STR(rs("InvokedProductionVariant"), "AllTraffic");
  char *first = xstrdup(rs("Body"));
  OK("sagemaker-runtime", "InvokeEndpoint", "{\"EndpointName\":\"ep\",\"Body\":\"{\\\"x\\\":[1,2]}\"}");
  CHECK_STR(rs("Body"), first); /* deterministic */
  free(first);
  ERR("sagemaker-runtime", "InvokeEndpoint", "{\"EndpointName\":\"ep\",\"TargetVariant\":\"nope\"}", "ValidationError", 400, "*");
  sim_fault(W, ECR ":v1", 1);
  ERR("sagemaker-runtime", "InvokeEndpoint", "{\"EndpointName\":\"ep\",\"Body\":\"{}\"}", "ModelError", 424,
      "Received server error (500) from primary with message \"Internal Server Error\". See https://us-east-1.console.aws."
      "amazon.com/cloudwatch/home?region=us-east-1#logEventViewer:group=/aws/sagemaker/Endpoints/ep in account "
      "123456789012 for more information.");
  sim_t_end();
}

static void test_tags(void) {
  base(1);
  OK("sagemaker", "AddTags", "{\"ResourceArn\":\"arn:aws:sagemaker:us-east-1:123456789012:model/m1\",\"Tags\":[{\"Key\":\"a\",\"Value\":\"1\"}]}");
  OK("sagemaker", "ListTags", "{\"ResourceArn\":\"arn:aws:sagemaker:us-east-1:123456789012:model/m1\"}");
  CHECK_STR(rs("Tags.0.Key"), "a");
  OK("sagemaker", "DeleteTags", "{\"ResourceArn\":\"arn:aws:sagemaker:us-east-1:123456789012:model/m1\",\"TagKeys\":[\"a\"]}");
  OK("sagemaker", "ListTags", "{\"ResourceArn\":\"arn:aws:sagemaker:us-east-1:123456789012:model/m1\"}");
  CHECK(rs("Tags.0.Key") == NULL);
  ERR("sagemaker", "ListTags", "{\"ResourceArn\":\"arn:aws:sagemaker:us-east-1:123456789012:model/zz\"}", "ValidationException", 400, "*");
  sim_t_end();
}

int main(void) {
  RUN(test_create_model);
  RUN(test_create_model_role_checks);
  RUN(test_endpoint_config);
  RUN(test_endpoint_lifecycle);
  RUN(test_endpoint_fails_without_s3);
  RUN(test_endpoint_fails_without_ecr);
  RUN(test_ping_fault);
  RUN(test_update_all_at_once_default);
  RUN(test_delete_config_in_use);
  RUN(test_canary_phases);
  RUN(test_canary_rollback_on_alarm);
  RUN(test_rollback_status_knob);
  RUN(test_update_fails_without_s3_rolls_back);
  RUN(test_guardrail_validation);
  RUN(test_linear_and_rolling);
  RUN(test_max_execution_timeout_rolls_back);
  RUN(test_retain_variant_properties);
  RUN(test_invoke);
  RUN(test_tags);
  return T_END();
}
