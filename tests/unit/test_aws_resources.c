/*
** tests/unit/test_aws_resources.c — the AWS provider's resources against
** the simulator: create, read, plan no-op, update, delete, import,
** not-found on read, and the error cases the real provider reports.
*/
#include "aws_t.h"

#include "base/util.h"


static void test_role_lifecycle(void) {
  provider(NULL);
  const ResourceType *r = rt("aws_iam_role");
  char *c1 = cfgf("{\"name\":\"exec\",\"assume_role_policy\":\"" TRUST "\",\"tags\":{\"team\":\"ml\"}}");
  Value *cfg = conf(r, c1);
  PathSet rr = {0};
  Value *planned = plan(r, NULL, cfg, &rr);
  CHECK(attr_unknown(planned, "arn"));
  CHECK(attr_unknown(planned, "unique_id"));
  CHECK_STR(sattr(planned, "path"), "/");
  val_free(planned);
  val_free(cfg);
  Value *st = up(r, NULL, c1);
  CHECK(st != NULL);
  CHECK_STR(sattr(st, "arn"), "arn:aws:iam::123456789012:role/exec");
  CHECK_STR(sattr(st, "id"), "exec");
  CHECK(strncmp(sattr(st, "unique_id"), "AROA", 4) == 0);
  CHECK(noop(r, st, c1));
  /* equivalent JSON is no change */
  char *c2 = cfgf("{\"name\":\"exec\",\"assume_role_policy\":\"" TRUST_EQUIV "\",\"tags\":{\"team\":\"ml\"}}");
  CHECK(noop(r, st, c2));
  /* in-place update: description, session duration, tags */
  char *c3 = cfgf("{\"name\":\"exec\",\"assume_role_policy\":\"" TRUST "\",\"description\":\"SageMaker\","
                  "\"max_session_duration\":7200,\"tags\":{\"team\":\"ds\"}}");
  cfg = conf(r, c3);
  planned = plan(r, st, cfg, &rr);
  CHECK_INT(rr.n, 0);
  val_free(planned);
  val_free(cfg);
  Value *st2 = up(r, st, c3);
  CHECK_STR(sattr(st2, "description"), "SageMaker");
  CHECK(noop(r, st2, c3));
  /* import by name gives the same object */
  clear_diags();
  Value *imp = r->import(P, "exec", &D);
  CHECK(imp && strcmp(sattr(imp, "arn"), sattr(st2, "arn")) == 0);
  CHECK(noop(r, imp, c3));
  /* path forces replacement */
  char *c4 = cfgf("{\"name\":\"exec\",\"path\":\"/ml/\",\"assume_role_policy\":\"" TRUST "\"}");
  cfg = conf(r, c4);
  planned = plan(r, st2, cfg, &rr);
  CHECK(pathset_has(&rr, "path"));
  CHECK(attr_unknown(planned, "arn"));
  pathset_free(&rr);
  val_free(planned);
  val_free(cfg);
  /* delete, then read finds nothing */
  clear_diags();
  Value *gone = r->apply(P, st2, NULL, &D);
  CHECK(gone == NULL && D.nerrors == 0);
  Value *again = r->read(P, st2, &D);
  CHECK(again == NULL);
  clear_diags();
  CHECK(r->import(P, "exec", &D) == NULL);
  CHECK(has_diag(NULL, "Cannot import non-existent remote object"));
  val_free(imp);
  val_free(st);
  val_free(st2);
  free(c1);
  free(c2);
  free(c3);
  free(c4);
  done();
}

static void test_role_generated_names(void) {
  provider(NULL);
  const ResourceType *r = rt("aws_iam_role");
  char *c = cfgf("{\"assume_role_policy\":\"" TRUST "\"}");
  Value *cfg = conf(r, c);
  PathSet rr = {0};
  Value *planned = plan(r, NULL, cfg, &rr);
  CHECK(attr_unknown(planned, "name"));
  val_free(planned);
  val_free(cfg);
  Value *st = up(r, NULL, c);
  CHECK(strncmp(sattr(st, "name"), "terraform-", 10) == 0);
  CHECK_INT(strlen(sattr(st, "name")), 36);
  CHECK(noop(r, st, c));
  char *cp = cfgf("{\"name_prefix\":\"ml-\",\"assume_role_policy\":\"" TRUST "\"}");
  Value *st2 = up(r, NULL, cp);
  CHECK(strncmp(sattr(st2, "name"), "ml-", 3) == 0);
  CHECK_INT(strlen(sattr(st2, "name")), 29);
  CHECK_STR(sattr(st2, "name_prefix"), "ml-");
  CHECK(noop(r, st2, cp));
  /* names are unique even within one second */
  CHECK(strcmp(sattr(st, "name") + 10, sattr(st2, "name") + 3) != 0);
  val_free(st);
  val_free(st2);
  free(c);
  free(cp);
  done();
}

static void test_role_validation(void) {
  provider(NULL);
  const ResourceType *r = rt("aws_iam_role");
  char *c = cfgf("{\"name\":\"a-very-long-role-name-that-goes-on-and-on-past-the-limit-of-sixty-four\","
                 "\"name_prefix\":\"x\",\"assume_role_policy\":\"{}\",\"max_session_duration\":60,"
                 "\"description\":\"\xe2\x80\x9cquoted\xe2\x80\x9d\",\"path\":\"/ok/\"}");
  Value *cfg = conf(r, c);
  validate(r, cfg);
  CHECK(has_diag("name", "expected length of name to be in the range (1 - 64)"));
  CHECK(has_diag("name", "conflicts with name_prefix"));
  CHECK(has_diag("name_prefix", "conflicts with name"));
  CHECK(has_diag("max_session_duration", "expected max_session_duration to be in the range (3600 - 43200), got 60"));
  CHECK(has_diag("description", "curly quotes"));
  CHECK(!has_diag("path", NULL));
  val_free(cfg);
  free(c);
  c = cfgf("{\"name\":\"bad name!\",\"assume_role_policy\":\"{}\"}");
  cfg = conf(r, c);
  validate(r, cfg);
  CHECK(has_diag("name", "must match"));
  val_free(cfg);
  free(c);
  done();
}

