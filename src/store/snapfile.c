/*
 * snapfile.c - JSON Lines snapshots with jansson.
 */
#include "snapfile.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../core/strbuf.h"
#include "../core/utf8.h"
#include "../core/util.h"
#include "../live/probe.h"
#include "../core/banned.h"

/* Writing. */

/*
 * A JSON string for 's'.  JSON holds only UTF-8, and query text from a
 * SQL_ASCII database need not be: such bytes become U+FFFD, so the file
 * always reads back (the live screen shows them as \xNN).
 */
static json_t *
jstr(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	struct strbuf		 sb = STRBUF_INIT;
	size_t			 len, i = 0;
	uint32_t		 cp;
	int			 n;
	json_t			*j;

	if (s == NULL)
		return json_null();
	if ((j = json_string(s)) != NULL)
		return j;
	len = strlen(s);
	while (i < len) {
		if ((n = utf8_decode(p + i, len - i, &cp)) < 0) {
			strbuf_addstr(&sb, "\xEF\xBF\xBD");
			i++;
		} else {
			strbuf_add(&sb, p + i, (size_t)n);
			i += (size_t)n;
		}
	}
	j = json_string(sb.buf);
	strbuf_release(&sb);
	return j != NULL ? j : json_null();
}

static json_t *
jnum(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

static json_t *
jint_or_null(int64_t v, int64_t null_value)
{
	return v == null_value ? json_null() : json_integer(v);
}

static json_t *
session_json(const struct session *x)
{
	json_t	*o = json_object(), *b;
	int	 k;

	json_object_set_new(o, "pid", json_integer(x->pid));
	json_object_set_new(o, "leader_pid", jint_or_null(x->leader_pid, 0));
	json_object_set_new(o, "datname", jstr(x->datname));
	json_object_set_new(o, "usename", jstr(x->usename));
	json_object_set_new(o, "application_name", jstr(x->application_name));
	json_object_set_new(o, "client", jstr(x->client));
	json_object_set_new(o, "backend_type", jstr(x->backend_type));
	json_object_set_new(o, "state", jstr(x->state));
	json_object_set_new(o, "wait_event_type", jstr(x->wait_event_type));
	json_object_set_new(o, "wait_event", jstr(x->wait_event));
	json_object_set_new(o, "query", jstr(x->query));
	json_object_set_new(o, "query_id", jint_or_null(x->query_id, 0));
	json_object_set_new(o, "backend_age", jnum(x->backend_age));
	json_object_set_new(o, "xact_age", jnum(x->xact_age));
	json_object_set_new(o, "query_age", jnum(x->query_age));
	json_object_set_new(o, "state_age", jnum(x->state_age));
	json_object_set_new(o, "xmin_age", jint_or_null(x->xmin_age, -1));
	b = json_array();
	for (k = 0; k < x->nblockers; k++)
		json_array_append_new(b, json_integer(x->blockers[k]));
	json_object_set_new(o, "blockers", b);
	json_object_set_new(o, "lock_mode", jstr(x->lock_mode));
	json_object_set_new(o, "lock_type", jstr(x->lock_type));
	json_object_set_new(o, "lock_target", jstr(x->lock_target));
	json_object_set_new(o, "lock_wait", jnum(x->lock_wait));
	return o;
}

int
snapfile_write(FILE *f, const struct snapshot *s)
{
	const struct vitals	*v = &s->vitals;
	json_t			*o = json_object(), *vo = json_object(), *a;
	char			*text;
	size_t			 i;
	int			 rc = 0;

	json_object_set_new(o, "format", json_string(SNAPFILE_FORMAT));
	json_object_set_new(o, "version", json_integer(SNAPFILE_VERSION));
	json_object_set_new(o, "taken_ms", json_integer(s->taken_ms));
	json_object_set_new(o, "source", jstr(s->source));
	json_object_set_new(vo, "version_num", json_integer(v->version_num));
	json_object_set_new(vo, "version", jstr(v->version));
	json_object_set_new(vo, "in_recovery", json_boolean(v->in_recovery));
	json_object_set_new(vo, "xacts", json_integer(v->xacts));
	json_object_set_new(vo, "blks_hit", json_integer(v->blks_hit));
	json_object_set_new(vo, "blks_read", json_integer(v->blks_read));
	json_object_set_new(vo, "max_connections",
	    json_integer(v->max_connections));
	json_object_set_new(vo, "reserved_connections",
	    json_integer(v->reserved_connections));
	json_object_set_new(vo, "nstandbys", json_integer(v->nstandbys));
	json_object_set_new(vo, "repl_lag", jnum(v->repl_lag));
	json_object_set_new(vo, "repl_lag_bytes",
	    jint_or_null(v->repl_lag_bytes, -1));
	json_object_set_new(vo, "slot_xmin_age",
	    jint_or_null(v->slot_xmin_age, -1));
	json_object_set_new(vo, "prepared_xmin_age",
	    jint_or_null(v->prepared_xmin_age, -1));
	json_object_set_new(vo, "server_now", jnum(v->server_now));
	json_object_set_new(vo, "query_ms", jnum(v->query_ms));
	json_object_set_new(o, "vitals", vo);
	a = json_array();
	for (i = 0; i < s->nsessions; i++)
		json_array_append_new(a, session_json(&s->sessions[i]));
	json_object_set_new(o, "sessions", a);
	text = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(o);
	if (text == NULL)
		return error("cannot encode a snapshot as JSON");
	if (fputs(text, f) == EOF || fputc('\n', f) == EOF || fflush(f) == EOF)
		rc = error("cannot write snapshot: %s", strerror(errno));
	free(text);
	return rc;
}

static void
sink_put(void *arg, struct snapshot *s)
{
	snapfile_write(arg, s);
}

struct snapshot_sink
snapfile_sink(FILE *f)
{
	struct snapshot_sink	sink = { sink_put, f };

	return sink;
}

/* Reading: every accessor checks the type and names the field. */

struct rd {
	struct snapshot	*s;
	char		*cause;
	char		 where[64];	/* "sessions[3]." prefix */
};

static int
fail(struct rd *r, const char *field, const char *what)
{
	if (r->cause == NULL)
		r->cause = xstrfmt("%s%s: %s", r->where, field, what);
	return -1;
}

/*
 * Look up 'field': -1 (reported) if missing, 0 if null, 1 with '*v' set
 * if it has a value.  Every field must be present, even when null.
 */
static int
get_field(struct rd *r, json_t *o, const char *field, json_t **v)
{
	if ((*v = json_object_get(o, field)) == NULL)
		return fail(r, field, "missing");
	return json_is_null(*v) ? 0 : 1;
}

static int
get_int(struct rd *r, json_t *o, const char *field, int64_t null_value,
    int64_t min, int64_t max, int64_t *out)
{
	json_t	*v;
	int	 rc = get_field(r, o, field, &v);

	if (rc == -1)
		return -1;
	if (rc == 0) {
		if (null_value == INT64_MIN)
			return fail(r, field, "must not be null");
		*out = null_value;
		return 0;
	}
	if (!json_is_integer(v))
		return fail(r, field, "expected an integer");
	*out = json_integer_value(v);
	if (*out < min || *out > max)
		return fail(r, field, "out of range");
	return 0;
}

static int
get_num(struct rd *r, json_t *o, const char *field, double *out)
{
	json_t	*v;
	int	 rc = get_field(r, o, field, &v);

	if (rc == -1)
		return -1;
	if (rc == 0) {
		*out = NAN;
		return 0;
	}
	if (!json_is_number(v))
		return fail(r, field, "expected a number");
	*out = json_number_value(v);
	if (!isfinite(*out))
		return fail(r, field, "not a finite number");
	return 0;
}

static int
get_str(struct rd *r, json_t *o, const char *field, const char **out)
{
	json_t	*v;
	int	 rc = get_field(r, o, field, &v);

	if (rc == -1)
		return -1;
	if (rc == 0) {
		*out = NULL;
		return 0;
	}
	if (!json_is_string(v))
		return fail(r, field, "expected a string");
	*out = snapshot_strdup(r->s, json_string_value(v));
	return 0;
}

static int
read_session(struct rd *r, json_t *o, struct session *x)
{
	int64_t	 v;
	json_t	*b, *e;
	size_t	 k;

	if (!json_is_object(o))
		return fail(r, "", "expected an object");
	if (get_int(r, o, "pid", INT64_MIN, 0, INT32_MAX, &v) == -1)
		return -1;
	x->pid = (int)v;
	if (get_int(r, o, "leader_pid", 0, 0, INT32_MAX, &v) == -1)
		return -1;
	x->leader_pid = (int)v;
	if (get_str(r, o, "datname", &x->datname) == -1 ||
	    get_str(r, o, "usename", &x->usename) == -1 ||
	    get_str(r, o, "application_name", &x->application_name) == -1 ||
	    get_str(r, o, "client", &x->client) == -1 ||
	    get_str(r, o, "backend_type", &x->backend_type) == -1 ||
	    get_str(r, o, "state", &x->state) == -1 ||
	    get_str(r, o, "wait_event_type", &x->wait_event_type) == -1 ||
	    get_str(r, o, "wait_event", &x->wait_event) == -1 ||
	    get_str(r, o, "query", &x->query) == -1 ||
	    get_int(r, o, "query_id", 0, INT64_MIN + 1, INT64_MAX,
	    &x->query_id) == -1 ||
	    get_num(r, o, "backend_age", &x->backend_age) == -1 ||
	    get_num(r, o, "xact_age", &x->xact_age) == -1 ||
	    get_num(r, o, "query_age", &x->query_age) == -1 ||
	    get_num(r, o, "state_age", &x->state_age) == -1 ||
	    get_int(r, o, "xmin_age", -1, -1, INT64_MAX, &x->xmin_age) == -1 ||
	    get_str(r, o, "lock_mode", &x->lock_mode) == -1 ||
	    get_str(r, o, "lock_type", &x->lock_type) == -1 ||
	    get_str(r, o, "lock_target", &x->lock_target) == -1 ||
	    get_num(r, o, "lock_wait", &x->lock_wait) == -1)
		return -1;
	b = json_object_get(o, "blockers");
	if (b == NULL || !json_is_array(b))
		return fail(r, "blockers", "expected an array");
	if (json_array_size(b) > 4096)
		return fail(r, "blockers", "too many entries");
	if (json_array_size(b) > 0) {
		x->nblockers = (int)json_array_size(b);
		x->blockers = snapshot_alloc(r->s,
		    (size_t)x->nblockers * sizeof *x->blockers);
		json_array_foreach(b, k, e) {
			if (!json_is_integer(e) || json_integer_value(e) < 0 ||
			    json_integer_value(e) > INT32_MAX)
				return fail(r, "blockers", "expected pids");
			x->blockers[k] = (int)json_integer_value(e);
		}
	}
	return 0;
}

static int
read_vitals(struct rd *r, json_t *o, struct vitals *v)
{
	int64_t	 n;
	json_t	*rec;

	snprintf(r->where, sizeof r->where, "vitals.");
	if (!json_is_object(o))
		return fail(r, "", "expected an object");
	if (get_int(r, o, "version_num", INT64_MIN, 0, INT32_MAX, &n) == -1)
		return -1;
	v->version_num = (int)n;
	if (get_str(r, o, "version", &v->version) == -1)
		return -1;
	rec = json_object_get(o, "in_recovery");
	if (rec == NULL || !json_is_boolean(rec))
		return fail(r, "in_recovery", "expected true or false");
	v->in_recovery = json_is_true(rec);
	if (get_int(r, o, "xacts", INT64_MIN, 0, INT64_MAX, &v->xacts) == -1 ||
	    get_int(r, o, "blks_hit", INT64_MIN, 0, INT64_MAX,
	    &v->blks_hit) == -1 ||
	    get_int(r, o, "blks_read", INT64_MIN, 0, INT64_MAX,
	    &v->blks_read) == -1)
		return -1;
	if (get_int(r, o, "max_connections", INT64_MIN, 0, 1000000, &n) == -1)
		return -1;
	v->max_connections = (int)n;
	if (get_int(r, o, "reserved_connections", INT64_MIN, 0, 1000000,
	    &n) == -1)
		return -1;
	v->reserved_connections = (int)n;
	if (get_int(r, o, "nstandbys", INT64_MIN, 0, 100000, &n) == -1)
		return -1;
	v->nstandbys = (int)n;
	if (get_num(r, o, "repl_lag", &v->repl_lag) == -1 ||
	    get_int(r, o, "repl_lag_bytes", -1, INT64_MIN + 1, INT64_MAX,
	    &v->repl_lag_bytes) == -1 ||
	    get_int(r, o, "slot_xmin_age", -1, -1, INT64_MAX,
	    &v->slot_xmin_age) == -1 ||
	    get_int(r, o, "prepared_xmin_age", -1, -1, INT64_MAX,
	    &v->prepared_xmin_age) == -1 ||
	    get_num(r, o, "server_now", &v->server_now) == -1 ||
	    get_num(r, o, "query_ms", &v->query_ms) == -1)
		return -1;
	v->interval = v->tps = v->hit_ratio = NAN;
	return 0;
}

struct snapshot *
snapfile_parse_line(const char *line, size_t len, char **cause)
{
	struct rd	 r;
	json_t		*o, *a, *e;
	json_error_t	 jerr;
	size_t		 i;
	int64_t		 n;

	memset(&r, 0, sizeof r);
	*cause = NULL;
	o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (o == NULL) {
		*cause = xstrfmt("column %d: %s", jerr.column, jerr.text);
		return NULL;
	}
	r.s = snapshot_new();
	if (!json_is_object(o)) {
		fail(&r, "snapshot", "expected an object");
		goto bad;
	}
	e = json_object_get(o, "format");
	if (e == NULL || !json_is_string(e) ||
	    strcmp(json_string_value(e), SNAPFILE_FORMAT) != 0) {
		fail(&r, "format", "not a pgdeck snapshot");
		goto bad;
	}
	if (get_int(&r, o, "version", INT64_MIN, 1, INT32_MAX, &n) == -1)
		goto bad;
	if (n > SNAPFILE_VERSION) {
		fail(&r, "version", "written by a newer pgdeck");
		goto bad;
	}
	if (get_int(&r, o, "taken_ms", INT64_MIN, 0, INT64_MAX,
	    &r.s->taken_ms) == -1 ||
	    get_str(&r, o, "source", &r.s->source) == -1 ||
	    read_vitals(&r, json_object_get(o, "vitals"), &r.s->vitals) == -1)
		goto bad;
	r.where[0] = '\0';
	a = json_object_get(o, "sessions");
	if (a == NULL || !json_is_array(a)) {
		fail(&r, "sessions", "expected an array");
		goto bad;
	}
	r.s->nsessions = json_array_size(a);
	if (r.s->nsessions > 0)
		r.s->sessions = xcalloc(r.s->nsessions, sizeof *r.s->sessions);
	json_array_foreach(a, i, e) {
		snprintf(r.where, sizeof r.where, "sessions[%zu].", i);
		if (read_session(&r, e, &r.s->sessions[i]) == -1)
			goto bad;
	}
	json_decref(o);
	return r.s;
bad:
	json_decref(o);
	snapshot_unref(r.s);
	*cause = r.cause;
	return NULL;
}

void
snapfile_free(struct snapshot **snaps, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		snapshot_unref(snaps[i]);
	free(snaps);
}

int
snapfile_read(const char *path, struct snapshot ***out, char **cause)
{
	FILE		 *f;
	char		 *line = NULL, *err;
	size_t		  cap = 0, alloc = 0;
	ssize_t		  len;
	int		  n = 0, lineno = 0;
	struct snapshot	**snaps = NULL, *s;

	*cause = NULL;
	*out = NULL;
	if ((f = fopen(path, "r")) == NULL) {
		*cause = xstrfmt("%s: %s", path, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, f)) != -1) {
		lineno++;
		if (len > SNAPFILE_MAX_LINE) {
			*cause = xstrfmt("%s:%d: line too long", path, lineno);
			goto bad;
		}
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			len--;
		if (len == 0)
			continue;
		if ((s = snapfile_parse_line(line, (size_t)len, &err)) == NULL) {
			*cause = xstrfmt("%s:%d: %s", path, lineno, err);
			free(err);
			goto bad;
		}
		vitals_derive(&s->vitals, n > 0 ? &snaps[n - 1]->vitals : NULL);
		xgrow((void **)&snaps, &alloc, (size_t)n + 1, sizeof *snaps);
		snaps[n++] = s;
	}
	if (ferror(f)) {
		*cause = xstrfmt("%s: %s", path, strerror(errno));
		goto bad;
	}
	if (n == 0) {
		*cause = xstrfmt("%s: no snapshots in the file", path);
		goto bad;
	}
	free(line);
	fclose(f);
	*out = snaps;
	return n;
bad:
	free(line);
	fclose(f);
	snapfile_free(snaps, n);
	return -1;
}
