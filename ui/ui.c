/*
 * ui.c - curses front end: screen layout, input, overlays and flush.
 *
 * Screen layout, top to bottom:
 *   header (2-3 rows)   vital signs, data source, connection state
 *   tab line (1 row)    panes, the focused one highlighted
 *   pane area           the focused pane's grid
 *   status bar (1 row)  key hints, messages, or a prompt
 * Everything is drawn into one screen-sized grid, then blitted to curses
 * and flushed with a single doupdate().  Dialogs and help draw over it.
 */
#include "ui.h"

#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <langinfo.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>

#include "header.h"
#include "../src/core/clock.h"
#include "../src/core/loop.h"
#include "../src/core/strbuf.h"
#include "../src/core/util.h"
#include "../src/plan/explain.h"
#include "../src/core/banned.h"

#define MAX_PANES	8
#define MESSAGE_MS	6000
#define MIN_COLS	60
#define MIN_ROWS	12
#define FRAME_MARKER	"\033]5553;frame\007"

enum overlay { OV_NONE, OV_HELP, OV_CONFIRM, OV_PROMPT, OV_PASTE };

/* A paste larger than this is cut off (the plan parser says so). */
#define PASTE_MAX	(64u << 20)

struct ui {
	struct loop		*loop;
	const struct theme	*theme;
	const struct keymap	*km;
	struct ui_host		 host;
	int			 started;
	int			 sync;		/* $PGDECK_TEST_SYNC */
	int			 colours;
	SCREEN			*term;

	struct pane		 panes[MAX_PANES];
	int			 npanes;
	int			 focus;

	struct snapshot		*snap;		/* latest received */
	struct snapshot		*shown;		/* given to panes */
	struct activity_summary	 summary;	/* of 'shown', for the header */
	int			 paused;

	struct grid		 screen;
	struct grid		 pane_grid;
	int			 rows, cols;
	int			 dirty;

	char			 msg[256];
	int			 msg_error;
	int64_t			 msg_until;
	uint64_t		 msg_timer;

	enum overlay		 overlay;
	int			 help_top;
	struct pane		*ov_pane;
	int			 ov_id;
	char			 ov_title[128];
	char			*ov_body;
	struct strbuf		 prompt_text;
	char			 prompt_label[64];

	char			*pending_copy;	/* OSC 52 after the flush */

	/* EXPLAIN ANALYZE waiting for its confirmation. */
	char			*ex_text, *ex_datname;
	int64_t			 ex_queryid;
};

static void	ui_flush(void *);
static void	draw_all(struct ui *);

struct ui *
ui_new(struct loop *loop, const struct theme *theme, const struct keymap *km,
    const struct ui_host *host)
{
	struct ui	*ui;

	ui = xcalloc(1, sizeof *ui);
	ui->loop = loop;
	ui->theme = theme;
	ui->km = km;
	ui->host = *host;
	strbuf_init(&ui->prompt_text, 0);
	grid_init(&ui->screen, 24, 80);
	grid_init(&ui->pane_grid, 20, 80);
	ui->sync = getenv("PGDECK_TEST_SYNC") != NULL;
	return ui;
}

void
ui_free(struct ui *ui)
{
	int	i;

	if (ui == NULL)
		return;
	ui_stop(ui);
	for (i = 0; i < ui->npanes; i++) {
		if (ui->panes[i].ops != NULL && ui->panes[i].ops->free != NULL)
			ui->panes[i].ops->free(&ui->panes[i]);
	}
	if (ui->msg_timer != 0)
		loop_timer_cancel(ui->loop, ui->msg_timer);
	snapshot_unref(ui->snap);
	snapshot_unref(ui->shown);
	grid_release(&ui->screen);
	grid_release(&ui->pane_grid);
	strbuf_release(&ui->prompt_text);
	free(ui->ov_body);
	free(ui->pending_copy);
	free(ui->ex_text);
	free(ui->ex_datname);
	free(ui);
}

struct pane *
ui_add_pane(struct ui *ui, int slot, const struct pane_ops *ops)
{
	struct pane	*p;

	if (slot < 0 || slot >= MAX_PANES || ui->panes[slot].ops != NULL)
		BUG("bad pane slot");
	if (slot >= ui->npanes)
		ui->npanes = slot + 1;
	p = &ui->panes[slot];
	memset(p, 0, sizeof *p);
	p->ops = ops;
	p->ui = ui;
	p->dirty = 1;
	if (ops->init != NULL && ops->init(p) == -1)
		BUG("pane init failed");
	return p;
}

static struct pane *
focused(struct ui *ui)
{
	return ui->npanes > 0 ? &ui->panes[ui->focus] : NULL;
}

/* Colours. */

static short
curses_colour(short c)
{
	if (c < 0)
		return -1;
	if (c >= COLORS)
		return c % 8;
	return c;
}

static void
init_colours(struct ui *ui)
{
	int			 i;
	const struct style	*st;

	ui->colours = has_colors() && getenv("NO_COLOR") == NULL;
	if (!ui->colours)
		return;
	start_color();
	use_default_colors();
	for (i = 0; i < ROLE__COUNT; i++) {
		st = &ui->theme->roles[i];
		init_pair((short)(i + 1), curses_colour(st->fg),
		    curses_colour(st->bg));
	}
}

