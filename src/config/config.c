/*
 * config.c - config file and command-line parsing.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keymap.h"
#include "theme.h"
#include "../core/util.h"
#include "../core/banned.h"

#define CONFIG_MAX_BYTES	(1024 * 1024)

const char options_usage[] =
"Usage: pgdeck [OPTION]... [DBNAME | CONNINFO | URI]\n"
"       pgdeck demo [OPTION]...\n"
"       pgdeck replay [--summary] [--at TIME] FILE\n"
"       pgdeck explain [--print] FILE|- [NEWFILE]\n"
"       pgdeck migrate [--check | --runbook FILE] [OPTION]... PATH...\n"
"\n"
"A full-screen terminal workbench for PostgreSQL.\n"
"\n"
"Connection options (libpq also reads PG* variables, .pgpass and\n"
"pg_service.conf):\n"
"  -h, --host=HOST          server host or socket directory\n"
"  -p, --port=PORT          server port\n"
"  -U, --username=USER      user name\n"
"  -d, --dbname=DBNAME      database name, conninfo string or URI\n"
"      --service=NAME       connection service from pg_service.conf\n"
"\n"
"Display options:\n"
"  -r, --refresh=SECONDS    sampling interval, 0.25 to 60 (default 2)\n"
"      --read-only          no cancel or terminate: safe for a shared screen\n"
"      --theme=NAME         dark, light, monochrome, high-contrast, or a file\n"
"      --config=FILE        read FILE instead of the user config file\n"
"      --no-config          do not read any config file\n"
"      --record=FILE        also write every sample to a capture FILE\n"
"      --redact             strip literals from stored session query texts\n"
"      --no-history         do not keep the history cache\n"
"      --history-days=N     keep N days of history (default 7)\n"
"      --save-snapshots=FILE  also append every sample to FILE (JSON Lines)\n"
"      --snapshot-file=FILE   show samples saved with --save-snapshots,\n"
"                           offline (no server, no actions)\n"
"      --help               show this help, then exit\n"
"      --version            show the version, then exit\n"
"\n"
"Commands:\n"
"  demo                     start a throwaway local PostgreSQL with a live\n"
"                           workload, open pgdeck on it, remove it on exit\n"
"  replay FILE              open a capture or history file offline, with a\n"
"                           time cursor; --at TIME starts at a time\n"
"                           (HH:MM:SS, 'YYYY-MM-DD HH:MM:SS' UTC, +5m from\n"
"                           the start, -5m from the end, or a label)\n"
"  replay --summary FILE    print the span, server, samples, top statements\n"
"                           and the worst blocking episode, then exit\n"
"  explain FILE             the Plan pane on an EXPLAIN plan (JSON or psql\n"
"                           text output; - reads standard input)\n"
"  explain OLD NEW          the Plan pane on the diff of two plans\n"
"  explain --print FILE [NEW]  print the analysed tree (or the diff) as\n"
"                           text, then exit: 0 done, 2 the input is not a plan\n"
"  migrate PATH...          the Migrations pane on SQL files or folders (plain,\n"
"                           Flyway, sqitch, up/down); with a connection (-h,\n"
"                           -d, PGHOST...) real sizes, rates and live locks\n"
"  migrate --check PATH...  print findings like a linter, then exit: 0 no\n"
"                           danger, 1 danger found, 2 unreadable or bad SQL\n"
"  migrate --runbook FILE PATH...  write a Markdown runbook (- for stdout)\n"
"      --schema=FILE        the database as a schema file (pg_dump -s)\n"
"      --dry-run=DBNAME     trace every step on that scratch database in a\n"
"                           transaction that is rolled back (never with\n"
"                           --read-only)\n"
"      --offline            do not connect, even with PG* variables set\n"
"      --recalibrate        measure this server's rates again instead of\n"
"                           using those kept in the history file (7 days)\n"
"  erd [DBNAME|CONNINFO]    print the diagram of the tables and FKs, exit\n"
"      --format=FMT         text (default), dot, mermaid or svg\n"
"      --focus=[SCHEMA.]TABLE, --hops=N  a table and its neighbours (2)\n"
"      --only=SCHEMA        one schema's tables (and what they reference)\n"
"      --all-columns        every column, not only the keys\n"
"      --output=FILE        write there, not to standard output\n"
"\n"
"Keys: ? in pgdeck lists them.  Exit status: 0 normal, 1 connection or\n"
"runtime failure, 2 bad usage or configuration.\n";

char *
config_dir(void)
{
	const char	*x = getenv("XDG_CONFIG_HOME"), *home;

	if (x != NULL && *x == '/')
		return xstrfmt("%s/pgdeck", x);
	if ((home = getenv("HOME")) != NULL && *home != '\0')
		return xstrfmt("%s/.config/pgdeck", home);
	return NULL;
}

char *
config_read_file(const char *path, char **cause)
{
	int		 fd, saved;
	struct stat	 st;
	char		*buf;
	ssize_t		 n;
	size_t		 len = 0;

	*cause = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		saved = errno;
		*cause = xstrfmt("cannot read '%s': %s", path, strerror(errno));
		errno = saved;
		return NULL;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > CONFIG_MAX_BYTES) {
		*cause = xstrfmt("cannot read '%s': not a regular file under "
		    "1 MiB", path);
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	while (len < (size_t)st.st_size &&
	    (n = read(fd, buf + len, (size_t)st.st_size - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	if (strlen(buf) != len) {
		*cause = xstrfmt("cannot read '%s': contains a NUL byte", path);
		free(buf);
		errno = EINVAL;
		return NULL;
	}
	return buf;
}

void
config_init(struct config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->refresh = 2;
	cfg->theme = xstrdup("dark");
	strbuf_init(&cfg->colors, 0);
	cfg->targets.rpo = 300;
	cfg->targets.full = 8 * 86400;
	cfg->targets.diff = 0;
	cfg->targets.incr = 0;
	cfg->targets.lag = 60;
	cfg->backup_interval = 300;
	cfg->backup_timeout = 30;
}

void
config_release(struct config *cfg)
{
	size_t	i;

	free(cfg->theme);
	strbuf_release(&cfg->colors);
	for (i = 0; i < cfg->nbackups; i++) {
		free(cfg->backups[i].server);
		free(cfg->backups[i].what);
		free(cfg->backups[i].command);
	}
	free(cfg->backups);
	cfg->backups = NULL;
	cfg->nbackups = 0;
}

static int	split_words(char *, char **, int);

/* The commands each tool answers, as bk_parse() knows them. */
static const struct {
	const char	*tool;
	int		 id;		/* enum bk_tool */
	const char	*what;
} backup_whats[] = {
	{ "pgbackrest", 0, "info" },
	{ "wal-g", 1, "backup-list" }, { "wal-g", 1, "wal-verify" },
	{ "barman", 2, "list-backups" }, { "barman", 2, "check" },
	{ "barman", 2, "status" },
};

