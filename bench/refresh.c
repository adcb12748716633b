/*
 * refresh.c - client CPU of one pgdeck refresh against a real server.
 * For bench/history.sh.
 *
 *   refresh CONNINFO REFRESHES INTERVAL_S HISTORY_FILE
 *
 * Part 1 runs pgdeck's own collector (collector_new/collector_start on
 * a pg_conn, the loop pgdeck runs) for REFRESHES published snapshots,
 * INTERVAL_S apart, with two sinks like pgdeck's: history_put() into
 * HISTORY_FILE, and the Activity pane and header drawn into a 200x50
 * cell grid (the curses blit and the terminal write are not included).
 * For each refresh it takes the process CPU clock
 *
 *   collect   from the end of the previous refresh's sinks to this
 *             refresh's publication: libpq reading the answers, the
 *             probes' parsers, the statement deltas, the loop itself
 *   history   history_put() of the snapshot
 *   draw      what pgdeck's screen does with a snapshot while the
 *             Activity pane has the focus: activity_summarize(), update()
 *             of the three panes (Activity, Top queries, History),
 *             header_draw() and the Activity pane's draw()
 *   top       the Top queries pane's draw() on its own (the extra cost
 *             when that pane has the focus instead)
 *
 * The panes belong to a struct ui made with ui_new() and never started
 * (no curses), whose history is the file being written, as pgdeck's is
 * its cache.
 *
 * Part 2 splits "collect": on a second, blocking connection it runs the
 * collector's own statements (built with the same probe_*_sql() for the
 * same capabilities) PASSES times and times PQexec() (libpq: send, read,
 * build the PGresult), each probe_*_parse(), snapshot_derive_stmts()
 * against the previous pass, and freeing.
 *
 * Output is "key value" lines; getrusage() gives the user/sys split and
 * peak RSS.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <libpq-fe.h>

#include "activity/activity.h"
#include "core/loop.h"
#include "core/pg_conn.h"
#include "core/snapshot.h"
#include "config/keymap.h"
#include "config/theme.h"
#include "core/strbuf.h"
#include "live/collector.h"
#include "live/probe.h"
#include "stats/stmt.h"
#include "store/history.h"

#include "../ui/grid.h"
#include "../ui/header.h"
#include "../ui/pane.h"
#include "../ui/panes.h"
#include "../ui/ui.h"

#define ROWS	50
#define COLS	200
#define PASSES	20
/* The collector asks for 500 texts a refresh: 5,000 take ten. */
#define COLD	12

struct run {
	struct loop	*loop;
	struct history	*hist;
	struct ui	*ui;		/* never started: no curses */
	struct pane	*act, *top, *hpane;
	struct grid	 screen, pane_grid;
	int		 want, got;
	double		 mark;		/* CPU after the sinks */
	double		*collect, *history, *draw, *topdraw;
	size_t		 max_sessions, max_stmts, stmts_with_text;
	int		 max_waiters;
};

static double
cpu_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
wall_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
fail(const char *what, const char *cause)
{
	fprintf(stderr, "refresh: %s: %s\n", what, cause ? cause : "?");
	exit(1);
}

static struct history *
host_history(void *arg)
{
	struct run	*r = arg;

	return r->hist;
}

/* What pgdeck's screen does with a snapshot, minus curses (ui.c). */
static void
draw(struct run *r, struct snapshot *s)
{
	struct activity_summary	 sum;
	struct ui_status	 st;
	int			 hrows = header_rows(COLS), top, prow;

	activity_summarize(s, &sum);
	r->act->ops->update(r->act, s);
	r->top->ops->update(r->top, s);
	r->hpane->ops->update(r->hpane, s);
	memset(&st, 0, sizeof st);
	st.ok = 1;
	snprintf(st.state, sizeof st.state, "live");
	snprintf(st.source, sizeof st.source, "%s", s->source ? s->source : "");
	st.refresh = 1;
	grid_clear(&r->screen, ROLE_DEFAULT);
	header_draw(&r->screen, 0, hrows, s, &sum, &st, 0);
	top = hrows + 1;
	prow = ROWS - top - 1;
	grid_clear(&r->pane_grid, ROLE_DEFAULT);
	r->act->rows = prow;
	r->act->cols = COLS;
	r->act->ops->draw(r->act, &r->pane_grid);
	grid_blit(&r->screen, &r->pane_grid, top, 0);
}

