/*
 * assess.h - one verdict on recoverability from both sides: what the
 * server says (archiver, backlog, standbys, slots) and what the backup
 * tools say (backups, their archive), against the user's targets.
 *
 * Neither side is trusted alone: pgBackRest reports "ok" while
 * archive_command fails, because only its archive max stops moving, so
 * a repository whose newest WAL lags the server's current segment is a
 * finding of its own.
 */
#ifndef PGDECK_ASSESS_H
#define PGDECK_ASSESS_H

#include <stddef.h>

#include "backup.h"
#include "wal.h"

struct walinfo;
struct bk_state;
struct config_targets;

enum { BK_LEVEL_OK, BK_LEVEL_WARN, BK_LEVEL_BAD, BK_LEVEL_UNKNOWN };

struct bk_finding {
	int		 level;		/* BK_LEVEL_* */
	char		 name[24];	/* "archiving", "RPO", "slot s1" */
	char		 text[240];	/* what, and what to do */
};

struct bk_assessment {
	int		 level;		/* the worst finding, OK if none */
	char		 status[400];	/* the one-line summary: what is
					   wrong first, so that a narrow
					   terminal shows it */
	struct bk_finding *findings;	/* worst first */
	size_t		 nfindings;
	double		 rpo_s;		/* RPO now, s; NAN unknown */
	long long	 rpo_bytes;	/* -1 unknown */
	long long	 repo_lag;	/* segments from the newest repository
					   WAL to the server's current; -1 */

	/* What the verdict was drawn from, for the pane's drill-down. */
	int		 have_arch;	/* a walinfo was given */
	struct wal_archiving arch;	/* archiving as the server sees it */
	struct bk_analysis *analyses;	/* one per repo of the report */
	size_t		 nanalyses;

	/* The status line's parts, composed worst first. */
	struct {
		int	 level;
		char	 text[160];
	}		 parts[16];
	int		 nparts;
};

/*
 * Assess at time 'now' (epoch s).  'w' and 'st' may be NULL (not probed
 * yet, no tool run); 'targets' may be NULL (defaults).
 */
void	bk_assess(const struct walinfo *w, const struct bk_state *st,
	    const struct config_targets *targets, double now,
	    struct bk_assessment *out);
void	bk_assessment_release(struct bk_assessment *a);

#endif
