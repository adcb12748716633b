/*
 * main.c - argv, config, wiring, exit codes.
 *
 * Exit status: 0 normal, 1 connection or runtime failure, 2 bad usage
 * or configuration.  Every failure before the screen is taken is one
 * line on stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "config/config.h"
#include "config/keymap.h"
#include "config/theme.h"
#include "core/clock.h"
#include "core/loop.h"
#include "core/pg_conn.h"
#include "core/util.h"
#include "demo/demo.h"
#include "live/collector.h"
#include "store/snapfile.h"
#include "../ui/panes.h"
#include "../ui/ui.h"
#include "core/banned.h"

struct app {
	struct loop		*loop;
	struct pg_conn		*pc;
	struct collector	*coll;
	struct ui		*ui;
	struct config		 cfg;
	int			 read_only;
	uint64_t		 ticker;
	const char		*file;		/* offline: snapshot file */
	int			 nfile;		/* snapshots in it */
	FILE			*save;		/* --save-snapshots */
};

static void
app_status(void *arg, struct ui_status *st)
{
	struct app		*app = arg;
	const char		*err = pg_conn_error(app->pc);
	const char		*perr = collector_probe_error(app->coll);
	const char		*source = collector_source(app->coll);
	char			 buf[200];

	st->refresh = collector_refresh(app->coll);
	st->read_only = app->read_only;
	if (source != NULL)
		snprintf(st->source, sizeof st->source, "%s", source);
	switch (pg_conn_state(app->pc)) {
	case PGC_READY:
		st->ok = perr == NULL;
		snprintf(st->state, sizeof st->state, "live every %.3gs",
		    st->refresh);
		if (perr != NULL)
			snprintf(st->detail, sizeof st->detail, "probe failed: %s",
			    perr);
		break;
	case PGC_CONNECTING:
		snprintf(st->state, sizeof st->state, "connecting");
		break;
	case PGC_RETRY_WAIT:
		snprintf(st->state, sizeof st->state, "reconnecting in %lld s",
		    (long long)((pg_conn_retry_in(app->pc) + 999) / 1000));
		snprintf(st->detail, sizeof st->detail,
		    "server connection lost: %s (showing the last sample)",
		    err != NULL ? pg_first_line(err, buf, sizeof buf) : "?");
		break;
	default:
		snprintf(st->state, sizeof st->state, "not connected");
		break;
	}
}

/* File mode: where the samples come from; no server to act on. */
static void
file_status(void *arg, struct ui_status *st)
{
	struct app	*app = arg;
	const char	*base = strrchr(app->file, '/');

	st->ok = 1;
	st->replay = 1;
	snprintf(st->source, sizeof st->source, "%s",
	    base != NULL ? base + 1 : app->file);
	snprintf(st->state, sizeof st->state, "file, %d sample%s",
	    app->nfile, app->nfile == 1 ? "" : "s");
}

static int
file_can_signal(void *arg, const struct session *x, char *why, size_t size)
{
	(void)arg;
	(void)x;
	snprintf(why, size, "the data comes from a file");
	return 0;
}

static int
app_can_signal(void *arg, const struct session *x, char *why, size_t size)
{
	struct app			*app = arg;
	const struct capabilities	*caps = collector_caps(app->coll);

	if (app->read_only) {
		snprintf(why, size, "read-only mode");
		return 0;
	}
	if (pg_conn_state(app->pc) != PGC_READY || caps->user == NULL) {
		snprintf(why, size, "not connected");
		return 0;
	}
	if (caps->superuser || caps->signal_backend)
		return 1;
	if (x != NULL && x->usename != NULL &&
	    strcmp(x->usename, caps->user) == 0)
		return 1;
	snprintf(why, size, "role %s is neither superuser nor a member of "
	    "pg_signal_backend", caps->user);
	return 0;
}

static void
signal_done(int ok, const char *msg, void *arg)
{
	struct app	*app = arg;

	ui_message(app->ui, !ok, "%s", msg);
}

static void
app_signal(void *arg, int pid, int terminate)
{
	struct app	*app = arg;

	collector_signal(app->coll, pid, terminate, signal_done, app);
}

static void
app_refresh_now(void *arg)
{
	struct app	*app = arg;

	collector_refresh_now(app->coll);
}

static double
app_scale_refresh(void *arg, double factor)
{
	struct app	*app = arg;
	double		 r = collector_refresh(app->coll) * factor;

	if (r < 0.25)
		r = 0.25;
	if (r > 60)
		r = 60;
	collector_set_refresh(app->coll, r);
	return r;
}

static void
app_collector_status(void *arg)
{
	struct app	*app = arg;

	if (app->ui != NULL)
		ui_status_changed(app->ui);
}

/* Redraw once a second so countdowns and data ages stay true. */
static void
app_tick(void *arg)
{
	struct app	*app = arg;

	if (getenv("PGDECK_TEST_SYNC") == NULL ||
	    pg_conn_state(app->pc) != PGC_READY)
		ui_status_changed(app->ui);
	app->ticker = loop_timer_add(app->loop, 1000, app_tick, app);
}

