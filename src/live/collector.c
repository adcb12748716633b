/*
 * collector.c - refresh scheduling, snapshot building and publication.
 */
#include "collector.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/clock.h"
#include "../core/loop.h"
#include "../core/strbuf.h"
#include "../core/util.h"
#include "../stats/stmt.h"
#include "../backup/runs.h"
#include "../backup/wal.h"
#include "../core/banned.h"

#define MAX_SINKS	4

struct signal_req {
	struct collector	*c;
	int			 pid;
	int			 terminate;
	collector_done_fn	 done;
	void			*arg;
};

struct collector {
	struct loop		*loop;
	struct pg_conn		*pc;
	int64_t			 refresh_ms;
	uint64_t		 timer;
	int			 started;
	int			 in_flight;	/* a refresh is out */
	int			 ready;		/* setup + probe done */
	struct capabilities	 caps;
	int			 prepared;	/* statements ready (of 2) */
	struct snapshot		*pending;	/* sessions in, vitals to come */
	double			 pending_ms;
	char			*source;	/* user@host:port/db */
	char			*probe_error;
	struct vitals		 prev;		/* last sample's counters */
	int			 have_prev;
	struct snapshot		*prev_snap;	/* for statement deltas */
	struct qtexts		*qtexts;	/* texts by queryid, this server */
	char			*texts_error;	/* why texts cannot be read, */
	int64_t			 texts_retry_ms;	/* until then, or NULL */
	int			 stmts_status;	/* probe_stmts_status() */
	struct walinfo		*wal;		/* the last WAL probe */
	char			*wal_sql;	/* its batch, for this connection */
	int64_t			 wal_due_ms;	/* next WAL probe, monotonic */
	struct bk_state		*backups;	/* the last backup tool runs */
	struct snapshot_sink	 sinks[MAX_SINKS];
	int			 nsinks;
	collector_status_fn	 status_fn;
	void			*status_arg;
};

#define STMT_ACTIVITY	"pgdeck_activity"
#define STMT_VITALS	"pgdeck_vitals"
#define STMT_LOCKS	"pgdeck_locks"
#define STMT_STMTS	"pgdeck_statements"
/* Texts asked for per refresh at most: a cold cache fills over a few. */
#define MAX_TEXT_IDS	500
/* After the texts query failed, how long before it is tried again. */
#define TEXTS_RETRY_MS	30000

static void	schedule(struct collector *);
static void	refresh(struct collector *);
static void	prepare_done(const struct pg_reply *, void *);
static void	locks_done(const struct pg_reply *, void *);
static void	vitals_done(const struct pg_reply *, void *);
static void	wal_done(const struct pg_reply *, void *);
static void	stmts_next(struct collector *, struct snapshot *);
static void	stmts_done(const struct pg_reply *, void *);
static void	texts_done(const struct pg_reply *, void *);
static void	finish(struct collector *, struct snapshot *);

static void
notify(struct collector *c)
{
	if (c->status_fn != NULL)
		c->status_fn(c->status_arg);
}

static void
set_probe_error(struct collector *c, const char *msg)
{
	free(c->probe_error);
	c->probe_error = msg != NULL ? xstrdup(msg) : NULL;
}

static void
setup_done(const struct pg_reply *r, void *arg)
{
	struct collector	*c = arg;
	char			*cause = NULL;
	struct strbuf		 sql;
	PGconn			*conn;

	if (r->error != NULL) {
		set_probe_error(c, r->error);
		notify(c);
		return;
	}
	if (r->nres < 1 || probe_capabilities_parse(r->res[r->nres - 1],
	    &c->caps, &cause) == -1) {
		set_probe_error(c, cause != NULL ? cause : "capability probe failed");
		free(cause);
		notify(c);
		return;
	}
	free(c->source);
	conn = pg_conn_raw(c->pc);
	c->source = pg_source(conn);
	/* Prepared once per connection: no planning on each refresh. */
	c->prepared = 0;
	strbuf_init(&sql, 0);
	probe_activity_sql(&sql, c->caps.version_num);
	pg_conn_prepare(c->pc, STMT_ACTIVITY, sql.buf,
	    COLLECTOR_STATEMENT_TIMEOUT_MS, prepare_done, c);
	strbuf_reset(&sql);
	probe_server_sql(&sql, c->caps.version_num);
	pg_conn_prepare(c->pc, STMT_VITALS, sql.buf,
	    COLLECTOR_STATEMENT_TIMEOUT_MS, prepare_done, c);
	strbuf_reset(&sql);
	probe_locks_sql(&sql, c->caps.version_num);
	pg_conn_prepare(c->pc, STMT_LOCKS, sql.buf,
	    COLLECTOR_STATEMENT_TIMEOUT_MS, prepare_done, c);
	/* Three statements in one batch: sent as text, built once. */
	strbuf_reset(&sql);
	wal_probe_sql(&sql, c->caps.version_num, c->caps.ls_archive_status);
	free(c->wal_sql);
	c->wal_sql = xstrdup(sql.buf);
	c->stmts_status = probe_stmts_status(&c->caps);
	if (c->stmts_status == STMTS_OK) {
		strbuf_reset(&sql);
		probe_stmts_sql(&sql, &c->caps);
		pg_conn_prepare(c->pc, STMT_STMTS, sql.buf,
		    COLLECTOR_STATEMENT_TIMEOUT_MS, prepare_done, c);
	}
	strbuf_release(&sql);
}

