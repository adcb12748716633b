/*
 * test_plan_live.c - the plan parsers and analysis on plans of every
 * shape, made live by a real PostgreSQL and read from the fixtures.
 *
 * Needs the server started by tests/harness/pg_server.sh (its env file
 * sourced).  Without one it skips loudly; with CI=true it fails.  The
 * group setup builds the database 'pgdeck_plan_test' from
 * tests/integration/plan_schema.sql; every shape of plan_shapes.sql is
 * then EXPLAINed in JSON and in text, each in a transaction that is
 * rolled back, and the two parses are held against each other and
 * against what the shape is for.  The fixtures of tests/fixtures/plans
 * (captured by its capture.sh) are parsed the same way, without a
 * server.
 *
 * The source tree is found through PGDECK_SOURCE_DIR, from the
 * environment or else from the compile definition.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "core/strbuf.h"
#include "plan/diff.h"
#include "plan/explain.h"
#include "plan/plan.h"

#ifndef PGDECK_SOURCE_DIR
#define PGDECK_SOURCE_DIR "."
#endif

#define TEST_DB		"pgdeck_plan_test"
#define JSON_OPTS	"ANALYZE, BUFFERS, VERBOSE, SETTINGS, FORMAT JSON"
#define TEXT_OPTS	"ANALYZE, BUFFERS"

static const char	*conninfo;
static const char	*srcdir;

/* One shape of plan_shapes.sql. */
struct shape {
	char	 name[64];
	int	 line;
	char	*expect[8];
	int	 nexpect;
	char	*warn[4];
	int	 nwarn;
	char	*stmt[12];	/* SETs, then the EXPLAIN */
	int	 nstmt;
	char	*after;		/* after the transaction, or NULL */
};

static struct {
	PGconn		*admin;		/* makes TEST_DB */
	PGconn		*db;		/* to TEST_DB */
	char		*preamble[8];
	int		 npreamble;
	struct shape	*shapes;
	int		 nshapes;
} g;

/*
 * A failed check of one plan: printed, and the test goes on with the
 * next plan (longjmp to 'catcher'); the test fails at the end.
 */
static jmp_buf	*catcher;
static int	 nbad;

static void PRINTF_LIKE(1, 2)
bad(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	fputs("test_plan_live: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	nbad++;
	if (catcher != NULL)
		longjmp(*catcher, 1);
	fail();
}

/* What a failed assertion would leak: released by the teardown. */
static struct {
	struct plan	*plans[2];
	char		*text[2];
} held;

static int
held_teardown(void **state)
{
	int	i;

	(void)state;
	for (i = 0; i < 2; i++) {
		plan_free(held.plans[i]);
		free(held.text[i]);
	}
	memset(&held, 0, sizeof held);
	return 0;
}

static char *
xstrdup_(const char *s)
{
	char	*d = strdup(s);

	if (d == NULL)
		abort();
	return d;
}

/* The whole file at 'path' under the source tree, NUL-terminated. */
static char *
read_source(const char *rel, size_t *lenp)
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
	if (lenp != NULL)
		*lenp = (size_t)len;
	return buf;
}

/*
 * Split SQL into statements: one ends with ';' at the end of a line,
 * outside a dollar-quoted body.  Lines starting with '--' outside a
 * body are handed to 'comment' (may be NULL) with their line number.
 * Each statement goes to 'stmt', without its ';'.
 */
