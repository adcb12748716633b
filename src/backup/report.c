/*
 * report.c - the report's lifetime, the dispatcher, names, and WAL
 * segment names and LSNs.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "backup.h"
#include "bk_int.h"

#include "../core/banned.h"

void
bk_report_init(struct bk_report *r)
{
	memset(r, 0, sizeof *r);
}

void
bk_backup_release(struct bk_backup *b)
{
	size_t	i;

	free(b->label);
	free(b->prior);
	for (i = 0; i < b->nrefs; i++)
		free(b->refs[i]);
	free(b->refs);
	free(b->wal_start);
	free(b->wal_stop);
	free(b->error_msg);
	free(b->status);
	free(b->database);
	free(b->host);
	free(b->pg_version);
	free(b->annotation);
	memset(b, 0, sizeof *b);
}

void
bk_backups_free(struct bk_backup *b, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		bk_backup_release(&b[i]);
	free(b);
}

void
bk_checks_free(struct bk_check *c, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(c[i].name);
		free(c[i].detail);
	}
	free(c);
}

void
bk_props_free(struct bk_prop *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(p[i].key);
		free(p[i].label);
		free(p[i].value);
	}
	free(p);
}

void
bk_repo_release(struct bk_repo *r)
{
	size_t	i;

	free(r->name);
	free(r->status_msg);
	free(r->cipher);
	free(r->pg_version);
	free(r->archive_min);
	free(r->archive_max);
	for (i = 0; i < r->narchives; i++) {
		free(r->archives[i].id);
		free(r->archives[i].min);
		free(r->archives[i].max);
	}
	free(r->archives);
	bk_backups_free(r->backups, r->nbackups);
	bk_checks_free(r->checks, r->nchecks);
	bk_props_free(r->props, r->nprops);
	memset(r, 0, sizeof *r);
}

void
bk_repo_init(struct bk_repo *r, enum bk_tool tool, const char *name)
{
	memset(r, 0, sizeof *r);
	r->tool = tool;
	r->name = xstrdup(name);
	r->ok = -1;
	r->status_code = -1;
}

void
bk_report_release(struct bk_report *r)
{
	size_t	i;

	for (i = 0; i < r->nrepos; i++)
		bk_repo_release(&r->repos[i]);
	free(r->repos);
	memset(r, 0, sizeof *r);
}

struct bk_repo *
bk_report_find(const struct bk_report *r, enum bk_tool tool, const char *name)
{
	size_t	i;

	for (i = 0; i < r->nrepos; i++) {
		if (r->repos[i].tool == tool &&
		    strcmp(r->repos[i].name, name) == 0)
			return &r->repos[i];
	}
	return NULL;
}

struct bk_repo *
bk_report_get(struct bk_report *r, enum bk_tool tool, const char *name)
{
	struct bk_repo	*repo;

	if ((repo = bk_report_find(r, tool, name)) != NULL)
		return repo;
	r->repos = xrealloc(r->repos, (r->nrepos + 1) * sizeof *r->repos);
	repo = &r->repos[r->nrepos++];
	bk_repo_init(repo, tool, name);
	return repo;
}

static const struct {
	enum bk_tool	 tool;
	const char	*what;
	int		(*fn)(struct bk_report *, const char *, size_t, char **);
} parsers[] = {
	{ BK_PGBACKREST, "info", bk_parse_pgbackrest_info },
	{ BK_WALG, "backup-list", bk_parse_walg_backup_list },
	{ BK_WALG, "wal-verify", bk_parse_walg_wal_verify },
	{ BK_BARMAN, "list-backups", bk_parse_barman_list_backups },
	{ BK_BARMAN, "check", bk_parse_barman_check },
	{ BK_BARMAN, "status", bk_parse_barman_status },
};

int
bk_parse(struct bk_report *r, enum bk_tool tool, const char *what,
    const char *text, size_t len, char **err)
{
	size_t	i;

	for (i = 0; i < sizeof parsers / sizeof parsers[0]; i++) {
		if (parsers[i].tool == tool && what != NULL &&
		    strcmp(parsers[i].what, what) == 0)
			return parsers[i].fn(r, text, len, err);
	}
	*err = xstrfmt("%s: no parser for '%s'", bk_tool_name(tool),
	    what != NULL ? what : "(null)");
	return -1;
}

const char *
bk_tool_name(enum bk_tool tool)
{
	switch (tool) {
	case BK_PGBACKREST:	return "pgbackrest";
	case BK_WALG:		return "wal-g";
	case BK_BARMAN:		return "barman";
	}
	return "?";
}

const char *
bk_type_name(enum bk_type type)
{
	switch (type) {
	case BK_FULL:		return "full";
	case BK_DIFF:		return "diff";
	case BK_INCR:		return "incr";
	case BK_TYPE_UNKNOWN:	break;
	}
	return "?";
}

static int
seg_size_ok(uint64_t seg_size)
{
	/* initdb --wal-segsize: a power of two from 1 MB to 1 GB. */
	return seg_size >= (1u << 20) && seg_size <= (1u << 30) &&
	    (seg_size & (seg_size - 1)) == 0;
}

