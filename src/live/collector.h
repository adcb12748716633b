/*
 * collector.h - schedules the probes on one connection and publishes a
 * snapshot per refresh to every sink.
 *
 * The collector never blocks: each refresh is prepared statements run
 * one after the other: sessions, lock waits (only while some session
 * waits on a lock), vitals.  If the
 * previous refresh is still out when the timer fires, the tick is skipped
 * instead of queueing work on a struggling server.
 */
#ifndef PGDECK_COLLECTOR_H
#define PGDECK_COLLECTOR_H

#include <stdint.h>

#include "../core/pg_conn.h"
#include "../core/snapshot.h"
#include "probe.h"

struct collector;
struct loop;

/* Server-side limits set on every (re)connection. */
#define COLLECTOR_STATEMENT_TIMEOUT_MS	5000
#define COLLECTOR_LOCK_TIMEOUT_MS	1000

typedef void (*collector_status_fn)(void *arg);
/* 'ok' is 1 if the server did it; 'msg' says what happened. */
typedef void (*collector_done_fn)(int ok, const char *msg, void *arg);

/* 'pc' is borrowed and must outlive the collector. */
struct collector	*collector_new(struct loop *loop, struct pg_conn *pc,
			    double refresh_s);
void			 collector_free(struct collector *c);

void	collector_add_sink(struct collector *c, struct snapshot_sink sink);
/* Called on connection state changes and after every refresh. */
void	collector_on_status(struct collector *c, collector_status_fn fn,
	    void *arg);
/* Begin refreshing (connecting first if needed). */
void	collector_start(struct collector *c);
void	collector_refresh_now(struct collector *c);
void	collector_set_refresh(struct collector *c, double seconds);
double	collector_refresh(const struct collector *c);

/*
 * Cancel (terminate = 0) or terminate the backend 'pid'.  'done' is
 * called exactly once, also when the connection is down.
 */
void	collector_signal(struct collector *c, int pid, int terminate,
	    collector_done_fn done, void *arg);

/* Borrowed; valid while connected (version_num 0 before the probe). */
const struct capabilities *collector_caps(const struct collector *c);
/* "user@host:port/db" of the last connection, or NULL before one. */
const char	*collector_source(const struct collector *c);
/* Last probe failure (SQL error or bad answer), or NULL. */
const char	*collector_probe_error(const struct collector *c);

struct bk_state;
/* Attach 'st' (referenced) to every snapshot from now on. */
void	collector_set_backups(struct collector *c, struct bk_state *st);
/* Probe archiving, standbys and slots on the next refresh. */
void	collector_probe_wal_now(struct collector *c);

#endif
