/*
 * locks.c - the lock table: which lock each statement takes on which
 * relation, whether it rewrites, scans or builds, whether it may run in
 * a transaction block.  PostgreSQL 15's rules, from the documentation of
 * each command and AlterTableGetLockLevel(); checked against a real
 * server by tests/integration/test_migrate_live.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pg_query.h>

#include "core/util.h"
#include "core/strbuf.h"
#include "migrate/mig_int.h"

static const char *lock_names[MIG_NLOCKS] = {
	"", "AccessShareLock", "RowShareLock", "RowExclusiveLock",
	"ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock",
	"ExclusiveLock", "AccessExclusiveLock",
};

static const char *lock_short[MIG_NLOCKS] = {
	"none", "ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE",
	"SHARE UPDATE EXCLUSIVE", "SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE",
	"ACCESS EXCLUSIVE",
};

/* Table 13.2 of the manual: bit m of conflicts[l] set when l and m conflict. */
static const unsigned conflicts[MIG_NLOCKS] = {
	0,
	1u << 8,
	1u << 7 | 1u << 8,
	1u << 5 | 1u << 6 | 1u << 7 | 1u << 8,
	1u << 4 | 1u << 5 | 1u << 6 | 1u << 7 | 1u << 8,
	1u << 3 | 1u << 4 | 1u << 6 | 1u << 7 | 1u << 8,
	1u << 3 | 1u << 4 | 1u << 5 | 1u << 6 | 1u << 7 | 1u << 8,
	1u << 2 | 1u << 3 | 1u << 4 | 1u << 5 | 1u << 6 | 1u << 7 | 1u << 8,
	0x1feu,
};

const char *
mig_lock_name(enum mig_lock l)
{
	return (unsigned)l < MIG_NLOCKS ? lock_names[l] : "?";
}

const char *
mig_lock_short(enum mig_lock l)
{
	return (unsigned)l < MIG_NLOCKS ? lock_short[l] : "?";
}

enum mig_lock
mig_lock_parse(const char *mode)
{
	for (int i = 1; i < MIG_NLOCKS; i++)
		if (mode != NULL && strcmp(mode, lock_names[i]) == 0)
			return (enum mig_lock)i;
	return MIG_LOCK_NONE;
}

int
mig_lock_conflicts(enum mig_lock a, enum mig_lock b)
{
	if ((unsigned)a >= MIG_NLOCKS || (unsigned)b >= MIG_NLOCKS)
		return 0;
	return (conflicts[a] >> b) & 1;
}

enum mig_block
mig_lock_blocks(enum mig_lock l)
{
	if (mig_lock_conflicts(l, MIG_LOCK_ACCESS_SHARE))
		return MIG_BLOCK_ALL;
	if (mig_lock_conflicts(l, MIG_LOCK_ROW_EXCLUSIVE))
		return MIG_BLOCK_WRITES;
	return MIG_BLOCK_NOTHING;
}

const char *
mig_block_name(enum mig_block b)
{
	return b == MIG_BLOCK_ALL ? "reads+writes" :
	    b == MIG_BLOCK_WRITES ? "writes" : "nothing";
}

const char *
mig_class_name(enum mig_class c)
{
	static const char *names[MIG_NCLASSES] = {
		"none", "metadata", "scan", "fk", "index", "rewrite", "dml",
	};

	return (unsigned)c < MIG_NCLASSES ? names[c] : "?";
}

struct ctx {
	struct mig_set		*set;
	struct mig_catalog	*cat;
	struct mig_stmt		*st;
	struct strbuf		 what;
	/* ALTER TABLE: work on the table the statement names (its target
	 * is found again at the end: the array may grow meanwhile), and
	 * what reaches its partitions. */
	unsigned		 work;
	enum mig_lock		 rec_lock;	/* taken on every partition */
	int			 rec_build;	/* an index built on each */
	struct strbuf		 ctes;		/* ",name," of every WITH query */
};

static void
what(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
what(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->what.len > 0)
		strbuf_addstr(&c->what, ", ");
	va_start(ap, fmt);
	strbuf_vaddf(&c->what, fmt, ap);
	va_end(ap);
}

static void
set_class(struct ctx *c, enum mig_class cls)
{
	static const int rank[MIG_NCLASSES] = { 0, 1, 3, 4, 5, 6, 2 };

	if (rank[cls] > rank[c->st->cls])
		c->st->cls = cls;
}

/* Add (or strengthen) a target; sizes come from the catalog. */
static struct mig_target *
target(struct ctx *c, const char *schema, const char *name,
    enum mig_objkind kind, enum mig_lock lock, unsigned flags)
{
	struct mig_stmt *st = c->st;
	struct mig_target *t;
	struct mig_rel *r;

	if (name == NULL)
		return NULL;
	for (int i = 0; i < st->ntargets; i++) {
		t = &st->targets[i];
		if (strcmp(t->name, name) == 0 && t->kind == kind &&
		    (schema == NULL || t->schema == NULL ||
		    strcmp(schema, t->schema) == 0)) {
			if (lock > t->lock)
				t->lock = lock;
			t->flags |= flags;
			return t;
		}
	}
	t = MIG_PUSH(st->targets, st->ntargets);
	t->schema = schema != NULL ? xstrdup(schema) : NULL;
	t->name = xstrdup(name);
	t->kind = kind;
	t->lock = lock;
	t->flags = flags;
	t->heap_bytes = t->index_bytes = t->rows = -1;
	if (kind != MIG_OBJ_TYPE && (r = mig_cat_find(c->cat, schema, name)) != NULL) {
		t->heap_bytes = r->heap_bytes;
		t->index_bytes = r->index_bytes;
		t->rows = r->rows;
		for (int i = 0; i < r->nidx; i++)
			t->nindexes += r->idx[i].valid && r->idx[i].ncols > 0;
		if (r->is_new)
			t->flags |= MIG_NEW;
	}
	return t;
}

static struct mig_target *
target_rv(struct ctx *c, const json_t *rv, enum mig_lock lock, unsigned flags)
{
	return target(c, jstr(rv, "schemaname"), jstr(rv, "relname"),
	    MIG_OBJ_TABLE, lock, flags);
}

/* The table an index belongs to, from the catalog. */
static struct mig_rel *
index_table(struct mig_catalog *cat, const char *schema, const char *index)
{
	for (int i = 0; i < cat->nrels; i++) {
		struct mig_rel *r = cat->rels[i];

		if (r == NULL || (schema != NULL && r->schema != NULL &&
		    strcmp(schema, r->schema) != 0))
			continue;
		for (int j = 0; j < r->nidx; j++)
			if (!r->idx[j].dropped &&
			    strcmp(r->idx[j].name, index) == 0)
				return r;
	}
	return NULL;
}

/*
 * The partitions of a partitioned table, down to the leaves: each takes
 * 'lock', and the leaves take 'flags' too (the work is done where the
 * rows are: a partitioned table has no storage).  Returns how many the
 * catalog knows.
 */
static int
partitions(struct ctx *c, struct mig_rel *r, enum mig_lock lock,
    unsigned flags, int depth)
{
	struct mig_rel **kids;
	int n;

	if (r == NULL || r->kind != 'p' || depth > 32)
		return 0;
	n = mig_rel_children(c->cat, r, &kids);
	for (int i = 0; i < n; i++) {
		int leaf = kids[i]->kind != 'p';

		target(c, kids[i]->schema, kids[i]->name, MIG_OBJ_TABLE, lock,
		    leaf ? flags : 0);
		if (!leaf)
			partitions(c, kids[i], lock, flags, depth + 1);
	}
	free(kids);
	return n;
}

/* Move the work flags of a partitioned table's target to its leaves. */
static void
work_to_leaves(struct ctx *c, const char *schema, const char *name,
    struct mig_rel *r, enum mig_lock lock)
{
	struct mig_target *t = target(c, schema, name, MIG_OBJ_TABLE, lock, 0);
	unsigned work = t->flags & (MIG_REWRITE | MIG_SCAN | MIG_BUILD);

	if (partitions(c, r, lock, work, 0) > 0) {
		t = target(c, schema, name, MIG_OBJ_TABLE, lock, 0);
		t->flags &= ~(MIG_REWRITE | MIG_SCAN | MIG_BUILD);
	}
}

static const char *
volatile_funcs[] = {
	"random", "clock_timestamp", "gen_random_uuid", "uuid_generate_v1",
	"uuid_generate_v1mc", "uuid_generate_v4", "nextval", "timeofday",
	"setseed", "txid_current", "pg_current_xact_id", "random_normal", NULL,
};

/* Functions known not to be volatile, often seen in defaults. */
static const char *
known_stable[] = {
	"now", "statement_timestamp", "transaction_timestamp", "current_setting",
	"lower", "upper", "btrim", "trim", "length", "concat", "concat_ws",
	"md5", "to_char", "to_timestamp", "to_date", "date_trunc", "make_interval",
	"make_date", "json_build_object", "jsonb_build_object",
	"json_build_array", "jsonb_build_array", "array_agg", "coalesce",
	"nullif", "greatest", "least", "abs", "round", "floor", "ceil",
	"replace", "substr", "substring", "left", "right", "format",
	"current_date", "localtimestamp", "age", "int4", "int8", "text",
	"numeric", "jsonb", "json", "timezone", "date_part", "extract",
	"pg_catalog", NULL,
};

