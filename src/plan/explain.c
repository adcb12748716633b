/*
 * explain.c - the SQL that EXPLAINs a captured statement.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/strbuf.h"
#include "../core/util.h"
#include "explain.h"

#include "../core/banned.h"

#define EXPLAIN_MAX_PARAMS	1000

/* Skip a dollar quote's opening tag at 's'; its length, or 0. */
static size_t
dollar_tag(const char *s)
{
	size_t	n = 1;

	if (*s != '$')
		return 0;
	if (isdigit((unsigned char)s[1]))
		return 0;
	while (isalnum((unsigned char)s[n]) || s[n] == '_')
		n++;
	return s[n] == '$' ? n + 1 : 0;
}

int
explain_nparams(const char *sql)
{
	const char	*s = sql;
	int		 max = 0;

	while (*s != '\0') {
		size_t	tag;

		if (*s == '\'' || *s == '"') {
			char	q = *s++;

			while (*s != '\0' && !(*s == q && s[1] != q))
				s += *s == q ? 2 : 1;
			if (*s != '\0')
				s++;
		} else if (s[0] == '-' && s[1] == '-') {
			s += strcspn(s, "\n");
		} else if (s[0] == '/' && s[1] == '*') {
			const char *e = strstr(s + 2, "*/");

			s = e != NULL ? e + 2 : s + strlen(s);
		} else if ((tag = dollar_tag(s)) != 0) {
			const char *e;
			char	    t[64];

			if (tag >= sizeof t) {
				s += tag;
				continue;
			}
			memcpy(t, s, tag);
			t[tag] = '\0';
			e = strstr(s + tag, t);
			s = e != NULL ? e + tag : s + strlen(s);
		} else if (*s == '$' && isdigit((unsigned char)s[1]) &&
		    (s == sql || !(isalnum((unsigned char)s[-1]) ||
		    s[-1] == '_'))) {
			long	n = strtol(s + 1, (char **)&s, 10);

			if (n > max)
				max = n > 100000 ? 100000 : (int)n;
		} else
			s++;
	}
	return max;
}

static void
step(char ***v, int *n, char *sql)
{
	*v = xrealloc(*v, (size_t)(*n + 2) * sizeof **v);
	(*v)[(*n)++] = sql;
	(*v)[*n] = NULL;
}

void
explain_steps_free(char **steps)
{
	char	**s;

	if (steps == NULL)
		return;
	for (s = steps; *s != NULL; s++)
		free(*s);
	free(steps);
}

int
explain_steps(const struct explain_req *r, int version_num, char ***steps,
    int *plan_step, char **cause)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		**v = NULL, *text;
	size_t		 n;
	int		 np, i, nv = 0;

	*steps = NULL;
	/* The statement alone: no trailing semicolons or blanks. */
	text = xstrdup(r->text != NULL ? r->text : "");
	n = strlen(text);
	while (n > 0 && (isspace((unsigned char)text[n - 1]) ||
	    text[n - 1] == ';'))
		text[--n] = '\0';
	if (n == 0) {
		*cause = xstrdup("no statement text to EXPLAIN");
		free(text);
		return -1;
	}
	np = explain_nparams(text);
	if (np > EXPLAIN_MAX_PARAMS) {
		*cause = xstrfmt("the statement has %d placeholders; pgdeck "
		    "explains up to %d", np, EXPLAIN_MAX_PARAMS);
		free(text);
		return -1;
	}
	if (r->analyze && np > 0) {
		*cause = xstrfmt("EXPLAIN ANALYZE needs real values for $1..$%d;"
		    " e shows the generic plan, or run it in psql with values",
		    np);
		free(text);
		return -1;
	}
	step(&v, &nv, xstrfmt("SET statement_timeout = %d",
	    r->timeout_ms > 0 ? r->timeout_ms : 30000));
	step(&v, &nv, xstrdup("SET lock_timeout = 1000"));
	if (r->analyze) {
		step(&v, &nv, xstrdup("BEGIN"));
		*plan_step = nv;
		step(&v, &nv, xstrfmt("EXPLAIN (ANALYZE, BUFFERS, VERBOSE, "
		    "SETTINGS%s, FORMAT JSON) %s", version_num >= 130000 ?
		    ", WAL" : "", text));
		step(&v, &nv, xstrdup("ROLLBACK"));
	} else if (np == 0) {
		*plan_step = nv;
		step(&v, &nv, xstrfmt("EXPLAIN (VERBOSE, SETTINGS, FORMAT JSON)"
		    " %s", text));
	} else if (version_num >= 160000) {
		*plan_step = nv;
		step(&v, &nv, xstrfmt("EXPLAIN (GENERIC_PLAN, VERBOSE, "
		    "SETTINGS, FORMAT JSON) %s", text));
	} else {
		step(&v, &nv, xstrdup("SET plan_cache_mode = "
		    "force_generic_plan"));
		step(&v, &nv, xstrfmt("PREPARE pgdeck_explain AS %s", text));
		strbuf_addstr(&sb, "EXPLAIN (VERBOSE, SETTINGS, FORMAT JSON) "
		    "EXECUTE pgdeck_explain(");
		for (i = 0; i < np; i++)
			strbuf_addstr(&sb, i == 0 ? "NULL" : ", NULL");
		strbuf_addch(&sb, ')');
		*plan_step = nv;
		step(&v, &nv, strbuf_detach(&sb));
		step(&v, &nv, xstrdup("DEALLOCATE pgdeck_explain"));
		step(&v, &nv, xstrdup("RESET plan_cache_mode"));
	}
	free(text);
	*steps = v;
	return nv;
}
