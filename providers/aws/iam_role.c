/*
** providers/aws/iam_role.c — aws_iam_role (aws-provider.md §4): CreateRole,
** GetRole (+ inline and attached policies), the per-field update calls,
** and the delete sequence that detaches what force_detach_policies says.
*/
#include "providers/aws/aws_int.h"

#include "base/util.h"

#include <stdlib.h>
#include <string.h>

static const char *const conflicts_name[] = {"name_prefix", NULL};
static const char *const conflicts_prefix[] = {"name", NULL};

static const SchemaAttr inline_policy_attrs[] = {
    {.name = "name", .type = "string", .flags = OPT, .min_len = 1, .max_len = 128, .regex = AWS_RE_IAM_NAME,
     .regex_message = "must match [\\w+=,.@-]"},
    {.name = "policy", .type = "string", .flags = OPT},
};
static const Schema inline_policy_schema = SCHEMA_ATTRS(inline_policy_attrs);

static const SchemaAttr aws_iam_role_attrs[] = {
    {.name = "arn", .type = "string", .flags = CMP},
    {.name = "assume_role_policy", .type = "string", .flags = REQ, .min_len = 1, .max_len = 131072,
     .description = "JSON trust policy; equivalent JSON is no change"},
    {.name = "create_date", .type = "string", .flags = CMP},
    {.name = "description", .type = "string", .flags = OPT, .max_len = 1000,
     .regex = "(?:(?![\\x{201C}\\x{2018}])[\\p{L}\\p{M}\\p{Z}\\p{S}\\p{N}\\p{P}])*",
     .regex_message = "must contain only printable Unicode characters, and no curly quotes"},
    {.name = "force_detach_policies", .type = "bool", .flags = OPT, .default_json = "false"},
    {.name = "id", .type = "string", .flags = CMP},
    {.name = "managed_policy_arns", .type = "set(string)", .flags = OPTC | SA_DEPRECATED, .regex = AWS_RE_ARN,
     .regex_message = "is an invalid ARN"},
    {.name = "max_session_duration", .type = "number", .flags = OPT, .default_json = "3600", .has_range = true,
     .min = 3600, .max = 43200},
    {.name = "name", .type = "string", .flags = OPTC | FNEW, .min_len = 1, .max_len = 64, .regex = AWS_RE_IAM_NAME,
     .regex_message = "must match [\\w+=,.@-]", .conflicts_with = conflicts_name},
    {.name = "name_prefix", .type = "string", .flags = OPTC | FNEW, .min_len = 1, .max_len = 38,
     .regex = AWS_RE_IAM_NAME, .regex_message = "must match [\\w+=,.@-]", .conflicts_with = conflicts_prefix},
    {.name = "path", .type = "string", .flags = OPT | FNEW, .default_json = "\"/\"", .max_len = 512},
    {.name = "permissions_boundary", .type = "string", .flags = OPT, .regex = AWS_RE_ARN,
     .regex_message = "is an invalid ARN"},
    {.name = "tags", .type = "map(string)", .flags = OPT},
    {.name = "tags_all", .type = "map(string)", .flags = OPTC},
    {.name = "unique_id", .type = "string", .flags = CMP},
};
static const SchemaBlock aws_iam_role_blocks[] = {
    {.name = "inline_policy", .nesting = NEST_SET, .flags = SA_COMPUTED, .schema = &inline_policy_schema,
     .description = "Deprecated: use aws_iam_role_policy"},
};
static const Schema aws_iam_role_schema = SCHEMA(aws_iam_role_attrs, aws_iam_role_blocks);

#define WHAT "IAM Role"

static int put_inline(ProvCtx *p, const char *role, const cJSON *pol, ProvDiags *out) {
  const char *n = js_str(pol, "name"), *doc = js_str(pol, "policy");
  if (!n || !doc) return 0;
  cJSON *req = aws_req("RoleName", role);
  cJSON_AddStringToObject(req, "PolicyName", n);
  cJSON_AddStringToObject(req, "PolicyDocument", doc);
  return aws_do(p, "iam", "PutRolePolicy", req, NULL, "putting", "IAM Role inline policy", role, out);
}

