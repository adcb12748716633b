/*
 * test_backup_assess.c - the server side of recoverability and the
 * verdict: archiving state and RPO from a walinfo, the repository
 * checked against the server's segment, slots, targets; the commands
 * guessed from archive_command; the config lines; tool runs (exit
 * status, not found, a timeout that kills the whole process group) and
 * their JSON round trip.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "backup/assess.h"
#include "backup/backup.h"
#include "backup/runner.h"
#include "backup/runs.h"
#include "backup/wal.h"
#include "config/config.h"
#include "config/keymap.h"
#include "core/util.h"

#define NOW	1795246000.0
#define SEG	16777216LL

/* A walinfo from JSON fields (after "v":1). */
static struct walinfo *
wal(const char *fields)
{
	struct walinfo	*w;
	char		*json, *cause = NULL;

	json = xstrfmt("{\"v\":1,%s}", fields);
	w = wal_from_json(json, strlen(json), &cause);
	if (w == NULL)
		fail_msg("wal_from_json: %s", cause);
	free(json);
	return w;
}

static const char *ARCHIVING =
    "\"archive_mode\":\"on\",\"archive_command\":\"pgbackrest --stanza=x"
    " archive-push %p\",\"archive_timeout\":60,\"seg_size\":16777216";

static void
test_archiving_states(void **state)
{
	struct wal_archiving	 a;
	struct walinfo		*w;
	char			*f;

	(void)state;
	w = wal("\"archive_mode\":\"off\",\"archive_command\":\"(disabled)\"");
	wal_archiving(w, NOW, &a);
	assert_int_equal(a.level, WAL_BAD);
	assert_non_null(strstr(a.why, "archive_mode is off"));
	wal_unref(w);

	/* A failure older than the last success is a retry that worked. */
	f = xstrfmt("%s,\"walfile\":\"000000010000000000000010\","
	    "\"last_archived_wal\":\"00000001000000000000000F\","
	    "\"last_archived_time\":%f,\"last_failed_time\":%f,"
	    "\"last_failed_wal\":\"00000001000000000000000E\","
	    "\"ready_count\":0", ARCHIVING, NOW - 10, NOW - 100);
	w = wal(f);
	free(f);
	wal_archiving(w, NOW, &a);
	assert_int_equal(a.level, WAL_OK);
	assert_int_equal(a.failing, 0);
	assert_int_equal(a.segments_behind, 1);
	wal_unref(w);

	f = xstrfmt("%s,\"walfile\":\"000000010000000000000010\","
	    "\"last_archived_wal\":\"00000001000000000000000D\","
	    "\"last_archived_time\":%f,\"last_failed_time\":%f,"
	    "\"last_failed_wal\":\"00000001000000000000000E\","
	    "\"failed_count\":4,\"ready_count\":2", ARCHIVING, NOW - 100,
	    NOW - 5);
	w = wal(f);
	free(f);
	wal_archiving(w, NOW, &a);
	assert_int_equal(a.level, WAL_BAD);
	assert_int_equal(a.failing, 1);
	assert_non_null(strstr(a.why, "FAILING"));
	assert_non_null(strstr(a.why, "00000001000000000000000E"));
	wal_unref(w);
}

