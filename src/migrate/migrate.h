/*
 * migrate.h - migration files as steps: the lock each statement takes on
 * which relation, whether it rewrites or scans, how long it will take on
 * this server, what it blocks, and the findings with their safe rewrite.
 *
 * A mig_set is built in three passes:
 *   mig_load()     files and folders (plain SQL, Flyway, sqitch, up/down
 *                  pairs) read, ordered, psql meta-commands and COPY data
 *                  cut out, statements split and parsed by libpg_query;
 *   mig_analyze()  every statement against the lock table (locks.c) and
 *                  a catalog (the server's, a schema file's, or what the
 *                  set itself creates), then the rules (rules.c);
 *   mig_estimate() durations from the catalog's sizes and the rates.
 * Nothing here talks to a server; catalog.c and dryrun.c do, blocking,
 * each query under statement_timeout.
 */
#ifndef PGDECK_MIGRATE_H
#define PGDECK_MIGRATE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <libpq-fe.h>

#define MIG_MAX_FILE	(64u << 20)	/* bytes per file */
#define MIG_MAX_FILES	100000

/* Table-level lock modes, weakest first, as pg_locks names them. */
enum mig_lock {
	MIG_LOCK_NONE,
	MIG_LOCK_ACCESS_SHARE,
	MIG_LOCK_ROW_SHARE,
	MIG_LOCK_ROW_EXCLUSIVE,
	MIG_LOCK_SHARE_UPDATE_EXCLUSIVE,
	MIG_LOCK_SHARE,
	MIG_LOCK_SHARE_ROW_EXCLUSIVE,
	MIG_LOCK_EXCLUSIVE,
	MIG_LOCK_ACCESS_EXCLUSIVE,
	MIG_NLOCKS
};

/* What a lock stops other sessions doing while it is held. */
enum mig_block {
	MIG_BLOCK_NOTHING,	/* reads and writes go on */
	MIG_BLOCK_WRITES,	/* INSERT/UPDATE/DELETE wait */
	MIG_BLOCK_ALL,		/* SELECT waits too */
};

const char	*mig_lock_name(enum mig_lock l);	/* "AccessExclusiveLock" */
const char	*mig_lock_short(enum mig_lock l);	/* "ACCESS EXCLUSIVE" */
enum mig_lock	 mig_lock_parse(const char *pg_locks_mode);	/* NONE if unknown */
int		 mig_lock_conflicts(enum mig_lock a, enum mig_lock b);
enum mig_block	 mig_lock_blocks(enum mig_lock l);
const char	*mig_block_name(enum mig_block b);	/* "reads+writes" */

enum mig_objkind {
	MIG_OBJ_TABLE,		/* tables, partitioned tables, matviews */
	MIG_OBJ_INDEX,
	MIG_OBJ_TYPE,		/* enums, domains */
	MIG_OBJ_SEQUENCE,
	MIG_OBJ_VIEW,
	MIG_OBJ_OTHER,
};

/* mig_target.flags */
enum {
	MIG_REWRITE = 0x01,	/* heap rewritten, every index rebuilt */
	MIG_SCAN = 0x02,	/* read in full (validation) under the lock */
	MIG_BUILD = 0x04,	/* an index is built from it */
	MIG_NEW = 0x08,		/* created earlier in this set: empty */
	MIG_FK_PARENT = 0x10,	/* referenced side of a foreign key */
	MIG_WRITE = 0x20,	/* rows written (DML) */
	MIG_ROWS_PLANNED = 0x40,/* rows: the planner's estimate (EXPLAIN) */
};

/* One relation (or type) a statement locks. */
struct mig_target {
	char		*schema;	/* NULL when the statement left it out */
	char		*name;
	enum mig_objkind kind;
	enum mig_lock	 lock;
	unsigned	 flags;
	/* From the catalog when it knows the relation; < 0 unknown. */
	double		 heap_bytes, index_bytes, rows;
	int		 nindexes;
};

