/*
** providers/provider.h — the provider interface the core talks to.
**
** It mirrors Terraform's plugin protocol so the core (config, graph, plan,
** apply) knows nothing about AWS: a provider publishes schemas, validates a
** configuration, plans a change (proposed new state in; planned state with
** unknown computed values and the attribute paths that force replacement
** out), applies it, reads (refresh), imports, and reads data sources.
**
** Values follow eval/value.h's rule: arguments are borrowed, results owned.
** A resource's value is an object whose attributes are the schema's
** attributes plus one attribute per nested block type (a list or set of
** objects, as the AWS provider's SDK stores them in state).
**
** Schemas are static tables (one file per resource type under aws/); the
** attribute types are written as Terraform type expressions ("string",
** "list(string)", "map(string)") and parsed once.
*/
#ifndef TFC_PROVIDER_H
#define TFC_PROVIDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "eval/value.h"
#include "providers/call.h"

/* ---------------------------------------------------------------- schemas */

enum {
  SA_REQUIRED = 1 << 0,
  SA_OPTIONAL = 1 << 1,
  SA_COMPUTED = 1 << 2,    /* set by the provider; with SA_OPTIONAL: when not configured */
  SA_FORCE_NEW = 1 << 3,   /* a change replaces the object */
  SA_SENSITIVE = 1 << 4,   /* shown as (sensitive value) */
  SA_DEPRECATED = 1 << 5
};

typedef struct SchemaAttr {
  const char *name;
  const char *type;                   /* Terraform type expression */
  unsigned flags;                     /* SA_* */
  const char *default_json;           /* default when not configured, as JSON; NULL: none */
  const char *description;
  /* declarative validations, checked by schema_validate */
  const char *const *one_of;          /* allowed string values (NULL-terminated) */
  const char *regex;                  /* PCRE2 pattern the whole string must match */
  const char *regex_message;          /* says what the pattern means */
  int64_t min_len, max_len;           /* string length in characters; max_len 0: no limit */
  bool has_range;
  double min, max;                    /* numbers */
  const char *const *conflicts_with;  /* attribute paths, e.g. "name_prefix" */
  const char *const *exactly_one_of;  /* including this attribute */
} SchemaAttr;

typedef enum { NEST_LIST, NEST_SET } BlockNesting;

struct Schema;

typedef struct SchemaBlock {
  const char *name;
  BlockNesting nesting;
  int min_items, max_items;           /* max_items 0: no limit */
  unsigned flags;                     /* SA_FORCE_NEW, SA_COMPUTED (optional+computed block) */
  const struct Schema *schema;
  const char *description;
} SchemaBlock;

typedef struct Schema {
  const SchemaAttr *attrs;
  size_t nattrs;
  const SchemaBlock *blocks;
  size_t nblocks;
} Schema;

/* The object type a schema describes (attributes + blocks as lists/sets). */
const Type *schema_type(const Schema *s);
const SchemaAttr *schema_attr(const Schema *s, const char *name);
const SchemaBlock *schema_block(const Schema *s, const char *name);

/* ------------------------------------------------------------ diagnostics */

/* A provider's diagnostics name the attribute they are about by path
** ("production_variants[0].instance_type"); the core turns the path into
** the source range of that attribute in the configuration. */
typedef struct ProvDiag {
  DiagSeverity severity;
  char *path;       /* may be NULL: about the whole resource */
  char *summary;
  char *detail;
} ProvDiag;

typedef struct ProvDiags {
  ProvDiag *v;
  size_t n, cap;
  size_t nerrors;
} ProvDiags;

void prov_diag(ProvDiags *d, DiagSeverity sev, const char *path, const char *summary, const char *detail, ...)
    __attribute__((format(printf, 5, 6)));
void prov_diags_free(ProvDiags *d);

/* A set of attribute paths (requires_replace). */
typedef struct PathSet {
  char **v;
  size_t n, cap;
} PathSet;
void pathset_add(PathSet *p, const char *path);
bool pathset_has(const PathSet *p, const char *path);
void pathset_free(PathSet *p);

/* -------------------------------------------------------------- resources */

typedef struct ProvCtx ProvCtx;   /* a configured provider instance (aws/aws.h) */

