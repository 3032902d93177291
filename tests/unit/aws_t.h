/*
** tests/unit/aws_t.h — helpers for the AWS provider's unit tests: a
** provider configured over an in-memory simulated world, and one-line
** validate / plan / apply / read / import with configurations written as
** JSON (the shape the core hands the provider: blocks as lists).
*/
#ifndef TFC_AWS_T_H
#define TFC_AWS_T_H

#include "providers/aws/aws_int.h"
#include "providers/sim/sim.h"
#include "t.h"

#include "base/buf.h"

#pragma GCC diagnostic ignored "-Wunused-function"

static ProvCtx *P;
static ProvDiags D;

/* Every call the provider makes is recorded ([{svc, op, req}]) on its way
** to the simulator, so tests can check the operations and request shapes. */
static cJSON *CALLS;
typedef struct RecTransport {
  AwsTransport t;
  AwsTransport *inner;
} RecTransport;

static int rec_call(AwsTransport *t, const char *service, const char *op, const cJSON *req, cJSON **resp,
                    AwsError *err) {
  RecTransport *r = (RecTransport *)t;
  if (CALLS) {
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "svc", service);
    cJSON_AddStringToObject(e, "op", op);
    cJSON_AddItemToObject(e, "req", cJSON_Duplicate(req, 1));
    cJSON_AddItemToArray(CALLS, e);
  }
  return r->inner->call(r->inner, service, op, req, resp, err);
}

static void rec_close(AwsTransport *t) {
  RecTransport *r = (RecTransport *)t;
  r->inner->close(r->inner);
  free(r);
}

static AwsTransport *recording(AwsTransport *inner) {
  RecTransport *r = calloc(1, sizeof *r);
  r->t.call = rec_call;
  r->t.close = rec_close;
  r->inner = inner;
  return &r->t;
}

/* Starts recording calls afresh. */
static void record(void) {
  cJSON_Delete(CALLS);
  CALLS = cJSON_CreateArray();
}

/* The recorded operations as "svc:Op,svc:Op..." (sim pseudo-calls left out
** unless with_sim). */
static char *ops(bool with_sim) {
  Buf b = BUF_INIT;
  const cJSON *e;
  cJSON_ArrayForEach(e, CALLS) {
    const char *svc = cJSON_GetObjectItem(e, "svc")->valuestring;
    if (!with_sim && strcmp(svc, "sim") == 0) continue;
    buf_printf(&b, "%s%s:%s", b.len ? "," : "", svc, cJSON_GetObjectItem(e, "op")->valuestring);
  }
  return buf_take(&b);
}

/* The request of the n-th recorded call of op (0-based), or NULL. */
static const cJSON *request(const char *op, int n) {
  const cJSON *e;
  cJSON_ArrayForEach(e, CALLS) if (strcmp(cJSON_GetObjectItem(e, "op")->valuestring, op) == 0 && n-- == 0) return cJSON_GetObjectItem(e, "req");
  return NULL;
}

/* A fresh world and provider; provider block as JSON (NULL: region only). */
static void provider(const char *json) {
  if (P) aws_provider.close(P);
  P = NULL;
  setenv("TFC_SIM_SEED", "7", 1);
  unsetenv("TFC_SIM_KNOBS");
  AwsTransport *t = recording(sim_open(NULL, NULL));
  cJSON *j = cJSON_Parse(json ? json : "{\"region\":\"us-east-1\"}");
  ProvDiags d = {0};
  Value *cfg = aws_json_val(aws_provider.config_schema, j, &d);
  P = aws_provider.configure(cfg, t, &d);
  for (size_t i = 0; i < d.n; i++) printf("# configure: %s %s\n", d.v[i].summary, d.v[i].detail ? d.v[i].detail : "");
  prov_diags_free(&d);
  val_free(cfg);
  cJSON_Delete(j);
}

