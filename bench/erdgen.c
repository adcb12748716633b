/*
 * erdgen.c - synthetic schemas for bench/erd.sh, laid out by pgdeck's ERD
 * engine or by Graphviz's dot (libgvc), timed.
 *
 *   erdgen -n TABLES [-s SEED] [-r RUNS] [-e ours|dot|ortho] [-o FILE]
 *
 * -n   tables (default 300)
 * -s   seed (default 1): the same seed and -n give the same schema
 * -r   runs of each measurement (default 5); the median is printed
 * -e   ours (default): erd_layout(), erd_render(), and the neighbourhood
 *      of the biggest hub at 1 and 2 hops;
 *      dot / ortho: gvLayout(dot) on the same graph, boxes of the same
 *      size in a left-to-right rank order, splines=spline or =ortho
 *      (only when built with -DHAVE_GVC)
 * -o   ours: write the rendered diagram as text; dot/ortho: nothing
 *
 * The schema: about 1.2 FKs per table (none for a third of the tables,
 * up to 5), a third of them to five hub tables (users, accounts...),
 * the rest to earlier tables chosen by preferential attachment; 3 %
 * self-references, 2 % references to a later table (cycles), some
 * composite keys.  Boxes show key columns only (the pane's default).
 *
 * Prints "key value" lines on stdout: tables, fks, layout_ms (median),
 * layout_ms_min, layout_ms_max, crossings, rows, cols, and for ours
 * render_ms, hood1_nodes, hood1_ms, hood2_nodes, hood2_ms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "erd/erd.h"

#ifdef HAVE_GVC
#include <graphviz/gvc.h>
#endif

static unsigned long long rng = 88172645463325252ULL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? (unsigned)(rng % n) : 0;
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(double), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static struct erd_graph *
generate(int n)
{
	static const char *hubs[] = { "users", "accounts", "organisations",
	    "products", "currencies" };
	struct erd_graph *g = erd_graph_new();
	int	*indeg = calloc((size_t)n + 1, sizeof(int));
	int	 i, k, total = 0;
	char	 name[64];

	for (i = 0; i < n; i++) {
		int	t;

		if (i < 5)
			snprintf(name, sizeof(name), "%s", hubs[i]);
		else
			snprintf(name, sizeof(name), "table_%04d", i);
		t = erd_add_node(g, i % 7 == 6 ? "billing" : "public", name,
		    rnd(3) ? "12 MB" : NULL, rnd(12) ? 0 : ERD_NODE_NO_PK);
		erd_add_col(g, t, "id", "bigint",
		    (g->nodes[t].flags & ERD_NODE_NO_PK) ? 0 : ERD_COL_PK);
		erd_add_col(g, t, "created_at", "timestamptz", 0);
		if (rnd(4) == 0)
			erd_add_col(g, t, "code", "text", ERD_COL_UNIQUE);
	}
	for (i = 1; i < n; i++) {
		unsigned r = rnd(100);
		int	 nfk = r < 32 ? 0 : r < 67 ? 1 : r < 85 ? 2 : r < 95 ? 3 :
		    4 + (int)rnd(2);

		for (k = 0; k < nfk; k++) {
			int	 to, fc[2], tc[2] = { 0, 1 }, nc = 1;
			unsigned kind = rnd(100);

			if (kind < 3)
				to = i;
			else if (kind < 5)
				to = i + 1 + (int)rnd((unsigned)(n - i));
			else if (kind < 38)
				to = (int)rnd(5 < i ? 5 : (unsigned)i);
			else {
				/* Preferential attachment among earlier ones. */
				int	pick = (int)rnd((unsigned)(total + i));
				int	j;

				to = 0;
				for (j = 0; j < i; j++) {
					pick -= indeg[j] + 1;
					if (pick < 0) {
						to = j;
						break;
					}
				}
			}
			if (to >= n)
				to = n - 1;
			snprintf(name, sizeof(name), "%s_id",
			    g->nodes[to].name);
			erd_add_col(g, i, name, "bigint", ERD_COL_FK);
			fc[0] = g->nodes[i].ncols - 1;
			if (rnd(20) == 0) {
				erd_add_col(g, i, "tenant_id", "int",
				    ERD_COL_FK);
				fc[1] = g->nodes[i].ncols - 1;
				nc = 2;
			}
			snprintf(name, sizeof(name), "fk_%d_%d", i, k);
			erd_add_edge(g, i, to, name, fc, tc, nc,
			    rnd(10) ? ERD_CARD_MANY : ERD_CARD_ZERO_ONE,
			    rnd(4) ? ERD_CARD_ONE : ERD_CARD_ZERO_ONE,
			    (rnd(30) ? 0 : ERD_EDGE_NOT_VALID) |
			    (rnd(5) ? 0 : ERD_EDGE_UNINDEXED));
			indeg[to]++;
			total++;
		}
	}
	free(indeg);
	return g;
}

