/*
 * keymap.c - action names, key names, bindings.
 */
#include "keymap.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/util.h"
#include "../core/banned.h"

static const char *const names[ACT__COUNT] = {
#define ACTION(id, name, help) name,
	ACTIONS
#undef ACTION
};

static const char *const helps[ACT__COUNT] = {
#define ACTION(id, name, help) help,
	ACTIONS
#undef ACTION
};

const char keymap_defaults[] =
	"bind global q quit\n"
	"bind global F10 quit\n"
	"bind global ? help\n"
	"bind global F1 help\n"
	"bind global Tab next-pane\n"
	"bind global BTab prev-pane\n"
	"bind global 1 pane-1\n"
	"bind global 2 pane-2\n"
	"bind global 3 pane-3\n"
	"bind global 4 pane-4\n"
	"bind global 5 pane-5\n"
	"bind global 6 pane-6\n"
	"bind global 7 pane-7\n"
	"bind global Up move-up\n"
	"bind global k move-up\n"
	"bind global Down move-down\n"
	"bind global j move-down\n"
	"bind global PgUp page-up\n"
	"bind global C-b page-up\n"
	"bind global PgDn page-down\n"
	"bind global C-f page-down\n"
	"bind global Space page-down\n"
	"bind global Home move-first\n"
	"bind global g move-first\n"
	"bind global End move-last\n"
	"bind global G move-last\n"
	"bind global Left scroll-left\n"
	"bind global h scroll-left\n"
	"bind global Right scroll-right\n"
	"bind global l scroll-right\n"
	"bind global Enter open\n"
	"bind global Esc back\n"
	"bind global Backspace back\n"
	"bind global / filter\n"
	"bind global p pause\n"
	"bind global C-r refresh\n"
	"bind global + faster\n"
	"bind global - slower\n"
	"bind global C-l redraw\n"
	"bind activity d min-duration\n"
	"bind activity i toggle-idle\n"
	"bind activity a toggle-system\n"
	"bind activity t blocking-tree\n"
	"bind activity b blocking-tree\n"
	"bind activity o group-cycle\n"
	"bind activity > sort-next\n"
	"bind activity < sort-prev\n"
	"bind activity r sort-reverse\n"
	"bind activity c cancel-query\n"
	"bind activity K terminate-backend\n"
	"bind activity y copy\n"
	"bind global [ step-back\n"
	"bind global ] step-forward\n"
	"bind global { minute-back\n"
	"bind global } minute-forward\n"
	"bind global T go-to-time\n"
	"bind global L go-to-label\n"
	"bind global S save-label\n"
	"bind statements w window-cycle\n"
	"bind statements D filter-database\n"
	"bind statements U filter-user\n"
	"bind statements > sort-next\n"
	"bind statements < sort-prev\n"
	"bind statements r sort-reverse\n"
	"bind statements y copy\n"
	"bind history w window-cycle\n"
	"bind statements e explain\n"
	"bind statements E explain-analyze\n"
	"bind activity e explain\n"
	"bind activity E explain-analyze\n"
	"bind plan Space toggle-fold\n"
	"bind plan h highlight-cycle\n"
	"bind plan H jump-hottest\n"
	"bind plan w next-warning\n"
	"bind plan n next-match\n"
	"bind plan N prev-match\n"
	"bind plan t plan-text\n"
	"bind plan d plan-diff\n"
	"bind plan P plan-list\n"
	"bind plan p paste-plan\n"
	"bind plan o open-plan\n"
	"bind plan y copy\n"
	"bind migrate t timeline\n"
	"bind migrate w next-warning\n"
	"bind migrate o open-migration\n"
	"bind migrate D dry-run\n"
	"bind migrate y copy\n"
	"bind schema Space toggle-fold\n"
	"bind schema e erd\n"
	"bind schema l lints\n"
	"bind schema c dictionary\n"
	"bind schema + grow\n"
	"bind schema - shrink\n"
	"bind schema f fit\n"
	"bind schema g follow-edge\n"
	"bind schema J join-path\n"
	"bind schema x export\n"
	"bind schema a toggle-columns\n"
	"bind schema R reload\n"
	"bind schema n next-match\n"
	"bind schema N prev-match\n"
	"bind schema y copy\n"
	"bind backup R reload\n";

const char *
action_name(enum action a)
{
	return a < ACT__COUNT ? names[a] : "?";
}

const char *
action_help(enum action a)
{
	return a < ACT__COUNT ? helps[a] : "?";
}

int
action_from_name(const char *name)
{
	int	i;

	for (i = 0; i < ACT__COUNT; i++) {
		if (strcmp(names[i], name) == 0)
			return i;
	}
	return -1;
}

static const struct {
	const char	*name;
	int		 key;
} key_names[] = {
	{ "Up", KEYC_UP }, { "Down", KEYC_DOWN }, { "Left", KEYC_LEFT },
	{ "Right", KEYC_RIGHT }, { "Home", KEYC_HOME }, { "End", KEYC_END },
	{ "PgUp", KEYC_PPAGE }, { "PgDn", KEYC_NPAGE }, { "BTab", KEYC_BTAB },
	{ "Enter", KEYC_ENTER }, { "Backspace", KEYC_BSPACE },
	{ "Delete", KEYC_DC }, { "Insert", KEYC_IC }, { "Esc", KEYC_ESC },
	{ "Tab", KEYC_TAB }, { "Space", ' ' },
};

