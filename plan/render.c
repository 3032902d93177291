/*
** plan/render.c — the human plan text, as `terraform plan` prints it.
**
** Rendering happens in two passes, the way Terraform's jsonformat package
** does it, because the layout of a line depends on facts about its siblings
** (the `=` column is padded to the longest name, unchanged children are
** counted into "# (N unchanged attributes hidden)"):
**
**   1. diff: walk before/after values (with the schema for resources, or
**      structurally for outputs and jsonencode() contents) and build a tree
**      of Diff nodes, each with an action (no-op, create, update, delete)
**      and a "forces replacement" bit;
**   2. render: print the tree with Terraform's indentation, symbols, and
**      hidden-children summaries.
**
** Terraform works from the JSON plan, where `null` means both "absent" and
** "null"; a separate "explicit" flag says whether the key was present. The
** differ below keeps that model (Side.exp) because it decides between
** create/delete and update in exactly the places Terraform does.
**
** Colours follow Terraform's colorstring templates: "[bold]", "[red]" ...
** are replaced by ANSI codes (or removed with colour off), and a reset is
** appended to every template that used one.
*/
#include "plan/plan.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/util.h"

/* The column count Terraform assumes when stdout is not a terminal. */
#define COLUMNS 78

/* ------------------------------------------------------------- colours */

typedef struct R {
  Buf *b;
  bool color;
} R;

static const struct {
  const char *name, *code;
} colors[] = {
    {"reset", "0"},  {"bold", "1"},     {"red", "31"},       {"green", "32"},
    {"yellow", "33"}, {"cyan", "36"},   {"dark_gray", "90"},
};

/* Appends s with its colour tags replaced (colorstring's Color()). */
static void col(R *r, const char *s) {
  bool used = false;
  while (*s) {
    if (*s == '[') {
      const char *e = strchr(s, ']');
      bool found = false;
      if (e) {
        for (size_t i = 0; i < sizeof colors / sizeof colors[0]; i++) {
          size_t n = strlen(colors[i].name);
          if ((size_t)(e - s - 1) == n && memcmp(s + 1, colors[i].name, n) == 0) {
            if (r->color) buf_printf(r->b, "\033[%sm", colors[i].code);
            used = found = true;
            break;
          }
        }
      }
      if (found) {
        s = e + 1;
        continue;
      }
    }
    buf_putc(r->b, *s++);
  }
  if (used && r->color) buf_puts(r->b, "\033[0m");
}

