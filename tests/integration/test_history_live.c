/*
 * test_history_live.c - statements, history and replay against a real
 * PostgreSQL.
 *
 * Needs the server started by tests/harness/pg_server.sh (its env file
 * sourced; pg_stat_statements preloaded and created in 'postgres').
 * Without one it skips loudly; with CI=true it fails.  The eviction
 * test starts a second throwaway cluster with the same script, with
 * pg_stat_statements.max at its minimum (100), and stops it at the end.
 *
 * The statement counters are made exact by construction: the collector
 * only talks to the server while its loop runs, so a burst of calls run
 * on another connection between two published snapshots is exactly the
 * interval's work.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pty.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "core/clock.h"
#include "core/loop.h"
#include "core/pg_conn.h"
#include "live/collector.h"
#include "stats/stmt.h"
#include "store/history.h"

static const char	*conninfo;

struct fixture {
	struct loop		*loop;
	struct pg_conn		*pc;
	struct collector	*coll;
	struct snapshot		*last;		/* newest published */
	struct snapshot		*prev;		/* the one before it */
	int			 nsnaps;
	struct history		*hist;		/* optional history sink */
	int			 nput;		/* samples stored in it */
	int			 kill_after;	/* raise SIGKILL at this many */
};

static void
put(void *arg, struct snapshot *s)
{
	struct fixture	*f = arg;
	char		*cause = NULL;

	snapshot_unref(f->prev);
	f->prev = f->last;
	f->last = snapshot_ref(s);
	f->nsnaps++;
	if (f->hist == NULL)
		return;
	if (history_put(f->hist, s, &cause) == -1) {
		fprintf(stderr, "history_put: %s\n", cause);
		_exit(3);
	}
	/* A kill -9 right after a committed sample, as a crash would. */
	if (++f->nput == f->kill_after)
		raise(SIGKILL);
}

static struct fixture *
fixture_new(const char *ci, double refresh)
{
	struct fixture		*f = calloc(1, sizeof *f);
	const char		*keys[] = { "dbname", "application_name",
				    NULL };
	const char		*vals[] = { ci, "pgdeck", NULL };
	struct snapshot_sink	 sink;

	f->loop = loop_new();
	f->pc = pg_conn_new(f->loop, keys, vals);
	f->coll = collector_new(f->loop, f->pc, refresh);
	sink.put = put;
	sink.arg = f;
	collector_add_sink(f->coll, sink);
	return f;
}

static void
fixture_free(struct fixture *f)
{
	if (f == NULL)
		return;
	collector_free(f->coll);
	pg_conn_free(f->pc);
	loop_free(f->loop);
	snapshot_unref(f->last);
	snapshot_unref(f->prev);
	free(f);
}

/*
 * What a test holds that a failed assertion (a longjmp out of the test)
 * would leak or leave running: every teardown releases it.
 */
static struct {
	PGconn		*conns[4];
	struct fixture	*fixture;
	struct history	*hist;
	struct snapshot	*snap;
	char		*text;
	char		 dir[64];	/* removed with its contents */
} held;

static void
remove_tree(const char *dir)
{
	char	cmd[256];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "test_history_live: cannot remove %s\n", dir);
}

static void
release_held(void)
{
	size_t	i;

	for (i = 0; i < sizeof held.conns / sizeof held.conns[0]; i++)
		PQfinish(held.conns[i]);
	fixture_free(held.fixture);
	history_close(held.hist);
	snapshot_unref(held.snap);
	free(held.text);
	if (held.dir[0] != '\0')
		remove_tree(held.dir);
	memset(&held, 0, sizeof held);
}

static int
held_teardown(void **state)
{
	(void)state;
	release_held();
	return 0;
}

static int
setup(void **state)
{
	struct fixture	*f = fixture_new(conninfo, 0.5);

	collector_start(f->coll);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	fixture_free(*state);
	release_held();
	return 0;
}

/* Run the loop until 'pred' holds or 'ms' pass; returns pred's value. */
static int
run_until(struct fixture *f, int (*pred)(struct fixture *, void *),
    void *arg, int64_t ms)
{
	int64_t	end = clock_now_ms() + ms;

	while (clock_now_ms() < end) {
		loop_run_once(f->loop, 20);
		if (pred(f, arg))
			return 1;
	}
	return pred(f, arg);
}

static int
has_snapshots(struct fixture *f, void *arg)
{
	return f->nsnaps >= *(int *)arg;
}

/*
 * Wait for the next published snapshot.  When this returns, no refresh
 * is out: the server is not asked anything until the loop runs again.
 */
static void
next_snapshot(struct fixture *f)
{
	int	want = f->nsnaps + 1;

	if (!run_until(f, has_snapshots, &want, 10000))
		fail_msg("no snapshot within 10 s (probe error: %s)",
		    collector_probe_error(f->coll) ?
		    collector_probe_error(f->coll) : "none");
}

