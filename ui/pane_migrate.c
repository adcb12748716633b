/*
 * pane_migrate.c - the Migrations pane: each statement of the migration
 * files a step, with the lock it takes on which relation, whether it
 * rewrites, scans or builds, its estimated duration, and its findings;
 * a timeline of the steps coloured by what they block (reads and writes,
 * writes, nothing), grouped by file and transaction, the worst blocking
 * window called out; a detail view with every lock, the estimate's
 * reasoning, the dry run beside the prediction, and each finding's safe
 * rewrite (the expand-contract phases where a change needs them).
 */
#include "panes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"
#include "../src/core/strbuf.h"
#include "../src/core/util.h"
#include "../src/migrate/migrate.h"
#include "../src/core/banned.h"

enum view { V_STEPS, V_TIMELINE, V_DETAIL };
enum { PROMPT_OPEN = 1, PROMPT_DRY };

/* A row of the step list: a file heading or a step. */
struct row {
	int	 file;		/* heading when stmt < 0 */
	int	 stmt;
};

struct mig_pane {
	struct mig_set	*set;
	char		*source;
	enum view	 view, back;
	struct row	*rows;
	int		 nrows;
	int		 sel, top;	/* in rows */
	int		 dskip;		/* detail scroll */
	int		 wfind;		/* next finding for 'w' */
	/* Figured once per set, not on every draw. */
	struct mig_summary sum;
	signed char	*worst;		/* per statement: worst finding, -1 */
	double		*start;		/* per statement: when it starts, s */
};

static struct mig_pane *
MP(struct pane *p)
{
	return p->data;
}

static int
migrate_init(struct pane *p)
{
	p->data = xcalloc(1, sizeof(struct mig_pane));
	return 0;
}

static void
migrate_free(struct pane *p)
{
	struct mig_pane *a = MP(p);

	mig_set_free(a->set);
	free(a->source);
	free(a->rows);
	free(a->worst);
	free(a->start);
	free(a);
}

static void
build_rows(struct mig_pane *a)
{
	const struct mig_set *s = a->set;
	int n = 0, last = -1;

	free(a->rows);
	a->rows = xcalloc((size_t)(s->nstmts + s->nfiles + 1), sizeof *a->rows);
	for (int i = 0; i < s->nstmts; i++) {
		const struct mig_stmt *st = &s->stmts[i];

		if (st->flags & MIG_ROLLBACK_FILE)
			continue;
		if (st->file != last) {
			a->rows[n].file = st->file;
			a->rows[n++].stmt = -1;
			last = st->file;
		}
		a->rows[n].file = st->file;
		a->rows[n++].stmt = i;
	}
	a->nrows = n;
	a->sel = n > 1 ? 1 : 0;
	a->top = 0;
}

/* The title line's totals, each step's worst finding and its place on
 * the timeline's axis. */
static void
figure(struct mig_pane *a)
{
	const struct mig_set *s = a->set;
	double at = 0;

	mig_summarise(s, &a->sum);
	free(a->worst);
	free(a->start);
	a->worst = xmalloc((size_t)s->nstmts + 1);
	a->start = xcalloc((size_t)s->nstmts + 1, sizeof *a->start);
	memset(a->worst, -1, (size_t)s->nstmts + 1);
	for (int i = 0; i < s->nfindings; i++) {
		const struct mig_finding *f = &s->findings[i];

		if (!f->suppressed && (int)f->sev > a->worst[f->stmt])
			a->worst[f->stmt] = (signed char)f->sev;
	}
	for (int i = 0; i < s->nstmts; i++) {
		a->start[i] = at;
		if (!(s->stmts[i].flags & MIG_ROLLBACK_FILE) && s->stmts[i].est > 0)
			at += s->stmts[i].est;
	}
}

void
pane_migrate_open(struct pane *p, struct mig_set *set, const char *source)
{
	struct mig_pane *a = MP(p);

	mig_set_free(a->set);
	free(a->source);
	a->set = set;
	a->source = xstrdup(source);
	a->view = V_STEPS;
	a->wfind = 0;
	build_rows(a);
	figure(a);
	p->dirty = 1;
}

