/*
** providers/sim/deploy.c — the endpoint state machines: create, blue/green
** (ALL_AT_ONCE, CANARY, LINEAR) and rolling updates with baking and
** auto-rollback, scaling (UpdateEndpointWeightsAndCapacities, autoscaling),
** and delete.
**
** An endpoint record holds its live fleet ("Variants": what DescribeEndpoint's
** ProductionVariants shows) and, while something is happening, an "Op": the
** kind, the new fleet ("Green", shown as PendingDeploymentSummary), and for
** updates a precomputed list of phases, each with a duration, the share of
** traffic the new fleet gets during it and whether listed alarms are watched
** (baking). The clock (clock.c) calls sim_deploy_run when a phase ends and
** sim_deploy_watch every minute after alarms were evaluated.
*/
#include "providers/sim/sim_int.h"

#include "base/util.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define V "ValidationException"

void sim_deploy_event(SimWorld *w, cJSON *ep, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = NULL;
  if (vasprintf(&msg, fmt, ap) < 0) msg = NULL;
  va_end(ap);
  cJSON *e = cJSON_CreateObject();
  char ts[24];
  sim_set_str(e, "Time", sim_now_iso(w, ts));
  sim_set_str(e, "Status", sim_str(ep, "EndpointStatus"));
  sim_set_str(e, "Message", msg ? msg : "");
  free(msg);
  sim_log(sim_arr(ep, "Events"), e, (int)sim_knob("history_keep"));
}

static void set_status(SimWorld *w, cJSON *ep, const char *st) {
  char ts[24];
  sim_set_str(ep, "EndpointStatus", st);
  sim_set_str(ep, "LastModifiedTime", sim_now_iso(w, ts));
}

static void variant_status(SimWorld *w, cJSON *v, const char *st, const char *msg) {
  if (!st) {
    sim_del(v, "VariantStatus");
    return;
  }
  cJSON *a = cJSON_CreateArray(), *s = cJSON_CreateObject();
  char ts[24];
  sim_set_str(s, "Status", st);
  sim_set_str(s, "StatusMessage", msg);
  sim_set_str(s, "StartTime", sim_now_iso(w, ts));
  cJSON_AddItemToArray(a, s);
  sim_set(v, "VariantStatus", a);
}

static const cJSON *first_container(const cJSON *model) {
  const cJSON *pc = sim_get(model, "PrimaryContainer");
  return pc ? pc : cJSON_GetArrayItem(sim_get(model, "Containers"), 0);
}

static cJSON *live_variant(const cJSON *ep, const char *name) {
  cJSON *v;
  cJSON_ArrayForEach(v, sim_get(ep, "Variants")) if (strcmp(sim_str(v, "VariantName"), name) == 0) return v;
  return NULL;
}

