/*
 * test_erd.c - the ERD engine: graph queries, the layout's invariants on
 * hand-made and random graphs, rendering against goldens, exports.
 *
 * Regenerate the goldens in tests/unit/erd_goldens/ with UPDATE_GOLDEN=1
 * and review the diff like code.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/util.h"
#include "erd/erd.h"

#define GOLDEN_DIR PGDECK_SOURCE_DIR "/tests/unit/erd_goldens/"

/* ------------------------------------------------------------- helpers */

static uint64_t rng_state;

static unsigned
rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return n ? (unsigned)((rng_state >> 33) % n) : 0;
}

/*
 * A random schema of 'n' tables: an id PK in most, a few other columns,
 * about 'fk_per_table' FKs per table towards earlier tables (hubs more
 * likely), plus back edges (cycles), self-references, parallel and
 * composite FKs and tables with no FK at all.
 */
static struct erd_graph *
random_graph(unsigned seed, int n, double fk_per_table)
{
	struct erd_graph *g = erd_graph_new();
	int	i, j, nfk;
	char	name[32];

	rng_state = seed * 2654435761ULL + 1;
	for (i = 0; i < n; i++) {
		int	nc = 1 + (int)rnd(6), k;

		snprintf(name, sizeof(name), "t%d", i);
		k = erd_add_node(g, rnd(4) ? "public" : "audit", name,
		    rnd(3) ? NULL : "12 MB", rnd(10) ? 0 : ERD_NODE_NO_PK);
		erd_add_col(g, k, "id", "bigint",
		    (g->nodes[k].flags & ERD_NODE_NO_PK) ? 0 : ERD_COL_PK);
		for (j = 1; j < nc; j++) {
			snprintf(name, sizeof(name), "c%d", j);
			erd_add_col(g, k, name, rnd(2) ? "text" : "integer",
			    rnd(5) ? 0 : ERD_COL_UNIQUE);
		}
	}
	nfk = (int)(n * fk_per_table);
	for (i = 0; i < nfk && n > 1; i++) {
		int	from = (int)rnd((unsigned)n), to, fc[2], tc[2], nc = 1;
		unsigned kind = rnd(20);

		if (kind == 0)
			to = from;			/* self-reference */
		else if (rnd(3) == 0)
			to = (int)rnd((unsigned)(n < 8 ? n : 8));	/* hub */
		else
			to = (int)rnd((unsigned)n);
		snprintf(name, sizeof(name), "fk%d", i);
		erd_add_col(g, from, name, "bigint", ERD_COL_FK);
		fc[0] = g->nodes[from].ncols - 1;
		tc[0] = 0;
		if (kind == 1 && g->nodes[to].ncols > 1) {
			/* Composite. */
			snprintf(name, sizeof(name), "fk%db", i);
			erd_add_col(g, from, name, "int", ERD_COL_FK);
			fc[1] = g->nodes[from].ncols - 1;
			tc[1] = 1;
			nc = 2;
		}
		erd_add_edge(g, from, to, name, fc, tc, nc,
		    rnd(4) ? ERD_CARD_MANY : ERD_CARD_ZERO_ONE,
		    rnd(5) ? ERD_CARD_ONE : ERD_CARD_ZERO_ONE,
		    (rnd(8) ? 0 : ERD_EDGE_NOT_VALID) |
		    (rnd(6) ? 0 : ERD_EDGE_UNINDEXED));
		if (kind == 2)			/* parallel, same columns */
			erd_add_edge(g, from, to, "dup", fc, tc, nc,
			    ERD_CARD_MANY, ERD_CARD_ONE, 0);
	}
	return g;
}

/* On the left or right border of 'b', not on a corner. */
static int
on_side(const struct erd_box *b, int row, int col)
{
	return row > b->row && row < b->row + b->rows - 1 &&
	    (col == b->col || col == b->col + b->cols - 1);
}

/* Crossings counted the slow way: every horizontal against every vertical. */
static int
brute_crossings(const struct erd_layout *l)
{
	int	i, j, a, b, n = 0;

	for (i = 0; i < l->nroutes; i++)
		for (a = 0; a + 1 < l->routes[i].npts; a++) {
			struct erd_point p = l->routes[i].pts[a];
			struct erd_point q = l->routes[i].pts[a + 1];
			int	c1, c2;

			if (p.row != q.row)
				continue;
			c1 = p.col < q.col ? p.col : q.col;
			c2 = p.col < q.col ? q.col : p.col;
			for (j = 0; j < l->nroutes; j++) {
				if (l->routes[j].edge == l->routes[i].edge)
					continue;
				for (b = 0; b + 1 < l->routes[j].npts; b++) {
					struct erd_point s = l->routes[j].pts[b];
					struct erd_point t =
					    l->routes[j].pts[b + 1];
					int	r1, r2;

					if (s.col != t.col)
						continue;
					r1 = s.row < t.row ? s.row : t.row;
					r2 = s.row < t.row ? t.row : s.row;
					if (c1 < s.col && s.col < c2 &&
					    r1 < p.row && p.row < r2)
						n++;
				}
			}
		}
	return n;
}

/*
 * Every invariant the layout promises.  Returns a message for the first
 * breach (static), or NULL.
 */
