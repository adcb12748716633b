/*
 * plangen.c - a synthetic EXPLAIN (ANALYZE, BUFFERS, VERBOSE) plan of N
 * nodes, as PostgreSQL 15 prints it, for bench/plan.sh.
 *
 *   plangen [-n NODES] [-d DEPTH] [-s SEED] [-f json|text] [-W] [-o FILE]
 *
 * -n   plan nodes (default 20000; at least 50)
 * -d   joins in the deepest chain (default NODES / 50, at most 400); the
 *      other two chains get a quarter and a tenth of it
 * -s   seed (default 1): the same seed and -n give the same plan
 * -f   json (default): EXPLAIN (FORMAT JSON) as `psql -At` prints it;
 *      text: the text format framed as psql prints it by default
 *      (" QUERY PLAN" header, dashes, "(N rows)" footer)
 * -W   text only: leave out the per-worker blocks ("Worker 0:  actual
 *      time=..." and the lines under it) that VERBOSE adds in parallel
 *      sections
 * -o   output file (default stdout)
 *
 * Both formats print the same plan.  On stderr: nodes, maximum depth,
 * bytes written, and counts of what is in it.
 *
 * The shape, for the default 20,000 nodes (the fixed parts scale with -n):
 *
 *   Limit
 *     CTE cte_1 .. cte_4           small trees, each scanned by a few
 *                                  CTE Scans further down
 *     -> Sort
 *        -> Append                 one member per "subquery":
 *           -> a left-deep chain of 400 joins (Nested Loops with an
 *              inner Index Scan, every fifth a Hash Join with an inner
 *              Hash -> Seq Scan), and chains of 200 and 100
 *           -> Subquery Scan -> Append of 2,000 partition scans
 *           -> Gather -> Parallel Append of 500 partition scans
 *           -> random bushy join trees of 20-400 nodes: Hash, Nested
 *              Loop (inner Index Scan, Memoize, Materialize) and Merge
 *              joins, Sorts, Aggregates (plain, sorted, hashed, partial
 *              and finalize), WindowAgg, Unique, Limit, Subquery Scans;
 *              about a third of them in Gather / Gather Merge sections
 *              whose nodes carry Workers arrays; InitPlans and SubPlans
 *              referenced by $N and "SubPlan N" in conditions
 *
 * Every node has VERBOSE Output lists, buffers, and node-specific
 * figures (filter removal, heap fetches, bitmap blocks, sort method and
 * space, hash buckets and batches, hash aggregate spills, memoize
 * hits); inclusive times, buffers and costs add up from the leaves, a
 * few nodes are made hot, and about 5 % of the estimates are off by 10x
 * or more.  The layout (key order, number formats, indentation) follows
 * what PostgreSQL 15's explain.c prints.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum kind {
	K_SEQ, K_INDEX, K_IOS, K_BHEAP, K_BINDEX, K_FUNC, K_CTESCAN,
	K_HASHJOIN, K_HASH, K_NESTLOOP, K_MERGEJOIN, K_SORT, K_AGG,
	K_GATHER, K_GATHERMERGE, K_APPEND, K_LIMIT, K_MATERIALIZE,
	K_MEMOIZE, K_SUBQUERY, K_RESULT, K_UNIQUE, K_WINDOWAGG,
};

static const char *const type_name[] = {
	"Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Heap Scan",
	"Bitmap Index Scan", "Function Scan", "CTE Scan", "Hash Join", "Hash",
	"Nested Loop", "Merge Join", "Sort", "Aggregate", "Gather",
	"Gather Merge", "Append", "Limit", "Materialize", "Memoize",
	"Subquery Scan", "Result", "Unique", "WindowAgg",
};

enum { J_INNER, J_LEFT, J_SEMI, J_ANTI };
static const char *const join_name[] = { "Inner", "Left", "Semi", "Anti" };
enum { AGG_PLAIN, AGG_SORTED, AGG_HASHED };
enum { PM_SIMPLE, PM_PARTIAL, PM_FINALIZE };

struct gnode {
	int	 kind;
	int	 parent, depth;
	int	 first, last, next;	/* children, in order */
	int	 nkids;
	const char *rel_kind;		/* "Outer", "Inner", "Member" ... */
	char	*subplan;		/* "InitPlan 3 (returns $3)", "CTE cte_1" */
	int	 join, strategy, partial;
	int	 parallel_aware;
	int	 procs;			/* processes in its Gather section, or 0 */
	int	 planned, launched;	/* Gather */
	int	 rel, part;		/* table number, partition or -1 */
	int	 backward;
	int	 cte;			/* CTE Scan: which CTE */
	int	 param;			/* uses InitPlan $param, or 0 */
	int	 subplan_ref;		/* uses SubPlan N, or 0 */
	int	 returns;		/* InitPlan root: its $param */
	int	 ncols;
	int	 has_filter;
	int	 hot;
	int	 rows_done;
	double	 loops;
	double	 plan_rows, act_rows, width;
	double	 self_ms, incl_ms, startup_frac;
	double	 self_cost, startup_cost, total_cost;
	double	 hit, read, dirtied, written, temp_read, temp_written;
	double	 io_read_ms, io_write_ms;
	double	 removed_filter, removed_recheck, removed_join;
	double	 heap_fetches, exact_blocks, lossy_blocks;
	int	 sort_disk, topn;
	double	 sort_kb;
	double	 buckets, buckets_orig, batches, batches_orig, peak_kb;
	double	 agg_batches, disk_kb, planned_parts;
	double	 cache_hits, cache_misses, cache_evictions;
};

static struct gnode	*g;
static int		 ng, galloc;
static uint64_t		 rng_state;
static int		 nparams, nsubplans, ncte;
static int		 max_depth;

struct stats {
	int	gathers, workers_arrays, initplans, subplans, ctes, cte_scans;
	int	misestimates, hot, spills, chains;
} st;

/* ---- deterministic random numbers ---- */

static uint64_t
rnd64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double
urand(void)
{
	return (double)(rnd64() >> 11) / 9007199254740992.0;
}

static double
uni(double lo, double hi)
{
	return lo + (hi - lo) * urand();
}

static int
irand(int lo, int hi)		/* lo..hi inclusive */
{
	return lo + (int)(rnd64() % (uint64_t)(hi - lo + 1));
}

static int
chance(double p)
{
	return urand() < p;
}

/* 10^U(lo, hi) */
static double
logu(double lo, double hi)
{
	return pow(10, uni(lo, hi));
}

/* ---- the tree ---- */

static void *
xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n)) == NULL) {
		perror("plangen");
		exit(1);
	}
	return p;
}

static void scan_rows(int i);

struct ctx {
	double	loops;		/* times this subtree runs, per process */
	int	procs;		/* in a Gather section: processes */
	int	drive;		/* the next scan drives the parallel section */
};

static int
add(int parent, int kind, const char *rel_kind, const struct ctx *c)
{
	struct gnode	*n;

	if (ng == galloc) {
		galloc = galloc ? galloc * 2 : 1024;
		g = xrealloc(g, (size_t)galloc * sizeof *g);
	}
	n = &g[ng];
	memset(n, 0, sizeof *n);
	n->kind = kind;
	n->parent = parent;
	n->first = n->last = n->next = -1;
	n->part = -1;
	n->rel_kind = rel_kind;
	n->procs = c->procs;
	n->loops = c->loops * (c->procs > 0 ? c->procs : 1);
	n->depth = parent >= 0 ? g[parent].depth + 1 : 0;
	if (n->depth > max_depth)
		max_depth = n->depth;
	if (n->depth >= 500) {
		fprintf(stderr, "plangen: depth %d: the generator went wrong\n",
		    n->depth);
		exit(1);
	}
	if (parent >= 0) {
		if (g[parent].last >= 0)
			g[g[parent].last].next = ng;
		else
			g[parent].first = ng;
		g[parent].last = ng;
		g[parent].nkids++;
	}
	n->rel = irand(1, 400);
	n->ncols = irand(2, 9);
	ng++;
	if (kind <= K_CTESCAN)		/* a scan: its rows per loop now */
		scan_rows(ng - 1);
	return ng - 1;
}

