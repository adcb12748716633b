/*
 * pane_backups.c - is this database recoverable, to when, and how much
 * would a loss of the server now cost.
 *
 * One status line, green/amber/red, then the findings worst first and
 * the drill-down behind them: archiving as the server sees it, each
 * repository's backups on a timeline with retention and size trend,
 * standbys, slots, and the tool runs themselves.  Everything comes from
 * the snapshot (the last WAL probe and the last tool runs), so replay
 * draws the same pane; ages are taken at the snapshot's time.
 */
#include "panes.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui.h"
#include "../src/backup/assess.h"
#include "../src/backup/backup.h"
#include "../src/backup/runs.h"
#include "../src/backup/wal.h"
#include "../src/config/config.h"
#include "../src/core/strbuf.h"
#include "../src/core/util.h"
#include "../src/core/banned.h"

struct bpane {
	struct snapshot		*snap;
	struct bk_assessment	 a;		/* of snap, made in update() */
	int			 top;		/* lines scrolled out */
	int			 nlines;	/* drawn last time */
};

static struct config_targets	targets = { 300, 8 * 86400, 0, 0, 60 };

void
pane_backups_set_targets(const struct config_targets *t)
{
	targets = *t;
}

static struct bpane *
B(struct pane *p)
{
	return p->data;
}

static int
backups_init(struct pane *p)
{
	p->data = xcalloc(1, sizeof(struct bpane));
	return 0;
}

static void
backups_free(struct pane *p)
{
	struct bpane	*b = B(p);

	bk_assessment_release(&b->a);
	snapshot_unref(b->snap);
	free(b);
}

/*
 * The verdict is drawn once per snapshot, not per frame: ages are taken
 * at the snapshot's time, so scrolling and redraws change nothing.
 */
static void
backups_update(struct pane *p, struct snapshot *s)
{
	struct bpane	*b = B(p);

	snapshot_unref(b->snap);
	b->snap = snapshot_ref(s);
	bk_assessment_release(&b->a);
	bk_assess(s->wal, s->backups, &targets, (double)s->taken_ms / 1000.0,
	    &b->a);
	p->dirty = 1;
}

static enum role
level_role(int level)
{
	switch (level) {
	case BK_LEVEL_OK:
		return ROLE_GOOD;
	case BK_LEVEL_WARN:
		return ROLE_WARN;
	case BK_LEVEL_BAD:
		return ROLE_BAD;
	default:
		return ROLE_DIM;
	}
}

static const char *
level_mark(int level)
{
	int	utf8 = grid_utf8();

	switch (level) {
	case BK_LEVEL_OK:
		return utf8 ? "✔" : "+";
	case BK_LEVEL_WARN:
		return utf8 ? "▲" : "!";
	case BK_LEVEL_BAD:
		return utf8 ? "✘" : "X";
	default:
		return "?";
	}
}

static void
heading(struct dline *o, const char *text)
{
	int	r;

	dline_next(o);
	if ((r = dline_next(o)) >= 0)
		grid_put_trunc(o->g, r, 1, o->g->cols - 2, text, ROLE_COLUMN);
}

/* "2026-11-21 07:31" in UTC, or "-". */
static void
fmt_when(char *buf, size_t size, double t)
{
	time_t		secs;
	struct tm	tm;

	if (isnan(t)) {
		snprintf(buf, size, "-");
		return;
	}
	secs = (time_t)t;
	gmtime_r(&secs, &tm);
	strftime(buf, size, "%Y-%m-%d %H:%M", &tm);
}

static void
fmt_ago(char *buf, size_t size, double now, double t)
{
	char	d[24];

	if (isnan(t)) {
		snprintf(buf, size, "never");
		return;
	}
	fmt_duration(d, sizeof d, now - t);
	snprintf(buf, size, "%s ago", d);
}

