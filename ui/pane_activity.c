/*
 * pane_activity.c - live sessions, the blocking tree, groups, detail.
 *
 * Four views over the same snapshot:
 *   list    every session that passes the filter, sorted by a column
 *   tree    who blocks whom: root blockers with their waiters below
 *   groups  sessions grouped by application/user/client/db/query_id
 *   detail  one session in full, with its whole query text
 * The selection follows a pid across refreshes, so a row does not jump
 * away from under the cursor when sessions come and go.
 */
#include "panes.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"
#include "../src/activity/activity.h"
#include "../src/activity/blocking.h"
#include "../src/core/clock.h"
#include "../src/core/strbuf.h"
#include "../src/core/util.h"
#include "../src/core/banned.h"

enum view { VIEW_LIST, VIEW_TREE, VIEW_GROUPS, VIEW_DETAIL };
enum { PROMPT_FILTER = 1, PROMPT_MIN_AGE, CONFIRM_SIGNAL };

struct activity {
	struct snapshot		*snap;
	enum view		 view;
	enum view		 back;		/* where detail returns */
	struct activity_filter	 f;
	char			 filter[256];
	char			 group_key[64];
	int			*idx;		/* list rows: session indexes */
	size_t			 nidx;
	int			*blocks;	/* per session: blocked count */
	struct block_tree	 tree;
	struct activity_group	*groups;
	size_t			 ngroups;
	int			 sel;		/* selected row */
	int			 top;		/* first row on screen */
	int			 sel_pid;	/* selection, by pid */
	int			 hscroll;	/* query column offset */
	int			 detail_pid;
	int			 detail_top;
	int			 target_pid;	/* awaiting confirmation */
	int			 target_terminate;
	int			 page;		/* rows per page, from draw */
};

static struct activity *
A(struct pane *p)
{
	return p->data;
}

static void
free_groups(struct activity *a)
{
	activity_groups_free(a->groups, a->ngroups);
	a->groups = NULL;
	a->ngroups = 0;
}

static int
nrows(const struct activity *a)
{
	switch (a->view) {
	case VIEW_LIST:
		return (int)a->nidx;
	case VIEW_TREE:
		return (int)a->tree.nrows;
	case VIEW_GROUPS:
		return (int)a->ngroups;
	default:
		return 0;
	}
}

static int
row_session(const struct activity *a, int row)
{
	if (row < 0 || row >= nrows(a))
		return -1;
	if (a->view == VIEW_LIST)
		return a->idx[row];
	if (a->view == VIEW_TREE)
		return a->tree.rows[row].idx;
	return -1;
}

static const struct session *
selected(const struct activity *a)
{
	int	i;

	if (a->snap == NULL)
		return NULL;
	if (a->view == VIEW_DETAIL)
		return snapshot_find(a->snap, a->detail_pid);
	if ((i = row_session(a, a->sel)) < 0)
		return NULL;
	return &a->snap->sessions[i];
}

static void
clamp_selection(struct activity *a)
{
	int	n = nrows(a);

	if (a->sel >= n)
		a->sel = n - 1;
	if (a->sel < 0)
		a->sel = 0;
}

/* Recompute the rows of every view from the snapshot and the filter. */
static void
rebuild(struct activity *a)
{
	const struct snapshot	*s = a->snap;
	size_t			 i, k;
	int			 j;

	free_groups(a);
	block_tree_release(&a->tree);
	a->nidx = 0;
	if (s == NULL)
		return;
	free(a->idx);
	free(a->blocks);
	a->idx = xcalloc(s->nsessions + 1, sizeof *a->idx);
	a->blocks = xcalloc(s->nsessions + 1, sizeof *a->blocks);
	a->f.text = a->filter;
	a->f.group_key = a->group_key[0] != '\0' ? a->group_key : NULL;
	a->nidx = activity_select(s, &a->f, a->idx);
	block_tree_build(s->sessions, s->nsessions, &a->tree);
	for (k = 0; k < a->tree.nrows; k++)
		a->blocks[a->tree.rows[k].idx] = a->tree.rows[k].blocked_total;
	if (a->f.group != GROUP_NONE && a->group_key[0] == '\0') {
		a->ngroups = activity_group(s, a->idx, a->nidx, a->f.group,
		    &a->groups);
	}
	/* Keep the selected pid selected. */
	if (a->sel_pid != 0 && (a->view == VIEW_LIST || a->view == VIEW_TREE)) {
		for (j = 0; j < nrows(a); j++) {
			i = (size_t)row_session(a, j);
			if (s->sessions[i].pid == a->sel_pid) {
				a->sel = j;
				break;
			}
		}
	}
	clamp_selection(a);
}

static void
remember_selection(struct activity *a)
{
	const struct session	*x = selected(a);

	if (a->view != VIEW_DETAIL)
		a->sel_pid = x != NULL ? x->pid : 0;
}

static int
activity_init(struct pane *p)
{
	struct activity	*a;

	a = xcalloc(1, sizeof *a);
	a->view = VIEW_LIST;
	a->f.show_idle = 0;
	a->f.sort = ACOL_XACT_AGE;
	a->f.descending = 1;
	a->page = 10;
	p->data = a;
	return 0;
}

