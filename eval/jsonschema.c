/*
** eval/jsonschema.c — how Terraform reads a .tf.json body: which properties
** are blocks (and how many labels they take), which are arguments, and
** which arguments hold expressions written as strings (depends_on, provider,
** a variable's type, lifecycle's lists, moved/import addresses).
**
** Terraform's own blocks are fixed; inside resources, data sources and
** provider blocks the compiled-in provider's schema names the nested
** blocks, as hcl decodes JSON bodies against the provider's schema.
*/
#include "eval/jsonschema.h"
#include "base/util.h"
#include "providers/provider.h"

#include <stdlib.h>
#include <string.h>

typedef enum {
  JC_TOP, JC_TERRAFORM, JC_VARIABLE, JC_OUTPUT, JC_MODULE, JC_PROVIDER, JC_RESOURCE, JC_NESTED, JC_DYNAMIC,
  JC_LIFECYCLE, JC_PROVISIONER, JC_MOVED, JC_IMPORT, JC_REMOVED, JC_CHECK, JC_PLAIN
} JKind;

typedef struct JCtx {
  JKind kind;
  const Schema *schema;   /* JC_RESOURCE, JC_NESTED, JC_DYNAMIC (the block's), JC_PROVIDER */
} JCtx;

typedef struct JUd {
  JCtx **v;
  size_t n, cap;
} JUd;

static const JCtx FIXED[] = {
  {JC_TOP, NULL},       {JC_TERRAFORM, NULL}, {JC_VARIABLE, NULL}, {JC_OUTPUT, NULL},
  {JC_MODULE, NULL},    {JC_PROVIDER, NULL},  {JC_RESOURCE, NULL}, {JC_NESTED, NULL},
  {JC_DYNAMIC, NULL},   {JC_LIFECYCLE, NULL}, {JC_PROVISIONER, NULL}, {JC_MOVED, NULL},
  {JC_IMPORT, NULL},    {JC_REMOVED, NULL},   {JC_CHECK, NULL},    {JC_PLAIN, NULL},
};

static const JCtx *ctx_of(JUd *u, JKind k, const Schema *s) {
  if (!s) return &FIXED[k];
  for (size_t i = 0; i < u->n; i++)
    if (u->v[i]->kind == k && u->v[i]->schema == s) return u->v[i];
  JCtx *c = xmalloc(sizeof *c);
  c->kind = k;
  c->schema = s;
  VEC_PUSH(u->v, u->n, u->cap, c);
  return c;
}

static bool is(const char *a, const char *b) { return strcmp(a, b) == 0; }

static HclJsonKind block(int *nl, int n) {
  *nl = n;
  return HJ_BLOCK;
}

static HclJsonKind schema_prop(const Schema *s, const char *name, int *nl) {
  if (is(name, "dynamic")) return block(nl, 1);
  if (s && schema_block(s, name)) return block(nl, 0);
  return HJ_ATTR;
}

static HclJsonKind property(void *ud, const void *ctxp, const char *name, int *nl) {
  (void)ud;
  const JCtx *c = ctxp ? ctxp : &FIXED[JC_TOP];
  switch (c->kind) {
  case JC_TOP:
    if (is(name, "terraform") || is(name, "locals") || is(name, "moved") || is(name, "import") || is(name, "removed"))
      return block(nl, 0);
    if (is(name, "provider") || is(name, "variable") || is(name, "output") || is(name, "module") || is(name, "check"))
      return block(nl, 1);
    if (is(name, "resource") || is(name, "data")) return block(nl, 2);
    return HJ_ATTR;
  case JC_TERRAFORM:
    if (is(name, "required_providers") || is(name, "cloud")) return block(nl, 0);
    if (is(name, "backend") || is(name, "provider_meta")) return block(nl, 1);
    if (is(name, "experiments")) return HJ_EXPR;
    return HJ_ATTR;
  case JC_VARIABLE:
    if (is(name, "validation")) return block(nl, 0);
    if (is(name, "type")) return HJ_EXPR;
    return HJ_ATTR;
  case JC_OUTPUT:
    if (is(name, "precondition")) return block(nl, 0);
    if (is(name, "depends_on")) return HJ_EXPR;
    return HJ_ATTR;
  case JC_MODULE:
    if (is(name, "providers") || is(name, "depends_on")) return HJ_EXPR;
    return HJ_ATTR;
  case JC_PROVIDER: return c->schema && schema_block(c->schema, name) ? block(nl, 0) : HJ_ATTR;
  case JC_RESOURCE:
    if (is(name, "lifecycle") || is(name, "connection")) return block(nl, 0);
    if (is(name, "provisioner")) return block(nl, 1);
    if (is(name, "provider") || is(name, "depends_on")) return HJ_EXPR;
    return schema_prop(c->schema, name, nl);
  case JC_NESTED: return schema_prop(c->schema, name, nl);
  case JC_DYNAMIC:
    if (is(name, "content")) return block(nl, 0);
    if (is(name, "iterator")) return HJ_EXPR;
    return HJ_ATTR;
  case JC_LIFECYCLE:
    if (is(name, "precondition") || is(name, "postcondition")) return block(nl, 0);
    if (is(name, "ignore_changes") || is(name, "replace_triggered_by")) return HJ_EXPR;
    return HJ_ATTR;
  case JC_PROVISIONER: return is(name, "connection") ? block(nl, 0) : HJ_ATTR;
  case JC_MOVED: return is(name, "from") || is(name, "to") ? HJ_EXPR : HJ_ATTR;
  case JC_IMPORT: return is(name, "to") || is(name, "provider") ? HJ_EXPR : HJ_ATTR;
  case JC_REMOVED:
    if (is(name, "lifecycle")) return block(nl, 0);
    if (is(name, "provisioner")) return block(nl, 1);
    return is(name, "from") ? HJ_EXPR : HJ_ATTR;
  case JC_CHECK:
    if (is(name, "data")) return block(nl, 2);
    if (is(name, "assert")) return block(nl, 0);
    return HJ_ATTR;
  case JC_PLAIN: return HJ_ATTR;
  }
  return HJ_ATTR;
}

