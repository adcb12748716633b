/*
 * lint.c - the Schema pane's findings, the bloat estimates and FK
 * cardinality, all on a loaded (or hand-built) catalog.
 *
 * Partitions are judged through their root: a partition inherits its
 * root's primary key and indexes, so "no primary key" or a duplicate
 * pair of partitioned indexes is reported once, at the root, not once
 * per partition.
 */
#include "schema.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/strbuf.h"
#include "core/util.h"
#include "core/banned.h"

struct lint {
	const struct sch_catalog *cat;
	struct sch_finding	 *v;
	int			  n;
	size_t			  alloc;
};

static struct sch_finding *
add(struct lint *l, const char *rule, enum sch_severity sev, int rel)
{
	struct sch_finding	*f;

	xgrow((void **)&l->v, &l->alloc, (size_t)l->n + 1, sizeof *l->v);
	f = &l->v[l->n++];
	memset(f, 0, sizeof *f);
	f->rule = rule;
	f->severity = sev;
	f->rel = rel;
	f->index = -1;
	f->constraint = -1;
	return f;
}

/* An identifier as SQL needs it: quoted unless plain lower case. */
static void
add_ident(struct strbuf *sb, const char *id)
{
	static const char *const reserved[] = { "all", "and", "any", "as",
	    "check", "column", "constraint", "default", "desc", "do", "end",
	    "for", "from", "group", "in", "index", "into", "is", "key",
	    "limit", "not", "null", "on", "or", "order", "primary",
	    "references", "select", "table", "to", "type", "union", "unique",
	    "user", "where", "with" };
	const char	*s;
	size_t		 i;
	int		 plain = (*id >= 'a' && *id <= 'z') || *id == '_';

	for (s = id; *s != '\0' && plain; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '_' || *s == '$'))
			plain = 0;
	for (i = 0; plain && i < sizeof reserved / sizeof *reserved; i++)
		if (strcmp(id, reserved[i]) == 0)
			plain = 0;
	if (plain) {
		strbuf_addstr(sb, id);
		return;
	}
	strbuf_addch(sb, '"');
	for (s = id; *s != '\0'; s++) {
		if (*s == '"')
			strbuf_addch(sb, '"');
		strbuf_addch(sb, *s);
	}
	strbuf_addch(sb, '"');
}

static void
add_qualified(struct strbuf *sb, const struct sch_catalog *cat, int schema,
    const char *name)
{
	if (schema >= 0) {
		add_ident(sb, cat->schemas[schema].name);
		strbuf_addch(sb, '.');
	}
	add_ident(sb, name);
}

static void
add_rel(struct strbuf *sb, const struct sch_catalog *cat, int rel)
{
	add_qualified(sb, cat, cat->rels[rel].schema, cat->rels[rel].name);
}

static void
add_index_name(struct strbuf *sb, const struct sch_catalog *cat, int x)
{
	add_qualified(sb, cat, cat->rels[cat->indexes[x].rel].schema,
	    cat->indexes[x].name);
}

/* "a, b" from attnums of 'rel' ("expr" for 0). */
static void
add_columns(struct strbuf *sb, const struct sch_catalog *cat, int rel,
    const int *attnums, int n)
{
	int	i;

	for (i = 0; i < n; i++) {
		const struct sch_column *col = sch_column(cat, rel, attnums[i]);

		if (i > 0)
			strbuf_addstr(sb, ", ");
		if (attnums[i] == 0)
			strbuf_addstr(sb, "(expression)");
		else if (col != NULL)
			add_ident(sb, col->name);
		else
			strbuf_addf(sb, "#%d", attnums[i]);
	}
}

static void
add_bytes(struct strbuf *sb, int64_t n)
{
	char	buf[32];

	fmt_bytes(buf, sizeof buf, (double)n);
	strbuf_addstr(sb, buf);
}

static int
nullable_streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static int
is_btree(const struct sch_index *x)
{
	return x->am != NULL && strcmp(x->am, "btree") == 0;
}

/* The constraint backed by index 'x', or -1. */
static int
backing_constraint(const struct sch_catalog *cat, int x)
{
	const struct sch_rel	*r = &cat->rels[cat->indexes[x].rel];
	int			 i;

	for (i = 0; i < r->nconstraints; i++)
		if (cat->constraints[r->constraints[i]].index == x)
			return r->constraints[i];
	return -1;
}