static void test_role_policy(void) {
  provider(NULL);
  const ResourceType *r = rt("aws_iam_role_policy");
  Value *role = make_role("exec", false);
  char *c = cfgf("{\"name\":\"s3\",\"role\":\"exec\",\"policy\":\"" S3READ "\"}");
  Value *st = up(r, NULL, c);
  CHECK_STR(sattr(st, "id"), "exec:s3");
  CHECK(noop(r, st, c));
  /* the role must be given by name */
  char *bad = cfgf("{\"name\":\"s3\",\"role\":\"arn:aws:iam::123456789012:role/exec\",\"policy\":\"{}\"}");
  Value *cfg = conf(r, bad);
  validate(r, cfg);
  CHECK(has_diag("role", "an ARN is not accepted"));
  val_free(cfg);
  /* policy change is in place (PutRolePolicy is an upsert) */
  char *c2 = cfgf("{\"name\":\"s3\",\"role\":\"exec\",\"policy\":\"{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'s3:*','Resource':'*'}]}\"}");
  PathSet rr = {0};
  cfg = conf(r, c2);
  Value *planned = plan(r, st, cfg, &rr);
  CHECK_INT(rr.n, 0);
  val_free(planned);
  val_free(cfg);
  Value *st2 = up(r, st, c2);
  CHECK(strstr(sattr(st2, "policy"), "s3:*") != NULL);
  /* import */
  clear_diags();
  Value *imp = r->import(P, "exec:s3", &D);
  CHECK(imp && strcmp(sattr(imp, "role"), "exec") == 0 && strcmp(sattr(imp, "name"), "s3") == 0);
  clear_diags();
  CHECK(r->import(P, "no-colon", &D) == NULL);
  CHECK(has_diag(NULL, "ROLE-NAME:POLICY-NAME"));
  /* deleted out of band: read says gone */
  cJSON *x = api("iam", "DeleteRolePolicy", "{\"RoleName\":\"exec\",\"PolicyName\":\"s3\"}");
  cJSON_Delete(x);
  clear_diags();
  CHECK(r->read(P, st2, &D) == NULL && D.nerrors == 0);
  val_free(role);
  val_free(st);
  val_free(st2);
  val_free(imp);
  free(c);
  free(c2);
  free(bad);
  done();
}

static void test_sagemaker_chain(void) {
  provider("{\"region\":\"us-east-1\",\"default_tags\":[{\"tags\":{\"env\":\"test\"}}]}");
  Value *role = make_role("exec", true);
  const ResourceType *m = rt("aws_sagemaker_model"), *ec = rt("aws_sagemaker_endpoint_configuration"),
                     *ep = rt("aws_sagemaker_endpoint");
  char *mc = cfgf(MODEL_CFG, "m1", IMAGE);
  Value *model = up(m, NULL, mc);
  CHECK_STR(sattr(model, "arn"), "arn:aws:sagemaker:us-east-1:123456789012:model/m1");
  CHECK(noop(m, model, mc));
  /* tags_all = default_tags + tags */
  Value *ta = val_attr(model, "tags_all");
  Value *env = ta ? val_map_get(ta, "env") : NULL;
  CHECK(env && strcmp(val_str(env), "test") == 0);
  val_free(env);
  val_free(ta);
  /* any container change replaces the model */
  char *mc2 = cfgf(MODEL_CFG, "m1", IMAGE2);
  PathSet rr = {0};
  Value *cfg = conf(m, mc2);
  Value *planned = plan(m, model, cfg, &rr);
  CHECK(pathset_has(&rr, "primary_container[0].image"));
  pathset_free(&rr);
  val_free(planned);
  val_free(cfg);

  char *cc = cfgf(CONFIG_CFG, "c1", "m1", "ml.m5.large", 1);
  Value *conf1 = up(ec, NULL, cc);
  CHECK_STR(sattr(conf1, "arn"), "arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/c1");
  CHECK(noop(ec, conf1, cc));

  const char *ec1 = "{\"name\":\"e1\",\"endpoint_config_name\":\"c1\"}";
  double t0 = aws_clock_now(P);
  Value *endpoint = up(ep, NULL, ec1);
  print_diags();
  CHECK(endpoint != NULL && D.nerrors == 0);
  /* the InService wait let simulated minutes pass, not real ones */
  CHECK(aws_clock_now(P) - t0 >= 300);
  CHECK_STR(sattr(endpoint, "endpoint_config_name"), "c1");
  CHECK(noop(ep, endpoint, ec1));

  /* a new configuration: UpdateEndpoint + wait */
  char *cc2 = cfgf(CONFIG_CFG, "c2", "m1", "ml.m5.xlarge", 1);
  Value *conf2 = up(ec, NULL, cc2);
  const char *ec2 = "{\"name\":\"e1\",\"endpoint_config_name\":\"c2\",\"tags\":{\"stage\":\"2\"}}";
  cfg = conf(ep, ec2);
  planned = plan(ep, endpoint, cfg, &rr);
  CHECK_INT(rr.n, 0);
  val_free(planned);
  val_free(cfg);
  Value *endpoint2 = up(ep, endpoint, ec2);
  print_diags();
  CHECK_STR(sattr(endpoint2, "endpoint_config_name"), "c2");
  CHECK(noop(ep, endpoint2, ec2));
  cJSON *d = api("sagemaker", "DescribeEndpoint", "{\"EndpointName\":\"e1\"}");
  CHECK(d && strcmp(js_str(d, "EndpointStatus"), "InService") == 0);
  cJSON_Delete(d);

  /* import */
  clear_diags();
  Value *imp = ep->import(P, "e1", &D);
  CHECK(imp && strcmp(sattr(imp, "endpoint_config_name"), "c2") == 0);
  val_free(imp);
  imp = ec->import(P, "c1", &D);
  CHECK(imp && noop(ec, imp, cc));
  val_free(imp);
  imp = m->import(P, "m1", &D);
  CHECK(imp && noop(m, imp, mc));
  val_free(imp);

  /* delete: the endpoint waits until it is gone */
  clear_diags();
  CHECK(ep->apply(P, endpoint2, NULL, &D) == NULL && D.nerrors == 0);
  CHECK(ep->read(P, endpoint2, &D) == NULL);
  CHECK(ec->apply(P, conf1, NULL, &D) == NULL && D.nerrors == 0);
  CHECK(ec->apply(P, conf2, NULL, &D) == NULL && D.nerrors == 0);
  CHECK(m->apply(P, model, NULL, &D) == NULL && D.nerrors == 0);
  CHECK(m->read(P, model, &D) == NULL && ec->read(P, conf1, &D) == NULL);
  print_diags();
  val_free(role);
  val_free(model);
  val_free(conf1);
  val_free(conf2);
  val_free(endpoint);
  val_free(endpoint2);
  free(mc);
  free(mc2);
  free(cc);
  free(cc2);
  done();
}

