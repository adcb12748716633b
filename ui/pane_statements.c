/*
 * pane_statements.c - Top queries: pg_stat_statements as rates.
 *
 * Rates are over the refresh interval, or over a window of history
 * (w cycles: interval, 1 min, 5 min, 15 min, 1 h, all): the window's
 * rates come from the same delta rules, between the snapshot shown and
 * the history sample at the start of the window.  Entries that are new
 * or were reset in the interval are marked, never shown as giant rates.
 * Sessions are linked by query_id: how many run each statement now and
 * how many of those wait.
 */
#include "panes.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"
#include "spark.h"
#include "../src/core/clock.h"
#include "../src/core/strbuf.h"
#include "../src/core/util.h"
#include "../src/stats/stmt.h"
#include "../src/store/history.h"
#include "../src/core/banned.h"

enum scol {
	SC_CALLS, SC_EXEC, SC_MEAN, SC_SHARE, SC_ROWS, SC_HIT, SC_READ,
	SC_TEMP, SC_WAL, SC_PLAN, SC_RUNNING, SC_USER, SC_DB, SC_QUERY,
	SC__COUNT
};

static const struct {
	const char	*title;
	const char	*name;		/* for the title line */
	int		 width;
	int		 right;
	int		 min_cols;	/* shown from this screen width */
} cols[SC__COUNT] = {
	[SC_CALLS] = { "CALLS/s", "calls", 8, 1, 0 },
	[SC_EXEC] = { "EXEC/s", "exec time", 8, 1, 0 },
	[SC_MEAN] = { "MEAN", "mean time", 8, 1, 0 },
	[SC_SHARE] = { "%DB", "share of db time", 5, 1, 0 },
	[SC_ROWS] = { "ROWS/s", "rows", 7, 1, 100 },
	[SC_HIT] = { "HIT/s", "shared hit", 7, 1, 120 },
	[SC_READ] = { "READ/s", "shared read", 7, 1, 90 },
	[SC_TEMP] = { "TEMP/s", "temp blocks", 7, 1, 130 },
	[SC_WAL] = { "WAL/s", "WAL bytes", 7, 1, 140 },
	[SC_PLAN] = { "PLAN/s", "plan time", 7, 1, 150 },
	[SC_RUNNING] = { "RUN", "sessions running", 5, 1, 0 },
	[SC_USER] = { "USER", "user", 10, 0, 110 },
	[SC_DB] = { "DB", "database", 10, 0, 100 },
	[SC_QUERY] = { "QUERY", "query", 0, 0, 0 },
};

static const struct {
	const char	*name;
	int64_t		 ms;		/* 0: the refresh interval, -1: all */
} windows[] = {
	{ "the refresh interval", 0 }, { "the last minute", 60000 },
	{ "the last 5 min", 300000 }, { "the last 15 min", 900000 },
	{ "the last hour", 3600000 }, { "all history", -1 },
};
#define NWINDOWS	(sizeof windows / sizeof windows[0])

enum { PROMPT_FILTER = 1, PROMPT_DB, PROMPT_USER };

struct live_link {
	int64_t	 query_id;
	int	 running, waiting;
};

struct statements {
	struct snapshot		*snap;
	struct stmt		*rows;		/* copies with the window's deltas */
	size_t			 nrows_all;
	struct stmt_info	 info;		/* the window's */
	size_t			*idx;		/* filtered and sorted */
	size_t			 nidx;
	struct live_link	*links;		/* by query_id, open addressing */
	size_t			 nlinks;
	int			 window;
	char			 window_note[160];
	struct snapshot		*base;		/* the window's start, cached */
	int			 base_window;
	enum scol		 sort;
	int			 ascending;
	char			 filter[256];
	char			 db[128];
	char			 user[128];
	int			 sel, top, page;
	int			 detail;	/* showing the selection in full */
	int			 detail_top;
	struct stmt		 detail_key;
	int			 hscroll;
};

