/*
 * server.c - what the server knows that the files do not: the real sizes
 * and shapes of the relations a migration touches, how fast this server
 * reads and sorts, who holds locks right now, and (on a scratch database
 * the user names) what each step really locks and how long it takes.
 *
 * These run before the UI starts or on an explicit key, blocking, each
 * query under statement_timeout and lock_timeout; catalog loading is a
 * handful of set-based queries filtered by the names the set mentions,
 * never one query per table.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "core/clock.h"
#include "core/pg_conn.h"
#include "core/strbuf.h"
#include "migrate/mig_int.h"

static void	add_name(struct strbuf *sb, const char *s);

/* Every name the set mentions: a text[] literal for = ANY($1). */
static int
name_node(const char *key, const json_t *v, void *arg)
{
	struct strbuf *sb = arg;
	const char *s;

	if ((strcmp(key, "relname") != 0 && strcmp(key, "sval") != 0) ||
	    !json_is_string(v))
		return JWALK_GO;
	s = json_string_value(v);
	if (strlen(s) <= 63)
		add_name(sb, s);
	return JWALK_SKIP;
}

/*
 * What a statement reaches beyond the names it says: the partitions and
 * inheritance children of a table, the tables that reference it (CASCADE,
 * a DELETE's FK checks) and that it references, the tables with a column
 * of a domain, the base tables of a (materialized) view.
 */
static const char q_related[] =
	"SELECT DISTINCT x FROM ("
	" SELECT c.relname FROM pg_class p CROSS JOIN LATERAL"
	"   pg_partition_tree(p.oid) t JOIN pg_class c ON c.oid = t.relid"
	"   WHERE p.relname = ANY($1::text[]) AND p.relkind = 'p'"
	" UNION ALL SELECT c.relname FROM pg_inherits i"
	"   JOIN pg_class c ON c.oid = i.inhrelid"
	"   JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = ANY($1::text[])"
	" UNION ALL SELECT c.relname FROM pg_constraint k"
	"   JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class f ON f.oid = k.confrelid"
	"   WHERE k.contype = 'f' AND k.conparentid = 0"
	"   AND (f.relname = ANY($1::text[]) OR c.relname = ANY($1::text[]))"
	" UNION ALL SELECT f.relname FROM pg_constraint k"
	"   JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class f ON f.oid = k.confrelid"
	"   WHERE k.contype = 'f' AND k.conparentid = 0 AND c.relname = ANY($1::text[])"
	" UNION ALL SELECT c.relname FROM pg_attribute a"
	"   JOIN pg_type t ON t.oid = a.atttypid JOIN pg_class c ON c.oid = a.attrelid"
	"   WHERE t.typtype = 'd' AND t.typname = ANY($1::text[])"
	"   AND c.relkind IN ('r', 'p', 'm') AND a.attnum > 0 AND NOT a.attisdropped"
	" UNION ALL SELECT b.relname FROM pg_class v"
	"   JOIN pg_rewrite rw ON rw.ev_class = v.oid"
	"   JOIN pg_depend d ON d.objid = rw.oid AND d.classid = 'pg_rewrite'::regclass"
	"   AND d.refclassid = 'pg_class'::regclass"
	"   JOIN pg_class b ON b.oid = d.refobjid"
	"   WHERE v.relname = ANY($1::text[]) AND v.relkind IN ('m', 'v')"
	"   AND b.oid <> v.oid AND b.relkind IN ('r', 'p', 'm', 'v', 'f')"
	") s(x) WHERE NOT (x = ANY($1::text[])) LIMIT 10000";

static void
add_name(struct strbuf *sb, const char *s)
{
	if (sb->len > 1)
		strbuf_addch(sb, ',');
	strbuf_addch(sb, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			strbuf_addch(sb, '\\');
		strbuf_addch(sb, *s);
	}
	strbuf_addch(sb, '"');
}

static char *
names_param(const struct mig_set *set)
{
	struct strbuf sb;

	strbuf_init(&sb, 256);
	strbuf_addch(&sb, '{');
	for (int i = 0; i < set->nstmts; i++)
		jwalk(set->stmts[i].tree, name_node, &sb);
	strbuf_addch(&sb, '}');
	return strbuf_detach(&sb);
}