int
key_from_name(const char *name)
{
	size_t	i, len = strlen(name);
	int	n;

	for (i = 0; i < sizeof key_names / sizeof key_names[0]; i++) {
		if (strcasecmp(key_names[i].name, name) == 0)
			return key_names[i].key;
	}
	if ((name[0] == 'F' || name[0] == 'f') && len >= 2 && len <= 3 &&
	    isdigit((unsigned char)name[1]) &&
	    (len == 2 || isdigit((unsigned char)name[2]))) {
		n = atoi(name + 1);
		if (n >= 1 && n <= 12)
			return KEYC_F1 + n - 1;
		return -1;
	}
	if (len == 3 && (name[0] == 'C' || name[0] == 'c') && name[1] == '-' &&
	    isalpha((unsigned char)name[2]))
		return tolower((unsigned char)name[2]) - 'a' + 1;
	if (len == 1 && isgraph((unsigned char)name[0]))
		return (unsigned char)name[0];
	return -1;
}

const char *
key_to_name(int key, char *buf, size_t size)
{
	size_t	i;

	for (i = 0; i < sizeof key_names / sizeof key_names[0]; i++) {
		if (key_names[i].key == key) {
			snprintf(buf, size, "%s", key_names[i].name);
			return buf;
		}
	}
	if (key >= KEYC_F1 && key <= KEYC_F12)
		snprintf(buf, size, "F%d", key - KEYC_F1 + 1);
	else if (key >= 1 && key <= 26)
		snprintf(buf, size, "C-%c", 'a' + key - 1);
	else if (key > 32 && key < 127)
		snprintf(buf, size, "%c", key);
	else
		snprintf(buf, size, "<%d>", key);
	return buf;
}

struct binding {
	char		section[24];
	int		key;
	enum action	action;
};

struct keymap {
	struct binding	*b;
	size_t		 n, alloc;
};

struct keymap *
keymap_new(void)
{
	return xcalloc(1, sizeof(struct keymap));
}

void
keymap_free(struct keymap *km)
{
	if (km == NULL)
		return;
	free(km->b);
	free(km);
}

void
keymap_bind(struct keymap *km, const char *section, int key, enum action a)
{
	size_t	i;

	for (i = 0; i < km->n; i++) {
		if (km->b[i].key == key &&
		    strcmp(km->b[i].section, section) == 0) {
			km->b[i].action = a;
			return;
		}
	}
	xgrow((void **)&km->b, &km->alloc, km->n + 1, sizeof *km->b);
	snprintf(km->b[km->n].section, sizeof km->b[km->n].section, "%s",
	    section);
	km->b[km->n].key = key;
	km->b[km->n].action = a;
	km->n++;
}

static int
find(const struct keymap *km, const char *section, int key, enum action *a)
{
	size_t	i;

	for (i = 0; i < km->n; i++) {
		if (km->b[i].key == key &&
		    strcmp(km->b[i].section, section) == 0) {
			*a = km->b[i].action;
			return 1;
		}
	}
	return 0;
}

enum action
keymap_lookup(const struct keymap *km, const char *section, int key)
{
	enum action	a;

	if (section != NULL && find(km, section, key, &a))
		return a;
	if (find(km, "global", key, &a))
		return a;
	return ACT_NONE;
}

/*
 * Does binding 'i' give 'a' in 'section' (global, or the section's own,
 * and not overridden there)?
 */
static int
binding_applies(const struct keymap *km, size_t i, const char *section,
    enum action a)
{
	if (km->b[i].action != a)
		return 0;
	if (strcmp(km->b[i].section, "global") != 0 &&
	    (section == NULL || strcmp(km->b[i].section, section) != 0))
		return 0;
	if (section != NULL && strcmp(km->b[i].section, "global") == 0 &&
	    keymap_lookup(km, section, km->b[i].key) != a)
		return 0;
	return 1;
}

int
keymap_keys_for(const struct keymap *km, const char *section, enum action a,
    char *buf, size_t size)
{
	size_t	i, j, len = 0;
	int	count = 0, dup;
	char	kb[16];

	buf[0] = '\0';
	for (i = 0; i < km->n; i++) {
		if (!binding_applies(km, i, section, a))
			continue;
		/* A key bound the same way globally and in the pane: once. */
		for (dup = 0, j = 0; j < i && !dup; j++)
			dup = km->b[j].key == km->b[i].key &&
			    binding_applies(km, j, section, a);
		if (dup)
			continue;
		key_to_name(km->b[i].key, kb, sizeof kb);
		len += (size_t)snprintf(buf + len, len < size ? size - len : 0,
		    "%s%s", count ? ", " : "", kb);
		if (len >= size) {
			buf[size - 1] = '\0';
			len = size - 1;
		}
		count++;
	}
	return count;
}
