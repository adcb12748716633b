/*
 * layout.c - a layered (Sugiyama) layout of the ERD on a character grid,
 * with edges routed orthogonally in the channels between layers.
 *
 * Per connected component: break cycles (reverse the back edges of a
 * depth-first search), assign layers by longest path and pull each node
 * towards the median of its neighbours' layers, split long edges with
 * one-row dummies, order each layer by barycenter sweeps (keeping the
 * order with the fewest crossings), then place rows by least squares
 * under the order (pool adjacent violators) so that an edge's two ends
 * line up when they can.  Columns follow: each layer is as wide as its
 * widest box, boxes left-aligned, and between two layers a channel of
 * vertical tracks, one per edge that changes row there, assigned by a
 * constrained left-edge algorithm so that no two edges overlap.
 * Components and lone tables are then packed in shelves.
 *
 * Why not Graphviz: see the "ERD layout" section of docs/PERFORMANCE.md.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "erd/erd_int.h"
#include "core/banned.h"

#define SWEEPS		12	/* barycenter rounds (down + up) */
#define PLACE_ROUNDS	6	/* least-squares placement rounds */
#define COMP_GAP_ROWS	2	/* between packed components */
#define COMP_GAP_COLS	4
#define SHELF_MIN_COLS	160	/* components pack into shelves this wide
				   (or as wide as the widest one) */

/* A box or a dummy (one row of a long edge) in a layer. */
struct item {
	int	layer, pos;	/* pos: index in the layer's order */
	int	node;		/* local node, -1 for a dummy */
	int	h;		/* rows */
	int	top;		/* first row */
};

/* A piece of an edge between item a in layer l and item b in layer l+1. */
struct link {
	int	a, b;
	int	pa, pb;		/* row offsets of the ends in a and b */
	int	edge;
	int	x;		/* the channel track's column, -1 straight */
};

/* An edge's vertical run in a channel, waiting for a track. */
struct seg {
	int	ra, rb;		/* row at the left end, row at the right end
				   (a self-loop: both ends on the left) */
	int	self;		/* a self-loop: both ends on the left side */
	int	lo, hi;
	int	ref;		/* link index, or edge index of a self-loop */
	int	track;
};

struct comp {
	const struct erd_graph	*g;
	const struct erd_boxinfo *bi;	/* per graph node */
	const int		*port_from, *port_to;	/* per edge */
	const struct erd_adj	*adj;

	int		*nodes;		/* graph node of each local node */
	int		 nn;
	int		*local;		/* graph node -> local (shared, -1) */
	int		*edges;		/* graph edges of the component */
	int		 ne;
	int		*rev;		/* per graph edge: child on the left */
	int		*layer;		/* per local node */
	int		 nlayers;

	struct item	*items;
	int		 nitems, aitems;
	struct link	*links;
	int		 nlinks, alinks;
	int		*lstart, *lcount;	/* per graph edge: its links */
	int		**lay;		/* per layer: items in order */
	int		*laycount;
	int		*llinks;	/* links grouped by left layer */
	int		*llstart;	/* nlayers + 1 offsets into llinks */
	int		*in_start, *in_link;	/* per item: links to the left */
	int		*out_start, *out_link;	/* per item: links to the right */
	int		*self_x;	/* per graph edge: self-loop track */

	int		*lx, *lw;	/* per layer: first column, width */
	int		 rows, cols;	/* size of the component */
};

static int
max_int(int a, int b)
{
	return a > b ? a : b;
}

static int
min_int(int a, int b)
{
	return a < b ? a : b;
}

/* Is edge 'e' a self-reference? */
static int
is_self(const struct erd_graph *g, int e)
{
	return g->edges[e].from == g->edges[e].to;
}

/* The DAG ends of a non-self edge: parent to child unless reversed. */
static int
dag_src(const struct comp *c, int e)
{
	const struct erd_edge *ed = &c->g->edges[e];

	return c->local[c->rev[e] ? ed->from : ed->to];
}

static int
dag_dst(const struct comp *c, int e)
{
	const struct erd_edge *ed = &c->g->edges[e];

	return c->local[c->rev[e] ? ed->to : ed->from];
}

/* Port (row offset in the box) of the DAG source / destination end. */
static int
src_port(const struct comp *c, int e)
{
	return c->rev[e] ? c->port_from[e] : c->port_to[e];
}

static int
dst_port(const struct comp *c, int e)
{
	return c->rev[e] ? c->port_to[e] : c->port_from[e];
}

/*
 * Break cycles: a depth-first search along parent -> child; an edge to
 * a node still on the stack is reversed.
 */
static void
break_cycles(struct comp *c)
{
	const struct erd_graph *g = c->g;
	int	*state = xcalloc((size_t)c->nn, sizeof(int));
	int	*stack = xmalloc((size_t)c->nn * sizeof(int));
	int	*next = xmalloc((size_t)c->nn * sizeof(int));
	int	 i, sp;

	for (i = 0; i < c->ne; i++)
		c->rev[c->edges[i]] = 0;
	for (i = 0; i < c->nn; i++) {
		if (state[i])
			continue;
		sp = 0;
		stack[sp++] = i;
		state[i] = 1;
		next[i] = c->adj->start[c->nodes[i]];
		while (sp > 0) {
			int	u = stack[sp - 1], gu = c->nodes[u];

			if (next[u] >= c->adj->start[gu + 1]) {
				state[u] = 2;
				sp--;
				continue;
			}
			{
				int	e = c->adj->item[next[u]++];
				int	v;

				if (is_self(g, e) || g->edges[e].to != gu)
					continue;
				v = c->local[g->edges[e].from];
				if (state[v] == 1)
					c->rev[e] = 1;
				else if (state[v] == 0) {
					state[v] = 1;
					next[v] = c->adj->start[c->nodes[v]];
					stack[sp++] = v;
				}
			}
		}
	}
	free(state);
	free(stack);
	free(next);
}

