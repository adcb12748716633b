/*
 * test_plan.c - the plan engine: both parsers (EXPLAIN JSON and psql
 * text as people paste it), the places named by their errors, the self
 * time rules, the warnings, the plan diff and `explain --print`, on small
 * hand-written plans with round numbers and on the plans captured from a
 * real server in tests/fixtures/plans/ (read-only).
 *
 * Tests named bug_* pin an engine bug found while writing these tests;
 * each says what was wrong.  All of them are fixed now (branch
 * planfix), and the tests stay so that the bugs do not come back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/strbuf.h"
#include "core/util.h"
#include "plan/diff.h"
#include "plan/plan.h"
#include "plan/plan_int.h"		/* the builder, for big plans */

typedef struct plan *(*parse_fn)(const char *, const char *, size_t,
    char **);

/* ---- helpers ---- */

static void
check_near(double got, double want, const char *what, const char *file,
    int line)
{
	if (!(fabs(got - want) <= 1e-6 * (1 + fabs(want)))) {
		print_error("%s: got %.9g, want %.9g\n", what, got, want);
		_fail(file, line);
	}
}
#define assert_near(got, want) \
	check_near((got), (want), #got, __FILE__, __LINE__)

static void
check_str(const char *got, const char *want, const char *what,
    const char *file, int line)
{
	if (got == NULL && want == NULL)
		return;
	if (got == NULL || want == NULL || strcmp(got, want) != 0) {
		print_error("%s: got \"%s\", want \"%s\"\n", what,
		    got != NULL ? got : "(null)", want != NULL ? want :
		    "(null)");
		_fail(file, line);
	}
}
#define assert_str(got, want) \
	check_str((got), (want), #got, __FILE__, __LINE__)

static void
check_contains(const char *hay, const char *needle, int want,
    const char *file, int line)
{
	if ((hay != NULL && strstr(hay, needle) != NULL) != want) {
		print_error("\"%s\" should%s contain \"%s\"\n",
		    hay != NULL ? hay : "(null)", want ? "" : " not", needle);
		_fail(file, line);
	}
}
#define assert_contains(hay, needle) \
	check_contains((hay), (needle), 1, __FILE__, __LINE__)
#define assert_not_contains(hay, needle) \
	check_contains((hay), (needle), 0, __FILE__, __LINE__)

static void
check_prefix(const char *s, const char *prefix, const char *file, int line)
{
	if (s == NULL || strncmp(s, prefix, strlen(prefix)) != 0) {
		print_error("\"%s\" should start with \"%s\"\n",
		    s != NULL ? s : "(null)", prefix);
		_fail(file, line);
	}
}
#define assert_prefix(s, prefix) \
	check_prefix((s), (prefix), __FILE__, __LINE__)

/* JSON written with ' for " so that the plans below stay readable. */
static char *
dequote(const char *src)
{
	char	*s = xstrdup(src), *p;

	for (p = s; *p != '\0'; p++) {
		if (*p == '\'')
			*p = '"';
	}
	return s;
}

static struct plan *
parse_ok_at(parse_fn fn, const char *name, const char *buf, size_t len,
    const char *file, int line)
{
	char		*cause = NULL;
	struct plan	*p = fn(name, buf, len, &cause);

	if (p == NULL) {
		print_error("parse failed: %s\n", cause != NULL ? cause : "?");
		free(cause);
		_fail(file, line);
	}
	assert_null(cause);
	return p;
}
#define parse_ok(fn, name, buf, len) \
	parse_ok_at((fn), (name), (buf), (len), __FILE__, __LINE__)

static struct plan *
json_at(const char *src, const char *file, int line)
{
	char		*s = dequote(src);
	struct plan	*p;

	p = parse_ok_at(plan_parse_json, "t.json", s, strlen(s), file, line);

	free(s);
	return p;
}
#define J(src)	json_at((src), __FILE__, __LINE__)

static struct plan *
text_at(const char *src, const char *file, int line)
{
	return parse_ok_at(plan_parse_text, "t.txt", src, strlen(src), file,
	    line);
}
#define T(src)	text_at((src), __FILE__, __LINE__)

/* The cause of a failed parse (caller frees); fails if it parsed. */
static char *
parse_err_at(parse_fn fn, const char *name, const char *buf, size_t len,
    const char *file, int line)
{
	char		*cause = NULL;
	struct plan	*p = fn(name, buf, len, &cause);

	if (p != NULL) {
		print_error("parsed (%d nodes), expected an error\n",
		    p->nnodes);
		plan_free(p);
		_fail(file, line);
	}
	if (cause == NULL) {
		print_error("no cause\n");
		_fail(file, line);
	}
	return cause;
}
#define parse_err(fn, name, buf, len) \
	parse_err_at((fn), (name), (buf), (len), __FILE__, __LINE__)

static char *
json_err(const char *src)
{
	char	*s = dequote(src), *cause;

	cause = parse_err(plan_parse_json, "t.json", s, strlen(s));
	free(s);
	return cause;
}

static int
find_warning(const struct plan *p, enum plan_warning_kind k, int node)
{
	int	i;

	for (i = 0; i < p->nwarnings; i++) {
		if (p->warnings[i].kind == k &&
		    (node < 0 || p->warnings[i].node == node))
			return i;
	}
	return -1;
}

static double
sum_self(const struct plan *p)
{
	double	s = 0;
	int	i;

	for (i = 0; i < p->nnodes; i++)
		s += p->nodes[i].self_ms;
	return s;
}

/* "a\nb\n" from lines; the line numbers of the input are index + 1. */
static char *
join_lines(const char *const *lines, size_t n)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		i;

	for (i = 0; i < n; i++) {
		strbuf_addstr(&sb, lines[i]);
		strbuf_addch(&sb, '\n');
	}
	return strbuf_detach(&sb);
}
#define JOIN(lines)	join_lines((lines), sizeof(lines) / sizeof(*(lines)))

/* Split 's' into lines (copies; '\n' dropped). */
static char **
split_lines(const char *s, size_t *n)
{
	char		**v = NULL;
	size_t		  alloc = 0;
	const char	 *e;

	*n = 0;
	while (*s != '\0') {
		e = strchr(s, '\n');
		if (e == NULL)
			e = s + strlen(s);
		xgrow((void **)&v, &alloc, *n + 1, sizeof *v);
		v[(*n)++] = xstrndup(s, (size_t)(e - s));
		s = *e == '\n' ? e + 1 : e;
	}
	return v;
}

static void
free_lines(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Display width: UTF-8 code points. */
static size_t
width_of(const char *s)
{
	size_t	w = 0;

	for (; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	}
	return w;
}

static void
add_repeat(struct strbuf *sb, const char *s, size_t n)
{
	while (n-- > 0)
		strbuf_addstr(sb, s);
}

/*
 * 'text' as psql prints one column called QUERY PLAN with one row per
 * line (EXPLAIN's text format).  border 1 (the default): " line";
 * border 2: "| line... |" inside a box, ASCII or Unicode.
 */
enum frame { FRAME_BORDER1, FRAME_BORDER2, FRAME_UNICODE2 };

static char *
psql_frame(const char *text, enum frame f)
{
	struct strbuf	  sb = STRBUF_INIT;
	char		**l;
	size_t		  n, i, w = 10, lpad;
	const char	 *h = f == FRAME_UNICODE2 ? "\xe2\x94\x80" : "-";
	const char	 *v = f == FRAME_UNICODE2 ? "\xe2\x94\x82" : "|";

	l = split_lines(text, &n);
	for (i = 0; i < n; i++) {
		if (width_of(l[i]) > w)
			w = width_of(l[i]);
	}
	lpad = (w - 10) / 2;
	if (f == FRAME_BORDER1) {
		add_repeat(&sb, " ", lpad + 1);
		strbuf_addstr(&sb, "QUERY PLAN");
		add_repeat(&sb, " ", w - 10 - lpad + 1);
		strbuf_addch(&sb, '\n');
		add_repeat(&sb, "-", w + 2);
		strbuf_addch(&sb, '\n');
		for (i = 0; i < n; i++)
			strbuf_addf(&sb, " %s\n", l[i]);
	} else {
		strbuf_addstr(&sb, f == FRAME_UNICODE2 ? "\xe2\x94\x8c" : "+");
		add_repeat(&sb, h, w + 2);
		strbuf_addstr(&sb, f == FRAME_UNICODE2 ? "\xe2\x94\x90\n" :
		    "+\n");
		strbuf_addf(&sb, "%s ", v);
		add_repeat(&sb, " ", lpad);
		strbuf_addstr(&sb, "QUERY PLAN");
		add_repeat(&sb, " ", w - 10 - lpad);
		strbuf_addf(&sb, " %s\n", v);
		strbuf_addstr(&sb, f == FRAME_UNICODE2 ? "\xe2\x94\x9c" : "+");
		add_repeat(&sb, h, w + 2);
		strbuf_addstr(&sb, f == FRAME_UNICODE2 ? "\xe2\x94\xa4\n" :
		    "+\n");
		for (i = 0; i < n; i++) {
			strbuf_addf(&sb, "%s %s", v, l[i]);
			add_repeat(&sb, " ", w - width_of(l[i]));
			strbuf_addf(&sb, " %s\n", v);
		}
		strbuf_addstr(&sb, f == FRAME_UNICODE2 ? "\xe2\x94\x94" : "+");
		add_repeat(&sb, h, w + 2);
		strbuf_addstr(&sb, f == FRAME_UNICODE2 ? "\xe2\x94\x98\n" :
		    "+\n");
	}
	strbuf_addf(&sb, "(%zu row%s)\n\n", n, n == 1 ? "" : "s");
	free_lines(l, n);
	return strbuf_detach(&sb);
}

/*
 * 'text' as one multi-line cell (EXPLAIN JSON, or a plan stored in a
 * table), border 1: every line but the last padded to the width and
 * followed by psql's newline mark ("+", or "↵" in linestyle unicode).
 * psql puts the mark right after the padding, so the widest line has no
 * space before it; 'extra' pads every line further (extra 1: a space
 * before every mark).
 */
static char *
psql_cell(const char *text, size_t extra, const char *mark)
{
	struct strbuf	  sb = STRBUF_INIT;
	char		**l;
	size_t		  n, i, w = 10;

	l = split_lines(text, &n);
	for (i = 0; i < n; i++) {
		if (width_of(l[i]) > w)
			w = width_of(l[i]);
	}
	w += extra;
	add_repeat(&sb, " ", (w - 10) / 2 + 1);
	strbuf_addstr(&sb, "QUERY PLAN");
	add_repeat(&sb, " ", w - 10 - (w - 10) / 2 + 1);
	strbuf_addch(&sb, '\n');
	add_repeat(&sb, strcmp(mark, "+") == 0 ? "-" : "\xe2\x94\x80", w + 2);
	strbuf_addch(&sb, '\n');
	for (i = 0; i < n; i++) {
		strbuf_addf(&sb, " %s", l[i]);
		if (i + 1 < n) {
			add_repeat(&sb, " ", w - width_of(l[i]));
			strbuf_addstr(&sb, mark);
		}
		strbuf_addch(&sb, '\n');
	}
	strbuf_addstr(&sb, "(1 row)\n\n");
	free_lines(l, n);
	return strbuf_detach(&sb);
}

/* What an 80-column terminal does to long lines: hard breaks. */
static char *
fold80(const char *text)
{
	struct strbuf	  sb = STRBUF_INIT;
	char		**l;
	size_t		  n, i;

	l = split_lines(text, &n);
	for (i = 0; i < n; i++) {
		const char	*s = l[i];
		size_t		 col = 0;

		for (; *s != '\0'; s++) {
			if (((unsigned char)*s & 0xc0) != 0x80) {
				if (col == 80) {
					strbuf_addch(&sb, '\n');
					col = 0;
				}
				col++;
			}
			strbuf_addch(&sb, *s);
		}
		strbuf_addch(&sb, '\n');
	}
	free_lines(l, n);
	return strbuf_detach(&sb);
}

/* Leading spaces as tabs of 8 (unexpand --first-only). */
static char *
tabify(const char *text)
{
	struct strbuf	  sb = STRBUF_INIT;
	char		**l;
	size_t		  n, i, k;

	l = split_lines(text, &n);
	for (i = 0; i < n; i++) {
		size_t	sp = strspn(l[i], " ");

		for (k = 0; k < sp / 8; k++)
			strbuf_addch(&sb, '\t');
		strbuf_addstr(&sb, l[i] + sp / 8 * 8);
		strbuf_addch(&sb, '\n');
	}
	free_lines(l, n);
	return strbuf_detach(&sb);
}

/* The same plan, field by field (input line numbers aside). */
#define DF(f)	{ #f, offsetof(struct plan_node, f) }
static const struct {
	const char	*name;
	size_t		 off;
} node_doubles[] = {
	DF(startup_cost), DF(total_cost), DF(plan_rows), DF(plan_width),
	DF(act_startup), DF(act_total), DF(act_rows), DF(loops),
	DF(buf.shared_hit), DF(buf.shared_read), DF(buf.shared_dirtied),
	DF(buf.shared_written), DF(buf.local_hit), DF(buf.local_read),
	DF(buf.local_dirtied), DF(buf.local_written), DF(buf.temp_read),
	DF(buf.temp_written), DF(io_read_ms), DF(io_write_ms),
	DF(sort_space_kb), DF(hash_buckets), DF(hash_buckets_orig),
	DF(hash_batches), DF(hash_batches_orig), DF(peak_memory_kb),
	DF(hashagg_batches), DF(disk_usage_kb), DF(rows_removed_filter),
	DF(rows_removed_join_filter), DF(rows_removed_recheck),
	DF(heap_fetches), DF(exact_blocks), DF(lossy_blocks),
	DF(workers_planned), DF(workers_launched), DF(cache_hits),
	DF(cache_misses), DF(cache_evictions), DF(cache_overflows),
	DF(incl_ms), DF(self_ms), DF(self_cost), DF(buf_total),
	DF(self_buf_total), DF(misestimate),
};

static void
assert_same_plan_at(const struct plan *a, const struct plan *b,
    const char *file, int line)
{
	int	i, k;
	size_t	d;

#define SAME_INT(x, y, what) do { \
	if ((x) != (y)) { \
		print_error("node %d %s: %d vs %d\n", i, (what), (int)(x), \
		    (int)(y)); \
		_fail(file, line); \
	} \
} while (0)
#define SAME_STR(x, y, what) do { \
	if (((x) == NULL) != ((y) == NULL) || \
	    ((x) != NULL && strcmp((x), (y)) != 0)) { \
		print_error("node %d %s: \"%s\" vs \"%s\"\n", i, (what), \
		    (x) != NULL ? (x) : "(null)", \
		    (y) != NULL ? (y) : "(null)"); \
		_fail(file, line); \
	} \
} while (0)

	i = -1;
	SAME_INT(a->nnodes, b->nnodes, "nnodes");
	for (i = 0; i < a->nnodes; i++) {
		const struct plan_node *x = &a->nodes[i], *y = &b->nodes[i];

		SAME_INT(x->parent, y->parent, "parent");
		SAME_INT(x->depth, y->depth, "depth");
		SAME_INT(x->nsub, y->nsub, "nsub");
		SAME_INT(x->nkids, y->nkids, "nkids");
		SAME_STR(x->type, y->type, "type");
		SAME_STR(x->label, y->label, "label");
		SAME_STR(x->rel_kind, y->rel_kind, "rel_kind");
		SAME_STR(x->subplan, y->subplan, "subplan");
		SAME_STR(x->relation, y->relation, "relation");
		SAME_STR(x->schema, y->schema, "schema");
		SAME_STR(x->alias, y->alias, "alias");
		SAME_STR(x->index, y->index, "index");
		SAME_STR(x->cte, y->cte, "cte");
		SAME_STR(x->join_type, y->join_type, "join_type");
		SAME_STR(x->strategy, y->strategy, "strategy");
		SAME_STR(x->cond, y->cond, "cond");
		SAME_STR(x->sort_method, y->sort_method, "sort_method");
		SAME_STR(x->sort_space_type, y->sort_space_type,
		    "sort_space_type");
		SAME_INT(x->has_cost, y->has_cost, "has_cost");
		SAME_INT(x->has_actual, y->has_actual, "has_actual");
		SAME_INT(x->has_timing, y->has_timing, "has_timing");
		SAME_INT(x->never_executed, y->never_executed,
		    "never_executed");
		SAME_INT(x->has_buffers, y->has_buffers, "has_buffers");
		SAME_INT(x->has_workers_launched, y->has_workers_launched,
		    "has_workers_launched");
		SAME_INT(x->underestimate, y->underestimate, "underestimate");
		SAME_INT(x->amb, y->amb, "amb");
		SAME_INT(x->charged_to, y->charged_to, "charged_to");
		for (d = 0; d < sizeof node_doubles / sizeof *node_doubles;
		    d++) {
			size_t	off = node_doubles[d].off;
			double	u, w;

			memcpy(&u, (const char *)x + off, sizeof u);
			memcpy(&w, (const char *)y + off, sizeof w);
			if (u != w) {
				print_error("node %d %s: %.9g vs %.9g\n", i,
				    node_doubles[d].name, u, w);
				_fail(file, line);
			}
		}
		SAME_INT(x->nprops, y->nprops, "nprops");
		for (k = 0; k < x->nprops; k++) {
			SAME_STR(x->props[k].key, y->props[k].key, "prop key");
			SAME_STR(x->props[k].value, y->props[k].value,
			    "prop value");
		}
	}
	i = -1;
	SAME_INT(a->analyzed, b->analyzed, "plan analyzed");
	SAME_INT(a->has_planning, b->has_planning, "plan has_planning");
	SAME_INT(a->has_execution, b->has_execution, "plan has_execution");
	SAME_INT(a->ntriggers, b->ntriggers, "plan ntriggers");
	SAME_INT(a->has_jit, b->has_jit, "plan has_jit");
	SAME_INT(a->amb, b->amb, "plan amb");
	SAME_INT(a->nprops, b->nprops, "plan nprops");
	SAME_INT(a->nwarnings, b->nwarnings, "plan nwarnings");
	if (a->planning_ms != b->planning_ms ||
	    a->execution_ms != b->execution_ms ||
	    a->trigger_ms != b->trigger_ms ||
	    a->jit_total_ms != b->jit_total_ms ||
	    a->planning_buf.shared_hit != b->planning_buf.shared_hit ||
	    a->total_ms != b->total_ms) {
		print_error("plan-level figures differ\n");
		_fail(file, line);
	}
	for (k = 0; k < a->nprops; k++) {
		SAME_STR(a->props[k].key, b->props[k].key, "plan prop key");
		SAME_STR(a->props[k].value, b->props[k].value,
		    "plan prop value");
	}
	for (k = 0; k < a->ntriggers; k++) {
		SAME_STR(a->triggers[k].name, b->triggers[k].name, "trigger");
		SAME_STR(a->triggers[k].relation, b->triggers[k].relation,
		    "trigger relation");
	}
	for (k = 0; k < a->nwarnings; k++) {
		SAME_INT(a->warnings[k].kind, b->warnings[k].kind, "warning");
		SAME_INT(a->warnings[k].node, b->warnings[k].node,
		    "warning node");
		SAME_STR(a->warnings[k].text, b->warnings[k].text,
		    "warning text");
	}
#undef SAME_INT
#undef SAME_STR
}
#define assert_same_plan(a, b) \
	assert_same_plan_at((a), (b), __FILE__, __LINE__)

/* ---- fixtures: tests/fixtures/plans, found from this file's path ---- */

static char *
fixture_path(const char *name)
{
	const char	*self = __FILE__;
	const char	*slash = strrchr(self, '/');

	if (slash == NULL)
		return xstrfmt("../fixtures/plans/%s", name);
	return xstrfmt("%.*s/../fixtures/plans/%s", (int)(slash - self), self,
	    name);
}

/* The bytes of fixture 'name'; fails the test if it cannot be read. */
static char *
fixture(const char *name, size_t *len)
{
	char		*path = fixture_path(name);
	struct strbuf	 sb = STRBUF_INIT;
	char		 chunk[8192];
	size_t		 n;
	FILE		*f = fopen(path, "rb");

	if (f == NULL)
		fail_msg("cannot open fixture %s", path);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		strbuf_add(&sb, chunk, n);
	fclose(f);
	free(path);
	*len = sb.len;
	return strbuf_detach(&sb);
}