static void
run_ours(struct erd_graph *g, int runs, const char *out)
{
	struct erd_opts	 o = { 0, 0 };
	struct erd_layout *l = NULL;
	struct erd_canvas c = { 0, 0, NULL };
	double		*t = calloc((size_t)runs, sizeof(double));
	double		*tr = calloc((size_t)runs, sizeof(double));
	double		 lo = 1e18, hi = 0, h1[51], h2[51];
	int		 i, hub = 0, nh1 = 0, nh2 = 0;

	for (i = 0; i < runs; i++) {
		double	t0 = now_ms();

		if (l)
			erd_layout_free(l);
		l = erd_layout(g, &o);
		t[i] = now_ms() - t0;
		if (t[i] < lo)
			lo = t[i];
		if (t[i] > hi)
			hi = t[i];
		t0 = now_ms();
		erd_render(g, l, &o, 0, &c);
		tr[i] = now_ms() - t0;
	}
	printf("crossings %d\nrows %d\ncols %d\n", l->crossings, l->rows,
	    l->cols);
	printf("layout_ms_min %.2f\nlayout_ms_max %.2f\n", lo, hi);
	printf("layout_ms %.2f\n", median(t, runs));
	printf("render_ms %.2f\n", median(tr, runs));
	if (out) {
		FILE	*f = fopen(out, "w");

		if (f) {
			erd_export_text(&c, f);
			fclose(f);
		}
	}
	erd_canvas_free(&c);
	erd_layout_free(l);

	/* The neighbourhood of the busiest hub (the pane's usual view). */
	{
		int	*deg = calloc((size_t)g->nnodes + 1, sizeof(int));

		for (i = 0; i < g->nedges; i++)
			deg[g->edges[i].to]++;
		for (i = 0; i < g->nnodes; i++)
			if (deg[i] > deg[hub])
				hub = i;
		free(deg);
	}
	for (i = 0; i < 51; i++) {
		struct erd_graph *n;
		double	 t0 = now_ms();
		int	 hops = 1 + (i % 2);

		/* A neighbourhood view: extract, lay out, render. */
		n = erd_neighbourhood(g, hub, hops, NULL);
		l = erd_layout(n, &o);
		erd_render(n, l, &o, 0, &c);
		if (hops == 1) {
			h1[nh1++] = now_ms() - t0;
			if (i == 0)
				printf("hood1_nodes %d\nhood1_edges %d\n"
				    "hood1_crossings %d\n", n->nnodes,
				    n->nedges, l->crossings);
		} else {
			h2[nh2++] = now_ms() - t0;
			if (i == 1)
				printf("hood2_nodes %d\nhood2_edges %d\n"
				    "hood2_crossings %d\n", n->nnodes,
				    n->nedges, l->crossings);
		}
		erd_canvas_free(&c);
		erd_layout_free(l);
		erd_graph_free(n);
	}
	printf("hood1_ms %.3f\nhood2_ms %.3f\n", median(h1, nh1),
	    median(h2, nh2));
	free(t);
	free(tr);
}

#ifdef HAVE_GVC
/* Crossings of ortho routes: control points lie on axis-parallel runs. */
struct gseg {
	double	a, b1, b2;	/* y (or x) and the x (or y) range */
	int	edge;
};

static int
count_gvc_crossings(Agraph_t *ag)
{
	struct gseg *h = NULL, *v = NULL;
	size_t	 nh = 0, nv = 0, ah = 0, av = 0, i, j;
	int	 eid = 0, total = 0;
	Agnode_t *n;
	Agedge_t *e;

	for (n = agfstnode(ag); n; n = agnxtnode(ag, n)) {
		for (e = agfstout(ag, n); e; e = agnxtout(ag, e), eid++) {
			splines *sp = ED_spl(e);
			int	 b;

			if (!sp)
				continue;
			for (b = 0; b < sp->size; b++) {
				bezier	*bz = &sp->list[b];
				int	 k;

				for (k = 0; k + 1 < bz->size; k++) {
					pointf p = bz->list[k];
					pointf q = bz->list[k + 1];

					if (p.y == q.y && p.x != q.x) {
						if (nh == ah) {
							ah = ah ? 2 * ah : 256;
							h = realloc(h, ah *
							    sizeof(*h));
						}
						h[nh].a = p.y;
						h[nh].b1 = p.x < q.x ? p.x : q.x;
						h[nh].b2 = p.x < q.x ? q.x : p.x;
						h[nh++].edge = eid;
					} else if (p.x == q.x && p.y != q.y) {
						if (nv == av) {
							av = av ? 2 * av : 256;
							v = realloc(v, av *
							    sizeof(*v));
						}
						v[nv].a = p.x;
						v[nv].b1 = p.y < q.y ? p.y : q.y;
						v[nv].b2 = p.y < q.y ? q.y : p.y;
						v[nv++].edge = eid;
					}
				}
			}
		}
	}
	for (i = 0; i < nh; i++)
		for (j = 0; j < nv; j++)
			if (h[i].edge != v[j].edge && v[j].a > h[i].b1 &&
			    v[j].a < h[i].b2 && h[i].a > v[j].b1 &&
			    h[i].a < v[j].b2)
				total++;
	free(h);
	free(v);
	return total;
}