/* Snapshots what a config deploys: model, image and counts per variant. */
static cJSON *fleet_from_config(SimWorld *w, const cJSON *cfg, const cJSON *ep, bool retain) {
  cJSON *fleet = cJSON_CreateArray();
  const cJSON *pv;
  char ts[24];
  sim_now_iso(w, ts);
  cJSON_ArrayForEach(pv, sim_get(cfg, "ProductionVariants")) {
    cJSON *v = cJSON_CreateObject();
    const char *vn = sim_str(pv, "VariantName"), *mn = sim_str(pv, "ModelName");
    sim_set_str(v, "VariantName", vn);
    if (mn) sim_set_str(v, "ModelName", mn);
    if (sim_str(pv, "InstanceType")) sim_set_str(v, "InstanceType", sim_str(pv, "InstanceType"));
    if (sim_get(pv, "ServerlessConfig")) sim_set(v, "ServerlessConfig", sim_dup(sim_get(pv, "ServerlessConfig")));
    const cJSON *model = mn ? sim_get(sim_coll(w, "sagemaker", "models"), mn) : NULL;
    if (mn && !model) sim_set_bool(v, "ModelMissing", true);
    const cJSON *c = first_container(model);
    const char *img = sim_str(c, "Image");
    if (img) {
      char hash[65];
      sim_sha256_hex(img, strlen(img), hash);
      char *repo = xstrndup(img, strcspn(img, ":@"));
      /* keep the registry's port-free name, replace the tag with a digest */
      const char *slash = strrchr(img, '/');
      if (slash && strchr(slash, ':')) {
        free(repo);
        repo = xstrndup(img, (size_t)(strchr(slash, ':') - img));
      } else if (slash) {
        free(repo);
        repo = xstrndup(img, strcspn(img, "@"));
      }
      char *resolved = xasprintf("%s@sha256:%s", repo, hash);
      sim_set_str(v, "Image", img);
      sim_set_str(v, "ResolvedImage", resolved);
      sim_set_str(v, "ResolutionTime", ts);
      free(repo);
      free(resolved);
    }
    if (sim_str(c, "ModelDataUrl")) sim_set_str(v, "ModelDataUrl", sim_str(c, "ModelDataUrl"));
    if (sim_str(model, "ExecutionRoleArn")) sim_set_str(v, "RoleArn", sim_str(model, "ExecutionRoleArn"));
    cJSON *hc = sim_get(pv, "ContainerStartupHealthCheckTimeoutInSeconds");
    if (cJSON_IsNumber(hc)) sim_set_num(v, "HealthCheckTimeout", hc->valuedouble);
    double count = sim_get(pv, "ServerlessConfig") ? 0 : sim_num(pv, "InitialInstanceCount", 1);
    double weight = sim_num(pv, "InitialVariantWeight", 1);
    const cJSON *old = retain && ep ? live_variant(ep, vn) : NULL;
    if (old) {
      count = sim_num(old, "DesiredInstanceCount", count);
      weight = sim_num(old, "DesiredWeight", weight);
    }
    sim_set_num(v, "CurrentInstanceCount", 0);
    sim_set_num(v, "DesiredInstanceCount", count);
    sim_set_num(v, "CurrentWeight", 0);
    sim_set_num(v, "DesiredWeight", weight);
    cJSON_AddItemToArray(fleet, v);
  }
  return fleet;
}

/* Whether the execution role may pull an image from ECR in this account
** (§5.4); images of other accounts are not checked (their repository
** policy decides, which the simulator does not model). */
static bool image_pullable(SimWorld *w, const cJSON *role, const char *img) {
  char *pre = xasprintf("%s.dkr.ecr.", sim_account(w));
  bool own = strncmp(img, pre, strlen(pre)) == 0;
  free(pre);
  if (!own) return true;
  const char *slash = strchr(img, '/');
  if (!slash) return false;
  size_t n = strcspn(slash + 1, ":@");
  char *repo = xasprintf("arn:aws:ecr:%s:%s:repository/%.*s", sim_region(w), sim_account(w), (int)n, slash + 1);
  bool ok = sim_iam_allows(w, role, "ecr:GetAuthorizationToken", "*") &&
            sim_iam_allows(w, role, "ecr:BatchGetImage", repo) && sim_iam_allows(w, role, "ecr:GetDownloadUrlForLayer", repo);
  free(repo);
  return ok;
}

/* Why a fleet cannot start (malloc'd FailureReason), or NULL; *extra is
** how much longer than provisioning the failure takes to show. Checked when
** provisioning ends, so a policy added meanwhile counts, as in AWS. */
static char *fleet_problem(SimWorld *w, const cJSON *fleet, long long *extra) {
  const cJSON *v;
  cJSON_ArrayForEach(v, fleet) {
    const char *vn = sim_str(v, "VariantName");
    if (sim_bool(v, "ModelMissing", false)) {
      char *arn = sim_sm_arn(w, "model", sim_str(v, "ModelName"));
      char *r = xasprintf("Could not find model \"%s\".", arn);
      free(arn);
      return r;
    }
    const char *url = sim_str(v, "ModelDataUrl"), *rarn = sim_str(v, "RoleArn");
    if (sim_fault_ping_fails(w, sim_str(v, "Image"))) {
      /* SageMaker keeps pinging until the health-check window closes */
      *extra = (long long)sim_num(v, "HealthCheckTimeout", sim_knob("health_check_timeout_seconds"));
      return xasprintf("The primary container for production variant %s did not pass the ping health check. Please "
                       "check CloudWatch logs for this endpoint.", vn);
    }
    cJSON *role = rarn ? sim_iam_role_by_arn(w, rarn) : NULL;
    if (rarn && (!role || !sim_iam_trusts(role, "sagemaker.amazonaws.com")))
      return xasprintf("Please make sure all images included in the model for the production variant %s exist, "
                       "and that the execution role used to create the model has permissions to access them.", vn);
    if (url) {
      const char *p = strstr(url, "://");
      char *res = xasprintf("arn:aws:s3:::%s", p ? p + 3 : url);
      bool ok = role && sim_iam_visible(w, role) && sim_iam_allows(w, role, "s3:GetObject", res);
      free(res);
      if (!ok)
        return xasprintf("Failed to download model data for container \"container_1\" from URL: \"%s\". Please "
                         "ensure that there is an object located at the URL and that the role passed to CreateModel "
                         "has permissions to download the object.", url);
    }
    /* the model is downloaded before the container starts, so S3 fails first */
    const char *img = sim_str(v, "Image");
    if (img && role && sim_knob("check_ecr_permissions") != 0 && !image_pullable(w, role, img))
      return xasprintf("Please make sure all images included in the model for the production variant %s exist, "
                       "and that the execution role used to create the model has permissions to access them.", vn);
  }
  return NULL;
}

