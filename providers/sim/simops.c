/*
** providers/sim/simops.c — the pseudo-service "sim": operations that drive
** the simulator through the same call interface as AWS operations, so the
** provider's waiters (and scripts, via `tfc sim call`) can let simulated time
** pass without linking simulator internals. Never sent to real AWS.
**
**   Advance  {Seconds}                                   -> {Now, Time}
**   Now      {}                                          -> {Now, Time}
**   Traffic  {EndpointName, Rps, Seconds, ErrorRate?, LatencyMs?} -> {Now, Time}
**   Fault    {Image, Rate5xx}                            -> {}
**   Reset    {}                                          -> {}
**   Status   {}                                          -> {Text}
*/
#include "providers/sim/sim_int.h"

#include <stdlib.h>

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

static int op_now(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  (void)req;
  (void)err;
  *resp = now_out(w);
  return 0;
}

static int op_traffic(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  double s = sim_num(req, "Seconds", -1);
  if (s < 0 || s > 31.0 * 86400) return sim_err(err, 400, "ValidationError", "Seconds must be between 0 and 2678400.");
  if (sim_traffic(w, sim_str(req, "EndpointName"), sim_num(req, "Rps", -1), (long long)s, sim_num(req, "ErrorRate", 0),
                  sim_num(req, "LatencyMs", 0), err))
    return -1;
  *resp = now_out(w);
  return 0;
}

static int op_fault(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  const char *img = sim_str(req, "Image");
  double r = sim_num(req, "Rate5xx", -1);
  if (!img || !*img || r < 0 || r > 1) return sim_err(err, 400, "ValidationError", "Fault needs an Image and a Rate5xx between 0 and 1.");
  sim_fault(w, img, r);
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
    {"Advance", op_advance, true}, {"Now", op_now, false},     {"Traffic", op_traffic, true},
    {"Fault", op_fault, true},     {"Reset", op_reset, true},  {"Status", op_status, false},
};
const SimService sim_svc_sim = {"sim", ops, sizeof ops / sizeof ops[0]};
