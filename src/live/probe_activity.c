/*
 * probe_activity.c - sessions from pg_stat_activity, with the lock each
 * waiting session wants and who blocks it.
 *
 * pg_blocking_pids() walks the lock manager and is not free, so it is
 * called only for sessions that wait on a heavyweight Lock; pg_locks is
 * read once per refresh, and only when some session waits on a lock.
 */
#include "probe.h"

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
	/*
	 * pg_stat_activity is read once per transaction (cached), so the
	 * EXISTS below costs nothing; it gates the single pg_locks scan
	 * (a one-time filter) so that a server without lock waits never
	 * pays for copying its lock table.
	 */
	strbuf_addstr(sb,
	    "WITH w AS (SELECT DISTINCT ON (l.pid) l.pid, l.mode, l.locktype,"
	    " l.relation, l.database");
	strbuf_addstr(sb, v >= 140000 ? ", l.waitstart" : "");
	strbuf_addstr(sb,
	    " FROM pg_locks l WHERE NOT l.granted AND EXISTS (SELECT 1"
	    " FROM pg_stat_activity x WHERE x.wait_event_type = 'Lock')"
	    " ORDER BY l.pid)"
	    " SELECT a.pid, ");
	strbuf_addstr(sb, v >= 130000 ? "a.leader_pid, " : "NULL::int AS leader_pid, ");
	strbuf_addstr(sb,
	    "a.datname, a.usename, a.application_name,"
	    " CASE WHEN a.client_addr IS NOT NULL THEN host(a.client_addr)"
	    " WHEN a.client_port = -1 THEN 'local' END AS client, ");
	strbuf_addstr(sb, v >= 100000 ? "a.backend_type, " : "'client backend'::text AS backend_type, ");
	strbuf_addstr(sb,
	    "a.state, a.wait_event_type, a.wait_event,"
	    " extract(epoch FROM now() - a.backend_start)::float8 AS backend_age,"
	    " extract(epoch FROM now() - a.xact_start)::float8 AS xact_age,"
	    " extract(epoch FROM now() - a.query_start)::float8 AS query_age,"
	    " extract(epoch FROM now() - a.state_change)::float8 AS state_age,"
	    " age(a.backend_xmin) AS xmin_age, ");
	strbuf_addstr(sb, v >= 140000 ? "a.query_id, " : "NULL::int8 AS query_id, ");
	strbuf_addstr(sb,
	    "a.query,"
	    " CASE WHEN a.wait_event_type = 'Lock'"
	    " THEN pg_blocking_pids(a.pid) END AS blockers,"
	    " w.mode AS lock_mode, w.locktype AS lock_type,"
	    /* Names resolve only for relations of our own database. */
	    " CASE WHEN w.relation IS NULL THEN NULL"
	    " WHEN w.database = (SELECT oid FROM pg_database"
	    " WHERE datname = current_database())"
	    " THEN coalesce((SELECT c.relname FROM pg_class c"
	    " WHERE c.oid = w.relation), w.relation::text)"
	    " ELSE w.relation::text END AS lock_target, ");
	strbuf_addstr(sb, v >= 140000 ?
	    "extract(epoch FROM now() - w.waitstart)::float8 AS lock_wait" :
	    "NULL::float8 AS lock_wait");
	strbuf_addstr(sb,
	    " FROM pg_stat_activity a LEFT JOIN w ON w.pid = a.pid"
	    " WHERE a.pid <> pg_backend_pid()");
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

static int
col(PGresult *res, const char *name, char **cause)
{
	int	c = PQfnumber(res, name);

	if (c < 0 && *cause == NULL)
		*cause = xstrfmt("column '%s' missing from the server's answer",
		    name);
	return c;
}

static const char *
getstr(struct snapshot *s, PGresult *res, int row, int c)
{
	if (PQgetisnull(res, row, c))
		return NULL;
	return snapshot_strdup(s, PQgetvalue(res, row, c));
}

static double
getdbl(PGresult *res, int row, int c)
{
	if (PQgetisnull(res, row, c))
		return NAN;
	return strtod(PQgetvalue(res, row, c), NULL);
}

static int64_t
getint(PGresult *res, int row, int c, int64_t dflt)
{
	if (PQgetisnull(res, row, c))
		return dflt;
	return strtoll(PQgetvalue(res, row, c), NULL, 10);
}

int
probe_activity_parse(PGresult *res, struct snapshot *s, char **cause)
{
	enum { PID, LEADER, DAT, USR, APP, CLI, BTYPE, STATE, WTYPE, WEV,
	    BAGE, XAGE, QAGE, SAGE, XMIN, QID, QUERY, BLK, LMODE, LTYPE,
	    LTARGET, LWAIT, NCOLS };
	static const char *const names[NCOLS] = { "pid", "leader_pid",
	    "datname", "usename", "application_name", "client",
	    "backend_type", "state", "wait_event_type", "wait_event",
	    "backend_age", "xact_age", "query_age", "state_age", "xmin_age",
	    "query_id", "query", "blockers", "lock_mode", "lock_type",
	    "lock_target", "lock_wait" };
	int		 c[NCOLS], i, row, nrows, tmp[256], n;
	struct session	*x;
	const char	*bl;

	*cause = NULL;
	for (i = 0; i < NCOLS; i++)
		c[i] = col(res, names[i], cause);
	if (*cause != NULL)
		return -1;
	nrows = PQntuples(res);
	s->nsessions = (size_t)nrows;
	s->sessions = nrows > 0 ? xcalloc((size_t)nrows, sizeof *s->sessions) :
	    NULL;
	for (row = 0; row < nrows; row++) {
		x = &s->sessions[row];
		x->pid = (int)getint(res, row, c[PID], 0);
		x->leader_pid = (int)getint(res, row, c[LEADER], 0);
		x->datname = getstr(s, res, row, c[DAT]);
		x->usename = getstr(s, res, row, c[USR]);
		x->application_name = getstr(s, res, row, c[APP]);
		x->client = getstr(s, res, row, c[CLI]);
		x->backend_type = getstr(s, res, row, c[BTYPE]);
		x->state = getstr(s, res, row, c[STATE]);
		x->wait_event_type = getstr(s, res, row, c[WTYPE]);
		x->wait_event = getstr(s, res, row, c[WEV]);
		x->backend_age = getdbl(res, row, c[BAGE]);
		x->xact_age = getdbl(res, row, c[XAGE]);
		x->query_age = getdbl(res, row, c[QAGE]);
		x->state_age = getdbl(res, row, c[SAGE]);
		x->xmin_age = getint(res, row, c[XMIN], -1);
		x->query_id = getint(res, row, c[QID], 0);
		x->query = getstr(s, res, row, c[QUERY]);
		if (!PQgetisnull(res, row, c[BLK])) {
			bl = PQgetvalue(res, row, c[BLK]);
			n = parse_int_array(bl, tmp, 256);
			if (n > 0) {
				x->blockers = snapshot_alloc(s,
				    (size_t)n * sizeof *x->blockers);
				memcpy(x->blockers, tmp, (size_t)n * sizeof *tmp);
				x->nblockers = n;
			}
		}
		x->lock_mode = getstr(s, res, row, c[LMODE]);
		x->lock_type = getstr(s, res, row, c[LTYPE]);
		x->lock_target = getstr(s, res, row, c[LTARGET]);
		x->lock_wait = getdbl(res, row, c[LWAIT]);
	}
	return 0;
}