static void colf(R *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void colf(R *r, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = NULL;
  if (vasprintf(&s, fmt, ap) < 0) s = NULL;
  va_end(ap);
  if (s) col(r, s);
  free(s);
}

/* ------------------------------------------------------------ diff tree */

typedef enum { DA_NOOP, DA_CREATE, DA_UPDATE, DA_DELETE } DAct;

typedef enum {
  RK_PRIM,       /* before/after primitives (NULL: null) */
  RK_SENS,       /* (sensitive value) over inner */
  RK_SENSBLOCK,  /* a nested block whose contents are sensitive */
  RK_UNKNOWN,    /* (known after apply), inner = the before side or NULL */
  RK_TYPECHANGE, /* inner -> inner2 */
  RK_MAP,        /* keys quoted, aligned */
  RK_OBJECT,     /* keys bare when valid identifiers, aligned */
  RK_LIST,       /* with context lines around changes */
  RK_SET,
  RK_BLOCK       /* a resource or nested block: attributes + block groups */
} RKind;

typedef struct Diff Diff;

typedef struct Group {
  char *name;
  Diff **v;
  size_t n, cap;
  bool replace;   /* the whole group forces replacement */
  bool unknown;   /* the whole group is unknown: a "(known after apply)"
                     line with the parent block's action */
} Group;

struct Diff {
  RKind kind;
  DAct act;
  bool replace;
  Value *before, *after;  /* RK_PRIM; NULL when null */
  bool is_string;         /* RK_PRIM of type string */
  bool is_null_type;      /* RK_PRIM of JSON null (no type) */
  Diff *inner, *inner2;
  bool bsens, asens;      /* RK_SENS, RK_SENSBLOCK */
  char **keys;            /* RK_MAP / RK_OBJECT / RK_BLOCK attributes */
  Diff **kids;
  size_t n, cap;
  Group *groups;          /* RK_BLOCK */
  size_t ngroups, capgroups;
};

static Diff *mk(RKind k, DAct a, bool replace) {
  Diff *d = xcalloc(1, sizeof *d);
  d->kind = k;
  d->act = a;
  d->replace = replace;
  return d;
}

static void diff_free(Diff *d) {
  if (!d) return;
  val_free(d->before);
  val_free(d->after);
  diff_free(d->inner);
  diff_free(d->inner2);
  for (size_t i = 0; i < d->n; i++) {
    if (d->keys) free(d->keys[i]);
    diff_free(d->kids[i]);
  }
  free(d->keys);
  free(d->kids);
  for (size_t g = 0; g < d->ngroups; g++) {
    for (size_t i = 0; i < d->groups[g].n; i++) diff_free(d->groups[g].v[i]);
    free(d->groups[g].v);
    free(d->groups[g].name);
  }
  free(d->groups);
  free(d);
}

static void add_kid(Diff *d, const char *key, Diff *k) {
  if (d->n == d->cap) {
    d->cap = d->cap ? d->cap * 2 : 4;
    d->kids = xrealloc(d->kids, d->cap * sizeof *d->kids);
    if (key || d->keys) d->keys = xrealloc(d->keys, d->cap * sizeof *d->keys);
  }
  if (key) d->keys[d->n] = xstrdup(key);
  d->kids[d->n++] = k;
}

/* collections.CompareActions: the combined action of a parent. */
static DAct cmp_act(DAct cur, DAct next) {
  if (next == DA_NOOP) return cur;
  return cur != next ? DA_UPDATE : cur;
}

/* ------------------------------------------------------ value helpers */

/* One side of a change, as the JSON plan sees it: v NULL means null or
** absent (also unknown, for the after side); exp says the key was present. */
typedef struct Side {
  const Value *v;
  bool exp;
} Side;

/* Deep equality ignoring marks (Go's reflect.DeepEqual on the JSON). */
static bool veq(const Value *a, const Value *b) {
  if (!a || !b) return a == b;
  if (val_raw_equal(a, b)) return true;
  if (!val_has_sensitive(a) && !val_has_sensitive(b)) return false;
  Value *x = val_unmark_deep(a), *y = val_unmark_deep(b);
  bool eq = val_raw_equal(x, y);
  val_free(x);
  val_free(y);
  return eq;
}

static bool is_null(const Value *v) { return !v || (val_is_known(v) && val_is_null(v)); }

/* "" as null (sensitive marks do not matter for the test). */
static const Value *blank_to_null(const Value *v) {
  if (!v || !val_is_known(v) || val_is_null(v)) return v;
  if (val_kind(v) == TY_STRING && val_str_len(v) == 0) return NULL;
  return v;
}

/* differ.containsNonLegacyFeatures: types the legacy SDK could not
** declare (objects, tuples, dynamic, collections of non-primitive
** collections). */
static bool nonlegacy_type(const Type *t) {
  if (type_has_dynamic(t) || t->kind == TY_OBJECT || t->kind == TY_TUPLE) return true;
  if (type_is_collection(t) && type_is_collection(t->elem) && !type_is_primitive(t->elem->elem)) return true;
  return false;
}

static bool nonlegacy_schema(const Schema *s) {
  const Type *st = schema_type(s);
  for (size_t i = 0; i < s->nattrs; i++) {
    const Type *t = type_attr(st, s->attrs[i].name);
    if (t && nonlegacy_type(t)) return true;
  }
  return false;
}

/* structured.Change.CalculateAction. */
static DAct calc_act(Side b, Side a, bool bsens, bool asens) {
  if (!b.v && !b.exp && (a.v || a.exp)) return DA_CREATE;
  if (!a.v && !a.exp && (b.v || b.exp)) return DA_DELETE;
  if (veq(b.v, a.v) && a.exp == b.exp && bsens == asens) return DA_NOOP;
  return DA_UPDATE;
}

/* A replace path string: "a.b[0].c". */
static char *path_attr(const char *prefix, const char *name) {
  return *prefix ? xasprintf("%s.%s", prefix, name) : xstrdup(name);
}
static char *path_index(const char *prefix, size_t i) { return xasprintf("%s[%zu]", prefix, i); }

typedef struct Ctx {
  const PathSet *rp;  /* replace paths; NULL: none */
  const Plan *rel;    /* drift: show only the attributes of rel_addr that
                         the plan lists as relevant; NULL: all */
  const char *rel_addr;
  bool nonlegacy;     /* the schema has features the legacy SDK lacks, so ""
                         and null are different values */
} Ctx;

static bool rp_has(const Ctx *c, const char *path) { return c->rp && *path && pathset_has(c->rp, path); }

/* Whether a top-level attribute counts for a drift diff; the others are
** compared as unchanged (Terraform's relevant-attribute matcher). */
static bool relevant(const Ctx *c, const char *path, const char *name) {
  if (!c->rel || *path) return true;
  for (size_t i = 0; i < c->rel->nrelevant; i++)
    if (!strcmp(c->rel->relevant[i].addr, c->rel_addr) &&
        (!strcmp(c->rel->relevant[i].attr, name) || !strcmp(c->rel->relevant[i].attr, "*")))
      return true;
  return false;
}

/* The element at i of a sequence value, or NULL past the end. */
static const Value *seq_at(const Value *v, size_t i) { return v && i < val_len(v) ? val_elems(v)[i] : NULL; }
static size_t seq_len(const Value *v) { return v ? val_len(v) : 0; }

/* ------------------------------------------------ LCS and ProcessSlice */

typedef bool (*EqFn)(const Value *a, const Value *b);
typedef void (*PairFn)(void *ud, size_t bi, size_t ai);

/* objchange.LongestCommonSubsequence over xs[x0..x0+nx) and ys[y0..y0+ny):
** appends the indexes into xs of the common items to seq. */
static void lcs_dp(const Value *xs, const Value *ys, size_t x0, size_t nx, size_t y0, size_t ny, size_t *seq,
                   size_t *n) {
  if (!nx || !ny) return;
  size_t w = nx;
  size_t *c = xcalloc(nx * ny, sizeof *c);
  bool *eqs = xcalloc(nx * ny, sizeof *eqs);
  for (size_t y = 0; y < ny; y++)
    for (size_t x = 0; x < nx; x++) {
      if (veq(seq_at(xs, x0 + x), seq_at(ys, y0 + y))) {
        eqs[w * y + x] = true;
        c[w * y + x] = (x == 0 || y == 0) ? 1 : c[w * (y - 1) + (x - 1)] + 1;
      } else {
        size_t l = x > 0 ? c[w * y + x - 1] : 0, u = y > 0 ? c[w * (y - 1) + x] : 0;
        c[w * y + x] = l > u ? l : u;
      }
    }
  size_t len = c[nx * ny - 1];
  long x = (long)nx - 1, y = (long)ny - 1, i = (long)len - 1;
  while (x > -1 && y > -1) {
    if (eqs[w * (size_t)y + (size_t)x]) {
      seq[*n + (size_t)i--] = x0 + (size_t)x;
      x--;
      y--;
    } else {
      size_t l = x > 0 ? c[w * (size_t)y + (size_t)x - 1] : 0, u = y > 0 ? c[w * (size_t)(y - 1) + (size_t)x] : 0;
      if (l > u) x--;
      else y--;
    }
  }
  *n += len;
  free(c);
  free(eqs);
}

/* Above this many table cells the common prefix and suffix are matched
** directly and only the middle goes through the table; above it again
** there is no table at all (everything in the middle is removed and
** added), so a huge list or text cannot exhaust memory. */
#define LCS_DIRECT_CELLS ((size_t)1 << 20)
#define LCS_MAX_CELLS ((size_t)1 << 24)

/* The indexes into xs of a longest common subsequence of xs and ys. */
static size_t lcs(const Value *xs, const Value *ys, size_t **out) {
  size_t nx = seq_len(xs), ny = seq_len(ys), n = 0;
  *out = NULL;
  if (!nx || !ny) return 0;
  size_t *seq = xmalloc((nx < ny ? nx : ny) * sizeof *seq);
  if (nx <= LCS_DIRECT_CELLS / ny) {
    lcs_dp(xs, ys, 0, nx, 0, ny, seq, &n);
  } else {
    size_t pre = 0, suf = 0;
    while (pre < nx && pre < ny && veq(seq_at(xs, pre), seq_at(ys, pre))) pre++;
    while (suf < nx - pre && suf < ny - pre && veq(seq_at(xs, nx - 1 - suf), seq_at(ys, ny - 1 - suf))) suf++;
    for (size_t k = 0; k < pre; k++) seq[n++] = k;
    size_t mx = nx - pre - suf, my = ny - pre - suf;
    if (mx && my && mx <= LCS_MAX_CELLS / my) lcs_dp(xs, ys, pre, mx, pre, my, seq, &n);
    for (size_t k = 0; k < suf; k++) seq[n++] = nx - suf + k;
  }
  *out = seq;
  return n;
}

/* collections.ProcessSlice: walks two sequences as deletions, insertions
** and common items; is_obj pairs a deleted and an inserted object as one
** update. fn gets (bi, ai) with nb / na meaning "none". */
static void process_slice(const Value *before, const Value *after, bool (*is_obj)(const Value *), PairFn fn,
                          void *ud) {
  size_t *common;
  size_t nl = lcs(before, after, &common);
  size_t nb = seq_len(before), na = seq_len(after);
  size_t bi = 0, ai = 0, li = 0;
  while (bi < nb || ai < na || li < nl) {
    while (bi < nb && (li >= nl || !veq(seq_at(before, bi), seq_at(before, common[li])))) {
      bool objdiff = is_obj(seq_at(before, bi)) && ai < na && is_obj(seq_at(after, ai)) &&
                     (li >= nl || !veq(seq_at(after, ai), seq_at(before, common[li])));
      if (objdiff) {
        fn(ud, bi++, ai++);
        continue;
      }
      fn(ud, bi++, na);
    }
    while (ai < na && (li >= nl || !veq(seq_at(after, ai), seq_at(before, common[li])))) fn(ud, nb, ai++);
    if (li < nl) {
      fn(ud, bi++, ai++);
      li++;
    }
  }
  free(common);
}

static bool is_obj_never(const Value *v) {
  (void)v;
  return false;
}
static bool is_obj_always(const Value *v) {
  (void)v;
  return true;
}
static bool is_obj_value(const Value *v) {
  return v && val_is_known(v) && !val_is_null(v) && (val_kind(v) == TY_OBJECT || val_kind(v) == TY_MAP);
}

/* ------------------------------------------- generic (JSON) differ */

/* jsondiff: the structural diff used for outputs and jsonencode() strings:
** objects and maps alike, lists, sets and tuples alike. */
static Diff *gdiff(const Ctx *c, Side b, Side a, const char *path);

typedef enum { GT_NULL, GT_BOOL, GT_NUMBER, GT_STRING, GT_OBJECT, GT_ARRAY } GType;

static GType gtype(const Value *v) {
  if (!v || val_is_null(v)) return GT_NULL;
  switch (val_kind(v)) {
    case TY_BOOL: return GT_BOOL;
    case TY_NUMBER: return GT_NUMBER;
    case TY_STRING: return GT_STRING;
    case TY_OBJECT:
    case TY_MAP: return GT_OBJECT;
    default: return GT_ARRAY;
  }
}

static Diff *mk_prim(const Value *b, const Value *a, DAct act, bool replace, bool is_string) {
  Diff *d = mk(RK_PRIM, act, replace);
  d->before = b ? val_unmark_deep(b) : NULL;
  d->after = a ? val_unmark_deep(a) : NULL;
  d->is_string = is_string;
  return d;
}

/* A map/object side's child: (value, present). */
static Side child_of(Side s, const char *key) {
  Side r = {NULL, false};
  if (!s.v || val_is_null(s.v) || !val_is_known(s.v)) return r;
  ValIter it = val_iter(s.v);
  while (val_iter_next(&it))
    if (strcmp(it.key, key) == 0) {
      r.v = it.elem;
      r.exp = true;
      break;
    }
  return r;
}

typedef struct SliceCtx {
  const Ctx *c;
  Side b, a;
  const char *path;
  Diff *out;
  DAct act;
  /* for schema-typed lists: the element type */
  const Type *elem;
} SliceCtx;

static Diff *tdiff(const Ctx *c, Side b, Side a, bool bsens, bool asens, const Type *t, const char *path);

static Side elem_side(const Value *seq, size_t i) {
  Side s = {seq_at(seq, i), i < seq_len(seq)};
  return s;
}

static void g_slice_fn(void *ud, size_t bi, size_t ai) {
  SliceCtx *s = ud;
  size_t nb = seq_len(s->b.v);
  char *p = path_index(s->path, bi < nb ? bi : ai);
  Diff *d;
  if (s->elem) {
    Side eb = elem_side(s->b.v, bi), ea = elem_side(s->a.v, ai);
    d = tdiff(s->c, eb, ea, eb.v && val_is_sensitive(eb.v), ea.v && val_is_sensitive(ea.v), s->elem, p);
  } else {
    d = gdiff(s->c, elem_side(s->b.v, bi), elem_side(s->a.v, ai), p);
  }
  free(p);
  add_kid(s->out, NULL, d);
  s->act = cmp_act(s->act, d->act);
}

static DAct iter_default(const Value *b, const Value *a) {
  if (!b && !a) return DA_NOOP;
  if (!b) return DA_CREATE;
  if (!a) return DA_DELETE;
  return DA_NOOP;
}

static Diff *g_update(const Ctx *c, Side b, Side a, GType t, const char *path) {
  bool rep = rp_has(c, path);
  switch (t) {
    case GT_NULL:
    case GT_BOOL:
    case GT_NUMBER:
    case GT_STRING: {
      bool bmiss = !b.v && !b.exp, amiss = !a.v && !a.exp;
      DAct act = (bmiss && !amiss) ? DA_CREATE : (!bmiss && amiss) ? DA_DELETE : veq(b.v, a.v) ? DA_NOOP : DA_UPDATE;
      Diff *d = mk_prim(b.v, a.v, act, false, t == GT_STRING);
      d->is_null_type = t == GT_NULL;
      return d;
    }
    case GT_OBJECT: {
      Diff *d = mk(RK_OBJECT, iter_default(b.v, a.v), false);
      (void)rep;
      /* every key of either side, in order */
      const char *const *bk = b.v ? val_keys(b.v) : NULL;
      const char *const *ak = a.v ? val_keys(a.v) : NULL;
      size_t nb = b.v ? val_len(b.v) : 0, na = a.v ? val_len(a.v) : 0, i = 0, j = 0;
      while (i < nb || j < na) {
        const char *k;
        int cmp = i >= nb ? 1 : j >= na ? -1 : strcmp(bk[i], ak[j]);
        if (cmp < 0) k = bk[i++];
        else if (cmp > 0) k = ak[j++];
        else {
          k = bk[i++];
          j++;
        }
        char *p = path_attr(path, k);
        Diff *kd = gdiff(c, child_of(b, k), child_of(a, k), p);
        free(p);
        add_kid(d, k, kd);
        d->act = cmp_act(d->act, kd->act);
      }
      return d;
    }
    case GT_ARRAY: {
      Diff *d = mk(RK_LIST, DA_NOOP, false);
      SliceCtx s = {c, b, a, path, d, iter_default(b.v, a.v), NULL};
      process_slice(b.v, a.v, is_obj_value, g_slice_fn, &s);
      d->act = s.act;
      return d;
    }
  }
  return NULL;
}

static Diff *mk_sens(Diff *inner, bool bs, bool as, Side b, Side a, bool replace) {
  DAct act = inner->act;
  bool null_noop = !b.v && !b.exp && !a.v && !a.exp;
  if (act == DA_NOOP && bs != as && !null_noop) act = DA_UPDATE;
  Diff *d = mk(RK_SENS, act, replace);
  d->inner = inner;
  d->bsens = bs;
  d->asens = as;
  return d;
}

static Diff *gdiff(const Ctx *c, Side b, Side a, const char *path) {
  bool bs = b.v && val_is_sensitive(b.v), as = a.v && val_is_sensitive(a.v);
  if (bs || as) {
    Value *ub = b.v ? val_unmark(b.v) : NULL, *ua = a.v ? val_unmark(a.v) : NULL;
    Side ib = {ub, b.exp}, ia = {ua, a.exp};
    Diff *d = mk_sens(gdiff(c, ib, ia, path), bs, as, b, a, false);
    val_free(ub);
    val_free(ua);
    return d;
  }
  if (a.v && !val_is_known(a.v)) {
    Side bn = {is_null(b.v) ? NULL : b.v, b.exp};
    Diff *d = mk(RK_UNKNOWN, bn.v ? DA_UPDATE : DA_CREATE, false);
    if (bn.v) {
      Side none = {NULL, false};
      d->inner = gdiff(c, bn, none, path);
    }
    return d;
  }
  if (is_null(b.v)) b.v = NULL;
  if (is_null(a.v)) a.v = NULL;
  GType bt = gtype(b.v), at = gtype(a.v);
  bool deleted = at == GT_NULL && !a.exp, created = bt == GT_NULL && !b.exp;
  if (bt == at || created || deleted) return g_update(c, b, a, bt != GT_NULL ? bt : at, path);
  Side none = {NULL, false};
  Diff *d = mk(RK_TYPECHANGE, DA_UPDATE, false);
  d->inner = g_update(c, b, none, bt, path);
  d->inner2 = g_update(c, none, a, at, path);
  return d;
}

/* ------------------------------------------- typed (schema) differ */

typedef struct SetCtx {
  Diff *out;
  DAct act;
} SetCtx;

/* differ.processSet: pairs equal elements of two sets; the rest are
** deletions (before) and creations (after). */
static void process_set(const Value *b, const Value *a, void (*fn)(void *ud, Side eb, Side ea, size_t ix), void *ud) {
  size_t nb = seq_len(b), na = seq_len(a);
  long *fb = xmalloc((nb ? nb : 1) * sizeof *fb);
  bool *fa = xcalloc(na ? na : 1, sizeof *fa);
  for (size_t i = 0; i < nb; i++) {
    fb[i] = -1;
    for (size_t j = 0; j < na; j++) {
      if (fa[j]) continue;
      const Value *x = seq_at(b, i), *y = seq_at(a, j);
      if (val_is_wholly_known(y) && veq(x, y) && val_is_sensitive(x) == val_is_sensitive(y)) {
        fb[i] = (long)j;
        fa[j] = true;
        break;
      }
    }
  }
  Side none = {NULL, false};
  for (size_t i = 0; i < nb; i++) {
    Side eb = {seq_at(b, i), true};
    if (fb[i] >= 0) {
      Side ea = {seq_at(a, (size_t)fb[i]), true};
      fn(ud, eb, ea, i);
    } else {
      fn(ud, eb, none, i);
    }
  }
  for (size_t j = 0; j < na; j++) {
    if (fa[j]) continue;
    Side ea = {seq_at(a, j), true};
    fn(ud, none, ea, j);
  }
  free(fb);
  free(fa);
}

typedef struct TSetCtx {
  const Ctx *c;
  const char *path;
  const Type *elem;
  Diff *out;
  DAct act;
} TSetCtx;

static void tset_fn(void *ud, Side eb, Side ea, size_t ix) {
  TSetCtx *s = ud;
  char *p = path_index(s->path, ix);
  Diff *d = tdiff(s->c, eb, ea, eb.v && val_is_sensitive(eb.v), ea.v && val_is_sensitive(ea.v), s->elem, p);
  free(p);
  add_kid(s->out, NULL, d);
  s->act = cmp_act(s->act, d->act);
}

/* differ.ComputeDiffForType: a value of a known type (an attribute, or an
** element of one). bsens/asens: the value is sensitive on that side (mark
** or schema). */
static Diff *tdiff(const Ctx *c, Side b, Side a, bool bsens, bool asens, const Type *t, const char *path) {
  bool rep = rp_has(c, path);
  if (!c->nonlegacy) {
    /* the legacy SDK cannot tell "" from null, so neither can the diff */
    b.v = blank_to_null(b.v);
    if (a.v && val_is_known(a.v)) a.v = blank_to_null(a.v);
  }
  if (bsens || asens) {
    Value *ub = b.v ? val_unmark(b.v) : NULL, *ua = a.v ? val_unmark(a.v) : NULL;
    Side ib = {ub, b.exp}, ia = {ua, a.exp};
    Diff *in = tdiff(c, ib, ia, false, false, t, path);
    val_free(ub);
    val_free(ua);
    return mk_sens(in, bsens, asens, b, a, rep);
  }
  if (a.v && !val_is_known(a.v)) {
    a.exp = true;
    Side bn = {is_null(b.v) ? NULL : b.v, b.exp};
    Side an = {NULL, true};
    Diff *d = mk(RK_UNKNOWN, calc_act(bn, an, false, false), rep);
    if (bn.v) {
      Side none = {NULL, false};
      d->inner = tdiff(c, bn, none, false, false, t, path);
    }
    return d;
  }
  if (is_null(b.v)) b.v = NULL;
  if (is_null(a.v)) a.v = NULL;
  if (t->kind == TY_DYNAMIC) {
    Diff *d = gdiff(c, b, a, path);
    d->replace = d->replace || rep;
    return d;
  }
  if (type_is_primitive(t)) return mk_prim(b.v, a.v, calc_act(b, a, false, false), rep, t->kind == TY_STRING);
  switch (t->kind) {
    case TY_OBJECT: {
      Diff *d = mk(RK_OBJECT, iter_default(b.v, a.v), rep);
      for (size_t i = 0; i < t->n; i++) {
        const char *k = t->names[i];
        Side cb = child_of(b, k), ca = child_of(a, k);
        cb.exp = ca.exp = false;
        char *p = path_attr(path, k);
        Diff *kd = tdiff(c, cb, ca, cb.v && val_is_sensitive(cb.v), ca.v && val_is_sensitive(ca.v), t->elems[i], p);
        free(p);
        if (kd->act == DA_NOOP && is_null(cb.v) && is_null(ca.v)) {
          diff_free(kd);
          continue;
        }
        add_kid(d, k, kd);
        d->act = cmp_act(d->act, kd->act);
      }
      return d;
    }
    case TY_MAP: {
      Diff *d = mk(RK_MAP, iter_default(b.v, a.v), rep);
      const char *const *bk = b.v ? val_keys(b.v) : NULL;
      const char *const *ak = a.v ? val_keys(a.v) : NULL;
      size_t nb = b.v ? val_len(b.v) : 0, na = a.v ? val_len(a.v) : 0, i = 0, j = 0;
      while (i < nb || j < na) {
        const char *k;
        int cmp = i >= nb ? 1 : j >= na ? -1 : strcmp(bk[i], ak[j]);
        if (cmp < 0) k = bk[i++];
        else if (cmp > 0) k = ak[j++];
        else {
          k = bk[i++];
          j++;
        }
        Side cb = child_of(b, k), ca = child_of(a, k);
        char *p = xasprintf("%s[\"%s\"]", path, k);
        Diff *kd = tdiff(c, cb, ca, cb.v && val_is_sensitive(cb.v), ca.v && val_is_sensitive(ca.v), t->elem, p);
        free(p);
        add_kid(d, k, kd);
        d->act = cmp_act(d->act, kd->act);
      }
      return d;
    }
    case TY_LIST: {
      Diff *d = mk(RK_LIST, DA_NOOP, rep);
      SliceCtx s = {c, b, a, path, d, iter_default(b.v, a.v), t->elem};
      process_slice(b.v, a.v, t->elem->kind == TY_OBJECT ? is_obj_always : is_obj_never, g_slice_fn, &s);
      d->act = s.act;
      return d;
    }
    case TY_SET: {
      Diff *d = mk(RK_SET, DA_NOOP, rep);
      TSetCtx s = {c, path, t->elem, d, iter_default(b.v, a.v)};
      process_set(b.v, a.v, tset_fn, &s);
      d->act = s.act;
      return d;
    }
    case TY_TUPLE: {
      Diff *d = mk(RK_LIST, iter_default(b.v, a.v), rep);
      for (size_t i = 0; i < t->n; i++) {
        char *p = path_index(path, i);
        Side eb = elem_side(b.v, i), ea = elem_side(a.v, i);
        Diff *kd = tdiff(c, eb, ea, eb.v && val_is_sensitive(eb.v), ea.v && val_is_sensitive(ea.v), t->elems[i], p);
        free(p);
        add_kid(d, NULL, kd);
        d->act = cmp_act(d->act, kd->act);
      }
      return d;
    }
    default: break;
  }
  return mk_prim(b.v, a.v, calc_act(b, a, false, false), rep, false);
}

/* ------------------------------------------------------ block differ */

static Diff *bdiff(const Ctx *c, Side b, Side a, const Schema *s, const char *path);

typedef struct BSliceCtx {
  const Ctx *c;
  const Value *b, *a;
  const Schema *s;
  const char *path;
  Group *g;
  DAct act;
} BSliceCtx;

static void group_add(Group *g, Diff *d) { VEC_PUSH(g->v, g->n, g->cap, d); }

static void blist_fn(void *ud, size_t bi, size_t ai) {
  BSliceCtx *s = ud;
  size_t nb = seq_len(s->b);
  char *p = path_index(s->path, bi < nb ? bi : ai);
  Diff *d = bdiff(s->c, elem_side(s->b, bi), elem_side(s->a, ai), s->s, p);
  free(p);
  group_add(s->g, d);
  s->act = cmp_act(s->act, d->act);
}

static void bset_fn(void *ud, Side eb, Side ea, size_t ix) {
  BSliceCtx *s = ud;
  char *p = path_index(s->path, ix);
  Diff *d = bdiff(s->c, eb, ea, s->s, p);
  free(p);
  group_add(s->g, d);
  s->act = cmp_act(s->act, d->act);
}

static Group *block_group(Diff *d, const char *name) {
  if (d->ngroups == d->capgroups) {
    d->capgroups = d->capgroups ? d->capgroups * 2 : 4;
    d->groups = xrealloc(d->groups, d->capgroups * sizeof *d->groups);
  }
  Group *g = &d->groups[d->ngroups++];
  memset(g, 0, sizeof *g);
  g->name = xstrdup(name);
  return g;
}

/* differ.ComputeDiffForBlock. */
static Diff *bdiff(const Ctx *pc, Side b, Side a, const Schema *s, const char *path) {
  Ctx cc = *pc, *c = &cc;
  cc.nonlegacy = cc.nonlegacy || (s && nonlegacy_schema(s));
  if (is_null(b.v)) b.v = NULL;
  if (is_null(a.v)) a.v = NULL;
  bool bobj = b.v != NULL, aobj = a.v != NULL;
  Diff *d = mk(RK_BLOCK, iter_default(b.v, a.v), rp_has(c, path));
  if (a.v && !val_is_known(a.v)) {
    /* the whole block is unknown */
    Diff *u = mk(RK_UNKNOWN, b.v ? DA_UPDATE : DA_CREATE, d->replace);
    diff_free(d);
    return u;
  }
  /* Without a schema (a type the provider no longer has) every attribute
  ** of the values is shown, typed by its own value. */
  const Type *ot = a.v ? val_type(a.v) : b.v ? val_type(b.v) : NULL;
  size_t nattrs = s ? s->nattrs : (ot && ot->kind == TY_OBJECT ? ot->n : 0);
  for (size_t i = 0; i < nattrs; i++) {
    const char *name = s ? s->attrs[i].name : ot->names[i];
    Side cb = child_of(b, name), ca = child_of(a, name);
    if (!relevant(c, path, name)) ca = cb;
    bool ssens = s && (s->attrs[i].flags & SA_SENSITIVE) != 0;
    bool bs = (bobj && ssens) || (cb.v && val_is_sensitive(cb.v));
    bool as = (aobj && ssens) || (ca.v && val_is_sensitive(ca.v));
    if (is_null(cb.v)) cb.v = NULL;
    if (is_null(ca.v)) ca.v = NULL;
    cb.exp = ca.exp = false;
    char *p = path_attr(path, name);
    const Type *t = s ? type_attr(schema_type(s), name) : ot->elems[i];
    Diff *kd = tdiff(c, cb, ca, bs, as, t ? t : T_DYNAMIC, p);
    free(p);
    if (kd->act == DA_NOOP && !cb.v && !ca.v) {
      diff_free(kd);
      continue;
    }
    add_kid(d, name, kd);
    d->act = cmp_act(d->act, kd->act);
  }
  if (!s) return d;
  for (size_t i = 0; i < s->nblocks; i++) {
    const SchemaBlock *sb = &s->blocks[i];
    Side cb = child_of(b, sb->name), ca = child_of(a, sb->name);
    if (!relevant(c, path, sb->name)) ca = cb;
    bool bs = cb.v && val_is_sensitive(cb.v), as = ca.v && val_is_sensitive(ca.v);
    char *p = path_attr(path, sb->name);
    bool rep = rp_has(c, p);
    Value *ub = cb.v ? val_unmark(cb.v) : NULL, *ua = ca.v ? val_unmark(ca.v) : NULL;
    const Value *vb = is_null(ub) ? NULL : ub, *va = (ua && val_is_known(ua) && val_is_null(ua)) ? NULL : ua;
    bool unknown = va && !val_is_known(va);
    if (unknown) va = NULL; /* the JSON plan has no after value for it */
    {
      Group tmp = {0};
      BSliceCtx sc = {c, vb, va, sb->schema, p, &tmp, iter_default(vb, va)};
      if (sb->nesting == NEST_SET) process_set(vb, va, bset_fn, &sc);
      else {
        /* list blocks pair up by position (processNestedList) */
        for (size_t ix = 0; ix < seq_len(vb) || ix < seq_len(va); ix++) blist_fn(&sc, ix, ix);
      }
      if (sc.act == DA_NOOP && !vb && !va && !unknown) {
        for (size_t k = 0; k < tmp.n; k++) diff_free(tmp.v[k]);
        free(tmp.v);
      } else {
        Group *g = block_group(d, sb->name);
        g->v = tmp.v;
        g->n = tmp.n;
        g->cap = tmp.cap;
        g->replace = rep;
        g->unknown = unknown;
        if (bs || as) {
          /* sensitive as a whole: each block renders as a notice */
          for (size_t k = 0; k < g->n; k++) {
            Diff *in = g->v[k];
            DAct act = in->act;
            if (act == DA_NOOP && bs != as) act = DA_UPDATE;
            Diff *sd = mk(RK_SENSBLOCK, act, in->replace);
            sd->inner = in;
            sd->bsens = bs;
            sd->asens = as;
            g->v[k] = sd;
          }
        }
        d->act = cmp_act(d->act, sc.act);
      }
    }
    val_free(ub);
    val_free(ua);
    free(p);
  }
  return d;
}

/* ---------------------------------------------------------- rendering */

typedef struct Opts {
  bool null_override;    /* no "-> null" suffix */
  bool force_override;   /* "# forces replacement" even without Replace */
  bool show_unchanged;
  bool forbid_forces;    /* never "# forces replacement" (the before side of
                            an unknown that shows it itself) */
} Opts;

static Opts clone(Opts o) {
  Opts r = {false, false, o.show_unchanged, false};
  return r;
}

static void indent(R *r, int n) {
  for (int i = 0; i < n; i++) buf_puts(r->b, "    ");
}

static const char *symbol(DAct a) {
  switch (a) {
    case DA_CREATE: return "  [green]+[reset]";
    case DA_DELETE: return "  [red]-[reset]";
    case DA_UPDATE: return "  [yellow]~[reset]";
    default: return "   ";
  }
}

/* writeDiffActionSymbol: the 3-column symbol and a space. */
static void sym(R *r, DAct a) {
  col(r, symbol(a));
  buf_putc(r->b, ' ');
}

static void forces(R *r, bool replace, Opts o) {
  if ((replace || o.force_override) && !o.forbid_forces) col(r, " [red]# forces replacement[reset]");
}

static void null_suffix(R *r, DAct a, Opts o) {
  if (!o.null_override && a == DA_DELETE) col(r, " [dark_gray]-> null[reset]");
}

static void unchanged(R *r, const char *what, size_t n) {
  colf(r, "[dark_gray]# (%zu unchanged %s%s hidden)[reset]", n, what, n == 1 ? "" : "s");
}

static void render(R *r, const Diff *d, int ind, Opts o);

/* Attributes every block and object shows even when unchanged. */
static bool important(const char *k) { return !strcmp(k, "id") || !strcmp(k, "name") || !strcmp(k, "tags"); }

static void quote(Buf *b, const char *s, size_t n) {
  char *q = val_quote(s, n);
  buf_puts(b, q);
  free(q);
}

/* HCL identifier syntax: names that need no quotes. */
static bool valid_ident(const char *s) {
  if (!*s) return false;
  unsigned char c0 = (unsigned char)*s;
  if (!(c0 == '_' || ((c0 | 0x20) >= 'a' && (c0 | 0x20) <= 'z')) && c0 < 0x80) return false;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (!(*p >= 0x80 || *p == '_' || *p == '-' || (*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z')))
      return false;
  return true;
}

static char *attr_name(const char *k) {
  if (valid_ident(k)) return xstrdup(k);
  return val_quote(k, strlen(k));
}

/* Go's %-*s: the width counts characters, while the widths computed from
** names count bytes (len() in Go); both quirks are kept. */
static void pad(R *r, const char *s, size_t w) {
  buf_puts(r->b, s);
  size_t n = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) n += (*p & 0xC0) != 0x80;
  for (; n < w; n++) buf_putc(r->b, ' ');
}

/* A primitive that is not a string: null, a bool, a number. */
static void prim_text(R *r, const Value *v) {
  if (!v) {
    col(r, "[dark_gray]null[reset]");
    return;
  }
  switch (val_kind(v)) {
    case TY_BOOL: buf_puts(r->b, val_get_bool(v) ? "true" : "false"); break;
    case TY_NUMBER: {
      char *t = val_number_text(v);
      buf_puts(r->b, t);
      free(t);
      break;
    }
    case TY_STRING: quote(r->b, val_str(v), val_str_len(v)); break;
    default: {
      char *t = val_format(v);
      buf_puts(r->b, t);
      free(t);
    }
  }
}

/* evaluatePrimitiveString: how a string shows (JSON, multi-line, plain). */
typedef struct EStr {
  bool null, multiline;
  char *text;        /* trimmed for multi-line */
  Value *json;       /* decoded JSON document, or NULL */
} EStr;

static bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

static EStr estr(const Value *v) {
  EStr e = {0};
  if (!v) {
    e.null = true;
    return e;
  }
  const char *s = val_str(v);
  size_t n = val_str_len(v);
  if (n && (s[0] == '{' || s[0] == '[')) {
    cJSON *j = st_json_parse(s, n, NULL);
    if (j) {
      char *err = NULL;
      e.json = val_from_json(j, T_DYNAMIC, &err);
      free(err);
      cJSON_Delete(j);
      if (e.json) {
        e.text = xstrndup(s, n);
        return e;
      }
    }
  }
  if (memchr(s, '\n', n)) {
    size_t i = 0, k = n;
    while (i < k && is_space(s[i])) i++;
    while (k > i && is_space(s[k - 1])) k--;
    e.text = xstrndup(s + i, k - i);
    e.multiline = true;
    return e;
  }
  e.text = xstrndup(s, n);
  return e;
}

static void estr_free(EStr *e) {
  free(e->text);
  val_free(e->json);
}

static void estr_simple(R *r, const EStr *e) {
  if (e->null) col(r, "[dark_gray]null[reset]");
  else quote(r->b, e->text, strlen(e->text));
}

/* renderStringDiffAsJson: jsonencode(...) with a structural diff inside. */
static void render_json(R *r, const Diff *d, int ind, Opts o, const EStr *b, const EStr *a) {
  Ctx none = {NULL, NULL, NULL, false};
  Side sb = {b ? b->json : NULL, d->act != DA_CREATE}, sa = {a ? a->json : NULL, d->act != DA_DELETE};
  Diff *jd = gdiff(&none, sb, sa, "");
  DAct act = d->act;
  Opts jo = clone(o);
  jo.null_override = true;
  const char *ws = "";
  bool show_replace = true;
  if (jd->act == DA_NOOP && d->act == DA_UPDATE) {
    ws = d->replace ? " # whitespace changes force replacement" : " # whitespace changes";
    jo.show_unchanged = true;
    act = DA_NOOP;
    show_replace = false;
  }
  Buf inner = BUF_INIT;
  R ri = {&inner, r->color};
  render(&ri, jd, ind + 1, jo);
  if (d->act == DA_CREATE || d->act == DA_DELETE) act = DA_NOOP;
  const char *txt = inner.s ? inner.s : "";
  if (strchr(txt, '\n')) {
    buf_puts(r->b, "jsonencode(");
    buf_puts(r->b, ws);
    buf_putc(r->b, '\n');
    indent(r, ind + 1);
    sym(r, act);
    buf_puts(r->b, txt);
    if (show_replace) forces(r, d->replace, o);
    buf_putc(r->b, '\n');
    indent(r, ind);
    sym(r, DA_NOOP);
    buf_putc(r->b, ')');
    null_suffix(r, d->act, o);
  } else {
    buf_puts(r->b, "jsonencode(");
    buf_puts(r->b, txt);
    buf_putc(r->b, ')');
    buf_puts(r->b, ws);
    if (show_replace) forces(r, d->replace, o);
  }
  buf_free(&inner);
  diff_free(jd);
}

/* A multi-line string's lines, each prefixed with indent and symbol. */
static void heredoc_lines(R *r, Buf *lines, const char *text, int ind, DAct a) {
  const char *p = text;
  for (;;) {
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) : strlen(p);
    if (lines->len) buf_putc(lines, '\n');
    R rl = {lines, r->color};
    indent(&rl, ind);
    sym(&rl, a);
    buf_add(lines, p, n);
    if (!nl) break;
    p = nl + 1;
  }
}

static Value *lines_value(const char *text) {
  /* the lines as a list of strings, so the LCS helper can compare them */
  size_t n = 1;
  for (const char *p = text; *p; p++) n += *p == '\n';
  Value **el = xmalloc(n * sizeof *el);
  const char *p = text;
  for (size_t i = 0; i < n; i++) {
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) : strlen(p);
    el[i] = val_string(p, len);
    p = nl ? nl + 1 : p + len;
  }
  Value *l = val_list(T_STRING, el, n);
  for (size_t i = 0; i < n; i++) val_free(el[i]);
  free(el);
  return l;
}

typedef struct HereCtx {
  R *r;
  Buf *out;
  const Value *b, *a;
  int ind;
} HereCtx;

static void here_fn(void *ud, size_t bi, size_t ai) {
  HereCtx *h = ud;
  size_t nb = val_len(h->b), na = val_len(h->a);
  DAct act;
  const Value *line;
  if (bi >= nb) {
    act = DA_CREATE;
    line = val_elems(h->a)[ai];
  } else if (ai >= na) {
    act = DA_DELETE;
    line = val_elems(h->b)[bi];
  } else {
    act = DA_NOOP;
    line = val_elems(h->b)[bi];
  }
  if (h->out->len) buf_putc(h->out, '\n');
  R rl = {h->out, h->r->color};
  indent(&rl, h->ind);
  sym(&rl, act);
  buf_add(h->out, val_str(line), val_str_len(line));
}

static void render_string(R *r, const Diff *d, int ind, Opts o) {
  Buf lines = BUF_INIT;
  switch (d->act) {
    case DA_CREATE:
    case DA_NOOP: {
      EStr s = estr(d->after);
      if (s.json) {
        render_json(r, d, ind, o, d->act == DA_NOOP ? &s : NULL, &s);
        estr_free(&s);
        return;
      }
      if (!s.multiline) {
        estr_simple(r, &s);
        forces(r, d->replace, o);
        estr_free(&s);
        return;
      }
      heredoc_lines(r, &lines, s.text, ind + 1, DA_NOOP);
      estr_free(&s);
      break;
    }
    case DA_DELETE: {
      EStr s = estr(d->before);
      if (s.null) {
        estr_simple(r, &s);
        forces(r, d->replace, o);
        estr_free(&s);
        return;
      }
      if (s.json) {
        render_json(r, d, ind, o, &s, NULL);
        estr_free(&s);
        return;
      }
      if (!s.multiline) {
        estr_simple(r, &s);
        null_suffix(r, d->act, o);
        forces(r, d->replace, o);
        estr_free(&s);
        return;
      }
      heredoc_lines(r, &lines, s.text, ind + 1, DA_NOOP);
      estr_free(&s);
      break;
    }
    default: {
      EStr sb = estr(d->before), sa = estr(d->after);
      if (sb.json && sa.json) {
        render_json(r, d, ind, o, &sb, &sa);
      } else if (sb.json || sa.json) {
        /* one side JSON, the other not: a type change of two strings */
        Diff *bd = mk_prim(d->before, NULL, DA_DELETE, false, true);
        Diff *ad = mk_prim(NULL, d->after, DA_CREATE, false, true);
        Diff tc = {.kind = RK_TYPECHANGE, .act = d->act, .replace = d->replace, .inner = bd, .inner2 = ad};
        render(r, &tc, ind, o);
        diff_free(bd);
        diff_free(ad);
      } else if (!sb.multiline && !sa.multiline) {
        estr_simple(r, &sb);
        col(r, " [yellow]->[reset] ");
        estr_simple(r, &sa);
        forces(r, d->replace, o);
      } else {
        Value *bl = lines_value(sb.null ? "null" : sb.text), *al = lines_value(sa.null ? "null" : sa.text);
        HereCtx h = {r, &lines, bl, al, ind + 1};
        process_slice(bl, al, is_obj_never, here_fn, &h);
        val_free(bl);
        val_free(al);
        estr_free(&sb);
        estr_free(&sa);
        break;
      }
      estr_free(&sb);
      estr_free(&sa);
      return;
    }
  }
  buf_puts(r->b, "<<-EOT");
  forces(r, d->replace, o);
  buf_putc(r->b, '\n');
  buf_puts(r->b, lines.s ? lines.s : "");
  buf_putc(r->b, '\n');
  indent(r, ind);
  sym(r, DA_NOOP);
  buf_puts(r->b, "EOT");
  null_suffix(r, d->act, o);
  buf_free(&lines);
}

static void render_prim(R *r, const Diff *d, int ind, Opts o) {
  if (d->is_string) {
    render_string(r, d, ind, o);
    return;
  }
  switch (d->act) {
    case DA_CREATE:
      prim_text(r, d->after);
      forces(r, d->replace, o);
      break;
    case DA_DELETE:
      prim_text(r, d->before);
      null_suffix(r, d->act, o);
      forces(r, d->replace, o);
      break;
    case DA_NOOP:
      prim_text(r, d->before);
      forces(r, d->replace, o);
      break;
    default:
      prim_text(r, d->before);
      col(r, " [yellow]->[reset] ");
      prim_text(r, d->after);
      forces(r, d->replace, o);
  }
}

/* The warning lines a sensitive value gets when its sensitivity changes. */
static void warnings(R *r, const Diff *d, int ind) {
  if (d->kind != RK_SENS) return;
  if (d->bsens == d->asens || d->inner->act == DA_CREATE || d->inner->act == DA_DELETE) return;
  indent(r, ind);
  Buf t = BUF_INIT;
  for (int i = 0; i < ind; i++) buf_puts(&t, "    ");
  if (d->bsens)
    colf(r, "  # [yellow]Warning[reset]: this attribute value will no longer be marked as sensitive\n%s  # after applying this change.",
         t.s ? t.s : "");
  else
    colf(r, "  # [yellow]Warning[reset]: this attribute value will be marked as sensitive and will not\n%s  # display in UI output after applying this change.",
         t.s ? t.s : "");
  if (d->inner->act == DA_NOOP) buf_puts(r->b, " The value is unchanged.");
  buf_putc(r->b, '\n');
  buf_free(&t);
}

static int key_order(const void *x, const void *y) {
  const char *const *a = x, *const *b = y;
  return strcmp(*a, *b);
}

/* Indexes of d's keyed children sorted by key. */
static size_t *sorted_keys(const Diff *d) {
  size_t *ix = xmalloc((d->n ? d->n : 1) * sizeof *ix);
  const char **ks = xmalloc((d->n ? d->n : 1) * sizeof *ks);
  for (size_t i = 0; i < d->n; i++) ks[i] = d->keys[i];
  qsort(ks, d->n, sizeof *ks, key_order);
  for (size_t i = 0; i < d->n; i++)
    for (size_t j = 0; j < d->n; j++)
      if (d->keys[j] == ks[i]) ix[i] = j;
  free(ks);
  return ix;
}

static void render_keyed(R *r, const Diff *d, int ind, Opts o, bool is_map) {
  if (d->n == 0) {
    buf_puts(r->b, "{}");
    null_suffix(r, d->act, o);
    forces(r, d->replace, o);
    return;
  }
  char **names = xmalloc(d->n * sizeof *names);
  size_t w = 0;
  for (size_t i = 0; i < d->n; i++) {
    /* map keys are always quoted; the column is the longest raw key + 2 */
    names[i] = is_map ? val_quote(d->keys[i], strlen(d->keys[i])) : attr_name(d->keys[i]);
    size_t l = is_map ? strlen(d->keys[i]) + 2 : strlen(names[i]);
    if (l > w) w = l;
  }
  size_t *ix = sorted_keys(d);
  Opts eo = clone(o);
  /* removed map elements say "-> null" unless the whole map goes; an
  ** object's attributes never do */
  eo.null_override = is_map ? d->act == DA_DELETE : true;
  size_t hidden = 0;
  buf_putc(r->b, '{');
  forces(r, d->replace, o);
  buf_putc(r->b, '\n');
  for (size_t k = 0; k < d->n; k++) {
    size_t i = ix[k];
    const Diff *e = d->kids[i];
    Opts ko = eo;
    if (!is_map && important(d->keys[i])) ko.show_unchanged = true;
    else if (e->act == DA_NOOP && !o.show_unchanged) {
      hidden++;
      continue;
    }
    warnings(r, e, ind + 1);
    indent(r, ind + 1);
    sym(r, e->act);
    pad(r, names[i], w);
    buf_puts(r->b, " = ");
    render(r, e, ind + 1, ko);
    if (is_map && e->kind == RK_OBJECT) buf_putc(r->b, ',');
    buf_putc(r->b, '\n');
  }
  if (hidden) {
    indent(r, ind + 1);
    sym(r, DA_NOOP);
    unchanged(r, is_map ? "element" : "attribute", hidden);
    buf_putc(r->b, '\n');
  }
  indent(r, ind);
  sym(r, DA_NOOP);
  buf_putc(r->b, '}');
  null_suffix(r, d->act, o);
  for (size_t i = 0; i < d->n; i++) free(names[i]);
  free(names);
  free(ix);
}

static void render_element(R *r, const Diff *e, int ind, Opts o) {
  warnings(r, e, ind + 1);
  indent(r, ind + 1);
  sym(r, e->act);
  render(r, e, ind + 1, o);
  buf_puts(r->b, ",\n");
}

static void render_list(R *r, const Diff *d, int ind, Opts o) {
  if (d->n == 0) {
    buf_puts(r->b, "[]");
    null_suffix(r, d->act, o);
    forces(r, d->replace, o);
    return;
  }
  Opts eo = clone(o);
  eo.null_override = true;
  Opts uo = clone(o);
  uo.show_unchanged = true;
  size_t nun = 0;            /* unchanged elements skipped since the last change */
  const Diff *last_un = NULL;
  bool next = false;
  buf_putc(r->b, '[');
  forces(r, d->replace, o);
  buf_putc(r->b, '\n');
  for (size_t i = 0; i < d->n; i++) {
    const Diff *e = d->kids[i];
    if (e->act == DA_NOOP && !next && !o.show_unchanged) {
      nun++;
      last_un = e;
      continue;
    }
    next = false;
    Opts eopts = eo;
    if (nun > 1) {
      indent(r, ind + 1);
      sym(r, DA_NOOP);
      unchanged(r, "element", nun - 1);
      buf_putc(r->b, '\n');
    }
    if (nun > 0) render_element(r, last_un, ind, uo);
    nun = 0;
    if (e->act == DA_NOOP) eopts = uo;
    else next = true;
    render_element(r, e, ind, eopts);
  }
  if (nun) {
    indent(r, ind + 1);
    sym(r, DA_NOOP);
    unchanged(r, "element", nun);
    buf_putc(r->b, '\n');
  }
  indent(r, ind);
  sym(r, DA_NOOP);
  buf_putc(r->b, ']');
  null_suffix(r, d->act, o);
}

static void render_set(R *r, const Diff *d, int ind, Opts o) {
  bool self = d->replace && !o.force_override, kids = d->replace && o.force_override;
  if (d->n == 0) {
    buf_puts(r->b, "[]");
    null_suffix(r, d->act, o);
    forces(r, self, o);
    return;
  }
  Opts eo = clone(o);
  eo.null_override = true;
  eo.force_override = kids;
  size_t hidden = 0;
  buf_putc(r->b, '[');
  forces(r, self, clone(o));
  buf_putc(r->b, '\n');
  for (size_t i = 0; i < d->n; i++) {
    const Diff *e = d->kids[i];
    if (e->act == DA_NOOP && !o.show_unchanged) {
      hidden++;
      continue;
    }
    render_element(r, e, ind, eo);
  }
  if (hidden) {
    indent(r, ind + 1);
    sym(r, DA_NOOP);
    unchanged(r, "element", hidden);
    buf_putc(r->b, '\n');
  }
  indent(r, ind);
  sym(r, DA_NOOP);
  buf_putc(r->b, ']');
  null_suffix(r, d->act, o);
}

static int group_order(const void *x, const void *y) {
  const Group *const *a = x, *const *b = y;
  return strcmp((*a)->name, (*b)->name);
}

static void render_block(R *r, const Diff *d, int ind, Opts o) {
  if (d->n == 0 && d->ngroups == 0) {
    buf_puts(r->b, "{}");
    forces(r, d->replace, o);
    return;
  }
  size_t w = 0;
  char **names = xmalloc((d->n ? d->n : 1) * sizeof *names);
  for (size_t i = 0; i < d->n; i++) {
    names[i] = attr_name(d->keys[i]);
    if (strlen(names[i]) > w) w = strlen(names[i]);
  }
  size_t *ix = sorted_keys(d);
  size_t hidden = 0, hidden_blocks = 0;
  buf_putc(r->b, '{');
  forces(r, d->replace, o);
  buf_putc(r->b, '\n');
  for (size_t k = 0; k < d->n; k++) {
    size_t i = ix[k];
    const Diff *e = d->kids[i];
    Opts ao = clone(o);
    if (important(d->keys[i])) {
      ao.show_unchanged = true;
    } else if (e->act == DA_NOOP && !o.show_unchanged) {
      hidden++;
      continue;
    }
    warnings(r, e, ind + 1);
    indent(r, ind + 1);
    sym(r, e->act);
    pad(r, names[i], w);
    buf_puts(r->b, " = ");
    render(r, e, ind + 1, ao);
    buf_putc(r->b, '\n');
  }
  if (hidden) {
    indent(r, ind + 1);
    sym(r, DA_NOOP);
    unchanged(r, "attribute", hidden);
    buf_putc(r->b, '\n');
  }
  const Group **gs = xmalloc((d->ngroups ? d->ngroups : 1) * sizeof *gs);
  for (size_t g = 0; g < d->ngroups; g++) gs[g] = &d->groups[g];
  qsort(gs, d->ngroups, sizeof *gs, group_order);
  for (size_t g = 0; g < d->ngroups; g++) {
    const Group *gr = gs[g];
    bool found = false;
    Diff unk = {.kind = RK_UNKNOWN, .act = d->act};
    for (size_t k = gr->unknown ? 0 : 1; k <= gr->n; k++) {
      const Diff *e = k == 0 ? &unk : gr->v[k - 1];
      if (e->act == DA_NOOP && !o.show_unchanged) {
        hidden_blocks++;
        continue;
      }
      if (!found && d->n > 0) {
        buf_putc(r->b, '\n');
        found = true;
      }
      Opts bo = clone(o);
      bo.force_override = gr->replace;
      indent(r, ind + 1);
      sym(r, e->act);
      buf_puts(r->b, gr->name);
      buf_putc(r->b, ' ');
      render(r, e, ind + 1, bo);
      buf_putc(r->b, '\n');
    }
  }
  if (hidden_blocks) {
    buf_putc(r->b, '\n');
    indent(r, ind + 1);
    sym(r, DA_NOOP);
    unchanged(r, "block", hidden_blocks);
    buf_putc(r->b, '\n');
  }
  indent(r, ind);
  sym(r, DA_NOOP);
  buf_putc(r->b, '}');
  for (size_t i = 0; i < d->n; i++) free(names[i]);
  free(names);
  free(ix);
  free(gs);
}

static void render(R *r, const Diff *d, int ind, Opts o) {
  switch (d->kind) {
    case RK_PRIM:
      if (d->is_null_type) {
        /* JSON null on both sides, or null replaced by nothing */
        render_prim(r, d, ind, o);
      } else {
        render_prim(r, d, ind, o);
      }
      break;
    case RK_SENS:
      buf_puts(r->b, "(sensitive value)");
      null_suffix(r, d->act, o);
      forces(r, d->replace, o);
      break;
    case RK_SENSBLOCK: {
      Buf pre = BUF_INIT;
      R rp = {&pre, r->color};
      indent(&rp, ind);
      sym(&rp, DA_NOOP);
      buf_putc(r->b, '{');
      forces(r, d->replace, o);
      buf_printf(r->b, "\n%s  # At least one attribute in this block is (or was) sensitive,\n", pre.s);
      buf_printf(r->b, "%s  # so its contents will not be displayed.\n%s}", pre.s, pre.s);
      buf_free(&pre);
      break;
    }
    case RK_UNKNOWN:
      if (d->act == DA_CREATE || !d->inner) {
        buf_puts(r->b, "(known after apply)");
        forces(r, d->replace, o);
      } else {
        Opts io = clone(o);
        io.null_override = true;
        io.forbid_forces = d->replace;
        render(r, d->inner, ind, io);
        buf_puts(r->b, " -> (known after apply)");
        forces(r, d->replace, o);
      }
      break;
    case RK_TYPECHANGE: {
      Opts io = o;
      io.null_override = true;
      render(r, d->inner, ind, io);
      col(r, " [yellow]->[reset] ");
      render(r, d->inner2, ind, io);
      break;
    }
    case RK_MAP: render_keyed(r, d, ind, o, true); break;
    case RK_OBJECT: render_keyed(r, d, ind, o, false); break;
    case RK_LIST: render_list(r, d, ind, o); break;
    case RK_SET: render_set(r, d, ind, o); break;
    case RK_BLOCK: render_block(r, d, ind, o); break;
  }
}

/* ------------------------------------------------------ plan sections */

/* format.WordWrap at Terraform's default width: greedy, at spaces. */
static void wrap(Buf *b, const char *s) {
  const int lim = COLUMNS - 1;
  while (*s) {
    const char *nl = strchr(s, '\n');
    size_t n = nl ? (size_t)(nl - s) : strlen(s);
    int cur = 0;
    size_t i = 0;
    while (i < n) {
      size_t j = i;
      while (j < n && s[j] != ' ') j++;
      int wl = (int)(j - i);
      if (cur > 0 && cur + 1 + wl > lim) {
        buf_putc(b, '\n');
        cur = 0;
      } else if (cur > 0) {
        buf_putc(b, ' ');
        cur++;
      }
      buf_add(b, s + i, (size_t)wl);
      cur += wl;
      i = j;
      while (i < n && s[i] == ' ') i++;
    }
    if (!nl) break;
    buf_putc(b, '\n');
    s = nl + 1;
  }
}

static void hrule(R *r) {
  Buf t = BUF_INIT;
  buf_puts(&t, "[dark_gray]\n");
  for (int i = 0; i < COLUMNS - 1; i++) buf_puts(&t, "\u2500");
  col(r, t.s);
  buf_free(&t);
}

static const char *action_symbol(Action a) {
  switch (a) {
    case ACT_REPLACE_DC: return "[red]-[reset]/[green]+[reset]";
    case ACT_REPLACE_CD: return "[green]+[reset]/[red]-[reset]";
    case ACT_CREATE: return "  [green]+[reset]";
    case ACT_DELETE: return "  [red]-[reset]";
    case ACT_READ: return " [cyan]<=[reset]";
    case ACT_UPDATE: return "  [yellow]~[reset]";
    default: return "   ";
  }
}

/* The key of an instance in JSON form ("0" or "\"a\""), for reason lines. */
static char *key_json(const StKey *k) {
  if (k->kind == ST_KEY_INT) return xasprintf("%lld", k->i);
  if (k->kind == ST_KEY_STR) return val_quote(k->s, strlen(k->s));
  return NULL;
}

typedef enum { CAUSE_PLAN, CAUSE_DRIFT } Cause;

/* resourceChangeComment: the "# ADDR will be ..." lines. */
static void comment(R *r, const char *addr, const char *deposed, Action act, Cause cause, const char *reason,
                    const char *type, const char *name, const char *module, const StKey *key) {
  /* built with its colour tags, then coloured as one piece (one reset at
  ** the end), the way Terraform colours the comment */
  Buf t = BUF_INIT;
  char *disp = deposed ? xasprintf("%s (deposed object %s)", addr, deposed) : xstrdup(addr);
  const char *rs = reason ? reason : "";
  switch (act) {
    case ACT_CREATE: buf_printf(&t, "[bold]  # %s[reset] will be created", disp); break;
    case ACT_READ:
      buf_printf(&t, "[bold]  # %s[reset] will be read during apply", disp);
      if (!strcmp(rs, "read_because_config_unknown")) buf_puts(&t, "\n  # (config refers to values not yet known)");
      else if (!strcmp(rs, "read_because_dependency_pending"))
        buf_puts(&t, "\n  # (depends on a resource or a module with changes pending)");
      else if (!strcmp(rs, "read_because_check_nested"))
        buf_puts(&t, "\n  # (config will be reloaded to verify a check block)");
      break;
    case ACT_UPDATE:
      if (cause == CAUSE_DRIFT) buf_printf(&t, "[bold]  # %s[reset] has changed", disp);
      else buf_printf(&t, "[bold]  # %s[reset] will be updated in-place", disp);
      break;
    case ACT_REPLACE_DC:
    case ACT_REPLACE_CD:
      if (!strcmp(rs, "replace_because_tainted"))
        buf_printf(&t, "[bold]  # %s[reset] is tainted, so must be [bold][red]replaced[reset]", disp);
      else if (!strcmp(rs, "replace_by_request"))
        buf_printf(&t, "[bold]  # %s[reset] will be [bold][red]replaced[reset], as requested", disp);
      else if (!strcmp(rs, "replace_by_triggers"))
        buf_printf(&t, "[bold]  # %s[reset] will be [bold][red]replaced[reset] due to changes in replace_triggered_by", disp);
      else buf_printf(&t, "[bold]  # %s[reset] must be [bold][red]replaced[reset]", disp);
      break;
    case ACT_DELETE: {
      if (cause == CAUSE_DRIFT) buf_printf(&t, "[bold]  # %s[reset] has been deleted", disp);
      else buf_printf(&t, "[bold]  # %s[reset] will be [bold][red]destroyed[reset]", disp);
      char *kj = key_json(key);
      if (!strcmp(rs, "delete_because_no_resource_config"))
        buf_printf(&t, "\n  # (because %s.%s is not in configuration)", type, name);
      else if (!strcmp(rs, "delete_because_no_module"))
        buf_printf(&t, "\n  # (because %s is not in configuration)", module);
      else if (!strcmp(rs, "delete_because_wrong_repetition"))
        buf_puts(&t, !kj                            ? "\n  # (because resource uses count or for_each)"
                       : key->kind == ST_KEY_INT ? "\n  # (because resource does not use count)"
                                                  : "\n  # (because resource does not use for_each)");
      else if (!strcmp(rs, "delete_because_count_index"))
        buf_printf(&t, "\n  # (because index [%s] is out of range for count)", kj ? kj : "");
      else if (!strcmp(rs, "delete_because_each_key"))
        buf_printf(&t, "\n  # (because key [%s] is not in for_each map)", kj ? kj : "");
      if (deposed) buf_puts(&t, "\n  # (left over from a partially-failed replacement of this instance)");
      free(kj);
      break;
    }
    default: break;
  }
  buf_putc(&t, '\n');
  free(disp);
  col(r, t.s);
  buf_free(&t);
}

/* One resource block: comment, header, body. */
static void resource_block(R *r, const char *addr, const char *deposed, Action act, Cause cause, const char *reason,
                           StMode mode, const char *type, const char *name, const char *module, const StKey *key,
                           const Value *before, const Value *after, const Schema *schema, const PathSet *rp,
                           const Plan *rel) {
  comment(r, addr, deposed, act, cause, reason, type, name, module, key);
  col(r, action_symbol(act));
  buf_printf(r->b, " %s \"%s\" \"%s\" ", mode == ST_DATA ? "data" : "resource", type, name);
  Ctx c = {rp, rel, addr, false};
  Side b = {before, false}, a = {after, false};
  Diff *d = bdiff(&c, b, a, schema, "");
  Opts o = {0};
  render(r, d, 0, o);
  diff_free(d);
}

static int change_order(const void *x, const void *y) {
  const Change *a = *(const Change *const *)x, *b = *(const Change *const *)y;
  int c = strcmp(a->addr, b->addr);
  if (c) return c;
  return strcmp(a->deposed ? a->deposed : "", b->deposed ? b->deposed : "");
}

static int drift_order(const void *x, const void *y) {
  const Drift *a = *(const Drift *const *)x, *b = *(const Drift *const *)y;
  return strcmp(a->addr, b->addr);
}

static Diff *output_diff(const OutputChange *oc) {
  Ctx c = {NULL, NULL, NULL, false};
  Value *b = NULL, *a = NULL;
  if (oc->before) b = oc->sensitive ? val_mark_sensitive(oc->before) : val_ref(oc->before);
  if (oc->after) a = oc->sensitive ? val_mark_sensitive(oc->after) : val_ref(oc->after);
  Side sb = {b, false}, sa = {a, false};
  Diff *d = gdiff(&c, sb, sa, "");
  val_free(b);
  val_free(a);
  return d;
}

/* "Changes to Outputs:" lines; returns how many were written. */
static size_t outputs_section(R *r, const Plan *p) {
  if (!p->nout) return 0;
  size_t w = 0;
  char **names = xmalloc(p->nout * sizeof *names);
  const OutputChange **ord = xmalloc(p->nout * sizeof *ord);
  for (size_t i = 0; i < p->nout; i++) ord[i] = &p->outputs[i];
  for (size_t i = 1; i < p->nout; i++)
    for (size_t j = i; j > 0 && strcmp(ord[j - 1]->name, ord[j]->name) > 0; j--) {
      const OutputChange *t = ord[j];
      ord[j] = ord[j - 1];
      ord[j - 1] = t;
    }
  for (size_t i = 0; i < p->nout; i++) {
    names[i] = attr_name(ord[i]->name);
    if (strlen(names[i]) > w) w = strlen(names[i]);
  }
  size_t n = 0;
  for (size_t i = 0; i < p->nout; i++) {
    Diff *d = output_diff(ord[i]);
    if (d->act != DA_NOOP) {
      if (n++) buf_putc(r->b, '\n');
      col(r, symbol(d->act));
      buf_putc(r->b, ' ');
      pad(r, names[i], w);
      buf_puts(r->b, " = ");
      Opts o = {0};
      render(r, d, 0, o);
    }
    diff_free(d);
    free(names[i]);
  }
  free(names);
  free(ord);
  return n;
}

/* Whether a change is shown (and counted) in the human plan. */
static bool shown(const Change *c) {
  if (c->action == ACT_NOOP) return false;
  if (c->action == ACT_DELETE && c->mode == ST_DATA) return false;
  return true;
}

/* The plan whose relevant attributes filter drift, or NULL for all drift. */
static const Plan *relevance(const Plan *p) { return p->relevance_known && !p->refresh_only ? p : NULL; }

static bool drift_shown(const Plan *p, const Drift *d) {
  const Plan *rel = relevance(p);
  if (rel) {
    /* Terraform leaves out drift the configuration does not refer to */
    bool any = false;
    for (size_t i = 0; i < p->nrelevant && !any; i++) any = !strcmp(p->relevant[i].addr, d->addr);
    if (!any) return false;
  }
  if (!d->after) return true;
  Ctx c = {NULL, rel, d->addr, false};
  Side b = {d->before, false}, a = {d->after, false};
  Diff *df = bdiff(&c, b, a, d->schema, "");
  bool r = df->act != DA_NOOP;
  diff_free(df);
  return r;
}

/* The drift section; returns whether it was printed. */
static bool drift_section(R *r, const Plan *p, bool plan_empty) {
  size_t n = 0;
  const Drift **v = xmalloc((p->ndrift ? p->ndrift : 1) * sizeof *v);
  for (size_t i = 0; i < p->ndrift; i++)
    if (p->refresh_only || drift_shown(p, &p->drift[i])) v[n++] = &p->drift[i];
  if (!n || (plan_empty && !p->refresh_only)) {
    free(v);
    return false;
  }
  qsort(v, n, sizeof *v, drift_order);
  col(r, "\n[bold][cyan]Note:[reset][bold] Objects have changed outside of Terraform\n");
  buf_putc(r->b, '\n');
  wrap(r->b,
       "Terraform detected the following changes made outside of Terraform since the last \"terraform apply\" "
       "which may have affected this plan:\n");
  for (size_t i = 0; i < n; i++) {
    const Drift *d = v[i];
    StAddr a;
    char *err = NULL;
    const char *name = "", *module = "";
    StKey key = {ST_KEY_NONE, 0, NULL};
    bool ok = st_addr_parse(d->addr, &a, &err);
    char *mod = NULL;
    if (ok) {
      name = a.name;
      key = a.key;
      mod = st_addr_module(&a);
      module = mod;
    }
    free(err);
    buf_putc(r->b, '\n');
    resource_block(r, d->addr, NULL, d->after ? ACT_UPDATE : ACT_DELETE, CAUSE_DRIFT, NULL, d->mode, d->type, name,
                   module, &key, d->before, d->after, d->schema, NULL, relevance(p));
    buf_putc(r->b, '\n');
    free(mod);
    if (ok) st_addr_free(&a);
  }
  free(v);
  if (p->refresh_only)
    wrap(r->b,
         "\n\nThis is a refresh-only plan, so Terraform will not take any actions to undo these. If you were "
         "expecting these changes then you can apply this plan to record the updated values in the Terraform state "
         "without changing any remote objects.");
  else
    wrap(r->b,
         "\n\nUnless you have made equivalent changes to your configuration, or ignored the relevant attributes "
         "using ignore_changes, the following plan may include actions to undo or respond to these changes.");
  buf_putc(r->b, '\n');
  return true;
}

void plan_render_buf(Buf *out, const Plan *p, bool color) {
  R rr = {out, color}, *r = &rr;
  const Change **v = xmalloc((p->n ? p->n : 1) * sizeof *v);
  size_t n = 0;
  size_t counts[ACT_REPLACE_CD + 1] = {0};
  for (size_t i = 0; i < p->n; i++)
    if (shown(&p->changes[i])) {
      v[n++] = &p->changes[i];
      counts[p->changes[i].action]++;
    }
  qsort(v, n, sizeof *v, change_order);

  /* outputs first into a side buffer: whether any changed decides the
  ** "No changes." text */
  Buf ob = BUF_INIT;
  R ro = {&ob, color};
  size_t nout = outputs_section(&ro, p);

  bool drift = drift_section(r, p, n == 0 && nout == 0);

  if (n == 0 && nout == 0) {
    if (p->errored) {
      if (drift) {
        hrule(r);
        buf_putc(r->b, '\n');
      }
      col(r, "\n[reset][bold][red]Planning failed.[reset][bold] Terraform encountered an error while generating "
             "this plan.[reset]\n\n");
    } else if (p->refresh_only) {
      if (!drift) {
        col(r, "\n[reset][bold][green]No changes.[reset][bold] Your infrastructure still matches the "
               "configuration.[reset]\n\n");
        wrap(r->b,
             "Terraform has checked that the real remote objects still match the result of your most recent "
             "changes, and found no differences.");
        buf_putc(r->b, '\n');
      }
    } else if (p->destroy) {
      if (drift) {
        hrule(r);
        buf_putc(r->b, '\n');
      }
      col(r, "\n[reset][bold][green]No changes.[reset][bold] No objects need to be destroyed.[reset]\n\n");
      wrap(r->b,
           "Either you have not created any objects yet or the existing objects were already deleted outside of "
           "Terraform.");
      buf_putc(r->b, '\n');
    } else {
      if (drift) {
        hrule(r);
        buf_putc(r->b, '\n');
      }
      col(r, "\n[reset][bold][green]No changes.[reset][bold] Your infrastructure matches the "
             "configuration.[reset]\n\n");
      if (drift) {
        wrap(r->b,
             "Your configuration already matches the changes detected above, so applying this plan will only "
             "update the state to include the changes detected above and won't change any real infrastructure.");
        buf_putc(r->b, '\n');
      } else {
        wrap(r->b,
             "Terraform has compared your real infrastructure against your configuration and found no "
             "differences, so no changes are needed.");
        buf_putc(r->b, '\n');
      }
    }
    buf_free(&ob);
    free(v);
    return;
  }

  if (drift) {
    hrule(r);
    buf_putc(r->b, '\n');
  }
  if (n) {
    wrap(r->b,
         "\nTerraform used the selected providers to generate the following execution plan. Resource actions are "
         "indicated with the following symbols:");
    buf_putc(r->b, '\n');
    static const struct {
      Action a;
      const char *text;
    } legend[] = {
        {ACT_CREATE, "  [green]+[reset] create"},
        {ACT_UPDATE, "  [yellow]~[reset] update in-place"},
        {ACT_DELETE, "  [red]-[reset] destroy"},
        {ACT_REPLACE_DC, "[red]-[reset]/[green]+[reset] destroy and then create replacement"},
        {ACT_REPLACE_CD, "[green]+[reset]/[red]-[reset] create replacement and then destroy"},
        {ACT_READ, " [cyan]<=[reset] read (data resources)"},
    };
    for (size_t i = 0; i < sizeof legend / sizeof legend[0]; i++)
      if (counts[legend[i].a]) {
        col(r, legend[i].text);
        buf_putc(r->b, '\n');
      }
    buf_puts(r->b, p->errored ? "\nTerraform planned the following actions, but then encountered a problem:\n"
                              : "\nTerraform will perform the following actions:\n");
    for (size_t i = 0; i < n; i++) {
      const Change *c = v[i];
      buf_putc(r->b, '\n');
      resource_block(r, c->addr, c->deposed, c->action, CAUSE_PLAN, plan_action_reason(c), c->mode, c->type, c->name,
                     c->module, &c->key, c->before, c->after, c->schema, &c->replace_paths, NULL);
      buf_putc(r->b, '\n');
    }
    size_t add, chg, del;
    plan_counts(p, &add, &chg, &del);
    col(r, "\n[bold]Plan:[reset] ");
    buf_printf(r->b, "%zu to add, %zu to change, %zu to destroy.\n", add, chg, del);
  }
  if (nout) {
    buf_puts(r->b, "\nChanges to Outputs:\n");
    buf_add(r->b, ob.s, ob.len);
    buf_putc(r->b, '\n');
    if (!n) {
      wrap(r->b,
           "\nYou can apply this plan to save these new output values to the Terraform state, without changing any "
           "real infrastructure.");
      buf_putc(r->b, '\n');
    }
  }
  buf_free(&ob);
  free(v);
}

/*
** Markdown for a pull-request comment: the summary line, a table of actions,
** then each change as Terraform renders it (without colour, sensitive values
** already hidden) in a collapsible section, so a long plan stays readable.
*/
/* A ```diff fence that GitHub colours: its highlighter looks at column 0
** only, so each line's +, - or ~ (as !) moves there and a space takes its
** place, keeping the columns of the plan. */
static void md_diff(Buf *out, const char *text) {
  buf_puts(out, "```diff\n");
  for (const char *l = text; *l;) {
    const char *e = strchr(l, '\n');
    size_t len = e ? (size_t)(e - l) : strlen(l);
    size_t k = strspn(l, " ");
    char m = k < len ? l[k] : 0;
    if ((m == '+' || m == '-' || m == '~') && (k + 1 == len || l[k + 1] == ' ' || l[k + 1] == '/')) {
      buf_putc(out, m == '~' ? '!' : m);
      buf_add(out, l, k);
      buf_putc(out, ' ');
      buf_add(out, l + k + 1, len - k - 1);
    } else {
      buf_putc(out, ' ');
      buf_add(out, l, len);
    }
    buf_putc(out, '\n');
    l += len + (e ? 1 : 0);
  }
  buf_puts(out, "```\n");
}

void plan_render_markdown(Buf *out, const Plan *p) {
  static const char *const word[] = {
      [ACT_CREATE] = "create",   [ACT_READ] = "read",          [ACT_UPDATE] = "update in-place",
      [ACT_DELETE] = "destroy",  [ACT_REPLACE_DC] = "replace", [ACT_REPLACE_CD] = "replace (create first)",
  };
  const Change **v = xmalloc((p->n ? p->n : 1) * sizeof *v);
  size_t n = 0;
  for (size_t i = 0; i < p->n; i++)
    if (shown(&p->changes[i])) v[n++] = &p->changes[i];
  qsort(v, n, sizeof *v, change_order);
  Buf ob = BUF_INIT;
  R ro = {&ob, false};
  size_t nout = outputs_section(&ro, p);
  Buf db = BUF_INIT;
  R rd = {&db, false};
  bool drift = drift_section(&rd, p, n == 0 && nout == 0);

  size_t add, chg, del;
  plan_counts(p, &add, &chg, &del);
  if (!n && !nout) buf_puts(out, "### No changes\n\nThe infrastructure matches the configuration.\n");
  else buf_printf(out, "### Plan: %zu to add, %zu to change, %zu to destroy\n", add, chg, del);
  if (n) {
    buf_puts(out, "\n| Action | Resource |\n|---|---|\n");
    for (size_t i = 0; i < n; i++)
      buf_printf(out, "| %s | `%s`%s%s%s |\n", word[v[i]->action], v[i]->addr, v[i]->deposed ? " (deposed object " : "",
                 v[i]->deposed ? v[i]->deposed : "", v[i]->deposed ? ")" : "");
  }
  for (size_t i = 0; i < n; i++) {
    const Change *c = v[i];
    Buf rb = BUF_INIT;
    R r = {&rb, false};
    resource_block(&r, c->addr, c->deposed, c->action, CAUSE_PLAN, plan_action_reason(c), c->mode, c->type, c->name,
                   c->module, &c->key, c->before, c->after, c->schema, &c->replace_paths, NULL);
    buf_printf(out, "\n<details><summary><code>%s</code>: %s</summary>\n\n", c->addr, word[c->action]);
    md_diff(out, rb.s ? rb.s : "");
    buf_puts(out, "\n</details>\n");
    buf_free(&rb);
  }
  if (nout) {
    buf_puts(out, "\n<details><summary>Changes to outputs</summary>\n\n");
    md_diff(out, ob.s ? ob.s : "");
    buf_puts(out, "\n</details>\n");
  }
  if (drift) {
    buf_puts(out, "\n<details><summary>Objects changed outside of Terraform</summary>\n\n");
    md_diff(out, db.s ? db.s : "");
    buf_puts(out, "\n</details>\n");
  }
  buf_free(&ob);
  buf_free(&db);
  free(v);
}

void plan_render(FILE *out, const Plan *p, bool color) {
  Buf b = BUF_INIT;
  plan_render_buf(&b, p, color);
  if (b.len) fwrite(b.s, 1, b.len, out);
  buf_free(&b);
}

void plan_render_footer(FILE *out, const char *plan_path, bool color) {
  Buf b = BUF_INIT;
  R r = {&b, color};
  hrule(&r);
  buf_putc(&b, '\n');
  if (!plan_path) {
    buf_putc(&b, '\n');
    wrap(&b,
         "Note: You didn't use the -out option to save this plan, so Terraform can't guarantee to take exactly "
         "these actions if you run \"terraform apply\" now.");
    buf_putc(&b, '\n');
  } else {
    char *q = val_quote(plan_path, strlen(plan_path));
    buf_printf(&b, "\nSaved the plan to: %s\n\nTo perform exactly these actions, run the following command to apply:\n    terraform apply %s\n",
               plan_path, q);
    free(q);
  }
  fwrite(b.s, 1, b.len, out);
  buf_free(&b);
}