static int
in_list(const char *s, const char *const *list)
{
	for (; s != NULL && *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

/* 1 when a default expression has a volatile (or unknown) function:
 * the column is then filled row by row, a rewrite. */
static int
volatile_node(const char *key, const json_t *v, void *arg)
{
	(void)arg;
	if (strcmp(key, "SubLink") == 0)
		return JWALK_STOP;
	if (strcmp(key, "FuncCall") == 0) {
		const char *fn = jname_last(jget(v, "funcname"));

		if (in_list(fn, volatile_funcs) || !in_list(fn, known_stable))
			return JWALK_STOP;
	}
	return JWALK_GO;
}

int
mig_default_volatile(const json_t *expr)
{
	return jwalk(expr, volatile_node, NULL);
}

static int
is_serial(const char *type)
{
	static const char *const serials[] = {
		"serial", "serial4", "bigserial", "serial8", "smallserial",
		"serial2", NULL,
	};

	return in_list(type, serials);
}

enum mig_addcol
mig_addcol_kind(const json_t *cd)
{
	json_t *con, *body, *dflt = NULL;
	int notnull = 0;
	size_t i;

	if (is_serial(jname_last(jget(jget(cd, "typeName"), "names"))))
		return MIG_ADDCOL_SERIAL;
	json_array_foreach(jget(cd, "constraints"), i, con) {
		const char *ct;

		if (jnode(con, &body) == NULL || (ct = jstr(body, "contype")) == NULL)
			continue;
		if (strcmp(ct, "CONSTR_IDENTITY") == 0)
			return MIG_ADDCOL_IDENTITY;
		if (strcmp(ct, "CONSTR_GENERATED") == 0)
			return MIG_ADDCOL_GENERATED;
		if (strcmp(ct, "CONSTR_DEFAULT") == 0)
			dflt = jget(body, "raw_expr");
		if (strcmp(ct, "CONSTR_NOTNULL") == 0 ||
		    strcmp(ct, "CONSTR_PRIMARY") == 0)
			notnull = 1;
	}
	if (dflt != NULL && mig_default_volatile(dflt))
		return MIG_ADDCOL_VOLATILE;
	if (notnull && dflt == NULL)
		return MIG_ADDCOL_REQUIRED;
	return MIG_ADDCOL_PLAIN;
}

/* What ADD COLUMN does to the table: 2 rewrite, 1 scan, 0 metadata. */
static int
add_column_work(struct ctx *c, const json_t *cd, const char **why)
{
	static const char *whys[] = {
		NULL, "NOT NULL without a default", "volatile default",
		"serial column", "identity column", "stored generated column",
	};
	enum mig_addcol k = mig_addcol_kind(cd);
	json_t *con, *body;
	int check = 0;
	size_t i;

	json_array_foreach(jget(cd, "constraints"), i, con) {
		const char *ct;

		if (jnode(con, &body) == NULL ||
		    (ct = jstr(body, "contype")) == NULL)
			continue;
		if (strcmp(ct, "CONSTR_FOREIGN") == 0)
			target_rv(c, jget(body, "pktable"),
			    MIG_LOCK_SHARE_ROW_EXCLUSIVE, MIG_FK_PARENT);
		/* A new CHECK is validated on every row, even when the
		 * column is filled from the catalog. */
		check |= strcmp(ct, "CONSTR_CHECK") == 0;
	}
	*why = whys[k];
	if (check && k == MIG_ADDCOL_PLAIN) {
		*why = "check constraint";
		return 1;
	}
	return k == MIG_ADDCOL_PLAIN ? 0 : k == MIG_ADDCOL_REQUIRED ? 1 : 2;
}

/* Whether the table already has a validated CHECK (col IS NOT NULL). */
static int
has_notnull_check(struct mig_rel *r, const char *col)
{
	for (int i = 0; r != NULL && i < r->ncons; i++)
		if (r->cons[i].type == 'c' && r->cons[i].valid &&
		    r->cons[i].notnull_col != NULL && col != NULL &&
		    strcmp(r->cons[i].notnull_col, col) == 0)
			return 1;
	return 0;
}

int
mig_type_rewrites(const struct mig_column *old, const struct mig_column *nw,
    const char *tz, int has_using)
{
	const char *a, *b;

	if (old == NULL || old->type == NULL)
		return -1;
	if (has_using)
		return 1;
	a = old->type;
	b = nw->type;
	if (strcmp(a, b) == 0) {
		if (old->mod1 == nw->mod1 && old->mod2 == nw->mod2)
			return 0;
		if (nw->mod1 < 0 && (strcmp(a, "varchar") == 0 ||
		    strcmp(a, "numeric") == 0 || strcmp(a, "varbit") == 0))
			return 0;
		if ((strcmp(a, "varchar") == 0 || strcmp(a, "varbit") == 0 ||
		    strcmp(a, "timestamp") == 0 || strcmp(a, "timestamptz") == 0 ||
		    strcmp(a, "time") == 0 || strcmp(a, "interval") == 0) &&
		    old->mod1 >= 0 && nw->mod1 >= old->mod1)
			return 0;
		if (strcmp(a, "numeric") == 0 && old->mod1 >= 0 &&
		    nw->mod1 >= old->mod1 && nw->mod2 == old->mod2)
			return 0;
		return 1;
	}
	if ((strcmp(a, "varchar") == 0 && strcmp(b, "text") == 0) ||
	    (strcmp(a, "text") == 0 && strcmp(b, "varchar") == 0 && nw->mod1 < 0) ||
	    (strcmp(a, "cidr") == 0 && strcmp(b, "inet") == 0))
		return 0;
	if ((strcmp(a, "timestamp") == 0 && strcmp(b, "timestamptz") == 0) ||
	    (strcmp(a, "timestamptz") == 0 && strcmp(b, "timestamp") == 0))
		return tz != NULL && (strcmp(tz, "UTC") == 0 ||
		    strcmp(tz, "Etc/UTC") == 0 || strcmp(tz, "GMT") == 0 ||
		    strcmp(tz, "Etc/GMT") == 0 || strcmp(tz, "Etc/Universal") == 0 ||
		    strcmp(tz, "UCT") == 0 || strcmp(tz, "Etc/UCT") == 0) ? 0 : 1;
	return 1;
}

/* USING that only names the column (perhaps cast) changes nothing. */
static int
trivial_using(const json_t *expr, const char *col)
{
	json_t *body;
	const char *k = jnode(expr, &body);

	if (k == NULL)
		return 1;
	if (strcmp(k, "TypeCast") == 0)
		return trivial_using(jget(body, "arg"), col);
	if (strcmp(k, "ColumnRef") == 0) {
		const char *n = jname_last(jget(body, "fields"));

		return n != NULL && col != NULL && strcmp(n, col) == 0;
	}
	return 0;
}

/* Reloptions PostgreSQL changes under SHARE UPDATE EXCLUSIVE. */
static enum mig_lock
reloptions_lock(const json_t *opts)
{
	json_t *o, *body;
	size_t i;

	json_array_foreach(opts, i, o) {
		const char *n;

		if (jnode(o, &body) == NULL || (n = jstr(body, "defname")) == NULL)
			continue;
		if (strcmp(n, "fillfactor") != 0 &&
		    strncmp(n, "autovacuum_", 11) != 0 &&
		    strcmp(n, "parallel_workers") != 0 &&
		    strcmp(n, "toast_tuple_target") != 0 &&
		    strncmp(n, "vacuum_", 7) != 0 &&
		    strcmp(n, "log_autovacuum_min_duration") != 0)
			return MIG_LOCK_ACCESS_EXCLUSIVE;
	}
	return MIG_LOCK_SHARE_UPDATE_EXCLUSIVE;
}

static void
fmt_type(char *buf, size_t size, const struct mig_column *c)
{
	if (c->mod1 >= 0 && c->mod2 >= 0)
		snprintf(buf, size, "%s(%d,%d)", c->type, c->mod1, c->mod2);
	else if (c->mod1 >= 0)
		snprintf(buf, size, "%s(%d)", c->type, c->mod1);
	else
		snprintf(buf, size, "%s", c->type != NULL ? c->type : "?");
}

/* Types whose indexes share an operator class: an index survives a
 * change between them. */
static int
same_opclass(const char *a, const char *b)
{
	static const char *const text_like[] = { "text", "varchar", NULL };
	static const char *const inet_like[] = { "inet", "cidr", NULL };

	return (in_list(a, text_like) && in_list(b, text_like)) ||
	    (in_list(a, inet_like) && in_list(b, inet_like));
}

static int
column_indexed(const struct mig_rel *r, const char *col)
{
	for (int i = 0; r != NULL && col != NULL && i < r->nidx; i++)
		for (int j = 0; !r->idx[i].dropped && j < r->idx[i].ncols; j++)
			if (r->idx[i].cols[j] != NULL &&
			    strcmp(r->idx[i].cols[j], col) == 0)
				return 1;
	return 0;
}

static int
fk_has_col(const struct mig_constraint *k, const char *col)
{
	for (int i = 0; col != NULL && i < k->ncols; i++)
		if (strcmp(k->cols[i], col) == 0)
			return 1;
	return 0;
}

/*
 * A foreign key on a column whose type changes is dropped and added
 * again: ACCESS EXCLUSIVE on the referenced table (its triggers), and,
 * when the values are converted, a validating read of it.
 */
static void
fk_column_retyped(struct ctx *c, const struct mig_rel *r, const char *col,
    int rewrites)
{
	for (int i = 0; r != NULL && i < r->ncons; i++) {
		const struct mig_constraint *k = &r->cons[i];

		if (k->type != 'f' || k->ref == NULL || !fk_has_col(k, col))
			continue;
		target(c, NULL, k->ref, MIG_OBJ_TABLE, MIG_LOCK_ACCESS_EXCLUSIVE,
		    MIG_FK_PARENT | (rewrites != 0 && k->valid ? MIG_SCAN : 0));
	}
}

/* ADD CONSTRAINT: FK, CHECK, PK, UNIQUE, EXCLUDE. */
static enum mig_lock
add_constraint(struct ctx *c, struct mig_rel *r,
    const json_t *con)
{
	const char *ct = jstr(con, "contype"), *nm = jstr(con, "conname");
	int valid = !jbool(con, "skip_validation");

	if (ct == NULL)
		return MIG_LOCK_ACCESS_EXCLUSIVE;
	if (strcmp(ct, "CONSTR_FOREIGN") == 0) {
		/* Validation (RI_Initial_Check) reads both tables in full. */
		target_rv(c, jget(con, "pktable"), MIG_LOCK_SHARE_ROW_EXCLUSIVE,
		    MIG_FK_PARENT | (valid ? MIG_SCAN : 0));
		what(c, "add foreign key %s%s", nm != NULL ? nm : "",
		    valid ? "" : " not valid");
		if (valid) {
			c->work |= MIG_SCAN;
			set_class(c, MIG_CLASS_FK);
		} else {
			set_class(c, MIG_CLASS_METADATA);
		}
		return MIG_LOCK_SHARE_ROW_EXCLUSIVE;
	}
	if (strcmp(ct, "CONSTR_CHECK") == 0) {
		what(c, "add check %s%s", nm != NULL ? nm : "",
		    valid ? "" : " not valid");
		if (valid) {
			c->work |= MIG_SCAN;
			set_class(c, MIG_CLASS_SCAN);
		}
		return MIG_LOCK_ACCESS_EXCLUSIVE;
	}
	if (strcmp(ct, "CONSTR_PRIMARY") == 0 || strcmp(ct, "CONSTR_UNIQUE") == 0 ||
	    strcmp(ct, "CONSTR_EXCLUSION") == 0) {
		int pk = ct[7] == 'P';
		const char *using = jstr(con, "indexname");
		json_t *k;
		size_t i;

		what(c, "add %s %s%s%s", pk ? "primary key" : ct[7] == 'U' ?
		    "unique" : "exclusion constraint", nm != NULL ? nm : "",
		    using != NULL ? " using index " : "",
		    using != NULL ? using : "");
		if (using == NULL) {
			c->work |= MIG_BUILD;
			c->rec_build = 1;
			set_class(c, MIG_CLASS_INDEX);
		}
		/* A primary key makes its columns NOT NULL: a scan unless
		 * they already are. */
		json_array_foreach(jget(con, "keys"), i, k) {
			json_t *s;
			struct mig_column *col;

			if (!pk || jnode(k, &s) == NULL)
				continue;
			col = mig_rel_col(r, jstr(s, "sval"));
			if (col == NULL || !col->notnull) {
				c->work |= MIG_SCAN;
				set_class(c, MIG_CLASS_SCAN);
			}
		}
		set_class(c, MIG_CLASS_METADATA);
		return MIG_LOCK_ACCESS_EXCLUSIVE;
	}
	what(c, "add constraint %s", nm != NULL ? nm : "");
	return MIG_LOCK_ACCESS_EXCLUSIVE;
}

static enum mig_lock
alter_cmd(struct ctx *c, struct mig_rel *r,
    const json_t *cmd, int is_index)
{
	const char *sub = jstr(cmd, "subtype"), *name = jstr(cmd, "name");
	json_t *def = jget(cmd, "def"), *d = NULL;
	const char *why;

	jnode(def, &d);
	if (sub == NULL)
		return MIG_LOCK_ACCESS_EXCLUSIVE;
	set_class(c, MIG_CLASS_METADATA);
	if (strcmp(sub, "AT_AddColumn") == 0) {
		int work = add_column_work(c, d, &why);
		const char *col = jstr(d, "colname");

		what(c, "add column %s%s%s", col != NULL ? col : "?",
		    why != NULL ? " (" : "", why != NULL ? why : "");
		if (why != NULL)
			strbuf_addch(&c->what, ')');
		if (work == 2) {
			c->work |= MIG_REWRITE;
			set_class(c, MIG_CLASS_REWRITE);
		} else if (work == 1) {
			c->work |= MIG_SCAN;
			set_class(c, MIG_CLASS_SCAN);
		}
		return MIG_LOCK_ACCESS_EXCLUSIVE;
	}
	if (strcmp(sub, "AT_ColumnDefault") == 0 ||
	    strcmp(sub, "AT_CookedColumnDefault") == 0) {
		what(c, "%s default %s", def != NULL ? "set" : "drop", name);
		return MIG_LOCK_ACCESS_EXCLUSIVE;
	}
	if (strcmp(sub, "AT_SetNotNull") == 0) {
		int proven = has_notnull_check(r, name);

		what(c, "set not null %s%s", name, proven ?
		    " (proven by a check)" : "");
		if (!proven) {
			c->work |= MIG_SCAN;
			set_class(c, MIG_CLASS_SCAN);
		}
		return MIG_LOCK_ACCESS_EXCLUSIVE;
	}
	if (strcmp(sub, "AT_DropNotNull") == 0) {
		what(c, "drop not null %s", name);
		return MIG_LOCK_ACCESS_EXCLUSIVE;
	}
	if (strcmp(sub, "AT_SetStatistics") == 0 ||
	    strcmp(sub, "AT_SetOptions") == 0 ||
	    strcmp(sub, "AT_ResetOptions") == 0 ||
	    strcmp(sub, "AT_ClusterOn") == 0 || strcmp(sub, "AT_DropCluster") == 0 ||
	    strcmp(sub, "AT_DetachPartitionFinalize") == 0) {
		what(c, "%s%s%s", sub + 3, name != NULL ? " " : "",
		    name != NULL ? name : "");
		return MIG_LOCK_SHARE_UPDATE_EXCLUSIVE;
	}
	if (strcmp(sub, "AT_SetRelOptions") == 0 ||
	    strcmp(sub, "AT_ResetRelOptions") == 0 ||
	    strcmp(sub, "AT_ReplaceRelOptions") == 0) {
		what(c, "set storage parameters");
		return reloptions_lock(def);
	}
	if (strncmp(sub, "AT_EnableTrig", 13) == 0 ||
	    strncmp(sub, "AT_DisableTrig", 14) == 0 ||
	    strncmp(sub, "AT_EnableAlwaysTrig", 19) == 0 ||
	    strncmp(sub, "AT_EnableReplicaTrig", 20) == 0) {
		what(c, "%s trigger %s", sub[3] == 'E' ? "enable" : "disable",
		    name != NULL ? name : "all");
		return MIG_LOCK_SHARE_ROW_EXCLUSIVE;
	}
	if (strcmp(sub, "AT_DropColumn") == 0) {
		what(c, "drop column %s", name);
		return MIG_LOCK_ACCESS_EXCLUSIVE;
	}
	if (strcmp(sub, "AT_AddConstraint") == 0 && d != NULL)
		return add_constraint(c, r, d);
	if (strcmp(sub, "AT_ValidateConstraint") == 0) {
		const struct mig_constraint *k = NULL;

		for (int i = 0; r != NULL && i < r->ncons; i++)
			if (name != NULL && strcmp(r->cons[i].name, name) == 0)
				k = &r->cons[i];
		what(c, "validate %s", name);
		c->work |= MIG_SCAN;
		if (k != NULL && k->type == 'f') {
			target(c, NULL, k->ref, MIG_OBJ_TABLE,
			    MIG_LOCK_ROW_SHARE, MIG_FK_PARENT | MIG_SCAN);
			set_class(c, MIG_CLASS_FK);
		} else {
			set_class(c, MIG_CLASS_SCAN);
		}
		return MIG_LOCK_SHARE_UPDATE_EXCLUSIVE;
	}
	if (strcmp(sub, "AT_DropConstraint") == 0) {
		for (int i = 0; r != NULL && i < r->ncons; i++)
			if (name != NULL && strcmp(r->cons[i].name, name) == 0 &&
			    r->cons[i].type == 'f')
				target(c, NULL, r->cons[i].ref, MIG_OBJ_TABLE,
				    MIG_LOCK_ACCESS_EXCLUSIVE, MIG_FK_PARENT);
		what(c, "drop constraint %s", name);
		return MIG_LOCK_ACCESS_EXCLUSIVE;
	}
	if (strcmp(sub, "AT_AlterColumnType") == 0 && d != NULL) {
		struct mig_column nw = { .mod1 = -1, .mod2 = -1 };
		const struct mig_column *old = mig_rel_col(r, name);
		json_t *using = jget(d, "raw_default");
		char ta[64], tb[64];
		int rw;

		mig_type_from_tree(jget(d, "typeName"), &nw);
		rw = mig_type_rewrites(old, &nw, c->cat->timezone,
		    using != NULL && !trivial_using(using, name));
		fmt_type(tb, sizeof tb, &nw);
		if (old != NULL)
			fmt_type(ta, sizeof ta, old);
		else
			snprintf(ta, sizeof ta, "?");
		what(c, "alter column %s type %s -> %s%s", name, ta, tb,
		    rw == 0 ? " (no rewrite)" : rw < 0 ? " (type unknown: "
		    "rewrite assumed)" : "");
		if (rw != 0) {
			c->work |= MIG_REWRITE;
			set_class(c, MIG_CLASS_REWRITE);
		} else if (old != NULL && strcmp(old->type, nw.type) != 0 &&
		    !same_opclass(old->type, nw.type) &&
		    column_indexed(r, name)) {
			/* The heap stays, but an index on the column
			 * changes operator class: it is built again. */
			c->work |= MIG_BUILD;
			set_class(c, MIG_CLASS_INDEX);
		}
		free(nw.type);
		fk_column_retyped(c, r, name, rw);
		return MIG_LOCK_ACCESS_EXCLUSIVE;
	}
	if (strcmp(sub, "AT_SetLogged") == 0 || strcmp(sub, "AT_SetUnLogged") == 0 ||
	    strcmp(sub, "AT_SetTableSpace") == 0 ||
	    strcmp(sub, "AT_SetAccessMethod") == 0) {
		what(c, "%s", sub + 3);
		c->work |= MIG_REWRITE;
		set_class(c, MIG_CLASS_REWRITE);
		return MIG_LOCK_ACCESS_EXCLUSIVE;
	}
	if (strcmp(sub, "AT_AttachPartition") == 0 && d != NULL && !is_index) {
		json_t *part = jget(d, "name");
		struct mig_rel *p = mig_cat_find(c->cat, jstr(part, "schemaname"),
		    jstr(part, "relname"));
		int proven = 0;
		struct mig_target *pt;

		for (int i = 0; p != NULL && i < p->ncons; i++)
			proven |= p->cons[i].type == 'c' && p->cons[i].valid;
		pt = target_rv(c, part, MIG_LOCK_ACCESS_EXCLUSIVE,
		    proven ? 0 : MIG_SCAN);
		what(c, "attach partition %s%s", jstr(part, "relname"),
		    proven ? " (a check constraint may prove the bound)" : "");
		if (pt != NULL && !proven)
			set_class(c, MIG_CLASS_SCAN);
		if (r != NULL && r->default_part != NULL) {
			target(c, r->schema, r->default_part, MIG_OBJ_TABLE,
			    MIG_LOCK_ACCESS_EXCLUSIVE, MIG_SCAN);
			set_class(c, MIG_CLASS_SCAN);
		}
		return MIG_LOCK_SHARE_UPDATE_EXCLUSIVE;
	}
	if (strcmp(sub, "AT_AttachPartition") == 0 && d != NULL && is_index) {
		json_t *part = jget(d, "name");
		const char *ps = jstr(part, "schemaname");
		const char *pn = jstr(part, "relname");
		struct mig_rel *pt = index_table(c->cat, ps, pn);

		/* The partition's index is changed (ACCESS EXCLUSIVE), the
		 * parent index only marked (SHARE UPDATE EXCLUSIVE); both
		 * tables are only looked at. */
		target(c, ps, pn, MIG_OBJ_INDEX, MIG_LOCK_ACCESS_EXCLUSIVE, 0);
		if (r != NULL)
			target(c, r->schema, r->name, MIG_OBJ_TABLE,
			    MIG_LOCK_ACCESS_SHARE, 0);
		if (pt != NULL)
			target(c, pt->schema, pt->name, MIG_OBJ_TABLE,
			    MIG_LOCK_ACCESS_SHARE, 0);
		what(c, "attach partition %s", pn != NULL ? pn : "?");
		return MIG_LOCK_SHARE_UPDATE_EXCLUSIVE;
	}
	if (strcmp(sub, "AT_DetachPartition") == 0 && d != NULL) {
		int conc = jbool(d, "concurrent");
		const char *pn = jstr(jget(d, "name"), "relname");

		/* CONCURRENTLY's second transaction ends with ACCESS
		 * EXCLUSIVE on the partition; without it, the default
		 * partition's constraint changes too. */
		target_rv(c, jget(d, "name"), MIG_LOCK_ACCESS_EXCLUSIVE, 0);
		if (!conc && r != NULL && r->default_part != NULL &&
		    pn != NULL && strcmp(r->default_part, pn) != 0)
			target(c, r->schema, r->default_part, MIG_OBJ_TABLE,
			    MIG_LOCK_ACCESS_EXCLUSIVE, 0);
		what(c, "detach partition %s%s", pn != NULL ? pn : "?",
		    conc ? " concurrently" : "");
		if (conc) {
			c->st->flags |= MIG_NO_TX | MIG_CONCURRENT;
			return MIG_LOCK_SHARE_UPDATE_EXCLUSIVE;
		}
		return MIG_LOCK_ACCESS_EXCLUSIVE;
	}
	what(c, "%s%s%s", sub + 3, name != NULL ? " " : "",
	    name != NULL ? name : "");
	return MIG_LOCK_ACCESS_EXCLUSIVE;
}

/*
 * Whether an ALTER TABLE command on a partitioned table takes its lock
 * on every partition too (checked on PostgreSQL 15: those below do;
 * SET (attribute options), triggers, row security, OWNER, REPLICA
 * IDENTITY and identity columns stay on the parent).
 */
static int
recurses(const json_t *cmd)
{
	static const char *const subs[] = {
		"AT_AddColumn", "AT_ColumnDefault", "AT_DropNotNull",
		"AT_SetNotNull", "AT_SetStatistics", "AT_SetStorage",
		"AT_DropColumn", "AT_AlterColumnType", NULL,
	};
	const char *sub = jstr(cmd, "subtype"), *ct;
	json_t *d;

	if (in_list(sub, subs))
		return 1;
	if (sub == NULL || strcmp(sub, "AT_AddConstraint") != 0 ||
	    jnode(jget(cmd, "def"), &d) == NULL ||
	    (ct = jstr(d, "contype")) == NULL)
		return 0;
	/* A primary key or unique index is built on each partition under
	 * SHARE instead (rec_build). */
	return strcmp(ct, "CONSTR_CHECK") == 0 ||
	    strcmp(ct, "CONSTR_FOREIGN") == 0;
}

static void
alter_table(struct ctx *c, const json_t *b)
{
	const char *ot = jstr(b, "objtype");
	int is_index = ot != NULL && strcmp(ot, "OBJECT_INDEX") == 0;
	json_t *rv = jget(b, "relation"), *cmd, *body;
	enum mig_lock lock = MIG_LOCK_NONE;
	struct mig_rel *r;
	struct mig_target *t;
	size_t i;

	c->st->tag = is_index ? "ALTER INDEX" : ot != NULL &&
	    strcmp(ot, "OBJECT_MATVIEW") == 0 ? "ALTER MATERIALIZED VIEW" :
	    ot != NULL && strcmp(ot, "OBJECT_VIEW") == 0 ? "ALTER VIEW" :
	    ot != NULL && strcmp(ot, "OBJECT_SEQUENCE") == 0 ? "ALTER SEQUENCE" :
	    "ALTER TABLE";
	/* For an index, the table it belongs to. */
	r = is_index ? index_table(c->cat, jstr(rv, "schemaname"),
	    jstr(rv, "relname")) : mig_cat_find(c->cat, jstr(rv, "schemaname"),
	    jstr(rv, "relname"));
	t = target(c, jstr(rv, "schemaname"), jstr(rv, "relname"),
	    is_index ? MIG_OBJ_INDEX : MIG_OBJ_TABLE, MIG_LOCK_NONE, 0);
	if (t == NULL)
		return;
	c->work = 0;
	c->rec_lock = MIG_LOCK_NONE;
	c->rec_build = 0;
	json_array_foreach(jget(b, "cmds"), i, cmd) {
		enum mig_lock l;

		if (jnode(cmd, &body) == NULL)
			continue;
		l = alter_cmd(c, r, body, is_index);
		if (l > lock)
			lock = l;
		if (!is_index && recurses(body) && l > c->rec_lock)
			c->rec_lock = l;
	}
	/* alter_cmd may have grown the array: find the target again. */
	t = target(c, jstr(rv, "schemaname"), jstr(rv, "relname"),
	    is_index ? MIG_OBJ_INDEX : MIG_OBJ_TABLE, lock, c->work);
	/* Without ONLY, most commands reach every partition. */
	if (!is_index && r != NULL && r->kind == 'p' && jbool(rv, "inh") &&
	    (c->rec_lock != MIG_LOCK_NONE || c->rec_build)) {
		unsigned work = c->work & (MIG_REWRITE | MIG_SCAN);
		int n = 0;

		if (c->rec_lock != MIG_LOCK_NONE)
			n += partitions(c, r, c->rec_lock, work, 0);
		if (c->rec_build)
			n += partitions(c, r, MIG_LOCK_SHARE, MIG_BUILD, 0);
		t = target(c, jstr(rv, "schemaname"), jstr(rv, "relname"),
		    MIG_OBJ_TABLE, lock, 0);
		if (n > 0)
			t->flags &= ~(MIG_REWRITE | MIG_SCAN | MIG_BUILD);
	}
	if (is_index && (r = index_table(c->cat, jstr(rv, "schemaname"),
	    jstr(rv, "relname"))) != NULL && lock == MIG_LOCK_ACCESS_EXCLUSIVE)
		target(c, r->schema, r->name, MIG_OBJ_TABLE,
		    MIG_LOCK_ACCESS_EXCLUSIVE, 0);
}

static int
has_option(const json_t *params, const char *opt)
{
	json_t *o, *body;
	size_t i;

	json_array_foreach(params, i, o)
		if (jnode(o, &body) != NULL && jstr(body, "defname") != NULL &&
		    strcmp(jstr(body, "defname"), opt) == 0)
			return 1;
	return 0;
}

static void
create_index(struct ctx *c, const json_t *b)
{
	int conc = jbool(b, "concurrent");
	json_t *rv = jget(b, "relation");
	enum mig_lock l = conc ? MIG_LOCK_SHARE_UPDATE_EXCLUSIVE :
	    MIG_LOCK_SHARE;
	struct mig_rel *r = mig_cat_find(c->cat, jstr(rv, "schemaname"),
	    jstr(rv, "relname"));
	int only = r != NULL && r->kind == 'p' && !jbool(rv, "inh");

	c->st->tag = jbool(b, "unique") ? "CREATE UNIQUE INDEX" : "CREATE INDEX";
	if (conc)
		c->st->flags |= MIG_NO_TX | MIG_CONCURRENT;
	what(c, "%s on %s%s%s", jstr(b, "idxname") != NULL ?
	    jstr(b, "idxname") : "(unnamed)", jstr(rv, "relname"),
	    conc ? " concurrently" : "", only ? " only (nothing built)" : "");
	/* ON ONLY a partitioned table: an invalid index, no rows read. */
	if (only) {
		target_rv(c, rv, l, 0);
		set_class(c, MIG_CLASS_METADATA);
		return;
	}
	target_rv(c, rv, l, MIG_BUILD);
	set_class(c, MIG_CLASS_INDEX);
	if (r != NULL && r->kind == 'p')
		work_to_leaves(c, jstr(rv, "schemaname"), jstr(rv, "relname"),
		    r, l);
}

static struct mig_target *
find_target(struct ctx *c, const char *name, enum mig_objkind kind)
{
	for (int i = 0; name != NULL && i < c->st->ntargets; i++)
		if (c->st->targets[i].kind == kind &&
		    strcmp(c->st->targets[i].name, name) == 0)
			return &c->st->targets[i];
	return NULL;
}

/*
 * The tables with a foreign key to 'name' (itself aside) take 'lock';
 * with 'transitive', the tables referencing those too (TRUNCATE ...
 * CASCADE empties them all).
 */
static void
referencing(struct ctx *c, const char *name, enum mig_lock lock,
    int transitive, int depth)
{
	if (name == NULL || depth > 32)
		return;
	for (int i = 0; i < c->cat->nrels; i++) {
		struct mig_rel *r = c->cat->rels[i];

		for (int k = 0; r != NULL && k < r->ncons; k++) {
			const struct mig_constraint *fk = &r->cons[k];
			int seen;

			if (fk->type != 'f' || fk->ref == NULL ||
			    strcmp(fk->ref, name) != 0 ||
			    strcmp(r->name, name) == 0)
				continue;
			seen = find_target(c, r->name, MIG_OBJ_TABLE) != NULL;
			target(c, r->schema, r->name, MIG_OBJ_TABLE, lock, 0);
			if (transitive && !seen)
				referencing(c, r->name, lock, 1, depth + 1);
			break;
		}
	}
}

/* The views (and materialized views) built on 'r', and theirs: DROP
 * ... CASCADE drops them. */
static void
dependent_views(struct ctx *c, const struct mig_rel *r, int depth)
{
	const char *p = r != NULL ? r->views : NULL;

	while (p != NULL && *p != '\0' && depth <= 32) {
		size_t len = strcspn(p, ",");
		char *name = xstrndup(p, len);
		struct mig_rel *v = mig_cat_find(c->cat, r->schema, name);
		enum mig_objkind kind = v != NULL && v->kind == 'v' ?
		    MIG_OBJ_VIEW : MIG_OBJ_TABLE;

		if (find_target(c, name, kind) == NULL) {
			target(c, v != NULL ? v->schema : NULL, name, kind,
			    MIG_LOCK_ACCESS_EXCLUSIVE, 0);
			dependent_views(c, v, depth + 1);
		}
		free(name);
		p += len;
		while (*p == ',' || *p == ' ')
			p++;
	}
}

/* DROP ...: objects are lists of names, [schema,] name. */
static void
drop(struct ctx *c, const json_t *b)
{
	const char *rt = jstr(b, "removeType");
	int conc = jbool(b, "concurrent");
	json_t *obj;
	size_t i;

	if (rt == NULL)
		rt = "";
	c->st->tag = strcmp(rt, "OBJECT_INDEX") == 0 ? "DROP INDEX" :
	    strcmp(rt, "OBJECT_TABLE") == 0 ? "DROP TABLE" :
	    strcmp(rt, "OBJECT_VIEW") == 0 ? "DROP VIEW" :
	    strcmp(rt, "OBJECT_MATVIEW") == 0 ? "DROP MATERIALIZED VIEW" :
	    strcmp(rt, "OBJECT_TYPE") == 0 ? "DROP TYPE" :
	    strcmp(rt, "OBJECT_TRIGGER") == 0 ? "DROP TRIGGER" : "DROP";
	set_class(c, MIG_CLASS_METADATA);
	json_array_foreach(jget(b, "objects"), i, obj) {
		json_t *list = jget(obj, "List") != NULL ?
		    jget(jget(obj, "List"), "items") : obj;
		size_t n = json_array_size(list);
		const char *schema = n > 1 ? jname_at(list, n - 2) : NULL;
		const char *name = jname_last(list);
		struct mig_rel *r;

		if (name == NULL)
			continue;
		if (strcmp(rt, "OBJECT_INDEX") == 0) {
			enum mig_lock l = conc ? MIG_LOCK_SHARE_UPDATE_EXCLUSIVE :
			    MIG_LOCK_ACCESS_EXCLUSIVE;

			target(c, schema, name, MIG_OBJ_INDEX, l, 0);
			if ((r = index_table(c->cat, schema, name)) != NULL)
				target(c, r->schema, r->name, MIG_OBJ_TABLE, l, 0);
			if (conc)
				c->st->flags |= MIG_NO_TX | MIG_CONCURRENT;
			what(c, "%s%s", name, conc ? " concurrently" : "");
		} else if (strcmp(rt, "OBJECT_TABLE") == 0 ||
		    strcmp(rt, "OBJECT_VIEW") == 0 ||
		    strcmp(rt, "OBJECT_MATVIEW") == 0 ||
		    strcmp(rt, "OBJECT_FOREIGN_TABLE") == 0 ||
		    strcmp(rt, "OBJECT_SEQUENCE") == 0) {
			target(c, schema, name, strcmp(rt, "OBJECT_VIEW") == 0 ?
			    MIG_OBJ_VIEW : strcmp(rt, "OBJECT_SEQUENCE") == 0 ?
			    MIG_OBJ_SEQUENCE : MIG_OBJ_TABLE,
			    MIG_LOCK_ACCESS_EXCLUSIVE, 0);
			/* Its foreign keys' triggers live on the tables they
			 * reference, which are locked too. */
			r = mig_cat_find(c->cat, schema, name);
			for (int k = 0; r != NULL && k < r->ncons; k++)
				if (r->cons[k].type == 'f' && r->cons[k].ref != NULL &&
				    strcmp(r->cons[k].ref, name) != 0)
					target(c, NULL, r->cons[k].ref,
					    MIG_OBJ_TABLE,
					    MIG_LOCK_ACCESS_EXCLUSIVE,
					    MIG_FK_PARENT);
			/* CASCADE drops the foreign keys that reference it
			 * and the views built on it. */
			if (jstr(b, "behavior") != NULL &&
			    strcmp(jstr(b, "behavior"), "DROP_CASCADE") == 0) {
				referencing(c, name, MIG_LOCK_ACCESS_EXCLUSIVE, 0, 0);
				dependent_views(c, r, 0);
			}
			what(c, "%s", name);
		} else if ((strcmp(rt, "OBJECT_TRIGGER") == 0 ||
		    strcmp(rt, "OBJECT_POLICY") == 0 ||
		    strcmp(rt, "OBJECT_RULE") == 0) && n >= 2) {
			target(c, n > 2 ? jname_at(list, n - 3) : NULL,
			    jname_at(list, n - 2), MIG_OBJ_TABLE,
			    MIG_LOCK_ACCESS_EXCLUSIVE, 0);
			what(c, "%s on %s", name, jname_at(list, n - 2));
		} else if (strcmp(rt, "OBJECT_TYPE") == 0 ||
		    strcmp(rt, "OBJECT_DOMAIN") == 0) {
			target(c, schema, name, MIG_OBJ_TYPE,
			    MIG_LOCK_ACCESS_EXCLUSIVE, 0);
			what(c, "%s", name);
		} else {
			what(c, "%s %s", rt + 7, name);
		}
	}
}

static void
list_of_rangevars(struct ctx *c, const json_t *list, enum mig_lock lock,
    unsigned flags)
{
	json_t *e, *body;
	size_t i;

	json_array_foreach(list, i, e) {
		const char *k = jnode(e, &body);

		if (k == NULL)
			continue;
		if (strcmp(k, "VacuumRelation") == 0)
			body = jget(body, "relation");
		target_rv(c, body, lock, flags);
		what(c, "%s", jstr(body, "relname"));
	}
}

static void
create_table(struct ctx *c, const json_t *b)
{
	json_t *e, *body, *con, *cb, *parent;
	size_t i, j;

	c->st->tag = "CREATE TABLE";
	set_class(c, MIG_CLASS_METADATA);
	what(c, "%s", jstr(jget(b, "relation"), "relname"));
	/* Foreign keys lock the tables they reference. */
	json_array_foreach(jget(b, "tableElts"), i, e) {
		const char *k = jnode(e, &body);

		if (k != NULL && strcmp(k, "Constraint") == 0 &&
		    jstr(body, "contype") != NULL &&
		    strcmp(jstr(body, "contype"), "CONSTR_FOREIGN") == 0)
			target_rv(c, jget(body, "pktable"),
			    MIG_LOCK_SHARE_ROW_EXCLUSIVE, MIG_FK_PARENT);
		/* LIKE reads the definition of the table it copies. */
		if (k != NULL && strcmp(k, "TableLikeClause") == 0)
			target_rv(c, jget(body, "relation"),
			    MIG_LOCK_ACCESS_SHARE, 0);
		if (k == NULL || strcmp(k, "ColumnDef") != 0)
			continue;
		json_array_foreach(jget(body, "constraints"), j, con)
			if (jnode(con, &cb) != NULL && jstr(cb, "contype") != NULL &&
			    strcmp(jstr(cb, "contype"), "CONSTR_FOREIGN") == 0)
				target_rv(c, jget(cb, "pktable"),
				    MIG_LOCK_SHARE_ROW_EXCLUSIVE, MIG_FK_PARENT);
	}
	parent = jget(json_array_get(jget(b, "inhRelations"), 0), "RangeVar");
	if (parent != NULL && jget(b, "partbound") != NULL) {
		struct mig_rel *p = mig_cat_find(c->cat, jstr(parent, "schemaname"),
		    jstr(parent, "relname"));

		target_rv(c, parent, MIG_LOCK_ACCESS_EXCLUSIVE, 0);
		what(c, "partition of %s", jstr(parent, "relname"));
		if (p != NULL && p->default_part != NULL) {
			target(c, p->schema, p->default_part, MIG_OBJ_TABLE,
			    MIG_LOCK_ACCESS_EXCLUSIVE, MIG_SCAN);
			set_class(c, MIG_CLASS_SCAN);
		}
	} else if (parent != NULL) {
		target_rv(c, parent, MIG_LOCK_SHARE_UPDATE_EXCLUSIVE, 0);
	}
}

/* Whether an index of r leads with exactly the foreign key's columns. */
static int
fk_indexed(const struct mig_rel *r, const struct mig_constraint *fk)
{
	for (int i = 0; i < r->nidx; i++) {
		const struct mig_index *ix = &r->idx[i];
		int ok = !ix->dropped && ix->valid && ix->ncols >= fk->ncols;

		for (int j = 0; ok && j < fk->ncols; j++) {
			int found = 0;

			for (int k = 0; k < fk->ncols; k++)
				found |= ix->cols[k] != NULL &&
				    strcmp(ix->cols[k], fk->cols[j]) == 0;
			ok = found;
		}
		if (ok)
			return 1;
	}
	return 0;
}

/* Whether an UPDATE's SET list names one of the foreign key's columns. */
static int
sets_fk_col(const json_t *targets, const struct mig_constraint *fk)
{
	json_t *e, *rt;
	size_t i;

	json_array_foreach(targets, i, e)
		if (jnode(e, &rt) != NULL && fk_has_col(fk, jstr(rt, "name")))
			return 1;
	return 0;
}

/*
 * The foreign key checks of DML, run by the RI triggers: a row written
 * to a referencing table is looked up in the referenced one (ROW SHARE,
 * SELECT ... FOR KEY SHARE); a row deleted from a referenced table is
 * looked up in each referencing table (ROW SHARE, or ROW EXCLUSIVE when
 * the action deletes or updates there), by a scan of it when no index
 * leads with the key's columns.  Keys of unknown columns are skipped.
 */
static void
dml_fk_checks(struct ctx *c, const char *tag, const json_t *b,
    struct mig_rel *r)
{
	for (int k = 0; r != NULL && tag[0] != 'D' && k < r->ncons; k++) {
		const struct mig_constraint *fk = &r->cons[k];

		if (fk->type != 'f' || fk->ref == NULL)
			continue;
		if (tag[0] == 'U' && (fk->ncols == 0 ||
		    !sets_fk_col(jget(b, "targetList"), fk)))
			continue;
		target(c, NULL, fk->ref, MIG_OBJ_TABLE, MIG_LOCK_ROW_SHARE,
		    MIG_FK_PARENT);
	}
	if (r == NULL || tag[0] != 'D')
		return;
	for (int i = 0; i < c->cat->nrels; i++) {
		struct mig_rel *x = c->cat->rels[i];

		for (int k = 0; x != NULL && x != r && k < x->ncons; k++) {
			const struct mig_constraint *fk = &x->cons[k];
			int writes = fk->on_delete == 'c' || fk->on_delete == 'n' ||
			    fk->on_delete == 'd';
			struct mig_target *t;

			if (fk->type != 'f' || fk->ref == NULL ||
			    strcmp(fk->ref, r->name) != 0)
				continue;
			t = target(c, x->schema, x->name, MIG_OBJ_TABLE,
			    writes ? MIG_LOCK_ROW_EXCLUSIVE : MIG_LOCK_ROW_SHARE,
			    (writes ? MIG_WRITE : 0) | (fk->ncols > 0 &&
			    !fk_indexed(x, fk) ? MIG_SCAN : 0));
			if (writes)
				t->rows = -1;
		}
	}
}

static void
dml(struct ctx *c, const char *tag, const json_t *b)
{
	json_t *rv = jget(b, "relation");
	struct mig_target *t;

	c->st->tag = tag;
	set_class(c, MIG_CLASS_DML);
	t = target_rv(c, rv, MIG_LOCK_ROW_EXCLUSIVE, MIG_WRITE);
	what(c, "%s%s", jstr(rv, "relname"), tag[0] != 'I' &&
	    jget(b, "whereClause") == NULL ? " (every row)" : "");
	/* Rows written: all of them without WHERE, else unknown. */
	if (t != NULL && tag[0] != 'I' && jget(b, "whereClause") != NULL)
		t->rows = -1;
	if (t != NULL && tag[0] == 'I') {
		json_t *sel = NULL;

		jnode(jget(b, "selectStmt"), &sel);
		t->rows = jget(sel, "valuesLists") != NULL ?
		    (double)json_array_size(jget(sel, "valuesLists")) : -1;
	}
	dml_fk_checks(c, tag, b, mig_cat_find(c->cat, jstr(rv, "schemaname"),
	    jstr(rv, "relname")));
}

static void
reindex(struct ctx *c, const json_t *b)
{
	const char *kind = jstr(b, "kind");
	int conc = has_option(jget(b, "params"), "concurrently");
	json_t *rv = jget(b, "relation");
	enum mig_lock tl = conc ? MIG_LOCK_SHARE_UPDATE_EXCLUSIVE : MIG_LOCK_SHARE;

	c->st->tag = "REINDEX";
	set_class(c, MIG_CLASS_INDEX);
	if (conc)
		c->st->flags |= MIG_NO_TX | MIG_CONCURRENT;
	if (kind == NULL || (strcmp(kind, "REINDEX_OBJECT_INDEX") != 0 &&
	    strcmp(kind, "REINDEX_OBJECT_TABLE") != 0)) {
		c->st->flags |= MIG_NO_TX;
		what(c, "%s %s", kind != NULL ? kind + 15 : "?",
		    jstr(b, "name") != NULL ? jstr(b, "name") : "");
		return;
	}
	if (strcmp(kind, "REINDEX_OBJECT_INDEX") == 0) {
		struct mig_rel *r = index_table(c->cat, jstr(rv, "schemaname"),
		    jstr(rv, "relname"));

		target(c, jstr(rv, "schemaname"), jstr(rv, "relname"),
		    MIG_OBJ_INDEX, conc ? MIG_LOCK_SHARE_UPDATE_EXCLUSIVE :
		    MIG_LOCK_ACCESS_EXCLUSIVE, 0);
		if (r != NULL)
			target(c, r->schema, r->name, MIG_OBJ_TABLE, tl, MIG_BUILD);
	} else {
		struct mig_rel *r = mig_cat_find(c->cat, jstr(rv, "schemaname"),
		    jstr(rv, "relname"));

		target_rv(c, rv, tl, MIG_BUILD);
		/* Each index is rebuilt under its own lock (CONCURRENTLY
		 * skips the invalid ones); a partitioned table's are done
		 * one partition at a time, each in its own transaction. */
		if (r != NULL && r->kind == 'p')
			c->st->flags |= MIG_NO_TX;
		for (int i = 0; r != NULL && r->kind != 'p' && i < r->nidx; i++)
			if (!r->idx[i].dropped && (!conc || r->idx[i].valid))
				target(c, r->schema, r->idx[i].name,
				    MIG_OBJ_INDEX, conc ?
				    MIG_LOCK_SHARE_UPDATE_EXCLUSIVE :
				    MIG_LOCK_ACCESS_EXCLUSIVE, 0);
	}
	what(c, "%s%s", jstr(rv, "relname"), conc ? " concurrently" : "");
}

static void
rename_stmt(struct ctx *c, const json_t *b)
{
	const char *rt = jstr(b, "renameType");
	json_t *rv = jget(b, "relation");

	c->st->tag = "RENAME";
	set_class(c, MIG_CLASS_METADATA);
	if (rt == NULL)
		return;
	if (strcmp(rt, "OBJECT_INDEX") == 0) {
		c->st->tag = "ALTER INDEX";
		target(c, jstr(rv, "schemaname"), jstr(rv, "relname"),
		    MIG_OBJ_INDEX, MIG_LOCK_SHARE_UPDATE_EXCLUSIVE, 0);
		what(c, "rename index %s to %s", jstr(rv, "relname"),
		    jstr(b, "newname"));
	} else if (rv != NULL) {
		c->st->tag = "ALTER TABLE";
		target_rv(c, rv, MIG_LOCK_ACCESS_EXCLUSIVE, 0);
		/* A column is renamed in every partition too. */
		if (strcmp(rt, "OBJECT_COLUMN") == 0 && jbool(rv, "inh"))
			partitions(c, mig_cat_find(c->cat, jstr(rv, "schemaname"),
			    jstr(rv, "relname")), MIG_LOCK_ACCESS_EXCLUSIVE, 0, 0);
		if (strcmp(rt, "OBJECT_COLUMN") == 0)
			what(c, "rename column %s to %s", jstr(b, "subname"),
			    jstr(b, "newname"));
		else if (strcmp(rt, "OBJECT_TABCONSTRAINT") == 0)
			what(c, "rename constraint %s to %s", jstr(b, "subname"),
			    jstr(b, "newname"));
		else if (strcmp(rt, "OBJECT_TRIGGER") == 0)
			what(c, "rename trigger %s to %s", jstr(b, "subname"),
			    jstr(b, "newname"));
		else
			what(c, "rename %s to %s", jstr(rv, "relname"),
			    jstr(b, "newname"));
	} else {
		c->st->tag = "ALTER TYPE";
		what(c, "rename %s to %s", rt + 7, jstr(b, "newname"));
	}
}

static void
comment(struct ctx *c, const json_t *b)
{
	const char *ot = jstr(b, "objtype");
	json_t *obj = jget(b, "object"), *list;
	size_t n;

	c->st->tag = "COMMENT";
	set_class(c, MIG_CLASS_METADATA);
	list = jget(obj, "List") != NULL ? jget(jget(obj, "List"), "items") : NULL;
	n = json_array_size(list);
	if (ot == NULL || n == 0)
		return;
	if (strcmp(ot, "OBJECT_TABLE") == 0 || strcmp(ot, "OBJECT_VIEW") == 0 ||
	    strcmp(ot, "OBJECT_MATVIEW") == 0)
		target(c, n > 1 ? jname_at(list, n - 2) : NULL, jname_last(list),
		    MIG_OBJ_TABLE, MIG_LOCK_SHARE_UPDATE_EXCLUSIVE, 0);
	else if (strcmp(ot, "OBJECT_COLUMN") == 0 && n >= 2)
		target(c, n > 2 ? jname_at(list, n - 3) : NULL,
		    jname_at(list, n - 2), MIG_OBJ_TABLE,
		    MIG_LOCK_SHARE_UPDATE_EXCLUSIVE, 0);
	what(c, "on %s %s", ot + 7, jname_last(list));
}

static void
vacuum(struct ctx *c, const json_t *b)
{
	int full = has_option(jget(b, "options"), "full");

	c->st->tag = jbool(b, "is_vacuumcmd") ? full ? "VACUUM FULL" : "VACUUM" :
	    "ANALYZE";
	if (jbool(b, "is_vacuumcmd"))
		c->st->flags |= MIG_NO_TX;
	set_class(c, full ? MIG_CLASS_REWRITE : MIG_CLASS_SCAN);
	list_of_rangevars(c, jget(b, "rels"), full ? MIG_LOCK_ACCESS_EXCLUSIVE :
	    MIG_LOCK_SHARE_UPDATE_EXCLUSIVE, full ? MIG_REWRITE : MIG_SCAN);
}

static void
variable_set(struct ctx *c, const json_t *b)
{
	const char *n = jstr(b, "name"), *kind = jstr(b, "kind");

	c->st->tag = "SET";
	if (n == NULL)
		return;
	what(c, "%s", n);
	if (strcmp(n, "lock_timeout") == 0 && kind != NULL &&
	    strcmp(kind, "VAR_SET_VALUE") == 0) {
		json_t *arg = json_array_get(jget(b, "args"), 0), *ac;
		json_t *v;

		/* SET lock_timeout = 0 turns the timeout off. */
		if (jnode(arg, &ac) != NULL && (v = jget(ac, "ival")) != NULL &&
		    jint(v, "ival") == 0)
			return;
		if (ac != NULL && jstr(jget(ac, "sval"), "sval") != NULL &&
		    strcmp(jstr(jget(ac, "sval"), "sval"), "0") == 0)
			return;
		c->st->flags |= MIG_SETS_LOCK_TIMEOUT;
	}
}

static void
transaction(struct ctx *c, const json_t *b)
{
	const char *k = jstr(b, "kind");

	c->st->flags |= MIG_TX_CONTROL;
	c->st->tag = k == NULL ? "TRANSACTION" :
	    strcmp(k, "TRANS_STMT_BEGIN") == 0 ||
	    strcmp(k, "TRANS_STMT_START") == 0 ? "BEGIN" :
	    strcmp(k, "TRANS_STMT_COMMIT") == 0 ? "COMMIT" :
	    strcmp(k, "TRANS_STMT_ROLLBACK") == 0 ? "ROLLBACK" :
	    strcmp(k, "TRANS_STMT_SAVEPOINT") == 0 ? "SAVEPOINT" :
	    strcmp(k, "TRANS_STMT_RELEASE") == 0 ? "RELEASE" :
	    strcmp(k, "TRANS_STMT_ROLLBACK_TO") == 0 ? "ROLLBACK TO" :
	    strcmp(k, "TRANS_STMT_PREPARE") == 0 ? "PREPARE TRANSACTION" :
	    "TRANSACTION";
}

/* Statements that only touch the catalogs, by node name and tag. */
static const struct {
	const char	*node, *tag;
	int		 no_tx;
} simple[] = {
	{ "CreateSchemaStmt", "CREATE SCHEMA", 0 },
	{ "CreateEnumStmt", "CREATE TYPE", 0 },
	{ "CreateDomainStmt", "CREATE DOMAIN", 0 },
	{ "CompositeTypeStmt", "CREATE TYPE", 0 },
	{ "CreateFunctionStmt", "CREATE FUNCTION", 0 },
	{ "CreateExtensionStmt", "CREATE EXTENSION", 0 },
	{ "CreateSeqStmt", "CREATE SEQUENCE", 0 },
	{ "AlterSeqStmt", "ALTER SEQUENCE", 0 },
	{ "GrantStmt", "GRANT", 0 },
	{ "GrantRoleStmt", "GRANT", 0 },
	{ "CreateRoleStmt", "CREATE ROLE", 0 },
	{ "AlterRoleStmt", "ALTER ROLE", 0 },
	{ "AlterFunctionStmt", "ALTER FUNCTION", 0 },
	{ "DefineStmt", "CREATE", 0 },
	{ "CreateCastStmt", "CREATE CAST", 0 },
	{ "AlterOwnerStmt", "ALTER OWNER", 0 },
	{ "AlterDefaultPrivilegesStmt", "ALTER DEFAULT PRIVILEGES", 0 },
	{ "CreateEventTrigStmt", "CREATE EVENT TRIGGER", 0 },
	{ "CreatePublicationStmt", "CREATE PUBLICATION", 0 },
	{ "AlterPublicationStmt", "ALTER PUBLICATION", 0 },
	{ "SelectStmt", "SELECT", 0 },
	{ "ExplainStmt", "EXPLAIN", 0 },
	{ "NotifyStmt", "NOTIFY", 0 },
	{ "CallStmt", "CALL", 0 },
	{ "DoStmt", "DO", 0 },
	{ "CreatedbStmt", "CREATE DATABASE", 1 },
	{ "DropdbStmt", "DROP DATABASE", 1 },
	{ "AlterSystemStmt", "ALTER SYSTEM", 1 },
	{ "CreateTableSpaceStmt", "CREATE TABLESPACE", 1 },
	{ "DropTableSpaceStmt", "DROP TABLESPACE", 1 },
	{ "CreateSubscriptionStmt", "CREATE SUBSCRIPTION", 1 },
	{ "DropSubscriptionStmt", "DROP SUBSCRIPTION", 1 },
	{ "CheckPointStmt", "CHECKPOINT", 0 },
	{ "AlterDatabaseStmt", "ALTER DATABASE", 0 },
	{ "AlterDatabaseSetStmt", "ALTER DATABASE", 0 },
};

/* Every relation a query reads gets ACCESS SHARE (a stronger lock on
 * the same relation, already there, stays). */
static int
read_node(const char *key, const json_t *v, void *arg)
{
	struct ctx *c = arg;

	if (strcmp(key, "RangeVar") == 0) {
		char *pat = xstrfmt(",%s,", jstr(v, "relname") != NULL ?
		    jstr(v, "relname") : "");

		/* A WITH query's name is no table. */
		if (jstr(v, "schemaname") != NULL ||
		    strstr(c->ctes.buf, pat) == NULL)
			target_rv(c, v, MIG_LOCK_ACCESS_SHARE, 0);
		free(pat);
		return JWALK_SKIP;
	}
	return strcmp(key, "withClause") == 0 ? JWALK_SKIP : JWALK_GO;
}

static void
reads(struct ctx *c, const json_t *node)
{
	jwalk(node, read_node, c);
}

static void
stmt_reads(struct ctx *c, const char *t, const json_t *b)
{
	if (strcmp(t, "SelectStmt") == 0) {
		reads(c, b);
	} else if (strcmp(t, "InsertStmt") == 0) {
		reads(c, jget(b, "selectStmt"));
	} else if (strcmp(t, "UpdateStmt") == 0) {
		reads(c, jget(b, "fromClause"));
		reads(c, jget(b, "whereClause"));
		reads(c, jget(b, "targetList"));
	} else if (strcmp(t, "DeleteStmt") == 0) {
		reads(c, jget(b, "usingClause"));
		reads(c, jget(b, "whereClause"));
	} else if (strcmp(t, "CreateTableAsStmt") == 0 ||
	    strcmp(t, "ViewStmt") == 0) {
		reads(c, jget(b, "query"));
	}
}

/* REFRESH runs the view's query: what it reads is read in full. */
static void
view_sources(struct ctx *c, const json_t *rv)
{
	const char *name = jstr(rv, "relname");

	for (int i = 0; name != NULL && i < c->cat->nrels; i++) {
		struct mig_rel *r = c->cat->rels[i];

		if (r != NULL && mig_list_has(r->views, name))
			target(c, r->schema, r->name, MIG_OBJ_TABLE,
			    MIG_LOCK_ACCESS_SHARE, MIG_SCAN);
	}
}

/*
 * ALTER DOMAIN: adding a constraint takes ACCESS SHARE on the type;
 * adding a valid one, validating one or SET NOT NULL reads every table
 * with a column of the domain under SHARE (a partitioned table through
 * its partitions).  The catalog names a column's type as written, so a
 * column typed with the domain's name is one of the domain.
 */
static void
alter_domain(struct ctx *c, const json_t *b)
{
	json_t *tn = jget(b, "typeName"), *con;
	const char *sub = jstr(b, "subtype"), *dom = jname_last(tn);
	int check;

	jnode(jget(b, "def"), &con);
	target(c, json_array_size(tn) > 1 ? jname_at(tn, 0) : NULL, dom,
	    MIG_OBJ_TYPE, sub != NULL && sub[0] == 'C' ?
	    MIG_LOCK_ACCESS_SHARE : MIG_LOCK_NONE, 0);
	check = sub != NULL && ((sub[0] == 'C' &&
	    !jbool(con, "skip_validation")) || sub[0] == 'V' || sub[0] == 'O');
	if (!check || dom == NULL)
		return;
	set_class(c, MIG_CLASS_SCAN);
	for (int i = 0; i < c->cat->nrels; i++) {
		struct mig_rel *r = c->cat->rels[i];
		int uses = 0;

		if (r == NULL || (r->kind != 'r' && r->kind != 'p' &&
		    r->kind != 'm'))
			continue;
		for (int j = 0; j < r->ncols && !uses; j++)
			uses = r->cols[j].type != NULL &&
			    strcmp(r->cols[j].type, dom) == 0;
		if (!uses)
			continue;
		if (r->kind == 'p')
			partitions(c, r, MIG_LOCK_SHARE, MIG_SCAN, 0);
		else
			target(c, r->schema, r->name, MIG_OBJ_TABLE,
			    MIG_LOCK_SHARE, MIG_SCAN);
	}
}

static void	stmt_node(struct ctx *, const char *, const json_t *);

static int
cte_name_node(const char *key, const json_t *v, void *arg)
{
	if (strcmp(key, "ctename") == 0 && json_is_string(v))
		strbuf_addf(arg, "%s,", json_string_value(v));
	return JWALK_GO;
}

/*
 * The queries of a WITH clause: a data-modifying one (INSERT, UPDATE,
 * DELETE, MERGE) takes its locks and writes as it would alone; the
 * others read.  The statement keeps its own tag.
 */
static void
with_clause(struct ctx *c, const json_t *with)
{
	json_t *e, *cte, *q;
	size_t i;

	json_array_foreach(jget(with, "ctes"), i, e) {
		const char *k, *tag = c->st->tag;

		if (jnode(e, &cte) == NULL ||
		    (k = jnode(jget(cte, "ctequery"), &q)) == NULL)
			continue;
		if (strcmp(k, "InsertStmt") == 0 || strcmp(k, "UpdateStmt") == 0 ||
		    strcmp(k, "DeleteStmt") == 0 || strcmp(k, "MergeStmt") == 0) {
			stmt_node(c, k, q);
			stmt_reads(c, k, q);
			c->st->tag = tag;
		} else {
			reads(c, q);
		}
		with_clause(c, jget(q, "withClause"));
	}
}

/*
 * CREATE FUNCTION ... LANGUAGE sql: with check_function_bodies on (the
 * default) the body is analysed, which locks the tables it names (ACCESS
 * SHARE, ROW EXCLUSIVE for the ones it writes).  A BEGIN ATOMIC body is
 * in the tree already; a string body is parsed here.
 */
static void
function_body(struct ctx *c, const json_t *b)
{
	json_t *o, *d, *as = NULL;
	const char *lang = NULL;
	size_t i;

	json_array_foreach(jget(b, "options"), i, o) {
		const char *n;
		json_t *arg;

		if (jnode(o, &d) == NULL || (n = jstr(d, "defname")) == NULL)
			continue;
		if (strcmp(n, "language") == 0 && jnode(jget(d, "arg"), &arg) != NULL)
			lang = jstr(arg, "sval");
		else if (strcmp(n, "as") == 0)
			as = jget(d, "arg");
	}
	if (jget(b, "sql_body") != NULL) {
		reads(c, jget(b, "sql_body"));
		return;
	}
	if (lang == NULL || strcmp(lang, "sql") != 0 || as == NULL)
		return;
	jnode(as, &d);
	json_array_foreach(jget(d, "items"), i, o) {
		json_t *sv, *root, *st, *body;
		PgQueryParseResult r;
		size_t j;

		if (jnode(o, &sv) == NULL || jstr(sv, "sval") == NULL)
			continue;
		r = pg_query_parse(jstr(sv, "sval"));
		root = r.error == NULL ? json_loads(r.parse_tree, 0, NULL) : NULL;
		json_array_foreach(jget(root, "stmts"), j, st) {
			const char *k = jnode(jget(st, "stmt"), &body);

			if (k != NULL && (strcmp(k, "InsertStmt") == 0 ||
			    strcmp(k, "UpdateStmt") == 0 ||
			    strcmp(k, "DeleteStmt") == 0))
				target_rv(c, jget(body, "relation"),
				    MIG_LOCK_ROW_EXCLUSIVE, 0);
			if (k != NULL)
				stmt_reads(c, k, body);
		}
		json_decref(root);
		pg_query_free_parse_result(r);
	}
}

static void
stmt_node(struct ctx *c, const char *t, const json_t *b)
{
	struct mig_stmt *st = c->st;

	if (strcmp(t, "AlterTableStmt") == 0) {
		alter_table(c, b);
	} else if (strcmp(t, "IndexStmt") == 0) {
		create_index(c, b);
	} else if (strcmp(t, "DropStmt") == 0) {
		drop(c, b);
	} else if (strcmp(t, "CreateStmt") == 0) {
		create_table(c, b);
	} else if (strcmp(t, "InsertStmt") == 0) {
		dml(c, "INSERT", b);
	} else if (strcmp(t, "UpdateStmt") == 0) {
		dml(c, "UPDATE", b);
	} else if (strcmp(t, "DeleteStmt") == 0) {
		dml(c, "DELETE", b);
	} else if (strcmp(t, "MergeStmt") == 0) {
		c->st->tag = "MERGE";
		set_class(c, MIG_CLASS_DML);
		target_rv(c, jget(b, "relation"), MIG_LOCK_ROW_EXCLUSIVE,
		    MIG_WRITE);
	} else if (strcmp(t, "CopyStmt") == 0) {
		st->tag = "COPY";
		if (jbool(b, "is_from")) {
			set_class(c, MIG_CLASS_DML);
			target_rv(c, jget(b, "relation"), MIG_LOCK_ROW_EXCLUSIVE,
			    MIG_WRITE);
		}
	} else if (strcmp(t, "TruncateStmt") == 0) {
		st->tag = "TRUNCATE";
		set_class(c, MIG_CLASS_METADATA);
		list_of_rangevars(c, jget(b, "relations"),
		    MIG_LOCK_ACCESS_EXCLUSIVE, 0);
		if (jstr(b, "behavior") != NULL &&
		    strcmp(jstr(b, "behavior"), "DROP_CASCADE") == 0) {
			json_t *e, *rv;
			size_t i;

			json_array_foreach(jget(b, "relations"), i, e)
				if (jnode(e, &rv) != NULL)
					referencing(c, jstr(rv, "relname"),
					    MIG_LOCK_ACCESS_EXCLUSIVE, 1, 0);
		}
	} else if (strcmp(t, "VacuumStmt") == 0) {
		vacuum(c, b);
	} else if (strcmp(t, "ClusterStmt") == 0) {
		st->tag = "CLUSTER";
		if (jget(b, "relation") == NULL) {
			st->flags |= MIG_NO_TX;
			set_class(c, MIG_CLASS_REWRITE);
		} else {
			set_class(c, MIG_CLASS_REWRITE);
			target_rv(c, jget(b, "relation"), MIG_LOCK_ACCESS_EXCLUSIVE,
			    MIG_REWRITE);
			what(c, "%s", jstr(jget(b, "relation"), "relname"));
		}
	} else if (strcmp(t, "RefreshMatViewStmt") == 0) {
		int conc = jbool(b, "concurrent");

		st->tag = "REFRESH MATERIALIZED VIEW";
		/* CONCURRENTLY keeps the heap: the new rows are compared
		 * with the old ones and changed in place. */
		set_class(c, conc ? MIG_CLASS_SCAN : MIG_CLASS_REWRITE);
		target_rv(c, jget(b, "relation"), conc ? MIG_LOCK_EXCLUSIVE :
		    MIG_LOCK_ACCESS_EXCLUSIVE, conc ? MIG_SCAN : MIG_REWRITE);
		view_sources(c, jget(b, "relation"));
		if (conc)
			st->flags |= MIG_CONCURRENT;
		what(c, "%s%s", jstr(jget(b, "relation"), "relname"),
		    conc ? " concurrently" : "");
	} else if (strcmp(t, "ReindexStmt") == 0) {
		reindex(c, b);
	} else if (strcmp(t, "CreateTrigStmt") == 0) {
		st->tag = "CREATE TRIGGER";
		set_class(c, MIG_CLASS_METADATA);
		target_rv(c, jget(b, "relation"), MIG_LOCK_SHARE_ROW_EXCLUSIVE, 0);
		what(c, "%s on %s", jstr(b, "trigname"),
		    jstr(jget(b, "relation"), "relname"));
	} else if (strcmp(t, "RuleStmt") == 0 ||
	    strcmp(t, "CreatePolicyStmt") == 0 ||
	    strcmp(t, "AlterPolicyStmt") == 0) {
		st->tag = t[0] == 'R' ? "CREATE RULE" : "POLICY";
		set_class(c, MIG_CLASS_METADATA);
		target_rv(c, jget(b, "relation") != NULL ? jget(b, "relation") :
		    jget(b, "table"), MIG_LOCK_ACCESS_EXCLUSIVE, 0);
	} else if (strcmp(t, "RenameStmt") == 0) {
		rename_stmt(c, b);
	} else if (strcmp(t, "AlterObjectSchemaStmt") == 0) {
		st->tag = "SET SCHEMA";
		set_class(c, MIG_CLASS_METADATA);
		if (jget(b, "relation") != NULL)
			target_rv(c, jget(b, "relation"),
			    MIG_LOCK_ACCESS_EXCLUSIVE, 0);
	} else if (strcmp(t, "CommentStmt") == 0) {
		comment(c, b);
	} else if (strcmp(t, "LockStmt") == 0) {
		long mode = jint(b, "mode");

		st->tag = "LOCK";
		set_class(c, MIG_CLASS_METADATA);
		list_of_rangevars(c, jget(b, "relations"),
		    mode >= 1 && mode < MIG_NLOCKS ? (enum mig_lock)mode :
		    MIG_LOCK_ACCESS_EXCLUSIVE, 0);
	} else if (strcmp(t, "ViewStmt") == 0) {
		json_t *rv = jget(b, "view");
		struct mig_rel *r = mig_cat_find(c->cat, jstr(rv, "schemaname"),
		    jstr(rv, "relname"));

		st->tag = "CREATE VIEW";
		set_class(c, MIG_CLASS_METADATA);
		if (r != NULL && jbool(b, "replace"))
			target(c, jstr(rv, "schemaname"), jstr(rv, "relname"),
			    MIG_OBJ_VIEW, MIG_LOCK_ACCESS_EXCLUSIVE, 0);
		what(c, "%s", jstr(rv, "relname"));
	} else if (strcmp(t, "CreateTableAsStmt") == 0) {
		json_t *into = jget(b, "into");

		st->tag = jstr(b, "objtype") != NULL &&
		    strcmp(jstr(b, "objtype"), "OBJECT_MATVIEW") == 0 ?
		    "CREATE MATERIALIZED VIEW" : "CREATE TABLE AS";
		set_class(c, jbool(into, "skipData") ? MIG_CLASS_METADATA :
		    MIG_CLASS_DML);
		what(c, "%s", jstr(jget(into, "rel"), "relname"));
	} else if (strcmp(t, "AlterEnumStmt") == 0) {
		json_t *tn = jget(b, "typeName");

		st->tag = "ALTER TYPE";
		set_class(c, MIG_CLASS_METADATA);
		target(c, json_array_size(tn) > 1 ? jname_at(tn, 0) : NULL,
		    jname_last(tn), MIG_OBJ_TYPE, MIG_LOCK_EXCLUSIVE, 0);
		if (jstr(b, "oldVal") != NULL)
			what(c, "rename value '%s' to '%s'", jstr(b, "oldVal"),
			    jstr(b, "newVal"));
		else
			what(c, "add value '%s'", jstr(b, "newVal"));
	} else if (strcmp(t, "AlterDomainStmt") == 0) {
		json_t *tn = jget(b, "typeName");

		st->tag = "ALTER DOMAIN";
		set_class(c, MIG_CLASS_METADATA);
		alter_domain(c, b);
		what(c, "%s", jname_last(tn));
	} else if (strcmp(t, "VariableSetStmt") == 0) {
		variable_set(c, b);
	} else if (strcmp(t, "TransactionStmt") == 0) {
		transaction(c, b);
	} else {
		st->tag = NULL;
		for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++) {
			if (strcmp(t, simple[i].node) == 0) {
				st->tag = simple[i].tag;
				if (simple[i].no_tx)
					st->flags |= MIG_NO_TX;
				break;
			}
		}
		if (st->tag == NULL)
			st->tag = "SQL";
		if (strcmp(t, "CreateFunctionStmt") == 0)
			function_body(c, b);
		if (strcmp(t, "SelectStmt") != 0 && strcmp(t, "DoStmt") != 0)
			set_class(c, MIG_CLASS_METADATA);
	}
}

void
mig_locks_stmt(struct mig_set *set, struct mig_catalog *cat,
    struct mig_stmt *st)
{
	struct ctx c = { .set = set, .cat = cat, .st = st };
	json_t *body;
	const char *t;

	for (int i = 0; i < st->ntargets; i++) {
		free(st->targets[i].schema);
		free(st->targets[i].name);
	}
	st->ntargets = 0;
	free(st->what);
	st->what = NULL;
	st->flags &= MIG_ROLLBACK_FILE | MIG_PARSE_ERROR;
	st->cls = MIG_CLASS_NONE;
	st->lock = MIG_LOCK_NONE;
	st->blocks = MIG_BLOCK_NOTHING;
	if ((t = jnode(st->tree, &body)) == NULL)
		return;
	strbuf_init(&c.what, 64);
	strbuf_init(&c.ctes, 16);
	strbuf_addch(&c.ctes, ',');
	jwalk(body, cte_name_node, &c.ctes);
	stmt_node(&c, t, body);
	stmt_reads(&c, t, body);
	with_clause(&c, jget(body, "withClause"));
	strbuf_release(&c.ctes);
	for (int i = 0; i < st->ntargets; i++) {
		const struct mig_target *tg = &st->targets[i];
		enum mig_block b;

		if (tg->lock > st->lock && tg->kind != MIG_OBJ_TYPE)
			st->lock = tg->lock;
		if (tg->kind == MIG_OBJ_TYPE || (tg->flags & MIG_NEW))
			continue;
		b = mig_lock_blocks(tg->lock);
		if (b > st->blocks)
			st->blocks = b;
	}
	st->what = strbuf_detach(&c.what);
}
