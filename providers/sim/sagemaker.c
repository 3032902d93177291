/*
** providers/sim/sagemaker.c — SageMaker models, endpoint configurations and
** endpoints (the API surface), tags, and sagemaker-runtime InvokeEndpoint.
**
** Models and configs are immutable snapshots. An endpoint copies what it
** deploys (images, counts) into its own fleet when a deployment starts, so
** deleting or re-creating a model or config with the same name never changes
** a running endpoint (aws-behaviour.md §1.1). The state machines behind
** CreateEndpoint/UpdateEndpoint/DeleteEndpoint live in deploy.c.
*/
#include "providers/sim/sim_int.h"

#include "base/util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define V "ValidationException"
static const char MODEL_RE[] = "^[a-zA-Z0-9]([\\-a-zA-Z0-9]*[a-zA-Z0-9])?$";
static const char ROLE_ARN_RE[] = "^arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+$";
static const char URL_RE[] = "^(https|s3)://([^/]+)/?(.*)$";
static const char IMAGE_RE[] = "[\\S]+";
static const char ECR_RE[] = "^\\d{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/.+";
static const char ENV_KEY_RE[] = "[a-zA-Z_][a-zA-Z0-9_]*";

char *sim_sm_arn(SimWorld *w, const char *kind, const char *name) {
  /* [OBS] SageMaker lower-cases names inside ARNs */
  char *lower = xstrdup(name);
  sim_lower(lower);
  char *arn = xasprintf("arn:aws:sagemaker:%s:%s:%s/%s", sim_region(w), sim_account(w), kind, lower);
  free(lower);
  return arn;
}

cJSON *sim_sm_endpoint(SimWorld *w, const char *name) {
  return sim_get(sim_coll(w, "sagemaker", "endpoints"), name);
}

/* Case-insensitive existence check: SageMaker names are unique that way. */
static cJSON *find_ci(cJSON *coll, const char *name) {
  cJSON *c;
  cJSON_ArrayForEach(c, coll) if (strcasecmp(c->string, name) == 0) return c;
  return NULL;
}

static int not_found(SimWorld *w, AwsError *err, const char *what, const char *kind, const char *name) {
  char *arn = sim_sm_arn(w, kind, name);
  sim_err(err, 400, V, "Could not find %s \"%s\".", what, arn);
  free(arn);
  return -1;
}

static int exists_err(SimWorld *w, AwsError *err, const char *what, const char *kind, const char *name) {
  char *arn = sim_sm_arn(w, kind, name);
  sim_err(err, 400, V, "Cannot create already existing %s \"%s\".", what, arn);
  free(arn);
  return -1;
}

static const char *req_name(const cJSON *req, const char *key, const char *member, const char *re, AwsError *err) {
  const char *n = sim_req_str(req, key, member, V, err);
  if (!n || sim_check_str(n, member, 1, 63, re, V, err)) return NULL;
  return n;
}

/* ------------------------------------------------------------------ models */

static int check_container(SimWorld *w, const cJSON *c, const char *member, AwsError *err) {
  char m[96];
  const char *img = sim_str(c, "Image");
  if (img) {
    snprintf(m, sizeof m, "%s.image", member);
    if (sim_check_str(img, m, 0, 255, IMAGE_RE, V, err)) return -1;
    const char *mode = sim_str(sim_get(c, "ImageConfig"), "RepositoryAccessMode");
    if (!sim_match(ECR_RE, img) && !(mode && strcmp(mode, "Vpc") == 0))
      return sim_err(err, 400, V, "Using non-ECR image \"%s\" without Vpc repository access mode is not supported.", img);
  }
  const char *url = sim_str(c, "ModelDataUrl");
  if (url) {
    snprintf(m, sizeof m, "%s.modelDataUrl", member);
    if (sim_check_str(url, m, 0, 1024, URL_RE, V, err)) return -1;
  }
  const char *host = sim_str(c, "ContainerHostname");
  if (host) {
    snprintf(m, sizeof m, "%s.containerHostname", member);
    if (sim_check_str(host, m, 0, 63, SIM_SM_NAME_RE, V, err)) return -1;
  }
  const cJSON *env = sim_get(c, "Environment"), *e;
  if (env && !cJSON_IsObject(env))
    return sim_err(err, 400, V, "Environment of %s must be a map of strings.", member);
  if (cJSON_GetArraySize(env) > 100) {
    snprintf(m, sizeof m, "%s.environment", member);
    return sim_err(err, 400, V, "1 validation error detected: Value at '%s' failed to satisfy constraint: "
                                "Member must have length less than or equal to 100", m);
  }
  cJSON_ArrayForEach(e, env) {
    snprintf(m, sizeof m, "%s.environment", member);
    if (sim_check_str(e->string, m, 0, 1024, ENV_KEY_RE, V, err)) return -1;
    if (!cJSON_IsString(e) || sim_check_str(e->valuestring, m, 0, 1024, NULL, V, err)) return -1;
  }
  (void)w;
  return 0;
}

