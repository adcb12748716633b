/*
 * test_stmt.c - pg_stat_statements deltas: a rate only when both samples
 * saw the same entry counting upwards under the same stats_reset; shared
 * query texts; the key index; the hints; and sql_redact().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "stats/stmt.h"
#include "store/history.h"

#define EPS	1e-9

/* An entry with every counter derived from 'base'. */
static void
fill(struct stmt *st, int64_t queryid, int64_t base)
{
	memset(st, 0, sizeof *st);
	st->queryid = queryid;
	st->userid = 10;
	st->dbid = 5;
	st->toplevel = 1;
	st->calls = base;
	st->plans = base / 2;
	st->rows = base * 3;
	st->exec_ms = (double)base * 1.25;
	st->plan_ms = (double)base * 0.5;
	st->io_ms = (double)base * 0.25;
	st->blks_hit = base * 10;
	st->blks_read = base * 2;
	st->blks_dirtied = base;
	st->temp_read = base * 4;
	st->temp_written = base * 5;
	st->wal_bytes = base * 100;
}

static void
info_ok(struct stmt_info *info)
{
	memset(info, 0, sizeof *info);
	info->status = STMTS_OK;
	info->dealloc = 0;
	info->stats_reset = 1700000000.0;
	info->interval = NAN;
}

/* The d_ fields equal the entry's own counters (no earlier sample). */
static void
assert_delta_is_own(const struct stmt *st)
{
	assert_true(st->have_delta);
	assert_true(fabs(st->d_calls - (double)st->calls) < EPS);
	assert_true(fabs(st->d_exec_ms - st->exec_ms) < EPS);
	assert_true(fabs(st->d_plan_ms - st->plan_ms) < EPS);
	assert_true(fabs(st->d_rows - (double)st->rows) < EPS);
	assert_true(fabs(st->d_io_ms - st->io_ms) < EPS);
	assert_true(fabs(st->d_hit - (double)st->blks_hit) < EPS);
	assert_true(fabs(st->d_read - (double)st->blks_read) < EPS);
	assert_true(fabs(st->d_temp -
	    (double)(st->temp_read + st->temp_written)) < EPS);
	assert_true(fabs(st->d_wal - (double)st->wal_bytes) < EPS);
}

static void
assert_no_negative_delta(const struct stmt *st)
{
	assert_true(st->d_calls >= 0);
	assert_true(st->d_exec_ms >= 0);
	assert_true(st->d_plan_ms >= 0);
	assert_true(st->d_rows >= 0);
	assert_true(st->d_io_ms >= 0);
	assert_true(st->d_hit >= 0);
	assert_true(st->d_read >= 0);
	assert_true(st->d_temp >= 0);
	assert_true(st->d_wal >= 0);
}

static void
assert_no_deltas(const struct stmt *st, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		assert_int_equal(st[i].change, STMT_SAME);
		assert_false(st[i].have_delta);
	}
}

/* A snapshot with 'n' entries, queryids 1..n, counters base + queryid. */
static struct snapshot *
snap(int64_t taken_ms, const char *system_id, size_t n, int64_t base)
{
	struct snapshot	*s = snapshot_new();
	size_t		 i;

	s->taken_ms = taken_ms;
	s->system_id = snapshot_strdup(s, system_id);
	info_ok(&s->stmt_info);
	s->nstmts = n;
	s->stmts = calloc(n + 1, sizeof *s->stmts);
	assert_non_null(s->stmts);
	for (i = 0; i < n; i++)
		fill(&s->stmts[i], (int64_t)i + 1, base + (int64_t)i);
	return s;
}

