/*
 * test_backup_parse.c - the backup tools' output: every sample in
 * tests/unit/backup_samples parses to the values it holds; cut, empty,
 * non-JSON and wrongly typed output fails with one line naming the tool,
 * the command and where, leaving the report as it was; several commands
 * merge into one repo; WAL names; and the analysis.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backup/backup.h"
#include "core/util.h"

#define DAY	86400.0
#define STRLEN	((size_t)-1)	/* parse_fails(): the text's strlen */

static char *
sample(const char *name, size_t *len)
{
	char	*path, *buf;
	int	 rc;

	path = xstrfmt("%s/tests/unit/backup_samples/%s", PGDECK_SOURCE_DIR,
	    name);
	rc = read_file(path, &buf, len, 1u << 24);
	if (rc == -1)
		fail_msg("cannot read %s", path);
	free(path);
	return buf;
}

/* Parse a sample into 'r'; the test fails with the message if it does. */
static void
parse_ok(struct bk_report *r, enum bk_tool tool, const char *what,
    const char *name)
{
	size_t	 len;
	char	*text = sample(name, &len), *err = NULL;

	if (bk_parse(r, tool, what, text, len, &err) != 0)
		fail_msg("%s: %s", name, err);
	assert_null(err);
	free(text);
}

/* Parsing must fail with exactly 'want' (or a message starting 'pfx'). */
static void
parse_fails(enum bk_tool tool, const char *what, const char *text,
    size_t len, const char *want)
{
	struct bk_report	 r;
	char			*err = NULL;

	if (len == STRLEN)
		len = strlen(text);
	bk_report_init(&r);
	assert_int_equal(bk_parse(&r, tool, what, text, len, &err), -1);
	assert_non_null(err);
	assert_null(strchr(err, '\n'));
	assert_int_equal(r.nrepos, 0);
	if (want != NULL && strcmp(err, want) != 0)
		fail_msg("got '%s', want '%s'", err, want);
	free(err);
	bk_report_release(&r);
}

static void
test_pgbackrest_info(void **state)
{
	struct bk_report	 r;
	struct bk_repo		*s;
	struct bk_backup	*b;

	(void)state;
	bk_report_init(&r);
	parse_ok(&r, BK_PGBACKREST, "info", "pgbackrest_info.json");
	assert_int_equal(r.nrepos, 1);
	s = bk_report_find(&r, BK_PGBACKREST, "demo");
	assert_non_null(s);
	assert_int_equal(s->ok, 1);
	assert_int_equal(s->status_code, BK_PGBR_OK);
	assert_string_equal(s->status_msg, "ok");
	assert_string_equal(s->cipher, "none");
	assert_string_equal(s->pg_version, "15");
	assert_true(s->system_id == UINT64_C(7710524182014595596));
	assert_string_equal(s->archive_min, "000000010000000000000001");
	assert_string_equal(s->archive_max, "000000010000000000000006");
	assert_int_equal(s->narchives, 1);
	assert_string_equal(s->archives[0].id, "15-1");
	assert_int_equal(s->nchecks, 1);
	assert_string_equal(s->checks[0].name, "repo1 (none)");
	assert_int_equal(s->checks[0].ok, 1);
	assert_int_equal(s->nbackups, 3);

	b = &s->backups[0];
	assert_string_equal(b->label, "20261121-073150F");
	assert_int_equal(b->type, BK_FULL);
	assert_null(b->prior);
	assert_int_equal(b->nrefs, 0);
	assert_true(b->start == 1795246310 && b->stop == 1795246315);
	assert_true(b->db_size == 32184796 && b->delta_size == 32184796);
	assert_true(b->repo_size == 6949554 && b->repo_delta == 6949554);
	assert_string_equal(b->wal_start, "000000010000000000000002");
	assert_string_equal(b->wal_stop, "000000010000000000000002");
	assert_true(b->lsn_start == 0x2000028 && b->lsn_stop == 0x2000100);
	assert_int_equal(b->timeline, 1);
	assert_int_equal(b->error, 0);
	assert_string_equal(b->database, "1");

	b = &s->backups[1];
	assert_int_equal(b->type, BK_DIFF);
	assert_string_equal(b->prior, "20261121-073150F");
	assert_int_equal(b->nrefs, 1);

	b = &s->backups[2];
	assert_string_equal(b->label, "20261121-073150F_20261121-073159I");
	assert_int_equal(b->type, BK_INCR);
	assert_string_equal(b->prior, "20261121-073150F_20261121-073156D");
	assert_int_equal(b->nrefs, 2);
	assert_string_equal(b->annotation, "source=pgdeck-sample");
	bk_report_release(&r);
}

