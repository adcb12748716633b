/*
 * workload.h - real sessions for the demo and the integration tests:
 * a blocking chain, idle-in-transaction sessions, slow queries.
 *
 * These use blocking libpq on purpose: they run in the demo's keeper
 * process or in tests, never on pgdeck's UI loop.
 */
#ifndef PGDECK_WORKLOAD_H
#define PGDECK_WORKLOAD_H

#include <libpq-fe.h>

#define CHAIN_MAX	8

/*
 * A blocking chain: the root holds a row lock in an open transaction
 * (idle in transaction); waiter k holds row k+1 and waits for row k, so
 * each waits on the one before it.  Waiters run whole transactions that
 * commit by themselves once unblocked: ending the root clears the chain.
 */
struct chain {
	PGconn	*root;
	PGconn	*waiters[CHAIN_MAX];
	int	 nwaiters;
	int	 root_pid;
	int	 pids[CHAIN_MAX];
};

/* Create the table the chain locks rows of (idempotent). */
int	workload_prepare(const char *conninfo, char **cause);
/*
 * Build a chain of 'depth' waiters (1..CHAIN_MAX) below one root, each
 * confirmed waiting before the next starts.  Application names are
 * '<app>-root' and '<app>-waiter'.  Returns 0, or -1 with '*cause'.
 */
int	chain_start(struct chain *c, const char *conninfo, int depth,
	    const char *app, char **cause);
/*
 * Roll the root back (if it is still alive), then wait up to
 * 'timeout_s' for every waiter to finish.  Returns the number of
 * waiters that committed.
 */
int	chain_release(struct chain *c, int timeout_s);
/* Close every connection without waiting. */
void	chain_close(struct chain *c);

/*
 * Run the demo's scripted workload against 'conninfo' until killed:
 * idle-in-transaction sessions, slow reports, and a blocking chain
 * three deep that forms for 40 s of every minute.
 */
void	workload_run_forever(const char *conninfo);

#endif
