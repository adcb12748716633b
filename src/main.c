/*
 * main.c - argv, config, wiring, exit codes.
 *
 * Exit status: 0 normal, 1 connection or runtime failure, 2 bad usage
 * or configuration.  Every failure before the screen is taken is one
 * line on stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "backup/runner.h"
#include "backup/runs.h"
#include "backup/wal.h"
#include "config/config.h"
#include "config/keymap.h"
#include "config/theme.h"
#include "core/clock.h"
#include "core/loop.h"
#include "core/pg_conn.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "demo/demo.h"
#include "migrate/migrate.h"
#include "live/collector.h"
#include "plan/diff.h"
#include "plan/explain.h"
#include "plan/plan.h"
#include "schema/schema.h"
#include "schema/schema_erd.h"
#include "store/history.h"
#include "store/snapfile.h"
#include "../ui/panes.h"
#include "../ui/ui.h"
#include "core/banned.h"

struct app {
	struct loop		*loop;
	struct pg_conn		*pc;
	struct collector	*coll;
	struct ui		*ui;
	struct config		 cfg;
	int			 read_only;
	uint64_t		 ticker;
	const char		*file;		/* offline: snapshot file */
	int			 nfile;		/* snapshots in it */
	FILE			*save;		/* --save-snapshots */

	/* History: the per-server cache and an optional capture. */
	struct history		*hist;
	struct history		*rec;
	char			*hist_path;	/* forced (demo), or NULL */
	char			*hist_off;	/* why the cache is off */
	char			*rec_off;	/* why recording stopped */
	int			 no_history;
	int			 redact;
	double			 retention;	/* days */
	uint64_t		 prune_timer;
	struct snapshot		*last;		/* newest sample */

	/* Replay. */
	struct history		*replay;
	long			 cursor;	/* index into its samples */

	/* EXPLAIN from the panes: connection keywords and the job running. */
	const char *const	*conn_keys, *const *conn_vals;
	struct explain_job	*explain;
	struct schema_job	*schema;

	/* The backup tools: their runner, and when they run next. */
	struct bk_runner	*bk;
	uint64_t		 bk_timer;
	int			 bk_started;	/* first run done or under way */
	const struct config	*cfgp;

	/* `migrate`: the options, for a dry run's connection. */
	const struct options	*mopts;
	int			 mig_server;	/* connected at start */
};

static void	seek(struct app *, long);
static void	backup_tick(void *);

static void
app_status(void *arg, struct ui_status *st)
{
	struct app		*app = arg;
	const char		*err = pg_conn_error(app->pc);
	const char		*perr = collector_probe_error(app->coll);
	const char		*source = collector_source(app->coll);
	char			 buf[200];

	st->refresh = collector_refresh(app->coll);
	st->read_only = app->read_only;
	if (source != NULL)
		snprintf(st->source, sizeof st->source, "%s", source);
	switch (pg_conn_state(app->pc)) {
	case PGC_READY:
		st->ok = perr == NULL;
		snprintf(st->state, sizeof st->state, "live every %.3gs",
		    st->refresh);
		if (perr != NULL)
			snprintf(st->detail, sizeof st->detail, "probe failed: %s",
			    perr);
		else if (app->rec_off != NULL)
			snprintf(st->detail, sizeof st->detail,
			    "recording stopped: %s", app->rec_off);
		else if (app->hist_off != NULL)
			snprintf(st->detail, sizeof st->detail,
			    "history off (live only): %s", app->hist_off);
		break;
	case PGC_CONNECTING:
		snprintf(st->state, sizeof st->state, "connecting");
		break;
	case PGC_RETRY_WAIT:
		snprintf(st->state, sizeof st->state, "reconnecting in %lld s",
		    (long long)((pg_conn_retry_in(app->pc) + 999) / 1000));
		snprintf(st->detail, sizeof st->detail,
		    "server connection lost: %s (showing the last sample)",
		    err != NULL ? pg_first_line(err, buf, sizeof buf) : "?");
		break;
	default:
		snprintf(st->state, sizeof st->state, "not connected");
		break;
	}
}

static const char *
base_name(const char *path)
{
	const char	*b = strrchr(path, '/');

	if (strcmp(path, "-") == 0)
		return "stdin";
	return b != NULL && b[1] != '\0' ? b + 1 : path;
}

/* File mode: where the samples come from; no server to act on. */
static void
file_status(void *arg, struct ui_status *st)
{
	struct app	*app = arg;

	st->ok = 1;
	st->replay = 1;
	snprintf(st->source, sizeof st->source, "%s", base_name(app->file));
	snprintf(st->state, sizeof st->state, "file, %d sample%s",
	    app->nfile, app->nfile == 1 ? "" : "s");
}

static int
file_can_signal(void *arg, const struct session *x, char *why, size_t size)
{
	(void)arg;
	(void)x;
	snprintf(why, size, "the data comes from a file");
	return 0;
}

static int
app_can_signal(void *arg, const struct session *x, char *why, size_t size)
{
	struct app			*app = arg;
	const struct capabilities	*caps = collector_caps(app->coll);

	if (app->read_only) {
		snprintf(why, size, "read-only mode");
		return 0;
	}
	if (pg_conn_state(app->pc) != PGC_READY || caps->user == NULL) {
		snprintf(why, size, "not connected");
		return 0;
	}
	if (caps->superuser || caps->signal_backend)
		return 1;
	if (x != NULL && x->usename != NULL &&
	    strcmp(x->usename, caps->user) == 0)
		return 1;
	snprintf(why, size, "role %s is neither superuser nor a member of "
	    "pg_signal_backend", caps->user);
	return 0;
}

/* A cancel or terminate on its way, for the audit table. */
struct audit_req {
	struct app	*app;
	int		 pid, terminate;
	char		*target_user, *query;
};

static void
signal_done(int ok, const char *msg, void *arg)
{
	struct audit_req		*q = arg;
	struct app			*app = q->app;
	const struct capabilities	*caps = collector_caps(app->coll);
	struct history			*h[2] = { app->hist, app->rec };
	int				 i;

	ui_message(app->ui, !ok, "%s", msg);
	for (i = 0; i < 2; i++) {
		if (h[i] != NULL && history_audit(h[i], clock_wall_ms(),
		    caps->user, q->pid, q->target_user, q->query,
		    q->terminate ? "terminate" : "cancel", ok, msg) == -1)
			ui_message(app->ui, 1, "%s (not written to the audit "
			    "table of %s)", msg, history_path(h[i]));
	}
	free(q->target_user);
	free(q->query);
	free(q);
}

static void
app_signal(void *arg, int pid, int terminate)
{
	struct app		*app = arg;
	struct audit_req	*q = xcalloc(1, sizeof *q);
	const struct session	*x = snapshot_find(app->last, pid);

	q->app = app;
	q->pid = pid;
	q->terminate = terminate;
	if (x != NULL) {
		q->target_user = x->usename ? xstrdup(x->usename) : NULL;
		q->query = x->query ? xstrdup(x->query) : NULL;
	}
	collector_signal(app->coll, pid, terminate, signal_done, q);
}

/*
 * The history cache: $XDG_STATE_HOME/pgdeck/<system_identifier>.db, or
 * named by the address (user@host:port/db) without the right to read it.
 */
static char *
history_file_named(const char *system_id, const char *source)
{
	const char	*x = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char		*dir, *path, *name, *p;

	if (x != NULL && x[0] == '/')
		dir = xstrfmt("%s/pgdeck", x);
	else if (home != NULL && home[0] == '/')
		dir = xstrfmt("%s/.local/state/pgdeck", home);
	else
		return NULL;
	/* Without the right to read it, the address names the server. */
	name = xstrdup(system_id != NULL ? system_id : source != NULL ?
	    source : "unknown");
	for (p = name; *p != '\0'; p++) {
		if (*p == '/' || *p == ' ' || *p == '@' || *p == ':')
			*p = '_';
	}
	path = xstrfmt("%s/%s.db", dir, name);
	free(name);
	free(dir);
	return path;
}

static char *
history_file_for(const struct snapshot *s)
{
	return history_file_named(s->system_id, s->source);
}

static void
prune_tick(void *arg)
{
	struct app	*app = arg;
	char		*cause = NULL;

	app->prune_timer = 0;
	/* A bounded batch at a time: the UI never waits long. */
	if (app->hist != NULL && history_prune(app->hist, 2000, &cause) == -1) {
		log_debug("history prune: %s", cause);
		free(cause);
	}
	app->prune_timer = loop_timer_add(app->loop, 10000, prune_tick, app);
}