static int attach(ProvCtx *p, const char *role, const char *arn, bool detach, ProvDiags *out) {
  cJSON *req = aws_req("RoleName", role);
  cJSON_AddStringToObject(req, "PolicyArn", arn);
  return aws_do(p, "iam", detach ? "DetachRolePolicy" : "AttachRolePolicy", req, NULL, detach ? "detaching" : "attaching",
                "IAM Policy to Role", role, out);
}

static int role_create(ProvCtx *p, cJSON *plan, ProvDiags *out) {
  const char *name = js_str(plan, "name");
  cJSON *req = aws_req("RoleName", name);
  cJSON_AddStringToObject(req, "AssumeRolePolicyDocument", js_str(plan, "assume_role_policy"));
  cJSON_AddStringToObject(req, "Path", js_str(plan, "path") ? js_str(plan, "path") : "/");
  if (js_str(plan, "description")) cJSON_AddStringToObject(req, "Description", js_str(plan, "description"));
  cJSON_AddNumberToObject(req, "MaxSessionDuration", js_num(plan, "max_session_duration", 3600));
  if (js_str(plan, "permissions_boundary"))
    cJSON_AddStringToObject(req, "PermissionsBoundary", js_str(plan, "permissions_boundary"));
  cJSON *tags = aws_tags_all(p, plan);
  if (cJSON_GetArraySize(tags) > 0) cJSON_AddItemToObject(req, "Tags", aws_tags_list(tags));
  cJSON_Delete(tags);
  AwsError e = {0};
  /* IAM may not yet know a principal created a moment ago */
  int rc = aws_call_retry(p, "iam", "CreateRole", req, NULL, &e, 120, "MalformedPolicyDocument",
                          "Invalid principal in policy");
  cJSON_Delete(req);
  if (rc != 0) {
    aws_err_diag(out, "creating", WHAT, name, "iam", "CreateRole", &e);
    aws_error_clear(&e);
    return -1;
  }
  js_set_str(plan, "id", name);
  const cJSON *pol;
  cJSON_ArrayForEach(pol, js_get(plan, "inline_policy")) if (put_inline(p, name, pol, out)) return -1;
  const cJSON *arn;
  cJSON_ArrayForEach(arn, js_get(plan, "managed_policy_arns")) if (attach(p, name, arn->valuestring, false, out)) return -1;
  return 0;
}