static int fleet_count(const cJSON *fleet, const char *key) {
  int n = 0;
  const cJSON *v;
  cJSON_ArrayForEach(v, fleet) n += (int)sim_num(v, key, 0);
  return n;
}

/* ------------------------------------------------------------------ create */

void sim_deploy_create(SimWorld *w, cJSON *ep, const cJSON *cfg) {
  cJSON *op = cJSON_CreateObject();
  char ts[24];
  sim_set_str(op, "Kind", "create");
  sim_set_str(op, "Config", sim_str(cfg, "EndpointConfigName"));
  sim_set_str(op, "StartTime", sim_now_iso(w, ts));
  sim_set_num(op, "Until", (double)(sim_now(w) + (long long)sim_knob("endpoint_create_seconds")));
  cJSON *green = fleet_from_config(w, cfg, NULL, false);
  cJSON *v;
  cJSON_ArrayForEach(v, green) {
    char *msg = xasprintf("Launching %d instance(s).", (int)sim_num(v, "DesiredInstanceCount", 0));
    variant_status(w, v, "Creating", msg);
    free(msg);
  }
  sim_set(op, "Green", green);
  sim_set(ep, "Op", op);
  set_status(w, ep, "Creating");
  sim_deploy_event(w, ep, "CreateEndpoint: deploying %s (%d instance(s))", sim_str(cfg, "EndpointConfigName"),
                   fleet_count(green, "DesiredInstanceCount"));
}

/* Makes the new fleet live: counts and weights reach their desired values. */
static void go_live(SimWorld *w, cJSON *ep, cJSON *op) {
  cJSON *green = cJSON_DetachItemFromObjectCaseSensitive(op, "Green"), *v;
  cJSON_ArrayForEach(v, green) {
    sim_set_num(v, "CurrentInstanceCount", sim_num(v, "DesiredInstanceCount", 0));
    sim_set_num(v, "CurrentWeight", sim_num(v, "DesiredWeight", 1));
    variant_status(w, v, NULL, NULL);
  }
  sim_set(ep, "Variants", green);
  sim_set_str(ep, "EndpointConfigName", sim_str(op, "Config"));
  sim_del(ep, "Op");
  set_status(w, ep, "InService");
}

/* ------------------------------------------------------------------ update */

static int cap_size(const cJSON *sz, int count) {
  double v = sim_num(sz, "Value", 1);
  const char *t = sim_str(sz, "Type");
  /* [INF] §2.2: CAPACITY_PERCENT rounds up */
  double n = t && strcmp(t, "CAPACITY_PERCENT") == 0 ? ceil(v * count / 100.0) : v;
  return n > 1e9 ? 1000000000 : (int)n;
}

static void add_phase(cJSON *phases, const char *name, double secs, double share, bool bake, const char *vst,
                      const char *msg) {
  cJSON *p = cJSON_CreateObject();
  sim_set_str(p, "Name", name);
  sim_set_num(p, "Seconds", secs);
  sim_set_num(p, "Share", share);
  sim_set_bool(p, "Bake", bake);
  sim_set_str(p, "VariantStatus", vst);
  sim_set_str(p, "Message", msg);
  cJSON_AddItemToArray(phases, p);
}

