/*
 * test_migrate_corpus.c - the migrations planner held to what PostgreSQL
 * 15 really does.  Every statement of every file in tests/migrate/corpus
 * is analysed against the database of tests/migrate/schema.sql and
 * compared with the "-- expect:" annotation in the comments before it
 * (its span); then the loader's edges: syntax errors, psql meta-commands
 * and COPY data, dollar quotes, 5,000 statements, spans, an unclosed
 * parenthesis, and inline suppression.
 *
 * Annotation keys (omitted keys are not checked):
 *   lock=NAME:Mode,...   exactly the targets with a lock, "-" none
 *   rewrite= scan= build= write=NAME,...   targets with that flag
 *   class=NAME           mig_class_name()
 *   findings=rule,...    exactly the rules not suppressed, "-" none
 *   suppressed=rule,...  exactly the rules suppressed, "-" none
 *   tx / notx            MIG_NO_TX clear / set
 *   in-tx                MIG_IN_TX set
 * "-- expect-bug: why" marks a statement the engine gets wrong today: its
 * differences are printed but do not fail the test.
 *
 * lock= names relations as pg_locks shows them, plus the type itself for
 * ALTER TYPE ... VALUE (an object lock); the ACCESS SHARE object locks
 * PostgreSQL takes on the namespaces, types and languages a statement
 * refers to are left out (but not the domain of ALTER DOMAIN ... ADD
 * CONSTRAINT), and so are a table's indexes, locked with it,
 * unless the statement names one or locks one harder than the table
 * (REINDEX).  DO blocks leave lock= out: the planner cannot see inside.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/strbuf.h"
#include "migrate/migrate.h"

#define CORPUS_DIR	PGDECK_SOURCE_DIR "/tests/migrate/corpus"
#define SCHEMA_SQL	PGDECK_SOURCE_DIR "/tests/migrate/schema.sql"
#define MAX_ITEMS	64

/* Every rule the engine knows; the corpus must expect each at least once. */
static const char *const all_rules[] = {
	"index-not-concurrent", "drop-index-not-concurrent",
	"reindex-not-concurrent", "concurrently-in-transaction",
	"constraint-not-valid", "validate-same-transaction", "set-not-null",
	"type-change-rewrite", "timestamptz-timezone",
	"type-change-dependent-view", "volatile-default",
	"add-column-rewrite", "required-column", "rename-column",
	"rename-table", "drop-column", "unique-without-index",
	"exclusion-constraint", "access-exclusive-held",
	"lock-timeout-missing", "unbatched-backfill",
	"enum-value-in-transaction", "fk-without-index", "drop-table",
	"truncate-cascade", "drop-database", "partition-attach-scan",
	"refresh-not-concurrent", "full-rewrite", "transaction-nesting",
	"unclosed-transaction", "flyway-mixed", "domain-constraint",
	"prefer-jsonb", "prefer-bigint", "prefer-identity", "prefer-text",
	"prefer-timestamptz", "ban-char", "opaque-code",
};
#define NRULES	(sizeof all_rules / sizeof all_rules[0])

static int	rule_seen[NRULES];

/* A comma-separated list split in place; "-" is the empty list. */
struct list {
	char	*item[MAX_ITEMS];
	int	 n;
};

static void
list_split(struct list *l, char *s)
{
	char	*p = s;

	l->n = 0;
	if (strcmp(s, "-") == 0 || *s == '\0')
		return;
	for (;;) {
		char	*comma = strchr(p, ',');

		if (comma != NULL)
			*comma = '\0';
		if (*p != '\0' && l->n < MAX_ITEMS)
			l->item[l->n++] = p;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
}

static int
list_has(const struct list *l, const char *s)
{
	int	i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->item[i], s) == 0)
			return 1;
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The list sorted and joined, for messages. */
static void
list_show(struct strbuf *sb, const struct list *l)
{
	const char	*sorted[MAX_ITEMS];
	int		 i;

	if (l->n == 0) {
		strbuf_addch(sb, '-');
		return;
	}
	memcpy(sorted, l->item, sizeof sorted[0] * (size_t)l->n);
	qsort(sorted, (size_t)l->n, sizeof sorted[0], cmp_str);
	for (i = 0; i < l->n; i++)
		strbuf_addf(sb, "%s%s", i ? "," : "", sorted[i]);
}

