/*
 * analyze.c - where the time went: self time, self buffers,
 * misestimates and warnings.
 *
 * Inclusive time is "actual total time" x loops; in a parallel section
 * (below a Gather or Gather Merge) every process's time is summed that
 * way, so it is divided by the number of processes (workers launched +
 * the leader).  Self time is a node's inclusive time minus its
 * children's: SubPlans are subtracted from the node that runs them;
 * InitPlans and CTEs are not subtracted from the node they hang under
 * but from the node that uses their result ($0, a CTE Scan), because
 * that is where their time was spent.  What the plan leaves open (which
 * of several CTE scans ran the CTE, parallel averages, JIT) is marked.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/strbuf.h"
#include "../core/util.h"
#include "plan_int.h"

#include "../core/banned.h"

static int
is_gather(const struct plan_node *n)
{
	return n->type != NULL && (strcmp(n->type, "Gather") == 0 ||
	    strcmp(n->type, "Gather Merge") == 0);
}

static int
is_type(const struct plan_node *n, const char *t)
{
	return n->type != NULL && strcmp(n->type, t) == 0;
}

static double
buf_sum(const struct plan_buffers *b)
{
	return b->shared_hit + b->shared_read + b->shared_dirtied +
	    b->shared_written + b->local_hit + b->local_read +
	    b->local_dirtied + b->local_written + b->temp_read +
	    b->temp_written;
}

static void
buf_sub(struct plan_buffers *a, const struct plan_buffers *b)
{
	a->shared_hit -= b->shared_hit;
	a->shared_read -= b->shared_read;
	a->shared_dirtied -= b->shared_dirtied;
	a->shared_written -= b->shared_written;
	a->local_hit -= b->local_hit;
	a->local_read -= b->local_read;
	a->local_dirtied -= b->local_dirtied;
	a->local_written -= b->local_written;
	a->temp_read -= b->temp_read;
	a->temp_written -= b->temp_written;
}

static void
buf_clamp(struct plan_buffers *b)
{
	double	*f = &b->shared_hit;
	size_t	 i;

	for (i = 0; i < sizeof *b / sizeof(double); i++) {
		if (f[i] < 0)
			f[i] = 0;
	}
}

/*
 * Who uses which InitPlan and CTE, found in one pass over the plan so
 * that charging K InitPlans costs the references, not K times every
 * node's fields.  A key is what a node mentions: a parameter "$3"
 * (up to PostgreSQL 15), an "(InitPlan 2)" (16 on: any "(Name N)"
 * or "(Name)"), or the name of the CTE a CTE Scan reads.  Sorted by
 * key, then node, so the users of a key are one run in node order.
 */
struct use {
	const char	*key;		/* into a prop value or node->cte */
	size_t		 len;
	int		 node;
};

struct uses {
	struct use	*v;
	size_t		 n, alloc;
};

static void
uses_add(struct uses *u, const char *key, size_t len, int node)
{
	xgrow((void **)&u->v, &u->alloc, u->n + 1, sizeof *u->v);
	u->v[u->n].key = key;
	u->v[u->n].len = len;
	u->v[u->n].node = node;
	u->n++;
}

static int
key_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int	c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

static int
use_cmp(const void *a, const void *b)
{
	const struct use *x = a, *y = b;
	int		  c = key_cmp(x->key, x->len, y->key, y->len);

	return c != 0 ? c : x->node - y->node;
}

/* Length of "(Name N)" or "(Name)" at 's', or 0. */
static size_t
paren_ref(const char *s)
{
	size_t	n = 1 + strcspn(s + 1, " ()"), t;

	if (n == 1)
		return 0;
	if (s[n] == ' ') {
		t = strcspn(s + n + 1, " ()");
		if (t == 0)
			return 0;
		n += 1 + t;
	}
	return s[n] == ')' ? n + 1 : 0;
}