static int
cmp_int(const void *a, const void *b)
{
	int	x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/*
 * Layers: longest path from the sources, then each node moved within
 * the range its edges allow towards the median of what its neighbours
 * ask, which shortens long edges (a lookup table referenced from deep
 * down no longer sits in layer 0).
 */
static void
assign_layers(struct comp *c)
{
	const struct erd_graph *g = c->g;
	int	*indeg = xcalloc((size_t)c->nn, sizeof(int));
	int	*order = xmalloc((size_t)c->nn * sizeof(int));
	int	*want = xmalloc(((size_t)c->ne + 1) * sizeof(int));
	int	 head = 0, tail = 0, i, j, round, maxl = 0;

	for (i = 0; i < c->ne; i++)
		if (!is_self(g, c->edges[i]))
			indeg[dag_dst(c, c->edges[i])]++;
	for (i = 0; i < c->nn; i++) {
		c->layer[i] = 0;
		if (indeg[i] == 0)
			order[tail++] = i;
	}
	while (head < tail) {
		int	u = order[head++], gu = c->nodes[u];

		for (j = c->adj->start[gu]; j < c->adj->start[gu + 1]; j++) {
			int	e = c->adj->item[j], v;

			if (is_self(g, e) || dag_src(c, e) != u)
				continue;
			v = dag_dst(c, e);
			c->layer[v] = max_int(c->layer[v], c->layer[u] + 1);
			if (--indeg[v] == 0)
				order[tail++] = v;
		}
	}
	if (tail != c->nn)
		BUG("erd layout: cycle left after breaking cycles");
	for (i = 0; i < c->nn; i++)
		maxl = max_int(maxl, c->layer[i]);
	for (round = 0; round < 3; round++) {
		for (i = 0; i < c->nn; i++) {
			int	u = order[i], gu = c->nodes[u];
			int	lo = 0, hi = maxl, nw = 0;

			for (j = c->adj->start[gu]; j < c->adj->start[gu + 1];
			    j++) {
				int	e = c->adj->item[j];

				if (is_self(g, e))
					continue;
				if (dag_dst(c, e) == u) {
					int	l = c->layer[dag_src(c, e)] + 1;

					lo = max_int(lo, l);
					want[nw++] = l;
				} else {
					int	l = c->layer[dag_dst(c, e)] - 1;

					hi = min_int(hi, l);
					want[nw++] = l;
				}
			}
			if (nw == 0 || lo > hi)
				continue;
			qsort(want, (size_t)nw, sizeof(int), cmp_int);
			c->layer[u] = min_int(max_int(want[(nw - 1) / 2], lo),
			    hi);
		}
	}
	c->nlayers = 0;
	for (i = 0; i < c->nn; i++)
		c->nlayers = max_int(c->nlayers, c->layer[i] + 1);
	free(indeg);
	free(order);
	free(want);
}

static int
add_item(struct comp *c, int layer, int node, int h)
{
	struct item	*it;

	if (c->nitems == c->aitems) {
		c->aitems = c->aitems ? c->aitems * 2 : 64;
		c->items = xrealloc(c->items, (size_t)c->aitems * sizeof(*it));
	}
	it = &c->items[c->nitems];
	it->layer = layer;
	it->node = node;
	it->h = h;
	it->pos = 0;
	it->top = 0;
	return c->nitems++;
}

static void
add_link(struct comp *c, int a, int pa, int b, int pb, int e)
{
	struct link	*k;

	if (c->nlinks == c->alinks) {
		c->alinks = c->alinks ? c->alinks * 2 : 64;
		c->links = xrealloc(c->links, (size_t)c->alinks * sizeof(*k));
	}
	k = &c->links[c->nlinks++];
	k->a = a;
	k->b = b;
	k->pa = pa;
	k->pb = pb;
	k->edge = e;
	k->x = -1;
}

/* Per item, the links on each side (CSR over c->links). */
static void
index_links(struct comp *c)
{
	int	i, *fin, *fout;

	c->in_start = xcalloc((size_t)c->nitems + 1, sizeof(int));
	c->out_start = xcalloc((size_t)c->nitems + 1, sizeof(int));
	c->in_link = xmalloc(((size_t)c->nlinks + 1) * sizeof(int));
	c->out_link = xmalloc(((size_t)c->nlinks + 1) * sizeof(int));
	for (i = 0; i < c->nlinks; i++) {
		c->in_start[c->links[i].b + 1]++;
		c->out_start[c->links[i].a + 1]++;
	}
	for (i = 0; i < c->nitems; i++) {
		c->in_start[i + 1] += c->in_start[i];
		c->out_start[i + 1] += c->out_start[i];
	}
	fin = xmalloc(((size_t)c->nitems + 1) * sizeof(int));
	fout = xmalloc(((size_t)c->nitems + 1) * sizeof(int));
	memcpy(fin, c->in_start, ((size_t)c->nitems + 1) * sizeof(int));
	memcpy(fout, c->out_start, ((size_t)c->nitems + 1) * sizeof(int));
	for (i = 0; i < c->nlinks; i++) {
		c->in_link[fin[c->links[i].b]++] = i;
		c->out_link[fout[c->links[i].a]++] = i;
	}
	free(fin);
	free(fout);

	c->llstart = xcalloc((size_t)c->nlayers + 1, sizeof(int));
	c->llinks = xmalloc(((size_t)c->nlinks + 1) * sizeof(int));
	for (i = 0; i < c->nlinks; i++)
		c->llstart[c->items[c->links[i].a].layer + 1]++;
	for (i = 0; i < c->nlayers; i++)
		c->llstart[i + 1] += c->llstart[i];
	fin = xmalloc(((size_t)c->nlayers + 1) * sizeof(int));
	memcpy(fin, c->llstart, ((size_t)c->nlayers + 1) * sizeof(int));
	for (i = 0; i < c->nlinks; i++)
		c->llinks[fin[c->items[c->links[i].a].layer]++] = i;
	free(fin);
}

/* Items (boxes, then dummies along long edges) and the links between. */
static void
build_items(struct comp *c)
{
	const struct erd_graph *g = c->g;
	int	i, l, *fill;

	for (i = 0; i < c->nn; i++)
		add_item(c, c->layer[i], i, c->bi[c->nodes[i]].rows);
	for (i = 0; i < c->ne; i++) {
		int	e = c->edges[i], s, d, prev, pport;

		c->lstart[e] = c->nlinks;
		c->lcount[e] = 0;
		if (is_self(g, e))
			continue;
		s = dag_src(c, e);
		d = dag_dst(c, e);
		prev = s;
		pport = src_port(c, e);
		for (l = c->layer[s] + 1; l < c->layer[d]; l++) {
			int	dm = add_item(c, l, -1, 1);

			add_link(c, prev, pport, dm, 0, e);
			prev = dm;
			pport = 0;
		}
		add_link(c, prev, pport, d, dst_port(c, e), e);
		c->lcount[e] = c->nlinks - c->lstart[e];
	}
	c->laycount = xcalloc((size_t)c->nlayers, sizeof(int));
	c->lay = xcalloc((size_t)c->nlayers, sizeof(int *));
	for (i = 0; i < c->nitems; i++)
		c->laycount[c->items[i].layer]++;
	for (l = 0; l < c->nlayers; l++)
		c->lay[l] = xmalloc(((size_t)c->laycount[l] + 1) *
		    sizeof(int));
	fill = xcalloc((size_t)c->nlayers, sizeof(int));
	for (i = 0; i < c->nitems; i++) {
		struct item *it = &c->items[i];

		it->pos = fill[it->layer]++;
		c->lay[it->layer][it->pos] = i;
	}
	free(fill);
	index_links(c);
}

/* ---------------------------------------------------------------- order */

struct keyed {
	double	key;
	int	item;
	int	old;		/* tie-break: the current position */
};

static int
cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->old > y->old) - (x->old < y->old);
}