static void
activity_free(struct pane *p)
{
	struct activity	*a = A(p);

	snapshot_unref(a->snap);
	free_groups(a);
	block_tree_release(&a->tree);
	free(a->idx);
	free(a->blocks);
	free(a);
}

static void
activity_update(struct pane *p, struct snapshot *s)
{
	struct activity	*a = A(p);

	snapshot_unref(a->snap);
	a->snap = snapshot_ref(s);
	rebuild(a);
	p->dirty = 1;
}

/* Cell text. */

static int
streq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static const char *
state_text(const struct session *x, enum role *role)
{
	*role = ROLE_DEFAULT;
	if (streq(x->wait_event_type, "Lock")) {
		*role = ROLE_STATE_WAITING;
		return "waiting";
	}
	if (x->state == NULL) {
		*role = ROLE_DIM;
		return "-";
	}
	if (streq(x->state, "active")) {
		*role = ROLE_STATE_ACTIVE;
		return "active";
	}
	if (streq(x->state, "idle")) {
		*role = ROLE_STATE_IDLE;
		return "idle";
	}
	if (streq(x->state, "idle in transaction")) {
		*role = ROLE_STATE_IDLE_TX;
		return "idle tx";
	}
	if (streq(x->state, "idle in transaction (aborted)")) {
		*role = ROLE_STATE_ABORTED;
		return "idle tx!";
	}
	return x->state;
}

static enum role
age_role(double age, int active)
{
	if (isnan(age) || !active)
		return ROLE_DEFAULT;
	if (age >= 600)
		return ROLE_BAD;
	if (age >= 60)
		return ROLE_WARN;
	return ROLE_DEFAULT;
}

static const char *
cell(const struct activity *a, int i, enum act_col col, char *buf,
    size_t size, enum role *role)
{
	const struct session	*x = &a->snap->sessions[i];
	int			 busy = x->state != NULL && !streq(x->state, "idle");

	*role = ROLE_DEFAULT;
	switch (col) {
	case ACOL_PID:
		snprintf(buf, size, "%d", x->pid);
		if (a->blocks[i] > 0 && x->nblockers == 0)
			*role = ROLE_BLOCKER;
		return buf;
	case ACOL_DB:
		return x->datname != NULL ? x->datname : "";
	case ACOL_USER:
		return x->usename != NULL ? x->usename : "";
	case ACOL_APP:
		return x->application_name != NULL ? x->application_name : "";
	case ACOL_CLIENT:
		return x->client != NULL ? x->client : "";
	case ACOL_BACKEND_TYPE:
		return x->backend_type != NULL ? x->backend_type : "";
	case ACOL_STATE:
		return state_text(x, role);
	case ACOL_WAIT:
		if (a->blocks[i] > 0 && x->nblockers == 0) {
			*role = ROLE_BLOCKER;
			snprintf(buf, size, "blocks %d", a->blocks[i]);
			return buf;
		}
		/* An idle session waits for its client: not news. */
		if (x->wait_event_type == NULL ||
		    (streq(x->wait_event, "ClientRead") && x->state != NULL &&
		    strncmp(x->state, "idle", 4) == 0))
			return "";
		if (streq(x->wait_event_type, "Lock"))
			*role = ROLE_STATE_WAITING;
		snprintf(buf, size, "%s:%s", x->wait_event_type,
		    x->wait_event != NULL ? x->wait_event : "?");
		return buf;
	case ACOL_XACT_AGE:
		fmt_duration(buf, size, x->xact_age);
		*role = age_role(x->xact_age, busy);
		return buf;
	case ACOL_QUERY_AGE:
		fmt_duration(buf, size, x->query_age);
		*role = age_role(x->query_age, streq(x->state, "active"));
		return buf;
	case ACOL_STATE_AGE:
		fmt_duration(buf, size, x->state_age);
		return buf;
	case ACOL_QUERY:
		if (x->query == NULL || *x->query == '\0') {
			*role = ROLE_DIM;
			return x->backend_type != NULL && !session_is_client(x) ?
			    x->backend_type : "";
		}
		return x->query;
	default:
		return "";
	}
}

/* Column layout for the list view. */

struct colspec {
	enum act_col	 col;
	const char	*title;
	int		 min, max, prio, right;
};

static const struct colspec list_cols[] = {
	{ ACOL_PID,		"PID",		5, 8,	0, 1 },
	{ ACOL_USER,		"USER",		4, 16,	3, 0 },
	{ ACOL_DB,		"DATABASE",	4, 16,	4, 0 },
	{ ACOL_APP,		"APPLICATION",	4, 20,	6, 0 },
	{ ACOL_CLIENT,		"CLIENT",	5, 16,	7, 0 },
	{ ACOL_BACKEND_TYPE,	"BACKEND TYPE",	6, 20,	5, 0 },
	{ ACOL_STATE,		"STATE",	5, 10,	1, 0 },
	{ ACOL_WAIT,		"WAIT",		4, 22,	2, 0 },
	{ ACOL_XACT_AGE,	"XACT",		5, 6,	1, 1 },
	{ ACOL_QUERY_AGE,	"QTIME",	5, 6,	2, 1 },
	{ ACOL_STATE_AGE,	"INSTATE",	5, 7,	8, 1 },
};
#define NLIST_COLS	(sizeof list_cols / sizeof list_cols[0])
/* The query gets at least this, and a third of a wide screen. */
#define QUERY_MIN	16

