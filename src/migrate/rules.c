/*
 * rules.c - the walk over a set's steps in run order: the lock table for
 * each statement, transactions as the tool and psql would run them, and
 * the findings, each with its reason and the safe way to write it.
 *
 * The rules are the union of squawk's, eugene's and strong_migrations'
 * (named after squawk's where one exists) and what none of them sees:
 * ATTACH PARTITION scanning, REFRESH without CONCURRENTLY, a type change
 * a view blocks, a timestamptz change that depends on TimeZone, Flyway's
 * refusal to mix transactional and non-transactional statements.
 * A comment "pgdeck:ignore RULE[, RULE]" before or inside a statement
 * suppresses those rules there; "pgdeck:ignore-file RULE" in a whole file.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "core/strbuf.h"
#include "migrate/mig_int.h"

static const struct {
	const char	*rule;
	enum mig_sev	 sev;
} rules[] = {
	{ "index-not-concurrent", MIG_DANGER },
	{ "drop-index-not-concurrent", MIG_WARN },
	{ "reindex-not-concurrent", MIG_DANGER },
	{ "concurrently-in-transaction", MIG_DANGER },
	{ "constraint-not-valid", MIG_DANGER },
	{ "validate-same-transaction", MIG_WARN },
	{ "set-not-null", MIG_DANGER },
	{ "type-change-rewrite", MIG_DANGER },
	{ "timestamptz-timezone", MIG_WARN },
	{ "type-change-dependent-view", MIG_DANGER },
	{ "volatile-default", MIG_DANGER },
	{ "add-column-rewrite", MIG_DANGER },
	{ "required-column", MIG_DANGER },
	{ "rename-column", MIG_WARN },
	{ "rename-table", MIG_WARN },
	{ "drop-column", MIG_WARN },
	{ "unique-without-index", MIG_DANGER },
	{ "exclusion-constraint", MIG_DANGER },
	{ "access-exclusive-held", MIG_WARN },
	{ "lock-timeout-missing", MIG_WARN },
	{ "unbatched-backfill", MIG_WARN },
	{ "enum-value-in-transaction", MIG_DANGER },
	{ "fk-without-index", MIG_WARN },
	{ "drop-table", MIG_DANGER },
	{ "truncate-cascade", MIG_DANGER },
	{ "drop-database", MIG_DANGER },
	{ "partition-attach-scan", MIG_WARN },
	{ "refresh-not-concurrent", MIG_WARN },
	{ "full-rewrite", MIG_DANGER },
	{ "transaction-nesting", MIG_WARN },
	{ "unclosed-transaction", MIG_WARN },
	{ "flyway-mixed", MIG_DANGER },
	{ "domain-constraint", MIG_WARN },
	{ "prefer-jsonb", MIG_INFO },
	{ "prefer-bigint", MIG_INFO },
	{ "prefer-identity", MIG_INFO },
	{ "prefer-text", MIG_INFO },
	{ "prefer-timestamptz", MIG_INFO },
	{ "ban-char", MIG_INFO },
	{ "opaque-code", MIG_INFO },
};

const char *
mig_sev_name(enum mig_sev s)
{
	return s == MIG_DANGER ? "danger" : s == MIG_WARN ? "warning" : "info";
}

void
mig_finding(struct mig_set *set, int stmt, const char *rule, const char *fix,
    const char *fmt, ...)
{
	struct mig_finding *f;
	va_list ap;
	size_t i;

	for (i = 0; i < sizeof rules / sizeof rules[0]; i++)
		if (strcmp(rules[i].rule, rule) == 0)
			break;
	if (i == sizeof rules / sizeof rules[0])
		BUG("unknown migration rule");
	for (int k = 0; k < set->nfindings; k++)
		if (set->findings[k].stmt == stmt &&
		    strcmp(set->findings[k].rule, rule) == 0)
			return;
	f = MIG_PUSH(set->findings, set->nfindings);
	f->rule = rules[i].rule;
	f->sev = rules[i].sev;
	f->stmt = stmt;
	f->fix = fix != NULL ? xstrdup(fix) : NULL;
	va_start(ap, fmt);
	f->message = xstrvfmt(fmt, ap);
	va_end(ap);
}

/* The walk's state: the transaction and session a statement runs in. */
struct walk {
	struct mig_set		*set;
	struct mig_catalog	*cat;
	int			 ntx;
	int			 tx;		/* current, -1 none */
	int			 explicit;	/* opened by BEGIN */
	int			 ae_stmt;	/* took ACCESS EXCLUSIVE, -1 */
	char			*ae_rel;
	char			**enums;	/* values added in this tx */
	int			 nenums;
	char			**notvalid;	/* constraints added NOT VALID in this tx */
	int			 nnotvalid;
	int			 lock_timeout;	/* SET lock_timeout seen in the file */
	int			 lt_reported;
	struct fk_added		*fks;
	int			 nfks;
};

struct fk_added {
	int	 stmt;
	char	*schema, *table, *cols, *ref;	/* cols: "a,b" */
};

static const char *
rel_name(const struct mig_target *t)
{
	return t->name;
}

/* The statement's main relation: its first table target. */
static const struct mig_target *
main_target(const struct mig_stmt *st)
{
	for (int i = 0; i < st->ntargets; i++)
		if (!(st->targets[i].flags & MIG_FK_PARENT))
			return &st->targets[i];
	return st->ntargets > 0 ? &st->targets[0] : NULL;
}

