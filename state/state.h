/*
** state/state.h — Terraform's v4 state: the in-memory model, reading, and
** byte-stable writing.
**
** Ownership: a State owns everything reachable from it (strings, cJSON trees).
** Functions that take a cJSON* or char* to store say "takes" when they adopt
** it, "copies" when they duplicate it. Resources are held by pointer so a
** StResource* stays valid while others are added; instances are held by
** value, so an StInstance* is valid only until its resource gains or loses
** an instance.
**
** Numbers inside attribute values keep the text they were read with (in the
** number node's valuestring), so a state read and written again is byte
** identical. Code that changes a number should make a new node
** (cJSON_CreateNumber) rather than cJSON_SetNumberValue, or call
** st_json_set_number, so stale text is never printed.
**
** Writing follows Terraform's conventions (reference/terraform.md §1.1): Go's
** json.MarshalIndent layout with two-space indent and a trailing newline,
** struct key order, object keys of values sorted (cty's order), resources and
** instances sorted, Go string escaping (\u003c \u003e \u0026), and numbers
** printed without exponent.
*/
#ifndef TFC_STATE_H
#define TFC_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "base/buf.h"
#include "base/diag.h"

/* The Terraform version tfc writes into terraform_version. */
#define ST_WRITER_VERSION "1.14.0"
/* The provider every built-in AWS resource is recorded under. */
#define ST_AWS_PROVIDER "provider[\"registry.terraform.io/hashicorp/aws\"]"

typedef enum { ST_KEY_NONE, ST_KEY_INT, ST_KEY_STR } StKeyKind;

/* An instance key: none (no count/for_each), count index, or for_each key. */
typedef struct StKey {
  StKeyKind kind;
  long long i;   /* ST_KEY_INT */
  char *s;       /* ST_KEY_STR (owned) */
} StKey;

typedef enum { ST_MANAGED, ST_DATA } StMode;

/* One object of a resource instance: the current one (deposed == NULL) or a
** deposed one left by create_before_destroy. */
typedef struct StInstance {
  StKey key;
  char *deposed;                  /* NULL, or 8 lowercase hex digits */
  bool tainted;                   /* "status": "tainted" */
  long long schema_version;
  cJSON *attributes;              /* JSON object, never NULL */
  cJSON *sensitive_attributes;    /* JSON array of paths, never NULL */
  bool has_identity_schema_version; /* written by Terraform >= 1.12 */
  long long identity_schema_version;
  cJSON *identity;                /* NULL when none */
  char *private_b64;              /* provider-private bytes, base64; NULL if none */
  char **deps;                    /* sorted config addresses */
  size_t ndeps;
  bool create_before_destroy;
  /* the object as a value, decoded by whoever set it (the planner, after
  ** refresh); never copied, written or freed by state/ */
  void *decoded;
  /* attributes belong to another state this one was cloned from
  ** (st_clone_sharing): not freed with this instance */
  bool shared_attributes;
} StInstance;

typedef struct StResource {
  char *module;                   /* module instance path, "" for root */
  StMode mode;
  char *type;
  char *name;
  char *provider;                 /* absolute provider config string */
  StInstance *inst;               /* sorted by key, then deposed key (st_put_instance keeps it so) */
  size_t ninst, capinst;
} StResource;

typedef struct StOutput {
  char *name;
  cJSON *value;                   /* any JSON */
  cJSON *type;                    /* cty type JSON */
  bool sensitive;
} StOutput;

typedef struct StIndex StIndex;

typedef struct State {
  char *terraform_version;        /* of the writer that wrote it last */
  uint64_t serial;
  char *lineage;
  StOutput *outputs;
  size_t noutputs, capoutputs;
  StResource **res;
  size_t nres, capres;
  cJSON *check_results;           /* NULL writes "null" */
  StIndex *index;                 /* address -> resource, built lazily */
} State;

/* ---- model ---- */

/* A new empty state with a fresh lineage, serial 0. */
State *st_new(void);
void st_free(State *s);
/* Deep copy. */
State *st_clone(const State *s);
/* A clone whose instances share their attributes with s: for reading s
** while replacing some instances' attributes, without copying all of them.
** s must outlive it and not change meanwhile. */
State *st_clone_sharing(const State *s);