static attr_t
role_attrs(struct ui *ui, int role, short *pair)
{
	const struct style	*st = &ui->theme->roles[role];
	attr_t			 a = 0;
	int			 attrs = st->attrs;

	*pair = ui->colours ? (short)(role + 1) : 0;
	/* Without colours, selection and warnings still need to show. */
	if (!ui->colours) {
		if (role == ROLE_SELECTION || role == ROLE_STATUS ||
		    role == ROLE_COLUMN_SORTED || role == ROLE_PROMPT)
			attrs |= ATTR_REVERSE;
		if (role == ROLE_BAD || role == ROLE_BLOCKER ||
		    role == ROLE_STATUS_ERROR || role == ROLE_TITLE ||
		    role == ROLE_COLUMN || role == ROLE_STATE_WAITING)
			attrs |= ATTR_BOLD;
		if (role == ROLE_BLOCKER || role == ROLE_WARN)
			attrs |= ATTR_UNDERLINE;
	}
	if (attrs & ATTR_BOLD)
		a |= A_BOLD;
	if (attrs & ATTR_REVERSE)
		a |= A_REVERSE;
	if (attrs & ATTR_UNDERLINE)
		a |= A_UNDERLINE;
	if (attrs & ATTR_DIM)
		a |= A_DIM;
	if (attrs & ATTR_BLINK)
		a |= A_BLINK;
#ifdef A_ITALIC
	if (attrs & ATTR_ITALIC)
		a |= A_ITALIC;
#endif
	return a;
}

/* Terminal lifecycle. */

/* Adopt curses' idea of the screen size. */
static void
take_size(struct ui *ui)
{
	getmaxyx(stdscr, ui->rows, ui->cols);
	grid_resize(&ui->screen, ui->rows, ui->cols);
	clearok(curscr, TRUE);
	ui->dirty = 1;
}

/*
 * Ask the terminal for its size and tell curses.  resizeterm() queues a
 * KEY_RESIZE, which only re-reads the size (take_size), so this is
 * called from SIGWINCH and start-up only, never from input.
 */
static void
resize_from_tty(struct ui *ui)
{
	struct winsize	ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0 && is_term_resized(ws.ws_row, ws.ws_col))
		resizeterm(ws.ws_row, ws.ws_col);
	take_size(ui);
}

static void
on_winch(int signo, void *arg)
{
	(void)signo;
	resize_from_tty(arg);
}

static void
on_quit_signal(int signo, void *arg)
{
	struct ui	*ui = arg;

	(void)signo;
	loop_stop(ui->loop);
}

static void	input_ready(int, short, void *);

int
ui_start(struct ui *ui, char **cause)
{
	const char	*cs;

	*cause = NULL;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		*cause = xstrdup("standard input and output must be a terminal");
		return -1;
	}
	cs = nl_langinfo(CODESET);
	grid_set_utf8(cs != NULL && strcmp(cs, "UTF-8") == 0);
	if ((ui->term = newterm(NULL, stdout, stdin)) == NULL) {
		*cause = xstrfmt("cannot use terminal type '%s'",
		    getenv("TERM") != NULL ? getenv("TERM") : "(unset)");
		return -1;
	}
	ui->started = 1;
	set_escdelay(25);
	/* Write each frame whole: no typeahead checks splitting it. */
	typeahead(-1);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	init_colours(ui);
	loop_on_signal(ui->loop, SIGWINCH, on_winch, ui);
	loop_on_signal(ui->loop, SIGINT, on_quit_signal, ui);
	loop_on_signal(ui->loop, SIGTERM, on_quit_signal, ui);
	loop_on_signal(ui->loop, SIGHUP, on_quit_signal, ui);
	loop_watch_fd(ui->loop, STDIN_FILENO, POLLIN, input_ready, ui);
	loop_before_sleep(ui->loop, ui_flush, ui);
	resize_from_tty(ui);
	return 0;
}

void
ui_stop(struct ui *ui)
{
	if (!ui->started)
		return;
	ui->started = 0;
	loop_unwatch_fd(ui->loop, STDIN_FILENO);
	loop_before_sleep(ui->loop, NULL, NULL);
	curs_set(1);
	endwin();
	delscreen(ui->term);
	ui->term = NULL;
}

/* Snapshots. */

static void
give_panes(struct ui *ui)
{
	int	i;

	if (ui->shown == ui->snap)
		return;
	snapshot_unref(ui->shown);
	ui->shown = snapshot_ref(ui->snap);
	activity_summarize(ui->shown, &ui->summary);
	for (i = 0; i < ui->npanes; i++) {
		if (ui->panes[i].ops != NULL && ui->panes[i].ops->update != NULL)
			ui->panes[i].ops->update(&ui->panes[i], ui->shown);
		ui->panes[i].dirty = 1;
	}
	ui->dirty = 1;
}

static void
sink_put(void *arg, struct snapshot *s)
{
	struct ui	*ui = arg;

	snapshot_unref(ui->snap);
	ui->snap = snapshot_ref(s);
	if (!ui->paused)
		give_panes(ui);
	ui->dirty = 1;
}

struct history *
ui_history(struct ui *ui)
{
	return ui->host.history != NULL ? ui->host.history(ui->host.arg) : NULL;
}

struct snapshot_sink
ui_sink(struct ui *ui)
{
	struct snapshot_sink	sink = { sink_put, ui };

	return sink;
}

void
ui_status_changed(struct ui *ui)
{
	ui->dirty = 1;
}

