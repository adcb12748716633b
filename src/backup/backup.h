/*
 * backup.h - what pgBackRest, WAL-G and Barman say about their backups,
 * and what it means for recovery.
 *
 * The Backups pane runs the tools and hands their stdout here; nothing in
 * src/backup/ runs a command, talks to a server or draws.  Each parser
 * ADDS to a struct bk_report: several commands of one tool (Barman
 * list-backups + check + status, WAL-G backup-list + wal-verify) merge
 * into one struct bk_repo found by tool and name, each command replacing
 * only the part it describes.  A parser either adds (or merges) the whole
 * of what it parsed or changes nothing: on failure the report is as it
 * was and '*err' is a malloc'd one-line message naming the tool, the
 * command and where ("pgbackrest info: line 3, column 12: unexpected end
 * of input", "pgbackrest info: [0].backup[2].timestamp.start: expected a
 * number, found a string").
 *
 * bk_analyse() derives what a DBA reads from one repo: the last good
 * backup of each type, the point-in-time-recovery window, retention, size
 * trend, gaps and broken reference chains.  It is a pure function of the
 * repo and the options (the clock is passed in).
 *
 * A report owns all of its memory; strings are NUL-terminated copies.
 */
#ifndef PGDECK_BACKUP_H
#define PGDECK_BACKUP_H

#include <stddef.h>
#include <stdint.h>

/* Past this much output a parser refuses, rather than allocate. */
#define BK_MAX_INPUT		(64u << 20)
/* PostgreSQL's default WAL segment size; what to pass when unknown. */
#define BK_WAL_SEG_SIZE		(16u << 20)
/* An index into bk_repo.backups that is not there. */
#define BK_NONE			((size_t)-1)

enum bk_tool { BK_PGBACKREST, BK_WALG, BK_BARMAN };
#define BK_NTOOLS	3

/*
 * WAL-G delta backups are BK_INCR (their base may itself be a delta);
 * Barman backups are full unless they name a parent (3.11 block-level
 * incremental backups).
 */
enum bk_type { BK_FULL, BK_DIFF, BK_INCR, BK_TYPE_UNKNOWN };
#define BK_NTYPES	4

struct bk_backup {
	char		*label;		/* "20240101-120000F", "base_0000...",
					   Barman backup_id */
	enum bk_type	 type;
	char		*prior;		/* the backup this one builds on, NULL
					   for a full */
	char		**refs;		/* pgBackRest: every backup whose files
					   it uses (reference list), or NULL */
	size_t		 nrefs;
	double		 start;		/* epoch seconds, NAN unknown */
	double		 stop;		/* epoch seconds, NAN unknown */
	int64_t		 db_size;	/* database size restored, -1 unknown */
	int64_t		 delta_size;	/* bytes this backup copied, -1 unknown */
	int64_t		 repo_size;	/* bytes in the repository (compressed),
					   -1 unknown */
	int64_t		 repo_delta;	/* of which new in this backup, -1 */
	int64_t		 wal_size;	/* Barman: WAL kept for it, -1 unknown */
	char		*wal_start;	/* first WAL segment needed, NULL unknown */
	char		*wal_stop;	/* last WAL segment needed, NULL unknown */
	uint64_t	 lsn_start;	/* 0 unknown */
	uint64_t	 lsn_stop;	/* 0 unknown */
	uint32_t	 timeline;	/* 0 unknown */
	int		 error;		/* the tool says this backup is not good */
	int		 incomplete;	/* running, or waiting for its WAL (Barman
					   STARTED, WAITING_FOR_WALS): not
					   restorable yet, not failed */
	char		*error_msg;	/* why, or NULL */
	char		*status;	/* the tool's own word: Barman "DONE",
					   "FAILED"; NULL when it has none */
	char		*database;	/* pgBackRest db id ("1"), WAL-G data_dir,
					   Barman server; NULL unknown */
	char		*host;		/* WAL-G hostname, NULL unknown */
	char		*pg_version;	/* "16", "150015"; NULL unknown */
	char		*annotation;	/* pgBackRest annotations "k=v, ..." */
	int		 permanent;	/* WAL-G is_permanent, Barman keep:
					   never expired */
};

/* One line of Barman check, WAL-G wal-verify, a pgBackRest repo status. */
struct bk_check {
	char		*name;		/* "PostgreSQL", "integrity", "repo1" */
	int		 ok;		/* 1 ok, 0 failed */
	char		*detail;	/* hint or message, NULL if none */
};

