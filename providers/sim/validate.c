/*
** providers/sim/validate.c — request validation the way AWS words it.
**
** AWS's request validators produce messages of one shape ("1 validation error
** detected: Value 'x' at 'endpointName' failed to satisfy constraint: Member
** must ...") and the simulator reproduces it, so scripts and the provider's
** error matching see the same text they would see from AWS.
*/
#define PCRE2_CODE_UNIT_WIDTH 8
#include "providers/sim/sim_int.h"

#include "base/util.h"

#include <pcre2.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *const SIM_SM_NAME_RE = "^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}";

int sim_err(AwsError *err, int status, const char *code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = NULL;
  if (vasprintf(&msg, fmt, ap) < 0) msg = NULL;
  va_end(ap);
  aws_error_set(err, status, code, "%s", msg ? msg : code);
  free(msg);
  return -1;
}

/* Compiled patterns are cached: the set is small and fixed (string literals
** of this directory), so the cache is keyed by pointer and never freed. */
typedef struct Pat {
  const char *src;
  pcre2_code *code;
} Pat;
static Pat pats[64];
static size_t npats;
static pthread_mutex_t pat_mu = PTHREAD_MUTEX_INITIALIZER;

bool sim_match(const char *pattern, const char *s) {
  pcre2_code *code = NULL;
  pthread_mutex_lock(&pat_mu);
  for (size_t i = 0; i < npats; i++)
    if (pats[i].src == pattern) code = pats[i].code;
  if (!code) {
    int ec;
    PCRE2_SIZE eo;
    code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_ANCHORED | PCRE2_ENDANCHORED | PCRE2_UTF,
                         &ec, &eo, NULL);
    if (code && npats < sizeof pats / sizeof pats[0]) pats[npats++] = (Pat){pattern, code};
  }
  pthread_mutex_unlock(&pat_mu);
  if (!code) return false;
  pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
  int rc = pcre2_match(code, (PCRE2_SPTR)s, strlen(s), 0, 0, md, NULL);
  pcre2_match_data_free(md);
  bool cached = false;
  for (size_t i = 0; i < npats; i++) cached |= pats[i].code == code;
  if (!cached) pcre2_code_free(code);
  return rc >= 0;
}

static int verr(AwsError *err, const char *code, const char *value, const char *member, const char *constraint) {
  if (value)
    return sim_err(err, 400, code, "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s",
                   value, member, constraint);
  return sim_err(err, 400, code, "1 validation error detected: Value null at '%s' failed to satisfy constraint: %s",
                 member, constraint);
}

const char *sim_req_str(const cJSON *req, const char *key, const char *member, const char *code, AwsError *err) {
  const char *v = sim_str(req, key);
  if (!v) verr(err, code, NULL, member, "Member must not be null");
  return v;
}

int sim_check_str(const char *v, const char *member, size_t minlen, size_t maxlen, const char *pattern,
                  const char *code, AwsError *err) {
  char c[160];
  if (!v) return verr(err, code, NULL, member, "Member must not be null");
  size_t n = strlen(v);
  if (n < minlen) {
    snprintf(c, sizeof c, "Member must have length greater than or equal to %zu", minlen);
    return verr(err, code, v, member, c);
  }
  if (maxlen && n > maxlen) {
    snprintf(c, sizeof c, "Member must have length less than or equal to %zu", maxlen);
    return verr(err, code, v, member, c);
  }
  if (pattern && !sim_match(pattern, v)) {
    snprintf(c, sizeof c, "Member must satisfy regular expression pattern: %s", pattern);
    return verr(err, code, v, member, c);
  }
  return 0;
}

int sim_check_range(double v, const char *member, double lo, double hi, const char *code, AwsError *err) {
  char val[64], c[96];
  snprintf(val, sizeof val, "%.15g", v);
  if (v < lo) {
    snprintf(c, sizeof c, "Member must have value greater than or equal to %.15g", lo);
    return verr(err, code, val, member, c);
  }
  if (v > hi) {
    snprintf(c, sizeof c, "Member must have value less than or equal to %.15g", hi);
    return verr(err, code, val, member, c);
  }
  return 0;
}

int sim_check_enum(const char *v, const char *member, const char *const *values, const char *code, AwsError *err) {
  Buf b = BUF_INIT;
  for (size_t i = 0; values[i]; i++) {
    if (strcmp(values[i], v) == 0) {
      buf_free(&b);
      return 0;
    }
    buf_printf(&b, "%s%s", i ? ", " : "", values[i]);
  }
  char *c = xasprintf("Member must satisfy enum value set: [%s]", b.s ? b.s : "");
  verr(err, code, v, member, c);
  free(c);
  buf_free(&b);
  return -1;
}

int sim_tags_merge(cJSON *obj, const cJSON *tags, const char *code, AwsError *err) {
  if (!tags) return 0;
  if (!cJSON_IsArray(tags)) return sim_err(err, 400, code, "Tags must be a list of {Key, Value}.");
  const cJSON *t;
  cJSON_ArrayForEach(t, tags) {
    const char *k = sim_str(t, "Key");
    if (!k) return verr(err, code, NULL, "tags.member.key", "Member must not be null");
    if (sim_check_str(k, "tags.member.key", 1, 128, NULL, code, err)) return -1;
    const char *v = sim_str(t, "Value");
    if (v && sim_check_str(v, "tags.member.value", 0, 256, NULL, code, err)) return -1;
  }
  cJSON *have = sim_arr(obj, "Tags");
  cJSON_ArrayForEach(t, tags) {
    const char *k = sim_str(t, "Key"), *v = sim_str(t, "Value");
    cJSON *h, *found = NULL;
    cJSON_ArrayForEach(h, have) if (strcmp(sim_str(h, "Key"), k) == 0) found = h;
    if (!found) {
      found = cJSON_CreateObject();
      sim_set_str(found, "Key", k);
      cJSON_AddItemToArray(have, found);
    }
    sim_set_str(found, "Value", v ? v : "");
  }
  if (cJSON_GetArraySize(have) > 50)
    return sim_err(err, 400, code, "Could not add tags: the resource would have more than 50 tags.");
  return 0;
}

void sim_tags_remove(cJSON *obj, const cJSON *keys) {
  cJSON *have = sim_get(obj, "Tags");
  const cJSON *k;
  cJSON_ArrayForEach(k, keys) {
    if (!cJSON_IsString(k)) continue;
    for (int i = cJSON_GetArraySize(have) - 1; i >= 0; i--)
      if (strcmp(sim_str(cJSON_GetArrayItem(have, i), "Key"), k->valuestring) == 0)
        cJSON_DeleteItemFromArray(have, i);
  }
}
