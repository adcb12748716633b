/*
 * analyse.c - what a repo's backups mean for recovery.
 *
 * Restorable: the tool does not say the backup failed or is unfinished,
 * and every backup it builds on (prior, pgBackRest's reference list) is
 * in the repo, older, and restorable itself.  A Barman incremental names
 * no parent in list-backups: it is taken as the tool says.
 *
 * The PITR window starts at the oldest restorable backup's stop: a base
 * backup is consistent only once its WAL up to the stop has been
 * replayed, so no earlier target can be reached from it (its start when
 * the stop is unknown).  It ends where the archive ends: at archive_time
 * when the pane knows when the newest archived segment was archived;
 * otherwise at 'now' if the archive reaches past the newest restorable
 * backup (the pane shows the archive lag beside it, so "now" is read as
 * "now, less the lag"); otherwise at that backup's stop, because without
 * a continuous archive only the backups' own end points can be restored.
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

/* The backup's time for ordering and intervals: start, else stop. */
static double
when(const struct bk_backup *b)
{
	return isnan(b->start) ? b->stop : b->start;
}

static double
end_time(const struct bk_backup *b)
{
	return isnan(b->stop) ? b->start : b->stop;
}

/* The newest backup labelled 'label' older than 'i', else any; or NONE. */
static size_t
find_label(const struct bk_repo *r, const char *label, size_t i)
{
	size_t	j, any = BK_NONE;

	for (j = r->nbackups; j-- > 0;) {
		if (strcmp(r->backups[j].label, label) != 0)
			continue;
		if (j < i)
			return j;
		any = j;
	}
	return any;
}

/* Why backup i cannot be restored through 'label', or NULL if it can. */
static const char *
check_ref(const struct bk_repo *r, const struct bk_analysis *a,
    const char *label, size_t i)
{
	size_t	j = find_label(r, label, i);

	if (j == BK_NONE || j == i)
		return "prior missing";
	if (j > i)
		return "prior newer";
	if (!a->b[j].restorable)
		return "prior not restorable";
	return NULL;
}

static void
chain(const struct bk_repo *r, struct bk_analysis *a)
{
	const struct bk_backup	*b;
	const char		*why;
	size_t			 i, k;

	for (i = 0; i < r->nbackups; i++) {
		b = &r->backups[i];
		why = NULL;
		if (b->error) {
			a->b[i].why = "failed";
			a->nfailed++;
			continue;
		}
		if (b->incomplete) {
			a->b[i].why = "unfinished";
			continue;
		}
		if (b->prior != NULL)
			why = check_ref(r, a, b->prior, i);
		for (k = 0; why == NULL && k < b->nrefs; k++)
			why = check_ref(r, a, b->refs[k], i);
		if (why != NULL) {
			a->b[i].why = why;
			a->nbroken++;
			continue;
		}
		a->b[i].restorable = 1;
		a->nrestorable++;
		a->count[b->type]++;
		if (a->oldest[b->type] == BK_NONE)
			a->oldest[b->type] = i;
		a->last[b->type] = i;
		a->last_any = i;
	}
}

/* The size a backup is compared on (see struct bk_binfo); -1 unknown. */
static int64_t
trend_size(const struct bk_backup *b)
{
	if (b->type == BK_FULL && b->db_size >= 0)
		return b->db_size;
	if (b->type != BK_FULL && b->delta_size >= 0)
		return b->delta_size;
	if (b->type != BK_FULL && b->repo_delta >= 0)
		return b->repo_delta;
	return b->repo_size;
}

static void
trend(const struct bk_repo *r, const struct bk_analyse_opts *o,
    struct bk_analysis *a)
{
	size_t	 prev[BK_NTYPES], i, t;
	int64_t	 cur, old;
	double	 ch;

	for (t = 0; t < BK_NTYPES; t++)
		prev[t] = BK_NONE;
	for (i = 0; i < r->nbackups; i++) {
		a->b[i].size_change = NAN;
		if (!a->b[i].restorable)
			continue;
		t = r->backups[i].type;
		if (prev[t] != BK_NONE) {
			cur = trend_size(&r->backups[i]);
			old = trend_size(&r->backups[prev[t]]);
			if (cur >= 0 && old > 0) {
				ch = (double)cur / (double)old - 1;
				a->b[i].size_change = ch;
				if (fabs(ch) * 100 > o->trend_pct) {
					a->b[i].size_flag = ch > 0 ? 1 : -1;
					a->ntrends++;
				}
			}
		}
		prev[t] = i;
	}
}

