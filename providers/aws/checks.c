/*
** providers/aws/checks.c — deployment checks Terraform cannot make.
**
** Each check looks at one module's decoded resources and warns only when
** the configuration and the known values make AWS's answer certain: what
** AWS will do, why, and how to fix it. Unknown values never produce a
** warning. The facts each check relies on are cited from tfc's AWS fact
** sheets (aws-behaviour.md, aws-provider.md in the project's reference).
*/
#include "base/util.h"
#include "providers/aws/aws.h"
#include "providers/provider.h"

#include <stdlib.h>
#include <string.h>

/* ---- reading decoded values ---- */

static const Value *attr(const Value *obj, const char *name) {
  if (!obj || !val_is_known(obj) || val_is_null(obj) || val_kind(obj) != TY_OBJECT) return NULL;
  long i = type_attr_index(val_type(obj), name);
  if (i < 0) return NULL;
  const Value *v = val_elems(obj)[i];
  return v;
}

/* A known, non-null string attribute, or NULL. */
static const char *str(const Value *obj, const char *name) {
  const Value *v = attr(obj, name);
  if (!v || !val_is_known(v) || val_is_null(v) || val_kind(v) != TY_STRING) return NULL;
  return val_str(v);
}

static bool num(const Value *obj, const char *name, double *out) {
  const Value *v = attr(obj, name);
  if (!v || !val_is_known(v) || val_is_null(v) || val_kind(v) != TY_NUMBER) return false;
  *out = val_get_double(v);
  return true;
}

/* Configured (non-null) — known or not. */
static bool configured(const Value *obj, const char *name) {
  const Value *v = attr(obj, name);
  return v && (!val_is_known(v) || !val_is_null(v));
}

/* The first element of a nested block list, or NULL. */
static const Value *first(const Value *obj, const char *block) {
  const Value *l = attr(obj, block);
  if (!l || !val_is_known(l) || val_is_null(l) || val_len(l) == 0) return NULL;
  return val_elems(l)[0];
}

static CheckResource *find_by_name(CheckResource *v, size_t n, const char *type, const char *name_attr,
                                   const char *name) {
  for (size_t i = 0; i < n; i++) {
    if (!v[i].managed || strcmp(v[i].type, type) != 0) continue;
    const char *s = str(v[i].config, name_attr);
    if (s && strcmp(s, name) == 0) return &v[i];
  }
  return NULL;
}

/* The one resource of type among r's dependencies, when there is exactly
** one: what an attribute whose value is not known yet must refer to. */
static CheckResource *only_dep(CheckResource *v, const CheckResource *r, const char *type) {
  CheckResource *found = NULL;
  for (size_t i = 0; i < r->ndeps; i++) {
    CheckResource *d = &v[r->deps[i]];
    if (!d->managed || strcmp(d->type, type) != 0) continue;
    if (found && found != d) return NULL;
    found = d;
  }
  return found;
}

/* The endpoint configuration an endpoint uses: by name when it is known,
** otherwise the one configuration the endpoint refers to (a generated
** name_prefix name is known only after apply). */
static CheckResource *endpoint_config(CheckResource *v, size_t n, const CheckResource *ep) {
  const char *cn = str(ep->config, "endpoint_config_name");
  if (cn) return find_by_name(v, n, "aws_sagemaker_endpoint_configuration", "name", cn);
  return only_dep(v, ep, "aws_sagemaker_endpoint_configuration");
}

/* The variant named vn of an endpoint configuration, with its index. */
static const Value *variant(const CheckResource *cfg, const char *vn, size_t *index) {
  const Value *l = attr(cfg->config, "production_variants");
  if (!l || !val_is_known(l) || val_is_null(l)) return NULL;
  for (size_t i = 0; i < val_len(l); i++) {
    const char *name = str(val_elems(l)[i], "variant_name");
    if (name && strcmp(name, vn) == 0) {
      *index = i;
      return val_elems(l)[i];
    }
  }
  return NULL;
}

