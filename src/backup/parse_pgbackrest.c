/*
 * parse_pgbackrest.c - pgbackrest info --output=json.
 *
 * The output is an array with one object per stanza (pgBackRest 2.x):
 * "name", "status" {code, message, lock.backup.held}, "cipher", "db"
 * (one per database history id), "archive" (min/max WAL per database
 * and repository), "backup" (oldest first) and "repo" (one status per
 * configured repository).  --set adds fields to the one backup shown;
 * they are ignored.  Each stanza becomes one repo named for it.
 */
#include <stdlib.h>
#include <string.h>

#include "bk_int.h"

#include "../core/banned.h"

static enum bk_type
pgbr_type(const char *s)
{
	if (strcmp(s, "full") == 0)
		return BK_FULL;
	if (strcmp(s, "diff") == 0)
		return BK_DIFF;
	if (strcmp(s, "incr") == 0)
		return BK_INCR;
	return BK_TYPE_UNKNOWN;
}

/* The timeline is the first 8 hex digits of a segment name. */
static uint32_t
wal_timeline(const char *wal)
{
	uint32_t	tli;
	uint64_t	segno;

	if (bk_walname_parse(wal, BK_WAL_SEG_SIZE, &tli, &segno) == -1)
		return 0;
	return tli;
}

/* "timestamp": {"start": N, "stop": N} and the like. */
static int
pair_num(struct bkj *c, json_t *o, const char *key, double *a, double *b)
{
	json_t	*v;
	size_t	 at;
	int64_t	 x = -1, y = -1;
	int	 rc = 0;

	if (bkj_kind(c, o, key, JSON_OBJECT, &v, 0) == -1)
		return -1;
	if (v == NULL)
		return 0;
	at = bkj_push(c, ".%s", key);
	if (bkj_int(c, v, "start", &x, 0) == -1 ||
	    bkj_int(c, v, "stop", &y, 0) == -1)
		rc = -1;
	bkj_pop(c, at);
	if (x >= 0)
		*a = (double)x;
	if (y >= 0)
		*b = (double)y;
	return rc;
}

static int
pair_str(struct bkj *c, json_t *o, const char *key, char **a, char **b)
{
	json_t	*v;
	size_t	 at;
	int	 rc = 0;

	if (bkj_kind(c, o, key, JSON_OBJECT, &v, 0) == -1)
		return -1;
	if (v == NULL)
		return 0;
	at = bkj_push(c, ".%s", key);
	if (bkj_str(c, v, "start", a, 0) == -1 ||
	    bkj_str(c, v, "stop", b, 0) == -1)
		rc = -1;
	bkj_pop(c, at);
	return rc;
}

/* "annotation": {"k": "v", ...} as "k=v, k=v". */
static int
annotation(struct bkj *c, json_t *o, char **out)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*k;
	json_t		*a, *v;

	if (bkj_kind(c, o, "annotation", JSON_OBJECT, &a, 0) == -1)
		return -1;
	if (a == NULL)
		return 0;
	json_object_foreach(a, k, v) {
		if (!json_is_string(v)) {
			strbuf_release(&sb);
			return bkj_fail_at(c, "annotation", "expected strings, "
			    "found %s", bkj_type(v));
		}
		strbuf_addf(&sb, "%s%s=%s", sb.len ? ", " : "", k,
		    json_string_value(v));
	}
	if (sb.len)
		*out = bk_one_line(strbuf_detach(&sb));
	strbuf_release(&sb);
	return 0;
}