/* 'backup [@SERVER] TOOL WHAT COMMAND...': 'orig' is the whole line. */
static char *
parse_backup(struct config *cfg, const char *orig)
{
	char			*w[4], *copy = xstrdup(orig), *rest;
	const char		*server = NULL, *p;
	struct config_backup	*b;
	size_t			 i;
	int			 n, at;

	n = split_words(copy, w, 4);
	at = n > 1 && w[1][0] == '@';
	if (at)
		server = w[1] + 1;
	if (n < 4 || (at && *server == '\0')) {
		free(copy);
		return xstrdup("expected 'backup [@SERVER] TOOL WHAT COMMAND...'"
		    " (e.g. backup pgbackrest info pgbackrest --stanza=main"
		    " info --output=json)");
	}
	for (i = 0; i < sizeof backup_whats / sizeof backup_whats[0]; i++) {
		if (strcmp(backup_whats[i].tool, w[1 + at]) == 0 &&
		    strcmp(backup_whats[i].what, w[2 + at]) == 0)
			break;
	}
	if (i == sizeof backup_whats / sizeof backup_whats[0]) {
		rest = xstrfmt("unknown backup tool and command '%s %s' (known:"
		    " pgbackrest info, wal-g backup-list, wal-g wal-verify,"
		    " barman list-backups, barman check, barman status)",
		    w[1 + at], n > 2 + at ? w[2 + at] : "");
		free(copy);
		return rest;
	}
	/* The command is the rest of the original line, spaces and all. */
	p = orig;
	for (n = 0; n < 3 + at; n++) {
		while (isspace((unsigned char)*p))
			p++;
		while (*p != '\0' && !isspace((unsigned char)*p))
			p++;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '\0') {
		free(copy);
		return xstrdup("backup: the command is missing");
	}
	cfg->backups = xrealloc(cfg->backups, (cfg->nbackups + 1) *
	    sizeof *cfg->backups);
	b = &cfg->backups[cfg->nbackups++];
	b->server = server != NULL ? xstrdup(server) : NULL;
	b->tool = backup_whats[i].id;
	b->what = xstrdup(backup_whats[i].what);
	b->command = xstrdup(p);
	free(copy);
	return NULL;
}

