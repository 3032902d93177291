/*
** tests/unit/test_state.c — the state model: byte-identical round trips,
** malformed input diagnostics, serial and lineage rules, addresses, Go JSON
** conventions, the lock.
*/
#include "t.h"

#include "base/util.h"
#include "state/state.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char *fixture(const char *name, size_t *len) {
  const char *root = getenv("TFC_ROOT");
  char *p = xasprintf("%s/tests/state/%s", root ? root : ".", name);
  char *b = read_file(p, len);
  free(p);
  return b;
}

static char *tmpdir(void) {
  char tmpl[] = "/tmp/tfc-state-XXXXXX";
  char *d = mkdtemp(tmpl);
  return xstrdup(d ? d : "/tmp");
}

static void rmrf(const char *d) {
  char *cmd = xasprintf("rm -rf '%s'", d);
  if (system(cmd) != 0) printf("# could not remove %s\n", d);
  free(cmd);
}

static void test_roundtrip_fixture(void) {
  size_t len = 0;
  char *bytes = fixture("basic.tfstate", &len);
  CHECK(bytes != NULL);
  if (!bytes) return;
  DiagList dl = {0};
  State *s = st_parse(bytes, len, "basic.tfstate", &dl);
  CHECK(s != NULL);
  CHECK_INT(dl.n, 0);
  if (s) {
    Buf out = BUF_INIT;
    st_serialize(s, &out);
    CHECK_INT(out.len, len);
    CHECK(out.len == len && memcmp(out.s, bytes, len) == 0);
    if (out.len != len || memcmp(out.s, bytes, len) != 0) {
      FILE *f = fopen("/tmp/tfc-roundtrip.out", "w");
      if (f) {
        fwrite(out.s, 1, out.len, f);
        fclose(f);
      }
    }
    /* and writing twice is stable */
    Buf again = BUF_INIT;
    st_serialize(s, &again);
    CHECK(again.len == out.len && memcmp(again.s, out.s, out.len) == 0);
    CHECK_INT(s->nres, 4);
    CHECK_INT(s->serial, 7);
    CHECK_STR(s->lineage, "0f5c2a9e-1b2c-4d5e-8f90-123456789abc");
    CHECK_INT(st_count_instances(s), 6);
    buf_free(&out);
    buf_free(&again);
    st_free(s);
  }
  diag_free(&dl);
  free(bytes);
}

/* Resources and instances come out sorted whatever order they were built in. */
static void test_sorting(void) {
  State *s = st_new();
  StKey k1 = {ST_KEY_STR, 0, (char *)"b"}, k0 = {ST_KEY_INT, 3, NULL}, k2 = {ST_KEY_STR, 0, (char *)"a"};
  StResource *r = st_get_resource(s, "module.z", ST_MANAGED, "aws_x", "y", NULL);
  st_put_instance(r, &k1, NULL);
  st_put_instance(r, &k0, NULL);
  st_put_instance(r, &k2, NULL);
  st_get_resource(s, "", ST_MANAGED, "aws_b", "n", NULL);
  st_get_resource(s, "", ST_DATA, "aws_c", "n", NULL);
  st_get_resource(s, "", ST_MANAGED, "aws_a", "n", NULL);
  st_sort(s);
  CHECK_STR(s->res[0]->type, "aws_c");
  CHECK_STR(s->res[1]->type, "aws_a");
  CHECK_STR(s->res[2]->type, "aws_b");
  CHECK_STR(s->res[3]->module, "module.z");
  CHECK_INT(r->inst[0].key.kind, ST_KEY_INT);
  CHECK_STR(r->inst[1].key.s, "a");
  CHECK_STR(r->inst[2].key.s, "b");
  CHECK(st_find_resource(s, "", ST_MANAGED, "aws_a", "n") == s->res[1]);
  st_free(s);
}

static void test_empty_state_layout(void) {
  State *s = st_new();
  free(s->lineage);
  s->lineage = xstrdup("L");
  Buf b = BUF_INIT;
  st_serialize(s, &b);
  CHECK_STR(b.s, "{\n  \"version\": 4,\n  \"terraform_version\": \"" ST_WRITER_VERSION "\",\n  \"serial\": 0,\n"
                 "  \"lineage\": \"L\",\n  \"outputs\": {},\n  \"resources\": [],\n  \"check_results\": null\n}\n");
  buf_free(&b);
  st_free(s);
}

