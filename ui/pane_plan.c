/*
 * pane_plan.c - Plan: an EXPLAIN plan as a collapsible tree.
 *
 * Each row is a node: self time with its share of the execution as a
 * bar, inclusive time, rows estimated and actual with the misestimate,
 * loops, self buffers, and the node with its relation and condition.
 * A highlight mode (self time, rows, cost, buffers) colours the rows
 * that matter; the ranked warnings sit below the tree.  Enter shows a
 * node in full; the plan list (P) holds every plan of this session and
 * those stored in history, and diffs any of them against the one shown.
 *
 * Plans come from `pgdeck explain FILE`, a paste (p), a file (o), or an
 * EXPLAIN of a statement from the Top queries or Activity pane.
 */
#include "panes.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui.h"
#include "../src/core/strbuf.h"
#include "../src/core/util.h"
#include "../src/plan/diff.h"
#include "../src/plan/plan.h"
#include "../src/store/history.h"
#include "../src/core/banned.h"

enum hl_mode { HL_SELF, HL_ROWS, HL_COST, HL_BUFFERS, HL__COUNT };

static const char *const hl_names[HL__COUNT] = {
	"self time", "rows (misestimates)", "cost", "buffers"
};

enum view { V_TREE, V_DETAIL, V_TEXT, V_LIST, V_DIFF };

enum { PROMPT_SEARCH = 1, PROMPT_OPEN, PROMPT_PASTE };

/* A plan this pane knows: loaded, pasted, EXPLAINed, or in history. */
struct entry {
	struct plan	*plan;		/* NULL until loaded (history) */
	char		*source;	/* "plan.json", "EXPLAIN 12:03:04 ..." */
	int64_t		 hist_id;	/* history plan id, or 0 */
	int64_t		 ts;		/* ms since the epoch, or 0 */
	int64_t		 queryid;
	char		*label;		/* history: the statement */
};

struct plan_pane {
	struct entry	*entries;
	int		 nentries;
	int		 cur;		/* entry shown, -1: none */
	int		 base;		/* diff: the old plan, -1: none */
	struct plan_diff *diff;

	enum view	 view, back;	/* 'back': where Esc returns from detail */
	enum hl_mode	 hl;
	unsigned char	*folded;	/* per node of the current plan */
	int		*vis;		/* visible nodes (tree) or rows (diff) */
	int		 nvis;
	int		 sel, top, page;
	int		 hscroll;
	int		 dtop;		/* detail/text scroll */
	int		 lsel, ltop;	/* list view */
	int		 hist_loaded;
	int		 warn;		/* last warning gone to, -1: none */
	char		 search[200];
	char		 error[300];	/* last load error, shown in the pane */
};

static struct plan_pane *
PP(struct pane *p)
{
	return p->data;
}

static struct plan *
cur_plan(struct plan_pane *a)
{
	return a->cur >= 0 ? a->entries[a->cur].plan : NULL;
}

static int
plan_init(struct pane *p)
{
	struct plan_pane *a = xcalloc(1, sizeof *a);

	a->cur = -1;
	a->base = -1;
	p->data = a;
	return 0;
}

static void
plan_free_pane(struct pane *p)
{
	struct plan_pane	*a = PP(p);
	int			 i;

	for (i = 0; i < a->nentries; i++) {
		plan_free(a->entries[i].plan);
		free(a->entries[i].source);
		free(a->entries[i].label);
	}
	free(a->entries);
	plan_diff_free(a->diff);
	free(a->folded);
	free(a->vis);
	free(a);
}

/* ---- the visible rows ---- */

static void
build_vis(struct plan_pane *a)
{
	struct plan	*pl = cur_plan(a);
	int		 i;

	free(a->vis);
	a->vis = NULL;
	a->nvis = 0;
	if (a->view == V_DIFF && a->diff != NULL) {
		a->vis = xmalloc(((size_t)a->diff->nrows + 1) * sizeof *a->vis);
		for (i = 0; i < a->diff->nrows; i++)
			a->vis[a->nvis++] = i;
		return;
	}
	if (pl == NULL)
		return;
	a->vis = xmalloc((size_t)pl->nnodes * sizeof *a->vis);
	for (i = 0; i < pl->nnodes; i++) {
		a->vis[a->nvis++] = i;
		if (a->folded[i])
			i += pl->nodes[i].nsub;
	}
}

/* Index in vis[] of node 'n', unfolding its ancestors as needed. */
static int
reveal(struct plan_pane *a, int n)
{
	struct plan	*pl = cur_plan(a);
	int		 up, i, changed = 0;

	if (pl == NULL || n < 0 || n >= pl->nnodes)
		return -1;
	for (up = pl->nodes[n].parent; up >= 0; up = pl->nodes[up].parent) {
		if (a->folded[up]) {
			a->folded[up] = 0;
			changed = 1;
		}
	}
	if (changed)
		build_vis(a);
	for (i = 0; i < a->nvis; i++) {
		if (a->vis[i] == n)
			return i;
	}
	return -1;
}

static void
select_node(struct plan_pane *a, int n)
{
	int	i = reveal(a, n);

	if (i >= 0)
		a->sel = i;
}

/* Show entry 'i' in the tree. */
static void
show_entry(struct plan_pane *a, int i)
{
	struct plan	*pl;

	a->cur = i;
	a->warn = -1;
	a->view = V_TREE;
	a->sel = a->top = a->hscroll = a->dtop = 0;
	free(a->folded);
	a->folded = NULL;
	pl = cur_plan(a);
	if (pl != NULL)
		a->folded = xcalloc((size_t)pl->nnodes + 1, 1);
	plan_diff_free(a->diff);
	a->diff = NULL;
	build_vis(a);
}

static int
add_entry(struct plan_pane *a, struct plan *pl, const char *source,
    int64_t hist_id, int64_t ts, int64_t queryid)
{
	struct entry	*e;

	a->entries = xrealloc(a->entries, (size_t)(a->nentries + 1) *
	    sizeof *a->entries);
	e = &a->entries[a->nentries];
	e->plan = pl;
	e->source = xstrdup(source);
	e->hist_id = hist_id;
	e->ts = ts;
	e->queryid = queryid;
	e->label = NULL;
	return a->nentries++;
}

void
pane_plan_open(struct pane *p, struct plan *pl, const char *source)
{
	struct plan_pane *a = PP(p);

	a->error[0] = '\0';
	show_entry(a, add_entry(a, pl, source, 0, 0, 0));
	p->dirty = 1;
}

