/*
 * pg_conn.h - one asynchronous libpq connection driven by the loop.
 *
 * Queries are queued and sent one at a time with PQsendQuery(Params);
 * results are collected on socket readiness and handed to the caller's
 * callback in one pg_reply.  The connection is never waited on: a lost
 * or unresponsive server becomes the PGC_RETRY_WAIT state with a
 * countdown, and the connection comes back by itself with backoff.
 */
#ifndef PGDECK_PG_CONN_H
#define PGDECK_PG_CONN_H

#include <stdint.h>

#include <libpq-fe.h>

struct loop;
struct pg_conn;

enum pg_conn_state {
	PGC_DISCONNECTED,	/* not started */
	PGC_CONNECTING,		/* PQconnectPoll in progress */
	PGC_READY,		/* connected; queries may be sent */
	PGC_RETRY_WAIT,		/* lost or refused; retry at retry_at */
};

struct pg_reply {
	PGresult	**res;		/* every result, in order; borrowed */
	int		  nres;
	const char	 *error;	/* NULL on success, else one line */
	double		  elapsed_ms;	/* send to last result, wall time */
};

/* Called once per query; 'r' and its results are freed on return. */
typedef void (*pg_reply_fn)(const struct pg_reply *r, void *arg);
typedef void (*pg_conn_hook_fn)(struct pg_conn *pc, void *arg);

/*
 * Create a connection for the libpq keyword/value pairs (NULL-terminated
 * 'keys'; copied).  The first "dbname" may be a conninfo or URI.
 */
struct pg_conn	*pg_conn_new(struct loop *loop, const char *const *keys,
		    const char *const *vals);
/* Close; queued queries are dropped and their callbacks never run. */
void		 pg_conn_free(struct pg_conn *pc);

/*
 * 'on_ready' runs each time a (re)connection completes, before queued
 * queries are sent; 'on_state' on every state change.
 */
void		 pg_conn_set_hooks(struct pg_conn *pc, pg_conn_hook_fn on_ready,
		    pg_conn_hook_fn on_state, void *arg);

/* Take over an established blocking connection (startup check). */
void		 pg_conn_adopt(struct pg_conn *pc, PGconn *conn);
/* Start connecting in the background. */
void		 pg_conn_start(struct pg_conn *pc);

/*
 * Queue 'sql' with optional text parameters.  'timeout_ms' bounds the
 * wait for the answer on the client side (the server enforces its own
 * statement_timeout); past it the connection is dropped and retried.
 * Returns 0, or -1 if the connection is not ready (callback not called).
 */
int		 pg_conn_query(struct pg_conn *pc, const char *sql, int nparams,
		    const char *const *params, int64_t timeout_ms,
		    pg_reply_fn fn, void *arg);

/*
 * Queue 'sql' through the extended protocol, which refuses more than
 * one statement: for text pgdeck did not write (a captured query).
 */
int		 pg_conn_query_one(struct pg_conn *pc, const char *sql,
		    int64_t timeout_ms, pg_reply_fn fn, void *arg);

/*
 * Prepare 'sql' as the named statement 'name' on this connection, queued
 * like a query.  Prepared statements die with the connection: prepare
 * again from the on_ready hook.
 */
int		 pg_conn_prepare(struct pg_conn *pc, const char *name,
		    const char *sql, int64_t timeout_ms, pg_reply_fn fn,
		    void *arg);
/* Execute the prepared statement 'name'; as pg_conn_query(). */
int		 pg_conn_query_prepared(struct pg_conn *pc, const char *name,
		    int nparams, const char *const *params, int64_t timeout_ms,
		    pg_reply_fn fn, void *arg);

enum pg_conn_state pg_conn_state(const struct pg_conn *pc);
/* Last connection error, one line, or NULL. */
const char	*pg_conn_error(const struct pg_conn *pc);
/* Milliseconds until the next connection attempt (PGC_RETRY_WAIT). */
int64_t		 pg_conn_retry_in(const struct pg_conn *pc);
/* The libpq handle while connected, else NULL; borrowed. */
PGconn		*pg_conn_raw(const struct pg_conn *pc);
/* How many connections this object has opened so far. */
int		 pg_conn_connects(const struct pg_conn *pc);

/* The host a connection names: "local" for a socket directory. */
const char	*pg_host_name(PGconn *conn);
/* "user@host:port/db", how pgdeck names a server (caller frees). */
char		*pg_source(PGconn *conn);

/* Collapse a libpq message to its first line, in 'buf'. */
const char	*pg_first_line(const char *msg, char *buf, size_t size);

#endif