static struct plan *
fixture_plan_at(const char *name, const char *file, int line)
{
	size_t		 len;
	char		*buf = fixture(name, &len);
	struct plan	*p;

	p = parse_ok_at(plan_parse, name, buf, len, file, line);
	free(buf);
	return p;
}
#define FIXTURE(name)	fixture_plan_at((name), __FILE__, __LINE__)

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The fixture names ending in 'ext', sorted; caller frees. */
static char **
fixture_list(const char *ext, size_t *n)
{
	char		 *dir = fixture_path("");
	DIR		 *d = opendir(dir);
	struct dirent	 *e;
	char		**v = NULL;
	size_t		  alloc = 0, el = strlen(ext);

	*n = 0;
	if (d == NULL)
		fail_msg("cannot open %s", dir);
	while ((e = readdir(d)) != NULL) {
		size_t	nl = strlen(e->d_name);

		if (nl <= el || strcmp(e->d_name + nl - el, ext) != 0)
			continue;
		xgrow((void **)&v, &alloc, *n + 1, sizeof *v);
		v[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	free(dir);
	if (*n > 1)
		qsort(v, *n, sizeof *v, by_name);
	return v;
}

/* ---- plans used by several tests ---- */

/* Actual figures for the self-time plans: rows 1, no estimates. */
#define ACT(total, loops) "'Actual Startup Time': 0, 'Actual Total Time': " \
	#total ", 'Actual Rows': 1, 'Actual Loops': " #loops
/* Estimates and actual rows, for the misestimate plans. */
#define ROWS(est, act) "'Startup Cost': 0, 'Total Cost': 100, 'Plan Rows': " \
	#est ", 'Plan Width': 4, 'Actual Startup Time': 0, " \
	"'Actual Total Time': 1, 'Actual Rows': " #act ", 'Actual Loops': 1"

static const char json_basic[] =
"[\n"
"  {\n"
"    'Plan': {\n"
"      'Node Type': 'Hash Join', 'Join Type': 'Left', "
    "'Parallel Aware': false,\n"
"      'Startup Cost': 10.5, 'Total Cost': 250.25, 'Plan Rows': 1000, "
    "'Plan Width': 16,\n"
"      'Actual Startup Time': 1.5, 'Actual Total Time': 20.0, "
    "'Actual Rows': 900, 'Actual Loops': 1,\n"
"      'Hash Cond': '(o.id = l.order_id)',\n"
"      'Shared Hit Blocks': 100, 'Shared Read Blocks': 50, "
    "'Shared Dirtied Blocks': 2,\n"
"      'Shared Written Blocks': 1, 'Local Hit Blocks': 7, "
    "'Local Read Blocks': 8,\n"
"      'Local Dirtied Blocks': 9, 'Local Written Blocks': 10,\n"
"      'Temp Read Blocks': 3, 'Temp Written Blocks': 4,\n"
"      'Plans': [\n"
"        {'Node Type': 'Aggregate', 'Strategy': 'Hashed', "
    "'Partial Mode': 'Partial',\n"
"         'Parent Relationship': 'Outer', 'Parallel Aware': false,\n"
"         'Startup Cost': 5, 'Total Cost': 120, 'Plan Rows': 500, "
    "'Plan Width': 8,\n"
"         'Actual Startup Time': 1.0, 'Actual Total Time': 12.0, "
    "'Actual Rows': 450, 'Actual Loops': 1,\n"
"         'Group Key': ['o.id', 'o.status'],\n"
"         'Plans': [\n"
"           {'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', "
    "'Parallel Aware': true,\n"
"            'Relation Name': 'orders', 'Schema': 'public', 'Alias': 'o',\n"
"            'Startup Cost': 0, 'Total Cost': 100, 'Plan Rows': 10000, "
    "'Plan Width': 8,\n"
"            'Actual Startup Time': 0.01, 'Actual Total Time': 8.0, "
    "'Actual Rows': 3333, 'Actual Loops': 1,\n"
"            'Filter': '(o.status = 1)', 'Rows Removed by Filter': 120}]},\n"
"        {'Node Type': 'Hash', 'Parent Relationship': 'Inner', "
    "'Parallel Aware': false,\n"
"         'Startup Cost': 4, 'Total Cost': 4, 'Plan Rows': 200, "
    "'Plan Width': 8,\n"
"         'Actual Startup Time': 2.0, 'Actual Total Time': 2.0, "
    "'Actual Rows': 200, 'Actual Loops': 1,\n"
"         'Hash Buckets': 1024, 'Original Hash Buckets': 512, "
    "'Hash Batches': 2,\n"
"         'Original Hash Batches': 1, 'Peak Memory Usage': 9,\n"
"         'Plans': [\n"
"           {'Node Type': 'Index Scan', 'Parent Relationship': 'Outer', "
    "'Parallel Aware': false,\n"
"            'Scan Direction': 'Backward', 'Index Name': 'lines_pkey',\n"
"            'Relation Name': 'lines', 'Schema': 'public', 'Alias': 'l',\n"
"            'Startup Cost': 0.29, 'Total Cost': 3.5, 'Plan Rows': 200, "
    "'Plan Width': 8,\n"
"            'Actual Startup Time': 0.02, 'Actual Total Time': 1.5, "
    "'Actual Rows': 200, 'Actual Loops': 1,\n"
"            'Index Cond': '(l.id < 200)'}]}]},\n"
"    'Planning Time': 0.25,\n"
"    'Execution Time': 21.5\n"
"  }\n"
"]\n";

/*
 * A text plan with most of what EXPLAIN (ANALYZE, BUFFERS) prints, root
 * at column 0 (as EXPLAIN produces it; psql adds the frame).
 */
static const char *const text_big[] = {
/*  1 */ "Hash Left Join  (cost=10.50..250.25 rows=1000 width=16) (actual "
    "time=1.500..20.000 rows=900 loops=1)",
/*  2 */ "  Hash Cond: (o.id = l.order_id)",
/*  3 */ "  Buffers: shared hit=100 read=50 dirtied=2 written=1, "
    "local hit=7 read=8 dirtied=9 written=10, temp read=3 written=4",
/*  4 */ "  InitPlan 1 (returns $0)",
/*  5 */ "    ->  Result  (cost=0.00..0.01 rows=1 width=4) (actual "
    "time=0.001..0.002 rows=1 loops=1)",
/*  6 */ "  CTE big",
/*  7 */ "    ->  Seq Scan on big_src  (cost=0.00..1.00 rows=10 width=4) "
    "(actual time=0.010..0.500 rows=10 loops=1)",
/*  8 */ "  ->  Sort  (cost=5.00..6.00 rows=500 width=8) (actual "
    "time=10.000..12.000 rows=450 loops=1)",
/*  9 */ "        Sort Key: o.id",
/* 10 */ "        Sort Method: external merge  Disk: 1234kB",
/* 11 */ "        Worker 0:  Sort Method: quicksort  Memory: 25kB",
/* 12 */ "        ->  Gather  (cost=0.00..100.00 rows=10000 width=8) (actual "
    "time=0.100..8.000 rows=3333 loops=1)",
/* 13 */ "              Workers Planned: 2",
/* 14 */ "              Workers Launched: 1",
/* 15 */ "              ->  Parallel Seq Scan on public.orders o  "
    "(cost=0.00..90.00 rows=4167 width=8) (actual time=0.010..6.000 rows=1667 "
    "loops=2)",
/* 16 */ "                    Filter: ((o.status = 1) AND (o.x = $0) AND (o.y "
    "= (SubPlan 2)))",
/* 17 */ "                    Rows Removed by Filter: 120",
/* 18 */ "                    SubPlan 2",
/* 19 */ "                      ->  CTE Scan on big  (cost=0.00..0.20 rows=10 "
    "width=4) (actual time=0.001..0.060 rows=1 loops=10)",
/* 20 */ "  ->  Hash  (cost=4.00..4.00 rows=200 width=8) (actual "
    "time=2.000..2.000 rows=200 loops=1)",
/* 21 */ "        Buckets: 1024 (originally 512)  Batches: 4 (originally 1)  "
    "Memory Usage: 9kB",
/* 22 */ "        ->  Bitmap Heap Scan on lines l  (cost=1.00..3.50 rows=200 "
    "width=8) (actual time=0.020..1.500 rows=200 loops=1)",
/* 23 */ "              Recheck Cond: (l.id < 200)",
/* 24 */ "              Rows Removed by Index Recheck: 35",
/* 25 */ "              Heap Blocks: exact=5 lossy=10",
/* 26 */ "              ->  Bitmap Index Scan on lines_pkey  (cost=0.00..0.95 "
    "rows=200 width=0) (actual time=0.010..0.010 rows=200 loops=1)",
/* 27 */ "                    Index Cond: (l.id < 200)",
/* 28 */ "Planning:",
/* 29 */ "  Buffers: shared hit=113 read=2",
/* 30 */ "Planning Time: 0.250 ms",
/* 31 */ "Trigger for constraint fk: time=1.500 calls=10",
/* 32 */ "Trigger trg on t: time=2.250 calls=3",
/* 33 */ "JIT:",
/* 34 */ "  Functions: 8",
/* 35 */ "  Options: Inlining false, Optimization false, Expressions true, "
    "Deforming true",
/* 36 */ "  Timing: Generation 0.920 ms, Inlining 0.000 ms, "
    "Optimization 0.500 ms, Emission 4.000 ms, Total 5.420 ms",
/* 37 */ "Execution Time: 21.500 ms",
};

/* ---- 1. JSON parser ---- */

static void
test_json_basic(void **state)
{
	struct plan		*p = J(json_basic);
	const struct plan_node	*n = p->nodes;
	char			 title[256];

	(void)state;
	assert_int_equal(p->nnodes, 5);
	assert_int_equal(p->format, PLAN_JSON);
	assert_true(p->analyzed);
	assert_true(p->has_planning);
	assert_true(p->has_execution);
	assert_near(p->planning_ms, 0.25);
	assert_near(p->execution_ms, 21.5);
	assert_near(p->total_ms, 21.5);
	assert_null(p->query_text);

	assert_str(n[0].label, "Hash Left Join");
	assert_str(n[0].type, "Hash Join");
	assert_str(n[0].join_type, "Left");
	assert_str(n[1].label, "Partial HashAggregate");
	assert_str(n[1].type, "Aggregate");
	assert_str(n[1].strategy, "Hashed");
	assert_str(n[2].label, "Parallel Seq Scan");
	assert_str(n[2].type, "Seq Scan");
	assert_str(n[3].label, "Hash");
	assert_str(n[4].label, "Index Scan Backward");
	assert_str(n[4].type, "Index Scan");

	/* Shape. */
	assert_int_equal(n[0].parent, -1);
	assert_int_equal(n[0].nkids, 2);
	assert_int_equal(n[0].kids[0], 1);
	assert_int_equal(n[0].kids[1], 3);
	assert_int_equal(n[0].nsub, 4);
	assert_int_equal(n[1].parent, 0);
	assert_int_equal(n[1].nsub, 1);
	assert_int_equal(n[2].parent, 1);
	assert_int_equal(n[2].depth, 2);
	assert_int_equal(n[3].parent, 0);
	assert_int_equal(n[4].parent, 3);
	assert_int_equal(n[4].depth, 2);
	assert_int_equal(n[4].nsub, 0);
	assert_str(n[0].rel_kind, NULL);
	assert_str(n[1].rel_kind, "Outer");
	assert_str(n[3].rel_kind, "Inner");

	/* Objects. */
	assert_str(n[2].relation, "orders");
	assert_str(n[2].schema, "public");
	assert_str(n[2].alias, "o");
	assert_str(n[2].index, NULL);
	assert_str(n[4].index, "lines_pkey");
	assert_str(n[4].relation, "lines");
	assert_str(n[4].alias, "l");
	assert_str(n[0].relation, NULL);
	assert_str(n[0].alias, NULL);
	assert_str(plan_node_title(&n[2], title, sizeof title),
	    "Parallel Seq Scan on public.orders o");
	assert_str(plan_node_title(&n[4], title, sizeof title),
	    "Index Scan Backward using lines_pkey on public.lines l");
	assert_str(plan_node_title(&n[0], title, sizeof title),
	    "Hash Left Join");
	assert_str(n[0].cond, "(o.id = l.order_id)");
	assert_str(n[2].cond, "(o.status = 1)");
	assert_str(n[4].cond, "(l.id < 200)");
	assert_str(plan_node_prop(&n[0], "Hash Cond"), "(o.id = l.order_id)");
	assert_str(plan_node_prop(&n[1], "Group Key"), "o.id, o.status");
	assert_str(plan_node_prop(&n[0], "No Such Field"), NULL);

	/* Figures. */
	assert_true(n[0].has_cost);
	assert_near(n[0].startup_cost, 10.5);
	assert_near(n[0].total_cost, 250.25);
	assert_near(n[0].plan_rows, 1000);
	assert_near(n[0].plan_width, 16);
	assert_true(n[0].has_actual);
	assert_true(n[0].has_timing);
	assert_false(n[0].never_executed);
	assert_near(n[0].act_startup, 1.5);
	assert_near(n[0].act_total, 20);
	assert_near(n[0].act_rows, 900);
	assert_near(n[0].loops, 1);
	assert_near(n[2].act_rows, 3333);
	assert_near(n[2].rows_removed_filter, 120);
	assert_near(n[3].hash_buckets, 1024);
	assert_near(n[3].hash_buckets_orig, 512);
	assert_near(n[3].hash_batches, 2);
	assert_near(n[3].hash_batches_orig, 1);
	assert_near(n[3].peak_memory_kb, 9);

	/* Buffers, every kind. */
	assert_true(n[0].has_buffers);
	assert_false(n[1].has_buffers);
	assert_near(n[0].buf.shared_hit, 100);
	assert_near(n[0].buf.shared_read, 50);
	assert_near(n[0].buf.shared_dirtied, 2);
	assert_near(n[0].buf.shared_written, 1);
	assert_near(n[0].buf.local_hit, 7);
	assert_near(n[0].buf.local_read, 8);
	assert_near(n[0].buf.local_dirtied, 9);
	assert_near(n[0].buf.local_written, 10);
	assert_near(n[0].buf.temp_read, 3);
	assert_near(n[0].buf.temp_written, 4);
	assert_near(n[0].buf_total, 194);

	/* Self time: 20 - 12 - 2, 12 - 8, 8, 2 - 1.5, 1.5. */
	assert_near(n[0].self_ms, 6);
	assert_near(n[1].self_ms, 4);
	assert_near(n[2].self_ms, 8);
	assert_near(n[3].self_ms, 0.5);
	assert_near(n[4].self_ms, 1.5);
	assert_near(sum_self(p), n[0].incl_ms);
	/* Parallel Aware alone (no Gather above) divides nothing. */
	assert_int_equal(n[2].amb & PLAN_AMB_PARALLEL, 0);
	/* Estimated 10000, actual 3333: 3.0x over. */
	assert_near(n[2].misestimate, 10000.0 / 3333);
	assert_false(n[2].underestimate);
	assert_near(n[1].self_cost, 20);
	plan_free(p);
}

static void
test_json_auto_explain_and_bare(void **state)
{
	struct plan	*p;

	(void)state;
	/* auto_explain logs one object with the query text. */
	p = J("{'Query Text': 'select * from t where x = 1',\n"
	    " 'Plan': {'Node Type': 'Seq Scan', 'Relation Name': 't', "
	    "'Alias': 't',\n"
	    "   'Startup Cost': 0.00, 'Total Cost': 35.50, 'Plan Rows': 11, "
	    "'Plan Width': 4,\n"
	    "   'Actual Startup Time': 0.010, 'Actual Total Time': 0.500,\n"
	    "   'Actual Rows': 10, 'Actual Loops': 1, 'Filter': '(x = 1)'},\n"
	    " 'Triggers': []}");
	assert_int_equal(p->nnodes, 1);
	assert_str(p->query_text, "select * from t where x = 1");
	assert_str(p->nodes[0].label, "Seq Scan");
	assert_str(p->nodes[0].relation, "t");
	assert_near(p->nodes[0].incl_ms, 0.5);
	assert_near(p->total_ms, 0.5);
	assert_true(p->analyzed);
	assert_int_equal(p->ntriggers, 0);
	plan_free(p);

	/* A bare node, without ANALYZE. */
	p = J("{'Node Type': 'Limit', 'Startup Cost': 0, 'Total Cost': 1.5,\n"
	    " 'Plan Rows': 10, 'Plan Width': 4, 'Plans': [\n"
	    "  {'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer',\n"
	    "   'Relation Name': 't', 'Alias': 'x', 'Startup Cost': 0,\n"
	    "   'Total Cost': 35.5, 'Plan Rows': 2550, 'Plan Width': 4}]}");
	assert_int_equal(p->nnodes, 2);
	assert_false(p->analyzed);
	assert_false(p->nodes[0].has_actual);
	assert_true(p->nodes[1].has_cost);
	assert_str(p->nodes[1].alias, "x");
	assert_int_equal(p->nodes[1].parent, 0);
	assert_near(p->nodes[1].self_cost, 35.5);
	/* The child costs more than the Limit: clamped at 0. */
	assert_near(p->nodes[0].self_cost, 0);
	assert_near(p->total_ms, 0);
	assert_int_equal(p->nwarnings, 0);
	plan_free(p);

	/* Through plan_parse(): JSON detected, BOM and blanks skipped. */
	{
		const char	*s = "\xef\xbb\xbf \n [{\"Plan\": {\"Node "
		    "Type\": \"Result\"}}]";
		char		*cause = NULL;

		p = plan_parse("bom.json", s, strlen(s), &cause);
		assert_non_null(p);
		assert_int_equal(p->format, PLAN_JSON);
		assert_str(p->nodes[0].label, "Result");
		plan_free(p);
	}
}

static const char json_framed_body[] =
"[\n"
"  {\n"
"    \"Plan\": {\n"
"      \"Node Type\": \"Seq Scan\",\n"
"      \"Relation Name\": \"t\",\n"
"      \"Alias\": \"t\",\n"
"      \"Total Cost\": 35.50,\n"
"      \"Plan Rows\": 2550,\n"
"      \"Plan Width\": 4,\n"
"      \"Filter\": \"(x > 1)\"\n"
"    },\n"
"    \"Planning Time\": 0.051\n"
"  }\n"
"]\n";

static void
test_json_psql_framed(void **state)
{
	char		*in = psql_cell(json_framed_body, 1, "+");
	struct plan	*p, *q;

	(void)state;
	/* Header, dashes, " +" marks, "(1 row)" footer. */
	assert_contains(in, "QUERY PLAN");
	assert_contains(in, "\"Seq Scan\", +\n");
	assert_contains(in, "(1 row)");
	p = parse_ok(plan_parse_json, "f.json", in, strlen(in));
	assert_int_equal(p->nnodes, 1);
	assert_str(p->nodes[0].label, "Seq Scan");
	assert_str(p->nodes[0].cond, "(x > 1)");
	assert_near(p->nodes[0].total_cost, 35.5);
	assert_near(p->planning_ms, 0.051);
	q = parse_ok(plan_parse, "f.json", in, strlen(in));
	assert_int_equal(q->format, PLAN_JSON);
	assert_same_plan(p, q);
	plan_free(q);
	q = parse_ok(plan_parse_json, "f.json", json_framed_body,
	    strlen(json_framed_body));
	assert_same_plan(p, q);
	plan_free(q);
	plan_free(p);
	free(in);
}

/*
 * psql puts its newline mark right after the padding, so the widest line
 * of the cell ends in "+" with no space before it (line 111 of
 * tests/fixtures/plans/paste-plus.txt); the same for a text plan kept in
 * one cell.
 */
static void
test_plus_mark_on_widest_line(void **state)
{
	char		*in = psql_cell(json_framed_body, 0, "+");
	struct plan	*p, *q;
	size_t		 len;
	char		*buf;
	static const char text[] =
	    "Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)\n"
	    "  Filter: ((x > 1) AND (y < 2) AND (z <> 3) AND (w = 4))\n"
	    "Planning Time: 0.100 ms\n";

	(void)state;
	assert_contains(in, "\"Node Type\": \"Seq Scan\",+\n");
	p = parse_ok(plan_parse, "f.json", in, strlen(in));
	q = parse_ok(plan_parse_json, "f.json", json_framed_body,
	    strlen(json_framed_body));
	assert_same_plan(p, q);
	plan_free(p);
	plan_free(q);
	free(in);

	/* The real paste: JSON of gather_merge in psql's aligned format. */
	buf = fixture("paste-plus.txt", &len);
	p = parse_ok(plan_parse, "paste-plus.txt", buf, len);
	assert_int_equal(p->format, PLAN_JSON);
	assert_int_equal(p->nnodes, 4);
	assert_str(p->nodes[3].cond, "(status <> 'done'::text)");
	plan_free(p);
	free(buf);

	/* A text plan kept in one cell (a table of captured plans). */
	in = psql_cell(text, 0, "+");
	assert_contains(in, "(w = 4))+\n");
	p = parse_ok(plan_parse, "cell.txt", in, strlen(in));
	assert_int_equal(p->nnodes, 1);
	assert_str(p->nodes[0].cond, "((x > 1) AND (y < 2) AND (z <> 3) AND (w "
	    "= 4))");
	assert_near(p->planning_ms, 0.1);
	plan_free(p);
	free(in);
}

/* With \pset linestyle unicode psql marks a cell's lines with "↵". */
static void
test_unicode_newline_mark(void **state)
{
	char		*in;
	struct plan	*p, *q;

	(void)state;
	in = psql_cell(json_framed_body, 1, "\xe2\x86\xb5");
	assert_contains(in, "\"Seq Scan\", \xe2\x86\xb5\n");
	p = parse_ok(plan_parse, "u.json", in, strlen(in));
	q = parse_ok(plan_parse_json, "u.json", json_framed_body,
	    strlen(json_framed_body));
	assert_same_plan(p, q);
	plan_free(p);
	plan_free(q);
	free(in);
}

static void
test_json_triggers_jit(void **state)
{
	struct plan	*p;

	(void)state;
	p = J("[{'Plan': {'Node Type': 'ModifyTable', 'Operation': 'Insert',\n"
	    "  'Relation Name': 'lines', 'Alias': 'lines', " ACT(8, 1)
	    ", 'Plans': [\n"
	    "   {'Node Type': 'Result', 'Parent Relationship': 'Outer', "
	    ACT(0.5, 1) "}]},\n"
	    " 'Planning Time': 0.5,\n"
	    " 'Triggers': [\n"
	    "  {'Trigger Name': 'trg', 'Relation': 't', 'Time': 2.5, "
	    "'Calls': 3},\n"
	    "  {'Trigger Name': 'RI_ConstraintTrigger_c_1', "
	    "'Constraint Name': 'fk',\n"
	    "   'Relation': 'u', 'Time': 1.5, 'Calls': 10}],\n"
	    " 'JIT': {'Functions': 4,\n"
	    "   'Options': {'Inlining': false, 'Optimization': false,\n"
	    "     'Expressions': true, 'Deforming': true},\n"
	    "   'Timing': {'Generation': 1.0, 'Inlining': 2.0,\n"
	    "     'Optimization': 3.0, 'Emission': 4.0, 'Total': 10.0}},\n"
	    " 'Execution Time': 30.0}]");
	assert_str(p->nodes[0].label, "Insert");
	assert_str(p->nodes[0].type, "ModifyTable");
	assert_str(p->nodes[0].relation, "lines");
	assert_int_equal(p->ntriggers, 2);
	assert_str(p->triggers[0].name, "trg");
	assert_str(p->triggers[0].relation, "t");
	assert_near(p->triggers[0].time_ms, 2.5);
	assert_near(p->triggers[0].calls, 3);
	assert_str(p->triggers[1].name, "for constraint fk");
	assert_str(p->triggers[1].relation, "u");
	assert_near(p->triggers[1].time_ms, 1.5);
	assert_near(p->triggers[1].calls, 10);
	assert_near(p->trigger_ms, 4);
	assert_true(p->has_jit);
	assert_near(p->jit_functions, 4);
	assert_near(p->jit_generation_ms, 1);
	assert_near(p->jit_inlining_ms, 2);
	assert_near(p->jit_optimization_ms, 3);
	assert_near(p->jit_emission_ms, 4);
	assert_near(p->jit_total_ms, 10);
	assert_true(p->amb & PLAN_AMB_JIT);
	assert_true(p->nodes[0].amb & PLAN_AMB_JIT);
	assert_int_equal(p->nodes[1].amb & PLAN_AMB_JIT, 0);
	/* Triggers and JIT are shown apart: node time is untouched. */
	assert_near(p->nodes[0].self_ms, 7.5);
	assert_near(p->total_ms, 30);
	plan_free(p);

	/* PostgreSQL 17 nests the parts: {"Deform": .., "Total": ..}. */
	p = J("[{'Plan': {'Node Type': 'Result'},\n"
	    " 'JIT': {'Functions': 2, 'Timing': {\n"
	    "   'Generation': {'Deform': 0.5, 'Total': 1.5}, 'Inlining': 2,\n"
	    "   'Optimization': 3, 'Emission': 4, 'Total': 10.5}}}]");
	assert_near(p->jit_generation_ms, 1.5);
	assert_near(p->jit_total_ms, 10.5);
	assert_true(p->amb & PLAN_AMB_JIT);
	plan_free(p);
}

/* ---- 2. JSON errors ---- */

static void
test_json_errors(void **state)
{
	char		*cause, *s;
	struct plan	*p;
	clock_t		 t0;
	struct strbuf	 sb = STRBUF_INIT;
	int		 i;
	static const char truncated[] =
	    "[\n  {\n    \"Plan\": {\n      \"Node Type\": \"Seq Scan\",\n"
	    "      \"Total Cost\": 1.5";

	(void)state;
	/* Truncated: at the end of line 5 (23 characters long). */
	cause = parse_err(plan_parse_json, "t.json", truncated,
	    strlen(truncated));
	assert_string_equal(cause, "t.json:5:23: '}' expected near end of "
	    "file");
	free(cause);
	cause = parse_err(plan_parse, "t.json", truncated, strlen(truncated));
	assert_string_equal(cause, "t.json:5:23: '}' expected near end of "
	    "file");
	free(cause);

	/* A syntax error in the middle: line 1, column 36. */
	cause = json_err("[{'Plan': {'Node Type': 'Seq Scan',, 'x': 1}}]");
	assert_string_equal(cause,
	    "t.json:1:36: string or '}' expected near ','");
	free(cause);

	/* Not a plan. */
	cause = json_err("{'a':1}");
	assert_string_equal(cause,
	    "t.json: $: not an EXPLAIN plan (no \"Plan\" or \"Node Type\")");
	free(cause);
	cause = json_err("[{'a':1}]");
	assert_string_equal(cause,
	    "t.json: [0]: not an EXPLAIN plan (no \"Plan\" or \"Node Type\")");
	free(cause);
	cause = json_err("[1]");
	assert_string_equal(cause,
	    "t.json: [0]: expected an EXPLAIN plan object, found a number");
	free(cause);
	cause = json_err("'just a string'");
	assert_string_equal(cause,
	    "t.json: $: expected an EXPLAIN plan object, found a string");
	free(cause);
	cause = json_err("[{'Plan': 1}]");
	assert_string_equal(cause,
	    "t.json: [0].Plan: expected a plan node object, found a number");
	free(cause);
	cause = json_err("[{'Plan': {'Node Type': 'Append', "
	    "'Plans': [{'Node Type': 'Result'}, {'Plans': []}]}}]");
	assert_string_equal(cause,
	    "t.json: [0].Plan.Plans[1]: a plan node without \"Node Type\"");
	free(cause);
	cause = json_err("[{'Plan': {'Node Type': 'Append', 'Plans': {}}}]");
	assert_string_equal(cause,
	    "t.json: [0].Plan.\"Plans\": expected an array, found an object");
	free(cause);

	/* Wrong type and negative numbers: the path in the document. */
	cause = json_err("[{'Plan': {'Node Type': 'Limit', 'Plans': [\n"
	    "  {'Node Type': 'Seq Scan', 'Actual Rows': 'x'}]}}]");
	assert_string_equal(cause, "t.json: [0].Plan.Plans[0].\"Actual Rows\": "
	    "expected a number, found a string");
	free(cause);
	cause = json_err("[{'Plan': {'Node Type': 'Limit', 'Plans': [\n"
	    "  {'Node Type': 'Result'},\n"
	    "  {'Node Type': 'Seq Scan', 'Actual Loops': -3}]}}]");
	assert_string_equal(cause, "t.json: [0].Plan.Plans[1].\"Actual "
	    "Loops\": "
	    "expected a number >= 0, found -3");
	free(cause);
	cause = json_err("[{'Plan': {'Node Type': 7}}]");
	assert_string_equal(cause, "t.json: [0].Plan.\"Node Type\": "
	    "expected a string, found a number");
	free(cause);
	cause = json_err("[{'Plan': {'Node Type': 'Result'}, "
	    "'Execution Time': true}]");
	assert_string_equal(cause, "t.json: [0].\"Execution Time\": "
	    "expected a number, found a boolean");
	free(cause);
	cause = json_err("[{'Plan': {'Node Type': 'Result'}, 'Triggers': 5}]");
	assert_string_equal(cause, "t.json: [0].\"Triggers\": "
	    "expected an array, found a number");
	free(cause);

	/* Empty array, empty input (plan_parse treats blank input as text). */
	cause = json_err("[]");
	assert_string_equal(cause, "t.json: $: an empty array, "
	    "not an EXPLAIN plan");
	free(cause);
	cause = parse_err(plan_parse_json, "t.json", "", 0);
	assert_prefix(cause, "t.json:");
	free(cause);
	cause = parse_err(plan_parse, "t.json", "", 0);
	assert_string_equal(cause, "t.json: no plan in the input");
	free(cause);
	cause = parse_err(plan_parse, "t.json", " \n\t\n", 4);
	assert_string_equal(cause, "t.json: no plan in the input");
	free(cause);

	/* Binary (NUL in JSON: bug_json_nul_not_binary). */
	cause = parse_err(plan_parse, "b.bin", "\0\x01\x02", 3);
	assert_string_equal(cause,
	    "b.bin:1:1: binary data (NUL byte), not an EXPLAIN plan");
	free(cause);

	/* Nesting bombs: refused, quickly, without a crash. */
	t0 = clock();
	s = xmalloc(100001);
	memset(s, '[', 100000);
	s[100000] = '\0';
	cause = parse_err(plan_parse, "bomb.json", s, 100000);
	assert_prefix(cause, "bomb.json:1:");
	assert_contains(cause, "depth");
	free(cause);
	free(s);

	strbuf_addstr(&sb, "[{\"Plan\": ");
	for (i = 0; i < 600; i++)
		strbuf_addstr(&sb, "{\"Node Type\": \"Limit\", \"Plans\": [");
	strbuf_addstr(&sb, "{\"Node Type\": \"Result\"}");
	for (i = 0; i < 600; i++)
		strbuf_addstr(&sb, "]}");
	strbuf_addstr(&sb, "}]");
	cause = parse_err(plan_parse, "deep.json", sb.buf, sb.len);
	assert_prefix(cause, "deep.json: [0].Plan.Plans[0].Plans[0]");
	assert_contains(cause, "plan nested deeper than 512 nodes");
	free(cause);

	/* 510 levels are fine. */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "[{\"Plan\": ");
	for (i = 0; i < 510; i++)
		strbuf_addstr(&sb, "{\"Node Type\": \"Limit\", \"Plans\": [");
	strbuf_addstr(&sb, "{\"Node Type\": \"Result\"}");
	for (i = 0; i < 510; i++)
		strbuf_addstr(&sb, "]}");
	strbuf_addstr(&sb, "}]");
	p = parse_ok(plan_parse, "deep.json", sb.buf, sb.len);
	assert_int_equal(p->nnodes, 511);
	assert_int_equal(p->nodes[510].depth, 510);
	plan_free(p);
	strbuf_release(&sb);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
}

/* A framed JSON error is reported at its place in the input. */
static void
test_json_error_place_framed(void **state)
{
	static const char body[] =
	    "[\n"
	    "  {\n"
	    "    \"Plan\": {\n"
	    "      \"Node Type\" \"Seq Scan\"\n"
	    "    }\n"
	    "  }\n"
	    "]\n";
	char		 *framed = psql_cell(body, 1, "+");
	char		 *plain, *c1, *c2, *c3, *boxed, **l;
	int		  l1, k1, l2, k2, l3, k3;
	size_t		  n, i;
	struct strbuf	  sb = STRBUF_INIT;

	(void)state;
	/* Unframed, but with psql's leading space on every line. */
	l = split_lines(body, &n);
	for (i = 0; i < n; i++)
		strbuf_addf(&sb, " %s\n", l[i]);
	free_lines(l, n);
	plain = strbuf_detach(&sb);
	c1 = parse_err(plan_parse_json, "p.json", plain, strlen(plain));
	c2 = parse_err(plan_parse_json, "p.json", framed, strlen(framed));
	assert_int_equal(sscanf(c1, "p.json:%d:%d:", &l1, &k1), 2);
	assert_int_equal(sscanf(c2, "p.json:%d:%d:", &l2, &k2), 2);
	assert_int_equal(l1, 4);
	assert_int_equal(l2, l1 + 2);
	assert_int_equal(k2, k1);
	assert_string_equal(strchr(strchr(strchr(c1, ':') + 1, ':') + 1, ':'),
	    strchr(strchr(strchr(c2, ':') + 1, ':') + 1, ':'));

	/* In a box the border moves the column by one. */
	boxed = psql_frame(body, FRAME_BORDER2);
	c3 = parse_err(plan_parse_json, "p.json", boxed, strlen(boxed));
	assert_int_equal(sscanf(c3, "p.json:%d:%d:", &l3, &k3), 2);
	assert_int_equal(l3, l1 + 3);
	assert_int_equal(k3, k1 + 1);
	free(c1);
	free(c2);
	free(c3);
	free(plain);
	free(framed);
	free(boxed);
}

/*
 * BUG (regression in 1424237, "plain JSON read without unframing"): the
 * NUL check lived in plan_unframe(), which plain JSON now skips.  A NUL
 * in a JSON file gives jansson's "t.json:2:5: control character 0x0
 * near '"No'" (the NUL is at column 6), "[\0]" gives "t.json:1:2:
 * invalid token near end of file", NULs after the plan "end of file
 * expected near end of file": not "binary data", and not its place.
 */
static void
bug_json_nul_not_binary(void **state)
{
	char	*cause;

	(void)state;
	cause = parse_err(plan_parse_json, "t.json",
	    "[{\"Plan\":\n {\"No\0de\"", 18);
	assert_string_equal(cause,
	    "t.json:2:6: binary data (NUL byte), not an EXPLAIN plan");
	free(cause);
	cause = parse_err(plan_parse, "t.json",
	    "[{\"Plan\":\n {\"No\0de\"", 18);
	assert_string_equal(cause,
	    "t.json:2:6: binary data (NUL byte), not an EXPLAIN plan");
	free(cause);
	cause = parse_err(plan_parse, "t.json", "[\0]", 3);
	assert_string_equal(cause,
	    "t.json:1:2: binary data (NUL byte), not an EXPLAIN plan");
	free(cause);
	cause = parse_err(plan_parse, "t.json",
	    "[{\"Plan\": {\"Node Type\": \"Result\"}}]\n\0\0\0", 39);
	assert_string_equal(cause,
	    "t.json:2:1: binary data (NUL byte), not an EXPLAIN plan");
	free(cause);
}

/*
 * BUG: jansson reports column 0 at the start of a line; the message then
 * names "t.json:5:0:" for a file cut after a newline (what `head -n`
 * makes) and "t.json:1:0:" for empty input.  Columns are 1-based
 * everywhere else; column 0 points nowhere.
 */
static void
bug_json_error_column_zero(void **state)
{
	static const char cut[] =
	    "[\n  {\n    \"Plan\": {\n      \"Node Type\": \"Seq Scan\",\n";
	char	*cause;
	int	 l, c;

	(void)state;
	cause = parse_err(plan_parse_json, "t.json", cut, strlen(cut));
	assert_int_equal(sscanf(cause, "t.json:%d:%d:", &l, &c), 2);
	assert_true(l == 4 || l == 5);
	assert_true(c >= 1);
	free(cause);
	cause = parse_err(plan_parse_json, "t.json", "", 0);
	assert_not_contains(cause, ":0:");
	free(cause);
	cause = parse_err(plan_parse_json, "t.json", "\n\n", 2);
	assert_not_contains(cause, ":0:");
	free(cause);
}

/* Every prefix of a real plan: a plan or a message naming the input. */
static void
test_truncated_fixtures(void **state)
{
	static const char *const names[] = {
		"initplan.json", "initplan.txt", "paste-border2.txt",
		"insert_triggers.txt",
	};
	size_t	i, k, len;

	(void)state;
	for (i = 0; i < sizeof names / sizeof *names; i++) {
		char	*buf = fixture(names[i], &len);

		for (k = 0; k < len; k += 7) {
			char		*cause = NULL;
			struct plan	*p;

			p = plan_parse("cut", buf, k, &cause);
			if (p == NULL) {
				assert_non_null(cause);
				assert_prefix(cause, "cut:");
				assert_null(strchr(cause, '\n'));
				free(cause);
			} else {
				struct strbuf	   sb = STRBUF_INIT;
				struct plan_diff  *d;

				assert_null(cause);
				plan_print(p, "cut", &sb);
				d = plan_diff_new(p, p);
				assert_int_equal(d->nrows, p->nnodes);
				plan_diff_free(d);
				strbuf_release(&sb);
				plan_free(p);
			}
		}
		free(buf);
	}
}

/* ---- 3. text parser ---- */

static void
check_text_big(const struct plan *p)
{
	const struct plan_node	*n = p->nodes;
	char			 title[256];

	assert_int_equal(p->format, PLAN_TEXT);
	assert_int_equal(p->nnodes, 10);
	assert_true(p->analyzed);

	assert_str(n[0].label, "Hash Left Join");
	assert_str(n[0].type, "Hash Join");
	assert_str(n[0].join_type, "Left");
	assert_near(n[0].startup_cost, 10.5);
	assert_near(n[0].total_cost, 250.25);
	assert_near(n[0].plan_rows, 1000);
	assert_near(n[0].plan_width, 16);
	assert_near(n[0].act_startup, 1.5);
	assert_near(n[0].act_total, 20);
	assert_near(n[0].act_rows, 900);
	assert_near(n[0].loops, 1);
	assert_str(n[0].cond, "(o.id = l.order_id)");
	assert_true(n[0].has_buffers);
	assert_near(n[0].buf.shared_hit, 100);
	assert_near(n[0].buf.shared_read, 50);
	assert_near(n[0].buf.shared_dirtied, 2);
	assert_near(n[0].buf.shared_written, 1);
	assert_near(n[0].buf.local_hit, 7);
	assert_near(n[0].buf.local_read, 8);
	assert_near(n[0].buf.local_dirtied, 9);
	assert_near(n[0].buf.local_written, 10);
	assert_near(n[0].buf.temp_read, 3);
	assert_near(n[0].buf.temp_written, 4);
	assert_int_equal(n[0].nkids, 4);

	/* InitPlan and CTE headers name the node below them. */
	assert_str(n[1].label, "Result");
	assert_str(n[1].subplan, "InitPlan 1 (returns $0)");
	assert_str(n[1].rel_kind, "InitPlan");
	assert_int_equal(n[1].parent, 0);
	assert_str(n[2].subplan, "CTE big");
	assert_str(n[2].rel_kind, "InitPlan");
	assert_str(n[2].relation, "big_src");
	assert_int_equal(n[2].parent, 0);

	/* Multi-field lines; a worker's line is the worker's. */
	assert_str(n[3].label, "Sort");
	assert_str(n[3].rel_kind, "Outer");
	assert_str(n[3].subplan, NULL);
	assert_str(n[3].sort_method, "external merge");
	assert_str(n[3].sort_space_type, "Disk");
	assert_near(n[3].sort_space_kb, 1234);
	assert_str(plan_node_prop(&n[3], "Sort Key"), "o.id");
	assert_str(plan_node_prop(&n[3], "Worker 0"),
	    "Sort Method: quicksort  Memory: 25kB");
	assert_str(plan_node_prop(&n[3], "Disk"), "1234kB");

	assert_str(n[4].label, "Gather");
	assert_near(n[4].workers_planned, 2);
	assert_near(n[4].workers_launched, 1);
	assert_true(n[4].has_workers_launched);

	assert_str(n[5].label, "Parallel Seq Scan");
	assert_str(n[5].type, "Seq Scan");
	assert_str(n[5].relation, "orders");
	assert_str(n[5].schema, "public");
	assert_str(n[5].alias, "o");
	assert_near(n[5].loops, 2);
	assert_near(n[5].act_rows, 1667);
	assert_near(n[5].rows_removed_filter, 120);
	assert_str(n[5].cond, "((o.status = 1) AND (o.x = $0) AND (o.y = "
	    "(SubPlan 2)))");
	assert_str(plan_node_title(&n[5], title, sizeof title),
	    "Parallel Seq Scan on public.orders o");

	assert_str(n[6].label, "CTE Scan");
	assert_str(n[6].subplan, "SubPlan 2");
	assert_str(n[6].rel_kind, "SubPlan");
	assert_str(n[6].cte, "big");
	assert_str(n[6].relation, NULL);
	assert_int_equal(n[6].parent, 5);
	assert_near(n[6].loops, 10);

	assert_str(n[7].label, "Hash");
	assert_str(n[7].rel_kind, "Inner");
	assert_near(n[7].hash_buckets, 1024);
	assert_near(n[7].hash_buckets_orig, 512);
	assert_near(n[7].hash_batches, 4);
	assert_near(n[7].hash_batches_orig, 1);
	assert_near(n[7].peak_memory_kb, 9);

	assert_str(n[8].label, "Bitmap Heap Scan");
	assert_str(n[8].relation, "lines");
	assert_str(n[8].alias, "l");
	assert_near(n[8].exact_blocks, 5);
	assert_near(n[8].lossy_blocks, 10);
	assert_near(n[8].rows_removed_recheck, 35);
	assert_str(n[8].cond, "(l.id < 200)");
	assert_str(n[9].label, "Bitmap Index Scan");
	assert_str(n[9].index, "lines_pkey");
	assert_str(n[9].relation, NULL);
	assert_str(plan_node_title(&n[9], title, sizeof title),
	    "Bitmap Index Scan on lines_pkey");

	/* The plan's own lines. */
	assert_true(p->has_planning);
	assert_near(p->planning_ms, 0.25);
	assert_near(p->planning_buf.shared_hit, 113);
	assert_near(p->planning_buf.shared_read, 2);
	assert_true(p->has_execution);
	assert_near(p->execution_ms, 21.5);
	assert_near(p->total_ms, 21.5);
	assert_int_equal(p->ntriggers, 2);
	assert_str(p->triggers[0].name, "for constraint fk");
	assert_str(p->triggers[0].relation, NULL);
	assert_near(p->triggers[0].time_ms, 1.5);
	assert_near(p->triggers[0].calls, 10);
	assert_str(p->triggers[1].name, "trg");
	assert_str(p->triggers[1].relation, "t");
	assert_near(p->triggers[1].time_ms, 2.25);
	assert_near(p->triggers[1].calls, 3);
	assert_near(p->trigger_ms, 3.75);
	assert_true(p->has_jit);
	assert_near(p->jit_functions, 8);
	assert_near(p->jit_generation_ms, 0.92);
	assert_near(p->jit_inlining_ms, 0);
	assert_near(p->jit_optimization_ms, 0.5);
	assert_near(p->jit_emission_ms, 4);
	assert_near(p->jit_total_ms, 5.42);
	assert_true(p->amb & PLAN_AMB_JIT);

	/* The InitPlan's $0 is used by the Parallel Seq Scan. */
	assert_int_equal(n[1].charged_to, 5);
	assert_int_equal(n[2].charged_to, 6);
	assert_true(n[5].amb & PLAN_AMB_PARALLEL);
	assert_true(n[6].amb & PLAN_AMB_PARALLEL);
}

static void
test_text_plain(void **state)
{
	char		*in = JOIN(text_big);
	struct plan	*p = T(in);

	(void)state;
	check_text_big(p);
	/* Input lines of the nodes. */
	assert_int_equal(p->nodes[0].line, 1);
	assert_int_equal(p->nodes[1].line, 5);
	assert_int_equal(p->nodes[5].line, 15);
	assert_int_equal(p->nodes[9].line, 26);
	plan_free(p);
	free(in);
}

/* psql default, border 2 ASCII and Unicode: the same plan. */
static void
test_text_frames(void **state)
{
	char		*in = JOIN(text_big);
	struct plan	*ref = T(in), *p;
	static const enum frame frames[] = {
		FRAME_BORDER1, FRAME_BORDER2, FRAME_UNICODE2
	};
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof frames / sizeof *frames; i++) {
		char	*f = psql_frame(in, frames[i]);

		p = parse_ok(plan_parse, "f.txt", f, strlen(f));
		check_text_big(p);
		assert_same_plan(ref, p);
		/* The header and the separator come first. */
		assert_int_equal(p->nodes[0].line,
		    frames[i] == FRAME_BORDER1 ? 3 : 4);
		plan_free(p);
		free(f);
	}
	plan_free(ref);
	free(in);
}