static int
existing(const struct mig_target *t)
{
	return t != NULL && !(t->flags & MIG_NEW);
}

static void
strv_free(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
tx_end(struct walk *w)
{
	w->tx = -1;
	w->explicit = 0;
	w->ae_stmt = -1;
	free(w->ae_rel);
	w->ae_rel = NULL;
	strv_free(w->enums, w->nenums);
	w->enums = NULL;
	w->nenums = 0;
	strv_free(w->notvalid, w->nnotvalid);
	w->notvalid = NULL;
	w->nnotvalid = 0;
}

static void
tx_begin(struct walk *w, int explicit)
{
	tx_end(w);
	w->tx = w->ntx++;
	w->explicit = explicit;
}

static const char *
coltype_last(const json_t *cd)
{
	return jname_last(jget(jget(cd, "typeName"), "names"));
}

static long
coltype_mod(const json_t *cd)
{
	json_t *m = json_array_get(jget(jget(cd, "typeName"), "typmods"), 0);
	json_t *body;

	return jnode(m, &body) != NULL ? jint(jget(body, "ival"), "ival") : -1;
}

static int
is_key_column(const char *col, const json_t *cd, int pk)
{
	size_t n = strlen(col);

	(void)cd;
	return pk || strcmp(col, "id") == 0 ||
	    (n > 3 && strcmp(col + n - 3, "_id") == 0);
}

/* Type advice on a column definition (CREATE TABLE or ADD COLUMN). */
static void
type_advice(struct walk *w, int si, const json_t *cd, int pk)
{
	const char *t = coltype_last(cd), *col = jstr(cd, "colname");
	json_t *con, *body;
	size_t i;

	if (t == NULL || col == NULL)
		return;
	json_array_foreach(jget(cd, "constraints"), i, con)
		if (jnode(con, &body) != NULL && jstr(body, "contype") != NULL &&
		    strcmp(jstr(body, "contype"), "CONSTR_PRIMARY") == 0)
			pk = 1;
	if (strcmp(t, "json") == 0)
		mig_finding(w->set, si, "prefer-jsonb", "use jsonb",
		    "column %s is json: no equality operator, reparsed on every "
		    "access; jsonb is smaller to query and indexable", col);
	if ((strcmp(t, "int4") == 0 || strcmp(t, "int2") == 0 ||
	    strcmp(t, "serial") == 0 || strcmp(t, "serial4") == 0 ||
	    strcmp(t, "smallserial") == 0 || strcmp(t, "serial2") == 0) &&
	    is_key_column(col, cd, pk))
		mig_finding(w->set, si, "prefer-bigint", "use bigint",
		    "key column %s is %s: it can run out at 2^31, and widening "
		    "it later rewrites the table", col, t);
	if (strncmp(t, "serial", 6) == 0 || strcmp(t, "bigserial") == 0 ||
	    strcmp(t, "smallserial") == 0)
		mig_finding(w->set, si, "prefer-identity",
		    "bigint GENERATED BY DEFAULT AS IDENTITY",
		    "column %s is %s: identity columns own their sequence and "
		    "its permissions properly", col, t);
	if (strcmp(t, "varchar") == 0 && coltype_mod(cd) > 0)
		mig_finding(w->set, si, "prefer-text",
		    "text, with a CHECK (length(...) <= n) if a limit matters",
		    "column %s is varchar(%ld): raising the limit later is free, "
		    "but lowering it rewrites the table", col, coltype_mod(cd));
	if (strcmp(t, "timestamp") == 0)
		mig_finding(w->set, si, "prefer-timestamptz", "use timestamptz",
		    "column %s is timestamp without time zone: the instant it "
		    "means depends on every client's TimeZone", col);
	if (strcmp(t, "bpchar") == 0)
		mig_finding(w->set, si, "ban-char", "use text or varchar",
		    "column %s is char(n): blank-padded, no faster, and "
		    "surprising in comparisons", col);
}

static char *
fk_cols(const json_t *con, const char *colname)
{
	struct strbuf sb;
	json_t *k, *s;
	size_t i;

	strbuf_init(&sb, 32);
	if (colname != NULL)
		strbuf_addstr(&sb, colname);
	json_array_foreach(jget(con, "fk_attrs"), i, k) {
		if (jnode(k, &s) == NULL)
			continue;
		if (sb.len > 0)
			strbuf_addch(&sb, ',');
		strbuf_addstr(&sb, jstr(s, "sval"));
	}
	return strbuf_detach(&sb);
}

static void
note_fk(struct walk *w, int si, const json_t *rv, const json_t *con,
    const char *colname)
{
	struct fk_added *fk = MIG_PUSH(w->fks, w->nfks);

	fk->stmt = si;
	fk->schema = jstr(rv, "schemaname") != NULL ?
	    xstrdup(jstr(rv, "schemaname")) : NULL;
	fk->table = xstrdup(jstr(rv, "relname") != NULL ? jstr(rv, "relname") : "?");
	fk->cols = fk_cols(con, colname);
	fk->ref = xstrdup(jstr(jget(con, "pktable"), "relname") != NULL ?
	    jstr(jget(con, "pktable"), "relname") : "?");
}

/* Whether an index's leading columns are exactly the FK's columns. */
static int
supports(const struct mig_index *ix, const char *cols)
{
	char *copy = xstrdup(cols), *tok, *save = NULL;
	int n = 0, ok = 1;

	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save))
		n++;
	free(copy);
	if (n == 0 || ix->ncols < n || !ix->valid)
		return 0;
	copy = xstrdup(cols);
	for (tok = strtok_r(copy, ",", &save); tok != NULL && ok;
	    tok = strtok_r(NULL, ",", &save)) {
		int found = 0;

		for (int i = 0; i < n; i++)
			found |= ix->cols[i] != NULL && strcmp(ix->cols[i], tok) == 0;
		ok = found;
	}
	free(copy);
	return ok;
}

