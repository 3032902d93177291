/*
** providers/aws/util.c — helpers every AWS resource uses: the call wrapper
** and the real provider's error text, sleeping between polls, generated
** names, ARNs, cJSON access, field maps (tf JSON <-> API shapes), tags,
** and Value <-> tf JSON conversion.
*/
#include "providers/aws/aws_int.h"

#include "base/buf.h"
#include "base/util.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---------------------------------------------------------------- calls */

int aws_call(ProvCtx *p, const char *service, const char *op, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *out = NULL;
  cJSON *empty = NULL;
  if (!req) req = empty = cJSON_CreateObject();
  int rc = p->t->call(p->t, service, op, req, &out, err);
  cJSON_Delete(empty);
  if (rc != 0) {
    cJSON_Delete(out);
    if (!err->code) aws_error_set(err, 500, "InternalFailure", "the transport failed without an error");
    return -1;
  }
  if (resp) *resp = out ? out : cJSON_CreateObject();
  else cJSON_Delete(out);
  return 0;
}

bool aws_err_is(const AwsError *e, const char *code, const char *msg_contains) {
  if (!e->code || strcmp(e->code, code) != 0) return false;
  return !msg_contains || (e->message && strstr(e->message, msg_contains));
}

/* The SDK's service names in "operation error <Svc>: <Op>". */
static const char *svc_title(const char *svc) {
  static const char *const map[][2] = {
      {"sagemaker", "SageMaker"}, {"iam", "IAM"}, {"sts", "STS"}, {"sns", "SNS"}, {"monitoring", "CloudWatch"},
      {"application-autoscaling", "Application Auto Scaling"}};
  for (size_t i = 0; i < NELEM(map); i++)
    if (strcmp(map[i][0], svc) == 0) return map[i][1];
  return svc;
}

void aws_err_diag(ProvDiags *out, const char *action, const char *what, const char *id, const char *svc,
                  const char *op, const AwsError *e) {
  char *sum = id ? xasprintf("%s %s (%s): operation error %s: %s, https response error StatusCode: %d, api error %s: %s",
                             action, what, id, svc_title(svc), op, e->http_status, e->code ? e->code : "",
                             e->message ? e->message : "")
                 : xasprintf("%s %s: operation error %s: %s, https response error StatusCode: %d, api error %s: %s",
                             action, what, svc_title(svc), op, e->http_status, e->code ? e->code : "",
                             e->message ? e->message : "");
  prov_diag(out, DIAG_ERROR, NULL, sum, NULL);
  free(sum);
}

/* The simulator's pseudo-service "sim" answers "Advance" by moving its
** virtual clock, so a waiter's poll delay costs no real time. A transport
** that does not know the pseudo-service (HTTPS to AWS) answers with an
** error, and then the delay is real. */
void aws_advance(ProvCtx *p, double seconds) {
  if (seconds <= 0) return;
  cJSON *req = cJSON_CreateObject();
  cJSON_AddNumberToObject(req, "Seconds", seconds);
  AwsError e = {0};
  int rc = aws_call(p, "sim", "Advance", req, NULL, &e);
  cJSON_Delete(req);
  aws_error_clear(&e);
  if (rc == 0) return;
  struct timespec ts = {(time_t)seconds, (long)((seconds - floor(seconds)) * 1e9)};
  while (nanosleep(&ts, &ts) != 0) {
  }
}

void aws_sleep(ProvCtx *p, int seconds) {
  if (seconds <= 0) return;
  if (p->sleep_hook && p->sleep_hook(p->sleep_ud, seconds)) return;
  aws_advance(p, seconds);
}

