/*
 * test_history.c - the SQLite history store: samples round-trip through
 * history_put() and history_load(); sessions and statements are spans
 * that cost nothing while unchanged; files that are not ours, newer,
 * truncated or damaged are refused with a one-line cause; replay never
 * writes; and a writer killed with SIGKILL leaves a readable file.
 *
 * With PGDECK_WRITE_CORPUS=dir set, small captures for the fuzz corpus
 * (tests/fuzz/corpus/history) are written there as well.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "stats/stmt.h"
#include "store/history.h"
#include "backup/wal.h"
#include "core/util.h"

#define T0_MS		1700000000000LL	/* 2023-11-14 22:13:20Z */
#define NOW0		1700000000.0
#define NSAMPLES	100

static char	 g_dir[64];	/* the temp dir, removed at the end */
static char	 g_cap[128];	/* the main capture: NSAMPLES samples */

/* Helpers: paths, files, SQL on the side. */

static const char *
tmp_path(const char *name)
{
	static char	 buf[4][256];
	static int	 n;
	char		*p = buf[n++ % 4];

	snprintf(p, sizeof buf[0], "%s/%s", g_dir, name);
	return p;
}

static unsigned char *
file_read(const char *path, size_t *len)
{
	unsigned char	*buf;
	struct stat	 sb;
	FILE		*f;

	assert_int_equal(stat(path, &sb), 0);
	buf = malloc((size_t)sb.st_size + 1);
	assert_non_null(buf);
	assert_non_null(f = fopen(path, "rb"));
	*len = fread(buf, 1, (size_t)sb.st_size, f);
	assert_int_equal(*len, (size_t)sb.st_size);
	fclose(f);
	return buf;
}