static void
draw_findings(struct dline *o, const struct bk_assessment *a)
{
	size_t	i;
	int	r;

	heading(o, "Checks");
	for (i = 0; i < a->nfindings; i++) {
		const struct bk_finding *f = &a->findings[i];

		if ((r = dline_next(o)) < 0)
			continue;
		grid_put(o->g, r, 2, 1, level_mark(f->level),
		    level_role(f->level));
		grid_put_trunc(o->g, r, 4, 18, f->name, ROLE_HEADER_LABEL);
		grid_put_trunc(o->g, r, 23, o->g->cols - 24, f->text,
		    f->level == BK_LEVEL_OK ? ROLE_DEFAULT : level_role(f->level));
	}
}

static void
draw_archiving(struct dline *o, const struct walinfo *w,
    const struct wal_archiving *arch, double now)
{
	char	buf[400], a1[64], a2[64], n1[32], n2[32];

	heading(o, w->in_recovery ? "WAL (standby)" : "Archiving (server side)");
	snprintf(buf, sizeof buf, "%s, archive_timeout %s", w->archive_mode !=
	    NULL ? w->archive_mode : "?", w->archive_timeout > 0 ?
	    (fmt_duration(a1, sizeof a1, w->archive_timeout), a1) : "0 (off)");
	dline_put(o, "archive_mode", buf, ROLE_DEFAULT);
	dline_put(o, "archive_command", w->archive_command[0] != '\0' ?
	    w->archive_command : "(none)", ROLE_DEFAULT);
	if (w->in_recovery) {
		fmt_ago(a1, sizeof a1, now, w->replay_time);
		fmt_bytes(n1, sizeof n1, (double)(w->lsn - w->replay_lsn));
		snprintf(buf, sizeof buf, "last commit replayed %s, %s"
		    " received but not replayed", a1, w->lsn >= 0 &&
		    w->replay_lsn >= 0 ? n1 : "?");
		dline_put(o, "replay", buf, ROLE_DEFAULT);
	} else {
		snprintf(buf, sizeof buf, "%s (%X/%08X)", w->walfile != NULL ?
		    w->walfile : "?", (unsigned)((uint64_t)w->lsn >> 32),
		    (unsigned)((uint64_t)w->lsn & 0xffffffffu));
		if (arch->segments_behind >= 0)
			snprintf(buf + strlen(buf), sizeof buf - strlen(buf),
			    ", %lld segment%s after the last archived",
			    (long long)arch->segments_behind,
			    arch->segments_behind == 1 ? "" : "s");
		dline_put(o, "current WAL", buf, arch->segments_behind > 2 ?
		    ROLE_WARN : ROLE_DEFAULT);
	}
	fmt_ago(a1, sizeof a1, now, w->last_archived_time);
	snprintf(buf, sizeof buf, "%s, %s", w->last_archived_wal != NULL ?
	    w->last_archived_wal : "none", a1);
	dline_put(o, "last archived", buf, ROLE_DEFAULT);
	if (w->last_failed_wal != NULL) {
		fmt_ago(a2, sizeof a2, now, w->last_failed_time);
		snprintf(buf, sizeof buf, "%s, %s", w->last_failed_wal, a2);
		dline_put(o, "last failed", buf,
		    !isnan(w->last_failed_time) && (isnan(w->last_archived_time) ||
		    w->last_failed_time > w->last_archived_time) ? ROLE_BAD :
		    ROLE_DEFAULT);
	}
	fmt_count(n1, sizeof n1, (double)w->archived_count);
	fmt_count(n2, sizeof n2, (double)w->failed_count);
	fmt_when(a1, sizeof a1, w->archiver_reset);
	snprintf(buf, sizeof buf, "%s archived, %s failed, since %s UTC", n1,
	    n2, a1);
	dline_put(o, "counts", buf, ROLE_DEFAULT);
	if (w->ready_count < 0)
		dline_put(o, ".ready backlog", "not visible (needs pg_monitor)",
		    ROLE_DIM);
	else if (w->ready_count == 0)
		dline_put(o, ".ready backlog", "none", ROLE_DEFAULT);
	else {
		fmt_ago(a1, sizeof a1, now, w->ready_oldest_time);
		snprintf(buf, sizeof buf, "%lld segment%s waiting, oldest %s"
		    " (%s)", (long long)w->ready_count, w->ready_count == 1 ?
		    "" : "s", w->ready_oldest_wal != NULL ?
		    w->ready_oldest_wal : "?", a1);
		dline_put(o, ".ready backlog", buf, w->ready_count > 2 ?
		    ROLE_WARN : ROLE_DEFAULT);
	}
}

