/*
 * split.c - one file's text into statements, through libpg_query.
 *
 * libpg_query knows SQL, not psql: meta-commands (\set, \i, \gexec) and
 * the data lines after COPY ... FROM stdin are cut out first, each
 * blanked to spaces so that every byte keeps its line and column, and
 * reported as cut.  The whole text is then parsed at once; only when that
 * fails is it split by the scanner and each statement parsed alone, so
 * that one syntax error costs one statement, not the file.  Edges of
 * libpg_query handled here: stmt_location and stmt_len are left out of
 * the JSON when 0 (len 0 means "to the end"); a statement's span starts
 * with the comments before it; the scanner split leaves out statements
 * it does not recognise and everything after an unclosed parenthesis,
 * so text no span covers is cut at ';' as psql cuts it (parse_gap()) and
 * each piece parsed on its own to get its error.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <pg_query.h>

#include "core/util.h"
#include "core/strbuf.h"
#include "migrate/mig_int.h"

/* JSON helpers for the parse tree. */
json_t *
jget(const json_t *o, const char *key)
{
	return json_is_object(o) ? json_object_get(o, key) : NULL;
}

const char *
jstr(const json_t *o, const char *key)
{
	return json_string_value(jget(o, key));
}

long
jint(const json_t *o, const char *key)
{
	return (long)json_integer_value(jget(o, key));
}

int
jbool(const json_t *o, const char *key)
{
	return json_is_true(jget(o, key));
}

const char *
jnode(const json_t *node, json_t **body)
{
	const char *k;
	json_t *v;

	*body = NULL;
	if (!json_is_object(node) || json_object_size(node) != 1)
		return NULL;
	json_object_foreach((json_t *)node, k, v) {
		*body = v;
		return k;
	}
	return NULL;
}

const char *
jname_at(const json_t *list, size_t i)
{
	json_t *s;

	if (!json_is_array(list) || i >= json_array_size(list))
		return NULL;
	if (jnode(json_array_get(list, i), &s) == NULL)
		return NULL;
	return jstr(s, "sval");
}

const char *
jname_last(const json_t *list)
{
	size_t n = json_array_size(list);

	return n == 0 ? NULL : jname_at(list, n - 1);
}

static int
jwalk_at(const json_t *node, jwalk_fn fn, void *arg, int depth)
{
	const char *k;
	json_t *v;
	size_t i;

	/* libpg_query nests deeper than this only for absurd input. */
	if (depth > 1000)
		return 0;
	if (json_is_array(node)) {
		json_array_foreach((json_t *)node, i, v)
			if (jwalk_at(v, fn, arg, depth + 1))
				return 1;
		return 0;
	}
	if (!json_is_object(node))
		return 0;
	json_object_foreach((json_t *)node, k, v) {
		int r = fn(k, v, arg);

		if (r == JWALK_STOP)
			return 1;
		if (r == JWALK_GO && jwalk_at(v, fn, arg, depth + 1))
			return 1;
	}
	return 0;
}

int
jwalk(const json_t *node, jwalk_fn fn, void *arg)
{
	return jwalk_at(node, fn, arg, 0);
}

/* Cutting: a small lexer that knows where strings and comments are. */
struct lex {
	char		*s;
	size_t		 len, i;
	int		 line;
	size_t		 stmt;		/* where the current statement began */
};

static void
blank(char *s, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (s[i] != '\n')
			s[i] = ' ';
}

static void
add_cut(struct mig_file *f, int line, int end_line, char *what)
{
	struct mig_cut *c = MIG_PUSH(f->cuts, f->ncuts);

	c->line = line;
	c->end_line = end_line;
	c->what = what;
	c->copy_rows = -1;
}

/* Skip a quoted string, identifier or dollar quote starting at i. */
static size_t
skip_quoted(const char *s, size_t len, size_t i)
{
	char q = s[i];

	if (q == '$') {
		size_t t = i + 1, tl;

		while (t < len && (isalnum((unsigned char)s[t]) || s[t] == '_'))
			t++;
		if (t >= len || s[t] != '$' || (t > i + 1 &&
		    isdigit((unsigned char)s[i + 1])))
			return i + 1;
		tl = t - i + 1;
		for (size_t j = t + 1; j + tl <= len; j++)
			if (s[j] == '$' && memcmp(s + j, s + i, tl) == 0)
				return j + tl;
		return len;
	}
	/* E'...' strings take backslash escapes; '' doubles the quote. */
	{
		int esc = q == '\'' && i > 0 && (s[i - 1] == 'E' ||
		    s[i - 1] == 'e') && (i < 2 || !isalnum((unsigned char)s[i - 2]));

		for (i++; i < len; i++) {
			if (esc && s[i] == '\\') {
				i++;
				continue;
			}
			if (s[i] == q) {
				if (i + 1 < len && s[i + 1] == q) {
					i++;
					continue;
				}
				return i + 1;
			}
		}
	}
	return len;
}