/* The history sink: cache and capture, each dropped on its first error. */
static void
history_put_sink(void *arg, struct snapshot *s)
{
	struct app	*app = arg;
	char		*cause = NULL, *path;

	snapshot_unref(app->last);
	app->last = snapshot_ref(s);
	/* The tools first run once the WAL probe says what archives. */
	if (app->bk != NULL && !app->bk_started && s->wal != NULL)
		backup_tick(app);
	if (app->rec != NULL && history_put(app->rec, s, &cause) == -1) {
		app->rec_off = cause;
		history_close(app->rec);
		app->rec = NULL;
		cause = NULL;
	}
	if (app->no_history || app->hist_off != NULL)
		return;
	if (app->hist == NULL) {
		path = app->hist_path != NULL ? xstrdup(app->hist_path) :
		    history_file_for(s);
		if (path == NULL) {
			app->hist_off = xstrdup("no $HOME or $XDG_STATE_HOME");
			return;
		}
		app->hist = history_open_write(path, &cause);
		free(path);
		if (app->hist == NULL) {
			app->hist_off = cause;
			return;
		}
		history_set_redact(app->hist, app->redact);
		if (app->retention > 0)
			history_set_retention(app->hist, app->retention);
		app->prune_timer = loop_timer_add(app->loop, 2000, prune_tick,
		    app);
	}
	if (history_put(app->hist, s, &cause) == -1) {
		app->hist_off = cause;
		history_close(app->hist);
		app->hist = NULL;
	}
}

/*
 * EXPLAIN of a statement from the Top queries or Activity pane: its own
 * short-lived connection to the statement's database, the steps sent
 * one at a time, the JSON parsed into the Plan pane and stored in the
 * history cache with the queryid.
 */
struct explain_job {
	struct app	 *app;
	struct pg_conn	 *pc;
	char		**steps;
	int		  nsteps, next, plan_step;
	char		 *json, *error;
	char		 *text, *datname;
	int64_t		  queryid;
	int		  analyze;
	int64_t		  started;
	uint64_t	  finish_timer;
};

static void	explain_send(struct explain_job *);

static void
explain_job_free(struct explain_job *j)
{
	if (j->finish_timer != 0)
		loop_timer_cancel(j->app->loop, j->finish_timer);
	pg_conn_free(j->pc);
	explain_steps_free(j->steps);
	free(j->json);
	free(j->error);
	free(j->text);
	free(j->datname);
	free(j);
}

static void
explain_finish(void *arg)
{
	struct explain_job	*j = arg;
	struct app		*app = j->app;
	struct pane		*pane = ui_pane(app->ui, 2);
	struct plan		*pl;
	char			*cause = NULL, src[200], when[16];
	time_t			 t = (time_t)(j->started / 1000);
	struct tm		 tm;

	j->finish_timer = 0;
	app->explain = NULL;
	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%H:%M:%S", &tm);
	snprintf(src, sizeof src, "EXPLAIN%s %s UTC db %s queryid %lld",
	    j->analyze ? " ANALYZE" : "", when, j->datname != NULL ?
	    j->datname : "-", (long long)j->queryid);
	if (j->error != NULL) {
		ui_message(app->ui, 1, "EXPLAIN failed: %s", j->error);
		if (pane != NULL)
			pane_plan_error(pane, j->error);
	} else if (j->json == NULL ||
	    (pl = plan_parse("EXPLAIN", j->json, strlen(j->json), &cause)) ==
	    NULL) {
		ui_message(app->ui, 1, "EXPLAIN: %s", cause != NULL ? cause :
		    "no plan came back");
		free(cause);
	} else {
		struct history	*h[2] = { app->hist, app->rec };
		int64_t		 hist_id = 0;
		int		 i;

		plan_set_query_text(pl, j->text);
		for (i = 0; i < 2; i++) {
			if (h[i] == NULL)
				continue;
			if (history_put_plan(h[i], j->started, j->queryid,
			    j->datname, j->analyze ? "analyze" : "generic",
			    j->text, j->json, i == 0 ? &hist_id : NULL,
			    &cause) == -1) {
				ui_message(app->ui, 1, "plan not stored: %s",
				    cause);
				free(cause);
				cause = NULL;
			}
		}
		if (pane != NULL) {
			pane_plan_open(pane, pl, src);
			pane_plan_stored(pane, hist_id, j->started, j->queryid);
			ui_focus(app->ui, 2);
		} else
			plan_free(pl);
	}
	explain_job_free(j);
}

static void
explain_done(struct explain_job *j)
{
	/* Not from inside the connection's own callback: free it later. */
	if (j->finish_timer == 0)
		j->finish_timer = loop_timer_add(j->app->loop, 0,
		    explain_finish, j);
}

static void
explain_reply(const struct pg_reply *r, void *arg)
{
	struct explain_job	*j = arg;
	int			 step = j->next - 1;

	if (r->error != NULL) {
		j->error = xstrdup(r->error);
		explain_done(j);
		return;
	}
	if (step == j->plan_step && r->nres > 0 &&
	    PQresultStatus(r->res[0]) == PGRES_TUPLES_OK &&
	    PQntuples(r->res[0]) > 0) {
		/* One row, or one per line in some clients: join them. */
		struct strbuf	sb = STRBUF_INIT;
		int		i;

		for (i = 0; i < PQntuples(r->res[0]); i++) {
			strbuf_addstr(&sb, PQgetvalue(r->res[0], i, 0));
			strbuf_addch(&sb, '\n');
		}
		j->json = strbuf_detach(&sb);
	}
	if (j->next >= j->nsteps) {
		explain_done(j);
		return;
	}
	explain_send(j);
}

static void
explain_send(struct explain_job *j)
{
	const char	*sql = j->steps[j->next++];

	if (pg_conn_query_one(j->pc, sql, 120000, explain_reply, j) == -1) {
		j->error = xstrdup("the connection went away");
		explain_done(j);
	}
}

static void
explain_ready(struct pg_conn *pc, void *arg)
{
	struct explain_job *j = arg;

	(void)pc;
	if (j->next == 0)
		explain_send(j);
}

static void
explain_state(struct pg_conn *pc, void *arg)
{
	struct explain_job	*j = arg;
	char			 buf[200];

	/* One attempt: a refused or lost connection ends the job. */
	if (pg_conn_state(pc) == PGC_RETRY_WAIT && j->error == NULL) {
		j->error = xstrfmt("cannot connect to database %s: %s",
		    j->datname != NULL ? j->datname : "?",
		    pg_conn_error(pc) != NULL ? pg_first_line(pg_conn_error(pc),
		    buf, sizeof buf) : "?");
		explain_done(j);
	}
}

static int
app_explain(void *arg, const struct explain_req *req, char *why, size_t size)
{
	struct app		*app = arg;
	struct explain_job	*j;
	const char		*keys[40], *vals[40];
	char			*cause = NULL;
	int			 n = 0, version;

	if (app->explain != NULL) {
		snprintf(why, size, "an EXPLAIN is running already");
		return -1;
	}
	if (req->analyze && app->read_only) {
		snprintf(why, size, "--read-only: no EXPLAIN ANALYZE (it runs the"
		    " statement)");
		return -1;
	}
	version = app->last != NULL ? app->last->vitals.version_num : 0;
	j = xcalloc(1, sizeof *j);
	j->app = app;
	j->nsteps = explain_steps(req, version, &j->steps, &j->plan_step,
	    &cause);
	if (j->nsteps == -1) {
		snprintf(why, size, "%s", cause);
		free(cause);
		free(j);
		return -1;
	}
	j->text = xstrdup(req->text);
	j->datname = req->datname != NULL ? xstrdup(req->datname) : NULL;
	j->queryid = req->queryid;
	j->analyze = req->analyze;
	j->started = clock_wall_ms();
	while (app->conn_keys[n] != NULL && n < 37) {
		keys[n] = app->conn_keys[n];
		vals[n] = app->conn_vals[n];
		n++;
	}
	/* A later dbname wins over the conninfo's (libpq, in order). */
	if (j->datname != NULL) {
		keys[n] = "dbname";
		vals[n++] = j->datname;
	}
	keys[n] = NULL;
	vals[n] = NULL;
	j->pc = pg_conn_new(app->loop, keys, vals);
	pg_conn_set_hooks(j->pc, explain_ready, explain_state, j);
	pg_conn_start(j->pc);
	app->explain = j;
	ui_message(app->ui, 0, "%s in database %s ...", req->analyze ?
	    "EXPLAIN ANALYZE (rolled back)" : "EXPLAIN (generic plan, not "
	    "run)", j->datname != NULL ? j->datname : "?");
	return 0;
}