/* Is 'a' (n attnums) the same set as 'b' (n attnums)? */
static int
same_set(const int *a, const int *b, int n)
{
	int	i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++)
			if (a[i] == b[j])
				break;
		if (j == n)
			return 0;
	}
	for (j = 0; j < n; j++) {
		for (i = 0; i < n; i++)
			if (a[i] == b[j])
				break;
		if (i == n)
			return 0;
	}
	return 1;
}

static int
is_root_table(const struct sch_rel *r)
{
	return (r->kind == 'r' || r->kind == 'p') && !r->is_partition;
}

static void
lint_primary_key(struct lint *l, int rel)
{
	const struct sch_catalog	*cat = l->cat;
	const struct sch_rel		*r = &cat->rels[rel];
	struct strbuf			 msg = STRBUF_INIT, fix = STRBUF_INIT;
	struct sch_finding		*f;
	int				 i, candidate = -1;

	if (!is_root_table(r))
		return;
	for (i = 0; i < r->nconstraints; i++)
		if (cat->constraints[r->constraints[i]].type == 'p')
			return;
	/* A unique index over NOT NULL columns could become the key. */
	for (i = 0; i < r->nindexes && candidate < 0; i++) {
		const struct sch_index	*x = &cat->indexes[r->indexes[i]];
		int			 k, ok = x->unique && x->valid &&
					    !x->partial && is_btree(x);

		for (k = 0; ok && k < x->nkeyatts; k++) {
			const struct sch_column *c = sch_column(cat, rel,
			    x->keys[k]);

			ok = c != NULL && c->notnull;
		}
		if (ok && x->nkeys == x->nkeyatts)
			candidate = r->indexes[i];
	}
	strbuf_addstr(&msg, "table ");
	add_rel(&msg, cat, rel);
	strbuf_addstr(&msg, " has no primary key: its rows have no stable"
	    " identity (UPDATE and DELETE fail once it is published for"
	    " logical replication)");
	if (candidate >= 0) {
		strbuf_addstr(&msg, "; unique index ");
		add_ident(&msg, cat->indexes[candidate].name);
		strbuf_addstr(&msg, " on NOT NULL columns could be it");
		strbuf_addstr(&fix, "ALTER TABLE ");
		add_rel(&fix, cat, rel);
		strbuf_addstr(&fix, " ADD PRIMARY KEY USING INDEX ");
		add_ident(&fix, cat->indexes[candidate].name);
		strbuf_addch(&fix, ';');
	} else {
		strbuf_addstr(&fix, "ALTER TABLE ");
		add_rel(&fix, cat, rel);
		strbuf_addstr(&fix, " ADD PRIMARY KEY (...); -- or ADD"
		    " COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY"
		    " KEY");
	}
	f = add(l, "no-primary-key", SCH_SEV_WARNING, rel);
	f->message = strbuf_detach(&msg);
	f->fix = strbuf_detach(&fix);
}

/*
 * Does index 'x' serve lookups on the 'n' columns 'cols' of its table:
 * its leading n key columns are those columns, in any order?
 */
static int
index_leads_with(const struct sch_index *x, const int *cols, int n)
{
	if (!x->valid || x->partial || x->nkeyatts < n)
		return 0;
	if (!is_btree(x) && !(x->am != NULL && strcmp(x->am, "hash") == 0 &&
	    n == 1 && x->nkeyatts == 1))
		return 0;
	return same_set(x->keys, cols, n);
}