static void
test_no_previous_sample(void **state)
{
	struct snapshot	*cur = snap(2000, "7001", 3, 10);
	size_t		 i;

	(void)state;
	/* Garbage in the marks must be cleared. */
	for (i = 0; i < cur->nstmts; i++) {
		cur->stmts[i].change = STMT_RESET;
		cur->stmts[i].have_delta = 1;
	}
	cur->stmt_info.evicted = 99;
	snapshot_derive_stmts(cur, NULL);
	assert_no_deltas(cur->stmts, cur->nstmts);
	assert_true(isnan(cur->stmt_info.interval));
	assert_int_equal(cur->stmt_info.evicted, 0);
	assert_false(cur->stmt_info.reset);
	assert_true(cur->stmt_info.d_exec_ms == 0);
	for (i = 0; i < cur->nstmts; i++)
		assert_true(isnan(stmt_rate(&cur->stmts[i],
		    cur->stmts[i].d_calls, &cur->stmt_info)));
	snapshot_unref(cur);
}

static void
test_steady_counters(void **state)
{
	struct snapshot	*prev = snap(10000, "7001", 3, 10);
	struct snapshot	*cur = snap(12000, "7001", 3, 10);
	struct stmt	*st;
	size_t		 i;

	(void)state;
	/* Entry 1: 5 more calls, 6.25 ms, 1.5 ms planning in 2 seconds. */
	st = &cur->stmts[0];
	st->calls += 5;
	st->plans += 3;
	st->rows += 15;
	st->exec_ms += 6.25;
	st->plan_ms += 1.5;
	st->io_ms += 0.75;
	st->blks_hit += 40;
	st->blks_read += 8;
	st->temp_read += 2;
	st->temp_written += 6;
	st->wal_bytes += 1000;
	snapshot_derive_stmts(cur, prev);
	assert_true(fabs(cur->stmt_info.interval - 2.0) < EPS);
	assert_int_equal(st->change, STMT_SAME);
	assert_true(st->have_delta);
	assert_true(fabs(st->d_calls - 5) < EPS);
	assert_true(fabs(st->d_exec_ms - 6.25) < EPS);
	assert_true(fabs(st->d_plan_ms - 1.5) < EPS);
	assert_true(fabs(st->d_rows - 15) < EPS);
	assert_true(fabs(st->d_io_ms - 0.75) < EPS);
	assert_true(fabs(st->d_hit - 40) < EPS);
	assert_true(fabs(st->d_read - 8) < EPS);
	assert_true(fabs(st->d_temp - 8) < EPS);
	assert_true(fabs(st->d_wal - 1000) < EPS);
	assert_true(fabs(stmt_rate(st, st->d_calls, &cur->stmt_info) - 2.5) <
	    EPS);
	assert_true(fabs(stmt_rate(st, st->d_exec_ms, &cur->stmt_info) -
	    3.125) < EPS);
	assert_true(fabs(stmt_rate(st, st->d_wal, &cur->stmt_info) - 500) <
	    EPS);
	/* The quiet ones: a delta of zero, not "no delta". */
	for (i = 1; i < 3; i++) {
		assert_int_equal(cur->stmts[i].change, STMT_SAME);
		assert_true(cur->stmts[i].have_delta);
		assert_true(cur->stmts[i].d_calls == 0);
		assert_true(cur->stmts[i].d_exec_ms == 0);
		assert_true(stmt_rate(&cur->stmts[i], cur->stmts[i].d_calls,
		    &cur->stmt_info) == 0);
	}
	assert_int_equal(cur->stmt_info.evicted, 0);
	assert_false(cur->stmt_info.reset);
	snapshot_unref(prev);
	snapshot_unref(cur);
}

static void
test_order_does_not_matter(void **state)
{
	struct snapshot	*prev = snap(10000, "7001", 50, 10);
	struct snapshot	*cur = snap(11000, "7001", 50, 10);
	struct stmt	 tmp;
	size_t		 i;

	(void)state;
	/* Reverse the current entries, then add one call to each. */
	for (i = 0; i < 25; i++) {
		tmp = cur->stmts[i];
		cur->stmts[i] = cur->stmts[49 - i];
		cur->stmts[49 - i] = tmp;
	}
	for (i = 0; i < 50; i++)
		cur->stmts[i].calls += (int64_t)cur->stmts[i].queryid;
	snapshot_derive_stmts(cur, prev);
	for (i = 0; i < 50; i++) {
		assert_int_equal(cur->stmts[i].change, STMT_SAME);
		assert_true(fabs(cur->stmts[i].d_calls -
		    (double)cur->stmts[i].queryid) < EPS);
	}
	snapshot_unref(prev);
	snapshot_unref(cur);
}

