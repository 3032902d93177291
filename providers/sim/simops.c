/*
** providers/sim/simops.c — the pseudo-service "sim": operations that drive
** the simulator through the same call interface as AWS operations, so the
** provider's waiters (and scripts, via `tfc sim call`) can let simulated time
** pass without linking simulator internals. Never sent to real AWS.
**
**   Advance  {Seconds}                                   -> {Now, Time}
**   WaitEndpoint {EndpointName, MaxSeconds?, PollSeconds?} -> {Now, Time, EndpointStatus}
**            advances PollSeconds (default 30) at a time until the endpoint
**            is no longer transitional (EndpointStatus "Gone" once deleted),
**            or MaxSeconds (default 3600) have passed — a waiter in one call
**   Now      {}                                          -> {Now, Time}
**   Traffic  {EndpointName, Rps, Seconds, ErrorRate?, LatencyMs?, Background?} -> {Now, Time}
**            Background: register the traffic without advancing the clock
**   Fault    {Image, Rate5xx?, PingFails?}               -> {}
**   Reset    {}                                          -> {}
**   Status   {}                                          -> {Text}
*/
#include "providers/sim/sim_int.h"

#include <stdlib.h>
#include <string.h>

static cJSON *now_out(SimWorld *w) {
  cJSON *o = cJSON_CreateObject();
  char ts[24];
  sim_set_num(o, "Now", (double)sim_now(w));
  sim_set_str(o, "Time", sim_now_iso(w, ts));
  return o;
}

static int op_advance(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  double s = sim_num(req, "Seconds", -1);
  if (s < 0 || s > 366.0 * 86400) return sim_err(err, 400, "ValidationError", "Seconds must be between 0 and 31622400.");
  sim_advance(w, (long long)s);
  *resp = now_out(w);
  return 0;
}

static bool transitional(const char *st) {
  static const char *const t[] = {"Creating", "Updating", "SystemUpdating", "RollingBack", "Deleting"};
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
    if (strcmp(st, t[i]) == 0) return true;
  return false;
}

static int op_wait_endpoint(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  const char *name = sim_str(req, "EndpointName");
  if (!name || !sim_sm_endpoint(w, name))
    return sim_err(err, 400, "ValidationException", "Could not find endpoint \"%s\".", name ? name : "");
  double max = sim_num(req, "MaxSeconds", 3600), poll = sim_num(req, "PollSeconds", 30);
  if (max < 0 || max > 366.0 * 86400 || poll < 1 || poll > 86400)
    return sim_err(err, 400, "ValidationError", "MaxSeconds must be 0-31622400 and PollSeconds 1-86400.");
  long long end = sim_now(w) + (long long)max;
  const char *st = NULL;
  for (;;) {
    cJSON *ep = sim_sm_endpoint(w, name);
    st = ep ? sim_str(ep, "EndpointStatus") : "Gone";
    if (!transitional(st) || sim_now(w) >= end) break;
    long long step = (long long)poll;
    if (sim_now(w) + step > end) step = end - sim_now(w);
    sim_advance(w, step);
  }
  *resp = now_out(w);
  sim_set_str(*resp, "EndpointStatus", st);
  w->dirty = true;
  return 0;
}

static int op_now(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  (void)req;
  (void)err;
  *resp = now_out(w);
  return 0;
}

static int op_traffic(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  double s = sim_num(req, "Seconds", -1);
  if (s < 0 || s > 31.0 * 86400) return sim_err(err, 400, "ValidationError", "Seconds must be between 0 and 2678400.");
  int (*fn)(SimWorld *, const char *, double, long long, double, double, AwsError *) =
      sim_bool(req, "Background", false) ? sim_traffic_start : sim_traffic;
  if (fn(w, sim_str(req, "EndpointName"), sim_num(req, "Rps", -1), (long long)s, sim_num(req, "ErrorRate", 0),
         sim_num(req, "LatencyMs", 0), err))
    return -1;
  *resp = now_out(w);
  return 0;
}

static int op_fault(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  const char *img = sim_str(req, "Image");
  cJSON *rate = sim_get(req, "Rate5xx"), *ping = sim_get(req, "PingFails");
  double r = cJSON_IsNumber(rate) ? rate->valuedouble : -1;
  if (!img || !*img || (!rate && !ping) || (rate && (r < 0 || r > 1)) || (ping && !cJSON_IsBool(ping)))
    return sim_err(err, 400, "ValidationError", "Fault needs an Image, and a Rate5xx between 0 and 1 or a boolean PingFails.");
  if (rate) sim_fault(w, img, r);
  if (ping) sim_fault_ping(w, img, cJSON_IsTrue(ping));
  (void)resp;
  return 0;
}

static int op_reset(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  (void)req;
  (void)resp;
  (void)err;
  sim_world_reset(w);
  return 0;
}

static int op_status(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  (void)req;
  (void)err;
  Buf b = BUF_INIT;
  sim_status_text(w, &b);
  *resp = cJSON_CreateObject();
  char *t = buf_take(&b);
  sim_set_str(*resp, "Text", t);
  free(t);
  return 0;
}

static const SimOp ops[] = {
    {"Advance", op_advance, true}, {"WaitEndpoint", op_wait_endpoint, true},
    {"Now", op_now, false},        {"Traffic", op_traffic, true},
    {"Fault", op_fault, true},     {"Reset", op_reset, true},  {"Status", op_status, false},
};
const SimService sim_svc_sim = {"sim", ops, sizeof ops / sizeof ops[0]};
