/*
** tests/unit/test_https.c — the HTTPS transport's parts that need no AWS:
** the shared-config INI parser, credential/region/endpoint resolution, the
** Query encoding and XML decoding, error mapping, and retries against a
** scripted HTTP server on 127.0.0.1.
*/
#include "t.h"

#include "base/buf.h"
#include "base/util.h"
#include "providers/https/https.h"
#include "providers/https/ini.h"
#include "providers/https/wire.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------------- INI */

static void test_ini_basic(void) {
  const char *text = "\xef\xbb\xbf# comment\n"
                     "; another\n"
                     "[default]\r\n"
                     "aws_access_key_id = AKIDDEFAULT\r\n"
                     "AWS_Secret_Access_Key=secret=with=equals\n"
                     "  \n"
                     "[ profile dev ]\n"
                     "region: eu-west-1\n"
                     "s3 =\n"
                     "  max_concurrent_requests = 10\n"
                     "  region = not-this-one\n"
                     "output = json # not a comment\n"
                     "region = eu-west-2\n";
  IniFile f = {0};
  ini_parse(text, strlen(text), &f);
  CHECK_INT(f.bad_lines, 0);
  CHECK_STR(ini_get(&f, "default", "aws_access_key_id"), "AKIDDEFAULT");
  CHECK_STR(ini_get(&f, "default", "aws_secret_access_key"), "secret=with=equals");
  CHECK_STR(ini_get(&f, "profile dev", "region"), "eu-west-2"); /* last wins, nested ignored */
  CHECK_STR(ini_get(&f, "profile dev", "output"), "json # not a comment");
  CHECK_STR(ini_get(&f, "profile dev", "s3"), "");
  CHECK_STR(ini_get(&f, "profile dev", "s3.max_concurrent_requests"), "10");
  CHECK_STR(ini_get(&f, "profile dev", "s3.region"), "not-this-one");
  CHECK_STR(ini_profile_get(&f, 1, "dev", "region"), "eu-west-2");
  CHECK(ini_profile_get(&f, 0, "dev", "region") == NULL); /* credentials style: no "profile " prefix */
  CHECK_STR(ini_profile_get(&f, 1, "default", "aws_access_key_id"), "AKIDDEFAULT");
  CHECK(ini_has_profile(&f, 1, "dev"));
  CHECK(!ini_has_profile(&f, 1, "prod"));
  ini_free(&f);
}

static void test_ini_bad_lines(void) {
  const char text[] = "orphan = before any section\n"
                      "[ok]\n"
                      "no delimiter here\n"
                      "[unterminated\n"
                      "= novalue\n"
                      "k\0x = v\n"
                      "good = yes";
  IniFile f = {0};
  ini_parse(text, sizeof text - 1, &f);
  CHECK_INT(f.bad_lines, 5);
  CHECK_INT(f.first_bad_line, 1);
  CHECK_STR(ini_get(&f, "ok", "good"), "yes");
  ini_free(&f);
  IniFile e = {0};
  ini_parse("", 0, &e);
  CHECK_INT(e.n, 0);
  ini_free(&e);
}

static void test_ini_profile_sections(void) {
  const char *text = "[profile\tspaced]\nregion = a\n[default]\nregion = d\n[plain]\nregion = p\n[profilex]\nregion=x\n";
  IniFile f = {0};
  ini_parse(text, strlen(text), &f);
  CHECK_STR(ini_profile_get(&f, 1, "spaced", "region"), "a");
  CHECK_STR(ini_profile_get(&f, 1, "default", "region"), "d");
  CHECK(ini_profile_get(&f, 1, "plain", "region") == NULL); /* config sections need "profile " */
  CHECK(ini_profile_get(&f, 1, "x", "region") == NULL);
  CHECK_STR(ini_profile_get(&f, 0, "plain", "region"), "p");
  ini_free(&f);
}

/* ------------------------------------------------------------ resolution */

static char home[256];

static void write_file(const char *rel, const char *text) {
  char *p = xasprintf("%s/%s", home, rel);
  FILE *f = fopen(p, "w");
  fputs(text, f);
  fclose(f);
  free(p);
}

/* A clean environment: a fresh HOME, no AWS_* variables. */
static void clean_env(void) {
  static const char *const VARS[] = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION",
                                     "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_CONFIG_FILE",
                                     "AWS_SHARED_CREDENTIALS_FILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_IAM",
                                     "AWS_ENDPOINT_URL_SAGEMAKER", "AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING",
                                     "AWS_MAX_ATTEMPTS", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TFC_HTTPS_TRACE", NULL};
  for (int i = 0; VARS[i]; i++) unsetenv(VARS[i]);
  if (!*home) {
    snprintf(home, sizeof home, "/tmp/tfc-https-test-XXXXXX");
    if (!mkdtemp(home)) abort();
  }
  char *aws = xasprintf("%s/.aws", home);
  mkdir(aws, 0700);
  char *c = xasprintf("%s/config", aws), *k = xasprintf("%s/credentials", aws);
  unlink(c);
  unlink(k);
  free(c);
  free(k);
  free(aws);
  setenv("HOME", home, 1);
}

