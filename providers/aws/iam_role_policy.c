/*
** providers/aws/iam_role_policy.c — aws_iam_role_policy (aws-provider.md
** §5): an inline policy, PutRolePolicy on create and update (an upsert),
** GetRolePolicy on read, DeleteRolePolicy on delete. id "role:policy".
*/
#include "providers/aws/aws_int.h"

#include "base/util.h"

#include <stdlib.h>
#include <string.h>

static const char *const conflicts_name[] = {"name_prefix", NULL};
static const char *const conflicts_prefix[] = {"name", NULL};

static const SchemaAttr aws_iam_role_policy_attrs[] = {
    {.name = "id", .type = "string", .flags = CMP},
    {.name = "name", .type = "string", .flags = OPTC | FNEW, .min_len = 1, .max_len = 128, .regex = AWS_RE_IAM_NAME,
     .regex_message = "must match [\\w+=,.@-]", .conflicts_with = conflicts_name},
    {.name = "name_prefix", .type = "string", .flags = OPTC | FNEW, .min_len = 1, .max_len = 102,
     .regex = AWS_RE_IAM_NAME, .regex_message = "must match [\\w+=,.@-]", .conflicts_with = conflicts_prefix},
    {.name = "policy", .type = "string", .flags = REQ, .min_len = 1, .max_len = 131072},
    /* the role's name; an ARN has ':' and '/', which the pattern rejects */
    {.name = "role", .type = "string", .flags = REQ | FNEW, .min_len = 1, .max_len = 128, .regex = AWS_RE_IAM_NAME,
     .regex_message = "must be the role name (an ARN is not accepted): [\\w+=,.@-]"},
};
static const Schema aws_iam_role_policy_schema = SCHEMA_ATTRS(aws_iam_role_policy_attrs);

#define WHAT "IAM Role Policy"

static int put(ProvCtx *p, const cJSON *plan, const char *action, ProvDiags *out) {
  char *id = xasprintf("%s:%s", js_str(plan, "role"), js_str(plan, "name"));
  cJSON *req = aws_req("RoleName", js_str(plan, "role"));
  cJSON_AddStringToObject(req, "PolicyName", js_str(plan, "name"));
  cJSON_AddStringToObject(req, "PolicyDocument", js_str(plan, "policy"));
  int rc = aws_do(p, "iam", "PutRolePolicy", req, NULL, action, WHAT, id, out);
  free(id);
  return rc;
}

static int rp_create(ProvCtx *p, cJSON *plan, ProvDiags *out) {
  if (put(p, plan, "putting", out)) return -1;
  char *id = xasprintf("%s:%s", js_str(plan, "role"), js_str(plan, "name"));
  js_set_str(plan, "id", id);
  free(id);
  return 0;
}

static int rp_update(ProvCtx *p, const cJSON *prior, cJSON *plan, ProvDiags *out) {
  (void)prior;
  return put(p, plan, "putting", out);
}

/* "role:name", split on the first ':'. */
static bool split_id(const char *id, char **role, char **name) {
  const char *c = id ? strchr(id, ':') : NULL;
  if (!c || c == id || !c[1]) return false;
  *role = xstrndup(id, (size_t)(c - id));
  *name = xstrdup(c + 1);
  return true;
}

static int rp_read(ProvCtx *p, cJSON *st, ProvDiags *out) {
  char *role, *name;
  if (!split_id(js_str(st, "id"), &role, &name)) {
    prov_diag(out, DIAG_ERROR, NULL, "Invalid ID", "unexpected format of ID (%s), expected ROLE-NAME:POLICY-NAME",
              js_str(st, "id") ? js_str(st, "id") : "");
    return AWS_FAILED;
  }
  cJSON *req = aws_req("RoleName", role);
  cJSON_AddStringToObject(req, "PolicyName", name);
  cJSON *resp = NULL;
  AwsError e = {0};
  int rc = aws_call(p, "iam", "GetRolePolicy", req, &resp, &e);
  cJSON_Delete(req);
  int r = AWS_FOUND;
  if (rc != 0) {
    r = AWS_GONE;
    if (!aws_err_is(&e, "NoSuchEntity", NULL)) {
      aws_err_diag(out, "reading", WHAT, js_str(st, "id"), "iam", "GetRolePolicy", &e);
      r = AWS_FAILED;
    }
    aws_error_clear(&e);
  } else {
    char *doc = aws_url_decode(js_str(resp, "PolicyDocument") ? js_str(resp, "PolicyDocument") : "");
    js_set_str(st, "policy", doc);
    free(doc);
    js_set_str(st, "role", role);
    js_set_str(st, "name", name);
    char *prefix = aws_name_prefix_of(name);
    if (prefix || !js_str(st, "name_prefix")) js_set_str(st, "name_prefix", prefix);
    free(prefix);
    cJSON_Delete(resp);
  }
  free(role);
  free(name);
  return r;
}

static int rp_delete(ProvCtx *p, const cJSON *prior, ProvDiags *out) {
  cJSON *req = aws_req("RoleName", js_str(prior, "role"));
  cJSON_AddStringToObject(req, "PolicyName", js_str(prior, "name"));
  AwsError e = {0};
  int rc = aws_call(p, "iam", "DeleteRolePolicy", req, NULL, &e);
  cJSON_Delete(req);
  if (rc != 0 && !aws_err_is(&e, "NoSuchEntity", NULL)) {
    aws_err_diag(out, "deleting", WHAT, js_str(prior, "id"), "iam", "DeleteRolePolicy", &e);
    aws_error_clear(&e);
    return -1;
  }
  aws_error_clear(&e);
  return 0;
}

static int rp_import(ProvCtx *p, const char *id, cJSON *st, ProvDiags *out) {
  (void)p;
  char *role, *name;
  if (!split_id(id, &role, &name)) {
    prov_diag(out, DIAG_ERROR, NULL, "Invalid import ID",
              "unexpected format of ID (%s), expected ROLE-NAME:POLICY-NAME", id);
    return -1;
  }
  js_set_str(st, "id", id);
  free(role);
  free(name);
  return 0;
}

static const char *const rp_json_attrs[] = {"policy", NULL};

static const AwsRes aws_iam_role_policy_res = {
    .type = "aws_iam_role_policy",
    .schema = &aws_iam_role_policy_schema,
    .json_attrs = rp_json_attrs,
    .generated_name = true,
    .create = rp_create,
    .update = rp_update,
    .del = rp_delete,
    .read = rp_read,
    .import_id = rp_import,
};

AWS_RESOURCE(aws_iam_role_policy, "id");
