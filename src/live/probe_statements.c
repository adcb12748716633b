/*
 * probe_statements.c - pg_stat_statements counters and texts.
 *
 * Counters come from pg_stat_statements(false) every refresh: without
 * the texts the server does not read its query-text file.  Texts are
 * fetched once per queryid, only for ids not yet cached.  The extension
 * may live in any schema; its name is quoted into the statement.
 */
#include "probe.h"
#include "pgresult.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/strbuf.h"
#include "../core/util.h"
#include "../core/banned.h"

int
probe_stmts_status(const struct capabilities *caps)
{
	if (caps->version_num == 0)
		return STMTS_UNKNOWN;
	if (caps->version_num < 130000)
		return STMTS_OLD_SERVER;
	if (caps->pgss_schema == NULL)
		return STMTS_MISSING;
	if (!caps->pgss_loaded)
		return STMTS_NOT_LOADED;
	return STMTS_OK;
}

/* "schema".name, with the schema quoted as an identifier. */
static void
add_qualified(struct strbuf *sb, const char *schema, const char *name)
{
	const char	*p;

	strbuf_addch(sb, '"');
	for (p = schema; *p != '\0'; p++) {
		if (*p == '"')
			strbuf_addch(sb, '"');
		strbuf_addch(sb, *p);
	}
	strbuf_addf(sb, "\".%s", name);
}

void
probe_stmts_sql(struct strbuf *sb, const struct capabilities *caps)
{
	int	v = caps->version_num;

	strbuf_addstr(sb, "SELECT s.userid::int8 AS userid,"
	    " s.dbid::int8 AS dbid, ");
	strbuf_addstr(sb, v >= 140000 ? "s.toplevel, " : "true AS toplevel, ");
	strbuf_addstr(sb, "s.queryid, r.rolname AS usr, d.datname,"
	    " s.calls, s.plans, s.rows,"
	    " s.total_exec_time AS exec_ms, s.total_plan_time AS plan_ms, ");
	strbuf_addstr(sb, v >= 170000 ?
	    "s.shared_blk_read_time + s.shared_blk_write_time AS io_ms, " :
	    "s.blk_read_time + s.blk_write_time AS io_ms, ");
	strbuf_addstr(sb, "s.shared_blks_hit, s.shared_blks_read,"
	    " s.shared_blks_dirtied, s.temp_blks_read, s.temp_blks_written,"
	    " s.wal_bytes::int8 AS wal_bytes, ");
	if (v >= 140000) {
		strbuf_addstr(sb, "(SELECT dealloc FROM ");
		add_qualified(sb, caps->pgss_schema, "pg_stat_statements_info");
		strbuf_addstr(sb, ") AS dealloc,"
		    " (SELECT date_part('epoch', stats_reset) FROM ");
		add_qualified(sb, caps->pgss_schema, "pg_stat_statements_info");
		strbuf_addstr(sb, ") AS stats_reset");
	} else
		strbuf_addstr(sb, "NULL::int8 AS dealloc,"
		    " NULL::float8 AS stats_reset");
	strbuf_addstr(sb, " FROM ");
	add_qualified(sb, caps->pgss_schema, "pg_stat_statements(false) s");
	strbuf_addstr(sb, " LEFT JOIN pg_roles r ON r.oid = s.userid"
	    " LEFT JOIN pg_database d ON d.oid = s.dbid");
}