static int op_create_model(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  const char *name = req_name(req, "ModelName", "modelName", MODEL_RE, err);
  if (!name) return -1;
  const char *role = sim_str(req, "ExecutionRoleArn");
  if (role && sim_check_str(role, "executionRoleArn", 20, 2048, ROLE_ARN_RE, V, err)) return -1;
  const cJSON *pc = sim_get(req, "PrimaryContainer"), *cs = sim_get(req, "Containers"), *c;
  if (!pc && cJSON_GetArraySize(cs) == 0)
    return sim_err(err, 400, V, "Either PrimaryContainer or Containers must be specified.");
  if (pc && check_container(w, pc, "primaryContainer", err)) return -1;
  if (cJSON_GetArraySize(cs) > 15)
    return sim_err(err, 400, V, "1 validation error detected: Value at 'containers' failed to satisfy "
                                "constraint: Member must have length less than or equal to 15");
  int i = 0;
  cJSON_ArrayForEach(c, cs) {
    char m[48];
    snprintf(m, sizeof m, "containers.%d.member", ++i);
    if (check_container(w, c, m, err)) return -1;
  }
  if (find_ci(sim_coll(w, "sagemaker", "models"), name)) return exists_err(w, err, "model", "model", name);
  const cJSON *first = pc ? pc : cJSON_GetArrayItem(cs, 0);
  const char *url = sim_str(first, "ModelDataUrl");
  if (role) {
    cJSON *r = sim_iam_role_by_arn(w, role);
    bool ok = r && sim_iam_visible(w, r) && sim_iam_trusts(r, "sagemaker.amazonaws.com");
    if (ok && url && sim_knob("create_model_checks_s3") != 0) {
      const char *p = strstr(url, "://");
      char *res = xasprintf("arn:aws:s3:::%s", p ? p + 3 : url);
      ok = sim_iam_allows(w, r, "s3:GetObject", res);
      free(res);
    }
    if (!ok && url)
      return sim_err(err, 400, V,
                     "Could not access model data at %s. Please ensure that the role \"%s\" exists and that its "
                     "trust relationship policy allows the action \"sts:AssumeRole\" for the service principal "
                     "\"sagemaker.amazonaws.com\". Also ensure that the role has \"s3:GetObject\" permissions and "
                     "that the object is located in %s.",
                     url, role, sim_region(w));
    if (!ok)
      return sim_err(err, 400, V,
                     "Could not assume role %s. Please ensure that the role exists and allows principal "
                     "'sagemaker.amazonaws.com' to assume the role.",
                     role);
  }
  cJSON *m = cJSON_CreateObject();
  if (sim_tags_merge(m, sim_get(req, "Tags"), V, err)) {
    cJSON_Delete(m);
    return -1;
  }
  static const char *const keep[] = {"PrimaryContainer", "Containers", "ExecutionRoleArn", "EnableNetworkIsolation",
                                     "VpcConfig", "InferenceExecutionConfig"};
  for (size_t k = 0; k < sizeof keep / sizeof keep[0]; k++)
    if (sim_get(req, keep[k])) sim_set(m, keep[k], sim_dup(sim_get(req, keep[k])));
  char *arn = sim_sm_arn(w, "model", name);
  char ts[24];
  if (!sim_get(m, "EnableNetworkIsolation")) sim_set_bool(m, "EnableNetworkIsolation", false);
  sim_set_str(m, "ModelName", name);
  sim_set_str(m, "ModelArn", arn);
  sim_set_str(m, "CreationTime", sim_now_iso(w, ts));
  sim_set(sim_coll(w, "sagemaker", "models"), name, m);
  *resp = cJSON_CreateObject();
  sim_set_str(*resp, "ModelArn", arn);
  free(arn);
  return 0;
}

static cJSON *model_req(SimWorld *w, const cJSON *req, AwsError *err) {
  const char *name = sim_req_str(req, "ModelName", "modelName", V, err);
  if (!name) return NULL;
  cJSON *m = sim_get(sim_coll(w, "sagemaker", "models"), name);
  if (!m) not_found(w, err, "model", "model", name);
  return m;
}

static cJSON *public_copy(const cJSON *o) {
  cJSON *c = cJSON_Duplicate(o, 1);
  sim_del(c, "Tags");
  return c;
}

static int op_describe_model(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *m = model_req(w, req, err);
  if (!m) return -1;
  *resp = public_copy(m);
  return 0;
}

static int op_delete_model(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *m = model_req(w, req, err);
  if (!m) return -1;
  sim_del(sim_coll(w, "sagemaker", "models"), m->string);
  (void)resp;
  return 0;
}

/* --------------------------------------------------------- endpoint configs */

