/*
 * parse_walg.c - wal-g backup-list --json [--detail] and
 * wal-g wal-verify integrity timeline --json.
 *
 * backup-list prints an array of backups: "backup_name", "time" (when
 * the backup's sentinel was written), "wal_file_name" (older releases:
 * "wal_segment_backup_start"); --detail adds "start_time", "finish_time",
 * "hostname", "data_dir", "pg_version", "start_lsn", "finish_lsn",
 * "is_permanent", "system_identifier", "uncompressed_size" and
 * "compressed_size".  A delta backup is named base_<wal>_D_<base wal>:
 * it is BK_INCR on base_<base wal>.  Its sizes are its own, not the
 * database's.  A backup whose metadata could not be read is listed with
 * Go's zero time (year 1) and empty fields: it is marked in error.
 *
 * wal-verify prints {"integrity": {status, details[]}, "timeline":
 * {status, details}}: each becomes a check; the integrity ranges found
 * give the archive span.  Both merge into the repo named "wal-g".
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bk_int.h"

#include "../core/banned.h"

#define WALG_REPO	"wal-g"

/* A time field: NAN absent; Go's zero time (year 1) flags no metadata. */
static int
walg_time(struct bkj *c, json_t *o, const char *key, double *out, int *zero)
{
	char	*s = NULL;

	if (bkj_str(c, o, key, &s, 0) == -1)
		return -1;
	if (s == NULL)
		return 0;
	if (strncmp(s, "0001-01-01", 10) == 0) {
		*zero = 1;
		free(s);
		return 0;
	}
	if (bk_time_parse(s, out) == -1) {
		bkj_fail_at(c, key, "not a time: \"%.40s\"", s);
		free(s);
		return -1;
	}
	free(s);
	return 0;
}

/* The stop segment from finish_lsn, if the start agrees on 16 MB. */
static void
walg_stop_segment(struct bk_backup *b)
{
	uint32_t	tli;
	uint64_t	segno;
	char		buf[32];

	if (b->wal_start == NULL || b->lsn_start == 0 || b->lsn_stop == 0 ||
	    bk_walname_parse(b->wal_start, BK_WAL_SEG_SIZE, &tli, &segno) == -1)
		return;
	/* Another segment size would put start_lsn elsewhere: unknown. */
	if (b->lsn_start / BK_WAL_SEG_SIZE != segno ||
	    b->lsn_stop < b->lsn_start)
		return;
	bk_walname_format(buf, sizeof buf, tli, b->lsn_stop / BK_WAL_SEG_SIZE,
	    BK_WAL_SEG_SIZE);
	b->wal_stop = xstrdup(buf);
}

static int
parse_backup(struct bkj *c, json_t *o, struct bk_backup *b)
{
	const char	*d;
	double		 when = NAN;
	int64_t		 v;
	int		 zero = 0;
	uint32_t	 tli;
	uint64_t	 segno;

	if (!json_is_object(o))
		return bkj_fail_at(c, NULL, "expected an object, found %s",
		    bkj_type(o));
	if (bkj_str(c, o, "backup_name", &b->label, 1) == -1 ||
	    walg_time(c, o, "time", &when, &zero) == -1 ||
	    walg_time(c, o, "start_time", &b->start, &zero) == -1 ||
	    walg_time(c, o, "finish_time", &b->stop, &zero) == -1 ||
	    bkj_str(c, o, "wal_segment_backup_start", &b->wal_start, 0) == -1 ||
	    bkj_str(c, o, "wal_file_name", &b->wal_start, 0) == -1 ||
	    bkj_str(c, o, "hostname", &b->host, 0) == -1 ||
	    bkj_str(c, o, "data_dir", &b->database, 0) == -1 ||
	    bkj_bool(c, o, "is_permanent", &b->permanent) == -1 ||
	    bkj_size(c, o, "uncompressed_size", &b->delta_size) == -1 ||
	    bkj_size(c, o, "compressed_size", &b->repo_delta) == -1)
		return -1;
	/* The sentinel is written when the backup is done. */
	if (isnan(b->stop))
		b->stop = when;
	v = 0;
	if (bkj_int(c, o, "pg_version", &v, 0) == -1)
		return -1;
	if (v > 0)
		b->pg_version = xstrfmt("%lld", (long long)v);
	v = 0;
	if (bkj_int(c, o, "start_lsn", &v, 0) == -1)
		return -1;
	b->lsn_start = v > 0 ? (uint64_t)v : 0;
	v = 0;
	if (bkj_int(c, o, "finish_lsn", &v, 0) == -1)
		return -1;
	b->lsn_stop = v > 0 ? (uint64_t)v : 0;

	if ((d = strstr(b->label, "_D_")) != NULL) {
		b->type = BK_INCR;
		b->prior = xstrfmt("base_%s", d + 3);
	} else
		b->type = BK_FULL;
	/* A delta's sizes are its own: only a full's is the database's. */
	if (b->type == BK_FULL)
		b->db_size = b->delta_size;
	b->repo_size = b->repo_delta;
	if (b->wal_start != NULL &&
	    bk_walname_parse(b->wal_start, BK_WAL_SEG_SIZE, &tli, &segno) == 0)
		b->timeline = tli;
	walg_stop_segment(b);
	if (zero || (b->host != NULL && b->host[0] == '\0' &&
	    b->lsn_start == 0 && json_object_get(o, "start_lsn") != NULL)) {
		b->error = 1;
		b->error_msg = xstrdup("no metadata: the backup's sentinel is "
		    "missing or unreadable");
	}
	if (b->host != NULL && b->host[0] == '\0') {
		free(b->host);
		b->host = NULL;
	}
	return 0;
}

