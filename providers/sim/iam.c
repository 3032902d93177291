/*
** providers/sim/iam.c — IAM roles, their inline and attached policies and
** tags; the policy evaluation SageMaker relies on (trust for CreateModel,
** s3:GetObject for the model download); and STS GetCallerIdentity.
**
** IAM is global, so roles carry no region; names are unique
** case-insensitively, so roles are keyed by the lower-cased name. Policy
** documents come back URL-encoded from GetRole/GetRolePolicy as IAM does.
*/
#include "providers/sim/sim_int.h"

#include "base/util.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define V "ValidationError"
static const char ROLE_RE[] = "[\\w+=,.@-]+";
static const char PATH_RE[] = "(\\x{002F})|(\\x{002F}[\\x{0021}-\\x{007E}]+\\x{002F})";

/* AWS managed policies the simulator knows, with the part of their
** statements that matters here. */
static const struct {
  const char *name;
  const char *doc;
} managed[] = {
    {"AmazonS3ReadOnlyAccess",
     "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:Get*\",\"s3:List*\"],\"Resource\":\"*\"}]}"},
    {"AmazonS3FullAccess",
     "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"},
    {"AmazonSageMakerFullAccess",
     "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sagemaker:*\",\"Resource\":\"*\"},"
     "{\"Effect\":\"Allow\",\"Action\":[\"ecr:BatchCheckLayerAvailability\",\"ecr:BatchGetImage\",\"ecr:GetAuthorizationToken\","
     "\"ecr:GetDownloadUrlForLayer\",\"ecr:Describe*\"],\"Resource\":\"*\"},"
     "{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\",\"s3:DeleteObject\"],"
     "\"Resource\":[\"arn:aws:s3:::*SageMaker*\",\"arn:aws:s3:::*Sagemaker*\",\"arn:aws:s3:::*sagemaker*\"]}]}"},
    {"CloudWatchFullAccess",
     "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"cloudwatch:*\",\"Resource\":\"*\"}]}"},
};

static const char *managed_doc(const char *arn) {
  static const char pre[] = "arn:aws:iam::aws:policy/";
  if (strncmp(arn, pre, sizeof pre - 1) != 0) return NULL;
  for (size_t i = 0; i < sizeof managed / sizeof managed[0]; i++)
    if (strcmp(arn + sizeof pre - 1, managed[i].name) == 0) return managed[i].doc;
  return NULL;
}

static cJSON *role_get(SimWorld *w, const char *name) {
  char *k = xstrdup(name);
  sim_lower(k);
  cJSON *r = sim_find(w, "iam", "roles", k);
  free(k);
  return r;
}

/* Looks up the role named in the request, with IAM's errors. */
static cJSON *role_req(SimWorld *w, const cJSON *req, AwsError *err) {
  const char *name = sim_req_str(req, "RoleName", "roleName", V, err);
  if (!name || sim_check_str(name, "roleName", 1, 64, ROLE_RE, V, err)) return NULL;
  cJSON *r = role_get(w, name);
  if (!r) sim_err(err, 404, "NoSuchEntity", "The role with name %s cannot be found.", name);
  return r;
}

cJSON *sim_iam_role_by_arn(SimWorld *w, const char *arn) {
  char *pre = xasprintf("arn:aws:iam::%s:role/", sim_account(w));
  cJSON *r = NULL;
  if (arn && strncmp(arn, pre, strlen(pre)) == 0) {
    const char *slash = strrchr(arn, '/');
    r = role_get(w, slash + 1);
    if (r && strcmp(sim_str(r, "Arn"), arn) != 0) r = NULL; /* same name, other path */
  }
  free(pre);
  return r;
}

static size_t nonspace_len(const char *s) {
  size_t n = 0;
  for (; *s; s++) n += !isspace((unsigned char)*s);
  return n;
}

static char *urlencode(const char *s) {
  Buf b = BUF_INIT;
  buf_puts(&b, "");
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') buf_putc(&b, (char)c);
    else buf_printf(&b, "%%%02X", c);
  }
  return buf_take(&b);
}

/* Case-insensitive when ci; '*' and '?' wildcards as in IAM. */
static bool glob(const char *p, const char *s, bool ci) {
  for (; *p; p++, s++) {
    if (*p == '*') {
      for (;; s++) {
        if (glob(p + 1, s, ci)) return true;
        if (!*s) return false;
      }
    }
    if (!*s) return false;
    if (*p != '?' && (ci ? tolower((unsigned char)*p) != tolower((unsigned char)*s) : *p != *s)) return false;
  }
  return !*s;
}