void
pane_plan_stored(struct pane *p, int64_t id, int64_t ts, int64_t queryid)
{
	struct plan_pane *a = PP(p);

	if (a->cur < 0)
		return;
	a->entries[a->cur].hist_id = id;
	a->entries[a->cur].ts = ts;
	a->entries[a->cur].queryid = queryid;
}

static void
start_diff(struct plan_pane *a, int old)
{
	struct plan	*pa = a->entries[old].plan, *pb = cur_plan(a);

	if (pa == NULL || pb == NULL)
		return;
	a->base = old;
	plan_diff_free(a->diff);
	a->diff = plan_diff_new(pa, pb);
	a->view = V_DIFF;
	a->sel = a->top = 0;
	build_vis(a);
}

void
pane_plan_open_diff(struct pane *p, struct plan *old, const char *old_source,
    struct plan *new, const char *new_source)
{
	struct plan_pane	*a = PP(p);
	int			 o;

	o = add_entry(a, old, old_source, 0, 0, 0);
	show_entry(a, add_entry(a, new, new_source, 0, 0, 0));
	start_diff(a, o);
	p->dirty = 1;
}

void
pane_plan_error(struct pane *p, const char *msg)
{
	struct plan_pane *a = PP(p);

	snprintf(a->error, sizeof a->error, "%s", msg);
	p->dirty = 1;
}

/* Plans stored in history, listed once when the list opens. */
static void
load_history_list(struct pane *p)
{
	struct plan_pane	*a = PP(p);
	struct history		*h = ui_history(p->ui);
	struct history_plan	*hp = NULL;
	size_t			 n, i;
	int			 k;

	if (a->hist_loaded || h == NULL)
		return;
	a->hist_loaded = 1;
	n = history_plans(h, &hp);
	for (i = 0; i < n; i++) {
		char	src[256], when[32];
		time_t	t = (time_t)(hp[i].ts / 1000);
		struct tm tm;

		for (k = 0; k < a->nentries; k++) {
			if (a->entries[k].hist_id == hp[i].id)
				break;
		}
		if (k < a->nentries)
			continue;
		gmtime_r(&t, &tm);
		strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
		snprintf(src, sizeof src, "history: %s UTC %s db %s queryid %"
		    PRId64 "  %s", when, hp[i].kind, hp[i].datname,
		    hp[i].queryid, hp[i].label);
		k = add_entry(a, NULL, src, hp[i].id, hp[i].ts, hp[i].queryid);
		a->entries[k].label = xstrdup(hp[i].label);
	}
	history_plans_free(hp, n);
}

/* Parse a history entry on first use. */
static int
load_entry(struct pane *p, int i)
{
	struct plan_pane	*a = PP(p);
	struct entry		*e = &a->entries[i];
	struct history		*h = ui_history(p->ui);
	char			*text, *cause = NULL;

	if (e->plan != NULL)
		return 0;
	if (h == NULL || (text = history_plan_text(h, e->hist_id)) == NULL) {
		ui_message(p->ui, 1, "that plan is no longer in history");
		return -1;
	}
	e->plan = plan_parse("history", text, strlen(text), &cause);
	free(text);
	if (e->plan != NULL && e->label != NULL)
		plan_set_query_text(e->plan, e->label);
	if (e->plan == NULL) {
		ui_message(p->ui, 1, "%s", cause);
		free(cause);
		return -1;
	}
	return 0;
}

/* ---- drawing helpers ---- */

/* A time with its unit, for prose: "85.183 ms", "2.52 s". */
static void
fmt_time(char *buf, size_t size, double ms)
{
	if (ms >= 1000)
		snprintf(buf, size, "%.2f s", ms / 1000);
	else
		snprintf(buf, size, "%.3f ms", ms);
}

static void
fmt_ms(char *buf, size_t size, double ms)
{
	if (ms >= 100000)
		snprintf(buf, size, "%.0fs", ms / 1000);
	else if (ms >= 1000)
		snprintf(buf, size, "%.2fs", ms / 1000);
	else if (ms >= 100)
		snprintf(buf, size, "%.1f", ms);
	else
		snprintf(buf, size, "%.3f", ms);
}

/* The highlighted figure of 'n' and the plan's scale for it. */
static void
hl_value(const struct plan_pane *a, const struct plan *pl,
    const struct plan_node *n, double *v, double *max)
{
	switch (a->hl) {
	case HL_COST:
		*v = n->self_cost;
		*max = pl->nodes[0].total_cost;
		break;
	case HL_BUFFERS:
		*v = n->self_buf_total;
		*max = pl->max_buf;
		break;
	default:
		*v = pl->analyzed ? n->self_ms : n->self_cost;
		*max = pl->analyzed ? pl->total_ms : pl->nodes[0].total_cost;
		break;
	}
}

/* The highlighted figure as a share of its scale, 0..1. */
static double
share(const struct plan_pane *a, const struct plan *pl,
    const struct plan_node *n)
{
	double	v, max;

	hl_value(a, pl, n, &v, &max);
	return max > 0 ? fmin(1, v / max) : 0;
}

/* Role for the highlighted figure: rows by misestimate, others by share. */
static enum role
heat(const struct plan_pane *a, const struct plan *pl,
    const struct plan_node *n)
{
	double	f;

	if (a->hl == HL_ROWS)
		return n->misestimate >= 100 ? ROLE_BAD :
		    n->misestimate >= 10 ? ROLE_WARN : ROLE_DEFAULT;
	f = share(a, pl, n);
	return f >= 0.3 ? ROLE_BAD : f >= 0.1 ? ROLE_WARN : ROLE_DEFAULT;
}

/* A bar of 'width' cells for a share 0..1, in eighths. */
static void
put_bar(struct grid *g, int row, int col, int width, double f,
    enum role role)
{
	static const uint32_t eighths[] = {
		0x258F, 0x258E, 0x258D, 0x258C, 0x258B, 0x258A, 0x2589
	};
	int	cells, i, rem;

	if (!(f > 0))
		return;
	if (f > 1)
		f = 1;
	cells = (int)(f * width * 8 + 0.5);
	if (cells == 0)
		cells = 1;
	for (i = 0; i < width && cells >= 8; i++, cells -= 8)
		grid_putc(g, row, col + i, grid_utf8() ? G_BLOCK_FULL : '#',
		    role);
	rem = cells;
	if (i < width && rem > 0)
		grid_putc(g, row, col + i, grid_utf8() ? eighths[rem - 1] :
		    '#', role);
}

