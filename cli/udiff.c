/*
** cli/udiff.c — unified diffs; see udiff.h.
**
** Lines are compared by a hash first. The common prefix and suffix are cut
** off, then Myers' greedy O((N+M)D) algorithm finds a shortest edit script
** for the middle, keeping each round's furthest-reaching points (D² ints)
** to walk the path back. Formatting changes few lines, so D is small; past
** MAX_D the middle is reported as one replaced block, which is still a
** correct diff, only not a minimal one.
*/
#include "cli/udiff.h"
#include "base/util.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CONTEXT 3
#define MAX_D 4000

typedef struct Line {
  const char *p;
  size_t len;       /* including the '\n', when there is one */
  uint64_t hash;
} Line;

static Line *split(const char *s, size_t n, size_t *count) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] == '\n') c++;
  if (n && s[n - 1] != '\n') c++;
  Line *v = xmalloc((c ? c : 1) * sizeof *v);
  size_t k = 0, start = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i < n && s[i] != '\n') continue;
    size_t end = i < n ? i + 1 : n;
    if (end == start) break;
    uint64_t h = 1469598103934665603ull;   /* FNV-1a */
    for (size_t j = start; j < end; j++) h = (h ^ (unsigned char)s[j]) * 1099511628211ull;
    v[k].p = s + start;
    v[k].len = end - start;
    v[k].hash = h;
    k++;
    start = end;
  }
  *count = k;
  return v;
}

static bool line_eq(const Line *a, const Line *b) {
  return a->hash == b->hash && a->len == b->len && memcmp(a->p, b->p, a->len) == 0;
}

/* Marks del[i] / ins[j] for the lines of a[0..n) / b[0..m) that a shortest
** edit script deletes / inserts. */
static void myers(const Line *a, size_t n, const Line *b, size_t m, bool *del, bool *ins) {
  size_t max = n + m;
  if (max == 0) return;
  size_t dcap = max < MAX_D ? max : MAX_D;
  /* round d keeps V[-d..d] at trace[d*d ..] */
  long *trace = xmalloc((dcap + 1) * (dcap + 1) * sizeof *trace);
  long N = (long)n, M = (long)m;
  long found = -1;
  for (long d = 0; d <= (long)dcap && found < 0; d++) {
    long *v = trace + d * d + d;              /* v[k], k in -d..d */
    long *pv = d ? trace + (d - 1) * (d - 1) + (d - 1) : NULL;
    for (long k = -d; k <= d; k += 2) {
      long x;
      if (d == 0) x = 0;
      else if (k == -d || (k != d && pv[k - 1] < pv[k + 1])) x = pv[k + 1];
      else x = pv[k - 1] + 1;
      long y = x - k;
      while (x < N && y < M && line_eq(&a[x], &b[y])) x++, y++;
      v[k] = x;
      if (x >= N && y >= M) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) {
    /* too different to be worth the search: replace the whole middle */
    for (size_t i = 0; i < n; i++) del[i] = true;
    for (size_t j = 0; j < m; j++) ins[j] = true;
    free(trace);
    return;
  }
  long x = N, y = M;
  for (long d = found; d > 0; d--) {
    long *pv = trace + (d - 1) * (d - 1) + (d - 1);
    long k = x - y, pk;
    if (k == -d || (k != d && pv[k - 1] < pv[k + 1])) pk = k + 1;
    else pk = k - 1;
    long px = pv[pk], py = px - pk;
    if (pk == k + 1) ins[py] = true;   /* came down: b[py] inserted */
    else del[px] = true;               /* came right: a[px] deleted */
    x = px;
    y = py;
  }
  free(trace);
}

static void put_line(Buf *out, char mark, const Line *l) {
  buf_putc(out, mark);
  buf_add(out, l->p, l->len);
  if (l->len == 0 || l->p[l->len - 1] != '\n') buf_puts(out, "\n\\ No newline at end of file\n");
}

static void put_range(Buf *out, size_t start, size_t count) {
  if (count == 1) buf_printf(out, "%zu", start + 1);
  else if (count == 0) buf_printf(out, "%zu,0", start);
  else buf_printf(out, "%zu,%zu", start + 1, count);
}

typedef struct Change {
  size_t a0, a1, b0, b1;   /* a[a0..a1) replaced by b[b0..b1) */
} Change;

void udiff(Buf *out, const char *as, size_t alen, const char *bs, size_t blen, const char *old_label,
           const char *new_label) {
  size_t n, m;
  Line *a = split(as, alen, &n), *b = split(bs, blen, &m);
  size_t pre = 0, suf = 0;
  while (pre < n && pre < m && line_eq(&a[pre], &b[pre])) pre++;
  while (suf < n - pre && suf < m - pre && line_eq(&a[n - 1 - suf], &b[m - 1 - suf])) suf++;
  bool *del = xcalloc(n + 1, 1), *ins = xcalloc(m + 1, 1);
  myers(a + pre, n - pre - suf, b + pre, m - pre - suf, del + pre, ins + pre);

  /* the edit script as blocks of changed lines */
  Change *ch = NULL;
  size_t nch = 0, cap = 0;
  for (size_t i = 0, j = 0; i < n || j < m;) {
    if (i < n && j < m && !del[i] && !ins[j]) {
      i++, j++;
      continue;
    }
    Change c = {i, i, j, j};
    while (c.a1 < n && del[c.a1]) c.a1++;
    while (c.b1 < m && ins[c.b1]) c.b1++;
    VEC_PUSH(ch, nch, cap, c);
    i = c.a1;
    j = c.b1;
  }

  if (nch) {
    buf_printf(out, "--- %s\n+++ %s\n", old_label, new_label);
    for (size_t h = 0; h < nch;) {
      /* a hunk takes every later change whose gap to the previous one
      ** is covered by the two contexts */
      size_t e = h;
      while (e + 1 < nch && ch[e + 1].a0 - ch[e].a1 <= 2 * CONTEXT) e++;
      size_t lead = ch[h].a0 < CONTEXT ? ch[h].a0 : CONTEXT;
      size_t a0 = ch[h].a0 - lead, b0 = ch[h].b0 - lead;
      size_t trail = n - ch[e].a1 < CONTEXT ? n - ch[e].a1 : CONTEXT;
      size_t a1 = ch[e].a1 + trail, b1 = ch[e].b1 + trail;
      buf_puts(out, "@@ -");
      put_range(out, a0, a1 - a0);
      buf_puts(out, " +");
      put_range(out, b0, b1 - b0);
      buf_puts(out, " @@\n");
      size_t i = a0;
      for (size_t c = h; c <= e; c++) {
        for (; i < ch[c].a0; i++) put_line(out, ' ', &a[i]);
        for (size_t k = ch[c].a0; k < ch[c].a1; k++) put_line(out, '-', &a[k]);
        for (size_t k = ch[c].b0; k < ch[c].b1; k++) put_line(out, '+', &b[k]);
        i = ch[c].a1;
      }
      for (; i < a1; i++) put_line(out, ' ', &a[i]);
      h = e + 1;
    }
  }
  free(ch);
  free(del);
  free(ins);
  free(a);
  free(b);
}