static bool any_glob(const cJSON *pats, const char *s, bool ci) {
  if (cJSON_IsString(pats)) return glob(pats->valuestring, s, ci);
  const cJSON *p;
  cJSON_ArrayForEach(p, pats) if (cJSON_IsString(p) && glob(p->valuestring, s, ci)) return true;
  return false;
}

static const cJSON *statements(const cJSON *doc) {
  return sim_get(doc, "Statement");
}

/* One statement's verdict for (action, resource): 1 allow, -1 deny, 0 none.
** Conditions are not evaluated (see README: statements with a Condition are
** taken to apply). */
static int stmt_verdict(const cJSON *st, const char *action, const char *resource) {
  const char *eff = sim_str(st, "Effect");
  if (!eff) return 0;
  cJSON *a = sim_get(st, "Action"), *na = sim_get(st, "NotAction");
  bool am = a ? any_glob(a, action, true) : na ? !any_glob(na, action, true) : false;
  cJSON *r = sim_get(st, "Resource"), *nr = sim_get(st, "NotResource");
  bool rm = r ? any_glob(r, resource, false) : nr ? !any_glob(nr, resource, false) : false;
  if (!am || !rm) return 0;
  return strcmp(eff, "Deny") == 0 ? -1 : strcmp(eff, "Allow") == 0 ? 1 : 0;
}

static int doc_verdict(const char *text, const char *action, const char *resource) {
  cJSON *doc = cJSON_Parse(text);
  int v = 0;
  const cJSON *sts = statements(doc), *st;
  if (cJSON_IsObject(sts)) v = stmt_verdict(sts, action, resource);
  else
    cJSON_ArrayForEach(st, sts) {
      int x = stmt_verdict(st, action, resource);
      if (x < 0) v = -1;
      else if (x > 0 && v == 0) v = 1;
    }
  cJSON_Delete(doc);
  return v;
}

bool sim_iam_allows(SimWorld *w, const cJSON *role, const char *action, const char *resource) {
  (void)w;
  int v = 0;
  const cJSON *p;
  cJSON_ArrayForEach(p, sim_get(role, "InlinePolicies")) {
    int x = doc_verdict(p->valuestring, action, resource);
    if (x < 0) return false;
    if (x > 0) v = 1;
  }
  cJSON_ArrayForEach(p, sim_get(role, "AttachedPolicies")) {
    const char *doc = managed_doc(p->valuestring);
    int x = doc ? doc_verdict(doc, action, resource) : 0;
    if (x < 0) return false;
    if (x > 0) v = 1;
  }
  return v > 0;
}

bool sim_iam_trusts(const cJSON *role, const char *service_principal) {
  cJSON *doc = cJSON_Parse(sim_str(role, "AssumeRolePolicyDocument"));
  bool ok = false;
  const cJSON *sts = statements(doc), *st;
  cJSON *one = NULL;
  if (cJSON_IsObject(sts)) {
    one = cJSON_CreateArray();
    cJSON_AddItemToArray(one, cJSON_Duplicate(sts, 1));
    sts = one;
  }
  cJSON_ArrayForEach(st, sts) {
    const char *eff = sim_str(st, "Effect");
    if (!eff || strcmp(eff, "Allow") != 0) continue;
    cJSON *a = sim_get(st, "Action");
    if (!a || !any_glob(a, "sts:AssumeRole", true)) continue;
    cJSON *pr = sim_get(st, "Principal");
    if ((cJSON_IsString(pr) && strcmp(pr->valuestring, "*") == 0) ||
        any_glob(sim_get(pr, "Service"), service_principal, false))
      ok = true;
  }
  cJSON_Delete(one);
  cJSON_Delete(doc);
  return ok;
}

bool sim_iam_visible(SimWorld *w, const cJSON *role) {
  return sim_now(w) >= (long long)sim_num(role, "ChangedAt", 0) + (long long)sim_knob("iam_propagation_seconds");
}

static void touch(SimWorld *w, cJSON *role) { sim_set_num(role, "ChangedAt", (double)sim_now(w)); }