static void
lint_fk_index(struct lint *l, int k)
{
	const struct sch_catalog	*cat = l->cat;
	const struct sch_constraint	*fk = &cat->constraints[k];
	const struct sch_rel		*r = &cat->rels[fk->rel];
	struct strbuf			 msg = STRBUF_INIT, fix = STRBUF_INIT;
	struct sch_finding		*f;
	int				 i, j, near = -1;

	for (i = 0; i < r->nindexes; i++) {
		const struct sch_index *x = &cat->indexes[r->indexes[i]];

		if (index_leads_with(x, fk->cols, fk->ncols))
			return;
		for (j = 0; near < 0 && j < x->nkeys; j++)
			if (x->keys[j] == fk->cols[0])
				near = r->indexes[i];
	}
	strbuf_addstr(&msg, "foreign key ");
	add_ident(&msg, fk->name);
	strbuf_addstr(&msg, " (");
	add_columns(&msg, cat, fk->rel, fk->cols, fk->ncols);
	strbuf_addstr(&msg, ") has no index leading with its columns: every"
	    " DELETE or key UPDATE in ");
	if (fk->ref_rel >= 0)
		add_rel(&msg, cat, fk->ref_rel);
	else
		strbuf_addstr(&msg, "the referenced table");
	strbuf_addstr(&msg, " scans ");
	add_rel(&msg, cat, fk->rel);
	if (near >= 0) {
		const struct sch_index *x = &cat->indexes[near];

		strbuf_addstr(&msg, " (index ");
		add_ident(&msg, x->name);
		strbuf_addstr(&msg, !x->valid ? " is invalid" : x->partial ?
		    " is partial" : " has the column but not first");
		strbuf_addch(&msg, ')');
	}
	strbuf_addstr(&fix, "CREATE INDEX ");
	if (r->kind != 'p')
		strbuf_addstr(&fix, "CONCURRENTLY ");
	strbuf_addstr(&fix, "ON ");
	add_rel(&fix, cat, fk->rel);
	strbuf_addstr(&fix, " (");
	add_columns(&fix, cat, fk->rel, fk->cols, fk->ncols);
	strbuf_addstr(&fix, ");");
	f = add(l, "fk-without-index", SCH_SEV_WARNING, fk->rel);
	f->constraint = k;
	f->message = strbuf_detach(&msg);
	f->fix = strbuf_detach(&fix);
}

static void
lint_fk_types(struct lint *l, int k)
{
	const struct sch_catalog	*cat = l->cat;
	const struct sch_constraint	*fk = &cat->constraints[k];
	int				 i;

	if (fk->ref_rel < 0)
		return;
	for (i = 0; i < fk->ncols; i++) {
		const struct sch_column	*c = sch_column(cat, fk->rel,
					    fk->cols[i]);
		const struct sch_column	*p = sch_column(cat, fk->ref_rel,
					    fk->ref_cols[i]);
		struct strbuf		 msg = STRBUF_INIT, fix = STRBUF_INIT;
		struct sch_finding	*f;

		if (c == NULL || p == NULL || c->type == NULL ||
		    p->type == NULL || strcmp(c->type, p->type) == 0)
			continue;
		strbuf_addstr(&msg, "foreign key ");
		add_ident(&msg, fk->name);
		strbuf_addstr(&msg, ": column ");
		add_ident(&msg, c->name);
		strbuf_addf(&msg, " is %s but references ", c->type);
		add_rel(&msg, cat, fk->ref_rel);
		strbuf_addch(&msg, '.');
		add_ident(&msg, p->name);
		strbuf_addf(&msg, " of type %s: every check converts, and"
		    " values may not fit", p->type);
		strbuf_addstr(&fix, "ALTER TABLE ");
		add_rel(&fix, cat, fk->rel);
		strbuf_addstr(&fix, " ALTER COLUMN ");
		add_ident(&fix, c->name);
		strbuf_addf(&fix, " TYPE %s; -- may rewrite the table",
		    p->type);
		f = add(l, "fk-type-mismatch", SCH_SEV_WARNING, fk->rel);
		f->constraint = k;
		f->message = strbuf_detach(&msg);
		f->fix = strbuf_detach(&fix);
	}
}

static void
lint_not_valid(struct lint *l, int k)
{
	const struct sch_catalog	*cat = l->cat;
	const struct sch_constraint	*c = &cat->constraints[k];
	struct strbuf			 msg = STRBUF_INIT, fix = STRBUF_INIT;
	struct sch_finding		*f;

	if (c->validated)
		return;
	strbuf_addstr(&msg, "constraint ");
	add_ident(&msg, c->name);
	strbuf_addstr(&msg, " on ");
	add_rel(&msg, cat, c->rel);
	strbuf_addstr(&msg, " is NOT VALID: rows written before it was added"
	    " were never checked");
	strbuf_addstr(&fix, "ALTER TABLE ");
	add_rel(&fix, cat, c->rel);
	strbuf_addstr(&fix, " VALIDATE CONSTRAINT ");
	add_ident(&fix, c->name);
	strbuf_addstr(&fix, "; -- SHARE UPDATE EXCLUSIVE: writes go on");
	f = add(l, "not-valid-constraint", SCH_SEV_WARNING, c->rel);
	f->constraint = k;
	f->message = strbuf_detach(&msg);
	f->fix = strbuf_detach(&fix);
}