/* The Top queries pane's own draw, had it the focus. */
static void
draw_top(struct run *r)
{
	grid_clear(&r->pane_grid, ROLE_DEFAULT);
	r->top->rows = r->pane_grid.rows;
	r->top->cols = COLS;
	r->top->ops->draw(r->top, &r->pane_grid);
}

static void
sink(void *arg, struct snapshot *s)
{
	struct run	*r = arg;
	char		*cause = NULL;
	double		 t0, t1, t2, t3;
	size_t		 i, n = 0;
	int		 w = 0;

	t0 = cpu_now();
	if (r->got >= r->want)
		return;
	r->collect[r->got] = t0 - r->mark;
	if (history_put(r->hist, s, &cause) == -1)
		fail("history_put", cause);
	t1 = cpu_now();
	draw(r, s);
	t2 = cpu_now();
	draw_top(r);
	t3 = cpu_now();
	r->history[r->got] = t1 - t0;
	r->draw[r->got] = t2 - t1;
	r->topdraw[r->got] = t3 - t2;
	for (i = 0; i < s->nstmts; i++)
		n += s->stmts[i].query != NULL;
	for (i = 0; i < s->nsessions; i++)
		w += s->sessions[i].nblockers > 0;
	if (s->nsessions > r->max_sessions)
		r->max_sessions = s->nsessions;
	if (s->nstmts > r->max_stmts)
		r->max_stmts = s->nstmts;
	if (n > r->stmts_with_text)
		r->stmts_with_text = n;
	if (w > r->max_waiters)
		r->max_waiters = w;
	if (++r->got == r->want)
		loop_stop(r->loop);
	r->mark = cpu_now();
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Print mean and median of v[from..n) in ms under 'key'. */
static void
stat_ms(const char *key, const double *v, int from, int n)
{
	double	*c, sum = 0;
	int	 i, m = n - from;

	if (m <= 0)
		return;
	c = malloc((size_t)m * sizeof *c);
	for (i = 0; i < m; i++) {
		c[i] = v[from + i];
		sum += c[i];
	}
	qsort(c, (size_t)m, sizeof *c, cmp_double);
	printf("%s.mean_ms %.3f\n%s.median_ms %.3f\n%s.max_ms %.3f\n", key,
	    sum / m * 1e3, key, c[m / 2] * 1e3, key, c[m - 1] * 1e3);
	free(c);
}

static void
print_mem(const char *prefix)
{
	FILE	*f = fopen("/proc/self/status", "r");
	char	 line[256];

	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, "VmHWM:", 6) == 0)
			printf("%s.hwm_kb %ld\n", prefix,
			    strtol(line + 6, NULL, 10));
		else if (strncmp(line, "VmRSS:", 6) == 0)
			printf("%s.rss_kb %ld\n", prefix,
			    strtol(line + 6, NULL, 10));
	}
	fclose(f);
}

/* ------------------------------------------------------------ part 2 */

struct probe_times {
	double	exec, parse, derive, free_;
};

static PGresult *
timed_exec(PGconn *c, const char *sql, double *acc)
{
	double		 t = cpu_now();
	PGresult	*res = PQexec(c, sql);

	*acc += cpu_now() - t;
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		fail("probe", PQerrorMessage(c));
	return res;
}

static void
split(const char *conninfo, const struct capabilities *caps,
    struct qtexts *texts)
{
	struct probe_times	 act = { 0 }, lck = { 0 };
	struct probe_times	 vit = { 0 }, stm = { 0 };
	struct strbuf		 q_act, q_lck, q_vit, q_stm;
	struct snapshot		*s, *prev = NULL;
	PGconn			*c;
	PGresult		*res;
	char			*cause = NULL;
	double			 t, bytes = 0;
	int			 pass, rows_act = 0, rows_stm = 0;
	int			 rows_lck = 0;

