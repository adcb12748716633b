/*
 * pane_history.c - the cached window: sparklines, ASH, actions, labels.
 *
 * Everything here is read from the history file (the live cache, or the
 * replayed capture), over a window ending at the sample shown: live,
 * that is now; in replay, the time cursor.  Queries run only when the
 * pane is drawn and the sample or window changed.
 */
#include "panes.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui.h"
#include "spark.h"
#include "../src/core/clock.h"
#include "../src/core/strbuf.h"
#include "../src/core/util.h"
#include "../src/store/history.h"
#include "../src/core/banned.h"

#define MAX_BUCKETS	240
#define TOP_N		5

static const struct {
	const char	*name;
	int64_t		 ms;		/* -1: everything */
} windows[] = {
	{ "15 min", 900000 }, { "1 hour", 3600000 }, { "6 hours", 21600000 },
	{ "24 hours", 86400000 }, { "5 min", 300000 }, { "all", -1 },
};
#define NWINDOWS	(sizeof windows / sizeof windows[0])

struct hpane {
	struct snapshot		*snap;
	int			 window;
	int			 stale;
	int64_t			 loaded_ms;	/* when load() last ran */
	int			 force;		/* reload at the next draw */
	int			 width;		/* buckets computed for */
	int64_t			 from, to;
	double			 series[HS__COUNT * MAX_BUCKETS];
	struct history_ash	*waits, *queries;
	size_t			 nwaits, nqueries;
	int64_t			 total_waits, total_queries;
	struct history_audit_row *audit;
	size_t			 naudit;
	struct history_label	*labels;
	size_t			 nlabels;
	int			 top;
};

static struct hpane *
H(struct pane *p)
{
	return p->data;
}

static void
drop(struct hpane *a)
{
	history_ash_free(a->waits, a->nwaits);
	history_ash_free(a->queries, a->nqueries);
	history_audit_free(a->audit, a->naudit);
	history_labels_free(a->labels, a->nlabels);
	a->waits = a->queries = NULL;
	a->audit = NULL;
	a->labels = NULL;
	a->nwaits = a->nqueries = a->naudit = a->nlabels = 0;
}

static int
history_init(struct pane *p)
{
	struct hpane	*a = xcalloc(1, sizeof *a);

	a->stale = 1;
	p->data = a;
	return 0;
}

static void
history_free(struct pane *p)
{
	struct hpane	*a = H(p);

	drop(a);
	snapshot_unref(a->snap);
	free(a);
}

static void
history_update(struct pane *p, struct snapshot *s)
{
	struct hpane	*a = H(p);

	/* A replayed sample is a jump in time: show it at once. */
	if (s->sample_id != 0 || a->snap == NULL)
		a->force = 1;
	snapshot_unref(a->snap);
	a->snap = snapshot_ref(s);
	a->stale = 1;
}

static int64_t
sum_ash(const struct history_ash *x, size_t n)
{
	int64_t	t = 0;
	size_t	i;

	for (i = 0; i < n; i++)
		t += x[i].samples;
	return t;
}

static void
load(struct pane *p, int width)
{
	struct hpane			*a = H(p);
	struct history			*h = ui_history(p->ui);
	const struct history_sample	*sm;
	size_t				 n;

	drop(a);
	a->stale = 0;
	a->width = width > MAX_BUCKETS ? MAX_BUCKETS : width;
	if (h == NULL || a->snap == NULL || (n = history_samples(h, &sm)) == 0)
		return;
	a->to = a->snap->taken_ms;
	a->from = windows[a->window].ms < 0 ? sm[0].ts :
	    a->to - windows[a->window].ms;
	history_series(h, a->from, a->to, a->width, a->series);
	a->nwaits = history_ash(h, ASH_WAITS, a->from, a->to, TOP_N, &a->waits);
	a->nqueries = history_ash(h, ASH_QUERIES, a->from, a->to, TOP_N,
	    &a->queries);
	a->total_waits = sum_ash(a->waits, a->nwaits);
	a->total_queries = sum_ash(a->queries, a->nqueries);
	a->naudit = history_audit_rows(h, 20, &a->audit);
	a->nlabels = history_labels(h, &a->labels);
}