static int
parse_backup(struct bkj *c, json_t *o, struct bk_backup *b)
{
	json_t	*info, *repo, *db, *refs, *v;
	char	*type = NULL, *ls = NULL, *le = NULL;
	int64_t	 id = -1;
	size_t	 at, i;

	if (!json_is_object(o))
		return bkj_fail_at(c, NULL, "expected an object, found %s",
		    bkj_type(o));
	if (bkj_str(c, o, "label", &b->label, 1) == -1 ||
	    bkj_str(c, o, "type", &type, 1) == -1)
		return -1;
	b->type = pgbr_type(type);
	free(type);
	if (bkj_str(c, o, "prior", &b->prior, 0) == -1 ||
	    pair_num(c, o, "timestamp", &b->start, &b->stop) == -1 ||
	    pair_str(c, o, "archive", &b->wal_start, &b->wal_stop) == -1 ||
	    pair_str(c, o, "lsn", &ls, &le) == -1 ||
	    bkj_bool(c, o, "error", &b->error) == -1 ||
	    annotation(c, o, &b->annotation) == -1) {
		free(ls);
		free(le);
		return -1;
	}
	if (ls != NULL)
		bk_lsn_parse(ls, &b->lsn_start);
	if (le != NULL)
		bk_lsn_parse(le, &b->lsn_stop);
	free(ls);
	free(le);
	if (b->error)
		b->error_msg = xstrdup("pgBackRest found errors (page "
		    "checksums) in this backup");
	b->timeline = wal_timeline(b->wal_start);

	if (bkj_kind(c, o, "reference", JSON_ARRAY, &refs, 0) == -1)
		return -1;
	if (refs != NULL && json_array_size(refs) > 0) {
		b->refs = xcalloc(json_array_size(refs), sizeof *b->refs);
		json_array_foreach(refs, i, v) {
			if (!json_is_string(v)) {
				at = bkj_push(c, ".reference[%zu]", i);
				bkj_fail_at(c, NULL, "expected a string, "
				    "found %s", bkj_type(v));
				bkj_pop(c, at);
				return -1;
			}
			b->refs[b->nrefs++] = xstrdup(json_string_value(v));
		}
	}

	if (bkj_kind(c, o, "info", JSON_OBJECT, &info, 0) == -1)
		return -1;
	if (info != NULL) {
		at = bkj_push(c, ".info");
		if (bkj_size(c, info, "size", &b->db_size) == -1 ||
		    bkj_size(c, info, "delta", &b->delta_size) == -1 ||
		    bkj_kind(c, info, "repository", JSON_OBJECT, &repo,
		    0) == -1)
			return -1;
		if (repo != NULL) {
			bkj_push(c, ".repository");
			if (bkj_size(c, repo, "size", &b->repo_size) == -1 ||
			    bkj_size(c, repo, "delta", &b->repo_delta) == -1)
				return -1;
		}
		bkj_pop(c, at);
	}
	if (bkj_kind(c, o, "database", JSON_OBJECT, &db, 0) == -1)
		return -1;
	if (db != NULL) {
		at = bkj_push(c, ".database");
		if (bkj_int(c, db, "id", &id, 0) == -1)
			return -1;
		bkj_pop(c, at);
		if (id >= 0)
			b->database = xstrfmt("%lld", (long long)id);
	}
	return 0;
}

/* "status": {"code": N, "message": "...", "lock": {"backup": {"held"}}} */
static int
parse_status(struct bkj *c, json_t *st, struct bk_repo *r)
{
	json_t	*lock, *bk;
	int64_t	 code = -1;
	size_t	 at;

	at = bkj_push(c, ".status");
	if (bkj_int(c, st, "code", &code, 1) == -1 ||
	    bkj_str(c, st, "message", &r->status_msg, 0) == -1 ||
	    bkj_kind(c, st, "lock", JSON_OBJECT, &lock, 0) == -1)
		return -1;
	if (code < 0 || code > 99)
		return bkj_fail_at(c, "code", "no such status %lld",
		    (long long)code);
	r->status_code = (int)code;
	r->ok = code == BK_PGBR_OK;
	if (lock != NULL) {
		bkj_push(c, ".lock");
		if (bkj_kind(c, lock, "backup", JSON_OBJECT, &bk, 0) == -1)
			return -1;
		bkj_push(c, ".backup");
		if (bk != NULL && bkj_bool(c, bk, "held", &r->lock_held) == -1)
			return -1;
	}
	bkj_pop(c, at);
	if (r->status_msg != NULL)
		bk_one_line(r->status_msg);
	return 0;
}