static void
test_pgbackrest_states(void **state)
{
	struct bk_report	 r;
	struct bk_repo		*s;

	(void)state;
	bk_report_init(&r);
	parse_ok(&r, BK_PGBACKREST, "info", "pgbackrest_missing.json");
	s = &r.repos[0];
	assert_int_equal(s->status_code, BK_PGBR_MISSING_STANZA_PATH);
	assert_int_equal(s->ok, 0);
	assert_string_equal(s->status_msg, "missing stanza path");
	assert_null(s->archive_max);
	assert_int_equal(s->nbackups, 0);

	/* The same stanza again replaces it. */
	parse_ok(&r, BK_PGBACKREST, "info", "pgbackrest_empty.json");
	assert_int_equal(r.nrepos, 1);
	s = &r.repos[0];
	assert_int_equal(s->status_code, BK_PGBR_NO_BACKUP);
	assert_string_equal(s->status_msg, "no valid backups");
	assert_null(s->archive_min);
	assert_string_equal(s->pg_version, "15");

	parse_ok(&r, BK_PGBACKREST, "info", "pgbackrest_set.json");
	s = &r.repos[0];
	assert_int_equal(s->nbackups, 1);
	assert_string_equal(s->backups[0].label, "20261121-073150F");

	parse_ok(&r, BK_PGBACKREST, "info", "pgbackrest_corrupt.json");
	s = &r.repos[0];
	assert_int_equal(s->status_code, BK_PGBR_OTHER);
	assert_string_equal(s->status_msg, "other");
	assert_int_equal(s->checks[0].ok, 0);
	assert_non_null(strstr(s->checks[0].detail, "[FormatError] unable"));
	assert_null(strchr(s->checks[0].detail, '\n'));
	bk_report_release(&r);
}

static void
test_pgbackrest_errors(void **state)
{
	size_t	 len;
	char	*text;

	(void)state;
	text = sample("pgbackrest_error.out", &len);
	parse_fails(BK_PGBACKREST, "info", text, len, "pgbackrest info: not "
	    "JSON: \"ERROR: [032]: key '3' is not valid for 'repo' option\"");
	free(text);
	parse_fails(BK_PGBACKREST, "info", "", 0, "pgbackrest info: empty "
	    "output");
	parse_fails(BK_PGBACKREST, "info", " \n\t", 3, "pgbackrest info: "
	    "empty output");
	parse_fails(BK_PGBACKREST, "info", "[]", 2, "pgbackrest info: no "
	    "stanza in the output");
	parse_fails(BK_PGBACKREST, "info", "{}", 2, "pgbackrest info: expected "
	    "an array of stanzas, found an object");
	parse_fails(BK_PGBACKREST, "info", "[\n{\"name\": \"x\",\n\"status\": "
	    "{\"code\": 0", STRLEN, "pgbackrest info: line 3, column 20: "
	    "'}' expected near end of file");
#define WRONG(js, msg) parse_fails(BK_PGBACKREST, "info", js, strlen(js), msg)
	WRONG("[{\"status\": {\"code\": 0}}]",
	    "pgbackrest info: [0].name: missing");
	WRONG("[{\"name\": \"d\", \"status\": {\"code\": \"0\"}}]",
	    "pgbackrest info: [0].status.code: expected a number, found a "
	    "string");
	WRONG("[{\"name\": \"d\", \"status\": {\"code\": 0}, \"backup\": [{"
	    "\"label\": \"L\", \"type\": \"full\"}, {\"label\": \"M\", "
	    "\"type\": \"incr\", \"timestamp\": {\"start\": \"x\"}}]}]",
	    "pgbackrest info: [0].backup[1].timestamp.start: expected a "
	    "number, found a string");
	WRONG("[{\"name\": \"d\", \"status\": {\"code\": 0}, \"backup\": 3}]",
	    "pgbackrest info: [0].backup: expected an array, found a number");
	WRONG("[{\"name\": \"d\", \"status\": {\"code\": 0}, \"backup\": [{"
	    "\"label\": \"L\", \"type\": \"full\", \"info\": {\"size\": -5}}]}]",
	    "pgbackrest info: [0].backup[0].info.size: negative size -5");
	/* A second stanza that fails leaves the first one out too. */
	WRONG("[{\"name\": \"a\", \"status\": {\"code\": 0}}, {\"name\": 7}]",
	    "pgbackrest info: [1].name: expected a string, found a number");
#undef WRONG
}