static void
fmt_time(char *buf, size_t size, int64_t ms)
{
	time_t		t = (time_t)(ms / 1000);
	struct tm	tm;

	localtime_r(&t, &tm);
	strftime(buf, size, "%H:%M:%S", &tm);
}


static void
heading(struct dline *o, const char *text)
{
	int	r = dline_next(o);

	if (r >= 0)
		grid_put(o->g, r, 1, -1, text, ROLE_COLUMN);
}

static void
spark_line(struct dline *o, struct hpane *a, const char *label, int k,
    const char *unit)
{
	int	r = dline_next(o), w;
	double	max, last = NAN;
	int	i;
	char	buf[64];

	if (r < 0)
		return;
	w = a->width;
	grid_put(o->g, r, 1, 16, label, ROLE_HEADER_LABEL);
	max = spark_draw(o->g, r, 18, w, a->series +
	    k * a->width, w, k == HS_LOCKWAIT || k == HS_WAITING ? ROLE_WARN :
	    ROLE_GOOD);
	for (i = w - 1; i >= 0 && isnan(last); i--)
		last = a->series[k * a->width + i];
	snprintf(buf, sizeof buf, "%.1f%s (max %.1f)", isnan(last) ? 0 : last,
	    unit, max);
	grid_put(o->g, r, 19 + w, -1, buf, ROLE_DEFAULT);
}

static void
ash_lines(struct dline *o, const struct history_ash *x, size_t n,
    int64_t total)
{
	size_t	i;
	int	r, bar;
	char	buf[32];

	if (n == 0) {
		if ((r = dline_next(o)) >= 0)
			grid_put(o->g, r, 3, -1, "no active sessions sampled",
			    ROLE_DIM);
		return;
	}
	for (i = 0; i < n; i++) {
		if ((r = dline_next(o)) < 0)
			continue;
		snprintf(buf, sizeof buf, "%5.1f%%", total > 0 ?
		    100.0 * (double)x[i].samples / (double)total : 0.0);
		grid_put_right(o->g, r, 1, 7, buf, ROLE_DEFAULT);
		bar = total > 0 ? (int)(10.0 * (double)x[i].samples /
		    (double)total + 0.5) : 0;
		grid_fill(o->g, r, 9, bar, G_BLOCK_FULL, ROLE_GOOD);
		snprintf(buf, sizeof buf, "%" PRId64, x[i].samples);
		grid_put_right(o->g, r, 20, 7, buf, ROLE_DIM);
		grid_put_trunc(o->g, r, 29, o->g->cols - 30, x[i].what,
		    ROLE_DEFAULT);
	}
}