/* "[InitPlan 1] ▾ Hash Join  (c.id = t.cid)" with the tree indent. */
static void
node_text(const struct plan_node *n, int folded, struct strbuf *sb)
{
	char	title[512];
	int	d;

	for (d = 0; d < n->depth && d < 64; d++)
		strbuf_addstr(sb, "  ");
	if (n->depth > 64)
		strbuf_addf(sb, "(%d) ", n->depth);
	if (n->nkids > 0)
		strbuf_addstr(sb, grid_utf8() ? (folded ? "\xe2\x96\xb8 " :
		    "\xe2\x96\xbe ") : (folded ? "+ " : "- "));
	else
		strbuf_addstr(sb, grid_utf8() ? "\xc2\xb7 " : "  ");
	if (n->subplan != NULL)
		strbuf_addf(sb, "[%s] ", n->subplan);
	strbuf_addstr(sb, plan_node_title(n, title, sizeof title));
	if (folded && n->nsub > 0)
		strbuf_addf(sb, " (+%d)", n->nsub);
	if (n->cond != NULL)
		strbuf_addf(sb, "  %s", n->cond);
}

static const char *
amb_mark(unsigned amb)
{
	if (amb & PLAN_AMB_PARALLEL)
		return "P";
	if (amb & PLAN_AMB_CTE)
		return "C";
	if (amb & PLAN_AMB_INITPLAN)
		return "I";
	if (amb & PLAN_AMB_ROUNDING)
		return "R";
	if (amb & PLAN_AMB_CLAMPED)
		return "!";
	if (amb & PLAN_AMB_JIT)
		return "J";
	return "";
}

/* The plan's own line: source, size, times, triggers, JIT, highlight. */
static void
draw_summary(struct plan_pane *a, struct grid *g, int row)
{
	struct plan	*pl = cur_plan(a);
	struct strbuf	 sb = STRBUF_INIT;
	char		 b1[32];

	strbuf_addf(&sb, "%s  %d node%s", a->entries[a->cur].source,
	    pl->nnodes, pl->nnodes == 1 ? "" : "s");
	if (pl->has_execution) {
		fmt_time(b1, sizeof b1, pl->execution_ms);
		strbuf_addf(&sb, "  exec %s", b1);
	} else if (!pl->analyzed)
		strbuf_addstr(&sb, "  estimates only");
	if (pl->has_planning) {
		fmt_time(b1, sizeof b1, pl->planning_ms);
		strbuf_addf(&sb, "  plan %s", b1);
	}
	if (pl->ntriggers > 0) {
		fmt_time(b1, sizeof b1, pl->trigger_ms);
		strbuf_addf(&sb, "  triggers %s", b1);
	}
	if (pl->has_jit) {
		fmt_time(b1, sizeof b1, pl->jit_total_ms);
		strbuf_addf(&sb, "  JIT %s", b1);
	}
	strbuf_addf(&sb, "  highlight: %s", hl_names[a->hl]);
	grid_put_trunc(g, row, 0, g->cols, sb.buf, ROLE_TITLE);
	strbuf_release(&sb);
}

/* ---- the tree ---- */

struct tcol {
	const char	*title;
	int		 width;
	int		 min_cols;
};

enum { TC_SELF, TC_SHARE, TC_BAR, TC_INCL, TC_EST, TC_ACT, TC_MIS, TC_LOOPS,
	TC_BUF, TC_FLAG, TC__COUNT };

static const struct tcol tcols[TC__COUNT] = {
	[TC_SELF] = { "SELF ms", 8, 0 },
	[TC_SHARE] = { "%", 4, 0 },
	[TC_BAR] = { "", 8, 0 },
	[TC_INCL] = { "INCL ms", 8, 0 },
	[TC_EST] = { "EST", 6, 0 },
	[TC_ACT] = { "ACTUAL", 6, 0 },
	[TC_MIS] = { "MISEST", 6, 90 },
	[TC_LOOPS] = { "LOOPS", 6, 110 },
	[TC_BUF] = { "BUFS", 6, 100 },
	[TC_FLAG] = { "", 1, 0 },
};

/* Estimates only: other figures in the same places. */
static const char *const est_titles[TC__COUNT] = {
	[TC_SELF] = "COST", [TC_SHARE] = "%", [TC_INCL] = "TOTAL",
	[TC_EST] = "ROWS", [TC_ACT] = "WIDTH", [TC_MIS] = "",
	[TC_LOOPS] = "", [TC_BUF] = "",
};

static int
shown(int c, int cols)
{
	return cols >= tcols[c].min_cols;
}

static void
draw_node_row(struct plan_pane *a, struct grid *g, int row, int node,
    int selected)
{
	struct plan		*pl = cur_plan(a);
	struct plan_node	*n = &pl->nodes[node];
	struct strbuf		 sb = STRBUF_INIT;
	enum role		 h = heat(a, pl, n);
	enum role		 base = selected ? ROLE_SELECTION : ROLE_DEFAULT;
	char			 buf[48];
	int			 col = 0, c;

	if (selected)
		grid_fill(g, row, 0, g->cols, ' ', ROLE_SELECTION);
	for (c = 0; c < TC__COUNT; c++) {
		int w = tcols[c].width;

		if (!shown(c, g->cols))
			continue;
		buf[0] = '\0';
		switch (c) {
		case TC_SELF:
			if (!pl->analyzed)
				snprintf(buf, sizeof buf, "%.2f", n->self_cost);
			else if (!n->never_executed)
				fmt_ms(buf, sizeof buf, n->self_ms);
			else
				snprintf(buf, sizeof buf, "never");
			break;
		case TC_SHARE:
			snprintf(buf, sizeof buf, "%.0f", 100 * share(a, pl, n));
			break;
		case TC_BAR:
			put_bar(g, row, col, w, share(a, pl, n),
			    selected ? ROLE_SELECTION : h == ROLE_DEFAULT ?
			    ROLE_TREE : h);
			break;
		case TC_INCL:
			if (!pl->analyzed)
				snprintf(buf, sizeof buf, "%.0f", n->total_cost);
			else if (!n->never_executed)
				fmt_ms(buf, sizeof buf, n->incl_ms);
			break;
		case TC_EST:
			fmt_count(buf, sizeof buf, n->plan_rows);
			break;
		case TC_ACT:
			if (!pl->analyzed)
				snprintf(buf, sizeof buf, "%.0f", n->plan_width);
			else if (n->has_actual && !n->never_executed)
				fmt_count(buf, sizeof buf, n->act_rows);
			break;
		case TC_MIS:
			if (pl->analyzed && n->has_actual && !n->never_executed &&
			    n->misestimate >= 2)
				snprintf(buf, sizeof buf, "%s%.0fx",
				    n->underestimate ? (grid_utf8() ?
				    "\xe2\x86\x91" : "^") : (grid_utf8() ?
				    "\xe2\x86\x93" : "v"), n->misestimate);
			break;
		case TC_LOOPS:
			if (pl->analyzed && n->has_actual)
				fmt_count(buf, sizeof buf, n->loops);
			break;
		case TC_BUF:
			if (n->has_buffers)
				fmt_count(buf, sizeof buf, n->self_buf_total);
			break;
		case TC_FLAG:
			snprintf(buf, sizeof buf, "%s", amb_mark(n->amb));
			break;
		}
		if (buf[0] != '\0')
			grid_put_right(g, row, col, w, buf, selected ? base :
			    c == TC_FLAG ? ROLE_DIM :
			    (c == TC_MIS && n->misestimate >= 10) ?
			    (n->misestimate >= 100 ? ROLE_BAD : ROLE_WARN) :
			    (c == TC_SELF || c == TC_SHARE) && a->hl == HL_SELF ?
			    h : (c == TC_BUF && a->hl == HL_BUFFERS) ? h :
			    n->never_executed ? ROLE_DIM : base);
		col += w + 1;
	}
	node_text(n, a->folded[node], &sb);
	grid_put_trunc(g, row, col, g->cols - col, text_skip(sb.buf,
	    a->hscroll), selected ? ROLE_SELECTION : n->never_executed ?
	    ROLE_DIM : h);
	strbuf_release(&sb);
}