/* Every cut of every sample fails cleanly (or parses, if still whole). */
static void
cut_everywhere(enum bk_tool tool, const char *what, const char *name)
{
	struct bk_report	 r;
	size_t			 len, cut;
	char			*text = sample(name, &len), *err, *pfx;
	int			 nfail = 0;

	pfx = xstrfmt("%s %s: ", bk_tool_name(tool), what);
	for (cut = 0; cut < len; cut++) {
		bk_report_init(&r);
		err = NULL;
		if (bk_parse(&r, tool, what, text, cut, &err) == -1) {
			assert_non_null(err);
			assert_null(strchr(err, '\n'));
			if (strncmp(err, pfx, strlen(pfx)) != 0)
				fail_msg("%s cut at %zu: %s", name, cut, err);
			assert_int_equal(r.nrepos, 0);
			nfail++;
			free(err);
		} else
			assert_null(err);
		bk_report_release(&r);
	}
	/* Only a cut in the trailing newline can still parse. */
	assert_true(nfail >= (int)len - 2);
	free(pfx);
	free(text);
}

static void
test_truncated(void **state)
{
	struct bk_report	 r;
	size_t			 len;
	char			*text, *err = NULL;

	(void)state;
	cut_everywhere(BK_PGBACKREST, "info", "pgbackrest_info.json");
	cut_everywhere(BK_PGBACKREST, "info", "pgbackrest_missing.json");
	cut_everywhere(BK_WALG, "backup-list", "walg_backup-list_detail.json");
	cut_everywhere(BK_WALG, "wal-verify", "walg_wal-verify.upstream.json");
	cut_everywhere(BK_BARMAN, "list-backups",
	    "barman_list-backups_3.11.json");
	cut_everywhere(BK_BARMAN, "check", "barman_check.json");
	cut_everywhere(BK_BARMAN, "status", "barman_status.json");

	/* The message says where the output ended. */
	text = sample("pgbackrest_info.json", &len);
	bk_report_init(&r);
	assert_int_equal(bk_parse(&r, BK_PGBACKREST, "info", text, 100, &err),
	    -1);
	assert_string_equal(err, "pgbackrest info: line 8, column 4: "
	    "'}' expected near end of file");
	free(err);
	assert_int_equal(bk_parse(&r, BK_PGBACKREST, "info", text, 600, &err),
	    -1);
	assert_non_null(strstr(err, "pgbackrest info: line 30, column 21: "));
	free(err);
	bk_report_release(&r);
	free(text);
}

