/*
** providers/aws/res.c — plan, apply, read and import for every AWS resource,
** around each resource's create/read/update/delete callbacks (AwsRes).
**
** What the real provider does the same way for all its resources lives
** here: defaults, tags_all (default_tags merged with tags), JSON policy
** arguments compared semantically, computed values unknown on create and
** on replacement, generated names chosen at apply, read after create and
** update, not-found as "gone".
*/
#include "providers/aws/aws_int.h"

#include "base/util.h"

#include <stdlib.h>
#include <string.h>

static bool attr_null(const Value *obj, const char *name) {
  if (!obj || val_is_null(obj) || !val_is_known(obj)) return true;
  Value *v = val_attr(obj, name);
  bool r = !v || val_is_null(v);
  val_free(v);
  return r;
}

/* The configured value of a string attribute, when known (view into obj). */
static const char *attr_str(const Value *obj, const char *name) {
  if (!obj || val_is_null(obj) || !val_is_known(obj)) return NULL;
  Value *v = val_attr(obj, name);
  const char *s = v && val_is_known(v) && !val_is_null(v) && val_kind(v) == TY_STRING ? val_str(v) : NULL;
  val_free(v);
  return s;
}

/* tags_all as the plan shows it: default_tags merged with tags, unknown
** while tags is. */
static Value *plan_tags_all(ProvCtx *p, const Value *planned) {
  const Type *mt = type_map(T_STRING);
  Value *tags = val_attr(planned, "tags");
  if (tags && !val_is_wholly_known(tags)) {
    val_free(tags);
    return val_unknown(mt);
  }
  cJSON *m = cJSON_Duplicate(p->default_tags, 1);
  if (tags && !val_is_null(tags)) {
    ValIter it = val_iter(tags);
    while (val_iter_next(&it))
      if (!val_is_null(it.elem)) js_set(m, it.key, cJSON_CreateString(val_str(it.elem)));
  }
  val_free(tags);
  char *err = NULL;
  Value *r = val_from_json(m, mt, &err);
  free(err);
  cJSON_Delete(m);
  return r ? r : val_unknown(mt);
}

static bool zero_val(const Value *v) {
  if (!v || val_is_null(v) || !val_is_known(v)) return false;
  switch (val_kind(v)) {
    case TY_STRING: return val_str_len(v) == 0;
    case TY_BOOL: return !val_get_bool(v);
    case TY_NUMBER: return val_get_double(v) == 0;
    case TY_LIST:
    case TY_SET:
    case TY_MAP: return val_len(v) == 0;
    default: return false;
  }
}

/* The SDK's zero-value rule in plan: an optional argument the
** configuration leaves out, whose prior value is the zero value ("", false,
** 0, empty), plans as that prior value, not as a change to null (an
** imported policy's cooldowns read back as 0). Blocks match by position. */
static Value *keep_zero(const Schema *s, const Value *prior, const Value *config, const Value *planned) {
  if (!prior || val_is_null(prior) || !val_is_known(prior) || !planned || val_is_null(planned) ||
      !val_is_known(planned))
    return planned ? val_ref(planned) : NULL;
  Value *out = val_ref(planned);
  for (size_t i = 0; i < s->nattrs; i++) {
    const SchemaAttr *a = &s->attrs[i];
    if (a->flags & SA_COMPUTED) continue;
    Value *pv = val_attr(prior, a->name), *nv = val_attr(out, a->name);
    if (attr_null(config, a->name) && nv && val_is_null(nv) && zero_val(pv)) {
      Value *old = out;
      out = aws_val_set(old, a->name, val_ref(pv));
      val_free(old);
    }
    val_free(pv);
    val_free(nv);
  }
  for (size_t i = 0; i < s->nblocks; i++) {
    const SchemaBlock *b = &s->blocks[i];
    if (b->nesting != NEST_LIST) continue;
    Value *pv = val_attr(prior, b->name), *nv = val_attr(out, b->name);
    Value *cv = config && !val_is_null(config) && val_is_known(config) ? val_attr(config, b->name) : NULL;
    if (pv && nv && !val_is_null(pv) && !val_is_null(nv) && val_is_known(pv) && val_is_known(nv) && cv &&
        !val_is_null(cv) && val_is_known(cv) && val_len(nv) == val_len(cv)) {
      size_t n = val_len(nv);
      Value **el = xmalloc((n ? n : 1) * sizeof *el);
      for (size_t k = 0; k < n; k++) {
        const Value *pe = k < val_len(pv) ? val_elems(pv)[k] : NULL;
        el[k] = keep_zero(b->schema, pe, val_elems(cv)[k], val_elems(nv)[k]);
      }
      Value *list = val_list(schema_type(b->schema), el, n);
      for (size_t k = 0; k < n; k++) val_free(el[k]);
      free(el);
      Value *old = out;
      out = aws_val_set(old, b->name, list);
      val_free(old);
    }
    val_free(pv);
    val_free(nv);
    val_free(cv);
  }
  return out;
}