/* Checks a policy document: JSON, Statement present, principals that exist. */
static int check_policy(SimWorld *w, const char *doc, const char *member, bool trust, AwsError *err) {
  if (sim_check_str(doc, member, 1, 131072, NULL, V, err)) return -1;
  for (const unsigned char *c = (const unsigned char *)doc; *c; c++)
    if (*c < 0x20 && *c != '\t' && *c != '\n' && *c != '\r')
      return sim_err(err, 400, "MalformedPolicyDocument", "The policy contains invalid characters.");
  cJSON *j = cJSON_Parse(doc);
  if (!cJSON_IsObject(j)) {
    cJSON_Delete(j);
    return sim_err(err, 400, "MalformedPolicyDocument", "This policy contains invalid Json");
  }
  const cJSON *sts = statements(j);
  if (!cJSON_IsArray(sts) && !cJSON_IsObject(sts)) {
    cJSON_Delete(j);
    return sim_err(err, 400, "MalformedPolicyDocument", "Syntax errors in policy.");
  }
  int rc = 0;
  const cJSON *st;
  cJSON *wrap = NULL;
  if (cJSON_IsObject(sts)) {
    wrap = cJSON_CreateArray();
    cJSON_AddItemToArray(wrap, cJSON_Duplicate(sts, 1));
    sts = wrap;
  }
  cJSON_ArrayForEach(st, sts) {
    const char *eff = sim_str(st, "Effect");
    if (!eff || (strcmp(eff, "Allow") != 0 && strcmp(eff, "Deny") != 0)) {
      rc = sim_err(err, 400, "MalformedPolicyDocument", "Syntax errors in policy.");
      break;
    }
    if (!trust && !sim_get(st, "Resource") && !sim_get(st, "NotResource")) {
      rc = sim_err(err, 400, "MalformedPolicyDocument", "Policy statement must contain resources.");
      break;
    }
    /* IAM resolves role principals when the policy is saved */
    const cJSON *aws = sim_get(sim_get(st, "Principal"), "AWS"), *p;
    cJSON *one = NULL;
    if (cJSON_IsString(aws)) {
      one = cJSON_CreateArray();
      cJSON_AddItemToArray(one, cJSON_CreateString(aws->valuestring));
      aws = one;
    }
    cJSON_ArrayForEach(p, aws) {
      if (cJSON_IsString(p) && strstr(p->valuestring, ":role/") && !sim_iam_role_by_arn(w, p->valuestring)) {
        rc = sim_err(err, 400, "MalformedPolicyDocument", "Invalid principal in policy: \"AWS\":\"%s\"",
                     p->valuestring);
        break;
      }
    }
    cJSON_Delete(one);
    if (rc) break;
  }
  cJSON_Delete(wrap);
  cJSON_Delete(j);
  return rc;
}

static int check_trust(SimWorld *w, const char *doc, AwsError *err) {
  if (check_policy(w, doc, "assumeRolePolicyDocument", true, err)) return -1;
  int lim = (int)sim_knob("trust_policy_limit");
  if ((int)nonspace_len(doc) > lim)
    return sim_err(err, 409, "LimitExceeded", "Cannot exceed quota for ACLSizePerRole: %d", lim);
  return 0;
}