static const char *
layout_breach(const struct erd_graph *g, const struct erd_layout *l)
{
	static char	 msg[256];
	int		*owner, i, j, k;
	size_t		 cells;

	if (l->nboxes != g->nnodes || l->nroutes != g->nedges)
		return "counts";
	cells = (size_t)l->rows * (size_t)l->cols;
	owner = malloc((cells + 1) * sizeof(int));
	for (i = 0; i < (int)cells; i++)
		owner[i] = -1;
	for (i = 0; i < l->nboxes; i++) {
		const struct erd_box *b = &l->boxes[i];
		int	r, c;

		if (b->node != i || b->rows < 3 || b->cols < 3 || b->row < 0 ||
		    b->col < 0 || b->row + b->rows > l->rows ||
		    b->col + b->cols > l->cols) {
			snprintf(msg, sizeof(msg), "box %d out of canvas", i);
			goto fail;
		}
		/* Boxes neither overlap nor touch: a blank ring around each. */
		for (r = b->row - 1; r <= b->row + b->rows; r++)
			for (c = b->col - 1; c <= b->col + b->cols; c++) {
				if (r < 0 || c < 0 || r >= l->rows ||
				    c >= l->cols)
					continue;
				if (owner[(size_t)r * l->cols + c] >= 0) {
					snprintf(msg, sizeof(msg),
					    "boxes %d and %d overlap or touch",
					    owner[(size_t)r * l->cols + c], i);
					goto fail;
				}
			}
		for (r = b->row; r < b->row + b->rows; r++)
			for (c = b->col; c < b->col + b->cols; c++)
				owner[(size_t)r * l->cols + c] = i;
	}
	for (i = 0; i < l->nroutes; i++) {
		const struct erd_route *rt = &l->routes[i];
		const struct erd_edge *e;
		const struct erd_box *from, *to;

		if (rt->edge != i || rt->npts < 2) {
			snprintf(msg, sizeof(msg), "route %d empty", i);
			goto fail;
		}
		e = &g->edges[rt->edge];
		from = &l->boxes[e->from];
		to = &l->boxes[e->to];
		if (!on_side(from, rt->pts[0].row, rt->pts[0].col) ||
		    !on_side(to, rt->pts[rt->npts - 1].row,
		    rt->pts[rt->npts - 1].col)) {
			snprintf(msg, sizeof(msg),
			    "route %d does not end on its boxes' sides", i);
			goto fail;
		}
		for (j = 0; j + 1 < rt->npts; j++) {
			struct erd_point p = rt->pts[j], q = rt->pts[j + 1];
			int	dr = (q.row > p.row) - (q.row < p.row);
			int	dc = (q.col > p.col) - (q.col < p.col);
			int	r = p.row, c = p.col;

			if ((dr != 0) == (dc != 0)) {
				snprintf(msg, sizeof(msg),
				    "route %d step %d not orthogonal", i, j);
				goto fail;
			}
			if (j + 2 < rt->npts) {
				struct erd_point s = rt->pts[j + 2];

				if ((p.row == q.row && q.row == s.row) ||
				    (p.col == q.col && q.col == s.col)) {
					snprintf(msg, sizeof(msg),
					    "route %d: three points in line", i);
					goto fail;
				}
			}
			for (k = 0;; k++) {
				int	first = j == 0 && k == 0;
				int	last = j + 2 == rt->npts &&
				    r == q.row && c == q.col;

				if (r < 0 || c < 0 || r >= l->rows ||
				    c >= l->cols) {
					snprintf(msg, sizeof(msg),
					    "route %d leaves the canvas", i);
					goto fail;
				}
				if (!first && !last &&
				    owner[(size_t)r * l->cols + c] >= 0) {
					snprintf(msg, sizeof(msg),
					    "route %d (%s) enters box %d at "
					    "%d,%d", i, e->name,
					    owner[(size_t)r * l->cols + c], r,
					    c);
					goto fail;
				}
				if (r == q.row && c == q.col)
					break;
				r += dr;
				c += dc;
			}
		}
	}
	free(owner);
	if (l->crossings != brute_crossings(l))
		return "crossings miscounted";
	return NULL;
fail:
	free(owner);
	return msg;
}

static void
assert_layout_ok(const struct erd_graph *g, const struct erd_layout *l)
{
	const char	*m = layout_breach(g, l);

	if (m)
		fail_msg("%s", m);
}

/*
 * The small diagram of the goldens: a self-reference, a composite FK, a
 * NOT VALID edge, an unindexed FK, a table without a primary key.
 */
static struct erd_graph *
small_graph(void)
{
	struct erd_graph *g = erd_graph_new();
	int	u, o, li, p, s;
	int	c2[] = { 2 }, c0[] = { 0 }, c01[] = { 0, 1 }, c1[] = { 1 };

	u = erd_add_node(g, "public", "users", "1.2 GB", 0);
	erd_add_col(g, u, "id", "bigint", ERD_COL_PK | ERD_COL_NOTNULL);
	erd_add_col(g, u, "email", "text", ERD_COL_UNIQUE);
	erd_add_col(g, u, "manager_id", "bigint", ERD_COL_FK);
	erd_add_col(g, u, "bio", "text", 0);
	o = erd_add_node(g, "shop", "orders", NULL, 0);
	erd_add_col(g, o, "id", "bigint", ERD_COL_PK);
	erd_add_col(g, o, "user_id", "bigint", ERD_COL_FK);
	erd_add_col(g, o, "note", "text", 0);
	li = erd_add_node(g, "shop", "order_lines", NULL, ERD_NODE_NO_PK);
	erd_add_col(g, li, "order_id", "bigint", ERD_COL_FK);
	erd_add_col(g, li, "line_no", "int", ERD_COL_UNIQUE);
	erd_add_col(g, li, "product_id", "int", ERD_COL_FK);
	p = erd_add_node(g, "shop", "products", NULL, 0);
	erd_add_col(g, p, "id", "int", ERD_COL_PK);
	s = erd_add_node(g, "shop", "shipments", "8 kB", 0);
	erd_add_col(g, s, "order_id", "bigint", ERD_COL_PK | ERD_COL_FK);
	erd_add_col(g, s, "line_no", "int", ERD_COL_PK | ERD_COL_FK);
	erd_add_edge(g, u, u, "users_manager_fkey", c2, c0, 1, ERD_CARD_MANY,
	    ERD_CARD_ZERO_ONE, 0);
	erd_add_edge(g, o, u, "orders_user_fkey", c1, c0, 1, ERD_CARD_MANY,
	    ERD_CARD_ONE, ERD_EDGE_UNINDEXED);
	erd_add_edge(g, li, o, "lines_order_fkey", c0, c0, 1, ERD_CARD_MANY,
	    ERD_CARD_ONE, 0);
	erd_add_edge(g, li, p, "lines_product_fkey", c2, c0, 1,
	    ERD_CARD_MANY, ERD_CARD_ONE, ERD_EDGE_NOT_VALID);
	erd_add_edge(g, s, li, "ship_line_fkey", c01, c01, 2,
	    ERD_CARD_ZERO_ONE, ERD_CARD_ONE, 0);
	return g;
}

