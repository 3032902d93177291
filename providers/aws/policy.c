/*
** providers/aws/policy.c — IAM policy JSON: the aws_iam_policy_document
** data source (rendered byte for byte as the real provider's Go code
** marshals it), and the semantic equivalence used to suppress diffs of
** JSON policy arguments.
**
** The real provider builds a document struct and calls Go's
** json.MarshalIndent(doc, "", "  "): fields in struct order, empty ones
** omitted, HTML characters escaped (\u003c \u003e \u0026), map keys
** sorted. Lists of actions, resources and principal identifiers with more
** than one element are sorted in reverse; a single element is written as a
** plain string.
*/
#include "providers/aws/aws_int.h"

#include "base/buf.h"
#include "base/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* ------------------------------------------------------- Go JSON output */

static void go_string(Buf *b, const char *s) {
  buf_putc(b, '"');
  for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
    switch (*c) {
      case '"': buf_puts(b, "\\\""); break;
      case '\\': buf_puts(b, "\\\\"); break;
      case '\n': buf_puts(b, "\\n"); break;
      case '\r': buf_puts(b, "\\r"); break;
      case '\t': buf_puts(b, "\\t"); break;
      case '<': buf_puts(b, "\\u003c"); break;
      case '>': buf_puts(b, "\\u003e"); break;
      case '&': buf_puts(b, "\\u0026"); break;
      default:
        if (*c < 0x20) buf_printf(b, "\\u%04x", *c);
        else if (c[0] == 0xE2 && c[1] == 0x80 && (c[2] == 0xA8 || c[2] == 0xA9)) {
          buf_printf(b, "\\u202%c", c[2] == 0xA8 ? '8' : '9');
          c += 2;
        } else buf_putc(b, (char)*c);
    }
  }
  buf_putc(b, '"');
}

/* Writes j as Go's encoding/json would; indent NULL: compact. */
static void go_json(Buf *b, const cJSON *j, const char *indent, int depth) {
  if (cJSON_IsString(j)) {
    go_string(b, j->valuestring);
  } else if (cJSON_IsNumber(j)) {
    double d = j->valuedouble;
    if (d == floor(d) && fabs(d) < 1e21) buf_printf(b, "%.0f", d);
    else buf_printf(b, "%.17g", d);
  } else if (cJSON_IsBool(j)) {
    buf_puts(b, cJSON_IsTrue(j) ? "true" : "false");
  } else if (cJSON_IsArray(j) || cJSON_IsObject(j)) {
    bool obj = cJSON_IsObject(j);
    buf_putc(b, obj ? '{' : '[');
    const cJSON *c;
    bool first = true;
    cJSON_ArrayForEach(c, j) {
      if (!first) buf_putc(b, ',');
      first = false;
      if (indent) {
        buf_putc(b, '\n');
        for (int i = 0; i <= depth; i++) buf_puts(b, indent);
      }
      if (obj) {
        go_string(b, c->string);
        buf_puts(b, indent ? ": " : ":");
      }
      go_json(b, c, indent, depth + 1);
    }
    if (!first && indent) {
      buf_putc(b, '\n');
      for (int i = 0; i < depth; i++) buf_puts(b, indent);
    }
    buf_putc(b, obj ? '}' : ']');
  } else {
    buf_puts(b, "null");
  }
}

/* ------------------------------------------------------------ building */

static int rev_cmp(const void *a, const void *b) { return -strcmp(*(const char *const *)a, *(const char *const *)b); }

/* "&{" is the provider's escape for IAM's "${" policy variables. */
static char *unescape_vars(const char *s) {
  Buf b = BUF_INIT;
  for (const char *c = s; *c; c++) {
    if (c[0] == '&' && c[1] == '{') {
      buf_puts(&b, "${");
      c++;
    } else buf_putc(&b, *c);
  }
  return buf_take(&b);
}

/* A list of strings as the provider writes it: one element as a string,
** more sorted in reverse. NULL when empty. */
static cJSON *string_list(const cJSON *arr, bool sort) {
  int n = cJSON_GetArraySize(arr);
  if (n == 0) return NULL;
  char **v = xmalloc((size_t)n * sizeof *v);
  int i = 0;
  const cJSON *e;
  cJSON_ArrayForEach(e, arr) v[i++] = unescape_vars(cJSON_IsString(e) ? e->valuestring : "");
  if (sort) qsort(v, (size_t)n, sizeof *v, rev_cmp);
  cJSON *r;
  if (n == 1) r = cJSON_CreateString(v[0]);
  else {
    r = cJSON_CreateArray();
    for (i = 0; i < n; i++) cJSON_AddItemToArray(r, cJSON_CreateString(v[i]));
  }
  for (i = 0; i < n; i++) free(v[i]);
  free(v);
  return r;
}