static size_t
skip_comment(const char *s, size_t len, size_t i)
{
	if (s[i] == '-') {
		while (i < len && s[i] != '\n')
			i++;
		return i;
	}
	/* Block comments nest in PostgreSQL. */
	{
		int depth = 0;

		while (i < len) {
			if (s[i] == '/' && i + 1 < len && s[i + 1] == '*') {
				depth++;
				i += 2;
			} else if (s[i] == '*' && i + 1 < len && s[i + 1] == '/') {
				i += 2;
				if (--depth == 0)
					return i;
			} else {
				i++;
			}
		}
	}
	return len;
}

static int
count_lines(const char *s, size_t from, size_t to)
{
	int n = 0;

	for (size_t i = from; i < to; i++)
		n += s[i] == '\n';
	return n;
}

/* Whether s[from..to) is a COPY ... FROM STDIN, comments and case aside. */
static int
is_copy_stdin(const char *s, size_t from, size_t to)
{
	struct strbuf sb;
	int yes;

	strbuf_init(&sb, 64);
	for (size_t i = from; i < to; i++) {
		if ((s[i] == '-' && i + 1 < to && s[i + 1] == '-') ||
		    (s[i] == '/' && i + 1 < to && s[i + 1] == '*')) {
			i = skip_comment(s, to, i) - 1;
			strbuf_addch(&sb, ' ');
		} else if (s[i] == '\'' || s[i] == '"') {
			i = skip_quoted(s, to, i) - 1;
			strbuf_addstr(&sb, " q ");
		} else if (isspace((unsigned char)s[i]) || s[i] == '(' ||
		    s[i] == ')') {
			if (sb.len > 0 && sb.buf[sb.len - 1] != ' ')
				strbuf_addch(&sb, ' ');
		} else {
			strbuf_addch(&sb, (char)tolower((unsigned char)s[i]));
		}
	}
	{
		const char *t = sb.buf;

		while (*t == ' ' || *t == '\\')
			t++;
		yes = (strncmp(t, "copy ", 5) == 0) &&
		    (strstr(t, " from stdin") != NULL ||
		    strstr(t, " from pstdin") != NULL);
	}
	strbuf_release(&sb);
	return yes;
}

/* COPY data runs from the next line to a line "\." (or the end). */
static size_t
cut_copy_data(struct mig_file *f, struct lex *lx, size_t after)
{
	size_t start = after, i;
	int line0;

	while (start < lx->len && lx->s[start] != '\n')
		start++;
	if (start >= lx->len)
		return lx->len;
	start++;
	line0 = mig_line_of(f, start, NULL);
	for (i = start; i < lx->len; ) {
		size_t eol = i;

		while (eol < lx->len && lx->s[eol] != '\n')
			eol++;
		if (eol - i >= 2 && lx->s[i] == '\\' && lx->s[i + 1] == '.' &&
		    (eol - i == 2 || (eol - i == 3 && lx->s[i + 2] == '\r'))) {
			int n = count_lines(lx->s, start, eol);

			add_cut(f, line0, line0 + n, xstrfmt("COPY data, %d "
			    "line%s", n, n == 1 ? "" : "s"));
			f->cuts[f->ncuts - 1].copy_rows = n;
			blank(lx->s, start, eol);
			return eol;
		}
		i = eol + 1;
	}
	add_cut(f, line0, line0 + count_lines(lx->s, start, lx->len),
	    xstrdup("COPY data not ended by \\. (to the end of the file)"));
	blank(lx->s, start, lx->len);
	return lx->len;
}

/* psql's \g family ends the statement before it: keep a ';' there. */
static int
ends_statement(const char *cmd)
{
	return strncmp(cmd, "\\g", 2) == 0 || strcmp(cmd, "\\;") == 0;
}

