/*
** tests/unit/test_sim_iam.c — the simulator's IAM and STS operations: happy
** paths and each error with IAM's code, HTTP status and message.
*/
#include "sim_t.h"

static void test_create_get_role(void) {
  world(NULL);
  OK("iam", "CreateRole", "{\"RoleName\":\"exec\",\"Path\":\"/ml/\",\"Description\":\"d\",\"AssumeRolePolicyDocument\":\"" TRUST_SM "\"}");
  CHECK_STR(rs("Role.Arn"), "arn:aws:iam::123456789012:role/ml/exec");
  CHECK(strncmp(rs("Role.RoleId"), "AROA", 4) == 0 && strlen(rs("Role.RoleId")) == 21);
  CHECK_STR(rs("Role.CreateDate"), "2026-01-01T00:00:00Z");
  OK("iam", "GetRole", "{\"RoleName\":\"exec\"}");
  CHECK_STR(rs("Role.Path"), "/ml/");
  CHECK_INT(rn("Role.MaxSessionDuration"), 3600);
  /* policy documents come back URL-encoded, as from IAM */
  CHECK(strncmp(rs("Role.AssumeRolePolicyDocument"), "%7B%22Version%22", 16) == 0);
  sim_t_end();
}

static void test_create_role_errors(void) {
  world(NULL);
  OK("iam", "CreateRole", "{\"RoleName\":\"Exec\",\"AssumeRolePolicyDocument\":\"" TRUST_SM "\"}");
  /* names are unique case-insensitively */
  ERR("iam", "CreateRole", "{\"RoleName\":\"exec\",\"AssumeRolePolicyDocument\":\"" TRUST_SM "\"}", "EntityAlreadyExists",
      409, "Role with name exec already exists.");
  ERR("iam", "CreateRole", "{\"RoleName\":\"bad name\",\"AssumeRolePolicyDocument\":\"" TRUST_SM "\"}", "ValidationError",
      400, "1 validation error detected: Value 'bad name' at 'roleName' failed to satisfy constraint: Member must "
           "satisfy regular expression pattern: [\\w+=,.@-]+");
  ERR("iam", "CreateRole",
      "{\"RoleName\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"AssumeRolePolicyDocument\":\"" TRUST_SM "\"}",
      "ValidationError", 400, "*");
  CHECK(strstr(E.message, "Member must have length less than or equal to 64") != NULL);
  ERR("iam", "CreateRole", "{\"RoleName\":\"p\",\"Path\":\"ml\",\"AssumeRolePolicyDocument\":\"" TRUST_SM "\"}",
      "ValidationError", 400, "1 validation error detected: Value 'ml' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: *");
  ERR("iam", "CreateRole", "{\"RoleName\":\"m\",\"MaxSessionDuration\":60,\"AssumeRolePolicyDocument\":\"" TRUST_SM "\"}",
      "ValidationError", 400, "1 validation error detected: Value '60' at 'maxSessionDuration' failed to satisfy "
                              "constraint: Member must have value greater than or equal to 3600");
  ERR("iam", "CreateRole", "{\"RoleName\":\"j\",\"AssumeRolePolicyDocument\":\"{nope\"}", "MalformedPolicyDocument", 400,
      "This policy contains invalid Json");
  ERR("iam", "CreateRole", "{\"RoleName\":\"n\"}", "ValidationError", 400,
      "1 validation error detected: Value null at 'assumeRolePolicyDocument' failed to satisfy constraint: Member must not be null");
  /* principals naming roles are resolved when the policy is saved */
  ERR("iam", "CreateRole",
      "{\"RoleName\":\"x\",\"AssumeRolePolicyDocument\":\"{\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":"
      "{\\\"AWS\\\":\\\"arn:aws:iam::123456789012:role/ghost\\\"},\\\"Action\\\":\\\"sts:AssumeRole\\\"}]}\"}",
      "MalformedPolicyDocument", 400, "Invalid principal in policy: \"AWS\":\"arn:aws:iam::123456789012:role/ghost\"");
  sim_t_end();
}