static enum role
block_role(enum mig_block b)
{
	return b == MIG_BLOCK_ALL ? ROLE_BAD : b == MIG_BLOCK_WRITES ? ROLE_WARN :
	    ROLE_GOOD;
}

static const struct mig_target *
strongest_target(const struct mig_stmt *st)
{
	const struct mig_target *best = NULL;

	for (int i = 0; i < st->ntargets; i++)
		if (best == NULL || st->targets[i].lock > best->lock)
			best = &st->targets[i];
	return best;
}

static void
draw_summary(struct mig_pane *a, struct grid *g, int row)
{
	const struct mig_set *s = a->set;
	const struct mig_summary *m = &a->sum;
	char buf[256], t[32];
	int col;

	mig_fmt_secs(t, sizeof t, m->total);
	snprintf(buf, sizeof buf, "%s  %d step%s in %d file%s  est %s%s  ",
	    a->source, s->ndeploy, s->ndeploy == 1 ? "" : "s", s->nfiles,
	    s->nfiles == 1 ? "" : "s", t, m->unknown > 0 ? "+?" : "");
	col = grid_put(g, row, 0, g->cols, buf, ROLE_TITLE);
	snprintf(buf, sizeof buf, "%d danger", m->danger);
	col += grid_put(g, row, col, g->cols - col, buf,
	    m->danger > 0 ? ROLE_BAD : ROLE_DIM);
	snprintf(buf, sizeof buf, "  %d warning%s", m->warn,
	    m->warn == 1 ? "" : "s");
	col += grid_put(g, row, col, g->cols - col, buf,
	    m->warn > 0 ? ROLE_WARN : ROLE_DIM);
	if (s->nerrors > 0) {
		snprintf(buf, sizeof buf, "  %d error%s", s->nerrors,
		    s->nerrors == 1 ? "" : "s");
		grid_put(g, row, col, g->cols - col, buf, ROLE_BAD);
	}
}

static void
draw_worst(struct mig_pane *a, struct grid *g, int row)
{
	const struct mig_set *s = a->set;
	const struct mig_window *w;
	char buf[256], t[32];

	if (s->worst < 0) {
		grid_put(g, row, 0, g->cols, "Blocks nothing: no step takes a "
		    "lock that stops reads or writes", ROLE_GOOD);
		return;
	}
	w = &s->windows[s->worst];
	mig_fmt_secs(t, sizeof t, w->s);
	snprintf(buf, sizeof buf, "Worst: %s blocked (%s) for %s, %s held from "
	    "%s:%d to line %d", w->rel, mig_block_name(w->blocks), t,
	    mig_lock_short(w->lock), s->files[s->stmts[w->first].file].name,
	    s->stmts[w->first].line, s->stmts[w->last].line);
	grid_put_trunc(g, row, 0, g->cols, buf, block_role(w->blocks));
}

static void
draw_heading(struct mig_pane *a, struct grid *g, int row, int file, int sel)
{
	const struct mig_file *f = &a->set->files[file];
	char buf[256];

	snprintf(buf, sizeof buf, "%s %s (%s%s%s)", grid_utf8() ? "▸" : ">",
	    f->name, mig_fkind_name(f->kind), f->one_tx ?
	    ", one transaction" : "", f->ncuts > 0 ? ", psql parts cut" : "");
	grid_put_trunc(g, row, 0, g->cols, buf, sel ? ROLE_SELECTION :
	    f->nerrors > 0 ? ROLE_BAD : ROLE_HEADER_LABEL);
}