	c = PQconnectdb(conninfo);
	if (PQstatus(c) != CONNECTION_OK)
		fail("connect", PQerrorMessage(c));
	strbuf_init(&q_act, 0);
	strbuf_init(&q_lck, 0);
	strbuf_init(&q_vit, 0);
	strbuf_init(&q_stm, 0);
	probe_activity_sql(&q_act, caps->version_num);
	probe_locks_sql(&q_lck, caps->version_num);
	probe_server_sql(&q_vit, caps->version_num);
	probe_stmts_sql(&q_stm, caps);
	for (pass = 0; pass < PASSES; pass++) {
		s = snapshot_new();
		s->taken_ms = (int64_t)(wall_now() * 1000);
		s->qtexts = qtexts_ref(texts);

		res = timed_exec(c, q_act.buf, &act.exec);
		rows_act = PQntuples(res);
		t = cpu_now();
		if (probe_activity_parse(res, s, &cause) == -1)
			fail("activity", cause);
		act.parse += cpu_now() - t;
		t = cpu_now();
		PQclear(res);
		act.free_ += cpu_now() - t;

		res = timed_exec(c, q_lck.buf, &lck.exec);
		rows_lck = PQntuples(res);
		t = cpu_now();
		if (probe_locks_parse(res, s, &cause) == -1)
			fail("locks", cause);
		lck.parse += cpu_now() - t;
		PQclear(res);

		res = timed_exec(c, q_vit.buf, &vit.exec);
		t = cpu_now();
		if (probe_server_parse(res, s, &cause) == -1)
			fail("vitals", cause);
		vit.parse += cpu_now() - t;
		PQclear(res);

		res = timed_exec(c, q_stm.buf, &stm.exec);
		rows_stm = PQntuples(res);
		for (int row = 0; row < rows_stm; row++)
			for (int col = 0; col < PQnfields(res); col++)
				bytes += PQgetlength(res, row, col);
		t = cpu_now();
		if (probe_stmts_parse(res, s, caps, &cause) == -1)
			fail("statements", cause);
		stm.parse += cpu_now() - t;
		t = cpu_now();
		PQclear(res);
		stm.free_ += cpu_now() - t;

		t = cpu_now();
		snapshot_derive_stmts(s, prev);
		stm.derive += cpu_now() - t;
		t = cpu_now();
		snapshot_unref(prev);
		act.free_ += cpu_now() - t;
		prev = s;
	}
	snapshot_unref(prev);
	PQfinish(c);
	printf("split.passes %d\n", PASSES);
	printf("split.rows_sessions %d\nsplit.rows_locks %d\n"
	    "split.rows_stmts %d\nsplit.stmts_value_bytes %.0f\n", rows_act,
	    rows_lck, rows_stm, bytes / PASSES);
	printf("split.sessions_libpq_ms %.3f\nsplit.sessions_parse_ms %.3f\n",
	    act.exec / PASSES * 1e3, act.parse / PASSES * 1e3);
	printf("split.locks_libpq_ms %.3f\nsplit.locks_parse_ms %.3f\n",
	    lck.exec / PASSES * 1e3, lck.parse / PASSES * 1e3);
	printf("split.vitals_libpq_ms %.3f\nsplit.vitals_parse_ms %.3f\n",
	    vit.exec / PASSES * 1e3, vit.parse / PASSES * 1e3);
	printf("split.stmts_libpq_ms %.3f\nsplit.stmts_parse_ms %.3f\n",
	    stm.exec / PASSES * 1e3, stm.parse / PASSES * 1e3);
	printf("split.stmts_derive_ms %.3f\n", stm.derive / PASSES * 1e3);
	printf("split.free_ms %.3f\n",
	    (act.free_ + stm.free_) / PASSES * 1e3);
	strbuf_release(&q_act);
	strbuf_release(&q_lck);
	strbuf_release(&q_vit);
	strbuf_release(&q_stm);
}

/* Texts the collector would have cached by now, for part 2's parser. */
static struct qtexts *
load_texts(const char *conninfo, const struct capabilities *caps)
{
	struct qtexts	*q = qtexts_new();
	struct strbuf	 sql;
	PGconn		*c = PQconnectdb(conninfo);
	PGresult	*res;
	char		*cause = NULL;

	if (PQstatus(c) != CONNECTION_OK)
		fail("connect", PQerrorMessage(c));
	strbuf_init(&sql, 0);
	strbuf_addf(&sql, "SELECT queryid, query"
	    " FROM \"%s\".pg_stat_statements(true)", caps->pgss_schema);
	res = PQexec(c, sql.buf);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		fail("texts", PQerrorMessage(c));
	probe_stmt_texts_parse(res, q, &cause);
	free(cause);
	PQclear(res);
	PQfinish(c);
	strbuf_release(&sql);
	return q;
}