static void
test_key_is_all_four_fields(void **state)
{
	struct snapshot	*prev = snap(10000, "7001", 1, 10);
	struct snapshot	*cur = snap(11000, "7001", 4, 10);
	size_t		 i;

	(void)state;
	/* Same queryid as prev's only entry, one other key field each. */
	for (i = 0; i < 4; i++)
		fill(&cur->stmts[i], 1, 20);
	cur->stmts[1].userid = 11;
	cur->stmts[2].dbid = 6;
	cur->stmts[3].toplevel = 0;
	snapshot_derive_stmts(cur, prev);
	assert_int_equal(cur->stmts[0].change, STMT_SAME);
	assert_true(fabs(cur->stmts[0].d_calls - 10) < EPS);
	for (i = 1; i < 4; i++) {
		assert_int_equal(cur->stmts[i].change, STMT_NEW);
		assert_delta_is_own(&cur->stmts[i]);
	}
	snapshot_unref(prev);
	snapshot_unref(cur);
}

static void
test_new_entry(void **state)
{
	struct snapshot	*prev = snap(10000, "7001", 2, 10);
	struct snapshot	*cur = snap(15000, "7001", 3, 10);
	struct stmt	*st = &cur->stmts[2];

	(void)state;
	fill(st, 999, 40);
	snapshot_derive_stmts(cur, prev);
	assert_int_equal(cur->stmts[0].change, STMT_SAME);
	assert_int_equal(cur->stmts[1].change, STMT_SAME);
	assert_int_equal(st->change, STMT_NEW);
	assert_delta_is_own(st);
	/* Its counters accrued inside the interval: 40 calls in 5 s. */
	assert_true(fabs(stmt_rate(st, st->d_calls, &cur->stmt_info) - 8) <
	    EPS);
	snapshot_unref(prev);
	snapshot_unref(cur);
}

/* One counter of the entry goes down: the entry was reset. */
static void
check_went_down(int which)
{
	struct snapshot	*prev = snap(10000, "7001", 2, 100);
	struct snapshot	*cur = snap(11000, "7001", 2, 100);
	struct stmt	*st = &cur->stmts[0];

	/* Everything else grew a little, as a re-created entry may. */
	fill(st, 1, 101);
	switch (which) {
	case 0: st->calls = 3; break;
	case 1: st->plans = 3; break;
	case 2: st->rows = 3; break;
	case 3: st->exec_ms = 3; break;
	case 4: st->plan_ms = 3; break;
	case 5: st->blks_hit = 3; break;
	case 6: st->blks_read = 3; break;
	case 7: st->temp_read = 3; break;
	case 8: st->temp_written = 3; break;
	case 9: st->wal_bytes = 3; break;
	case 10: st->io_ms = 3; break;
	}
	snapshot_derive_stmts(cur, prev);
	print_message("counter %d went down\n", which);
	assert_int_equal(st->change, STMT_RESET);
	assert_delta_is_own(st);
	assert_no_negative_delta(st);
	/* The other entry is untouched by it. */
	assert_int_equal(cur->stmts[1].change, STMT_SAME);
	assert_true(cur->stmts[1].d_calls == 0);
	assert_false(cur->stmt_info.reset);
	snapshot_unref(prev);
	snapshot_unref(cur);
}

static void
test_counter_went_down(void **state)
{
	int	which;

	(void)state;
	/*
	 * 10 is io_ms (blk_read_time + blk_write_time), which went_down()
	 * in src/stats/stmt.c does not look at: see the report.
	 */
	for (which = 0; which <= 9; which++)
		check_went_down(which);
}

/*
 * KNOWN BUG (src/stats/stmt.c, went_down()): io_ms is not compared, so
 * an entry whose io_ms went down while the other counters did not (an
 * evicted entry re-created with more calls) stays STMT_SAME with a
 * negative d_io_ms.  Skipped until fixed: delete the skip() to re-enable.
 */