static void
draw_tree_header(struct plan_pane *a, struct grid *g, int row)
{
	struct plan	*pl = cur_plan(a);
	int		 col = 0, c;

	grid_fill(g, row, 0, g->cols, ' ', ROLE_COLUMN);
	for (c = 0; c < TC__COUNT; c++) {
		const char *t = pl->analyzed ? tcols[c].title : est_titles[c];

		if (!shown(c, g->cols))
			continue;
		if (t != NULL && *t != '\0')
			grid_put_right(g, row, col, tcols[c].width, t,
			    ROLE_COLUMN);
		col += tcols[c].width + 1;
	}
	grid_put(g, row, col, -1, "NODE", ROLE_COLUMN);
}

/* Warnings under the tree; returns the rows used. */
static int
draw_warnings(struct plan_pane *a, struct grid *g, int bottom)
{
	struct plan	*pl = cur_plan(a);
	int		 n, i, row, selnode;
	char		 line[600];

	if (pl->nwarnings == 0 || g->rows < 14)
		return 0;
	n = pl->nwarnings < 4 ? pl->nwarnings : 4;
	if (g->rows < 20 && n > 2)
		n = 2;
	selnode = a->nvis > 0 ? a->vis[a->sel] : -1;
	row = bottom - n;
	snprintf(line, sizeof line, "Warnings, by impact (%d; w goes to the "
	    "next):", pl->nwarnings);
	grid_fill(g, row - 1, 0, g->cols, ' ', ROLE_COLUMN);
	grid_put_trunc(g, row - 1, 0, g->cols, line, ROLE_COLUMN);
	for (i = 0; i < n; i++) {
		const struct plan_warning *w = &pl->warnings[i];

		snprintf(line, sizeof line, "%d %-12s %s", i + 1,
		    plan_warning_name(w->kind), w->text);
		grid_put_trunc(g, row + i, 0, g->cols, line,
		    w->node == selnode ? ROLE_SELECTION :
		    w->kind == PLAN_W_SLOW ? ROLE_WARN : ROLE_BAD);
	}
	return n + 1;
}

static void
draw_tree(struct plan_pane *a, struct grid *g)
{
	int	body, i, wrows;

	draw_summary(a, g, 0);
	draw_tree_header(a, g, 1);
	wrows = draw_warnings(a, g, g->rows);
	body = g->rows - 2 - wrows;
	if (body < 1)
		body = 1;
	a->page = body;
	if (a->sel >= a->nvis)
		a->sel = a->nvis > 0 ? a->nvis - 1 : 0;
	scroll_to(&a->top, a->sel, a->nvis, body);
	for (i = 0; i < body && a->top + i < a->nvis; i++)
		draw_node_row(a, g, 2 + i, a->vis[a->top + i],
		    a->top + i == a->sel);
}

/* ---- detail ---- */

static void
buf_line(struct dline *d, const char *label, const struct plan_buffers *b)
{
	char	v[300];

	snprintf(v, sizeof v, "shared hit %.0f read %.0f dirtied %.0f "
	    "written %.0f  local hit %.0f read %.0f dirtied %.0f written %.0f"
	    "  temp read %.0f written %.0f", b->shared_hit, b->shared_read,
	    b->shared_dirtied, b->shared_written, b->local_hit, b->local_read,
	    b->local_dirtied, b->local_written, b->temp_read, b->temp_written);
	dline_put(d, label, v, ROLE_DEFAULT);
}

