/*
 * parse_json.c - EXPLAIN (FORMAT JSON) through jansson.
 *
 * Accepts what EXPLAIN prints ([{"Plan": ...}]), auto_explain's object
 * ({"Query Text": ..., "Plan": ...}) and a bare node, optionally inside
 * psql's frame.  Syntax errors name the line and column of the input;
 * a value of the wrong type names its path in the document
 * ("plan.json: [0].Plan.Plans[1].\"Actual Rows\": expected a number").
 */
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../core/strbuf.h"
#include "../core/util.h"
#include "plan_int.h"

#include "../core/banned.h"

struct jctx {
	struct plan	*p;
	const char	*name;
	struct strbuf	 path;
	char		*cause;
};

static int
jfail(struct jctx *c, const char *key, const char *fmt, ...)
	PRINTF_LIKE(3, 4);

static int
jfail(struct jctx *c, const char *key, const char *fmt, ...)
{
	va_list	ap;
	char	*msg;

	if (c->cause != NULL)
		return -1;
	va_start(ap, fmt);
	msg = xstrvfmt(fmt, ap);
	va_end(ap);
	if (key != NULL)
		c->cause = xstrfmt("%s: %s.\"%s\": %s", c->name,
		    c->path.len ? c->path.buf : "$", key, msg);
	else
		c->cause = xstrfmt("%s: %s: %s", c->name,
		    c->path.len ? c->path.buf : "$", msg);
	free(msg);
	return -1;
}

static const char *
jtype(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:	return "an object";
	case JSON_ARRAY:	return "an array";
	case JSON_STRING:	return "a string";
	case JSON_INTEGER:
	case JSON_REAL:		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:	return "a boolean";
	case JSON_NULL:		return "null";
	}
	return "something";
}

/* A number field: 0 if absent, -1 on a wrong type or a negative value. */
static int
jnum(struct jctx *c, json_t *obj, const char *key, double *out, int *has)
{
	json_t	*v = json_object_get(obj, key);
	double	 d;

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_number(v))
		return jfail(c, key, "expected a number, found %s", jtype(v));
	d = json_number_value(v);
	if (!isfinite(d) || d < 0)
		return jfail(c, key, "expected a number >= 0, found %g", d);
	if (d > 1e15)
		d = 1e15;
	*out = d;
	if (has != NULL)
		*has = 1;
	return 0;
}

/* A string field: NULL if absent; a wrong type fails. */
static int
jstr(struct jctx *c, json_t *obj, const char *key, const char **out)
{
	json_t	*v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return jfail(c, key, "expected a string, found %s", jtype(v));
	*out = plan_strndup(c->p, json_string_value(v), json_string_length(v));
	return 0;
}

