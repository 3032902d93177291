/*
** providers/aws/aws_int.h — what the AWS provider's files share; not for use
** outside providers/aws.
**
** Resource code works on the Terraform-shaped state as cJSON ("tf JSON":
** snake_case attributes, blocks as arrays of objects) because API requests
** and responses are cJSON too; the generic layer (res.c) converts between
** Values and tf JSON, and supplies plan, apply, read and import around each
** resource's create/read/update/delete callbacks (an AwsRes).
*/
#ifndef TFC_AWS_INT_H
#define TFC_AWS_INT_H

#include <pthread.h>
#include <stdbool.h>

#include "providers/aws/aws.h"

struct ProvCtx {
  AwsTransport *t;
  char *region;
  char *account_id;      /* "" when skip_requesting_account_id */
  char *partition;       /* "aws" */
  char *caller_arn, *caller_user_id;
  cJSON *default_tags;   /* object: key -> value (never NULL) */
  cJSON *ignore_keys;    /* ignore_tags.keys: array of strings (never NULL) */
  cJSON *ignore_prefixes;/* ignore_tags.key_prefixes (never NULL) */
  pthread_mutex_t mu;    /* guards name_seq */
  unsigned long name_seq;
  void (*create_hook)(void *ud, const cJSON *obj); /* see Provider.set_create_hook */
  bool (*sleep_hook)(void *ud, double seconds);    /* see Provider.set_sleep_hook */
  void *sleep_ud;
  void *create_ud;
};

/* ---------------------------------------------------------- schema macros */

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define SCHEMA(attrs, blocks) {attrs, NELEM(attrs), blocks, NELEM(blocks)}
#define SCHEMA_ATTRS(attrs) {attrs, NELEM(attrs), NULL, 0}

/* Flag shorthands used by the tables. */
#define REQ SA_REQUIRED
#define OPT SA_OPTIONAL
#define CMP SA_COMPUTED
#define OPTC (SA_OPTIONAL | SA_COMPUTED)
#define FNEW SA_FORCE_NEW

/* v6's per-resource region of regional resources: defaults to the
** provider's region; a change replaces the object. */
#define AWS_REGION_ATTR                                                                  \
  {.name = "region", .type = "string", .flags = SA_OPTIONAL | SA_COMPUTED | SA_FORCE_NEW, \
   .description = "Region where this resource is managed (defaults to the provider's)"}

/* Patterns shared by several tables (aws-provider.md §12.2). */
extern const char AWS_RE_SM_NAME[];      /* the provider's SageMaker name check */
extern const char AWS_RE_SM_PREFIX[];
extern const char AWS_RE_IAM_NAME[];     /* [\w+=,.@-]+ */
extern const char AWS_RE_ARN[];
extern const char AWS_RE_S3_URI[];
extern const char *const AWS_INSTANCE_TYPES[];  /* ml.* ProductionVariantInstanceType */

/* ------------------------------------------------------------- calls */

/* One API call. resp may be NULL when the output is not wanted. Returns 0
** or -1 with err filled (the caller clears it). */
int aws_call(ProvCtx *p, const char *service, const char *op, const cJSON *req, cJSON **resp, AwsError *err);
/* As aws_call, retried every 5 s for up to timeout seconds while the error
** has the given code (and message text, when not NULL): the real
** provider's retries around IAM propagation and eventual consistency. */
int aws_call_retry(ProvCtx *p, const char *service, const char *op, const cJSON *req, cJSON **resp, AwsError *err,
                   int timeout, const char *code, const char *msg_contains);
/* A call whose failure is reported as the real provider reports it
** (aws_err_diag with action/what/id). Consumes req. */
int aws_do(ProvCtx *p, const char *service, const char *op, cJSON *req, cJSON **resp, const char *action,
           const char *what, const char *id, ProvDiags *out);
/* {"key": value} — the usual one-member request. */
cJSON *aws_req(const char *key, const char *value);
bool aws_err_is(const AwsError *e, const char *code, const char *msg_contains);
/* "<action> <what> (<id>): operation error <Svc>: <Op>, https response
** error StatusCode: N, api error <Code>: <message>" — the real provider's
** error text — as an error diagnostic. */
void aws_err_diag(ProvDiags *out, const char *action, const char *what, const char *id, const char *svc,
                  const char *op, const AwsError *e);