/* Durations of the Backups pane: "off" or 0 for none. */
static const struct {
	const char	*name;
	size_t		 off;
} duration_settings[] = {
	{ "rpo-target", offsetof(struct config, targets.rpo) },
	{ "full-backup-target", offsetof(struct config, targets.full) },
	{ "diff-backup-target", offsetof(struct config, targets.diff) },
	{ "incr-backup-target", offsetof(struct config, targets.incr) },
	{ "lag-target", offsetof(struct config, targets.lag) },
	{ "backup-interval", offsetof(struct config, backup_interval) },
	{ "backup-timeout", offsetof(struct config, backup_timeout) },
};

static char *
set_duration(struct config *cfg, const char *name, const char *val)
{
	double	v;
	size_t	i;

	for (i = 0; i < sizeof duration_settings /
	    sizeof duration_settings[0]; i++) {
		if (strcmp(duration_settings[i].name, name) != 0)
			continue;
		if (strcmp(val, "off") == 0)
			v = 0;
		else if (parse_duration(val, &v) == -1 || v < 0)
			return xstrfmt("%s takes a duration like 30s, 5m, 26h"
			    " or 8d (or off), not '%s'", name, val);
		if (v <= 0 && i >= 5)
			return xstrfmt("%s cannot be off", name);
		*(double *)(void *)((char *)cfg + duration_settings[i].off) = v;
		return NULL;
	}
	return xstrfmt("unknown setting '%s'", name);
}

/* Split 'line' into at most 'max' whitespace-separated words. */
static int
split_words(char *line, char **w, int max)
{
	int	n = 0;

	while (*line != '\0' && n < max) {
		while (isspace((unsigned char)*line))
			line++;
		if (*line == '\0' || *line == '#')
			break;
		w[n++] = line;
		while (*line != '\0' && !isspace((unsigned char)*line))
			line++;
		if (*line != '\0')
			*line++ = '\0';
	}
	return n;
}

static int
valid_section(const char *s)
{
	static const char *const sections[] = { "global", "activity",
	    "statements", "plan", "schema", "migrate", "backup", "history" };
	size_t	i;

	for (i = 0; i < sizeof sections / sizeof sections[0]; i++) {
		if (strcmp(sections[i], s) == 0)
			return 1;
	}
	return 0;
}