static PGresult *
query(PGconn *conn, const char *sql, const char *names, char **err)
{
	const char *params[1] = { names };
	PGresult *res = PQexecParams(conn, sql, names != NULL ? 1 : 0, NULL,
	    params, NULL, NULL, 0);

	if (PQresultStatus(res) != PGRES_TUPLES_OK &&
	    PQresultStatus(res) != PGRES_COMMAND_OK) {
		char buf[256];

		if (*err == NULL)
			*err = xstrdup(pg_first_line(PQresultErrorMessage(res), buf,
			    sizeof buf));
		PQclear(res);
		return NULL;
	}
	return res;
}

static int	simple(PGconn *conn, const char *sql, char **err);

/* Two commands: the simple protocol (PQexecParams takes only one). */
static int
setup(PGconn *conn, char **err)
{
	return simple(conn, "SET statement_timeout = '10s'; "
	    "SET lock_timeout = '1s'", err);
}

static double
num(PGresult *res, int r, int c)
{
	return PQgetisnull(res, r, c) ? -1 : strtod(PQgetvalue(res, r, c), NULL);
}

static const char *
str(PGresult *res, int r, int c)
{
	return PQgetisnull(res, r, c) ? NULL : PQgetvalue(res, r, c);
}

static const char q_rels[] =
	"SELECT n.nspname, c.relname, c.relkind::text,"
	" CASE WHEN c.relkind = 'p' THEN (SELECT coalesce(sum(pg_relation_size(t.relid)), 0)"
	"   FROM pg_partition_tree(c.oid) t) ELSE pg_relation_size(c.oid) END,"
	" CASE WHEN c.relkind = 'p' THEN (SELECT coalesce(sum(pg_indexes_size(t.relid)), 0)"
	"   FROM pg_partition_tree(c.oid) t WHERE t.isleaf) ELSE pg_indexes_size(c.oid) END,"
	" CASE WHEN c.relkind = 'p' THEN (SELECT sum(greatest(p.reltuples, 0))"
	"   FROM pg_partition_tree(c.oid) t JOIN pg_class p ON p.oid = t.relid WHERE t.isleaf)"
	"   WHEN c.reltuples < 0 THEN NULL ELSE c.reltuples END,"
	" (SELECT p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent"
	"   WHERE i.inhrelid = c.oid LIMIT 1),"
	" (SELECT d.relname FROM pg_partitioned_table pt JOIN pg_class d ON d.oid = pt.partdefid"
	"   WHERE pt.partrelid = c.oid),"
	" (SELECT string_agg(DISTINCT v.relname, ', ') FROM pg_depend dp"
	"   JOIN pg_rewrite rw ON rw.oid = dp.objid JOIN pg_class v ON v.oid = rw.ev_class"
	"   WHERE dp.classid = 'pg_rewrite'::regclass AND dp.refclassid = 'pg_class'::regclass"
	"   AND dp.refobjid = c.oid AND v.oid <> c.oid),"
	" (SELECT ',' || string_agg(DISTINCT a.attname, ',') || ',' FROM pg_depend dp"
	"   JOIN pg_rewrite rw ON rw.oid = dp.objid JOIN pg_attribute a"
	"   ON a.attrelid = c.oid AND a.attnum = dp.refobjsubid"
	"   WHERE dp.classid = 'pg_rewrite'::regclass AND dp.refclassid = 'pg_class'::regclass"
	"   AND dp.refobjid = c.oid AND rw.ev_class <> c.oid AND dp.refobjsubid > 0),"
	" CASE WHEN c.relkind = 'p' THEN (SELECT coalesce(sum(pg_relation_size(p.reltoastrelid)), 0)"
	"   FROM pg_partition_tree(c.oid) t JOIN pg_class p ON p.oid = t.relid"
	"   WHERE t.isleaf AND p.reltoastrelid <> 0)"
	"   WHEN c.reltoastrelid <> 0 THEN pg_relation_size(c.reltoastrelid) ELSE 0 END"
	" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
	" WHERE c.relname = ANY($1::text[]) AND c.relkind IN ('r', 'p', 'm', 'v', 'f')"
	" AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
	" AND n.nspname NOT LIKE 'pg_toast%'";

