/*
** providers/sim/status.c — the text `tfc sim status` prints: every object,
** endpoint status with variants and instance counts, alarm states, recent
** scaling activities, deployment events and SNS notifications.
*/
#include "providers/sim/sim_int.h"

#include <string.h>

static int count(const cJSON *o) { return cJSON_GetArraySize(o); }

static void variant_line(Buf *b, const cJSON *v, const char *indent) {
  buf_printf(b, "%s%-16s %-14s instances %d/%d  weight %g/%g  image %s\n", indent, sim_str(v, "VariantName"),
             sim_str(v, "InstanceType") ? sim_str(v, "InstanceType") : "serverless",
             (int)sim_num(v, "CurrentInstanceCount", 0), (int)sim_num(v, "DesiredInstanceCount", 0),
             sim_num(v, "CurrentWeight", 0), sim_num(v, "DesiredWeight", 0),
             sim_str(v, "Image") ? sim_str(v, "Image") : "-");
  const cJSON *s;
  cJSON_ArrayForEach(s, sim_get(v, "VariantStatus"))
      buf_printf(b, "%s  [%s] %s\n", indent, sim_str(s, "Status"), sim_str(s, "StatusMessage"));
}

void sim_status_text(SimWorld *w, Buf *b) {
  char ts[24];
  buf_printf(b, "Simulated AWS at %s (account %s, region %s)\n", sim_now_iso(w, ts), sim_account(w), sim_region(w));
  const cJSON *o, *x;

  cJSON *roles = sim_coll(w, "iam", "roles");
  buf_printf(b, "\nIAM roles (%d)\n", count(roles));
  cJSON_ArrayForEach(o, roles)
      buf_printf(b, "  %-30s %d inline, %d attached policies\n", sim_str(o, "RoleName"),
                 count(sim_get(o, "InlinePolicies")), count(sim_get(o, "AttachedPolicies")));

  cJSON *models = sim_coll(w, "sagemaker", "models");
  buf_printf(b, "\nModels (%d)\n", count(models));
  cJSON_ArrayForEach(o, models) {
    const cJSON *c = sim_get(o, "PrimaryContainer");
    if (!c) c = cJSON_GetArrayItem(sim_get(o, "Containers"), 0);
    buf_printf(b, "  %-30s %s\n", o->string, sim_str(c, "Image") ? sim_str(c, "Image") : "");
  }

  cJSON *cfgs = sim_coll(w, "sagemaker", "endpoint_configs");
  buf_printf(b, "\nEndpoint configurations (%d)\n", count(cfgs));
  cJSON_ArrayForEach(o, cfgs) {
    buf_printf(b, "  %-30s", o->string);
    cJSON_ArrayForEach(x, sim_get(o, "ProductionVariants"))
        buf_printf(b, " %s=%s x%d", sim_str(x, "VariantName"), sim_str(x, "ModelName") ? sim_str(x, "ModelName") : "-",
                   (int)sim_num(x, "InitialInstanceCount", 0));
    buf_putc(b, '\n');
  }

  cJSON *eps = sim_coll(w, "sagemaker", "endpoints");
  buf_printf(b, "\nEndpoints (%d)\n", count(eps));
  cJSON_ArrayForEach(o, eps) {
    buf_printf(b, "  %s  %s  config %s\n", o->string, sim_str(o, "EndpointStatus"), sim_str(o, "EndpointConfigName"));
    cJSON_ArrayForEach(x, sim_get(o, "Variants")) variant_line(b, x, "    ");
    const cJSON *op = sim_get(o, "Op");
    if (sim_get(op, "Green")) {
      buf_printf(b, "    pending %s (%s%s%s)\n", sim_str(op, "Config"), sim_str(op, "Kind"),
                 sim_str(op, "Mode") ? " " : "", sim_str(op, "Mode") ? sim_str(op, "Mode") : "");
      cJSON_ArrayForEach(x, sim_get(op, "Green")) variant_line(b, x, "      ");
    }
    if (sim_str(o, "FailureReason")) buf_printf(b, "    FailureReason: %s\n", sim_str(o, "FailureReason"));
    const cJSON *ev = sim_get(o, "Events");
    int n = count(ev), from = n > 8 ? n - 8 : 0;
    if (n) buf_printf(b, "    events:\n");
    for (int i = from; i < n; i++) {
      const cJSON *e = cJSON_GetArrayItem(ev, i);
      buf_printf(b, "      %s  %-10s %s\n", sim_str(e, "Time"), sim_str(e, "Status"), sim_str(e, "Message"));
    }
  }

  cJSON *targets = sim_coll(w, "autoscaling", "targets");
  buf_printf(b, "\nScalable targets (%d)\n", count(targets));
  cJSON_ArrayForEach(o, targets)
      buf_printf(b, "  %-45s min %g max %g\n", sim_str(o, "ResourceId"), sim_num(o, "MinCapacity", 0),
                 sim_num(o, "MaxCapacity", 0));
  cJSON *pols = sim_coll(w, "autoscaling", "policies");
  buf_printf(b, "\nScaling policies (%d)\n", count(pols));
  cJSON_ArrayForEach(o, pols) {
    const cJSON *tt = sim_get(o, "TargetTrackingScalingPolicyConfiguration");
    buf_printf(b, "  %-30s %s on %s", sim_str(o, "PolicyName"), sim_str(o, "PolicyType"), sim_str(o, "ResourceId"));
    if (tt) buf_printf(b, " target %g", sim_num(tt, "TargetValue", 0));
    buf_putc(b, '\n');
  }

  cJSON *alarms = sim_coll(w, "cloudwatch", "alarms");
  buf_printf(b, "\nAlarms (%d)\n", count(alarms));
  cJSON_ArrayForEach(o, alarms)
      buf_printf(b, "  %-17s %s\n    %s\n", sim_str(o, "StateValue"), o->string, sim_str(o, "StateReason"));

  const cJSON *acts = sim_get(sim_obj(w->doc, "autoscaling"), "activities");
  int n = count(acts);
  buf_printf(b, "\nRecent scaling activities (%d)\n", n);
  for (int i = n - 1; i >= 0 && i >= n - 8; i--) {
    const cJSON *a = cJSON_GetArrayItem(acts, i);
    buf_printf(b, "  %s  %-10s %s %s\n    cause: %s\n", sim_str(a, "StartTime"), sim_str(a, "StatusCode"),
               sim_str(a, "ResourceId"), sim_str(a, "Description"), sim_str(a, "Cause"));
  }

  cJSON *topics = sim_coll(w, "sns", "topics");
  buf_printf(b, "\nSNS topics (%d)\n", count(topics));
  cJSON_ArrayForEach(o, topics) buf_printf(b, "  %s\n", sim_str(o, "TopicArn"));
  const cJSON *notes = sim_get(sim_obj(w->doc, "sns"), "notifications");
  n = count(notes);
  buf_printf(b, "\nRecent notifications (%d)\n", n);
  for (int i = n - 1; i >= 0 && i >= n - 8; i--) {
    const cJSON *e = cJSON_GetArrayItem(notes, i);
    buf_printf(b, "  %s  %s  %s\n", sim_str(e, "Time"), sim_str(e, "TopicArn"), sim_str(e, "Subject") ? sim_str(e, "Subject") : "");
  }

  cJSON *gens = sim_coll(w, "sim", "traffic"), *faults = sim_coll(w, "sim", "faults");
  if (count(gens) || count(faults)) buf_printf(b, "\nTraffic and faults\n");
  cJSON_ArrayForEach(o, gens) {
    char until[24];
    buf_printf(b, "  traffic %s: %g rps until %s\n", o->string, sim_num(o, "Rps", 0),
               sim_time_iso((long long)sim_num(o, "Until", 0), until));
  }
  cJSON_ArrayForEach(o, faults) {
    if (sim_get(o, "Rate5xx")) buf_printf(b, "  fault %s: %g of requests fail with 5xx\n", o->string, sim_num(o, "Rate5xx", 0));
    if (sim_bool(o, "PingFails", false)) buf_printf(b, "  fault %s: never answers /ping\n", o->string);
  }
}