static void
history_draw(struct pane *p, struct grid *g)
{
	struct hpane	*a = H(p);
	struct history	*h = ui_history(p->ui);
	struct dline	 o;
	struct strbuf	 sb = STRBUF_INIT;
	char		 t1[16], t2[16], buf[256];
	const char	*base;
	size_t		 i;
	int		 r, w;

	grid_fill(g, 0, 0, g->cols, ' ', ROLE_TITLE);
	if (h == NULL) {
		grid_put(g, 0, 1, -1, "History", ROLE_TITLE);
		grid_put(g, 2, 2, -1, "No history: pgdeck keeps it unless "
		    "--no-history is given or its file cannot be written (the "
		    "header says why).", ROLE_DIM);
		return;
	}
	w = g->cols - 40;
	if (w < 10)
		w = 10;
	/*
	 * Live, new samples come every refresh: the window's queries read
	 * many spans, so they run at most every 5 s (always on a new
	 * window, width or replay position).
	 */
	if ((a->stale && (a->force || clock_now_ms() - a->loaded_ms >= 5000)) ||
	    a->width != (w > MAX_BUCKETS ? MAX_BUCKETS : w)) {
		load(p, w);
		a->loaded_ms = clock_now_ms();
		a->force = 0;
	}
	fmt_time(t1, sizeof t1, a->from);
	fmt_time(t2, sizeof t2, a->to);
	base = strrchr(history_path(h), '/');
	strbuf_addf(&sb, "History: %s .. %s (%s, w changes) | %s", t1, t2,
	    windows[a->window].name, base != NULL ? base + 1 : history_path(h));
	grid_put_trunc(g, 0, 1, g->cols - 2, sb.buf, ROLE_TITLE);
	strbuf_release(&sb);
	if (a->snap == NULL)
		return;

	memset(&o, 0, sizeof o);
	o.g = g;
	o.row = 1;
	o.skip = a->top;
	o.total = 0;
	spark_line(&o, a, "transactions/s", HS_TPS, "");
	spark_line(&o, a, "active", HS_ACTIVE, "");
	spark_line(&o, a, "idle in xact", HS_IDLE_TX, "");
	spark_line(&o, a, "waiting", HS_WAITING, "");
	spark_line(&o, a, "lock waiters", HS_LOCKWAIT, "");
	dline_next(&o);
	heading(&o, "Top wait events (samples of active sessions)");
	ash_lines(&o, a->waits, a->nwaits, a->total_waits);
	dline_next(&o);
	heading(&o, "Top queries by active samples");
	ash_lines(&o, a->queries, a->nqueries, a->total_queries);
	dline_next(&o);
	heading(&o, "Actions taken in pgdeck");
	if (a->naudit == 0 && (r = dline_next(&o)) >= 0)
		grid_put(g, r, 3, -1, "none", ROLE_DIM);
	for (i = 0; i < a->naudit; i++) {
		if ((r = dline_next(&o)) < 0)
			continue;
		fmt_time(t1, sizeof t1, a->audit[i].ts);
		snprintf(buf, sizeof buf, "%s %s %s pid %d (%s) by %s: %s", t1,
		    a->audit[i].ok ? "ok  " : "FAIL", a->audit[i].action ?
		    a->audit[i].action : "?", a->audit[i].pid,
		    a->audit[i].target_user ? a->audit[i].target_user : "?",
		    a->audit[i].who ? a->audit[i].who : "?",
		    a->audit[i].query ? a->audit[i].query : "");
		grid_put_trunc(g, r, 3, g->cols - 4, buf, a->audit[i].ok ?
		    ROLE_DEFAULT : ROLE_BAD);
	}
	dline_next(&o);
	heading(&o, "Labelled moments (L goes to one in replay)");
	if (a->nlabels == 0 && (r = dline_next(&o)) >= 0)
		grid_put(g, r, 3, -1, "none (S saves this moment)", ROLE_DIM);
	for (i = 0; i < a->nlabels; i++) {
		if ((r = dline_next(&o)) < 0)
			continue;
		fmt_time(t1, sizeof t1, a->labels[i].ts);
		snprintf(buf, sizeof buf, "%s  %s", t1, a->labels[i].label);
		grid_put_trunc(g, r, 3, g->cols - 4, buf, ROLE_DEFAULT);
	}
}

static enum pane_result
history_action(struct pane *p, enum action act)
{
	struct hpane	*a = H(p);

	switch (act) {
	case ACT_UP:
		if (a->top > 0)
			a->top--;
		break;
	case ACT_DOWN:
		a->top++;
		break;
	case ACT_PAGE_UP:
		a->top = a->top > 10 ? a->top - 10 : 0;
		break;
	case ACT_PAGE_DOWN:
		a->top += 10;
		break;
	case ACT_HOME:
		a->top = 0;
		break;
	case ACT_WINDOW:
		a->window = (a->window + 1) % (int)NWINDOWS;
		a->stale = a->force = 1;
		ui_message(p->ui, 0, "window: %s", windows[a->window].name);
		break;
	default:
		return PANE_IGNORED;
	}
	p->dirty = 1;
	return PANE_HANDLED | PANE_REDRAW;
}

static const enum action *
history_hints(struct pane *p)
{
	static const enum action list[] = { ACT_HELP, ACT_WINDOW,
	    ACT_SAVE_LABEL, ACT_STEP_BACK, ACT_STEP_FORWARD, ACT_GOTO_TIME,
	    ACT_QUIT, ACT_NONE };

	(void)p;
	return list;
}

const struct pane_ops pane_history_ops = {
	.name = "history",
	.title = "History",
	.init = history_init,
	.free = history_free,
	.update = history_update,
	.draw = history_draw,
	.action = history_action,
	.hints = history_hints,
};