static const char *first_summary(const DiagList *d) {
  return d->n ? d->v[0].summary : "(none)";
}

static int diag_mentions(const DiagList *d, const char *needle) {
  for (size_t i = 0; i < d->n; i++)
    if ((d->v[i].detail && strstr(d->v[i].detail, needle)) || strstr(d->v[i].summary, needle)) return 1;
  return 0;
}

static void test_creds_block_and_env(void) {
  clean_env();
  DiagList d = {0};
  HttpsConfig cfg = {.region = "eu-west-1", .access_key = "AKIDBLOCK", .secret_key = "SECRETBLOCK"};
  setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "SECRETENV", 1);
  AwsTransport *t = https_open(&cfg, &d);
  CHECK(t != NULL);
  if (t) {
    CHECK_STR(https_credential_source(t), "provider configuration");
    CHECK_STR(https_region(t), "eu-west-1");
    t->close(t);
  }
  HttpsConfig cfg2 = {0};
  setenv("AWS_DEFAULT_REGION", "ap-south-1", 1);
  t = https_open(&cfg2, &d);
  CHECK(t != NULL);
  if (t) {
    CHECK_STR(https_credential_source(t), "environment");
    CHECK_STR(https_region(t), "ap-south-1");
    t->close(t);
  }
  setenv("AWS_REGION", "us-west-2", 1);
  t = https_open(&cfg2, &d);
  if (t) {
    CHECK_STR(https_region(t), "us-west-2"); /* AWS_REGION beats AWS_DEFAULT_REGION */
    t->close(t);
  }
  CHECK_INT(d.n, 0);
  /* half of a key pair in the block is an error, not a silent fallback */
  HttpsConfig half = {.region = "us-east-1", .access_key = "AKID"};
  CHECK(https_open(&half, &d) == NULL);
  CHECK_STR(first_summary(&d), "Incomplete AWS credentials in the provider configuration");
  diag_free(&d);
}

static void test_creds_profiles(void) {
  clean_env();
  write_file(".aws/credentials", "[default]\naws_access_key_id = AKIDDEF\naws_secret_access_key = SKDEF\n"
                                 "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = SKDEV\n"
                                 "aws_session_token = TOKDEV\n");
  write_file(".aws/config", "[default]\nregion = us-east-2\n[profile dev]\nregion = eu-central-1\n"
                            "[profile cfgonly]\naws_access_key_id = AKIDCFG\naws_secret_access_key = SKCFG\n"
                            "region = sa-east-1\nendpoint_url = http://127.0.0.1:9/\nservices = local\n"
                            "[services local]\nsagemaker =\n  endpoint_url = http://sm:1\n"
                            "application_auto_scaling =\n  endpoint_url = http://aas:2\n"
                            "[profile assume]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = dev\n");
  DiagList d = {0};
  HttpsConfig cfg = {0};
  AwsTransport *t = https_open(&cfg, &d);
  CHECK(t != NULL);
  if (t) {
    CHECK_STR(https_credential_source(t), "profile default");
    CHECK_STR(https_region(t), "us-east-2");
    t->close(t);
  }
  setenv("AWS_PROFILE", "dev", 1);
  t = https_open(&cfg, &d);
  if (t) {
    CHECK_STR(https_credential_source(t), "profile dev");
    CHECK_STR(https_region(t), "eu-central-1");
    t->close(t);
  }
  /* a profile in the provider block beats keys in the environment */
  setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "SECRETENV", 1);
  HttpsConfig cfgonly = {.profile = "cfgonly"};
  t = https_open(&cfgonly, &d);
  CHECK(t != NULL);
  if (t) {
    CHECK_STR(https_credential_source(t), "profile cfgonly");
    CHECK_STR(https_region(t), "sa-east-1");
    char *u = https_endpoint_url(t, "sns");
    CHECK_STR(u, "http://127.0.0.1:9/"); /* the profile's endpoint_url */
    free(u);
    u = https_endpoint_url(t, "sagemaker");
    CHECK_STR(u, "http://sm:1"); /* its [services] entry comes first */
    free(u);
    u = https_endpoint_url(t, "application-autoscaling");
    CHECK_STR(u, "http://aas:2");
    free(u);
    t->close(t);
  }
  CHECK_INT(d.n, 0);
  HttpsConfig assume = {.profile = "assume", .region = "us-east-1"};
  CHECK(https_open(&assume, &d) == NULL);
  CHECK_STR(first_summary(&d), "Unsupported AWS profile");
  diag_free(&d);
  HttpsConfig missing = {.profile = "nope", .region = "us-east-1"};
  CHECK(https_open(&missing, &d) == NULL);
  CHECK_STR(first_summary(&d), "failed to get shared config profile");
  diag_free(&d);
}