/* Messages, prompts, dialogs. */

static void
message_expired(void *arg)
{
	struct ui	*ui = arg;

	ui->msg_timer = 0;
	ui->msg[0] = '\0';
	ui->dirty = 1;
}

void
ui_message(struct ui *ui, int is_error, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(ui->msg, sizeof ui->msg, fmt, ap);
	va_end(ap);
	ui->msg_error = is_error;
	if (ui->msg_timer != 0)
		loop_timer_cancel(ui->loop, ui->msg_timer);
	ui->msg_timer = loop_timer_add(ui->loop, MESSAGE_MS, message_expired,
	    ui);
	ui->dirty = 1;
}

void
ui_prompt(struct ui *ui, struct pane *p, int id, const char *label,
    const char *initial)
{
	ui->overlay = OV_PROMPT;
	ui->ov_pane = p;
	ui->ov_id = id;
	snprintf(ui->prompt_label, sizeof ui->prompt_label, "%s", label);
	strbuf_reset(&ui->prompt_text);
	if (initial != NULL)
		strbuf_addstr(&ui->prompt_text, initial);
	ui->dirty = 1;
}

void
ui_paste(struct ui *ui, struct pane *p, int id, const char *label)
{
	ui->overlay = OV_PASTE;
	ui->ov_pane = p;
	ui->ov_id = id;
	snprintf(ui->ov_title, sizeof ui->ov_title, "%s", label);
	strbuf_reset(&ui->prompt_text);
	ui->dirty = 1;
}

struct pane *
ui_pane(struct ui *ui, int slot)
{
	if (slot < 0 || slot >= ui->npanes || ui->panes[slot].ops == NULL)
		return NULL;
	return &ui->panes[slot];
}

static void	switch_pane(struct ui *, int);

void
ui_focus(struct ui *ui, int slot)
{
	if (ui_pane(ui, slot) == NULL)
		return;
	switch_pane(ui, slot);
}

int
ui_explain(struct ui *ui, const struct explain_req *req)
{
	char	why[256];

	if (ui->host.explain == NULL) {
		ui_message(ui, 1, "EXPLAIN needs a live server; this is a "
		    "replay or a file");
		return -1;
	}
	why[0] = '\0';
	if (ui->host.explain(ui->host.arg, req, why, sizeof why) == -1) {
		ui_message(ui, 1, "%s", why);
		return -1;
	}
	return 0;
}

void
ui_explain_ask(struct ui *ui, const char *text, const char *datname,
    int64_t queryid, int analyze)
{
	struct explain_req	req;
	char			body[600];
	int			np;

	if (text == NULL || *text == '\0') {
		ui_message(ui, 1, "no statement text to EXPLAIN");
		return;
	}
	memset(&req, 0, sizeof req);
	req.text = text;
	req.datname = datname;
	req.queryid = queryid;
	if (!analyze) {
		ui_explain(ui, &req);
		return;
	}
	if (ui->host.explain == NULL) {
		ui_explain(ui, &req);	/* says why not */
		return;
	}
	if (ui_read_only(ui)) {
		ui_message(ui, 1, "--read-only: no EXPLAIN ANALYZE (it runs the "
		    "statement)");
		return;
	}
	if ((np = explain_nparams(text)) > 0) {
		ui_message(ui, 1, "EXPLAIN ANALYZE needs real values for $1..$%d:"
		    " e shows the generic plan", np);
		return;
	}
	free(ui->ex_text);
	free(ui->ex_datname);
	ui->ex_text = xstrdup(text);
	ui->ex_datname = datname != NULL ? xstrdup(datname) : NULL;
	ui->ex_queryid = queryid;
	snprintf(body, sizeof body, "This RUNS the statement in database %s, "
	    "inside a transaction that is rolled back (statement_timeout "
	    "30 s). Writes are undone; sequences and side effects are not."
	    "\n\n%.400s", datname != NULL ? datname : "?", text);
	ui_confirm(ui, NULL, 0, "EXPLAIN ANALYZE?", body);
}

int
ui_schema_load(struct ui *ui, char *why, size_t size)
{
	if (ui->host.schema_load == NULL) {
		snprintf(why, size, "the Schema pane reads a live server's "
		    "catalog; a capture or a file holds none");
		return -1;
	}
	return ui->host.schema_load(ui->host.arg, why, size);
}

int
ui_backup_run(struct ui *ui)
{
	if (ui->host.backup_run == NULL)
		return -1;
	ui->host.backup_run(ui->host.arg);
	return 0;
}

int
ui_dry_run(struct ui *ui, struct mig_set *set, const char *dbname, char *why,
    size_t size)
{
	if (ui_read_only(ui)) {
		snprintf(why, size, "read-only: no dry runs");
		return -1;
	}
	if (ui->host.dry_run == NULL) {
		snprintf(why, size, "no server: run pgdeck migrate with a "
		    "connection (-h, -d or PG* variables)");
		return -1;
	}
	return ui->host.dry_run(ui->host.arg, set, dbname, why, size);
}

int
ui_read_only(struct ui *ui)
{
	struct ui_status st;

	memset(&st, 0, sizeof st);
	if (ui->host.status != NULL)
		ui->host.status(ui->host.arg, &st);
	return st.read_only;
}

