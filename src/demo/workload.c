/*
 * workload.c - scripted sessions with real locks.
 */
#include "workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../core/strbuf.h"
#include "../core/util.h"
#include "../core/banned.h"

static PGconn *
connect_app(const char *conninfo, const char *app, char **cause)
{
	const char	*keys[] = { "dbname", "application_name", NULL };
	const char	*vals[] = { conninfo, app, NULL };
	PGconn		*c = PQconnectdbParams(keys, vals, 1);

	if (PQstatus(c) != CONNECTION_OK) {
		*cause = xstrfmt("cannot connect: %s", PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	return c;
}

static int
exec_ok(PGconn *c, const char *sql, char **cause)
{
	PGresult	*r = PQexec(c, sql);
	int		 ok = PQresultStatus(r) == PGRES_COMMAND_OK ||
	    PQresultStatus(r) == PGRES_TUPLES_OK;

	if (!ok && cause != NULL)
		*cause = xstrfmt("%s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
	return ok ? 0 : -1;
}

int
workload_prepare(const char *conninfo, char **cause)
{
	PGconn	*c;
	int	 rc;

	*cause = NULL;
	if ((c = connect_app(conninfo, "pgdeck-workload", cause)) == NULL)
		return -1;
	rc = exec_ok(c,
	    "SET client_min_messages = warning;"
	    " CREATE TABLE IF NOT EXISTS demo_accounts (id int PRIMARY KEY,"
	    " owner text NOT NULL, balance numeric NOT NULL DEFAULT 0);"
	    " INSERT INTO demo_accounts"
	    " SELECT g, 'customer ' || g, 100 FROM generate_series(1, 100) g"
	    " ON CONFLICT DO NOTHING", cause);
	PQfinish(c);
	return rc;
}

/* Is backend 'pid' waiting on a heavyweight lock? (via 'mon') */
static int
is_waiting(PGconn *mon, int pid)
{
	char		 sql[160];
	PGresult	*r;
	int		 yes;

	snprintf(sql, sizeof sql, "SELECT 1 FROM pg_stat_activity WHERE pid = %d"
	    " AND wait_event_type = 'Lock'", pid);
	r = PQexec(mon, sql);
	yes = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
	PQclear(r);
	return yes;
}

int
chain_start(struct chain *c, const char *conninfo, int depth, const char *app,
    char **cause)
{
	char		 name[64], sql[512];
	int		 k, tries, rc = -1;
	PGconn		*mon;

	*cause = NULL;
	memset(c, 0, sizeof *c);
	if (depth < 1 || depth > CHAIN_MAX) {
		*cause = xstrfmt("chain depth must be 1..%d", CHAIN_MAX);
		return -1;
	}
	/*
	 * Waits are watched from a connection of their own: inside the
	 * root's transaction pg_stat_activity would not change.
	 */
	if ((mon = connect_app(conninfo, "pgdeck-workload", cause)) == NULL)
		return -1;
	snprintf(name, sizeof name, "%s-root", app);
	if ((c->root = connect_app(conninfo, name, cause)) == NULL)
		goto fail;
	c->root_pid = PQbackendPID(c->root);
	if (exec_ok(c->root, "BEGIN", cause) == -1 ||
	    exec_ok(c->root, "UPDATE demo_accounts SET balance = balance + 1"
	    " WHERE id = 1", cause) == -1)
		goto fail;
	snprintf(name, sizeof name, "%s-waiter", app);
	for (k = 0; k < depth; k++) {
		PGconn	*w = connect_app(conninfo, name, cause);

		if (w == NULL)
			goto fail;
		c->waiters[c->nwaiters++] = w;
		c->pids[k] = PQbackendPID(w);
		/* Hold row k+2, then want row k+1 held by the one before. */
		snprintf(sql, sizeof sql,
		    "BEGIN; UPDATE demo_accounts SET balance = balance - 1"
		    " WHERE id = %d; UPDATE demo_accounts SET balance ="
		    " balance + 1 WHERE id = %d; COMMIT", k + 2, k + 1);
		if (!PQsendQuery(w, sql)) {
			*cause = xstrfmt("cannot send: %s", PQerrorMessage(w));
			goto fail;
		}
		for (tries = 0; tries < 200 && !is_waiting(mon, c->pids[k]);
		    tries++)
			usleep(25000);
		if (tries == 200) {
			*cause = xstrfmt("waiter %d (pid %d) never started waiting",
			    k + 1, c->pids[k]);
			goto fail;
		}
	}
	rc = 0;
fail:
	PQfinish(mon);
	if (rc == -1)
		chain_close(c);
	return rc;
}

/* Drain every result of an async query; 1 if all succeeded. */
static int
drain(PGconn *w, int timeout_s)
{
	PGresult	*r;
	int		 ok = 1;
	time_t		 end = time(NULL) + timeout_s;

	PQsetnonblocking(w, 1);
	while (time(NULL) <= end) {
		if (!PQconsumeInput(w))
			return 0;
		if (PQisBusy(w)) {
			usleep(20000);
			continue;
		}
		if ((r = PQgetResult(w)) == NULL)
			return ok;
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			ok = 0;
		PQclear(r);
	}
	return 0;
}

int
chain_release(struct chain *c, int timeout_s)
{
	int	k, done = 0;

	if (c->root != NULL && PQstatus(c->root) == CONNECTION_OK)
		exec_ok(c->root, "ROLLBACK", NULL);
	for (k = 0; k < c->nwaiters; k++) {
		if (c->waiters[k] != NULL && drain(c->waiters[k], timeout_s))
			done++;
	}
	chain_close(c);
	return done;
}

void
chain_close(struct chain *c)
{
	int	k;

	if (c->root != NULL)
		PQfinish(c->root);
	for (k = 0; k < c->nwaiters; k++) {
		if (c->waiters[k] != NULL)
			PQfinish(c->waiters[k]);
	}
	memset(c, 0, sizeof *c);
}

static PGconn *
open_or_reopen(PGconn *c, const char *conninfo, const char *app)
{
	char	*cause = NULL;

	if (c != NULL && PQstatus(c) == CONNECTION_OK)
		return c;
	if (c != NULL)
		PQfinish(c);
	c = connect_app(conninfo, app, &cause);
	free(cause);
	return c;
}

void
workload_run_forever(const char *conninfo)
{
	PGconn		*idle_tx[2] = { NULL, NULL }, *report = NULL;
	struct chain	 chain;
	char		*cause = NULL;
	time_t		 idle_since[2] = { 0, 0 }, now, chain_since = 0;
	int		 k, have_chain = 0, report_busy = 0;

	memset(&chain, 0, sizeof chain);
	if (workload_prepare(conninfo, &cause) == -1) {
		fprintf(stderr, "pgdeck demo workload: %s\n", cause);
		free(cause);
	}
	for (;;) {
		now = time(NULL);
		/* Two forgotten transactions, renewed every five minutes. */
		for (k = 0; k < 2; k++) {
			/*
			 * By age, not by hitting an exact second: each pass
			 * of this loop takes a second or more.
			 */
			if (idle_tx[k] != NULL && now - idle_since[k] >= 300) {
				PQfinish(idle_tx[k]);
				idle_tx[k] = NULL;
			}
			if (idle_tx[k] == NULL) {
				idle_tx[k] = open_or_reopen(NULL, conninfo,
				    k == 0 ? "admin-console" : "batch-loader");
				idle_since[k] = now;
				if (idle_tx[k] != NULL) {
					exec_ok(idle_tx[k], "BEGIN", NULL);
					exec_ok(idle_tx[k], k == 0 ?
					    "SELECT count(*) FROM demo_accounts" :
					    "SELECT owner FROM demo_accounts"
					    " WHERE id = 42 FOR SHARE", NULL);
				}
			}
		}
		/* A slow report that runs for 7 s out of every 10. */
		report = open_or_reopen(report, conninfo, "reporting");
		if (report != NULL) {
			if (report_busy) {
				PQconsumeInput(report);
				while (!PQisBusy(report)) {
					PGresult *r = PQgetResult(report);

					if (r == NULL) {
						report_busy = 0;
						break;
					}
					PQclear(r);
				}
			}
			if (!report_busy && now % 10 < 3 &&
			    PQsendQuery(report, "SELECT pg_sleep(7), count(*)"
			    " FROM pg_class a, pg_class b"))
				report_busy = 1;
		}
		/* The blocking chain: forms each minute, held for 40 s. */
		if (!have_chain && now - chain_since >= 60) {
			if (chain_start(&chain, conninfo, 3, "billing-api",
			    &cause) == 0) {
				have_chain = 1;
				chain_since = now;
			} else {
				fprintf(stderr, "pgdeck demo workload: %s\n",
				    cause);
				free(cause);
				cause = NULL;
				chain_since = now - 50;
			}
		} else if (have_chain && now - chain_since >= 40) {
			chain_release(&chain, 10);
			have_chain = 0;
		}
		sleep(1);
	}
}
