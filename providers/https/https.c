/*
** providers/https/https.c — AWS over HTTPS: settings, the services' wire
** protocols, libcurl and retries; see https.h.
*/
#include "providers/https/https.h"

#include "base/buf.h"
#include "base/util.h"
#include "providers/https/ini.h"
#include "providers/https/sigv4.h"
#include "providers/https/wire.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ----------------------------------------------------------------- services */

typedef enum { P_JSON, P_QUERY, P_RUNTIME } Proto;

typedef struct Service {
  const char *name;        /* call-interface name */
  const char *host;        /* endpoint prefix: https://HOST.REGION.amazonaws.com */
  const char *signing;     /* SigV4 service name */
  const char *env_id;      /* AWS_ENDPOINT_URL_<env_id>; lower-cased, the key in [services] */
  const char *block_keys;  /* provider block `endpoints` keys, first wins */
  Proto proto;
  const char *api;         /* JSON: X-Amz-Target prefix; Query: API version */
  int global;              /* one endpoint per partition (IAM) */
} Service;

static const Service SERVICES[] = {
    {"sagemaker", "api.sagemaker", "sagemaker", "SAGEMAKER", "sagemaker", P_JSON, "SageMaker", 0},
    {"sagemaker-runtime", "runtime.sagemaker", "sagemaker", "SAGEMAKER_RUNTIME", "sagemakerruntime", P_RUNTIME,
     "", 0},
    {"application-autoscaling", "application-autoscaling", "application-autoscaling", "APPLICATION_AUTO_SCALING",
     "appautoscaling applicationautoscaling", P_JSON, "AnyScaleFrontendService", 0},
    {"iam", "iam", "iam", "IAM", "iam", P_QUERY, "2010-05-08", 1},
    {"sts", "sts", "sts", "STS", "sts", P_QUERY, "2011-06-15", 0},
    {"sns", "sns", "sns", "SNS", "sns", P_QUERY, "2010-03-31", 0},
    {"monitoring", "monitoring", "monitoring", "CLOUDWATCH", "cloudwatch", P_QUERY, "2010-08-01", 0},
};
#define NSERVICES (sizeof SERVICES / sizeof SERVICES[0])

static const Service *service_of(const char *name) {
  for (size_t i = 0; i < NSERVICES; i++)
    if (strcmp(SERVICES[i].name, name) == 0) return &SERVICES[i];
  return NULL;
}

/* Error codes after which the same request may succeed: throttling and the
** services' "try again" errors. */
static const char *const RETRY_CODES[] = {
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "RequestLimitExceeded", "RequestThrottled", "SlowDown",
    "PriorRequestNotComplete", "EC2ThrottledException", "BandwidthLimitExceeded", "RequestTimeout",
    "RequestTimeoutException", "InternalError", "InternalFailure", "ServiceUnavailable",
    "InternalServiceException", "InternalServerError", "TransactionInProgressException", NULL};

/* ---------------------------------------------------------------- transport */

typedef struct Https {
  AwsTransport base;
  char *region;
  char *access_key, *secret_key, *token;  /* secrets: cleansed on close */
  char *cred_source;
  char *account_id;
  char *urls[NSERVICES];                  /* endpoint per service */
  int max_attempts;
  long connect_timeout_ms, timeout_ms, backoff_base_ms, backoff_max_ms;
  int trace;                              /* TFC_HTTPS_TRACE: one line per attempt */
  char *ca_bundle;                        /* AWS_CA_BUNDLE: PEM file of trusted CAs */
  CURLSH *share;                          /* connections, DNS and TLS sessions */
  pthread_mutex_t locks[CURL_LOCK_DATA_LAST];
} Https;

