/*
** providers/https/sigv4.h — AWS Signature Version 4 (header form).
**
** Signs one HTTP request the way AWS's own SDKs do: canonical request (URI
** path normalised and encoded, query parameters encoded and sorted, headers
** lower-cased, trimmed, sorted, duplicates joined with commas, payload
** SHA-256), string to sign, the derived signing key, and the Authorization
** header. The rules follow botocore's signer exactly; tests/sigv4/ holds
** requests signed by botocore that tests/unit/test_sigv4.c replays.
**
** Secrets go in and only the signature comes out: nothing here prints or
** keeps the secret key or the session token beyond the call.
*/
#ifndef TFC_SIGV4_H
#define TFC_SIGV4_H

#include <stddef.h>
#include <time.h>

typedef struct SigV4Pair {
  const char *name;   /* header name or query key (query: not yet encoded) */
  const char *value;  /* header value or query value (query: not yet encoded) */
} SigV4Pair;

typedef struct SigV4Request {
  const char *method;         /* "GET", "POST", ... */
  const char *host;           /* Host header value, unless headers has one */
  const char *path;           /* path as sent on the wire (already %-encoded) */
  const SigV4Pair *params;    /* query parameters, not encoded; any order */
  size_t nparams;
  const SigV4Pair *headers;   /* headers to send, in order; repeats allowed */
  size_t nheaders;
  const void *body;           /* payload (may be NULL when body_len is 0) */
  size_t body_len;
} SigV4Request;

typedef struct SigV4Creds {
  const char *access_key;
  const char *secret_key;
  const char *token;          /* session token or NULL */
} SigV4Creds;

/* What the caller adds to the request. Everything is malloc'd; free with
** sigv4_signed_free. canonical_request and string_to_sign are kept for tests
** and debugging: they contain the session token (as a signed header) but
** never the secret key. */
typedef struct SigV4Signed {
  char amz_date[17];          /* X-Amz-Date: YYYYMMDDTHHMMSSZ */
  char *authorization;        /* Authorization header value */
  char *canonical_request;
  char *string_to_sign;
} SigV4Signed;

/* Signs req for service/region at time now. Headers named Authorization,
** X-Amz-Date and X-Amz-Security-Token in req are ignored (the signer sets
** them: send the ones in *out, plus X-Amz-Security-Token = creds->token when
** there is one). Headers that proxies may change (User-Agent, Expect,
** Connection, ...) are sent but not signed. */
void sigv4_sign(const SigV4Request *req, const SigV4Creds *creds, const char *region,
                const char *service, time_t now, SigV4Signed *out);
void sigv4_signed_free(SigV4Signed *s);

/* The Host header for a URL "scheme://[user@]host[:port]/...": lower-cased,
** without a default port (80 for http, 443 for https). Returns malloc'd. */
char *sigv4_host_of_url(const char *url);

/* Percent-encodes s (len bytes) the way SigV4 wants: every byte except
** A-Z a-z 0-9 - _ . ~ (and '/' when keep_slash) becomes %XX, upper-case hex.
** Appends to a malloc'd string it returns. */
char *sigv4_uri_encode(const char *s, size_t len, int keep_slash);

/* Lower-case hex SHA-256 of data into hex (65 bytes with the NUL). */
void sigv4_sha256_hex(const void *data, size_t len, char hex[65]);

#endif