static void test_trust_policy_quota(void) {
  world("trust_policy_limit=100");
  ERR("iam", "CreateRole", "{\"RoleName\":\"big\",\"AssumeRolePolicyDocument\":\"" TRUST_SM "\"}", "LimitExceeded", 409,
      "Cannot exceed quota for ACLSizePerRole: 100");
  sim_t_end();
}

static void test_get_missing_role(void) {
  world(NULL);
  ERR("iam", "GetRole", "{\"RoleName\":\"ghost\"}", "NoSuchEntity", 404, "The role with name ghost cannot be found.");
  ERR("iam", "DeleteRole", "{\"RoleName\":\"ghost\"}", "NoSuchEntity", 404, "The role with name ghost cannot be found.");
  sim_t_end();
}

static void test_update_role(void) {
  world(NULL);
  make_role(false);
  OK("iam", "UpdateRole", "{\"RoleName\":\"exec\",\"Description\":\"new\",\"MaxSessionDuration\":7200}");
  OK("iam", "GetRole", "{\"RoleName\":\"exec\"}");
  CHECK_STR(rs("Role.Description"), "new");
  CHECK_INT(rn("Role.MaxSessionDuration"), 7200);
  ERR("iam", "UpdateRole", "{\"RoleName\":\"exec\",\"MaxSessionDuration\":50000}", "ValidationError", 400, "*");
  OK("iam", "UpdateAssumeRolePolicy", "{\"RoleName\":\"exec\",\"PolicyDocument\":\"{\\\"Statement\\\":[]}\"}");
  ERR("iam", "UpdateAssumeRolePolicy", "{\"RoleName\":\"exec\",\"PolicyDocument\":\"[1]\"}", "MalformedPolicyDocument", 400,
      "This policy contains invalid Json");
  sim_t_end();
}

static void test_description_and_boundary(void) {
  world(NULL);
  make_role(false);
  OK("iam", "UpdateRoleDescription", "{\"RoleName\":\"exec\",\"Description\":\"runs models\"}");
  CHECK_STR(rs("Role.Description"), "runs models");
  ERR("iam", "UpdateRoleDescription", "{\"RoleName\":\"exec\"}", "ValidationError", 400,
      "1 validation error detected: Value null at 'description' failed to satisfy constraint: Member must not be null");
  OK("iam", "PutRolePermissionsBoundary", "{\"RoleName\":\"exec\",\"PermissionsBoundary\":\"arn:aws:iam::aws:policy/PowerUserAccess\"}");
  OK("iam", "GetRole", "{\"RoleName\":\"exec\"}");
  CHECK_STR(rs("Role.PermissionsBoundary.PermissionsBoundaryArn"), "arn:aws:iam::aws:policy/PowerUserAccess");
  CHECK_STR(rs("Role.PermissionsBoundary.PermissionsBoundaryType"), "Policy");
  OK("iam", "DeleteRolePermissionsBoundary", "{\"RoleName\":\"exec\"}");
  OK("iam", "GetRole", "{\"RoleName\":\"exec\"}");
  CHECK(rs("Role.PermissionsBoundary.PermissionsBoundaryArn") == NULL);
  ERR("iam", "PutRolePermissionsBoundary", "{\"RoleName\":\"ghost\",\"PermissionsBoundary\":\"x\"}", "NoSuchEntity", 404,
      "The role with name ghost cannot be found.");
  sim_t_end();
}