static void
draw_step(struct mig_pane *a, struct grid *g, int row, int si, int sel)
{
	const struct mig_stmt *st = &a->set->stmts[si];
	const struct mig_target *t = strongest_target(st);
	int wf = a->worst[si], col = 0, wide = g->cols >= 120;
	char buf[96], est[32];

	if (sel)
		grid_fill(g, row, 0, g->cols, ' ', ROLE_SELECTION);
	snprintf(buf, sizeof buf, "%5d ", st->line);
	col += grid_put(g, row, col, 6, buf, sel ? ROLE_SELECTION : ROLE_DIM);
	grid_put(g, row, col, 1, wf == MIG_DANGER ? "!" : wf == MIG_WARN ? "~" :
	    " ", sel ? ROLE_SELECTION : wf == MIG_DANGER ? ROLE_BAD : ROLE_WARN);
	col += 2;
	if (st->flags & MIG_PARSE_ERROR) {
		grid_put_trunc(g, row, col, g->cols - col, "syntax error: see "
		    "the detail", sel ? ROLE_SELECTION : ROLE_BAD);
		return;
	}
	grid_put_trunc(g, row, col, wide ? 22 : 14, st->lock != MIG_LOCK_NONE ?
	    mig_lock_short(st->lock) : "-", sel ? ROLE_SELECTION :
	    block_role(st->blocks));
	col += wide ? 23 : 15;
	grid_put_trunc(g, row, col, wide ? 20 : 12, t != NULL ? t->name : "",
	    sel ? ROLE_SELECTION : ROLE_DEFAULT);
	col += wide ? 21 : 13;
	snprintf(buf, sizeof buf, "%c%c%c%c",
	    st->flags & MIG_NO_TX ? 'N' : st->tx >= 0 ? 'T' : ' ',
	    t != NULL && (t->flags & MIG_REWRITE) ? 'R' : ' ',
	    t != NULL && (t->flags & MIG_SCAN) ? 'S' : ' ',
	    t != NULL && (t->flags & MIG_BUILD) ? 'B' : ' ');
	grid_put(g, row, col, 4, buf, sel ? ROLE_SELECTION : ROLE_DIM);
	col += 5;
	mig_fmt_secs(est, sizeof est, st->est);
	grid_put_right(g, row, col, 7, est, sel ? ROLE_SELECTION :
	    st->est < 0 ? ROLE_DIM : ROLE_DEFAULT);
	col += 8;
	if (wide) {
		char dry[32] = "";

		if (st->dry_done > 0)
			mig_fmt_secs(dry, sizeof dry, st->dry_s);
		else if (st->dry_done < 0)
			snprintf(dry, sizeof dry, "-");
		grid_put_right(g, row, col, 7, dry, sel ? ROLE_SELECTION :
		    ROLE_DIM);
		col += 8;
	}
	grid_put_trunc(g, row, col, g->cols - col, st->what != NULL &&
	    *st->what != '\0' && !wide ? st->what : st->sql,
	    sel ? ROLE_SELECTION : ROLE_DEFAULT);
}

static void
draw_steps(struct pane *p, struct grid *g)
{
	struct mig_pane *a = MP(p);
	int wide = g->cols >= 120, vis = g->rows - 4, col = 0;

	draw_summary(a, g, 0);
	col += grid_put(g, 1, col, 8, " line", ROLE_COLUMN);
	col = 8;
	grid_put(g, 1, col, wide ? 22 : 14, "lock", ROLE_COLUMN);
	col += wide ? 23 : 15;
	grid_put(g, 1, col, wide ? 20 : 12, "on", ROLE_COLUMN);
	col += wide ? 21 : 13;
	grid_put(g, 1, col, 4, "TRSB", ROLE_COLUMN);
	col += 5;
	grid_put_right(g, 1, col, 7, "est", ROLE_COLUMN);
	col += 8;
	if (wide) {
		grid_put_right(g, 1, col, 7, "dry", ROLE_COLUMN);
		col += 8;
	}
	grid_put(g, 1, col, g->cols - col, wide ? "statement" : "what",
	    ROLE_COLUMN);
	if (vis < 1)
		vis = 1;
	scroll_to(&a->top, a->sel, a->nrows, vis);
	for (int r = 0; r < vis && a->top + r < a->nrows; r++) {
		const struct row *rw = &a->rows[a->top + r];

		if (rw->stmt < 0)
			draw_heading(a, g, 2 + r, rw->file, a->top + r == a->sel);
		else
			draw_step(a, g, 2 + r, rw->stmt, a->top + r == a->sel);
	}
	draw_worst(a, g, g->rows - 2);
	grid_put_trunc(g, g->rows - 1, 0, g->cols, "T in a transaction, N "
	    "outside one; R rewrite, S scan, B index build; ! danger, ~ warning",
	    ROLE_DIM);
}