static void
draw_node_detail(const struct plan *pl, int node, struct dline *d)
{
	const struct plan_node	*n = &pl->nodes[node];
	char			 v[600], t1[32], t2[32];
	int			 i, row;

	plan_node_title(n, v, sizeof v);
	if ((row = dline_next(d)) >= 0)
		grid_put_trunc(d->g, row, 1, d->g->cols - 2, v, ROLE_TITLE);
	if (n->subplan != NULL || n->rel_kind != NULL) {
		snprintf(v, sizeof v, "%s%s%s", n->rel_kind != NULL ?
		    n->rel_kind : "", n->subplan != NULL ? "  " : "",
		    n->subplan != NULL ? n->subplan : "");
		dline_put(d, "relationship", v, ROLE_DEFAULT);
	}
	if (pl->analyzed && n->never_executed)
		dline_put(d, "time", "never executed", ROLE_DIM);
	else if (pl->analyzed && n->has_timing) {
		snprintf(v, sizeof v, "self %.3f ms (%.1f%% of %.3f)  inclusive "
		    "%.3f ms  per loop %.3f..%.3f ms", n->self_ms,
		    pl->total_ms > 0 ? 100 * n->self_ms / pl->total_ms : 0,
		    pl->total_ms, n->incl_ms, n->act_startup, n->act_total);
		dline_put(d, "time", v, ROLE_DEFAULT);
	}
	if (n->amb != 0) {
		snprintf(v, sizeof v, "%s%s%s%s%s%s",
		    n->amb & PLAN_AMB_PARALLEL ? "parallel: times summed over "
		    "processes, divided by workers launched + 1; " : "",
		    n->amb & PLAN_AMB_CTE ? "CTE read by several scans: its "
		    "time charged to one of them; " : "",
		    n->amb & PLAN_AMB_INITPLAN ? "InitPlan: the node that uses "
		    "it is a guess; " : "",
		    n->amb & PLAN_AMB_JIT ? "JIT time is spread over the nodes; "
		    : "",
		    n->amb & PLAN_AMB_ROUNDING ? "per-loop times are rounded to "
		    "0.001 ms, so over these loops the time is approximate; " :
		    "",
		    n->amb & PLAN_AMB_CLAMPED ? "children took longer than "
		    "this node: self time shown as 0" : "");
		dline_put(d, "ambiguous", v, ROLE_WARN);
	}
	if (n->charged_to >= 0) {
		plan_node_title(&pl->nodes[n->charged_to], t1, sizeof t1);
		snprintf(v, sizeof v, "time charged to node %d, %s",
		    n->charged_to, t1);
		dline_put(d, "charged to", v, ROLE_DEFAULT);
	}
	fmt_count(t1, sizeof t1, n->plan_rows);
	if (pl->analyzed && n->has_actual) {
		char	how[48] = "estimate good";

		fmt_count(t2, sizeof t2, n->act_rows);
		if (n->misestimate >= 2)
			snprintf(how, sizeof how, "%s by %.1fx",
			    n->underestimate ? "underestimated" :
			    "overestimated", n->misestimate);
		snprintf(v, sizeof v, "%s: estimated %s, actual %s per loop, "
		    "%.0f loop%s", how, t1, t2, n->loops, n->loops == 1 ? "" :
		    "s");
	} else
		snprintf(v, sizeof v, "estimated %s, width %.0f", t1,
		    n->plan_width);
	dline_put(d, "rows", v, n->misestimate >= 10 ? ROLE_BAD : ROLE_DEFAULT);
	if (n->has_cost) {
		snprintf(v, sizeof v, "%.2f..%.2f  (self %.2f)", n->startup_cost,
		    n->total_cost, n->self_cost);
		dline_put(d, "cost", v, ROLE_DEFAULT);
	}
	if (n->has_buffers) {
		buf_line(d, "buffers", &n->buf);
		buf_line(d, "buffers, self", &n->self_buf);
	}
	if (n->io_read_ms > 0 || n->io_write_ms > 0) {
		snprintf(v, sizeof v, "read %.3f ms  write %.3f ms",
		    n->io_read_ms, n->io_write_ms);
		dline_put(d, "I/O timings", v, ROLE_DEFAULT);
	}
	for (i = 0; i < pl->nwarnings; i++) {
		if (pl->warnings[i].node != node)
			continue;
		dline_put(d, plan_warning_name(pl->warnings[i].kind),
		    pl->warnings[i].text, ROLE_BAD);
		dline_put(d, "", pl->warnings[i].hint, ROLE_DEFAULT);
	}
	dline_next(d);
	if ((row = dline_next(d)) >= 0)
		grid_put(d->g, row, 1, -1, "Every field", ROLE_COLUMN);
	for (i = 0; i < n->nprops; i++) {
		/* Long values wrap under the value column. */
		const char	*val = n->props[i].value;
		int		 w = d->g->cols - 21, lines, k;

		if (w < 10)
			w = 10;
		lines = text_wrap(val, w, NULL, NULL);
		for (k = 0; k < lines && k < 40; k++) {
			row = dline_next(d);
			if (row < 0)
				continue;
			if (k == 0)
				grid_put_trunc(d->g, row, 1, 18, n->props[i].key,
				    ROLE_HEADER_LABEL);
			grid_put_wrapped(d->g, row, 20, w, k, 1, val,
			    ROLE_DEFAULT);
		}
	}
}

static void
draw_detail(struct plan_pane *a, struct grid *g)
{
	struct plan	*pl = cur_plan(a);
	struct dline	 d = { g, 0, a->dtop, 0 };
	char		 v[64];

	if (a->back == V_DIFF && a->diff != NULL && a->nvis > 0) {
		const struct plan_diff_row *r = &a->diff->rows[a->vis[a->sel]];

		if (r->a >= 0 && r->b >= 0) {
			snprintf(v, sizeof v, "%s", plan_diff_kind_name(r->kind));
			dline_put(&d, "diff", v, ROLE_WARN);
			dline_put(&d, "NEW", a->entries[a->cur].source,
			    ROLE_COLUMN);
			draw_node_detail(pl, r->b, &d);
			dline_next(&d);
			dline_put(&d, "OLD", a->entries[a->base].source,
			    ROLE_COLUMN);
			draw_node_detail(a->diff->a, r->a, &d);
		} else if (r->b >= 0)
			draw_node_detail(pl, r->b, &d);
		else
			draw_node_detail(a->diff->a, r->a, &d);
		return;
	}
	if (a->nvis == 0)
		return;
	draw_node_detail(pl, a->vis[a->sel], &d);
}

/* The statement and the plan's own fields. */
static void
draw_text(struct plan_pane *a, struct grid *g)
{
	struct plan	*pl = cur_plan(a);
	struct dline	 d = { g, 0, a->dtop, 0 };
	char		 v[300];
	int		 i, row, lines, k;

	if ((row = dline_next(&d)) >= 0)
		grid_put(g, row, 1, -1, "Statement", ROLE_COLUMN);
	if (pl->query_text == NULL) {
		dline_put(&d, "", "(the plan does not carry its query text; "
		    "auto_explain and EXPLAINs from pgdeck do)", ROLE_DIM);
	} else {
		lines = text_wrap(pl->query_text, g->cols - 2, NULL, NULL);
		for (k = 0; k < lines; k++) {
			if ((row = dline_next(&d)) >= 0)
				grid_put_wrapped(g, row, 1, g->cols - 2, k, 1,
				    pl->query_text, ROLE_DEFAULT);
		}
	}
	dline_next(&d);
	if ((row = dline_next(&d)) >= 0)
		grid_put(g, row, 1, -1, "Plan", ROLE_COLUMN);
	for (i = 0; i < pl->ntriggers; i++) {
		snprintf(v, sizeof v, "%s%s%s: %.3f ms, %.0f calls (not in "
		    "node times)", pl->triggers[i].name,
		    pl->triggers[i].relation != NULL ? " on " : "",
		    pl->triggers[i].relation != NULL ?
		    pl->triggers[i].relation : "", pl->triggers[i].time_ms,
		    pl->triggers[i].calls);
		dline_put(&d, "trigger", v, ROLE_DEFAULT);
	}
	if (pl->has_jit) {
		snprintf(v, sizeof v, "%.0f functions, %.3f ms: generation "
		    "%.3f, inlining %.3f, optimization %.3f, emission %.3f "
		    "(inside node times)", pl->jit_functions, pl->jit_total_ms,
		    pl->jit_generation_ms, pl->jit_inlining_ms,
		    pl->jit_optimization_ms, pl->jit_emission_ms);
		dline_put(&d, "JIT", v, ROLE_DEFAULT);
	}
	for (i = 0; i < pl->nprops; i++)
		dline_put(&d, pl->props[i].key, pl->props[i].value,
		    ROLE_DEFAULT);
}

