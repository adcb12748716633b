/*
 * theme.h - colour roles and the themes that map them to colours.
 *
 * Panes draw with roles ("selection", "state-waiting"), never colours;
 * a theme says what each role looks like: foreground, background (a
 * palette index 0-255 or -1 for the terminal default) and attributes.
 * Themes are text files, "role = fg,bg,attr...", in themes/ (compiled
 * in) or the user's config dir.
 */
#ifndef PGDECK_THEME_H
#define PGDECK_THEME_H

#include <stddef.h>

#define ROLES \
	ROLE(DEFAULT,		"default") \
	ROLE(HEADER,		"header") \
	ROLE(HEADER_LABEL,	"header-label") \
	ROLE(HEADER_VALUE,	"header-value") \
	ROLE(WARN,		"warn") \
	ROLE(BAD,		"bad") \
	ROLE(GOOD,		"good") \
	ROLE(TITLE,		"title") \
	ROLE(COLUMN,		"column") \
	ROLE(COLUMN_SORTED,	"column-sorted") \
	ROLE(SELECTION,		"selection") \
	ROLE(STATE_ACTIVE,	"state-active") \
	ROLE(STATE_IDLE,	"state-idle") \
	ROLE(STATE_IDLE_TX,	"state-idle-tx") \
	ROLE(STATE_ABORTED,	"state-aborted") \
	ROLE(STATE_WAITING,	"state-waiting") \
	ROLE(BLOCKER,		"blocker") \
	ROLE(TREE,		"tree") \
	ROLE(DIM,		"dim") \
	ROLE(ESCAPED,		"escaped") \
	ROLE(STATUS,		"status") \
	ROLE(STATUS_KEY,	"status-key") \
	ROLE(STATUS_ERROR,	"status-error") \
	ROLE(PROMPT,		"prompt") \
	ROLE(DIALOG,		"dialog") \
	ROLE(DIALOG_BORDER,	"dialog-border") \
	ROLE(HELP_KEY,		"help-key")

enum role {
#define ROLE(id, name) ROLE_##id,
	ROLES
#undef ROLE
	ROLE__COUNT
};

#define ATTR_BOLD	0x01
#define ATTR_REVERSE	0x02
#define ATTR_UNDERLINE	0x04
#define ATTR_DIM	0x08
#define ATTR_ITALIC	0x10
#define ATTR_BLINK	0x20

struct style {
	short	fg, bg;		/* palette index, -1 = terminal default */
	int	attrs;		/* ATTR_* */
};

struct theme {
	char		name[64];
	struct style	roles[ROLE__COUNT];
};

const char	*role_name(enum role r);
int		 role_from_name(const char *name);

/*
 * Parse one "fg,bg[,attr...]" style.  Colours: default, black, red,
 * green, yellow, blue, magenta, cyan, white, bright<colour>, grey, or a
 * number 0-255.  Returns 0, or -1 with a malloc'd 'cause'.
 */
int		 style_parse(const char *text, struct style *out, char **cause);

/*
 * Parse theme text (from 'origin', for messages) over 't', which keeps
 * the values of roles the text does not set.  Returns 0, or -1 with
 * '*cause' = "origin:line: message" (caller frees).
 */
int		 theme_parse(struct theme *t, const char *text, const char *origin,
		    char **cause);

/*
 * Load theme 'name': a path if it contains '/', else
 * $XDG_CONFIG_HOME/pgdeck/themes/NAME.theme, else a built-in theme.
 * Returns 0, or -1 with '*cause' set.
 */
int		 theme_load(struct theme *t, const char *name, char **cause);

/* Built-in themes, generated from themes/ at build time. */
struct builtin_theme {
	const char	*name;
	const char	*text;
};
extern const struct builtin_theme builtin_themes[];
extern const size_t nbuiltin_themes;

#endif