void
ui_confirm(struct ui *ui, struct pane *p, int id, const char *title,
    const char *body)
{
	ui->overlay = OV_CONFIRM;
	ui->ov_pane = p;
	ui->ov_id = id;
	snprintf(ui->ov_title, sizeof ui->ov_title, "%s", title);
	free(ui->ov_body);
	ui->ov_body = xstrdup(body);
	ui->dirty = 1;
}

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
ui_copy(struct ui *ui, const char *text)
{
	struct strbuf		 sb = STRBUF_INIT;
	const unsigned char	*s = (const unsigned char *)text;
	size_t			 len = strlen(text), i;
	uint32_t		 v;

	strbuf_addstr(&sb, "\033]52;c;");
	for (i = 0; i < len; i += 3) {
		v = (uint32_t)s[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)s[i + 1] << 8;
		if (i + 2 < len)
			v |= s[i + 2];
		strbuf_addch(&sb, b64[v >> 18 & 63]);
		strbuf_addch(&sb, b64[v >> 12 & 63]);
		strbuf_addch(&sb, i + 1 < len ? b64[v >> 6 & 63] : '=');
		strbuf_addch(&sb, i + 2 < len ? b64[v & 63] : '=');
	}
	strbuf_addch(&sb, '\a');
	free(ui->pending_copy);
	ui->pending_copy = strbuf_detach(&sb);
	ui_message(ui, 0, "copied %zu bytes to the clipboard (OSC 52)", len);
}

int
ui_can_signal(struct ui *ui, const struct session *x, char *why, size_t size)
{
	if (ui->host.can_signal == NULL) {
		snprintf(why, size, "not available here");
		return 0;
	}
	return ui->host.can_signal(ui->host.arg, x, why, size);
}

void
ui_signal_backend(struct ui *ui, int pid, int terminate)
{
	if (ui->host.signal_backend != NULL)
		ui->host.signal_backend(ui->host.arg, pid, terminate);
}

int
ui_keys_for(struct ui *ui, struct pane *p, enum action a, char *buf,
    size_t size)
{
	return keymap_keys_for(ui->km, p != NULL ? p->ops->name : NULL, a, buf,
	    size);
}

/* Input. */

static int
translate_key(wint_t wc, int is_key)
{
	if (is_key) {
		switch (wc) {
		case KEY_UP:		return KEYC_UP;
		case KEY_DOWN:		return KEYC_DOWN;
		case KEY_LEFT:		return KEYC_LEFT;
		case KEY_RIGHT:		return KEYC_RIGHT;
		case KEY_HOME:		return KEYC_HOME;
		case KEY_END:		return KEYC_END;
		case KEY_PPAGE:		return KEYC_PPAGE;
		case KEY_NPAGE:		return KEYC_NPAGE;
		case KEY_BTAB:		return KEYC_BTAB;
		case KEY_ENTER:		return KEYC_ENTER;
		case KEY_BACKSPACE:	return KEYC_BSPACE;
		case KEY_DC:		return KEYC_DC;
		case KEY_IC:		return KEYC_IC;
		case KEY_RESIZE:	return KEYC_RESIZE;
		default:
			if (wc >= (wint_t)KEY_F(1) && wc <= (wint_t)KEY_F(12))
				return KEYC_F1 + (int)(wc - KEY_F(1));
			return -1;
		}
	}
	if (wc == '\r' || wc == '\n')
		return KEYC_ENTER;
	if (wc == 127 || wc == 8)
		return KEYC_BSPACE;
	return (int)wc;
}

static void
switch_pane(struct ui *ui, int idx)
{
	if (idx < 0 || idx >= ui->npanes || ui->panes[idx].ops == NULL) {
		ui_message(ui, 0, "that pane is not part of this build yet");
		return;
	}
	ui->focus = idx;
	ui->panes[idx].dirty = 1;
	ui->dirty = 1;
	if (ui->panes[idx].ops->shown != NULL)
		ui->panes[idx].ops->shown(&ui->panes[idx]);
}

static int	edit_prompt(struct ui *, int);

static void
prompt_key(struct ui *ui, int key)
{
	struct pane	*p = ui->ov_pane;

	if (p == NULL) {
		/* The host's prompt: the answer goes to time_action(). */
		if (key == KEYC_ESC || key == 7)
			ui->overlay = OV_NONE;
		else if (key == KEYC_ENTER) {
			ui->overlay = OV_NONE;
			ui->host.time_action(ui->host.arg, (enum action)ui->ov_id,
			    ui->prompt_text.buf);
		} else
			edit_prompt(ui, key);
		ui->dirty = 1;
		return;
	}
	if (key == KEYC_ESC || key == 7 /* C-g */) {
		ui->overlay = OV_NONE;
		p->ops->prompt(p, ui->ov_id, PROMPT_CANCELLED, ui->prompt_text.buf);
	} else if (key == KEYC_ENTER) {
		ui->overlay = OV_NONE;
		p->ops->prompt(p, ui->ov_id, PROMPT_DONE, ui->prompt_text.buf);
	} else if (edit_prompt(ui, key))
		p->ops->prompt(p, ui->ov_id, PROMPT_CHANGED, ui->prompt_text.buf);
	p->dirty = 1;
	ui->dirty = 1;
}

/* Edit the prompt line; returns 1 if the text changed. */
/*
 * Apply 'key' to 'sb': Backspace removes one whole UTF-8 character, C-u
 * clears, a printable character is added while the text is shorter than
 * 'max' bytes.  Returns 1 if the text changed.
 */