/* The timeline: one bar per step, on one time axis for the whole set. */
static void
draw_timeline(struct pane *p, struct grid *g)
{
	struct mig_pane *a = MP(p);
	const struct mig_set *s = a->set;
	int label = g->cols >= 120 ? 40 : 26, width = g->cols - label - 8;
	int vis = g->rows - 4;
	double total = a->sum.total;
	char buf[128];

	draw_summary(a, g, 0);
	mig_fmt_secs(buf, sizeof buf, total);
	grid_put(g, 1, 0, label, "step", ROLE_COLUMN);
	grid_put(g, 1, label, 2, "0", ROLE_COLUMN);
	grid_put_right(g, 1, label, width, buf, ROLE_COLUMN);
	if (width < 10 || vis < 1)
		return;
	scroll_to(&a->top, a->sel, a->nrows, vis);
	for (int r = 0; r < vis && a->top + r < a->nrows; r++) {
		const struct row *rw = &a->rows[a->top + r];
		const struct mig_stmt *st;
		int row = 2 + r, sel = a->top + r == a->sel, x0, len;
		int in_worst;

		if (rw->stmt < 0) {
			draw_heading(a, g, row, rw->file, sel);
			continue;
		}
		st = &s->stmts[rw->stmt];
		in_worst = s->worst >= 0 && rw->stmt >= s->windows[s->worst].first &&
		    rw->stmt <= s->windows[s->worst].last;
		snprintf(buf, sizeof buf, "%s%4d %s %s", in_worst ? ">" : " ",
		    st->line, st->tx >= 0 ? "T" : st->flags & MIG_NO_TX ? "N" :
		    " ", st->what != NULL && *st->what != '\0' ? st->what :
		    st->tag != NULL ? st->tag : "");
		grid_put_trunc(g, row, 0, label - 1, buf, sel ? ROLE_SELECTION :
		    in_worst ? ROLE_BAD : ROLE_DEFAULT);
		x0 = total > 0 ? (int)(a->start[rw->stmt] / total * width) : 0;
		if (st->est < 0) {
			grid_put(g, row, label + x0, 1, "?", ROLE_DIM);
			continue;
		}
		len = total > 0 ? (int)(st->est / total * width + 0.5) : 0;
		if (len < 1)
			len = 1;
		if (x0 + len > width)
			len = width - x0 > 0 ? width - x0 : 1;
		grid_fill(g, row, label + x0, len, grid_utf8() ? G_BLOCK_FULL : '#',
		    st->flags & MIG_PARSE_ERROR ? ROLE_DIM : block_role(st->blocks));
		mig_fmt_secs(buf, sizeof buf, st->est);
		if (label + x0 + len + 1 + text_width(buf) <= g->cols)
			grid_put(g, row, label + x0 + len + 1, -1, buf, ROLE_DIM);
	}
	draw_worst(a, g, g->rows - 2);
	{
		int col = 0;

		col += grid_put(g, g->rows - 1, col, -1, "bars: ", ROLE_DIM);
		col += grid_put(g, g->rows - 1, col, -1, "reads+writes blocked",
		    ROLE_BAD);
		col += grid_put(g, g->rows - 1, col, -1, "  ", ROLE_DIM);
		col += grid_put(g, g->rows - 1, col, -1, "writes blocked",
		    ROLE_WARN);
		col += grid_put(g, g->rows - 1, col, -1, "  ", ROLE_DIM);
		col += grid_put(g, g->rows - 1, col, -1, "nothing blocked",
		    ROLE_GOOD);
		grid_put(g, g->rows - 1, col, -1, "  ? size unknown", ROLE_DIM);
	}
}

