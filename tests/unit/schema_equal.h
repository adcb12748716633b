/*
 * schema_equal.h - assert that two catalogs are the same to every user of
 * schema.h: every member of every element, the lists sch_finish()
 * derives included ('priv' excepted).  For test_schema_json.c and
 * test_schema_live.c (include after <cmocka.h> and "schema/schema.h").
 * Arrays are compared by count and contents: an empty array may be NULL
 * in one and allocated in the other.
 */
#ifndef PGDECK_TEST_SCHEMA_EQUAL_H
#define PGDECK_TEST_SCHEMA_EQUAL_H

#include <string.h>

static void
schema_eq_str(const char *a, const char *b, const char *what, int i)
{
	if (a == NULL && b == NULL)
		return;
	if (a == NULL || b == NULL || strcmp(a, b) != 0)
		fail_msg("%s of element %d: '%s' against '%s'", what, i,
		    a != NULL ? a : "(null)", b != NULL ? b : "(null)");
}

static void
schema_eq_ints(const int *a, const int *b, int n, const char *what, int i)
{
	int	k;

	for (k = 0; k < n; k++)
		if (a[k] != b[k])
			fail_msg("%s[%d] of element %d: %d against %d", what, k,
			    i, a[k], b[k]);
}

static void
schema_eq_dbl(double a, double b, const char *what, int i)
{
	/* Bit for bit, but the model has no NaN (-1 is unknown). */
	if (memcmp(&a, &b, sizeof a) != 0)
		fail_msg("%s of element %d: %.17g against %.17g", what, i, a,
		    b);
}

#define EQ_INT(x, y, m, i) do { \
	if ((int64_t)(x)->m != (int64_t)(y)->m) \
		fail_msg("%s of element %d: %lld against %lld", #m, (i), \
		    (long long)(x)->m, (long long)(y)->m); \
} while (0)
#define EQ_BOOL(x, y, m, i) do { \
	if (!(x)->m != !(y)->m) \
		fail_msg("%s of element %d: %d against %d", #m, (i), \
		    (x)->m, (y)->m); \
} while (0)
#define EQ_STR(x, y, m, i)	schema_eq_str((x)->m, (y)->m, #m, (i))
#define EQ_DBL(x, y, m, i)	schema_eq_dbl((x)->m, (y)->m, #m, (i))
#define EQ_LIST(x, y, m, n, i) do { \
	EQ_INT(x, y, n, i); \
	schema_eq_ints((x)->m, (y)->m, (x)->n, #m, (i)); \
} while (0)