/* Sort layer 'l' by the barycenter of its neighbours on one side. */
static void
sort_layer(struct comp *c, int l, int from_left, struct keyed *kb)
{
	int	i, j, n = c->laycount[l];

	for (i = 0; i < n; i++) {
		int	 it = c->lay[l][i], s, t;
		double	 sum = 0;
		const int *idx;

		if (from_left) {
			s = c->in_start[it];
			t = c->in_start[it + 1];
			idx = c->in_link;
		} else {
			s = c->out_start[it];
			t = c->out_start[it + 1];
			idx = c->out_link;
		}
		for (j = s; j < t; j++) {
			const struct link *k = &c->links[idx[j]];
			int	nb = from_left ? k->a : k->b;
			int	port = from_left ? k->pa : k->pb;

			sum += c->items[nb].pos +
			    0.9 * port / (c->items[nb].h + 1);
		}
		kb[i].key = t > s ? sum / (t - s) : i;
		kb[i].item = it;
		kb[i].old = i;
	}
	qsort(kb, (size_t)n, sizeof(*kb), cmp_keyed);
	for (i = 0; i < n; i++) {
		c->lay[l][i] = kb[i].item;
		c->items[kb[i].item].pos = i;
	}
}

/* Count inversions of v[0..n) by merge sort (v is sorted on return). */
static long
inversions(long *v, long *tmp, int n)
{
	long	inv = 0;
	int	w, i;

	for (w = 1; w < n; w *= 2) {
		for (i = 0; i < n; i += 2 * w) {
			int	a = i, am = min_int(i + w, n);
			int	b = am, bm = min_int(i + 2 * w, n), o = i;

			while (a < am && b < bm) {
				if (v[b] < v[a]) {
					inv += am - a;
					tmp[o++] = v[b++];
				} else
					tmp[o++] = v[a++];
			}
			while (a < am)
				tmp[o++] = v[a++];
			while (b < bm)
				tmp[o++] = v[b++];
		}
		memcpy(v, tmp, (size_t)n * sizeof(long));
	}
	return inv;
}

struct pair {
	long	a, b;
};

static int
cmp_pair(const void *x, const void *y)
{
	const struct pair *p = x, *q = y;

	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return (p->b > q->b) - (p->b < q->b);
}

/* Crossings between adjacent layers for the current order, ports kept. */
static long
count_crossings(struct comp *c)
{
	struct pair	*p = xmalloc(((size_t)c->nlinks + 1) * sizeof(*p));
	long		*v = xmalloc(((size_t)c->nlinks + 1) * sizeof(long));
	long		*tmp = xmalloc(((size_t)c->nlinks + 1) * sizeof(long));
	long		 total = 0;
	int		 l, i, n;

	for (l = 0; l + 1 < c->nlayers; l++) {
		n = 0;
		for (i = c->llstart[l]; i < c->llstart[l + 1]; i++) {
			const struct link *k = &c->links[c->llinks[i]];

			p[n].a = (long)c->items[k->a].pos * 65536 +
			    min_int(k->pa, 65535);
			p[n].b = (long)c->items[k->b].pos * 65536 +
			    min_int(k->pb, 65535);
			n++;
		}
		qsort(p, (size_t)n, sizeof(*p), cmp_pair);
		for (i = 0; i < n; i++)
			v[i] = p[i].b;
		total += inversions(v, tmp, n);
	}
	free(p);
	free(v);
	free(tmp);
	return total;
}

