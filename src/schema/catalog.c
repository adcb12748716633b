/*
 * catalog.c - the Schema pane's catalog: its queries, their parsing, the
 * cross references, and building one by hand for tests.
 *
 * The queries are set-based: one per kind of object for the whole
 * database, ordered so that each result can be merged with a binary
 * search on OIDs (relations and indexes are kept sorted by OID).  The
 * known PostgreSQL 15 traps, each handled here:
 *
 *  - a FK on (or to) a partitioned table is cloned into each partition
 *    with conparentid pointing at the declared one: only conparentid = 0
 *    is loaded, so a FK is counted once;
 *  - pg_total_relation_size() of a partitioned table is 0: its sizes are
 *    the sums over its partition tree, added up in sch_finish();
 *  - pg_index.indkey is an int2vector, zero-based, with 0 for an
 *    expression column; it is read as text ("1 0 3");
 *  - pg_description is keyed by (classoid, objoid, objsubid): every join
 *    names its classoid, and objsubid is the column's attnum or 0.
 */
#include "schema.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/strbuf.h"
#include "core/util.h"
#include "live/pgresult.h"
#include "core/banned.h"

/* The schemas that are PostgreSQL's own, and other sessions' temp ones. */
#define NSP_FILTER \
	" n.nspname NOT IN ('pg_catalog', 'information_schema')" \
	" AND n.nspname !~ '^pg_(toast|temp_)'"
#define REL_KINDS	" c.relkind IN ('r', 'p', 'v', 'm', 'f')"
#define FILLFACTOR(rel) \
	" (SELECT substr(o, 12)::int FROM unnest(" rel ".reloptions) o" \
	" WHERE o LIKE 'fillfactor=%') AS fillfactor"
#define DESCR(alias, catalog, obj, sub) \
	" LEFT JOIN pg_description " alias " ON " alias ".objoid = " obj \
	" AND " alias ".classoid = '" catalog "'::regclass AND " alias \
	".objsubid = " sub

static const char *const catalog_queries[] = {
	/* 0: the database, the clocks */
	"SELECT current_database() AS database,"
	" current_setting('server_version_num')::int AS version,"
	" current_setting('block_size')::int AS block_size,"
	" extract(epoch FROM now())::bigint AS now,"
	" (SELECT extract(epoch FROM stats_reset)::bigint"
	"  FROM pg_stat_database WHERE datname = current_database())"
	"  AS stats_reset,"
	" extract(epoch FROM pg_postmaster_start_time())::bigint AS started",

	/* 1: schemas */
	"SELECT n.oid, n.nspname AS name,"
	" pg_get_userbyid(n.nspowner) AS owner, d.description AS comment"
	" FROM pg_namespace n"
	DESCR("d", "pg_namespace", "n.oid", "0")
	" WHERE" NSP_FILTER
	" ORDER BY n.oid",

	/* 2: relations, with their statistics counters */
	"SELECT c.oid, c.relnamespace AS nsp, c.relname AS name,"
	" c.relkind AS kind, c.relpersistence AS persistence,"
	" c.relispartition AS is_partition, ih.inhparent AS parent,"
	" CASE WHEN c.relispartition"
	"  THEN pg_get_expr(c.relpartbound, c.oid) END AS partbound,"
	" pt.partstrat,"
	" CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END"
	"  AS partkey,"
	" d.description AS comment, c.reltuples, c.relpages,"
	FILLFACTOR("c") ","
	" pg_stat_get_live_tuples(c.oid) AS n_live_tup,"
	" pg_stat_get_dead_tuples(c.oid) AS n_dead_tup,"
	" pg_stat_get_numscans(c.oid) AS seq_scan,"
	" extract(epoch FROM pg_stat_get_last_vacuum_time(c.oid))::bigint"
	"  AS last_vacuum,"
	" extract(epoch FROM pg_stat_get_last_autovacuum_time(c.oid))::bigint"
	"  AS last_autovacuum,"
	" extract(epoch FROM pg_stat_get_last_analyze_time(c.oid))::bigint"
	"  AS last_analyze,"
	" extract(epoch FROM pg_stat_get_last_autoanalyze_time(c.oid))::bigint"
	"  AS last_autoanalyze"
	" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
	" LEFT JOIN pg_inherits ih ON ih.inhrelid = c.oid AND ih.inhseqno = 1"
	" LEFT JOIN pg_partitioned_table pt ON pt.partrelid = c.oid"
	DESCR("d", "pg_class", "c.oid", "0")
	" WHERE" REL_KINDS " AND" NSP_FILTER
	" ORDER BY c.oid",

	/* 3: columns */
	"SELECT a.attrelid AS rel, a.attnum, a.attname AS name,"
	" format_type(a.atttypid, a.atttypmod) AS type, a.atttypid AS typid,"
	" a.attnotnull AS notnull, pg_get_expr(ad.adbin, ad.adrelid) AS dflt,"
	" a.attidentity AS identity, a.attgenerated AS generated,"
	" d.description AS comment"
	" FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	" LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid"
	"  AND ad.adnum = a.attnum"
	DESCR("d", "pg_class", "a.attrelid", "a.attnum")
	" WHERE" REL_KINDS " AND" NSP_FILTER
	" AND a.attnum > 0 AND NOT a.attisdropped"
	" ORDER BY a.attrelid, a.attnum",

	/* 4: indexes, without their definitions */
	"SELECT i.indexrelid AS oid, ic.relname AS name, i.indrelid AS rel,"
	" ih.inhparent AS parent, i.indkey::text AS keys,"
	" i.indnkeyatts AS nkeyatts, i.indclass::text AS opclass,"
	" i.indoption::text AS options, i.indisunique AS uniq,"
	" i.indisprimary AS prim, i.indisvalid AS valid,"
	" pg_get_expr(i.indpred, i.indrelid) AS predicate,"
	" pg_get_expr(i.indexprs, i.indrelid) AS exprs,"
	" am.amname AS am, pg_stat_get_numscans(i.indexrelid) AS idx_scan,"
	" ic.reltuples, ic.relpages," FILLFACTOR("ic") ","
	" d.description AS comment"
	" FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid"
	" JOIN pg_class c ON c.oid = i.indrelid"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	" JOIN pg_am am ON am.oid = ic.relam"
	" LEFT JOIN pg_inherits ih ON ih.inhrelid = i.indexrelid"
	DESCR("d", "pg_class", "i.indexrelid", "0")
	" WHERE" REL_KINDS " AND" NSP_FILTER
	" ORDER BY i.indexrelid",

	/* 5: constraints; FK clones in partitions left out */
	"SELECT co.oid, co.conname AS name, co.contype AS type,"
	" co.conrelid AS rel, co.conkey::text AS cols,"
	" co.conindid AS index, co.confrelid AS ref_rel,"
	" co.confkey::text AS ref_cols, co.confdeltype AS on_delete,"
	" co.confupdtype AS on_update, co.confmatchtype AS match,"
	" co.convalidated AS validated, co.condeferrable AS deferrable,"
	" pg_get_constraintdef(co.oid) AS definition,"
	" d.description AS comment"
	" FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	DESCR("d", "pg_constraint", "co.oid", "0")
	" WHERE" REL_KINDS " AND" NSP_FILTER
	" AND co.contype IN ('p', 'f', 'u', 'c', 'x')"
	" AND NOT (co.contype = 'f' AND co.conparentid <> 0)"
	" ORDER BY co.conrelid, co.conname",

	/* 6: user triggers; clones in partitions left out */
	"SELECT t.oid, t.tgname AS name, t.tgrelid AS rel,"
	" t.tgenabled AS enabled, t.tgfoid::regproc::text AS function,"
	" pg_get_triggerdef(t.oid) AS definition, d.description AS comment"
	" FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	DESCR("d", "pg_trigger", "t.oid", "0")
	" WHERE" REL_KINDS " AND" NSP_FILTER
	" AND NOT t.tgisinternal AND t.tgparentid = 0"
	" ORDER BY t.tgrelid, t.tgname",

	/* 7: enums and domains */
	"SELECT t.oid, t.typnamespace AS nsp, t.typname AS name,"
	" t.typtype AS kind,"
	" CASE WHEN t.typtype = 'e' THEN (SELECT json_agg(e.enumlabel"
	"  ORDER BY e.enumsortorder) FROM pg_enum e"
	"  WHERE e.enumtypid = t.oid) END AS labels,"
	" CASE WHEN t.typtype = 'd'"
	"  THEN format_type(t.typbasetype, t.typtypmod) END AS base,"
	" t.typnotnull AS notnull, t.typdefault AS dflt,"
	" CASE WHEN t.typtype = 'd' THEN (SELECT"
	"  json_agg(pg_get_constraintdef(k.oid) ORDER BY k.conname)"
	"  FROM pg_constraint k WHERE k.contypid = t.oid) END AS checks,"
	" d.description AS comment"
	" FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
	DESCR("d", "pg_type", "t.oid", "0")
	" WHERE t.typtype IN ('e', 'd') AND" NSP_FILTER
	" ORDER BY t.oid",
};