static void
test_rpo(void **state)
{
	struct wal_rpo	 r;
	struct walinfo	*w;
	char		*f;

	(void)state;
	/* No backlog: the current segment, capped by archive_timeout. */
	f = xstrfmt("%s,\"lsn\":%lld,\"walfile\":\"000000010000000000000010\","
	    "\"last_archived_wal\":\"00000001000000000000000F\","
	    "\"last_archived_time\":%f,\"ready_count\":0", ARCHIVING,
	    16 * SEG + 5000, NOW - 500);
	w = wal(f);
	free(f);
	wal_rpo(w, NOW, &r);
	assert_int_equal(r.bounded, 1);
	assert_true(r.seconds == 60);
	assert_int_equal(r.bytes, 5000);
	wal_unref(w);

	/* Nothing written since the switch: nothing at risk. */
	f = xstrfmt("%s,\"lsn\":%lld,\"last_archived_time\":%f,"
	    "\"ready_count\":0", ARCHIVING, 16 * SEG + 40, NOW - 500);
	w = wal(f);
	free(f);
	wal_rpo(w, NOW, &r);
	assert_true(r.seconds == 0);
	assert_int_equal(r.bytes, 0);
	wal_unref(w);

	/* A backlog: from the start of the oldest .ready segment. */
	f = xstrfmt("%s,\"lsn\":%lld,\"ready_count\":3,"
	    "\"ready_oldest_wal\":\"00000001000000000000000D\","
	    "\"ready_oldest_time\":%f,\"last_archived_time\":%f", ARCHIVING,
	    16 * SEG + 100, NOW - 30, NOW - 45);
	w = wal(f);
	free(f);
	wal_rpo(w, NOW, &r);
	assert_int_equal(r.bytes, 3 * SEG + 100);
	assert_true(r.seconds == 45);
	wal_unref(w);

	/* archive_timeout 0: unbounded on a quiet server. */
	w = wal("\"archive_mode\":\"on\",\"archive_command\":\"cp %p /x\","
	    "\"archive_timeout\":0,\"lsn\":268440000,\"ready_count\":0");
	wal_rpo(w, NOW, &r);
	assert_int_equal(r.bounded, 0);
	wal_unref(w);

	/* A standby: what it received and has not replayed. */
	f = xstrfmt("\"in_recovery\":1,\"lsn\":900000,\"replay_lsn\":850000,"
	    "\"replay_time\":%f", NOW - 2);
	w = wal(f);
	free(f);
	wal_rpo(w, NOW, &r);
	assert_int_equal(r.bytes, 50000);
	assert_true(r.seconds == 2);
	wal_unref(w);
}

/* A pgBackRest info whose archive max is 'max'. */
static struct bk_state *
pgbr(const char *max, int status)
{
	struct bk_run	*run = xcalloc(1, sizeof *run);

	run->tool = BK_PGBACKREST;
	run->what = xstrdup("info");
	run->command = xstrdup("pgbackrest info --output=json");
	run->output = xstrfmt("[{\"name\":\"demo\",\"status\":{\"code\":%d,"
	    "\"message\":\"%s\"},\"cipher\":\"none\",\"db\":[{\"id\":1,"
	    "\"system-id\":7300000000000000001,\"version\":\"15\"}],"
	    "\"archive\":[{\"database\":{\"id\":1,\"repo-key\":1},"
	    "\"id\":\"15-1\",\"min\":\"000000010000000000000001\","
	    "\"max\":\"%s\"}],\"backup\":[{\"label\":\"20261120-000000F\","
	    "\"type\":\"full\",\"prior\":null,\"reference\":null,"
	    "\"error\":false,\"timestamp\":{\"start\":%.0f,\"stop\":%.0f},"
	    "\"archive\":{\"start\":\"000000010000000000000002\","
	    "\"stop\":\"000000010000000000000002\"},\"database\":{\"id\":1,"
	    "\"repo-key\":1},\"info\":{\"size\":1000,\"delta\":1000,"
	    "\"repository\":{\"size\":500,\"delta\":500}}}],"
	    "\"repo\":[{\"key\":1,\"cipher\":\"none\",\"status\":{\"code\":0,"
	    "\"message\":\"ok\"}}]}]", status, status == 0 ? "ok" :
	    "other", max, NOW - 3600, NOW - 3500);
	run->len = strlen(run->output);
	run->fetched = NOW - 10;
	return bk_state_build(run, 1);
}

static const struct bk_finding *
finding(const struct bk_assessment *a, const char *name)
{
	size_t	i;

	for (i = 0; i < a->nfindings; i++) {
		if (strcmp(a->findings[i].name, name) == 0)
			return &a->findings[i];
	}
	return NULL;
}

/*
 * The case the pane exists for: pgBackRest says ok, the server fails to
 * archive, and the repository's archive max has stopped.
 */
