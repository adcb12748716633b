/*
 * test_migrate_live.c - the Migrations planner's lock table held
 * against what a real PostgreSQL does.
 *
 * Needs the server started by tests/harness/pg_server.sh (its env file
 * sourced).  Without one it skips loudly; with CI=true it fails.  The
 * group setup builds the database 'pgdeck_migrate_test' from
 * tests/migrate/live/schema.sql and data.sql; the engine's catalog
 * reads the same schema.sql.
 *
 * Every statement of 'cases' is given to the engine alone
 * (mig_load_string, mig_analyze), then run on the server in a
 * transaction that is rolled back, between two looks at the session's
 * own state:
 *
 *   pg_locks          the relation locks this backend holds on
 *                     relations of schema public, and 'object' locks on
 *                     its types;
 *   pg_class          relfilenode of every relation: new storage
 *                     holding rows is a rewrite (new and empty storage
 *                     is TRUNCATE's);
 *   pg_stat_xact_*    scans counted in this transaction: a rise means
 *                     the table was read (validated, rewritten, built
 *                     from).
 *
 * and the engine's targets must agree (see check_case()).  The
 * statements that cannot run in a transaction block are checked
 * against the documentation (notx_cases), shown to be refused inside
 * BEGIN, and run for real while another session makes them wait, to
 * see the documented locks in pg_locks.
 *
 * Every disagreement is collected and printed with the summary table
 * (statement, predicted, observed); the test fails at the end if any
 * is not listed in known_engine_bugs.
 *
 * The source tree is found through PGDECK_SOURCE_DIR, from the
 * environment or else from the compile definition.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "core/strbuf.h"
#include "core/util.h"
#include "migrate/migrate.h"

#ifndef PGDECK_SOURCE_DIR
#define PGDECK_SOURCE_DIR "."
#endif

#define TEST_DB		"pgdeck_migrate_test"
#define TEST_ROLE	"pgdeck_migrate_owner"
#define SCHEMA_SQL	"tests/migrate/live/schema.sql"
#define DATA_SQL	"tests/migrate/live/data.sql"

static const char	*conninfo;
static const char	*srcdir;

/*
 * The statements, each run alone on the schema of schema.sql with its
 * rows.  All of them run inside a transaction block.
 */
