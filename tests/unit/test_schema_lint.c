/*
 * test_schema_lint.c - the Schema pane's lints, bloat estimates, FK
 * cardinality and cross references, on catalogs built in memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/util.h"
#include "schema/schema.h"

#define NOW	1750000000LL
#define DAY	86400LL

/*
 * parent(id PK, code UNIQUE NOT NULL) and child(id PK, a, b, parent_id)
 * in schema "s"; stats a year old unless a test says otherwise.
 */
struct fixture {
	struct sch_catalog	*cat;
	int			 s, parent, child;
};

static struct fixture
fixture(void)
{
	struct fixture	f;
	int		one = 1, two = 2;

	f.cat = sch_catalog_new();
	f.cat->loaded_at = NOW;
	f.cat->stats_reset = NOW - 365 * DAY;
	f.s = sch_add_schema(f.cat, "s");
	f.parent = sch_add_rel(f.cat, f.s, "parent", 'r');
	sch_add_column(f.cat, f.parent, "id", "integer", 1);
	sch_add_column(f.cat, f.parent, "code", "text", 1);
	sch_add_constraint(f.cat, f.parent, 'p', "parent_pkey", &one, 1);
	sch_add_index(f.cat, f.parent, "parent_pkey", &one, 1, 1, 1);
	f.cat->constraints[0].index = 0;
	sch_add_index(f.cat, f.parent, "parent_code_key", &two, 1, 1, 0);
	f.child = sch_add_rel(f.cat, f.s, "child", 'r');
	sch_add_column(f.cat, f.child, "id", "integer", 1);
	sch_add_column(f.cat, f.child, "a", "integer", 0);
	sch_add_column(f.cat, f.child, "b", "integer", 0);
	sch_add_column(f.cat, f.child, "parent_id", "integer", 1);
	sch_add_constraint(f.cat, f.child, 'p', "child_pkey", &one, 1);
	f.cat->constraints[1].index = sch_add_index(f.cat, f.child,
	    "child_pkey", &one, 1, 1, 1);
	return f;
}

/* The findings of 'rule' as "object" names, ';'-joined (static). */
static const char *
found(const struct sch_catalog *cat, const char *rule)
{
	static char		 buf[1024];
	struct sch_finding	*f;
	int			 n, i;
	size_t			 len = 0;

	sch_finish((struct sch_catalog *)cat);
	n = sch_lint(cat, &f);
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		const char	*obj;

		if (strcmp(f[i].rule, rule) != 0)
			continue;
		obj = f[i].index >= 0 ? cat->indexes[f[i].index].name :
		    f[i].constraint >= 0 ?
		    cat->constraints[f[i].constraint].name :
		    cat->rels[f[i].rel].name;
		assert_non_null(f[i].message);
		assert_non_null(f[i].fix);
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s",
		    len > 0 ? ";" : "", obj);
		assert_true(len < sizeof buf);
	}
	sch_findings_free(f, n);
	return buf;
}

/* The one finding of 'rule' (its message and fix copied), or fail. */
static void
only(const struct sch_catalog *cat, const char *rule, char **msg,
    char **fix)
{
	struct sch_finding	*f;
	int			 n, i, hits = 0;

	sch_finish((struct sch_catalog *)cat);
	n = sch_lint(cat, &f);
	for (i = 0; i < n; i++)
		if (strcmp(f[i].rule, rule) == 0) {
			hits++;
			*msg = xstrdup(f[i].message);
			*fix = xstrdup(f[i].fix);
		}
	sch_findings_free(f, n);
	if (hits != 1)
		fail_msg("%d findings of %s", hits, rule);
}