static const char q_cols[] =
	"SELECT n.nspname, c.relname, a.attname, t.typname, a.atttypmod,"
	" a.attnotnull, a.atthasdef, t.typcategory = 'A'"
	" FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	" JOIN pg_type t ON t.oid = a.atttypid"
	" WHERE c.relname = ANY($1::text[]) AND c.relkind IN ('r', 'p', 'm', 'f')"
	" AND a.attnum > 0 AND NOT a.attisdropped"
	" AND n.nspname NOT IN ('pg_catalog', 'information_schema')";

/* indkey is zero-based, 0 for an expression column: a NULL name here. */
static const char q_idx[] =
	"SELECT n.nspname, t.relname, i.relname, x.indisunique, x.indisprimary,"
	" x.indisvalid, pg_relation_size(i.oid),"
	" ARRAY(SELECT coalesce(a.attname::text, '') FROM unnest(x.indkey::int2[])"
	"   WITH ORDINALITY k(attnum, ord) LEFT JOIN pg_attribute a"
	"   ON a.attrelid = t.oid AND a.attnum = k.attnum"
	"   WHERE k.ord <= x.indnkeyatts ORDER BY k.ord)"
	" FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
	" JOIN pg_class t ON t.oid = x.indrelid"
	" JOIN pg_namespace n ON n.oid = t.relnamespace"
	" WHERE (t.relname = ANY($1::text[]) OR i.relname = ANY($1::text[]))"
	" AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
	" AND n.nspname NOT LIKE 'pg_toast%'";

/* Declared constraints only: partition clones have conparentid set. */
static const char q_cons[] =
	"SELECT n.nspname, c.relname, k.conname, k.contype::text, k.convalidated,"
	" f.relname, pg_get_constraintdef(k.oid),"
	" ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY"
	"   u(attnum, ord) JOIN pg_attribute a ON a.attrelid = k.conrelid"
	"   AND a.attnum = u.attnum ORDER BY u.ord),"
	" k.confdeltype::text"
	" FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	" LEFT JOIN pg_class f ON f.oid = k.confrelid"
	" WHERE c.relname = ANY($1::text[]) AND k.conparentid = 0"
	" AND n.nspname NOT IN ('pg_catalog', 'information_schema')";

static void
decode_typmod(struct mig_column *c, const char *typname, int typmod, int array)
{
	free(c->type);
	if (array && typname[0] == '_')
		c->type = xstrfmt("%s[]", typname + 1);
	else
		c->type = xstrdup(typname);
	c->mod1 = c->mod2 = -1;
	if (typmod < 0)
		return;
	if (strcmp(typname, "varchar") == 0 || strcmp(typname, "bpchar") == 0) {
		c->mod1 = typmod - 4;
	} else if (strcmp(typname, "numeric") == 0) {
		c->mod1 = ((typmod - 4) >> 16) & 0xffff;
		c->mod2 = (typmod - 4) & 0xffff;
	} else {
		c->mod1 = typmod;
	}
}

/* "{a,b,\"\"}" -> names; an empty name is an expression column. */
static void
parse_names(char ***cols, int *ncols, const char *s)
{
	char buf[256];
	size_t n = 0;
	int quoted = 0;

	if (*s == '{')
		s++;
	for (;; s++) {
		if (*s == '"') {
			quoted = !quoted;
			continue;
		}
		if (*s == '\\' && s[1] != '\0') {
			s++;
		} else if ((*s == ',' && !quoted) || *s == '}' || *s == '\0') {
			buf[n] = '\0';
			*MIG_PUSH(*cols, *ncols) = n > 0 ? xstrdup(buf) : NULL;
			n = 0;
			if (*s != ',')
				break;
			continue;
		}
		if (n < sizeof buf - 1)
			buf[n++] = *s;
	}
}

/* "CHECK ((col IS NOT NULL))" proves col NOT NULL. */
static char *
notnull_def(const char *def)
{
	const char *p = def, *e;

	if (strncmp(p, "CHECK ((", 8) != 0)
		return NULL;
	p += 8;
	e = strstr(p, " IS NOT NULL))");
	if (e == NULL || e[14] != '\0' || e == p || memchr(p, ' ', (size_t)(e - p)))
		return NULL;
	return xstrndup(p, (size_t)(e - p));
}

