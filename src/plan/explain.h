/*
 * explain.h - EXPLAIN a statement seen in pg_stat_statements or
 * pg_stat_activity, safely.
 *
 * A normalised statement ($1, $2 ... in place of constants) has no
 * values to run with.  PostgreSQL 16 explains it with GENERIC_PLAN; on
 * 15 and older pgdeck PREPAREs it and EXPLAINs EXECUTE with NULL
 * arguments under plan_cache_mode = force_generic_plan, which plans it
 * without looking at the values.  Nothing runs.  EXPLAIN ANALYZE runs
 * the statement: only on an explicit request, never with placeholders,
 * inside a transaction that is rolled back, with a statement timeout.
 */
#ifndef PGDECK_PLAN_EXPLAIN_H
#define PGDECK_PLAN_EXPLAIN_H

#include <stdint.h>

struct explain_req {
	const char	*text;		/* the statement */
	const char	*datname;	/* database it ran in, or NULL */
	const char	*usename;	/* role it ran as, or NULL (for display) */
	int64_t		 queryid;	/* 0 if unknown */
	int		 analyze;	/* EXPLAIN ANALYZE, rolled back */
	int		 timeout_ms;	/* statement_timeout for the EXPLAIN */
};

/*
 * The highest $n placeholder in 'sql', outside quotes, dollar quotes
 * and comments; 0 if none.
 */
int	 explain_nparams(const char *sql);

/*
 * The statements to send, one at a time through the extended protocol
 * (so a captured text holding two statements cannot run the second):
 * '*steps' gets a NULL-terminated array (caller frees with
 * explain_steps_free()) and '*plan_step' the index of the one whose
 * result is the JSON plan.  Returns the number of steps, or -1 with
 * '*cause' set: an empty statement, ANALYZE with placeholders, more than
 * 1,000 placeholders.
 */
int	 explain_steps(const struct explain_req *r, int version_num,
	    char ***steps, int *plan_step, char **cause);
void	 explain_steps_free(char **steps);

#endif