static void
prepare_done(const struct pg_reply *r, void *arg)
{
	struct collector	*c = arg;

	if (r->error != NULL) {
		set_probe_error(c, r->error);
		notify(c);
		return;
	}
	if (++c->prepared < (c->stmts_status == STMTS_OK ? 4 : 3))
		return;
	c->ready = 1;
	set_probe_error(c, NULL);
	refresh(c);
}

/* On every (re)connection: session settings, then the capability probe. */
static void
conn_ready(struct pg_conn *pc, void *arg)
{
	struct collector	*c = arg;
	char			*sql;

	c->ready = 0;
	c->in_flight = 0;
	c->wal_due_ms = 0;
	snapshot_unref(c->pending);
	c->pending = NULL;
	sql = xstrfmt("SET statement_timeout = %d; SET lock_timeout = %d;"
	    " SET idle_in_transaction_session_timeout = 0;"
	    " SET application_name = 'pgdeck'; %s",
	    COLLECTOR_STATEMENT_TIMEOUT_MS, COLLECTOR_LOCK_TIMEOUT_MS,
	    probe_capabilities_sql);
	pg_conn_query(pc, sql, 0, NULL, COLLECTOR_STATEMENT_TIMEOUT_MS,
	    setup_done, c);
	free(sql);
}

static void
conn_state(struct pg_conn *pc, void *arg)
{
	struct collector	*c = arg;

	if (pg_conn_state(pc) != PGC_READY) {
		c->ready = 0;
		c->in_flight = 0;
		snapshot_unref(c->pending);
		c->pending = NULL;
	}
	notify(c);
}

struct collector *
collector_new(struct loop *loop, struct pg_conn *pc, double refresh_s)
{
	struct collector	*c;

	c = xcalloc(1, sizeof *c);
	c->loop = loop;
	c->pc = pc;
	c->refresh_ms = (int64_t)(refresh_s * 1000);
	c->qtexts = qtexts_new();
	pg_conn_set_hooks(pc, conn_ready, conn_state, c);
	return c;
}

void
collector_free(struct collector *c)
{
	if (c == NULL)
		return;
	if (c->timer != 0)
		loop_timer_cancel(c->loop, c->timer);
	pg_conn_set_hooks(c->pc, NULL, NULL, NULL);
	capabilities_release(&c->caps);
	snapshot_unref(c->pending);
	snapshot_unref(c->prev_snap);
	qtexts_unref(c->qtexts);
	free(c->texts_error);
	wal_unref(c->wal);
	free(c->wal_sql);
	bk_state_unref(c->backups);
	free(c->source);
	free(c->probe_error);
	free(c);
}

void
collector_add_sink(struct collector *c, struct snapshot_sink sink)
{
	if (c->nsinks == MAX_SINKS)
		BUG("too many snapshot sinks");
	c->sinks[c->nsinks++] = sink;
}

void
collector_on_status(struct collector *c, collector_status_fn fn, void *arg)
{
	c->status_fn = fn;
	c->status_arg = arg;
}

static void
publish(struct collector *c, struct snapshot *s)
{
	int	i;

	for (i = 0; i < c->nsinks; i++)
		c->sinks[i].put(c->sinks[i].arg, s);
}

/* A refresh failed: a lost connection is a state the UI shows already. */
static void
refresh_failed(struct collector *c, const char *why)
{
	c->in_flight = 0;
	snapshot_unref(c->pending);
	c->pending = NULL;
	if (why != NULL && pg_conn_state(c->pc) == PGC_READY)
		set_probe_error(c, why);
	notify(c);
}