/*
 * Every "$N" and "(Name N)" in 'v', as keys of 'node'.  A parameter
 * inside parentheses counts too: "(NOT $1)".
 */
static void
uses_scan(struct uses *u, const char *v, int node)
{
	size_t	n;

	while ((v = strpbrk(v, "$(")) != NULL) {
		if (*v == '$') {
			n = 1 + strspn(v + 1, "0123456789");
			if (n > 1)
				uses_add(u, v, n, node);
			v += n;
		} else {
			if ((n = paren_ref(v)) != 0)
				uses_add(u, v, n, node);
			v++;
		}
	}
}

static void
uses_build(const struct plan *p, struct uses *params, struct uses *ctes)
{
	int	i, k;

	memset(params, 0, sizeof *params);
	memset(ctes, 0, sizeof *ctes);
	for (i = 0; i < p->nnodes; i++) {
		const struct plan_node *n = &p->nodes[i];

		for (k = 0; k < n->nprops; k++)
			uses_scan(params, n->props[k].value, i);
		if (is_type(n, "CTE Scan") && n->cte != NULL)
			uses_add(ctes, n->cte, strlen(n->cte), i);
	}
	if (params->n > 1)
		qsort(params->v, params->n, sizeof *params->v, use_cmp);
	if (ctes->n > 1)
		qsort(ctes->v, ctes->n, sizeof *ctes->v, use_cmp);
}