static struct statements *
S(struct pane *p)
{
	return p->data;
}

static int
statements_init(struct pane *p)
{
	struct statements	*a = xcalloc(1, sizeof *a);

	a->sort = SC_EXEC;
	p->data = a;
	return 0;
}

static void
statements_free(struct pane *p)
{
	struct statements	*a = S(p);

	snapshot_unref(a->snap);
	snapshot_unref(a->base);
	free(a->rows);
	free(a->idx);
	free(a->links);
	free(a);
}

/* Live link: sessions by query_id. */

static struct live_link *
link_slot(const struct statements *a, int64_t qid)
{
	size_t	i;

	if (a->nlinks == 0)
		return NULL;
	i = (size_t)((uint64_t)qid * 0x9e3779b97f4a7c15ULL) & (a->nlinks - 1);
	while (a->links[i].query_id != 0 && a->links[i].query_id != qid)
		i = (i + 1) & (a->nlinks - 1);
	return &a->links[i];
}

static void
build_links(struct statements *a)
{
	const struct session	*x;
	struct live_link	*l;
	size_t			 i;

	free(a->links);
	a->links = NULL;
	a->nlinks = 16;
	while (a->nlinks < a->snap->nsessions * 2 + 2)
		a->nlinks *= 2;
	a->links = xcalloc(a->nlinks, sizeof *a->links);
	for (i = 0; i < a->snap->nsessions; i++) {
		x = &a->snap->sessions[i];
		if (x->query_id == 0 || x->state == NULL ||
		    strcmp(x->state, "active") != 0)
			continue;
		l = link_slot(a, x->query_id);
		l->query_id = x->query_id;
		l->running++;
		if (x->wait_event_type != NULL)
			l->waiting++;
	}
}

static const struct live_link *
link_for(const struct statements *a, int64_t qid)
{
	const struct live_link	*l = link_slot(a, qid);

	return l != NULL && l->query_id == qid ? l : NULL;
}

/* Values, sorting, filtering. */

static double
value(const struct statements *a, const struct stmt *st, enum scol c)
{
	const struct live_link	*l;

	switch (c) {
	case SC_CALLS:	return stmt_rate(st, st->d_calls, &a->info);
	case SC_EXEC:	return stmt_rate(st, st->d_exec_ms, &a->info);
	case SC_MEAN:
		return st->have_delta && st->d_calls > 0 ?
		    st->d_exec_ms / st->d_calls : NAN;
	case SC_SHARE:
		return st->have_delta && a->info.d_exec_ms > 0 ?
		    100 * st->d_exec_ms / a->info.d_exec_ms : NAN;
	case SC_ROWS:	return stmt_rate(st, st->d_rows, &a->info);
	case SC_HIT:	return stmt_rate(st, st->d_hit, &a->info);
	case SC_READ:	return stmt_rate(st, st->d_read, &a->info);
	case SC_TEMP:	return stmt_rate(st, st->d_temp, &a->info);
	case SC_WAL:	return stmt_rate(st, st->d_wal, &a->info);
	case SC_PLAN:	return stmt_rate(st, st->d_plan_ms, &a->info);
	case SC_RUNNING:
		l = link_for(a, st->queryid);
		return l != NULL ? l->running : 0;
	default:	return NAN;
	}
}

static const char *
text_of(const struct stmt *st, enum scol c)
{
	switch (c) {
	case SC_USER:	return st->user;
	case SC_DB:	return st->datname;
	default:	return st->query;
	}
}

static const struct statements *sort_ctx;