/* First half of a refresh: the sessions. */
static void
activity_done(const struct pg_reply *r, void *arg)
{
	struct collector	*c = arg;
	struct snapshot		*s;
	char			*cause = NULL;

	snapshot_unref(c->pending);
	c->pending = NULL;
	if (r->error != NULL) {
		refresh_failed(c, r->error);
		return;
	}
	s = snapshot_new();
	s->taken_ms = clock_wall_ms();
	s->source = snapshot_strdup(s, c->source);
	s->system_id = snapshot_strdup(s, c->caps.system_id);
	s->qtexts = qtexts_ref(c->qtexts);
	if (r->nres != 1 || probe_activity_parse(r->res[0], s, &cause) == -1) {
		snapshot_unref(s);
		refresh_failed(c, cause != NULL ? cause :
		    "unexpected answer to the sessions probe");
		free(cause);
		return;
	}
	c->pending = s;
	c->pending_ms = r->elapsed_ms;
	/* Lock details only when someone waits: then the vitals. */
	if (snapshot_has_lock_waiters(s) &&
	    pg_conn_query_prepared(c->pc, STMT_LOCKS, 0, NULL,
	    COLLECTOR_STATEMENT_TIMEOUT_MS, locks_done, c) == -1)
		return;
	if (pg_conn_query_prepared(c->pc, STMT_VITALS, 0, NULL,
	    COLLECTOR_STATEMENT_TIMEOUT_MS, vitals_done, c) == -1)
		return;
}

static void
locks_done(const struct pg_reply *r, void *arg)
{
	struct collector	*c = arg;
	char			*cause = NULL;

	if (c->pending == NULL)
		return;
	c->pending_ms += r->elapsed_ms;
	/* Without lock details the sessions are still worth showing. */
	if (r->error != NULL)
		set_probe_error(c, r->error);
	else if (r->nres != 1 ||
	    probe_locks_parse(r->res[0], c->pending, &cause) == -1) {
		set_probe_error(c, cause != NULL ? cause :
		    "unexpected answer to the lock waits probe");
		free(cause);
	}
}

/* Second half: the vitals; then the snapshot is complete. */
static void
vitals_done(const struct pg_reply *r, void *arg)
{
	struct collector	*c = arg;
	struct snapshot		*s = c->pending;
	char			*cause = NULL;

	if (r->error != NULL || s == NULL) {
		refresh_failed(c, r->error);
		return;
	}
	if (r->nres != 1 || probe_server_parse(r->res[0], s, &cause) == -1) {
		refresh_failed(c, cause != NULL ? cause :
		    "unexpected answer to the vitals probe");
		free(cause);
		return;
	}
	c->pending_ms += r->elapsed_ms;
	s->stmt_info.status = c->stmts_status;
	/*
	 * Archiving, slots and standbys every WAL_PROBE_MS, not every
	 * refresh: they move slowly, and their times are absolute, so the
	 * ages stay right in between.
	 */
	if (clock_now_ms() >= c->wal_due_ms) {
		c->wal_due_ms = clock_now_ms() + WAL_PROBE_MS;
		pg_conn_query(c->pc, c->wal_sql, 0, NULL,
		    COLLECTOR_STATEMENT_TIMEOUT_MS, wal_done, c);
		return;
	}
	stmts_next(c, s);
}

static void
wal_done(const struct pg_reply *r, void *arg)
{
	struct collector	*c = arg;
	struct snapshot		*s = c->pending;
	struct walinfo		*w;
	char			*cause = NULL;

	if (s == NULL)
		return;
	c->pending_ms += r->elapsed_ms;
	if (r->error != NULL && pg_conn_state(c->pc) != PGC_READY) {
		refresh_failed(c, r->error);
		return;
	}
	/* A failed WAL probe is the Backups pane's: keep the last one. */
	if (r->error != NULL)
		log_debug("wal probe: %s", r->error);
	else if (r->nres != 3 || (w = wal_parse(r->res[0], r->res[1],
	    r->res[2], c->caps.ls_archive_status, c->caps.user,
	    &cause)) == NULL) {
		log_debug("wal probe: %s", cause != NULL ? cause : "no answer");
		free(cause);
	} else {
		wal_unref(c->wal);
		c->wal = w;
	}
	stmts_next(c, s);
}

