/*
 * assess.c - the Backups pane's verdict: findings and the status line.
 */
#include "assess.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backup.h"
#include "runs.h"
#include "wal.h"
#include "../config/config.h"
#include "../core/util.h"
#include "../core/banned.h"

/* Segments a healthy repository may trail the current one by: the one
 * being written, and the one being pushed. */
#define REPO_LAG_OK	2

static void PRINTF_LIKE(4, 5)
add(struct bk_assessment *a, int level, const char *name, const char *fmt, ...)
{
	struct bk_finding	*f;
	va_list			 ap;

	a->findings = xrealloc(a->findings, (a->nfindings + 1) *
	    sizeof *a->findings);
	f = &a->findings[a->nfindings++];
	f->level = level;
	snprintf(f->name, sizeof f->name, "%s", name);
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof f->text, fmt, ap);
	va_end(ap);
}

static int
rank(int level)
{
	switch (level) {
	case BK_LEVEL_BAD:
		return 3;
	case BK_LEVEL_WARN:
		return 2;
	case BK_LEVEL_UNKNOWN:
		return 1;
	default:
		return 0;
	}
}

/* Worst first, keeping the order of equals (a stable insertion sort). */
static void
sort_findings(struct bk_finding *f, size_t n)
{
	struct bk_finding	tmp;
	size_t			i, j;

	for (i = 1; i < n; i++) {
		tmp = f[i];
		for (j = i; j > 0 && rank(f[j - 1].level) < rank(tmp.level); j--)
			f[j] = f[j - 1];
		f[j] = tmp;
	}
}

/* A part of the status line, at 'level'. */
static void PRINTF_LIKE(3, 4)
part(struct bk_assessment *a, int level, const char *fmt, ...)
{
	va_list	ap;

	if (a->nparts == (int)(sizeof a->parts / sizeof a->parts[0]))
		return;
	a->parts[a->nparts].level = level;
	va_start(ap, fmt);
	vsnprintf(a->parts[a->nparts].text, sizeof a->parts[0].text, fmt, ap);
	va_end(ap);
	a->nparts++;
}

/* The parts, " · " between them: red ones first, then amber, then the
 * rest, each in the order they were found. */
static void
compose(struct bk_assessment *a)
{
	static const int order[] = { BK_LEVEL_BAD, BK_LEVEL_WARN,
	    BK_LEVEL_OK, BK_LEVEL_UNKNOWN };
	size_t	len = 0, k;
	int	i;

	a->status[0] = '\0';
	for (k = 0; k < sizeof order / sizeof order[0]; k++) {
		for (i = 0; i < a->nparts; i++) {
			if (a->parts[i].level != order[k])
				continue;
			snprintf(a->status + len, sizeof a->status - len, "%s%s",
			    len > 0 ? " · " : "", a->parts[i].text);
			len = strlen(a->status);
		}
	}
}

/* The worst level of the findings from index 'from' on. */
static int
worst_since(const struct bk_assessment *a, size_t from)
{
	int	level = BK_LEVEL_OK;

	for (; from < a->nfindings; from++) {
		if (a->findings[from].level != BK_LEVEL_UNKNOWN &&
		    rank(a->findings[from].level) > rank(level))
			level = a->findings[from].level;
	}
	return level;
}

static int
to_level(int wal_level)
{
	switch (wal_level) {
	case WAL_OK:
		return BK_LEVEL_OK;
	case WAL_WARN:
		return BK_LEVEL_WARN;
	case WAL_BAD:
		return BK_LEVEL_BAD;
	default:
		return BK_LEVEL_UNKNOWN;
	}
}

