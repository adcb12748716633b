/*
 * runs.h - the backup tools' command runs, as the Backups pane sees them.
 *
 * pgdeck asks pgBackRest, WAL-G or Barman what they know by running their
 * commands (configured per server, or guessed from archive_command) in
 * the background with a timeout.  Each run's output is kept whole, with
 * its fetch time, and parsed into one report; the history file keeps the
 * runs, not the report, so replay parses the very same bytes.  A
 * bk_state is immutable once built and shared by reference among the
 * snapshots until the next run completes.
 */
#ifndef PGDECK_RUNS_H
#define PGDECK_RUNS_H

#include <stddef.h>

struct bk_report;

struct bk_run {
	int		 tool;		/* enum bk_tool; -1: nothing to run,
					   'errline' says what to configure */
	char		*what;		/* "info", "backup-list", "check", ... */
	char		*command;	/* the shell command line */
	double		 fetched;	/* epoch s, when it finished */
	double		 elapsed;	/* s */
	int		 status;	/* exit status; -1 killed (timeout) */
	char		*output;	/* stdout, NUL-terminated */
	size_t		 len;
	char		*errline;	/* first line of stderr, or NULL */
};

struct bk_state {
	int		 refs;
	struct bk_run	*runs;
	size_t		 nruns;
	struct bk_report *report;	/* parsed from every good run */
	char		**errors;	/* one line per run that failed */
	size_t		 nerrors;
};

/*
 * Build a state from 'runs' (taken over: the caller must not free
 * them): parse each into one report, and word each failure as one line
 * naming the tool and command ("pgbackrest info: exit 1: ERROR: [055]:
 * unable to load info file ...", "pgbackrest info: timed out after 30 s",
 * "pgbackrest: not installed (sh: 1: pgbackrest: not found)").
 */
struct bk_state	*bk_state_build(struct bk_run *runs, size_t nruns);
struct bk_state	*bk_state_ref(struct bk_state *st);
void		 bk_state_unref(struct bk_state *st);
void		 bk_run_release(struct bk_run *r);

/* JSON for the history file (malloc'd) and back; NULL + '*cause'. */
char		*bk_runs_to_json(const struct bk_state *st);
struct bk_state	*bk_state_from_json(const char *text, size_t len,
		    char **cause);

#endif