static void
test_io_ms_went_down(void **state)
{
	(void)state;
	check_went_down(10);
}

static void
test_float_wobble_is_not_a_reset(void **state)
{
	struct snapshot	*prev = snap(10000, "7001", 1, 100);
	struct snapshot	*cur = snap(11000, "7001", 1, 100);

	(void)state;
	cur->stmts[0].exec_ms -= 1e-9;
	snapshot_derive_stmts(cur, prev);
	assert_int_equal(cur->stmts[0].change, STMT_SAME);
	snapshot_unref(prev);
	snapshot_unref(cur);
}

static void
test_stats_reset_changed(void **state)
{
	struct snapshot	*prev = snap(10000, "7001", 3, 10);
	struct snapshot	*cur = snap(11000, "7001", 3, 50);
	size_t		 i;

	(void)state;
	cur->stmt_info.stats_reset = prev->stmt_info.stats_reset + 500;
	cur->stmt_info.dealloc = 7;	/* after a reset: not evictions */
	snapshot_derive_stmts(cur, prev);
	assert_true(cur->stmt_info.reset);
	assert_int_equal(cur->stmt_info.evicted, 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(cur->stmts[i].change, STMT_RESET);
		assert_delta_is_own(&cur->stmts[i]);
	}
	snapshot_unref(prev);
	snapshot_unref(cur);

	/* An unknown stats_reset on one side is not a reset. */
	prev = snap(10000, "7001", 1, 10);
	cur = snap(11000, "7001", 1, 11);
	prev->stmt_info.stats_reset = NAN;
	snapshot_derive_stmts(cur, prev);
	assert_false(cur->stmt_info.reset);
	assert_int_equal(cur->stmts[0].change, STMT_SAME);
	assert_true(fabs(cur->stmts[0].d_calls - 1) < EPS);
	snapshot_unref(prev);
	snapshot_unref(cur);
}

static void
test_dealloc_growth(void **state)
{
	struct snapshot	*prev = snap(10000, "7001", 2, 10);
	struct snapshot	*cur = snap(11000, "7001", 2, 10);

	(void)state;
	prev->stmt_info.dealloc = 40;
	cur->stmt_info.dealloc = 47;
	snapshot_derive_stmts(cur, prev);
	assert_int_equal(cur->stmt_info.evicted, 7);
	assert_false(cur->stmt_info.reset);
	assert_int_equal(cur->stmts[0].change, STMT_SAME);

	/* Unknown (-1) on either side, or no growth: none. */
	prev->stmt_info.dealloc = -1;
	snapshot_derive_stmts(cur, prev);
	assert_int_equal(cur->stmt_info.evicted, 0);
	prev->stmt_info.dealloc = 47;
	cur->stmt_info.dealloc = -1;
	snapshot_derive_stmts(cur, prev);
	assert_int_equal(cur->stmt_info.evicted, 0);
	cur->stmt_info.dealloc = 47;
	snapshot_derive_stmts(cur, prev);
	assert_int_equal(cur->stmt_info.evicted, 0);
	snapshot_unref(prev);
	snapshot_unref(cur);
}

static void
test_other_system_id(void **state)
{
	struct snapshot	*prev = snap(10000, "7001", 3, 10);
	struct snapshot	*cur = snap(11000, "7002", 3, 20);

	(void)state;
	snapshot_derive_stmts(cur, prev);
	assert_no_deltas(cur->stmts, cur->nstmts);
	assert_true(isnan(cur->stmt_info.interval));
	assert_true(cur->stmt_info.d_exec_ms == 0);
	snapshot_unref(cur);

	/* The same cluster, or one side unknown: compared. */
	cur = snap(11000, "7001", 3, 20);
	snapshot_derive_stmts(cur, prev);
	assert_true(cur->stmts[0].have_delta);
	snapshot_unref(cur);
	cur = snap(11000, NULL, 3, 20);
	snapshot_derive_stmts(cur, prev);
	assert_true(cur->stmts[0].have_delta);
	snapshot_unref(cur);
	snapshot_unref(prev);
}