/* Any value as the text the detail view shows. */
static void
jtext(json_t *v, struct strbuf *sb, int depth)
{
	const char	*k;
	json_t		*x;
	size_t		 i;
	int		 first = 1;

	if (depth > 8) {
		strbuf_addstr(sb, "...");
		return;
	}
	switch (json_typeof(v)) {
	case JSON_STRING:
		strbuf_add(sb, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		strbuf_addf(sb, "%lld", (long long)json_integer_value(v));
		break;
	case JSON_REAL:
		strbuf_addf(sb, "%.3f", json_real_value(v));
		break;
	case JSON_TRUE:
		strbuf_addstr(sb, "true");
		break;
	case JSON_FALSE:
		strbuf_addstr(sb, "false");
		break;
	case JSON_NULL:
		strbuf_addstr(sb, "null");
		break;
	case JSON_ARRAY:
		json_array_foreach(v, i, x) {
			if (!first)
				strbuf_addstr(sb, ", ");
			first = 0;
			if (json_is_object(x))
				strbuf_addch(sb, '{');
			jtext(x, sb, depth + 1);
			if (json_is_object(x))
				strbuf_addch(sb, '}');
		}
		break;
	case JSON_OBJECT:
		json_object_foreach(v, k, x) {
			if (!first)
				strbuf_addstr(sb, ", ");
			first = 0;
			strbuf_addf(sb, "%s: ", k);
			jtext(x, sb, depth + 1);
		}
		break;
	}
}

static int
jbool(json_t *obj, const char *key)
{
	return json_is_true(json_object_get(obj, key));
}

static const char *const buffer_keys[] = {
	"Shared Hit Blocks", "Shared Read Blocks", "Shared Dirtied Blocks",
	"Shared Written Blocks", "Local Hit Blocks", "Local Read Blocks",
	"Local Dirtied Blocks", "Local Written Blocks", "Temp Read Blocks",
	"Temp Written Blocks",
};

static int
jbuffers(struct jctx *c, json_t *obj, struct plan_buffers *b, int *has)
{
	double	*f[10];
	size_t	 i;

	f[0] = &b->shared_hit; f[1] = &b->shared_read;
	f[2] = &b->shared_dirtied; f[3] = &b->shared_written;
	f[4] = &b->local_hit; f[5] = &b->local_read;
	f[6] = &b->local_dirtied; f[7] = &b->local_written;
	f[8] = &b->temp_read; f[9] = &b->temp_written;
	for (i = 0; i < 10; i++) {
		if (jnum(c, obj, buffer_keys[i], f[i], has) == -1)
			return -1;
	}
	return 0;
}

/* Keys read into fields that the detail view shows from the fields. */
static int
is_structural(const char *k)
{
	return strcmp(k, "Plans") == 0;
}

static int jnode(struct jctx *c, json_t *obj, int parent, int depth);

static int
jnode_fields(struct jctx *c, json_t *obj, int idx)
{
	struct plan_node	*n;
	const char		*op, *partial, *dir, *cmd, *prov, *t;
	const char		*k;
	json_t			*v;
	double			 io_r = 0, io_w = 0, d;
	int			 has_act = 0, has_time = 0, has_cost = 0;

	/* Every field, as text, for the detail view. */
	json_object_foreach(obj, k, v) {
		struct strbuf sb = STRBUF_INIT;

		if (is_structural(k))
			continue;
		if (strcmp(k, "Workers") == 0 && json_is_array(v)) {
			size_t	i;
			json_t	*w;

			json_array_foreach(v, i, w) {
				json_t	*num = json_object_get(w, "Worker Number");
				char	 key[32];

				if (json_is_integer(num))
					snprintf(key, sizeof key, "Worker %lld",
					    (long long)json_integer_value(num));
				else
					snprintf(key, sizeof key, "Worker %zu", i);
				strbuf_reset(&sb);
				jtext(w, &sb, 1);
				plan_node_add_prop(c->p, idx, key, sb.buf);
			}
			strbuf_release(&sb);
			continue;
		}
		jtext(v, &sb, 0);
		plan_node_add_prop(c->p, idx, k, sb.buf);
		strbuf_release(&sb);
	}

	n = &c->p->nodes[idx];
	if (jstr(c, obj, "Node Type", &t) == -1)
		return -1;
	if (t == NULL)
		return jfail(c, NULL, "a plan node without \"Node Type\"");
	n->type = t;
	if (jstr(c, obj, "Parent Relationship", &n->rel_kind) == -1 ||
	    jstr(c, obj, "Subplan Name", &n->subplan) == -1 ||
	    jstr(c, obj, "Relation Name", &n->relation) == -1 ||
	    jstr(c, obj, "Schema", &n->schema) == -1 ||
	    jstr(c, obj, "Alias", &n->alias) == -1 ||
	    jstr(c, obj, "Index Name", &n->index) == -1 ||
	    jstr(c, obj, "CTE Name", &n->cte) == -1 ||
	    jstr(c, obj, "Join Type", &n->join_type) == -1 ||
	    jstr(c, obj, "Strategy", &n->strategy) == -1 ||
	    jstr(c, obj, "Operation", &op) == -1 ||
	    jstr(c, obj, "Partial Mode", &partial) == -1 ||
	    jstr(c, obj, "Scan Direction", &dir) == -1 ||
	    jstr(c, obj, "Command", &cmd) == -1 ||
	    jstr(c, obj, "Custom Plan Provider", &prov) == -1 ||
	    jstr(c, obj, "Sort Method", &n->sort_method) == -1 ||
	    jstr(c, obj, "Sort Space Type", &n->sort_space_type) == -1)
		return -1;
	/* The main condition, in the order EXPLAIN prints them. */
	{
		static const char *const conds[] = {
			"Index Cond", "Hash Cond", "Merge Cond", "Recheck Cond",
			"Join Filter", "Filter", "TID Cond", "One-Time Filter",
			NULL
		};
		int	i;

		for (i = 0; conds[i] != NULL && n->cond == NULL; i++) {
			json_t	*cv = json_object_get(obj, conds[i]);

			if (json_is_string(cv))
				n->cond = plan_strdup(c->p, json_string_value(cv));
		}
	}
	if (jnum(c, obj, "Startup Cost", &n->startup_cost, &has_cost) == -1 ||
	    jnum(c, obj, "Total Cost", &n->total_cost, &has_cost) == -1 ||
	    jnum(c, obj, "Plan Rows", &n->plan_rows, NULL) == -1 ||
	    jnum(c, obj, "Plan Width", &n->plan_width, NULL) == -1 ||
	    jnum(c, obj, "Actual Startup Time", &n->act_startup, &has_time) == -1 ||
	    jnum(c, obj, "Actual Total Time", &n->act_total, &has_time) == -1 ||
	    jnum(c, obj, "Actual Rows", &n->act_rows, &has_act) == -1 ||
	    jnum(c, obj, "Actual Loops", &n->loops, &has_act) == -1 ||
	    jbuffers(c, obj, &n->buf, &n->has_buffers) == -1 ||
	    jnum(c, obj, "I/O Read Time", &io_r, NULL) == -1 ||
	    jnum(c, obj, "I/O Write Time", &io_w, NULL) == -1 ||
	    jnum(c, obj, "Shared I/O Read Time", &n->io_read_ms, NULL) == -1 ||
	    jnum(c, obj, "Shared I/O Write Time", &n->io_write_ms, NULL) == -1 ||
	    jnum(c, obj, "Sort Space Used", &n->sort_space_kb, NULL) == -1 ||
	    jnum(c, obj, "Hash Buckets", &n->hash_buckets, NULL) == -1 ||
	    jnum(c, obj, "Original Hash Buckets", &n->hash_buckets_orig, NULL) == -1 ||
	    jnum(c, obj, "Hash Batches", &n->hash_batches, NULL) == -1 ||
	    jnum(c, obj, "Original Hash Batches", &n->hash_batches_orig, NULL) == -1 ||
	    jnum(c, obj, "Peak Memory Usage", &n->peak_memory_kb, NULL) == -1 ||
	    jnum(c, obj, "HashAgg Batches", &n->hashagg_batches, NULL) == -1 ||
	    jnum(c, obj, "Disk Usage", &n->disk_usage_kb, NULL) == -1 ||
	    jnum(c, obj, "Rows Removed by Filter", &n->rows_removed_filter, NULL) == -1 ||
	    jnum(c, obj, "Rows Removed by Join Filter", &n->rows_removed_join_filter, NULL) == -1 ||
	    jnum(c, obj, "Rows Removed by Index Recheck", &n->rows_removed_recheck, NULL) == -1 ||
	    jnum(c, obj, "Heap Fetches", &n->heap_fetches, NULL) == -1 ||
	    jnum(c, obj, "Exact Heap Blocks", &n->exact_blocks, NULL) == -1 ||
	    jnum(c, obj, "Lossy Heap Blocks", &n->lossy_blocks, NULL) == -1 ||
	    jnum(c, obj, "Workers Planned", &n->workers_planned, NULL) == -1 ||
	    jnum(c, obj, "Workers Launched", &n->workers_launched, &n->has_workers_launched) == -1 ||
	    jnum(c, obj, "Cache Hits", &n->cache_hits, NULL) == -1 ||
	    jnum(c, obj, "Cache Misses", &n->cache_misses, NULL) == -1 ||
	    jnum(c, obj, "Cache Evictions", &n->cache_evictions, NULL) == -1 ||
	    jnum(c, obj, "Cache Overflows", &n->cache_overflows, NULL) == -1)
		return -1;
	/* Incremental Sort: the methods are inside the group figures. */
	if (n->sort_method == NULL) {
		json_t *fg = json_object_get(obj, "Full-sort Groups");
		json_t *m = json_object_get(fg, "Sort Methods Used");

		if (json_is_array(m) && json_array_size(m) > 0) {
			struct strbuf sb = STRBUF_INIT;

			jtext(m, &sb, 1);
			n->sort_method = plan_strdup(c->p, sb.buf);
			strbuf_release(&sb);
		}
	}
	/* Up to PostgreSQL 15 one pair of I/O timings; 16 splits them. */
	n->io_read_ms += io_r;
	n->io_write_ms += io_w;
	d = 0;
	if (jnum(c, obj, "Local I/O Read Time", &d, NULL) == -1)
		return -1;
	n->io_read_ms += d;
	d = 0;
	if (jnum(c, obj, "Temp I/O Read Time", &d, NULL) == -1)
		return -1;
	n->io_read_ms += d;
	n->has_cost = has_cost;
	n->has_actual = has_act;
	n->has_timing = has_time;
	if (has_act && n->loops == 0)
		n->never_executed = 1;
	plan_node_make_label(c->p, idx, op, partial, jbool(obj, "Parallel Aware"),
	    jbool(obj, "Async Capable"), dir, cmd, prov);
	if (n->relation == NULL && n->index == NULL && n->cte == NULL &&
	    strcmp(n->type, "Function Scan") != 0 &&
	    strcmp(n->type, "Subquery Scan") != 0 &&
	    strcmp(n->type, "Values Scan") != 0 &&
	    strcmp(n->type, "WorkTable Scan") != 0 &&
	    strcmp(n->type, "Table Function Scan") != 0)
		n->alias = NULL;
	return 0;
}

static int
jnode(struct jctx *c, json_t *obj, int parent, int depth)
{
	json_t	*kids, *kid;
	size_t	 i, mark = c->path.len;
	int	 idx;

	if (!json_is_object(obj))
		return jfail(c, NULL, "expected a plan node object, found %s",
		    jtype(obj));
	if ((idx = plan_add_node(c->p, parent, 0, &c->cause)) == -1) {
		char *m = c->cause;

		c->cause = NULL;
		jfail(c, NULL, "%s", m);
		free(m);
		return -1;
	}
	if (jnode_fields(c, obj, idx) == -1)
		return -1;
	kids = json_object_get(obj, "Plans");
	if (kids == NULL)
		return 0;
	if (!json_is_array(kids))
		return jfail(c, "Plans", "expected an array, found %s",
		    jtype(kids));
	json_array_foreach(kids, i, kid) {
		strbuf_addf(&c->path, ".Plans[%zu]", i);
		if (jnode(c, kid, idx, depth + 1) == -1)
			return -1;
		strbuf_setlen(&c->path, mark);
	}
	return 0;
}

static int
jtop(struct jctx *c, json_t *top)
{
	struct plan	*p = c->p;
	json_t		*plan, *v, *x;
	const char	*k;
	size_t		 i;
	int		 has = 0;

	plan = json_object_get(top, "Plan");
	if (plan == NULL) {
		if (json_object_get(top, "Node Type") != NULL)
			return jnode(c, top, -1, 0);
		return jfail(c, NULL, "not an EXPLAIN plan (no \"Plan\" "
		    "or \"Node Type\")");
	}
	strbuf_addstr(&c->path, ".Plan");
	if (jnode(c, plan, -1, 0) == -1)
		return -1;
	strbuf_setlen(&c->path, c->path.len - 5);

	if (jstr(c, top, "Query Text", &p->query_text) == -1 ||
	    jnum(c, top, "Planning Time", &p->planning_ms, &p->has_planning) == -1 ||
	    jnum(c, top, "Execution Time", &p->execution_ms, &p->has_execution) == -1)
		return -1;
	v = json_object_get(top, "Planning");
	if (json_is_object(v) &&
	    jbuffers(c, v, &p->planning_buf, &has) == -1)
		return -1;

	v = json_object_get(top, "Triggers");
	if (v != NULL && !json_is_array(v))
		return jfail(c, "Triggers", "expected an array, found %s",
		    jtype(v));
	if (json_array_size(v) > 0)
		p->triggers = xcalloc(json_array_size(v), sizeof *p->triggers);
	json_array_foreach(v, i, x) {
		struct plan_trigger	*t = &p->triggers[p->ntriggers];
		const char		*cons;

		if (!json_is_object(x))
			return jfail(c, "Triggers", "expected objects");
		if (jstr(c, x, "Trigger Name", &t->name) == -1 ||
		    jstr(c, x, "Constraint Name", &cons) == -1 ||
		    jstr(c, x, "Relation", &t->relation) == -1 ||
		    jnum(c, x, "Time", &t->time_ms, NULL) == -1 ||
		    jnum(c, x, "Calls", &t->calls, NULL) == -1)
			return -1;
		if (cons != NULL) {
			char *s = xstrfmt("for constraint %s", cons);

			t->name = plan_strdup(p, s);
			free(s);
		}
		if (t->name == NULL)
			t->name = "?";
		p->trigger_ms += t->time_ms;
		p->ntriggers++;
	}

	v = json_object_get(top, "JIT");
	if (json_is_object(v)) {
		json_t	*tm = json_object_get(v, "Timing");
		static const char *const parts[] = {
			"Generation", "Inlining", "Optimization", "Emission",
			"Total"
		};
		double	*f[5];

		f[0] = &p->jit_generation_ms; f[1] = &p->jit_inlining_ms;
		f[2] = &p->jit_optimization_ms; f[3] = &p->jit_emission_ms;
		f[4] = &p->jit_total_ms;
		p->has_jit = 1;
		if (jnum(c, v, "Functions", &p->jit_functions, NULL) == -1)
			return -1;
		for (i = 0; json_is_object(tm) && i < 5; i++) {
			json_t *part = json_object_get(tm, parts[i]);

			/* PostgreSQL 17 nests {"Deform": .., "Total": ..}. */
			if (json_is_object(part)) {
				if (jnum(c, part, "Total", f[i], NULL) == -1)
					return -1;
			} else if (jnum(c, tm, parts[i], f[i], NULL) == -1)
				return -1;
		}
	}

	json_object_foreach(top, k, v) {
		struct strbuf sb = STRBUF_INIT;

		if (strcmp(k, "Plan") == 0 || strcmp(k, "Triggers") == 0)
			continue;
		jtext(v, &sb, 0);
		plan_add_prop(p, k, sb.buf);
		strbuf_release(&sb);
	}
	return 0;
}

/*
 * Map a position in the cleaned text back to the input for messages.
 * jansson counts a position at the start of a line as column 0 (input
 * cut after a newline, empty input): that is column 1 of the line.
 */
static void
where(const struct plan_lines *l, int line, int col, int *oline, int *ocol)
{
	if (col < 1)
		col = 1;
	*oline = line;
	*ocol = col;
	if (l == NULL || line < 1 || l->n == 0)
		return;
	if (line > l->n) {
		/* Past the last line: as far past it in the input. */
		*oline = l->line_of[l->n - 1] + line - l->n;
		return;
	}
	*oline = l->line_of[line - 1];
	*ocol = col + l->col_of[line - 1] - 1;
}

struct plan *
plan_parse_json(const char *name, const char *buf, size_t len, char **cause)
{
	struct plan_lines	 l, *lp = NULL;
	struct strbuf		 clean = STRBUF_INIT;
	struct jctx		 c;
	json_error_t		 err;
	json_t			*root, *top;
	const char		*in = buf;
	size_t			 inlen = len;
	int			 i;

	/* Only a framed plan needs the copy: plain JSON is read as it is. */
	{
		size_t	k = 0;

		if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
			k = 3;
		while (k < len && (buf[k] == ' ' || buf[k] == '\t' ||
		    buf[k] == '\n' || buf[k] == '\r'))
			k++;
		memset(&l, 0, sizeof l);
		if (k < len && (buf[k] == '[' || buf[k] == '{')) {
			/* Leading blank lines stay: jansson counts the lines. */
			in = buf + (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3)
			    == 0 ? 3 : 0);
			inlen = len - (size_t)(in - buf);
			if (len > PLAN_MAX_INPUT) {
				*cause = xstrfmt("%s: larger than %u MB", name,
				    PLAN_MAX_INPUT >> 20);
				return NULL;
			}
			if (plan_check_binary(name, buf, len, cause) == -1)
				return NULL;
		} else if (plan_unframe(name, buf, len, &l, cause) == -1)
			return NULL;
	}
	if (l.framed) {
		for (i = 0; i < l.n; i++) {
			strbuf_addstr(&clean, l.line[i]);
			strbuf_addch(&clean, '\n');
		}
		in = clean.buf;
		inlen = clean.len;
		lp = &l;
	}
	root = json_loadb(in, inlen, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	if (root == NULL) {
		int	ol, oc;

		where(lp, err.line, err.column, &ol, &oc);
		if (err.line > 0)
			*cause = xstrfmt("%s:%d:%d: %s", name, ol, oc, err.text);
		else
			*cause = xstrfmt("%s: %s", name, err.text);
		strbuf_release(&clean);
		plan_lines_release(&l);
		return NULL;
	}
	strbuf_release(&clean);
	plan_lines_release(&l);

	memset(&c, 0, sizeof c);
	c.name = name;
	c.p = plan_new(PLAN_JSON);
	strbuf_init(&c.path, 64);
	top = root;
	if (json_is_array(root)) {
		if (json_array_size(root) == 0) {
			jfail(&c, NULL, "an empty array, not an EXPLAIN plan");
			goto fail;
		}
		top = json_array_get(root, 0);
		strbuf_addstr(&c.path, "[0]");
	}
	if (!json_is_object(top)) {
		jfail(&c, NULL, "expected an EXPLAIN plan object, found %s",
		    jtype(top));
		goto fail;
	}
	if (jtop(&c, top) == -1)
		goto fail;
	json_decref(root);
	/* Give back what the JSON tree took: it can be 4x the file. */
	malloc_trim(0);
	strbuf_release(&c.path);
	c.p->analyzed = c.p->nodes[0].has_actual;
	plan_finish(c.p);
	return c.p;
fail:
	json_decref(root);
	strbuf_release(&c.path);
	*cause = c.cause;
	plan_free(c.p);
	return NULL;
}
