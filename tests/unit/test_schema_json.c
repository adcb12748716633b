/*
 * test_schema_json.c - a catalog written as JSON and read back: the same
 * catalog member by member, the same document byte for byte, the same
 * findings; and every kind of bad document refused with one line naming
 * the member, never a partial catalog.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/util.h"
#include "schema/schema.h"
#include "schema_equal.h"

#define NOW	1750000000LL
#define DAY	86400LL

/*
 * Every member of every kind of element set away from its default
 * somewhere: schemas "app" and "audit"; app.parent (PK, unique, stats,
 * sizes), app.child (FK to parent, NOT VALID check, trigger, partial and
 * expression indexes), app.events partitioned by range into two
 * partitions with a partitioned index, a view, an enum and a domain,
 * and one name that is not UTF-8.
 */
static struct sch_catalog *
build(void)
{
	struct sch_catalog	*cat = sch_catalog_new();
	int			 one = 1, two = 2, four = 4, s, a, parent, child;
	int			 ev, p1, p2, x, k, keys2[] = { 0, 2 };
	struct sch_rel		*r;
	struct sch_index	*ix;
	struct sch_constraint	*c;

	cat->database = xstrdup("shop");
	cat->server_version = 150020;
	cat->block_size = 8192;
	cat->loaded_at = NOW;
	cat->stats_reset = NOW - 30 * DAY;
	cat->server_started = NOW - 40 * DAY;
	cat->detail_loaded = 1;

	s = sch_add_schema(cat, "app");
	cat->schemas[s].owner = xstrdup("postgres");
	cat->schemas[s].comment = xstrdup("The shop \"itself\"\n\ttabs");
	a = sch_add_schema(cat, "audit");
	cat->schemas[a].owner = xstrdup("auditor");

	parent = sch_add_rel(cat, s, "parent", 'r');
	sch_add_column(cat, parent, "id", "bigint", 1);
	sch_add_column(cat, parent, "code", "text", 1);
	sch_add_column(cat, parent, "caf\xe9", "text", 0);	/* Latin-1 */
	r = &cat->rels[parent];
	r->comment = xstrdup("Parents, \xc3\xa9t\xc3\xa9 \xe2\x9c\x93");
	r->reltuples = 1234567.5;
	r->relpages = 4000;
	r->fillfactor = 70;
	r->n_live_tup = 1234000;
	r->n_dead_tup = 400000;
	r->seq_scan = 12;
	r->idx_scan = 99;
	r->last_vacuum = NOW - 3 * DAY;
	r->last_autovacuum = NOW - 2 * DAY;
	r->last_analyze = NOW - DAY;
	r->last_autoanalyze = NOW - 3600;
	r->size_heap = 4000LL * 8192;
	r->size_index = 1000LL * 8192;
	r->size_toast = 8192;
	r->size_total = 5001LL * 8192 + 24576;
	r->cols[0].typid = 20;
	r->cols[0].identity = 'a';
	r->cols[0].avg_width = 8;
	r->cols[0].null_frac = 0;
	r->cols[1].avg_width = 13.25;
	r->cols[1].null_frac = 0.125;
	r->cols[1].comment = xstrdup("What it is called");
	r->cols[2].dflt = xstrdup("'x'::text");
	r->cols[2].generated = 's';
	r->persistence = 'u';
	sch_add_constraint(cat, parent, 'p', "parent_pkey", &one, 1);
	x = sch_add_index(cat, parent, "parent_pkey", &one, 1, 1, 1);
	cat->constraints[0].index = x;
	ix = &cat->indexes[x];
	ix->idx_scan = 99;
	ix->reltuples = 1234567.5;
	ix->relpages = 1000;
	ix->size = 1000LL * 8192;
	ix->opclass[0] = 3124;
	ix->definition = xstrdup("CREATE UNIQUE INDEX parent_pkey ON"
	    " app.parent USING btree (id)");
	x = sch_add_index(cat, parent, "parent_code_key", &two, 1, 1, 0);
	cat->indexes[x].options[0] = 3;		/* DESC NULLS FIRST */
	cat->indexes[x].fillfactor = 100;
	cat->indexes[x].comment = xstrdup("Lookups by code");

	child = sch_add_rel(cat, a, "child", 'r');
	sch_add_column(cat, child, "id", "integer", 1);
	sch_add_column(cat, child, "parent_id", "bigint", 0);
	sch_add_column(cat, child, "b", "integer", 0);
	cat->rels[child].cols[2].identity = 'd';
	k = sch_add_fk(cat, child, "child_parent_fk", &two, 1, parent, &one);
	c = &cat->constraints[k];
	c->on_delete = 'c';
	c->on_update = 'r';
	c->match = 'f';
	c->deferrable = 1;
	c->definition = xstrdup("FOREIGN KEY (parent_id) REFERENCES"
	    " app.parent(id) ON DELETE CASCADE");
	k = sch_add_constraint(cat, child, 'c', "child_b_check", &four, 0);
	cat->constraints[k].validated = 0;
	cat->constraints[k].comment = xstrdup("NOT VALID on purpose");
	x = sch_add_index(cat, child, "child_expr_b", keys2, 2, 0, 0);
	ix = &cat->indexes[x];
	ix->nkeyatts = 1;		/* b is INCLUDEd */
	ix->exprs = xstrdup("lower((id)::text)");
	ix->partial = 1;
	ix->predicate = xstrdup("(b > 0)");
	ix->valid = 0;
	free(ix->am);
	ix->am = xstrdup("hash");

	ev = sch_add_rel(cat, s, "events", 'p');
	sch_add_column(cat, ev, "at", "timestamptz", 1);
	cat->rels[ev].partstrat = 'r';
	cat->rels[ev].partkey = xstrdup("RANGE (at)");
	p1 = sch_add_rel(cat, s, "events_2024", 'r');
	p2 = sch_add_rel(cat, s, "events_2025", 'r');
	for (k = p1; k <= p2; k++) {
		r = &cat->rels[k];
		sch_add_column(cat, k, "at", "timestamptz", 1);
		r->parent = ev;
		r->is_partition = 1;
		r->partbound = xstrdup(k == p1 ? "FOR VALUES FROM ('2024-01-01')"
		    " TO ('2025-01-01')" : "DEFAULT");
		r->n_live_tup = 10 * (k - p1 + 1);
		r->size_heap = r->size_total = 16384;
		r->size_index = r->size_toast = 0;
	}
	x = sch_add_index(cat, ev, "events_at", &one, 1, 0, 0);
	k = sch_add_index(cat, p1, "events_2024_at", &one, 1, 0, 0);
	cat->indexes[k].parent = x;
	cat->indexes[k].idx_scan = 5;
	cat->indexes[k].size = 8192;
	k = sch_add_index(cat, p2, "events_2025_at", &one, 1, 0, 0);
	cat->indexes[k].parent = x;
	cat->indexes[k].size = 16384;
	sch_add_rel(cat, a, "v", 'v');

	cat->triggers = xcalloc(1, sizeof *cat->triggers);
	cat->ntriggers = 1;
	cat->triggers[0].oid = 90001;
	cat->triggers[0].name = xstrdup("child_audit");
	cat->triggers[0].rel = child;
	cat->triggers[0].enabled = 'D';
	cat->triggers[0].function = xstrdup("audit.log()");
	cat->triggers[0].definition = xstrdup("CREATE TRIGGER child_audit"
	    " AFTER INSERT ON audit.child FOR EACH ROW EXECUTE FUNCTION"
	    " audit.log()");

	cat->enums = xcalloc(1, sizeof *cat->enums);
	cat->nenums = 1;
	cat->enums[0].oid = 90002;
	cat->enums[0].schema = s;
	cat->enums[0].name = xstrdup("mood");
	cat->enums[0].nvalues = 3;
	cat->enums[0].values = xcalloc(3, sizeof (char *));
	cat->enums[0].values[0] = xstrdup("sad");
	cat->enums[0].values[1] = xstrdup("ok");
	cat->enums[0].values[2] = xstrdup("h\xe4ppy");	/* Latin-1 */
	cat->enums[0].comment = xstrdup("How it feels");

	cat->domains = xcalloc(2, sizeof *cat->domains);
	cat->ndomains = 2;
	cat->domains[0].oid = 90003;
	cat->domains[0].schema = s;
	cat->domains[0].name = xstrdup("email");
	cat->domains[0].base = xstrdup("text");
	cat->domains[0].notnull = 1;
	cat->domains[0].dflt = xstrdup("''::text");
	cat->domains[0].nchecks = 2;
	cat->domains[0].checks = xcalloc(2, sizeof (char *));
	cat->domains[0].checks[0] = xstrdup("CHECK (VALUE ~ '@')");
	cat->domains[0].checks[1] = xstrdup("CHECK (length(VALUE) < 255)");
	cat->domains[1].oid = 90004;
	cat->domains[1].schema = a;
	cat->domains[1].name = xstrdup("positive");
	cat->domains[1].base = xstrdup("integer");
	sch_finish(cat);
	return cat;
}