static void
check_fks(struct walk *w)
{
	for (int i = 0; i < w->nfks; i++) {
		struct fk_added *fk = &w->fks[i];
		struct mig_rel *r = mig_cat_find(w->cat, fk->schema, fk->table);
		int ok = 0;
		char *fix;

		for (int j = 0; r != NULL && j < r->nidx && !ok; j++)
			ok = supports(&r->idx[j], fk->cols);
		if (!ok && r != NULL) {
			fix = xstrfmt("CREATE INDEX CONCURRENTLY %s_%.*s_idx ON %s "
			    "(%s);", fk->table, (int)strcspn(fk->cols, ","),
			    fk->cols, fk->table, fk->cols);
			mig_finding(w->set, fk->stmt, "fk-without-index", fix,
			    "foreign key %s(%s) -> %s has no index whose leading "
			    "columns are (%s): every DELETE or key UPDATE on %s scans "
			    "%s", fk->table, fk->cols, fk->ref, fk->cols, fk->ref,
			    fk->table);
			free(fix);
		}
		free(fk->schema);
		free(fk->table);
		free(fk->cols);
		free(fk->ref);
	}
	free(w->fks);
	w->fks = NULL;
	w->nfks = 0;
}

static void
rules_add_constraint(struct walk *w, int si, const struct mig_target *t,
    const json_t *rv, const json_t *con)
{
	const char *ct = jstr(con, "contype"), *nm = jstr(con, "conname");
	const char *tn = t->name;
	int valid = !jbool(con, "skip_validation");
	char *fix;

	if (ct == NULL)
		return;
	if (strcmp(ct, "CONSTR_FOREIGN") == 0)
		note_fk(w, si, rv, con, NULL);
	if (!existing(t))
		return;
	if ((strcmp(ct, "CONSTR_FOREIGN") == 0 || strcmp(ct, "CONSTR_CHECK") == 0) &&
	    valid) {
		fix = xstrfmt("ALTER TABLE %s ADD CONSTRAINT %s ... NOT VALID;\n"
		    "-- then, in its own transaction:\n"
		    "ALTER TABLE %s VALIDATE CONSTRAINT %s;", tn,
		    nm != NULL ? nm : "name", tn, nm != NULL ? nm : "name");
		mig_finding(w->set, si, "constraint-not-valid", fix,
		    "adding %s %s validates every row of %s while holding %s",
		    ct[7] == 'F' ? "foreign key" : "check", nm != NULL ? nm : "",
		    tn, ct[7] == 'F' ? "SHARE ROW EXCLUSIVE on both tables "
		    "(writes blocked)" : "ACCESS EXCLUSIVE (reads and writes "
		    "blocked)");
		free(fix);
	}
	if (!valid && nm != NULL && w->set->stmts[si].tx >= 0)
		*MIG_PUSH(w->notvalid, w->nnotvalid) = xstrdup(nm);
	if ((strcmp(ct, "CONSTR_PRIMARY") == 0 || strcmp(ct, "CONSTR_UNIQUE") == 0) &&
	    jstr(con, "indexname") == NULL) {
		fix = xstrfmt("CREATE UNIQUE INDEX CONCURRENTLY %s_idx ON %s (...);\n"
		    "ALTER TABLE %s ADD CONSTRAINT %s %s USING INDEX %s_idx;",
		    nm != NULL ? nm : tn, tn, tn, nm != NULL ? nm : "name",
		    ct[7] == 'P' ? "PRIMARY KEY" : "UNIQUE", nm != NULL ? nm : tn);
		mig_finding(w->set, si, "unique-without-index", fix,
		    "adding %s builds its index under ACCESS EXCLUSIVE: %s is "
		    "unreadable for the whole build", ct[7] == 'P' ?
		    "a primary key" : "a unique constraint", tn);
		free(fix);
	}
	if (strcmp(ct, "CONSTR_EXCLUSION") == 0)
		mig_finding(w->set, si, "exclusion-constraint",
		    "create it on a new table, or in a maintenance window",
		    "an exclusion constraint builds its index under ACCESS "
		    "EXCLUSIVE and has no CONCURRENTLY form");
}

static const char *
phases_type_change(void)
{
	return "expand-contract, as separate deploys:\n"
	    "1. ALTER TABLE t ADD COLUMN c_new <new type>;\n"
	    "2. deploy: the application writes both c and c_new (or a trigger "
	    "copies c to c_new)\n"
	    "3. backfill c_new in batches: UPDATE t SET c_new = c WHERE id "
	    "BETWEEN ... (commit each batch)\n"
	    "4. deploy: the application reads c_new\n"
	    "5. in one short transaction with lock_timeout: rename c to c_old, "
	    "c_new to c\n"
	    "6. later: ALTER TABLE t DROP COLUMN c_old;";
}