static void enter_phase(SimWorld *w, cJSON *ep, cJSON *op) {
  int i = (int)sim_num(op, "Phase", 0);
  cJSON *p = cJSON_GetArrayItem(sim_get(op, "Phases"), i);
  double share = sim_num(p, "Share", 0);
  cJSON *v, *green = sim_get(op, "Green");
  cJSON_ArrayForEach(v, green) {
    bool provisioned = strncmp(sim_str(p, "Name"), "provision", 9) != 0 || sim_num(p, "Share", 0) > 0;
    double gc = sim_num(v, "DesiredInstanceCount", 0);
    sim_set_num(v, "CurrentInstanceCount", provisioned ? gc : 0);
    sim_set_num(v, "CurrentWeight", share * sim_num(v, "DesiredWeight", 1));
    variant_status(w, v, sim_str(p, "VariantStatus"), sim_str(p, "Message"));
  }
  sim_set_num(op, "PhaseEnd", (double)sim_now(w) + sim_num(p, "Seconds", 0));
  sim_deploy_event(w, ep, "%s: %s (%.0f%% of traffic on %s)", sim_str(p, "Name"), sim_str(p, "Message"), share * 100,
                   sim_str(op, "Config"));
}

static const char *ep_arn(const cJSON *ep) { return sim_str(ep, "EndpointArn"); }

static int busy_err(const cJSON *ep, AwsError *err) {
  const char *st = sim_str(ep, "EndpointStatus");
  if (strcmp(st, "Failed") == 0)
    return sim_err(err, 400, V, "Cannot update endpoint \"%s\" in status Failed; it can only be deleted.", ep_arn(ep));
  return sim_err(err, 400, V, "Cannot update in-progress endpoint \"%s\".", ep_arn(ep));
}