/* What a statement's span says about it. */
struct expect {
	char	*text;	/* the words of every "-- expect:" line */
	char	*bug;	/* the "-- expect-bug:" text, or NULL */
	char	*key[16], *val[16];
	int	 nkeys;
	int	 tx, notx, in_tx;
};

static void
expect_free(struct expect *e)
{
	free(e->text);
	free(e->bug);
}

static const char *
expect_get(const struct expect *e, const char *key)
{
	int	i;

	for (i = 0; i < e->nkeys; i++)
		if (strcmp(e->key[i], key) == 0)
			return e->val[i];
	return NULL;
}

/* Append the rest of the line at p to sb, trimmed, after 'sep'. */
static void
add_line(struct strbuf *sb, const char *p, const char *end, const char *sep)
{
	const char	*eol;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	for (eol = p; eol < end && *eol != '\n'; eol++)
		;
	while (eol > p && (eol[-1] == ' ' || eol[-1] == '\t' ||
	    eol[-1] == '\r'))
		eol--;
	if (sb->len > 0)
		strbuf_addstr(sb, sep);
	strbuf_add(sb, p, (size_t)(eol - p));
}

/*
 * Read the annotation out of the span [p, end).  Returns 0, or -1 with
 * a reason in 'why' (no annotation, unknown key).
 */
static int
expect_parse(struct expect *e, const char *p, const char *end,
    struct strbuf *why)
{
	static const char *const keys[] = { "lock", "rewrite", "scan",
	    "build", "write", "class", "findings", "suppressed" };
	struct strbuf	 words = STRBUF_INIT, bug = STRBUF_INIT;
	const char	*q;
	char		*w;
	int		 found = 0;

	memset(e, 0, sizeof *e);
	for (q = p; q < end; q++) {
		if (q != p && q[-1] != '\n')
			continue;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (end - q > 14 && strncmp(q, "-- expect-bug:", 14) == 0)
			add_line(&bug, q + 14, end, "; ");
		else if (end - q > 10 && strncmp(q, "-- expect:", 10) == 0) {
			add_line(&words, q + 10, end, " ");
			found = 1;
		}
	}
	e->text = strbuf_detach(&words);
	e->bug = bug.len ? strbuf_detach(&bug) : NULL;
	strbuf_release(&bug);
	if (!found) {
		strbuf_addstr(why, "no \"-- expect:\" annotation");
		return -1;
	}
	for (w = e->text; *w != '\0';) {
		char	*eq, *sp;
		size_t	 i;

		while (*w == ' ' || *w == '\t')
			w++;
		if (*w == '\0')
			break;
		sp = w + strcspn(w, " \t");
		if (*sp != '\0')
			*sp++ = '\0';
		eq = strchr(w, '=');
		if (eq == NULL) {
			if (strcmp(w, "tx") == 0)
				e->tx = 1;
			else if (strcmp(w, "notx") == 0)
				e->notx = 1;
			else if (strcmp(w, "in-tx") == 0)
				e->in_tx = 1;
			else {
				strbuf_addf(why, "unknown flag '%s'", w);
				return -1;
			}
		} else {
			*eq = '\0';
			for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
				if (strcmp(w, keys[i]) == 0)
					break;
			if (i == sizeof keys / sizeof keys[0] ||
			    e->nkeys == 16) {
				strbuf_addf(why, "unknown key '%s'", w);
				return -1;
			}
			e->key[e->nkeys] = w;
			e->val[e->nkeys++] = eq + 1;
		}
		w = sp;
	}
	return 0;
}

/* A target's name as the corpus writes it, matched both ways. */
static int
target_is(const struct mig_target *t, const char *name)
{
	size_t	n;

	if (strcmp(t->name, name) == 0)
		return 1;
	if (t->schema == NULL)
		return 0;
	n = strlen(t->schema);
	return strncmp(name, t->schema, n) == 0 && name[n] == '.' &&
	    strcmp(name + n + 1, t->name) == 0;
}

static void
target_show(struct strbuf *sb, const struct mig_target *t)
{
	if (t->schema != NULL)
		strbuf_addf(sb, "%s.", t->schema);
	strbuf_addstr(sb, t->name);
}