static void
quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static PGconn *
db_connect(const char *ci, const char *app)
{
	const char	*keys[] = { "dbname", "application_name", NULL };
	const char	*vals[] = { ci, app, NULL };
	PGconn		*c = PQconnectdbParams(keys, vals, 1);
	size_t		 i;

	for (i = 0; i < sizeof held.conns / sizeof held.conns[0]; i++) {
		if (held.conns[i] == NULL)
			break;
	}
	if (i == sizeof held.conns / sizeof held.conns[0])
		fail_msg("too many connections held");
	held.conns[i] = c;
	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("cannot connect to '%s': %s", ci, PQerrorMessage(c));
	PQsetNoticeProcessor(c, quiet, NULL);
	return c;
}

/* Close a connection of db_connect(). */
static void
db_close(PGconn *c)
{
	size_t	i;

	for (i = 0; i < sizeof held.conns / sizeof held.conns[0]; i++) {
		if (held.conns[i] == c)
			held.conns[i] = NULL;
	}
	PQfinish(c);
}

static void
db_exec(PGconn *c, const char *sql)
{
	PGresult	*r = PQexec(c, sql);

	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
}

/*
 * A marker unique to this run: a dropped and re-created table leaves
 * the old entry (same text, another query id) behind.
 */
static void
marker(char *buf, size_t size, const char *what)
{
	snprintf(buf, size, "%s-%ld-%lld", what, (long)getpid(),
	    (long long)clock_wall_ms());
}

/* The first column of the first row of 'sql' as a number. */
static int64_t
db_int(PGconn *c, const char *sql)
{
	PGresult	*r = PQexec(c, sql);
	int64_t		 v;

	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
		fail_msg("%s: %s", sql, PQresultErrorMessage(r));
	v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return v;
}

/* A table of 100 rows, named 'table', for one test's statement. */
static void
make_table(PGconn *c, const char *table)
{
	char	sql[256];

	snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS %s;"
	    " CREATE TABLE %s(id int PRIMARY KEY);"
	    " INSERT INTO %s SELECT generate_series(1, 100)", table, table,
	    table);
	db_exec(c, sql);
}

/*
 * Run the statement "SELECT /+ marker +/ count(*) FROM table WHERE
 * id = $1" 'n' times, through the extended protocol.  The marker is a
 * comment (the query id ignores it); each test has its own table, so
 * its own query id and text.
 */
static void
run_calls(PGconn *c, const char *marker, const char *table, int n)
{
	char		 sql[256], id[16];
	const char	*params[1] = { id };
	PGresult	*r;
	int		 i;

	snprintf(sql, sizeof sql, "SELECT /* %s */ count(*) FROM %s"
	    " WHERE id = $1", marker, table);
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof id, "%d", i % 100 + 1);
		r = PQexecParams(c, sql, 1, NULL, params, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK)
			fail_msg("%s: %s", sql, PQresultErrorMessage(r));
		PQclear(r);
	}
}

/* The one entry whose text holds 'marker', or NULL. */
static const struct stmt *
find_marker(const struct snapshot *s, const char *marker)
{
	const struct stmt	*found = NULL;
	size_t			 i;

	for (i = 0; i < s->nstmts; i++) {
		if (s->stmts[i].query == NULL ||
		    strstr(s->stmts[i].query, marker) == NULL)
			continue;
		if (found != NULL)
			fail_msg("two entries hold '%s'", marker);
		found = &s->stmts[i];
	}
	return found;
}

/* The entry with the key of 'key', or NULL. */
static const struct stmt *
find_key(const struct snapshot *s, const struct stmt *key)
{
	size_t	i;

	for (i = 0; i < s->nstmts; i++) {
		if (stmt_key_equal(&s->stmts[i], key))
			return &s->stmts[i];
	}
	return NULL;
}

static int
marker_visible(struct fixture *f, void *arg)
{
	return f->last != NULL && find_marker(f->last, arg) != NULL;
}

/* Wait until a snapshot shows the entry holding 'marker'. */
static const struct stmt *
wait_marker(struct fixture *f, const char *marker)
{
	if (!run_until(f, marker_visible, (void *)marker, 10000))
		fail_msg("no entry holding '%s' within 10 s (status %d, %zu"
		    " entries, probe error: %s)", marker, f->last != NULL ?
		    f->last->stmt_info.status : -1, f->last != NULL ?
		    f->last->nstmts : 0, collector_probe_error(f->coll) ?
		    collector_probe_error(f->coll) : "none");
	return find_marker(f->last, marker);
}

/*
 * No delta of any entry is negative; none counts more than 'max_calls'
 * calls (< 0: no limit).
 */