static int
edit_text(struct strbuf *sb, int key, size_t max)
{
	char		 buf[8];
	size_t		 len;

	if (key == KEYC_BSPACE) {
		len = sb->len;
		while (len > 0 && ((unsigned char)sb->buf[len - 1] & 0xC0) == 0x80)
			len--;
		if (len > 0)
			len--;
		strbuf_setlen(sb, len);
		return 1;
	}
	if (key == 21 /* C-u */) {
		strbuf_reset(sb);
		return 1;
	}
	if (key >= 32 && key < KEYC_BASE && key != 127 && sb->len < max) {
		mbstate_t st;
		size_t	n;

		memset(&st, 0, sizeof st);
		n = wcrtomb(buf, (wchar_t)key, &st);
		if (n != (size_t)-1)
			strbuf_add(sb, buf, n);
		return 1;
	}
	return 0;
}

static int
edit_prompt(struct ui *ui, int key)
{
	return edit_text(&ui->prompt_text, key, 200);
}

/* Paste mode: every key is text; Ctrl-D ends, Esc cancels. */
static void
paste_key(struct ui *ui, int key)
{
	struct pane	*p = ui->ov_pane;

	if (key == 4 /* C-d */ || key == KEYC_ESC) {
		ui->overlay = OV_NONE;
		p->ops->prompt(p, ui->ov_id, key == 4 ? PROMPT_DONE :
		    PROMPT_CANCELLED, ui->prompt_text.buf);
		strbuf_reset(&ui->prompt_text);
		p->dirty = 1;
		ui->dirty = 1;
		return;
	}
	if (ui->prompt_text.len >= PASTE_MAX)
		return;
	if (key == KEYC_ENTER)
		strbuf_addch(&ui->prompt_text, '\n');
	else if (key == KEYC_TAB)
		strbuf_addch(&ui->prompt_text, '\t');
	else
		edit_text(&ui->prompt_text, key, PASTE_MAX);
}

static void
confirm_key(struct ui *ui, int key)
{
	struct pane	*p = ui->ov_pane;

	if (p == NULL) {
		/* The UI's own question: EXPLAIN ANALYZE. */
		if (key == 'y' || key == 'Y') {
			struct explain_req req;

			ui->overlay = OV_NONE;
			memset(&req, 0, sizeof req);
			req.text = ui->ex_text;
			req.datname = ui->ex_datname;
			req.queryid = ui->ex_queryid;
			req.analyze = 1;
			ui_explain(ui, &req);
		} else if (key == 'n' || key == 'N' || key == KEYC_ESC ||
		    key == 'q') {
			ui->overlay = OV_NONE;
			ui_message(ui, 0, "nothing run");
		}
		ui->dirty = 1;
		return;
	}
	if (key == 'y' || key == 'Y') {
		ui->overlay = OV_NONE;
		p->ops->confirm(p, ui->ov_id, 1);
	} else if (key == 'n' || key == 'N' || key == KEYC_ESC ||
	    key == 'q') {
		ui->overlay = OV_NONE;
		p->ops->confirm(p, ui->ov_id, 0);
	}
	ui->dirty = 1;
}

static void
handle_key(struct ui *ui, int key)
{
	struct pane	*p = focused(ui);
	enum action	 a;
	double		 r;
	int		 i;

	if (key == KEYC_RESIZE) {
		take_size(ui);
		return;
	}
	if (ui->overlay == OV_PROMPT) {
		prompt_key(ui, key);
		return;
	}
	if (ui->overlay == OV_CONFIRM) {
		confirm_key(ui, key);
		return;
	}
	if (ui->overlay == OV_PASTE) {
		paste_key(ui, key);
		return;
	}
	a = keymap_lookup(ui->km, p != NULL ? p->ops->name : NULL, key);
	if (ui->overlay == OV_HELP) {
		if (a == ACT_DOWN)
			ui->help_top++;
		else if (a == ACT_UP && ui->help_top > 0)
			ui->help_top--;
		else if (a == ACT_PAGE_DOWN)
			ui->help_top += 10;
		else if (a == ACT_PAGE_UP)
			ui->help_top = ui->help_top > 10 ? ui->help_top - 10 : 0;
		else if (a == ACT_QUIT)
			loop_stop(ui->loop);
		else
			ui->overlay = OV_NONE;
		ui->dirty = 1;
		return;
	}
	switch (a) {
	case ACT_QUIT:
		loop_stop(ui->loop);
		return;
	case ACT_HELP:
		ui->overlay = OV_HELP;
		ui->help_top = 0;
		ui->dirty = 1;
		return;
	case ACT_NEXT_PANE:
	case ACT_PREV_PANE:
		/* Cycle over the slots that hold a pane. */
		i = ui->focus;
		do
			i = (i + (a == ACT_NEXT_PANE ? 1 : ui->npanes - 1)) %
			    (ui->npanes ? ui->npanes : 1);
		while (ui->panes[i].ops == NULL && i != ui->focus);
		switch_pane(ui, i);
		return;
	case ACT_PANE_1: case ACT_PANE_2: case ACT_PANE_3: case ACT_PANE_4:
	case ACT_PANE_5: case ACT_PANE_6: case ACT_PANE_7:
		switch_pane(ui, (int)(a - ACT_PANE_1));
		return;
	case ACT_PAUSE:
		ui->paused = !ui->paused;
		if (!ui->paused)
			give_panes(ui);
		ui_message(ui, 0, ui->paused ? "display paused (p resumes); "
		    "collection goes on" : "display resumed");
		return;
	case ACT_REFRESH:
		if (ui->host.refresh_now != NULL)
			ui->host.refresh_now(ui->host.arg);
		return;
	case ACT_FASTER:
	case ACT_SLOWER:
		if (ui->host.scale_refresh != NULL) {
			r = ui->host.scale_refresh(ui->host.arg,
			    a == ACT_FASTER ? 0.5 : 2);
			ui_message(ui, 0, "refresh every %.2gs", r);
		}
		return;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		ui->dirty = 1;
		return;
	case ACT_STEP_BACK: case ACT_STEP_FORWARD:
	case ACT_MINUTE_BACK: case ACT_MINUTE_FORWARD:
		if (ui->host.time_action == NULL)
			break;
		ui->host.time_action(ui->host.arg, a, NULL);
		return;
	case ACT_GOTO_TIME: case ACT_GOTO_LABEL: case ACT_SAVE_LABEL:
		if (ui->host.time_action == NULL)
			break;
		ui_prompt(ui, NULL, (int)a, a == ACT_GOTO_TIME ?
		    "Go to (HH:MM:SS, +5m from start, -5m from end):" :
		    a == ACT_GOTO_LABEL ? "Go to label (empty: the next one):" :
		    "Label for this moment:", "");
		return;
	default:
		break;
	}
	if (p != NULL && p->ops->action != NULL &&
	    (p->ops->action(p, a) & (PANE_HANDLED | PANE_REDRAW)))
		ui->dirty = 1;
}