/*
** libcurl is opened on first use rather than linked: it pulls in some thirty
** shared libraries (TLS, Kerberos, LDAP, ...) whose loading and relocation cost
** about 3 ms on every run, more than `tfc validate` needs in total. Only
** -cloud=aws talks HTTPS, so only it pays. The header still gives us the types.
*/
static struct {
  CURLcode (*global_init)(long);
  CURL *(*easy_init)(void);
  void (*easy_reset)(CURL *);
  void (*easy_cleanup)(CURL *);
  CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
  CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
  CURLcode (*easy_perform)(CURL *);
  const char *(*easy_strerror)(CURLcode);
  CURLSH *(*share_init)(void);
  CURLSHcode (*share_setopt)(CURLSH *, CURLSHoption, ...);
  CURLSHcode (*share_cleanup)(CURLSH *);
  struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
  void (*slist_free_all)(struct curl_slist *);
} cu;
static char curl_load_error[512];

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void) {
  void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    snprintf(curl_load_error, sizeof curl_load_error, "%s", dlerror());
    return;
  }
  struct {
    const char *name;
    void **slot;
  } syms[] = {
#define SYM(f) {"curl_" #f, (void **)&cu.f}
    SYM(global_init),  SYM(easy_init),    SYM(easy_reset),   SYM(easy_cleanup), SYM(easy_setopt),
    SYM(easy_getinfo), SYM(easy_perform), SYM(easy_strerror), SYM(share_init),  SYM(share_setopt),
    SYM(share_cleanup), SYM(slist_append), SYM(slist_free_all),
#undef SYM
  };
  for (size_t i = 0; i < sizeof syms / sizeof syms[0]; i++) {
    /* POSIX guarantees a function's address survives the round trip through void * */
    *syms[i].slot = dlsym(lib, syms[i].name);
    if (!*syms[i].slot) {
      snprintf(curl_load_error, sizeof curl_load_error, "libcurl.so.4 has no %s", syms[i].name);
      return;
    }
  }
  cu.global_init(CURL_GLOBAL_DEFAULT);
}

static void share_lock(CURL *h, curl_lock_data data, curl_lock_access access, void *ud) {
  (void)h, (void)access;
  Https *x = ud;
  pthread_mutex_lock(&x->locks[data]);
}

static void share_unlock(CURL *h, curl_lock_data data, void *ud) {
  (void)h;
  Https *x = ud;
  pthread_mutex_unlock(&x->locks[data]);
}

typedef struct Resp {
  Buf body;
  size_t limit;              /* refuse bodies above this */
  int too_big;
  char *content_type;
  char *error_type;          /* x-amzn-ErrorType */
  char *variant;             /* x-Amzn-Invoked-Production-Variant */
  char *custom_attributes;   /* X-Amzn-SageMaker-Custom-Attributes */
} Resp;

static void resp_free(Resp *r) {
  buf_free(&r->body);
  free(r->content_type);
  free(r->error_type);
  free(r->variant);
  free(r->custom_attributes);
  memset(r, 0, sizeof *r);
}

static size_t on_body(char *p, size_t size, size_t n, void *ud) {
  Resp *r = ud;
  size_t len = size * n;
  if (r->body.len + len > r->limit) {
    r->too_big = 1;
    return 0; /* aborts the transfer */
  }
  buf_add(&r->body, p, len);
  return len;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud) {
  Resp *r = ud;
  size_t len = size * n;
  const char *colon = memchr(p, ':', len);
  if (!colon) return len;
  size_t nl = (size_t)(colon - p);
  const char *v = colon + 1, *e = p + len;
  while (v < e && (*v == ' ' || *v == '\t')) v++;
  while (e > v && (e[-1] == '\r' || e[-1] == '\n' || e[-1] == ' ')) e--;
  static const struct {
    const char *name;
    size_t off;
  } H[] = {{"content-type", offsetof(Resp, content_type)},
           {"x-amzn-errortype", offsetof(Resp, error_type)},
           {"x-amzn-invoked-production-variant", offsetof(Resp, variant)},
           {"x-amzn-sagemaker-custom-attributes", offsetof(Resp, custom_attributes)}};
  for (size_t i = 0; i < sizeof H / sizeof H[0]; i++) {
    if (strlen(H[i].name) == nl && strncasecmp(p, H[i].name, nl) == 0) {
      char **slot = (char **)((char *)r + H[i].off);
      free(*slot);
      *slot = xstrndup(v, (size_t)(e - v));
    }
  }
  return len;
}