static void
assert_sane_deltas(const struct snapshot *s, double max_calls)
{
	const struct stmt	*x;
	size_t			 i;

	for (i = 0; i < s->nstmts; i++) {
		x = &s->stmts[i];
		if (!x->have_delta)
			fail_msg("entry %lld has no delta",
			    (long long)x->queryid);
		if (x->d_calls < 0 || x->d_rows < 0 || x->d_exec_ms < -1e-6 ||
		    x->d_plan_ms < -1e-6 || x->d_io_ms < -1e-6 ||
		    x->d_hit < 0 || x->d_read < 0 || x->d_temp < 0 ||
		    x->d_wal < 0)
			fail_msg("entry %lld (%s): a negative delta: calls %g"
			    " rows %g exec %g plan %g io %g hit %g read %g temp"
			    " %g wal %g", (long long)x->queryid,
			    x->query ? x->query : "?", x->d_calls, x->d_rows,
			    x->d_exec_ms, x->d_plan_ms, x->d_io_ms, x->d_hit,
			    x->d_read, x->d_temp, x->d_wal);
		if (max_calls >= 0 && x->d_calls > max_calls)
			fail_msg("entry %lld (%s): %g calls in the interval,"
			    " at most %g ran", (long long)x->queryid,
			    x->query ? x->query : "?", x->d_calls, max_calls);
	}
}

/* The snapshot's interval is the time between the two samples. */
static void
assert_interval(const struct fixture *f)
{
	double	want;

	assert_non_null(f->prev);
	want = (double)(f->last->taken_ms - f->prev->taken_ms) / 1000.0;
	if (!(want > 0) || fabs(f->last->stmt_info.interval - want) > 1e-9)
		fail_msg("interval %g, samples %g s apart",
		    f->last->stmt_info.interval, want);
}

/*
 * 200 calls between two samples are 200 calls and 200/interval per
 * second, with the text, role and database of the entry.
 */
static void
test_known_rate(void **state)
{
	struct fixture		*f = *state;
	PGconn			*w = db_connect(conninfo, "pgdeck-itest");
	char			 m[64];
	const struct stmt	*e;
	int64_t			 before;
	double			 rate, want;

	marker(m, sizeof m, "pgdeck-rate-test");
	make_table(w, "pgdeck_rate_t");
	run_calls(w, m, "pgdeck_rate_t", 1);
	e = wait_marker(f, m);
	before = e->calls;

	run_calls(w, m, "pgdeck_rate_t", 200);
	next_snapshot(f);
	assert_int_equal(f->last->stmt_info.status, STMTS_OK);
	e = find_marker(f->last, m);
	assert_non_null(e);
	assert_int_equal(e->calls, before + 200);
	assert_int_equal(e->change, STMT_SAME);
	assert_true(e->have_delta);
	if (e->d_calls != 200)
		fail_msg("d_calls %g, 200 ran", e->d_calls);
	if (e->d_rows != 200)
		fail_msg("d_rows %g, 200 rows returned", e->d_rows);
	assert_true(e->d_exec_ms > 0);
	assert_interval(f);
	rate = stmt_rate(e, e->d_calls, &f->last->stmt_info);
	want = 200.0 / f->last->stmt_info.interval;
	if (!(fabs(rate - want) < 1e-9 * want))
		fail_msg("rate %g/s, want %g/s", rate, want);
	/* The normalized text, and the names resolved. */
	assert_non_null(strstr(e->query, "WHERE id = $1"));
	assert_non_null(e->user);
	assert_string_equal(e->user, "postgres");
	assert_non_null(e->datname);
	assert_string_equal(e->datname, "postgres");
	assert_true(e->toplevel);
	assert_false(f->last->stmt_info.reset);
	assert_sane_deltas(f->last, 200);

	/* A quiet interval is zero, not missing. */
	next_snapshot(f);
	e = find_marker(f->last, m);
	assert_non_null(e);
	assert_int_equal(e->change, STMT_SAME);
	assert_true(e->have_delta);
	assert_true(e->d_calls == 0);
	assert_true(stmt_rate(e, e->d_calls, &f->last->stmt_info) == 0);
	db_close(w);
}

/*
 * pg_stat_statements_reset() between two samples: every entry is marked
 * reset and counts only what ran since the reset.
 */