static void
input_ready(int fd, short revents, void *arg)
{
	struct ui	*ui = arg;
	wint_t		 wc;
	int		 rc, key, n = 0;

	(void)fd;
	(void)revents;
	while ((rc = wget_wch(stdscr, &wc)) != ERR) {
		key = translate_key(wc, rc == KEY_CODE_YES);
		if (key >= 0)
			handle_key(ui, key);
		/* A paste comes in whole; keys otherwise get a frame each 256. */
		if ((++n > 256 && ui->overlay != OV_PASTE) ||
		    loop_stopped(ui->loop))
			break;
	}
	/* Input always ends in a frame, so tests can sync on it. */
	ui->dirty = 1;
}

/* Drawing. */

static void
draw_tabs(struct ui *ui, int row)
{
	int	col = 0, i;
	char	buf[64];
	const char *titles[] = { "Activity", "Top queries", "Plan", "Schema",
	    "Migrations", "Backups", "History" };

	grid_fill(&ui->screen, row, 0, ui->cols, ' ', ROLE_DIM);
	for (i = 0; i < 7 && col < ui->cols; i++) {
		int	present = i < ui->npanes && ui->panes[i].ops != NULL;

		snprintf(buf, sizeof buf, " %d %s ", i + 1,
		    present ? ui->panes[i].ops->title : titles[i]);
		col += grid_put(&ui->screen, row, col, -1, buf,
		    i == ui->focus ? ROLE_TITLE : present ? ROLE_DEFAULT :
		    ROLE_DIM);
	}
}

/* Short words for the status bar; the help screen has the long ones. */
static const char *
hint_label(enum action a)
{
	switch (a) {
	case ACT_BLOCKING_TREE:	return "tree";
	case ACT_TERMINATE:	return "terminate";
	case ACT_CANCEL:	return "cancel";
	case ACT_GROUP:		return "group";
	case ACT_TOGGLE_IDLE:	return "idle";
	case ACT_SORT_NEXT:	return "sort";
	case ACT_MIN_DURATION:	return "min age";
	case ACT_ENTER:		return "open";
	case ACT_TOGGLE_FOLD:	return "fold";
	case ACT_HIGHLIGHT:	return "highlight";
	case ACT_HOTTEST:	return "hottest";
	case ACT_NEXT_WARNING:	return "warning";
	case ACT_PLAN_TEXT:	return "text";
	case ACT_PLAN_LIST:	return "plans";
	case ACT_PLAN_DIFF:	return "diff";
	case ACT_PASTE_PLAN:	return "paste";
	case ACT_OPEN_PLAN:	return "open file";
	case ACT_EXPLAIN:	return "explain";
	case ACT_ERD:		return "ERD";
	case ACT_LINTS:		return "lints";
	case ACT_DICTIONARY:	return "comments";
	case ACT_GROW:		return "more";
	case ACT_SHRINK:	return "less";
	case ACT_FIT:		return "overview";
	case ACT_FOLLOW_EDGE:	return "edge";
	case ACT_JOIN_PATH:	return "join path";
	case ACT_EXPORT:	return "export";
	case ACT_TOGGLE_COLUMNS: return "columns";
	case ACT_RELOAD:	return "reload";
	default:		return action_name(a);
	}
}

