/*
** providers/sim/sim_int.h — what the simulator's files share; not for use
** outside providers/sim (the rest of tfc sees sim.h and call.h only).
**
** The world is one cJSON document (see world.c for its layout). Keeping the
** model as JSON makes persistence a dump, diffs of the world file readable,
** and every API response a projection of stored objects. Objects are keyed by
** name in JSON objects; lookups are always case-sensitive (cJSON's plain
** GetObjectItem is not, so never use it here).
*/
#ifndef TFC_SIM_INT_H
#define TFC_SIM_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "providers/sim/sim.h"

/* A hash index over one collection's members (see sim_find). */
typedef struct SimIndex {
  cJSON *coll;        /* the collection object indexed */
  cJSON **slot;       /* open addressing with linear probing; NULL is empty */
  size_t cap, n;      /* cap is a power of two, n < cap / 2 */
} SimIndex;

struct SimWorld {
  cJSON *doc;         /* the whole world; layout in world.c */
  SimIndex *idx;      /* indexes of the collections looked up with sim_find */
  size_t nidx;
  char *path;         /* world file, NULL for an in-memory world */
  bool dirty;         /* changed since the last save */
  int lockfd;         /* open lock file (.tfc/sim-world.lock), -1 until first used */
  int depth;          /* nesting of sim_world_begin */
  bool have_seen;     /* seen_* describe the file as last read or written */
  long long seen_ino, seen_size, seen_mtime_ns;
};

/* An API operation: returns 0 and sets *resp, or -1 and fills *err. */
typedef int (*SimOpFn)(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err);
typedef struct SimOp {
  const char *name;   /* e.g. "CreateEndpoint" */
  SimOpFn fn;
  bool mutates;       /* whether a successful call must be persisted */
} SimOp;
typedef struct SimService {
  const char *name;   /* "sagemaker", "iam", ... */
  const SimOp *ops;
  size_t nops;
} SimService;

extern const SimService sim_svc_iam, sim_svc_sts, sim_svc_sagemaker, sim_svc_runtime,
    sim_svc_autoscaling, sim_svc_cloudwatch, sim_svc_sns, sim_svc_sim;

/* ---- knobs.c: behaviours AWS does not document, in one table ---- */
double sim_knob(const char *name);
const char *sim_knob_str(const char *name);
/* Applies TFC_SIM_KNOBS ("name=value,name=value"); unknown names are reported. */
void sim_knobs_load(DiagList *diags);

/* ---- world.c: JSON helpers, ids, time ---- */
cJSON *sim_get(const cJSON *o, const char *key);               /* case-sensitive */
const char *sim_str(const cJSON *o, const char *key);          /* NULL unless a string */
double sim_num(const cJSON *o, const char *key, double dflt);  /* dflt unless a number */
bool sim_bool(const cJSON *o, const char *key, bool dflt);
cJSON *sim_obj(cJSON *parent, const char *key);                /* get or create object */
cJSON *sim_arr(cJSON *parent, const char *key);                /* get or create array */
void sim_set(cJSON *o, const char *key, cJSON *v);             /* replace or add; consumes v */
void sim_set_str(cJSON *o, const char *key, const char *v);
void sim_set_num(cJSON *o, const char *key, double v);
void sim_set_bool(cJSON *o, const char *key, bool v);
void sim_del(cJSON *o, const char *key);
cJSON *sim_dup(const cJSON *v);                                /* deep copy, NULL-safe */
/* The collection object of a service, e.g. sim_coll(w, "sagemaker", "endpoints"). */
cJSON *sim_coll(SimWorld *w, const char *service, const char *kind);

/* Members of the large collections (iam.roles, cloudwatch.alarms, sns.topics)
** are looked up through a hash index, since a cJSON object is a list and a
** refresh of n objects would otherwise cost n^2. Such a collection must only
** change through sim_put and sim_remove, which keep its index current. */
cJSON *sim_find(SimWorld *w, const char *service, const char *kind, const char *key);
void sim_put(SimWorld *w, const char *service, const char *kind, const char *key, cJSON *v); /* consumes v */
void sim_remove(SimWorld *w, const char *service, const char *kind, const char *key);

long long sim_now(const SimWorld *w);
void sim_set_now(SimWorld *w, long long t);
char *sim_now_iso(const SimWorld *w, char *buf);
uint64_t sim_rand(SimWorld *w);                /* deterministic from TFC_SIM_SEED */
double sim_rand01(SimWorld *w);
void sim_uuid(SimWorld *w, char out[37]);
void sim_rand_id(SimWorld *w, const char *prefix, int n, char *out); /* prefix + n [A-Z0-9] */
const char *sim_account(const SimWorld *w);
const char *sim_region(const SimWorld *w);
void sim_sha256_hex(const char *s, size_t n, char out[65]);
void sim_lower(char *s);
/* Appends {Time, ...} to a bounded array (keeps the newest `keep`). */
void sim_log(cJSON *arr, cJSON *entry, int keep);