typedef struct ResourceType {
  const char *name;                /* "aws_sagemaker_model" */
  const Schema *schema;
  int schema_version;
  /* Checks beyond the schema's declarative rules, which the core runs
  ** separately with schema_validate (config may hold unknowns). */
  void (*validate)(const Value *config, ProvDiags *out);
  /* prior: the current state (NULL when creating). config: the resource's
  ** configuration (as Terraform's PlanResourceChange receives it: a
  ** provider must know which optional+computed values the user set, e.g.
  ** a name left to be generated becomes unknown again on replacement).
  ** proposed: the configuration merged with prior computed values
  ** (schema_proposed_new). Returns the planned new state — unknown where
  ** only apply can tell — and adds to requires_replace the paths whose
  ** change forces replacement. */
  Value *(*plan)(ProvCtx *p, const Value *prior, const Value *config, const Value *proposed,
                 PathSet *requires_replace, ProvDiags *out);
  /* Create (prior NULL), update, or delete (planned NULL). Returns the new
  ** state: NULL after a delete, or after a create that failed before
  ** anything existed. An error with a non-NULL result means the object
  ** exists but is not as planned (Terraform then taints a new object). */
  Value *(*apply)(ProvCtx *p, const Value *prior, const Value *planned, ProvDiags *out);
  /* Refresh: the object as it is now, or NULL when it no longer exists. */
  Value *(*read)(ProvCtx *p, const Value *state, ProvDiags *out);
  /* The state for an existing object named by an import ID. */
  Value *(*import)(ProvCtx *p, const char *id, ProvDiags *out);
  /* The ID Terraform shows in progress lines ("[id=...]"). */
  const char *id_attr;
} ResourceType;

typedef struct DataSourceType {
  const char *name;                /* "aws_caller_identity" */
  const Schema *schema;
  Value *(*read)(ProvCtx *p, const Value *config, ProvDiags *out);
} DataSourceType;

/* ------------------------------------------------------ deployment checks */

/* What a provider's deployment checks see of one resource of a module:
** its decoded configuration (unknown where not yet known), whether it will
** be replaced create-before-destroy, and which resources it refers to. The
** checks report, on each resource's diags by attribute path, outcomes that
** are certain from the configuration: what AWS will do, why, and the fix. */
typedef struct CheckResource {
  const char *type, *name;
  const char *address;           /* "module.x.aws_y.z" */
  bool managed;                  /* false for data sources */
  const Value *config;
  bool create_before_destroy;    /* written or implied */
  const char *cbd_cause;         /* address whose create_before_destroy implies it; NULL if written */
  const size_t *deps;            /* indexes into the same array */
  size_t ndeps;
  ProvDiags diags;               /* out */
} CheckResource;

/* ------------------------------------------------------------- providers */

typedef struct Provider {
  const char *name;                /* "aws" */
  const Schema *config_schema;     /* the provider block */
  const ResourceType *const *resources;
  size_t nresources;
  const DataSourceType *const *data_sources;
  size_t ndata_sources;
  /* Configures an instance from the provider block's value over a
  ** transport (which it then owns). NULL after adding diagnostics. */
  ProvCtx *(*configure)(const Value *config, AwsTransport *t, ProvDiags *out);
  void (*close)(ProvCtx *p);
  /* Simulated or real seconds since an arbitrary epoch, for progress lines. */
  double (*clock)(ProvCtx *p);
  /* Deployment checks over one module's resources (may be NULL). */
  void (*check_config)(CheckResource *v, size_t n);
  /* Installs a hook the provider calls just before each create call, with
  ** the object as it will be created (generated names chosen), so the core
  ** can journal what to look for if the process dies during the call. */
  void (*set_create_hook)(ProvCtx *p, void (*hook)(void *ud, const cJSON *obj), void *ud);
  /* Installs a hook every wait (a waiter's poll delay) goes through first:
  ** when it returns true the wait happened there, so the core can run
  ** other operations meanwhile. NULL hook: waits are the provider's own. */
  void (*set_sleep_hook)(ProvCtx *p, bool (*hook)(void *ud, double seconds), void *ud);
  /* Waits `seconds` the provider's own way: the simulator's clock moves, a
  ** real cloud's time really passes. */
  void (*advance)(ProvCtx *p, double seconds);
} Provider;

/* A provider compiled into tfc, by local name ("aws"); NULL if none. */
const Provider *provider_lookup(const char *name);
const ResourceType *provider_resource(const Provider *p, const char *type);
const DataSourceType *provider_data_source(const Provider *p, const char *type);

/* ---------------------------------------------- generic schema operations */

/* Terraform's ProposedNewObject: the configuration, with prior values kept
** for computed attributes the configuration leaves null (or unknown when
** there is no prior object), nested blocks matched by position. */
Value *schema_proposed_new(const Schema *s, const Value *prior, const Value *config);
/* Declarative checks of values: one_of, regex, lengths, ranges,
** conflicts_with, exactly_one_of. Unknown values are skipped. Required
** arguments and block counts are the configuration decoder's (eval/decode.c),
** which reports them at their source ranges; they are not repeated here. */
void schema_validate(const Schema *s, const Value *config, ProvDiags *out);
/* Adds every FORCE_NEW path whose planned value differs from prior. */
void schema_requires_replace(const Schema *s, const Value *prior, const Value *planned, PathSet *out);
/* Applies defaults (default_json) to null optional attributes. */
Value *schema_apply_defaults(const Schema *s, const Value *config);

#endif
