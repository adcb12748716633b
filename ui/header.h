/*
 * header.h - the server's vital signs at the top of the screen.
 */
#ifndef PGDECK_HEADER_H
#define PGDECK_HEADER_H

#include "../src/activity/activity.h"
#include "../src/core/snapshot.h"
#include "grid.h"

struct ui_status;

/* Rows the header takes at this width (2 on wide screens, else 3). */
int	header_rows(int cols);
/*
 * Draw rows [row, row + nrows) from snapshot 's' (NULL before the first
 * sample), its summary 'sum' (computed once per snapshot, not per
 * frame) and the connection status 'st'.
 */
void	header_draw(struct grid *g, int row, int nrows,
	    const struct snapshot *s, const struct activity_summary *sum,
	    const struct ui_status *st, int paused);

#endif