static int
query_min(int cols)
{
	return cols / 4 > QUERY_MIN ? cols / 4 : QUERY_MIN;
}

static void
layout_list(const struct activity *a, int cols, int *width)
{
	size_t		 c;
	int		 r, i, w, total, worst, shown;
	char		 buf[64];
	enum role	 role;
	const char	*t;

	for (c = 0; c < NLIST_COLS; c++) {
		width[c] = 0;
		if (list_cols[c].col == ACOL_BACKEND_TYPE && !a->f.show_system)
			continue;
		w = text_width(list_cols[c].title);
		for (r = 0; r < (int)a->nidx && r < 400; r++) {
			t = cell(a, a->idx[r], list_cols[c].col, buf, sizeof buf,
			    &role);
			i = text_width(t);
			if (i > w)
				w = i;
		}
		if (w < list_cols[c].min)
			w = list_cols[c].min;
		if (w > list_cols[c].max)
			w = list_cols[c].max;
		width[c] = w;
	}
	/* Drop the least important columns until the query fits. */
	for (;;) {
		total = 0;
		shown = 0;
		worst = -1;
		for (c = 0; c < NLIST_COLS; c++) {
			if (width[c] == 0)
				continue;
			total += width[c] + 1;
			shown++;
			if (worst < 0 || list_cols[c].prio >= list_cols[worst].prio)
				worst = (int)c;
		}
		if (total + query_min(cols) <= cols || shown <= 1)
			break;
		width[worst] = 0;
	}
}

static void
draw_title(struct activity *a, struct grid *g, const char *left)
{
	char	buf[96];
	double	age;

	char	line[112];

	grid_fill(g, 0, 0, g->cols, ' ', ROLE_TITLE);
	grid_put_trunc(g, 0, 1, g->cols - 13, left, ROLE_TITLE);
	if (a->snap != NULL) {
		age = (double)(clock_wall_ms() - a->snap->taken_ms) / 1000.0;
		if (age < 0)
			age = 0;
		fmt_duration(buf, sizeof buf, age);
		snprintf(line, sizeof line, "%s ago ", buf);
		grid_put_right(g, 0, g->cols - 12, 12, line, ROLE_TITLE);
	}
}



/* What narrows the list, most specific first (the end may be cut). */
static void
describe_filter(const struct activity *a, struct strbuf *sb)
{
	char	buf[32];

	if (a->group_key[0] != '\0')
		strbuf_addf(sb, " | %s = %s", group_by_names[a->f.group],
		    a->group_key);
	if (a->filter[0] != '\0')
		strbuf_addf(sb, " | filter \"%s\"", a->filter);
	if (a->f.min_age > 0) {
		fmt_duration(buf, sizeof buf, a->f.min_age);
		strbuf_addf(sb, " | at least %s", buf);
	}
	if (!a->f.show_idle)
		strbuf_addstr(sb, " | idle hidden");
	if (a->f.show_system)
		strbuf_addstr(sb, " | with background processes");
	strbuf_addf(sb, " | sorted by %s %s", act_col_names[a->f.sort],
	    a->f.descending ? "desc" : "asc");
}

static void
draw_list(struct activity *a, struct grid *g)
{
	int		 width[NLIST_COLS], row, col, r, qw, i;
	size_t		 c;
	struct strbuf	 sb = STRBUF_INIT;
	char		 buf[64];
	const char	*t;
	enum role	 role;

	strbuf_addf(&sb, "Sessions: %zu of %zu", a->nidx, a->snap->nsessions);
	describe_filter(a, &sb);
	draw_title(a, g, sb.buf);
	strbuf_release(&sb);

	layout_list(a, g->cols, width);
	col = 0;
	grid_fill(g, 1, 0, g->cols, ' ', ROLE_COLUMN);
	for (c = 0; c < NLIST_COLS; c++) {
		if (width[c] == 0)
			continue;
		role = list_cols[c].col == a->f.sort ? ROLE_COLUMN_SORTED :
		    ROLE_COLUMN;
		if (list_cols[c].right)
			grid_put_right(g, 1, col, width[c], list_cols[c].title,
			    role);
		else
			grid_put(g, 1, col, width[c], list_cols[c].title, role);
		col += width[c] + 1;
	}
	qw = g->cols - col;
	grid_put(g, 1, col, qw, a->f.sort == ACOL_QUERY ? "QUERY*" : "QUERY",
	    a->f.sort == ACOL_QUERY ? ROLE_COLUMN_SORTED : ROLE_COLUMN);

	a->page = g->rows - 2 > 1 ? g->rows - 2 : 1;
	scroll_to(&a->top, a->sel, nrows(a), a->page);
	for (r = a->top, row = 2; r < (int)a->nidx && row < g->rows;
	    r++, row++) {
		i = a->idx[r];
		col = 0;
		for (c = 0; c < NLIST_COLS; c++) {
			if (width[c] == 0)
				continue;
			t = cell(a, i, list_cols[c].col, buf, sizeof buf, &role);
			if (list_cols[c].right)
				grid_put_right(g, row, col, width[c], t, role);
			else
				grid_put_trunc(g, row, col, width[c], t, role);
			col += width[c] + 1;
		}
		t = cell(a, i, ACOL_QUERY, buf, sizeof buf, &role);
		grid_put_trunc(g, row, col, qw, text_skip(t, a->hscroll), role);
		if (r == a->sel)
			grid_paint(g, row, 0, g->cols, ROLE_SELECTION);
	}
	if (a->nidx == 0)
		grid_put(g, 3, 2, -1, a->snap->nsessions > 0 ?
		    "No session matches (i shows idle sessions, / changes the "
		    "filter)" : "No sessions", ROLE_DIM);
}