/* Lines a terminal of 80 columns broke, framed and not; tabs. */
static void
test_text_wrapped_and_tabs(void **state)
{
	char		*in = JOIN(text_big);
	struct plan	*ref = T(in), *p;
	char		*f, *w;

	(void)state;
	/* No frame, the terminal: tails at column 0. */
	w = fold80(in);
	assert_contains(in, "20.000 rows=900 loops=1)\n");
	assert_not_contains(w, "20.000 rows=900 loops=1)\n");
	p = parse_ok(plan_parse, "w.txt", w, strlen(w));
	assert_same_plan(ref, p);
	plan_free(p);
	free(w);

	/* Tabs for the leading spaces, in the frame. */
	f = psql_frame(in, FRAME_BORDER1);
	w = tabify(f);
	assert_contains(w, "\n\t ->  Gather");
	p = parse_ok(plan_parse, "t.txt", w, strlen(w));
	assert_same_plan(ref, p);
	plan_free(p);
	free(w);
	free(f);

	/* psql's frame, the terminal (see also bug_wrap_after_space). */
	f = psql_frame("Hash Join  (cost=1.00..2.00 rows=1 width=4) (actual "
	    "time=0.100..0.200 rows=1 loops=1)\n"
	    "  ->  Seq Scan on a  (cost=0.00..1.00 rows=1 width=4) (actual "
	    "time=0.010..0.020 rows=1 loops=1)\n"
	    "  ->  Hash  (cost=0.00..1.00 rows=1 width=4) (actual "
	    "time=0.050..0.050 rows=1 loops=1)\n"
	    "        ->  Seq Scan on b  (cost=0.00..1.00 rows=1 width=4) "
	    "(actual time=0.010..0.020 rows=1 loops=1)\n"
	    "Execution Time: 0.300 ms\n", FRAME_BORDER1);
	w = fold80(f);
	free(f);
	assert_contains(w, "\nops=1)\n");
	assert_contains(w, "\n rows=1 loops=1)\n");
	assert_contains(w, "\n.0.020 rows=1 loops=1)\n");
	p = parse_ok(plan_parse, "w.txt", w, strlen(w));
	assert_int_equal(p->nnodes, 4);
	assert_str(p->nodes[3].relation, "b");
	assert_near(p->nodes[3].loops, 1);
	assert_near(p->nodes[3].act_total, 0.02);
	assert_near(p->execution_ms, 0.3);
	plan_free(p);
	free(w);

	/* No frame, tabs. */
	w = tabify(in);
	p = parse_ok(plan_parse, "t.txt", w, strlen(w));
	assert_same_plan(ref, p);
	plan_free(p);
	free(w);

	/* A tab that is not at a multiple of 8 still expands to the stop. */
	p = T("Limit  (cost=0.00..1.00 rows=1 width=4)\r\n"
	    "  ->  Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)\r\n"
	    " \tFilter: (x > 1)\r\n"
	    "\r\n");
	assert_int_equal(p->nnodes, 2);
	assert_str(p->nodes[1].cond, "(x > 1)");
	plan_free(p);

	plan_free(ref);
	free(in);
}