static char *
xstrfmt(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = xrealloc(NULL, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

static int tree(int parent, const char *rk, struct ctx c, int budget);
static void rows_up(int i);

/* Rows an inner side runs for: the outer side's, once known (capped). */
static double
inner_loops(int outer)
{
	double	r;

	rows_up(outer);
	r = g[outer].act_rows;

	return r < 1 ? 1 : r > 5000 ? 5000 : floor(r);
}

static void
scan_rows(int i)
{
	struct gnode *n = &g[i];

	/* Per loop: big for a scan run once, small for an inner side. */
	n->act_rows = n->loops > n->procs + 1 ? floor(logu(0, 1)) :
	    floor(logu(0.5, 5));
	if (n->procs > 0 && n->loops <= n->procs)
		n->act_rows = floor(n->act_rows / n->procs);
}

static int
scan(int parent, const char *rk, struct ctx *c)
{
	double	 r = urand();
	int	 i, kind;

	if (c->procs > 0 && c->drive)
		kind = r < 0.75 ? K_SEQ : r < 0.9 ? K_INDEX : K_BHEAP;
	else if (ncte > 0 && r < 0.04)
		kind = K_CTESCAN;
	else if (r < 0.06)
		kind = K_FUNC;
	else if (r < 0.40)
		kind = K_SEQ;
	else if (r < 0.75)
		kind = K_INDEX;
	else if (r < 0.88)
		kind = K_IOS;
	else
		kind = K_BHEAP;
	i = add(parent, kind, rk, c);
	if (c->procs > 0 && c->drive) {
		g[i].parallel_aware = 1;
		c->drive = 0;
	}
	if (kind == K_CTESCAN) {
		g[i].cte = irand(1, ncte);
		st.cte_scans++;
	}
	if (kind == K_INDEX || kind == K_IOS)
		g[i].backward = chance(0.05);
	g[i].has_filter = kind == K_SEQ || kind == K_CTESCAN ||
	    kind == K_FUNC ? chance(0.7) : chance(0.25);
	if (kind == K_BHEAP) {
		struct ctx	cc = *c;

		add(i, K_BINDEX, "Outer", &cc);
	}
	return i;
}

/* An InitPlan (returns $N) or a SubPlan under 'parent'. */
static void
subplan(int parent, int init, struct ctx c)
{
	struct ctx	sc = { init ? 1 : c.loops * 10, 0, 0 };
	int		top, i;

	if (init) {
		sc.loops = 1;
		top = add(parent, chance(0.5) ? K_AGG : K_LIMIT, "InitPlan", &sc);
		g[top].returns = ++nparams;
		g[top].subplan = xstrfmt("InitPlan %d (returns $%d)", ++nsubplans,
		    g[top].returns);
		g[parent].param = g[top].returns;
		st.initplans++;
	} else {
		top = add(parent, chance(0.5) ? K_AGG : K_RESULT, "SubPlan", &sc);
		g[top].subplan = xstrfmt("SubPlan %d", ++nsubplans);
		g[parent].subplan_ref = nsubplans;
		st.subplans++;
	}
	if (g[top].kind == K_AGG)
		g[top].strategy = AGG_PLAIN;
	g[top].ncols = 1;
	i = scan(top, "Outer", &sc);
	g[i].has_filter = 1;
}

static int
wrap(int parent, const char *rk, struct ctx c, int budget)
{
	double	r = urand();
	int	i, kind;

	kind = r < 0.3 ? K_SORT : r < 0.55 ? K_AGG : r < 0.65 ? K_UNIQUE :
	    r < 0.72 ? K_WINDOWAGG : r < 0.82 ? K_SUBQUERY :
	    r < 0.9 ? K_MATERIALIZE : r < 0.95 ? K_LIMIT : K_RESULT;
	i = add(parent, kind, rk, &c);
	if (kind == K_AGG) {
		g[i].strategy = chance(0.5) ? AGG_HASHED : chance(0.5) ?
		    AGG_SORTED : AGG_PLAIN;
		if (g[i].strategy == AGG_SORTED && budget > 2) {
			int s = add(i, K_SORT, "Outer", &c);

			tree(s, "Outer", c, budget - 2);
			return i;
		}
	}
	if (kind == K_UNIQUE && budget > 2) {
		int s = add(i, K_SORT, "Outer", &c);

		tree(s, "Outer", c, budget - 2);
		return i;
	}
	tree(i, kind == K_SUBQUERY ? "Subquery" : "Outer", c, budget - 1);
	return i;
}

static int gather(int parent, const char *rk, struct ctx c, int budget);

/* A join of two subtrees of 'budget' nodes in all. */
static int
join(int parent, const char *rk, struct ctx c, int budget)
{
	double	 r = urand();
	int	 i, outer, b1, b2, kind, h;
	struct ctx ic;

	kind = r < 0.45 ? K_HASHJOIN : r < 0.8 ? K_NESTLOOP : K_MERGEJOIN;
	i = add(parent, kind, rk, &c);
	r = urand();
	g[i].join = r < 0.7 ? J_INNER : r < 0.9 ? J_LEFT : r < 0.95 ? J_SEMI :
	    J_ANTI;
	if (budget > 8 && chance(0.04))
		subplan(i, 1, c), budget -= 2;
	budget -= 1;
	b1 = budget <= 2 ? 1 : irand(budget / 4 > 0 ? budget / 4 : 1,
	    budget * 3 / 4 > 1 ? budget * 3 / 4 : 1);
	b2 = budget - b1;
	if (b2 < 1)
		b2 = 1;
	outer = tree(i, "Outer", c, b1);
	switch (kind) {
	case K_HASHJOIN:
		g[i].parallel_aware = c.procs > 0 && chance(0.4);
		h = add(i, K_HASH, "Inner", &c);
		g[h].parallel_aware = g[i].parallel_aware;
		ic = c;
		ic.drive = g[i].parallel_aware;
		tree(h, "Outer", ic, b2 > 1 ? b2 - 1 : 1);
		break;
	case K_NESTLOOP:
		ic = c;
		ic.drive = 0;
		ic.loops = c.loops * inner_loops(outer);
		if (ic.loops > 20000)
			ic.loops = 20000;
		if (b2 <= 2) {
			int m = b2 == 2 && chance(0.5) ?
			    add(i, K_MEMOIZE, "Inner", &ic) : -1;
			int s;

			if (m >= 0) {
				/* The memoized scan runs once per miss. */
				struct ctx mc = ic;

				mc.loops = ceil(ic.loops * uni(0.05, 0.5));
				s = add(m, chance(0.8) ? K_INDEX : K_IOS, "Outer",
				    &mc);
			} else
				s = add(i, chance(0.8) ? K_INDEX : K_IOS, "Inner",
				    &ic);
			g[s].has_filter = chance(0.2);
		} else if (chance(0.3)) {
			int m;

			ic.loops = c.loops;
			m = add(i, K_MATERIALIZE, "Inner", &c);
			g[m].loops = fmin(c.loops * inner_loops(outer), 20000) *
			    (c.procs > 0 ? c.procs : 1);
			tree(m, "Outer", ic, b2 - 1);
		} else {
			tree(i, "Inner", ic, b2);
		}
		break;
	case K_MERGEJOIN:
		/* Sorts on both sides, or already ordered. */
		if (b2 > 2 && chance(0.7)) {
			h = add(i, K_SORT, "Inner", &c);
			ic = c;
			ic.drive = 0;
			tree(h, "Outer", ic, b2 - 1);
		} else {
			ic = c;
			ic.drive = 0;
			tree(i, "Inner", ic, b2);
		}
		break;
	}
	if (budget > 8 && chance(0.03))
		subplan(i, 0, c);
	return i;
}

/* A subtree of about 'budget' nodes. */
static int
tree(int parent, const char *rk, struct ctx c, int budget)
{
	if (budget <= 1)
		return scan(parent, rk, &c);
	if (budget >= 30 && c.procs == 0 && c.loops <= 1 && chance(0.08))
		return gather(parent, rk, c, budget);
	if (budget <= 2 || chance(0.12))
		return wrap(parent, rk, c, budget);
	return join(parent, rk, c, budget);
}

static int
gather(int parent, const char *rk, struct ctx c, int budget)
{
	int		 i, j, merge = chance(0.35), top;
	struct ctx	 pc = c;

	st.gathers++;
	top = -1;
	if (chance(0.5)) {
		/* Finalize Aggregate -> Gather -> Partial Aggregate */
		top = add(parent, K_AGG, rk, &c);
		g[top].partial = PM_FINALIZE;
		g[top].strategy = merge ? AGG_SORTED : chance(0.5) ? AGG_HASHED :
		    AGG_PLAIN;
		parent = top;
		rk = "Outer";
		budget--;
	}
	i = add(parent, merge ? K_GATHERMERGE : K_GATHER, rk, &c);
	if (top < 0)
		top = i;
	g[i].planned = irand(2, 4);
	g[i].launched = chance(0.9) ? g[i].planned : irand(0, g[i].planned - 1);
	pc.procs = g[i].launched + 1;
	pc.drive = 1;
	budget--;
	j = i;
	if (merge) {
		j = add(j, K_SORT, "Outer", &pc);
		budget--;
	}
	if (g[top].kind == K_AGG) {
		j = add(j, K_AGG, "Outer", &pc);
		g[j].partial = PM_PARTIAL;
		g[j].strategy = g[top].strategy == AGG_SORTED ? AGG_HASHED :
		    g[top].strategy;
		budget--;
	}
	tree(j, "Outer", pc, budget < 1 ? 1 : budget);
	return top;
}

/* A left-deep chain of 'len' joins; every fifth a Hash Join. */
static int
chain(int parent, const char *rk, struct ctx c, int len)
{
	int		i, outer, h;
	struct ctx	ic;

	if (len == 0)
		return scan(parent, rk, &c);
	if (len % 5 == 0) {
		i = add(parent, K_HASHJOIN, rk, &c);
		outer = chain(i, "Outer", c, len - 1);
		h = add(i, K_HASH, "Inner", &c);
		ic = c;
		add(h, K_SEQ, "Outer", &ic);
		g[g[h].first].has_filter = 1;
		return i;
	}
	i = add(parent, K_NESTLOOP, rk, &c);
	g[i].join = chance(0.8) ? J_INNER : J_LEFT;
	outer = chain(i, "Outer", c, len - 1);
	ic = c;
	ic.loops = fmin(c.loops * inner_loops(outer), 20000);
	h = add(i, K_INDEX, "Inner", &ic);
	g[h].has_filter = chance(0.1);
	return i;
}

static int
partitions(int parent, const char *rk, struct ctx c, int n)
{
	int	i, k, s;

	i = add(parent, K_APPEND, rk, &c);
	if (c.procs > 0)
		g[i].parallel_aware = 1;
	for (k = 0; k < n; k++) {
		struct ctx pc = c;

		pc.drive = 0;
		s = add(i, chance(0.8) ? K_SEQ : K_INDEX, "Member", &pc);
		g[s].rel = 1000;
		g[s].part = k + 1;
		g[s].parallel_aware = c.procs > 0 && g[s].kind == K_SEQ;
		g[s].has_filter = 1;
	}
	return i;
}

/* ---- figures, from the leaves up ---- */

static int
is_scan(int k)
{
	return k == K_SEQ || k == K_INDEX || k == K_IOS || k == K_BHEAP ||
	    k == K_BINDEX || k == K_FUNC || k == K_CTESCAN;
}

static int
first_regular(int i)
{
	int	k;

	for (k = g[i].first; k >= 0; k = g[k].next)
		if (g[k].subplan == NULL)
			return k;
	return -1;
}

static int
second_regular(int i)
{
	int	k = first_regular(i);

	for (k = k >= 0 ? g[k].next : -1; k >= 0; k = g[k].next)
		if (g[k].subplan == NULL)
			return k;
	return -1;
}

static double
misestimate(double act)
{
	double	r = urand(), f;

	if (r < 0.85)
		f = uni(0.5, 2);
	else if (r < 0.95)
		f = chance(0.5) ? uni(2, 10) : 1 / uni(2, 10);
	else {
		f = logu(1, 3);
		if (chance(0.5))
			f = 1 / f;
		if (act >= 100 || act * f >= 100)
			st.misestimates++;
	}
	return floor(act * f) < 1 ? 1 : floor(act * f);
}

/* Rows per loop, from the leaves up; once per node. */
static void
rows_up(int i)
{
	struct gnode	*n = &g[i];
	int		 k, o;

	if (n->rows_done)
		return;
	for (k = n->first; k >= 0; k = g[k].next)
		rows_up(k);
	n = &g[i];
	o = first_regular(i);
	if (!is_scan(n->kind) && o >= 0) {
		double	 base = g[o].act_rows * g[o].loops / n->loops;

		switch (n->kind) {
		case K_AGG:
			n->act_rows = n->strategy == AGG_PLAIN ? 1 :
			    floor(base * uni(0.001, 0.3)) + 1;
			if (n->partial == PM_FINALIZE)
				n->act_rows = floor(base / 3) + 1;
			break;
		case K_LIMIT:
			n->act_rows = base < 100 ? base : irand(1, 100);
			break;
		case K_UNIQUE:
			n->act_rows = floor(base * uni(0.2, 1));
			break;
		case K_HASHJOIN: case K_NESTLOOP: case K_MERGEJOIN:
			/* Drifts back towards a few thousand rows. */
			n->act_rows = floor(pow(base + 1, 0.8) *
			    pow(3000 / n->loops + 1, 0.2) *
			    (n->join == J_SEMI || n->join == J_ANTI ?
			    uni(0.1, 1) : uni(0.3, 2)));
			break;
		case K_GATHER: case K_GATHERMERGE:
			n->act_rows = floor(g[o].act_rows * g[o].loops);
			break;
		case K_MATERIALIZE:	/* returns it all on every rescan */
			n->act_rows = g[o].act_rows;
			break;
		default:
			n->act_rows = floor(base);
			break;
		}
	}
	if (n->kind == K_APPEND) {
		n->act_rows = 0;
		for (k = n->first; k >= 0; k = g[k].next)
			n->act_rows += g[k].act_rows * g[k].loops / n->loops;
	}
	if (n->returns > 0 || n->subplan != NULL)
		n->act_rows = 1;
	if (n->act_rows < 0)
		n->act_rows = 0;
	if (n->act_rows > 1e9)
		n->act_rows = 1e9;
	n->rows_done = 1;
}

/* Post-order: children's figures first. */
static void
figures(int i)
{
	struct gnode	*n = &g[i];
	int		 k, o, in;
	double		 per_row;

	for (k = n->first; k >= 0; k = g[k].next)
		figures(k);
	rows_up(i);
	n = &g[i];
	o = first_regular(i);
	in = second_regular(i);
	n->plan_rows = misestimate(n->act_rows);
	n->width = 4 + 8 * n->ncols + irand(0, 60);

	/* Own time across all loops, per process. */
	per_row = is_scan(n->kind) ? uni(0.0001, 0.0005) : uni(0.00002, 0.0002);
	n->self_ms = n->act_rows * n->loops / (n->procs > 0 ? n->procs : 1) *
	    per_row + uni(0.001, 0.05) + (n->loops > 1 ? n->loops /
	    (n->procs > 0 ? n->procs : 1) * uni(0.001, 0.004) : 0);
	if (n->hot == 1)		/* the hottest: about a sixth of the time */
		n->self_ms += uni(30000, 40000);
	else if (n->hot)
		n->self_ms += uni(3000, 10000);
	n->incl_ms = n->self_ms;
	n->self_cost = n->plan_rows * uni(0.005, 0.05) + uni(0, 5);
	n->total_cost = n->self_cost;
	for (k = n->first; k >= 0; k = g[k].next) {
		/* What runs more often than the node shows up in its time. */
		n->incl_ms += g[k].incl_ms;
		n->total_cost += g[k].total_cost;
		n->hit += g[k].hit;
		n->read += g[k].read;
		n->dirtied += g[k].dirtied;
		n->written += g[k].written;
		n->temp_read += g[k].temp_read;
		n->temp_written += g[k].temp_written;
		n->io_read_ms += g[k].io_read_ms;
		n->io_write_ms += g[k].io_write_ms;
	}
	switch (n->kind) {
	case K_SORT: case K_HASH: case K_MATERIALIZE: case K_GATHERMERGE:
	case K_WINDOWAGG:
		n->startup_frac = uni(0.85, 0.99);
		break;
	case K_AGG:
		n->startup_frac = n->strategy == AGG_SORTED ? uni(0, 0.2) :
		    uni(0.9, 1);
		break;
	case K_HASHJOIN:
		n->startup_frac = uni(0.2, 0.6);
		break;
	default:
		n->startup_frac = uni(0, 0.1);
	}
	n->startup_cost = n->total_cost * n->startup_frac;

	/* Buffers and node-specific figures. */
	if (is_scan(n->kind) && n->kind != K_FUNC && n->kind != K_CTESCAN &&
	    n->kind != K_BHEAP) {
		double pages = ceil(n->act_rows * n->loops /
		    (n->kind == K_SEQ ? 60 : 3)) + irand(1, 4);
		double rd = chance(0.3) ? floor(pages * uni(0, 0.6)) : 0;

		n->hit += pages - rd;
		n->read += rd;
		if (chance(0.03))
			n->dirtied += irand(1, 50);
		if (chance(0.01))
			n->written += irand(1, 20);
		if (rd > 0) {
			n->io_read_ms += rd * uni(0.002, 0.05);
			if (n->hot)
				n->io_read_ms += n->self_ms * 0.5;
		}
	}
	if (n->kind == K_BHEAP) {
		double blocks = ceil(n->act_rows * n->loops / 30) + 1;

		n->lossy_blocks = chance(0.15) ? floor(blocks * uni(0.2, 0.9)) : 0;
		n->exact_blocks = blocks - n->lossy_blocks;
		n->hit += blocks;
		if (n->lossy_blocks > 0)
			n->removed_recheck = floor(n->act_rows * uni(0.5, 30));
	}
	if (n->kind == K_IOS)
		n->heap_fetches = chance(0.2) ? floor(n->act_rows * uni(0.1, 1)) : 0;
	if (n->has_filter)
		n->removed_filter = chance(0.1) ?
		    floor((n->act_rows + 1) * uni(20, 500)) :
		    floor(n->act_rows * uni(0, 2));
	if ((n->kind == K_NESTLOOP || n->kind == K_HASHJOIN) && chance(0.1))
		n->removed_join = floor(n->act_rows * uni(0, 5));
	if (n->kind == K_SORT) {
		double kb = ceil(n->act_rows * n->width / 700) + 25;

		n->topn = n->parent >= 0 && g[n->parent].kind == K_LIMIT;
		n->sort_disk = !n->topn && kb > 4096 && chance(0.6);
		n->sort_kb = n->sort_disk ? kb : kb > 4096 ? 4096 : kb;
		if (n->sort_disk) {
			n->temp_read += ceil(kb / 8);
			n->temp_written += ceil(kb / 8);
			st.spills++;
		}
	}
	if (n->kind == K_HASH) {
		double rows = o >= 0 ? g[o].act_rows : 1;

		n->buckets_orig = 1024;
		while (n->buckets_orig < rows && n->buckets_orig < 4194304)
			n->buckets_orig *= 2;
		n->buckets = n->buckets_orig * (chance(0.1) ? 4 : 1);
		n->batches_orig = 1;
		n->batches = rows > 50000 && chance(0.4) ? 1 << irand(1, 5) : 1;
		if (n->batches > 1 && chance(0.5))
			n->batches_orig = n->batches / 2;
		n->peak_kb = ceil(rows * n->width / 1024 / n->batches) + 9;
		if (n->batches > 1) {
			n->temp_written += ceil(rows * n->width / 8192);
			st.spills++;
		}
	}
	if (n->kind == K_HASHJOIN && in >= 0 && g[in].batches > 1) {
		n->temp_read += ceil(g[in].temp_written * 1.9);
		n->temp_written += ceil(g[in].temp_written * 0.9);
	}
	if (n->kind == K_AGG && n->strategy == AGG_HASHED) {
		n->peak_kb = ceil(n->act_rows * n->width / 1024) + 24;
		n->agg_batches = 1;
		if (n->peak_kb > 4096 && chance(0.5)) {
			n->planned_parts = 4 << irand(0, 3);
			n->agg_batches = n->planned_parts + irand(1, 40);
			n->disk_kb = ceil(n->peak_kb * uni(1, 4));
			n->peak_kb = 4145;
			n->temp_read += ceil(n->disk_kb / 8);
			n->temp_written += ceil(n->disk_kb / 8);
			st.spills++;
		}
	}
	if (n->kind == K_MEMOIZE && o >= 0) {
		n->cache_misses = g[o].loops;
		n->cache_hits = n->loops - g[o].loops > 0 ?
		    n->loops - g[o].loops : 0;
		n->cache_evictions = chance(0.2) ? floor(n->cache_misses * 0.3) : 0;
		n->peak_kb = ceil(n->cache_misses * n->width / 1024) + 1;
	}
	if (n->kind == K_GATHER || n->kind == K_GATHERMERGE)
		st.workers_arrays++;	/* counted per section */
}

/* ---- strings of a node: names, conditions, output lists ---- */

static const char *
alias_of(int i, char *buf, size_t size)
{
	if (g[i].kind == K_CTESCAN)
		snprintf(buf, size, "c%d", i);
	else if (g[i].kind == K_FUNC)
		snprintf(buf, size, "f%d", i);
	else if (g[i].part > 0)
		snprintf(buf, size, "m_%d", g[i].part);
	else
		snprintf(buf, size, "r%d", i);
	return buf;
}

/* The alias of the leftmost scan below 'i'. */
static const char *
lead_alias(int i, char *buf, size_t size)
{
	int	k;

	while (!is_scan(g[i].kind) && (k = first_regular(i)) >= 0)
		i = k;
	if (g[i].kind == K_BINDEX && g[i].parent >= 0)
		i = g[i].parent;
	return alias_of(i, buf, size);
}

typedef void (*item_fn)(void *arg, const char *s);

/* The first 'want' columns node 'i' outputs. */
static int
cols(int i, int want, item_fn fn, void *arg)
{
	char	 a[32], s[96];
	int	 k, done = 0, o, in;

	if (want <= 0)
		return 0;
	if (is_scan(g[i].kind) || g[i].kind == K_RESULT) {
		if (g[i].kind == K_RESULT && g[i].first < 0) {
			fn(arg, "1");
			return 1;
		}
		alias_of(i, a, sizeof a);
		for (k = 1; k <= want; k++) {
			if (g[i].kind == K_FUNC)
				snprintf(s, sizeof s, "%s.%s", a, a);
			else
				snprintf(s, sizeof s, "%s.col_%d", a, k);
			fn(arg, s);
			if (g[i].kind == K_FUNC)
				return 1;
		}
		return want;
	}
	o = first_regular(i);
	in = second_regular(i);
	if (g[i].kind == K_AGG) {
		if (g[i].strategy != AGG_PLAIN && o >= 0)
			done = cols(o, want > 2 ? want - 2 : 1, fn, arg);
		fn(arg, g[i].partial == PM_PARTIAL ? "PARTIAL count(*)" :
		    g[i].partial == PM_FINALIZE ? "count(*)" : "count(*)");
		done++;
		if (done < want && o >= 0) {
			lead_alias(o, a, sizeof a);
			snprintf(s, sizeof s, "%ssum(%s.col_2)",
			    g[i].partial == PM_PARTIAL ? "PARTIAL " : "", a);
			fn(arg, s);
			done++;
		}
		return done;
	}
	if (g[i].kind == K_WINDOWAGG && o >= 0) {
		done = cols(o, want - 1, fn, arg);
		lead_alias(o, a, sizeof a);
		snprintf(s, sizeof s, "row_number() OVER (?)");
		fn(arg, s);
		return done + 1;
	}
	if (o < 0)
		return 0;
	if (in >= 0 && g[i].kind != K_APPEND && g[i].kind != K_HASH) {
		done = cols(o, (want + 1) / 2, fn, arg);
		if (g[i].join != J_SEMI && g[i].join != J_ANTI)
			done += cols(in, want - done, fn, arg);
		return done;
	}
	return cols(o, want, fn, arg);
}

struct sb {
	char	*buf;
	size_t	 len, alloc;
};

static void
sb_add(struct sb *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->alloc) {
		b->alloc = (b->len + n + 1) * 2;
		b->buf = xrealloc(b->buf, b->alloc);
	}
	memcpy(b->buf + b->len, s, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

static void
sb_addf(struct sb *b, const char *fmt, ...)
{
	char	 tmp[512];
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof tmp) {
		char *big = xrealloc(NULL, (size_t)n + 1);

		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		sb_add(b, big, (size_t)n);
		free(big);
	} else
		sb_add(b, tmp, (size_t)n);
}

/* A list of items, as a JSON array or as text joined by ", ". */
struct list {
	struct sb	*b;
	int		 json, n;
};

static void
json_str(struct sb *b, const char *s)
{
	sb_add(b, "\"", 1);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\') {
			sb_add(b, "\\", 1);
			sb_add(b, s, 1);
		} else
			sb_add(b, s, 1);
	}
	sb_add(b, "\"", 1);
}