/* Lets `seconds` pass between polls: on the simulator by advancing its
** virtual clock ("sim"/"Advance"), elsewhere by really sleeping. */
void aws_sleep(ProvCtx *p, int seconds);
/* The wait itself, without the sleep hook. */
void aws_advance(ProvCtx *p, double seconds);
/* Seconds since the epoch on the transport's clock. */
double aws_clock_now(ProvCtx *p);
/* A fresh unique name: prefix + 26 characters (UTC timestamp with 4
** fractional digits, 8-hex counter), as the SDK's id.PrefixedUniqueId. */
char *aws_unique_name(ProvCtx *p, const char *prefix);
/* The suffix rule in reverse: the prefix of name when it ends in a
** generated 26-character suffix, else NULL. */
char *aws_name_prefix_of(const char *name);
/* "arn:aws:<svc>:<region>:<acct>:<rest>". */
char *aws_arn(ProvCtx *p, const char *svc, bool regional, const char *rest);

/* ------------------------------------------------------------- cJSON */

const char *js_str(const cJSON *o, const char *key);        /* NULL unless a non-empty string */
double js_num(const cJSON *o, const char *key, double dflt);
bool js_bool(const cJSON *o, const char *key, bool dflt);
cJSON *js_get(const cJSON *o, const char *key);
void js_set(cJSON *o, const char *key, cJSON *v);            /* replace or add; consumes v */
void js_set_str(cJSON *o, const char *key, const char *v);   /* NULL v: JSON null */
void js_set_num(cJSON *o, const char *key, double v);
void js_set_bool(cJSON *o, const char *key, bool v);
/* The first element of a block list (MaxItems 1), or NULL. */
cJSON *js_block(const cJSON *o, const char *key);
/* URL-decodes IAM's policy documents (malloc'd). */
char *aws_url_decode(const char *s);

/* Field maps: how a tf JSON object maps onto an API structure. */
enum {
  F_STR,      /* string */
  F_NUM,      /* number */
  F_BOOL,     /* bool */
  F_LIST,     /* list/set of primitives <-> array */
  F_MAP,      /* map(string) <-> object */
  F_OBJ,      /* block, MaxItems 1 <-> object */
  F_OBJS,     /* block list/set <-> array of objects */
  F_NAMEVAL   /* map(string) <-> [{Name, Value}] */
};
#define F_OMIT_ZERO 0x100   /* not sent when 0 / "" / false */
typedef struct AwsField {
  const char *tf;
  const char *api;
  int kind;                       /* F_* | F_OMIT_ZERO */
  const struct AwsField *sub;     /* F_OBJ / F_OBJS: NULL-terminated */
} AwsField;
/* tf -> API: every field present and non-null in tf is written to api. */
void aws_expand(const AwsField *map, const cJSON *tf, cJSON *api);
/* API -> tf: every field present in api is written to tf. */
void aws_flatten(const AwsField *map, const cJSON *api, cJSON *tf);

/* ------------------------------------------------------------- tags */

/* tf tags/tags_all maps <-> API [{Key,Value}] lists. */
cJSON *aws_tags_list(const cJSON *map);
cJSON *aws_tags_map(const cJSON *list);
/* The tags to send on create: default_tags merged with the plan's tags. */
cJSON *aws_tags_all(ProvCtx *p, const cJSON *plan);
/* Sets tags_all from the API's tag map and tags = tags_all without the
** provider's default tags (null when empty and the state had none). */
void aws_tags_read(ProvCtx *p, cJSON *st, const cJSON *api_map);
/* Tag update: the keys to remove and the tags to add/change between the
** prior and planned tags_all. */
void aws_tags_diff(const cJSON *prior, const cJSON *plan, cJSON **remove_keys, cJSON **set_map);

/* The tagging operations of a service that tags by ARN. */
typedef struct AwsTagApi {
  const char *service, *tag_op, *untag_op, *list_op;
  const char *arn_key;    /* "ResourceArn" / "ResourceARN" */
  bool tags_as_map;       /* Application Auto Scaling takes {key: value} */
} AwsTagApi;
extern const AwsTagApi AWS_TAGS_SAGEMAKER, AWS_TAGS_SNS, AWS_TAGS_CLOUDWATCH, AWS_TAGS_AUTOSCALING;
/* Tag/untag so the object's tags become default_tags + plan's tags. */
int aws_tags_update(ProvCtx *p, const AwsTagApi *api, const char *arn, const cJSON *prior, const cJSON *plan,
                    const char *what, ProvDiags *out);
/* Lists the object's tags into st (tags, tags_all). */
int aws_tags_fetch(ProvCtx *p, const AwsTagApi *api, const char *arn, cJSON *st, const char *what, ProvDiags *out);
/* The Tags member of a create request (NULL when there are none). */
cJSON *aws_tags_request(ProvCtx *p, const cJSON *plan, bool as_map);