static void
test_both_sides(void **state)
{
	struct bk_assessment	 a;
	struct walinfo		*w;
	struct bk_state		*st;
	const struct bk_finding	*f;
	char			*j;

	(void)state;
	j = xstrfmt("%s,\"lsn\":%lld,\"walfile\":\"000000010000000000000010\","
	    "\"last_archived_wal\":\"00000001000000000000000F\","
	    "\"last_archived_time\":%f,\"ready_count\":0", ARCHIVING,
	    16 * SEG + 4096, NOW - 20);
	w = wal(j);
	free(j);
	st = pgbr("00000001000000000000000F", 0);
	bk_assess(w, st, NULL, NOW, &a);
	assert_int_equal(a.level, BK_LEVEL_OK);
	assert_int_equal(a.repo_lag, 1);
	assert_null(finding(&a, "repo archive"));
	assert_non_null(strstr(a.status, "last good: full"));
	assert_non_null(strstr(a.status, "archiving OK 20s ago"));
	bk_assessment_release(&a);
	bk_state_unref(st);

	/* The tool still says ok, but its newest WAL is 6 segments old. */
	st = pgbr("00000001000000000000000A", 0);
	bk_assess(w, st, NULL, NOW, &a);
	assert_int_equal(a.level, BK_LEVEL_BAD);
	assert_int_equal(a.repo_lag, 6);
	f = finding(&a, "repo archive");
	assert_non_null(f);
	assert_int_equal(f->level, BK_LEVEL_BAD);
	assert_non_null(strstr(f->text, "though the tool says ok"));
	/* What is wrong leads the status line, for a narrow terminal. */
	assert_int_equal(strncmp(a.status, "repository WAL 6 segments behind"
	    " · last good: full", 50), 0);
	/* Worst first. */
	assert_int_equal(a.findings[0].level, BK_LEVEL_BAD);
	bk_assessment_release(&a);
	bk_state_unref(st);
	wal_unref(w);

	/* A stanza in error is red whatever the server says. */
	st = pgbr("00000001000000000000000F", 99);
	bk_assess(NULL, st, NULL, NOW, &a);
	assert_int_equal(a.level, BK_LEVEL_BAD);
	assert_non_null(finding(&a, "pgbackrest"));
	bk_assessment_release(&a);
	bk_state_unref(st);
}

static void
test_targets_and_slots(void **state)
{
	struct config_targets	 t = { 30, 1800, 0, 0, 60 };
	struct bk_assessment	 a;
	struct walinfo		*w;
	struct bk_state		*st;
	const struct bk_finding	*f;
	char			*j;

	(void)state;
	j = xstrfmt("%s,\"lsn\":%lld,\"walfile\":\"000000010000000000000010\","
	    "\"last_archived_wal\":\"00000001000000000000000F\","
	    "\"last_archived_time\":%f,\"ready_count\":0,\"max_slot_keep\":-1,"
	    "\"slots\":[{\"name\":\"old\",\"type\":\"physical\",\"active\":0,"
	    "\"wal_status\":\"reserved\",\"retained\":2000000000},"
	    "{\"name\":\"gone\",\"active\":0,\"wal_status\":\"lost\"}],"
	    "\"standbys\":[{\"name\":\"s1\",\"state\":\"streaming\","
	    "\"replay_lag\":90.0}]", ARCHIVING, 16 * SEG + 4096, NOW - 45);
	w = wal(j);
	free(j);
	st = pgbr("00000001000000000000000F", 0);
	bk_assess(w, st, &t, NOW, &a);
	/* RPO 45 s over a 30 s target; the full is 3500 s old, over 1800. */
	f = finding(&a, "RPO");
	assert_non_null(f);
	assert_int_equal(f->level, BK_LEVEL_BAD);
	assert_non_null(strstr(a.status, "RPO now 45s / target 30s"));
	/* Red parts first, in the order found; the green one after. */
	assert_true(strstr(a.status, "last good") < strstr(a.status, "RPO now"));
	assert_true(strstr(a.status, "slots:") < strstr(a.status, "archiving OK"));
	assert_int_equal(strncmp(a.status, "last good: full", 15), 0);
	f = finding(&a, "backups");
	assert_non_null(f);
	assert_non_null(strstr(f->text, "over the target"));
	f = finding(&a, "slot old");
	assert_non_null(f);
	assert_int_equal(f->level, BK_LEVEL_WARN);
	assert_non_null(strstr(f->text, "can fill the disk"));
	assert_int_equal(finding(&a, "slot gone")->level, BK_LEVEL_BAD);
	assert_non_null(finding(&a, "standby s1"));
	assert_non_null(strstr(a.status, "1 standby, max lag 1m30s"));
	assert_non_null(strstr(a.status, "slots: 2 inactive holding 1.9 GB"));
	bk_assessment_release(&a);
	bk_state_unref(st);
	wal_unref(w);
}