static const char *const cases[] = {
	/* ALTER TABLE ADD COLUMN: a constant or stable default is stored
	 * once in the catalog (no rewrite); a volatile one, an identity,
	 * a serial or a stored generated column rewrites the table. */
	"ALTER TABLE customers ADD COLUMN nickname text",
	"ALTER TABLE customers ADD COLUMN level integer DEFAULT 0",
	"ALTER TABLE customers ADD COLUMN flag boolean NOT NULL DEFAULT false",
	"ALTER TABLE customers ADD COLUMN seen_at timestamptz DEFAULT now()",
	"ALTER TABLE customers ADD COLUMN nick2 text, ADD COLUMN nick3 text",
	"ALTER TABLE orders ADD COLUMN r double precision DEFAULT random()",
	"ALTER TABLE orders ADD COLUMN t timestamptz"
	    " DEFAULT clock_timestamp()",
	"ALTER TABLE customers ADD COLUMN uid uuid"
	    " DEFAULT gen_random_uuid()",
	"ALTER TABLE audit_log ADD COLUMN seq bigint"
	    " GENERATED ALWAYS AS IDENTITY",
	"ALTER TABLE audit_log ADD COLUMN n serial",
	"ALTER TABLE orders ADD COLUMN total numeric"
	    " GENERATED ALWAYS AS (amount * qty) STORED",
	"ALTER TABLE events ADD COLUMN source text",
	"ALTER TABLE customers ADD COLUMN region text NOT NULL DEFAULT 'eu'"
	    " CHECK (region <> '')",
	"ALTER TABLE customers ADD COLUMN rank integer CHECK (rank > 0)",
	"ALTER TABLE notes ADD COLUMN order_id bigint REFERENCES orders (id)",
	/* NOT NULL: score has CHECK (score IS NOT NULL), which proves it
	 * and spares the scan; name has nothing. */
	"ALTER TABLE customers ALTER COLUMN score SET NOT NULL",
	"ALTER TABLE customers ALTER COLUMN name SET NOT NULL",
	"ALTER TABLE events ALTER COLUMN payload SET NOT NULL",
	"ALTER TABLE customers ALTER COLUMN email DROP NOT NULL",
	/* Defaults. */
	"ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'pending'",
	"ALTER TABLE orders ALTER COLUMN created_at DROP DEFAULT",
	/* Types: binary-coercible changes keep the heap and its indexes;
	 * the others rewrite. */
	"ALTER TABLE customers ALTER COLUMN tag TYPE varchar(20)",
	"ALTER TABLE customers ALTER COLUMN code TYPE text",
	"ALTER TABLE customers ALTER COLUMN credit TYPE numeric(12,2)",
	"ALTER TABLE customers ALTER COLUMN tag TYPE varchar(5)",
	"ALTER TABLE orders ALTER COLUMN qty TYPE bigint",
	"ALTER TABLE orders ALTER COLUMN ref TYPE integer"
	    " USING ref::integer",
	"ALTER TABLE customers ALTER COLUMN mood TYPE text",
	/* In UTC the values stay, but orders_created_idx changes operator
	 * class: it is built again from the heap. */
	"ALTER TABLE orders ALTER COLUMN created_at TYPE timestamp",
	"ALTER TABLE notes ALTER COLUMN customer_id TYPE bigint",
	"ALTER TABLE customers ALTER COLUMN id"
	    " ADD GENERATED ALWAYS AS IDENTITY",
	"ALTER TABLE customers ALTER COLUMN email SET STORAGE EXTERNAL",
	/* Constraints. */
	"ALTER TABLE items ADD CONSTRAINT items_order_fk2"
	    " FOREIGN KEY (order_id) REFERENCES orders (id)",
	"ALTER TABLE items ADD CONSTRAINT items_order_fk3"
	    " FOREIGN KEY (order_id) REFERENCES orders (id) NOT VALID",
	"ALTER TABLE orders ADD CONSTRAINT orders_qty_pos CHECK (qty > 0)",
	"ALTER TABLE orders ADD CONSTRAINT orders_amount_pos"
	    " CHECK (amount >= 0) NOT VALID",
	"ALTER TABLE tags ADD CONSTRAINT tags_id_weight_key"
	    " UNIQUE (id, weight)",
	"ALTER TABLE tags ADD CONSTRAINT tags_pkey PRIMARY KEY (id)",
	"ALTER TABLE tags ADD CONSTRAINT tags_pkey PRIMARY KEY"
	    " USING INDEX tags_id_uidx",
	"ALTER TABLE tags ADD CONSTRAINT tags_label_key UNIQUE"
	    " USING INDEX tags_label_uidx",
	"ALTER TABLE items VALIDATE CONSTRAINT items_qty_check",
	"ALTER TABLE items VALIDATE CONSTRAINT items_order_fk",
	"ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey",
	"ALTER TABLE customers DROP CONSTRAINT customers_score_nn",
	"ALTER TABLE customers DROP CONSTRAINT customers_email_key",
	"ALTER TABLE orders RENAME CONSTRAINT orders_customer_id_fkey"
	    " TO orders_customer_fk",
	/* Names, columns, persistence, settings, owner. */
	"ALTER TABLE customers RENAME COLUMN note TO remark",
	"ALTER TABLE notes RENAME TO customer_notes",
	"ALTER TABLE customers DROP COLUMN note",
	"ALTER TABLE customers DROP COLUMN tag",
	"ALTER TABLE audit_log SET UNLOGGED",
	"ALTER TABLE scratch SET LOGGED",
	"ALTER TABLE orders ALTER COLUMN status SET STATISTICS 500",
	"ALTER TABLE orders SET (fillfactor = 70)",
	"ALTER TABLE orders SET (autovacuum_vacuum_scale_factor = 0.01)",
	"ALTER TABLE orders CLUSTER ON orders_created_idx",
	"ALTER TABLE orders REPLICA IDENTITY FULL",
	"ALTER TABLE customers ENABLE ROW LEVEL SECURITY",
	"ALTER TABLE orders OWNER TO " TEST_ROLE,
	/* Triggers. */
	"ALTER TABLE orders DISABLE TRIGGER orders_touch",
	"ALTER TABLE orders ENABLE TRIGGER orders_touch",
	"ALTER TABLE orders DISABLE TRIGGER ALL",
	"CREATE TRIGGER customers_touch BEFORE UPDATE ON customers"
	    " FOR EACH ROW EXECUTE FUNCTION touch()",
	/* Partitions: events has a default partition, metrics none. */
	"ALTER TABLE events ATTACH PARTITION events_2025"
	    " FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
	"ALTER TABLE events DETACH PARTITION events_2023",
	"ALTER TABLE metrics DETACH PARTITION metrics_2023",
	"CREATE TABLE events_2026 PARTITION OF events"
	    " FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
	"CREATE TABLE metrics_2025 PARTITION OF metrics"
	    " FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
	/* Most ALTER TABLE commands reach every partition with the
	 * parent's lock, and do their work (scan, rewrite) there; ONLY
	 * stays on the parent.  A unique constraint builds an index on
	 * each partition under SHARE. */
	"ALTER TABLE events ALTER COLUMN kind SET DEFAULT 'k0'",
	"ALTER TABLE ONLY events ALTER COLUMN kind SET DEFAULT 'k0'",
	"ALTER TABLE events ADD CONSTRAINT events_id_pos CHECK (id > 0)",
	"ALTER TABLE events ALTER COLUMN kind TYPE varchar(200)",
	"ALTER TABLE events DROP COLUMN payload",
	"ALTER TABLE events RENAME COLUMN kind TO kind2",
	"ALTER TABLE events ADD CONSTRAINT events_id_at_key UNIQUE (id, at)",
	"ALTER TABLE events OWNER TO " TEST_ROLE,
	"ALTER TABLE metrics ADD CONSTRAINT metrics_id_fk"
	    " FOREIGN KEY (id) REFERENCES orders (id)",
	/* Indexes. */
	"CREATE INDEX orders_status_idx ON orders (status)",
	"CREATE UNIQUE INDEX customers_code_uidx ON customers (code)",
	"CREATE INDEX customers_lower_email_idx ON customers (lower(email))"
	    " WHERE balance > 0",
	"CREATE INDEX events_kind_idx ON events (kind)",
	"CREATE INDEX events_kind_idx ON ONLY events (kind)",
	"ALTER INDEX events_payload_idx ATTACH PARTITION"
	    " events_2023_payload_idx",
	"DROP INDEX orders_created_idx",
	"REINDEX INDEX orders_customer_idx",
	"REINDEX TABLE customers",
	"ALTER INDEX customers_name_idx RENAME TO customers_fullname_idx",
	"ALTER INDEX orders_created_idx SET (fillfactor = 80)",
	"CLUSTER customers USING customers_pkey",
	/* Types. */
	"ALTER TYPE mood ADD VALUE 'ecstatic'",
	"ALTER TYPE mood RENAME VALUE 'ok' TO 'fine'",
	"ALTER DOMAIN posint ADD CONSTRAINT posint_small"
	    " CHECK (VALUE < 1000)",
	"ALTER DOMAIN posint ADD CONSTRAINT posint_small2"
	    " CHECK (VALUE < 100000) NOT VALID",
	"ALTER DOMAIN posint VALIDATE CONSTRAINT posint_max",
	"ALTER DOMAIN posint SET NOT NULL",
	"ALTER DOMAIN posint DROP CONSTRAINT posint_check",
	/* Materialized view. */
	"REFRESH MATERIALIZED VIEW customer_totals",
	"REFRESH MATERIALIZED VIEW CONCURRENTLY customer_totals",
	/* Emptying and dropping. */
	"TRUNCATE audit_log",
	"TRUNCATE notes",
	"TRUNCATE customers CASCADE",
	"DROP TABLE notes",
	"DROP TABLE audit_log",
	"DROP VIEW active_customers",
	"DROP TABLE orders CASCADE",
	"TRUNCATE orders CASCADE",
	/* Creating. */
	"CREATE TABLE payments (id bigint PRIMARY KEY, order_id bigint"
	    " NOT NULL REFERENCES orders (id), amount numeric(10,2))",
	"CREATE VIEW big_orders AS SELECT id, customer_id, amount"
	    " FROM orders WHERE amount > 50",
	"CREATE OR REPLACE VIEW active_customers AS"
	    " SELECT id, email, name, tag FROM customers WHERE balance > 0",
	"CREATE TABLE orders_copy (LIKE orders INCLUDING ALL)",
	"CREATE FUNCTION order_count(c integer) RETURNS bigint LANGUAGE sql"
	    " STABLE AS 'SELECT count(*) FROM orders WHERE customer_id = c'",
	"CREATE FUNCTION note_count(c integer) RETURNS bigint LANGUAGE sql"
	    " STABLE BEGIN ATOMIC SELECT count(*) FROM notes"
	    " WHERE customer_id = c; END",
	"COMMENT ON TABLE orders IS 'what customers bought'",
	"COMMENT ON COLUMN orders.status IS 'new, paid or shipped'",
	/* Explicit locks. */
	"LOCK TABLE orders",
	"LOCK TABLE orders IN SHARE MODE",
	"LOCK TABLE customers IN ROW EXCLUSIVE MODE",
	/* Backfills: DML takes ROW EXCLUSIVE, and a foreign key check
	 * takes ROW SHARE on the other table (SELECT ... FOR KEY SHARE). */
	"UPDATE orders SET status = 'archived'"
	    " WHERE created_at < '2024-01-01 02:00'",
	"UPDATE orders SET amount = amount * 1.1",
	"UPDATE customers SET balance = 0 WHERE id <= 100",
	"UPDATE orders SET customer_id = 5 WHERE id < 10",
	"INSERT INTO orders (id, customer_id, amount, qty)"
	    " SELECT 100000 + i, i, 1, 1 FROM generate_series(1, 500) AS i",
	"INSERT INTO audit_log (id, at, msg) SELECT 100000 + i, now(), 'x'"
	    " FROM generate_series(1, 500) AS i",
	"DELETE FROM orders WHERE id > 5900",
	"DELETE FROM audit_log WHERE id % 2 = 0",
	/* A data-modifying WITH query writes as it would alone. */
	"WITH gone AS (DELETE FROM notes WHERE id > 2990 RETURNING id, body)"
	    " INSERT INTO audit_log (id, at, msg)"
	    " SELECT id + 100000, now(), body FROM gone",
};

#define NCASES	((int)(sizeof cases / sizeof cases[0]))

/*
 * The statements that cannot run inside a transaction block, with the
 * lock their documentation gives (PostgreSQL 15; "explicit-locking" is
 * chapter 13.3.1 Table-Level Locks).  One row per relation the lock is
 * documented on.
 *
 * Each also runs for real, outside a transaction, while another
 * session holds 'blocker' in an open transaction: the statement stops
 * to wait for it, and the locks it holds or requests at that point are
 * read from pg_locks and must be the documented ones.  Each blocker is
 * chosen so that the wait comes once the documented lock is held or
 * requested: a writer for the concurrent builds (they wait for writers
 * after taking SHARE UPDATE EXCLUSIVE), a reader for DROP INDEX
 * CONCURRENTLY (it waits for every locker), a conflicting lock for
 * VACUUM, and a reader of the partition alone for DETACH ...
 * CONCURRENTLY, whose second transaction then waits for the
 * partition's ACCESS EXCLUSIVE (between its transactions it holds no
 * lock at all).  A wait shows what is held up to that point, not that
 * nothing stronger follows.  'cleanup' puts the schema back.
 */