static void
list_item(void *arg, const char *s)
{
	struct list *l = arg;

	if (l->n++ > 0)
		sb_add(l->b, ", ", 2);
	if (l->json)
		json_str(l->b, s);
	else
		sb_add(l->b, s, strlen(s));
}

/* The fields common to both formats, in explain.c's order, as key/value. */
enum vt { V_STR, V_LIST, V_NUM0, V_NUM2, V_NUM3, V_BOOL, V_RAW };

struct field {
	const char	*key;
	enum vt		 t;
	char		*s;		/* V_STR, V_LIST (JSON text / plain text) */
	char		*s_text;
	double		 d;
};

struct fields {
	struct field	f[80];
	int		n;
};

static void
fstr(struct fields *fs, const char *key, const char *val)
{
	struct field *f = &fs->f[fs->n++];

	f->key = key;
	f->t = V_STR;
	f->s = strdup(val);
	f->s_text = NULL;
}

static void
fnum(struct fields *fs, const char *key, enum vt t, double d)
{
	struct field *f = &fs->f[fs->n++];

	f->key = key;
	f->t = t;
	f->d = d;
	f->s = f->s_text = NULL;
}

static void
fcols(struct fields *fs, const char *key, int i, int want)
{
	struct field	*f = &fs->f[fs->n++];
	struct sb	 j = { 0 }, t = { 0 };
	struct list	 lj = { &j, 1, 0 }, lt = { &t, 0, 0 };

	sb_add(&j, "", 0);
	sb_add(&t, "", 0);
	cols(i, want, list_item, &lj);
	cols(i, want, list_item, &lt);
	f->key = key;
	f->t = V_LIST;
	f->s = j.buf;
	f->s_text = t.buf;
}