/* A key and its value as the tool printed them (Barman status). */
struct bk_prop {
	char		*key;		/* "description", "last_archived_wal" */
	char		*label;		/* what the tool calls it, or NULL */
	char		*value;
};

/* pgBackRest: the archive of one database (system) in the stanza. */
struct bk_archive {
	char		*id;		/* "16-1" */
	char		*min;		/* oldest WAL segment kept, NULL none */
	char		*max;		/* newest WAL segment kept, NULL none */
};

struct bk_repo {
	enum bk_tool	 tool;
	char		*name;		/* stanza, Barman server, "wal-g" */
	int		 ok;		/* 1 ok, 0 not, -1 not known yet */
	int		 status_code;	/* pgBackRest stanza status (below),
					   -1 otherwise */
	char		*status_msg;	/* "ok", "no valid backups", NULL */
	int		 lock_held;	/* pgBackRest: a backup/expire runs */
	char		*cipher;	/* "none", "aes-256-cbc"; NULL unknown */
	char		*pg_version;	/* of the current database, or NULL */
	uint64_t	 system_id;	/* 0 unknown */

	/* The newest archive's span: the one of the current database. */
	char		*archive_min;
	char		*archive_max;
	struct bk_archive *archives;	/* pgBackRest: one per db history id */
	size_t		 narchives;

	struct bk_backup *backups;	/* oldest first (by start, then label) */
	size_t		 nbackups;
	struct bk_check	*checks;	/* pgBackRest repos, Barman check,
					   WAL-G wal-verify */
	size_t		 nchecks;
	struct bk_prop	*props;		/* Barman status, other odd facts */
	size_t		 nprops;
	unsigned	 have;		/* BK_HAVE_* bits: which commands merged */
};

/* pgBackRest stanza status codes (status.code). */
enum {
	BK_PGBR_OK = 0,
	BK_PGBR_MISSING_STANZA_PATH = 1,
	BK_PGBR_NO_BACKUP = 2,
	BK_PGBR_MISSING_STANZA_DATA = 3,
	BK_PGBR_MIXED_CIPHER = 4,
	BK_PGBR_LOCKED = 5,		/* backup/expire running */
	BK_PGBR_LOCKED_NO_BACKUP = 6,	/* same, and no valid backups */
	BK_PGBR_OTHER = 99,
};

/* bk_repo.have: the commands whose output the repo holds. */
enum {
	BK_HAVE_INFO = 0x01,		/* pgbackrest info */
	BK_HAVE_BACKUPS = 0x02,		/* walg backup-list, barman list-backups */
	BK_HAVE_VERIFY = 0x04,		/* walg wal-verify */
	BK_HAVE_CHECK = 0x08,		/* barman check */
	BK_HAVE_STATUS = 0x10,		/* barman status */
};

struct bk_report {
	struct bk_repo	*repos;
	size_t		 nrepos;
};

void	 bk_report_init(struct bk_report *);
/* Free every repo; the report is empty and reusable afterwards. */
void	 bk_report_release(struct bk_report *);
/* The repo of 'tool' named 'name' (borrowed), or NULL. */
struct bk_repo *bk_report_find(const struct bk_report *, enum bk_tool,
	    const char *name);

/*
 * The parsers.  Each returns 0, or -1 with '*err' set (caller frees) and
 * the report unchanged.  'text' need not be NUL-terminated.
 */
/* pgbackrest info --output=json [--set=LABEL]: one repo per stanza. */
int	 bk_parse_pgbackrest_info(struct bk_report *, const char *text,
	    size_t len, char **err);
/* wal-g backup-list --detail --json (or without --detail). */
int	 bk_parse_walg_backup_list(struct bk_report *, const char *text,
	    size_t len, char **err);
/* wal-g wal-verify integrity timeline --json. */
int	 bk_parse_walg_wal_verify(struct bk_report *, const char *text,
	    size_t len, char **err);
/* barman -f json list-backups SERVER (or all). */
int	 bk_parse_barman_list_backups(struct bk_report *, const char *text,
	    size_t len, char **err);
/* barman -f json check SERVER */
int	 bk_parse_barman_check(struct bk_report *, const char *text,
	    size_t len, char **err);
/* barman -f json status SERVER */
int	 bk_parse_barman_status(struct bk_report *, const char *text,
	    size_t len, char **err);
/*
 * Dispatch on 'what': "info" (pgBackRest), "backup-list" and
 * "wal-verify" (WAL-G), "list-backups", "check" and "status" (Barman).
 * An unknown pair fails with a message.
 */