/*
 * The Schema pane's catalog: its own connection to the database, the
 * catalog phase's queries one at a time (each under statement_timeout),
 * the catalog handed to the pane, then the detail phase's queries parsed
 * into that same catalog (the pane keeps indexes, not pointers).
 */
struct schema_job {
	struct app		*app;
	struct pg_conn		*pc;
	struct sch_catalog	*cat;
	enum sch_phase		 phase;
	int			 next;
	int			 given;		/* the pane has cat */
	char			*error;
	uint64_t		 finish_timer;
	int64_t			 started_ms;	/* asked for, monotonic */
};

static void	schema_send(struct schema_job *);

static void
schema_job_free(struct schema_job *j)
{
	if (j->finish_timer != 0)
		loop_timer_cancel(j->app->loop, j->finish_timer);
	pg_conn_free(j->pc);
	if (!j->given)
		sch_catalog_free(j->cat);
	free(j->error);
	free(j);
}

static void
schema_finish(void *arg)
{
	struct schema_job	*j = arg;
	struct app		*app = j->app;
	struct pane		*pane = ui_pane(app->ui, 3);

	j->finish_timer = 0;
	app->schema = NULL;
	if (j->error != NULL) {
		char *msg = xstrfmt("cannot read the catalog: %s", j->error);

		log_debug("schema: %s", msg);

		if (pane != NULL && !j->given)
			pane_schema_error(pane, msg);
		ui_message(app->ui, 1, "%s", msg);
		free(msg);
	}
	schema_job_free(j);
}

static void
schema_done(struct schema_job *j)
{
	if (j->finish_timer == 0)
		j->finish_timer = loop_timer_add(j->app->loop, 0, schema_finish,
		    j);
}

/*
 * Keep the catalog read in the history cache and the capture, valid
 * from the newest sample on, so that replay can show the Schema pane.
 */
static void
schema_keep(struct app *app, const struct sch_catalog *cat)
{
	struct history	*h[2] = { app->hist, app->rec };
	char		*json, *cause = NULL;
	int		 i;

	if (h[0] == NULL && h[1] == NULL)
		return;
	json = sch_catalog_to_json(cat);
	for (i = 0; i < 2; i++) {
		if (h[i] != NULL && history_put_doc(h[i], "catalog",
		    clock_wall_ms(), json, &cause) == -1) {
			ui_message(app->ui, 1, "catalog not kept: %s", cause);
			free(cause);
			cause = NULL;
		}
	}
	free(json);
}

static void
schema_reply(const struct pg_reply *r, void *arg)
{
	struct schema_job	*j = arg;
	struct pane		*pane = ui_pane(j->app->ui, 3);
	char			*cause = NULL;

	if (r->error != NULL || r->nres < 1 ||
	    sch_parse(j->cat, j->phase, j->next - 1, r->res[0], &cause) != 0) {
		j->error = r->error != NULL ? xstrdup(r->error) : cause != NULL ?
		    cause : xstrdup("no result");
		schema_done(j);
		return;
	}
	if (j->next < sch_nqueries(j->phase)) {
		schema_send(j);
		return;
	}
	sch_finish(j->cat);
	if (j->phase == SCH_PHASE_CATALOG) {
		char *src = xstrfmt("database %s", j->cat->database != NULL ?
		    j->cat->database : "?");

		if (pane != NULL) {
			pane_schema_open(pane, j->cat, src);
			j->given = 1;
			/* What bench/schema.sh reads for the first frame. */
			log_debug("schema: %d relations in the pane %lld ms"
			    " after the request", j->cat->nrels,
			    (long long)(clock_now_ms() - j->started_ms));
		}
		free(src);
		if (!j->given) {
			schema_done(j);
			return;
		}
		j->phase = SCH_PHASE_DETAIL;
		j->next = 0;
		schema_send(j);
		return;
	}
	if (pane != NULL)
		pane_schema_detail(pane);
	log_debug("schema: sizes in the pane %lld ms after the request",
	    (long long)(clock_now_ms() - j->started_ms));
	schema_keep(j->app, j->cat);
	ui_status_changed(j->app->ui);
	schema_done(j);
}

static void
schema_send(struct schema_job *j)
{
	const char *sql = sch_query(j->phase, j->next++);

	if (pg_conn_query_one(j->pc, sql, 60000, schema_reply, j) == -1) {
		j->error = xstrdup("the connection went away");
		schema_done(j);
	}
}

static void
schema_ready(struct pg_conn *pc, void *arg)
{
	struct schema_job *j = arg;

	(void)pc;
	if (j->next == 0 && j->phase == SCH_PHASE_CATALOG)
		schema_send(j);
}

static void
schema_state(struct pg_conn *pc, void *arg)
{
	struct schema_job	*j = arg;
	char			 buf[200];

	if (pg_conn_state(pc) == PGC_RETRY_WAIT && j->error == NULL) {
		j->error = xstrdup(pg_conn_error(pc) != NULL ?
		    pg_first_line(pg_conn_error(pc), buf, sizeof buf) : "?");
		schema_done(j);
	}
}

static int
app_schema_load(void *arg, char *why, size_t size)
{
	struct app		*app = arg;
	struct schema_job	*j;

	if (app->schema != NULL) {
		snprintf(why, size, "the catalog is being read already");
		return -1;
	}
	j = xcalloc(1, sizeof *j);
	j->app = app;
	j->cat = sch_catalog_new();
	j->phase = SCH_PHASE_CATALOG;
	j->started_ms = clock_now_ms();
	j->pc = pg_conn_new(app->loop, (const char *const *)app->conn_keys,
	    (const char *const *)app->conn_vals);
	pg_conn_set_hooks(j->pc, schema_ready, schema_state, j);
	pg_conn_start(j->pc);
	app->schema = j;
	return 0;
}

/* Replay: the catalog kept in the file at or before the cursor. */
static int
replay_schema_load(void *arg, char *why, size_t size)
{
	struct app			*app = arg;
	const struct history_sample	*sm;
	size_t				 n = history_samples(app->replay, &sm);
	struct sch_catalog		*cat;
	struct pane			*pane = ui_pane(app->ui, 3);
	char				*json, *cause = NULL, *src, t[40];
	int64_t				 ts = 0;
	time_t				 secs;
	struct tm			 tm;

	json = history_get_doc(app->replay, "catalog", app->cursor >= 0 &&
	    (size_t)app->cursor < n ? sm[app->cursor].id : 0, &ts, NULL);
	if (json == NULL) {
		snprintf(why, size, "this capture holds no catalog before the"
		    " cursor (one is kept when the Schema pane reads it live)");
		return -1;
	}
	cat = sch_catalog_from_json(json, strlen(json), &cause);
	free(json);
	if (cat == NULL) {
		snprintf(why, size, "%s: %s", history_path(app->replay), cause);
		free(cause);
		return -1;
	}
	if (pane == NULL) {
		sch_catalog_free(cat);
		snprintf(why, size, "no Schema pane");
		return -1;
	}
	secs = (time_t)(ts / 1000);
	gmtime_r(&secs, &tm);
	strftime(t, sizeof t, "%Y-%m-%d %H:%M:%S", &tm);
	src = xstrfmt("database %s as read at %s UTC", cat->database != NULL ?
	    cat->database : "?", t);
	pane_schema_open(pane, cat, src);
	free(src);
	if (cat->detail_loaded)
		pane_schema_detail(pane);
	return 0;
}

static struct history *
app_history(void *arg)
{
	struct app	*app = arg;

	return app->replay != NULL ? app->replay : app->hist;
}

static void
app_time_action(void *arg, enum action a, const char *text)
{
	struct app	*app = arg;
	struct history	*h[2] = { app->hist, app->rec };
	char		*cause = NULL;
	int		 i, n = 0;

	if (a != ACT_SAVE_LABEL) {
		ui_message(app->ui, 0, "the time cursor is for replay: pgdeck "
		    "replay %s", app->hist != NULL ? history_path(app->hist) :
		    "FILE");
		return;
	}
	if (text == NULL || *text == '\0') {
		ui_message(app->ui, 1, "a label needs a name");
		return;
	}
	for (i = 0; i < 2; i++) {
		if (h[i] == NULL)
			continue;
		if (history_label(h[i], text, &cause) == -1) {
			ui_message(app->ui, 1, "cannot save the label: %s", cause);
			free(cause);
			return;
		}
		n++;
	}
	if (n == 0)
		ui_message(app->ui, 1, "no history file to save the label in");
	else
		ui_message(app->ui, 0, "saved this moment as '%s'", text);
}