static int
compare(const void *pa, const void *pb)
{
	const struct statements	*a = sort_ctx;
	const struct stmt	*x = &a->rows[*(const size_t *)pa];
	const struct stmt	*y = &a->rows[*(const size_t *)pb];
	double			 u, v;
	const char		*s, *t;
	int			 r;

	if (a->sort >= SC_USER) {
		s = text_of(x, a->sort);
		t = text_of(y, a->sort);
		if (s == NULL || t == NULL)
			return (s == NULL) - (t == NULL);
		r = strcmp(s, t);
		return a->ascending ? r : -r;
	}
	u = value(a, x, a->sort);
	v = value(a, y, a->sort);
	/* Unknown rates last, whatever the direction. */
	if (isnan(u) || isnan(v))
		return isnan(u) - isnan(v);
	if (u == v)
		return x->exec_ms < y->exec_ms ? 1 : x->exec_ms > y->exec_ms ?
		    -1 : 0;
	r = u < v ? -1 : 1;
	return a->ascending ? r : -r;
}

static int
matches(const struct statements *a, const struct stmt *st)
{
	if (a->db[0] != '\0' && (st->datname == NULL ||
	    strcmp(st->datname, a->db) != 0))
		return 0;
	if (a->user[0] != '\0' && (st->user == NULL ||
	    strcmp(st->user, a->user) != 0))
		return 0;
	if (a->filter[0] == '\0')
		return 1;
	return (st->query != NULL && str_icontains(st->query, a->filter)) ||
	    (st->user != NULL && str_icontains(st->user, a->filter)) ||
	    (st->datname != NULL && str_icontains(st->datname, a->filter));
}

static void
resort(struct statements *a)
{
	size_t	i;

	free(a->idx);
	a->idx = xcalloc(a->nrows_all + 1, sizeof *a->idx);
	a->nidx = 0;
	for (i = 0; i < a->nrows_all; i++) {
		if (matches(a, &a->rows[i]))
			a->idx[a->nidx++] = i;
	}
	sort_ctx = a;
	qsort(a->idx, a->nidx, sizeof *a->idx, compare);
	sort_ctx = NULL;
	if (a->sel >= (int)a->nidx)
		a->sel = (int)a->nidx - 1;
	if (a->sel < 0)
		a->sel = 0;
}

/*
 * The sample the window starts at, loaded from history.  A live window
 * slides by one sample every refresh; reloading thousands of counters
 * each time is UI-thread work for nothing, so the base is kept until it
 * falls 5% of the window behind (the rates use its exact time).
 */
static struct snapshot *
window_base(struct statements *a, struct history *h, int64_t id,
    char **cause)
{
	int64_t	ms = windows[a->window].ms, lag;

	if (a->base != NULL && a->base_window == a->window &&
	    a->base->sample_id <= id) {
		lag = a->snap->taken_ms - a->base->taken_ms - ms;
		if (a->base->sample_id == id || (ms > 0 && lag >= 0 &&
		    lag <= ms / 20))
			return a->base;
	}
	snapshot_unref(a->base);
	a->base = history_load(h, id, 1, cause);
	a->base_window = a->window;
	return a->base;
}

/* The rows: the snapshot's entries, with the window's deltas. */
static void
rebuild(struct pane *p)
{
	struct statements	*a = S(p);
	struct history		*h = ui_history(p->ui);
	const struct history_sample *sm;
	struct snapshot		*base = NULL;
	char			*cause = NULL;
	size_t			 n;
	long			 i;
	int64_t			 from;

	free(a->rows);
	a->rows = NULL;
	a->nrows_all = 0;
	a->window_note[0] = '\0';
	if (a->snap == NULL)
		return;
	a->info = a->snap->stmt_info;
	if (a->snap->nstmts > 0) {
		a->rows = xcalloc(a->snap->nstmts, sizeof *a->rows);
		memcpy(a->rows, a->snap->stmts,
		    a->snap->nstmts * sizeof *a->rows);
		a->nrows_all = a->snap->nstmts;
	}
	if (windows[a->window].ms != 0) {
		if (h == NULL || (n = history_samples(h, &sm)) == 0) {
			snprintf(a->window_note, sizeof a->window_note,
			    "no history: rates are over the refresh interval");
		} else {
			from = windows[a->window].ms < 0 ? sm[0].ts :
			    a->snap->taken_ms - windows[a->window].ms;
			i = history_index_at(h, from);
			if (i < 0)
				i = 0;
			if (sm[i].ts >= a->snap->taken_ms)
				snprintf(a->window_note, sizeof a->window_note,
				    "history starts now: no window yet");
			else if ((base = window_base(a, h, sm[i].id,
			    &cause)) == NULL) {
				snprintf(a->window_note, sizeof a->window_note,
				    "%s", cause);
				free(cause);
			} else {
				stmts_derive(a->rows, a->nrows_all, &a->info,
				    base->stmts, base->nstmts, &base->stmt_info,
				    (double)(a->snap->taken_ms - base->taken_ms) /
				    1000.0);
				if (sm[i].ts > from && windows[a->window].ms > 0)
					snprintf(a->window_note,
					    sizeof a->window_note,
					    "history covers only %.0f s of it",
					    a->info.interval);
			}
		}
	}
	build_links(a);
	resort(a);
}