static void
test_no_primary_key(void **state)
{
	struct fixture	 f = fixture();
	int		 one = 1, p, part, v, heap;
	char		*msg, *fix;

	(void)state;
	assert_string_equal(found(f.cat, "no-primary-key"), "");
	heap = sch_add_rel(f.cat, f.s, "heap", 'r');
	sch_add_column(f.cat, heap, "x", "integer", 0);
	/* Partitions follow their root; views have no keys. */
	p = sch_add_rel(f.cat, f.s, "root", 'p');
	sch_add_column(f.cat, p, "x", "integer", 1);
	part = sch_add_rel(f.cat, f.s, "root_1", 'r');
	f.cat->rels[part].parent = p;
	f.cat->rels[part].is_partition = 1;
	v = sch_add_rel(f.cat, f.s, "v", 'v');
	(void)v;
	assert_string_equal(found(f.cat, "no-primary-key"), "heap;root");
	sch_add_constraint(f.cat, p, 'p', "root_pkey", &one, 1);
	only(f.cat, "no-primary-key", &msg, &fix);
	assert_non_null(strstr(msg, "s.heap has no primary key"));
	assert_string_equal(fix, "ALTER TABLE s.heap ADD PRIMARY KEY (...);"
	    " -- or ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY"
	    " PRIMARY KEY");
	free(msg);
	free(fix);

	/* A unique index on NOT NULL columns is offered as the key. */
	f.cat->rels[heap].cols[0].notnull = 1;
	sch_add_index(f.cat, heap, "heap_x_key", &one, 1, 1, 0);
	only(f.cat, "no-primary-key", &msg, &fix);
	assert_non_null(strstr(msg, "heap_x_key"));
	assert_string_equal(fix, "ALTER TABLE s.heap ADD PRIMARY KEY USING"
	    " INDEX heap_x_key;");
	free(msg);
	free(fix);
	sch_catalog_free(f.cat);
}

static void
test_fk_without_index(void **state)
{
	struct fixture	 f = fixture();
	int		 ab[] = { 2, 3 }, pk[] = { 1, 2 }, xa[] = { 1, 2 };
	int		 k, x;
	int		 four = 4, one = 1;
	char		*msg, *fix;

	(void)state;
	/* A composite FK (a, b) -> parent (id, code). */
	k = sch_add_fk(f.cat, f.child, "child_ab_fk", ab, 2, f.parent, pk);
	assert_string_equal(found(f.cat, "fk-without-index"), "child_ab_fk");

	/* (id, a): a is there, but second: does not count. */
	x = sch_add_index(f.cat, f.child, "child_id_a", xa, 2, 0, 0);
	only(f.cat, "fk-without-index", &msg, &fix);
	assert_non_null(strstr(msg, "child_id_a has the column but not"
	    " first"));
	assert_string_equal(fix, "CREATE INDEX CONCURRENTLY ON s.child (a,"
	    " b);");
	free(msg);
	free(fix);

	/* (a) alone covers only part of (a, b). */
	sch_add_index(f.cat, f.child, "child_a", ab, 1, 0, 0);
	assert_string_equal(found(f.cat, "fk-without-index"), "child_ab_fk");

	/* (b, a, parent_id): the leading two, in another order, count... */
	x = sch_add_index(f.cat, f.child, "child_b_a_p", (int[]){ 3, 2, 4 },
	    3, 0, 0);
	assert_string_equal(found(f.cat, "fk-without-index"), "");
	/* ...unless partial or invalid. */
	f.cat->indexes[x].partial = 1;
	f.cat->indexes[x].predicate = xstrdup("(a > 0)");
	assert_string_equal(found(f.cat, "fk-without-index"), "child_ab_fk");
	f.cat->indexes[x].partial = 0;
	free(f.cat->indexes[x].predicate);
	f.cat->indexes[x].predicate = NULL;
	f.cat->indexes[x].valid = 0;
	assert_string_equal(found(f.cat, "fk-without-index"), "child_ab_fk");
	f.cat->indexes[x].valid = 1;
	assert_string_equal(found(f.cat, "fk-without-index"), "");

	/* A hash index on the single column serves it; GIN does not. */
	k = sch_add_fk(f.cat, f.child, "child_parent_fk", &four, 1, f.parent,
	    &one);
	assert_string_equal(found(f.cat, "fk-without-index"),
	    "child_parent_fk");
	x = sch_add_index(f.cat, f.child, "child_p_gin", &four, 1, 0, 0);
	free(f.cat->indexes[x].am);
	f.cat->indexes[x].am = xstrdup("gin");
	assert_string_equal(found(f.cat, "fk-without-index"),
	    "child_parent_fk");
	free(f.cat->indexes[x].am);
	f.cat->indexes[x].am = xstrdup("hash");
	assert_string_equal(found(f.cat, "fk-without-index"), "");
	(void)k;
	sch_catalog_free(f.cat);
}

