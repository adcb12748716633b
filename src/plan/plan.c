/*
 * plan.c - the plan tree: arena, builder, psql unframing, labels,
 * loading a file and choosing the parser.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/strbuf.h"
#include "../core/util.h"
#include "plan_int.h"

#include "../core/banned.h"

/* ---- arena: strings and arrays that live as long as the plan ---- */

#define ARENA_CHUNK	(64 * 1024)

struct arena_chunk {
	struct arena_chunk	*next;
	size_t			 used, size;
	char			 data[];
};

struct plan_arena {
	struct arena_chunk	*head;
};

void *
plan_alloc(struct plan *p, size_t size)
{
	struct plan_arena	*a = p->arena;
	struct arena_chunk	*c = a->head;

	size = (size + 15) & ~(size_t)15;
	if (c == NULL || c->size - c->used < size) {
		size_t	n = size > ARENA_CHUNK / 4 ? size : ARENA_CHUNK;

		c = xmalloc(sizeof *c + n);
		c->size = n;
		c->used = 0;
		/* Big blocks go behind the head so its room is not wasted. */
		if (a->head != NULL && n != ARENA_CHUNK) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	c->used += size;
	return c->data + c->used - size;
}

const char *
plan_strndup(struct plan *p, const char *s, size_t n)
{
	char	*d = plan_alloc(p, n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

const char *
plan_strdup(struct plan *p, const char *s)
{
	return plan_strndup(p, s, strlen(s));
}

/* ---- builder ---- */

struct plan *
plan_new(enum plan_format f)
{
	struct plan	*p = xcalloc(1, sizeof *p);

	p->format = f;
	p->arena = xcalloc(1, sizeof *p->arena);
	return p;
}

int
plan_add_node(struct plan *p, int parent, int line, char **cause)
{
	struct plan_node	*n;

	if (parent == -1 && p->nnodes > 0) {
		*cause = xstrdup("a second root node");
		return -1;
	}
	if (p->nnodes >= PLAN_MAX_NODES) {
		*cause = xstrfmt("more than %d plan nodes", PLAN_MAX_NODES);
		return -1;
	}
	if (parent >= 0 && p->nodes[parent].depth + 1 >= PLAN_MAX_DEPTH) {
		*cause = xstrfmt("plan nested deeper than %d nodes",
		    PLAN_MAX_DEPTH);
		return -1;
	}
	xgrow((void **)&p->nodes, &p->nodes_alloc, (size_t)p->nnodes + 1,
	    sizeof *p->nodes);
	n = &p->nodes[p->nnodes];
	memset(n, 0, sizeof *n);
	n->parent = parent;
	n->depth = parent >= 0 ? p->nodes[parent].depth + 1 : 0;
	n->line = line;
	n->charged_to = -1;
	return p->nnodes++;
}

/* Props arrays also grow by powers of two from 8. */
static void
props_push(struct plan_prop **v, int *n, const char *key, const char *value)
{
	size_t	alloc = 8;

	while (alloc < (size_t)*n)
		alloc *= 2;
	if (*v == NULL)
		*v = xmalloc(8 * sizeof **v);
	else if ((size_t)*n == alloc)
		*v = xrealloc(*v, alloc * 2 * sizeof **v);
	(*v)[*n].key = key;
	(*v)[*n].value = value;
	(*n)++;
}

void
plan_node_add_prop(struct plan *p, int node, const char *key,
    const char *value)
{
	struct plan_node *n = &p->nodes[node];

	props_push(&n->props, &n->nprops, plan_strdup(p, key),
	    plan_strdup(p, value));
}

void
plan_add_prop(struct plan *p, const char *key, const char *value)
{
	props_push(&p->props, &p->nprops, plan_strdup(p, key),
	    plan_strdup(p, value));
}

void
plan_finish(struct plan *p)
{
	int	i, *fill;

	for (i = 0; i < p->nnodes; i++) {
		p->nodes[i].nkids = 0;
		p->nodes[i].nsub = 0;
	}
	for (i = p->nnodes - 1; i > 0; i--) {
		struct plan_node *n = &p->nodes[i];

		p->nodes[n->parent].nkids++;
		p->nodes[n->parent].nsub += 1 + n->nsub;
	}
	for (i = 0; i < p->nnodes; i++) {
		struct plan_node *n = &p->nodes[i];

		n->kids = n->nkids > 0 ?
		    plan_alloc(p, (size_t)n->nkids * sizeof *n->kids) : NULL;
	}
	fill = xcalloc((size_t)p->nnodes + 1, sizeof *fill);
	for (i = 1; i < p->nnodes; i++) {
		int	parent = p->nodes[i].parent;

		p->nodes[parent].kids[fill[parent]++] = i;
	}
	free(fill);
	plan_analyze(p);
}

void
plan_free(struct plan *p)
{
	struct arena_chunk	*c, *next;
	int			 i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nnodes; i++)
		free(p->nodes[i].props);
	free(p->nodes);
	free(p->props);
	free(p->triggers);
	for (i = 0; i < p->nwarnings; i++) {
		free(p->warnings[i].text);
		free(p->warnings[i].hint);
	}
	free(p->warnings);
	for (c = p->arena->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(p->arena);
	free(p);
}

void
plan_set_query_text(struct plan *p, const char *text)
{
	if (p->query_text == NULL && text != NULL)
		p->query_text = plan_strdup(p, text);
}

const char *
plan_node_prop(const struct plan_node *n, const char *key)
{
	int	i;

	for (i = 0; i < n->nprops; i++) {
		if (strcmp(n->props[i].key, key) == 0)
			return n->props[i].value;
	}
	return NULL;
}

/* ---- labels: EXPLAIN text names <-> JSON's canonical fields ---- */

static const char *const join_types[] = {
	"Right Anti", "Left", "Full", "Right", "Semi", "Anti", NULL
};

static int
has_prefix(const char *s, const char *prefix, const char **rest)
{
	size_t	n = strlen(prefix);

	if (strncmp(s, prefix, n) != 0)
		return 0;
	if (rest != NULL)
		*rest = s + n;
	return 1;
}

void
plan_node_set_label(struct plan *p, int node, const char *label)
{
	struct plan_node	*n = &p->nodes[node];
	const char		*s = label, *rest;
	char			 base[128];
	size_t			 len;
	int			 i;

	n->label = plan_strdup(p, label);
	if (has_prefix(s, "Parallel ", &rest) || has_prefix(s, "Async ", &rest))
		s = rest;
	if (has_prefix(s, "Partial ", &rest) ||
	    has_prefix(s, "Finalize ", &rest))
		s = rest;
	len = strlen(s);
	if (len >= sizeof base)
		len = sizeof base - 1;
	memcpy(base, s, len);
	base[len] = '\0';
	if (len > 9 && strcmp(base + len - 9, " Backward") == 0)
		base[len - 9] = '\0';

	n->type = NULL;
	if (strcmp(base, "Aggregate") == 0) {
		n->strategy = "Plain";
	} else if (strcmp(base, "GroupAggregate") == 0) {
		n->strategy = "Sorted";
	} else if (strcmp(base, "HashAggregate") == 0) {
		n->strategy = "Hashed";
	} else if (strcmp(base, "MixedAggregate") == 0) {
		n->strategy = "Mixed";
	}
	if (n->strategy != NULL) {
		n->type = "Aggregate";
		return;
	}
	if (has_prefix(base, "HashSetOp", NULL)) {
		n->type = "SetOp";
		n->strategy = "Hashed";
		return;
	}
	if (has_prefix(base, "SetOp", NULL)) {
		n->type = "SetOp";
		n->strategy = "Sorted";
		return;
	}
	if (strcmp(base, "Insert") == 0 || strcmp(base, "Update") == 0 ||
	    strcmp(base, "Delete") == 0 || strcmp(base, "Merge") == 0) {
		n->type = "ModifyTable";
		return;
	}
	if (has_prefix(base, "Foreign ", NULL)) {
		n->type = "Foreign Scan";
		return;
	}
	if (has_prefix(base, "Custom Scan", NULL)) {
		n->type = "Custom Scan";
		return;
	}
	if (strcmp(base, "Nested Loop") == 0 || strcmp(base, "Hash Join") == 0 ||
	    strcmp(base, "Merge Join") == 0) {
		n->type = plan_strdup(p, base);
		n->join_type = "Inner";
		return;
	}
	for (i = 0; join_types[i] != NULL; i++) {
		static const char *const methods[] = {
			"Nested Loop", "Hash", "Merge", NULL
		};
		int	j;

		for (j = 0; methods[j] != NULL; j++) {
			char	want[64];

			snprintf(want, sizeof want, "%s %s Join", methods[j],
			    join_types[i]);
			if (strcmp(base, want) == 0) {
				n->type = j == 0 ? "Nested Loop" :
				    j == 1 ? "Hash Join" : "Merge Join";
				n->join_type = join_types[i];
				return;
			}
		}
	}
	n->type = plan_strdup(p, base);
}

void
plan_node_make_label(struct plan *p, int node, const char *op,
    const char *partial, int parallel, int async, const char *direction,
    const char *command, const char *provider)
{
	struct plan_node	*n = &p->nodes[node];
	const char		*t = n->type != NULL ? n->type : "?";
	struct strbuf		 sb = STRBUF_INIT;

	if (async)
		strbuf_addstr(&sb, "Async ");
	if (parallel)
		strbuf_addstr(&sb, "Parallel ");
	if (strcmp(t, "Aggregate") == 0) {
		const char *s = n->strategy != NULL ? n->strategy : "Plain";

		if (partial != NULL && strcmp(partial, "Simple") != 0) {
			strbuf_addstr(&sb, partial);
			strbuf_addch(&sb, ' ');
		}
		strbuf_addstr(&sb, strcmp(s, "Sorted") == 0 ? "GroupAggregate" :
		    strcmp(s, "Hashed") == 0 ? "HashAggregate" :
		    strcmp(s, "Mixed") == 0 ? "MixedAggregate" : "Aggregate");
	} else if (strcmp(t, "SetOp") == 0) {
		strbuf_addstr(&sb, n->strategy != NULL &&
		    strcmp(n->strategy, "Hashed") == 0 ? "HashSetOp" : "SetOp");
		if (command != NULL) {
			strbuf_addch(&sb, ' ');
			strbuf_addstr(&sb, command);
		}
	} else if (strcmp(t, "ModifyTable") == 0 && op != NULL) {
		strbuf_addstr(&sb, op);
	} else if (strcmp(t, "Foreign Scan") == 0 && op != NULL &&
	    strcmp(op, "Select") != 0) {
		strbuf_addf(&sb, "Foreign %s", op);
	} else if (strcmp(t, "Custom Scan") == 0 && provider != NULL) {
		strbuf_addf(&sb, "Custom Scan (%s)", provider);
	} else if (n->join_type != NULL && strcmp(n->join_type, "Inner") != 0 &&
	    (strcmp(t, "Nested Loop") == 0 || strcmp(t, "Hash Join") == 0 ||
	    strcmp(t, "Merge Join") == 0)) {
		strbuf_addf(&sb, "%s %s Join", strcmp(t, "Nested Loop") == 0 ?
		    "Nested Loop" : strcmp(t, "Hash Join") == 0 ? "Hash" :
		    "Merge", n->join_type);
	} else {
		strbuf_addstr(&sb, t);
	}
	if (direction != NULL && strcmp(direction, "Backward") == 0)
		strbuf_addstr(&sb, " Backward");
	n->label = plan_strdup(p, sb.buf);
	strbuf_release(&sb);
}

const char *
plan_node_title(const struct plan_node *n, char *buf, size_t size)
{
	struct strbuf	sb = STRBUF_INIT;
	const char	*alias = n->alias;

	strbuf_addstr(&sb, n->label != NULL ? n->label : "?");
	if (n->index != NULL && n->relation == NULL)
		strbuf_addf(&sb, " on %s", n->index);
	else if (n->index != NULL)
		strbuf_addf(&sb, " using %s", n->index);
	if (n->relation != NULL) {
		if (n->schema != NULL)
			strbuf_addf(&sb, " on %s.%s", n->schema, n->relation);
		else
			strbuf_addf(&sb, " on %s", n->relation);
		if (alias != NULL && strcmp(alias, n->relation) == 0)
			alias = NULL;
	} else if (n->cte != NULL) {
		strbuf_addf(&sb, " on %s", n->cte);
		if (alias != NULL && strcmp(alias, n->cte) == 0)
			alias = NULL;
	} else if (alias != NULL && n->index == NULL) {
		const char *fn = plan_node_prop(n, "Function Name");

		if (fn != NULL) {
			strbuf_addf(&sb, " on %s", fn);
			if (strcmp(fn, alias) == 0)
				alias = NULL;
		} else {
			strbuf_addf(&sb, " on %s", alias);
			alias = NULL;
		}
	}
	if (alias != NULL)
		strbuf_addf(&sb, " %s", alias);
	snprintf(buf, size, "%s", sb.buf);
	strbuf_release(&sb);
	return buf;
}

/* ---- psql unframing ---- */

int
plan_check_binary(const char *name, const char *buf, size_t len,
    char **cause)
{
	const char	*nul = memchr(buf, '\0', len), *ls = buf, *nl;
	int		 line = 1;

	if (nul == NULL)
		return 0;
	while ((nl = memchr(ls, '\n', (size_t)(nul - ls))) != NULL) {
		line++;
		ls = nl + 1;
	}
	*cause = xstrfmt("%s:%d:%d: binary data (NUL byte), not an EXPLAIN "
	    "plan", name, line, (int)(nul - ls) + 1);
	return -1;
}

static void
lines_push(struct plan_lines *l, size_t *alloc, char *s, int line, int col)
{
	if ((size_t)l->n == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 64;
		l->line = xrealloc(l->line, *alloc * sizeof *l->line);
		l->line_of = xrealloc(l->line_of, *alloc * sizeof *l->line_of);
		l->col_of = xrealloc(l->col_of, *alloc * sizeof *l->col_of);
	}
	l->line[l->n] = s;
	l->line_of[l->n] = line;
	l->col_of[l->n] = col;
	l->n++;
}

void
plan_lines_release(struct plan_lines *l)
{
	int	i;

	for (i = 0; i < l->n; i++)
		free(l->line[i]);
	free(l->line);
	free(l->line_of);
	free(l->col_of);
	memset(l, 0, sizeof *l);
}

/* Byte length of the vertical border at 's' ("|" or "│"), or 0. */
static size_t
vbar_len(const char *s)
{
	if (*s == '|')
		return 1;
	if (has_prefix(s, "\xe2\x94\x82", NULL) ||	/* │ */
	    has_prefix(s, "\xe2\x95\x91", NULL))	/* ║ */
		return 3;
	return 0;
}

/* A line of only dashes, pluses and box-drawing characters. */
static int
is_separator(const char *s)
{
	int	dashes = 0;

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '-' || c == '=')
			dashes++;
		else if (c == '+' || c == '|' || c == ' ')
			continue;
		else if (c == 0xe2 && (unsigned char)s[1] >= 0x94 &&
		    (unsigned char)s[1] <= 0x95 && s[2] != '\0') {
			/* U+2500..U+257F box drawing */
			dashes++;
			s += 2;
		} else
			return 0;
	}
	return dashes >= 3;
}

static int
is_header(const char *s)
{
	size_t	b;

	while (*s == ' ')
		s++;
	if ((b = vbar_len(s)) != 0)
		s += b;
	while (*s == ' ')
		s++;
	if (!has_prefix(s, "QUERY PLAN", &s))
		return 0;
	while (*s == ' ')
		s++;
	if ((b = vbar_len(s)) != 0)
		s += b;
	while (*s == ' ')
		s++;
	return *s == '\0';
}

static int
is_footer(const char *s)
{
	while (*s == ' ')
		s++;
	if (*s++ != '(' || !isdigit((unsigned char)*s))
		return 0;
	while (isdigit((unsigned char)*s))
		s++;
	if (!has_prefix(s, " row)", &s) && !has_prefix(s, " rows)", &s))
		return 0;
	while (*s == ' ')
		s++;
	return *s == '\0';
}

/* Expand tabs to 8-column stops and drop '\r'; returns a new string. */
static char *
expand_line(const char *s, size_t n)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		i, col = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '\t') {
			do {
				strbuf_addch(&sb, ' ');
			} while (++col % 8 != 0);
		} else if (s[i] == '\r' && i + 1 == n) {
			break;
		} else {
			strbuf_addch(&sb, s[i]);
			if (((unsigned char)s[i] & 0xc0) != 0x80)
				col++;
		}
	}
	return strbuf_detach(&sb);
}