static void
test_walg_backup_list(void **state)
{
	struct bk_report	 r;
	struct bk_repo		*w;
	struct bk_backup	*b;

	(void)state;
	bk_report_init(&r);
	parse_ok(&r, BK_WALG, "backup-list",
	    "walg_backup-list_detail.upstream.json");
	w = bk_report_find(&r, BK_WALG, "wal-g");
	assert_non_null(w);
	assert_int_equal(w->nbackups, 11);
	b = &w->backups[0];
	assert_string_equal(b->label, "base_000000430000030600000060");
	assert_int_equal(b->type, BK_FULL);
	assert_null(b->prior);
	/* 2025-12-20T02:00:01.793015Z */
	assert_true(fabs(b->start - 1766196001.793015) < 1e-5);
	assert_true(fabs(b->stop - 1766196018.538578) < 1e-5);
	assert_true(b->db_size == 2604967632 && b->delta_size == 2604967632);
	assert_true(b->repo_size == 858502390);
	assert_string_equal(b->wal_start, "000000430000030600000060");
	assert_string_equal(b->wal_stop, "000000430000030600000060");
	assert_int_equal(b->timeline, 0x43);
	assert_string_equal(b->host, "superpg");
	assert_string_equal(b->database, "/pgroot/data");
	assert_string_equal(b->pg_version, "150015");
	assert_true(b->lsn_start == UINT64_C(3325915299880));
	assert_int_equal(b->permanent, 0);
	assert_int_equal(b->error, 0);

	b = &w->backups[5];
	assert_string_equal(b->label,
	    "base_0000004300000388000000AC_D_000000430000038500000003");
	assert_int_equal(b->type, BK_INCR);
	assert_string_equal(b->prior, "base_000000430000038500000003");
	assert_true(b->db_size == -1 && b->delta_size == 928772120);
	assert_int_equal(w->backups[10].timeline, 0x44);

	/* Another listing replaces the backups; without --detail. */
	parse_ok(&r, BK_WALG, "backup-list", "walg_backup-list.json");
	assert_int_equal(r.nrepos, 1);
	w = &r.repos[0];
	assert_int_equal(w->nbackups, 2);
	b = &w->backups[1];
	assert_int_equal(b->type, BK_INCR);
	assert_true(isnan(b->start));
	assert_true(fabs(b->stop - 1714618812.503) < 1e-3);
	assert_null(b->wal_stop);

	parse_ok(&r, BK_WALG, "backup-list", "walg_backup-list_detail.json");
	w = &r.repos[0];
	assert_int_equal(w->nbackups, 3);
	assert_int_equal(w->backups[0].permanent, 1);
	assert_string_equal(w->backups[0].wal_stop, "000000010000000A00000015");
	/* No metadata (zero times): listed last, in error. */
	b = &w->backups[2];
	assert_string_equal(b->label, "base_000000010000000A00000050");
	assert_int_equal(b->error, 1);
	assert_non_null(strstr(b->error_msg, "sentinel"));
	assert_true(isnan(b->start) && isnan(b->stop));
	bk_report_release(&r);
}

static void
test_walg_wal_verify(void **state)
{
	struct bk_report	 r;
	struct bk_repo		*w;
	size_t			 len;
	char			*text;

	(void)state;
	bk_report_init(&r);
	parse_ok(&r, BK_WALG, "backup-list", "walg_backup-list.json");
	parse_ok(&r, BK_WALG, "wal-verify", "walg_wal-verify.upstream.json");
	assert_int_equal(r.nrepos, 1);
	w = &r.repos[0];
	assert_int_equal(w->nbackups, 2);	/* kept from backup-list */
	assert_int_equal(w->have, BK_HAVE_BACKUPS | BK_HAVE_VERIFY);
	assert_int_equal(w->ok, 0);
	assert_int_equal(w->nchecks, 2);
	assert_string_equal(w->checks[0].name, "integrity");
	assert_int_equal(w->checks[0].ok, 0);
	assert_string_equal(w->checks[0].detail, "FAILURE: MISSING_LOST "
	    "000000430000030600000060 (1 segment)");
	assert_string_equal(w->checks[1].name, "timeline");
	assert_int_equal(w->checks[1].ok, 1);
	assert_string_equal(w->checks[1].detail,
	    "current 68, highest in storage 68");
	assert_string_equal(w->archive_min, "000000430000030600000061");
	assert_string_equal(w->archive_max, "0000004400000388000000E9");

	parse_ok(&r, BK_WALG, "wal-verify", "walg_wal-verify_ok.json");
	w = &r.repos[0];
	assert_int_equal(w->ok, 1);
	assert_null(w->checks[0].detail);
	assert_string_equal(w->archive_max, "000000010000000A00000061");
	bk_report_release(&r);

	text = sample("walg_error.out", &len);
	parse_fails(BK_WALG, "backup-list", text, len, "wal-g backup-list: not "
	    "JSON: \"ERROR: 2024/05/02 09:12:44.123456 failed to list s3 "
	    "folder: NoSuchBucket...\"");
	free(text);
	parse_fails(BK_WALG, "wal-verify", "{}", 2, "wal-g wal-verify: neither "
	    "\"integrity\" nor \"timeline\" in the output");
	parse_fails(BK_WALG, "wal-verify", "{\"integrity\": {\"status\": \"OK\", "
	    "\"details\": [{\"status\": \"FOUND\"}]}}", STRLEN, "wal-g wal-verify: "
	    "integrity.details[0].start_segment: missing");
	parse_fails(BK_WALG, "backup-list", "[{\"backup_name\": \"b\", "
	    "\"time\": \"yesterday\"}]", STRLEN, "wal-g backup-list: [0].time: not a "
	    "time: \"yesterday\"");
	parse_fails(BK_WALG, "backup-list",
	    "[{\"backup_name\": \"b\", \"time\": 1}]", STRLEN,
	    "wal-g backup-list: [0].time: expected a string, found a number");
	parse_fails(BK_WALG, "backup-list", "[{}]", 4,
	    "wal-g backup-list: [0].backup_name: missing");
}