static void
assess_server(const struct walinfo *w, const struct config_targets *t,
    double now, struct bk_assessment *a)
{
	struct wal_rpo		 rpo;
	char			 d[32], b[32], tg[32];
	size_t			 i;
	int			 level, inactive = 0;
	size_t			 first;
	double			 maxlag = NAN;
	int64_t			 held = 0;

	const struct wal_archiving *arch = &a->arch;

	add(a, to_level(arch->level), "archiving", "%s", arch->why);
	part(a, to_level(arch->level), "%s", arch->why);
	if (arch->enabled && w->archive_timeout == 0)
		add(a, BK_LEVEL_WARN, "archive_timeout", "archive_timeout is 0:"
		    " a quiet server may keep its last writes in an"
		    " unarchived segment for ever (set it, e.g. 60s)");

	wal_rpo(w, now, &rpo);
	a->rpo_s = rpo.seconds;
	a->rpo_bytes = rpo.bytes;
	fmt_duration(tg, sizeof tg, t->rpo);
	fmt_bytes(b, sizeof b, (double)rpo.bytes);
	if (isnan(rpo.seconds)) {
		level = rpo.bounded ? BK_LEVEL_UNKNOWN : BK_LEVEL_BAD;
		add(a, level, "RPO", "%s (%s)", rpo.bounded ? "unknown" :
		    "unbounded", rpo.basis);
		part(a, level, "RPO now %s", rpo.bounded ? "unknown" :
		    "unbounded");
	} else {
		fmt_duration(d, sizeof d, rpo.seconds);
		level = t->rpo > 0 && rpo.seconds > t->rpo ? BK_LEVEL_BAD :
		    !rpo.bounded ? BK_LEVEL_WARN : BK_LEVEL_OK;
		add(a, level, "RPO", "%s%s%s%s now%s%s (%s)",
		    rpo.bounded ? "" : "at least ", d, b[0] != '\0' ? ", " : "",
		    b, t->rpo > 0 ? " / target " : "", t->rpo > 0 ? tg : "",
		    rpo.basis);
		if (t->rpo > 0)
			part(a, level, "RPO now %s / target %s", d, tg);
		else
			part(a, level, "RPO now %s", d);
	}

	first = a->nfindings;
	for (i = 0; i < w->nstandbys; i++) {
		const struct wal_standby *s = &w->standbys[i];
		char	name[24];

		snprintf(name, sizeof name, "standby %s", s->name != NULL &&
		    s->name[0] != '\0' ? s->name : "?");
		if (!isnan(s->replay_lag) && (isnan(maxlag) ||
		    s->replay_lag > maxlag))
			maxlag = s->replay_lag;
		if (s->state != NULL && strcmp(s->state, "streaming") != 0)
			add(a, BK_LEVEL_WARN, name, "state %s, not streaming",
			    s->state);
		else if (!isnan(s->replay_lag) && t->lag > 0 &&
		    s->replay_lag > t->lag) {
			fmt_duration(d, sizeof d, s->replay_lag);
			fmt_duration(tg, sizeof tg, t->lag);
			add(a, BK_LEVEL_WARN, name, "replay lag %s over the"
			    " target %s", d, tg);
		}
	}
	if (w->nstandbys > 0) {
		if (isnan(maxlag))
			part(a, worst_since(a, first), "%zu standby%s",
			    w->nstandbys,
			    w->nstandbys == 1 ? "" : "s");
		else {
			fmt_duration(d, sizeof d, maxlag);
			part(a, worst_since(a, first), "%zu standby%s, max"
			    " lag %s", w->nstandbys,
			    w->nstandbys == 1 ? "" : "s", d);
		}
	} else if (w->in_recovery) {
		if (!isnan(w->replay_time)) {
			fmt_duration(d, sizeof d, now - w->replay_time);
			part(a, BK_LEVEL_OK, "standby, replayed up to %s ago",
			    d);
		}
	}

	first = a->nfindings;
	for (i = 0; i < w->nslots; i++) {
		const struct wal_slot *s = &w->slots[i];
		char	name[24];

		snprintf(name, sizeof name, "slot %s", s->name != NULL ?
		    s->name : "?");
		fmt_bytes(b, sizeof b, (double)s->retained);
		if (!s->active) {
			inactive++;
			if (s->retained > 0)
				held = held > INT64_MAX - s->retained ?
				    INT64_MAX : held + s->retained;
		}
		if (s->wal_status != NULL && strcmp(s->wal_status, "lost") == 0)
			add(a, BK_LEVEL_BAD, name, "lost: the WAL it needed is"
			    " gone, its consumer cannot resume (drop it:"
			    " SELECT pg_drop_replication_slot('%s'))",
			    s->name != NULL ? s->name : "?");
		else if (s->wal_status != NULL &&
		    strcmp(s->wal_status, "unreserved") == 0)
			add(a, BK_LEVEL_BAD, name, "unreserved: past"
			    " max_slot_wal_keep_size, its WAL goes at the next"
			    " checkpoint%s", s->active ? "" : " (inactive)");
		else if (!s->active && s->wal_status != NULL &&
		    strcmp(s->wal_status, "extended") == 0)
			add(a, BK_LEVEL_BAD, name, "inactive and holding %s past"
			    " max_wal_size (wal_status extended)", b);
		else if (!s->active)
			add(a, BK_LEVEL_WARN, name, "inactive, holding %s of WAL"
			    "%s", b, w->max_slot_keep < 0 ?
			    " with no max_slot_wal_keep_size: it can fill the"
			    " disk" : "");
	}
	if (inactive > 0) {
		fmt_bytes(b, sizeof b, (double)held);
		part(a, worst_since(a, first), "slots: %d inactive holding %s",
		    inactive, b);
	}
	if (w->hint != NULL)
		add(a, BK_LEVEL_UNKNOWN, "privileges", "%s", w->hint);
}