static void
app_refresh_now(void *arg)
{
	struct app	*app = arg;

	collector_refresh_now(app->coll);
}

static double
app_scale_refresh(void *arg, double factor)
{
	struct app	*app = arg;
	double		 r = collector_refresh(app->coll) * factor;

	if (r < 0.25)
		r = 0.25;
	if (r > 60)
		r = 60;
	collector_set_refresh(app->coll, r);
	return r;
}

static void
backup_done(struct bk_state *st, void *arg)
{
	struct app	*app = arg;

	collector_set_backups(app->coll, st);
	bk_state_unref(st);
	collector_refresh_now(app->coll);
}

/*
 * Run the backup tools for this server now: what the config names, or
 * what archive_command implies.  With nothing to run, an empty state
 * carries the hint to the pane.
 */
static void
backup_run(struct app *app)
{
	const struct config	*cfg = app->cfgp;
	const struct walinfo	*w = app->last != NULL ? app->last->wal : NULL;
	struct bk_cmd		*cmds;
	struct bk_state		*st;
	struct bk_run		*run;
	PGconn			*conn;
	char			 hp[300], hint[300];
	size_t			 n;

	if (bk_runner_busy(app->bk))
		return;
	app->bk_started = 1;
	/* 'backup @HOST:PORT ...' matches the connection's own. */
	conn = pg_conn_raw(app->pc);
	if (conn != NULL)
		snprintf(hp, sizeof hp, "%s:%s", pg_host_name(conn),
		    PQport(conn));
	else
		hp[0] = '\0';
	n = bk_cmds_for(cfg->backups, cfg->nbackups, hp,
	    collector_caps(app->coll)->system_id,
	    w != NULL ? w->archive_command : NULL, &cmds, hint, sizeof hint);
	if (n == 0) {
		/* A run of nothing, so that replay sees the hint too. */
		run = xcalloc(1, sizeof *run);
		run->tool = -1;
		run->what = xstrdup("none");
		run->command = xstrdup("");
		run->output = xstrdup("");
		run->errline = xstrdup(hint);
		run->status = -2;
		run->fetched = (double)clock_wall_ms() / 1000.0;
		st = bk_state_build(run, 1);
		backup_done(st, app);
	} else
		bk_runner_start(app->bk, cmds, n);
	bk_cmds_free(cmds, n);
}

static void
backup_tick(void *arg)
{
	struct app	*app = arg;

	app->bk_timer = loop_timer_add(app->loop,
	    (int64_t)(app->cfgp->backup_interval * 1000), backup_tick, app);
	backup_run(app);
}

static void
app_backup_run(void *arg)
{
	struct app	*app = arg;

	collector_probe_wal_now(app->coll);
	backup_run(app);
}

static void
app_collector_status(void *arg)
{
	struct app	*app = arg;

	if (app->ui != NULL)
		ui_status_changed(app->ui);
}

/* Redraw once a second so countdowns and data ages stay true. */
static void
app_tick(void *arg)
{
	struct app	*app = arg;

	if (getenv("PGDECK_TEST_SYNC") == NULL ||
	    pg_conn_state(app->pc) != PGC_READY)
		ui_status_changed(app->ui);
	app->ticker = loop_timer_add(app->loop, 1000, app_tick, app);
}

static char *
read_password(const char *user)
{
	struct termios	 old, quiet;
	char		 buf[256];
	FILE		*tty;
	int		 ok;

	if ((tty = fopen("/dev/tty", "r+")) == NULL)
		return NULL;
	fprintf(tty, "Password for user %s: ", user);
	fflush(tty);
	ok = tcgetattr(fileno(tty), &old) == 0;
	if (ok) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
	}
	if (fgets(buf, sizeof buf, tty) == NULL)
		buf[0] = '\0';
	if (ok)
		tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputc('\n', tty);
	fclose(tty);
	buf[strcspn(buf, "\r\n")] = '\0';
	return xstrdup(buf);
}

#define MAX_PARAMS	16

struct params {
	const char	*keys[MAX_PARAMS];
	const char	*vals[MAX_PARAMS];
	int		 n;
};

static void
param(struct params *p, const char *k, const char *v)
{
	if (v == NULL)
		return;
	if (p->n >= MAX_PARAMS - 1)
		BUG("too many connection parameters");
	p->keys[p->n] = k;
	p->vals[p->n] = v;
	p->n++;
	p->keys[p->n] = NULL;
	p->vals[p->n] = NULL;
}

/*
 * Connect once, blocking, before the screen is taken: a refused
 * connection is a clear line on stderr, not a screen of "reconnecting".
 */
static PGconn *
first_connect(struct params *p, const struct options *o, char **password)
{
	PGconn		*conn;
	char		 buf[512];

	*password = NULL;
	for (;;) {
		conn = PQconnectdbParams(p->keys, p->vals, 1);
		if (PQstatus(conn) == CONNECTION_OK)
			return conn;
		if (PQconnectionNeedsPassword(conn) && *password == NULL &&
		    isatty(STDIN_FILENO)) {
			*password = read_password(PQuser(conn) != NULL ?
			    PQuser(conn) : (o->user != NULL ? o->user : "?"));
			PQfinish(conn);
			if (*password == NULL)
				break;
			param(p, "password", *password);
			continue;
		}
		fprintf(stderr, "pgdeck: cannot connect: %s\n",
		    pg_first_line(PQerrorMessage(conn), buf, sizeof buf));
		PQfinish(conn);
		return NULL;
	}
	return NULL;
}

static struct ui *
make_ui(struct app *app, struct theme *theme, struct keymap *km,
    const struct ui_host *host)
{
	app->ui = ui_new(app->loop, theme, km, host);
	ui_add_pane(app->ui, 0, &pane_activity_ops);
	ui_add_pane(app->ui, 1, &pane_statements_ops);
	ui_add_pane(app->ui, 2, &pane_plan_ops);
	ui_add_pane(app->ui, 3, &pane_schema_ops);
	ui_add_pane(app->ui, 4, &pane_migrate_ops);
	ui_add_pane(app->ui, 5, &pane_backups_ops);
	ui_add_pane(app->ui, 6, &pane_history_ops);
	return app->ui;
}

/* Run the loop on a started UI; returns the exit code. */
static int
run_ui(struct app *app)
{
	int	rc = 0;

	if (loop_run(app->loop) == -1)
		rc = 1;
	ui_stop(app->ui);
	return rc;
}

static int
run_file(const struct options *o, struct keymap *km, struct theme *theme)
{
	struct app		  app;
	struct ui_host		  host;
	struct snapshot		**snaps;
	struct snapshot_sink	  sink;
	char			 *cause = NULL;
	int			  n, i, rc;

	if ((n = snapfile_read(o->snapshot_file, &snaps, &cause)) == -1) {
		fprintf(stderr, "pgdeck: %s\n", cause);
		free(cause);
		return 2;
	}
	memset(&app, 0, sizeof app);
	app.file = o->snapshot_file;
	app.nfile = n;
	app.loop = loop_new();
	memset(&host, 0, sizeof host);
	host.arg = &app;
	host.status = file_status;
	host.can_signal = file_can_signal;
	make_ui(&app, theme, km, &host);
	if (ui_start(app.ui, &cause) == -1) {
		fprintf(stderr, "pgdeck: %s\n", cause);
		free(cause);
		rc = 1;
	} else {
		/* The same sink as live: the panes cannot tell. */
		sink = ui_sink(app.ui);
		for (i = 0; i < n; i++)
			sink.put(sink.arg, snaps[i]);
		rc = run_ui(&app);
	}
	ui_free(app.ui);
	loop_free(app.loop);
	snapfile_free(snaps, n);
	return rc;
}

/* Replay: the status line says where the cursor is. */
static void
replay_status(void *arg, struct ui_status *st)
{
	struct app			*app = arg;
	const struct history_sample	*sm;
	size_t				 n = history_samples(app->replay, &sm);
	char				 t[40];
	time_t				 secs;
	struct tm			 tm;

	st->ok = 1;
	st->replay = 1;
	snprintf(st->source, sizeof st->source, "%s",
	    app->last != NULL && app->last->source != NULL ?
	    app->last->source : history_path(app->replay));
	if (app->cursor < 0 || (size_t)app->cursor >= n) {
		snprintf(st->state, sizeof st->state, "replay");
		return;
	}
	secs = (time_t)(sm[app->cursor].ts / 1000);
	gmtime_r(&secs, &tm);
	strftime(t, sizeof t, "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(st->state, sizeof st->state, "replay at %s UTC, sample %ld"
	    " of %zu", t, app->cursor + 1, n);
}