static char *
canvas_text(const struct erd_canvas *c)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(erd_export_text(c, f), 0);
	fclose(f);
	return buf;
}

static char *
slurp(const char *path)
{
	FILE	*f = fopen(path, "rb");
	char	*buf;
	long	 n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		n = 0;
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void
check_golden(const char *name, const char *got)
{
	char	 path[512];
	char	*want;

	snprintf(path, sizeof(path), GOLDEN_DIR "%s", name);
	if (getenv("UPDATE_GOLDEN")) {
		FILE	*f = fopen(path, "wb");

		assert_non_null(f);
		fputs(got, f);
		fclose(f);
		return;
	}
	want = slurp(path);
	if (!want)
		fail_msg("no golden %s (UPDATE_GOLDEN=1 writes it)", path);
	if (strcmp(want, got) != 0) {
		char	 act[600];
		FILE	*f;

		snprintf(act, sizeof(act), "%s.actual", path);
		if ((f = fopen(act, "wb"))) {
			fputs(got, f);
			fclose(f);
		}
		print_error("golden %s differs; got:\n%s\n", name, got);
		free(want);
		fail_msg("golden %s differs (see %s)", name, act);
	}
	free(want);
}

/* Is 'prog' on PATH? */
static int
have(const char *prog)
{
	char	 cmd[256];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", prog);
	return system(cmd) == 0;
}

/* ---------------------------------------------------------------- graph */

static void
test_graph_build_find(void **state)
{
	struct erd_graph *g = erd_graph_new();
	int	i, k;
	char	name[16];

	(void)state;
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "t%d", i);
		k = erd_add_node(g, i % 2 ? "a" : "b", name, NULL, 0);
		assert_int_equal(k, i);
		erd_add_col(g, k, "id", NULL, ERD_COL_PK);
	}
	for (i = 1; i < 100; i++)
		assert_int_equal(erd_add_edge(g, i, i - 1, "fk", NULL, NULL, 0,
		    ERD_CARD_MANY, ERD_CARD_ONE, 0), i - 1);
	assert_int_equal(g->nnodes, 100);
	assert_int_equal(g->nedges, 99);
	assert_int_equal(erd_find(g, "a", "t7"), 7);
	assert_int_equal(erd_find(g, "b", "t7"), -1);
	assert_int_equal(erd_find(g, NULL, "t8"), 8);
	assert_int_equal(erd_find(g, NULL, "nope"), -1);
	assert_string_equal(g->nodes[3].cols[0].type, "");
	erd_graph_free(g);
	erd_graph_free(NULL);
}

/* a - b - c - d - e, plus f -> c and an island g. */
static struct erd_graph *
chain_graph(void)
{
	struct erd_graph *g = erd_graph_new();
	const char *names[] = { "a", "b", "c", "d", "e", "f", "g" };
	int	i;

	for (i = 0; i < 7; i++) {
		erd_add_node(g, "public", names[i], NULL,
		    i == 0 ? ERD_NODE_FOCUS : 0);
		erd_add_col(g, i, "id", "int", ERD_COL_PK);
	}
	erd_add_edge(g, 1, 0, "b_a", NULL, NULL, 0, ERD_CARD_MANY,
	    ERD_CARD_ONE, 0);
	erd_add_edge(g, 1, 2, "b_c", NULL, NULL, 0, ERD_CARD_MANY,
	    ERD_CARD_ONE, 0);
	erd_add_edge(g, 3, 2, "d_c", NULL, NULL, 0, ERD_CARD_MANY,
	    ERD_CARD_ONE, 0);
	erd_add_edge(g, 4, 3, "e_d", NULL, NULL, 0, ERD_CARD_MANY,
	    ERD_CARD_ONE, 0);
	erd_add_edge(g, 5, 2, "f_c", NULL, NULL, 0, ERD_CARD_MANY,
	    ERD_CARD_ONE, 0);
	erd_add_edge(g, 2, 2, "c_c", NULL, NULL, 0, ERD_CARD_MANY,
	    ERD_CARD_ZERO_ONE, 0);
	return g;
}

static void
test_neighbourhood(void **state)
{
	struct erd_graph *g = chain_graph(), *n;
	int	*map, i;

	(void)state;
	/* c, 1 hop: b (c is its parent), d (child), f, and c's self-loop. */
	n = erd_neighbourhood(g, 2, 1, &map);
	assert_int_equal(n->nnodes, 4);
	assert_int_equal(map[0], 1);
	assert_int_equal(map[1], 2);
	assert_int_equal(map[2], 3);
	assert_int_equal(map[3], 5);
	for (i = 0; i < n->nnodes; i++)
		assert_int_equal(!!(n->nodes[i].flags & ERD_NODE_FOCUS),
		    map[i] == 2);
	assert_int_equal(n->nedges, 4);	/* b_c, d_c, f_c, c_c */
	for (i = 0; i < n->nedges; i++) {
		const struct erd_edge *e = &n->edges[i];
		int	found = 0, j;

		for (j = 0; j < g->nedges; j++)
			if (g->edges[j].from == map[e->from] &&
			    g->edges[j].to == map[e->to] &&
			    strcmp(g->edges[j].name, e->name) == 0)
				found = 1;
		assert_true(found);
	}
	assert_int_equal(erd_find(n, "public", "c"), 1);
	assert_string_equal(n->nodes[1].cols[0].name, "id");
	free(map);
	erd_graph_free(n);

	/* 2 hops reach a and e, never the island. */
	n = erd_neighbourhood(g, 2, 2, &map);
	assert_int_equal(n->nnodes, 6);
	assert_int_equal(erd_find(n, NULL, "g"), -1);
	free(map);
	erd_graph_free(n);

	/* 0 hops: the focus and its self-reference only. */
	n = erd_neighbourhood(g, 2, 0, NULL);
	assert_int_equal(n->nnodes, 1);
	assert_int_equal(n->nedges, 1);
	assert_int_equal(n->edges[0].from, 0);
	assert_int_equal(n->edges[0].to, 0);
	erd_graph_free(n);

	/* The island alone. */
	n = erd_neighbourhood(g, 6, 5, &map);
	assert_int_equal(n->nnodes, 1);
	assert_int_equal(n->nedges, 0);
	assert_int_equal(map[0], 6);
	free(map);
	erd_graph_free(n);
	erd_graph_free(g);
}