/* ml.<family>.<size> from the botocore enum (aws-provider.md §12.3). */
static bool instance_type_ok(const char *t) {
  static const struct {
    const char *families, *sizes;
  } tab[] = {
      {"t2", "medium large xlarge 2xlarge"},
      {"m4", "xlarge 2xlarge 4xlarge 10xlarge 16xlarge"},
      {"m5 m5d r5 r5d", "large xlarge 2xlarge 4xlarge 12xlarge 24xlarge"},
      {"c4", "large xlarge 2xlarge 4xlarge 8xlarge"},
      {"c5 c5d", "large xlarge 2xlarge 4xlarge 9xlarge 18xlarge"},
      {"p2", "xlarge 8xlarge 16xlarge"},
      {"p3", "2xlarge 8xlarge 16xlarge"},
      {"g4dn", "xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge"},
      {"inf1", "xlarge 2xlarge 6xlarge 24xlarge"},
      {"inf2", "xlarge 8xlarge 24xlarge 48xlarge"},
      {"dl1", "24xlarge"},
      {"c6i m6i r6i c6in", "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge"},
      {"g5 g6 g6e", "xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge"},
      {"g7e", "2xlarge 4xlarge 8xlarge 12xlarge 24xlarge 48xlarge"},
      {"c7g m6g m6gd c6g c6gd c6gn r6g r6gd", "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge"},
      {"r7gd", "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge"},
      {"r8g c8g m8g", "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge"},
      {"m7i c7i r7i", "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge"},
      {"p4d p4de", "24xlarge"},
      {"p5", "4xlarge 48xlarge"},
      {"p5e p5en trn2 p6-b200 p6-b300", "48xlarge"},
      {"trn1", "2xlarge 32xlarge"},
      {"trn1n", "32xlarge"},
      {"p6e-gb200", "36xlarge"},
  };
  if (strncmp(t, "ml.", 3) != 0) return false;
  const char *dot = strchr(t + 3, '.');
  if (!dot) return false;
  size_t fl = (size_t)(dot - (t + 3));
  const char *size = dot + 1;
  for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
    bool fam = false;
    for (const char *f = tab[i].families; *f;) {
      size_t n = strcspn(f, " ");
      if (n == fl && strncmp(f, t + 3, n) == 0) fam = true;
      f += n + (f[n] == ' ');
    }
    if (!fam) continue;
    for (const char *s = tab[i].sizes; *s;) {
      size_t n = strcspn(s, " ");
      if (n == strlen(size) && strncmp(s, size, n) == 0) return true;
      s += n + (s[n] == ' ');
    }
  }
  return false;
}

static int check_variant(SimWorld *w, const cJSON *v, int idx, AwsError *err) {
  char m[96];
#define MEMBER(f) (snprintf(m, sizeof m, "productionVariants.%d.member." f, idx), m)
  const char *vn = sim_str(v, "VariantName");
  if (!vn) return sim_check_str("", MEMBER("variantName"), 1, 63, NULL, V, err);
  if (sim_check_str(vn, MEMBER("variantName"), 1, 63, SIM_SM_NAME_RE, V, err)) return -1;
  const char *model = sim_str(v, "ModelName");
  if (model) {
    if (sim_check_str(model, MEMBER("modelName"), 1, 63, MODEL_RE, V, err)) return -1;
    if (!sim_get(sim_coll(w, "sagemaker", "models"), model)) return not_found(w, err, "model", "model", model);
  }
  const cJSON *sc = sim_get(v, "ServerlessConfig");
  const char *it = sim_str(v, "InstanceType");
  if (it && !instance_type_ok(it)) {
    static const char *const one[] = {"ml.t2.medium", "ml.m5.large", "ml.c5.large", "ml.g5.xlarge", "...", NULL};
    return sim_check_enum(it, MEMBER("instanceType"), one, V, err);
  }
  if (!sc) {
    if (!it) return sim_err(err, 400, V, "Instance type must be provided for variant %s.", vn);
    cJSON *ic = sim_get(v, "InitialInstanceCount");
    if (!cJSON_IsNumber(ic)) return sim_err(err, 400, V, "Initial instance count must be provided for variant %s.", vn);
    if (sim_check_range(ic->valuedouble, MEMBER("initialInstanceCount"), 1, 1e9, V, err)) return -1;
  } else {
    double mem = sim_num(sc, "MemorySizeInMB", 0), mc = sim_num(sc, "MaxConcurrency", 0);
    if (sim_check_range(mem, MEMBER("serverlessConfig.memorySizeInMB"), 1024, 6144, V, err) ||
        sim_check_range(mc, MEMBER("serverlessConfig.maxConcurrency"), 1, 200, V, err))
      return -1;
    if (fmod(mem, 1024) != 0) return sim_err(err, 400, V, "MemorySizeInMB must be a multiple of 1024.");
    cJSON *pcn = sim_get(sc, "ProvisionedConcurrency");
    if (pcn && (sim_check_range(pcn->valuedouble, MEMBER("serverlessConfig.provisionedConcurrency"), 1, 200, V, err)))
      return -1;
    if (pcn && pcn->valuedouble > mc)
      return sim_err(err, 400, V, "ProvisionedConcurrency must be less than or equal to MaxConcurrency.");
  }
  if (sim_check_range(sim_num(v, "InitialVariantWeight", 1), MEMBER("initialVariantWeight"), 0, 1e9, V, err)) return -1;
  cJSON *x;
  if ((x = sim_get(v, "VolumeSizeInGB")) && sim_check_range(x->valuedouble, MEMBER("volumeSizeInGB"), 1, 512, V, err))
    return -1;
  if ((x = sim_get(v, "ModelDataDownloadTimeoutInSeconds")) &&
      sim_check_range(x->valuedouble, MEMBER("modelDataDownloadTimeoutInSeconds"), 60, 3600, V, err))
    return -1;
  if ((x = sim_get(v, "ContainerStartupHealthCheckTimeoutInSeconds")) &&
      sim_check_range(x->valuedouble, MEMBER("containerStartupHealthCheckTimeoutInSeconds"), 60, 3600, V, err))
    return -1;
  const char *rs = sim_str(sim_get(v, "RoutingConfig"), "RoutingStrategy");
  static const char *const strategies[] = {"LEAST_OUTSTANDING_REQUESTS", "RANDOM", NULL};
  if (rs && sim_check_enum(rs, MEMBER("routingConfig.routingStrategy"), strategies, V, err)) return -1;
#undef MEMBER
  return 0;
}