/* Barycenter sweeps, keeping the order with the fewest crossings. */
static void
order_layers(struct comp *c)
{
	struct keyed	*kb = xmalloc(((size_t)c->nitems + 1) * sizeof(*kb));
	int		*best = xmalloc(((size_t)c->nitems + 1) * sizeof(int));
	long		 bestx, x;
	int		 round, l, i;

	/* A first downward pass places the dummies next to their edges. */
	for (l = 1; l < c->nlayers; l++)
		sort_layer(c, l, 1, kb);
	bestx = count_crossings(c);
	for (i = 0; i < c->nitems; i++)
		best[i] = c->items[i].pos;
	for (round = 0; round < SWEEPS && bestx > 0; round++) {
		if (round % 2 == 0) {
			for (l = c->nlayers - 2; l >= 0; l--)
				sort_layer(c, l, 0, kb);
		} else {
			for (l = 1; l < c->nlayers; l++)
				sort_layer(c, l, 1, kb);
		}
		x = count_crossings(c);
		if (x < bestx) {
			bestx = x;
			for (i = 0; i < c->nitems; i++)
				best[i] = c->items[i].pos;
		}
	}
	for (i = 0; i < c->nitems; i++) {
		c->items[i].pos = best[i];
		c->lay[c->items[i].layer][best[i]] = i;
	}
	free(kb);
	free(best);
}

/* ------------------------------------------------------------- placement */

/* Blank rows between two neighbours in a layer. */
static int
gap_between(const struct comp *c, int a, int b)
{
	return c->items[a].node < 0 && c->items[b].node < 0 ? 0 : 1;
}

/*
 * Place layer 'l': each item wants its top at 'want' (weight 'w'); find
 * the least-squares tops that keep the order and the gaps (pool
 * adjacent violators on top minus the room the items above need).
 */
static void
place_layer(struct comp *c, int l, const double *want, const double *w,
    double *bv, double *bw, int *bn)
{
	int	n = c->laycount[l], nb = 0, i, j, k, s;

	for (i = 0, s = 0; i < n; i++) {
		int	it = c->lay[l][i];

		if (i > 0)
			s += c->items[c->lay[l][i - 1]].h +
			    gap_between(c, c->lay[l][i - 1], it);
		bv[nb] = want[it] - s;
		bw[nb] = w[it];
		bn[nb] = 1;
		nb++;
		while (nb > 1 && bv[nb - 2] > bv[nb - 1]) {
			double	tw = bw[nb - 2] + bw[nb - 1];

			bv[nb - 2] = (bv[nb - 2] * bw[nb - 2] +
			    bv[nb - 1] * bw[nb - 1]) / tw;
			bw[nb - 2] = tw;
			bn[nb - 2] += bn[nb - 1];
			nb--;
		}
	}
	for (i = 0, j = 0, s = 0; j < nb; j++) {
		int	z = (int)lround(bv[j]);

		for (k = 0; k < bn[j]; k++, i++) {
			int	it = c->lay[l][i];

			if (i > 0)
				s += c->items[c->lay[l][i - 1]].h +
				    gap_between(c, c->lay[l][i - 1], it);
			c->items[it].top = z + s;
		}
	}
}

/*
 * What each item of layer 'l' wants, from its links to the left
 * (side 1), the right (side 2) or both (3): its ports level with the
 * other ends, dummy-to-dummy links weighted most so long edges run
 * straight.
 */
static void
layer_wants(struct comp *c, int l, int side, double *want, double *w)
{
	int	i, j;

	for (i = 0; i < c->laycount[l]; i++) {
		int	it = c->lay[l][i];
		double	sum = 0, sw = 0;

		if (side & 1) {
			for (j = c->in_start[it]; j < c->in_start[it + 1]; j++) {
				const struct link *k = &c->links[c->in_link[j]];
				double	 kw = 1 + (c->items[k->a].node < 0) * 2 +
				    (c->items[it].node < 0) * 2;

				kw *= kw;
				sum += kw * (c->items[k->a].top + k->pa - k->pb);
				sw += kw;
			}
		}
		if (side & 2) {
			for (j = c->out_start[it]; j < c->out_start[it + 1];
			    j++) {
				const struct link *k =
				    &c->links[c->out_link[j]];
				double	 kw = 1 + (c->items[k->b].node < 0) * 2 +
				    (c->items[it].node < 0) * 2;

				kw *= kw;
				sum += kw * (c->items[k->b].top + k->pb - k->pa);
				sw += kw;
			}
		}
		if (sw > 0) {
			want[it] = sum / sw;
			w[it] = sw;
		} else {
			want[it] = c->items[it].top;
			w[it] = 0.01;
		}
	}
}

static void
place_rows(struct comp *c)
{
	size_t	 n = (size_t)c->nitems + 1;
	double	*want = xmalloc(n * sizeof(double));
	double	*w = xmalloc(n * sizeof(double));
	double	*bv = xmalloc(n * sizeof(double));
	double	*bw = xmalloc(n * sizeof(double));
	int	*bn = xmalloc(n * sizeof(int));
	int	 l, i, round, top = INT_MAX;

	for (l = 0; l < c->nlayers; l++) {
		int	y = 0;

		for (i = 0; i < c->laycount[l]; i++) {
			int	it = c->lay[l][i];

			if (i > 0)
				y += gap_between(c, c->lay[l][i - 1], it);
			c->items[it].top = y;
			y += c->items[it].h;
		}
	}
	for (round = 0; round < PLACE_ROUNDS; round++) {
		for (l = 1; l < c->nlayers; l++) {
			layer_wants(c, l, round == 0 ? 1 : 3, want, w);
			place_layer(c, l, want, w, bv, bw, bn);
		}
		for (l = c->nlayers - 2; l >= 0; l--) {
			layer_wants(c, l, 3, want, w);
			place_layer(c, l, want, w, bv, bw, bn);
		}
	}
	for (i = 0; i < c->nitems; i++)
		top = min_int(top, c->items[i].top);
	c->rows = 0;
	for (i = 0; i < c->nitems; i++) {
		c->items[i].top -= top;
		c->rows = max_int(c->rows, c->items[i].top + c->items[i].h);
	}
	free(want);
	free(w);
	free(bv);
	free(bw);
	free(bn);
}

