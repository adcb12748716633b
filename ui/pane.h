/*
 * pane.h - the pane interface (tig's view_ops, tmux's window_mode).
 *
 * A pane never calls the collector or libpq.  It receives immutable
 * snapshots in update(), actions (not raw keys) in action(), and draws
 * into a grid.  It asks the UI for prompts, confirmations and server
 * actions through the ui_*() calls in ui.h.
 */
#ifndef PGDECK_PANE_H
#define PGDECK_PANE_H

#include "../src/config/keymap.h"
#include "../src/core/snapshot.h"
#include "grid.h"

struct ui;
struct pane;

enum pane_result {
	PANE_IGNORED = 0,
	PANE_HANDLED = 0x1,
	PANE_REDRAW = 0x2,
	PANE_CLOSE = 0x4,
};

/* How a prompt ended, for pane_ops.prompt(). */
enum prompt_event {
	PROMPT_CHANGED,		/* text edited (live filters) */
	PROMPT_DONE,		/* Enter */
	PROMPT_CANCELLED,	/* Esc */
};

struct pane_ops {
	const char	*name;		/* config and keymap section */
	const char	*title;		/* shown in the tab line */
	int		(*init)(struct pane *);
	void		(*free)(struct pane *);
	void		(*update)(struct pane *, struct snapshot *);
	void		(*draw)(struct pane *, struct grid *);
	enum pane_result (*action)(struct pane *, enum action);
	/* Actions worth a hint in the status bar, ACT_NONE-terminated. */
	const enum action *(*hints)(struct pane *);
	void		(*prompt)(struct pane *, int id, enum prompt_event,
			    const char *text);
	void		(*confirm)(struct pane *, int id, int yes);
	/* The pane was brought to the front (lazy loading starts here). */
	void		(*shown)(struct pane *);
};

struct pane {
	const struct pane_ops	*ops;
	struct ui		*ui;
	void			*data;		/* private, from init() */
	int			 dirty;
	int			 rows, cols;	/* drawing area */
};

#endif