static void test_config_generated_names(void) {
  provider(NULL);
  Value *role = make_role("exec", true);
  char *mc = cfgf(MODEL_CFG, "m1", IMAGE);
  Value *model = up(rt("aws_sagemaker_model"), NULL, mc);
  const ResourceType *ec = rt("aws_sagemaker_endpoint_configuration");
  const char *c = "{\"name_prefix\":\"xgb-\",\"production_variants\":[{\"model_name\":\"m1\","
                  "\"instance_type\":\"ml.m5.large\",\"initial_instance_count\":1}]}";
  Value *cfg = conf(ec, c);
  PathSet rr = {0};
  Value *planned = plan(ec, NULL, cfg, &rr);
  CHECK(attr_unknown(planned, "name"));
  Value *pv = val_attr(planned, "production_variants");
  Value *v0 = val_elems(pv)[0];
  CHECK(attr_unknown(v0, "variant_name"));
  val_free(pv);
  val_free(planned);
  val_free(cfg);
  Value *st = up(ec, NULL, c);
  CHECK(strncmp(sattr(st, "name"), "xgb-", 4) == 0 && strlen(sattr(st, "name")) == 30);
  pv = val_attr(st, "production_variants");
  CHECK(strncmp(sattr(val_elems(pv)[0], "variant_name"), "terraform-", 10) == 0);
  val_free(pv);
  CHECK(noop(ec, st, c));
  val_free(st);
  val_free(model);
  val_free(role);
  free(mc);
  done();
}

static void test_config_validation(void) {
  provider(NULL);
  const ResourceType *ec = rt("aws_sagemaker_endpoint_configuration");
  Value *cfg = conf(ec, "{\"name\":\"-bad\",\"name_prefix\":\"p\",\"production_variants\":[{\"model_name\":\"m\","
                        "\"instance_type\":\"ml.t9.huge\",\"initial_instance_count\":0,"
                        "\"serverless_config\":[{\"max_concurrency\":500,\"memory_size_in_mb\":1500}]}],"
                        "\"data_capture_config\":[{\"initial_sampling_percentage\":101,\"destination_s3_uri\":\"ftp://x\","
                        "\"capture_options\":[],\"capture_content_type_header\":[{}]}]}");
  validate(ec, cfg);
  CHECK(has_diag("name", "must not start with a hyphen"));
  CHECK(has_diag("name", "conflicts with name_prefix"));
  CHECK(has_diag("production_variants[0].instance_type", "expected production_variants[0].instance_type to be one of"));
  CHECK(has_diag("production_variants[0].initial_instance_count", "range"));
  CHECK(has_diag("production_variants[0].serverless_config[0].max_concurrency", "(1 - 200)"));
  CHECK(has_diag("production_variants[0].serverless_config[0].memory_size_in_mb", "1024 2048"));
  CHECK(has_diag("data_capture_config[0].initial_sampling_percentage", "(0 - 100)"));
  CHECK(has_diag("data_capture_config[0].destination_s3_uri", "https:// or s3://"));
  CHECK(has_diag("data_capture_config[0].capture_content_type_header[0]", "csv_content_types"));
  val_free(cfg);
  done();
}

static void test_endpoint_failed(void) {
  provider(NULL);
  /* the role trusts SageMaker but cannot read the model artifact */
  Value *role = make_role("exec", false);
  char *mc = cfgf(MODEL_CFG, "m1", IMAGE);
  Value *model = up(rt("aws_sagemaker_model"), NULL, mc);
  char *cc = cfgf(CONFIG_CFG, "c1", "m1", "ml.m5.large", 1);
  Value *c1 = up(rt("aws_sagemaker_endpoint_configuration"), NULL, cc);
  const ResourceType *ep = rt("aws_sagemaker_endpoint");
  Value *st = up(ep, NULL, "{\"name\":\"e1\",\"endpoint_config_name\":\"c1\"}");
  CHECK(D.nerrors == 1);
  CHECK(has_diag(NULL, "waiting for SageMaker AI Endpoint (e1) create: unexpected state 'Failed', wanted target "
                       "'InService'. last error: Failed to download model data"));
  /* the endpoint exists (Failed): its state comes back so it is tainted */
  CHECK(st != NULL && strcmp(sattr(st, "name"), "e1") == 0);
  clear_diags();
  CHECK(ep->apply(P, st, NULL, &D) == NULL && D.nerrors == 0);
  print_diags();
  val_free(st);
  val_free(c1);
  val_free(model);
  val_free(role);
  free(mc);
  free(cc);
  done();
}