static void
run_gvc(struct erd_graph *g, int runs, int ortho)
{
	struct erd_opts	 o = { 0, 0 };
	struct erd_layout *ours = erd_layout(g, &o);
	double		*t = calloc((size_t)runs, sizeof(double));
	double		 lo = 1e18, hi = 0;
	int		 i, r, crossings = -1;
	double		 w = 0, hgt = 0;

	for (r = 0; r < runs; r++) {
		GVC_t	 *gvc = gvContext();
		Agraph_t *ag = agopen("erd", Agdirected, NULL);
		Agnode_t **nodes = calloc((size_t)g->nnodes + 1,
		    sizeof(*nodes));
		double	  t0;
		char	  buf[64];

		agsafeset(ag, "rankdir", "RL", "");
		agsafeset(ag, "splines", ortho ? "ortho" : "spline", "");
		for (i = 0; i < g->nnodes; i++) {
			const struct erd_box *b = erd_box_of(ours, i);

			snprintf(buf, sizeof(buf), "n%d", i);
			nodes[i] = agnode(ag, buf, 1);
			agsafeset(nodes[i], "shape", "box", "");
			agsafeset(nodes[i], "fixedsize", "true", "");
			/* A cell is about 0.1 x 0.2 inch. */
			snprintf(buf, sizeof(buf), "%.2f", b->cols * 0.1);
			agsafeset(nodes[i], "width", buf, "");
			snprintf(buf, sizeof(buf), "%.2f", b->rows * 0.2);
			agsafeset(nodes[i], "height", buf, "");
		}
		for (i = 0; i < g->nedges; i++)
			agedge(ag, nodes[g->edges[i].from],
			    nodes[g->edges[i].to], NULL, 1);
		t0 = now_ms();
		gvLayout(gvc, ag, "dot");
		t[r] = now_ms() - t0;
		if (t[r] < lo)
			lo = t[r];
		if (t[r] > hi)
			hi = t[r];
		if (r == 0) {
			boxf bb = GD_bb(ag);

			w = bb.UR.x - bb.LL.x;
			hgt = bb.UR.y - bb.LL.y;
			if (ortho)
				crossings = count_gvc_crossings(ag);
		}
		gvFreeLayout(gvc, ag);
		agclose(ag);
		gvFreeContext(gvc);
		free(nodes);
	}
	if (crossings >= 0)
		printf("crossings %d\n", crossings);
	/* The drawing's size in our cells, to compare with rows x cols. */
	printf("rows %.0f\ncols %.0f\n", hgt / 14.4, w / 7.2);
	printf("layout_ms_min %.2f\nlayout_ms_max %.2f\n", lo, hi);
	printf("layout_ms %.2f\n", median(t, runs));
	erd_layout_free(ours);
	free(t);
}
#endif

int
main(int argc, char **argv)
{
	const char	*engine = "ours", *out = NULL;
	int		 n = 300, runs = 5, opt;
	unsigned	 seed = 1;
	struct erd_graph *g;

	while ((opt = getopt(argc, argv, "n:s:r:e:o:")) != -1) {
		switch (opt) {
		case 'n':
			n = atoi(optarg);
			break;
		case 's':
			seed = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'r':
			runs = atoi(optarg);
			break;
		case 'e':
			engine = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		default:
			fprintf(stderr, "usage: erdgen -n TABLES [-s SEED] "
			    "[-r RUNS] [-e ours|dot|ortho] [-o FILE]\n");
			return 2;
		}
	}
	if (n < 6 || runs < 1) {
		fprintf(stderr, "erdgen: -n at least 6, -r at least 1\n");
		return 2;
	}
	rng += seed * 0x9E3779B97F4A7C15ULL;
	g = generate(n);
	printf("tables %d\nfks %d\n", g->nnodes, g->nedges);
	if (strcmp(engine, "ours") == 0)
		run_ours(g, runs, out);
#ifdef HAVE_GVC
	else if (strcmp(engine, "dot") == 0)
		run_gvc(g, runs, 0);
	else if (strcmp(engine, "ortho") == 0)
		run_gvc(g, runs, 1);
#endif
	else {
		fprintf(stderr, "erdgen: engine '%s' not built in\n", engine);
		erd_graph_free(g);
		return 2;
	}
	erd_graph_free(g);
	return 0;
}