/* The age target of backup type 'ty', or 0. */
static double
target_of(const struct config_targets *t, int ty)
{
	switch (ty) {
	case BK_FULL:
		return t->full;
	case BK_DIFF:
		return t->diff;
	case BK_INCR:
		return t->incr;
	default:
		return 0;
	}
}

/* Is a completed segment stuck on the server's side of archiving? */
static int
archive_stuck(const struct bk_assessment *a, const struct walinfo *w,
    double now)
{
	return a->arch.failing || (w->ready_count > 0 &&
	    !isnan(w->ready_oldest_time) && now - w->ready_oldest_time > 60);
}

static void
assess_repo(const struct bk_repo *r, const struct walinfo *w,
    const struct config_targets *t, double now, struct bk_assessment *a,
    struct bk_analysis *anp, int first)
{
	struct bk_analyse_opts	 o;
	struct bk_analysis	 an;
	const struct bk_backup	*b;
	char			 name[24], d[32], d2[32], tg[32], pw[32];
	uint32_t		 tli;
	uint64_t		 cur, max;
	double			 stop;
	size_t			 f0;
	int			 ty;

	snprintf(name, sizeof name, "%s", bk_tool_name(r->tool));
	bk_analyse_opts_init(&o, now);
	if (w != NULL) {
		o.current_wal = w->walfile;
		o.seg_size = (uint64_t)w->seg_size;
		if (r->archive_max != NULL && w->last_archived_wal != NULL &&
		    strncmp(r->archive_max, w->last_archived_wal, 24) == 0)
			o.archive_time = w->last_archived_time;
	}
	bk_analyse(r, &o, &an);

	if (r->ok == 0)
		add(a, BK_LEVEL_BAD, name, "%s %s: %s", bk_tool_name(r->tool),
		    r->name != NULL ? r->name : "", r->status_msg != NULL ?
		    r->status_msg : "not ok");

	/* Both sides: the repository's newest WAL against the server's. */
	if (w != NULL && !w->in_recovery && r->archive_max != NULL &&
	    w->walfile != NULL &&
	    wal_segno(w->walfile, w->seg_size, &tli, &cur) == 0 &&
	    wal_segno(r->archive_max, w->seg_size, &tli, &max) == 0) {
		long long lag = cur > max ? (long long)(cur - max) : 0;

		if (a->repo_lag < 0 || lag > a->repo_lag)
			a->repo_lag = lag;
		/*
		 * One segment behind is the one being written.  Two is a
		 * completed segment not in the repository: in flight for a
		 * moment, or stuck if the server fails to archive or it has
		 * waited a minute.
		 */
		if (lag > REPO_LAG_OK || (lag == REPO_LAG_OK &&
		    (archive_stuck(a, w, now) || r->ok == 1)))
			add(a, lag > REPO_LAG_OK || archive_stuck(a, w, now) ?
			    BK_LEVEL_BAD : BK_LEVEL_WARN, "repo archive",
			    "%s %s's newest WAL %s is %lld segments behind the"
			    " server's %s: WAL is not reaching the repository%s",
			    bk_tool_name(r->tool), r->name != NULL ? r->name :
			    "", r->archive_max, lag, w->walfile, r->ok == 1 ?
			    " (though the tool says ok)" : "");
		if (lag > REPO_LAG_OK || (lag == REPO_LAG_OK &&
		    archive_stuck(a, w, now)))
			part(a, BK_LEVEL_BAD, "repository WAL %lld segments"
			    " behind", lag);
	}

