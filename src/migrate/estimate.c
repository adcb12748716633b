/*
 * estimate.c - how long each step takes on this server, from the sizes
 * of the relations it touches and rates (defaults, or calibrated by a
 * sampled read on the server: server.c), and how long each relation
 * stays locked: from the statement that takes the lock to the end of
 * its transaction.
 *
 * Each step is metadata (milliseconds, plus any wait for the lock), or
 * the sum of its targets' work: a rewrite writes the heap and rebuilds
 * every index, an index build reads the heap and sorts its rows, a
 * validation reads the heap (a foreign key also probes the referenced
 * table), DML writes the rows it touches and an entry in each index.
 * The range is a factor of 2 each way with calibrated rates and of 4
 * with the defaults.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "core/strbuf.h"
#include "migrate/mig_int.h"

/*
 * Defaults from bench/migrate.sh on a 2-core VM with the data in the page
 * cache; calibration scales them (server.c).  dml_rows_s counts a heap
 * row and each index entry alike: 1M rows updated took 1.6 s with no
 * index and 4.9 s with two.
 */
void
mig_rates_default(struct mig_rates *r)
{
	r->seq_bytes_s = 1300e6;
	r->write_bytes_s = 130e6;
	r->sort_rows_s = 2.4e6;
	r->dml_rows_s = 650e3;
	r->fk_rows_s = 3e6;
	r->meta_s = 0.005;
	r->source = "defaults";
}

static double
rows_of(const struct mig_target *t)
{
	if (t->rows >= 0)
		return t->rows;
	/* A guess at 100 bytes a row, when only the size is known. */
	return t->heap_bytes >= 0 ? t->heap_bytes / 100 : -1;
}

/* The rows of COPY ... FROM stdin: the data lines cut out after it. */
static double
copy_rows(const struct mig_set *set, const struct mig_stmt *st)
{
	const struct mig_file *f = &set->files[st->file];

	for (int i = 0; i < f->ncuts; i++) {
		if (f->cuts[i].line < st->line)
			continue;
		if (f->cuts[i].line > st->end_line + 1)
			break;
		if (f->cuts[i].copy_rows >= 0)
			return f->cuts[i].copy_rows;
	}
	return -1;
}

/* TOAST bytes a rewrite copies along with the heap; 0 unknown. */
static double
toast_of(struct mig_catalog *cat, const struct mig_target *t)
{
	const struct mig_rel *r = cat != NULL ? mig_cat_find(cat, t->schema,
	    t->name) : NULL;

	return r != NULL && r->toast_bytes > 0 ? r->toast_bytes : 0;
}

