/*
 * parse_text.c - EXPLAIN's text format, as psql prints it and as people
 * paste it.
 *
 * The tree comes from indentation: a node's name starts at some column
 * c (after "->  " for all but the root); its fields, its children's
 * arrows and its InitPlan/SubPlan/CTE headers all start at c + 2.  Lines
 * at the root's own column after the tree belong to the plan (Planning
 * Time, Triggers, JIT ...).  A line that is neither a node, a field nor
 * a header is the tail of the previous line, cut by a terminal.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/strbuf.h"
#include "../core/util.h"
#include "plan_int.h"

#include "../core/banned.h"

struct open {
	int	node;		/* -1 for a header */
	int	child_col;	/* column of its fields and children */
	int	nregular;	/* children seen that are not subplans */
	const char *subplan;	/* header text for the next node */
	const char *rel_kind;
};

struct tctx {
	struct plan		*p;
	const char		*name;
	const struct plan_lines	*l;
	struct open		*stack;
	int			 nstack;
	int			 root_col;
	char			*cause;
	int			 block;		/* 1: Planning:, 2: JIT: */
	int			 block_col;
};

static int
tfail(struct tctx *c, int i, int col, const char *fmt, ...) PRINTF_LIKE(4, 5);

static int
tfail(struct tctx *c, int i, int col, const char *fmt, ...)
{
	va_list	ap;
	char	*msg;

	va_start(ap, fmt);
	msg = xstrvfmt(fmt, ap);
	va_end(ap);
	free(c->cause);
	c->cause = xstrfmt("%s:%d:%d: %s", c->name, c->l->line_of[i],
	    c->l->col_of[i] + col, msg);
	free(msg);
	return -1;
}

/* "Key: value" or "Key:": the key's length, or 0. */
static size_t
key_len(const char *s)
{
	const char	*t = s;

	if (!isupper((unsigned char)*t))
		return 0;
	while (isalnum((unsigned char)*t) || *t == ' ' || *t == '/' ||
	    *t == '-' || *t == '_')
		t++;
	if (*t != ':' || (t[1] != ' ' && t[1] != '\0'))
		return 0;
	if (t > s && t[-1] == ' ')
		return 0;
	return (size_t)(t - s);
}

static int
is_subplan_header(const char *s)
{
	return (strncmp(s, "InitPlan ", 9) == 0 ||
	    strncmp(s, "SubPlan ", 8) == 0 || strncmp(s, "CTE ", 4) == 0) &&
	    key_len(s) == 0;
}

/* The number after 'key' in 's' ("rows=" -> 12), or 0 with *found 0. */
static double
num_after(const char *s, const char *key, int *found)
{
	const char	*t = strstr(s, key);
	char		*end;
	double		 d;

	if (found != NULL)
		*found = 0;
	if (t == NULL)
		return 0;
	t += strlen(key);
	d = strtod(t, &end);
	if (end == t || d != d || d < 0)
		return 0;
	if (found != NULL)
		*found = 1;
	return d > 1e15 ? 1e15 : d;
}

/* Sum of every number after 'key' in 's' ("read=1.2 ... read=3"). */
static double
num_sum(const char *s, const char *key)
{
	double	sum = 0;
	int	found;

	while ((s = strstr(s, key)) != NULL) {
		sum += num_after(s, key, &found);
		s += strlen(key);
	}
	return sum;
}