/* Same method, keys, operator classes, options, expressions, predicate. */
static int
same_index(const struct sch_index *a, const struct sch_index *b)
{
	int	i;

	if (a->nkeys != b->nkeys || a->nkeyatts != b->nkeyatts ||
	    !nullable_streq(a->am, b->am) ||
	    !nullable_streq(a->exprs, b->exprs) ||
	    !nullable_streq(a->predicate, b->predicate))
		return 0;
	for (i = 0; i < a->nkeys; i++)
		if (a->keys[i] != b->keys[i])
			return 0;
	for (i = 0; i < a->nkeyatts; i++)
		if (a->opclass[i] != b->opclass[i] ||
		    a->options[i] != b->options[i])
			return 0;
	return 1;
}

static void
add_drop_index(struct strbuf *fix, const struct sch_catalog *cat, int x)
{
	int	k = backing_constraint(cat, x);

	if (k >= 0) {
		strbuf_addstr(fix, "ALTER TABLE ");
		add_rel(fix, cat, cat->indexes[x].rel);
		strbuf_addstr(fix, " DROP CONSTRAINT ");
		add_ident(fix, cat->constraints[k].name);
		strbuf_addstr(fix, "; -- check nothing depends on it");
		return;
	}
	strbuf_addstr(fix, "DROP INDEX ");
	if (cat->rels[cat->indexes[x].rel].kind != 'p')
		strbuf_addstr(fix, "CONCURRENTLY ");
	add_index_name(fix, cat, x);
	strbuf_addch(fix, ';');
}

/* Of two duplicates, the one to keep: PK, then unique, then backing. */
static int
keep_rank(const struct sch_catalog *cat, int x)
{
	const struct sch_index	*i = &cat->indexes[x];

	return (i->primary ? 4 : 0) + (i->unique ? 2 : 0) +
	    (backing_constraint(cat, x) >= 0 ? 1 : 0);
}

static void
lint_duplicates(struct lint *l, int rel)
{
	const struct sch_catalog	*cat = l->cat;
	const struct sch_rel		*r = &cat->rels[rel];
	int				 i, j;

	for (i = 0; i < r->nindexes; i++) {
		int			 a = r->indexes[i];
		const struct sch_index	*x = &cat->indexes[a];

		if (!x->valid)
			continue;
		for (j = 0; j < r->nindexes; j++) {
			int			 b = r->indexes[j];
			const struct sch_index	*y = &cat->indexes[b];
			struct strbuf		 msg = STRBUF_INIT;
			struct strbuf		 fix = STRBUF_INIT;
			struct sch_finding	*f;
			int			 dup;

			if (a == b || !y->valid)
				continue;
			/* Clones of a partitioned pair: reported at the root. */
			if (x->parent >= 0 && y->parent >= 0)
				continue;
			dup = same_index(x, y);
			if (dup) {
				/* Report 'a', the one to drop, once. */
				int	ra = keep_rank(cat, a);
				int	rb = keep_rank(cat, b);

				if (ra > rb || (ra == rb && x->oid < y->oid))
					continue;
			} else {
				int	k, ok = is_btree(x) && is_btree(y) &&
					    !x->unique && !x->partial &&
					    !y->partial && x->exprs == NULL &&
					    y->exprs == NULL &&
					    x->nkeyatts < y->nkeyatts &&
					    backing_constraint(cat, a) < 0;

				for (k = 0; ok && k < x->nkeyatts; k++)
					ok = x->keys[k] == y->keys[k] &&
					    x->opclass[k] == y->opclass[k] &&
					    x->options[k] == y->options[k];
				if (!ok)
					continue;
			}
			strbuf_addstr(&msg, "index ");
			add_ident(&msg, x->name);
			strbuf_addstr(&msg, " (");
			add_columns(&msg, cat, rel, x->keys, x->nkeyatts);
			strbuf_addstr(&msg, dup ? ") duplicates " :
			    ") is a prefix of ");
			add_ident(&msg, y->name);
			if (dup) {
				strbuf_addstr(&msg, " (same columns, method"
				    " and predicate): every write maintains"
				    " both");
			} else {
				strbuf_addstr(&msg, " (");
				add_columns(&msg, cat, rel, y->keys,
				    y->nkeyatts);
				strbuf_addstr(&msg, "), which serves the same"
				    " lookups");
			}
			add_drop_index(&fix, cat, a);
			f = add(l, dup ? "duplicate-index" : "redundant-index",
			    dup ? SCH_SEV_WARNING : SCH_SEV_INFO, rel);
			f->index = a;
			f->message = strbuf_detach(&msg);
			f->fix = strbuf_detach(&fix);
			break;
		}
	}
}

