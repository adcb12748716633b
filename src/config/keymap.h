/*
 * keymap.h - actions and the keys bound to them.
 *
 * One X-macro table generates the action enum, the names used in config
 * files and the help screen (tig's REQ_INFO).  Bindings live per section
 * ("global" or a pane name); a pane's section is searched before
 * "global".  Defaults are config text compiled in (tmux key-bindings.c)
 * so the user file overrides them with the same syntax.
 */
#ifndef PGDECK_KEYMAP_H
#define PGDECK_KEYMAP_H

#include <stddef.h>

#define ACTIONS \
	ACTION(NONE,		"none",			"Do nothing") \
	ACTION(QUIT,		"quit",			"Quit pgdeck") \
	ACTION(HELP,		"help",			"Show or hide this help") \
	ACTION(NEXT_PANE,	"next-pane",		"Switch to the next pane") \
	ACTION(PREV_PANE,	"prev-pane",		"Switch to the previous pane") \
	ACTION(PANE_1,		"pane-1",		"Activity pane") \
	ACTION(PANE_2,		"pane-2",		"Top queries pane") \
	ACTION(PANE_3,		"pane-3",		"Plan pane") \
	ACTION(PANE_4,		"pane-4",		"Schema pane") \
	ACTION(PANE_5,		"pane-5",		"Migrations pane") \
	ACTION(PANE_6,		"pane-6",		"Backups pane") \
	ACTION(PANE_7,		"pane-7",		"History pane") \
	ACTION(UP,		"move-up",		"Select the previous row") \
	ACTION(DOWN,		"move-down",		"Select the next row") \
	ACTION(PAGE_UP,		"page-up",		"Move up one page") \
	ACTION(PAGE_DOWN,	"page-down",		"Move down one page") \
	ACTION(HOME,		"move-first",		"Select the first row") \
	ACTION(END,		"move-last",		"Select the last row") \
	ACTION(LEFT,		"scroll-left",		"Scroll the query text left") \
	ACTION(RIGHT,		"scroll-right",		"Scroll the query text right") \
	ACTION(ENTER,		"open",			"Open the selected row (detail, group)") \
	ACTION(BACK,		"back",			"Close the detail view or group") \
	ACTION(FILTER,		"filter",		"Filter rows by text") \
	ACTION(MIN_DURATION,	"min-duration",		"Hide sessions younger than a duration") \
	ACTION(TOGGLE_IDLE,	"toggle-idle",		"Show or hide idle sessions") \
	ACTION(TOGGLE_SYSTEM,	"toggle-system",	"Show or hide background processes") \
	ACTION(BLOCKING_TREE,	"blocking-tree",	"Show who blocks whom") \
	ACTION(GROUP,		"group-cycle",		"Group by application/user/client/db/query_id") \
	ACTION(SORT_NEXT,	"sort-next",		"Sort by the next column") \
	ACTION(SORT_PREV,	"sort-prev",		"Sort by the previous column") \
	ACTION(SORT_REVERSE,	"sort-reverse",		"Reverse the sort order") \
	ACTION(CANCEL,		"cancel-query",		"Cancel the selected session's query") \
	ACTION(TERMINATE,	"terminate-backend",	"Terminate the selected session") \
	ACTION(COPY,		"copy",			"Copy the query text (OSC 52)") \
	ACTION(WINDOW,		"window-cycle",		"Rates over the interval or a window of history") \
	ACTION(FILTER_DB,	"filter-database",	"Show one database's statements") \
	ACTION(FILTER_USER,	"filter-user",		"Show one user's statements") \
	ACTION(STEP_BACK,	"step-back",		"Replay: the previous sample") \
	ACTION(STEP_FORWARD,	"step-forward",		"Replay: the next sample") \
	ACTION(MINUTE_BACK,	"minute-back",		"Replay: one minute back") \
	ACTION(MINUTE_FORWARD,	"minute-forward",	"Replay: one minute forward") \
	ACTION(GOTO_TIME,	"go-to-time",		"Replay: go to a time") \
	ACTION(GOTO_LABEL,	"go-to-label",		"Replay: go to the next label (or one by name)") \
	ACTION(SAVE_LABEL,	"save-label",		"Save this moment with a label") \
	ACTION(TOGGLE_FOLD,	"toggle-fold",		"Plan: fold or unfold the selected node") \
	ACTION(HIGHLIGHT,	"highlight-cycle",	"Plan: highlight self time, rows, cost or buffers") \
	ACTION(HOTTEST,		"jump-hottest",		"Plan: go to the node with the most self time") \
	ACTION(NEXT_WARNING,	"next-warning",		"Plan: go to the next warning's node") \
	ACTION(NEXT_MATCH,	"next-match",		"Go to the next search match") \
	ACTION(PREV_MATCH,	"prev-match",		"Go to the previous search match") \
	ACTION(PLAN_TEXT,	"plan-text",		"Plan: the statement and the plan's own fields") \
	ACTION(PLAN_LIST,	"plan-list",		"Plan: the plans of this session and in history") \
	ACTION(PLAN_DIFF,	"plan-diff",		"Plan: diff two plans (pick the old one)") \
	ACTION(PASTE_PLAN,	"paste-plan",		"Plan: paste a plan (JSON or psql text)") \
	ACTION(OPEN_PLAN,	"open-plan",		"Plan: open a plan file") \
	ACTION(EXPLAIN,		"explain",		"EXPLAIN the selected statement (generic plan, not run)") \
	ACTION(EXPLAIN_ANALYZE,	"explain-analyze",	"EXPLAIN ANALYZE the selected statement (runs it, rolled back)") \
	ACTION(TIMELINE,	"timeline",		"Migrations: the steps as a timeline, coloured by what they block") \
	ACTION(OPEN_MIGRATION,	"open-migration",	"Migrations: open migration files or a folder") \
	ACTION(DRY_RUN,		"dry-run",		"Migrations: trace every step on a scratch database, rolled back") \
	ACTION(ERD,		"erd",			"Schema: the ERD around the selected table") \
	ACTION(LINTS,		"lints",		"Schema: every lint finding, worst first") \
	ACTION(DICTIONARY,	"dictionary",		"Schema: the data dictionary (every comment)") \
	ACTION(GROW,		"grow",			"Schema ERD: one more hop around the focus") \
	ACTION(SHRINK,		"shrink",		"Schema ERD: one hop less around the focus") \
	ACTION(FIT,		"fit",			"Schema ERD: the whole diagram fitted to the screen") \
	ACTION(FOLLOW_EDGE,	"follow-edge",		"Schema ERD: pick the focus's next foreign key (Enter follows it)") \
	ACTION(JOIN_PATH,	"join-path",		"Schema ERD: the join path from the focus to a table") \
	ACTION(EXPORT,		"export",		"Schema ERD: write the diagram (.dot, .mmd, .svg, .txt)") \
	ACTION(TOGGLE_COLUMNS,	"toggle-columns",	"Schema ERD: key columns or every column") \
	ACTION(RELOAD,		"reload",		"Schema: read the catalog again; Backups: run the backup tools now") \
	ACTION(PAUSE,		"pause",		"Freeze the display (collection goes on)") \
	ACTION(REFRESH,		"refresh",		"Refresh now") \
	ACTION(FASTER,		"faster",		"Refresh more often") \
	ACTION(SLOWER,		"slower",		"Refresh less often") \
	ACTION(REDRAW,		"redraw",		"Redraw the screen")