/* "shared hit=1 read=2, local hit=3, temp read=4 written=5" */
static void
parse_buffers(const char *v, struct plan_buffers *b)
{
	char		 part[256];
	const char	*s = v;

	while (*s != '\0') {
		const char	*e = strchr(s, ',');
		size_t		 n = e != NULL ? (size_t)(e - s) : strlen(s);
		const char	*q;

		if (n >= sizeof part)
			n = sizeof part - 1;
		memcpy(part, s, n);
		part[n] = '\0';
		q = part;
		while (*q == ' ')
			q++;
		if (strncmp(q, "shared", 6) == 0) {
			b->shared_hit += num_after(q, "hit=", NULL);
			b->shared_read += num_after(q, "read=", NULL);
			b->shared_dirtied += num_after(q, "dirtied=", NULL);
			b->shared_written += num_after(q, "written=", NULL);
		} else if (strncmp(q, "local", 5) == 0) {
			b->local_hit += num_after(q, "hit=", NULL);
			b->local_read += num_after(q, "read=", NULL);
			b->local_dirtied += num_after(q, "dirtied=", NULL);
			b->local_written += num_after(q, "written=", NULL);
		} else if (strncmp(q, "temp", 4) == 0) {
			b->temp_read += num_after(q, "read=", NULL);
			b->temp_written += num_after(q, "written=", NULL);
		}
		if (e == NULL)
			break;
		s = e + 1;
	}
}

/* "1024 (originally 512)" */
static void
num_orig(const char *v, double *now, double *orig)
{
	int	found;

	*now = strtod(v, NULL);
	if (*now < 0 || *now != *now)
		*now = 0;
	*orig = num_after(v, "originally ", &found);
	if (!found)
		*orig = *now;
}

/* One "Key: value" field of node 'idx'. */
static void
node_field(struct tctx *c, int idx, const char *key, const char *v)
{
	struct plan		*p = c->p;
	struct plan_node	*n = &p->nodes[idx];

	plan_node_add_prop(p, idx, key, v);
	n = &p->nodes[idx];
	if (strcmp(key, "Buffers") == 0) {
		parse_buffers(v, &n->buf);
		n->has_buffers = 1;
	} else if (strcmp(key, "I/O Timings") == 0) {
		n->io_read_ms = num_sum(v, "read=");
		n->io_write_ms = num_sum(v, "write=");
	} else if (strcmp(key, "Sort Method") == 0) {
		n->sort_method = plan_strdup(p, v);
	} else if (strcmp(key, "Memory") == 0 || strcmp(key, "Disk") == 0) {
		if (n->sort_method != NULL && n->sort_space_type == NULL) {
			n->sort_space_type = strcmp(key, "Disk") == 0 ?
			    "Disk" : "Memory";
			n->sort_space_kb = strtod(v, NULL);
		}
	} else if (strcmp(key, "Buckets") == 0) {
		num_orig(v, &n->hash_buckets, &n->hash_buckets_orig);
	} else if (strcmp(key, "Batches") == 0) {
		if (strcmp(n->type, "Hash") == 0)
			num_orig(v, &n->hash_batches, &n->hash_batches_orig);
		else
			n->hashagg_batches = strtod(v, NULL);
	} else if (strcmp(key, "Memory Usage") == 0) {
		n->peak_memory_kb = strtod(v, NULL);
	} else if (strcmp(key, "Disk Usage") == 0) {
		n->disk_usage_kb = strtod(v, NULL);
	} else if (strcmp(key, "Rows Removed by Filter") == 0) {
		n->rows_removed_filter = strtod(v, NULL);
	} else if (strcmp(key, "Rows Removed by Join Filter") == 0) {
		n->rows_removed_join_filter = strtod(v, NULL);
	} else if (strcmp(key, "Rows Removed by Index Recheck") == 0) {
		n->rows_removed_recheck = strtod(v, NULL);
	} else if (strcmp(key, "Heap Fetches") == 0) {
		n->heap_fetches = strtod(v, NULL);
	} else if (strcmp(key, "Heap Blocks") == 0) {
		n->exact_blocks = num_after(v, "exact=", NULL);
		n->lossy_blocks = num_after(v, "lossy=", NULL);
	} else if (strcmp(key, "Workers Planned") == 0) {
		n->workers_planned = strtod(v, NULL);
	} else if (strcmp(key, "Workers Launched") == 0) {
		n->workers_launched = strtod(v, NULL);
		n->has_workers_launched = 1;
	} else if (strcmp(key, "Hits") == 0) {
		n->cache_hits = strtod(v, NULL);
	} else if (strcmp(key, "Misses") == 0) {
		n->cache_misses = strtod(v, NULL);
	} else if (strcmp(key, "Evictions") == 0) {
		n->cache_evictions = strtod(v, NULL);
	} else if (strcmp(key, "Overflows") == 0) {
		n->cache_overflows = strtod(v, NULL);
	} else if (n->cond == NULL && (strcmp(key, "Index Cond") == 0 ||
	    strcmp(key, "Hash Cond") == 0 || strcmp(key, "Merge Cond") == 0 ||
	    strcmp(key, "Recheck Cond") == 0 || strcmp(key, "Join Filter") == 0 ||
	    strcmp(key, "Filter") == 0 || strcmp(key, "TID Cond") == 0 ||
	    strcmp(key, "One-Time Filter") == 0)) {
		n->cond = plan_strdup(p, v);
	}
	/* Clamp what strtod may have made of garbage. */
	if (!(n->sort_space_kb >= 0)) n->sort_space_kb = 0;
	if (!(n->hashagg_batches >= 0)) n->hashagg_batches = 0;
	if (!(n->peak_memory_kb >= 0)) n->peak_memory_kb = 0;
	if (!(n->disk_usage_kb >= 0)) n->disk_usage_kb = 0;
	if (!(n->rows_removed_filter >= 0)) n->rows_removed_filter = 0;
	if (!(n->rows_removed_join_filter >= 0)) n->rows_removed_join_filter = 0;
	if (!(n->rows_removed_recheck >= 0)) n->rows_removed_recheck = 0;
	if (!(n->heap_fetches >= 0)) n->heap_fetches = 0;
	if (!(n->workers_planned >= 0)) n->workers_planned = 0;
	if (!(n->workers_launched >= 0)) n->workers_launched = 0;
	if (!(n->cache_hits >= 0)) n->cache_hits = 0;
	if (!(n->cache_misses >= 0)) n->cache_misses = 0;
	if (!(n->cache_evictions >= 0)) n->cache_evictions = 0;
	if (!(n->cache_overflows >= 0)) n->cache_overflows = 0;
}