int
probe_stmts_parse(PGresult *res, struct snapshot *s,
    const struct capabilities *caps, char **cause)
{
	enum { UID, DID, TOP, QID, USR, DAT, CALLS, PLANS, ROWS, EXEC, PLAN,
	    IO, HIT, READ, DIRT, TREAD, TWRITE, WAL, DEALLOC, RESET, NCOLS };
	static const char *const names[NCOLS] = { "userid", "dbid",
	    "toplevel", "queryid", "usr", "datname", "calls", "plans", "rows",
	    "exec_ms", "plan_ms", "io_ms", "shared_blks_hit",
	    "shared_blks_read", "shared_blks_dirtied", "temp_blks_read",
	    "temp_blks_written", "wal_bytes", "dealloc", "stats_reset" };
	int		 c[NCOLS], i, row, nrows, hidden = 0;
	struct stmt	*st;
	size_t		 n = 0;

	*cause = NULL;
	for (i = 0; i < NCOLS; i++)
		c[i] = pgr_column(res, names[i], cause);
	if (*cause != NULL)
		return -1;
	nrows = PQntuples(res);
	s->stmts = nrows > 0 ? xcalloc((size_t)nrows, sizeof *s->stmts) : NULL;
	for (row = 0; row < nrows; row++) {
		/* Other roles' entries without pg_read_all_stats. */
		if (PQgetisnull(res, row, c[QID])) {
			hidden++;
			continue;
		}
		st = &s->stmts[n++];
		st->userid = (uint32_t)pgr_int(res, row, c[UID], 0);
		st->dbid = (uint32_t)pgr_int(res, row, c[DID], 0);
		st->toplevel = pgr_bool(res, row, c[TOP]);
		st->queryid = pgr_int(res, row, c[QID], 0);
		st->user = pgr_str(s, res, row, c[USR]);
		st->datname = pgr_str(s, res, row, c[DAT]);
		st->calls = pgr_int(res, row, c[CALLS], 0);
		st->plans = pgr_int(res, row, c[PLANS], 0);
		st->rows = pgr_int(res, row, c[ROWS], 0);
		st->exec_ms = pgr_double(res, row, c[EXEC]);
		st->plan_ms = pgr_double(res, row, c[PLAN]);
		st->io_ms = pgr_double(res, row, c[IO]);
		if (isnan(st->exec_ms))
			st->exec_ms = 0;
		if (isnan(st->plan_ms))
			st->plan_ms = 0;
		if (isnan(st->io_ms))
			st->io_ms = 0;
		st->blks_hit = pgr_int(res, row, c[HIT], 0);
		st->blks_read = pgr_int(res, row, c[READ], 0);
		st->blks_dirtied = pgr_int(res, row, c[DIRT], 0);
		st->temp_read = pgr_int(res, row, c[TREAD], 0);
		st->temp_written = pgr_int(res, row, c[TWRITE], 0);
		st->wal_bytes = pgr_int(res, row, c[WAL], 0);
		if (s->qtexts != NULL)
			st->query = qtexts_get(s->qtexts, st->queryid);
	}
	s->nstmts = n;
	s->stmt_info.status = STMTS_OK;
	if (nrows > 0) {
		s->stmt_info.dealloc = pgr_int(res, 0, c[DEALLOC], -1);
		s->stmt_info.stats_reset = pgr_double(res, 0, c[RESET]);
	}
	if (hidden > 0 && !caps->superuser && !caps->read_all_stats)
		s->stmt_info.hint = snapshot_strdup(s, "other roles' statements"
		    " are hidden: run GRANT pg_read_all_stats TO <this role>;");
	else if (!caps->compute_query_id)
		s->stmt_info.hint = snapshot_strdup(s, "compute_query_id is off:"
		    " sessions cannot be linked to statements;"
		    " run ALTER SYSTEM SET compute_query_id = on;"
		    " SELECT pg_reload_conf();");
	return 0;
}

void
probe_stmt_texts_sql(struct strbuf *sb, const struct capabilities *caps)
{
	strbuf_addstr(sb, "SELECT DISTINCT ON (s.queryid) s.queryid, s.query"
	    " FROM ");
	add_qualified(sb, caps->pgss_schema, "pg_stat_statements(true) s");
	strbuf_addstr(sb, " WHERE s.queryid = ANY($1::int8[])");
}

int
probe_stmt_texts_parse(PGresult *res, struct qtexts *q, char **cause)
{
	int	qid, qtext, row, n = 0;

	*cause = NULL;
	qid = pgr_column(res, "queryid", cause);
	qtext = pgr_column(res, "query", cause);
	if (*cause != NULL)
		return -1;
	for (row = 0; row < PQntuples(res); row++) {
		if (PQgetisnull(res, row, qid) || PQgetisnull(res, row, qtext))
			continue;
		qtexts_put(q, pgr_int(res, row, qid, 0),
		    PQgetvalue(res, row, qtext));
		n++;
	}
	return n;
}