/*
 * The backups on one line of time, oldest at the left and now at the
 * right: F, D and I where each started, '!' for a failed one, and the
 * PITR window underlined with '='.
 */
static void
draw_timeline(struct dline *o, const struct bk_repo *r,
    const struct bk_analysis *an, double now)
{
	double	t0 = NAN, span;
	int	r1, r2, w = o->g->cols - 24, x, x0, x1;
	size_t	i;
	char	buf[64];

	for (i = 0; i < r->nbackups; i++) {
		if (!isnan(r->backups[i].start) && (isnan(t0) ||
		    r->backups[i].start < t0))
			t0 = r->backups[i].start;
	}
	if (isnan(t0) || w < 10)
		return;
	span = now - t0;
	if (span <= 0)
		span = 1;
	r1 = dline_next(o);
	r2 = dline_next(o);
	if (r1 >= 0) {
		grid_put(o->g, r1, 1, 20, "timeline", ROLE_HEADER_LABEL);
		grid_fill(o->g, r1, 20, w, grid_utf8() ? 0x2500 : '-', ROLE_DIM);
		for (i = 0; i < r->nbackups; i++) {
			const struct bk_backup *b = &r->backups[i];

			if (isnan(b->start))
				continue;
			x = 20 + (int)((b->start - t0) / span * (w - 1));
			buf[0] = b->error || (i < an->nb &&
			    !an->b[i].restorable) ? '!' : b->type == BK_FULL ?
			    'F' : b->type == BK_DIFF ? 'D' : b->type == BK_INCR ?
			    'I' : '?';
			buf[1] = '\0';
			grid_put(o->g, r1, x, 1, buf, buf[0] == '!' ? ROLE_BAD :
			    b->type == BK_FULL ? ROLE_GOOD : ROLE_DEFAULT);
		}
		grid_put(o->g, r1, 20 + w, -1, "now", ROLE_DIM);
	}
	if (r2 >= 0 && !isnan(an->pitr_start) && !isnan(an->pitr_end)) {
		x0 = 20 + (int)((an->pitr_start - t0) / span * (w - 1));
		x1 = 20 + (int)((an->pitr_end - t0) / span * (w - 1));
		if (x1 < x0)
			x1 = x0;
		grid_put(o->g, r2, 1, 20, "PITR window", ROLE_HEADER_LABEL);
		grid_fill(o->g, r2, x0, x1 - x0 + 1, '=', ROLE_GOOD);
	}
}