static void
file_write(const char *path, const void *data, size_t len)
{
	FILE	*f;

	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* A copy of the first 'len' bytes of 'src' (all of it when SIZE_MAX). */
static void
file_copy(const char *src, const char *dst, size_t len)
{
	unsigned char	*buf;
	size_t		 n;

	buf = file_read(src, &n);
	file_write(dst, buf, len < n ? len : n);
	free(buf);
}

/* The files SQLite keeps beside a database. */
static void
remove_sidecars(const char *path)
{
	char	buf[600];

	snprintf(buf, sizeof buf, "%s-wal", path);
	unlink(buf);
	snprintf(buf, sizeof buf, "%s-shm", path);
	unlink(buf);
	snprintf(buf, sizeof buf, "%s-journal", path);
	unlink(buf);
}

static void
remove_db(const char *path)
{
	unlink(path);
	remove_sidecars(path);
}

static int
exists(const char *path, const char *suffix)
{
	char		buf[600];
	struct stat	sb;

	snprintf(buf, sizeof buf, "%s%s", path, suffix);
	return stat(buf, &sb) == 0;
}

static int
has_bytes(const unsigned char *buf, size_t len, const char *needle)
{
	size_t	n = strlen(needle), i;

	for (i = 0; i + n <= len; i++) {
		if (memcmp(buf + i, needle, n) == 0)
			return 1;
	}
	return 0;
}

/* Run 'sql' on 'path' with the SQLite API, behind pgdeck's back. */
static void
sql_exec(const char *path, const char *sql)
{
	sqlite3	*db;
	char	*msg = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		print_error("%s: %s\n", sql, msg);
	assert_null(msg);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* The integer that 'sql' selects from 'path' (read-only). */
static int64_t
sql_int(const char *path, const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	int64_t		 v;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		print_error("%s: %s\n", sql, sqlite3_errmsg(db));
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* Synthetic samples: sample 'k' is taken at T0 + k seconds. */

static const char *
stmt_text(int64_t queryid)
{
	switch (queryid) {
	case 11:
		return "SELECT * FROM t WHERE id = $1";
	case 22:
		return "SELECT now()";
	default:
		return "UPDATE t SET x = x + $1\n\tWHERE id = $2";
	}
}

static struct session *
add_session(struct snapshot *s, int pid)
{
	struct session	*x = &s->sessions[s->nsessions++];

	memset(x, 0, sizeof *x);
	x->pid = pid;
	x->datname = snapshot_strdup(s, "app");
	x->usename = snapshot_strdup(s, "alice");
	x->application_name = snapshot_strdup(s, "psql");
	x->client = snapshot_strdup(s, "local");
	x->backend_type = snapshot_strdup(s, "client backend");
	x->backend_age = x->xact_age = x->query_age = x->state_age = NAN;
	x->lock_wait = NAN;
	x->xmin_age = -1;
	return x;
}

static void
add_stmt(struct snapshot *s, struct qtexts *q, int64_t queryid,
    int64_t calls, double exec_ms)
{
	struct stmt	*st = &s->stmts[s->nstmts++];

	memset(st, 0, sizeof *st);
	st->queryid = queryid;
	st->userid = 10;
	st->dbid = 16384;
	st->toplevel = 1;
	st->user = snapshot_strdup(s, "alice");
	st->datname = snapshot_strdup(s, "app");
	st->query = qtexts_put(q, queryid, stmt_text(queryid));
	st->calls = calls;
	st->plans = calls / 2;
	st->rows = calls * 3;
	st->exec_ms = exec_ms;
	st->plan_ms = exec_ms / 4;
	st->io_ms = exec_ms / 8;
	st->blks_hit = calls * 10;
	st->blks_read = calls;
	st->blks_dirtied = calls / 3;
	st->temp_read = calls / 5;
	st->temp_written = calls / 7;
	st->wal_bytes = calls * 100;
}

/*
 * Sample k:
 *   pid 100 idle, unchanged throughout (one span);
 *   pid 200 active, a new query every 10 samples (one span each);
 *   pid 300 until k = 40, waiting on a lock held by 200 for k in 20..29;
 *   pid 400 a parallel worker of 200 for k in 50..59, NULL names;
 *   statement 11 changes every sample, 22 never, -33 every 5 samples.
 */
static struct snapshot *
make_sample(struct qtexts *q, int k)
{
	struct snapshot	*s = snapshot_new();
	struct vitals	*v = &s->vitals;
	struct session	*x;
	char		 buf[128];
	int		*b;

	s->taken_ms = T0_MS + (int64_t)k * 1000;
	s->source = snapshot_strdup(s, "postgres@127.0.0.1:5432/app");
	s->system_id = snapshot_strdup(s, "7301234567890123456");
	s->activity_now = NOW0 + k;
	v->version_num = 160004;
	v->version = snapshot_strdup(s, "16.4");
	v->in_recovery = 0;
	v->xacts = 1000 + (int64_t)k * 17;
	v->blks_hit = 5000 + (int64_t)k * 100;
	v->blks_read = 50 + k;
	v->max_connections = 100;
	v->reserved_connections = 3;
	v->nstandbys = k % 2;
	v->repl_lag = k % 2 ? 0.25 * k : NAN;
	v->repl_lag_bytes = k % 2 ? 1024 * k : -1;
	v->slot_xmin_age = k % 3 ? -1 : 5 + k;
	v->prepared_xmin_age = -1;
	v->server_now = NOW0 + k + 0.125;
	v->interval = k > 0 ? 1.0 : NAN;
	v->tps = k > 0 ? 17.0 : NAN;
	v->hit_ratio = k > 0 ? 0.990099 : NAN;
	v->query_ms = 1.5 + k % 4;

	s->sessions = calloc(4, sizeof *s->sessions);
	assert_non_null(s->sessions);
	x = add_session(s, 100);
	x->state = snapshot_strdup(s, "idle");
	x->wait_event_type = snapshot_strdup(s, "Client");
	x->wait_event = snapshot_strdup(s, "ClientRead");
	x->query = snapshot_strdup(s, "SELECT 1");
	x->backend_age = 3600.0 + k;
	x->query_age = x->state_age = 100.5 + k;

	x = add_session(s, 200);
	snprintf(buf, sizeof buf, "UPDATE t SET x = x + 1 WHERE id = %d",
	    k / 10);
	x->state = snapshot_strdup(s, "active");
	x->query = snapshot_strdup(s, buf);
	x->query_id = 555;
	x->backend_age = 7200.0 + k;
	x->xact_age = x->query_age = x->state_age = k % 10 + 0.25;
	x->xmin_age = 10 + k / 10;

	if (k < 40) {
		x = add_session(s, 300);
		x->state = snapshot_strdup(s, "active");
		x->query = snapshot_strdup(s, "DELETE FROM t WHERE id = 7");
		x->backend_age = 60.0 + k;
		x->xact_age = x->query_age = 0.5 + k;
		x->state_age = 0.5 + k;
		if (k >= 20 && k < 30) {
			x->wait_event_type = snapshot_strdup(s, "Lock");
			x->wait_event = snapshot_strdup(s, "transactionid");
			x->lock_mode = snapshot_strdup(s, "ShareLock");
			x->lock_type = snapshot_strdup(s, "transactionid");
			x->lock_target = snapshot_strdup(s, "public.t");
			x->lock_wait = k - 20;
			b = snapshot_alloc(s, 2 * sizeof *b);
			b[0] = 200;
			b[1] = 100;
			x->blockers = b;
			x->nblockers = 2;
		}
	}
	if (k >= 50 && k < 60) {
		x = add_session(s, 400);
		x->leader_pid = 200;
		x->usename = x->application_name = x->client = NULL;
		x->backend_type = snapshot_strdup(s, "parallel worker");
		x->state = snapshot_strdup(s, "active");
		x->wait_event_type = snapshot_strdup(s, "IO");
		x->wait_event = snapshot_strdup(s, "DataFileRead");
		x->query = snapshot_strdup(s,
		    "UPDATE t SET x = x + 1 WHERE id = 5");
		x->query_id = 555;
		x->backend_age = x->query_age = k - 49.75;
	}

	s->qtexts = qtexts_ref(q);
	s->stmts = calloc(3, sizeof *s->stmts);
	assert_non_null(s->stmts);
	add_stmt(s, q, 11, 10 * (int64_t)k + 5, 2.5 * k + 1);
	add_stmt(s, q, 22, 3, 0.75);
	add_stmt(s, q, -33, 2 * (int64_t)(k / 5) + 1, 0.5 * (k / 5));
	s->stmt_info.status = STMTS_OK;
	s->stmt_info.dealloc = k / 50;
	s->stmt_info.stats_reset = 1699990000.0;
	return s;
}

static void
put_samples(struct history *h, int from, int to)
{
	struct qtexts	*q = qtexts_new();
	struct snapshot	*s;
	char		*cause = NULL;
	int		 k;

	for (k = from; k < to; k++) {
		s = make_sample(q, k);
		if (history_put(h, s, &cause) != 0)
			print_error("history_put %d: %s\n", k, cause);
		assert_null(cause);
		snapshot_unref(s);
	}
	qtexts_unref(q);
}

static struct history *
open_write(const char *path)
{
	struct history	*h;
	char		*cause = NULL;

	if ((h = history_open_write(path, &cause)) == NULL)
		print_error("history_open_write: %s\n", cause);
	assert_non_null(h);
	assert_null(cause);
	return h;
}

static struct history *
open_read(const char *path)
{
	struct history	*h;
	char		*cause = NULL;

	if ((h = history_open_read(path, &cause)) == NULL)
		print_error("history_open_read: %s\n", cause);
	assert_non_null(h);
	assert_null(cause);
	return h;
}

static void
write_capture(const char *path, int from, int to)
{
	struct history	*h = open_write(path);

	put_samples(h, from, to);
	history_close(h);
}

/* Comparing what came back with what went in. */

static void
assert_str(const char *what, int k, const char *got, const char *want)
{
	if (got == want)
		return;
	if (got == NULL || want == NULL || strcmp(got, want) != 0) {
		print_error("sample %d: %s: got '%s', want '%s'\n", k, what,
		    got ? got : "(null)", want ? want : "(null)");
		fail();
	}
}

static void
assert_num(const char *what, int k, double got, double want, double tol)
{
	if (isnan(got) && isnan(want))
		return;
	if (isnan(got) || isnan(want) || fabs(got - want) > tol) {
		print_error("sample %d: %s: got %.6f, want %.6f\n", k, what,
		    got, want);
		fail();
	}
}

static void
assert_session(int k, const struct session *g, const struct session *w)
{
	int	i;

	assert_int_equal(g->pid, w->pid);
	assert_int_equal(g->leader_pid, w->leader_pid);
	assert_str("datname", k, g->datname, w->datname);
	assert_str("usename", k, g->usename, w->usename);
	assert_str("application_name", k, g->application_name,
	    w->application_name);
	assert_str("client", k, g->client, w->client);
	assert_str("backend_type", k, g->backend_type, w->backend_type);
	assert_str("state", k, g->state, w->state);
	assert_str("wait_event_type", k, g->wait_event_type,
	    w->wait_event_type);
	assert_str("wait_event", k, g->wait_event, w->wait_event);
	assert_str("query", k, g->query, w->query);
	assert_true(g->query_id == w->query_id);
	assert_num("backend_age", k, g->backend_age, w->backend_age, 0.001);
	assert_num("xact_age", k, g->xact_age, w->xact_age, 0.001);
	assert_num("query_age", k, g->query_age, w->query_age, 0.001);
	assert_num("state_age", k, g->state_age, w->state_age, 0.001);
	assert_true(g->xmin_age == w->xmin_age);
	assert_int_equal(g->nblockers, w->nblockers);
	for (i = 0; i < w->nblockers; i++)
		assert_int_equal(g->blockers[i], w->blockers[i]);
	assert_str("lock_mode", k, g->lock_mode, w->lock_mode);
	assert_str("lock_type", k, g->lock_type, w->lock_type);
	assert_str("lock_target", k, g->lock_target, w->lock_target);
	/* Stored in whole seconds by design (see put_session()). */
	assert_num("lock_wait", k, g->lock_wait, w->lock_wait, 0.5);
}

static void
assert_stmt(int k, const struct stmt *g, const struct stmt *w)
{
	assert_true(g->queryid == w->queryid);
	assert_int_equal(g->userid, w->userid);
	assert_int_equal(g->dbid, w->dbid);
	assert_int_equal(g->toplevel, w->toplevel);
	assert_str("stmt user", k, g->user, w->user);
	assert_str("stmt datname", k, g->datname, w->datname);
	assert_str("stmt query", k, g->query, w->query);
	assert_true(g->calls == w->calls);
	assert_true(g->plans == w->plans);
	assert_true(g->rows == w->rows);
	assert_num("exec_ms", k, g->exec_ms, w->exec_ms, 0);
	assert_num("plan_ms", k, g->plan_ms, w->plan_ms, 0);
	assert_num("io_ms", k, g->io_ms, w->io_ms, 0);
	assert_true(g->blks_hit == w->blks_hit);
	assert_true(g->blks_read == w->blks_read);
	assert_true(g->blks_dirtied == w->blks_dirtied);
	assert_true(g->temp_read == w->temp_read);
	assert_true(g->temp_written == w->temp_written);
	assert_true(g->wal_bytes == w->wal_bytes);
}

static const struct stmt *
find_stmt(const struct snapshot *s, int64_t queryid)
{
	size_t	i;

	for (i = 0; i < s->nstmts; i++) {
		if (s->stmts[i].queryid == queryid)
			return &s->stmts[i];
	}
	return NULL;
}

/*
 * 'got' (loaded) against make_sample(k); 'has_prev' if the file holds
 * the sample before it, so the statements have deltas.
 */
static void
assert_sample(const struct snapshot *got, int k, int has_prev)
{
	struct qtexts		*q = qtexts_new();
	struct snapshot		*want = make_sample(q, k);
	const struct vitals	*g = &got->vitals, *w = &want->vitals;
	const struct session	*gs;
	const struct stmt	*st;
	size_t			 i;

	assert_true(got->taken_ms == want->taken_ms);
	assert_str("source", k, got->source, want->source);
	assert_num("activity_now", k, got->activity_now, want->activity_now,
	    0);
	assert_int_equal(g->version_num, w->version_num);
	assert_str("version", k, g->version, w->version);
	assert_int_equal(g->in_recovery, w->in_recovery);
	assert_true(g->xacts == w->xacts);
	assert_true(g->blks_hit == w->blks_hit);
	assert_true(g->blks_read == w->blks_read);
	assert_int_equal(g->max_connections, w->max_connections);
	assert_int_equal(g->reserved_connections, w->reserved_connections);
	assert_int_equal(g->nstandbys, w->nstandbys);
	assert_num("repl_lag", k, g->repl_lag, w->repl_lag, 0);
	assert_true(g->repl_lag_bytes == w->repl_lag_bytes);
	assert_true(g->slot_xmin_age == w->slot_xmin_age);
	assert_true(g->prepared_xmin_age == w->prepared_xmin_age);
	assert_num("server_now", k, g->server_now, w->server_now, 0);
	assert_num("interval", k, g->interval, w->interval, 0);
	assert_num("tps", k, g->tps, w->tps, 0);
	assert_num("hit_ratio", k, g->hit_ratio, w->hit_ratio, 0);
	assert_num("query_ms", k, g->query_ms, w->query_ms, 0);

	if (got->nsessions != want->nsessions)
		print_error("sample %d: %zu sessions, want %zu\n", k,
		    got->nsessions, want->nsessions);
	assert_int_equal(got->nsessions, want->nsessions);
	for (i = 0; i < want->nsessions; i++) {
		gs = snapshot_find(got, want->sessions[i].pid);
		if (gs == NULL)
			print_error("sample %d: pid %d missing\n", k,
			    want->sessions[i].pid);
		assert_non_null(gs);
		assert_session(k, gs, &want->sessions[i]);
	}

	assert_int_equal(got->nstmts, want->nstmts);
	for (i = 0; i < want->nstmts; i++) {
		assert_non_null(st = find_stmt(got, want->stmts[i].queryid));
		assert_stmt(k, st, &want->stmts[i]);
	}
	assert_int_equal(got->stmt_info.status, STMTS_OK);
	assert_null(got->stmt_info.hint);
	assert_true(got->stmt_info.dealloc == want->stmt_info.dealloc);
	assert_num("stats_reset", k, got->stmt_info.stats_reset,
	    want->stmt_info.stats_reset, 0);

	/* Derived against the sample before it. */
	st = find_stmt(got, 11);
	if (!has_prev)
		assert_false(st->have_delta);
	else {
		assert_num("interval", k, got->stmt_info.interval, 1.0, 1e-9);
		assert_int_equal(st->change, STMT_SAME);
		assert_true(st->have_delta);
		assert_num("d_calls", k, st->d_calls, 10, 0);
		assert_num("d_exec_ms", k, st->d_exec_ms, 2.5, 1e-9);
		assert_num("d_calls 22", k, find_stmt(got, 22)->d_calls, 0, 0);
		assert_num("d_calls -33", k, find_stmt(got, -33)->d_calls,
		    k % 5 == 0 ? 2 : 0, 0);
		/* dealloc is k / 50: it grows at every 50th sample. */
		assert_true(got->stmt_info.evicted == (k % 50 == 0 ? 1 : 0));
	}
	snapshot_unref(want);
	qtexts_unref(q);
}

/* Load every sample of 'path' and compare; returns the sample count. */
static size_t
assert_capture(const char *path)
{
	const struct history_sample	*hs;
	struct history			*h = open_read(path);
	struct snapshot			*s;
	char				*cause = NULL;
	size_t				 i, n;
	int				 k;

	n = history_samples(h, &hs);
	for (i = 0; i < n; i++) {
		k = (int)((hs[i].ts - T0_MS) / 1000);
		assert_true(hs[i].ts == T0_MS + (int64_t)k * 1000);
		if (i > 0)
			assert_true(hs[i].id > hs[i - 1].id);
		s = history_load(h, hs[i].id, 0, &cause);
		if (s == NULL)
			print_error("history_load %lld: %s\n",
			    (long long)hs[i].id, cause);
		assert_non_null(s);
		assert_null(cause);
		assert_true(s->sample_id == hs[i].id);
		assert_sample(s, k, i > 0);
		snapshot_unref(s);
	}
	history_close(h);
	return n;
}

/* The refusal of 'path': a one-line cause that names it. */
static void
assert_refused(struct history *h, char *cause, const char *path,
    const char *word)
{
	assert_null(h);
	assert_non_null(cause);
	if (strstr(cause, path) == NULL || strchr(cause, '\n') != NULL ||
	    strstr(cause, word) == NULL)
		print_error("cause '%s' should name '%s' and say '%s'\n",
		    cause, path, word);
	assert_non_null(strstr(cause, path));
	assert_null(strchr(cause, '\n'));
	assert_non_null(strstr(cause, word));
	free(cause);
}

/* Fixtures. */

static int
group_setup(void **state)
{
	(void)state;
	snprintf(g_dir, sizeof g_dir, "/tmp/pgdeck-history-XXXXXX");
	if (mkdtemp(g_dir) == NULL)
		return -1;
	snprintf(g_cap, sizeof g_cap, "%s/main.db", g_dir);
	write_capture(g_cap, 0, NSAMPLES);
	return 0;
}

static int
group_teardown(void **state)
{
	char	cmd[128];

	(void)state;
	if (getenv("PGDECK_KEEP_TMP") != NULL)
		return 0;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Tests. */

static void
test_round_trip(void **state)
{
	const struct history_sample	*hs;
	struct history			*h;
	struct snapshot			*s;
	char				*cause = NULL;

	(void)state;
	assert_int_equal(assert_capture(g_cap), NSAMPLES);

	h = open_read(g_cap);
	assert_int_equal(history_samples(h, &hs), NSAMPLES);
	assert_int_equal(history_index_at(h, T0_MS - 1), -1);
	assert_int_equal(history_index_at(h, T0_MS), 0);
	assert_int_equal(history_index_at(h, T0_MS + 41500), 41);
	assert_int_equal(history_index_at(h, INT64_MAX), NSAMPLES - 1);
	assert_string_equal(history_path(h), g_cap);

	/* Statements only: the sessions are left out. */
	s = history_load(h, hs[25].id, 1, &cause);
	assert_non_null(s);
	assert_int_equal(s->nsessions, 0);
	assert_int_equal(s->nstmts, 3);
	assert_true(find_stmt(s, 11)->have_delta);
	snapshot_unref(s);

	/* No such sample. */
	s = history_load(h, 123456, 0, &cause);
	assert_null(s);
	assert_non_null(cause);
	assert_non_null(strstr(cause, g_cap));
	free(cause);
	history_close(h);
}

static void
test_sessions_come_and_go(void **state)
{
	const struct history_sample	*hs;
	struct history			*h = open_read(g_cap);
	struct snapshot			*s;
	char				*cause = NULL;
	int				 k;

	(void)state;
	history_samples(h, &hs);
	for (k = 0; k < NSAMPLES; k++) {
		s = history_load(h, hs[k].id, 0, &cause);
		assert_non_null(s);
		assert_true((snapshot_find(s, 300) != NULL) == (k < 40));
		assert_true((snapshot_find(s, 400) != NULL) ==
		    (k >= 50 && k < 60));
		assert_non_null(snapshot_find(s, 100));
		snapshot_unref(s);
	}
	history_close(h);
}

static void
test_spans(void **state)
{
	(void)state;
	/* Unchanged for 100 samples: one row, still open. */
	assert_int_equal(sql_int(g_cap,
	    "SELECT count(*) FROM session WHERE pid = 100"), 1);
	assert_int_equal(sql_int(g_cap,
	    "SELECT count(*) FROM session WHERE pid = 100 AND until IS NULL"),
	    1);
	/* A new query every 10 samples. */
	assert_int_equal(sql_int(g_cap,
	    "SELECT count(*) FROM session WHERE pid = 200"), 10);
	/* Running, waiting (its lock wait start does not move), running. */
	assert_int_equal(sql_int(g_cap,
	    "SELECT count(*) FROM session WHERE pid = 300"), 3);
	assert_int_equal(sql_int(g_cap,
	    "SELECT max(until) FROM session WHERE pid = 300"),
	    sql_int(g_cap, "SELECT id FROM sample WHERE ts = 1700000040000"));
	assert_int_equal(sql_int(g_cap,
	    "SELECT count(*) FROM session WHERE pid = 400"), 1);
	assert_int_equal(sql_int(g_cap,
	    "SELECT count(*) FROM session WHERE until IS NULL"), 2);
	/* Statements: a row only when a counter changed. */
	assert_int_equal(sql_int(g_cap,
	    "SELECT count(*) FROM stmt WHERE queryid = 22"), 1);
	assert_int_equal(sql_int(g_cap,
	    "SELECT count(*) FROM stmt WHERE queryid = 11"), NSAMPLES);
	assert_int_equal(sql_int(g_cap,
	    "SELECT count(*) FROM stmt WHERE queryid = -33"), NSAMPLES / 5);
	/* Every text once. */
	assert_int_equal(sql_int(g_cap,
	    "SELECT count(*) FROM text WHERE body = 'alice'"), 1);
	assert_int_equal(sql_int(g_cap, "SELECT count(*) FROM qtext"), 3);
	assert_int_equal(sql_int(g_cap, "SELECT count(*) FROM sample"),
	    NSAMPLES);
	assert_int_equal(sql_int(g_cap,
	    "SELECT sum(nlockwait) FROM sample"), 10);
}

static void
test_ash(void **state)
{
	struct history		*h = open_read(g_cap);
	struct history_ash	*a;
	size_t			 n, i;
	int64_t			 lock = 0, cpu = 0;

	(void)state;
	n = history_ash(h, ASH_WAITS, T0_MS + 20000, T0_MS + 29000, 10, &a);
	for (i = 0; i < n; i++) {
		if (strcmp(a[i].what, "Lock:transactionid") == 0)
			lock = a[i].samples;
		if (strcmp(a[i].what, "CPU") == 0)
			cpu = a[i].samples;
	}
	history_ash_free(a, n);
	assert_int_equal(lock, 10);
	assert_int_equal(cpu, 10);
	history_close(h);
}

static void
test_reopen_closes_spans(void **state)
{
	const char	*path = tmp_path("reopen.db");
	struct history	*h;
	int64_t		 last;

	(void)state;
	file_copy(g_cap, path, SIZE_MAX);
	last = sql_int(path, "SELECT max(id) FROM sample");
	h = open_write(path);
	assert_int_equal(sql_int(path,
	    "SELECT count(*) FROM session WHERE until IS NULL"), 0);
	assert_int_equal(sql_int(path,
	    "SELECT count(*) FROM stmt WHERE until IS NULL"), 0);
	assert_int_equal(sql_int(path,
	    "SELECT min(until) FROM session WHERE pid = 100"), last + 1);
	/* Recording goes on where it stopped. */
	put_samples(h, NSAMPLES, NSAMPLES + 20);
	history_close(h);
	assert_int_equal(sql_int(path,
	    "SELECT count(*) FROM session WHERE pid = 100"), 2);
	assert_int_equal(assert_capture(path), NSAMPLES + 20);
	remove_db(path);
}

static void
test_file_mode(void **state)
{
	const char	*path = tmp_path("sub/dir/mode.db");
	struct history	*h;
	struct stat	 sb;
	mode_t		 old;
	char		 wal[300];

	(void)state;
	old = umask(0);
	h = open_write(path);
	put_samples(h, 0, 2);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	snprintf(wal, sizeof wal, "%s-wal", path);
	if (stat(wal, &sb) == 0)
		assert_int_equal(sb.st_mode & 0777, 0600);
	history_close(h);
	umask(old);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(stat(tmp_path("sub/dir"), &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	assert_int_equal(stat(g_cap, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	remove_db(path);
}

static void
test_labels_and_audit(void **state)
{
	const char			*path = tmp_path("labels.db");
	struct history			*h;
	struct history_label		*l;
	struct history_audit_row	*a;
	const struct history_sample	*hs;
	char				*cause = NULL;
	size_t				 n;

	(void)state;
	h = open_write(path);
	assert_int_equal(history_label(h, "too early", &cause), -1);
	assert_non_null(cause);
	free(cause);
	put_samples(h, 0, 2);
	assert_int_equal(history_label(h, "before deploy", &cause), 0);
	assert_null(cause);
	put_samples(h, 2, 5);
	assert_int_equal(history_label(h, "after 'deploy'", &cause), 0);
	assert_int_equal(history_audit(h, T0_MS + 1500, "alice", 300, "bob",
	    "DELETE FROM t WHERE id = 7", "cancel", 1, NULL), 0);
	assert_int_equal(history_audit(h, T0_MS + 3500, "alice", 200, NULL,
	    NULL, "terminate", 0, "permission denied"), 0);
	history_close(h);

	h = open_read(path);
	history_samples(h, &hs);
	n = history_labels(h, &l);
	assert_int_equal(n, 2);
	assert_true(l[0].sample == hs[1].id);
	assert_true(l[0].ts == T0_MS + 1000);
	assert_string_equal(l[0].label, "before deploy");
	assert_true(l[1].sample == hs[4].id);
	assert_true(l[1].ts == T0_MS + 4000);
	assert_string_equal(l[1].label, "after 'deploy'");
	history_labels_free(l, n);

	n = history_audit_rows(h, 10, &a);
	assert_int_equal(n, 2);
	assert_true(a[0].ts == T0_MS + 3500);	/* newest first */
	assert_string_equal(a[0].who, "alice");
	assert_int_equal(a[0].pid, 200);
	assert_null(a[0].target_user);
	assert_null(a[0].query);
	assert_string_equal(a[0].action, "terminate");
	assert_int_equal(a[0].ok, 0);
	assert_string_equal(a[0].message, "permission denied");
	assert_true(a[1].ts == T0_MS + 1500);
	assert_int_equal(a[1].pid, 300);
	assert_string_equal(a[1].target_user, "bob");
	assert_string_equal(a[1].query, "DELETE FROM t WHERE id = 7");
	assert_string_equal(a[1].action, "cancel");
	assert_int_equal(a[1].ok, 1);
	assert_null(a[1].message);
	history_audit_free(a, n);
	n = history_audit_rows(h, 1, &a);
	assert_int_equal(n, 1);
	history_audit_free(a, n);

	/* A replayed file is never written. */
	assert_int_equal(history_label(h, "nope", &cause), -1);
	assert_non_null(cause);
	free(cause);
	assert_int_equal(history_audit(h, T0_MS, "x", 1, NULL, NULL, "cancel",
	    1, NULL), -1);
	history_close(h);
	remove_db(path);
}

static void
test_summary(void **state)
{
	const char	*path = tmp_path("empty.db");
	struct history	*h = open_read(g_cap);
	char		*buf = NULL, *cause = NULL, *top;
	size_t		 len = 0;
	FILE		*f;

	(void)state;
	assert_non_null(f = open_memstream(&buf, &len));
	assert_int_equal(history_summary(h, f, &cause), 0);
	assert_null(cause);
	fclose(f);
	history_close(h);
	print_message("%s", buf);
	assert_non_null(strstr(buf, g_cap));
	assert_non_null(strstr(buf, "postgres@127.0.0.1:5432/app"));
	assert_non_null(strstr(buf, "16.4"));
	assert_non_null(strstr(buf, "span:     2023-11-14 22:13:20 UTC .. "
	    "2023-11-14 22:14:59 UTC (1m39s)"));
	assert_non_null(strstr(buf, "samples:  100\n"));
	/* Statement 11 ran 247.5 ms of 257 ms; 22 not at all. */
	assert_non_null(top = strstr(buf, "top statements"));
	top = strchr(top, '\n') + 1;
	assert_non_null(strstr(top, "247.5 ms"));
	assert_true(strstr(top, "SELECT * FROM t WHERE id = $1") <
	    strchr(top, '\n'));
	/* Line breaks and tabs in a text become spaces. */
	assert_non_null(strstr(buf, "UPDATE t SET x = x + $1  WHERE id = $2"));
	assert_null(strchr(buf, '\t'));
	assert_null(strstr(buf, "SELECT now()"));
	assert_non_null(strstr(buf, "worst blocking episode: 1 sessions"
	    " waiting on locks, from 2023-11-14 22:13:40 UTC for 9.0s,"
	    " root blocker pid 200"));
	free(buf);

	/* A capture without samples says so. */
	history_close(open_write(path));
	h = open_read(path);
	buf = NULL;
	assert_non_null(f = open_memstream(&buf, &len));
	assert_int_equal(history_summary(h, f, &cause), -1);
	fclose(f);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "no samples"));
	free(cause);
	free(buf);
	history_close(h);
	remove_db(path);
}

static void
test_prune(void **state)
{
	const char	*path = tmp_path("prune.db");
	struct history	*h;
	char		*cause = NULL;
	int64_t		 minid;
	int		 n, total = 0, calls = 0;

	(void)state;
	file_copy(g_cap, path, SIZE_MAX);
	h = open_write(path);
	assert_int_equal(history_audit(h, T0_MS + 5000, "alice", 1, NULL,
	    NULL, "cancel", 1, NULL), 0);
	assert_int_equal(history_audit(h, T0_MS + 95000, "alice", 2, NULL,
	    NULL, "cancel", 1, NULL), 0);
	/* Keep 10.5 s: samples 89..99 stay. */
	history_set_retention(h, 10.5 / 86400.0);
	while ((n = history_prune(h, 7, &cause)) > 0) {
		total += n;
		assert_true(++calls < 1000);
	}
	assert_int_equal(n, 0);
	assert_null(cause);
	assert_true(total >= 89);
	history_close(h);

	assert_int_equal(sql_int(path, "SELECT count(*) FROM sample"), 11);
	assert_int_equal(sql_int(path, "SELECT min(ts) FROM sample"),
	    T0_MS + 89000);
	minid = sql_int(path, "SELECT min(id) FROM sample");
	/* Spans that ended before the oldest sample are gone ... */
	assert_int_equal(sql_int(path, "SELECT count(*) FROM session"
	    " WHERE until IS NOT NULL AND until <= (SELECT min(id)"
	    " FROM sample)"), 0);
	assert_int_equal(sql_int(path, "SELECT count(*) FROM stmt"
	    " WHERE until IS NOT NULL AND until <= (SELECT min(id)"
	    " FROM sample)"), 0);
	assert_int_equal(sql_int(path,
	    "SELECT count(*) FROM session WHERE pid IN (300, 400)"), 0);
	/* ... the rest still make the samples that are left. */
	assert_int_equal(sql_int(path,
	    "SELECT count(*) FROM session WHERE pid = 100"), 1);
	assert_int_equal(sql_int(path,
	    "SELECT count(*) FROM stmt WHERE queryid = 22"), 1);
	assert_int_equal(sql_int(path,
	    "SELECT count(*) FROM stmt WHERE queryid = 11"), 11);
	assert_true(minid > 1);
	assert_int_equal(sql_int(path, "SELECT count(*) FROM audit"), 1);
	assert_int_equal(assert_capture(path), 11);
	remove_db(path);
}

static void
test_redact(void **state)
{
	static const char	*const secret =
	    "SELECT * FROM users WHERE password = 'hunter2' AND id = 424242";
	const char		*path;
	struct qtexts		*q = qtexts_new();
	struct snapshot		*s, *back;
	struct history		*h;
	const struct history_sample *hs;
	unsigned char		*bytes;
	char			*cause = NULL;
	size_t			 len;
	int			 on;

	(void)state;
	for (on = 0; on <= 1; on++) {
		path = tmp_path(on ? "redact-on.db" : "redact-off.db");
		h = open_write(path);
		history_set_redact(h, on);
		s = make_sample(q, 0);
		s->sessions[0].query = snapshot_strdup(s, secret);
		assert_int_equal(history_put(h, s, &cause), 0);
		snapshot_unref(s);
		history_close(h);

		h = open_read(path);
		assert_int_equal(history_samples(h, &hs), 1);
		back = history_load(h, hs[0].id, 0, &cause);
		assert_non_null(back);
		assert_string_equal(snapshot_find(back, 100)->query, on ?
		    "SELECT * FROM users WHERE password = ? AND id = ?" :
		    secret);
		/* Other texts are not touched. */
		assert_string_equal(snapshot_find(back, 200)->query,
		    on ? "UPDATE t SET x = x + ? WHERE id = ?" :
		    "UPDATE t SET x = x + 1 WHERE id = 0");
		assert_string_equal(snapshot_find(back, 100)->usename, "alice");
		snapshot_unref(back);
		history_close(h);

		bytes = file_read(path, &len);
		assert_int_equal(has_bytes(bytes, len, "hunter2"), !on);
		assert_int_equal(has_bytes(bytes, len, "424242"), !on);
		free(bytes);
		remove_db(path);
	}
	qtexts_unref(q);
}

/* Every statement of one sample keeps its own text. */
static void
check_queryid_texts(const int64_t *ids, size_t n)
{
	const char		*path = tmp_path("qids.db");
	struct qtexts		*q = qtexts_new();
	struct snapshot		*s;
	struct history		*h;
	const struct history_sample *hs;
	const struct stmt	*st;
	char			*cause = NULL, text[8][32];
	size_t			 i;

	assert_true(n <= 8);
	h = open_write(path);
	s = snapshot_new();
	s->taken_ms = T0_MS;
	s->stmt_info.status = STMTS_OK;
	s->stmts = calloc(n, sizeof *s->stmts);
	s->qtexts = qtexts_ref(q);
	for (i = 0; i < n; i++) {
		snprintf(text[i], sizeof text[i], "SELECT %zu", i);
		s->stmts[i].queryid = ids[i];
		s->stmts[i].toplevel = 1;
		s->stmts[i].calls = 1;
		s->stmts[i].query = qtexts_put(q, ids[i], text[i]);
	}
	s->nstmts = n;
	assert_int_equal(history_put(h, s, &cause), 0);
	snapshot_unref(s);
	qtexts_unref(q);
	history_close(h);

	h = open_read(path);
	assert_int_equal(history_samples(h, &hs), 1);
	s = history_load(h, hs[0].id, 1, &cause);
	assert_non_null(s);
	assert_int_equal(s->nstmts, n);
	for (i = 0; i < n; i++) {
		assert_non_null(st = find_stmt(s, ids[i]));
		if (st->query == NULL || strcmp(st->query, text[i]) != 0)
			print_error("queryid %lld: text '%s', want '%s'\n",
			    (long long)ids[i], st->query ? st->query : "(null)",
			    text[i]);
		assert_non_null(st->query);
		assert_string_equal(st->query, text[i]);
	}
	snapshot_unref(s);
	history_close(h);
	remove_db(path);
}

static void
test_queryid_texts(void **state)
{
	static const int64_t	ids[] = { 1, -1, 2, INT64_MIN, INT64_MAX,
	    -4242424242424242 };

	(void)state;
	check_queryid_texts(ids, sizeof ids / sizeof ids[0]);
}

/*
 * KNOWN BUG (src/store/history.c, put_stmt() and strmap_put()): the
 * writer's qtext_known map stores key 0 as 1, so after queryid 0 has
 * its text stored, queryid 1's text is taken as stored too and never
 * written (it loads as NULL); the other order loses queryid 0's text.
 * pg_stat_statements does not keep queryid 0, so this is latent.
 * Skipped until fixed: delete the skip() to re-enable.
 */
static void
test_queryid_zero_and_one(void **state)
{
	static const int64_t	ids[] = { 0, 1 };

	(void)state;
	check_queryid_texts(ids, sizeof ids / sizeof ids[0]);
}

static void
test_refusals(void **state)
{
	const char	*path;
	struct history	*h;
	unsigned char	 junk[8192];
	unsigned char	*before;
	size_t		 i, len;
	uint32_t	 x = 12345;
	sqlite3		*db;
	char		*cause = NULL, sql[128];

	(void)state;
	path = tmp_path("missing.db");
	h = history_open_read(path, &cause);
	assert_refused(h, cause, path, "No such file");

	path = tmp_path("empty.db");
	file_write(path, "", 0);
	h = history_open_read(path, &cause);
	assert_refused(h, cause, path, "empty");

	path = g_dir;
	h = history_open_read(path, &cause);
	assert_refused(h, cause, path, "not a regular file");

	for (i = 0; i < sizeof junk; i++) {
		x = x * 1103515245 + 12345;
		junk[i] = (unsigned char)(x >> 16);
	}
	path = tmp_path("random.db");
	file_write(path, junk, sizeof junk);
	h = history_open_read(path, &cause);
	assert_refused(h, cause, path, "not an SQLite file");
	h = history_open_write(path, &cause);
	assert_refused(h, cause, path, "not an SQLite file");

	/* The SQLite magic, then garbage. */
	memcpy(junk, "SQLite format 3", 16);
	path = tmp_path("random-header.db");
	file_write(path, junk, sizeof junk);
	h = history_open_read(path, &cause);
	assert_null(h);
	assert_non_null(cause);
	assert_non_null(strstr(cause, path));
	assert_null(strchr(cause, '\n'));
	free(cause);

	path = tmp_path("foreign.db");
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE notes(x TEXT);"
	    " INSERT INTO notes VALUES ('mine')", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	h = history_open_read(path, &cause);
	assert_refused(h, cause, path, "foreign");

	path = tmp_path("newer.db");
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	snprintf(sql, sizeof sql, "PRAGMA application_id = %d;"
	    " PRAGMA user_version = %d; CREATE TABLE meta(key, value)",
	    HISTORY_APP_ID, HISTORY_SCHEMA + 1);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	h = history_open_read(path, &cause);
	assert_refused(h, cause, path, "newer");
	h = history_open_write(path, &cause);
	assert_refused(h, cause, path, "newer");

	/* Ours and current, but not the tables the reader needs. */
	path = tmp_path("partial.db");
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	snprintf(sql, sizeof sql, "PRAGMA application_id = %d;"
	    " PRAGMA user_version = %d; CREATE TABLE meta(key, value)",
	    HISTORY_APP_ID, HISTORY_SCHEMA);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	h = history_open_read(path, &cause);
	assert_refused(h, cause, path, "not a pgdeck capture");

	/* A copy cut in half, as by a full disk or an interrupted scp. */
	path = tmp_path("half.db");
	before = file_read(g_cap, &len);
	file_write(path, before, len / 2);
	free(before);
	h = history_open_read(path, &cause);
	assert_refused(h, cause, path, "truncated");
	h = history_open_write(path, &cause);
	assert_refused(h, cause, path, "truncated");

	/* Refused for writing too (see also the test after this one). */
	path = tmp_path("foreign.db");
	h = history_open_write(path, &cause);
	assert_refused(h, cause, path, "foreign");
	assert_int_equal(sql_int(path, "SELECT count(*) FROM notes"), 1);
}

/*
 * Refusing a foreign SQLite file for writing leaves it byte for byte as
 * it was (history_open_write() once set WAL mode before looking).
 */
static void
test_refused_foreign_file_untouched(void **state)
{
	const char	*path = tmp_path("foreign-wal.db");
	struct history	*h;
	unsigned char	*before, *after;
	size_t		 nb, na;
	sqlite3		*db;
	char		*cause = NULL;

	(void)state;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE notes(x TEXT)", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	before = file_read(path, &nb);
	h = history_open_write(path, &cause);
	assert_refused(h, cause, path, "foreign");
	after = file_read(path, &na);
	assert_int_equal(na, nb);
	assert_memory_equal(before, after, nb);
	free(before);
	free(after);
}

/*
 * The Migrations pane's calibration is kept per server (schema 3); a
 * schema 2 file is read as it is, with no rates, and migrated only when
 * opened for writing.
 */
static struct walinfo *
make_wal(double at, int64_t failed)
{
	struct walinfo	*w;
	char		*json, *cause = NULL;

	json = xstrfmt("{\"v\":1,\"at\":%.1f,\"archive_mode\":\"on\","
	    "\"archive_command\":\"pgbackrest archive-push %%p\","
	    "\"failed_count\":%lld,\"lsn\":123456789,"
	    "\"slots\":[{\"name\":\"s1\",\"wal_status\":\"lost\"}]}",
	    at, (long long)failed);
	w = wal_from_json(json, strlen(json), &cause);
	if (w == NULL)
		print_error("wal_from_json: %s\n", cause);
	assert_non_null(w);
	free(json);
	return w;
}

/*
 * The WAL probe is stored once however many samples share it, and
 * every replayed sample gets the one valid at its time.
 */
static void
test_docs_kept(void **state)
{
	const char	*path = tmp_path("docs.db");
	struct qtexts	*q = qtexts_new();
	struct walinfo	*w1 = make_wal(1700000000, 0);
	struct walinfo	*w2 = make_wal(1700000005, 7);
	const struct history_sample *smp;
	struct history	*h;
	struct snapshot	*s;
	char		*cause = NULL;
	int		 k;

	(void)state;
	h = open_write(path);
	for (k = 0; k < 6; k++) {
		s = make_sample(q, k);
		s->wal = wal_ref(k < 3 ? w1 : w2);
		assert_int_equal(history_put(h, s, &cause), 0);
		snapshot_unref(s);
	}
	history_close(h);
	assert_int_equal(sql_int(path, "SELECT count(*) FROM doc"), 2);

	h = open_read(path);
	assert_int_equal(history_samples(h, &smp), 6);
	for (k = 0; k < 6; k++) {
		s = history_load(h, smp[k].id, 0, &cause);
		assert_non_null(s);
		assert_non_null(s->wal);
		assert_true(s->wal->at == (k < 3 ? 1700000000 : 1700000005));
		assert_int_equal(s->wal->failed_count, k < 3 ? 0 : 7);
		assert_int_equal(s->wal->nslots, 1);
		assert_string_equal(s->wal->slots[0].wal_status, "lost");
		snapshot_unref(s);
	}
	history_close(h);
	wal_unref(w1);
	wal_unref(w2);
	qtexts_unref(q);
}

static void
test_rates_kept(void **state)
{
	const char		*path = tmp_path("rates.db");
	struct history_rates	 r = { 1700000000, 41.5, 9.5e8 }, got;
	struct history		*h;
	sqlite3			*db;
	char			*cause = NULL;

	(void)state;
	h = history_open_write(path, &cause);
	assert_non_null(h);
	assert_int_equal(history_get_rates(h, "7300000000000000001", &got), -1);
	assert_int_equal(history_put_rates(h, "7300000000000000001", &r,
	    &cause), 0);
	r.sort_ms = 80;
	assert_int_equal(history_put_rates(h, "db.example:5432", &r, &cause),
	    0);
	assert_int_equal(history_get_rates(h, "7300000000000000001", &got), 0);
	assert_int_equal(got.ts, 1700000000);
	assert_true(got.sort_ms == 41.5 && got.read_bytes_s == 9.5e8);
	/* A new calibration replaces the old one. */
	r.sort_ms = 60;
	r.ts = 1700000100;
	assert_int_equal(history_put_rates(h, "7300000000000000001", &r,
	    &cause), 0);
	assert_int_equal(history_get_rates(h, "7300000000000000001", &got), 0);
	assert_true(got.sort_ms == 60 && got.ts == 1700000100);
	assert_int_equal(history_get_rates(h, "db.example:5432", &got), 0);
	assert_true(got.sort_ms == 80);
	history_close(h);
	assert_int_equal(sql_int(path, "SELECT count(*) FROM rates"), 2);

	/* Back to schema 2, as an older pgdeck wrote it. */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TABLE rates; DROP TABLE doc;"
	    " PRAGMA user_version = 2", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	h = history_open_read(path, &cause);
	assert_non_null(h);
	assert_int_equal(history_get_rates(h, "7300000000000000001", &got), -1);
	assert_int_equal(history_put_rates(h, "x", &r, &cause), -1);
	assert_non_null(strstr(cause, "never modified"));
	free(cause);
	history_close(h);
	assert_int_equal(sql_int(path, "PRAGMA user_version"), 2);

	/* Writing migrates it forward, and the rates come back empty. */
	h = history_open_write(path, &cause);
	assert_non_null(h);
	assert_int_equal(sql_int(path, "PRAGMA user_version"), HISTORY_SCHEMA);
	assert_int_equal(history_get_rates(h, "7300000000000000001", &got), -1);
	assert_int_equal(history_put_rates(h, "7300000000000000001", &r,
	    &cause), 0);
	history_close(h);
}

static void
test_wrong_types_do_not_crash(void **state)
{
	const char			*path = tmp_path("types.db");
	const struct history_sample	*hs;
	struct history			*h;
	struct snapshot			*s;
	char				*cause = NULL, *buf = NULL;
	size_t				 i, n, len = 0;
	double				 series[HS__COUNT * 8];
	FILE				*f;

	(void)state;
	file_copy(g_cap, path, SIZE_MAX);
	sql_exec(path,
	    "UPDATE sample SET tps = 'abc', query_ms = x'00' WHERE id = 5;"
	    "UPDATE sample SET activity_now = 'x', source = x'00ff',"
	    " stmt_status = 77, dealloc = 'many' WHERE id = 6;"
	    "UPDATE sample SET nlockwait = 'lots' WHERE id = 25;"
	    "UPDATE session SET blockers = 'x,,y' WHERE pid = 300;"
	    "UPDATE session SET blockers = ',' WHERE pid = 200;"
	    "UPDATE session SET blockers = '-1,99999999999999999999,'"
	    " || replace(hex(zeroblob(400)), '00', '7,') WHERE pid = 100;"
	    "UPDATE session SET state = 999999, query = -5,"
	    " backend_start = 'soon', pid = 'p' WHERE pid = 400;"
	    "UPDATE session SET first = 'a' WHERE rowid = 3;"
	    "UPDATE stmt SET calls = 'many', exec_ms = x'01',"
	    " usr = 3.5 WHERE queryid = 11;"
	    "UPDATE qtext SET body = x'00ff00' WHERE queryid = 22;"
	    "UPDATE text SET body = x'' WHERE body = 'alice';"
	    "INSERT INTO label VALUES ('x', 'y', NULL);"
	    "INSERT INTO audit VALUES ('t', 1, 'p', 2, 3, 4, 'ok', x'00');");

	if ((h = history_open_read(path, &cause)) == NULL) {
		/* Refused at the door is right too: one line naming the file. */
		assert_non_null(strstr(cause, path));
		assert_null(strchr(cause, '\n'));
		free(cause);
		remove_db(path);
		return;
	}
	n = history_samples(h, &hs);
	assert_int_equal(n, NSAMPLES);
	for (i = 0; i < n; i++) {
		s = history_load(h, hs[i].id, 0, &cause);
		if (s == NULL) {
			assert_non_null(cause);
			free(cause);
			cause = NULL;
			continue;
		}
		snapshot_derive_stmts(s, NULL);
		snapshot_unref(s);
	}
	assert_non_null(f = open_memstream(&buf, &len));
	if (history_summary(h, f, &cause) == -1)
		free(cause);
	fclose(f);
	free(buf);
	history_series(h, T0_MS, T0_MS + 99000, 8, series);
	{
		struct history_ash	*a;
		struct history_label	*l;
		struct history_audit_row *r;

		n = history_ash(h, ASH_QUERIES, T0_MS, T0_MS + 99000, 5, &a);
		history_ash_free(a, n);
		n = history_labels(h, &l);
		history_labels_free(l, n);
		n = history_audit_rows(h, 5, &r);
		history_audit_free(r, n);
	}
	history_close(h);
	remove_db(path);
}

/*
 * KNOWN BUG (src/store/history.c and src/stats/stmt.c): extreme but
 * well-typed values in a damaged capture overflow int64 arithmetic.
 * With sample.ts INT64_MIN on the first sample and INT64_MAX on the
 * last, and sample.id INT64_MAX:
 *   history_series(): (to - from + 1) wraps to 0, an integer division
 *     by zero (SIGFPE, a crash in every build);
 *   history_series(): (ts - from) * nb overflows;
 *   history_summary(): the span, last.ts - first.ts, overflows;
 *   snapshot_derive_stmts() (from history_load()): cur->taken_ms -
 *     prev->taken_ms overflows;
 *   history_ash(): b + 1 overflows for sample id INT64_MAX.
 * The signed overflows abort the ASan/UBSan build.  Skipped until
 * fixed: delete the skip() to re-enable.
 */
static void
test_extreme_values_do_not_crash(void **state)
{
	const char			*path = tmp_path("extreme.db");
	const struct history_sample	*hs;
	struct history			*h;
	struct snapshot			*s;
	struct history_ash		*a;
	double				 series[HS__COUNT * 8];
	char				*cause = NULL, *buf = NULL;
	size_t				 i, n, len = 0;
	FILE				*f;

	(void)state;
	file_copy(g_cap, path, SIZE_MAX);
	sql_exec(path,
	    "UPDATE sample SET ts = -9223372036854775808"
	    " WHERE id = (SELECT min(id) FROM sample);"
	    "UPDATE sample SET ts = 9223372036854775807, nlockwait = 2"
	    " WHERE id = (SELECT max(id) FROM sample);"
	    "UPDATE sample SET id = 9223372036854775807"
	    " WHERE id = (SELECT max(id) FROM sample);");
	if ((h = history_open_read(path, &cause)) == NULL) {
		/* Refused at the door is right too: one line naming the file. */
		assert_non_null(strstr(cause, path));
		assert_null(strchr(cause, '\n'));
		free(cause);
		remove_db(path);
		return;
	}

	n = history_samples(h, &hs);
	assert_int_equal(n, NSAMPLES);
	for (i = 0; i < n; i++) {
		if ((s = history_load(h, hs[i].id, 0, &cause)) != NULL)
			snapshot_unref(s);
		free(cause);
		cause = NULL;
	}
	assert_non_null(f = open_memstream(&buf, &len));
	if (history_summary(h, f, &cause) == -1)
		free(cause);
	fclose(f);
	free(buf);
	history_series(h, hs[0].ts, hs[n - 1].ts, 8, series);
	n = history_ash(h, ASH_WAITS, hs[0].ts, hs[n - 1].ts, 5, &a);
	history_ash_free(a, n);
	history_close(h);
	remove_db(path);
}

static void
test_replay_never_modifies(void **state)
{
	const char			*path = tmp_path("replay.db");
	const struct history_sample	*hs;
	struct history			*h;
	struct snapshot			*s;
	struct history_ash		*a;
	struct history_label		*l;
	struct history_audit_row	*r;
	unsigned char			*before, *after;
	double				 series[HS__COUNT * 16];
	double				 stmt_series[16];
	char				*cause = NULL, *buf = NULL;
	size_t				 i, n, nb, na, len = 0;
	FILE				*f;
	struct stat			 sb1, sb2;

	(void)state;
	file_copy(g_cap, path, SIZE_MAX);
	assert_int_equal(chmod(path, 0400), 0);
	before = file_read(path, &nb);
	assert_int_equal(stat(path, &sb1), 0);

	h = open_read(path);
	n = history_samples(h, &hs);
	assert_int_equal(n, NSAMPLES);
	for (i = 0; i < n; i++) {
		assert_non_null(s = history_load(h, hs[i].id, 0, &cause));
		snapshot_unref(s);
	}
	assert_non_null(f = open_memstream(&buf, &len));
	assert_int_equal(history_summary(h, f, &cause), 0);
	fclose(f);
	free(buf);
	assert_int_equal(history_series(h, T0_MS, T0_MS + 99000, 16, series),
	    0);
	assert_non_null(s = history_load(h, hs[50].id, 1, &cause));
	assert_int_equal(history_stmt_series(h, find_stmt(s, 11), T0_MS,
	    T0_MS + 99000, 16, stmt_series), 0);
	snapshot_unref(s);
	n = history_ash(h, ASH_QUERIES, T0_MS, T0_MS + 99000, 5, &a);
	assert_true(n > 0);
	history_ash_free(a, n);
	n = history_labels(h, &l);
	history_labels_free(l, n);
	n = history_audit_rows(h, 5, &r);
	history_audit_free(r, n);
	assert_int_equal(history_label(h, "no", &cause), -1);
	free(cause);
	assert_int_equal(history_prune(h, 1000, &cause), 0);
	history_close(h);

	after = file_read(path, &na);
	assert_int_equal(na, nb);
	assert_memory_equal(before, after, nb);
	assert_int_equal(stat(path, &sb2), 0);
	assert_true(sb1.st_mtime == sb2.st_mtime);
	assert_int_equal(sb2.st_mode & 0777, 0400);
	free(before);
	free(after);
	chmod(path, 0600);
	remove_db(path);
}

/*
 * KNOWN BUG (src/store/history.c, open_common()/history_close()): a
 * capture is left in WAL mode, and SQLite can only open a WAL file
 * read-only if it may create the -wal and -shm files beside it.  A
 * capture in a directory the user cannot write (a read-only mount,
 * a colleague's directory) is refused: "cannot read the file: attempt
 * to write a readonly database".  Replay also leaves empty -wal and
 * -shm files beside a capture it reads.  Skipped until fixed: delete
 * the skip() to re-enable.
 */
static void
test_replay_from_readonly_dir(void **state)
{
	const char	*dir = tmp_path("ro");
	char		 path[300], *cause = NULL;
	struct history	*h;
	int		 status;
	pid_t		 pid;

	(void)state;
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(path, sizeof path, "%s/capture.db", dir);
	file_copy(g_cap, path, SIZE_MAX);
	assert_int_equal(chmod(path, 0444), 0);
	assert_int_equal(chmod(dir, 0555), 0);
	assert_int_equal(chmod(g_dir, 0711), 0);
	fflush(NULL);
	if ((pid = fork()) == 0) {
		/* root writes anywhere: read as nobody. */
		if (geteuid() == 0 && (setgid(65534) == -1 ||
		    setuid(65534) == -1))
			_exit(2);
		if ((h = history_open_read(path, &cause)) == NULL) {
			fprintf(stderr, "%s\n", cause);
			_exit(1);
		}
		history_close(h);
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	chmod(g_dir, 0700);
	chmod(dir, 0755);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_false(exists(path, "-wal"));
	assert_false(exists(path, "-shm"));
	chmod(path, 0600);
	remove_db(path);
	rmdir(dir);
}

/* The child: record samples until killed.  Never returns. */
static void
record_forever(const char *path, int ready)
{
	struct qtexts	*q = qtexts_new();
	struct snapshot	*s;
	struct history	*h;
	char		*cause = NULL;
	int		 k;

	alarm(60);		/* should the parent go away */
	if ((h = history_open_write(path, &cause)) == NULL)
		_exit(2);
	for (k = 0; k < 10000000; k++) {
		s = make_sample(q, k);
		if (history_put(h, s, &cause) != 0)
			_exit(3);
		snapshot_unref(s);
		if (k == 0 && write(ready, "x", 1) != 1)
			_exit(4);
	}
	_exit(0);
}

static void
test_kill9_while_recording(void **state)
{
	const char	*path = tmp_path("killed.db");
	struct timespec	 ts = { 0, 300 * 1000 * 1000 };
	int		 fds[2], status;
	size_t		 n;
	pid_t		 pid;
	char		 c;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		record_forever(path, fds[1]);
	}
	close(fds[1]);
	/* Wait for the first sample, not for a guessed time. */
	assert_int_equal(read(fds[0], &c, 1), 1);
	close(fds[0]);
	nanosleep(&ts, NULL);
	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

	/* Every committed sample reads back, open spans included. */
	n = assert_capture(path);
	print_message("%zu samples recorded before SIGKILL\n", n);
	assert_true(n >= 1);
	assert_int_equal(sql_int(path,
	    "SELECT count(*) FROM session WHERE pid = 100 AND until IS NULL"),
	    1);

	/* A writer closes what the killed one left open, and goes on. */
	history_close(open_write(path));
	assert_int_equal(sql_int(path,
	    "SELECT count(*) FROM session WHERE until IS NULL"), 0);
	assert_int_equal(assert_capture(path), n);
	remove_db(path);
}

/* Small captures for the fuzz corpus, with 512-byte pages. */
static void
write_corpus(const char *dir)
{
	static const struct {
		const char	*name;
		int		 from, to, wal;
	} seeds[] = {
		{ "capture-1.db", 0, 1, 1 },
		{ "capture-lock.db", 18, 24, 1 },
		{ "capture-rollback.db", 48, 52, 0 },
	};
	char	path[512], sql[256];
	size_t	i;

	for (i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, seeds[i].name);
		remove_db(path);
		write_capture(path, seeds[i].from, seeds[i].to);
		snprintf(sql, sizeof sql, "PRAGMA journal_mode = DELETE;"
		    " PRAGMA page_size = 512; VACUUM; PRAGMA journal_mode = %s",
		    seeds[i].wal ? "WAL" : "DELETE");
		sql_exec(path, sql);
		assert_int_equal(assert_capture(path),
		    (size_t)(seeds[i].to - seeds[i].from));
		/* What the reader left beside it is not part of the seed. */
		remove_sidecars(path);
	}
}

static void
test_write_corpus(void **state)
{
	const char	*dir = getenv("PGDECK_WRITE_CORPUS");

	(void)state;
	if (dir == NULL || *dir == '\0')
		skip();
	write_corpus(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_sessions_come_and_go),
		cmocka_unit_test(test_spans),
		cmocka_unit_test(test_ash),
		cmocka_unit_test(test_reopen_closes_spans),
		cmocka_unit_test(test_file_mode),
		cmocka_unit_test(test_labels_and_audit),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_prune),
		cmocka_unit_test(test_redact),
		cmocka_unit_test(test_queryid_texts),
		cmocka_unit_test(test_queryid_zero_and_one),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_refused_foreign_file_untouched),
		cmocka_unit_test(test_wrong_types_do_not_crash),
		cmocka_unit_test(test_extreme_values_do_not_crash),
		cmocka_unit_test(test_replay_never_modifies),
		cmocka_unit_test(test_replay_from_readonly_dir),
		cmocka_unit_test(test_kill9_while_recording),
		cmocka_unit_test(test_write_corpus),
		cmocka_unit_test(test_rates_kept),
		cmocka_unit_test(test_docs_kept),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