static void
lock_text(const struct session *x, char *buf, size_t size)
{
	if (x->lock_mode == NULL) {
		snprintf(buf, size, "%s", x->nblockers > 0 ? "Lock" : "");
		return;
	}
	if (x->lock_target != NULL)
		snprintf(buf, size, "%s on %s%s", x->lock_mode,
		    streq(x->lock_type, "tuple") ? "row of " : "",
		    x->lock_target);
	else if (streq(x->lock_type, "transactionid"))
		snprintf(buf, size, "%s on xact", x->lock_mode);
	else
		snprintf(buf, size, "%s on %s", x->lock_mode,
		    x->lock_type != NULL ? x->lock_type : "?");
}

static void
draw_tree(struct activity *a, struct grid *g)
{
	const struct block_row	*br;
	const struct session	*x;
	int			 r, row, col, l, w, i;
	char			 buf[160], pfx[200];
	const char		*t;
	enum role		 role;
	struct strbuf		 sb = STRBUF_INIT;
	int			 tw = 8, uw = 10, sw = 8, lw = 28, aw = 7;

	if (a->tree.nrows == 0) {
		draw_title(a, g, "Blocking tree: no session is waiting on a lock");
		grid_put(g, 3, 2, -1, "Nothing is blocked right now.", ROLE_GOOD);
		grid_put(g, 4, 2, -1, "Waiters appear here under the session "
		    "that blocks them, root blockers first.", ROLE_DIM);
		return;
	}
	strbuf_addf(&sb, "Blocking tree: %d root blocker%s, %d session%s "
	    "waiting", a->tree.nroots, a->tree.nroots == 1 ? "" : "s",
	    a->tree.nwaiting, a->tree.nwaiting == 1 ? "" : "s");
	draw_title(a, g, sb.buf);
	strbuf_release(&sb);

	/* The tree column grows with the depth. */
	for (r = 0; r < (int)a->tree.nrows; r++) {
		w = a->tree.rows[r].depth * 2 + 8;
		if (w > tw)
			tw = w;
	}
	if (tw > 30)
		tw = 30;
	/* Narrow screens keep the query readable by dropping the user. */
	if (g->cols < 100) {
		lw = 20;
		uw = 0;
		aw = 6;
	}
	grid_fill(g, 1, 0, g->cols, ' ', ROLE_COLUMN);
	col = 0;
	grid_put(g, 1, col, tw, "PID", ROLE_COLUMN); col += tw + 1;
	if (uw > 0) {
		grid_put(g, 1, col, uw, "USER", ROLE_COLUMN);
		col += uw + 1;
	}
	grid_put(g, 1, col, sw, "STATE", ROLE_COLUMN); col += sw + 1;
	grid_put(g, 1, col, lw, "WAITS FOR", ROLE_COLUMN); col += lw + 1;
	grid_put_right(g, 1, col, aw, "WAITED", ROLE_COLUMN); col += aw + 1;
	grid_put_right(g, 1, col, aw, "XACT", ROLE_COLUMN); col += aw + 1;
	grid_put_right(g, 1, col, 6, "BLOCKS", ROLE_COLUMN); col += 7;
	grid_put(g, 1, col, -1, "QUERY", ROLE_COLUMN);

	a->page = g->rows - 2 > 1 ? g->rows - 2 : 1;
	scroll_to(&a->top, a->sel, nrows(a), a->page);
	for (r = a->top, row = 2; r < (int)a->tree.nrows && row < g->rows;
	    r++, row++) {
		br = &a->tree.rows[r];
		i = br->idx;
		x = &a->snap->sessions[i];
		pfx[0] = '\0';
		col = 0;
		for (l = 1; l < br->depth; l++)
			col += grid_put(g, row, col, -1,
			    br->rails & (1u << l) ? "\xe2\x94\x82 " : "  ",
			    ROLE_TREE);
		if (br->depth > 0)
			col += grid_put(g, row, col, -1, br->last ?
			    "\xe2\x94\x94\xe2\x94\x80" : "\xe2\x94\x9c\xe2\x94\x80",
			    ROLE_TREE);
		if (br->cycle)
			snprintf(pfx, sizeof pfx, "%d cycle", x->pid);
		else if (br->other_blockers > 0)
			snprintf(pfx, sizeof pfx, "%d+%d", x->pid,
			    br->other_blockers);
		else
			snprintf(pfx, sizeof pfx, "%d", x->pid);
		grid_put_trunc(g, row, col, tw - col, pfx,
		    br->depth == 0 ? ROLE_BLOCKER : ROLE_DEFAULT);
		col = tw + 1;
		if (uw > 0) {
			grid_put_trunc(g, row, col, uw, x->usename != NULL ?
			    x->usename : "", ROLE_DEFAULT);
			col += uw + 1;
		}
		t = state_text(x, &role);
		grid_put_trunc(g, row, col, sw, t, role);
		col += sw + 1;
		lock_text(x, buf, sizeof buf);
		grid_put_trunc(g, row, col, lw, buf, ROLE_STATE_WAITING);
		col += lw + 1;
		fmt_duration(buf, sizeof buf, x->nblockers > 0 ? x->lock_wait :
		    NAN);
		grid_put_right(g, row, col, aw, x->nblockers > 0 ? buf : "",
		    ROLE_DEFAULT);
		col += aw + 1;
		fmt_duration(buf, sizeof buf, x->xact_age);
		grid_put_right(g, row, col, aw, buf, age_role(x->xact_age, 1));
		col += aw + 1;
		if (br->blocked_total > 0) {
			snprintf(buf, sizeof buf, "%d", br->blocked_total);
			grid_put_right(g, row, col, 6, buf, ROLE_BLOCKER);
		}
		col += 7;
		t = cell(a, i, ACOL_QUERY, buf, sizeof buf, &role);
		grid_put_trunc(g, row, col, g->cols - col,
		    text_skip(t, a->hscroll), role);
		if (r == a->sel)
			grid_paint(g, row, 0, g->cols, ROLE_SELECTION);
	}
}