static void
rules_alter_cmd(struct walk *w, int si, const struct mig_target *t,
    struct mig_rel *r, const json_t *rv, const json_t *cmd)
{
	const char *sub = jstr(cmd, "subtype"), *name = jstr(cmd, "name");
	json_t *d = NULL;
	char *fix;

	jnode(jget(cmd, "def"), &d);
	if (sub == NULL)
		return;
	if (strcmp(sub, "AT_AddConstraint") == 0 && d != NULL) {
		rules_add_constraint(w, si, t, rv, d);
		return;
	}
	if (strcmp(sub, "AT_AddColumn") == 0 && d != NULL) {
		enum mig_addcol k = mig_addcol_kind(d);
		const char *col = jstr(d, "colname");
		json_t *con, *cb;
		size_t i;

		type_advice(w, si, d, 0);
		json_array_foreach(jget(d, "constraints"), i, con)
			if (jnode(con, &cb) != NULL && jstr(cb, "contype") != NULL &&
			    strcmp(jstr(cb, "contype"), "CONSTR_FOREIGN") == 0)
				note_fk(w, si, rv, cb, col);
		if (!existing(t))
			return;
		if (k == MIG_ADDCOL_VOLATILE)
			mig_finding(w->set, si, "volatile-default",
			    "ADD COLUMN without the default; SET DEFAULT for new "
			    "rows; backfill old rows in batches",
			    "column %s has a volatile default: PostgreSQL computes "
			    "it for every row, rewriting %s under ACCESS EXCLUSIVE",
			    col, t->name);
		else if (k == MIG_ADDCOL_SERIAL || k == MIG_ADDCOL_IDENTITY ||
		    k == MIG_ADDCOL_GENERATED)
			mig_finding(w->set, si, "add-column-rewrite",
			    "add a plain nullable column, fill it in batches, then "
			    "attach the sequence or trigger",
			    "adding %s column %s rewrites %s under ACCESS EXCLUSIVE",
			    k == MIG_ADDCOL_SERIAL ? "a serial" : k ==
			    MIG_ADDCOL_IDENTITY ? "an identity" :
			    "a stored generated", col, t->name);
		else if (k == MIG_ADDCOL_REQUIRED)
			mig_finding(w->set, si, "required-column",
			    "add it with a DEFAULT (free since PostgreSQL 11), or "
			    "nullable, backfill, then a NOT NULL check",
			    "column %s is NOT NULL without a default: fails on a "
			    "table with rows", col);
		return;
	}
	if (!existing(t))
		return;
	if (strcmp(sub, "AT_SetNotNull") == 0 && (t->flags & MIG_SCAN)) {
		fix = xstrfmt("ALTER TABLE %s ADD CONSTRAINT %s_%s_not_null CHECK "
		    "(%s IS NOT NULL) NOT VALID;\n"
		    "ALTER TABLE %s VALIDATE CONSTRAINT %s_%s_not_null;\n"
		    "ALTER TABLE %s ALTER COLUMN %s SET NOT NULL;  -- no scan: "
		    "the check proves it\n"
		    "ALTER TABLE %s DROP CONSTRAINT %s_%s_not_null;",
		    t->name, t->name, name, name, t->name, t->name, name,
		    t->name, name, t->name, t->name, name);
		mig_finding(w->set, si, "set-not-null", fix,
		    "SET NOT NULL %s scans all of %s under ACCESS EXCLUSIVE "
		    "(reads and writes blocked)", name, t->name);
		free(fix);
	} else if (strcmp(sub, "AT_AlterColumnType") == 0 && d != NULL) {
		struct mig_column nw = { .mod1 = -1, .mod2 = -1 };
		const struct mig_column *old = mig_rel_col(r, name);

		mig_type_from_tree(jget(d, "typeName"), &nw);
		if (r != NULL && mig_rel_view_uses(r, name))
			mig_finding(w->set, si, "type-change-dependent-view",
			    "DROP the views, ALTER, and CREATE them again in "
			    "the same transaction",
			    "%s is used by %s: PostgreSQL refuses to change the "
			    "type of a column a view uses", t->name, r->views);
		if (old != NULL && old->type != NULL &&
		    (w->cat->timezone == NULL || (t->flags & MIG_REWRITE)) &&
		    ((strcmp(old->type, "timestamp") == 0 &&
		    strcmp(nw.type, "timestamptz") == 0) ||
		    (strcmp(old->type, "timestamptz") == 0 &&
		    strcmp(nw.type, "timestamp") == 0)))
			mig_finding(w->set, si, "timestamptz-timezone",
			    "SET TimeZone = 'UTC' in the same session first",
			    "%s -> %s skips the rewrite only when the session's "
			    "TimeZone is UTC (it is %s); otherwise every row is "
			    "rewritten and its value shifted", old->type, nw.type,
			    w->cat->timezone != NULL ? w->cat->timezone :
			    "unknown here");
		if (t->flags & MIG_REWRITE)
			mig_finding(w->set, si, "type-change-rewrite",
			    phases_type_change(),
			    "changing %s.%s to %s rewrites the table and every "
			    "index under ACCESS EXCLUSIVE%s", t->name, name,
			    nw.type, old == NULL ? " (current type unknown: "
			    "assumed not binary coercible)" : "");
		free(nw.type);
	} else if (strcmp(sub, "AT_DropColumn") == 0) {
		mig_finding(w->set, si, "drop-column",
		    "1. deploy: the application stops reading and writing "
		    "the column (ORMs: mark it ignored)\n2. then drop it",
		    "dropping %s.%s breaks any running code that still selects "
		    "or inserts it", t->name, name);
	} else if (strcmp(sub, "AT_ValidateConstraint") == 0) {
		for (int i = 0; i < w->nnotvalid; i++)
			if (name != NULL && strcmp(w->notvalid[i], name) == 0)
				mig_finding(w->set, si, "validate-same-transaction",
				    "COMMIT after ADD ... NOT VALID, then VALIDATE "
				    "in its own transaction",
				    "VALIDATE %s runs in the transaction that added "
				    "it, so the ADD's lock is held for the whole "
				    "scan", name);
	} else if (strcmp(sub, "AT_AttachPartition") == 0) {
		for (int i = 0; i < w->set->stmts[si].ntargets; i++) {
			const struct mig_target *p = &w->set->stmts[si].targets[i];

			if (p != t && (p->flags & MIG_SCAN) && existing(p))
				mig_finding(w->set, si, "partition-attach-scan",
				    "first ADD a CHECK constraint matching the "
				    "partition bound NOT VALID, VALIDATE it, then "
				    "ATTACH: the scan is skipped",
				    "ATTACH PARTITION scans %s under ACCESS "
				    "EXCLUSIVE to check the partition bound",
				    p->name);
		}
	}
}