static void test_endpoint_update_rolled_back(void) {
  provider(NULL);
  Value *role = make_role("exec", true);
  char *mc = cfgf(MODEL_CFG, "m1", IMAGE);
  Value *model = up(rt("aws_sagemaker_model"), NULL, mc);
  const ResourceType *ec = rt("aws_sagemaker_endpoint_configuration"), *ep = rt("aws_sagemaker_endpoint");
  char *cc1 = cfgf(CONFIG_CFG, "c1", "m1", "ml.m5.large", 2);
  char *cc2 = cfgf(CONFIG_CFG, "c2", "m1", "ml.m5.xlarge", 2);
  Value *c1 = up(ec, NULL, cc1), *c2 = up(ec, NULL, cc2);
  /* an alarm that is in ALARM as soon as it is evaluated: no data, treated
  ** as breaching */
  Value *alarm = up(rt("aws_cloudwatch_metric_alarm"), NULL,
                    "{\"alarm_name\":\"guard\",\"namespace\":\"Custom\",\"metric_name\":\"Nothing\","
                    "\"statistic\":\"Sum\",\"period\":60,\"evaluation_periods\":1,\"threshold\":1,"
                    "\"comparison_operator\":\"GreaterThanThreshold\",\"treat_missing_data\":\"breaching\"}");
  CHECK(alarm != NULL);
  const char *dc = ",\"deployment_config\":[{\"blue_green_update_policy\":[{\"traffic_routing_configuration\":[{"
                   "\"type\":\"CANARY\",\"wait_interval_in_seconds\":300,\"canary_size\":[{\"type\":\"INSTANCE_COUNT\","
                   "\"value\":1}]}]}],\"auto_rollback_configuration\":[{\"alarms\":[{\"alarm_name\":\"guard\"}]}]}]}";
  char *e1 = xasprintf("{\"name\":\"e1\",\"endpoint_config_name\":\"c1\"%s", dc);
  char *e2 = xasprintf("{\"name\":\"e1\",\"endpoint_config_name\":\"c2\"%s", dc);
  Value *st = up(ep, NULL, e1);
  print_diags();
  CHECK(st != NULL && D.nerrors == 0);
  CHECK(noop(ep, st, e1));
  Value *st2 = up(ep, st, e2);
  CHECK(D.nerrors == 1);
  CHECK(has_diag(NULL, "update failed and was rolled back"));
  print_diags();
  /* the state says what runs now: the old configuration */
  CHECK(st2 && strcmp(sattr(st2, "endpoint_config_name"), "c1") == 0);
  /* changing the rollback alarms replaces the endpoint */
  char *e3 = xasprintf("{\"name\":\"e1\",\"endpoint_config_name\":\"c1\"%s", dc);
  char *at = strstr(e3, "\"guard\"");
  memcpy(at, "\"other\"", 7);
  Value *cfg = conf(ep, e3);
  PathSet rr = {0};
  Value *planned = plan(ep, st2, cfg, &rr);
  CHECK(pathset_has(&rr, "deployment_config[0].auto_rollback_configuration"));
  pathset_free(&rr);
  val_free(planned);
  val_free(cfg);
  val_free(st);
  val_free(st2);
  val_free(alarm);
  val_free(c1);
  val_free(c2);
  val_free(model);
  val_free(role);
  free(mc);
  free(cc1);
  free(cc2);
  free(e1);
  free(e2);
  free(e3);
  done();
}

static void test_endpoint_validation(void) {
  provider(NULL);
  const ResourceType *ep = rt("aws_sagemaker_endpoint");
  Value *cfg = conf(ep, "{\"name\":\"e1\",\"endpoint_config_name\":\"c1\",\"deployment_config\":[{}]}");
  validate(ep, cfg);
  CHECK(has_diag("deployment_config[0]", "must be specified"));
  val_free(cfg);
  cfg = conf(ep, "{\"name\":\"e1\",\"endpoint_config_name\":\"c1\",\"deployment_config\":[{\"blue_green_update_policy\":[{"
                 "\"maximum_execution_timeout_in_seconds\":20000,\"traffic_routing_configuration\":[{\"type\":\"SLOW\","
                 "\"wait_interval_in_seconds\":4000}]}]}]}");
  validate(ep, cfg);
  CHECK(has_diag("deployment_config[0].blue_green_update_policy[0].maximum_execution_timeout_in_seconds", "(600 - 14400)"));
  CHECK(has_diag("deployment_config[0].blue_green_update_policy[0].traffic_routing_configuration[0].type", "CANARY"));
  CHECK(has_diag("deployment_config[0].blue_green_update_policy[0].traffic_routing_configuration[0].wait_interval_in_seconds",
                 "(0 - 3600)"));
  val_free(cfg);
  done();
}

static void test_not_found_on_read(void) {
  provider(NULL);
  Value *role = make_role("exec", true);
  char *mc = cfgf(MODEL_CFG, "m1", IMAGE);
  const ResourceType *m = rt("aws_sagemaker_model");
  Value *model = up(m, NULL, mc);
  cJSON_Delete(api("sagemaker", "DeleteModel", "{\"ModelName\":\"m1\"}"));
  clear_diags();
  CHECK(m->read(P, model, &D) == NULL && D.nerrors == 0);
  cJSON_Delete(api("iam", "DeleteRolePolicy", "{\"RoleName\":\"exec\",\"PolicyName\":\"s3\"}"));
  cJSON_Delete(api("iam", "DeleteRole", "{\"RoleName\":\"exec\"}"));
  CHECK(rt("aws_iam_role")->read(P, role, &D) == NULL && D.nerrors == 0);
  val_free(model);
  val_free(role);
  free(mc);
  done();
}

/* Drift: a change made out of band shows up as a diff. */
static void test_drift(void) {
  provider(NULL);
  const ResourceType *r = rt("aws_iam_role");
  char *c = cfgf("{\"name\":\"exec\",\"assume_role_policy\":\"" TRUST "\",\"description\":\"a\"}");
  Value *st = up(r, NULL, c);
  cJSON_Delete(api("iam", "UpdateRoleDescription", "{\"RoleName\":\"exec\",\"Description\":\"changed\"}"));
  clear_diags();
  Value *now = r->read(P, st, &D);
  CHECK_STR(sattr(now, "description"), "changed");
  CHECK(!noop(r, now, c));
  Value *fixed = up(r, now, c);
  CHECK_STR(sattr(fixed, "description"), "a");
  val_free(st);
  val_free(now);
  val_free(fixed);
  free(c);
  done();
}