static void
test_time_did_not_advance(void **state)
{
	struct snapshot	*prev = snap(10000, "7001", 2, 10);
	struct snapshot	*cur = snap(10000, "7001", 2, 20);

	(void)state;
	snapshot_derive_stmts(cur, prev);
	assert_no_deltas(cur->stmts, cur->nstmts);
	cur->taken_ms = 9000;
	snapshot_derive_stmts(cur, prev);
	assert_no_deltas(cur->stmts, cur->nstmts);
	snapshot_unref(prev);
	snapshot_unref(cur);
}

static void
test_d_exec_ms_sums(void **state)
{
	struct snapshot	*prev = snap(10000, "7001", 3, 10);
	struct snapshot	*cur = snap(11000, "7001", 4, 10);

	(void)state;
	cur->stmts[0].exec_ms += 2.5;		/* steady: 2.5 */
	cur->stmts[1].exec_ms = 0.5;		/* went down: 0.5 */
	fill(&cur->stmts[3], 77, 8);		/* new: 8 * 1.25 = 10 */
	snapshot_derive_stmts(cur, prev);
	assert_int_equal(cur->stmts[1].change, STMT_RESET);
	assert_int_equal(cur->stmts[3].change, STMT_NEW);
	assert_true(fabs(cur->stmt_info.d_exec_ms - 13.0) < EPS);
	snapshot_unref(prev);
	snapshot_unref(cur);
}

static void
test_prev_status_not_ok(void **state)
{
	static const int	 bad[] = { STMTS_UNKNOWN, STMTS_MISSING,
	    STMTS_NOT_LOADED, STMTS_OLD_SERVER, STMTS_ERROR };
	struct snapshot		*prev, *cur;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		prev = snap(10000, "7001", 2, 10);
		cur = snap(11000, "7001", 2, 20);
		prev->stmt_info.status = bad[i];
		prev->stmt_info.dealloc = 0;
		cur->stmt_info.dealloc = 5;
		snapshot_derive_stmts(cur, prev);
		assert_no_deltas(cur->stmts, cur->nstmts);
		assert_int_equal(cur->stmt_info.evicted, 0);
		assert_false(cur->stmt_info.reset);
		snapshot_unref(prev);
		snapshot_unref(cur);
	}
	/* And the current one not OK either. */
	prev = snap(10000, "7001", 2, 10);
	cur = snap(11000, "7001", 2, 20);
	cur->stmt_info.status = STMTS_ERROR;
	snapshot_derive_stmts(cur, prev);
	assert_no_deltas(cur->stmts, cur->nstmts);
	snapshot_unref(prev);
	snapshot_unref(cur);
}

static void
test_stmts_derive_direct(void **state)
{
	struct stmt		prev[2], cur[2];
	struct stmt_info	pinfo, info;

	(void)state;
	fill(&prev[0], 1, 10);
	fill(&prev[1], 2, 10);
	fill(&cur[0], 1, 14);
	fill(&cur[1], 2, 10);
	info_ok(&pinfo);
	info_ok(&info);
	stmts_derive(cur, 2, &info, prev, 2, &pinfo, 4.0);
	assert_true(fabs(cur[0].d_calls - 4) < EPS);
	assert_true(fabs(stmt_rate(&cur[0], cur[0].d_calls, &info) - 1) < EPS);
	/* No interval: no rates, even with an earlier sample. */
	stmts_derive(cur, 2, &info, prev, 2, &pinfo, NAN);
	assert_no_deltas(cur, 2);
	stmts_derive(cur, 2, &info, prev, 2, &pinfo, 0);
	assert_no_deltas(cur, 2);
	/* Nothing to compare against. */
	stmts_derive(cur, 2, &info, NULL, 0, NULL, 4.0);
	assert_no_deltas(cur, 2);
	/* An empty previous sample: everything is new. */
	stmts_derive(cur, 2, &info, NULL, 0, &pinfo, 4.0);
	assert_int_equal(cur[0].change, STMT_NEW);
	assert_int_equal(cur[1].change, STMT_NEW);
	assert_delta_is_own(&cur[1]);
	/* No current entries. */
	stmts_derive(NULL, 0, &info, prev, 2, &pinfo, 4.0);
	assert_true(info.d_exec_ms == 0);
}