/* A fresh UUID v4 (random bytes from OpenSSL), malloc'd. */
char *st_new_uuid(void);

/* Finds a resource; module "" for root. NULL when absent. */
StResource *st_find_resource(State *s, const char *module, StMode mode, const char *type,
                             const char *name);
/* Finds or adds a resource (copies the strings; provider used only on add). */
StResource *st_get_resource(State *s, const char *module, StMode mode, const char *type,
                            const char *name, const char *provider);
/* Removes (and frees) a resource. */
void st_remove_resource(State *s, StResource *r);

/* Finds an instance object by key and deposed key (NULL = current). */
StInstance *st_find_instance(StResource *r, const StKey *key, const char *deposed);
/* Adds a blank instance object (attributes {}, sensitive_attributes []),
** copying key and deposed. Any existing object with the same key and deposed
** key is replaced. */
StInstance *st_put_instance(StResource *r, const StKey *key, const char *deposed);
/* Removes an instance object; returns false when absent. */
bool st_remove_instance(StResource *r, const StKey *key, const char *deposed);
void st_instance_clear(StInstance *in);
void st_instance_copy(StInstance *dst, const StInstance *src);
void st_instance_add_dep(StInstance *in, const char *addr);

/* Sets (copying value and type) or, with value NULL, removes an output. */
void st_set_output(State *s, const char *name, const cJSON *value, const cJSON *type,
                   bool sensitive);
StOutput *st_find_output(State *s, const char *name);

/* Sorts resources, instances and dependencies as Terraform writes them. */
void st_sort(State *s);
/* Number of instance objects (current and deposed) in the state. */
size_t st_count_instances(const State *s);
/* Whether two states hold the same resources and outputs (serial, lineage and
** terraform_version ignored) — Terraform's "did anything change" test. */
bool st_same_content(const State *a, const State *b);

/* ---- keys and addresses ---- */

void st_key_copy(StKey *dst, const StKey *src);
void st_key_free(StKey *k);
int st_key_cmp(const StKey *a, const StKey *b);
/* Appends "[0]" / "[\"k\"]" (nothing for ST_KEY_NONE). */
void st_key_format(Buf *b, const StKey *k);

/* "module.a.aws_x.y" / "data.aws_x.y" (no instance key). */
char *st_resource_addr(const StResource *r);
/* Resource address plus the instance key. */
char *st_instance_addr(const StResource *r, const StInstance *in);

/* A parsed address as users type them on the command line: module path,
** optionally a resource, optionally an instance key. Module steps without a
** key match every instance of that module call. */
typedef struct StModStep {
  char *name;
  StKey key;
} StModStep;

typedef struct StAddr {
  StModStep *mods;
  size_t nmods;
  bool has_resource;
  StMode mode;
  char *type;
  char *name;
  StKey key;                      /* ST_KEY_NONE: every instance */
} StAddr;

/* Parses an address; on error returns false with a message in *err (malloc'd). */
bool st_addr_parse(const char *s, StAddr *a, char **err);
void st_addr_free(StAddr *a);
/* Formats a module path (every step has its key) the way state files store it. */
char *st_addr_module(const StAddr *a);
/* Whether an instance of r matches the address as a target (prefix match). */
bool st_addr_matches(const StAddr *a, const StResource *r, const StInstance *in);
/* Whether a module instance path string ("module.a[0].module.b") matches the
** address's module steps as a prefix. */
bool st_addr_matches_module(const StAddr *a, const char *module);

/* ---- reading and writing ---- */

/* Parses state bytes. path names the file in diagnostics. Returns NULL with
** error diagnostics when the bytes are not a usable v4 state. */
State *st_parse(const char *bytes, size_t len, const char *path, DiagList *dl);
/* Reads a state file. A missing file is not an error: *exists is set false
** and NULL returned with no diagnostics. */
State *st_read_file(const char *path, bool *exists, DiagList *dl);
/* Serializes in Terraform's byte layout (sorts s first). */
void st_serialize(State *s, Buf *out);
/* The two halves of st_serialize: the header (version, terraform_version,
** serial, lineage) and the body, which alone is the state's content. */
void st_serialize_header(const State *s, Buf *out);
void st_serialize_body(State *s, Buf *out);