static int role_read(ProvCtx *p, cJSON *st, ProvDiags *out) {
  const char *id = js_str(st, "id") ? js_str(st, "id") : js_str(st, "name");
  if (!id) return AWS_GONE;
  char *name = xstrdup(id);
  cJSON *resp = NULL;
  AwsError e = {0};
  cJSON *req = aws_req("RoleName", name);
  int rc = aws_call(p, "iam", "GetRole", req, &resp, &e);
  cJSON_Delete(req);
  if (rc != 0) {
    int r = AWS_GONE;
    if (!aws_err_is(&e, "NoSuchEntity", NULL)) {
      aws_err_diag(out, "reading", WHAT, name, "iam", "GetRole", &e);
      r = AWS_FAILED;
    }
    aws_error_clear(&e);
    free(name);
    return r;
  }
  const cJSON *role = js_get(resp, "Role");
  js_set_str(st, "id", js_str(role, "RoleName"));
  js_set_str(st, "name", js_str(role, "RoleName"));
  char *prefix = aws_name_prefix_of(js_str(role, "RoleName"));
  if (prefix || !js_str(st, "name_prefix")) js_set_str(st, "name_prefix", prefix);
  free(prefix);
  js_set_str(st, "arn", js_str(role, "Arn"));
  js_set_str(st, "unique_id", js_str(role, "RoleId"));
  js_set_str(st, "create_date", js_str(role, "CreateDate"));
  js_set_str(st, "path", js_str(role, "Path"));
  js_set_str(st, "description", js_str(role, "Description"));
  js_set_num(st, "max_session_duration", js_num(role, "MaxSessionDuration", 3600));
  js_set_str(st, "permissions_boundary", js_str(js_get(role, "PermissionsBoundary"), "PermissionsBoundaryArn"));
  if (js_str(role, "AssumeRolePolicyDocument")) {
    char *doc = aws_url_decode(js_str(role, "AssumeRolePolicyDocument"));
    js_set_str(st, "assume_role_policy", doc);
    free(doc);
  }
  cJSON *tags = aws_tags_map(js_get(role, "Tags"));
  aws_tags_read(p, st, tags);
  cJSON_Delete(tags);
  cJSON_Delete(resp);

  /* inline policies (the deprecated inline_policy blocks) */
  cJSON *inl = cJSON_CreateArray();
  if (aws_do(p, "iam", "ListRolePolicies", aws_req("RoleName", name), &resp, "reading", "IAM Role inline policies",
             name, out)) {
    cJSON_Delete(inl);
    free(name);
    return AWS_FAILED;
  }
  const cJSON *pn;
  cJSON_ArrayForEach(pn, js_get(resp, "PolicyNames")) {
    cJSON *pr = NULL;
    cJSON *q = aws_req("RoleName", name);
    cJSON_AddStringToObject(q, "PolicyName", pn->valuestring);
    if (aws_do(p, "iam", "GetRolePolicy", q, &pr, "reading", "IAM Role inline policy", name, out) == 0) {
      cJSON *o = cJSON_CreateObject();
      cJSON_AddStringToObject(o, "name", pn->valuestring);
      char *doc = aws_url_decode(js_str(pr, "PolicyDocument") ? js_str(pr, "PolicyDocument") : "");
      /* keep the configured text when equivalent */
      const cJSON *old;
      cJSON_ArrayForEach(old, js_get(st, "inline_policy")) if (js_str(old, "name") &&
                                                                strcmp(js_str(old, "name"), pn->valuestring) == 0 &&
                                                                js_str(old, "policy") &&
                                                                aws_policy_equivalent(js_str(old, "policy"), doc)) {
        free(doc);
        doc = xstrdup(js_str(old, "policy"));
      }
      cJSON_AddStringToObject(o, "policy", doc);
      free(doc);
      cJSON_AddItemToArray(inl, o);
      cJSON_Delete(pr);
    }
  }
  cJSON_Delete(resp);
  js_set(st, "inline_policy", inl);

  cJSON *managed = cJSON_CreateArray();
  if (aws_do(p, "iam", "ListAttachedRolePolicies", aws_req("RoleName", name), &resp, "reading",
             "IAM Role attached policies", name, out)) {
    cJSON_Delete(managed);
    free(name);
    return AWS_FAILED;
  }
  const cJSON *ap;
  cJSON_ArrayForEach(ap, js_get(resp, "AttachedPolicies")) if (js_str(ap, "PolicyArn"))
      cJSON_AddItemToArray(managed, cJSON_CreateString(js_str(ap, "PolicyArn")));
  cJSON_Delete(resp);
  js_set(st, "managed_policy_arns", managed);
  free(name);
  return AWS_FOUND;
}

static bool str_changed(const cJSON *a, const cJSON *b, const char *key) {
  const char *x = js_str(a, key), *y = js_str(b, key);
  if (!x || !y) return x != y;
  return strcmp(x, y) != 0;
}

static const cJSON *find_named(const cJSON *arr, const char *name) {
  const cJSON *e;
  cJSON_ArrayForEach(e, arr) if (js_str(e, "name") && strcmp(js_str(e, "name"), name) == 0) return e;
  return NULL;
}

static bool has_string(const cJSON *arr, const char *s) {
  const cJSON *e;
  cJSON_ArrayForEach(e, arr) if (cJSON_IsString(e) && strcmp(e->valuestring, s) == 0) return true;
  return false;
}