static void test_inline_policies(void) {
  world(NULL);
  make_role(true);
  OK("iam", "ListRolePolicies", "{\"RoleName\":\"exec\"}");
  CHECK_STR(rs("PolicyNames.0"), "s3");
  OK("iam", "GetRolePolicy", "{\"RoleName\":\"exec\",\"PolicyName\":\"s3\"}");
  CHECK_STR(rs("RoleName"), "exec");
  CHECK(strncmp(rs("PolicyDocument"), "%7B", 3) == 0);
  ERR("iam", "GetRolePolicy", "{\"RoleName\":\"exec\",\"PolicyName\":\"nope\"}", "NoSuchEntity", 404,
      "The role policy with name nope cannot be found.");
  ERR("iam", "PutRolePolicy", "{\"RoleName\":\"exec\",\"PolicyName\":\"p\",\"PolicyDocument\":\"{\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":\\\"s3:*\\\"}]}\"}",
      "MalformedPolicyDocument", 400, "Policy statement must contain resources.");
  ERR("iam", "DeleteRole", "{\"RoleName\":\"exec\"}", "DeleteConflict", 409, "Cannot delete entity, must delete policies first.");
  OK("iam", "DeleteRolePolicy", "{\"RoleName\":\"exec\",\"PolicyName\":\"s3\"}");
  ERR("iam", "DeleteRolePolicy", "{\"RoleName\":\"exec\",\"PolicyName\":\"s3\"}", "NoSuchEntity", 404,
      "The role policy with name s3 cannot be found.");
  OK("iam", "DeleteRole", "{\"RoleName\":\"exec\"}");
  sim_t_end();
}

/* The 10,240-character quota counts all inline policies, whitespace excluded. */
static void test_inline_policy_quota(void) {
  world(NULL);
  make_role(false);
  Buf doc = BUF_INIT;
  buf_puts(&doc, "{\"RoleName\":\"exec\",\"PolicyName\":\"big\",\"PolicyDocument\":\"{\\\"Statement\\\":[{\\\"Effect\\\":"
                 "\\\"Allow\\\",\\\"Action\\\":\\\"s3:GetObject\\\",\\\"Resource\\\":[");
  for (int i = 0; i < 220; i++) buf_printf(&doc, "%s\\\"arn:aws:s3:::bucket-%03d/some/prefix/with/words/*\\\"", i ? "," : "", i);
  buf_puts(&doc, "]}]}\"}");
  ERR("iam", "PutRolePolicy", doc.s, "LimitExceeded", 409, "Maximum policy size of 10240 bytes exceeded for role exec");
  buf_free(&doc);
  /* two halves fit one by one until their sum exceeds the quota */
  Buf half = BUF_INIT;
  for (int k = 0; k < 2; k++) {
    buf_free(&half);
    buf_printf(&half, "{\"RoleName\":\"exec\",\"PolicyName\":\"p%d\",\"PolicyDocument\":\"{\\\"Statement\\\":[{\\\"Effect\\\":"
                      "\\\"Allow\\\",\\\"Action\\\":\\\"s3:GetObject\\\",\\\"Resource\\\":[", k);
    for (int i = 0; i < 110; i++) buf_printf(&half, "%s\\\"arn:aws:s3:::bucket-%03d/some/prefix/with/words/*\\\"", i ? "," : "", i);
    buf_puts(&half, "]}]}\"}");
    if (k == 0) OK("iam", "PutRolePolicy", half.s);
    else ERR("iam", "PutRolePolicy", half.s, "LimitExceeded", 409, "Maximum policy size of 10240 bytes exceeded for role exec");
  }
  buf_free(&half);
  sim_t_end();
}

static void test_attached_policies(void) {
  world(NULL);
  make_role(false);
  OK("iam", "AttachRolePolicy", "{\"RoleName\":\"exec\",\"PolicyArn\":\"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess\"}");
  OK("iam", "ListAttachedRolePolicies", "{\"RoleName\":\"exec\"}");
  CHECK_STR(rs("AttachedPolicies.0.PolicyName"), "AmazonS3ReadOnlyAccess");
  ERR("iam", "AttachRolePolicy", "{\"RoleName\":\"exec\",\"PolicyArn\":\"arn:aws:iam::aws:policy/Nope\"}", "NoSuchEntity", 404,
      "Policy arn:aws:iam::aws:policy/Nope does not exist or is not attachable.");
  ERR("iam", "DeleteRole", "{\"RoleName\":\"exec\"}", "DeleteConflict", 409, "Cannot delete entity, must detach all policies first.");
  cJSON *role = sim_iam_role_by_arn(W, ROLE_ARN);
  CHECK(sim_iam_allows(W, role, "s3:GetObject", "arn:aws:s3:::any/key"));
  CHECK(!sim_iam_allows(W, role, "s3:PutObject", "arn:aws:s3:::any/key"));
  OK("iam", "DetachRolePolicy", "{\"RoleName\":\"exec\",\"PolicyArn\":\"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess\"}");
  OK("iam", "ListInstanceProfilesForRole", "{\"RoleName\":\"exec\"}");
  OK("iam", "DeleteRole", "{\"RoleName\":\"exec\"}");
  sim_t_end();
}