Value *aws_res_plan(const AwsRes *r, ProvCtx *p, const Value *prior, const Value *config, const Value *proposed,
                    PathSet *rr, ProvDiags *out) {
  if (!proposed || val_is_null(proposed)) return val_null(schema_type(r->schema));
  if (prior && val_is_null(prior)) prior = NULL;
  Value *planned = schema_apply_defaults(r->schema, proposed);
  /* equivalent JSON keeps the prior text: no diff */
  for (const char *const *j = r->json_attrs; j && *j; j++) {
    const char *a = attr_str(prior, *j), *b = attr_str(planned, *j);
    if (a && b && strcmp(a, b) != 0 && aws_policy_equivalent(a, b)) {
      Value *old = planned;
      planned = aws_val_set(old, *j, val_cstring(a));
      val_free(old);
    }
  }
  if (r->has_tags) {
    Value *old = planned;
    planned = aws_val_set(old, "tags_all", plan_tags_all(p, old));
    val_free(old);
  }
  if (prior) {
    Value *old = planned;
    planned = keep_zero(r->schema, prior, config, old);
    val_free(old);
  }
  if (r->plan_hook) r->plan_hook(p, prior, config, &planned, out);
  if (prior) {
    schema_requires_replace(r->schema, prior, planned, rr);
    if (rr->n) {
      /* planned as a create: what the provider computes, or generated
      ** names the configuration leaves out, are chosen anew */
      for (size_t i = 0; i < r->schema->nattrs; i++) {
        const SchemaAttr *a = &r->schema->attrs[i];
        if (!(a->flags & SA_COMPUTED) || strcmp(a->name, "tags_all") == 0) continue;
        if (!attr_null(config, a->name)) continue;
        Value *old = planned;
        Value *t = val_attr(old, a->name);
        const Type *ty = val_type(t);
        val_free(t);
        planned = aws_val_set(old, a->name, val_unknown(ty));
        val_free(old);
      }
    }
  }
  /* after replacement, which would make it unknown: the region is known */
  if (r->regional && !attr_str(planned, "region")) {
    Value *old = planned;
    planned = aws_val_set(old, "region", val_cstring(p->region));
    val_free(old);
  }
  return planned;
}

/* The resource's own checks; the declarative ones are schema_validate's,
** which the core runs itself. */
void aws_res_validate(const AwsRes *r, const Value *config, ProvDiags *out) {
  if (r->validate) r->validate(config, out);
}

static bool zero_value(const cJSON *v) {
  return (cJSON_IsString(v) && !v->valuestring[0]) || cJSON_IsFalse(v) || (cJSON_IsNumber(v) && v->valuedouble == 0) ||
         (cJSON_IsArray(v) && cJSON_GetArraySize(v) == 0) || (cJSON_IsObject(v) && cJSON_GetArraySize(v) == 0);
}

/* The real provider's SDK does not tell an unset optional argument from its
** zero value ("", false, 0, empty): an API that echoes 0 for a cooldown the
** configuration left out is no change. So where the state had null and
** the API now says the zero value, null is kept. Blocks are matched by
** position. */
static void keep_null(const Schema *s, const cJSON *before, cJSON *st) {
  for (size_t i = 0; i < s->nattrs; i++) {
    const SchemaAttr *a = &s->attrs[i];
    if (a->flags & SA_COMPUTED) continue;
    const cJSON *b = js_get(before, a->name);
    const cJSON *n = js_get(st, a->name);
    if ((!b || cJSON_IsNull(b)) && n && zero_value(n)) js_set(st, a->name, cJSON_CreateNull());
  }
  for (size_t i = 0; i < s->nblocks; i++) {
    const cJSON *b = js_get(before, s->blocks[i].name);
    cJSON *n = js_get(st, s->blocks[i].name);
    if (!cJSON_IsArray(b) || !cJSON_IsArray(n) || s->blocks[i].nesting == NEST_SET) continue;
    int k = 0;
    cJSON *e;
    cJSON_ArrayForEach(e, n) {
      const cJSON *be = cJSON_GetArrayItem(b, k++);
      if (be) keep_null(s->blocks[i].schema, be, e);
    }
  }
}

/* Reads into st (a copy of the known state): the result, or NULL when the
** object is gone (*gone) or reading failed (diagnostics). Consumes st. */
static Value *read_json(const AwsRes *r, ProvCtx *p, cJSON *st, bool *gone, ProvDiags *out) {
  *gone = false;
  cJSON *before = cJSON_Duplicate(st, 1);
  int rc = r->read(p, st, out);
  if (rc == AWS_FOUND && r->regional && !js_str(st, "region")) js_set_str(st, "region", p->region);
  if (rc != AWS_FOUND) {
    *gone = rc == AWS_GONE;
    cJSON_Delete(st);
    cJSON_Delete(before);
    return NULL;
  }
  for (const char *const *j = r->json_attrs; j && *j; j++) {
    const char *a = js_str(before, *j), *b = js_str(st, *j);
    if (a && b && strcmp(a, b) != 0 && aws_policy_equivalent(a, b)) js_set_str(st, *j, a);
  }
  keep_null(r->schema, before, st);
  cJSON_Delete(before);
  Value *v = aws_json_val(r->schema, st, out);
  cJSON_Delete(st);
  return v;
}

