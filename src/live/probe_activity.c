/*
 * probe_activity.c - sessions from pg_stat_activity, with the lock each
 * waiting session wants and who blocks it.
 *
 * The lock details come from a second statement, run only when the
 * sessions show a Lock wait: pg_locks is copied once, and
 * pg_blocking_pids() (not free: it walks the lock manager) is called
 * only for the backends that wait on a heavyweight lock.
 */
#include "probe.h"
#include "pgresult.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/strbuf.h"
#include "../core/util.h"
#include "../core/banned.h"

void
probe_activity_sql(struct strbuf *sb, int v)
{
	strbuf_addstr(sb, "SELECT a.pid, ");
	strbuf_addstr(sb, v >= 130000 ? "a.leader_pid, " : "NULL::int AS leader_pid, ");
	strbuf_addstr(sb,
	    "a.datname, a.usename, a.application_name,"
	    " CASE WHEN a.client_addr IS NOT NULL THEN host(a.client_addr)"
	    " WHEN a.client_port = -1 THEN 'local' END AS client, ");
	strbuf_addstr(sb, v >= 100000 ? "a.backend_type, " : "'client backend'::text AS backend_type, ");
	strbuf_addstr(sb,
	    "a.state, a.wait_event_type, a.wait_event,"
	    " date_part('epoch', now() - a.backend_start) AS backend_age,"
	    " date_part('epoch', now() - a.xact_start) AS xact_age,"
	    " date_part('epoch', now() - a.query_start) AS query_age,"
	    " date_part('epoch', now() - a.state_change) AS state_age,"
	    " age(a.backend_xmin) AS xmin_age,"
	    " date_part('epoch', now()) AS now, ");
	strbuf_addstr(sb, v >= 140000 ? "a.query_id, " : "NULL::int8 AS query_id, ");
	strbuf_addstr(sb,
	    "a.query FROM pg_stat_activity a WHERE a.pid <> pg_backend_pid()");
}

void
probe_locks_sql(struct strbuf *sb, int v)
{
	/* One row per waiting backend: the lock it wants, who blocks it. */
	strbuf_addstr(sb,
	    "SELECT DISTINCT ON (l.pid) l.pid, l.mode AS lock_mode,"
	    " l.locktype AS lock_type,"
	    /* Names resolve only for relations of our own database. */
	    " CASE WHEN l.relation IS NULL THEN NULL"
	    " WHEN l.database = (SELECT oid FROM pg_database"
	    " WHERE datname = current_database())"
	    " THEN coalesce((SELECT c.relname FROM pg_class c"
	    " WHERE c.oid = l.relation), l.relation::text)"
	    " ELSE l.relation::text END AS lock_target, ");
	strbuf_addstr(sb, v >= 140000 ?
	    "date_part('epoch', now() - l.waitstart) AS lock_wait, " :
	    "NULL::float8 AS lock_wait, ");
	strbuf_addstr(sb,
	    "pg_blocking_pids(l.pid) AS blockers"
	    " FROM pg_locks l WHERE NOT l.granted AND l.pid IS NOT NULL"
	    " ORDER BY l.pid");
}

int
snapshot_has_lock_waiters(const struct snapshot *s)
{
	size_t	i;

	for (i = 0; i < s->nsessions; i++) {
		if (s->sessions[i].wait_event_type != NULL &&
		    strcmp(s->sessions[i].wait_event_type, "Lock") == 0)
			return 1;
	}
	return 0;
}

int
parse_int_array(const char *t, int *out, int n)
{
	int	 count = 0;
	char	*end;
	long	 v;

	if (t == NULL || *t != '{')
		return 0;
	t++;
	while (*t != '\0' && *t != '}' && count < n) {
		v = strtol(t, &end, 10);
		if (end == t)
			break;
		out[count++] = (int)v;
		t = end;
		if (*t == ',')
			t++;
	}
	return count;
}