static void test_autoscaling(void) {
  provider(NULL);
  Value *role = make_role("exec", true);
  char *mc = cfgf(MODEL_CFG, "m1", IMAGE);
  Value *model = up(rt("aws_sagemaker_model"), NULL, mc);
  char *cc = cfgf(CONFIG_CFG, "c1", "m1", "ml.m5.large", 1);
  Value *c1 = up(rt("aws_sagemaker_endpoint_configuration"), NULL, cc);
  Value *e1 = up(rt("aws_sagemaker_endpoint"), NULL, "{\"name\":\"e1\",\"endpoint_config_name\":\"c1\"}");
  const ResourceType *t = rt("aws_appautoscaling_target"), *pol = rt("aws_appautoscaling_policy");
  const char *tc = "{\"service_namespace\":\"sagemaker\",\"resource_id\":\"endpoint/e1/variant/AllTraffic\","
                   "\"scalable_dimension\":\"sagemaker:variant:DesiredInstanceCount\",\"min_capacity\":1,\"max_capacity\":4}";
  Value *target = up(t, NULL, tc);
  print_diags();
  CHECK_STR(sattr(target, "id"), "endpoint/e1/variant/AllTraffic");
  const char *tp = "arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/";
  CHECK(strncmp(sattr(target, "arn"), tp, strlen(tp)) == 0);
  CHECK(noop(t, target, tc));
  const char *pc = "{\"name\":\"ipi\",\"policy_type\":\"TargetTrackingScaling\",\"service_namespace\":\"sagemaker\","
                   "\"resource_id\":\"endpoint/e1/variant/AllTraffic\",\"scalable_dimension\":"
                   "\"sagemaker:variant:DesiredInstanceCount\",\"target_tracking_scaling_policy_configuration\":[{"
                   "\"target_value\":70,\"predefined_metric_specification\":[{\"predefined_metric_type\":"
                   "\"SageMakerVariantInvocationsPerInstance\"}]}]}";
  Value *policy = up(pol, NULL, pc);
  print_diags();
  const char *pp = "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:";
  CHECK(strncmp(sattr(policy, "arn"), pp, strlen(pp)) == 0);
  Value *alarms = val_attr(policy, "alarm_arns");
  CHECK(alarms && val_len(alarms) == 2);
  val_free(alarms);
  CHECK(noop(pol, policy, pc));
  /* cooldowns left out are sent as 0 */
  cJSON *d = api("application-autoscaling", "DescribeScalingPolicies",
                 "{\"ServiceNamespace\":\"sagemaker\",\"PolicyNames\":[\"ipi\"]}");
  cJSON *ttc = js_get(cJSON_GetArrayItem(js_get(d, "ScalingPolicies"), 0), "TargetTrackingScalingPolicyConfiguration");
  CHECK(js_num(ttc, "ScaleInCooldown", -1) == 0);
  cJSON_Delete(d);
  /* imports */
  clear_diags();
  Value *ti = t->import(P, "sagemaker/endpoint/e1/variant/AllTraffic/sagemaker:variant:DesiredInstanceCount", &D);
  CHECK(ti && noop(t, ti, tc));
  Value *pi = pol->import(P, "sagemaker/endpoint/e1/variant/AllTraffic/sagemaker:variant:DesiredInstanceCount/ipi", &D);
  CHECK(pi && noop(pol, pi, pc));
  print_diags();
  /* update max capacity in place */
  const char *tc2 = "{\"service_namespace\":\"sagemaker\",\"resource_id\":\"endpoint/e1/variant/AllTraffic\","
                    "\"scalable_dimension\":\"sagemaker:variant:DesiredInstanceCount\",\"min_capacity\":1,\"max_capacity\":6}";
  Value *target2 = up(t, target, tc2);
  CHECK(target2 && noop(t, target2, tc2));
  /* deletes */
  clear_diags();
  CHECK(pol->apply(P, policy, NULL, &D) == NULL);
  CHECK(t->apply(P, target2, NULL, &D) == NULL);
  CHECK(D.nerrors == 0);
  CHECK(t->read(P, target2, &D) == NULL);
  print_diags();
  val_free(ti);
  val_free(pi);
  val_free(target);
  val_free(target2);
  val_free(policy);
  val_free(e1);
  val_free(c1);
  val_free(model);
  val_free(role);
  free(mc);
  free(cc);
  done();
}

static void test_autoscaling_burstable_rejected(void) {
  provider(NULL);
  Value *role = make_role("exec", true);
  char *mc = cfgf(MODEL_CFG, "m1", IMAGE);
  Value *model = up(rt("aws_sagemaker_model"), NULL, mc);
  char *cc = cfgf(CONFIG_CFG, "c1", "m1", "ml.t2.medium", 1);
  Value *c1 = up(rt("aws_sagemaker_endpoint_configuration"), NULL, cc);
  Value *e1 = up(rt("aws_sagemaker_endpoint"), NULL, "{\"name\":\"e1\",\"endpoint_config_name\":\"c1\"}");
  Value *target = up(rt("aws_appautoscaling_target"), NULL,
                     "{\"service_namespace\":\"sagemaker\",\"resource_id\":\"endpoint/e1/variant/AllTraffic\","
                     "\"scalable_dimension\":\"sagemaker:variant:DesiredInstanceCount\",\"min_capacity\":1,"
                     "\"max_capacity\":4}");
  CHECK(target == NULL);
  CHECK(has_diag(NULL, "registering Application AutoScaling Target (endpoint/e1/variant/AllTraffic): operation error "
                       "Application Auto Scaling: RegisterScalableTarget"));
  CHECK(has_diag(NULL, "burstable"));
  val_free(e1);
  val_free(c1);
  val_free(model);
  val_free(role);
  free(mc);
  free(cc);
  done();
}