static void
stmts_next(struct collector *c, struct snapshot *s)
{
	if (c->stmts_status != STMTS_OK) {
		finish(c, s);
		return;
	}
	pg_conn_query_prepared(c->pc, STMT_STMTS, 0, NULL,
	    COLLECTOR_STATEMENT_TIMEOUT_MS, stmts_done, c);
}

/* A statement failure is the Top queries pane's, not the refresh's. */
static void
stmts_failed(struct snapshot *s, const char *why)
{
	char	buf[200];

	s->stmt_info.status = STMTS_ERROR;
	s->stmt_info.hint = snapshot_strdup(s, pg_first_line(why, buf,
	    sizeof buf));
}

static void
stmts_done(const struct pg_reply *r, void *arg)
{
	struct collector	*c = arg;
	struct snapshot		*s = c->pending;
	char			*cause = NULL;
	struct strbuf		 ids, sql;
	const char		*params[1];
	size_t			 i;
	int			 n = 0;

	if (s == NULL)
		return;
	c->pending_ms += r->elapsed_ms;
	if (r->error != NULL) {
		if (pg_conn_state(c->pc) != PGC_READY) {
			refresh_failed(c, r->error);
			return;
		}
		stmts_failed(s, r->error);
		finish(c, s);
		return;
	}
	if (r->nres != 1 || probe_stmts_parse(r->res[0], s, &c->caps,
	    &cause) == -1) {
		stmts_failed(s, cause != NULL ? cause :
		    "unexpected answer to the statements probe");
		free(cause);
		finish(c, s);
		return;
	}
	/*
	 * pg_stat_statements(true) fails whole when one stored text cannot
	 * be converted (a SQL_ASCII database's bytes): it is not asked for
	 * every refresh then, and the pane says why texts are missing.
	 */
	if (c->texts_error != NULL && clock_now_ms() < c->texts_retry_ms) {
		finish(c, s);
		return;
	}
	/* Texts only for the ids not seen yet. */
	strbuf_init(&ids, 0);
	strbuf_addch(&ids, '{');
	for (i = 0; i < s->nstmts && n < MAX_TEXT_IDS; i++) {
		if (s->stmts[i].query != NULL)
			continue;
		strbuf_addf(&ids, "%s%lld", n > 0 ? "," : "",
		    (long long)s->stmts[i].queryid);
		n++;
	}
	strbuf_addch(&ids, '}');
	if (n == 0) {
		strbuf_release(&ids);
		finish(c, s);
		return;
	}
	strbuf_init(&sql, 0);
	probe_stmt_texts_sql(&sql, &c->caps);
	params[0] = ids.buf;
	pg_conn_query(c->pc, sql.buf, 1, params,
	    COLLECTOR_STATEMENT_TIMEOUT_MS, texts_done, c);
	strbuf_release(&sql);
	strbuf_release(&ids);
}

static void
texts_done(const struct pg_reply *r, void *arg)
{
	struct collector	*c = arg;
	struct snapshot		*s = c->pending;
	char			*cause = NULL;
	size_t			 i;

	if (s == NULL)
		return;
	c->pending_ms += r->elapsed_ms;
	if (r->error == NULL && r->nres == 1 &&
	    probe_stmt_texts_parse(r->res[0], c->qtexts, &cause) > 0) {
		for (i = 0; i < s->nstmts; i++) {
			if (s->stmts[i].query == NULL)
				s->stmts[i].query = qtexts_get(c->qtexts,
				    s->stmts[i].queryid);
		}
	}
	free(cause);
	if (r->error != NULL && pg_conn_state(c->pc) != PGC_READY) {
		refresh_failed(c, r->error);
		return;
	}
	free(c->texts_error);
	c->texts_error = NULL;
	if (r->error != NULL) {
		char	buf[200];

		c->texts_error = xstrdup(pg_first_line(r->error, buf,
		    sizeof buf));
		c->texts_retry_ms = clock_now_ms() + TEXTS_RETRY_MS;
	}
	finish(c, s);
}