void
mig_cut_file(struct mig_file *f)
{
	struct lex lx = { .s = f->text, .len = f->len };

	/* A NUL inside the text would end it early for the parser. */
	for (size_t i = 0; i < f->len; i++) {
		if (f->text[i] == '\0') {
			int line = mig_line_of(f, i, NULL);

			add_cut(f, line, line, xstrdup("NUL byte"));
			f->text[i] = ' ';
		}
	}
	while (lx.i < lx.len) {
		char c = lx.s[lx.i];

		if ((c == '-' && lx.i + 1 < lx.len && lx.s[lx.i + 1] == '-') ||
		    (c == '/' && lx.i + 1 < lx.len && lx.s[lx.i + 1] == '*')) {
			lx.i = skip_comment(lx.s, lx.len, lx.i);
		} else if (c == '\'' || c == '"' || c == '$') {
			lx.i = skip_quoted(lx.s, lx.len, lx.i);
		} else if (c == ';') {
			size_t end = lx.i + 1;

			if (is_copy_stdin(lx.s, lx.stmt, lx.i))
				end = cut_copy_data(f, &lx, lx.i + 1);
			lx.i = end;
			lx.stmt = lx.i;
		} else if (c == '\\') {
			/* A backslash outside strings is psql's, to the end
			 * of the line. */
			size_t eol = lx.i, n;
			char cmd[32];
			int line = mig_line_of(f, lx.i, NULL), copy;

			while (eol < lx.len && lx.s[eol] != '\n')
				eol++;
			n = strcspn(lx.s + lx.i, " \t\r\n");
			if (n >= sizeof cmd)
				n = sizeof cmd - 1;
			memcpy(cmd, lx.s + lx.i, n);
			cmd[n] = '\0';
			copy = strncmp(cmd, "\\copy", 5) == 0 &&
			    is_copy_stdin(lx.s, lx.i, eol);
			add_cut(f, line, line, xstrfmt("psql meta-command %s",
			    cmd));
			blank(lx.s, lx.i, eol);
			if (ends_statement(cmd)) {
				lx.s[lx.i] = ';';
				lx.stmt = lx.i + 1;
			} else if (copy) {
				lx.stmt = cut_copy_data(f, &lx, eol);
				eol = lx.stmt;
			}
			lx.i = eol;
		} else {
			lx.i++;
		}
	}
}

/* The first token of s[from..to): past blanks and comments. */
static size_t
first_token(const char *s, size_t from, size_t to)
{
	while (from < to) {
		if (isspace((unsigned char)s[from]) || s[from] == ';')
			from++;
		else if ((s[from] == '-' && from + 1 < to && s[from + 1] == '-') ||
		    (s[from] == '/' && from + 1 < to && s[from + 1] == '*'))
			from = skip_comment(s, to, from);
		else
			break;
	}
	return from;
}

static char *
clean_sql(const char *s, size_t from, size_t to)
{
	while (to > from && (isspace((unsigned char)s[to - 1]) || s[to - 1] == ';'))
		to--;
	return xstrndup(s + from, to - from);
}

static struct mig_stmt *
new_stmt(struct mig_set *set, int fi, size_t span, size_t end)
{
	struct mig_file *f = &set->files[fi];
	struct mig_stmt *st = MIG_PUSH(set->stmts, set->nstmts);

	st->file = fi;
	st->span = span;
	st->off = first_token(f->text, span, end);
	st->len = end - st->off;
	st->line = mig_line_of(f, st->off, &st->col);
	st->end_line = st->line + count_lines(f->text, st->off, end);
	st->sql = clean_sql(f->text, st->off, end);
	st->tx = -1;
	st->est = st->est_lo = st->est_hi = -1;
	f->nstmts++;
	return st;
}

/* Parse one span alone; a syntax error is recorded with its place. */
static void
parse_span(struct mig_set *set, int fi, size_t span, size_t end)
{
	struct mig_file *f = &set->files[fi];
	char *text = xstrndup(f->text + span, end - span);
	PgQueryParseResult r = pg_query_parse(text);
	struct mig_stmt *st = new_stmt(set, fi, span, end);

	if (r.error != NULL) {
		size_t at = r.error->cursorpos > 0 ?
		    span + (size_t)r.error->cursorpos - 1 : st->off;
		int line, col;
		char excerpt[61];
		size_t n = strcspn(st->sql, "\n");

		if (at > end)
			at = end;
		line = mig_line_of(f, at, &col);
		if (n > sizeof excerpt - 1)
			n = sizeof excerpt - 1;
		memcpy(excerpt, st->sql, n);
		excerpt[n] = '\0';
		mig_add_error(set, "%s:%d:%d: %s (in: %s%s)", f->name, line, col,
		    r.error->message, excerpt, strlen(st->sql) > n ? "..." : "");
		st->flags |= MIG_PARSE_ERROR;
		st->tag = "?";
		f->nerrors++;
	} else {
		json_t *root = json_loads(r.parse_tree, 0, NULL);
		json_t *stmts = jget(root, "stmts");

		if (json_array_size(stmts) > 0)
			st->tree = json_incref(jget(json_array_get(stmts, 0),
			    "stmt"));
		json_decref(root);
	}
	pg_query_free_parse_result(r);
	free(text);
}

