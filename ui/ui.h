/*
 * ui.h - the screen manager: layout, input, focus, overlays, flush.
 *
 * Only ui/ includes curses.  It is a snapshot
 * sink: snapshots go to every pane's update().  Redraws happen once per
 * loop iteration from the loop's before-sleep hook, ending in a single
 * doupdate().
 */
#ifndef PGDECK_UI_H
#define PGDECK_UI_H

#include <stddef.h>
#include <stdint.h>

#include "../src/config/keymap.h"
#include "../src/config/theme.h"
#include "../src/core/snapshot.h"
#include "../src/core/util.h"
#include "pane.h"

struct explain_req;
struct mig_set;
struct history;
struct loop;
struct ui;

/* Where the data comes from and how it is doing, for the header. */
struct ui_status {
	int		 ok;		/* data is flowing */
	char		 state[160];	/* "live", "reconnecting in 4 s: ..." */
	char		 source[160];	/* "postgres@127.0.0.1:5433/postgres" */
	char		 detail[200];	/* last probe error or hint, or "" */
	double		 refresh;	/* seconds */
	int		 read_only;
	int		 replay;
};

/* What the UI needs from the program around it (main.c wires these). */
struct ui_host {
	void	*arg;
	void	(*status)(void *arg, struct ui_status *out);
	/* 1 if 'x' may be signalled; else 0 with a reason in 'why'. */
	int	(*can_signal)(void *arg, const struct session *x, char *why,
		    size_t size);
	void	(*signal_backend)(void *arg, int pid, int terminate);
	void	(*refresh_now)(void *arg);
	/* Multiply the refresh interval (clamped); returns the new one. */
	double	(*scale_refresh)(void *arg, double factor);
	/*
	 * The time cursor and labels: ACT_STEP_*, ACT_MINUTE_*, and with
	 * the text typed, ACT_GOTO_TIME, ACT_GOTO_LABEL, ACT_SAVE_LABEL.
	 * NULL where there is no history.
	 */
	void	(*time_action)(void *arg, enum action a, const char *text);
	/* History for the panes' windows and sparklines; may be NULL. */
	struct history *(*history)(void *arg);
	/*
	 * EXPLAIN a statement; the plan arrives later in the Plan pane.
	 * Returns 0, or -1 with a reason in 'why'.  NULL: no server.
	 */
	int	(*explain)(void *arg, const struct explain_req *req, char *why,
		    size_t size);
	/*
	 * Trace 'set' on the scratch database 'dbname' (rolled back).
	 * Returns 0, or -1 with a reason in 'why'.  NULL: no server.
	 */
	int	(*dry_run)(void *arg, struct mig_set *set, const char *dbname,
		    char *why, size_t size);
	/*
	 * Read the catalog of the database (async); it arrives in the
	 * Schema pane (pane_schema_open, then pane_schema_detail).  Returns
	 * 0, or -1 with a reason in 'why'.  NULL: no server.
	 */
	int	(*schema_load)(void *arg, char *why, size_t size);
	/* Run the backup tools and the WAL probe now.  NULL: no server. */
	void	(*backup_run)(void *arg);
};

struct ui	*ui_new(struct loop *loop, const struct theme *theme,
		    const struct keymap *km, const struct ui_host *host);
/*
 * Take the terminal.  Returns 0, or -1 with '*cause' set if the
 * terminal cannot be used.
 */
int		 ui_start(struct ui *ui, char **cause);
/* Give the terminal back (idempotent). */
void		 ui_stop(struct ui *ui);
void		 ui_free(struct ui *ui);

/* Put a pane in 'slot' (0: Activity ... 6: History); slot 0 has the focus. */
struct pane	*ui_add_pane(struct ui *ui, int slot, const struct pane_ops *ops);

/* The snapshot sink feeding every pane. */
struct snapshot_sink ui_sink(struct ui *ui);
/* The host's status changed: redraw the header. */
void		 ui_status_changed(struct ui *ui);

/* Show a message in the status bar for a few seconds. */
void		 ui_message(struct ui *ui, int is_error, const char *fmt, ...)
		    PRINTF_LIKE(3, 4);
/* Ask for a line of text; answers come to pane_ops.prompt(). */
void		 ui_prompt(struct ui *ui, struct pane *p, int id,
		    const char *label, const char *initial);
/*
 * Take pasted text (many lines) until Ctrl-D; Esc cancels.  The text
 * comes to pane_ops.prompt() with PROMPT_DONE.
 */
void		 ui_paste(struct ui *ui, struct pane *p, int id,
		    const char *label);
/* The pane in 'slot', or NULL; give it the focus. */
struct pane	*ui_pane(struct ui *ui, int slot);
void		 ui_focus(struct ui *ui, int slot);
/* Ask the host to EXPLAIN; 0, or -1 with the reason shown already. */
int		 ui_explain(struct ui *ui, const struct explain_req *req);
int		 ui_read_only(struct ui *ui);
/* Ask the host for a dry run; 0, or -1 with 'why' set. */
int		 ui_dry_run(struct ui *ui, struct mig_set *set, const char *dbname,
		    char *why, size_t size);
/*
 * EXPLAIN 'text' from 'datname' (the generic plan), or with 'analyze'
 * EXPLAIN ANALYZE after the user confirms.  The plan opens in pane 3.
 */
void		 ui_explain_ask(struct ui *ui, const char *text,
		    const char *datname, int64_t queryid, int analyze);
/* Ask yes/no in a dialog; the answer comes to pane_ops.confirm(). */
void		 ui_confirm(struct ui *ui, struct pane *p, int id,
		    const char *title, const char *body);
/* Put 'text' on the terminal's clipboard with OSC 52. */
void		 ui_copy(struct ui *ui, const char *text);
/* Ask the host for the catalog; 0, or -1 with 'why' set. */
int		 ui_schema_load(struct ui *ui, char *why, size_t size);
/* Run the backup tools now; -1 when there is no server (replay). */
int		 ui_backup_run(struct ui *ui);
int		 ui_can_signal(struct ui *ui, const struct session *x,
		    char *why, size_t size);
void		 ui_signal_backend(struct ui *ui, int pid, int terminate);
/* The history behind the data shown (cache or replayed file), or NULL. */
struct history	*ui_history(struct ui *ui);
/* Keys bound to 'a' for pane 'p', e.g. "K" (for hints). */
int		 ui_keys_for(struct ui *ui, struct pane *p, enum action a,
		    char *buf, size_t size);

#endif
