/*
 * history.c - samples in SQLite: the per-server cache and capture files.
 *
 * Layout (schema 1):
 *   meta(key, value)         what wrote the file, and for which server
 *   sample(id, ts, ...)      one row per sample: vitals and counts
 *   text(id, hash, body)     every string once (names, states, queries)
 *   session(first, until, …) a session's fields over [first, until)
 *   stmt(first, until, …)    a statement's counters over [first, until)
 *   qtext(queryid, body)     pg_stat_statements texts, once per queryid
 *   label, audit
 * Ages are stored as start times (server clock, ms), so an idle session
 * is one row for as long as it stays idle.  'until' is NULL while the
 * span is open; a file left by a killed pgdeck has open spans that end
 * at its last sample.
 */
#include "history.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "../core/strbuf.h"
#include "../core/util.h"
#include "../live/probe.h"
#include "../stats/stmt.h"
#include "../backup/runs.h"
#include "../backup/wal.h"
#include "../core/banned.h"

/* Forward migrations: MIGRATIONS[v] takes schema v to v + 1. */
static const char *const MIGRATIONS[] = {
	/* 0 -> 1 */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
	"CREATE TABLE sample(id INTEGER PRIMARY KEY, ts INTEGER NOT NULL,"
	" source TEXT, activity_now REAL, version_num INTEGER, version TEXT,"
	" in_recovery INTEGER, xacts INTEGER, blks_hit INTEGER,"
	" blks_read INTEGER, max_conn INTEGER, reserved INTEGER,"
	" nstandbys INTEGER, repl_lag REAL, repl_lag_bytes INTEGER,"
	" slot_xmin_age INTEGER, prepared_xmin_age INTEGER, server_now REAL,"
	" interval REAL, tps REAL, hit_ratio REAL, query_ms REAL,"
	" stmt_status INTEGER, stmt_hint TEXT, dealloc INTEGER,"
	" stats_reset REAL, nsessions INTEGER, nactive INTEGER,"
	" nidle_tx INTEGER, nwaiting INTEGER, nlockwait INTEGER);"
	"CREATE INDEX sample_ts ON sample(ts);"
	"CREATE TABLE text(id INTEGER PRIMARY KEY, hash INTEGER NOT NULL,"
	" body TEXT NOT NULL);"
	"CREATE INDEX text_hash ON text(hash);"
	"CREATE TABLE session(first INTEGER NOT NULL, until INTEGER,"
	" pid INTEGER, leader_pid INTEGER, datname INTEGER, usename INTEGER,"
	" app INTEGER, client INTEGER, backend_type INTEGER, state INTEGER,"
	" wait_type INTEGER, wait_event INTEGER, query_id INTEGER,"
	" backend_start INTEGER, xact_start INTEGER, query_start INTEGER,"
	" state_change INTEGER, xmin_age INTEGER, blockers TEXT,"
	" lock_mode INTEGER, lock_type INTEGER, lock_target INTEGER,"
	" lock_start INTEGER, query INTEGER);"
	"CREATE INDEX session_first ON session(first);"
	"CREATE INDEX session_until ON session(until);"
	"CREATE TABLE stmt(first INTEGER NOT NULL, until INTEGER,"
	" queryid INTEGER, userid INTEGER, dbid INTEGER, toplevel INTEGER,"
	" usr INTEGER, datname INTEGER, calls INTEGER, plans INTEGER,"
	" rows INTEGER, exec_ms REAL, plan_ms REAL, io_ms REAL,"
	" blks_hit INTEGER, blks_read INTEGER, blks_dirtied INTEGER,"
	" temp_read INTEGER, temp_written INTEGER, wal_bytes INTEGER);"
	"CREATE INDEX stmt_first ON stmt(first);"
	"CREATE INDEX stmt_until ON stmt(until);"
	"CREATE INDEX stmt_key ON stmt(queryid, userid, dbid, toplevel);"
	"CREATE TABLE qtext(queryid INTEGER PRIMARY KEY, body TEXT NOT NULL);"
	"CREATE TABLE label(sample INTEGER, ts INTEGER, label TEXT);"
	"CREATE TABLE audit(ts INTEGER, who TEXT, pid INTEGER,"
	" target_user TEXT, query TEXT, action TEXT, ok INTEGER,"
	" message TEXT);",
	/* 1 -> 2: plans EXPLAINed from the UI */
	"CREATE TABLE plan(id INTEGER PRIMARY KEY, ts INTEGER NOT NULL,"
	" queryid INTEGER, datname TEXT, kind TEXT, label TEXT,"
	" body TEXT NOT NULL);"
	"CREATE INDEX plan_queryid ON plan(queryid, ts);",
	/* 2 -> 3: the Migrations pane's calibration, per server */
	("CREATE TABLE rates(server TEXT PRIMARY KEY, ts INTEGER NOT NULL,"
	" sort_ms REAL, read_bytes_s REAL) WITHOUT ROWID;"),
	/*
	 * 3 -> 4: documents that change seldom, stored when they change and
	 * valid from their sample on: the WAL probe, the backup tools' runs,
	 * a database's catalog.
	 */
	("CREATE TABLE doc(id INTEGER PRIMARY KEY, sample INTEGER NOT NULL,"
	" ts INTEGER NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL);"
	"CREATE INDEX doc_kind ON doc(kind, sample);"),
};
#define NMIGRATIONS	(sizeof MIGRATIONS / sizeof MIGRATIONS[0])

/*
 * One open-addressing map by 64-bit key (0 is stored as 1), for the
 * spans we wrote and may have to close (key -> rowid, fingerprint) and
 * for strings (hash -> id when writing, id -> body when reading).
 */
struct ent {
	uint64_t	 key;
	int64_t		 id;		/* span rowid, or text id */
	uint64_t	 fp;		/* span fingerprint */
	int		 seen;		/* span in this sample */
	char		*body;		/* text, reader only */
};

struct map {
	struct ent	*slots;
	size_t		 nslots, count;
};

enum {
	Q_SAMPLE, Q_TEXT_FIND, Q_TEXT_ADD, Q_SESS_ADD, Q_SESS_CLOSE,
	Q_STMT_ADD, Q_STMT_CLOSE, Q_QTEXT_ADD, Q_TEXT_GET, Q_QTEXT_GET,
	Q_LOAD_SAMPLE, Q_LOAD_SESS, Q_LOAD_STMT, Q_LOAD_SESS_LATE,
	Q_LOAD_STMT_LATE, Q__COUNT
};

struct history {
	sqlite3			*db;
	char			*path;
	int			 readonly;
	int			 redact;
	double			 retention_days;
	sqlite3_stmt		*q[Q__COUNT];
	struct map		 sessions, stmts;
	struct map		 strings;	/* writer: hash -> id */
	struct map		 texts;		/* reader: id -> body */
	struct qtexts		*qtexts;	/* reader: query texts */
	struct map		 qtext_known;	/* writer: queryids stored */
	int			 qtext_zero;	/* writer: queryid 0 stored */
	int64_t			 last_sample;
	struct history_sample	*samples;
	size_t			 nsamples, samples_cap;

	/* The documents last written, or last read back (by doc id). */
	struct walinfo		*doc_wal;
	struct bk_state		*doc_backups;
	int64_t			 doc_wal_id, doc_backups_id;
};

static const char *const QUERIES[Q__COUNT] = {
	[Q_SAMPLE] = "INSERT INTO sample(ts, source, activity_now,"
	    " version_num, version, in_recovery, xacts, blks_hit, blks_read,"
	    " max_conn, reserved, nstandbys, repl_lag, repl_lag_bytes,"
	    " slot_xmin_age, prepared_xmin_age, server_now, interval, tps,"
	    " hit_ratio, query_ms, stmt_status, stmt_hint, dealloc,"
	    " stats_reset, nsessions, nactive, nidle_tx, nwaiting, nlockwait)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
	    " ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26,"
	    " ?27, ?28, ?29, ?30)",
	[Q_TEXT_FIND] = "SELECT id FROM text WHERE hash = ?1 AND body = ?2",
	[Q_TEXT_ADD] = "INSERT INTO text(hash, body) VALUES (?1, ?2)",
	[Q_SESS_ADD] = "INSERT INTO session(first, pid, leader_pid, datname,"
	    " usename, app, client, backend_type, state, wait_type,"
	    " wait_event, query_id, backend_start, xact_start, query_start,"
	    " state_change, xmin_age, blockers, lock_mode, lock_type,"
	    " lock_target, lock_start, query) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
	    " ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,"
	    " ?20, ?21, ?22, ?23)",
	[Q_SESS_CLOSE] = "UPDATE session SET until = ?2 WHERE rowid = ?1",
	[Q_STMT_ADD] = "INSERT INTO stmt(first, queryid, userid, dbid,"
	    " toplevel, usr, datname, calls, plans, rows, exec_ms, plan_ms,"
	    " io_ms, blks_hit, blks_read, blks_dirtied, temp_read,"
	    " temp_written, wal_bytes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
	    " ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
	[Q_STMT_CLOSE] = "UPDATE stmt SET until = ?2 WHERE rowid = ?1",
	[Q_QTEXT_ADD] = "INSERT OR IGNORE INTO qtext(queryid, body)"
	    " VALUES (?1, ?2)",
	[Q_TEXT_GET] = "SELECT body FROM text WHERE id = ?1",
	[Q_QTEXT_GET] = "SELECT body FROM qtext WHERE queryid = ?1",
	[Q_LOAD_SAMPLE] = "SELECT ts, source, activity_now, version_num,"
	    " version, in_recovery, xacts, blks_hit, blks_read, max_conn,"
	    " reserved, nstandbys, repl_lag, repl_lag_bytes, slot_xmin_age,"
	    " prepared_xmin_age, server_now, interval, tps, hit_ratio,"
	    " query_ms, stmt_status, stmt_hint, dealloc, stats_reset"
	    " FROM sample WHERE id = ?1",
	[Q_LOAD_SESS] = "SELECT pid, leader_pid, datname, usename, app,"
	    " client, backend_type, state, wait_type, wait_event, query_id,"
	    " backend_start, xact_start, query_start, state_change, xmin_age,"
	    " blockers, lock_mode, lock_type, lock_target, lock_start, query"
	    " FROM session WHERE first <= ?1 AND (+until IS NULL OR +until > ?1)",
	[Q_LOAD_STMT] = "SELECT queryid, userid, dbid, toplevel, usr,"
	    " datname, calls, plans, rows, exec_ms, plan_ms, io_ms, blks_hit,"
	    " blks_read, blks_dirtied, temp_read, temp_written, wal_bytes"
	    " FROM stmt WHERE first <= ?1 AND (+until IS NULL OR +until > ?1)",
	/* Late samples: few spans end after them, many began before. */
	[Q_LOAD_SESS_LATE] = "SELECT pid, leader_pid, datname, usename, app,"
	    " client, backend_type, state, wait_type, wait_event, query_id,"
	    " backend_start, xact_start, query_start, state_change, xmin_age,"
	    " blockers, lock_mode, lock_type, lock_target, lock_start, query"
	    " FROM session WHERE +first <= ?1 AND (until IS NULL OR until > ?1)",
	[Q_LOAD_STMT_LATE] = "SELECT queryid, userid, dbid, toplevel, usr,"
	    " datname, calls, plans, rows, exec_ms, plan_ms, io_ms, blks_hit,"
	    " blks_read, blks_dirtied, temp_read, temp_written, wal_bytes"
	    " FROM stmt WHERE +first <= ?1 AND (until IS NULL OR until > ?1)",
};

