/*
 * demo.h - `pgdeck demo`: a throwaway PostgreSQL with a live workload.
 *
 * A keeper process owns everything the demo creates: the temp dir, the
 * cluster, the server and the workload.  It watches a pipe from pgdeck;
 * when pgdeck exits for any reason (quit, Ctrl-C, a crash, SIGKILL) the
 * pipe closes and the keeper stops the server and removes the dir.
 */
#ifndef PGDECK_DEMO_H
#define PGDECK_DEMO_H

struct demo;

/*
 * Start the keeper and wait until the server is up and loaded.  Progress
 * lines go to stderr.  Returns 0 and a conninfo for the demo server in
 * '*conninfo' (owned by the demo), or -1 with '*cause' set.
 */
int	demo_start(struct demo **out, const char **conninfo, char **cause);
/* Tell the keeper to clean up and wait for it (at most 30 s). */
void	demo_stop(struct demo *d);

/*
 * Find the PostgreSQL server binaries: `pg_config --bindir` if it has a
 * postgres binary, else the newest /usr/lib/postgresql/N/bin.  Returns
 * a malloc'd path, or NULL.
 */
char	*demo_find_bindir(void);

#endif