static void done(void) {
  if (P) aws_provider.close(P);
  P = NULL;
  cJSON_Delete(CALLS);
  CALLS = NULL;
  prov_diags_free(&D);
}

static const ResourceType *rt(const char *name) { return provider_resource(&aws_provider, name); }

/* A configuration value of the resource's schema from JSON. */
static Value *conf(const ResourceType *r, const char *json) {
  cJSON *j = cJSON_Parse(json);
  if (!j) {
    printf("# bad JSON in test: %s\n", json);
    return NULL;
  }
  ProvDiags d = {0};
  Value *v = aws_json_val(r->schema, j, &d);
  prov_diags_free(&d);
  cJSON_Delete(j);
  return v;
}

static void clear_diags(void) { prov_diags_free(&D); }

static void print_diags(void) {
  for (size_t i = 0; i < D.n; i++)
    printf("# %s: %s%s%s\n", D.v[i].path ? D.v[i].path : "-", D.v[i].summary, D.v[i].detail ? " — " : "",
           D.v[i].detail ? D.v[i].detail : "");
}

/* Whether some diagnostic has this path and mentions text (in summary or detail). */
static bool has_diag(const char *path, const char *text) {
  for (size_t i = 0; i < D.n; i++) {
    bool pm = path ? (D.v[i].path && strcmp(D.v[i].path, path) == 0) : true;
    bool tm = !text || strstr(D.v[i].summary, text) || (D.v[i].detail && strstr(D.v[i].detail, text));
    if (pm && tm) return true;
  }
  return false;
}

/* As the core validates: the schema's declarative rules, then the type's own. */
static void validate(const ResourceType *r, const Value *cfg) {
  clear_diags();
  schema_validate(r->schema, cfg, &D);
  r->validate(cfg, &D);
}

/* Plans prior -> cfg; rr receives the replacement paths. */
static Value *plan(const ResourceType *r, const Value *prior, const Value *cfg, PathSet *rr) {
  clear_diags();
  Value *proposed = schema_proposed_new(r->schema, prior, cfg);
  Value *planned = r->plan(P, prior, cfg, proposed, rr, &D);
  val_free(proposed);
  return planned;
}

/* validate + plan + apply: the new state (NULL on error, diagnostics in D). */
static Value *up(const ResourceType *r, const Value *prior, const char *json) {
  Value *cfg = conf(r, json);
  validate(r, cfg);
  if (D.nerrors) {
    print_diags();
    val_free(cfg);
    return NULL;
  }
  PathSet rr = {0};
  Value *planned = plan(r, prior, cfg, &rr);
  Value *st = NULL;
  if (rr.n && prior) {
    /* replacement: destroy then create */
    Value *gone = r->apply(P, prior, NULL, &D);
    val_free(gone);
    Value *fresh = plan(r, NULL, cfg, &rr);
    st = r->apply(P, NULL, fresh, &D);
    val_free(fresh);
  } else {
    st = r->apply(P, prior, planned, &D);
  }
  pathset_free(&rr);
  val_free(planned);
  val_free(cfg);
  return st;
}

/* Plans the same configuration again: true when nothing would change. */
static bool noop(const ResourceType *r, const Value *state, const char *json) {
  Value *cfg = conf(r, json);
  PathSet rr = {0};
  Value *planned = plan(r, state, cfg, &rr);
  bool same = planned && val_raw_equal(planned, state) && rr.n == 0;
  if (!same) {
    char *a = val_format(state), *b = val_format(planned);
    printf("# not a no-op.\n# state:   %s\n# planned: %s\n", a, b);
    for (size_t i = 0; i < rr.n; i++) printf("# replace: %s\n", rr.v[i]);
    free(a);
    free(b);
  }
  pathset_free(&rr);
  val_free(planned);
  val_free(cfg);
  return same;
}