static int
replay_can_signal(void *arg, const struct session *x, char *why,
    size_t size)
{
	(void)arg;
	(void)x;
	snprintf(why, size, "this is a replay");
	return 0;
}

/* Move the cursor to sample index 'i' and feed it to the panes. */
static void
seek(struct app *app, long i)
{
	const struct history_sample	*sm;
	size_t				 n = history_samples(app->replay, &sm);
	struct snapshot			*s;
	struct snapshot_sink		 sink;
	char				*cause = NULL;

	if (n == 0)
		return;
	if (i < 0)
		i = 0;
	if ((size_t)i >= n)
		i = (long)n - 1;
	if ((s = history_load(app->replay, sm[i].id, 0, &cause)) == NULL) {
		ui_message(app->ui, 1, "%s", cause);
		free(cause);
		return;
	}
	app->cursor = i;
	snapshot_unref(app->last);
	app->last = snapshot_ref(s);
	sink = ui_sink(app->ui);
	sink.put(sink.arg, s);
	snapshot_unref(s);
	ui_status_changed(app->ui);
}

/*
 * Where 'text' points in the replayed file: HH:MM[:SS] on the cursor's
 * day, "YYYY-MM-DD HH:MM:SS", +DURATION from the start, -DURATION from
 * the end, or a label.  Returns the index, or -1.
 */
static long
replay_find(struct app *app, const char *text, long from)
{
	const struct history_sample	*sm;
	size_t				 n = history_samples(app->replay, &sm);
	struct history_label		*l;
	size_t				 nl, k;
	struct tm			 tm;
	time_t				 day;
	double				 d;
	int				 hh, mm, ss = 0, y, mo, dd, used = 0;
	long				 i = -1;

	if (n == 0)
		return -1;
	if ((text[0] == '+' || text[0] == '-') &&
	    parse_duration(text + 1, &d) == 0) {
		if (text[0] == '+')
			i = history_index_at(app->replay,
			    sm[0].ts + (int64_t)(d * 1000));
		else
			i = history_index_at(app->replay,
			    sm[n - 1].ts - (int64_t)(d * 1000));
		return i < 0 ? 0 : i;
	}
	if (sscanf(text, "%d-%d-%d %d:%d:%d%n", &y, &mo, &dd, &hh, &mm, &ss,
	    &used) == 6 && text[used] == '\0' && mo >= 1 && mo <= 12 &&
	    dd >= 1 && dd <= 31 && hh >= 0 && hh < 24 && mm >= 0 && mm < 60 &&
	    ss >= 0 && ss < 60) {
		memset(&tm, 0, sizeof tm);
		tm.tm_year = y - 1900;
		tm.tm_mon = mo - 1;
		tm.tm_mday = dd;
		tm.tm_hour = hh;
		tm.tm_min = mm;
		tm.tm_sec = ss;
		i = history_index_at(app->replay, (int64_t)timegm(&tm) * 1000);
		return i < 0 ? 0 : i;
	}
	if ((sscanf(text, "%d:%d:%d%n", &hh, &mm, &ss, &used) == 3 ||
	    (ss = 0, sscanf(text, "%d:%d%n", &hh, &mm, &used) == 2)) &&
	    text[used] == '\0' && hh >= 0 && hh < 24 && mm >= 0 && mm < 60 &&
	    ss >= 0 && ss < 60) {
		day = (time_t)(sm[from >= 0 ? from : 0].ts / 1000);
		day -= day % 86400;
		i = history_index_at(app->replay,
		    ((int64_t)day + hh * 3600 + mm * 60 + ss) * 1000);
		return i < 0 ? 0 : i;
	}
	/* A label: the next one after the cursor, or one by name. */
	nl = history_labels(app->replay, &l);
	for (k = 0; k < nl && i < 0; k++) {
		if (*text == '\0' ? l[k].ts > sm[from].ts :
		    str_icontains(l[k].label, text))
			i = history_index_at(app->replay, l[k].ts);
	}
	if (i < 0 && *text == '\0' && nl > 0)
		i = history_index_at(app->replay, l[0].ts);	/* wrap */
	history_labels_free(l, nl);
	return i;
}

static void
replay_time_action(void *arg, enum action a, const char *text)
{
	struct app			*app = arg;
	const struct history_sample	*sm;
	size_t				 n = history_samples(app->replay, &sm);
	long				 i;

	switch (a) {
	case ACT_STEP_BACK:
		seek(app, app->cursor - 1);
		break;
	case ACT_STEP_FORWARD:
		seek(app, app->cursor + 1);
		break;
	case ACT_MINUTE_BACK:
	case ACT_MINUTE_FORWARD:
		i = history_index_at(app->replay, sm[app->cursor].ts +
		    (a == ACT_MINUTE_BACK ? -60000 : 60000));
		if (a == ACT_MINUTE_FORWARD && i <= app->cursor)
			i = (long)n - 1;
		seek(app, i);
		break;
	case ACT_GOTO_TIME:
	case ACT_GOTO_LABEL:
		if ((i = replay_find(app, text != NULL ? text : "",
		    app->cursor)) < 0)
			ui_message(app->ui, 1, a == ACT_GOTO_LABEL ?
			    "no label '%s'" : "not a time or label: '%s' (try "
			    "03:12:05, +5m, -5m)", text != NULL ? text : "");
		else
			seek(app, i);
		break;
	case ACT_SAVE_LABEL:
		ui_message(app->ui, 1, "a replayed file is never modified");
		break;
	default:
		break;
	}
}

static int
run_replay(const struct options *o, struct keymap *km, struct theme *theme)
{
	struct app	 app;
	struct ui_host	 host;
	char		*cause = NULL;
	int		 rc;
	long		 start;

	memset(&app, 0, sizeof app);
	if ((app.replay = history_open_read(o->replay_file, &cause)) == NULL) {
		fprintf(stderr, "pgdeck: %s\n", cause);
		free(cause);
		return 2;
	}
	if (history_refresh_samples(app.replay) == 0) {
		fprintf(stderr, "pgdeck: %s: no samples in it\n", o->replay_file);
		history_close(app.replay);
		return 2;
	}
	start = (long)history_refresh_samples(app.replay) - 1;
	if (o->at != NULL && (start = replay_find(&app, o->at, 0)) < 0) {
		fprintf(stderr, "pgdeck: --at: not a time or label in %s: '%s'\n",
		    o->replay_file, o->at);
		history_close(app.replay);
		return 2;
	}
	app.loop = loop_new();
	app.read_only = 1;
	memset(&host, 0, sizeof host);
	host.arg = &app;
	host.status = replay_status;
	host.can_signal = replay_can_signal;
	host.time_action = replay_time_action;
	host.history = app_history;
	host.schema_load = replay_schema_load;
	make_ui(&app, theme, km, &host);
	if (ui_start(app.ui, &cause) == -1) {
		fprintf(stderr, "pgdeck: %s\n", cause);
		free(cause);
		rc = 1;
	} else {
		seek(&app, start);
		rc = run_ui(&app);
	}
	ui_free(app.ui);
	loop_free(app.loop);
	snapshot_unref(app.last);
	history_close(app.replay);
	return rc;
}

/*
 * `pgdeck explain --print FILE [NEW]`: the analysed tree, or the diff,
 * on stdout.  Exit 0, or 2 with one line naming the place when an input
 * is not a plan.
 */
static int
explain_print(const struct options *o)
{
	struct plan	*p[2] = { NULL, NULL };
	struct strbuf	 out = STRBUF_INIT;
	char		*cause = NULL;
	int		 i;

	for (i = 0; i < o->nplan_files; i++) {
		if ((p[i] = plan_load(o->plan_files[i], &cause)) == NULL) {
			fprintf(stderr, "pgdeck: %s\n", cause);
			free(cause);
			plan_free(p[0]);
			return 2;
		}
	}
	if (o->nplan_files == 2) {
		struct plan_diff *d = plan_diff_new(p[0], p[1]);

		plan_diff_print(d, o->plan_files[0], o->plan_files[1], &out);
		plan_diff_free(d);
	} else
		plan_print(p[0], strcmp(o->plan_files[0], "-") == 0 ? "stdin" :
		    o->plan_files[0], &out);
	fwrite(out.buf, 1, out.len, stdout);
	strbuf_release(&out);
	plan_free(p[0]);
	plan_free(p[1]);
	return fflush(stdout) == 0 ? 0 : 1;
}