static const char *const detail_queries[] = {
	/*
	 * 0: relation sizes; partitioned ones are summed in sch_finish.
	 * The indexes' total is added up from query 1's sizes, not asked
	 * of pg_indexes_size(), which would open every index a second time.
	 */
	"SELECT c.oid, pg_relation_size(c.oid) AS heap,"
	" pg_table_size(c.oid) AS tbl,"
	" CASE WHEN c.reltoastrelid <> 0"
	"  THEN pg_total_relation_size(c.reltoastrelid) ELSE 0 END AS toast"
	" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
	" WHERE c.relkind IN ('r', 'm') AND" NSP_FILTER
	" ORDER BY c.oid",

	/*
	 * 1: index sizes and definitions.  pg_table_size() of an index is
	 * all its forks, as pg_indexes_size() counts them (an index has no
	 * TOAST); that skips indexes being dropped (not indislive), and so
	 * does the total.
	 */
	"SELECT i.indexrelid AS oid, pg_table_size(i.indexrelid) AS size,"
	" i.indislive AS live, pg_get_indexdef(i.indexrelid) AS definition"
	" FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	" WHERE" REL_KINDS " AND" NSP_FILTER
	" ORDER BY i.indexrelid",

	/*
	 * 2: bloat inputs: the planner's column widths and null fractions.
	 * pg_stats is asked table by table (OFFSET 0 keeps the subquery
	 * from being flattened): joined whole, the view checks the column
	 * privileges of every attribute in the database first.
	 */
	"SELECT c.oid AS rel, a.attnum, s.avg_width, s.null_frac"
	" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
	" CROSS JOIN LATERAL (SELECT s.attname, s.avg_width, s.null_frac"
	"  FROM pg_stats s WHERE s.schemaname = n.nspname"
	"  AND s.tablename = c.relname AND NOT s.inherited OFFSET 0) s"
	" JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = s.attname"
	" WHERE c.relkind IN ('r', 'm') AND" NSP_FILTER
	" ORDER BY c.oid, a.attnum",
};

#define NCATALOG	((int)(sizeof catalog_queries / sizeof *catalog_queries))
#define NDETAIL		((int)(sizeof detail_queries / sizeof *detail_queries))

int
sch_nqueries(enum sch_phase phase)
{
	return phase == SCH_PHASE_CATALOG ? NCATALOG : NDETAIL;
}

const char *
sch_query(enum sch_phase phase, int i)
{
	if (i < 0 || i >= sch_nqueries(phase))
		return NULL;
	return phase == SCH_PHASE_CATALOG ? catalog_queries[i] :
	    detail_queries[i];
}

/*
 * Room for element 'n' (the count before adding) in an array of 'elem'
 * sized items that grows by doubling: capacity is the next power of two.
 */
static void *
grow(void *p, int n, size_t elem)
{
	if (n == 0)
		return xrealloc(p, 4 * elem);
	if (n >= 4 && (n & (n - 1)) == 0)
		return xrealloc(p, 2 * (size_t)n * elem);
	return p;
}

/*
 * a + b for counters and sizes, stopping at SCH_COUNT_MAX (a catalog
 * read from a file may hold any figures, and partition trees add them
 * up); a negative b, an unknown size, adds nothing.
 */
static int64_t
sat_add(int64_t a, int64_t b)
{
	if (b <= 0)
		return a;
	if (a > SCH_COUNT_MAX - b)
		return SCH_COUNT_MAX;
	return a + b;
}

static void
int_push(int **a, int *n, int v)
{
	*a = grow(*a, *n, sizeof **a);
	(*a)[(*n)++] = v;
}

struct sch_catalog *
sch_catalog_new(void)
{
	struct sch_catalog	*cat = xcalloc(1, sizeof *cat);

	cat->block_size = 8192;
	return cat;
}

static void
rel_release(struct sch_rel *r)
{
	int	i;

	free(r->name);
	free(r->partbound);
	free(r->partkey);
	free(r->children);
	free(r->comment);
	for (i = 0; i < r->ncols; i++) {
		free(r->cols[i].name);
		free(r->cols[i].type);
		free(r->cols[i].dflt);
		free(r->cols[i].comment);
	}
	free(r->cols);
	free(r->indexes);
	free(r->constraints);
	free(r->triggers);
	free(r->fks_in);
}