static void
assert_catalogs_equal(const struct sch_catalog *a, const struct sch_catalog *b)
{
	int	i, j;

	EQ_STR(a, b, database, -1);
	EQ_INT(a, b, server_version, -1);
	EQ_INT(a, b, block_size, -1);
	EQ_INT(a, b, loaded_at, -1);
	EQ_INT(a, b, stats_reset, -1);
	EQ_INT(a, b, server_started, -1);
	EQ_BOOL(a, b, detail_loaded, -1);
	EQ_INT(a, b, nschemas, -1);
	EQ_INT(a, b, nrels, -1);
	EQ_INT(a, b, nindexes, -1);
	EQ_INT(a, b, nconstraints, -1);
	EQ_INT(a, b, ntriggers, -1);
	EQ_INT(a, b, nenums, -1);
	EQ_INT(a, b, ndomains, -1);

	for (i = 0; i < a->nschemas; i++) {
		const struct sch_schema *x = &a->schemas[i], *y = &b->schemas[i];

		EQ_INT(x, y, oid, i);
		EQ_STR(x, y, name, i);
		EQ_STR(x, y, owner, i);
		EQ_STR(x, y, comment, i);
		EQ_LIST(x, y, rels, nrels, i);
	}
	for (i = 0; i < a->nrels; i++) {
		const struct sch_rel *x = &a->rels[i], *y = &b->rels[i];

		EQ_INT(x, y, oid, i);
		EQ_INT(x, y, schema, i);
		EQ_STR(x, y, name, i);
		EQ_INT(x, y, kind, i);
		EQ_INT(x, y, persistence, i);
		EQ_INT(x, y, parent, i);
		EQ_BOOL(x, y, is_partition, i);
		EQ_STR(x, y, partbound, i);
		EQ_INT(x, y, partstrat, i);
		EQ_STR(x, y, partkey, i);
		EQ_LIST(x, y, children, nchildren, i);
		EQ_STR(x, y, comment, i);
		EQ_DBL(x, y, reltuples, i);
		EQ_INT(x, y, relpages, i);
		EQ_INT(x, y, fillfactor, i);
		EQ_INT(x, y, n_live_tup, i);
		EQ_INT(x, y, n_dead_tup, i);
		EQ_INT(x, y, seq_scan, i);
		EQ_INT(x, y, idx_scan, i);
		EQ_INT(x, y, last_vacuum, i);
		EQ_INT(x, y, last_autovacuum, i);
		EQ_INT(x, y, last_analyze, i);
		EQ_INT(x, y, last_autoanalyze, i);
		EQ_INT(x, y, size_heap, i);
		EQ_INT(x, y, size_index, i);
		EQ_INT(x, y, size_toast, i);
		EQ_INT(x, y, size_total, i);
		EQ_INT(x, y, ncols, i);
		for (j = 0; j < x->ncols; j++) {
			const struct sch_column *p = &x->cols[j], *q = &y->cols[j];

			EQ_INT(p, q, attnum, i);
			EQ_STR(p, q, name, i);
			EQ_STR(p, q, type, i);
			EQ_INT(p, q, typid, i);
			EQ_BOOL(p, q, notnull, i);
			EQ_STR(p, q, dflt, i);
			EQ_INT(p, q, identity, i);
			EQ_INT(p, q, generated, i);
			EQ_STR(p, q, comment, i);
			EQ_DBL(p, q, avg_width, i);
			EQ_DBL(p, q, null_frac, i);
		}
		EQ_LIST(x, y, indexes, nindexes, i);
		EQ_LIST(x, y, constraints, nconstraints, i);
		EQ_LIST(x, y, triggers, ntriggers, i);
		EQ_LIST(x, y, fks_in, nfks_in, i);
	}
	for (i = 0; i < a->nindexes; i++) {
		const struct sch_index *x = &a->indexes[i], *y = &b->indexes[i];

		EQ_INT(x, y, oid, i);
		EQ_STR(x, y, name, i);
		EQ_INT(x, y, rel, i);
		EQ_INT(x, y, parent, i);
		EQ_LIST(x, y, keys, nkeys, i);
		EQ_INT(x, y, nkeyatts, i);
		for (j = 0; j < x->nkeyatts; j++)
			if (x->opclass[j] != y->opclass[j])
				fail_msg("opclass[%d] of index %d", j, i);
		schema_eq_ints(x->options, y->options, x->nkeyatts, "options",
		    i);
		EQ_BOOL(x, y, unique, i);
		EQ_BOOL(x, y, primary, i);
		EQ_BOOL(x, y, valid, i);
		EQ_BOOL(x, y, partial, i);
		EQ_STR(x, y, predicate, i);
		EQ_STR(x, y, exprs, i);
		EQ_STR(x, y, am, i);
		EQ_INT(x, y, idx_scan, i);
		EQ_DBL(x, y, reltuples, i);
		EQ_INT(x, y, relpages, i);
		EQ_INT(x, y, fillfactor, i);
		EQ_INT(x, y, size, i);
		EQ_STR(x, y, definition, i);
		EQ_STR(x, y, comment, i);
	}
	for (i = 0; i < a->nconstraints; i++) {
		const struct sch_constraint *x = &a->constraints[i];
		const struct sch_constraint *y = &b->constraints[i];

		EQ_INT(x, y, oid, i);
		EQ_STR(x, y, name, i);
		EQ_INT(x, y, type, i);
		EQ_INT(x, y, rel, i);
		EQ_LIST(x, y, cols, ncols, i);
		EQ_INT(x, y, index, i);
		EQ_INT(x, y, ref_rel, i);
		if ((x->ref_cols == NULL) != (y->ref_cols == NULL) &&
		    x->ncols > 0)
			fail_msg("ref_cols of constraint %d", i);
		if (x->ref_cols != NULL && y->ref_cols != NULL)
			schema_eq_ints(x->ref_cols, y->ref_cols, x->ncols,
			    "ref_cols", i);
		EQ_INT(x, y, on_delete, i);
		EQ_INT(x, y, on_update, i);
		EQ_INT(x, y, match, i);
		EQ_BOOL(x, y, validated, i);
		EQ_BOOL(x, y, deferrable, i);
		EQ_STR(x, y, definition, i);
		EQ_STR(x, y, comment, i);
	}
	for (i = 0; i < a->ntriggers; i++) {
		const struct sch_trigger *x = &a->triggers[i], *y = &b->triggers[i];

		EQ_INT(x, y, oid, i);
		EQ_STR(x, y, name, i);
		EQ_INT(x, y, rel, i);
		EQ_INT(x, y, enabled, i);
		EQ_STR(x, y, function, i);
		EQ_STR(x, y, definition, i);
		EQ_STR(x, y, comment, i);
	}
	for (i = 0; i < a->nenums; i++) {
		const struct sch_enum *x = &a->enums[i], *y = &b->enums[i];

		EQ_INT(x, y, oid, i);
		EQ_INT(x, y, schema, i);
		EQ_STR(x, y, name, i);
		EQ_INT(x, y, nvalues, i);
		for (j = 0; j < x->nvalues; j++)
			schema_eq_str(x->values[j], y->values[j], "values", i);
		EQ_STR(x, y, comment, i);
	}
	for (i = 0; i < a->ndomains; i++) {
		const struct sch_domain *x = &a->domains[i], *y = &b->domains[i];

		EQ_INT(x, y, oid, i);
		EQ_INT(x, y, schema, i);
		EQ_STR(x, y, name, i);
		EQ_STR(x, y, base, i);
		EQ_BOOL(x, y, notnull, i);
		EQ_STR(x, y, dflt, i);
		EQ_INT(x, y, nchecks, i);
		for (j = 0; j < x->nchecks; j++)
			schema_eq_str(x->checks[j], y->checks[j], "checks", i);
		EQ_STR(x, y, comment, i);
	}
}

#endif
