/*
** tests/unit/test_sim_world.c — the simulator's world file (atomic,
** byte-stable, reloadable), the transport, knobs, durations, determinism.
*/
#include "sim_t.h"

#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"

static char *tmpdir(void) {
  char tmpl[] = "/tmp/tfc-sim-test-XXXXXX";
  char *d = mkdtemp(tmpl);
  return d ? xstrdup(d) : NULL;
}

static void rm_rf(const char *dir) {
  char *cmd = xasprintf("rm -rf '%s'", dir);
  if (system(cmd) != 0) printf("# could not remove %s\n", dir);
  free(cmd);
}

static char *slurp(const char *dir) {
  char *p = xasprintf("%s/.tfc/sim-world.json", dir);
  size_t n;
  char *s = read_file(p, &n);
  free(p);
  return s;
}

static void test_world_persists_byte_stable(void) {
  unsetenv("TFC_SIM_KNOBS");
  setenv("TFC_SIM_SEED", "7", 1);
  char *dir = tmpdir();
  DiagList d = {0};
  AwsTransport *t = sim_open(dir, &d);
  CHECK(t != NULL);
  cJSON *req = cJSON_Parse("{\"RoleName\":\"exec\",\"AssumeRolePolicyDocument\":\"{\\\"Statement\\\":[]}\",\"Tags\":[{\"Key\":\"z\",\"Value\":\"1\"}]}");
  cJSON *resp = NULL;
  AwsError err = {0};
  CHECK_INT(t->call(t, "iam", "CreateRole", req, &resp, &err), 0);
  cJSON_Delete(resp);
  cJSON_Delete(req);
  req = cJSON_Parse("{\"Name\":\"ops\"}");
  CHECK_INT(t->call(t, "sns", "CreateTopic", req, &resp, &err), 0);
  cJSON_Delete(resp);
  cJSON_Delete(req);
  t->close(t);
  char *a = slurp(dir);
  CHECK(a != NULL);
  char *tmp = xasprintf("%s/.tfc/sim-world.json.tmp", dir);
  CHECK(access(tmp, F_OK) != 0); /* no temporary file left behind */
  free(tmp);
  /* keys are sorted: "account" comes before "autoscaling" before "format" */
  CHECK(a && strstr(a, "\"account\"") < strstr(a, "\"autoscaling\"") && strstr(a, "\"autoscaling\"") < strstr(a, "\"format\""));
  /* reloading and saving again gives the same bytes */
  SimWorld *w = sim_world_open(dir, &d);
  CHECK(w != NULL);
  CHECK_INT(sim_world_save(w, &d), 0);
  sim_world_close(w);
  char *b = slurp(dir);
  CHECK(a && b && strcmp(a, b) == 0);
  /* what one process created exists for the next */
  w = sim_world_open(dir, &d);
  req = cJSON_Parse("{\"RoleName\":\"exec\"}");
  CHECK_INT(sim_call(w, "iam", "GetRole", req, &resp, &err), 0);
  cJSON_Delete(resp);
  cJSON_Delete(req);
  sim_world_close(w);
  CHECK(!diag_has_errors(&d));
  diag_free(&d);
  free(a);
  free(b);
  rm_rf(dir);
  free(dir);
}

static void test_damaged_world(void) {
  char *dir = tmpdir();
  char *p = xasprintf("%s/.tfc", dir);
  mkdir(p, 0777);
  free(p);
  p = xasprintf("%s/.tfc/sim-world.json", dir);
  FILE *f = fopen(p, "w");
  fputs("{\"format\": 99}", f);
  fclose(f);
  DiagList d = {0};
  CHECK(sim_world_open(dir, &d) == NULL);
  CHECK(diag_has_errors(&d));
  CHECK_STR(d.v[0].summary, "Cannot read the simulated AWS world");
  diag_free(&d);
  free(p);
  rm_rf(dir);
  free(dir);
}

static void test_knobs(void) {
  world("endpoint_create_seconds=60,nonsense=1");
  CHECK_INT(sim_knob("endpoint_create_seconds"), 60);
  CHECK_STR(sim_knob_str("rollback_status"), "Updating");
  DiagList d = {0};
  sim_knobs_load(&d);
  CHECK_INT(d.n, 1); /* the unknown knob is reported */
  CHECK_INT(d.v[0].severity, DIAG_WARNING);
  diag_free(&d);
  Buf b = BUF_INIT;
  sim_knobs_text(&b);
  CHECK(strstr(b.s, "endpoint_create_seconds    60") != NULL);
  buf_free(&b);
  sim_t_end();
}

static void test_durations(void) {
  CHECK_INT(sim_parse_duration("90"), 90);
  CHECK_INT(sim_parse_duration("90s"), 90);
  CHECK_INT(sim_parse_duration("10m"), 600);
  CHECK_INT(sim_parse_duration("1h30m"), 5400);
  CHECK_INT(sim_parse_duration("2d"), 172800);
  CHECK_INT(sim_parse_duration("10y"), -1);
  CHECK_INT(sim_parse_duration(""), -1);
  CHECK_INT(sim_parse_duration("m"), -1);
  CHECK_INT(sim_parse_duration("-5m"), -1);
  char buf[24];
  CHECK_STR(sim_time_iso(1767225600, buf), "2026-01-01T00:00:00Z");
}

