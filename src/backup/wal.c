/*
 * wal.c - the WAL probe: archiver, backlog, standbys and slots; the RPO.
 */
#include "wal.h"
#include "backup.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../core/strbuf.h"
#include "../live/pgresult.h"
#include "../core/util.h"
#include "../core/banned.h"

#define WAL_JSON_VERSION	1

/*
 * The position every distance is taken from: the insert LSN on a
 * primary, the last received on a standby, or replayed if that is
 * further (WAL that came with the base backup, or from the archive);
 * pg_current_wal_lsn() is an error in recovery, CASE keeps it from
 * running there.
 */
#define CUR_LSN \
	"CASE WHEN pg_is_in_recovery() THEN greatest(" \
	"pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())" \
	" ELSE pg_current_wal_lsn() END"

void
wal_probe_sql(struct strbuf *sb, int v, int can_ls_status)
{
	strbuf_addstr(sb,
	    "SELECT extract(epoch FROM now())::float8 AS at,"
	    " current_setting('server_version_num')::int AS version_num,"
	    " pg_is_in_recovery() AS in_recovery,"
	    " current_setting('archive_mode') AS archive_mode,"
	    " current_setting('archive_command') AS archive_command,");
	if (v >= 150000)
		strbuf_addstr(sb,
		    " current_setting('archive_library') AS archive_library,");
	strbuf_addstr(sb,
	    " (SELECT setting::int FROM pg_settings"
	    " WHERE name = 'archive_timeout') AS archive_timeout,"
	    " (SELECT setting::int8 * CASE unit WHEN 'B' THEN 1"
	    " WHEN '8kB' THEN 8192 WHEN 'MB' THEN 1048576 ELSE 1 END"
	    " FROM pg_settings WHERE name = 'wal_segment_size') AS seg_size,");
	if (v >= 130000)
		strbuf_addstr(sb,
		    " (SELECT CASE WHEN setting::int8 < 0 THEN -1"
		    " ELSE setting::int8 * 1048576 END FROM pg_settings"
		    " WHERE name = 'max_slot_wal_keep_size') AS max_slot_keep,");
	strbuf_addstr(sb,
	    " pg_wal_lsn_diff(" CUR_LSN ", '0/0')::int8 AS lsn,"
	    " CASE WHEN NOT pg_is_in_recovery()"
	    " THEN pg_walfile_name(pg_current_wal_lsn()) END AS walfile,"
	    " pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::int8"
	    " AS replay_lsn,"
	    " extract(epoch FROM pg_last_xact_replay_timestamp())::float8"
	    " AS replay_time,"
	    " a.archived_count, a.last_archived_wal,"
	    " extract(epoch FROM a.last_archived_time)::float8"
	    " AS last_archived_time,"
	    " a.failed_count, a.last_failed_wal,"
	    " extract(epoch FROM a.last_failed_time)::float8"
	    " AS last_failed_time,"
	    " extract(epoch FROM a.stats_reset)::float8 AS archiver_reset");
	if (can_ls_status)
		/* Only segments: .history and .backup files are tiny. */
		strbuf_addstr(sb,
		    ", r.ready_count, r.ready_oldest_wal,"
		    " extract(epoch FROM r.ready_oldest_time)::float8"
		    " AS ready_oldest_time"
		    " FROM pg_stat_archiver a,"
		    " (SELECT count(*)::int8 AS ready_count,"
		    " min(left(name, 24)) AS ready_oldest_wal,"
		    " min(modification) AS ready_oldest_time"
		    " FROM pg_ls_archive_statusdir()"
		    " WHERE name ~ '^[0-9A-F]{24}\\.ready$') r;");
	else
		strbuf_addstr(sb, " FROM pg_stat_archiver a;");

	strbuf_addstr(sb,
	    "SELECT pid, application_name, host(client_addr) AS client,"
	    " state, sync_state,"
	    " pg_wal_lsn_diff(" CUR_LSN ", sent_lsn)::int8 AS sent_bytes,"
	    " pg_wal_lsn_diff(" CUR_LSN ", write_lsn)::int8 AS write_bytes,"
	    " pg_wal_lsn_diff(" CUR_LSN ", flush_lsn)::int8 AS flush_bytes,"
	    " pg_wal_lsn_diff(" CUR_LSN ", replay_lsn)::int8 AS replay_bytes,"
	    " extract(epoch FROM write_lag)::float8 AS write_lag,"
	    " extract(epoch FROM flush_lag)::float8 AS flush_lag,"
	    " extract(epoch FROM replay_lag)::float8 AS replay_lag,"
	    " extract(epoch FROM reply_time)::float8 AS reply_time"
	    " FROM pg_stat_replication ORDER BY application_name, pid;");

	strbuf_addstr(sb,
	    "SELECT slot_name, slot_type, database, active,"
	    " coalesce(active_pid, 0) AS active_pid, temporary,"
	    " pg_wal_lsn_diff(" CUR_LSN ", restart_lsn)::int8 AS retained,"
	    " greatest(age(xmin), age(catalog_xmin))::int8 AS xmin_age");
	if (v >= 130000)
		strbuf_addstr(sb, ", wal_status, safe_wal_size");
	strbuf_addstr(sb, " FROM pg_replication_slots ORDER BY slot_name");
}

