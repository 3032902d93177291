/*
** graph/graph.h — the dependency graph of a configuration's resources.
**
** An edge A -> B means A's configuration refers to B, directly or through
** locals, input variables and module outputs (followed across module
** boundaries to the resources behind them), or through depends_on. Each
** edge remembers where, in A's own configuration, the reference is written.
**
** Cycles are reported the way Terraform reports them ("Cycle: a, b"), and,
** beyond Terraform, with the reference that closes each step of the cycle.
*/
#ifndef TFC_GRAPH_H
#define TFC_GRAPH_H

#include "eval/config.h"

typedef struct GraphEdge {
  size_t to;                 /* index of the node referred to */
  SrcRange where;            /* the reference in the referring resource */
} GraphEdge;

typedef struct GraphNode {
  CfgResource *r;
  char *addr;                /* "module.a.aws_x.y" */
  GraphEdge *edges;
  size_t nedges, capedges;
} GraphNode;

typedef struct Graph {
  GraphNode *v;
  size_t n, cap;
} Graph;

/* Builds the graph of every resource in the module tree. */
Graph *graph_build(CfgModule *root);
void graph_free(Graph *g);
/* Index of r's node, or -1. */
long graph_find(const Graph *g, const CfgResource *r);
/* Reports every cycle as an error; returns the number found. */
size_t graph_report_cycles(const Graph *g, DiagList *d);
/* Graphviz DOT text, as `terraform graph` prints it. malloc'd. */
char *graph_dot(const Graph *g);

#endif
