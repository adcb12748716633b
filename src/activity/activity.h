/*
 * activity.h - what the Activity pane computes from a snapshot:
 * the header's summary, the filtered and sorted session list, groups.
 * Pure functions over an immutable snapshot: no I/O, no curses.
 */
#ifndef PGDECK_ACTIVITY_H
#define PGDECK_ACTIVITY_H

#include <stddef.h>
#include <stdint.h>

#include "../core/snapshot.h"

struct activity_summary {
	int	 total;			/* every backend */
	int	 client;		/* client backends (count against max) */
	int	 active, idle, idle_tx, idle_tx_aborted, other;
	int	 waiting_lock;		/* waiting on a heavyweight lock */
	double	 longest_xact;		/* seconds, NAN if none */
	int	 longest_xact_pid;
	int64_t	 oldest_xmin;		/* age in xids, -1 if none */
	/* "session", "replication slot" or "prepared transaction" */
	const char *oldest_xmin_holder;
	int	 oldest_xmin_pid;
};

void	activity_summarize(const struct snapshot *s,
	    struct activity_summary *out);

/* Columns of the session list, in display order. */
enum act_col {
	ACOL_PID, ACOL_DB, ACOL_USER, ACOL_APP, ACOL_CLIENT, ACOL_STATE,
	ACOL_WAIT, ACOL_XACT_AGE, ACOL_QUERY_AGE, ACOL_STATE_AGE,
	ACOL_BACKEND_TYPE, ACOL_QUERY, ACOL__COUNT
};
extern const char *const act_col_names[ACOL__COUNT];

enum group_by {
	GROUP_NONE, GROUP_APP, GROUP_USER, GROUP_CLIENT, GROUP_DB,
	GROUP_QUERYID, GROUP__COUNT
};
extern const char *const group_by_names[GROUP__COUNT];

struct activity_filter {
	int		 show_idle;	/* include state 'idle' */
	int		 show_system;	/* include non-client backends */
	const char	*text;		/* case-insensitive substring, or NULL */
	double		 min_age;	/* seconds; 0 = no threshold */
	enum act_col	 sort;
	int		 descending;
	enum group_by	 group;		/* restrict to one group ... */
	const char	*group_key;	/* ... with this key (NULL: all) */
};

/* A session's "how long": its transaction, else its query or state. */
double	session_duration(const struct session *x);
/* Sessions worth listing by default: client backends, autovacuum and
 * parallel workers, walsenders, background workers. */
int	session_is_client(const struct session *x);
/* The key of 'x' under grouping 'g', in 'buf'. */
const char *session_group_key(const struct session *x, enum group_by g,
	    char *buf, size_t size);

/*
 * Fill 'idx' (room for s->nsessions) with the indexes of the sessions
 * that pass 'f', in its sort order.  Returns how many.
 */
size_t	activity_select(const struct snapshot *s,
	    const struct activity_filter *f, int *idx);

struct activity_group {
	char	*key;			/* owned */
	int	 total, active, idle, idle_tx, waiting;
	double	 oldest_xact;		/* NAN if none */
	int	 oldest_pid;
	int	 sample_idx;		/* a session of the group (query) */
};

/*
 * Group the selected sessions 'idx[0..n)' by 'g'.  '*out' is a new
 * array (free with activity_groups_free), largest group first.
 */
size_t	activity_group(const struct snapshot *s, const int *idx, size_t n,
	    enum group_by g, struct activity_group **out);
void	activity_groups_free(struct activity_group *g, size_t n);

#endif