/* Keys that share a line with others, two spaces apart. */
static int
is_multi_key(const char *k)
{
	static const char *const multi[] = {
		"Sort Method", "Buckets", "Batches", "Hits", "Full-sort Groups",
		"Pre-sorted Groups", "Storage", "Planned Partitions", NULL
	};
	int	i;

	for (i = 0; multi[i] != NULL; i++)
		if (strcmp(k, multi[i]) == 0)
			return 1;
	return 0;
}

/* A field line of a node, maybe several "Key: value" two spaces apart. */
static void
node_line(struct tctx *c, int idx, const char *s)
{
	char	*copy = xstrdup(s), *k = copy, *v;
	size_t	 kl = key_len(k);
	int	 multi = 0;

	for (;;) {
		char	*next = NULL;

		k[kl] = '\0';
		v = k + kl + 1;
		while (*v == ' ')
			v++;
		/* Once a line holds several fields, every one ends at "  Key:". */
		multi = multi || is_multi_key(k);
		if (multi) {
			/* The next "  Key: " starts the next field. */
			next = strstr(v, "  ");
			while (next != NULL) {
				char	*q = next;

				while (*q == ' ')
					q++;
				if (key_len(q) > 0)
					break;
				next = strstr(q, "  ");
			}
			if (next != NULL)
				*next = '\0';
		}
		node_field(c, idx, k, v);
		if (next == NULL)
			break;
		k = next + 1;
		while (*k == ' ')
			k++;
		kl = key_len(k);
	}
	free(copy);
}

