/*
 * runs.c - backup tool runs: one report from their outputs, and JSON.
 */
#include "runs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "backup.h"
#include "../core/pg_conn.h"
#include "../core/util.h"
#include "../core/banned.h"

#define RUNS_JSON_VERSION	1
/* The shell's word for a command it cannot find. */
#define NOT_FOUND		127

void
bk_run_release(struct bk_run *r)
{
	free(r->what);
	free(r->command);
	free(r->output);
	free(r->errline);
	memset(r, 0, sizeof *r);
}

static const char *
tool_name(int tool)
{
	return tool >= 0 && tool < BK_NTOOLS ?
	    bk_tool_name((enum bk_tool)tool) : "none";
}

static void
add_error(struct bk_state *st, char *line)
{
	st->errors = xrealloc(st->errors, (st->nerrors + 1) *
	    sizeof *st->errors);
	st->errors[st->nerrors++] = line;
}

struct bk_state *
bk_state_build(struct bk_run *runs, size_t nruns)
{
	struct bk_state	*st;
	struct bk_run	*r;
	char		*err, line[160];
	size_t		 i;

	st = xcalloc(1, sizeof *st);
	st->refs = 1;
	st->runs = runs;
	st->nruns = nruns;
	st->report = xcalloc(1, sizeof *st->report);
	bk_report_init(st->report);
	for (i = 0; i < nruns; i++) {
		r = &runs[i];
		if (r->tool < 0) {
			/* Nothing to run: the line says what to configure. */
			add_error(st, xstrdup(r->errline != NULL ? r->errline :
			    "no backup tool configured"));
			continue;
		}
		if (r->status == NOT_FOUND) {
			add_error(st, xstrfmt("%s: not installed or not in PATH"
			    " (%s)", tool_name(r->tool), r->errline != NULL ?
			    r->errline : r->command));
			continue;
		}
		if (r->status == -1) {
			add_error(st, xstrfmt("%s %s: timed out after %.0f s",
			    tool_name(r->tool), r->what, r->elapsed));
			continue;
		}
		/*
		 * pgBackRest exits non-zero for a missing stanza yet prints
		 * JSON that says so: parse whatever came out first.
		 */
		err = NULL;
		if (r->len > 0 && bk_parse(st->report, (enum bk_tool)r->tool,
		    r->what, r->output, r->len, &err) == 0)
			continue;
		if (r->status != 0) {
			pg_first_line(r->errline != NULL ? r->errline :
			    r->output, line, sizeof line);
			add_error(st, xstrfmt("%s %s: exit %d%s%s",
			    tool_name(r->tool), r->what, r->status,
			    line[0] != '\0' ? ": " : "", line));
			free(err);
			continue;
		}
		add_error(st, err != NULL ? err : xstrfmt("%s %s: no output",
		    tool_name(r->tool), r->what));
	}
	return st;
}

struct bk_state *
bk_state_ref(struct bk_state *st)
{
	if (st != NULL)
		st->refs++;
	return st;
}

void
bk_state_unref(struct bk_state *st)
{
	size_t	i;

	if (st == NULL || --st->refs > 0)
		return;
	for (i = 0; i < st->nruns; i++)
		bk_run_release(&st->runs[i]);
	for (i = 0; i < st->nerrors; i++)
		free(st->errors[i]);
	bk_report_release(st->report);
	free(st->report);
	free(st->runs);
	free(st->errors);
	free(st);
}

/*
 * Tool output is text, but not promised to be UTF-8: jansson refuses
 * such strings, so bytes outside ASCII are kept as '?' then.
 */
static json_t *
text_json(const char *s, size_t len)
{
	json_t	*v;
	char	*copy;
	size_t	 i;

	if ((v = json_stringn(s != NULL ? s : "", s != NULL ? len : 0)) != NULL)
		return v;
	copy = xmalloc(len + 1);
	for (i = 0; i < len; i++)
		copy[i] = (s[i] & 0x80) != 0 || s[i] == '\0' ? '?' : s[i];
	copy[len] = '\0';
	v = json_stringn(copy, len);
	free(copy);
	return v != NULL ? v : json_string("");
}

