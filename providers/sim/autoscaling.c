/*
** providers/sim/autoscaling.c — Application Auto Scaling for SageMaker
** variants: scalable targets, target-tracking and step policies, the
** AlarmHigh/AlarmLow alarms target tracking owns, cooldowns, and the
** scaling activities it records.
**
** A scaling decision becomes an UpdateEndpointWeightsAndCapacities-style
** change on the endpoint (deploy.c), which puts the endpoint in Updating; the
** activity completes when the instances are there.
*/
#include "providers/sim/sim_int.h"

#include "base/util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define V "ValidationException"

static const char *const NAMESPACES[] = {"ecs", "elasticmapreduce", "ec2", "appstream", "dynamodb", "rds", "sagemaker",
                                         "custom-resource", "comprehend", "lambda", "cassandra", "kafka", "elasticache",
                                         "neptune", "workspaces", NULL};
static const char *const SM_DIMS[] = {"sagemaker:variant:DesiredInstanceCount", "sagemaker:variant:DesiredProvisionedConcurrency",
                                      "sagemaker:inference-component:DesiredCopyCount", NULL};

static char *target_key(const char *ns, const char *rid, const char *dim) { return xasprintf("%s|%s|%s", ns, rid, dim); }

/* Parses "endpoint/<ep>/variant/<v>"; returns malloc'd names or false. */
static bool parse_rid(const char *rid, char **ep, char **variant) {
  if (strncmp(rid, "endpoint/", 9) != 0) return false;
  const char *a = rid + 9, *b = strstr(a, "/variant/");
  if (!b || b == a || !b[9] || strchr(b + 9, '/')) return false;
  *ep = xstrndup(a, (size_t)(b - a));
  *variant = xstrdup(b + 9);
  return true;
}

cJSON *sim_as_target(SimWorld *w, const char *endpoint, const char *variant) {
  char *rid = xasprintf("endpoint/%s/variant/%s", endpoint, variant);
  char *k = target_key("sagemaker", rid, "sagemaker:variant:DesiredInstanceCount");
  cJSON *t = sim_get(sim_coll(w, "autoscaling", "targets"), k);
  free(k);
  free(rid);
  return t;
}

/* Reads the (namespace, resource id, dimension) triple with AWS's checks. */
static int triple(const cJSON *req, const char **ns, const char **rid, const char **dim, AwsError *err) {
  *ns = sim_req_str(req, "ServiceNamespace", "serviceNamespace", V, err);
  if (!*ns || sim_check_enum(*ns, "serviceNamespace", NAMESPACES, V, err)) return -1;
  *rid = sim_req_str(req, "ResourceId", "resourceId", V, err);
  if (!*rid || sim_check_str(*rid, "resourceId", 1, 1600, NULL, V, err)) return -1;
  *dim = sim_req_str(req, "ScalableDimension", "scalableDimension", V, err);
  if (!*dim) return -1;
  if (strcmp(*ns, "sagemaker") == 0 && sim_check_enum(*dim, "scalableDimension", SM_DIMS, V, err)) return -1;
  return 0;
}

static int no_target(AwsError *err, const char *ns, const char *rid, const char *dim) {
  return sim_err(err, 400, "ObjectNotFoundException",
                 "No scalable target registered for service namespace: %s, resource ID: %s, scalable dimension: %s",
                 ns, rid, dim);
}

static void delete_policy(SimWorld *w, cJSON *pol) {
  const cJSON *a;
  cJSON_ArrayForEach(a, sim_get(pol, "Alarms")) sim_cw_delete_alarm(w, sim_str(a, "AlarmName"));
  sim_del(sim_coll(w, "autoscaling", "policies"), pol->string);
}

static void delete_target(SimWorld *w, cJSON *t) {
  cJSON *pols = sim_coll(w, "autoscaling", "policies"), *p = pols->child;
  while (p) {
    cJSON *next = p->next;
    if (strcmp(sim_str(p, "ServiceNamespace"), sim_str(t, "ServiceNamespace")) == 0 &&
        strcmp(sim_str(p, "ResourceId"), sim_str(t, "ResourceId")) == 0 &&
        strcmp(sim_str(p, "ScalableDimension"), sim_str(t, "ScalableDimension")) == 0)
      delete_policy(w, p);
    p = next;
  }
  sim_del(sim_coll(w, "autoscaling", "targets"), t->string);
}

