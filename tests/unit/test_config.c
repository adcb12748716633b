/*
 * test_config.c - command line, config file, keymap and themes.
 */
#include <errno.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/config.h"
#include "config/keymap.h"
#include "config/theme.h"

#define ARGC(a)	((int)(sizeof (a) / sizeof (a)[0]))

/* A temporary $XDG_CONFIG_HOME for the whole run. */
static char	xdg[64];

/* Fail unless 'hay' contains 'needle'. */
static void
assert_contains(const char *hay, const char *needle)
{
	if (hay == NULL)
		fail_msg("NULL, expected something containing \"%s\"", needle);
	if (strstr(hay, needle) == NULL)
		fail_msg("\"%s\" does not contain \"%s\"", hay, needle);
}

static void
write_file(const char *path, const char *text)
{
	FILE	*f = fopen(path, "w");

	if (f == NULL)
		fail_msg("cannot create '%s': %s", path, strerror(errno));
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
group_setup(void **state)
{
	(void)state;
	snprintf(xdg, sizeof xdg, "/tmp/pgdeck-test-config.XXXXXX");
	if (mkdtemp(xdg) == NULL)
		return -1;
	return setenv("XDG_CONFIG_HOME", xdg, 1);
}

static int
group_teardown(void **state)
{
	(void)state;
	return nftw(xdg, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- options_parse ---------------------------------------------------- */

static void
test_options_none(void **state)
{
	char		*argv[] = { "pgdeck" };
	struct options	 o;
	char		*cause = (char *)"unset";

	(void)state;
	assert_int_equal(options_parse(&o, ARGC(argv), argv, &cause), 0);
	assert_null(cause);
	assert_int_equal(o.command, CMD_LIVE);
	assert_null(o.host);
	assert_null(o.port);
	assert_null(o.user);
	assert_null(o.dbname);
	assert_null(o.service);
	assert_null(o.conninfo);
	assert_null(o.theme);
	assert_true(o.refresh == 0);
	assert_int_equal(o.read_only, 0);
	assert_int_equal(o.no_config, 0);
}

static void
test_options_psql_separate(void **state)
{
	char		*argv[] = { "pgdeck", "-h", "db.example", "-p", "5433",
	    "-U", "alice", "-d", "shop" };
	struct options	 o;
	char		*cause;

	(void)state;
	assert_int_equal(options_parse(&o, ARGC(argv), argv, &cause), 0);
	assert_null(cause);
	assert_int_equal(o.command, CMD_LIVE);
	assert_string_equal(o.host, "db.example");
	assert_string_equal(o.port, "5433");
	assert_string_equal(o.user, "alice");
	assert_string_equal(o.dbname, "shop");
	assert_null(o.conninfo);
}

static void
test_options_psql_attached(void **state)
{
	char		*argv[] = { "pgdeck", "-h/var/run/postgresql", "-p6543",
	    "-Ubob", "-dpostgresql://x/y" };
	struct options	 o;
	char		*cause;

	(void)state;
	assert_int_equal(options_parse(&o, ARGC(argv), argv, &cause), 0);
	assert_string_equal(o.host, "/var/run/postgresql");
	assert_string_equal(o.port, "6543");
	assert_string_equal(o.user, "bob");
	assert_string_equal(o.dbname, "postgresql://x/y");
}

static void
test_options_long(void **state)
{
	char		*argv[] = { "pgdeck", "--host=h1", "--port", "7",
	    "--username=carol", "--dbname", "d1", "--service=svc",
	    "--theme", "light", "--config=/etc/pgdeck.conf", "--read-only",
	    "--save-snapshots=out.jsonl" };
	char		*argv2[] = { "pgdeck", "--host", "h2", "--service",
	    "s2", "--theme=./my.theme", "--no-config", "--snapshot-file",
	    "in.jsonl" };
	struct options	 o;
	char		*cause;

	(void)state;
	assert_int_equal(options_parse(&o, ARGC(argv), argv, &cause), 0);
	assert_null(cause);
	assert_string_equal(o.host, "h1");
	assert_string_equal(o.port, "7");
	assert_string_equal(o.user, "carol");
	assert_string_equal(o.dbname, "d1");
	assert_string_equal(o.service, "svc");
	assert_string_equal(o.theme, "light");
	assert_string_equal(o.config, "/etc/pgdeck.conf");
	assert_string_equal(o.save_snapshots, "out.jsonl");
	assert_int_equal(o.read_only, 1);
	assert_int_equal(o.no_config, 0);

	assert_int_equal(options_parse(&o, ARGC(argv2), argv2, &cause), 0);
	assert_string_equal(o.host, "h2");
	assert_string_equal(o.service, "s2");
	assert_string_equal(o.theme, "./my.theme");
	assert_string_equal(o.snapshot_file, "in.jsonl");
	assert_int_equal(o.no_config, 1);
	assert_int_equal(o.read_only, 0);
}

static void
test_options_refresh_ok(void **state)
{
	char		*a1[] = { "pgdeck", "-r", "0.25" };
	char		*a2[] = { "pgdeck", "-r60" };
	char		*a3[] = { "pgdeck", "--refresh=1.5" };
	char		*a4[] = { "pgdeck", "--refresh", "500ms" };
	char		*a5[] = { "pgdeck", "-r", "1m" };
	struct options	 o;
	char		*cause;

	(void)state;
	assert_int_equal(options_parse(&o, ARGC(a1), a1, &cause), 0);
	assert_true(o.refresh == 0.25);
	assert_int_equal(options_parse(&o, ARGC(a2), a2, &cause), 0);
	assert_true(o.refresh == 60);
	assert_int_equal(options_parse(&o, ARGC(a3), a3, &cause), 0);
	assert_true(o.refresh == 1.5);
	assert_int_equal(options_parse(&o, ARGC(a4), a4, &cause), 0);
	assert_true(o.refresh == 0.5);
	assert_int_equal(options_parse(&o, ARGC(a5), a5, &cause), 0);
	assert_true(o.refresh == 60);
}

static void
expect_option_error(char **argv, int argc, const char *what)
{
	struct options	 o;
	char		*cause = NULL;

	assert_int_equal(options_parse(&o, argc, argv, &cause), -1);
	assert_non_null(cause);
	assert_contains(cause, what);
	assert_null(strchr(cause, '\n'));
	free(cause);
}

static void
test_options_refresh_bad(void **state)
{
	char	*a1[] = { "pgdeck", "-r", "0.1" };
	char	*a2[] = { "pgdeck", "-r", "61" };
	char	*a3[] = { "pgdeck", "-r", "abc" };
	char	*a4[] = { "pgdeck", "-r0" };
	char	*a5[] = { "pgdeck", "--refresh=-1" };
	char	*a6[] = { "pgdeck", "--refresh", "2h" };

	(void)state;
	expect_option_error(a1, ARGC(a1), "'0.1'");
	expect_option_error(a2, ARGC(a2), "'61'");
	expect_option_error(a3, ARGC(a3), "'abc'");
	expect_option_error(a4, ARGC(a4), "'0'");
	expect_option_error(a5, ARGC(a5), "'-1'");
	expect_option_error(a6, ARGC(a6), "'2h'");
	expect_option_error(a1, ARGC(a1), "refresh");
}

static void
test_options_positional(void **state)
{
	char		*a1[] = { "pgdeck", "host=x dbname=y" };
	char		*a2[] = { "pgdeck", "-U", "u", "postgresql://h:5/db",
	    "--read-only" };
	struct options	 o;
	char		*cause;

	(void)state;
	assert_int_equal(options_parse(&o, ARGC(a1), a1, &cause), 0);
	assert_int_equal(o.command, CMD_LIVE);
	assert_string_equal(o.conninfo, "host=x dbname=y");
	assert_int_equal(options_parse(&o, ARGC(a2), a2, &cause), 0);
	assert_string_equal(o.conninfo, "postgresql://h:5/db");
	assert_string_equal(o.user, "u");
	assert_int_equal(o.read_only, 1);
}

static void
test_options_demo(void **state)
{
	char		*a1[] = { "pgdeck", "demo" };
	char		*a2[] = { "pgdeck", "-r", "1", "demo",
	    "--theme=light" };
	char		*a3[] = { "pgdeck", "demo", "extra" };
	char		*a4[] = { "pgdeck", "mydb", "demo" };
	struct options	 o;
	char		*cause;

	(void)state;
	assert_int_equal(options_parse(&o, ARGC(a1), a1, &cause), 0);
	assert_int_equal(o.command, CMD_DEMO);
	assert_null(o.conninfo);
	assert_int_equal(options_parse(&o, ARGC(a2), a2, &cause), 0);
	assert_int_equal(o.command, CMD_DEMO);
	assert_true(o.refresh == 1);
	assert_string_equal(o.theme, "light");
	expect_option_error(a3, ARGC(a3), "'extra'");
	/* "demo" after a database name is a second positional. */
	expect_option_error(a4, ARGC(a4), "'demo'");
}

static void
test_options_too_many(void **state)
{
	char	*a1[] = { "pgdeck", "db1", "db2" };
	char	*a2[] = { "pgdeck", "db1", "-p", "1", "db2", "db3" };

	(void)state;
	expect_option_error(a1, ARGC(a1), "'db2'");
	expect_option_error(a1, ARGC(a1), "too many");
	expect_option_error(a2, ARGC(a2), "'db2'");
}

static void
test_options_unknown(void **state)
{
	char	*a1[] = { "pgdeck", "-x" };
	char	*a2[] = { "pgdeck", "--bogus" };
	char	*a3[] = { "pgdeck", "--hostname=x" };
	char	*a4[] = { "pgdeck", "--read-only=yes" };

	(void)state;
	expect_option_error(a1, ARGC(a1), "unknown option '-x'");
	expect_option_error(a2, ARGC(a2), "unknown option '--bogus'");
	expect_option_error(a3, ARGC(a3), "'--hostname=x'");
	expect_option_error(a4, ARGC(a4), "'--read-only=yes'");
}

static void
test_options_missing_value(void **state)
{
	char	*a1[] = { "pgdeck", "-h" };
	char	*a2[] = { "pgdeck", "--host" };
	char	*a3[] = { "pgdeck", "-r" };
	char	*a4[] = { "pgdeck", "--refresh" };
	char	*a5[] = { "pgdeck", "-d", "x", "-U" };
	char	*a6[] = { "pgdeck", "--theme" };

	(void)state;
	expect_option_error(a1, ARGC(a1), "'-h'");
	expect_option_error(a1, ARGC(a1), "needs a value");
	expect_option_error(a2, ARGC(a2), "'--host'");
	expect_option_error(a3, ARGC(a3), "'-r'");
	expect_option_error(a4, ARGC(a4), "'--refresh'");
	expect_option_error(a5, ARGC(a5), "'-U'");
	expect_option_error(a6, ARGC(a6), "'--theme'");
}

static void
test_options_help_version(void **state)
{
	char		*a1[] = { "pgdeck", "--help" };
	char		*a2[] = { "pgdeck", "-h", "x", "--version" };
	char		*a3[] = { "pgdeck", "-?" };
	char		*a4[] = { "pgdeck", "-V" };
	char		*a5[] = { "pgdeck", "demo", "--help" };
	struct options	 o;
	char		*cause;

	(void)state;
	assert_int_equal(options_parse(&o, ARGC(a1), a1, &cause), 0);
	assert_int_equal(o.command, CMD_HELP);
	assert_int_equal(options_parse(&o, ARGC(a2), a2, &cause), 0);
	assert_int_equal(o.command, CMD_VERSION);
	assert_int_equal(options_parse(&o, ARGC(a3), a3, &cause), 0);
	assert_int_equal(o.command, CMD_HELP);
	assert_int_equal(options_parse(&o, ARGC(a4), a4, &cause), 0);
	assert_int_equal(o.command, CMD_VERSION);
	assert_int_equal(options_parse(&o, ARGC(a5), a5, &cause), 0);
	assert_int_equal(o.command, CMD_HELP);
	assert_contains(options_usage, "--read-only");
	assert_contains(options_usage, "demo");
}

/* ---- config_parse ----------------------------------------------------- */

struct cfgfix {
	struct config	 cfg;
	struct keymap	*km;
};

static int
cfg_setup(void **state)
{
	struct cfgfix	*f = calloc(1, sizeof *f);

	if (f == NULL)
		return -1;
	config_init(&f->cfg);
	f->km = keymap_new();
	*state = f;
	return 0;
}

static int
cfg_teardown(void **state)
{
	struct cfgfix	*f = *state;

	config_release(&f->cfg);
	keymap_free(f->km);
	free(f);
	return 0;
}

static int
parse(struct cfgfix *f, const char *text, char **cause)
{
	return config_parse(&f->cfg, f->km, text, "test.conf", cause);
}

static void
expect_config_error(struct cfgfix *f, const char *text, const char *where,
    const char *what)
{
	char	*cause = NULL;

	if (parse(f, text, &cause) != -1)
		fail_msg("accepted: %s", text);
	assert_non_null(cause);
	if (strncmp(cause, where, strlen(where)) != 0)
		fail_msg("\"%s\" does not start with \"%s\"", cause, where);
	assert_contains(cause, what);
	free(cause);
}

static void
test_config_defaults(void **state)
{
	struct cfgfix	*f = *state;

	assert_true(f->cfg.refresh == 2);
	assert_string_equal(f->cfg.theme, "dark");
	assert_int_equal(f->cfg.read_only, 0);
	assert_int_equal(f->cfg.colors.len, 0);
}

static void
test_config_set(void **state)
{
	struct cfgfix	*f = *state;
	char		*cause = (char *)"unset";

	assert_int_equal(parse(f, "set refresh 0.5\nset theme light\n"
	    "set read-only on\n", &cause), 0);
	assert_null(cause);
	assert_true(f->cfg.refresh == 0.5);
	assert_string_equal(f->cfg.theme, "light");
	assert_int_equal(f->cfg.read_only, 1);

	assert_int_equal(parse(f, "set read-only off\nset refresh 1m\n"
	    "set theme /x/y.theme", &cause), 0);
	assert_int_equal(f->cfg.read_only, 0);
	assert_true(f->cfg.refresh == 60);
	assert_string_equal(f->cfg.theme, "/x/y.theme");

	assert_int_equal(parse(f, "set read-only yes", &cause), 0);
	assert_int_equal(f->cfg.read_only, 1);
	assert_int_equal(parse(f, "set read-only FALSE", &cause), 0);
	assert_int_equal(f->cfg.read_only, 0);
	assert_int_equal(parse(f, "set read-only 1\r\n", &cause), 0);
	assert_int_equal(f->cfg.read_only, 1);
	assert_int_equal(parse(f, "set refresh 250ms", &cause), 0);
	assert_true(f->cfg.refresh == 0.25);
	assert_int_equal(parse(f, "", &cause), 0);
}

static void
test_config_comments_blank(void **state)
{
	struct cfgfix	*f = *state;
	char		*cause;

	assert_int_equal(parse(f, "# a comment\n\n   \n\t\n"
	    "   # indented comment\n"
	    "set refresh 3 # trailing comment\n"
	    "bind global x quit # another\n"
	    "#set refresh 9\n", &cause), 0);
	assert_true(f->cfg.refresh == 3);
	assert_int_equal(keymap_lookup(f->km, "global", 'x'), ACT_QUIT);
}

static void
test_config_bind_key_forms(void **state)
{
	struct cfgfix	*f = *state;
	char		*cause;
	static const struct {
		const char	*name;
		int		 key;
	} forms[] = {
		{ "x", 'x' }, { "K", 'K' }, { "?", '?' }, { "/", '/' },
		{ "C-x", 24 }, { "C-a", 1 }, { "F5", KEYC_F1 + 4 },
		{ "F12", KEYC_F12 }, { "Enter", KEYC_ENTER },
		{ "PgDn", KEYC_NPAGE }, { "PgUp", KEYC_PPAGE },
		{ "Esc", KEYC_ESC }, { "Space", ' ' }, { "Tab", '\t' },
		{ "BTab", KEYC_BTAB }, { "Up", KEYC_UP }, { "Home", KEYC_HOME },
		{ "Backspace", KEYC_BSPACE }, { "Delete", KEYC_DC },
	};
	char		 line[64];
	size_t		 i;

	for (i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		snprintf(line, sizeof line, "bind activity %s redraw\n",
		    forms[i].name);
		if (parse(f, line, &cause) != 0)
			fail_msg("'%s': %s", line, cause);
		if (keymap_lookup(f->km, "activity", forms[i].key) !=
		    ACT_REDRAW)
			fail_msg("key '%s' not bound", forms[i].name);
		/* Only in the activity section. */
		assert_int_equal(keymap_lookup(f->km, "global", forms[i].key),
		    ACT_NONE);
	}
}

static void
test_config_unbind(void **state)
{
	struct cfgfix	*f = *state;
	char		*cause;

	assert_int_equal(parse(f, "bind global q quit\nbind global F10 quit\n"
	    "unbind global q\n", &cause), 0);
	assert_int_equal(keymap_lookup(f->km, "global", 'q'), ACT_NONE);
	assert_int_equal(keymap_lookup(f->km, "activity", 'q'), ACT_NONE);
	assert_int_equal(keymap_lookup(f->km, "global", KEYC_F1 + 9),
	    ACT_QUIT);
	/* Unbinding in a pane hides the global binding there only. */
	assert_int_equal(parse(f, "unbind activity F10", &cause), 0);
	assert_int_equal(keymap_lookup(f->km, "activity", KEYC_F1 + 9),
	    ACT_NONE);
	assert_int_equal(keymap_lookup(f->km, "plan", KEYC_F1 + 9), ACT_QUIT);
}

static void
test_config_errors(void **state)
{
	struct cfgfix	*f = *state;

	expect_config_error(f, "bind global x frobnicate",
	    "test.conf:1: ", "unknown action 'frobnicate'");
	expect_config_error(f, "set refresh 1\nbind global Hyper-x quit",
	    "test.conf:2: ", "unknown key 'Hyper-x'");
	expect_config_error(f, "\n\nbind nowhere x quit\n",
	    "test.conf:3: ", "unknown section 'nowhere'");
	expect_config_error(f, "# c\nunbind nowhere x\n",
	    "test.conf:2: ", "unknown section 'nowhere'");
	expect_config_error(f, "unbind global NoKey\n",
	    "test.conf:1: ", "unknown key 'NoKey'");
	expect_config_error(f, "# one\n# two\n\nset refresh 0.1\n",
	    "test.conf:4: ", "'0.1'");
	expect_config_error(f, "set refresh 61", "test.conf:1: ", "'61'");
	expect_config_error(f, "set refresh soon", "test.conf:1: ", "'soon'");
	expect_config_error(f, "set speed 3", "test.conf:1: ",
	    "unknown setting 'speed'");
	expect_config_error(f, "set read-only maybe", "test.conf:1: ",
	    "'maybe'");
	expect_config_error(f, "frobnicate all", "test.conf:1: ",
	    "'frobnicate'");
	expect_config_error(f, "bind global x", "test.conf:1: ", "bind");
	expect_config_error(f, "set refresh", "test.conf:1: ", "set");
	/* Windows line endings do not shift the count. */
	expect_config_error(f, "set refresh 1\r\n\r\nbind global x nope\r\n",
	    "test.conf:3: ", "'nope'");
}

static void
test_config_stops_at_first_error(void **state)
{
	struct cfgfix	*f = *state;
	char		*cause = NULL;

	assert_int_equal(parse(f, "bind global x nope\nset refresh 7\n",
	    &cause), -1);
	free(cause);
	assert_true(f->cfg.refresh == 2);
}

static void
test_config_color(void **state)
{
	struct cfgfix	*f = *state;
	struct theme	 t;
	char		*cause;

	assert_int_equal(parse(f, "color selection = black,cyan,bold\n"
	    "colour title = 200, default\n", &cause), 0);
	assert_contains(f->cfg.colors.buf, "selection");
	assert_contains(f->cfg.colors.buf, "black,cyan,bold");
	/* The collected lines are theme syntax. */
	memset(&t, 0, sizeof t);
	assert_int_equal(theme_parse(&t, f->cfg.colors.buf, "colors", &cause),
	    0);
	assert_int_equal(t.roles[ROLE_SELECTION].fg, 0);
	assert_int_equal(t.roles[ROLE_SELECTION].bg, 6);
	assert_int_equal(t.roles[ROLE_SELECTION].attrs, ATTR_BOLD);
	assert_int_equal(t.roles[ROLE_TITLE].fg, 200);
	assert_int_equal(t.roles[ROLE_TITLE].bg, -1);

	expect_config_error(f, "color nosuch = red,blue", "test.conf:1: ",
	    "unknown role 'nosuch'");
	expect_config_error(f, "\ncolor selection = mauve,blue",
	    "test.conf:2: ", "unknown colour 'mauve'");
	expect_config_error(f, "color selection = red", "test.conf:1: ",
	    "fg,bg");
	expect_config_error(f, "color selection red,blue", "test.conf:1: ",
	    "color");
}

static void
test_config_keymap_defaults(void **state)
{
	struct cfgfix	*f = *state;
	char		*cause = (char *)"unset";

	assert_int_equal(parse(f, keymap_defaults, &cause), 0);
	assert_null(cause);
	assert_int_equal(keymap_lookup(f->km, "global", 'q'), ACT_QUIT);
	assert_int_equal(keymap_lookup(f->km, "activity", 'q'), ACT_QUIT);
	assert_int_equal(keymap_lookup(f->km, NULL, KEYC_UP), ACT_UP);
	assert_int_equal(keymap_lookup(f->km, "activity", 'K'), ACT_TERMINATE);
	assert_int_equal(keymap_lookup(f->km, "global", 'K'), ACT_NONE);
	assert_int_equal(keymap_lookup(f->km, "plan", 'K'), ACT_NONE);
	assert_int_equal(keymap_lookup(f->km, "global", '\t'), ACT_NEXT_PANE);
	assert_int_equal(keymap_lookup(f->km, "global", KEYC_BTAB),
	    ACT_PREV_PANE);
	assert_int_equal(keymap_lookup(f->km, "global", 12), ACT_REDRAW);
	assert_int_equal(keymap_lookup(f->km, "global", KEYC_F1 + 9),
	    ACT_QUIT);
}

/* ---- keymap ----------------------------------------------------------- */

static void
test_keymap_lookup_fallback(void **state)
{
	struct keymap	*km = keymap_new();

	(void)state;
	assert_int_equal(keymap_lookup(km, "global", 'x'), ACT_NONE);
	keymap_bind(km, "global", 'x', ACT_QUIT);
	assert_int_equal(keymap_lookup(km, "global", 'x'), ACT_QUIT);
	assert_int_equal(keymap_lookup(km, "activity", 'x'), ACT_QUIT);
	assert_int_equal(keymap_lookup(km, NULL, 'x'), ACT_QUIT);
	/* A pane section overrides global for that pane only. */
	keymap_bind(km, "activity", 'x', ACT_REFRESH);
	assert_int_equal(keymap_lookup(km, "activity", 'x'), ACT_REFRESH);
	assert_int_equal(keymap_lookup(km, "statements", 'x'), ACT_QUIT);
	assert_int_equal(keymap_lookup(km, "global", 'x'), ACT_QUIT);
	/* Later bindings replace earlier ones. */
	keymap_bind(km, "global", 'x', ACT_HELP);
	assert_int_equal(keymap_lookup(km, "global", 'x'), ACT_HELP);
	assert_int_equal(keymap_lookup(km, "activity", 'x'), ACT_REFRESH);
	assert_int_equal(keymap_lookup(km, "activity", 'y'), ACT_NONE);
	keymap_free(km);
	keymap_free(NULL);
}

static void
test_keymap_keys_for(void **state)
{
	struct cfgfix	*f = *state;
	char		*cause, buf[64], small[4];

	assert_int_equal(parse(f, keymap_defaults, &cause), 0);
	assert_int_equal(keymap_keys_for(f->km, "activity", ACT_UP, buf,
	    sizeof buf), 2);
	assert_string_equal(buf, "Up, k");
	assert_int_equal(keymap_keys_for(f->km, NULL, ACT_QUIT, buf,
	    sizeof buf), 2);
	assert_string_equal(buf, "q, F10");
	assert_int_equal(keymap_keys_for(f->km, "activity", ACT_BLOCKING_TREE,
	    buf, sizeof buf), 2);
	assert_string_equal(buf, "t, b");
	assert_int_equal(keymap_keys_for(f->km, "activity", ACT_PAGE_DOWN, buf,
	    sizeof buf), 3);
	assert_string_equal(buf, "PgDn, C-f, Space");
	/* Pane bindings are not listed for other sections. */
	assert_int_equal(keymap_keys_for(f->km, NULL, ACT_BLOCKING_TREE, buf,
	    sizeof buf), 0);
	assert_string_equal(buf, "");
	assert_int_equal(keymap_keys_for(f->km, "plan", ACT_TERMINATE, buf,
	    sizeof buf), 0);

	/* A global key the pane rebinds is not listed for that pane. */
	assert_int_equal(parse(f, "bind activity q refresh\n", &cause), 0);
	assert_int_equal(keymap_keys_for(f->km, "activity", ACT_QUIT, buf,
	    sizeof buf), 1);
	assert_string_equal(buf, "F10");
	assert_int_equal(keymap_keys_for(f->km, "activity", ACT_REFRESH, buf,
	    sizeof buf), 2);
	assert_string_equal(buf, "C-r, q");
	assert_int_equal(keymap_keys_for(f->km, "global", ACT_QUIT, buf,
	    sizeof buf), 2);
	assert_string_equal(buf, "q, F10");

	/* Unbound keys disappear. */
	assert_int_equal(parse(f, "unbind global F10\n", &cause), 0);
	assert_int_equal(keymap_keys_for(f->km, NULL, ACT_QUIT, buf,
	    sizeof buf), 1);
	assert_string_equal(buf, "q");

	/* A small buffer is truncated, still terminated. */
	assert_int_equal(keymap_keys_for(f->km, "activity", ACT_PAGE_DOWN,
	    small, sizeof small), 3);
	assert_true(strlen(small) < sizeof small);
	assert_int_equal(strncmp(small, "PgD", 3), 0);
}

/*
 * BUG (src/config/keymap.c keymap_keys_for): a key bound to the same
 * action in both "global" and the pane is listed twice ("q, F10, q").
 */
static void
test_keys_for_no_duplicates(void **state)
{
	struct cfgfix	*f = *state;
	char		*cause, buf[64];

	assert_int_equal(parse(f, "bind global q quit\nbind global F10 quit\n"
	    "bind activity q quit\n", &cause), 0);
	assert_int_equal(keymap_keys_for(f->km, "activity", ACT_QUIT, buf,
	    sizeof buf), 2);
	assert_string_equal(buf, "q, F10");
}

/*
 * BUG (src/config/keymap.c keymap_keys_for, the duplicate check added in
 * 08c41c4): it looks at earlier bindings of every section, so a key bound
 * in another pane hides the same global key: after "bind plan F2 quit"
 * and "bind global F2 quit", F2 is not listed for activity or global.
 */
static void
test_keys_for_other_pane_does_not_hide(void **state)
{
	struct cfgfix	*f = *state;
	char		*cause, buf[64];

	assert_int_equal(parse(f, "bind plan F2 quit\nbind global F2 quit\n",
	    &cause), 0);
	assert_int_equal(keymap_keys_for(f->km, "activity", ACT_QUIT, buf,
	    sizeof buf), 1);
	assert_string_equal(buf, "F2");
	assert_int_equal(keymap_keys_for(f->km, NULL, ACT_QUIT, buf,
	    sizeof buf), 1);
	assert_string_equal(buf, "F2");
	assert_int_equal(keymap_keys_for(f->km, "plan", ACT_QUIT, buf,
	    sizeof buf), 1);
	assert_string_equal(buf, "F2");
}

static void
test_key_names(void **state)
{
	char	buf[16];

	(void)state;
	assert_int_equal(key_from_name("q"), 'q');
	assert_int_equal(key_from_name("Q"), 'Q');
	assert_int_equal(key_from_name("~"), '~');
	assert_int_equal(key_from_name("C-l"), 12);
	assert_int_equal(key_from_name("C-L"), 12);
	assert_int_equal(key_from_name("c-z"), 26);
	assert_int_equal(key_from_name("F1"), KEYC_F1);
	assert_int_equal(key_from_name("f10"), KEYC_F1 + 9);
	assert_int_equal(key_from_name("F12"), KEYC_F12);
	assert_int_equal(key_from_name("pgdn"), KEYC_NPAGE);
	assert_int_equal(key_from_name("ENTER"), KEYC_ENTER);
	assert_int_equal(key_from_name("esc"), KEYC_ESC);
	assert_int_equal(key_from_name("space"), ' ');
	assert_int_equal(key_from_name("Insert"), KEYC_IC);

	assert_int_equal(key_from_name(""), -1);
	assert_int_equal(key_from_name("F0"), -1);
	assert_int_equal(key_from_name("F13"), -1);
	assert_int_equal(key_from_name("F99"), -1);
	assert_int_equal(key_from_name("C-1"), -1);
	assert_int_equal(key_from_name("C-"), -1);
	assert_int_equal(key_from_name("M-x"), -1);
	assert_int_equal(key_from_name("ab"), -1);
	assert_int_equal(key_from_name("PageDown"), -1);
	assert_int_equal(key_from_name(" "), -1);
	assert_int_equal(key_from_name("\xC3\xA9"), -1);

	assert_string_equal(key_to_name('q', buf, sizeof buf), "q");
	assert_string_equal(key_to_name(12, buf, sizeof buf), "C-l");
	assert_string_equal(key_to_name(KEYC_UP, buf, sizeof buf), "Up");
	assert_string_equal(key_to_name(KEYC_F1 + 4, buf, sizeof buf), "F5");
	assert_string_equal(key_to_name(' ', buf, sizeof buf), "Space");
	assert_string_equal(key_to_name('\t', buf, sizeof buf), "Tab");
	assert_string_equal(key_to_name(KEYC_ESC, buf, sizeof buf), "Esc");
	assert_string_equal(key_to_name(KEYC_NPAGE, buf, sizeof buf), "PgDn");
	assert_string_equal(key_to_name(KEYC_BTAB, buf, sizeof buf), "BTab");
	/* Something with no name still prints. */
	assert_string_equal(key_to_name(127, buf, sizeof buf), "<127>");
}

/*
 * BUG (src/config/keymap.c key_from_name): "F" + a digit + anything is
 * read with atoi, so "F1x" (and "F2?") are taken as F1/F2 instead of
 * being rejected as "not a key name".
 */
static void
test_key_from_name_function_key_junk(void **state)
{
	(void)state;
	assert_int_equal(key_from_name("F1x"), -1);
	assert_int_equal(key_from_name("F2?"), -1);
}

static void
test_key_round_trip(void **state)
{
	static const char *const named[] = { "Up", "Down", "Left", "Right",
	    "Home", "End", "PgUp", "PgDn", "BTab", "Enter", "Backspace",
	    "Delete", "Insert", "Esc", "Tab", "Space" };
	char	buf[16], name[8];
	size_t	i;
	int	k, key;

	(void)state;
	for (i = 0; i < sizeof named / sizeof named[0]; i++) {
		key = key_from_name(named[i]);
		assert_true(key >= 0);
		assert_string_equal(key_to_name(key, buf, sizeof buf),
		    named[i]);
	}
	for (k = 1; k <= 12; k++) {
		snprintf(name, sizeof name, "F%d", k);
		key = key_from_name(name);
		assert_int_equal(key, KEYC_F1 + k - 1);
		assert_string_equal(key_to_name(key, buf, sizeof buf), name);
	}
	for (k = 'a'; k <= 'z'; k++) {
		snprintf(name, sizeof name, "C-%c", k);
		key = key_from_name(name);
		assert_int_equal(key, k - 'a' + 1);
		/* C-i is the Tab key and is named so. */
		assert_int_equal(key_from_name(key_to_name(key, buf,
		    sizeof buf)), key);
		if (k != 'i')
			assert_string_equal(buf, name);
	}
	for (k = 33; k < 127; k++) {
		name[0] = (char)k;
		name[1] = '\0';
		key = key_from_name(name);
		assert_int_equal(key, k);
		assert_string_equal(key_to_name(key, buf, sizeof buf), name);
	}
}

static void
test_action_names(void **state)
{
	static const struct {
		int		 id;
		const char	*name;
	} all[] = {
#define ACTION(id, name, help) { ACT_##id, name },
		ACTIONS
#undef ACTION
	};
	size_t	i;

	(void)state;
	assert_int_equal(sizeof all / sizeof all[0], ACT__COUNT);
	for (i = 0; i < sizeof all / sizeof all[0]; i++) {
		if (action_from_name(all[i].name) != all[i].id)
			fail_msg("action '%s'", all[i].name);
		assert_string_equal(action_name((enum action)all[i].id),
		    all[i].name);
		assert_true(strlen(action_help((enum action)all[i].id)) > 0);
	}
	assert_int_equal(action_from_name("quit"), ACT_QUIT);
	assert_int_equal(action_from_name("terminate-backend"), ACT_TERMINATE);
	assert_int_equal(action_from_name("group-cycle"), ACT_GROUP);
	assert_int_equal(action_from_name("Quit"), -1);
	assert_int_equal(action_from_name(""), -1);
	assert_int_equal(action_from_name("quit "), -1);
	assert_int_equal(action_from_name("bogus"), -1);
	assert_string_equal(action_name(ACT__COUNT), "?");
}

/* ---- styles and themes ------------------------------------------------ */

static void
expect_style(const char *text, int fg, int bg, int attrs)
{
	struct style	 st = { 99, 99, 99 };
	char		*cause = (char *)"unset";

	if (style_parse(text, &st, &cause) != 0)
		fail_msg("'%s': %s", text, cause);
	assert_null(cause);
	if (st.fg != fg || st.bg != bg || st.attrs != attrs)
		fail_msg("'%s' gave %d,%d,%#x, expected %d,%d,%#x", text,
		    st.fg, st.bg, st.attrs, fg, bg, attrs);
}

static void
expect_style_error(const char *text, const char *what)
{
	struct style	 st = { 99, 98, 97 };
	char		*cause = NULL;

	if (style_parse(text, &st, &cause) != -1)
		fail_msg("accepted: '%s'", text);
	assert_contains(cause, what);
	free(cause);
	/* The output is untouched. */
	assert_int_equal(st.fg, 99);
	assert_int_equal(st.bg, 98);
	assert_int_equal(st.attrs, 97);
}

static void
test_style_parse(void **state)
{
	(void)state;
	expect_style("red,blue", 1, 4, 0);
	expect_style("black,white", 0, 7, 0);
	expect_style("green,yellow", 2, 3, 0);
	expect_style("magenta,cyan", 5, 6, 0);
	expect_style("default,default", -1, -1, 0);
	expect_style("brightred,brightwhite", 9, 15, 0);
	expect_style("brightblack,BrightCyan", 8, 14, 0);
	expect_style("grey,gray", 8, 8, 0);
	expect_style("0,255", 0, 255, 0);
	expect_style("17,default", 17, -1, 0);
	expect_style(" Red , BLUE , Bold ", 1, 4, ATTR_BOLD);
	expect_style("red,blue,bold,reverse,underline,dim,italic,blink", 1, 4,
	    ATTR_BOLD | ATTR_REVERSE | ATTR_UNDERLINE | ATTR_DIM |
	    ATTR_ITALIC | ATTR_BLINK);
	expect_style("red,blue,none", 1, 4, 0);
	expect_style("red,blue,", 1, 4, 0);
	expect_style("default,default,underline,underline", -1, -1,
	    ATTR_UNDERLINE);
}

static void
test_style_parse_errors(void **state)
{
	(void)state;
	expect_style_error("256,0", "'256'");
	expect_style_error("0,256", "'256'");
	expect_style_error("-1,red", "'-1'");
	expect_style_error("mauve,red", "unknown colour 'mauve'");
	expect_style_error("red,mauve", "unknown colour 'mauve'");
	expect_style_error("bright,red", "'bright'");
	expect_style_error("brightgrey,red", "'brightgrey'");
	expect_style_error("bright9,red", "'bright9'");
	expect_style_error("12abc,red", "'12abc'");
	expect_style_error(",red", "colour");
	expect_style_error("red,blue,sparkle", "unknown attribute 'sparkle'");
	expect_style_error("red", "fg,bg");
	expect_style_error("", "colour");
}

static void
theme_defaults(struct theme *t)
{
	size_t	i;

	memset(t, 0, sizeof *t);
	for (i = 0; i < ROLE__COUNT; i++) {
		t->roles[i].fg = -1;
		t->roles[i].bg = -1;
	}
}

static void
expect_theme_error(const char *text, const char *where, const char *what)
{
	struct theme	 t;
	char		*cause = NULL;

	theme_defaults(&t);
	if (theme_parse(&t, text, "x.theme", &cause) != -1)
		fail_msg("accepted: %s", text);
	assert_non_null(cause);
	if (strncmp(cause, where, strlen(where)) != 0)
		fail_msg("\"%s\" does not start with \"%s\"", cause, where);
	assert_contains(cause, what);
	free(cause);
}

static void
test_theme_parse(void **state)
{
	struct theme	 t;
	char		*cause = (char *)"unset";

	(void)state;
	theme_defaults(&t);
	t.roles[ROLE_TITLE].fg = 3;
	assert_int_equal(theme_parse(&t, "# comment\n\n"
	    "selection = black,brightcyan,bold\n"
	    "   warn=130 , default , underline   \n"
	    "\t# another\n"
	    "dialog-border = 1,2\n", "x.theme", &cause), 0);
	assert_null(cause);
	assert_int_equal(t.roles[ROLE_SELECTION].fg, 0);
	assert_int_equal(t.roles[ROLE_SELECTION].bg, 14);
	assert_int_equal(t.roles[ROLE_SELECTION].attrs, ATTR_BOLD);
	assert_int_equal(t.roles[ROLE_WARN].fg, 130);
	assert_int_equal(t.roles[ROLE_WARN].bg, -1);
	assert_int_equal(t.roles[ROLE_WARN].attrs, ATTR_UNDERLINE);
	assert_int_equal(t.roles[ROLE_DIALOG_BORDER].fg, 1);
	assert_int_equal(t.roles[ROLE_DIALOG_BORDER].bg, 2);
	/* Roles the text does not mention keep their values. */
	assert_int_equal(t.roles[ROLE_TITLE].fg, 3);
	assert_int_equal(t.roles[ROLE_BAD].fg, -1);
	assert_int_equal(theme_parse(&t, "", "x.theme", &cause), 0);
}

static void
test_theme_parse_errors(void **state)
{
	(void)state;
	expect_theme_error("# c\n\nnope = red,blue\n", "x.theme:3: ",
	    "unknown role 'nope'");
	expect_theme_error("selection = red,blue\ntitle = mauve,red\n",
	    "x.theme:2: ", "unknown colour 'mauve'");
	expect_theme_error("selection = red,256\n", "x.theme:1: ", "'256'");
	expect_theme_error("\n\n\ntitle = red,blue,sparkle\n", "x.theme:4: ",
	    "unknown attribute 'sparkle'");
	expect_theme_error("title red,blue\n", "x.theme:1: ", "role = ");
	expect_theme_error("title = red\n", "x.theme:1: ", "fg,bg");
}

static void
test_role_names(void **state)
{
	int	r;

	(void)state;
	for (r = 0; r < ROLE__COUNT; r++)
		assert_int_equal(role_from_name(role_name((enum role)r)), r);
	assert_int_equal(role_from_name("selection"), ROLE_SELECTION);
	assert_int_equal(role_from_name("Selection"), -1);
	assert_int_equal(role_from_name(""), -1);
	assert_string_equal(role_name(ROLE__COUNT), "?");
}

static void
expect_role(const struct theme *t, enum role r, int fg, int bg, int attrs)
{
	const struct style	*st = &t->roles[r];

	if (st->fg != fg || st->bg != bg || st->attrs != attrs)
		fail_msg("theme %s role %s: %d,%d,%#x, expected %d,%d,%#x",
		    t->name, role_name(r), st->fg, st->bg, st->attrs, fg, bg,
		    attrs);
}

static void
test_theme_builtins(void **state)
{
	struct theme	 t;
	char		*cause = (char *)"unset";
	size_t		 i;

	(void)state;
	assert_int_equal(nbuiltin_themes, 4);
	assert_string_equal(builtin_themes[0].name, "dark");
	for (i = 0; i < nbuiltin_themes; i++) {
		if (theme_load(&t, builtin_themes[i].name, &cause) != 0)
			fail_msg("%s: %s", builtin_themes[i].name, cause);
		assert_null(cause);
		assert_string_equal(t.name, builtin_themes[i].name);
	}

	assert_int_equal(theme_load(&t, "dark", &cause), 0);
	expect_role(&t, ROLE_SELECTION, 0, 14, 0);
	expect_role(&t, ROLE_BLOCKER, 9, -1, ATTR_BOLD);
	expect_role(&t, ROLE_COLUMN_SORTED, 0, 10, ATTR_BOLD | ATTR_UNDERLINE);

	assert_int_equal(theme_load(&t, "light", &cause), 0);
	expect_role(&t, ROLE_SELECTION, 0, 229, 0);
	expect_role(&t, ROLE_WARN, 130, -1, ATTR_BOLD);

	assert_int_equal(theme_load(&t, "monochrome", &cause), 0);
	expect_role(&t, ROLE_SELECTION, -1, -1, ATTR_REVERSE);
	expect_role(&t, ROLE_STATE_WAITING, -1, -1, ATTR_BOLD | ATTR_REVERSE);
	/* Usable without colour: selection and title stand out. */
	for (i = 0; i < ROLE__COUNT; i++) {
		assert_int_equal(t.roles[i].fg, -1);
		assert_int_equal(t.roles[i].bg, -1);
	}
	assert_true(t.roles[ROLE_TITLE].attrs != 0);

	assert_int_equal(theme_load(&t, "high-contrast", &cause), 0);
	expect_role(&t, ROLE_DEFAULT, 15, 0, 0);
	expect_role(&t, ROLE_BLOCKER, 9, 0, ATTR_BOLD | ATTR_UNDERLINE);
}

static void
test_theme_unknown(void **state)
{
	struct theme	 t;
	char		*cause = NULL;

	(void)state;
	assert_int_equal(theme_load(&t, "solarized-ultra", &cause), -1);
	assert_contains(cause, "'solarized-ultra'");
	free(cause);
	cause = NULL;
	assert_int_equal(theme_load(&t, "/nonexistent/dir/x.theme", &cause),
	    -1);
	assert_contains(cause, "/nonexistent/dir/x.theme");
	free(cause);
}

static void
test_theme_from_path(void **state)
{
	struct theme	 t;
	char		 path[128], *cause = (char *)"unset";

	(void)state;
	snprintf(path, sizeof path, "%s/file.theme", xdg);
	write_file(path, "# mine\nselection = red,green,bold\n"
	    "title = 100,101\n");
	assert_int_equal(theme_load(&t, path, &cause), 0);
	assert_null(cause);
	expect_role(&t, ROLE_SELECTION, 1, 2, ATTR_BOLD);
	expect_role(&t, ROLE_TITLE, 100, 101, 0);

	write_file(path, "selection = red,green\n\nbogus = red,green\n");
	assert_int_equal(theme_load(&t, path, &cause), -1);
	assert_contains(cause, path);
	assert_contains(cause, ":3: ");
	assert_contains(cause, "'bogus'");
	free(cause);
	remove(path);
}

/*
 * BUG (src/config/theme.c theme_load): a theme named by path skips the
 * built-in "dark" base ("The built-in default underlies every theme"),
 * so roles the file does not set fall to the terminal's colours, while
 * the same file loaded by name from the user's themes dir keeps dark's.
 */
static void
test_theme_path_keeps_dark_base(void **state)
{
	struct theme	 t;
	char		 path[128], *cause = NULL;

	(void)state;
	snprintf(path, sizeof path, "%s/partial.theme", xdg);
	write_file(path, "selection = red,green\n");
	assert_int_equal(theme_load(&t, path, &cause), 0);
	expect_role(&t, ROLE_SELECTION, 1, 2, 0);
	expect_role(&t, ROLE_BLOCKER, 9, -1, ATTR_BOLD);
	remove(path);
}

static void
test_theme_user_dir(void **state)
{
	struct theme	 t;
	char		 dir[128], path[160], *cause = (char *)"unset";

	(void)state;
	snprintf(dir, sizeof dir, "%s/pgdeck", xdg);
	assert_true(mkdir(dir, 0700) == 0 || errno == EEXIST);
	snprintf(dir, sizeof dir, "%s/pgdeck/themes", xdg);
	assert_true(mkdir(dir, 0700) == 0 || errno == EEXIST);
	snprintf(path, sizeof path, "%s/mine.theme", dir);
	write_file(path, "selection = 1,2,bold\n");

	assert_int_equal(theme_load(&t, "mine", &cause), 0);
	assert_null(cause);
	assert_string_equal(t.name, "mine");
	expect_role(&t, ROLE_SELECTION, 1, 2, ATTR_BOLD);
	/* The rest comes from the built-in default. */
	expect_role(&t, ROLE_BLOCKER, 9, -1, ATTR_BOLD);

	/* A broken user theme is an error naming the file and line. */
	write_file(path, "\nselection = 1,2,glitter\n");
	assert_int_equal(theme_load(&t, "mine", &cause), -1);
	assert_contains(cause, path);
	assert_contains(cause, ":2: ");
	assert_contains(cause, "'glitter'");
	free(cause);
	remove(path);

	/* Gone again: no longer found. */
	cause = NULL;
	assert_int_equal(theme_load(&t, "mine", &cause), -1);
	assert_contains(cause, "'mine'");
	free(cause);
}

static void
test_config_dir_and_user_file(void **state)
{
	struct cfgfix	*f = *state;
	char		*dir, path[160], *cause = (char *)"unset";

	dir = config_dir();
	assert_non_null(dir);
	snprintf(path, sizeof path, "%s/pgdeck", xdg);
	assert_string_equal(dir, path);
	free(dir);
	assert_true(mkdir(path, 0700) == 0 || errno == EEXIST);

	/* No config file is fine. */
	assert_int_equal(config_load_user(&f->cfg, f->km, &cause), 0);
	assert_null(cause);
	assert_true(f->cfg.refresh == 2);

	snprintf(path, sizeof path, "%s/pgdeck/config", xdg);
	write_file(path, "set refresh 5\nbind global Z quit\n");
	assert_int_equal(config_load_user(&f->cfg, f->km, &cause), 0);
	assert_true(f->cfg.refresh == 5);
	assert_int_equal(keymap_lookup(f->km, "global", 'Z'), ACT_QUIT);

	write_file(path, "set refresh 5\nset refresh 0\n");
	assert_int_equal(config_load_user(&f->cfg, f->km, &cause), -1);
	assert_contains(cause, path);
	assert_contains(cause, ":2: ");
	free(cause);
	remove(path);
}

static void
test_config_read_file(void **state)
{
	char	path[128], *text, *cause = NULL;
	FILE	*fp;

	(void)state;
	snprintf(path, sizeof path, "%s/read.txt", xdg);
	write_file(path, "hello\nworld\n");
	text = config_read_file(path, &cause);
	assert_non_null(text);
	assert_null(cause);
	assert_string_equal(text, "hello\nworld\n");
	free(text);

	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(fwrite("a\0b", 1, 3, fp), 3);
	assert_int_equal(fclose(fp), 0);
	assert_null(config_read_file(path, &cause));
	assert_contains(cause, "NUL");
	free(cause);
	remove(path);

	assert_null(config_read_file(path, &cause));
	assert_int_equal(errno, ENOENT);
	assert_contains(cause, path);
	free(cause);

	assert_null(config_read_file(xdg, &cause));
	assert_contains(cause, xdg);
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options_none),
		cmocka_unit_test(test_options_psql_separate),
		cmocka_unit_test(test_options_psql_attached),
		cmocka_unit_test(test_options_long),
		cmocka_unit_test(test_options_refresh_ok),
		cmocka_unit_test(test_options_refresh_bad),
		cmocka_unit_test(test_options_positional),
		cmocka_unit_test(test_options_demo),
		cmocka_unit_test(test_options_too_many),
		cmocka_unit_test(test_options_unknown),
		cmocka_unit_test(test_options_missing_value),
		cmocka_unit_test(test_options_help_version),
		cmocka_unit_test_setup_teardown(test_config_defaults,
		    cfg_setup, cfg_teardown),
		cmocka_unit_test_setup_teardown(test_config_set,
		    cfg_setup, cfg_teardown),
		cmocka_unit_test_setup_teardown(test_config_comments_blank,
		    cfg_setup, cfg_teardown),
		cmocka_unit_test_setup_teardown(test_config_bind_key_forms,
		    cfg_setup, cfg_teardown),
		cmocka_unit_test_setup_teardown(test_config_unbind,
		    cfg_setup, cfg_teardown),
		cmocka_unit_test_setup_teardown(test_config_errors,
		    cfg_setup, cfg_teardown),
		cmocka_unit_test_setup_teardown(
		    test_config_stops_at_first_error, cfg_setup, cfg_teardown),
		cmocka_unit_test_setup_teardown(test_config_color,
		    cfg_setup, cfg_teardown),
		cmocka_unit_test_setup_teardown(test_config_keymap_defaults,
		    cfg_setup, cfg_teardown),
		cmocka_unit_test(test_keymap_lookup_fallback),
		cmocka_unit_test_setup_teardown(test_keymap_keys_for,
		    cfg_setup, cfg_teardown),
		cmocka_unit_test_setup_teardown(test_keys_for_no_duplicates,
		    cfg_setup, cfg_teardown),
		cmocka_unit_test_setup_teardown(
		    test_keys_for_other_pane_does_not_hide, cfg_setup,
		    cfg_teardown),
		cmocka_unit_test(test_key_names),
		cmocka_unit_test(test_key_from_name_function_key_junk),
		cmocka_unit_test(test_key_round_trip),
		cmocka_unit_test(test_action_names),
		cmocka_unit_test(test_style_parse),
		cmocka_unit_test(test_style_parse_errors),
		cmocka_unit_test(test_theme_parse),
		cmocka_unit_test(test_theme_parse_errors),
		cmocka_unit_test(test_role_names),
		cmocka_unit_test(test_theme_builtins),
		cmocka_unit_test(test_theme_unknown),
		cmocka_unit_test(test_theme_from_path),
		cmocka_unit_test(test_theme_path_keeps_dark_base),
		cmocka_unit_test(test_theme_user_dir),
		cmocka_unit_test_setup_teardown(test_config_dir_and_user_file,
		    cfg_setup, cfg_teardown),
		cmocka_unit_test(test_config_read_file),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