/* "(cost=1.00..2.00 rows=3 width=4) (actual time=... rows=5 loops=1)" */
static void
node_figures(struct plan_node *n, const char *s)
{
	const char	*cost = strstr(s, "(cost=");
	const char	*act = strstr(s, "(actual ");
	int		 found;

	if (cost != NULL) {
		char	*end;

		n->startup_cost = strtod(cost + 6, &end);
		if (strncmp(end, "..", 2) == 0)
			n->total_cost = strtod(end + 2, NULL);
		n->plan_rows = num_after(cost, "rows=", NULL);
		n->plan_width = num_after(cost, "width=", NULL);
		n->has_cost = 1;
		if (!(n->startup_cost >= 0)) n->startup_cost = 0;
		if (!(n->total_cost >= 0)) n->total_cost = 0;
	}
	if (act != NULL) {
		const char *t = strstr(act, "time=");

		n->has_actual = 1;
		if (t != NULL) {
			char	*end;

			n->act_startup = strtod(t + 5, &end);
			if (strncmp(end, "..", 2) == 0)
				n->act_total = strtod(end + 2, NULL);
			n->has_timing = 1;
			if (!(n->act_startup >= 0)) n->act_startup = 0;
			if (!(n->act_total >= 0)) n->act_total = 0;
			if (n->act_total > 1e15) n->act_total = 1e15;
		}
		n->act_rows = num_after(act, "rows=", NULL);
		n->loops = num_after(act, "loops=", &found);
	}
	if (strstr(s, "(never executed)") != NULL) {
		n->has_actual = 1;
		n->never_executed = 1;
	}
}

/* An identifier as EXPLAIN quoted it ("*VALUES*") without the quotes. */
static const char *
unquote(struct plan *p, const char *s)
{
	size_t		 n = strlen(s), i;
	struct strbuf	 sb = STRBUF_INIT;
	const char	*r;

	if (n < 2 || s[0] != '"' || s[n - 1] != '"')
		return plan_strdup(p, s);
	for (i = 1; i + 1 < n; i++) {
		strbuf_addch(&sb, s[i]);
		if (s[i] == '"' && s[i + 1] == '"')
			i++;
	}
	r = plan_strdup(p, sb.buf);
	strbuf_release(&sb);
	return r;
}

/* Split "Index Scan using idx on public.t x" into its parts. */
static void
node_name(struct tctx *c, int idx, const char *s, size_t len)
{
	struct plan	*p = c->p;
	char		*name = xstrndup(s, len), *on, *using;
	char		*rel = NULL;

	using = strstr(name, " using ");
	on = strstr(name, " on ");
	if (using != NULL && (on == NULL || using < on)) {
		char	*ix = using + 7;

		*using = '\0';
		if (on != NULL) {
			*on = '\0';
			rel = on + 4;
		}
		p->nodes[idx].index = unquote(p, ix);
	} else if (on != NULL) {
		*on = '\0';
		rel = on + 4;
	}
	plan_node_set_label(p, idx, name);
	if (rel != NULL) {
		struct plan_node	*n = &p->nodes[idx];
		char			*sp, *dot;
		int			 quoted = 0;

		/* The object name ends at the first unquoted space. */
		for (sp = rel; *sp != '\0'; sp++) {
			if (*sp == '"')
				quoted = !quoted;
			else if (*sp == ' ' && !quoted)
				break;
		}
		if (*sp == ' ') {
			*sp = '\0';
			n->alias = unquote(p, sp + 1);
		}
		if (strstr(n->type, "Index Scan") != NULL &&
		    strncmp(n->type, "Bitmap", 6) == 0) {
			n->index = unquote(p, rel);
		} else if (strcmp(n->type, "CTE Scan") == 0 ||
		    strcmp(n->type, "WorkTable Scan") == 0) {
			n->cte = unquote(p, rel);
		} else if (strcmp(n->type, "Function Scan") == 0 ||
		    strcmp(n->type, "Table Function Scan") == 0) {
			plan_node_add_prop(p, idx, "Function Name", rel);
			n = &p->nodes[idx];
			if (n->alias == NULL)
				n->alias = unquote(p, rel);
		} else if (strcmp(n->type, "Subquery Scan") == 0 ||
		    strcmp(n->type, "Values Scan") == 0 ||
		    strcmp(n->type, "Named Tuplestore Scan") == 0) {
			n->alias = unquote(p, rel);
		} else {
			quoted = 0;
			for (dot = rel; *dot != '\0'; dot++) {
				if (*dot == '"')
					quoted = !quoted;
				else if (*dot == '.' && !quoted)
					break;
			}
			if (*dot == '.') {
				*dot = '\0';
				n->schema = unquote(p, rel);
				rel = dot + 1;
			}
			n->relation = unquote(p, rel);
		}
	}
	free(name);
}