/* Adds object members with sorted keys (Go marshals maps sorted). */
static cJSON *sorted_object(cJSON *o) {
  int n = cJSON_GetArraySize(o);
  if (n < 2) return o;
  cJSON **items = xmalloc((size_t)n * sizeof *items);
  int i = 0;
  while (o->child) items[i++] = cJSON_DetachItemViaPointer(o, o->child);
  for (int a = 1; a < n; a++)
    for (int k = a; k > 0 && strcmp(items[k - 1]->string, items[k]->string) > 0; k--) {
      cJSON *t = items[k];
      items[k] = items[k - 1];
      items[k - 1] = t;
    }
  for (i = 0; i < n; i++) cJSON_AddItemToObject(o, items[i]->string, items[i]);
  free(items);
  return o;
}

/* Principal blocks [{type, identifiers}] -> the Principal element. */
static cJSON *principals_json(const cJSON *blocks) {
  int n = cJSON_GetArraySize(blocks);
  if (n == 0) return NULL;
  if (n == 1) {
    const cJSON *b = cJSON_GetArrayItem(blocks, 0);
    const cJSON *ids = js_get(b, "identifiers");
    if (js_str(b, "type") && strcmp(js_str(b, "type"), "*") == 0 && cJSON_GetArraySize(ids) == 1 &&
        cJSON_IsString(cJSON_GetArrayItem(ids, 0)) && strcmp(cJSON_GetArrayItem(ids, 0)->valuestring, "*") == 0)
      return cJSON_CreateString("*");
  }
  cJSON *raw = cJSON_CreateObject();
  const cJSON *b;
  cJSON_ArrayForEach(b, blocks) {
    const char *type = js_str(b, "type");
    if (!type) type = "";
    cJSON *ids = string_list(js_get(b, "identifiers"), true);
    if (!ids) continue;
    cJSON *have = js_get(raw, type);
    if (!have) {
      cJSON_AddItemToObject(raw, type, ids);
      continue;
    }
    /* the same type twice: identifiers are appended into one list */
    cJSON *list = cJSON_IsArray(have) ? cJSON_Duplicate(have, 1) : cJSON_CreateArray();
    if (cJSON_IsString(have)) cJSON_AddItemToArray(list, cJSON_Duplicate(have, 1));
    if (cJSON_IsArray(ids)) {
      const cJSON *e;
      cJSON_ArrayForEach(e, ids) cJSON_AddItemToArray(list, cJSON_Duplicate(e, 1));
    } else cJSON_AddItemToArray(list, cJSON_Duplicate(ids, 1));
    cJSON_Delete(ids);
    js_set(raw, type, list);
  }
  return sorted_object(raw);
}

/* Condition blocks [{test, variable, values}] -> the Condition element. */
static cJSON *conditions_json(const cJSON *blocks) {
  if (cJSON_GetArraySize(blocks) == 0) return NULL;
  cJSON *raw = cJSON_CreateObject();
  const cJSON *b;
  cJSON_ArrayForEach(b, blocks) {
    const char *test = js_str(b, "test"), *var = js_str(b, "variable");
    if (!test || !var) continue;
    cJSON *t = js_get(raw, test);
    if (!t) {
      t = cJSON_CreateObject();
      cJSON_AddItemToObject(raw, test, t);
    }
    /* values keep their order: order matters in conditions */
    cJSON *vals = string_list(js_get(b, "values"), false);
    if (!vals) vals = cJSON_CreateArray();
    cJSON *have = js_get(t, var);
    if (have && cJSON_IsArray(have) && cJSON_IsArray(vals)) {
      const cJSON *e;
      cJSON_ArrayForEach(e, vals) cJSON_AddItemToArray(have, cJSON_Duplicate(e, 1));
      cJSON_Delete(vals);
    } else js_set(t, var, vals);
  }
  cJSON *c;
  cJSON_ArrayForEach(c, raw) sorted_object(c);
  return sorted_object(raw);
}

static void add_if(cJSON *o, const char *key, cJSON *v) {
  if (v) cJSON_AddItemToObject(o, key, v);
}