static void
test_join_path(void **state)
{
	struct erd_graph *g = chain_graph();
	int	*p, n;

	(void)state;
	/* a to e: a <- b -> c <- d <- e, edges in order from a. */
	n = erd_join_path(g, 0, 4, &p);
	assert_int_equal(n, 4);
	assert_int_equal(p[0], 0);	/* b_a */
	assert_int_equal(p[1], 1);	/* b_c */
	assert_int_equal(p[2], 2);	/* d_c */
	assert_int_equal(p[3], 3);	/* e_d */
	free(p);
	/* And back. */
	n = erd_join_path(g, 4, 0, &p);
	assert_int_equal(n, 4);
	assert_int_equal(p[0], 3);
	assert_int_equal(p[3], 0);
	free(p);
	/* Shortest: a shortcut a <- e makes a to d two edges. */
	erd_add_edge(g, 4, 0, "e_a", NULL, NULL, 0, ERD_CARD_MANY,
	    ERD_CARD_ONE, 0);
	n = erd_join_path(g, 0, 3, &p);
	assert_int_equal(n, 2);
	assert_int_equal(p[0], 6);
	assert_int_equal(p[1], 3);
	free(p);
	assert_int_equal(erd_join_path(g, 2, 2, &p), 0);
	assert_null(p);
	assert_int_equal(erd_join_path(g, 0, 6, &p), -1);
	assert_null(p);
	erd_graph_free(g);
}

/* --------------------------------------------------------------- layout */

static void
test_layout_small(void **state)
{
	struct erd_graph *g = small_graph();
	struct erd_opts	 o = { 0, 0 };
	struct erd_layout *l;
	int		 a;

	(void)state;
	for (a = 0; a < 2; a++) {
		o.all_columns = a;
		l = erd_layout(g, &o);
		assert_layout_ok(g, l);
		assert_int_equal(l->crossings, 0);
		assert_non_null(erd_box_of(l, 4));
		assert_null(erd_box_of(l, 5));
		assert_null(erd_box_of(l, -1));
		/* Parents left of their children. */
		assert_true(erd_box_of(l, 0)->col < erd_box_of(l, 1)->col);
		assert_true(erd_box_of(l, 1)->col < erd_box_of(l, 2)->col);
		assert_true(erd_box_of(l, 2)->col < erd_box_of(l, 4)->col);
		erd_layout_free(l);
	}
	erd_graph_free(g);
}

static void
test_layout_empty_and_single(void **state)
{
	struct erd_graph *g = erd_graph_new();
	struct erd_layout *l;
	struct erd_canvas c = { 0, 0, NULL };
	char		*t;

	(void)state;
	l = erd_layout(g, NULL);
	assert_int_equal(l->nboxes, 0);
	assert_int_equal(l->rows, 0);
	erd_render(g, l, NULL, 0, &c);
	t = canvas_text(&c);
	assert_string_equal(t, "");
	free(t);
	erd_layout_free(l);

	/* One table, no columns at all, referencing itself. */
	erd_add_node(g, "public", "lonely", NULL, ERD_NODE_NO_PK);
	erd_add_edge(g, 0, 0, "self", NULL, NULL, 0, ERD_CARD_MANY,
	    ERD_CARD_ZERO_ONE, 0);
	erd_add_edge(g, 0, 0, "self2", NULL, NULL, 0, ERD_CARD_MANY,
	    ERD_CARD_ZERO_ONE, ERD_EDGE_NOT_VALID);
	l = erd_layout(g, NULL);
	assert_layout_ok(g, l);
	erd_render(g, l, NULL, 0, &c);
	erd_canvas_free(&c);
	erd_layout_free(l);
	erd_graph_free(g);
}

/* Cycles of 2 and 3, parallel edges with the same columns, a hub. */
static void
test_layout_hand_made(void **state)
{
	struct erd_graph *g = erd_graph_new();
	struct erd_layout *l;
	int	 i, z[] = { 0 };
	char	 name[16];

	(void)state;
	for (i = 0; i < 50; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		erd_add_node(g, "s", name, NULL, 0);
		erd_add_col(g, i, "id", "int", ERD_COL_PK);
		erd_add_col(g, i, "ref", "int", ERD_COL_FK);
	}
	erd_add_edge(g, 0, 1, "a", (int[]){ 1 }, z, 1, ERD_CARD_MANY,
	    ERD_CARD_ONE, 0);
	erd_add_edge(g, 1, 0, "b", (int[]){ 1 }, z, 1, ERD_CARD_MANY,
	    ERD_CARD_ONE, 0);
	erd_add_edge(g, 2, 3, "c", (int[]){ 1 }, z, 1, ERD_CARD_MANY,
	    ERD_CARD_ONE, 0);
	erd_add_edge(g, 3, 4, "d", (int[]){ 1 }, z, 1, ERD_CARD_MANY,
	    ERD_CARD_ONE, 0);
	erd_add_edge(g, 4, 2, "e", (int[]){ 1 }, z, 1, ERD_CARD_MANY,
	    ERD_CARD_ONE, 0);
	for (i = 0; i < 3; i++)
		erd_add_edge(g, 5, 6, "par", (int[]){ 1 }, z, 1,
		    ERD_CARD_MANY, ERD_CARD_ONE, 0);
	/* A hub referenced by 40 tables, and a chain back into it. */
	for (i = 8; i < 48; i++)
		erd_add_edge(g, i, 7, "hub", (int[]){ 1 }, z, 1,
		    ERD_CARD_MANY, ERD_CARD_ONE, 0);
	for (i = 8; i < 47; i += 3)
		erd_add_edge(g, i + 1, i, "chain", (int[]){ 0 }, z, 1,
		    ERD_CARD_ZERO_ONE, ERD_CARD_ONE, 0);
	erd_add_edge(g, 7, 46, "back", (int[]){ 1 }, z, 1, ERD_CARD_MANY,
	    ERD_CARD_ONE, 0);
	erd_add_edge(g, 49, 49, "me", (int[]){ 0 }, z, 1, ERD_CARD_ZERO_ONE,
	    ERD_CARD_ONE, 0);
	l = erd_layout(g, NULL);
	assert_layout_ok(g, l);
	erd_layout_free(l);
	erd_graph_free(g);
}