static int
parse_bool(const char *s, int *out)
{
	if (strcasecmp(s, "on") == 0 || strcasecmp(s, "true") == 0 ||
	    strcmp(s, "1") == 0 || strcasecmp(s, "yes") == 0)
		*out = 1;
	else if (strcasecmp(s, "off") == 0 || strcasecmp(s, "false") == 0 ||
	    strcmp(s, "0") == 0 || strcasecmp(s, "no") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

static int
parse_refresh(const char *s, double *out)
{
	double	v;

	if (parse_duration(s, &v) == -1 || v < 0.25 || v > 60)
		return -1;
	*out = v;
	return 0;
}

static char *
parse_line(struct config *cfg, struct keymap *km, char *line)
{
	char		*w[5], *orig = xstrdup(line), *eq, *err = NULL;
	int		 n, key, a, b;
	struct style	 st;

	n = split_words(line, w, 5);
	if (n == 0) {
		free(orig);
		return NULL;
	}
	if (strcmp(w[0], "set") == 0 && n == 3) {
		if (strcmp(w[1], "refresh") == 0) {
			if (parse_refresh(w[2], &cfg->refresh) == -1)
				err = xstrfmt("refresh must be 0.25 to 60 "
				    "seconds, not '%s'", w[2]);
		} else if (strcmp(w[1], "theme") == 0) {
			free(cfg->theme);
			cfg->theme = xstrdup(w[2]);
		} else if (strcmp(w[1], "read-only") == 0) {
			if (parse_bool(w[2], &b) == -1)
				err = xstrfmt("read-only takes on or off, not "
				    "'%s'", w[2]);
			else
				cfg->read_only = b;
		} else
			err = set_duration(cfg, w[1], w[2]);
	} else if (strcmp(w[0], "backup") == 0) {
		err = parse_backup(cfg, orig);
	} else if (strcmp(w[0], "bind") == 0 && n == 4) {
		if (!valid_section(w[1]))
			err = xstrfmt("unknown section '%s'", w[1]);
		else if ((key = key_from_name(w[2])) == -1)
			err = xstrfmt("unknown key '%s'", w[2]);
		else if ((a = action_from_name(w[3])) == -1)
			err = xstrfmt("unknown action '%s'", w[3]);
		else
			keymap_bind(km, w[1], key, (enum action)a);
	} else if (strcmp(w[0], "unbind") == 0 && n == 3) {
		if (!valid_section(w[1]))
			err = xstrfmt("unknown section '%s'", w[1]);
		else if ((key = key_from_name(w[2])) == -1)
			err = xstrfmt("unknown key '%s'", w[2]);
		else
			keymap_bind(km, w[1], key, ACT_NONE);
	} else if (strcmp(w[0], "color") == 0 || strcmp(w[0], "colour") == 0) {
		/* Re-parse the original line: the style may contain spaces. */
		eq = strchr(orig, '=');
		if (n < 2 || eq == NULL)
			err = xstrdup("expected 'color ROLE = fg,bg[,attrs]'");
		else if (role_from_name(w[1]) == -1)
			err = xstrfmt("unknown role '%s'", w[1]);
		else if (style_parse(eq + 1, &st, &err) == 0)
			strbuf_addf(&cfg->colors, "%s = %s\n", w[1], eq + 1);
	} else
		err = xstrfmt("cannot understand '%s'", w[0]);
	free(orig);
	return err;
}

int
config_parse(struct config *cfg, struct keymap *km, const char *text,
    const char *origin, char **cause)
{
	const char	*p = text, *nl;
	char		*line, *err;
	int		 lineno = 0;

	*cause = NULL;
	while (*p != '\0') {
		lineno++;
		nl = strchr(p, '\n');
		line = xstrndup(p, nl != NULL ? (size_t)(nl - p) : strlen(p));
		p = nl != NULL ? nl + 1 : p + strlen(p);
		err = parse_line(cfg, km, line);
		free(line);
		if (err != NULL) {
			*cause = xstrfmt("%s:%d: %s", origin, lineno, err);
			free(err);
			return -1;
		}
	}
	return 0;
}

int
config_load_user(struct config *cfg, struct keymap *km, char **cause)
{
	char	*dir, *path, *text;
	int	 rc;

	*cause = NULL;
	if ((dir = config_dir()) == NULL)
		return 0;
	path = xstrfmt("%s/config", dir);
	free(dir);
	if ((text = config_read_file(path, cause)) == NULL) {
		free(path);
		if (errno == ENOENT) {
			free(*cause);
			*cause = NULL;
			return 0;
		}
		return -1;
	}
	rc = config_parse(cfg, km, text, path, cause);
	free(text);
	free(path);
	return rc;
}

/* Match "--name=value" or "--name value"; advance *i. */
static int
long_opt(int argc, char **argv, int *i, const char *name, const char **val,
    char **cause)
{
	const char	*a = argv[*i];
	size_t		 n = strlen(name);

	if (strncmp(a + 2, name, n) != 0)
		return 0;
	if (a[2 + n] == '=') {
		*val = a + 3 + n;
		return 1;
	}
	if (a[2 + n] != '\0')
		return 0;
	if (*i + 1 >= argc) {
		*cause = xstrfmt("option '--%s' needs a value", name);
		return -1;
	}
	*val = argv[++*i];
	return 1;
}

int
options_parse(struct options *o, int argc, char **argv, char **cause)
{
	static const struct {
		char		 s;
		const char	*l;
		size_t		 off;
	} valued[] = {
		{ 'h', "host", offsetof(struct options, host) },
		{ 'p', "port", offsetof(struct options, port) },
		{ 'U', "username", offsetof(struct options, user) },
		{ 'd', "dbname", offsetof(struct options, dbname) },
		{ 0, "service", offsetof(struct options, service) },
		{ 0, "theme", offsetof(struct options, theme) },
		{ 0, "config", offsetof(struct options, config) },
		{ 0, "snapshot-file", offsetof(struct options, snapshot_file) },
		{ 0, "save-snapshots", offsetof(struct options, save_snapshots) },
		{ 0, "record", offsetof(struct options, record) },
		{ 0, "history-days", offsetof(struct options, history_days) },
		{ 0, "at", offsetof(struct options, at) },
		{ 0, "runbook", offsetof(struct options, runbook) },
		{ 0, "schema", offsetof(struct options, schema) },
		{ 0, "dry-run", offsetof(struct options, dry_run) },
		{ 0, "format", offsetof(struct options, format) },
		{ 0, "focus", offsetof(struct options, focus) },
		{ 0, "hops", offsetof(struct options, hops_arg) },
		{ 0, "only", offsetof(struct options, only) },
		{ 0, "output", offsetof(struct options, output) },
	};
	const char	*val, *a;
	int		 i, r, positional = 0, done;
	size_t		 k;

	memset(o, 0, sizeof *o);
	o->command = CMD_LIVE;
	*cause = NULL;
	for (i = 1; i < argc; i++) {
		a = argv[i];
		done = 0;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-?") == 0) {
			o->command = CMD_HELP;
			return 0;
		}
		if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
			o->command = CMD_VERSION;
			return 0;
		}
		if (strcmp(a, "--read-only") == 0) {
			o->read_only = 1;
			continue;
		}
		if (strcmp(a, "--no-config") == 0) {
			o->no_config = 1;
			continue;
		}
		if (strcmp(a, "--redact") == 0) {
			o->redact = 1;
			continue;
		}
		if (strcmp(a, "--no-history") == 0) {
			o->no_history = 1;
			continue;
		}
		if (strcmp(a, "--summary") == 0) {
			o->summary = 1;
			continue;
		}
		if (strcmp(a, "--print") == 0) {
			o->print = 1;
			continue;
		}
		if (strcmp(a, "--check") == 0) {
			o->check = 1;
			continue;
		}
		if (strcmp(a, "--offline") == 0) {
			o->offline = 1;
			continue;
		}
		if (strcmp(a, "--recalibrate") == 0) {
			o->recalibrate = 1;
			continue;
		}
		if (strcmp(a, "--all-columns") == 0) {
			o->all_columns = 1;
			continue;
		}
		if (strncmp(a, "--", 2) == 0 && a[2] != '\0') {
			for (k = 0; k < sizeof valued / sizeof valued[0]; k++) {
				r = long_opt(argc, argv, &i, valued[k].l, &val,
				    cause);
				if (r == -1)
					return -1;
				if (r == 1) {
					*(const char **)((char *)o +
					    valued[k].off) = val;
					done = 1;
					break;
				}
			}
			if (!done) {
				r = long_opt(argc, argv, &i, "refresh", &val,
				    cause);
				if (r == -1)
					return -1;
				if (r == 0) {
					*cause = xstrfmt("unknown option '%s'",
					    a);
					return -1;
				}
				goto refresh;
			}
			continue;
		}
		if (a[0] == '-' && a[1] != '\0') {
			if (a[1] == 'r') {
				val = a[2] != '\0' ? a + 2 : NULL;
				if (val == NULL && ++i < argc)
					val = argv[i];
				if (val == NULL) {
					*cause = xstrdup("option '-r' needs a value");
					return -1;
				}
				goto refresh;
			}
			for (k = 0; k < sizeof valued / sizeof valued[0]; k++) {
				if (valued[k].s != a[1] || valued[k].s == 0)
					continue;
				val = a[2] != '\0' ? a + 2 : NULL;
				if (val == NULL && ++i < argc)
					val = argv[i];
				if (val == NULL) {
					*cause = xstrfmt("option '-%c' needs a "
					    "value", a[1]);
					return -1;
				}
				*(const char **)((char *)o + valued[k].off) = val;
				done = 1;
				break;
			}
			if (!done) {
				*cause = xstrfmt("unknown option '%s'", a);
				return -1;
			}
			continue;
		}
		if (positional == 0 && strcmp(a, "demo") == 0 &&
		    o->command == CMD_LIVE && o->conninfo == NULL) {
			o->command = CMD_DEMO;
			positional++;
			continue;
		}
		if (positional == 0 && strcmp(a, "replay") == 0 &&
		    o->command == CMD_LIVE && o->conninfo == NULL) {
			o->command = CMD_REPLAY;
			positional++;
			continue;
		}
		if (o->command == CMD_REPLAY && o->replay_file == NULL) {
			o->replay_file = a;
			positional++;
			continue;
		}
		if (positional == 0 && strcmp(a, "explain") == 0 &&
		    o->command == CMD_LIVE && o->conninfo == NULL) {
			o->command = CMD_EXPLAIN;
			positional++;
			continue;
		}
		if (positional == 0 && strcmp(a, "erd") == 0 &&
		    o->command == CMD_LIVE && o->conninfo == NULL) {
			o->command = CMD_ERD;
			positional++;
			continue;
		}
		if (positional == 0 && strcmp(a, "migrate") == 0 &&
		    o->command == CMD_LIVE && o->conninfo == NULL) {
			o->command = CMD_MIGRATE;
			/* The paths are compacted in place into argv: each
			 * is written at or before where it was read. */
			o->migrate_paths = (const char **)(argv + i + 1);
			positional++;
			continue;
		}
		if (o->command == CMD_MIGRATE) {
			argv[o->migrate_paths - (const char **)argv +
			    o->nmigrate_paths++] = (char *)a;
			positional++;
			continue;
		}
		if (o->command == CMD_EXPLAIN && o->nplan_files < 2) {
			o->plan_files[o->nplan_files++] = a;
			positional++;
			continue;
		}
		if (o->conninfo != NULL || o->command == CMD_DEMO ||
		    o->command == CMD_REPLAY || o->command == CMD_EXPLAIN) {
			*cause = xstrfmt("too many arguments, starting with '%s'",
			    a);
			return -1;
		}
		o->conninfo = a;
		positional++;
		continue;
refresh:
		if (parse_refresh(val, &o->refresh) == -1) {
			*cause = xstrfmt("refresh must be 0.25 to 60 seconds, "
			    "not '%s'", val);
			return -1;
		}
	}
	if (o->history_days != NULL) {
		char	*end;

		o->retention = strtod(o->history_days, &end);
		if (end == o->history_days || *end != '\0' ||
		    !(o->retention > 0 && o->retention <= 3650)) {
			*cause = xstrfmt("--history-days must be a number of days"
			    " from 0.001 to 3650, not '%s'", o->history_days);
			return -1;
		}
	}
	if (o->command == CMD_REPLAY && o->replay_file == NULL) {
		*cause = xstrdup("replay needs a FILE");
		return -1;
	}
	if (o->command == CMD_EXPLAIN && o->nplan_files == 0) {
		*cause = xstrdup("explain needs a FILE (or - for standard input)");
		return -1;
	}
	if (o->command == CMD_EXPLAIN && o->nplan_files == 2 &&
	    strcmp(o->plan_files[0], "-") == 0 &&
	    strcmp(o->plan_files[1], "-") == 0) {
		*cause = xstrdup("explain: only one plan can come from standard "
		    "input");
		return -1;
	}
	if (o->command == CMD_MIGRATE && o->nmigrate_paths == 0) {
		*cause = xstrdup("migrate needs a file or folder");
		return -1;
	}
	if (o->command != CMD_MIGRATE && (o->check || o->runbook != NULL ||
	    o->schema != NULL || o->dry_run != NULL || o->offline ||
	    o->recalibrate)) {
		*cause = xstrdup("--check, --runbook, --schema, --dry-run, "
		    "--offline and --recalibrate only go with migrate");
		return -1;
	}
	if (o->command != CMD_ERD && (o->format != NULL || o->focus != NULL ||
	    o->hops_arg != NULL || o->only != NULL || o->output != NULL ||
	    o->all_columns)) {
		*cause = xstrdup("--format, --focus, --hops, --only, --output and "
		    "--all-columns only go with erd");
		return -1;
	}
	o->hops = 2;
	if (o->hops_arg != NULL) {
		char	*end;
		long	 h = strtol(o->hops_arg, &end, 10);

		if (end == o->hops_arg || *end != '\0' || h < 0 || h > 20) {
			*cause = xstrfmt("--hops must be 0 to 20, not '%s'",
			    o->hops_arg);
			return -1;
		}
		o->hops = (int)h;
	}
	if (o->format != NULL && strcmp(o->format, "text") != 0 &&
	    strcmp(o->format, "dot") != 0 && strcmp(o->format, "mermaid") != 0 &&
	    strcmp(o->format, "svg") != 0) {
		*cause = xstrfmt("--format must be text, dot, mermaid or svg, not "
		    "'%s'", o->format);
		return -1;
	}
	if (o->check && o->runbook != NULL) {
		*cause = xstrdup("migrate: --check and --runbook do not go "
		    "together");
		return -1;
	}
	if (o->dry_run != NULL && o->read_only) {
		*cause = xstrdup("migrate: --dry-run is refused with --read-only");
		return -1;
	}
	if (o->recalibrate && o->offline) {
		*cause = xstrdup("migrate: --recalibrate needs a server, not "
		    "--offline");
		return -1;
	}
	if (o->dry_run != NULL && o->offline) {
		*cause = xstrdup("migrate: --dry-run needs a server, not --offline");
		return -1;
	}
	if (o->command != CMD_EXPLAIN && o->print) {
		*cause = xstrdup("--print only goes with explain");
		return -1;
	}
	if (o->command != CMD_REPLAY && (o->summary || o->at != NULL)) {
		*cause = xstrfmt("%s only goes with replay", o->summary ?
		    "--summary" : "--at");
		return -1;
	}
	return 0;
}