/* The names, and what they reach (q_related), to a fixed point: a
 * CASCADE goes on through the tables that reference the referencing. */
static char *
related_names(PGconn *conn, char *names, char **err)
{
	for (int round = 0; round < 8; round++) {
		PGresult *res = query(conn, q_related, names, err);
		struct strbuf sb;
		int n;

		if (res == NULL)
			return names;
		if ((n = PQntuples(res)) == 0) {
			PQclear(res);
			return names;
		}
		strbuf_init(&sb, strlen(names) + 64);
		strbuf_add(&sb, names, strlen(names) - 1);	/* no '}' */
		for (int i = 0; i < n; i++)
			add_name(&sb, PQgetvalue(res, i, 0));
		strbuf_addch(&sb, '}');
		PQclear(res);
		free(names);
		names = strbuf_detach(&sb);
	}
	return names;
}

int
mig_server_catalog(PGconn *conn, struct mig_set *set, struct mig_catalog *cat,
    char **err)
{
	char *names = names_param(set);
	PGresult *res;

	*err = NULL;
	if (setup(conn, err) != 0) {
		free(names);
		return -1;
	}
	if ((res = query(conn, "SELECT current_setting('TimeZone'),"
	    " current_setting('server_version_num')::int, current_database()",
	    NULL, err)) != NULL) {
		free(cat->timezone);
		cat->timezone = xstrdup(PQgetvalue(res, 0, 0));
		free(set->timezone);
		set->timezone = xstrdup(PQgetvalue(res, 0, 0));
		cat->server_version = set->server_version =
		    atoi(PQgetvalue(res, 0, 1));
		PQclear(res);
	}
	names = related_names(conn, names, err);
	if ((res = query(conn, q_rels, names, err)) != NULL) {
		for (int i = 0; i < PQntuples(res); i++) {
			struct mig_rel *r = mig_cat_add(cat, str(res, i, 0),
			    str(res, i, 1), str(res, i, 2)[0]);

			r->heap_bytes = num(res, i, 3);
			r->index_bytes = num(res, i, 4);
			r->rows = num(res, i, 5);
			free(r->parent);
			r->parent = str(res, i, 6) != NULL ?
			    xstrdup(str(res, i, 6)) : NULL;
			free(r->default_part);
			r->default_part = str(res, i, 7) != NULL ?
			    xstrdup(str(res, i, 7)) : NULL;
			r->has_default_part = r->default_part != NULL;
			free(r->views);
			r->views = str(res, i, 8) != NULL ?
			    xstrdup(str(res, i, 8)) : NULL;
			r->nviews = r->views != NULL;
			free(r->view_cols);
			r->view_cols = str(res, i, 9) != NULL ?
			    xstrdup(str(res, i, 9)) : xstrdup(",");
			r->toast_bytes = num(res, i, 10);
			for (const char *p = r->views; p != NULL &&
			    (p = strchr(p, ',')) != NULL; p++)
				r->nviews++;
		}
		PQclear(res);
	}
	if ((res = query(conn, q_cols, names, err)) != NULL) {
		for (int i = 0; i < PQntuples(res); i++) {
			struct mig_rel *r = mig_cat_find(cat, str(res, i, 0),
			    str(res, i, 1));
			struct mig_column *c;

			if (r == NULL)
				continue;
			c = mig_rel_add_col(r, str(res, i, 2));
			decode_typmod(c, str(res, i, 3), atoi(str(res, i, 4)),
			    str(res, i, 7)[0] == 't');
			c->notnull = str(res, i, 5)[0] == 't';
			c->has_default = str(res, i, 6)[0] == 't';
		}
		PQclear(res);
	}
	if ((res = query(conn, q_idx, names, err)) != NULL) {
		for (int i = 0; i < PQntuples(res); i++) {
			struct mig_rel *r = mig_cat_find(cat, str(res, i, 0),
			    str(res, i, 1));
			struct mig_index *ix;

			if (r == NULL)
				r = mig_cat_add(cat, str(res, i, 0), str(res, i, 1),
				    'r');
			ix = MIG_PUSH(r->idx, r->nidx);
			ix->name = xstrdup(str(res, i, 2));
			ix->unique = str(res, i, 3)[0] == 't';
			ix->primary = str(res, i, 4)[0] == 't';
			ix->valid = str(res, i, 5)[0] == 't';
			ix->bytes = num(res, i, 6);
			parse_names(&ix->cols, &ix->ncols, str(res, i, 7));
		}
		PQclear(res);
	}
	if ((res = query(conn, q_cons, names, err)) != NULL) {
		for (int i = 0; i < PQntuples(res); i++) {
			struct mig_rel *r = mig_cat_find(cat, str(res, i, 0),
			    str(res, i, 1));
			struct mig_constraint *k;

			if (r == NULL)
				continue;
			k = MIG_PUSH(r->cons, r->ncons);
			k->name = xstrdup(str(res, i, 2));
			k->type = str(res, i, 3)[0];
			k->valid = str(res, i, 4)[0] == 't';
			k->ref = str(res, i, 5) != NULL ?
			    xstrdup(str(res, i, 5)) : NULL;
			k->notnull_col = k->type == 'c' ?
			    notnull_def(str(res, i, 6)) : NULL;
			if (k->type == 'f') {
				parse_names(&k->cols, &k->ncols,
				    str(res, i, 7));
				k->on_delete = str(res, i, 8) != NULL ?
				    str(res, i, 8)[0] : 'a';
			}
		}
		PQclear(res);
	}
	free(names);
	return *err != NULL ? -1 : 0;
}