static void
draw_status(struct ui *ui, int row)
{
	struct pane		*p = focused(ui);
	const enum action	*h;
	char			 keys[32], buf[96];
	int			 col = 0, w;

	grid_fill(&ui->screen, row, 0, ui->cols, ' ', ROLE_STATUS);
	if (ui->overlay == OV_PROMPT) {
		col = grid_put(&ui->screen, row, 0, -1, ui->prompt_label,
		    ROLE_PROMPT);
		col += grid_put(&ui->screen, row, col, -1, " ", ROLE_STATUS);
		w = text_width(ui->prompt_text.buf);
		/* Keep the end of a long entry in view. */
		if (w > ui->cols - col - 2) {
			const char	*t = ui->prompt_text.buf;

			while (*t != '\0' && text_width(t) > ui->cols - col - 3)
				t++;
			col += grid_put(&ui->screen, row, col, -1, t, ROLE_STATUS);
		} else
			col += grid_put(&ui->screen, row, col, -1,
			    ui->prompt_text.buf, ROLE_STATUS);
		grid_putc(&ui->screen, row, col, G_BLOCK_FULL, ROLE_STATUS);
		return;
	}
	if (ui->msg[0] != '\0') {
		grid_put_trunc(&ui->screen, row, 0, ui->cols, ui->msg,
		    ui->msg_error ? ROLE_STATUS_ERROR : ROLE_STATUS);
		return;
	}
	if (p == NULL || p->ops->hints == NULL)
		return;
	for (h = p->ops->hints(p); *h != ACT_NONE; h++) {
		if (!ui_keys_for(ui, p, *h, keys, sizeof keys))
			continue;
		/* The first key is enough for a hint. */
		keys[strcspn(keys, ",")] = '\0';
		snprintf(buf, sizeof buf, "%s", hint_label(*h));
		w = text_width(keys) + 1 + text_width(buf) + 2;
		if (col + w > ui->cols)
			break;
		col += grid_put(&ui->screen, row, col, -1, keys, ROLE_STATUS_KEY);
		col += grid_put(&ui->screen, row, col, -1, ":", ROLE_STATUS);
		col += grid_put(&ui->screen, row, col, -1, buf, ROLE_STATUS);
		col += grid_put(&ui->screen, row, col, -1, "  ", ROLE_STATUS);
	}
}

static void
draw_confirm(struct ui *ui)
{
	int		bw = ui->cols > 80 ? 72 : ui->cols - 4;
	int		lines, bh, top, left;
	struct grid	*g = &ui->screen;

	lines = text_wrap(ui->ov_body, bw - 4, NULL, NULL);
	if (lines > ui->rows - 8)
		lines = ui->rows - 8;
	bh = lines + 4;
	top = (ui->rows - bh) / 2;
	left = (ui->cols - bw) / 2;
	grid_box(g, top, left, bh, bw, ROLE_DIALOG_BORDER, ROLE_DIALOG);
	grid_put(g, top, left + 2, bw - 4, ui->ov_title, ROLE_DIALOG_BORDER);
	grid_put_wrapped(g, top + 1, left + 2, bw - 4, 0, lines, ui->ov_body,
	    ROLE_DIALOG);
	grid_put(g, top + bh - 2, left + 2, bw - 4,
	    "y: yes, do it      n or Esc: no", ROLE_HELP_KEY);
}

/* Is 'a' bound in the focused pane's own section? */
static int
pane_specific(struct ui *ui, struct pane *p, enum action a)
{
	char	pk[64], gk[64];

	if (p == NULL)
		return 0;
	keymap_keys_for(ui->km, p->ops->name, a, pk, sizeof pk);
	keymap_keys_for(ui->km, NULL, a, gk, sizeof gk);
	return strcmp(pk, gk) != 0;
}

/*
 * Every bound action, the focused pane's own first, then the global
 * ones; panes this build does not have are left out.
 */
static void
draw_help(struct ui *ui)
{
	struct grid	*g = &ui->screen;
	struct pane	*p = focused(ui);
	int		 bw = ui->cols - 4, bh = ui->rows - 2, row, i, n = 0;
	int		 pass, left;
	char		 keys[64], title[64];

	if (bw > 100)
		bw = 100;
	left = (ui->cols - bw) / 2;
	grid_box(g, 1, left, bh, bw, ROLE_DIALOG_BORDER, ROLE_DIALOG);
	grid_put(g, 1, left + 2, -1,
	    " pgdeck keys (Up/Down scroll, any other key closes) ",
	    ROLE_DIALOG_BORDER);
	row = 2;
	for (pass = 0; pass < 2; pass++) {
		snprintf(title, sizeof title, "%s", pass == 0 ?
		    (p != NULL ? p->ops->title : "") : "Everywhere");
		if (n++ >= ui->help_top && row < bh) {
			grid_put(g, row, left + 2, bw - 4, title,
			    ROLE_DIALOG_BORDER);
			row++;
		}
		for (i = 1; i < ACT__COUNT; i++) {
			if (pane_specific(ui, p, (enum action)i) != (pass == 0))
				continue;
			if (i >= ACT_PANE_1 && i <= ACT_PANE_7 &&
			    (i - ACT_PANE_1 >= ui->npanes ||
			    ui->panes[i - ACT_PANE_1].ops == NULL))
				continue;
			if (!ui_keys_for(ui, p, (enum action)i, keys,
			    sizeof keys))
				continue;
			if (n++ < ui->help_top || row >= bh)
				continue;
			grid_put(g, row, left + 2, 16, keys, ROLE_HELP_KEY);
			grid_put_trunc(g, row, left + 19, bw - 21,
			    action_help((enum action)i), ROLE_DIALOG);
			row++;
		}
	}
	if (ui->help_top > n - 1)
		ui->help_top = n > 0 ? n - 1 : 0;
}