static void
add_date(struct strbuf *sb, int64_t t)
{
	time_t		tt = (time_t)t;
	struct tm	tm;
	char		buf[32];

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		strbuf_addf(sb, "@%lld", (long long)t);
	else
		strbuf_addstr(sb, buf);
}

static void
lint_index(struct lint *l, int xi)
{
	const struct sch_catalog	*cat = l->cat;
	const struct sch_index		*x = &cat->indexes[xi];
	const struct sch_rel		*r = &cat->rels[x->rel];
	struct strbuf			 msg = STRBUF_INIT, fix = STRBUF_INIT;
	struct sch_finding		*f;
	int64_t				 since, wasted;
	double				 ratio;

	if (!x->valid) {
		add_index_name(&msg, cat, xi);
		if (r->kind == 'p') {
			strbuf_addstr(&msg, " is invalid: some partitions"
			    " have no index attached to it");
			strbuf_addstr(&fix, "ALTER INDEX ");
			add_index_name(&fix, cat, xi);
			strbuf_addstr(&fix, " ATTACH PARTITION ...; -- one"
			    " per partition missing");
		} else {
			strbuf_addstr(&msg, " is INVALID (a failed CREATE"
			    " INDEX CONCURRENTLY?): writes maintain it but"
			    " no query uses it");
			strbuf_addstr(&fix, "REINDEX INDEX CONCURRENTLY ");
			add_index_name(&fix, cat, xi);
			strbuf_addstr(&fix, "; -- or DROP INDEX CONCURRENTLY"
			    " and recreate it");
		}
		f = add(l, "invalid-index", SCH_SEV_ERROR, x->rel);
		f->index = xi;
		f->message = strbuf_detach(&msg);
		f->fix = strbuf_detach(&fix);
		return;
	}

	since = cat->stats_reset > 0 ? cat->stats_reset : cat->server_started;
	if (x->idx_scan == 0 && !x->unique && !x->primary && x->parent < 0 &&
	    backing_constraint(cat, xi) < 0 && since > 0 &&
	    cat->loaded_at - since >= SCH_UNUSED_MIN_AGE) {
		strbuf_addstr(&msg, "index ");
		add_index_name(&msg, cat, xi);
		if (x->size >= 0) {
			strbuf_addstr(&msg, " (");
			add_bytes(&msg, x->size);
			strbuf_addch(&msg, ')');
		}
		strbuf_addstr(&msg, " has not been scanned since ");
		if (cat->stats_reset > 0) {
			add_date(&msg, cat->stats_reset);
			strbuf_addf(&msg, " (statistics reset %lld days ago)",
			    (long long)((cat->loaded_at - since) / 86400));
		} else {
			strbuf_addstr(&msg, "at least ");
			add_date(&msg, since);
			strbuf_addf(&msg, " (server start %lld days ago;"
			    " statistics never reset)",
			    (long long)((cat->loaded_at - since) / 86400));
		}
		strbuf_addstr(&msg, " on this server; standbys count apart");
		add_drop_index(&fix, cat, xi);
		f = add(l, "unused-index", SCH_SEV_INFO, x->rel);
		f->index = xi;
		f->message = strbuf_detach(&msg);
		f->fix = strbuf_detach(&fix);
	}

	wasted = sch_index_bloat(cat, xi, &ratio);
	if (wasted > SCH_BLOAT_MIN_BYTES && ratio > SCH_BLOAT_MIN_RATIO) {
		strbuf_addstr(&msg, "index ");
		add_index_name(&msg, cat, xi);
		strbuf_addf(&msg, " is about %.0f%% bloat: ~", ratio * 100);
		add_bytes(&msg, wasted);
		strbuf_addstr(&msg, " of ");
		add_bytes(&msg, x->relpages * cat->block_size);
		strbuf_addstr(&msg, " is free space (estimate from column"
		    " widths)");
		strbuf_addstr(&fix, "REINDEX INDEX CONCURRENTLY ");
		add_index_name(&fix, cat, xi);
		strbuf_addch(&fix, ';');
		f = add(l, "index-bloat", SCH_SEV_WARNING, x->rel);
		f->index = xi;
		f->wasted = wasted;
		f->message = strbuf_detach(&msg);
		f->fix = strbuf_detach(&fix);
	}
	strbuf_release(&msg);
	strbuf_release(&fix);
}