static void
draw_groups(struct activity *a, struct grid *g)
{
	const struct activity_group	*gr;
	int				 r, row, col, kw = 24;
	char				 buf[64], title[128];
	const char			*q;
	enum role			 role;

	snprintf(title, sizeof title, "Sessions grouped by %s: %zu group%s "
	    "(Enter lists a group)", group_by_names[a->f.group], a->ngroups,
	    a->ngroups == 1 ? "" : "s");
	draw_title(a, g, title);
	if (g->cols < 100)
		kw = 18;
	grid_fill(g, 1, 0, g->cols, ' ', ROLE_COLUMN);
	col = 0;
	grid_put(g, 1, col, kw, group_by_names[a->f.group], ROLE_COLUMN);
	col += kw + 1;
	grid_put_right(g, 1, col, 5, "TOTAL", ROLE_COLUMN); col += 6;
	grid_put_right(g, 1, col, 4, "ACT", ROLE_COLUMN); col += 5;
	grid_put_right(g, 1, col, 4, "IDLE", ROLE_COLUMN); col += 5;
	grid_put_right(g, 1, col, 6, "IDLETX", ROLE_COLUMN); col += 7;
	grid_put_right(g, 1, col, 4, "WAIT", ROLE_COLUMN); col += 5;
	grid_put_right(g, 1, col, 6, "OLDEST", ROLE_COLUMN); col += 7;
	grid_put(g, 1, col, -1, "QUERY (oldest transaction)", ROLE_COLUMN);

	a->page = g->rows - 2 > 1 ? g->rows - 2 : 1;
	scroll_to(&a->top, a->sel, nrows(a), a->page);
	for (r = a->top, row = 2; r < (int)a->ngroups && row < g->rows;
	    r++, row++) {
		gr = &a->groups[r];
		col = 0;
		grid_put_trunc(g, row, col, kw, gr->key, ROLE_DEFAULT);
		col += kw + 1;
		snprintf(buf, sizeof buf, "%d", gr->total);
		grid_put_right(g, row, col, 5, buf, ROLE_DEFAULT); col += 6;
		snprintf(buf, sizeof buf, "%d", gr->active);
		grid_put_right(g, row, col, 4, buf, ROLE_STATE_ACTIVE); col += 5;
		snprintf(buf, sizeof buf, "%d", gr->idle);
		grid_put_right(g, row, col, 4, buf, ROLE_STATE_IDLE); col += 5;
		snprintf(buf, sizeof buf, "%d", gr->idle_tx);
		grid_put_right(g, row, col, 6, buf, gr->idle_tx > 0 ?
		    ROLE_STATE_IDLE_TX : ROLE_DEFAULT); col += 7;
		snprintf(buf, sizeof buf, "%d", gr->waiting);
		grid_put_right(g, row, col, 4, buf, gr->waiting > 0 ?
		    ROLE_STATE_WAITING : ROLE_DEFAULT); col += 5;
		fmt_duration(buf, sizeof buf, gr->oldest_xact);
		grid_put_right(g, row, col, 6, buf,
		    age_role(gr->oldest_xact, 1)); col += 7;
		q = cell(a, gr->sample_idx, ACOL_QUERY, buf, sizeof buf, &role);
		grid_put_trunc(g, row, col, g->cols - col, q, role);
		if (r == a->sel)
			grid_paint(g, row, 0, g->cols, ROLE_SELECTION);
	}
	if (a->ngroups == 0)
		grid_put(g, 3, 2, -1, "No sessions to group", ROLE_DIM);
}

/* Detail view: label/value lines, then the wrapped query. */