static int op_create_endpoint_config(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  const char *name = req_name(req, "EndpointConfigName", "endpointConfigName", SIM_SM_NAME_RE, err);
  if (!name) return -1;
  const cJSON *pvs = sim_get(req, "ProductionVariants"), *v;
  int n = cJSON_GetArraySize(pvs);
  if (!cJSON_IsArray(pvs))
    return sim_err(err, 400, V, "1 validation error detected: Value null at 'productionVariants' failed to "
                                "satisfy constraint: Member must not be null");
  if (n < 1 || n > 10)
    return sim_err(err, 400, V, "1 validation error detected: Value '[]' at 'productionVariants' failed to "
                                "satisfy constraint: Member must have length %s",
                   n < 1 ? "greater than or equal to 1" : "less than or equal to 10");
  int i = 0;
  cJSON_ArrayForEach(v, pvs) if (check_variant(w, v, ++i, err)) return -1;
  /* [OBS] duplicate variant names are rejected */
  cJSON_ArrayForEach(v, pvs) {
    const cJSON *u;
    for (u = v->next; u; u = u->next)
      if (strcmp(sim_str(u, "VariantName"), sim_str(v, "VariantName")) == 0)
        return sim_err(err, 400, V, "The variant name(s) [%s] are not unique.", sim_str(v, "VariantName"));
  }
  const cJSON *shadow = sim_get(req, "ShadowProductionVariants");
  i = 0;
  cJSON_ArrayForEach(v, shadow) if (check_variant(w, v, ++i, err)) return -1;
  const cJSON *dc = sim_get(req, "DataCaptureConfig");
  if (dc && sim_check_range(sim_num(dc, "InitialSamplingPercentage", -1), "dataCaptureConfig.initialSamplingPercentage",
                            0, 100, V, err))
    return -1;
  if (find_ci(sim_coll(w, "sagemaker", "endpoint_configs"), name))
    return exists_err(w, err, "endpoint configuration", "endpoint-config", name);
  cJSON *c = cJSON_CreateObject();
  if (sim_tags_merge(c, sim_get(req, "Tags"), V, err)) {
    cJSON_Delete(c);
    return -1;
  }
  cJSON *pv = sim_dup(pvs), *pe;
  cJSON_ArrayForEach(pe, pv) if (!sim_get(pe, "InitialVariantWeight") && sim_get(pe, "ModelName"))
      sim_set_num(pe, "InitialVariantWeight", 1.0);
  sim_set(c, "ProductionVariants", pv);
  static const char *const keep[] = {"ShadowProductionVariants", "DataCaptureConfig", "AsyncInferenceConfig",
                                     "KmsKeyId", "ExecutionRoleArn", "ExplainerConfig"};
  for (size_t k = 0; k < sizeof keep / sizeof keep[0]; k++)
    if (sim_get(req, keep[k])) sim_set(c, keep[k], sim_dup(sim_get(req, keep[k])));
  char *arn = sim_sm_arn(w, "endpoint-config", name);
  char ts[24];
  sim_set_str(c, "EndpointConfigName", name);
  sim_set_str(c, "EndpointConfigArn", arn);
  sim_set_str(c, "CreationTime", sim_now_iso(w, ts));
  sim_set(sim_coll(w, "sagemaker", "endpoint_configs"), name, c);
  *resp = cJSON_CreateObject();
  sim_set_str(*resp, "EndpointConfigArn", arn);
  free(arn);
  return 0;
}

static cJSON *config_req(SimWorld *w, const cJSON *req, AwsError *err) {
  const char *name = sim_req_str(req, "EndpointConfigName", "endpointConfigName", V, err);
  if (!name) return NULL;
  cJSON *c = sim_get(sim_coll(w, "sagemaker", "endpoint_configs"), name);
  if (!c) not_found(w, err, "endpoint configuration", "endpoint-config", name);
  return c;
}

static int op_describe_endpoint_config(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *c = config_req(w, req, err);
  if (!c) return -1;
  *resp = public_copy(c);
  return 0;
}

static int op_delete_endpoint_config(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  /* [API] deleting a config in use is allowed; the endpoint keeps running and
  ** its next update fails (deploy.c checks the live config still exists) */
  cJSON *c = config_req(w, req, err);
  if (!c) return -1;
  sim_del(sim_coll(w, "sagemaker", "endpoint_configs"), c->string);
  (void)resp;
  return 0;
}

/* ---------------------------------------------------------------- endpoints */