static void
rules_alter(struct walk *w, int si, const json_t *b)
{
	const struct mig_stmt *st = &w->set->stmts[si];
	const struct mig_target *t = main_target(st);
	json_t *rv = jget(b, "relation"), *cmd, *body;
	struct mig_rel *r;
	size_t i;

	if (t == NULL)
		return;
	r = mig_cat_find(w->cat, jstr(rv, "schemaname"), jstr(rv, "relname"));
	json_array_foreach(jget(b, "cmds"), i, cmd)
		if (jnode(cmd, &body) != NULL)
			rules_alter_cmd(w, si, t, r, rv, body);
}

static void
rules_create_table(struct walk *w, int si, const json_t *b)
{
	json_t *rv = jget(b, "relation"), *e, *body, *con, *cb;
	size_t i, j;

	json_array_foreach(jget(b, "tableElts"), i, e) {
		const char *k = jnode(e, &body);

		if (k != NULL && strcmp(k, "ColumnDef") == 0) {
			type_advice(w, si, body, 0);
			json_array_foreach(jget(body, "constraints"), j, con)
				if (jnode(con, &cb) != NULL &&
				    jstr(cb, "contype") != NULL &&
				    strcmp(jstr(cb, "contype"), "CONSTR_FOREIGN") == 0)
					note_fk(w, si, rv, cb, jstr(body, "colname"));
		} else if (k != NULL && strcmp(k, "Constraint") == 0 &&
		    jstr(body, "contype") != NULL &&
		    strcmp(jstr(body, "contype"), "CONSTR_FOREIGN") == 0) {
			note_fk(w, si, rv, body, NULL);
		}
	}
}