/*
 * Reads by column name (pgresult.c's, NULL-aware; a missing column reads
 * as NULL); strings malloc'd, as a walinfo outlives its snapshot.
 */
static char *
col_str(PGresult *res, int row, const char *name)
{
	int	c = PQfnumber(res, name);

	return c < 0 || PQgetisnull(res, row, c) ? NULL :
	    xstrdup(PQgetvalue(res, row, c));
}

#define col_double(res, row, name) \
	pgr_double((res), (row), PQfnumber((res), (name)))
#define col_int(res, row, name, dflt) \
	pgr_int((res), (row), PQfnumber((res), (name)), (dflt))
#define col_bool(res, row, name) \
	pgr_bool((res), (row), PQfnumber((res), (name)))

static struct walinfo *
wal_new(void)
{
	struct walinfo	*w = xcalloc(1, sizeof *w);

	w->refs = 1;
	w->at = w->replay_time = NAN;
	w->last_archived_time = w->last_failed_time = NAN;
	w->archiver_reset = w->ready_oldest_time = NAN;
	w->seg_size = 16 * 1048576;
	w->max_slot_keep = w->lsn = w->replay_lsn = -1;
	w->ready_count = -1;
	return w;
}

struct walinfo *
wal_parse(PGresult *m, PGresult *st, PGresult *sl, int can_ls_status,
    const char *user, char **cause)
{
	struct walinfo	*w;
	char		*lib;
	uint32_t	 tli;
	uint64_t	 segno;
	int		 i, n;

	*cause = NULL;
	if (PQntuples(m) != 1 || PQfnumber(m, "archived_count") < 0 ||
	    PQfnumber(m, "lsn") < 0 || PQfnumber(st, "replay_bytes") < 0 ||
	    PQfnumber(sl, "slot_name") < 0) {
		*cause = xstrdup("unexpected answer to the WAL probe");
		return NULL;
	}
	w = wal_new();
	w->at = col_double(m, 0, "at");
	w->version_num = (int)col_int(m, 0, "version_num", 0);
	w->in_recovery = col_bool(m, 0, "in_recovery");
	w->archive_mode = col_str(m, 0, "archive_mode");
	w->archive_command = col_str(m, 0, "archive_command");
	lib = col_str(m, 0, "archive_library");
	if (lib != NULL && *lib != '\0' && (w->archive_command == NULL ||
	    *w->archive_command == '\0')) {
		free(w->archive_command);
		w->archive_command = xstrfmt("(library %s)", lib);
	}
	free(lib);
	if (w->archive_command == NULL)
		w->archive_command = xstrdup("");
	w->archive_timeout = (int)col_int(m, 0, "archive_timeout", 0);
	w->seg_size = col_int(m, 0, "seg_size", 16 * 1048576);
	if (w->seg_size <= 0)
		w->seg_size = 16 * 1048576;
	w->max_slot_keep = col_int(m, 0, "max_slot_keep", -1);
	w->lsn = col_int(m, 0, "lsn", -1);
	w->walfile = col_str(m, 0, "walfile");
	/*
	 * pg_walfile_name() of an LSN on a segment boundary names the
	 * segment just finished; the one being written is lsn / seg_size.
	 */
	if (w->walfile != NULL && w->lsn >= 0 &&
	    wal_segno(w->walfile, w->seg_size, &tli, &segno) == 0 &&
	    (uint64_t)(w->lsn / w->seg_size) != segno) {
		free(w->walfile);
		w->walfile = xmalloc(25);
		bk_walname_format(w->walfile, 25, tli,
		    (uint64_t)(w->lsn / w->seg_size), (uint64_t)w->seg_size);
	}
	w->replay_lsn = col_int(m, 0, "replay_lsn", -1);
	w->replay_time = col_double(m, 0, "replay_time");
	w->archived_count = col_int(m, 0, "archived_count", 0);
	w->failed_count = col_int(m, 0, "failed_count", 0);
	w->last_archived_wal = col_str(m, 0, "last_archived_wal");
	w->last_failed_wal = col_str(m, 0, "last_failed_wal");
	w->last_archived_time = col_double(m, 0, "last_archived_time");
	w->last_failed_time = col_double(m, 0, "last_failed_time");
	w->archiver_reset = col_double(m, 0, "archiver_reset");
	if (can_ls_status) {
		w->ready_count = col_int(m, 0, "ready_count", -1);
		w->ready_oldest_wal = col_str(m, 0, "ready_oldest_wal");
		w->ready_oldest_time = col_double(m, 0, "ready_oldest_time");
	}

	n = PQntuples(st);
	w->standbys = xcalloc((size_t)n + 1, sizeof *w->standbys);
	for (i = 0; i < n; i++) {
		struct wal_standby *s = &w->standbys[w->nstandbys++];

		s->pid = (int)col_int(st, i, "pid", 0);
		s->name = col_str(st, i, "application_name");
		s->client = col_str(st, i, "client");
		s->state = col_str(st, i, "state");
		s->sync_state = col_str(st, i, "sync_state");
		s->sent_bytes = col_int(st, i, "sent_bytes", -1);
		s->write_bytes = col_int(st, i, "write_bytes", -1);
		s->flush_bytes = col_int(st, i, "flush_bytes", -1);
		s->replay_bytes = col_int(st, i, "replay_bytes", -1);
		s->write_lag = col_double(st, i, "write_lag");
		s->flush_lag = col_double(st, i, "flush_lag");
		s->replay_lag = col_double(st, i, "replay_lag");
		s->reply_time = col_double(st, i, "reply_time");
	}
	n = PQntuples(sl);
	w->slots = xcalloc((size_t)n + 1, sizeof *w->slots);
	for (i = 0; i < n; i++) {
		struct wal_slot *s = &w->slots[w->nslots++];

		s->name = col_str(sl, i, "slot_name");
		s->type = col_str(sl, i, "slot_type");
		s->database = col_str(sl, i, "database");
		s->wal_status = col_str(sl, i, "wal_status");
		s->active = col_bool(sl, i, "active");
		s->active_pid = (int)col_int(sl, i, "active_pid", 0);
		s->temporary = col_bool(sl, i, "temporary");
		s->retained = col_int(sl, i, "retained", -1);
		s->safe_wal_size = col_int(sl, i, "safe_wal_size", -1);
		s->xmin_age = col_int(sl, i, "xmin_age", -1);
	}

	/*
	 * Without pg_monitor the role sees no backlog and no standby's
	 * positions: say exactly what to grant, and keep the rest.
	 */
	if (!can_ls_status || (w->nstandbys > 0 &&
	    w->standbys[0].state == NULL))
		w->hint = xstrfmt("the .ready backlog and standby positions"
		    " need pg_monitor: GRANT pg_monitor TO %s",
		    user != NULL ? user : "the role");
	return w;
}

