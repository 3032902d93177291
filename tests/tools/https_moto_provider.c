/*
** tests/tools/https_moto_provider.c — the AWS provider's resources over the
** HTTPS transport, against moto (tests/suites/https_moto.sh starts it and
** sets AWS_ENDPOINT_URL and dummy credentials).
**
** For each resource type of the SageMaker deployment: plan and apply a
** create, plan again (a no-op when moto returns what it was given), read,
** delete, and read again (gone). This is the resource code's own use of the
** call interface, so a shape the transport gets wrong shows up here even
** when the raw calls in https_moto.c look right.
*/
#include "base/buf.h"
#include "base/util.h"
#include "providers/aws/aws.h"
#include "providers/aws/aws_int.h"
#include "providers/https/https.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ProvCtx *P;
static int failures;

static void result(const char *name, int ok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void result(const char *name, int ok, const char *fmt, ...) {
  if (ok) {
    printf("ok - https/moto-provider/%s\n", name);
    return;
  }
  failures++;
  printf("FAIL - https/moto-provider/%s: ", name);
  va_list ap;
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
}

static char *diags_text(const ProvDiags *d) {
  Buf b = BUF_INIT;
  for (size_t i = 0; i < d->n; i++)
    buf_printf(&b, "%s%s%s%s", i ? "; " : "", d->v[i].summary, d->v[i].detail ? ": " : "",
               d->v[i].detail ? d->v[i].detail : "");
  return buf_take(&b);
}

static Value *config_of(const ResourceType *r, const char *json) {
  cJSON *j = cJSON_Parse(json);
  if (!j) {
    fprintf(stderr, "bad test JSON: %s\n", json);
    exit(2);
  }
  ProvDiags d = {0};
  Value *v = aws_json_val(r->schema, j, &d);
  prov_diags_free(&d);
  cJSON_Delete(j);
  return v;
}

static Value *plan_of(const ResourceType *r, const Value *prior, const Value *cfg, PathSet *rr, ProvDiags *d) {
  Value *proposed = schema_proposed_new(r->schema, prior, cfg);
  Value *planned = r->plan(P, prior, cfg, proposed, rr, d);
  val_free(proposed);
  return planned;
}

/* Creates the resource, checks the no-op plan and the read; returns its
** state (NULL when the create failed). quirk, when set, says what moto
** answers that AWS does not, which makes the second plan differ: then that
** one check is reported as skipped, with the reason. gap, when set, names
** an operation moto does not implement: a create that fails on it is
** reported as skipped. */
static Value *create(const char *name, const char *type, const char *json, const char *quirk, const char *gap) {
  const ResourceType *r = provider_resource(&aws_provider, type);
  Value *cfg = config_of(r, json);
  ProvDiags d = {0};
  PathSet rr = {0};
  r->validate(cfg, &d);
  Value *planned = d.nerrors ? NULL : plan_of(r, NULL, cfg, &rr, &d);
  Value *st = planned && !d.nerrors ? r->apply(P, NULL, planned, &d) : NULL;
  char *why = diags_text(&d);
  char *label = xasprintf("%s-create", name);
  if (!st && gap && strstr(why, gap))
    printf("ok - https/moto-provider/%s # SKIP moto does not implement %s\n", label, gap);
  else
    result(label, st && !d.nerrors, "%s", why);
  free(label);
  free(why);
  val_free(planned);
  pathset_free(&rr);
  prov_diags_free(&d);
  if (st) {
    PathSet rr2 = {0};
    Value *again = plan_of(r, st, cfg, &rr2, &d);
    int same = again && val_raw_equal(again, st) && rr2.n == 0;
    char *a = val_format(st), *b = again ? val_format(again) : xstrdup("(none)");
    label = xasprintf("%s-plan-again-no-changes", name);
    if (!same && quirk)
      printf("ok - https/moto-provider/%s # SKIP %s\n", label, quirk);
    else
      result(label, same, "state %s, planned %s", a, b);
    free(label);
    free(a);
    free(b);
    val_free(again);
    pathset_free(&rr2);
    prov_diags_free(&d);
    Value *now = r->read(P, st, &d);
    label = xasprintf("%s-read", name);
    result(label, now && !d.nerrors, "read found nothing");
    free(label);
    val_free(now);
    prov_diags_free(&d);
  }
  val_free(cfg);
  return st;
}

static void destroy(const char *name, const char *type, Value *st) {
  if (!st) return;
  const ResourceType *r = provider_resource(&aws_provider, type);
  ProvDiags d = {0};
  Value *gone = r->apply(P, st, NULL, &d);
  char *why = diags_text(&d);
  char *label = xasprintf("%s-delete", name);
  result(label, !gone && !d.nerrors, "%s", why);
  free(label);
  free(why);
  val_free(gone);
  prov_diags_free(&d);
  Value *now = r->read(P, st, &d);
  label = xasprintf("%s-gone", name);
  result(label, now == NULL, "read still finds it");
  free(label);
  val_free(now);
  prov_diags_free(&d);
  val_free(st);
}

#define Q "\\\""
#define TRUST "{" Q "Version" Q ":" Q "2012-10-17" Q "," Q "Statement" Q ":[{" Q "Effect" Q ":" Q "Allow" Q "," Q \
  "Principal" Q ":{" Q "Service" Q ":" Q "sagemaker.amazonaws.com" Q "}," Q "Action" Q ":" Q "sts:AssumeRole" Q "}]}"
#define S3READ "{" Q "Version" Q ":" Q "2012-10-17" Q "," Q "Statement" Q ":[{" Q "Effect" Q ":" Q "Allow" Q "," Q \
  "Action" Q ":[" Q "s3:GetObject" Q "]," Q "Resource" Q ":" Q "arn:aws:s3:::models/*" Q "}]}"

int main(void) {
  DiagList dl = {0};
  AwsTransport *t = https_open_provider_block(NULL, &dl);
  if (!t) {
    for (size_t i = 0; i < dl.n; i++) diag_render_text(stdout, &dl.v[i], false, 0);
    printf("FAIL - https/moto-provider/open: https_open_provider_block failed\n");
    diag_free(&dl);
    return 1;
  }
  diag_free(&dl);
  /* no default_tags: moto has no Application Auto Scaling TagResource */
  cJSON *pj = cJSON_Parse("{\"region\":\"us-east-1\"}");
  ProvDiags d = {0};
  Value *pcfg = aws_json_val(aws_provider.config_schema, pj, &d);
  P = aws_provider.configure(pcfg, t, &d);
  char *why = diags_text(&d);
  result("configure", P != NULL && !d.nerrors, "%s", why);
  free(why);
  prov_diags_free(&d);
  val_free(pcfg);
  cJSON_Delete(pj);
  if (!P) return 1;
  const char *acct = aws_account_id(P);

  Value *role = create("iam-role", "aws_iam_role",
                       "{\"name\":\"exec\",\"assume_role_policy\":\"" TRUST "\",\"description\":\"SageMaker\","
                       "\"tags\":{\"team\":\"ml\"}}",
                       NULL, NULL);
  Value *rpol = create("iam-role-policy", "aws_iam_role_policy",
                       "{\"name\":\"s3\",\"role\":\"exec\",\"policy\":\"" S3READ "\"}", NULL, NULL);
  Value *topic = create("sns-topic", "aws_sns_topic", "{\"name\":\"alerts\",\"tags\":{\"team\":\"ml\"}}", NULL, NULL);
  char *mc = xasprintf("{\"name\":\"m1\",\"execution_role_arn\":\"arn:aws:iam::%s:role/exec\","
                       "\"primary_container\":[{\"image\":\"%s.dkr.ecr.us-east-1.amazonaws.com/xgb:1\","
                       "\"model_data_url\":\"s3://models/xgb/model.tar.gz\",\"environment\":{\"A\":\"1\"}}]}",
                       acct, acct);
  Value *model = create("sagemaker-model", "aws_sagemaker_model", mc,
                         "moto's DescribeModel has an empty VpcConfig that AWS leaves out", NULL);
  free(mc);
  Value *conf = create("sagemaker-endpoint-configuration", "aws_sagemaker_endpoint_configuration",
                       "{\"name\":\"c1\",\"production_variants\":[{\"variant_name\":\"AllTraffic\","
                       "\"model_name\":\"m1\",\"instance_type\":\"ml.m5.large\",\"initial_instance_count\":1}]}",
                       "moto's DescribeEndpointConfig has an empty DataCaptureConfig that AWS leaves out", NULL);
  Value *ep = create("sagemaker-endpoint", "aws_sagemaker_endpoint",
                     "{\"name\":\"e1\",\"endpoint_config_name\":\"c1\"}", NULL, NULL);
  Value *target = create("appautoscaling-target", "aws_appautoscaling_target",
                         "{\"service_namespace\":\"sagemaker\",\"resource_id\":\"endpoint/e1/variant/AllTraffic\","
                         "\"scalable_dimension\":\"sagemaker:variant:DesiredInstanceCount\",\"min_capacity\":1,"
                         "\"max_capacity\":4}",
                         NULL, "Application Auto Scaling: ListTagsForResource");
  Value *policy = create("appautoscaling-policy", "aws_appautoscaling_policy",
                         "{\"name\":\"ipi\",\"policy_type\":\"TargetTrackingScaling\",\"service_namespace\":"
                         "\"sagemaker\",\"resource_id\":\"endpoint/e1/variant/AllTraffic\",\"scalable_dimension\":"
                         "\"sagemaker:variant:DesiredInstanceCount\",\"target_tracking_scaling_policy_configuration\":"
                         "[{\"target_value\":70,\"predefined_metric_specification\":[{\"predefined_metric_type\":"
                         "\"SageMakerVariantInvocationsPerInstance\"}]}]}",
                         NULL, NULL);
  char *ac = xasprintf("{\"alarm_name\":\"errors\",\"namespace\":\"AWS/SageMaker\",\"metric_name\":"
                       "\"Invocation5XXErrors\",\"statistic\":\"Average\",\"period\":60,\"evaluation_periods\":2,"
                       "\"threshold\":0.05,\"comparison_operator\":\"GreaterThanThreshold\",\"dimensions\":"
                       "{\"EndpointName\":\"e1\",\"VariantName\":\"AllTraffic\"},\"alarm_actions\":"
                       "[\"arn:aws:sns:us-east-1:%s:alerts\"]}",
                       acct);
  Value *alarm = create("cloudwatch-metric-alarm", "aws_cloudwatch_metric_alarm", ac, NULL, NULL);
  free(ac);

  destroy("cloudwatch-metric-alarm", "aws_cloudwatch_metric_alarm", alarm);
  destroy("appautoscaling-policy", "aws_appautoscaling_policy", policy);
  if (target) {
    destroy("appautoscaling-target", "aws_appautoscaling_target", target);
  } else {
    /* the target exists in moto even though the create stopped at the tags */
    cJSON *req = cJSON_Parse("{\"ServiceNamespace\":\"sagemaker\",\"ResourceId\":\"endpoint/e1/variant/AllTraffic\","
                             "\"ScalableDimension\":\"sagemaker:variant:DesiredInstanceCount\"}");
    AwsError e = {0};
    int rc = aws_call(P, "application-autoscaling", "DeregisterScalableTarget", req, NULL, &e);
    result("appautoscaling-target-deregister", rc == 0, "%s: %s", e.code, e.message);
    aws_error_clear(&e);
    cJSON_Delete(req);
  }
  destroy("sagemaker-endpoint", "aws_sagemaker_endpoint", ep);
  destroy("sagemaker-endpoint-configuration", "aws_sagemaker_endpoint_configuration", conf);
  destroy("sagemaker-model", "aws_sagemaker_model", model);
  destroy("sns-topic", "aws_sns_topic", topic);
  destroy("iam-role-policy", "aws_iam_role_policy", rpol);
  destroy("iam-role", "aws_iam_role", role);
  aws_provider.close(P);
  return failures ? 1 : 0;
}
