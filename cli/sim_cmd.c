/*
** cli/sim_cmd.c — `tfc sim ...`: look at the simulated AWS world of the
** current directory (.tfc/sim-world.json) and act on it.
**
**   tfc sim status [-json]
**   tfc sim traffic ENDPOINT --rps N --for 10m [--error-rate R] [--latency-ms L] [--background]
**   tfc sim fault image=URI [5xx-rate=R] [ping=fail|ok]
**   tfc sim invoke ENDPOINT --body JSON [--target-variant V]
**   tfc sim advance DURATION
**   tfc sim reset
**   tfc sim knobs
**   tfc sim call SERVICE OPERATION [JSON]     (any API operation; for scripts and debugging)
*/
#include "cli/sim_cmd.h"

#include "base/util.h"
#include "cli/cli.h"
#include "providers/sim/sim.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
    "Usage: tfc sim <subcommand> [args]\n\n"
    "Inspect and drive the simulated AWS of this directory (.tfc/sim-world.json).\n\n"
    "Subcommands:\n"
    "  status [-json]              Objects, endpoint status and variants, alarms, scaling activities, events\n"
    "  traffic ENDPOINT --rps N --for DURATION [--error-rate R] [--latency-ms L] [--background]\n"
    "                              Send requests while simulated time passes (alarms and autoscaling react);\n"
    "                              with --background the clock does not move now: the requests flow while\n"
    "                              a later command (e.g. an apply waiting for a deployment) advances it\n"
    "  fault image=URI [5xx-rate=R] [ping=fail|ok]\n"
    "                              Make a container image fail a share R of its requests with 5xx, or never\n"
    "                              pass the /ping health check (its fleets fail to start)\n"
    "  invoke ENDPOINT --body JSON [--target-variant V]\n"
    "                              Call InvokeEndpoint and print the answer\n"
    "  advance DURATION            Let simulated time pass (e.g. 90s, 10m, 1h30m)\n"
    "  reset                       Forget every simulated object and restart the clock\n"
    "  knobs                       The simulator's assumptions where AWS is undocumented\n"
    "  call SERVICE OPERATION [JSON]\n"
    "                              Run one API operation (e.g. sagemaker DescribeEndpoint '{\"EndpointName\":\"x\"}')\n";

/* Accepts "--name value", "-name value" and "--name=value". */
static const char *opt(int argc, char **argv, int *i, const char *name) {
  const char *v = cli_flag_value(argv[*i], name);
  if (v) return v;
  if (cli_flag(argv[*i], name) && strchr(argv[*i], '=') == NULL && *i + 1 < argc) return argv[++*i];
  return NULL;
}

static int fail_aws(AwsError *err) {
  fprintf(stderr, "Error: %s: %s\n", err->code ? err->code : "Error", err->message ? err->message : "");
  aws_error_clear(err);
  return 1;
}

static int print_diags(DiagList *d) {
  diag_print_all(d, stdout, stderr, diag_color_enabled(stderr, false));
  int rc = diag_has_errors(d) ? 1 : 0;
  diag_free(d);
  return rc;
}

static bool parse_num(const char *s, double *out) {
  char *end;
  if (!s || !*s) return false;
  *out = strtod(s, &end);
  return *end == 0;
}

static int finish(SimWorld *w, int rc) {
  DiagList d = {0};
  if (sim_world_save(w, &d) != 0) rc = 1;
  print_diags(&d);
  sim_world_end(w);
  sim_world_close(w);
  return rc;
}

static int do_status(SimWorld *w, int argc, char **argv) {
  bool json = false;
  for (int i = 1; i < argc; i++) {
    if (cli_flag(argv[i], "json")) json = true;
    else {
      fprintf(stderr, "Error: unexpected argument %s\n\n%s", argv[i], usage_text);
      return 1;
    }
  }
  if (json) {
    char *t = cJSON_Print(sim_world_doc(w));
    printf("%s\n", t);
    free(t);
    return 0;
  }
  Buf b = BUF_INIT;
  sim_status_text(w, &b);
  fputs(b.s, stdout);
  buf_free(&b);
  return 0;
}