int sim_deploy_update(SimWorld *w, cJSON *ep, const cJSON *newcfg, const cJSON *req, AwsError *err) {
  const char *st = sim_str(ep, "EndpointStatus");
  if (strcmp(st, "InService") != 0 && strcmp(st, "UpdateRollbackFailed") != 0) return busy_err(ep, err);
  /* [OBS] an update needs the old config too (TF issues 40048/48997) */
  const char *oldname = sim_str(ep, "EndpointConfigName");
  if (!sim_get(sim_coll(w, "sagemaker", "endpoint_configs"), oldname)) {
    char *arn = sim_sm_arn(w, "endpoint-config", oldname);
    sim_err(err, 400, V, "Could not find endpoint configuration \"%s\".", arn);
    free(arn);
    return -1;
  }
  const cJSON *pv;
  bool live_serverless = false;
  cJSON *lv;
  cJSON_ArrayForEach(lv, sim_get(ep, "Variants")) live_serverless |= sim_get(lv, "ServerlessConfig") != NULL;
  cJSON_ArrayForEach(pv, sim_get(newcfg, "ProductionVariants")) {
    if (sim_get(pv, "ServerlessConfig") && !live_serverless)
      return sim_err(err, 400, V, "Updating an instance-based endpoint to a serverless endpoint is not supported.");
  }
  /* §3.7: an autoscaled variant may not lose its instance type or go away */
  cJSON_ArrayForEach(lv, sim_get(ep, "Variants")) {
    const char *vn = sim_str(lv, "VariantName");
    if (!sim_as_target(w, sim_str(ep, "EndpointName"), vn)) continue;
    const cJSON *nv = NULL;
    cJSON_ArrayForEach(pv, sim_get(newcfg, "ProductionVariants")) if (strcmp(sim_str(pv, "VariantName"), vn) == 0) nv = pv;
    const char *oit = sim_str(lv, "InstanceType"), *nit = nv ? sim_str(nv, "InstanceType") : NULL;
    if (!nv || (oit && nit && strcmp(oit, nit) != 0))
      return sim_err(err, 400, V,
                     "The variant %s is registered as an Application Auto Scaling scalable target. Deregister the "
                     "scalable target before you %s the variant, then register it again.",
                     vn, nv ? "change the instance type of" : "remove");
  }
  const cJSON *dc = sim_get(req, "DeploymentConfig");
  if (!dc && sim_bool(req, "RetainDeploymentConfig", false)) dc = sim_get(ep, "LastDeploymentConfig");
  bool retain = sim_bool(req, "RetainAllVariantProperties", false);
  cJSON *green = fleet_from_config(w, newcfg, ep, retain);
  int G = (int)sim_num(cJSON_GetArrayItem(green, 0), "DesiredInstanceCount", 1);
  int B = (int)sim_num(cJSON_GetArrayItem(sim_get(ep, "Variants"), 0), "CurrentInstanceCount", 1);
  const cJSON *bg = sim_get(dc, "BlueGreenUpdatePolicy"), *ru = sim_get(dc, "RollingUpdatePolicy");
  /* §2.6: guardrails need the same variant names */
  if (dc) {
    cJSON *gv;
    cJSON_ArrayForEach(gv, green) if (!live_variant(ep, sim_str(gv, "VariantName"))) {
      cJSON_Delete(green);
      return sim_err(err, 400, V, "The production variant names of the new endpoint configuration must match "
                                  "those of the current endpoint configuration to use a DeploymentConfig.");
    }
  }
  cJSON *phases = cJSON_CreateArray();
  char msg[256];
  double prov = sim_knob("fleet_provision_seconds"), term = sim_knob("fleet_terminate_seconds");
  const char *mode = "ALL_AT_ONCE";
  double timeout = 0;
  if (ru) {
    mode = "ROLLING";
    if (cJSON_GetArraySize(green) > 1 || live_serverless) {
      cJSON_Delete(green);
      cJSON_Delete(phases);
      return sim_err(err, 400, V, "Rolling deployments are not supported for endpoints with multiple production "
                                  "variants or serverless variants.");
    }
    int b = cap_size(sim_get(ru, "MaximumBatchSize"), G);
    double lo = sim_knob("rolling_min_percent"), hi = sim_knob("rolling_max_percent");
    if (b * 100.0 < lo * G || b * 100.0 > hi * G) {
      sim_err(err, 400, V, "MaximumBatchSize must be between %.0f%% and %.0f%% of the instance count (%d) of "
                           "variant %s.", lo, hi, G, sim_str(cJSON_GetArrayItem(green, 0), "VariantName"));
      cJSON_Delete(green);
      cJSON_Delete(phases);
      return -1;
    }
    double wi = sim_num(ru, "WaitIntervalInSeconds", 0);
    timeout = sim_num(ru, "MaximumExecutionTimeoutInSeconds", 0);
    for (int done = 0, k = 1; done < G; k++) {
      int next = done + b < G ? done + b : G;
      snprintf(msg, sizeof msg, "Launching %d instance(s).", next - done);
      add_phase(phases, "provision batch", prov, (double)done / G, false, "Creating", msg);
      snprintf(msg, sizeof msg, "Baking for %.0f seconds (WaitIntervalInSeconds) with traffic enabled on %d of %d "
                                "instance(s).", wi, next, G);
      add_phase(phases, "bake batch", wi, (double)next / G, true, "Baking", msg);
      done = next;
    }
    snprintf(msg, sizeof msg, "Terminating %d instance(s).", B);
    add_phase(phases, "terminate old fleet", term, 1, false, "Deleting", msg);
  } else {
    const cJSON *tr = sim_get(bg, "TrafficRoutingConfiguration");
    const char *type = sim_str(tr, "Type");
    if (type) mode = type;
    double wi = sim_num(tr, "WaitIntervalInSeconds", 0), tw = sim_num(bg, "TerminationWaitInSeconds", 0);
    timeout = sim_num(bg, "MaximumExecutionTimeoutInSeconds", 0);
    snprintf(msg, sizeof msg, "Launching %d instance(s).", G);
    add_phase(phases, "provision", prov, 0, false, "Creating", msg);
    if (strcmp(mode, "CANARY") == 0 || strcmp(mode, "LINEAR") == 0) {
      bool canary = strcmp(mode, "CANARY") == 0;
      int s = cap_size(sim_get(tr, canary ? "CanarySize" : "LinearStepSize"), G);
      double lo = canary ? 0 : sim_knob("linear_min_percent");
      double hi = canary ? sim_knob("canary_max_percent") : sim_knob("linear_max_percent");
      if (s < 1 || s * 100.0 < lo * G || s * 100.0 > hi * G) {
        char *vn = xstrdup(sim_str(cJSON_GetArrayItem(green, 0), "VariantName"));
        cJSON_Delete(green);
        cJSON_Delete(phases);
        if (canary)
          sim_err(err, 400, V, "CanarySize must be at most %.0f%% of the instance count (%d) of variant %s.", hi, G, vn);
        else
          sim_err(err, 400, V, "LinearStepSize must be between %.0f%% and %.0f%% of the instance count (%d) of "
                               "variant %s.", lo, hi, G, vn);
        free(vn);
        return -1;
      }
      if (canary) {
        snprintf(msg, sizeof msg, "Activating traffic on canary capacity of %d instance(s). Baking for %.0f seconds "
                                  "(WaitIntervalInSeconds).", s, wi);
        add_phase(phases, "canary", wi, (double)s / (s + B), true, "Baking", msg);
      } else {
        for (int ga = s; ga < G; ga += s) {
          int ba = B - ga * B / G;
          snprintf(msg, sizeof msg, "Activating traffic on %d of %d instance(s). Baking for %.0f seconds "
                                    "(WaitIntervalInSeconds).", ga, G, wi);
          add_phase(phases, "linear step", wi, (double)ga / (ga + (ba > 0 ? ba : 0)), true, "Baking", msg);
        }
      }
    }
    snprintf(msg, sizeof msg, "Baking for %.0f seconds (TerminationWaitInSeconds) with traffic enabled on full "
                              "capacity of %d instance(s).", tw, G);
    add_phase(phases, "final bake", tw, 1, true, "Baking", msg);
    snprintf(msg, sizeof msg, "Terminating %d instance(s).", B);
    add_phase(phases, "terminate old fleet", term, 1, false, "Deleting", msg);
  }
  cJSON *op = cJSON_CreateObject();
  char ts[24];
  sim_set_str(op, "Kind", "update");
  sim_set_str(op, "Mode", mode);
  sim_set_str(op, "Config", sim_str(newcfg, "EndpointConfigName"));
  sim_set_str(op, "StartTime", sim_now_iso(w, ts));
  if (timeout > 0) sim_set_num(op, "Deadline", (double)sim_now(w) + timeout);
  cJSON *alarms = cJSON_CreateArray();
  const cJSON *a;
  cJSON_ArrayForEach(a, sim_get(sim_get(dc, "AutoRollbackConfiguration"), "Alarms"))
      cJSON_AddItemToArray(alarms, cJSON_CreateString(sim_str(a, "AlarmName")));
  sim_set(op, "Alarms", alarms);
  sim_set(op, "Phases", phases);
  sim_set_num(op, "Phase", 0);
  sim_set(op, "Green", green);
  sim_set(ep, "Op", op);
  if (sim_get(req, "DeploymentConfig")) sim_set(ep, "LastDeploymentConfig", sim_dup(dc));
  sim_del(ep, "FailureReason");
  set_status(w, ep, "Updating");
  sim_deploy_event(w, ep, "UpdateEndpoint: %s -> %s (%s)", oldname, sim_str(newcfg, "EndpointConfigName"), mode);
  enter_phase(w, ep, op);
  return 0;
}