static void
fields_free(struct fields *fs)
{
	int	i;

	for (i = 0; i < fs->n; i++) {
		free(fs->f[i].s);
		free(fs->f[i].s_text);
	}
	fs->n = 0;
}

/* The main condition of a node, or NULL. */
static void
conditions(int i, struct fields *fs)
{
	struct gnode	*n = &g[i];
	char		 a[32], b[32], s[256], extra[64] = "";
	int		 o = first_regular(i), in = second_regular(i);

	alias_of(i, a, sizeof a);
	if (n->param > 0)
		snprintf(extra, sizeof extra, " AND (%s.col_3 > $%d)",
		    is_scan(n->kind) ? a : "x", n->param);
	switch (n->kind) {
	case K_INDEX: case K_IOS:
		if (n->parent >= 0 && ((g[n->parent].kind == K_NESTLOOP &&
		    first_regular(n->parent) != i) ||
		    g[n->parent].kind == K_MEMOIZE)) {
			int up = g[n->parent].kind == K_MEMOIZE ?
			    g[n->parent].parent : n->parent;

			lead_alias(first_regular(up), b, sizeof b);
			snprintf(s, sizeof s, "(%s.id = %s.col_1)", a, b);
		} else
			snprintf(s, sizeof s, "(%s.id > %d)", a, (i * 37) % 100000);
		fstr(fs, "Index Cond", s);
		break;
	case K_BINDEX:
		alias_of(n->parent, a, sizeof a);
		snprintf(s, sizeof s, "(%s.created_at >= '2026-0%d-01'::date)", a,
		    1 + i % 9);
		fstr(fs, "Index Cond", s);
		break;
	case K_BHEAP:
		snprintf(s, sizeof s, "(%s.created_at >= '2026-0%d-01'::date)", a,
		    1 + (i + 1) % 9);
		fstr(fs, "Recheck Cond", s);
		if (n->removed_recheck > 0)
			fnum(fs, "Rows Removed by Index Recheck", V_NUM0,
			    n->removed_recheck);
		break;
	case K_HASHJOIN:
	case K_MERGEJOIN:
		if (o >= 0 && in >= 0) {
			lead_alias(o, a, sizeof a);
			lead_alias(in, b, sizeof b);
			snprintf(s, sizeof s, "(%s.col_1 = %s.id)", a, b);
			fstr(fs, "Inner Unique", "");
			fs->f[fs->n - 1].t = V_BOOL;
			fs->f[fs->n - 1].d = n->join == J_INNER && i % 3 == 0;
			fstr(fs, n->kind == K_HASHJOIN ? "Hash Cond" : "Merge Cond",
			    s);
		}
		break;
	case K_NESTLOOP:
		fstr(fs, "Inner Unique", "");
		fs->f[fs->n - 1].t = V_BOOL;
		fs->f[fs->n - 1].d = i % 2 == 0;
		break;
	default:
		break;
	}
	if (n->removed_join > 0 && o >= 0 && in >= 0) {
		lead_alias(o, a, sizeof a);
		lead_alias(in, b, sizeof b);
		snprintf(s, sizeof s, "(%s.col_2 <> %s.col_2)", a, b);
		fstr(fs, "Join Filter", s);
		fnum(fs, "Rows Removed by Join Filter", V_NUM0, n->removed_join);
	}
	if (n->has_filter || n->param > 0 || n->subplan_ref > 0) {
		alias_of(i, a, sizeof a);
		if (n->subplan_ref > 0)
			snprintf(s, sizeof s, "(%s(%sSubPlan %d))%s",
			    n->join == J_ANTI ? "NOT " : "",
			    i % 2 ? "hashed " : "", n->subplan_ref, extra);
		else if (n->has_filter)
			snprintf(s, sizeof s, "((%s.status <> 'done'::text) AND "
			    "(%s.amount > %d.%02d))%s", a, a, i % 1000, i % 100,
			    extra);
		else
			snprintf(s, sizeof s, "%s", extra + 5);
		fstr(fs, "Filter", s);
		if (n->has_filter)
			fnum(fs, "Rows Removed by Filter", V_NUM0,
			    n->removed_filter);
	}
	if (n->kind == K_IOS)
		fnum(fs, "Heap Fetches", V_NUM0, n->heap_fetches);
}

