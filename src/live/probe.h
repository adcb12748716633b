/*
 * probe.h - the SQL pgdeck sends and the parsers of its answers.
 *
 * Each probe builds its statement for a server version and parses the
 * result into a snapshot.  Parsers never trust the result's shape: a
 * missing column gives -1 and a malloc'd 'cause' naming it.
 */
#ifndef PGDECK_PROBE_H
#define PGDECK_PROBE_H

#include <libpq-fe.h>

#include "../core/snapshot.h"

struct strbuf;

/* What the connected role and server can do; filled at each connect. */
struct capabilities {
	int	 version_num;		/* server_version_num */
	char	*version;		/* server_version, owned */
	int	 superuser;
	int	 signal_backend;	/* member of pg_signal_backend */
	int	 read_all_stats;	/* member of pg_read_all_stats */
	char	*user;			/* current_user, owned */
	char	*database;
	int	 backend_pid;		/* pgdeck's own backend */
	char	*system_id;		/* system_identifier, or NULL */
	char	*pgss_schema;		/* pg_stat_statements' schema, or NULL */
	int	 pgss_loaded;		/* in shared_preload_libraries */
	int	 compute_query_id;	/* query ids in pg_stat_activity */
	int	 ls_archive_status;	/* may call pg_ls_archive_statusdir() */
};

/* Statement that fills 'struct capabilities' (any version >= 9.6). */
extern const char probe_capabilities_sql[];
int	probe_capabilities_parse(PGresult *res, struct capabilities *caps,
	    char **cause);
void	capabilities_release(struct capabilities *caps);

/* Append the sessions statement for server 'version_num' to 'sb'. */
void	probe_activity_sql(struct strbuf *sb, int version_num);
/* Fill s->sessions from 'res' (not freed). */
int	probe_activity_parse(PGresult *res, struct snapshot *s, char **cause);

/*
 * Append the lock-waits statement: one row per backend waiting on a
 * heavyweight lock with the lock, its wait and pg_blocking_pids().
 */
void	probe_locks_sql(struct strbuf *sb, int version_num);
/* Attach the lock waits in 'res' to the sessions of 's'. */
int	probe_locks_parse(PGresult *res, struct snapshot *s, char **cause);
/* Does any session of 's' wait on a heavyweight lock? */
int	snapshot_has_lock_waiters(const struct snapshot *s);

/* Append the server vitals statement for 'version_num' to 'sb'. */
void	probe_server_sql(struct strbuf *sb, int version_num);
int	probe_server_parse(PGresult *res, struct snapshot *s, char **cause);

/*
 * Derive rates in 'cur' from the previous sample 'prev' (may be NULL):
 * TPS and cache hit ratio over the interval; NAN where a counter went
 * backwards (stats reset, restart) or there is no previous sample.
 */
void	vitals_derive(struct vitals *cur, const struct vitals *prev);

/* Where pg_stat_statements stands for this connection. */
int	probe_stmts_status(const struct capabilities *caps);
/*
 * Append the counters statement (pg_stat_statements(false), with the
 * role and database names and pg_stat_statements_info).
 */
void	probe_stmts_sql(struct strbuf *sb, const struct capabilities *caps);
/* Fill s->stmts and s->stmt_info; texts come from 'texts'. */
int	probe_stmts_parse(PGresult *res, struct snapshot *s,
	    const struct capabilities *caps, char **cause);
/* Texts of the queryids in $1 (an int8[] literal). */
void	probe_stmt_texts_sql(struct strbuf *sb, const struct capabilities *caps);
/* Store the texts in 'res' in 'q'; returns how many. */
int	probe_stmt_texts_parse(PGresult *res, struct qtexts *q, char **cause);

/* Parse a PostgreSQL int[] text literal "{1,2}" into 'out' (max n). */
int	parse_int_array(const char *text, int *out, int n);

#endif