static bool burstable(const char *type) {
  static const char *const families[] = {"ml.t2.", "ml.t3.", "ml.t3a.", "ml.t4g."};
  for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
    if (strncmp(type, families[i], strlen(families[i])) == 0) return true;
  return false;
}

/* Follows an autoscaling target to the endpoint configuration variant it
** scales: resource_id "endpoint/E/variant/V" -> endpoint named E -> its
** endpoint_config_name -> configuration -> variant V. */
typedef struct Scaled {
  CheckResource *endpoint, *config;
  const Value *variant;
  size_t variant_index;
  char *endpoint_name, *variant_name;
} Scaled;

static bool follow_target(CheckResource *v, size_t n, const CheckResource *t, Scaled *out) {
  memset(out, 0, sizeof *out);
  const char *ns = str(t->config, "service_namespace"), *dim = str(t->config, "scalable_dimension");
  const char *rid = str(t->config, "resource_id");
  if (!ns || !dim || !rid || strcmp(ns, "sagemaker") != 0 || strcmp(dim, "sagemaker:variant:DesiredInstanceCount") != 0)
    return false;
  if (strncmp(rid, "endpoint/", 9) != 0) return false;
  const char *sep = strstr(rid + 9, "/variant/");
  if (!sep) return false;
  out->endpoint_name = xstrndup(rid + 9, (size_t)(sep - rid - 9));
  out->variant_name = xstrdup(sep + 9);
  out->endpoint = find_by_name(v, n, "aws_sagemaker_endpoint", "name", out->endpoint_name);
  out->config = out->endpoint ? endpoint_config(v, n, out->endpoint) : NULL;
  out->variant = out->config ? variant(out->config, out->variant_name, &out->variant_index) : NULL;
  if (out->variant) return true;
  free(out->endpoint_name);
  free(out->variant_name);
  return false;
}

/* ---- the checks ---- */

/* Application Auto Scaling refuses burstable SageMaker instances
** [aws-behaviour.md §3.1]. */
static void check_burstable_target(CheckResource *v, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (!v[i].managed || strcmp(v[i].type, "aws_appautoscaling_target") != 0) continue;
    Scaled s;
    if (!follow_target(v, n, &v[i], &s)) continue;
    const char *it = str(s.variant, "instance_type");
    if (it && burstable(it)) {
      prov_diag(&v[i].diags, DIAG_WARNING, "resource_id", "Autoscaling target on a burstable instance type",
                "Variant \"%s\" of endpoint \"%s\" runs on %s (production_variants[%zu].instance_type of %s), a "
                "burstable instance type. Application Auto Scaling rejects scalable targets on burstable SageMaker "
                "instances, so RegisterScalableTarget will fail with a ValidationException when %s is created, and "
                "the apply stops there with the endpoint running but not autoscaled.\n\n"
                "Use a non-burstable instance type (for example ml.c5.large or ml.m5.large) for this environment, or "
                "create the autoscaling target and policy only when the instance type is not burstable, e.g. with "
                "count = startswith(var.model_config.instance_type, \"ml.t\") ? 0 : 1.\n\n"
                "Source: aws-behaviour.md §3.1 (Register validations: burstable instance types are rejected).",
                s.variant_name, s.endpoint_name, it, s.variant_index, s.config->address, v[i].address);
    }
    free(s.endpoint_name);
    free(s.variant_name);
  }
}

