/*
** eval/vjson.c — values to and from JSON (state and plan files), following
** go-cty's json package.
**
** Numbers are written as raw JSON text (their exact decimal form) rather
** than through cJSON's double formatting. cJSON parses numbers into doubles,
** so on reading the shortest decimal that gives the same double is parsed
** again at full precision: "0.1" reads back as the 512-bit 0.1, as in cty.
*/
#include "eval/value_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

cJSON *val_to_json(const Value *v) {
  if (v->flags & VF_UNKNOWN) return NULL;
  if (v->flags & VF_NULL) return cJSON_CreateNull();
  switch (v->type->kind) {
    case TY_STRING: return cJSON_CreateString(v->u.str.s);
    case TY_BOOL: return cJSON_CreateBool(v->u.b);
    case TY_NUMBER: {
      if (!(v->flags & VF_INT) && !mpfr_number_p(v->u.m)) return NULL;
      char *t = val_number_text(v);
      cJSON *j = cJSON_CreateRaw(t);
      free(t);
      return j;
    }
    case TY_LIST:
    case TY_SET:
    case TY_TUPLE: {
      cJSON *a = cJSON_CreateArray();
      for (size_t i = 0; i < v->u.coll.n; i++) {
        cJSON *e = val_to_json(v->u.coll.el[i]);
        if (!e) {
          cJSON_Delete(a);
          return NULL;
        }
        cJSON_AddItemToArray(a, e);
      }
      return a;
    }
    case TY_MAP:
    case TY_OBJECT: {
      cJSON *o = cJSON_CreateObject();
      for (size_t i = 0; i < v->u.coll.n; i++) {
        cJSON *e = val_to_json(v->u.coll.el[i]);
        if (!e) {
          cJSON_Delete(o);
          return NULL;
        }
        cJSON_AddItemToObject(o, v->u.coll.keys[i], e);
      }
      return o;
    }
    default: return cJSON_CreateNull();
  }
}

static Value *json_number(double d) {
  if (d == floor(d) && fabs(d) < 9.2e18) return val_num_int((int64_t)d, VAL_PREC);
  char buf[40];
  for (int p = 1; p <= 17; p++) {
    snprintf(buf, sizeof buf, "%.*g", p, d);
    if (strtod(buf, NULL) == d) break;
  }
  return val_number_parse(buf, strlen(buf));
}

static Value *fail(char **err, char *msg) {
  if (err) *err = msg;
  else free(msg);
  return NULL;
}

static Value *implied(const cJSON *j, char **err) {
  if (cJSON_IsNull(j)) return val_null(T_DYNAMIC);
  if (cJSON_IsBool(j)) return val_bool(cJSON_IsTrue(j));
  if ((cJSON_IsNumber(j) || cJSON_IsRaw(j)) && j->valuestring) {
    Value *r = val_number_parse(j->valuestring, strlen(j->valuestring));
    if (r) return r;
  }
  if (cJSON_IsNumber(j)) return json_number(j->valuedouble);
  if (cJSON_IsString(j)) return val_cstring(j->valuestring);
  size_t n = (size_t)cJSON_GetArraySize(j), i = 0;
  Value **el = xmalloc((n ? n : 1) * sizeof *el);
  const char **names = xmalloc((n ? n : 1) * sizeof *names);
  const cJSON *c;
  cJSON_ArrayForEach(c, j) {
    names[i] = c->string;
    if (!(el[i] = implied(c, err))) {
      for (size_t k = 0; k < i; k++) val_free(el[k]);
      free(el);
      free(names);
      return NULL;
    }
    i++;
  }
  Value *r;
  if (cJSON_IsArray(j)) {
    r = val_tuple(el, n);
  } else {
    /* a repeated key keeps the last value */
    size_t m = 0;
    for (size_t a = 0; a < n; a++) {
      bool later = false;
      for (size_t b = a + 1; b < n; b++)
        if (!strcmp(names[a], names[b])) later = true;
      if (later) {
        val_free(el[a]);
        continue;
      }
      names[m] = names[a];
      el[m++] = el[a];
    }
    n = m;
    r = val_object(names, el, n);
  }
  for (size_t k = 0; k < n; k++) val_free(el[k]);
  free(el);
  free(names);
  return r;
}