/* lock=: every expected NAME:Mode matched by its own target. */
static void
check_lock(const struct mig_stmt *st, const char *want, struct strbuf *diff)
{
	struct strbuf	 got = STRBUF_INIT;
	struct list	 l;
	char		*copy = strdup(want);
	int		 used[256] = { 0 };
	int		 i, j, nlocked = 0, ok = 1;

	list_split(&l, copy);
	for (i = 0; i < st->ntargets && i < 256; i++) {
		const struct mig_target	*t = &st->targets[i];

		if (t->lock == MIG_LOCK_NONE)
			continue;
		if (nlocked++)
			strbuf_addch(&got, ',');
		target_show(&got, t);
		strbuf_addf(&got, ":%s", mig_lock_name(t->lock));
	}
	for (j = 0; j < l.n; j++) {
		char	*colon = strrchr(l.item[j], ':');
		int	 hit = 0;

		if (colon == NULL) {
			ok = 0;
			break;
		}
		*colon = '\0';
		for (i = 0; i < st->ntargets && i < 256 && !hit; i++) {
			const struct mig_target	*t = &st->targets[i];

			if (!used[i] && t->lock != MIG_LOCK_NONE &&
			    target_is(t, l.item[j]) &&
			    strcmp(mig_lock_name(t->lock), colon + 1) == 0)
				used[i] = hit = 1;
		}
		*colon = ':';
		if (!hit)
			ok = 0;
	}
	if (!ok || l.n != nlocked)
		strbuf_addf(diff, "    lock: expected %s, got %s\n", want,
		    nlocked ? got.buf : "-");
	strbuf_release(&got);
	free(copy);
}

/* rewrite= scan= build= write=: the set of targets with 'flag'. */
static void
check_flag(const struct mig_stmt *st, const char *key, unsigned flag,
    const char *want, struct strbuf *diff)
{
	struct strbuf	 got = STRBUF_INIT;
	struct list	 l;
	char		*copy = strdup(want);
	int		 i, j, ok = 1, ngot = 0;

	list_split(&l, copy);
	for (i = 0; i < st->ntargets; i++) {
		const struct mig_target	*t = &st->targets[i];
		int			 hit = 0;

		if (!(t->flags & flag))
			continue;
		for (j = 0; j < l.n; j++)
			if (target_is(t, l.item[j]))
				hit = 1;
		if (!hit)
			ok = 0;
		if (ngot++)
			strbuf_addch(&got, ',');
		target_show(&got, t);
	}
	for (j = 0; j < l.n; j++) {
		int	hit = 0;

		for (i = 0; i < st->ntargets; i++)
			if ((st->targets[i].flags & flag) &&
			    target_is(&st->targets[i], l.item[j]))
				hit = 1;
		if (!hit)
			ok = 0;
	}
	if (!ok)
		strbuf_addf(diff, "    %s: expected %s, got %s\n", key, want,
		    ngot ? got.buf : "-");
	strbuf_release(&got);
	free(copy);
}

/* findings= or suppressed=: the set of rules on statement 'idx'. */
static void
check_rules(const struct mig_set *set, int idx, const char *key,
    int suppressed, const char *want, struct strbuf *diff)
{
	struct list	 exp, got;
	char		*copy = strdup(want);
	int		 i, ok = 1;
	size_t		 r;

	list_split(&exp, copy);
	got.n = 0;
	for (i = 0; i < set->nfindings; i++) {
		const struct mig_finding	*f = &set->findings[i];

		if (f->stmt != idx || !f->suppressed != !suppressed)
			continue;
		if (!list_has(&got, f->rule) && got.n < MAX_ITEMS)
			got.item[got.n++] = (char *)f->rule;
	}
	for (i = 0; i < exp.n; i++) {
		for (r = 0; r < NRULES; r++)
			if (strcmp(exp.item[i], all_rules[r]) == 0)
				rule_seen[r] = 1;
		if (!list_has(&got, exp.item[i]))
			ok = 0;
	}
	for (i = 0; i < got.n; i++)
		if (!list_has(&exp, got.item[i]))
			ok = 0;
	if (!ok) {
		strbuf_addf(diff, "    %s: expected ", key);
		list_show(diff, &exp);
		strbuf_addstr(diff, ", got ");
		list_show(diff, &got);
		strbuf_addch(diff, '\n');
	}
	free(copy);
}