/* ------------------------------------------------------------ resources */

/* read results */
enum { AWS_GONE = 0, AWS_FOUND = 1, AWS_FAILED = -1 };

typedef struct AwsRes {
  const char *type;                       /* "aws_iam_role" */
  const Schema *schema;
  const char *const *json_attrs;          /* top-level JSON policy attributes */
  bool generated_name;                    /* name/name_prefix generated at apply */
  bool has_tags;                          /* tags / tags_all */
  bool regional;                          /* has v6's per-resource region */
  /* create: plan holds the planned values (unknowns absent); sets "id" and
  ** whatever identifies the object. 0 or -1 after a diagnostic. */
  int (*create)(ProvCtx *p, cJSON *plan, ProvDiags *out);
  int (*update)(ProvCtx *p, const cJSON *prior, cJSON *plan, ProvDiags *out);
  int (*del)(ProvCtx *p, const cJSON *prior, ProvDiags *out);
  /* read: st holds the state; overwrite it with what the API says.
  ** AWS_FOUND, AWS_GONE, or AWS_FAILED after a diagnostic. */
  int (*read)(ProvCtx *p, cJSON *st, ProvDiags *out);
  /* import: fill the attributes read needs from the import ID. */
  int (*import_id)(ProvCtx *p, const char *id, cJSON *st, ProvDiags *out);
  /* optional plan adjustments (after defaults, tags_all, replacement) */
  void (*plan_hook)(ProvCtx *p, const Value *prior, const Value *config, Value **planned, ProvDiags *out);
  void (*validate)(const Value *config, ProvDiags *out);
} AwsRes;

Value *aws_res_plan(const AwsRes *r, ProvCtx *p, const Value *prior, const Value *config, const Value *proposed,
                    PathSet *rr, ProvDiags *out);
Value *aws_res_apply(const AwsRes *r, ProvCtx *p, const Value *prior, const Value *planned, ProvDiags *out);
Value *aws_res_read(const AwsRes *r, ProvCtx *p, const Value *state, ProvDiags *out);
Value *aws_res_import(const AwsRes *r, ProvCtx *p, const char *id, ProvDiags *out);
void aws_res_validate(const AwsRes *r, const Value *config, ProvDiags *out);

/* Defines the ResourceType NAME_type from the AwsRes NAME_res: the
** interface has no "self" argument, so each type gets thin wrappers. */
#define AWS_RESOURCE(NAME, ID_ATTR)                                                                              \
  static Value *NAME##_plan(ProvCtx *p, const Value *prior, const Value *config, const Value *proposed,           \
                            PathSet *rr, ProvDiags *out) {                                                       \
    return aws_res_plan(&NAME##_res, p, prior, config, proposed, rr, out);                                        \
  }                                                                                                               \
  static Value *NAME##_apply(ProvCtx *p, const Value *prior, const Value *planned, ProvDiags *out) {              \
    return aws_res_apply(&NAME##_res, p, prior, planned, out);                                                    \
  }                                                                                                               \
  static Value *NAME##_read(ProvCtx *p, const Value *state, ProvDiags *out) {                                     \
    return aws_res_read(&NAME##_res, p, state, out);                                                              \
  }                                                                                                               \
  static Value *NAME##_import(ProvCtx *p, const char *id, ProvDiags *out) {                                       \
    return aws_res_import(&NAME##_res, p, id, out);                                                               \
  }                                                                                                               \
  static void NAME##_validate(const Value *config, ProvDiags *out) { aws_res_validate(&NAME##_res, config, out); } \
  const ResourceType NAME##_type = {#NAME,          &NAME##_schema, 0,           NAME##_validate, NAME##_plan,    \
                                    NAME##_apply,   NAME##_read,    NAME##_import, ID_ATTR}

/* Value helpers */
Value *aws_val_set(const Value *obj, const char *name, Value *v);  /* consumes v; new object */
cJSON *aws_val_json(const Value *v);     /* unknowns become absent/null */
Value *aws_json_val(const Schema *s, cJSON *tf, ProvDiags *out);   /* tf JSON -> state value */

/* The resource and data source types (one file each). */
extern const ResourceType aws_iam_role_type, aws_iam_role_policy_type, aws_sagemaker_model_type,
    aws_sagemaker_endpoint_configuration_type, aws_sagemaker_endpoint_type, aws_appautoscaling_target_type,
    aws_appautoscaling_policy_type, aws_cloudwatch_metric_alarm_type, aws_sns_topic_type;
extern const DataSourceType aws_caller_identity_ds, aws_region_ds, aws_partition_ds, aws_iam_policy_document_ds;

#endif