static void
test_duplicate_and_redundant(void **state)
{
	struct fixture	 f = fixture();
	int		 a = 2, ab[] = { 2, 3 }, ba[] = { 3, 2 }, x, y;
	char		*msg, *fix;

	(void)state;
	x = sch_add_index(f.cat, f.child, "child_a1", &a, 1, 0, 0);
	y = sch_add_index(f.cat, f.child, "child_a2", &a, 1, 0, 0);
	/* The later of two equals is the one to drop. */
	assert_string_equal(found(f.cat, "duplicate-index"), "child_a2");
	only(f.cat, "duplicate-index", &msg, &fix);
	assert_non_null(strstr(msg, "child_a2 (a) duplicates child_a1"));
	assert_string_equal(fix, "DROP INDEX CONCURRENTLY s.child_a2;");
	free(msg);
	free(fix);
	/* A unique one is kept over a plain one. */
	f.cat->indexes[y].unique = 1;
	assert_string_equal(found(f.cat, "duplicate-index"), "child_a1");
	f.cat->indexes[y].unique = 0;
	/* Another predicate, method or operator class: not a duplicate. */
	f.cat->indexes[y].predicate = xstrdup("(a > 0)");
	f.cat->indexes[y].partial = 1;
	assert_string_equal(found(f.cat, "duplicate-index"), "");
	free(f.cat->indexes[y].predicate);
	f.cat->indexes[y].predicate = NULL;
	f.cat->indexes[y].partial = 0;
	free(f.cat->indexes[y].am);
	f.cat->indexes[y].am = xstrdup("hash");
	assert_string_equal(found(f.cat, "duplicate-index"), "");
	free(f.cat->indexes[y].am);
	f.cat->indexes[y].am = xstrdup("btree");
	f.cat->indexes[y].opclass[0] = 10043;
	assert_string_equal(found(f.cat, "duplicate-index"), "");
	f.cat->indexes[y].opclass[0] = 0;
	/* Same expressions text: duplicates; different: not. */
	f.cat->indexes[x].keys[0] = f.cat->indexes[y].keys[0] = 0;
	f.cat->indexes[x].exprs = xstrdup("lower(a)");
	f.cat->indexes[y].exprs = xstrdup("lower(a)");
	assert_string_equal(found(f.cat, "duplicate-index"), "child_a2");
	free(f.cat->indexes[y].exprs);
	f.cat->indexes[y].exprs = xstrdup("upper(a)");
	assert_string_equal(found(f.cat, "duplicate-index"), "");
	free(f.cat->indexes[x].exprs);
	free(f.cat->indexes[y].exprs);
	f.cat->indexes[x].exprs = f.cat->indexes[y].exprs = NULL;
	f.cat->indexes[x].keys[0] = f.cat->indexes[y].keys[0] = 2;
	/* Duplicate clones of a partitioned pair are the root's business. */
	f.cat->indexes[x].parent = f.cat->indexes[y].parent = 0;
	assert_string_equal(found(f.cat, "duplicate-index"), "");
	f.cat->indexes[x].parent = f.cat->indexes[y].parent = -1;
	f.cat->indexes[y].valid = 0;
	assert_string_equal(found(f.cat, "duplicate-index"), "");
	f.cat->indexes[y].valid = 1;

	/* (a) is a prefix of (a, b); (b, a) is no help to it. */
	/* child_a2 out of the way: a hash index is no prefix of anything. */
	free(f.cat->indexes[y].am);
	f.cat->indexes[y].am = xstrdup("hash");
	assert_string_equal(found(f.cat, "redundant-index"), "");
	sch_add_index(f.cat, f.child, "child_ba", ba, 2, 0, 0);
	assert_string_equal(found(f.cat, "redundant-index"), "");
	sch_add_index(f.cat, f.child, "child_ab", ab, 2, 0, 0);
	assert_string_equal(found(f.cat, "redundant-index"), "child_a1");
	/* Not if it is unique, partial, or the longer one is partial. */
	f.cat->indexes[x].unique = 1;
	assert_string_equal(found(f.cat, "redundant-index"), "");
	f.cat->indexes[x].unique = 0;
	f.cat->indexes[x].partial = 1;
	f.cat->indexes[x].predicate = xstrdup("(a > 0)");
	assert_string_equal(found(f.cat, "redundant-index"), "");
	sch_catalog_free(f.cat);
}