static int role_update(ProvCtx *p, const cJSON *prior, cJSON *plan, ProvDiags *out) {
  const char *name = js_str(prior, "id");
  if (str_changed(prior, plan, "assume_role_policy")) {
    cJSON *req = aws_req("RoleName", name);
    cJSON_AddStringToObject(req, "PolicyDocument", js_str(plan, "assume_role_policy"));
    AwsError e = {0};
    int rc = aws_call_retry(p, "iam", "UpdateAssumeRolePolicy", req, NULL, &e, 120, "MalformedPolicyDocument",
                            "Invalid principal in policy");
    cJSON_Delete(req);
    if (rc) {
      aws_err_diag(out, "updating", "IAM Role assume role policy", name, "iam", "UpdateAssumeRolePolicy", &e);
      aws_error_clear(&e);
      return -1;
    }
  }
  if (str_changed(prior, plan, "description")) {
    cJSON *req = aws_req("RoleName", name);
    cJSON_AddStringToObject(req, "Description", js_str(plan, "description") ? js_str(plan, "description") : "");
    if (aws_do(p, "iam", "UpdateRoleDescription", req, NULL, "updating", "IAM Role description", name, out)) return -1;
  }
  if (js_num(prior, "max_session_duration", 3600) != js_num(plan, "max_session_duration", 3600)) {
    cJSON *req = aws_req("RoleName", name);
    cJSON_AddNumberToObject(req, "MaxSessionDuration", js_num(plan, "max_session_duration", 3600));
    if (aws_do(p, "iam", "UpdateRole", req, NULL, "updating", "IAM Role max session duration", name, out)) return -1;
  }
  if (str_changed(prior, plan, "permissions_boundary")) {
    const char *pb = js_str(plan, "permissions_boundary");
    cJSON *req = aws_req("RoleName", name);
    if (pb) cJSON_AddStringToObject(req, "PermissionsBoundary", pb);
    if (aws_do(p, "iam", pb ? "PutRolePermissionsBoundary" : "DeleteRolePermissionsBoundary", req, NULL, "updating",
               "IAM Role permissions boundary", name, out))
      return -1;
  }
  /* inline policies: delete the ones gone, put new and changed */
  const cJSON *e;
  cJSON_ArrayForEach(e, js_get(prior, "inline_policy")) {
    if (!js_str(e, "name") || find_named(js_get(plan, "inline_policy"), js_str(e, "name"))) continue;
    cJSON *req = aws_req("RoleName", name);
    cJSON_AddStringToObject(req, "PolicyName", js_str(e, "name"));
    if (aws_do(p, "iam", "DeleteRolePolicy", req, NULL, "deleting", "IAM Role inline policy", name, out)) return -1;
  }
  cJSON_ArrayForEach(e, js_get(plan, "inline_policy")) {
    const cJSON *old = js_str(e, "name") ? find_named(js_get(prior, "inline_policy"), js_str(e, "name")) : NULL;
    if (old && !str_changed(old, e, "policy")) continue;
    if (put_inline(p, name, e, out)) return -1;
  }
  cJSON_ArrayForEach(e, js_get(prior, "managed_policy_arns")) if (!has_string(js_get(plan, "managed_policy_arns"),
                                                                              e->valuestring)) {
    if (attach(p, name, e->valuestring, true, out)) return -1;
  }
  cJSON_ArrayForEach(e, js_get(plan, "managed_policy_arns")) if (!has_string(js_get(prior, "managed_policy_arns"),
                                                                             e->valuestring)) {
    if (attach(p, name, e->valuestring, false, out)) return -1;
  }
  cJSON *rm, *set;
  cJSON *want = aws_tags_all(p, plan);
  aws_tags_diff(js_get(prior, "tags_all"), want, &rm, &set);
  cJSON_Delete(want);
  int rc = 0;
  if (cJSON_GetArraySize(rm) > 0) {
    cJSON *req = aws_req("RoleName", name);
    cJSON_AddItemToObject(req, "TagKeys", cJSON_Duplicate(rm, 1));
    rc = aws_do(p, "iam", "UntagRole", req, NULL, "untagging", WHAT, name, out);
  }
  if (!rc && cJSON_GetArraySize(set) > 0) {
    cJSON *req = aws_req("RoleName", name);
    cJSON_AddItemToObject(req, "Tags", aws_tags_list(set));
    rc = aws_do(p, "iam", "TagRole", req, NULL, "tagging", WHAT, name, out);
  }
  cJSON_Delete(rm);
  cJSON_Delete(set);
  return rc;
}