/* The findings of 'cat', one per line: rule, objects, message, fix. */
static char *
findings(const struct sch_catalog *cat)
{
	struct sch_finding	*f;
	char			*out = xstrdup(""), *next;
	int			 n = sch_lint(cat, &f), i;

	for (i = 0; i < n; i++) {
		next = xstrfmt("%s%s %d %d %d %lld %s | %s\n", out, f[i].rule,
		    f[i].rel, f[i].index, f[i].constraint,
		    (long long)f[i].wasted, f[i].message,
		    f[i].fix != NULL ? f[i].fix : "-");
		free(out);
		out = next;
	}
	sch_findings_free(f, n);
	return out;
}

static void
test_round_trip(void **state)
{
	struct sch_catalog	*cat = build(), *back;
	char			*json = sch_catalog_to_json(cat), *again, *err;
	char			*f1, *f2;

	(void)state;
	assert_non_null(json);
	assert_null(strchr(json, '\n'));
	assert_non_null(strstr(json, "\"version\":1"));
	/* Latin-1 bytes are kept apart from UTF-8 text. */
	assert_non_null(strstr(json, "{\"latin1\":\"caf\xc3\xa9\"}"));
	assert_non_null(strstr(json, "\"Parents, \xc3\xa9t\xc3\xa9 \xe2\x9c\x93\""));

	back = sch_catalog_from_json(json, strlen(json), &err);
	if (back == NULL)
		fail_msg("%s", err);
	assert_null(err);
	assert_catalogs_equal(cat, back);
	assert_string_equal(back->rels[0].cols[2].name, "caf\xe9");
	assert_int_equal(back->rels[0].persistence, 'u');
	/* What sch_finish derives was derived again. */
	assert_int_equal(back->rels[sch_find_rel(back, "app", "events")]
	    .nchildren, 2);
	assert_int_equal(back->rels[sch_find_rel(back, "app", "events")]
	    .n_live_tup, 30);
	assert_int_equal(back->indexes[sch_find_index(back, "app",
	    "events_at")].size, 24576);
	assert_int_equal(back->rels[0].nfks_in, 1);

	again = sch_catalog_to_json(back);
	assert_string_equal(again, json);
	f1 = findings(cat);
	f2 = findings(back);
	assert_true(strlen(f1) > 0);
	assert_string_equal(f1, f2);
	free(f1);
	free(f2);
	free(again);

	/* The add functions still work on a catalog read back. */
	{
		int	s = sch_add_schema(back, "more"), i;

		for (i = 0; i < 40; i++) {
			char	name[16];
			int	rel;

			snprintf(name, sizeof name, "t%d", i);
			rel = sch_add_rel(back, s, name, 'r');
			sch_add_column(back, rel, "id", "integer", 1);
			sch_add_column(back, 0, name, "integer", 0);
			sch_add_index(back, rel, name, (int[]){ 1 }, 1, 0, 0);
		}
		sch_finish(back);
		assert_int_equal(back->schemas[s].nrels, 40);
		assert_int_equal(back->rels[0].ncols, 43);
	}
	sch_catalog_free(back);
	sch_catalog_free(cat);
	free(json);
}