char *
bk_runs_to_json(const struct bk_state *st)
{
	json_t			*o, *a, *e;
	const struct bk_run	*r;
	char			*out;
	size_t			 i;

	o = json_object();
	json_object_set_new(o, "v", json_integer(RUNS_JSON_VERSION));
	a = json_array();
	for (i = 0; i < st->nruns; i++) {
		r = &st->runs[i];
		e = json_object();
		json_object_set_new(e, "tool", json_string(tool_name(r->tool)));
		json_object_set_new(e, "what", json_string(r->what));
		json_object_set_new(e, "command", json_string(r->command));
		json_object_set_new(e, "fetched", json_real(r->fetched));
		json_object_set_new(e, "elapsed", json_real(r->elapsed));
		json_object_set_new(e, "status", json_integer(r->status));
		json_object_set_new(e, "output", text_json(r->output, r->len));
		if (r->errline != NULL)
			json_object_set_new(e, "errline",
			    json_string(r->errline));
		json_array_append_new(a, e);
	}
	json_object_set_new(o, "runs", a);
	out = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(o);
	if (out == NULL)
		BUG("json_dumps failed");
	return out;
}

static int
tool_of(const char *name)
{
	int	t;

	for (t = 0; t < BK_NTOOLS; t++) {
		if (strcmp(bk_tool_name((enum bk_tool)t), name) == 0)
			return t;
	}
	return strcmp(name, "none") == 0 ? -1 : -2;
}

struct bk_state *
bk_state_from_json(const char *text, size_t len, char **cause)
{
	json_error_t	 je;
	json_t		*o, *a, *e, *v;
	struct bk_run	*runs = NULL;
	size_t		 i, n = 0;
	const char	*what, *cmd, *tool;

	*cause = NULL;
	o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (o == NULL) {
		*cause = xstrfmt("backup runs json: line %d, column %d: %s",
		    je.line, je.column, je.text);
		return NULL;
	}
	if (!json_is_object(o) || json_integer_value(json_object_get(o,
	    "v")) != RUNS_JSON_VERSION ||
	    !json_is_array(a = json_object_get(o, "runs"))) {
		*cause = xstrdup("backup runs json: not version 1 runs");
		json_decref(o);
		return NULL;
	}
	runs = xcalloc(json_array_size(a) + 1, sizeof *runs);
	json_array_foreach(a, i, e) {
		tool = json_string_value(json_object_get(e, "tool"));
		what = json_string_value(json_object_get(e, "what"));
		cmd = json_string_value(json_object_get(e, "command"));
		v = json_object_get(e, "output");
		if (tool == NULL || tool_of(tool) < -1 || what == NULL ||
		    cmd == NULL || !json_is_string(v) ||
		    !json_is_number(json_object_get(e, "fetched")) ||
		    !json_is_integer(json_object_get(e, "status"))) {
			*cause = xstrfmt("backup runs json: runs[%zu] is"
			    " malformed", i);
			while (n > 0)
				bk_run_release(&runs[--n]);
			free(runs);
			json_decref(o);
			return NULL;
		}
		runs[n].tool = tool_of(tool);
		runs[n].what = xstrdup(what);
		runs[n].command = xstrdup(cmd);
		runs[n].fetched = json_number_value(json_object_get(e,
		    "fetched"));
		runs[n].elapsed = json_is_number(json_object_get(e,
		    "elapsed")) ? json_number_value(json_object_get(e,
		    "elapsed")) : 0;
		runs[n].status = (int)json_integer_value(json_object_get(e,
		    "status"));
		runs[n].len = json_string_length(v);
		runs[n].output = xmalloc(runs[n].len + 1);
		memcpy(runs[n].output, json_string_value(v), runs[n].len);
		runs[n].output[runs[n].len] = '\0';
		if (json_is_string(json_object_get(e, "errline")))
			runs[n].errline = xstrdup(json_string_value(
			    json_object_get(e, "errline")));
		n++;
	}
	json_decref(o);
	return bk_state_build(runs, n);
}