Value *val_from_json(const cJSON *j, const Type *t, char **err) {
  if (err) *err = NULL;
  if (t == T_DYNAMIC) return implied(j, err);
  if (cJSON_IsNull(j)) return val_null(t);
  switch (t->kind) {
    case TY_STRING:
      if (cJSON_IsString(j)) return val_cstring(j->valuestring);
      if (cJSON_IsBool(j)) return val_cstring(cJSON_IsTrue(j) ? "true" : "false");
      if (cJSON_IsNumber(j)) {
        Value *n = json_number(j->valuedouble);
        char *s = val_number_text(n);
        val_free(n);
        Value *r = val_cstring(s);
        free(s);
        return r;
      }
      return fail(err, xstrdup("string is required"));
    case TY_NUMBER:
      /* exact text when the parser kept it (state files) or the node is raw
      ** number text (val_to_json's own output) */
      if ((cJSON_IsNumber(j) || cJSON_IsRaw(j)) && j->valuestring) {
        Value *r = val_number_parse(j->valuestring, strlen(j->valuestring));
        if (r) return r;
      }
      if (cJSON_IsNumber(j)) return json_number(j->valuedouble);
      if (cJSON_IsString(j)) {
        Value *r = val_number_parse(j->valuestring, strlen(j->valuestring));
        if (r) return r;
      }
      return fail(err, xstrdup("number is required"));
    case TY_BOOL:
      if (cJSON_IsBool(j)) return val_bool(cJSON_IsTrue(j));
      if (cJSON_IsString(j) && !strcmp(j->valuestring, "true")) return val_bool(true);
      if (cJSON_IsString(j) && !strcmp(j->valuestring, "false")) return val_bool(false);
      return fail(err, xstrdup("bool is required"));
    case TY_LIST:
    case TY_SET:
    case TY_TUPLE: {
      if (!cJSON_IsArray(j)) return fail(err, xstrdup("array is required"));
      size_t n = (size_t)cJSON_GetArraySize(j), i = 0;
      if (t->kind == TY_TUPLE && n != t->n) return fail(err, xasprintf("tuple of %zu elements is required", t->n));
      Value **el = xmalloc((n ? n : 1) * sizeof *el);
      const cJSON *c;
      cJSON_ArrayForEach(c, j) {
        const Type *et = t->kind == TY_TUPLE ? t->elems[i] : t->elem;
        if (!(el[i] = val_from_json(c, et, err))) {
          for (size_t k = 0; k < i; k++) val_free(el[k]);
          free(el);
          return NULL;
        }
        i++;
      }
      Value *r = t->kind == TY_LIST ? val_list(t->elem, el, n)
                 : t->kind == TY_SET ? val_set(t->elem, el, n)
                                     : val_tuple(el, n);
      for (size_t k = 0; k < n; k++) val_free(el[k]);
      free(el);
      return r;
    }
    case TY_MAP: {
      if (!cJSON_IsObject(j)) return fail(err, xstrdup("object is required"));
      size_t n = (size_t)cJSON_GetArraySize(j), i = 0;
      Value **el = xmalloc((n ? n : 1) * sizeof *el);
      const char **keys = xmalloc((n ? n : 1) * sizeof *keys);
      const cJSON *c;
      cJSON_ArrayForEach(c, j) {
        keys[i] = c->string;
        if (!(el[i] = val_from_json(c, t->elem, err))) {
          for (size_t k = 0; k < i; k++) val_free(el[k]);
          free(el);
          free(keys);
          return NULL;
        }
        i++;
      }
      Value *r = val_map(t->elem, keys, el, n);
      for (size_t k = 0; k < n; k++) val_free(el[k]);
      free(el);
      free(keys);
      return r;
    }
    case TY_OBJECT: {
      if (!cJSON_IsObject(j)) return fail(err, xstrdup("object is required"));
      /* one pass over the members (a lookup per attribute would scan the
      ** member list each time); the first of duplicate members counts */
      Value **el = xcalloc(t->n + 1, sizeof *el);
      const cJSON *c;
      cJSON_ArrayForEach(c, j) {
        long i = type_attr_index(t, c->string);
        if (i < 0 || (!el[i] && !(el[i] = val_from_json(c, t->elems[i], err)))) {
          for (size_t k = 0; k < t->n; k++) val_free(el[k]);
          free(el);
          return i < 0 ? fail(err, xasprintf("unsupported attribute \"%s\"", c->string)) : NULL;
        }
      }
      for (size_t i = 0; i < t->n; i++)
        if (!el[i]) el[i] = val_null(t->elems[i]);
      Value *r = val_object(t->names, el, t->n);
      for (size_t k = 0; k < t->n; k++) val_free(el[k]);
      free(el);
      return r;
    }
    default: return fail(err, xstrdup("unsupported type"));
  }
}