struct walinfo *
wal_ref(struct walinfo *w)
{
	if (w != NULL)
		w->refs++;
	return w;
}

void
wal_unref(struct walinfo *w)
{
	size_t	i;

	if (w == NULL || --w->refs > 0)
		return;
	for (i = 0; i < w->nstandbys; i++) {
		free(w->standbys[i].name);
		free(w->standbys[i].client);
		free(w->standbys[i].state);
		free(w->standbys[i].sync_state);
	}
	for (i = 0; i < w->nslots; i++) {
		free(w->slots[i].name);
		free(w->slots[i].type);
		free(w->slots[i].database);
		free(w->slots[i].wal_status);
	}
	free(w->standbys);
	free(w->slots);
	free(w->archive_mode);
	free(w->archive_command);
	free(w->walfile);
	free(w->last_archived_wal);
	free(w->last_failed_wal);
	free(w->ready_oldest_wal);
	free(w->hint);
	free(w);
}

/* JSON: NAN and -1 are left out, so a reader's defaults stand for them. */
static void
j_str(json_t *o, const char *k, const char *v)
{
	if (v != NULL)
		json_object_set_new(o, k, json_string(v));
}

static void
j_num(json_t *o, const char *k, double v)
{
	if (!isnan(v))
		json_object_set_new(o, k, json_real(v));
}