/* Every difference between statement 'idx' and its annotation. */
static void
check_stmt(const struct mig_set *set, int idx, const struct expect *e,
    struct strbuf *diff)
{
	const struct mig_stmt	*st = &set->stmts[idx];
	const char		*v;

	if (st->flags & MIG_PARSE_ERROR)
		strbuf_addstr(diff, "    not parsed\n");
	if ((v = expect_get(e, "lock")) != NULL)
		check_lock(st, v, diff);
	if ((v = expect_get(e, "rewrite")) != NULL)
		check_flag(st, "rewrite", MIG_REWRITE, v, diff);
	if ((v = expect_get(e, "scan")) != NULL)
		check_flag(st, "scan", MIG_SCAN, v, diff);
	if ((v = expect_get(e, "build")) != NULL)
		check_flag(st, "build", MIG_BUILD, v, diff);
	if ((v = expect_get(e, "write")) != NULL)
		check_flag(st, "write", MIG_WRITE, v, diff);
	if ((v = expect_get(e, "class")) != NULL &&
	    strcmp(v, mig_class_name(st->cls)) != 0)
		strbuf_addf(diff, "    class: expected %s, got %s\n", v,
		    mig_class_name(st->cls));
	if (e->notx && !(st->flags & MIG_NO_TX))
		strbuf_addstr(diff, "    notx: expected MIG_NO_TX, not set\n");
	if (e->tx && (st->flags & MIG_NO_TX))
		strbuf_addstr(diff, "    tx: expected no MIG_NO_TX, set\n");
	if (e->in_tx && !(st->flags & MIG_IN_TX))
		strbuf_addstr(diff, "    in-tx: expected MIG_IN_TX, not set\n");
	if ((v = expect_get(e, "findings")) != NULL)
		check_rules(set, idx, "findings", 0, v, diff);
	if ((v = expect_get(e, "suppressed")) != NULL)
		check_rules(set, idx, "suppressed", 1, v, diff);
}

static char *
read_text(const char *path)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		 buf[8192];
	size_t		 n;
	FILE		*fp = fopen(path, "r");

	assert_non_null(fp);
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(fp);
	return strbuf_detach(&sb);
}

static struct mig_catalog *
schema_catalog(void)
{
	static char		*schema;
	struct mig_catalog	*cat = mig_catalog_new();
	char			*err = NULL;

	if (schema == NULL)
		schema = read_text(SCHEMA_SQL);
	if (mig_catalog_add_sql(cat, "schema.sql", schema, &err) != 0) {
		print_error("schema.sql: %s\n", err ? err : "(no reason)");
		free(err);
		fail();
	}
	return cat;
}

/* The first line of a statement, for messages. */
static void
stmt_show(struct strbuf *sb, const struct mig_stmt *st)
{
	const char	*sql = st->sql ? st->sql : "";
	size_t		 n = strcspn(sql, "\n");

	strbuf_add(sb, sql, n);
	if (sql[n] != '\0')
		strbuf_addstr(sb, " ...");
}

struct tally {
	int	 nstmts;
	int	 nfailed;
	int	 nbugs;		/* expect-bug statements differing */
	int	 nfixed;	/* expect-bug statements agreeing */
};

/* Load, analyse and check one corpus file; reports go to 'out'. */
static void
check_file(const char *dir, const char *base, struct tally *t,
    struct strbuf *out, struct strbuf *bugs)
{
	struct strbuf		 path = STRBUF_INIT;
	struct mig_catalog	*cat = schema_catalog();
	struct mig_set		*set;
	const char		*paths[1];
	char			*err = NULL;
	int			 i;