static char *
read_password(const char *user)
{
	struct termios	 old, quiet;
	char		 buf[256];
	FILE		*tty;
	int		 ok;

	if ((tty = fopen("/dev/tty", "r+")) == NULL)
		return NULL;
	fprintf(tty, "Password for user %s: ", user);
	fflush(tty);
	ok = tcgetattr(fileno(tty), &old) == 0;
	if (ok) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
	}
	if (fgets(buf, sizeof buf, tty) == NULL)
		buf[0] = '\0';
	if (ok)
		tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputc('\n', tty);
	fclose(tty);
	buf[strcspn(buf, "\r\n")] = '\0';
	return xstrdup(buf);
}

#define MAX_PARAMS	16

struct params {
	const char	*keys[MAX_PARAMS];
	const char	*vals[MAX_PARAMS];
	int		 n;
};

static void
param(struct params *p, const char *k, const char *v)
{
	if (v == NULL)
		return;
	if (p->n >= MAX_PARAMS - 1)
		BUG("too many connection parameters");
	p->keys[p->n] = k;
	p->vals[p->n] = v;
	p->n++;
	p->keys[p->n] = NULL;
	p->vals[p->n] = NULL;
}

/*
 * Connect once, blocking, before the screen is taken: a refused
 * connection is a clear line on stderr, not a screen of "reconnecting".
 */
static PGconn *
first_connect(struct params *p, const struct options *o, char **password)
{
	PGconn		*conn;
	char		 buf[512];

	*password = NULL;
	for (;;) {
		conn = PQconnectdbParams(p->keys, p->vals, 1);
		if (PQstatus(conn) == CONNECTION_OK)
			return conn;
		if (PQconnectionNeedsPassword(conn) && *password == NULL &&
		    isatty(STDIN_FILENO)) {
			*password = read_password(PQuser(conn) != NULL ?
			    PQuser(conn) : (o->user != NULL ? o->user : "?"));
			PQfinish(conn);
			if (*password == NULL)
				break;
			param(p, "password", *password);
			continue;
		}
		fprintf(stderr, "pgdeck: cannot connect: %s\n",
		    pg_first_line(PQerrorMessage(conn), buf, sizeof buf));
		PQfinish(conn);
		return NULL;
	}
	return NULL;
}

static struct ui *
make_ui(struct app *app, struct theme *theme, struct keymap *km,
    const struct ui_host *host)
{
	app->ui = ui_new(app->loop, theme, km, host);
	ui_add_pane(app->ui, 0, &pane_activity_ops);
	return app->ui;
}

/* Run the loop on a started UI; returns the exit code. */
static int
run_ui(struct app *app)
{
	int	rc = 0;

	if (loop_run(app->loop) == -1)
		rc = 1;
	ui_stop(app->ui);
	return rc;
}

static int
run_file(const struct options *o, struct keymap *km, struct theme *theme)
{
	struct app		  app;
	struct ui_host		  host;
	struct snapshot		**snaps;
	struct snapshot_sink	  sink;
	char			 *cause = NULL;
	int			  n, i, rc;

	if ((n = snapfile_read(o->snapshot_file, &snaps, &cause)) == -1) {
		fprintf(stderr, "pgdeck: %s\n", cause);
		free(cause);
		return 2;
	}
	memset(&app, 0, sizeof app);
	app.file = o->snapshot_file;
	app.nfile = n;
	app.loop = loop_new();
	memset(&host, 0, sizeof host);
	host.arg = &app;
	host.status = file_status;
	host.can_signal = file_can_signal;
	make_ui(&app, theme, km, &host);
	if (ui_start(app.ui, &cause) == -1) {
		fprintf(stderr, "pgdeck: %s\n", cause);
		free(cause);
		rc = 1;
	} else {
		/* The same sink as live: the panes cannot tell. */
		sink = ui_sink(app.ui);
		for (i = 0; i < n; i++)
			sink.put(sink.arg, snaps[i]);
		rc = run_ui(&app);
	}
	ui_free(app.ui);
	loop_free(app.loop);
	snapfile_free(snaps, n);
	return rc;
}

static int
run_live(const struct options *o, struct config *cfg, struct keymap *km,
    struct theme *theme, const char *conninfo)
{
	struct app	 app;
	struct params	 p;
	struct ui_host	 host;
	PGconn		*conn;
	char		*password = NULL, *cause = NULL;
	int		 rc = 0;