static void
j_int(json_t *o, const char *k, int64_t v)
{
	json_object_set_new(o, k, json_integer(v));
}

char *
wal_to_json(const struct walinfo *w)
{
	json_t	*o, *a, *e;
	char	*out;
	size_t	 i;

	o = json_object();
	j_int(o, "v", WAL_JSON_VERSION);
	j_num(o, "at", w->at);
	j_int(o, "version_num", w->version_num);
	j_int(o, "in_recovery", w->in_recovery);
	j_str(o, "archive_mode", w->archive_mode);
	j_str(o, "archive_command", w->archive_command);
	j_int(o, "archive_timeout", w->archive_timeout);
	j_int(o, "seg_size", w->seg_size);
	j_int(o, "max_slot_keep", w->max_slot_keep);
	j_int(o, "lsn", w->lsn);
	j_str(o, "walfile", w->walfile);
	j_int(o, "replay_lsn", w->replay_lsn);
	j_num(o, "replay_time", w->replay_time);
	j_int(o, "archived_count", w->archived_count);
	j_int(o, "failed_count", w->failed_count);
	j_str(o, "last_archived_wal", w->last_archived_wal);
	j_str(o, "last_failed_wal", w->last_failed_wal);
	j_num(o, "last_archived_time", w->last_archived_time);
	j_num(o, "last_failed_time", w->last_failed_time);
	j_num(o, "archiver_reset", w->archiver_reset);
	j_int(o, "ready_count", w->ready_count);
	j_str(o, "ready_oldest_wal", w->ready_oldest_wal);
	j_num(o, "ready_oldest_time", w->ready_oldest_time);
	j_str(o, "hint", w->hint);
	a = json_array();
	for (i = 0; i < w->nstandbys; i++) {
		const struct wal_standby *s = &w->standbys[i];

		e = json_object();
		j_str(e, "name", s->name);
		j_str(e, "client", s->client);
		j_str(e, "state", s->state);
		j_str(e, "sync_state", s->sync_state);
		j_int(e, "pid", s->pid);
		j_int(e, "sent_bytes", s->sent_bytes);
		j_int(e, "write_bytes", s->write_bytes);
		j_int(e, "flush_bytes", s->flush_bytes);
		j_int(e, "replay_bytes", s->replay_bytes);
		j_num(e, "write_lag", s->write_lag);
		j_num(e, "flush_lag", s->flush_lag);
		j_num(e, "replay_lag", s->replay_lag);
		j_num(e, "reply_time", s->reply_time);
		json_array_append_new(a, e);
	}
	json_object_set_new(o, "standbys", a);
	a = json_array();
	for (i = 0; i < w->nslots; i++) {
		const struct wal_slot *s = &w->slots[i];

		e = json_object();
		j_str(e, "name", s->name);
		j_str(e, "type", s->type);
		j_str(e, "database", s->database);
		j_str(e, "wal_status", s->wal_status);
		j_int(e, "active", s->active);
		j_int(e, "active_pid", s->active_pid);
		j_int(e, "temporary", s->temporary);
		j_int(e, "retained", s->retained);
		j_int(e, "safe_wal_size", s->safe_wal_size);
		j_int(e, "xmin_age", s->xmin_age);
		json_array_append_new(a, e);
	}
	json_object_set_new(o, "slots", a);
	out = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (out == NULL)
		BUG("json_dumps failed");
	return out;
}