void sim_as_deregister_endpoint(SimWorld *w, const char *endpoint) {
  cJSON *ts = sim_coll(w, "autoscaling", "targets"), *t = ts->child;
  while (t) {
    cJSON *next = t->next;
    char *ep = NULL, *v = NULL;
    if (parse_rid(sim_str(t, "ResourceId"), &ep, &v) && strcmp(ep, endpoint) == 0) delete_target(w, t);
    free(ep);
    free(v);
    t = next;
  }
}

/* ---------------------------------------------------------------- activities */

static cJSON *new_activity(SimWorld *w, const cJSON *t, int desired, const char *cause) {
  cJSON *a = cJSON_CreateObject();
  char id[37], ts[24];
  sim_uuid(w, id);
  sim_set_str(a, "ActivityId", id);
  sim_set_str(a, "ServiceNamespace", sim_str(t, "ServiceNamespace"));
  sim_set_str(a, "ResourceId", sim_str(t, "ResourceId"));
  sim_set_str(a, "ScalableDimension", sim_str(t, "ScalableDimension"));
  char *d = xasprintf("Setting desired instance count to %d.", desired);
  sim_set_str(a, "Description", d);
  free(d);
  sim_set_str(a, "Cause", cause);
  sim_set_str(a, "StartTime", sim_now_iso(w, ts));
  sim_set_str(a, "StatusCode", "InProgress");
  sim_set_num(a, "SimDesired", desired);
  sim_log(sim_arr(sim_obj(w->doc, "autoscaling"), "activities"), a, (int)sim_knob("history_keep"));
  return a;
}

static cJSON *activity(SimWorld *w, const char *id) {
  cJSON *a;
  cJSON_ArrayForEach(a, sim_arr(sim_obj(w->doc, "autoscaling"), "activities")) if (strcmp(sim_str(a, "ActivityId"), id) == 0) return a;
  return NULL;
}

void sim_as_activity_done(SimWorld *w, const char *id, bool ok, const char *msg) {
  cJSON *a = activity(w, id);
  if (!a) return;
  char ts[24];
  int d = (int)sim_num(a, "SimDesired", 0);
  sim_set_str(a, "EndTime", sim_now_iso(w, ts));
  sim_set_str(a, "StatusCode", ok ? "Successful" : "Failed");
  char *m = ok ? xasprintf("Successfully set desired instance count to %d. Change successfully fulfilled by sagemaker.", d)
               : xasprintf("Failed to set desired instance count to %d. Reason: %s", d, msg ? msg : "unknown");
  sim_set_str(a, "StatusMessage", m);
  free(m);
}

/* Asks SageMaker for a new count for the target's variant, recording it. */
static void scale_to(SimWorld *w, cJSON *t, int desired, const char *cause) {
  char *ep = NULL, *v = NULL;
  if (!parse_rid(sim_str(t, "ResourceId"), &ep, &v)) return;
  cJSON *e = sim_sm_endpoint(w, ep);
  cJSON *a = new_activity(w, t, desired, cause);
  char *id = xstrdup(sim_str(a, "ActivityId"));
  AwsError err = {0};
  if (!e) sim_as_activity_done(w, id, false, "The endpoint does not exist.");
  else if (sim_deploy_scale(w, e, v, desired, id, &err) != 0) sim_as_activity_done(w, id, false, err.message);
  aws_error_clear(&err);
  free(id);
  free(ep);
  free(v);
}

/* ---------------------------------------------------------------- targets */

