/*
 * graph.c - the ERD graph: tables, foreign keys, the neighbourhood of a
 * table and the shortest join path between two.
 */
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "erd/erd.h"
#include "erd/erd_int.h"
#include "core/banned.h"

/*
 * Arrays grow when their count reaches 8, 16, 32..., so the graph needs
 * no capacity fields: a count of n < 8 lives in 8 slots, else in the
 * next power of two.
 */
static int
needs_grow(int n)
{
	return n == 0 || (n >= 8 && (n & (n - 1)) == 0);
}

static size_t
grown(int n)
{
	return n == 0 ? 8 : (size_t)n * 2;
}

struct erd_graph *
erd_graph_new(void)
{
	return xcalloc(1, sizeof(struct erd_graph));
}

int
erd_add_node(struct erd_graph *g, const char *schema, const char *name,
    const char *badge, unsigned flags)
{
	struct erd_node	*n;

	if (needs_grow(g->nnodes))
		g->nodes = xrealloc(g->nodes, grown(g->nnodes) * sizeof(*n));
	n = &g->nodes[g->nnodes];
	memset(n, 0, sizeof(*n));
	n->schema = xstrdup(schema ? schema : "");
	n->name = xstrdup(name ? name : "");
	n->badge = badge ? xstrdup(badge) : NULL;
	n->flags = flags;
	return g->nnodes++;
}

void
erd_add_col(struct erd_graph *g, int node, const char *name, const char *type,
    unsigned flags)
{
	struct erd_node	*n;
	struct erd_col	*c;

	if (node < 0 || node >= g->nnodes)
		BUG("erd_add_col: bad node");
	n = &g->nodes[node];
	if (needs_grow(n->ncols))
		n->cols = xrealloc(n->cols, grown(n->ncols) * sizeof(*c));
	c = &n->cols[n->ncols++];
	c->name = xstrdup(name ? name : "");
	c->type = xstrdup(type ? type : "");
	c->flags = flags;
}

static int *
dup_ints(const int *v, int n)
{
	int	*out;

	if (n <= 0 || !v)
		return NULL;
	out = xmalloc((size_t)n * sizeof(int));
	memcpy(out, v, (size_t)n * sizeof(int));
	return out;
}

int
erd_add_edge(struct erd_graph *g, int from, int to, const char *name,
    const int *from_cols, const int *to_cols, int ncols, enum erd_card child,
    enum erd_card parent, unsigned flags)
{
	struct erd_edge	*e;

	if (from < 0 || from >= g->nnodes || to < 0 || to >= g->nnodes)
		BUG("erd_add_edge: bad node");
	if (needs_grow(g->nedges))
		g->edges = xrealloc(g->edges, grown(g->nedges) * sizeof(*e));
	e = &g->edges[g->nedges];
	memset(e, 0, sizeof(*e));
	e->from = from;
	e->to = to;
	e->name = xstrdup(name ? name : "");
	if (ncols < 0 || !from_cols || !to_cols)
		ncols = 0;
	e->from_cols = dup_ints(from_cols, ncols);
	e->to_cols = dup_ints(to_cols, ncols);
	e->ncols = ncols;
	e->child_card = child;
	e->parent_card = parent;
	e->flags = flags;
	return g->nedges++;
}

void
erd_graph_free(struct erd_graph *g)
{
	int	i, j;

	if (!g)
		return;
	for (i = 0; i < g->nnodes; i++) {
		struct erd_node *n = &g->nodes[i];

		for (j = 0; j < n->ncols; j++) {
			free(n->cols[j].name);
			free(n->cols[j].type);
		}
		free(n->cols);
		free(n->schema);
		free(n->name);
		free(n->badge);
	}
	for (i = 0; i < g->nedges; i++) {
		free(g->edges[i].name);
		free(g->edges[i].from_cols);
		free(g->edges[i].to_cols);
	}
	free(g->nodes);
	free(g->edges);
	free(g);
}

int
erd_find(const struct erd_graph *g, const char *schema, const char *name)
{
	int	i;

	for (i = 0; i < g->nnodes; i++) {
		if (schema && strcmp(g->nodes[i].schema, schema) != 0)
			continue;
		if (strcmp(g->nodes[i].name, name) == 0)
			return i;
	}
	return -1;
}

void
erd_adj_init(struct erd_adj *a, const struct erd_graph *g)
{
	int	i, *fill;

	a->start = xcalloc((size_t)g->nnodes + 1, sizeof(int));
	a->item = xmalloc(((size_t)g->nedges * 2 + 1) * sizeof(int));
	for (i = 0; i < g->nedges; i++) {
		a->start[g->edges[i].from + 1]++;
		if (g->edges[i].to != g->edges[i].from)
			a->start[g->edges[i].to + 1]++;
	}
	for (i = 0; i < g->nnodes; i++)
		a->start[i + 1] += a->start[i];
	fill = xmalloc(((size_t)g->nnodes + 1) * sizeof(int));
	memcpy(fill, a->start, ((size_t)g->nnodes + 1) * sizeof(int));
	for (i = 0; i < g->nedges; i++) {
		a->item[fill[g->edges[i].from]++] = i;
		if (g->edges[i].to != g->edges[i].from)
			a->item[fill[g->edges[i].to]++] = i;
	}
	free(fill);
}