static void
test_empty(void **state)
{
	struct sch_catalog	*cat = sch_catalog_new(), *back;
	char			*json, *again, *err;

	(void)state;
	sch_finish(cat);
	json = sch_catalog_to_json(cat);
	assert_string_equal(json, "{\"format\":\"pgdeck-catalog\","
	    "\"version\":1,\"schemas\":[],\"rels\":[],\"indexes\":[],"
	    "\"constraints\":[],\"triggers\":[],\"enums\":[],"
	    "\"domains\":[]}");
	back = sch_catalog_from_json(json, strlen(json), &err);
	assert_non_null(back);
	assert_catalogs_equal(cat, back);
	assert_int_equal(back->block_size, 8192);
	again = sch_catalog_to_json(back);
	assert_string_equal(again, json);
	free(again);
	free(json);
	sch_catalog_free(back);
	sch_catalog_free(cat);
}

/* One line, prefixed, and no catalog. */
static char *
refused(const char *text, size_t len)
{
	char			*err = NULL;
	struct sch_catalog	*cat = sch_catalog_from_json(text, len, &err);

	if (cat != NULL)
		fail_msg("accepted: %.200s", text);
	assert_non_null(err);
	assert_null(strchr(err, '\n'));
	assert_memory_equal(err, "catalog json: ", 14);
	return err;
}