static int
dbl_cmp(const void *x, const void *y)
{
	double	a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

static void
gaps(const struct bk_repo *r, const struct bk_analyse_opts *o,
    struct bk_analysis *a)
{
	double	*iv, prev = NAN, t;
	size_t	 i, n = 0;

	for (i = 0; i < r->nbackups; i++)
		a->b[i].interval = NAN;
	if (r->nbackups == 0)
		return;
	iv = xcalloc(r->nbackups, sizeof *iv);
	for (i = 0; i < r->nbackups; i++) {
		if (!a->b[i].restorable || isnan(t = when(&r->backups[i])))
			continue;
		if (!isnan(prev)) {
			a->b[i].interval = t - prev;
			iv[n++] = t - prev;
		}
		prev = t;
	}
	/* The median: one long gap must not make itself look usual. */
	if (n >= 2) {
		qsort(iv, n, sizeof *iv, dbl_cmp);
		a->usual_interval = n % 2 ? iv[n / 2] :
		    (iv[n / 2 - 1] + iv[n / 2]) / 2;
	}
	free(iv);
	if (isnan(a->usual_interval) || a->usual_interval <= 0)
		return;
	for (i = 0; i < r->nbackups; i++) {
		if (!isnan(a->b[i].interval) &&
		    a->b[i].interval > o->gap_factor * a->usual_interval) {
			a->b[i].gap = 1;
			a->ngaps++;
		}
	}
	if (!isnan(a->last_age) &&
	    a->last_age > o->gap_factor * a->usual_interval)
		a->overdue = 1;
}

/* Is WAL segment 'x' at or past 'y'?  -1 if either is not a name. */
static int
wal_reaches(const char *x, const char *y, uint64_t seg)
{
	uint32_t	tx, ty;
	uint64_t	sx, sy;

	if (bk_walname_parse(x, seg, &tx, &sx) == -1 ||
	    bk_walname_parse(y, seg, &ty, &sy) == -1)
		return -1;
	return sx >= sy;
}

static void
pitr(const struct bk_repo *r, const struct bk_analyse_opts *o,
    struct bk_analysis *a)
{
	const struct bk_backup	*old, *last;
	size_t			 i;
	int			 reach;

	a->pitr_end_from = BK_PITR_NONE;
	if (a->last_any == BK_NONE)
		return;
	old = NULL;
	for (i = 0; i < r->nbackups && old == NULL; i++) {
		if (a->b[i].restorable)
			old = &r->backups[i];
	}
	last = &r->backups[a->last_any];
	a->pitr_start = end_time(old);
	if (r->archive_max != NULL) {
		reach = last->wal_stop != NULL ?
		    wal_reaches(r->archive_max, last->wal_stop, o->seg_size) : 1;
		if (reach == 1 && !isnan(o->archive_time)) {
			a->pitr_end = o->archive_time;
			a->pitr_end_from = BK_PITR_ARCHIVED;
		} else if (reach == 1 || reach == -1) {
			a->pitr_end = o->now;
			a->pitr_end_from = BK_PITR_NOW;
		}
	}
	if (a->pitr_end_from == BK_PITR_NONE) {
		a->pitr_end = end_time(last);
		a->pitr_end_from = BK_PITR_BACKUP;
	}
	if (!isnan(a->pitr_start) && !isnan(a->pitr_end) &&
	    a->pitr_end < a->pitr_start)
		a->pitr_end = a->pitr_start;
}

void
bk_analyse(const struct bk_repo *repo, const struct bk_analyse_opts *opts,
    struct bk_analysis *a)
{
	uint32_t	 t1, t2;
	uint64_t	 s1, s2;
	size_t		 i;

	memset(a, 0, sizeof *a);
	a->nb = repo->nbackups;
	if (a->nb > 0)
		a->b = xcalloc(a->nb, sizeof *a->b);
	for (i = 0; i < BK_NTYPES; i++)
		a->last[i] = a->oldest[i] = BK_NONE;
	a->last_any = BK_NONE;
	a->last_age = a->pitr_start = a->pitr_end = a->usual_interval = NAN;
	a->archive_lag = -1;

	chain(repo, a);
	if (a->last_any != BK_NONE)
		a->last_age = opts->now - end_time(&repo->backups[a->last_any]);
	trend(repo, opts, a);
	gaps(repo, opts, a);
	pitr(repo, opts, a);
	for (i = 0; i < repo->nchecks; i++) {
		if (!repo->checks[i].ok)
			a->nchecks_failed++;
	}
	if (opts->current_wal != NULL && repo->archive_max != NULL &&
	    bk_walname_parse(opts->current_wal, opts->seg_size, &t1, &s1) == 0 &&
	    bk_walname_parse(repo->archive_max, opts->seg_size, &t2, &s2) == 0)
		a->archive_lag = s1 > s2 ? (int64_t)(s1 - s2) : 0;
}

void
bk_analysis_release(struct bk_analysis *a)
{
	free(a->b);
	memset(a, 0, sizeof *a);
}