/* ---- validate.c: AWS-shaped validation errors and patterns ---- */
int sim_err(AwsError *err, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Full-string PCRE2 match. */
bool sim_match(const char *pattern, const char *s);
/* "1 validation error detected: Value null at 'member' ..." when missing.
** Returns the string or NULL (err set). code is the service's validation code. */
const char *sim_req_str(const cJSON *req, const char *key, const char *member, const char *code,
                        AwsError *err);
/* Length and pattern check with AWS's constraint text; 0 ok, -1 err set. */
int sim_check_str(const char *v, const char *member, size_t minlen, size_t maxlen,
                  const char *pattern, const char *code, AwsError *err);
int sim_check_range(double v, const char *member, double lo, double hi, const char *code,
                    AwsError *err);
int sim_check_enum(const char *v, const char *member, const char *const *values,
                   const char *code, AwsError *err);
/* SageMaker-style names: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62} */
extern const char *const SIM_SM_NAME_RE;
/* Tags as [{Key,Value}] lists stored on objects. */
int sim_tags_merge(cJSON *obj, const cJSON *tags, const char *code, AwsError *err);
void sim_tags_remove(cJSON *obj, const cJSON *keys);

/* ---- iam.c ---- */
/* The role named by an ARN, or NULL. */
cJSON *sim_iam_role_by_arn(SimWorld *w, const char *arn);
bool sim_iam_trusts(const cJSON *role, const char *service_principal);
/* Whether the role's inline and attached policies allow action on resource. */
bool sim_iam_allows(SimWorld *w, const cJSON *role, const char *action, const char *resource);
/* Whether the role is past the propagation delay (knob) since it last changed. */
bool sim_iam_visible(SimWorld *w, const cJSON *role);

/* ---- sagemaker.c / deploy.c: endpoints ---- */
cJSON *sim_sm_endpoint(SimWorld *w, const char *name);
char *sim_sm_arn(SimWorld *w, const char *kind, const char *name); /* malloc'd */
/* Starts an UpdateEndpointWeightsAndCapacities-style scaling of one variant;
** returns 0, or -1 with err when the endpoint cannot be rescaled now. */
int sim_deploy_scale(SimWorld *w, cJSON *ep, const char *variant, int desired, const char *activity_id,
                     AwsError *err);
/* Starts CreateEndpoint / UpdateEndpoint / DeleteEndpoint state machines. */
void sim_deploy_create(SimWorld *w, cJSON *ep, const cJSON *cfg);
int sim_deploy_update(SimWorld *w, cJSON *ep, const cJSON *newcfg, const cJSON *req, AwsError *err);
void sim_deploy_delete(SimWorld *w, cJSON *ep);
/* Earliest pending transition time after now, or LLONG_MAX. */
long long sim_deploy_next(SimWorld *w);
/* Runs every transition due at or before now. */
void sim_deploy_run(SimWorld *w);
/* Called every minute after alarms were evaluated: rollbacks on alarms. */
void sim_deploy_watch(SimWorld *w);
/* Records a deployment event on the endpoint's timeline. */
void sim_deploy_event(SimWorld *w, cJSON *ep, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The fleets serving a variant now: blue (live) and green (new) with the
** share of the variant's traffic each receives. */
typedef struct SimFleet {
  const char *config;  /* endpoint config the fleet runs */
  const char *image;   /* its primary container image */
  int instances;       /* active instances */
  double share;        /* share of this variant's traffic, 0..1 */
} SimFleet;
int sim_deploy_fleets(SimWorld *w, const cJSON *ep, const char *variant, SimFleet out[2]);

/* ---- cloudwatch.c ---- */
/* Adds samples to the datapoint of the minute containing t. */
void sim_cw_put(SimWorld *w, const char *ns, const char *metric, const cJSON *dims, long long t,
                double sum, double count, double min, double max);
/* Builds a dimension list [{Name,Value}] (pairs of strings, NULL-terminated). */
cJSON *sim_cw_dims(const char *name, ...);
void sim_cw_evaluate(SimWorld *w);   /* every simulated minute */
void sim_cw_prune(SimWorld *w);
/* Creates/overwrites an alarm owned by the simulator (target tracking). */
cJSON *sim_cw_alarm(SimWorld *w, const char *name);
void sim_cw_delete_alarm(SimWorld *w, const char *name);
double sim_cw_latest(SimWorld *w, const cJSON *alarm); /* newest value the alarm saw */
/* Sum of a metric over [from, to); false when there is no datapoint. */
bool sim_cw_sum(SimWorld *w, const char *ns, const char *metric, const cJSON *dims, long long from, long long to,
                double *out);

/* ---- autoscaling.c ---- */
/* Runs the scaling policy named by arn for an alarm in ALARM (every minute). */
void sim_as_alarm_action(SimWorld *w, const char *policy_arn, const cJSON *alarm);
/* Called when a scaling change finished on an endpoint variant. */
void sim_as_activity_done(SimWorld *w, const char *activity_id, bool ok, const char *msg);
/* The registered target of an endpoint variant, or NULL. */
cJSON *sim_as_target(SimWorld *w, const char *endpoint, const char *variant);
void sim_as_deregister_endpoint(SimWorld *w, const char *endpoint);

/* ---- sns.c ---- */
void sim_sns_publish(SimWorld *w, const char *topic_arn, const char *subject, const char *message);

/* ---- clock.c ---- */
double sim_fault_rate(SimWorld *w, const char *image); /* 5xx share of an image, 0 when healthy */
bool sim_fault_ping_fails(SimWorld *w, const char *image);
void sim_clock_minute(SimWorld *w); /* emit metrics for the minute just ended */

#endif