/* Execution time (ms) and blocks touched from EXPLAIN (ANALYZE, BUFFERS,
 * FORMAT JSON). */
static int
explain_sample(PGconn *conn, const char *sql, double *ms, double *blocks,
    char **err)
{
	PGresult *res = query(conn, sql, NULL, err);
	json_t *root, *top, *plan;

	if (res == NULL)
		return -1;
	root = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	PQclear(res);
	top = json_array_get(root, 0);
	plan = jget(top, "Plan");
	*ms = json_number_value(jget(top, "Execution Time"));
	*blocks = json_number_value(jget(plan, "Shared Hit Blocks")) +
	    json_number_value(jget(plan, "Shared Read Blocks"));
	json_decref(root);
	return *ms > 0 ? 0 : -1;
}

/*
 * The defaults were measured (bench/migrate.sh) on a machine where this
 * 200,000-row sort took CPU_BASE_MS in memory (6 MB; at the default
 * work_mem it spills to disk and measures the disk), and where the
 * sampled read ran at READ_BASE_BYTES_S; a server twice as fast gets
 * rates twice as high.  Each is the median of 3 samples: one sample
 * on a busy machine was off by up to 3x.
 */
#define CPU_BASE_MS		40.0
#define READ_BASE_BYTES_S	1000e6
#define NSAMPLES		3

static const char sort_sample[] = "EXPLAIN (ANALYZE, TIMING OFF, "
    "FORMAT JSON) SELECT count(*) FROM (SELECT g FROM generate_series(1, "
    "200000) g ORDER BY g DESC OFFSET 0) s";

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median time of NSAMPLES runs of 'sql', and its blocks. */
static int
median_sample(PGconn *conn, const char *sql, double *ms, double *blocks,
    char **err)
{
	double t[NSAMPLES];
	int n = 0;

	for (int i = 0; i < NSAMPLES; i++)
		if (explain_sample(conn, sql, &t[n], blocks, err) == 0)
			n++;
	if (n == 0)
		return -1;
	if (n > 1)
		qsort(t, (size_t)n, sizeof t[0], cmp_double);
	*ms = t[n / 2];
	return 0;
}

