/*
** providers/https/https.h — the call interface (providers/call.h) answered
** by the real AWS APIs over HTTPS.
**
** https_open finds credentials, region and endpoints the way the Terraform
** AWS provider does (provider block, environment, ~/.aws files) and returns
** an AwsTransport whose call() signs each request with SigV4 and speaks the
** service's wire protocol: JSON 1.1 for SageMaker and Application Auto
** Scaling, Query/XML for IAM, STS, SNS and CloudWatch, REST for
** sagemaker-runtime InvokeEndpoint. Requests are retried with exponential
** backoff and full jitter on throttling, 5xx responses and network errors.
**
** Errors come back AWS-shaped with the codes the services send (the same
** codes the simulator uses); a request that never got an answer has the
** code "EndpointConnectionError" and http_status 0.
**
** The transport is safe to call from several threads at once. Secrets (the
** secret key, the session token) are never printed, logged or returned.
*/
#ifndef TFC_HTTPS_H
#define TFC_HTTPS_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "base/diag.h"
#include "providers/call.h"

/* One entry of the provider block's `endpoints`: key is the provider's
** service key (sagemaker, iam, sts, sns, cloudwatch, appautoscaling or
** applicationautoscaling, sagemakerruntime), url the endpoint to use. */
typedef struct HttpsEndpoint {
  const char *key;
  const char *url;
} HttpsEndpoint;

/* Settings from the provider block. Every field may be NULL/0: then the
** environment, the shared files and the defaults decide. Strings are copied. */
typedef struct HttpsConfig {
  const char *region;
  const char *profile;
  const char *access_key;
  const char *secret_key;
  const char *token;
  const char *shared_config_file;       /* default $AWS_CONFIG_FILE or ~/.aws/config */
  const char *shared_credentials_file;  /* default $AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials */
  const HttpsEndpoint *endpoints;
  size_t nendpoints;
  int max_attempts;          /* tries per call; 0 = $AWS_MAX_ATTEMPTS or 5 */
  long connect_timeout_ms;   /* 0 = 10 s */
  long timeout_ms;           /* whole attempt; 0 = 60 s */
  long backoff_base_ms;      /* first retry waits up to this; 0 = 500 ms */
  long backoff_max_ms;       /* cap on one wait; 0 = 20 s */
  bool validate_credentials; /* call STS GetCallerIdentity in https_open */
  const char *ca_bundle;     /* PEM file of trusted CAs; default $AWS_CA_BUNDLE, else the system's */
} HttpsConfig;

/* Returns the transport, or NULL with error diagnostics (no credentials, no
** region, an unreadable or unsupported profile, or, with
** validate_credentials, credentials AWS refuses or an unreachable
** endpoint). Warnings (e.g. lines of ~/.aws/config that were not
** understood) may be added either way. */
AwsTransport *https_open(const HttpsConfig *cfg, DiagList *diags);

/* https_open for the `provider "aws"` block given as JSON (attribute names
** as in the block; nested blocks as an object or a one-element array):
** region, profile, access_key, secret_key, token, shared_config_files and
** shared_credentials_files (the first file of each), endpoints,
** max_retries (attempts = max_retries + 1) and custom_ca_bundle. An
** assume_role or assume_role_with_web_identity block with a role_arn is
** refused with a diagnostic rather than silently ignored: the calls would
** otherwise run with the base credentials, maybe in another account.
** Credentials are not validated here: the provider's configure calls
** GetCallerIdentity itself. block may be NULL (everything from the
** environment). */
AwsTransport *https_open_provider_block(const cJSON *block, DiagList *diags);

/* The region calls go to. */
const char *https_region(AwsTransport *t);
/* The account id learnt from GetCallerIdentity (validate_credentials), or
** NULL. */
const char *https_account_id(AwsTransport *t);
/* Where credentials came from, for messages: "provider configuration",
** "environment", "profile NAME". Never the credentials themselves. */
const char *https_credential_source(AwsTransport *t);
/* The endpoint URL used for service (call-interface name), malloc'd; NULL
** for a service the transport does not know. */
char *https_endpoint_url(AwsTransport *t, const char *service);

#endif