static void
test_unused_index(void **state)
{
	struct fixture	 f = fixture();
	int		 a = 2, x;
	char		*msg, *fix;

	(void)state;
	x = sch_add_index(f.cat, f.child, "child_a", &a, 1, 0, 0);
	only(f.cat, "unused-index", &msg, &fix);
	assert_non_null(strstr(msg, "s.child_a has not been scanned since"
	    " 2024-06-15 15:06 UTC (statistics reset 365 days ago)"));
	assert_string_equal(fix, "DROP INDEX CONCURRENTLY s.child_a;");
	free(msg);
	free(fix);
	/* Statistics younger than SCH_UNUSED_MIN_AGE prove nothing. */
	f.cat->stats_reset = NOW;
	assert_string_equal(found(f.cat, "unused-index"), "");
	f.cat->stats_reset = NOW - 6 * DAY;
	assert_string_equal(found(f.cat, "unused-index"), "");
	f.cat->stats_reset = NOW - 30 * DAY;
	assert_string_equal(found(f.cat, "unused-index"), "child_a");
	/* Never reset: counted from the server's start at the latest. */
	f.cat->stats_reset = 0;
	f.cat->server_started = NOW - DAY;
	assert_string_equal(found(f.cat, "unused-index"), "");
	f.cat->server_started = NOW - 10 * DAY;
	only(f.cat, "unused-index", &msg, &fix);
	assert_non_null(strstr(msg, "since at least"));
	assert_non_null(strstr(msg, "statistics never reset"));
	free(msg);
	free(fix);
	f.cat->server_started = 0;
	assert_string_equal(found(f.cat, "unused-index"), "");
	f.cat->stats_reset = NOW - 30 * DAY;
	/* Scanned, unique, or a partition's clone: not unused. */
	f.cat->indexes[x].idx_scan = 1;
	assert_string_equal(found(f.cat, "unused-index"), "");
	f.cat->indexes[x].idx_scan = 0;
	f.cat->indexes[x].unique = 1;
	assert_string_equal(found(f.cat, "unused-index"), "");
	f.cat->indexes[x].unique = 0;
	f.cat->indexes[x].parent = 0;
	assert_string_equal(found(f.cat, "unused-index"), "");
	f.cat->indexes[x].parent = -1;
	/* Invalid is its own finding. */
	f.cat->indexes[x].valid = 0;
	assert_string_equal(found(f.cat, "unused-index"), "");
	assert_string_equal(found(f.cat, "invalid-index"), "child_a");
	sch_catalog_free(f.cat);
}

static void
test_not_valid_and_types(void **state)
{
	struct fixture	 f = fixture();
	int		 one = 1, two = 2, four = 4, k;
	char		*msg, *fix;

	(void)state;
	k = sch_add_fk(f.cat, f.child, "child_parent_fk", &four, 1, f.parent,
	    &one);
	sch_add_index(f.cat, f.child, "child_parent", &four, 1, 0, 0);
	f.cat->constraints[k].validated = 0;
	only(f.cat, "not-valid-constraint", &msg, &fix);
	assert_non_null(strstr(msg, "child_parent_fk on s.child is NOT"
	    " VALID"));
	assert_string_equal(fix, "ALTER TABLE s.child VALIDATE CONSTRAINT"
	    " child_parent_fk; -- SHARE UPDATE EXCLUSIVE: writes go on");
	free(msg);
	free(fix);
	f.cat->constraints[k].validated = 1;
	assert_string_equal(found(f.cat, "not-valid-constraint"), "");
	assert_string_equal(found(f.cat, "fk-type-mismatch"), "");

	/* integer -> text */
	k = sch_add_fk(f.cat, f.child, "child_code_fk", &four, 1, f.parent,
	    &two);
	only(f.cat, "fk-type-mismatch", &msg, &fix);
	assert_non_null(strstr(msg, "column parent_id is integer but"
	    " references s.parent.code of type text"));
	assert_string_equal(fix, "ALTER TABLE s.child ALTER COLUMN parent_id"
	    " TYPE text; -- may rewrite the table");
	free(msg);
	free(fix);
	sch_catalog_free(f.cat);
}