static int op_register(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  const char *ns, *rid, *dim;
  if (triple(req, &ns, &rid, &dim, err)) return -1;
  char *k = target_key(ns, rid, dim);
  cJSON *t = sim_get(sim_coll(w, "autoscaling", "targets"), k);
  cJSON *minc = sim_get(req, "MinCapacity"), *maxc = sim_get(req, "MaxCapacity");
  if (!t && (!cJSON_IsNumber(minc) || !cJSON_IsNumber(maxc))) {
    free(k);
    return sim_err(err, 400, V, "MinCapacity and MaxCapacity are required when registering a new scalable target.");
  }
  double mn = cJSON_IsNumber(minc) ? minc->valuedouble : sim_num(t, "MinCapacity", 0);
  double mx = cJSON_IsNumber(maxc) ? maxc->valuedouble : sim_num(t, "MaxCapacity", 0);
  cJSON *variant = NULL;
  if (strcmp(ns, "sagemaker") == 0 && strcmp(dim, "sagemaker:variant:DesiredInstanceCount") == 0) {
    char *epn = NULL, *vn = NULL;
    if (!parse_rid(rid, &epn, &vn)) {
      free(k);
      return sim_err(err, 400, V, "Unsupported resource ID: %s. The resource ID of a SageMaker variant has the form "
                                  "endpoint/<endpoint-name>/variant/<variant-name>.", rid);
    }
    cJSON *ep = sim_sm_endpoint(w, epn), *x;
    cJSON_ArrayForEach(x, sim_get(ep, "Variants")) if (strcmp(sim_str(x, "VariantName"), vn) == 0) variant = x;
    int rc = 0;
    if (!ep)
      rc = sim_err(err, 400, V, "The endpoint %s does not exist.", epn);
    else if (!variant)
      rc = sim_err(err, 400, V, "The variant %s does not exist in endpoint %s.", vn, epn);
    else {
      const char *it = sim_str(variant, "InstanceType");
      /* [DOC] burstable instances cannot be autoscaled; wording [INF] */
      if (it && (strncmp(it, "ml.t2.", 6) == 0 || strncmp(it, "ml.t3.", 6) == 0))
        rc = sim_err(err, 400, V, "The instance type %s of variant %s of endpoint %s is a burstable performance "
                                  "instance type, which is not supported by Application Auto Scaling.", it, vn, epn);
      else if (mn < 1)
        rc = sim_err(err, 400, V, "MinCapacity must be at least 1 for the SageMaker variant %s.", vn);
    }
    free(epn);
    free(vn);
    if (rc) {
      free(k);
      return rc;
    }
  }
  if (sim_check_range(mn, "minCapacity", 0, 2147483647, V, err) || sim_check_range(mx, "maxCapacity", 0, 2147483647, V, err)) {
    free(k);
    return -1;
  }
  if (mn > mx) {
    free(k);
    return sim_err(err, 400, V, "Minimum capacity cannot be greater than maximum capacity");
  }
  if (!t) {
    t = cJSON_CreateObject();
    sim_set_str(t, "ServiceNamespace", ns);
    sim_set_str(t, "ResourceId", rid);
    sim_set_str(t, "ScalableDimension", dim);
    char ts[24], id[40];
    sim_set_str(t, "CreationTime", sim_now_iso(w, ts));
    snprintf(id, sizeof id, "%016llx%016llx", (unsigned long long)sim_rand(w), (unsigned long long)sim_rand(w));
    char *arn = xasprintf("arn:aws:application-autoscaling:%s:%s:scalable-target/%.4s%s", sim_region(w),
                          sim_account(w), "0569", id);
    sim_set_str(t, "ScalableTargetARN", arn);
    free(arn);
    char *role = xasprintf("arn:aws:iam::%s:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/"
                           "AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint", sim_account(w));
    sim_set_str(t, "RoleARN", role);
    free(role);
    cJSON *ss0 = sim_obj(t, "SuspendedState"); /* AWS always reports all three */
    sim_set_bool(ss0, "DynamicScalingInSuspended", false);
    sim_set_bool(ss0, "DynamicScalingOutSuspended", false);
    sim_set_bool(ss0, "ScheduledScalingSuspended", false);
    if (sim_tags_merge(t, sim_get(req, "Tags"), V, err)) {
      cJSON_Delete(t);
      free(k);
      return -1;
    }
    sim_set(sim_coll(w, "autoscaling", "targets"), k, t);
  }
  free(k);
  sim_set_num(t, "MinCapacity", mn);
  sim_set_num(t, "MaxCapacity", mx);
  if (sim_str(req, "RoleARN")) sim_set_str(t, "RoleARN", sim_str(req, "RoleARN"));
  const cJSON *ss = sim_get(req, "SuspendedState");
  if (ss) {
    cJSON *cur = sim_obj(t, "SuspendedState");
    static const char *const f[] = {"DynamicScalingInSuspended", "DynamicScalingOutSuspended", "ScheduledScalingSuspended"};
    for (int i = 0; i < 3; i++)
      if (sim_get(ss, f[i])) sim_set_bool(cur, f[i], sim_bool(ss, f[i], false));
  }
  /* [API] a count outside [min, max] is moved into range at once */
  if (variant) {
    int cur = (int)sim_num(variant, "DesiredInstanceCount", 0);
    char cause[64];
    if (cur < mn) {
      snprintf(cause, sizeof cause, "minimum capacity was set to %.0f", mn);
      scale_to(w, t, (int)mn, cause);
    } else if (cur > mx) {
      snprintf(cause, sizeof cause, "maximum capacity was set to %.0f", mx);
      scale_to(w, t, (int)mx, cause);
    }
  }
  *resp = cJSON_CreateObject();
  sim_set_str(*resp, "ScalableTargetARN", sim_str(t, "ScalableTargetARN"));
  return 0;
}