static void test_alarm_and_topic(void) {
  provider(NULL);
  const ResourceType *sns = rt("aws_sns_topic"), *al = rt("aws_cloudwatch_metric_alarm");
  Value *topic = up(sns, NULL, "{\"name\":\"alerts\"}");
  CHECK_STR(sattr(topic, "arn"), "arn:aws:sns:us-east-1:123456789012:alerts");
  CHECK_STR(sattr(topic, "id"), sattr(topic, "arn"));
  CHECK(noop(sns, topic, "{\"name\":\"alerts\"}"));
  clear_diags();
  Value *ti = sns->import(P, "arn:aws:sns:us-east-1:123456789012:alerts", &D);
  CHECK(ti && noop(sns, ti, "{\"name\":\"alerts\"}"));
  val_free(ti);
  Value *gen = up(sns, NULL, "{}");
  CHECK(strncmp(sattr(gen, "name"), "terraform-", 10) == 0);
  const char *ac = "{\"alarm_name\":\"errors\",\"namespace\":\"AWS/SageMaker\",\"metric_name\":\"Invocation5XXErrors\","
                   "\"statistic\":\"Average\",\"period\":60,\"evaluation_periods\":2,\"threshold\":0.05,"
                   "\"comparison_operator\":\"GreaterThanThreshold\",\"dimensions\":{\"EndpointName\":\"e1\","
                   "\"VariantName\":\"AllTraffic\"},\"alarm_actions\":[\"arn:aws:sns:us-east-1:123456789012:alerts\"]}";
  Value *alarm = up(al, NULL, ac);
  print_diags();
  CHECK_STR(sattr(alarm, "arn"), "arn:aws:cloudwatch:us-east-1:123456789012:alarm:errors");
  CHECK_STR(sattr(alarm, "treat_missing_data"), "missing");
  CHECK(noop(al, alarm, ac));
  const char *ac2 = "{\"alarm_name\":\"errors\",\"namespace\":\"AWS/SageMaker\",\"metric_name\":\"Invocation5XXErrors\","
                    "\"statistic\":\"Average\",\"period\":300,\"evaluation_periods\":2,\"threshold\":0.1,"
                    "\"comparison_operator\":\"GreaterThanThreshold\",\"dimensions\":{\"EndpointName\":\"e1\","
                    "\"VariantName\":\"AllTraffic\"},\"tags\":{\"a\":\"b\"}}";
  Value *alarm2 = up(al, alarm, ac2);
  CHECK(alarm2 && noop(al, alarm2, ac2));
  clear_diags();
  Value *ai = al->import(P, "errors", &D);
  CHECK(ai && noop(al, ai, ac2));
  val_free(ai);
  /* plan-time rules */
  Value *cfg = conf(al, "{\"alarm_name\":\"x\",\"metric_name\":\"m\",\"period\":45,\"statistic\":\"Sum\","
                        "\"extended_statistic\":\"p99\"}");
  validate(al, cfg);
  CHECK(has_diag("comparison_operator", "required"));
  CHECK(has_diag("evaluation_periods", "required"));
  CHECK(has_diag("period", "multiple of 60"));
  CHECK(has_diag("statistic", "conflicts with extended_statistic"));
  val_free(cfg);
  cfg = conf(al, "{\"alarm_name\":\"x\",\"metric_name\":\"m\",\"statistic\":\"Sum\",\"evaluation_periods\":1,"
                 "\"comparison_operator\":\"GreaterThanThreshold\",\"evaluation_interval\":60,"
                 "\"evaluation_criteria\":[{\"promql_criteria\":[{\"query\":\"up\"}]}]}");
  validate(al, cfg);
  CHECK(has_diag("evaluation_criteria", "only one of `evaluation_criteria,metric_name,metric_query`"));
  val_free(cfg);
  clear_diags();
  CHECK(al->apply(P, alarm2, NULL, &D) == NULL && al->read(P, alarm2, &D) == NULL);
  CHECK(sns->apply(P, topic, NULL, &D) == NULL && sns->read(P, topic, &D) == NULL);
  CHECK(D.nerrors == 0);
  val_free(topic);
  val_free(gen);
  val_free(alarm);
  val_free(alarm2);
  done();
}

/* v6's per-resource region: planned as the provider's, read back, and a
** different one is refused at apply (one provider instance, one region). */
static void test_region_argument(void) {
  provider("{\"region\":\"us-east-1\",\"default_tags\":[{\"tags\":{\"env\":\"test\",\"team\":\"ml\"}}]}");
  const ResourceType *sns = rt("aws_sns_topic");
  Value *cfg = conf(sns, "{\"name\":\"t\",\"tags\":{\"team\":\"ds\"}}");
  PathSet rr = {0};
  Value *planned = plan(sns, NULL, cfg, &rr);
  CHECK_STR(sattr(planned, "region"), "us-east-1");
  /* tags_all is known at plan: default_tags with the resource's tags winning */
  Value *ta = val_attr(planned, "tags_all");
  Value *team = ta && val_is_known(ta) ? val_map_get(ta, "team") : NULL, *env = ta && val_is_known(ta) ? val_map_get(ta, "env") : NULL;
  CHECK(team && strcmp(val_str(team), "ds") == 0 && env && strcmp(val_str(env), "test") == 0);
  val_free(team);
  val_free(env);
  val_free(ta);
  val_free(planned);
  val_free(cfg);
  Value *st = up(sns, NULL, "{\"name\":\"t\",\"tags\":{\"team\":\"ds\"}}");
  CHECK_STR(sattr(st, "region"), "us-east-1");
  CHECK(noop(sns, st, "{\"name\":\"t\",\"tags\":{\"team\":\"ds\"}}"));
  cfg = conf(sns, "{\"name\":\"t\",\"region\":\"eu-west-1\"}");
  planned = plan(sns, st, cfg, &rr);
  CHECK(pathset_has(&rr, "region"));
  pathset_free(&rr);
  val_free(planned);
  val_free(cfg);
  Value *other = up(sns, NULL, "{\"name\":\"u\",\"region\":\"eu-west-1\"}");
  CHECK(other == NULL && has_diag("region", "provider's region"));
  val_free(st);
  done();
}