static void
test_barman(void **state)
{
	struct bk_report	 r;
	struct bk_repo		*m;
	struct bk_backup	*b;

	(void)state;
	bk_report_init(&r);
	parse_ok(&r, BK_BARMAN, "list-backups", "barman_list-backups.json");
	m = bk_report_find(&r, BK_BARMAN, "pg");
	assert_non_null(m);
	assert_int_equal(m->nbackups, 1);
	b = &m->backups[0];
	assert_string_equal(b->label, "20240622T084702");
	assert_int_equal(b->type, BK_FULL);
	assert_true(b->stop == 1719046030 && isnan(b->start));
	assert_true(b->repo_size == 55210398 && b->wal_size == 33554432);
	assert_string_equal(b->status, "DONE");
	assert_null(b->annotation);	/* retention "-" */
	assert_string_equal(b->database, "pg");

	parse_ok(&r, BK_BARMAN, "check", "barman_check.json");
	parse_ok(&r, BK_BARMAN, "status", "barman_status.json");
	assert_int_equal(r.nrepos, 1);
	m = &r.repos[0];
	assert_int_equal(m->nbackups, 1);
	assert_int_equal(m->nchecks, 22);
	assert_int_equal(m->ok, 1);
	assert_string_equal(m->checks[6].name,
	    "minimum redundancy requirements");
	assert_string_equal(m->checks[6].detail,
	    "have 1 backups, expected at least 0");
	assert_null(m->checks[3].detail);
	assert_int_equal(m->nprops, 14);
	assert_string_equal(m->props[3].key, "current_xlog");
	assert_string_equal(m->props[3].label, "Current WAL segment");
	assert_string_equal(m->props[3].value, "000000010000000000000006");
	assert_string_equal(m->pg_version, "16.3");
	assert_string_equal(m->archive_max, "000000010000000000000005");
	assert_int_equal(m->have,
	    BK_HAVE_BACKUPS | BK_HAVE_CHECK | BK_HAVE_STATUS);

	parse_ok(&r, BK_BARMAN, "check", "barman_check_failed.json");
	m = &r.repos[0];
	assert_int_equal(m->ok, 0);
	assert_int_equal(m->nchecks, 7);
	assert_int_equal(m->checks[0].ok, 0);
	assert_string_equal(m->checks[0].detail, "duplicates: 2");

	parse_ok(&r, BK_BARMAN, "list-backups",
	    "barman_list-backups_3.11.json");
	m = &r.repos[0];
	assert_int_equal(m->nbackups, 5);
	assert_int_equal(m->backups[1].type, BK_INCR);
	assert_null(m->backups[1].prior);
	assert_int_equal(m->backups[2].error, 1);
	assert_string_equal(m->backups[2].status, "FAILED");
	assert_int_equal(m->backups[3].type, BK_FULL);	/* rsync */
	assert_int_equal(m->backups[3].permanent, 1);
	assert_string_equal(m->backups[3].annotation,
	    "before-upgrade, retention KEEP:FULL");
	assert_int_equal(m->backups[4].incomplete, 1);
	assert_int_equal(m->backups[4].error, 0);
	bk_report_release(&r);
}

static void
test_barman_errors(void **state)
{
	size_t	 len;
	char	*text;

	(void)state;
	text = sample("barman_error.json", &len);
	parse_fails(BK_BARMAN, "check", text, len,
	    "barman check: Unknown server 'nosuch'");
	free(text);
	parse_fails(BK_BARMAN, "status", "{}", 2,
	    "barman status: no server in the output");
	parse_fails(BK_BARMAN, "status", "[]", 2, "barman status: expected "
	    "an object keyed by server, found an array");
	parse_fails(BK_BARMAN, "list-backups", "{\"pg\": {}}", 10,
	    "barman list-backups: pg: expected an array of backups, found an "
	    "object");
	parse_fails(BK_BARMAN, "list-backups", "{\"pg\": [{\"backup_id\": \"x\", "
	    "\"end_time_timestamp\": \"soon\"}]}", STRLEN, "barman list-backups: "
	    "pg[0].end_time_timestamp: not a timestamp: \"soon\"");
	parse_fails(BK_BARMAN, "check", "{\"pg\": {\"wal_level\": {\"hint\": "
	    "\"\"}}}", STRLEN, "barman check: pg.wal_level.status: missing");
	parse_fails(BK_BARMAN, "check", "EXCEPTION: boom\r\nmore", 21,
	    "barman check: not JSON: \"EXCEPTION: boom\"");
	parse_fails(BK_BARMAN, "nonsense", "{}", 2,
	    "barman: no parser for 'nonsense'");
}

