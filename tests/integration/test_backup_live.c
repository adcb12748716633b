/*
 * test_backup_live.c - the Backups pane's engine against a real
 * pgBackRest stanza and a real archiver, slot and standby.
 *
 * The group setup starts its own cluster with tests/harness/backup_env.sh
 * (archive_mode needs a restart, so not the shared test server): a posix
 * repository, a full and an incremental backup.  The tests then run in
 * order, each taking the environment from where the last one left it:
 * healthy; archive_command broken (the server side goes red while
 * pgBackRest still says ok, and only its archive max stops moving);
 * repaired; pg_receivewal streaming; a slot abandoned until extended,
 * then lost.  Each step reads the server with the WAL probe the
 * collector runs (wal_probe_sql/wal_parse) and the stanza with the
 * runner (bk_run_blocking) and assesses both with bk_assess().
 *
 * Needs pgbackrest and the PostgreSQL server binaries.  Without them it
 * skips loudly; with CI=true it fails.  The environment is stopped (and
 * its directory removed) by the group teardown, at exit and on SIGINT or
 * SIGTERM.  The script is found through PGDECK_SOURCE_DIR, from the
 * environment or else from the compile definition.
 */
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "backup/assess.h"
#include "backup/backup.h"
#include "backup/runner.h"
#include "backup/runs.h"
#include "backup/wal.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "live/probe.h"

#ifndef PGDECK_SOURCE_DIR
#define PGDECK_SOURCE_DIR "."
#endif

#define MB		1048576LL
#define TOOL_TIMEOUT	30.0

static struct {
	char		*script;	/* tests/harness/backup_env.sh */
	char		 dir[64];	/* the environment; "" when stopped */
	PGconn		*conn;
	int		 version_num;
	char		*archive_max0;	/* the repository's, when healthy */
	char		*archive_max1;	/* when archiving broke */
} g;

/* Stop the environment, once, whatever state it is in. */
static void
env_stop(void)
{
	char	*cmd;

	if (g.dir[0] == '\0')
		return;
	cmd = xstrfmt("'%s' stop '%s'", g.script, g.dir);
	if (system(cmd) != 0)
		fprintf(stderr, "test_backup_live: '%s' failed\n", cmd);
	free(cmd);
	g.dir[0] = '\0';
}