/* Validates DeploymentConfig ranges (sizes relative to the variant are
** checked when an update uses it, in deploy.c). */
static int check_deployment(const cJSON *dc, AwsError *err) {
  if (!dc) return 0;
  static const char *const types[] = {"ALL_AT_ONCE", "CANARY", "LINEAR", NULL};
  static const char *const ctypes[] = {"INSTANCE_COUNT", "CAPACITY_PERCENT", NULL};
  const cJSON *bg = sim_get(dc, "BlueGreenUpdatePolicy"), *ru = sim_get(dc, "RollingUpdatePolicy");
  if (bg && ru)
    return sim_err(err, 400, V, "Only one of BlueGreenUpdatePolicy and RollingUpdatePolicy can be specified.");
  if (bg) {
    const cJSON *tr = sim_get(bg, "TrafficRoutingConfiguration");
    if (!tr)
      return sim_err(err, 400, V, "1 validation error detected: Value null at 'deploymentConfig.blueGreenUpdatePolicy."
                                  "trafficRoutingConfiguration' failed to satisfy constraint: Member must not be null");
    const char *t = sim_req_str(tr, "Type", "deploymentConfig.blueGreenUpdatePolicy.trafficRoutingConfiguration.type", V, err);
    if (!t || sim_check_enum(t, "deploymentConfig.blueGreenUpdatePolicy.trafficRoutingConfiguration.type", types, V, err))
      return -1;
    cJSON *wi = sim_get(tr, "WaitIntervalInSeconds");
    if (!cJSON_IsNumber(wi))
      return sim_err(err, 400, V, "1 validation error detected: Value null at 'deploymentConfig.blueGreenUpdatePolicy."
                                  "trafficRoutingConfiguration.waitIntervalInSeconds' failed to satisfy constraint: "
                                  "Member must not be null");
    if (sim_check_range(wi->valuedouble, "deploymentConfig.blueGreenUpdatePolicy.trafficRoutingConfiguration.waitIntervalInSeconds",
                        0, 3600, V, err))
      return -1;
    const char *sizekey = strcmp(t, "CANARY") == 0 ? "CanarySize" : strcmp(t, "LINEAR") == 0 ? "LinearStepSize" : NULL;
    if (sizekey) {
      const cJSON *sz = sim_get(tr, sizekey);
      if (!sz) return sim_err(err, 400, V, "%s must be specified when the traffic routing type is %s.", sizekey, t);
      const char *st = sim_str(sz, "Type");
      if (!st || sim_check_enum(st, "capacitySize.type", ctypes, V, err)) return st ? -1 : sim_err(err, 400, V, "%s.Type must be specified.", sizekey);
      if (sim_check_range(sim_num(sz, "Value", 0), "capacitySize.value", 1, 1e9, V, err)) return -1;
    }
    cJSON *tw = sim_get(bg, "TerminationWaitInSeconds");
    if (tw && sim_check_range(tw->valuedouble, "deploymentConfig.blueGreenUpdatePolicy.terminationWaitInSeconds", 0, 3600, V, err))
      return -1;
    cJSON *met = sim_get(bg, "MaximumExecutionTimeoutInSeconds");
    if (met && sim_check_range(met->valuedouble, "deploymentConfig.blueGreenUpdatePolicy.maximumExecutionTimeoutInSeconds",
                               600, 28800, V, err))
      return -1;
  }
  if (ru) {
    const cJSON *mb = sim_get(ru, "MaximumBatchSize");
    if (!mb)
      return sim_err(err, 400, V, "1 validation error detected: Value null at 'deploymentConfig.rollingUpdatePolicy."
                                  "maximumBatchSize' failed to satisfy constraint: Member must not be null");
    const char *st = sim_str(mb, "Type");
    if (!st || sim_check_enum(st, "deploymentConfig.rollingUpdatePolicy.maximumBatchSize.type", ctypes, V, err))
      return st ? -1 : sim_err(err, 400, V, "MaximumBatchSize.Type must be specified.");
    if (sim_check_range(sim_num(mb, "Value", 0), "deploymentConfig.rollingUpdatePolicy.maximumBatchSize.value", 1, 1e9, V, err))
      return -1;
    cJSON *wi = sim_get(ru, "WaitIntervalInSeconds");
    if (!cJSON_IsNumber(wi))
      return sim_err(err, 400, V, "1 validation error detected: Value null at 'deploymentConfig.rollingUpdatePolicy."
                                  "waitIntervalInSeconds' failed to satisfy constraint: Member must not be null");
    if (sim_check_range(wi->valuedouble, "deploymentConfig.rollingUpdatePolicy.waitIntervalInSeconds", 0, 3600, V, err))
      return -1;
    cJSON *met = sim_get(ru, "MaximumExecutionTimeoutInSeconds");
    if (met && sim_check_range(met->valuedouble, "deploymentConfig.rollingUpdatePolicy.maximumExecutionTimeoutInSeconds",
                               600, 28800, V, err))
      return -1;
  }
  const cJSON *alarms = sim_get(sim_get(dc, "AutoRollbackConfiguration"), "Alarms"), *a;
  if (alarms) {
    int n = cJSON_GetArraySize(alarms);
    if (n < 1 || n > 10)
      return sim_err(err, 400, V, "1 validation error detected: Value at 'deploymentConfig.autoRollbackConfiguration.alarms' "
                                  "failed to satisfy constraint: Member must have length %s",
                     n < 1 ? "greater than or equal to 1" : "less than or equal to 10");
    cJSON_ArrayForEach(a, alarms) {
      const char *an = sim_str(a, "AlarmName");
      if (!an || sim_check_str(an, "deploymentConfig.autoRollbackConfiguration.alarms.member.alarmName", 1, 255,
                               "(?s).*\\S.*", V, err))
        return an ? -1 : sim_err(err, 400, V, "AlarmName must be specified.");
    }
  }
  return 0;
}