int
main(int argc, char **argv)
{
	const char	*keys[] = { "dbname", NULL };
	const char	*vals[] = { NULL, NULL };
	struct run	 r;
	struct pg_conn	*pc;
	struct collector *coll;
	struct ui_host	 host;
	struct theme	 theme;
	struct keymap	*km;
	struct rusage	 ru0, ru1;
	struct qtexts	*texts;
	char		*cause = NULL;
	double		 interval, w0, c0, total_cpu, total_wall;
	int		 i;

	if (argc != 5) {
		fprintf(stderr, "usage: refresh CONNINFO REFRESHES INTERVAL_S"
		    " HISTORY_FILE\n");
		return 2;
	}
	memset(&r, 0, sizeof r);
	vals[0] = argv[1];
	r.want = atoi(argv[2]);
	interval = atof(argv[3]);
	if (r.want <= COLD || !(interval > 0))
		fail("arguments", "need over 12 refreshes and an interval");
	r.collect = calloc((size_t)r.want, sizeof(double));
	r.history = calloc((size_t)r.want, sizeof(double));
	r.draw = calloc((size_t)r.want, sizeof(double));
	r.topdraw = calloc((size_t)r.want, sizeof(double));
	if ((r.hist = history_open_write(argv[4], &cause)) == NULL)
		fail("history", cause);
	grid_set_utf8(1);
	grid_init(&r.screen, ROWS, COLS);
	grid_init(&r.pane_grid, ROWS - header_rows(COLS) - 2, COLS);

	r.loop = loop_new();
	memset(&host, 0, sizeof host);
	host.arg = &r;
	host.history = host_history;
	memset(&theme, 0, sizeof theme);
	km = keymap_new();
	r.ui = ui_new(r.loop, &theme, km, &host);
	r.act = ui_add_pane(r.ui, 0, &pane_activity_ops);
	r.top = ui_add_pane(r.ui, 1, &pane_statements_ops);
	r.hpane = ui_add_pane(r.ui, 6, &pane_history_ops);
	pc = pg_conn_new(r.loop, keys, vals);
	coll = collector_new(r.loop, pc, interval);
	collector_add_sink(coll, (struct snapshot_sink){ sink, &r });
	getrusage(RUSAGE_SELF, &ru0);
	w0 = wall_now();
	c0 = cpu_now();
	r.mark = c0;
	collector_start(coll);
	while (!loop_stopped(r.loop)) {
		if (loop_run_once(r.loop, 1000) == -1)
			fail("loop", "poll failed");
		if (wall_now() - w0 > 60 + r.want * (interval + 5))
			fail("collector", collector_probe_error(coll) ?
			    collector_probe_error(coll) : "no snapshots");
	}
	total_cpu = cpu_now() - c0;
	total_wall = wall_now() - w0;
	getrusage(RUSAGE_SELF, &ru1);

	printf("refreshes %d\ninterval_s %.3f\n", r.want, interval);
	printf("sessions %zu\nstmts %zu\nstmts_with_text %zu\n"
	    "lock_waiters %d\n", r.max_sessions, r.max_stmts,
	    r.stmts_with_text, r.max_waiters);
	printf("cold.refreshes %d\n", COLD);
	stat_ms("cold.collect", r.collect, 0, COLD);
	stat_ms("steady.collect", r.collect, COLD, r.want);
	stat_ms("steady.history", r.history, COLD, r.want);
	stat_ms("steady.draw", r.draw, COLD, r.want);
	stat_ms("steady.top", r.topdraw, COLD, r.want);
	{
		double	*sum = calloc((size_t)r.want, sizeof *sum);

		for (i = 0; i < r.want; i++)
			sum[i] = r.collect[i] + r.history[i] + r.draw[i];
		stat_ms("steady.total", sum, COLD, r.want);
		free(sum);
	}
	printf("run.cpu_s %.3f\nrun.wall_s %.3f\n", total_cpu, total_wall);
	printf("run.user_s %.3f\nrun.sys_s %.3f\n",
	    (double)(ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec) +
	    (double)(ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec) / 1e6,
	    (double)(ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec) +
	    (double)(ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec) / 1e6);
	print_mem("part1");

	/* Part 2 needs the capabilities the collector found. */
	texts = load_texts(argv[1], collector_caps(coll));
	split(argv[1], collector_caps(coll), texts);
	qtexts_unref(texts);

	ui_free(r.ui);		/* frees the panes */
	keymap_free(km);
	collector_free(coll);
	pg_conn_free(pc);
	loop_free(r.loop);
	grid_release(&r.screen);
	grid_release(&r.pane_grid);
	history_close(r.hist);
	free(r.collect);
	free(r.history);
	free(r.draw);
	free(r.topdraw);
	return 0;
}