	memset(&app, 0, sizeof app);
	memset(&p, 0, sizeof p);
	app.read_only = o->read_only || cfg->read_only;
	if (o->save_snapshots != NULL) {
		int	fd = open(o->save_snapshots,
		    O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);

		if (fd == -1 || (app.save = fdopen(fd, "a")) == NULL) {
			fprintf(stderr, "pgdeck: cannot write '%s': %s\n",
			    o->save_snapshots, strerror(errno));
			return 1;
		}
	}
	/* The first dbname may be a conninfo or URI (expand_dbname). */
	param(&p, "dbname", conninfo != NULL ? conninfo : o->dbname);
	if (conninfo != NULL && o->dbname != NULL)
		param(&p, "dbname", o->dbname);
	param(&p, "host", o->host);
	param(&p, "port", o->port);
	param(&p, "user", o->user);
	param(&p, "service", o->service);
	param(&p, "connect_timeout", "10");
	param(&p, "keepalives", "1");
	param(&p, "keepalives_idle", "10");
	param(&p, "keepalives_interval", "5");
	param(&p, "keepalives_count", "3");
	param(&p, "application_name", "pgdeck");
	if ((conn = first_connect(&p, o, &password)) == NULL) {
		free(password);
		if (app.save != NULL)
			fclose(app.save);
		return 1;
	}

	app.loop = loop_new();
	app.pc = pg_conn_new(app.loop, p.keys, p.vals);
	app.coll = collector_new(app.loop, app.pc,
	    o->refresh > 0 ? o->refresh : cfg->refresh);
	memset(&host, 0, sizeof host);
	host.arg = &app;
	host.status = app_status;
	host.can_signal = app_can_signal;
	host.signal_backend = app_signal;
	host.refresh_now = app_refresh_now;
	host.scale_refresh = app_scale_refresh;
	make_ui(&app, theme, km, &host);
	collector_add_sink(app.coll, ui_sink(app.ui));
	if (app.save != NULL)
		collector_add_sink(app.coll, snapfile_sink(app.save));
	collector_on_status(app.coll, app_collector_status, &app);

	if (ui_start(app.ui, &cause) == -1) {
		fprintf(stderr, "pgdeck: %s\n", cause);
		free(cause);
		PQfinish(conn);
		rc = 1;
	} else {
		pg_conn_adopt(app.pc, conn);
		collector_start(app.coll);
		/* Live ages and countdowns change by the second. */
		app.ticker = loop_timer_add(app.loop, 1000, app_tick, &app);
		rc = run_ui(&app);
	}
	ui_free(app.ui);
	collector_free(app.coll);
	pg_conn_free(app.pc);
	loop_free(app.loop);
	if (app.save != NULL)
		fclose(app.save);
	if (password != NULL) {
		memset(password, 0, strlen(password));
		free(password);
	}
	return rc;
}

int
main(int argc, char **argv)
{
	struct options	 o;
	struct config	 cfg;
	struct keymap	*km;
	struct theme	 theme;
	struct demo	*demo = NULL;
	const char	*conninfo;
	char		*cause = NULL, *text;
	int		 rc;

	setlocale(LC_ALL, "");
	signal(SIGPIPE, SIG_IGN);
	if (options_parse(&o, argc, argv, &cause) == -1) {
		fprintf(stderr, "pgdeck: %s\nTry 'pgdeck --help' for more "
		    "information.\n", cause);
		free(cause);
		return 2;
	}
	if (o.command == CMD_HELP) {
		fputs(options_usage, stdout);
		return 0;
	}
	if (o.command == CMD_VERSION) {
		printf("pgdeck %s (libpq %d)\n", PGDECK_VERSION,
		    PQlibVersion());
		return 0;
	}

	config_init(&cfg);
	km = keymap_new();
	if (config_parse(&cfg, km, keymap_defaults, "defaults", &cause) == -1)
		BUG(cause);
	if (o.config != NULL) {
		if ((text = config_read_file(o.config, &cause)) == NULL ||
		    config_parse(&cfg, km, text, o.config, &cause) == -1) {
			free(text);
			die(2, "%s", cause);
		}
		free(text);
	} else if (!o.no_config && config_load_user(&cfg, km, &cause) == -1)
		die(2, "%s", cause);
	if (theme_load(&theme, o.theme != NULL ? o.theme : cfg.theme,
	    &cause) == -1 ||
	    theme_parse(&theme, cfg.colors.buf, "config colors", &cause) == -1)
		die(2, "%s", cause);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		die(2, "standard input and output must be a terminal");

	if (o.snapshot_file != NULL) {
		rc = run_file(&o, km, &theme);
		keymap_free(km);
		config_release(&cfg);
		return rc;
	}
	conninfo = o.conninfo;
	if (o.command == CMD_DEMO) {
		if (demo_start(&demo, &conninfo, &cause) == -1) {
			fprintf(stderr, "pgdeck: demo: %s\n", cause);
			free(cause);
			return 1;
		}
	}
	rc = run_live(&o, &cfg, km, &theme, conninfo);
	if (demo != NULL) {
		fprintf(stderr, "pgdeck demo: stopping the server and removing "
		    "its files\n");
		demo_stop(demo);
	}
	keymap_free(km);
	config_release(&cfg);
	return rc;
}