static char *
label(int i)
{
	struct gnode	*n = &g[i];
	struct sb	 b = { 0 };
	char		 a[32];

	sb_add(&b, "", 0);
	if (n->parallel_aware)
		sb_add(&b, "Parallel ", 9);
	switch (n->kind) {
	case K_AGG:
		if (n->partial == PM_PARTIAL)
			sb_addf(&b, "Partial ");
		else if (n->partial == PM_FINALIZE)
			sb_addf(&b, "Finalize ");
		sb_addf(&b, "%s", n->strategy == AGG_HASHED ? "HashAggregate" :
		    n->strategy == AGG_SORTED ? "GroupAggregate" : "Aggregate");
		break;
	case K_HASHJOIN: case K_NESTLOOP: case K_MERGEJOIN:
		if (n->join == J_INNER)
			sb_addf(&b, "%s", type_name[n->kind]);
		else
			sb_addf(&b, "%s %s Join", n->kind == K_HASHJOIN ? "Hash" :
			    n->kind == K_MERGEJOIN ? "Merge" : "Nested Loop",
			    join_name[n->join]);
		break;
	default:
		sb_addf(&b, "%s", type_name[n->kind]);
	}
	if (n->backward)
		sb_addf(&b, " Backward");
	switch (n->kind) {
	case K_INDEX: case K_IOS:
		if (n->part > 0)
			sb_addf(&b, " using m_%d_pkey on public.m_%d m_%d", n->part,
			    n->part, n->part);
		else
			sb_addf(&b, " using t_%d_pkey on public.t_%d %s", n->rel,
			    n->rel, alias_of(i, a, sizeof a));
		break;
	case K_BINDEX:
		sb_addf(&b, " on t_%d_created_at_idx", g[n->parent].rel);
		break;
	case K_SEQ: case K_BHEAP:
		if (n->part > 0)
			sb_addf(&b, " on public.m_%d m_%d", n->part, n->part);
		else
			sb_addf(&b, " on public.t_%d %s", n->rel,
			    alias_of(i, a, sizeof a));
		break;
	case K_FUNC:
		sb_addf(&b, " on pg_catalog.generate_series %s",
		    alias_of(i, a, sizeof a));
		break;
	case K_CTESCAN:
		sb_addf(&b, " on cte_%d %s", n->cte, alias_of(i, a, sizeof a));
		break;
	case K_SUBQUERY:
		sb_addf(&b, " on sq_%d", i);
		break;
	default:
		break;
	}
	return b.buf;
}

/* Everything printed between the figures and the buffers. */
static void
node_fields(int i, struct fields *fs)
{
	struct gnode	*n = &g[i];
	int		 o = first_regular(i);
	char		 a[32], s[256];

	if (n->kind != K_BINDEX)	/* no Output: it returns a bitmap */
		fcols(fs, "Output", i, n->ncols);
	conditions(i, fs);
	if (n->kind == K_SORT && o >= 0) {
		fcols(fs, "Sort Key", o, 1 + i % 2);
		fstr(fs, "Sort Method", n->topn ? "top-N heapsort" :
		    n->sort_disk ? "external merge" : "quicksort");
		fnum(fs, "Sort Space Used", V_NUM0, n->sort_kb);
		fstr(fs, "Sort Space Type", n->sort_disk ? "Disk" : "Memory");
	}
	if (n->kind == K_AGG && n->strategy != AGG_PLAIN && o >= 0)
		fcols(fs, "Group Key", o, 1 + i % 2);
	if (n->kind == K_AGG && n->strategy == AGG_HASHED) {
		if (n->planned_parts > 0)
			fnum(fs, "Planned Partitions", V_NUM0, n->planned_parts);
		fnum(fs, "HashAgg Batches", V_NUM0, n->agg_batches);
		fnum(fs, "Peak Memory Usage", V_NUM0, n->peak_kb);
		fnum(fs, "Disk Usage", V_NUM0, n->disk_kb);
	}
	if (n->kind == K_WINDOWAGG && o >= 0)
		fstr(fs, "Run Condition", "(row_number() OVER (?) <= 10)");
	if (n->kind == K_MEMOIZE && n->parent >= 0) {
		lead_alias(first_regular(n->parent), a, sizeof a);
		snprintf(s, sizeof s, "%s.col_1", a);
		fstr(fs, "Cache Key", s);
		fstr(fs, "Cache Mode", "logical");
		fnum(fs, "Cache Hits", V_NUM0, n->cache_hits);
		fnum(fs, "Cache Misses", V_NUM0, n->cache_misses);
		fnum(fs, "Cache Evictions", V_NUM0, n->cache_evictions);
		fnum(fs, "Cache Overflows", V_NUM0, 0);
		fnum(fs, "Peak Memory Usage", V_NUM0, n->peak_kb);
	}
	if (n->kind == K_GATHER || n->kind == K_GATHERMERGE) {
		fnum(fs, "Workers Planned", V_NUM0, n->planned);
		fnum(fs, "Workers Launched", V_NUM0, n->launched);
		if (n->kind == K_GATHER) {
			fstr(fs, "Single Copy", "");
			fs->f[fs->n - 1].t = V_BOOL;
			fs->f[fs->n - 1].d = 0;
		}
	}
	if (n->kind == K_HASH) {
		fnum(fs, "Hash Buckets", V_NUM0, n->buckets);
		fnum(fs, "Original Hash Buckets", V_NUM0, n->buckets_orig);
		fnum(fs, "Hash Batches", V_NUM0, n->batches);
		fnum(fs, "Original Hash Batches", V_NUM0, n->batches_orig);
		fnum(fs, "Peak Memory Usage", V_NUM0, n->peak_kb);
	}
	if (n->kind == K_BHEAP) {
		fnum(fs, "Exact Heap Blocks", V_NUM0, n->exact_blocks);
		fnum(fs, "Lossy Heap Blocks", V_NUM0, n->lossy_blocks);
	}
}