static void test_clock_and_sim_service(void) {
  world(NULL);
  CHECK_INT(sim_clock_now(W), 1767225600);
  OK("sim", "Advance", "{\"Seconds\":90}");
  CHECK_INT(rn("Now"), 1767225690);
  OK("sim", "Now", NULL);
  CHECK_STR(rs("Time"), "2026-01-01T00:01:30Z");
  ERR("sim", "Advance", "{\"Seconds\":-1}", "ValidationError", 400, "*");
  ERR("sim", "Traffic", "{\"EndpointName\":\"none\",\"Rps\":1,\"Seconds\":60}", "ValidationError", 400,
      "Endpoint none of account 123456789012 not found.");
  OK("sim", "Fault", "{\"Image\":\"x\",\"Rate5xx\":0.5}");
  CHECK(sim_fault_rate(W, "x") == 0.5);
  OK("sim", "Fault", "{\"Image\":\"x\",\"PingFails\":true}");
  CHECK(sim_fault_ping_fails(W, "x") && sim_fault_rate(W, "x") == 0.5);
  OK("sim", "Fault", "{\"Image\":\"x\",\"Rate5xx\":0,\"PingFails\":false}");
  CHECK(cJSON_GetArraySize(sim_coll(W, "sim", "faults")) == 0);
  OK("sim", "Fault", "{\"Image\":\"x\",\"Rate5xx\":0.5}");
  ERR("sim", "Fault", "{\"Image\":\"x\",\"Rate5xx\":2}", "ValidationError", 400, "*");
  OK("sim", "Status", NULL);
  CHECK(strstr(rs("Text"), "Simulated AWS at 2026-01-01T00:01:30Z") != NULL);
  OK("sim", "Reset", NULL);
  CHECK_INT(sim_clock_now(W), 1767225600);
  CHECK(cJSON_GetArraySize(sim_coll(W, "sim", "faults")) == 0);
  sim_t_end();
}

/* The same seed and the same calls give the same ids. */
static void test_deterministic_ids(void) {
  world(NULL);
  make_role(false);
  char *id1 = xstrdup(rs("Role.RoleId"));
  world(NULL);
  make_role(false);
  CHECK_STR(rs("Role.RoleId"), id1);
  setenv("TFC_SIM_SEED", "8", 1);
  sim_world_reset(W);
  make_role(false);
  CHECK(strcmp(rs("Role.RoleId"), id1) != 0);
  free(id1);
  sim_t_end();
}

static int callw(SimWorld *w, const char *svc, const char *op, const char *json) {
  cJSON *req = cJSON_Parse(json), *resp = NULL;
  AwsError err = {0};
  int rc = sim_call(w, svc, op, req, &resp, &err);
  cJSON_Delete(req);
  cJSON_Delete(resp);
  aws_error_clear(&err);
  return rc;
}

/* Two processes sharing a world see each other's saved changes and never
** overwrite them. */
static void test_two_processes_share_a_world(void) {
  unsetenv("TFC_SIM_KNOBS");
  char *dir = tmpdir();
  DiagList d = {0};
  SimWorld *a = sim_world_open(dir, &d), *b = sim_world_open(dir, &d);
  CHECK_INT(callw(a, "sns", "CreateTopic", "{\"Name\":\"from-a\"}"), 0);
  CHECK_INT(callw(b, "sns", "GetTopicAttributes", "{\"TopicArn\":\"arn:aws:sns:us-east-1:123456789012:from-a\"}"), 0);
  CHECK_INT(callw(b, "sns", "CreateTopic", "{\"Name\":\"from-b\"}"), 0);
  CHECK_INT(callw(a, "sns", "CreateTopic", "{\"Name\":\"from-a2\"}"), 0);
  sim_world_close(a);
  sim_world_close(b);
  SimWorld *c = sim_world_open(dir, &d);
  CHECK_INT(cJSON_GetArraySize(sim_coll(c, "sns", "topics")), 3);
  sim_world_close(c);
  CHECK(!diag_has_errors(&d));
  diag_free(&d);
  rm_rf(dir);
  free(dir);
}

static AwsTransport *shared;
static void *worker(void *arg) {
  int k = (int)(long)arg;
  for (int i = 0; i < 20; i++) {
    char json[128];
    snprintf(json, sizeof json, "{\"Name\":\"t%d-%d\"}", k, i);
    cJSON *req = cJSON_Parse(json), *resp = NULL;
    AwsError err = {0};
    if (shared->call(shared, "sns", "CreateTopic", req, &resp, &err) != 0) aws_error_clear(&err);
    cJSON_Delete(resp);
    cJSON_Delete(req);
  }
  return NULL;
}

/* The provider walks the graph in parallel; the transport serialises calls. */
static void test_transport_threads(void) {
  unsetenv("TFC_SIM_KNOBS");
  DiagList d = {0};
  shared = sim_open(NULL, &d);
  pthread_t th[4];
  for (long i = 0; i < 4; i++) pthread_create(&th[i], NULL, worker, (void *)i);
  for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
  CHECK_INT(cJSON_GetArraySize(sim_coll(sim_transport_world(shared), "sns", "topics")), 80);
  shared->close(shared);
  diag_free(&d);
}

int main(void) {
  RUN(test_world_persists_byte_stable);
  RUN(test_damaged_world);
  RUN(test_knobs);
  RUN(test_durations);
  RUN(test_clock_and_sim_service);
  RUN(test_deterministic_ids);
  RUN(test_transport_threads);
  RUN(test_two_processes_share_a_world);
  return T_END();
}