/* Reading back: a wrong type is an error naming the field. */
struct jread {
	char	*err;
	char	 where[64];
};

static json_t *
jr_get(struct jread *r, json_t *o, const char *k, json_type type)
{
	json_t	*v = json_object_get(o, k);

	if (v == NULL || json_is_null(v))
		return NULL;
	if ((type == JSON_REAL && !json_is_number(v)) ||
	    (type != JSON_REAL && json_typeof(v) != type)) {
		if (r->err == NULL)
			r->err = xstrfmt("wal json: %s%s is of the wrong type",
			    r->where, k);
		return NULL;
	}
	return v;
}

static char *
jr_str(struct jread *r, json_t *o, const char *k)
{
	json_t	*v = jr_get(r, o, k, JSON_STRING);

	return v != NULL ? xstrdup(json_string_value(v)) : NULL;
}

static double
jr_num(struct jread *r, json_t *o, const char *k)
{
	json_t	*v = jr_get(r, o, k, JSON_REAL);

	return v != NULL ? json_number_value(v) : NAN;
}

static int64_t
jr_int(struct jread *r, json_t *o, const char *k, int64_t dflt)
{
	json_t	*v = jr_get(r, o, k, JSON_INTEGER);

	return v != NULL ? (int64_t)json_integer_value(v) : dflt;
}

/*
 * A byte count or LSN: -1 (unknown) or up to 2^62, so that differences
 * and sums of a few of them cannot overflow.
 */
static int64_t
jr_bytes(struct jread *r, json_t *o, const char *k)
{
	int64_t	v = jr_int(r, o, k, -1);

	if (v < -1 || v > (INT64_C(1) << 62)) {
		if (r->err == NULL)
			r->err = xstrfmt("wal json: %s%s: %lld out of range",
			    r->where, k, (long long)v);
		return -1;
	}
	return v;
}