static void
test_full_reset(void **state)
{
	struct fixture		*f = *state;
	PGconn			*w = db_connect(conninfo, "pgdeck-itest");
	char			 m[64];
	const struct stmt	*e;
	double			 reset_before, rate;
	size_t			 i;

	marker(m, sizeof m, "pgdeck-reset-test");
	make_table(w, "pgdeck_reset_t");
	run_calls(w, m, "pgdeck_reset_t", 40);
	e = wait_marker(f, m);
	assert_true(e->calls >= 40);
	reset_before = f->last->stmt_info.stats_reset;
	assert_false(isnan(reset_before));

	run_calls(w, m, "pgdeck_reset_t", 25);
	db_exec(w, "SELECT pg_stat_statements_reset()");
	run_calls(w, m, "pgdeck_reset_t", 30);
	next_snapshot(f);
	assert_int_equal(f->last->stmt_info.status, STMTS_OK);
	assert_true(f->last->stmt_info.reset);
	assert_true(f->last->stmt_info.stats_reset > reset_before);
	assert_int_equal(f->last->stmt_info.evicted, 0);
	e = find_marker(f->last, m);
	assert_non_null(e);
	assert_int_equal(e->calls, 30);
	assert_int_equal(e->change, STMT_RESET);
	assert_true(e->have_delta);
	if (e->d_calls != 30)
		fail_msg("d_calls %g after the reset, 30 ran since",
		    e->d_calls);
	rate = stmt_rate(e, e->d_calls, &f->last->stmt_info);
	if (!(rate >= 0 && rate <= 30 / f->last->stmt_info.interval + 1e-9))
		fail_msg("rate %g/s after the reset", rate);
	for (i = 0; i < f->last->nstmts; i++) {
		if (f->last->stmts[i].change != STMT_RESET &&
		    f->last->stmts[i].change != STMT_NEW)
			fail_msg("entry %lld kept its old counters across the"
			    " reset", (long long)f->last->stmts[i].queryid);
	}
	/* Nothing ran more than 30 times since the reset. */
	assert_sane_deltas(f->last, 30);

	/* The sample after it compares normally again. */
	run_calls(w, m, "pgdeck_reset_t", 7);
	next_snapshot(f);
	assert_false(f->last->stmt_info.reset);
	e = find_marker(f->last, m);
	assert_non_null(e);
	assert_int_equal(e->change, STMT_SAME);
	if (e->d_calls != 7)
		fail_msg("d_calls %g after the reset sample, 7 ran",
		    e->d_calls);
	assert_sane_deltas(f->last, -1);
	db_close(w);
}

