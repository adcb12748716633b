/*
 * test_migrate_server.c - the Migrations planner's server side against
 * the real server from tests/harness/pg_server.sh:
 *
 *   - the catalog reaches partitions, referencing tables (transitively)
 *     and a domain's tables;
 *   - estimates from the server: the planner's row count for a DML step
 *     with a WHERE clause, COPY sized by its data, a DO block unknown
 *     (not 0), TOAST counted in a rewrite, and no "connect to a server"
 *     while connected;
 *   - `pgdeck migrate` calibrates once per server and keeps the rates in
 *     the history file: the next run takes them from there, and
 *     --recalibrate and --no-history behave.
 *
 * PGDECK_TEST_CONNINFO names the server; without it the test skips
 * loudly, and with CI=true it fails.  PGDECK names the binary.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "core/strbuf.h"
#include "core/util.h"
#include "migrate/migrate.h"

static const char	*conninfo;
static PGconn		*conn;
static char		 dir[64];

static void
exec_ok(const char *sql)
{
	PGresult *res = PQexec(conn, sql);

	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", sql, PQresultErrorMessage(res));
	PQclear(res);
}

static int
setup(void **state)
{
	(void)state;
	conn = PQconnectdb(conninfo);
	if (PQstatus(conn) != CONNECTION_OK) {
		fprintf(stderr, "%s", PQerrorMessage(conn));
		return -1;
	}
	/* 16 MB of heap (enough for the sampled read) and 6 MB of TOAST. */
	exec_ok("SET client_min_messages = warning");
	exec_ok("DROP TABLE IF EXISTS pgdeck_mig_big, pgdeck_mig_copy");
	exec_ok("CREATE TABLE pgdeck_mig_big (id bigint PRIMARY KEY, a int,"
	    " b text, doc text)");
	exec_ok("ALTER TABLE pgdeck_mig_big ALTER COLUMN doc SET STORAGE"
	    " EXTERNAL");
	exec_ok("INSERT INTO pgdeck_mig_big SELECT g, g % 100, md5(g::text),"
	    " CASE WHEN g % 100 = 0 THEN repeat(md5(g::text), 100) END"
	    " FROM generate_series(1, 200000) g");
	exec_ok("CREATE TABLE pgdeck_mig_copy (id int, note text)");
	exec_ok("VACUUM ANALYZE pgdeck_mig_big");
	snprintf(dir, sizeof dir, "/tmp/pgdeck-migsrv-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	exec_ok("DROP TABLE IF EXISTS pgdeck_mig_big, pgdeck_mig_copy");
	PQfinish(conn);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char migration[] =
    "SET lock_timeout = '2s';\n"
    "ALTER TABLE pgdeck_mig_big ALTER COLUMN a TYPE bigint;\n"
    "UPDATE pgdeck_mig_big SET a = a + 1 WHERE id <= 50000;\n"
    "DELETE FROM pgdeck_mig_big WHERE a = 3;\n"
    "DO $$ BEGIN UPDATE pgdeck_mig_big SET a = 0; END $$;\n"
    "COPY pgdeck_mig_copy FROM stdin;\n"
    "1\tone\n"
    "2\ttwo\n"
    "3\tthree\n"
    "\\.\n"
    "UPDATE pgdeck_mig_nothere SET x = 1 WHERE y = 2;\n";

static const struct mig_stmt *
stmt_at(const struct mig_set *set, int line)
{
	for (int i = 0; i < set->nstmts; i++)
		if (set->stmts[i].line == line)
			return &set->stmts[i];
	fail_msg("no statement on line %d", line);
	return NULL;
}

static void
assert_why(const struct mig_stmt *st, const char *want)
{
	if (st->est_why == NULL || strstr(st->est_why, want) == NULL)
		fail_msg("line %d: est_why '%s' should say '%s'", st->line,
		    st->est_why != NULL ? st->est_why : "(null)", want);
}

static void
test_estimates_from_server(void **state)
{
	struct mig_catalog *cat = mig_catalog_new();
	struct mig_set *set = mig_load_string("m.sql", migration,
	    strlen(migration));
	struct mig_calib cal = { 0 };
	const struct mig_stmt *st;
	char *err = NULL;
	int rc;

	(void)state;
	assert_non_null(set);
	assert_int_equal(mig_server_catalog(conn, set, cat, &err), 0);
	rc = mig_server_calibrate(conn, set, cat, &cal, &err);
	if (rc != 1)
		fail_msg("calibrate: %d %s", rc, err != NULL ? err : "");
	assert_true(cal.sort_ms > 0);
	/* The heap is over 8 MB: the read was sampled too. */
	assert_true(cal.read_bytes_s > 0);
	assert_non_null(strstr(set->rates.source, "calibrated"));
	set->origin = "test server";
	mig_analyze(set, cat);
	assert_int_equal(mig_server_dml_rows(conn, set, &err), 0);
	mig_estimate(set, cat);

	/* The rewrite copies the TOAST data too. */
	st = stmt_at(set, 2);
	assert_true(st->est > 0);
	assert_why(st, "TOAST");

	/* UPDATE ... WHERE: the planner's estimate, near the 50,000 rows. */
	st = stmt_at(set, 3);
	assert_true(st->est > 0);
	assert_why(st, "planner: ");
	for (int i = 0; i < st->ntargets; i++) {
		if (!(st->targets[i].flags & MIG_WRITE))
			continue;
		assert_true(st->targets[i].flags & MIG_ROWS_PLANNED);
		if (st->targets[i].rows < 25000 || st->targets[i].rows > 100000)
			fail_msg("planned rows %.0f, want about 50000",
			    st->targets[i].rows);
	}
	/* The range is wider for a guessed row count. */
	assert_true(st->est_hi / st->est >= 3.9);
	st = stmt_at(set, 4);
	assert_why(st, "planner: ");

	/* A DO block's work is unknown, not nothing. */
	st = stmt_at(set, 5);
	assert_true(st->est < 0);
	assert_why(st, "DO block");

	/* COPY: its three data lines, not the table's rows. */
	st = stmt_at(set, 6);
	assert_true(st->est >= 0);
	assert_why(st, "3 rows copied into pgdeck_mig_copy");

	/* A table the server does not have: unknown, and no advice to
	 * connect, since we are connected. */
	st = stmt_at(set, 11);
	assert_true(st->est < 0);
	assert_non_null(st->est_why);
	assert_null(strstr(st->est_why, "connect to a server"));

	/* Kept rates: nothing is measured again. */
	cal.cached = 1;
	assert_int_equal(mig_server_calibrate(conn, set, cat, &cal, &err), 0);
	assert_non_null(strstr(set->rates.source, "kept from"));
	mig_set_free(set);
	mig_catalog_free(cat);
}

static int
has_target(const struct mig_stmt *st, const char *name, enum mig_lock lock)
{
	for (int i = 0; i < st->ntargets; i++)
		if (strcmp(st->targets[i].name, name) == 0 &&
		    st->targets[i].lock == lock)
			return 1;
	return 0;
}

/*
 * The server catalog takes in what a statement reaches beyond the names
 * it says: partitions, referencing tables (transitively), the tables of
 * a domain.  Without them the lock table has nothing to work on.
 */
static void
test_catalog_reaches_related(void **state)
{
	static const char sql[] =
	    "CREATE INDEX pgdeck_ev_kind ON pgdeck_ev (kind);\n"
	    "TRUNCATE pgdeck_cu CASCADE;\n"
	    "ALTER DOMAIN pgdeck_posi ADD CONSTRAINT small CHECK (VALUE < 1000);\n"
	    "DELETE FROM pgdeck_ord WHERE id = 1;\n";
	struct mig_catalog *cat = mig_catalog_new();
	struct mig_set *set;
	char *err = NULL;

	(void)state;
	exec_ok("DROP TABLE IF EXISTS pgdeck_ev, pgdeck_cu, pgdeck_ord,"
	    " pgdeck_item CASCADE");
	exec_ok("DROP DOMAIN IF EXISTS pgdeck_posi CASCADE");
	exec_ok("CREATE DOMAIN pgdeck_posi AS int CHECK (VALUE > 0)");
	exec_ok("CREATE TABLE pgdeck_ev (id int, kind text, at date)"
	    " PARTITION BY RANGE (at)");
	exec_ok("CREATE TABLE pgdeck_ev_2023 PARTITION OF pgdeck_ev"
	    " FOR VALUES FROM ('2023-01-01') TO ('2024-01-01')");
	exec_ok("CREATE TABLE pgdeck_ev_def PARTITION OF pgdeck_ev DEFAULT");
	exec_ok("CREATE TABLE pgdeck_cu (id int PRIMARY KEY, karma pgdeck_posi)");
	exec_ok("CREATE TABLE pgdeck_ord (id int PRIMARY KEY,"
	    " cu_id int REFERENCES pgdeck_cu)");
	exec_ok("CREATE TABLE pgdeck_item (id int,"
	    " ord_id int REFERENCES pgdeck_ord)");
	set = mig_load_string("r.sql", sql, strlen(sql));
	assert_int_equal(mig_server_catalog(conn, set, cat, &err), 0);
	mig_analyze(set, cat);
	assert_true(has_target(&set->stmts[0], "pgdeck_ev_2023",
	    MIG_LOCK_SHARE));
	assert_true(has_target(&set->stmts[0], "pgdeck_ev_def",
	    MIG_LOCK_SHARE));
	assert_true(has_target(&set->stmts[1], "pgdeck_ord",
	    MIG_LOCK_ACCESS_EXCLUSIVE));
	assert_true(has_target(&set->stmts[1], "pgdeck_item",
	    MIG_LOCK_ACCESS_EXCLUSIVE));
	assert_true(has_target(&set->stmts[2], "pgdeck_cu", MIG_LOCK_SHARE));
	assert_true(has_target(&set->stmts[3], "pgdeck_item",
	    MIG_LOCK_ROW_SHARE));
	mig_set_free(set);
	mig_catalog_free(cat);
	exec_ok("DROP TABLE pgdeck_ev, pgdeck_cu, pgdeck_ord, pgdeck_item");
	exec_ok("DROP DOMAIN pgdeck_posi");
}

/* Runs pgdeck on the server with 'extra' options; returns its stdout
 * (caller frees) and exit status. */
static char *
run(const char *extra, int *status)
{
	const char *pgdeck = getenv("PGDECK");
	char *cmd, *out = NULL;
	struct strbuf sb;
	char buf[4096];
	size_t n;
	FILE *fp;

	assert_non_null(pgdeck);
	cmd = xstrfmt("XDG_STATE_HOME='%s/state' '%s' --no-config migrate "
	    "-d '%s' %s --runbook - '%s/m.sql' 2>'%s/stderr'", dir, pgdeck,
	    conninfo, extra, dir, dir);
	strbuf_init(&sb, 4096);
	fp = popen(cmd, "r");
	assert_non_null(fp);
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		strbuf_add(&sb, buf, n);
	*status = pclose(fp);
	free(cmd);
	out = strbuf_detach(&sb);
	return out;
}

static int
rates_rows(const char *state)
{
	char *pattern = xstrfmt("%s/pgdeck", state);
	char path[512];
	sqlite3 *db;
	sqlite3_stmt *st;
	int n = -1;
	FILE *ls;
	char *cmd = xstrfmt("ls '%s'/*.db 2>/dev/null | head -1", pattern);

	ls = popen(cmd, "r");
	free(cmd);
	free(pattern);
	if (ls == NULL || fgets(path, sizeof path, ls) == NULL) {
		if (ls != NULL)
			pclose(ls);
		return -1;
	}
	pclose(ls);
	path[strcspn(path, "\n")] = '\0';
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM rates WHERE"
	    " sort_ms > 0 AND read_bytes_s > 0", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static void
test_rates_kept_per_server(void **state)
{
	char *path = xstrfmt("%s/m.sql", dir), *state_dir, *out;
	FILE *fp = fopen(path, "w");
	int status;

	(void)state;
	assert_non_null(fp);
	fputs(migration, fp);
	fclose(fp);
	state_dir = xstrfmt("%s/state", dir);

	/* --no-history: calibrated, nothing written. */
	out = run("--no-history", &status);
	assert_int_equal(status, 0);
	assert_non_null(strstr(out, "rates: calibrated on this server: sort"));
	assert_int_equal(access(state_dir, F_OK), -1);
	free(out);

	/* First run: measured and kept. */
	out = run("", &status);
	assert_int_equal(status, 0);
	assert_non_null(strstr(out, "rates: calibrated on this server: sort"));
	assert_int_equal(rates_rows(state_dir), 1);
	free(out);

	/* Second run: taken from the history file. */
	out = run("", &status);
	assert_int_equal(status, 0);
	if (strstr(out, "calibrated on this server (kept from ") == NULL)
		fail_msg("second run did not use the kept rates:\n%.400s", out);
	free(out);

	/* --recalibrate measures again, and keeps one row per server. */
	out = run("--recalibrate", &status);
	assert_int_equal(status, 0);
	assert_non_null(strstr(out, "rates: calibrated on this server: sort"));
	assert_int_equal(rates_rows(state_dir), 1);
	free(out);
	free(state_dir);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_estimates_from_server),
		cmocka_unit_test(test_catalog_reaches_related),
		cmocka_unit_test(test_rates_kept_per_server),
	};
	const char *ci = getenv("CI");

	conninfo = getenv("PGDECK_TEST_CONNINFO");
	if (conninfo == NULL) {
		if (ci != NULL && strcmp(ci, "true") == 0) {
			fprintf(stderr, "test_migrate_server: CI=true but no test"
			    " server (PGDECK_TEST_CONNINFO unset): failing\n");
			return 1;
		}
		fprintf(stderr, "\n*** test_migrate_server: SKIPPED: no"
		    " PostgreSQL (run tests through scripts/test) ***\n\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