static void
draw_detail(struct activity *a, struct grid *g)
{
	const struct session	*x = snapshot_find(a->snap, a->detail_pid);
	struct dline		 d;
	char			 buf[512], t1[32], t2[32];
	struct strbuf		 sb = STRBUF_INIT;
	int			 k;
	size_t			 i;
	enum role		 role;

	snprintf(buf, sizeof buf, "Session %d (Esc returns, y copies the "
	    "query)", a->detail_pid);
	draw_title(a, g, buf);
	if (x == NULL) {
		grid_put(g, 2, 2, -1, "This session has ended.", ROLE_WARN);
		return;
	}
	memset(&d, 0, sizeof d);
	d.g = g;
	d.row = 1;
	d.skip = a->detail_top;
	d.total = 0;
	snprintf(buf, sizeof buf, "%s / %s", x->usename ? x->usename : "-",
	    x->datname ? x->datname : "-");
	dline_put(&d, "user / database", buf, ROLE_DEFAULT);
	snprintf(buf, sizeof buf, "%s from %s", x->application_name &&
	    *x->application_name ? x->application_name : "(no application)",
	    x->client ? x->client : "-");
	dline_put(&d, "application", buf, ROLE_DEFAULT);
	dline_put(&d, "backend type", x->backend_type ? x->backend_type : "-",
	    ROLE_DEFAULT);
	snprintf(buf, sizeof buf, "%s", state_text(x, &role));
	if (x->wait_event_type != NULL)
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf),
		    ", waiting on %s:%s", x->wait_event_type,
		    x->wait_event ? x->wait_event : "?");
	dline_put(&d, "state", buf, role);
	fmt_duration(t1, sizeof t1, x->xact_age);
	fmt_duration(t2, sizeof t2, x->query_age);
	snprintf(buf, sizeof buf, "transaction %s, query %s", t1, t2);
	fmt_duration(t1, sizeof t1, x->state_age);
	fmt_duration(t2, sizeof t2, x->backend_age);
	snprintf(buf + strlen(buf), sizeof buf - strlen(buf),
	    ", state %s, connected %s", t1, t2);
	dline_put(&d, "ages", buf, ROLE_DEFAULT);
	if (x->xmin_age >= 0) {
		snprintf(buf, sizeof buf, "%" PRId64 " transactions",
		    x->xmin_age);
		dline_put(&d, "xmin age", buf, ROLE_DEFAULT);
	}
	if (x->query_id != 0) {
		snprintf(buf, sizeof buf, "%" PRId64, x->query_id);
		dline_put(&d, "query_id", buf, ROLE_DEFAULT);
	}
	if (x->leader_pid != 0 && x->leader_pid != x->pid) {
		snprintf(buf, sizeof buf, "%d", x->leader_pid);
		dline_put(&d, "parallel leader", buf, ROLE_DEFAULT);
	}
	if (x->nblockers > 0) {
		lock_text(x, t1, sizeof t1);
		lock_text(x, buf, sizeof buf);
		fmt_duration(t2, sizeof t2, x->lock_wait);
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf),
		    ", waiting %s", t2);
		dline_put(&d, "waits for", buf, ROLE_STATE_WAITING);
		strbuf_reset(&sb);
		for (k = 0; k < x->nblockers; k++) {
			const struct session *b = snapshot_find(a->snap,
			    x->blockers[k]);
			enum role	      r2;

			strbuf_addf(&sb, "%s%d", k ? ", " : "", x->blockers[k]);
			if (b != NULL)
				strbuf_addf(&sb, " (%s)", state_text(b, &r2));
		}
		dline_put(&d, "blocked by", sb.buf, ROLE_BLOCKER);
	}
	strbuf_reset(&sb);
	for (i = 0; i < a->snap->nsessions; i++) {
		const struct session	*w = &a->snap->sessions[i];

		for (k = 0; k < w->nblockers; k++) {
			if (w->blockers[k] == x->pid) {
				strbuf_addf(&sb, "%s%d", sb.len ? ", " : "",
				    w->pid);
				break;
			}
		}
	}
	if (sb.len > 0)
		dline_put(&d, "blocks", sb.buf, ROLE_BLOCKER);
	strbuf_release(&sb);
	dline_put(&d, "query", "", ROLE_DEFAULT);
	grid_put_wrapped(g, d.row, 3, g->cols - 4, d.skip, g->rows - d.row,
	    x->query != NULL ? x->query : "", ROLE_DEFAULT);
}

static void
activity_draw(struct pane *p, struct grid *g)
{
	struct activity	*a = A(p);

	if (a->snap == NULL) {
		draw_title(a, g, "Sessions");
		grid_put(g, 2, 2, -1, "Waiting for the first sample...",
		    ROLE_DIM);
		return;
	}
	switch (a->view) {
	case VIEW_LIST:
		draw_list(a, g);
		break;
	case VIEW_TREE:
		draw_tree(a, g);
		break;
	case VIEW_GROUPS:
		draw_groups(a, g);
		break;
	case VIEW_DETAIL:
		draw_detail(a, g);
		break;
	}
}

/* Actions. */