static void rollback(SimWorld *w, cJSON *ep, const char *reason) {
  cJSON *op = sim_get(ep, "Op");
  sim_set_str(op, "Kind", "rollback");
  sim_set_str(op, "Reason", reason);
  sim_set_num(op, "Until", (double)(sim_now(w) + (long long)sim_knob("rollback_seconds")));
  sim_del(op, "Deadline");
  cJSON *v;
  cJSON_ArrayForEach(v, sim_get(op, "Green")) {
    char *msg = xasprintf("Terminating %d instance(s).", (int)sim_num(v, "CurrentInstanceCount", 0));
    sim_set_num(v, "CurrentWeight", 0);
    variant_status(w, v, "Deleting", msg);
    free(msg);
  }
  set_status(w, ep, sim_knob_str("rollback_status"));
  sim_deploy_event(w, ep, "Rolling back to %s: %s", sim_str(ep, "EndpointConfigName"), reason);
}

/* ------------------------------------------------------------------ scale */

int sim_deploy_scale(SimWorld *w, cJSON *ep, const char *variant, int desired, const char *activity_id,
                     AwsError *err) {
  if (strcmp(sim_str(ep, "EndpointStatus"), "InService") != 0) return busy_err(ep, err);
  cJSON *v = live_variant(ep, variant);
  if (!v) return sim_err(err, 400, V, "The variant %s does not exist in endpoint %s.", variant, sim_str(ep, "EndpointName"));
  int cur = (int)sim_num(v, "CurrentInstanceCount", 0);
  sim_set_num(v, "DesiredInstanceCount", desired);
  if (desired == cur) {
    if (activity_id) sim_as_activity_done(w, activity_id, true, NULL);
    return 0;
  }
  bool out = desired > cur;
  cJSON *op = cJSON_CreateObject();
  sim_set_str(op, "Kind", "scale");
  sim_set_str(op, "Variant", variant);
  sim_set_num(op, "Desired", desired);
  sim_set_num(op, "Until", (double)(sim_now(w) + (long long)sim_knob(out ? "scale_out_seconds" : "scale_in_seconds")));
  if (activity_id) sim_set_str(op, "Activity", activity_id);
  sim_set(ep, "Op", op);
  char *msg = xasprintf("Scaling %s desired instance count to %d.", out ? "out" : "in", desired);
  variant_status(w, v, "Updating", msg);
  set_status(w, ep, "Updating");
  sim_deploy_event(w, ep, "%s: %s", variant, msg);
  free(msg);
  return 0;
}