/*
 * A delta names its base by the base's start segment only; a base that
 * is itself a delta is labelled base_<wal>_D_<its base>: use that label.
 */
static void
resolve_priors(struct bk_repo *r)
{
	struct bk_backup	*b;
	size_t			 i, j, n;

	for (i = 0; i < r->nbackups; i++) {
		b = &r->backups[i];
		if (b->prior == NULL)
			continue;
		n = strlen(b->prior);
		for (j = 0; j < r->nbackups; j++) {
			if (strncmp(r->backups[j].label, b->prior, n) == 0 &&
			    strncmp(r->backups[j].label + n, "_D_", 3) == 0) {
				free(b->prior);
				b->prior = xstrdup(r->backups[j].label);
				break;
			}
		}
	}
}

int
bk_parse_walg_backup_list(struct bk_report *rep, const char *text,
    size_t len, char **err)
{
	struct bk_repo	 tmp;
	struct bkj	 c;
	json_t		*root, *v;
	size_t		 i, at;
	int		 rc = -1;

	bkj_init(&c, "wal-g", "backup-list");
	bk_repo_init(&tmp, BK_WALG, WALG_REPO);
	tmp.have = BK_HAVE_BACKUPS;
	if ((root = bkj_load(&c, text, len)) == NULL)
		goto out;
	if (!json_is_array(root)) {
		bkj_fail(&c, "expected an array of backups, found %s",
		    bkj_type(root));
		goto out;
	}
	if (json_array_size(root) > 0)
		tmp.backups = xcalloc(json_array_size(root),
		    sizeof *tmp.backups);
	json_array_foreach(root, i, v) {
		at = bkj_push(&c, "[%zu]", i);
		bk_backup_init(&tmp.backups[tmp.nbackups++]);
		if (parse_backup(&c, v, &tmp.backups[i]) == -1)
			goto out;
		bkj_pop(&c, at);
	}
	resolve_priors(&tmp);
	bk_backups_sort(tmp.backups, tmp.nbackups);
	bk_report_merge(rep, &tmp);
	rc = 0;
out:
	bk_repo_release(&tmp);
	json_decref(root);
	if (rc == -1)
		*err = bkj_take_err(&c);
	bkj_release(&c);
	return rc;
}

/* One range of wal-verify's integrity details, for the summary. */
static int
parse_range(struct bkj *c, json_t *o, struct bk_repo *r, struct strbuf *sb)
{
	char	*status = NULL, *first = NULL, *last = NULL;
	int64_t	 n = -1, tli = -1;
	int	 rc = -1;

	if (!json_is_object(o))
		return bkj_fail_at(c, NULL, "expected an object, found %s",
		    bkj_type(o));
	if (bkj_str(c, o, "status", &status, 1) == -1 ||
	    bkj_str(c, o, "start_segment", &first, 1) == -1 ||
	    bkj_str(c, o, "end_segment", &last, 1) == -1 ||
	    bkj_int(c, o, "segments_count", &n, 0) == -1 ||
	    bkj_int(c, o, "timeline_id", &tli, 0) == -1)
		goto out;
	if (strcmp(status, "FOUND") == 0) {
		if (r->archive_min == NULL || strcmp(first, r->archive_min) < 0) {
			free(r->archive_min);
			r->archive_min = xstrdup(first);
		}
		if (r->archive_max == NULL || strcmp(last, r->archive_max) > 0) {
			free(r->archive_max);
			r->archive_max = xstrdup(last);
		}
	} else {
		strbuf_addf(sb, "%s%s %s", sb->len ? "; " : "", status, first);
		if (strcmp(first, last) != 0)
			strbuf_addf(sb, "..%s", last);
		if (n >= 0)
			strbuf_addf(sb, " (%lld segment%s)", (long long)n,
			    n == 1 ? "" : "s");
	}
	rc = 0;
out:
	free(status);
	free(first);
	free(last);
	return rc;
}

