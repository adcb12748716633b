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

struct snapshot {
	int		 refs;
	int64_t		 taken_ms;	/* wall clock when taken */
	const char	*source;	/* "user@host:port/db" */
	struct vitals	 vitals;
	struct session	*sessions;
	size_t		 nsessions;
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