/* Everything about one step, as text, for the detail view. */
static char *
detail_text(const struct mig_set *s, int si)
{
	const struct mig_stmt *st = &s->stmts[si];
	struct strbuf sb;
	char a[32], b[32], c[32], r[32];

	strbuf_init(&sb, 1024);
	strbuf_addf(&sb, "%s:%d:%d  %s%s\n\n%s\n\n", s->files[st->file].name,
	    st->line, st->col, st->tag != NULL ? st->tag : "",
	    st->what != NULL && *st->what != '\0' ? " - " : "",
	    st->what != NULL ? st->what : "");
	strbuf_addf(&sb, "%s\n\n", st->sql);
	if (st->flags & MIG_PARSE_ERROR) {
		for (int i = 0; i < s->nerrors; i++)
			if (strstr(s->errors[i], s->files[st->file].name) != NULL)
				strbuf_addf(&sb, "%s\n", s->errors[i]);
		return strbuf_detach(&sb);
	}
	strbuf_addf(&sb, "Runs: %s\n", st->flags & MIG_NO_TX ?
	    "outside any transaction block (it refuses one)" : st->tx >= 0 ?
	    "inside a transaction: its locks are held until COMMIT" :
	    "on its own (autocommit)");
	strbuf_addf(&sb, "Blocks: %s\n", mig_block_name(st->blocks));
	for (int i = 0; i < st->ntargets; i++) {
		const struct mig_target *t = &st->targets[i];

		mig_fmt_bytes(a, sizeof a, t->heap_bytes);
		mig_fmt_bytes(b, sizeof b, t->index_bytes);
		if (t->rows < 0)
			snprintf(r, sizeof r, "?");
		else
			fmt_count(r, sizeof r, t->rows);
		strbuf_addf(&sb, "  %s%s%s  %s%s%s%s%s%s  heap %s, indexes %s, "
		    "rows %s\n", t->schema != NULL ? t->schema : "",
		    t->schema != NULL ? "." : "", t->name,
		    t->lock != MIG_LOCK_NONE ? mig_lock_name(t->lock) : "no lock",
		    t->flags & MIG_REWRITE ? ", rewrite" : "",
		    t->flags & MIG_SCAN ? ", full scan" : "",
		    t->flags & MIG_BUILD ? ", index build" : "",
		    t->flags & MIG_NEW ? ", created by this migration" : "",
		    t->flags & MIG_FK_PARENT ? ", referenced" : "", a, b, r);
	}
	mig_fmt_secs(a, sizeof a, st->est);
	mig_fmt_secs(b, sizeof b, st->est_lo);
	mig_fmt_secs(c, sizeof c, st->est_hi);
	strbuf_addf(&sb, "\nEstimate: %s (%s to %s), %s; rates %s\n", a, b, c,
	    st->est_why != NULL ? st->est_why : "", s->rates.source);
	if (st->dry_done > 0) {
		mig_fmt_secs(a, sizeof a, st->dry_s);
		strbuf_addf(&sb, "Dry run: %s, took %s\n", a, st->dry_locks != NULL &&
		    *st->dry_locks != '\0' ? st->dry_locks : "no new locks");
	} else if (st->dry_done < 0) {
		strbuf_addf(&sb, "Dry run: %s\n", st->dry_error);
	}
	if (st->risk != NULL)
		strbuf_addf(&sb, "Now: %s\n", st->risk);
	if ((st->flags & MIG_CONCURRENT) && s->oldest_xact_s >= 0) {
		mig_fmt_secs(a, sizeof a, s->oldest_xact_s);
		strbuf_addf(&sb, "Now: CONCURRENTLY waits for every older "
		    "transaction; the oldest (pid %d) has been open %s\n",
		    s->oldest_xact_pid, a);
	}
	for (int i = 0; i < s->nfindings; i++) {
		const struct mig_finding *f = &s->findings[i];

		if (f->stmt != si)
			continue;
		strbuf_addf(&sb, "\n%s %s%s: %s\n", mig_sev_name(f->sev), f->rule,
		    f->suppressed ? " (suppressed)" : "", f->message);
		if (f->fix != NULL)
			strbuf_addf(&sb, "Safer:\n%s\n", f->fix);
	}
	return strbuf_detach(&sb);
}