/* A statement from the data source's configuration. */
static cJSON *config_statement(const cJSON *s) {
  cJSON *o = cJSON_CreateObject();
  if (js_str(s, "sid")) cJSON_AddStringToObject(o, "Sid", js_str(s, "sid"));
  cJSON_AddStringToObject(o, "Effect", js_str(s, "effect") ? js_str(s, "effect") : "Allow");
  add_if(o, "Action", string_list(js_get(s, "actions"), true));
  add_if(o, "NotAction", string_list(js_get(s, "not_actions"), true));
  add_if(o, "Resource", string_list(js_get(s, "resources"), true));
  add_if(o, "NotResource", string_list(js_get(s, "not_resources"), true));
  add_if(o, "Principal", principals_json(js_get(s, "principals")));
  add_if(o, "NotPrincipal", principals_json(js_get(s, "not_principals")));
  add_if(o, "Condition", conditions_json(js_get(s, "condition")));
  return o;
}

/* A statement of a source/override document, re-marshalled in the
** provider's field order (its own values kept as written). */
static cJSON *doc_statement(const cJSON *s) {
  static const char *const order[] = {"Sid", "Effect", "Action", "NotAction", "Resource",
                                      "NotResource", "Principal", "NotPrincipal", "Condition"};
  cJSON *o = cJSON_CreateObject();
  for (size_t i = 0; i < NELEM(order); i++) {
    const cJSON *v = js_get(s, order[i]);
    if (!v || cJSON_IsNull(v) || (cJSON_IsString(v) && !v->valuestring[0])) continue;
    cJSON *d = cJSON_Duplicate(v, 1);
    if (cJSON_IsObject(d)) {
      sorted_object(d);
      cJSON *c;
      cJSON_ArrayForEach(c, d) if (cJSON_IsObject(c)) sorted_object(c);
    }
    cJSON_AddItemToObject(o, order[i], d);
  }
  return o;
}

/* Adds stmt to the list: a statement with the Sid of an existing one
** replaces it, others are appended (the provider's Merge). Consumes stmt. */
static void merge_statement(cJSON *list, cJSON *stmt) {
  const char *sid = js_str(stmt, "Sid");
  if (sid) {
    int i = 0;
    cJSON *e;
    cJSON_ArrayForEach(e, list) {
      if (js_str(e, "Sid") && strcmp(js_str(e, "Sid"), sid) == 0) {
        cJSON_ReplaceItemInArray(list, i, stmt);
        return;
      }
      i++;
    }
  }
  cJSON_AddItemToArray(list, stmt);
}

/* Parses a source/override document's statements into list. */
static int merge_document(const char *json, const char *attr, int index, cJSON *list, char **version, char **id,
                          bool check_dups, ProvDiags *out) {
  char *path = xasprintf("%s[%d]", attr, index);
  cJSON *doc = cJSON_Parse(json);
  if (!cJSON_IsObject(doc)) {
    prov_diag(out, DIAG_ERROR, path, "Invalid policy document", "writing policy document: %s (item %d) is not valid JSON", attr, index);
    cJSON_Delete(doc);
    free(path);
    return -1;
  }
  if (js_str(doc, "Version")) {
    free(*version);
    *version = xstrdup(js_str(doc, "Version"));
  }
  if (js_str(doc, "Id")) {
    free(*id);
    *id = xstrdup(js_str(doc, "Id"));
  }
  cJSON *stmts = js_get(doc, "Statement");
  cJSON *one = cJSON_IsObject(stmts) ? stmts : NULL;
  int si = 0;
  const cJSON *s;
  cJSON *arr = one ? NULL : stmts;
  for (s = one ? one : (cJSON_IsArray(arr) ? arr->child : NULL); s; s = one ? NULL : s->next, si++) {
    const char *sid = js_str(s, "Sid");
    if (check_dups && sid) {
      const cJSON *e;
      cJSON_ArrayForEach(e, list) if (js_str(e, "Sid") && strcmp(js_str(e, "Sid"), sid) == 0) {
        prov_diag(out, DIAG_ERROR, path, "Invalid policy document",
                  "duplicate Sid (%s) in %s (item %d; statement %d). Remove the Sid or ensure Sids are unique.", sid, attr,
                  index, si);
        cJSON_Delete(doc);
        free(path);
        return -1;
      }
    }
    merge_statement(list, doc_statement(s));
  }
  cJSON_Delete(doc);
  free(path);
  return 0;
}