static void
test_qtexts(void **state)
{
	struct qtexts	*q = qtexts_new();
	const char	*a, *b;
	char		 buf[64];
	int64_t		 id;
	int		 i;

	(void)state;
	assert_null(qtexts_get(NULL, 1));
	assert_int_equal(qtexts_count(NULL), 0);
	assert_null(qtexts_get(q, 1));
	assert_int_equal(qtexts_count(q), 0);

	a = qtexts_put(q, 42, "SELECT $1");
	assert_string_equal(a, "SELECT $1");
	assert_string_equal(qtexts_get(q, 42), "SELECT $1");
	/* First one wins, and the same copy comes back. */
	b = qtexts_put(q, 42, "SELECT other");
	assert_ptr_equal(a, b);
	assert_string_equal(qtexts_get(q, 42), "SELECT $1");
	assert_int_equal(qtexts_count(q), 1);
	/* Zero, negative and extreme ids are ids like any other. */
	qtexts_put(q, 0, "zero");
	qtexts_put(q, -1, "minus one");
	qtexts_put(q, INT64_MIN, "min");
	qtexts_put(q, INT64_MAX, "max");
	assert_string_equal(qtexts_get(q, 0), "zero");
	assert_string_equal(qtexts_get(q, -1), "minus one");
	assert_string_equal(qtexts_get(q, INT64_MIN), "min");
	assert_string_equal(qtexts_get(q, INT64_MAX), "max");
	assert_null(qtexts_get(q, 43));

	/* Growth well past 10,000 ids keeps every text. */
	for (i = 0; i < 12000; i++) {
		id = (int64_t)i * 7919 - 5000000;
		snprintf(buf, sizeof buf, "SELECT %d", i);
		assert_string_equal(qtexts_put(q, id, buf), buf);
	}
	assert_int_equal(qtexts_count(q), 12005);
	for (i = 0; i < 12000; i++) {
		id = (int64_t)i * 7919 - 5000000;
		snprintf(buf, sizeof buf, "SELECT %d", i);
		assert_non_null(qtexts_get(q, id));
		assert_string_equal(qtexts_get(q, id), buf);
	}
	assert_string_equal(qtexts_get(q, 42), "SELECT $1");
	assert_null(qtexts_get(q, 123456789012));

	/* References: the texts live until the last one drops. */
	assert_ptr_equal(qtexts_ref(q), q);
	qtexts_unref(q);
	assert_string_equal(qtexts_get(q, 0), "zero");
	qtexts_unref(q);
	qtexts_unref(NULL);
	assert_null(qtexts_ref(NULL));
}

static void
test_index_5000(void **state)
{
	struct stmt_index	 ix;
	struct stmt		*st, key;
	size_t			 i, n = 5000;

	(void)state;
	st = calloc(n, sizeof *st);
	assert_non_null(st);
	/* Keys that differ in one field only, in groups of four. */
	for (i = 0; i < n; i++) {
		st[i].queryid = (int64_t)(i / 4) * -104729;
		st[i].userid = 10 + (uint32_t)(i % 4 == 1);
		st[i].dbid = 5 + (uint32_t)(i % 4 == 2);
		st[i].toplevel = i % 4 != 3;
	}
	stmt_index_build(&ix, st, n);
	for (i = 0; i < n; i++) {
		key = st[i];
		assert_ptr_equal(stmt_index_find(&ix, &key), &st[i]);
	}
	memset(&key, 0, sizeof key);
	key.queryid = 1;
	key.userid = 10;
	key.dbid = 5;
	key.toplevel = 1;
	assert_null(stmt_index_find(&ix, &key));
	key.queryid = -104729;
	key.userid = 11;
	key.dbid = 6;
	assert_null(stmt_index_find(&ix, &key));
	stmt_index_free(&ix);
	assert_null(ix.slots);
	assert_null(stmt_index_find(&ix, &st[0]));

	/* An empty index finds nothing. */
	stmt_index_build(&ix, st, 0);
	assert_null(stmt_index_find(&ix, &st[0]));
	stmt_index_free(&ix);
	free(st);
}