static void
ask_signal(struct pane *p, int terminate)
{
	struct activity		*a = A(p);
	const struct session	*x = selected(a);
	char			 why[160], t[32];
	struct strbuf		 body = STRBUF_INIT;
	enum role		 role;
	int			 idx;

	if (x == NULL) {
		ui_message(p->ui, 1, "no session selected");
		return;
	}
	if (!ui_can_signal(p->ui, x, why, sizeof why)) {
		ui_message(p->ui, 1, "cannot %s pid %d: %s",
		    terminate ? "terminate" : "cancel", x->pid, why);
		return;
	}
	a->target_pid = x->pid;
	a->target_terminate = terminate;
	idx = (int)(x - a->snap->sessions);
	fmt_duration(t, sizeof t, session_duration(x));
	strbuf_addf(&body, "pid %d, user %s, database %s, %s for %s",
	    x->pid, x->usename ? x->usename : "-",
	    x->datname ? x->datname : "-", state_text(x, &role), t);
	if (a->blocks[idx] > 0)
		strbuf_addf(&body, ", blocking %d session%s", a->blocks[idx],
		    a->blocks[idx] == 1 ? "" : "s");
	strbuf_addf(&body, ".\n%s\nQuery: ", terminate ?
	    "Terminating ends the connection and rolls back its transaction." :
	    "Cancelling stops the running query; the session stays.");
	if (x->query != NULL && strlen(x->query) > 300) {
		strbuf_add(&body, x->query, 300);
		strbuf_addstr(&body, "...");
	} else
		strbuf_addstr(&body, x->query != NULL ? x->query : "");
	ui_confirm(p->ui, p, CONFIRM_SIGNAL, terminate ?
	    " Terminate this backend? " : " Cancel this query? ", body.buf);
	strbuf_release(&body);
}

static void
set_view(struct activity *a, enum view v)
{
	a->view = v;
	a->top = 0;
	a->hscroll = 0;
	rebuild(a);
}

static void
move(struct activity *a, int delta)
{
	if (a->view == VIEW_DETAIL) {
		a->detail_top += delta;
		if (a->detail_top < 0)
			a->detail_top = 0;
		return;
	}
	a->sel += delta;
	clamp_selection(a);
	remember_selection(a);
}

static enum pane_result
activity_action(struct pane *p, enum action act)
{
	struct activity		*a = A(p);
	const struct session	*x;
	char			 buf[32];

	switch (act) {
	case ACT_UP:		move(a, -1); break;
	case ACT_DOWN:		move(a, 1); break;
	case ACT_PAGE_UP:	move(a, -a->page); break;
	case ACT_PAGE_DOWN:	move(a, a->page); break;
	case ACT_HOME:		move(a, -1000000); break;
	case ACT_END:		move(a, 1000000); break;
	case ACT_LEFT:
		a->hscroll = a->hscroll > 8 ? a->hscroll - 8 : 0;
		break;
	case ACT_RIGHT:
		a->hscroll += 8;
		break;
	case ACT_ENTER:
		if (a->view == VIEW_GROUPS) {
			if (a->sel < (int)a->ngroups) {
				snprintf(a->group_key, sizeof a->group_key,
				    "%s", a->groups[a->sel].key);
				a->sel = 0;
				set_view(a, VIEW_LIST);
			}
		} else if (a->view != VIEW_DETAIL &&
		    (x = selected(a)) != NULL) {
			a->back = a->view;
			a->detail_pid = x->pid;
			a->detail_top = 0;
			a->view = VIEW_DETAIL;
		}
		break;
	case ACT_BACK:
		if (a->view == VIEW_DETAIL)
			set_view(a, a->back);
		else if (a->group_key[0] != '\0') {
			a->group_key[0] = '\0';
			set_view(a, VIEW_GROUPS);
		} else if (a->view == VIEW_TREE || a->view == VIEW_GROUPS) {
			a->f.group = GROUP_NONE;
			set_view(a, VIEW_LIST);
		} else if (a->filter[0] != '\0' || a->f.min_age > 0) {
			a->filter[0] = '\0';
			a->f.min_age = 0;
			rebuild(a);
			ui_message(p->ui, 0, "filter cleared");
		} else
			return PANE_IGNORED;
		break;
	case ACT_FILTER:
		ui_prompt(p->ui, p, PROMPT_FILTER, "Filter:", a->filter);
		break;
	case ACT_MIN_DURATION:
		if (a->f.min_age > 0)
			fmt_duration(buf, sizeof buf, a->f.min_age);
		else
			buf[0] = '\0';
		ui_prompt(p->ui, p, PROMPT_MIN_AGE,
		    "Hide sessions younger than (e.g. 5s, 2m; empty: none):",
		    buf);
		break;
	case ACT_TOGGLE_IDLE:
		a->f.show_idle = !a->f.show_idle;
		rebuild(a);
		ui_message(p->ui, 0, a->f.show_idle ? "showing idle sessions" :
		    "hiding idle sessions");
		break;
	case ACT_TOGGLE_SYSTEM:
		a->f.show_system = !a->f.show_system;
		rebuild(a);
		ui_message(p->ui, 0, a->f.show_system ?
		    "showing background processes" :
		    "hiding background processes");
		break;
	case ACT_BLOCKING_TREE:
		if (a->view == VIEW_TREE)
			set_view(a, VIEW_LIST);
		else {
			/* Entering the tree selects the worst root blocker. */
			a->sel = 0;
			a->sel_pid = 0;
			set_view(a, VIEW_TREE);
			remember_selection(a);
		}
		break;
	case ACT_GROUP:
		a->f.group = (enum group_by)((a->f.group + 1) % GROUP__COUNT);
		a->group_key[0] = '\0';
		a->sel = 0;
		set_view(a, a->f.group == GROUP_NONE ? VIEW_LIST : VIEW_GROUPS);
		if (a->f.group != GROUP_NONE)
			ui_message(p->ui, 0, "grouped by %s",
			    group_by_names[a->f.group]);
		break;
	case ACT_SORT_NEXT:
	case ACT_SORT_PREV:
		a->f.sort = (enum act_col)((a->f.sort + (act == ACT_SORT_NEXT ?
		    1 : ACOL__COUNT - 1)) % ACOL__COUNT);
		/* Ages read best longest first; names alphabetically. */
		a->f.descending = a->f.sort == ACOL_XACT_AGE ||
		    a->f.sort == ACOL_QUERY_AGE || a->f.sort == ACOL_STATE_AGE;
		rebuild(a);
		break;
	case ACT_SORT_REVERSE:
		a->f.descending = !a->f.descending;
		rebuild(a);
		break;
	case ACT_CANCEL:
	case ACT_TERMINATE:
		ask_signal(p, act == ACT_TERMINATE);
		break;
	case ACT_COPY:
		if ((x = selected(a)) != NULL && x->query != NULL)
			ui_copy(p->ui, x->query);
		else
			ui_message(p->ui, 1, "no query text to copy");
		break;
	case ACT_EXPLAIN:
	case ACT_EXPLAIN_ANALYZE:
		if ((x = selected(a)) == NULL)
			break;
		ui_explain_ask(p->ui, x->query, x->datname, x->query_id,
		    act == ACT_EXPLAIN_ANALYZE);
		break;
	default:
		return PANE_IGNORED;
	}
	p->dirty = 1;
	return PANE_HANDLED | PANE_REDRAW;
}

