/*
 * stmt.c - pg_stat_statements entries: shared query texts, and deltas
 * between two samples.
 *
 * A delta is only a rate when both samples saw the same entry counting
 * upwards under the same stats_reset.  A new entry, a counter that went
 * down (the entry was reset or evicted and came back) and a changed
 * stats_reset are marked as such: their counters are what accrued since
 * they (re)started, which is inside the interval, never a giant rate.
 */
#include "stmt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../core/banned.h"

struct qtext {
	int64_t	 queryid;
	char	*text;
};

struct qtexts {
	int		 refs;
	struct qtext	*slots;		/* open addressing, power of two */
	size_t		 nslots, count;
};

static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

struct qtexts *
qtexts_new(void)
{
	struct qtexts	*q = xcalloc(1, sizeof *q);

	q->refs = 1;
	return q;
}

struct qtexts *
qtexts_ref(struct qtexts *q)
{
	if (q != NULL)
		q->refs++;
	return q;
}

void
qtexts_unref(struct qtexts *q)
{
	size_t	i;

	if (q == NULL || --q->refs > 0)
		return;
	for (i = 0; i < q->nslots; i++)
		free(q->slots[i].text);
	free(q->slots);
	free(q);
}

static struct qtext *
qtexts_slot(const struct qtexts *q, int64_t queryid)
{
	size_t	i;

	if (q->nslots == 0)
		return NULL;
	i = (size_t)mix64((uint64_t)queryid) & (q->nslots - 1);
	while (q->slots[i].text != NULL && q->slots[i].queryid != queryid)
		i = (i + 1) & (q->nslots - 1);
	return &q->slots[i];
}

const char *
qtexts_get(const struct qtexts *q, int64_t queryid)
{
	struct qtext	*e;

	if (q == NULL || (e = qtexts_slot(q, queryid)) == NULL)
		return NULL;
	return e->text;
}

const char *
qtexts_put(struct qtexts *q, int64_t queryid, const char *text)
{
	struct qtext	*e, *old;
	size_t		 i, n;

	if ((q->count + 1) * 2 > q->nslots) {
		old = q->slots;
		n = q->nslots;
		q->nslots = n == 0 ? 64 : n * 2;
		q->slots = xcalloc(q->nslots, sizeof *q->slots);
		for (i = 0; i < n; i++) {
			if (old[i].text != NULL)
				*qtexts_slot(q, old[i].queryid) = old[i];
		}
		free(old);
	}
	e = qtexts_slot(q, queryid);
	if (e->text == NULL) {
		e->queryid = queryid;
		e->text = xstrdup(text);
		q->count++;
	}
	return e->text;
}

size_t
qtexts_count(const struct qtexts *q)
{
	return q != NULL ? q->count : 0;
}

uint64_t
stmt_key_hash(const struct stmt *st)
{
	return mix64((uint64_t)st->queryid ^ mix64(((uint64_t)st->userid << 32) |
	    st->dbid) ^ (uint64_t)st->toplevel);
}

int
stmt_key_equal(const struct stmt *a, const struct stmt *b)
{
	return a->queryid == b->queryid && a->userid == b->userid &&
	    a->dbid == b->dbid && a->toplevel == b->toplevel;
}

void
stmt_index_build(struct stmt_index *ix, const struct stmt *stmts, size_t n)
{
	size_t	i, j;

	ix->stmts = stmts;
	ix->nslots = 16;
	while (ix->nslots < n * 2)
		ix->nslots *= 2;
	ix->slots = xmalloc(ix->nslots * sizeof *ix->slots);
	for (i = 0; i < ix->nslots; i++)
		ix->slots[i] = SIZE_MAX;
	for (i = 0; i < n; i++) {
		j = (size_t)stmt_key_hash(&stmts[i]) & (ix->nslots - 1);
		while (ix->slots[j] != SIZE_MAX)
			j = (j + 1) & (ix->nslots - 1);
		ix->slots[j] = i;
	}
}

const struct stmt *
stmt_index_find(const struct stmt_index *ix, const struct stmt *key)
{
	size_t	j;

	if (ix->slots == NULL)
		return NULL;
	j = (size_t)stmt_key_hash(key) & (ix->nslots - 1);
	while (ix->slots[j] != SIZE_MAX) {
		if (stmt_key_equal(&ix->stmts[ix->slots[j]], key))
			return &ix->stmts[ix->slots[j]];
		j = (j + 1) & (ix->nslots - 1);
	}
	return NULL;
}

void
stmt_index_free(struct stmt_index *ix)
{
	free(ix->slots);
	memset(ix, 0, sizeof *ix);
}