static void
test_hints(void **state)
{
	struct stmt_info	 info;
	const char		*h;

	(void)state;
	memset(&info, 0, sizeof info);
	info.status = STMTS_OK;
	assert_null(stmt_info_hint(&info));
	info.hint = "only your own statements are visible";
	assert_string_equal(stmt_info_hint(&info),
	    "only your own statements are visible");

	info.hint = NULL;
	info.status = STMTS_UNKNOWN;
	assert_non_null(h = stmt_info_hint(&info));
	assert_non_null(strstr(h, "waiting"));

	info.status = STMTS_MISSING;
	assert_non_null(h = stmt_info_hint(&info));
	assert_non_null(strstr(h, "CREATE EXTENSION pg_stat_statements"));

	info.status = STMTS_NOT_LOADED;
	assert_non_null(h = stmt_info_hint(&info));
	assert_non_null(strstr(h, "shared_preload_libraries"));
	assert_non_null(strstr(h, "restart"));

	info.status = STMTS_OLD_SERVER;
	assert_non_null(h = stmt_info_hint(&info));
	assert_non_null(strstr(h, "PostgreSQL 13"));

	info.status = STMTS_ERROR;
	assert_non_null(h = stmt_info_hint(&info));
	assert_non_null(strstr(h, "pg_stat_statements"));
	info.hint = "permission denied for function pg_stat_statements";
	assert_string_equal(stmt_info_hint(&info), info.hint);

	/* A status from a newer file is not a crash. */
	info.status = 1234;
	info.hint = NULL;
	assert_non_null(stmt_info_hint(&info));
}

/* sql_redact() */

static void
assert_redacts(const char *in, const char *want)
{
	char	*out = sql_redact(in);

	assert_non_null(out);
	if (strcmp(out, want) != 0)
		print_error("sql_redact(%s)\n  got  %s\n  want %s\n", in, out,
		    want);
	assert_string_equal(out, want);
	free(out);
}

static void
test_redact_strings(void **state)
{
	(void)state;
	assert_redacts("SELECT 'abc'", "SELECT ?");
	assert_redacts("WHERE a = 'it''s' AND b = 'x'",
	    "WHERE a = ? AND b = ?");
	assert_redacts("SELECT ''", "SELECT ?");
	assert_redacts("SELECT '''', ''''''", "SELECT ?, ?");
	/* Standard strings: a backslash is just a character. */
	assert_redacts("SELECT 'a\\', 'b'", "SELECT ?, ?");
	/* E'..': a backslash escapes the quote. */
	assert_redacts("SELECT E'it\\'s', t FROM u",
	    "SELECT E?, t FROM u");
	assert_redacts("SELECT e'a\\\\', 'b'", "SELECT e?, ?");
	assert_redacts("SELECT x FROM t WHERE note=E'\\'; DROP TABLE t; --'",
	    "SELECT x FROM t WHERE note=E?");
	/* Only an E right before the quote makes an E string. */
	assert_redacts("SELECT name||'a\\', 1", "SELECT name||?, ?");
	/* Dollar quoting, with and without a tag. */
	assert_redacts("SELECT $$it's 42$$, 1", "SELECT ?, ?");
	assert_redacts("DO $body$ BEGIN RAISE 'x $$ 1'; END $body$",
	    "DO ?");
	assert_redacts("SELECT $a$x$b$y$a$ || $b$z$b$", "SELECT ? || ?");
	assert_redacts("SELECT U&'d\\0061t', B'0101', X'1F'",
	    "SELECT U&?, B?, X?");
}