/* ---- output ---- */

static FILE	*out;
static size_t	 written_bytes;
static int	 no_worker_detail;
static long	 text_lines;
static size_t	 text_width;

static void
put(const char *s, size_t n)
{
	if (fwrite(s, 1, n, out) != n) {
		perror("plangen: write");
		exit(1);
	}
	written_bytes += n;
}

static void
puts0(const char *s)
{
	put(s, strlen(s));
}

static void
putf(const char *fmt, ...)
{
	char	 tmp[1024];
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof tmp) {
		char *big = xrealloc(NULL, (size_t)n + 1);

		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		put(big, (size_t)n);
		free(big);
	} else
		put(tmp, (size_t)n);
}

static void
indent(int n)
{
	static const char spaces[] = "                                ";

	while (n > 0) {
		int k = n > 32 ? 32 : n;

		put(spaces, (size_t)k);
		n -= k;
	}
}

/* ---- JSON ---- */

static int	json_first;

static void
jkey(int ind, const char *key)
{
	put(json_first ? "\n" : ",\n", json_first ? 1 : 2);
	json_first = 0;
	indent(ind);
	putf("\"%s\": ", key);
}

static void
jstr(int ind, const char *key, const char *v)
{
	struct sb b = { 0 };

	jkey(ind, key);
	sb_add(&b, "", 0);
	json_str(&b, v);
	put(b.buf, b.len);
	free(b.buf);
}

static void
jnum(int ind, const char *key, enum vt t, double d)
{
	jkey(ind, key);
	putf(t == V_NUM0 ? "%.0f" : t == V_NUM2 ? "%.2f" : "%.3f", d);
}

static void
jbool(int ind, const char *key, int b)
{
	jkey(ind, key);
	putf("%s", b ? "true" : "false");
}

static void
jbuffers(int ind, double hit, double read, double dirtied, double written,
    double tr, double tw)
{
	jnum(ind, "Shared Hit Blocks", V_NUM0, hit);
	jnum(ind, "Shared Read Blocks", V_NUM0, read);
	jnum(ind, "Shared Dirtied Blocks", V_NUM0, dirtied);
	jnum(ind, "Shared Written Blocks", V_NUM0, written);
	jnum(ind, "Local Hit Blocks", V_NUM0, 0);
	jnum(ind, "Local Read Blocks", V_NUM0, 0);
	jnum(ind, "Local Dirtied Blocks", V_NUM0, 0);
	jnum(ind, "Local Written Blocks", V_NUM0, 0);
	jnum(ind, "Temp Read Blocks", V_NUM0, tr);
	jnum(ind, "Temp Written Blocks", V_NUM0, tw);
}

/* Per-loop figures as EXPLAIN prints them. */
static double
act_total(const struct gnode *n)
{
	return n->incl_ms * (n->procs > 0 ? n->procs : 1) /
	    (n->loops > 0 ? n->loops : 1);
}

/* Worker w's share: deterministic from the node and w. */
static double
wshare(int i, int w, double lo, double hi)
{
	uint64_t	 save = rng_state;
	double		 d;

	rng_state = (uint64_t)i * 1000003u + (uint64_t)w * 7919u + 17;
	rnd64();
	d = uni(lo, hi);
	rng_state = save;
	return d;
}

static void json_node(int i, int ind);

static void
json_fields(int i, int ind)
{
	struct gnode	*n = &g[i];
	struct fields	 fs;
	char		 a[32];
	int		 k, w;
	double		 at;

	jstr(ind, "Node Type", type_name[n->kind]);
	if (n->kind == K_AGG) {
		jstr(ind, "Strategy", n->strategy == AGG_HASHED ? "Hashed" :
		    n->strategy == AGG_SORTED ? "Sorted" : "Plain");
		jstr(ind, "Partial Mode", n->partial == PM_PARTIAL ? "Partial" :
		    n->partial == PM_FINALIZE ? "Finalize" : "Simple");
	}
	if (n->rel_kind != NULL && n->parent >= 0)
		jstr(ind, "Parent Relationship", n->rel_kind);
	if (n->subplan != NULL)
		jstr(ind, "Subplan Name", n->subplan);
	jbool(ind, "Parallel Aware", n->parallel_aware);
	jbool(ind, "Async Capable", 0);
	switch (n->kind) {
	case K_INDEX: case K_IOS:
		jstr(ind, "Scan Direction", n->backward ? "Backward" : "Forward");
		if (n->part > 0) {
			snprintf(a, sizeof a, "m_%d_pkey", n->part);
			jstr(ind, "Index Name", a);
		} else {
			snprintf(a, sizeof a, "t_%d_pkey", n->rel);
			jstr(ind, "Index Name", a);
		}
		/* FALLTHROUGH */
	case K_SEQ: case K_BHEAP:
		snprintf(a, sizeof a, n->part > 0 ? "m_%d" : "t_%d",
		    n->part > 0 ? n->part : n->rel);
		jstr(ind, "Relation Name", a);
		jstr(ind, "Schema", "public");
		jstr(ind, "Alias", alias_of(i, a, sizeof a));
		break;
	case K_BINDEX:
		snprintf(a, sizeof a, "t_%d_created_at_idx", g[n->parent].rel);
		jstr(ind, "Index Name", a);
		break;
	case K_FUNC:
		jstr(ind, "Function Name", "generate_series");
		jstr(ind, "Schema", "pg_catalog");
		jstr(ind, "Alias", alias_of(i, a, sizeof a));
		break;
	case K_CTESCAN:
		snprintf(a, sizeof a, "cte_%d", n->cte);
		jstr(ind, "CTE Name", a);
		jstr(ind, "Alias", alias_of(i, a, sizeof a));
		break;
	case K_SUBQUERY:
		snprintf(a, sizeof a, "sq_%d", i);
		jstr(ind, "Alias", a);
		break;
	case K_HASHJOIN: case K_NESTLOOP: case K_MERGEJOIN:
		jstr(ind, "Join Type", join_name[n->join]);
		break;
	default:
		break;
	}
	jnum(ind, "Startup Cost", V_NUM2, n->startup_cost);
	jnum(ind, "Total Cost", V_NUM2, n->total_cost);
	jnum(ind, "Plan Rows", V_NUM0, n->plan_rows);
	jnum(ind, "Plan Width", V_NUM0, n->width);
	at = act_total(n);
	jnum(ind, "Actual Startup Time", V_NUM3, at * n->startup_frac);
	jnum(ind, "Actual Total Time", V_NUM3, at);
	jnum(ind, "Actual Rows", V_NUM0, n->act_rows);
	jnum(ind, "Actual Loops", V_NUM0, n->loops);

	fs.n = 0;
	node_fields(i, &fs);
	for (k = 0; k < fs.n; k++) {
		struct field *f = &fs.f[k];

		switch (f->t) {
		case V_STR:
			jstr(ind, f->key, f->s);
			break;
		case V_LIST:
			jkey(ind, f->key);
			put("[", 1);
			put(f->s, strlen(f->s));
			put("]", 1);
			break;
		case V_BOOL:
			jbool(ind, f->key, f->d != 0);
			break;
		default:
			jnum(ind, f->key, f->t, f->d);
		}
	}
	fields_free(&fs);
	jbuffers(ind, n->hit, n->read, n->dirtied, n->written, n->temp_read,
	    n->temp_written);
	if (n->io_read_ms > 0 || n->io_write_ms > 0) {
		jnum(ind, "I/O Read Time", V_NUM3, n->io_read_ms);
		jnum(ind, "I/O Write Time", V_NUM3, n->io_write_ms);
		jnum(ind, "Temp I/O Read Time", V_NUM3, 0);
		jnum(ind, "Temp I/O Write Time", V_NUM3, 0);
	}
	/* VERBOSE: every worker's own figures. */
	if (n->procs > 1) {
		jkey(ind, "Workers");
		put("[", 1);
		for (w = 0; w < n->procs - 1; w++) {
			double sh = wshare(i, w, 0.2, 0.4);

			put(w == 0 ? "\n" : ",\n", w == 0 ? 1 : 2);
			indent(ind + 2);
			put("{", 1);
			json_first = 1;
			jnum(ind + 4, "Worker Number", V_NUM0, w);
			jnum(ind + 4, "Actual Startup Time", V_NUM3,
			    at * n->startup_frac * wshare(i, w, 0.9, 1.1));
			jnum(ind + 4, "Actual Total Time", V_NUM3,
			    at * wshare(i, w, 0.9, 1.1));
			jnum(ind + 4, "Actual Rows", V_NUM0,
			    floor(n->act_rows * wshare(i, w, 0.8, 1.2)));
			jnum(ind + 4, "Actual Loops", V_NUM0,
			    ceil(n->loops / n->procs));
			if (n->kind == K_SORT) {
				jstr(ind + 4, "Sort Method", n->topn ?
				    "top-N heapsort" : n->sort_disk ?
				    "external merge" : "quicksort");
				jnum(ind + 4, "Sort Space Used", V_NUM0,
				    ceil(n->sort_kb * sh * 1.5));
				jstr(ind + 4, "Sort Space Type", n->sort_disk ?
				    "Disk" : "Memory");
			}
			jbuffers(ind + 4, floor(n->hit * sh), floor(n->read * sh),
			    floor(n->dirtied * sh), floor(n->written * sh),
			    floor(n->temp_read * sh), floor(n->temp_written * sh));
			if (n->io_read_ms > 0) {
				jnum(ind + 4, "I/O Read Time", V_NUM3,
				    n->io_read_ms * sh);
				jnum(ind + 4, "I/O Write Time", V_NUM3, 0);
				jnum(ind + 4, "Temp I/O Read Time", V_NUM3, 0);
				jnum(ind + 4, "Temp I/O Write Time", V_NUM3, 0);
			}
			put("\n", 1);
			indent(ind + 2);
			put("}", 1);
		}
		put("\n", 1);
		indent(ind);
		put("]", 1);
		json_first = 0;
	}
	if (n->first >= 0) {
		jkey(ind, "Plans");
		put("[", 1);
		for (k = n->first; k >= 0; k = g[k].next) {
			put(k == n->first ? "\n" : ",\n", k == n->first ? 1 : 2);
			json_node(k, ind + 2);
		}
		put("\n", 1);
		indent(ind);
		put("]", 1);
		json_first = 0;
	}
}