static void
statements_update(struct pane *p, struct snapshot *s)
{
	struct statements	*a = S(p);

	snapshot_unref(a->snap);
	a->snap = snapshot_ref(s);
	rebuild(p);
}

/* Drawing. */

static void
fmt_rate(char *buf, size_t size, double v, int ms)
{
	if (isnan(v))
		snprintf(buf, size, "-");
	else if (ms && v < 1000)
		snprintf(buf, size, v < 10 ? "%.2fms" : "%.0fms", v);
	else if (ms)
		snprintf(buf, size, "%.2fs", v / 1000);
	else
		fmt_count(buf, size, v);
}

static void
fmt_bytes_rate(char *buf, size_t size, double v)
{
	if (isnan(v))
		snprintf(buf, size, "-");
	else if (v < 1024)
		snprintf(buf, size, "%.0fB", v);
	else if (v < 1024 * 1024)
		snprintf(buf, size, "%.1fk", v / 1024);
	else
		snprintf(buf, size, "%.1fM", v / 1024 / 1024);
}

static const char *
cell(const struct statements *a, const struct stmt *st, enum scol c,
    char *buf, size_t size, enum role *role)
{
	const struct live_link	*l;
	double			 v;

	*role = ROLE_DEFAULT;
	switch (c) {
	case SC_USER:
	case SC_DB:
	case SC_QUERY:
		return text_of(st, c) != NULL ? text_of(st, c) : "?";
	case SC_RUNNING:
		l = link_for(a, st->queryid);
		if (l == NULL || l->running == 0)
			return "";
		if (l->waiting > 0) {
			*role = ROLE_STATE_WAITING;
			snprintf(buf, size, "%d/%dw", l->running, l->waiting);
		} else {
			*role = ROLE_STATE_ACTIVE;
			snprintf(buf, size, "%d", l->running);
		}
		return buf;
	default:
		break;
	}
	if (!st->have_delta) {
		*role = ROLE_DIM;
		return "-";
	}
	if (st->change != STMT_SAME && c == SC_CALLS) {
		/* Counted since it (re)started: inside the interval. */
		*role = ROLE_WARN;
		snprintf(buf, size, "%s", st->change == STMT_NEW ? "new" :
		    "reset");
		return buf;
	}
	v = value(a, st, c);
	switch (c) {
	case SC_EXEC:
	case SC_MEAN:
	case SC_PLAN:
		fmt_rate(buf, size, v, 1);
		break;
	case SC_SHARE:
		if (isnan(v))
			snprintf(buf, size, "-");
		else
			snprintf(buf, size, "%.1f", v);
		if (v >= 20)
			*role = ROLE_WARN;
		break;
	case SC_WAL:
		fmt_bytes_rate(buf, size, v);
		break;
	default:
		fmt_rate(buf, size, v, 0);
		break;
	}
	if (v == 0)
		*role = ROLE_DIM;
	return buf;
}