static void test_go_string_escaping(void) {
  Buf b = BUF_INIT;
  const char in[] = "a<b>&\"\\\n\t\x01\x7f\xe2\x80\xa8\xff\xc3\xa9";
  st_json_string(&b, in, sizeof in - 1);
  CHECK_STR(b.s, "\"a\\u003cb\\u003e\\u0026\\\"\\\\\\n\\t\\u0001\x7f\\u2028\\ufffd\xc3\xa9\"");
  buf_free(&b);
}

static void test_number_printing(void) {
  struct {
    double d;
    const char *want;
  } cases[] = {{1000000, "1000000"}, {0.5, "0.5"},         {-3, "-3"},       {1e21, "1000000000000000000000"},
               {0.1, "0.1"},         {1.5e-7, "0.00000015"}, {123.456, "123.456"}, {0, "0"}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    Buf b = BUF_INIT;
    st_format_number(&b, cases[i].d);
    CHECK_STR(b.s, cases[i].want);
    buf_free(&b);
  }
  /* source text survives parse and print */
  const char *js = "{\"a\":1.50,\"b\":[12345678901234567890,\"7\"],\"c\":1e3}";
  cJSON *j = st_json_parse(js, strlen(js), NULL);
  CHECK(j != NULL);
  Buf b = BUF_INIT;
  st_json_compact(&b, j);
  CHECK_STR(b.s, js);
  buf_free(&b);
  /* a changed number never prints its stale text */
  st_json_set_number(cJSON_GetObjectItem(j, "a"), 2);
  st_json_compact(&b, cJSON_GetObjectItem(j, "a"));
  CHECK_STR(b.s, "2");
  buf_free(&b);
  cJSON_Delete(j);
}