static void
draw_detail(struct pane *p, struct grid *g)
{
	struct mig_pane *a = MP(p);
	const struct row *rw = &a->rows[a->sel];
	char *text;

	if (rw->stmt < 0) {
		const struct mig_file *f = &a->set->files[rw->file];
		struct strbuf sb;

		strbuf_init(&sb, 256);
		strbuf_addf(&sb, "%s\n%s, %d statement%s%s\n", f->path,
		    mig_fkind_name(f->kind), f->nstmts, f->nstmts == 1 ? "" : "s",
		    f->one_tx ? ", run by its tool as one transaction" : "");
		if (f->rollback >= 0)
			strbuf_addf(&sb, "Rollback: %s\n",
			    a->set->files[f->rollback].name);
		for (int i = 0; i < f->ncuts; i++)
			strbuf_addf(&sb, "line %d: cut before parsing: %s\n",
			    f->cuts[i].line, f->cuts[i].what);
		text = strbuf_detach(&sb);
	} else {
		text = detail_text(a->set, rw->stmt);
	}
	grid_put_wrapped(g, 0, 0, g->cols, a->dskip, g->rows, text,
	    ROLE_DEFAULT);
	free(text);
}

static void
migrate_draw(struct pane *p, struct grid *g)
{
	struct mig_pane *a = MP(p);

	grid_clear(g, ROLE_DEFAULT);
	if (a->set == NULL) {
		grid_put_wrapped(g, 1, 2, g->cols - 4, 0, g->rows - 2,
		    "No migration loaded.\n\nPress o to open migration files "
		    "or a folder (plain SQL, Flyway V__/U__/R__, sqitch, "
		    "up/down pairs), or start pgdeck migrate PATH. With a "
		    "connection, steps are estimated on this server's real "
		    "sizes.", ROLE_DIM);
		return;
	}
	if (a->nrows == 0) {
		grid_put(g, 1, 2, g->cols - 4, "No statements in these files.",
		    ROLE_DIM);
		for (int i = 0; i < a->set->nerrors && i + 3 < g->rows; i++)
			grid_put_trunc(g, 3 + i, 2, g->cols - 4,
			    a->set->errors[i], ROLE_BAD);
		return;
	}
	if (a->view == V_DETAIL)
		draw_detail(p, g);
	else if (a->view == V_TIMELINE)
		draw_timeline(p, g);
	else
		draw_steps(p, g);
}

static void
next_finding(struct pane *p)
{
	struct mig_pane *a = MP(p);
	const struct mig_set *s = a->set;

	for (int k = 0; k < s->nfindings; k++) {
		int i = (a->wfind + k) % s->nfindings;

		if (s->findings[i].suppressed || s->findings[i].sev == MIG_INFO)
			continue;
		for (int r = 0; r < a->nrows; r++) {
			if (a->rows[r].stmt == s->findings[i].stmt) {
				a->sel = r;
				a->wfind = i + 1;
				ui_message(p->ui, 0, "%s: %s", s->findings[i].rule,
				    s->findings[i].message);
				return;
			}
		}
	}
	ui_message(p->ui, 0, "no warnings or dangers");
}