/* Hashing. */

static uint64_t
mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static uint64_t
fnv(const char *s, size_t n, uint64_t h)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t
fp_add(uint64_t fp, int64_t v)
{
	return mix(fp ^ (uint64_t)v) + 0x9e3779b97f4a7c15ULL;
}

/* The map. */

static struct ent *
map_slot(struct map *m, uint64_t key)
{
	size_t	i;

	if (key == 0)
		key = 1;
	i = (size_t)mix(key) & (m->nslots - 1);
	while (m->slots[i].key != 0 && m->slots[i].key != key)
		i = (i + 1) & (m->nslots - 1);
	return &m->slots[i];
}

static struct ent *
map_get(struct map *m, uint64_t key)
{
	struct ent	*e;

	if (m->nslots == 0)
		return NULL;
	e = map_slot(m, key);
	return e->key != 0 ? e : NULL;
}

static struct ent *
map_put(struct map *m, uint64_t key)
{
	struct ent	*old, *e;
	size_t		 i, n;

	if ((m->count + 1) * 2 > m->nslots) {
		old = m->slots;
		n = m->nslots;
		m->nslots = n == 0 ? 256 : n * 2;
		m->slots = xcalloc(m->nslots, sizeof *m->slots);
		for (i = 0; i < n; i++) {
			if (old[i].key != 0)
				*map_slot(m, old[i].key) = old[i];
		}
		free(old);
	}
	e = map_slot(m, key);
	if (e->key == 0) {
		e->key = key == 0 ? 1 : key;
		m->count++;
	}
	return e;
}

static void
map_clear(struct map *m)
{
	size_t	i;

	for (i = 0; i < m->nslots; i++)
		free(m->slots[i].body);
	free(m->slots);
	memset(m, 0, sizeof *m);
}

/* Opening. */

static char *
db_error(struct history *h, const char *what)
{
	return xstrfmt("%s: %s: %s", h->path, what, sqlite3_errmsg(h->db));
}