static void
json_node(int i, int ind)
{
	indent(ind);
	put("{", 1);
	json_first = 1;
	json_fields(i, ind + 2);
	put("\n", 1);
	indent(ind);
	put("}", 1);
}

static double planning_ms, execution_ms;

static void
emit_json(void)
{
	puts0("[\n  {\n    \"Plan\": {");
	json_first = 1;
	json_fields(0, 6);
	puts0("\n    },");
	json_first = 1;
	putf("\n    \"Query Identifier\": %lld", 4387261193542211876LL);
	puts0(",\n    \"Planning\": {");
	json_first = 1;
	jbuffers(6, 1423, 12, 0, 0, 0, 0);
	puts0("\n    },");
	putf("\n    \"Planning Time\": %.3f", planning_ms);
	puts0(",\n    \"Triggers\": [\n    ]");
	putf(",\n    \"Execution Time\": %.3f\n  }\n]\n", execution_ms);
}

/* ---- text ---- */

/* Lines are collected, then framed as psql prints them. */
static struct sb	 tbuf;

static void
tline(int ind, const char *fmt, ...)
{
	char	 tmp[4096];
	va_list	 ap;
	int	 n;
	size_t	 start = tbuf.len;

	sb_add(&tbuf, " ", 1);		/* psql's cell padding */
	{
		static const char sp[] = "                                ";
		int k = ind;

		while (k > 0) {
			sb_add(&tbuf, sp, (size_t)(k > 32 ? 32 : k));
			k -= 32;
		}
	}
	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof tmp) {
		char *big = xrealloc(NULL, (size_t)n + 1);

		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		sb_add(&tbuf, big, (size_t)n);
		free(big);
	} else
		sb_add(&tbuf, tmp, (size_t)n);
	if (tbuf.len - start - 1 > text_width)
		text_width = tbuf.len - start - 1;
	sb_add(&tbuf, "\n", 1);
	text_lines++;
}

static void
tbuffers(int ind, double hit, double read, double dirtied, double written,
    double tr, double tw)
{
	struct sb	b = { 0 };

	sb_add(&b, "", 0);
	if (hit + read + dirtied + written > 0) {
		sb_add(&b, " shared", 7);
		if (hit > 0) sb_addf(&b, " hit=%.0f", hit);
		if (read > 0) sb_addf(&b, " read=%.0f", read);
		if (dirtied > 0) sb_addf(&b, " dirtied=%.0f", dirtied);
		if (written > 0) sb_addf(&b, " written=%.0f", written);
	}
	if (tr + tw > 0) {
		if (b.len > 0)
			sb_add(&b, ",", 1);
		sb_add(&b, " temp", 5);
		if (tr > 0) sb_addf(&b, " read=%.0f", tr);
		if (tw > 0) sb_addf(&b, " written=%.0f", tw);
	}
	if (b.len > 0)
		tline(ind, "Buffers:%s", b.buf);
	free(b.buf);
}

static void
text_node(int i, int col)
{
	struct gnode	*n = &g[i];
	struct fields	 fs;
	char		*name = label(i);
	int		 fcol, k, w;
	double		 at = act_total(n);

	/* The root at 'col' as is; others behind "->  ". */
	if (n->parent < 0) {
		tline(col, "%s  (cost=%.2f..%.2f rows=%.0f width=%.0f) "
		    "(actual time=%.3f..%.3f rows=%.0f loops=%.0f)", name,
		    n->startup_cost, n->total_cost, n->plan_rows, n->width,
		    at * n->startup_frac, at, n->act_rows, n->loops);
		fcol = col + 2;
	} else {
		tline(col, "->  %s  (cost=%.2f..%.2f rows=%.0f width=%.0f) "
		    "(actual time=%.3f..%.3f rows=%.0f loops=%.0f)", name,
		    n->startup_cost, n->total_cost, n->plan_rows, n->width,
		    at * n->startup_frac, at, n->act_rows, n->loops);
		fcol = col + 6;
	}
	free(name);

	fs.n = 0;
	node_fields(i, &fs);
	for (k = 0; k < fs.n; k++) {
		struct field *f = &fs.f[k];
		const char *key = f->key;

		if (strcmp(key, "Sort Method") == 0) {
			tline(fcol, "Sort Method: %s  %s: %.0fkB", f->s,
			    fs.f[k + 2].s, fs.f[k + 1].d);
			k += 2;
		} else if (strcmp(key, "Planned Partitions") == 0) {
			continue;
		} else if (strcmp(key, "HashAgg Batches") == 0) {
			if (n->disk_kb > 0)
				tline(fcol, "Planned Partitions: %.0f  Batches: %.0f"
				    "  Memory Usage: %.0fkB  Disk Usage: %.0fkB",
				    n->planned_parts, n->agg_batches, n->peak_kb,
				    n->disk_kb);
			else
				tline(fcol, "Batches: %.0f  Memory Usage: %.0fkB",
				    n->agg_batches, n->peak_kb);
			k += 2;
		} else if (strcmp(key, "Cache Hits") == 0) {
			tline(fcol, "Hits: %.0f  Misses: %.0f  Evictions: %.0f  "
			    "Overflows: 0  Memory Usage: %.0fkB", n->cache_hits,
			    n->cache_misses, n->cache_evictions, n->peak_kb);
			k += 4;
		} else if (strcmp(key, "Hash Buckets") == 0) {
			if (n->buckets != n->buckets_orig ||
			    n->batches != n->batches_orig)
				tline(fcol, "Buckets: %.0f (originally %.0f)  "
				    "Batches: %.0f (originally %.0f)  Memory Usage: "
				    "%.0fkB", n->buckets, n->buckets_orig,
				    n->batches, n->batches_orig, n->peak_kb);
			else
				tline(fcol, "Buckets: %.0f  Batches: %.0f  Memory "
				    "Usage: %.0fkB", n->buckets, n->batches,
				    n->peak_kb);
			k += 4;
		} else if (strcmp(key, "Exact Heap Blocks") == 0) {
			if (n->lossy_blocks > 0)
				tline(fcol, "Heap Blocks: exact=%.0f lossy=%.0f",
				    n->exact_blocks, n->lossy_blocks);
			else
				tline(fcol, "Heap Blocks: exact=%.0f",
				    n->exact_blocks);
			k += 1;
		} else if (f->t == V_BOOL) {
			if (strcmp(key, "Inner Unique") == 0)
				tline(fcol, "%s: %s", key, f->d ? "true" : "false");
		} else if (f->t == V_LIST) {
			tline(fcol, "%s: %s", key, f->s_text);
		} else if (f->t == V_STR) {
			tline(fcol, "%s: %s", key, f->s);
		} else {
			tline(fcol, "%s: %.0f", key, f->d);
		}
	}
	fields_free(&fs);
	tbuffers(fcol, n->hit, n->read, n->dirtied, n->written, n->temp_read,
	    n->temp_written);
	if (n->io_read_ms > 0 || n->io_write_ms > 0)
		tline(fcol, "I/O Timings: shared/local read=%.3f", n->io_read_ms);
	if (n->procs > 1 && !no_worker_detail) {
		for (w = 0; w < n->procs - 1; w++) {
			double sh = wshare(i, w, 0.2, 0.4);

			tline(fcol, "Worker %d:  actual time=%.3f..%.3f rows=%.0f "
			    "loops=%.0f", w,
			    at * n->startup_frac * wshare(i, w, 0.9, 1.1),
			    at * wshare(i, w, 0.9, 1.1),
			    floor(n->act_rows * wshare(i, w, 0.8, 1.2)),
			    ceil(n->loops / n->procs));
			if (n->kind == K_SORT)
				tline(fcol + 2, "Sort Method: %s  %s: %.0fkB",
				    n->topn ? "top-N heapsort" : n->sort_disk ?
				    "external merge" : "quicksort",
				    n->sort_disk ? "Disk" : "Memory",
				    ceil(n->sort_kb * sh * 1.5));
			tbuffers(fcol + 2, floor(n->hit * sh), floor(n->read * sh),
			    floor(n->dirtied * sh), floor(n->written * sh),
			    floor(n->temp_read * sh), floor(n->temp_written * sh));
			if (n->io_read_ms > 0)
				tline(fcol + 2, "I/O Timings: shared/local read=%.3f",
				    n->io_read_ms * sh);
		}
	}
	for (k = n->first; k >= 0; k = g[k].next) {
		if (g[k].subplan != NULL) {
			tline(fcol, "%s", g[k].subplan);
			text_node(k, fcol + 2);
		} else
			text_node(k, fcol);
	}
}