static void
draw_too_small(struct ui *ui)
{
	char	buf[128];

	grid_clear(&ui->screen, ROLE_DEFAULT);
	snprintf(buf, sizeof buf, "terminal too small: %dx%d", ui->cols,
	    ui->rows);
	grid_put(&ui->screen, ui->rows / 2 - 1, 0, -1, buf, ROLE_BAD);
	snprintf(buf, sizeof buf, "pgdeck needs at least %dx%d", MIN_COLS,
	    MIN_ROWS);
	grid_put(&ui->screen, ui->rows / 2, 0, -1, buf, ROLE_DEFAULT);
	grid_put(&ui->screen, ui->rows / 2 + 1, 0, -1, "q quits",
	    ROLE_DIM);
}

/* The paste overlay: what came so far, its last lines. */
static void
draw_paste(struct ui *ui, int top, int rows)
{
	const char	*t = ui->prompt_text.buf, *e;
	int		 lines = 0, row, skip;
	char		 buf[160];

	grid_box(&ui->screen, top, 0, rows, ui->cols, ROLE_DIALOG_BORDER,
	    ROLE_DIALOG);
	grid_put_trunc(&ui->screen, top, 2, ui->cols - 4, ui->ov_title,
	    ROLE_DIALOG_BORDER);
	for (e = t; *e != '\0'; e++)
		lines += *e == '\n';
	snprintf(buf, sizeof buf, " %zu bytes, %d lines ", ui->prompt_text.len,
	    lines);
	grid_put(&ui->screen, top + rows - 1, 2, -1, buf, ROLE_DIALOG_BORDER);
	skip = lines + 1 - (rows - 2);
	for (row = 0; *t != '\0' && row < rows - 2; ) {
		e = strchr(t, '\n');
		if (skip > 0)
			skip--;
		else {
			char *line = xstrndup(t, e != NULL ? (size_t)(e - t) :
			    strlen(t));

			grid_put_trunc(&ui->screen, top + 1 + row, 1, ui->cols - 2,
			    line, ROLE_DIALOG);
			free(line);
			row++;
		}
		if (e == NULL)
			break;
		t = e + 1;
	}
}

static void
draw_all(struct ui *ui)
{
	struct ui_status	 st;
	struct pane		*p = focused(ui);
	int			 hrows, top, prow;

	grid_clear(&ui->screen, ROLE_DEFAULT);
	if (ui->cols < MIN_COLS || ui->rows < MIN_ROWS) {
		draw_too_small(ui);
		return;
	}
	memset(&st, 0, sizeof st);
	if (ui->host.status != NULL)
		ui->host.status(ui->host.arg, &st);
	hrows = header_rows(ui->cols);
	header_draw(&ui->screen, 0, hrows, ui->shown, &ui->summary, &st,
	    ui->paused);
	top = hrows;
	draw_tabs(ui, top);
	top++;
	prow = ui->rows - top - 1;
	if (p != NULL) {
		if (ui->pane_grid.rows != prow || ui->pane_grid.cols != ui->cols)
			grid_resize(&ui->pane_grid, prow, ui->cols);
		else
			grid_clear(&ui->pane_grid, ROLE_DEFAULT);
		p->rows = prow;
		p->cols = ui->cols;
		p->ops->draw(p, &ui->pane_grid);
		p->dirty = 0;
		grid_blit(&ui->screen, &ui->pane_grid, top, 0);
	}
	draw_status(ui, ui->rows - 1);
	if (ui->overlay == OV_PASTE)
		draw_paste(ui, top, prow);
	if (ui->overlay == OV_CONFIRM)
		draw_confirm(ui);
	else if (ui->overlay == OV_HELP)
		draw_help(ui);
}

static void
blit(struct ui *ui)
{
	const struct cell	*c;
	cchar_t			 cc;
	wchar_t			 wch[2];
	attr_t			 a;
	short			 pair;
	int			 r, col;

	for (r = 0; r < ui->rows; r++) {
		for (col = 0; col < ui->cols; col++) {
			c = grid_at(&ui->screen, r, col);
			if (c->ch == GRID_WIDE_CONT)
				continue;
			a = role_attrs(ui, c->role, &pair);
			wch[0] = (wchar_t)c->ch;
			wch[1] = L'\0';
			setcchar(&cc, wch, a, pair, NULL);
			/* The bottom-right cell cannot scroll: use insert. */
			if (r == ui->rows - 1 && col == ui->cols - 1) {
				mvins_wch(r, col, &cc);
			} else
				mvadd_wch(r, col, &cc);
		}
	}
}

static void
write_all(const char *s, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		n = write(STDOUT_FILENO, s, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

static void
ui_flush(void *arg)
{
	struct ui	*ui = arg;
	int		 i;

	if (!ui->started)
		return;
	for (i = 0; i < ui->npanes; i++) {
		if (ui->panes[i].ops != NULL && ui->panes[i].dirty &&
		    i == ui->focus)
			ui->dirty = 1;
	}
	if (!ui->dirty)
		return;
	ui->dirty = 0;
	draw_all(ui);
	blit(ui);
	wnoutrefresh(stdscr);
	doupdate();
	if (ui->pending_copy != NULL) {
		write_all(ui->pending_copy, strlen(ui->pending_copy));
		free(ui->pending_copy);
		ui->pending_copy = NULL;
	}
	if (ui->sync)
		write_all(FRAME_MARKER, sizeof FRAME_MARKER - 1);
}