int
probe_activity_parse(PGresult *res, struct snapshot *s, char **cause)
{
	enum { PID, LEADER, DAT, USR, APP, CLI, BTYPE, STATE, WTYPE, WEV,
	    BAGE, XAGE, QAGE, SAGE, XMIN, QID, QUERY, NCOLS };
	static const char *const names[NCOLS] = { "pid", "leader_pid",
	    "datname", "usename", "application_name", "client",
	    "backend_type", "state", "wait_event_type", "wait_event",
	    "backend_age", "xact_age", "query_age", "state_age", "xmin_age",
	    "query_id", "query" };
	int		 c[NCOLS], i, row, nrows;
	struct session	*x;

	*cause = NULL;
	for (i = 0; i < NCOLS; i++)
		c[i] = pgr_column(res, names[i], cause);
	if (*cause != NULL)
		return -1;
	nrows = PQntuples(res);
	s->nsessions = (size_t)nrows;
	s->sessions = nrows > 0 ? xcalloc((size_t)nrows, sizeof *s->sessions) :
	    NULL;
	for (row = 0; row < nrows; row++) {
		x = &s->sessions[row];
		x->pid = (int)pgr_int(res, row, c[PID], 0);
		x->leader_pid = (int)pgr_int(res, row, c[LEADER], 0);
		x->datname = pgr_str(s, res, row, c[DAT]);
		x->usename = pgr_str(s, res, row, c[USR]);
		x->application_name = pgr_str(s, res, row, c[APP]);
		x->client = pgr_str(s, res, row, c[CLI]);
		x->backend_type = pgr_str(s, res, row, c[BTYPE]);
		x->state = pgr_str(s, res, row, c[STATE]);
		x->wait_event_type = pgr_str(s, res, row, c[WTYPE]);
		x->wait_event = pgr_str(s, res, row, c[WEV]);
		x->backend_age = pgr_double(res, row, c[BAGE]);
		x->xact_age = pgr_double(res, row, c[XAGE]);
		x->query_age = pgr_double(res, row, c[QAGE]);
		x->state_age = pgr_double(res, row, c[SAGE]);
		x->xmin_age = pgr_int(res, row, c[XMIN], -1);
		x->query_id = pgr_int(res, row, c[QID], 0);
		x->query = pgr_str(s, res, row, c[QUERY]);
		x->lock_wait = NAN;
	}
	if (nrows > 0)
		s->activity_now = pgr_double(res, 0, PQfnumber(res, "now"));
	return 0;
}

int
probe_locks_parse(PGresult *res, struct snapshot *s, char **cause)
{
	enum { PID, LMODE, LTYPE, LTARGET, LWAIT, BLK, NCOLS };
	static const char *const names[NCOLS] = { "pid", "lock_mode",
	    "lock_type", "lock_target", "lock_wait", "blockers" };
	int		 c[NCOLS], i, row, tmp[256], n;
	struct session	*x;

	*cause = NULL;
	for (i = 0; i < NCOLS; i++)
		c[i] = pgr_column(res, names[i], cause);
	if (*cause != NULL)
		return -1;
	for (row = 0; row < PQntuples(res); row++) {
		/* A session that ended in between is simply not there. */
		x = (struct session *)snapshot_find(s,
		    (int)pgr_int(res, row, c[PID], 0));
		if (x == NULL)
			continue;
		x->lock_mode = pgr_str(s, res, row, c[LMODE]);
		x->lock_type = pgr_str(s, res, row, c[LTYPE]);
		x->lock_target = pgr_str(s, res, row, c[LTARGET]);
		x->lock_wait = pgr_double(res, row, c[LWAIT]);
		if (PQgetisnull(res, row, c[BLK]))
			continue;
		n = parse_int_array(PQgetvalue(res, row, c[BLK]), tmp, 256);
		if (n > 0) {
			x->blockers = snapshot_alloc(s,
			    (size_t)n * sizeof *x->blockers);
			memcpy(x->blockers, tmp, (size_t)n * sizeof *tmp);
			x->nblockers = n;
		}
	}
	return 0;
}