/* Builds the document from the data source's configuration (tf JSON). */
static cJSON *build_document(const cJSON *cfg, ProvDiags *out) {
  char *version = xstrdup(js_str(cfg, "version") ? js_str(cfg, "version") : "2012-10-17");
  char *id = js_str(cfg, "policy_id") ? xstrdup(js_str(cfg, "policy_id")) : NULL;
  cJSON *list = cJSON_CreateArray();
  int i = 0;
  const cJSON *e;
  cJSON_ArrayForEach(e, js_get(cfg, "source_policy_documents")) {
    if (cJSON_IsString(e) && e->valuestring[0] &&
        merge_document(e->valuestring, "source_policy_documents", i, list, &version, &id, true, out) != 0)
      goto fail;
    i++;
  }
  /* the configuration's statements: unique Sids, then merged over the
  ** sources */
  cJSON *mine = cJSON_CreateArray();
  i = 0;
  cJSON_ArrayForEach(e, js_get(cfg, "statement")) {
    const char *sid = js_str(e, "sid");
    if (sid) {
      const cJSON *m;
      cJSON_ArrayForEach(m, mine) if (js_str(m, "Sid") && strcmp(js_str(m, "Sid"), sid) == 0) {
        char *path = xasprintf("statement[%d].sid", i);
        prov_diag(out, DIAG_ERROR, path, "Invalid policy document",
                  "duplicate Sid (%s). Remove the Sid or ensure the Sid is unique.", sid);
        free(path);
        cJSON_Delete(mine);
        goto fail;
      }
    }
    cJSON_AddItemToArray(mine, config_statement(e));
    i++;
  }
  while (mine->child) merge_statement(list, cJSON_DetachItemViaPointer(mine, mine->child));
  cJSON_Delete(mine);
  i = 0;
  cJSON_ArrayForEach(e, js_get(cfg, "override_policy_documents")) {
    if (cJSON_IsString(e) && e->valuestring[0] &&
        merge_document(e->valuestring, "override_policy_documents", i, list, &version, &id, false, out) != 0)
      goto fail;
    i++;
  }
  cJSON *doc = cJSON_CreateObject();
  if (version && *version) cJSON_AddStringToObject(doc, "Version", version);
  if (id && *id) cJSON_AddStringToObject(doc, "Id", id);
  if (cJSON_GetArraySize(list) > 0) cJSON_AddItemToObject(doc, "Statement", list);
  else cJSON_Delete(list);
  free(version);
  free(id);
  return doc;
fail:
  cJSON_Delete(list);
  free(version);
  free(id);
  return NULL;
}

char *aws_policy_document_json(const Value *config, ProvDiags *out) {
  cJSON *cfg = aws_val_json(config);
  cJSON *doc = build_document(cfg, out);
  cJSON_Delete(cfg);
  if (!doc) return NULL;
  Buf b = BUF_INIT;
  go_json(&b, doc, "  ", 0);
  cJSON_Delete(doc);
  return buf_take(&b);
}

/* -------------------------------------------------------- data source */

static const char *const effects[] = {"Allow", "Deny", NULL};
static const char *const versions[] = {"2008-10-17", "2012-10-17", NULL};

static const SchemaAttr principal_attrs[] = {
    {.name = "type", .type = "string", .flags = REQ},
    {.name = "identifiers", .type = "set(string)", .flags = REQ},
};
static const Schema principal_schema = SCHEMA_ATTRS(principal_attrs);

static const SchemaAttr condition_attrs[] = {
    {.name = "test", .type = "string", .flags = REQ},
    {.name = "variable", .type = "string", .flags = REQ},
    {.name = "values", .type = "list(string)", .flags = REQ},
};
static const Schema condition_schema = SCHEMA_ATTRS(condition_attrs);

static const SchemaAttr statement_attrs[] = {
    {.name = "sid", .type = "string", .flags = OPT},
    {.name = "effect", .type = "string", .flags = OPT, .default_json = "\"Allow\"", .one_of = effects},
    {.name = "actions", .type = "set(string)", .flags = OPT},
    {.name = "not_actions", .type = "set(string)", .flags = OPT},
    {.name = "resources", .type = "set(string)", .flags = OPT},
    {.name = "not_resources", .type = "set(string)", .flags = OPT},
};
static const SchemaBlock statement_blocks[] = {
    {.name = "principals", .nesting = NEST_SET, .schema = &principal_schema},
    {.name = "not_principals", .nesting = NEST_SET, .schema = &principal_schema},
    {.name = "condition", .nesting = NEST_SET, .schema = &condition_schema},
};
static const Schema statement_schema = SCHEMA(statement_attrs, statement_blocks);