/* ------------------------------------------------------------ plan JSON */

cJSON *val_to_json_known(const Value *v) {
  if (v->flags & VF_NULL) return cJSON_CreateNull();
  if (v->flags & VF_UNKNOWN) return cJSON_CreateNull();
  switch (v->type->kind) {
    case TY_LIST:
    case TY_SET:
    case TY_TUPLE: {
      cJSON *a = cJSON_CreateArray();
      for (size_t i = 0; i < v->u.coll.n; i++) cJSON_AddItemToArray(a, val_to_json_known(v->u.coll.el[i]));
      return a;
    }
    case TY_MAP:
    case TY_OBJECT: {
      cJSON *o = cJSON_CreateObject();
      for (size_t i = 0; i < v->u.coll.n; i++) {
        const Value *e = v->u.coll.el[i];
        if (e->flags & VF_UNKNOWN) continue;
        cJSON_AddItemToObject(o, v->u.coll.keys[i], val_to_json_known(e));
      }
      return o;
    }
    default: {
      cJSON *j = val_to_json(v);
      return j ? j : cJSON_CreateNull();
    }
  }
}

cJSON *val_unknown_json(const Value *v) {
  if (v->flags & VF_NULL) return cJSON_CreateFalse();
  if (v->flags & VF_UNKNOWN) return cJSON_CreateTrue();
  switch (v->type->kind) {
    case TY_LIST:
    case TY_SET:
    case TY_TUPLE: {
      if (v->u.coll.n == 0) return cJSON_CreateObject();
      cJSON *a = cJSON_CreateArray();
      for (size_t i = 0; i < v->u.coll.n; i++) cJSON_AddItemToArray(a, val_unknown_json(v->u.coll.el[i]));
      return a;
    }
    case TY_MAP:
    case TY_OBJECT: {
      cJSON *o = cJSON_CreateObject();
      for (size_t i = 0; i < v->u.coll.n; i++) {
        cJSON *e = val_unknown_json(v->u.coll.el[i]);
        if (cJSON_IsFalse(e)) cJSON_Delete(e);
        else cJSON_AddItemToObject(o, v->u.coll.keys[i], e);
      }
      return o;
    }
    default: return cJSON_CreateFalse();
  }
}

cJSON *val_sensitive_json(const Value *v) {
  if (v->flags & VF_SENS) return cJSON_CreateTrue();
  if ((v->flags & VF_NULL) || type_is_primitive(v->type) || v->type == T_DYNAMIC) return cJSON_CreateFalse();
  bool seq = v->type->kind == TY_LIST || v->type->kind == TY_SET || v->type->kind == TY_TUPLE;
  if ((v->flags & VF_UNKNOWN) || v->u.coll.n == 0) return seq ? cJSON_CreateArray() : cJSON_CreateObject();
  if (seq) {
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < v->u.coll.n; i++) cJSON_AddItemToArray(a, val_sensitive_json(v->u.coll.el[i]));
    return a;
  }
  cJSON *o = cJSON_CreateObject();
  for (size_t i = 0; i < v->u.coll.n; i++) {
    cJSON *e = val_sensitive_json(v->u.coll.el[i]);
    if (cJSON_IsFalse(e)) cJSON_Delete(e);
    else cJSON_AddItemToObject(o, v->u.coll.keys[i], e);
  }
  return o;
}
