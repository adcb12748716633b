/*
 * diff.c - match the nodes of two plans and list what changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/strbuf.h"
#include "../core/util.h"
#include "diff.h"

#include "../core/banned.h"

struct dctx {
	struct plan_diff	*d;
	size_t			 alloc;
};

/* What a node works on: its relation, index, CTE, alias or subplan. */
static const char *
node_key(const struct plan_node *n)
{
	if (n->relation != NULL)
		return n->relation;
	if (n->cte != NULL)
		return n->cte;
	if (n->index != NULL)
		return n->index;
	if (n->subplan != NULL)
		return n->subplan;
	if (n->alias != NULL)
		return n->alias;
	return NULL;
}

static int
same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static double
rows_of(const struct plan_node *n)
{
	if (n->has_actual)
		return n->act_rows * (n->loops > 0 ? n->loops : 1);
	return n->plan_rows;
}

/* strcmp() that orders NULL first. */
static int
str_cmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/*
 * What children are paired on, pass by pass: the same node on the same
 * thing in the same role, then the same thing in the same role, then
 * the same thing (or nothing named), then anything by position.
 */
enum pair_on { PAIR_SAME, PAIR_THING_ROLE, PAIR_THING, PAIR_ANY };

struct pair_key {
	const char	*label, *thing, *role;
};

static struct pair_key
pair_key(const struct plan_node *n, enum pair_on on)
{
	struct pair_key	k = { NULL, NULL, NULL };

	if (on == PAIR_SAME)
		k.label = n->label;
	if (on != PAIR_ANY)
		k.thing = node_key(n);
	if (on == PAIR_SAME || on == PAIR_THING_ROLE)
		k.role = n->rel_kind;
	return k;
}

static int
pair_key_cmp(const struct pair_key *x, const struct pair_key *y)
{
	int	c;

	if ((c = str_cmp(x->label, y->label)) != 0 ||
	    (c = str_cmp(x->thing, y->thing)) != 0)
		return c;
	return str_cmp(x->role, y->role);
}

/*
 * The old node's children sorted by a pass's key, then by position:
 * the candidates for a new child are one run, found by binary search,
 * tried in order from a cursor that only moves on.  Matching N
 * children is then N log N, not N x N.
 */
struct kid_index {
	struct pair_key	*key;	/* key[i]: of up->kids[i]; NULL: not built */
	int		*pos;	/* positions in up->kids, sorted */
	int		*cur;	/* cur[run start]: next to try */
	int		 n;
};

static int
kid_cmp(const void *a, const void *b, void *arg)
{
	const struct pair_key	*key = arg;
	int			 i = *(const int *)a, j = *(const int *)b;
	int			 c = pair_key_cmp(&key[i], &key[j]);

	return c != 0 ? c : i - j;
}

static void
kid_index_build(struct kid_index *x, const struct plan *p,
    const struct plan_node *up, enum pair_on on)
{
	int	i;

	x->n = up->nkids;
	x->key = xmalloc(((size_t)x->n + 1) * sizeof *x->key);
	x->pos = xmalloc(((size_t)x->n + 1) * sizeof *x->pos);
	x->cur = xmalloc(((size_t)x->n + 1) * sizeof *x->cur);
	for (i = 0; i < x->n; i++) {
		x->key[i] = pair_key(&p->nodes[up->kids[i]], on);
		x->pos[i] = i;
	}
	qsort_r(x->pos, (size_t)x->n, sizeof *x->pos, kid_cmp, x->key);
	for (i = 0; i <= x->n; i++)
		x->cur[i] = i;
}

static void
kid_index_release(struct kid_index *x)
{
	free(x->key);
	free(x->pos);
	free(x->cur);
}