enum action {
#define ACTION(id, name, help) ACT_##id,
	ACTIONS
#undef ACTION
	ACT__COUNT
};

/* Config name of 'a' ("quit"), and its help text. */
const char	*action_name(enum action a);
const char	*action_help(enum action a);
/* Look up an action by config name; -1 if unknown. */
int		 action_from_name(const char *name);

/*
 * Keys are curses key codes (KEY_UP ...) or Unicode code points; we use
 * our own numbering so the engine does not need curses: see keymap.c.
 */
#define KEYC_BASE	0x110000
enum {
	KEYC_UP = KEYC_BASE, KEYC_DOWN, KEYC_LEFT, KEYC_RIGHT, KEYC_HOME,
	KEYC_END, KEYC_PPAGE, KEYC_NPAGE, KEYC_BTAB, KEYC_ENTER, KEYC_BSPACE,
	KEYC_DC, KEYC_IC, KEYC_RESIZE, KEYC_F1, KEYC_F12 = KEYC_F1 + 11
};
#define KEYC_ESC	0x1b
#define KEYC_TAB	'\t'

/* Parse "q", "C-l", "Enter", "F5", "PgDn" ...; -1 if not a key name. */
int		 key_from_name(const char *name);
/* Name of 'key' in 'buf' ("C-l", "Up", "?"). */
const char	*key_to_name(int key, char *buf, size_t size);

struct keymap;

struct keymap	*keymap_new(void);
void		 keymap_free(struct keymap *km);
/*
 * Bind 'key' in 'section' ("global" or a pane name) to 'a' (ACT_NONE
 * unbinds).  Later bindings replace earlier ones.
 */
void		 keymap_bind(struct keymap *km, const char *section, int key,
		    enum action a);
/* The action for 'key' in 'section', falling back to "global". */
enum action	 keymap_lookup(const struct keymap *km, const char *section,
		    int key);
/*
 * Keys bound to 'a' in 'section' (or global), as "k, Up" in 'buf'.
 * Returns 0 if there is none.
 */
int		 keymap_keys_for(const struct keymap *km, const char *section,
		    enum action a, char *buf, size_t size);

/* The compiled-in default bindings, in config syntax. */
extern const char keymap_defaults[];

#endif
