/*
 * header.c - vital signs, laid out as items that flow over the rows.
 *
 * Row 0 says what we are looking at and whether it is live; the next
 * rows carry label/value items in priority order, each coloured by how
 * worrying its value is.  Items that do not fit are dropped from the end,
 * so the most important ones survive on an 80-column terminal.
 */
#include "header.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ui.h"
#include "../src/core/util.h"
#include "../src/core/banned.h"

int
header_rows(int cols)
{
	return cols >= 160 ? 2 : 3;
}

struct item {
	char		label[24];
	char		value[64];
	enum role	role;
};

static void
add(struct item *items, int *n, const char *label, enum role role,
    const char *fmt, ...) PRINTF_LIKE(5, 6);

static void
add(struct item *items, int *n, const char *label, enum role role,
    const char *fmt, ...)
{
	va_list	ap;

	snprintf(items[*n].label, sizeof items[*n].label, "%s", label);
	va_start(ap, fmt);
	vsnprintf(items[*n].value, sizeof items[*n].value, fmt, ap);
	va_end(ap);
	items[*n].role = role;
	(*n)++;
}

static enum role
age_role(double seconds, double warn, double bad)
{
	if (isnan(seconds))
		return ROLE_HEADER_VALUE;
	if (seconds >= bad)
		return ROLE_BAD;
	if (seconds >= warn)
		return ROLE_WARN;
	return ROLE_HEADER_VALUE;
}

static int
collect(const struct snapshot *s, const struct activity_summary *sum,
    struct item *it)
{
	const struct vitals	*v = &s->vitals;
	char			 a[32], b[32];
	int			 n = 0, avail;
	double			 used;

	if (isnan(v->tps))
		add(it, &n, "TPS", ROLE_DIM, "-");
	else
		add(it, &n, "TPS", ROLE_HEADER_VALUE, "%.*f",
		    v->tps < 100 ? 1 : 0, v->tps);
	avail = v->max_connections - v->reserved_connections;
	used = avail > 0 ? (double)sum->client / avail : 0;
	add(it, &n, "conns", used >= 0.9 ? ROLE_BAD : used >= 0.75 ?
	    ROLE_WARN : ROLE_HEADER_VALUE, "%d/%d", sum->client, avail);
	add(it, &n, "act", ROLE_HEADER_VALUE, "%d", sum->active);
	add(it, &n, "idle", ROLE_HEADER_VALUE, "%d", sum->idle);
	add(it, &n, "idle-tx", sum->idle_tx + sum->idle_tx_aborted > 0 ?
	    ROLE_WARN : ROLE_HEADER_VALUE, "%d",
	    sum->idle_tx + sum->idle_tx_aborted);
	add(it, &n, "lock waits", sum->waiting_lock > 0 ? ROLE_BAD :
	    ROLE_HEADER_VALUE, "%d", sum->waiting_lock);
	if (isnan(v->hit_ratio))
		add(it, &n, "hit", ROLE_DIM, "-");
	else
		add(it, &n, "hit", v->hit_ratio < 0.9 ? ROLE_BAD :
		    v->hit_ratio < 0.99 ? ROLE_WARN : ROLE_HEADER_VALUE,
		    "%.1f%%", v->hit_ratio * 100);
	fmt_duration(a, sizeof a, sum->longest_xact);
	if (isnan(sum->longest_xact))
		add(it, &n, "longest xact", ROLE_DIM, "-");
	else
		add(it, &n, "longest xact", age_role(sum->longest_xact, 60, 600),
		    "%s (pid %d)", a, sum->longest_xact_pid);
	if (sum->oldest_xmin < 0)
		add(it, &n, "xmin age", ROLE_DIM, "-");
	else {
		fmt_count(b, sizeof b, (double)sum->oldest_xmin);
		if (sum->oldest_xmin_pid > 0)
			snprintf(a, sizeof a, " (pid %d)", sum->oldest_xmin_pid);
		else
			snprintf(a, sizeof a, " (%s)", sum->oldest_xmin_holder);
		add(it, &n, "xmin age", sum->oldest_xmin > 100000000 ? ROLE_BAD :
		    sum->oldest_xmin > 10000000 ? ROLE_WARN : ROLE_HEADER_VALUE,
		    "%s%s", b, a);
	}
	if (v->in_recovery)
		add(it, &n, "role", ROLE_HEADER_VALUE, "standby");
	if (v->nstandbys > 0) {
		fmt_duration(a, sizeof a, v->repl_lag);
		add(it, &n, "repl lag", age_role(v->repl_lag, 10, 60),
		    "%s (%d standby%s)", isnan(v->repl_lag) ? "0s" : a,
		    v->nstandbys, v->nstandbys > 1 ? "s" : "");
	}
	add(it, &n, "pgdeck", ROLE_DIM, "%.1f ms/refresh", v->query_ms);
	return n;
}