/* pg_stat_statements_reset(userid, dbid, queryid) for the entry 'e'. */
static void
reset_entry(PGconn *w, const struct stmt *e)
{
	char		 uid[16], did[16], qid[24];
	const char	*params[3] = { uid, did, qid };
	PGresult	*r;

	snprintf(uid, sizeof uid, "%u", e->userid);
	snprintf(did, sizeof did, "%u", e->dbid);
	snprintf(qid, sizeof qid, "%lld", (long long)e->queryid);
	r = PQexecParams(w, "SELECT pg_stat_statements_reset($1::oid,"
	    " $2::oid, $3::int8)", 3, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("entry reset: %s", PQresultErrorMessage(r));
	PQclear(r);
}

/*
 * Resetting one entry removes it: it is gone from the next sample and
 * comes back NEW, counting from zero; reset while its counters are
 * higher than it reaches again, it is marked reset.  Never negative.
 */
static void
test_entry_reset(void **state)
{
	struct fixture		*f = *state;
	PGconn			*w = db_connect(conninfo, "pgdeck-itest");
	char			 m[64];
	const struct stmt	*e;
	struct stmt		 key;

	marker(m, sizeof m, "pgdeck-entry-reset-test");
	make_table(w, "pgdeck_one_t");
	run_calls(w, m, "pgdeck_one_t", 50);
	e = wait_marker(f, m);
	assert_true(e->calls >= 50);
	key = *e;

	/* Reset with nothing after it: the entry is gone. */
	reset_entry(w, &key);
	next_snapshot(f);
	assert_null(find_key(f->last, &key));
	assert_false(f->last->stmt_info.reset);
	assert_sane_deltas(f->last, -1);

	/* It comes back as new, counting what ran since. */
	run_calls(w, m, "pgdeck_one_t", 5);
	next_snapshot(f);
	e = find_key(f->last, &key);
	assert_non_null(e);
	assert_int_equal(e->change, STMT_NEW);
	assert_true(e->have_delta);
	if (e->d_calls != 5 || e->calls != 5)
		fail_msg("back after a reset: calls %lld, d_calls %g; 5 ran",
		    (long long)e->calls, e->d_calls);
	assert_non_null(e->query);
	assert_non_null(strstr(e->query, m));
	assert_sane_deltas(f->last, -1);

	/* Reset and run again within one interval: marked reset. */
	run_calls(w, m, "pgdeck_one_t", 60);
	next_snapshot(f);
	e = find_key(f->last, &key);
	assert_non_null(e);
	assert_int_equal(e->calls, 65);
	assert_int_equal(e->change, STMT_SAME);
	reset_entry(w, &key);
	run_calls(w, m, "pgdeck_one_t", 3);
	next_snapshot(f);
	e = find_key(f->last, &key);
	assert_non_null(e);
	assert_int_equal(e->calls, 3);
	assert_int_equal(e->change, STMT_RESET);
	if (e->d_calls != 3)
		fail_msg("d_calls %g after an entry reset, 3 ran since",
		    e->d_calls);
	assert_false(f->last->stmt_info.reset);
	assert_sane_deltas(f->last, -1);
	db_close(w);
}

/* The second cluster, for eviction: pg_stat_statements.max = 100. */
static char	 evict_dir[64];
static char	 evict_conninfo[256];
static char	 harness[512];

/* tests/harness/pg_server.sh, next to this file's folder. */
static const char *
harness_script(void)
{
	const char	*src = __FILE__, *p;
	struct stat	 sb;

	if (harness[0] != '\0')
		return harness;
	p = strstr(src, "integration/test_history_live.c");
	if (p == NULL)
		return NULL;
	snprintf(harness, sizeof harness, "%.*sharness/pg_server.sh",
	    (int)(p - src), src);
	if (stat(harness, &sb) == -1) {
		harness[0] = '\0';
		return NULL;
	}
	return harness;
}

/* One line of output of 'cmd' into 'buf'; returns its exit status. */
static int
run_read(const char *cmd, char *buf, size_t size)
{
	FILE	*fp = popen(cmd, "r");
	size_t	 n;
	int	 st;

	buf[0] = '\0';
	if (fp == NULL)
		return -1;
	n = fread(buf, 1, size - 1, fp);
	buf[n] = '\0';
	st = pclose(fp);
	buf[strcspn(buf, "\n")] = '\0';
	return st;
}

/* The postmaster's pid of the cluster in 'dir', or 0. */
static int
postmaster_pid(const char *dir)
{
	char	path[128], line[32] = "";
	FILE	*fp;

	snprintf(path, sizeof path, "%s/data/postmaster.pid", dir);
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	if (fgets(line, sizeof line, fp) == NULL)
		line[0] = '\0';
	fclose(fp);
	return atoi(line);
}

static void
evict_stop(void)
{
	char	cmd[1024];
	int	pid;

	if (evict_dir[0] == '\0')
		return;
	pid = postmaster_pid(evict_dir);
	snprintf(cmd, sizeof cmd, "'%s' stop '%s' >/dev/null 2>&1", harness,
	    evict_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "test_history_live: cannot stop the eviction"
		    " cluster in %s\n", evict_dir);
	/* pg_ctl stop waits; if it did not end, end it by its pid. */
	if (pid > 0 && kill(pid, 0) == 0)
		kill(pid, SIGKILL);
	snprintf(cmd, sizeof cmd, "%s.log", evict_dir);
	unlink(cmd);
	evict_dir[0] = '\0';
}

static int
evict_setup(void **state)
{
	char		 cmd[1024];
	int64_t		 t0 = clock_now_ms();
	PGconn		*c;

	*state = NULL;
	if (harness_script() == NULL) {
		fprintf(stderr, "test_history_live: tests/harness/pg_server.sh"
		    " not found from %s\n", __FILE__);
		return -1;
	}
	snprintf(evict_dir, sizeof evict_dir, "/tmp/pgdeck-evict-XXXXXX");
	if (mkdtemp(evict_dir) == NULL) {
		evict_dir[0] = '\0';
		return -1;
	}
	chmod(evict_dir, 0755);
	snprintf(cmd, sizeof cmd, "'%s' start '%s' >'%s.log' 2>&1", harness,
	    evict_dir, evict_dir);
	if (system(cmd) != 0) {
		fprintf(stderr, "test_history_live: cannot start a second"
		    " cluster:\n");
		snprintf(cmd, sizeof cmd, "cat '%s.log' >&2", evict_dir);
		if (system(cmd) != 0)
			fprintf(stderr, "(no log)\n");
		evict_stop();
		return -1;
	}
	snprintf(cmd, sizeof cmd, ". '%s/env' && printf '%%s'"
	    " \"$PGDECK_TEST_CONNINFO\"", evict_dir);
	if (run_read(cmd, evict_conninfo, sizeof evict_conninfo) != 0 ||
	    evict_conninfo[0] == '\0') {
		evict_stop();
		return -1;
	}
	/* The smallest table pg_stat_statements allows; needs a restart. */
	c = PQconnectdb(evict_conninfo);
	if (PQstatus(c) == CONNECTION_OK)
		PQclear(PQexec(c, "ALTER SYSTEM SET pg_stat_statements.max"
		    " = 100"));
	PQfinish(c);
	snprintf(cmd, sizeof cmd, ". '%s/env' && $PGDECK_TEST_RESTART"
	    " >/dev/null 2>&1", evict_dir);
	if (system(cmd) != 0) {
		evict_stop();
		return -1;
	}
	c = PQconnectdb(evict_conninfo);
	if (PQstatus(c) != CONNECTION_OK) {
		PQfinish(c);
		evict_stop();
		return -1;
	}
	PQfinish(c);
	fprintf(stderr, "test_history_live: second cluster (pg_stat_statements"
	    ".max = 100) ready in %.1f s%s\n",
	    (double)(clock_now_ms() - t0) / 1000.0,
	    clock_now_ms() - t0 > 10000 ? " - slower than 10 s" : "");
	*state = fixture_new(evict_conninfo, 0.5);
	collector_start(((struct fixture *)*state)->coll);
	return 0;
}

static int
evict_teardown(void **state)
{
	fixture_free(*state);
	release_held();
	evict_stop();
	return 0;
}

/*
 * More distinct statements than the table holds, between two samples:
 * the sample says how many entries were evicted (dealloc grew), and the
 * survivors' deltas stay sane.
 */
static void
test_eviction(void **state)
{
	struct fixture	*f = *state;
	PGconn		*w;
	static char	 sql[16 + 320 * 10];
	size_t		 len;
	int64_t		 dealloc0, dealloc1, prev_dealloc;
	char		 max[32];
	int		 i, k;
	PGresult	*r;

	assert_non_null(f);
	w = db_connect(evict_conninfo, "pgdeck-itest");
	r = PQexec(w, "SHOW pg_stat_statements.max");
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	snprintf(max, sizeof max, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	assert_string_equal(max, "100");
	next_snapshot(f);
	next_snapshot(f);
	assert_int_equal(f->last->stmt_info.status, STMTS_OK);
	prev_dealloc = f->last->stmt_info.dealloc;
	assert_true(prev_dealloc >= 0);
	dealloc0 = db_int(w, "SELECT dealloc FROM pg_stat_statements_info");

	/* 320 shapes: "SELECT 1 AS c, 1 AS c, ..." with 1..320 columns. */
	for (i = 1; i <= 320; i++) {
		len = (size_t)snprintf(sql, sizeof sql, "SELECT 1 AS c");
		for (k = 1; k < i; k++)
			len += (size_t)snprintf(sql + len, sizeof sql - len,
			    ", 1 AS c");
		db_exec(w, sql);
	}
	dealloc1 = db_int(w, "SELECT dealloc FROM pg_stat_statements_info");
	assert_true(dealloc1 > dealloc0);

	next_snapshot(f);
	assert_int_equal(f->last->stmt_info.status, STMTS_OK);
	assert_false(f->last->stmt_info.reset);
	if (f->last->stmt_info.evicted <= 0)
		fail_msg("evicted %lld: dealloc went %lld -> %lld",
		    (long long)f->last->stmt_info.evicted,
		    (long long)prev_dealloc,
		    (long long)f->last->stmt_info.dealloc);
	assert_int_equal(f->last->stmt_info.evicted,
	    f->last->stmt_info.dealloc - prev_dealloc);
	assert_true(f->last->stmt_info.dealloc >= dealloc1);
	assert_true(f->last->nstmts <= 100);
	assert_sane_deltas(f->last, -1);
	db_close(w);
}

struct session_wait {
	int	pid;
};

static int
session_visible(struct fixture *f, void *arg)
{
	struct session_wait	*sw = arg;

	return f->last != NULL && snapshot_find(f->last, sw->pid) != NULL;
}

/*
 * A database without the extension: the statements are "missing" with
 * the fix in the hint, and the sessions are still there.
 */
static void
test_missing_extension(void **state)
{
	PGconn			*w = db_connect(conninfo, "pgdeck-itest");
	PGconn			*x;
	struct fixture		*f;
	struct session_wait	 sw;
	const struct session	*s;
	const char		*hint;
	char			 ci[512];
	int			 want;

	(void)state;
	/* FORCE (13+): a backend of an earlier run may still be leaving. */
	db_exec(w, PQserverVersion(w) >= 130000 ?
	    "DROP DATABASE IF EXISTS nopgss WITH (FORCE)" :
	    "DROP DATABASE IF EXISTS nopgss");
	db_exec(w, "CREATE DATABASE nopgss");
	db_close(w);
	/* In a conninfo string the last dbname wins. */
	snprintf(ci, sizeof ci, "%s dbname=nopgss", conninfo);
	x = db_connect(ci, "pgdeck-nopgss-test");
	assert_int_equal(db_int(x, "SELECT count(*) FROM pg_extension"
	    " WHERE extname = 'pg_stat_statements'"), 0);
	sw.pid = PQbackendPID(x);

	f = held.fixture = fixture_new(ci, 0.5);
	collector_start(f->coll);
	if (!run_until(f, session_visible, &sw, 10000))
		fail_msg("no snapshot with the session in nopgss (probe error:"
		    " %s)", collector_probe_error(f->coll) ?
		    collector_probe_error(f->coll) : "none");
	want = f->nsnaps + 1;
	assert_true(run_until(f, has_snapshots, &want, 10000));
	assert_string_equal(collector_caps(f->coll)->database, "nopgss");
	assert_int_equal(f->last->stmt_info.status, STMTS_MISSING);
	assert_int_equal(f->last->nstmts, 0);
	hint = stmt_info_hint(&f->last->stmt_info);
	assert_non_null(hint);
	assert_non_null(strstr(hint, "CREATE EXTENSION pg_stat_statements"));
	assert_null(collector_probe_error(f->coll));
	s = snapshot_find(f->last, sw.pid);
	assert_non_null(s);
	assert_non_null(s->datname);
	assert_string_equal(s->datname, "nopgss");
	assert_string_equal(s->application_name, "pgdeck-nopgss-test");
	db_close(x);
}

/* A fresh temporary directory in held.dir, removed by the teardown. */
static const char *
make_tmpdir(const char *what)
{
	snprintf(held.dir, sizeof held.dir, "/tmp/pgdeck-%s-XXXXXX", what);
	if (mkdtemp(held.dir) == NULL) {
		held.dir[0] = '\0';
		fail_msg("mkdtemp: %s", strerror(errno));
	}
	return held.dir;
}

/*
 * Every sample of the capture 'path' loads, with sessions (including
 * the one of 'pid') and, when 'want_stmts', statements.  Returns the
 * number of samples.
 */
static size_t
check_capture(const char *path, int pid, int want_stmts)
{
	const struct history_sample	*samples;
	struct snapshot			*s;
	char				*cause = NULL;
	size_t				 n, i;

	if ((held.hist = history_open_read(path, &cause)) == NULL) {
		held.text = cause;
		fail_msg("history_open_read after kill -9: %s", cause);
	}
	n = history_samples(held.hist, &samples);
	for (i = 0; i < n; i++) {
		s = held.snap = history_load(held.hist, samples[i].id, 0,
		    &cause);
		if (s == NULL) {
			held.text = cause;
			fail_msg("sample %zu of %zu: %s", i + 1, n, cause);
		}
		if (s->nsessions == 0 || snapshot_find(s, pid) == NULL)
			fail_msg("sample %zu of %zu: %zu sessions, pid %d %s",
			    i + 1, n, s->nsessions, pid,
			    snapshot_find(s, pid) ? "present" : "missing");
		if (i > 0 && samples[i].ts <= samples[i - 1].ts)
			fail_msg("sample %zu is not after the one before",
			    i + 1);
		if (want_stmts && (s->stmt_info.status != STMTS_OK ||
		    s->nstmts == 0))
			fail_msg("sample %zu of %zu: statements status %d, %zu"
			    " entries", i + 1, n, s->stmt_info.status,
			    s->nstmts);
		snapshot_unref(s);
		held.snap = NULL;
	}
	history_close(held.hist);
	held.hist = NULL;
	return n;
}

/*
 * The store itself survives a kill -9: a child records through the
 * collector into a capture and is killed right after its sixth sample;
 * every sample it committed reads back, and the summary works.
 */
static void
test_capture_survives_kill(void **state)
{
	PGconn		*idle = db_connect(conninfo, "pgdeck-capture-test");
	char		 path[128], *cause = NULL;
	const char	*dir, *p;
	size_t		 len = 0, n;
	FILE		*mem;
	pid_t		 child;
	int		 st;

	(void)state;
	dir = make_tmpdir("capture");
	snprintf(path, sizeof path, "%s/capture.pgdeck", dir);
	fflush(NULL);
	if ((child = fork()) == -1)
		fail_msg("fork: %s", strerror(errno));
	if (child == 0) {
		struct fixture	*f = fixture_new(conninfo, 0.25);

		if ((f->hist = history_open_write(path, &cause)) == NULL) {
			fprintf(stderr, "history_open_write: %s\n", cause);
			_exit(3);
		}
		f->kill_after = 6;
		collector_start(f->coll);
		while (clock_now_ms() >= 0)
			loop_run_once(f->loop, 100);
		_exit(4);	/* not reached: put() raises SIGKILL */
	}
	/* Six samples at 0.25 s: well within 20 s. */
	for (n = 0; n < 200; n++) {
		if (waitpid(child, &st, WNOHANG) == child)
			break;
		usleep(100 * 1000);
	}
	if (n == 200) {
		kill(child, SIGKILL);
		waitpid(child, &st, 0);
		fail_msg("the recording child did not finish within 20 s");
	}
	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL)
		fail_msg("the recording child exited with status %d",
		    WIFEXITED(st) ? WEXITSTATUS(st) : -1);

	n = check_capture(path, PQbackendPID(idle), 1);
	assert_int_equal(n, 6);
	if ((held.hist = history_open_read(path, &cause)) == NULL) {
		held.text = cause;
		fail_msg("%s", cause);
	}
	mem = open_memstream(&held.text, &len);
	assert_non_null(mem);
	if (history_summary(held.hist, mem, &cause) == -1) {
		fclose(mem);
		fail_msg("history_summary: %s", cause);
	}
	fclose(mem);
	if ((p = strstr(held.text, "samples:")) == NULL ||
	    strtol(p + strlen("samples:"), NULL, 10) != 6)
		fail_msg("the summary does not say 6 samples:\n%s", held.text);
	db_close(idle);
}

/* Samples in the capture 'path' so far; 0 if it cannot be read yet. */
static size_t
capture_count(const char *path)
{
	const struct history_sample	*samples;
	struct history			*h;
	char				*cause = NULL;
	size_t				 n;

	if ((h = history_open_read(path, &cause)) == NULL) {
		free(cause);
		return 0;
	}
	n = history_samples(h, &samples);
	history_close(h);
	return n;
}

/* Append 'buf' to the 'n' bytes of 'tail', keeping the newest; new n. */
static size_t
keep_tail(char *tail, size_t size, size_t n, const char *buf, size_t len)
{
	if (len >= size) {
		buf += len - (size - 1);
		len = size - 1;
	}
	if (n + len > size - 1) {
		memmove(tail, tail + (n + len - (size - 1)), size - 1 - len);
		n = size - 1 - len;
	}
	memcpy(tail + n, buf, len);
	return n + len;
}

/*
 * The real program: pgdeck --record on a pty for about 4 s at -r 0.5,
 * killed with SIGKILL; the capture replays, and 'pgdeck replay
 * --summary' reads it (without a terminal: it only prints).
 */
static void
test_record_kill_replay(void **state)
{
	const char	*pgdeck = getenv("PGDECK");
	PGconn		*idle;
	struct winsize	 ws = { .ws_row = 24, .ws_col = 80 };
	struct pollfd	 pfd;
	char		 path[128], cmd[512], out[4096], tail[2048];
	static char	 summary[8192];
	const char	*dir;
	size_t		 ntail = 0, n;
	int64_t		 start, next_look;
	ssize_t		 got;
	pid_t		 child;
	int		 master, st, exited = 0;
	size_t		 nsamples = 0;
	FILE		*fp;

	(void)state;
	if (pgdeck == NULL)
		fail_msg("PGDECK (the path of the pgdeck binary) is not set");
	idle = db_connect(conninfo, "pgdeck-record-test");
	dir = make_tmpdir("record");
	snprintf(path, sizeof path, "%s/capture.pgdeck", dir);
	fflush(NULL);
	child = forkpty(&master, NULL, NULL, &ws);
	if (child == -1)
		fail_msg("forkpty: %s", strerror(errno));
	if (child == 0) {
		char	home[96];

		snprintf(home, sizeof home, "%s/home", dir);
		mkdir(home, 0700);
		setenv("HOME", home, 1);
		setenv("XDG_STATE_HOME", home, 1);
		setenv("XDG_CONFIG_HOME", home, 1);
		setenv("TERM", "xterm", 1);
		setenv("LINES", "24", 1);
		setenv("COLUMNS", "80", 1);
		setenv("LC_ALL", "C.UTF-8", 1);
		execl(pgdeck, "pgdeck", "--record", path, "--no-history",
		    "--no-config", "-r", "0.5", conninfo, (char *)NULL);
		fprintf(stderr, "exec %s: %s\n", pgdeck, strerror(errno));
		_exit(127);
	}
	/*
	 * Drain the screen while it records (a full pty would stall it);
	 * after 4 s, look at the capture until it has 4 samples.
	 */
	start = clock_now_ms();
	next_look = start + 4000;
	while (!exited && nsamples < 4 && clock_now_ms() < start + 15000) {
		pfd.fd = master;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 50) > 0) {
			got = read(master, out, sizeof out);
			if (got > 0)
				ntail = keep_tail(tail, sizeof tail, ntail, out,
				    (size_t)got);
		}
		if (waitpid(child, &st, WNOHANG) == child)
			exited = 1;
		else if (clock_now_ms() >= next_look) {
			nsamples = capture_count(path);
			next_look = clock_now_ms() + 500;
		}
	}
	tail[ntail] = '\0';
	if (exited) {
		close(master);
		fail_msg("pgdeck --record exited early (status %d): %s",
		    WIFEXITED(st) ? WEXITSTATUS(st) : -1, tail);
	}
	kill(child, SIGKILL);
	waitpid(child, &st, 0);
	close(master);

	if (access(path, F_OK) == -1)
		fail_msg("pgdeck --record wrote no %s in 15 s", path);
	n = check_capture(path, PQbackendPID(idle), 1);
	if (n < 4)
		fail_msg("%zu samples recorded in 15 s at -r 0.5", n);

	snprintf(cmd, sizeof cmd, "'%s' replay --summary '%s' </dev/null"
	    " 2>&1", pgdeck, path);
	fp = popen(cmd, "r");
	assert_non_null(fp);
	n = fread(summary, 1, 8191, fp);
	summary[n] = '\0';
	st = pclose(fp);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail_msg("pgdeck replay --summary: status %d: %s",
		    WIFEXITED(st) ? WEXITSTATUS(st) : -1, summary);
	if (strstr(summary, "samples:") == NULL)
		fail_msg("pgdeck replay --summary printed no 'samples:': %s",
		    summary);
	db_close(idle);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_known_rate, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_full_reset, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_entry_reset, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_eviction, evict_setup,
		    evict_teardown),
		cmocka_unit_test_teardown(test_missing_extension,
		    held_teardown),
		cmocka_unit_test_teardown(test_capture_survives_kill,
		    held_teardown),
		cmocka_unit_test_teardown(test_record_kill_replay,
		    held_teardown),
	};
	const char	*ci = getenv("CI");

	conninfo = getenv("PGDECK_TEST_CONNINFO");
	if (conninfo == NULL) {
		if (ci != NULL && strcmp(ci, "true") == 0) {
			fprintf(stderr, "test_history_live: CI=true but no test"
			    " server (PGDECK_TEST_CONNINFO unset): failing\n");
			return 1;
		}
		fprintf(stderr, "\n*** test_history_live: SKIPPED: no"
		    " PostgreSQL (run tests through scripts/test) ***\n\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