/* Full jitter: a random wait in [0, min(max, base * 2^(attempt-1))]. */
static void backoff(const Https *x, int attempt) {
  double cap = (double)x->backoff_base_ms;
  for (int i = 1; i < attempt && cap < (double)x->backoff_max_ms; i++) cap *= 2;
  if (cap > (double)x->backoff_max_ms) cap = (double)x->backoff_max_ms;
  unsigned int r = 0;
  if (RAND_bytes((unsigned char *)&r, sizeof r) != 1) r = (unsigned int)rand();
  double ms = cap * ((double)r / 4294967296.0);
  struct timespec ts = {(time_t)(ms / 1000), (long)((ms - (double)(time_t)(ms / 1000) * 1000) * 1e6)};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

static int retryable_code(const char *code) {
  for (int i = 0; code && RETRY_CODES[i]; i++)
    if (strcmp(code, RETRY_CODES[i]) == 0) return 1;
  return 0;
}

static int retryable_curl(CURLcode c) {
  switch (c) {
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_CONNECT:
  case CURLE_OPERATION_TIMEDOUT:
  case CURLE_SEND_ERROR:
  case CURLE_RECV_ERROR:
  case CURLE_GOT_NOTHING:
  case CURLE_PARTIAL_FILE:
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_HTTP2:
  case CURLE_HTTP2_STREAM:
    return 1;
  default:
    return 0;
  }
}

/* The request as it goes on the wire. */
typedef struct Wire {
  const char *path;
  char *owned_path;
  SigV4Pair headers[16];
  size_t nheaders;
  char *body;
  size_t body_len;
} Wire;

static void wire_header(Wire *w, const char *name, const char *value) {
  if (w->nheaders < sizeof w->headers / sizeof w->headers[0]) w->headers[w->nheaders++] = (SigV4Pair){name, value};
}

static const char *jstr(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Builds the wire request for op; -1 with err when the request cannot be
** expressed (an unknown runtime operation, a missing EndpointName). */
static int build(const Service *s, const char *op, const cJSON *req, Wire *w, char **target, AwsError *err) {
  memset(w, 0, sizeof *w);
  *target = NULL;
  w->path = "/";
  switch (s->proto) {
  case P_JSON:
    *target = xasprintf("%s.%s", s->api, op);
    wire_header(w, "Content-Type", "application/x-amz-json-1.1");
    wire_header(w, "X-Amz-Target", *target);
    w->body = req ? cJSON_PrintUnformatted(req) : xstrdup("{}");
    if (!w->body) w->body = xstrdup("{}");
    w->body_len = strlen(w->body);
    return 0;
  case P_QUERY:
    wire_header(w, "Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
    w->body = wire_query_encode(s->name, op, s->api, req);
    w->body_len = strlen(w->body);
    return 0;
  case P_RUNTIME: {
    if (strcmp(op, "InvokeEndpoint") != 0) {
      aws_error_set(err, 400, "UnknownOperationException", "sagemaker-runtime operation %s is not supported.", op);
      return -1;
    }
    const char *name = jstr(req, "EndpointName");
    if (!name || !*name) {
      aws_error_set(err, 400, "ValidationError", "EndpointName is required.");
      return -1;
    }
    char *enc = sigv4_uri_encode(name, strlen(name), 0);
    w->owned_path = xasprintf("/endpoints/%s/invocations", enc);
    free(enc);
    w->path = w->owned_path;
    static const struct {
      const char *member, *header;
    } H[] = {{"ContentType", "Content-Type"},
             {"Accept", "Accept"},
             {"CustomAttributes", "X-Amzn-SageMaker-Custom-Attributes"},
             {"TargetModel", "X-Amzn-SageMaker-Target-Model"},
             {"TargetVariant", "X-Amzn-SageMaker-Target-Variant"},
             {"TargetContainerHostname", "X-Amzn-SageMaker-Target-Container-Hostname"},
             {"InferenceId", "X-Amzn-SageMaker-Inference-Id"},
             {"EnableExplanations", "X-Amzn-SageMaker-Enable-Explanations"},
             {"InferenceComponentName", "X-Amzn-SageMaker-Inference-Component"},
             {"SessionId", "X-Amzn-SageMaker-Session-Id"}};
    for (size_t i = 0; i < sizeof H / sizeof H[0]; i++)
      if (jstr(req, H[i].member)) wire_header(w, H[i].header, jstr(req, H[i].member));
    const char *b = jstr(req, "Body");
    w->body = xstrdup(b ? b : "");
    w->body_len = strlen(w->body);
    return 0;
  }
  }
  return -1;
}

/* Turns a 2xx response into the operation's output. */
static int decode(const Service *s, const char *op, Resp *r, long status, cJSON **resp, AwsError *err) {
  const char *body = r->body.s ? r->body.s : "";
  switch (s->proto) {
  case P_QUERY:
    return wire_query_decode(s->name, op, body, r->body.len, (int)status, resp, err);
  case P_JSON: {
    if (r->body.len == 0) {
      *resp = cJSON_CreateObject();
      return 0;
    }
    cJSON *j = cJSON_ParseWithLength(body, r->body.len);
    if (!cJSON_IsObject(j)) {
      cJSON_Delete(j);
      aws_error_set(err, (int)status, "MalformedResponse", "%s %s: the response is not a JSON object.", s->name, op);
      return -1;
    }
    wire_json_timestamps(j);
    *resp = j;
    return 0;
  }
  case P_RUNTIME: {
    cJSON *o = cJSON_CreateObject();
    char *b = xstrndup(body, r->body.len);
    cJSON_AddStringToObject(o, "Body", b);
    free(b);
    if (r->content_type) cJSON_AddStringToObject(o, "ContentType", r->content_type);
    if (r->variant) cJSON_AddStringToObject(o, "InvokedProductionVariant", r->variant);
    if (r->custom_attributes) cJSON_AddStringToObject(o, "CustomAttributes", r->custom_attributes);
    *resp = o;
    return 0;
  }
  }
  return -1;
}

static int https_call(AwsTransport *t, const char *service, const char *op, const cJSON *req, cJSON **resp_out,
                      AwsError *err) {
  Https *x = t->ctx;
  /* callers that want only success or failure pass no resp (the provider's
  ** waiter probes the simulator's pseudo-service that way) */
  cJSON *discard = NULL, **resp = resp_out ? resp_out : &discard;
  *resp = NULL;
  const Service *s = service_of(service);
  if (!s) {
    aws_error_set(err, 400, "UnknownServiceException", "tfc does not know the AWS service \"%s\".", service);
    return -1;
  }
  const char *base = x->urls[s - SERVICES];
  Wire w;
  char *target;
  if (build(s, op, req, &w, &target, err)) return -1;

  /* URL: the endpoint's own path (if any) followed by the request path */
  size_t blen = strlen(base);
  while (blen && base[blen - 1] == '/') blen--;
  const char *after_scheme = strstr(base, "://");
  const char *base_path = after_scheme ? strchr(after_scheme + 3, '/') : NULL;
  char *full_path = xasprintf("%.*s%s", base_path ? (int)(base + blen - base_path) : 0, base_path ? base_path : "",
                              w.path);
  char *url = xasprintf("%.*s%s", (int)(base_path ? (size_t)(base_path - base) : blen), base, full_path);
  char *host = sigv4_host_of_url(base);
  const char *sign_region = x->region;
  if (s->global) {
    sign_region = strncmp(x->region, "cn-", 3) == 0       ? "cn-north-1"
                  : strncmp(x->region, "us-gov-", 7) == 0 ? "us-gov-west-1"
                                                          : "us-east-1";
  }

  int rc = -1;
  CURL *h = cu.easy_init();
  for (int attempt = 1;; attempt++) {
    Resp r = {.limit = 256u << 20};
    SigV4Request sr = {"POST", host, full_path, NULL, 0, w.headers, w.nheaders, w.body, w.body_len};
    SigV4Creds cr = {x->access_key, x->secret_key, x->token};
    SigV4Signed sig;
    sigv4_sign(&sr, &cr, sign_region, s->signing, time(NULL), &sig);

    struct curl_slist *hl = NULL;
    char *line;
    for (size_t i = 0; i < w.nheaders; i++) {
      line = xasprintf("%s: %s", w.headers[i].name, w.headers[i].value);
      hl = cu.slist_append(hl, line);
      free(line);
    }
    line = xasprintf("Host: %s", host);
    hl = cu.slist_append(hl, line);
    free(line);
    line = xasprintf("X-Amz-Date: %s", sig.amz_date);
    hl = cu.slist_append(hl, line);
    free(line);
    line = xasprintf("Authorization: %s", sig.authorization);
    hl = cu.slist_append(hl, line);
    OPENSSL_cleanse(line, strlen(line));
    free(line);
    if (x->token && *x->token) {
      line = xasprintf("X-Amz-Security-Token: %s", x->token);
      hl = cu.slist_append(hl, line);
      OPENSSL_cleanse(line, strlen(line));
      free(line);
    }
    hl = cu.slist_append(hl, "Expect:"); /* no 100-continue round trip */
    if (s->proto != P_RUNTIME || !jstr(req, "ContentType")) {
      /* curl would add its own form content type to a POST without one */
      if (s->proto == P_RUNTIME) hl = cu.slist_append(hl, "Content-Type:");
    }
    sigv4_signed_free(&sig);

    cu.easy_reset(h);
    cu.easy_setopt(h, CURLOPT_URL, url);
    cu.easy_setopt(h, CURLOPT_POST, 1L);
    cu.easy_setopt(h, CURLOPT_POSTFIELDS, w.body);
    cu.easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)w.body_len);
    cu.easy_setopt(h, CURLOPT_HTTPHEADER, hl);
    cu.easy_setopt(h, CURLOPT_USERAGENT, "tfc/0.1");
    cu.easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    cu.easy_setopt(h, CURLOPT_WRITEDATA, &r);
    cu.easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    cu.easy_setopt(h, CURLOPT_HEADERDATA, &r);
    cu.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    cu.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, x->connect_timeout_ms);
    cu.easy_setopt(h, CURLOPT_TIMEOUT_MS, x->timeout_ms);
    cu.easy_setopt(h, CURLOPT_SHARE, x->share);
    cu.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    if (x->ca_bundle) cu.easy_setopt(h, CURLOPT_CAINFO, x->ca_bundle);
    char errbuf[CURL_ERROR_SIZE] = "";
    cu.easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);

    CURLcode cc = cu.easy_perform(h);
    cu.slist_free_all(hl);
    long status = 0;
    cu.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    int retry = 0;
    if (cc != CURLE_OK) {
      if (r.too_big)
        aws_error_set(err, (int)status, "MalformedResponse", "%s %s: the response is larger than %zu bytes.",
                      service, op, r.limit);
      else
        aws_error_set(err, 0, "EndpointConnectionError", "Could not connect to the endpoint URL \"%s\": %s (after %d %s).",
                      url, *errbuf ? errbuf : cu.easy_strerror(cc), attempt, attempt == 1 ? "attempt" : "attempts");
      retry = !r.too_big && retryable_curl(cc);
    } else if (status >= 200 && status < 300) {
      rc = decode(s, op, &r, status, resp, err);
    } else {
      if (s->proto == P_QUERY && r.body.len) {
        cJSON *ignored = NULL;
        if (wire_query_decode(s->name, op, r.body.s, r.body.len, (int)status, &ignored, err) == 0) {
          cJSON_Delete(ignored);
          wire_error(NULL, 0, (int)status, r.error_type, err);
        }
      } else {
        wire_error(r.body.s, r.body.len, (int)status, r.error_type, err);
      }
      retry = status >= 500 || status == 429 || retryable_code(err->code);
    }
    if (x->trace)
      fprintf(stderr, "https: %s %s %s attempt %d -> %ld %s\n", service, op, host, attempt, status,
              rc == 0 ? "ok" : err->code ? err->code : "");
    resp_free(&r);
    if (rc == 0) {
      aws_error_clear(err); /* an earlier attempt's error is not the caller's */
      break;
    }
    if (!retry || attempt >= x->max_attempts) break;
    backoff(x, attempt);
  }
  cu.easy_cleanup(h);
  free(url);
  free(full_path);
  free(host);
  free(target);
  free(w.body);
  free(w.owned_path);
  cJSON_Delete(discard);
  return rc;
}