/* The paste variants captured from psql: the same plan as gather_merge. */
static void
test_text_paste_fixtures(void **state)
{
	struct plan	*ref = FIXTURE("gather_merge.txt"), *p;
	const struct plan_node *n;

	(void)state;
	n = ref->nodes;
	assert_int_equal(ref->nnodes, 4);
	assert_str(n[0].label, "Limit");
	assert_str(n[1].label, "Gather Merge");
	assert_near(n[1].workers_planned, 2);
	assert_near(n[1].workers_launched, 2);
	assert_str(n[2].label, "Sort");
	assert_str(n[2].sort_method, "top-N heapsort");
	assert_str(n[2].sort_space_type, "Memory");
	assert_non_null(plan_node_prop(&n[2], "Worker 0"));
	assert_non_null(plan_node_prop(&n[2], "Worker 1"));
	assert_str(n[3].label, "Parallel Seq Scan");
	assert_str(n[3].relation, "orders");
	assert_near(n[3].loops, 3);
	assert_true(n[3].act_rows > 0);
	assert_true(n[3].rows_removed_filter > 0);
	assert_true(n[3].amb & PLAN_AMB_PARALLEL);
	assert_true(n[2].amb & PLAN_AMB_PARALLEL);
	assert_int_equal(n[1].amb & PLAN_AMB_PARALLEL, 0);
	/* Sort and scan ran in 3 processes: loops 3, divided by 3. */
	assert_near(n[3].incl_ms, n[3].act_total);
	assert_near(n[2].incl_ms, n[2].act_total);
	assert_true(ref->has_planning);
	assert_true(ref->has_execution);

	/* fold -w 80 and unexpand of the same file: exactly the same plan. */
	p = FIXTURE("paste-wrapped.txt");
	assert_same_plan(ref, p);
	plan_free(p);
	p = FIXTURE("paste-tabs.txt");
	assert_same_plan(ref, p);
	plan_free(p);

	/* Border 2, ASCII and Unicode: another run of the same statement. */
	p = FIXTURE("paste-border2.txt");
	assert_int_equal(p->nnodes, 4);
	assert_str(p->nodes[3].label, "Parallel Seq Scan");
	assert_near(p->nodes[3].rows_removed_filter, n[3].rows_removed_filter);
	assert_str(p->nodes[2].sort_method, "top-N heapsort");
	assert_true(p->has_execution);
	assert_true(p->planning_buf.shared_hit > 0);
	plan_free(p);
	p = FIXTURE("paste-unicode.txt");
	assert_int_equal(p->nnodes, 4);
	assert_str(p->nodes[1].label, "Gather Merge");
	assert_near(p->nodes[3].loops, 3);
	assert_true(p->has_execution);
	plan_free(p);
	plan_free(ref);
}

/*
 * BUG: a line broken by the terminal right after a space loses that
 * space: lines are right-trimmed before the tail is joined to them.
 * "Seq Scan on \n" + "t  (cost=...)" gives "Seq Scan ont" with no
 * relation; "(SubPlan \n" + "2)" gives "(SubPlan2)".  fold -w 80 (and a
 * terminal's hard breaks) keep the space; roughly one cut in six lands
 * after one.  Framed and unframed alike.
 */
static void
bug_wrap_after_space(void **state)
{
	char		*in = JOIN(text_big), *w, *f;
	struct plan	*ref = T(in), *p;
	static const char cut[] =
	    "Seq Scan on \n"
	    "t  (cost=0.00..1.00 rows=1 width=4)\n"
	    "  Filter: ((a > 1) AND \n"
	    "(b < 2))\n";
	static const char framed[] =
	    " QUERY PLAN\n"
	    "------------\n"
	    " Seq Scan on \n"
	    "t  (cost=0.00..1.00 rows=1 width=4)\n"
	    "   Filter: ((a > 1) AND \n"
	    "(b < 2))\n"
	    "(2 rows)\n";

	(void)state;
	p = T(cut);
	assert_str(p->nodes[0].label, "Seq Scan");
	assert_str(p->nodes[0].relation, "t");
	assert_str(p->nodes[0].cond, "((a > 1) AND (b < 2))");
	plan_free(p);
	p = parse_ok(plan_parse, "f.txt", framed, strlen(framed));
	assert_str(p->nodes[0].relation, "t");
	assert_str(p->nodes[0].cond, "((a > 1) AND (b < 2))");
	plan_free(p);

	/* text_big framed at 80 columns: line 16 is cut after "(SubPlan ". */
	f = psql_frame(in, FRAME_BORDER1);
	w = fold80(f);
	free(f);
	assert_contains(w, "(SubPlan \n2)))\n");
	p = parse_ok(plan_parse, "w.txt", w, strlen(w));
	assert_same_plan(ref, p);
	plan_free(p);
	free(w);
	plan_free(ref);
	free(in);
}

/*
 * BUG: the text parser joins every line that starts nothing to the line
 * above, the root's line too: after blank lines, or after the blank tail
 * of a QUERY PLAN header that the terminal wrapped, the root node takes
 * that line's number (paste-wrapped.txt: root on line 5, reported on
 * line 2), and so do messages about it.
 */
static void
bug_root_line_number(void **state)
{
	struct plan	*p;
	char		*cause;
	static const char blank[] =
	    "\n"
	    "\n"
	    "Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)\n"
	    "  Filter: (x > 1)\n";

	(void)state;
	p = T(blank);
	assert_int_equal(p->nodes[0].line, 3);
	plan_free(p);
	p = FIXTURE("paste-wrapped.txt");
	assert_int_equal(p->nodes[0].line, 5);
	assert_int_equal(p->nodes[1].line, 8);
	plan_free(p);
	cause = parse_err(plan_parse, "t.txt", "\n\nhello world\n", 14);
	assert_prefix(cause, "t.txt:3:1: ");
	free(cause);
}

/*
 * BUG: border 2 output broken by an 80-column terminal.  Half of the
 * content lines then start without "|", bordered*2 > content fails, the
 * frame is taken for border 1 and the result is a silent 1-node plan
 * "|| Limit" (fold -w 80 tests/fixtures/plans/paste-border2.txt |
 * pgdeck explain --print -).
 */
static void
bug_border2_wrapped(void **state)
{
	char		*in = JOIN(text_big), *f, *w, *buf;
	struct plan	*ref = T(in), *p, *q;
	size_t		 len;

	(void)state;
	f = psql_frame(in, FRAME_BORDER2);
	w = fold80(f);
	p = parse_ok(plan_parse, "w.txt", w, strlen(w));
	assert_same_plan(ref, p);
	plan_free(p);
	free(w);
	free(f);
	f = psql_frame(in, FRAME_UNICODE2);
	w = fold80(f);
	p = parse_ok(plan_parse, "w.txt", w, strlen(w));
	assert_same_plan(ref, p);
	plan_free(p);
	free(w);
	free(f);

	buf = fixture("paste-border2.txt", &len);
	w = fold80(buf);
	q = FIXTURE("paste-border2.txt");
	p = parse_ok(plan_parse, "paste-border2.txt", w, strlen(w));
	assert_same_plan(q, p);
	plan_free(p);
	plan_free(q);
	free(w);
	free(buf);
	plan_free(ref);
	free(in);
}

/*
 * A paste with psql's prompts: "db=# EXPLAIN ..." and the statement's
 * continuation lines above the table, the next prompt below it.  They
 * are no part of the plan, and the root is no tail of the statement:
 * framed (the table runs from its header to its footer), in unaligned
 * format, and with no header at all (\t).
 */
static void
test_text_psql_prompt(void **state)
{
	static const char framed[] =
	    "db=# EXPLAIN SELECT *\n"
	    "db-#   FROM t WHERE x > 1;\n"
	    "                   QUERY PLAN\n"
	    "-------------------------------------------------\n"
	    " Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)\n"
	    "   Filter: (x > 1)\n"
	    "(2 rows)\n"
	    "\n"
	    "db=# \n";
	static const char unaligned[] =
	    "db=*> EXPLAIN SELECT * FROM t WHERE x > 1;\n"
	    "QUERY PLAN\n"
	    "Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)\n"
	    "  Filter: (x > 1)\n"
	    "(2 rows)\n";
	static const char bare[] =
	    "db=# EXPLAIN SELECT * FROM t WHERE x > 1;\n"
	    "Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)\n"
	    "  Filter: (x > 1)\n";
	char		*json;
	struct plan	*p;

	(void)state;
	p = parse_ok(plan_parse, "p.txt", framed, strlen(framed));
	assert_int_equal(p->nnodes, 1);
	assert_str(p->nodes[0].label, "Seq Scan");
	assert_str(p->nodes[0].relation, "t");
	assert_str(p->nodes[0].cond, "(x > 1)");
	assert_int_equal(p->nodes[0].line, 5);
	assert_int_equal(p->nprops, 0);
	plan_free(p);
	p = parse_ok(plan_parse, "p.txt", unaligned, strlen(unaligned));
	assert_str(p->nodes[0].relation, "t");
	assert_int_equal(p->nodes[0].line, 3);
	plan_free(p);
	p = parse_ok(plan_parse, "p.txt", bare, strlen(bare));
	assert_str(p->nodes[0].label, "Seq Scan");
	assert_str(p->nodes[0].cond, "(x > 1)");
	assert_int_equal(p->nodes[0].line, 2);
	plan_free(p);

	/* EXPLAIN (FORMAT JSON) in its cell, between two prompts. */
	json = psql_cell(json_framed_body, 1, "+");
	{
		struct strbuf	sb = STRBUF_INIT;

		strbuf_addf(&sb, "db=# EXPLAIN (FORMAT JSON) SELECT 1;\n%s"
		    "db=# \n", json);
		p = parse_ok(plan_parse, "p.json", sb.buf, sb.len);
		assert_int_equal(p->format, PLAN_JSON);
		assert_str(p->nodes[0].cond, "(x > 1)");
		plan_free(p);
		strbuf_release(&sb);
	}
	free(json);
}

/*
 * Border 2 broken by a terminal, the hard cases: a tail that starts
 * with "|" because the text has one there ("a || b" cut after the first
 * bar, and the piece before ends in " |" as a whole line does), the
 * header's "QUERY PLAN" cut in two, a separator's last piece a lone
 * "+".  The plan is 52 columns wide, the terminals 17 and 25.
 */
static void
test_text_border2_wrapped_edges(void **state)
{
	static const char at17[] =
	    "+----------------\n"
	    "-----------------\n"
	    "----------------+\n"
	    "|                \n"
	    "   QUERY PLAN    \n"
	    "                |\n"
	    "+----------------\n"
	    "-----------------\n"
	    "----------------+\n"
	    "| Seq Scan on t  \n"
	    "(cost=0.00..1.00 \n"
	    "rows=1 width=4) |\n"
	    "|   Filter: ((a |\n"
	    "| b) = 'x'::text)\n"
	    "                |\n"
	    "+----------------\n"
	    "-----------------\n"
	    "----------------+\n"
	    "(2 rows)\n";
	static const char at25[] =
	    "+------------------------\n"
	    "-------------------------\n"
	    "+\n"
	    "|                   QUERY\n"
	    " PLAN                    \n"
	    "|\n"
	    "+------------------------\n"
	    "-------------------------\n"
	    "+\n"
	    "| Seq Scan on t  (cost=0.\n"
	    "00..1.00 rows=1 width=4) \n"
	    "|\n"
	    "|   Filter: ((a || b) = '\n"
	    "x'::text)                \n"
	    "|\n"
	    "+------------------------\n"
	    "-------------------------\n"
	    "+\n"
	    "(2 rows)\n";
	const char	*in[] = { at17, at25 };
	struct plan	*p;
	size_t		 i;

	(void)state;
	assert_contains(at17, "\n|   Filter: ((a |\n| b) = ");
	assert_contains(at25, "\n|                   QUERY\n PLAN ");
	for (i = 0; i < 2; i++) {
		p = parse_ok(plan_parse, "b.txt", in[i], strlen(in[i]));
		assert_int_equal(p->nnodes, 1);
		assert_str(p->nodes[0].relation, "t");
		assert_near(p->nodes[0].total_cost, 1);
		assert_str(p->nodes[0].cond, "((a || b) = 'x'::text)");
		assert_int_equal(p->nodes[0].line, 10);
		plan_free(p);
	}
}

static void
test_text_timing_costs_never(void **state)
{
	struct plan	*p;

	(void)state;
	/* TIMING OFF: rows and loops, no times. */
	p = T("Aggregate  (cost=1.00..2.00 rows=1 width=8) (actual rows=1 "
	    "loops=1)\n"
	    "  ->  Seq Scan on t  (cost=0.00..1.00 rows=10 width=0) (actual "
	    "rows=10 loops=1)\n"
	    "Planning Time: 0.100 ms\n"
	    "Execution Time: 0.300 ms\n");
	assert_true(p->analyzed);
	assert_true(p->nodes[1].has_actual);
	assert_false(p->nodes[1].has_timing);
	assert_near(p->nodes[1].act_rows, 10);
	assert_near(p->nodes[1].loops, 1);
	assert_near(p->nodes[1].incl_ms, 0);
	assert_near(p->nodes[0].self_ms, 0);
	assert_near(p->total_ms, 0.3);
	plan_free(p);

	/* COSTS OFF, no ANALYZE. */
	p = T("Hash Join\n"
	    "  Hash Cond: (a.id = b.id)\n"
	    "  ->  Seq Scan on a\n"
	    "  ->  Hash\n"
	    "        ->  Seq Scan on b\n");
	assert_int_equal(p->nnodes, 4);
	assert_false(p->analyzed);
	assert_false(p->nodes[0].has_cost);
	assert_false(p->nodes[0].has_actual);
	assert_str(p->nodes[0].label, "Hash Join");
	assert_str(p->nodes[2].rel_kind, "Inner");
	assert_str(p->nodes[3].relation, "b");
	assert_int_equal(p->nodes[3].parent, 2);
	plan_free(p);

	/* (never executed), with and without costs. */
	p = T("Nested Loop  (cost=0.00..2.00 rows=1 width=8) (actual "
	    "time=0.010..0.011 rows=0 loops=1)\n"
	    "  ->  Seq Scan on a  (cost=0.00..1.00 rows=1 width=4) (actual "
	    "time=0.009..0.010 rows=0 loops=1)\n"
	    "  ->  Index Scan using b_pkey on b  (cost=0.15..1.00 rows=1 "
	    "width=4) (never executed)\n"
	    "        Index Cond: (id = a.id)\n"
	    "        ->  Seq Scan on c (never executed)\n");
	assert_int_equal(p->nnodes, 4);
	assert_true(p->nodes[2].never_executed);
	assert_true(p->nodes[2].has_actual);
	assert_true(p->nodes[2].has_cost);
	assert_near(p->nodes[2].plan_rows, 1);
	assert_str(p->nodes[2].index, "b_pkey");
	assert_str(p->nodes[2].relation, "b");
	assert_str(p->nodes[2].label, "Index Scan");
	assert_near(p->nodes[2].incl_ms, 0);
	assert_true(p->nodes[3].never_executed);
	assert_str(p->nodes[3].relation, "c");
	assert_false(p->nodes[1].never_executed);
	assert_near(p->nodes[0].misestimate, 1);
	plan_free(p);
}