static void
test_walname(void **state)
{
	uint32_t	tli;
	uint64_t	segno;
	char		buf[32];

	(void)state;
	assert_int_equal(bk_walname_parse("000000430000030600000060",
	    BK_WAL_SEG_SIZE, &tli, &segno), 0);
	assert_int_equal(tli, 0x43);
	assert_true(segno == UINT64_C(0x306) * 256 + 0x60);
	bk_walname_format(buf, sizeof buf, tli, segno, BK_WAL_SEG_SIZE);
	assert_string_equal(buf, "000000430000030600000060");
	/* 64 MB segments: 64 per "log", Y below 0x40. */
	assert_int_equal(bk_walname_parse("00000001000000020000003F",
	    64u << 20, &tli, &segno), 0);
	assert_true(segno == 2 * 64 + 63);
	bk_walname_format(buf, sizeof buf, 1, segno, 64u << 20);
	assert_string_equal(buf, "00000001000000020000003F");
	assert_int_equal(bk_walname_parse("000000010000000200000040",
	    64u << 20, &tli, &segno), -1);
	assert_int_equal(bk_walname_parse("00000001000000000000000",
	    BK_WAL_SEG_SIZE, &tli, &segno), -1);
	assert_int_equal(bk_walname_parse("0000000100000000000000G1",
	    BK_WAL_SEG_SIZE, &tli, &segno), -1);
	assert_int_equal(bk_walname_parse("000000010000000000000001",
	    3u << 20, &tli, &segno), -1);
	assert_int_equal(bk_walname_parse(NULL, BK_WAL_SEG_SIZE, &tli,
	    &segno), -1);
	assert_int_equal(bk_lsn_parse("16/B374D848", &segno), 0);
	assert_true(segno == (UINT64_C(0x16) << 32 | 0xB374D848));
	assert_int_equal(bk_lsn_parse("16B374D848", &segno), -1);
	assert_int_equal(bk_lsn_parse("/1", &segno), -1);
	assert_string_equal(bk_tool_name(BK_WALG), "wal-g");
	assert_string_equal(bk_type_name(BK_DIFF), "diff");
	assert_string_equal(bk_type_name(BK_TYPE_UNKNOWN), "?");
}

/* A repo built by hand: one backup a day at 01:00, 'n' of them. */
static void
add_backup(struct bk_repo *r, const char *label, enum bk_type type,
    const char *prior, double start, int64_t size)
{
	struct bk_backup	*b;

	r->backups = xrealloc(r->backups,
	    (r->nbackups + 1) * sizeof *r->backups);
	b = &r->backups[r->nbackups++];
	memset(b, 0, sizeof *b);
	b->label = xstrdup(label);
	b->type = type;
	b->prior = prior != NULL ? xstrdup(prior) : NULL;
	b->start = start;
	b->stop = start + 600;
	b->db_size = type == BK_FULL ? size : 1000000;
	b->delta_size = size;
	b->repo_size = b->repo_delta = b->wal_size = -1;
}

static struct bk_report
hand_repo(void)
{
	struct bk_report	 rep;
	struct bk_repo		*r;

	bk_report_init(&rep);
	rep.repos = xcalloc(1, sizeof *rep.repos);
	rep.nrepos = 1;
	r = &rep.repos[0];
	r->tool = BK_PGBACKREST;
	r->name = xstrdup("hand");
	r->ok = 1;
	return rep;
}

static void
test_analyse_empty(void **state)
{
	struct bk_report	 rep = hand_repo();
	struct bk_analyse_opts	 o;
	struct bk_analysis	 a;

	(void)state;
	bk_analyse_opts_init(&o, 100 * DAY);
	bk_analyse(&rep.repos[0], &o, &a);
	assert_int_equal(a.nb, 0);
	assert_true(a.last_any == BK_NONE && a.last[BK_FULL] == BK_NONE);
	assert_true(isnan(a.last_age) && isnan(a.pitr_start));
	assert_int_equal(a.pitr_end_from, BK_PITR_NONE);
	assert_int_equal(a.nrestorable, 0);
	assert_int_equal(a.archive_lag, -1);
	bk_analysis_release(&a);
	bk_report_release(&rep);
}