static int do_traffic(SimWorld *w, int argc, char **argv) {
  const char *ep = NULL, *v;
  double rps = -1, er = 0, lat = 0;
  long long dur = -1;
  bool background = false;
  for (int i = 1; i < argc; i++) {
    if ((v = opt(argc, argv, &i, "rps"))) {
      if (!parse_num(v, &rps) || rps < 0) return fprintf(stderr, "Error: --rps needs a number >= 0\n"), 1;
    } else if ((v = opt(argc, argv, &i, "for"))) {
      if ((dur = sim_parse_duration(v)) < 0) return fprintf(stderr, "Error: --for needs a duration like 10m\n"), 1;
    } else if ((v = opt(argc, argv, &i, "error-rate"))) {
      if (!parse_num(v, &er) || er < 0 || er > 1) return fprintf(stderr, "Error: --error-rate needs a number between 0 and 1\n"), 1;
    } else if ((v = opt(argc, argv, &i, "latency-ms"))) {
      if (!parse_num(v, &lat) || lat < 0) return fprintf(stderr, "Error: --latency-ms needs a number >= 0\n"), 1;
    } else if (cli_flag(argv[i], "background")) {
      background = true;
    } else if (argv[i][0] != '-' && !ep) {
      ep = argv[i];
    } else {
      return fprintf(stderr, "Error: unexpected argument %s\n\n%s", argv[i], usage_text), 1;
    }
  }
  if (!ep || rps < 0 || dur < 0) return fprintf(stderr, "Error: traffic needs ENDPOINT, --rps and --for\n\n%s", usage_text), 1;
  AwsError err = {0};
  char ts[24];
  if (background) {
    if (sim_traffic_start(w, ep, rps, dur, er, lat, &err)) return fail_aws(&err);
    printf("%g requests/s will flow to %s for the next %llds of simulated time (from %s)\n", rps, ep, dur,
           sim_time_iso(sim_clock_now(w), ts));
    return 0;
  }
  if (sim_traffic(w, ep, rps, dur, er, lat, &err)) return fail_aws(&err);
  printf("Sent %g requests/s to %s for %llds; simulated clock now %s\n", rps, ep, dur,
         sim_time_iso(sim_clock_now(w), ts));
  return 0;
}

static int do_fault(SimWorld *w, int argc, char **argv) {
  const char *img = NULL, *ping = NULL;
  double rate = -2;
  for (int i = 1; i < argc; i++) {
    if (strncmp(argv[i], "image=", 6) == 0) img = argv[i] + 6;
    else if (strncmp(argv[i], "5xx-rate=", 9) == 0) {
      if (!parse_num(argv[i] + 9, &rate)) rate = -1;
    } else if (strncmp(argv[i], "ping=", 5) == 0) ping = argv[i] + 5;
    else return fprintf(stderr, "Error: unexpected argument %s\n\n%s", argv[i], usage_text), 1;
  }
  bool rate_ok = rate == -2 || (rate >= 0 && rate <= 1);
  bool ping_ok = !ping || strcmp(ping, "fail") == 0 || strcmp(ping, "ok") == 0;
  if (!img || !*img || !rate_ok || !ping_ok || (rate == -2 && !ping))
    return fprintf(stderr, "Error: fault needs image=URI and 5xx-rate=R (R between 0 and 1) and/or ping=fail|ok\n"), 1;
  if (rate != -2) {
    sim_fault(w, img, rate);
    if (rate > 0) printf("Image %s now fails %g of its requests with 5xx\n", img, rate);
    else printf("Image %s no longer fails requests\n", img);
  }
  if (ping) {
    sim_fault_ping(w, img, strcmp(ping, "fail") == 0);
    printf("Image %s %s\n", img, strcmp(ping, "fail") == 0 ? "no longer answers /ping" : "answers /ping again");
  }
  return 0;
}