	strbuf_addf(&path, "%s/%s", dir, base);
	paths[0] = path.buf;
	set = mig_load(paths, 1, &err);
	if (set == NULL) {
		strbuf_addf(out, "%s: not loaded: %s\n", base,
		    err ? err : "(no reason)");
		t->nfailed++;
		free(err);
		goto out;
	}
	for (i = 0; i < set->nerrors; i++) {
		strbuf_addf(out, "%s: load error: %s\n", base, set->errors[i]);
		t->nfailed++;
	}
	mig_analyze(set, cat);
	for (i = 0; i < set->nstmts; i++) {
		const struct mig_stmt	*st = &set->stmts[i];
		const struct mig_file	*f = &set->files[st->file];
		struct strbuf		 diff = STRBUF_INIT;
		struct expect		 e;

		t->nstmts++;
		memset(&e, 0, sizeof e);
		if (st->off < st->span || st->off > f->len)
			strbuf_addstr(&diff, "    span out of order\n");
		else if (expect_parse(&e, f->text + st->span,
		    f->text + st->off, &diff) == 0)
			check_stmt(set, i, &e, &diff);
		if (diff.len > 0) {
			struct strbuf	*to = e.bug ? bugs : out;

			strbuf_addf(to, "%s:%d: ", base, st->line);
			stmt_show(to, st);
			if (e.bug)
				strbuf_addf(to, "\n    expect-bug: %s", e.bug);
			strbuf_addf(to, "\n%s", diff.buf);
			if (e.bug)
				t->nbugs++;
			else
				t->nfailed++;
		} else if (e.bug) {
			strbuf_addf(bugs, "%s:%d: expect-bug now agrees, "
			    "drop the annotation: %s\n", base, st->line,
			    e.bug);
			t->nfixed++;
		}
		expect_free(&e);
		strbuf_release(&diff);
	}
	mig_set_free(set);
out:
	mig_catalog_free(cat);
	strbuf_release(&path);
}

static void
test_corpus(void **state)
{
	struct strbuf	 out = STRBUF_INIT, bugs = STRBUF_INIT;
	struct tally	 t = { 0, 0, 0, 0 };
	char		*names[256];
	int		 n = 0, i;
	size_t		 r;
	DIR		*d = opendir(CORPUS_DIR);
	struct dirent	*de;

	(void)state;
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		size_t	len = strlen(de->d_name);

		if (len > 4 && strcmp(de->d_name + len - 4, ".sql") == 0 &&
		    n < 256)
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof names[0], cmp_str);
	assert_true(n >= 15);
	for (i = 0; i < n; i++) {
		check_file(CORPUS_DIR, names[i], &t, &out, &bugs);
		free(names[i]);
	}
	for (r = 0; r < NRULES; r++)
		if (!rule_seen[r]) {
			strbuf_addf(&out, "corpus: no statement expects rule "
			    "%s\n", all_rules[r]);
			t.nfailed++;
		}
	if (bugs.len > 0) {
		fputs("known engine bugs (expect-bug), not failing:\n", stderr);
		fputs(bugs.buf, stderr);
	}
	print_message("corpus: %d files, %d statements, %d differ, "
	    "%d known bugs, %d expect-bug now agree\n", n, t.nstmts,
	    t.nfailed, t.nbugs, t.nfixed);
	if (t.nfailed > 0)
		fputs(out.buf, stderr);	/* print_error() cuts it */
	assert_true(t.nstmts >= 150);
	assert_int_equal(t.nfailed, 0);
	strbuf_release(&out);
	strbuf_release(&bugs);
}

/* Statements whose flags do not include MIG_PARSE_ERROR. */
static int
nparsed(const struct mig_set *set)
{
	int	i, n = 0;

	for (i = 0; i < set->nstmts; i++)
		if (!(set->stmts[i].flags & MIG_PARSE_ERROR))
			n++;
	return n;
}

static struct mig_set *
load(const char *name, const char *text)
{
	struct mig_set	*set = mig_load_string(name, text, strlen(text));

	assert_non_null(set);
	assert_int_equal(set->nfiles, 1);
	return set;
}

