/*
 * test_probe.c - rates derived between samples, int[] literals.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "live/probe.h"

/* This cmocka has no assert_double_equal. */
static void
assert_near(double got, double want, double eps)
{
	if (!(fabs(got - want) <= eps))
		fail_msg("got %.17g, expected %.17g", got, want);
}

static void
sample(struct vitals *v, double now, int64_t xacts, int64_t hit,
    int64_t read)
{
	memset(v, 0, sizeof *v);
	v->server_now = now;
	v->xacts = xacts;
	v->blks_hit = hit;
	v->blks_read = read;
	v->repl_lag = NAN;
	v->slot_xmin_age = -1;
	v->prepared_xmin_age = -1;
	/* Garbage that vitals_derive must overwrite. */
	v->interval = 123;
	v->tps = 456;
	v->hit_ratio = 789;
}

static void
test_first_sample(void **state)
{
	struct vitals	cur;

	(void)state;
	sample(&cur, 1000, 50, 10, 10);
	vitals_derive(&cur, NULL);
	assert_true(isnan(cur.interval));
	assert_true(isnan(cur.tps));
	assert_true(isnan(cur.hit_ratio));
	/* The counters themselves are left alone. */
	assert_int_equal(cur.xacts, 50);
	assert_int_equal(cur.blks_hit, 10);
}

static void
test_rates(void **state)
{
	struct vitals	prev, cur;

	(void)state;
	sample(&prev, 1000.0, 5000, 100000, 2000);
	sample(&cur, 1002.5, 5250, 100900, 2100);
	vitals_derive(&cur, &prev);
	assert_near(cur.interval, 2.5, 1e-9);
	assert_near(cur.tps, 100.0, 1e-9);
	assert_near(cur.hit_ratio, 0.9, 1e-9);
	/* prev is not touched. */
	assert_near(prev.tps, 456, 0);

	/* All hits, all reads. */
	sample(&cur, 1001, 5000, 100010, 2000);
	vitals_derive(&cur, &prev);
	assert_near(cur.hit_ratio, 1.0, 0);
	assert_near(cur.tps, 0, 0);
	sample(&cur, 1001, 5001, 100000, 2004);
	vitals_derive(&cur, &prev);
	assert_near(cur.hit_ratio, 0.0, 0);
	assert_near(cur.tps, 1, 1e-12);
}

static void
test_no_block_traffic(void **state)
{
	struct vitals	prev, cur;

	(void)state;
	sample(&prev, 10, 1, 500, 500);
	sample(&cur, 12, 9, 500, 500);
	vitals_derive(&cur, &prev);
	assert_near(cur.interval, 2, 0);
	assert_near(cur.tps, 4, 1e-12);
	assert_true(isnan(cur.hit_ratio));
}

static void
test_counters_backwards(void **state)
{
	struct vitals	prev, cur;

	(void)state;
	/* Stats reset: xacts fell, blocks fell. */
	sample(&prev, 100, 9000, 5000, 500);
	sample(&cur, 102, 10, 20, 5);
	vitals_derive(&cur, &prev);
	assert_near(cur.interval, 2, 0);
	assert_true(isnan(cur.tps));
	assert_true(isnan(cur.hit_ratio));

	/* Only blks_read went backwards: the ratio is unknown, tps fine. */
	sample(&cur, 102, 9010, 6000, 400);
	vitals_derive(&cur, &prev);
	assert_near(cur.tps, 5, 1e-12);
	assert_true(isnan(cur.hit_ratio));

	/* Only blks_hit went backwards. */
	sample(&cur, 102, 9010, 4000, 600);
	vitals_derive(&cur, &prev);
	assert_true(isnan(cur.hit_ratio));
}

static void
test_zero_or_negative_interval(void **state)
{
	struct vitals	prev, cur;

	(void)state;
	sample(&prev, 100, 1, 1, 1);
	sample(&cur, 100, 50, 50, 50);
	vitals_derive(&cur, &prev);
	assert_true(isnan(cur.interval));
	assert_true(isnan(cur.tps));
	assert_true(isnan(cur.hit_ratio));

	sample(&cur, 99, 50, 50, 50);
	vitals_derive(&cur, &prev);
	assert_true(isnan(cur.interval));
	assert_true(isnan(cur.tps));

	/* An unknown server clock on either side. */
	sample(&cur, NAN, 50, 50, 50);
	vitals_derive(&cur, &prev);
	assert_true(isnan(cur.tps));
	sample(&prev, NAN, 1, 1, 1);
	sample(&cur, 100, 50, 50, 50);
	vitals_derive(&cur, &prev);
	assert_true(isnan(cur.tps));
	assert_true(isnan(cur.interval));
}

static void
test_parse_int_array(void **state)
{
	int	out[8];

	(void)state;
	memset(out, 0x55, sizeof out);
	assert_int_equal(parse_int_array("{}", out, 8), 0);
	assert_int_equal(parse_int_array("{1}", out, 8), 1);
	assert_int_equal(out[0], 1);
	assert_int_equal(parse_int_array("{1,2,3}", out, 8), 3);
	assert_int_equal(out[0], 1);
	assert_int_equal(out[1], 2);
	assert_int_equal(out[2], 3);
	assert_int_equal(parse_int_array("{4711,0,-2,2147483647}", out, 8), 4);
	assert_int_equal(out[0], 4711);
	assert_int_equal(out[1], 0);
	assert_int_equal(out[2], -2);
	assert_int_equal(out[3], 2147483647);
}

static void
test_parse_int_array_bad(void **state)
{
	int	out[4] = { -7, -7, -7, -7 };

	(void)state;
	assert_int_equal(parse_int_array(NULL, out, 4), 0);
	assert_int_equal(parse_int_array("", out, 4), 0);
	assert_int_equal(parse_int_array("1,2", out, 4), 0);
	assert_int_equal(parse_int_array("garbage", out, 4), 0);
	assert_int_equal(parse_int_array("{abc}", out, 4), 0);
	assert_int_equal(parse_int_array("{", out, 4), 0);
	assert_int_equal(out[0], -7);
	/* Stops at the first thing that is not a number. */
	assert_int_equal(parse_int_array("{5,x,6}", out, 4), 1);
	assert_int_equal(out[0], 5);
	assert_int_equal(out[1], -7);
	/* An unterminated list keeps what it read. */
	assert_int_equal(parse_int_array("{8,9", out, 4), 2);
	assert_int_equal(out[1], 9);
}

static void
test_parse_int_array_capacity(void **state)
{
	int	out[4] = { 0, 0, 0, -1 };

	(void)state;
	assert_int_equal(parse_int_array("{1,2,3,4,5,6}", out, 3), 3);
	assert_int_equal(out[2], 3);
	assert_int_equal(out[3], -1);
	assert_int_equal(parse_int_array("{1,2,3}", out, 0), 0);
	assert_int_equal(out[0], 1);
	assert_int_equal(parse_int_array("{10,20,30}", out, 3), 3);
	assert_int_equal(out[2], 30);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_sample),
		cmocka_unit_test(test_rates),
		cmocka_unit_test(test_no_block_traffic),
		cmocka_unit_test(test_counters_backwards),
		cmocka_unit_test(test_zero_or_negative_interval),
		cmocka_unit_test(test_parse_int_array),
		cmocka_unit_test(test_parse_int_array_bad),
		cmocka_unit_test(test_parse_int_array_capacity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