Value *aws_res_apply(const AwsRes *r, ProvCtx *p, const Value *prior, const Value *planned, ProvDiags *out) {
  if (prior && val_is_null(prior)) prior = NULL;
  if (planned && val_is_null(planned)) planned = NULL;
  if (!planned) {
    if (!prior) return NULL;
    cJSON *pj = aws_val_json(prior);
    int rc = r->del(p, pj, out);
    cJSON_Delete(pj);
    return rc == 0 ? NULL : val_ref(prior);
  }
  cJSON *plan = aws_val_json(planned);
  if (r->regional && js_str(plan, "region") && strcmp(js_str(plan, "region"), p->region) != 0) {
    /* one provider instance talks to one region's endpoints */
    prov_diag(out, DIAG_ERROR, "region", "Unsupported region",
              "tfc manages %s in the provider's region (%s) only; configure a provider with region = \"%s\" "
              "and select it with the provider meta-argument.",
              r->type, p->region, js_str(plan, "region"));
    cJSON_Delete(plan);
    return prior ? val_ref(prior) : NULL;
  }
  if (!prior) {
    if (r->generated_name && !js_str(plan, "name")) {
      char *n = aws_unique_name(p, js_str(plan, "name_prefix"));
      js_set_str(plan, "name", n);
      free(n);
    }
    if (r->create(p, plan, out) != 0) {
      /* created but not healthy (an endpoint that went Failed): the object
      ** exists, so its state is returned with the error and the core
      ** taints it, as Terraform does */
      Value *v = NULL;
      if (js_str(plan, "id")) {
        ProvDiags ignore = {0};
        bool gone;
        v = read_json(r, p, plan, &gone, &ignore);
        prov_diags_free(&ignore);
      } else {
        cJSON_Delete(plan);
      }
      return v;
    }
  } else {
    cJSON *pj = aws_val_json(prior);
    int rc = r->update(p, pj, plan, out);
    cJSON_Delete(pj);
    if (rc != 0) {
      /* the object exists but is not as planned: the real provider reads
      ** it back so the state says what it is now */
      cJSON_Delete(plan);
      ProvDiags ignore = {0};
      Value *now = aws_res_read(r, p, prior, &ignore);
      prov_diags_free(&ignore);
      return now ? now : val_ref(prior);
    }
  }
  /* a new object may not be visible yet (IAM, Application Auto Scaling are
  ** eventually consistent): the real provider retries "not found" on the
  ** read after create for up to 2 minutes */
  bool gone;
  Value *v = NULL;
  for (int waited = 0;; waited += 5) {
    v = read_json(r, p, cJSON_Duplicate(plan, 1), &gone, out);
    if (v || !gone || prior || waited >= 120) break;
    aws_sleep(p, 5);
  }
  cJSON_Delete(plan);
  if (!v && gone)
    prov_diag(out, DIAG_ERROR, NULL, "Provider produced inconsistent result after apply",
              "%s was created or updated, but reading it back found nothing.", r->type);
  return v;
}

Value *aws_res_read(const AwsRes *r, ProvCtx *p, const Value *state, ProvDiags *out) {
  if (!state || val_is_null(state)) return NULL;
  bool gone;
  Value *v = read_json(r, p, aws_val_json(state), &gone, out);
  /* read failed (not gone): keep the state as it was, with the error */
  if (!v && !gone) return val_ref(state);
  return v;
}

Value *aws_res_import(const AwsRes *r, ProvCtx *p, const char *id, ProvDiags *out) {
  cJSON *st = cJSON_CreateObject();
  if (r->import_id(p, id, st, out) != 0) {
    cJSON_Delete(st);
    return NULL;
  }
  /* arguments the API does not return start at their defaults */
  for (size_t i = 0; i < r->schema->nattrs; i++) {
    const SchemaAttr *a = &r->schema->attrs[i];
    if (a->default_json && !js_get(st, a->name)) js_set(st, a->name, cJSON_Parse(a->default_json));
  }
  bool gone;
  Value *v = read_json(r, p, st, &gone, out);
  if (!v && gone)
    prov_diag(out, DIAG_ERROR, NULL, "Cannot import non-existent remote object",
              "While attempting to import an existing object to \"%s\", the provider detected that no object exists "
              "with the given id. Only pre-existing objects can be imported; check that the id is correct and that it "
              "is associated with the provider's configured region or endpoint, or use \"terraform apply\" to create "
              "a new remote object for this resource.",
              r->type);
  return v;
}
