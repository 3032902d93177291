/*
** providers/sim/clock.c — the virtual clock and the traffic that flows while
** it moves.
**
** sim_advance walks time from event to event: every endpoint transition at
** its exact second, and every whole minute the per-minute work — metrics for
** the minute that just ended (from traffic generators and InvokeEndpoint),
** alarm evaluation, autoscaling actions, and the guardrails' alarm watch.
** Nothing here reads the wall clock, so a run is deterministic given
** TFC_SIM_SEED.
*/
#include "providers/sim/sim_int.h"

#include "base/util.h"

#include <math.h>
#include <string.h>

/* Rounds x up or down at random in proportion, so small rates still show. */
static double dither(SimWorld *w, double x) {
  double f = floor(x);
  return f + (sim_rand01(w) < x - f ? 1 : 0);
}

static void emit(SimWorld *w, const cJSON *dims, long long t, double n, double n_per_inst, double inst, double e4,
                 double e5, double lat_us) {
  const char *ns = "AWS/SageMaker";
  if (n <= 0) {
    sim_cw_put(w, ns, "Invocations", dims, t, 0, 1, 0, 0);
    sim_cw_put(w, ns, "InvocationsPerInstance", dims, t, 0, 1, 0, 0);
    sim_cw_put(w, ns, "Invocation4XXErrors", dims, t, 0, 1, 0, 0);
    sim_cw_put(w, ns, "Invocation5XXErrors", dims, t, 0, 1, 0, 0);
    return;
  }
  double jit = sim_knob("metric_jitter");
  sim_cw_put(w, ns, "Invocations", dims, t, n, n, 1, 1);
  sim_cw_put(w, ns, "InvocationsPerInstance", dims, t, n_per_inst, n, 1.0 / inst, 1.0 / inst);
  sim_cw_put(w, ns, "Invocation4XXErrors", dims, t, e4, n, 0, e4 > 0);
  sim_cw_put(w, ns, "Invocation5XXErrors", dims, t, e5, n, 0, e5 > 0);
  sim_cw_put(w, ns, "InvocationModelErrors", dims, t, e4 + e5, n, 0, e4 + e5 > 0);
  sim_cw_put(w, ns, "ModelLatency", dims, t, lat_us * n, n, lat_us * (1 - jit), lat_us * (1 + jit));
  double ov = sim_knob("overhead_latency_us");
  sim_cw_put(w, ns, "OverheadLatency", dims, t, ov * n, n, ov * (1 - jit), ov * (1 + jit));
}

/* Metrics of one endpoint for the minute [t0, t0+60). */
static void endpoint_minute(SimWorld *w, cJSON *ep, long long t0) {
  const char *st = sim_str(ep, "EndpointStatus");
  if (!sim_get(ep, "Variants") || strcmp(st, "Creating") == 0 || strcmp(st, "Failed") == 0 ||
      strcmp(st, "Deleting") == 0)
    return;
  const char *name = sim_str(ep, "EndpointName");
  cJSON *gen = sim_get(sim_coll(w, "sim", "traffic"), name);
  double requests = 0, err_rate = 0, lat_ms = sim_knob("model_latency_ms");
  if (gen) {
    double from = fmax((double)t0, sim_num(gen, "Start", 0)), to = fmin((double)t0 + 60, sim_num(gen, "Until", 0));
    if (to > from) requests = sim_num(gen, "Rps", 0) * (to - from);
    err_rate = sim_num(gen, "ErrorRate", 0);
    if (sim_num(gen, "LatencyMs", 0) > 0) lat_ms = sim_num(gen, "LatencyMs", 0);
  }
  if (requests > 0) sim_set_bool(ep, "HasTraffic", true);
  else if (!(sim_knob("zero_metrics_when_idle") != 0 && sim_bool(ep, "HasTraffic", false))) return;
  double total = 0;
  const cJSON *v;
  cJSON_ArrayForEach(v, sim_get(ep, "Variants")) total += sim_num(v, "CurrentWeight", 1);
  cJSON_ArrayForEach(v, sim_get(ep, "Variants")) {
    const char *vn = sim_str(v, "VariantName");
    double nv = total > 0 ? requests * sim_num(v, "CurrentWeight", 1) / total : 0;
    SimFleet fl[2];
    int nf = sim_deploy_fleets(w, ep, vn, fl);
    double n = 0, per = 0, e4 = 0, e5 = 0, latsum = 0, inst = 0;
    for (int f = 0; f < nf; f++) {
      double k = nv > 0 ? dither(w, nv * fl[f].share) : 0;
      double ni = fl[f].instances > 0 ? fl[f].instances : 1;
      double rate5 = sim_fault_rate(w, fl[f].image);
      double f5 = dither(w, k * rate5), f4 = fmin(k - f5, dither(w, k * err_rate));
      double lat = lat_ms * 1000 * (1 + sim_knob("metric_jitter") * (2 * sim_rand01(w) - 1));
      cJSON *fd = sim_cw_dims("EndpointName", name, "EndpointConfigName", fl[f].config, "VariantName", vn, NULL);
      if (k > 0 || fl[f].share > 0) emit(w, fd, t0, k, k / ni, ni, f4, f5, lat);
      cJSON_Delete(fd);
      n += k;
      per += k / ni;
      e4 += f4;
      e5 += f5;
      latsum += lat * k;
      inst += ni;
    }
    cJSON *dims = sim_cw_dims("EndpointName", name, "VariantName", vn, NULL);
    emit(w, dims, t0, n, per, nf ? inst / nf : 1, e4, e5, n > 0 ? latsum / n : 0);
    cJSON_Delete(dims);
  }
}