/* Lines that carry several fields, and the Buffers line of each kind. */
static void
test_text_multi_fields(void **state)
{
	struct plan	*p;

	(void)state;
	p = T("Gather  (cost=1.00..2.00 rows=1 width=8) (actual "
	    "time=0.100..9.000 rows=1 loops=1)\n"
	    "  Workers Planned: 4\n"
	    "  Workers Launched: 3\n"
	    "  Buffers: local hit=1 read=2 dirtied=3 written=4\n"
	    "  I/O Timings: shared read=1.250 write=0.500\n"
	    "  ->  Sort  (cost=1.00..2.00 rows=1 width=8) (actual "
	    "time=5.000..6.000 rows=1 loops=4)\n"
	    "        Sort Key: a\n"
	    "        Sort Method: external merge  Disk: 1234kB\n"
	    "        Buffers: temp read=9 written=10\n"
	    "        Worker 0:  Sort Method: external merge  Disk: 999kB\n"
	    "        ->  Hash  (cost=1.00..2.00 rows=1 width=8) (actual "
	    "time=1.000..1.000 rows=1 loops=4)\n"
	    "              Buckets: 65536 (originally 1024)  Batches: 16 "
	    "(originally 2)  Memory Usage: 4097kB\n"
	    "              ->  Seq Scan on t  (cost=0.00..1.00 rows=1 width=8) "
	    "(actual time=0.010..0.500 rows=1 loops=4)\n");
	assert_int_equal(p->nnodes, 4);
	assert_near(p->nodes[0].workers_planned, 4);
	assert_near(p->nodes[0].workers_launched, 3);
	assert_near(p->nodes[0].buf.local_hit, 1);
	assert_near(p->nodes[0].buf.local_read, 2);
	assert_near(p->nodes[0].buf.local_dirtied, 3);
	assert_near(p->nodes[0].buf.local_written, 4);
	assert_near(p->nodes[0].buf.shared_hit, 0);
	assert_near(p->nodes[0].io_read_ms, 1.25);
	assert_near(p->nodes[0].io_write_ms, 0.5);
	assert_str(p->nodes[1].sort_method, "external merge");
	assert_str(p->nodes[1].sort_space_type, "Disk");
	assert_near(p->nodes[1].sort_space_kb, 1234);
	assert_near(p->nodes[1].buf.temp_read, 9);
	assert_near(p->nodes[1].buf.temp_written, 10);
	assert_near(p->nodes[2].hash_buckets, 65536);
	assert_near(p->nodes[2].hash_buckets_orig, 1024);
	assert_near(p->nodes[2].hash_batches, 16);
	assert_near(p->nodes[2].hash_batches_orig, 2);
	assert_near(p->nodes[2].peak_memory_kb, 4097);
	/* Gather, 3 workers: everything below divided by 4. */
	assert_near(p->nodes[1].incl_ms, 6);
	assert_near(p->nodes[3].incl_ms, 0.5);
	assert_near(p->nodes[0].self_ms, 3);
	assert_true(find_warning(p, PLAN_W_WORKERS, 0) >= 0);
	assert_true(find_warning(p, PLAN_W_DISK_SORT, 1) >= 0);
	assert_true(find_warning(p, PLAN_W_HASH_BATCHES, 2) >= 0);
	plan_free(p);
}

/*
 * Every field of a line of several, also after a key that does not
 * start such lines (found here, fixed in 09e7253): Disk Usage after
 * Memory Usage, Evictions and Overflows after Misses.
 */
static void
test_text_multi_field_tail(void **state)
{
	struct plan	*p, *q;

	(void)state;
	p = T("HashAggregate  (cost=1.00..2.00 rows=10 width=8) (actual "
	    "time=1.000..9.000 rows=10 loops=1)\n"
	    "  Group Key: a\n"
	    "  Planned Partitions: 4  Batches: 85  Memory Usage: 141kB  Disk "
	    "Usage: 7408kB\n"
	    "  ->  Seq Scan on t  (cost=0.00..1.00 rows=1 width=8) (actual "
	    "time=0.010..0.500 rows=1 loops=1)\n"
	    "  ->  Memoize  (cost=0.29..0.30 rows=1 width=10) (actual "
	    "time=0.000..0.000 rows=1 loops=21000)\n"
	    "        Cache Key: l.product_id\n"
	    "        Hits: 20000  Misses: 1000  Evictions: 5  Overflows: 2  "
	    "Memory Usage: 110kB\n");
	assert_near(p->nodes[0].hashagg_batches, 85);
	assert_near(p->nodes[0].peak_memory_kb, 141);
	assert_near(p->nodes[0].disk_usage_kb, 7408);
	assert_near(p->nodes[2].cache_hits, 20000);
	assert_near(p->nodes[2].cache_misses, 1000);
	assert_str(plan_node_prop(&p->nodes[2], "Misses"), "1000");
	assert_near(p->nodes[2].cache_evictions, 5);
	assert_near(p->nodes[2].cache_overflows, 2);
	assert_near(p->nodes[2].peak_memory_kb, 110);
	plan_free(p);

	/* The captured pair agrees. */
	p = FIXTURE("hashagg_spill.json");
	q = FIXTURE("hashagg_spill.txt");
	assert_true(p->nodes[0].disk_usage_kb > 0);
	assert_near(q->nodes[0].disk_usage_kb, p->nodes[0].disk_usage_kb);
	plan_free(p);
	plan_free(q);
	p = FIXTURE("memoize.json");
	q = FIXTURE("memoize.txt");
	assert_str(p->nodes[4].label, "Memoize");
	assert_near(q->nodes[4].peak_memory_kb, p->nodes[4].peak_memory_kb);
	plan_free(p);
	plan_free(q);
}

/*
 * EXPLAIN (ANALYZE, VERBOSE) of a parallel plan prints a worker's block:
 * "Worker 0:  actual time=..." and its other lines one stop deeper.
 * They are the worker's, not added to the node's own figures (found
 * here, fixed in 1424237).
 */
static void
test_text_verbose_workers(void **state)
{
	struct plan	*p;

	(void)state;
	p = T("Gather  (cost=1000.00..5000.00 rows=100 width=8) (actual "
	    "time=1.000..40.000 rows=100 loops=1)\n"
	    "  Output: id\n"
	    "  Workers Planned: 2\n"
	    "  Workers Launched: 2\n"
	    "  Buffers: shared hit=2488\n"
	    "  ->  Parallel Seq Scan on public.orders  (cost=0.00..3537.26 "
	    "rows=42 width=8) (actual time=0.017..30.000 rows=33 loops=3)\n"
	    "        Output: id\n"
	    "        Filter: (orders.status <> 'done'::text)\n"
	    "        Rows Removed by Filter: 16667\n"
	    "        Buffers: shared hit=2488\n"
	    "        Worker 0:  actual time=0.020..29.000 rows=30 loops=1\n"
	    "          Buffers: shared hit=800\n"
	    "        Worker 1:  actual time=0.021..29.500 rows=31 loops=1\n"
	    "          Buffers: shared hit=790\n"
	    "Planning Time: 0.100 ms\n"
	    "Execution Time: 41.000 ms\n");
	assert_int_equal(p->nnodes, 2);
	assert_near(p->nodes[1].buf.shared_hit, 2488);
	assert_near(p->nodes[1].act_total, 30);
	assert_near(p->nodes[1].loops, 3);
	assert_near(p->nodes[1].rows_removed_filter, 16667);
	assert_non_null(plan_node_prop(&p->nodes[1], "Worker 0"));
	assert_near(p->execution_ms, 41);
	plan_free(p);
}

/*
 * Quoted names unquoted as JSON has them, so that a JSON plan and the
 * text plan of one statement diff clean (found here, fixed in 09e7253).
 */
static void
test_text_quoted_names(void **state)
{
	static const char *const pairs[] = {
		"hashsetop_except", "setop_intersect", "values_scan",
	};
	struct plan	*p;
	size_t		 i;

	(void)state;
	p = T("Seq Scan on \"My Schema\".\"My Table\" \"t x\"  "
	    "(cost=0.00..1.00 rows=1 width=4)\n");
	assert_str(p->nodes[0].schema, "My Schema");
	assert_str(p->nodes[0].relation, "My Table");
	assert_str(p->nodes[0].alias, "t x");
	plan_free(p);
	for (i = 0; i < sizeof pairs / sizeof *pairs; i++) {
		char			*a = xstrfmt("%s.json", pairs[i]);
		char			*b = xstrfmt("%s.txt", pairs[i]);
		struct plan		*pa = FIXTURE(a), *pb = FIXTURE(b);
		struct plan_diff	*d = plan_diff_new(pa, pb);

		assert_int_equal(d->nadded, 0);
		assert_int_equal(d->ngone, 0);
		assert_int_equal(d->nchanged, 0);
		assert_int_equal(d->nrows, pa->nnodes);
		plan_diff_free(d);
		plan_free(pa);
		plan_free(pb);
		free(a);
		free(b);
	}
}

/* The plan-level has_timing and has_buffers (fixed in 09e7253). */
static void
test_plan_has_timing_buffers(void **state)
{
	struct plan	*p;

	(void)state;
	p = J(json_basic);
	assert_true(p->has_timing);
	assert_true(p->has_buffers);
	plan_free(p);
	p = FIXTURE("seq_scan.txt");
	assert_true(p->has_timing);
	assert_true(p->has_buffers);
	plan_free(p);
	p = FIXTURE("timing_off.txt");
	assert_true(p->analyzed);
	assert_false(p->has_timing);
	plan_free(p);
}

/*
 * BUG: joining the tails of wrapped lines is quadratic.  parse_text.c
 * walks back over every joined line for each tail and copies the growing
 * line each time; plan_unframe() copies the growing line for each tail
 * of a framed paste.  25,000 short lines after one node take 3 s
 * unframed (40,000: 7 s); a framed 1 MB paste took a minute (2 MB: 4.5
 * minutes).
 */
static void
bug_text_wrapped_tails_quadratic(void **state)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct plan	*p;
	char		*cause = NULL;
	clock_t		 t0;
	double		 secs;
	int		 i;

	(void)state;
	strbuf_addstr(&sb, "Result  (cost=0.00..0.01 rows=1 width=4)\n");
	for (i = 0; i < 25000; i++)
		strbuf_addstr(&sb, "abc\n");
	t0 = clock();
	p = plan_parse("tails.txt", sb.buf, sb.len, &cause);
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	plan_free(p);
	free(cause);
	cause = NULL;
	if (secs > 1.0)
		fail_msg("25,000 tail lines (100 kB) took %.1f s", secs);

	strbuf_reset(&sb);
	strbuf_addstr(&sb, " QUERY PLAN\n------------\n Result  "
	    "(cost=0.00..0.01 rows=1 width=4)\n");
	for (i = 0; i < 8000; i++)
		strbuf_addstr(&sb, "abcdefghijklmnopqrstuvwxyz\n");
	t0 = clock();
	p = plan_parse("tails.txt", sb.buf, sb.len, &cause);
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	plan_free(p);
	free(cause);
	strbuf_release(&sb);
	if (secs > 1.0)
		fail_msg("8,000 framed tail lines (216 kB) took %.1f s", secs);
}

/*
 * Joining the tails of wrapped lines is linear, checked by size, not by
 * a clock: 200,000 tails unframed (800 kB), a framed paste of 2 MB and
 * 200,000 tails in a border 2 box.  Before the fix 40,000 unframed
 * tails took 7.7 s, a framed 1 MB 55 s and 40,000 tails in a box 8 s,
 * growing with the square: these sizes would take minutes each, past
 * ctest's timeout; now the three take a few tenths of a second.
 */
static void
test_text_wrapped_tails_linear(void **state)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct plan	*p;
	int		 i;

	(void)state;
	strbuf_addstr(&sb, "Result  (cost=0.00..0.01 rows=1 width=4)\n");
	for (i = 0; i < 200000; i++)
		strbuf_addstr(&sb, "abc\n");
	p = parse_ok(plan_parse, "tails.txt", sb.buf, sb.len);
	assert_int_equal(p->nnodes, 1);
	assert_near(p->nodes[0].plan_rows, 1);
	plan_free(p);

	strbuf_reset(&sb);
	strbuf_addstr(&sb, " QUERY PLAN\n------------\n Result  "
	    "(cost=0.00..0.01 rows=1 width=4)\n");
	while (sb.len < 2u << 20)
		strbuf_addstr(&sb, "abcdefghijklmnopqrstuvwxyz\n");
	p = parse_ok(plan_parse, "tails.txt", sb.buf, sb.len);
	assert_int_equal(p->nnodes, 1);
	plan_free(p);

	strbuf_reset(&sb);
	strbuf_addstr(&sb, "+------------+\n| QUERY PLAN |\n+------------+\n"
	    "| Result  (cost=0.00..0.01 rows=1 width=4)");
	for (i = 0; i < 200000; i++)
		strbuf_addstr(&sb, "\nabc");
	strbuf_addstr(&sb, " |\n+------------+\n(1 row)\n");
	p = parse_ok(plan_parse, "tails.txt", sb.buf, sb.len);
	assert_int_equal(p->nnodes, 1);
	assert_near(p->nodes[0].total_cost, 0.01);
	plan_free(p);
	strbuf_release(&sb);
}

/*
 * BUG: charging InitPlans and CTEs is quadratic.  The index of 1424237
 * only skips nodes that mention no "$" and no "InitPlan", but every
 * InitPlan's own props do ("Parent Relationship": "InitPlan", "Subplan
 * Name": "InitPlan 1 (returns $0)"), so K InitPlans still cost K x K
 * uses_initplan() calls: 3,000 of them (360 kB of JSON) take 2 s,
 * 20,000 (2.4 MB) 68 s.  Each CTE scans every node for its CTE Scans:
 * 20,000 CTEs take 2 s.
 */
static void
bug_initplan_charge_quadratic(void **state)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct plan	*p;
	clock_t		 t0;
	double		 secs;
	int		 i;

	(void)state;
	strbuf_addstr(&sb, "{\"Node Type\": \"Result\", \"Plans\": [");
	for (i = 0; i < 3000; i++)
		strbuf_addf(&sb, "%s{\"Node Type\": \"Result\", "
		    "\"Parent Relationship\": \"InitPlan\", "
		    "\"Subplan Name\": \"InitPlan %d (returns $%d)\", "
		    "\"Filter\": \"($%d > 0)\"}", i ? "," : "", i + 1, i,
		    i + 1);
	strbuf_addstr(&sb, "]}");
	t0 = clock();
	p = parse_ok(plan_parse, "init.json", sb.buf, sb.len);
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	/* Node k is InitPlan k: returns $(k-1), its filter uses $k. */
	assert_int_equal(p->nodes[1].charged_to, 0);
	assert_int_equal(p->nodes[2].charged_to, 1);
	assert_int_equal(p->nodes[11].charged_to, 10);
	assert_int_equal(p->nodes[3000].charged_to, 2999);
	plan_free(p);
	if (secs > 1.0)
		fail_msg("3,000 InitPlans took %.1f s", secs);

	strbuf_reset(&sb);
	strbuf_addstr(&sb, "{\"Node Type\": \"Append\", \"Plans\": [");
	for (i = 0; i < 10000; i++)
		strbuf_addf(&sb, "%s{\"Node Type\": \"Result\", "
		    "\"Parent Relationship\": \"InitPlan\", "
		    "\"Subplan Name\": \"CTE c%d\"}, "
		    "{\"Node Type\": \"CTE Scan\", \"CTE Name\": \"c%d\", "
		    "\"Parent Relationship\": \"Member\"}", i ? "," : "", i, i);
	strbuf_addstr(&sb, "]}");
	t0 = clock();
	p = parse_ok(plan_parse, "cte.json", sb.buf, sb.len);
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	assert_int_equal(p->nodes[1].charged_to, 2);
	assert_int_equal(p->nodes[19999].charged_to, 20000);
	plan_free(p);
	strbuf_release(&sb);
	if (secs > 1.0)
		fail_msg("10,000 CTEs took %.1f s", secs);
}

/*
 * Charging InitPlans is near-linear, checked by size, not by a clock:
 * 40,000 InitPlans in text (4.8 MB), each used by the one before it.
 * Before the fix 10,000 took 14 s and 40,000 took 7 minutes, past
 * ctest's timeout; now the parse takes about 0.2 s.
 */
static void
test_initplan_charge_linear(void **state)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct plan	*p;
	int		 i, n = 40000;

	(void)state;
	strbuf_addstr(&sb, "Result  (cost=0.00..0.01 rows=1 width=4)\n");
	for (i = 0; i < n; i++)
		strbuf_addf(&sb, "  InitPlan %d (returns $%d)\n"
		    "    ->  Result  (cost=0.00..0.01 rows=1 width=4)\n"
		    "          One-Time Filter: ($%d > 0)\n", i + 1, i, i + 1);
	p = parse_ok(plan_parse, "init.txt", sb.buf, sb.len);
	assert_int_equal(p->nnodes, n + 1);
	/* Node k is InitPlan k: returns $(k-1), node k-1 uses it. */
	assert_int_equal(p->nodes[1].charged_to, 0);
	assert_int_equal(p->nodes[2].charged_to, 1);
	assert_int_equal(p->nodes[n].charged_to, n - 1);
	assert_int_equal(p->nodes[n].amb & PLAN_AMB_INITPLAN, 0);
	plan_free(p);
	strbuf_release(&sb);
}

/* ---- 4. text errors ---- */

static void
test_text_errors(void **state)
{
	static const char *const broken[] = {
		"Hash Join  (cost=1.00..2.00 rows=1 width=4)",
		"  Hash Cond: (a.id = b.id)",
		"  ->  Seq Scan on a  (cost=0.00..1.00 rows=1 width=4)",
		"   ->  Seq Scan on b  (cost=0.00..1.00 rows=1 width=4)",
	};
	static const char *const broken_field[] = {
		"Hash Join  (cost=1.00..2.00 rows=1 width=4)",
		"  ->  Seq Scan on a  (cost=0.00..1.00 rows=1 width=4)",
		"         Filter: (x > 1)",
		"  ->  Seq Scan on b  (cost=0.00..1.00 rows=1 width=4)",
	};
	char		*in, *f, *cause;
	const char	*s;

	(void)state;
	/* An arrow at a column no open node has: its line and column. */
	in = JOIN(broken);
	cause = parse_err(plan_parse_text, "t.txt", in, strlen(in));
	assert_string_equal(cause, "t.txt:4:4: indentation matches no node "
	    "above (a line lost or shifted?)");
	free(cause);
	/* In psql's frame: two lines down, one column right. */
	f = psql_frame(in, FRAME_BORDER1);
	cause = parse_err(plan_parse, "t.txt", f, strlen(f));
	assert_string_equal(cause, "t.txt:6:5: indentation matches no node "
	    "above (a line lost or shifted?)");
	free(cause);
	free(f);
	/* In a box: three lines down, the border and the space. */
	f = psql_frame(in, FRAME_BORDER2);
	cause = parse_err(plan_parse, "t.txt", f, strlen(f));
	assert_string_equal(cause, "t.txt:7:6: indentation matches no node "
	    "above (a line lost or shifted?)");
	free(cause);
	free(f);
	free(in);

	/* A field line at a column of no node. */
	in = JOIN(broken_field);
	cause = parse_err(plan_parse_text, "t.txt", in, strlen(in));
	assert_string_equal(cause,
	    "t.txt:3:10: indentation matches no node above");
	free(cause);
	free(in);

	/* A field before any node. */
	s = "  Filter: (x > 1)\nSeq Scan on t  (cost=0.00..1.00 rows=1 "
	    "width=4)\n";
	cause = parse_err(plan_parse_text, "t.txt", s, strlen(s));
	assert_string_equal(cause,
	    "t.txt:1:3: expected a plan node, found a field");
	free(cause);
	s = "InitPlan 1 (returns $0)\n  ->  Result\n";
	cause = parse_err(plan_parse_text, "t.txt", s, strlen(s));
	assert_string_equal(cause,
	    "t.txt:1:1: expected a plan node, found a field");
	free(cause);

	/* A field where the node under a header should be. */
	s = "Seq Scan on t\n  InitPlan 1 (returns $0)\n    Filter: (x = $0)\n";
	cause = parse_err(plan_parse_text, "t.txt", s, strlen(s));
	assert_string_equal(cause, "t.txt:3:5: expected a plan node under "
	    "\"InitPlan 1 (returns $0)\"");
	free(cause);

	/* A node after the plan's own lines. */
	s = "Seq Scan on t\nPlanning Time: 0.100 ms\n  ->  Seq Scan on u\n";
	cause = parse_err(plan_parse_text, "t.txt", s, strlen(s));
	assert_string_equal(cause,
	    "t.txt:3:3: a plan node after the plan's own fields");
	free(cause);

	/* Empty, blank, only psql's decoration: no plan. */
	cause = parse_err(plan_parse_text, "t.txt", "", 0);
	assert_string_equal(cause, "t.txt: no plan in the input");
	free(cause);
	cause = parse_err(plan_parse_text, "t.txt", " \n\t\n\n", 5);
	assert_string_equal(cause, "t.txt: no plan in the input");
	free(cause);
	s = " QUERY PLAN \n------------\n(0 rows)\n\n";
	cause = parse_err(plan_parse, "t.txt", s, strlen(s));
	assert_string_equal(cause, "t.txt: no plan in the input");
	free(cause);
	s = "+------------+\n| QUERY PLAN "
	    "|\n+------------+\n+------------+\n(0 rows)\n";
	cause = parse_err(plan_parse, "t.txt", s, strlen(s));
	assert_string_equal(cause, "t.txt: no plan in the input");
	free(cause);

	/* Text that is no plan at all. */
	s = "SELECT * FROM t;\n";
	cause = parse_err(plan_parse, "q.sql", s, strlen(s));
	assert_string_equal(cause, "q.sql:1:1: not an EXPLAIN plan "
	    "(\"SELECT * FROM t;\" is not a plan node)");
	free(cause);

	/* Binary in text. */
	cause = parse_err(plan_parse_text, "t.txt", "Seq Scan\n  Fil\0ter", 18);
	assert_string_equal(cause,
	    "t.txt:2:6: binary data (NUL byte), not an EXPLAIN plan");
	free(cause);
}