double aws_clock_now(ProvCtx *p) {
  cJSON *resp = NULL;
  AwsError e = {0};
  if (aws_call(p, "sim", "Now", NULL, &resp, &e) == 0) {
    double t = js_num(resp, "Now", 0);
    cJSON_Delete(resp);
    return t;
  }
  aws_error_clear(&e);
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

char *aws_unique_name(ProvCtx *p, const char *prefix) {
  double now = aws_clock_now(p);
  time_t secs = (time_t)floor(now);
  int frac = (int)((now - (double)secs) * 10000);
  struct tm tm;
  gmtime_r(&secs, &tm);
  pthread_mutex_lock(&p->mu);
  unsigned long seq = ++p->name_seq;
  pthread_mutex_unlock(&p->mu);
  return xasprintf("%s%04d%02d%02d%02d%02d%02d%04d%08lx", prefix ? prefix : "terraform-", tm.tm_year + 1900,
                   tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac, seq & 0xffffffffUL);
}

char *aws_name_prefix_of(const char *name) {
  size_t n = strlen(name);
  if (n < 26) return NULL;
  const char *suf = name + n - 26;
  for (int i = 0; i < 18; i++)
    if (!isdigit((unsigned char)suf[i])) return NULL;
  for (int i = 18; i < 26; i++)
    if (!isxdigit((unsigned char)suf[i]) || isupper((unsigned char)suf[i])) return NULL;
  return xstrndup(name, n - 26);
}

char *aws_arn(ProvCtx *p, const char *svc, bool regional, const char *rest) {
  return xasprintf("arn:%s:%s:%s:%s:%s", p->partition, svc, regional ? p->region : "", p->account_id, rest);
}

/* ----------------------------------------------------------------- cJSON */

cJSON *js_get(const cJSON *o, const char *key) { return o ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL; }

const char *js_str(const cJSON *o, const char *key) {
  cJSON *v = js_get(o, key);
  return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : NULL;
}

double js_num(const cJSON *o, const char *key, double dflt) {
  cJSON *v = js_get(o, key);
  return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

bool js_bool(const cJSON *o, const char *key, bool dflt) {
  cJSON *v = js_get(o, key);
  return cJSON_IsBool(v) ? cJSON_IsTrue(v) : dflt;
}

void js_set(cJSON *o, const char *key, cJSON *v) {
  if (js_get(o, key)) cJSON_ReplaceItemInObjectCaseSensitive(o, key, v);
  else cJSON_AddItemToObject(o, key, v);
}

void js_set_str(cJSON *o, const char *key, const char *v) { js_set(o, key, v ? cJSON_CreateString(v) : cJSON_CreateNull()); }
void js_set_num(cJSON *o, const char *key, double v) { js_set(o, key, cJSON_CreateNumber(v)); }
void js_set_bool(cJSON *o, const char *key, bool v) { js_set(o, key, cJSON_CreateBool(v)); }

cJSON *js_block(const cJSON *o, const char *key) {
  cJSON *a = js_get(o, key);
  return cJSON_IsArray(a) ? cJSON_GetArrayItem(a, 0) : NULL;
}

char *aws_url_decode(const char *s) {
  Buf b = BUF_INIT;
  for (const char *c = s; *c; c++) {
    if (*c == '%' && isxdigit((unsigned char)c[1]) && isxdigit((unsigned char)c[2])) {
      char h[3] = {c[1], c[2], 0};
      buf_putc(&b, (char)strtol(h, NULL, 16));
      c += 2;
    } else if (*c == '+') {
      buf_putc(&b, ' ');
    } else {
      buf_putc(&b, *c);
    }
  }
  return buf_take(&b);
}

/* ------------------------------------------------------------ field maps */

static bool zero(const cJSON *v) {
  return (cJSON_IsNumber(v) && v->valuedouble == 0) || (cJSON_IsString(v) && !v->valuestring[0]) ||
         cJSON_IsFalse(v);
}

void aws_expand(const AwsField *map, const cJSON *tf, cJSON *api) {
  for (const AwsField *f = map; f->tf; f++) {
    const cJSON *v = js_get(tf, f->tf);
    if (!v || cJSON_IsNull(v)) continue;
    int kind = f->kind & 0xff;
    if ((f->kind & F_OMIT_ZERO) && zero(v)) continue;
    switch (kind) {
      case F_STR:
        if (cJSON_IsString(v) && v->valuestring[0]) js_set(api, f->api, cJSON_Duplicate(v, 1));
        break;
      case F_NUM:
      case F_BOOL:
      case F_MAP: js_set(api, f->api, cJSON_Duplicate(v, 1)); break;
      case F_LIST:
        if (cJSON_GetArraySize(v) > 0) js_set(api, f->api, cJSON_Duplicate(v, 1));
        break;
      case F_OBJ: {
        const cJSON *e = cJSON_IsArray(v) ? cJSON_GetArrayItem(v, 0) : NULL;
        if (!e) break;
        cJSON *o = cJSON_CreateObject();
        aws_expand(f->sub, e, o);
        js_set(api, f->api, o);
        break;
      }
      case F_OBJS: {
        if (cJSON_GetArraySize(v) == 0) break;
        cJSON *a = cJSON_CreateArray();
        const cJSON *e;
        cJSON_ArrayForEach(e, v) {
          cJSON *o = cJSON_CreateObject();
          aws_expand(f->sub, e, o);
          cJSON_AddItemToArray(a, o);
        }
        js_set(api, f->api, a);
        break;
      }
      case F_NAMEVAL: {
        if (cJSON_GetArraySize(v) == 0) break;
        cJSON *a = cJSON_CreateArray();
        const cJSON *e;
        cJSON_ArrayForEach(e, v) {
          cJSON *o = cJSON_CreateObject();
          cJSON_AddStringToObject(o, "Name", e->string);
          cJSON_AddItemToObject(o, "Value", cJSON_Duplicate(e, 1));
          cJSON_AddItemToArray(a, o);
        }
        js_set(api, f->api, a);
        break;
      }
    }
  }
}

void aws_flatten(const AwsField *map, const cJSON *api, cJSON *tf) {
  for (const AwsField *f = map; f->tf; f++) {
    const cJSON *v = js_get(api, f->api);
    int kind = f->kind & 0xff;
    if (!v || cJSON_IsNull(v)) {
      /* absent blocks are empty lists in state, as the SDK stores them */
      if (kind == F_OBJ || kind == F_OBJS) js_set(tf, f->tf, cJSON_CreateArray());
      else js_set(tf, f->tf, cJSON_CreateNull());
      continue;
    }
    switch (kind) {
      case F_STR:
      case F_NUM:
      case F_BOOL:
      case F_LIST:
      case F_MAP: js_set(tf, f->tf, cJSON_Duplicate(v, 1)); break;
      case F_OBJ: {
        cJSON *o = cJSON_CreateObject();
        aws_flatten(f->sub, v, o);
        cJSON *a = cJSON_CreateArray();
        cJSON_AddItemToArray(a, o);
        js_set(tf, f->tf, a);
        break;
      }
      case F_OBJS: {
        cJSON *a = cJSON_CreateArray();
        const cJSON *e;
        cJSON_ArrayForEach(e, v) {
          cJSON *o = cJSON_CreateObject();
          aws_flatten(f->sub, e, o);
          cJSON_AddItemToArray(a, o);
        }
        js_set(tf, f->tf, a);
        break;
      }
      case F_NAMEVAL: {
        cJSON *m = cJSON_CreateObject();
        const cJSON *e;
        cJSON_ArrayForEach(e, v) {
          const char *n = js_str(e, "Name");
          if (n) js_set(m, n, cJSON_Duplicate(js_get(e, "Value"), 1));
        }
        js_set(tf, f->tf, m);
        break;
      }
    }
  }
}

/* ------------------------------------------------------------------ tags */

cJSON *aws_tags_list(const cJSON *map) {
  cJSON *a = cJSON_CreateArray();
  const cJSON *e;
  cJSON_ArrayForEach(e, map) {
    if (!cJSON_IsString(e)) continue;
    cJSON *t = cJSON_CreateObject();
    cJSON_AddStringToObject(t, "Key", e->string);
    cJSON_AddStringToObject(t, "Value", e->valuestring);
    cJSON_AddItemToArray(a, t);
  }
  return a;
}

cJSON *aws_tags_map(const cJSON *list) {
  cJSON *m = cJSON_CreateObject();
  const cJSON *e;
  cJSON_ArrayForEach(e, list) {
    cJSON *k = js_get(e, "Key"), *v = js_get(e, "Value");
    if (cJSON_IsString(k)) js_set(m, k->valuestring, cJSON_CreateString(cJSON_IsString(v) ? v->valuestring : ""));
  }
  return m;
}

cJSON *aws_tags_all(ProvCtx *p, const cJSON *plan) {
  cJSON *m = cJSON_Duplicate(p->default_tags, 1);
  const cJSON *e;
  cJSON_ArrayForEach(e, js_get(plan, "tags")) if (cJSON_IsString(e)) js_set(m, e->string, cJSON_Duplicate(e, 1));
  return m;
}

/* ignore_tags: keys the provider neither reads nor manages. */
static bool tag_ignored(const ProvCtx *p, const char *key) {
  const cJSON *e;
  cJSON_ArrayForEach(e, p->ignore_keys) if (cJSON_IsString(e) && strcmp(e->valuestring, key) == 0) return true;
  cJSON_ArrayForEach(e, p->ignore_prefixes) if (cJSON_IsString(e) &&
                                                 strncmp(e->valuestring, key, strlen(e->valuestring)) == 0) return true;
  return false;
}

void aws_tags_read(ProvCtx *p, cJSON *st, const cJSON *api_map) {
  cJSON *tags = cJSON_CreateObject();
  cJSON *all = cJSON_CreateObject();
  const cJSON *e;
  cJSON_ArrayForEach(e, api_map) {
    if (tag_ignored(p, e->string)) continue;
    js_set(all, e->string, cJSON_Duplicate(e, 1));
    const char *d = js_get(p->default_tags, e->string) ? js_get(p->default_tags, e->string)->valuestring : NULL;
    const cJSON *cfg = js_get(js_get(st, "tags"), e->string);
    /* a default tag the configuration also sets (same value) stays in tags */
    if (d && strcmp(d, e->valuestring) == 0 && !cfg) continue;
    js_set(tags, e->string, cJSON_Duplicate(e, 1));
  }
  const cJSON *prior = js_get(st, "tags");
  if (cJSON_GetArraySize(tags) == 0 && (!prior || cJSON_IsNull(prior))) {
    cJSON_Delete(tags);
    js_set(st, "tags", cJSON_CreateNull());
  } else {
    js_set(st, "tags", tags);
  }
  js_set(st, "tags_all", all);
}

void aws_tags_diff(const cJSON *prior, const cJSON *plan, cJSON **remove_keys, cJSON **set_map) {
  *remove_keys = cJSON_CreateArray();
  *set_map = cJSON_CreateObject();
  const cJSON *e;
  cJSON_ArrayForEach(e, prior) if (!js_get(plan, e->string)) cJSON_AddItemToArray(*remove_keys, cJSON_CreateString(e->string));
  cJSON_ArrayForEach(e, plan) {
    const cJSON *o = js_get(prior, e->string);
    if (!o || !cJSON_IsString(o) || !cJSON_IsString(e) || strcmp(o->valuestring, e->valuestring) != 0)
      js_set(*set_map, e->string, cJSON_Duplicate(e, 1));
  }
}

/* ---------------------------------------------------------------- values */

Value *aws_val_set(const Value *obj, const char *name, Value *v) {
  const Type *t = val_type(obj);
  size_t n = t->n;
  Value **vals = xmalloc((n ? n : 1) * sizeof *vals);
  for (size_t i = 0; i < n; i++) vals[i] = strcmp(t->names[i], name) == 0 ? v : val_elems(obj)[i];
  Value *r = val_object((const char *const *)t->names, vals, n);
  free(vals);
  val_free(v);
  return r;
}

cJSON *aws_val_json(const Value *v) {
  if (!v || !val_is_known(v) || val_is_null(v)) return cJSON_CreateNull();
  switch (val_kind(v)) {
    case TY_STRING: return cJSON_CreateString(val_str(v));
    case TY_BOOL: return cJSON_CreateBool(val_get_bool(v));
    case TY_NUMBER: return cJSON_CreateNumber(val_get_double(v));
    case TY_LIST:
    case TY_SET:
    case TY_TUPLE: {
      cJSON *a = cJSON_CreateArray();
      ValIter it = val_iter(v);
      while (val_iter_next(&it)) cJSON_AddItemToArray(a, aws_val_json(it.elem));
      return a;
    }
    case TY_MAP:
    case TY_OBJECT: {
      cJSON *o = cJSON_CreateObject();
      ValIter it = val_iter(v);
      while (val_iter_next(&it)) {
        cJSON *e = aws_val_json(it.elem);
        if (cJSON_IsNull(e)) cJSON_Delete(e);
        else cJSON_AddItemToObject(o, it.key, e);
      }
      return o;
    }
    default: return cJSON_CreateNull();
  }
}

/* Drops keys the schema does not know, and makes absent blocks empty lists
** (the SDK's state shape), so any API echo converts cleanly. */
static void conform(const Schema *s, cJSON *tf) {
  cJSON *c = tf ? tf->child : NULL;
  while (c) {
    cJSON *next = c->next;
    if (!schema_attr(s, c->string) && !schema_block(s, c->string)) cJSON_Delete(cJSON_DetachItemViaPointer(tf, c));
    c = next;
  }
  for (size_t i = 0; i < s->nblocks; i++) {
    const SchemaBlock *b = &s->blocks[i];
    cJSON *a = js_get(tf, b->name);
    if (!cJSON_IsArray(a)) {
      js_set(tf, b->name, cJSON_CreateArray());
      continue;
    }
    cJSON *e;
    cJSON_ArrayForEach(e, a) conform(b->schema, e);
  }
}

Value *aws_json_val(const Schema *s, cJSON *tf, ProvDiags *out) {
  conform(s, tf);
  char *err = NULL;
  Value *v = val_from_json(tf, schema_type(s), &err);
  if (!v) {
    prov_diag(out, DIAG_ERROR, NULL, "Provider produced an invalid state", "The AWS provider's state did not fit its schema: %s.",
              err ? err : "unknown error");
    free(err);
  }
  return v;
}

int aws_call_retry(ProvCtx *p, const char *service, const char *op, const cJSON *req, cJSON **resp, AwsError *err,
                   int timeout, const char *code, const char *msg_contains) {
  int waited = 0;
  for (;;) {
    if (aws_call(p, service, op, req, resp, err) == 0) return 0;
    if (waited >= timeout || !aws_err_is(err, code, msg_contains)) return -1;
    aws_error_clear(err);
    aws_sleep(p, 5);
    waited += 5;
  }
}

int aws_do(ProvCtx *p, const char *service, const char *op, cJSON *req, cJSON **resp, const char *action,
           const char *what, const char *id, ProvDiags *out) {
  AwsError e = {0};
  int rc = aws_call(p, service, op, req, resp, &e);
  cJSON_Delete(req);
  if (rc != 0) {
    aws_err_diag(out, action, what, id, service, op, &e);
    aws_error_clear(&e);
  }
  return rc;
}

cJSON *aws_req(const char *key, const char *value) {
  cJSON *r = cJSON_CreateObject();
  if (key) cJSON_AddStringToObject(r, key, value ? value : "");
  return r;
}

int aws_tags_update(ProvCtx *p, const AwsTagApi *api, const char *arn, const cJSON *prior, const cJSON *plan,
                    const char *what, ProvDiags *out) {
  cJSON *rm, *set;
  cJSON *want = aws_tags_all(p, plan);
  aws_tags_diff(js_get(prior, "tags_all"), want, &rm, &set);
  cJSON_Delete(want);
  int rc = 0;
  if (cJSON_GetArraySize(rm) > 0) {
    cJSON *req = aws_req(api->arn_key, arn);
    cJSON_AddItemToObject(req, "TagKeys", cJSON_Duplicate(rm, 1));
    rc = aws_do(p, api->service, api->untag_op, req, NULL, "untagging", what, arn, out);
  }
  if (!rc && cJSON_GetArraySize(set) > 0) {
    cJSON *req = aws_req(api->arn_key, arn);
    cJSON_AddItemToObject(req, "Tags", api->tags_as_map ? cJSON_Duplicate(set, 1) : aws_tags_list(set));
    rc = aws_do(p, api->service, api->tag_op, req, NULL, "tagging", what, arn, out);
  }
  cJSON_Delete(rm);
  cJSON_Delete(set);
  return rc;
}

int aws_tags_fetch(ProvCtx *p, const AwsTagApi *api, const char *arn, cJSON *st, const char *what, ProvDiags *out) {
  cJSON *resp = NULL;
  if (aws_do(p, api->service, api->list_op, aws_req(api->arn_key, arn), &resp, "listing tags for", what, arn, out))
    return -1;
  cJSON *tags = api->tags_as_map ? cJSON_Duplicate(js_get(resp, "Tags"), 1) : aws_tags_map(js_get(resp, "Tags"));
  if (!tags) tags = cJSON_CreateObject();
  aws_tags_read(p, st, tags);
  cJSON_Delete(tags);
  cJSON_Delete(resp);
  return 0;
}

cJSON *aws_tags_request(ProvCtx *p, const cJSON *plan, bool as_map) {
  cJSON *all = aws_tags_all(p, plan);
  if (cJSON_GetArraySize(all) == 0) {
    cJSON_Delete(all);
    return NULL;
  }
  if (as_map) return all;
  cJSON *l = aws_tags_list(all);
  cJSON_Delete(all);
  return l;
}

const AwsTagApi AWS_TAGS_SAGEMAKER = {"sagemaker", "AddTags", "DeleteTags", "ListTags", "ResourceArn", false};
const AwsTagApi AWS_TAGS_SNS = {"sns", "TagResource", "UntagResource", "ListTagsForResource", "ResourceArn", false};
const AwsTagApi AWS_TAGS_CLOUDWATCH = {"monitoring", "TagResource", "UntagResource", "ListTagsForResource", "ResourceARN", false};
const AwsTagApi AWS_TAGS_AUTOSCALING = {"application-autoscaling", "TagResource", "UntagResource", "ListTagsForResource",
                                        "ResourceARN", true};