static void test_creds_missing(void) {
  clean_env();
  DiagList d = {0};
  HttpsConfig cfg = {.region = "us-east-1"};
  CHECK(https_open(&cfg, &d) == NULL);
  CHECK_STR(first_summary(&d), "No valid credential sources found");
  CHECK(diag_mentions(&d, "AWS_ACCESS_KEY_ID"));
  diag_free(&d);
  setenv("AWS_ACCESS_KEY_ID", "AKID", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "SK-NEVER-SHOWN", 1);
  HttpsConfig noregion = {0};
  CHECK(https_open(&noregion, &d) == NULL);
  CHECK_STR(first_summary(&d), "Missing AWS region");
  CHECK(!diag_mentions(&d, "SK-NEVER-SHOWN"));
  diag_free(&d);
  /* a config file with nonsense lines: a warning naming the line, never its text */
  write_file(".aws/config", "[default]\nregion = us-east-1\nSK-NEVER-SHOWN-EITHER\n");
  AwsTransport *t = https_open(&noregion, &d);
  CHECK(t != NULL);
  if (t) t->close(t);
  CHECK_INT(d.n, 1);
  CHECK(d.n && d.v[0].severity == DIAG_WARNING);
  CHECK(diag_mentions(&d, "line 3"));
  CHECK(!diag_mentions(&d, "SK-NEVER-SHOWN-EITHER"));
  diag_free(&d);
}

static void test_endpoints(void) {
  clean_env();
  setenv("AWS_ACCESS_KEY_ID", "AKID", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "SK", 1);
  DiagList d = {0};
  HttpsConfig cfg = {.region = "eu-west-1"};
  AwsTransport *t = https_open(&cfg, &d);
  struct {
    const char *svc, *url;
  } want[] = {{"sagemaker", "https://api.sagemaker.eu-west-1.amazonaws.com"},
              {"sagemaker-runtime", "https://runtime.sagemaker.eu-west-1.amazonaws.com"},
              {"iam", "https://iam.amazonaws.com"},
              {"sts", "https://sts.eu-west-1.amazonaws.com"},
              {"sns", "https://sns.eu-west-1.amazonaws.com"},
              {"monitoring", "https://monitoring.eu-west-1.amazonaws.com"},
              {"application-autoscaling", "https://application-autoscaling.eu-west-1.amazonaws.com"}};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    char *u = https_endpoint_url(t, want[i].svc);
    CHECK_STR(u, want[i].url);
    free(u);
  }
  CHECK(https_endpoint_url(t, "s3") == NULL);
  t->close(t);

  HttpsConfig cn = {.region = "cn-north-1"};
  t = https_open(&cn, &d);
  char *u = https_endpoint_url(t, "sagemaker");
  CHECK_STR(u, "https://api.sagemaker.cn-north-1.amazonaws.com.cn");
  free(u);
  u = https_endpoint_url(t, "iam");
  CHECK_STR(u, "https://iam.cn-north-1.amazonaws.com.cn");
  free(u);
  t->close(t);

  /* provider block > service variable > global variable */
  setenv("AWS_ENDPOINT_URL", "http://global:1", 1);
  setenv("AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING", "http://aas:2", 1);
  setenv("AWS_ENDPOINT_URL_IAM", "http://iam-env:3", 1);
  HttpsEndpoint eps[] = {{"applicationautoscaling", "http://second-key:5"}, {"iam", "http://iam-block:4"},
                         {"appautoscaling", "http://first-key:6"}};
  HttpsConfig ov = {.region = "us-east-1", .endpoints = eps, .nendpoints = 3};
  t = https_open(&ov, &d);
  u = https_endpoint_url(t, "iam");
  CHECK_STR(u, "http://iam-block:4");
  free(u);
  u = https_endpoint_url(t, "application-autoscaling");
  CHECK_STR(u, "http://first-key:6"); /* appautoscaling is the first key */
  free(u);
  u = https_endpoint_url(t, "sns");
  CHECK_STR(u, "http://global:1");
  free(u);
  t->close(t);
  HttpsConfig plain = {.region = "us-east-1"};
  t = https_open(&plain, &d);
  u = https_endpoint_url(t, "application-autoscaling");
  CHECK_STR(u, "http://aas:2");
  free(u);
  t->close(t);
  setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true", 1);
  t = https_open(&plain, &d);
  u = https_endpoint_url(t, "sns");
  CHECK_STR(u, "https://sns.us-east-1.amazonaws.com");
  free(u);
  t->close(t);
  CHECK_INT(d.n, 0);
  diag_free(&d);
}