/* The work a step does, which sets how its duration is estimated. */
enum mig_class {
	MIG_CLASS_NONE,		/* no relation work (SET, BEGIN, SELECT) */
	MIG_CLASS_METADATA,	/* catalog only: milliseconds */
	MIG_CLASS_SCAN,		/* a validating read of the table */
	MIG_CLASS_FK,		/* foreign key validation: both tables */
	MIG_CLASS_INDEX,	/* index build: read + sort + write */
	MIG_CLASS_REWRITE,	/* heap rewritten and indexes rebuilt */
	MIG_CLASS_DML,		/* rows updated, inserted or deleted */
	MIG_NCLASSES
};
const char	*mig_class_name(enum mig_class c);

/* mig_stmt.flags */
enum {
	MIG_NO_TX = 0x01,	/* cannot run inside a transaction block */
	MIG_IN_TX = 0x02,	/* runs inside a transaction block */
	MIG_TX_CONTROL = 0x04,	/* BEGIN, COMMIT, ROLLBACK, SAVEPOINT... */
	MIG_SETS_LOCK_TIMEOUT = 0x08,
	MIG_ROLLBACK_FILE = 0x10, /* from an undo/revert/down file */
	MIG_PARSE_ERROR = 0x20,	/* not parsed: sql holds the text */
	MIG_CONCURRENT = 0x40,	/* a CONCURRENTLY variant */
};

enum mig_sev { MIG_INFO, MIG_WARN, MIG_DANGER };
const char	*mig_sev_name(enum mig_sev s);		/* "danger" */

struct mig_finding {
	const char	*rule;		/* "index-not-concurrent" */
	enum mig_sev	 sev;
	int		 stmt;		/* index in set->stmts */
	char		*message;	/* one line: what and why */
	char		*fix;		/* the safe way, SQL or prose; may be NULL */
	int		 suppressed;	/* by "-- pgdeck:ignore RULE" */
};

struct mig_stmt {
	int		 file;		/* index in set->files */
	size_t		 span;		/* offset of the span, leading comments included */
	size_t		 off, len;	/* the statement proper, in the file's text */
	int		 line, col;	/* of its first token, 1-based */
	int		 end_line;
	char		*sql;		/* the statement, without comments before it */
	const char	*tag;		/* "ALTER TABLE", "CREATE INDEX" ... */
	char		*what;		/* one line: "add column note text" */
	unsigned	 flags;
	int		 tx;		/* transaction number, -1 autocommit */
	struct mig_target *targets;
	int		 ntargets;
	enum mig_lock	 lock;		/* strongest lock taken */
	enum mig_block	 blocks;	/* what that lock blocks */
	enum mig_class	 cls;
	/* Estimate, seconds: est in [lo, hi]; < 0 when nothing is known. */
	double		 est, est_lo, est_hi;
	char		*est_why;	/* "rewrite of 1.2 GB at 180 MB/s + 3 indexes" */
	/* Dry run: what really happened, when it ran. */
	int		 dry_done;	/* 1 traced, -1 could not run */
	double		 dry_s;
	char		*dry_locks;	/* "orders AccessExclusiveLock, ..." */
	char		*dry_error;
	/* Live risk: sessions now holding a lock this step would wait on. */
	char		*risk;
	void		*tree;		/* internal: the parse tree (json_t) */
};

/* How long a relation stays locked: from the statement that takes the
 * lock to the end of its transaction. */
struct mig_window {
	int		 first, last;	/* statements */
	char		*rel;		/* "public.orders" or "orders" */
	enum mig_lock	 lock;		/* strongest held */
	enum mig_block	 blocks;
	double		 s;		/* estimated seconds, < 0 unknown */
};