/* Each malformed input gives a diagnostic and no state, never a crash. */
static void test_malformed(void) {
  struct {
    const char *text;
    const char *summary;
    const char *detail_part;
  } cases[] = {
      {"{", "Unsupported state file format", "could not be parsed as JSON"},
      {"[]", "Unsupported state file format", "does not contain a JSON object"},
      {"{\"serial\":1}", "Unsupported state file format", "does not have a \"version\""},
      {"{\"version\":5,\"terraform_version\":\"9.0.0\"}", "Unsupported state file format", "created by Terraform 9.0.0"},
      {"{\"version\":0}", "Unsupported state file format", "version number of zero"},
      {"{\"version\":3}", "Unsupported state file format", "version 3"},
      {"{\"version\":4,\"terraform_version\":\"x\"}", "Invalid Terraform version string", "not a valid version"},
      {"{\"version\":4,\"terraform_version\":\"1.0.0\",\"resources\":[{\"mode\":\"weird\",\"type\":\"a\",\"name\":\"b\","
       "\"provider\":\"p\"}]}",
       "Invalid resource mode in state", "weird"},
      {"{\"version\":4,\"terraform_version\":\"1.0.0\",\"resources\":[{\"mode\":\"managed\",\"type\":\"a\",\"name\":\"b\","
       "\"provider\":\"p\",\"instances\":[{\"attributes\":{}},{\"attributes\":{}}]}]}",
       "Duplicate resource instance in state", "a.b appears multiple times"},
      {"{\"version\":4,\"terraform_version\":\"1.0.0\",\"resources\":[{\"mode\":\"managed\",\"type\":\"a\",\"name\":\"b\","
       "\"provider\":\"p\",\"instances\":[{\"status\":\"broken\"}]}]}",
       "Invalid resource instance metadata in state", "invalid status"},
      {"{\"version\":4,\"terraform_version\":\"1.0.0\",\"resources\":[{\"mode\":\"managed\",\"type\":\"a\",\"name\":\"b\","
       "\"provider\":\"p\",\"instances\":[{\"deposed\":\"xyz\"}]}]}",
       "Invalid resource instance metadata in state", "deposed key"},
      {"{\"version\":4,\"terraform_version\":\"1.0.0\",\"resources\":[{\"mode\":\"managed\",\"type\":\"a\",\"name\":\"b\","
       "\"provider\":\"p\",\"instances\":[{\"index_key\":[1]}]}]}",
       "Invalid resource instance metadata in state", "index_key"},
      {"{\"version\":4,\"terraform_version\":\"1.0.0\",\"resources\":[{\"mode\":\"managed\",\"type\":\"a\",\"name\":\"b\","
       "\"provider\":\"p\",\"instances\":[{\"attributes\":5}]}]}",
       "Invalid resource instance attributes in state", "not a JSON object"},
      {"{\"version\":4,\"terraform_version\":\"1.0.0\",\"outputs\":{\"x\":{\"value\":1}}}", "Invalid output value in state",
       "Output x"},
      {"{\"version\":4,\"terraform_version\":\"1.0.0\",\"resources\":{}}", "Invalid state file", "JSON array"},
      {"{\"version\":4,\"terraform_version\":\"1.0.0\"} trailing", "Unsupported state file format", "parsed as JSON"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    DiagList dl = {0};
    State *s = st_parse(cases[i].text, strlen(cases[i].text), "bad.tfstate", &dl);
    CHECK(s == NULL);
    CHECK(dl.nerrors >= 1);
    if (dl.n >= 1) {
      CHECK_STR(dl.v[0].summary, cases[i].summary);
      CHECK(dl.v[0].detail && strstr(dl.v[0].detail, cases[i].detail_part));
      CHECK(dl.v[0].detail && strstr(dl.v[0].detail, "bad.tfstate"));
      if (!dl.v[0].detail || !strstr(dl.v[0].detail, cases[i].detail_part))
        printf("# case %zu: %s\n", i, dl.v[0].detail ? dl.v[0].detail : "(null)");
    }
    st_free(s);
    diag_free(&dl);
  }
  src_reset();
}

static void test_addresses(void) {
  StAddr a;
  char *err = NULL;
  CHECK(st_addr_parse("module.app[\"blue\"].module.db.aws_x.y[2]", &a, &err));
  CHECK_INT(a.nmods, 2);
  CHECK_STR(a.mods[0].key.s, "blue");
  CHECK_INT(a.key.i, 2);
  char *m = st_addr_module(&a);
  CHECK_STR(m, "module.app[\"blue\"].module.db");
  free(m);
  st_addr_free(&a);
  CHECK(st_addr_parse("data.aws_x.y", &a, &err));
  CHECK(a.mode == ST_DATA && a.has_resource);
  st_addr_free(&a);
  CHECK(st_addr_parse("module.net", &a, &err));
  CHECK(!a.has_resource);
  st_addr_free(&a);
  CHECK(!st_addr_parse("aws_x", &a, &err));
  free(err);
  err = NULL;
  CHECK(!st_addr_parse("aws_x.y[", &a, &err));
  free(err);

  /* target matching */
  State *s = st_new();
  StResource *r = st_get_resource(s, "module.app[0]", ST_MANAGED, "aws_x", "y", NULL);
  StKey k = {ST_KEY_INT, 1, NULL};
  StInstance *in = st_put_instance(r, &k, NULL);
  const char *yes[] = {"module.app", "module.app[0]", "module.app.aws_x.y", "module.app[0].aws_x.y[1]"};
  const char *no[] = {"module.app[1]", "aws_x.y", "module.app[0].aws_x.y[0]", "module.other"};
  for (size_t i = 0; i < 4; i++) {
    CHECK(st_addr_parse(yes[i], &a, NULL));
    CHECK(st_addr_matches(&a, r, in));
    st_addr_free(&a);
    CHECK(st_addr_parse(no[i], &a, NULL));
    CHECK(!st_addr_matches(&a, r, in));
    st_addr_free(&a);
  }
  char *ia = st_instance_addr(r, in);
  CHECK_STR(ia, "module.app[0].aws_x.y[1]");
  free(ia);
  st_free(s);
}

static void test_uuid(void) {
  char *a = st_new_uuid(), *b = st_new_uuid();
  CHECK_INT(strlen(a), 36);
  CHECK(a[14] == '4');
  CHECK(strchr("89ab", a[19]) != NULL);
  CHECK(strcmp(a, b) != 0);
  free(a);
  free(b);
}

static State *read_back(const char *path) {
  DiagList dl = {0};
  bool ex;
  State *s = st_read_file(path, &ex, &dl);
  diag_free(&dl);
  return s;
}

/* Serial rules: unchanged content keeps the serial, each changed write adds
** one, the backup holds the snapshot read at open, mode is 0600. */
static void test_serial_backup(void) {
  char *d = tmpdir();
  char *path = xasprintf("%s/terraform.tfstate", d);
  char *backup = xasprintf("%s.backup", path);
  DiagList dl = {0};
  StMgr *m = st_mgr_open(path, NULL, &dl);
  CHECK(m != NULL);
  if (!m) goto out;
  CHECK(!st_mgr_existed(m));
  char *lineage = xstrdup(st_mgr_state(m)->lineage);
  CHECK(st_mgr_close(m, &dl)); /* nothing happened: no file */
  CHECK(access(path, F_OK) != 0);

  m = st_mgr_open(path, NULL, &dl);
  State *s = st_mgr_state(m);
  free(s->lineage);
  s->lineage = xstrdup(lineage);
  cJSON *v = cJSON_CreateString("x");
  st_set_output(s, "o", v, NULL, false);
  CHECK(st_mgr_write(m, &dl));
  CHECK_INT(s->serial, 1);
  CHECK(st_mgr_write(m, &dl)); /* same content: same serial */
  CHECK_INT(s->serial, 1);
  CHECK(st_mgr_close(m, &dl));
  CHECK(access(backup, F_OK) != 0); /* there was nothing to back up */
  struct stat st;
  CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);

  m = st_mgr_open(path, NULL, &dl);
  s = st_mgr_state(m);
  CHECK_STR(s->lineage, lineage);
  st_set_output(s, "o", v, NULL, true);
  CHECK(st_mgr_write(m, &dl));
  CHECK_INT(s->serial, 2);
  st_set_output(s, "p", v, NULL, false);
  CHECK(st_mgr_write(m, &dl));
  CHECK_INT(s->serial, 3);
  CHECK(st_mgr_close(m, &dl));
  State *b = read_back(backup);
  CHECK(b && b->serial == 1);
  st_free(b);
  State *c = read_back(path);
  CHECK(c && c->serial == 3 && strcmp(c->lineage, lineage) == 0 && c->noutputs == 2);
  st_free(c);
  CHECK_INT(dl.n, 0);
  cJSON_Delete(v);
  free(lineage);
out:
  diag_free(&dl);
  rmrf(d);
  free(d);
  free(path);
  free(backup);
}