/* One repository, with the analysis the verdict was drawn from. */
static void
draw_repo(struct dline *o, const struct bk_repo *r,
    const struct bk_analysis *an, double now)
{
	char			 buf[400], t1[32], d1[32], s1[16], s2[16], s3[16];
	char			 trend[16];
	size_t			 i;
	int			 row, ty;

	snprintf(buf, sizeof buf, "Backups: %s %s (%s%s%s)",
	    bk_tool_name(r->tool), r->name != NULL ? r->name : "",
	    r->status_msg != NULL ? r->status_msg : r->ok == 1 ? "ok" :
	    r->ok == 0 ? "not ok" : "status unknown",
	    r->cipher != NULL ? ", cipher " : "",
	    r->cipher != NULL ? r->cipher : "");
	heading(o, buf);
	snprintf(buf, sizeof buf, "%s .. %s", r->archive_min != NULL ?
	    r->archive_min : "?", r->archive_max != NULL ? r->archive_max :
	    "?");
	if (an->archive_lag >= 0)
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf),
		    ", %lld segment%s behind the server's current",
		    (long long)an->archive_lag, an->archive_lag == 1 ? "" : "s");
	dline_put(o, "archive (repo)", buf, an->archive_lag > 2 ? ROLE_BAD :
	    ROLE_DEFAULT);
	if (!isnan(an->pitr_start) && !isnan(an->pitr_end)) {
		fmt_when(t1, sizeof t1, an->pitr_start);
		fmt_duration(d1, sizeof d1, an->pitr_end - an->pitr_start);
		snprintf(buf, sizeof buf, "%s UTC .. %s (%s)", t1,
		    an->pitr_end_from == BK_PITR_NOW ? "now" :
		    an->pitr_end_from == BK_PITR_BACKUP ? "the newest backup" :
		    "the newest archived WAL", d1);
		dline_put(o, "PITR window", buf, ROLE_DEFAULT);
	} else
		dline_put(o, "PITR window", "none: no restorable backup",
		    ROLE_BAD);
	buf[0] = '\0';
	for (ty = BK_FULL; ty <= BK_INCR; ty++) {
		if (an->count[ty] == 0)
			continue;
		fmt_ago(t1, sizeof t1, now, r->backups[an->oldest[ty]].start);
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf),
		    "%s%zu %s (oldest %s)", buf[0] != '\0' ? ", " : "",
		    an->count[ty], bk_type_name((enum bk_type)ty), t1);
	}
	dline_put(o, "retention", buf[0] != '\0' ? buf : "no restorable"
	    " backup", buf[0] != '\0' ? ROLE_DEFAULT : ROLE_BAD);
	draw_timeline(o, r, an, now);

	if (r->nbackups > 0 && (row = dline_next(o)) >= 0)
		grid_put_trunc(o->g, row, 1, o->g->cols - 2,
		    "  label                              type  started (UTC)     took"
		    "      db size   backup    repo   trend  WAL start",
		    ROLE_COLUMN);
	/* Newest first: the one a restore would start from on top. */
	for (i = r->nbackups; i-- > 0;) {
		const struct bk_backup *b = &r->backups[i];
		const struct bk_binfo *bi = i < an->nb ? &an->b[i] : NULL;
		enum role	 role = ROLE_DEFAULT;

		if ((row = dline_next(o)) < 0)
			continue;
		fmt_when(t1, sizeof t1, b->start);
		if (!isnan(b->start) && !isnan(b->stop))
			fmt_duration(d1, sizeof d1, b->stop - b->start);
		else
			snprintf(d1, sizeof d1, "-");
		fmt_bytes(s1, sizeof s1, (double)b->db_size);
		fmt_bytes(s2, sizeof s2, (double)b->delta_size);
		fmt_bytes(s3, sizeof s3, (double)b->repo_delta >= 0 ?
		    (double)b->repo_delta : (double)b->repo_size);
		if (bi != NULL && !isnan(bi->size_change))
			snprintf(trend, sizeof trend, "%+.0f%%",
			    bi->size_change * 100);
		else
			snprintf(trend, sizeof trend, "-");
		snprintf(buf, sizeof buf, "%s %-34.34s %-5s %-16s  %-8s %9s"
		    " %8s %8s %6s  %s%s%s", bi != NULL && !bi->restorable ?
		    "!" : " ", b->label != NULL ? b->label : "?",
		    bk_type_name(b->type), t1, d1, s1, s2, s3, trend,
		    b->wal_start != NULL ? b->wal_start : "-",
		    bi != NULL && !bi->restorable ? "  not restorable: " : "",
		    bi != NULL && !bi->restorable && bi->why != NULL ?
		    bi->why : "");
		if (bi != NULL && !bi->restorable)
			role = ROLE_BAD;
		else if (bi != NULL && bi->size_flag != 0)
			role = ROLE_WARN;
		else if (bi != NULL && bi->gap)
			role = ROLE_WARN;
		grid_put_trunc(o->g, row, 1, o->g->cols - 2, buf, role);
	}
	for (i = 0; i < r->nchecks; i++) {
		snprintf(buf, sizeof buf, "%s%s%s", r->checks[i].ok ? "ok" :
		    "FAILED", r->checks[i].detail != NULL ? ": " : "",
		    r->checks[i].detail != NULL ? r->checks[i].detail : "");
		dline_put(o, r->checks[i].name != NULL ? r->checks[i].name :
		    "check", buf, r->checks[i].ok ? ROLE_DEFAULT : ROLE_BAD);
	}
}