/* ---- the plan list ---- */

static void
draw_list(struct plan_pane *a, struct grid *g)
{
	int	i, body = g->rows - 1;
	char	line[400];

	grid_fill(g, 0, 0, g->cols, ' ', ROLE_COLUMN);
	grid_put(g, 0, 0, -1, "Plans: Enter shows one, d diffs it (as the "
	    "old plan) against the one shown", ROLE_COLUMN);
	a->page = body;
	if (a->lsel >= a->nentries)
		a->lsel = a->nentries - 1;
	if (a->lsel < 0)
		a->lsel = 0;
	scroll_to(&a->ltop, a->lsel, a->nentries, body);
	for (i = 0; i < body && a->ltop + i < a->nentries; i++) {
		const struct entry *e = &a->entries[a->ltop + i];
		int	sel = a->ltop + i == a->lsel;

		snprintf(line, sizeof line, "%c %s%s",
		    a->ltop + i == a->cur ? '*' : a->ltop + i == a->base ?
		    '<' : ' ', e->source, e->plan != NULL ? "" : "  (stored)");
		if (sel)
			grid_fill(g, 1 + i, 0, g->cols, ' ', ROLE_SELECTION);
		grid_put_trunc(g, 1 + i, 0, g->cols, line, sel ?
		    ROLE_SELECTION : ROLE_DEFAULT);
	}
	if (a->nentries == 0)
		grid_put(g, 1, 1, -1, "no plans yet", ROLE_DIM);
}

/* ---- the diff ---- */

static void
draw_diff(struct plan_pane *a, struct grid *g)
{
	const struct plan_diff	*d = a->diff;
	struct strbuf		 sb = STRBUF_INIT;
	char			 t1[300], t2[300], b1[32], b2[32], b3[32];
	int			 i, body, col;

	snprintf(t1, sizeof t1, "diff  old: %s  new: %s  %d changed, %d "
	    "added, %d gone", a->entries[a->base].source,
	    a->entries[a->cur].source, d->nchanged, d->nadded, d->ngone);
	grid_put_trunc(g, 0, 0, g->cols, t1, ROLE_TITLE);
	grid_fill(g, 1, 0, g->cols, ' ', ROLE_COLUMN);
	grid_put(g, 1, 0, -1, "  OLD ms   NEW ms    DELTA  OLD ROWS NEW ROWS "
	    "NODE", ROLE_COLUMN);
	body = g->rows - 2;
	a->page = body;
	if (a->sel >= a->nvis)
		a->sel = a->nvis > 0 ? a->nvis - 1 : 0;
	scroll_to(&a->top, a->sel, a->nvis, body);
	for (i = 0; i < body && a->top + i < a->nvis; i++) {
		const struct plan_diff_row *r = &d->rows[a->vis[a->top + i]];
		const struct plan_node *na = r->a >= 0 ? &d->a->nodes[r->a] :
		    NULL;
		const struct plan_node *nb = r->b >= 0 ? &d->b->nodes[r->b] :
		    NULL;
		int		 sel = a->top + i == a->sel, row = 2 + i, k;
		enum role	 role;

		role = r->kind == PLAN_DIFF_CHANGED ? ROLE_WARN :
		    r->kind == PLAN_DIFF_ADDED ? ROLE_GOOD :
		    r->kind == PLAN_DIFF_GONE ? ROLE_BAD : ROLE_DEFAULT;
		if (sel) {
			grid_fill(g, row, 0, g->cols, ' ', ROLE_SELECTION);
			role = ROLE_SELECTION;
		}
		b1[0] = b2[0] = '\0';
		if (na != NULL)
			fmt_ms(b1, sizeof b1, na->self_ms);
		if (nb != NULL)
			fmt_ms(b2, sizeof b2, nb->self_ms);
		grid_put_right(g, row, 0, 8, b1, sel ? role : ROLE_DEFAULT);
		grid_put_right(g, row, 9, 8, b2, sel ? role : ROLE_DEFAULT);
		snprintf(b3, sizeof b3, "%+.3f", r->d_self_ms);
		grid_put_right(g, row, 18, 8, b3, sel ? role :
		    r->d_self_ms > 0.1 * (na != NULL ? na->self_ms : 0) + 0.01 ?
		    ROLE_BAD : r->d_self_ms < -0.01 ? ROLE_GOOD : ROLE_DIM);
		b1[0] = b2[0] = '\0';
		if (na != NULL)
			fmt_count(b1, sizeof b1, na->has_actual ?
			    na->act_rows * (na->loops > 0 ? na->loops : 1) :
			    na->plan_rows);
		if (nb != NULL)
			fmt_count(b2, sizeof b2, nb->has_actual ?
			    nb->act_rows * (nb->loops > 0 ? nb->loops : 1) :
			    nb->plan_rows);
		grid_put_right(g, row, 27, 8, b1, sel ? role : ROLE_DEFAULT);
		grid_put_right(g, row, 36, 8, b2, sel ? role : ROLE_DEFAULT);
		col = 45;
		strbuf_reset(&sb);
		strbuf_addch(&sb, r->kind == PLAN_DIFF_SAME ? ' ' :
		    r->kind == PLAN_DIFF_CHANGED ? '~' :
		    r->kind == PLAN_DIFF_ADDED ? '+' : '-');
		for (k = 0; k < r->depth && k < 64; k++)
			strbuf_addstr(&sb, "  ");
		if (r->kind == PLAN_DIFF_CHANGED)
			strbuf_addf(&sb, "%s => %s",
			    plan_node_title(na, t1, sizeof t1),
			    plan_node_title(nb, t2, sizeof t2));
		else
			strbuf_addstr(&sb, plan_node_title(nb != NULL ? nb : na,
			    t1, sizeof t1));
		grid_put_trunc(g, row, col, g->cols - col,
		    text_skip(sb.buf, a->hscroll), role);
	}
	strbuf_release(&sb);
}