static void cleanse_free(char *s) {
  if (s) OPENSSL_cleanse(s, strlen(s));
  free(s);
}

static void https_close(AwsTransport *t) {
  if (!t) return;
  Https *x = t->ctx;
  if (x->share) cu.share_cleanup(x->share);
  for (int i = 0; i < CURL_LOCK_DATA_LAST; i++) pthread_mutex_destroy(&x->locks[i]);
  for (size_t i = 0; i < NSERVICES; i++) free(x->urls[i]);
  free(x->region);
  cleanse_free(x->access_key);
  cleanse_free(x->secret_key);
  cleanse_free(x->token);
  free(x->cred_source);
  free(x->account_id);
  free(x->ca_bundle);
  free(x);
}

/* ----------------------------------------------------------------- settings */

static const char *env(const char *name) {
  const char *v = getenv(name);
  return v && *v ? v : NULL;
}

/* Reads an AWS shared file into *f. A missing file is normal; one that
** exists but cannot be read, or has lines that mean nothing, is worth a
** warning (never showing the lines: they may hold secrets). */
static void load_ini(const char *path, IniFile *f, DiagList *diags) {
  size_t len;
  char *text = read_file(path, &len);
  if (!text) {
    if (errno != ENOENT && errno != ENOTDIR)
      diag_add(diags, DIAG_WARNING, NULL, "Cannot read AWS shared configuration",
               "Reading %s failed: %s. Settings in it are ignored.", path, strerror(errno));
    return;
  }
  ini_parse(text, len, f);
  OPENSSL_cleanse(text, len);
  free(text);
  if (f->bad_lines)
    diag_add(diags, DIAG_WARNING, NULL, "Lines not understood in AWS shared configuration",
             "%zu line(s) of %s, the first on line %zu, are neither a [section], a key = value setting nor a "
             "comment, and were ignored.",
             f->bad_lines, path, f->first_bad_line);
}