/* Length of 's' without trailing spaces (and a '\r' a paste left). */
static size_t
trimmed_len(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\r'))
		n--;
	return n;
}

static void
rtrim(char *s)
{
	s[trimmed_len(s, strlen(s))] = '\0';
}

static int
is_blank(const char *s)
{
	while (*s == ' ')
		s++;
	return *s == '\0';
}

/* Columns 's' takes on a terminal: its UTF-8 characters. */
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

/* Bytes of the vertical border ending 's' ("|", "│" or "║"), or 0. */
static size_t
vbar_end(const char *s)
{
	size_t	n = strlen(s);

	if (n >= 1 && s[n - 1] == '|')
		return 1;
	if (n >= 3 && vbar_len(s + n - 3) == 3)
		return 3;
	return 0;
}

/*
 * A separator of a box, as border 2 draws it ("+---+", "┌───┐",
 * "├───┤"): it starts with a corner or a tee, where border 1 has only
 * lines ("----", "────").
 */
static int
is_box_edge(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (!is_separator(s))
		return 0;
	if (*u == '+')
		return 1;
	/* U+2500 ─, U+2501 ━ and U+2550 ═ are lines, not corners. */
	return u[0] == 0xe2 && ((u[1] == 0x94 && u[2] > 0x83) ||
	    (u[1] == 0x95 && u[2] != 0x90));
}

