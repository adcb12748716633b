/*
 * probe_server.c - server-wide vital signs and the capability probe.
 *
 * One row per refresh, from views that are cheap to read:
 * pg_stat_database (a sum over a handful of rows), settings,
 * pg_stat_replication, slots and prepared transactions.
 */
#include "probe.h"
#include "pgresult.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/strbuf.h"
#include "../core/util.h"
#include "../core/banned.h"

const char probe_capabilities_sql[] =
    "SELECT current_setting('server_version_num')::int AS version_num,"
    " current_setting('server_version') AS version,"
    " coalesce((SELECT rolsuper FROM pg_roles"
    " WHERE rolname = current_user), false) AS superuser,"
    " pg_has_role('pg_signal_backend', 'MEMBER') AS signal_backend,"
    " pg_has_role('pg_read_all_stats', 'MEMBER') AS read_all_stats,"
    " current_user AS usr, current_database() AS db,"
    " pg_backend_pid() AS backend_pid,"
    " CASE WHEN has_function_privilege('pg_control_system()', 'EXECUTE')"
    " THEN (SELECT system_identifier::text FROM pg_control_system())"
    " END AS system_id,"
    " (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n"
    " ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements')"
    " AS pgss_schema,"
    /* Superuser-only without pg_read_all_settings: NULL, not an error. */
    " CASE WHEN pg_has_role('pg_read_all_settings', 'MEMBER')"
    " THEN current_setting('shared_preload_libraries') END AS preload,"
    " current_setting('compute_query_id', true) AS compute_query_id,"
    /* Not granted to PUBLIC: calling it without the grant is an error. */
    " CASE WHEN current_setting('server_version_num')::int >= 120000"
    " THEN has_function_privilege('pg_catalog.pg_ls_archive_statusdir()',"
    " 'EXECUTE') END AS ls_archive_status";

int
probe_capabilities_parse(PGresult *res, struct capabilities *caps,
    char **cause)
{
	int	c;

	*cause = NULL;
	if (PQntuples(res) != 1 || (c = PQfnumber(res, "version_num")) < 0 ||
	    PQfnumber(res, "usr") < 0) {
		*cause = xstrdup("unexpected answer to the capability probe");
		return -1;
	}
	capabilities_release(caps);
	caps->version_num = atoi(PQgetvalue(res, 0, c));
	caps->version = xstrdup(PQgetvalue(res, 0, PQfnumber(res, "version")));
	caps->superuser = pgr_bool(res, 0, PQfnumber(res, "superuser"));
	caps->signal_backend = pgr_bool(res, 0, PQfnumber(res, "signal_backend"));
	caps->read_all_stats = pgr_bool(res, 0, PQfnumber(res, "read_all_stats"));
	caps->user = xstrdup(PQgetvalue(res, 0, PQfnumber(res, "usr")));
	caps->database = xstrdup(PQgetvalue(res, 0, PQfnumber(res, "db")));
	caps->backend_pid = atoi(PQgetvalue(res, 0,
	    PQfnumber(res, "backend_pid")));
	c = PQfnumber(res, "system_id");
	if (c >= 0 && !PQgetisnull(res, 0, c))
		caps->system_id = xstrdup(PQgetvalue(res, 0, c));
	c = PQfnumber(res, "pgss_schema");
	if (c >= 0 && !PQgetisnull(res, 0, c))
		caps->pgss_schema = xstrdup(PQgetvalue(res, 0, c));
	/*
	 * A role that may not read the setting cannot tell: if the
	 * extension is there, try it (an error then says what is wrong).
	 */
	c = PQfnumber(res, "preload");
	if (c >= 0 && PQgetisnull(res, 0, c))
		caps->pgss_loaded = caps->pgss_schema != NULL;
	else
		caps->pgss_loaded = c >= 0 && strstr(PQgetvalue(res, 0, c),
		    "pg_stat_statements") != NULL;
	c = PQfnumber(res, "compute_query_id");
	caps->compute_query_id = c >= 0 && !PQgetisnull(res, 0, c) &&
	    (strcmp(PQgetvalue(res, 0, c), "on") == 0 ||
	    (strcmp(PQgetvalue(res, 0, c), "auto") == 0 && caps->pgss_loaded));
	caps->ls_archive_status = pgr_bool(res, 0,
	    PQfnumber(res, "ls_archive_status"));
	return 0;
}

void
capabilities_release(struct capabilities *caps)
{
	free(caps->version);
	free(caps->user);
	free(caps->database);
	free(caps->system_id);
	free(caps->pgss_schema);
	memset(caps, 0, sizeof *caps);
}

