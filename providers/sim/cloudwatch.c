/*
** providers/sim/cloudwatch.c — metric data, metric alarms and their
** evaluation (CloudWatch, service "monitoring").
**
** Metric data is kept per one-minute datapoint as [start, sum, samples, min,
** max] under a key "namespace|metric|Name=Value,..." (dimensions sorted, as
** CloudWatch matches the exact dimension set). Alarms are evaluated every
** simulated minute over the last N + alarm_range_extra periods, following
** the documented missing-data rules (aws-behaviour.md §4.3), and act only on
** state transitions (SNS) — except Auto Scaling actions, which repeat every
** minute while the alarm stays in ALARM.
*/
#include "providers/sim/sim_int.h"

#include "base/util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define V "ValidationError"

/* ------------------------------------------------------------------ data */

cJSON *sim_cw_dims(const char *name, ...) {
  cJSON *a = cJSON_CreateArray();
  va_list ap;
  va_start(ap, name);
  for (const char *n = name; n; n = va_arg(ap, const char *)) {
    const char *v = va_arg(ap, const char *);
    cJSON *d = cJSON_CreateObject();
    sim_set_str(d, "Name", n);
    sim_set_str(d, "Value", v ? v : "");
    cJSON_AddItemToArray(a, d);
  }
  va_end(ap);
  return a;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static char *metric_key(const char *ns, const char *metric, const cJSON *dims) {
  int n = cJSON_GetArraySize(dims), i = 0;
  char **parts = xcalloc((size_t)n + 1, sizeof *parts);
  const cJSON *d;
  cJSON_ArrayForEach(d, dims) {
    const char *dn = sim_str(d, "Name"), *dv = sim_str(d, "Value");
    parts[i++] = xasprintf("%s=%s", dn ? dn : "", dv ? dv : "");
  }
  qsort(parts, (size_t)i, sizeof *parts, cmp_str);
  Buf b = BUF_INIT;
  buf_printf(&b, "%s|%s|", ns ? ns : "", metric ? metric : "");
  for (int k = 0; k < i; k++) {
    buf_printf(&b, "%s%s", k ? "," : "", parts[k]);
    free(parts[k]);
  }
  free(parts);
  return buf_take(&b);
}

void sim_cw_put(SimWorld *w, const char *ns, const char *metric, const cJSON *dims, long long t, double sum,
                double count, double min, double max) {
  char *key = metric_key(ns, metric, dims);
  cJSON *series = sim_arr(sim_coll(w, "cloudwatch", "metrics"), key);
  free(key);
  long long m = t - ((t % 60) + 60) % 60;
  cJSON *p = NULL, *after = NULL;
  for (cJSON *q = series->child ? series->child->prev : NULL; q; q = q == series->child ? NULL : q->prev) {
    long long qt = (long long)cJSON_GetArrayItem(q, 0)->valuedouble;
    if (qt == m) p = q;
    if (qt <= m) break;
    after = q;
  }
  if (p) {
    double v[5];
    for (int i = 0; i < 5; i++) v[i] = cJSON_GetArrayItem(p, i)->valuedouble;
    v[1] += sum;
    v[2] += count;
    v[3] = fmin(v[3], min);
    v[4] = fmax(v[4], max);
    for (int i = 1; i < 5; i++) cJSON_ReplaceItemInArray(p, i, cJSON_CreateNumber(v[i]));
    return;
  }
  double v[5] = {(double)m, sum, count, min, max};
  cJSON *np = cJSON_CreateDoubleArray(v, 5);
  if (after) {
    int idx = 0;
    for (cJSON *q = series->child; q != after; q = q->next) idx++;
    cJSON_InsertItemInArray(series, idx, np);
  } else {
    cJSON_AddItemToArray(series, np);
  }
}

void sim_cw_prune(SimWorld *w) {
  long long keep = (long long)sim_knob("metric_retention_minutes") * 60, now = sim_now(w);
  cJSON *metrics = sim_coll(w, "cloudwatch", "metrics"), *s = metrics->child;
  while (s) {
    cJSON *next = s->next;
    while (s->child && (long long)cJSON_GetArrayItem(s->child, 0)->valuedouble < now - keep)
      cJSON_DeleteItemFromArray(s, 0);
    if (!s->child) cJSON_DeleteItemFromObjectCaseSensitive(metrics, s->string);
    s = next;
  }
}

typedef struct Agg {
  double sum, n, min, max;
  bool any;
} Agg;

/* Series are sorted by time and windows are recent, so walk from the newest
** end and stop at the window's start: evaluation stays cheap however much
** history is kept. */
static Agg aggregate(const cJSON *series, long long from, long long to) {
  Agg a = {0, 0, INFINITY, -INFINITY, false};
  const cJSON *first = series ? series->child : NULL;
  for (const cJSON *p = first ? first->prev : NULL; p; p = p == first ? NULL : p->prev) {
    long long t = (long long)cJSON_GetArrayItem(p, 0)->valuedouble;
    if (t < from) break;
    if (t >= to) continue;
    a.any = true;
    a.sum += cJSON_GetArrayItem(p, 1)->valuedouble;
    a.n += cJSON_GetArrayItem(p, 2)->valuedouble;
    a.min = fmin(a.min, cJSON_GetArrayItem(p, 3)->valuedouble);
    a.max = fmax(a.max, cJSON_GetArrayItem(p, 4)->valuedouble);
  }
  return a;
}

/* Percentiles (ExtendedStatistic) are approximated by the maximum: the
** simulator keeps no distributions (README). */
static double stat_value(Agg a, const char *stat) {
  if (!stat || strcmp(stat, "Average") == 0) return a.n > 0 ? a.sum / a.n : 0;
  if (strcmp(stat, "Sum") == 0) return a.sum;
  if (strcmp(stat, "SampleCount") == 0) return a.n;
  if (strcmp(stat, "Minimum") == 0) return a.min;
  return a.max;
}

/* ------------------------------------------------------------------ alarms */

static bool breaches(const char *op, double v, double th) {
  if (!op) return false;
  if (strcmp(op, "GreaterThanThreshold") == 0) return v > th;
  if (strcmp(op, "GreaterThanOrEqualToThreshold") == 0) return v >= th;
  if (strcmp(op, "LessThanThreshold") == 0) return v < th;
  if (strcmp(op, "LessThanOrEqualToThreshold") == 0) return v <= th;
  return false;
}

static const char *op_words(const char *op) {
  if (!op) return "compared with";
  if (strcmp(op, "GreaterThanThreshold") == 0) return "greater than";
  if (strcmp(op, "GreaterThanOrEqualToThreshold") == 0) return "greater than or equal to";
  if (strcmp(op, "LessThanThreshold") == 0) return "less than";
  if (strcmp(op, "LessThanOrEqualToThreshold") == 0) return "less than or equal to";
  return "compared with";
}

static void fmt_point(Buf *b, double v, long long t) {
  time_t tt = (time_t)t;
  struct tm tm;
  gmtime_r(&tt, &tm);
  char ts[32];
  snprintf(ts, sizeof ts, "%02d/%02d/%02d %02d:%02d:%02d", tm.tm_mday, tm.tm_mon + 1, tm.tm_year % 100, tm.tm_hour,
           tm.tm_min, tm.tm_sec);
  buf_printf(b, "%.15g (%s)", v, ts);
}

static bool is_autoscaling_arn(const char *a) { return strncmp(a, "arn:aws:autoscaling:", 20) == 0; }

/* Publishes the CloudWatch alarm message to every SNS action of the new state. */
static void notify(SimWorld *w, cJSON *al, const char *old) {
  if (!sim_bool(al, "ActionsEnabled", true)) return;
  const char *st = sim_str(al, "StateValue");
  const char *list = strcmp(st, "ALARM") == 0 ? "AlarmActions" : strcmp(st, "OK") == 0 ? "OKActions" : "InsufficientDataActions";
  const cJSON *a;
  cJSON_ArrayForEach(a, sim_get(al, list)) {
    if (!cJSON_IsString(a) || strncmp(a->valuestring, "arn:aws:sns:", 12) != 0) continue;
    cJSON *m = cJSON_CreateObject();
    static const char *const copy[] = {"AlarmName", "AlarmDescription", "AlarmArn", "AlarmConfigurationUpdatedTimestamp",
                                       "OKActions", "AlarmActions", "InsufficientDataActions"};
    for (size_t i = 0; i < sizeof copy / sizeof copy[0]; i++)
      sim_set(m, copy[i], sim_get(al, copy[i]) ? sim_dup(sim_get(al, copy[i])) : cJSON_CreateNull());
    sim_set_str(m, "AWSAccountId", sim_account(w));
    sim_set_str(m, "NewStateValue", st);
    sim_set_str(m, "NewStateReason", sim_str(al, "StateReason"));
    sim_set_str(m, "StateChangeTime", sim_str(al, "StateUpdatedTimestamp"));
    sim_set_str(m, "Region", sim_region(w));
    sim_set_str(m, "OldStateValue", old);
    cJSON *tr = sim_obj(m, "Trigger");
    static const char *const tk[] = {"MetricName", "Namespace", "Statistic", "ExtendedStatistic", "Unit", "Period",
                                     "EvaluationPeriods", "DatapointsToAlarm", "ComparisonOperator", "Threshold",
                                     "TreatMissingData"};
    for (size_t i = 0; i < sizeof tk / sizeof tk[0]; i++)
      if (sim_get(al, tk[i])) sim_set(tr, tk[i], sim_dup(sim_get(al, tk[i])));
    sim_set_str(tr, "StatisticType", sim_get(al, "ExtendedStatistic") ? "ExtendedStatistic" : "Statistic");
    cJSON *dims = sim_arr(tr, "Dimensions");
    const cJSON *d;
    cJSON_ArrayForEach(d, sim_get(al, "Dimensions")) {
      cJSON *x = cJSON_CreateObject();
      sim_set_str(x, "name", sim_str(d, "Name"));
      sim_set_str(x, "value", sim_str(d, "Value"));
      cJSON_AddItemToArray(dims, x);
    }
    char *text = cJSON_PrintUnformatted(m);
    char *subject = xasprintf("%s: \"%s\" in %s", st, sim_str(al, "AlarmName"), sim_region(w));
    sim_sns_publish(w, a->valuestring, subject, text);
    free(subject);
    free(text);
    cJSON_Delete(m);
  }
}

static void set_state(SimWorld *w, cJSON *al, const char *st, const char *reason, const char *data) {
  char ts[24];
  const char *cur = sim_str(al, "StateValue");
  char *old = xstrdup(cur ? cur : "INSUFFICIENT_DATA");
  bool changed = !cur || strcmp(cur, st) != 0;
  sim_set_str(al, "StateValue", st);
  sim_set_str(al, "StateReason", reason);
  if (data) sim_set_str(al, "StateReasonData", data);
  sim_set_str(al, "StateUpdatedTimestamp", sim_now_iso(w, ts));
  if (changed) {
    sim_set_str(al, "StateTransitionedTimestamp", ts);
    cJSON *h = cJSON_CreateObject();
    sim_set_str(h, "AlarmName", sim_str(al, "AlarmName"));
    sim_set_str(h, "Timestamp", ts);
    sim_set_str(h, "HistoryItemType", "StateUpdate");
    char *sum = xasprintf("Alarm updated from %s to %s", old, st);
    sim_set_str(h, "HistorySummary", sum);
    free(sum);
    sim_log(sim_arr(al, "SimHistory"), h, (int)sim_knob("history_keep"));
    notify(w, al, old);
  }
  free(old);
}

/* Evaluates one alarm at the current minute (aws-behaviour.md §4.3). */
static void evaluate(SimWorld *w, cJSON *al) {
  const char *metric = sim_str(al, "MetricName");
  if (!metric) return; /* metric-math alarms are accepted but not evaluated (README) */
  int N = (int)sim_num(al, "EvaluationPeriods", 1);
  int M = (int)sim_num(al, "DatapointsToAlarm", N);
  int R = N + (int)sim_knob("alarm_range_extra");
  long long P = (long long)sim_num(al, "Period", 60);
  if (P < 60) P = 60; /* the simulator's data has one-minute resolution */
  long long now = sim_now(w), visible = now - (long long)sim_knob("metric_delay_seconds");
  long long end = visible - ((visible % P) + P) % P;
  char *key = metric_key(sim_str(al, "Namespace"), metric, sim_get(al, "Dimensions"));
  const cJSON *series = sim_get(sim_coll(w, "cloudwatch", "metrics"), key);
  free(key);
  const char *stat = sim_str(al, "Statistic") ? sim_str(al, "Statistic") : "Maximum";
  const char *cmp = sim_str(al, "ComparisonOperator");
  double th = sim_num(al, "Threshold", 0);
  double *vals = xmalloc((size_t)R * sizeof *vals);
  long long *ts = xmalloc((size_t)R * sizeof *ts);
  int real = 0;
  for (int i = 0; i < R; i++) { /* slot 0 is the oldest */
    ts[i] = end - (long long)(R - i) * P;
    Agg a = aggregate(series, ts[i], ts[i] + P);
    vals[i] = a.any ? stat_value(a, stat) : NAN;
    real += a.any;
  }
  const char *tmd = sim_str(al, "TreatMissingData");
  if (!tmd) tmd = "missing";
  const char *cur = sim_str(al, "StateValue");
  const char *next = NULL;
  Buf reason = BUF_INIT;
  int used = 0, nb = 0;
  Buf pts = BUF_INIT;
  /* the newest real datapoints, newest first */
  for (int i = R - 1; i >= 0 && used < N; i--) {
    if (isnan(vals[i])) continue;
    if (used) buf_puts(&pts, ", ");
    fmt_point(&pts, vals[i], ts[i]);
    nb += breaches(cmp, vals[i], th);
    used++;
  }
  for (int i = R - 1; i >= 0; i--)
    if (!isnan(vals[i])) {
      sim_set_num(al, "SimLastValue", vals[i]);
      sim_set_num(al, "SimLastTime", (double)ts[i]);
      break;
    }
  bool good = used > nb;
  if (real >= N) {
    next = nb >= M ? "ALARM" : "OK";
  } else if (real == 0) {
    next = strcmp(tmd, "breaching") == 0 ? "ALARM" : strcmp(tmd, "notBreaching") == 0 ? "OK"
           : strcmp(tmd, "ignore") == 0 ? NULL : "INSUFFICIENT_DATA";
  } else if (strcmp(tmd, "breaching") == 0) {
    next = nb + (N - real) >= M ? "ALARM" : "OK";
  } else if (strcmp(tmd, "notBreaching") == 0) {
    next = nb >= M ? "ALARM" : "OK";
  } else if (nb >= M) {
    next = "ALARM";
  } else if (good) {
    next = "OK";
  } else if (strcmp(tmd, "missing") == 0) {
    /* premature-alarm guard: fire when the oldest breaching point in the last
    ** N periods is at least M periods old and nothing newer is good */
    for (int i = R - N; i < R; i++)
      if (!isnan(vals[i]) && breaches(cmp, vals[i], th)) {
        if (R - i >= M) next = "ALARM";
        break;
      }
  }
  if (next && strcmp(next, "INSUFFICIENT_DATA") == 0) {
    buf_printf(&reason, "Insufficient Data: %d datapoint%s %s unknown.", R, R == 1 ? "" : "s", R == 1 ? "was" : "were");
  } else if (next) {
    bool alarm = strcmp(next, "ALARM") == 0;
    int shown = alarm ? nb : used - nb;
    if (used == 0)
      buf_printf(&reason, "Threshold Crossed: no datapoints were received for %d period%s and %d missing datapoint%s "
                          "%s treated as [%s].", N, N == 1 ? "" : "s", N, N == 1 ? "" : "s", N == 1 ? "was" : "were",
                 alarm ? "Breaching" : "NonBreaching");
    else
      buf_printf(&reason, "Threshold Crossed: %d out of the last %d datapoints [%s] %s %s%s the threshold (%.15g) "
                          "(minimum %d datapoint%s for %s -> %s transition).",
                 shown, used, pts.s ? pts.s : "", shown == 1 ? "was" : "were", alarm ? "" : "not ", op_words(cmp), th,
                 alarm ? M : 1, (alarm ? M : 1) == 1 ? "" : "s", cur && strcmp(cur, "ALARM") == 0 ? "ALARM" : "OK",
                 next);
  }
  if (next && (!cur || strcmp(cur, next) != 0)) {
    cJSON *data = cJSON_CreateObject();
    sim_set_str(data, "version", "1.0");
    char q[24];
    sim_set_str(data, "queryDate", sim_time_iso(now, q));
    sim_set_str(data, "statistic", stat);
    sim_set_num(data, "period", (double)P);
    sim_set_num(data, "threshold", th);
    cJSON *rec = sim_arr(data, "recentDatapoints");
    for (int i = 0; i < R; i++)
      if (!isnan(vals[i])) cJSON_AddItemToArray(rec, cJSON_CreateNumber(vals[i]));
    char *dtext = cJSON_PrintUnformatted(data);
    set_state(w, al, next, reason.s ? reason.s : "", dtext);
    free(dtext);
    cJSON_Delete(data);
  }
  buf_free(&reason);
  buf_free(&pts);
  free(vals);
  free(ts);
}

void sim_cw_evaluate(SimWorld *w) {
  cJSON *al;
  cJSON_ArrayForEach(al, sim_coll(w, "cloudwatch", "alarms")) evaluate(w, al);
  /* Auto Scaling actions repeat every minute while in ALARM. Collect first:
  ** an action may add or remove alarms. */
  int n = 0;
  cJSON_ArrayForEach(al, sim_coll(w, "cloudwatch", "alarms")) n++;
  char **names = xcalloc((size_t)n + 1, sizeof *names);
  int k = 0;
  cJSON_ArrayForEach(al, sim_coll(w, "cloudwatch", "alarms")) {
    const char *st = sim_str(al, "StateValue");
    if (st && strcmp(st, "ALARM") == 0 && sim_bool(al, "ActionsEnabled", true)) names[k++] = xstrdup(al->string);
  }
  for (int i = 0; i < k; i++) {
    cJSON *a = sim_find(w, "cloudwatch", "alarms", names[i]);
    const cJSON *act;
    cJSON *acts = a ? sim_dup(sim_get(a, "AlarmActions")) : NULL;
    cJSON_ArrayForEach(act, acts) if (cJSON_IsString(act) && is_autoscaling_arn(act->valuestring)) {
      a = sim_find(w, "cloudwatch", "alarms", names[i]);
      if (a) sim_as_alarm_action(w, act->valuestring, a);
    }
    cJSON_Delete(acts);
    free(names[i]);
  }
  free(names);
}

double sim_cw_latest(SimWorld *w, const cJSON *alarm) {
  (void)w;
  return sim_num(alarm, "SimLastValue", 0);
}

bool sim_cw_sum(SimWorld *w, const char *ns, const char *metric, const cJSON *dims, long long from, long long to,
                double *out) {
  char *key = metric_key(ns, metric, dims);
  Agg a = aggregate(sim_get(sim_coll(w, "cloudwatch", "metrics"), key), from, to);
  free(key);
  *out = a.sum;
  return a.any;
}

cJSON *sim_cw_alarm(SimWorld *w, const char *name) {
  cJSON *al = sim_find(w, "cloudwatch", "alarms", name);
  char ts[24];
  sim_now_iso(w, ts);
  if (!al) {
    al = cJSON_CreateObject();
    sim_set_str(al, "AlarmName", name);
    char *arn = xasprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", sim_region(w), sim_account(w), name);
    sim_set_str(al, "AlarmArn", arn);
    free(arn);
    sim_set_str(al, "StateValue", "INSUFFICIENT_DATA");
    sim_set_str(al, "StateReason", "Unchecked: Initial alarm creation");
    sim_set_str(al, "StateUpdatedTimestamp", ts);
    sim_set_str(al, "StateTransitionedTimestamp", ts);
    sim_put(w, "cloudwatch", "alarms", name, al);
  }
  sim_set_str(al, "AlarmConfigurationUpdatedTimestamp", ts);
  return al;
}

void sim_cw_delete_alarm(SimWorld *w, const char *name) { sim_remove(w, "cloudwatch", "alarms", name); }

/* ------------------------------------------------------------------ API */

static const char *const CONFIG_KEYS[] = {
    "AlarmDescription", "ActionsEnabled", "OKActions", "AlarmActions", "InsufficientDataActions", "MetricName",
    "Namespace", "Statistic", "ExtendedStatistic", "Dimensions", "Period", "Unit", "EvaluationPeriods",
    "DatapointsToAlarm", "Threshold", "ComparisonOperator", "TreatMissingData", "EvaluateLowSampleCountPercentile",
    "Metrics", "ThresholdMetricId"};

static int check_actions(const cJSON *req, const char *key, const char *member, AwsError *err) {
  const cJSON *a = sim_get(req, key), *x;
  if (a && !cJSON_IsArray(a)) return sim_err(err, 400, V, "%s must be a list of ARNs.", key);
  cJSON_ArrayForEach(x, a) if (!cJSON_IsString(x) || sim_check_str(x->valuestring, member, 1, 1024, NULL, V, err))
      return cJSON_IsString(x) ? -1 : sim_err(err, 400, V, "%s must be a list of ARNs.", key);
  if (cJSON_GetArraySize(a) > 5)
    return sim_err(err, 400, V, "1 validation error detected: Value at '%s' failed to satisfy constraint: Member must "
                                "have length less than or equal to 5", member);
  return 0;
}

static int op_put_metric_alarm(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  const char *name = sim_req_str(req, "AlarmName", "alarmName", V, err);
  if (!name || sim_check_str(name, "alarmName", 1, 255, NULL, V, err)) return -1;
  for (const char *c = name; *c; c++)
    if ((unsigned char)*c < 0x20) return sim_err(err, 400, V, "AlarmName must not contain control characters.");
  const char *desc = sim_str(req, "AlarmDescription");
  if (desc && sim_check_str(desc, "alarmDescription", 0, 1024, NULL, V, err)) return -1;
  const char *metric = sim_str(req, "MetricName");
  bool math = sim_get(req, "Metrics") != NULL;
  if (metric && math)
    return sim_err(err, 400, "InvalidParameterCombination", "The parameters MetricName and Metrics are mutually exclusive.");
  if (!metric && !math)
    return sim_err(err, 400, "ValidationError", "Either MetricName or Metrics must be specified.");
  const char *stat = sim_str(req, "Statistic"), *ext = sim_str(req, "ExtendedStatistic");
  if (metric && !!stat == !!ext)
    return sim_err(err, 400, "InvalidParameterCombination",
                   "Exactly one element of the statistics or extended statistics parameters must be specified.");
  static const char *const stats[] = {"SampleCount", "Average", "Sum", "Minimum", "Maximum", NULL};
  if (stat && sim_check_enum(stat, "statistic", stats, V, err)) return -1;
  cJSON *period = sim_get(req, "Period");
  if (metric) {
    if (!cJSON_IsNumber(period)) return sim_err(err, 400, "MissingParameter", "The parameter Period is required.");
    if (sim_check_range(period->valuedouble, "period", 1, 604800, V, err)) return -1;
    int p = (int)period->valuedouble;
    if (p <= 0 || (p != 10 && p != 20 && p != 30 && p % 60 != 0))
      return sim_err(err, 400, "InvalidParameterValue",
                     "The parameter Period must be 10, 20, 30 or a multiple of 60; got %d.", p);
  }
  cJSON *ep = sim_get(req, "EvaluationPeriods");
  if (!cJSON_IsNumber(ep))
    return sim_err(err, 400, V, "1 validation error detected: Value null at 'evaluationPeriods' failed to satisfy "
                                "constraint: Member must not be null");
  if (sim_check_range(ep->valuedouble, "evaluationPeriods", 1, 1e9, V, err)) return -1;
  cJSON *dta = sim_get(req, "DatapointsToAlarm");
  if (dta && sim_check_range(dta->valuedouble, "datapointsToAlarm", 1, 1e9, V, err)) return -1;
  if (dta && dta->valuedouble > ep->valuedouble)
    return sim_err(err, 400, V, "DatapointsToAlarm must be less than or equal to EvaluationPeriods.");
  if (cJSON_IsNumber(period)) {
    double total = period->valuedouble * ep->valuedouble;
    double lim = period->valuedouble < 3600 ? 86400 : 604800;
    if (total > lim)
      return sim_err(err, 400, V, "The evaluation period (Period * EvaluationPeriods) must not exceed %.0f seconds.", lim);
  }
  static const char *const ops[] = {"GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold",
                                    "LessThanOrEqualToThreshold", "LessThanLowerOrGreaterThanUpperThreshold",
                                    "LessThanLowerThreshold", "GreaterThanUpperThreshold", NULL};
  const char *cmp = sim_str(req, "ComparisonOperator");
  if (!cmp)
    return sim_err(err, 400, V, "1 validation error detected: Value null at 'comparisonOperator' failed to satisfy "
                                "constraint: Member must not be null");
  if (sim_check_enum(cmp, "comparisonOperator", ops, V, err)) return -1;
  const char *tmd = sim_str(req, "TreatMissingData");
  static const char *const tmds[] = {"breaching", "notBreaching", "ignore", "missing", NULL};
  if (tmd && sim_check_enum(tmd, "treatMissingData", tmds, V, err)) return -1;
  if (check_actions(req, "OKActions", "oKActions", err) || check_actions(req, "AlarmActions", "alarmActions", err) ||
      check_actions(req, "InsufficientDataActions", "insufficientDataActions", err))
    return -1;
  const cJSON *dims = sim_get(req, "Dimensions"), *dim;
  if (dims && !cJSON_IsArray(dims)) return sim_err(err, 400, V, "Dimensions must be a list of {Name, Value}.");
  cJSON_ArrayForEach(dim, dims) {
    const char *dn = sim_str(dim, "Name"), *dv = sim_str(dim, "Value");
    if (sim_check_str(dn, "dimensions.member.name", 1, 255, NULL, V, err) ||
        sim_check_str(dv, "dimensions.member.value", 1, 1024, NULL, V, err))
      return -1;
  }
  if (cJSON_GetArraySize(sim_get(req, "Dimensions")) > 30)
    return sim_err(err, 400, V, "1 validation error detected: Value at 'dimensions' failed to satisfy constraint: "
                                "Member must have length less than or equal to 30");
  bool existed = sim_find(w, "cloudwatch", "alarms", name) != NULL;
  cJSON *tags = NULL;
  if (!existed) {
    tags = cJSON_CreateObject();
    if (sim_tags_merge(tags, sim_get(req, "Tags"), V, err)) {
      cJSON_Delete(tags);
      return -1;
    }
  }
  cJSON *al = sim_cw_alarm(w, name);
  /* PutMetricAlarm replaces the whole configuration and keeps the state */
  for (size_t i = 0; i < sizeof CONFIG_KEYS / sizeof CONFIG_KEYS[0]; i++) {
    sim_del(al, CONFIG_KEYS[i]);
    if (sim_get(req, CONFIG_KEYS[i])) sim_set(al, CONFIG_KEYS[i], sim_dup(sim_get(req, CONFIG_KEYS[i])));
  }
  if (!sim_get(al, "ActionsEnabled")) sim_set_bool(al, "ActionsEnabled", true);
  static const char *const lists[] = {"OKActions", "AlarmActions", "InsufficientDataActions", "Dimensions"};
  for (size_t i = 0; i < 4; i++) sim_arr(al, lists[i]);
  if (tags) {
    if (sim_get(tags, "Tags")) sim_set(al, "Tags", cJSON_DetachItemFromObjectCaseSensitive(tags, "Tags"));
    cJSON_Delete(tags);
  }
  (void)resp;
  return 0;
}

static cJSON *alarm_out(const cJSON *al) {
  cJSON *o = cJSON_CreateObject();
  const cJSON *c;
  cJSON_ArrayForEach(c, al) if (strncmp(c->string, "Sim", 3) != 0 && strcmp(c->string, "Tags") != 0)
      sim_set(o, c->string, sim_dup(c));
  return o;
}

static int cmp_alarm(const void *a, const void *b) {
  return strcmp((*(cJSON *const *)a)->string, (*(cJSON *const *)b)->string);
}

static bool in_list(const cJSON *list, const char *s) {
  const cJSON *x;
  cJSON_ArrayForEach(x, list) if (cJSON_IsString(x) && strcmp(x->valuestring, s) == 0) return true;
  return false;
}

static int op_describe_alarms(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  (void)err;
  const cJSON *names = sim_get(req, "AlarmNames"), *types = sim_get(req, "AlarmTypes");
  const char *prefix = sim_str(req, "AlarmNamePrefix"), *state = sim_str(req, "StateValue");
  const char *aprefix = sim_str(req, "ActionPrefix");
  /* the candidates: with AlarmNames (how the provider reads one alarm) the
  ** named alarms, found through the index; otherwise all of them */
  cJSON *all = sim_coll(w, "cloudwatch", "alarms"), *al;
  int n = 0, k = 0;
  cJSON **v = xcalloc((size_t)cJSON_GetArraySize(names ? names : all) + 1, sizeof *v);
  if (names) {
    const cJSON *nm;
    cJSON_ArrayForEach(nm, names) {
      al = cJSON_IsString(nm) ? sim_find(w, "cloudwatch", "alarms", nm->valuestring) : NULL;
      bool dup = false;
      for (int i = 0; i < n; i++) dup |= v[i] == al;
      if (al && !dup) v[n++] = al;
    }
  } else {
    cJSON_ArrayForEach(al, all) v[n++] = al;
  }
  for (int i = 0; i < n; i++) {
    al = v[i];
    if (prefix && strncmp(al->string, prefix, strlen(prefix)) != 0) continue;
    if (state && strcmp(sim_str(al, "StateValue"), state) != 0) continue;
    if (aprefix) {
      bool hit = false;
      const cJSON *a;
      cJSON_ArrayForEach(a, sim_get(al, "AlarmActions")) hit |= strncmp(a->valuestring, aprefix, strlen(aprefix)) == 0;
      if (!hit) continue;
    }
    v[k++] = al;
  }
  qsort(v, (size_t)k, sizeof *v, cmp_alarm);
  *resp = cJSON_CreateObject();
  cJSON *out = sim_arr(*resp, "MetricAlarms");
  if (!types || in_list(types, "MetricAlarm"))
    for (int i = 0; i < k; i++) cJSON_AddItemToArray(out, alarm_out(v[i]));
  sim_arr(*resp, "CompositeAlarms");
  free(v);
  return 0;
}

static int op_delete_alarms(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  const cJSON *names = sim_get(req, "AlarmNames"), *n;
  if (cJSON_GetArraySize(names) > 100)
    return sim_err(err, 400, V, "1 validation error detected: Value at 'alarmNames' failed to satisfy constraint: "
                                "Member must have length less than or equal to 100");
  cJSON_ArrayForEach(n, names) if (!cJSON_IsString(n))
      return sim_err(err, 400, V, "AlarmNames must be a list of strings.");
  /* [API] "If you specify any incorrect alarm names, the alarms you specify
  ** with correct names are still deleted" — unknown names are not an error */
  cJSON_ArrayForEach(n, names) sim_remove(w, "cloudwatch", "alarms", n->valuestring);
  (void)resp;
  return 0;
}

static int op_set_alarm_state(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  const char *name = sim_req_str(req, "AlarmName", "alarmName", V, err);
  if (!name) return -1;
  const char *st = sim_req_str(req, "StateValue", "stateValue", V, err);
  if (!st) return -1;
  static const char *const states[] = {"OK", "ALARM", "INSUFFICIENT_DATA", NULL};
  if (sim_check_enum(st, "stateValue", states, V, err)) return -1;
  const char *reason = sim_req_str(req, "StateReason", "stateReason", V, err);
  if (!reason || sim_check_str(reason, "stateReason", 0, 1023, NULL, V, err)) return -1;
  const char *data = sim_str(req, "StateReasonData");
  if (data) {
    cJSON *j = cJSON_Parse(data);
    bool ok = cJSON_IsObject(j);
    cJSON_Delete(j);
    if (!ok) return sim_err(err, 400, "InvalidFormat", "StateReasonData must be a JSON object.");
  }
  cJSON *al = sim_find(w, "cloudwatch", "alarms", name);
  if (!al) return sim_err(err, 404, "ResourceNotFound", "Alarm %s not found", name);
  set_state(w, al, st, reason, data);
  (void)resp;
  return 0;
}

static cJSON *alarm_by_arn(SimWorld *w, const cJSON *req, AwsError *err) {
  const char *arn = sim_req_str(req, "ResourceARN", "resourceARN", V, err);
  if (!arn) return NULL;
  /* arn:PARTITION:cloudwatch:REGION:ACCOUNT:alarm:NAME, and a name may hold colons */
  const char *name = strstr(arn, ":alarm:");
  cJSON *al = name ? sim_find(w, "cloudwatch", "alarms", name + 7) : NULL;
  if (al && strcmp(sim_str(al, "AlarmArn"), arn) == 0) return al;
  sim_err(err, 404, "ResourceNotFoundException", "Resource %s not found.", arn);
  return NULL;
}

static int op_list_tags(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *al = alarm_by_arn(w, req, err);
  if (!al) return -1;
  *resp = cJSON_CreateObject();
  sim_set(*resp, "Tags", sim_get(al, "Tags") ? sim_dup(sim_get(al, "Tags")) : cJSON_CreateArray());
  return 0;
}

static int op_tag(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *al = alarm_by_arn(w, req, err);
  (void)resp;
  return al ? sim_tags_merge(al, sim_get(req, "Tags"), V, err) : -1;
}

static int op_untag(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *al = alarm_by_arn(w, req, err);
  if (!al) return -1;
  sim_tags_remove(al, sim_get(req, "TagKeys"));
  (void)resp;
  return 0;
}

static long long parse_time(const cJSON *v, long long dflt) {
  if (cJSON_IsNumber(v)) return v->valuedouble >= 0 && v->valuedouble < 1e11 ? (long long)v->valuedouble : dflt;
  if (!cJSON_IsString(v)) return dflt;
  struct tm tm = {0};
  if (sscanf(v->valuestring, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
             &tm.tm_sec) < 3)
    return dflt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return (long long)timegm(&tm);
}

static int op_put_metric_data(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  const char *ns = sim_req_str(req, "Namespace", "namespace", V, err);
  if (!ns || sim_check_str(ns, "namespace", 1, 255, "[^:].*", V, err)) return -1;
  const cJSON *d;
  cJSON_ArrayForEach(d, sim_get(req, "MetricData")) {
    const char *m = sim_str(d, "MetricName");
    if (!m) return sim_err(err, 400, "MissingParameter", "The parameter MetricData.member.MetricName is required.");
    long long t = parse_time(sim_get(d, "Timestamp"), sim_now(w));
    if (t < sim_now(w) - 14 * 86400 || t > sim_now(w) + 7200)
      return sim_err(err, 400, "InvalidParameterValue",
                     "The parameter MetricData.member.Timestamp must specify a time no more than two weeks in the past "
                     "and no more than two hours in the future.");
    const cJSON *sv = sim_get(d, "StatisticValues");
    if (sv) {
      sim_cw_put(w, ns, m, sim_get(d, "Dimensions"), t, sim_num(sv, "Sum", 0), sim_num(sv, "SampleCount", 1),
                 sim_num(sv, "Minimum", 0), sim_num(sv, "Maximum", 0));
    } else if (sim_get(d, "Values")) {
      const cJSON *x, *counts = sim_get(d, "Counts");
      int i = 0;
      cJSON_ArrayForEach(x, sim_get(d, "Values")) {
        double c = cJSON_IsNumber(cJSON_GetArrayItem(counts, i)) ? cJSON_GetArrayItem(counts, i)->valuedouble : 1;
        sim_cw_put(w, ns, m, sim_get(d, "Dimensions"), t, x->valuedouble * c, c, x->valuedouble, x->valuedouble);
        i++;
      }
    } else {
      double v = sim_num(d, "Value", 0);
      sim_cw_put(w, ns, m, sim_get(d, "Dimensions"), t, v, 1, v, v);
    }
  }
  (void)resp;
  return 0;
}

static int op_get_metric_statistics(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  const char *ns = sim_req_str(req, "Namespace", "namespace", V, err);
  const char *m = ns ? sim_req_str(req, "MetricName", "metricName", V, err) : NULL;
  if (!m) return -1;
  double pd = sim_num(req, "Period", 60);
  if (sim_check_range(pd, "period", 1, 604800, V, err)) return -1;
  long long p = pd < 60 ? 60 : (long long)pd;
  long long from = parse_time(sim_get(req, "StartTime"), sim_now(w) - 3600), to = parse_time(sim_get(req, "EndTime"), sim_now(w));
  if (to > from && (to - from) / p > 1440)
    return sim_err(err, 400, "InvalidParameterCombination",
                   "You have requested up to %lld datapoints, which exceeds the limit of 1,440.", (to - from) / p);
  char *key = metric_key(ns, m, sim_get(req, "Dimensions"));
  const cJSON *series = sim_get(sim_coll(w, "cloudwatch", "metrics"), key);
  free(key);
  *resp = cJSON_CreateObject();
  sim_set_str(*resp, "Label", m);
  cJSON *out = sim_arr(*resp, "Datapoints");
  for (long long t = from - ((from % p) + p) % p; t < to; t += p) {
    Agg a = aggregate(series, t, t + p);
    if (!a.any) continue;
    cJSON *dp = cJSON_CreateObject();
    char ts[24];
    sim_set_str(dp, "Timestamp", sim_time_iso(t, ts));
    const cJSON *s;
    cJSON_ArrayForEach(s, sim_get(req, "Statistics")) if (cJSON_IsString(s)) sim_set_num(dp, s->valuestring, stat_value(a, s->valuestring));
    sim_set_str(dp, "Unit", sim_str(req, "Unit") ? sim_str(req, "Unit") : "None");
    cJSON_AddItemToArray(out, dp);
  }
  return 0;
}

static int op_describe_alarm_history(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  (void)err;
  const char *name = sim_str(req, "AlarmName");
  *resp = cJSON_CreateObject();
  cJSON *out = sim_arr(*resp, "AlarmHistoryItems"), *al;
  cJSON_ArrayForEach(al, sim_coll(w, "cloudwatch", "alarms")) {
    if (name && strcmp(al->string, name) != 0) continue;
    const cJSON *h;
    cJSON_ArrayForEach(h, sim_get(al, "SimHistory")) cJSON_AddItemToArray(out, sim_dup(h));
  }
  return 0;
}

static const SimOp cw_ops[] = {
    {"PutMetricAlarm", op_put_metric_alarm, true},
    {"DescribeAlarms", op_describe_alarms, false},
    {"DeleteAlarms", op_delete_alarms, true},
    {"SetAlarmState", op_set_alarm_state, true},
    {"DescribeAlarmHistory", op_describe_alarm_history, false},
    {"ListTagsForResource", op_list_tags, false},
    {"TagResource", op_tag, true},
    {"UntagResource", op_untag, true},
    {"PutMetricData", op_put_metric_data, true},
    {"GetMetricStatistics", op_get_metric_statistics, false},
};
const SimService sim_svc_cloudwatch = {"monitoring", cw_ops, sizeof cw_ops / sizeof cw_ops[0]};