/* ignore_tags: tags set outside Terraform are neither read nor removed. */
static void test_ignore_tags(void) {
  provider("{\"region\":\"us-east-1\",\"ignore_tags\":[{\"keys\":[\"owner\"],\"key_prefixes\":[\"kubernetes.io/\"]}]}");
  const ResourceType *sns = rt("aws_sns_topic");
  const char *c = "{\"name\":\"t\",\"tags\":{\"a\":\"1\"}}";
  Value *st = up(sns, NULL, c);
  cJSON_Delete(api("sns", "TagResource", "{\"ResourceArn\":\"arn:aws:sns:us-east-1:123456789012:t\",\"Tags\":["
                                         "{\"Key\":\"owner\",\"Value\":\"ops\"},{\"Key\":\"kubernetes.io/x\",\"Value\":\"y\"}]}"));
  clear_diags();
  Value *now = sns->read(P, st, &D);
  CHECK(now && noop(sns, now, c));
  Value *again = up(sns, now, "{\"name\":\"t\",\"tags\":{\"a\":\"2\"}}");
  cJSON *tags = api("sns", "ListTagsForResource", "{\"ResourceArn\":\"arn:aws:sns:us-east-1:123456789012:t\"}");
  CHECK(cJSON_GetArraySize(js_get(tags, "Tags")) == 3);   /* a=2, and the ignored two untouched */
  cJSON_Delete(tags);
  val_free(again);
  val_free(now);
  val_free(st);
  done();
}

/* The article's deployment (example-repo/inference), resource by resource
** in dependency order, with policies as jsonencode writes them (keys
** sorted): everything is created, and planning again changes nothing. */
static void test_article_deployment(void) {
  provider(NULL);
  struct {
    const char *type, *json;
  } steps[] = {
      {"aws_iam_role", "{\"name\":\"dev-sagemaker-inference\",\"assume_role_policy\":\"{'Statement':[{'Action':"
                       "'sts:AssumeRole','Effect':'Allow','Principal':{'Service':'sagemaker.amazonaws.com'}}],"
                       "'Version':'2012-10-17'}\"}"},
      {"aws_iam_role_policy", "{\"name\":\"model-s3-ecr-access\",\"role\":\"dev-sagemaker-inference\",\"policy\":"
                              "\"{'Statement':[{'Action':['s3:GetObject'],'Effect':'Allow','Resource':"
                              "'arn:aws:s3:::models/*'},{'Action':['ecr:GetAuthorizationToken','ecr:BatchGetImage',"
                              "'ecr:GetDownloadUrlForLayer'],'Effect':'Allow','Resource':'*'},{'Action':["
                              "'logs:CreateLogGroup','logs:CreateLogStream','logs:PutLogEvents'],'Effect':'Allow',"
                              "'Resource':'*'}],'Version':'2012-10-17'}\"}"},
      {"aws_sagemaker_model", "{\"name\":\"dev-xgb\",\"execution_role_arn\":"
                              "\"arn:aws:iam::123456789012:role/dev-sagemaker-inference\",\"primary_container\":[{"
                              "\"image\":\"" IMAGE "\",\"model_data_url\":\"s3://models/xgb/model.tar.gz\","
                              "\"environment\":{\"SAGEMAKER_PROGRAM\":\"inference.py\"}}],"
                              "\"tags\":{\"Environment\":\"dev\",\"Model\":\"xgb\"}}"},
      {"aws_sagemaker_endpoint_configuration",
       "{\"name\":\"dev-xgb-config\",\"production_variants\":[{\"variant_name\":\"primary\",\"model_name\":"
       "\"dev-xgb\",\"initial_instance_count\":2,\"instance_type\":\"ml.m5.large\",\"initial_variant_weight\":1.0}],"
       "\"tags\":{\"Environment\":\"dev\",\"Model\":\"xgb\"}}"},
      {"aws_sns_topic", "{\"name\":\"alerts\"}"},
      {"aws_cloudwatch_metric_alarm",
       "{\"alarm_name\":\"dev-endpoint-5xx-errors\",\"comparison_operator\":\"GreaterThanThreshold\","
       "\"evaluation_periods\":2,\"metric_name\":\"Invocation5XXErrors\",\"namespace\":\"AWS/SageMaker\","
       "\"period\":60,\"statistic\":\"Sum\",\"threshold\":5,\"alarm_description\":\"Endpoint returning 5xx errors\","
       "\"alarm_actions\":[\"arn:aws:sns:us-east-1:123456789012:alerts\"],\"dimensions\":{\"EndpointName\":"
       "\"dev-xgb\",\"VariantName\":\"primary\"}}"},
      {"aws_sagemaker_endpoint",
       "{\"name\":\"dev-xgb\",\"endpoint_config_name\":\"dev-xgb-config\",\"deployment_config\":[{"
       "\"blue_green_update_policy\":[{\"traffic_routing_configuration\":[{\"type\":\"CANARY\",\"canary_size\":[{"
       "\"type\":\"INSTANCE_COUNT\",\"value\":1}],\"wait_interval_in_seconds\":300}],"
       "\"maximum_execution_timeout_in_seconds\":1800,\"termination_wait_in_seconds\":120}],"
       "\"auto_rollback_configuration\":[{\"alarms\":[{\"alarm_name\":\"dev-endpoint-5xx-errors\"}]}]}],"
       "\"tags\":{\"Environment\":\"dev\",\"Model\":\"xgb\"}}"},
      {"aws_appautoscaling_target",
       "{\"max_capacity\":4,\"min_capacity\":2,\"resource_id\":\"endpoint/dev-xgb/variant/primary\","
       "\"scalable_dimension\":\"sagemaker:variant:DesiredInstanceCount\",\"service_namespace\":\"sagemaker\"}"},
      {"aws_appautoscaling_policy",
       "{\"name\":\"dev-endpoint-scaling\",\"policy_type\":\"TargetTrackingScaling\",\"resource_id\":"
       "\"endpoint/dev-xgb/variant/primary\",\"scalable_dimension\":\"sagemaker:variant:DesiredInstanceCount\","
       "\"service_namespace\":\"sagemaker\",\"target_tracking_scaling_policy_configuration\":[{\"target_value\":100,"
       "\"predefined_metric_specification\":[{\"predefined_metric_type\":\"SageMakerVariantInvocationsPerInstance\"}],"
       "\"scale_in_cooldown\":300,\"scale_out_cooldown\":60}]}"},
  };
  Value *states[NELEM(steps)];
  for (size_t i = 0; i < NELEM(steps); i++) {
    char *c = cfgf("%s", steps[i].json);
    states[i] = up(rt(steps[i].type), NULL, c);
    if (!states[i] || D.nerrors) {
      printf("# %s:\n", steps[i].type);
      print_diags();
    }
    CHECK(states[i] != NULL && D.nerrors == 0);
    free(c);
  }
  for (size_t i = 0; i < NELEM(steps); i++) {
    char *c = cfgf("%s", steps[i].json);
    if (states[i] && !noop(rt(steps[i].type), states[i], c)) {
      printf("# %s is not a no-op\n", steps[i].type);
      t_cur_failed = 1;
    }
    free(c);
  }
  cJSON *d = api("sagemaker", "DescribeEndpoint", "{\"EndpointName\":\"dev-xgb\"}");
  CHECK(d && strcmp(js_str(d, "EndpointStatus"), "InService") == 0);
  cJSON_Delete(d);
  for (size_t i = 0; i < NELEM(steps); i++) val_free(states[i]);
  done();
}