void
probe_server_sql(struct strbuf *sb, int v)
{
	strbuf_addstr(sb,
	    "SELECT current_setting('server_version_num')::int AS version_num,"
	    " current_setting('server_version') AS version,"
	    " pg_is_in_recovery() AS in_recovery,"
	    " d.xacts, d.blks_hit, d.blks_read,"
	    " current_setting('max_connections')::int AS max_connections,"
	    " current_setting('superuser_reserved_connections')::int");
	if (v >= 160000)
		strbuf_addstr(sb,
		    " + current_setting('reserved_connections')::int");
	strbuf_addstr(sb,
	    " AS reserved,"
	    " r.nstandbys, r.lag, r.lag_bytes,"
	    " (SELECT max(greatest(age(xmin), age(catalog_xmin)))"
	    " FROM pg_replication_slots) AS slot_xmin_age,"
	    " (SELECT max(age(transaction)) FROM pg_prepared_xacts)"
	    " AS prepared_xmin_age,"
	    " extract(epoch FROM now())::float8 AS server_now"
	    " FROM (SELECT sum(xact_commit + xact_rollback)::int8 AS xacts,"
	    " sum(blks_hit)::int8 AS blks_hit, sum(blks_read)::int8 AS blks_read"
	    " FROM pg_stat_database) d,"
	    /* The function, not the view: the view re-reads every backend. */
	    " (SELECT count(*)::int AS nstandbys,"
	    " max(extract(epoch FROM s.replay_lag))::float8 AS lag,"
	    " CASE WHEN pg_is_in_recovery() THEN NULL"
	    " ELSE max(pg_wal_lsn_diff(pg_current_wal_lsn(), s.replay_lsn))::int8"
	    " END AS lag_bytes"
	    " FROM pg_stat_get_wal_senders() s) r");
}

int
probe_server_parse(PGresult *res, struct snapshot *s, char **cause)
{
	struct vitals	*v = &s->vitals;

	*cause = NULL;
	if (PQntuples(res) != 1 || PQfnumber(res, "xacts") < 0 ||
	    PQfnumber(res, "server_now") < 0) {
		*cause = xstrdup("unexpected answer to the server vitals probe");
		return -1;
	}
	v->version_num = (int)pgr_int(res, 0, PQfnumber(res, "version_num"), 0);
	v->version = pgr_str(s, res, 0, PQfnumber(res, "version"));
	v->in_recovery = pgr_bool(res, 0, PQfnumber(res, "in_recovery"));
	v->xacts = pgr_int(res, 0, PQfnumber(res, "xacts"), 0);
	v->blks_hit = pgr_int(res, 0, PQfnumber(res, "blks_hit"), 0);
	v->blks_read = pgr_int(res, 0, PQfnumber(res, "blks_read"), 0);
	v->max_connections = (int)pgr_int(res, 0, PQfnumber(res, "max_connections"), 0);
	v->reserved_connections = (int)pgr_int(res, 0, PQfnumber(res, "reserved"), 0);
	v->nstandbys = (int)pgr_int(res, 0, PQfnumber(res, "nstandbys"), 0);
	v->repl_lag = pgr_double(res, 0, PQfnumber(res, "lag"));
	v->repl_lag_bytes = pgr_int(res, 0, PQfnumber(res, "lag_bytes"), -1);
	v->slot_xmin_age = pgr_int(res, 0, PQfnumber(res, "slot_xmin_age"), -1);
	v->prepared_xmin_age = pgr_int(res, 0, PQfnumber(res, "prepared_xmin_age"), -1);
	v->server_now = pgr_double(res, 0, PQfnumber(res, "server_now"));
	v->interval = v->tps = v->hit_ratio = NAN;
	return 0;
}

void
vitals_derive(struct vitals *cur, const struct vitals *prev)
{
	double	dt, hit, read;

	cur->interval = cur->tps = cur->hit_ratio = NAN;
	if (prev == NULL || isnan(prev->server_now) || isnan(cur->server_now))
		return;
	dt = cur->server_now - prev->server_now;
	if (dt <= 0)
		return;
	cur->interval = dt;
	if (cur->xacts >= prev->xacts)
		cur->tps = (double)(cur->xacts - prev->xacts) / dt;
	if (cur->blks_hit >= prev->blks_hit &&
	    cur->blks_read >= prev->blks_read) {
		hit = (double)(cur->blks_hit - prev->blks_hit);
		read = (double)(cur->blks_read - prev->blks_read);
		if (hit + read > 0)
			cur->hit_ratio = hit / (hit + read);
	}
}
