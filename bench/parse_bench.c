/*
** bench/parse_bench.c — parse throughput and memory of the HCL front end.
**
** Usage: parse_bench FILE... — parses every file (lexer + parser + tree),
** repeating the whole set until at least two seconds and five rounds have
** passed, and prints the median round's MB/s (the best round's beside it),
** the arena bytes the trees needed relative to the input size, and how much
** the process's peak RSS grew while parsing the set once (trees plus the
** parser's scratch stacks; the files were read before). With BENCH_MIN_MBS
** and BENCH_MAX_RSS set it exits 1 when the median is slower or the growth
** larger than those targets.
**
** The median, not the mean: the machines this runs on are shared, and a
** neighbour's burst stretches a few rounds by half; the median ignores
** those and still moves with any lasting slowdown.
*/
#include "base/util.h"
#include "parser/ast.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long max_rss_kb(void) {
  struct rusage r;
  getrusage(RUSAGE_SELF, &r);
  return r.ru_maxrss;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: parse_bench FILE...\n");
    return 2;
  }
  const char *label = getenv("BENCH_LABEL");
  size_t total = 0, tree = 0, used = 0;
  int nfiles = argc - 1, errors = 0;
  uint32_t *ids = xmalloc((size_t)nfiles * sizeof *ids);
  for (int i = 0; i < nfiles; i++) {
    size_t len;
    char *b = read_file(argv[i + 1], &len);
    if (!b) {
      perror(argv[i + 1]);
      return 2;
    }
    ids[i] = src_add(argv[i + 1], b, len);
    total += len;
  }
  long rss0 = max_rss_kb(), rss1 = rss0;
  double t0 = now(), t;
  int rounds = 0;
  double *round_s = NULL;
  size_t cap = 0;
  do {
    double r0 = now();
    for (int i = 0; i < nfiles; i++) {
      DiagList d = {0};
      HclFile *f = hcl_parse(ids[i], &d);
      if (rounds == 0) {
        tree += f->arena.total;
        used += f->arena.requested;
        errors += d.nerrors ? 1 : 0;
      }
      diag_free(&d);
      hcl_file_free(f);
    }
    double r1 = now();
    if (rounds == 0) rss1 = max_rss_kb();
    size_t n = (size_t)rounds;
    VEC_PUSH(round_s, n, cap, r1 - r0);
    rounds++;
    t = r1 - t0;
  } while (t < 2.0 || rounds < 5);
  qsort(round_s, (size_t)rounds, sizeof *round_s, cmp_double);
  double mb = (double)total / 1e6;
  printf("%s: %d file(s), %.1f MB, %d rounds: median %.0f MB/s (best %.0f); tree memory %.2fx input (%.2fx used); "
         "peak RSS grew by %.2fx input in the first round%s\n",
         label ? label : "parse", nfiles, mb, rounds, mb / round_s[rounds / 2], mb / round_s[0],
         (double)tree / (double)total, (double)used / (double)total, (double)(rss1 - rss0) * 1024 / (double)total,
         errors ? " (some files had errors)" : "");
  /* targets, when given: the median's MB/s and the RSS growth */
  int rc = 0;
  const char *min_mbs = getenv("BENCH_MIN_MBS"), *max_rss = getenv("BENCH_MAX_RSS");
  if (min_mbs && mb / round_s[rounds / 2] < atof(min_mbs)) {
    printf("%s: below the target of %s MB/s\n", label ? label : "parse", min_mbs);
    rc = 1;
  }
  if (max_rss && (double)(rss1 - rss0) * 1024 / (double)total > atof(max_rss)) {
    printf("%s: memory above the target of %sx input\n", label ? label : "parse", max_rss);
    rc = 1;
  }
  free(round_s);
  free(ids);
  src_reset();
  return rc;
}