/* --------------------------------------------------------------- routing */

/*
 * Crossings if segment 'a' takes a track left of segment 'b': a's
 * vertical run is crossed by b's rows on the left, b's by a's row on the
 * right.
 */
static int
pair_cost(const struct seg *a, const struct seg *b)
{
	int	n = 0;

	n += a->lo < b->ra && b->ra < a->hi;
	if (b->self)
		n += a->lo < b->rb && b->rb < a->hi;
	if (!a->self)
		n += b->lo < a->rb && a->rb < b->hi;
	return n;
}

/*
 * Must 'a' be left of 'b'?  An end of a on the left and one of b on the
 * right in the same row would run along each other, unless they are
 * the same point (same row, same side: a shared port).
 */
static int
must_precede(const struct seg *a, const struct seg *b)
{
	if (b->self)
		return 0;
	return a->ra == b->rb || (a->self && a->rb == b->rb);
}

/*
 * Where a segment would like to be, left to right: self-loops nearest
 * their box (smallest first), then runs going up, higher ends first,
 * then runs going down, lower starts first.  Two runs that do not cross
 * between the layers then do not cross in the channel either.
 */
static long
seg_key(const struct seg *s)
{
	if (s->self)
		return (s->hi - s->lo);
	if (s->rb < s->ra)
		return (1L << 40) + s->rb;
	return (2L << 40) + ((1L << 30) - s->ra);
}

static int
overlaps(const struct seg *a, const struct seg *b)
{
	return !(a->hi < b->lo || b->hi < a->lo);
}

/*
 * Give each segment of a channel a track.  Segments are taken in the
 * order of their keys, except that a segment whose end must not run
 * along another's waits for it (must_precede; a cycle of those is
 * broken at the lowest key); each then takes the first track right of
 * every earlier segment it overlaps or must follow, so runs that do not
 * overlap share tracks.  Returns the number of tracks.
 */
static int
assign_tracks(struct seg *s, int n)
{
	int	*done = xcalloc((size_t)n + 1, sizeof(int));
	int	*order = xmalloc(((size_t)n + 1) * sizeof(int));
	int	*waits = xcalloc((size_t)n + 1, sizeof(int));
	long	*key = xmalloc(((size_t)n + 1) * sizeof(long));
	int	 ntracks = 0, i, j, k;

	for (i = 0; i < n; i++) {
		key[i] = seg_key(&s[i]);
		for (j = 0; j < n; j++)
			if (j != i && must_precede(&s[j], &s[i]))
				waits[i]++;
	}
	for (k = 0; k < n; k++) {
		int	best = -1, free_best = -1;

		for (i = 0; i < n; i++) {
			if (done[i])
				continue;
			if (waits[i] == 0 && (best < 0 || key[i] < key[best]))
				best = i;
			if (free_best < 0 || key[i] < key[free_best])
				free_best = i;
		}
		if (best < 0)
			best = free_best;	/* a cycle of constraints */
		done[best] = 1;
		order[k] = best;
		for (j = 0; j < n; j++)
			if (!done[j] && must_precede(&s[best], &s[j]))
				waits[j]--;
	}
	for (k = 0; k < n; k++) {
		struct seg *a = &s[order[k]];

		a->track = 0;
		for (j = 0; j < k; j++) {
			const struct seg *b = &s[order[j]];

			if (b->track >= a->track && (overlaps(a, b) ||
			    must_precede(b, a)))
				a->track = b->track + 1;
		}
		if (a->track + 1 > ntracks)
			ntracks = a->track + 1;
	}
	free(done);
	free(order);
	free(waits);
	free(key);
	return ntracks;
}

/* Crossings and constraint breaches of track t left of track t + 1. */
static int
swap_gain(const struct seg *s, int n, int t)
{
	int	i, j, keep = 0, swap = 0;

	for (i = 0; i < n; i++) {
		if (s[i].track != t)
			continue;
		for (j = 0; j < n; j++) {
			if (s[j].track != t + 1)
				continue;
			if (must_precede(&s[j], &s[i]))
				return 0;	/* already out of order */
			if (must_precede(&s[i], &s[j]))
				return 0;	/* cannot swap */
			keep += pair_cost(&s[i], &s[j]);
			swap += pair_cost(&s[j], &s[i]);
		}
	}
	return keep - swap;
}

static void
improve_tracks(struct seg *s, int n, int ntracks)
{
	int	t, i, pass, changed = 1;

	for (pass = 0; pass < 8 && changed; pass++) {
		changed = 0;
		for (t = 0; t + 1 < ntracks; t++) {
			if (swap_gain(s, n, t) <= 0)
				continue;
			for (i = 0; i < n; i++) {
				if (s[i].track == t)
					s[i].track = t + 1;
				else if (s[i].track == t + 1)
					s[i].track = t;
			}
			changed = 1;
		}
	}
}

/* Which layer is a node in, and the right border column of its box. */
static int
item_right(const struct comp *c, int it)
{
	const struct item *x = &c->items[it];

	return c->lx[x->layer] + c->bi[c->nodes[x->node]].cols - 1;
}

/*
 * Columns: layers and the channels after them, sized by their tracks;
 * every link and self-loop gets its track column.
 */