static void
test_text_nesting_limit(void **state)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*cause;
	struct plan	*p;
	int		 i, j;

	(void)state;
	for (i = 0; i < 600; i++) {
		for (j = 0; i > 0 && j < 2 + (i - 1) * 6; j++)
			strbuf_addch(&sb, ' ');
		strbuf_addstr(&sb, i > 0 ? "->  Limit  (cost=0.00..1.00 rows=1 "
		    "width=4)\n" :
		    "Limit  (cost=0.00..1.00 rows=1 width=4)\n");
	}
	cause = parse_err(plan_parse, "deep.txt", sb.buf, sb.len);
	/* The 513th node: line 513, its arrow at column 2 + 511 * 6 + 1. */
	assert_string_equal(cause,
	    "deep.txt:513:3069: plan nested deeper than 512 nodes");
	free(cause);

	strbuf_reset(&sb);
	for (i = 0; i < 512; i++) {
		for (j = 0; i > 0 && j < 2 + (i - 1) * 6; j++)
			strbuf_addch(&sb, ' ');
		strbuf_addstr(&sb, i > 0 ? "->  Limit\n" : "Limit\n");
	}
	p = parse_ok(plan_parse, "deep.txt", sb.buf, sb.len);
	assert_int_equal(p->nnodes, 512);
	assert_int_equal(p->nodes[511].depth, 511);
	assert_int_equal(p->nodes[0].nsub, 511);
	plan_free(p);
	strbuf_release(&sb);
}

/* ---- 5. self time ---- */

static void
test_self_simple_and_loops(void **state)
{
	struct plan	*p;

	(void)state;
	p = J("[{'Plan': {'Node Type': 'Hash Join', 'Join Type': 'Inner', "
	    ACT(10, 1) ", 'Plans': [\n"
	    "  {'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', "
	    "'Relation Name': 'a', " ACT(4, 1) "},\n"
	    "  {'Node Type': 'Hash', 'Parent Relationship': 'Inner', "
	    ACT(3, 1) ", 'Plans': [\n"
	    "    {'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', "
	    "'Relation Name': 'b', " ACT(2, 1) "}]}]},\n"
	    " 'Execution Time': 10.5}]");
	assert_near(p->nodes[0].incl_ms, 10);
	assert_near(p->nodes[0].self_ms, 3);
	assert_near(p->nodes[1].self_ms, 4);
	assert_near(p->nodes[2].self_ms, 1);
	assert_near(p->nodes[3].self_ms, 2);
	assert_near(sum_self(p), 10);
	assert_near(p->total_ms, 10.5);
	assert_near(p->max_self_ms, 4);
	assert_int_equal(p->amb, 0);
	plan_free(p);

	/* Loops multiply: the inner side ran 100 times at 0.5 ms. */
	p = J("[{'Plan': {'Node Type': 'Nested Loop', 'Join Type': 'Inner', "
	    ACT(60, 1) ", 'Plans': [\n"
	    "  {'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', "
	    "'Relation Name': 'a', " ACT(5, 1) "},\n"
	    "  {'Node Type': 'Index Scan', 'Parent Relationship': 'Inner', "
	    "'Relation Name': 'b',\n"
	    "   'Index Name': 'b_pkey', " ACT(0.5, 100) "}]}}]");
	assert_near(p->nodes[2].incl_ms, 50);
	assert_near(p->nodes[2].self_ms, 50);
	assert_near(p->nodes[0].self_ms, 5);
	assert_near(sum_self(p), 60);
	assert_near(p->total_ms, 60);
	plan_free(p);
}

static void
test_self_gather(void **state)
{
	struct plan		*p;
	const struct plan_node	*n;

	(void)state;
	p = J("[{'Plan': {'Node Type': 'Hash Join', 'Join Type': 'Inner', "
	    ACT(40, 1) ", 'Plans': [\n"
	    "  {'Node Type': 'Gather', 'Parent Relationship': 'Outer', "
	    "'Workers Planned': 2,\n"
	    "   'Workers Launched': 2, " ACT(25, 1) ", 'Plans': [\n"
	    "    {'Node Type': 'Nested Loop', 'Join Type': 'Inner', "
	    "'Parent Relationship': 'Outer', " ACT(20, 3) ", 'Plans': [\n"
	    "      {'Node Type': 'Seq Scan', 'Parallel Aware': true, "
	    "'Parent Relationship': 'Outer',\n"
	    "       'Relation Name': 'a', " ACT(5, 3) "},\n"
	    "      {'Node Type': 'Index Scan', 'Parent Relationship': 'Inner', "
	    "'Relation Name': 'b',\n"
	    "       'Index Name': 'b_pkey', " ACT(0.04, 300) "}]}]},\n"
	    "  {'Node Type': 'Hash', 'Parent Relationship': 'Inner', "
	    ACT(10, 1) ", 'Plans': [\n"
	    "    {'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', "
	    "'Relation Name': 'c', " ACT(8, 1) "}]}]}}]");
	n = p->nodes;
	assert_str(n[3].label, "Parallel Seq Scan");
	/* 3 processes: loops x time / 3. */
	assert_near(n[1].incl_ms, 25);
	assert_near(n[2].incl_ms, 20);
	assert_near(n[3].incl_ms, 5);
	assert_near(n[4].incl_ms, 4);
	assert_near(n[0].self_ms, 5);
	assert_near(n[1].self_ms, 5);
	assert_near(n[2].self_ms, 11);
	assert_near(n[3].self_ms, 5);
	assert_near(n[4].self_ms, 4);
	/* Outside the Gather: neither divided nor marked. */
	assert_near(n[5].incl_ms, 10);
	assert_near(n[5].self_ms, 2);
	assert_near(n[6].self_ms, 8);
	assert_near(sum_self(p), 40);
	assert_int_equal(n[0].amb & PLAN_AMB_PARALLEL, 0);
	assert_int_equal(n[1].amb & PLAN_AMB_PARALLEL, 0);
	assert_true(n[2].amb & PLAN_AMB_PARALLEL);
	assert_true(n[3].amb & PLAN_AMB_PARALLEL);
	assert_true(n[4].amb & PLAN_AMB_PARALLEL);
	assert_int_equal(n[5].amb & PLAN_AMB_PARALLEL, 0);
	assert_int_equal(n[6].amb & PLAN_AMB_PARALLEL, 0);
	assert_true(p->amb & PLAN_AMB_PARALLEL);
	assert_int_equal(find_warning(p, PLAN_W_WORKERS, -1), -1);
	plan_free(p);
}

static void
test_self_subplan(void **state)
{
	struct plan	*p;

	(void)state;
	p = J("[{'Plan': {'Node Type': 'Seq Scan', 'Relation Name': 't', "
	    "'Alias': 't', " ACT(50, 1) ",\n"
	    "  'Filter': '(x = (SubPlan 1))', 'Plans': [\n"
	    "  {'Node Type': 'Index Scan', 'Parent Relationship': 'SubPlan', "
	    "'Subplan Name': 'SubPlan 1',\n"
	    "   'Relation Name': 'u', 'Index Name': 'u_pkey', " ACT(0.1, 400)
	    "}]}}]");
	assert_str(p->nodes[1].rel_kind, "SubPlan");
	assert_str(p->nodes[1].subplan, "SubPlan 1");
	assert_near(p->nodes[1].incl_ms, 40);
	assert_near(p->nodes[0].self_ms, 10);
	assert_near(p->nodes[1].self_ms, 40);
	assert_int_equal(p->nodes[1].charged_to, -1);
	assert_near(sum_self(p), 50);
	assert_int_equal(p->amb, 0);
	plan_free(p);
}

/* InitPlan under the root; the Outer scan and the Hash's scan filter. */
static struct plan *
initplan_plan(const char *name, const char *filter_a, const char *filter_b)
{
	static const char fmt[] =
	    "[{'Plan': {'Node Type': 'Hash Join', 'Join Type': 'Inner', "
	    ACT(100, 1) ", 'Plans': [\n"
	    "  {'Node Type': 'Aggregate', 'Strategy': 'Plain', "
	    "'Parent Relationship': 'InitPlan',\n"
	    "   'Subplan Name': '%s', " ACT(30, 1) ", 'Plans': [\n"
	    "    {'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', "
	    "'Relation Name': 'c', " ACT(20, 1) "}]},\n"
	    "  {'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', "
	    "'Relation Name': 'a',\n"
	    "   " ACT(50, 1) ", 'Filter': '%s'},\n"
	    "  {'Node Type': 'Hash', 'Parent Relationship': 'Inner', "
	    ACT(15, 1) ", 'Plans': [\n"
	    "    {'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', "
	    "'Relation Name': 'b',\n"
	    "     " ACT(12, 1) ", 'Filter': '%s'}]}]}}]";
	char		buf[4096];
	struct plan	*p;

	snprintf(buf, sizeof buf, fmt, name, filter_a, filter_b);
	p = J(buf);
	assert_int_equal(p->nnodes, 6);
	assert_str(p->nodes[1].subplan, name);
	assert_str(p->nodes[1].rel_kind, "InitPlan");
	return p;
}

/* The InitPlan is charged to the Outer scan (node 3) alone. */
static void
check_initplan_charged_to_user(struct plan *p)
{
	const struct plan_node *n = p->nodes;

	assert_int_equal(n[1].charged_to, 3);
	assert_int_equal(n[1].amb & PLAN_AMB_INITPLAN, 0);
	assert_int_equal(n[3].amb & PLAN_AMB_INITPLAN, 0);
	/* Not subtracted from the root it hangs under ... */
	assert_near(n[0].self_ms, 35);
	assert_near(n[1].self_ms, 10);
	assert_near(n[2].self_ms, 20);
	/* ... but from the scan that used $n and ran it. */
	assert_near(n[3].self_ms, 20);
	assert_near(n[4].self_ms, 3);
	assert_near(n[5].self_ms, 12);
	assert_near(sum_self(p), 100);
	assert_int_equal(p->amb, 0);
}

static void
test_self_initplan(void **state)
{
	struct plan	*p;

	(void)state;
	/* PostgreSQL 15: $1 used by the Outer scan; $10 is another one. */
	p = initplan_plan("InitPlan 1 (returns $1)", "(a.x > $1)",
	    "(b.y = $10)");
	check_initplan_charged_to_user(p);
	plan_free(p);
	/* $0 vs $01. */
	p = initplan_plan("InitPlan 1 (returns $0)", "(a.x > $0)",
	    "(b.y = $01)");
	check_initplan_charged_to_user(p);
	plan_free(p);
	/* Several outputs, the second used. */
	p = initplan_plan("InitPlan 1 (returns $0,$1)", "(a.x > $1)",
	    "(b.y = $10)");
	check_initplan_charged_to_user(p);
	plan_free(p);
	/* PostgreSQL 16: "(InitPlan 1).col1"; "(InitPlan 10)" is another. */
	p = initplan_plan("InitPlan 1", "(a.x > (InitPlan 1).col1)",
	    "(b.y = (InitPlan 10).col1)");
	check_initplan_charged_to_user(p);
	plan_free(p);

	/* Two users: the deepest pays, and the guess is marked. */
	p = initplan_plan("InitPlan 1 (returns $0)", "(a.x > $0)",
	    "(b.y = $0)");
	assert_int_equal(p->nodes[1].charged_to, 5);
	assert_true(p->nodes[1].amb & PLAN_AMB_INITPLAN);
	assert_true(p->nodes[5].amb & PLAN_AMB_INITPLAN);
	assert_true(p->amb & PLAN_AMB_INITPLAN);
	plan_free(p);

	/* No user found: its parent pays, marked as a guess. */
	p = initplan_plan("InitPlan 1 (returns $0)", "(a.x > 1)", "(b.y = 2)");
	assert_int_equal(p->nodes[1].charged_to, 0);
	assert_true(p->nodes[1].amb & PLAN_AMB_INITPLAN);
	assert_near(p->nodes[0].self_ms, 5);
	assert_near(p->nodes[3].self_ms, 50);
	assert_near(sum_self(p), 100);
	plan_free(p);
}

static void
test_self_cte(void **state)
{
	struct plan	*p;

	(void)state;
	/* One scan of the CTE: it pays, nothing ambiguous. */
	p = J("[{'Plan': {'Node Type': 'Aggregate', 'Strategy': 'Plain', "
	    ACT(50, 1) ", 'Plans': [\n"
	    "  {'Node Type': 'Seq Scan', 'Parent Relationship': 'InitPlan', "
	    "'Subplan Name': 'CTE x',\n"
	    "   'Relation Name': 't', " ACT(30, 1) "},\n"
	    "  {'Node Type': 'CTE Scan', 'Parent Relationship': 'Outer', "
	    "'CTE Name': 'x',\n"
	    "   'Alias': 'x', " ACT(45, 1) "}]}}]");
	assert_str(p->nodes[2].cte, "x");
	assert_int_equal(p->nodes[1].charged_to, 2);
	assert_near(p->nodes[0].self_ms, 5);
	assert_near(p->nodes[1].self_ms, 30);
	assert_near(p->nodes[2].self_ms, 15);
	assert_near(sum_self(p), 50);
	assert_int_equal(p->amb, 0);
	plan_free(p);

	/* Two scans: the one that can hold the CTE's time pays, marked. */
	p = J("[{'Plan': {'Node Type': 'Hash Join', 'Join Type': 'Inner', "
	    ACT(60, 1) ", 'Plans': [\n"
	    "  {'Node Type': 'Seq Scan', 'Parent Relationship': 'InitPlan', "
	    "'Subplan Name': 'CTE x',\n"
	    "   'Relation Name': 't', " ACT(30, 1) "},\n"
	    "  {'Node Type': 'CTE Scan', 'Parent Relationship': 'Outer', "
	    "'CTE Name': 'x',\n"
	    "   'Alias': 'a', " ACT(40, 1) "},\n"
	    "  {'Node Type': 'Hash', 'Parent Relationship': 'Inner', "
	    ACT(10, 1) ", 'Plans': [\n"
	    "    {'Node Type': 'CTE Scan', 'Parent Relationship': 'Outer', "
	    "'CTE Name': 'x',\n"
	    "     'Alias': 'b', " ACT(8, 1) "}]}]}}]");
	assert_int_equal(p->nodes[1].charged_to, 2);
	assert_true(p->nodes[1].amb & PLAN_AMB_CTE);
	assert_true(p->nodes[2].amb & PLAN_AMB_CTE);
	assert_true(p->nodes[4].amb & PLAN_AMB_CTE);
	assert_int_equal(p->nodes[0].amb & PLAN_AMB_CTE, 0);
	assert_true(p->amb & PLAN_AMB_CTE);
	assert_near(p->nodes[0].self_ms, 10);
	assert_near(p->nodes[1].self_ms, 30);
	assert_near(p->nodes[2].self_ms, 10);
	assert_near(p->nodes[3].self_ms, 2);
	assert_near(p->nodes[4].self_ms, 8);
	assert_near(sum_self(p), 60);
	plan_free(p);
}

static void
test_self_clamp_jit_buffers(void **state)
{
	struct plan	*p;

	(void)state;
	/* 5 ms more in the child than in its parent: clamped and marked. */
	p = J("[{'Plan': {'Node Type': 'Limit', " ACT(10, 1) ", 'Plans': [\n"
	    "  {'Node Type': 'Sort', 'Parent Relationship': 'Outer', "
	    ACT(15, 1) "}]}}]");
	assert_near(p->nodes[0].self_ms, 0);
	assert_true(p->nodes[0].amb & PLAN_AMB_CLAMPED);
	assert_int_equal(p->nodes[1].amb & PLAN_AMB_CLAMPED, 0);
	assert_true(p->amb & PLAN_AMB_CLAMPED);
	plan_free(p);
	/* 0.05 ms is rounding (under 1 % and 0.01 ms floor): not marked. */
	p = J("[{'Plan': {'Node Type': 'Limit', " ACT(10, 1) ", 'Plans': [\n"
	    "  {'Node Type': 'Sort', 'Parent Relationship': 'Outer', "
	    ACT(10.05, 1) "}]}}]");
	assert_near(p->nodes[0].self_ms, 0);
	assert_int_equal(p->nodes[0].amb & PLAN_AMB_CLAMPED, 0);
	assert_int_equal(p->amb, 0);
	plan_free(p);

	/* JIT time hides in the nodes. */
	p = J("[{'Plan': {'Node Type': 'Result', " ACT(1, 1) "},\n"
	    " 'JIT': {'Functions': 1, 'Timing': {'Generation': 0.1, "
	    "'Inlining': 0,\n"
	    "   'Optimization': 0, 'Emission': 0.2, 'Total': 0.3}}}]");
	assert_true(p->amb & PLAN_AMB_JIT);
	assert_true(p->nodes[0].amb & PLAN_AMB_JIT);
	plan_free(p);

	/* Self buffers: inclusive minus the children, each kind, >= 0. */
	p = J("[{'Plan': {'Node Type': 'Nested Loop', 'Join Type': 'Inner', "
	    ACT(10, 1) ",\n"
	    "  'Shared Hit Blocks': 100, 'Shared Read Blocks': 10, "
	    "'Temp Written Blocks': 5, 'Plans': [\n"
	    "  {'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', "
	    "'Relation Name': 'a', " ACT(4, 1) ",\n"
	    "   'Shared Hit Blocks': 60, 'Shared Read Blocks': 20},\n"
	    "  {'Node Type': 'Hash', 'Parent Relationship': 'Inner', "
	    ACT(3, 1) ",\n"
	    "   'Shared Hit Blocks': 30, 'Plans': [\n"
	    "    {'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', "
	    "'Relation Name': 'b', " ACT(2, 1) ",\n"
	    "     'Shared Hit Blocks': 30}]}]}}]");
	assert_near(p->nodes[0].self_buf.shared_hit, 10);
	assert_near(p->nodes[0].self_buf.shared_read, 0);
	assert_near(p->nodes[0].self_buf.temp_written, 5);
	assert_near(p->nodes[0].self_buf_total, 15);
	assert_near(p->nodes[0].buf_total, 115);
	assert_near(p->nodes[1].self_buf_total, 80);
	assert_near(p->nodes[2].self_buf_total, 0);
	assert_near(p->nodes[3].self_buf.shared_hit, 30);
	assert_near(p->max_buf, 80);
	/* The root wrote temp blocks no child did. */
	assert_true(find_warning(p, PLAN_W_TEMP, 0) >= 0);
	plan_free(p);
}

/* ---- 6. warnings ---- */