static int
hex8(const char *s, uint32_t *out)
{
	uint32_t	v = 0;
	int		i, d;

	for (i = 0; i < 8; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			d = s[i] - '0';
		else if (s[i] >= 'A' && s[i] <= 'F')
			d = s[i] - 'A' + 10;
		else if (s[i] >= 'a' && s[i] <= 'f')
			d = s[i] - 'a' + 10;
		else
			return -1;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return 0;
}

int
bk_walname_parse(const char *name, uint64_t seg_size, uint32_t *tli,
    uint64_t *segno)
{
	uint32_t	t, x, y;
	uint64_t	per;

	if (name == NULL || !seg_size_ok(seg_size) || strlen(name) != 24)
		return -1;
	if (hex8(name, &t) == -1 || hex8(name + 8, &x) == -1 ||
	    hex8(name + 16, &y) == -1)
		return -1;
	per = UINT64_C(0x100000000) / seg_size;
	if (y >= per || t == 0)
		return -1;
	*tli = t;
	*segno = (uint64_t)x * per + y;
	return 0;
}

void
bk_walname_format(char *buf, size_t size, uint32_t tli, uint64_t segno,
    uint64_t seg_size)
{
	uint64_t	per;

	if (!seg_size_ok(seg_size))
		seg_size = BK_WAL_SEG_SIZE;
	per = UINT64_C(0x100000000) / seg_size;
	snprintf(buf, size, "%08X%08X%08X", (unsigned)tli,
	    (unsigned)((segno / per) & 0xffffffff),
	    (unsigned)(segno % per));
}

int
bk_lsn_parse(const char *s, uint64_t *lsn)
{
	unsigned long long	 hi, lo;
	char			*end;

	if (s == NULL || *s == '\0' || strchr(s, '/') == NULL)
		return -1;
	if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'F') ||
	    (*s >= 'a' && *s <= 'f')))
		return -1;
	hi = strtoull(s, &end, 16);
	if (*end != '/' || hi > 0xffffffffULL)
		return -1;
	s = end + 1;
	if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'F') ||
	    (*s >= 'a' && *s <= 'f')))
		return -1;
	lo = strtoull(s, &end, 16);
	if (*end != '\0' || lo > 0xffffffffULL)
		return -1;
	*lsn = (uint64_t)hi << 32 | lo;
	return 0;
}

void
bk_backup_init(struct bk_backup *b)
{
	memset(b, 0, sizeof *b);
	b->type = BK_TYPE_UNKNOWN;
	b->start = b->stop = NAN;
	b->db_size = b->delta_size = b->repo_size = b->repo_delta = -1;
	b->wal_size = -1;
}
