/*
 * migest.c - what analysing a big migration costs, and how close the
 * Migrations planner's estimates land to what the statements really take.
 * For bench/migrate.sh, which reads the "key value" lines it prints.
 *
 *   migest gen [-n STMTS] FILE
 *       Writes a plain migration of STMTS statements (default 5,000),
 *       the same file every time: per table, CREATE TABLE, ALTER TABLE
 *       of many kinds (add column plain, with a constant and with a
 *       volatile default, type changes, defaults, NOT NULL, check and
 *       foreign keys NOT VALID then VALIDATE, rename, statistics, drop
 *       column), CREATE [UNIQUE] INDEX [CONCURRENTLY], UPDATE backfills
 *       in BEGIN/COMMIT, DO blocks with nested dollar quotes, COPY ...
 *       FROM stdin with 20 data lines, COMMENT ON, SET, psql \set, and
 *       statements on tables the file does not create.
 *
 *   migest analyze [-r RUNS] FILE
 *       RUNS times (default 5), each in a fresh child process:
 *       mig_load(), mig_analyze() against an empty catalog and
 *       mig_estimate(), as `pgdeck migrate --offline --check` does, each
 *       timed (wall and CPU), then mig_set_free(); the child's peak RSS
 *       from wait4().  Prints medians, and what the set holds.
 *
 *   migest exec [-r RUNS] -- COMMAND [ARG]...
 *       Runs COMMAND RUNS times, stdout to /dev/null: wall time, user +
 *       system CPU and peak RSS (wait4()), medians; the last exit code.
 *
 *   migest estimate [-c] [-R SEQ,WRITE,SORT,DML,FK] CONNINFO SQL
 *       The engine's estimate of SQL on that server: mig_load_string(),
 *       mig_server_catalog(), with -c mig_server_calibrate(), then
 *       mig_analyze() and mig_estimate().  -R replaces the rates with
 *       these (bytes/s, bytes/s, rows/s, rows/s, rows/s) instead, to see
 *       what other defaults would give.  Prints the rates, and per
 *       statement with work its class, est, est_lo, est_hi, est_why and
 *       its targets' sizes.
 *
 *   migest calib [-r RUNS] CONNINFO TABLE
 *       The two samples mig_server_calibrate() takes, RUNS times each:
 *       the 200,000-row sort (its Execution Time is what CPU_BASE_MS is
 *       compared with) and the TABLESAMPLE read of 32 MB of TABLE; and a
 *       full count(*) of TABLE for comparison.  The sort also with
 *       work_mem = 64MB: at the default 4MB it spills to disk.  Medians,
 *       and the sort method at the session's work_mem.
 *
 *   migest measure [-r RUNS] [-p PREP] [-N] [-u UNDO] CONNINFO SQL
 *       RUNS times (default 3): PREP if given (e.g. VACUUM t, so that
 *       one run's rolled-back rows do not slow the next), CHECKPOINT,
 *       BEGIN, SQL timed by the clock around PQexec(), ROLLBACK.  With
 *       -N no transaction (CREATE INDEX CONCURRENTLY), and UNDO after
 *       each run instead of the rollback.  Median, min and max ms.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <dlfcn.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "migrate/migrate.h"

#define MAX_RUNS	50

/*
 * The shim.  server.c's setup() sends "SET statement_timeout ...; SET
 * lock_timeout ..." through PQexecParams(), which refuses two commands
 * ("cannot insert multiple commands into a prepared statement"), so
 * mig_server_catalog() and mig_server_calibrate() fail before they read
 * anything and every estimate is "size unknown".  To measure the
 * estimator at all, this PQexecParams() (the engine's calls resolve to
 * it, libpq's own do not) sends a parameterless multi-command string
 * through PQexec() instead, and counts it.  MIGEST_NO_SHIM=1 turns it
 * off, to see whether the engine still needs it.
 */
static int shim_hits;