static void
explain_status(void *arg, struct ui_status *st)
{
	struct app	*app = arg;

	st->ok = 1;
	st->replay = 1;
	snprintf(st->source, sizeof st->source, "%s", base_name(app->file));
	snprintf(st->state, sizeof st->state, "plan file, no server");
}

/* `pgdeck explain FILE [NEW]`: the Plan pane alone, no server. */
static int
run_explain(const struct options *o, struct keymap *km, struct theme *theme)
{
	struct app	 app;
	struct ui_host	 host;
	struct plan	*p[2] = { NULL, NULL };
	char		*cause = NULL;
	int		 i, rc, fd;

	for (i = 0; i < o->nplan_files; i++) {
		if ((p[i] = plan_load(o->plan_files[i], &cause)) == NULL) {
			fprintf(stderr, "pgdeck: %s\n", cause);
			free(cause);
			plan_free(p[0]);
			return 2;
		}
	}
	if (!isatty(STDOUT_FILENO)) {
		fprintf(stderr, "pgdeck: standard output must be a terminal "
		    "(explain --print writes text)\n");
		plan_free(p[0]);
		plan_free(p[1]);
		return 2;
	}
	/* The plan came on standard input: the keys come from the tty. */
	if (!isatty(STDIN_FILENO)) {
		if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC)) == -1 ||
		    dup2(fd, STDIN_FILENO) == -1) {
			fprintf(stderr, "pgdeck: cannot open the terminal: %s\n",
			    strerror(errno));
			plan_free(p[0]);
			plan_free(p[1]);
			return 1;
		}
		close(fd);
	}
	memset(&app, 0, sizeof app);
	app.file = o->plan_files[o->nplan_files - 1];
	if (strcmp(app.file, "-") == 0)
		app.file = "stdin";
	app.loop = loop_new();
	memset(&host, 0, sizeof host);
	host.arg = &app;
	host.status = explain_status;
	host.can_signal = file_can_signal;
	make_ui(&app, theme, km, &host);
	/* Names without their folders: the screen is for the plans. */
	if (o->nplan_files == 2)
		pane_plan_open_diff(ui_pane(app.ui, 2), p[0],
		    base_name(o->plan_files[0]), p[1],
		    base_name(o->plan_files[1]));
	else
		pane_plan_open(ui_pane(app.ui, 2), p[0], base_name(app.file));
	ui_focus(app.ui, 2);
	if (ui_start(app.ui, &cause) == -1) {
		fprintf(stderr, "pgdeck: %s\n", cause);
		free(cause);
		rc = 1;
	} else
		rc = run_ui(&app);
	ui_free(app.ui);
	loop_free(app.loop);
	return rc;
}


/* Connect for `migrate` when the user named a server (options or PG*). */
static PGconn *
migrate_connect(const struct options *o, const char *dbname)
{
	struct params	 p;
	PGconn		*conn;
	char		*password = NULL;

	if (o->offline)
		return NULL;
	if (dbname == NULL && o->host == NULL && o->port == NULL &&
	    o->user == NULL && o->dbname == NULL && o->service == NULL &&
	    getenv("PGHOST") == NULL && getenv("PGDATABASE") == NULL &&
	    getenv("PGSERVICE") == NULL && getenv("PGPORT") == NULL)
		return NULL;
	memset(&p, 0, sizeof p);
	param(&p, "dbname", dbname != NULL ? dbname : o->dbname);
	param(&p, "host", o->host);
	param(&p, "port", o->port);
	param(&p, "user", o->user);
	param(&p, "service", dbname != NULL ? NULL : o->service);
	param(&p, "connect_timeout", "10");
	param(&p, "application_name", "pgdeck");
	conn = first_connect(&p, o, &password);
	free(password);
	return conn;
}

/* Rates kept in the history file are measured again after a week. */
#define RATES_KEEP_S	(7 * 24 * 3600)

/*
 * Calibrate on this server, or take the rates the history cache kept for
 * it (the same file the live panes write, unless --no-history).  Returns
 * 0, or -1 with *cause; a cache that cannot be used is only noted.
 */
static int
migrate_calibrate(const struct options *o, PGconn *conn, struct mig_set *set,
    struct mig_catalog *cat, char **cause)
{
	struct mig_calib	 cal = { 0 };
	struct history_rates	 kept;
	struct history		*h = NULL;
	char			*id = mig_server_id(conn), *server, *source, *path;
	char			*why = NULL;
	int			 rc;

	source = pg_source(conn);
	/* Rates are the cluster's: one entry per server, whatever the db. */
	server = id != NULL ? xstrdup(id) : xstrfmt("%s:%s",
	    pg_host_name(conn), PQport(conn));
	if (!o->no_history &&
	    (path = history_file_named(id, source)) != NULL) {
		if ((h = history_open_write(path, &why)) == NULL) {
			log_debug("migrate: rates not kept: %s", why);
			free(why);
			why = NULL;
		}
		free(path);
	}
	if (h != NULL && !o->recalibrate &&
	    history_get_rates(h, server, &kept) == 0 &&
	    kept.ts > (int64_t)time(NULL) - RATES_KEEP_S) {
		cal.sort_ms = kept.sort_ms;
		cal.read_bytes_s = kept.read_bytes_s;
		cal.ts = kept.ts;
		cal.cached = 1;
	}
	rc = mig_server_calibrate(conn, set, cat, &cal, cause);
	if (rc == 1 && h != NULL) {
		kept.ts = cal.ts;
		kept.sort_ms = cal.sort_ms;
		kept.read_bytes_s = cal.read_bytes_s;
		if (history_put_rates(h, server, &kept, &why) != 0) {
			log_debug("migrate: rates not kept: %s", why);
			free(why);
		}
	}
	if (h != NULL)
		history_close(h);
	free(server);
	free(source);
	free(id);
	return rc < 0 ? -1 : 0;
}

/*
 * `pgdeck migrate`: load the files, then with a server its catalog,
 * calibrated rates and live locks, and analyse.  Problems with the server
 * are one line on stderr; the files are still analysed.
 */
static struct mig_set *
migrate_load(const struct options *o, PGconn **connp)
{
	struct mig_catalog *cat = mig_catalog_new();
	struct mig_set	*set;
	PGconn		*conn;
	char		*cause = NULL;

	*connp = NULL;
	if ((set = mig_load(o->migrate_paths, o->nmigrate_paths, &cause)) == NULL)
		die(2, "%s", cause);
	if (o->schema != NULL) {
		char	*text;
		size_t	 len;

		if (read_file(o->schema, &text, &len, MIG_MAX_FILE) != 0)
			die(2, "%s: %s", o->schema, strerror(errno));
		if (mig_catalog_add_sql(cat, base_name(o->schema), text,
		    &cause) != 0) {
			fprintf(stderr, "pgdeck: --schema: %s\n", cause);
			free(cause);
			cause = NULL;
		}
		free(text);
	}
	if ((conn = migrate_connect(o, NULL)) != NULL) {
		if (mig_server_catalog(conn, set, cat, &cause) != 0 ||
		    migrate_calibrate(o, conn, set, cat, &cause) != 0) {
			fprintf(stderr, "pgdeck: migrate: %s\n", cause);
			free(cause);
			cause = NULL;
		}
		set->origin = xstrfmt("%s on %s", PQdb(conn),
		    pg_host_name(conn));
	}
	mig_analyze(set, cat);
	if (conn != NULL && mig_server_dml_rows(conn, set, &cause) != 0) {
		fprintf(stderr, "pgdeck: migrate: %s\n", cause);
		free(cause);
		cause = NULL;
	}
	mig_estimate(set, cat);
	if (conn != NULL && mig_server_risk(conn, set, &cause) != 0) {
		fprintf(stderr, "pgdeck: migrate: %s\n", cause);
		free(cause);
		cause = NULL;
	}
	if (o->dry_run != NULL) {
		PGconn	*scratch = migrate_connect(o, o->dry_run);

		if (scratch == NULL)
			die(1, "--dry-run: cannot connect to %s", o->dry_run);
		if (mig_dry_run(scratch, set, &cause) != 0) {
			fprintf(stderr, "pgdeck: --dry-run: %s\n", cause);
			free(cause);
		}
		PQfinish(scratch);
	}
	mig_catalog_free(cat);
	*connp = conn;
	return set;
}