static void
draw_empty(struct plan_pane *a, struct grid *g)
{
	int	row = 1;

	if (a->error[0] != '\0') {
		grid_put_trunc(g, row++, 1, g->cols - 2, a->error, ROLE_BAD);
		row++;
	}
	grid_put(g, row++, 1, -1, "No plan here yet.", ROLE_TITLE);
	row++;
	grid_put(g, row++, 3, -1, "p   paste a plan (EXPLAIN JSON or psql text "
	    "output), then Ctrl-D", ROLE_DEFAULT);
	grid_put(g, row++, 3, -1, "o   open a plan file", ROLE_DEFAULT);
	grid_put(g, row++, 3, -1, "P   plans stored in history", ROLE_DEFAULT);
	grid_put(g, row++, 3, -1, "e   in Top queries or Activity: EXPLAIN "
	    "the selected statement", ROLE_DEFAULT);
	row++;
	grid_put(g, row, 1, -1, "From a shell: pgdeck explain plan.json  "
	    "(or - for standard input)", ROLE_DIM);
}

static void
plan_draw(struct pane *p, struct grid *g)
{
	struct plan_pane *a = PP(p);

	if (a->view == V_LIST) {
		draw_list(a, g);
		return;
	}
	if (cur_plan(a) == NULL) {
		draw_empty(a, g);
		return;
	}
	switch (a->view) {
	case V_DETAIL:
		draw_detail(a, g);
		break;
	case V_TEXT:
		draw_text(a, g);
		break;
	case V_DIFF:
		if (a->diff != NULL) {
			draw_diff(a, g);
			break;
		}
		a->view = V_TREE;
		/* FALLTHROUGH */
	default:
		draw_tree(a, g);
		break;
	}
}

/* ---- actions ---- */

static int
node_matches(const struct plan_node *n, const char *needle)
{
	char	title[512];
	int	i;

	if (str_icontains(plan_node_title(n, title, sizeof title), needle))
		return 1;
	if (n->subplan != NULL && str_icontains(n->subplan, needle))
		return 1;
	for (i = 0; i < n->nprops; i++) {
		if (str_icontains(n->props[i].value, needle))
			return 1;
	}
	return 0;
}

/* Next node (in plan order, wrapping) matching the search. */
static int
find_match(struct plan_pane *a, int from, int dir)
{
	struct plan	*pl = cur_plan(a);
	int		 i, k;

	if (pl == NULL || a->search[0] == '\0')
		return -1;
	for (k = 1; k <= pl->nnodes; k++) {
		i = ((from + dir * k) % pl->nnodes + pl->nnodes) % pl->nnodes;
		if (node_matches(&pl->nodes[i], a->search))
			return i;
	}
	return -1;
}

static int
count_matches(struct plan_pane *a)
{
	struct plan	*pl = cur_plan(a);
	int		 i, n = 0;

	for (i = 0; i < pl->nnodes; i++)
		n += node_matches(&pl->nodes[i], a->search);
	return n;
}

static int
selected_node(struct plan_pane *a)
{
	return a->nvis > 0 && a->sel < a->nvis ? a->vis[a->sel] : -1;
}

/* Move a selection 'sel' over 'n' rows for a movement action; 0 if not one. */
static int
move_sel(int *sel, int n, int page, enum action act)
{
	switch (act) {
	case ACT_UP:		*sel -= 1; break;
	case ACT_DOWN:		*sel += 1; break;
	case ACT_PAGE_UP:	*sel -= page; break;
	case ACT_PAGE_DOWN:	*sel += page; break;
	case ACT_HOME:		*sel = 0; break;
	case ACT_END:		*sel = n - 1; break;
	default:		return 0;
	}
	if (*sel >= n)
		*sel = n - 1;
	if (*sel < 0)
		*sel = 0;
	return 1;
}

static enum pane_result
list_action(struct pane *p, enum action act)
{
	struct plan_pane *a = PP(p);

	if (move_sel(&a->lsel, a->nentries, a->page, act)) {
		p->dirty = 1;
		return PANE_REDRAW;
	}
	switch (act) {
	case ACT_ENTER:
		if (a->nentries == 0 || load_entry(p, a->lsel) == -1)
			break;
		show_entry(a, a->lsel);
		break;
	case ACT_PLAN_DIFF:
		if (a->nentries == 0)
			break;
		if (a->cur < 0 || a->lsel == a->cur) {
			ui_message(p->ui, 0, "show a plan first (Enter), then "
			    "pick the old one here and press d");
			break;
		}
		if (load_entry(p, a->lsel) == -1)
			break;
		start_diff(a, a->lsel);
		break;
	case ACT_BACK:
	case ACT_PLAN_LIST:
		a->view = V_TREE;
		break;
	default:
		return PANE_IGNORED;
	}
	p->dirty = 1;
	return PANE_REDRAW;
}