static bool filt(const cJSON *req, const char *key, const char *v) {
  const cJSON *f = sim_get(req, key), *x;
  if (!f) return true;
  if (cJSON_IsString(f)) return strcmp(f->valuestring, v) == 0;
  cJSON_ArrayForEach(x, f) if (cJSON_IsString(x) && strcmp(x->valuestring, v) == 0) return true;
  return false;
}

static cJSON *public_copy(const cJSON *o) {
  cJSON *c = cJSON_CreateObject();
  const cJSON *x;
  cJSON_ArrayForEach(x, o) if (strncmp(x->string, "Sim", 3) != 0 && strcmp(x->string, "Tags") != 0) sim_set(c, x->string, sim_dup(x));
  return c;
}

static int op_describe_targets(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  const char *ns = sim_req_str(req, "ServiceNamespace", "serviceNamespace", V, err);
  if (!ns || sim_check_enum(ns, "serviceNamespace", NAMESPACES, V, err)) return -1;
  *resp = cJSON_CreateObject();
  cJSON *out = sim_arr(*resp, "ScalableTargets"), *t;
  cJSON_ArrayForEach(t, sim_coll(w, "autoscaling", "targets")) {
    if (strcmp(sim_str(t, "ServiceNamespace"), ns) != 0 || !filt(req, "ResourceIds", sim_str(t, "ResourceId")) ||
        !filt(req, "ScalableDimension", sim_str(t, "ScalableDimension")))
      continue;
    cJSON_AddItemToArray(out, public_copy(t));
  }
  return 0;
}

static int op_deregister(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  const char *ns, *rid, *dim;
  if (triple(req, &ns, &rid, &dim, err)) return -1;
  char *k = target_key(ns, rid, dim);
  cJSON *t = sim_get(sim_coll(w, "autoscaling", "targets"), k);
  free(k);
  if (!t) return no_target(err, ns, rid, dim);
  delete_target(w, t);
  (void)resp;
  return 0;
}

/* ---------------------------------------------------------------- policies */

static cJSON *managed_alarm(SimWorld *w, const cJSON *pol, const char *name, bool high, double target,
                            const cJSON *spec) {
  cJSON *al = sim_cw_alarm(w, name);
  char *desc = xasprintf("DO NOT EDIT OR DELETE. For TargetTrackingScaling policy %s.", sim_str(pol, "PolicyARN"));
  sim_set_str(al, "AlarmDescription", desc);
  free(desc);
  sim_set_bool(al, "ActionsEnabled", true);
  cJSON *acts = cJSON_CreateArray();
  cJSON_AddItemToArray(acts, cJSON_CreateString(sim_str(pol, "PolicyARN")));
  sim_set(al, "AlarmActions", acts);
  sim_set(al, "OKActions", cJSON_CreateArray());
  sim_set(al, "InsufficientDataActions", cJSON_CreateArray());
  const cJSON *cm = sim_get(spec, "CustomizedMetricSpecification");
  char *ep = NULL, *v = NULL;
  parse_rid(sim_str(pol, "ResourceId"), &ep, &v);
  if (cm) {
    sim_set_str(al, "MetricName", sim_str(cm, "MetricName"));
    sim_set_str(al, "Namespace", sim_str(cm, "Namespace"));
    sim_set_str(al, "Statistic", sim_str(cm, "Statistic") ? sim_str(cm, "Statistic") : "Average");
    sim_set(al, "Dimensions", sim_get(cm, "Dimensions") ? sim_dup(sim_get(cm, "Dimensions")) : cJSON_CreateArray());
  } else {
    const char *mt = sim_str(sim_get(spec, "PredefinedMetricSpecification"), "PredefinedMetricType");
    bool pc = mt && strcmp(mt, "SageMakerVariantProvisionedConcurrencyUtilization") == 0;
    sim_set_str(al, "MetricName", pc ? "ServerlessProvisionedConcurrencyUtilization" : "InvocationsPerInstance");
    sim_set_str(al, "Namespace", "AWS/SageMaker");
    sim_set_str(al, "Statistic", pc ? "Average" : "Sum");
    sim_set(al, "Dimensions", sim_cw_dims("EndpointName", ep ? ep : "", "VariantName", v ? v : "", NULL));
  }
  free(ep);
  free(v);
  int n = (int)sim_knob(high ? "tt_high_datapoints" : "tt_low_datapoints");
  sim_set_num(al, "Period", 60);
  sim_set_num(al, "EvaluationPeriods", n);
  sim_set_num(al, "DatapointsToAlarm", n);
  sim_set_num(al, "Threshold", high ? target : target * sim_knob("tt_low_ratio"));
  sim_set_str(al, "ComparisonOperator", high ? "GreaterThanThreshold" : "LessThanThreshold");
  sim_set_str(al, "TreatMissingData", "missing");
  sim_set_bool(al, "SimManaged", true);
  sim_set_bool(al, "SimHigh", high);
  cJSON *ref = cJSON_CreateObject();
  sim_set_str(ref, "AlarmName", name);
  sim_set_str(ref, "AlarmARN", sim_str(al, "AlarmArn"));
  return ref;
}

