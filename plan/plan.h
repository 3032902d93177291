/*
** plan/plan.h — a plan: the changes tfc proposes, and the walks that make
** and apply them.
**
** plan_make refreshes the prior state through the providers, evaluates the
** configuration in dependency order and asks each provider to plan each
** resource instance; the result is a list of Changes (one per resource
** instance object) and output changes. plan_apply carries the changes out
** in dependency order, recording every operation in the state journal
** before and after it runs.
**
** Values are eval/value.h values: `after` holds unknown values for what
** only apply can tell.
*/
#ifndef TFC_PLAN_H
#define TFC_PLAN_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "eval/config.h"
#include "eval/vars.h"
#include "providers/provider.h"
#include "state/state.h"

typedef enum {
  ACT_NOOP,
  ACT_CREATE,
  ACT_READ,          /* data source read during apply (config unknown at plan) */
  ACT_UPDATE,
  ACT_DELETE,
  ACT_REPLACE_DC,    /* destroy, then create (the default) */
  ACT_REPLACE_CD     /* create, then destroy (create_before_destroy) */
} Action;

typedef struct Change {
  char *addr;               /* "module.inference.aws_iam_role.this", with [key] */
  char *module;             /* "" for the root module */
  StMode mode;
  char *type, *name;
  StKey key;
  char *deposed;            /* a deposed object's key, else NULL */
  Action action;
  Value *before;            /* NULL when creating */
  Value *after;             /* NULL when deleting; unknowns inside */
  PathSet replace_paths;    /* attributes that force the replacement */
  char *reason;             /* why (delete of an orphan, -replace, ...); may be NULL.
                               Terraform's action_reason token, which both the
                               human text and the JSON use:
                               "delete_because_no_resource_config",
                               "delete_because_count_index", "replace_by_request",
                               "read_because_config_unknown" ... (terraform.md §2.1) */
  const Provider *prov;
  const ResourceType *rt;   /* managed resources */
  const DataSourceType *dt; /* data sources */
  const Schema *schema;
  CfgResource *cfg;         /* NULL for objects no longer in the configuration */
  size_t *deps;             /* indexes of changes that must happen first */
  size_t ndeps;
  char **dep_addrs;         /* config addresses for the state's "dependencies" */
  size_t ndep_addrs;
  bool cbd;                 /* create_before_destroy (written or implied) */
} Change;

typedef struct OutputChange {
  char *name;
  Value *before, *after;    /* NULL: absent */
  bool sensitive;
} OutputChange;

/* Changes made outside tfc, found by refresh. */
typedef struct Drift {
  char *addr;
  StMode mode;
  char *type;
  Value *before, *after;    /* after NULL: deleted outside tfc */
  const Schema *schema;
  /* where the object is in the state, so apply can record what refresh saw */
  char *module, *name, *deposed;
  StKey key;
} Drift;

typedef struct PlanRelevant {
  char *addr;               /* resource instance address */
  char *attr;               /* top-level attribute name */
} PlanRelevant;

typedef struct Plan {
  Change *changes;
  size_t n, cap;
  OutputChange *outputs;
  size_t nout, capout;
  Drift *drift;
  size_t ndrift, capdrift;
  bool destroy;             /* -destroy / tfc destroy */
  bool refresh_only;
  bool errored;
  char *prior_lineage;
  uint64_t prior_serial;
  cJSON *variables;         /* name -> value, for plan files */
  size_t applied_added, applied_changed, applied_destroyed; /* set by plan_apply */
  char *timestamp;          /* RFC 3339 UTC time the plan was made; NULL: now */
  bool targeted;            /* -target was used: more rounds may be needed
                               ("complete": false in the JSON plan) */
  /* Terraform's relevant_attributes: top-level attributes of drifted
  ** objects that the configuration refers to (addr "aws_iam_role.r",
  ** attr "arn"). With relevance_known set, a normal plan shows drift only
  ** in these, as Terraform does; unset, all drift is shown. */
  bool relevance_known;
  PlanRelevant *relevant;
  size_t nrelevant, caprelevant;
} Plan;

/* Terraform's action_reason token for a change ("delete_because_count_index",
** "replace_because_tainted" ...), or NULL. Accepts a token in Change.reason
** and also the plain-English forms ("tainted", "config refers to values not
** yet known", "because ADDR is not in configuration"). */
const char *plan_action_reason(const Change *c);
/* An output's action: ACT_NOOP, ACT_CREATE, ACT_UPDATE or ACT_DELETE. */
Action plan_output_action(const OutputChange *oc);