static const struct notx_case {
	const char	*sql;
	const char	*rel;		/* NULL: no relation is locked */
	enum mig_lock	 lock;		/* the strongest it takes on rel */
	const char	*blocker;	/* first row of a statement only */
	const char	*cleanup;
	const char	*docs;
} notx_cases[] = {
	{ "CREATE INDEX CONCURRENTLY orders_status_cidx ON orders (status)",
	  "orders", MIG_LOCK_SHARE_UPDATE_EXCLUSIVE,
	  "LOCK TABLE orders IN ROW EXCLUSIVE MODE",
	  "DROP INDEX IF EXISTS orders_status_cidx",
	  "sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY; explicit-"
	  "locking: SHARE UPDATE EXCLUSIVE is acquired by ... CREATE INDEX"
	  " CONCURRENTLY" },
	{ "DROP INDEX CONCURRENTLY orders_created_idx",
	  "orders", MIG_LOCK_SHARE_UPDATE_EXCLUSIVE,
	  "LOCK TABLE orders IN ACCESS SHARE MODE",
	  "CREATE INDEX IF NOT EXISTS orders_created_idx"
	  " ON orders (created_at)",
	  "sql-dropindex.html: \"A normal DROP INDEX acquires an ACCESS"
	  " EXCLUSIVE lock on the table ... With this option, the command"
	  " instead waits until conflicting transactions have completed\";"
	  " the mode is not named there: index_drop() takes SHARE UPDATE"
	  " EXCLUSIVE on table and index" },
	{ "DROP INDEX CONCURRENTLY orders_created_idx",
	  "orders_created_idx", MIG_LOCK_SHARE_UPDATE_EXCLUSIVE, NULL, NULL,
	  "as above" },
	{ "REINDEX INDEX CONCURRENTLY orders_customer_idx",
	  "orders", MIG_LOCK_SHARE_UPDATE_EXCLUSIVE,
	  "LOCK TABLE orders IN ROW EXCLUSIVE MODE", NULL,
	  "sql-reindex.html#SQL-REINDEX-CONCURRENTLY; explicit-locking:"
	  " SHARE UPDATE EXCLUSIVE is acquired by ... REINDEX CONCURRENTLY" },
	{ "REINDEX INDEX CONCURRENTLY orders_customer_idx",
	  "orders_customer_idx", MIG_LOCK_SHARE_UPDATE_EXCLUSIVE, NULL, NULL,
	  "as above" },
	{ "REINDEX TABLE CONCURRENTLY customers",
	  "customers", MIG_LOCK_SHARE_UPDATE_EXCLUSIVE,
	  "LOCK TABLE customers IN ROW EXCLUSIVE MODE", NULL,
	  "as above" },
	{ "ALTER TABLE metrics DETACH PARTITION metrics_2023 CONCURRENTLY",
	  "metrics", MIG_LOCK_SHARE_UPDATE_EXCLUSIVE,
	  "SELECT count(*) FROM metrics_2023",
	  "ALTER TABLE metrics ATTACH PARTITION metrics_2023"
	  " FOR VALUES FROM ('2023-01-01') TO ('2024-01-01')",
	  "sql-altertable.html DETACH PARTITION: \"During the first"
	  " transaction, a SHARE UPDATE EXCLUSIVE lock is taken on both"
	  " parent table and partition ... the second transaction acquires"
	  " SHARE UPDATE EXCLUSIVE on the partitioned table and ACCESS"
	  " EXCLUSIVE lock on the partition\"" },
	{ "ALTER TABLE metrics DETACH PARTITION metrics_2023 CONCURRENTLY",
	  "metrics_2023", MIG_LOCK_ACCESS_EXCLUSIVE, NULL, NULL,
	  "as above" },
	{ "VACUUM orders",
	  "orders", MIG_LOCK_SHARE_UPDATE_EXCLUSIVE,
	  "LOCK TABLE orders IN SHARE UPDATE EXCLUSIVE MODE", NULL,
	  "sql-vacuum.html; explicit-locking: SHARE UPDATE EXCLUSIVE is"
	  " acquired by VACUUM (without FULL)" },
	{ "VACUUM FULL orders",
	  "orders", MIG_LOCK_ACCESS_EXCLUSIVE,
	  "LOCK TABLE orders IN ACCESS SHARE MODE", NULL,
	  "sql-vacuum.html FULL: \"requires an ACCESS EXCLUSIVE lock on"
	  " the table\"; explicit-locking: ACCESS EXCLUSIVE is acquired"
	  " by ... VACUUM FULL" },
	{ "CREATE DATABASE pgdeck_migrate_scratch",
	  NULL, MIG_LOCK_NONE, NULL, NULL,
	  "sql-createdatabase.html: \"CREATE DATABASE cannot be executed"
	  " inside a transaction block\"; it locks no relation" },
};

#define NNOTX	((int)(sizeof notx_cases / sizeof notx_cases[0]))

/*
 * Disagreements between the engine and the server that are known and
 * not yet fixed: printed, but they do not fail the test.  'check' is
 * the key the mismatch is recorded under ("lock orders", "rewrite
 * orders", "scan orders", "no-tx", "engine", "server").  Found by this
 * test on the engine of a984174; each group says what the server does.
 */
static const struct known_bug {
	const char	*sql;
	const char	*check;
} known_engine_bugs[] = {
	/* A backfill without a usable index reads the whole table; the
	 * engine marks DML MIG_WRITE and never MIG_SCAN. */
	{ "UPDATE orders SET amount = amount * 1.1", "scan orders" },
	{ "DELETE FROM audit_log WHERE id % 2 = 0", "scan audit_log" },
};

/* Lock modes as pg_locks names them, weakest first (enum mig_lock). */
static const char *const lock_names[MIG_NLOCKS] = {
	"", "AccessShareLock", "RowShareLock", "RowExclusiveLock",
	"ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock",
	"ExclusiveLock", "AccessExclusiveLock",
};
static const char *const lock_abbrev[MIG_NLOCKS] = {
	"-", "AS", "RS", "RE", "SUE", "S", "SRE", "E", "AE",
};

static enum mig_lock
lock_of(const char *mode)
{
	int	i;

	for (i = 1; i < MIG_NLOCKS; i++) {
		if (strcmp(lock_names[i], mode) == 0)
			return (enum mig_lock)i;
	}
	fail_msg("pg_locks mode '%s' unknown", mode);
	return MIG_LOCK_NONE;
}

/* One relation of schema public, before and after a statement. */
struct rel {
	unsigned	 oid;
	char		 name[64];	/* as it was before, or as created */
	char		 kind;		/* pg_class.relkind */
	unsigned	 table;		/* an index's table, else 0 */
	unsigned	 parent;	/* a partition's parent, else 0 */
	unsigned	 node0, node1;	/* relfilenode before, after */
	long long	 scans0, scans1; /* pg_stat_get_xact_numscans */
	long long	 tup0, tup1;	/* rows read by them (seq_tup_read) */
	long long	 bytes1;	/* heap size after, when renewed */
	int		 before, after;	/* exists then */
	enum mig_lock	 lock;		/* strongest the statement holds */
};

/* A type of schema public (enum or domain) and its 'object' lock. */
struct typ {
	unsigned	 oid;
	char		 name[64];
	enum mig_lock	 lock;
};

/* What the server did with one statement. */
struct observed {
	struct rel	*rels;
	int		 nrels, cap;
	struct typ	*typs;
	int		 ntyps;
	char		*error;		/* the statement failed: why */
};

/* A disagreement between the engine and the server (or the docs). */
struct mismatch {
	const char	*sql;		/* the statement, borrowed */
	char		*check;		/* key: "lock orders", "scan items" */
	char		*msg;
	int		 known;		/* in known_engine_bugs */
};

static struct {
	PGconn		*admin;		/* makes TEST_DB */
	PGconn		*db;		/* to TEST_DB */
	char		*schema;	/* schema.sql */
	struct mig_catalog *cat;
	struct mismatch	*bad;
	int		 nbad;
	struct strbuf	 report;	/* the summary table */
} g;

/* The whole file at 'rel' under the source tree, NUL-terminated. */
static char *
read_source(const char *rel)
{
	char	 path[4096];
	FILE	*f;
	char	*buf;
	long	 len = 0;

	snprintf(path, sizeof path, "%s/%s", srcdir, rel);
	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("%s: %s (set PGDECK_SOURCE_DIR)", path,
		    strerror(errno));
	if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0)
		fail_msg("%s: cannot size", path);
	buf = malloc((size_t)len + 1);
	if (buf == NULL || fread(buf, 1, (size_t)len, f) != (size_t)len)
		fail_msg("%s: cannot read", path);
	fclose(f);
	buf[len] = '\0';
	return buf;
}

/*
 * Split SQL into statements: one ends with ';' at the end of a line,
 * outside a dollar-quoted body.  Lines starting with '--' outside a
 * body are skipped.  Each statement goes to 'stmt', without its ';'.
 */