/* Rules that look at one statement alone (and the catalog before it). */
static void
rules_stmt(struct walk *w, int si)
{
	struct mig_stmt *st = &w->set->stmts[si];
	const struct mig_target *t = main_target(st);
	json_t *b;
	const char *node = jnode(st->tree, &b);
	char *fix;

	if (node == NULL)
		return;
	if (strcmp(node, "AlterTableStmt") == 0) {
		rules_alter(w, si, b);
	} else if (strcmp(node, "CreateStmt") == 0) {
		rules_create_table(w, si, b);
	} else if (strcmp(node, "IndexStmt") == 0 && existing(t) &&
	    !jbool(b, "concurrent") && st->cls == MIG_CLASS_INDEX) {
		fix = xstrfmt("CREATE %sINDEX CONCURRENTLY %s ON %s ...;  -- "
		    "outside a transaction block%s", jbool(b, "unique") ?
		    "UNIQUE " : "", jstr(b, "idxname") != NULL ?
		    jstr(b, "idxname") : "", t->name, "");
		mig_finding(w->set, si, "index-not-concurrent", fix,
		    "CREATE INDEX holds SHARE on %s for the whole build: every "
		    "INSERT, UPDATE and DELETE waits", t->name);
		free(fix);
	} else if (strcmp(node, "DropStmt") == 0) {
		const char *rt = jstr(b, "removeType");

		if (rt != NULL && strcmp(rt, "OBJECT_INDEX") == 0 &&
		    !jbool(b, "concurrent"))
			mig_finding(w->set, si, "drop-index-not-concurrent",
			    "DROP INDEX CONCURRENTLY ...;  -- outside a "
			    "transaction block",
			    "DROP INDEX takes ACCESS EXCLUSIVE on the table: it "
			    "waits behind every running query and blocks all "
			    "that come after");
		if (rt != NULL && strcmp(rt, "OBJECT_TABLE") == 0 && existing(t))
			mig_finding(w->set, si, "drop-table",
			    "deploy the code that stops using it first; keep a "
			    "backup; confirm with -- pgdeck:ignore drop-table",
			    "DROP TABLE %s destroys its data: confirm it is "
			    "intended", t->name);
	} else if (strcmp(node, "ReindexStmt") == 0 &&
	    !(st->flags & MIG_CONCURRENT)) {
		mig_finding(w->set, si, "reindex-not-concurrent",
		    "REINDEX ... CONCURRENTLY  -- outside a transaction block",
		    "REINDEX blocks writes to the table and reads that use the "
		    "index until it is rebuilt");
	} else if (strcmp(node, "RenameStmt") == 0 && existing(t)) {
		const char *rt = jstr(b, "renameType");

		if (rt != NULL && strcmp(rt, "OBJECT_COLUMN") == 0)
			mig_finding(w->set, si, "rename-column",
			    "expand-contract:\n1. ADD the new column\n2. deploy: "
			    "write both, backfill in batches\n3. deploy: read the "
			    "new one\n4. DROP the old column\n(or a view with the "
			    "old name during the switch)",
			    "renaming %s.%s breaks every running query that "
			    "names it until the code is deployed", t->name,
			    jstr(b, "subname"));
		else if (rt != NULL && strcmp(rt, "OBJECT_TABLE") == 0)
			mig_finding(w->set, si, "rename-table",
			    "rename, then CREATE VIEW old_name AS SELECT * FROM "
			    "new_name until every client is deployed",
			    "renaming %s breaks every running query that names "
			    "it", t->name);
	} else if ((strcmp(node, "UpdateStmt") == 0 ||
	    strcmp(node, "DeleteStmt") == 0) && existing(t) &&
	    jget(b, "whereClause") == NULL) {
		fix = xstrfmt("batches by key, each its own transaction:\n"
		    "%s %s ... WHERE id >= $1 AND id < $1 + 10000;", node[0] == 'U' ?
		    "UPDATE" : "DELETE FROM", t->name);
		mig_finding(w->set, si, "unbatched-backfill", fix,
		    "%s of every row of %s in one transaction: row locks on all "
		    "of them, one huge WAL burst, dead tuples for vacuum",
		    node[0] == 'U' ? "UPDATE" : "DELETE", t->name);
		free(fix);
	} else if (strcmp(node, "TruncateStmt") == 0 &&
	    jstr(b, "behavior") != NULL &&
	    strcmp(jstr(b, "behavior"), "DROP_CASCADE") == 0) {
		mig_finding(w->set, si, "truncate-cascade",
		    "TRUNCATE the tables by name",
		    "TRUNCATE ... CASCADE also empties every table that "
		    "references these, recursively");
	} else if (strcmp(node, "DropdbStmt") == 0) {
		mig_finding(w->set, si, "drop-database", NULL,
		    "DROP DATABASE in a migration");
	} else if (strcmp(node, "RefreshMatViewStmt") == 0 &&
	    !jbool(b, "concurrent")) {
		mig_finding(w->set, si, "refresh-not-concurrent",
		    "CREATE UNIQUE INDEX on the view once, then REFRESH "
		    "MATERIALIZED VIEW CONCURRENTLY",
		    "REFRESH MATERIALIZED VIEW holds ACCESS EXCLUSIVE: readers "
		    "of %s wait for the whole refresh", t != NULL ? t->name : "it");
	} else if ((strcmp(node, "VacuumStmt") == 0 &&
	    strcmp(st->tag, "VACUUM FULL") == 0) ||
	    strcmp(node, "ClusterStmt") == 0) {
		mig_finding(w->set, si, "full-rewrite",
		    "pg_repack or pg_squeeze rewrite online",
		    "%s rewrites %s under ACCESS EXCLUSIVE: unreadable until done",
		    st->tag, t != NULL ? t->name : "the tables");
	} else if (strcmp(node, "AlterDomainStmt") == 0 &&
	    jstr(b, "subtype") != NULL && jstr(b, "subtype")[0] == 'C') {
		json_t *con;

		jnode(jget(b, "def"), &con);
		if (!jbool(con, "skip_validation"))
			mig_finding(w->set, si, "domain-constraint",
			    "ADD CONSTRAINT ... NOT VALID, then VALIDATE "
			    "CONSTRAINT",
			    "adding a domain constraint checks every column of "
			    "every table using the domain, under SHARE locks");
	} else if (strcmp(node, "DoStmt") == 0) {
		mig_finding(w->set, si, "opaque-code", NULL,
		    "a DO block: pgdeck cannot see which locks its body takes");
	}
}