static void
test_truncated(void **state)
{
	struct sch_catalog	*cat = build();
	char			*json = sch_catalog_to_json(cat), *err;
	size_t			 len = strlen(json), off;

	(void)state;
	for (off = 0; off < len; off += off < 64 ? 1 : 37) {
		err = refused(json, off);
		free(err);
	}
	err = refused(json, len - 1);
	free(err);
	/* Not NUL-terminated: only 'len' bytes are read. */
	err = refused(json, 10);
	free(err);
	sch_catalog_free(cat);
	free(json);
}

/* build()'s document, parsed (owned). */
static json_t *
build_doc(void)
{
	struct sch_catalog	*cat = build();
	char			*json = sch_catalog_to_json(cat);
	json_t			*doc = json_loads(json, 0, NULL);

	assert_non_null(doc);
	free(json);
	sch_catalog_free(cat);
	return doc;
}

/* The error for 'doc' (taken). */
static char *
doc_err(json_t *doc)
{
	char	*text = json_dumps(doc, JSON_COMPACT), *err;

	err = refused(text, strlen(text));
	free(text);
	json_decref(doc);
	return err;
}

/*
 * The error for build()'s document with 'key' of element 'i' of array
 * 'arr' (or of the document when 'arr' is NULL) set to 'v' (taken; NULL
 * deletes it).
 */
static char *
edit_err(const char *arr, int i, const char *key, json_t *v)
{
	json_t	*doc = build_doc(), *o = doc;

	if (arr != NULL)
		o = json_array_get(json_object_get(doc, arr), (size_t)i);
	assert_non_null(o);
	if (v == NULL)
		json_object_del(o, key);
	else
		json_object_set_new(o, key, v);
	return doc_err(doc);
}

#define EXPECT(call, want) do { \
	char	*e_ = (call); \
	assert_string_equal(e_, (want)); \
	free(e_); \
} while (0)

static void
test_bad_indexes(void **state)
{
	(void)state;
	EXPECT(edit_err("rels", 1, "schema", json_integer(40)),
	    "catalog json: rels[1].schema: index 40 out of range");
	EXPECT(edit_err("rels", 1, "schema", json_integer(-1)),
	    "catalog json: rels[1].schema: index -1 out of range");
	EXPECT(edit_err("rels", 3, "parent", json_integer(6)),
	    "catalog json: rels[3].parent: index 6 out of range");
	EXPECT(edit_err("rels", 3, "parent", json_integer(-2)),
	    "catalog json: rels[3].parent: index -2 out of range");
	EXPECT(edit_err("indexes", 0, "rel", json_integer(-1)),
	    "catalog json: indexes[0].rel: index -1 out of range");
	EXPECT(edit_err("indexes", 0, "parent", json_integer(7)),
	    "catalog json: indexes[0].parent: index 7 out of range");
	EXPECT(edit_err("constraints", 1, "ref_rel", json_integer(99)),
	    "catalog json: constraints[1].ref_rel: index 99 out of range");
	EXPECT(edit_err("constraints", 0, "index", json_integer(2147483648LL)),
	    "catalog json: constraints[0].index: index 2147483648 out of"
	    " range");
	EXPECT(edit_err("triggers", 0, "rel", json_integer(9)),
	    "catalog json: triggers[0].rel: index 9 out of range");
	EXPECT(edit_err("enums", 0, "schema", json_integer(2)),
	    "catalog json: enums[0].schema: index 2 out of range");
	EXPECT(edit_err("domains", 1, "schema", json_integer(2)),
	    "catalog json: domains[1].schema: index 2 out of range");
	/* A parent chain that loops would never end in sch_finish. */
	EXPECT(edit_err("rels", 2, "parent", json_integer(3)),
	    "catalog json: rels[2].parent: a cycle");
	EXPECT(edit_err("rels", 2, "parent", json_integer(2)),
	    "catalog json: rels[2].parent: a cycle");
	EXPECT(edit_err("indexes", 1, "parent", json_integer(0)),
	    "catalog json: indexes[1].parent: index 0 is not on a"
	    " partitioned table");
	/* The lookups are binary searches. */
	EXPECT(edit_err("rels", 1, "oid", json_integer(1)),
	    "catalog json: rels[1].oid: not increasing");
	EXPECT(edit_err("schemas", 1, "oid", json_integer(16384)),
	    "catalog json: schemas[1].oid: not increasing");
}