static void
on_signal(int sig)
{
	/* Not async-signal-safe; good enough for ^C on a test. */
	env_stop();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Run the script; fail the test unless it exits 0.  Returns the last
 * line of its stdout, without the newline (caller frees). */
static char *
vscript(const char *fmt, va_list ap)
{
	struct strbuf	 out;
	char		*args, *cmd, buf[256];
	FILE		*p;
	int		 st;

	strbuf_init(&out, 0);
	args = xstrvfmt(fmt, ap);
	cmd = xstrfmt("'%s' %s", g.script, args);
	p = popen(cmd, "r");
	if (p == NULL)
		fail_msg("cannot run %s", cmd);
	while (fgets(buf, sizeof buf, p) != NULL) {
		strbuf_reset(&out);
		strbuf_addstr(&out, buf);
	}
	st = pclose(p);
	if (st != 0)
		fail_msg("'%s' failed (status %d)", cmd, st);
	free(args);
	free(cmd);
	while (out.len > 0 && (out.buf[out.len - 1] == '\n' ||
	    out.buf[out.len - 1] == ' '))
		strbuf_setlen(&out, out.len - 1);
	return strbuf_detach(&out);
}

static char * PRINTF_LIKE(1, 2)
script(const char *fmt, ...)
{
	va_list	 ap;
	char	*out;

	va_start(ap, fmt);
	out = vscript(fmt, ap);
	va_end(ap);
	return out;
}

/* The same, for a subcommand whose output does not matter. */
static void PRINTF_LIKE(1, 2)
run(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	free(vscript(fmt, ap));
	va_end(ap);
}

/* DIR/env: "export NAME=VALUE" lines, VALUE maybe in single quotes. */
static void
load_env(const char *path)
{
	char	*text, *line, *next, *eq;
	size_t	 len;

	if (read_file(path, &text, &len, 1 << 16) != 0)
		fail_msg("%s: cannot read", path);
	for (line = text; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (strncmp(line, "export ", 7) != 0 ||
		    (eq = strchr(line, '=')) == NULL)
			continue;
		*eq++ = '\0';
		len = strlen(eq);
		if (len >= 2 && eq[0] == '\'' && eq[len - 1] == '\'') {
			eq[len - 1] = '\0';
			eq++;
		}
		setenv(line + 7, eq, 1);
	}
	free(text);
}

static const char *
env(const char *name)
{
	const char	*v = getenv(name);

	if (v == NULL || *v == '\0')
		fail_msg("%s is not set by backup_env.sh", name);
	return v;
}

static PGresult *
query(const char *sql)
{
	PGresult	*r = PQexec(g.conn, sql);

	if (PQresultStatus(r) != PGRES_TUPLES_OK &&
	    PQresultStatus(r) != PGRES_COMMAND_OK)
		fail_msg("%.200s: %s", sql, PQresultErrorMessage(r));
	return r;
}

static int
group_setup(void **state)
{
	PGresult	*r;
	char		*path;

	(void)state;
	snprintf(g.dir, sizeof g.dir, "/tmp/pgdeck-bk-XXXXXX");
	if (mkdtemp(g.dir) == NULL)
		fail_msg("mkdtemp: cannot make %s", g.dir);
	atexit(env_stop);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	run("start '%s'", g.dir);
	path = xstrfmt("%s/env", g.dir);
	load_env(path);
	free(path);
	g.conn = PQconnectdb(env("PGDECK_BK_CONNINFO"));
	if (PQstatus(g.conn) != CONNECTION_OK)
		fail_msg("connect: %s", PQerrorMessage(g.conn));
	r = query("SET statement_timeout = '10s'");
	PQclear(r);
	g.version_num = PQserverVersion(g.conn);
	return 0;
}

static const struct bk_finding *finding(const struct bk_assessment *,
		    const char *);
static struct walinfo *probe_as(PGconn *, int, const char *);

/* What the capability probe says 'conn' may do. */
static struct capabilities
caps_of(PGconn *conn)
{
	struct capabilities	 caps;
	PGresult		*r = PQexec(conn, probe_capabilities_sql);
	char			*cause = NULL;

	memset(&caps, 0, sizeof caps);
	if (PQresultStatus(r) != PGRES_TUPLES_OK ||
	    probe_capabilities_parse(r, &caps, &cause) == -1)
		fail_msg("capabilities: %s", cause != NULL ? cause :
		    PQresultErrorMessage(r));
	PQclear(r);
	return caps;
}

/*
 * A role without pg_monitor: the capability probe says it may not list
 * archive_status (calling it would be an error), the WAL probe still
 * runs, the backlog is unknown rather than zero, and the hint names the
 * grant; with the grant, the backlog is back.
 */
static void
test_unprivileged(void **state)
{
	struct capabilities	 caps;
	struct walinfo		*w;
	struct bk_assessment	 a;
	const struct bk_finding	*f;
	PGconn			*plain;
	PGresult		*r;
	char			*ci;

	(void)state;
	r = query("DROP ROLE IF EXISTS pgdeck_plain;"
	    " CREATE ROLE pgdeck_plain LOGIN");
	PQclear(r);
	ci = xstrfmt("%s user=pgdeck_plain", env("PGDECK_BK_CONNINFO"));
	plain = PQconnectdb(ci);
	if (PQstatus(plain) != CONNECTION_OK)
		fail_msg("connect as pgdeck_plain: %s", PQerrorMessage(plain));
	caps = caps_of(plain);
	assert_int_equal(caps.ls_archive_status, 0);
	w = probe_as(plain, caps.ls_archive_status, caps.user);
	assert_int_equal(w->ready_count, -1);
	assert_true(w->archived_count > 0);
	assert_string_equal(w->archive_mode, "on");
	assert_non_null(w->hint);
	assert_non_null(strstr(w->hint, "GRANT pg_monitor TO pgdeck_plain"));
	bk_assess(w, NULL, NULL, w->at, &a);
	f = finding(&a, "privileges");
	assert_non_null(f);
	assert_int_equal(f->level, BK_LEVEL_UNKNOWN);
	f = finding(&a, "archiving");
	assert_non_null(f);
	assert_int_equal(f->level, BK_LEVEL_OK);
	bk_assessment_release(&a);
	wal_unref(w);
	capabilities_release(&caps);

	r = query("GRANT pg_monitor TO pgdeck_plain");
	PQclear(r);
	caps = caps_of(plain);
	assert_int_equal(caps.ls_archive_status, 1);
	w = probe_as(plain, caps.ls_archive_status, caps.user);
	assert_true(w->ready_count >= 0);
	assert_null(w->hint);
	wal_unref(w);
	capabilities_release(&caps);
	PQfinish(plain);
	free(ci);
	r = query("DROP ROLE pgdeck_plain");
	PQclear(r);
}

static int
group_teardown(void **state)
{
	(void)state;
	PQfinish(g.conn);
	g.conn = NULL;
	env_stop();
	free(g.archive_max0);
	free(g.archive_max1);
	return 0;
}

/* The WAL probe as the collector runs it: one batch, three results. */
static struct walinfo *
probe_as(PGconn *conn, int can_ls_status, const char *user)
{
	struct strbuf	 sql;
	struct walinfo	*w;
	PGresult	*res[3], *r;
	char		*cause = NULL;
	int		 n = 0;

	strbuf_init(&sql, 0);
	wal_probe_sql(&sql, g.version_num, can_ls_status);
	if (!PQsendQuery(conn, sql.buf))
		fail_msg("wal probe: %s", PQerrorMessage(conn));
	while ((r = PQgetResult(conn)) != NULL) {
		if (PQresultStatus(r) != PGRES_TUPLES_OK)
			fail_msg("wal probe: %s", PQresultErrorMessage(r));
		if (n < 3)
			res[n++] = r;
		else
			PQclear(r);
	}
	strbuf_release(&sql);
	assert_int_equal(n, 3);
	w = wal_parse(res[0], res[1], res[2], can_ls_status, user, &cause);
	if (w == NULL)
		fail_msg("wal_parse: %s", cause);
	while (n > 0)
		PQclear(res[--n]);
	return w;
}

static struct walinfo *
probe(void)
{
	return probe_as(g.conn, 1, "postgres");
}

/* pgbackrest info, through the runner, as the pane runs it. */
static struct bk_state *
run_info(const char *command)
{
	struct bk_cmd	 cmd = { BK_PGBACKREST, "info", command };
	struct bk_state	*st = bk_run_blocking(&cmd, 1, TOOL_TIMEOUT);

	assert_non_null(st);
	if (st->nerrors > 0)
		fail_msg("%s: %s", command, st->errors[0]);
	assert_non_null(st->report);
	return st;
}

static const struct bk_repo *
stanza(const struct bk_state *st)
{
	const struct bk_repo	*repo = bk_report_find(st->report,
				    BK_PGBACKREST, env("PGDECK_BK_STANZA"));

	if (repo == NULL)
		fail_msg("no stanza %s in pgbackrest info",
		    env("PGDECK_BK_STANZA"));
	return repo;
}

static void
assess(const struct walinfo *w, const struct bk_state *st,
    struct bk_assessment *a)
{
	size_t	i;

	bk_assess(w, st, NULL, w->at, a);
	/* For the log of a failing run. */
	printf("  status: %s\n", a->status);
	for (i = 0; i < a->nfindings; i++)
		printf("  %d %-16s %s\n", a->findings[i].level,
		    a->findings[i].name, a->findings[i].text);
}

/* The finding called 'name', or NULL. */
static const struct bk_finding *
finding(const struct bk_assessment *a, const char *name)
{
	size_t	i;

	for (i = 0; i < a->nfindings; i++)
		if (strcmp(a->findings[i].name, name) == 0)
			return &a->findings[i];
	return NULL;
}

static void
assert_contains(const char *haystack, const char *needle)
{
	if (haystack == NULL || strstr(haystack, needle) == NULL)
		fail_msg("'%s' does not contain '%s'",
		    haystack != NULL ? haystack : "(null)", needle);
}

static uint64_t
segno(const struct walinfo *w, const char *name)
{
	uint32_t	tli;
	uint64_t	n;

	assert_non_null(name);
	assert_int_equal(wal_segno(name, w->seg_size, &tli, &n), 0);
	return n;
}

static const struct wal_slot *
slot(const struct walinfo *w, const char *name)
{
	size_t	i;

	for (i = 0; i < w->nslots; i++)
		if (w->slots[i].name != NULL &&
		    strcmp(w->slots[i].name, name) == 0)
			return &w->slots[i];
	return NULL;
}

/*
 * Fresh from start: archiving works, two backups (a full and an incr on
 * it), the repository's archive max is the server's last archived WAL,
 * the RPO is small and the verdict is green.
 */
static void
test_healthy(void **state)
{
	struct walinfo		*w = probe();
	struct bk_state		*st = run_info(env("PGDECK_BK_PGBACKREST"));
	const struct bk_repo	*repo = stanza(st);
	struct wal_archiving	 arch;
	struct wal_rpo		 rpo;
	struct bk_analyse_opts	 o;
	struct bk_analysis	 an;
	struct bk_assessment	 a;

	(void)state;
	assert_string_equal(w->archive_mode, "on");
	assert_string_equal(w->archive_command,
	    env("PGDECK_BK_ARCHIVE_COMMAND"));
	assert_int_equal(w->archive_timeout, 60);
	assert_int_equal(w->seg_size, 16 * MB);
	assert_int_equal(w->max_slot_keep, 80 * MB);
	assert_int_equal(w->failed_count, 0);
	assert_true(w->archived_count >= 4);
	assert_int_equal(w->ready_count, 0);
	wal_archiving(w, w->at, &arch);
	assert_int_equal(arch.level, WAL_OK);
	assert_true(arch.enabled);
	assert_false(arch.failing);
	wal_rpo(w, w->at, &rpo);
	assert_true(rpo.bounded);
	assert_false(isnan(rpo.seconds));
	assert_true(rpo.seconds <= 60);
	assert_true(rpo.bytes >= 0 && rpo.bytes < 16 * MB);

	assert_int_equal(repo->ok, 1);
	assert_int_equal(repo->status_code, BK_PGBR_OK);
	assert_string_equal(repo->status_msg, "ok");
	assert_int_equal(repo->nbackups, 2);
	assert_int_equal(repo->backups[0].type, BK_FULL);
	assert_int_equal(repo->backups[1].type, BK_INCR);
	assert_string_equal(repo->backups[1].prior, repo->backups[0].label);
	assert_false(repo->backups[0].error || repo->backups[1].error);
	assert_true(repo->backups[0].db_size > 20 * MB);
	assert_non_null(repo->archive_max);
	/* last_archived_wal may be the incr's .backup file: by segment. */
	assert_memory_equal(repo->archive_max, w->last_archived_wal, 24);
	g.archive_max0 = xstrdup(repo->archive_max);

	bk_analyse_opts_init(&o, w->at);
	o.current_wal = w->walfile;
	bk_analyse(repo, &o, &an);
	assert_int_equal(an.nrestorable, 2);
	assert_int_equal(an.last_any, 1);
	assert_int_equal(an.last[BK_FULL], 0);
	assert_int_equal(an.nbroken, 0);
	assert_true(an.archive_lag >= 0 && an.archive_lag <= 2);
	bk_analysis_release(&an);

	assess(w, st, &a);
	assert_int_equal(a.level, BK_LEVEL_OK);
	assert_true(a.repo_lag >= 0 && a.repo_lag <= 2);
	assert_null(finding(&a, "repo archive"));
	assert_int_equal(finding(&a, "archiving")->level, BK_LEVEL_OK);
	assert_int_equal(finding(&a, "RPO")->level, BK_LEVEL_OK);
	assert_contains(a.status, "archiving OK");
	assert_contains(a.status, "last good: incr");
	bk_assessment_release(&a);
	bk_state_unref(st);
	wal_unref(w);
}

/*
 * With no command configured, the pane works the pgBackRest command out
 * of archive_command: here it must find the stanza too.
 */
static void
test_guessed_command(void **state)
{
	struct walinfo	*w = probe();
	struct bk_cmd	*cmds = NULL;
	struct bk_state	*st;
	char		 hint[200] = "";
	const char	*want;
	size_t		 n;

	(void)state;
	n = bk_cmds_for(NULL, 0, NULL, NULL, w->archive_command, &cmds,
	    hint, sizeof hint);
	assert_int_equal(n, 1);
	assert_int_equal(cmds[0].tool, BK_PGBACKREST);
	/* PGDECK_BK_PGBACKREST less the "runuser -u postgres -- " that
	 * root needs: archive_command runs as the server's user. */
	want = strstr(env("PGDECK_BK_PGBACKREST"), "-- ");
	want = want != NULL ? want + 3 : env("PGDECK_BK_PGBACKREST");
	assert_string_equal(cmds[0].command, want);
	st = run_info(cmds[0].command);
	assert_int_equal(stanza(st)->nbackups, 2);
	bk_state_unref(st);
	bk_cmds_free(cmds, n);
	wal_unref(w);
}

/*
 * archive_command fails: the server side goes red, pgBackRest still says
 * ok, and its archive max stays where it was while the server's WAL
 * moves on: the assessment flags the repository as behind.
 */
static void
test_archiving_broken(void **state)
{
	struct walinfo		*w, *w2;
	struct bk_state		*st, *st2;
	const struct bk_repo	*repo;
	const struct bk_finding	*f;
	struct wal_archiving	 arch;
	struct wal_rpo		 rpo;
	struct bk_assessment	 a, a2;

	(void)state;
	run("break '%s' 3", g.dir);
	w = probe();
	wal_archiving(w, w->at, &arch);
	assert_int_equal(arch.level, WAL_BAD);
	assert_true(arch.failing);
	assert_contains(arch.why, "archiving FAILING");
	assert_true(w->failed_count > 0);
	assert_true(w->ready_count >= 3);
	assert_non_null(w->last_failed_wal);
	assert_string_equal(w->last_failed_wal, w->ready_oldest_wal);
	assert_true(arch.segments_behind >= 3);
	wal_rpo(w, w->at, &rpo);
	assert_string_equal(rpo.basis,
	    "backlog: from the oldest .ready segment");
	assert_true(rpo.bytes >= w->seg_size);

	st = run_info(env("PGDECK_BK_PGBACKREST"));
	repo = stanza(st);
	assert_int_equal(repo->ok, 1);
	assert_int_equal(repo->status_code, BK_PGBR_OK);
	assert_non_null(repo->archive_max);
	assert_memory_equal(repo->archive_max, w->last_archived_wal, 24);
	g.archive_max1 = xstrdup(repo->archive_max);
	assess(w, st, &a);
	assert_int_equal(a.level, BK_LEVEL_BAD);
	assert_int_equal(finding(&a, "archiving")->level, BK_LEVEL_BAD);
	f = finding(&a, "repo archive");
	assert_non_null(f);
	assert_int_equal(f->level, BK_LEVEL_BAD);
	assert_contains(f->text, "(though the tool says ok)");
	assert_contains(f->text, repo->archive_max);
	assert_true(a.repo_lag > 2);
	assert_contains(a.status, "archiving FAILING");

	/* More WAL: the server moves on, the repository does not. */
	run("switch '%s' 1", g.dir);
	w2 = probe();
	st2 = run_info(env("PGDECK_BK_PGBACKREST"));
	assert_int_equal(stanza(st2)->ok, 1);
	assert_string_equal(stanza(st2)->archive_max, g.archive_max1);
	/* By LSN: right after a switch pg_walfile_name() names the file
	 * just finished, so walfile may not have moved yet. */
	assert_int_equal(w2->lsn / w2->seg_size, w->lsn / w->seg_size + 1);
	assert_int_equal(w2->ready_count, w->ready_count + 1);
	assess(w2, st2, &a2);
	assert_int_equal(a2.level, BK_LEVEL_BAD);
	assert_true(a2.repo_lag >= a.repo_lag);
	assert_non_null(finding(&a2, "repo archive"));
	bk_assessment_release(&a2);
	bk_assessment_release(&a);
	bk_state_unref(st2);
	bk_state_unref(st);
	wal_unref(w2);
	wal_unref(w);
}

/* archive_command works again: the backlog drains, green again. */
static void
test_archiving_repaired(void **state)
{
	struct walinfo		*w;
	struct bk_state		*st;
	const struct bk_repo	*repo;
	struct wal_archiving	 arch;
	struct bk_assessment	 a;

	(void)state;
	assert_non_null(g.archive_max1);
	run("repair '%s'", g.dir);
	w = probe();
	wal_archiving(w, w->at, &arch);
	assert_int_equal(arch.level, WAL_OK);
	assert_false(arch.failing);
	assert_int_equal(w->ready_count, 0);
	assert_true(w->last_archived_time > w->last_failed_time);
	st = run_info(env("PGDECK_BK_PGBACKREST"));
	repo = stanza(st);
	assert_int_equal(repo->ok, 1);
	assert_memory_equal(repo->archive_max, w->last_archived_wal, 24);
	assert_true(segno(w, repo->archive_max) >=
	    segno(w, g.archive_max1) + 3);
	assess(w, st, &a);
	assert_int_equal(a.level, BK_LEVEL_OK);
	assert_null(finding(&a, "repo archive"));
	assert_true(a.repo_lag >= 0 && a.repo_lag <= 2);
	bk_assessment_release(&a);
	bk_state_unref(st);
	wal_unref(w);
}

/*
 * pg_receivewal on a slot: a streaming standby whose flush lags (it
 * flushes at the end of a segment) and that replays nothing.
 */
static void
test_receivewal(void **state)
{
	struct walinfo		*w;
	const struct wal_standby *s = NULL;
	const struct wal_slot	*sl;
	struct bk_assessment	 a;
	size_t			 i;

	(void)state;
	run("receivewal '%s'", g.dir);
	w = probe();
	for (i = 0; i < w->nstandbys; i++)
		if (strcmp(w->standbys[i].name, "pg_receivewal") == 0)
			s = &w->standbys[i];
	assert_non_null(s);
	assert_int_equal(w->nstandbys, 1);
	assert_string_equal(s->state, "streaming");
	assert_string_equal(s->sync_state, "async");
	assert_contains(s->client, "127.0.0.1");
	assert_true(s->pid > 0);
	assert_true(s->sent_bytes >= 0);
	assert_true(s->write_bytes >= 0);
	assert_true(s->flush_bytes > 0);
	assert_true(s->flush_bytes >= s->write_bytes);
	assert_int_equal(s->replay_bytes, -1);	/* replay_lsn is NULL */
	assert_false(isnan(s->flush_lag));
	assert_true(s->flush_lag >= 0);
	assert_false(isnan(s->reply_time));
	sl = slot(w, "pgdeck_receivewal");
	assert_non_null(sl);
	assert_true(sl->active);
	assert_int_equal(sl->active_pid, s->pid);
	assert_string_equal(sl->wal_status, "reserved");
	assess(w, NULL, &a);
	assert_contains(a.status, "1 standby");
	assert_null(finding(&a, "standby pg_receivewal"));
	assert_null(finding(&a, "slot pgdeck_receivewal"));
	bk_assessment_release(&a);
	wal_unref(w);
}

/*
 * A real standby (pg_basebackup -R, streaming and replaying): on the
 * primary it is a standby with replay distance and lag; probed on the
 * standby itself, the RPO is what it received and has not replayed,
 * and archiving is the primary's business.
 */
static void
test_standby(void **state)
{
	struct walinfo		*w;
	const struct wal_standby *s = NULL;
	struct bk_assessment	 a;
	struct wal_archiving	 arch;
	struct wal_rpo		 rpo;
	PGconn			*sb;
	size_t			 i;
	char			*path;
	int			 tries;

	(void)state;
	run("standby '%s'", g.dir);
	path = xstrfmt("%s/env", g.dir);
	load_env(path);
	free(path);
	/* Its status messages come every 10 s by default, or on replay. */
	for (tries = 0; tries < 100; tries++) {
		w = probe();
		s = NULL;
		for (i = 0; i < w->nstandbys; i++)
			if (strcmp(w->standbys[i].name, "pgdeck_standby") == 0)
				s = &w->standbys[i];
		if (s != NULL && s->replay_bytes >= 0 && !isnan(s->replay_lag))
			break;
		wal_unref(w);
		w = NULL;
		usleep(100000);
	}
	assert_non_null(w);
	assert_non_null(s);
	assert_string_equal(s->state, "streaming");
	assert_true(s->replay_bytes >= 0);
	assert_true(s->replay_lag >= 0);
	assess(w, NULL, &a);
	assert_contains(a.status, "1 standby, max lag");
	bk_assessment_release(&a);
	wal_unref(w);

	sb = PQconnectdb(env("PGDECK_BK_STANDBY_CONNINFO"));
	if (PQstatus(sb) != CONNECTION_OK)
		fail_msg("connect to the standby: %s", PQerrorMessage(sb));
	/* A commit for it to replay: the replay timestamp is a commit's. */
	PQclear(query("INSERT INTO pgdeck_bk_churn DEFAULT VALUES"));
	for (tries = 0; tries < 100; tries++) {
		w = probe_as(sb, 1, "postgres");
		if (!isnan(w->replay_time))
			break;
		wal_unref(w);
		usleep(100000);
	}
	assert_int_equal(w->in_recovery, 1);
	assert_null(w->walfile);
	assert_true(w->lsn > 0);
	assert_true(w->replay_lsn > 0 && w->replay_lsn <= w->lsn);
	assert_false(isnan(w->replay_time));
	wal_rpo(w, w->at, &rpo);
	assert_contains(rpo.basis, "standby");
	assert_true(rpo.bytes >= 0);
	assert_true(rpo.seconds >= 0);
	wal_archiving(w, w->at, &arch);
	assert_int_equal(arch.level, WAL_UNKNOWN);
	assert_contains(arch.why, "standby");
	assess(w, NULL, &a);
	assert_contains(a.status, "standby, replayed up to");
	bk_assessment_release(&a);
	wal_unref(w);
	PQfinish(sb);
	run("stop-standby '%s'", g.dir);
}

/* Stop pg_receivewal whatever happened: the slot tests need it gone. */
static int
stop_receivewal(void **state)
{
	struct walinfo	*w;

	(void)state;
	run("stop-receivewal '%s'", g.dir);
	w = probe();
	assert_int_equal(w->nstandbys, 0);
	assert_null(slot(w, "pgdeck_receivewal"));
	wal_unref(w);
	return 0;
}

/* Drive the slot 'abandoned' to 'target'; the probe then, and the slot
 * in it (borrowed from the walinfo). */
static struct walinfo *
abandon(const char *target, const struct wal_slot **sl)
{
	struct walinfo	*w;
	char		*out = script("abandon-slot '%s' %s", g.dir, target);

	assert_string_equal(out, target);
	free(out);
	w = probe();
	*sl = slot(w, "abandoned");
	assert_non_null(*sl);
	assert_string_equal((*sl)->wal_status, target);
	assert_false((*sl)->active);
	return w;
}

/* Assess 'w': red, with a red finding on the slot that says 'what'. */
static void
assert_slot_finding(const struct walinfo *w, const char *what)
{
	const struct bk_finding	*f;
	struct bk_assessment	 a;

	assess(w, NULL, &a);
	f = finding(&a, "slot abandoned");
	assert_non_null(f);
	assert_int_equal(f->level, BK_LEVEL_BAD);
	assert_contains(f->text, what);
	assert_int_equal(a.level, BK_LEVEL_BAD);
	assert_contains(a.status, "slots: 1 inactive");
	bk_assessment_release(&a);
}

/*
 * A slot nobody reads: 'extended' (held past max_wal_size, within
 * max_slot_wal_keep_size), then 'lost' once a checkpoint has given its
 * WAL up.  Both are red findings that name the slot.
 */
static void
test_abandoned_slot(void **state)
{
	struct walinfo		*w;
	const struct wal_slot	*sl;

	(void)state;
	w = abandon("extended", &sl);
	assert_string_equal(sl->type, "physical");
	/* 4 segments behind, within the 80 MB it may keep. */
	assert_true(sl->retained > 3 * 16 * MB);
	assert_true(sl->retained <= w->max_slot_keep);
	assert_true(sl->safe_wal_size >= 0);
	assert_slot_finding(w, "wal_status extended");
	wal_unref(w);

	w = abandon("lost", &sl);
	assert_int_equal(sl->retained, -1);	/* restart_lsn is NULL */
	assert_int_equal(sl->safe_wal_size, -1);
	assert_slot_finding(w, "pg_drop_replication_slot('abandoned')");
	wal_unref(w);
}

/* Whether pgbackrest and the server binaries are here (as pg_server.sh
 * looks for them). */
static int
have_tools(void)
{
	return system("command -v pgbackrest >/dev/null 2>&1 && { "
	    "test -x \"$(pg_config --bindir 2>/dev/null)/postgres\" || "
	    "ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; }") == 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthy),
		cmocka_unit_test(test_guessed_command),
		cmocka_unit_test(test_unprivileged),
		cmocka_unit_test(test_archiving_broken),
		cmocka_unit_test(test_archiving_repaired),
		cmocka_unit_test_teardown(test_receivewal, stop_receivewal),
		cmocka_unit_test(test_standby),
		cmocka_unit_test(test_abandoned_slot),
	};
	const char	*ci = getenv("CI");
	const char	*src = getenv("PGDECK_SOURCE_DIR");

	if (!have_tools()) {
		if (ci != NULL && strcmp(ci, "true") == 0) {
			fprintf(stderr, "test_backup_live: CI=true but no"
			    " pgbackrest or PostgreSQL server: failing\n");
			return 1;
		}
		fprintf(stderr, "\n*** test_backup_live: SKIPPED: needs"
		    " pgbackrest and the PostgreSQL server binaries ***\n\n");
		return 77;
	}
	g.script = xstrfmt("%s/tests/harness/backup_env.sh",
	    src != NULL ? src : PGDECK_SOURCE_DIR);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