	if (an.last_any == BK_NONE) {
		add(a, BK_LEVEL_BAD, "backups", "%s %s: no restorable backup",
		    bk_tool_name(r->tool), r->name != NULL ? r->name : "");
		if (first)
			part(a, BK_LEVEL_BAD, "no good backup");
	} else {
		b = &r->backups[an.last_any];
		stop = !isnan(b->stop) ? b->stop : b->start;
		fmt_duration(d, sizeof d, now - stop);
		if (first) {
			if (b->type != BK_FULL && an.last[BK_FULL] != BK_NONE) {
				const struct bk_backup *f =
				    &r->backups[an.last[BK_FULL]];

				fmt_duration(d2, sizeof d2, now -
				    (!isnan(f->stop) ? f->stop : f->start));
				part(a, BK_LEVEL_OK, "last good: %s %s ago"
				    " (full %s ago)", bk_type_name(b->type), d,
				    d2);
			} else
				part(a, BK_LEVEL_OK, "last good: %s %s ago",
				    bk_type_name(b->type), d);
		}
		f0 = a->nfindings;
		for (ty = BK_FULL; ty <= BK_INCR; ty++) {
			double tgt = target_of(t, ty);

			if (tgt <= 0)
				continue;
			fmt_duration(tg, sizeof tg, tgt);
			if (an.last[ty] == BK_NONE) {
				/* An incr or diff target with none of them
				 * is met by a newer full. */
				if (ty == BK_FULL || now - stop > tgt)
					add(a, BK_LEVEL_BAD, "backups",
					    "no good %s backup (target: every"
					    " %s)", bk_type_name(ty), tg);
				continue;
			}
			b = &r->backups[an.last[ty]];
			stop = !isnan(b->stop) ? b->stop : b->start;
			if (now - stop > tgt) {
				fmt_duration(d, sizeof d, now - stop);
				add(a, BK_LEVEL_BAD, "backups", "last good %s"
				    " backup %s ago, over the target %s",
				    bk_type_name(ty), d, tg);
			}
		}
		/* "last good" is red when a backup is older than its target. */
		if (first && a->nparts > 0 &&
		    strncmp(a->parts[a->nparts - 1].text, "last good", 9) == 0)
			a->parts[a->nparts - 1].level = worst_since(a, f0);
		if (!isnan(an.pitr_start) && !isnan(an.pitr_end) && first) {
			fmt_duration(pw, sizeof pw, an.pitr_end -
			    an.pitr_start);
			part(a, BK_LEVEL_OK, "PITR window %s", pw);
		}
	}
	if (an.nfailed > 0)
		add(a, BK_LEVEL_WARN, "backups", "%zu failed backup%s in the"
		    " repository", an.nfailed, an.nfailed == 1 ? "" : "s");
	if (an.nbroken > 0)
		add(a, BK_LEVEL_BAD, "backups", "%zu backup%s not restorable:"
		    " a backup it depends on is missing or failed", an.nbroken,
		    an.nbroken == 1 ? " is" : "s are");
	if (an.ntrends > 0)
		add(a, BK_LEVEL_WARN, "size trend", "%zu backup%s changed size"
		    " by more than %.0f%% against the one before of its type",
		    an.ntrends, an.ntrends == 1 ? "" : "s", o.trend_pct);
	if (an.ngaps > 0)
		add(a, BK_LEVEL_WARN, "schedule", "%zu gap%s in the backup"
		    " schedule (well over the usual interval)", an.ngaps,
		    an.ngaps == 1 ? "" : "s");
	if (an.nchecks_failed > 0)
		add(a, BK_LEVEL_BAD, "checks", "%zu of the tool's checks"
		    " failed", an.nchecks_failed);
	*anp = an;
}

void
bk_assess(const struct walinfo *w, const struct bk_state *st,
    const struct config_targets *targets, double now,
    struct bk_assessment *a)
{
	struct config_targets	 dflt = { 300, 8 * 86400, 0, 0, 60 };
	const struct config_targets *t = targets != NULL ? targets : &dflt;
	size_t			 i;

	memset(a, 0, sizeof *a);
	a->rpo_s = NAN;
	a->rpo_bytes = -1;
	a->repo_lag = -1;
	if (w != NULL) {
		/* The repositories are judged against it too. */
		wal_archiving(w, now, &a->arch);
		a->have_arch = 1;
	}
	if (st != NULL && st->report != NULL && st->report->nrepos > 0) {
		a->nanalyses = st->report->nrepos;
		a->analyses = xcalloc(a->nanalyses, sizeof *a->analyses);
		for (i = 0; i < st->report->nrepos; i++)
			assess_repo(&st->report->repos[i], w, t, now, a,
			    &a->analyses[i], i == 0);
	} else if (st != NULL)
		part(a, BK_LEVEL_UNKNOWN, "no backup information");
	else
		part(a, BK_LEVEL_UNKNOWN, "backup tools not asked yet");
	if (st != NULL) {
		for (i = 0; i < st->nerrors; i++)
			add(a, st->report->nrepos > 0 ? BK_LEVEL_WARN :
			    BK_LEVEL_UNKNOWN, "tool", "%s", st->errors[i]);
	}
	if (w != NULL)
		assess_server(w, t, now, a);
	else
		part(a, BK_LEVEL_UNKNOWN, "WAL state not probed yet");
	a->level = BK_LEVEL_OK;
	for (i = 0; i < a->nfindings; i++) {
		if (rank(a->findings[i].level) > rank(a->level) &&
		    a->findings[i].level != BK_LEVEL_UNKNOWN)
			a->level = a->findings[i].level;
	}
	sort_findings(a->findings, a->nfindings);
	compose(a);
}

void
bk_assessment_release(struct bk_assessment *a)
{
	size_t	i;

	for (i = 0; i < a->nanalyses; i++)
		bk_analysis_release(&a->analyses[i]);
	free(a->analyses);
	a->analyses = NULL;
	a->nanalyses = 0;
	free(a->findings);
	a->findings = NULL;
	a->nfindings = 0;
}