static int op_create_endpoint(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  const char *name = req_name(req, "EndpointName", "endpointName", SIM_SM_NAME_RE, err);
  if (!name) return -1;
  const char *cname = req_name(req, "EndpointConfigName", "endpointConfigName", SIM_SM_NAME_RE, err);
  if (!cname) return -1;
  const cJSON *dc = sim_get(req, "DeploymentConfig");
  if (check_deployment(dc, err)) return -1;
  if (find_ci(sim_coll(w, "sagemaker", "endpoints"), name)) return exists_err(w, err, "endpoint", "endpoint", name);
  cJSON *cfg = sim_get(sim_coll(w, "sagemaker", "endpoint_configs"), cname);
  if (!cfg) return not_found(w, err, "endpoint configuration", "endpoint-config", cname);
  cJSON *ep = cJSON_CreateObject();
  if (sim_tags_merge(ep, sim_get(req, "Tags"), V, err)) {
    cJSON_Delete(ep);
    return -1;
  }
  char *arn = sim_sm_arn(w, "endpoint", name);
  char ts[24];
  sim_set_str(ep, "EndpointName", name);
  sim_set_str(ep, "EndpointArn", arn);
  sim_set_str(ep, "EndpointConfigName", cname);
  sim_set_str(ep, "CreationTime", sim_now_iso(w, ts));
  sim_set_str(ep, "LastModifiedTime", ts);
  if (dc) sim_set(ep, "LastDeploymentConfig", sim_dup(dc));
  sim_set(sim_coll(w, "sagemaker", "endpoints"), name, ep);
  sim_deploy_create(w, ep, cfg);
  *resp = cJSON_CreateObject();
  sim_set_str(*resp, "EndpointArn", arn);
  free(arn);
  return 0;
}

static cJSON *endpoint_req(SimWorld *w, const cJSON *req, AwsError *err) {
  const char *name = sim_req_str(req, "EndpointName", "endpointName", V, err);
  if (!name) return NULL;
  cJSON *ep = sim_sm_endpoint(w, name);
  /* AWS names the ARN here (observed in DeleteEndpoint output), not the bare name */
  if (!ep) not_found(w, err, "endpoint", "endpoint", name);
  return ep;
}

/* A fleet variant as DescribeEndpoint shows it. */
static cJSON *variant_out(const cJSON *v, bool pending) {
  cJSON *o = cJSON_CreateObject();
  sim_set_str(o, "VariantName", sim_str(v, "VariantName"));
  cJSON *imgs = cJSON_CreateArray();
  if (sim_str(v, "Image")) {
    cJSON *d = cJSON_CreateObject();
    sim_set_str(d, "SpecifiedImage", sim_str(v, "Image"));
    sim_set_str(d, "ResolvedImage", sim_str(v, "ResolvedImage"));
    sim_set_str(d, "ResolutionTime", sim_str(v, "ResolutionTime"));
    cJSON_AddItemToArray(imgs, d);
  }
  sim_set(o, "DeployedImages", imgs);
  static const char *const nums[] = {"CurrentWeight", "DesiredWeight", "CurrentInstanceCount", "DesiredInstanceCount"};
  for (size_t i = 0; i < 4; i++)
    if (sim_get(v, nums[i])) sim_set(o, nums[i], sim_dup(sim_get(v, nums[i])));
  if (sim_get(v, "ServerlessConfig")) {
    sim_set(o, "CurrentServerlessConfig", sim_dup(sim_get(v, "ServerlessConfig")));
    sim_set(o, "DesiredServerlessConfig", sim_dup(sim_get(v, "ServerlessConfig")));
  }
  if (pending && sim_str(v, "InstanceType")) sim_set_str(o, "InstanceType", sim_str(v, "InstanceType"));
  if (sim_get(v, "VariantStatus")) sim_set(o, "VariantStatus", sim_dup(sim_get(v, "VariantStatus")));
  return o;
}

