/*
** providers/https/sigv4.c — AWS Signature Version 4; see sigv4.h.
**
** Every rule here is the one botocore applies (its signer is the reference
** the tests compare against): the path is normalised (dot segments and empty
** segments removed) and then percent-encoded again, so an encoded path is
** encoded twice as AWS expects for every service but S3; header values are
** trimmed and inner whitespace runs collapsed the way Python's str.split()
** sees whitespace; repeated headers are joined with commas in the order
** they were given.
*/
#include "providers/https/sigv4.h"

#include "base/buf.h"
#include "base/util.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Headers a proxy or the HTTP library may add, drop or rewrite: signing them
** would break the signature on the way, so they are sent unsigned. */
static const char *const UNSIGNED[] = {
    "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
    "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    /* set by the signer itself */
    "authorization", "x-amz-date", "x-amz-security-token", NULL};

static const char HEX[] = "0123456789ABCDEF";

static int unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

char *sigv4_uri_encode(const char *s, size_t len, int keep_slash) {
  Buf b = BUF_INIT;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (unreserved(c) || (keep_slash && c == '/')) {
      buf_putc(&b, (char)c);
    } else {
      char e[3] = {'%', HEX[c >> 4], HEX[c & 15]};
      buf_add(&b, e, 3);
    }
  }
  return buf_take(&b);
}

void sigv4_sha256_hex(const void *data, size_t len, char hex[65]) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(data ? data : (const void *)"", len, md);
  for (int i = 0; i < SHA256_DIGEST_LENGTH; i++) {
    hex[2 * i] = "0123456789abcdef"[md[i] >> 4];
    hex[2 * i + 1] = "0123456789abcdef"[md[i] & 15];
  }
  hex[64] = 0;
}

static void hmac(const void *key, size_t klen, const char *msg, unsigned char out[32]) {
  unsigned int n = 32;
  HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)msg, strlen(msg), out, &n);
}

/* Byte length of the whitespace character at p (as Python's str.split()
** counts whitespace: ASCII \t\n\v\f\r, space, \x1c-\x1f, and the Unicode
** spaces in UTF-8), or 0. */
static size_t ws_len(const unsigned char *p, const unsigned char *end) {
  if (p >= end) return 0;
  unsigned char c = p[0];
  if (c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f)) return 1;
  if (end - p >= 2 && c == 0xc2 && (p[1] == 0x85 || p[1] == 0xa0)) return 2;
  if (end - p >= 3) {
    if (c == 0xe1 && p[1] == 0x9a && p[2] == 0x80) return 3;                     /* U+1680 */
    if (c == 0xe2 && p[1] == 0x80 && (p[2] <= 0x8a || p[2] == 0xa8 || p[2] == 0xa9 || p[2] == 0xaf))
      return p[2] >= 0x80 ? 3 : 0;                                                /* U+2000.. */
    if (c == 0xe2 && p[1] == 0x81 && p[2] == 0x9f) return 3;                     /* U+205F */
    if (c == 0xe3 && p[1] == 0x80 && p[2] == 0x80) return 3;                     /* U+3000 */
  }
  return 0;
}

/* Trimall: words of v joined by single spaces. */
static void put_trimmed(Buf *b, const char *v) {
  const unsigned char *p = (const unsigned char *)v, *end = p + strlen(v);
  int first = 1;
  while (p < end) {
    size_t w;
    while ((w = ws_len(p, end)) > 0) p += w;
    if (p >= end) break;
    const unsigned char *start = p;
    while (p < end && ws_len(p, end) == 0) p++;
    if (!first) buf_putc(b, ' ');
    buf_add(b, (const char *)start, (size_t)(p - start));
    first = 0;
  }
}