/* ------------------------------------------------------------------ delete */

void sim_deploy_delete(SimWorld *w, cJSON *ep) {
  sim_as_deregister_endpoint(w, sim_str(ep, "EndpointName"));
  cJSON *op = cJSON_CreateObject();
  sim_set_str(op, "Kind", "delete");
  sim_set_num(op, "Until", (double)(sim_now(w) + (long long)sim_knob("endpoint_delete_seconds")));
  sim_set(ep, "Op", op);
  set_status(w, ep, "Deleting");
  sim_deploy_event(w, ep, "DeleteEndpoint");
}

/* ------------------------------------------------------------------ clock */

static long long op_due(const cJSON *op) {
  const char *k = sim_str(op, "Kind");
  if (!k) return LLONG_MAX;
  long long t = (long long)sim_num(op, strcmp(k, "update") == 0 ? "PhaseEnd" : "Until", (double)LLONG_MAX);
  cJSON *dl = sim_get(op, "Deadline");
  if (dl && (long long)dl->valuedouble < t) t = (long long)dl->valuedouble;
  return t;
}

long long sim_deploy_next(SimWorld *w) {
  long long t = LLONG_MAX;
  cJSON *ep;
  cJSON_ArrayForEach(ep, sim_coll(w, "sagemaker", "endpoints")) {
    long long d = op_due(sim_get(ep, "Op"));
    if (d < t) t = d;
  }
  return t;
}

/* Finishes whatever op of ep is due; returns true when ep was deleted. */
static bool step(SimWorld *w, cJSON *ep) {
  cJSON *op = sim_get(ep, "Op");
  const char *kind = sim_str(op, "Kind");
  long long now = sim_now(w);
  if (strcmp(kind, "create") == 0) {
    long long extra = 0;
    char *why = fleet_problem(w, sim_get(op, "Green"), &extra);
    if (why && extra > 0 && !sim_bool(op, "Waited", false)) {
      sim_set_bool(op, "Waited", true);
      sim_set_num(op, "Until", (double)(now + extra));
      free(why);
      return false;
    }
    if (why) {
      sim_set_str(ep, "FailureReason", why);
      sim_del(ep, "Op");
      set_status(w, ep, "Failed");
      sim_deploy_event(w, ep, "Failed: %s", why);
      free(why);
    } else {
      go_live(w, ep, op);
      sim_deploy_event(w, ep, "InService on %s", sim_str(ep, "EndpointConfigName"));
    }
  } else if (strcmp(kind, "update") == 0) {
    cJSON *dl = sim_get(op, "Deadline");
    if (dl && now >= (long long)dl->valuedouble && now < (long long)sim_num(op, "PhaseEnd", 0)) {
      char *why = xasprintf("The deployment exceeded MaximumExecutionTimeoutInSeconds and was rolled back to "
                            "endpoint configuration %s.", sim_str(ep, "EndpointConfigName"));
      rollback(w, ep, why);
      free(why);
      return false;
    }
    int i = (int)sim_num(op, "Phase", 0);
    cJSON *p = cJSON_GetArrayItem(sim_get(op, "Phases"), i);
    if (strncmp(sim_str(p, "Name"), "provision", 9) == 0) {
      long long extra = 0;
      char *why = fleet_problem(w, sim_get(op, "Green"), &extra);
      if (why && extra > 0 && !sim_bool(op, "Waited", false)) {
        sim_set_bool(op, "Waited", true);
        sim_set_num(op, "PhaseEnd", (double)(now + extra));
        free(why);
        return false;
      }
      if (why) {
        rollback(w, ep, why);
        free(why);
        return false;
      }
    }
    if (i + 1 < cJSON_GetArraySize(sim_get(op, "Phases"))) {
      sim_set_num(op, "Phase", i + 1);
      enter_phase(w, ep, op);
    } else {
      go_live(w, ep, op);
      sim_deploy_event(w, ep, "InService on %s", sim_str(ep, "EndpointConfigName"));
    }
  } else if (strcmp(kind, "rollback") == 0) {
    char *why = xstrdup(sim_str(op, "Reason"));
    sim_del(ep, "Op");
    sim_set_str(ep, "FailureReason", why);
    set_status(w, ep, "InService");
    sim_deploy_event(w, ep, "InService on %s after rollback", sim_str(ep, "EndpointConfigName"));
    free(why);
  } else if (strcmp(kind, "scale") == 0) {
    cJSON *v = live_variant(ep, sim_str(op, "Variant"));
    int d = (int)sim_num(op, "Desired", 0);
    char *act = sim_str(op, "Activity") ? xstrdup(sim_str(op, "Activity")) : NULL;
    if (v) {
      sim_set_num(v, "CurrentInstanceCount", d);
      variant_status(w, v, NULL, NULL);
    }
    sim_del(ep, "Op");
    set_status(w, ep, "InService");
    sim_deploy_event(w, ep, "%s now runs %d instance(s)", sim_str(v, "VariantName"), d);
    if (act) sim_as_activity_done(w, act, true, NULL);
    free(act);
  } else if (strcmp(kind, "delete") == 0) {
    sim_del(sim_coll(w, "sim", "traffic"), ep->string);
    sim_del(sim_coll(w, "sagemaker", "endpoints"), ep->string);
    return true;
  }
  return false;
}