static void
strv_free(char **v, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Free everything 'cat' holds and leave it empty. */
static void
catalog_clear(struct sch_catalog *cat)
{
	int	i;

	free(cat->database);
	for (i = 0; i < cat->nschemas; i++) {
		free(cat->schemas[i].name);
		free(cat->schemas[i].owner);
		free(cat->schemas[i].comment);
		free(cat->schemas[i].rels);
	}
	free(cat->schemas);
	for (i = 0; i < cat->nrels; i++)
		rel_release(&cat->rels[i]);
	free(cat->rels);
	for (i = 0; i < cat->nindexes; i++) {
		struct sch_index *x = &cat->indexes[i];

		free(x->name);
		free(x->keys);
		free(x->opclass);
		free(x->options);
		free(x->predicate);
		free(x->exprs);
		free(x->am);
		free(x->definition);
		free(x->comment);
	}
	free(cat->indexes);
	for (i = 0; i < cat->nconstraints; i++) {
		struct sch_constraint *c = &cat->constraints[i];

		free(c->name);
		free(c->cols);
		free(c->ref_cols);
		free(c->definition);
		free(c->comment);
	}
	free(cat->constraints);
	for (i = 0; i < cat->ntriggers; i++) {
		free(cat->triggers[i].name);
		free(cat->triggers[i].function);
		free(cat->triggers[i].definition);
		free(cat->triggers[i].comment);
	}
	free(cat->triggers);
	for (i = 0; i < cat->nenums; i++) {
		free(cat->enums[i].name);
		strv_free(cat->enums[i].values, cat->enums[i].nvalues);
		free(cat->enums[i].comment);
	}
	free(cat->enums);
	for (i = 0; i < cat->ndomains; i++) {
		free(cat->domains[i].name);
		free(cat->domains[i].base);
		free(cat->domains[i].dflt);
		strv_free(cat->domains[i].checks, cat->domains[i].nchecks);
		free(cat->domains[i].comment);
	}
	free(cat->domains);
	memset(cat, 0, sizeof *cat);
	cat->block_size = 8192;
}

void
sch_catalog_free(struct sch_catalog *cat)
{
	if (cat == NULL)
		return;
	catalog_clear(cat);
	free(cat);
}

/* Lookups */

static int
schema_by_oid(const struct sch_catalog *cat, uint32_t oid)
{
	int	lo = 0, hi = cat->nschemas - 1;

	while (lo <= hi) {
		int	mid = lo + (hi - lo) / 2;

		if (cat->schemas[mid].oid == oid)
			return mid;
		if (cat->schemas[mid].oid < oid)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

int
sch_rel_by_oid(const struct sch_catalog *cat, uint32_t oid)
{
	int	lo = 0, hi = cat->nrels - 1;

	while (lo <= hi) {
		int	mid = lo + (hi - lo) / 2;

		if (cat->rels[mid].oid == oid)
			return mid;
		if (cat->rels[mid].oid < oid)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static int
index_by_oid(const struct sch_catalog *cat, uint32_t oid)
{
	int	lo = 0, hi = cat->nindexes - 1;

	while (lo <= hi) {
		int	mid = lo + (hi - lo) / 2;

		if (cat->indexes[mid].oid == oid)
			return mid;
		if (cat->indexes[mid].oid < oid)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static int
find_schema(const struct sch_catalog *cat, const char *name)
{
	int	i;

	for (i = 0; i < cat->nschemas; i++)
		if (strcmp(cat->schemas[i].name, name) == 0)
			return i;
	return -1;
}

int
sch_find_rel(const struct sch_catalog *cat, const char *schema,
    const char *name)
{
	int	s = find_schema(cat, schema), i;

	if (s < 0)
		return -1;
	for (i = 0; i < cat->nrels; i++)
		if (cat->rels[i].schema == s &&
		    strcmp(cat->rels[i].name, name) == 0)
			return i;
	return -1;
}

int
sch_find_index(const struct sch_catalog *cat, const char *schema,
    const char *name)
{
	int	s = find_schema(cat, schema), i;

	if (s < 0)
		return -1;
	for (i = 0; i < cat->nindexes; i++) {
		const struct sch_index *x = &cat->indexes[i];

		if (x->rel >= 0 && cat->rels[x->rel].schema == s &&
		    strcmp(x->name, name) == 0)
			return i;
	}
	return -1;
}

int
sch_find_constraint(const struct sch_catalog *cat, int rel, const char *name)
{
	int	i;

	for (i = 0; i < cat->nconstraints; i++)
		if (cat->constraints[i].rel == rel &&
		    strcmp(cat->constraints[i].name, name) == 0)
			return i;
	return -1;
}

const struct sch_column *
sch_column(const struct sch_catalog *cat, int rel, int attnum)
{
	const struct sch_rel	*r;
	int			 lo, hi;

	if (rel < 0 || rel >= cat->nrels)
		return NULL;
	r = &cat->rels[rel];
	lo = 0;
	hi = r->ncols - 1;
	while (lo <= hi) {
		int	mid = lo + (hi - lo) / 2;

		if (r->cols[mid].attnum == attnum)
			return &r->cols[mid];
		if (r->cols[mid].attnum < attnum)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

const struct sch_column *
sch_column_named(const struct sch_catalog *cat, int rel, const char *name)
{
	int	i;

	if (rel < 0 || rel >= cat->nrels)
		return NULL;
	for (i = 0; i < cat->rels[rel].ncols; i++)
		if (strcmp(cat->rels[rel].cols[i].name, name) == 0)
			return &cat->rels[rel].cols[i];
	return NULL;
}

/* Elements with their defaults ("unknown", "none"). */

static struct sch_rel *
new_rel(struct sch_catalog *cat)
{
	struct sch_rel	*r;

	cat->rels = grow(cat->rels, cat->nrels, sizeof *cat->rels);
	r = &cat->rels[cat->nrels++];
	memset(r, 0, sizeof *r);
	r->schema = -1;
	r->parent = -1;
	r->persistence = 'p';
	r->reltuples = -1;
	r->fillfactor = 100;
	r->size_heap = r->size_index = r->size_toast = r->size_total = -1;
	return r;
}

static struct sch_index *
new_index(struct sch_catalog *cat)
{
	struct sch_index	*x;

	cat->indexes = grow(cat->indexes, cat->nindexes, sizeof *cat->indexes);
	x = &cat->indexes[cat->nindexes++];
	memset(x, 0, sizeof *x);
	x->rel = -1;
	x->parent = -1;
	x->valid = 1;
	x->reltuples = -1;
	x->fillfactor = 90;
	x->size = -1;
	return x;
}

static struct sch_constraint *
new_constraint(struct sch_catalog *cat)
{
	struct sch_constraint	*c;

	cat->constraints = grow(cat->constraints, cat->nconstraints,
	    sizeof *cat->constraints);
	c = &cat->constraints[cat->nconstraints++];
	memset(c, 0, sizeof *c);
	c->rel = -1;
	c->index = -1;
	c->ref_rel = -1;
	c->validated = 1;
	return c;
}

static struct sch_column *
new_column(struct sch_rel *r)
{
	struct sch_column	*col;

	r->cols = grow(r->cols, r->ncols, sizeof *r->cols);
	col = &r->cols[r->ncols++];
	memset(col, 0, sizeof *col);
	col->avg_width = -1;
	col->null_frac = -1;
	return col;
}

/* Reading results */

static char *
get_str(PGresult *res, int row, int col)
{
	if (col < 0 || PQgetisnull(res, row, col))
		return NULL;
	return xstrdup(PQgetvalue(res, row, col));
}

static char
get_char(PGresult *res, int row, int col)
{
	if (col < 0 || PQgetisnull(res, row, col))
		return 0;
	return PQgetvalue(res, row, col)[0];
}

static uint32_t
get_oid(PGresult *res, int row, int col)
{
	return (uint32_t)pgr_int(res, row, col, 0);
}

/*
 * Parse the integers of an int2vector/oidvector ("1 0 3") or an array
 * ("{1,2}") into a malloc'd array; returns the count (NULL and 0 for
 * NULL or empty).
 */
static int
parse_ints(PGresult *res, int row, int col, int **out)
{
	const char	*s;
	char		*end;
	int		 n = 0;

	*out = NULL;
	if (col < 0 || PQgetisnull(res, row, col))
		return 0;
	for (s = PQgetvalue(res, row, col); *s != '\0'; ) {
		long	v;

		if (*s == '{' || *s == '}' || *s == ',' || *s == ' ') {
			s++;
			continue;
		}
		v = strtol(s, &end, 10);
		if (end == s)
			break;
		int_push(out, &n, (int)v);
		s = end;
	}
	return n;
}

/* Unsigned OIDs (an oidvector) into a malloc'd array of 'n'. */
static uint32_t *
parse_oids(PGresult *res, int row, int col, int n)
{
	uint32_t	*v = xcalloc((size_t)(n > 0 ? n : 1), sizeof *v);
	const char	*s;
	char		*end;
	int		 i = 0;

	if (col < 0 || PQgetisnull(res, row, col))
		return v;
	for (s = PQgetvalue(res, row, col); *s != '\0' && i < n; ) {
		unsigned long	x;

		if (*s == ' ') {
			s++;
			continue;
		}
		x = strtoul(s, &end, 10);
		if (end == s)
			break;
		v[i++] = (uint32_t)x;
		s = end;
	}
	return v;
}

/* A JSON array of strings into a malloc'd vector; returns the count. */
static int
parse_json_strings(PGresult *res, int row, int col, char ***out)
{
	json_t		*a;
	size_t		 i;
	int		 n = 0;

	*out = NULL;
	if (col < 0 || PQgetisnull(res, row, col))
		return 0;
	a = json_loads(PQgetvalue(res, row, col), JSON_DECODE_ANY, NULL);
	if (a == NULL || !json_is_array(a)) {
		json_decref(a);
		return 0;
	}
	if (json_array_size(a) > 0)
		*out = xcalloc(json_array_size(a), sizeof **out);
	for (i = 0; i < json_array_size(a); i++) {
		const char *v = json_string_value(json_array_get(a, i));

		(*out)[n++] = xstrdup(v != NULL ? v : "");
	}
	json_decref(a);
	return n;
}

/*
 * Map 'names' to column numbers of 'res' in 'idx'.  Returns 0, or -1
 * with '*err' naming the first missing column.
 */
static int
map_columns(PGresult *res, const char *const *names, int n, int *idx,
    char **err)
{
	int	i;

	for (i = 0; i < n; i++) {
		idx[i] = pgr_column(res, names[i], err);
		if (idx[i] < 0)
			return -1;
	}
	return 0;
}

#define MAP(names, idx) \
	map_columns(res, names, (int)(sizeof names / sizeof *names), idx, err)

static int
parse_meta(struct sch_catalog *cat, PGresult *res, char **err)
{
	static const char *const names[] = { "database", "version",
	    "block_size", "now", "stats_reset", "started" };
	int	c[6];

	if (MAP(names, c) < 0)
		return -1;
	if (PQntuples(res) != 1) {
		*err = xstrfmt("expected one row, got %d", PQntuples(res));
		return -1;
	}
	catalog_clear(cat);
	cat->database = get_str(res, 0, c[0]);
	cat->server_version = (int)pgr_int(res, 0, c[1], 0);
	cat->block_size = (int)pgr_int(res, 0, c[2], 8192);
	cat->loaded_at = pgr_int(res, 0, c[3], 0);
	cat->stats_reset = pgr_int(res, 0, c[4], 0);
	cat->server_started = pgr_int(res, 0, c[5], 0);
	return 0;
}

static int
parse_schemas(struct sch_catalog *cat, PGresult *res, char **err)
{
	static const char *const names[] = { "oid", "name", "owner",
	    "comment" };
	int	c[4], row;

	if (MAP(names, c) < 0)
		return -1;
	for (row = 0; row < PQntuples(res); row++) {
		struct sch_schema	*s;

		cat->schemas = grow(cat->schemas, cat->nschemas,
		    sizeof *cat->schemas);
		s = &cat->schemas[cat->nschemas++];
		memset(s, 0, sizeof *s);
		s->oid = get_oid(res, row, c[0]);
		s->name = get_str(res, row, c[1]);
		s->owner = get_str(res, row, c[2]);
		s->comment = get_str(res, row, c[3]);
	}
	return 0;
}

static int
parse_rels(struct sch_catalog *cat, PGresult *res, char **err)
{
	static const char *const names[] = { "oid", "nsp", "name", "kind",
	    "persistence", "is_partition", "parent", "partbound", "partstrat",
	    "partkey", "comment", "reltuples", "relpages", "fillfactor",
	    "n_live_tup", "n_dead_tup", "seq_scan", "last_vacuum",
	    "last_autovacuum", "last_analyze", "last_autoanalyze" };
	int	c[21], row, first = cat->nrels;

	if (MAP(names, c) < 0)
		return -1;
	for (row = 0; row < PQntuples(res); row++) {
		struct sch_rel	*r;
		int		 schema;

		/*
		 * A schema created between the schemas query and this one:
		 * its tables wait for the next read (each query is its own
		 * snapshot), rather than hang under no schema.
		 */
		if ((schema = schema_by_oid(cat, get_oid(res, row, c[1]))) < 0)
			continue;
		r = new_rel(cat);
		r->oid = get_oid(res, row, c[0]);
		r->schema = schema;
		r->name = get_str(res, row, c[2]);
		r->kind = get_char(res, row, c[3]);
		r->persistence = get_char(res, row, c[4]);
		r->is_partition = pgr_bool(res, row, c[5]);
		r->partbound = get_str(res, row, c[7]);
		r->partstrat = get_char(res, row, c[8]);
		r->partkey = get_str(res, row, c[9]);
		r->comment = get_str(res, row, c[10]);
		r->reltuples = pgr_double(res, row, c[11]);
		if (r->reltuples != r->reltuples)
			r->reltuples = -1;
		r->relpages = pgr_int(res, row, c[12], 0);
		r->fillfactor = (int)pgr_int(res, row, c[13], 100);
		r->n_live_tup = pgr_int(res, row, c[14], 0);
		r->n_dead_tup = pgr_int(res, row, c[15], 0);
		r->seq_scan = pgr_int(res, row, c[16], 0);
		r->last_vacuum = pgr_int(res, row, c[17], 0);
		r->last_autovacuum = pgr_int(res, row, c[18], 0);
		r->last_analyze = pgr_int(res, row, c[19], 0);
		r->last_autoanalyze = pgr_int(res, row, c[20], 0);
	}
	/* A parent may come after its child (ATTACH PARTITION, INHERIT). */
	for (row = 0; row < PQntuples(res); row++) {
		if (schema_by_oid(cat, get_oid(res, row, c[1])) < 0)
			continue;
		cat->rels[first++].parent =
		    sch_rel_by_oid(cat, get_oid(res, row, c[6]));
	}
	return 0;
}

static int
parse_columns(struct sch_catalog *cat, PGresult *res, char **err)
{
	static const char *const names[] = { "rel", "attnum", "name", "type",
	    "typid", "notnull", "dflt", "identity", "generated", "comment" };
	int		c[10], row, rel = -1;
	uint32_t	last = 0;

	if (MAP(names, c) < 0)
		return -1;
	for (row = 0; row < PQntuples(res); row++) {
		uint32_t		 oid = get_oid(res, row, c[0]);
		struct sch_column	*col;

		if (rel < 0 || oid != last)
			rel = sch_rel_by_oid(cat, oid);
		last = oid;
		if (rel < 0)
			continue;	/* created since query 2 */
		col = new_column(&cat->rels[rel]);
		col->attnum = (int)pgr_int(res, row, c[1], 0);
		col->name = get_str(res, row, c[2]);
		col->type = get_str(res, row, c[3]);
		col->typid = get_oid(res, row, c[4]);
		col->notnull = pgr_bool(res, row, c[5]);
		col->dflt = get_str(res, row, c[6]);
		col->identity = get_char(res, row, c[7]);
		col->generated = get_char(res, row, c[8]);
		col->comment = get_str(res, row, c[9]);
	}
	return 0;
}

static int
parse_indexes(struct sch_catalog *cat, PGresult *res, char **err)
{
	static const char *const names[] = { "oid", "name", "rel", "parent",
	    "keys", "nkeyatts", "opclass", "options", "uniq", "prim", "valid",
	    "predicate", "exprs", "am", "idx_scan", "reltuples", "relpages",
	    "fillfactor", "comment" };
	int	c[19], row;

	if (MAP(names, c) < 0)
		return -1;
	for (row = 0; row < PQntuples(res); row++) {
		struct sch_index	*x;
		int			 rel, *opts;

		rel = sch_rel_by_oid(cat, get_oid(res, row, c[2]));
		if (rel < 0)
			continue;
		x = new_index(cat);
		x->oid = get_oid(res, row, c[0]);
		x->name = get_str(res, row, c[1]);
		x->rel = rel;
		x->nkeys = parse_ints(res, row, c[4], &x->keys);
		x->nkeyatts = (int)pgr_int(res, row, c[5], x->nkeys);
		if (x->nkeyatts > x->nkeys)
			x->nkeyatts = x->nkeys;
		x->opclass = parse_oids(res, row, c[6], x->nkeyatts);
		x->options = xcalloc((size_t)(x->nkeyatts > 0 ? x->nkeyatts :
		    1), sizeof *x->options);
		if (parse_ints(res, row, c[7], &opts) > 0)
			memcpy(x->options, opts, (size_t)x->nkeyatts *
			    sizeof *opts);
		free(opts);
		x->unique = pgr_bool(res, row, c[8]);
		x->primary = pgr_bool(res, row, c[9]);
		x->valid = pgr_bool(res, row, c[10]);
		x->predicate = get_str(res, row, c[11]);
		x->partial = x->predicate != NULL;
		x->exprs = get_str(res, row, c[12]);
		x->am = get_str(res, row, c[13]);
		x->idx_scan = pgr_int(res, row, c[14], 0);
		x->reltuples = pgr_double(res, row, c[15]);
		if (x->reltuples != x->reltuples)
			x->reltuples = -1;
		x->relpages = pgr_int(res, row, c[16], 0);
		x->fillfactor = (int)pgr_int(res, row, c[17],
		    x->am != NULL && strcmp(x->am, "btree") == 0 ? 90 : 100);
		x->comment = get_str(res, row, c[18]);
		/* The table's idx_scan is its indexes' (pg_stat_all_tables). */
		cat->rels[rel].idx_scan = sat_add(cat->rels[rel].idx_scan,
		    x->idx_scan);
	}
	for (row = 0; row < PQntuples(res); row++) {
		int	x = index_by_oid(cat, get_oid(res, row, c[0]));

		if (x >= 0)
			cat->indexes[x].parent = index_by_oid(cat,
			    get_oid(res, row, c[3]));
	}
	return 0;
}

static int
parse_constraints(struct sch_catalog *cat, PGresult *res, char **err)
{
	static const char *const names[] = { "oid", "name", "type", "rel",
	    "cols", "index", "ref_rel", "ref_cols", "on_delete", "on_update",
	    "match", "validated", "deferrable", "definition", "comment" };
	int	c[15], row;

	if (MAP(names, c) < 0)
		return -1;
	for (row = 0; row < PQntuples(res); row++) {
		struct sch_constraint	*k;
		int			 rel, nref;

		rel = sch_rel_by_oid(cat, get_oid(res, row, c[3]));
		if (rel < 0)
			continue;
		k = new_constraint(cat);
		k->oid = get_oid(res, row, c[0]);
		k->name = get_str(res, row, c[1]);
		k->type = get_char(res, row, c[2]);
		k->rel = rel;
		k->ncols = parse_ints(res, row, c[4], &k->cols);
		k->index = index_by_oid(cat, get_oid(res, row, c[5]));
		if (k->type == 'f') {
			k->ref_rel = sch_rel_by_oid(cat,
			    get_oid(res, row, c[6]));
			nref = parse_ints(res, row, c[7], &k->ref_cols);
			if (nref != k->ncols) {
				*err = xstrfmt("constraint '%s': %d columns"
				    " referencing %d", k->name, k->ncols, nref);
				return -1;
			}
			k->index = -1;	/* conindid is the referenced key's */
		}
		k->on_delete = get_char(res, row, c[8]);
		k->on_update = get_char(res, row, c[9]);
		k->match = get_char(res, row, c[10]);
		k->validated = pgr_bool(res, row, c[11]);
		k->deferrable = pgr_bool(res, row, c[12]);
		k->definition = get_str(res, row, c[13]);
		k->comment = get_str(res, row, c[14]);
	}
	return 0;
}

static int
parse_triggers(struct sch_catalog *cat, PGresult *res, char **err)
{
	static const char *const names[] = { "oid", "name", "rel", "enabled",
	    "function", "definition", "comment" };
	int	c[7], row;

	if (MAP(names, c) < 0)
		return -1;
	for (row = 0; row < PQntuples(res); row++) {
		struct sch_trigger	*t;
		int			 rel;

		rel = sch_rel_by_oid(cat, get_oid(res, row, c[2]));
		if (rel < 0)
			continue;
		cat->triggers = grow(cat->triggers, cat->ntriggers,
		    sizeof *cat->triggers);
		t = &cat->triggers[cat->ntriggers++];
		t->oid = get_oid(res, row, c[0]);
		t->name = get_str(res, row, c[1]);
		t->rel = rel;
		t->enabled = get_char(res, row, c[3]);
		t->function = get_str(res, row, c[4]);
		t->definition = get_str(res, row, c[5]);
		t->comment = get_str(res, row, c[6]);
	}
	return 0;
}

static int
parse_types(struct sch_catalog *cat, PGresult *res, char **err)
{
	static const char *const names[] = { "oid", "nsp", "name", "kind",
	    "labels", "base", "notnull", "dflt", "checks", "comment" };
	int	c[10], row;

	if (MAP(names, c) < 0)
		return -1;
	for (row = 0; row < PQntuples(res); row++) {
		int	schema = schema_by_oid(cat, get_oid(res, row, c[1]));

		if (schema < 0)
			continue;	/* a schema newer than the schemas query */
		if (get_char(res, row, c[3]) == 'e') {
			struct sch_enum	*e;

			cat->enums = grow(cat->enums, cat->nenums,
			    sizeof *cat->enums);
			e = &cat->enums[cat->nenums++];
			e->oid = get_oid(res, row, c[0]);
			e->schema = schema;
			e->name = get_str(res, row, c[2]);
			e->nvalues = parse_json_strings(res, row, c[4],
			    &e->values);
			e->comment = get_str(res, row, c[9]);
		} else {
			struct sch_domain *d;

			cat->domains = grow(cat->domains, cat->ndomains,
			    sizeof *cat->domains);
			d = &cat->domains[cat->ndomains++];
			d->oid = get_oid(res, row, c[0]);
			d->schema = schema;
			d->name = get_str(res, row, c[2]);
			d->base = get_str(res, row, c[5]);
			d->notnull = pgr_bool(res, row, c[6]);
			d->dflt = get_str(res, row, c[7]);
			d->nchecks = parse_json_strings(res, row, c[8],
			    &d->checks);
			d->comment = get_str(res, row, c[9]);
		}
	}
	return 0;
}

static int
parse_sizes(struct sch_catalog *cat, PGresult *res, char **err)
{
	static const char *const names[] = { "oid", "heap", "tbl", "toast" };
	int	c[4], row, i;

	if (MAP(names, c) < 0)
		return -1;
	/* Views and foreign tables have no storage. */
	for (i = 0; i < cat->nrels; i++)
		if (cat->rels[i].kind == 'v' || cat->rels[i].kind == 'f')
			cat->rels[i].size_heap = cat->rels[i].size_index =
			    cat->rels[i].size_toast =
			    cat->rels[i].size_total = 0;
	for (row = 0; row < PQntuples(res); row++) {
		int		 rel = sch_rel_by_oid(cat, get_oid(res, row, c[0]));
		struct sch_rel	*r;

		if (rel < 0)
			continue;
		r = &cat->rels[rel];
		/* NULL when the relation was dropped meanwhile. */
		r->size_heap = pgr_int(res, row, c[1], 0);
		r->size_toast = pgr_int(res, row, c[3], 0);
		/* Its indexes are added by parse_index_detail(). */
		r->size_index = 0;
		r->size_total = pgr_int(res, row, c[2], 0);
	}
	return 0;
}

static int
parse_index_detail(struct sch_catalog *cat, PGresult *res, char **err)
{
	static const char *const names[] = { "oid", "size", "live",
	    "definition" };
	int	c[4], row;

	if (MAP(names, c) < 0)
		return -1;
	for (row = 0; row < PQntuples(res); row++) {
		int		 x = index_by_oid(cat, get_oid(res, row, c[0]));
		struct sch_index *ix;
		struct sch_rel	*r;

		if (x < 0)
			continue;
		ix = &cat->indexes[x];
		ix->size = pgr_int(res, row, c[1], 0);
		free(ix->definition);
		ix->definition = get_str(res, row, c[3]);
		/* The table's total, as pg_indexes_size() makes it. */
		r = ix->rel >= 0 ? &cat->rels[ix->rel] : NULL;
		if (r != NULL && (r->kind == 'r' || r->kind == 'm') &&
		    r->size_index >= 0 && pgr_bool(res, row, c[2])) {
			r->size_index = sat_add(r->size_index, ix->size);
			r->size_total = sat_add(r->size_total, ix->size);
		}
	}
	return 0;
}

static int
parse_stats(struct sch_catalog *cat, PGresult *res, char **err)
{
	static const char *const names[] = { "rel", "attnum", "avg_width",
	    "null_frac" };
	int	c[4], row;

	if (MAP(names, c) < 0)
		return -1;
	for (row = 0; row < PQntuples(res); row++) {
		int			 rel;
		struct sch_column	*col;

		rel = sch_rel_by_oid(cat, get_oid(res, row, c[0]));
		col = (struct sch_column *)sch_column(cat, rel,
		    (int)pgr_int(res, row, c[1], 0));
		if (col == NULL)
			continue;
		col->avg_width = pgr_double(res, row, c[2]);
		col->null_frac = pgr_double(res, row, c[3]);
		if (col->avg_width != col->avg_width)
			col->avg_width = -1;
		if (col->null_frac != col->null_frac)
			col->null_frac = -1;
	}
	cat->detail_loaded = 1;
	return 0;
}

int
sch_parse(struct sch_catalog *cat, enum sch_phase phase, int i,
    PGresult *res, char **err)
{
	typedef int	(*parse_fn)(struct sch_catalog *, PGresult *, char **);
	static const parse_fn catalog_parsers[NCATALOG] = { parse_meta,
	    parse_schemas, parse_rels, parse_columns, parse_indexes,
	    parse_constraints, parse_triggers, parse_types };
	static const parse_fn detail_parsers[NDETAIL] = { parse_sizes,
	    parse_index_detail, parse_stats };
	char	*cause = NULL;

	*err = NULL;
	if (i < 0 || i >= sch_nqueries(phase)) {
		*err = xstrfmt("no query %d in this phase", i);
		return -1;
	}
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		const char *msg = res != NULL ? PQresultErrorMessage(res) : "";
		size_t	    len = strlen(msg);

		while (len > 0 && msg[len - 1] == '\n')
			len--;
		*err = len > 0 ? xstrndup(msg, len) :
		    xstrdup("no result from the server");
		return -1;
	}
	if ((phase == SCH_PHASE_CATALOG ? catalog_parsers[i] :
	    detail_parsers[i])(cat, res, &cause) < 0) {
		*err = xstrfmt("schema query %d: %s", i,
		    cause != NULL ? cause : "cannot parse");
		free(cause);
		return -1;
	}
	free(cause);
	return 0;
}

/* Cross references */

static const struct sch_catalog *sort_cat;

static int
cmp_rel_name(const void *a, const void *b)
{
	return strcmp(sort_cat->rels[*(const int *)a].name,
	    sort_cat->rels[*(const int *)b].name);
}

static int
cmp_index_name(const void *a, const void *b)
{
	return strcmp(sort_cat->indexes[*(const int *)a].name,
	    sort_cat->indexes[*(const int *)b].name);
}

static int
cmp_constraint(const void *a, const void *b)
{
	const struct sch_constraint	*x = &sort_cat->constraints[*(const int *)a];
	const struct sch_constraint	*y = &sort_cat->constraints[*(const int *)b];
	static const char		 order[] = "pufxc";
	const char			*px = strchr(order, x->type);
	const char			*py = strchr(order, y->type);

	if (px != py)
		return px == NULL ? 1 : py == NULL ? -1 : (int)(px - py);
	return strcmp(x->name, y->name);
}

static int
cmp_trigger_name(const void *a, const void *b)
{
	return strcmp(sort_cat->triggers[*(const int *)a].name,
	    sort_cat->triggers[*(const int *)b].name);
}

static void
sort_ints(const struct sch_catalog *cat, int *v, int n,
    int (*cmp)(const void *, const void *))
{
	if (n < 2)
		return;
	sort_cat = cat;
	qsort(v, (size_t)n, sizeof *v, cmp);
	sort_cat = NULL;
}

/*
 * Add the counters and sizes of the partition tree under 'rel' (a
 * partitioned table) into it.  Returns 0 if some leaf size is unknown.
 */
static int
sum_partition_tree(struct sch_catalog *cat, int rel)
{
	struct sch_rel	*r = &cat->rels[rel];
	int		 i, known = 1;

	r->n_live_tup = r->n_dead_tup = r->seq_scan = r->idx_scan = 0;
	r->size_heap = r->size_index = r->size_toast = r->size_total = 0;
	for (i = 0; i < r->nchildren; i++) {
		int		 ch = r->children[i];
		struct sch_rel	*c = &cat->rels[ch];

		if (c->kind == 'p' && !sum_partition_tree(cat, ch))
			known = 0;
		if (c->size_total < 0)
			known = 0;
		r = &cat->rels[rel];
		r->n_live_tup = sat_add(r->n_live_tup, c->n_live_tup);
		r->n_dead_tup = sat_add(r->n_dead_tup, c->n_dead_tup);
		r->seq_scan = sat_add(r->seq_scan, c->seq_scan);
		r->idx_scan = sat_add(r->idx_scan, c->idx_scan);
		r->size_heap = sat_add(r->size_heap, c->size_heap);
		r->size_index = sat_add(r->size_index, c->size_index);
		r->size_toast = sat_add(r->size_toast, c->size_toast);
		r->size_total = sat_add(r->size_total, c->size_total);
	}
	if (!known || (r->nchildren == 0 && !cat->detail_loaded))
		r->size_heap = r->size_index = r->size_toast =
		    r->size_total = -1;
	return known;
}

void
sch_finish(struct sch_catalog *cat)
{
	int	i;

	for (i = 0; i < cat->nschemas; i++)
		cat->schemas[i].nrels = 0;
	for (i = 0; i < cat->nrels; i++) {
		struct sch_rel	*r = &cat->rels[i];

		r->nchildren = r->nindexes = r->nconstraints = 0;
		r->ntriggers = r->nfks_in = 0;
	}
	for (i = 0; i < cat->nrels; i++) {
		struct sch_rel	*r = &cat->rels[i];

		if (r->schema >= 0 && !r->is_partition)
			int_push(&cat->schemas[r->schema].rels,
			    &cat->schemas[r->schema].nrels, i);
		if (r->parent >= 0)
			int_push(&cat->rels[r->parent].children,
			    &cat->rels[r->parent].nchildren, i);
	}
	for (i = 0; i < cat->nindexes; i++)
		if (cat->indexes[i].rel >= 0)
			int_push(&cat->rels[cat->indexes[i].rel].indexes,
			    &cat->rels[cat->indexes[i].rel].nindexes, i);
	for (i = 0; i < cat->nconstraints; i++) {
		struct sch_constraint	*k = &cat->constraints[i];

		if (k->rel >= 0)
			int_push(&cat->rels[k->rel].constraints,
			    &cat->rels[k->rel].nconstraints, i);
		if (k->type == 'f' && k->ref_rel >= 0)
			int_push(&cat->rels[k->ref_rel].fks_in,
			    &cat->rels[k->ref_rel].nfks_in, i);
	}
	for (i = 0; i < cat->ntriggers; i++)
		if (cat->triggers[i].rel >= 0)
			int_push(&cat->rels[cat->triggers[i].rel].triggers,
			    &cat->rels[cat->triggers[i].rel].ntriggers, i);

	for (i = 0; i < cat->nschemas; i++)
		sort_ints(cat, cat->schemas[i].rels, cat->schemas[i].nrels,
		    cmp_rel_name);
	for (i = 0; i < cat->nrels; i++) {
		struct sch_rel	*r = &cat->rels[i];

		sort_ints(cat, r->children, r->nchildren, cmp_rel_name);
		sort_ints(cat, r->indexes, r->nindexes, cmp_index_name);
		sort_ints(cat, r->constraints, r->nconstraints,
		    cmp_constraint);
		sort_ints(cat, r->triggers, r->ntriggers, cmp_trigger_name);
	}

	/*
	 * A partitioned index has no scans or storage of its own: those of
	 * its leaf indexes are added up the attachment chain.
	 */
	for (i = 0; i < cat->nindexes; i++) {
		struct sch_index *x = &cat->indexes[i];

		if (x->rel >= 0 && cat->rels[x->rel].kind == 'p') {
			x->idx_scan = 0;
			x->size = cat->detail_loaded ? 0 : -1;
		}
	}
	for (i = 0; i < cat->nindexes; i++) {
		const struct sch_index	*x = &cat->indexes[i];
		int			 up, depth = 0;

		if (x->rel < 0 || cat->rels[x->rel].kind == 'p')
			continue;
		for (up = x->parent; up >= 0 && depth < 64;
		    up = cat->indexes[up].parent, depth++) {
			cat->indexes[up].idx_scan = sat_add(
			    cat->indexes[up].idx_scan, x->idx_scan);
			if (cat->indexes[up].size >= 0)
				cat->indexes[up].size = sat_add(
				    cat->indexes[up].size, x->size);
		}
	}

	/* Partitioned tables: the sums over their trees, from the top. */
	for (i = 0; i < cat->nrels; i++)
		if (cat->rels[i].kind == 'p' && !cat->rels[i].is_partition)
			sum_partition_tree(cat, i);
}

int
sch_load(PGconn *conn, struct sch_catalog *cat, enum sch_phase phase,
    char **err)
{
	int	i;

	*err = NULL;
	for (i = 0; i < sch_nqueries(phase); i++) {
		PGresult	*res = PQexec(conn, sch_query(phase, i));
		int		 rc = sch_parse(cat, phase, i, res, err);

		PQclear(res);
		if (rc < 0)
			return -1;
	}
	sch_finish(cat);
	return 0;
}

/* Building by hand */

static uint32_t
next_oid(const struct sch_catalog *cat)
{
	uint32_t	m = 16384;
	int		i;

	for (i = 0; i < cat->nschemas; i++)
		if (cat->schemas[i].oid >= m)
			m = cat->schemas[i].oid + 1;
	if (cat->nrels > 0 && cat->rels[cat->nrels - 1].oid >= m)
		m = cat->rels[cat->nrels - 1].oid + 1;
	if (cat->nindexes > 0 && cat->indexes[cat->nindexes - 1].oid >= m)
		m = cat->indexes[cat->nindexes - 1].oid + 1;
	for (i = 0; i < cat->nconstraints; i++)
		if (cat->constraints[i].oid >= m)
			m = cat->constraints[i].oid + 1;
	return m;
}

int
sch_add_schema(struct sch_catalog *cat, const char *name)
{
	struct sch_schema	*s;
	uint32_t		 oid = next_oid(cat);

	cat->schemas = grow(cat->schemas, cat->nschemas, sizeof *cat->schemas);
	s = &cat->schemas[cat->nschemas];
	memset(s, 0, sizeof *s);
	s->oid = oid;
	s->name = xstrdup(name);
	return cat->nschemas++;
}

int
sch_add_rel(struct sch_catalog *cat, int schema, const char *name,
    char kind)
{
	uint32_t	 oid = next_oid(cat);
	struct sch_rel	*r = new_rel(cat);

	r->oid = oid;
	r->schema = schema;
	r->name = xstrdup(name);
	r->kind = kind;
	return cat->nrels - 1;
}

int
sch_add_column(struct sch_catalog *cat, int rel, const char *name,
    const char *type, int notnull)
{
	struct sch_rel		*r = &cat->rels[rel];
	int			 attnum = r->ncols > 0 ?
				    r->cols[r->ncols - 1].attnum + 1 : 1;
	struct sch_column	*col = new_column(r);

	col->attnum = attnum;
	col->name = xstrdup(name);
	col->type = xstrdup(type);
	col->notnull = notnull;
	return attnum;
}

int
sch_add_index(struct sch_catalog *cat, int rel, const char *name,
    const int *keys, int nkeys, int unique, int primary)
{
	uint32_t		 oid = next_oid(cat);
	struct sch_index	*x = new_index(cat);

	x->oid = oid;
	x->name = xstrdup(name);
	x->rel = rel;
	x->nkeys = x->nkeyatts = nkeys;
	x->keys = xcalloc((size_t)(nkeys > 0 ? nkeys : 1), sizeof *x->keys);
	if (nkeys > 0)
		memcpy(x->keys, keys, (size_t)nkeys * sizeof *keys);
	x->opclass = xcalloc((size_t)(nkeys > 0 ? nkeys : 1),
	    sizeof *x->opclass);
	x->options = xcalloc((size_t)(nkeys > 0 ? nkeys : 1),
	    sizeof *x->options);
	x->unique = unique || primary;
	x->primary = primary;
	x->am = xstrdup("btree");
	return cat->nindexes - 1;
}

static int *
copy_ints(const int *v, int n)
{
	int	*c = xcalloc((size_t)(n > 0 ? n : 1), sizeof *c);

	if (n > 0)
		memcpy(c, v, (size_t)n * sizeof *v);
	return c;
}

int
sch_add_constraint(struct sch_catalog *cat, int rel, char type,
    const char *name, const int *cols, int ncols)
{
	uint32_t		 oid = next_oid(cat);
	struct sch_constraint	*k = new_constraint(cat);

	k->oid = oid;
	k->name = xstrdup(name);
	k->type = type;
	k->rel = rel;
	k->cols = copy_ints(cols, ncols);
	k->ncols = ncols;
	return cat->nconstraints - 1;
}

int
sch_add_fk(struct sch_catalog *cat, int rel, const char *name,
    const int *cols, int ncols, int ref_rel, const int *ref_cols)
{
	int			 i = sch_add_constraint(cat, rel, 'f', name,
				    cols, ncols);
	struct sch_constraint	*k = &cat->constraints[i];

	k->ref_rel = ref_rel;
	k->ref_cols = copy_ints(ref_cols, ncols);
	k->on_delete = k->on_update = 'a';
	k->match = 's';
	return i;
}