static void
draw_title(struct grid *g, const char *text)
{
	grid_fill(g, 0, 0, g->cols, ' ', ROLE_TITLE);
	grid_put_trunc(g, 0, 1, g->cols - 2, text, ROLE_TITLE);
}



/* One line under the title: why rates are missing or partial. */
static const char *
notice(const struct statements *a, char *buf, size_t size, enum role *role)
{
	const char	*hint = stmt_info_hint(&a->info);

	*role = ROLE_WARN;
	if (a->info.status != STMTS_OK)
		return hint;
	if (a->info.reset) {
		snprintf(buf, size, "pg_stat_statements was reset in %s: entries"
		    " show what ran since", windows[a->window].name);
		return buf;
	}
	if (a->info.evicted > 0) {
		snprintf(buf, size, "%" PRId64 " entries evicted in %s: rates are"
		    " lower bounds (raise pg_stat_statements.max)",
		    a->info.evicted, windows[a->window].name);
		return buf;
	}
	if (a->window_note[0] != '\0')
		return a->window_note;
	if (hint != NULL)
		return hint;
	*role = ROLE_DIM;
	return NULL;
}

static void
draw_list(struct statements *a, struct grid *g)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		 buf[64], nb[256];
	int		 show[SC__COUNT], row, col, r, qw;
	size_t		 c;
	const char	*t, *note;
	enum role	 role;
	const struct stmt *st;

	strbuf_addf(&sb, "Statements: %zu of %zu | rates over %s", a->nidx,
	    a->nrows_all, windows[a->window].name);
	if (a->info.interval > 0)
		strbuf_addf(&sb, " (%.3gs)", a->info.interval);
	if (a->db[0] != '\0')
		strbuf_addf(&sb, " | db %s", a->db);
	if (a->user[0] != '\0')
		strbuf_addf(&sb, " | user %s", a->user);
	if (a->filter[0] != '\0')
		strbuf_addf(&sb, " | filter \"%s\"", a->filter);
	strbuf_addf(&sb, " | sorted by %s %s", cols[a->sort].name,
	    a->ascending ? "asc" : "desc");
	draw_title(g, sb.buf);
	strbuf_release(&sb);

	row = 1;
	if ((note = notice(a, nb, sizeof nb, &role)) != NULL) {
		grid_put_trunc(g, row, 1, g->cols - 2, note, role);
		row++;
	}
	if (a->info.status != STMTS_OK) {
		grid_put(g, row + 1, 2, -1, "The other panes keep working.",
		    ROLE_DIM);
		return;
	}
	col = 0;
	grid_fill(g, row, 0, g->cols, ' ', ROLE_COLUMN);
	for (c = 0; c < SC_QUERY; c++) {
		show[c] = g->cols >= cols[c].min_cols;
		if (!show[c])
			continue;
		role = c == a->sort ? ROLE_COLUMN_SORTED : ROLE_COLUMN;
		if (cols[c].right)
			grid_put_right(g, row, col, cols[c].width, cols[c].title,
			    role);
		else
			grid_put(g, row, col, cols[c].width, cols[c].title, role);
		col += cols[c].width + 1;
	}
	qw = g->cols - col;
	grid_put(g, row, col, qw, "QUERY", a->sort == SC_QUERY ?
	    ROLE_COLUMN_SORTED : ROLE_COLUMN);
	row++;
	a->page = g->rows - row > 1 ? g->rows - row : 1;
	scroll_to(&a->top, a->sel, (int)a->nidx, a->page);
	for (r = a->top; r < (int)a->nidx && row < g->rows; r++, row++) {
		st = &a->rows[a->idx[r]];
		col = 0;
		for (c = 0; c < SC_QUERY; c++) {
			if (!show[c])
				continue;
			t = cell(a, st, (enum scol)c, buf, sizeof buf, &role);
			if (cols[c].right)
				grid_put_right(g, row, col, cols[c].width, t, role);
			else
				grid_put_trunc(g, row, col, cols[c].width, t, role);
			col += cols[c].width + 1;
		}
		t = st->query != NULL ? st->query : "(text not fetched yet)";
		grid_put_trunc(g, row, col, qw, text_skip(t, a->hscroll),
		    st->query != NULL ? ROLE_DEFAULT : ROLE_DIM);
		if (r == a->sel)
			grid_paint(g, row, 0, g->cols, ROLE_SELECTION);
	}
	if (a->nidx == 0)
		grid_put(g, row + 1, 2, -1, a->nrows_all > 0 ?
		    "No statement matches (Esc clears the filters)" :
		    "pg_stat_statements has no entries yet", ROLE_DIM);
}