/* The snapshot is complete: derive rates and publish it. */
static void
finish(struct collector *c, struct snapshot *s)
{
	c->pending = NULL;
	c->in_flight = 0;
	s->wal = wal_ref(c->wal);
	s->backups = bk_state_ref(c->backups);
	if (c->texts_error != NULL && s->stmt_info.status == STMTS_OK &&
	    s->stmt_info.hint == NULL) {
		char *hint = xstrfmt("query texts unavailable: %s (a text"
		    " stored from another encoding? pg_stat_statements_reset()"
		    " clears it); tried again every %d s", c->texts_error,
		    TEXTS_RETRY_MS / 1000);

		s->stmt_info.hint = snapshot_strdup(s, hint);
		free(hint);
	}
	vitals_derive(&s->vitals, c->have_prev ? &c->prev : NULL);
	s->vitals.query_ms = c->pending_ms;
	c->prev = s->vitals;
	c->prev.version = NULL;		/* not owned past this snapshot */
	c->have_prev = 1;
	snapshot_derive_stmts(s, c->prev_snap);
	snapshot_unref(c->prev_snap);
	c->prev_snap = snapshot_ref(s);
	set_probe_error(c, NULL);
	publish(c, s);
	snapshot_unref(s);
	notify(c);
}

static void
refresh(struct collector *c)
{
	if (!c->ready || pg_conn_state(c->pc) != PGC_READY)
		return;
	if (c->in_flight)
		return;		/* skip a tick: never queue on a slow server */
	/* Sessions first; activity_done queues the rest. */
	if (pg_conn_query_prepared(c->pc, STMT_ACTIVITY, 0, NULL,
	    COLLECTOR_STATEMENT_TIMEOUT_MS, activity_done, c) == 0)
		c->in_flight = 1;
}

static void
tick(void *arg)
{
	struct collector	*c = arg;

	c->timer = 0;
	refresh(c);
	schedule(c);
}

static void
schedule(struct collector *c)
{
	if (c->timer != 0)
		loop_timer_cancel(c->loop, c->timer);
	c->timer = loop_timer_add(c->loop, c->refresh_ms, tick, c);
}

void
collector_start(struct collector *c)
{
	c->started = 1;
	if (pg_conn_state(c->pc) == PGC_DISCONNECTED)
		pg_conn_start(c->pc);
	schedule(c);
}

void
collector_refresh_now(struct collector *c)
{
	refresh(c);
	schedule(c);
}

void
collector_set_refresh(struct collector *c, double seconds)
{
	c->refresh_ms = (int64_t)(seconds * 1000);
	if (c->started)
		schedule(c);
}

double
collector_refresh(const struct collector *c)
{
	return (double)c->refresh_ms / 1000.0;
}

static void
signal_done(const struct pg_reply *r, void *arg)
{
	struct signal_req	*q = arg;
	char			 msg[600];
	int			 ok = 0;
	const char		*verb = q->terminate ? "terminate" : "cancel";

	if (r->error != NULL)
		snprintf(msg, sizeof msg, "cannot %s pid %d: %s", verb, q->pid,
		    r->error);
	else if (r->nres == 1 && PQntuples(r->res[0]) == 1 &&
	    PQgetvalue(r->res[0], 0, 0)[0] == 't') {
		ok = 1;
		snprintf(msg, sizeof msg, "%s sent to pid %d",
		    q->terminate ? "terminate" : "cancel", q->pid);
	} else
		snprintf(msg, sizeof msg,
		    "cannot %s pid %d: no such backend any more", verb, q->pid);
	q->done(ok, msg, q->arg);
	if (ok)
		collector_refresh_now(q->c);
	free(q);
}

void
collector_signal(struct collector *c, int pid, int terminate,
    collector_done_fn done, void *arg)
{
	struct signal_req	*q;
	char			 pidbuf[16];
	const char		*params[1] = { pidbuf };

	snprintf(pidbuf, sizeof pidbuf, "%d", pid);
	q = xcalloc(1, sizeof *q);
	q->c = c;
	q->pid = pid;
	q->terminate = terminate;
	q->done = done;
	q->arg = arg;
	if (pg_conn_query(c->pc, terminate ?
	    "SELECT pg_terminate_backend($1::int)" :
	    "SELECT pg_cancel_backend($1::int)", 1, params,
	    COLLECTOR_STATEMENT_TIMEOUT_MS, signal_done, q) == -1) {
		done(0, "not connected to the server", arg);
		free(q);
	}
}

const struct capabilities *
collector_caps(const struct collector *c)
{
	return &c->caps;
}

const char *
collector_source(const struct collector *c)
{
	return c->source;
}

const char *
collector_probe_error(const struct collector *c)
{
	return c->probe_error;
}

void
collector_set_backups(struct collector *c, struct bk_state *st)
{
	bk_state_unref(c->backups);
	c->backups = bk_state_ref(st);
}

void
collector_probe_wal_now(struct collector *c)
{
	c->wal_due_ms = 0;
}