void
header_draw(struct grid *g, int row, int nrows, const struct snapshot *s,
    const struct activity_summary *sum, const struct ui_status *st,
    int paused)
{
	struct item	 items[24];
	int		 n, i, r = row + 1, col = 0, w, right, last;
	int		 cols = g->cols;
	char		 buf[256], tbuf[32];
	struct tm	 tm;
	time_t		 t;

	/* Right side first: whether the data is live matters most. */
	grid_fill(g, row, 0, cols, ' ', ROLE_HEADER);
	tbuf[0] = '\0';
	if (s != NULL) {
		t = (time_t)(s->taken_ms / 1000);
		localtime_r(&t, &tm);
		strftime(tbuf, sizeof tbuf, " %H:%M:%S", &tm);
	}
	snprintf(buf, sizeof buf, "%s%s%s%s", paused ? "paused " : "",
	    st->state, tbuf, st->read_only ? "  read-only" : "");
	w = text_width(buf);
	if (w > cols / 2)
		w = cols / 2;
	grid_put_trunc(g, row, cols - w, w, buf,
	    st->ok && !paused ? ROLE_GOOD : paused ? ROLE_WARN : ROLE_BAD);
	right = cols - w - 2;
	col = grid_put(g, row, 0, right, "pgdeck ", ROLE_HEADER);
	if (s != NULL && s->vitals.version != NULL) {
		/* "15.4 (Debian 15.4-1)" -> "PG 15.4" */
		snprintf(buf, sizeof buf, "PG %.*s  ",
		    (int)strcspn(s->vitals.version, " "), s->vitals.version);
		col += grid_put(g, row, col, right - col, buf, ROLE_HEADER_VALUE);
	}
	if (st->source[0] != '\0' && right - col > 0)
		grid_put_trunc(g, row, col, right - col, st->source,
		    ROLE_HEADER);

	for (i = row + 1; i < row + nrows; i++)
		grid_fill(g, i, 0, cols, ' ', ROLE_HEADER);
	if (s == NULL) {
		grid_put_trunc(g, row + 1, 0, cols, st->detail[0] != '\0' ?
		    st->detail : "waiting for the first sample", ROLE_DIM);
		return;
	}
	n = collect(s, sum, items);
	col = 0;
	/* A connection problem outranks the vital signs: keep its row. */
	last = st->detail[0] != '\0' ? row + nrows - 1 : row + nrows;
	for (i = 0; i < n && r < last; i++) {
		w = text_width(items[i].label) + 1 + text_width(items[i].value);
		if (col > 0 && col + 2 + w > cols) {
			r++;
			col = 0;
			if (r >= last)
				break;
		}
		if (col > 0)
			col += grid_put(g, r, col, -1, "  ", ROLE_HEADER);
		col += grid_put(g, r, col, -1, items[i].label,
		    ROLE_HEADER_LABEL);
		col += grid_put(g, r, col, -1, " ", ROLE_HEADER);
		col += grid_put(g, r, col, -1, items[i].value, items[i].role);
	}
	if (st->detail[0] != '\0') {
		grid_fill(g, row + nrows - 1, 0, cols, ' ', ROLE_HEADER);
		grid_put_trunc(g, row + nrows - 1, 0, cols, st->detail,
		    ROLE_BAD);
	}
}