PGresult *
PQexecParams(PGconn *conn, const char *command, int nParams,
    const Oid *paramTypes, const char *const *paramValues,
    const int *paramLengths, const int *paramFormats, int resultFormat)
{
	static PGresult *(*real)(PGconn *, const char *, int, const Oid *,
	    const char *const *, const int *, const int *, int);

	if (nParams == 0 && resultFormat == 0 && strchr(command, ';') != NULL &&
	    getenv("MIGEST_NO_SHIM") == NULL) {
		shim_hits++;
		return PQexec(conn, command);
	}
	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "PQexecParams");
	return real(conn, command, nParams, paramTypes, paramValues,
	    paramLengths, paramFormats, resultFormat);
}

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Sorts v. */
static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fputs("migest: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static int
runs_arg(const char *s)
{
	int n = atoi(s);

	if (n < 1 || n > MAX_RUNS)
		die("runs must be 1..%d", MAX_RUNS);
	return n;
}

/* ------------------------------------------------------------------ gen -- */

struct gen {
	FILE	*fp;
	int	 n, max;	/* statements written, wanted */
};

/* One statement (fmt ends with ';' and its newline); 0 when enough. */
static int __attribute__((format(printf, 2, 3)))
stmt(struct gen *g, const char *fmt, ...)
{
	va_list ap;

	if (g->n >= g->max)
		return 0;
	va_start(ap, fmt);
	vfprintf(g->fp, fmt, ap);
	va_end(ap);
	g->n++;
	return 1;
}

static void
gen_table(struct gen *g, int k)
{
	int legacy = k % 10;

	fprintf(g->fp, "\n-- -------------------------------------------------"
	    "------------\n-- V%d: orders_%d, its indexes and its backfill\n"
	    "-- ticket PGD-%d; reviewed\n-- -----------------------------"
	    "--------------------------------\n", k, k, 1000 + k);
	stmt(g, "SET lock_timeout = '5s';\n");
	stmt(g, "CREATE TABLE app.t%d (\n"
	    "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
	    "    parent_id bigint,\n"
	    "    name varchar(80) NOT NULL,\n"
	    "    status text,\n"
	    "    amount numeric(12,2) DEFAULT 0,\n"
	    "    qty int,\n"
	    "    created_at timestamptz NOT NULL DEFAULT now(),\n"
	    "    payload jsonb,\n"
	    "    note text\n"
	    ");\n", k);
	stmt(g, "COMMENT ON TABLE app.t%d IS 'bench table %d; it''s "
	    "synthetic';\n", k, k);
	stmt(g, "ALTER TABLE app.t%d ADD COLUMN flags int NOT NULL DEFAULT "
	    "0;\n", k);
	if (k % 2)
		stmt(g, "ALTER TABLE app.t%d ADD COLUMN token uuid DEFAULT "
		    "gen_random_uuid();\n", k);
	else
		stmt(g, "ALTER TABLE app.t%d ADD COLUMN token text;\n", k);
	stmt(g, "ALTER TABLE app.t%d ALTER COLUMN qty TYPE bigint;\n", k);
	stmt(g, "ALTER TABLE app.t%d ALTER COLUMN name TYPE varchar(120);\n", k);
	stmt(g, "ALTER TABLE app.t%d ALTER COLUMN status SET DEFAULT 'new';\n",
	    k);
	stmt(g, "ALTER TABLE app.t%d ADD CONSTRAINT t%d_parent_fk FOREIGN KEY "
	    "(parent_id)\n    REFERENCES app.t%d (id) NOT VALID;\n", k, k, k - 1);
	stmt(g, "ALTER TABLE app.t%d VALIDATE CONSTRAINT t%d_parent_fk;\n", k, k);
	stmt(g, "ALTER TABLE app.t%d ADD CONSTRAINT t%d_qty_ck CHECK (qty >= 0);"
	    "\n", k, k);
	stmt(g, "ALTER TABLE app.t%d ALTER COLUMN status SET NOT NULL;\n", k);
	stmt(g, "ALTER TABLE app.t%d RENAME COLUMN note TO remark;\n", k);
	stmt(g, "ALTER TABLE app.t%d ALTER COLUMN payload SET STATISTICS 500;\n",
	    k);
	stmt(g, "CREATE INDEX CONCURRENTLY t%d_name_idx ON app.t%d (name);\n",
	    k, k);
	stmt(g, "CREATE INDEX t%d_created_idx ON app.t%d (created_at)\n"
	    "    WHERE status <> 'done';\n", k, k);
	stmt(g, "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t%d_pid_name\n"
	    "    ON app.t%d (parent_id, lower(name));\n", k, k);
	fprintf(g->fp, "\n-- backfill, one transaction\n");
	stmt(g, "BEGIN;\n");
	stmt(g, "UPDATE app.t%d SET status = 'old'\n"
	    "    WHERE created_at < now() - interval '1 year';\n", k);
	stmt(g, "UPDATE app.t%d SET amount = round(amount * 1.2, 2);\n", k);
	stmt(g, "COMMIT;\n");
	stmt(g, "DO $do$\nDECLARE\n    r record;\n    n int := 0;\nBEGIN\n"
	    "    -- batches; semicolons; and 'quotes' inside the body\n"
	    "    FOR r IN SELECT id FROM app.t%d WHERE remark IS NULL LOOP\n"
	    "        UPDATE app.t%d SET remark = $q$it's done; really$q$\n"
	    "            WHERE id = r.id;\n        n := n + 1;\n    END LOOP;\n"
	    "    RAISE NOTICE 'backfilled %% rows in t%d', n;\nEND\n$do$;\n",
	    k, k, k);
	if (stmt(g, "COPY app.t%d (parent_id, name, status, qty) FROM stdin;\n",
	    k)) {
		for (int i = 1; i <= 20; i++)
			fprintf(g->fp, "%d\tname %d; of %d\t%s\t%d\n", i, i, k,
			    i % 3 ? "new" : "\\N", i * 7 % 13);
		fprintf(g->fp, "\\.\n");
	}
	stmt(g, "ALTER TABLE app.t%d DROP COLUMN payload;\n", k);
	stmt(g, "ALTER TABLE app.legacy_%d ADD COLUMN col_%d text;\n", legacy, k);
	stmt(g, "-- pgdeck:ignore index-not-concurrent\n"
	    "CREATE INDEX legacy_%d_col_%d ON app.legacy_%d (col_%d);\n",
	    legacy, k, legacy, k);
}

static int
cmd_gen(int argc, char **argv)
{
	struct gen g = { .max = 5000 };
	int c, k;

	while ((c = getopt(argc, argv, "n:")) != -1) {
		if (c == 'n')
			g.max = atoi(optarg);
		else
			return 2;
	}
	if (optind != argc - 1 || g.max < 1)
		die("usage: migest gen [-n STMTS] FILE");
	if ((g.fp = fopen(argv[optind], "w")) == NULL)
		die("%s: %s", argv[optind], strerror(errno));
	fprintf(g.fp, "-- Synthetic migration for bench/migrate.sh "
	    "(bench/migest.c gen)\n\\set ON_ERROR_STOP on\n\n");
	stmt(&g, "CREATE SCHEMA IF NOT EXISTS app;\n");
	stmt(&g, "CREATE TABLE app.t0 (id bigint PRIMARY KEY);\n");
	for (k = 1; g.n < g.max; k++)
		gen_table(&g, k);
	if (fclose(g.fp) != 0)
		die("%s: %s", argv[optind], strerror(errno));
	printf("gen.stmts %d\ngen.tables %d\n", g.n, k - 1);
	return 0;
}

/* -------------------------------------------------------------- analyze -- */

/* What one child measured, sent back through a pipe. */
struct probe {
	double	load_wall, load_cpu, an_wall, an_cpu, est_wall, est_cpu;
	double	free_cpu;
	int	ok, nstmts, nfindings, nerrors, nwindows, ncuts, nfiles;
	int	cls[MIG_NCLASSES];
	int	unknown;	/* statements with work but no estimate */
};

static void
analyze_child(const char *path, struct probe *pr)
{
	const char *paths[1] = { path };
	struct mig_catalog *cat;
	struct mig_set *set;
	char *err = NULL;
	double w, c;

	memset(pr, 0, sizeof *pr);
	w = mono();
	c = cpu_now();
	set = mig_load(paths, 1, &err);
	pr->load_wall = mono() - w;
	pr->load_cpu = cpu_now() - c;
	if (set == NULL)
		return;
	cat = mig_catalog_new();
	w = mono();
	c = cpu_now();
	mig_analyze(set, cat);
	pr->an_wall = mono() - w;
	pr->an_cpu = cpu_now() - c;
	w = mono();
	c = cpu_now();
	mig_estimate(set, cat);
	pr->est_wall = mono() - w;
	pr->est_cpu = cpu_now() - c;
	pr->ok = 1;
	pr->nstmts = set->nstmts;
	pr->nfindings = set->nfindings;
	pr->nerrors = set->nerrors;
	pr->nwindows = set->nwindows;
	pr->nfiles = set->nfiles;
	for (int i = 0; i < set->nfiles; i++)
		pr->ncuts += set->files[i].ncuts;
	for (int i = 0; i < set->nstmts; i++) {
		const struct mig_stmt *st = &set->stmts[i];

		pr->cls[st->cls]++;
		if (st->cls > MIG_CLASS_METADATA && st->est < 0)
			pr->unknown++;
	}
	c = cpu_now();
	mig_set_free(set);
	mig_catalog_free(cat);
	pr->free_cpu = cpu_now() - c;
}

static int
cmd_analyze(int argc, char **argv)
{
	double v[8][MAX_RUNS], rss[MAX_RUNS];
	struct probe pr = { 0 };
	int c, runs = 5;

	while ((c = getopt(argc, argv, "r:")) != -1) {
		if (c == 'r')
			runs = runs_arg(optarg);
		else
			return 2;
	}
	if (optind != argc - 1)
		die("usage: migest analyze [-r RUNS] FILE");
	for (int r = 0; r < runs; r++) {
		struct rusage ru;
		int fds[2], status;
		pid_t pid;

		if (pipe(fds) == -1)
			die("pipe: %s", strerror(errno));
		fflush(stdout);
		if ((pid = fork()) == -1)
			die("fork: %s", strerror(errno));
		if (pid == 0) {
			close(fds[0]);
			analyze_child(argv[optind], &pr);
			if (write(fds[1], &pr, sizeof pr) != (ssize_t)sizeof pr)
				_exit(1);
			_exit(0);
		}
		close(fds[1]);
		if (read(fds[0], &pr, sizeof pr) != (ssize_t)sizeof pr)
			die("child %d sent nothing", r);
		close(fds[0]);
		if (wait4(pid, &status, 0, &ru) == -1 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			die("child %d failed", r);
		if (!pr.ok)
			die("mig_load() could not read %s", argv[optind]);
		v[0][r] = pr.load_wall * 1e3;
		v[1][r] = pr.load_cpu * 1e3;
		v[2][r] = pr.an_wall * 1e3;
		v[3][r] = pr.an_cpu * 1e3;
		v[4][r] = pr.est_wall * 1e3;
		v[5][r] = pr.est_cpu * 1e3;
		v[6][r] = (pr.load_wall + pr.an_wall + pr.est_wall) * 1e3;
		v[7][r] = (pr.load_cpu + pr.an_cpu + pr.est_cpu) * 1e3;
		rss[r] = (double)ru.ru_maxrss;
	}
	printf("runs %d\n", runs);
	{
		double lo = v[6][0], hi = v[6][0];

		for (int r = 1; r < runs; r++) {
			lo = v[6][r] < lo ? v[6][r] : lo;
			hi = v[6][r] > hi ? v[6][r] : hi;
		}
		printf("total.wall_range %.0f-%.0f\n", lo, hi);
	}
	printf("load.wall_ms %.1f\nload.cpu_ms %.1f\n", median(v[0], runs),
	    median(v[1], runs));
	printf("analyze.wall_ms %.1f\nanalyze.cpu_ms %.1f\n", median(v[2], runs),
	    median(v[3], runs));
	printf("estimate.wall_ms %.2f\nestimate.cpu_ms %.2f\n",
	    median(v[4], runs), median(v[5], runs));
	printf("total.wall_ms %.1f\ntotal.cpu_ms %.1f\n", median(v[6], runs),
	    median(v[7], runs));
	printf("free.cpu_ms %.1f\n", pr.free_cpu * 1e3);
	printf("peak_rss_kb %.0f\n", median(rss, runs));
	printf("files %d\nstmts %d\ncuts %d\nfindings %d\nerrors %d\n"
	    "windows %d\nunknown_estimates %d\n", pr.nfiles, pr.nstmts,
	    pr.ncuts, pr.nfindings, pr.nerrors, pr.nwindows, pr.unknown);
	for (int i = 0; i < MIG_NCLASSES; i++)
		printf("class.%s %d\n", mig_class_name((enum mig_class)i),
		    pr.cls[i]);
	return 0;
}

/* ----------------------------------------------------------------- exec -- */

static int
cmd_exec(int argc, char **argv)
{
	double wall[MAX_RUNS], cpu[MAX_RUNS], rss[MAX_RUNS];
	int c, runs = 5, rc = 0;

	while ((c = getopt(argc, argv, "r:")) != -1) {
		if (c == 'r')
			runs = runs_arg(optarg);
		else
			return 2;
	}
	if (optind >= argc)
		die("usage: migest exec [-r RUNS] -- COMMAND [ARG]...");
	for (int r = 0; r < runs; r++) {
		struct rusage ru;
		double w = mono();
		int status;
		pid_t pid;

		fflush(stdout);
		if ((pid = fork()) == -1)
			die("fork: %s", strerror(errno));
		if (pid == 0) {
			int fd = open("/dev/null", O_WRONLY);

			if (fd != -1)
				dup2(fd, 1);
			execvp(argv[optind], argv + optind);
			_exit(127);
		}
		if (wait4(pid, &status, 0, &ru) == -1)
			die("wait4: %s", strerror(errno));
		wall[r] = (mono() - w) * 1e3;
		cpu[r] = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
		    (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
		rss[r] = (double)ru.ru_maxrss;
		rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 +
		    WTERMSIG(status);
		if (rc == 127)
			die("cannot run %s", argv[optind]);
	}
	printf("runs %d\n", runs);
	printf("exec.wall_ms %.1f\n", median(wall, runs));
	printf("exec.wall_range %.0f-%.0f\n", wall[0], wall[runs - 1]);
	printf("exec.cpu_ms %.1f\n", median(cpu, runs));
	printf("exec.peak_rss_kb %.0f\n", median(rss, runs));
	printf("exec.exit %d\n", rc);
	return 0;
}

/* --------------------------------------------------------------- server -- */

static PGconn *
connect_db(const char *conninfo)
{
	PGconn *conn = PQconnectdb(conninfo);

	if (PQstatus(conn) != CONNECTION_OK)
		die("cannot connect: %s", PQerrorMessage(conn));
	return conn;
}

static void
exec_ok(PGconn *conn, const char *sql)
{
	PGresult *res = PQexec(conn, sql);

	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK)
		die("%s: %s", sql, PQresultErrorMessage(res));
	PQclear(res);
}

/* Print a string value on one line. */
static void
kv_str(const char *key, const char *s)
{
	printf("%s ", key);
	for (; s != NULL && *s != '\0'; s++)
		putchar(*s == '\n' || *s == '\t' ? ' ' : *s);
	putchar('\n');
}

static void
print_rates(const struct mig_rates *r)
{
	kv_str("rates.source", r->source);
	printf("rates.seq_bytes_s %.0f\nrates.write_bytes_s %.0f\n"
	    "rates.sort_rows_s %.0f\nrates.dml_rows_s %.0f\n"
	    "rates.fk_rows_s %.0f\nrates.meta_s %.3f\n", r->seq_bytes_s,
	    r->write_bytes_s, r->sort_rows_s, r->dml_rows_s, r->fk_rows_s,
	    r->meta_s);
}

static int
cmd_estimate(int argc, char **argv)
{
	struct mig_catalog *cat;
	struct mig_set *set;
	struct mig_rates over;
	const char *sql;
	char *err = NULL;
	PGconn *conn;
	int c, calibrate = 0, override = 0, n = 0;
	double w;

	while ((c = getopt(argc, argv, "cR:")) != -1) {
		if (c == 'c') {
			calibrate = 1;
		} else if (c == 'R') {
			mig_rates_default(&over);
			if (sscanf(optarg, "%lf,%lf,%lf,%lf,%lf", &over.seq_bytes_s,
			    &over.write_bytes_s, &over.sort_rows_s,
			    &over.dml_rows_s, &over.fk_rows_s) != 5)
				die("-R wants SEQ,WRITE,SORT,DML,FK");
			over.source = "bench override (-R)";
			override = 1;
		} else {
			return 2;
		}
	}
	if (optind != argc - 2)
		die("usage: migest estimate [-c] [-R RATES] CONNINFO SQL");
	sql = argv[optind + 1];
	conn = connect_db(argv[optind]);
	set = mig_load_string("bench.sql", sql, strlen(sql));
	cat = mig_catalog_new();
	/* Failures are reported, not fatal: pgdeck goes on without. */
	if (mig_server_catalog(conn, set, cat, &err) != 0) {
		kv_str("catalog.error", err);
		free(err);
	}
	if (calibrate) {
		struct mig_calib cal = { 0 };	/* never the kept rates */

		w = mono();
		if (mig_server_calibrate(conn, set, cat, &cal, &err) < 0) {
			kv_str("calibrate.error", err);
			free(err);
		}
		printf("calibrate.wall_ms %.1f\n", (mono() - w) * 1e3);
	}
	if (override)
		set->rates = over;
	mig_analyze(set, cat);
	if (mig_server_dml_rows(conn, set, &err) != 0) {
		kv_str("dml_rows.error", err);
		free(err);
	}
	mig_estimate(set, cat);
	print_rates(&set->rates);
	for (int i = 0; i < set->nstmts; i++) {
		const struct mig_stmt *st = &set->stmts[i];
		char key[64];

		if (st->cls <= MIG_CLASS_METADATA && set->nstmts > 1)
			continue;
		n++;
		printf("stmt.%d.class %s\n", n, mig_class_name(st->cls));
		snprintf(key, sizeof key, "stmt.%d.what", n);
		kv_str(key, st->what);
		printf("stmt.%d.est %.3f\nstmt.%d.est_lo %.3f\n"
		    "stmt.%d.est_hi %.3f\n", n, st->est, n, st->est_lo, n,
		    st->est_hi);
		snprintf(key, sizeof key, "stmt.%d.est_why", n);
		kv_str(key, st->est_why);
		for (int k = 0; k < st->ntargets; k++) {
			const struct mig_target *t = &st->targets[k];

			printf("stmt.%d.target.%d %s heap_bytes=%.0f "
			    "index_bytes=%.0f rows=%.0f nindexes=%d flags=0x%x\n",
			    n, k + 1, t->name, t->heap_bytes, t->index_bytes,
			    t->rows, t->nindexes, t->flags);
		}
	}
	printf("stmts_with_work %d\n", n);
	printf("shim_hits %d\n", shim_hits);
	for (int i = 0; i < set->nerrors; i++)
		kv_str("error", set->errors[i]);
	mig_set_free(set);
	mig_catalog_free(cat);
	PQfinish(conn);
	return 0;
}

/* The first "Sort Method" in a plan, "?" when none. */
static const char *
sort_method(const json_t *plan, char *buf, size_t size)
{
	const json_t *v;
	size_t i;

	if (json_is_string(json_object_get(plan, "Sort Method"))) {
		snprintf(buf, size, "%s, %s %.0f kB", json_string_value(
		    json_object_get(plan, "Sort Method")), json_string_value(
		    json_object_get(plan, "Sort Space Type")), json_number_value(
		    json_object_get(plan, "Sort Space Used")));
		return buf;
	}
	json_array_foreach(json_object_get(plan, "Plans"), i, v)
		if (strcmp(sort_method(v, buf, size), "?") != 0)
			return buf;
	snprintf(buf, size, "?");
	return buf;
}

static char last_sort[128];

/* Execution Time (ms) and blocks of an EXPLAIN (ANALYZE, FORMAT JSON). */
static double
explain_ms(PGconn *conn, const char *sql, double *blocks)
{
	PGresult *res = PQexec(conn, sql);
	json_t *root, *top, *plan;
	double ms;

	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		die("%s: %s", sql, PQresultErrorMessage(res));
	root = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	PQclear(res);
	top = json_array_get(root, 0);
	plan = json_object_get(top, "Plan");
	ms = json_number_value(json_object_get(top, "Execution Time"));
	sort_method(plan, last_sort, sizeof last_sort);
	if (blocks != NULL)
		*blocks = json_number_value(json_object_get(plan,
		    "Shared Hit Blocks")) + json_number_value(
		    json_object_get(plan, "Shared Read Blocks"));
	json_decref(root);
	return ms;
}

static int
cmd_calib(int argc, char **argv)
{
	static const char sort_sql[] = "EXPLAIN (ANALYZE, TIMING OFF, FORMAT "
	    "JSON) SELECT count(*) FROM (SELECT g FROM generate_series(1, "
	    "200000) g ORDER BY g DESC OFFSET 0) s";
	double sort[MAX_RUNS], sortm[MAX_RUNS], samp[MAX_RUNS], full[MAX_RUNS];
	double heap, blocks;
	char sql[512], *q, method[128] = "?", method_mem[128] = "?";
	PGresult *res;
	PGconn *conn;
	int c, runs = 7;

	while ((c = getopt(argc, argv, "r:")) != -1) {
		if (c == 'r')
			runs = runs_arg(optarg);
		else
			return 2;
	}
	if (optind != argc - 2)
		die("usage: migest calib [-r RUNS] CONNINFO TABLE");
	conn = connect_db(argv[optind]);
	q = PQescapeIdentifier(conn, argv[optind + 1], strlen(argv[optind + 1]));
	snprintf(sql, sizeof sql, "SELECT pg_relation_size('%s'::regclass)", q);
	res = PQexec(conn, sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		die("%s", PQresultErrorMessage(res));
	heap = strtod(PQgetvalue(res, 0, 0), NULL);
	PQclear(res);
	/* Interleaved, so that both see the same load. */
	for (int r = 0; r < runs; r++) {
		sort[r] = explain_ms(conn, sort_sql, NULL);
		snprintf(method, sizeof method, "%s", last_sort);
		exec_ok(conn, "SET work_mem = '64MB'");
		sortm[r] = explain_ms(conn, sort_sql, NULL);
		snprintf(method_mem, sizeof method_mem, "%s", last_sort);
		exec_ok(conn, "RESET work_mem");
	}
	/* As mig_server_calibrate() samples the largest table. */
	snprintf(sql, sizeof sql, "EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, "
	    "FORMAT JSON) SELECT count(*) FROM ONLY %s TABLESAMPLE SYSTEM "
	    "(%.3f)", q, 100.0 * (32 << 20) / heap > 100 ? 100 :
	    100.0 * (32 << 20) / heap);
	for (int r = 0; r < runs; r++) {
		double ms = explain_ms(conn, sql, &blocks);

		samp[r] = blocks * 8192 / (ms / 1000);
	}
	snprintf(sql, sizeof sql, "EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, "
	    "FORMAT JSON) SELECT count(*) FROM ONLY %s", q);
	for (int r = 0; r < runs; r++) {
		double ms = explain_ms(conn, sql, &blocks);

		full[r] = blocks * 8192 / (ms / 1000);
	}
	printf("runs %d\n", runs);
	printf("calib.sort_ms %.2f\n", median(sort, runs));
	printf("calib.sort_range %.1f-%.1f\n", sort[0], sort[runs - 1]);
	kv_str("calib.sort_method", method);
	printf("calib.sort_mem_ms %.2f\n", median(sortm, runs));
	printf("calib.sort_mem_range %.1f-%.1f\n", sortm[0], sortm[runs - 1]);
	kv_str("calib.sort_mem_method", method_mem);
	printf("calib.sample_bytes_s %.0f\n", median(samp, runs));
	printf("calib.full_count_bytes_s %.0f\n", median(full, runs));
	printf("calib.heap_bytes %.0f\n", heap);
	PQfreemem(q);
	PQfinish(conn);
	return 0;
}

static int
cmd_measure(int argc, char **argv)
{
	double ms[MAX_RUNS];
	const char *prep = NULL, *undo = NULL;
	PGconn *conn;
	int c, runs = 3, no_tx = 0;

	while ((c = getopt(argc, argv, "r:p:Nu:")) != -1) {
		if (c == 'r')
			runs = runs_arg(optarg);
		else if (c == 'p')
			prep = optarg;
		else if (c == 'N')
			no_tx = 1;
		else if (c == 'u')
			undo = optarg;
		else
			return 2;
	}
	if (optind != argc - 2)
		die("usage: migest measure [-r RUNS] [-p PREP] [-N] [-u UNDO] "
		    "CONNINFO SQL");
	conn = connect_db(argv[optind]);
	printf("runs %d\n", runs);
	for (int r = 0; r < runs; r++) {
		PGresult *res;
		double w;

		if (prep != NULL)
			exec_ok(conn, prep);
		exec_ok(conn, "CHECKPOINT");
		if (!no_tx)
			exec_ok(conn, "BEGIN");
		w = mono();
		res = PQexec(conn, argv[optind + 1]);
		ms[r] = (mono() - w) * 1e3;
		if (PQresultStatus(res) != PGRES_COMMAND_OK &&
		    PQresultStatus(res) != PGRES_TUPLES_OK)
			die("%s: %s", argv[optind + 1], PQresultErrorMessage(res));
		PQclear(res);
		if (!no_tx)
			exec_ok(conn, "ROLLBACK");
		if (undo != NULL)
			exec_ok(conn, undo);
		printf("measure.run.%d_ms %.1f\n", r + 1, ms[r]);
	}
	printf("measure.ms %.1f\n", median(ms, runs));
	printf("measure.range %.0f-%.0f\n", ms[0], ms[runs - 1]);
	PQfinish(conn);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{ "gen", cmd_gen }, { "analyze", cmd_analyze },
		{ "exec", cmd_exec }, { "estimate", cmd_estimate },
		{ "calib", cmd_calib }, { "measure", cmd_measure },
	};

	for (size_t i = 0; argc >= 2 && i < sizeof cmds / sizeof cmds[0]; i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "usage: migest gen|analyze|exec|estimate|calib|measure "
	    "...\n");
	return 2;
}