static const struct stmt *
find_key(const struct statements *a, const struct stmt *key)
{
	size_t	i;

	for (i = 0; i < a->nrows_all; i++) {
		if (stmt_key_equal(&a->rows[i], key))
			return &a->rows[i];
	}
	return NULL;
}


static void
draw_detail(struct pane *p, struct statements *a, struct grid *g)
{
	const struct stmt	*st = find_key(a, &a->detail_key);
	const struct live_link	*l;
	struct history		*h = ui_history(p->ui);
	struct dline		 d;
	char			 buf[256], r1[32], r2[32];
	double			 series[120];
	int			 w;

	snprintf(buf, sizeof buf, "Statement %" PRId64 " (Esc returns, y copies"
	    " the text)", a->detail_key.queryid);
	draw_title(g, buf);
	if (st == NULL) {
		grid_put(g, 2, 2, -1, "This entry is gone from "
		    "pg_stat_statements (reset or evicted).", ROLE_WARN);
		return;
	}
	memset(&d, 0, sizeof d);
	d.g = g;
	d.row = 1;
	d.skip = a->detail_top;
	d.total = 0;
	snprintf(buf, sizeof buf, "%s / %s%s", st->user ? st->user : "?",
	    st->datname ? st->datname : "?", st->toplevel ? "" :
	    " (nested, called from a function)");
	dline_put(&d, "user / database", buf, ROLE_DEFAULT);
	fmt_count(r1, sizeof r1, (double)st->calls);
	fmt_rate(r2, sizeof r2, value(a, st, SC_CALLS), 0);
	snprintf(buf, sizeof buf, "%s total, %s/s over %s%s", r1, r2,
	    windows[a->window].name, st->change == STMT_NEW ? " (new entry)" :
	    st->change == STMT_RESET ? " (reset in this interval)" : "");
	dline_put(&d, "calls", buf, ROLE_DEFAULT);
	fmt_rate(r1, sizeof r1, st->exec_ms, 1);
	fmt_rate(r2, sizeof r2, value(a, st, SC_EXEC), 1);
	snprintf(buf, sizeof buf, "%s total, %s/s, mean %.3f ms, %.1f%% of "
	    "db time", r1, r2, st->calls > 0 ? st->exec_ms / (double)st->calls :
	    0.0, isnan(value(a, st, SC_SHARE)) ? 0.0 : value(a, st, SC_SHARE));
	dline_put(&d, "execution", buf, ROLE_DEFAULT);
	fmt_rate(r1, sizeof r1, st->plan_ms, 1);
	snprintf(buf, sizeof buf, "%s total in %" PRId64 " plans", r1,
	    st->plans);
	dline_put(&d, "planning", buf, ROLE_DEFAULT);
	fmt_count(r1, sizeof r1, (double)st->rows);
	snprintf(buf, sizeof buf, "%s total, %.1f per call", r1,
	    st->calls > 0 ? (double)st->rows / (double)st->calls : 0.0);
	dline_put(&d, "rows", buf, ROLE_DEFAULT);
	snprintf(buf, sizeof buf, "hit %" PRId64 ", read %" PRId64
	    ", dirtied %" PRId64 " (hit ratio %.1f%%)", st->blks_hit,
	    st->blks_read, st->blks_dirtied, st->blks_hit + st->blks_read > 0 ?
	    100.0 * (double)st->blks_hit / (double)(st->blks_hit +
	    st->blks_read) : 100.0);
	dline_put(&d, "shared blocks", buf, ROLE_DEFAULT);
	snprintf(buf, sizeof buf, "read %" PRId64 ", written %" PRId64,
	    st->temp_read, st->temp_written);
	dline_put(&d, "temp blocks", buf, st->temp_written > 0 ? ROLE_WARN :
	    ROLE_DEFAULT);
	fmt_rate(r1, sizeof r1, st->io_ms, 1);
	snprintf(buf, sizeof buf, "%s reading and writing blocks", r1);
	dline_put(&d, "I/O time", buf, ROLE_DEFAULT);
	fmt_bytes_rate(r1, sizeof r1, (double)st->wal_bytes);
	dline_put(&d, "WAL", r1, ROLE_DEFAULT);
	l = link_for(a, st->queryid);
	snprintf(buf, sizeof buf, "%d running, %d of them waiting",
	    l ? l->running : 0, l ? l->waiting : 0);
	dline_put(&d, "sessions now", buf, l && l->waiting ? ROLE_STATE_WAITING :
	    ROLE_DEFAULT);
	if (h != NULL && d.skip == 0 && d.row < g->rows) {
		int64_t	to = a->snap->taken_ms, from = to - 15 * 60000;

		w = g->cols - 21 < 120 ? g->cols - 21 : 120;
		if (w > 4 && history_stmt_series(h, st, from, to, w,
		    series) == 0) {
			grid_put(g, d.row, 1, 18, "exec time, 15 min",
			    ROLE_HEADER_LABEL);
			spark_draw(g, d.row, 20, w, series, w, ROLE_GOOD);
			d.row++;
		}
	} else if (d.skip > 0)
		d.skip--;
	dline_put(&d, "query", "", ROLE_DEFAULT);
	grid_put_wrapped(g, d.row, 3, g->cols - 4, d.skip, g->rows - d.row,
	    st->query != NULL ? st->query : "(text not fetched yet)",
	    ROLE_DEFAULT);
}