static void test_provider_block(void) {
  clean_env();
  write_file(".aws/alt-credentials", "[ml]\naws_access_key_id = AKIDALT\naws_secret_access_key = SKALT\n");
  char *blk = xasprintf("{\"region\":\"eu-west-3\",\"profile\":\"ml\",\"access_key\":null,"
                        "\"shared_credentials_files\":[\"%s/.aws/alt-credentials\"],\"max_retries\":0,"
                        "\"endpoints\":[{\"sagemaker\":\"http://sm:1\",\"iam\":\"\",\"s3\":\"http://s3\"}],"
                        "\"assume_role\":[]}",
                        home);
  cJSON *j = cJSON_Parse(blk);
  free(blk);
  DiagList d = {0};
  AwsTransport *t = https_open_provider_block(j, &d);
  CHECK(t != NULL);
  if (t) {
    CHECK_STR(https_credential_source(t), "profile ml");
    CHECK_STR(https_region(t), "eu-west-3");
    char *u = https_endpoint_url(t, "sagemaker");
    CHECK_STR(u, "http://sm:1");
    free(u);
    u = https_endpoint_url(t, "iam"); /* "" means not set, as in the provider schema */
    CHECK_STR(u, "https://iam.amazonaws.com");
    free(u);
    t->close(t);
  }
  cJSON_Delete(j);
  CHECK_INT(d.n, 0);
  /* assume_role would run calls with the base credentials: refused */
  j = cJSON_Parse("{\"region\":\"us-east-1\",\"access_key\":\"A\",\"secret_key\":\"S\","
                  "\"assume_role\":[{\"role_arn\":\"arn:aws:iam::111111111111:role/deploy\"}]}");
  CHECK(https_open_provider_block(j, &d) == NULL);
  CHECK_STR(first_summary(&d), "Unsupported provider configuration");
  cJSON_Delete(j);
  diag_free(&d);
}

/* ------------------------------------------------------------------ wire */

static void test_query_encode(void) {
  cJSON *req = cJSON_Parse("{\"RoleName\":\"a b&c\",\"MaxSessionDuration\":3600,\"Ratio\":0.1,\"Flag\":true,"
                           "\"Tags\":[{\"Key\":\"k\",\"Value\":\"v=1\"},{\"Key\":\"\\u00e9\",\"Value\":\"\"}],"
                           "\"Names\":[\"x\"],\"Empty\":[],\"Nothing\":null,"
                           "\"Nested\":{\"Inner\":{\"Deep\":\"d\"}}}");
  char *q = wire_query_encode("iam", "CreateRole", "2010-05-08", req);
  CHECK_STR(q, "Action=CreateRole&Version=2010-05-08&RoleName=a%20b%26c&MaxSessionDuration=3600&Ratio=0.1"
               "&Flag=true&Tags.member.1.Key=k&Tags.member.1.Value=v%3D1&Tags.member.2.Key=%C3%A9"
               "&Tags.member.2.Value=&Names.member.1=x&Empty=&Nested.Inner.Deep=d");
  free(q);
  cJSON_Delete(req);
  req = cJSON_Parse("{\"Name\":\"t\",\"Attributes\":{\"DisplayName\":\"D\",\"Policy\":\"{}\"}}");
  q = wire_query_encode("sns", "CreateTopic", "2010-03-31", req);
  CHECK_STR(q, "Action=CreateTopic&Version=2010-03-31&Name=t&Attributes.entry.1.key=DisplayName"
               "&Attributes.entry.1.value=D&Attributes.entry.2.key=Policy&Attributes.entry.2.value=%7B%7D");
  free(q);
  cJSON_Delete(req);
  q = wire_query_encode("sts", "GetCallerIdentity", "2011-06-15", NULL);
  CHECK_STR(q, "Action=GetCallerIdentity&Version=2011-06-15");
  free(q);
}

static char *decode_str(const char *svc, const char *op, const char *xml, int status, AwsError *err) {
  cJSON *out = NULL;
  if (wire_query_decode(svc, op, xml, strlen(xml), status, &out, err) != 0) return NULL;
  char *s = cJSON_PrintUnformatted(out);
  cJSON_Delete(out);
  return s;
}