static int op_put_policy(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  const char *name = sim_req_str(req, "PolicyName", "policyName", V, err);
  if (!name || sim_check_str(name, "policyName", 1, 256, "\\p{Any}+", V, err)) return -1;
  const char *ns, *rid, *dim;
  if (triple(req, &ns, &rid, &dim, err)) return -1;
  const char *type = sim_str(req, "PolicyType");
  if (!type) type = "StepScaling";
  static const char *const types[] = {"StepScaling", "TargetTrackingScaling", "PredictiveScaling", NULL};
  if (sim_check_enum(type, "policyType", types, V, err)) return -1;
  char *tk = target_key(ns, rid, dim);
  cJSON *t = sim_get(sim_coll(w, "autoscaling", "targets"), tk);
  free(tk);
  if (!t) return no_target(err, ns, rid, dim);
  const cJSON *tt = sim_get(req, "TargetTrackingScalingPolicyConfiguration");
  const cJSON *st = sim_get(req, "StepScalingPolicyConfiguration");
  bool tracking = strcmp(type, "TargetTrackingScaling") == 0;
  if (tracking) {
    if (!tt) return sim_err(err, 400, V, "TargetTrackingScalingPolicyConfiguration is required for a policy of type TargetTrackingScaling.");
    if (!cJSON_IsNumber(sim_get(tt, "TargetValue")))
      return sim_err(err, 400, V, "1 validation error detected: Value null at 'targetTrackingScalingPolicyConfiguration."
                                  "targetValue' failed to satisfy constraint: Member must not be null");
    const cJSON *pm = sim_get(tt, "PredefinedMetricSpecification"), *cm = sim_get(tt, "CustomizedMetricSpecification");
    if (!!pm == !!cm)
      return sim_err(err, 400, V, "Exactly one of PredefinedMetricSpecification and CustomizedMetricSpecification "
                                  "must be specified.");
    const char *mt = sim_str(pm, "PredefinedMetricType");
    static const char *const sm_metrics[] = {"SageMakerVariantInvocationsPerInstance",
                                             "SageMakerVariantProvisionedConcurrencyUtilization",
                                             "SageMakerVariantConcurrentRequestsPerModelHighResolution", NULL};
    if (pm && strcmp(ns, "sagemaker") == 0 &&
        (!mt || sim_check_enum(mt, "targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.predefinedMetricType",
                               sm_metrics, V, err)))
      return mt ? -1 : sim_err(err, 400, V, "PredefinedMetricType must be specified.");
  } else if (strcmp(type, "StepScaling") == 0 && !st) {
    return sim_err(err, 400, V, "StepScalingPolicyConfiguration is required for a policy of type StepScaling.");
  }
  char *pk = xasprintf("%s|%s|%s|%s", ns, rid, dim, name);
  cJSON *pols = sim_coll(w, "autoscaling", "policies"), *pol = sim_get(pols, pk);
  if (!pol) {
    pol = cJSON_CreateObject();
    char id[37], ts[24];
    sim_uuid(w, id);
    char *arn = xasprintf("arn:aws:autoscaling:%s:%s:scalingPolicy:%s:resource/%s/%s:policyName/%s", sim_region(w),
                          sim_account(w), id, ns, rid, name);
    sim_set_str(pol, "PolicyARN", arn);
    free(arn);
    sim_set_str(pol, "PolicyName", name);
    sim_set_str(pol, "ServiceNamespace", ns);
    sim_set_str(pol, "ResourceId", rid);
    sim_set_str(pol, "ScalableDimension", dim);
    sim_set_str(pol, "CreationTime", sim_now_iso(w, ts));
    sim_set(pols, pk, pol);
  }
  free(pk);
  sim_set_str(pol, "PolicyType", type);
  sim_del(pol, "TargetTrackingScalingPolicyConfiguration");
  sim_del(pol, "StepScalingPolicyConfiguration");
  if (tt) sim_set(pol, "TargetTrackingScalingPolicyConfiguration", sim_dup(tt));
  if (st) sim_set(pol, "StepScalingPolicyConfiguration", sim_dup(st));
  /* the managed alarms keep their names across updates */
  const char *old_high = NULL, *old_low = NULL;
  const cJSON *a;
  cJSON_ArrayForEach(a, sim_get(pol, "Alarms")) {
    const char *an = sim_str(a, "AlarmName");
    if (strstr(an, "-AlarmHigh-")) old_high = an;
    else if (strstr(an, "-AlarmLow-")) old_low = an;
  }
  cJSON *refs = cJSON_CreateArray();
  char *hi = NULL, *lo = NULL;
  if (tracking) {
    char u1[37], u2[37];
    if (!old_high) sim_uuid(w, u1);
    if (!old_low) sim_uuid(w, u2);
    hi = old_high ? xstrdup(old_high) : xasprintf("TargetTracking-%s-AlarmHigh-%s", rid, u1);
    lo = old_low ? xstrdup(old_low) : xasprintf("TargetTracking-%s-AlarmLow-%s", rid, u2);
    double target = sim_num(tt, "TargetValue", 0);
    cJSON_AddItemToArray(refs, managed_alarm(w, pol, hi, true, target, tt));
    if (!sim_bool(tt, "DisableScaleIn", false)) cJSON_AddItemToArray(refs, managed_alarm(w, pol, lo, false, target, tt));
  }
  /* alarms no longer part of the policy go away */
  cJSON_ArrayForEach(a, sim_get(pol, "Alarms")) {
    const char *an = sim_str(a, "AlarmName");
    bool kept = false;
    const cJSON *r;
    cJSON_ArrayForEach(r, refs) kept |= strcmp(sim_str(r, "AlarmName"), an) == 0;
    if (!kept) sim_cw_delete_alarm(w, an);
  }
  free(hi);
  free(lo);
  sim_set(pol, "Alarms", refs);
  *resp = cJSON_CreateObject();
  sim_set_str(*resp, "PolicyARN", sim_str(pol, "PolicyARN"));
  sim_set(*resp, "Alarms", sim_dup(refs));
  return 0;
}