/* A syntax error is named file:line:col; the statements around it load. */
static void
test_syntax_error(void **state)
{
	static const char text[] =
	    "CREATE TABLE a (id bigint);\n"
	    "\n"
	    "ALTER TABLE a ADD COLUMN b int int;\n"
	    "CREATE TABLE c (id bigint);\n";
	struct mig_set	*set = load("bad.sql", text);
	int		 i, bad = -1;

	(void)state;
	assert_int_equal(set->nerrors, 1);
	assert_non_null(strstr(set->errors[0], "bad.sql:3:32:"));
	assert_int_equal(set->files[0].nerrors, 1);
	assert_int_equal(nparsed(set), 2);
	mig_analyze(set, NULL);
	for (i = 0; i < set->nstmts; i++) {
		if (set->stmts[i].flags & MIG_PARSE_ERROR) {
			bad = i;
			continue;
		}
		assert_string_equal(set->stmts[i].tag, "CREATE TABLE");
	}
	if (bad >= 0)
		assert_int_equal(set->stmts[bad].line, 3);
	assert_string_equal(set->stmts[set->nstmts - 1].sql,
	    "CREATE TABLE c (id bigint)");
	mig_set_free(set);
}

/*
 * The same read from a file names the file.  As in psql, a semicolon
 * inside an open parenthesis does not end the statement: the unclosed
 * DROP runs on to the end of the file, taking CREATE TABLE ok with it
 * (psql sends both as one query and reports one error for them), but the
 * statements before it stand on their own: psql reports 2:1 and 3:16.
 */
static void
test_syntax_error_file(void **state)
{
	char		 dir[] = "/tmp/pgdeck-corpus-XXXXXX";
	struct strbuf	 path = STRBUF_INIT;
	struct mig_set	*set;
	const char	*paths[1];
	char		*err = NULL;
	FILE		*fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	strbuf_addf(&path, "%s/V7__broken.sql", dir);
	fp = fopen(path.buf, "w");
	assert_non_null(fp);
	fputs("SET lock_timeout = '1s';\nSELEC 1;\n  DROP TABLE x (;\n"
	    "CREATE TABLE ok (id bigint);\n", fp);
	fclose(fp);
	paths[0] = path.buf;
	set = mig_load(paths, 1, &err);
	assert_non_null(set);
	assert_int_equal(set->files[0].kind, MIG_FILE_FLYWAY);
	assert_true(set->nerrors >= 1);
	assert_non_null(strstr(set->errors[0], "V7__broken.sql:2:1:"));
	/* SELEC 1; is a statement of its own, as psql sends it. */
	assert_int_equal(set->nerrors, 2);
	assert_non_null(strstr(set->errors[1], "V7__broken.sql:3:16:"));
	assert_int_equal(set->nstmts, 3);
	assert_int_equal(nparsed(set), 1);
	assert_int_equal(set->stmts[1].line, 2);
	assert_int_equal(set->stmts[2].line, 3);
	mig_set_free(set);
	unlink(path.buf);
	rmdir(dir);
	strbuf_release(&path);
}

/* psql meta-commands and COPY ... FROM stdin data are cut and reported. */
static void
test_cuts(void **state)
{
	static const char text[] =
	    "\\set ON_ERROR_STOP on\n"			/* 1 */
	    "SET lock_timeout = '1s';\n"		/* 2 */
	    "COPY t (a, b) FROM stdin;\n"		/* 3 */
	    "1\tx;y\n"					/* 4 */
	    "2\t\\N\n"					/* 5 */
	    "\\.\n"					/* 6 */
	    "  \\echo done; really\n"			/* 7 */
	    "CREATE TABLE u (id bigint);\n"		/* 8 */
	    "SELECT 1 \\gset\n"				/* 9 */
	    "COPY t TO stdout;\n";			/* 10 */
	struct mig_set		*set = load("cuts.sql", text);
	const struct mig_file	*f = &set->files[0];
	int			 i, meta_set = 0, meta_echo = 0, data = 0;

	(void)state;
	assert_int_equal(set->nerrors, 0);
	for (i = 0; i < f->ncuts; i++) {
		const struct mig_cut	*c = &f->cuts[i];

		assert_non_null(c->what);
		if (c->line == 1 && strstr(c->what, "\\set") != NULL)
			meta_set = 1;
		if (c->line == 7 && strstr(c->what, "\\echo") != NULL)
			meta_echo = 1;
		if (c->line == 4 && (c->end_line == 5 || c->end_line == 6) &&
		    strstr(c->what, "COPY") != NULL)
			data = 1;
	}
	assert_true(meta_set);
	assert_true(meta_echo);
	assert_true(data);
	/* The data is gone from the text the statements were split from. */
	assert_null(strstr(f->text, "x;y"));
	assert_null(strstr(f->text, "really"));
	assert_int_equal(set->nstmts, 5);
	assert_string_equal(set->stmts[0].sql, "SET lock_timeout = '1s'");
	assert_string_equal(set->stmts[1].sql, "COPY t (a, b) FROM stdin");
	assert_int_equal(set->stmts[1].line, 3);
	assert_string_equal(set->stmts[2].sql, "CREATE TABLE u (id bigint)");
	assert_int_equal(set->stmts[2].line, 8);
	assert_string_equal(set->stmts[3].sql, "SELECT 1");
	assert_int_equal(set->stmts[4].line, 10);
	mig_set_free(set);
}