static void
test_guess_commands(void **state)
{
	struct config_backup	 cfg[2];
	struct bk_cmd		*c;
	char			 hint[300];
	size_t			 n;

	(void)state;
	n = bk_cmds_for(NULL, 0, NULL, NULL, "pgbackrest --config=/etc/x.conf"
	    " --stanza=main archive-push %p", &c, hint, sizeof hint);
	assert_int_equal(n, 1);
	assert_int_equal(c[0].tool, BK_PGBACKREST);
	assert_string_equal(c[0].command, "pgbackrest --config=/etc/x.conf"
	    " --stanza=main info --output=json");
	bk_cmds_free(c, n);
	n = bk_cmds_for(NULL, 0, NULL, NULL, "/usr/bin/pgbackrest archive-push"
	    " --stanza=main %p", &c, hint, sizeof hint);
	assert_string_equal(c[0].command, "/usr/bin/pgbackrest --stanza=main"
	    " info --output=json");
	bk_cmds_free(c, n);
	n = bk_cmds_for(NULL, 0, NULL, NULL, "envdir /etc/wal-g.d/env wal-g"
	    " wal-push %p", &c, hint, sizeof hint);
	assert_int_equal(c[0].tool, BK_WALG);
	assert_string_equal(c[0].command, "envdir /etc/wal-g.d/env wal-g"
	    " backup-list --detail --json");
	bk_cmds_free(c, n);
	/* A wrapper that only mentions archive-push is not guessed at. */
	n = bk_cmds_for(NULL, 0, NULL, NULL, "/usr/local/bin/ship archive-push"
	    " %p", &c, hint, sizeof hint);
	assert_int_equal(n, 0);
	assert_non_null(strstr(hint, "no backup tool configured"));
	bk_cmds_free(c, n);
	n = bk_cmds_for(NULL, 0, NULL, NULL, "barman-wal-archive bk pg %p", &c,
	    hint, sizeof hint);
	assert_int_equal(n, 0);
	assert_non_null(strstr(hint, "Barman"));
	bk_cmds_free(c, n);

	/* Configured ones win, matched by host:port or system id. */
	memset(cfg, 0, sizeof cfg);
	cfg[0].server = "db1:5432";
	cfg[0].tool = BK_BARMAN;
	cfg[0].what = "list-backups";
	cfg[0].command = "ssh bk barman -f json list-backups db1";
	cfg[1].server = "7300000000000000001";
	cfg[1].tool = BK_BARMAN;
	cfg[1].what = "check";
	cfg[1].command = "ssh bk barman -f json check db1";
	n = bk_cmds_for(cfg, 2, "db1:5432", "7300000000000000009",
	    "pgbackrest --stanza=x archive-push %p", &c, hint, sizeof hint);
	assert_int_equal(n, 1);
	assert_string_equal(c[0].what, "list-backups");
	bk_cmds_free(c, n);
	n = bk_cmds_for(cfg, 2, "db2:5432", "7300000000000000001", NULL, &c,
	    hint, sizeof hint);
	assert_int_equal(n, 1);
	assert_string_equal(c[0].what, "check");
	bk_cmds_free(c, n);
}

static void
test_config_lines(void **state)
{
	struct config	 cfg;
	struct keymap	*km = keymap_new();
	char		*cause = NULL;

	(void)state;
	config_init(&cfg);
	assert_int_equal(config_parse(&cfg, km,
	    "backup pgbackrest info pgbackrest --stanza=main info"
	    " --output=json  # not a comment to sh\n"
	    "backup @db1:5432 wal-g backup-list wal-g backup-list --json\n"
	    "set rpo-target 2m\nset full-backup-target 8d\n"
	    "set incr-backup-target off\n", "cfg", &cause), 0);
	assert_int_equal(cfg.nbackups, 2);
	assert_string_equal(cfg.backups[0].command, "pgbackrest --stanza=main"
	    " info --output=json  # not a comment to sh");
	assert_null(cfg.backups[0].server);
	assert_string_equal(cfg.backups[1].server, "db1:5432");
	assert_int_equal(cfg.backups[1].tool, BK_WALG);
	assert_true(cfg.targets.rpo == 120);
	assert_true(cfg.targets.full == 8 * 86400);
	assert_true(cfg.targets.incr == 0);
	assert_int_equal(config_parse(&cfg, km, "\nbackup pgbackrest list x\n",
	    "cfg", &cause), -1);
	assert_non_null(strstr(cause, "cfg:2: unknown backup tool and command"
	    " 'pgbackrest list'"));
	free(cause);
	assert_int_equal(config_parse(&cfg, km, "backup pgbackrest info\n",
	    "cfg", &cause), -1);
	assert_non_null(strstr(cause, "cfg:1: expected 'backup"));
	free(cause);
	assert_int_equal(config_parse(&cfg, km, "set rpo-target soon\n",
	    "cfg", &cause), -1);
	assert_non_null(strstr(cause, "rpo-target takes a duration"));
	free(cause);
	config_release(&cfg);
	keymap_free(km);
}

