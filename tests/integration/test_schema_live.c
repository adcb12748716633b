/*
 * test_schema_live.c - the Schema pane's catalog loaded from a real
 * PostgreSQL, every count the pane shows and every lint checked.
 *
 * Needs the server started by tests/harness/pg_server.sh (its env file
 * sourced).  Without one it skips loudly; with CI=true it fails.  The
 * group setup builds the database 'pgdeck_schema_test' from
 * tests/schema/live_schema.sql (see the list at its top), then loads
 * both phases under a statement_timeout.  Figures that the server
 * decides (sizes, partition trees, raw catalog rows) are checked against
 * independent SQL; the rest against what the fixture declares.
 *
 * The source tree is found through PGDECK_SOURCE_DIR, from the
 * environment or else from the compile definition.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "core/strbuf.h"
#include "core/util.h"
#include "schema/schema.h"
#include "../unit/schema_equal.h"

#ifndef PGDECK_SOURCE_DIR
#define PGDECK_SOURCE_DIR "."
#endif

#define TEST_DB		"pgdeck_schema_test"
#define SCHEMA_SQL	"tests/schema/live_schema.sql"

static const char	*conninfo;
static const char	*srcdir;

static struct {
	PGconn			*admin;
	PGconn			*db;
	struct sch_catalog	*cat;
} g;

static char *
read_source(const char *rel)
{
	char	*path = xstrfmt("%s/%s", srcdir, rel), *buf;
	size_t	 len;

	if (read_file(path, &buf, &len, 1 << 24) != 0)
		fail_msg("%s: cannot read", path);
	free(path);
	return buf;
}

static void
exec_or_fail(PGconn *c, const char *sql)
{
	PGresult	*r = PQexec(c, sql);

	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%.200s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
}

/*
 * Run the fixture statement by statement (autocommit, so CONCURRENTLY
 * and VACUUM work).  A statement ends with ';' at the end of a line
 * outside a $$ body; one after a "-- @fails" line must fail.
 */
static void
run_fixture(PGconn *c, const char *text)
{
	struct strbuf	 cur = STRBUF_INIT;
	char		*copy = xstrdup(text), *line, *next;
	int		 in_body = 0, must_fail = 0;

	for (line = copy; line != NULL && *line != '\0'; line = next) {
		const char	*s;
		size_t		 len;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		len = strlen(line);
		while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (!in_body && strncmp(line, "--", 2) == 0) {
			if (strcmp(line, "-- @fails") == 0)
				must_fail = 1;
			continue;
		}
		if (!in_body && cur.len == 0 && len == 0)
			continue;
		for (s = line; (s = strstr(s, "$$")) != NULL; s += 2)
			in_body = !in_body;
		if (cur.len > 0)
			strbuf_addch(&cur, '\n');
		strbuf_addstr(&cur, line);
		if (!in_body && len > 0 && line[len - 1] == ';') {
			PGresult	*r = PQexec(c, cur.buf);
			int		 ok = PQresultStatus(r) ==
					    PGRES_COMMAND_OK ||
					    PQresultStatus(r) ==
					    PGRES_TUPLES_OK;

			if (ok && must_fail)
				fail_msg("expected to fail: %.200s", cur.buf);
			if (!ok && !must_fail)
				fail_msg("%.200s: %s", cur.buf,
				    PQresultErrorMessage(r));
			PQclear(r);
			must_fail = 0;
			strbuf_reset(&cur);
		}
	}
	if (cur.len > 0)
		fail_msg("fixture ends inside a statement: %.60s", cur.buf);
	strbuf_release(&cur);
	free(copy);
}

static PGconn *
connect_to(const char *db)
{
	const char	*keys[] = { "dbname", "dbname", "application_name",
			    NULL };
	const char	*vals[] = { conninfo, db, "pgdeck test_schema_live",
			    NULL };
	PGconn		*c;

	if (db == NULL)
		keys[1] = NULL;
	c = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("cannot connect to '%s' (%s): %s", conninfo,
		    db != NULL ? db : "-", PQerrorMessage(c));
	return c;
}