static int op_describe_endpoint(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *ep = endpoint_req(w, req, err);
  if (!ep) return -1;
  cJSON *o = cJSON_CreateObject();
  static const char *const keys[] = {"EndpointName", "EndpointArn", "EndpointConfigName", "EndpointStatus",
                                     "FailureReason", "CreationTime", "LastModifiedTime", "LastDeploymentConfig"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    if (sim_get(ep, keys[i])) sim_set(o, keys[i], sim_dup(sim_get(ep, keys[i])));
  const cJSON *v, *fleet = sim_get(ep, "Variants");
  if (fleet) {
    cJSON *pv = sim_arr(o, "ProductionVariants");
    cJSON_ArrayForEach(v, fleet) cJSON_AddItemToArray(pv, variant_out(v, false));
  }
  const cJSON *op = sim_get(ep, "Op");
  const cJSON *green = sim_get(op, "Green");
  if (green) {
    cJSON *pds = sim_obj(o, "PendingDeploymentSummary");
    sim_set_str(pds, "EndpointConfigName", sim_str(op, "Config"));
    sim_set_str(pds, "StartTime", sim_str(op, "StartTime"));
    cJSON *pv = sim_arr(pds, "ProductionVariants");
    cJSON_ArrayForEach(v, green) cJSON_AddItemToArray(pv, variant_out(v, true));
  }
  cJSON *dcc = sim_get(ep, "DataCaptureConfig");
  if (dcc) sim_set(o, "DataCaptureConfig", sim_dup(dcc));
  *resp = o;
  return 0;
}

static int op_update_endpoint(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *ep = endpoint_req(w, req, err);
  if (!ep) return -1;
  const char *cname = req_name(req, "EndpointConfigName", "endpointConfigName", SIM_SM_NAME_RE, err);
  if (!cname) return -1;
  const cJSON *dc = sim_get(req, "DeploymentConfig");
  if (check_deployment(dc, err)) return -1;
  cJSON *cfg = sim_get(sim_coll(w, "sagemaker", "endpoint_configs"), cname);
  if (!cfg) return not_found(w, err, "endpoint configuration", "endpoint-config", cname);
  if (sim_deploy_update(w, ep, cfg, req, err)) return -1;
  *resp = cJSON_CreateObject();
  sim_set_str(*resp, "EndpointArn", sim_str(ep, "EndpointArn"));
  return 0;
}

static int op_update_weights(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *ep = endpoint_req(w, req, err);
  if (!ep) return -1;
  if (strcmp(sim_str(ep, "EndpointStatus"), "InService") != 0)
    return sim_err(err, 400, V, "Cannot update in-progress endpoint \"%s\".", sim_str(ep, "EndpointArn"));
  const cJSON *dvc = sim_get(req, "DesiredVariantConfigs"), *d;
  if (cJSON_GetArraySize(dvc) < 1)
    return sim_err(err, 400, V, "1 validation error detected: Value null at 'desiredVariantConfigs' failed to "
                                "satisfy constraint: Member must not be null");
  cJSON_ArrayForEach(d, dvc) {
    const char *vn = sim_str(d, "VariantName");
    cJSON *v, *found = NULL;
    cJSON_ArrayForEach(v, sim_get(ep, "Variants")) if (vn && strcmp(sim_str(v, "VariantName"), vn) == 0) found = v;
    if (!found) return sim_err(err, 400, V, "The variant %s does not exist in endpoint %s.", vn ? vn : "null", sim_str(ep, "EndpointName"));
    cJSON *dw = sim_get(d, "DesiredWeight");
    if (dw) sim_set_num(found, "DesiredWeight", dw->valuedouble);
    if (dw) sim_set_num(found, "CurrentWeight", dw->valuedouble);
    cJSON *dic = sim_get(d, "DesiredInstanceCount");
    if (cJSON_IsNumber(dic)) {
      if (sim_check_range(dic->valuedouble, "desiredVariantConfigs.member.desiredInstanceCount", 0, 1e9, V, err)) return -1;
      if (sim_deploy_scale(w, ep, vn, (int)dic->valuedouble, NULL, err)) return -1;
    }
  }
  *resp = cJSON_CreateObject();
  sim_set_str(*resp, "EndpointArn", sim_str(ep, "EndpointArn"));
  return 0;
}

static int op_delete_endpoint(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *ep = endpoint_req(w, req, err);
  if (!ep) return -1;
  const char *st = sim_str(ep, "EndpointStatus");
  if (strcmp(st, "InService") != 0 && strcmp(st, "Failed") != 0 && strcmp(st, "OutOfService") != 0 &&
      strcmp(st, "UpdateRollbackFailed") != 0)
    return sim_err(err, 400, V, "Cannot update in-progress endpoint \"%s\".", sim_str(ep, "EndpointArn"));
  sim_deploy_delete(w, ep);
  (void)resp;
  return 0;
}

static int op_list_endpoints(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  (void)req;
  (void)err;
  *resp = cJSON_CreateObject();
  cJSON *out = sim_arr(*resp, "Endpoints"), *ep;
  cJSON_ArrayForEach(ep, sim_coll(w, "sagemaker", "endpoints")) {
    cJSON *s = cJSON_CreateObject();
    static const char *const keys[] = {"EndpointName", "EndpointArn", "CreationTime", "LastModifiedTime", "EndpointStatus"};
    for (size_t i = 0; i < 5; i++) sim_set(s, keys[i], sim_dup(sim_get(ep, keys[i])));
    cJSON_AddItemToArray(out, s);
  }
  return 0;
}

/* ---------------------------------------------------------------- tags */

static cJSON *by_arn(SimWorld *w, const char *arn) {
  static const char *const kinds[][2] = {{"model", "models"}, {"endpoint-config", "endpoint_configs"}, {"endpoint", "endpoints"}};
  for (size_t i = 0; i < 3; i++) {
    cJSON *o;
    cJSON_ArrayForEach(o, sim_coll(w, "sagemaker", kinds[i][1])) {
      char *a = sim_sm_arn(w, kinds[i][0], o->string);
      bool eq = strcmp(a, arn) == 0;
      free(a);
      if (eq) return o;
    }
  }
  return NULL;
}

static cJSON *tag_target(SimWorld *w, const cJSON *req, AwsError *err) {
  const char *arn = sim_req_str(req, "ResourceArn", "resourceArn", V, err);
  if (!arn) return NULL;
  cJSON *o = by_arn(w, arn);
  if (!o) sim_err(err, 400, V, "Could not find resource \"%s\".", arn);
  return o;
}

static int op_add_tags(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *o = tag_target(w, req, err);
  if (!o || sim_tags_merge(o, sim_get(req, "Tags"), V, err)) return -1;
  *resp = cJSON_CreateObject();
  sim_set(*resp, "Tags", sim_dup(sim_get(req, "Tags")));
  return 0;
}

static int op_delete_tags(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *o = tag_target(w, req, err);
  if (!o) return -1;
  sim_tags_remove(o, sim_get(req, "TagKeys"));
  (void)resp;
  return 0;
}

static int op_list_tags(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *o = tag_target(w, req, err);
  if (!o) return -1;
  *resp = cJSON_CreateObject();
  sim_set(*resp, "Tags", sim_get(o, "Tags") ? sim_dup(sim_get(o, "Tags")) : cJSON_CreateArray());
  return 0;
}

static const SimOp sm_ops[] = {
    {"CreateModel", op_create_model, true},
    {"DescribeModel", op_describe_model, false},
    {"DeleteModel", op_delete_model, true},
    {"CreateEndpointConfig", op_create_endpoint_config, true},
    {"DescribeEndpointConfig", op_describe_endpoint_config, false},
    {"DeleteEndpointConfig", op_delete_endpoint_config, true},
    {"CreateEndpoint", op_create_endpoint, true},
    {"DescribeEndpoint", op_describe_endpoint, false},
    {"UpdateEndpoint", op_update_endpoint, true},
    {"UpdateEndpointWeightsAndCapacities", op_update_weights, true},
    {"DeleteEndpoint", op_delete_endpoint, true},
    {"ListEndpoints", op_list_endpoints, false},
    {"AddTags", op_add_tags, true},
    {"DeleteTags", op_delete_tags, true},
    {"ListTags", op_list_tags, false},
};
const SimService sim_svc_sagemaker = {"sagemaker", sm_ops, sizeof sm_ops / sizeof sm_ops[0]};

/* ---------------------------------------------------------------- runtime */

static int op_invoke(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  const char *name = sim_req_str(req, "EndpointName", "endpointName", "ValidationError", err);
  if (!name) return -1;
  const char *body = sim_str(req, "Body");
  if (!body) body = "";
  cJSON *ep = sim_sm_endpoint(w, name);
  const char *st = ep ? sim_str(ep, "EndpointStatus") : NULL;
  /* [INF] §6: only endpoints that serve traffic are found by the runtime */
  if (!ep || !sim_get(ep, "Variants") || !st || strcmp(st, "Creating") == 0 || strcmp(st, "Failed") == 0 ||
      strcmp(st, "Deleting") == 0)
    return sim_err(err, 400, "ValidationError", "Endpoint %s of account %s not found.", name, sim_account(w));
  if (strlen(body) > 6291456)
    return sim_err(err, 413, "ValidationError", "Request body exceeds the 6 MiB limit.");
  /* routing: TargetVariant, else by weight */
  const char *target = sim_str(req, "TargetVariant");
  const cJSON *v, *chosen = NULL;
  double total = 0;
  cJSON_ArrayForEach(v, sim_get(ep, "Variants")) total += sim_num(v, "CurrentWeight", 1);
  double pick = sim_rand01(w) * total;
  cJSON_ArrayForEach(v, sim_get(ep, "Variants")) {
    const char *vn = sim_str(v, "VariantName");
    if (target) {
      if (strcmp(vn, target) == 0) chosen = v;
    } else if (!chosen) {
      pick -= sim_num(v, "CurrentWeight", 1);
      if (pick < 0) chosen = v;
    }
  }
  if (!chosen && !target) chosen = cJSON_GetArrayItem(sim_get(ep, "Variants"), 0);
  if (!chosen)
    return sim_err(err, 400, "ValidationError", "Invalid TargetVariant %s for endpoint %s.", target, name);
  const char *vn = sim_str(chosen, "VariantName");
  SimFleet fl[2];
  int nf = sim_deploy_fleets(w, ep, vn, fl);
  int f = nf > 1 && sim_rand01(w) < fl[1].share ? 1 : 0;
  double rate = sim_fault_rate(w, fl[f].image);
  bool fail = sim_rand01(w) < rate;
  long long t = sim_now(w);
  double lat = sim_knob("model_latency_ms") * 1000;
  cJSON *dims = sim_cw_dims("EndpointName", name, "VariantName", vn, NULL);
  sim_cw_put(w, "AWS/SageMaker", "Invocations", dims, t, 1, 1, 1, 1);
  sim_cw_put(w, "AWS/SageMaker", "InvocationsPerInstance", dims, t, 1.0 / (fl[f].instances ? fl[f].instances : 1), 1, 0, 1);
  sim_cw_put(w, "AWS/SageMaker", "Invocation5XXErrors", dims, t, fail, 1, fail, fail);
  sim_cw_put(w, "AWS/SageMaker", "Invocation4XXErrors", dims, t, 0, 1, 0, 0);
  sim_cw_put(w, "AWS/SageMaker", "ModelLatency", dims, t, lat, 1, lat, lat);
  cJSON_Delete(dims);
  sim_set_bool(ep, "HasTraffic", true);
  w->dirty = true;
  if (fail)
    return sim_err(err, 424, "ModelError",
                   "Received server error (500) from primary with message \"Internal Server Error\". See "
                   "https://%s.console.aws.amazon.com/cloudwatch/home?region=%s#logEventViewer:group=/aws/sagemaker/"
                   "Endpoints/%s in account %s for more information.",
                   sim_region(w), sim_region(w), name, sim_account(w));
  /* a deterministic answer: the same body to the same image answers the same */
  char hash[65];
  char *key = xasprintf("%s\n%s", fl[f].image ? fl[f].image : "", body);
  sim_sha256_hex(key, strlen(key), hash);
  free(key);
  unsigned long long h = 0;
  sscanf(hash, "%12llx", &h);
  cJSON *ans = cJSON_CreateObject();
  sim_set_num(ans, "prediction", (double)(h % 10000) / 10000.0);
  sim_set_str(ans, "variant", vn);
  sim_set_str(ans, "image", fl[f].image ? fl[f].image : "");
  sim_set_str(ans, "config", fl[f].config ? fl[f].config : "");
  char *text = cJSON_PrintUnformatted(ans);
  cJSON_Delete(ans);
  *resp = cJSON_CreateObject();
  sim_set_str(*resp, "Body", text);
  free(text);
  sim_set_str(*resp, "ContentType", "application/json");
  sim_set_str(*resp, "InvokedProductionVariant", vn);
  return 0;
}

static const SimOp rt_ops[] = {{"InvokeEndpoint", op_invoke, true}};
const SimService sim_svc_runtime = {"sagemaker-runtime", rt_ops, 1};