/* ---- making and applying plans (plan/walk.c) ---- */

typedef struct PlanOptions {
  const VarArg *vars;
  size_t nvars;
  const char *workspace;
  bool destroy;             /* plan to destroy everything in the state */
  bool refresh;             /* read every object first (default true) */
  bool refresh_only;
  const char *const *replace;   /* -replace=ADDR */
  size_t nreplace;
  const char *const *targets;   /* -target=ADDR */
  size_t ntargets;
  int parallelism;              /* -parallelism: operations at once (0: 10) */
  /* where "Refreshing state..." and data source "Reading..." lines go while
  ** planning (NULL: nowhere), and whether in colour */
  FILE *progress;
  bool progress_color;
  const char *cloud;        /* "sim" (default) or "aws": where the AWS provider's calls go */
} PlanOptions;

/* The providers configured for one run (one instance per provider). */
typedef struct Runtime Runtime;

/* Opens the providers the configuration uses over the simulated AWS (or,
** later, AWS itself), configured from the root module's provider blocks. */
Runtime *runtime_open(CfgModule *root, const PlanOptions *o, DiagList *d);
void runtime_close(Runtime *rt);

/* Refreshes prior through the providers and plans every resource. Returns
** a plan (errored set when something failed). prior is not modified. */
Plan *plan_make(CfgModule *root, const State *prior, const PlanOptions *o, Runtime *rt, DiagList *d);

/* Applies p, recording every operation through sm. Progress lines go to
** out. Returns the number of failed operations (0 on success). */
int plan_apply(Plan *p, CfgModule *root, const PlanOptions *o, StMgr *sm, Runtime *rt, FILE *out, bool color,
               DiagList *d);

/* Settles operations a crashed run left in the journal (intent without
** outcome) by reading each object from its provider. Returns how many. */
int plan_reconcile(StMgr *sm, Runtime *rt, FILE *out, DiagList *d);

/* `tfc import`: asks r's provider for the object named by id, reads it, and
** records it in the state as the instance key of r in the module instance
** module ("module.a[0]"; "" for the root) (journaled, written when sm is
** closed), printing Terraform's progress lines. The caller has checked that
** r and the module instance are configured. Returns 0, or 1 with error
** diagnostics in d. */
int plan_import(const CfgResource *r, const char *module, const StKey *key, const char *id, StMgr *sm, Runtime *rt,
                FILE *out, bool color, DiagList *d);

/* Counts as the summary line shows them. */
void plan_counts(const Plan *p, size_t *add, size_t *change, size_t *destroy);
/* Whether applying would change anything (a resource or a root output). */
bool plan_has_changes(const Plan *p);
/* Frees p (allocated with malloc) and everything it holds. */
void plan_free(Plan *p);
/* Set by an interrupt: plan_apply lets the operation in progress finish and
** record itself, starts nothing else, and reports "execution halted". */
extern volatile sig_atomic_t plan_stop_requested;
/* Drops the changes, output changes and drift whose flag is false (parallel
** arrays), renumbering the dependencies among the changes kept. */
void plan_keep(Plan *p, const bool *keep, const bool *keep_out, const bool *keep_drift);

/* ---- rendering (plan/render.c) ---- */

/* The human plan Terraform prints: legend, one block per change, output
** changes, summary line; "No changes." text when there is nothing. */
void plan_render(FILE *out, const Plan *p, bool color);
/* The same text into a buffer. */
void plan_render_buf(Buf *out, const Plan *p, bool color);
/* The plan as Markdown for a pull-request comment: summary, a table of
** actions, each change in a <details> section (`tfc show -markdown PLAN`). */
void plan_render_markdown(Buf *out, const Plan *p);
/* What `terraform plan` prints after the plan: a rule, then the note about
** -out (plan_path NULL) or "Saved the plan to: PATH" and how to apply it. */
void plan_render_footer(FILE *out, const char *plan_path, bool color);
/* `terraform show -json PLAN` (format_version 1.2). root and prior may be
** NULL (no configuration / empty prior state). Print it with
** json_print(v, JSON_GO | JSON_COMPACT). */
cJSON *plan_to_json(const Plan *p, const CfgModule *root, const State *prior);

#endif