static void
draw_standbys(struct dline *o, const struct walinfo *w)
{
	char	buf[300], l1[16], l2[16], l3[16], b1[16], b2[16];
	size_t	i;
	int	r;

	heading(o, "Replication");
	if (w->nstandbys == 0) {
		if ((r = dline_next(o)) >= 0)
			grid_put(o->g, r, 3, -1, w->in_recovery ?
			    "this server is a standby; no cascading standbys" :
			    "no standby connected", ROLE_DIM);
		return;
	}
	if ((r = dline_next(o)) >= 0)
		grid_put_trunc(o->g, r, 1, o->g->cols - 2,
		    "  name                 client           state      sync"
		    "     lag: write    flush   replay  behind: flush   replay",
		    ROLE_COLUMN);
	for (i = 0; i < w->nstandbys; i++) {
		const struct wal_standby *s = &w->standbys[i];

		if ((r = dline_next(o)) < 0)
			continue;
#define LAG(buf, v) (isnan(v) ? snprintf(buf, sizeof buf, "-") : \
	(fmt_duration(buf, sizeof buf, v), 0))
		LAG(l1, s->write_lag);
		LAG(l2, s->flush_lag);
		LAG(l3, s->replay_lag);
#undef LAG
		fmt_bytes(b1, sizeof b1, (double)s->replay_bytes);
		fmt_bytes(b2, sizeof b2, (double)s->flush_bytes);
		snprintf(buf, sizeof buf, "  %-20.20s %-16.16s %-10.10s %-8.8s"
		    "  %8s %8s %8s  %13s %8s", s->name != NULL ? s->name : "",
		    s->client != NULL ? s->client : "local",
		    s->state != NULL ? s->state : "?",
		    s->sync_state != NULL ? s->sync_state : "?", l1, l2, l3,
		    s->flush_bytes >= 0 ? b2 : "-",
		    s->replay_bytes >= 0 ? b1 : "-");
		grid_put_trunc(o->g, r, 1, o->g->cols - 2, buf,
		    s->state != NULL && strcmp(s->state, "streaming") != 0 ?
		    ROLE_WARN : ROLE_DEFAULT);
	}
}

static void
draw_slots(struct dline *o, const struct walinfo *w)
{
	char	buf[300], b1[16], b2[16];
	size_t	i;
	int	r;
	enum role role;

	heading(o, "Replication slots");
	if (w->nslots == 0) {
		if ((r = dline_next(o)) >= 0)
			grid_put(o->g, r, 3, -1, "none", ROLE_DIM);
		return;
	}
	if ((r = dline_next(o)) >= 0)
		grid_put_trunc(o->g, r, 1, o->g->cols - 2,
		    "  name                 type      active  wal_status  "
		    " retained  safe_wal_size", ROLE_COLUMN);
	for (i = 0; i < w->nslots; i++) {
		const struct wal_slot *s = &w->slots[i];

		if ((r = dline_next(o)) < 0)
			continue;
		fmt_bytes(b1, sizeof b1, (double)s->retained);
		fmt_bytes(b2, sizeof b2, (double)s->safe_wal_size);
		snprintf(buf, sizeof buf, "  %-20.20s %-9.9s %-7s %-11.11s"
		    " %9s  %s", s->name != NULL ? s->name : "?",
		    s->type != NULL ? s->type : "?", s->active ? "yes" : "no",
		    s->wal_status != NULL ? s->wal_status : "-",
		    s->retained >= 0 ? b1 : "-",
		    s->safe_wal_size >= 0 ? b2 : "unlimited");
		role = ROLE_DEFAULT;
		if (s->wal_status != NULL && (strcmp(s->wal_status, "lost") ==
		    0 || strcmp(s->wal_status, "unreserved") == 0))
			role = ROLE_BAD;
		else if (!s->active)
			role = ROLE_WARN;
		grid_put_trunc(o->g, r, 1, o->g->cols - 2, buf, role);
	}
}