static void
route_channels(struct comp *c)
{
	const struct erd_graph *g = c->g;
	struct seg *s = xmalloc(((size_t)c->nlinks + (size_t)c->ne + 1) *
	    sizeof(*s));
	int	 l, i, n, x = 0;

	c->lx = xcalloc((size_t)c->nlayers, sizeof(int));
	c->lw = xcalloc((size_t)c->nlayers, sizeof(int));
	for (i = 0; i < c->nitems; i++) {
		const struct item *it = &c->items[i];

		if (it->node >= 0)
			c->lw[it->layer] = max_int(c->lw[it->layer],
			    c->bi[c->nodes[it->node]].cols);
	}
	for (l = 0; l < c->nlayers; l++) {
		int	ntracks, k;

		if (c->lw[l] == 0)
			c->lw[l] = 1;
		c->lx[l] = x;
		n = 0;
		for (i = c->llstart[l]; i < c->llstart[l + 1]; i++) {
			struct link *lk = &c->links[c->llinks[i]];
			int	ra = c->items[lk->a].top + lk->pa;
			int	rb = c->items[lk->b].top + lk->pb;

			lk->x = -1;
			if (ra == rb)
				continue;
			s[n].ra = ra;
			s[n].rb = rb;
			s[n].self = 0;
			s[n].ref = c->llinks[i];
			n++;
		}
		for (i = 0; i < c->ne; i++) {
			int	e = c->edges[i], it;

			if (!is_self(g, e))
				continue;
			it = c->local[g->edges[e].from];
			if (c->items[it].layer != l)
				continue;
			s[n].ra = c->items[it].top + c->port_from[e];
			s[n].rb = c->items[it].top + c->port_to[e];
			s[n].self = 1;
			s[n].ref = -1 - e;
			n++;
		}
		for (i = 0; i < n; i++) {
			s[i].lo = min_int(s[i].ra, s[i].rb);
			s[i].hi = max_int(s[i].ra, s[i].rb);
			s[i].track = 0;
		}
		ntracks = assign_tracks(s, n);
		improve_tracks(s, n, ntracks);
		for (i = 0; i < n; i++) {
			int	col = x + c->lw[l] + 2 + s[i].track;

			if (s[i].ref >= 0)
				c->links[s[i].ref].x = col;
			else
				c->self_x[-1 - s[i].ref] = col;
		}
		k = ntracks + 4;
		if (k < 6)
			k = 6;
		x += c->lw[l];
		/* No channel after the last layer unless a self-loop needs it. */
		if (l + 1 < c->nlayers || ntracks > 0)
			x += k;
	}
	c->cols = x;
	free(s);
}

/* ---------------------------------------------------------------- output */

struct pts {
	struct erd_point *p;
	int		  n, alloc;
};

/* Append a point, dropping repeats and the middle of straight runs. */
static void
pts_add(struct pts *v, int row, int col)
{
	if (v->n > 0 && v->p[v->n - 1].row == row && v->p[v->n - 1].col == col)
		return;
	if (v->n >= 2) {
		struct erd_point *a = &v->p[v->n - 2], *b = &v->p[v->n - 1];

		if ((a->row == b->row && b->row == row) ||
		    (a->col == b->col && b->col == col)) {
			b->row = row;
			b->col = col;
			if (a->row == b->row && a->col == b->col)
				v->n--;
			return;
		}
	}
	if (v->n == v->alloc) {
		v->alloc = v->alloc ? v->alloc * 2 : 8;
		v->p = xrealloc(v->p, (size_t)v->alloc * sizeof(*v->p));
	}
	v->p[v->n].row = row;
	v->p[v->n].col = col;
	v->n++;
}

/* The route of edge 'e', offset by (r0, c0), child end first. */
static void
make_route(const struct comp *c, int e, int r0, int c0, struct erd_route *rt)
{
	const struct erd_graph *g = c->g;
	struct pts	 v = { NULL, 0, 0 };
	int		 i;

	rt->edge = e;
	if (is_self(g, e)) {
		int	it = c->local[g->edges[e].from];
		int	R = item_right(c, it), top = c->items[it].top;
		int	x = c->self_x[e];

		pts_add(&v, top + c->port_from[e], R);
		pts_add(&v, top + c->port_from[e], x);
		pts_add(&v, top + c->port_to[e], x);
		pts_add(&v, top + c->port_to[e], R);
	} else {
		const struct link *first = &c->links[c->lstart[e]];
		const struct link *last =
		    &c->links[c->lstart[e] + c->lcount[e] - 1];

		pts_add(&v, c->items[first->a].top + first->pa,
		    item_right(c, first->a));
		for (i = 0; i < c->lcount[e]; i++) {
			const struct link *k = &c->links[c->lstart[e] + i];
			int	ra = c->items[k->a].top + k->pa;
			int	rb = c->items[k->b].top + k->pb;

			if (k->x >= 0) {
				pts_add(&v, ra, k->x);
				pts_add(&v, rb, k->x);
			}
		}
		pts_add(&v, c->items[last->b].top + last->pb,
		    c->lx[c->items[last->b].layer]);
		if (!c->rev[e]) {
			/* Parent on the left: the child end goes first. */
			for (i = 0; i < v.n / 2; i++) {
				struct erd_point t = v.p[i];

				v.p[i] = v.p[v.n - 1 - i];
				v.p[v.n - 1 - i] = t;
			}
		}
	}
	for (i = 0; i < v.n; i++) {
		v.p[i].row += r0;
		v.p[i].col += c0;
	}
	rt->pts = v.p;
	rt->npts = v.n;
}

/* Lay out one component; its boxes and routes go into 'out' later. */
static void
layout_comp(struct comp *c)
{
	break_cycles(c);
	assign_layers(c);
	build_items(c);
	order_layers(c);
	place_rows(c);
	route_channels(c);
}