/* An instance object as the state file shows it (a new cJSON tree). */
cJSON *st_instance_to_json(const StInstance *in);
/* Adds or replaces the instance object described by jo (state-file layout)
** in r; consumes nothing (values are moved out of jo). */
bool st_instance_from_json(StResource *r, cJSON *jo, const char *path, DiagList *dl);

/* The state as `terraform show -json` prints it (format_version 1.0):
** outputs, root_module with resources and nested child_modules, each
** resource with values and sensitive_values. Print with st_json_compact. */
cJSON *st_show_json(State *s);

/* ---- JSON helpers (Go's encoding/json conventions) ---- */

/* cJSON parse that also records each number's source text (see above).
** *errpos (may be NULL) receives the byte offset of a syntax error. */
cJSON *st_json_parse(const char *s, size_t n, size_t *errpos);
/* Go-escaped JSON string. */
void st_json_string(Buf *b, const char *s, size_t n);
/* A number: its source text when it has one, otherwise printed like cty. */
void st_json_number(Buf *b, const cJSON *num);
/* Formats a double the way cty prints numbers (no exponent, shortest). */
void st_format_number(Buf *b, double d);
/* Pretty JSON at the given depth (two spaces per level); sort_keys orders
** object members by name as cty does. */
void st_json_pretty(Buf *b, const cJSON *v, int depth, bool sort_keys);
/* Compact JSON (one line), Go escaping, keys as stored. */
void st_json_compact(Buf *b, const cJSON *v);
void st_json_set_number(cJSON *num, double d);
/* Whether number text is in cty's printed form (see st_format_number). */
bool st_number_text_canonical(const char *t);
/* Drops number texts that are not in cty's form, so those numbers print
** as cty would print them (Terraform decodes output values through cty). */
void st_json_canonical_numbers(cJSON *v);

/* ---- the state file on disk: lock, atomic writes, backup, journal ----
**
** An StMgr is one command's hold on one state file. Opening takes the lock,
** reads the file and replays a journal left by a run that crashed. Every
** change an apply makes goes through the journal: an intent record (fsync'd)
** before a provider call, a done record with the new object after it. The
** journal is folded into the state file by an atomic rename at st_mgr_write,
** at st_mgr_close, and whenever it grows past the size of the state.
** All st_mgr_* calls are thread-safe. */

typedef struct StMgr StMgr;

typedef struct StOpenOpts {
  bool no_lock;                   /* -lock=false */
  double lock_timeout;            /* -lock-timeout, seconds */
  const char *operation;          /* e.g. "OperationTypeApply" */
  const char *backup_path;        /* NULL: PATH.backup; "-": no backup */
  bool quiet;                     /* do not print "Acquiring state lock..." */
  bool readonly;                  /* no lock, never writes (list, show, output) */
} StOpenOpts;

/* Identifies one instance object: resource plus key plus deposed key. */
typedef struct StRef {
  const char *module;             /* "" or NULL for root */
  StMode mode;
  const char *type;
  const char *name;
  const char *provider;           /* NULL: ST_AWS_PROVIDER */
  StKey key;
  const char *deposed;            /* NULL for the current object */
} StRef;

/* An operation the journal saw start but not finish. */
typedef struct StIntent {
  uint64_t id;
  char *module, *type, *name, *provider, *deposed;
  StMode mode;
  StKey key;
  char *addr;                     /* instance address, for messages */
  char *action;                   /* "create", "update", "delete", "read" ... */
  cJSON *planned;                 /* planned object, may be NULL */
} StIntent;

StMgr *st_mgr_open(const char *path, const StOpenOpts *opts, DiagList *dl);
/* The state as of now (journal included). Owned by the manager; a caller
** changing it directly must call st_mgr_write to persist. */
State *st_mgr_state(StMgr *m);
/* Whether the state file existed when opened. */
bool st_mgr_existed(const StMgr *m);
/* Intents a crashed run left without a done record; the caller reconciles
** each (read the object from the provider) and records st_mgr_done. */
const StIntent *st_mgr_pending(const StMgr *m, size_t *n);