/* Bytes of the continuation mark ending the first 'n' of 's', or 0. */
static size_t
cont_mark(const char *s, size_t n)
{
	if (n >= 1 && s[n - 1] == '+')
		return 1;
	if (n >= 3 && memcmp(s + n - 3, "\xe2\x86\xb5", 3) == 0)	/* ↵ */
		return 3;
	return 0;
}

/*
 * psql ends each line of a multi-line cell with '+' (or '↵') in the
 * column after the cell: at the same width on every line, right after
 * the text when it fills the cell.  Strip the marks at that width.
 */
static int
cmp_size(const void *a, const void *b)
{
	size_t	x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

static void
strip_continuations(struct plan_lines *l)
{
	size_t	*len = xmalloc(((size_t)l->n + 1) * sizeof *len);
	size_t	 best = 0, bestn = 0, n, m, k = 0, i, run;
	int	 j;

	for (j = 0; j < l->n; j++) {
		n = trimmed_len(l->line[j], strlen(l->line[j]));
		if (cont_mark(l->line[j], n) != 0)
			len[k++] = n;
	}
	qsort(len, k, sizeof *len, cmp_size);
	for (i = 0; i < k; i += run) {
		for (run = 1; i + run < k && len[i + run] == len[i]; run++)
			;
		if (run > bestn) {
			bestn = run;
			best = len[i];
		}
	}
	free(len);
	for (j = 0; j < l->n; j++) {
		char	*t = l->line[j];

		n = trimmed_len(t, strlen(t));
		m = cont_mark(t, n);
		if (m == 0 || (n != best && !(n >= 2 && m == 1 &&
		    t[n - 2] == ' ')))
			continue;
		t[n - m] = '\0';
		rtrim(t);
	}
}

/* What decoration psql put around the plan, and how it was cut. */
struct frame {
	int		 framed;	/* header, footer or borders seen */
	int		 bordered;	/* border 2: "| line |" */
	int		 lead;		/* border 0/1: " line", every line */
	size_t		 wrap;		/* widest line: a terminal's width */
	size_t		 width;		/* border 2: a whole line's, or 0 */
};

/*
 * Does 's' start like a header a terminal broke: "QUERY P" (after the
 * border, if any)?  Then the header may end on the next line.
 */
static int
is_header_head(const char *s)
{
	size_t	b, n;

	while (*s == ' ')
		s++;
	if ((b = vbar_len(s)) != 0)
		s += b;
	while (*s == ' ')
		s++;
	n = strlen(s);
	return n > 0 && n < 10 && strncmp(s, "QUERY PLAN", n) == 0;
}

/* Lines the header at raw line 'j' takes: 0 (none), 1 or 2 (broken). */
static int
header_at(const struct plan_lines *raw, int j)
{
	char	*two;
	int	 r;

	if (is_header(raw->line[j]))
		return 1;
	if (j + 1 == raw->n || !is_header_head(raw->line[j]))
		return 0;
	two = xstrfmt("%s%s", raw->line[j], raw->line[j + 1]);
	r = is_header(two) ? 2 : 0;
	free(two);
	return r;
}

/* The rest of a header a terminal broke: padding and the right border. */
static int
is_header_tail(const char *s)
{
	while (*s == ' ')
		s++;
	return is_blank(s + vbar_len(s));
}

/*
 * The table psql printed runs from below its header to its footer: a
 * prompt and the statement above it ("db=# EXPLAIN ..."), the next
 * prompt below it, are not part of the plan.  Sets [*first, *last) and
 * '*header'.
 */
static void
frame_range(const struct plan_lines *raw, int *first, int *last,
    int *header)
{
	int	j, k;

	*first = 0;
	*last = raw->n;
	*header = 0;
	for (j = 0; j < raw->n; j++) {
		if ((k = header_at(raw, j)) == 0)
			continue;
		*header = 1;
		for (j += k; j < raw->n && is_header_tail(raw->line[j]); j++)
			;
		*first = j;
		break;
	}
	for (j = *first; j < raw->n; j++) {
		if (is_footer(raw->line[j])) {
			*last = j;
			break;
		}
	}
}

/* Only dashes, '+' and box drawing: the rest of a broken separator. */
static int
is_rule_piece(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (*u == '\0')
		return 0;
	for (; *u != '\0'; u++) {
		if (*u == 0xe2 && (u[1] == 0x94 || u[1] == 0x95) &&
		    u[2] != '\0')
			u += 2;
		else if (*u != '-' && *u != '=' && *u != '+')
			return 0;
	}
	return 1;
}

/* Columns of the separator at raw line 'j', its broken pieces joined. */
static size_t
rule_width(const struct plan_lines *raw, int j, int last)
{
	size_t	w = width_of(raw->line[j]);

	while (++j < last && is_rule_piece(raw->line[j]) &&
	    !is_box_edge(raw->line[j]))
		w += width_of(raw->line[j]);
	return w;
}

static void
frame_detect(const struct plan_lines *raw, int first, int last,
    int header, struct frame *f)
{
	int	j, content = 0, bordered = 0, lead = 0, box = 0;

	memset(f, 0, sizeof *f);
	f->framed = header || last < raw->n;
	for (j = first; j < last; j++) {
		const char	*s = raw->line[j];
		size_t		 w = width_of(s);

		if (w > f->wrap)
			f->wrap = w;
		if (is_header(s))
			continue;
		if (is_separator(s)) {
			if (is_box_edge(s) && !box)
				f->width = rule_width(raw, j, last);
			box |= is_box_edge(s);
			continue;
		}
		if (is_blank(s))
			continue;
		content++;
		if (vbar_len(s) != 0)
			bordered++;
		if (*s == ' ')
			lead++;
	}
	/*
	 * Border 2 starts every line with a border; broken by a terminal,
	 * half of the lines or fewer do, but the box's corners tell.
	 */
	if (content > 0 && (bordered * 2 > content || (box && bordered > 0)))
		f->bordered = f->framed = 1;
	/* psql's aligned output starts every cell line with a space. */
	f->lead = f->framed && !f->bordered && lead * 10 >= content * 9;
}

/*
 * Is raw line 's' the rest of a line a terminal broke, 'prev' its last
 * piece so far and 'sofar' its columns?  In framed output every line
 * starts with the frame: a space (border 1) or a border (border 2).  A
 * border can also start a tail by chance: after a piece as wide as the
 * terminal, a line narrower than the box (or, box unknown, without its
 * right border) goes on.
 */
static int
piece_continues(const struct frame *f, const char *prev, size_t sofar,
    const char *s)
{
	if (!f->framed || *s == '\0' || is_footer(s))
		return 0;
	if (is_separator(prev))
		return is_rule_piece(s);
	if (is_separator(s))
		return 0;
	if (!f->bordered)
		return f->lead && *s != ' ';
	if (vbar_len(s) == 0)
		return 1;
	if (width_of(prev) != f->wrap)
		return 0;
	return f->width > 0 ? sofar < f->width : vbar_end(prev) == 0;
}

/*
 * One line of the table, its pieces joined: push what it holds, bare.
 * Trailing spaces stay on lines without a right border: the text
 * parser joins its own tails and a terminal may have cut right after a
 * space ("Seq Scan on " + "t").
 */
static void
unframe_line(const struct frame *f, char *t, int line,
    struct plan_lines *out, size_t *oalloc)
{
	char	*s = t;
	size_t	 b;
	int	 col = 1;

	if (f->framed && (is_header(s) || is_footer(s) || is_separator(s))) {
		free(t);
		return;
	}
	if (f->bordered) {
		if ((b = vbar_len(s)) != 0) {
			s += b;
			col += (int)b;
		}
		rtrim(s);
		s[strlen(s) - vbar_end(s)] = '\0';
		rtrim(s);
		if (s != t)
			memmove(t, s, strlen(s) + 1);
	}
	lines_push(out, oalloc, t, line, col);
}

int
plan_unframe(const char *name, const char *buf, size_t len,
    struct plan_lines *out, char **cause)
{
	struct plan_lines	 raw = { 0 };
	struct strbuf		 acc = STRBUF_INIT;
	struct frame		 f;
	size_t			 alloc = 0, oalloc = 0, i, start, sofar = 0;
	const char		*prev = NULL;
	int			 lineno = 1, first, last, header, head = 0;
	int			 j;

	memset(out, 0, sizeof *out);
	if (len > PLAN_MAX_INPUT) {
		*cause = xstrfmt("%s: larger than %u MB", name,
		    PLAN_MAX_INPUT >> 20);
		return -1;
	}
	if (plan_check_binary(name, buf, len, cause) == -1)
		return -1;
	for (i = 0, start = 0; i <= len; i++) {
		if (i == len || buf[i] == '\n') {
			if (i > start || i < len)
				lines_push(&raw, &alloc,
				    expand_line(buf + start, i - start),
				    lineno, 1);
			lineno++;
			start = i + 1;
		}
	}
	frame_range(&raw, &first, &last, &header);
	frame_detect(&raw, first, last, header, &f);

	/*
	 * Join the pieces of each line first, then strip and trim: a cut
	 * can fall anywhere, after a space or before the right border.
	 * One buffer per line, so many tails stay linear.  A blank line
	 * never takes a tail.
	 */
	for (j = first; j < last; j++) {
		const char *s = raw.line[j];

		if (prev != NULL && !is_blank(acc.buf) &&
		    piece_continues(&f, prev, sofar, s)) {
			strbuf_addstr(&acc, s);
			sofar += width_of(s);
		} else {
			if (prev != NULL)
				unframe_line(&f, strbuf_detach(&acc), head,
				    out, &oalloc);
			strbuf_addstr(&acc, s);
			sofar = width_of(s);
			head = raw.line_of[j];
		}
		prev = s;
	}
	if (prev != NULL)
		unframe_line(&f, strbuf_detach(&acc), head, out, &oalloc);
	strbuf_release(&acc);
	if (f.framed)
		strip_continuations(out);
	out->framed = f.framed;
	plan_lines_release(&raw);
	return 0;
}

/* ---- entry points ---- */

struct plan *
plan_parse(const char *name, const char *buf, size_t len, char **cause)
{
	size_t	i = 0;

	/* Skip a UTF-8 BOM and leading white space. */
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	for (; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c == '[' || c == '{')
			return plan_parse_json(name, buf, len, cause);
		if (!isspace(c))
			break;
	}
	/*
	 * Unframe once: a psql-framed JSON plan (its first content line
	 * opens it) goes to the JSON parser, anything else is text.
	 */
	{
		struct plan_lines	l;
		int			j, json = 0;

		if (plan_unframe(name, buf, len, &l, cause) == -1)
			return NULL;
		for (j = 0; j < l.n; j++) {
			const char *s = l.line[j];

			while (*s == ' ')
				s++;
			if (*s == '\0')
				continue;
			json = *s == '[' || *s == '{';
			break;
		}
		if (!json)
			return plan_parse_text_lines(name, &l, cause);
		plan_lines_release(&l);
		return plan_parse_json(name, buf, len, cause);
	}
}

struct plan *
plan_load(const char *path, char **cause)
{
	struct strbuf	 sb = STRBUF_INIT;
	FILE		*f;
	struct plan	*p;
	char		 chunk[65536];
	size_t		 n;
	int		 is_stdin = strcmp(path, "-") == 0;
	const char	*name = is_stdin ? "stdin" : path;

	f = is_stdin ? stdin : fopen(path, "rb");
	if (f == NULL) {
		*cause = xstrfmt("%s: %s", path, strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (sb.len + n > PLAN_MAX_INPUT) {
			*cause = xstrfmt("%s: larger than %u MB", name,
			    PLAN_MAX_INPUT >> 20);
			goto fail;
		}
		strbuf_add(&sb, chunk, n);
	}
	if (ferror(f)) {
		*cause = xstrfmt("%s: %s", name, strerror(errno));
		goto fail;
	}
	if (!is_stdin)
		fclose(f);
	p = plan_parse(name, sb.buf, sb.len, cause);
	strbuf_release(&sb);
	return p;
fail:
	if (!is_stdin)
		fclose(f);
	strbuf_release(&sb);
	return NULL;
}
