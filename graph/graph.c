/*
** graph/graph.c — resource dependency graph, cycles, DOT; see graph.h.
*/
#include "graph/graph.h"
#include "base/buf.h"
#include "base/util.h"
#include "eval/eval.h"

#include <stdlib.h>
#include <string.h>

static void collect(CfgModule *m, void *ud) {
  Graph *g = ud;
  for (size_t i = 0; i < m->nresources; i++) {
    GraphNode n;
    memset(&n, 0, sizeof n);
    n.r = &m->resources[i];
    n.addr = cfg_resource_addr(n.r);
    VEC_PUSH(g->v, g->n, g->cap, n);
  }
}

/* Nodes are collected in cfg_walk order, which is how resources are numbered. */
long graph_find(const Graph *g, const CfgResource *r) {
  return r->seq < g->n && g->v[r->seq].r == r ? (long)r->seq : -1;
}

/* Things already followed while resolving one resource's references, so
** locals that refer to each other (a cycle reported elsewhere) end. */
typedef struct Seen {
  const void **v;
  size_t n, cap;
} Seen;

static bool seen_once(Seen *s, const void *p) {
  for (size_t i = 0; i < s->n; i++)
    if (s->v[i] == p) return true;
  VEC_PUSH(s->v, s->n, s->cap, p);
  return false;
}

static void add_edge(Graph *g, GraphNode *from, CfgResource *to, SrcRange where) {
  long k = graph_find(g, to);
  if (k < 0) return;
  for (size_t i = 0; i < from->nedges; i++)
    if (from->edges[i].to == (size_t)k) return;
  GraphEdge e = {(size_t)k, where};
  VEC_PUSH(from->edges, from->nedges, from->capedges, e);
}

static char *step(const EvTraversal *t, size_t i) {
  if (i >= t->nsteps || t->steps[i].kind != EV_STEP_ATTR) return NULL;
  return xstrndup(t->steps[i].name.s, t->steps[i].name.len);
}

/* Follows e's references to resources. where: the reference in the
** resource's own configuration that led here (set at the top level). */
static void follow(Graph *g, GraphNode *from, CfgModule *m, const Expr *e, const SrcRange *where, Seen *s) {
  EvRefList refs = {0};
  ev_references(e, &refs);
  for (size_t i = 0; i < refs.n; i++) {
    EvTraversal *t = &refs.v[i];
    SrcRange w = where ? *where : t->range;
    char *root = xstrndup(t->root.s, t->root.len);
    char *s0 = step(t, 0), *s1 = step(t, 1);
    if (strcmp(root, "local") == 0 && s0) {
      CfgLocal *l = cfg_local(m, s0);
      if (l && !seen_once(s, l)) follow(g, from, m, l->expr, &w, s);
    } else if (strcmp(root, "var") == 0 && s0) {
      CfgVariable *v = cfg_variable(m, s0);
      if (v && m->call && m->parent && !seen_once(s, v)) {
        for (size_t k = 0; k < m->call->body->nitems; k++) {
          Attribute *a = m->call->body->items[k].attr;
          if (a && hcl_str_eq(a->name, s0)) follow(g, from, m->parent, a->expr, &w, s);
        }
      }
    } else if (strcmp(root, "module") == 0 && s0) {
      CfgModuleCall *c = cfg_call(m, s0);
      if (c && c->child) {
        for (size_t k = 0; k < c->child->noutputs; k++) {
          CfgOutput *o = &c->child->outputs[k];
          if ((s1 && strcmp(o->name, s1) != 0) || !o->value || seen_once(s, o)) continue;
          follow(g, from, c->child, o->value, &w, s);
          for (size_t j = 0; j < o->ndepends; j++) follow(g, from, c->child, o->depends_on[j], &w, s);
        }
      }
    } else if (strcmp(root, "data") == 0 && s0 && s1) {
      CfgResource *r = cfg_resource(m, CFG_DATA, s0, s1);
      if (r) add_edge(g, from, r, w);
    } else if (s0 && strcmp(root, "path") != 0 && strcmp(root, "terraform") != 0 && strcmp(root, "count") != 0 &&
               strcmp(root, "each") != 0 && strcmp(root, "self") != 0) {
      CfgResource *r = cfg_resource(m, CFG_MANAGED, root, s0);
      if (r) add_edge(g, from, r, w);
    }
    free(root);
    free(s0);
    free(s1);
  }
  ev_reflist_free(&refs);
}

