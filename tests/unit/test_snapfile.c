/*
 * test_snapfile.c - snapshot files: round trip, damaged input refused
 * with the field named, and text that is not UTF-8 kept readable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/snapfile.h"

static struct snapshot *
make(const char *query)
{
	struct snapshot	*s = snapshot_new();
	int		*b;

	s->taken_ms = 1795229914011;
	s->source = snapshot_strdup(s, "postgres@127.0.0.1:5432/postgres");
	s->vitals.version_num = 150020;
	s->vitals.version = snapshot_strdup(s, "15.20");
	s->vitals.xacts = 1000;
	s->vitals.max_connections = 100;
	s->vitals.reserved_connections = 3;
	s->vitals.repl_lag = NAN;
	s->vitals.repl_lag_bytes = -1;
	s->vitals.slot_xmin_age = -1;
	s->vitals.prepared_xmin_age = -1;
	s->vitals.server_now = 1795229914.0;
	s->vitals.query_ms = 1.5;
	s->nsessions = 2;
	s->sessions = calloc(2, sizeof *s->sessions);
	s->sessions[0].pid = 11;
	s->sessions[0].state = snapshot_strdup(s, "idle in transaction");
	s->sessions[0].query = snapshot_strdup(s, query);
	s->sessions[0].xact_age = 12.5;
	s->sessions[0].query_age = s->sessions[0].state_age = NAN;
	s->sessions[0].backend_age = NAN;
	s->sessions[0].lock_wait = NAN;
	s->sessions[0].xmin_age = -1;
	s->sessions[1].pid = 12;
	s->sessions[1].xact_age = s->sessions[1].query_age = NAN;
	s->sessions[1].state_age = s->sessions[1].backend_age = NAN;
	s->sessions[1].lock_wait = 3.25;
	s->sessions[1].xmin_age = 77;
	s->sessions[1].lock_mode = snapshot_strdup(s, "ShareLock");
	b = snapshot_alloc(s, sizeof *b);
	b[0] = 11;
	s->sessions[1].blockers = b;
	s->sessions[1].nblockers = 1;
	return s;
}

static char *
round_trip(struct snapshot *in, struct snapshot ***out, int *n)
{
	char	 path[] = "/tmp/pgdeck-snapfile-XXXXXX", *cause = NULL;
	int	 fd = mkstemp(path);
	FILE	*f = fdopen(fd, "w");

	assert_non_null(f);
	assert_int_equal(snapfile_write(f, in), 0);
	assert_int_equal(snapfile_write(f, in), 0);
	fclose(f);
	*n = snapfile_read(path, out, &cause);
	unlink(path);
	return cause;
}

static void
test_round_trip(void **state)
{
	struct snapshot	*s = make("SELECT 1"), **back;
	char		*cause;
	int		 n;

	(void)state;
	cause = round_trip(s, &back, &n);
	if (n != 2)
		fail_msg("read back: %s", cause);
	assert_int_equal(back[1]->nsessions, 2);
	assert_string_equal(back[1]->sessions[0].query, "SELECT 1");
	assert_true(fabs(back[1]->sessions[0].xact_age - 12.5) < 1e-9);
	assert_true(isnan(back[1]->sessions[0].query_age));
	assert_int_equal(back[1]->sessions[1].nblockers, 1);
	assert_int_equal(back[1]->sessions[1].blockers[0], 11);
	assert_int_equal(back[1]->sessions[1].xmin_age, 77);
	assert_int_equal(back[1]->sessions[0].xmin_age, -1);
	assert_string_equal(back[1]->sessions[1].lock_mode, "ShareLock");
	assert_int_equal(back[1]->vitals.repl_lag_bytes, -1);
	snapfile_free(back, n);
	snapshot_unref(s);
}

/*
 * Query text from a SQL_ASCII database is not UTF-8.  Before the fix the
 * writer dropped the field and the file could not be read back.
 */
static void
test_invalid_utf8_query_reads_back(void **state)
{
	struct snapshot	*s = make("SELECT 'caf\xe9', '\xff\xfe' /* ok \xc3\xa9 */"),
			**back;
	char		*cause;
	int		 n;

	(void)state;
	cause = round_trip(s, &back, &n);
	if (n != 2)
		fail_msg("read back: %s", cause);
	assert_string_equal(back[0]->sessions[0].query,
	    "SELECT 'caf\xef\xbf\xbd', '\xef\xbf\xbd\xef\xbf\xbd' /* ok \xc3\xa9 */");
	snapfile_free(back, n);
	snapshot_unref(s);
}

static void
test_damaged_lines_name_the_field(void **state)
{
	char		*cause = NULL;
	struct snapshot	*s;
	const char	*l1 = "{\"format\":\"other\"}";
	const char	*l2 = "{\"format\":\"pgdeck-snapshot\",\"version\":9}";
	const char	*l3 = "{\"format\":";

	(void)state;
	s = snapfile_parse_line(l1, strlen(l1), &cause);
	assert_null(s);
	assert_string_equal(cause, "format: not a pgdeck snapshot");
	free(cause);
	s = snapfile_parse_line(l2, strlen(l2), &cause);
	assert_null(s);
	assert_string_equal(cause, "version: written by a newer pgdeck");
	free(cause);
	s = snapfile_parse_line(l3, strlen(l3), &cause);
	assert_null(s);
	assert_non_null(strstr(cause, "column"));
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_invalid_utf8_query_reads_back),
		cmocka_unit_test(test_damaged_lines_name_the_field),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