/* Records the start of an operation (fsync'd before returning). Returns its
** id (> 0), or 0 with a diagnostic when the journal cannot be written. */
uint64_t st_mgr_intent(StMgr *m, const StRef *ref, const char *action, const cJSON *planned, DiagList *dl);
/* Records the outcome: obj is the new object (its key and deposed key are
** taken from ref), NULL when the object is gone. Applied to the in-memory
** state. With sync false the record waits for the next st_mgr_sync or
** intent, so completions that finish together share one fsync. */
bool st_mgr_done(StMgr *m, uint64_t intent, const StRef *ref, const StInstance *obj, bool sync, DiagList *dl);
/* Journals an output value change (value NULL removes it). */
bool st_mgr_set_output(StMgr *m, const char *name, const cJSON *value, const cJSON *type, bool sensitive,
                       DiagList *dl);
bool st_mgr_sync(StMgr *m, DiagList *dl);
/* Writes the whole state atomically (serial bumped when the content
** changed, backup of the opening snapshot once) and folds the journal. */
bool st_mgr_write(StMgr *m, DiagList *dl);
/* Like st_mgr_write, but keeps the state's lineage and serial as they are
** (state push, migrations). */
bool st_mgr_write_forced(StMgr *m, DiagList *dl);
/* Journal size that triggers a fold (default: max(4 MiB, state size)). */
void st_mgr_set_fold_bytes(StMgr *m, size_t bytes);
/* Folds if the journal holds anything, releases the lock, frees. Returns
** false (with diagnostics) when the final write failed. */
bool st_mgr_close(StMgr *m, DiagList *dl);
/* Releases the lock and frees without writing (the journal, if any, stays
** for the next run to replay). */
void st_mgr_abandon(StMgr *m);
/* Gives up the lock and the journal without freeing anything: for a
** process about to exit, whose memory goes back all at once. */
void st_mgr_release(StMgr *m);

/* The journal's path for a state path: .NAME.journal in the same folder. */
char *st_journal_path(const char *state_path);
/* The lock-info path: .NAME.lock.info in the same folder. */
char *st_lock_info_path(const char *state_path);
/* Writes bytes to path durably: temporary file in the same folder, fsync,
** rename, fsync of the folder. Mode 0600. */
bool st_write_atomic(const char *path, const char *bytes, size_t len, DiagList *dl);

/* ---- workspaces ---- */

/* The selected workspace: TF_WORKSPACE, else .terraform/environment (under
** TF_DATA_DIR when set), else "default". Returns malloc'd. */
char *st_ws_current(void);
/* Whether the workspace comes from TF_WORKSPACE. */
bool st_ws_overridden(void);
/* State path of a workspace: terraform.tfstate or
** terraform.tfstate.d/NAME/terraform.tfstate. */
char *st_ws_state_path(const char *name);
/* Workspaces that exist, "default" first, others sorted. */
char **st_ws_list(size_t *n);
bool st_ws_exists(const char *name);
bool st_ws_valid_name(const char *name);
/* Writes .terraform/environment. */
bool st_ws_select(const char *name, DiagList *dl);
bool st_ws_create(const char *name, DiagList *dl);
bool st_ws_delete(const char *name, DiagList *dl);

/* ---- rendering ---- */

/* Attributes the way `terraform show` prints a resource instance: the
** "# ADDR:" header, the resource block, sensitive values hidden. */
void st_render_instance(Buf *b, const StResource *r, const StInstance *in);
/* A value in Terraform's console/output syntax (repl.FormatValue): quoted
** strings, heredocs for multi-line ones, tolist/toset/tomap around
** collections of the given cty type (JSON form; NULL = dynamic). */
void st_render_value(Buf *b, const cJSON *v, const cJSON *type, int indent);

typedef struct StDiffOpts {
  bool markdown;
  const char *old_name, *new_name;
} StDiffOpts;
/* A plan-like, reviewable diff of two states. Returns the number of
** changed resource instances and outputs. */
size_t st_diff(Buf *out, State *old_state, State *new_state, const StDiffOpts *opts);

#endif