static void
test_quoting(void **state)
{
	struct sch_catalog	*cat = sch_catalog_new();
	int			 s = sch_add_schema(cat, "My Schema");
	int			 r = sch_add_rel(cat, s, "user", 'r');
	char			*msg, *fix;

	(void)state;
	sch_add_column(cat, r, "Id", "integer", 1);
	only(cat, "no-primary-key", &msg, &fix);
	assert_non_null(strstr(fix, "ALTER TABLE \"My Schema\".\"user\""));
	free(msg);
	free(fix);
	sch_catalog_free(cat);
}

static void
test_bloat(void **state)
{
	struct fixture	 f = fixture();
	int		 one = 1, x, i;
	double		 ratio;
	int64_t		 w;
	char		*msg, *fix;
	struct sch_rel	*p;

	(void)state;
	p = &f.cat->rels[f.parent];
	/* No statistics: no estimate. */
	p->relpages = 20000;
	p->reltuples = 1e6;
	assert_int_equal(sch_table_bloat(f.cat, f.parent, &ratio), -1);
	/*
	 * Two integers: tuple = maxalign(23) + 8 + 4 = 36 bytes; 8168 / 36
	 * per page; 1e6 tuples need 4408 pages of the 20000.
	 */
	for (i = 0; i < 2; i++) {
		p->cols[i].avg_width = 4;
		p->cols[i].null_frac = 0;
	}
	w = sch_table_bloat(f.cat, f.parent, &ratio);
	assert_int_equal(w, (20000LL - 4408) * 8192);
	assert_true(ratio > 0.779 && ratio < 0.780);
	only(f.cat, "table-bloat", &msg, &fix);
	assert_non_null(strstr(msg, "s.parent is about 78% bloat: ~122 MB"
	    " of 156 MB"));
	assert_string_equal(fix, "VACUUM FULL s.parent; -- ACCESS EXCLUSIVE"
	    " for the whole rewrite; pg_repack does it online");
	free(msg);
	free(fix);
	/* Fillfactor 50 leaves room on purpose: 8815 pages expected. */
	p->fillfactor = 50;
	assert_int_equal(sch_table_bloat(f.cat, f.parent, &ratio),
	    (20000LL - 8815) * 8192);
	p->fillfactor = 100;
	/* Below the thresholds: 30% but small, or big but 10%. */
	p->relpages = 4408 + 1000;
	assert_string_equal(found(f.cat, "table-bloat"), "");
	p->relpages = 4408;
	assert_int_equal(sch_table_bloat(f.cat, f.parent, &ratio), 0);
	p->relpages = 4000;	/* fewer than estimated: not negative */
	assert_int_equal(sch_table_bloat(f.cat, f.parent, &ratio), 0);
	p->reltuples = 1e7;
	p->relpages = 48000;
	w = sch_table_bloat(f.cat, f.parent, &ratio);
	assert_true(w > SCH_BLOAT_MIN_BYTES && ratio < SCH_BLOAT_MIN_RATIO);
	assert_string_equal(found(f.cat, "table-bloat"), "");

	/*
	 * B-tree on one integer: entry = maxalign(8 + 4) + 4 = 20 bytes;
	 * floor(8152 x 0.9 / 20) = 366 per page; 1 + ceil(1e6 / 366) =
	 * 2734 pages.
	 */
	x = 0;	/* parent_pkey */
	f.cat->indexes[x].relpages = 10000;
	f.cat->indexes[x].reltuples = 1e6;
	w = sch_index_bloat(f.cat, x, &ratio);
	assert_int_equal(w, (10000LL - 2734) * 8192);
	assert_string_equal(found(f.cat, "index-bloat"), "parent_pkey");
	f.cat->indexes[x].relpages = 2734;
	assert_string_equal(found(f.cat, "index-bloat"), "");
	/* Not a B-tree, or an expression key: no estimate. */
	x = sch_add_index(f.cat, f.parent, "parent_expr", (int[]){ 0 }, 1, 0,
	    0);
	f.cat->indexes[x].relpages = 10000;
	f.cat->indexes[x].reltuples = 1e6;
	assert_int_equal(sch_index_bloat(f.cat, x, &ratio), -1);
	f.cat->indexes[x].keys[0] = one;
	assert_true(sch_index_bloat(f.cat, x, &ratio) > 0);
	free(f.cat->indexes[x].am);
	f.cat->indexes[x].am = xstrdup("gin");
	assert_int_equal(sch_index_bloat(f.cat, x, &ratio), -1);
	sch_catalog_free(f.cat);
}