static void
lint_table_bloat(struct lint *l, int rel)
{
	const struct sch_catalog	*cat = l->cat;
	struct strbuf			 msg = STRBUF_INIT, fix = STRBUF_INIT;
	struct sch_finding		*f;
	double				 ratio;
	int64_t				 wasted = sch_table_bloat(cat, rel,
					    &ratio);

	if (wasted <= SCH_BLOAT_MIN_BYTES || ratio <= SCH_BLOAT_MIN_RATIO)
		return;
	strbuf_addstr(&msg, "table ");
	add_rel(&msg, cat, rel);
	strbuf_addf(&msg, " is about %.0f%% bloat: ~", ratio * 100);
	add_bytes(&msg, wasted);
	strbuf_addstr(&msg, " of ");
	add_bytes(&msg, cat->rels[rel].relpages * cat->block_size);
	strbuf_addstr(&msg, " is free space (estimate from pg_stats widths"
	    " and relpages)");
	strbuf_addstr(&fix, "VACUUM FULL ");
	add_rel(&fix, cat, rel);
	strbuf_addstr(&fix, "; -- ACCESS EXCLUSIVE for the whole rewrite;"
	    " pg_repack does it online");
	f = add(l, "table-bloat", SCH_SEV_WARNING, rel);
	f->wasted = wasted;
	f->message = strbuf_detach(&msg);
	f->fix = strbuf_detach(&fix);
}

static int
cmp_finding(const void *a, const void *b)
{
	const struct sch_finding	*x = a, *y = b;

	if (x->rel != y->rel)
		return x->rel < y->rel ? -1 : 1;
	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	if (x->constraint != y->constraint)
		return x->constraint < y->constraint ? -1 : 1;
	return strcmp(x->rule, y->rule);
}

int
sch_lint(const struct sch_catalog *cat, struct sch_finding **out)
{
	struct lint	l = { cat, NULL, 0, 0 };
	int		i;

	for (i = 0; i < cat->nrels; i++) {
		lint_primary_key(&l, i);
		lint_duplicates(&l, i);
		if (cat->rels[i].kind == 'r' || cat->rels[i].kind == 'm')
			lint_table_bloat(&l, i);
	}
	for (i = 0; i < cat->nindexes; i++)
		if (cat->indexes[i].rel >= 0)
			lint_index(&l, i);
	for (i = 0; i < cat->nconstraints; i++) {
		const struct sch_constraint *k = &cat->constraints[i];

		if (k->rel < 0)
			continue;
		if (k->type == 'f') {
			lint_fk_index(&l, i);
			lint_fk_types(&l, i);
		}
		lint_not_valid(&l, i);
	}
	if (l.n > 1)
		qsort(l.v, (size_t)l.n, sizeof *l.v, cmp_finding);
	*out = l.v;
	return l.n;
}

void
sch_findings_free(struct sch_finding *f, int n)
{
	int	i;

	for (i = 0; i < n; i++) {
		free(f[i].message);
		free(f[i].fix);
	}
	free(f);
}

static double
maxalign(double n)
{
	return ceil(n / 8) * 8;
}

/*
 * Heap: each tuple is a 23-byte header (plus a null bitmap when some
 * column has nulls) aligned, its data (the average widths weighted by
 * non-null fraction) aligned, and a 4-byte line pointer; a page holds
 * (block - 24-byte header) x fillfactor of them.  Wasted is what relpages
 * holds beyond the pages those tuples need.
 */
