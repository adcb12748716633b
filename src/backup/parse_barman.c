/*
 * parse_barman.c - barman -f json list-backups, check and status.
 *
 * Barman's JSON writer prints one object keyed by server name, so "all"
 * gives one repo per server.  Messages it would print on stderr go to
 * keys "_ERROR", "_WARNING", "_INFO" and "_EXCEPTION" in the same object
 * (lists of strings): an error with no server is a failure quoting it.
 *
 * list-backups: per server an array of {"backup_id", "backup_name",
 * "backup_type" (3.11: full, incremental, rsync, snapshot), "status"
 * (DONE, FAILED, WAITING_FOR_WALS, STARTED, EMPTY, SYNCING),
 * "end_time_timestamp" (epoch as a string), "size_bytes" (the backup
 * with its required WAL), "wal_size_bytes", "retention_status"}, or with
 * --minimal only the ids.  Barman lists oldest first; its order is kept
 * because a failed backup has no time to sort by.
 * check: per server {check_name: {"status": "OK"|"FAILED", "hint"}}.
 * status: per server {key: {"description", "message"}}.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "bk_int.h"

#include "../core/banned.h"

/* "_ERROR": ["Unknown server 'x'"] and the like: the first message. */
static int
barman_messages(struct bkj *c, json_t *root, int have_server)
{
	static const char *const keys[] = { "_ERROR", "_EXCEPTION" };
	json_t		*v, *m;
	size_t		 i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		v = json_object_get(root, keys[i]);
		if (v == NULL || have_server)
			continue;
		m = json_is_array(v) ? json_array_get(v, 0) : v;
		if (json_is_string(m))
			return bkj_fail(c, "%s", json_string_value(m));
		return bkj_fail(c, "%s", keys[i] + 1);
	}
	if (!have_server)
		return bkj_fail(c, "no server in the output");
	return 0;
}

/* Servers are the keys that do not start with '_'. */
static size_t
barman_nservers(json_t *root)
{
	const char	*k;
	json_t		*v;
	size_t		 n = 0;

	json_object_foreach(root, k, v) {
		(void)v;
		if (k[0] != '_')
			n++;
	}
	return n;
}

static int
barman_stamp(struct bkj *c, json_t *o, const char *key, double *out)
{
	json_t		*v = json_object_get(o, key);
	const char	*s;
	char		*end;
	double		 d;

	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_number(v)) {
		*out = json_number_value(v);
		return 0;
	}
	if (!json_is_string(v))
		return bkj_fail_at(c, key, "expected a timestamp, found %s",
		    bkj_type(v));
	s = json_string_value(v);
	d = strtod(s, &end);
	if (end == s || *end != '\0' || !isdigit((unsigned char)*s))
		return bkj_fail_at(c, key, "not a timestamp: \"%.40s\"", s);
	*out = d;
	return 0;
}

static int
parse_backup(struct bkj *c, json_t *o, const char *server,
    struct bk_backup *b)
{
	char	*type = NULL, *ret = NULL;

	b->database = xstrdup(server);
	b->type = BK_FULL;
	if (json_is_string(o)) {
		/* --minimal: only the id. */
		b->label = xstrdup(json_string_value(o));
		return 0;
	}
	if (!json_is_object(o))
		return bkj_fail_at(c, NULL, "expected an object, found %s",
		    bkj_type(o));
	if (bkj_str(c, o, "backup_id", &b->label, 1) == -1 ||
	    bkj_str(c, o, "backup_name", &b->annotation, 0) == -1 ||
	    bkj_str(c, o, "status", &b->status, 0) == -1 ||
	    bkj_str(c, o, "backup_type", &type, 0) == -1 ||
	    bkj_str(c, o, "retention_status", &ret, 0) == -1 ||
	    barman_stamp(c, o, "end_time_timestamp", &b->stop) == -1 ||
	    barman_stamp(c, o, "begin_time_timestamp", &b->start) == -1 ||
	    bkj_size(c, o, "size_bytes", &b->repo_size) == -1 ||
	    bkj_size(c, o, "wal_size_bytes", &b->wal_size) == -1) {
		free(type);
		free(ret);
		return -1;
	}
	/* rsync and snapshot backups restore on their own: full. */
	if (type != NULL && strcmp(type, "incremental") == 0)
		b->type = BK_INCR;
	if (b->status != NULL && strcmp(b->status, "DONE") != 0) {
		if (strcmp(b->status, "FAILED") == 0) {
			b->error = 1;
			b->error_msg = xstrdup("barman: backup FAILED");
		} else
			b->incomplete = 1;
	}
	/* KEEP:FULL, KEEP:STANDALONE: kept out of retention. */
	if (ret != NULL && strncmp(ret, "KEEP", 4) == 0)
		b->permanent = 1;
	if (ret != NULL && strcmp(ret, "-") != 0 && b->annotation == NULL)
		b->annotation = xstrfmt("retention %s", ret);
	else if (ret != NULL && strcmp(ret, "-") != 0) {
		char	*a = xstrfmt("%s, retention %s", b->annotation, ret);

		free(b->annotation);
		b->annotation = a;
	}
	free(type);
	free(ret);
	return 0;
}

/* Parse each server of 'root' with 'fn' into new repos, then merge. */
typedef int (*server_fn)(struct bkj *, json_t *, struct bk_repo *);