/* A node line: "->  Name  (cost=...) (actual ...)" at column 'col'. */
static int
node(struct tctx *c, int i, int col, const char *s)
{
	struct plan	*p = c->p;
	const char	*paren;
	int		 parent = -1, idx, name_col = col;
	const char	*subplan = NULL, *rel_kind = NULL;

	if (strncmp(s, "->", 2) == 0) {
		s += 2;
		name_col += 2;
		while (*s == ' ') {
			s++;
			name_col++;
		}
	}
	if (p->nnodes > 0) {
		while (c->nstack > 0 && c->stack[c->nstack - 1].child_col > col)
			c->nstack--;
		if (c->nstack == 0 || c->stack[c->nstack - 1].child_col != col)
			return tfail(c, i, col, "indentation matches no "
			    "node above (a line lost or shifted?)");
		if (c->stack[c->nstack - 1].node == -1) {
			subplan = c->stack[c->nstack - 1].subplan;
			rel_kind = c->stack[c->nstack - 1].rel_kind;
			c->nstack--;
		}
		parent = c->stack[c->nstack - 1].node;
	}
	if ((idx = plan_add_node(p, parent, c->l->line_of[i], &c->cause)) == -1) {
		char *m = c->cause;

		c->cause = NULL;
		tfail(c, i, col, "%s", m);
		free(m);
		return -1;
	}
	/* The name ends where the figures start: "  (cost=" or "  (actual". */
	paren = strstr(s, "  (");
	if (paren == NULL)
		paren = strstr(s, " (never executed)");
	if (paren == NULL)
		paren = s + strlen(s);
	if (paren == s)
		return tfail(c, i, name_col, "a plan node without a name");
	node_name(c, idx, s, (size_t)(paren - s));
	node_figures(&p->nodes[idx], paren);
	p->nodes[idx].subplan = subplan;
	if (rel_kind == NULL && parent >= 0) {
		const char	*pt = p->nodes[parent].type;
		struct open	*o = &c->stack[c->nstack - 1];

		if (strcmp(pt, "Append") == 0 ||
		    strcmp(pt, "Merge Append") == 0 ||
		    strcmp(pt, "BitmapAnd") == 0 || strcmp(pt, "BitmapOr") == 0)
			rel_kind = "Member";
		else if (strcmp(pt, "Subquery Scan") == 0)
			rel_kind = "Subquery";
		else
			rel_kind = o->nregular == 0 ? "Outer" : "Inner";
		o->nregular++;
	}
	p->nodes[idx].rel_kind = rel_kind;
	c->stack = xrealloc(c->stack, (size_t)(c->nstack + 1) *
	    sizeof *c->stack);
	c->stack[c->nstack].node = idx;
	c->stack[c->nstack].child_col = name_col + 2;
	c->stack[c->nstack].subplan = NULL;
	c->stack[c->nstack].rel_kind = NULL;
	c->stack[c->nstack].nregular = 0;
	c->nstack++;
	if (p->nnodes == 1)
		c->root_col = name_col;
	return 0;
}

