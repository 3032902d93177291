/*
** plan/plan.c — small facts about a plan (its counts, whether it changes
** anything) and releasing it.
*/
#include "plan/plan.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>

static const char *const reason_tokens[] = {
    "replace_because_cannot_update", "replace_because_tainted", "replace_by_request", "replace_by_triggers",
    "delete_because_no_resource_config", "delete_because_wrong_repetition", "delete_because_count_index",
    "delete_because_each_key", "delete_because_no_module", "delete_because_no_move_target",
    "read_because_config_unknown", "read_because_dependency_pending", "read_because_check_nested", NULL,
};

const char *plan_action_reason(const Change *c) {
  const char *r = c->reason;
  if (!r) return NULL;
  for (const char *const *t = reason_tokens; *t; t++)
    if (!strcmp(r, *t)) return *t;
  if (!strcmp(r, "tainted")) return "replace_because_tainted";
  if (!strncmp(r, "config refers to values not yet known", 37)) return "read_because_config_unknown";
  if (!strncmp(r, "depends on", 10)) return "read_because_dependency_pending";
  static const char suffix[] = " is not in configuration";
  size_t n = strlen(r), ns = sizeof suffix - 1;
  if (c->action == ACT_DELETE && !strncmp(r, "because ", 8) && n > 8 + ns && !strcmp(r + n - ns, suffix)) {
    /* the whole resource is gone, or only this instance key */
    bool keyed = memchr(r + 8, '[', n - 8 - ns) != NULL && c->key.kind != ST_KEY_NONE;
    if (!keyed) return "delete_because_no_resource_config";
    return c->key.kind == ST_KEY_INT ? "delete_because_count_index" : "delete_because_each_key";
  }
  return NULL;
}

/* A null output is no output: Terraform does not store it in the state. */
static bool absent(const Value *v) { return !v || (val_is_known(v) && val_is_null(v)); }

Action plan_output_action(const OutputChange *oc) {
  bool nb = absent(oc->before), na = absent(oc->after);
  if (nb && na) return ACT_NOOP;
  if (nb) return ACT_CREATE;
  if (na) return ACT_DELETE;
  return val_raw_equal(oc->before, oc->after) ? ACT_NOOP : ACT_UPDATE;
}

/* Terraform's summary: every replacement counts as one add and one destroy;
** reads and no-ops count nowhere; deleting a data source from the state is
** not shown, so not counted either. */
void plan_counts(const Plan *p, size_t *add, size_t *change, size_t *destroy) {
  size_t a = 0, c = 0, d = 0;
  for (size_t i = 0; i < p->n; i++) {
    const Change *ch = &p->changes[i];
    switch (ch->action) {
      case ACT_CREATE: a++; break;
      case ACT_UPDATE: c++; break;
      case ACT_DELETE:
        if (ch->mode == ST_MANAGED) d++;
        break;
      case ACT_REPLACE_DC:
      case ACT_REPLACE_CD:
        a++;
        d++;
        break;
      default: break;
    }
  }
  if (add) *add = a;
  if (change) *change = c;
  if (destroy) *destroy = d;
}

bool plan_has_changes(const Plan *p) {
  for (size_t i = 0; i < p->n; i++)
    if (p->changes[i].action != ACT_NOOP) return true;
  for (size_t i = 0; i < p->nout; i++)
    if (plan_output_action(&p->outputs[i]) != ACT_NOOP) return true;
  /* a refresh-only plan exists to record what changed outside */
  return p->refresh_only && p->ndrift > 0;
}

static void change_free(Change *c) {
  free(c->addr);
  free(c->module);
  free(c->type);
  free(c->name);
  st_key_free(&c->key);
  free(c->deposed);
  val_free(c->before);
  val_free(c->after);
  pathset_free(&c->replace_paths);
  free(c->reason);
  free(c->deps);
  for (size_t i = 0; i < c->ndep_addrs; i++) free(c->dep_addrs[i]);
  free(c->dep_addrs);
}

static void drift_free(Drift *d) {
  free(d->addr);
  free(d->type);
  free(d->module);
  free(d->name);
  free(d->deposed);
  st_key_free(&d->key);
  val_free(d->before);
  val_free(d->after);
}

void plan_keep(Plan *p, const bool *keep, const bool *keep_out, const bool *keep_drift) {
  size_t *to = xcalloc(p->n + 1, sizeof *to), n = 0;
  for (size_t i = 0; i < p->n; i++) to[i] = keep[i] ? n++ : (size_t)-1;
  for (size_t i = 0, k = 0; i < p->n; i++) {
    if (!keep[i]) {
      change_free(&p->changes[i]);
      continue;
    }
    Change *c = &p->changes[i];
    size_t nd = 0;
    for (size_t j = 0; j < c->ndeps; j++)
      if (to[c->deps[j]] != (size_t)-1) c->deps[nd++] = to[c->deps[j]];
    c->ndeps = nd;
    p->changes[k++] = *c;
  }
  p->n = n;
  free(to);
  size_t k = 0;
  for (size_t i = 0; i < p->nout; i++) {
    if (keep_out[i]) {
      p->outputs[k++] = p->outputs[i];
      continue;
    }
    free(p->outputs[i].name);
    val_free(p->outputs[i].before);
    val_free(p->outputs[i].after);
  }
  p->nout = k;
  k = 0;
  for (size_t i = 0; i < p->ndrift; i++) {
    if (keep_drift[i]) p->drift[k++] = p->drift[i];
    else drift_free(&p->drift[i]);
  }
  p->ndrift = k;
}

void plan_free(Plan *p) {
  if (!p) return;
  for (size_t i = 0; i < p->n; i++) change_free(&p->changes[i]);
  free(p->changes);
  for (size_t i = 0; i < p->nout; i++) {
    free(p->outputs[i].name);
    val_free(p->outputs[i].before);
    val_free(p->outputs[i].after);
  }
  free(p->outputs);
  for (size_t i = 0; i < p->ndrift; i++) drift_free(&p->drift[i]);
  free(p->drift);
  for (size_t i = 0; i < p->nrelevant; i++) {
    free(p->relevant[i].addr);
    free(p->relevant[i].attr);
  }
  free(p->relevant);
  free(p->prior_lineage);
  cJSON_Delete(p->variables);
  free(p->timestamp);
  free(p);
}