static void
test_warn_misestimate(void **state)
{
	struct plan	*p;
	int		 w;

	(void)state;
	p = J("[{'Plan': {'Node Type': 'Hash Join', 'Join Type': 'Inner', "
	    ROWS(100, 100) ", 'Plans': [\n"
	    "  {'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', "
	    "'Relation Name': 'a', " ROWS(100, 5000) "},\n"
	    "  {'Node Type': 'Hash', 'Parent Relationship': 'Inner', "
	    ROWS(10000, 100) ", 'Plans': [\n"
	    "    {'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', "
	    "'Relation Name': 'b', " ROWS(20, 40) "}]}]}}]");
	assert_near(p->nodes[1].misestimate, 50);
	assert_true(p->nodes[1].underestimate);
	assert_near(p->nodes[2].misestimate, 100);
	assert_false(p->nodes[2].underestimate);
	assert_near(p->nodes[3].misestimate, 2);
	w = find_warning(p, PLAN_W_MISESTIMATE, 1);
	assert_true(w >= 0);
	assert_contains(p->warnings[w].text,
	    "rows underestimated by 50x in Seq Scan on a: estimated 100, "
	    "actual 5000");
	w = find_warning(p, PLAN_W_MISESTIMATE, 2);
	assert_true(w >= 0);
	assert_contains(p->warnings[w].text,
	    "rows overestimated by 100x in Hash: estimated 10.0k, actual 100");
	assert_contains(p->warnings[w].hint, "ANALYZE");
	assert_int_equal(find_warning(p, PLAN_W_MISESTIMATE, 0), -1);
	assert_int_equal(find_warning(p, PLAN_W_MISESTIMATE, 3), -1);
	plan_free(p);

	/* Under a Limit an overestimate is the Limit stopping early ... */
	p = J("[{'Plan': {'Node Type': 'Limit', " ROWS(10, 10) ", 'Plans': [\n"
	    "  {'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', "
	    "'Relation Name': 'a', " ROWS(100000, 10) "}]}}]");
	assert_near(p->nodes[1].misestimate, 10000);
	assert_int_equal(find_warning(p, PLAN_W_MISESTIMATE, -1), -1);
	plan_free(p);
	/* ... an underestimate is not. */
	p = J("[{'Plan': {'Node Type': 'Limit', " ROWS(10, 10) ", 'Plans': [\n"
	    "  {'Node Type': 'Sort', 'Parent Relationship': 'Outer', "
	    ROWS(100, 10) ", 'Plans': [\n"
	    "    {'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', "
	    "'Relation Name': 'a', " ROWS(100, 5000) "}]}]}}]");
	w = find_warning(p, PLAN_W_MISESTIMATE, 2);
	assert_true(w >= 0);
	assert_contains(p->warnings[w].text, "underestimated by 50x");
	assert_int_equal(find_warning(p, PLAN_W_MISESTIMATE, 1), -1);
	plan_free(p);
	/* Small row counts are not worth a warning. */
	p = J("[{'Plan': {'Node Type': 'Seq Scan', 'Relation Name': 'a', "
	    ROWS(1, 50) "}}]");
	assert_near(p->nodes[0].misestimate, 50);
	assert_int_equal(find_warning(p, PLAN_W_MISESTIMATE, -1), -1);
	plan_free(p);
}

static void
test_warn_kinds(void **state)
{
	struct plan	*p;
	int		 w;

	(void)state;
	/* Disk sort. */
	p = J("[{'Plan': {'Node Type': 'Sort', "
	    "'Sort Method': 'external merge',\n"
	    "  'Sort Space Used': 1234, 'Sort Space Type': 'Disk', " ACT(20, 1)
	    ", 'Plans': [\n"
	    "  {'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', "
	    "'Relation Name': 't', " ACT(5, 1) "}]}}]");
	w = find_warning(p, PLAN_W_DISK_SORT, 0);
	assert_true(w >= 0);
	assert_contains(p->warnings[w].text,
	    "Sort spilled to disk (external merge, 1234 kB)");
	assert_contains(p->warnings[w].hint, "above 2468 kB");
	assert_near(p->warnings[w].impact_ms, 15);
	plan_free(p);
	p = J("[{'Plan': {'Node Type': 'Sort', 'Sort Method': 'quicksort',\n"
	    "  'Sort Space Used': 25, 'Sort Space Type': 'Memory', " ACT(20, 1)
	    "}}]");
	assert_int_equal(find_warning(p, PLAN_W_DISK_SORT, -1), -1);
	plan_free(p);

	/* Hash in batches. */
	p = J("[{'Plan': {'Node Type': 'Hash Join', 'Join Type': 'Inner', "
	    ACT(30, 1) ", 'Plans': [\n"
	    "  {'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', "
	    "'Relation Name': 'a', " ACT(5, 1) "},\n"
	    "  {'Node Type': 'Hash', 'Parent Relationship': 'Inner', "
	    "'Hash Buckets': 1024,\n"
	    "   'Original Hash Buckets': 1024, 'Hash Batches': 4, "
	    "'Original Hash Batches': 1,\n"
	    "   'Peak Memory Usage': 100, " ACT(20, 1) ", 'Plans': [\n"
	    "    {'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', "
	    "'Relation Name': 'b', " ACT(10, 1) "}]}]}}]");
	w = find_warning(p, PLAN_W_HASH_BATCHES, 2);
	assert_true(w >= 0);
	assert_contains(p->warnings[w].text, "Hash in 4 batches (planned 1)");
	assert_contains(p->warnings[w].hint, "above 400 kB");
	assert_near(p->warnings[w].impact_ms, 20);
	plan_free(p);
	p = J("[{'Plan': {'Node Type': 'Hash', 'Hash Batches': 1, "
	    "'Original Hash Batches': 1, " ACT(2, 1) "}}]");
	assert_int_equal(find_warning(p, PLAN_W_HASH_BATCHES, -1), -1);
	plan_free(p);

	/* Hash aggregate spilled. */
	p = J("[{'Plan': {'Node Type': 'Aggregate', 'Strategy': 'Hashed', "
	    "'HashAgg Batches': 5,\n"
	    "  'Disk Usage': 2048, 'Peak Memory Usage': 4096, " ACT(9, 1)
	    "}}]");
	w = find_warning(p, PLAN_W_HASHAGG_SPILL, 0);
	assert_true(w >= 0);
	assert_contains(p->warnings[w].text,
	    "HashAggregate spilled to disk (5 batches, 2048 kB)");
	plan_free(p);
	p = J("[{'Plan': {'Node Type': 'Aggregate', 'Strategy': 'Hashed', "
	    "'HashAgg Batches': 1,\n"
	    "  'Peak Memory Usage': 4096, " ACT(9, 1) "}}]");
	assert_int_equal(find_warning(p, PLAN_W_HASHAGG_SPILL, -1), -1);
	plan_free(p);

	/* Filter threw most rows away. */
	p = J("[{'Plan': {'Node Type': 'Seq Scan', 'Relation Name': 't', "
	    "'Alias': 't',\n"
	    "  'Actual Startup Time': 0, 'Actual Total Time': 40, "
	    "'Actual Rows': 1000, 'Actual Loops': 1,\n"
	    "  'Filter': '(x = 1)', 'Rows Removed by Filter': 99000}}]");
	w = find_warning(p, PLAN_W_FILTER, 0);
	assert_true(w >= 0);
	assert_contains(p->warnings[w].text,
	    "Seq Scan on t threw away 99.0% of the rows it read (99.0k removed "
	    "by filter)");
	plan_free(p);
	p = J("[{'Plan': {'Node Type': 'Seq Scan', 'Relation Name': 't',\n"
	    "  'Actual Startup Time': 0, 'Actual Total Time': 40, "
	    "'Actual Rows': 1000, 'Actual Loops': 1,\n"
	    "  'Rows Removed by Filter': 9000}}]");
	assert_int_equal(find_warning(p, PLAN_W_FILTER, -1), -1);
	plan_free(p);

	/* Lossy bitmap. */
	p = J("[{'Plan': {'Node Type': 'Bitmap Heap Scan', "
	    "'Relation Name': 'bm', 'Alias': 'bm',\n"
	    "  'Exact Heap Blocks': 5, 'Lossy Heap Blocks': 10, " ACT(3, 1)
	    ", 'Plans': [\n"
	    "  {'Node Type': 'Bitmap Index Scan', "
	    "'Parent Relationship': 'Outer', 'Index Name': 'bm_a', " ACT(1, 1)
	    "}]}}]");
	w = find_warning(p, PLAN_W_LOSSY, 0);
	assert_true(w >= 0);
	assert_contains(p->warnings[w].text,
	    "Bitmap Heap Scan on bm went lossy: 10 of 15 heap blocks");
	assert_str(p->nodes[1].index, "bm_a");
	plan_free(p);

	/* Heap fetches on an index-only scan. */
	p = J("[{'Plan': {'Node Type': 'Index Only Scan', "
	    "'Relation Name': 't', 'Index Name': 't_pkey',\n"
	    "  'Actual Startup Time': 0, 'Actual Total Time': 4, "
	    "'Actual Rows': 1000, 'Actual Loops': 1,\n"
	    "  'Heap Fetches': 500}}]");
	w = find_warning(p, PLAN_W_HEAP_FETCHES, 0);
	assert_true(w >= 0);
	assert_contains(p->warnings[w].text,
	    "Index Only Scan using t_pkey on t went to the heap 500 times");
	assert_contains(p->warnings[w].hint, "VACUUM");
	plan_free(p);
	p = J("[{'Plan': {'Node Type': 'Index Only Scan', "
	    "'Relation Name': 't', 'Index Name': 't_pkey',\n"
	    "  'Actual Startup Time': 0, 'Actual Total Time': 4, "
	    "'Actual Rows': 1000, 'Actual Loops': 1,\n"
	    "  'Heap Fetches': 50}}]");
	assert_int_equal(find_warning(p, PLAN_W_HEAP_FETCHES, -1), -1);
	plan_free(p);

	/* Nested loop running its inner side 1000 times. */
	p = J("[{'Plan': {'Node Type': 'Nested Loop', 'Join Type': 'Inner', "
	    ACT(60, 1) ", 'Plans': [\n"
	    "  {'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', "
	    "'Relation Name': 'a', " ACT(5, 1) "},\n"
	    "  {'Node Type': 'Index Scan', 'Parent Relationship': 'Inner', "
	    "'Relation Name': 'b',\n"
	    "   'Index Name': 'b_pkey', " ACT(0.05, 1000) "}]}}]");
	w = find_warning(p, PLAN_W_LOOPS, 0);
	assert_true(w >= 0);
	assert_near(p->warnings[w].impact_ms, 50);
	assert_contains(p->warnings[w].text,
	    "Nested Loop ran its inner side 1000 times (50.000 ms)");
	plan_free(p);
	p = J("[{'Plan': {'Node Type': 'Nested Loop', 'Join Type': 'Inner', "
	    ACT(60, 1) ", 'Plans': [\n"
	    "  {'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', "
	    "'Relation Name': 'a', " ACT(5, 1) "},\n"
	    "  {'Node Type': 'Index Scan', 'Parent Relationship': 'Inner', "
	    "'Relation Name': 'b',\n"
	    "   'Index Name': 'b_pkey', " ACT(0.05, 999) "}]}}]");
	assert_int_equal(find_warning(p, PLAN_W_LOOPS, -1), -1);
	plan_free(p);

	/* Fewer workers than planned. */
	p = J("[{'Plan': {'Node Type': 'Gather', 'Workers Planned': 4, "
	    "'Workers Launched': 2, " ACT(30, 1) ", 'Plans': [\n"
	    "  {'Node Type': 'Seq Scan', 'Parallel Aware': true, "
	    "'Parent Relationship': 'Outer',\n"
	    "   'Relation Name': 't', " ACT(20, 3) "}]}}]");
	w = find_warning(p, PLAN_W_WORKERS, 0);
	assert_true(w >= 0);
	assert_contains(p->warnings[w].text,
	    "Gather launched 2 of 4 planned workers");
	assert_near(p->warnings[w].impact_ms, 15);
	assert_near(p->nodes[1].incl_ms, 20);
	plan_free(p);
}

static void
test_warn_ranking(void **state)
{
	struct plan	*p;
	int		 i;
	char		*text;

	(void)state;
	p = J("[{'Plan': {'Node Type': 'Hash Join', 'Join Type': 'Inner', "
	    ACT(98, 1) ", 'Plans': [\n"
	    "  {'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', "
	    "'Relation Name': 'a', 'Alias': 'a',\n"
	    "   'Actual Startup Time': 0, 'Actual Total Time': 70, "
	    "'Actual Rows': 1000, 'Actual Loops': 1,\n"
	    "   'Rows Removed by Filter': 99000},\n"
	    "  {'Node Type': 'Hash', 'Parent Relationship': 'Inner', "
	    "'Hash Batches': 4,\n"
	    "   'Original Hash Batches': 1, " ACT(20, 1) ", 'Plans': [\n"
	    "    {'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', "
	    "'Relation Name': 'b', " ACT(5, 1) "}]}]},\n"
	    " 'Execution Time': 100}]");
	/* 70 ms slow + filter on a, 20 ms hash batches, 15 ms slow Hash. */
	assert_int_equal(p->nwarnings, 4);
	assert_int_equal(p->warnings[0].kind, PLAN_W_SLOW);
	assert_int_equal(p->warnings[0].node, 1);
	assert_near(p->warnings[0].impact_ms, 70);
	assert_contains(p->warnings[0].text,
	    "70% of the time in Seq Scan on a (70.000 ms self)");
	assert_int_equal(p->warnings[1].kind, PLAN_W_FILTER);
	assert_int_equal(p->warnings[1].node, 1);
	assert_int_equal(p->warnings[2].kind, PLAN_W_HASH_BATCHES);
	assert_int_equal(p->warnings[2].node, 2);
	assert_near(p->warnings[2].impact_ms, 20);
	assert_int_equal(p->warnings[3].kind, PLAN_W_SLOW);
	assert_int_equal(p->warnings[3].node, 2);
	assert_near(p->warnings[3].impact_ms, 15);
	for (i = 1; i < p->nwarnings; i++)
		assert_true(p->warnings[i - 1].impact_ms >=
		    p->warnings[i].impact_ms);
	assert_str(plan_warning_name(PLAN_W_SLOW), "slow");
	assert_str(plan_warning_name(PLAN_W_MISESTIMATE), "misestimate");
	assert_str(plan_warning_name(PLAN_W_HEAP_FETCHES), "heap fetches");
	assert_str(plan_warning_name((enum plan_warning_kind)99), "?");

	/* plan_analyze() again: the same warnings, no leak, no double. */
	text = xstrdup(p->warnings[0].text);
	plan_analyze(p);
	assert_int_equal(p->nwarnings, 4);
	assert_str(p->warnings[0].text, text);
	assert_near(p->nodes[0].self_ms, 8);
	free(text);
	plan_free(p);
}

/* ---- 7. diff ---- */

static const char diff_old[] =
"[{'Plan': {'Node Type': 'Hash Join', 'Join Type': 'Inner', " ACT(10, 1)
    ", 'Plans': [\n"
"  {'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', "
    "'Relation Name': 'a', 'Alias': 'a',\n"
"   'Actual Startup Time': 0, 'Actual Total Time': 4, 'Actual Rows': 100, "
    "'Actual Loops': 1,\n"
"   'Shared Hit Blocks': 10},\n"
"  {'Node Type': 'Hash', 'Parent Relationship': 'Inner', " ACT(3, 1)
    ", 'Plans': [\n"
"    {'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', "
    "'Relation Name': 't', 'Alias': 't', " ACT(2, 1) "}]}]},\n"
" 'Execution Time': 10}]";

static const char diff_new[] =
"[{'Plan': {'Node Type': 'Hash Join', 'Join Type': 'Inner', " ACT(10, 1)
    ", 'Plans': [\n"
"  {'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', "
    "'Relation Name': 'a', 'Alias': 'a',\n"
"   'Actual Startup Time': 0, 'Actual Total Time': 1.5, 'Actual Rows': 150, "
    "'Actual Loops': 2,\n"
"   'Shared Hit Blocks': 25},\n"
"  {'Node Type': 'Hash', 'Parent Relationship': 'Inner', " ACT(3, 1)
    ", 'Plans': [\n"
"    {'Node Type': 'Index Scan', 'Parent Relationship': 'Outer', "
    "'Relation Name': 't', 'Alias': 't',\n"
"     'Index Name': 't_pkey', " ACT(0.5, 1) "}]}]},\n"
" 'Execution Time': 8}]";

static void
test_diff_same_and_changed(void **state)
{
	struct plan		*a = J(diff_old), *b = J(diff_new);
	struct plan_diff	*d;
	struct strbuf		 sb = STRBUF_INIT;
	int			 i;

	(void)state;
	/* A plan against itself. */
	d = plan_diff_new(a, a);
	assert_int_equal(d->nrows, 4);
	assert_int_equal(d->nchanged, 0);
	assert_int_equal(d->nadded, 0);
	assert_int_equal(d->ngone, 0);
	for (i = 0; i < d->nrows; i++) {
		assert_int_equal(d->rows[i].kind, PLAN_DIFF_SAME);
		assert_int_equal(d->rows[i].a, i);
		assert_int_equal(d->rows[i].b, i);
		assert_int_equal(d->rows[i].depth, a->nodes[i].depth);
		assert_int_equal(d->rows[i].nsub, a->nodes[i].nsub);
		assert_near(d->rows[i].d_self_ms, 0);
		assert_near(d->rows[i].d_rows, 0);
	}
	plan_diff_free(d);

	/* Seq Scan on t became Index Scan on t. */
	d = plan_diff_new(a, b);
	assert_int_equal(d->nrows, 4);
	assert_int_equal(d->nchanged, 1);
	assert_int_equal(d->nadded, 0);
	assert_int_equal(d->ngone, 0);
	assert_int_equal(d->rows[0].kind, PLAN_DIFF_SAME);
	assert_int_equal(d->rows[0].nsub, 3);
	assert_int_equal(d->rows[1].kind, PLAN_DIFF_SAME);
	assert_int_equal(d->rows[1].a, 1);
	assert_int_equal(d->rows[1].b, 1);
	/* 1.5 ms x 2 loops vs 4 ms; 150 x 2 rows vs 100; 25 vs 10 blocks. */
	assert_near(d->rows[1].d_self_ms, -1);
	assert_near(d->rows[1].d_incl_ms, -1);
	assert_near(d->rows[1].d_rows, 200);
	assert_near(d->rows[1].d_buf, 15);
	assert_int_equal(d->rows[2].kind, PLAN_DIFF_SAME);
	assert_int_equal(d->rows[3].kind, PLAN_DIFF_CHANGED);
	assert_int_equal(d->rows[3].a, 3);
	assert_int_equal(d->rows[3].b, 3);
	assert_int_equal(d->rows[3].depth, 2);
	assert_near(d->rows[3].d_self_ms, -1.5);
	/* The Hash lost 1.5 ms below it: 1 -> 2.5 ms self. */
	assert_near(d->rows[2].d_self_ms, 1.5);
	assert_near(d->rows[0].d_self_ms, 1);
	assert_str(plan_diff_kind_name(PLAN_DIFF_CHANGED), "changed");
	assert_str(plan_diff_kind_name(PLAN_DIFF_GONE), "gone");

	plan_diff_print(d, "old.json", "new.json", &sb);
	assert_contains(sb.buf, "old: old.json: 4 nodes, "
	    "execution 10.000 ms\n");
	assert_contains(sb.buf, "new: new.json: 4 nodes, execution 8.000 ms\n");
	assert_contains(sb.buf, "1 changed, 0 added, 0 gone\n");
	assert_contains(sb.buf, "=>");
	assert_contains(sb.buf,
	    "-> Seq Scan on t  =>  Index Scan using t_pkey on t\n");
	assert_contains(sb.buf, "\n~");
	plan_diff_free(d);
	strbuf_release(&sb);
	plan_free(a);
	plan_free(b);
}