static void
statements_draw(struct pane *p, struct grid *g)
{
	struct statements	*a = S(p);

	if (a->snap == NULL) {
		draw_title(g, "Statements");
		grid_put(g, 2, 2, -1, "Waiting for the first sample...",
		    ROLE_DIM);
		return;
	}
	if (a->detail)
		draw_detail(p, a, g);
	else
		draw_list(a, g);
}

static void
move(struct statements *a, int delta)
{
	if (a->detail) {
		a->detail_top += delta;
		if (a->detail_top < 0)
			a->detail_top = 0;
		return;
	}
	a->sel += delta;
	if (a->sel >= (int)a->nidx)
		a->sel = (int)a->nidx - 1;
	if (a->sel < 0)
		a->sel = 0;
}

static const struct stmt *
selected(const struct statements *a)
{
	if (a->detail)
		return find_key(a, &a->detail_key);
	if (a->sel < 0 || a->sel >= (int)a->nidx)
		return NULL;
	return &a->rows[a->idx[a->sel]];
}

static enum pane_result
statements_action(struct pane *p, enum action act)
{
	struct statements	*a = S(p);
	const struct stmt	*st;

	switch (act) {
	case ACT_UP:		move(a, -1); break;
	case ACT_DOWN:		move(a, 1); break;
	case ACT_PAGE_UP:	move(a, -a->page); break;
	case ACT_PAGE_DOWN:	move(a, a->page); break;
	case ACT_HOME:		move(a, -1000000); break;
	case ACT_END:		move(a, 1000000); break;
	case ACT_LEFT:
		a->hscroll = a->hscroll > 8 ? a->hscroll - 8 : 0;
		break;
	case ACT_RIGHT:
		a->hscroll += 8;
		break;
	case ACT_ENTER:
		if (!a->detail && (st = selected(a)) != NULL) {
			a->detail_key = *st;
			a->detail = 1;
			a->detail_top = 0;
		}
		break;
	case ACT_BACK:
		if (a->detail)
			a->detail = 0;
		else if (a->filter[0] != '\0' || a->db[0] != '\0' ||
		    a->user[0] != '\0') {
			a->filter[0] = a->db[0] = a->user[0] = '\0';
			resort(a);
			ui_message(p->ui, 0, "filters cleared");
		} else
			return PANE_IGNORED;
		break;
	case ACT_FILTER:
		ui_prompt(p->ui, p, PROMPT_FILTER, "Filter:", a->filter);
		break;
	case ACT_FILTER_DB:
		ui_prompt(p->ui, p, PROMPT_DB, "Database (empty: all):", a->db);
		break;
	case ACT_FILTER_USER:
		ui_prompt(p->ui, p, PROMPT_USER, "User (empty: all):", a->user);
		break;
	case ACT_WINDOW:
		a->window = (a->window + 1) % (int)NWINDOWS;
		rebuild(p);
		ui_message(p->ui, 0, "rates over %s", windows[a->window].name);
		break;
	case ACT_SORT_NEXT:
	case ACT_SORT_PREV:
		a->sort = (enum scol)((a->sort + (act == ACT_SORT_NEXT ? 1 :
		    SC__COUNT - 1)) % SC__COUNT);
		a->ascending = a->sort >= SC_USER;
		resort(a);
		break;
	case ACT_SORT_REVERSE:
		a->ascending = !a->ascending;
		resort(a);
		break;
	case ACT_COPY:
		if ((st = selected(a)) != NULL && st->query != NULL)
			ui_copy(p->ui, st->query);
		else
			ui_message(p->ui, 1, "no query text to copy");
		break;
	case ACT_EXPLAIN:
	case ACT_EXPLAIN_ANALYZE:
		if ((st = selected(a)) == NULL)
			break;
		ui_explain_ask(p->ui, st->query, st->datname, st->queryid,
		    act == ACT_EXPLAIN_ANALYZE);
		break;
	default:
		return PANE_IGNORED;
	}
	p->dirty = 1;
	return PANE_HANDLED | PANE_REDRAW;
}