static int op_describe_policies(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  const char *ns = sim_req_str(req, "ServiceNamespace", "serviceNamespace", V, err);
  if (!ns || sim_check_enum(ns, "serviceNamespace", NAMESPACES, V, err)) return -1;
  *resp = cJSON_CreateObject();
  cJSON *out = sim_arr(*resp, "ScalingPolicies"), *p;
  cJSON_ArrayForEach(p, sim_coll(w, "autoscaling", "policies")) {
    if (strcmp(sim_str(p, "ServiceNamespace"), ns) != 0 || !filt(req, "PolicyNames", sim_str(p, "PolicyName")) ||
        !filt(req, "ResourceId", sim_str(p, "ResourceId")) || !filt(req, "ScalableDimension", sim_str(p, "ScalableDimension")))
      continue;
    cJSON_AddItemToArray(out, public_copy(p));
  }
  return 0;
}

static int op_delete_policy(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  const char *name = sim_req_str(req, "PolicyName", "policyName", V, err);
  const char *ns, *rid, *dim;
  if (!name || triple(req, &ns, &rid, &dim, err)) return -1;
  char *pk = xasprintf("%s|%s|%s|%s", ns, rid, dim, name);
  cJSON *pol = sim_get(sim_coll(w, "autoscaling", "policies"), pk);
  free(pk);
  if (!pol)
    return sim_err(err, 400, "ObjectNotFoundException",
                   "No scaling policy found for service namespace: %s, resource ID: %s, scalable dimension: %s, "
                   "policy name: %s", ns, rid, dim, name);
  delete_policy(w, pol);
  (void)resp;
  return 0;
}

static int op_describe_activities(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  const char *ns = sim_req_str(req, "ServiceNamespace", "serviceNamespace", V, err);
  if (!ns || sim_check_enum(ns, "serviceNamespace", NAMESPACES, V, err)) return -1;
  *resp = cJSON_CreateObject();
  cJSON *out = sim_arr(*resp, "ScalingActivities");
  cJSON *acts = sim_arr(sim_obj(w->doc, "autoscaling"), "activities");
  for (int i = cJSON_GetArraySize(acts) - 1; i >= 0; i--) { /* newest first */
    cJSON *a = cJSON_GetArrayItem(acts, i);
    if (strcmp(sim_str(a, "ServiceNamespace"), ns) != 0 || !filt(req, "ResourceId", sim_str(a, "ResourceId")) ||
        !filt(req, "ScalableDimension", sim_str(a, "ScalableDimension")))
      continue;
    cJSON_AddItemToArray(out, public_copy(a));
  }
  return 0;
}

