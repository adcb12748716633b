/*
 * activity.c - summary, filter, sort and grouping of sessions.
 */
#include "activity.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../core/banned.h"

const char *const act_col_names[ACOL__COUNT] = {
	"pid", "database", "user", "application", "client", "state",
	"wait", "xact age", "query age", "state age", "backend type", "query"
};

const char *const group_by_names[GROUP__COUNT] = {
	"none", "application", "user", "client", "database", "query_id"
};

static int
streq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

int
session_is_client(const struct session *x)
{
	const char	*t = x->backend_type;

	return t == NULL || streq(t, "client backend") ||
	    streq(t, "autovacuum worker") || streq(t, "parallel worker") ||
	    streq(t, "walsender") || streq(t, "background worker");
}

double
session_duration(const struct session *x)
{
	if (!isnan(x->xact_age))
		return x->xact_age;
	if (streq(x->state, "active"))
		return x->query_age;
	return x->state_age;
}

void
activity_summarize(const struct snapshot *s, struct activity_summary *o)
{
	const struct session	*x;
	size_t			 i;

	memset(o, 0, sizeof *o);
	o->longest_xact = NAN;
	o->oldest_xmin = -1;
	for (i = 0; i < s->nsessions; i++) {
		x = &s->sessions[i];
		o->total++;
		if (x->backend_type == NULL ||
		    streq(x->backend_type, "client backend"))
			o->client++;
		if (streq(x->state, "active"))
			o->active++;
		else if (streq(x->state, "idle"))
			o->idle++;
		else if (streq(x->state, "idle in transaction"))
			o->idle_tx++;
		else if (streq(x->state, "idle in transaction (aborted)"))
			o->idle_tx_aborted++;
		else if (x->state != NULL)
			o->other++;
		if (streq(x->wait_event_type, "Lock"))
			o->waiting_lock++;
		if (!isnan(x->xact_age) && (isnan(o->longest_xact) ||
		    x->xact_age > o->longest_xact)) {
			o->longest_xact = x->xact_age;
			o->longest_xact_pid = x->pid;
		}
		if (x->xmin_age > o->oldest_xmin) {
			o->oldest_xmin = x->xmin_age;
			o->oldest_xmin_pid = x->pid;
			o->oldest_xmin_holder = "session";
		}
	}
	if (s->vitals.slot_xmin_age > o->oldest_xmin) {
		o->oldest_xmin = s->vitals.slot_xmin_age;
		o->oldest_xmin_pid = 0;
		o->oldest_xmin_holder = "replication slot";
	}
	if (s->vitals.prepared_xmin_age > o->oldest_xmin) {
		o->oldest_xmin = s->vitals.prepared_xmin_age;
		o->oldest_xmin_pid = 0;
		o->oldest_xmin_holder = "prepared transaction";
	}
}

const char *
session_group_key(const struct session *x, enum group_by g, char *buf,
    size_t size)
{
	const char	*v = NULL;

	switch (g) {
	case GROUP_APP:
		v = x->application_name;
		break;
	case GROUP_USER:
		v = x->usename;
		break;
	case GROUP_CLIENT:
		v = x->client;
		break;
	case GROUP_DB:
		v = x->datname;
		break;
	case GROUP_QUERYID:
		if (x->query_id == 0)
			v = NULL;
		else {
			snprintf(buf, size, "%" PRId64, x->query_id);
			return buf;
		}
		break;
	default:
		v = "";
		break;
	}
	snprintf(buf, size, "%s", v != NULL && *v != '\0' ? v : "(none)");
	return buf;
}

static int
matches(const struct session *x, const struct activity_filter *f)
{
	char	pid[16], qid[24];

	if (!f->show_system && !session_is_client(x))
		return 0;
	if (!f->show_idle && streq(x->state, "idle"))
		return 0;
	if (f->min_age > 0) {
		double	d = session_duration(x);

		if (isnan(d) || d < f->min_age)
			return 0;
	}
	if (f->group != GROUP_NONE && f->group_key != NULL) {
		char	buf[64];

		if (strcmp(session_group_key(x, f->group, buf, sizeof buf),
		    f->group_key) != 0)
			return 0;
	}
	if (f->text == NULL || *f->text == '\0')
		return 1;
	snprintf(pid, sizeof pid, "%d", x->pid);
	snprintf(qid, sizeof qid, "%" PRId64, x->query_id);
	return str_icontains(pid, f->text) ||
	    str_icontains(x->datname, f->text) ||
	    str_icontains(x->usename, f->text) ||
	    str_icontains(x->application_name, f->text) ||
	    str_icontains(x->client, f->text) ||
	    str_icontains(x->state, f->text) ||
	    str_icontains(x->wait_event_type, f->text) ||
	    str_icontains(x->wait_event, f->text) ||
	    str_icontains(x->backend_type, f->text) ||
	    (x->query_id != 0 && str_icontains(qid, f->text)) ||
	    str_icontains(x->query, f->text);
}