static void follow_body(Graph *g, GraphNode *from, CfgModule *m, const Body *b, Seen *s) {
  for (size_t i = 0; i < b->nitems; i++) {
    const Attribute *a = b->items[i].attr;
    const Block *blk = b->items[i].block;
    if (a) {
      /* meta-arguments that are not references to order by */
      if (hcl_str_eq(a->name, "provider")) continue;
      follow(g, from, m, a->expr, NULL, s);
    } else if (!hcl_str_eq(blk->type, "lifecycle")) {
      follow_body(g, from, m, blk->body, s);
    }
  }
}

Graph *graph_build(CfgModule *root) {
  Graph *g = xcalloc(1, sizeof *g);
  cfg_walk(root, collect, g);
  for (size_t i = 0; i < g->n; i++) {
    GraphNode *n = &g->v[i];
    CfgResource *r = n->r;
    Seen s = {0};
    follow_body(g, n, r->module, r->body, &s);
    for (size_t k = 0; k < r->ndepends; k++) follow(g, n, r->module, r->depends_on[k], NULL, &s);
    for (CfgModule *m = r->module; m->call; m = m->parent)
      for (size_t k = 0; k < m->call->ndepends; k++) follow(g, n, m->parent, m->call->depends_on[k], NULL, &s);
    free(s.v);
  }
  return g;
}

void graph_free(Graph *g) {
  if (!g) return;
  for (size_t i = 0; i < g->n; i++) {
    free(g->v[i].addr);
    free(g->v[i].edges);
  }
  free(g->v);
  free(g);
}

/* ---- cycles: Tarjan's strongly connected components, iteratively ---- */

typedef struct Tarjan {
  const Graph *g;
  long *index, *low;
  bool *on;
  size_t *stack, sp;
  long next;
  DiagList *d;
  size_t cycles;
  size_t *cs, *ce, *members;      /* work arrays, allocated once */
} Tarjan;

static char *where_text(SrcRange r) {
  SrcFile *f = src_get(r.file);
  if (!f) return xstrdup("?");
  SrcPos p = src_pos(r.file, r.start);
  return xasprintf("%s:%d", f->path, p.line);
}

static void report(Tarjan *t, size_t *members, size_t n) {
  const Graph *g = t->g;
  /* Terraform lists the members; tfc also shows the references that close
  ** the cycle, following it from the first member */
  Buf sum = BUF_INIT, det = BUF_INIT;
  buf_puts(&sum, "Cycle: ");
  for (size_t i = 0; i < n; i++) buf_printf(&sum, "%s%s", i ? ", " : "", g->v[members[i]].addr);
  buf_puts(&det, "These resources refer to each other, so none of them can be created first:\n");
  size_t cur = members[0];
  SrcRange first = src_range(0, 0, 0);
  bool *in = xcalloc(g->n, sizeof *in);
  for (size_t i = 0; i < n; i++) in[members[i]] = true;
  for (size_t steps = 0; steps < n; steps++) {
    const GraphNode *nd = &g->v[cur];
    const GraphEdge *e = NULL;
    for (size_t k = 0; k < nd->nedges && !e; k++)
      if (in[nd->edges[k].to]) e = &nd->edges[k];
    if (!e) break;
    if (!first.file) first = e->where;
    char *w = where_text(e->where);
    buf_printf(&det, "  %s refers to %s (%s)\n", nd->addr, g->v[e->to].addr, w);
    free(w);
    cur = e->to;
    if (cur == members[0]) break;
  }
  buf_puts(&det, "Remove one of these references, for example by computing a name from variables instead of reading "
                 "it from the other resource.");
  diag_add(t->d, DIAG_ERROR, first.file ? &first : NULL, sum.s, "%s", det.s);
  t->cycles++;
  free(in);
  buf_free(&sum);
  buf_free(&det);
}

