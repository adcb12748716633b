/*
 * history.h - the SQLite history cache and capture files.
 *
 * One schema serves both: the per-server cache in $XDG_STATE_HOME/pgdeck
 * and a --record capture.  Sessions and statement counters are stored
 * as spans: a row is written when an entry appears or changes, and
 * closed ('until') when it changes again or goes away, so an idle
 * session or a quiet statement costs nothing per sample.  One
 * transaction per sample: a kill -9 loses at most the sample in flight.
 *
 * Replay reads the same file back into snapshots that go through the
 * same sinks as live ones.
 */
#ifndef PGDECK_HISTORY_H
#define PGDECK_HISTORY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../core/snapshot.h"

#define HISTORY_APP_ID		0x70676463	/* "pgdc" */
#define HISTORY_SCHEMA		4
#define HISTORY_SCHEMA_READ	1	/* oldest schema replay reads as is */

struct history;

/*
 * Open 'path' for writing (created 0600 if missing; its directory too).
 * Refuses foreign, newer, truncated or damaged files.  Returns NULL with
 * a malloc'd one-line '*cause'.
 */
struct history	*history_open_write(const char *path, char **cause);
/* Open 'path' read-only for replay; never modifies it. */
struct history	*history_open_read(const char *path, char **cause);
void		 history_close(struct history *h);
const char	*history_path(const struct history *h);

/* Strip literals from session query texts before they are stored. */
void		 history_set_redact(struct history *h, int on);
/* Keep 'days' of samples (default 7); older ones are pruned. */
void		 history_set_retention(struct history *h, double days);

/*
 * Store one sample.  Returns 0, or -1 with '*cause' (the file is then
 * unchanged by this sample; the caller should stop writing).
 */
int		 history_put(struct history *h, const struct snapshot *s,
		    char **cause);
/* Prune up to 'budget' rows past retention; returns rows removed. */
int		 history_prune(struct history *h, int budget, char **cause);

/* Record a cancel/terminate taken in pgdeck. */
int		 history_audit(struct history *h, int64_t when_ms, const char *who,
		    int pid, const char *target_user, const char *query,
		    const char *action, int ok, const char *message);
/* Label the newest sample (a saved moment). */
int		 history_label(struct history *h, const char *label,
		    char **cause);

/* Samples, oldest first. */
struct history_sample {
	int64_t		 id;
	int64_t		 ts;		/* ms */
};
size_t		 history_samples(struct history *h,
		    const struct history_sample **out);
/* Reload the sample list (after writes); returns the count. */
size_t		 history_refresh_samples(struct history *h);
/* Index of the newest sample at or before 'ts_ms', or -1. */
long		 history_index_at(struct history *h, int64_t ts_ms);

/*
 * The snapshot of sample 'id' with sessions, vitals and statements
 * (derived against the sample before it), or NULL with '*cause'.
 * 'stmts_only' leaves the sessions out (window rates).
 */
struct snapshot	*history_load(struct history *h, int64_t id, int stmts_only,
		    char **cause);

/*
 * Store a plan EXPLAINed from the UI (JSON 'body') with the statement's
 * queryid, the time and the statement ('label').  Returns 0 with its id
 * in '*id' (if not NULL), or -1 with '*cause'.
 */
int		 history_put_plan(struct history *h, int64_t ts,
		    int64_t queryid, const char *datname, const char *kind,
		    const char *label, const char *body, int64_t *id,
		    char **cause);

/*
 * The Migrations pane's calibration of a server (its system identifier,
 * or its address): the median time of the sample sort and the sampled
 * read rate, <= 0 not measured; ts in Unix seconds.
 */
struct history_rates {
	int64_t		 ts;
	double		 sort_ms;
	double		 read_bytes_s;
};
/* 0 with *out filled, or -1 when none is kept (or schema < 3). */
int		 history_get_rates(struct history *h, const char *server,
		    struct history_rates *out);
int		 history_put_rates(struct history *h, const char *server,
		    const struct history_rates *r, char **cause);

/*
 * Documents valid from a sample on ("wal", "backups", "catalog:DBNAME"):
 * history_put() stores the WAL probe and backup runs of a snapshot when
 * they change; others are stored with the newest sample.  get returns
 * the newest one of 'kind' at or before 'sample' (<= 0: the newest of
 * all), malloc'd, or NULL; '*ts' (ms) and '*id' if not NULL.
 */
int		 history_put_doc(struct history *h, const char *kind,
		    int64_t ts, const char *body, char **cause);
char		*history_get_doc(struct history *h, const char *kind,
		    int64_t sample, int64_t *ts, int64_t *id);

struct history_plan {
	int64_t		 id;
	int64_t		 ts;		/* ms */
	int64_t		 queryid;
	char		*datname, *kind, *label;	/* "", not NULL */
};
/* Stored plans, oldest first; free with history_plans_free(). */
size_t		 history_plans(struct history *h, struct history_plan **out);
void		 history_plans_free(struct history_plan *p, size_t n);
/* The JSON of plan 'id' (caller frees), or NULL. */
char		*history_plan_text(struct history *h, int64_t id);

struct history_label {
	int64_t		 sample;
	int64_t		 ts;
	char		*label;
};
/* Labels, oldest first; free with history_labels_free(). */
size_t		 history_labels(struct history *h, struct history_label **out);
void		 history_labels_free(struct history_label *l, size_t n);

struct history_audit_row {
	int64_t		 ts;
	char		*who, *target_user, *query, *action, *message;
	int		 pid, ok;
};
size_t		 history_audit_rows(struct history *h, int limit,
		    struct history_audit_row **out);
void		 history_audit_free(struct history_audit_row *a, size_t n);

/* Per-bucket averages over [from, to] for the History pane. */
enum { HS_TPS, HS_ACTIVE, HS_IDLE_TX, HS_WAITING, HS_LOCKWAIT, HS__COUNT };
int		 history_series(struct history *h, int64_t from_ms, int64_t to_ms,
		    int nbuckets, double *out /* [HS__COUNT][nbuckets] */);
/* Exec time per second of one statement over buckets (NAN: no data). */
int		 history_stmt_series(struct history *h, const struct stmt *key,
		    int64_t from_ms, int64_t to_ms, int nbuckets, double *out);

/* ASH: sampled active sessions grouped by wait event or query. */
struct history_ash {
	char		*what;		/* "IO:DataFileRead", "CPU", query */
	int64_t		 samples;
};
enum { ASH_WAITS, ASH_QUERIES };
size_t		 history_ash(struct history *h, int kind, int64_t from_ms,
		    int64_t to_ms, int limit, struct history_ash **out);
void		 history_ash_free(struct history_ash *a, size_t n);

/* The text for 'summary': span, server, samples, top statements, worst blocking. */
int		 history_summary(struct history *h, FILE *out, char **cause);

/* Replace literals in SQL text by '?' (for --redact). */
char		*sql_redact(const char *sql);

#endif