static void
test_bad_types(void **state)
{
	(void)state;
	EXPECT(edit_err(NULL, 0, "version", json_integer(2)),
	    "catalog json: version: 2 not supported (this pgdeck reads 1)");
	EXPECT(edit_err(NULL, 0, "version", NULL),
	    "catalog json: version: missing");
	EXPECT(edit_err(NULL, 0, "format", json_string("something")),
	    "catalog json: format: not a pgdeck catalog");
	EXPECT(edit_err(NULL, 0, "rels", json_object()),
	    "catalog json: rels: expected an array");
	EXPECT(edit_err(NULL, 0, "triggers", NULL),
	    "catalog json: triggers: missing");
	EXPECT(edit_err(NULL, 0, "block_size", json_integer(8000)),
	    "catalog json: block_size: 8000 is not a power of two");
	EXPECT(edit_err(NULL, 0, "extra", json_true()),
	    "catalog json: extra: unknown field");
	EXPECT(edit_err("rels", 0, "name", json_integer(5)),
	    "catalog json: rels[0].name: expected a string");
	EXPECT(edit_err("rels", 0, "name", json_null()),
	    "catalog json: rels[0].name: expected a string");
	EXPECT(edit_err("rels", 0, "name", NULL),
	    "catalog json: rels[0].name: missing");
	EXPECT(edit_err("rels", 0, "comment", json_false()),
	    "catalog json: rels[0].comment: expected a string");
	EXPECT(edit_err("rels", 0, "kind", json_string("rr")),
	    "catalog json: rels[0].kind: expected one character");
	EXPECT(edit_err("rels", 0, "is_partition", json_integer(1)),
	    "catalog json: rels[0].is_partition: expected true or false");
	EXPECT(edit_err("rels", 0, "fillfactor", json_integer(500)),
	    "catalog json: rels[0].fillfactor: 500 out of range");
	EXPECT(edit_err("rels", 0, "reltuples", json_string("1")),
	    "catalog json: rels[0].reltuples: expected a number");
	EXPECT(edit_err("rels", 0, "n_live_tup", json_integer(-5)),
	    "catalog json: rels[0].n_live_tup: -5 out of range");
	EXPECT(edit_err("rels", 0, "oid", json_integer(-5)),
	    "catalog json: rels[0].oid: -5 is not an OID");
	EXPECT(edit_err("rels", 0, "cols", json_integer(0)),
	    "catalog json: rels[0].cols: expected an array");
	EXPECT(edit_err("rels", 0, "color", json_string("red")),
	    "catalog json: rels[0].color: unknown field");
	EXPECT(edit_err("indexes", 0, "keys", json_pack("[s]", "1")),
	    "catalog json: indexes[0].keys: [0]: expected an integer");
	EXPECT(edit_err("indexes", 0, "opclass", json_pack("[i,i]", 1, 2)),
	    "catalog json: indexes[0].opclass: 2 entries, expected 1");
	EXPECT(edit_err("indexes", 0, "nkeyatts", json_integer(3)),
	    "catalog json: indexes[0].nkeyatts: 3 of 1 keys");
	EXPECT(edit_err("constraints", 1, "ref_cols", NULL),
	    "catalog json: constraints[1].ref_cols: missing");
	EXPECT(edit_err("constraints", 1, "ref_cols", json_pack("[i,i]", 1,
	    2)), "catalog json: constraints[1].ref_cols: 2 entries,"
	    " expected 1");
	EXPECT(edit_err("constraints", 1, "cols", json_array()),
	    "catalog json: constraints[1].ref_cols: 1 entries, expected 0");
	EXPECT(edit_err("enums", 0, "values", json_pack("[n]")),
	    "catalog json: enums[0].values: [0]: expected a string");
	EXPECT(edit_err("domains", 0, "base", json_pack("{s:s}", "latin1",
	    "\xe2\x9c\x93")), "catalog json: domains[0].base: expected a"
	    " string");
	{
		char	*e = refused("[1, 2]", 6);

		assert_string_equal(e, "catalog json: not an object");
		free(e);
		e = refused("{\"a\":1,\"a\":2}", 13);
		assert_non_null(strstr(e, "duplicate"));
		free(e);
		e = refused("", 0);
		free(e);
	}
}

/* The error for build()'s document with rels[0].cols[2].attnum 'attnum'. */
static char *
attnum_err(int attnum)
{
	json_t	*doc = build_doc(), *cols;

	cols = json_object_get(json_array_get(json_object_get(doc, "rels"),
	    0), "cols");
	json_object_set_new(json_array_get(cols, 2), "attnum",
	    json_integer(attnum));
	return doc_err(doc);
}

/* The column list of a rel must be sorted by attnum (sch_column). */
static void
test_bad_columns(void **state)
{
	(void)state;
	EXPECT(attnum_err(2), "catalog json: rels[0].cols[2].attnum: not"
	    " increasing");
	EXPECT(attnum_err(0), "catalog json: rels[0].cols[2].attnum: 0 out"
	    " of range");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_indexes),
		cmocka_unit_test(test_bad_types),
		cmocka_unit_test(test_bad_columns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