/* Rules that need the transaction around the statement. */
static void
rules_tx(struct walk *w, int si, int flyway_mixed)
{
	struct mig_stmt *st = &w->set->stmts[si];
	json_t *b;
	const char *node = jnode(st->tree, &b);

	if ((st->flags & MIG_NO_TX) && st->tx >= 0 && !flyway_mixed)
		mig_finding(w->set, si, "concurrently-in-transaction",
		    "run it on its own, outside BEGIN ... COMMIT (Flyway: a "
		    "migration of its own)",
		    "%s cannot run inside a transaction block: it fails here",
		    st->tag);
	if (st->tx >= 0 && w->ae_stmt >= 0 && !(st->flags & MIG_TX_CONTROL))
		mig_finding(w->set, si, "access-exclusive-held",
		    "COMMIT right after the statement that takes ACCESS "
		    "EXCLUSIVE; do the rest in another transaction",
		    "runs while ACCESS EXCLUSIVE on %s (taken at line %d) is still "
		    "held: every reader of %s waits for this too", w->ae_rel,
		    w->set->stmts[w->ae_stmt].line, w->ae_rel);
	for (int i = 0; st->tx >= 0 && i < w->nenums; i++) {
		char *lit = xstrfmt("'%s'", w->enums[i]);

		if (strstr(st->sql, lit) != NULL)
			mig_finding(w->set, si, "enum-value-in-transaction",
			    "COMMIT after ALTER TYPE ... ADD VALUE; use the value "
			    "in a later transaction",
			    "uses enum value %s added in the same transaction: "
			    "PostgreSQL refuses (unsafe use of new value)", lit);
		free(lit);
	}
	if (node != NULL && strcmp(node, "AlterEnumStmt") == 0 && st->tx >= 0 &&
	    jstr(b, "newVal") != NULL && jstr(b, "oldVal") == NULL)
		*MIG_PUSH(w->enums, w->nenums) = xstrdup(jstr(b, "newVal"));
	if (st->tx >= 0 && w->ae_stmt < 0) {
		for (int i = 0; i < st->ntargets; i++) {
			const struct mig_target *x = &st->targets[i];

			if (x->lock == MIG_LOCK_ACCESS_EXCLUSIVE && existing(x) &&
			    x->kind != MIG_OBJ_TYPE) {
				w->ae_stmt = si;
				w->ae_rel = xstrdup(rel_name(x));
				break;
			}
		}
	}
	/* The lock queue: a strong lock waiting behind a long query blocks
	 * everything after it.  lock_timeout bounds the wait. */
	if (st->flags & MIG_SETS_LOCK_TIMEOUT)
		w->lock_timeout = 1;
	if (!w->lock_timeout && !w->lt_reported && st->lock >= MIG_LOCK_SHARE) {
		const struct mig_target *x = NULL;

		/* The relation waited for: not necessarily the statement's
		 * own (CREATE TABLE ... REFERENCES locks the parent). */
		for (int i = 0; i < st->ntargets && x == NULL; i++)
			if (st->targets[i].lock >= MIG_LOCK_SHARE &&
			    existing(&st->targets[i]) &&
			    st->targets[i].kind != MIG_OBJ_TYPE)
				x = &st->targets[i];
		if (x != NULL) {
			mig_finding(w->set, si, "lock-timeout-missing",
			    "SET lock_timeout = '2s'; at the top of the file, "
			    "and retry on failure",
			    "%s waits for %s on %s with no lock_timeout: while "
			    "it waits behind a long query, every query after it "
			    "waits too", st->tag, mig_lock_short(x->lock),
			    x->name);
			w->lt_reported = 1;
		}
	}
}

/* SET TIME ZONE in the file: the session's zone from then on. */
static void
session_settings(struct walk *w, const struct mig_stmt *st)
{
	json_t *b, *arg, *ac;
	const char *n, *v;

	if (jnode(st->tree, &b) == NULL || strcmp(jnode(st->tree, &b),
	    "VariableSetStmt") != 0 || (n = jstr(b, "name")) == NULL ||
	    strcmp(n, "timezone") != 0)
		return;
	arg = json_array_get(jget(b, "args"), 0);
	if (jnode(arg, &ac) == NULL ||
	    (v = jstr(jget(ac, "sval"), "sval")) == NULL)
		return;
	free(w->cat->timezone);
	w->cat->timezone = xstrdup(v);
}

/* Does a file run as one transaction?  Flyway runs a file whose
 * statements all refuse transactions outside of one, and refuses a file
 * that mixes both (*mixed): it never runs, in no transaction.  A
 * one-statement query is not a transaction block either. */
static int
file_in_tx(const struct mig_set *set, const struct mig_file *f, int *mixed)
{
	int real = 0, notx = 0;

	*mixed = 0;
	if (!f->one_tx)
		return 0;
	for (int i = f->first; i < f->first + f->nstmts; i++) {
		const struct mig_stmt *st = &set->stmts[i];

		if (st->tree == NULL)
			continue;
		if (st->flags & MIG_NO_TX)
			notx++;
		else if (strcmp(st->tag, "SET") != 0)
			real++;
	}
	if (notx + real <= 1)
		return 0;
	if (f->kind == MIG_FILE_FLYWAY || f->kind == MIG_FILE_FLYWAY_UNDO ||
	    f->kind == MIG_FILE_FLYWAY_REPEATABLE) {
		*mixed = real > 0 && notx > 0;
		return real > 0 && notx == 0;
	}
	return 1;
}

/* Whether the word at p is 'rule' (or "all"), ended by a separator. */
static int
names_rule(const char *p, const char *rule)
{
	size_t n = strlen(rule);

	if (strncmp(p, "all", 3) == 0 && !isalnum((unsigned char)p[3]) &&
	    p[3] != '-')
		return 1;
	return strncmp(p, rule, n) == 0 && !isalnum((unsigned char)p[n]) &&
	    p[n] != '-';
}