static cJSON *target_by_arn(SimWorld *w, const cJSON *req, AwsError *err) {
  const char *arn = sim_req_str(req, "ResourceARN", "resourceARN", V, err);
  if (!arn) return NULL;
  cJSON *t;
  cJSON_ArrayForEach(t, sim_coll(w, "autoscaling", "targets")) if (strcmp(sim_str(t, "ScalableTargetARN"), arn) == 0) return t;
  sim_err(err, 400, "ResourceNotFoundException", "No scalable target found for ARN %s", arn);
  return NULL;
}

static int op_tag(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *t = target_by_arn(w, req, err);
  if (!t) return -1;
  /* this API takes tags as a map */
  cJSON *list = cJSON_CreateArray();
  const cJSON *kv;
  cJSON_ArrayForEach(kv, sim_get(req, "Tags")) {
    cJSON *e = cJSON_CreateObject();
    sim_set_str(e, "Key", kv->string);
    sim_set_str(e, "Value", cJSON_IsString(kv) ? kv->valuestring : "");
    cJSON_AddItemToArray(list, e);
  }
  int rc = sim_tags_merge(t, list, V, err);
  cJSON_Delete(list);
  (void)resp;
  return rc;
}

static int op_untag(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *t = target_by_arn(w, req, err);
  if (!t) return -1;
  sim_tags_remove(t, sim_get(req, "TagKeys"));
  (void)resp;
  return 0;
}

static int op_list_tags(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *t = target_by_arn(w, req, err);
  if (!t) return -1;
  *resp = cJSON_CreateObject();
  cJSON *m = sim_obj(*resp, "Tags");
  const cJSON *kv;
  cJSON_ArrayForEach(kv, sim_get(t, "Tags")) sim_set_str(m, sim_str(kv, "Key"), sim_str(kv, "Value"));
  return 0;
}

/* ---------------------------------------------------------------- actions */

static cJSON *policy_by_arn(SimWorld *w, const char *arn) {
  cJSON *p;
  cJSON_ArrayForEach(p, sim_coll(w, "autoscaling", "policies")) if (strcmp(sim_str(p, "PolicyARN"), arn) == 0) return p;
  return NULL;
}

/* Capacities computed from request numbers, kept in int range. */
static int clampi(double x) {
  if (!(x > -1e9)) return -1000000000;
  if (x > 1e9) return 1000000000;
  return (int)x;
}

static double cooldown(const cJSON *cfg, const char *key) {
  cJSON *c = sim_get(cfg, key);
  /* [DOC] §3.4: absent means the SageMaker default; the provider sends 0 */
  return cJSON_IsNumber(c) ? c->valuedouble : sim_knob("default_cooldown_seconds");
}