static int
exec(struct history *h, const char *sql, char **cause)
{
	char	*msg = NULL;

	if (sqlite3_exec(h->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		if (cause != NULL)
			*cause = xstrfmt("%s: %s", h->path,
			    msg != NULL ? msg : sqlite3_errmsg(h->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int64_t
pragma_int(struct history *h, const char *sql, int *ok)
{
	sqlite3_stmt	*st;
	int64_t		 v = 0;

	*ok = 0;
	if (sqlite3_prepare_v2(h->db, sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		v = sqlite3_column_int64(st, 0);
		*ok = 1;
	}
	sqlite3_finalize(st);
	return v;
}

/*
 * Look at the file before SQLite does: not SQLite at all, or shorter
 * than its header says (a truncated copy).
 */
static int
check_header(const char *path, char **cause)
{
	unsigned char	 hdr[100];
	struct stat	 sb;
	uint32_t	 page_size, npages;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		*cause = xstrfmt("%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		close(fd);
		*cause = xstrfmt("%s: not a regular file", path);
		return -1;
	}
	n = read(fd, hdr, sizeof hdr);
	close(fd);
	if (n == 0)
		return 1;	/* empty: a new file */
	if (n != (ssize_t)sizeof hdr ||
	    memcmp(hdr, "SQLite format 3", 16) != 0) {
		*cause = xstrfmt("%s: not a pgdeck capture (not an SQLite file)",
		    path);
		return -1;
	}
	page_size = (uint32_t)hdr[16] << 8 | hdr[17];
	if (page_size == 1)
		page_size = 65536;
	npages = (uint32_t)hdr[28] << 24 | (uint32_t)hdr[29] << 16 |
	    (uint32_t)hdr[30] << 8 | hdr[31];
	/* The size field is valid when its change counter matches. */
	if (memcmp(hdr + 24, hdr + 92, 4) == 0 && npages > 0 &&
	    (uint64_t)sb.st_size < (uint64_t)npages * page_size) {
		*cause = xstrfmt("%s: truncated: %lld of %llu bytes", path,
		    (long long)sb.st_size,
		    (unsigned long long)npages * page_size);
		return -1;
	}
	return 0;
}

/* Is this ours, and can we read it?  Migrates when writing. */
static int
check_schema(struct history *h, int fresh, char **cause)
{
	int64_t		 app, ver, ntables;
	int		 ok;
	size_t		 v;
	char		 sql[64];

	app = pragma_int(h, "PRAGMA application_id", &ok);
	if (!ok) {
		*cause = db_error(h, "cannot read the file");
		return -1;
	}
	ver = pragma_int(h, "PRAGMA user_version", &ok);
	ntables = pragma_int(h, "SELECT count(*) FROM sqlite_master", &ok);
	if (!ok) {
		*cause = xstrfmt("%s: damaged: %s", h->path,
		    sqlite3_errmsg(h->db));
		return -1;
	}
	if (app == 0 && ver == 0 && ntables == 0) {
		if (h->readonly) {
			*cause = xstrfmt("%s: an empty SQLite file, not a pgdeck"
			    " capture", h->path);
			return -1;
		}
		fresh = 1;
	} else if (app != HISTORY_APP_ID) {
		*cause = xstrfmt("%s: not a pgdeck capture (a foreign SQLite"
		    " file)", h->path);
		return -1;
	}
	if (ver > HISTORY_SCHEMA) {
		*cause = xstrfmt("%s: written by a newer pgdeck (schema %lld;"
		    " this one reads up to %d)", h->path, (long long)ver,
		    HISTORY_SCHEMA);
		return -1;
	}
	if (ver < HISTORY_SCHEMA_READ && h->readonly) {
		*cause = xstrfmt("%s: schema %lld is too old to read without"
		    " migrating; open it once with --record to upgrade", h->path,
		    (long long)ver);
		return -1;
	}
	if (!fresh && h->readonly) {
		/*
		 * Replay shows nothing of a damaged file: it is refused, never
		 * half-read.  (The cache is not checked on reopen: that reads
		 * the whole file on the UI thread; damage met while writing
		 * turns history off instead.)
		 */
		sqlite3_stmt	*qc;
		const char	*res = NULL;
		int		 bad;

		if (sqlite3_prepare_v2(h->db, "PRAGMA quick_check(1)", -1, &qc,
		    NULL) != SQLITE_OK) {
			*cause = xstrfmt("%s: damaged: %s", h->path,
			    sqlite3_errmsg(h->db));
			return -1;
		}
		if (sqlite3_step(qc) == SQLITE_ROW)
			res = (const char *)sqlite3_column_text(qc, 0);
		bad = res == NULL || strcmp(res, "ok") != 0;
		if (bad)
			*cause = xstrfmt("%s: damaged: %s", h->path, res != NULL ?
			    res : sqlite3_errmsg(h->db));
		sqlite3_finalize(qc);
		if (bad)
			return -1;
	}
	/* Replay reads older schemas as they are; never migrates them. */
	for (v = (size_t)ver; !h->readonly && v < NMIGRATIONS; v++) {
		if (exec(h, "BEGIN IMMEDIATE", cause) == -1)
			return -1;
		snprintf(sql, sizeof sql, "PRAGMA user_version = %zu", v + 1);
		if (exec(h, MIGRATIONS[v], cause) == -1 ||
		    exec(h, sql, cause) == -1) {
			exec(h, "ROLLBACK", NULL);
			return -1;
		}
		snprintf(sql, sizeof sql, "PRAGMA application_id = %d",
		    HISTORY_APP_ID);
		if (exec(h, sql, cause) == -1 || exec(h, "COMMIT", cause) == -1) {
			exec(h, "ROLLBACK", NULL);
			return -1;
		}
	}
	return 0;
}

/* Every table and column the reader uses must be there. */
static int
prepare_all(struct history *h, char **cause)
{
	int	i;

	for (i = 0; i < Q__COUNT; i++) {
		if (h->readonly && i <= Q_QTEXT_ADD)
			continue;
		if (sqlite3_prepare_v3(h->db, QUERIES[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &h->q[i], NULL) != SQLITE_OK) {
			*cause = xstrfmt("%s: not a pgdeck capture of this"
			    " schema: %s", h->path, sqlite3_errmsg(h->db));
			return -1;
		}
	}
	return 0;
}

/*
 * Times and ids a real capture cannot have (a damaged or forged file):
 * refused at open, so no arithmetic on them can overflow later.
 */
static int
check_rows(struct history *h, char **cause)
{
	sqlite3_stmt	*st;
	int64_t		 bad = 0;

	if (sqlite3_prepare_v2(h->db, "SELECT id FROM sample WHERE"
	    " typeof(ts) <> 'integer' OR ts < 0 OR ts > 32503680000000"
	    " OR id < 1 OR id > 4611686018427387904 LIMIT 1", -1, &st,
	    NULL) != SQLITE_OK) {
		*cause = xstrfmt("%s: damaged: %s", h->path,
		    sqlite3_errmsg(h->db));
		return -1;
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		bad = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (bad != 0) {
		*cause = xstrfmt("%s: damaged: sample %lld has an impossible"
		    " time or id", h->path, (long long)bad);
		return -1;
	}
	return 0;
}

static int
mkdir_parents(const char *path)
{
	char	*dir = xstrdup(path), *p;

	for (p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
			free(dir);
			return -1;
		}
		*p = '/';
	}
	free(dir);
	return 0;
}

/*
 * A closed capture in a directory we cannot write (a colleague's, a
 * read-only mount): SQLite could not create its lock files there, so it
 * is opened as immutable.  Not when a -wal file holds samples that only
 * a normal open reads (a capture whose writer was killed).
 */
static char *
immutable_uri(const char *path)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*dir, *slash, *wal;
	const char	*p;
	int		 writable;

	dir = xstrdup(path);
	slash = strrchr(dir, '/');
	if (slash == NULL) {
		free(dir);
		dir = xstrdup(".");
	} else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	writable = access(dir, W_OK) == 0;
	free(dir);
	wal = xstrfmt("%s-wal", path);
	if (writable || access(wal, F_OK) == 0) {
		free(wal);
		return NULL;
	}
	free(wal);
	strbuf_addstr(&sb, "file:");
	for (p = path; *p != '\0'; p++) {
		if (*p == '?' || *p == '#' || *p == '%')
			strbuf_addf(&sb, "%%%02X", (unsigned char)*p);
		else
			strbuf_addch(&sb, *p);
	}
	strbuf_addstr(&sb, "?immutable=1");
	return strbuf_detach(&sb);
}

static struct history *
open_common(const char *path, int readonly, char **cause)
{
	struct history	*h;
	int		 fresh = 0, fd, flags, rc;
	char		*uri = NULL;

	*cause = NULL;
	h = xcalloc(1, sizeof *h);
	h->path = xstrdup(path);
	h->readonly = readonly;
	h->retention_days = 7;
	if (!readonly) {
		if (mkdir_parents(path) == -1) {
			*cause = xstrfmt("%s: cannot create its directory: %s",
			    path, strerror(errno));
			goto fail;
		}
		/* Created 0600 by us, never by SQLite's umask default. */
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0) {
			close(fd);
			fresh = 1;
		} else if (errno != EEXIST) {
			*cause = xstrfmt("%s: %s", path, strerror(errno));
			goto fail;
		}
	}
	if ((rc = check_header(path, cause)) == -1)
		goto fail;
	if (rc == 1 && readonly) {
		*cause = xstrfmt("%s: empty file, not a pgdeck capture", path);
		goto fail;
	}
	flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	uri = readonly ? immutable_uri(path) : NULL;
	if (sqlite3_open_v2(uri != NULL ? uri : path, &h->db,
	    flags | SQLITE_OPEN_NOMUTEX | (uri != NULL ? SQLITE_OPEN_URI : 0),
	    NULL) != SQLITE_OK) {
		free(uri);
		*cause = xstrfmt("%s: %s", path, h->db != NULL ?
		    sqlite3_errmsg(h->db) : "cannot open");
		goto fail;
	}
	free(uri);
	uri = NULL;
	sqlite3_extended_result_codes(h->db, 1);
	/*
	 * Briefly ride out another connection's lock or a WAL recovery
	 * after a crash; a writer never waits long on the UI thread, and
	 * a reader (replay) is not in a hurry before its first frame.
	 */
	sqlite3_busy_timeout(h->db, readonly ? 2000 : 50);
	if (readonly && exec(h, "PRAGMA query_only = 1", cause) == -1)
		goto fail;
	/* Nothing is changed before the file is known to be ours. */
	if (check_schema(h, fresh, cause) == -1)
		goto fail;
	if (!readonly && (exec(h, "PRAGMA journal_mode = WAL", cause) == -1 ||
	    exec(h, "PRAGMA synchronous = NORMAL", cause) == -1))
		goto fail;
	if (prepare_all(h, cause) == -1 || (readonly && check_rows(h,
	    cause) == -1))
		goto fail;
	h->qtexts = qtexts_new();
	return h;
fail:
	if (*cause == NULL)
		*cause = xstrfmt("%s: cannot open", path);
	history_close(h);
	return NULL;
}

struct history *
history_open_write(const char *path, char **cause)
{
	struct history	*h;
	char		*sql;

	if ((h = open_common(path, 0, cause)) == NULL)
		return NULL;
	/* Spans left open by an earlier run end at its last sample. */
	sql = xstrfmt("BEGIN IMMEDIATE;"
	    " UPDATE session SET until = (SELECT max(id) + 1 FROM sample)"
	    " WHERE until IS NULL;"
	    " UPDATE stmt SET until = (SELECT max(id) + 1 FROM sample)"
	    " WHERE until IS NULL;"
	    " INSERT OR REPLACE INTO meta VALUES ('writer', 'pgdeck %s');"
	    " COMMIT", PGDECK_VERSION);
	if (exec(h, sql, cause) == -1) {
		exec(h, "ROLLBACK", NULL);
		free(sql);
		history_close(h);
		return NULL;
	}
	free(sql);
	history_refresh_samples(h);
	return h;
}

struct history *
history_open_read(const char *path, char **cause)
{
	struct history	*h;

	if ((h = open_common(path, 1, cause)) == NULL)
		return NULL;
	history_refresh_samples(h);
	return h;
}

void
history_close(struct history *h)
{
	int	i;

	if (h == NULL)
		return;
	for (i = 0; i < Q__COUNT; i++)
		sqlite3_finalize(h->q[i]);
	/*
	 * A closed file is one self-contained file, readable where lock
	 * files cannot be made (fails harmlessly if another writer has it).
	 */
	if (h->db != NULL && !h->readonly && h->last_sample > 0)
		sqlite3_exec(h->db, "PRAGMA wal_checkpoint(TRUNCATE);"
		    " PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
	if (h->db != NULL)
		sqlite3_close(h->db);
	map_clear(&h->sessions);
	map_clear(&h->stmts);
	map_clear(&h->strings);
	map_clear(&h->texts);
	map_clear(&h->qtext_known);
	qtexts_unref(h->qtexts);
	wal_unref(h->doc_wal);
	bk_state_unref(h->doc_backups);
	free(h->samples);
	free(h->path);
	free(h);
}

const char *
history_path(const struct history *h)
{
	return h->path;
}

void
history_set_redact(struct history *h, int on)
{
	h->redact = on;
}

void
history_set_retention(struct history *h, double days)
{
	h->retention_days = days;
}

/* Writing. */

static void
bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

static void
bind_double(sqlite3_stmt *st, int i, double v)
{
	if (isnan(v) || isinf(v))
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_double(st, i, v);
}

static void
bind_int(sqlite3_stmt *st, int i, int64_t v, int64_t null_value)
{
	if (v == null_value)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, v);
}

static int
step_done(struct history *h, sqlite3_stmt *st)
{
	int	rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	(void)h;
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The id of string 's' in the text table (0 for NULL); -1 on error. */
static int64_t
intern(struct history *h, const char *s)
{
	struct ent	*e;
	uint64_t	 key;
	size_t		 n;
	int64_t		 id = 0;
	sqlite3_stmt	*st;

	if (s == NULL)
		return 0;
	n = strlen(s);
	key = fnv(s, n, 0xcbf29ce484222325ULL);
	if ((e = map_get(&h->strings, key)) != NULL)
		return e->id;
	st = h->q[Q_TEXT_FIND];
	sqlite3_bind_int64(st, 1, (int64_t)(key >> 1));
	sqlite3_bind_text(st, 2, s, (int)n, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (id == 0) {
		st = h->q[Q_TEXT_ADD];
		sqlite3_bind_int64(st, 1, (int64_t)(key >> 1));
		sqlite3_bind_text(st, 2, s, (int)n, SQLITE_STATIC);
		if (step_done(h, st) == -1)
			return -1;
		id = sqlite3_last_insert_rowid(h->db);
	}
	e = map_put(&h->strings, key);
	e->id = id;
	return id;
}

/* Server time in ms when something 'age' seconds old started. */
static int64_t
start_ms(double now, double age)
{
	if (isnan(now) || isnan(age))
		return INT64_MIN;
	return llround((now - age) * 1000.0);
}

static int
put_session(struct history *h, const struct snapshot *s,
    const struct session *x, int64_t sample, int64_t *ids)
{
	sqlite3_stmt	*st = h->q[Q_SESS_ADD];
	struct strbuf	 blk = STRBUF_INIT;
	struct ent	*sp;
	char		*redacted = NULL;
	const char	*strs[12];
	int64_t		 bstart, times[5];
	uint64_t	 fp = 0, key;
	int		 i;

	strs[0] = x->datname;
	strs[1] = x->usename;
	strs[2] = x->application_name;
	strs[3] = x->client;
	strs[4] = x->backend_type;
	strs[5] = x->state;
	strs[6] = x->wait_event_type;
	strs[7] = x->wait_event;
	strs[8] = x->lock_mode;
	strs[9] = x->lock_type;
	strs[10] = x->lock_target;
	strs[11] = x->query;
	if (h->redact && x->query != NULL)
		strs[11] = redacted = sql_redact(x->query);
	for (i = 0; i < 12; i++) {
		if ((ids[i] = intern(h, strs[i])) == -1) {
			free(redacted);
			return -1;
		}
	}
	free(redacted);
	bstart = start_ms(s->activity_now, x->backend_age);
	times[0] = start_ms(s->activity_now, x->xact_age);
	times[1] = start_ms(s->activity_now, x->query_age);
	times[2] = start_ms(s->activity_now, x->state_age);
	/* Waits are timed by another statement: whole seconds are stable. */
	times[3] = isnan(x->lock_wait) || isnan(s->activity_now) ? INT64_MIN :
	    llround(s->activity_now - x->lock_wait) * 1000;
	times[4] = x->xmin_age;
	for (i = 0; i < x->nblockers; i++)
		strbuf_addf(&blk, "%s%d", i ? "," : "", x->blockers[i]);

	for (i = 0; i < 12; i++)
		fp = fp_add(fp, ids[i]);
	for (i = 0; i < 5; i++)
		fp = fp_add(fp, times[i]);
	fp = fp_add(fp, x->query_id);
	fp = fp_add(fp, x->leader_pid);
	fp = fnv(blk.buf != NULL ? blk.buf : "", blk.len, fp);

	key = mix((uint64_t)(uint32_t)x->pid << 20 ^ (uint64_t)bstart);
	sp = map_get(&h->sessions, key);
	if (sp != NULL && sp->fp == fp) {
		sp->seen = 1;
		strbuf_release(&blk);
		return 0;
	}
	if (sp != NULL) {
		sqlite3_bind_int64(h->q[Q_SESS_CLOSE], 1, sp->id);
		sqlite3_bind_int64(h->q[Q_SESS_CLOSE], 2, sample);
		if (step_done(h, h->q[Q_SESS_CLOSE]) == -1)
			goto fail;
	}
	sqlite3_bind_int64(st, 1, sample);
	sqlite3_bind_int(st, 2, x->pid);
	bind_int(st, 3, x->leader_pid, 0);
	for (i = 0; i < 8; i++)
		bind_int(st, 4 + i, ids[i], 0);
	bind_int(st, 12, x->query_id, 0);
	bind_int(st, 13, bstart, INT64_MIN);
	bind_int(st, 14, times[0], INT64_MIN);
	bind_int(st, 15, times[1], INT64_MIN);
	bind_int(st, 16, times[2], INT64_MIN);
	bind_int(st, 17, times[4], -1);
	bind_text(st, 18, blk.len > 0 ? blk.buf : NULL);
	bind_int(st, 19, ids[8], 0);
	bind_int(st, 20, ids[9], 0);
	bind_int(st, 21, ids[10], 0);
	bind_int(st, 22, times[3], INT64_MIN);
	bind_int(st, 23, ids[11], 0);
	if (step_done(h, st) == -1)
		goto fail;
	strbuf_release(&blk);
	sp = map_put(&h->sessions, key);
	sp->id = sqlite3_last_insert_rowid(h->db);
	sp->fp = fp;
	sp->seen = 1;
	return 0;
fail:
	strbuf_release(&blk);
	return -1;
}

static int
put_stmt(struct history *h, const struct stmt *x, int64_t sample)
{
	sqlite3_stmt	*st = h->q[Q_STMT_ADD];
	struct ent	*sp;
	uint64_t	 fp = 0, key = stmt_key_hash(x);
	int64_t		 uid, did;

	fp = fp_add(fp, x->calls);
	fp = fp_add(fp, x->plans);
	fp = fp_add(fp, x->rows);
	fp = fp_add(fp, llround(x->exec_ms * 1000));
	fp = fp_add(fp, llround(x->plan_ms * 1000));
	fp = fp_add(fp, x->blks_hit);
	fp = fp_add(fp, x->blks_read);
	fp = fp_add(fp, x->temp_read + x->temp_written);
	fp = fp_add(fp, x->wal_bytes);
	sp = map_get(&h->stmts, key);
	if (sp != NULL && sp->fp == fp) {
		sp->seen = 1;
		return 0;
	}
	if (sp != NULL) {
		sqlite3_bind_int64(h->q[Q_STMT_CLOSE], 1, sp->id);
		sqlite3_bind_int64(h->q[Q_STMT_CLOSE], 2, sample);
		if (step_done(h, h->q[Q_STMT_CLOSE]) == -1)
			return -1;
	}
	if ((uid = intern(h, x->user)) == -1 ||
	    (did = intern(h, x->datname)) == -1)
		return -1;
	/* The text once per queryid. */
	/* The map cannot hold key 0: queryid 0 has a flag of its own. */
	if (x->query != NULL && (x->queryid == 0 ? !h->qtext_zero :
	    map_get(&h->qtext_known, (uint64_t)x->queryid) == NULL)) {
		sqlite3_bind_int64(h->q[Q_QTEXT_ADD], 1, x->queryid);
		sqlite3_bind_text(h->q[Q_QTEXT_ADD], 2, x->query, -1,
		    SQLITE_STATIC);
		if (step_done(h, h->q[Q_QTEXT_ADD]) == -1)
			return -1;
		if (x->queryid == 0)
			h->qtext_zero = 1;
		else
			map_put(&h->qtext_known, (uint64_t)x->queryid);
	}
	sqlite3_bind_int64(st, 1, sample);
	sqlite3_bind_int64(st, 2, x->queryid);
	sqlite3_bind_int64(st, 3, x->userid);
	sqlite3_bind_int64(st, 4, x->dbid);
	sqlite3_bind_int(st, 5, x->toplevel);
	bind_int(st, 6, uid, 0);
	bind_int(st, 7, did, 0);
	sqlite3_bind_int64(st, 8, x->calls);
	sqlite3_bind_int64(st, 9, x->plans);
	sqlite3_bind_int64(st, 10, x->rows);
	sqlite3_bind_double(st, 11, x->exec_ms);
	sqlite3_bind_double(st, 12, x->plan_ms);
	sqlite3_bind_double(st, 13, x->io_ms);
	sqlite3_bind_int64(st, 14, x->blks_hit);
	sqlite3_bind_int64(st, 15, x->blks_read);
	sqlite3_bind_int64(st, 16, x->blks_dirtied);
	sqlite3_bind_int64(st, 17, x->temp_read);
	sqlite3_bind_int64(st, 18, x->temp_written);
	sqlite3_bind_int64(st, 19, x->wal_bytes);
	if (step_done(h, st) == -1)
		return -1;
	sp = map_put(&h->stmts, key);
	sp->id = sqlite3_last_insert_rowid(h->db);
	sp->fp = fp;
	sp->seen = 1;
	return 0;
}

/* Close the spans of entries that were not in this sample. */
static int
close_unseen(struct history *h, struct map *m, int close_q,
    int64_t sample)
{
	struct map	 keep = { 0 };
	struct ent	*e;
	size_t		 i;
	int		 rc = 0;

	for (i = 0; i < m->nslots; i++) {
		e = &m->slots[i];
		if (e->key == 0)
			continue;
		if (e->seen) {
			struct ent *k = map_put(&keep, e->key);

			k->id = e->id;
			k->fp = e->fp;
			continue;
		}
		sqlite3_bind_int64(h->q[close_q], 1, e->id);
		sqlite3_bind_int64(h->q[close_q], 2, sample);
		if (step_done(h, h->q[close_q]) == -1)
			rc = -1;
	}
	map_clear(m);
	*m = keep;
	return rc;
}

static void
add_sample(struct history *h, int64_t id, int64_t ts)
{
	if (h->nsamples == h->samples_cap) {
		h->samples_cap = h->samples_cap ? h->samples_cap * 2 : 1024;
		h->samples = xrealloc(h->samples,
		    h->samples_cap * sizeof *h->samples);
	}
	h->samples[h->nsamples].id = id;
	h->samples[h->nsamples].ts = ts;
	h->nsamples++;
}

static int
count_state(const struct snapshot *s, const char *state)
{
	size_t	i;
	int	n = 0;

	for (i = 0; i < s->nsessions; i++) {
		if (s->sessions[i].state != NULL &&
		    strcmp(s->sessions[i].state, state) == 0)
			n++;
	}
	return n;
}

static char	*dup_col(sqlite3_stmt *, int);

static int
put_doc(struct history *h, int64_t sample, int64_t ts, const char *kind,
    const char *body, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (sqlite3_prepare_v2(h->db, "INSERT INTO doc(sample, ts, kind, body)"
	    " VALUES (?1, ?2, ?3, ?4)", -1, &st, NULL) != SQLITE_OK) {
		*cause = db_error(h, "cannot store a document");
		return -1;
	}
	sqlite3_bind_int64(st, 1, sample);
	sqlite3_bind_int64(st, 2, ts);
	bind_text(st, 3, kind);
	bind_text(st, 4, body);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	if (rc == -1)
		*cause = db_error(h, "cannot store a document");
	sqlite3_finalize(st);
	return rc;
}

int
history_put_doc(struct history *h, const char *kind, int64_t ts,
    const char *body, char **cause)
{
	*cause = NULL;
	if (h->readonly) {
		*cause = xstrdup("a replayed file is never modified");
		return -1;
	}
	return put_doc(h, h->last_sample, ts, kind, body, cause);
}

char *
history_get_doc(struct history *h, const char *kind, int64_t sample,
    int64_t *ts, int64_t *id)
{
	sqlite3_stmt	*st;
	char		*body = NULL;

	/* Files before schema 4 have no documents. */
	if (sqlite3_prepare_v2(h->db, "SELECT body, ts, id FROM doc"
	    " WHERE kind = ?1 AND sample <= ?2 ORDER BY sample DESC, id DESC"
	    " LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	bind_text(st, 1, kind);
	sqlite3_bind_int64(st, 2, sample > 0 ? sample : INT64_MAX);
	if (sqlite3_step(st) == SQLITE_ROW) {
		body = dup_col(st, 0);
		if (ts != NULL)
			*ts = sqlite3_column_int64(st, 1);
		if (id != NULL)
			*id = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	return body;
}

/*
 * The body of the 'kind' document valid at sample 'id' if it is not the
 * one read last ('*cached', updated), else NULL; '*exists' says whether
 * there is one at all.
 */
static char *
changed_doc(struct history *h, const char *kind, int64_t id, int64_t *cached,
    int *exists)
{
	char	*body;
	int64_t	 did = 0;

	body = history_get_doc(h, kind, id, NULL, &did);
	*exists = body != NULL;
	if (body == NULL || did == *cached) {
		free(body);
		return NULL;
	}
	*cached = did;
	return body;
}

/*
 * Attach the documents valid at sample 'id' to 's', parsed once per
 * document however many samples share it.  A damaged document is left
 * out: its pane says there is nothing, the rest replays.
 */
static void
attach_docs(struct history *h, struct snapshot *s, int64_t id)
{
	char	*body, *cause = NULL;
	int	 exists;

	if ((body = changed_doc(h, "wal", id, &h->doc_wal_id,
	    &exists)) != NULL) {
		wal_unref(h->doc_wal);
		h->doc_wal = wal_from_json(body, strlen(body), &cause);
	}
	if (exists)
		s->wal = wal_ref(h->doc_wal);
	if (cause != NULL)
		log_debug("%s: wal doc: %s", h->path, cause);
	free(body);
	free(cause);
	cause = NULL;
	if ((body = changed_doc(h, "backups", id, &h->doc_backups_id,
	    &exists)) != NULL) {
		bk_state_unref(h->doc_backups);
		h->doc_backups = bk_state_from_json(body, strlen(body), &cause);
	}
	if (exists)
		s->backups = bk_state_ref(h->doc_backups);
	if (cause != NULL)
		log_debug("%s: backups doc: %s", h->path, cause);
	free(body);
	free(cause);
}

int
history_put(struct history *h, const struct snapshot *s, char **cause)
{
	sqlite3_stmt		*st = h->q[Q_SAMPLE];
	const struct vitals	*v = &s->vitals;
	int64_t			 sample, ids[12];
	size_t			 i;
	int			 nwait = 0, nlock = 0;
	int			 new_wal, new_backups;
	char			*body = NULL;
	struct map		 save_sess, save_stmt;

	*cause = NULL;
	if (h->readonly)
		BUG("history_put on a read-only history");
	for (i = 0; i < s->nsessions; i++) {
		if (s->sessions[i].wait_event_type != NULL &&
		    strcmp(s->sessions[i].wait_event_type, "Activity") != 0 &&
		    strcmp(s->sessions[i].wait_event_type, "Client") != 0)
			nwait++;
		if (s->sessions[i].nblockers > 0)
			nlock++;
	}
	if (exec(h, "BEGIN IMMEDIATE", cause) == -1)
		return -1;
	/* Copies of the span maps, restored if the sample is rolled back. */
	save_sess = h->sessions;
	save_sess.slots = xmalloc(h->sessions.nslots * sizeof *save_sess.slots + 1);
	if (h->sessions.nslots > 0)
		memcpy(save_sess.slots, h->sessions.slots,
		    h->sessions.nslots * sizeof *save_sess.slots);
	save_stmt = h->stmts;
	save_stmt.slots = xmalloc(h->stmts.nslots * sizeof *save_stmt.slots + 1);
	if (h->stmts.nslots > 0)
		memcpy(save_stmt.slots, h->stmts.slots,
		    h->stmts.nslots * sizeof *save_stmt.slots);

	sqlite3_bind_int64(st, 1, s->taken_ms);
	bind_text(st, 2, s->source);
	bind_double(st, 3, s->activity_now);
	sqlite3_bind_int(st, 4, v->version_num);
	bind_text(st, 5, v->version);
	sqlite3_bind_int(st, 6, v->in_recovery);
	sqlite3_bind_int64(st, 7, v->xacts);
	sqlite3_bind_int64(st, 8, v->blks_hit);
	sqlite3_bind_int64(st, 9, v->blks_read);
	sqlite3_bind_int(st, 10, v->max_connections);
	sqlite3_bind_int(st, 11, v->reserved_connections);
	sqlite3_bind_int(st, 12, v->nstandbys);
	bind_double(st, 13, v->repl_lag);
	bind_int(st, 14, v->repl_lag_bytes, -1);
	bind_int(st, 15, v->slot_xmin_age, -1);
	bind_int(st, 16, v->prepared_xmin_age, -1);
	bind_double(st, 17, v->server_now);
	bind_double(st, 18, v->interval);
	bind_double(st, 19, v->tps);
	bind_double(st, 20, v->hit_ratio);
	bind_double(st, 21, v->query_ms);
	sqlite3_bind_int(st, 22, s->stmt_info.status);
	bind_text(st, 23, s->stmt_info.hint);
	bind_int(st, 24, s->stmt_info.dealloc, -1);
	bind_double(st, 25, s->stmt_info.stats_reset);
	sqlite3_bind_int64(st, 26, (int64_t)s->nsessions);
	sqlite3_bind_int(st, 27, count_state(s, "active"));
	sqlite3_bind_int(st, 28, count_state(s, "idle in transaction") +
	    count_state(s, "idle in transaction (aborted)"));
	sqlite3_bind_int(st, 29, nwait);
	sqlite3_bind_int(st, 30, nlock);
	if (step_done(h, st) == -1)
		goto fail;
	sample = sqlite3_last_insert_rowid(h->db);

	for (i = 0; i < h->sessions.nslots; i++)
		h->sessions.slots[i].seen = 0;
	for (i = 0; i < h->stmts.nslots; i++)
		h->stmts.slots[i].seen = 0;
	for (i = 0; i < s->nsessions; i++) {
		if (put_session(h, s, &s->sessions[i], sample, ids) == -1)
			goto fail;
	}
	for (i = 0; i < s->nstmts; i++) {
		if (put_stmt(h, &s->stmts[i], sample) == -1)
			goto fail;
	}
	/* Statements not collected (an error) are not "gone". */
	if (close_unseen(h, &h->sessions, Q_SESS_CLOSE, sample) == -1 ||
	    (s->stmt_info.status == STMTS_OK &&
	    close_unseen(h, &h->stmts, Q_STMT_CLOSE, sample) == -1))
		goto fail;
	/* A probe or tool run shared by many samples is stored once. */
	new_wal = s->wal != NULL && s->wal != h->doc_wal;
	new_backups = s->backups != NULL && s->backups != h->doc_backups;
	if (new_wal && put_doc(h, sample, s->taken_ms, "wal",
	    (body = wal_to_json(s->wal)), cause) == -1)
		goto fail;
	free(body);
	body = NULL;
	if (new_backups && put_doc(h, sample, s->taken_ms, "backups",
	    (body = bk_runs_to_json(s->backups)), cause) == -1)
		goto fail;
	free(body);
	body = NULL;
	if (exec(h, "COMMIT", cause) == -1)
		goto fail;
	if (new_wal) {
		wal_unref(h->doc_wal);
		h->doc_wal = wal_ref(s->wal);
	}
	if (new_backups) {
		bk_state_unref(h->doc_backups);
		h->doc_backups = bk_state_ref(s->backups);
	}
	free(save_sess.slots);
	free(save_stmt.slots);
	h->last_sample = sample;
	/* The sample list grows by the one just written. */
	add_sample(h, sample, s->taken_ms);
	return 0;
fail:
	free(body);
	if (*cause == NULL)
		*cause = db_error(h, "cannot write");
	exec(h, "ROLLBACK", NULL);
	map_clear(&h->sessions);
	map_clear(&h->stmts);
	h->sessions = save_sess;
	h->stmts = save_stmt;
	/* Strings inserted in the rolled-back transaction are gone too. */
	map_clear(&h->strings);
	map_clear(&h->qtext_known);
	h->qtext_zero = 0;
	return -1;
}

int
history_prune(struct history *h, int budget, char **cause)
{
	sqlite3_stmt	*st;
	int64_t		 cutoff, minid = 0;
	int		 n = 0, ok;
	char		*sql;

	*cause = NULL;
	if (h->readonly || h->retention_days <= 0)
		return 0;
	cutoff = pragma_int(h, "SELECT max(ts) FROM sample", &ok) -
	    (int64_t)(h->retention_days * 86400000.0);
	if (!ok)
		return 0;
	sql = xstrfmt("BEGIN IMMEDIATE;"
	    " DELETE FROM sample WHERE id IN (SELECT id FROM sample"
	    " WHERE ts < %lld ORDER BY id LIMIT %d);"
	    " DELETE FROM label WHERE ts < %lld;"
	    " DELETE FROM plan WHERE ts < %lld;"
	    " DELETE FROM audit WHERE ts < %lld;"
	    /* The newest document of a kind stays: it is still valid. */
	    " DELETE FROM doc WHERE ts < %lld AND id NOT IN"
	    " (SELECT max(id) FROM doc GROUP BY kind);", (long long)cutoff,
	    budget, (long long)cutoff, (long long)cutoff, (long long)cutoff,
	    (long long)cutoff);
	if (exec(h, sql, cause) == -1) {
		free(sql);
		exec(h, "ROLLBACK", NULL);
		return -1;
	}
	free(sql);
	n += sqlite3_changes(h->db);
	if (sqlite3_prepare_v2(h->db, "SELECT min(id) FROM sample", -1, &st,
	    NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			minid = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	if (minid > 0) {
		sql = xstrfmt("DELETE FROM session WHERE rowid IN (SELECT rowid"
		    " FROM session WHERE until <= %lld LIMIT %d);"
		    " DELETE FROM stmt WHERE rowid IN (SELECT rowid FROM stmt"
		    " WHERE until <= %lld LIMIT %d);", (long long)minid, budget,
		    (long long)minid, budget);
		if (exec(h, sql, cause) == -1) {
			free(sql);
			exec(h, "ROLLBACK", NULL);
			return -1;
		}
		free(sql);
		n += sqlite3_changes(h->db);
	}
	if (exec(h, "COMMIT", cause) == -1) {
		exec(h, "ROLLBACK", NULL);
		return -1;
	}
	if (n > 0)
		history_refresh_samples(h);	/* drops the pruned ones */
	return n;
}

int
history_audit(struct history *h, int64_t when_ms, const char *who, int pid,
    const char *target_user, const char *query, const char *action, int ok,
    const char *message)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (h->readonly || sqlite3_prepare_v2(h->db, "INSERT INTO audit"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", -1, &st,
	    NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, when_ms);
	bind_text(st, 2, who);
	sqlite3_bind_int(st, 3, pid);
	bind_text(st, 4, target_user);
	bind_text(st, 5, query);
	bind_text(st, 6, action);
	sqlite3_bind_int(st, 7, ok);
	bind_text(st, 8, message);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	return rc;
}

static char	*dup_col(sqlite3_stmt *, int);

static char *
dup_col0(sqlite3_stmt *st, int i)
{
	char	*s = dup_col(st, i);

	return s != NULL ? s : xstrdup("");
}

int
history_put_plan(struct history *h, int64_t ts, int64_t queryid,
    const char *datname, const char *kind, const char *label,
    const char *body, int64_t *id, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	*cause = NULL;
	if (id != NULL)
		*id = 0;
	if (h->readonly) {
		*cause = xstrdup("a replayed file is never modified");
		return -1;
	}
	if (sqlite3_prepare_v2(h->db, "INSERT INTO plan(ts, queryid, datname,"
	    " kind, label, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", -1, &st,
	    NULL) != SQLITE_OK) {
		*cause = db_error(h, "cannot store the plan");
		return -1;
	}
	sqlite3_bind_int64(st, 1, ts);
	sqlite3_bind_int64(st, 2, queryid);
	bind_text(st, 3, datname);
	bind_text(st, 4, kind);
	bind_text(st, 5, label);
	bind_text(st, 6, body);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	if (rc == -1)
		*cause = db_error(h, "cannot store the plan");
	else if (id != NULL)
		*id = sqlite3_last_insert_rowid(h->db);
	sqlite3_finalize(st);
	return rc;
}

int
history_get_rates(struct history *h, const char *server,
    struct history_rates *out)
{
	sqlite3_stmt	*st;
	int		 rc = -1;

	memset(out, 0, sizeof *out);
	/* Files before schema 3 have no rates table: none kept. */
	if (sqlite3_prepare_v2(h->db, "SELECT ts, sort_ms, read_bytes_s"
	    " FROM rates WHERE server = ?1", -1, &st, NULL) != SQLITE_OK)
		return -1;
	bind_text(st, 1, server);
	if (sqlite3_step(st) == SQLITE_ROW) {
		out->ts = sqlite3_column_int64(st, 0);
		out->sort_ms = sqlite3_column_double(st, 1);
		out->read_bytes_s = sqlite3_column_double(st, 2);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

int
history_put_rates(struct history *h, const char *server,
    const struct history_rates *r, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	*cause = NULL;
	if (h->readonly) {
		*cause = xstrdup("a replayed file is never modified");
		return -1;
	}
	if (sqlite3_prepare_v2(h->db, "INSERT OR REPLACE INTO rates(server, ts,"
	    " sort_ms, read_bytes_s) VALUES (?1, ?2, ?3, ?4)", -1, &st,
	    NULL) != SQLITE_OK) {
		*cause = db_error(h, "cannot keep the rates");
		return -1;
	}
	bind_text(st, 1, server);
	sqlite3_bind_int64(st, 2, r->ts);
	sqlite3_bind_double(st, 3, r->sort_ms);
	sqlite3_bind_double(st, 4, r->read_bytes_s);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	if (rc == -1)
		*cause = db_error(h, "cannot keep the rates");
	sqlite3_finalize(st);
	return rc;
}

size_t
history_plans(struct history *h, struct history_plan **out)
{
	sqlite3_stmt	*st;
	size_t		 n = 0, cap = 0;

	*out = NULL;
	/* Schema 1 files have no plan table: no plans. */
	if (sqlite3_prepare_v2(h->db, "SELECT id, ts, queryid, datname, kind,"
	    " label FROM plan ORDER BY ts, id", -1, &st, NULL) != SQLITE_OK)
		return 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct history_plan *p;

		xgrow((void **)out, &cap, n + 1, sizeof **out);
		p = &(*out)[n++];
		p->id = sqlite3_column_int64(st, 0);
		p->ts = sqlite3_column_int64(st, 1);
		p->queryid = sqlite3_column_int64(st, 2);
		p->datname = dup_col0(st, 3);
		p->kind = dup_col0(st, 4);
		p->label = dup_col0(st, 5);
	}
	sqlite3_finalize(st);
	return n;
}

void
history_plans_free(struct history_plan *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(p[i].datname);
		free(p[i].kind);
		free(p[i].label);
	}
	free(p);
}

char *
history_plan_text(struct history *h, int64_t id)
{
	sqlite3_stmt	*st;
	char		*body = NULL;

	if (sqlite3_prepare_v2(h->db, "SELECT body FROM plan WHERE id = ?1",
	    -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		body = dup_col(st, 0);
	sqlite3_finalize(st);
	return body;
}

int
history_label(struct history *h, const char *label, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	*cause = NULL;
	if (h->readonly) {
		*cause = xstrdup("a replayed file is never modified");
		return -1;
	}
	if (h->last_sample == 0) {
		*cause = xstrdup("no sample recorded yet");
		return -1;
	}
	if (sqlite3_prepare_v2(h->db, "INSERT INTO label SELECT id, ts, ?2"
	    " FROM sample WHERE id = ?1", -1, &st, NULL) != SQLITE_OK) {
		*cause = db_error(h, "cannot label");
		return -1;
	}
	sqlite3_bind_int64(st, 1, h->last_sample);
	bind_text(st, 2, label);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	if (rc == -1)
		*cause = db_error(h, "cannot label");
	sqlite3_finalize(st);
	return rc;
}

/* Reading. */

/* Append samples newer than the last one known; drop pruned ones. */
size_t
history_refresh_samples(struct history *h)
{
	sqlite3_stmt	*st;
	size_t		 drop = 0;
	int64_t		 last = h->nsamples > 0 ?
			    h->samples[h->nsamples - 1].id : 0;
	int64_t		 minid;
	int		 ok;

	minid = pragma_int(h, "SELECT coalesce(min(id), 0) FROM sample", &ok);
	while (drop < h->nsamples && h->samples[drop].id < minid)
		drop++;
	if (drop > 0) {
		memmove(h->samples, h->samples + drop,
		    (h->nsamples - drop) * sizeof *h->samples);
		h->nsamples -= drop;
	}
	if (minid == 0)
		h->nsamples = 0;
	if (sqlite3_prepare_v2(h->db, "SELECT id, ts FROM sample WHERE id > ?1"
	    " ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return h->nsamples;
	sqlite3_bind_int64(st, 1, h->nsamples > 0 ? last : 0);
	while (sqlite3_step(st) == SQLITE_ROW) {
		add_sample(h, sqlite3_column_int64(st, 0),
		    sqlite3_column_int64(st, 1));
	}
	sqlite3_finalize(st);
	return h->nsamples;
}

size_t
history_samples(struct history *h, const struct history_sample **out)
{
	*out = h->samples;
	return h->nsamples;
}

long
history_index_at(struct history *h, int64_t ts_ms)
{
	size_t	lo = 0, hi = h->nsamples, mid;

	/* The first sample with ts > ts_ms, minus one. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (h->samples[mid].ts <= ts_ms)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (long)lo - 1;
}

/* The string with text id 'id', cached; NULL for 0 or unknown. */
static const char *
text_get(struct history *h, int64_t id)
{
	struct ent	*e;
	sqlite3_stmt	*st = h->q[Q_TEXT_GET];
	char		*body = NULL;

	if (id <= 0)
		return NULL;
	if ((e = map_get(&h->texts, (uint64_t)id)) != NULL)
		return e->body;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) == SQLITE_TEXT)
		body = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (body == NULL)
		return NULL;
	e = map_put(&h->texts, (uint64_t)id);
	e->body = body;
	return body;
}

static const char *
qtext_get(struct history *h, int64_t queryid)
{
	sqlite3_stmt	*st = h->q[Q_QTEXT_GET];
	const char	*t;

	if ((t = qtexts_get(h->qtexts, queryid)) != NULL)
		return t;
	sqlite3_bind_int64(st, 1, queryid);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) == SQLITE_TEXT)
		t = qtexts_put(h->qtexts, queryid,
		    (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return t;
}

static double
col_double(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN :
	    sqlite3_column_double(st, i);
}

static int64_t
col_int(sqlite3_stmt *st, int i, int64_t dflt)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? dflt :
	    sqlite3_column_int64(st, i);
}

static const char *
col_str(struct snapshot *s, sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	return snapshot_strdup(s, (const char *)sqlite3_column_text(st, i));
}

static const char *
col_text(struct history *h, struct snapshot *s, sqlite3_stmt *st, int i)
{
	return snapshot_strdup(s, text_get(h, col_int(st, i, 0)));
}

static double
age_of(double now, int64_t start)
{
	return isnan(now) || start == INT64_MIN ? NAN :
	    now - (double)start / 1000.0;
}

/*
 * Which index finds the spans alive at sample 'id' with the fewest rows:
 * 'first' for early samples, 'until' for late ones.
 */
static int
is_late(struct history *h, int64_t id)
{
	return h->nsamples > 0 &&
	    id - h->samples[0].id > h->samples[h->nsamples - 1].id - id;
}

static int
load_sessions(struct history *h, struct snapshot *s, int64_t id)
{
	sqlite3_stmt	*st = h->q[is_late(h, id) ? Q_LOAD_SESS_LATE :
			    Q_LOAD_SESS];
	struct session	*x;
	size_t		 cap = 0;
	const char	*blk;
	int		 tmp[256], n, rc;

	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (s->nsessions == cap) {
			cap = cap ? cap * 2 : 64;
			s->sessions = xrealloc(s->sessions,
			    cap * sizeof *s->sessions);
		}
		x = &s->sessions[s->nsessions++];
		memset(x, 0, sizeof *x);
		x->pid = (int)col_int(st, 0, 0);
		x->leader_pid = (int)col_int(st, 1, 0);
		x->datname = col_text(h, s, st, 2);
		x->usename = col_text(h, s, st, 3);
		x->application_name = col_text(h, s, st, 4);
		x->client = col_text(h, s, st, 5);
		x->backend_type = col_text(h, s, st, 6);
		x->state = col_text(h, s, st, 7);
		x->wait_event_type = col_text(h, s, st, 8);
		x->wait_event = col_text(h, s, st, 9);
		x->query_id = col_int(st, 10, 0);
		x->backend_age = age_of(s->activity_now, col_int(st, 11, INT64_MIN));
		x->xact_age = age_of(s->activity_now, col_int(st, 12, INT64_MIN));
		x->query_age = age_of(s->activity_now, col_int(st, 13, INT64_MIN));
		x->state_age = age_of(s->activity_now, col_int(st, 14, INT64_MIN));
		x->xmin_age = col_int(st, 15, -1);
		if ((blk = (const char *)sqlite3_column_text(st, 16)) != NULL) {
			struct strbuf b = STRBUF_INIT;

			strbuf_addf(&b, "{%s}", blk);
			n = parse_int_array(b.buf, tmp, 256);
			strbuf_release(&b);
			if (n > 0) {
				x->blockers = snapshot_alloc(s,
				    (size_t)n * sizeof *x->blockers);
				memcpy(x->blockers, tmp, (size_t)n * sizeof *tmp);
				x->nblockers = n;
			}
		}
		x->lock_mode = col_text(h, s, st, 17);
		x->lock_type = col_text(h, s, st, 18);
		x->lock_target = col_text(h, s, st, 19);
		x->lock_wait = age_of(s->activity_now, col_int(st, 20, INT64_MIN));
		x->query = col_text(h, s, st, 21);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
load_stmts(struct history *h, struct snapshot *s, int64_t id)
{
	sqlite3_stmt	*st = h->q[is_late(h, id) ? Q_LOAD_STMT_LATE :
			    Q_LOAD_STMT];
	struct stmt	*x;
	size_t		 cap = 0;
	int		 rc;

	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (s->nstmts == cap) {
			cap = cap ? cap * 2 : 256;
			s->stmts = xrealloc(s->stmts, cap * sizeof *s->stmts);
		}
		x = &s->stmts[s->nstmts++];
		memset(x, 0, sizeof *x);
		x->queryid = col_int(st, 0, 0);
		x->userid = (uint32_t)col_int(st, 1, 0);
		x->dbid = (uint32_t)col_int(st, 2, 0);
		x->toplevel = (int)col_int(st, 3, 1);
		x->user = col_text(h, s, st, 4);
		x->datname = col_text(h, s, st, 5);
		x->calls = col_int(st, 6, 0);
		x->plans = col_int(st, 7, 0);
		x->rows = col_int(st, 8, 0);
		x->exec_ms = col_double(st, 9);
		x->plan_ms = col_double(st, 10);
		x->io_ms = col_double(st, 11);
		if (isnan(x->exec_ms))
			x->exec_ms = 0;
		if (isnan(x->plan_ms))
			x->plan_ms = 0;
		if (isnan(x->io_ms))
			x->io_ms = 0;
		x->blks_hit = col_int(st, 12, 0);
		x->blks_read = col_int(st, 13, 0);
		x->blks_dirtied = col_int(st, 14, 0);
		x->temp_read = col_int(st, 15, 0);
		x->temp_written = col_int(st, 16, 0);
		x->wal_bytes = col_int(st, 17, 0);
		x->query = qtext_get(h, x->queryid);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static struct snapshot *
load_one(struct history *h, int64_t id, int stmts_only, char **cause)
{
	sqlite3_stmt	*st = h->q[Q_LOAD_SAMPLE];
	struct snapshot	*s;
	struct vitals	*v;
	int		 rc;

	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		*cause = rc == SQLITE_DONE ?
		    xstrfmt("%s: no sample %lld", h->path, (long long)id) :
		    xstrfmt("%s: damaged: %s", h->path, sqlite3_errmsg(h->db));
		return NULL;
	}
	s = snapshot_new();
	s->sample_id = id;
	s->taken_ms = col_int(st, 0, 0);
	s->source = col_str(s, st, 1);
	s->activity_now = col_double(st, 2);
	v = &s->vitals;
	v->version_num = (int)col_int(st, 3, 0);
	v->version = col_str(s, st, 4);
	v->in_recovery = (int)col_int(st, 5, 0);
	v->xacts = col_int(st, 6, 0);
	v->blks_hit = col_int(st, 7, 0);
	v->blks_read = col_int(st, 8, 0);
	v->max_connections = (int)col_int(st, 9, 0);
	v->reserved_connections = (int)col_int(st, 10, 0);
	v->nstandbys = (int)col_int(st, 11, 0);
	v->repl_lag = col_double(st, 12);
	v->repl_lag_bytes = col_int(st, 13, -1);
	v->slot_xmin_age = col_int(st, 14, -1);
	v->prepared_xmin_age = col_int(st, 15, -1);
	v->server_now = col_double(st, 16);
	v->interval = col_double(st, 17);
	v->tps = col_double(st, 18);
	v->hit_ratio = col_double(st, 19);
	v->query_ms = col_double(st, 20);
	s->stmt_info.status = (int)col_int(st, 21, STMTS_UNKNOWN);
	s->stmt_info.hint = col_str(s, st, 22);
	s->stmt_info.dealloc = col_int(st, 23, -1);
	s->stmt_info.stats_reset = col_double(st, 24);
	sqlite3_reset(st);
	s->qtexts = qtexts_ref(h->qtexts);
	if ((!stmts_only && load_sessions(h, s, id) == -1) ||
	    load_stmts(h, s, id) == -1) {
		*cause = xstrfmt("%s: damaged: %s", h->path,
		    sqlite3_errmsg(h->db));
		snapshot_unref(s);
		return NULL;
	}
	return s;
}

struct snapshot *
history_load(struct history *h, int64_t id, int stmts_only, char **cause)
{
	struct snapshot	*s, *prev = NULL;
	long		 i;

	*cause = NULL;
	if ((s = load_one(h, id, stmts_only, cause)) == NULL)
		return NULL;
	if (!stmts_only)
		attach_docs(h, s, id);
	/* The sample before it, for the interval's statement rates. */
	i = history_index_at(h, s->taken_ms);
	while (i >= 0 && h->samples[i].id >= id)
		i--;
	if (i >= 0 && h->samples[i].id == id - 1)
		prev = load_one(h, h->samples[i].id, 1, cause);
	free(*cause);
	*cause = NULL;
	snapshot_derive_stmts(s, prev);
	snapshot_unref(prev);
	return s;
}

size_t
history_labels(struct history *h, struct history_label **out)
{
	sqlite3_stmt	*st;
	size_t		 n = 0, cap = 0;

	*out = NULL;
	if (sqlite3_prepare_v2(h->db, "SELECT sample, ts, label FROM label"
	    " ORDER BY ts", -1, &st, NULL) != SQLITE_OK)
		return 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		(*out)[n].sample = sqlite3_column_int64(st, 0);
		(*out)[n].ts = sqlite3_column_int64(st, 1);
		(*out)[n].label = xstrdup(sqlite3_column_text(st, 2) != NULL ?
		    (const char *)sqlite3_column_text(st, 2) : "");
		n++;
	}
	sqlite3_finalize(st);
	return n;
}

void
history_labels_free(struct history_label *l, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(l[i].label);
	free(l);
}

static char *
dup_col(sqlite3_stmt *st, int i)
{
	const unsigned char	*t = sqlite3_column_text(st, i);

	return t != NULL ? xstrdup((const char *)t) : NULL;
}

size_t
history_audit_rows(struct history *h, int limit,
    struct history_audit_row **out)
{
	sqlite3_stmt	*st;
	size_t		 n = 0;

	*out = NULL;
	if (limit <= 0 || sqlite3_prepare_v2(h->db, "SELECT ts, who, pid,"
	    " target_user, query, action, ok, message FROM audit"
	    " ORDER BY ts DESC LIMIT ?1", -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int(st, 1, limit);
	*out = xcalloc((size_t)limit, sizeof **out);
	while (sqlite3_step(st) == SQLITE_ROW && n < (size_t)limit) {
		struct history_audit_row *a = &(*out)[n++];

		a->ts = sqlite3_column_int64(st, 0);
		a->who = dup_col(st, 1);
		a->pid = sqlite3_column_int(st, 2);
		a->target_user = dup_col(st, 3);
		a->query = dup_col(st, 4);
		a->action = dup_col(st, 5);
		a->ok = sqlite3_column_int(st, 6);
		a->message = dup_col(st, 7);
	}
	sqlite3_finalize(st);
	return n;
}

void
history_audit_free(struct history_audit_row *a, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(a[i].who);
		free(a[i].target_user);
		free(a[i].query);
		free(a[i].action);
		free(a[i].message);
	}
	free(a);
}

int
history_series(struct history *h, int64_t from, int64_t to, int nb,
    double *out)
{
	sqlite3_stmt	*st;
	int		 i, k, b, *cnt;

	for (i = 0; i < HS__COUNT * nb; i++)
		out[i] = NAN;
	if (nb <= 0 || to <= from || sqlite3_prepare_v2(h->db, "SELECT ts, tps,"
	    " nactive, nidle_tx, nwaiting, nlockwait FROM sample"
	    " WHERE ts BETWEEN ?1 AND ?2", -1, &st, NULL) != SQLITE_OK)
		return -1;
	cnt = xcalloc((size_t)(HS__COUNT * nb), sizeof *cnt);
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	while (sqlite3_step(st) == SQLITE_ROW) {
		b = (int)(((double)sqlite3_column_int64(st, 0) -
		    (double)from) * nb / ((double)to - (double)from + 1));
		if (b < 0 || b >= nb)
			continue;
		for (k = 0; k < HS__COUNT; k++) {
			if (sqlite3_column_type(st, k + 1) == SQLITE_NULL)
				continue;
			if (cnt[k * nb + b]++ == 0)
				out[k * nb + b] = 0;
			out[k * nb + b] += sqlite3_column_double(st, k + 1);
		}
	}
	sqlite3_finalize(st);
	for (i = 0; i < HS__COUNT * nb; i++) {
		if (cnt[i] > 0)
			out[i] /= cnt[i];
	}
	free(cnt);
	return 0;
}

int
history_stmt_series(struct history *h, const struct stmt *key, int64_t from,
    int64_t to, int nb, double *out)
{
	sqlite3_stmt	*st;
	int		 i, b, have = 0;
	int64_t		 ts, pts = 0;
	double		 ms, pms = 0, *sum;

	for (i = 0; i < nb; i++)
		out[i] = NAN;
	if (nb <= 0 || to <= from || sqlite3_prepare_v2(h->db, "SELECT m.ts,"
	    " s.exec_ms FROM stmt s JOIN sample m ON m.id = s.first"
	    " WHERE s.queryid = ?1 AND s.userid = ?2 AND s.dbid = ?3"
	    " AND s.toplevel = ?4 AND m.ts BETWEEN ?5 AND ?6 ORDER BY s.first",
	    -1, &st, NULL) != SQLITE_OK)
		return -1;
	sum = xcalloc((size_t)nb, sizeof *sum);
	sqlite3_bind_int64(st, 1, key->queryid);
	sqlite3_bind_int64(st, 2, key->userid);
	sqlite3_bind_int64(st, 3, key->dbid);
	sqlite3_bind_int(st, 4, key->toplevel);
	sqlite3_bind_int64(st, 5, from);
	sqlite3_bind_int64(st, 6, to);
	/* Each changed row: the time spent since the one before it. */
	while (sqlite3_step(st) == SQLITE_ROW) {
		ts = sqlite3_column_int64(st, 0);
		ms = sqlite3_column_double(st, 1);
		if (have && ms >= pms && ts > pts) {
			b = (int)(((double)ts - (double)from) * nb /
			    ((double)to - (double)from + 1));
			if (b >= 0 && b < nb)
				sum[b] += ms - pms;
		}
		have = 1;
		pts = ts;
		pms = ms;
	}
	sqlite3_finalize(st);
	for (i = 0; i < nb; i++)
		out[i] = sum[i] / (((double)to - (double)from) / nb);
	free(sum);
	return 0;
}

size_t
history_ash(struct history *h, int kind, int64_t from, int64_t to, int limit,
    struct history_ash **out)
{
	sqlite3_stmt	*st;
	size_t		 n = 0;
	char		*sql;
	int64_t		 a = 0, b = 0;
	long		 i, j;

	*out = NULL;
	if (h->nsamples == 0 || limit <= 0)
		return 0;
	i = history_index_at(h, from - 1) + 1;
	j = history_index_at(h, to);
	if (j < i)
		return 0;
	a = h->samples[i].id;
	b = h->samples[j].id;
	/* Each span counts the samples it covers inside [a, b]. */
	sql = xstrfmt("SELECT %s AS what, sum(min(coalesce(s.until, %lld),"
	    " %lld) - max(s.first, %lld)) AS n FROM session s"
	    " JOIN text st ON st.id = s.state AND st.body = 'active'"
	    " LEFT JOIN text wt ON wt.id = s.wait_type"
	    " LEFT JOIN text we ON we.id = s.wait_event"
	    " LEFT JOIN text q ON q.id = s.query"
	    " WHERE s.first <= %lld AND coalesce(s.until, %lld) > %lld"
	    " GROUP BY what ORDER BY n DESC LIMIT %d",
	    kind == ASH_WAITS ? "coalesce(wt.body || ':' || we.body, 'CPU')" :
	    "coalesce(q.body, '?')", (long long)b + 1, (long long)b + 1,
	    (long long)a, (long long)b, (long long)b + 1, (long long)a, limit);
	if (sqlite3_prepare_v2(h->db, sql, -1, &st, NULL) != SQLITE_OK) {
		free(sql);
		return 0;
	}
	free(sql);
	*out = xcalloc((size_t)limit, sizeof **out);
	while (sqlite3_step(st) == SQLITE_ROW && n < (size_t)limit) {
		(*out)[n].what = dup_col(st, 0);
		if ((*out)[n].what == NULL)
			(*out)[n].what = xstrdup("?");
		(*out)[n].samples = sqlite3_column_int64(st, 1);
		n++;
	}
	sqlite3_finalize(st);
	return n;
}

void
history_ash_free(struct history_ash *a, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(a[i].what);
	free(a);
}

static void
fmt_ts(char *buf, size_t size, int64_t ms)
{
	time_t		t = (time_t)(ms / 1000);
	struct tm	tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

int
history_summary(struct history *h, FILE *out, char **cause)
{
	struct snapshot		*first, *last;
	struct stmt_index	 ix;
	const struct stmt	*p;
	sqlite3_stmt		*st;
	size_t			 i, j, *order;
	double			*ms, total = 0;
	char			 t1[40], t2[40], d[32];
	int64_t			 worst_n = 0, worst_id = 0, ep_start = 0;
	int64_t			 worst_start = 0, worst_end = 0, prev_ts = 0;

	*cause = NULL;
	if (h->nsamples == 0) {
		*cause = xstrfmt("%s: no samples", h->path);
		return -1;
	}
	if ((first = load_one(h, h->samples[0].id, 1, cause)) == NULL)
		return -1;
	if ((last = load_one(h, h->samples[h->nsamples - 1].id, 1,
	    cause)) == NULL) {
		snapshot_unref(first);
		return -1;
	}
	fmt_ts(t1, sizeof t1, h->samples[0].ts);
	fmt_ts(t2, sizeof t2, h->samples[h->nsamples - 1].ts);
	fmt_duration(d, sizeof d, ((double)h->samples[h->nsamples - 1].ts -
	    (double)h->samples[0].ts) / 1000.0);
	fprintf(out, "file:     %s\n", h->path);
	fprintf(out, "server:   %s (PostgreSQL %s)\n",
	    last->source ? last->source : "?",
	    last->vitals.version ? last->vitals.version : "?");
	fprintf(out, "span:     %s .. %s (%s)\n", t1, t2, d);
	fprintf(out, "samples:  %zu\n", h->nsamples);

	/* Top statements by execution time between the ends. */
	stmt_index_build(&ix, first->stmts, first->nstmts);
	ms = xcalloc(last->nstmts + 1, sizeof *ms);
	order = xcalloc(last->nstmts + 1, sizeof *order);
	for (i = 0; i < last->nstmts; i++) {
		p = stmt_index_find(&ix, &last->stmts[i]);
		ms[i] = last->stmts[i].exec_ms;
		if (p != NULL && p->exec_ms <= ms[i] && p->calls <= last->stmts[i].calls)
			ms[i] -= p->exec_ms;
		total += ms[i];
		order[i] = i;
	}
	stmt_index_free(&ix);
	for (i = 1; i < last->nstmts; i++) {	/* insertion sort, top first */
		size_t k = order[i];

		for (j = i; j > 0 && ms[order[j - 1]] < ms[k]; j--)
			order[j] = order[j - 1];
		order[j] = k;
	}
	fprintf(out, "top statements by execution time:\n");
	for (i = 0; i < last->nstmts && i < 10 && ms[order[i]] > 0; i++) {
		const struct stmt	*x = &last->stmts[order[i]];
		char			 q[81];
		size_t			 k;

		snprintf(q, sizeof q, "%s", x->query ? x->query : "?");
		for (k = 0; q[k] != '\0'; k++) {
			if (q[k] == '\n' || q[k] == '\t' || q[k] == '\r')
				q[k] = ' ';
		}
		fprintf(out, "  %10.1f ms %5.1f%%  %s\n", ms[order[i]],
		    total > 0 ? 100 * ms[order[i]] / total : 0.0, q);
	}
	if (i == 0)
		fprintf(out, "  (none)\n");
	free(ms);
	free(order);
	snapshot_unref(first);
	snapshot_unref(last);

	/* The worst blocking episode: most sessions waiting on a lock. */
	if (sqlite3_prepare_v2(h->db, "SELECT id, ts, nlockwait FROM sample"
	    " ORDER BY id", -1, &st, NULL) == SQLITE_OK) {
		int64_t	cur_max = 0, cur_id = 0;

		while (sqlite3_step(st) == SQLITE_ROW) {
			int64_t	id = sqlite3_column_int64(st, 0);
			int64_t	ts = sqlite3_column_int64(st, 1);
			int64_t	n = sqlite3_column_int64(st, 2);

			if (n > 0 && ep_start == 0) {
				ep_start = ts;
				cur_max = 0;
			}
			if (n > cur_max) {
				cur_max = n;
				cur_id = id;
			}
			if (n == 0 && ep_start != 0) {
				if (cur_max > worst_n) {
					worst_n = cur_max;
					worst_id = cur_id;
					worst_start = ep_start;
					worst_end = prev_ts;
				}
				ep_start = 0;
			}
			prev_ts = ts;
		}
		if (ep_start != 0 && cur_max > worst_n) {
			worst_n = cur_max;
			worst_id = cur_id;
			worst_start = ep_start;
			worst_end = prev_ts;
		}
		sqlite3_finalize(st);
	}
	if (worst_n == 0)
		fprintf(out, "worst blocking episode: none\n");
	else {
		struct snapshot	*w;
		int		 root = 0;

		fmt_ts(t1, sizeof t1, worst_start);
		fmt_duration(d, sizeof d, ((double)worst_end -
		    (double)worst_start) / 1000.0);
		if ((w = load_one(h, worst_id, 0, cause)) != NULL) {
			/* A root: a blocker that waits on nobody. */
			for (i = 0; i < w->nsessions && root == 0; i++) {
				for (j = 0; j < (size_t)w->sessions[i].nblockers; j++) {
					const struct session *b = snapshot_find(w,
					    w->sessions[i].blockers[j]);

					if (b != NULL && b->nblockers == 0) {
						root = b->pid;
						break;
					}
				}
			}
			snapshot_unref(w);
		}
		free(*cause);
		*cause = NULL;
		fprintf(out, "worst blocking episode: %lld sessions waiting on"
		    " locks, from %s for %s", (long long)worst_n, t1, d);
		if (root != 0)
			fprintf(out, ", root blocker pid %d", root);
		fprintf(out, "\n");
	}
	return ferror(out) ? -1 : 0;
}