/* The counters of 'cur' since 'prev' (NULL: since the entry started). */
static void
set_delta(struct stmt *cur, const struct stmt *prev)
{
	cur->d_calls = (double)(cur->calls - (prev ? prev->calls : 0));
	cur->d_exec_ms = cur->exec_ms - (prev ? prev->exec_ms : 0);
	cur->d_plan_ms = cur->plan_ms - (prev ? prev->plan_ms : 0);
	cur->d_rows = (double)(cur->rows - (prev ? prev->rows : 0));
	cur->d_io_ms = cur->io_ms - (prev ? prev->io_ms : 0);
	cur->d_hit = (double)(cur->blks_hit - (prev ? prev->blks_hit : 0));
	cur->d_read = (double)(cur->blks_read - (prev ? prev->blks_read : 0));
	cur->d_temp = (double)(cur->temp_read + cur->temp_written -
	    (prev ? prev->temp_read + prev->temp_written : 0));
	cur->d_wal = (double)(cur->wal_bytes - (prev ? prev->wal_bytes : 0));
	cur->have_delta = 1;
}

/* Did any counter of the entry go down since 'prev'? */
static int
went_down(const struct stmt *cur, const struct stmt *prev)
{
	/* A float sum can wobble by rounding; calls and blocks cannot. */
	return cur->calls < prev->calls || cur->plans < prev->plans ||
	    cur->rows < prev->rows || cur->blks_hit < prev->blks_hit ||
	    cur->blks_read < prev->blks_read ||
	    cur->temp_read < prev->temp_read ||
	    cur->temp_written < prev->temp_written ||
	    cur->wal_bytes < prev->wal_bytes ||
	    cur->exec_ms < prev->exec_ms - 1e-6 ||
	    cur->plan_ms < prev->plan_ms - 1e-6 ||
	    cur->io_ms < prev->io_ms - 1e-6;
}

void
stmts_derive(struct stmt *cur, size_t ncur, struct stmt_info *info,
    const struct stmt *prev, size_t nprev, const struct stmt_info *pinfo,
    double interval)
{
	struct stmt_index	 ix = { 0 };
	const struct stmt	*p;
	size_t			 i;
	int			 reset;

	info->interval = interval;
	info->evicted = 0;
	info->reset = 0;
	info->d_exec_ms = 0;
	for (i = 0; i < ncur; i++) {
		cur[i].change = STMT_SAME;
		cur[i].have_delta = 0;
	}
	if (pinfo == NULL || pinfo->status != STMTS_OK ||
	    info->status != STMTS_OK || !(interval > 0))
		return;		/* nothing to compare with: no rates */

	reset = !isnan(info->stats_reset) && !isnan(pinfo->stats_reset) &&
	    info->stats_reset != pinfo->stats_reset;
	info->reset = reset;
	if (!reset && info->dealloc >= 0 && pinfo->dealloc >= 0 &&
	    info->dealloc > pinfo->dealloc)
		info->evicted = info->dealloc - pinfo->dealloc;
	if (!reset)
		stmt_index_build(&ix, prev, nprev);
	for (i = 0; i < ncur; i++) {
		p = reset ? NULL : stmt_index_find(&ix, &cur[i]);
		if (reset) {
			cur[i].change = STMT_RESET;
			set_delta(&cur[i], NULL);
		} else if (p == NULL) {
			cur[i].change = STMT_NEW;
			set_delta(&cur[i], NULL);
		} else if (went_down(&cur[i], p)) {
			cur[i].change = STMT_RESET;
			set_delta(&cur[i], NULL);
		} else
			set_delta(&cur[i], p);
		info->d_exec_ms += cur[i].d_exec_ms;
	}
	stmt_index_free(&ix);
}

void
snapshot_derive_stmts(struct snapshot *cur, const struct snapshot *prev)
{
	double	interval = NAN;

	/* Another cluster behind the same address: nothing to compare. */
	if (prev != NULL && cur->system_id != NULL && prev->system_id != NULL &&
	    strcmp(cur->system_id, prev->system_id) != 0)
		prev = NULL;
	/* In doubles: a damaged file's times must not overflow. */
	if (prev != NULL && cur->taken_ms > prev->taken_ms)
		interval = ((double)cur->taken_ms - (double)prev->taken_ms) /
		    1000.0;
	stmts_derive(cur->stmts, cur->nstmts, &cur->stmt_info,
	    prev != NULL ? prev->stmts : NULL, prev != NULL ? prev->nstmts : 0,
	    prev != NULL ? &prev->stmt_info : NULL, interval);
}

double
stmt_rate(const struct stmt *st, double d, const struct stmt_info *info)
{
	if (!st->have_delta || !(info->interval > 0))
		return NAN;
	return d / info->interval;
}

const char *
stmt_info_hint(const struct stmt_info *info)
{
	switch (info->status) {
	case STMTS_OK:
		return info->hint;	/* a partial view, or NULL */
	case STMTS_UNKNOWN:
		return "waiting for the first sample of pg_stat_statements";
	case STMTS_MISSING:
		return "pg_stat_statements is not installed in this database:"
		    " run CREATE EXTENSION pg_stat_statements;";
	case STMTS_NOT_LOADED:
		return "pg_stat_statements is not loaded: add it to"
		    " shared_preload_libraries in postgresql.conf and restart";
	case STMTS_OLD_SERVER:
		return "Top queries needs PostgreSQL 13 or later";
	default:
		return info->hint != NULL ? info->hint :
		    "pg_stat_statements could not be read";
	}
}