static enum pane_result
plan_action(struct pane *p, enum action act)
{
	struct plan_pane	*a = PP(p);
	struct plan		*pl = cur_plan(a);
	int			 n, i;

	if (a->view == V_LIST)
		return list_action(p, act);
	switch (act) {
	case ACT_PASTE_PLAN:
		ui_paste(p->ui, p, PROMPT_PASTE, "Paste a plan (EXPLAIN JSON or "
		    "psql text output), then Ctrl-D; Esc cancels");
		return PANE_HANDLED;
	case ACT_OPEN_PLAN:
		ui_prompt(p->ui, p, PROMPT_OPEN, "Plan file:", "");
		return PANE_HANDLED;
	case ACT_PLAN_LIST:
		load_history_list(p);
		a->view = V_LIST;
		a->lsel = a->cur >= 0 ? a->cur : 0;
		p->dirty = 1;
		return PANE_REDRAW;
	default:
		break;
	}
	if (pl == NULL)
		return PANE_IGNORED;

	if (a->view == V_DETAIL || a->view == V_TEXT) {
		switch (act) {
		case ACT_UP:
			if (a->dtop > 0)
				a->dtop--;
			break;
		case ACT_DOWN:
			a->dtop++;
			break;
		case ACT_PAGE_UP:
			a->dtop = a->dtop > p->rows ? a->dtop - p->rows : 0;
			break;
		case ACT_PAGE_DOWN:
			a->dtop += p->rows;
			break;
		case ACT_HOME:
			a->dtop = 0;
			break;
		case ACT_BACK:
		case ACT_ENTER:
		case ACT_PLAN_TEXT:
			a->view = a->back;
			build_vis(a);
			break;
		default:
			return PANE_IGNORED;
		}
		p->dirty = 1;
		return PANE_REDRAW;
	}

	if (move_sel(&a->sel, a->nvis, a->page, act)) {
		p->dirty = 1;
		return PANE_REDRAW;
	}
	switch (act) {
	case ACT_LEFT:
		if (a->hscroll > 0)
			a->hscroll -= a->hscroll >= 8 ? 8 : a->hscroll;
		break;
	case ACT_RIGHT:
		a->hscroll += 8;
		break;
	case ACT_ENTER:
		a->back = a->view;
		a->view = V_DETAIL;
		a->dtop = 0;
		break;
	case ACT_PLAN_TEXT:
		a->back = a->view;
		a->view = V_TEXT;
		a->dtop = 0;
		break;
	case ACT_BACK:
		if (a->view == V_DIFF) {
			a->view = V_TREE;
			a->sel = 0;
			build_vis(a);
		}
		break;
	case ACT_PLAN_DIFF:
		if (a->view == V_DIFF) {
			a->view = V_TREE;
			a->sel = 0;
			build_vis(a);
		} else if (a->diff != NULL) {
			a->view = V_DIFF;
			a->sel = 0;
			build_vis(a);
		} else {
			load_history_list(p);
			a->view = V_LIST;
			a->lsel = a->cur > 0 ? a->cur - 1 : 0;
			ui_message(p->ui, 0, "pick the old plan and press d");
		}
		break;
	case ACT_TOGGLE_FOLD:
		if (a->view != V_TREE || (n = selected_node(a)) < 0)
			break;
		if (pl->nodes[n].nkids == 0 && pl->nodes[n].parent >= 0) {
			/* On a leaf, fold its parent. */
			n = pl->nodes[n].parent;
			a->folded[n] = 1;
			build_vis(a);
			select_node(a, n);
			break;
		}
		a->folded[n] = !a->folded[n];
		build_vis(a);
		select_node(a, n);
		break;
	case ACT_HIGHLIGHT:
		a->hl = (a->hl + 1) % HL__COUNT;
		ui_message(p->ui, 0, "highlight: %s", hl_names[a->hl]);
		break;
	case ACT_HOTTEST:
		if (a->view != V_TREE)
			break;
		n = 0;
		for (i = 1; i < pl->nnodes; i++) {
			if (pl->analyzed ? pl->nodes[i].self_ms >
			    pl->nodes[n].self_ms : pl->nodes[i].self_cost >
			    pl->nodes[n].self_cost)
				n = i;
		}
		select_node(a, n);
		break;
	case ACT_NEXT_WARNING:
		if (a->view != V_TREE)
			break;
		if (pl->nwarnings == 0) {
			ui_message(p->ui, 0, "no warnings in this plan");
			break;
		}
		/* Warnings in rank order, round and round. */
		i = a->warn = (a->warn + 1) % pl->nwarnings;
		select_node(a, pl->warnings[i].node);
		ui_message(p->ui, 0, "%d/%d %s", i + 1, pl->nwarnings,
		    pl->warnings[i].hint);
		break;
	case ACT_FILTER:
		if (a->view != V_TREE)
			break;
		ui_prompt(p->ui, p, PROMPT_SEARCH, "Search nodes:", a->search);
		return PANE_HANDLED;
	case ACT_NEXT_MATCH:
	case ACT_PREV_MATCH:
		if (a->view != V_TREE)
			break;
		n = find_match(a, selected_node(a), act == ACT_NEXT_MATCH ? 1 :
		    -1);
		if (n < 0)
			ui_message(p->ui, 0, a->search[0] ? "no node matches "
			    "'%s'" : "search first (/)", a->search);
		else
			select_node(a, n);
		break;
	case ACT_COPY:
		if (pl->query_text != NULL)
			ui_copy(p->ui, pl->query_text);
		else
			ui_message(p->ui, 0, "this plan has no query text");
		break;
	default:
		return PANE_IGNORED;
	}
	p->dirty = 1;
	return PANE_REDRAW;
}

static void
plan_prompt(struct pane *p, int id, enum prompt_event ev, const char *text)
{
	struct plan_pane	*a = PP(p);
	struct plan		*pl;
	char			*cause = NULL;
	int			 n;

	if (id == PROMPT_SEARCH) {
		if (ev == PROMPT_CANCELLED)
			return;
		snprintf(a->search, sizeof a->search, "%s", text);
		if (a->search[0] == '\0' || cur_plan(a) == NULL)
			return;
		n = find_match(a, ev == PROMPT_DONE ? selected_node(a) :
		    selected_node(a) - 1, 1);
		if (n >= 0)
			select_node(a, n);
		if (ev == PROMPT_DONE && n < 0)
			ui_message(p->ui, 1, "no node matches '%s'", a->search);
		else if (ev == PROMPT_DONE) {
			int	k = count_matches(a);

			ui_message(p->ui, 0, "%d node%s match '%s' (n, N: next,"
			    " previous)", k, k == 1 ? "" : "s", a->search);
		}
		p->dirty = 1;
		return;
	}
	if (ev != PROMPT_DONE)
		return;
	if (id == PROMPT_OPEN) {
		if (text[0] == '\0')
			return;
		if ((pl = plan_load(text, &cause)) == NULL) {
			ui_message(p->ui, 1, "%s", cause);
			free(cause);
			return;
		}
		pane_plan_open(p, pl, text);
	} else if (id == PROMPT_PASTE) {
		if (text[0] == '\0')
			return;
		if ((pl = plan_parse("paste", text, strlen(text), &cause)) ==
		    NULL) {
			ui_message(p->ui, 1, "%s", cause);
			free(cause);
			return;
		}
		pane_plan_open(p, pl, "pasted plan");
	}
}

static const enum action *
plan_hints(struct pane *p)
{
	static const enum action tree[] = {
		ACT_TOGGLE_FOLD, ACT_ENTER, ACT_HIGHLIGHT, ACT_HOTTEST,
		ACT_NEXT_WARNING, ACT_FILTER, ACT_PLAN_TEXT, ACT_PLAN_LIST,
		ACT_PLAN_DIFF, ACT_NONE
	};
	static const enum action empty[] = {
		ACT_PASTE_PLAN, ACT_OPEN_PLAN, ACT_PLAN_LIST, ACT_NONE
	};
	static const enum action list[] = {
		ACT_ENTER, ACT_PLAN_DIFF, ACT_BACK, ACT_NONE
	};
	static const enum action detail[] = { ACT_BACK, ACT_NONE };
	struct plan_pane *a = PP(p);

	if (a->view == V_LIST)
		return list;
	if (cur_plan(a) == NULL)
		return empty;
	if (a->view == V_DETAIL || a->view == V_TEXT)
		return detail;
	return tree;
}

const struct pane_ops pane_plan_ops = {
	.name = "plan",
	.title = "Plan",
	.init = plan_init,
	.free = plan_free_pane,
	.draw = plan_draw,
	.action = plan_action,
	.hints = plan_hints,
	.prompt = plan_prompt,
};
