/*
 * blocking.h - who blocks whom, as a forest ready to draw.
 *
 * Input is the sessions of one snapshot with their pg_blocking_pids().
 * Each waiter is placed under one "primary" blocker (a blocker that is
 * not itself waiting is preferred, so a session queued behind a whole
 * chain hangs off the chain's root); other blockers are counted.  Roots
 * are ordered by how many sessions they block transitively.
 */
#ifndef PGDECK_BLOCKING_H
#define PGDECK_BLOCKING_H

#include <stddef.h>
#include <stdint.h>

#include "../core/snapshot.h"

#define BLOCK_MAX_DEPTH	31

struct block_row {
	int		idx;		/* index into the session array */
	int		depth;		/* 0 for a root blocker */
	int		last;		/* last child of its parent */
	uint32_t	rails;		/* bit d: ancestor at depth d has more siblings */
	int		blocked_total;	/* sessions blocked by it, transitively */
	int		other_blockers;	/* blockers besides the parent row */
	int		cycle;		/* part of a wait cycle (deadlock) */
};

struct block_tree {
	struct block_row	*rows;	/* roots, each followed by its subtree */
	size_t			 nrows;
	int			 nroots;
	int			 nwaiting;	/* sessions waiting on another */
};

/*
 * Build the forest for 'n' sessions.  Sessions not involved in any
 * blocking are left out.  Always succeeds; release with
 * block_tree_release().
 */
void	block_tree_build(const struct session *s, size_t n,
	    struct block_tree *out);
void	block_tree_release(struct block_tree *t);

#endif
