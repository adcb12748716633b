/*
 * blocking.c - building the blocking forest.
 *
 * n is at most a few thousand and blocking edges are few, so the
 * quadratic parts are bounded by the number of waiters, not sessions.
 */
#include "blocking.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../core/banned.h"

struct pidx {
	int	pid;
	int	idx;
};

struct ctx {
	const struct session	*s;
	size_t			 n;
	struct pidx		*map;		/* sorted by pid */
	int			*parent;	/* primary blocker idx, -1 */
	int			*nchildren;
	int			**children;
	int			*total;		/* transitive count */
	int			*nedges;	/* every blocking edge, by blocker */
	int			**edges;
	char			*emitted;
	char			*in_cycle;	/* member of a wait cycle */
	struct block_tree	*out;
	size_t			 arows;
};

static int
cmp_pidx(const void *a, const void *b)
{
	const struct pidx	*x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

static int
lookup(const struct ctx *c, int pid)
{
	struct pidx	key = { pid, 0 }, *hit;

	hit = bsearch(&key, c->map, c->n, sizeof *c->map, cmp_pidx);
	return hit != NULL ? hit->idx : -1;
}

/* Blockers of 'i' present in the snapshot are its "visible" blockers. */
static int
visible_blocker_count(const struct ctx *c, int i)
{
	int	k, count = 0;

	for (k = 0; k < c->s[i].nblockers; k++) {
		if (lookup(c, c->s[i].blockers[k]) >= 0)
			count++;
	}
	return count;
}

static int
pick_parent(const struct ctx *c, int i)
{
	int	k, j, best = -1;

	for (k = 0; k < c->s[i].nblockers; k++) {
		j = lookup(c, c->s[i].blockers[k]);
		if (j < 0 || j == i)
			continue;
		if (c->s[j].nblockers == 0)
			return j;	/* a holder that waits on nobody */
		if (best < 0)
			best = j;
	}
	return best;
}

/* Count sessions reachable from 'root' over every blocking edge. */
static int
count_blocked(const struct ctx *c, int root, char *seen, int *queue)
{
	int	head = 0, tail = 0, count = 0, cur, k, w;

	memset(seen, 0, c->n);
	seen[root] = 1;
	queue[tail++] = root;
	while (head < tail) {
		cur = queue[head++];
		for (k = 0; k < c->nedges[cur]; k++) {
			w = c->edges[cur][k];
			if (!seen[w]) {
				seen[w] = 1;
				queue[tail++] = w;
				count++;
			}
		}
	}
	return count;
}

static int
waits_on_other(const struct session *x)
{
	int	k;

	for (k = 0; k < x->nblockers; k++) {
		if (x->blockers[k] != x->pid)
			return 1;
	}
	return 0;
}

static double
nan_last(double v)
{
	return isnan(v) ? -1 : v;
}

static const struct ctx *sort_ctx;

/* Roots: most sessions blocked first, then the oldest transaction. */
static int
cmp_roots(const void *a, const void *b)
{
	int		 x = *(const int *)a, y = *(const int *)b;
	const struct ctx *c = sort_ctx;
	double		 ax, ay;

	if (c->total[x] != c->total[y])
		return c->total[y] - c->total[x];
	ax = nan_last(c->s[x].xact_age);
	ay = nan_last(c->s[y].xact_age);
	if (ax != ay)
		return ay > ax ? 1 : -1;
	return c->s[x].pid - c->s[y].pid;
}

/* Children: longest waiting first. */
static int
cmp_children(const void *a, const void *b)
{
	int		 x = *(const int *)a, y = *(const int *)b;
	const struct ctx *c = sort_ctx;
	double		 ax = nan_last(c->s[x].lock_wait);
	double		 ay = nan_last(c->s[y].lock_wait);

	if (ax != ay)
		return ay > ax ? 1 : -1;
	return c->s[x].pid - c->s[y].pid;
}

static void
emit(struct ctx *c, int i, int depth, int last, uint32_t rails)
{
	struct block_row	*r;
	int			 k, d;

	if (c->emitted[i])
		return;
	c->emitted[i] = 1;
	xgrow((void **)&c->out->rows, &c->arows, c->out->nrows + 1,
	    sizeof *c->out->rows);
	r = &c->out->rows[c->out->nrows++];
	d = depth > BLOCK_MAX_DEPTH ? BLOCK_MAX_DEPTH : depth;
	r->idx = i;
	r->depth = d;
	r->last = last;
	r->rails = rails;
	r->cycle = c->in_cycle[i];
	r->blocked_total = c->total[i];
	r->other_blockers = visible_blocker_count(c, i) -
	    (depth > 0 ? 1 : 0);
	if (r->other_blockers < 0)
		r->other_blockers = 0;
	sort_ctx = c;
	if (c->nchildren[i] > 1)
		qsort(c->children[i], (size_t)c->nchildren[i], sizeof(int),
		    cmp_children);
	for (k = 0; k < c->nchildren[i]; k++) {
		emit(c, c->children[i][k], depth + 1,
		    k == c->nchildren[i] - 1,
		    d < 32 && !last && depth > 0 ? rails | (1u << d) : rails);
	}
}

void
block_tree_build(const struct session *s, size_t n, struct block_tree *out)
{
	struct ctx	 c;
	size_t		 i;
	int		*roots, nroots = 0, p, j, steps, *queue;
	char		*seen;

	memset(out, 0, sizeof *out);
	if (n == 0)
		return;
	memset(&c, 0, sizeof c);
	c.s = s;
	c.n = n;
	c.out = out;
	c.map = xcalloc(n, sizeof *c.map);
	for (i = 0; i < n; i++) {
		c.map[i].pid = s[i].pid;
		c.map[i].idx = (int)i;
	}
	qsort(c.map, n, sizeof *c.map, cmp_pidx);
	c.parent = xcalloc(n, sizeof *c.parent);
	c.nchildren = xcalloc(n, sizeof *c.nchildren);
	c.children = xcalloc(n, sizeof *c.children);
	c.total = xcalloc(n, sizeof *c.total);
	c.emitted = xcalloc(n, 1);
	c.in_cycle = xcalloc(n, 1);
	seen = xcalloc(n, 1);
	queue = xcalloc(n, sizeof *queue);
	roots = xcalloc(n, sizeof *roots);

	c.nedges = xcalloc(n, sizeof *c.nedges);
	c.edges = xcalloc(n, sizeof *c.edges);
	for (i = 0; i < n; i++) {
		int	k, b;

		for (k = 0; k < s[i].nblockers; k++) {
			if ((b = lookup(&c, s[i].blockers[k])) < 0 || b == (int)i)
				continue;
			c.edges[b] = xrealloc(c.edges[b],
			    (size_t)(c.nedges[b] + 1) * sizeof(int));
			c.edges[b][c.nedges[b]++] = (int)i;
		}
	}
	for (i = 0; i < n; i++) {
		c.parent[i] = s[i].nblockers > 0 ? pick_parent(&c, (int)i) : -1;
		/* Waiting on an absent pid (a prepared xact) is waiting too. */
		if (waits_on_other(&s[i]))
			out->nwaiting++;
		if (c.parent[i] >= 0) {
			p = c.parent[i];
			c.children[p] = xrealloc(c.children[p],
			    (size_t)(c.nchildren[p] + 1) * sizeof(int));
			c.children[p][c.nchildren[p]++] = (int)i;
		}
	}
	for (i = 0; i < n; i++)
		c.total[i] = c.nedges[i] > 0 ?
		    count_blocked(&c, (int)i, seen, queue) : 0;

	/* Roots block someone and have no parent.  */
	for (i = 0; i < n; i++) {
		if (c.parent[i] < 0 && (c.nedges[i] > 0 || s[i].nblockers > 0))
			roots[nroots++] = (int)i;
	}
	sort_ctx = &c;
	qsort(roots, (size_t)nroots, sizeof *roots, cmp_roots);
	for (j = 0; j < nroots; j++)
		emit(&c, roots[j], 0, j == nroots - 1, 0);
	out->nroots = nroots;

	/*
	 * Sessions still not emitted wait in a cycle (a deadlock the
	 * detector has not broken yet): show each cycle from the member
	 * that has waited longest.
	 */
	for (;;) {
		int	best = -1;

		for (i = 0; i < n; i++) {
			if (c.parent[i] < 0 || c.emitted[i])
				continue;
			if (best < 0 || nan_last(s[i].lock_wait) >
			    nan_last(s[best].lock_wait))
				best = (int)i;
		}
		if (best < 0)
			break;
		/*
		 * Following parents from here must loop (nothing above is
		 * a root): walk n steps to be surely inside the ring, then
		 * mark the ring's members.
		 */
		for (steps = 0, p = best; steps < (int)n && c.parent[p] >= 0;
		    steps++)
			p = c.parent[p];
		j = p;
		do {
			c.in_cycle[j] = 1;
			j = c.parent[j];
		} while (j >= 0 && j != p);
		emit(&c, p, 0, 1, 0);
		out->nroots++;
	}

	for (i = 0; i < n; i++) {
		free(c.children[i]);
		free(c.edges[i]);
	}
	free(c.children);
	free(c.edges);
	free(c.nedges);
	free(c.nchildren);
	free(c.parent);
	free(c.total);
	free(c.emitted);
	free(c.in_cycle);
	free(c.map);
	free(seen);
	free(queue);
	free(roots);
}

void
block_tree_release(struct block_tree *t)
{
	free(t->rows);
	memset(t, 0, sizeof *t);
}