int64_t
sch_table_bloat(const struct sch_catalog *cat, int rel, double *ratio)
{
	const struct sch_rel	*r = &cat->rels[rel];
	double			 data = 0, hdr, tuple, per_page, pages, excess;
	int			 i, nulls = 0;
	int64_t			 wasted;

	*ratio = 0;
	if ((r->kind != 'r' && r->kind != 'm') || r->relpages <= 0 ||
	    r->reltuples < 0 || r->ncols == 0)
		return -1;
	for (i = 0; i < r->ncols; i++) {
		const struct sch_column *c = &r->cols[i];

		if (c->avg_width < 0 || c->null_frac < 0)
			return -1;
		data += (1 - c->null_frac) * c->avg_width;
		if (c->null_frac > 0)
			nulls = 1;
	}
	hdr = maxalign(23 + (nulls ? ceil(r->ncols / 8.0) : 0));
	tuple = hdr + maxalign(data) + 4;
	per_page = (cat->block_size - 24) * (r->fillfactor / 100.0) / tuple;
	pages = ceil(r->reltuples / per_page);
	/*
	 * Clamped in floating point: with odd statistics (a catalog read
	 * from a file) 'pages' can be far beyond what an int64 holds.
	 */
	excess = (r->relpages - pages) * cat->block_size;
	wasted = excess > 0 ? (int64_t)excess : 0;
	*ratio = (double)wasted / ((double)r->relpages * cat->block_size);
	return wasted;
}

/*
 * B-tree: each entry is an 8-byte IndexTupleData (plus a 4-byte null
 * bitmap when a column has nulls) and the key data, aligned, and a
 * 4-byte line pointer; a page holds (block - 24 header - 16 special) x
 * fillfactor of them, plus the metapage.  Deduplication makes real
 * indexes smaller, so this errs towards less bloat.
 */
int64_t
sch_index_bloat(const struct sch_catalog *cat, int xi, double *ratio)
{
	const struct sch_index	*x = &cat->indexes[xi];
	double			 data = 0, tuple, per_page, pages, excess;
	int			 i, nulls = 0;
	int64_t			 wasted;

	*ratio = 0;
	if (!is_btree(x) || x->relpages <= 1 || x->reltuples < 0 ||
	    x->rel < 0 || cat->rels[x->rel].kind == 'p')
		return -1;
	for (i = 0; i < x->nkeys; i++) {
		const struct sch_column *c;

		if (x->keys[i] == 0)
			return -1;
		c = sch_column(cat, x->rel, x->keys[i]);
		if (c == NULL || c->avg_width < 0 || c->null_frac < 0)
			return -1;
		data += (1 - c->null_frac) * c->avg_width;
		if (c->null_frac > 0)
			nulls = 1;
	}
	tuple = maxalign(8 + (nulls ? 4 : 0) + data) + 4;
	per_page = floor((cat->block_size - 24 - 16) *
	    (x->fillfactor / 100.0) / tuple);
	if (per_page < 1)
		per_page = 1;
	pages = 1 + ceil(x->reltuples / per_page);
	/*
	 * Clamped in floating point: with odd statistics (a catalog read
	 * from a file) 'pages' can be far beyond what an int64 holds.
	 */
	excess = (x->relpages - pages) * cat->block_size;
	wasted = excess > 0 ? (int64_t)excess : 0;
	*ratio = (double)wasted / ((double)x->relpages * cat->block_size);
	return wasted;
}

void
sch_fk_cardinality(const struct sch_catalog *cat,
    const struct sch_constraint *fk, int *child_many, int *parent_optional)
{
	const struct sch_rel	*r = &cat->rels[fk->rel];
	int			 i;

	*child_many = 1;
	for (i = 0; i < r->nconstraints && *child_many; i++) {
		const struct sch_constraint *k =
		    &cat->constraints[r->constraints[i]];

		if ((k->type == 'p' || k->type == 'u') &&
		    k->ncols == fk->ncols && same_set(k->cols, fk->cols,
		    fk->ncols))
			*child_many = 0;
	}
	for (i = 0; i < r->nindexes && *child_many; i++) {
		const struct sch_index *x = &cat->indexes[r->indexes[i]];

		if (x->unique && x->valid && !x->partial &&
		    x->nkeyatts == fk->ncols &&
		    same_set(x->keys, fk->cols, fk->ncols))
			*child_many = 0;
	}
	*parent_optional = 0;
	for (i = 0; i < fk->ncols; i++) {
		const struct sch_column *c = sch_column(cat, fk->rel,
		    fk->cols[i]);

		if (c == NULL || !c->notnull)
			*parent_optional = 1;
	}
}