/* SageMaker models and endpoint configurations are immutable and their
** names unique: replacing one create-before-destroy under the same name
** fails [aws-behaviour.md §1.7 item 3, aws-provider.md §14.1 item 2]. */
static void check_cbd_fixed_names(CheckResource *v, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (!v[i].managed || !v[i].create_before_destroy) continue;
    const char *what, *api;
    if (strcmp(v[i].type, "aws_sagemaker_endpoint_configuration") == 0) {
      what = "endpoint configuration";
      api = "CreateEndpointConfig";
    } else if (strcmp(v[i].type, "aws_sagemaker_model") == 0) {
      what = "model";
      api = "CreateModel";
    } else {
      continue;
    }
    if (!configured(v[i].config, "name") || configured(v[i].config, "name_prefix")) continue;
    const char *name = str(v[i].config, "name");
    char *why = v[i].cbd_cause
                    ? xasprintf("%s is replaced create-before-destroy: Terraform gives it create_before_destroy "
                                "implicitly because %s depends on it and has create_before_destroy = true",
                                v[i].address, v[i].cbd_cause)
                    : xasprintf("%s has create_before_destroy = true", v[i].address);
    prov_diag(&v[i].diags, DIAG_WARNING, "name", "Replacement will collide with the existing name",
              "%s and a fixed name%s%s%s. A SageMaker %s cannot be changed in place, so any change to it replaces it, "
              "and the replacement is created before the old one is deleted, under the same name. %s then fails with "
              "\"Cannot create already existing %s\" and the apply stops.\n\n"
              "Let the name change with the content: use name_prefix instead of name (the provider appends a unique "
              "suffix), or include a version in the name. %s\n\n"
              "Source: aws-behaviour.md §1.7 (configs and models are immutable), aws-provider.md §14.1 item 2.",
              why, name ? " (\"" : "", name ? name : "", name ? "\")" : "", what, api, what,
              v[i].cbd_cause ? "Alternatively remove create_before_destroy from the resource that implies it."
                             : "Alternatively remove create_before_destroy.");
    free(why);
  }
}

/* An endpoint follows its configuration only when endpoint_config_name
** changes; a replacement under the same name changes nothing
** [aws-provider.md §14.1 item 2, aws-behaviour.md §1.7 item 4]. */
static void check_endpoint_follows_config(CheckResource *v, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (!v[i].managed || strcmp(v[i].type, "aws_sagemaker_endpoint") != 0) continue;
    const char *cn = str(v[i].config, "endpoint_config_name");
    if (!cn) continue;
    CheckResource *cfg = find_by_name(v, n, "aws_sagemaker_endpoint_configuration", "name", cn);
    if (!cfg || configured(cfg->config, "name_prefix")) continue;
    prov_diag(&v[i].diags, DIAG_WARNING, "endpoint_config_name",
              "Endpoint will not follow a replaced endpoint configuration",
              "%s has the fixed name \"%s\". An endpoint configuration cannot be changed in place, so a new model, "
              "instance type or variant setting replaces it with a new configuration of the same name. This "
              "endpoint's endpoint_config_name stays \"%s\", Terraform plans no change for %s, and UpdateEndpoint is "
              "never called: the endpoint keeps serving the old fleet, while its configuration was deleted and "
              "recreated underneath it (a later update then fails with \"Could not find endpoint configuration\").\n\n"
              "Give the configuration a name that changes with its content, e.g. name_prefix = \"...-\" together "
              "with create_before_destroy = true, so that each change creates a new configuration and the endpoint "
              "performs a blue/green update to it.\n\n"
              "Source: aws-provider.md §14.1 item 2, aws-behaviour.md §1.7 item 4.",
              cfg->address, cn, cn, v[i].address);
  }
}