/* "db": the current database is the highest history id. */
static int
parse_db(struct bkj *c, json_t *arr, struct bk_repo *r, int64_t *cur)
{
	json_t	*o;
	int64_t	 id, sysid;
	size_t	 i, at;

	json_array_foreach(arr, i, o) {
		at = bkj_push(c, ".db[%zu]", i);
		if (!json_is_object(o))
			return bkj_fail_at(c, NULL, "expected an object, "
			    "found %s", bkj_type(o));
		id = -1;
		sysid = 0;
		if (bkj_int(c, o, "id", &id, 1) == -1 ||
		    bkj_int(c, o, "system-id", &sysid, 0) == -1)
			return -1;
		if (id >= *cur) {
			*cur = id;
			r->system_id = (uint64_t)sysid;
			if (bkj_str(c, o, "version", &r->pg_version, 0) == -1)
				return -1;
		}
		bkj_pop(c, at);
	}
	return 0;
}

/* Newer of two segment names (NULL loses): same length, so by text. */
static void
keep(char **have, const char *cand, int newer)
{
	int	d;

	if (cand == NULL)
		return;
	if (*have != NULL) {
		d = strcmp(cand, *have);
		if (newer ? d <= 0 : d >= 0)
			return;
		free(*have);
	}
	*have = xstrdup(cand);
}

static int
parse_archive(struct bkj *c, json_t *arr, struct bk_repo *r, int64_t cur)
{
	struct bk_archive	*a;
	json_t			*o, *db;
	int64_t			 id;
	size_t			 i, at;

	if (json_array_size(arr) > 0)
		r->archives = xcalloc(json_array_size(arr), sizeof *r->archives);
	json_array_foreach(arr, i, o) {
		at = bkj_push(c, ".archive[%zu]", i);
		if (!json_is_object(o))
			return bkj_fail_at(c, NULL, "expected an object, "
			    "found %s", bkj_type(o));
		a = &r->archives[r->narchives++];
		id = -1;
		if (bkj_str(c, o, "id", &a->id, 0) == -1 ||
		    bkj_str(c, o, "min", &a->min, 0) == -1 ||
		    bkj_str(c, o, "max", &a->max, 0) == -1 ||
		    bkj_kind(c, o, "database", JSON_OBJECT, &db, 0) == -1)
			return -1;
		if (db != NULL) {
			bkj_push(c, ".database");
			if (bkj_int(c, db, "id", &id, 0) == -1)
				return -1;
		}
		/* One entry per repository: the span is their union. */
		if (id == cur || cur < 0) {
			keep(&r->archive_min, a->min, 0);
			keep(&r->archive_max, a->max, 1);
		}
		bkj_pop(c, at);
	}
	return 0;
}

static int
parse_repos(struct bkj *c, json_t *arr, struct bk_repo *r)
{
	struct bk_check	*k;
	json_t		*o, *st;
	int64_t		 key, code;
	char		*cipher;
	size_t		 i, at;

	if (json_array_size(arr) > 0)
		r->checks = xcalloc(json_array_size(arr), sizeof *r->checks);
	json_array_foreach(arr, i, o) {
		at = bkj_push(c, ".repo[%zu]", i);
		if (!json_is_object(o))
			return bkj_fail_at(c, NULL, "expected an object, "
			    "found %s", bkj_type(o));
		k = &r->checks[r->nchecks++];
		key = (int64_t)i + 1;
		code = -1;
		cipher = NULL;
		if (bkj_int(c, o, "key", &key, 0) == -1 ||
		    bkj_str(c, o, "cipher", &cipher, 0) == -1 ||
		    bkj_kind(c, o, "status", JSON_OBJECT, &st, 1) == -1)
			goto fail;
		bkj_push(c, ".status");
		if (bkj_int(c, st, "code", &code, 1) == -1 ||
		    bkj_str(c, st, "message", &k->detail, 0) == -1)
			goto fail;
		k->name = xstrfmt("repo%lld%s%s%s", (long long)key,
		    cipher != NULL ? " (" : "", cipher != NULL ? cipher : "",
		    cipher != NULL ? ")" : "");
		k->ok = code == 0;
		if (k->detail != NULL)
			bk_one_line(k->detail);
		free(cipher);
		bkj_pop(c, at);
	}
	return 0;
fail:
	free(cipher);
	return -1;
}