/* Dollar quotes, DO blocks, function bodies, strings and identifiers
 * keep their semicolons. */
static void
test_dollar_quotes(void **state)
{
	static const char text[] =
	    "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\n"
	    "BEGIN RETURN 1; END;\n"
	    "$$;\n"
	    "DO $do$ BEGIN PERFORM 1; RAISE NOTICE '$$;'; END $do$;\n"
	    "CREATE FUNCTION g() RETURNS text LANGUAGE sql\n"
	    "  AS $x$ SELECT 'a;b' $x$;\n"
	    "DO LANGUAGE plpgsql $b$ BEGIN /* ; */ NULL; END $b$;\n"
	    "SELECT 'it''s; ok' AS \"we;ird\", $q$;$q$, E'\\';';\n"
	    "CREATE FUNCTION h() RETURNS int LANGUAGE sql\n"
	    "  BEGIN ATOMIC SELECT 1; SELECT 2; END;\n"
	    "SELECT 3;\n";
	static const char *const tags[] = { "CREATE FUNCTION", "DO",
	    "CREATE FUNCTION", "DO", "SELECT", "CREATE FUNCTION", "SELECT" };
	struct mig_set	*set = load("quotes.sql", text);
	int		 i, nopaque = 0;

	(void)state;
	assert_int_equal(set->nerrors, 0);
	assert_int_equal(set->nstmts, 7);
	mig_analyze(set, NULL);
	for (i = 0; i < set->nstmts; i++)
		assert_string_equal(set->stmts[i].tag, tags[i]);
	assert_int_equal(set->stmts[1].line, 4);
	assert_int_equal(set->stmts[4].line, 8);
	assert_int_equal(set->stmts[5].line, 9);
	assert_int_equal(set->stmts[5].end_line, 10);
	assert_string_equal(set->stmts[6].sql, "SELECT 3");
	for (i = 0; i < set->nfindings; i++)
		if (strcmp(set->findings[i].rule, "opaque-code") == 0) {
			assert_true(set->findings[i].stmt == 1 ||
			    set->findings[i].stmt == 3);
			nopaque++;
		}
	assert_int_equal(nopaque, 2);
	mig_set_free(set);
}

/* 5,000 statements load as 5,000 statements, each on its own line. */
static void
test_5000(void **state)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct mig_set	*set;
	int		 i;

	(void)state;
	for (i = 0; i < 5000; i++) {
		if (i % 3 == 0)
			strbuf_addf(&sb, "ALTER TABLE t%d ADD COLUMN c text;\n",
			    i);
		else if (i % 3 == 1)
			strbuf_addf(&sb, "-- step %d\nUPDATE t SET n = %d "
			    "WHERE id = %d;\n", i, i, i);
		else
			strbuf_addf(&sb, "CREATE INDEX CONCURRENTLY i%d ON t "
			    "(c%d);\n", i, i);
	}
	set = mig_load_string("many.sql", sb.buf, sb.len);
	assert_non_null(set);
	assert_int_equal(set->nerrors, 0);
	assert_int_equal(set->nstmts, 5000);
	assert_int_equal(set->files[0].nstmts, 5000);
	assert_string_equal(set->stmts[4999].sql,
	    "UPDATE t SET n = 4999 WHERE id = 4999");
	assert_string_equal(set->stmts[4997].sql,
	    "CREATE INDEX CONCURRENTLY i4997 ON t (c4997)");
	mig_analyze(set, NULL);
	assert_int_equal(set->nstmts, 5000);
	mig_set_free(set);
	strbuf_release(&sb);
}