void
erd_adj_release(struct erd_adj *a)
{
	free(a->start);
	free(a->item);
}

/*
 * Breadth-first search from 'src' over edges in both directions, at most
 * 'maxd' hops (-1 no limit).  dist[] gets the hops (-1 unreached) and
 * via[] the edge each node was reached by.  Returns the nodes reached.
 */
static int
bfs(const struct erd_graph *g, const struct erd_adj *a, int src, int maxd,
    int *dist, int *via)
{
	int	*queue, head = 0, tail = 0, i;

	for (i = 0; i < g->nnodes; i++) {
		dist[i] = -1;
		via[i] = -1;
	}
	queue = xmalloc((size_t)g->nnodes * sizeof(int));
	dist[src] = 0;
	queue[tail++] = src;
	while (head < tail) {
		int	u = queue[head++];

		if (maxd >= 0 && dist[u] >= maxd)
			continue;
		for (i = a->start[u]; i < a->start[u + 1]; i++) {
			const struct erd_edge *e = &g->edges[a->item[i]];
			int	v = e->from == u ? e->to : e->from;

			if (dist[v] >= 0)
				continue;
			dist[v] = dist[u] + 1;
			via[v] = a->item[i];
			queue[tail++] = v;
		}
	}
	free(queue);
	return tail;
}

struct erd_graph *
erd_neighbourhood(const struct erd_graph *g, int focus, int hops, int **map)
{
	struct erd_graph *out = erd_graph_new();
	struct erd_adj	 a;
	int		*dist, *via, *newidx, *m, i, j, n = 0;

	if (focus < 0 || focus >= g->nnodes)
		BUG("erd_neighbourhood: bad focus");
	if (hops < 0)
		hops = 0;
	erd_adj_init(&a, g);
	dist = xmalloc((size_t)g->nnodes * sizeof(int));
	via = xmalloc((size_t)g->nnodes * sizeof(int));
	newidx = xmalloc((size_t)g->nnodes * sizeof(int));
	bfs(g, &a, focus, hops, dist, via);
	m = xmalloc((size_t)g->nnodes * sizeof(int));
	for (i = 0; i < g->nnodes; i++) {
		const struct erd_node *src = &g->nodes[i];
		unsigned	 flags;
		int		 k;

		newidx[i] = -1;
		if (dist[i] < 0)
			continue;
		flags = src->flags & ~(unsigned)ERD_NODE_FOCUS;
		if (i == focus)
			flags |= ERD_NODE_FOCUS;
		k = erd_add_node(out, src->schema, src->name, src->badge, flags);
		for (j = 0; j < src->ncols; j++)
			erd_add_col(out, k, src->cols[j].name, src->cols[j].type,
			    src->cols[j].flags);
		newidx[i] = k;
		m[n++] = i;
	}
	for (i = 0; i < g->nedges; i++) {
		const struct erd_edge *e = &g->edges[i];

		if (newidx[e->from] < 0 || newidx[e->to] < 0)
			continue;
		erd_add_edge(out, newidx[e->from], newidx[e->to], e->name,
		    e->from_cols, e->to_cols, e->ncols, e->child_card,
		    e->parent_card, e->flags);
	}
	if (map)
		*map = m;
	else
		free(m);
	free(dist);
	free(via);
	free(newidx);
	erd_adj_release(&a);
	return out;
}

int
erd_join_path(const struct erd_graph *g, int a, int b, int **edges)
{
	struct erd_adj	 adj;
	int		*dist, *via, n, v, i;

	*edges = NULL;
	if (a < 0 || a >= g->nnodes || b < 0 || b >= g->nnodes)
		return -1;
	if (a == b)
		return 0;
	erd_adj_init(&adj, g);
	dist = xmalloc((size_t)g->nnodes * sizeof(int));
	via = xmalloc((size_t)g->nnodes * sizeof(int));
	bfs(g, &adj, a, -1, dist, via);
	n = dist[b];
	if (n > 0) {
		*edges = xmalloc((size_t)n * sizeof(int));
		for (v = b, i = n - 1; v != a; i--) {
			const struct erd_edge *e = &g->edges[via[v]];

			(*edges)[i] = via[v];
			v = e->from == v ? e->to : e->from;
		}
	}
	free(dist);
	free(via);
	erd_adj_release(&adj);
	return n;
}
