/*
** providers/sim/knobs.c — every behaviour of the simulator that AWS does not
** document, in one table: name, default, and where the default came from.
**
** Tags in `source` follow the fact sheet (reference/aws-behaviour.md):
** [DOC] AWS documentation, [OBS] observed/reported, [INF] our inference.
** Override with TFC_SIM_KNOBS="name=value,name=value" (numbers, or text for
** the text knobs). Values are read when a world is opened.
*/
#include "providers/sim/sim_int.h"

#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Knob {
  const char *name;
  const char *dflt;    /* default, as text */
  const char *source;  /* why this default */
  char *value;         /* override from TFC_SIM_KNOBS, or NULL */
} Knob;

static Knob knobs[] = {
    {"account_id", "123456789012", "[INF] the documentation's example account", NULL},
    {"region", "us-east-1", "[INF] the provider's most common region", NULL},
    {"start_time", "1767225600", "[INF] 2026-01-01T00:00:00Z, so output is stable", NULL},
    {"endpoint_create_seconds", "480", "[DOC 'several minutes'; OBS 5-15 min] §1.5", NULL},
    {"create_model_checks_s3", "0", "[INF] §5.3 vs issue: s3:GetObject is checked when the endpoint deploys", NULL},
    {"health_check_timeout_seconds", "240", "[DOC] §1.5: /ping must answer within 4 min unless ContainerStartupHealthCheckTimeoutInSeconds says otherwise", NULL},
    {"endpoint_delete_seconds", "120", "[INF] 'a few minutes'; waiter allows 30 min §1.5", NULL},
    {"fleet_provision_seconds", "420", "[INF] a blue/green update provisions a fleet like a create §1.5", NULL},
    {"fleet_terminate_seconds", "60", "[INF] terminating the old fleet", NULL},
    {"rollback_seconds", "120", "[INF] shifting back and tearing down the new fleet", NULL},
    {"rollback_status", "Updating", "[OBS] §2.5: Updating during rollback (RollingBack possible)", NULL},
    {"scale_out_seconds", "300", "[OBS] §3.3: instance launch takes minutes", NULL},
    {"scale_in_seconds", "120", "[INF] removing instances is quicker than launching", NULL},
    {"check_ecr_permissions", "1", "[DOC] §5.4: the execution role pulls the image (ecr:GetAuthorizationToken, ecr:BatchGetImage, ecr:GetDownloadUrlForLayer)", NULL},
    {"iam_propagation_seconds", "0", "[OBS] §5.6 seconds in AWS; 0 keeps runs simple", NULL},
    {"metric_delay_seconds", "120", "[OBS] §3.3: metrics land 1-3 min late", NULL},
    {"alarm_range_extra", "2", "[DOC] §4.3: N=3 evaluates a range of 5", NULL},
    {"tt_high_datapoints", "3", "[OBS] §3.2: AlarmHigh 3 of 3 one-minute datapoints", NULL},
    {"tt_low_datapoints", "15", "[OBS] §3.2: AlarmLow 15 of 15 one-minute datapoints", NULL},
    {"tt_low_ratio", "0.9", "[OBS] §3.2: AlarmLow threshold = 0.9 x target", NULL},
    {"default_cooldown_seconds", "300", "[DOC] §3.4: SageMaker default when the field is absent", NULL},
    {"model_latency_ms", "25", "[INF] a small CPU model", NULL},
    {"overhead_latency_us", "1500", "[INF] SageMaker's own added time", NULL},
    {"metric_jitter", "0.05", "[INF] +-5% noise on emitted latencies (seeded)", NULL},
    {"metric_retention_minutes", "1440", "[INF] enough for any alarm window in a rehearsal", NULL},
    {"zero_metrics_when_idle", "1", "[DOC] §3.2: SageMaker reports zeros when traffic stops", NULL},
    {"canary_max_percent", "50", "[DOC] §2.1: canary <= 50% of the instance count", NULL},
    {"linear_min_percent", "10", "[DOC] §2.1: linear step 10-50%", NULL},
    {"linear_max_percent", "50", "[DOC] §2.1", NULL},
    {"rolling_min_percent", "5", "[DOC] §2.1: rolling batch 5-50%", NULL},
    {"rolling_max_percent", "50", "[DOC] §2.1", NULL},
    {"inline_policy_limit", "10240", "[DOC] §5.2: all inline policies of a role, whitespace not counted", NULL},
    {"trust_policy_limit", "2048", "[DOC] §5.2: ACLSizePerRole", NULL},
    {"history_keep", "50", "[INF] events/activities/notifications kept per list", NULL},
    {"api_latency_ms", "0", "[INF] real (wall-clock) time each API call takes, as a network round trip would; 0 keeps runs instant", NULL},
};

static Knob *find(const char *name) {
  for (size_t i = 0; i < sizeof knobs / sizeof knobs[0]; i++)
    if (strcmp(knobs[i].name, name) == 0) return &knobs[i];
  return NULL;
}

const char *sim_knob_str(const char *name) {
  Knob *k = find(name);
  if (!k) {
    /* a typo in the simulator itself, not user input */
    fprintf(stderr, "tfc: internal error: unknown simulator knob %s\n", name);
    abort();
  }
  return k->value ? k->value : k->dflt;
}

double sim_knob(const char *name) { return strtod(sim_knob_str(name), NULL); }

void sim_knobs_load(DiagList *diags) {
  for (size_t i = 0; i < sizeof knobs / sizeof knobs[0]; i++) {
    free(knobs[i].value);
    knobs[i].value = NULL;
  }
  const char *env = getenv("TFC_SIM_KNOBS");
  if (!env || !*env) return;
  char *s = xstrdup(env), *save = NULL;
  for (char *tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    char *eq = strchr(tok, '=');
    Knob *k = NULL;
    if (eq) {
      *eq = 0;
      k = find(tok);
    }
    if (!k) {
      if (diags)
        diag_add(diags, DIAG_WARNING, NULL, "Unknown simulator knob in TFC_SIM_KNOBS",
                 "\"%s\" is not a knob; `tfc sim knobs` lists them.", tok);
      continue;
    }
    k->value = xstrdup(eq + 1);
  }
  free(s);
}

void sim_knobs_text(Buf *out) {
  for (size_t i = 0; i < sizeof knobs / sizeof knobs[0]; i++)
    buf_printf(out, "%-26s %-14s (default %s) %s\n", knobs[i].name, sim_knob_str(knobs[i].name),
               knobs[i].dflt, knobs[i].source);
}