static enum pane_result
migrate_action(struct pane *p, enum action act)
{
	struct mig_pane *a = MP(p);
	int page = p->rows > 5 ? p->rows - 5 : 1;

	if (act == ACT_OPEN_MIGRATION) {
		ui_prompt(p->ui, p, PROMPT_OPEN, "Migration file or folder:", "");
		return PANE_HANDLED;
	}
	if (a->set == NULL || a->nrows == 0)
		return PANE_IGNORED;
	switch (act) {
	case ACT_UP: case ACT_DOWN: case ACT_PAGE_UP: case ACT_PAGE_DOWN:
	case ACT_HOME: case ACT_END:
		if (a->view == V_DETAIL) {
			a->dskip += act == ACT_DOWN ? 1 : act == ACT_UP ? -1 :
			    act == ACT_PAGE_DOWN ? page : act == ACT_PAGE_UP ?
			    -page : act == ACT_HOME ? -a->dskip : 0;
			if (a->dskip < 0)
				a->dskip = 0;
		} else {
			a->sel += act == ACT_DOWN ? 1 : act == ACT_UP ? -1 :
			    act == ACT_PAGE_DOWN ? page : act == ACT_PAGE_UP ?
			    -page : act == ACT_HOME ? -a->nrows : a->nrows;
			if (a->sel >= a->nrows)
				a->sel = a->nrows - 1;
			if (a->sel < 0)
				a->sel = 0;
		}
		break;
	case ACT_ENTER:
		if (a->view == V_DETAIL)
			return PANE_HANDLED;
		a->back = a->view;
		a->view = V_DETAIL;
		a->dskip = 0;
		break;
	case ACT_BACK:
		if (a->view != V_DETAIL)
			return PANE_IGNORED;
		a->view = a->back;
		break;
	case ACT_TIMELINE:
		a->view = a->view == V_TIMELINE ? V_STEPS : V_TIMELINE;
		break;
	case ACT_NEXT_WARNING:
		next_finding(p);
		break;
	case ACT_COPY: {
		const struct row *rw = &a->rows[a->sel];

		if (rw->stmt >= 0) {
			char *t = detail_text(a->set, rw->stmt);

			ui_copy(p->ui, t);
			free(t);
		}
		return PANE_HANDLED;
	}
	case ACT_DRY_RUN:
		ui_prompt(p->ui, p, PROMPT_DRY, "Dry run on the scratch database "
		    "(every step traced, then rolled back):", "");
		return PANE_HANDLED;
	default:
		return PANE_IGNORED;
	}
	p->dirty = 1;
	return PANE_HANDLED | PANE_REDRAW;
}

static void
migrate_prompt(struct pane *p, int id, enum prompt_event ev, const char *text)
{
	struct mig_pane *a = MP(p);
	char why[256];

	if (ev != PROMPT_DONE || text == NULL || *text == '\0')
		return;
	if (id == PROMPT_OPEN) {
		const char *paths[1] = { text };
		char *cause = NULL;
		struct mig_set *set = mig_load(paths, 1, &cause);

		if (set == NULL) {
			ui_message(p->ui, 1, "%s", cause);
			free(cause);
			return;
		}
		mig_analyze(set, NULL);
		mig_estimate(set, NULL);
		pane_migrate_open(p, set, text);
		if (set->nerrors > 0)
			ui_message(p->ui, 1, "%s", set->errors[0]);
	} else if (id == PROMPT_DRY && a->set != NULL) {
		if (ui_dry_run(p->ui, a->set, text, why, sizeof why) != 0)
			ui_message(p->ui, 1, "dry run: %s", why);
		else
			ui_message(p->ui, 0, "dry run on %s done, rolled back",
			    text);
	}
	p->dirty = 1;
}

static const enum action *
migrate_hints(struct pane *p)
{
	static const enum action steps[] = {
		ACT_ENTER, ACT_TIMELINE, ACT_NEXT_WARNING, ACT_DRY_RUN,
		ACT_OPEN_MIGRATION, ACT_NONE
	};
	static const enum action detail[] = { ACT_BACK, ACT_COPY, ACT_NONE };
	static const enum action empty[] = { ACT_OPEN_MIGRATION, ACT_NONE };
	struct mig_pane *a = MP(p);

	if (a->set == NULL)
		return empty;
	return a->view == V_DETAIL ? detail : steps;
}

const struct pane_ops pane_migrate_ops = {
	.name = "migrate",
	.title = "Migrations",
	.init = migrate_init,
	.free = migrate_free,
	.draw = migrate_draw,
	.action = migrate_action,
	.hints = migrate_hints,
	.prompt = migrate_prompt,
};