static void
add_why(struct strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
add_why(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	if (sb->len > 0)
		strbuf_addstr(sb, " + ");
	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

/* Seconds of work on one target; -1 when its size is unknown. */
static double
target_work(const struct mig_set *set, struct mig_catalog *cat,
    const struct mig_stmt *st, const struct mig_target *t,
    const struct mig_rates *r, struct strbuf *why)
{
	double rows = rows_of(t), s = 0, wrows;
	char b[32];
	int conc = (st->flags & MIG_CONCURRENT) != 0;

	if ((t->flags & MIG_WRITE) && st->tag != NULL &&
	    strcmp(st->tag, "COPY") == 0) {
		/* Sized by its data, whether the table is new or not. */
		if ((wrows = copy_rows(set, st)) < 0) {
			add_why(why, "rows copied into %s unknown (COPY from a "
			    "file)", t->name);
			return -1;
		}
		add_why(why, "%.0f rows copied into %s", wrows, t->name);
		return wrows * (1 + (t->nindexes > 0 ? t->nindexes : 0)) /
		    r->dml_rows_s;
	}
	if (t->flags & MIG_NEW)
		return 0;
	if (!(t->flags & (MIG_REWRITE | MIG_SCAN | MIG_BUILD | MIG_WRITE)) &&
	    !((t->flags & MIG_FK_PARENT) && st->cls == MIG_CLASS_FK))
		return 0;
	if (t->heap_bytes < 0 && !(t->flags & MIG_WRITE))
		return -1;
	mig_fmt_bytes(b, sizeof b, t->heap_bytes);
	if (t->flags & MIG_REWRITE) {
		double toast = toast_of(cat, t);

		s = (t->heap_bytes + toast) / r->write_bytes_s;
		if (toast > 0) {
			char tb[32];

			mig_fmt_bytes(tb, sizeof tb, toast);
			add_why(why, "rewrite %s of %s and %s of TOAST", b,
			    t->name, tb);
		} else {
			add_why(why, "rewrite %s of %s", b, t->name);
		}
		if (t->nindexes > 0 && rows > 0) {
			s += t->nindexes * rows / r->sort_rows_s;
			add_why(why, "%d index%s rebuilt", t->nindexes,
			    t->nindexes == 1 ? "" : "es");
		}
		return s;
	}
	if (t->flags & MIG_BUILD) {
		/* CONCURRENTLY reads the heap twice and sorts twice: the
		 * build, then validate_index's sort of every TID. */
		s = (conc ? 2 : 1) * t->heap_bytes / r->seq_bytes_s;
		if (rows > 0)
			s += (conc ? 2 : 1) * rows / r->sort_rows_s;
		add_why(why, "index build over %s of %s%s", b, t->name,
		    conc ? " (two passes)" : "");
		return s;
	}
	if (t->flags & MIG_WRITE) {
		if (t->rows < 0) {
			add_why(why, "rows written to %s unknown", t->name);
			return -1;
		}
		add_why(why, "%s%.0f rows written to %s%s",
		    t->flags & MIG_ROWS_PLANNED ? "planner: " : "", t->rows,
		    t->name, t->nindexes > 0 ? " and its indexes" : "");
		return t->rows * (1 + (t->nindexes > 0 ? t->nindexes : 0)) /
		    r->dml_rows_s;
	}
	/* A validating read, or the referenced side of an FK check. */
	s = t->heap_bytes / r->seq_bytes_s;
	if (st->cls == MIG_CLASS_FK && rows > 0)
		s += rows / r->fk_rows_s;
	add_why(why, "%s %s of %s", t->flags & MIG_FK_PARENT ? "read" : "scan",
	    b, t->name);
	return s;
}

static void
estimate_stmt(const struct mig_set *set, struct mig_catalog *cat,
    struct mig_stmt *st, const struct mig_rates *r, double spread)
{
	struct strbuf why, unknown;
	double s = 0;

	free(st->est_why);
	st->est_why = NULL;
	st->est = st->est_lo = st->est_hi = -1;
	if (st->tree == NULL)
		return;
	if (st->tag != NULL && (strcmp(st->tag, "DO") == 0 ||
	    strcmp(st->tag, "CALL") == 0)) {
		/* Its body may do anything, from nothing to a backfill. */
		st->est_why = xstrfmt("the work inside %s is not analysed",
		    st->tag[0] == 'D' ? "a DO block" : "a procedure");
		return;
	}
	if (st->cls == MIG_CLASS_NONE) {
		st->est = st->est_lo = st->est_hi = 0;
		return;
	}
	strbuf_init(&why, 64);
	strbuf_init(&unknown, 0);
	for (int i = 0; i < st->ntargets; i++) {
		size_t mark = why.len;
		double w = target_work(set, cat, st, &st->targets[i], r, &why);

		if (w >= 0) {
			s += w;
			continue;
		}
		/* Keep what is unknown, and say why. */
		if (why.len > mark)
			add_why(&unknown, "%s", why.buf + mark +
			    (mark > 0 ? 3 : 0));
		else
			add_why(&unknown, "size of %s unknown",
			    st->targets[i].name);
		strbuf_setlen(&why, mark);
	}
	if (unknown.len > 0) {
		strbuf_release(&why);
		if (strcmp(set->origin, "files") == 0)
			strbuf_addstr(&unknown, ": connect to a server to "
			    "estimate");
		st->est_why = strbuf_detach(&unknown);
		return;
	}
	strbuf_release(&unknown);
	if (why.len == 0)
		strbuf_addstr(&why, "catalog only");
	/* The planner's row count is a guess too: twice the range. */
	for (int i = 0; i < st->ntargets; i++)
		if (st->targets[i].flags & MIG_ROWS_PLANNED)
			spread *= 2;
	st->est = r->meta_s + s;
	st->est_lo = r->meta_s + s / spread;
	st->est_hi = r->meta_s + s * spread;
	st->est_why = strbuf_detach(&why);
}

static char *
qualified(const struct mig_target *t)
{
	return t->schema != NULL ? xstrfmt("%s.%s", t->schema, t->name) :
	    xstrdup(t->name);
}

static void
close_windows(struct mig_set *set, int from, int last)
{
	for (int i = from; i < set->nwindows; i++) {
		struct mig_window *w = &set->windows[i];
		double s = 0;

		w->last = last;
		for (int k = w->first; k <= last; k++) {
			if (set->stmts[k].est < 0) {
				s = -1;
				break;
			}
			s += set->stmts[k].est;
		}
		w->s = s;
	}
}

static void
windows(struct mig_set *set)
{
	int open_from = 0, cur_tx = -2, prev = -1;

	for (int i = 0; i < set->nwindows; i++)
		free(set->windows[i].rel);
	free(set->windows);
	set->windows = NULL;
	set->nwindows = 0;
	set->worst = -1;
	for (int i = 0; i < set->nstmts; i++) {
		struct mig_stmt *st = &set->stmts[i];

		if (st->tree == NULL || (st->flags & MIG_ROLLBACK_FILE))
			continue;
		if (st->tx != cur_tx || st->tx < 0) {
			if (prev >= 0)
				close_windows(set, open_from, prev);
			open_from = set->nwindows;
			cur_tx = st->tx;
		}
		prev = i;
		for (int k = 0; k < st->ntargets; k++) {
			const struct mig_target *t = &st->targets[k];
			enum mig_block b = mig_lock_blocks(t->lock);
			struct mig_window *w = NULL;
			char *rel;

			if (b == MIG_BLOCK_NOTHING || (t->flags & MIG_NEW) ||
			    t->kind == MIG_OBJ_TYPE)
				continue;
			rel = qualified(t);
			for (int j = open_from; j < set->nwindows; j++)
				if (strcmp(set->windows[j].rel, rel) == 0)
					w = &set->windows[j];
			if (w == NULL) {
				w = MIG_PUSH(set->windows, set->nwindows);
				w->first = i;
				w->rel = rel;
			} else {
				free(rel);
			}
			if (t->lock > w->lock) {
				w->lock = t->lock;
				w->blocks = b;
			}
		}
	}
	if (prev >= 0)
		close_windows(set, open_from, prev);
	for (int i = 0; i < set->nwindows; i++) {
		const struct mig_window *w = &set->windows[i], *o;

		if (set->worst < 0) {
			set->worst = i;
			continue;
		}
		/* Blocking more wins; then an unknown length (it may be
		 * long) over a known one; then the longer. */
		o = &set->windows[set->worst];
		if (w->blocks > o->blocks || (w->blocks == o->blocks &&
		    ((w->s < 0 && o->s >= 0) || (o->s >= 0 && w->s > o->s))))
			set->worst = i;
	}
}

void
mig_estimate(struct mig_set *set, struct mig_catalog *cat)
{
	double spread = strcmp(set->rates.source, "defaults") == 0 ? 4 : 2;

	for (int i = 0; i < set->nstmts; i++)
		estimate_stmt(set, cat, &set->stmts[i], &set->rates, spread);
	windows(set);
}