/* RFC 3986 dot-segment removal that also drops empty segments (AWS wants
** "a//b" signed as "a/b"); a trailing slash survives, "" becomes "/". */
static char *normalize_path(const char *path) {
  if (!path || !*path) return xstrdup("/");
  size_t len = strlen(path);
  const char **seg = xmalloc((len / 2 + 2) * sizeof *seg);
  size_t *slen = xmalloc((len / 2 + 2) * sizeof *slen);
  size_t n = 0;
  for (const char *p = path; *p;) {
    const char *e = strchr(p, '/');
    size_t l = e ? (size_t)(e - p) : strlen(p);
    if (l == 0 || (l == 1 && p[0] == '.')) {
      /* skip */
    } else if (l == 2 && p[0] == '.' && p[1] == '.') {
      if (n) n--;
    } else {
      seg[n] = p;
      slen[n++] = l;
    }
    p += l;
    if (*p == '/') p++;
  }
  Buf b = BUF_INIT;
  if (path[0] == '/') buf_putc(&b, '/');
  for (size_t i = 0; i < n; i++) {
    if (i) buf_putc(&b, '/');
    buf_add(&b, seg[i], slen[i]);
  }
  if (path[len - 1] == '/' && n) buf_putc(&b, '/');
  free(seg);
  free(slen);
  return buf_take(&b);
}

typedef struct Hdr {
  char *name;        /* lower-cased */
  const char *value; /* as given */
  size_t order;      /* position given, so repeats keep their order */
} Hdr;

static int hdr_cmp(const void *a, const void *b) {
  const Hdr *x = a, *y = b;
  int c = strcmp(x->name, y->name);
  if (c) return c;
  return x->order < y->order ? -1 : x->order > y->order;
}

typedef struct QPair {
  char *k, *v; /* encoded */
} QPair;

static int q_cmp(const void *a, const void *b) {
  const QPair *x = a, *y = b;
  int c = strcmp(x->k, y->k);
  return c ? c : strcmp(x->v, y->v);
}

static char *lower(const char *s) {
  char *r = xstrdup(s);
  for (char *p = r; *p; p++)
    if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
  return r;
}