static void test_policy_evaluation(void) {
  world(NULL);
  make_role(true);
  cJSON *role = sim_iam_role_by_arn(W, ROLE_ARN);
  CHECK(sim_iam_trusts(role, "sagemaker.amazonaws.com"));
  CHECK(!sim_iam_trusts(role, "lambda.amazonaws.com"));
  CHECK(sim_iam_allows(W, role, "s3:GetObject", "arn:aws:s3:::models/v1/model.tar.gz"));
  CHECK(sim_iam_allows(W, role, "S3:getobject", "arn:aws:s3:::models/x")); /* actions are case-insensitive */
  CHECK(!sim_iam_allows(W, role, "s3:GetObject", "arn:aws:s3:::other/x"));
  /* an explicit Deny wins */
  OK("iam", "PutRolePolicy", "{\"RoleName\":\"exec\",\"PolicyName\":\"deny\",\"PolicyDocument\":\"{\\\"Statement\\\":{\\\"Effect\\\":"
                             "\\\"Deny\\\",\\\"Action\\\":\\\"s3:*\\\",\\\"Resource\\\":\\\"arn:aws:s3:::models/secret/*\\\"}}\"}");
  role = sim_iam_role_by_arn(W, ROLE_ARN);
  CHECK(!sim_iam_allows(W, role, "s3:GetObject", "arn:aws:s3:::models/secret/m.tar.gz"));
  CHECK(sim_iam_allows(W, role, "s3:GetObject", "arn:aws:s3:::models/v1/m.tar.gz"));
  sim_t_end();
}

static void test_role_tags(void) {
  world(NULL);
  make_role(false);
  OK("iam", "TagRole", "{\"RoleName\":\"exec\",\"Tags\":[{\"Key\":\"team\",\"Value\":\"ml\"},{\"Key\":\"env\",\"Value\":\"dev\"}]}");
  OK("iam", "UntagRole", "{\"RoleName\":\"exec\",\"TagKeys\":[\"env\"]}");
  OK("iam", "ListRoleTags", "{\"RoleName\":\"exec\"}");
  CHECK_STR(rs("Tags.0.Key"), "team");
  CHECK(rs("Tags.1.Key") == NULL);
  ERR("iam", "TagRole", "{\"RoleName\":\"exec\",\"Tags\":[{\"Value\":\"x\"}]}", "ValidationError", 400, "*");
  sim_t_end();
}

static void test_caller_identity(void) {
  world(NULL);
  OK("sts", "GetCallerIdentity", NULL);
  CHECK_STR(rs("Account"), "123456789012");
  CHECK_STR(rs("Arn"), "arn:aws:iam::123456789012:user/tfc-sim");
  world("account_id=210987654321");
  OK("sts", "GetCallerIdentity", NULL);
  CHECK_STR(rs("Account"), "210987654321");
  sim_t_end();
}

static void test_unknown_operation(void) {
  world(NULL);
  ERR("iam", "CreateUser", NULL, "UnknownOperationException", 400, "The simulator does not implement iam:CreateUser.");
  ERR("ec2", "RunInstances", NULL, "UnknownServiceException", 400, "*");
  sim_t_end();
}

int main(void) {
  RUN(test_create_get_role);
  RUN(test_create_role_errors);
  RUN(test_trust_policy_quota);
  RUN(test_get_missing_role);
  RUN(test_update_role);
  RUN(test_description_and_boundary);
  RUN(test_inline_policies);
  RUN(test_inline_policy_quota);
  RUN(test_attached_policies);
  RUN(test_policy_evaluation);
  RUN(test_role_tags);
  RUN(test_caller_identity);
  RUN(test_unknown_operation);
  return T_END();
}