static void
emit_text(void)
{
	size_t	w, pad;
	char	*sep;

	text_node(0, 0);
	tline(0, "Query Identifier: %lld", 4387261193542211876LL);
	tline(0, "Planning:");
	tline(2, "Buffers: shared hit=1423 read=12");
	tline(0, "Planning Time: %.3f ms", planning_ms);
	tline(0, "Execution Time: %.3f ms", execution_ms);
	w = text_width + 2;
	pad = (w - 10) / 2;
	indent((int)pad);
	put("QUERY PLAN", 10);
	indent((int)(w - pad - 10));
	put("\n", 1);
	sep = xrealloc(NULL, w + 1);
	memset(sep, '-', w);
	sep[w] = '\n';
	put(sep, w + 1);
	free(sep);
	put(tbuf.buf, tbuf.len);
	putf("(%ld rows)\n\n", text_lines);
}

/* ---- main ---- */

static void
usage(void)
{
	fprintf(stderr, "usage: plangen [-n NODES] [-d DEPTH] [-s SEED] "
	    "[-f json|text] [-W] [-o FILE]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	long		 nodes = 20000, seed = 1, deep = -1;
	const char	*fmt = "json", *path = NULL;
	struct ctx	 top = { 1, 0, 0 };
	int		 root, sort, app, opt, k, len, parts, i, cte;
	int		 sq;
	long		 depth_sum = 0;

	while ((opt = getopt(argc, argv, "n:d:s:f:Wo:")) != -1) {
		switch (opt) {
		case 'n': nodes = atol(optarg); break;
		case 'd': deep = atol(optarg); break;
		case 's': seed = atol(optarg); break;
		case 'f': fmt = optarg; break;
		case 'W': no_worker_detail = 1; break;
		case 'o': path = optarg; break;
		default: usage();
		}
	}
	if (optind != argc || nodes < 50 || nodes > 900000 ||
	    (strcmp(fmt, "json") != 0 && strcmp(fmt, "text") != 0))
		usage();
	rng_state = 0x5eed0000u + (uint64_t)seed;

	/* Limit, its CTEs, Sort, Append. */
	root = add(-1, K_LIMIT, NULL, &top);
	g[root].ncols = 6;
	for (cte = 1; cte <= 4; cte++) {
		int c = add(root, K_AGG, "InitPlan", &top);

		g[c].strategy = AGG_HASHED;
		g[c].subplan = xstrfmt("CTE cte_%d", cte);
		tree(c, "Outer", top, 6);
		st.ctes++;
	}
	ncte = 4;
	sort = add(root, K_SORT, "Outer", &top);
	g[sort].ncols = 6;
	app = add(sort, K_APPEND, "Outer", &top);
	g[app].ncols = 6;

	/* Deep chains: 400, 100, 40 joins at 20,000 nodes. */
	len = (int)(nodes / 50);
	if (len > 400)
		len = 400;
	if (deep >= 0)
		len = deep > 490 ? 490 : (int)deep;
	if (len * 3 > nodes / 2)
		len = (int)(nodes / 6);
	for (k = 0; k < 3 && len >= 5; k++, len = k == 1 ? len / 4 : len * 2 / 5) {
		sq = add(app, K_SUBQUERY, "Member", &top);
		chain(sq, "Subquery", top, len);
		st.chains++;
	}
	/* Wide: a partitioned table, and another in a parallel section. */
	parts = (int)(nodes / 10);
	sq = add(app, K_SUBQUERY, "Member", &top);
	partitions(sq, "Subquery", top, parts);
	{
		int		 gi = add(app, K_GATHER, "Member", &top);
		struct ctx	 pc = top;

		g[gi].planned = 4;
		g[gi].launched = 3;
		pc.procs = 4;
		partitions(gi, "Outer", pc, (int)(nodes / 40));
		st.gathers++;
	}
	/* Random subqueries until the budget is spent. */
	while (nodes - ng > 450) {
		int b = irand(20, 400);

		sq = add(app, K_SUBQUERY, "Member", &top);
		tree(sq, "Subquery", top, b);
	}
	if (nodes - ng >= 2) {
		sq = add(app, K_SUBQUERY, "Member", &top);
		partitions(sq, "Subquery", top, (int)(nodes - ng - 1));
	}
	while (ng < nodes)
		scan(app, "Member", &top);

	/* A few hot nodes: where the time went. */
	for (k = 0; k < 6; k++) {
		do
			i = irand(1, ng - 1);
		while (!is_scan(g[i].kind) || g[i].kind == K_BINDEX);
		g[i].hot = k == 0 ? 1 : 2;
		st.hot++;
	}
	figures(0);
	if (getenv("PLANGEN_DEBUG") != NULL)
		for (i = 0; i < ng; i++)
			if (g[i].self_ms > 1000)
				fprintf(stderr, "node %d %s depth %d loops %.0f rows %.0f self %.0f hot %d\n",
				    i, type_name[g[i].kind], g[i].depth, g[i].loops, g[i].act_rows, g[i].self_ms, g[i].hot);
	planning_ms = 45.123 + (double)ng / 1000;
	execution_ms = g[0].incl_ms + 0.5;

	out = stdout;
	if (path != NULL && (out = fopen(path, "w")) == NULL) {
		perror(path);
		return 1;
	}
	if (strcmp(fmt, "json") == 0)
		emit_json();
	else
		emit_text();
	if (fflush(out) != 0 || (path != NULL && fclose(out) != 0)) {
		perror("plangen: write");
		return 1;
	}
	for (i = 0; i < ng; i++)
		depth_sum += g[i].depth;
	fprintf(stderr, "plangen: %d nodes, depth max %d mean %.1f, %zu bytes (%s); "
	    "%d Gather sections, %d InitPlans, %d SubPlans, %d CTEs (%d scans), "
	    "%d chains, %d hot nodes, %d spills, %d big misestimates\n",
	    ng, max_depth, (double)depth_sum / ng, written_bytes, fmt, st.gathers, st.initplans,
	    st.subplans, st.ctes, st.cte_scans, st.chains, st.hot, st.spills,
	    st.misestimates);
	return 0;
}