static void
test_cardinality(void **state)
{
	struct fixture	 f = fixture();
	int		 one = 1, two = 2, four = 4, ab[] = { 2, 3 };
	int		 ba[] = { 3, 2 }, pk[] = { 1, 2 }, many, opt, k, l, u;

	(void)state;
	/* child.parent_id NOT NULL, not unique: many to exactly one. */
	k = sch_add_fk(f.cat, f.child, "fk1", &four, 1, f.parent, &one);
	sch_finish(f.cat);
	sch_fk_cardinality(f.cat, &f.cat->constraints[k], &many, &opt);
	assert_int_equal(many, 1);
	assert_int_equal(opt, 0);
	/* child.id is the PK: one to one. */
	l = sch_add_fk(f.cat, f.child, "fk2", &one, 1, f.parent, &one);
	sch_finish(f.cat);
	sch_fk_cardinality(f.cat, &f.cat->constraints[l], &many, &opt);
	assert_int_equal(many, 0);
	assert_int_equal(opt, 0);
	/* (a, b) nullable; then a UNIQUE constraint on (b, a). */
	k = sch_add_fk(f.cat, f.child, "fk3", ab, 2, f.parent, pk);
	sch_finish(f.cat);
	sch_fk_cardinality(f.cat, &f.cat->constraints[k], &many, &opt);
	assert_int_equal(many, 1);
	assert_int_equal(opt, 1);
	sch_add_constraint(f.cat, f.child, 'u', "child_ba_key", ba, 2);
	sch_finish(f.cat);
	sch_fk_cardinality(f.cat, &f.cat->constraints[k], &many, &opt);
	assert_int_equal(many, 0);
	assert_int_equal(opt, 1);
	/* A unique index on more columns is no help; on exactly them is. */
	l = sch_add_fk(f.cat, f.child, "fk4", &two, 1, f.parent, &one);
	sch_add_index(f.cat, f.child, "child_a_b_key", ab, 2, 1, 0);
	sch_finish(f.cat);
	sch_fk_cardinality(f.cat, &f.cat->constraints[l], &many, &opt);
	assert_int_equal(many, 1);
	u = sch_add_index(f.cat, f.child, "child_a_key", &two, 1, 1, 0);
	sch_finish(f.cat);
	sch_fk_cardinality(f.cat, &f.cat->constraints[l], &many, &opt);
	assert_int_equal(many, 0);
	/* ... unless partial or invalid. */
	f.cat->indexes[u].partial = 1;
	sch_fk_cardinality(f.cat, &f.cat->constraints[l], &many, &opt);
	assert_int_equal(many, 1);
	sch_catalog_free(f.cat);
}