void sigv4_sign(const SigV4Request *req, const SigV4Creds *creds, const char *region,
                const char *service, time_t now, SigV4Signed *out) {
  memset(out, 0, sizeof *out);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(out->amz_date, sizeof out->amz_date, "%Y%m%dT%H%M%SZ", &tm);
  char date[9];
  memcpy(date, out->amz_date, 8);
  date[8] = 0;

  /* headers to sign */
  Hdr *h = xmalloc((req->nheaders + 3) * sizeof *h);
  size_t nh = 0;
  int have_host = 0;
  const char *content_sha = NULL;
  for (size_t i = 0; i < req->nheaders; i++) {
    char *ln = lower(req->headers[i].name);
    int skip = 0;
    for (size_t k = 0; UNSIGNED[k]; k++) skip |= strcmp(ln, UNSIGNED[k]) == 0;
    if (skip) {
      free(ln);
      continue;
    }
    if (strcmp(ln, "host") == 0) have_host = 1;
    if (strcmp(ln, "x-amz-content-sha256") == 0) content_sha = req->headers[i].value;
    h[nh] = (Hdr){ln, req->headers[i].value ? req->headers[i].value : "", i};
    nh++;
  }
  size_t next = req->nheaders;
  if (!have_host) h[nh++] = (Hdr){xstrdup("host"), req->host ? req->host : "", next++};
  h[nh++] = (Hdr){xstrdup("x-amz-date"), out->amz_date, next++};
  if (creds->token && *creds->token) h[nh++] = (Hdr){xstrdup("x-amz-security-token"), creds->token, next++};
  qsort(h, nh, sizeof *h, hdr_cmp);

  Buf canon_h = BUF_INIT, signed_h = BUF_INIT;
  for (size_t i = 0; i < nh;) {
    size_t j = i;
    buf_puts(&canon_h, h[i].name);
    buf_putc(&canon_h, ':');
    for (; j < nh && strcmp(h[j].name, h[i].name) == 0; j++) {
      if (j > i) buf_putc(&canon_h, ',');
      put_trimmed(&canon_h, h[j].value);
    }
    buf_putc(&canon_h, '\n');
    if (signed_h.len) buf_putc(&signed_h, ';');
    buf_puts(&signed_h, h[i].name);
    i = j;
  }

  /* query string */
  QPair *q = xmalloc((req->nparams + 1) * sizeof *q);
  for (size_t i = 0; i < req->nparams; i++) {
    const char *k = req->params[i].name ? req->params[i].name : "";
    const char *v = req->params[i].value ? req->params[i].value : "";
    q[i].k = sigv4_uri_encode(k, strlen(k), 0);
    q[i].v = sigv4_uri_encode(v, strlen(v), 0);
  }
  qsort(q, req->nparams, sizeof *q, q_cmp);

  char payload[65];
  if (content_sha) {
    snprintf(payload, sizeof payload, "%s", content_sha);
  } else {
    sigv4_sha256_hex(req->body, req->body_len, payload);
  }

  char *npath = normalize_path(req->path);
  char *epath = sigv4_uri_encode(npath, strlen(npath), 1);
  Buf cr = BUF_INIT;
  buf_printf(&cr, "%s\n%s\n", req->method, epath);
  for (size_t i = 0; i < req->nparams; i++) buf_printf(&cr, "%s%s=%s", i ? "&" : "", q[i].k, q[i].v);
  buf_putc(&cr, '\n');
  buf_add(&cr, canon_h.s ? canon_h.s : "", canon_h.len);
  buf_printf(&cr, "\n%s\n%s", signed_h.s ? signed_h.s : "", payload);
  out->canonical_request = buf_take(&cr);

  char crhash[65];
  sigv4_sha256_hex(out->canonical_request, strlen(out->canonical_request), crhash);
  out->string_to_sign = xasprintf("AWS4-HMAC-SHA256\n%s\n%s/%s/%s/aws4_request\n%s", out->amz_date, date,
                                   region, service, crhash);

  /* signing key: HMAC chain over date, region, service, "aws4_request" */
  char *k0 = xasprintf("AWS4%s", creds->secret_key ? creds->secret_key : "");
  unsigned char k1[32], k2[32], k3[32], k4[32], sig[32];
  hmac(k0, strlen(k0), date, k1);
  OPENSSL_cleanse(k0, strlen(k0));
  free(k0);
  hmac(k1, 32, region, k2);
  hmac(k2, 32, service, k3);
  hmac(k3, 32, "aws4_request", k4);
  hmac(k4, 32, out->string_to_sign, sig);
  OPENSSL_cleanse(k4, sizeof k4);
  char sighex[65];
  for (int i = 0; i < 32; i++) {
    sighex[2 * i] = "0123456789abcdef"[sig[i] >> 4];
    sighex[2 * i + 1] = "0123456789abcdef"[sig[i] & 15];
  }
  sighex[64] = 0;
  out->authorization = xasprintf("AWS4-HMAC-SHA256 Credential=%s/%s/%s/%s/aws4_request, SignedHeaders=%s, Signature=%s",
                                 creds->access_key ? creds->access_key : "", date, region, service,
                                 signed_h.s ? signed_h.s : "", sighex);

  for (size_t i = 0; i < nh; i++) free(h[i].name);
  free(h);
  for (size_t i = 0; i < req->nparams; i++) {
    free(q[i].k);
    free(q[i].v);
  }
  free(q);
  free(npath);
  free(epath);
  buf_free(&canon_h);
  buf_free(&signed_h);
}

void sigv4_signed_free(SigV4Signed *s) {
  free(s->authorization);
  free(s->canonical_request);
  free(s->string_to_sign);
  s->authorization = s->canonical_request = s->string_to_sign = NULL;
}

char *sigv4_host_of_url(const char *url) {
  const char *p = strstr(url, "://");
  int https = strncmp(url, "https:", 6) == 0, http = strncmp(url, "http:", 5) == 0;
  p = p ? p + 3 : url;
  size_t n = strcspn(p, "/?#");
  const char *at = memchr(p, '@', n);
  if (at) {
    n -= (size_t)(at + 1 - p);
    p = at + 1;
  }
  char *host = xstrndup(p, n);
  for (char *c = host; *c; c++)
    if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
  /* the port is after the last ':' unless that is inside an IPv6 "[...]" */
  char *colon = strrchr(host, ':');
  char *bracket = strrchr(host, ']');
  if (colon && (!bracket || colon > bracket)) {
    const char *port = colon + 1;
    if ((https && strcmp(port, "443") == 0) || (http && strcmp(port, "80") == 0) || !*port) *colon = 0;
  }
  return host;
}