/* Comments "pgdeck:ignore[-file] RULE[, RULE]" in s[from..to) naming
 * 'rule'; the list runs to the end of the line. */
static int
ignored(const char *s, size_t from, size_t to, const char *rule, int file)
{
	const char *key = file ? "pgdeck:ignore-file" : "pgdeck:ignore";
	size_t kl = strlen(key);

	for (size_t i = from; i + kl <= to; i++) {
		const char *p = s + i + kl;

		if (memcmp(s + i, key, kl) != 0 || (!file && *p == '-'))
			continue;
		while (p < s + to && *p != '\0' && *p != '\n') {
			p += strspn(p, " ,\t");
			if (names_rule(p, rule))
				return 1;
			p += strcspn(p, " ,\t\n");
		}
	}
	return 0;
}

static void
suppress(struct mig_set *set)
{
	for (int i = 0; i < set->nfindings; i++) {
		struct mig_finding *f = &set->findings[i];
		const struct mig_stmt *st = &set->stmts[f->stmt];
		const struct mig_file *fl = &set->files[st->file];

		f->suppressed = ignored(fl->text, st->span, st->off + st->len,
		    f->rule, 0) || (fl->has_ignore_file &&
		    ignored(fl->text, 0, fl->len, f->rule, 1));
	}
}

static int
cmp_finding(const void *pa, const void *pb)
{
	const struct mig_finding *a = pa, *b = pb;

	if (a->stmt != b->stmt)
		return a->stmt < b->stmt ? -1 : 1;
	if (a->sev != b->sev)
		return a->sev > b->sev ? -1 : 1;
	return strcmp(a->rule, b->rule);
}

static void
clear_findings(struct mig_set *set)
{
	for (int i = 0; i < set->nfindings; i++) {
		free(set->findings[i].message);
		free(set->findings[i].fix);
	}
	free(set->findings);
	set->findings = NULL;
	set->nfindings = 0;
}

static void
walk_file(struct walk *w, int fi)
{
	struct mig_set *set = w->set;
	struct mig_file *f = &set->files[fi];
	int mixed, file_tx;

	/* Which statements refuse a transaction does not depend on the
	 * catalog: a first pass finds them, to know how the file runs. */
	for (int i = f->first; i < f->first + f->nstmts; i++)
		if (set->stmts[i].tree != NULL)
			mig_locks_stmt(set, w->cat, &set->stmts[i]);
	file_tx = file_in_tx(set, f, &mixed);

	tx_end(w);
	w->lock_timeout = w->lt_reported = 0;
	if (file_tx)
		tx_begin(w, 0);
	for (int i = f->first; i < f->first + f->nstmts; i++) {
		struct mig_stmt *st = &set->stmts[i];
		const char *tag;

		if (st->tree == NULL) {
			st->tx = w->tx;
			continue;
		}
		mig_locks_stmt(set, w->cat, st);
		tag = st->tag;
		if (strcmp(tag, "BEGIN") == 0) {
			if (w->tx >= 0 && f->deploy)
				mig_finding(set, i, "transaction-nesting",
				    "remove the BEGIN/COMMIT: the tool already "
				    "runs the file in a transaction",
				    "BEGIN inside a transaction: PostgreSQL warns "
				    "and ignores it, and the COMMIT that follows "
				    "ends the tool's transaction early");
			if (w->tx < 0)
				tx_begin(w, 1);
		}
		st->tx = w->tx;
		if (st->tx >= 0)
			st->flags |= MIG_IN_TX;
		session_settings(w, st);
		if (f->deploy) {
			rules_stmt(w, i);
			rules_tx(w, i, mixed);
			if (mixed && (st->flags & MIG_NO_TX))
				mig_finding(set, i, "flyway-mixed",
				    "move it to a migration of its own: Flyway "
				    "then runs that file outside a transaction",
				    "Flyway refuses a migration that mixes "
				    "transactional statements with %s", st->tag);
			mig_cat_apply(w->cat, st->tree, 1);
		}
		if ((strcmp(tag, "COMMIT") == 0 || strcmp(tag, "ROLLBACK") == 0) &&
		    w->explicit)
			tx_end(w);
		else if (strcmp(tag, "COMMIT") == 0 && file_tx)
			tx_end(w);
	}
	if (w->explicit && f->deploy && f->nstmts > 0)
		mig_finding(set, f->first + f->nstmts - 1, "unclosed-transaction",
		    "end the file with COMMIT",
		    "the file ends inside BEGIN: psql rolls it back at exit");
	tx_end(w);
}

void
mig_analyze(struct mig_set *set, struct mig_catalog *cat0)
{
	struct walk w = { .set = set, .tx = -1, .ae_stmt = -1 };

	clear_findings(set);
	w.cat = mig_cat_copy(cat0);
	if (set->timezone != NULL && w.cat->timezone == NULL)
		w.cat->timezone = xstrdup(set->timezone);
	for (int fi = 0; fi < set->nfiles; fi++)
		walk_file(&w, fi);
	check_fks(&w);
	tx_end(&w);
	suppress(set);
	if (set->nfindings > 1)
		qsort(set->findings, (size_t)set->nfindings,
		    sizeof *set->findings, cmp_finding);
	mig_catalog_free(w.cat);
}