/*
 * `pgdeck erd`: the catalog (both phases, for sizes and lints), the graph
 * of one schema or all, a focus and its neighbours, written as text, DOT,
 * Mermaid or SVG.  Exit 0, 1 for a server problem, 2 for bad usage.
 */
static int
run_erd(const struct options *o)
{
	struct sch_catalog	*cat = sch_catalog_new();
	struct sch_finding	*f = NULL;
	struct erd_graph	*g, *sub;
	struct erd_opts		 eo = { o->all_columns, 0 };
	const char		*fmt = o->format != NULL ? o->format : "text";
	PGconn			*conn;
	PGresult		*res;
	FILE			*fp = stdout;
	char			*cause = NULL;
	int			 nf, only = -1, rc = 0;

	if ((conn = migrate_connect(o, o->conninfo)) == NULL)
		die(2, "erd needs a database: DBNAME, CONNINFO, -d or PG* "
		    "variables");
	res = PQexec(conn, "SET statement_timeout = '60s'");
	PQclear(res);
	if (sch_load(conn, cat, SCH_PHASE_CATALOG, &cause) != 0 ||
	    sch_load(conn, cat, SCH_PHASE_DETAIL, &cause) != 0) {
		fprintf(stderr, "pgdeck: erd: %s\n", cause);
		free(cause);
		PQfinish(conn);
		sch_catalog_free(cat);
		return 1;
	}
	PQfinish(conn);
	if (o->only != NULL) {
		for (int i = 0; i < cat->nschemas; i++)
			if (strcmp(cat->schemas[i].name, o->only) == 0)
				only = i;
		if (only < 0)
			die(2, "erd: --only: no schema '%s' in database %s",
			    o->only, cat->database);
	}
	nf = sch_lint(cat, &f);
	g = sch_erd_graph(cat, only, f, nf, NULL);
	if (o->focus != NULL) {
		const char	*dot = strchr(o->focus, '.');
		char		*schema = dot != NULL ? xstrndup(o->focus,
				    (size_t)(dot - o->focus)) : NULL;
		int		 n = erd_find(g, schema, dot != NULL ? dot + 1 :
				    o->focus);

		free(schema);
		if (n < 0)
			die(2, "erd: --focus: no table '%s' (tables, partitioned"
			    " and foreign tables only)", o->focus);
		sub = erd_neighbourhood(g, n, o->hops, NULL);
		erd_graph_free(g);
		g = sub;
	}
	if (o->output != NULL && (fp = fopen(o->output, "w")) == NULL)
		die(2, "cannot write '%s': %s", o->output, strerror(errno));
	if (strcmp(fmt, "dot") == 0) {
		rc = erd_export_dot(g, &eo, fp);
	} else if (strcmp(fmt, "mermaid") == 0) {
		rc = erd_export_mermaid(g, &eo, fp);
	} else {
		struct erd_layout	*l = erd_layout(g, &eo);
		struct erd_canvas	 c = { 0, 0, NULL };
		const char		*cs = nl_langinfo(CODESET);

		if (strcmp(fmt, "svg") == 0) {
			rc = erd_export_svg(g, l, &eo, fp);
		} else {
			erd_render(g, l, &eo, strcmp(cs, "UTF-8") != 0, &c);
			rc = erd_export_text(&c, fp);
			erd_canvas_free(&c);
		}
		erd_layout_free(l);
	}
	if (fp != stdout ? fclose(fp) != 0 : fflush(fp) != 0)
		rc = -1;
	if (rc != 0)
		fprintf(stderr, "pgdeck: erd: cannot write '%s'\n",
		    o->output != NULL ? o->output : "standard output");
	erd_graph_free(g);
	sch_findings_free(f, nf);
	sch_catalog_free(cat);
	return rc != 0 ? 1 : 0;
}

/* `migrate --check` and `--runbook`: text for scripts and CI. */
static int
migrate_print(const struct options *o)
{
	PGconn		*conn;
	struct mig_set	*set = migrate_load(o, &conn);
	int		 rc = 0, worst;
	FILE		*fp = stdout;

	if (o->check) {
		worst = mig_print_check(set, stdout);
		rc = set->nerrors > 0 ? 2 : worst == MIG_DANGER ? 1 : 0;
	} else {
		if (strcmp(o->runbook, "-") != 0 &&
		    (fp = fopen(o->runbook, "w")) == NULL)
			die(2, "cannot write '%s': %s", o->runbook,
			    strerror(errno));
		mig_print_runbook(set, fp);
		if (fp != stdout && fclose(fp) != 0)
			die(1, "cannot write '%s': %s", o->runbook,
			    strerror(errno));
		for (int i = 0; i < set->nerrors; i++)
			fprintf(stderr, "pgdeck: %s\n", set->errors[i]);
		rc = set->nerrors > 0 ? 2 : 0;
	}
	if (conn != NULL) {
		free((char *)set->origin);
		PQfinish(conn);
	}
	mig_set_free(set);
	return rc;
}

static void
migrate_status(void *arg, struct ui_status *st)
{
	struct app	*app = arg;

	memset(st, 0, sizeof *st);
	st->ok = 1;
	st->replay = 1;
	st->read_only = app->read_only;
	snprintf(st->source, sizeof st->source, "%s", app->file);
	snprintf(st->state, sizeof st->state, "%s", app->mig_server ?
	    "migration files, sizes from the server" :
	    "migration files, no server");
}

static int
migrate_dry_run(void *arg, struct mig_set *set, const char *dbname, char *why,
    size_t size)
{
	struct app	*app = arg;
	PGconn		*conn;
	char		*cause = NULL;
	int		 rc;

	if ((conn = migrate_connect(app->mopts, dbname)) == NULL) {
		snprintf(why, size, "cannot connect to %s", dbname);
		return -1;
	}
	rc = mig_dry_run(conn, set, &cause);
	if (rc != 0)
		snprintf(why, size, "%s", cause);
	free(cause);
	PQfinish(conn);
	return rc;
}

/* `pgdeck migrate PATH...`: the Migrations pane. */
static int
run_migrate(const struct options *o, struct keymap *km, struct theme *theme)
{
	struct app	 app;
	struct ui_host	 host;
	struct mig_set	*set;
	PGconn		*conn;
	char		*cause = NULL;
	int		 rc;

	set = migrate_load(o, &conn);
	memset(&app, 0, sizeof app);
	app.read_only = o->read_only;
	app.mopts = o;
	app.mig_server = conn != NULL;
	app.file = o->nmigrate_paths == 1 ? base_name(o->migrate_paths[0]) :
	    "migrations";
	app.loop = loop_new();
	memset(&host, 0, sizeof host);
	host.arg = &app;
	host.status = migrate_status;
	host.can_signal = file_can_signal;
	if (!o->offline)
		host.dry_run = migrate_dry_run;
	make_ui(&app, theme, km, &host);
	pane_migrate_open(ui_pane(app.ui, 4), set, app.file);
	ui_focus(app.ui, 4);
	if (ui_start(app.ui, &cause) == -1) {
		fprintf(stderr, "pgdeck: %s\n", cause);
		free(cause);
		rc = 1;
	} else
		rc = run_ui(&app);
	ui_free(app.ui);
	loop_free(app.loop);
	if (conn != NULL) {
		free((char *)set->origin);
		PQfinish(conn);
	}
	return rc;
}

static int
replay_summary(const struct options *o)
{
	struct history	*h;
	char		*cause = NULL;
	int		 rc = 0;

	if ((h = history_open_read(o->replay_file, &cause)) == NULL) {
		fprintf(stderr, "pgdeck: %s\n", cause);
		free(cause);
		return 2;
	}
	if (history_summary(h, stdout, &cause) == -1) {
		fprintf(stderr, "pgdeck: %s\n", cause != NULL ? cause :
		    "cannot write the summary");
		free(cause);
		rc = 2;
	}
	history_close(h);
	return rc;
}

static int
run_live(const struct options *o, struct config *cfg, struct keymap *km,
    struct theme *theme, const char *conninfo, const char *hist_path)
{
	struct app	 app;
	struct params	 p;
	struct ui_host	 host;
	PGconn		*conn;
	char		*password = NULL, *cause = NULL;
	int		 rc = 0;
	struct snapshot_sink hsink;