static void test_xml_decode(void) {
  AwsError err = {0};
  char *s = decode_str("iam", "GetRole",
                       "<?xml version=\"1.0\"?>\n<GetRoleResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                       "<GetRoleResult><Role><Path>/</Path><RoleName>r</RoleName><Description>a &amp; b</Description>"
                       "<MaxSessionDuration>3600</MaxSessionDuration><Tags/><RoleLastUsed/>"
                       "<AssumeRolePolicyDocument>%7B%7D</AssumeRolePolicyDocument></Role></GetRoleResult>"
                       "<ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></GetRoleResponse>",
                       200, &err);
  CHECK_STR(s, "{\"Role\":{\"Path\":\"/\",\"RoleName\":\"r\",\"Description\":\"a & b\",\"MaxSessionDuration\":3600,"
               "\"Tags\":[],\"RoleLastUsed\":{},\"AssumeRolePolicyDocument\":\"%7B%7D\"}}");
  free(s);
  s = decode_str("monitoring", "DescribeAlarms",
                 "<DescribeAlarmsResponse><DescribeAlarmsResult><MetricAlarms><member><AlarmName>a</AlarmName>"
                 "<Threshold>80.5</Threshold><Period>60</Period><ActionsEnabled>false</ActionsEnabled>"
                 "<AlarmActions><member>arn:1</member></AlarmActions><OKActions/><Dimensions><member><Name>n</Name>"
                 "<Value>v</Value></member></Dimensions></member></MetricAlarms><CompositeAlarms/>"
                 "</DescribeAlarmsResult></DescribeAlarmsResponse>",
                 200, &err);
  CHECK_STR(s, "{\"MetricAlarms\":[{\"AlarmName\":\"a\",\"Threshold\":80.5,\"Period\":60,\"ActionsEnabled\":false,"
               "\"AlarmActions\":[\"arn:1\"],\"OKActions\":[],\"Dimensions\":[{\"Name\":\"n\",\"Value\":\"v\"}]}],"
               "\"CompositeAlarms\":[]}");
  free(s);
  s = decode_str("sns", "GetTopicAttributes",
                 "<GetTopicAttributesResponse><GetTopicAttributesResult><Attributes><entry><key>Owner</key>"
                 "<value>1</value></entry><entry><key>DisplayName</key><value></value></entry></Attributes>"
                 "</GetTopicAttributesResult></GetTopicAttributesResponse>",
                 200, &err);
  CHECK_STR(s, "{\"Attributes\":{\"Owner\":\"1\",\"DisplayName\":\"\"}}");
  free(s);
  /* an operation without a table row still gets lists from <member> */
  s = decode_str("iam", "ListUsers",
                 "<ListUsersResponse><ListUsersResult><Users><member><UserName>u</UserName></member></Users>"
                 "</ListUsersResult></ListUsersResponse>",
                 200, &err);
  CHECK_STR(s, "{\"Users\":[{\"UserName\":\"u\"}]}");
  free(s);
  /* no Result element: an empty output */
  s = decode_str("iam", "DeleteRole", "<DeleteRoleResponse><ResponseMetadata/></DeleteRoleResponse>", 200, &err);
  CHECK_STR(s, "{}");
  free(s);
  aws_error_clear(&err);
}

static void test_xml_errors(void) {
  AwsError err = {0};
  CHECK(decode_str("iam", "GetRole",
                   "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type>"
                   "<Code>NoSuchEntity</Code><Message>The role with name x cannot be found.</Message></Error>"
                   "<RequestId>1</RequestId></ErrorResponse>",
                   404, &err) == NULL);
  CHECK_STR(err.code, "NoSuchEntity");
  CHECK_STR(err.message, "The role with name x cannot be found.");
  CHECK_INT(err.http_status, 404);
  CHECK(decode_str("sts", "GetCallerIdentity", "<not xml", 200, &err) == NULL);
  CHECK_STR(err.code, "MalformedResponse");
  CHECK(decode_str("sts", "GetCallerIdentity",
                   "<!DOCTYPE x [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]><x>&b;</x>", 200, &err) == NULL);
  CHECK_STR(err.code, "MalformedResponse");
  CHECK(strstr(err.message, "DTD") != NULL);
  Buf deep = BUF_INIT;
  for (int i = 0; i < 100; i++) buf_puts(&deep, "<a>");
  for (int i = 0; i < 100; i++) buf_puts(&deep, "</a>");
  CHECK(decode_str("sts", "GetCallerIdentity", deep.s, 200, &err) == NULL);
  CHECK(strstr(err.message, "deeply") != NULL);
  buf_free(&deep);
  aws_error_clear(&err);
}