/* The run of uses of 'key': [*from, return value). */
static size_t
uses_find(const struct uses *u, const char *key, size_t len, size_t *from)
{
	size_t	lo = 0, hi = u->n;

	while (lo < hi) {
		size_t	mid = lo + (hi - lo) / 2;

		if (key_cmp(u->v[mid].key, u->v[mid].len, key, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*from = lo;
	while (hi < u->n && key_cmp(u->v[hi].key, u->v[hi].len, key, len) == 0)
		hi++;
	return hi;
}

static void
uses_release(struct uses *u)
{
	free(u->v);
	memset(u, 0, sizeof *u);
}

static int
use_node_cmp(const void *a, const void *b)
{
	const struct use *x = a, *y = b;

	return x->node - y->node;
}

/* Append the nodes that use 'key' to 'users'. */
static void
users_add(struct uses *users, const struct uses *params, const char *key,
    size_t len)
{
	size_t	from, to;

	for (to = uses_find(params, key, len, &from); from < to; from++)
		uses_add(users, key, len, params->v[from].node);
}

/*
 * The nodes that mention one of InitPlan 'subplan''s outputs, each
 * once, in node order, into 'users' (emptied first): its "(InitPlan
 * 1)" (16 on) and every "$N" of "InitPlan 1 (returns $0,$1)" (up to
 * 15).
 */
static void
initplan_users(const struct uses *params, const char *subplan,
    struct uses *users)
{
	char		 tag[64];
	const char	*s;
	size_t		 len, k, m;

	users->n = 0;
	len = strcspn(subplan, " ");
	if (subplan[len] == ' ')
		len += 1 + strcspn(subplan + len + 1, " (");
	snprintf(tag, sizeof tag, "(%.*s)", (int)len, subplan);
	users_add(users, params, tag, strlen(tag));
	if ((s = strstr(subplan, "(returns ")) != NULL) {
		for (s += 9; *s == '$'; s += len) {
			len = 1 + strspn(s + 1, "0123456789");
			users_add(users, params, s, len);
			if (s[len] == ',')
				len++;
		}
	}
	if (users->n > 1)
		qsort(users->v, users->n, sizeof *users->v, use_node_cmp);
	for (k = m = 0; k < users->n; k++) {
		if (m == 0 || users->v[m - 1].node != users->v[k].node)
			users->v[m++] = users->v[k];
	}
	users->n = m;
}

static int
in_subtree(const struct plan *p, int root, int i)
{
	return i > root && i <= root + p->nodes[root].nsub;
}

/* Which scan of CTE 'i' pays: one that can hold the CTE's time. */
static int
charge_cte(struct plan *p, int i, const struct uses *ctes, int *users)
{
	struct plan_node	*n = &p->nodes[i];
	const char		*name = n->subplan + 4;
	size_t			 from, to, k;
	int			 best = -1;

	to = uses_find(ctes, name, strlen(name), &from);
	*users = (int)(to - from);
	for (k = from; k < to; k++) {
		int			 j = ctes->v[k].node;
		const struct plan_node	*u = &p->nodes[j];

		if (u->never_executed)
			continue;
		if (best == -1 || (p->nodes[best].incl_ms < n->incl_ms &&
		    u->incl_ms > p->nodes[best].incl_ms))
			best = j;
	}
	if (*users > 1) {
		n->amb |= PLAN_AMB_CTE;
		for (k = from; k < to; k++)
			p->nodes[ctes->v[k].node].amb |= PLAN_AMB_CTE;
	}
	return best;
}

/* Which user of InitPlan 'i' pays: the deepest, it evaluates it first. */
static int
charge_initplan(struct plan *p, int i, const struct uses *params,
    struct uses *users, int *nusers)
{
	struct plan_node	*n = &p->nodes[i];
	size_t			 k;
	int			 best = -1;

	initplan_users(params, n->subplan, users);
	for (k = 0; k < users->n; k++) {
		int	j = users->v[k].node;

		if (j == i || in_subtree(p, i, j))
			continue;
		(*nusers)++;
		/* A node that never ran never evaluated it. */
		if (p->nodes[j].never_executed)
			continue;
		if (best == -1 || p->nodes[j].depth > p->nodes[best].depth)
			best = j;
	}
	if (*nusers > 1)
		n->amb |= PLAN_AMB_INITPLAN;
	return best;
}

/*
 * Who pays for InitPlan or CTE 'i': the node using it, else its
 * parent.  'users' is scratch space.
 */
static void
charge(struct plan *p, int i, const struct uses *params,
    const struct uses *ctes, struct uses *users)
{
	struct plan_node	*n = &p->nodes[i];
	int			 nusers = 0, best = -1;

	if (n->subplan != NULL && strncmp(n->subplan, "CTE ", 4) == 0)
		best = charge_cte(p, i, ctes, &nusers);
	else if (n->subplan != NULL)
		best = charge_initplan(p, i, params, users, &nusers);
	if (best == -1) {
		best = n->parent;
		if (n->subplan != NULL && strncmp(n->subplan, "CTE ", 4) != 0)
			n->amb |= PLAN_AMB_INITPLAN;
	}
	if (best >= 0 && nusers > 1)
		p->nodes[best].amb |= n->amb &
		    (PLAN_AMB_CTE | PLAN_AMB_INITPLAN);
	n->charged_to = best;
}

static int
is_initplan(const struct plan_node *n)
{
	return n->rel_kind != NULL && strcmp(n->rel_kind, "InitPlan") == 0;
}

static void
times(struct plan *p)
{
	double	*div = xcalloc((size_t)p->nnodes, sizeof *div);
	int	 i, k;

	for (i = 0; i < p->nnodes; i++) {
		struct plan_node *n = &p->nodes[i];

		n->amb = 0;
		n->charged_to = -1;
		div[i] = 1;
		if (n->parent >= 0) {
			struct plan_node *up = &p->nodes[n->parent];

			div[i] = div[n->parent];
			if (is_gather(up) && up->has_workers_launched)
				div[i] = up->workers_launched + 1;
			if (is_gather(up) || (up->amb & PLAN_AMB_PARALLEL))
				n->amb |= PLAN_AMB_PARALLEL;
			/* A Gather's InitPlan runs once, in the leader. */
			if (is_initplan(n) && (is_gather(up) ||
			    !(up->amb & PLAN_AMB_PARALLEL))) {
				div[i] = 1;
				n->amb &= ~(unsigned)PLAN_AMB_PARALLEL;
			}
		}
		n->incl_ms = 0;
		if (n->has_timing && !n->never_executed)
			n->incl_ms = n->act_total * (n->loops > 0 ? n->loops : 1) /
			    div[i];
		n->self_buf = n->buf;
		n->self_cost = n->total_cost;
	}
	free(div);

	/*
	 * EXPLAIN rounds per-loop times to 0.001 ms: over many loops that
	 * is a wide error, and a child can seem to take longer than its
	 * parent.  Mark such nodes, and keep them inside their parent.
	 */
	for (i = 1; i < p->nnodes; i++) {
		struct plan_node	*n = &p->nodes[i];
		struct plan_node	*up = &p->nodes[n->parent];
		double			 err = 0.0005 * n->loops, others = 0, own = 0;

		if (!n->has_timing || n->loops <= 1 || err < 0.01 ||
		    err < 0.05 * n->incl_ms)
			continue;
		n->amb |= PLAN_AMB_ROUNDING;
		if (is_initplan(n) || n->incl_ms <= up->incl_ms)
			continue;
		for (k = 0; k < up->nkids; k++) {
			if (up->kids[k] != i && !is_initplan(&p->nodes[up->kids[k]]))
				others += p->nodes[up->kids[k]].incl_ms;
		}
		for (k = 0; k < n->nkids; k++)
			own += p->nodes[n->kids[k]].incl_ms;
		n->incl_ms = up->incl_ms - others;
		if (n->incl_ms < own)
			n->incl_ms = own;
	}

	/*
	 * InitPlans and CTEs: find who pays, from one index of what every
	 * node mentions (linear in the plan, not InitPlans x nodes).
	 */
	for (k = 0, i = 0; i < p->nnodes; i++)
		k += is_initplan(&p->nodes[i]);
	if (k > 0) {
		struct uses	params, ctes, users = { NULL, 0, 0 };

		uses_build(p, &params, &ctes);
		for (i = 0; i < p->nnodes; i++) {
			if (is_initplan(&p->nodes[i]))
				charge(p, i, &params, &ctes, &users);
		}
		uses_release(&params);
		uses_release(&ctes);
		uses_release(&users);
	}

	for (i = 0; i < p->nnodes; i++) {
		struct plan_node *n = &p->nodes[i];

		n->self_ms = n->incl_ms;
		for (k = 0; k < n->nkids; k++) {
			struct plan_node *c = &p->nodes[n->kids[k]];

			if (!is_initplan(c)) {
				n->self_ms -= c->incl_ms;
				buf_sub(&n->self_buf, &c->buf);
			}
			n->self_cost -= c->total_cost;
		}
	}
	for (i = 0; i < p->nnodes; i++) {
		struct plan_node *n = &p->nodes[i];

		if (n->charged_to >= 0) {
			struct plan_node *u = &p->nodes[n->charged_to];

			u->self_ms -= n->incl_ms;
			buf_sub(&u->self_buf, &n->buf);
		}
	}
	for (i = 0; i < p->nnodes; i++) {
		struct plan_node *n = &p->nodes[i];
		double		  slack = n->incl_ms * 0.01;

		if (slack < 0.01)
			slack = 0.01;
		if (n->self_ms < -slack)
			n->amb |= PLAN_AMB_CLAMPED;
		if (n->self_ms < 0)
			n->self_ms = 0;
		if (n->self_cost < 0)
			n->self_cost = 0;
		buf_clamp(&n->self_buf);
		n->buf_total = buf_sum(&n->buf);
		n->self_buf_total = buf_sum(&n->self_buf);
	}
	if (p->has_jit && p->nnodes > 0) {
		p->amb |= PLAN_AMB_JIT;
		p->nodes[0].amb |= PLAN_AMB_JIT;
	}
}

static void
misestimates(struct plan *p)
{
	int	i;

	for (i = 0; i < p->nnodes; i++) {
		struct plan_node	*n = &p->nodes[i];
		double			 est, act;

		n->misestimate = 1;
		n->underestimate = 0;
		if (!n->has_actual || n->never_executed || !n->has_cost)
			continue;
		est = n->plan_rows < 1 ? 1 : n->plan_rows;
		act = n->act_rows < 1 ? 1 : n->act_rows;
		n->misestimate = est > act ? est / act : act / est;
		n->underestimate = act > est;
	}
}

/* Below a node that may stop its child early (Limit, EXISTS)? */
static int
stops_early(const struct plan *p, int i)
{
	int	up, prev = i;

	for (up = p->nodes[i].parent; up >= 0; prev = up,
	    up = p->nodes[up].parent) {
		const struct plan_node *u = &p->nodes[up];

		if (is_type(u, "Limit"))
			return 1;
		if (u->join_type != NULL && (strcmp(u->join_type, "Semi") == 0 ||
		    strcmp(u->join_type, "Anti") == 0) && u->nkids > 1 &&
		    u->kids[1] == prev)
			return 1;
		if (is_type(u, "Merge Join"))
			return 1;
	}
	return 0;
}

static void
warn(struct plan *p, enum plan_warning_kind k, int node, double impact,
    char *text, char *hint)
{
	struct plan_warning *w;

	p->warnings = xrealloc(p->warnings, (size_t)(p->nwarnings + 1) *
	    sizeof *p->warnings);
	w = &p->warnings[p->nwarnings++];
	w->kind = k;
	w->node = node;
	w->impact_ms = impact;
	w->text = text;
	w->hint = hint;
}

static int
by_impact(const void *a, const void *b)
{
	const struct plan_warning *x = a, *y = b;

	if (x->impact_ms != y->impact_ms)
		return x->impact_ms > y->impact_ms ? -1 : 1;
	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	return x->node - y->node;
}

static int
by_self(const void *a, const void *b, void *arg)
{
	const struct plan *p = arg;
	double x = p->nodes[*(const int *)a].self_ms;
	double y = p->nodes[*(const int *)b].self_ms;

	if (x != y)
		return x > y ? -1 : 1;
	return *(const int *)a - *(const int *)b;
}

static void
warnings(struct plan *p)
{
	int	i, *order, top;
	char	title[256], c1[32], c2[32];

	for (i = 0; i < p->nwarnings; i++) {
		free(p->warnings[i].text);
		free(p->warnings[i].hint);
	}
	free(p->warnings);
	p->warnings = NULL;
	p->nwarnings = 0;

	/* The slowest nodes: up to three with 10 % or more of the time. */
	if (p->total_ms > 0) {
		order = xmalloc((size_t)p->nnodes * sizeof *order);
		for (i = 0; i < p->nnodes; i++)
			order[i] = i;
		qsort_r(order, (size_t)p->nnodes, sizeof *order, by_self, p);
		for (top = 0; top < 3 && top < p->nnodes; top++) {
			struct plan_node *n = &p->nodes[order[top]];
			double share = n->self_ms / p->total_ms;

			if (share < 0.10)
				break;
			plan_node_title(n, title, sizeof title);
			warn(p, PLAN_W_SLOW, order[top], n->self_ms,
			    xstrfmt("%.0f%% of the time in %s (%.3f ms self)",
			    share * 100, title, n->self_ms),
			    xstrdup(is_type(n, "Seq Scan") ?
			    "most time reading the table: an index on the "
			    "filter columns, or fewer rows asked for" :
			    "look at this node first"));
		}
		free(order);
	}

	for (i = 0; i < p->nnodes; i++) {
		struct plan_node	*n = &p->nodes[i];
		double			 all_rows;

		plan_node_title(n, title, sizeof title);
		if (!n->has_actual || n->never_executed)
			continue;
		all_rows = n->act_rows * (n->loops > 0 ? n->loops : 1);

		if (n->misestimate > 10 &&
		    (n->plan_rows >= 100 || n->act_rows >= 100) &&
		    (n->underestimate || !stops_early(p, i))) {
			fmt_count(c1, sizeof c1, n->plan_rows);
			fmt_count(c2, sizeof c2, n->act_rows);
			warn(p, PLAN_W_MISESTIMATE, i, n->incl_ms,
			    xstrfmt("rows %s by %.0fx in %s: estimated %s, "
			    "actual %s", n->underestimate ? "underestimated" :
			    "overestimated", n->misestimate, title, c1, c2),
			    xstrdup("ANALYZE the table; for correlated columns "
			    "CREATE STATISTICS (dependencies, ndistinct, mcv)"));
		}
		if ((n->sort_space_type != NULL &&
		    strcmp(n->sort_space_type, "Disk") == 0) ||
		    (n->sort_method != NULL &&
		    strstr(n->sort_method, "external") != NULL)) {
			warn(p, PLAN_W_DISK_SORT, i, n->self_ms,
			    xstrfmt("%s spilled to disk (%s, %.0f kB)", title,
			    n->sort_method != NULL ? n->sort_method : "?",
			    n->sort_space_kb),
			    xstrfmt("raise work_mem above %.0f kB for this "
			    "query (SET LOCAL), or an index that returns the "
			    "rows in order", n->sort_space_kb * 2 > 64 ?
			    n->sort_space_kb * 2 : 64));
		}
		if (n->hash_batches > 1) {
			warn(p, PLAN_W_HASH_BATCHES, i, n->incl_ms,
			    xstrfmt("%s in %.0f batches (planned %.0f): the "
			    "hash table did not fit in memory", title,
			    n->hash_batches, n->hash_batches_orig),
			    xstrfmt("raise work_mem (or hash_mem_multiplier) "
			    "above %.0f kB", n->peak_memory_kb * n->hash_batches));
		}
		if (n->hashagg_batches > 1 || n->disk_usage_kb > 0) {
			warn(p, PLAN_W_HASHAGG_SPILL, i, n->self_ms,
			    xstrfmt("%s spilled to disk (%.0f batches, %.0f kB)",
			    title, n->hashagg_batches, n->disk_usage_kb),
			    xstrdup("raise work_mem or hash_mem_multiplier for "
			    "this query"));
		}
		if (n->rows_removed_filter > 10 * (n->act_rows + 1) &&
		    n->rows_removed_filter * (n->loops > 0 ? n->loops : 1) >= 10000) {
			double	removed = n->rows_removed_filter;

			fmt_count(c1, sizeof c1, removed * (n->loops > 0 ?
			    n->loops : 1));
			warn(p, PLAN_W_FILTER, i, n->self_ms,
			    xstrfmt("%s threw away %.1f%% of the rows it read "
			    "(%s removed by filter)", title, 100 * removed /
			    (removed + n->act_rows), c1),
			    xstrdup("an index matching the filter, or a partial "
			    "index"));
		}
		if (n->rows_removed_recheck > 10 * (n->act_rows + 1) &&
		    n->rows_removed_recheck >= 1000) {
			fmt_count(c1, sizeof c1, n->rows_removed_recheck);
			warn(p, PLAN_W_RECHECK, i, n->self_ms,
			    xstrfmt("%s rechecked and removed %s rows", title,
			    c1), xstrdup("a lossy bitmap or a lossy index "
			    "(GiST, BRIN): more work_mem, or a more selective "
			    "index"));
		}
		if (n->lossy_blocks > 0) {
			warn(p, PLAN_W_LOSSY, i, n->self_ms,
			    xstrfmt("%s went lossy: %.0f of %.0f heap blocks "
			    "checked row by row", title, n->lossy_blocks,
			    n->lossy_blocks + n->exact_blocks),
			    xstrdup("the bitmap did not fit in work_mem: raise "
			    "it for this query"));
		}
		if (is_type(n, "Index Only Scan") && n->heap_fetches >= 100 &&
		    n->heap_fetches > 0.1 * all_rows) {
			fmt_count(c1, sizeof c1, n->heap_fetches);
			warn(p, PLAN_W_HEAP_FETCHES, i, n->self_ms,
			    xstrfmt("%s went to the heap %s times: the "
			    "visibility map is not set", title, c1),
			    xstrdup("VACUUM the table (and tune autovacuum "
			    "for it) so index-only scans stay index-only"));
		}
		if (is_type(n, "Nested Loop") && n->nkids > 1) {
			struct plan_node *in = &p->nodes[n->kids[1]];

			if (in->loops >= 1000 && in->incl_ms >= 0.1 * p->total_ms) {
				fmt_count(c1, sizeof c1, in->loops);
				warn(p, PLAN_W_LOOPS, i, in->incl_ms,
				    xstrfmt("%s ran its inner side %s times "
				    "(%.3f ms)", title, c1, in->incl_ms),
				    xstrdup("if the outer row count is "
				    "underestimated, fix the estimate; else an "
				    "index for the inner side or a hash join"));
			}
		}
		if (n->has_workers_launched &&
		    n->workers_launched < n->workers_planned) {
			warn(p, PLAN_W_WORKERS, i, n->incl_ms / 2,
			    xstrfmt("%s launched %.0f of %.0f planned workers",
			    title, n->workers_launched, n->workers_planned),
			    xstrdup("max_parallel_workers or max_worker_processes "
			    "ran out: other queries held them"));
		}
		if (n->self_buf.temp_written > 0 && n->sort_space_type == NULL &&
		    n->hash_batches <= 1 && n->hashagg_batches <= 1 &&
		    n->disk_usage_kb == 0 && !is_type(n, "Hash Join")) {
			fmt_count(c1, sizeof c1, n->self_buf.temp_written);
			warn(p, PLAN_W_TEMP, i, n->self_ms,
			    xstrfmt("%s wrote %s temp blocks", title, c1),
			    xstrdup("work_mem too small for this node"));
		}
	}
	if (p->nwarnings > 1)
		qsort(p->warnings, (size_t)p->nwarnings, sizeof *p->warnings,
		    by_impact);
}

void
plan_analyze(struct plan *p)
{
	int	i;

	if (p->nnodes == 0)
		return;
	p->amb = 0;
	times(p);
	misestimates(p);
	p->total_ms = p->has_execution && p->execution_ms > 0 ?
	    p->execution_ms : p->nodes[0].incl_ms;
	p->max_self_ms = p->max_rows = p->max_cost = p->max_buf = 0;
	for (i = 0; i < p->nnodes; i++) {
		struct plan_node	*n = &p->nodes[i];
		double			 rows = n->has_actual ?
		    n->act_rows * (n->loops > 0 ? n->loops : 1) : n->plan_rows;

		if (n->self_ms > p->max_self_ms)
			p->max_self_ms = n->self_ms;
		if (rows > p->max_rows)
			p->max_rows = rows;
		if (n->self_cost > p->max_cost)
			p->max_cost = n->self_cost;
		if (n->self_buf_total > p->max_buf)
			p->max_buf = n->self_buf_total;
		p->amb |= n->amb;
		p->has_timing |= n->has_timing;
		p->has_buffers |= n->has_buffers;
	}
	warnings(p);
}

const char *
plan_warning_name(enum plan_warning_kind k)
{
	static const char *const names[] = {
		"slow", "misestimate", "disk sort", "hash batches",
		"hashagg spill", "filter", "recheck", "lossy bitmap",
		"heap fetches", "loops", "workers", "temp",
	};

	if ((size_t)k < sizeof names / sizeof names[0])
		return names[k];
	return "?";
}