static void
test_runs(void **state)
{
	struct bk_cmd	 cmds[3] = {
		{ BK_PGBACKREST, "info", "echo 'not json'; exit 3" },
		{ BK_WALG, "backup-list", "no-such-tool-pgdeck --json" },
		/* The shell's child must die with it: the group is killed. */
		{ BK_BARMAN, "check", "sleep 30 & sleep 30; wait" },
	};
	struct bk_state	*st, *back;
	char		*json, *cause = NULL;
	time_t		 t0 = time(NULL);

	(void)state;
	st = bk_run_blocking(cmds, 3, 1.0);
	assert_true(time(NULL) - t0 < 10);
	assert_int_equal(st->nruns, 3);
	assert_int_equal(st->runs[0].status, 3);
	assert_int_equal(st->runs[1].status, 127);
	assert_int_equal(st->runs[2].status, -1);
	assert_int_equal(st->nerrors, 3);
	assert_non_null(strstr(st->errors[0], "pgbackrest info: exit 3"));
	assert_non_null(strstr(st->errors[1], "wal-g: not installed"));
	assert_non_null(strstr(st->errors[2], "barman check: timed out"));

	/* What history keeps reads back to the same verdicts. */
	json = bk_runs_to_json(st);
	back = bk_state_from_json(json, strlen(json), &cause);
	assert_non_null(back);
	assert_int_equal(back->nruns, 3);
	assert_int_equal(back->nerrors, 3);
	assert_string_equal(back->errors[0], st->errors[0]);
	assert_string_equal(back->runs[0].output, "not json\n");
	free(json);
	bk_state_unref(back);
	bk_state_unref(st);

	assert_null(bk_state_from_json("{\"v\":1,\"runs\":[{}]}", 19, &cause));
	assert_non_null(strstr(cause, "runs[0] is malformed"));
	free(cause);
	assert_null(wal_from_json("{\"v\":1,\"slots\":[3]}", 19, &cause));
	assert_non_null(strstr(cause, "slots[0] is not an object"));
	free(cause);
	assert_null(wal_from_json("{\"v\":1,\"lsn\":\"x\"}", 17, &cause));
	assert_non_null(strstr(cause, "lsn is of the wrong type"));
	free(cause);
	/* Two faults: the first is said, the second not leaked (fuzzed). */
	assert_null(wal_from_json("{\"v\":1,\"lsn\":\"x\",\"standbys\":[1]}",
	    32, &cause));
	assert_non_null(strstr(cause, "lsn is of the wrong type"));
	free(cause);
	assert_null(wal_from_json("{\"v\":1,\"lsn\":-7}", 16, &cause));
	assert_non_null(strstr(cause, "lsn: -7 out of range"));
	free(cause);
}

/*
 * A damaged document's segment name can be any 24 hex digits: the RPO
 * in bytes is then unknown, not an overflow (UBSan found it).
 */
static void
test_rpo_absurd_segment(void **state)
{
	struct wal_rpo	 r;
	struct walinfo	*w;
	char		*f;

	(void)state;
	f = xstrfmt("%s,\"lsn\":100,\"ready_count\":1,"
	    "\"ready_oldest_wal\":\"00000001FFFFFFFF000000FF\","
	    "\"walfile\":\"00000001FFFFFFFF000000FF\","
	    "\"last_archived_wal\":\"000000010000000000000001\"", ARCHIVING);
	w = wal(f);
	free(f);
	wal_rpo(w, NOW, &r);
	assert_int_equal(r.bytes, -1);
	wal_unref(w);
	f = xstrfmt("%s,\"lsn\":100,\"ready_count\":-1,"
	    "\"walfile\":\"00000001FFFFFFFF000000FF\","
	    "\"last_archived_wal\":\"000000010000000000000001\"", ARCHIVING);
	w = wal(f);
	free(f);
	wal_rpo(w, NOW, &r);
	assert_int_equal(r.bytes, -1);
	wal_unref(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_archiving_states),
		cmocka_unit_test(test_rpo),
		cmocka_unit_test(test_both_sides),
		cmocka_unit_test(test_targets_and_slots),
		cmocka_unit_test(test_guess_commands),
		cmocka_unit_test(test_config_lines),
		cmocka_unit_test(test_runs),
		cmocka_unit_test(test_rpo_absurd_segment),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