static void
test_redact_numbers(void **state)
{
	(void)state;
	assert_redacts("SELECT 1", "SELECT ?");
	assert_redacts("SELECT 1.5, 1e-3, .5, 2E+10, 42.",
	    "SELECT ?, ?, ?, ?, ?");
	assert_redacts("LIMIT 10 OFFSET 20", "LIMIT ? OFFSET ?");
	assert_redacts("WHERE x>-1 AND y<2", "WHERE x>-? AND y<?");
	assert_redacts("SELECT a+1-2*3/4", "SELECT a+?-?*?/?");
	assert_redacts("SELECT 1_000_000", "SELECT ?");
	assert_redacts("SELECT x::numeric(10,2)", "SELECT x::numeric(?,?)");
	assert_redacts("SELECT arr[1]", "SELECT arr[?]");
}

static void
test_redact_keeps_the_rest(void **state)
{
	(void)state;
	assert_redacts("SELECT t1.col_2 FROM t1", "SELECT t1.col_2 FROM t1");
	assert_redacts("SELECT a1b2c3, x_9, \"Col 5\" FROM s1.t2",
	    "SELECT a1b2c3, x_9, \"Col 5\" FROM s1.t2");
	assert_redacts("SELECT \"quoted 'x'\" FROM \"t 1\"",
	    "SELECT \"quoted 'x'\" FROM \"t 1\"");
	assert_redacts("SELECT * FROM t WHERE a = $1 AND b = $12",
	    "SELECT * FROM t WHERE a = $1 AND b = $12");
	assert_redacts("SELECT 1 -- it's 42\nFROM t",
	    "SELECT ? -- it's 42\nFROM t");
	assert_redacts("SELECT /* 'x' 42 */ 7", "SELECT /* 'x' 42 */ ?");
	assert_redacts("SELECT col$1, a$b FROM t", "SELECT col$1, a$b FROM t");
	assert_redacts("SELECT café2 FROM tëst3", "SELECT café2 FROM tëst3");
	assert_redacts("", "");
	assert_redacts("SELECT now()", "SELECT now()");
}

static void
test_redact_unclosed(void **state)
{
	static const char	*const bad[] = {
		"SELECT 'abc", "SELECT E'abc\\", "SELECT E'\\", "SELECT '",
		"SELECT $$abc", "SELECT $a$abc$a", "SELECT \"abc",
		"SELECT /* abc", "SELECT 1 --", "'", "E'", "$$", "\"", "$",
		"$a", "$a$", ".", "1e", "1e-", "SELECT 'a''", "-", "/*",
		"/", "E", "e'\\'",
	};
	char			*out;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		out = sql_redact(bad[i]);
		assert_non_null(out);
		assert_true(strlen(out) <= strlen(bad[i]) + 1);
		free(out);
	}
	/* The literal's content never leaks, closed or not. */
	out = sql_redact("SELECT 'hunter2");
	assert_string_equal(out, "SELECT ?");
	free(out);
	out = sql_redact("SELECT $x$hunter2");
	assert_string_equal(out, "SELECT ?");
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_previous_sample),
		cmocka_unit_test(test_steady_counters),
		cmocka_unit_test(test_order_does_not_matter),
		cmocka_unit_test(test_key_is_all_four_fields),
		cmocka_unit_test(test_new_entry),
		cmocka_unit_test(test_counter_went_down),
		cmocka_unit_test(test_io_ms_went_down),
		cmocka_unit_test(test_float_wobble_is_not_a_reset),
		cmocka_unit_test(test_stats_reset_changed),
		cmocka_unit_test(test_dealloc_growth),
		cmocka_unit_test(test_other_system_id),
		cmocka_unit_test(test_time_did_not_advance),
		cmocka_unit_test(test_d_exec_ms_sums),
		cmocka_unit_test(test_prev_status_not_ok),
		cmocka_unit_test(test_stmts_derive_direct),
		cmocka_unit_test(test_qtexts),
		cmocka_unit_test(test_index_5000),
		cmocka_unit_test(test_hints),
		cmocka_unit_test(test_redact_strings),
		cmocka_unit_test(test_redact_numbers),
		cmocka_unit_test(test_redact_keeps_the_rest),
		cmocka_unit_test(test_redact_unclosed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