void sim_as_alarm_action(SimWorld *w, const char *policy_arn, const cJSON *alarm) {
  cJSON *pol = policy_by_arn(w, policy_arn);
  if (!pol) return;
  char *tk = target_key(sim_str(pol, "ServiceNamespace"), sim_str(pol, "ResourceId"), sim_str(pol, "ScalableDimension"));
  cJSON *t = sim_get(sim_coll(w, "autoscaling", "targets"), tk);
  free(tk);
  char *epn = NULL, *vn = NULL;
  if (!t || !parse_rid(sim_str(t, "ResourceId"), &epn, &vn)) return;
  cJSON *ep = sim_sm_endpoint(w, epn), *variant = NULL, *x;
  cJSON_ArrayForEach(x, sim_get(ep, "Variants")) if (strcmp(sim_str(x, "VariantName"), vn) == 0) variant = x;
  free(epn);
  free(vn);
  /* §3.7: no scaling while the endpoint is busy */
  if (!variant || strcmp(sim_str(ep, "EndpointStatus"), "InService") != 0) return;
  int cur = (int)sim_num(variant, "DesiredInstanceCount", 0);
  double mn = sim_num(t, "MinCapacity", 1), mx = sim_num(t, "MaxCapacity", 1);
  long long now = sim_now(w);
  const cJSON *ss = sim_get(t, "SuspendedState");
  double metric = sim_cw_latest(w, alarm);
  int desired = cur;
  bool out;
  if (strcmp(sim_str(pol, "PolicyType"), "TargetTrackingScaling") == 0) {
    const cJSON *cfg = sim_get(pol, "TargetTrackingScalingPolicyConfiguration");
    double target = sim_num(cfg, "TargetValue", 1);
    out = sim_bool(alarm, "SimHigh", true);
    if (target <= 0) return;
    /* [INF] §3.3: proportional, rounded up so it never under-provisions.
    ** For InvocationsPerInstance the load is taken from Invocations of the
    ** same minute, so instances added since that minute are not counted
    ** twice ("capacity added is counted toward the next calculation"). */
    desired = clampi(ceil(cur * metric / target - 1e-9));
    double load;
    const char *mname = sim_str(alarm, "MetricName"), *mns = sim_str(alarm, "Namespace");
    long long lt = (long long)sim_num(alarm, "SimLastTime", -1);
    if (mname && mns && strcmp(mname, "InvocationsPerInstance") == 0 && strcmp(mns, "AWS/SageMaker") == 0 && lt >= 0 &&
        sim_cw_sum(w, mns, "Invocations", sim_get(alarm, "Dimensions"), lt, lt + (long long)sim_num(alarm, "Period", 60),
                   &load))
      desired = clampi(ceil(load / target - 1e-9));
    if (out) {
      if (desired <= cur || sim_bool(ss, "DynamicScalingOutSuspended", false)) return;
      if (now < (long long)sim_num(t, "SimLastOut", -1e12) + (long long)cooldown(cfg, "ScaleOutCooldown") &&
          desired <= (int)sim_num(t, "SimLastOutTo", 0))
        return;
    } else {
      if (sim_bool(cfg, "DisableScaleIn", false) || sim_bool(ss, "DynamicScalingInSuspended", false)) return;
      if (desired >= cur) return;
      if (now < (long long)sim_num(t, "SimLastIn", -1e12) + (long long)cooldown(cfg, "ScaleInCooldown")) return;
    }
  } else if (strcmp(sim_str(pol, "PolicyType"), "StepScaling") == 0) {
    const cJSON *cfg = sim_get(pol, "StepScalingPolicyConfiguration"), *s, *hit = NULL;
    double delta = metric - sim_num(alarm, "Threshold", 0);
    cJSON_ArrayForEach(s, sim_get(cfg, "StepAdjustments")) {
      cJSON *lo = sim_get(s, "MetricIntervalLowerBound"), *hi = sim_get(s, "MetricIntervalUpperBound");
      if ((!cJSON_IsNumber(lo) || delta >= lo->valuedouble) && (!cJSON_IsNumber(hi) || delta < hi->valuedouble)) hit = s;
    }
    if (!hit) return;
    double adj = sim_num(hit, "ScalingAdjustment", 0);
    const char *at = sim_str(cfg, "AdjustmentType");
    if (at && strcmp(at, "ExactCapacity") == 0) desired = clampi(adj);
    else if (at && strcmp(at, "PercentChangeInCapacity") == 0) {
      double ch = cur * adj / 100.0;
      int mag = clampi(sim_num(cfg, "MinAdjustmentMagnitude", 0));
      int ich = clampi(ch < 0 ? floor(ch) : ceil(ch));
      if (mag && abs(ich) < mag) ich = ich < 0 ? -mag : mag;
      desired = clampi((double)cur + ich);
    } else desired = clampi(cur + adj);
    if (desired == cur) return;
    out = desired > cur;
    double cd = sim_num(cfg, "Cooldown", sim_knob("default_cooldown_seconds"));
    if (now < (long long)sim_num(t, out ? "SimLastOut" : "SimLastIn", -1e12) + (long long)cd) return;
  } else {
    return;
  }
  if (desired < mn) desired = (int)mn;
  if (desired > mx) desired = (int)mx;
  if (desired == cur) return;
  out = desired > cur;
  char *cause = xasprintf("monitor alarm %s in state ALARM triggered policy %s", sim_str(alarm, "AlarmName"),
                          sim_str(pol, "PolicyName"));
  sim_set_num(t, out ? "SimLastOut" : "SimLastIn", (double)now);
  if (out) {
    sim_set_num(t, "SimLastOutTo", desired);
    sim_del(t, "SimLastIn"); /* a scale-out cancels the scale-in cooldown */
  }
  scale_to(w, t, desired, cause);
  free(cause);
}

static const SimOp as_ops[] = {
    {"RegisterScalableTarget", op_register, true},
    {"DescribeScalableTargets", op_describe_targets, false},
    {"DeregisterScalableTarget", op_deregister, true},
    {"PutScalingPolicy", op_put_policy, true},
    {"DescribeScalingPolicies", op_describe_policies, false},
    {"DeleteScalingPolicy", op_delete_policy, true},
    {"DescribeScalingActivities", op_describe_activities, false},
    {"TagResource", op_tag, true},
    {"UntagResource", op_untag, true},
    {"ListTagsForResource", op_list_tags, false},
};
const SimService sim_svc_autoscaling = {"application-autoscaling", as_ops, sizeof as_ops / sizeof as_ops[0]};