static void
test_analyse_chain_and_trend(void **state)
{
	struct bk_report	 rep = hand_repo();
	struct bk_repo		*r = &rep.repos[0];
	struct bk_analyse_opts	 o;
	struct bk_analysis	 a;

	(void)state;
	add_backup(r, "F1", BK_FULL, NULL, 1 * DAY, 1000);
	add_backup(r, "I1", BK_INCR, "F1", 2 * DAY, 100);
	add_backup(r, "I2", BK_INCR, "I1", 3 * DAY, 130);	/* +30 % */
	add_backup(r, "F2", BK_FULL, NULL, 4 * DAY, 1190);	/* +19 % */
	r->backups[3].error = 1;
	add_backup(r, "I3", BK_INCR, "F2", 5 * DAY, 100);	/* on failed */
	add_backup(r, "I4", BK_INCR, "I3", 6 * DAY, 100);	/* on broken */
	add_backup(r, "I5", BK_INCR, "GONE", 7 * DAY, 100);	/* missing */
	add_backup(r, "F3", BK_FULL, NULL, 8 * DAY, 700);	/* -30 % */
	add_backup(r, "D1", BK_DIFF, "F3", 9 * DAY, 50);
	r->archive_max = xstrdup("000000010000000000000009");
	r->backups[8].wal_stop = xstrdup("000000010000000000000008");

	bk_analyse_opts_init(&o, 9 * DAY + 3600);
	o.current_wal = "00000001000000000000000C";
	bk_analyse(r, &o, &a);
	assert_int_equal(a.nb, 9);
	assert_int_equal(a.nrestorable, 5);
	assert_int_equal(a.nfailed, 1);
	assert_int_equal(a.nbroken, 3);
	assert_string_equal(a.b[3].why, "failed");
	assert_string_equal(a.b[4].why, "prior not restorable");
	assert_string_equal(a.b[5].why, "prior not restorable");
	assert_string_equal(a.b[6].why, "prior missing");
	assert_true(a.b[7].restorable && a.b[8].restorable);
	assert_int_equal(a.count[BK_FULL], 2);
	assert_int_equal(a.count[BK_INCR], 2);
	assert_int_equal(a.count[BK_DIFF], 1);
	assert_int_equal(a.oldest[BK_FULL], 0);
	assert_int_equal(a.last[BK_FULL], 7);
	assert_int_equal(a.last[BK_INCR], 2);
	assert_int_equal(a.last_any, 8);
	assert_true(fabs(a.last_age - 3000) < 1e-6);

	/* Growth and shrink past 20 %, against the same type only. */
	assert_true(isnan(a.b[0].size_change) && isnan(a.b[1].size_change));
	assert_true(fabs(a.b[2].size_change - 0.30) < 1e-9);
	assert_int_equal(a.b[2].size_flag, 1);
	assert_true(fabs(a.b[7].size_change + 0.30) < 1e-9);	/* vs F1 */
	assert_int_equal(a.b[7].size_flag, -1);
	assert_int_equal(a.ntrends, 2);

	/* Window: F1's stop to now (the archive reaches past D1). */
	assert_true(a.pitr_start == 1 * DAY + 600);
	assert_int_equal(a.pitr_end_from, BK_PITR_NOW);
	assert_true(a.pitr_end == o.now);
	assert_int_equal(a.archive_lag, 3);
	bk_analysis_release(&a);

	/* Known archive time; then an archive short of the newest backup. */
	o.archive_time = 9 * DAY + 1800;
	bk_analyse(r, &o, &a);
	assert_int_equal(a.pitr_end_from, BK_PITR_ARCHIVED);
	assert_true(a.pitr_end == 9 * DAY + 1800);
	bk_analysis_release(&a);
	free(r->archive_max);
	r->archive_max = xstrdup("000000010000000000000007");
	bk_analyse(r, &o, &a);
	assert_int_equal(a.pitr_end_from, BK_PITR_BACKUP);
	assert_true(a.pitr_end == 9 * DAY + 600);
	bk_analysis_release(&a);
	free(r->archive_max);
	r->archive_max = NULL;
	bk_analyse(r, &o, &a);
	assert_int_equal(a.pitr_end_from, BK_PITR_BACKUP);
	bk_analysis_release(&a);
	bk_report_release(&rep);
}