enum mig_fkind {
	MIG_FILE_PLAIN,
	MIG_FILE_FLYWAY,		/* V<ver>__desc.sql */
	MIG_FILE_FLYWAY_UNDO,		/* U<ver>__desc.sql */
	MIG_FILE_FLYWAY_REPEATABLE,	/* R__desc.sql */
	MIG_FILE_SQITCH_DEPLOY,
	MIG_FILE_SQITCH_REVERT,
	MIG_FILE_SQITCH_VERIFY,
	MIG_FILE_UP,			/* 0001_x.up.sql */
	MIG_FILE_DOWN,			/* 0001_x.down.sql */
};
const char	*mig_fkind_name(enum mig_fkind k);

/* A piece of a file cut out before parsing. */
struct mig_cut {
	int		 line, end_line;
	char		*what;		/* "psql meta-command \set", "COPY data, 12 lines" */
	int		 copy_rows;	/* COPY data ended by \.: its rows; else -1 */
};

struct mig_file {
	char		*path;		/* as given or found */
	char		*name;		/* as shown: relative to the folder given */
	enum mig_fkind	 kind;
	char		*version;	/* Flyway version, sqitch change, number */
	char		*text;		/* contents, NUL-terminated, cuts blanked */
	size_t		 len;
	int		 deploy;	/* runs on deploy (not undo/revert/verify) */
	int		 rollback;	/* index of the file that undoes it, -1 */
	int		 one_tx;	/* the tool runs the whole file in one transaction */
	struct mig_cut	*cuts;
	int		 ncuts;
	int		 first, nstmts;	/* its statements in set->stmts */
	int		 nerrors;
	size_t		*line_starts;	/* internal: offsets of lines 2.. */
	int		 nline_starts;
	int		 has_ignore_file;	/* internal: "pgdeck:ignore-file" in it */
};

/* What is known of the database the migration will run on. */
struct mig_catalog;

/* Rates a duration is estimated from; calibrated per server. */
struct mig_rates {
	double		 seq_bytes_s;	/* sequential read of a heap */
	double		 write_bytes_s;	/* heap rewrite (read + write + WAL) */
	double		 sort_rows_s;	/* index build: rows sorted and written per s */
	double		 dml_rows_s;	/* rows updated per s */
	double		 fk_rows_s;	/* rows checked per s in FK validation */
	double		 meta_s;	/* a catalog-only statement */
	const char	*source;	/* "defaults", "calibrated on this server ..." */
};
void	mig_rates_default(struct mig_rates *r);

struct mig_set {
	struct mig_file	*files;
	int		 nfiles;
	struct mig_stmt	*stmts;		/* files' statements in run order */
	int		 nstmts;
	struct mig_finding *findings;	/* by statement, then rank */
	int		 nfindings;
	char		**errors;	/* one line each: "V2__x.sql:3:17: syntax error ..." */
	int		 nerrors;
	struct mig_window *windows;	/* by first statement */
	int		 nwindows;
	int		 worst;		/* window that blocks most, -1 none */
	int		 ndeploy;	/* statements that run on deploy */
	const char	*origin;	/* "files", or the server's name */
	struct mig_rates rates;
	char		*timezone;	/* server's TimeZone, NULL unknown */
	int		 server_version;/* 150004, 0 unknown */
	/* The oldest open transaction, which a CONCURRENTLY build waits
	 * for; < 0 unknown. */
	double		 oldest_xact_s;
	int		 oldest_xact_pid;
};

/*
 * Load PATHs (files or folders) into a new set.  Unreadable or
 * unparsable input is recorded in set->errors and the rest still loads;
 * returns NULL only when no path could be read at all (*err says why).
 */
struct mig_set	*mig_load(const char *const *paths, int npaths, char **err);
/* The same from a string, for tests and the fuzzer; name is shown. */
struct mig_set	*mig_load_string(const char *name, const char *text, size_t len);
void		 mig_set_free(struct mig_set *set);