/* "Trigger for constraint fk on t: time=1.2 calls=3" */
static void
trigger_line(struct plan *p, const char *s)
{
	struct plan_trigger	*t;
	const char		*colon = strrchr(s, ':');
	char			*name;
	char			*on;

	p->triggers = xrealloc(p->triggers, (size_t)(p->ntriggers + 1) *
	    sizeof *p->triggers);
	t = &p->triggers[p->ntriggers++];
	memset(t, 0, sizeof *t);
	name = xstrndup(s + 8, colon != NULL ? (size_t)(colon - s - 8) :
	    strlen(s + 8));
	if ((on = strstr(name, " on ")) != NULL) {
		*on = '\0';
		t->relation = plan_strdup(p, on + 4);
	}
	t->name = plan_strdup(p, name);
	free(name);
	if (colon != NULL) {
		t->time_ms = num_after(colon, "time=", NULL);
		t->calls = num_after(colon, "calls=", NULL);
	}
	p->trigger_ms += t->time_ms;
}

/* A line at the root's column after the tree: the plan's own fields. */
static void
plan_line(struct tctx *c, const char *s, int col)
{
	struct plan	*p = c->p;
	size_t		 kl = key_len(s);
	char		*k;
	const char	*v;

	if (strncmp(s, "Trigger ", 8) == 0) {
		trigger_line(p, s);
		plan_add_prop(p, "Trigger", s + 8);
		return;
	}
	if (kl == 0) {
		plan_add_prop(p, "", s);
		return;
	}
	k = xstrndup(s, kl);
	v = s[kl + 1] == ' ' ? s + kl + 2 : "";
	if (c->block == 1 && strcmp(k, "Buffers") == 0) {
		parse_buffers(v, &p->planning_buf);
		plan_add_prop(p, "Planning Buffers", v);
	} else if (c->block == 2) {
		char *jk = xstrfmt("JIT %s", k);

		plan_add_prop(p, jk, v);
		free(jk);
		if (strcmp(k, "Functions") == 0) {
			p->jit_functions = num_after(s, ": ", NULL);
		} else if (strcmp(k, "Timing") == 0) {
			p->jit_generation_ms = num_after(v, "Generation ", NULL);
			p->jit_inlining_ms = num_after(v, "Inlining ", NULL);
			p->jit_optimization_ms = num_after(v, "Optimization ", NULL);
			p->jit_emission_ms = num_after(v, "Emission ", NULL);
			p->jit_total_ms = num_after(v, "Total ", NULL);
		}
	} else {
		plan_add_prop(p, k, v);
		c->block = 0;
		if (strcmp(k, "Planning Time") == 0) {
			p->planning_ms = num_after(s, ": ", &p->has_planning);
		} else if (strcmp(k, "Execution Time") == 0) {
			p->execution_ms = num_after(s, ": ", &p->has_execution);
		} else if (strcmp(k, "Planning") == 0 && *v == '\0') {
			c->block = 1;
			c->block_col = col;
		} else if (strcmp(k, "JIT") == 0 && *v == '\0') {
			c->block = 2;
			c->block_col = col;
			p->has_jit = 1;
		}
	}
	free(k);
}

/* A root line: figures in parentheses, or a node type EXPLAIN names. */
static int
looks_like_node(const struct plan_node *n, const char *line)
{
	static const char *const types[] = {
		"Result", "ProjectSet", "ModifyTable", "Append", "Merge Append",
		"Recursive Union", "BitmapAnd", "BitmapOr", "Nested Loop",
		"Merge Join", "Hash Join", "Seq Scan", "Sample Scan",
		"Gather", "Gather Merge", "Index Scan", "Index Only Scan",
		"Bitmap Index Scan", "Bitmap Heap Scan", "Tid Scan",
		"Tid Range Scan", "Subquery Scan", "Function Scan",
		"Table Function Scan", "Values Scan", "CTE Scan",
		"Named Tuplestore Scan", "WorkTable Scan", "Foreign Scan",
		"Custom Scan", "Materialize", "Memoize", "Sort",
		"Incremental Sort", "Group", "Aggregate", "WindowAgg", "Unique",
		"SetOp", "LockRows", "Limit", "Hash", NULL
	};
	int	i;

	if (strstr(line, "(cost=") != NULL || strstr(line, "(actual ") != NULL ||
	    strstr(line, "(never executed)") != NULL)
		return 1;
	for (i = 0; types[i] != NULL; i++) {
		if (strcmp(n->type, types[i]) == 0)
			return 1;
	}
	return 0;
}