int	 bk_parse(struct bk_report *, enum bk_tool, const char *what,
	    const char *text, size_t len, char **err);

/* "pgbackrest", "wal-g", "barman". */
const char *bk_tool_name(enum bk_tool);
/* "full", "diff", "incr", "?". */
const char *bk_type_name(enum bk_type);

/*
 * WAL segment names: 24 hex digits TTTTTTTTXXXXXXXXYYYYYYYY, where the
 * segment number is X * (0x100000000 / seg_size) + Y.  'seg_size' is a
 * power of two from 1 MB to 1 GB (BK_WAL_SEG_SIZE when unknown).  Parse
 * returns -1 for anything else (or Y out of range for the size).
 */
int	 bk_walname_parse(const char *name, uint64_t seg_size, uint32_t *tli,
	    uint64_t *segno);
/* Write the 24-character name and a NUL into 'buf' (at least 25 bytes). */
void	 bk_walname_format(char *buf, size_t size, uint32_t tli,
	    uint64_t segno, uint64_t seg_size);
/* "16/B374D848" to an LSN; -1 if not one. */
int	 bk_lsn_parse(const char *s, uint64_t *lsn);

/* Options of bk_analyse(); bk_analyse_opts_init() sets the defaults. */
struct bk_analyse_opts {
	double		 now;		/* epoch seconds */
	double		 archive_time;	/* when archive_max was archived
					   (pg_stat_archiver), NAN unknown */
	const char	*current_wal;	/* the server's current segment, or
					   NULL */
	uint64_t	 seg_size;	/* BK_WAL_SEG_SIZE */
	double		 trend_pct;	/* flag a size change above, 20 */
	double		 gap_factor;	/* a gap: interval > factor x usual, 2 */
};
void	 bk_analyse_opts_init(struct bk_analyse_opts *, double now);

/* Where the PITR window ends (bk_analysis.pitr_end_from). */
enum bk_pitr_end {
	BK_PITR_NONE,		/* no restorable backup: no window */
	BK_PITR_ARCHIVED,	/* archive_time: the archive's newest WAL */
	BK_PITR_NOW,		/* the archive covers the newest backup and
				   its time is unknown: now, less the archive
				   lag the pane shows beside it */
	BK_PITR_BACKUP,		/* no archive span known: only up to the
				   newest backup's stop */
};

/* What bk_analyse() says of one backup (same index as repo->backups). */
struct bk_binfo {
	int		 restorable;	/* good, and its references are too */
	const char	*why;		/* static text when not: "failed",
					   "prior missing", "prior not
					   restorable", "prior newer" */
	double		 size_change;	/* vs the previous restorable backup of
					   its type: +0.25 = a quarter larger;
					   NAN none.  A full compares database
					   sizes, a diff or incr what it copied
					   (else the repository sizes) */
	int		 size_flag;	/* +1 grew, -1 shrank past trend_pct */
	double		 interval;	/* since the previous good backup's
					   start, NAN for the first */
	int		 gap;		/* interval > gap_factor x usual */
};

struct bk_analysis {
	struct bk_binfo	*b;		/* nb entries, owned */
	size_t		 nb;
	size_t		 last[BK_NTYPES];	/* newest restorable of each type */
	size_t		 last_any;		/* newest restorable, BK_NONE */
	double		 last_age;	/* now - its stop (or start), NAN */
	int		 overdue;	/* last_age > gap_factor x usual */
	size_t		 count[BK_NTYPES];	/* restorable, per type */
	size_t		 oldest[BK_NTYPES];	/* oldest restorable of each */
	size_t		 nrestorable;
	size_t		 nfailed;	/* the tool says failed */
	size_t		 nbroken;	/* good but a reference is not */
	double		 pitr_start;	/* oldest restorable's stop; NAN none */
	double		 pitr_end;	/* see enum bk_pitr_end; NAN none */
	enum bk_pitr_end pitr_end_from;
	double		 usual_interval;	/* median between good backups,
						   NAN with fewer than 3 */
	size_t		 ngaps;
	size_t		 ntrends;	/* backups with size_flag != 0 */
	size_t		 nchecks_failed;
	int64_t		 archive_lag;	/* segments from archive_max to
					   current_wal, -1 unknown */
};

/*
 * Analyse 'repo' into 'a' (which the caller releases).  The repo is not
 * changed and may be freed afterwards; 'a' refers to backups by index.
 */
void	 bk_analyse(const struct bk_repo *repo,
	    const struct bk_analyse_opts *opts, struct bk_analysis *a);
void	 bk_analysis_release(struct bk_analysis *a);

#endif