/* Catalog: what exists before the migration runs. */
struct mig_catalog *mig_catalog_new(void);
void		 mig_catalog_free(struct mig_catalog *cat);
/* Read CREATE TABLE/INDEX/VIEW/TYPE statements (a pg_dump -s) as what
 * exists already; returns 0, or -1 with *err naming the line. */
int		 mig_catalog_add_sql(struct mig_catalog *cat, const char *name,
		    const char *sql, char **err);
/* Sizes for a relation, from a server or a test. */
void		 mig_catalog_set_size(struct mig_catalog *cat, const char *schema,
		    const char *name, double heap_bytes, double index_bytes,
		    double rows);

/* Analyse every statement; cat may be NULL (files only). */
void		 mig_analyze(struct mig_set *set, struct mig_catalog *cat);
/* Durations from sizes and set->rates. */
void		 mig_estimate(struct mig_set *set, struct mig_catalog *cat);

/* What the runbook's summary and the pane's title line show. */
struct mig_summary {
	double		 total;		/* estimated seconds of the known steps */
	int		 unknown;	/* steps whose size is unknown */
	int		 danger, warn, info, suppressed;	/* findings */
};
void		 mig_summarise(const struct mig_set *set, struct mig_summary *out);
/* "?" unknown, "250ms", else fmt_duration(); sizes "?", "812 kB", "1.2 GB". */
void		 mig_fmt_secs(char *buf, size_t size, double s);
void		 mig_fmt_bytes(char *buf, size_t size, double b);

/* Output for scripts: linter lines and a Markdown runbook.
 * mig_check returns the worst severity found (not suppressed). */
int		 mig_print_check(const struct mig_set *set, FILE *fp);
void		 mig_print_runbook(const struct mig_set *set, FILE *fp);

/*
 * With a server (server.c); blocking, every query under statement_timeout.
 * Each returns 0, or -1 with *err saying why; the set stays usable.
 *   catalog:   sizes, columns, indexes, constraints, dependent views and
 *              partitions of every relation the set names; TimeZone
 *   calibrate: a small sort and a sampled read of the largest table, to
 *              scale set->rates to this server
 *   risk:      sessions now holding locks a step would wait for, and the
 *              oldest open transaction
 *   dry_run:   every step traced in one transaction on a scratch
 *              database (savepoint per step), pg_locks read after each,
 *              always rolled back
 */
int		 mig_server_catalog(PGconn *conn, struct mig_set *set,
		    struct mig_catalog *cat, char **err);
/*
 * What calibration measured on a server; the history file keeps it per
 * server so that later runs need not measure again.  <= 0 not measured.
 */
struct mig_calib {
	double		 sort_ms;	/* the 200,000-row sort, median of 3 */
	double		 read_bytes_s;	/* the sampled read, median of 3 */
	int64_t		 ts;		/* when, Unix seconds */
	int		 cached;	/* came from the history file */
};
/* Measures what 'cal' lacks (the read only when the set touches a table
 * of 8 MB or more), then sets set->rates from it.  Returns 1 when it
 * measured something, 0 when all came from 'cal', -1 with *err. */
int		 mig_server_calibrate(PGconn *conn, struct mig_set *set,
		    struct mig_catalog *cat, struct mig_calib *cal, char **err);
/* Rates from a calibration (no server needed). */
void		 mig_rates_calibrated(struct mig_rates *r,
		    const struct mig_calib *cal);
/* The server's system identifier, or NULL without the right to read it. */
char		*mig_server_id(PGconn *conn);
/* Rows each DML step with an unknown count writes, as the planner
 * expects (EXPLAIN in a read-only transaction; at most MIG_MAX_PLANNED
 * statements).  Between mig_analyze() and mig_estimate(). */
#define MIG_MAX_PLANNED	1000
int		 mig_server_dml_rows(PGconn *conn, struct mig_set *set,
		    char **err);
int		 mig_server_risk(PGconn *conn, struct mig_set *set, char **err);
int		 mig_dry_run(PGconn *conn, struct mig_set *set, char **err);

#endif