void sim_clock_minute(SimWorld *w) {
  long long now = sim_now(w), t0 = now - 60;
  cJSON *ep;
  cJSON_ArrayForEach(ep, sim_coll(w, "sagemaker", "endpoints")) endpoint_minute(w, ep, t0);
  cJSON *gens = sim_coll(w, "sim", "traffic"), *g = gens->child;
  while (g) {
    cJSON *next = g->next;
    if (sim_num(g, "Until", 0) <= (double)now) sim_del(gens, g->string);
    g = next;
  }
  /* SageMaker's monitor sees alarm states as they stand (even one set by
  ** SetAlarmState), and again after this minute's evaluation */
  sim_deploy_watch(w);
  sim_cw_evaluate(w);
  sim_deploy_watch(w);
  if (now % 3600 == 0) sim_cw_prune(w);
}

void sim_advance(SimWorld *w, long long seconds) {
  if (seconds < 0) seconds = 0;
  long long target = sim_now(w) + seconds;
  sim_deploy_run(w);
  while (sim_now(w) < target) {
    long long now = sim_now(w);
    long long t = (now / 60 + 1) * 60;
    long long d = sim_deploy_next(w);
    if (d > now && d < t) t = d;
    if (target < t) t = target;
    sim_set_now(w, t);
    sim_deploy_run(w);
    if (t % 60 == 0) sim_clock_minute(w);
  }
  w->dirty = true;
}

int sim_traffic_start(SimWorld *w, const char *endpoint, double rps, long long seconds, double error_rate,
                      double latency_ms, AwsError *err) {
  if (!endpoint || !sim_sm_endpoint(w, endpoint))
    return sim_err(err, 400, "ValidationError", "Endpoint %s of account %s not found.", endpoint ? endpoint : "",
                   sim_account(w));
  if (!(rps >= 0 && rps <= 1e6) || !(error_rate >= 0 && error_rate <= 1) || !(latency_ms >= 0 && latency_ms <= 3.6e6) ||
      seconds < 0)
    return sim_err(err, 400, "ValidationError",
                   "Traffic needs 0 <= rps <= 1000000, an error rate between 0 and 1, a latency between 0 and "
                   "3600000 ms and a duration >= 0.");
  cJSON *g = cJSON_CreateObject();
  sim_set_num(g, "Rps", rps);
  sim_set_num(g, "Start", (double)sim_now(w));
  sim_set_num(g, "Until", (double)(sim_now(w) + seconds));
  sim_set_num(g, "ErrorRate", error_rate);
  sim_set_num(g, "LatencyMs", latency_ms);
  sim_set(sim_coll(w, "sim", "traffic"), endpoint, g);
  w->dirty = true;
  return 0;
}

int sim_traffic(SimWorld *w, const char *endpoint, double rps, long long seconds, double error_rate,
                double latency_ms, AwsError *err) {
  if (sim_traffic_start(w, endpoint, rps, seconds, error_rate, latency_ms, err)) return -1;
  sim_advance(w, seconds);
  return 0;
}

/* Faults live in sim.faults as image -> {Rate5xx, PingFails}; an image with
** neither is removed so the world stays small. */
static void fault_set(SimWorld *w, const char *image, const char *key, cJSON *v, bool clear) {
  cJSON *all = sim_coll(w, "sim", "faults"), *f = sim_obj(all, image);
  if (clear) {
    sim_del(f, key);
    cJSON_Delete(v);
  } else {
    sim_set(f, key, v);
  }
  if (!f->child) sim_del(all, image);
  w->dirty = true;
}

void sim_fault(SimWorld *w, const char *image_uri, double rate_5xx) {
  fault_set(w, image_uri, "Rate5xx", cJSON_CreateNumber(rate_5xx > 1 ? 1 : rate_5xx), !(rate_5xx > 0));
}

void sim_fault_ping(SimWorld *w, const char *image_uri, bool fails) {
  fault_set(w, image_uri, "PingFails", cJSON_CreateTrue(), !fails);
}

double sim_fault_rate(SimWorld *w, const char *image) {
  return image ? sim_num(sim_get(sim_coll(w, "sim", "faults"), image), "Rate5xx", 0) : 0;
}

bool sim_fault_ping_fails(SimWorld *w, const char *image) {
  return image && sim_bool(sim_get(sim_coll(w, "sim", "faults"), image), "PingFails", false);
}