static int
parse_stanza(struct bkj *c, json_t *o, struct bk_repo *r)
{
	json_t	*st, *db, *ar, *bk, *rp, *v;
	int64_t	 cur = -1;
	size_t	 i, at;

	if (!json_is_object(o))
		return bkj_fail_at(c, NULL, "expected an object (a stanza), "
		    "found %s", bkj_type(o));
	r->tool = BK_PGBACKREST;
	r->ok = -1;
	r->status_code = -1;
	r->have = BK_HAVE_INFO;
	if (bkj_str(c, o, "name", &r->name, 1) == -1 ||
	    bkj_kind(c, o, "status", JSON_OBJECT, &st, 1) == -1 ||
	    parse_status(c, st, r) == -1 ||
	    bkj_str(c, o, "cipher", &r->cipher, 0) == -1 ||
	    bkj_kind(c, o, "db", JSON_ARRAY, &db, 0) == -1 ||
	    bkj_kind(c, o, "archive", JSON_ARRAY, &ar, 0) == -1 ||
	    bkj_kind(c, o, "backup", JSON_ARRAY, &bk, 0) == -1 ||
	    bkj_kind(c, o, "repo", JSON_ARRAY, &rp, 0) == -1)
		return -1;
	if ((db != NULL && parse_db(c, db, r, &cur) == -1) ||
	    (ar != NULL && parse_archive(c, ar, r, cur) == -1) ||
	    (rp != NULL && parse_repos(c, rp, r) == -1))
		return -1;
	if (bk != NULL && json_array_size(bk) > 0) {
		r->backups = xcalloc(json_array_size(bk), sizeof *r->backups);
		json_array_foreach(bk, i, v) {
			at = bkj_push(c, ".backup[%zu]", i);
			bk_backup_init(&r->backups[r->nbackups++]);
			if (parse_backup(c, v, &r->backups[i]) == -1)
				return -1;
			bkj_pop(c, at);
		}
		bk_backups_sort(r->backups, r->nbackups);
	}
	return 0;
}

int
bk_parse_pgbackrest_info(struct bk_report *rep, const char *text,
    size_t len, char **err)
{
	struct bk_repo	*tmp = NULL;
	struct bkj	 c;
	json_t		*root, *v;
	size_t		 i, n = 0, at;
	int		 rc = -1;

	bkj_init(&c, "pgbackrest", "info");
	if ((root = bkj_load(&c, text, len)) == NULL)
		goto out;
	if (!json_is_array(root)) {
		bkj_fail(&c, "expected an array of stanzas, found %s",
		    bkj_type(root));
		goto out;
	}
	if (json_array_size(root) == 0) {
		/* What info prints with no stanza configured at all. */
		bkj_fail(&c, "no stanza in the output");
		goto out;
	}
	tmp = xcalloc(json_array_size(root), sizeof *tmp);
	json_array_foreach(root, i, v) {
		at = bkj_push(&c, "[%zu]", i);
		n++;
		if (parse_stanza(&c, v, &tmp[i]) == -1)
			goto out;
		bkj_pop(&c, at);
	}
	for (i = 0; i < n; i++)
		bk_report_merge(rep, &tmp[i]);
	n = 0;
	rc = 0;
out:
	for (i = 0; i < n; i++)
		bk_repo_release(&tmp[i]);
	free(tmp);
	json_decref(root);
	if (rc == -1)
		*err = bkj_take_err(&c);
	bkj_release(&c);
	return rc;
}