static int do_invoke(SimWorld *w, int argc, char **argv) {
  const char *ep = NULL, *body = NULL, *tv = NULL, *v;
  for (int i = 1; i < argc; i++) {
    if ((v = opt(argc, argv, &i, "body"))) body = v;
    else if ((v = opt(argc, argv, &i, "target-variant"))) tv = v;
    else if (argv[i][0] != '-' && !ep) ep = argv[i];
    else return fprintf(stderr, "Error: unexpected argument %s\n\n%s", argv[i], usage_text), 1;
  }
  if (!ep) return fprintf(stderr, "Error: invoke needs ENDPOINT\n\n%s", usage_text), 1;
  cJSON *req = cJSON_CreateObject(), *resp = NULL;
  cJSON_AddStringToObject(req, "EndpointName", ep);
  cJSON_AddStringToObject(req, "Body", body ? body : "");
  cJSON_AddStringToObject(req, "ContentType", "application/json");
  if (tv) cJSON_AddStringToObject(req, "TargetVariant", tv);
  AwsError err = {0};
  int rc = sim_call(w, "sagemaker-runtime", "InvokeEndpoint", req, &resp, &err);
  cJSON_Delete(req);
  if (rc) return fail_aws(&err);
  printf("%s\n", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(resp, "Body")));
  cJSON_Delete(resp);
  return 0;
}

static int do_call(SimWorld *w, int argc, char **argv) {
  if (argc < 3 || argc > 4) return fprintf(stderr, "Error: call needs SERVICE OPERATION [JSON]\n"), 1;
  cJSON *req = argc == 4 ? cJSON_Parse(argv[3]) : cJSON_CreateObject(), *resp = NULL;
  if (!cJSON_IsObject(req)) {
    cJSON_Delete(req);
    return fprintf(stderr, "Error: the request must be a JSON object\n"), 1;
  }
  AwsError err = {0};
  int rc = sim_call(w, argv[1], argv[2], req, &resp, &err);
  cJSON_Delete(req);
  if (rc) return fail_aws(&err);
  char *t = cJSON_Print(resp);
  printf("%s\n", t);
  free(t);
  cJSON_Delete(resp);
  return 0;
}

int cmd_sim(int argc, char **argv) {
  if (argc < 2 || cli_flag(argv[1], "help") || cli_flag(argv[1], "h")) {
    fputs(usage_text, argc < 2 ? stderr : stdout);
    return argc < 2 ? 1 : 0;
  }
  const char *sub = argv[1];
  static const char *const subs[] = {"status", "traffic", "fault", "invoke", "advance", "reset", "knobs", "call"};
  bool known = false;
  for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) known |= strcmp(subs[i], sub) == 0;
  if (!known) return fprintf(stderr, "Error: tfc sim has no subcommand \"%s\"\n\n%s", sub, usage_text), 1;
  /* reset must work on a damaged world too, so it does not read it */
  if (strcmp(sub, "reset") == 0 && unlink(".tfc/sim-world.json") != 0 && errno != ENOENT) {
    fprintf(stderr, "Error: cannot remove .tfc/sim-world.json: %s\n", strerror(errno));
    return 1;
  }
  DiagList d = {0};
  SimWorld *w = sim_world_open(".", &d);
  if (print_diags(&d) || !w) {
    if (w) sim_world_close(w);
    return 1;
  }
  sim_world_begin(w); /* one command is one consistent step of the world */
  argc--;
  argv++;
  int rc = 0;
  if (strcmp(sub, "status") == 0) rc = do_status(w, argc, argv);
  else if (strcmp(sub, "traffic") == 0) rc = do_traffic(w, argc, argv);
  else if (strcmp(sub, "fault") == 0) rc = do_fault(w, argc, argv);
  else if (strcmp(sub, "invoke") == 0) rc = do_invoke(w, argc, argv);
  else if (strcmp(sub, "call") == 0) rc = do_call(w, argc, argv);
  else if (strcmp(sub, "advance") == 0) {
    long long s = argc == 2 ? sim_parse_duration(argv[1]) : -1;
    if (s < 0) {
      rc = 1;
      fprintf(stderr, "Error: advance needs one DURATION like 90s, 10m or 1h30m\n");
    } else {
      sim_advance(w, s);
      char ts[24];
      printf("Simulated clock now %s\n", sim_time_iso(sim_clock_now(w), ts));
    }
  } else if (strcmp(sub, "reset") == 0) {
    sim_world_reset(w);
    printf("The simulated world is empty again\n");
  } else if (strcmp(sub, "knobs") == 0) {
    fputs("Knobs (override with TFC_SIM_KNOBS=name=value,...):\n", stdout);
    Buf b = BUF_INIT;
    sim_knobs_text(&b);
    fputs(b.s, stdout);
    buf_free(&b);
  }
  return finish(w, rc);
}
