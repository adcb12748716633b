/*
 * wal.h - the server's side of recoverability: WAL archiving, the RPO
 * now, standbys and replication slots.
 *
 * The collector reads these every few seconds (WAL_PROBE_MS) with
 * wal_probe_sql(), a batch of three statements, and parses the three
 * results into a 'struct walinfo'.  A walinfo is immutable once built
 * and shared by reference among the snapshots taken until the next
 * probe; the history file keeps it as JSON (wal_to_json()) so replay
 * sees the same thing.  Times are epoch seconds (NAN unknown), sizes and
 * LSNs bytes (-1 unknown): absolute values, so that ages are taken
 * against the time of the snapshot that draws them, not of the probe.
 */
#ifndef PGDECK_WAL_H
#define PGDECK_WAL_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#define WAL_PROBE_MS	5000

struct strbuf;

struct wal_standby {
	char		*name;		/* application_name */
	char		*client;	/* client_addr, or NULL (local) */
	char		*state;		/* streaming, catchup, ... */
	char		*sync_state;	/* async, sync, potential, quorum */
	int		 pid;
	int64_t		 sent_bytes;	/* behind the primary's position, */
	int64_t		 write_bytes;	/* -1 unknown (no privilege) */
	int64_t		 flush_bytes;
	int64_t		 replay_bytes;
	double		 write_lag;	/* s, NAN: none reported (idle) */
	double		 flush_lag;
	double		 replay_lag;
	double		 reply_time;	/* epoch s */
};

struct wal_slot {
	char		*name;
	char		*type;		/* physical, logical */
	char		*database;	/* logical slots */
	char		*wal_status;	/* reserved, extended, unreserved, lost */
	int		 active;
	int		 active_pid;	/* 0 */
	int		 temporary;
	int64_t		 retained;	/* WAL kept for it, bytes; -1 */
	int64_t		 safe_wal_size;	/* bytes before it is lost; -1 none */
	int64_t		 xmin_age;	/* age of xmin/catalog_xmin; -1 */
};

struct walinfo {
	int		 refs;
	double		 at;		/* server's now() at the probe */
	int		 version_num;
	int		 in_recovery;

	/* Settings. */
	char		*archive_mode;	/* off, on, always */
	char		*archive_command;	/* or "(library NAME)"; "" none */
	int		 archive_timeout;	/* s, 0 off */
	int64_t		 seg_size;	/* wal_segment_size, bytes */
	int64_t		 max_slot_keep;	/* max_slot_wal_keep_size, bytes; -1 */

	/* Position: the insert LSN on a primary, received on a standby. */
	int64_t		 lsn;
	char		*walfile;	/* its segment (primary only) */
	int64_t		 replay_lsn;	/* standby */
	double		 replay_time;	/* last replayed commit, standby */

	/* pg_stat_archiver. */
	int64_t		 archived_count, failed_count;
	char		*last_archived_wal, *last_failed_wal;
	double		 last_archived_time, last_failed_time;
	double		 archiver_reset;

	/* The .ready backlog (pg_ls_archive_statusdir()); -1 unknown. */
	int64_t		 ready_count;
	char		*ready_oldest_wal;
	double		 ready_oldest_time;	/* its mtime */

	struct wal_standby *standbys;
	size_t		 nstandbys;
	struct wal_slot	*slots;
	size_t		 nslots;

	/* What the role may not see, or NULL: "grant pg_monitor to x". */
	char		*hint;
};

/*
 * Append the probe for 'version_num': three statements (server and
 * archiver, standbys, slots).  'can_ls_status' is whether the role may
 * call pg_ls_archive_statusdir() (it is an error otherwise).
 */
void		 wal_probe_sql(struct strbuf *sb, int version_num,
		    int can_ls_status);
/*
 * Parse the three results into a new walinfo (one reference), or NULL
 * with a malloc'd '*cause'.  'user' names the role for the hint.
 */
struct walinfo	*wal_parse(PGresult *main, PGresult *standbys,
		    PGresult *slots, int can_ls_status, const char *user,
		    char **cause);

struct walinfo	*wal_ref(struct walinfo *w);
void		 wal_unref(struct walinfo *w);

/* JSON for the history file (malloc'd), and back; NULL + '*cause'. */
char		*wal_to_json(const struct walinfo *w);
struct walinfo	*wal_from_json(const char *text, size_t len, char **cause);

/*
 * The timeline and segment number of a WAL file name (its first 24
 * characters, so "...0004.00000028.backup" is segment 4).  Returns 0,
 * or -1 if it does not start with a segment name.
 */
int		 wal_segno(const char *name, int64_t seg_size, uint32_t *tli,
		    uint64_t *segno);

/* What the server side says about recoverability now. */
enum { WAL_OK, WAL_WARN, WAL_BAD, WAL_UNKNOWN };

struct wal_rpo {
	int		 bounded;	/* 0: grows without limit when idle */
	double		 seconds;	/* data at risk, by age; NAN */
	int64_t		 bytes;		/* by size; -1 */
	const char	*basis;		/* how it was worked out */
};

struct wal_archiving {
	int		 level;		/* WAL_OK .. WAL_UNKNOWN */
	int		 enabled;	/* archive_mode on/always + a command */
	int		 failing;	/* last failure newer than last success */
	int64_t		 segments_behind;	/* current - last archived; -1 */
	char		 why[200];	/* one line for the status */
};

/* Archiving as the server sees it, at time 'now' (epoch s). */
void		 wal_archiving(const struct walinfo *w, double now,
		    struct wal_archiving *out);
/* How much committed data a loss of the server now would lose. */
void		 wal_rpo(const struct walinfo *w, double now,
		    struct wal_rpo *out);

#endif