static double
clamp(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

void
mig_rates_calibrated(struct mig_rates *r, const struct mig_calib *cal)
{
	static char source[160];
	double cpu = 1, io = 1;
	char when[32] = "";

	mig_rates_default(r);
	if (cal->sort_ms <= 0 && cal->read_bytes_s <= 0)
		return;
	if (cal->sort_ms > 0)
		cpu = clamp(CPU_BASE_MS / cal->sort_ms, 0.25, 4);
	r->sort_rows_s *= cpu;
	r->dml_rows_s *= cpu;
	r->fk_rows_s *= cpu;
	/* Scaled, not replaced: a sampled read is slower than the scan it
	 * stands for, by about the same factor everywhere. */
	io = cal->read_bytes_s > 0 ? clamp(cal->read_bytes_s /
	    READ_BASE_BYTES_S, 0.25, 4) : cpu;
	r->seq_bytes_s *= io;
	r->write_bytes_s *= io;
	if (cal->cached && cal->ts > 0) {
		time_t t = (time_t)cal->ts;
		struct tm tm;

		if (localtime_r(&t, &tm) != NULL)
			strftime(when, sizeof when, " (kept from %Y-%m-%d %H:%M)",
			    &tm);
	}
	snprintf(source, sizeof source, "calibrated on this server%s: sort "
	    "x%.2f, read x%.2f%s", when, cpu, io, cal->read_bytes_s > 0 ? "" :
	    " (no table to sample; as the sort)");
	r->source = source;
}

char *
mig_server_id(PGconn *conn)
{
	char *err = NULL, *id = NULL;
	PGresult *res = query(conn, "SELECT CASE WHEN has_function_privilege("
	    "'pg_control_system()', 'EXECUTE') THEN (SELECT system_identifier"
	    "::text FROM pg_control_system()) END", NULL, &err);

	free(err);
	if (res != NULL && PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
		id = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return id;
}

int
mig_server_calibrate(PGconn *conn, struct mig_set *set,
    struct mig_catalog *cat, struct mig_calib *cal, char **err)
{
	const struct mig_rel *big = NULL;
	double ms, blocks;
	int measured = 0;

	*err = NULL;
	mig_rates_calibrated(&set->rates, cal);
	for (int i = 0; cat != NULL && i < cat->nrels; i++) {
		const struct mig_rel *x = cat->rels[i];

		if (x != NULL && (x->kind == 'r' || x->kind == 'm') &&
		    x->heap_bytes >= (8 << 20) &&
		    (big == NULL || x->heap_bytes > big->heap_bytes))
			big = x;
	}
	if (cal->sort_ms > 0 && (cal->read_bytes_s > 0 || big == NULL))
		return 0;
	if (setup(conn, err) != 0)
		return -1;
	if (cal->sort_ms <= 0 &&
	    simple(conn, "SET work_mem = '64MB'", err) == 0) {
		if (median_sample(conn, sort_sample, &ms, &blocks, err) == 0) {
			cal->sort_ms = ms;
			measured = 1;
		}
		simple(conn, "RESET work_mem", err);
	}
	if (cal->read_bytes_s <= 0 && big != NULL) {
		const char *schema = big->schema != NULL ? big->schema :
		    "public";
		double pct = 100.0 * (32 << 20) / big->heap_bytes;
		char *q = PQescapeIdentifier(conn, big->name, strlen(big->name));
		char *qs = PQescapeIdentifier(conn, schema, strlen(schema));
		char *sql = xstrfmt("EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, "
		    "FORMAT JSON) SELECT count(*) FROM ONLY %s.%s TABLESAMPLE "
		    "SYSTEM (%.3f)", qs, q, pct > 100 ? 100 : pct);

		if (q != NULL && qs != NULL && median_sample(conn, sql, &ms,
		    &blocks, err) == 0 && blocks > 0) {
			cal->read_bytes_s = blocks * 8192 / (ms / 1000);
			measured = 1;
		}
		PQfreemem(q);
		PQfreemem(qs);
		free(sql);
	}
	if (!measured)
		return *err != NULL ? -1 : 0;
	free(*err);
	*err = NULL;
	cal->ts = (int64_t)time(NULL);
	cal->cached = 0;
	mig_rates_calibrated(&set->rates, cal);
	return 1;
}

/* The rows the planner expects a statement to write, or -1. */
static double
planned_rows(PGconn *conn, const char *sql)
{
	char *err = NULL, *q = xstrfmt("EXPLAIN (FORMAT JSON) %s", sql);
	PGresult *res = query(conn, q, NULL, &err);
	json_t *root, *plan;
	double rows = -1;

	free(q);
	free(err);
	if (res == NULL)
		return -1;
	root = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	PQclear(res);
	plan = jget(json_array_get(root, 0), "Plan");
	/* ModifyTable says 0 rows (none returned): its input is what
	 * it writes. */
	if (jstr(plan, "Node Type") != NULL &&
	    strcmp(jstr(plan, "Node Type"), "ModifyTable") == 0)
		plan = json_array_get(jget(plan, "Plans"), 0);
	if (json_is_number(jget(plan, "Plan Rows")))
		rows = json_number_value(jget(plan, "Plan Rows"));
	json_decref(root);
	return rows;
}

int
mig_server_dml_rows(PGconn *conn, struct mig_set *set, char **err)
{
	int asked = 0;

	*err = NULL;
	if (setup(conn, err) != 0)
		return -1;
	/* Read only: EXPLAIN plans the statement and never runs it; a
	 * statement on what the migration creates fails and stays unknown. */
	if (simple(conn, "BEGIN READ ONLY", err) != 0)
		return -1;
	for (int i = 0; i < set->nstmts && asked < MIG_MAX_PLANNED; i++) {
		struct mig_stmt *st = &set->stmts[i];
		struct mig_target *t = NULL;
		double rows;

		if (st->cls != MIG_CLASS_DML || st->sql == NULL ||
		    st->tag == NULL || (strcmp(st->tag, "UPDATE") != 0 &&
		    strcmp(st->tag, "DELETE") != 0 &&
		    strcmp(st->tag, "INSERT") != 0))
			continue;
		for (int k = 0; k < st->ntargets && t == NULL; k++)
			if ((st->targets[k].flags & MIG_WRITE) &&
			    !(st->targets[k].flags & MIG_NEW) &&
			    st->targets[k].rows < 0)
				t = &st->targets[k];
		if (t == NULL)
			continue;
		asked++;
		if (simple(conn, "SAVEPOINT pgdeck_plan", NULL) != 0)
			break;
		if ((rows = planned_rows(conn, st->sql)) >= 0) {
			t->rows = rows;
			t->flags |= MIG_ROWS_PLANNED;
		}
		simple(conn, "ROLLBACK TO SAVEPOINT pgdeck_plan", NULL);
	}
	simple(conn, "ROLLBACK", NULL);
	return 0;
}

int
mig_server_risk(PGconn *conn, struct mig_set *set, char **err)
{
	char *names = names_param(set);
	PGresult *res, *old;

	*err = NULL;
	if (setup(conn, err) != 0) {
		free(names);
		return -1;
	}
	res = query(conn, "SELECT l.pid, c.relname, l.mode,"
	    " coalesce(extract(epoch FROM now() - a.xact_start), 0),"
	    " coalesce(a.application_name, '')"
	    " FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
	    " JOIN pg_stat_activity a ON a.pid = l.pid"
	    " WHERE l.granted AND l.pid <> pg_backend_pid()"
	    " AND c.relname = ANY($1::text[])"
	    " ORDER BY 4 DESC", names, err);
	free(names);
	for (int i = 0; res != NULL && i < set->nstmts; i++) {
		struct mig_stmt *st = &set->stmts[i];
		int n = 0;
		char first[160] = "";

		free(st->risk);
		st->risk = NULL;
		for (int r = 0; r < PQntuples(res); r++) {
			for (int k = 0; k < st->ntargets; k++) {
				const struct mig_target *t = &st->targets[k];

				if (strcmp(t->name, PQgetvalue(res, r, 1)) != 0 ||
				    !mig_lock_conflicts(t->lock,
				    mig_lock_parse(PQgetvalue(res, r, 2))))
					continue;
				if (n++ == 0) {
					char age[32];

					fmt_duration(age, sizeof age,
					    atof(PQgetvalue(res, r, 3)));
					snprintf(first, sizeof first, "pid %s (%s) "
					    "holds %s on %s, in a transaction "
					    "open %s", PQgetvalue(res, r, 0),
					    PQgetvalue(res, r, 4),
					    PQgetvalue(res, r, 2), t->name, age);
				}
				break;
			}
		}
		if (n > 0)
			st->risk = n == 1 ? xstrdup(first) :
			    xstrfmt("%s, and %d more", first, n - 1);
	}
	if (res != NULL)
		PQclear(res);
	old = query(conn, "SELECT pid, extract(epoch FROM now() - xact_start)"
	    " FROM pg_stat_activity WHERE xact_start IS NOT NULL"
	    " AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
	    " ORDER BY xact_start LIMIT 1", NULL, err);
	set->oldest_xact_s = -1;
	if (old != NULL && PQntuples(old) == 1) {
		set->oldest_xact_pid = atoi(PQgetvalue(old, 0, 0));
		set->oldest_xact_s = atof(PQgetvalue(old, 0, 1));
	}
	if (old != NULL)
		PQclear(old);
	return *err != NULL ? -1 : 0;
}

/* Locks this backend holds on user relations, "rel Mode" each. */
static char **
held_locks(PGconn *conn, int *n)
{
	char *err = NULL;
	PGresult *res = query(conn, "SELECT c.relname || ' ' || l.mode"
	    " FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
	    " JOIN pg_namespace ns ON ns.oid = c.relnamespace"
	    " WHERE l.pid = pg_backend_pid() AND l.granted"
	    " AND ns.nspname NOT IN ('pg_catalog', 'information_schema')"
	    " ORDER BY 1", NULL, &err);
	char **v = NULL;

	*n = 0;
	free(err);
	for (int i = 0; res != NULL && i < PQntuples(res); i++)
		*MIG_PUSH(v, *n) = xstrdup(PQgetvalue(res, i, 0));
	if (res != NULL)
		PQclear(res);
	return v;
}

static int
simple(PGconn *conn, const char *sql, char **err)
{
	PGresult *res = PQexec(conn, sql);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK ||
	    PQresultStatus(res) == PGRES_TUPLES_OK;

	if (!ok && err != NULL && *err == NULL) {
		char buf[256];

		*err = xstrdup(pg_first_line(PQresultErrorMessage(res), buf,
		    sizeof buf));
	}
	PQclear(res);
	return ok ? 0 : -1;
}

int
mig_dry_run(PGconn *conn, struct mig_set *set, char **err)
{
	char **before;
	int nbefore;

	*err = NULL;
	if (simple(conn, "BEGIN", err) != 0 ||
	    simple(conn, "SET LOCAL statement_timeout = '120s'", err) != 0 ||
	    simple(conn, "SET LOCAL lock_timeout = '5s'", err) != 0)
		return -1;
	before = held_locks(conn, &nbefore);
	for (int i = 0; i < set->nstmts; i++) {
		struct mig_stmt *st = &set->stmts[i];
		char *e = NULL, **after;
		int nafter;
		struct strbuf sb;
		int64_t t0;

		free(st->dry_locks);
		free(st->dry_error);
		st->dry_locks = st->dry_error = NULL;
		st->dry_done = 0;
		if ((st->flags & MIG_ROLLBACK_FILE) || st->tree == NULL)
			continue;
		if (st->flags & MIG_TX_CONTROL) {
			st->dry_done = -1;
			st->dry_error = xstrdup("transaction control: the dry run "
			    "keeps one transaction and rolls it back");
			continue;
		}
		if (st->flags & MIG_NO_TX) {
			st->dry_done = -1;
			st->dry_error = xstrfmt("cannot run in a transaction: not "
			    "traced; documented lock %s",
			    mig_lock_name(st->lock));
			continue;
		}
		simple(conn, "SAVEPOINT pgdeck_step", NULL);
		t0 = clock_now_ms();
		if (simple(conn, st->sql, &e) != 0) {
			st->dry_done = -1;
			st->dry_error = e;
			simple(conn, "ROLLBACK TO SAVEPOINT pgdeck_step", NULL);
			continue;
		}
		st->dry_s = (double)(clock_now_ms() - t0) / 1000;
		st->dry_done = 1;
		after = held_locks(conn, &nafter);
		strbuf_init(&sb, 64);
		for (int a = 0; a < nafter; a++) {
			int seen = 0;

			for (int b = 0; b < nbefore && !seen; b++)
				seen = strcmp(after[a], before[b]) == 0;
			if (!seen) {
				if (sb.len > 0)
					strbuf_addstr(&sb, ", ");
				strbuf_addstr(&sb, after[a]);
			}
		}
		st->dry_locks = strbuf_detach(&sb);
		for (int b = 0; b < nbefore; b++)
			free(before[b]);
		free(before);
		before = after;
		nbefore = nafter;
	}
	for (int b = 0; b < nbefore; b++)
		free(before[b]);
	free(before);
	return simple(conn, "ROLLBACK", err);
}