static void test_error_mapping(void) {
  AwsError err = {0};
  const char *b = "{\"__type\":\"com.amazon.coral.validate#ValidationException\",\"message\":\"Could not find model\"}";
  wire_error(b, strlen(b), 400, NULL, &err);
  CHECK_STR(err.code, "ValidationException");
  CHECK_STR(err.message, "Could not find model");
  b = "{\"__type\":\"ObjectNotFoundException\",\"Message\":\"No scalable target\"}";
  wire_error(b, strlen(b), 400, NULL, &err);
  CHECK_STR(err.code, "ObjectNotFoundException");
  CHECK_STR(err.message, "No scalable target");
  b = "{\"ErrorCode\":\"CLIENT_ERROR\",\"Message\":\"m\"}";
  wire_error(b, strlen(b), 424, "ModelError:http://internal.amazon.com/coral/com.amazon.sagemaker/", &err);
  CHECK_STR(err.code, "CLIENT_ERROR");
  wire_error("{}", 2, 424, "ModelError:http://internal.amazon.com/", &err);
  CHECK_STR(err.code, "ModelError");
  CHECK_INT(err.http_status, 424);
  b = "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>slow</Message></Error></Errors></Response>";
  wire_error(b, strlen(b), 503, NULL, &err);
  CHECK_STR(err.code, "RequestLimitExceeded");
  wire_error("<html>bad gateway</html>", 24, 502, NULL, &err);
  CHECK_STR(err.code, "InternalFailure");
  wire_error("", 0, 403, NULL, &err);
  CHECK_STR(err.code, "AccessDenied");
  aws_error_clear(&err);
}

static void test_json_timestamps(void) {
  cJSON *j = cJSON_Parse("{\"CreationTime\":1795818897.014,\"X\":{\"LastModifiedTime\":0},"
                         "\"List\":[{\"StartTime\":1795818897}],\"Other\":12,\"CreationTimeStr\":\"s\"}");
  wire_json_timestamps(j);
  char *s = cJSON_PrintUnformatted(j);
  CHECK_STR(s, "{\"CreationTime\":\"2026-11-27T22:34:57.014Z\",\"X\":{\"LastModifiedTime\":\"1970-01-01T00:00:00Z\"},"
               "\"List\":[{\"StartTime\":\"2026-11-27T22:34:57Z\"}],\"Other\":12,\"CreationTimeStr\":\"s\"}");
  free(s);
  cJSON_Delete(j);
}

/* --------------------------------------------------------------- retries */

/* A loopback HTTP server answering each connection with the next scripted
** response (the last one repeats); it records every request it read. */
typedef struct Script {
  int fd, port;
  const char *const *responses;
  int nresp;
  int served;
  int hang;          /* accept but never answer */
  Buf seen;          /* every request, concatenated */
  pthread_t th;
} Script;

static void *serve(void *ud) {
  Script *s = ud;
  for (;;) {
    int c = accept(s->fd, NULL, NULL);
    if (c < 0) return NULL;
    Buf req = BUF_INIT;
    char tmp[4096];
    long want = -1;
    for (;;) {
      ssize_t n = read(c, tmp, sizeof tmp);
      if (n <= 0) break;
      buf_add(&req, tmp, (size_t)n);
      char *hend = strstr(req.s, "\r\n\r\n");
      if (hend && want < 0) {
        char *cl = strcasestr(req.s, "Content-Length:");
        want = (long)(hend + 4 - req.s) + (cl && cl < hend ? atol(cl + 15) : 0);
      }
      if (want >= 0 && (long)req.len >= want) break;
    }
    if (req.s && strstr(req.s, "QUIT")) {
      buf_free(&req);
      close(c);
      return NULL;
    }
    buf_add(&s->seen, req.s ? req.s : "", req.len);
    buf_free(&req);
    if (s->hang) {
      usleep(600 * 1000);
      close(c);
      continue;
    }
    const char *r = s->responses[s->served < s->nresp ? s->served : s->nresp - 1];
    s->served++;
    if (write(c, r, strlen(r)) < 0) { /* the client gave up: fine */
    }
    close(c);
  }
}

static void script_start(Script *s) {
  s->fd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  bind(s->fd, (struct sockaddr *)&a, sizeof a);
  socklen_t l = sizeof a;
  getsockname(s->fd, (struct sockaddr *)&a, &l);
  s->port = ntohs(a.sin_port);
  listen(s->fd, 16);
  pthread_create(&s->th, NULL, serve, s);
}

static void script_stop(Script *s) {
  /* wake the accept loop with a request it recognises as the end */
  int c = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port),
                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (connect(c, (struct sockaddr *)&a, sizeof a) == 0 && write(c, "QUIT\r\n\r\n", 8) < 0) {
  }
  close(c);
  pthread_join(s->th, NULL);
  close(s->fd);
  buf_free(&s->seen);
}