static void test_data_sources(void) {
  provider(NULL);
  ProvDiags d = {0};
  const DataSourceType *ci = provider_data_source(&aws_provider, "aws_caller_identity");
  Value *empty = val_null(schema_type(ci->schema));
  Value *v = ci->read(P, empty, &d);
  CHECK_STR(sattr(v, "account_id"), "123456789012");
  CHECK_STR(sattr(v, "id"), "123456789012");
  val_free(v);
  val_free(empty);
  const DataSourceType *rg = provider_data_source(&aws_provider, "aws_region");
  empty = val_null(schema_type(rg->schema));
  v = rg->read(P, empty, &d);
  CHECK_STR(sattr(v, "region"), "us-east-1");
  CHECK_STR(sattr(v, "name"), "us-east-1");
  CHECK_STR(sattr(v, "description"), "US East (N. Virginia)");
  CHECK_STR(sattr(v, "endpoint"), "ec2.us-east-1.amazonaws.com");
  val_free(v);
  val_free(empty);
  const DataSourceType *pt = provider_data_source(&aws_provider, "aws_partition");
  empty = val_null(schema_type(pt->schema));
  v = pt->read(P, empty, &d);
  CHECK_STR(sattr(v, "partition"), "aws");
  CHECK_STR(sattr(v, "dns_suffix"), "amazonaws.com");
  CHECK_STR(sattr(v, "reverse_dns_prefix"), "com.amazonaws");
  val_free(v);
  val_free(empty);
  CHECK(d.nerrors == 0);
  prov_diags_free(&d);
  done();
}

static void test_configure(void) {
  ProvDiags d = {0};
  cJSON *j = cJSON_Parse("{\"region\":\"mars-north-1\"}");
  Value *cfg = aws_json_val(aws_provider.config_schema, j, &d);
  ProvCtx *p = aws_provider.configure(cfg, sim_open(NULL, NULL), &d);
  CHECK(p == NULL);
  CHECK(d.n == 1 && strcmp(d.v[0].detail, "Invalid AWS Region: mars-north-1") == 0);
  prov_diags_free(&d);
  val_free(cfg);
  cJSON_Delete(j);
  j = cJSON_Parse("{\"region\":\"mars-north-1\",\"skip_region_validation\":true,\"skip_credentials_validation\":true,"
                  "\"skip_requesting_account_id\":true,\"access_key\":\"AKIA\",\"secret_key\":\"s\"}");
  cfg = aws_json_val(aws_provider.config_schema, j, &d);
  p = aws_provider.configure(cfg, sim_open(NULL, NULL), &d);
  CHECK(p != NULL && d.nerrors == 0);
  CHECK_STR(aws_account_id(p), "");
  CHECK_STR(aws_region(p), "mars-north-1");
  aws_provider.close(p);
  val_free(cfg);
  cJSON_Delete(j);
  j = cJSON_Parse("{\"region\":\"us-east-1\",\"allowed_account_ids\":[\"1\"],\"forbidden_account_ids\":[\"2\"]}");
  cfg = aws_json_val(aws_provider.config_schema, j, &d);
  schema_validate(aws_provider.config_schema, cfg, &d);
  CHECK(d.nerrors >= 2);
  p = aws_provider.configure(cfg, sim_open(NULL, NULL), &d);
  CHECK(p == NULL);
  prov_diags_free(&d);
  val_free(cfg);
  cJSON_Delete(j);
}

int main(void) {
  RUN(test_role_lifecycle);
  RUN(test_role_generated_names);
  RUN(test_role_validation);
  RUN(test_role_policy);
  RUN(test_sagemaker_chain);
  RUN(test_config_generated_names);
  RUN(test_config_validation);
  RUN(test_endpoint_failed);
  RUN(test_endpoint_update_rolled_back);
  RUN(test_endpoint_validation);
  RUN(test_not_found_on_read);
  RUN(test_drift);
  RUN(test_autoscaling);
  RUN(test_autoscaling_burstable_rejected);
  RUN(test_alarm_and_topic);
  RUN(test_region_argument);
  RUN(test_ignore_tags);
  RUN(test_article_deployment);
  RUN(test_data_sources);
  RUN(test_configure);
  return T_END();
}
