/*
 * sessions.c - hold a fixed mix of PostgreSQL sessions for bench/activity.sh.
 *
 *   sessions CONNINFO IDLE IDLE_TX CHAIN SECONDS READY_FILE
 *
 * Opens IDLE idle sessions, IDLE_TX sessions left idle in transaction and a
 * blocking chain of CHAIN sessions on table bench_lock (rows id = 1 and 2):
 *
 *   root    BEGIN; UPDATE id 1                       idle in transaction
 *   middle  BEGIN; UPDATE id 2; UPDATE id 1          waits for root
 *   others  UPDATE id 1 or id 2, alternately         wait for root / middle
 *
 * so the chain is two levels deep.  When every session is in place it
 * creates READY_FILE, then holds them until SECONDS have passed or it gets
 * SIGTERM, SIGINT or SIGHUP, and exits (the server then ends the sessions).
 * It is bounded: it never runs longer than SECONDS.
 */
#include <libpq-fe.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static PGconn *
open_session(const char *conninfo, const char *appname)
{
	char	 buf[4096];
	PGconn	*c;

	if (snprintf(buf, sizeof(buf), "%s application_name=%s", conninfo,
	    appname) >= (int)sizeof(buf)) {
		fprintf(stderr, "sessions: conninfo too long\n");
		exit(1);
	}
	c = PQconnectdb(buf);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "sessions: connect failed: %s", PQerrorMessage(c));
		exit(1);
	}
	return c;
}

static void
run(PGconn *c, const char *sql)
{
	PGresult	*r = PQexec(c, sql);
	ExecStatusType	 st = PQresultStatus(r);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		fprintf(stderr, "sessions: \"%s\" failed: %s", sql,
		    PQerrorMessage(c));
		exit(1);
	}
	PQclear(r);
}

/* Send a statement that will block on a row lock; never read its result. */
static void
send_blocked(PGconn *c, const char *sql)
{
	if (!PQsendQuery(c, sql)) {
		fprintf(stderr, "sessions: send failed: %s", PQerrorMessage(c));
		exit(1);
	}
	PQflush(c);
}

static long
arg_long(const char *s, long min, const char *what)
{
	char	*end;
	long	 v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < min) {
		fprintf(stderr, "sessions: bad %s: %s\n", what, s);
		exit(2);
	}
	return v;
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	struct timespec	 now, deadline;
	const char	*conninfo;
	long		 n_idle, n_tx, n_chain, seconds, i, n = 0;
	PGconn		**conns;
	FILE		*f;

	if (argc != 7) {
		fprintf(stderr, "usage: sessions CONNINFO IDLE IDLE_TX CHAIN "
		    "SECONDS READY_FILE\n");
		return 2;
	}
	conninfo = argv[1];
	n_idle = arg_long(argv[2], 0, "IDLE");
	n_tx = arg_long(argv[3], 0, "IDLE_TX");
	n_chain = arg_long(argv[4], 0, "CHAIN");
	seconds = arg_long(argv[5], 1, "SECONDS");
	if (n_chain == 1 || n_chain == 2) {
		fprintf(stderr, "sessions: CHAIN must be 0 or at least 3\n");
		return 2;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += seconds;

	conns = calloc((size_t)(n_idle + n_tx + n_chain), sizeof(*conns));
	if (conns == NULL)
		return 1;

	for (i = 0; i < n_idle && !stop; i++) {
		conns[n] = open_session(conninfo, "bench_idle");
		run(conns[n++], "SELECT 1");
	}
	for (i = 0; i < n_tx && !stop; i++) {
		conns[n] = open_session(conninfo, "bench_idle_in_tx");
		run(conns[n++], "BEGIN; SELECT txid_current()");
	}
	if (n_chain > 0 && !stop) {
		conns[n] = open_session(conninfo, "bench_chain_root");
		run(conns[n++], "BEGIN; UPDATE bench_lock SET v = v + 1 WHERE id = 1");
		conns[n] = open_session(conninfo, "bench_chain_middle");
		run(conns[n], "BEGIN; UPDATE bench_lock SET v = v + 1 WHERE id = 2");
		send_blocked(conns[n++],
		    "UPDATE bench_lock SET v = v + 1 WHERE id = 1");
		for (i = 2; i < n_chain && !stop; i++) {
			conns[n] = open_session(conninfo, "bench_chain_waiter");
			send_blocked(conns[n++], (i % 2) ?
			    "UPDATE bench_lock SET v = v + 1 WHERE id = 1" :
			    "UPDATE bench_lock SET v = v + 1 WHERE id = 2");
		}
	}
	if (stop)
		return 1;

	f = fopen(argv[6], "w");
	if (f == NULL || fprintf(f, "%ld\n", n) < 0 || fclose(f) != 0) {
		perror("sessions: ready file");
		return 1;
	}

	while (!stop) {
		struct timespec	 one = { 0, 200 * 1000 * 1000 };

		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > deadline.tv_sec ||
		    (now.tv_sec == deadline.tv_sec &&
		    now.tv_nsec >= deadline.tv_nsec))
			break;
		nanosleep(&one, NULL);
	}

	/* Closing the root first lets the waiters finish quickly. */
	for (i = 0; i < n; i++)
		PQfinish(conns[i]);
	free(conns);
	return 0;
}