static void
test_finish(void **state)
{
	struct sch_catalog	*cat = sch_catalog_new();
	int			 s = sch_add_schema(cat, "s"), root, mid, l1, l2;
	int			 l3, one = 1, rx, mx, x1, x2, x3;
	int			 i;

	(void)state;
	root = sch_add_rel(cat, s, "root", 'p');
	mid = sch_add_rel(cat, s, "mid", 'p');
	l1 = sch_add_rel(cat, s, "b_leaf", 'r');
	l2 = sch_add_rel(cat, s, "a_leaf", 'r');
	l3 = sch_add_rel(cat, s, "mid_leaf", 'r');
	cat->rels[mid].parent = cat->rels[l1].parent =
	    cat->rels[l2].parent = root;
	cat->rels[l3].parent = mid;
	cat->rels[mid].is_partition = cat->rels[l1].is_partition =
	    cat->rels[l2].is_partition = cat->rels[l3].is_partition = 1;
	for (i = 0; i < cat->nrels; i++)
		sch_add_column(cat, i, "id", "integer", 1);
	rx = sch_add_index(cat, root, "root_pkey", &one, 1, 1, 1);
	mx = sch_add_index(cat, mid, "mid_pkey", &one, 1, 1, 1);
	x1 = sch_add_index(cat, l1, "b_leaf_pkey", &one, 1, 1, 1);
	x2 = sch_add_index(cat, l2, "a_leaf_pkey", &one, 1, 1, 1);
	x3 = sch_add_index(cat, l3, "mid_leaf_pkey", &one, 1, 1, 1);
	cat->indexes[mx].parent = cat->indexes[x1].parent =
	    cat->indexes[x2].parent = rx;
	cat->indexes[x3].parent = mx;
	cat->indexes[x1].idx_scan = 1;
	cat->indexes[x2].idx_scan = 2;
	cat->indexes[x3].idx_scan = 4;
	cat->rels[l1].n_live_tup = 10;
	cat->rels[l3].n_live_tup = 5;
	sch_finish(cat);
	/* Before DETAIL: sizes unknown all the way up. */
	assert_int_equal(cat->rels[root].size_total, -1);
	assert_int_equal(cat->rels[root].n_live_tup, 15);
	assert_int_equal(cat->indexes[rx].idx_scan, 7);
	assert_int_equal(cat->indexes[mx].idx_scan, 4);
	assert_int_equal(cat->schemas[s].nrels, 1);
	assert_int_equal(cat->schemas[s].rels[0], root);
	assert_int_equal(cat->rels[root].nchildren, 3);
	assert_int_equal(cat->rels[root].children[0], l2);	/* by name */
	assert_int_equal(cat->rels[root].children[1], l1);
	assert_int_equal(cat->rels[root].children[2], mid);

	cat->rels[l1].size_total = 100;
	cat->rels[l1].size_heap = 60;
	cat->rels[l2].size_total = 1000;
	cat->rels[l2].size_heap = 600;
	cat->rels[l3].size_total = 10000;
	cat->rels[l3].size_heap = 6000;
	cat->indexes[x1].size = 8192;
	cat->indexes[x2].size = 8192;
	cat->indexes[x3].size = 16384;
	cat->detail_loaded = 1;
	sch_finish(cat);
	sch_finish(cat);	/* idempotent */
	assert_int_equal(cat->rels[root].size_total, 11100);
	assert_int_equal(cat->rels[root].size_heap, 6660);
	assert_int_equal(cat->rels[mid].size_total, 10000);
	assert_int_equal(cat->indexes[rx].size, 32768);
	assert_int_equal(cat->indexes[mx].size, 16384);
	assert_int_equal(cat->indexes[rx].idx_scan, 7);

	assert_int_equal(sch_find_rel(cat, "s", "mid_leaf"), l3);
	assert_int_equal(sch_find_rel(cat, "s", "nope"), -1);
	assert_int_equal(sch_find_rel(cat, "t", "root"), -1);
	assert_int_equal(sch_rel_by_oid(cat, cat->rels[l2].oid), l2);
	assert_int_equal(sch_find_index(cat, "s", "mid_pkey"), mx);
	assert_non_null(sch_column(cat, l3, 1));
	assert_null(sch_column(cat, l3, 2));
	assert_null(sch_column(cat, -1, 1));
	sch_catalog_free(cat);
	sch_catalog_free(NULL);
}

static void
test_queries(void **state)
{
	enum sch_phase	phases[] = { SCH_PHASE_CATALOG, SCH_PHASE_DETAIL };
	int		p, i;

	(void)state;
	/* A few set-based queries, each leaving out the system schemas. */
	for (p = 0; p < 2; p++) {
		assert_true(sch_nqueries(phases[p]) >= 1);
		assert_true(sch_nqueries(phases[p]) <= 8);
		for (i = 0; i < sch_nqueries(phases[p]); i++) {
			const char *q = sch_query(phases[p], i);

			assert_non_null(q);
			if (i == 0 && p == 0)
				continue;	/* the database row */
			assert_non_null(strstr(q, "information_schema"));
			assert_non_null(strstr(q, "^pg_(toast|temp_)"));
		}
		assert_null(sch_query(phases[p], sch_nqueries(phases[p])));
		assert_null(sch_query(phases[p], -1));
	}
	assert_non_null(strstr(sch_query(SCH_PHASE_CATALOG, 5),
	    "conparentid <> 0"));
	assert_non_null(strstr(sch_query(SCH_PHASE_CATALOG, 2),
	    "'pg_class'::regclass"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_primary_key),
		cmocka_unit_test(test_fk_without_index),
		cmocka_unit_test(test_duplicate_and_redundant),
		cmocka_unit_test(test_unused_index),
		cmocka_unit_test(test_not_valid_and_types),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_bloat),
		cmocka_unit_test(test_cardinality),
		cmocka_unit_test(test_finish),
		cmocka_unit_test(test_queries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