/* Is line 's' the start of something, or the tail of the line before? */
static int
starts_item(const char *s)
{
	return strncmp(s, "->", 2) == 0 || key_len(s) > 0 ||
	    is_subplan_header(s) || strncmp(s, "Trigger ", 8) == 0;
}

/*
 * A psql prompt pasted with the plan: "db=# EXPLAIN ...", "db-#   FROM
 * t;", "db=*>" (%/%R%x%# of PROMPT1 and PROMPT2) at the start of a line.
 */
static int
is_prompt(const char *s)
{
	static const char	 R[] = "=^!-*'\"($";	/* %R */
	size_t			 n = strcspn(s, " ");

	if (n < 3 || (s[n - 1] != '#' && s[n - 1] != '>'))
		return 0;
	if (strchr(R, s[n - 2]) != NULL)
		return 1;
	/* %x: in a transaction, failed or unknown. */
	return n >= 4 && strchr("*!?", s[n - 2]) != NULL &&
	    strchr(R, s[n - 3]) != NULL;
}

static void
rtrim(char *s)
{
	size_t	n = strlen(s);

	while (n > 0 && s[n - 1] == ' ')
		s[--n] = '\0';
}

/* The line a tail was joined to: its pieces in 'acc', trimmed. */
static void
end_line(struct plan_lines *l, int head, struct strbuf *acc)
{
	if (head < 0)
		return;
	if (acc->len > 0) {
		free(l->line[head]);
		l->line[head] = strbuf_detach(acc);
	}
	rtrim(l->line[head]);
}

/*
 * Join the tails a terminal cut off back onto their lines: a line that
 * starts nothing (no node, field or subplan header) goes on the line
 * above.  Joined before they are trimmed: the cut may follow a space.
 * A blank line is never a head, nor is a prompt before the plan: the
 * root does not go on either.  Tails are left NULL.
 */
static void
join_tails(struct plan_lines *l)
{
	struct strbuf	acc = STRBUF_INIT;
	int		i, head = -1, plan = 0;

	for (i = 0; i < l->n; i++) {
		const char	*s = l->line[i];

		while (*s == ' ')
			s++;
		if (head >= 0 && *s != '\0' && !starts_item(s)) {
			if (acc.len == 0)
				strbuf_addstr(&acc, l->line[head]);
			strbuf_addstr(&acc, l->line[i]);
			free(l->line[i]);
			l->line[i] = NULL;
			continue;
		}
		end_line(l, head, &acc);
		head = -1;
		if (*s == '\0')
			continue;
		if (!plan && s == l->line[i] && is_prompt(s)) {
			/* Not part of the plan: skipped as a blank line. */
			l->line[i][0] = '\0';
			continue;
		}
		head = i;
		plan = 1;
	}
	end_line(l, head, &acc);
	strbuf_release(&acc);
}

struct plan *
plan_parse_text(const char *name, const char *buf, size_t len, char **cause)
{
	struct plan_lines	 l;

	if (plan_unframe(name, buf, len, &l, cause) == -1)
		return NULL;
	return plan_parse_text_lines(name, &l, cause);
}