static void
comp_release(struct comp *c)
{
	int	l;

	for (l = 0; l < c->nlayers; l++)
		free(c->lay[l]);
	free(c->lay);
	free(c->laycount);
	free(c->items);
	free(c->links);
	free(c->llinks);
	free(c->llstart);
	free(c->in_start);
	free(c->in_link);
	free(c->out_start);
	free(c->out_link);
	free(c->lx);
	free(c->lw);
	free(c->layer);
}

static int
uf_find(int *p, int x)
{
	while (p[x] != x) {
		p[x] = p[p[x]];
		x = p[x];
	}
	return x;
}

struct compref {
	int	id;		/* union-find root */
	int	first;		/* lowest node index */
	int	nn;
	int	has_edges;
};

static int
cmp_compref(const void *a, const void *b)
{
	const struct compref *x = a, *y = b;

	if (x->has_edges != y->has_edges)
		return y->has_edges - x->has_edges;
	if (x->nn != y->nn)
		return y->nn - x->nn;
	return x->first - y->first;
}

/* Geometric crossings: a horizontal run through the inside of a vertical
   run of another edge. */
struct hseg {
	int	row, c1, c2, edge;
};
struct vseg {
	int	col, r1, r2, edge;
};

static int
cmp_vseg(const void *a, const void *b)
{
	const struct vseg *x = a, *y = b;

	return (x->col > y->col) - (x->col < y->col);
}

