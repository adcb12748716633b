/*
 * histgen.c - how big does an hour of history get, and how fast does a
 * replay find its last sample?  For bench/history.sh.
 *
 *   histgen write FILE [SAMPLES]   write SAMPLES (default 3600) synthetic
 *                                  1 s samples with history_put()
 *   histgen load FILE              history_open_read() + history_load() of
 *                                  the last sample (and of the middle one)
 *   histgen reopen FILE            history_open_write() of an existing
 *                                  file, as pgdeck's next start does
 *
 * "write" prints the per-sample cost of history_put() (wall and CPU), the
 * size of the file and its WAL, rows and bytes per table; "load" prints
 * the time to open and load.  Both print "key value" lines that the
 * script turns into tables.
 *
 * The model (documented in docs/PERFORMANCE.md; every number here is a
 * knob below):
 *
 *   300 sessions, pids fixed for the hour (a connection pool)
 *     230 idle              each runs one short query a minute on average
 *                           (new query, query_start, state_change)
 *      40 idle in transaction  READ COMMITTED, no snapshot held between
 *                           statements (backend_xmin NULL); each commits
 *                           and opens a new transaction once a minute on
 *                           average
 *      30 active            a new statement every 2-5 s; a new wait event
 *                           drawn every second (CPU, IO, LWLock, Client);
 *                           hold a snapshot, so age(backend_xmin) grows
 *                           with the server's ~100 xids/s; 2 of them at a
 *                           time wait on a row lock held by an idle-in-
 *                           transaction session
 *   2,000 statements (pg_stat_statements entries)
 *     100 hot               every counter moves every second
 *   1,900 others            each moves once every 10 minutes on average
 *                           (about 3 a second)
 *   texts                   normalized statement texts of 60-430 bytes;
 *                           half of the statements run with bind
 *                           parameters (the session shows the same '$1'
 *                           text every time), half with literals (a new
 *                           session text at every execution)
 *
 * Everything is drawn from a fixed seed: two runs write the same file.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include <sqlite3.h>

#include "core/snapshot.h"
#include "stats/stmt.h"
#include "store/history.h"

#define NIDLE		230
#define NIDLE_TX	40
#define NACTIVE		30
#define NSESS		(NIDLE + NIDLE_TX + NACTIVE)
#define NSTMT		2000
#define NHOT		100
/* Rates per session or statement and second, and the other knobs. */
#define IDLE_QUERY_PER_S	(1.0 / 60)
#define IDLE_TX_ROLL_PER_S	(1.0 / 60)	/* a new transaction */
#define COLD_CHANGE_PER_S	(1.0 / 600)	/* a cold statement moves */
#define ACTIVE_MIN_S	2
#define ACTIVE_MAX_S	5
#define XIDS_PER_S	100
#define NLOCKED		2	/* active ones waiting on a lock */
#define LITERAL_SHARE	0.5		/* share run with literals */
#define T0_MS		1795000000000LL	/* 2026-11-18 */

/* Deterministic random numbers (xorshift64*). */
static uint64_t	rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static double
rnd01(void)
{
	return (double)(rnd() >> 11) / 9007199254740992.0;
}

static int
rnd_int(int lo, int hi)
{
	return lo + (int)(rnd() % (uint64_t)(hi - lo + 1));
}