/* Whether s[from..to) holds anything but blanks and comments. */
static int
has_tokens(const char *s, size_t from, size_t to)
{
	return first_token(s, from, to) < to;
}

/*
 * Text the scanner split left out (statements it does not recognise,
 * or everything after an unclosed parenthesis), cut as psql cuts it: a
 * ';' outside quotes, comments and parentheses ends a statement, and
 * each piece is parsed alone, so that each has its own error.
 */
static void
parse_gap(struct mig_set *set, int fi, size_t from, size_t to)
{
	const char *s = set->files[fi].text;
	size_t start = from, i = from;
	int depth = 0;

	while (i < to) {
		if ((s[i] == '-' && i + 1 < to && s[i + 1] == '-') ||
		    (s[i] == '/' && i + 1 < to && s[i + 1] == '*')) {
			i = skip_comment(s, to, i);
		} else if (s[i] == '\'' || s[i] == '"' || s[i] == '$') {
			i = skip_quoted(s, to, i);
		} else if (s[i] == '(') {
			depth++;
			i++;
		} else if (s[i] == ')') {
			if (depth > 0)
				depth--;
			i++;
		} else if (s[i] == ';' && depth == 0) {
			if (has_tokens(s, start, i))
				parse_span(set, fi, start, i);
			start = ++i;
		} else {
			i++;
		}
	}
	if (has_tokens(s, start, to))
		parse_span(set, fi, start, to);
}

static void
split_slow(struct mig_set *set, int fi)
{
	struct mig_file *f = &set->files[fi];
	PgQuerySplitResult r = pg_query_split_with_scanner(f->text);
	size_t covered = 0;

	if (r.error != NULL) {
		size_t at = r.error->cursorpos > 0 ?
		    (size_t)r.error->cursorpos - 1 : 0;
		int line, col;

		line = mig_line_of(f, at, &col);
		mig_add_error(set, "%s:%d:%d: %s", f->name, line, col,
		    r.error->message);
		f->nerrors++;
		pg_query_free_split_result(r);
		return;
	}
	for (int i = 0; i < r.n_stmts; i++) {
		size_t a = (size_t)r.stmts[i]->stmt_location;
		size_t b = a + (size_t)r.stmts[i]->stmt_len;

		if (r.stmts[i]->stmt_len == 0 || b > f->len)
			b = f->len;
		if (a < covered || a > f->len)
			continue;
		if (has_tokens(f->text, covered, a))
			parse_gap(set, fi, covered, a);
		if (has_tokens(f->text, a, b))
			parse_span(set, fi, a, b);
		covered = b;
		while (covered < f->len && f->text[covered] == ';')
			covered++;
	}
	/* What the split left out, as after an unclosed parenthesis. */
	if (has_tokens(f->text, covered, f->len))
		parse_gap(set, fi, covered, f->len);
	pg_query_free_split_result(r);
}

void
mig_split_file(struct mig_set *set, int fi)
{
	struct mig_file *f = &set->files[fi];
	PgQueryParseResult r;
	json_t *root, *stmts, *s;
	size_t i;

	f->first = set->nstmts;
	r = pg_query_parse(f->text);
	if (r.error != NULL) {
		pg_query_free_parse_result(r);
		split_slow(set, fi);
		return;
	}
	root = json_loads(r.parse_tree, 0, NULL);
	pg_query_free_parse_result(r);
	stmts = jget(root, "stmts");
	json_array_foreach(stmts, i, s) {
		size_t a = (size_t)jint(s, "stmt_location");
		size_t n = (size_t)jint(s, "stmt_len");
		size_t b = n == 0 || a + n > f->len ? f->len : a + n;
		struct mig_stmt *st;

		if (a > f->len)
			a = f->len;
		st = new_stmt(set, fi, a, b);
		st->tree = json_incref(jget(s, "stmt"));
	}
	json_decref(root);
}