static int
barman_servers(struct bk_report *rep, const char *cmd, unsigned have,
    server_fn fn, const char *text, size_t len, char **err)
{
	struct bk_repo	*tmp = NULL;
	struct bkj	 c;
	const char	*k;
	json_t		*root, *v;
	size_t		 n = 0, i, at;
	int		 rc = -1;

	bkj_init(&c, "barman", cmd);
	if ((root = bkj_load(&c, text, len)) == NULL)
		goto out;
	if (!json_is_object(root)) {
		bkj_fail(&c, "expected an object keyed by server, found %s",
		    bkj_type(root));
		goto out;
	}
	if (barman_messages(&c, root, barman_nservers(root) > 0) == -1)
		goto out;
	tmp = xcalloc(barman_nservers(root), sizeof *tmp);
	json_object_foreach(root, k, v) {
		if (k[0] == '_')
			continue;
		bk_repo_init(&tmp[n], BK_BARMAN, k);
		tmp[n].have = have;
		at = bkj_push(&c, "%s", k);
		if (fn(&c, v, &tmp[n++]) == -1)
			goto out;
		bkj_pop(&c, at);
	}
	for (i = 0; i < n; i++)
		bk_report_merge(rep, &tmp[i]);
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

static int
list_server(struct bkj *c, json_t *arr, struct bk_repo *r)
{
	json_t	*v;
	size_t	 i, at;

	if (!json_is_array(arr))
		return bkj_fail_at(c, NULL, "expected an array of backups, "
		    "found %s", bkj_type(arr));
	if (json_array_size(arr) > 0)
		r->backups = xcalloc(json_array_size(arr), sizeof *r->backups);
	json_array_foreach(arr, i, v) {
		at = bkj_push(c, "[%zu]", i);
		bk_backup_init(&r->backups[r->nbackups++]);
		if (parse_backup(c, v, r->name, &r->backups[i]) == -1)
			return -1;
		bkj_pop(c, at);
	}
	return 0;
}

int
bk_parse_barman_list_backups(struct bk_report *rep, const char *text,
    size_t len, char **err)
{
	return barman_servers(rep, "list-backups", BK_HAVE_BACKUPS,
	    list_server, text, len, err);
}

/* "minimum_redundancy_requirements" as Barman prints it on a console. */
static char *
check_name(const char *key)
{
	char	*s = xstrdup(key), *p;

	for (p = s; *p != '\0'; p++) {
		if (*p == '_')
			*p = ' ';
	}
	return bk_one_line(s);
}

static int
check_server(struct bkj *c, json_t *obj, struct bk_repo *r)
{
	struct bk_check	*k;
	const char	*key;
	json_t		*v;
	char		*st;
	size_t		 at;

	if (!json_is_object(obj))
		return bkj_fail_at(c, NULL, "expected an object of checks, "
		    "found %s", bkj_type(obj));
	if (json_object_size(obj) > 0)
		r->checks = xcalloc(json_object_size(obj), sizeof *r->checks);
	r->ok = 1;
	json_object_foreach(obj, key, v) {
		at = bkj_push(c, ".%s", key);
		if (!json_is_object(v))
			return bkj_fail_at(c, NULL, "expected an object, "
			    "found %s", bkj_type(v));
		k = &r->checks[r->nchecks++];
		st = NULL;
		if (bkj_str(c, v, "status", &st, 1) == -1 ||
		    bkj_str(c, v, "hint", &k->detail, 0) == -1) {
			free(st);
			return -1;
		}
		k->name = check_name(key);
		k->ok = strcmp(st, "OK") == 0;
		if (!k->ok)
			r->ok = 0;
		free(st);
		if (k->detail != NULL && k->detail[0] == '\0') {
			free(k->detail);
			k->detail = NULL;
		}
		if (k->detail != NULL)
			bk_one_line(k->detail);
		bkj_pop(c, at);
	}
	return 0;
}

int
bk_parse_barman_check(struct bk_report *rep, const char *text, size_t len,
    char **err)
{
	return barman_servers(rep, "check", BK_HAVE_CHECK, check_server,
	    text, len, err);
}

static int
status_server(struct bkj *c, json_t *obj, struct bk_repo *r)
{
	struct bk_prop	*p;
	const char	*key;
	json_t		*v;
	uint32_t	 tli;
	uint64_t	 segno;
	size_t		 at;

	if (!json_is_object(obj))
		return bkj_fail_at(c, NULL, "expected an object, found %s",
		    bkj_type(obj));
	if (json_object_size(obj) > 0)
		r->props = xcalloc(json_object_size(obj), sizeof *r->props);
	json_object_foreach(obj, key, v) {
		at = bkj_push(c, ".%s", key);
		if (!json_is_object(v))
			return bkj_fail_at(c, NULL, "expected an object, "
			    "found %s", bkj_type(v));
		p = &r->props[r->nprops++];
		p->key = bk_one_line(xstrdup(key));
		if (bkj_str(c, v, "description", &p->label, 0) == -1 ||
		    bkj_str(c, v, "message", &p->value, 0) == -1)
			return -1;
		if (p->label != NULL)
			bk_one_line(p->label);
		if (p->value == NULL)
			p->value = xstrdup("");
		bk_one_line(p->value);
		if (strcmp(key, "pg_version") == 0) {
			free(r->pg_version);
			r->pg_version = xstrdup(p->value);
		}
		/* "000000010000000000000005, at Sat Jun 22 08:47:10 2024" */
		if (strcmp(key, "last_archived_wal") == 0 &&
		    strlen(p->value) >= 24) {
			char	wal[25];

			memcpy(wal, p->value, 24);
			wal[24] = '\0';
			if (bk_walname_parse(wal, BK_WAL_SEG_SIZE, &tli,
			    &segno) == 0) {
				free(r->archive_max);
				r->archive_max = xstrdup(wal);
			}
		}
		bkj_pop(c, at);
	}
	return 0;
}

int
bk_parse_barman_status(struct bk_report *rep, const char *text, size_t len,
    char **err)
{
	return barman_servers(rep, "status", BK_HAVE_STATUS, status_server,
	    text, len, err);
}