/* Comments before a statement are in its span; its line and column are
 * those of its first token. */
static void
test_span(void **state)
{
	static const char text[] =
	    "SET lock_timeout = '1s';\n"		/* 1 */
	    "\n"					/* 2 */
	    "-- leading comment\n"			/* 3 */
	    "/* block\n"				/* 4 */
	    "   comment */\n"				/* 5 */
	    "  ALTER TABLE t\n"				/* 6 */
	    "    ADD COLUMN x text;\n"			/* 7 */
	    "SELECT 1; SELECT 2;\n";			/* 8 */
	struct mig_set		*set = load("span.sql", text);
	const struct mig_stmt	*st;
	char			*span;

	(void)state;
	assert_int_equal(set->nstmts, 4);
	st = &set->stmts[1];
	assert_int_equal(st->line, 6);
	assert_int_equal(st->col, 3);
	assert_int_equal(st->end_line, 7);
	assert_true(st->span < st->off);
	assert_int_equal(st->off, (size_t)(strstr(text, "ALTER") - text));
	span = strndup(text + st->span, st->off - st->span);
	assert_non_null(strstr(span, "-- leading comment"));
	assert_non_null(strstr(span, "/* block"));
	assert_null(strstr(span, "SET lock_timeout"));
	free(span);
	assert_string_equal(st->sql, "ALTER TABLE t\n    ADD COLUMN x text");
	assert_int_equal(set->stmts[0].line, 1);
	assert_int_equal(set->stmts[0].col, 1);
	assert_int_equal(set->stmts[3].line, 8);
	assert_int_equal(set->stmts[3].col, 11);
	mig_set_free(set);
}

/* An unclosed parenthesis is an error, never a silently empty set. */
static void
test_unclosed_paren(void **state)
{
	static const char text[] =
	    "CREATE TABLE t (id bigint,\n"
	    "  name text;\n";
	static const char text2[] =
	    "SET lock_timeout = '1s';\n"
	    "ALTER TABLE t ADD CONSTRAINT c CHECK ((a > 0);\n";
	struct mig_set	*set = load("open.sql", text);

	(void)state;
	assert_true(set->nerrors >= 1);
	assert_non_null(strstr(set->errors[0], "open.sql:"));
	assert_int_equal(nparsed(set), 0);
	mig_set_free(set);
	set = load("open2.sql", text2);
	assert_true(set->nerrors >= 1);
	assert_non_null(strstr(set->errors[0], "open2.sql:2:"));
	assert_int_equal(nparsed(set), 1);
	mig_set_free(set);
}

/* "-- pgdeck:ignore RULE" suppresses that rule on its own statement. */
static void
test_suppression(void **state)
{
	static const char text[] =
	    "SET lock_timeout = '1s';\n"
	    "-- pgdeck:ignore drop-table\n"
	    "DROP TABLE customers;\n"
	    "DROP TABLE orders;\n"
	    "-- pgdeck:ignore rename-column\n"
	    "DROP TABLE sessions;\n";
	struct mig_catalog	*cat = schema_catalog();
	struct mig_set		*set = load("ignore.sql", text);
	int			 i, seen[3] = { 0, 0, 0 };

	(void)state;
	mig_analyze(set, cat);
	for (i = 0; i < set->nfindings; i++) {
		const struct mig_finding	*f = &set->findings[i];

		if (strcmp(f->rule, "drop-table") != 0)
			continue;
		assert_true(f->stmt >= 1 && f->stmt <= 3);
		assert_int_equal(f->suppressed, f->stmt == 1);
		seen[f->stmt - 1] = 1;
	}
	assert_true(seen[0] && seen[1] && seen[2]);
	mig_set_free(set);
	mig_catalog_free(cat);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_syntax_error),
		cmocka_unit_test(test_syntax_error_file),
		cmocka_unit_test(test_cuts),
		cmocka_unit_test(test_dollar_quotes),
		cmocka_unit_test(test_5000),
		cmocka_unit_test(test_span),
		cmocka_unit_test(test_unclosed_paren),
		cmocka_unit_test(test_suppression),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