static void
test_layout_random(void **state)
{
	static const int sizes[] = { 1, 2, 3, 5, 8, 13, 30, 60, 100, 300 };
	struct erd_opts	 opts[3] = { { 0, 0 }, { 1, 0 }, { 1, 4 } };
	unsigned	 seed;
	size_t		 i;
	int		 o;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		for (seed = 1; seed <= (sizes[i] >= 100 ? 3u : 12u); seed++) {
			for (o = 0; o < 3; o++) {
				double	 d = 0.4 + 0.4 * (seed % 4);
				struct erd_graph *g =
				    random_graph(seed, sizes[i], d);
				struct erd_layout *l =
				    erd_layout(g, &opts[o]);
				const char *m = layout_breach(g, l);

				if (m)
					fail_msg("n=%d seed=%u opts=%d: %s",
					    sizes[i], seed, o, m);
				erd_layout_free(l);
				erd_graph_free(g);
			}
		}
	}
}

/* The checker itself must catch a broken layout. */
static void
test_layout_checker_fails(void **state)
{
	struct erd_graph *g = small_graph();
	struct erd_layout *l = erd_layout(g, NULL);
	struct erd_point p;

	(void)state;
	assert_null(layout_breach(g, l));
	l->boxes[1].row = l->boxes[0].row;
	l->boxes[1].col = l->boxes[0].col + 2;
	assert_non_null(layout_breach(g, l));
	erd_layout_free(l);

	l = erd_layout(g, NULL);
	p = l->routes[1].pts[1];
	l->routes[1].pts[1].row = p.row + 1;	/* a diagonal step */
	assert_non_null(layout_breach(g, l));
	erd_layout_free(l);

	l = erd_layout(g, NULL);
	l->crossings++;
	assert_non_null(layout_breach(g, l));
	erd_layout_free(l);
	erd_graph_free(g);
}

/* ------------------------------------------------------------- drawing */

static void
test_render_golden(void **state)
{
	struct erd_graph *g = small_graph();
	struct erd_opts	 o = { 0, 0 };
	struct erd_layout *l;
	struct erd_canvas c = { 0, 0, NULL };
	char		*t;

	(void)state;
	l = erd_layout(g, &o);
	erd_render(g, l, &o, 0, &c);
	t = canvas_text(&c);
	check_golden("small.txt", t);
	free(t);
	erd_render(g, l, &o, 1, &c);
	t = canvas_text(&c);
	check_golden("small_ascii.txt", t);
	free(t);
	erd_layout_free(l);

	o.all_columns = 1;
	o.max_rows_per_box = 3;
	l = erd_layout(g, &o);
	assert_layout_ok(g, l);
	erd_render(g, l, &o, 0, &c);
	t = canvas_text(&c);
	check_golden("small_all_cap3.txt", t);
	free(t);
	erd_canvas_free(&c);
	erd_layout_free(l);
	erd_graph_free(g);
}

static const struct erd_cell *
at(const struct erd_canvas *c, int row, int col)
{
	return &c->cells[(size_t)row * c->cols + col];
}

/*
 * The first mark along route 'r' from one end (0 child, 1 parent), and
 * the direction of travel there; NULL if there is none.
 */
static const struct erd_cell *
find_mark(const struct erd_canvas *c, const struct erd_route *r, int end,
    int *dr, int *dc)
{
	int	step = end ? -1 : 1, k = end ? r->npts - 1 : 0, n;

	for (n = 0; n + 1 < r->npts; n++, k += step) {
		struct erd_point a = r->pts[k], b = r->pts[k + step];
		int	y = a.row, x = a.col;

		*dr = (b.row > a.row) - (b.row < a.row);
		*dc = (b.col > a.col) - (b.col < a.col);
		while (y != b.row || x != b.col) {
			y += *dr;
			x += *dc;
			if (at(c, y, x)->role == ERD_R_CARD)
				return at(c, y, x);
		}
	}
	return NULL;
}

