/*
 * analyse.c - what a repo's backups mean for recovery (stub).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "backup.h"

#include "../core/banned.h"

void
bk_analyse_opts_init(struct bk_analyse_opts *o, double now)
{
	memset(o, 0, sizeof *o);
	o->now = now;
	o->archive_time = NAN;
	o->seg_size = BK_WAL_SEG_SIZE;
	o->trend_pct = 20;
	o->gap_factor = 2;
}

void
bk_analyse(const struct bk_repo *repo, const struct bk_analyse_opts *opts,
    struct bk_analysis *a)
{
	size_t	i;

	(void)opts;
	memset(a, 0, sizeof *a);
	a->nb = repo->nbackups;
	for (i = 0; i < BK_NTYPES; i++)
		a->last[i] = a->oldest[i] = BK_NONE;
	a->last_any = BK_NONE;
	a->last_age = a->pitr_start = a->pitr_end = a->usual_interval = NAN;
	a->archive_lag = -1;
}

void
bk_analysis_release(struct bk_analysis *a)
{
	free(a->b);
	memset(a, 0, sizeof *a);
}