struct plan *
plan_parse_text_lines(const char *name, struct plan_lines *lines,
    char **cause)
{
	struct plan_lines	 l = *lines;
	struct tctx		 c;
	int			 i, in_tree = 1;
	int			 worker_node = -1, worker_col = 0;
	char			 worker_key[32];

	memset(lines, 0, sizeof *lines);
	memset(&c, 0, sizeof c);
	c.p = plan_new(PLAN_TEXT);
	c.name = name;
	c.l = &l;

	join_tails(&l);
	for (i = 0; i < l.n; i++) {
		const char	*s = l.line[i];
		int		 col = 0;

		if (s == NULL)
			continue;
		while (s[col] == ' ')
			col++;
		s += col;
		if (*s == '\0')
			continue;
		if (c.p->nnodes == 0) {
			if (key_len(s) > 0 || is_subplan_header(s)) {
				tfail(&c, i, col, "expected a plan node, found "
				    "a field");
				goto fail;
			}
			if (node(&c, i, col, s) == -1)
				goto fail;
			if (!looks_like_node(&c.p->nodes[0], s)) {
				tfail(&c, i, col, "not an EXPLAIN plan (\"%.40s\" "
				    "is not a plan node)", s);
				goto fail;
			}
			continue;
		}
		/* Lines at the root's column end the tree. */
		if (col <= c.root_col && strncmp(s, "->", 2) != 0) {
			in_tree = 0;
			c.nstack = 0;
		}
		if (!in_tree) {
			if (strncmp(s, "->", 2) == 0) {
				tfail(&c, i, col, "a plan node after the "
				    "plan's own fields");
				goto fail;
			}
			if (c.block != 0 && col <= c.block_col)
				c.block = 0;
			plan_line(&c, s, col);
			continue;
		}
		if (strncmp(s, "->", 2) == 0) {
			worker_node = -1;
			if (node(&c, i, col, s) == -1)
				goto fail;
			continue;
		}
		/*
		 * VERBOSE prints a worker's own fields two columns in, under
		 * its "Worker N:" line: they are that worker's, kept as such.
		 */
		if (worker_node >= 0 && col == worker_col + 2 && key_len(s) > 0) {
			char	*k = xstrfmt("%s %.*s", worker_key,
			    (int)key_len(s), s);
			const char *v = s + key_len(s) + 1;

			while (*v == ' ')
				v++;
			plan_node_add_prop(c.p, worker_node, k, v);
			free(k);
			continue;
		}
		worker_node = -1;
		while (c.nstack > 0 && c.stack[c.nstack - 1].child_col > col)
			c.nstack--;
		if (c.nstack == 0 || c.stack[c.nstack - 1].child_col != col) {
			tfail(&c, i, col, "indentation matches no node above");
			goto fail;
		}
		if (is_subplan_header(s)) {
			struct open	*o;

			c.stack = xrealloc(c.stack, (size_t)(c.nstack + 1) *
			    sizeof *c.stack);
			o = &c.stack[c.nstack++];
			o->node = -1;
			o->child_col = col + 2;
			o->nregular = 0;
			o->subplan = plan_strdup(c.p, s);
			o->rel_kind = strncmp(s, "SubPlan", 7) == 0 ?
			    "SubPlan" : "InitPlan";
			continue;
		}
		if (c.stack[c.nstack - 1].node == -1) {
			tfail(&c, i, col, "expected a plan node under \"%s\"",
			    c.stack[c.nstack - 1].subplan);
			goto fail;
		}
		if (key_len(s) == 0) {
			tfail(&c, i, col, "expected \"Field: value\" or a "
			    "plan node");
			goto fail;
		}
		if (strncmp(s, "Worker ", 7) == 0 && key_len(s) > 0 &&
		    key_len(s) < sizeof worker_key) {
			worker_node = c.stack[c.nstack - 1].node;
			worker_col = col;
			snprintf(worker_key, sizeof worker_key, "%.*s",
			    (int)key_len(s), s);
		}
		node_line(&c, c.stack[c.nstack - 1].node, s);
	}
	if (c.p->nnodes == 0) {
		*cause = xstrfmt("%s: no plan in the input", name);
		goto fail2;
	}
	for (i = 0; i < c.p->nnodes; i++) {
		if (c.p->nodes[i].has_actual)
			c.p->analyzed = 1;
	}
	free(c.stack);
	plan_lines_release(&l);
	plan_finish(c.p);
	return c.p;
fail:
	*cause = c.cause;
	c.cause = NULL;
fail2:
	free(c.cause);
	free(c.stack);
	plan_lines_release(&l);
	plan_free(c.p);
	return NULL;
}