struct walinfo *
wal_from_json(const char *text, size_t len, char **cause)
{
	struct jread	 r = { NULL, "" };
	struct walinfo	*w;
	json_error_t	 je;
	json_t		*o, *a, *e;
	size_t		 i;

	*cause = NULL;
	o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (o == NULL || !json_is_object(o)) {
		*cause = o == NULL ? xstrfmt("wal json: line %d, column %d: %s",
		    je.line, je.column, je.text) :
		    xstrdup("wal json: not an object");
		json_decref(o);
		return NULL;
	}
	if (jr_int(&r, o, "v", 0) != WAL_JSON_VERSION) {
		free(r.err);
		*cause = xstrdup("wal json: unknown version");
		json_decref(o);
		return NULL;
	}
	w = wal_new();
	w->at = jr_num(&r, o, "at");
	w->version_num = (int)jr_int(&r, o, "version_num", 0);
	w->in_recovery = jr_int(&r, o, "in_recovery", 0) != 0;
	w->archive_mode = jr_str(&r, o, "archive_mode");
	w->archive_command = jr_str(&r, o, "archive_command");
	if (w->archive_command == NULL)
		w->archive_command = xstrdup("");
	w->archive_timeout = (int)jr_int(&r, o, "archive_timeout", 0);
	w->seg_size = jr_int(&r, o, "seg_size", 16 * 1048576);
	if (w->seg_size <= 0 || (w->seg_size & (w->seg_size - 1)) != 0)
		w->seg_size = 16 * 1048576;
	w->max_slot_keep = jr_bytes(&r, o, "max_slot_keep");
	w->lsn = jr_bytes(&r, o, "lsn");
	w->walfile = jr_str(&r, o, "walfile");
	w->replay_lsn = jr_bytes(&r, o, "replay_lsn");
	w->replay_time = jr_num(&r, o, "replay_time");
	w->archived_count = jr_bytes(&r, o, "archived_count");
	w->failed_count = jr_bytes(&r, o, "failed_count");
	if (w->archived_count < 0)
		w->archived_count = 0;
	if (w->failed_count < 0)
		w->failed_count = 0;
	w->last_archived_wal = jr_str(&r, o, "last_archived_wal");
	w->last_failed_wal = jr_str(&r, o, "last_failed_wal");
	w->last_archived_time = jr_num(&r, o, "last_archived_time");
	w->last_failed_time = jr_num(&r, o, "last_failed_time");
	w->archiver_reset = jr_num(&r, o, "archiver_reset");
	w->ready_count = jr_bytes(&r, o, "ready_count");
	w->ready_oldest_wal = jr_str(&r, o, "ready_oldest_wal");
	w->ready_oldest_time = jr_num(&r, o, "ready_oldest_time");
	w->hint = jr_str(&r, o, "hint");

	if ((a = jr_get(&r, o, "standbys", JSON_ARRAY)) != NULL) {
		w->standbys = xcalloc(json_array_size(a) + 1,
		    sizeof *w->standbys);
		json_array_foreach(a, i, e) {
			struct wal_standby *s = &w->standbys[w->nstandbys];

			snprintf(r.where, sizeof r.where, "standbys[%zu].", i);
			if (!json_is_object(e)) {
				if (r.err == NULL)
					r.err = xstrfmt("wal json: standbys[%zu] is"
					    " not an object", i);
				break;
			}
			w->nstandbys++;
			s->name = jr_str(&r, e, "name");
			s->client = jr_str(&r, e, "client");
			s->state = jr_str(&r, e, "state");
			s->sync_state = jr_str(&r, e, "sync_state");
			s->pid = (int)jr_int(&r, e, "pid", 0);
			s->sent_bytes = jr_bytes(&r, e, "sent_bytes");
			s->write_bytes = jr_bytes(&r, e, "write_bytes");
			s->flush_bytes = jr_bytes(&r, e, "flush_bytes");
			s->replay_bytes = jr_bytes(&r, e, "replay_bytes");
			s->write_lag = jr_num(&r, e, "write_lag");
			s->flush_lag = jr_num(&r, e, "flush_lag");
			s->replay_lag = jr_num(&r, e, "replay_lag");
			s->reply_time = jr_num(&r, e, "reply_time");
		}
	}
	if (r.err == NULL &&
	    (a = jr_get(&r, o, "slots", JSON_ARRAY)) != NULL) {
		w->slots = xcalloc(json_array_size(a) + 1, sizeof *w->slots);
		json_array_foreach(a, i, e) {
			struct wal_slot *s = &w->slots[w->nslots];

			snprintf(r.where, sizeof r.where, "slots[%zu].", i);
			if (!json_is_object(e)) {
				if (r.err == NULL)
					r.err = xstrfmt("wal json: slots[%zu] is"
					    " not an object", i);
				break;
			}
			w->nslots++;
			s->name = jr_str(&r, e, "name");
			s->type = jr_str(&r, e, "type");
			s->database = jr_str(&r, e, "database");
			s->wal_status = jr_str(&r, e, "wal_status");
			s->active = jr_int(&r, e, "active", 0) != 0;
			s->active_pid = (int)jr_int(&r, e, "active_pid", 0);
			s->temporary = jr_int(&r, e, "temporary", 0) != 0;
			s->retained = jr_bytes(&r, e, "retained");
			s->safe_wal_size = jr_bytes(&r, e, "safe_wal_size");
			s->xmin_age = jr_int(&r, e, "xmin_age", -1);
		}
	}
	json_decref(o);
	if (r.err != NULL) {
		*cause = r.err;
		wal_unref(w);
		return NULL;
	}
	return w;
}