/* Roles: lint, dashed, focus, marks, and every route cell drawn. */
static void
test_render_roles(void **state)
{
	struct erd_graph *g = small_graph();
	struct erd_layout *l;
	struct erd_canvas c = { 0, 0, NULL };
	const struct erd_box *b;
	int	 i, j;

	(void)state;
	g->nodes[3].flags |= ERD_NODE_FOCUS;
	l = erd_layout(g, NULL);
	erd_render(g, l, NULL, 0, &c);
	assert_int_equal(c.rows, l->rows);
	assert_int_equal(c.cols, l->cols);
	b = erd_box_of(l, 2);		/* order_lines: no primary key */
	assert_int_equal(at(&c, b->row, b->col)->role, ERD_R_LINT);
	assert_int_equal(at(&c, b->row, b->col)->ch, 0x250C);
	b = erd_box_of(l, 3);		/* products: focus */
	assert_int_equal(at(&c, b->row, b->col + 1)->role, ERD_R_FOCUS);
	b = erd_box_of(l, 0);
	assert_int_equal(at(&c, b->row, b->col)->role, ERD_R_BORDER);
	assert_int_equal(at(&c, b->row + 1, b->col + 2)->role, ERD_R_TITLE);
	assert_int_equal(at(&c, b->row + 3, b->col + 2)->ch, 'P');
	assert_int_equal(at(&c, b->row + 3, b->col + 2)->role, ERD_R_KEY);
	for (i = 0; i < l->nroutes; i++) {
		const struct erd_route *r = &l->routes[i];
		const struct erd_edge *e = &g->edges[r->edge];
		struct erd_point p = r->pts[0], q = r->pts[r->npts - 1];
		int	dr, dc;
		const struct erd_cell *m;

		m = find_mark(&c, r, 0, &dr, &dc);
		assert_non_null(m);
		if (e->child_card == ERD_CARD_MANY)
			assert_int_equal(m->ch, dc ? (dc > 0 ? '>' : '<') :
			    (dr > 0 ? 'v' : '^'));
		else
			assert_int_equal(m->ch, 0x25CB);
		m = find_mark(&c, r, 1, &dr, &dc);
		assert_non_null(m);
		assert_int_equal(m->ch, e->parent_card == ERD_CARD_ZERO_ONE ?
		    0x25CB : dc ? 0x256B : 0x256A);
		/* The border cell where the edge attaches is a tee. */
		assert_true(at(&c, p.row, p.col)->ch == 0x251C ||
		    at(&c, p.row, p.col)->ch == 0x2524 ||
		    at(&c, p.row, p.col)->ch == 0x253C);
		/* Every cell between the marks is a line in the edge's role. */
		for (j = 0; j + 1 < r->npts; j++) {
			struct erd_point s = r->pts[j], t = r->pts[j + 1];
			int	rr = s.row, cc = s.col;

			while (rr != t.row || cc != t.col) {
				const struct erd_cell *x;

				rr += (t.row > rr) - (t.row < rr);
				cc += (t.col > cc) - (t.col < cc);
				x = at(&c, rr, cc);
				if (x->role == ERD_R_CARD ||
				    (rr == q.row && cc == q.col))
					continue;
				if (e->flags & ERD_EDGE_UNINDEXED)
					assert_int_equal(x->role, ERD_R_LINT);
				else
					assert_true(x->role == ERD_R_EDGE ||
					    x->role == ERD_R_EDGE_DASHED ||
					    x->role == ERD_R_LINT);
				assert_true(x->ch >= 0x2500 &&
				    x->ch < 0x2580);
			}
		}
	}
	/* The NOT VALID edge (3) is dashed somewhere. */
	{
		const struct erd_route *r = &l->routes[3];
		int	dashed = 0;

		for (j = 0; j + 1 < r->npts; j++) {
			struct erd_point s = r->pts[j], t = r->pts[j + 1];
			int	rr = s.row, cc = s.col;

			while (rr != t.row || cc != t.col) {
				rr += (t.row > rr) - (t.row < rr);
				cc += (t.col > cc) - (t.col < cc);
				dashed += at(&c, rr, cc)->ch == 0x254C ||
				    at(&c, rr, cc)->ch == 0x2506;
			}
		}
		assert_true(dashed > 0);
	}
	erd_canvas_free(&c);
	assert_null(c.cells);
	erd_layout_free(l);
	erd_graph_free(g);
}

/* Wide characters take two cells and the box still closes in line. */
static void
test_render_wide(void **state)
{
	struct erd_graph *g = erd_graph_new();
	struct erd_layout *l;
	struct erd_canvas c = { 0, 0, NULL };
	const struct erd_box *b;
	int	 n, r;

	(void)state;
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		skip();
	n = erd_add_node(g, "public", "\xE6\x97\xA5\xE6\x9C\xAC", NULL, 0);
	erd_add_col(g, n, "id\x01\xff", "int", ERD_COL_PK);
	l = erd_layout(g, NULL);
	erd_render(g, l, NULL, 0, &c);
	b = erd_box_of(l, 0);
	assert_int_equal(at(&c, b->row + 1, b->col + 2)->ch, 0x65E5);
	assert_int_equal(at(&c, b->row + 1, b->col + 3)->ch, ERD_WIDE_CONT);
	assert_int_equal(at(&c, b->row + 1, b->col + 4)->ch, 0x672C);
	assert_int_equal(at(&c, b->row + 3, b->col + 7)->ch, '?');
	assert_int_equal(at(&c, b->row + 3, b->col + 8)->ch, '?');
	for (r = b->row + 1; r < b->row + b->rows - 1; r++)
		assert_int_equal(at(&c, r, b->col + b->cols - 1)->ch, 0x2502 +
		    (r == b->row + 2) * (0x2524 - 0x2502));
	erd_canvas_free(&c);
	erd_layout_free(l);
	erd_graph_free(g);
	setlocale(LC_CTYPE, "C");
}

static void
test_minimap(void **state)
{
	struct erd_graph *g = random_graph(7, 60, 1.2);
	struct erd_layout *l = erd_layout(g, NULL);
	struct erd_canvas c = { 0, 0, NULL };
	int	 i, boxes = 0, frame = 0;

	(void)state;
	erd_render_minimap(l, 10, 40, 0, 0, l->rows / 2, l->cols / 2, &c);
	assert_int_equal(c.rows, 10);
	assert_int_equal(c.cols, 40);
	for (i = 0; i < 400; i++) {
		boxes += c.cells[i].ch == '#';
		frame += c.cells[i].role == ERD_R_FOCUS;
	}
	assert_true(boxes > 0);
	assert_int_equal(at(&c, 0, 0)->ch, 0x250C);
	assert_int_equal(at(&c, 0, 0)->role, ERD_R_FOCUS);
	assert_true(frame >= 2 * 5 + 2 * 20 - 4);
	/* A viewport off the map draws no frame; no rows draws nothing. */
	erd_render_minimap(l, 10, 40, l->rows + 50, 0, 5, 5, &c);
	for (i = 0; i < 400; i++)
		assert_int_not_equal(c.cells[i].role, ERD_R_FOCUS);
	erd_render_minimap(l, 0, 40, 0, 0, 5, 5, &c);
	assert_null(c.cells);
	erd_canvas_free(&c);
	erd_layout_free(l);
	erd_graph_free(g);
}