static void
activity_prompt(struct pane *p, int id, enum prompt_event ev,
    const char *text)
{
	struct activity	*a = A(p);
	double		 v;

	if (id == PROMPT_FILTER) {
		/* The filter applies as it is typed; Esc leaves it as it was. */
		if (ev != PROMPT_CANCELLED) {
			snprintf(a->filter, sizeof a->filter, "%s", text);
			rebuild(a);
		}
	} else if (id == PROMPT_MIN_AGE && ev == PROMPT_DONE) {
		if (*text == '\0')
			a->f.min_age = 0;
		else if (parse_duration(text, &v) == -1)
			ui_message(p->ui, 1, "not a duration: '%s' (try 5s, 2m, "
			    "1h)", text);
		else
			a->f.min_age = v;
		rebuild(a);
	}
	p->dirty = 1;
}

static void
activity_confirm(struct pane *p, int id, int yes)
{
	struct activity	*a = A(p);

	if (id != CONFIRM_SIGNAL)
		return;
	if (yes)
		ui_signal_backend(p->ui, a->target_pid, a->target_terminate);
	else
		ui_message(p->ui, 0, "nothing done");
	p->dirty = 1;
}

static const enum action *
activity_hints(struct pane *p)
{
	/* Incident keys first: they must survive a narrow status bar. */
	static const enum action list[] = { ACT_HELP, ACT_BLOCKING_TREE,
	    ACT_TERMINATE, ACT_CANCEL, ACT_FILTER, ACT_ENTER, ACT_GROUP,
	    ACT_TOGGLE_IDLE, ACT_SORT_NEXT, ACT_QUIT, ACT_NONE };
	static const enum action list_ro[] = { ACT_HELP, ACT_BLOCKING_TREE,
	    ACT_FILTER, ACT_ENTER, ACT_GROUP, ACT_TOGGLE_IDLE, ACT_SORT_NEXT,
	    ACT_MIN_DURATION, ACT_QUIT, ACT_NONE };
	static const enum action detail[] = { ACT_BACK, ACT_COPY,
	    ACT_CANCEL, ACT_TERMINATE, ACT_HELP, ACT_QUIT, ACT_NONE };
	static const enum action detail_ro[] = { ACT_BACK, ACT_COPY,
	    ACT_HELP, ACT_QUIT, ACT_NONE };
	static const enum action groups[] = { ACT_ENTER, ACT_GROUP, ACT_BACK,
	    ACT_FILTER, ACT_HELP, ACT_QUIT, ACT_NONE };
	struct activity		*a = A(p);
	char			 why[8];
	struct session		 none;
	int			 can;

	/* The signal keys are shown only where they can work. */
	memset(&none, 0, sizeof none);
	can = ui_can_signal(p->ui, selected(a) != NULL ? selected(a) : &none,
	    why, sizeof why);
	if (a->view == VIEW_DETAIL)
		return can ? detail : detail_ro;
	if (a->view == VIEW_GROUPS)
		return groups;
	return can ? list : list_ro;
}

const struct pane_ops pane_activity_ops = {
	.name = "activity",
	.title = "Activity",
	.init = activity_init,
	.free = activity_free,
	.update = activity_update,
	.draw = activity_draw,
	.action = activity_action,
	.hints = activity_hints,
	.prompt = activity_prompt,
	.confirm = activity_confirm,
};