/* Canary at most 50% of the variant's instances, linear steps 10-50%
** [aws-behaviour.md §2.1]. The largest fleet the variant can have counts:
** its initial count, or an autoscaling target's max_capacity when that
** target can be registered. */
static void check_traffic_steps(CheckResource *v, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (!v[i].managed || strcmp(v[i].type, "aws_sagemaker_endpoint") != 0) continue;
    const Value *trc = first(first(first(v[i].config, "deployment_config"), "blue_green_update_policy"),
                             "traffic_routing_configuration");
    const char *type = str(trc, "type");
    if (!type || (strcmp(type, "CANARY") != 0 && strcmp(type, "LINEAR") != 0)) continue;
    bool canary = strcmp(type, "CANARY") == 0;
    const char *blk = canary ? "canary_size" : "linear_step_size";
    const Value *size = first(trc, blk);
    const char *stype = str(size, "type");
    double sval;
    if (!stype || !num(size, "value", &sval)) continue;
    const char *en = str(v[i].config, "name");
    CheckResource *cfg = endpoint_config(v, n, &v[i]);
    const Value *vl = cfg ? attr(cfg->config, "production_variants") : NULL;
    if (!vl || !val_is_known(vl) || val_is_null(vl)) continue;
    for (size_t k = 0; k < val_len(vl); k++) {
      const Value *var = val_elems(vl)[k];
      const char *vn = str(var, "variant_name");
      double count;
      if (!vn || !num(var, "initial_instance_count", &count) || count < 1) continue;
      /* can autoscaling grow this variant? */
      double most = count;
      bool unsure = false;
      for (size_t t = 0; t < n; t++) {
        if (!v[t].managed || strcmp(v[t].type, "aws_appautoscaling_target") != 0) continue;
        Scaled s;
        if (!follow_target(v, n, &v[t], &s)) {
          const char *rid = str(v[t].config, "resource_id");
          if (!rid) unsure = true; /* a target we cannot follow might scale this variant */
          continue;
        }
        bool same = s.endpoint == &v[i] && strcmp(s.variant_name, vn) == 0;
        const char *it = str(s.variant, "instance_type");
        double mx;
        if (same && it && !burstable(it)) {
          if (num(v[t].config, "max_capacity", &mx) && mx > most) most = mx;
          else if (!num(v[t].config, "max_capacity", &mx)) unsure = true;
        }
        free(s.endpoint_name);
        free(s.variant_name);
      }
      if (unsure) continue;
      double pct_most = strcmp(stype, "CAPACITY_PERCENT") == 0 ? sval : sval * 100.0 / most;
      double pct_least = strcmp(stype, "CAPACITY_PERCENT") == 0 ? sval : sval * 100.0 / count;
      bool bad = canary ? pct_most > 50.0 : (pct_least < 10.0 && pct_most < 10.0) || pct_most > 50.0;
      if (!bad) continue;
      char *path = xasprintf("deployment_config[0].blue_green_update_policy[0].traffic_routing_configuration[0].%s[0].value",
                             blk);
      if (canary)
        prov_diag(&v[i].diags, DIAG_WARNING, path, "Canary larger than half of the fleet",
                  "The canary of %g %s is %.0f%% of variant \"%s\" of endpoint \"%s\", which has %g instance(s)%s. "
                  "SageMaker requires a canary of at most 50%% of the variant's instance count, so every blue/green "
                  "update of this endpoint will be rejected with a ValidationException (creating it still works: a "
                  "deployment configuration is only used by updates).\n\n"
                  "Run at least %g instances, or use type = \"ALL_AT_ONCE\" where the fleet is this small.\n\n"
                  "Source: aws-behaviour.md §2.1 (canary ≤ 50 %% of the variant's instance count).",
                  sval, strcmp(stype, "CAPACITY_PERCENT") == 0 ? "percent" : "instance(s)", pct_most, vn,
                  en ? en : "?", most, most > count ? " at most, with autoscaling" : "", sval * 2);
      else
        prov_diag(&v[i].diags, DIAG_WARNING, path, "Linear step outside 10-50% of the fleet",
                  "The linear step of %g %s is %.0f%% of variant \"%s\" of endpoint \"%s\" (%g instance(s)). "
                  "SageMaker requires each linear step to be between 10%% and 50%% of the variant's instance count, "
                  "so every blue/green update of this endpoint will be rejected with a ValidationException.\n\n"
                  "Choose a step of 10-50%% of the fleet, or use type = \"CANARY\" or \"ALL_AT_ONCE\".\n\n"
                  "Source: aws-behaviour.md §2.1 (linear step 10–50 %%).",
                  sval, strcmp(stype, "CAPACITY_PERCENT") == 0 ? "percent" : "instance(s)", pct_most, vn,
                  en ? en : "?", most);
      free(path);
    }
  }
}

void aws_check_config(CheckResource *v, size_t n) {
  check_burstable_target(v, n);
  check_cbd_fixed_names(v, n);
  check_endpoint_follows_config(v, n);
  check_traffic_steps(v, n);
}