/* First index in x->pos whose key is not below ('upper': above) 'k'. */
static int
kid_bound(const struct kid_index *x, const struct pair_key *k, int upper)
{
	int	lo = 0, hi = x->n;

	while (lo < hi) {
		int	mid = lo + (hi - lo) / 2;
		int	c = pair_key_cmp(&x->key[x->pos[mid]], k);

		if (c < 0 || (upper && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The first old child with key 'k' not paired yet, by position, or -1. */
static int
kid_first(struct kid_index *x, const struct pair_key *k, const int *a_used)
{
	int	lo = kid_bound(x, k, 0), hi = kid_bound(x, k, 1);

	while (x->cur[lo] < hi && a_used[x->pos[x->cur[lo]]])
		x->cur[lo]++;
	return x->cur[lo] < hi ? x->pos[x->cur[lo]] : -1;
}

/* The old node's children, indexed for each pass as it needs them. */
struct kids {
	const struct plan	*p;
	const struct plan_node	*up;
	struct kid_index	 idx[PAIR_ANY + 1];
};

static struct kid_index *
kids_index(struct kids *k, enum pair_on on)
{
	if (k->idx[on].key == NULL)
		kid_index_build(&k->idx[on], k->p, k->up, on);
	return &k->idx[on];
}

/*
 * The old child that 'pass' pairs with new child 'kb', or -1.  Pass 2
 * takes what names nothing or the same thing, whichever comes first.
 */
static int
pair_for(struct kids *kids, int pass, const struct plan_node *kb,
    const int *a_used)
{
	struct pair_key	k = pair_key(kb, (enum pair_on)pass), none = k;
	int		i, j;

	switch (pass) {
	case 0:
		return kid_first(kids_index(kids, PAIR_SAME), &k, a_used);
	case 1:
		if (k.thing == NULL)
			return -1;
		return kid_first(kids_index(kids, PAIR_THING_ROLE), &k, a_used);
	default:
		if (k.thing == NULL)
			return kid_first(kids_index(kids, PAIR_ANY), &none,
			    a_used);
		none.thing = NULL;
		i = kid_first(kids_index(kids, PAIR_THING), &none, a_used);
		j = kid_first(kids_index(kids, PAIR_THING), &k, a_used);
		if (i == -1 || (j != -1 && j < i))
			return j;
		return i;
	}
}

static struct plan_diff_row *
add_row(struct dctx *c, enum plan_diff_kind kind, int a, int b, int depth)
{
	struct plan_diff	*d = c->d;
	struct plan_diff_row	*r;

	xgrow((void **)&d->rows, &c->alloc, (size_t)d->nrows + 1,
	    sizeof *d->rows);
	r = &d->rows[d->nrows++];
	memset(r, 0, sizeof *r);
	r->kind = kind;
	r->a = a;
	r->b = b;
	r->depth = depth;
	return r;
}

/* A whole subtree that only one side has. */
static void
add_subtree(struct dctx *c, const struct plan *p, int i, int gone,
    int depth)
{
	const struct plan_node	*n = &p->nodes[i];
	struct plan_diff_row	*r;
	int			 row = c->d->nrows, k;

	r = add_row(c, gone ? PLAN_DIFF_GONE : PLAN_DIFF_ADDED, gone ? i : -1,
	    gone ? -1 : i, depth);
	r->d_self_ms = gone ? -n->self_ms : n->self_ms;
	r->d_incl_ms = gone ? -n->incl_ms : n->incl_ms;
	r->d_rows = gone ? -rows_of(n) : rows_of(n);
	r->d_buf = gone ? -n->buf_total : n->buf_total;
	if (gone)
		c->d->ngone++;
	else
		c->d->nadded++;
	for (k = 0; k < n->nkids; k++)
		add_subtree(c, p, n->kids[k], gone, depth + 1);
	c->d->rows[row].nsub = c->d->nrows - row - 1;
}

static void
match(struct dctx *c, int ia, int ib, int depth)
{
	const struct plan	*pa = c->d->a, *pb = c->d->b;
	const struct plan_node	*a = &pa->nodes[ia], *b = &pb->nodes[ib];
	struct plan_diff_row	*r;
	int			 row = c->d->nrows, i, j, pass, next_a;
	int			*pair_of_b;
	int			*a_used;

	r = add_row(c, same_str(a->label, b->label) ? PLAN_DIFF_SAME :
	    PLAN_DIFF_CHANGED, ia, ib, depth);
	r->d_self_ms = b->self_ms - a->self_ms;
	r->d_incl_ms = b->incl_ms - a->incl_ms;
	r->d_rows = rows_of(b) - rows_of(a);
	r->d_buf = b->buf_total - a->buf_total;
	if (r->kind == PLAN_DIFF_CHANGED)
		c->d->nchanged++;

	pair_of_b = xmalloc(((size_t)b->nkids + 1) * sizeof *pair_of_b);
	a_used = xcalloc((size_t)a->nkids + 1, sizeof *a_used);
	for (j = 0; j < b->nkids; j++)
		pair_of_b[j] = -1;
	/*
	 * Pass 0: same node on the same thing.  Pass 1: the same thing
	 * (relation, CTE, subplan), another method.  Pass 2: what is left,
	 * by position, unless both name different things.  In each pass
	 * a new child takes the first old one left that fits.
	 */
	if (a->nkids > 0 && b->nkids > 0) {
		struct kids	kids;

		memset(&kids, 0, sizeof kids);
		kids.p = pa;
		kids.up = a;
		for (pass = 0; pass < 3; pass++) {
			for (j = 0; j < b->nkids; j++) {
				if (pair_of_b[j] != -1)
					continue;
				i = pair_for(&kids, pass,
				    &pb->nodes[b->kids[j]], a_used);
				if (i == -1)
					continue;
				pair_of_b[j] = i;
				a_used[i] = 1;
			}
		}
		for (i = 0; i <= PAIR_ANY; i++)
			kid_index_release(&kids.idx[i]);
	}

	/* New plan's order; what has gone shows where it used to be. */
	next_a = 0;
	for (j = 0; j < b->nkids; j++) {
		if (pair_of_b[j] == -1) {
			add_subtree(c, pb, b->kids[j], 0, depth + 1);
			continue;
		}
		for (; next_a < pair_of_b[j]; next_a++) {
			if (!a_used[next_a])
				add_subtree(c, pa, a->kids[next_a], 1, depth + 1);
		}
		match(c, a->kids[pair_of_b[j]], b->kids[j], depth + 1);
	}
	for (; next_a < a->nkids; next_a++) {
		if (!a_used[next_a])
			add_subtree(c, pa, a->kids[next_a], 1, depth + 1);
	}
	/* Those matched out of order are already done above. */
	free(pair_of_b);
	free(a_used);
	c->d->rows[row].nsub = c->d->nrows - row - 1;
}

struct plan_diff *
plan_diff_new(const struct plan *a, const struct plan *b)
{
	struct plan_diff	*d = xcalloc(1, sizeof *d);
	struct dctx		 c = { d, 0 };

	d->a = a;
	d->b = b;
	if (a->nnodes > 0 && b->nnodes > 0)
		match(&c, 0, 0, 0);
	return d;
}

void
plan_diff_free(struct plan_diff *d)
{
	if (d == NULL)
		return;
	free(d->rows);
	free(d);
}

const char *
plan_diff_kind_name(enum plan_diff_kind k)
{
	switch (k) {
	case PLAN_DIFF_SAME:	return "same";
	case PLAN_DIFF_CHANGED:	return "changed";
	case PLAN_DIFF_ADDED:	return "added";
	case PLAN_DIFF_GONE:	return "gone";
	}
	return "?";
}

void
plan_diff_print(const struct plan_diff *d, const char *aname,
    const char *bname, struct strbuf *out)
{
	char	ta[512], tb[512], ra[32], rb[32];
	int	i, k;

	strbuf_addf(out, "old: %s: %d nodes", aname, d->a->nnodes);
	if (d->a->has_execution)
		strbuf_addf(out, ", execution %.3f ms", d->a->execution_ms);
	strbuf_addf(out, "\nnew: %s: %d nodes", bname, d->b->nnodes);
	if (d->b->has_execution)
		strbuf_addf(out, ", execution %.3f ms", d->b->execution_ms);
	strbuf_addf(out, "\n%d changed, %d added, %d gone\n\n", d->nchanged,
	    d->nadded, d->ngone);
	strbuf_addstr(out, "   old self    new self     delta   "
	    "rows old    rows new   buffers +/-  node\n");
	for (i = 0; i < d->nrows; i++) {
		const struct plan_diff_row	*r = &d->rows[i];
		const struct plan_node		*a = r->a >= 0 ?
		    &d->a->nodes[r->a] : NULL;
		const struct plan_node		*b = r->b >= 0 ?
		    &d->b->nodes[r->b] : NULL;
		char				 mark;

		mark = r->kind == PLAN_DIFF_SAME ? ' ' :
		    r->kind == PLAN_DIFF_CHANGED ? '~' :
		    r->kind == PLAN_DIFF_ADDED ? '+' : '-';
		fmt_count(ra, sizeof ra, a != NULL ? rows_of(a) : 0);
		fmt_count(rb, sizeof rb, b != NULL ? rows_of(b) : 0);
		if (a != NULL)
			strbuf_addf(out, "%c%10.3f", mark, a->self_ms);
		else
			strbuf_addf(out, "%c%10s", mark, "");
		if (b != NULL)
			strbuf_addf(out, " %11.3f", b->self_ms);
		else
			strbuf_addf(out, " %11s", "");
		strbuf_addf(out, " %+9.3f %10s  %10s %+13.0f  ", r->d_self_ms,
		    a != NULL ? ra : "", b != NULL ? rb : "", r->d_buf);
		for (k = 0; k < r->depth; k++)
			strbuf_addstr(out, "  ");
		if (r->depth > 0)
			strbuf_addstr(out, "-> ");
		if (r->kind == PLAN_DIFF_CHANGED)
			strbuf_addf(out, "%s  =>  %s\n",
			    plan_node_title(a, ta, sizeof ta),
			    plan_node_title(b, tb, sizeof tb));
		else
			strbuf_addf(out, "%s\n", plan_node_title(a != NULL ?
			    a : b, ta, sizeof ta));
	}
}