static void
quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* A single number from the server. */
static long long
sql_int(const char *sql)
{
	PGresult	*r = PQexec(g.db, sql);
	long long	 v;

	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
		fail_msg("%.200s: %s", sql, PQresultErrorMessage(r));
	v = atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

static struct sch_catalog *
load_both(void)
{
	struct sch_catalog	*cat = sch_catalog_new();
	char			*err = NULL;

	if (sch_load(g.db, cat, SCH_PHASE_CATALOG, &err) != 0)
		fail_msg("catalog phase: %s", err);
	if (sch_load(g.db, cat, SCH_PHASE_DETAIL, &err) != 0)
		fail_msg("detail phase: %s", err);
	return cat;
}

static int
group_setup(void **state)
{
	char	*sql;

	(void)state;
	g.admin = connect_to(NULL);
	PQsetNoticeProcessor(g.admin, quiet, NULL);
	exec_or_fail(g.admin, "DROP DATABASE IF EXISTS " TEST_DB
	    " WITH (FORCE)");
	exec_or_fail(g.admin, "CREATE DATABASE " TEST_DB);
	g.db = connect_to(TEST_DB);
	PQsetNoticeProcessor(g.db, quiet, NULL);
	sql = read_source(SCHEMA_SQL);
	run_fixture(g.db, sql);
	free(sql);
	/* The fixture's own counters, flushed before anything reads them. */
	exec_or_fail(g.db, "SELECT pg_stat_force_next_flush()");
	exec_or_fail(g.db, "SELECT 1");
	/* Every query must be fine under a timeout, as the pane runs them. */
	exec_or_fail(g.db, "SET statement_timeout = '10s'");
	exec_or_fail(g.db, "SET lock_timeout = '2s'");
	g.cat = load_both();
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	sch_catalog_free(g.cat);
	PQfinish(g.db);
	if (g.admin != NULL) {
		PGresult *r = PQexec(g.admin, "DROP DATABASE IF EXISTS "
		    TEST_DB " WITH (FORCE)");

		PQclear(r);
		PQfinish(g.admin);
	}
	memset(&g, 0, sizeof g);
	return 0;
}

static int
rel(const char *schema, const char *name)
{
	int	r = sch_find_rel(g.cat, schema, name);

	if (r < 0)
		fail_msg("relation %s.%s not loaded", schema, name);
	return r;
}

static const struct sch_index *
index_named(const char *schema, const char *name)
{
	int	x = sch_find_index(g.cat, schema, name);

	if (x < 0)
		fail_msg("index %s.%s not loaded", schema, name);
	return &g.cat->indexes[x];
}

static const struct sch_constraint *
constraint_named(int r, const char *name)
{
	int	k = sch_find_constraint(g.cat, r, name);

	if (k < 0)
		fail_msg("constraint %s of %s not loaded", name,
		    g.cat->rels[r].name);
	return &g.cat->constraints[k];
}

static int
schema_named(const char *name)
{
	int	i;

	for (i = 0; i < g.cat->nschemas; i++)
		if (strcmp(g.cat->schemas[i].name, name) == 0)
			return i;
	fail_msg("schema %s not loaded", name);
	return -1;
}

static void
test_schemas_and_relations(void **state)
{
	const struct sch_catalog	*cat = g.cat;
	int				 i, kinds[128] = { 0 };

	(void)state;
	assert_string_equal(cat->database, TEST_DB);
	assert_true(cat->server_version >= 150000);
	assert_int_equal(cat->block_size, 8192);
	assert_true(cat->loaded_at > 1600000000);
	assert_true(cat->server_started > 0);
	assert_true(cat->server_started <= cat->loaded_at);
	assert_true(cat->detail_loaded);

	/* public, app, billing, audit: nothing of pg_catalog, pg_toast... */
	assert_int_equal(cat->nschemas, 4);
	for (i = 0; i < cat->nschemas; i++)
		assert_true(strncmp(cat->schemas[i].name, "pg_", 3) != 0 &&
		    strcmp(cat->schemas[i].name, "information_schema") != 0);
	for (i = 0; i < cat->nrels; i++)
		kinds[(unsigned char)cat->rels[i].kind]++;
	assert_int_equal(cat->nrels, 28);
	assert_int_equal(kinds['r'], 21);
	assert_int_equal(kinds['p'], 4);
	assert_int_equal(kinds['v'], 1);
	assert_int_equal(kinds['m'], 1);
	assert_int_equal(kinds['f'], 1);

	/* The tree: partitions hang under their roots, not the schema. */
	assert_int_equal(cat->schemas[schema_named("public")].nrels, 3);
	assert_int_equal(cat->schemas[schema_named("app")].nrels, 7);
	assert_int_equal(cat->schemas[schema_named("billing")].nrels, 5);
	assert_int_equal(cat->schemas[schema_named("audit")].nrels, 4);
	{
		const struct sch_schema *s = &cat->schemas[schema_named("app")];
		static const char *const names[] = { "categories",
		    "customer_orders", "customers", "daily_orders",
		    "order_lines", "orders", "products" };

		for (i = 0; i < s->nrels; i++)
			assert_string_equal(cat->rels[s->rels[i]].name,
			    names[i]);
	}
}

/* A foreign table: listed, no storage, no lints (no PK possible). */
static void
test_foreign_table(void **state)
{
	const struct sch_catalog	*cat = g.cat;
	const struct sch_rel		*ft = &cat->rels[rel("audit",
					    "remote_events")];
	struct sch_finding		*f;
	int				 n, i;

	(void)state;
	assert_int_equal(ft->kind, 'f');
	assert_string_equal(ft->comment, "Events kept in the archive database");
	assert_int_equal(ft->ncols, 2);
	assert_true(ft->cols[0].notnull);
	assert_int_equal(ft->nindexes, 0);
	assert_int_equal(ft->size_total, 0);
	n = sch_lint(cat, &f);
	for (i = 0; i < n; i++)
		assert_true(f[i].rel < 0 ||
		    strcmp(cat->rels[f[i].rel].name, "remote_events") != 0);
	sch_findings_free(f, n);
}

static void
test_partitions(void **state)
{
	const struct sch_catalog	*cat = g.cat;
	const struct sch_rel		*orders = &cat->rels[rel("app", "orders")];
	const struct sch_rel		*events = &cat->rels[rel("audit", "events")];
	const struct sch_rel		*rest = &cat->rels[rel("audit",
					    "events_rest")];
	const struct sch_rel		*lines = &cat->rels[rel("app",
					    "order_lines")];
	const struct sch_rel		*p2023;
	int64_t				 leaves = 0;
	int				 i;

	(void)state;
	assert_int_equal(orders->kind, 'p');
	assert_int_equal(orders->partstrat, 'r');
	assert_int_equal(lines->partstrat, 'h');
	assert_int_equal(events->partstrat, 'l');
	assert_string_equal(orders->partkey, "RANGE (created_at)");
	assert_int_equal(orders->nchildren, 3);
	assert_string_equal(cat->rels[orders->children[0]].name,
	    "orders_2023");
	assert_string_equal(cat->rels[orders->children[2]].name,
	    "orders_default");
	p2023 = &cat->rels[orders->children[0]];
	assert_true(p2023->is_partition);
	assert_int_equal(p2023->parent, rel("app", "orders"));
	assert_string_equal(p2023->partbound,
	    "FOR VALUES FROM ('2023-01-01') TO ('2024-01-01')");
	assert_string_equal(cat->rels[orders->children[2]].partbound,
	    "DEFAULT");
	assert_int_equal(lines->nchildren, 2);
	assert_string_equal(cat->rels[lines->children[1]].partbound,
	    "FOR VALUES WITH (modulus 2, remainder 1)");

	/* Sub-partitioned: events -> events_rest (RANGE) -> two leaves. */
	assert_int_equal(events->nchildren, 2);
	assert_int_equal(rest->kind, 'p');
	assert_true(rest->is_partition);
	assert_int_equal(rest->partstrat, 'r');
	assert_int_equal(rest->nchildren, 2);
	assert_int_equal(rest->parent, rel("audit", "events"));

	/* pg_total_relation_size of a partitioned table is 0: the tree's. */
	assert_int_equal(sql_int("SELECT pg_total_relation_size("
	    "'app.orders')"), 0);
	for (i = 0; i < orders->nchildren; i++)
		leaves += cat->rels[orders->children[i]].size_total;
	assert_true(orders->size_total > 0);
	assert_int_equal(orders->size_total, leaves);
	assert_int_equal(orders->size_total, sql_int("SELECT"
	    " sum(pg_total_relation_size(relid)) FROM"
	    " pg_partition_tree('app.orders') WHERE isleaf"));
	assert_int_equal(events->size_total, sql_int("SELECT"
	    " sum(pg_total_relation_size(relid)) FROM"
	    " pg_partition_tree('audit.events') WHERE isleaf"));
	assert_int_equal(events->size_heap, sql_int("SELECT"
	    " sum(pg_relation_size(relid)) FROM"
	    " pg_partition_tree('audit.events') WHERE isleaf"));
	assert_int_equal(rest->size_total, sql_int("SELECT"
	    " sum(pg_total_relation_size(relid)) FROM"
	    " pg_partition_tree('audit.events_rest') WHERE isleaf"));
	assert_int_equal(events->size_total, rest->size_total +
	    cat->rels[rel("audit", "events_session")].size_total);
	assert_int_equal(events->n_live_tup, 5000);
	assert_int_equal(orders->n_live_tup, 3000);

	/* The partitioned index's size is its leaves'. */
	assert_int_equal(index_named("app", "orders_pkey")->size,
	    sql_int("SELECT sum(pg_relation_size(relid)) FROM"
	    " pg_partition_tree('app.orders_pkey') WHERE isleaf"));

	/* Table inheritance is a parent too, without partition bounds. */
	{
		const struct sch_rel *arch = &cat->rels[rel("audit",
		    "log_archive")];

		assert_int_equal(arch->parent, rel("audit", "log_base"));
		assert_false(arch->is_partition);
		assert_null(arch->partbound);
		assert_int_equal(cat->rels[arch->parent].nchildren, 1);
		assert_int_equal(arch->ncols, 3);
	}
}

static void
test_columns(void **state)
{
	const struct sch_catalog	*cat = g.cat;
	int				 c = rel("app", "customers");
	const struct sch_column		*col;

	(void)state;
	assert_int_equal(cat->rels[c].ncols, 5);
	col = sch_column_named(cat, c, "id");
	assert_non_null(col);
	assert_int_equal(col->attnum, 1);
	assert_string_equal(col->type, "bigint");
	assert_int_equal(col->typid, 20);
	assert_int_equal(col->identity, 'a');
	assert_true(col->notnull);
	col = sch_column_named(cat, c, "email");
	assert_string_equal(col->type, "app.email");
	assert_string_equal(col->comment, "Where receipts go");
	assert_null(sch_column_named(cat, c, "name")->comment);
	col = sch_column_named(cat, c, "name_lower");
	assert_int_equal(col->generated, 's');
	assert_string_equal(col->dflt, "lower(name)");
	assert_int_equal(col->identity, 0);
	col = sch_column_named(cat, c, "created_at");
	assert_string_equal(col->dflt, "now()");
	assert_string_equal(col->type, "timestamp with time zone");
	/* Statistics: customers was analysed, products never. */
	assert_true(cat->rels[c].reltuples == 100);
	assert_true(sch_column_named(cat, c, "name")->avg_width > 0);
	assert_true(cat->rels[rel("app", "products")].reltuples < 0);
	assert_true(sch_column_named(cat, rel("app", "products"),
	    "sku")->avg_width < 0);
	assert_int_equal(sch_column_named(cat, rel("billing", "invoices"),
	    "id")->identity, 'd');
	assert_int_equal(cat->rels[rel("app", "customer_orders")].ncols, 3);
	assert_int_equal(cat->rels[rel("app", "customer_orders")].size_total,
	    0);
}

static void
test_indexes(void **state)
{
	const struct sch_catalog	*cat = g.cat;
	const struct sch_index		*x;
	int				 i, n = 0;

	(void)state;
	assert_int_equal(cat->nindexes, (int)sql_int("SELECT count(*) FROM"
	    " pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE"
	    " c.relnamespace::regnamespace::text IN ('public', 'app',"
	    " 'billing', 'audit')"));
	assert_int_equal(cat->nindexes, 43);
	assert_int_equal(cat->rels[rel("app", "customers")].nindexes, 7);

	/* The expression column reads as attnum 0, the next as itself. */
	x = index_named("app", "customers_lower_name_idx");
	assert_int_equal(x->nkeys, 2);
	assert_int_equal(x->keys[0], 0);
	assert_int_equal(x->keys[1], 1);
	assert_string_equal(x->exprs, "lower(name)");
	assert_string_equal(x->comment, "Case-insensitive search");
	assert_non_null(x->definition);
	assert_non_null(strstr(x->definition, "lower(name)"));

	x = index_named("app", "order_lines_qty_product_idx");
	assert_int_equal(x->keys[0], 5);
	assert_int_equal(x->keys[1], 4);
	x = index_named("app", "products_category_idx");
	assert_true(x->partial);
	assert_string_equal(x->predicate, "(category_id IS NOT NULL)");
	x = index_named("public", "tags_label_key");
	assert_false(x->valid);
	assert_true(x->unique);
	x = index_named("billing", "invoices_account_idx");
	assert_string_equal(x->am, "hash");
	x = index_named("app", "customers_pkey");
	assert_true(x->primary);
	assert_true(x->unique);
	assert_true(x->size > 0);
	assert_int_equal(x->size, sql_int("SELECT pg_relation_size("
	    "'app.customers_pkey')"));
	/* An index attached to a partitioned one. */
	x = index_named("app", "orders_2023_pkey");
	assert_int_equal(x->parent, sch_find_index(cat, "app", "orders_pkey"));
	for (i = 0; i < cat->nindexes; i++)
		if (cat->indexes[i].definition == NULL ||
		    cat->indexes[i].size < 0)
			n++;
	assert_int_equal(n, 0);
}

static void
test_constraints(void **state)
{
	const struct sch_catalog	*cat = g.cat;
	const struct sch_constraint	*k;
	int				 i, types[128] = { 0 };
	int				 lines = rel("app", "order_lines");

	(void)state;
	for (i = 0; i < cat->nconstraints; i++)
		types[(unsigned char)cat->constraints[i].type]++;
	assert_int_equal(types['p'], 18);
	assert_int_equal(types['u'], 2);
	assert_int_equal(types['c'], 4);
	assert_int_equal(types['x'], 0);
	/* Declared FKs once, though the server holds clones of them. */
	assert_int_equal(types['f'], 11);
	assert_true(sql_int("SELECT count(*) FROM pg_constraint WHERE"
	    " contype = 'f'") > 11);
	assert_int_equal(sql_int("SELECT count(*) FROM pg_constraint WHERE"
	    " contype = 'f' AND conparentid = 0"), 11);
	assert_int_equal(cat->nconstraints, 35);

	k = constraint_named(lines, "order_lines_order_fk");
	assert_int_equal(k->type, 'f');
	assert_int_equal(k->ncols, 2);
	assert_int_equal(k->cols[0], 1);
	assert_int_equal(k->cols[1], 2);
	assert_int_equal(k->ref_rel, rel("app", "orders"));
	assert_int_equal(k->ref_cols[0], 1);
	assert_int_equal(k->ref_cols[1], 4);
	assert_true(k->validated);
	assert_int_equal(k->on_delete, 'a');
	assert_int_equal(cat->rels[rel("app", "orders")].nfks_in, 1);
	assert_int_equal(cat->rels[rel("app", "customers")].nfks_in, 2);

	k = constraint_named(rel("app", "categories"),
	    "categories_parent_id_fkey");
	assert_int_equal(k->ref_rel, k->rel);	/* self-referencing */
	k = constraint_named(rel("billing", "accounts"),
	    "accounts_contact_fk");
	assert_false(k->validated);
	assert_int_equal(k->ref_rel, rel("billing", "contacts"));
	k = constraint_named(rel("billing", "contacts"),
	    "contacts_account_id_fkey");
	assert_int_equal(k->ref_rel, rel("billing", "accounts"));
	k = constraint_named(rel("billing", "account_settings"),
	    "account_settings_account_id_fkey");
	assert_int_equal(k->on_delete, 'c');
	assert_non_null(strstr(k->definition, "ON DELETE CASCADE"));
	k = constraint_named(rel("billing", "contacts"),
	    "contacts_phone_check");
	assert_int_equal(k->type, 'c');
	assert_false(k->validated);
	k = constraint_named(rel("app", "customers"), "customers_pkey");
	assert_string_equal(k->comment, "Surrogate key");
	assert_int_equal(k->index, sch_find_index(cat, "app",
	    "customers_pkey"));
	k = constraint_named(rel("app", "orders"), "orders_customer_fk");
	assert_string_equal(k->comment, "Every order has a buyer");
	/* A partition's own PK, attached to the root's. */
	assert_int_equal(cat->rels[rel("app", "orders_2024")].nconstraints, 1);
}

static void
test_triggers_types_comments(void **state)
{
	const struct sch_catalog	*cat = g.cat;
	const struct sch_rel		*c = &cat->rels[rel("app", "customers")];
	static const char *const	 status[] = { "new", "paid", "shipped",
					    "refunded", "cancelled" };
	int				 i;

	(void)state;
	/* Neither FK internals nor the clones of orders_touch. */
	assert_int_equal(cat->ntriggers, 3);
	assert_int_equal(c->ntriggers, 2);
	assert_string_equal(cat->triggers[c->triggers[0]].name,
	    "customers_audit");
	assert_int_equal(cat->triggers[c->triggers[0]].enabled, 'D');
	assert_int_equal(cat->triggers[c->triggers[1]].enabled, 'O');
	assert_string_equal(cat->triggers[c->triggers[1]].comment,
	    "Keeps it fresh");
	assert_string_equal(cat->triggers[c->triggers[1]].function,
	    "app.touch");
	assert_non_null(strstr(cat->triggers[c->triggers[1]].definition,
	    "BEFORE UPDATE"));
	assert_int_equal(cat->rels[rel("app", "orders")].ntriggers, 1);
	assert_int_equal(cat->rels[rel("app", "orders_2023")].ntriggers, 0);

	assert_int_equal(cat->nenums, 2);
	for (i = 0; i < cat->nenums; i++)
		if (strcmp(cat->enums[i].name, "order_status") == 0)
			break;
	assert_true(i < cat->nenums);
	assert_int_equal(cat->enums[i].nvalues, 5);
	for (int v = 0; v < 5; v++)
		assert_string_equal(cat->enums[i].values[v], status[v]);
	assert_string_equal(cat->enums[i].comment, "Where an order is");
	assert_string_equal(cat->schemas[cat->enums[i].schema].name, "app");

	assert_int_equal(cat->ndomains, 2);
	for (i = 0; i < cat->ndomains; i++) {
		const struct sch_domain *d = &cat->domains[i];

		if (strcmp(d->name, "email") == 0) {
			assert_string_equal(d->base, "text");
			assert_true(d->notnull);
			assert_int_equal(d->nchecks, 1);
			assert_string_equal(d->comment, "An e-mail address");
		} else {
			assert_string_equal(d->name, "cents");
			assert_string_equal(d->base, "bigint");
			assert_false(d->notnull);
			assert_string_equal(d->dflt, "0");
			assert_int_equal(d->nchecks, 2);
			assert_string_equal(d->checks[0],
			    "CHECK ((VALUE < '1000000000000'::bigint))");
			assert_null(d->comment);
		}
	}

	/* Each comment on its own object, none leaking to another kind. */
	assert_string_equal(cat->schemas[schema_named("app")].comment,
	    "The shop");
	assert_null(cat->schemas[schema_named("billing")].comment);
	assert_string_equal(c->comment, "People who buy");
	assert_string_equal(cat->rels[rel("app", "customer_orders")].comment,
	    "Orders per customer");
	assert_null(cat->rels[rel("app", "orders")].comment);
	assert_null(index_named("app", "customers_pkey")->comment);
	assert_null(constraint_named(rel("app", "orders"),
	    "orders_pkey")->comment);
}

/* "rule:object" for each finding, sorted, ';'-joined. */
static char *
findings_key(const struct sch_catalog *cat)
{
	struct sch_finding	*f;
	int			 n = sch_lint(cat, &f), i, j;
	char			**keys = xcalloc((size_t)n + 1, sizeof *keys);
	struct strbuf		 sb = STRBUF_INIT;

	for (i = 0; i < n; i++) {
		const char *obj = f[i].index >= 0 ?
		    cat->indexes[f[i].index].name : f[i].constraint >= 0 ?
		    cat->constraints[f[i].constraint].name :
		    cat->rels[f[i].rel].name;

		assert_non_null(f[i].message);
		assert_non_null(f[i].fix);
		keys[i] = xstrfmt("%s:%s", f[i].rule, obj);
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
			char *t = keys[j];

			keys[j] = keys[j - 1];
			keys[j - 1] = t;
		}
	for (i = 0; i < n; i++) {
		if (i > 0)
			strbuf_addch(&sb, ';');
		strbuf_addstr(&sb, keys[i]);
		free(keys[i]);
	}
	free(keys);
	sch_findings_free(f, n);
	return strbuf_detach(&sb);
}

/* Findings with no "unused-index", which depends on the stats' age. */
#define FINDINGS_STRUCTURAL \
	"duplicate-index:customers_created_idx2;" \
	"fk-type-mismatch:order_lines_product_fk;" \
	"fk-without-index:accounts_contact_fk;" \
	"fk-without-index:order_lines_product_fk;" \
	"fk-without-index:orders_customer_fk;" \
	"fk-without-index:products_category_id_fkey;" \
	"index-bloat:bloated_pad_idx;" \
	"invalid-index:tags_label_key;" \
	"no-primary-key:events;" \
	"no-primary-key:log_archive;" \
	"no-primary-key:notes;" \
	"not-valid-constraint:accounts_contact_fk;" \
	"not-valid-constraint:contacts_phone_check;" \
	"redundant-index:customers_name_idx;" \
	"table-bloat:bloated"

static void
test_lints(void **state)
{
	struct sch_catalog	*cat = g.cat;
	char			*got;
	struct sch_finding	*f;
	int			 n, i;

	(void)state;
	/* The database is minutes old: no index is called unused. */
	got = findings_key(cat);
	assert_string_equal(got, FINDINGS_STRUCTURAL);
	free(got);

	/* Stats just reset: too young to call an index unused. */
	cat->stats_reset = cat->loaded_at - 3600;
	got = findings_key(cat);
	assert_string_equal(got, FINDINGS_STRUCTURAL);
	free(got);

	/*
	 * Thirty days of statistics: every index never scanned that is not
	 * unique, not a clone in a partition, not invalid (that is its own
	 * finding).  Nothing has scanned an index yet (test_stats does).
	 */
	cat->stats_reset = cat->loaded_at - 30 * 86400;
	got = findings_key(cat);
	assert_string_equal(got,
	    "duplicate-index:customers_created_idx2;"
	    "fk-type-mismatch:order_lines_product_fk;"
	    "fk-without-index:accounts_contact_fk;"
	    "fk-without-index:order_lines_product_fk;"
	    "fk-without-index:orders_customer_fk;"
	    "fk-without-index:products_category_id_fkey;"
	    "index-bloat:bloated_pad_idx;"
	    "invalid-index:tags_label_key;"
	    "no-primary-key:events;"
	    "no-primary-key:log_archive;"
	    "no-primary-key:notes;"
	    "not-valid-constraint:accounts_contact_fk;"
	    "not-valid-constraint:contacts_phone_check;"
	    "redundant-index:customers_name_idx;"
	    "table-bloat:bloated;"
	    "unused-index:bloated_pad_idx;"
	    "unused-index:categories_parent_name_idx;"
	    "unused-index:contacts_account_idx;"
	    "unused-index:customers_created_idx;"
	    "unused-index:customers_created_idx2;"
	    "unused-index:customers_lower_name_idx;"
	    "unused-index:customers_name_created_idx;"
	    "unused-index:customers_name_idx;"
	    "unused-index:events_customer_idx;"
	    "unused-index:invoice_lines_invoice_idx;"
	    "unused-index:invoices_account_idx;"
	    "unused-index:order_lines_qty_product_idx;"
	    "unused-index:products_category_idx");
	free(got);

	/* The messages carry the reason and the figures. */
	n = sch_lint(cat, &f);
	for (i = 0; i < n; i++) {
		const char *m = f[i].message;

		if (strcmp(f[i].rule, "unused-index") == 0) {
			assert_non_null(strstr(m, "statistics reset 30 days"
			    " ago"));
			assert_non_null(strstr(f[i].fix, "DROP INDEX"));
		} else if (strcmp(f[i].rule, "table-bloat") == 0) {
			assert_true(f[i].wasted > SCH_BLOAT_MIN_BYTES);
			assert_true(f[i].wasted < cat->rels[f[i].rel].relpages *
			    8192);
		} else if (strcmp(f[i].rule, "fk-without-index") == 0 &&
		    strcmp(cat->constraints[f[i].constraint].name,
		    "order_lines_product_fk") == 0) {
			assert_non_null(strstr(m, "but not first"));
			assert_string_equal(f[i].fix,
			    "CREATE INDEX ON app.order_lines (product_id);");
		} else if (strcmp(f[i].rule, "no-primary-key") == 0 &&
		    strcmp(cat->rels[f[i].rel].name, "notes") == 0) {
			assert_string_equal(f[i].fix, "ALTER TABLE"
			    " public.notes ADD PRIMARY KEY USING INDEX"
			    " notes_code_key;");
		}
	}
	sch_findings_free(f, n);
	cat->stats_reset = 0;
}

/* A scanned index is not unused; pg_stat_reset() is seen by the loader. */
static void
test_stats(void **state)
{
	struct sch_catalog	*cat;
	char			*got;

	(void)state;
	exec_or_fail(g.db, "SET enable_seqscan = off");
	exec_or_fail(g.db, "SELECT * FROM app.categories WHERE parent_id = 1");
	exec_or_fail(g.db, "RESET enable_seqscan");
	exec_or_fail(g.db, "SELECT pg_stat_force_next_flush()");
	exec_or_fail(g.db, "SELECT 1");
	cat = load_both();
	assert_int_equal(index_named("app", "categories_parent_name_idx")
	    ->idx_scan, 0);
	assert_true(cat->indexes[sch_find_index(cat, "app",
	    "categories_parent_name_idx")].idx_scan > 0);
	assert_true(cat->rels[sch_find_rel(cat, "app", "categories")]
	    .idx_scan > 0);
	cat->stats_reset = cat->loaded_at - 30 * 86400;
	got = findings_key(cat);
	assert_null(strstr(got, "unused-index:categories_parent_name_idx"));
	assert_non_null(strstr(got, "unused-index:contacts_account_idx"));
	free(got);
	sch_catalog_free(cat);

	exec_or_fail(g.db, "SELECT pg_stat_reset()");
	cat = load_both();
	assert_true(cat->stats_reset > 0);
	assert_true(cat->stats_reset <= cat->loaded_at);
	got = findings_key(cat);
	assert_null(strstr(got, "unused-index"));
	free(got);
	sch_catalog_free(cat);
}

static void
test_cardinality(void **state)
{
	const struct sch_catalog	*cat = g.cat;
	int				 many, optional;

	(void)state;
	/* account_settings.account_id is its PK: one settings row at most. */
	sch_fk_cardinality(cat, constraint_named(rel("billing",
	    "account_settings"), "account_settings_account_id_fkey"),
	    &many, &optional);
	assert_int_equal(many, 0);
	assert_int_equal(optional, 0);
	/* Nullable, not unique. */
	sch_fk_cardinality(cat, constraint_named(rel("billing", "accounts"),
	    "accounts_contact_fk"), &many, &optional);
	assert_int_equal(many, 1);
	assert_int_equal(optional, 1);
	/* Composite, NOT NULL, a prefix of the PK only: many. */
	sch_fk_cardinality(cat, constraint_named(rel("app", "order_lines"),
	    "order_lines_order_fk"), &many, &optional);
	assert_int_equal(many, 1);
	assert_int_equal(optional, 0);
}

/* The asynchronous path: the queries one by one, as the pane runs them. */
static void
test_query_by_query(void **state)
{
	struct sch_catalog	*cat = sch_catalog_new();
	enum sch_phase		 phases[] = { SCH_PHASE_CATALOG,
				    SCH_PHASE_DETAIL };
	char			*err = NULL;
	int			 p, i;

	(void)state;
	for (p = 0; p < 2; p++) {
		assert_true(sch_nqueries(phases[p]) > 0);
		assert_true(sch_nqueries(phases[p]) <= 8);
		for (i = 0; i < sch_nqueries(phases[p]); i++) {
			PGresult *r;

			assert_int_equal(PQsendQuery(g.db,
			    sch_query(phases[p], i)), 1);
			r = PQgetResult(g.db);
			if (sch_parse(cat, phases[p], i, r, &err) != 0)
				fail_msg("query %d: %s", i, err);
			PQclear(r);
			assert_null(PQgetResult(g.db));
		}
		sch_finish(cat);
		if (p == 0)
			assert_int_equal(cat->rels[sch_find_rel(cat, "app",
			    "orders")].size_total, -1);
	}
	assert_int_equal(cat->nrels, g.cat->nrels);
	assert_int_equal(cat->nindexes, g.cat->nindexes);
	assert_int_equal(cat->nconstraints, g.cat->nconstraints);
	assert_null(sch_query(SCH_PHASE_DETAIL, 99));

	/* A failed query is an error with the server's message, no crash. */
	{
		PGresult *r = PQexec(g.db, "SELECT 1/0");

		assert_int_equal(sch_parse(cat, SCH_PHASE_CATALOG, 2, r, &err),
		    -1);
		assert_non_null(strstr(err, "division by zero"));
		free(err);
		PQclear(r);
		r = PQexec(g.db, "SELECT 1 AS oid");
		assert_int_equal(sch_parse(cat, SCH_PHASE_CATALOG, 2, r, &err),
		    -1);
		assert_non_null(strstr(err, "missing"));
		free(err);
		PQclear(r);
	}
	sch_catalog_free(cat);
}


/*
 * Every table's index total is pg_indexes_size() (all forks of every
 * live index), though the loader adds it up from the per-index sizes;
 * each index's size is all its forks.
 */
static void
test_sizes(void **state)
{
	const struct sch_catalog	*cat = g.cat;
	int				 i, tables = 0;

	(void)state;
	for (i = 0; i < cat->nrels; i++) {
		const struct sch_rel	*r = &cat->rels[i];
		char			*q;

		if (r->kind != 'r' && r->kind != 'm')
			continue;
		tables++;
		q = xstrfmt("SELECT pg_indexes_size(%u)", r->oid);
		assert_int_equal(r->size_index, sql_int(q));
		free(q);
		q = xstrfmt("SELECT pg_total_relation_size(%u)", r->oid);
		assert_int_equal(r->size_total, sql_int(q));
		free(q);
		q = xstrfmt("SELECT pg_relation_size(%u)", r->oid);
		assert_int_equal(r->size_heap, sql_int(q));
		free(q);
	}
	assert_true(tables > 20);
	for (i = 0; i < cat->nindexes; i++) {
		const struct sch_index	*x = &cat->indexes[i];
		char			*q;

		if (cat->rels[x->rel].kind == 'p')
			continue;
		q = xstrfmt("SELECT pg_relation_size(%u, 'main') +"
		    " pg_relation_size(%u, 'fsm') + pg_relation_size(%u, 'vm')"
		    " + pg_relation_size(%u, 'init')", x->oid, x->oid, x->oid,
		    x->oid);
		assert_int_equal(x->size, sql_int(q));
		free(q);
	}
}

/*
 * A real catalog through JSON and back: the same to every reader, the
 * same document again, the same findings.
 */
static void
test_json_round_trip(void **state)
{
	struct sch_catalog	*back;
	char			*json, *again, *err = NULL, *k1, *k2;
	struct sch_finding	*f1, *f2;
	int			 n1, n2, i;

	(void)state;
	g.cat->stats_reset = g.cat->loaded_at - 30 * 86400;
	json = sch_catalog_to_json(g.cat);
	back = sch_catalog_from_json(json, strlen(json), &err);
	if (back == NULL)
		fail_msg("%s", err);
	assert_catalogs_equal(g.cat, back);
	again = sch_catalog_to_json(back);
	assert_string_equal(again, json);

	k1 = findings_key(g.cat);
	k2 = findings_key(back);
	assert_string_equal(k1, k2);
	assert_non_null(strstr(k1, "unused-index:"));
	n1 = sch_lint(g.cat, &f1);
	n2 = sch_lint(back, &f2);
	assert_int_equal(n1, n2);
	for (i = 0; i < n1; i++) {
		assert_string_equal(f1[i].rule, f2[i].rule);
		assert_int_equal(f1[i].rel, f2[i].rel);
		assert_int_equal(f1[i].index, f2[i].index);
		assert_int_equal(f1[i].constraint, f2[i].constraint);
		assert_int_equal(f1[i].wasted, f2[i].wasted);
		assert_string_equal(f1[i].message, f2[i].message);
		assert_string_equal(f1[i].fix, f2[i].fix);
	}
	sch_findings_free(f1, n1);
	sch_findings_free(f2, n2);
	free(k1);
	free(k2);
	free(again);
	free(json);
	sch_catalog_free(back);
	g.cat->stats_reset = 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schemas_and_relations),
		cmocka_unit_test(test_partitions),
		cmocka_unit_test(test_foreign_table),
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_indexes),
		cmocka_unit_test(test_constraints),
		cmocka_unit_test(test_triggers_types_comments),
		cmocka_unit_test(test_lints),
		cmocka_unit_test(test_cardinality),
		cmocka_unit_test(test_query_by_query),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_stats),
	};
	const char	*ci = getenv("CI");

	srcdir = getenv("PGDECK_SOURCE_DIR");
	if (srcdir == NULL)
		srcdir = PGDECK_SOURCE_DIR;
	conninfo = getenv("PGDECK_TEST_CONNINFO");
	if (conninfo == NULL) {
		if (ci != NULL && strcmp(ci, "true") == 0) {
			fprintf(stderr, "test_schema_live: CI=true but no test"
			    " server (PGDECK_TEST_CONNINFO unset): failing\n");
			return 1;
		}
		fprintf(stderr, "\n*** test_schema_live: SKIPPED: no"
		    " PostgreSQL (run tests through scripts/test) ***\n\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