static void
draw_runs(struct dline *o, const struct bk_state *st, double now)
{
	char	buf[600], a1[64];
	size_t	i;

	heading(o, "Backup tool runs");
	for (i = 0; i < st->nruns; i++) {
		const struct bk_run *r = &st->runs[i];

		if (r->tool < 0)
			continue;
		fmt_ago(a1, sizeof a1, now, r->fetched);
		snprintf(buf, sizeof buf, "%s, %.2f s, exit %d: %s", a1,
		    r->elapsed, r->status, r->command);
		dline_put(o, r->what, buf, r->status == 0 ? ROLE_DEFAULT :
		    ROLE_WARN);
	}
	for (i = 0; i < st->nerrors; i++)
		dline_put(o, "", st->errors[i], ROLE_WARN);
}

static void
backups_draw(struct pane *p, struct grid *g)
{
	struct bpane		*b = B(p);
	const struct bk_assessment *a = &b->a;
	struct dline		 o;
	const struct walinfo	*w;
	const struct bk_state	*st;
	double			 now;
	size_t			 i;
	char			 buf[480];

	grid_clear(g, ROLE_DEFAULT);
	grid_fill(g, 0, 0, g->cols, ' ', ROLE_TITLE);
	if (b->snap == NULL) {
		grid_put(g, 0, 1, -1, "Backups", ROLE_TITLE);
		grid_put(g, 2, 2, -1, "waiting for the first sample",
		    ROLE_DIM);
		return;
	}
	w = b->snap->wal;
	st = b->snap->backups;
	now = (double)b->snap->taken_ms / 1000.0;
	snprintf(buf, sizeof buf, "%s %s", level_mark(a->level), a->status);
	grid_put_trunc(g, 0, 1, g->cols - 2, buf, ROLE_TITLE);
	grid_paint(g, 0, 0, g->cols, level_role(a->level) == ROLE_GOOD ?
	    ROLE_TITLE : level_role(a->level));
	grid_put(g, 0, 1, 1, level_mark(a->level), level_role(a->level));

	o.g = g;
	o.row = 1;
	o.skip = b->top;
	o.total = 0;
	draw_findings(&o, a);
	if (w != NULL)
		draw_archiving(&o, w, &a->arch, now);
	for (i = 0; i < a->nanalyses; i++)
		draw_repo(&o, &st->report->repos[i], &a->analyses[i], now);
	if (w != NULL) {
		draw_standbys(&o, w);
		draw_slots(&o, w);
	}
	if (st != NULL)
		draw_runs(&o, st, now);
	/* Lines below the title: what scrolling may bring up. */
	b->nlines = o.total + 1;
}

static enum pane_result
backups_action(struct pane *p, enum action act)
{
	struct bpane	*b = B(p);
	int		 page = p->rows > 4 ? p->rows - 2 : 1;

	switch (act) {
	case ACT_UP:
		if (b->top > 0)
			b->top--;
		break;
	case ACT_DOWN:
		if (b->top + p->rows < b->nlines)
			b->top++;
		break;
	case ACT_PAGE_UP:
		b->top = b->top > page ? b->top - page : 0;
		break;
	case ACT_PAGE_DOWN:
		b->top += page;
		if (b->top + p->rows > b->nlines)
			b->top = b->nlines > p->rows ? b->nlines - p->rows : 0;
		break;
	case ACT_HOME:
		b->top = 0;
		break;
	case ACT_END:
		b->top = b->nlines > p->rows ? b->nlines - p->rows : 0;
		break;
	case ACT_RELOAD:
		if (ui_backup_run(p->ui) == -1)
			ui_message(p->ui, 1, "this is a replay: the tool runs"
			    " shown are the ones recorded");
		else
			ui_message(p->ui, 0, "asking the backup tools again");
		return PANE_HANDLED;
	default:
		return PANE_IGNORED;
	}
	p->dirty = 1;
	return PANE_HANDLED | PANE_REDRAW;
}

static const enum action *
backups_hints(struct pane *p)
{
	static const enum action list[] = { ACT_HELP, ACT_RELOAD, ACT_DOWN,
	    ACT_PAGE_DOWN, ACT_QUIT, ACT_NONE };

	(void)p;
	return list;
}

const struct pane_ops pane_backups_ops = {
	.name = "backup",
	.title = "Backups",
	.init = backups_init,
	.free = backups_free,
	.update = backups_update,
	.draw = backups_draw,
	.action = backups_action,
	.hints = backups_hints,
};