static void
test_analyse_gaps(void **state)
{
	struct bk_report	 rep = hand_repo();
	struct bk_repo		*r = &rep.repos[0];
	struct bk_analyse_opts	 o;
	struct bk_analysis	 a;
	char			 l[8];
	int			 d;

	(void)state;
	/* Daily, then a five-day hole before day 10. */
	for (d = 1; d <= 12; d++) {
		if (d >= 6 && d <= 9)
			continue;
		snprintf(l, sizeof l, "F%d", d);
		add_backup(r, l, BK_FULL, NULL, d * DAY, 1000);
	}
	bk_analyse_opts_init(&o, 12 * DAY + 3600);
	bk_analyse(r, &o, &a);
	assert_true(a.usual_interval == DAY);
	assert_int_equal(a.ngaps, 1);
	assert_int_equal(a.b[5].gap, 1);		/* F10 */
	assert_true(a.b[5].interval == 5 * DAY);
	assert_int_equal(a.b[6].gap, 0);
	assert_true(isnan(a.b[0].interval));
	assert_int_equal(a.overdue, 0);
	bk_analysis_release(&a);

	/* Three days since the last: overdue. */
	o.now = 15 * DAY;
	bk_analyse(r, &o, &a);
	assert_int_equal(a.overdue, 1);
	bk_analysis_release(&a);
	bk_report_release(&rep);
}

/* The samples through the analysis: the figures the pane will show. */
static void
test_analyse_samples(void **state)
{
	struct bk_report	 r;
	struct bk_analyse_opts	 o;
	struct bk_analysis	 a;
	struct bk_repo		*w;

	(void)state;
	bk_report_init(&r);
	parse_ok(&r, BK_PGBACKREST, "info", "pgbackrest_info.json");
	bk_analyse_opts_init(&o, 1795246315 + 60);
	bk_analyse(&r.repos[0], &o, &a);
	assert_int_equal(a.nrestorable, 3);
	assert_int_equal(a.last[BK_DIFF], 1);
	assert_true(a.pitr_start == 1795246315);
	assert_int_equal(a.pitr_end_from, BK_PITR_NOW);
	bk_analysis_release(&a);
	bk_report_release(&r);

	bk_report_init(&r);
	parse_ok(&r, BK_WALG, "backup-list",
	    "walg_backup-list_detail.upstream.json");
	parse_ok(&r, BK_WALG, "wal-verify", "walg_wal-verify.upstream.json");
	w = &r.repos[0];
	bk_analyse_opts_init(&o, w->backups[10].stop + 3600);
	bk_analyse(w, &o, &a);
	assert_int_equal(a.nrestorable, 11);
	assert_int_equal(a.nchecks_failed, 1);
	assert_int_equal(a.last_any, 10);
	/* Delta backups: 2 MB after 399 MB, flagged as a shrink. */
	assert_int_equal(a.b[8].size_flag, -1);
	bk_analysis_release(&a);
	bk_report_release(&r);

	bk_report_init(&r);
	parse_ok(&r, BK_BARMAN, "list-backups", "barman_list-backups_3.11.json");
	bk_analyse_opts_init(&o, 1720141498 + 60);
	bk_analyse(&r.repos[0], &o, &a);
	assert_int_equal(a.nrestorable, 3);
	assert_int_equal(a.nfailed, 1);
	assert_string_equal(a.b[4].why, "unfinished");
	assert_int_equal(a.last_any, 3);
	bk_analysis_release(&a);
	bk_report_release(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pgbackrest_info),
		cmocka_unit_test(test_pgbackrest_states),
		cmocka_unit_test(test_pgbackrest_errors),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_walg_backup_list),
		cmocka_unit_test(test_walg_wal_verify),
		cmocka_unit_test(test_barman),
		cmocka_unit_test(test_barman_errors),
		cmocka_unit_test(test_walname),
		cmocka_unit_test(test_analyse_empty),
		cmocka_unit_test(test_analyse_chain_and_trend),
		cmocka_unit_test(test_analyse_gaps),
		cmocka_unit_test(test_analyse_samples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