static void
split_sql(char *text, void (*comment)(const char *, int, void *),
    void (*stmt)(const char *, void *), void *arg)
{
	struct strbuf	 cur = STRBUF_INIT;
	char		*line = text, *next;
	int		 lineno = 0, in_body = 0;

	for (; line != NULL && *line != '\0'; line = next) {
		const char	*s;
		size_t		 len;

		lineno++;
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		len = strlen(line);
		while (len > 0 && (line[len - 1] == ' ' ||
		    line[len - 1] == '\t' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (!in_body && strncmp(line, "--", 2) == 0) {
			if (comment != NULL)
				comment(line, lineno, arg);
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
			strbuf_setlen(&cur, cur.len - 1);
			stmt(cur.buf, arg);
			strbuf_reset(&cur);
		}
	}
	if (cur.len > 0)
		fail_msg("SQL ends inside a statement: %.60s", cur.buf);
	strbuf_release(&cur);
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

/* plan_shapes.sql: comments carry the shape, its labels and warnings. */
static void
shapes_comment(const char *line, int lineno, void *arg)
{
	struct shape	*sh;
	const char	*v;

	(void)arg;
	if (strncmp(line, "-- shape: ", 10) == 0) {
		g.shapes = realloc(g.shapes, (size_t)(g.nshapes + 1) *
		    sizeof *g.shapes);
		if (g.shapes == NULL)
			abort();
		sh = &g.shapes[g.nshapes++];
		memset(sh, 0, sizeof *sh);
		snprintf(sh->name, sizeof sh->name, "%s", line + 10);
		sh->line = lineno;
		return;
	}
	if (g.nshapes == 0)
		return;
	sh = &g.shapes[g.nshapes - 1];
	if (strncmp(line, "-- expect: ", 11) == 0) {
		v = line + 11;
		if (sh->nexpect == (int)(sizeof sh->expect /
		    sizeof sh->expect[0]))
			fail_msg("plan_shapes.sql:%d: too many expects",
			    lineno);
		sh->expect[sh->nexpect++] = xstrdup_(v);
	} else if (strncmp(line, "-- after: ", 10) == 0) {
		if (sh->after != NULL)
			fail_msg("plan_shapes.sql:%d: two afters", lineno);
		sh->after = xstrdup_(line + 10);
	} else if (strncmp(line, "-- warn: ", 9) == 0) {
		v = line + 9;
		if (sh->nwarn == (int)(sizeof sh->warn / sizeof sh->warn[0]))
			fail_msg("plan_shapes.sql:%d: too many warns", lineno);
		sh->warn[sh->nwarn++] = xstrdup_(v);
	}
}

static void
shapes_stmt(const char *sql, void *arg)
{
	struct shape	*sh;

	(void)arg;
	if (g.nshapes == 0) {
		if (g.npreamble == (int)(sizeof g.preamble /
		    sizeof g.preamble[0]))
			fail_msg("plan_shapes.sql: preamble too long");
		g.preamble[g.npreamble++] = xstrdup_(sql);
		return;
	}
	sh = &g.shapes[g.nshapes - 1];
	if (sh->nstmt == (int)(sizeof sh->stmt / sizeof sh->stmt[0]))
		fail_msg("shape %s: too many statements", sh->name);
	sh->stmt[sh->nstmt++] = xstrdup_(sql);
}

static PGconn *
connect_to(const char *db)
{
	const char	*keys[] = { "dbname", "dbname", "application_name",
			    NULL };
	const char	*vals[] = { conninfo, db, "pgdeck test_plan_live",
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

static int
group_setup(void **state)
{
	char	*text;
	int	 i;

	(void)state;
	g.admin = connect_to(NULL);
	PQsetNoticeProcessor(g.admin, quiet, NULL);
	exec_or_fail(g.admin, "DROP DATABASE IF EXISTS " TEST_DB
	    " WITH (FORCE)");
	exec_or_fail(g.admin, "CREATE DATABASE " TEST_DB);
	g.db = connect_to(TEST_DB);
	PQsetNoticeProcessor(g.db, quiet, NULL);

	text = read_source("tests/integration/plan_schema.sql", NULL);
	split_sql(text, NULL, schema_stmt, g.db);
	free(text);

	text = read_source("tests/integration/plan_shapes.sql", NULL);
	split_sql(text, shapes_comment, shapes_stmt, NULL);
	free(text);
	if (g.nshapes < 40)
		fail_msg("plan_shapes.sql: only %d shapes", g.nshapes);
	for (i = 0; i < g.nshapes; i++) {
		const struct shape *sh = &g.shapes[i];

		if (sh->nstmt == 0 || strncmp(sh->stmt[sh->nstmt - 1],
		    "EXPLAIN ", 8) != 0)
			fail_msg("plan_shapes.sql:%d: shape %s does not end"
			    " with EXPLAIN", sh->line, sh->name);
	}
	for (i = 0; i < g.npreamble; i++)
		exec_or_fail(g.db, g.preamble[i]);
	return 0;
}

static int
group_teardown(void **state)
{
	int	i, k;

	(void)state;
	PQfinish(g.db);
	g.db = NULL;
	if (g.admin != NULL) {
		PGresult *r = PQexec(g.admin, "DROP DATABASE IF EXISTS "
		    TEST_DB " WITH (FORCE)");

		PQclear(r);
		PQfinish(g.admin);
	}
	for (i = 0; i < g.nshapes; i++) {
		struct shape *sh = &g.shapes[i];

		for (k = 0; k < sh->nexpect; k++)
			free(sh->expect[k]);
		for (k = 0; k < sh->nwarn; k++)
			free(sh->warn[k]);
		for (k = 0; k < sh->nstmt; k++)
			free(sh->stmt[k]);
		free(sh->after);
	}
	for (i = 0; i < g.npreamble; i++)
		free(g.preamble[i]);
	free(g.shapes);
	memset(&g, 0, sizeof g);
	return 0;
}

/*
 * Run shape 'sh' with EXPLAIN options 'opts' in a transaction that is
 * rolled back; the output as one string, rows joined by newlines.
 */
static char *
explain(const struct shape *sh, const char *opts)
{
	struct strbuf	 out = STRBUF_INIT;
	struct strbuf	 sql = STRBUF_INIT;
	PGresult	*r;
	int		 i, k;

	exec_or_fail(g.db, "BEGIN");
	for (i = 0; i + 1 < sh->nstmt; i++)
		exec_or_fail(g.db, sh->stmt[i]);
	strbuf_addf(&sql, "EXPLAIN (%s) %s", opts, sh->stmt[i] + 8);
	r = PQexec(g.db, sql.buf);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fail_msg("shape %s (plan_shapes.sql:%d): %s", sh->name,
		    sh->line, PQresultErrorMessage(r));
	}
	for (k = 0; k < PQntuples(r); k++) {
		strbuf_addstr(&out, PQgetvalue(r, k, 0));
		strbuf_addch(&out, '\n');
	}
	PQclear(r);
	strbuf_release(&sql);
	exec_or_fail(g.db, "ROLLBACK");
	if (sh->after != NULL)
		exec_or_fail(g.db, sh->after);
	return strbuf_detach(&out);
}

static struct plan *
parse_or_fail(const char *name, const char *buf, size_t len)
{
	char		*cause = NULL;
	struct plan	*p = plan_parse(name, buf, len, &cause);

	if (p == NULL)
		bad("%s: does not parse: %s", name,
		    cause != NULL ? cause : "(no cause)");
	return p;
}

static int
find_label(const struct plan *p, const char *label)
{
	int	i;

	for (i = 0; i < p->nnodes; i++) {
		if (p->nodes[i].label != NULL &&
		    strcmp(p->nodes[i].label, label) == 0)
			return i;
	}
	return -1;
}

static int
find_type(const struct plan *p, const char *type, int from)
{
	int	i;

	for (i = from; i < p->nnodes; i++) {
		if (p->nodes[i].type != NULL &&
		    strcmp(p->nodes[i].type, type) == 0)
			return i;
	}
	return -1;
}

static int
has_warning(const struct plan *p, enum plan_warning_kind k)
{
	int	i;

	for (i = 0; i < p->nwarnings; i++) {
		if (p->warnings[i].kind == k)
			return 1;
	}
	return 0;
}

/* The nodes of 'a' and 'b' in preorder: same labels, same depths. */
static void
same_tree(const char *what, const struct plan *a, const struct plan *b)
{
	int	i;

	if (a->nnodes != b->nnodes)
		bad("%s: %d nodes in %s, %d in %s", what, a->nnodes,
		    a->format == PLAN_JSON ? "JSON" : "text", b->nnodes,
		    b->format == PLAN_JSON ? "JSON" : "text");
	for (i = 0; i < a->nnodes; i++) {
		const struct plan_node *x = &a->nodes[i], *y = &b->nodes[i];

		if (x->label == NULL || y->label == NULL ||
		    strcmp(x->label, y->label) != 0)
			bad("%s: node %d is '%s' in one, '%s' in the"
			    " other", what, i, x->label ? x->label : "(null)",
			    y->label ? y->label : "(null)");
		if (x->depth != y->depth || x->parent != y->parent ||
		    x->nsub != y->nsub)
			bad("%s: node %d (%s): depth %d/%d, parent"
			    " %d/%d, subtree %d/%d", what, i, x->label,
			    x->depth, y->depth, x->parent, y->parent, x->nsub,
			    y->nsub);
		if ((x->subplan == NULL) != (y->subplan == NULL) ||
		    (x->subplan != NULL && strcmp(x->subplan,
		    y->subplan) != 0))
			bad("%s: node %d (%s): subplan '%s' / '%s'", what,
			    i, x->label, x->subplan ? x->subplan : "-",
			    y->subplan ? y->subplan : "-");
	}
}

static int
same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/*
 * The name a scan goes by: text leaves out an alias equal to the table
 * or the CTE.
 */
static const char *
alias_of(const struct plan_node *n)
{
	if (n->alias != NULL)
		return n->alias;
	return n->relation != NULL ? n->relation : n->cte;
}

/*
 * The figures of 'a' and 'b' (one plan in JSON and in text) that do
 * not depend on the run: estimates, relations, indexes.  'same_run':
 * both parse one output, or two runs whose row counts cannot differ
 * (not in a parallel section, where workers share rows by chance).
 */
static void
same_figures(const char *what, const struct plan *a, const struct plan *b,
    int same_run)
{
	int	i;

	for (i = 0; i < a->nnodes && i < b->nnodes; i++) {
		const struct plan_node *x = &a->nodes[i], *y = &b->nodes[i];
		int	par = (x->amb | y->amb) & PLAN_AMB_PARALLEL;

		if (!same_str(x->type, y->type) ||
		    !same_str(x->relation, y->relation) ||
		    !same_str(x->index, y->index) ||
		    !same_str(x->join_type, y->join_type) ||
		    !same_str(x->cte, y->cte) ||
		    !same_str(x->rel_kind, y->rel_kind) ||
		    !same_str(alias_of(x), alias_of(y)))
			bad("%s: node %d (%s): type %s/%s, relation %s/%s,"
			    " index %s/%s, join %s/%s, cte %s/%s, parent"
			    " relationship %s/%s, alias %s/%s", what, i,
			    x->label, x->type, y->type, x->relation,
			    y->relation, x->index, y->index, x->join_type,
			    y->join_type, x->cte, y->cte, x->rel_kind,
			    y->rel_kind, alias_of(x), alias_of(y));
		if (x->has_cost != y->has_cost ||
		    x->startup_cost != y->startup_cost ||
		    x->total_cost != y->total_cost ||
		    x->plan_rows != y->plan_rows ||
		    x->plan_width != y->plan_width)
			bad("%s: node %d (%s): cost %.2f..%.2f rows %.0f width"
			    " %.0f, but %.2f..%.2f rows %.0f width %.0f", what,
			    i, x->label, x->startup_cost, x->total_cost,
			    x->plan_rows, x->plan_width, y->startup_cost,
			    y->total_cost, y->plan_rows, y->plan_width);
		if (x->has_actual != y->has_actual ||
		    x->never_executed != y->never_executed)
			bad("%s: node %d (%s): actual %d/%d, never executed"
			    " %d/%d", what, i, x->label, x->has_actual,
			    y->has_actual, x->never_executed,
			    y->never_executed);
		if (!same_run || par)
			continue;
		if (x->loops != y->loops || x->act_rows != y->act_rows ||
		    x->rows_removed_filter != y->rows_removed_filter ||
		    x->rows_removed_join_filter !=
		    y->rows_removed_join_filter ||
		    x->heap_fetches != y->heap_fetches ||
		    x->hash_batches != y->hash_batches ||
		    x->hashagg_batches != y->hashagg_batches ||
		    x->disk_usage_kb != y->disk_usage_kb ||
		    x->exact_blocks != y->exact_blocks ||
		    x->lossy_blocks != y->lossy_blocks ||
		    x->cache_hits != y->cache_hits ||
		    x->cache_misses != y->cache_misses ||
		    x->cache_evictions != y->cache_evictions ||
		    x->cache_overflows != y->cache_overflows ||
		    !same_str(x->sort_method, y->sort_method) ||
		    !same_str(x->sort_space_type, y->sort_space_type))
			bad("%s: node %d (%s): loops %.0f/%.0f, rows %.0f/%.0f,"
			    " removed %.0f/%.0f, join removed %.0f/%.0f,"
			    " heap fetches %.0f/%.0f, batches %.0f/%.0f,"
			    " hashagg batches %.0f/%.0f, disk %.0f/%.0f kB,"
			    " blocks %.0f+%.0f/%.0f+%.0f, cache"
			    " %.0f,%.0f,%.0f,%.0f/%.0f,%.0f,%.0f,%.0f,"
			    " sort %s %s/%s %s", what, i, x->label,
			    x->loops, y->loops, x->act_rows, y->act_rows,
			    x->rows_removed_filter, y->rows_removed_filter,
			    x->rows_removed_join_filter,
			    y->rows_removed_join_filter, x->heap_fetches,
			    y->heap_fetches, x->hash_batches, y->hash_batches,
			    x->hashagg_batches, y->hashagg_batches,
			    x->disk_usage_kb, y->disk_usage_kb,
			    x->exact_blocks, x->lossy_blocks, y->exact_blocks,
			    y->lossy_blocks, x->cache_hits, x->cache_misses,
			    x->cache_evictions, x->cache_overflows,
			    y->cache_hits, y->cache_misses, y->cache_evictions,
			    y->cache_overflows, x->sort_method,
			    x->sort_space_type, y->sort_method,
			    y->sort_space_type);
	}
}

/*
 * Self times add up to the root's inclusive time, and the root fits in
 * the execution time.  EXPLAIN rounds each time per loop to 3 decimals,
 * so a node's inclusive time is off by up to 0.0005 ms x loops.
 */
static void
times_add_up(const char *what, const struct plan *p)
{
	double	sum = 0, root = p->nodes[0].incl_ms, slack = 0;
	int	i;

	if (!p->analyzed || !p->nodes[0].has_timing)
		return;
	for (i = 0; i < p->nnodes; i++) {
		const struct plan_node *n = &p->nodes[i];

		if (n->self_ms < 0)
			bad("%s: node %d (%s) self %.3f ms < 0", what, i,
			    n->label, n->self_ms);
		sum += n->self_ms;
		slack += 0.002 * (n->loops > 1 ? n->loops : 1);
	}
	slack += root * 0.01;
	if (fabs(sum - root) > slack)
		bad("%s: self times add up to %.3f ms, the root took"
		    " %.3f ms (%s)", what, sum, root,
		    p->amb & PLAN_AMB_CLAMPED ? "some clamped" :
		    "none clamped");
	if (!p->has_execution)
		bad("%s: no execution time", what);
	if (root > p->execution_ms + 0.01)
		bad("%s: root took %.3f ms, execution %.3f ms", what,
		    root, p->execution_ms);
}

/* "-- warn: disk_sort" names PLAN_W_DISK_SORT. */
static const struct {
	const char		*key;
	enum plan_warning_kind	 kind;
} warn_keys[] = {
	{ "slow", PLAN_W_SLOW },
	{ "misestimate", PLAN_W_MISESTIMATE },
	{ "disk_sort", PLAN_W_DISK_SORT },
	{ "hash_batches", PLAN_W_HASH_BATCHES },
	{ "hashagg_spill", PLAN_W_HASHAGG_SPILL },
	{ "filter", PLAN_W_FILTER },
	{ "recheck", PLAN_W_RECHECK },
	{ "lossy", PLAN_W_LOSSY },
	{ "heap_fetches", PLAN_W_HEAP_FETCHES },
	{ "loops", PLAN_W_LOOPS },
	{ "workers", PLAN_W_WORKERS },
	{ "temp", PLAN_W_TEMP },
};

static void
check_trigger(const char *what, const struct plan *p, const char *name,
    double calls)
{
	int	i;

	for (i = 0; i < p->ntriggers; i++) {
		const struct plan_trigger *t = &p->triggers[i];

		if (t->name == NULL || strcmp(t->name, name) != 0)
			continue;
		if (t->calls != calls || !(t->time_ms > 0))
			bad("%s: trigger '%s': %.0f calls (want %.0f),"
			    " %.3f ms", what, name, t->calls, calls,
			    t->time_ms);
		return;
	}
	bad("%s: no trigger '%s' (%d triggers)", what, name,
	    p->ntriggers);
}

/* The node 'i' runs under a Gather: marked parallel, divided. */
static void
check_parallel(const char *what, const struct plan *p)
{
	int	g_ = find_type(p, "Gather", 0), i, n = 0;

	if (g_ == -1)
		g_ = find_type(p, "Gather Merge", 0);
	if (g_ == -1)
		bad("%s: no Gather", what);
	if (!p->nodes[g_].has_workers_launched ||
	    p->nodes[g_].workers_planned != 2)
		bad("%s: workers planned %.0f, launched %s", what,
		    p->nodes[g_].workers_planned,
		    p->nodes[g_].has_workers_launched ? "known" : "unknown");
	for (i = g_ + 1; i <= g_ + p->nodes[g_].nsub; i++, n++) {
		if (!(p->nodes[i].amb & PLAN_AMB_PARALLEL))
			bad("%s: node %d (%s) under the Gather is not"
			    " marked parallel", what, i, p->nodes[i].label);
	}
	if (n == 0)
		bad("%s: nothing under the Gather", what);
	if (p->nodes[g_].amb & PLAN_AMB_PARALLEL)
		bad("%s: the Gather itself is marked parallel", what);
}

/* Checks of one shape's parse, in either format. */
static void
check_shape(const struct shape *sh, const struct plan *p)
{
	char	what[128];
	int	i, k;

	snprintf(what, sizeof what, "%s (%s)", sh->name,
	    p->format == PLAN_JSON ? "JSON" : "text");
	for (k = 0; k < sh->nexpect; k++) {
		if (find_label(p, sh->expect[k]) == -1)
			bad("%s: no node labelled '%s'", what,
			    sh->expect[k]);
	}
	for (k = 0; k < sh->nwarn; k++) {
		size_t	j;

		for (j = 0; j < sizeof warn_keys / sizeof warn_keys[0]; j++) {
			if (strcmp(warn_keys[j].key, sh->warn[k]) == 0)
				break;
		}
		if (j == sizeof warn_keys / sizeof warn_keys[0])
			bad("plan_shapes.sql:%d: unknown warning '%s'",
			    sh->line, sh->warn[k]);
		if (!has_warning(p, warn_keys[j].kind))
			bad("%s: no '%s' warning (%d warnings)", what,
			    plan_warning_name(warn_keys[j].kind), p->nwarnings);
	}
	times_add_up(what, p);

	if (strcmp(sh->name, "misestimate") == 0) {
		int	worst = 0;

		for (i = 1; i < p->nnodes; i++) {
			if (p->nodes[i].misestimate >
			    p->nodes[worst].misestimate)
				worst = i;
		}
		/* The scan's error, carried up to the join. */
		i = find_type(p, "Seq Scan", 0);
		if (!(p->nodes[worst].misestimate > 10) || i == -1 ||
		    p->nodes[i].misestimate != p->nodes[worst].misestimate ||
		    !p->nodes[i].underestimate)
			bad("%s: worst misestimate %.1fx (%s) at node %d"
			    " (%s), want > 10x under on the Seq Scan", what,
			    p->nodes[worst].misestimate,
			    p->nodes[worst].underestimate ? "under" : "over",
			    worst, p->nodes[worst].label);
	} else if (strcmp(sh->name, "limit_early") == 0) {
		i = find_type(p, "Seq Scan", 0);
		if (i == -1 || !(p->nodes[i].misestimate > 100) ||
		    p->nodes[i].underestimate)
			bad("%s: the scan under the limit is not"
			    " overestimated", what);
		if (has_warning(p, PLAN_W_MISESTIMATE))
			bad("%s: a misestimate warning under a LIMIT that"
			    " stopped early", what);
	} else if (strcmp(sh->name, "sort_disk") == 0) {
		i = find_type(p, "Sort", 0);
		if (i == -1 || p->nodes[i].sort_space_type == NULL ||
		    strcmp(p->nodes[i].sort_space_type, "Disk") != 0 ||
		    p->nodes[i].sort_method == NULL ||
		    strcmp(p->nodes[i].sort_method, "external merge") != 0 ||
		    !(p->nodes[i].sort_space_kb > 0))
			bad("%s: no external merge sort on disk", what);
	} else if (strcmp(sh->name, "topn_heapsort") == 0) {
		i = find_type(p, "Sort", 0);
		if (i == -1 || p->nodes[i].sort_method == NULL ||
		    strcmp(p->nodes[i].sort_method, "top-N heapsort") != 0 ||
		    p->nodes[i].sort_space_type == NULL ||
		    strcmp(p->nodes[i].sort_space_type, "Memory") != 0)
			bad("%s: no top-N heapsort in memory", what);
	} else if (strcmp(sh->name, "hash_batches") == 0) {
		i = find_type(p, "Hash", 0);
		if (i == -1 || !(p->nodes[i].hash_batches > 1) ||
		    !(p->nodes[i].hash_buckets > 0) ||
		    !(p->nodes[i].peak_memory_kb > 0))
			bad("%s: no Hash in several batches", what);
	} else if (strcmp(sh->name, "hashagg_spill") == 0) {
		i = find_type(p, "Aggregate", 0);
		if (i == -1 || !(p->nodes[i].hashagg_batches > 1) ||
		    !(p->nodes[i].disk_usage_kb > 0))
			bad("%s: hash aggregate without batches or disk"
			    " usage", what);
	} else if (strcmp(sh->name, "index_only_scan") == 0) {
		i = find_type(p, "Index Only Scan", 0);
		if (i == -1 || !(p->nodes[i].heap_fetches >= 10000))
			bad("%s: heap fetches %.0f", what, i == -1 ? -1 :
			    p->nodes[i].heap_fetches);
	} else if (strcmp(sh->name, "bitmap_lossy") == 0) {
		i = find_type(p, "Bitmap Heap Scan", 0);
		if (i == -1 || !(p->nodes[i].lossy_blocks > 0) ||
		    !(p->nodes[i].exact_blocks > 0) ||
		    !(p->nodes[i].rows_removed_recheck > 0))
			bad("%s: no lossy blocks or recheck", what);
	} else if (strcmp(sh->name, "memoize") == 0) {
		i = find_type(p, "Memoize", 0);
		if (i == -1 || !(p->nodes[i].cache_hits > 10000) ||
		    !(p->nodes[i].cache_misses > 0))
			bad("%s: memoize hits %.0f misses %.0f", what,
			    i == -1 ? -1 : p->nodes[i].cache_hits,
			    i == -1 ? -1 : p->nodes[i].cache_misses);
	} else if (strcmp(sh->name, "seq_scan") == 0) {
		if (!(p->nodes[0].rows_removed_filter > 100000))
			bad("%s: rows removed by filter %.0f", what,
			    p->nodes[0].rows_removed_filter);
	} else if (strcmp(sh->name, "insert_triggers") == 0) {
		check_trigger(what, p, "invoice_lines_check", 1000);
		check_trigger(what, p,
		    "for constraint invoice_lines_invoice_id_fkey", 1000);
		check_trigger(what, p,
		    "for constraint invoice_lines_product_id_fkey", 1000);
	} else if (strcmp(sh->name, "update_trigger") == 0) {
		check_trigger(what, p, "invoices_touch", 1000);
	} else if (strcmp(sh->name, "delete_cascade") == 0) {
		check_trigger(what, p,
		    "for constraint invoice_lines_invoice_id_fkey", 500);
	} else if (strncmp(sh->name, "parallel_", 9) == 0 ||
	    strcmp(sh->name, "gather_merge") == 0) {
		check_parallel(what, p);
	} else if (strcmp(sh->name, "cte_scan") == 0 ||
	    strcmp(sh->name, "recursive_union") == 0) {
		const char *cte = sh->name[0] == 'c' ? "big" : "down";
		char	    sub[32];

		snprintf(sub, sizeof sub, "CTE %s", cte);
		for (i = 0; i < p->nnodes; i++) {
			if (p->nodes[i].subplan != NULL &&
			    strcmp(p->nodes[i].subplan, sub) == 0)
				break;
		}
		if (i == p->nnodes)
			bad("%s: no '%s'", what, sub);
		k = p->nodes[i].charged_to;
		if (k < 0 || strcmp(p->nodes[k].type, "CTE Scan") != 0 ||
		    p->nodes[k].cte == NULL ||
		    strcmp(p->nodes[k].cte, cte) != 0)
			bad("%s: %s charged to node %d (%s)", what, sub, k,
			    k >= 0 ? p->nodes[k].label : "-");
		/* Read twice: which scan ran it is a guess. */
		if (sh->name[0] == 'c' && (!(p->nodes[i].amb & PLAN_AMB_CTE) ||
		    !(p->nodes[k].amb & PLAN_AMB_CTE)))
			bad("%s: CTE read twice is not marked ambiguous",
			    what);
	} else if (strcmp(sh->name, "initplan") == 0) {
		i = find_type(p, "Aggregate", 0);
		if (i == -1 || p->nodes[i].rel_kind == NULL ||
		    strcmp(p->nodes[i].rel_kind, "InitPlan") != 0 ||
		    p->nodes[i].subplan == NULL ||
		    strncmp(p->nodes[i].subplan, "InitPlan 1", 10) != 0)
			bad("%s: no InitPlan", what);
		/* The root Seq Scan filters on $0. */
		if (p->nodes[i].charged_to != 0 ||
		    strcmp(p->nodes[0].type, "Seq Scan") != 0)
			bad("%s: InitPlan charged to node %d, want 0",
			    what, p->nodes[i].charged_to);
		if (!(p->nodes[0].self_ms < p->nodes[0].incl_ms -
		    p->nodes[i].incl_ms + 0.01))
			bad("%s: the scan's self time %.3f still holds the"
			    " InitPlan's %.3f (incl %.3f)", what,
			    p->nodes[0].self_ms, p->nodes[i].incl_ms,
			    p->nodes[0].incl_ms);
	} else if (strcmp(sh->name, "append_runtime_pruned") == 0) {
		int never = 0, seen = -1;

		for (i = 0; i < p->nnodes; i++) {
			never += p->nodes[i].never_executed;
			if (p->nodes[i].subplan != NULL)
				seen = i;
		}
		if (never != 2)
			bad("%s: %d nodes never executed, want 2", what,
			    never);
		if (seen == -1 || p->nodes[seen].charged_to < 0 ||
		    p->nodes[p->nodes[seen].charged_to].never_executed)
			bad("%s: the InitPlan is charged to node %d, which"
			    " never ran", what, seen == -1 ? -1 :
			    p->nodes[seen].charged_to);
	} else if (strcmp(sh->name, "subplan") == 0 ||
	    strcmp(sh->name, "hashed_subplan") == 0) {
		for (i = 0; i < p->nnodes; i++) {
			if (p->nodes[i].rel_kind != NULL &&
			    strcmp(p->nodes[i].rel_kind, "SubPlan") == 0)
				break;
		}
		if (i == p->nnodes || p->nodes[i].subplan == NULL ||
		    strstr(p->nodes[i].subplan, "SubPlan 1") == NULL)
			bad("%s: no SubPlan", what);
		if (p->nodes[i].charged_to != -1)
			bad("%s: a SubPlan charged elsewhere", what);
	} else if (strcmp(sh->name, "jit") == 0) {
		if (!p->has_jit || !(p->jit_functions > 0) ||
		    !(p->jit_total_ms > 0) || !(p->amb & PLAN_AMB_JIT))
			bad("%s: JIT %d, %.0f functions, %.3f ms", what,
			    p->has_jit, p->jit_functions, p->jit_total_ms);
	}
	/*
	 * The text format leaves out a Buffers line whose counters are all
	 * zero (a Function Scan, a Result): no buffers there is right.
	 */
	if (!p->analyzed || !p->has_timing || (!p->has_buffers &&
	    (p->format == PLAN_JSON || p->nodes[0].buf_total > 0)))
		bad("%s: analyzed %d, timing %d, buffers %d", what,
		    p->analyzed, p->has_timing, p->has_buffers);
}

/*
 * EXPLAIN (SETTINGS) lists the settings a shape changed from their
 * defaults: the plan's "Settings" field names them.
 */
static void
check_settings(const struct shape *sh, const struct plan *p)
{
	const char	*settings = NULL;
	int		 i;

	for (i = 0; i < p->nprops; i++) {
		if (strcmp(p->props[i].key, "Settings") == 0)
			settings = p->props[i].value;
	}
	if (settings == NULL)
		bad("%s (JSON): no Settings field", sh->name);
	for (i = 0; i + 1 < sh->nstmt; i++) {
		char	 var[64];
		size_t	 len;

		if (strncmp(sh->stmt[i], "SET ", 4) != 0)
			continue;
		len = strcspn(sh->stmt[i] + 4, " =");
		if (len >= sizeof var)
			continue;
		memcpy(var, sh->stmt[i] + 4, len);
		var[len] = '\0';
		/* Set to its default: not listed. */
		if (strcmp(var, "jit") == 0 ||
		    strcmp(var, "max_parallel_workers_per_gather") == 0)
			continue;
		if (strstr(settings, var) == NULL)
			bad("%s (JSON): Settings without %s: %s",
			    sh->name, var, settings);
	}
}

/* One shape, live, in JSON and in text. */
static void
one_shape(const struct shape *sh)
{
	struct plan	*pj, *pt;
	char		 name[96];
	int		 k;

	held.text[0] = explain(sh, JSON_OPTS);
	snprintf(name, sizeof name, "%s.json", sh->name);
	pj = held.plans[0] = parse_or_fail(name, held.text[0],
	    strlen(held.text[0]));
	held.text[1] = explain(sh, TEXT_OPTS);
	snprintf(name, sizeof name, "%s.txt", sh->name);
	pt = held.plans[1] = parse_or_fail(name, held.text[1],
	    strlen(held.text[1]));
	if (pj->format != PLAN_JSON || pt->format != PLAN_TEXT)
		bad("%s: formats %d and %d", sh->name, pj->format, pt->format);

	same_tree(sh->name, pj, pt);
	same_figures(sh->name, pj, pt, 1);
	check_shape(sh, pj);
	check_shape(sh, pt);
	check_settings(sh, pj);
	if (pj->ntriggers != pt->ntriggers)
		bad("%s: %d triggers in JSON, %d in text", sh->name,
		    pj->ntriggers, pt->ntriggers);
	for (k = 0; k < pj->ntriggers; k++) {
		if (strcmp(pj->triggers[k].name, pt->triggers[k].name) != 0)
			bad("%s: trigger %d is '%s' in JSON, '%s' in text",
			    sh->name, k, pj->triggers[k].name,
			    pt->triggers[k].name);
	}
}

/* Every shape; a failed one is reported and the others still run. */
static void
test_shapes_live(void **state)
{
	jmp_buf		jb;
	volatile int	i, failed = 0;

	(void)state;
	nbad = 0;
	for (i = 0; i < g.nshapes; i++) {
		if (setjmp(jb) == 0) {
			catcher = &jb;
			one_shape(&g.shapes[i]);
		} else {
			failed++;
		}
		catcher = NULL;
		held_teardown(NULL);
	}
	if (failed > 0)
		fail_msg("%d of %d shapes failed", failed, g.nshapes);
}

static int
has_suffix(const char *s, const char *suffix)
{
	size_t	n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static struct plan *
load_fixture(const char *file)
{
	char		 path[4096];
	char		*cause = NULL;
	struct plan	*p;

	snprintf(path, sizeof path, "%s/tests/fixtures/plans/%s", srcdir,
	    file);
	p = plan_load(path, &cause);
	if (p == NULL)
		bad("%s: does not load: %s", file,
		    cause != NULL ? cause : "(no cause)");
	return p;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int	npairs, npastes;

/*
 * One plan in two formats: the diff finds every node the same, and
 * --print output names every node.
 */
static void
diff_and_print(const char *what, const struct plan *a, const struct plan *b)
{
	struct plan_diff	*d = plan_diff_new(a, b);
	struct strbuf		 out = STRBUF_INIT;
	int			 nrows = d->nrows, nsame = 0, i;

	for (i = 0; i < d->nrows; i++)
		nsame += d->rows[i].kind == PLAN_DIFF_SAME &&
		    d->rows[i].a == i && d->rows[i].b == i;
	plan_diff_free(d);
	if (nrows != a->nnodes || nsame != nrows)
		bad("%s: diff of one plan in two formats: %d rows, %d the"
		    " same, for %d nodes", what, nrows, nsame, a->nnodes);
	plan_print(a, what, &out);
	for (i = 0; i < a->nnodes; i++) {
		if (strstr(out.buf, a->nodes[i].label) == NULL)
			break;
	}
	strbuf_release(&out);
	if (i < a->nnodes)
		bad("%s: --print output lacks node %d (%s)", what, i,
		    a->nodes[i].label);
}

/*
 * Fixture 'file' parses; NAME.json and NAME.txt hold the same tree; a
 * paste variant holds the tree of the plan it was pasted from.
 */
static void
one_fixture(const char *file)
{
	char		 other[512], what[1100], path[4096];
	struct plan	*p;
	struct stat	 st;

	p = held.plans[0] = load_fixture(file);
	if (p->nnodes < 1)
		bad("%s: no nodes", file);
	if (strncmp(file, "paste-", 6) == 0) {
		/* capture.sh pastes gather_merge. */
		held.plans[1] = load_fixture("gather_merge.json");
		snprintf(what, sizeof what, "%s vs gather_merge.json", file);
		same_tree(what, p, held.plans[1]);
		same_figures(what, p, held.plans[1], 0);
		npastes++;
	} else if (has_suffix(file, ".json")) {
		snprintf(other, sizeof other, "%.*s.txt",
		    (int)(strlen(file) - 5), file);
		snprintf(what, sizeof what, "%s/%s", file, other);
		snprintf(path, sizeof path, "%s/tests/fixtures/plans/%s",
		    srcdir, other);
		if (stat(path, &st) == 0) {
			held.plans[1] = load_fixture(other);
			same_tree(what, p, held.plans[1]);
			same_figures(what, p, held.plans[1], 1);
			diff_and_print(what, p, held.plans[1]);
			if (p->analyzed != held.plans[1]->analyzed ||
			    p->has_timing != held.plans[1]->has_timing)
				bad("%s: analyzed %d/%d, timing %d/%d", what,
				    p->analyzed, held.plans[1]->analyzed,
				    p->has_timing, held.plans[1]->has_timing);
			npairs++;
		}
	}
	if (strncmp(file, "costs_only.", 11) == 0) {
		if (p->analyzed || p->nodes[0].has_actual ||
		    !p->nodes[0].has_cost)
			bad("%s: analyzed %d, actual %d, cost %d", file,
			    p->analyzed, p->nodes[0].has_actual,
			    p->nodes[0].has_cost);
	} else if (strncmp(file, "timing_off.", 11) == 0) {
		if (!p->analyzed || p->has_timing || !p->nodes[0].has_actual ||
		    p->nodes[0].has_timing)
			bad("%s: analyzed %d, timing %d", file, p->analyzed,
			    p->has_timing);
	} else if (!p->analyzed || !p->has_timing) {
		bad("%s: analyzed %d, timing %d", file, p->analyzed,
		    p->has_timing);
	} else {
		times_add_up(file, p);
	}
}

/* Each of 'files'; returns how many failed. */
static int
fixtures(char *const *files, size_t nfiles)
{
	jmp_buf		 jb;
	volatile size_t	 i;
	volatile int	 failed = 0;

	npairs = npastes = 0;
	for (i = 0; i < nfiles; i++) {
		if (setjmp(jb) == 0) {
			catcher = &jb;
			one_fixture(files[i]);
		} else {
			failed++;
		}
		catcher = NULL;
		held_teardown(NULL);
	}
	return failed;
}

/* Every fixture of tests/fixtures/plans, without a server. */
static void
test_fixtures(void **state)
{
	char		 dir[4096];
	DIR		*d;
	struct dirent	*e;
	char		**files = NULL;
	size_t		 nfiles = 0, i;
	int		 failed;

	(void)state;
	snprintf(dir, sizeof dir, "%s/tests/fixtures/plans", srcdir);
	if ((d = opendir(dir)) == NULL)
		fail_msg("%s: %s", dir, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (!has_suffix(e->d_name, ".json") &&
		    !has_suffix(e->d_name, ".txt"))
			continue;
		files = realloc(files, (nfiles + 1) * sizeof *files);
		if (files == NULL)
			abort();
		files[nfiles++] = xstrdup_(e->d_name);
	}
	closedir(d);
	qsort(files, nfiles, sizeof *files, by_name);

	failed = fixtures(files, nfiles);
	for (i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	if (failed > 0)
		fail_msg("%d of %zu fixtures failed", failed, nfiles);
	if (npairs < 40 || npastes < 5)
		fail_msg("only %d JSON/text pairs and %d pastes", npairs,
		    npastes);
}

/* The largest $N in 'sql'. */
static int
max_param(const char *sql)
{
	int	max = 0;

	for (; *sql != '\0'; sql++) {
		if (*sql == '$' && sql[1] >= '1' && sql[1] <= '9') {
			int n = atoi(sql + 1);

			if (n > max)
				max = n;
		}
	}
	return max;
}

/*
 * Run 'sql' in the test database, then return its normalised text as
 * pg_stat_statements keeps it (the extension lives in 'postgres'; its
 * view shows every database).  'marker' is a comment in 'sql'.
 */
static char *
normalised(const char *sql, const char *marker)
{
	PGresult	*r;
	const char	*params[2];
	char		 dbid[32], like[128];
	char		*text;

	exec_or_fail(g.db, sql);
	r = PQexec(g.db, "SELECT oid FROM pg_database WHERE datname ="
	    " current_database()");
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
		fail_msg("current database: %s", PQresultErrorMessage(r));
	snprintf(dbid, sizeof dbid, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	snprintf(like, sizeof like, "%%%s%%", marker);
	params[0] = dbid;
	params[1] = like;
	r = PQexecParams(g.admin, "SELECT query FROM pg_stat_statements"
	    " WHERE dbid = $1::oid AND query LIKE $2"
	    " AND query NOT LIKE '%pg_stat_statements%'", 2, NULL, params,
	    NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
		fail_msg("pg_stat_statements: %d rows for %s: %s",
		    PQntuples(r), marker, PQresultErrorMessage(r));
	text = xstrdup_(PQgetvalue(r, 0, 0));
	PQclear(r);
	return text;
}

/* Some node of 'p' has a field that mentions 's'. */
static int
mentions(const struct plan *p, const char *s)
{
	int	i, k;

	for (i = 0; i < p->nnodes; i++) {
		for (k = 0; k < p->nodes[i].nprops; k++) {
			if (strstr(p->nodes[i].props[k].value, s) != NULL)
				return 1;
		}
	}
	return 0;
}

#define GENERIC_SQL	"SELECT /* pgdeck generic */ id, amount FROM" \
	" orders WHERE customer_id = 42 AND status = 'new' AND amount >" \
	" 10.5 ORDER BY id LIMIT 5"

/*
 * PostgreSQL 15 has no EXPLAIN (GENERIC_PLAN): a normalised statement
 * of pg_stat_statements is prepared and EXPLAINed as EXECUTE with NULLs
 * under plan_cache_mode = force_generic_plan.  By hand first, with
 * libpq.
 */
static void
test_generic_explain(void **state)
{
	struct strbuf	 sql = STRBUF_INIT;
	PGresult	*r;
	char		*text;
	int		 n, i;
	struct plan	*p;

	(void)state;
	text = held.text[0] = normalised(GENERIC_SQL, "pgdeck generic");
	n = max_param(text);
	if (n != 4 || strstr(text, "customer_id = $1") == NULL)
		fail_msg("normalised text with %d params: %s", n, text);

	exec_or_fail(g.db, "BEGIN");
	exec_or_fail(g.db, "SET LOCAL plan_cache_mode = force_generic_plan");
	strbuf_addf(&sql, "PREPARE pgdeck_generic AS %s", text);
	exec_or_fail(g.db, sql.buf);
	strbuf_reset(&sql);
	strbuf_addstr(&sql, "EXPLAIN (FORMAT JSON) EXECUTE pgdeck_generic(");
	for (i = 0; i < n; i++)
		strbuf_addstr(&sql, i > 0 ? ", NULL" : "NULL");
	strbuf_addch(&sql, ')');
	r = PQexec(g.db, sql.buf);
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
		fail_msg("%s: %s", sql.buf, PQresultErrorMessage(r));
	held.text[1] = xstrdup_(PQgetvalue(r, 0, 0));
	PQclear(r);
	strbuf_release(&sql);
	exec_or_fail(g.db, "DEALLOCATE pgdeck_generic");
	exec_or_fail(g.db, "ROLLBACK");

	p = held.plans[0] = parse_or_fail("generic.json", held.text[1],
	    strlen(held.text[1]));
	if (p->analyzed || p->nnodes < 2 || strcmp(p->nodes[0].type,
	    "Limit") != 0)
		fail_msg("generic plan: analyzed %d, %d nodes, root %s",
		    p->analyzed, p->nnodes, p->nodes[0].label);
	/* A generic plan keeps the parameters in its conditions. */
	if (!mentions(p, "$1"))
		fail_msg("generic plan: no condition on $1");
}

/*
 * Send the steps of explain_steps() one by one through the extended
 * protocol, as the engine does; the result of the plan step, or NULL
 * with the error of the step that failed in 'err'.
 */
static char *
run_steps(char **steps, int plan_step, char *err, size_t errsize)
{
	char	*out = NULL;
	int	 i;

	err[0] = '\0';
	for (i = 0; steps[i] != NULL; i++) {
		PGresult *r = PQexecParams(g.db, steps[i], 0, NULL, NULL, NULL,
		    NULL, 0);

		if (PQresultStatus(r) != PGRES_COMMAND_OK &&
		    PQresultStatus(r) != PGRES_TUPLES_OK) {
			snprintf(err, errsize, "step %d (%.80s): %s", i,
			    steps[i], PQresultErrorMessage(r));
			PQclear(r);
			free(out);
			/* As the engine must: leave no transaction open. */
			exec_or_fail(g.db, "ROLLBACK");
			exec_or_fail(g.db, "DEALLOCATE ALL");
			return NULL;
		}
		if (i == plan_step) {
			if (PQntuples(r) != 1)
				fail_msg("plan step %d: %d rows", i,
				    PQntuples(r));
			out = xstrdup_(PQgetvalue(r, 0, 0));
		}
		PQclear(r);
	}
	return out;
}

static void
release_steps(char ***steps)
{
	explain_steps_free(*steps);
	*steps = NULL;
}

/* The engine's SQL builder (src/plan/explain.c) on the same statement. */
static void
test_explain_steps(void **state)
{
	struct explain_req	 req;
	char			**steps = NULL, *cause = NULL, err[512];
	char			*text;
	int			 version, plan_step = -1;
	struct plan		*p;
	PGresult		*r;

	(void)state;
	version = PQserverVersion(g.db);
	text = held.text[0] = normalised(GENERIC_SQL, "pgdeck generic");
	if (explain_nparams(text) != 4)
		fail_msg("explain_nparams: %d, want 4: %s",
		    explain_nparams(text), text);

	/* The generic plan of the normalised text. */
	memset(&req, 0, sizeof req);
	req.text = text;
	req.timeout_ms = 10000;
	if (explain_steps(&req, version, &steps, &plan_step, &cause) < 1)
		fail_msg("explain_steps: %s", cause);
	held.text[1] = run_steps(steps, plan_step, err, sizeof err);
	release_steps(&steps);
	if (held.text[1] == NULL)
		fail_msg("generic EXPLAIN: %s", err);
	p = held.plans[0] = parse_or_fail("steps.json", held.text[1],
	    strlen(held.text[1]));
	if (p->analyzed || strcmp(p->nodes[0].type, "Limit") != 0 ||
	    !mentions(p, "$1"))
		fail_msg("generic plan from the steps: analyzed %d, root %s",
		    p->analyzed, p->nodes[0].label);
	/* Nothing left behind: no prepared statement, the plan cache mode. */
	r = PQexec(g.db, "SELECT (SELECT count(*) FROM pg_prepared_statements),"
	    " current_setting('plan_cache_mode')");
	if (PQresultStatus(r) != PGRES_TUPLES_OK ||
	    strcmp(PQgetvalue(r, 0, 0), "0") != 0 ||
	    strcmp(PQgetvalue(r, 0, 1), "auto") != 0)
		fail_msg("left behind: %s prepared, plan_cache_mode %s",
		    PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1));
	PQclear(r);

	/* ANALYZE with placeholders is refused. */
	req.analyze = 1;
	if (explain_steps(&req, version, &steps, &plan_step, &cause) != -1)
		fail_msg("explain_steps: ANALYZE with $1..$4 accepted");
	free(cause);
	cause = NULL;

	/* ANALYZE of a change: measured, then rolled back. */
	req.text = "UPDATE invoices SET amount = 0 WHERE id <= 10;";
	if (explain_steps(&req, version, &steps, &plan_step, &cause) < 1)
		fail_msg("explain_steps: %s", cause);
	plan_free(held.plans[0]);
	free(held.text[1]);
	held.plans[0] = NULL;
	held.text[1] = run_steps(steps, plan_step, err, sizeof err);
	release_steps(&steps);
	if (held.text[1] == NULL)
		fail_msg("EXPLAIN ANALYZE UPDATE: %s", err);
	p = held.plans[0] = parse_or_fail("analyze.json", held.text[1],
	    strlen(held.text[1]));
	if (!p->analyzed || strcmp(p->nodes[0].label, "Update") != 0 ||
	    p->ntriggers != 1)
		fail_msg("EXPLAIN ANALYZE UPDATE: analyzed %d, root %s, %d"
		    " triggers", p->analyzed, p->nodes[0].label, p->ntriggers);
	r = PQexec(g.db, "SELECT count(*) FROM invoices WHERE amount = 0"
	    " AND id <= 10");
	if (PQresultStatus(r) != PGRES_TUPLES_OK ||
	    strcmp(PQgetvalue(r, 0, 0), "0") != 0)
		fail_msg("EXPLAIN ANALYZE UPDATE was not rolled back");
	PQclear(r);

	/* Two statements in one text: the second never runs. */
	req.analyze = 0;
	req.text = "SELECT 1; DROP TABLE products CASCADE";
	if (explain_steps(&req, version, &steps, &plan_step, &cause) >= 1) {
		free(run_steps(steps, plan_step, err, sizeof err));
		release_steps(&steps);
	} else {
		free(cause);
		cause = NULL;
	}
	r = PQexec(g.db, "SELECT to_regclass('products') IS NOT NULL");
	if (PQresultStatus(r) != PGRES_TUPLES_OK ||
	    strcmp(PQgetvalue(r, 0, 0), "t") != 0)
		fail_msg("a second statement in the text ran");
	PQclear(r);
	exec_or_fail(g.db, "SELECT reset_invoices()");
	exec_or_fail(g.db, "RESET statement_timeout");
	exec_or_fail(g.db, "RESET lock_timeout");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_fixtures, held_teardown),
		cmocka_unit_test_teardown(test_shapes_live, held_teardown),
		cmocka_unit_test_teardown(test_generic_explain, held_teardown),
		cmocka_unit_test_teardown(test_explain_steps, held_teardown),
	};
	const char	*ci = getenv("CI");

	srcdir = getenv("PGDECK_SOURCE_DIR");
	if (srcdir == NULL)
		srcdir = PGDECK_SOURCE_DIR;
	conninfo = getenv("PGDECK_TEST_CONNINFO");
	if (conninfo == NULL) {
		if (ci != NULL && strcmp(ci, "true") == 0) {
			fprintf(stderr, "test_plan_live: CI=true but no test"
			    " server (PGDECK_TEST_CONNINFO unset): failing\n");
			return 1;
		}
		fprintf(stderr, "\n*** test_plan_live: SKIPPED: no"
		    " PostgreSQL (run tests through scripts/test) ***\n\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