static char *default_path(const char *explicit_path, const char *env_name, const char *leaf) {
  if (explicit_path && *explicit_path) {
    if (explicit_path[0] == '~' && explicit_path[1] == '/' && env("HOME"))
      return xasprintf("%s%s", env("HOME"), explicit_path + 1);
    return xstrdup(explicit_path);
  }
  if (env(env_name)) return xstrdup(env(env_name));
  const char *home = env("HOME");
  return xasprintf("%s/.aws/%s", home ? home : ".", leaf);
}

/* Looks key up in the profile: credentials file first, then config. */
static const char *profile_get(const IniFile *creds, const IniFile *conf, const char *profile, const char *key) {
  const char *v = ini_profile_get(creds, 0, profile, key);
  return v ? v : ini_profile_get(conf, 1, profile, key);
}

static int resolve_credentials(Https *x, const HttpsConfig *cfg, const IniFile *creds, const IniFile *conf,
                               const char *profile, const char *cred_path, const char *conf_path, DiagList *diags) {
  int have_ak = cfg->access_key && *cfg->access_key, have_sk = cfg->secret_key && *cfg->secret_key;
  if (have_ak != have_sk) {
    diag_add(diags, DIAG_ERROR, NULL, "Incomplete AWS credentials in the provider configuration",
             "The provider block sets %s but not %s. Set both, or neither to use the environment or a "
             "shared credentials profile.",
             have_ak ? "access_key" : "secret_key", have_ak ? "secret_key" : "access_key");
    return -1;
  }
  if (have_ak) {
    x->access_key = xstrdup(cfg->access_key);
    x->secret_key = xstrdup(cfg->secret_key);
    x->token = cfg->token && *cfg->token ? xstrdup(cfg->token) : NULL;
    x->cred_source = xstrdup("provider configuration");
    return 0;
  }
  /* a profile named in the provider block beats credentials in the
  ** environment, as in the Terraform AWS provider */
  int block_profile = cfg->profile && *cfg->profile;
  if (!block_profile && env("AWS_ACCESS_KEY_ID") && env("AWS_SECRET_ACCESS_KEY")) {
    x->access_key = xstrdup(env("AWS_ACCESS_KEY_ID"));
    x->secret_key = xstrdup(env("AWS_SECRET_ACCESS_KEY"));
    x->token = env("AWS_SESSION_TOKEN") ? xstrdup(env("AWS_SESSION_TOKEN")) : NULL;
    x->cred_source = xstrdup("environment");
    return 0;
  }
  const char *ak = profile_get(creds, conf, profile, "aws_access_key_id");
  const char *sk = profile_get(creds, conf, profile, "aws_secret_access_key");
  if (ak && *ak && sk && *sk) {
    const char *tok = profile_get(creds, conf, profile, "aws_session_token");
    x->access_key = xstrdup(ak);
    x->secret_key = xstrdup(sk);
    x->token = tok && *tok ? xstrdup(tok) : NULL;
    x->cred_source = xasprintf("profile %s", profile);
    return 0;
  }
  static const char *const UNSUPPORTED[] = {"role_arn", "credential_process", "sso_session", "sso_start_url",
                                            "web_identity_token_file", NULL};
  for (int i = 0; UNSUPPORTED[i]; i++) {
    if (profile_get(creds, conf, profile, UNSUPPORTED[i])) {
      diag_add(diags, DIAG_ERROR, NULL, "Unsupported AWS profile",
               "Profile \"%s\" gets its credentials through %s, which tfc does not support yet. Export "
               "temporary credentials instead (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), "
               "for example with `aws configure export-credentials --profile %s --format env`.",
               profile, UNSUPPORTED[i], profile);
      return -1;
    }
  }
  if ((block_profile || env("AWS_PROFILE")) && !ini_has_profile(creds, 0, profile) &&
      !ini_has_profile(conf, 1, profile)) {
    diag_add(diags, DIAG_ERROR, NULL, "failed to get shared config profile",
             "Profile \"%s\" was not found in %s or %s.", profile, cred_path, conf_path);
    return -1;
  }
  diag_add(diags, DIAG_ERROR, NULL, "No valid credential sources found",
           "tfc looked for AWS credentials in the provider block (access_key, secret_key), the environment "
           "(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), and profile \"%s\" of %s and %s, and found none. "
           "Instance metadata and SSO are not used. Without -cloud=aws tfc runs against its simulator and "
           "needs no credentials.",
           profile, cred_path, conf_path);
  return -1;
}