/* -------------------------------------------------------------- exports */

/* A graph with names that break naive writers. */
static struct erd_graph *
nasty_graph(void)
{
	struct erd_graph *g = small_graph();
	int	 n = erd_add_node(g, "we\"ird", "a<b>&'c% d\\e\nf\xff", "1 <GB>",
	    ERD_NODE_VIEW);
	int	 z[] = { 0 };

	erd_add_col(g, n, "9 lives\"", "character varying(20)[]", ERD_COL_PK);
	erd_add_col(g, n, "", "", ERD_COL_FK);
	erd_add_edge(g, n, 0, "fk \"q\" % \\", (int[]){ 1 }, z, 1,
	    ERD_CARD_ZERO_ONE, ERD_CARD_ZERO_ONE, ERD_EDGE_NOT_VALID);
	return g;
}

static char *
export_to_string(int which, const struct erd_graph *g,
    const struct erd_layout *l)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f = open_memstream(&buf, &len);
	int	 rc;

	assert_non_null(f);
	if (which == 0)
		rc = erd_export_dot(g, NULL, f);
	else if (which == 1)
		rc = erd_export_mermaid(g, NULL, f);
	else
		rc = erd_export_svg(g, l, NULL, f);
	assert_int_equal(rc, 0);
	fclose(f);
	return buf;
}

/* Run 'cmd' with 'input' on its stdin; returns the exit status. */
static int
run_with_input(const char *cmd, const char *input)
{
	FILE	*p = popen(cmd, "w");

	assert_non_null(p);
	fputs(input, p);
	return pclose(p);
}

static void
test_export_dot(void **state)
{
	struct erd_graph *g = nasty_graph();
	char	*s = export_to_string(0, g, NULL);
	int	 depth = 0;
	char	*p;

	(void)state;
	assert_non_null(strstr(s, "digraph erd {"));
	assert_non_null(strstr(s, "arrowtail=crowodot, arrowhead=teetee"));
	assert_non_null(strstr(s, "style=dashed"));
	assert_non_null(strstr(s, "a&lt;b&gt;&amp;&#39;c% d\\e?f?"));
	assert_non_null(strstr(s, "tooltip=\"fk \\\"q\\\" % \\\\\""));
	for (p = s; *p; p++)
		depth += (*p == '{') - (*p == '}');
	assert_int_equal(depth, 0);
	if (have("dot"))
		assert_int_equal(run_with_input("dot -Tsvg -o /dev/null", s),
		    0);
	else if (getenv("CI") != NULL && strcmp(getenv("CI"), "true") == 0)
		fail_msg("dot not on PATH: CI installs graphviz"
		    " (scripts/install-deps) and must not skip this check");
	else
		print_message("dot not on PATH: the Graphviz check is skipped\n");
	free(s);
	erd_graph_free(g);
}

/* A line of Mermaid erDiagram, checked against the grammar we emit. */
static int
quoted(const char **p)
{
	if (**p != '"')
		return 0;
	for ((*p)++; **p && **p != '"'; (*p)++)
		if (**p == '%' || **p == '\\' || **p == '\n' || **p == '\r')
			return 0;
	if (**p != '"')
		return 0;
	(*p)++;
	return 1;
}

static int
word(const char **p)
{
	const char *s = *p;

	if (!((**p >= 'a' && **p <= 'z') || (**p >= 'A' && **p <= 'Z')))
		return 0;
	while ((**p >= 'a' && **p <= 'z') || (**p >= 'A' && **p <= 'Z') ||
	    (**p >= '0' && **p <= '9') || **p == '_' || **p == '-')
		(*p)++;
	return *p > s;
}

static int
mermaid_line_ok(const char *line, int *in_entity)
{
	const char *p = line;

	if (*in_entity) {
		if (strcmp(line, "    }") == 0) {
			*in_entity = 0;
			return 1;
		}
		if (strncmp(p, "        ", 8) != 0)
			return 0;
		p += 8;
		if (!word(&p) || *p++ != ' ' || !word(&p))
			return 0;
		while (*p == ' ' || *p == ',') {
			const char *k = p + 1;

			if (strncmp(k, "PK", 2) && strncmp(k, "FK", 2) &&
			    strncmp(k, "UK", 2))
				break;
			p = k + 2;
			if (*p == ',')
				p++;
		}
		if (*p == ' ') {
			p++;
			if (!quoted(&p))
				return 0;
		}
		return *p == '\0';
	}
	if (strncmp(p, "    ", 4) != 0)
		return 0;
	p += 4;
	if (!quoted(&p))
		return 0;
	if (*p == '\0')
		return 1;
	if (strcmp(p, " {") == 0) {
		*in_entity = 1;
		return 1;
	}
	if (*p++ != ' ')
		return 0;
	if (strncmp(p, "||", 2) && strncmp(p, "|o", 2))
		return 0;
	p += 2;
	if (strncmp(p, "--", 2) && strncmp(p, "..", 2))
		return 0;
	p += 2;
	if (strncmp(p, "o{", 2) && strncmp(p, "o|", 2))
		return 0;
	p += 2;
	if (*p++ != ' ' || !quoted(&p) || strncmp(p, " : ", 3))
		return 0;
	p += 3;
	return quoted(&p) && *p == '\0';
}