static const SchemaAttr document_attrs[] = {
    {.name = "id", .type = "string", .flags = CMP},
    {.name = "json", .type = "string", .flags = CMP},
    {.name = "minified_json", .type = "string", .flags = CMP},
    {.name = "override_policy_documents", .type = "list(string)", .flags = OPT},
    {.name = "source_policy_documents", .type = "list(string)", .flags = OPT},
    {.name = "policy_id", .type = "string", .flags = OPT},
    {.name = "version", .type = "string", .flags = OPT, .default_json = "\"2012-10-17\"", .one_of = versions},
    {.name = "source_json", .type = "string", .flags = OPT | SA_DEPRECATED, .max_len = 0,
     .description = "Deprecated: use source_policy_documents"},
};
static const SchemaBlock document_blocks[] = {
    {.name = "statement", .nesting = NEST_LIST, .schema = &statement_schema},
};
static const Schema document_schema = SCHEMA(document_attrs, document_blocks);

static Value *document_read(ProvCtx *p, const Value *config, ProvDiags *out) {
  (void)p;
  /* a document built from values known only after apply is itself unknown */
  if (config && !val_is_wholly_known(config)) return val_unknown(schema_type(&document_schema));
  Value *cfg = schema_apply_defaults(&document_schema, config);
  cJSON *cj = aws_val_json(cfg);
  if (js_str(cj, "source_json"))
    prov_diag(out, DIAG_ERROR, "source_json", "Unsupported argument",
              "source_json is no longer supported; use source_policy_documents.");
  cJSON *doc = out->nerrors ? NULL : build_document(cj, out);
  if (!doc) {
    cJSON_Delete(cj);
    val_free(cfg);
    return NULL;
  }
  Buf b = BUF_INIT, m = BUF_INIT;
  go_json(&b, doc, "  ", 0);
  go_json(&m, doc, NULL, 0);
  cJSON_Delete(doc);
  char *pretty = buf_take(&b), *mini = buf_take(&m);
  char idbuf[24];
  snprintf(idbuf, sizeof idbuf, "%lu", (unsigned long)crc32(0L, (const Bytef *)pretty, (uInt)strlen(pretty)));
  js_set_str(cj, "json", pretty);
  js_set_str(cj, "minified_json", mini);
  js_set_str(cj, "id", idbuf);
  free(pretty);
  free(mini);
  Value *v = aws_json_val(&document_schema, cj, out);
  cJSON_Delete(cj);
  val_free(cfg);
  return v;
}

const DataSourceType aws_iam_policy_document_ds = {"aws_iam_policy_document", &document_schema, document_read};

/* ---------------------------------------------------------- equivalence */

static char *canon(const cJSON *j);

/* The normal form used for comparison: objects with sorted keys, arrays of
** one element as that element, other arrays sorted (IAM treats these lists
** as sets). */
static cJSON *normalise(const cJSON *j) {
  if (cJSON_IsArray(j)) {
    int n = cJSON_GetArraySize(j);
    if (n == 1) return normalise(j->child);
    char **keys = xmalloc((size_t)(n ? n : 1) * sizeof *keys);
    cJSON **items = xmalloc((size_t)(n ? n : 1) * sizeof *items);
    int i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, j) {
      items[i] = normalise(e);
      keys[i] = canon(items[i]);
      i++;
    }
    for (int a = 1; a < n; a++)
      for (int k = a; k > 0 && strcmp(keys[k - 1], keys[k]) > 0; k--) {
        char *tk = keys[k];
        keys[k] = keys[k - 1];
        keys[k - 1] = tk;
        cJSON *ti = items[k];
        items[k] = items[k - 1];
        items[k - 1] = ti;
      }
    cJSON *r = cJSON_CreateArray();
    for (i = 0; i < n; i++) {
      cJSON_AddItemToArray(r, items[i]);
      free(keys[i]);
    }
    free(keys);
    free(items);
    return r;
  }
  if (cJSON_IsObject(j)) {
    cJSON *r = cJSON_CreateObject();
    const cJSON *e;
    cJSON_ArrayForEach(e, j) cJSON_AddItemToObject(r, e->string, normalise(e));
    return sorted_object(r);
  }
  return cJSON_Duplicate(j, 1);
}

static char *canon(const cJSON *j) {
  Buf b = BUF_INIT;
  go_json(&b, j, NULL, 0);
  return buf_take(&b);
}

bool aws_policy_equivalent(const char *a, const char *b) {
  if (strcmp(a, b) == 0) return true;
  cJSON *ja = cJSON_Parse(a), *jb = cJSON_Parse(b);
  bool eq = false;
  if (ja && jb) {
    cJSON *na = normalise(ja), *nb = normalise(jb);
    char *ca = canon(na), *cb = canon(nb);
    eq = strcmp(ca, cb) == 0;
    free(ca);
    free(cb);
    cJSON_Delete(na);
    cJSON_Delete(nb);
  }
  cJSON_Delete(ja);
  cJSON_Delete(jb);
  return eq;
}