	memset(&app, 0, sizeof app);
	memset(&p, 0, sizeof p);
	app.read_only = o->read_only || cfg->read_only;
	app.no_history = o->no_history;
	app.redact = o->redact;
	app.retention = o->retention;
	app.hist_path = hist_path != NULL ? xstrdup(hist_path) : NULL;
	if (o->record != NULL) {
		/* A capture that cannot be written stops us before the screen. */
		if ((app.rec = history_open_write(o->record, &cause)) == NULL) {
			fprintf(stderr, "pgdeck: --record: %s\n", cause);
			free(cause);
			free(app.hist_path);
			return 2;
		}
		history_set_redact(app.rec, o->redact);
		history_set_retention(app.rec, 0);
	}
	if (o->save_snapshots != NULL) {
		int	fd = open(o->save_snapshots,
		    O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);

		if (fd == -1 || (app.save = fdopen(fd, "a")) == NULL) {
			fprintf(stderr, "pgdeck: cannot write '%s': %s\n",
			    o->save_snapshots, strerror(errno));
			return 1;
		}
	}
	/* The first dbname may be a conninfo or URI (expand_dbname). */
	param(&p, "dbname", conninfo != NULL ? conninfo : o->dbname);
	if (conninfo != NULL && o->dbname != NULL)
		param(&p, "dbname", o->dbname);
	param(&p, "host", o->host);
	param(&p, "port", o->port);
	param(&p, "user", o->user);
	param(&p, "service", o->service);
	param(&p, "connect_timeout", "10");
	param(&p, "keepalives", "1");
	param(&p, "keepalives_idle", "10");
	param(&p, "keepalives_interval", "5");
	param(&p, "keepalives_count", "3");
	param(&p, "application_name", "pgdeck");
	if ((conn = first_connect(&p, o, &password)) == NULL) {
		free(password);
		if (app.save != NULL)
			fclose(app.save);
		history_close(app.rec);
		free(app.hist_path);
		return 1;
	}

	app.loop = loop_new();
	app.pc = pg_conn_new(app.loop, p.keys, p.vals);
	app.coll = collector_new(app.loop, app.pc,
	    o->refresh > 0 ? o->refresh : cfg->refresh);
	memset(&host, 0, sizeof host);
	host.arg = &app;
	host.status = app_status;
	host.can_signal = app_can_signal;
	host.signal_backend = app_signal;
	host.refresh_now = app_refresh_now;
	host.scale_refresh = app_scale_refresh;
	host.time_action = app_time_action;
	host.history = app_history;
	host.explain = app_explain;
	host.schema_load = app_schema_load;
	host.backup_run = app_backup_run;
	app.cfgp = cfg;
	app.bk = bk_runner_new(app.loop, cfg->backup_timeout, backup_done,
	    &app);
	app.conn_keys = p.keys;
	app.conn_vals = p.vals;
	make_ui(&app, theme, km, &host);
	/* History first: the panes may read the sample just stored. */
	hsink.put = history_put_sink;
	hsink.arg = &app;
	collector_add_sink(app.coll, hsink);
	collector_add_sink(app.coll, ui_sink(app.ui));
	if (app.save != NULL)
		collector_add_sink(app.coll, snapfile_sink(app.save));
	collector_on_status(app.coll, app_collector_status, &app);

	if (ui_start(app.ui, &cause) == -1) {
		fprintf(stderr, "pgdeck: %s\n", cause);
		free(cause);
		PQfinish(conn);
		rc = 1;
	} else {
		pg_conn_adopt(app.pc, conn);
		collector_start(app.coll);
		/* Live ages and countdowns change by the second. */
		app.ticker = loop_timer_add(app.loop, 1000, app_tick, &app);
		rc = run_ui(&app);
	}
	if (app.explain != NULL)
		explain_job_free(app.explain);
	if (app.schema != NULL)
		schema_job_free(app.schema);
	bk_runner_free(app.bk);
	if (app.bk_timer != 0)
		loop_timer_cancel(app.loop, app.bk_timer);
	ui_free(app.ui);
	collector_free(app.coll);
	pg_conn_free(app.pc);
	loop_free(app.loop);
	if (app.save != NULL)
		fclose(app.save);
	snapshot_unref(app.last);
	history_close(app.hist);
	history_close(app.rec);
	free(app.hist_off);
	free(app.rec_off);
	free(app.hist_path);
	if (password != NULL) {
		memset(password, 0, strlen(password));
		free(password);
	}
	return rc;
}

int
main(int argc, char **argv)
{
	struct options	 o;
	struct config	 cfg;
	struct keymap	*km;
	struct theme	 theme;
	struct demo	*demo = NULL;
	const char	*conninfo;
	char		*cause = NULL, *text, *demo_hist = NULL;
	int		 rc;

	setlocale(LC_ALL, "");
	signal(SIGPIPE, SIG_IGN);
	if (options_parse(&o, argc, argv, &cause) == -1) {
		fprintf(stderr, "pgdeck: %s\nTry 'pgdeck --help' for more "
		    "information.\n", cause);
		free(cause);
		return 2;
	}
	if (o.command == CMD_HELP) {
		fputs(options_usage, stdout);
		return 0;
	}
	if (o.command == CMD_VERSION) {
		printf("pgdeck %s (libpq %d)\n", PGDECK_VERSION,
		    PQlibVersion());
		return 0;
	}

	config_init(&cfg);
	km = keymap_new();
	if (config_parse(&cfg, km, keymap_defaults, "defaults", &cause) == -1)
		BUG(cause);
	if (o.config != NULL) {
		if ((text = config_read_file(o.config, &cause)) == NULL ||
		    config_parse(&cfg, km, text, o.config, &cause) == -1) {
			free(text);
			die(2, "%s", cause);
		}
		free(text);
	} else if (!o.no_config && config_load_user(&cfg, km, &cause) == -1)
		die(2, "%s", cause);
	pane_backups_set_targets(&cfg.targets);
	if (theme_load(&theme, o.theme != NULL ? o.theme : cfg.theme,
	    &cause) == -1 ||
	    theme_parse(&theme, cfg.colors.buf, "config colors", &cause) == -1)
		die(2, "%s", cause);
	if (o.command == CMD_EXPLAIN && o.print) {
		rc = explain_print(&o);
		keymap_free(km);
		config_release(&cfg);
		return rc;
	}
	if (o.command == CMD_EXPLAIN) {
		rc = run_explain(&o, km, &theme);
		keymap_free(km);
		config_release(&cfg);
		return rc;
	}
	if (o.command == CMD_ERD) {
		rc = run_erd(&o);
		keymap_free(km);
		config_release(&cfg);
		return rc;
	}
	if (o.command == CMD_MIGRATE && (o.check || o.runbook != NULL)) {
		rc = migrate_print(&o);
		keymap_free(km);
		config_release(&cfg);
		return rc;
	}
	if (o.command == CMD_MIGRATE) {
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
			die(2, "standard input and output must be a terminal "
			    "(migrate --check or --runbook write text)");
		rc = run_migrate(&o, km, &theme);
		keymap_free(km);
		config_release(&cfg);
		return rc;
	}
	if (o.command == CMD_REPLAY && o.summary) {
		rc = replay_summary(&o);
		keymap_free(km);
		config_release(&cfg);
		return rc;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		die(2, "standard input and output must be a terminal");
	if (o.command == CMD_REPLAY) {
		rc = run_replay(&o, km, &theme);
		keymap_free(km);
		config_release(&cfg);
		return rc;
	}

	if (o.snapshot_file != NULL) {
		rc = run_file(&o, km, &theme);
		keymap_free(km);
		config_release(&cfg);
		return rc;
	}
	conninfo = o.conninfo;
	if (o.command == CMD_DEMO) {
		if (demo_start(&demo, &conninfo, &cause) == -1) {
			fprintf(stderr, "pgdeck: demo: %s\n", cause);
			free(cause);
			return 1;
		}
	}
	if (demo != NULL && !o.no_history) {
		/* The demo's history lives and dies with it. */
		char	tmpl[] = "/tmp/pgdeck-demo-history-XXXXXX";
		int	fd = mkstemp(tmpl);

		if (fd >= 0) {
			close(fd);
			unlink(tmpl);
			demo_hist = xstrfmt("%s.db", tmpl);
		}
	}
	rc = run_live(&o, &cfg, km, &theme, conninfo, demo_hist);
	if (demo_hist != NULL) {
		char	*side;

		unlink(demo_hist);
		side = xstrfmt("%s-wal", demo_hist);
		unlink(side);
		free(side);
		side = xstrfmt("%s-shm", demo_hist);
		unlink(side);
		free(side);
		free(demo_hist);
	}
	if (demo != NULL) {
		fprintf(stderr, "pgdeck demo: stopping the server and removing "
		    "its files\n");
		demo_stop(demo);
	}
	keymap_free(km);
	config_release(&cfg);
	return rc;
}