int
wal_segno(const char *name, int64_t seg_size, uint32_t *tli, uint64_t *segno)
{
	char	seg[25];

	/* pg_stat_archiver may name a .backup or .history file: its segment. */
	if (name == NULL || strlen(name) < 24 || seg_size <= 0)
		return -1;
	memcpy(seg, name, 24);
	seg[24] = '\0';
	return bk_walname_parse(seg, (uint64_t)seg_size, tli, segno);
}

/* Segments from 'older' up to 'newer' (names); -1 if not comparable. */
static int64_t
seg_distance(const char *newer, const char *older, int64_t seg_size)
{
	uint32_t	t1, t2;
	uint64_t	s1, s2;

	if (wal_segno(newer, seg_size, &t1, &s1) == -1 ||
	    wal_segno(older, seg_size, &t2, &s2) == -1)
		return -1;
	return s1 >= s2 ? (int64_t)(s1 - s2) : 0;
}

/*
 * 'n' segments in bytes, or -1 if that is no LSN (a damaged document's
 * segment name can be anything).
 */
static int64_t
seg_bytes(int64_t n, int64_t seg_size)
{
	if (n < 0 || seg_size <= 0 || n > INT64_MAX / seg_size)
		return -1;
	return n * seg_size;
}

static int
archiving_on(const struct walinfo *w)
{
	if (w->archive_mode == NULL || strcmp(w->archive_mode, "off") == 0)
		return 0;
	/* "always" archives on a standby too; "on" only on a primary. */
	if (w->in_recovery && strcmp(w->archive_mode, "always") != 0)
		return 0;
	return w->archive_command != NULL && w->archive_command[0] != '\0';
}

void
wal_archiving(const struct walinfo *w, double now, struct wal_archiving *o)
{
	char	age[32];

	memset(o, 0, sizeof *o);
	o->segments_behind = -1;
	o->enabled = archiving_on(w);
	if (!o->enabled) {
		o->level = w->in_recovery ? WAL_UNKNOWN : WAL_BAD;
		if (w->in_recovery)
			snprintf(o->why, sizeof o->why,
			    "standby: archiving is the primary's");
		else if (w->archive_mode == NULL ||
		    strcmp(w->archive_mode, "off") == 0)
			snprintf(o->why, sizeof o->why,
			    "archive_mode is off: no point-in-time recovery");
		else
			snprintf(o->why, sizeof o->why,
			    "archive_command is empty: WAL is kept, not archived");
		return;
	}
	if (w->walfile != NULL && w->last_archived_wal != NULL)
		o->segments_behind = seg_distance(w->walfile,
		    w->last_archived_wal, w->seg_size);
	/*
	 * Failing: the last failure is newer than the last success (or
	 * there never was a success).  A failure followed by a success is
	 * a retry that worked.
	 */
	o->failing = !isnan(w->last_failed_time) &&
	    (isnan(w->last_archived_time) ||
	    w->last_failed_time > w->last_archived_time);
	if (o->failing) {
		fmt_duration(age, sizeof age, now - w->last_failed_time);
		o->level = WAL_BAD;
		snprintf(o->why, sizeof o->why,
		    "archiving FAILING: %s failed %s ago (%lld failures)",
		    w->last_failed_wal != NULL ? w->last_failed_wal : "?",
		    age, (long long)w->failed_count);
		return;
	}
	if (w->ready_count > 2) {
		fmt_duration(age, sizeof age, now - w->ready_oldest_time);
		o->level = WAL_WARN;
		snprintf(o->why, sizeof o->why,
		    "archiving behind: %lld segments waiting, oldest %s",
		    (long long)w->ready_count, age);
		return;
	}
	if (isnan(w->last_archived_time)) {
		o->level = w->archived_count == 0 && w->failed_count == 0 ?
		    WAL_OK : WAL_UNKNOWN;
		snprintf(o->why, sizeof o->why,
		    "archiving on, nothing archived yet");
		return;
	}
	fmt_duration(age, sizeof age, now - w->last_archived_time);
	o->level = WAL_OK;
	snprintf(o->why, sizeof o->why, "archiving OK %s ago", age);
}