/* A second process holding the lock makes open fail with Terraform's text,
** and -lock-timeout waits for it; a killed holder leaves no lock. */
static void test_lock_contention(void) {
  char *d = tmpdir();
  char *path = xasprintf("%s/terraform.tfstate", d);
  int p2c[2], c2p[2];
  if (pipe(p2c) != 0 || pipe(c2p) != 0) return;
  pid_t pid = fork();
  if (pid == 0) {
    DiagList dl = {0};
    StOpenOpts o = {0};
    o.operation = "OperationTypeApply";
    StMgr *m = st_mgr_open(path, &o, &dl);
    char c = m ? 'L' : 'E';
    if (write(c2p[1], &c, 1) != 1) _exit(2);
    if (read(p2c[0], &c, 1) != 1) _exit(2);
    if (c == 'K') pause(); /* wait to be killed */
    st_mgr_close(m, &dl);
    _exit(0);
  }
  char c = 0;
  CHECK(read(c2p[0], &c, 1) == 1 && c == 'L');
  DiagList dl = {0};
  StOpenOpts o = {0};
  o.quiet = true;
  StMgr *m = st_mgr_open(path, &o, &dl);
  CHECK(m == NULL);
  CHECK(dl.n == 1 && strcmp(dl.v[0].summary, "Error acquiring the state lock") == 0);
  CHECK(dl.n == 1 && strstr(dl.v[0].detail, "Operation: OperationTypeApply"));
  CHECK(dl.n == 1 && strstr(dl.v[0].detail, "-lock=false"));
  diag_free(&dl);
  /* -lock=false ignores the holder */
  o.no_lock = true;
  m = st_mgr_open(path, &o, &dl);
  CHECK(m != NULL);
  st_mgr_abandon(m);
  o.no_lock = false;
  /* a timeout outlasting the holder succeeds */
  c = 'U';
  CHECK(write(p2c[1], &c, 1) == 1);
  o.lock_timeout = 5;
  m = st_mgr_open(path, &o, &dl);
  CHECK(m != NULL);
  CHECK_INT(dl.n, 0);
  st_mgr_abandon(m);
  int status;
  waitpid(pid, &status, 0);
  /* a holder killed by SIGKILL leaves no lock behind */
  pid = fork();
  if (pid == 0) {
    DiagList dl2 = {0};
    StMgr *m2 = st_mgr_open(path, NULL, &dl2);
    char cc = m2 ? 'L' : 'E';
    if (write(c2p[1], &cc, 1) != 1) _exit(2);
    pause();
    _exit(0);
  }
  CHECK(read(c2p[0], &c, 1) == 1 && c == 'L');
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  o.lock_timeout = 0;
  m = st_mgr_open(path, &o, &dl);
  CHECK(m != NULL);
  st_mgr_abandon(m);
  diag_free(&dl);
  close(p2c[0]);
  close(p2c[1]);
  close(c2p[0]);
  close(c2p[1]);
  rmrf(d);
  free(d);
  free(path);
}