static int
parse_integrity(struct bkj *c, json_t *o, struct bk_repo *r,
    struct bk_check *k)
{
	struct strbuf	 sb = STRBUF_INIT;
	json_t		*det, *v;
	char		*status = NULL;
	size_t		 i, at;

	at = bkj_push(c, "integrity");
	if (bkj_str(c, o, "status", &status, 1) == -1 ||
	    bkj_kind(c, o, "details", JSON_ARRAY, &det, 0) == -1)
		goto fail;
	json_array_foreach(det, i, v) {
		size_t	at2 = bkj_push(c, ".details[%zu]", i);

		if (parse_range(c, v, r, &sb) == -1)
			goto fail;
		bkj_pop(c, at2);
	}
	k->name = xstrdup("integrity");
	k->ok = strcmp(status, "OK") == 0;
	if (sb.len != 0)
		k->detail = bk_one_line(xstrfmt("%s: %s", status, sb.buf));
	else if (!k->ok)
		k->detail = bk_one_line(xstrdup(status));
	free(status);
	strbuf_release(&sb);
	bkj_pop(c, at);
	return 0;
fail:
	free(status);
	strbuf_release(&sb);
	return -1;
}

static int
parse_timeline(struct bkj *c, json_t *o, struct bk_check *k)
{
	json_t	*det;
	char	*status = NULL;
	int64_t	 cur = -1, high = -1;
	size_t	 at;

	at = bkj_push(c, "timeline");
	if (bkj_str(c, o, "status", &status, 1) == -1 ||
	    bkj_kind(c, o, "details", JSON_OBJECT, &det, 0) == -1)
		goto fail;
	if (det != NULL) {
		bkj_push(c, ".details");
		if (bkj_int(c, det, "current_timeline_id", &cur, 0) == -1 ||
		    bkj_int(c, det, "highest_storage_timeline_id", &high,
		    0) == -1)
			goto fail;
	}
	k->name = xstrdup("timeline");
	k->ok = strcmp(status, "OK") == 0;
	if (cur >= 0 && high >= 0)
		k->detail = xstrfmt("%s%scurrent %lld, highest in storage "
		    "%lld", k->ok ? "" : status, k->ok ? "" : ": ",
		    (long long)cur, (long long)high);
	else if (!k->ok)
		k->detail = xstrdup(status);
	if (k->detail != NULL)
		bk_one_line(k->detail);
	free(status);
	bkj_pop(c, at);
	return 0;
fail:
	free(status);
	return -1;
}

int
bk_parse_walg_wal_verify(struct bk_report *rep, const char *text,
    size_t len, char **err)
{
	struct bk_repo	 tmp;
	struct bkj	 c;
	json_t		*root, *in = NULL, *tl = NULL;
	size_t		 i;
	int		 rc = -1;

	bkj_init(&c, "wal-g", "wal-verify");
	bk_repo_init(&tmp, BK_WALG, WALG_REPO);
	tmp.have = BK_HAVE_VERIFY;
	if ((root = bkj_load(&c, text, len)) == NULL)
		goto out;
	if (!json_is_object(root)) {
		bkj_fail(&c, "expected an object, found %s", bkj_type(root));
		goto out;
	}
	if (bkj_kind(&c, root, "integrity", JSON_OBJECT, &in, 0) == -1 ||
	    bkj_kind(&c, root, "timeline", JSON_OBJECT, &tl, 0) == -1)
		goto out;
	if (in == NULL && tl == NULL) {
		bkj_fail(&c, "neither \"integrity\" nor \"timeline\" in the "
		    "output");
		goto out;
	}
	tmp.checks = xcalloc(2, sizeof *tmp.checks);
	if (in != NULL &&
	    parse_integrity(&c, in, &tmp, &tmp.checks[tmp.nchecks++]) == -1)
		goto out;
	if (tl != NULL &&
	    parse_timeline(&c, tl, &tmp.checks[tmp.nchecks++]) == -1)
		goto out;
	tmp.ok = 1;
	for (i = 0; i < tmp.nchecks; i++) {
		if (!tmp.checks[i].ok)
			tmp.ok = 0;
	}
	bk_report_merge(rep, &tmp);
	rc = 0;
out:
	bk_repo_release(&tmp);
	json_decref(root);
	if (rc == -1)
		*err = bkj_take_err(&c);
	bkj_release(&c);
	return rc;
}