void
wal_rpo(const struct walinfo *w, double now, struct wal_rpo *o)
{
	int64_t		off;
	uint32_t	tli;
	uint64_t	segno;

	o->bounded = 1;
	o->seconds = NAN;
	o->bytes = -1;
	o->basis = "unknown";
	if (w->in_recovery) {
		/*
		 * On a standby what a failover loses is what it has
		 * received but not replayed, plus whatever the primary has
		 * not sent (invisible from here).
		 */
		if (w->lsn >= 0 && w->replay_lsn >= 0)
			o->bytes = w->lsn > w->replay_lsn ?
			    w->lsn - w->replay_lsn : 0;
		if (!isnan(w->replay_time))
			o->seconds = now - w->replay_time;
		o->basis = "standby: replay timestamp and receive/replay gap";
		return;
	}
	if (!archiving_on(w)) {
		o->bounded = 0;
		o->basis = "no archiving: everything since the last backup";
		return;
	}
	off = w->lsn >= 0 ? w->lsn % w->seg_size : -1;
	if (w->ready_count > 0 && w->ready_oldest_wal != NULL &&
	    wal_segno(w->ready_oldest_wal, w->seg_size, &tli, &segno) == 0 &&
	    w->lsn >= 0) {
		/* From the start of the oldest segment not yet archived. */
		int64_t start = seg_bytes((int64_t)segno, w->seg_size);

		o->bytes = start < 0 ? -1 : w->lsn > start ? w->lsn - start : 0;
		o->seconds = !isnan(w->ready_oldest_time) ?
		    now - w->ready_oldest_time : NAN;
		/* Its data is older than its .ready: the previous one's time. */
		if (!isnan(w->last_archived_time) &&
		    w->last_archived_time < w->ready_oldest_time)
			o->seconds = now - w->last_archived_time;
		o->basis = "backlog: from the oldest .ready segment";
		return;
	}
	if (w->ready_count < 0 && w->walfile != NULL &&
	    w->last_archived_wal != NULL &&
	    seg_distance(w->walfile, w->last_archived_wal, w->seg_size) > 1) {
		/* No view of archive_status: the last success bounds it. */
		o->bytes = seg_bytes(seg_distance(w->walfile,
		    w->last_archived_wal, w->seg_size) - 1, w->seg_size);
		if (o->bytes >= 0 && off > 0 && o->bytes <= INT64_MAX - off)
			o->bytes += off;
		o->seconds = !isnan(w->last_archived_time) ?
		    now - w->last_archived_time : NAN;
		o->basis = "behind: since the last archived segment";
		return;
	}
	/*
	 * No backlog: only the current segment is at risk.  It began about
	 * when the previous one was archived, and archive_timeout forces a
	 * switch after that long (if anything was written).
	 */
	o->bytes = off;
	if (off >= 0 && off <= 40) {
		/* Only the page header: nothing written since the switch. */
		o->seconds = 0;
		o->bytes = 0;
		o->basis = "current segment empty";
		return;
	}
	if (!isnan(w->last_archived_time))
		o->seconds = now - w->last_archived_time;
	if (w->archive_timeout > 0) {
		if (isnan(o->seconds) || o->seconds > w->archive_timeout)
			o->seconds = w->archive_timeout;
		o->basis = "current segment, bounded by archive_timeout";
	} else {
		o->bounded = 0;
		o->basis = "current segment; archive_timeout is 0, so an"
		    " idle server never switches";
	}
}