static int role_delete(ProvCtx *p, const cJSON *prior, ProvDiags *out) {
  const char *name = js_str(prior, "id");
  cJSON *resp = NULL;
  AwsError e = {0};
  cJSON *req = aws_req("RoleName", name);
  if (aws_call(p, "iam", "ListInstanceProfilesForRole", req, &resp, &e) == 0) {
    const cJSON *ip;
    cJSON_ArrayForEach(ip, js_get(resp, "InstanceProfiles")) {
      cJSON *r2 = aws_req("RoleName", name);
      cJSON_AddStringToObject(r2, "InstanceProfileName", js_str(ip, "InstanceProfileName"));
      aws_do(p, "iam", "RemoveRoleFromInstanceProfile", r2, NULL, "deleting", WHAT, name, out);
    }
    cJSON_Delete(resp);
  } else if (aws_err_is(&e, "NoSuchEntity", NULL)) {
    aws_error_clear(&e);
    cJSON_Delete(req);
    return 0;
  }
  aws_error_clear(&e);
  cJSON_Delete(req);
  bool force = js_bool(prior, "force_detach_policies", false);
  if (force || cJSON_GetArraySize(js_get(prior, "managed_policy_arns")) > 0) {
    if (aws_call(p, "iam", "ListAttachedRolePolicies", req = aws_req("RoleName", name), &resp, &e) == 0) {
      const cJSON *ap;
      cJSON_ArrayForEach(ap, js_get(resp, "AttachedPolicies")) attach(p, name, js_str(ap, "PolicyArn"), true, out);
      cJSON_Delete(resp);
    }
    aws_error_clear(&e);
    cJSON_Delete(req);
  }
  if (force || cJSON_GetArraySize(js_get(prior, "inline_policy")) > 0) {
    if (aws_call(p, "iam", "ListRolePolicies", req = aws_req("RoleName", name), &resp, &e) == 0) {
      const cJSON *pn;
      cJSON_ArrayForEach(pn, js_get(resp, "PolicyNames")) {
        cJSON *r2 = aws_req("RoleName", name);
        cJSON_AddStringToObject(r2, "PolicyName", pn->valuestring);
        aws_do(p, "iam", "DeleteRolePolicy", r2, NULL, "deleting", "IAM Role inline policy", name, out);
      }
      cJSON_Delete(resp);
    }
    aws_error_clear(&e);
    cJSON_Delete(req);
  }
  if (out->nerrors) return -1;
  req = aws_req("RoleName", name);
  int rc = aws_call_retry(p, "iam", "DeleteRole", req, NULL, &e, 120, "DeleteConflict", NULL);
  cJSON_Delete(req);
  if (rc != 0 && !aws_err_is(&e, "NoSuchEntity", NULL)) {
    aws_err_diag(out, "deleting", WHAT, name, "iam", "DeleteRole", &e);
    aws_error_clear(&e);
    return -1;
  }
  aws_error_clear(&e);
  return 0;
}

static int role_import(ProvCtx *p, const char *id, cJSON *st, ProvDiags *out) {
  (void)p;
  (void)out;
  js_set_str(st, "id", id);
  return 0;
}

static const char *const role_json_attrs[] = {"assume_role_policy", NULL};

static const AwsRes aws_iam_role_res = {
    .type = "aws_iam_role",
    .schema = &aws_iam_role_schema,
    .json_attrs = role_json_attrs,
    .generated_name = true,
    .has_tags = true,
    .create = role_create,
    .update = role_update,
    .del = role_delete,
    .read = role_read,
    .import_id = role_import,
};

AWS_RESOURCE(aws_iam_role, "id");