static cJSON *role_out(const cJSON *r, bool with_doc) {
  cJSON *o = cJSON_CreateObject();
  static const char *const keys[] = {"Path", "RoleName", "RoleId", "Arn", "CreateDate", "Description",
                                     "MaxSessionDuration"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    if (sim_get(r, keys[i])) sim_set(o, keys[i], sim_dup(sim_get(r, keys[i])));
  if (with_doc) {
    char *enc = urlencode(sim_str(r, "AssumeRolePolicyDocument"));
    sim_set_str(o, "AssumeRolePolicyDocument", enc);
    free(enc);
  }
  const char *pb = sim_str(r, "PermissionsBoundary");
  if (pb) {
    cJSON *b = sim_obj(o, "PermissionsBoundary");
    sim_set_str(b, "PermissionsBoundaryType", "Policy");
    sim_set_str(b, "PermissionsBoundaryArn", pb);
  }
  cJSON *tags = sim_get(r, "Tags");
  if (cJSON_GetArraySize(tags) > 0) sim_set(o, "Tags", sim_dup(tags));
  sim_set(o, "RoleLastUsed", cJSON_CreateObject());
  return o;
}

static int op_create_role(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  const char *name = sim_req_str(req, "RoleName", "roleName", V, err);
  if (!name || sim_check_str(name, "roleName", 1, 64, ROLE_RE, V, err)) return -1;
  const char *doc = sim_req_str(req, "AssumeRolePolicyDocument", "assumeRolePolicyDocument", V, err);
  if (!doc) return -1;
  const char *path = sim_str(req, "Path");
  if (!path) path = "/";
  if (sim_check_str(path, "path", 1, 512, PATH_RE, V, err)) return -1;
  const char *desc = sim_str(req, "Description");
  if (desc && sim_check_str(desc, "description", 0, 1000, NULL, V, err)) return -1;
  double msd = sim_num(req, "MaxSessionDuration", 3600);
  if (sim_check_range(msd, "maxSessionDuration", 3600, 43200, V, err)) return -1;
  if (role_get(w, name)) return sim_err(err, 409, "EntityAlreadyExists", "Role with name %s already exists.", name);
  if (check_trust(w, doc, err)) return -1;
  cJSON *r = cJSON_CreateObject();
  if (sim_tags_merge(r, sim_get(req, "Tags"), V, err)) {
    cJSON_Delete(r);
    return -1;
  }
  char id[32], ts[24];
  sim_rand_id(w, "AROA", 17, id);
  char *arn = xasprintf("arn:aws:iam::%s:role%s%s", sim_account(w), path, name);
  sim_set_str(r, "RoleName", name);
  sim_set_str(r, "Path", path);
  sim_set_str(r, "RoleId", id);
  sim_set_str(r, "Arn", arn);
  sim_set_str(r, "CreateDate", sim_now_iso(w, ts));
  sim_set_str(r, "AssumeRolePolicyDocument", doc);
  if (desc) sim_set_str(r, "Description", desc);
  sim_set_num(r, "MaxSessionDuration", msd);
  const char *pb = sim_str(req, "PermissionsBoundary");
  if (pb) sim_set_str(r, "PermissionsBoundary", pb);
  sim_obj(r, "InlinePolicies");
  sim_arr(r, "AttachedPolicies");
  touch(w, r);
  char *key = xstrdup(name);
  sim_lower(key);
  sim_put(w, "iam", "roles", key, r);
  free(key);
  free(arn);
  *resp = cJSON_CreateObject();
  sim_set(*resp, "Role", role_out(r, true));
  return 0;
}

static int op_get_role(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *r = role_req(w, req, err);
  if (!r) return -1;
  *resp = cJSON_CreateObject();
  sim_set(*resp, "Role", role_out(r, true));
  return 0;
}

static int op_update_role(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *r = role_req(w, req, err);
  if (!r) return -1;
  const char *desc = sim_str(req, "Description");
  if (desc && sim_check_str(desc, "description", 0, 1000, NULL, V, err)) return -1;
  cJSON *msd = sim_get(req, "MaxSessionDuration");
  if (cJSON_IsNumber(msd) && sim_check_range(msd->valuedouble, "maxSessionDuration", 3600, 43200, V, err)) return -1;
  if (desc) sim_set_str(r, "Description", desc);
  if (cJSON_IsNumber(msd)) sim_set_num(r, "MaxSessionDuration", msd->valuedouble);
  (void)resp;
  return 0;
}

static int op_update_role_description(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *r = role_req(w, req, err);
  if (!r) return -1;
  const char *desc = sim_req_str(req, "Description", "description", V, err);
  if (!desc || sim_check_str(desc, "description", 0, 1000, NULL, V, err)) return -1;
  sim_set_str(r, "Description", desc);
  *resp = cJSON_CreateObject();
  sim_set(*resp, "Role", role_out(r, true));
  return 0;
}

static int op_update_assume_role_policy(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *r = role_req(w, req, err);
  if (!r) return -1;
  const char *doc = sim_req_str(req, "PolicyDocument", "policyDocument", V, err);
  if (!doc || check_trust(w, doc, err)) return -1;
  sim_set_str(r, "AssumeRolePolicyDocument", doc);
  touch(w, r);
  (void)resp;
  return 0;
}

static int op_delete_role(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *r = role_req(w, req, err);
  if (!r) return -1;
  if (cJSON_GetArraySize(sim_get(r, "InlinePolicies")) > 0)
    return sim_err(err, 409, "DeleteConflict", "Cannot delete entity, must delete policies first.");
  if (cJSON_GetArraySize(sim_get(r, "AttachedPolicies")) > 0)
    return sim_err(err, 409, "DeleteConflict", "Cannot delete entity, must detach all policies first.");
  char *key = xstrdup(sim_str(r, "RoleName"));
  sim_lower(key);
  sim_remove(w, "iam", "roles", key);
  free(key);
  (void)resp;
  return 0;
}

static int op_put_role_policy(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *r = role_req(w, req, err);
  if (!r) return -1;
  const char *pn = sim_req_str(req, "PolicyName", "policyName", V, err);
  if (!pn || sim_check_str(pn, "policyName", 1, 128, ROLE_RE, V, err)) return -1;
  const char *doc = sim_req_str(req, "PolicyDocument", "policyDocument", V, err);
  if (!doc || check_policy(w, doc, "policyDocument", false, err)) return -1;
  /* the quota counts every inline policy of the role, whitespace excluded */
  size_t total = nonspace_len(doc);
  const cJSON *p;
  cJSON_ArrayForEach(p, sim_get(r, "InlinePolicies")) if (strcmp(p->string, pn) != 0) total += nonspace_len(p->valuestring);
  int lim = (int)sim_knob("inline_policy_limit");
  if ((int)total > lim)
    return sim_err(err, 409, "LimitExceeded", "Maximum policy size of %d bytes exceeded for role %s", lim,
                   sim_str(r, "RoleName"));
  sim_set_str(sim_obj(r, "InlinePolicies"), pn, doc);
  touch(w, r);
  (void)resp;
  return 0;
}

static int op_get_role_policy(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *r = role_req(w, req, err);
  if (!r) return -1;
  const char *pn = sim_req_str(req, "PolicyName", "policyName", V, err);
  if (!pn) return -1;
  const char *doc = sim_str(sim_get(r, "InlinePolicies"), pn);
  if (!doc) return sim_err(err, 404, "NoSuchEntity", "The role policy with name %s cannot be found.", pn);
  *resp = cJSON_CreateObject();
  sim_set_str(*resp, "RoleName", sim_str(r, "RoleName"));
  sim_set_str(*resp, "PolicyName", pn);
  char *enc = urlencode(doc);
  sim_set_str(*resp, "PolicyDocument", enc);
  free(enc);
  return 0;
}

static int op_delete_role_policy(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *r = role_req(w, req, err);
  if (!r) return -1;
  const char *pn = sim_req_str(req, "PolicyName", "policyName", V, err);
  if (!pn) return -1;
  if (!sim_str(sim_get(r, "InlinePolicies"), pn))
    return sim_err(err, 404, "NoSuchEntity", "The role policy with name %s cannot be found.", pn);
  sim_del(sim_get(r, "InlinePolicies"), pn);
  touch(w, r);
  (void)resp;
  return 0;
}

static int op_list_role_policies(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *r = role_req(w, req, err);
  if (!r) return -1;
  *resp = cJSON_CreateObject();
  cJSON *names = sim_arr(*resp, "PolicyNames");
  const cJSON *p;
  cJSON_ArrayForEach(p, sim_get(r, "InlinePolicies")) cJSON_AddItemToArray(names, cJSON_CreateString(p->string));
  sim_set_bool(*resp, "IsTruncated", false);
  return 0;
}

static int op_attach(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *r = role_req(w, req, err);
  if (!r) return -1;
  const char *arn = sim_req_str(req, "PolicyArn", "policyArn", V, err);
  if (!arn) return -1;
  if (!managed_doc(arn))
    return sim_err(err, 404, "NoSuchEntity", "Policy %s does not exist or is not attachable.", arn);
  cJSON *list = sim_arr(r, "AttachedPolicies"), *p;
  cJSON_ArrayForEach(p, list) if (strcmp(p->valuestring, arn) == 0) return 0;
  if (cJSON_GetArraySize(list) >= 10)
    return sim_err(err, 409, "LimitExceeded", "Cannot exceed quota for PoliciesPerRole: 10");
  cJSON_AddItemToArray(list, cJSON_CreateString(arn));
  touch(w, r);
  (void)resp;
  return 0;
}

static int op_detach(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *r = role_req(w, req, err);
  if (!r) return -1;
  const char *arn = sim_req_str(req, "PolicyArn", "policyArn", V, err);
  if (!arn) return -1;
  cJSON *list = sim_arr(r, "AttachedPolicies");
  for (int i = 0; i < cJSON_GetArraySize(list); i++)
    if (strcmp(cJSON_GetArrayItem(list, i)->valuestring, arn) == 0) {
      cJSON_DeleteItemFromArray(list, i);
      touch(w, r);
      (void)resp;
      return 0;
    }
  return sim_err(err, 404, "NoSuchEntity", "Policy %s was not found.", arn);
}

static int op_list_attached(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *r = role_req(w, req, err);
  if (!r) return -1;
  *resp = cJSON_CreateObject();
  cJSON *out = sim_arr(*resp, "AttachedPolicies"), *p;
  cJSON_ArrayForEach(p, sim_get(r, "AttachedPolicies")) {
    cJSON *e = cJSON_CreateObject();
    sim_set_str(e, "PolicyName", strrchr(p->valuestring, '/') + 1);
    sim_set_str(e, "PolicyArn", p->valuestring);
    cJSON_AddItemToArray(out, e);
  }
  sim_set_bool(*resp, "IsTruncated", false);
  return 0;
}

static int op_list_instance_profiles(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  if (!role_req(w, req, err)) return -1;
  *resp = cJSON_CreateObject();
  sim_arr(*resp, "InstanceProfiles");
  sim_set_bool(*resp, "IsTruncated", false);
  return 0;
}

static int op_tag_role(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *r = role_req(w, req, err);
  if (!r) return -1;
  (void)resp;
  return sim_tags_merge(r, sim_get(req, "Tags"), V, err);
}

static int op_untag_role(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *r = role_req(w, req, err);
  if (!r) return -1;
  sim_tags_remove(r, sim_get(req, "TagKeys"));
  (void)resp;
  return 0;
}

static int op_list_role_tags(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *r = role_req(w, req, err);
  if (!r) return -1;
  *resp = cJSON_CreateObject();
  sim_set(*resp, "Tags", sim_get(r, "Tags") ? sim_dup(sim_get(r, "Tags")) : cJSON_CreateArray());
  sim_set_bool(*resp, "IsTruncated", false);
  return 0;
}

static int op_put_boundary(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *r = role_req(w, req, err);
  if (!r) return -1;
  const char *arn = sim_req_str(req, "PermissionsBoundary", "permissionsBoundary", V, err);
  if (!arn) return -1;
  sim_set_str(r, "PermissionsBoundary", arn);
  (void)resp;
  return 0;
}

static int op_delete_boundary(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  cJSON *r = role_req(w, req, err);
  if (!r) return -1;
  sim_del(r, "PermissionsBoundary");
  (void)resp;
  return 0;
}

static const SimOp iam_ops[] = {
    {"CreateRole", op_create_role, true},
    {"GetRole", op_get_role, false},
    {"UpdateRole", op_update_role, true},
    {"UpdateRoleDescription", op_update_role_description, true},
    {"UpdateAssumeRolePolicy", op_update_assume_role_policy, true},
    {"DeleteRole", op_delete_role, true},
    {"PutRolePolicy", op_put_role_policy, true},
    {"GetRolePolicy", op_get_role_policy, false},
    {"DeleteRolePolicy", op_delete_role_policy, true},
    {"ListRolePolicies", op_list_role_policies, false},
    {"AttachRolePolicy", op_attach, true},
    {"DetachRolePolicy", op_detach, true},
    {"ListAttachedRolePolicies", op_list_attached, false},
    {"ListInstanceProfilesForRole", op_list_instance_profiles, false},
    {"TagRole", op_tag_role, true},
    {"UntagRole", op_untag_role, true},
    {"ListRoleTags", op_list_role_tags, false},
    {"PutRolePermissionsBoundary", op_put_boundary, true},
    {"DeleteRolePermissionsBoundary", op_delete_boundary, true},
};
const SimService sim_svc_iam = {"iam", iam_ops, sizeof iam_ops / sizeof iam_ops[0]};

static int op_get_caller_identity(SimWorld *w, const cJSON *req, cJSON **resp, AwsError *err) {
  (void)req;
  (void)err;
  *resp = cJSON_CreateObject();
  sim_set_str(*resp, "Account", sim_account(w));
  char *arn = xasprintf("arn:aws:iam::%s:user/tfc-sim", sim_account(w));
  sim_set_str(*resp, "Arn", arn);
  free(arn);
  sim_set_str(*resp, "UserId", "AIDASIMULATEDTFCUSER");
  return 0;
}

static const SimOp sts_ops[] = {{"GetCallerIdentity", op_get_caller_identity, false}};
const SimService sim_svc_sts = {"sts", sts_ops, 1};
