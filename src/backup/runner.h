/*
 * runner.h - run the backup tools' commands without blocking the loop.
 *
 * Each command runs under /bin/sh -c in its own process group with
 * stdin from /dev/null; stdout and stderr are read on the main poll
 * loop.  Past the timeout the whole group is killed.  When every
 * command of a batch is done the runs are built into one bk_state and
 * handed to 'done'.
 */
#ifndef PGDECK_RUNNER_H
#define PGDECK_RUNNER_H

#include <stddef.h>

struct loop;
struct bk_state;

struct bk_cmd {
	int		 tool;		/* enum bk_tool */
	const char	*what;		/* "info", "backup-list", ... */
	const char	*command;	/* shell command line */
};

typedef void (*bk_runner_fn)(struct bk_state *st, void *arg);

struct bk_runner *bk_runner_new(struct loop *loop, double timeout_s,
		    bk_runner_fn done, void *arg);
/* Kills whatever still runs. */
void		 bk_runner_free(struct bk_runner *r);
/*
 * Start a batch (the strings are copied).  Returns -1 if one is still
 * running: never two at once.  'done' gets a state with one reference,
 * which it owns.
 */
int		 bk_runner_start(struct bk_runner *r, const struct bk_cmd *cmds,
		    size_t n);
int		 bk_runner_busy(const struct bk_runner *r);

/* Run a batch to the end, blocking (the CLI and tests). */
struct bk_state	*bk_run_blocking(const struct bk_cmd *cmds, size_t n,
		    double timeout_s);

/*
 * The commands to run for a server.  The configured ones come first
 * ('server' NULL matches every server; else "host:port" or a system
 * identifier).  With none configured, they are worked out from
 * archive_command: "[prefix] pgbackrest [opts] archive-push [opts] %p"
 * gives "[prefix] pgbackrest [opts] [opts] info --output=json", and
 * "[prefix] wal-g wal-push %p" gives "[prefix] wal-g backup-list
 * --detail --json".  Returns how many (the array and its command
 * strings malloc'd: bk_cmds_free()), and when there are none, a line in
 * 'hint' saying what to configure.
 */
struct config_backup;
size_t		 bk_cmds_for(const struct config_backup *cfg, size_t ncfg,
		    const char *hostport, const char *system_id,
		    const char *archive_command, struct bk_cmd **out,
		    char *hint, size_t hsize);
void		 bk_cmds_free(struct bk_cmd *cmds, size_t n);

#endif