void sim_deploy_run(SimWorld *w) {
  for (bool again = true; again;) {
    again = false;
    cJSON *ep = sim_coll(w, "sagemaker", "endpoints")->child;
    while (ep) {
      cJSON *next = ep->next;
      if (op_due(sim_get(ep, "Op")) <= sim_now(w)) {
        step(w, ep);
        again = true; /* zero-length phases may chain */
      }
      ep = next;
    }
  }
}

void sim_deploy_watch(SimWorld *w) {
  cJSON *ep;
  cJSON_ArrayForEach(ep, sim_coll(w, "sagemaker", "endpoints")) {
    cJSON *op = sim_get(ep, "Op");
    if (!op || strcmp(sim_str(op, "Kind"), "update") != 0) continue;
    cJSON *p = cJSON_GetArrayItem(sim_get(op, "Phases"), (int)sim_num(op, "Phase", 0));
    if (!sim_bool(p, "Bake", false)) continue;
    const cJSON *a;
    cJSON_ArrayForEach(a, sim_get(op, "Alarms")) {
      cJSON *al = sim_find(w, "cloudwatch", "alarms", a->valuestring);
      const char *sv = sim_str(al, "StateValue");
      if (sv && strcmp(sv, "ALARM") == 0) {
        /* [INF] §8.3: AWS's exact wording is unknown */
        char *why = xasprintf("Auto-rollback alarm %s entered the ALARM state during the deployment of endpoint "
                              "configuration %s; traffic was shifted back to endpoint configuration %s.",
                              a->valuestring, sim_str(op, "Config"), sim_str(ep, "EndpointConfigName"));
        rollback(w, ep, why);
        free(why);
        break;
      }
    }
  }
}

int sim_deploy_fleets(SimWorld *w, const cJSON *ep, const char *variant, SimFleet out[2]) {
  (void)w;
  const cJSON *v = live_variant(ep, variant);
  if (!v) return 0;
  out[0] = (SimFleet){sim_str(ep, "EndpointConfigName"), sim_str(v, "Image"),
                      (int)sim_num(v, "CurrentInstanceCount", 0), 1.0};
  if (sim_get(v, "ServerlessConfig")) out[0].instances = 1;
  const cJSON *op = sim_get(ep, "Op");
  if (!op || strcmp(sim_str(op, "Kind"), "update") != 0) return 1;
  const cJSON *p = cJSON_GetArrayItem(sim_get(op, "Phases"), (int)sim_num(op, "Phase", 0));
  double share = sim_num(p, "Share", 0);
  const cJSON *g, *gv = NULL;
  cJSON_ArrayForEach(g, sim_get(op, "Green")) if (strcmp(sim_str(g, "VariantName"), variant) == 0) gv = g;
  if (!gv || share <= 0) return 1;
  out[1] = (SimFleet){sim_str(op, "Config"), sim_str(gv, "Image"), (int)sim_num(gv, "CurrentInstanceCount", 0), share};
  out[0].share = 1 - share;
  return 2;
}