/* The endpoint for s: provider block > AWS_ENDPOINT_URL_<ID> >
** AWS_ENDPOINT_URL > the profile's [services] section entry > the
** profile's endpoint_url > the public endpoint. */
static char *resolve_endpoint(const Service *s, const HttpsConfig *cfg, const IniFile *conf, const char *profile,
                              const char *region) {
  for (const char *k = s->block_keys; *k;) {
    size_t l = strcspn(k, " ");
    for (size_t i = 0; i < cfg->nendpoints; i++) {
      const HttpsEndpoint *e = &cfg->endpoints[i];
      if (e->key && strlen(e->key) == l && strncmp(e->key, k, l) == 0 && e->url && *e->url) return xstrdup(e->url);
    }
    k += l;
    while (*k == ' ') k++;
  }
  const char *ignore = env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
  if (!(ignore && strcasecmp(ignore, "true") == 0)) {
    char *name = xasprintf("AWS_ENDPOINT_URL_%s", s->env_id);
    const char *v = env(name);
    free(name);
    if (v) return xstrdup(v);
    if (env("AWS_ENDPOINT_URL")) return xstrdup(env("AWS_ENDPOINT_URL"));
    const char *services = ini_profile_get(conf, 1, profile, "services");
    if (services && *services) {
      char *section = xasprintf("services %s", services);
      char *key = xasprintf("%s.endpoint_url", s->env_id);
      for (char *c = key; *c; c++)
        if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
      const char *u = ini_get(conf, section, key);
      free(section);
      free(key);
      if (u && *u) return xstrdup(u);
    }
    const char *purl = ini_profile_get(conf, 1, profile, "endpoint_url");
    if (purl && *purl) return xstrdup(purl);
  }
  const char *suffix = strncmp(region, "cn-", 3) == 0 ? "amazonaws.com.cn" : "amazonaws.com";
  if (s->global) {
    if (strncmp(region, "cn-", 3) == 0) return xasprintf("https://iam.cn-north-1.%s", suffix);
    if (strncmp(region, "us-gov-", 7) == 0) return xstrdup("https://iam.us-gov.amazonaws.com");
    return xasprintf("https://%s.%s", s->host, suffix);
  }
  return xasprintf("https://%s.%s.%s", s->host, region, suffix);
}

