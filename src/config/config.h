/*
 * config.h - the user's config file and the command line.
 *
 * Config file ($XDG_CONFIG_HOME/pgdeck/config), one command a line:
 *   set refresh 1          set theme light        set read-only on
 *   bind activity K terminate-backend             unbind global q
 *   color selection = black,cyan,bold
 * Errors name the file and line and stop pgdeck before the screen is
 * taken.
 */
#ifndef PGDECK_CONFIG_H
#define PGDECK_CONFIG_H

#include "../core/strbuf.h"

struct keymap;

/* A backup tool command: 'backup [@SERVER] TOOL WHAT COMMAND...'. */
struct config_backup {
	char		*server;	/* "host:port", a system identifier, or
					   NULL for every server */
	int		 tool;		/* enum bk_tool */
	char		*what;		/* "info", "backup-list", ... */
	char		*command;	/* the rest of the line, for sh -c */
};

/* The Backups pane's targets, in seconds; <= 0: none set. */
struct config_targets {
	double		 rpo;		/* set rpo-target 5m */
	double		 full;		/* set full-backup-target 8d */
	double		 diff;		/* set diff-backup-target 2d */
	double		 incr;		/* set incr-backup-target 26h */
	double		 lag;		/* set lag-target 30s */
};

struct config {
	double		 refresh;	/* seconds, 0.25 .. 60 */
	char		*theme;		/* owned */
	int		 read_only;
	struct strbuf	 colors;	/* "role = style" lines, applied last */
	struct config_backup *backups;
	size_t		 nbackups;
	struct config_targets targets;
	double		 backup_interval;	/* s between tool runs, 300 */
	double		 backup_timeout;	/* s before one is killed, 30 */
};

/* $XDG_CONFIG_HOME/pgdeck (or ~/.config/pgdeck); NULL if no home. */
char	*config_dir(void);
/*
 * Read a whole file (at most 1 MiB).  Returns it, or NULL with
 * '*cause' set and errno preserved.
 */
char	*config_read_file(const char *path, char **cause);

void	 config_init(struct config *cfg);
void	 config_release(struct config *cfg);
/*
 * Apply config 'text' from 'origin' to 'cfg' and 'km'.  Returns 0, or -1
 * with '*cause' = "origin:line: message".
 */
int	 config_parse(struct config *cfg, struct keymap *km, const char *text,
	    const char *origin, char **cause);
/* Load the user's config file if it exists. */
int	 config_load_user(struct config *cfg, struct keymap *km, char **cause);

enum command {
	CMD_LIVE, CMD_DEMO, CMD_REPLAY, CMD_EXPLAIN, CMD_MIGRATE, CMD_ERD, CMD_HELP,
	CMD_VERSION
};

struct options {
	enum command	 command;
	const char	*host, *port, *user, *dbname, *service;
	const char	*conninfo;	/* positional DBNAME|CONNINFO|URI */
	double		 refresh;	/* 0: from config */
	int		 read_only;
	const char	*theme;
	const char	*config;	/* --config FILE, NULL: default */
	int		 no_config;
	const char	*snapshot_file;	/* --snapshot-file: offline */
	const char	*save_snapshots;	/* --save-snapshots: record */
	const char	*record;	/* --record FILE: capture */
	int		 redact;	/* --redact */
	int		 no_history;	/* --no-history */
	const char	*history_days;	/* --history-days N */
	double		 retention;	/* parsed; 0: default 7 */
	const char	*replay_file;	/* replay FILE */
	int		 summary;	/* replay --summary */
	const char	*at;		/* replay --at TIME */
	const char	*plan_files[2];	/* explain FILE [NEW]: "-" is stdin */
	int		 nplan_files;
	int		 print;		/* explain --print */
	const char	**migrate_paths;	/* migrate PATH...: into argv */
	int		 nmigrate_paths;
	int		 check;		/* migrate --check */
	const char	*runbook;	/* migrate --runbook FILE|- */
	const char	*schema;	/* migrate --schema FILE */
	const char	*dry_run;	/* migrate --dry-run DBNAME */
	int		 offline;	/* migrate --offline: no server */
	int		 recalibrate;	/* migrate --recalibrate */
	const char	*format;	/* erd --format text|dot|mermaid|svg */
	const char	*focus;		/* erd --focus [SCHEMA.]TABLE */
	const char	*hops_arg;	/* erd --hops N */
	int		 hops;		/* parsed; default 2 */
	const char	*only;		/* erd --only SCHEMA */
	const char	*output;	/* erd --output FILE */
	int		 all_columns;	/* erd --all-columns */
};

/*
 * Parse argv (psql's conventions).  Returns 0, or -1 with '*cause' set
 * (one line, caller frees).
 */
int	 options_parse(struct options *o, int argc, char **argv, char **cause);
extern const char options_usage[];

#endif