static void
split_sql(const char *text, void (*stmt)(const char *, void *), void *arg)
{
	struct strbuf	 cur = STRBUF_INIT;
	char		*copy = xstrdup(text), *line, *next;
	int		 in_body = 0;

	for (line = copy; line != NULL && *line != '\0'; line = next) {
		const char	*s;
		size_t		 len;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		len = strlen(line);
		while (len > 0 && (line[len - 1] == ' ' ||
		    line[len - 1] == '\t' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (!in_body && strncmp(line, "--", 2) == 0)
			continue;
		if (!in_body && cur.len == 0 && len == 0)
			continue;
		for (s = line; (s = strstr(s, "$$")) != NULL; s += 2)
			in_body = !in_body;
		if (cur.len > 0)
			strbuf_addch(&cur, '\n');
		strbuf_addstr(&cur, line);
		if (!in_body && len > 0 && line[len - 1] == ';') {
			strbuf_setlen(&cur, cur.len - 1);
			stmt(cur.buf, arg);
			strbuf_reset(&cur);
		}
	}
	if (cur.len > 0)
		fail_msg("SQL ends inside a statement: %.60s", cur.buf);
	strbuf_release(&cur);
	free(copy);
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

static void
schema_stmt(const char *sql, void *arg)
{
	exec_or_fail(arg, sql);
}

static PGresult *
query_or_fail(PGconn *c, const char *sql)
{
	PGresult	*r = PQexec(c, sql);

	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%.200s: %s", sql, PQresultErrorMessage(r));
	return r;
}

static PGconn *
connect_to(const char *db)
{
	const char	*keys[] = { "dbname", "dbname", "application_name",
			    NULL };
	const char	*vals[] = { conninfo, db, "pgdeck test_migrate_live",
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

/* Sizes from the server, as pgdeck's own catalog loader would give. */
static void
catalog_sizes(void)
{
	PGresult	*r;
	int		 i;

	r = query_or_fail(g.db, "SELECT relname, pg_relation_size(oid),"
	    " pg_indexes_size(oid), greatest(reltuples, 0) FROM pg_class"
	    " WHERE relnamespace = 'public'::regnamespace"
	    " AND relkind IN ('r', 'm')");
	for (i = 0; i < PQntuples(r); i++)
		mig_catalog_set_size(g.cat, "public", PQgetvalue(r, i, 0),
		    atof(PQgetvalue(r, i, 1)), atof(PQgetvalue(r, i, 2)),
		    atof(PQgetvalue(r, i, 3)));
	PQclear(r);
}

static int
group_setup(void **state)
{
	char	*data, *err = NULL;

	(void)state;
	g.admin = connect_to(NULL);
	PQsetNoticeProcessor(g.admin, quiet, NULL);
	exec_or_fail(g.admin, "DROP DATABASE IF EXISTS " TEST_DB
	    " WITH (FORCE)");
	exec_or_fail(g.admin, "DROP DATABASE IF EXISTS"
	    " pgdeck_migrate_scratch WITH (FORCE)");
	exec_or_fail(g.admin, "CREATE DATABASE " TEST_DB);
	exec_or_fail(g.admin, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM"
	    " pg_roles WHERE rolname = '" TEST_ROLE "') THEN CREATE ROLE "
	    TEST_ROLE " NOLOGIN; END IF; END $$");
	g.db = connect_to(TEST_DB);
	PQsetNoticeProcessor(g.db, quiet, NULL);
	/* The session's zone, which the engine is told (analyse()): a
	 * timestamp <-> timestamptz change is then no rewrite. */
	exec_or_fail(g.db, "SET TimeZone = 'UTC'");

	g.schema = read_source(SCHEMA_SQL);
	split_sql(g.schema, schema_stmt, g.db);
	data = read_source(DATA_SQL);
	split_sql(data, schema_stmt, g.db);
	free(data);

	g.cat = mig_catalog_new();
	if (mig_catalog_add_sql(g.cat, SCHEMA_SQL, g.schema, &err) != 0)
		fail_msg("mig_catalog_add_sql: %s", err != NULL ? err :
		    "(no cause)");
	catalog_sizes();
	strbuf_init(&g.report, 0);
	return 0;
}

static int
group_teardown(void **state)
{
	int	i;

	(void)state;
	PQfinish(g.db);
	if (g.admin != NULL) {
		PGresult *r = PQexec(g.admin, "DROP DATABASE IF EXISTS "
		    TEST_DB " WITH (FORCE)");

		PQclear(r);
		r = PQexec(g.admin, "DROP ROLE IF EXISTS " TEST_ROLE);
		PQclear(r);
		PQfinish(g.admin);
	}
	mig_catalog_free(g.cat);
	free(g.schema);
	for (i = 0; i < g.nbad; i++) {
		free(g.bad[i].check);
		free(g.bad[i].msg);
	}
	free(g.bad);
	strbuf_release(&g.report);
	memset(&g, 0, sizeof g);
	return 0;
}

/* Record a disagreement about 'sql' under the key 'check'. */
static void PRINTF_LIKE(3, 4)
mismatch(const char *sql, const char *check, const char *fmt, ...)
{
	struct mismatch	*m;
	struct strbuf	 sb = STRBUF_INIT;
	va_list		 ap;
	size_t		 i;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	g.bad = xrealloc(g.bad, (size_t)(g.nbad + 1) * sizeof *g.bad);
	m = &g.bad[g.nbad++];
	m->sql = sql;
	m->check = xstrdup(check);
	m->msg = strbuf_detach(&sb);
	m->known = 0;
	for (i = 0; i < sizeof known_engine_bugs /
	    sizeof known_engine_bugs[0]; i++) {
		const struct known_bug *k = &known_engine_bugs[i];

		if (k->sql != NULL && strcmp(k->sql, sql) == 0 &&
		    strcmp(k->check, check) == 0)
			m->known = 1;
	}
	strbuf_addf(&g.report, "      %s %s: %s\n", m->known ? "KNOWN" :
	    "MISMATCH", check, m->msg);
}

/* ---- the server's side ------------------------------------------- */

static struct rel *
rel_by_oid(struct observed *o, unsigned oid)
{
	int	i;

	for (i = 0; i < o->nrels; i++) {
		if (o->rels[i].oid == oid)
			return &o->rels[i];
	}
	return NULL;
}

/*
 * By name: as it was before the statement, else as it was created
 * (an engine names a renamed relation by its old name).
 */
static struct rel *
rel_by_name(struct observed *o, const char *name)
{
	int	i;

	for (i = 0; i < o->nrels; i++) {
		if (strcmp(o->rels[i].name, name) == 0)
			return &o->rels[i];
	}
	return NULL;
}

static struct typ *
typ_by_name(struct observed *o, const char *name)
{
	int	i;

	for (i = 0; i < o->ntyps; i++) {
		if (strcmp(o->typs[i].name, name) == 0)
			return &o->typs[i];
	}
	return NULL;
}

static int
is_index(const struct rel *x)
{
	return x->kind == 'i' || x->kind == 'I';
}

/* Has storage of its own that a rewrite replaces. */
static int
has_heap(const struct rel *x)
{
	return x->kind == 'r' || x->kind == 'm';
}

/* A heap that outlived the statement with new storage. */
static int
renewed(const struct rel *x)
{
	return has_heap(x) && x->before && x->after && x->node0 != x->node1;
}

/*
 * A heap rewritten: new storage holding the rows again.  TRUNCATE
 * gives new storage too, but empty; it copies nothing, and its cost
 * does not grow with the table, so it is no rewrite.
 */
static int
rewritten(const struct rel *x)
{
	return renewed(x) && x->bytes1 > 0;
}

/*
 * Relations of schema public.  Only pg_class, pg_index, pg_inherits and
 * the statistics functions are read: no lock is taken on the relations
 * themselves, so pg_locks afterwards shows the statement's locks only.
 */
#define RELS_SQL \
	"SELECT c.oid, c.relname, c.relkind, c.relfilenode," \
	" coalesce(i.indrelid, 0), coalesce(h.inhparent, 0)," \
	" pg_stat_get_xact_numscans(c.oid)," \
	" pg_stat_get_xact_tuples_returned(c.oid)" \
	" FROM pg_class c LEFT JOIN pg_index i ON i.indexrelid = c.oid" \
	" LEFT JOIN pg_inherits h ON h.inhrelid = c.oid" \
	" WHERE c.relnamespace = 'public'::regnamespace"

static void
look_before(struct observed *o)
{
	PGresult	*r = query_or_fail(g.db, RELS_SQL);
	int		 i;

	o->nrels = PQntuples(r);
	o->cap = o->nrels + 64;
	o->rels = xcalloc((size_t)o->cap, sizeof *o->rels);
	for (i = 0; i < o->nrels; i++) {
		struct rel *x = &o->rels[i];

		x->oid = (unsigned)strtoul(PQgetvalue(r, i, 0), NULL, 10);
		snprintf(x->name, sizeof x->name, "%s", PQgetvalue(r, i, 1));
		x->kind = PQgetvalue(r, i, 2)[0];
		x->node0 = (unsigned)strtoul(PQgetvalue(r, i, 3), NULL, 10);
		x->table = (unsigned)strtoul(PQgetvalue(r, i, 4), NULL, 10);
		x->parent = (unsigned)strtoul(PQgetvalue(r, i, 5), NULL, 10);
		x->scans0 = atoll(PQgetvalue(r, i, 6));
		x->tup0 = atoll(PQgetvalue(r, i, 7));
		x->before = 1;
	}
	PQclear(r);

	r = query_or_fail(g.db, "SELECT oid, typname FROM pg_type WHERE"
	    " typnamespace = 'public'::regnamespace AND typtype IN ('e', 'd')");
	o->ntyps = PQntuples(r);
	o->typs = xcalloc((size_t)o->ntyps + 1, sizeof *o->typs);
	for (i = 0; i < o->ntyps; i++) {
		o->typs[i].oid = (unsigned)strtoul(PQgetvalue(r, i, 0), NULL,
		    10);
		snprintf(o->typs[i].name, sizeof o->typs[i].name, "%s",
		    PQgetvalue(r, i, 1));
	}
	PQclear(r);
}

static void
look_after(struct observed *o)
{
	struct strbuf	 sql = STRBUF_INIT;
	PGresult	*r;
	int		 i, n0 = o->nrels;

	r = query_or_fail(g.db, RELS_SQL);
	for (i = 0; i < PQntuples(r); i++) {
		unsigned	 oid;
		struct rel	*x;

		oid = (unsigned)strtoul(PQgetvalue(r, i, 0), NULL, 10);
		if ((x = rel_by_oid(o, oid)) == NULL) {
			if (o->nrels == o->cap) {
				o->cap *= 2;
				o->rels = xrealloc(o->rels, (size_t)o->cap *
				    sizeof *o->rels);
			}
			x = &o->rels[o->nrels++];
			memset(x, 0, sizeof *x);
			x->oid = oid;
			snprintf(x->name, sizeof x->name, "%s",
			    PQgetvalue(r, i, 1));
			x->kind = PQgetvalue(r, i, 2)[0];
		}
		x->node1 = (unsigned)strtoul(PQgetvalue(r, i, 3), NULL, 10);
		if (x->table == 0)
			x->table = (unsigned)strtoul(PQgetvalue(r, i, 4), NULL,
			    10);
		if (x->parent == 0)
			x->parent = (unsigned)strtoul(PQgetvalue(r, i, 5),
			    NULL, 10);
		x->scans1 = atoll(PQgetvalue(r, i, 6));
		x->tup1 = atoll(PQgetvalue(r, i, 7));
		x->after = 1;
	}
	PQclear(r);

	/* Scans of relations the statement dropped are still counted. */
	strbuf_addstr(&sql, "SELECT x, pg_stat_get_xact_numscans(x),"
	    " pg_stat_get_xact_tuples_returned(x) FROM unnest('{");
	for (i = 0; i < n0; i++)
		strbuf_addf(&sql, "%s%u", i > 0 ? "," : "", o->rels[i].oid);
	strbuf_addstr(&sql, "}'::oid[]) AS x");
	r = query_or_fail(g.db, sql.buf);
	for (i = 0; i < PQntuples(r); i++) {
		struct rel *x = rel_by_oid(o, (unsigned)strtoul(
		    PQgetvalue(r, i, 0), NULL, 10));

		if (x != NULL && !x->after) {
			x->scans1 = atoll(PQgetvalue(r, i, 1));
			x->tup1 = atoll(PQgetvalue(r, i, 2));
		}
	}
	PQclear(r);

	/* This backend's locks: on relations of this database (some are
	 * no longer in pg_class: dropped), and on objects. */
	r = query_or_fail(g.db, "SELECT locktype, relation, classid ="
	    " 'pg_type'::regclass, objid, mode FROM pg_locks"
	    " WHERE pid = pg_backend_pid() AND granted AND"
	    " ((locktype = 'relation' AND database = (SELECT oid FROM"
	    " pg_database WHERE datname = current_database()))"
	    " OR locktype = 'object')");
	for (i = 0; i < PQntuples(r); i++) {
		enum mig_lock	 m = lock_of(PQgetvalue(r, i, 4));
		int		 k;

		if (strcmp(PQgetvalue(r, i, 0), "relation") == 0) {
			struct rel *x = rel_by_oid(o, (unsigned)strtoul(
			    PQgetvalue(r, i, 1), NULL, 10));

			/* Not in schema public, or made and dropped by
			 * the statement (a rewrite's transient heap). */
			if (x != NULL && m > x->lock)
				x->lock = m;
			continue;
		}
		if (strcmp(PQgetvalue(r, i, 2), "t") != 0)
			continue;
		for (k = 0; k < o->ntyps; k++) {
			if (o->typs[k].oid == (unsigned)strtoul(
			    PQgetvalue(r, i, 3), NULL, 10) &&
			    m > o->typs[k].lock)
				o->typs[k].lock = m;
		}
	}
	PQclear(r);

	/* The size of a heap with new storage: rows copied (a rewrite) or
	 * none (TRUNCATE).  pg_relation_size() takes ACCESS SHARE, so it
	 * comes after pg_locks was read. */
	for (i = 0; i < o->nrels; i++) {
		struct rel *x = &o->rels[i];

		if (!renewed(x))
			continue;
		strbuf_reset(&sql);
		strbuf_addf(&sql, "SELECT pg_relation_size(%u)", x->oid);
		r = query_or_fail(g.db, sql.buf);
		x->bytes1 = atoll(PQgetvalue(r, 0, 0));
		PQclear(r);
	}
	strbuf_release(&sql);
}

static int
rel_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rel *)a)->name,
	    ((const struct rel *)b)->name);
}

/* Run 'sql' in a transaction that is rolled back, and look around it. */
static void
observe(const char *sql, struct observed *o)
{
	PGresult	*r;

	memset(o, 0, sizeof *o);
	exec_or_fail(g.db, "BEGIN");
	look_before(o);
	r = PQexec(g.db, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK) {
		o->error = xstrdup(PQresultErrorMessage(r));
		PQclear(r);
		exec_or_fail(g.db, "ROLLBACK");
		return;
	}
	PQclear(r);
	look_after(o);
	exec_or_fail(g.db, "ROLLBACK");
	/* For the report: in the order of names, not of pg_class. */
	qsort(o->rels, (size_t)o->nrels, sizeof *o->rels, rel_cmp);
}

static void
observed_release(struct observed *o)
{
	free(o->rels);
	free(o->typs);
	free(o->error);
	memset(o, 0, sizeof *o);
}

/* Scans counted on a table: its own (seq) and its indexes' (idx). */
static void
scans_of(const struct observed *o, const struct rel *t, long long *seq,
    long long *idx)
{
	int	i;

	*seq = t->scans1 - t->scans0;
	*idx = 0;
	for (i = 0; i < o->nrels; i++) {
		if (o->rels[i].table == t->oid)
			*idx += o->rels[i].scans1 - o->rels[i].scans0;
	}
}

/* A partitioned table is read through its partitions. */
static long long
scans_total(const struct observed *o, const struct rel *t)
{
	long long	seq, idx, sum = 0;
	int		i;

	if (t->kind != 'p') {
		scans_of(o, t, &seq, &idx);
		return seq + idx;
	}
	for (i = 0; i < o->nrels; i++) {
		if (o->rels[i].parent == t->oid && o->rels[i].kind != 'i' &&
		    o->rels[i].kind != 'I')
			sum += scans_total(o, &o->rels[i]);
	}
	return sum;
}

/* ---- the engine's side ------------------------------------------- */

/* What the engine says about one name: strongest lock, all flags. */
struct claim {
	int		 named;
	enum mig_objkind kind;
	enum mig_lock	 lock;
	unsigned	 flags;
};

static struct claim
claim_of(const struct mig_stmt *st, const char *name)
{
	struct claim	c;
	int		i;

	memset(&c, 0, sizeof c);
	for (i = 0; i < st->ntargets; i++) {
		const struct mig_target *t = &st->targets[i];

		if (t->name == NULL || strcmp(t->name, name) != 0)
			continue;
		if (!c.named || t->lock > c.lock)
			c.lock = t->lock;
		c.named = 1;
		c.kind = t->kind;
		c.flags |= t->flags;
	}
	return c;
}

static void
flags_str(struct strbuf *sb, unsigned f)
{
	if (f & MIG_REWRITE)
		strbuf_addstr(sb, " +rewrite");
	if (f & MIG_SCAN)
		strbuf_addstr(sb, " +scan");
	if (f & MIG_BUILD)
		strbuf_addstr(sb, " +build");
	if (f & MIG_WRITE)
		strbuf_addstr(sb, " +write");
	if (f & MIG_FK_PARENT)
		strbuf_addstr(sb, " +fk-parent");
	if (f & MIG_NEW)
		strbuf_addstr(sb, " +new");
}

static void
predicted_str(struct strbuf *sb, const struct mig_stmt *st)
{
	int	i;

	for (i = 0; i < st->ntargets; i++) {
		const struct mig_target *t = &st->targets[i];

		if (i > 0)
			strbuf_addstr(sb, "; ");
		if (t->kind == MIG_OBJ_TYPE)
			strbuf_addstr(sb, "type ");
		if (t->schema != NULL)
			strbuf_addf(sb, "%s.", t->schema);
		strbuf_addf(sb, "%s %s", t->name != NULL ? t->name : "(null)",
		    (unsigned)t->lock < MIG_NLOCKS ? lock_abbrev[t->lock] :
		    "?");
		flags_str(sb, t->flags);
	}
	if (st->ntargets == 0)
		strbuf_addstr(sb, "(no target)");
}

/*
 * What the server did, in the words of the summary: every relation
 * that is not an index and was locked, read or given new storage;
 * an index only where the engine names it, or where the server treats
 * it apart from its table (a stronger lock, new storage alone); a type
 * locked more than ACCESS SHARE or named by the engine.
 */
static void
observed_str(struct strbuf *sb, const struct observed *o,
    const struct mig_stmt *st)
{
	int	i, n = 0;

	for (i = 0; i < o->nrels; i++) {
		const struct rel	*x = &o->rels[i];
		const struct rel	*t = NULL;
		long long		 seq = 0, idx = 0;
		int			 nn;

		nn = x->before && x->after && x->node0 != x->node1;
		if (is_index(x)) {
			t = rel_by_oid((struct observed *)o, x->table);
			if (!claim_of(st, x->name).named && (t == NULL ||
			    (x->lock <= t->lock && (!nn ||
			    t->node0 != t->node1))))
				continue;
		} else if (x->kind == 'p') {
			seq = scans_total(o, x);
		} else {
			scans_of(o, x, &seq, &idx);
		}
		if (x->lock == MIG_LOCK_NONE && seq + idx == 0 && !nn)
			continue;
		strbuf_addf(sb, "%s%s %s", n++ > 0 ? "; " : "", x->name,
		    lock_abbrev[x->lock]);
		if (!x->before)
			strbuf_addstr(sb, " +created");
		else if (!x->after)
			strbuf_addstr(sb, " +dropped");
		if (nn && !is_index(x))
			strbuf_addstr(sb, rewritten(x) ? " +rewritten" :
			    " +emptied");
		else if (nn)
			strbuf_addstr(sb, " +new-relfilenode");
		if (seq > 0)
			strbuf_addf(sb, x->kind == 'p' ?
			    " +partition-scans(%lld)" : " +seq(%lld)", seq);
		if (idx > 0)
			strbuf_addf(sb, " +idx(%lld)", idx);
	}
	for (i = 0; i < o->ntyps; i++) {
		const struct typ *ty = &o->typs[i];

		if (ty->lock > MIG_LOCK_ACCESS_SHARE ||
		    claim_of(st, ty->name).named)
			strbuf_addf(sb, "%stype %s %s", n++ > 0 ? "; " : "",
			    ty->name, lock_abbrev[ty->lock]);
	}
	if (n == 0)
		strbuf_addstr(sb, "(nothing)");
}

/* The engine's analysis of one statement alone, or NULL (recorded). */
static struct mig_set *
analyse(const char *sql)
{
	struct strbuf	 text = STRBUF_INIT;
	struct mig_set	*set;

	strbuf_addf(&text, "%s;\n", sql);
	set = mig_load_string("case.sql", text.buf, text.len);
	strbuf_release(&text);
	if (set == NULL) {
		mismatch(sql, "engine", "mig_load_string returned NULL");
		return NULL;
	}
	set->timezone = xstrdup("UTC");
	mig_analyze(set, g.cat);
	mig_estimate(set, g.cat);
	if (set->nerrors > 0 || set->nstmts != 1 ||
	    (set->stmts[0].flags & MIG_PARSE_ERROR)) {
		mismatch(sql, "engine", "%d statements, %d errors%s%s",
		    set->nstmts, set->nerrors, set->nerrors > 0 ? ": " : "",
		    set->nerrors > 0 ? set->errors[0] : "");
		mig_set_free(set);
		return NULL;
	}
	return set;
}

/*
 * Hold the engine's view of one statement against the server's:
 *
 * Locks.  Every relation or type the engine names is locked by the
 * server in exactly that mode (NONE: not at all).  Every relation that
 * is not an index and that the server locks more strongly than ACCESS
 * SHARE is named by the engine.  Indexes the engine does not name are
 * left alone (the server locks every index of a table it rewrites or
 * writes to).  A relation the statement itself creates is left alone
 * too: nobody else can see it before COMMIT, so its lock (always ACCESS
 * EXCLUSIVE) blocks no one.
 *
 * Rewrite.  A table (or materialized view) has a new relfilenode after
 * the statement if and only if the engine sets MIG_REWRITE on it.
 *
 * Scan.  Where the engine sets MIG_SCAN, MIG_REWRITE or MIG_BUILD, the
 * table's scans (seq_scan + idx_scan of pg_stat_xact_user_tables, as
 * counted by pg_stat_get_xact_numscans() on the table and its indexes)
 * rose; where it sets none of them, the server did not count a
 * sequential scan of the table that read rows.  Rows, because
 * index_build() scans the heap through table_beginscan() and so counts
 * a sequential scan per index built: TRUNCATE, which builds every
 * index again on the new empty heap, shows one per index, reading
 * nothing.  (For the same reason a rewrite shows 1 + its indexes.)
 *
 * Every validating read PostgreSQL 15 does is counted this way: SET NOT
 * NULL, CHECK and partition constraints (ATRewriteTable), foreign keys
 * (RI_Initial_Check's query, on both tables), domain constraints
 * (validateDomainConstraint), the default partition when a partition
 * is added.  Two blind spots, neither reached by these tables: the
 * view's idx_scan sums the indexes that exist when it is read (so the
 * counts are taken per index OID here, dropped ones included), and a
 * parallel index build or scan counts in its workers, not in this
 * backend's transaction (not planned below min_parallel_table_scan_size,
 * 8 MB; the biggest table here has 6000 rows).
 */
static void
check_case(const char *sql, const struct mig_stmt *st,
    const struct observed *o)
{
	char	key[128];
	int	i;

	if (st->flags & MIG_NO_TX)
		mismatch(sql, "no-tx", "flagged MIG_NO_TX, but the server"
		    " runs it inside BEGIN");

	/* Engine -> server. */
	for (i = 0; i < st->ntargets; i++) {
		const struct mig_target	*t = &st->targets[i];
		struct rel		*x;
		struct typ		*ty;
		struct claim		 c;

		if (t->name == NULL) {
			mismatch(sql, "engine", "target %d has no name", i);
			continue;
		}
		if (t->schema != NULL && strcmp(t->schema, "public") != 0)
			mismatch(sql, "engine", "target %s in schema %s",
			    t->name, t->schema);
		c = claim_of(st, t->name);
		snprintf(key, sizeof key, "lock %s", t->name);
		if (t->kind == MIG_OBJ_TYPE) {
			if ((ty = typ_by_name((struct observed *)o,
			    t->name)) == NULL)
				mismatch(sql, key, "engine names type %s,"
				    " which is no enum or domain of the schema",
				    t->name);
			else if (ty->lock != c.lock)
				mismatch(sql, key, "type %s: predicted %s,"
				    " the server holds %s", t->name,
				    lock_abbrev[c.lock], lock_abbrev[ty->lock]);
			continue;
		}
		if (t->kind == MIG_OBJ_OTHER)
			continue;
		x = rel_by_name((struct observed *)o, t->name);
		if (x == NULL) {
			mismatch(sql, key, "engine names %s, which the server"
			    " has no relation of", t->name);
			continue;
		}
		if (!x->before)
			continue;
		if (x->lock != c.lock)
			mismatch(sql, key, "%s: predicted %s, the server"
			    " holds %s", t->name, lock_abbrev[c.lock],
			    lock_abbrev[x->lock]);
	}

	/* Server -> engine. */
	for (i = 0; i < o->nrels; i++) {
		const struct rel	*x = &o->rels[i];
		struct claim		 c = claim_of(st, x->name);
		long long		 seq, idx, total;
		int			 rw;

		if (!x->before)
			continue;
		if (!is_index(x) && x->lock > MIG_LOCK_ACCESS_SHARE &&
		    !c.named) {
			snprintf(key, sizeof key, "lock %s", x->name);
			mismatch(sql, key, "the server holds %s on %s (%c),"
			    " the engine does not name it",
			    lock_abbrev[x->lock], x->name, x->kind);
		}
		if (is_index(x))
			continue;

		rw = rewritten(x);
		snprintf(key, sizeof key, "rewrite %s", x->name);
		if (has_heap(x) && x->after &&
		    rw != ((c.flags & MIG_REWRITE) != 0))
			mismatch(sql, key, "%s: relfilenode %u -> %u (%lld"
			    " bytes), engine %s MIG_REWRITE", x->name,
			    x->node0, x->node1, x->bytes1,
			    c.flags & MIG_REWRITE ? "sets" : "does not set");

		snprintf(key, sizeof key, "scan %s", x->name);
		total = scans_total(o, x);
		if (c.flags & (MIG_SCAN | MIG_REWRITE | MIG_BUILD)) {
			if (total == 0) {
				struct strbuf f = STRBUF_INIT;

				flags_str(&f, c.flags);
				mismatch(sql, key, "%s: engine says%s, the"
				    " server counted no scan", x->name, f.buf);
				strbuf_release(&f);
			}
		} else if (x->kind != 'p') {
			scans_of(o, x, &seq, &idx);
			if (seq > 0 && x->tup1 > x->tup0)
				mismatch(sql, key, "%s: the server counted %lld"
				    " seq scans reading %lld rows (and %lld idx"
				    " scans), the engine sets no scan, rewrite"
				    " or build", x->name, seq,
				    x->tup1 - x->tup0, idx);
		}
	}
}

/*
 * print_message() formats into a fixed buffer (cmocka cuts longer
 * messages): the report goes out one line at a time.
 */
static void
print_report(void)
{
	char	*line = g.report.buf, *nl;

	for (; *line != '\0'; line = nl + 1) {
		if ((nl = strchr(line, '\n')) == NULL)
			break;
		print_message("%.*s\n", (int)(nl - line), line);
	}
	strbuf_reset(&g.report);
}

static const char *
case_sql(int i)
{
	return cases[i];
}

static const char *
notx_sql(int i)
{
	return notx_cases[i].sql;
}

/*
 * A known engine bug on one of the 'n' statements of sql_at() that did
 * not show this time: said, so that the list is kept short, but no
 * failure.
 */
static void
known_not_seen(const char *(*sql_at)(int), int n)
{
	size_t	i;
	int	k, j;

	for (i = 0; i < sizeof known_engine_bugs /
	    sizeof known_engine_bugs[0]; i++) {
		const struct known_bug	*kb = &known_engine_bugs[i];
		int			 ours = 0, seen = 0;

		if (kb->sql == NULL)
			continue;
		for (k = 0; k < n; k++) {
			if (strcmp(sql_at(k), kb->sql) == 0)
				ours = 1;
		}
		for (j = 0; j < g.nbad; j++) {
			if (strcmp(g.bad[j].sql, kb->sql) == 0 &&
			    strcmp(g.bad[j].check, kb->check) == 0)
				seen = 1;
		}
		if (ours && !seen)
			print_message("known engine bug no longer seen (take it"
			    " out of known_engine_bugs): %s: %s\n", kb->check,
			    kb->sql);
	}
}

static void
test_in_transaction(void **state)
{
	int	i, nfail = 0, nknown = 0;

	(void)state;
	print_message("Locks: AS RS RE SUE S SRE E AE (ACCESS SHARE ..."
	    " ACCESS EXCLUSIVE), - none.  Observed: +rewritten or +emptied"
	    " (new relfilenode with rows or without), +seq(n) +idx(n)"
	    " (scans counted in pg_stat_xact_user_tables), +created"
	    " +dropped.\n");
	for (i = 0; i < NCASES; i++) {
		struct mig_set	*set;
		struct observed	 o;
		struct strbuf	 p = STRBUF_INIT, s = STRBUF_INIT;
		int		 before = g.nbad, k;

		strbuf_addf(&g.report, "[%2d] %s\n", i + 1, cases[i]);
		set = analyse(cases[i]);
		observe(cases[i], &o);
		if (o.error != NULL) {
			mismatch(cases[i], "server", "the statement failed"
			    " inside BEGIN: %s", o.error);
		} else if (set != NULL) {
			const struct mig_stmt *st = &set->stmts[0];

			predicted_str(&p, st);
			observed_str(&s, &o, st);
			strbuf_addf(&g.report, "      predicted %s\n"
			    "      observed  %s\n", p.buf, s.buf);
			check_case(cases[i], st, &o);
		}
		for (k = before; k < g.nbad; k++) {
			if (g.bad[k].known)
				nknown++;
			else
				nfail++;
		}
		strbuf_release(&p);
		strbuf_release(&s);
		observed_release(&o);
		mig_set_free(set);
	}
	print_report();
	known_not_seen(case_sql, NCASES);
	print_message("%d statements inside a transaction: %d mismatches,"
	    " %d known engine bugs\n", NCASES, nfail, nknown);
	if (nfail > 0)
		fail_msg("%d mismatches between the engine and the server",
		    nfail);
}

/* A relation lock another session holds or waits for. */
struct held {
	char		 name[64];
	enum mig_lock	 lock;		/* strongest, granted or not */
	int		 waiting;	/* that one is not granted yet */
};

static void
sleep_ms(long ms)
{
	struct timespec	ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static long
count_of(const char *sql)
{
	PGresult	*r = query_or_fail(g.db, sql);
	long		 n = atol(PQgetvalue(r, 0, 0));

	PQclear(r);
	return n;
}

/*
 * Run nc->sql outside a transaction on a connection of its own while a
 * second connection holds nc->blocker in an open transaction; once the
 * statement waits, read its relation locks on schema public into 'out'
 * (at most 'max').  Returns how many, or -1 when it never waited or
 * failed ('why' says what happened).  The schema is put back with
 * nc->cleanup.
 */
static int
observe_wait(const struct notx_case *nc, struct held *out, int max,
    struct strbuf *why)
{
	PGconn		*a, *b;
	PGresult	*r;
	char		 sql[512];
	int		 pid, i, k, n = 0, waited = 0, ms;

	b = connect_to(TEST_DB);
	exec_or_fail(b, "BEGIN");
	exec_or_fail(b, nc->blocker);
	a = connect_to(TEST_DB);
	PQsetNoticeProcessor(a, quiet, NULL);
	pid = PQbackendPID(a);
	if (!PQsendQuery(a, nc->sql))
		fail_msg("%s: %s", nc->sql, PQerrorMessage(a));
	snprintf(sql, sizeof sql, "SELECT count(*) FROM pg_locks WHERE"
	    " pid = %d AND NOT granted", pid);
	for (ms = 0; ms < 10000; ms += 10) {
		if (!PQconsumeInput(a))
			fail_msg("%s: %s", nc->sql, PQerrorMessage(a));
		if (!PQisBusy(a))
			break;
		if (count_of(sql) > 0) {
			waited = 1;
			break;
		}
		sleep_ms(10);
	}
	if (waited) {
		snprintf(sql, sizeof sql, "SELECT c.relname, l.mode,"
		    " l.granted FROM pg_locks l JOIN pg_class c ON"
		    " c.oid = l.relation WHERE l.pid = %d AND l.locktype ="
		    " 'relation' AND c.relnamespace ="
		    " 'public'::regnamespace ORDER BY c.relname", pid);
		r = query_or_fail(g.db, sql);
		for (i = 0; i < PQntuples(r); i++) {
			enum mig_lock m = lock_of(PQgetvalue(r, i, 1));

			for (k = 0; k < n; k++) {
				if (strcmp(out[k].name, PQgetvalue(r, i, 0))
				    == 0)
					break;
			}
			if (k == n) {
				if (n == max)
					continue;
				memset(&out[n], 0, sizeof out[n]);
				snprintf(out[n].name, sizeof out[n].name, "%s",
				    PQgetvalue(r, i, 0));
				n++;
			}
			if (m > out[k].lock) {
				out[k].lock = m;
				out[k].waiting = PQgetvalue(r, i, 2)[0] == 'f';
			}
		}
		PQclear(r);
		snprintf(sql, sizeof sql, "SELECT string_agg(locktype || ' '"
		    " || mode, ', ') FROM pg_locks WHERE pid = %d AND NOT"
		    " granted", pid);
		r = query_or_fail(g.db, sql);
		strbuf_addf(why, "waits for %s", PQgetvalue(r, 0, 0));
		PQclear(r);
	} else {
		strbuf_addstr(why, ms >= 10000 ? "did not wait in 10 s" :
		    "finished without waiting");
	}
	exec_or_fail(b, "ROLLBACK");
	PQfinish(b);
	while ((r = PQgetResult(a)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK &&
		    PQresultStatus(r) != PGRES_TUPLES_OK) {
			strbuf_addf(why, "; failed: %s",
			    PQresultErrorMessage(r));
			waited = 0;
		}
		PQclear(r);
	}
	PQfinish(a);
	if (nc->cleanup != NULL)
		exec_or_fail(g.db, nc->cleanup);
	return waited ? n : -1;
}

/*
 * The statements that cannot run in a transaction block: flagged
 * MIG_NO_TX, refused by the server inside BEGIN with SQLSTATE 25001
 * (active_sql_transaction), given the documented lock by the engine,
 * and seen holding that lock when run for real (observe_wait()).
 */
static void
test_not_in_transaction(void **state)
{
	struct held	 held[32];
	struct strbuf	 why = STRBUF_INIT;
	int		 nheld = -1, looked = 0, i, nfail = 0, nknown = 0;

	(void)state;
	for (i = 0; i < NNOTX; i++) {
		const struct notx_case	*nc = &notx_cases[i];
		struct mig_set		*set;
		struct strbuf		 p = STRBUF_INIT, w = STRBUF_INIT;
		PGresult		*r;
		const char		*state_;
		char			 key[128];
		int			 before = g.nbad, k, first;

		first = i == 0 || strcmp(notx_cases[i - 1].sql, nc->sql) != 0;
		strbuf_addf(&g.report, "[%2d] %s\n      documented %s %s"
		    " (%s)\n", i + 1, nc->sql, nc->rel != NULL ? nc->rel :
		    "(no relation)", lock_abbrev[nc->lock], nc->docs);
		set = analyse(nc->sql);
		if (set != NULL) {
			const struct mig_stmt	*st = &set->stmts[0];
			struct claim		 c;

			predicted_str(&p, st);
			strbuf_addf(&g.report, "      predicted  %s\n", p.buf);
			if (first && !(st->flags & MIG_NO_TX))
				mismatch(nc->sql, "no-tx", "not flagged"
				    " MIG_NO_TX");
			if (nc->rel != NULL) {
				c = claim_of(st, nc->rel);
				snprintf(key, sizeof key, "lock %s", nc->rel);
				if (c.lock != nc->lock)
					mismatch(nc->sql, key, "%s: predicted"
					    " %s, documented %s (%s)", nc->rel,
					    lock_abbrev[c.lock],
					    lock_abbrev[nc->lock], nc->docs);
			} else if (st->lock != MIG_LOCK_NONE) {
				mismatch(nc->sql, "lock", "predicted %s,"
				    " documented: no relation lock",
				    lock_abbrev[st->lock]);
			}
		}
		if (first) {
			exec_or_fail(g.db, "BEGIN");
			r = PQexec(g.db, nc->sql);
			state_ = PQresultErrorField(r, PG_DIAG_SQLSTATE);
			if (PQresultStatus(r) != PGRES_FATAL_ERROR ||
			    state_ == NULL || strcmp(state_, "25001") != 0)
				mismatch(nc->sql, "server", "inside BEGIN: %s"
				    " %s", state_ != NULL ? state_ : "no error",
				    PQresultErrorMessage(r));
			PQclear(r);
			exec_or_fail(g.db, "ROLLBACK");
			strbuf_reset(&why);
			nheld = -1;
			looked = nc->blocker != NULL;
			if (looked)
				nheld = observe_wait(nc, held,
				    (int)(sizeof held / sizeof held[0]), &why);
			for (k = 0; k < nheld; k++)
				strbuf_addf(&w, "%s%s %s%s", k > 0 ? "; " : "",
				    held[k].name, lock_abbrev[held[k].lock],
				    held[k].waiting ? " (waiting)" : "");
			if (nheld >= 0)
				strbuf_addf(&g.report, "      at the wait %s"
				    " (%s)\n", w.buf, why.buf);
		}
		if (nc->rel != NULL && looked) {
			enum mig_lock	 m = MIG_LOCK_NONE;

			for (k = 0; k < nheld; k++) {
				if (strcmp(held[k].name, nc->rel) == 0)
					m = held[k].lock;
			}
			snprintf(key, sizeof key, "wait %s", nc->rel);
			if (nheld < 0)
				mismatch(nc->sql, key, "run outside a"
				    " transaction: %s", why.buf);
			else if (m != nc->lock)
				mismatch(nc->sql, key, "%s: %s at the wait,"
				    " documented %s", nc->rel, lock_abbrev[m],
				    lock_abbrev[nc->lock]);
		}
		for (k = before; k < g.nbad; k++) {
			if (g.bad[k].known)
				nknown++;
			else
				nfail++;
		}
		strbuf_release(&p);
		strbuf_release(&w);
		mig_set_free(set);
	}
	strbuf_release(&why);
	print_report();
	known_not_seen(notx_sql, NNOTX);
	print_message("%d rows of statements outside a transaction: %d"
	    " mismatches, %d known engine bugs\n", NNOTX, nfail, nknown);
	if (nfail > 0)
		fail_msg("%d mismatches between the engine and the docs",
		    nfail);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_transaction),
		cmocka_unit_test(test_not_in_transaction),
	};
	const char	*ci = getenv("CI");

	srcdir = getenv("PGDECK_SOURCE_DIR");
	if (srcdir == NULL)
		srcdir = PGDECK_SOURCE_DIR;
	conninfo = getenv("PGDECK_TEST_CONNINFO");
	if (conninfo == NULL) {
		if (ci != NULL && strcmp(ci, "true") == 0) {
			fprintf(stderr, "test_migrate_live: CI=true but no test"
			    " server (PGDECK_TEST_CONNINFO unset): failing\n");
			return 1;
		}
		fprintf(stderr, "\n*** test_migrate_live: SKIPPED: no"
		    " PostgreSQL (run tests through scripts/test) ***\n\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