static AwsTransport *open_at(int port, int attempts) {
  clean_env();
  char *url = xasprintf("http://127.0.0.1:%d", port);
  setenv("AWS_ENDPOINT_URL", url, 1);
  free(url);
  DiagList d = {0};
  HttpsConfig cfg = {.region = "us-east-1", .access_key = "AKIDTEST", .secret_key = "SECRET-MUST-NOT-TRAVEL",
                     .token = "TOKEN-VALUE", .max_attempts = attempts, .backoff_base_ms = 2, .backoff_max_ms = 20,
                     .timeout_ms = 300, .connect_timeout_ms = 300};
  AwsTransport *t = https_open(&cfg, &d);
  diag_free(&d);
  return t;
}

#define OK_JSON "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 26\r\nConnection: close\r\n\r\n{\"EndpointName\":\"e\",\"A\":1}"
#define E503 "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
#define THROTTLE "HTTP/1.1 400 Bad Request\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 56\r\nConnection: close\r\n\r\n{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceed\"}"
#define INVALID "HTTP/1.1 400 Bad Request\r\nContent-Length: 57\r\nConnection: close\r\n\r\n{\"__type\":\"ValidationException\",\"message\":\"bad name !!!\"}"

static int count(const char *hay, const char *needle) {
  int n = 0;
  for (const char *p = hay; p && (p = strstr(p, needle)); p++) n++;
  return n;
}

static void test_retry_5xx_then_ok(void) {
  static const char *const R[] = {E503, E503, OK_JSON};
  Script s = {.responses = R, .nresp = 3};
  script_start(&s);
  AwsTransport *t = open_at(s.port, 5);
  cJSON *req = cJSON_Parse("{\"EndpointName\":\"e\"}"), *resp = NULL;
  AwsError err = {0};
  CHECK_INT(t->call(t, "sagemaker", "DescribeEndpoint", req, &resp, &err), 0);
  CHECK_INT(s.served, 3);
  CHECK(resp && cJSON_GetObjectItem(resp, "A") && cJSON_GetObjectItem(resp, "A")->valuedouble == 1);
  /* what went on the wire: signed, with the target and the token, never the secret */
  CHECK_INT(count(s.seen.s, "X-Amz-Target: SageMaker.DescribeEndpoint"), 3);
  CHECK_INT(count(s.seen.s, "Authorization: AWS4-HMAC-SHA256 Credential=AKIDTEST/"), 3);
  CHECK_INT(count(s.seen.s, "X-Amz-Security-Token: TOKEN-VALUE"), 3);
  CHECK_INT(count(s.seen.s, "Content-Type: application/x-amz-json-1.1"), 3);
  CHECK(strstr(s.seen.s, "SECRET-MUST-NOT-TRAVEL") == NULL);
  CHECK(strstr(s.seen.s, "{\"EndpointName\":\"e\"}") != NULL);
  cJSON_Delete(resp);
  cJSON_Delete(req);
  t->close(t);
  script_stop(&s);
}

static void test_retry_throttling(void) {
  static const char *const R[] = {THROTTLE, THROTTLE, OK_JSON};
  Script s = {.responses = R, .nresp = 3};
  script_start(&s);
  AwsTransport *t = open_at(s.port, 5);
  cJSON *resp = NULL;
  AwsError err = {0};
  CHECK_INT(t->call(t, "application-autoscaling", "DescribeScalableTargets", NULL, &resp, &err), 0);
  CHECK_INT(s.served, 3);
  CHECK_INT(count(s.seen.s, "X-Amz-Target: AnyScaleFrontendService.DescribeScalableTargets"), 3);
  cJSON_Delete(resp);
  t->close(t);
  script_stop(&s);
}

static void test_no_retry_on_client_error(void) {
  static const char *const R[] = {INVALID, OK_JSON};
  Script s = {.responses = R, .nresp = 2};
  script_start(&s);
  AwsTransport *t = open_at(s.port, 5);
  cJSON *resp = NULL;
  AwsError err = {0};
  CHECK_INT(t->call(t, "sagemaker", "CreateModel", NULL, &resp, &err), -1);
  CHECK_INT(s.served, 1);
  CHECK_STR(err.code, "ValidationException");
  CHECK_STR(err.message, "bad name !!!");
  CHECK_INT(err.http_status, 400);
  aws_error_clear(&err);
  t->close(t);
  script_stop(&s);
}

static void test_retry_bounded(void) {
  static const char *const R[] = {E503};
  Script s = {.responses = R, .nresp = 1};
  script_start(&s);
  AwsTransport *t = open_at(s.port, 3);
  cJSON *resp = NULL;
  AwsError err = {0};
  CHECK_INT(t->call(t, "iam", "GetRole", NULL, &resp, &err), -1);
  CHECK_INT(s.served, 3);
  CHECK_STR(err.code, "InternalFailure");
  CHECK_INT(err.http_status, 503);
  /* Query protocol on the wire */
  CHECK(strstr(s.seen.s, "Action=GetRole&Version=2010-05-08") != NULL);
  CHECK(strstr(s.seen.s, "/us-east-1/iam/aws4_request") != NULL);
  aws_error_clear(&err);
  t->close(t);
  script_stop(&s);
}