static void
test_diff_added_gone(void **state)
{
	struct plan		*a, *b, *c;
	struct plan_diff	*d;
	struct strbuf		 sb = STRBUF_INIT;
	int			 i;

	(void)state;
	a = J("[{'Plan': {'Node Type': 'Append', " ACT(10, 1) ", 'Plans': [\n"
	    "  {'Node Type': 'Seq Scan', 'Parent Relationship': 'Member', "
	    "'Relation Name': 'p1', " ACT(4, 1) "}]}}]");
	b = J("[{'Plan': {'Node Type': 'Append', " ACT(20, 1) ", 'Plans': [\n"
	    "  {'Node Type': 'Seq Scan', 'Parent Relationship': 'Member', "
	    "'Relation Name': 'p1', " ACT(4, 1) "},\n"
	    "  {'Node Type': 'Hash Join', 'Join Type': 'Inner', "
	    "'Parent Relationship': 'Member', " ACT(12, 1) ", 'Plans': [\n"
	    "    {'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', "
	    "'Relation Name': 'x', " ACT(5, 1) "},\n"
	    "    {'Node Type': 'Hash', 'Parent Relationship': 'Inner', "
	    ACT(4, 1) ", 'Plans': [\n"
	    "      {'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', "
	    "'Relation Name': 'y', " ACT(3, 1) "}]}]}]}}]");

	/* The Hash Join subtree is new: 4 rows added, in preorder. */
	d = plan_diff_new(a, b);
	assert_int_equal(d->nrows, 6);
	assert_int_equal(d->nadded, 4);
	assert_int_equal(d->ngone, 0);
	assert_int_equal(d->nchanged, 0);
	assert_int_equal(d->rows[0].kind, PLAN_DIFF_SAME);
	assert_int_equal(d->rows[0].nsub, 5);
	assert_near(d->rows[0].d_self_ms, -2);
	assert_int_equal(d->rows[1].kind, PLAN_DIFF_SAME);
	for (i = 2; i < 6; i++) {
		assert_int_equal(d->rows[i].kind, PLAN_DIFF_ADDED);
		assert_int_equal(d->rows[i].a, -1);
		assert_int_equal(d->rows[i].b, i);
		assert_int_equal(d->rows[i].depth, b->nodes[i].depth);
		assert_int_equal(d->rows[i].nsub, b->nodes[i].nsub);
		assert_near(d->rows[i].d_self_ms, b->nodes[i].self_ms);
		assert_near(d->rows[i].d_incl_ms, b->nodes[i].incl_ms);
	}
	assert_int_equal(d->rows[2].nsub, 3);
	assert_near(d->rows[2].d_self_ms, 3);
	assert_near(d->rows[2].d_rows, 1);
	plan_diff_print(d, "a", "b", &sb);
	assert_contains(sb.buf, "0 changed, 4 added, 0 gone\n");
	assert_contains(sb.buf, "\n+");
	plan_diff_free(d);
	strbuf_reset(&sb);

	/* The other way round: gone. */
	d = plan_diff_new(b, a);
	assert_int_equal(d->nrows, 6);
	assert_int_equal(d->ngone, 4);
	assert_int_equal(d->nadded, 0);
	for (i = 2; i < 6; i++) {
		assert_int_equal(d->rows[i].kind, PLAN_DIFF_GONE);
		assert_int_equal(d->rows[i].a, i);
		assert_int_equal(d->rows[i].b, -1);
		assert_near(d->rows[i].d_self_ms, -b->nodes[i].self_ms);
	}
	assert_int_equal(d->rows[2].nsub, 3);
	assert_int_equal(d->rows[4].nsub, 1);
	plan_diff_print(d, "b", "a", &sb);
	assert_contains(sb.buf, "0 changed, 0 added, 4 gone\n");
	plan_diff_free(d);
	strbuf_release(&sb);

	/* A child gone from the middle shows where it used to be. */
	c = J("[{'Plan': {'Node Type': 'Append', " ACT(10, 1) ", 'Plans': [\n"
	    "  {'Node Type': 'Seq Scan', 'Parent Relationship': 'Member', "
	    "'Relation Name': 'p1', " ACT(1, 1) "},\n"
	    "  {'Node Type': 'Seq Scan', 'Parent Relationship': 'Member', "
	    "'Relation Name': 'p2', " ACT(2, 1) "},\n"
	    "  {'Node Type': 'Seq Scan', 'Parent Relationship': 'Member', "
	    "'Relation Name': 'p3', " ACT(3, 1) "}]}}]");
	plan_free(a);
	a = J("[{'Plan': {'Node Type': 'Append', " ACT(10, 1) ", 'Plans': [\n"
	    "  {'Node Type': 'Seq Scan', 'Parent Relationship': 'Member', "
	    "'Relation Name': 'p1', " ACT(1, 1) "},\n"
	    "  {'Node Type': 'Seq Scan', 'Parent Relationship': 'Member', "
	    "'Relation Name': 'p3', " ACT(3, 1) "}]}}]");
	d = plan_diff_new(c, a);
	assert_int_equal(d->nrows, 4);
	assert_int_equal(d->ngone, 1);
	assert_int_equal(d->rows[1].kind, PLAN_DIFF_SAME);
	assert_int_equal(d->rows[2].kind, PLAN_DIFF_GONE);
	assert_int_equal(d->rows[2].a, 2);
	assert_int_equal(d->rows[3].kind, PLAN_DIFF_SAME);
	assert_int_equal(d->rows[3].a, 3);
	assert_int_equal(d->rows[3].b, 2);
	assert_int_equal(d->rows[0].nsub, 3);
	plan_diff_free(d);
	plan_free(a);
	plan_free(b);
	plan_free(c);
}

/* An Append of 'n' Seq Scans on t0 ... t<n-1>, in reverse if 'rev'. */
static struct plan *
append_of_scans(int n, int rev)
{
	struct plan	*p = plan_new(PLAN_TEXT);
	char		*cause = NULL, rel[32];
	int		 i, k;

	assert_int_equal(plan_add_node(p, -1, 1, &cause), 0);
	plan_node_set_label(p, 0, "Append");
	for (i = 0; i < n; i++) {
		k = plan_add_node(p, 0, i + 2, &cause);
		assert_int_equal(k, i + 1);
		plan_node_set_label(p, k, "Seq Scan");
		snprintf(rel, sizeof rel, "t%d", rev ? n - 1 - i : i);
		p->nodes[k].relation = plan_strdup(p, rel);
		p->nodes[k].rel_kind = "Member";
	}
	plan_finish(p);
	return p;
}

/*
 * Matching children is not quadratic: an Append of 30,000 scans against
 * the same in reverse order pairs every scan with its relation.  Checked
 * by size, not by a clock: before the fix this diff took 4 s, now 0.02.
 */
static void
test_diff_many_children(void **state)
{
	struct plan		*a = append_of_scans(30000, 0);
	struct plan		*b = append_of_scans(30000, 1);
	struct plan_diff	*d = plan_diff_new(a, b);

	(void)state;
	assert_int_equal(d->nrows, 30001);
	assert_int_equal(d->nchanged + d->nadded + d->ngone, 0);
	assert_int_equal(d->rows[1].a, 30000);
	assert_int_equal(d->rows[1].b, 1);
	assert_int_equal(d->rows[30000].a, 1);
	assert_int_equal(d->rows[30000].b, 30000);
	plan_diff_free(d);
	d = plan_diff_new(a, a);
	assert_int_equal(d->rows[12345].a, 12345);
	assert_int_equal(d->rows[12345].b, 12345);
	plan_diff_free(d);
	plan_free(a);
	plan_free(b);
}

/* ---- 8. the captured fixtures: JSON and text of the same plans ---- */

static void
test_fixture_pairs(void **state)
{
	char	**names;
	size_t	  n, i, pairs = 0;
	int	  k;

	(void)state;
	names = fixture_list(".json", &n);
	for (i = 0; i < n; i++) {
		char		*base, *txt, *path;
		FILE		*f;
		struct plan	*pj, *pt;

		base = xstrndup(names[i], strlen(names[i]) - 5);
		txt = xstrfmt("%s.txt", base);
		path = fixture_path(txt);
		f = fopen(path, "rb");
		free(path);
		if (f == NULL) {
			free(base);
			free(txt);
			continue;
		}
		fclose(f);
		pairs++;
		pj = FIXTURE(names[i]);
		pt = FIXTURE(txt);
		assert_int_equal(pj->format, PLAN_JSON);
		assert_int_equal(pt->format, PLAN_TEXT);
		if (pj->nnodes != pt->nnodes)
			fail_msg("%s: %d JSON nodes, %d text nodes", base,
			    pj->nnodes, pt->nnodes);
		for (k = 0; k < pj->nnodes; k++) {
			const struct plan_node *x = &pj->nodes[k];
			const struct plan_node *y = &pt->nodes[k];

#define PAIR_STR(f) do { \
	if ((x->f == NULL) != (y->f == NULL) || \
	    (x->f != NULL && strcmp(x->f, y->f) != 0)) \
		fail_msg("%s node %d " #f ": JSON \"%s\", text \"%s\"", \
		    base, k, x->f != NULL ? x->f : "(null)", \
		    y->f != NULL ? y->f : "(null)"); \
} while (0)
#define PAIR_INT(f) do { \
	if (x->f != y->f) \
		fail_msg("%s node %d " #f ": JSON %d, text %d", base, k, \
		    (int)x->f, (int)y->f); \
} while (0)
			PAIR_STR(label);
			PAIR_STR(type);
			PAIR_STR(join_type);
			PAIR_STR(rel_kind);
			PAIR_STR(subplan);
			PAIR_STR(relation);
			PAIR_STR(index);
			PAIR_STR(cte);
			PAIR_INT(parent);
			PAIR_INT(depth);
			PAIR_INT(nkids);
			PAIR_INT(nsub);
			PAIR_INT(has_cost);
			PAIR_INT(has_actual);
			PAIR_INT(never_executed);
			PAIR_INT(charged_to);
#undef PAIR_STR
#undef PAIR_INT
		}
		if (pj->analyzed != pt->analyzed ||
		    pj->has_jit != pt->has_jit ||
		    pj->ntriggers != pt->ntriggers ||
		    pj->has_execution != pt->has_execution)
			fail_msg("%s: plan-level fields differ", base);
		plan_free(pj);
		plan_free(pt);
		free(base);
		free(txt);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	/* The directory was found and holds the captured shapes. */
	assert_true(pairs >= 40);
}

/* Every fixture: self times add up, nothing negative, print and diff. */
static void
test_fixture_invariants(void **state)
{
	static const char *const exts[] = { ".json", ".txt" };
	size_t	  e, i, n, total = 0;
	char	**names;
	int	  k;

	(void)state;
	for (e = 0; e < 2; e++) {
		names = fixture_list(exts[e], &n);
		for (i = 0; i < n; i++) {
			struct plan		*p;
			struct plan_diff	*d;
			struct strbuf		 sb = STRBUF_INIT;
			double			 slack = 0;

			p = FIXTURE(names[i]);
			total++;
			for (k = 0; k < p->nnodes; k++) {
				const struct plan_node *nd = &p->nodes[k];
				double s = nd->incl_ms * 0.01;

				slack += s < 0.01 ? 0.01 : s;
				if (nd->self_ms < 0)
					fail_msg("%s node %d: self %g",
					    names[i], k, nd->self_ms);
				if (nd->rel_kind != NULL &&
				    strcmp(nd->rel_kind, "InitPlan") == 0 &&
				    nd->charged_to < 0)
					fail_msg("%s node %d: nobody pays",
					    names[i], k);
			}
			if (!(p->amb & PLAN_AMB_CLAMPED) &&
			    fabs(sum_self(p) - p->nodes[0].incl_ms) > slack)
				fail_msg("%s: self times add up to %.3f, "
				    "root %.3f",
				    names[i], sum_self(p), p->nodes[0].incl_ms);
			for (k = 1; k < p->nwarnings; k++) {
				if (p->warnings[k - 1].impact_ms <
				    p->warnings[k].impact_ms)
					fail_msg("%s: warnings out of order",
					    names[i]);
			}
			plan_print(p, names[i], &sb);
			assert_prefix(sb.buf, names[i]);
			d = plan_diff_new(p, p);
			assert_int_equal(d->nrows, p->nnodes);
			assert_int_equal(d->nchanged + d->nadded + d->ngone, 0);
			plan_diff_free(d);
			strbuf_release(&sb);
			plan_free(p);
			free(names[i]);
		}
		free(names);
	}
	assert_true(total >= 90);
}

/* Shapes whose figures the fixtures pin (deterministic data). */
static void
test_fixture_shapes(void **state)
{
	struct plan	*p;
	int		 w;

	(void)state;
	p = FIXTURE("initplan.txt");
	assert_int_equal(p->nnodes, 3);
	assert_str(p->nodes[1].subplan, "InitPlan 1 (returns $0)");
	assert_int_equal(p->nodes[1].charged_to, 0);
	assert_near(p->nodes[0].self_ms, p->nodes[0].incl_ms -
	    p->nodes[1].incl_ms);
	plan_free(p);

	p = FIXTURE("cte_scan.json");
	for (w = 0; w < p->nnodes; w++) {
		if (p->nodes[w].subplan != NULL &&
		    strncmp(p->nodes[w].subplan, "CTE ", 4) == 0)
			break;
	}
	assert_true(w < p->nnodes);
	assert_true(p->nodes[w].charged_to >= 0);
	assert_str(p->nodes[p->nodes[w].charged_to].type, "CTE Scan");
	plan_free(p);

	p = FIXTURE("sort_disk.txt");
	assert_true(find_warning(p, PLAN_W_DISK_SORT, -1) >= 0);
	plan_free(p);
	p = FIXTURE("hash_batches.json");
	assert_true(find_warning(p, PLAN_W_HASH_BATCHES, -1) >= 0);
	plan_free(p);
	p = FIXTURE("hashagg_spill.json");
	assert_true(find_warning(p, PLAN_W_HASHAGG_SPILL, -1) >= 0);
	plan_free(p);
	p = FIXTURE("bitmap_lossy.txt");
	assert_true(find_warning(p, PLAN_W_LOSSY, -1) >= 0);
	assert_str(p->nodes[1].label, "Bitmap Heap Scan");
	assert_true(p->nodes[1].lossy_blocks > 0);
	assert_true(p->nodes[1].exact_blocks > 0);
	plan_free(p);
	p = FIXTURE("index_only_scan.json");
	assert_true(find_warning(p, PLAN_W_HEAP_FETCHES, -1) >= 0);
	plan_free(p);
	p = FIXTURE("misestimate.json");
	assert_true(find_warning(p, PLAN_W_MISESTIMATE, -1) >= 0);
	plan_free(p);
	p = FIXTURE("limit_early.json");
	assert_int_equal(find_warning(p, PLAN_W_MISESTIMATE, -1), -1);
	plan_free(p);
	p = FIXTURE("insert_triggers.txt");
	assert_int_equal(p->ntriggers, 3);
	assert_prefix(p->triggers[0].name, "for constraint ");
	assert_prefix(p->triggers[1].name, "for constraint ");
	assert_null(strstr(p->triggers[2].name, "constraint"));
	assert_true(p->triggers[2].calls > 0);
	assert_near(p->trigger_ms, p->triggers[0].time_ms +
	    p->triggers[1].time_ms + p->triggers[2].time_ms);
	plan_free(p);
	p = FIXTURE("timing_off.json");
	assert_true(p->analyzed);
	assert_false(p->nodes[0].has_timing);
	assert_near(p->nodes[0].incl_ms, 0);
	plan_free(p);
	p = FIXTURE("costs_only.txt");
	assert_false(p->analyzed);
	assert_int_equal(p->nwarnings, 0);
	plan_free(p);
}

/* ---- 9. explain --print ---- */

/* The number after 'key' in the fixture's own text. */
static double
number_in(const char *buf, const char *key)
{
	const char	*s = strstr(buf, key);

	if (s == NULL)
		fail_msg("no \"%s\"", key);
	return strtod(s + strlen(key), NULL);
}

static void
test_print(void **state)
{
	size_t		 len;
	char		*buf, *want;
	struct plan	*p;
	struct strbuf	 sb = STRBUF_INIT;

	(void)state;
	buf = fixture("seq_scan.txt", &len);
	p = parse_ok(plan_parse, "seq_scan.txt", buf, len);
	plan_print(p, "seq_scan.txt", &sb);
	want = xstrfmt("seq_scan.txt: 1 node, text, analysed, "
	    "execution %.3f ms, "
	    "planning %.3f ms\n", number_in(buf, "Execution Time: "),
	    number_in(buf, "Planning Time: "));
	assert_prefix(sb.buf, want);
	assert_contains(sb.buf, "   self ms  self%     incl ms   rows est");
	assert_contains(sb.buf, "  Seq Scan on orders\n");
	assert_contains(sb.buf, "\nwarnings, by impact:\n  1. [");
	assert_contains(sb.buf, "[filter] Seq Scan on orders threw away");
	assert_contains(sb.buf, "      fix: ");
	free(want);
	plan_free(p);
	free(buf);
	strbuf_reset(&sb);

	/* JSON, with the schema. */
	p = FIXTURE("seq_scan.json");
	plan_print(p, "seq_scan.json", &sb);
	assert_prefix(sb.buf, "seq_scan.json: 1 node, JSON, analysed, "
	    "execution ");
	assert_contains(sb.buf, "  Seq Scan on public.orders\n");
	assert_contains(sb.buf, "warnings, by impact:");
	plan_free(p);
	strbuf_reset(&sb);

	/* Estimates only: cost columns, no warnings. */
	p = FIXTURE("costs_only.txt");
	plan_print(p, "costs_only.txt", &sb);
	want = xstrfmt("costs_only.txt: %d nodes, text, estimates only\n",
	    p->nnodes);
	assert_prefix(sb.buf, want);
	free(want);
	assert_contains(sb.buf, " self cost  cost%  total cost");
	assert_contains(sb.buf, "[CTE big] -> HashAggregate");
	assert_not_contains(sb.buf, "warnings");
	plan_free(p);
	strbuf_reset(&sb);

	/* Triggers, JIT, flags. */
	p = FIXTURE("insert_triggers.txt");
	plan_print(p, "insert_triggers.txt", &sb);
	assert_contains(sb.buf, "\ntrigger for constraint ");
	assert_contains(sb.buf, "calls (not in node times)\n");
	plan_free(p);
	strbuf_reset(&sb);
	p = FIXTURE("jit.txt");
	plan_print(p, "jit.txt", &sb);
	assert_contains(sb.buf, "\nJIT: 8 functions, ");
	assert_contains(sb.buf, "\nflags: P parallel section");
	plan_free(p);
	strbuf_reset(&sb);

	/* Hand-written: exact lines. */
	p = J("[{'Plan': {'Node Type': 'Nested Loop', 'Join Type': 'Inner', "
	    ACT(60, 1) ", 'Plans': [\n"
	    "  {'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', "
	    "'Relation Name': 'a', " ACT(5, 1) "},\n"
	    "  {'Node Type': 'Index Scan', 'Parent Relationship': 'Inner', "
	    "'Relation Name': 'b',\n"
	    "   'Index Name': 'b_pkey', 'Alias': 'bb', " ACT(0.5, 100) "}]},\n"
	    " 'Execution Time': 61, 'Planning Time': 0.5}]");
	plan_print(p, "nl.json", &sb);
	assert_prefix(sb.buf, "nl.json: 3 nodes, JSON, analysed, execution "
	    "61.000 ms, planning 0.500 ms\n");
	assert_contains(sb.buf,
	    "    50.000  82.0%      50.000          0          1       1x      "
	    " 100          0          -> Index Scan using b_pkey on b bb\n");
	assert_contains(sb.buf, "[slow] 82% of the time in Index Scan using "
	    "b_pkey on b bb");
	plan_free(p);
	strbuf_release(&sb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_basic),
		cmocka_unit_test(test_json_auto_explain_and_bare),
		cmocka_unit_test(test_json_psql_framed),
		cmocka_unit_test(test_plus_mark_on_widest_line),
		cmocka_unit_test(test_unicode_newline_mark),
		cmocka_unit_test(test_json_triggers_jit),
		cmocka_unit_test(test_json_errors),
		cmocka_unit_test(test_json_error_place_framed),
		cmocka_unit_test(test_truncated_fixtures),
		cmocka_unit_test(test_text_plain),
		cmocka_unit_test(test_text_frames),
		cmocka_unit_test(test_text_wrapped_and_tabs),
		cmocka_unit_test(test_text_paste_fixtures),
		cmocka_unit_test(test_text_psql_prompt),
		cmocka_unit_test(test_text_border2_wrapped_edges),
		cmocka_unit_test(test_text_wrapped_tails_linear),
		cmocka_unit_test(test_text_timing_costs_never),
		cmocka_unit_test(test_text_multi_fields),
		cmocka_unit_test(test_text_multi_field_tail),
		cmocka_unit_test(test_text_verbose_workers),
		cmocka_unit_test(test_text_quoted_names),
		cmocka_unit_test(test_plan_has_timing_buffers),
		cmocka_unit_test(test_text_errors),
		cmocka_unit_test(test_text_nesting_limit),
		cmocka_unit_test(test_self_simple_and_loops),
		cmocka_unit_test(test_self_gather),
		cmocka_unit_test(test_self_subplan),
		cmocka_unit_test(test_self_initplan),
		cmocka_unit_test(test_self_cte),
		cmocka_unit_test(test_initplan_charge_linear),
		cmocka_unit_test(test_self_clamp_jit_buffers),
		cmocka_unit_test(test_warn_misestimate),
		cmocka_unit_test(test_warn_kinds),
		cmocka_unit_test(test_warn_ranking),
		cmocka_unit_test(test_diff_same_and_changed),
		cmocka_unit_test(test_diff_added_gone),
		cmocka_unit_test(test_diff_many_children),
		cmocka_unit_test(test_fixture_pairs),
		cmocka_unit_test(test_fixture_invariants),
		cmocka_unit_test(test_fixture_shapes),
		cmocka_unit_test(test_print),
		/* Engine bugs found by these tests, fixed since. */
		cmocka_unit_test(bug_json_nul_not_binary),
		cmocka_unit_test(bug_json_error_column_zero),
		cmocka_unit_test(bug_border2_wrapped),
		cmocka_unit_test(bug_wrap_after_space),
		cmocka_unit_test(bug_root_line_number),
		cmocka_unit_test(bug_text_wrapped_tails_quadratic),
		cmocka_unit_test(bug_initplan_charge_quadratic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