static double
now_s(clockid_t clk)
{
	struct timespec	ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
fail(const char *what, const char *cause)
{
	fprintf(stderr, "histgen: %s: %s\n", what, cause ? cause : "?");
	exit(1);
}

/* ------------------------------------------------------------ the model */

struct gstmt {
	struct stmt	 st;		/* counters; keys */
	char		*text;		/* normalized ($1) */
	int		 literal;	/* sessions run it with literals */
	double		 ms_per_call;
};

struct gsess {
	int		 pid;
	int		 kind;	/* 0 idle, 1 idle in tx, 2 active */
	int		 app;		/* pod number */
	int		 user;
	int64_t		 backend_start, xact_start;
	int64_t		 query_start, state_change;
	int64_t		 next_change;	/* next query, ms */
	int		 stmt;		/* its current statement */
	char		*query;		/* current text (owned) */
	int64_t		 xmin;		/* snapshot xid, or 0 */
};

static struct gstmt	 stmts[NSTMT];
static struct gsess	 sess[NSESS];
static struct qtexts	*qtexts;
static int64_t		 xid = 5000000;

static const char *const users[] = { "app_rw", "app_ro", "report" };
static const char *const tables[] = { "orders", "order_items", "customers",
	"payments", "shipments", "invoices", "products", "inventory",
	"sessions", "events", "audit_log", "accounts", "carts", "coupons",
	"reviews", "addresses" };
static const char *const cols[] = { "id", "customer_id", "order_id",
	"created_at", "updated_at", "status", "amount", "currency", "sku",
	"quantity", "email", "region", "tenant_id", "deleted_at", "version",
	"total", "price", "note" };
#define NTABLES	(sizeof tables / sizeof tables[0])
#define NCOLS	(sizeof cols / sizeof cols[0])

/* Append to a fixed buffer, truncating. */
static void
add(char *buf, size_t size, const char *fmt, ...)
{
	size_t	n = strlen(buf);
	va_list	ap;

	if (n + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, size - n, fmt, ap);
	va_end(ap);
}

/*
 * Statement i as the application would send it: with bind parameters
 * ($1, $2 ..., also pg_stat_statements' normalized text), or with
 * literals drawn from the generator.
 */
static void
stmt_text(int i, int with_literals, char *buf, size_t size)
{
	uint64_t	 h = (uint64_t)i * 0x9e3779b97f4a7c15ULL;
	int		 kind = i % 4, t = (int)(h % NTABLES);
	int		 ncol, npred, k, p = 1;
	const char	*tab = tables[t];

	buf[0] = '\0';
	ncol = 1 + (int)((h >> 8) % 8);
	npred = 1 + (int)((h >> 16) % 4);
	switch (kind) {
	case 0:
	case 1:
		add(buf, size, "SELECT ");
		for (k = 0; k < ncol; k++)
			add(buf, size, "%s%s.%s", k ? ", " : "", tab,
			    cols[(h >> (k * 3)) % NCOLS]);
		add(buf, size, " FROM %s", tab);
		if (kind == 1)
			add(buf, size, " JOIN %s x ON x.id = %s.%s_id",
			    tables[(t + 1) % NTABLES], tab,
			    tables[(t + 1) % NTABLES]);
		add(buf, size, " WHERE");
		for (k = 0; k < npred; k++) {
			if (with_literals)
				add(buf, size, "%s %s.%s = %d", k ? " AND" : "",
				    tab, cols[(h >> (k * 5 + 7)) % NCOLS],
				    rnd_int(1, 999999));
			else
				add(buf, size, "%s %s.%s = $%d",
				    k ? " AND" : "", tab,
				    cols[(h >> (k * 5 + 7)) % NCOLS], p++);
		}
		add(buf, size, " ORDER BY %s.created_at DESC LIMIT %s", tab,
		    with_literals ? "50" : "$99");
		break;
	case 2:
		add(buf, size, "UPDATE %s SET ", tab);
		for (k = 0; k < ncol; k++) {
			if (with_literals)
				add(buf, size, "%s%s = %d", k ? ", " : "",
				    cols[(h >> (k * 3)) % NCOLS],
				    rnd_int(1, 9999));
			else
				add(buf, size, "%s%s = $%d", k ? ", " : "",
				    cols[(h >> (k * 3)) % NCOLS], p++);
		}
		if (with_literals)
			add(buf, size, " WHERE id = %d", rnd_int(1, 9999999));
		else
			add(buf, size, " WHERE id = $%d", p++);
		break;
	default:
		add(buf, size, "INSERT INTO %s (", tab);
		for (k = 0; k < ncol + 2; k++)
			add(buf, size, "%s%s", k ? ", " : "",
			    cols[(h >> (k * 2)) % NCOLS]);
		add(buf, size, ") VALUES (");
		for (k = 0; k < ncol + 2; k++) {
			if (with_literals)
				add(buf, size, "%s'%d'", k ? ", " : "",
				    rnd_int(1, 99999999));
			else
				add(buf, size, "%s$%d", k ? ", " : "", p++);
		}
		add(buf, size, ") RETURNING id");
		break;
	}
	/* Statement shapes differ: a tag makes each one distinct. */
	add(buf, size, " /* %s:%d */", tab, i);
}

static void
model_init(void)
{
	char	 buf[1024];
	int	 i;

	qtexts = qtexts_new();
	for (i = 0; i < NSTMT; i++) {
		struct gstmt	*g = &stmts[i];

		g->st.queryid = (int64_t)rnd();
		g->st.userid = 16390 + (uint32_t)(i % 3);
		g->st.dbid = 16384;
		g->st.toplevel = 1;
		g->st.user = users[i % 3];
		g->st.datname = "app";
		g->literal = rnd01() < LITERAL_SHARE;
		g->ms_per_call = 0.05 + rnd01() * rnd01() * 40;
		g->st.calls = rnd_int(1, 100000);
		g->st.plans = 0;
		g->st.rows = g->st.calls * rnd_int(1, 20);
		g->st.exec_ms = (double)g->st.calls * g->ms_per_call;
		g->st.blks_hit = g->st.calls * rnd_int(3, 200);
		g->st.blks_read = g->st.calls / rnd_int(5, 500);
		stmt_text(i, 0, buf, sizeof buf);
		g->text = strdup(buf);
		qtexts_put(qtexts, g->st.queryid, g->text);
	}
}

/* Pick a statement: sessions run the hot ones most of the time. */
static int
pick_stmt(void)
{
	return rnd01() < 0.9 ? rnd_int(0, NHOT - 1) : rnd_int(NHOT, NSTMT - 1);
}

static void
sess_new_query(struct gsess *x, int64_t now_ms)
{
	char	buf[1024];

	x->stmt = pick_stmt();
	if (stmts[x->stmt].literal)
		stmt_text(x->stmt, 1, buf, sizeof buf);
	else
		snprintf(buf, sizeof buf, "%s", stmts[x->stmt].text);
	free(x->query);
	x->query = strdup(buf);
	x->query_start = now_ms - rnd_int(0, 999);
	x->state_change = x->kind == 2 ? x->query_start :
	    x->query_start + rnd_int(1, 30);
	if (x->kind == 2) {
		x->xact_start = x->query_start;
		x->xmin = xid - rnd_int(0, 50);
		x->next_change = now_ms + rnd_int(ACTIVE_MIN_S * 1000,
		    ACTIVE_MAX_S * 1000);
	}
}

static void
sessions_init(void)
{
	int	i;

	for (i = 0; i < NSESS; i++) {
		struct gsess	*x = &sess[i];

		x->pid = 20000 + i * 7;
		x->kind = i < NIDLE ? 0 : i < NIDLE + NIDLE_TX ? 1 : 2;
		x->app = i % 10;
		x->user = i % 3;
		x->backend_start = T0_MS - rnd_int(60, 86400) * 1000LL;
		sess_new_query(x, T0_MS - rnd_int(1, 600) * 1000LL);
		if (x->kind == 1)
			x->xact_start = x->query_start - rnd_int(0, 5000);
		if (x->kind == 2)
			sess_new_query(x, T0_MS);
	}
}

/* Advance the model by one second to 'now_ms'. */
static void
model_step(int64_t now_ms)
{
	int	i, n;

	xid += XIDS_PER_S - 20 + rnd_int(0, 40);
	for (i = 0; i < NSESS; i++) {
		struct gsess	*x = &sess[i];

		switch (x->kind) {
		case 0:
			if (rnd01() < IDLE_QUERY_PER_S)
				sess_new_query(x, now_ms);
			break;
		case 1:
			if (rnd01() < IDLE_TX_ROLL_PER_S) {
				sess_new_query(x, now_ms);
				x->xact_start = x->query_start;
			}
			break;
		default:
			if (now_ms >= x->next_change)
				sess_new_query(x, now_ms);
			break;
		}
	}
	for (i = 0; i < NSTMT; i++) {
		struct gstmt	*g = &stmts[i];

		if (i >= NHOT && rnd01() >= COLD_CHANGE_PER_S)
			continue;
		n = i < NHOT ? rnd_int(1, 60) : rnd_int(1, 5);
		g->st.calls += n;
		g->st.rows += n * rnd_int(0, 20);
		g->st.exec_ms += n * g->ms_per_call * (0.5 + rnd01());
		g->st.blks_hit += n * rnd_int(3, 200);
		g->st.blks_read += rnd_int(0, n);
		if (i % 4 >= 2) {
			g->st.blks_dirtied += rnd_int(0, n);
			g->st.wal_bytes += n * rnd_int(100, 2000);
		}
	}
}

static const char *const active_waits[][2] = {
	{ NULL, NULL }, { NULL, NULL }, { NULL, NULL },
	{ "IO", "DataFileRead" }, { "IO", "DataFileRead" },
	{ "LWLock", "WALWrite" }, { "Client", "ClientRead" },
	{ "IO", "WALSync" },
};

/* The snapshot a collector would publish at 'now_ms'. */
static struct snapshot *
model_snapshot(int64_t now_ms, int sample)
{
	static const char *const apps[10] = { "api-0", "api-1", "api-2",
		"api-3", "api-4", "api-5", "worker-0", "worker-1", "cron",
		"psql" };
	static const char *const clients[10] = { "10.0.1.11", "10.0.1.12",
		"10.0.1.13", "10.0.2.21", "10.0.2.22", "10.0.2.23",
		"10.0.3.31", "10.0.3.32", "10.0.4.41", "10.0.9.99" };
	struct snapshot	*s = snapshot_new();
	double		 now = (double)now_ms / 1000.0;
	int		 i, nlocked = 0, w;

	s->taken_ms = now_ms;
	s->source = "app@db1.internal:5432/app";
	s->system_id = "7412345678901234567";
	s->activity_now = now;
	s->vitals.version_num = 150020;
	s->vitals.version = "15.20";
	s->vitals.xacts = xid * 3;
	s->vitals.blks_hit = (int64_t)sample * 90000 + 123456789;
	s->vitals.blks_read = (int64_t)sample * 300 + 1234567;
	s->vitals.max_connections = 400;
	s->vitals.reserved_connections = 3;
	s->vitals.repl_lag = NAN;
	s->vitals.repl_lag_bytes = -1;
	s->vitals.slot_xmin_age = -1;
	s->vitals.prepared_xmin_age = -1;
	s->vitals.server_now = now;
	s->vitals.interval = sample > 0 ? 1.0 : NAN;
	s->vitals.tps = sample > 0 ? 300 : NAN;
	s->vitals.hit_ratio = sample > 0 ? 0.997 : NAN;
	s->vitals.query_ms = 3.0 + rnd01();

	s->nsessions = NSESS;
	s->sessions = calloc(NSESS, sizeof *s->sessions);
	for (i = 0; i < NSESS; i++) {
		struct gsess	*g = &sess[i];
		struct session	*x = &s->sessions[i];

		x->pid = g->pid;
		x->datname = "app";
		x->usename = users[g->user];
		x->application_name = apps[g->app];
		x->client = clients[g->app];
		x->backend_type = "client backend";
		x->query = snapshot_strdup(s, g->query);
		x->query_id = stmts[g->stmt].st.queryid;
		x->backend_age = now - (double)g->backend_start / 1000.0;
		x->query_age = now - (double)g->query_start / 1000.0;
		x->state_age = now - (double)g->state_change / 1000.0;
		x->xact_age = NAN;
		x->xmin_age = -1;
		x->lock_wait = NAN;
		switch (g->kind) {
		case 0:
			x->state = "idle";
			x->wait_event_type = "Client";
			x->wait_event = "ClientRead";
			break;
		case 1:
			x->state = "idle in transaction";
			x->wait_event_type = "Client";
			x->wait_event = "ClientRead";
			x->xact_age = now - (double)g->xact_start / 1000.0;
			break;
		default:
			x->state = "active";
			x->xact_age = now - (double)g->xact_start / 1000.0;
			x->xmin_age = xid - g->xmin;
			if (nlocked < NLOCKED &&
			    stmts[g->stmt].st.queryid % 3 == 0) {
				/* On a row an idle-in-tx session holds. */
				x->wait_event_type = "Lock";
				x->wait_event = "transactionid";
				x->lock_mode = "ShareLock";
				x->lock_type = "transactionid";
				x->lock_wait = x->query_age;
				x->blockers = snapshot_alloc(s, sizeof(int));
				x->blockers[0] = sess[NIDLE + nlocked].pid;
				x->nblockers = 1;
				nlocked++;
				break;
			}
			w = rnd_int(0, (int)(sizeof active_waits /
			    sizeof active_waits[0]) - 1);
			x->wait_event_type = active_waits[w][0];
			x->wait_event = active_waits[w][1];
			break;
		}
	}

	s->nstmts = NSTMT;
	s->stmts = calloc(NSTMT, sizeof *s->stmts);
	for (i = 0; i < NSTMT; i++) {
		s->stmts[i] = stmts[i].st;
		s->stmts[i].query = qtexts_get(qtexts, stmts[i].st.queryid);
	}
	s->stmt_info.status = STMTS_OK;
	s->stmt_info.dealloc = 0;
	s->stmt_info.stats_reset = (double)T0_MS / 1000.0 - 86400 * 3;
	s->qtexts = qtexts_ref(qtexts);
	return s;
}

/* ---------------------------------------------------------------- write */

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static long long
file_size(const char *path)
{
	struct stat	sb;

	return stat(path, &sb) == 0 ? (long long)sb.st_size : 0;
}

static long long
peak_rss_kb(void)
{
	struct rusage	ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* Rows and bytes per table and index, through a separate connection. */
static void
report_tables(const char *path)
{
	static const char *const tabs[] = { "sample", "session", "stmt",
		"text", "qtext" };
	sqlite3		*db;
	sqlite3_stmt	*st;
	char		 sql[200];
	size_t		 i;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		fail(path, sqlite3_errmsg(db));
	for (i = 0; i < sizeof tabs / sizeof tabs[0]; i++) {
		snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tabs[i]);
		if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			printf("rows.%s %lld\n", tabs[i],
			    (long long)sqlite3_column_int64(st, 0));
		sqlite3_finalize(st);
	}
	/* dbstat: bytes of each table and index (pages in use). */
	if (sqlite3_prepare_v2(db, "SELECT name, sum(pgsize), sum(payload)"
	    " FROM dbstat GROUP BY name ORDER BY 2 DESC", -1, &st,
	    NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW)
			printf("bytes.%s %lld %lld\n",
			    (const char *)sqlite3_column_text(st, 0),
			    (long long)sqlite3_column_int64(st, 1),
			    (long long)sqlite3_column_int64(st, 2));
	} else
		printf("bytes.unavailable %s\n", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db, "SELECT avg(length(body)) FROM qtext",
	    -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		printf("qtext.avg_len %.0f\n", sqlite3_column_double(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static int
cmd_write(const char *path, int nsamples)
{
	struct history	*h;
	struct snapshot	*s, *prev = NULL;
	char		*cause = NULL, wal[4096];
	double		*wall, *cpu, w0, c0, derive = 0, build = 0, t;
	double		 tot_wall = 0, tot_cpu = 0;
	int		 i;
	long long	 wal_open, db_open;

	model_init();
	sessions_init();
	if ((h = history_open_write(path, &cause)) == NULL)
		fail("open", cause);
	wall = calloc((size_t)nsamples, sizeof *wall);
	cpu = calloc((size_t)nsamples, sizeof *cpu);
	for (i = 0; i < nsamples; i++) {
		int64_t	now_ms = T0_MS + (int64_t)i * 1000;

		t = now_s(CLOCK_PROCESS_CPUTIME_ID);
		if (i > 0)
			model_step(now_ms);
		s = model_snapshot(now_ms, i);
		build += now_s(CLOCK_PROCESS_CPUTIME_ID) - t;
		t = now_s(CLOCK_PROCESS_CPUTIME_ID);
		snapshot_derive_stmts(s, prev);
		derive += now_s(CLOCK_PROCESS_CPUTIME_ID) - t;

		w0 = now_s(CLOCK_MONOTONIC);
		c0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
		if (history_put(h, s, &cause) == -1)
			fail("history_put", cause);
		wall[i] = now_s(CLOCK_MONOTONIC) - w0;
		cpu[i] = now_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
		tot_wall += wall[i];
		tot_cpu += cpu[i];
		snapshot_unref(prev);
		prev = s;
	}
	snapshot_unref(prev);
	snprintf(wal, sizeof wal, "%s-wal", path);
	db_open = file_size(path);
	wal_open = file_size(wal);
	printf("samples %d\n", nsamples);
	printf("size.db_open %lld\n", db_open);
	printf("size.wal_open %lld\n", wal_open);
	printf("put.first_ms %.3f\n", wall[0] * 1e3);
	printf("put.mean_wall_ms %.3f\n", tot_wall / nsamples * 1e3);
	printf("put.mean_cpu_ms %.3f\n", tot_cpu / nsamples * 1e3);
	qsort(wall, (size_t)nsamples, sizeof *wall, cmp_double);
	qsort(cpu, (size_t)nsamples, sizeof *cpu, cmp_double);
	printf("put.median_wall_ms %.3f\n", wall[nsamples / 2] * 1e3);
	printf("put.p99_wall_ms %.3f\n", wall[nsamples * 99 / 100] * 1e3);
	printf("put.max_wall_ms %.3f\n", wall[nsamples - 1] * 1e3);
	printf("put.median_cpu_ms %.3f\n", cpu[nsamples / 2] * 1e3);
	printf("derive.mean_cpu_ms %.3f\n", derive / nsamples * 1e3);
	printf("model.mean_cpu_ms %.3f\n", build / nsamples * 1e3);
	printf("rss.peak_kb %lld\n", peak_rss_kb());
	/* Closing checkpoints the WAL into the file and removes it. */
	history_close(h);
	printf("size.db_closed %lld\n", file_size(path));
	printf("size.wal_closed %lld\n", file_size(wal));
	report_tables(path);
	free(wall);
	free(cpu);
	return 0;
}

/* ----------------------------------------------------------------- load */

/* Run 'sql' with ?1 = 'id' to the end; returns wall ms. */
static double
time_query(sqlite3 *db, const char *sql, int64_t id)
{
	sqlite3_stmt	*st;
	double		 t = now_s(CLOCK_MONOTONIC);

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail(sql, sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW)
		;
	sqlite3_finalize(st);
	return (now_s(CLOCK_MONOTONIC) - t) * 1e3;
}

/*
 * How SQLite runs the span lookups of history_load() (the WHERE clause
 * of its Q_LOAD_SESS and Q_LOAD_STMT), and what they cost for sample
 * 'id' as written and with the index on 'first' disabled.
 */
static void
explain_spans(const char *path, int64_t id)
{
	/* A column each lookup must read from the row itself. */
	static const char *const tabs[][2] = { { "stmt", "calls" },
		{ "session", "query" } };
	sqlite3		*db;
	sqlite3_stmt	*st;
	char		 sql[300];
	size_t		 i;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		fail(path, sqlite3_errmsg(db));
	/* The check both history_open_*() run on an existing file. */
	printf("quick_check_ms %.1f\n", time_query(db, "PRAGMA quick_check(1)",
	    0));
	for (i = 0; i < 2; i++) {
		snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN SELECT * FROM %s"
		    " WHERE first <= ?1 AND (until IS NULL OR until > ?1)",
		    tabs[i][0]);
		if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
			fail(sql, sqlite3_errmsg(db));
		while (sqlite3_step(st) == SQLITE_ROW)
			printf("plan.%s %s\n", tabs[i][0],
			    (const char *)sqlite3_column_text(st, 3));
		sqlite3_finalize(st);
		snprintf(sql, sizeof sql, "SELECT count(*), sum(%s IS NULL)"
		    " FROM %s WHERE first <= ?1"
		    " AND (until IS NULL OR until > ?1)",
		    tabs[i][1], tabs[i][0]);
		printf("probe.%s.as_is_ms %.1f\n", tabs[i][0],
		    time_query(db, sql, id));
		/* "+first" keeps SQLite off the index on 'first'. */
		snprintf(sql, sizeof sql, "SELECT count(*), sum(%s IS NULL)"
		    " FROM %s WHERE +first <= ?1"
		    " AND (until IS NULL OR until > ?1)",
		    tabs[i][1], tabs[i][0]);
		printf("probe.%s.until_ms %.1f\n", tabs[i][0],
		    time_query(db, sql, id));
	}
	sqlite3_close(db);
}

static int
cmd_load(const char *path)
{
	const struct history_sample	*smp;
	struct history			*h;
	struct snapshot			*s;
	char				*cause = NULL;
	double				 w0, c0, w1, c1;
	size_t				 n;

	w0 = now_s(CLOCK_MONOTONIC);
	c0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
	if ((h = history_open_read(path, &cause)) == NULL)
		fail("open", cause);
	n = history_samples(h, &smp);
	if (n == 0)
		fail(path, "no samples");
	w1 = now_s(CLOCK_MONOTONIC);
	c1 = now_s(CLOCK_PROCESS_CPUTIME_ID);
	printf("open.wall_ms %.3f\nopen.cpu_ms %.3f\n", (w1 - w0) * 1e3,
	    (c1 - c0) * 1e3);
	if ((s = history_load(h, smp[n - 1].id, 0, &cause)) == NULL)
		fail("load", cause);
	printf("last.wall_ms %.3f\nlast.cpu_ms %.3f\n",
	    (now_s(CLOCK_MONOTONIC) - w1) * 1e3,
	    (now_s(CLOCK_PROCESS_CPUTIME_ID) - c1) * 1e3);
	printf("total.wall_ms %.3f\ntotal.cpu_ms %.3f\n",
	    (now_s(CLOCK_MONOTONIC) - w0) * 1e3,
	    (now_s(CLOCK_PROCESS_CPUTIME_ID) - c0) * 1e3);
	printf("last.sessions %zu\nlast.stmts %zu\n", s->nsessions, s->nstmts);
	snapshot_unref(s);

	w1 = now_s(CLOCK_MONOTONIC);
	c1 = now_s(CLOCK_PROCESS_CPUTIME_ID);
	if ((s = history_load(h, smp[n / 2].id, 0, &cause)) == NULL)
		fail("load", cause);
	printf("middle.wall_ms %.3f\nmiddle.cpu_ms %.3f\n",
	    (now_s(CLOCK_MONOTONIC) - w1) * 1e3,
	    (now_s(CLOCK_PROCESS_CPUTIME_ID) - c1) * 1e3);
	snapshot_unref(s);
	w1 = now_s(CLOCK_MONOTONIC);
	if ((s = history_load(h, smp[0].id, 0, &cause)) == NULL)
		fail("load", cause);
	printf("first.wall_ms %.3f\n", (now_s(CLOCK_MONOTONIC) - w1) * 1e3);
	snapshot_unref(s);
	/*
	 * What the panes ask of the file at the end of the hour: the Top
	 * queries pane loads the statements at the start of its rate window
	 * on every update (windows other than the refresh interval); the
	 * History pane loads series and ASH when it is drawn.
	 */
	{
		static const int	 mins[] = { 1, 5, 15 };
		struct history_ash	*ash;
		double			*series;
		size_t			 k, na;
		long			 i;

		for (k = 0; k < sizeof mins / sizeof mins[0]; k++) {
			i = history_index_at(h,
			    smp[n - 1].ts - mins[k] * 60000LL);
			if (i < 0)
				i = 0;
			w1 = now_s(CLOCK_MONOTONIC);
			if ((s = history_load(h, smp[i].id, 1, &cause)) == NULL)
				fail("load", cause);
			printf("window%dm.wall_ms %.3f\n", mins[k],
			    (now_s(CLOCK_MONOTONIC) - w1) * 1e3);
			snapshot_unref(s);
		}
		series = calloc(HS__COUNT * 200, sizeof *series);
		w1 = now_s(CLOCK_MONOTONIC);
		history_series(h, smp[0].ts, smp[n - 1].ts, 200, series);
		printf("series.wall_ms %.3f\n",
		    (now_s(CLOCK_MONOTONIC) - w1) * 1e3);
		free(series);
		w1 = now_s(CLOCK_MONOTONIC);
		na = history_ash(h, ASH_WAITS, smp[0].ts, smp[n - 1].ts, 20,
		    &ash);
		printf("ash.wall_ms %.3f\n",
		    (now_s(CLOCK_MONOTONIC) - w1) * 1e3);
		history_ash_free(ash, na);
	}
	explain_spans(path, smp[n - 1].id);
	history_close(h);
	return 0;
}

static int
cmd_reopen(const char *path)
{
	struct history	*h;
	char		*cause = NULL;
	double		 w0 = now_s(CLOCK_MONOTONIC);
	double		 c0 = now_s(CLOCK_PROCESS_CPUTIME_ID);

	if ((h = history_open_write(path, &cause)) == NULL)
		fail("open", cause);
	printf("reopen.wall_ms %.3f\nreopen.cpu_ms %.3f\n",
	    (now_s(CLOCK_MONOTONIC) - w0) * 1e3,
	    (now_s(CLOCK_PROCESS_CPUTIME_ID) - c0) * 1e3);
	history_close(h);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "write") == 0)
		return cmd_write(argv[2], argc > 3 ? atoi(argv[3]) : 3600);
	if (argc == 3 && strcmp(argv[1], "load") == 0)
		return cmd_load(argv[2]);
	if (argc == 3 && strcmp(argv[1], "reopen") == 0)
		return cmd_reopen(argv[2]);
	fprintf(stderr, "usage: histgen write FILE [SAMPLES] | load FILE |"
	    " reopen FILE\n");
	return 2;
}