static void test_network_down(void) {
  /* a port nobody listens on: bind one, note it, close it */
  Script s = {0};
  s.fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  bind(s.fd, (struct sockaddr *)&a, sizeof a);
  socklen_t l = sizeof a;
  getsockname(s.fd, (struct sockaddr *)&a, &l);
  close(s.fd);
  AwsTransport *t = open_at(ntohs(a.sin_port), 2);
  cJSON *resp = NULL;
  AwsError err = {0};
  CHECK_INT(t->call(t, "sts", "GetCallerIdentity", NULL, &resp, &err), -1);
  CHECK_STR(err.code, "EndpointConnectionError");
  CHECK_INT(err.http_status, 0);
  CHECK(strstr(err.message, "after 2 attempts") != NULL);
  aws_error_clear(&err);
  t->close(t);

  /* and https_open with validation turns it into a diagnostic */
  DiagList d = {0};
  HttpsConfig cfg = {.region = "us-east-1", .access_key = "AKID", .secret_key = "SECRET-X", .max_attempts = 1,
                     .validate_credentials = true};
  CHECK(https_open(&cfg, &d) == NULL);
  CHECK_STR(first_summary(&d), "Cannot reach AWS");
  CHECK(!diag_mentions(&d, "SECRET-X"));
  diag_free(&d);
}

static void test_timeout(void) {
  static const char *const R[] = {OK_JSON};
  Script s = {.responses = R, .nresp = 1, .hang = 1};
  script_start(&s);
  AwsTransport *t = open_at(s.port, 2);
  cJSON *resp = NULL;
  AwsError err = {0};
  CHECK_INT(t->call(t, "sagemaker", "DescribeEndpoint", NULL, &resp, &err), -1);
  CHECK_STR(err.code, "EndpointConnectionError");
  CHECK(strstr(err.message, "imeout") != NULL || strstr(err.message, "timed out") != NULL);
  aws_error_clear(&err);
  t->close(t);
  script_stop(&s);
}

static void test_runtime_wire(void) {
  static const char *const R[] = {
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nx-Amzn-Invoked-Production-Variant: blue\r\n"
      "Content-Length: 16\r\nConnection: close\r\n\r\n{\"prediction\":1}"};
  Script s = {.responses = R, .nresp = 1};
  script_start(&s);
  AwsTransport *t = open_at(s.port, 1);
  cJSON *req = cJSON_Parse("{\"EndpointName\":\"my-ep\",\"Body\":\"[1,2]\",\"ContentType\":\"application/json\","
                           "\"TargetVariant\":\"blue\"}"),
        *resp = NULL;
  AwsError err = {0};
  CHECK_INT(t->call(t, "sagemaker-runtime", "InvokeEndpoint", req, &resp, &err), 0);
  CHECK(strstr(s.seen.s, "POST /endpoints/my-ep/invocations HTTP/1.1") != NULL);
  CHECK(strstr(s.seen.s, "X-Amzn-SageMaker-Target-Variant: blue") != NULL);
  CHECK(strstr(s.seen.s, "/us-east-1/sagemaker/aws4_request") != NULL);
  CHECK(resp != NULL);
  if (resp) {
    CHECK_STR(cJSON_GetObjectItem(resp, "Body")->valuestring, "{\"prediction\":1}");
    CHECK_STR(cJSON_GetObjectItem(resp, "InvokedProductionVariant")->valuestring, "blue");
    CHECK_STR(cJSON_GetObjectItem(resp, "ContentType")->valuestring, "application/json");
  }
  cJSON_Delete(resp);
  cJSON_Delete(req);
  t->close(t);
  script_stop(&s);
}

int main(void) {
  RUN(test_ini_basic);
  RUN(test_ini_bad_lines);
  RUN(test_ini_profile_sections);
  RUN(test_creds_block_and_env);
  RUN(test_creds_profiles);
  RUN(test_creds_missing);
  RUN(test_endpoints);
  RUN(test_provider_block);
  RUN(test_query_encode);
  RUN(test_xml_decode);
  RUN(test_xml_errors);
  RUN(test_error_mapping);
  RUN(test_json_timestamps);
  RUN(test_retry_5xx_then_ok);
  RUN(test_retry_throttling);
  RUN(test_no_retry_on_client_error);
  RUN(test_retry_bounded);
  RUN(test_network_down);
  RUN(test_timeout);
  RUN(test_runtime_wire);
  if (*home) {
    char *cmd = xasprintf("rm -rf '%s'", home);
    if (system(cmd) != 0) {
    }
    free(cmd);
  }
  return T_END();
}