static int
count_route_crossings(const struct erd_layout *l)
{
	struct hseg	*h = NULL;
	struct vseg	*v = NULL;
	size_t		 nh = 0, nv = 0, ah = 0, av = 0;
	int		 i, j, total = 0;

	for (i = 0; i < l->nroutes; i++) {
		const struct erd_route *r = &l->routes[i];

		for (j = 0; j + 1 < r->npts; j++) {
			struct erd_point a = r->pts[j], b = r->pts[j + 1];

			if (a.row == b.row) {
				xgrow((void **)&h, &ah, nh + 1, sizeof(*h));
				h[nh].row = a.row;
				h[nh].c1 = min_int(a.col, b.col);
				h[nh].c2 = max_int(a.col, b.col);
				h[nh++].edge = r->edge;
			} else {
				xgrow((void **)&v, &av, nv + 1, sizeof(*v));
				v[nv].col = a.col;
				v[nv].r1 = min_int(a.row, b.row);
				v[nv].r2 = max_int(a.row, b.row);
				v[nv++].edge = r->edge;
			}
		}
	}
	if (nv > 0)
		qsort(v, nv, sizeof(*v), cmp_vseg);
	for (i = 0; i < (int)nh; i++) {
		size_t	lo = 0, hi = nv, k;

		/* First vertical with col > c1. */
		while (lo < hi) {
			size_t	mid = (lo + hi) / 2;

			if (v[mid].col <= h[i].c1)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (k = lo; k < nv && v[k].col < h[i].c2; k++)
			if (v[k].edge != h[i].edge && v[k].r1 < h[i].row &&
			    h[i].row < v[k].r2)
				total++;
	}
	free(h);
	free(v);
	return total;
}

struct erd_layout *
erd_layout(const struct erd_graph *g, const struct erd_opts *opts)
{
	static const struct erd_opts defaults = { 0, 0 };
	struct erd_layout *out = xcalloc(1, sizeof(*out));
	struct erd_boxinfo *bi;
	struct erd_adj	 adj;
	struct compref	*cr;
	int		*uf, *selfloop, *port_from, *port_to, *local, *rev;
	int		*self_x, *lstart, *lcount, *cnodes, *cedges;
	int		 i, ncomp = 0, shelf_w = SHELF_MIN_COLS;
	int		 sx = 0, sy = 0, shelf_h = 0;
	int		*comp_of;

	if (!opts)
		opts = &defaults;
	out->nboxes = g->nnodes;
	out->boxes = xcalloc((size_t)g->nnodes + 1, sizeof(*out->boxes));
	out->nroutes = g->nedges;
	out->routes = xcalloc((size_t)g->nedges + 1, sizeof(*out->routes));

	selfloop = xcalloc((size_t)g->nnodes + 1, sizeof(int));
	for (i = 0; i < g->nedges; i++)
		if (is_self(g, i))
			selfloop[g->edges[i].from] = 1;
	bi = xcalloc((size_t)g->nnodes + 1, sizeof(*bi));
	for (i = 0; i < g->nnodes; i++)
		erd_boxinfo_init(&bi[i], &g->nodes[i], opts, selfloop[i]);
	port_from = xmalloc(((size_t)g->nedges + 1) * sizeof(int));
	port_to = xmalloc(((size_t)g->nedges + 1) * sizeof(int));
	for (i = 0; i < g->nedges; i++) {
		const struct erd_edge *e = &g->edges[i];

		port_from[i] = e->ncols > 0 ?
		    erd_boxinfo_row(&bi[e->from], e->from_cols[0]) :
		    ERD_ROW_TITLE;
		port_to[i] = e->ncols > 0 ?
		    erd_boxinfo_row(&bi[e->to], e->to_cols[0]) :
		    ERD_ROW_TITLE;
		if (e->from == e->to && port_from[i] == port_to[i])
			port_to[i] = port_from[i] == ERD_ROW_TITLE ?
			    ERD_ROW_TITLE + 1 : ERD_ROW_TITLE;
	}

	/* Components. */
	uf = xmalloc(((size_t)g->nnodes + 1) * sizeof(int));
	for (i = 0; i < g->nnodes; i++)
		uf[i] = i;
	for (i = 0; i < g->nedges; i++) {
		int	a = uf_find(uf, g->edges[i].from);
		int	b = uf_find(uf, g->edges[i].to);

		if (a != b)
			uf[a < b ? b : a] = a < b ? a : b;
	}
	comp_of = xmalloc(((size_t)g->nnodes + 1) * sizeof(int));
	cr = xcalloc((size_t)g->nnodes + 1, sizeof(*cr));
	for (i = 0; i < g->nnodes; i++) {
		int	r = uf_find(uf, i);

		if (r == i) {
			cr[ncomp].id = r;
			cr[ncomp].first = i;
			comp_of[i] = ncomp++;
		} else
			comp_of[i] = comp_of[r];
		cr[comp_of[i]].nn++;
	}
	for (i = 0; i < g->nedges; i++)
		cr[comp_of[g->edges[i].from]].has_edges = 1;
	/* comp_of[] indexes cr[] before the sort; keep it via ids. */
	for (i = 0; i < ncomp; i++)
		cr[i].id = i;
	qsort(cr, (size_t)ncomp, sizeof(*cr), cmp_compref);

	erd_adj_init(&adj, g);
	local = xmalloc(((size_t)g->nnodes + 1) * sizeof(int));
	rev = xcalloc((size_t)g->nedges + 1, sizeof(int));
	self_x = xcalloc((size_t)g->nedges + 1, sizeof(int));
	lstart = xcalloc((size_t)g->nedges + 1, sizeof(int));
	lcount = xcalloc((size_t)g->nedges + 1, sizeof(int));
	cnodes = xmalloc(((size_t)g->nnodes + 1) * sizeof(int));
	cedges = xmalloc(((size_t)g->nedges + 1) * sizeof(int));
	/* Bucket nodes and edges by component (in graph order). */
	{
		int	*ns = xcalloc((size_t)ncomp + 1, sizeof(int));
		int	*es = xcalloc((size_t)ncomp + 1, sizeof(int));
		int	*rank = xmalloc(((size_t)ncomp + 1) * sizeof(int));
		int	*fn, *fe, k;

		for (k = 0; k < ncomp; k++)
			rank[cr[k].id] = k;
		for (i = 0; i < g->nnodes; i++)
			ns[rank[comp_of[i]] + 1]++;
		for (i = 0; i < g->nedges; i++)
			es[rank[comp_of[g->edges[i].from]] + 1]++;
		for (k = 0; k < ncomp; k++) {
			ns[k + 1] += ns[k];
			es[k + 1] += es[k];
		}
		fn = xmalloc(((size_t)ncomp + 1) * sizeof(int));
		fe = xmalloc(((size_t)ncomp + 1) * sizeof(int));
		memcpy(fn, ns, ((size_t)ncomp + 1) * sizeof(int));
		memcpy(fe, es, ((size_t)ncomp + 1) * sizeof(int));
		for (i = 0; i < g->nnodes; i++)
			cnodes[fn[rank[comp_of[i]]]++] = i;
		for (i = 0; i < g->nedges; i++)
			cedges[fe[rank[comp_of[g->edges[i].from]]]++] = i;

		for (k = 0; k < ncomp; k++) {
			struct comp c;
			int	    j;

			memset(&c, 0, sizeof(c));
			c.g = g;
			c.bi = bi;
			c.port_from = port_from;
			c.port_to = port_to;
			c.adj = &adj;
			c.nodes = cnodes + ns[k];
			c.nn = ns[k + 1] - ns[k];
			c.edges = cedges + es[k];
			c.ne = es[k + 1] - es[k];
			c.local = local;
			c.rev = rev;
			c.self_x = self_x;
			c.lstart = lstart;
			c.lcount = lcount;
			for (j = 0; j < c.nn; j++)
				local[c.nodes[j]] = j;
			c.layer = xcalloc((size_t)c.nn + 1, sizeof(int));
			layout_comp(&c);

			if (k == 0)
				shelf_w = max_int(shelf_w, c.cols);
			if (sx > 0 && sx + c.cols > shelf_w) {
				sy += shelf_h + COMP_GAP_ROWS;
				sx = 0;
				shelf_h = 0;
			}
			for (j = 0; j < c.nn; j++) {
				struct erd_box *b = &out->boxes[c.nodes[j]];

				b->node = c.nodes[j];
				b->row = sy + c.items[j].top;
				b->col = sx + c.lx[c.items[j].layer];
				b->rows = bi[c.nodes[j]].rows;
				b->cols = bi[c.nodes[j]].cols;
			}
			for (j = 0; j < c.ne; j++)
				make_route(&c, c.edges[j], sy, sx,
				    &out->routes[c.edges[j]]);
			shelf_h = max_int(shelf_h, c.rows);
			out->cols = max_int(out->cols, sx + c.cols);
			out->rows = max_int(out->rows, sy + c.rows);
			sx += c.cols + COMP_GAP_COLS;
			comp_release(&c);
		}
		free(ns);
		free(es);
		free(rank);
		free(fn);
		free(fe);
	}
	out->crossings = count_route_crossings(out);

	for (i = 0; i < g->nnodes; i++)
		erd_boxinfo_release(&bi[i]);
	free(bi);
	free(selfloop);
	free(port_from);
	free(port_to);
	free(uf);
	free(comp_of);
	free(cr);
	free(local);
	free(rev);
	free(self_x);
	free(lstart);
	free(lcount);
	free(cnodes);
	free(cedges);
	erd_adj_release(&adj);
	return out;
}

void
erd_layout_free(struct erd_layout *l)
{
	int	i;

	if (!l)
		return;
	for (i = 0; i < l->nroutes; i++)
		free(l->routes[i].pts);
	free(l->routes);
	free(l->boxes);
	free(l);
}

const struct erd_box *
erd_box_of(const struct erd_layout *l, int node)
{
	if (!l || node < 0 || node >= l->nboxes)
		return NULL;
	return &l->boxes[node];
}