/* The provider a resource type belongs to by its name: "aws_iam_role" is aws's. */
static const Provider *provider_of(const char *type) {
  const char *us = strchr(type, '_');
  char name[64];
  size_t n = us ? (size_t)(us - type) : strlen(type);
  if (n >= sizeof name) return NULL;
  memcpy(name, type, n);
  name[n] = 0;
  return provider_lookup(name);
}

static const void *body(void *ud, const void *ctxp, const char *type, const char *const *labels, size_t nl) {
  JUd *u = ud;
  const JCtx *c = ctxp ? ctxp : &FIXED[JC_TOP];
  switch (c->kind) {
  case JC_TOP:
  case JC_CHECK:
    if ((is(type, "resource") || is(type, "data")) && nl == 2) {
      const Provider *p = provider_of(labels[0]);
      const Schema *s = NULL;
      if (p && is(type, "resource")) {
        const ResourceType *rt = provider_resource(p, labels[0]);
        s = rt ? rt->schema : NULL;
      } else if (p) {
        const DataSourceType *dt = provider_data_source(p, labels[0]);
        s = dt ? dt->schema : NULL;
      }
      return ctx_of(u, JC_RESOURCE, s);
    }
    if (is(type, "provider") && nl == 1) {
      const Provider *p = provider_lookup(labels[0]);
      return ctx_of(u, JC_PROVIDER, p ? p->config_schema : NULL);
    }
    if (is(type, "terraform")) return &FIXED[JC_TERRAFORM];
    if (is(type, "variable")) return &FIXED[JC_VARIABLE];
    if (is(type, "output")) return &FIXED[JC_OUTPUT];
    if (is(type, "module")) return &FIXED[JC_MODULE];
    if (is(type, "moved")) return &FIXED[JC_MOVED];
    if (is(type, "import")) return &FIXED[JC_IMPORT];
    if (is(type, "removed")) return &FIXED[JC_REMOVED];
    if (is(type, "check")) return &FIXED[JC_CHECK];
    return &FIXED[JC_PLAIN];
  case JC_RESOURCE:
  case JC_NESTED:
  case JC_PROVIDER:
    if (is(type, "lifecycle") && c->kind == JC_RESOURCE) return &FIXED[JC_LIFECYCLE];
    if (is(type, "provisioner") && c->kind == JC_RESOURCE) return &FIXED[JC_PROVISIONER];
    if (is(type, "dynamic") && nl == 1) {
      const SchemaBlock *sb = c->schema ? schema_block(c->schema, labels[0]) : NULL;
      return ctx_of(u, JC_DYNAMIC, sb ? sb->schema : NULL);
    }
    if (c->schema) {
      const SchemaBlock *sb = schema_block(c->schema, type);
      if (sb) return ctx_of(u, JC_NESTED, sb->schema);
    }
    return &FIXED[JC_PLAIN];
  case JC_DYNAMIC: return is(type, "content") ? ctx_of(u, JC_NESTED, c->schema) : &FIXED[JC_PLAIN];
  case JC_REMOVED:
    if (is(type, "lifecycle")) return &FIXED[JC_LIFECYCLE];
    if (is(type, "provisioner")) return &FIXED[JC_PROVISIONER];
    return &FIXED[JC_PLAIN];
  default: return &FIXED[JC_PLAIN];
  }
}

HclFile *cfg_parse_json(uint32_t file, DiagList *d) {
  JUd u = {0};
  HclJsonSchema s = {property, body, &u};
  HclFile *f = hcl_parse_json(file, &s, d);
  for (size_t i = 0; i < u.n; i++) free(u.v[i]);
  free(u.v);
  return f;
}
