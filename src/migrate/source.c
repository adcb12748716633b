/*
 * source.c - migration files from the paths given: plain SQL, Flyway
 * (V<ver>__x.sql, U<ver>__ undo, R__ repeatable), sqitch (sqitch.plan
 * with deploy/, revert/ and verify/), numbered up/down pairs (0001_x.up.sql
 * or 0001_x/up.sql), put in the order the tool would run them.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/util.h"
#include "core/strbuf.h"
#include "migrate/mig_int.h"

void
mig_add_error(struct mig_set *set, const char *fmt, ...)
{
	va_list ap;
	char **slot = MIG_PUSH(set->errors, set->nerrors);

	va_start(ap, fmt);
	*slot = xstrvfmt(fmt, ap);
	va_end(ap);
}

/* Where each line starts, once per file: line lookups are then a
 * binary search, not a count from the top (5,000 statements). */
static void
index_lines(struct mig_file *f)
{
	free(f->line_starts);
	f->line_starts = NULL;
	f->nline_starts = 0;
	for (size_t i = 0; i < f->len; i++)
		if (f->text[i] == '\n')
			*MIG_PUSH(f->line_starts, f->nline_starts) = i + 1;
}

/* 1-based line of a byte offset; *col gets the 1-based character column. */
int
mig_line_of(const struct mig_file *f, size_t off, int *col)
{
	size_t i, start = 0;
	int line = 1, c = 1, lo = 0, hi = f->nline_starts;

	if (off > f->len)
		off = f->len;
	/* The number of line starts at or before off. */
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (f->line_starts[mid] <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	line += lo;
	if (lo > 0)
		start = f->line_starts[lo - 1];
	for (i = start; i < off; i++)
		if (((unsigned char)f->text[i] & 0xc0) != 0x80)
			c++;
	if (col != NULL)
		*col = c;
	return line;
}

const char *
mig_fkind_name(enum mig_fkind k)
{
	static const char *names[] = {
		"sql", "flyway", "flyway undo", "flyway repeatable",
		"sqitch deploy", "sqitch revert", "sqitch verify", "up", "down",
	};

	return (size_t)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

/* Compare digit runs by value: "V2" < "V10", "1.10" > "1.9". */
static int
natural_cmp(const char *a, const char *b)
{
	while (*a != '\0' && *b != '\0') {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			const char *ea = a, *eb = b;
			size_t la, lb;
			int c;

			while (*a == '0' && isdigit((unsigned char)a[1]))
				a++;
			while (*b == '0' && isdigit((unsigned char)b[1]))
				b++;
			for (ea = a; isdigit((unsigned char)*ea); ea++)
				;
			for (eb = b; isdigit((unsigned char)*eb); eb++)
				;
			la = (size_t)(ea - a);
			lb = (size_t)(eb - b);
			if (la != lb)
				return la < lb ? -1 : 1;
			if ((c = strncmp(a, b, la)) != 0)
				return c;
			a = ea;
			b = eb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return (*a != '\0') - (*b != '\0');
}

/* Flyway versions: parts split on '.' or '_', compared as numbers. */
static int
version_cmp(const char *a, const char *b)
{
	while (*a != '\0' || *b != '\0') {
		unsigned long long x = strtoull(a, (char **)&a, 10);
		unsigned long long y = strtoull(b, (char **)&b, 10);

		if (x != y)
			return x < y ? -1 : 1;
		while (*a != '\0' && !isdigit((unsigned char)*a))
			a++;
		while (*b != '\0' && !isdigit((unsigned char)*b))
			b++;
	}
	return 0;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

/* What a file's name says it is; *version gets the ordering key. */
static enum mig_fkind
classify(const char *base, const char *dirbase, char **version)
{
	const char *sep;

	*version = NULL;
	if ((base[0] == 'V' || base[0] == 'U') && isdigit((unsigned char)base[1]) &&
	    (sep = strstr(base, "__")) != NULL && ends_with(base, ".sql")) {
		*version = xstrndup(base + 1, (size_t)(sep - base - 1));
		return base[0] == 'V' ? MIG_FILE_FLYWAY : MIG_FILE_FLYWAY_UNDO;
	}
	if (strncmp(base, "R__", 3) == 0 && ends_with(base, ".sql")) {
		*version = xstrdup(base + 3);
		return MIG_FILE_FLYWAY_REPEATABLE;
	}
	if (ends_with(base, ".up.sql") || ends_with(base, ".down.sql")) {
		*version = xstrndup(base, strcspn(base, "_-."));
		return ends_with(base, ".up.sql") ? MIG_FILE_UP : MIG_FILE_DOWN;
	}
	if ((strcmp(base, "up.sql") == 0 || strcmp(base, "down.sql") == 0) &&
	    dirbase != NULL) {
		*version = xstrdup(dirbase);
		return base[0] == 'u' ? MIG_FILE_UP : MIG_FILE_DOWN;
	}
	return MIG_FILE_PLAIN;
}

struct found {
	char		*path, *name;
	enum mig_fkind	 kind;
	char		*version;
	int		 group;		/* which path argument */
	int		 seq;		/* sqitch plan order */
};

struct finder {
	struct found	*v;
	int		 n;
	int		 group;
	struct mig_set	*set;
};

static void
add_found(struct finder *fd, const char *path, const char *name,
    enum mig_fkind kind, char *version, int seq)
{
	struct found *f = MIG_PUSH(fd->v, fd->n);

	f->path = xstrdup(path);
	f->name = xstrdup(name);
	f->kind = kind;
	f->version = version;
	f->group = fd->group;
	f->seq = seq;
}

static const char *
base_of(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

/* sqitch.plan: one change per line, "name [deps] date planner # note";
 * '%' pragmas, '@' tags, comments and blank lines are skipped. */
static int
load_sqitch(struct finder *fd, const char *dir, const char *rel)
{
	static const struct { const char *sub; enum mig_fkind kind; } kinds[] = {
		{ "deploy", MIG_FILE_SQITCH_DEPLOY },
		{ "revert", MIG_FILE_SQITCH_REVERT },
		{ "verify", MIG_FILE_SQITCH_VERIFY },
	};
	char *plan = xstrfmt("%s/sqitch.plan", dir), *text, *line, *next;
	size_t len;
	int seq = 0, lineno = 0;

	if (read_file(plan, &text, &len, MIG_MAX_FILE) != 0) {
		mig_add_error(fd->set, "%s: %s", plan, strerror(errno));
		free(plan);
		return -1;
	}
	for (line = text; line != NULL && *line != '\0'; line = next) {
		char name[256];
		size_t n;

		lineno++;
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		while (*line == ' ' || *line == '\t')
			line++;
		if (*line == '\0' || *line == '#' || *line == '%' || *line == '@')
			continue;
		n = strcspn(line, " \t\r[");
		if (n == 0 || n >= sizeof name) {
			mig_add_error(fd->set, "%s:%d: not a change line", plan,
			    lineno);
			continue;
		}
		memcpy(name, line, n);
		name[n] = '\0';
		for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
			char *p = xstrfmt("%s/%s/%s.sql", dir, kinds[k].sub, name);
			char *shown = xstrfmt("%s%s%s/%s.sql", rel,
			    *rel != '\0' ? "/" : "", kinds[k].sub, name);
			struct stat sb;

			if (stat(p, &sb) == 0)
				add_found(fd, p, shown, kinds[k].kind,
				    xstrdup(name), seq);
			else if (kinds[k].kind == MIG_FILE_SQITCH_DEPLOY)
				mig_add_error(fd->set, "%s:%d: change %s has no "
				    "deploy script %s", plan, lineno, name, p);
			free(p);
			free(shown);
		}
		seq++;
	}
	free(text);
	free(plan);
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return natural_cmp(*(char *const *)a, *(char *const *)b);
}

/* A folder: sqitch when it has a plan, else every .sql file below it. */
static void
walk(struct finder *fd, const char *dir, const char *rel, int depth)
{
	char *plan = xstrfmt("%s/sqitch.plan", dir);
	struct stat sb;
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	int n = 0;

	if (stat(plan, &sb) == 0) {
		free(plan);
		load_sqitch(fd, dir, rel);
		return;
	}
	free(plan);
	if (depth > 16 || (d = opendir(dir)) == NULL) {
		mig_add_error(fd->set, "%s: %s", dir, depth > 16 ?
		    "folders nested too deep" : strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		*MIG_PUSH(names, n) = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(names, (size_t)n, sizeof *names, cmp_str);
	for (int i = 0; i < n; i++) {
		char *p = xstrfmt("%s/%s", dir, names[i]);
		char *r = xstrfmt("%s%s%s", rel, *rel != '\0' ? "/" : "",
		    names[i]);

		if (stat(p, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			walk(fd, p, r, depth + 1);
		} else if (S_ISREG(sb.st_mode) && ends_with(names[i], ".sql")) {
			char *version;
			enum mig_fkind k = classify(names[i],
			    *rel != '\0' ? base_of(rel) : NULL, &version);

			add_found(fd, p, r, k, version, 0);
		}
		free(p);
		free(r);
		free(names[i]);
	}
	free(names);
}

/* Run order: by path argument; within one, Flyway versioned files by
 * version, then repeatables by name; sqitch by plan; up files by number;
 * plain files by name.  Rollback files sort after what they undo. */
static int
cmp_found(const void *pa, const void *pb)
{
	const struct found *a = pa, *b = pb;
	int c;

	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	if (a->seq != b->seq)
		return a->seq < b->seq ? -1 : 1;
	if ((a->kind == MIG_FILE_FLYWAY_REPEATABLE) !=
	    (b->kind == MIG_FILE_FLYWAY_REPEATABLE))
		return a->kind == MIG_FILE_FLYWAY_REPEATABLE ? 1 : -1;
	if (a->version != NULL && b->version != NULL &&
	    a->kind != MIG_FILE_FLYWAY_REPEATABLE &&
	    (c = version_cmp(a->version, b->version)) != 0)
		return c;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return natural_cmp(a->name, b->name);
}

static int
is_rollback(enum mig_fkind k)
{
	return k == MIG_FILE_FLYWAY_UNDO || k == MIG_FILE_SQITCH_REVERT ||
	    k == MIG_FILE_DOWN;
}

static enum mig_fkind
undo_of(enum mig_fkind k)
{
	switch (k) {
	case MIG_FILE_FLYWAY: return MIG_FILE_FLYWAY_UNDO;
	case MIG_FILE_SQITCH_DEPLOY: return MIG_FILE_SQITCH_REVERT;
	case MIG_FILE_UP: return MIG_FILE_DOWN;
	default: return MIG_FILE_PLAIN;
	}
}

static void
link_rollbacks(struct mig_set *set)
{
	for (int i = 0; i < set->nfiles; i++) {
		struct mig_file *f = &set->files[i];
		enum mig_fkind u = undo_of(f->kind);

		f->rollback = -1;
		if (u == MIG_FILE_PLAIN || f->version == NULL)
			continue;
		for (int j = 0; j < set->nfiles; j++) {
			const struct mig_file *g = &set->files[j];

			if (g->kind == u && g->version != NULL &&
			    strcmp(g->version, f->version) == 0) {
				f->rollback = j;
				break;
			}
		}
	}
}

static struct mig_set *
set_new(void)
{
	struct mig_set *set = xcalloc(1, sizeof *set);

	set->worst = -1;
	set->origin = "files";
	set->oldest_xact_s = -1;
	mig_rates_default(&set->rates);
	return set;
}

/* Read, cut and split one found file into the set. */
static void
add_file(struct mig_set *set, struct found *fo, char *text, size_t len)
{
	struct mig_file *f = MIG_PUSH(set->files, set->nfiles);

	f->path = fo->path;
	f->name = fo->name;
	f->kind = fo->kind;
	f->version = fo->version;
	f->text = text;
	f->len = len;
	f->deploy = !is_rollback(f->kind) && f->kind != MIG_FILE_SQITCH_VERIFY;
	/* Flyway runs a migration in one transaction; golang-migrate and
	 * friends send an up file as one multi-statement query, which
	 * PostgreSQL runs as one implicit transaction.  psql -f and sqitch
	 * run statement by statement. */
	f->one_tx = f->kind == MIG_FILE_FLYWAY || f->kind == MIG_FILE_FLYWAY_UNDO ||
	    f->kind == MIG_FILE_FLYWAY_REPEATABLE || f->kind == MIG_FILE_UP ||
	    f->kind == MIG_FILE_DOWN;
	f->rollback = -1;
	index_lines(f);
	mig_cut_file(f);
	f->has_ignore_file = strstr(f->text, "pgdeck:ignore-file") != NULL;
	mig_split_file(set, set->nfiles - 1);
}

static void
finish(struct mig_set *set)
{
	link_rollbacks(set);
	set->ndeploy = 0;
	for (int i = 0; i < set->nstmts; i++) {
		struct mig_stmt *st = &set->stmts[i];

		if (!set->files[st->file].deploy)
			st->flags |= MIG_ROLLBACK_FILE;
		else
			set->ndeploy++;
	}
}

struct mig_set *
mig_load(const char *const *paths, int npaths, char **err)
{
	struct mig_set *set = set_new();
	struct finder fd = { .set = set };
	int readable = 0;

	*err = NULL;
	for (int i = 0; i < npaths; i++) {
		struct stat sb;
		char *version;

		fd.group = i;
		if (stat(paths[i], &sb) != 0) {
			mig_add_error(set, "%s: %s", paths[i], strerror(errno));
			continue;
		}
		readable++;
		if (S_ISDIR(sb.st_mode)) {
			walk(&fd, paths[i], "", 0);
		} else {
			const char *slash = strrchr(paths[i], '/');
			char *dirbase = NULL;

			if (slash != NULL && slash != paths[i]) {
				char *d = xstrndup(paths[i],
				    (size_t)(slash - paths[i]));

				dirbase = xstrdup(base_of(d));
				free(d);
			}
			add_found(&fd, paths[i], paths[i],
			    classify(base_of(paths[i]), dirbase, &version),
			    NULL, 0);
			fd.v[fd.n - 1].version = version;
			free(dirbase);
		}
	}
	if (readable == 0) {
		*err = set->nerrors > 0 ? xstrdup(set->errors[0]) :
		    xstrdup("no migration files given");
		mig_set_free(set);
		free(fd.v);
		return NULL;
	}
	if (fd.n > 1)
		qsort(fd.v, (size_t)fd.n, sizeof *fd.v, cmp_found);
	if (fd.n > MIG_MAX_FILES) {
		mig_add_error(set, "%d files: only the first %d are read",
		    fd.n, MIG_MAX_FILES);
		fd.n = MIG_MAX_FILES;
	}
	for (int i = 0; i < fd.n; i++) {
		char *text;
		size_t len;

		if (read_file(fd.v[i].path, &text, &len, MIG_MAX_FILE) != 0) {
			mig_add_error(set, "%s: %s", fd.v[i].name,
			    errno == EFBIG ? "file too large" : strerror(errno));
			free(fd.v[i].path);
			free(fd.v[i].name);
			free(fd.v[i].version);
			continue;
		}
		add_file(set, &fd.v[i], text, len);
	}
	free(fd.v);
	finish(set);
	return set;
}

struct mig_set *
mig_load_string(const char *name, const char *text, size_t len)
{
	struct mig_set *set = set_new();
	struct found fo = { 0 };
	char *copy = xmalloc(len + 1);

	memcpy(copy, text, len);
	copy[len] = '\0';
	fo.path = xstrdup(name);
	fo.name = xstrdup(name);
	fo.kind = classify(base_of(name), NULL, &fo.version);
	add_file(set, &fo, copy, len);
	finish(set);
	return set;
}

void
mig_set_free(struct mig_set *set)
{
	if (set == NULL)
		return;
	for (int i = 0; i < set->nfiles; i++) {
		struct mig_file *f = &set->files[i];

		free(f->path);
		free(f->name);
		free(f->version);
		free(f->text);
		free(f->line_starts);
		for (int j = 0; j < f->ncuts; j++)
			free(f->cuts[j].what);
		free(f->cuts);
	}
	free(set->files);
	for (int i = 0; i < set->nstmts; i++) {
		struct mig_stmt *st = &set->stmts[i];

		free(st->sql);
		free(st->what);
		for (int j = 0; j < st->ntargets; j++) {
			free(st->targets[j].schema);
			free(st->targets[j].name);
		}
		free(st->targets);
		free(st->est_why);
		free(st->dry_locks);
		free(st->dry_error);
		free(st->risk);
		if (st->tree != NULL)
			json_decref(st->tree);
	}
	free(set->stmts);
	for (int i = 0; i < set->nfindings; i++) {
		free(set->findings[i].message);
		free(set->findings[i].fix);
	}
	free(set->findings);
	for (int i = 0; i < set->nerrors; i++)
		free(set->errors[i]);
	free(set->errors);
	for (int i = 0; i < set->nwindows; i++)
		free(set->windows[i].rel);
	free(set->windows);
	free(set->timezone);
	free(set);
}