static void strongconnect(Tarjan *t, size_t v0) {
  /* explicit stack of (node, next edge) so deep chains cannot overflow */
  size_t *cs = t->cs, *ce = t->ce, csp = 0;
  cs[csp] = v0;
  ce[csp++] = 0;
  t->index[v0] = t->low[v0] = t->next++;
  t->stack[t->sp++] = v0;
  t->on[v0] = true;
  while (csp) {
    size_t v = cs[csp - 1];
    const GraphNode *nd = &t->g->v[v];
    if (ce[csp - 1] < nd->nedges) {
      size_t w = nd->edges[ce[csp - 1]++].to;
      if (t->index[w] < 0) {
        t->index[w] = t->low[w] = t->next++;
        t->stack[t->sp++] = w;
        t->on[w] = true;
        cs[csp] = w;
        ce[csp++] = 0;
      } else if (t->on[w] && t->index[w] < t->low[v]) {
        t->low[v] = t->index[w];
      }
      continue;
    }
    csp--;
    if (csp && t->low[v] < t->low[cs[csp - 1]]) t->low[cs[csp - 1]] = t->low[v];
    if (t->low[v] != t->index[v]) continue;
    size_t *members = t->members, n = 0;
    size_t w;
    do {
      w = t->stack[--t->sp];
      t->on[w] = false;
      members[n++] = w;
    } while (w != v);
    bool self = false;
    for (size_t k = 0; k < nd->nedges; k++) self = self || nd->edges[k].to == v;
    if (n > 1 || self) {
      /* list members in a stable order: as declared */
      for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && members[j] < members[j - 1]; j--) {
          size_t x = members[j];
          members[j] = members[j - 1];
          members[j - 1] = x;
        }
      report(t, members, n);
    }
  }
}

size_t graph_report_cycles(const Graph *g, DiagList *d) {
  Tarjan t;
  memset(&t, 0, sizeof t);
  t.g = g;
  t.d = d;
  t.index = xcalloc(g->n + 1, sizeof *t.index);
  t.low = xcalloc(g->n + 1, sizeof *t.low);
  t.on = xcalloc(g->n + 1, sizeof *t.on);
  t.stack = xcalloc(g->n + 1, sizeof *t.stack);
  t.cs = xcalloc(g->n + 1, sizeof *t.cs);
  t.ce = xcalloc(g->n + 1, sizeof *t.ce);
  t.members = xcalloc(g->n + 1, sizeof *t.members);
  for (size_t i = 0; i < g->n; i++) t.index[i] = -1;
  for (size_t i = 0; i < g->n; i++)
    if (t.index[i] < 0) strongconnect(&t, i);
  free(t.index);
  free(t.low);
  free(t.on);
  free(t.stack);
  free(t.cs);
  free(t.ce);
  free(t.members);
  return t.cycles;
}

/* ---- DOT ---- */

static int node_cmp(const void *a, const void *b) {
  const GraphNode *x = *(const GraphNode *const *)a, *y = *(const GraphNode *const *)b;
  int c = strcmp(x->r->module->addr, y->r->module->addr);
  if (c) return c;
  if (x->r->mode != y->r->mode) return x->r->mode == CFG_DATA ? -1 : 1;
  c = strcmp(x->r->type, y->r->type);
  return c ? c : strcmp(x->r->name, y->r->name);
}

/* The node name Terraform uses inside a module cluster: without the module prefix. */
static const char *local_addr(const GraphNode *n) {
  const char *m = n->r->module->addr;
  size_t k = strlen(m);
  return k ? n->addr + k + 1 : n->addr;
}

char *graph_dot(const Graph *g) {
  Buf b = BUF_INIT;
  buf_puts(&b, "digraph G {\n  rankdir = \"RL\";\n  node [shape = rect, fontname = \"sans-serif\"];\n");
  const GraphNode **order = xcalloc(g->n + 1, sizeof *order);
  for (size_t i = 0; i < g->n; i++) order[i] = &g->v[i];
  qsort(order, g->n, sizeof *order, node_cmp);
  const char *open = NULL;
  for (size_t i = 0; i < g->n; i++) {
    const GraphNode *n = order[i];
    const char *m = n->r->module->addr;
    if (!open || strcmp(open, m) != 0) {
      if (open && open[0]) buf_puts(&b, "  }\n");
      if (m[0]) buf_printf(&b, "  subgraph \"cluster_%s\" {\n    label = \"%s\"\n    fontname = \"sans-serif\"\n", m, m);
      open = m;
    }
    buf_printf(&b, "%s\"%s\" [label=\"%s\"];\n", m[0] ? "    " : "  ", n->addr, local_addr(n));
  }
  if (open && open[0]) buf_puts(&b, "  }\n");
  for (size_t i = 0; i < g->n; i++) {
    const GraphNode *n = order[i];
    for (size_t k = 0; k < n->nedges; k++) buf_printf(&b, "  \"%s\" -> \"%s\";\n", n->addr, g->v[n->edges[k].to].addr);
  }
  buf_puts(&b, "}\n");
  free(order);
  return buf_take(&b);
}