static const struct session	*sort_sessions;
static const struct activity_filter *sort_filter;

/*
 * A session's value in a sort column: text, or a number (NAN = NULL).
 * One accessor for both, so a column cannot sort one way and treat its
 * NULLs another.
 */
static int
col_value(const struct session *x, enum act_col col, const char **str,
    double *num)
{
	*str = NULL;
	*num = NAN;
	switch (col) {
	case ACOL_PID:		*num = x->pid; return 1;
	case ACOL_XACT_AGE:	*num = x->xact_age; return 1;
	case ACOL_QUERY_AGE:	*num = x->query_age; return 1;
	case ACOL_STATE_AGE:	*num = x->state_age; return 1;
	case ACOL_DB:		*str = x->datname; return 0;
	case ACOL_USER:		*str = x->usename; return 0;
	case ACOL_APP:		*str = x->application_name; return 0;
	case ACOL_CLIENT:	*str = x->client; return 0;
	case ACOL_STATE:	*str = x->state; return 0;
	case ACOL_WAIT:		*str = x->wait_event; return 0;
	case ACOL_BACKEND_TYPE:	*str = x->backend_type; return 0;
	case ACOL_QUERY:	*str = x->query; return 0;
	default:		return 1;
	}
}

static int
cmp_sessions(const void *pa, const void *pb)
{
	const struct session	*a = &sort_sessions[*(const int *)pa];
	const struct session	*b = &sort_sessions[*(const int *)pb];
	const char		*as, *bs;
	double			 an, bn;
	int			 r, anull, bnull;

	if (col_value(a, sort_filter->sort, &as, &an)) {
		col_value(b, sort_filter->sort, &bs, &bn);
		anull = isnan(an);
		bnull = isnan(bn);
		r = anull || bnull ? 0 : (an > bn) - (an < bn);
	} else {
		col_value(b, sort_filter->sort, &bs, &bn);
		anull = as == NULL;
		bnull = bs == NULL;
		r = anull || bnull ? 0 : strcmp(as, bs);
	}
	/* Missing values stay last whatever the direction. */
	if (anull != bnull)
		return anull - bnull;
	if (sort_filter->descending)
		r = -r;
	if (r == 0)
		r = (a->pid > b->pid) - (a->pid < b->pid);
	return r;
}

size_t
activity_select(const struct snapshot *s, const struct activity_filter *f,
    int *idx)
{
	size_t	i, n = 0;

	for (i = 0; i < s->nsessions; i++) {
		if (matches(&s->sessions[i], f))
			idx[n++] = (int)i;
	}
	sort_sessions = s->sessions;
	sort_filter = f;
	qsort(idx, n, sizeof *idx, cmp_sessions);
	return n;
}

static int
cmp_groups(const void *pa, const void *pb)
{
	const struct activity_group	*a = pa, *b = pb;

	if (a->total != b->total)
		return b->total - a->total;
	return strcmp(a->key, b->key);
}

size_t
activity_group(const struct snapshot *s, const int *idx, size_t n,
    enum group_by g, struct activity_group **out)
{
	struct activity_group	*groups = NULL, *gr;
	size_t			 ngroups = 0, agroups = 0, i, j;
	const struct session	*x;
	char			 buf[64];
	const char		*key;

	for (i = 0; i < n; i++) {
		x = &s->sessions[idx[i]];
		key = session_group_key(x, g, buf, sizeof buf);
		for (j = 0; j < ngroups; j++) {
			if (strcmp(groups[j].key, key) == 0)
				break;
		}
		if (j == ngroups) {
			xgrow((void **)&groups, &agroups, ngroups + 1,
			    sizeof *groups);
			gr = &groups[ngroups++];
			memset(gr, 0, sizeof *gr);
			gr->key = xstrdup(key);
			gr->oldest_xact = NAN;
			gr->sample_idx = idx[i];
		}
		gr = &groups[j];
		gr->total++;
		if (streq(x->state, "active"))
			gr->active++;
		else if (streq(x->state, "idle"))
			gr->idle++;
		else if (x->state != NULL &&
		    strncmp(x->state, "idle in transaction", 19) == 0)
			gr->idle_tx++;
		if (streq(x->wait_event_type, "Lock"))
			gr->waiting++;
		if (!isnan(x->xact_age) && (isnan(gr->oldest_xact) ||
		    x->xact_age > gr->oldest_xact)) {
			gr->oldest_xact = x->xact_age;
			gr->oldest_pid = x->pid;
			gr->sample_idx = idx[i];
		}
	}
	if (ngroups > 1)
		qsort(groups, ngroups, sizeof *groups, cmp_groups);
	*out = groups;
	return ngroups;
}

void
activity_groups_free(struct activity_group *g, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(g[i].key);
	free(g);
}