static void test_show_json(void) {
  size_t len = 0;
  char *bytes = fixture("basic.tfstate", &len);
  DiagList dl = {0};
  State *s = bytes ? st_parse(bytes, len, "basic.tfstate", &dl) : NULL;
  CHECK(s != NULL);
  if (!s) return;
  cJSON *j = st_show_json(s);
  Buf b = BUF_INIT;
  st_json_compact(&b, j);
  CHECK(strncmp(b.s, "{\"format_version\":\"1.0\",\"terraform_version\":", 44) == 0);
  CHECK(strstr(b.s, "\"secret\":{\"sensitive\":true,\"value\":\"hunter2\",\"type\":\"string\"}") != NULL);
  CHECK(strstr(b.s, "\"child_modules\":[{\"resources\":[{\"address\":\"module.db.aws_db_instance.this\"") != NULL);
  CHECK(strstr(b.s, "\"sensitive_values\":{\"password\":true}") != NULL);
  CHECK(strstr(b.s, "\"sensitive_values\":{\"deployment_config\":[],\"tags\":{},\"tags_all\":{}}") != NULL);
  CHECK(strstr(b.s, "\"address\":\"aws_subnet.a[1]\",\"mode\":\"managed\",\"type\":\"aws_subnet\",\"name\":\"a\",\"index\":1,"
                    "\"provider_name\":\"registry.terraform.io/hashicorp/aws\"") != NULL);
  CHECK(strstr(b.s, "\"tainted\":true") != NULL);
  CHECK(strstr(b.s, "\"deposed_key\":\"00aabbcc\"") != NULL);
  CHECK(strstr(b.s, "\"depends_on\":[\"aws_sagemaker_endpoint_configuration.this\"") != NULL);
  buf_free(&b);
  cJSON_Delete(j);
  /* an empty state is just the versions */
  State *e = st_new();
  j = st_show_json(e);
  st_json_compact(&b, j);
  CHECK_STR(b.s, "{\"format_version\":\"1.0\",\"terraform_version\":\"" ST_WRITER_VERSION "\"}");
  buf_free(&b);
  cJSON_Delete(j);
  st_free(e);
  st_free(s);
  diag_free(&dl);
  free(bytes);
}

/* Pathological inputs end in a diagnostic, quickly. */
static void test_pathological(void) {
  clock_t t0 = clock();
  size_t n = 100000;
  char *deep = xmalloc(n * 2 + 64);
  size_t k = (size_t)sprintf(deep, "{\"version\":4,\"terraform_version\":\"1.0.0\",\"outputs\":{\"x\":{\"value\":");
  for (size_t i = 0; i < n; i++) deep[k++] = '[';
  deep[k] = 0;
  DiagList dl = {0};
  State *s = st_parse(deep, k, "deep.tfstate", &dl);
  CHECK(s == NULL && dl.nerrors == 1);
  diag_free(&dl);
  free(deep);
  /* a 20 MB string attribute parses and writes back */
  size_t big = 20u << 20;
  Buf b = BUF_INIT;
  buf_puts(&b, "{\"version\":4,\"terraform_version\":\"1.0.0\",\"resources\":[{\"mode\":\"managed\",\"type\":\"a\","
               "\"name\":\"b\",\"provider\":\"p\",\"instances\":[{\"attributes\":{\"s\":\"");
  char *fill = xmalloc(big);
  memset(fill, 'x', big);
  buf_add(&b, fill, big);
  free(fill);
  buf_puts(&b, "\"}}]}]}");
  s = st_parse(b.s, b.len, "big.tfstate", &dl);
  CHECK(s != NULL);
  Buf out = BUF_INIT;
  if (s) st_serialize(s, &out);
  CHECK(out.len > big);
  buf_free(&out);
  buf_free(&b);
  st_free(s);
  diag_free(&dl);
  /* a minified state with a syntax error far along its one line */
  Buf m = BUF_INIT;
  buf_puts(&m, "{\"version\":4,\"terraform_version\":\"1.0.0\",\"outputs\":{");
  for (int i = 0; i < 1000; i++) buf_printf(&m, "\"o%d\":{\"value\":1,\"type\":\"number\"},", i);
  buf_puts(&m, "}}");
  s = st_parse(m.s, m.len, "min.tfstate", &dl);
  CHECK(s == NULL && dl.n == 1 && !dl.v[0].has_subject && strstr(dl.v[0].detail, "line 1"));
  diag_free(&dl);
  buf_free(&m);
  src_reset();
  CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 10);
}

int main(void) {
  RUN(test_pathological);
  RUN(test_show_json);
  RUN(test_roundtrip_fixture);
  RUN(test_sorting);
  RUN(test_empty_state_layout);
  RUN(test_go_string_escaping);
  RUN(test_number_printing);
  RUN(test_malformed);
  RUN(test_addresses);
  RUN(test_uuid);
  RUN(test_serial_backup);
  RUN(test_lock_contention);
  return T_END();
}