static void
test_export_mermaid(void **state)
{
	struct erd_graph *g = nasty_graph();
	char	*s = export_to_string(1, g, NULL), *line, *save = NULL;
	int	 in_entity = 0, n = 0;

	(void)state;
	assert_true(strncmp(s, "erDiagram\n", 10) == 0);
	assert_non_null(strstr(s, "    \"users\" |o--o{ \"users\" : "
	    "\"users_manager_fkey\"\n"));
	assert_non_null(strstr(s, "    \"users\" ||--o{ \"shop.orders\" : "));
	assert_non_null(strstr(s, "\"shop.products\" ||..o{ "
	    "\"shop.order_lines\""));
	assert_non_null(strstr(s, "||--o| \"shop.shipments\""));
	assert_non_null(strstr(s, "        character_varying_20___ x9_lives_ "
	    "PK"));
	assert_non_null(strstr(s, "        unknown unnamed FK"));
	for (line = strtok_r(s + 10, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save), n++)
		if (!mermaid_line_ok(line, &in_entity))
			fail_msg("bad Mermaid line: '%s'", line);
	assert_int_equal(in_entity, 0);
	assert_true(n > 10);
	free(s);
	/* The checker catches an unquoted or broken line. */
	in_entity = 0;
	assert_false(mermaid_line_ok("    users ||--o{ \"x\" : \"a\"",
	    &in_entity));
	assert_false(mermaid_line_ok("    \"a%b\"", &in_entity));
	assert_false(mermaid_line_ok("    \"a\" ||-o{ \"b\" : \"c\"",
	    &in_entity));
	erd_graph_free(g);
}

/*
 * A small XML well-formedness check: tags balanced and named alike,
 * attributes quoted, entities known.
 */
static int
xml_ok(const char *s)
{
	const char *stack[256];
	size_t	 lens[256];
	int	 sp = 0;
	const char *p = s;

	if (strncmp(p, "<?xml", 5) == 0) {
		p = strstr(p, "?>");
		if (!p)
			return 0;
		p += 2;
	}
	while (*p) {
		if (*p == '&') {
			if (strncmp(p, "&amp;", 5) && strncmp(p, "&lt;", 4) &&
			    strncmp(p, "&gt;", 4) && strncmp(p, "&quot;", 6) &&
			    strncmp(p, "&#39;", 5))
				return 0;
			p++;
			continue;
		}
		if (*p == '>')
			return 0;
		if (*p != '<') {
			p++;
			continue;
		}
		if (p[1] == '/') {
			const char *n = p + 2;
			size_t	 len = strcspn(n, ">");

			if (sp == 0 || len != lens[sp - 1] ||
			    strncmp(n, stack[sp - 1], len))
				return 0;
			sp--;
			p = n + len + 1;
			continue;
		}
		{
			const char *n = p + 1;
			size_t	 len = strcspn(n, " />");
			const char *q = n + len;
			char	 quote = 0;

			for (; *q && (quote || (*q != '>')); q++) {
				if (quote && *q == quote)
					quote = 0;
				else if (!quote && (*q == '"' || *q == '\''))
					quote = *q;
				else if (quote && *q == '<')
					return 0;
			}
			if (*q != '>')
				return 0;
			if (q[-1] != '/') {
				if (sp == 256)
					return 0;
				stack[sp] = n;
				lens[sp++] = len;
			}
			p = q + 1;
		}
	}
	return sp == 0;
}

static void
test_export_svg(void **state)
{
	struct erd_graph *g = nasty_graph();
	struct erd_layout *l = erd_layout(g, NULL);
	char	*s = export_to_string(2, g, l);

	(void)state;
	assert_layout_ok(g, l);
	assert_true(xml_ok(s));
	assert_false(xml_ok("<svg><g></svg></g>"));
	assert_false(xml_ok("<svg>a < b</svg>"));
	assert_non_null(strstr(s, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	assert_non_null(strstr(s, "stroke-dasharray"));
	assert_non_null(strstr(s, ">users<"));
	assert_non_null(strstr(s, "a&lt;b&gt;"));
	if (have("xmllint"))
		assert_int_equal(run_with_input("xmllint --noout -", s), 0);
	else if (getenv("CI") != NULL && strcmp(getenv("CI"), "true") == 0)
		fail_msg("xmllint not on PATH: CI installs libxml2-utils"
		    " (scripts/install-deps) and must not skip this check");
	free(s);
	erd_layout_free(l);
	erd_graph_free(g);
}

static void
test_export_text_errors(void **state)
{
	struct erd_graph *g = small_graph();
	struct erd_layout *l = erd_layout(g, NULL);
	struct erd_canvas c = { 0, 0, NULL };
	FILE	*f = fopen("/dev/full", "w");

	(void)state;
	if (!f)
		skip();
	erd_render(g, l, NULL, 0, &c);
	assert_int_equal(erd_export_text(&c, f), -1);
	assert_int_equal(erd_export_mermaid(g, NULL, f), -1);
	fclose(f);
	erd_canvas_free(&c);
	erd_layout_free(l);
	erd_graph_free(g);
}

static void
quiet(const char *msg, void *arg)
{
	(void)msg;
	(void)arg;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_graph_build_find),
		cmocka_unit_test(test_neighbourhood),
		cmocka_unit_test(test_join_path),
		cmocka_unit_test(test_layout_small),
		cmocka_unit_test(test_layout_empty_and_single),
		cmocka_unit_test(test_layout_hand_made),
		cmocka_unit_test(test_layout_random),
		cmocka_unit_test(test_layout_checker_fails),
		cmocka_unit_test(test_render_golden),
		cmocka_unit_test(test_render_roles),
		cmocka_unit_test(test_render_wide),
		cmocka_unit_test(test_minimap),
		cmocka_unit_test(test_export_dot),
		cmocka_unit_test(test_export_mermaid),
		cmocka_unit_test(test_export_svg),
		cmocka_unit_test(test_export_text_errors),
	};

	error_set_hook(quiet, NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