static void
statements_prompt(struct pane *p, int id, enum prompt_event ev,
    const char *text)
{
	struct statements	*a = S(p);

	if (ev == PROMPT_CANCELLED)
		return;
	if (id == PROMPT_FILTER)
		snprintf(a->filter, sizeof a->filter, "%s", text);
	else if (id == PROMPT_DB && ev == PROMPT_DONE)
		snprintf(a->db, sizeof a->db, "%s", text);
	else if (id == PROMPT_USER && ev == PROMPT_DONE)
		snprintf(a->user, sizeof a->user, "%s", text);
	resort(a);
	p->dirty = 1;
}

static const enum action *
statements_hints(struct pane *p)
{
	static const enum action list[] = { ACT_HELP, ACT_ENTER, ACT_FILTER,
	    ACT_WINDOW, ACT_SORT_NEXT, ACT_EXPLAIN, ACT_FILTER_DB,
	    ACT_FILTER_USER, ACT_QUIT, ACT_NONE };
	static const enum action detail[] = { ACT_BACK, ACT_COPY, ACT_EXPLAIN,
	    ACT_HELP, ACT_QUIT, ACT_NONE };

	return S(p)->detail ? detail : list;
}

const struct pane_ops pane_statements_ops = {
	.name = "statements",
	.title = "Top queries",
	.init = statements_init,
	.free = statements_free,
	.update = statements_update,
	.draw = statements_draw,
	.action = statements_action,
	.hints = statements_hints,
	.prompt = statements_prompt,
};
