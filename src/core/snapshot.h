/*
 * snapshot.h - one immutable sample of the server, shared by reference.
 *
 * The collector builds a snapshot, publishes it to the sinks, and never
 * touches it again.  Every string in it lives in the snapshot's arena and
 * dies with the last reference.  Panes keep the last snapshot they drew.
 */
#ifndef PGDECK_SNAPSHOT_H
#define PGDECK_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

struct session {
	int		 pid;
	int		 leader_pid;	/* parallel group leader, 0 if none */
	const char	*datname;	/* these strings may be NULL */
	const char	*usename;
	const char	*application_name;
	const char	*client;	/* address, "local", or NULL */
	const char	*backend_type;
	const char	*state;
	const char	*wait_event_type;
	const char	*wait_event;
	const char	*query;
	int64_t		 query_id;	/* 0 when unknown */
	double		 backend_age;	/* seconds; NAN when null */
	double		 xact_age;
	double		 query_age;
	double		 state_age;
	int64_t		 xmin_age;	/* age(backend_xmin), -1 if none */
	int		*blockers;	/* pg_blocking_pids(), only for Lock waits */
	int		 nblockers;
	const char	*lock_mode;	/* the lock it waits for, or NULL */
	const char	*lock_type;
	const char	*lock_target;	/* relation name, or NULL */
	double		 lock_wait;	/* seconds since waitstart; NAN */
};

struct vitals {
	int		 version_num;	/* server_version_num */
	const char	*version;	/* server_version */
	int		 in_recovery;
	int64_t		 xacts;		/* commits + rollbacks, all databases */
	int64_t		 blks_hit;
	int64_t		 blks_read;
	int		 max_connections;
	int		 reserved_connections;	/* superuser + reserved */
	int		 nstandbys;
	double		 repl_lag;	/* worst standby replay lag, s; NAN */
	int64_t		 repl_lag_bytes;	/* worst, -1 if unknown */
	int64_t		 slot_xmin_age;	/* oldest replication slot xmin, -1 */
	int64_t		 prepared_xmin_age;	/* oldest prepared xact, -1 */
	double		 server_now;	/* epoch seconds on the server */

	/* Derived against the previous sample (NAN on the first one). */
	double		 interval;	/* seconds since the previous sample */
	double		 tps;
	double		 hit_ratio;	/* 0..1 over the interval */
	double		 query_ms;	/* pgdeck's own refresh round trip */
};

/* One pg_stat_statements entry, keyed by (userid, dbid, toplevel, queryid). */
struct stmt {
	int64_t		 queryid;
	uint32_t	 userid;
	uint32_t	 dbid;
	int		 toplevel;
	const char	*user;		/* role and database names; may be NULL */
	const char	*datname;
	const char	*query;		/* shared text (qtexts), NULL if unknown */
	int64_t		 calls, plans, rows;
	double		 exec_ms, plan_ms, io_ms;
	int64_t		 blks_hit, blks_read, blks_dirtied;
	int64_t		 temp_read, temp_written;
	int64_t		 wal_bytes;

	/* Against an earlier sample (stmts_derive()). */
	int		 change;	/* STMT_SAME, STMT_NEW, STMT_RESET */
	int		 have_delta;	/* the d_ fields are valid */
	double		 d_calls, d_exec_ms, d_plan_ms, d_rows, d_io_ms;
	double		 d_hit, d_read, d_temp, d_wal;
};

enum { STMT_SAME, STMT_NEW, STMT_RESET };

/* The state of pg_stat_statements as a whole in one sample. */
struct stmt_info {
	int		 status;	/* STMTS_OK, or why there are none */
	const char	*hint;		/* a partial view's fix, or NULL */
	int64_t		 dealloc;	/* pg_stat_statements_info; -1 */
	double		 stats_reset;	/* epoch seconds; NAN */
	/* Against an earlier sample. */
	int64_t		 evicted;	/* growth of dealloc; 0 */
	int		 reset;		/* stats_reset changed */
	double		 interval;	/* seconds between the two; NAN */
	double		 d_exec_ms;	/* all statements' exec time */
};

enum {
	STMTS_UNKNOWN,		/* not probed yet */
	STMTS_OK,
	STMTS_MISSING,		/* extension not created */
	STMTS_NOT_LOADED,	/* not in shared_preload_libraries */
	STMTS_OLD_SERVER,
	STMTS_ERROR,
};

/* Query texts by queryid, shared by the snapshots that use them. */
struct qtexts;
struct qtexts	*qtexts_new(void);
struct qtexts	*qtexts_ref(struct qtexts *q);
void		 qtexts_unref(struct qtexts *q);
/* The text for 'queryid', or NULL. */
const char	*qtexts_get(const struct qtexts *q, int64_t queryid);
/* Remember 'text' for 'queryid' (first one wins); returns the copy. */
const char	*qtexts_put(struct qtexts *q, int64_t queryid, const char *text);
size_t		 qtexts_count(const struct qtexts *q);

struct walinfo;			/* backup/wal.h */
struct bk_state;		/* backup/runs.h */

struct snapshot {
	int		 refs;
	int64_t		 taken_ms;	/* wall clock when taken */
	const char	*source;	/* "user@host:port/db" */
	const char	*system_id;	/* cluster's system_identifier, or NULL */
	double		 activity_now;	/* server's now() for the ages; NAN */
	int64_t		 sample_id;	/* in the history file, or 0 */
	struct vitals	 vitals;
	struct session	*sessions;
	size_t		 nsessions;
	struct stmt	*stmts;		/* NULL when not collected */
	size_t		 nstmts;
	struct stmt_info stmt_info;
	struct qtexts	*qtexts;	/* referenced; may be NULL */
	struct walinfo	*wal;		/* the last WAL probe; referenced, NULL */
	struct bk_state	*backups;	/* the last backup tool runs; ref, NULL */
	struct arena_chunk *arena;	/* owned allocations */
};

/* A new snapshot with one reference, owned by the caller. */
struct snapshot	*snapshot_new(void);
struct snapshot	*snapshot_ref(struct snapshot *s);
/* Drop a reference; frees on the last one.  NULL is ignored. */
void		 snapshot_unref(struct snapshot *s);

/* Allocate zeroed memory that lives as long as 's'. */
void		*snapshot_alloc(struct snapshot *s, size_t size);
/* Copy 'str' into the snapshot; NULL stays NULL. */
const char	*snapshot_strdup(struct snapshot *s, const char *str);

/* Find a session by pid, or NULL. */
const struct session *snapshot_find(const struct snapshot *s, int pid);

/* Receives published snapshots: the UI model, history, recorders. */
struct snapshot_sink {
	/* Takes its own reference if it keeps 's'. */
	void	(*put)(void *arg, struct snapshot *s);
	void	 *arg;
};

#endif