static int positive_env(const char *name, int dflt) {
  const char *v = env(name);
  int n = v ? atoi(v) : 0;
  return n > 0 ? n : dflt;
}

AwsTransport *https_open(const HttpsConfig *cfg, DiagList *diags) {
  pthread_once(&curl_once, curl_init_once);
  if (*curl_load_error) {
    diag_add(diags, DIAG_ERROR, NULL, "Cannot load libcurl",
             "-cloud=aws talks to AWS through libcurl, which could not be loaded: %s\nInstall it with: apt-get "
             "install libcurl4",
             curl_load_error);
    return NULL;
  }
  Https *x = xcalloc(1, sizeof *x);
  x->base.call = https_call;
  x->base.close = https_close;
  x->base.ctx = x;
  for (int i = 0; i < CURL_LOCK_DATA_LAST; i++) pthread_mutex_init(&x->locks[i], NULL);

  char *conf_path = default_path(cfg->shared_config_file, "AWS_CONFIG_FILE", "config");
  char *cred_path = default_path(cfg->shared_credentials_file, "AWS_SHARED_CREDENTIALS_FILE", "credentials");
  IniFile conf = {0}, creds = {0};
  load_ini(conf_path, &conf, diags);
  load_ini(cred_path, &creds, diags);
  const char *profile = cfg->profile && *cfg->profile ? cfg->profile : env("AWS_PROFILE") ? env("AWS_PROFILE") : "default";

  int ok = resolve_credentials(x, cfg, &creds, &conf, profile, cred_path, conf_path, diags) == 0;
  const char *region = cfg->region && *cfg->region ? cfg->region
                       : env("AWS_REGION")        ? env("AWS_REGION")
                       : env("AWS_DEFAULT_REGION") ? env("AWS_DEFAULT_REGION")
                                                   : ini_profile_get(&conf, 1, profile, "region");
  if (ok && (!region || !*region)) {
    diag_add(diags, DIAG_ERROR, NULL, "Missing AWS region",
             "Set region in the provider block, or AWS_REGION, or region in profile \"%s\" of %s.", profile,
             conf_path);
    ok = 0;
  }
  if (ok) {
    x->region = xstrdup(region);
    for (size_t i = 0; i < NSERVICES; i++) x->urls[i] = resolve_endpoint(&SERVICES[i], cfg, &conf, profile, x->region);
  }
  ini_free(&conf);
  ini_free(&creds);
  free(conf_path);
  free(cred_path);
  if (!ok) {
    https_close(&x->base);
    return NULL;
  }

  x->max_attempts = cfg->max_attempts > 0 ? cfg->max_attempts : positive_env("AWS_MAX_ATTEMPTS", 5);
  x->connect_timeout_ms = cfg->connect_timeout_ms > 0 ? cfg->connect_timeout_ms : 10000;
  x->timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : 60000;
  x->backoff_base_ms = cfg->backoff_base_ms > 0 ? cfg->backoff_base_ms : 500;
  x->backoff_max_ms = cfg->backoff_max_ms > 0 ? cfg->backoff_max_ms : 20000;
  x->trace = env("TFC_HTTPS_TRACE") != NULL;
  const char *ca = cfg->ca_bundle && *cfg->ca_bundle ? cfg->ca_bundle : env("AWS_CA_BUNDLE");
  x->ca_bundle = ca ? xstrdup(ca) : NULL;
  x->share = cu.share_init();
  cu.share_setopt(x->share, CURLSHOPT_LOCKFUNC, share_lock);
  cu.share_setopt(x->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
  cu.share_setopt(x->share, CURLSHOPT_USERDATA, x);
  cu.share_setopt(x->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  cu.share_setopt(x->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  cu.share_setopt(x->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);

  if (cfg->validate_credentials) {
    cJSON *resp = NULL;
    AwsError err = {0};
    if (https_call(&x->base, "sts", "GetCallerIdentity", NULL, &resp, &err) != 0) {
      char *url = https_endpoint_url(&x->base, "sts");
      if (err.http_status == 0)
        diag_add(diags, DIAG_ERROR, NULL, "Cannot reach AWS",
                 "Checking the credentials (from %s) with STS GetCallerIdentity at %s failed: %s\nCheck the "
                 "network connection and any endpoint settings (AWS_ENDPOINT_URL, the provider block's endpoints).",
                 x->cred_source, url, err.message);
      else
        diag_add(diags, DIAG_ERROR, NULL, "Invalid AWS credentials",
                 "STS GetCallerIdentity at %s refused the credentials from %s: %s: %s", url, x->cred_source,
                 err.code, err.message);
      free(url);
      aws_error_clear(&err);
      https_close(&x->base);
      return NULL;
    }
    const char *acct = jstr(resp, "Account");
    x->account_id = acct ? xstrdup(acct) : NULL;
    cJSON_Delete(resp);
  }
  return &x->base;
}

const char *https_region(AwsTransport *t) {
  return ((Https *)t->ctx)->region;
}

const char *https_account_id(AwsTransport *t) {
  return ((Https *)t->ctx)->account_id;
}

const char *https_credential_source(AwsTransport *t) {
  return ((Https *)t->ctx)->cred_source;
}

char *https_endpoint_url(AwsTransport *t, const char *service) {
  const Service *s = service_of(service);
  return s ? xstrdup(((Https *)t->ctx)->urls[s - SERVICES]) : NULL;
}

/* A member of a provider block as JSON: nested blocks may come as an object
** or as a list of one object. */
static const cJSON *block_of(const cJSON *o, const char *name) {
  const cJSON *b = cJSON_GetObjectItemCaseSensitive(o, name);
  if (cJSON_IsArray(b)) b = cJSON_GetArrayItem(b, 0);
  return cJSON_IsObject(b) ? b : NULL;
}

static const char *first_str(const cJSON *o, const char *name) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
  if (cJSON_IsArray(v)) v = cJSON_GetArrayItem(v, 0);
  return cJSON_IsString(v) && *v->valuestring ? v->valuestring : NULL;
}

AwsTransport *https_open_provider_block(const cJSON *block, DiagList *diags) {
  static const char *const ROLE_BLOCKS[] = {"assume_role", "assume_role_with_web_identity", NULL};
  for (int i = 0; ROLE_BLOCKS[i]; i++) {
    if (first_str(block_of(block, ROLE_BLOCKS[i]), "role_arn")) {
      diag_add(diags, DIAG_ERROR, NULL, "Unsupported provider configuration",
               "The provider block's %s is not supported yet with -cloud=aws. Assume the role outside tfc and "
               "export the temporary credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), "
               "then remove the block.",
               ROLE_BLOCKS[i]);
      return NULL;
    }
  }
  HttpsConfig cfg = {0};
  cfg.region = first_str(block, "region");
  cfg.profile = first_str(block, "profile");
  cfg.access_key = first_str(block, "access_key");
  cfg.secret_key = first_str(block, "secret_key");
  cfg.token = first_str(block, "token");
  cfg.shared_config_file = first_str(block, "shared_config_files");
  cfg.shared_credentials_file = first_str(block, "shared_credentials_files");
  cfg.ca_bundle = first_str(block, "custom_ca_bundle");
  const cJSON *mr = cJSON_GetObjectItemCaseSensitive(block, "max_retries");
  if (cJSON_IsNumber(mr) && mr->valuedouble >= 0 && mr->valuedouble < 1000) cfg.max_attempts = (int)mr->valuedouble + 1;
  const cJSON *eps = block_of(block, "endpoints"), *e;
  HttpsEndpoint *ev = xcalloc((size_t)cJSON_GetArraySize(eps) + 1, sizeof *ev);
  cJSON_ArrayForEach(e, eps) {
    if (cJSON_IsString(e) && *e->valuestring) ev[cfg.nendpoints++] = (HttpsEndpoint){e->string, e->valuestring};
  }
  cfg.endpoints = ev;
  AwsTransport *t = https_open(&cfg, diags);
  free(ev);
  return t;
}
