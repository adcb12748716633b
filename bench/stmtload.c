/*
 * stmtload.c - many distinct pg_stat_statements entries, and a workload
 * that keeps some of them moving.  For bench/history.sh.
 *
 *   stmtload CONNINFO create SHAPES
 *       Create tables bench_s00 .. bench_s49 (ten int columns, 100 rows)
 *       and run SHAPES distinct statement shapes once each, so that
 *       pg_stat_statements holds SHAPES more entries.  Shape i reads
 *       table i % 50 with a column list chosen by i / 50 (1 to 1,023
 *       columns subsets), so SHAPES may be up to 51,150.
 *
 *   stmtload CONNINFO churn SHAPES NCONN NSLEEP RATE SECONDS READY_FILE
 *       Open NCONN connections that together run RATE random shapes a
 *       second (so about RATE entries change between two refreshes) and
 *       NSLEEP connections that stay active in pg_sleep().  Creates
 *       READY_FILE when all are connected; ends after SECONDS, or on
 *       SIGTERM, SIGINT or SIGHUP.
 */
#define _POSIX_C_SOURCE 200809L

#include <libpq-fe.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NTAB	50
#define NCOL	10

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static PGconn *
connect_as(const char *conninfo, const char *app)
{
	char	 buf[4096];
	PGconn	*c;

	snprintf(buf, sizeof buf, "%s application_name=%s", conninfo, app);
	c = PQconnectdb(buf);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "stmtload: connect failed: %s",
		    PQerrorMessage(c));
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
		fprintf(stderr, "stmtload: \"%.80s\" failed: %s", sql,
		    PQerrorMessage(c));
		exit(1);
	}
	PQclear(r);
}

/* The text of shape 'i' (literals differ per call; the shape does not). */
static void
shape(int i, char *buf, size_t size)
{
	int	t = i % NTAB, mask = i / NTAB + 1, k, n = 0;
	size_t	len;

	len = (size_t)snprintf(buf, size, "SELECT ");
	for (k = 0; k < NCOL; k++) {
		if (!(mask & (1 << k)))
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%sc%d",
		    n++ ? ", " : "", k);
	}
	snprintf(buf + len, size - len, " FROM bench_s%02d WHERE c0 = %d"
	    " AND c1 BETWEEN %d AND %d AND c2 IS NOT NULL ORDER BY c0 DESC"
	    " LIMIT 10", t, rand() % 100, rand() % 10, 10 + rand() % 90);
}

static long
arg_long(const char *s, long min, const char *what)
{
	char	*end;
	long	 v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < min) {
		fprintf(stderr, "stmtload: bad %s: %s\n", what, s);
		exit(2);
	}
	return v;
}

static int
cmd_create(const char *conninfo, long shapes)
{
	PGconn	*c = connect_as(conninfo, "bench_stmtload");
	char	 sql[1024];
	long	 i;
	int	 t;

	run(c, "SET client_min_messages = warning");
	for (t = 0; t < NTAB; t++) {
		snprintf(sql, sizeof sql, "CREATE TABLE IF NOT EXISTS"
		    " bench_s%02d (c0 int, c1 int, c2 int, c3 int, c4 int,"
		    " c5 int, c6 int, c7 int, c8 int, c9 int);"
		    " INSERT INTO bench_s%02d"
		    " SELECT g, g, g, g, g, g, g, g, g, g"
		    " FROM generate_series(1, 100) g", t, t);
		run(c, sql);
	}
	for (i = 0; i < shapes; i++) {
		shape((int)i, sql, sizeof sql);
		run(c, sql);
	}
	PQfinish(c);
	return 0;
}

static double
mono(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmd_churn(const char *conninfo, char **argv)
{
	struct sigaction sa;
	long		 shapes = arg_long(argv[0], 1, "SHAPES");
	long		 nconn = arg_long(argv[1], 1, "NCONN");
	long		 nsleep = arg_long(argv[2], 0, "NSLEEP");
	double		 rate = (double)arg_long(argv[3], 1, "RATE");
	double		 end = mono() +
			    (double)arg_long(argv[4], 1, "SECONDS");
	double		 next;
	PGconn		**work, **sleepers;
	char		 sql[1024];
	long		 i, k = 0;
	FILE		*f;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	work = calloc((size_t)nconn, sizeof *work);
	sleepers = calloc((size_t)nsleep + 1, sizeof *sleepers);
	for (i = 0; i < nconn && !stop; i++)
		work[i] = connect_as(conninfo, "bench_churn");
	for (i = 0; i < nsleep && !stop; i++) {
		sleepers[i] = connect_as(conninfo, "bench_active");
		/* Active for the whole run; the result is never read. */
		snprintf(sql, sizeof sql, "SELECT pg_sleep(%ld)",
		    (long)(end - mono()) + 5);
		if (!PQsendQuery(sleepers[i], sql)) {
			fprintf(stderr, "stmtload: %s",
			    PQerrorMessage(sleepers[i]));
			return 1;
		}
	}
	if (stop)
		return 1;
	f = fopen(argv[5], "w");
	if (f == NULL || fprintf(f, "%ld\n", nconn + nsleep) < 0 ||
	    fclose(f) != 0) {
		perror("stmtload: ready file");
		return 1;
	}
	srand(12345);
	next = mono();
	while (!stop && mono() < end) {
		struct timespec	 pause;
		double		 d;

		shape((int)(rand() % shapes), sql, sizeof sql);
		run(work[k++ % nconn], sql);
		next += 1.0 / rate;
		d = next - mono();
		if (d > 0) {
			pause.tv_sec = (time_t)d;
			pause.tv_nsec = (long)((d - (double)pause.tv_sec) *
			    1e9);
			nanosleep(&pause, NULL);
		}
	}
	for (i = 0; i < nconn; i++)
		PQfinish(work[i]);
	for (i = 0; i < nsleep; i++) {
		/* Without a cancel the backend would sleep on. */
		PGcancel	*cn = PQgetCancel(sleepers[i]);
		char		 err[256];

		if (cn != NULL) {
			PQcancel(cn, err, sizeof err);
			PQfreeCancel(cn);
		}
		PQfinish(sleepers[i]);
	}
	free(work);
	free(sleepers);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[2], "create") == 0)
		return cmd_create(argv[1], arg_long(argv[3], 1, "SHAPES"));
	if (argc == 9 && strcmp(argv[2], "churn") == 0)
		return cmd_churn(argv[1], argv + 3);
	fprintf(stderr, "usage: stmtload CONNINFO create SHAPES\n"
	    "       stmtload CONNINFO churn SHAPES NCONN NSLEEP RATE SECONDS"
	    " READY_FILE\n");
	return 2;
}