/* A string attribute of a state (view; "" when null/absent). */
static const char *sattr(const Value *v, const char *name) {
  if (!v || val_is_null(v)) return "";
  Value *a = val_attr(v, name);
  const char *s = a && val_is_known(a) && !val_is_null(a) && val_kind(a) == TY_STRING ? val_str(a) : "";
  val_free(a);
  return s;
}

static bool attr_unknown(const Value *v, const char *name) {
  Value *a = val_attr(v, name);
  bool u = a && !val_is_known(a);
  val_free(a);
  return u;
}

/* One API call against the world, e.g. to change it out of band. */
static cJSON *api(const char *svc, const char *op, const char *json) {
  cJSON *req = cJSON_Parse(json);
  cJSON *resp = NULL;
  AwsError e = {0};
  if (aws_call(P, svc, op, req, &resp, &e) != 0) {
    printf("# api %s %s: %s %s\n", svc, op, e.code, e.message);
    aws_error_clear(&e);
    resp = NULL;
  }
  cJSON_Delete(req);
  return resp;
}

#include <stdarg.h>

/* Configurations are written with ' for " inside policy documents; fmt
** substitutes %s arguments and then turns the inner JSON into a string. */
static char *cfgf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *cfgf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = NULL;
  if (vasprintf(&s, fmt, ap) < 0) s = NULL;
  va_end(ap);
  for (char *c = s; c && *c; c++)
    if (*c == '\'') *c = '`';
  /* ` marks the quotes of an embedded document: escape them */
  Buf b = BUF_INIT;
  for (char *c = s; c && *c; c++) {
    if (*c == '`') buf_puts(&b, "\\\"");
    else buf_putc(&b, *c);
  }
  free(s);
  return buf_take(&b);
}

#define TRUST "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':{'Service':'sagemaker.amazonaws.com'},'Action':'sts:AssumeRole'}]}"
/* the same trust policy, written differently (order, one-element list) */
#define TRUST_EQUIV "{'Statement':[{'Action':['sts:AssumeRole'],'Principal':{'Service':['sagemaker.amazonaws.com']},'Effect':'Allow'}],'Version':'2012-10-17'}"
/* what a hosting execution role needs: the artifact, and pulling its image */
#define S3READ "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':['s3:GetObject'],'Resource':'arn:aws:s3:::models/*'},{'Effect':'Allow','Action':['ecr:GetAuthorizationToken','ecr:BatchGetImage','ecr:GetDownloadUrlForLayer'],'Resource':'*'}]}"
/* the artifact only: the endpoint cannot pull its image */
#define S3ONLY "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':['s3:GetObject'],'Resource':'arn:aws:s3:::models/*'}]}"
#define IMAGE "123456789012.dkr.ecr.us-east-1.amazonaws.com/xgb:1"
#define IMAGE2 "123456789012.dkr.ecr.us-east-1.amazonaws.com/xgb:2"

static Value *make_role(const char *name, bool with_s3) {
  char *c = cfgf("{\"name\":\"%s\",\"assume_role_policy\":\"" TRUST "\"}", name);
  Value *role = up(rt("aws_iam_role"), NULL, c);
  free(c);
  if (role && with_s3) {
    char *pc = cfgf("{\"name\":\"s3\",\"role\":\"%s\",\"policy\":\"" S3READ "\"}", name);
    Value *pol = up(rt("aws_iam_role_policy"), NULL, pc);
    free(pc);
    val_free(pol);
  }
  return role;
}

#define MODEL_CFG "{\"name\":\"%s\",\"execution_role_arn\":\"arn:aws:iam::123456789012:role/exec\"," \
  "\"primary_container\":[{\"image\":\"%s\",\"model_data_url\":\"s3://models/xgb/model.tar.gz\"}]}"
#define CONFIG_CFG "{\"name\":\"%s\",\"production_variants\":[{\"variant_name\":\"AllTraffic\",\"model_name\":\"%s\"," \
  "\"instance_type\":\"%s\",\"initial_instance_count\":%d}]}"

#endif
