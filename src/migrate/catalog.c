/*
 * catalog.c - what exists before (and, as the analysis walks the steps,
 * during) a migration: relations with their columns, indexes and
 * constraints, from a server (server.c), from a schema file, or from the
 * statements of the set itself.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <pg_query.h>

#include "core/util.h"
#include "core/strbuf.h"
#include "migrate/mig_int.h"

static unsigned
hash_name(const char *s)
{
	unsigned h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

struct mig_catalog *
mig_catalog_new(void)
{
	struct mig_catalog *cat = xcalloc(1, sizeof *cat);

	cat->hsize = 64;
	cat->hash = xmalloc(cat->hsize * sizeof *cat->hash);
	memset(cat->hash, 0xff, cat->hsize * sizeof *cat->hash);
	return cat;
}

static void
rel_free(struct mig_rel *r)
{
	free(r->schema);
	free(r->name);
	for (int i = 0; i < r->ncols; i++) {
		free(r->cols[i].name);
		free(r->cols[i].type);
	}
	free(r->cols);
	for (int i = 0; i < r->nidx; i++) {
		free(r->idx[i].name);
		for (int j = 0; j < r->idx[i].ncols; j++)
			free(r->idx[i].cols[j]);
		free(r->idx[i].cols);
	}
	free(r->idx);
	for (int i = 0; i < r->ncons; i++) {
		free(r->cons[i].name);
		free(r->cons[i].notnull_col);
		free(r->cons[i].ref);
		for (int j = 0; j < r->cons[i].ncols; j++)
			free(r->cons[i].cols[j]);
		free(r->cons[i].cols);
	}
	free(r->cons);
	free(r->parent);
	free(r->views);
	free(r->view_cols);
	free(r->default_part);
	free(r);
}

void
mig_catalog_free(struct mig_catalog *cat)
{
	if (cat == NULL)
		return;
	for (int i = 0; i < cat->nrels; i++)
		if (cat->rels[i] != NULL)
			rel_free(cat->rels[i]);
	free(cat->rels);
	free(cat->hash);
	free(cat->timezone);
	free(cat);
}

static void
hash_insert(struct mig_catalog *cat, int i)
{
	size_t h = hash_name(cat->rels[i]->name) & (cat->hsize - 1);

	while (cat->hash[h] != -1)
		h = (h + 1) & (cat->hsize - 1);
	cat->hash[h] = i;
}

static void
rehash(struct mig_catalog *cat)
{
	size_t size = cat->hsize;

	while ((size_t)cat->nrels * 2 >= size)
		size *= 2;
	free(cat->hash);
	cat->hsize = size;
	cat->hash = xmalloc(size * sizeof *cat->hash);
	memset(cat->hash, 0xff, size * sizeof *cat->hash);
	for (int i = 0; i < cat->nrels; i++)
		if (cat->rels[i] != NULL)
			hash_insert(cat, i);
}

/*
 * By name, and by schema when one is given.  Unqualified, a relation in
 * "public" wins over one elsewhere (the usual search_path).
 */
struct mig_rel *
mig_cat_find(struct mig_catalog *cat, const char *schema, const char *name)
{
	struct mig_rel *best = NULL;
	size_t h;

	if (cat == NULL || name == NULL)
		return NULL;
	for (h = hash_name(name) & (cat->hsize - 1); cat->hash[h] != -1;
	    h = (h + 1) & (cat->hsize - 1)) {
		struct mig_rel *r = cat->rels[cat->hash[h]];

		if (r == NULL || strcmp(r->name, name) != 0)
			continue;
		if (schema != NULL) {
			if (r->schema == NULL || strcmp(r->schema, schema) == 0)
				return r;
			continue;
		}
		if (r->schema == NULL || strcmp(r->schema, "public") == 0)
			return r;
		if (best == NULL)
			best = r;
	}
	return best;
}

struct mig_rel *
mig_cat_add(struct mig_catalog *cat, const char *schema, const char *name,
    char kind)
{
	struct mig_rel *r = mig_cat_find(cat, schema, name);

	if (r != NULL && (schema == NULL || r->schema == NULL ||
	    strcmp(r->schema, schema) == 0)) {
		r->kind = kind;
		return r;
	}
	r = xcalloc(1, sizeof *r);
	r->schema = schema != NULL ? xstrdup(schema) : NULL;
	r->name = xstrdup(name);
	r->kind = kind;
	r->heap_bytes = r->index_bytes = r->rows = -1;
	*MIG_PUSH(cat->rels, cat->nrels) = r;
	if ((size_t)cat->nrels * 2 >= cat->hsize)
		rehash(cat);
	else
		hash_insert(cat, cat->nrels - 1);
	return r;
}

void
mig_cat_drop(struct mig_catalog *cat, struct mig_rel *r)
{
	for (int i = 0; i < cat->nrels; i++) {
		if (cat->rels[i] == r) {
			rel_free(r);
			cat->rels[i] = NULL;
			rehash(cat);
			return;
		}
	}
}

void
mig_catalog_set_size(struct mig_catalog *cat, const char *schema,
    const char *name, double heap_bytes, double index_bytes, double rows)
{
	struct mig_rel *r = mig_cat_find(cat, schema, name);

	if (r == NULL)
		r = mig_cat_add(cat, schema, name, 'r');
	r->heap_bytes = heap_bytes;
	r->index_bytes = index_bytes;
	r->rows = rows;
}

struct mig_column *
mig_rel_col(struct mig_rel *r, const char *name)
{
	if (r == NULL || name == NULL)
		return NULL;
	for (int i = 0; i < r->ncols; i++)
		if (strcmp(r->cols[i].name, name) == 0)
			return &r->cols[i];
	return NULL;
}

struct mig_column *
mig_rel_add_col(struct mig_rel *r, const char *name)
{
	struct mig_column *c = mig_rel_col(r, name);

	if (c != NULL)
		return c;
	c = MIG_PUSH(r->cols, r->ncols);
	c->name = xstrdup(name);
	c->mod1 = c->mod2 = -1;
	return c;
}

int
mig_rel_children(struct mig_catalog *cat, const struct mig_rel *r,
    struct mig_rel ***out)
{
	int n = 0;

	*out = NULL;
	for (int i = 0; cat != NULL && r != NULL && i < cat->nrels; i++) {
		struct mig_rel *p = cat->rels[i];

		if (p == NULL || p == r || p->parent == NULL ||
		    strcmp(p->parent, r->name) != 0 || (p->schema != NULL &&
		    r->schema != NULL && strcmp(p->schema, r->schema) != 0))
			continue;
		*MIG_PUSH(*out, n) = p;
	}
	return n;
}

int
mig_list_has(const char *list, const char *name)
{
	size_t n = name != NULL ? strlen(name) : 0;

	for (const char *p = list; p != NULL && n > 0 && *p != '\0'; ) {
		size_t len = strcspn(p, ",");

		if (len == n && strncmp(p, name, n) == 0)
			return 1;
		p += len;
		while (*p == ',' || *p == ' ')
			p++;
	}
	return 0;
}

/* Type names as the parser leaves them, "pg_catalog.int4", "varchar". */
void
mig_type_from_tree(const json_t *tn, struct mig_column *c)
{
	json_t *mods = jget(tn, "typmods"), *m, *body;
	const char *name = jname_last(jget(tn, "names"));
	size_t i;

	free(c->type);
	c->type = xstrdup(name != NULL ? name : "?");
	if (json_array_size(jget(tn, "arrayBounds")) > 0) {
		char *t = xstrfmt("%s[]", c->type);

		free(c->type);
		c->type = t;
	}
	c->mod1 = c->mod2 = -1;
	json_array_foreach(mods, i, m) {
		long v = -1;

		if (jnode(m, &body) != NULL && jget(body, "ival") != NULL)
			v = jint(jget(body, "ival"), "ival");
		if (i == 0)
			c->mod1 = (int)v;
		else if (i == 1)
			c->mod2 = (int)v;
	}
	if (strcmp(c->type, "numeric") == 0 && c->mod1 >= 0 && c->mod2 < 0)
		c->mod2 = 0;
}

static struct mig_index *
add_index(struct mig_rel *r, const char *name)
{
	struct mig_index *ix = MIG_PUSH(r->idx, r->nidx);

	ix->name = xstrdup(name != NULL ? name : "?");
	ix->valid = 1;
	return ix;
}

static void
index_col(struct mig_index *ix, const char *col)
{
	*MIG_PUSH(ix->cols, ix->ncols) = col != NULL ? xstrdup(col) : NULL;
}

static struct mig_constraint *
add_cons(struct mig_rel *r, const char *name, char type)
{
	struct mig_constraint *c = MIG_PUSH(r->cons, r->ncons);

	c->name = xstrdup(name != NULL ? name : "");
	c->type = type;
	c->valid = 1;
	return c;
}

/* CHECK (col IS NOT NULL) proves a column NOT NULL to SET NOT NULL. */
static const char *
notnull_check_col(const json_t *expr)
{
	json_t *body, *arg;

	if (jnode(expr, &body) == NULL || jget(body, "nulltesttype") == NULL ||
	    strcmp(jstr(body, "nulltesttype"), "IS_NOT_NULL") != 0)
		return NULL;
	if (jnode(jget(body, "arg"), &arg) == NULL)
		return NULL;
	return jname_last(jget(arg, "fields"));
}

/* A table constraint (inline or ADD CONSTRAINT) into the catalog. */
static void
apply_constraint(struct mig_catalog *cat, struct mig_rel *r, const json_t *c,
    const char *colname)
{
	const char *ct = jstr(c, "contype"), *nm = jstr(c, "conname");
	json_t *keys = jget(c, "keys"), *k;
	size_t i;

	if (ct == NULL)
		return;
	if (strcmp(ct, "CONSTR_NOTNULL") == 0 && colname != NULL) {
		mig_rel_add_col(r, colname)->notnull = 1;
	} else if (strcmp(ct, "CONSTR_DEFAULT") == 0 && colname != NULL) {
		mig_rel_add_col(r, colname)->has_default = 1;
	} else if (strcmp(ct, "CONSTR_PRIMARY") == 0 ||
	    strcmp(ct, "CONSTR_UNIQUE") == 0 ||
	    strcmp(ct, "CONSTR_EXCLUSION") == 0) {
		struct mig_index *ix;
		char *auto_name = NULL;
		int pk = ct[7] == 'P';

		if (nm == NULL)
			nm = auto_name = xstrfmt("%s_%s", r->name,
			    pk ? "pkey" : "key");
		ix = add_index(r, jstr(c, "indexname") != NULL ?
		    jstr(c, "indexname") : nm);
		ix->primary = pk;
		ix->unique = ct[7] != 'E';
		if (colname != NULL)
			index_col(ix, colname);
		json_array_foreach(keys, i, k) {
			json_t *s;

			if (jnode(k, &s) != NULL)
				index_col(ix, jstr(s, "sval"));
			if (pk)
				mig_rel_add_col(r, jstr(s, "sval"))->notnull = 1;
		}
		if (pk && colname != NULL)
			mig_rel_add_col(r, colname)->notnull = 1;
		add_cons(r, nm, pk ? 'p' : ct[7] == 'E' ? 'x' : 'u');
		free(auto_name);
	} else if (strcmp(ct, "CONSTR_CHECK") == 0) {
		struct mig_constraint *cc = add_cons(r, nm, 'c');
		const char *col = notnull_check_col(jget(c, "raw_expr"));

		cc->valid = !jbool(c, "skip_validation");
		cc->notnull_col = col != NULL ? xstrdup(col) : NULL;
	} else if (strcmp(ct, "CONSTR_FOREIGN") == 0) {
		struct mig_constraint *cc = add_cons(r, nm, 'f');
		const char *del = jstr(c, "fk_del_action");

		cc->valid = !jbool(c, "skip_validation");
		cc->ref = xstrdup(jstr(jget(c, "pktable"), "relname") != NULL ?
		    jstr(jget(c, "pktable"), "relname") : "?");
		cc->on_delete = del != NULL ? del[0] : 'a';
		if (colname != NULL)
			*MIG_PUSH(cc->cols, cc->ncols) = xstrdup(colname);
		json_array_foreach(jget(c, "fk_attrs"), i, k) {
			json_t *s;

			if (jnode(k, &s) != NULL && jstr(s, "sval") != NULL)
				*MIG_PUSH(cc->cols, cc->ncols) =
				    xstrdup(jstr(s, "sval"));
		}
	}
	(void)cat;
}

static void
apply_coldef(struct mig_catalog *cat, struct mig_rel *r, const json_t *cd)
{
	const char *name = jstr(cd, "colname");
	struct mig_column *c;
	json_t *con, *body;
	size_t i;

	if (name == NULL)
		return;
	c = mig_rel_add_col(r, name);
	mig_type_from_tree(jget(cd, "typeName"), c);
	json_array_foreach(jget(cd, "constraints"), i, con)
		if (jnode(con, &body) != NULL)
			apply_constraint(cat, r, body, name);
}

/* Column names a view's query mentions ("*" for all): approximate, as
 * any name matching counts, but a view naming none of a table's columns
 * cannot block a type change on it. */
static int
view_col_node(const char *key, const json_t *v, void *arg)
{
	json_t *f, *body;
	const char *last;

	if (strcmp(key, "ColumnRef") != 0)
		return JWALK_GO;
	f = jget(v, "fields");
	last = jnode(json_array_get(f, json_array_size(f) - 1), &body);
	if (last != NULL && strcmp(last, "A_Star") == 0)
		strbuf_addstr(arg, "*,");
	else if (jname_last(f) != NULL)
		strbuf_addf(arg, "%s,", jname_last(f));
	return JWALK_SKIP;
}

static void
add_view_cols(struct mig_rel *r, const char *cols)
{
	char *s = xstrfmt("%s%s", r->view_cols != NULL ? r->view_cols : ",",
	    cols);

	free(r->view_cols);
	r->view_cols = s;
}

/* Whether a view uses column 'col' of 'r' (unknown: assume it does). */
int
mig_rel_view_uses(const struct mig_rel *r, const char *col)
{
	char *pat;
	int yes;

	if (r->nviews == 0)
		return 0;
	if (r->view_cols == NULL || col == NULL ||
	    strstr(r->view_cols, ",*,") != NULL)
		return 1;
	pat = xstrfmt(",%s,", col);
	yes = strstr(r->view_cols, pat) != NULL;
	free(pat);
	return yes;
}

/* Every RangeVar below a node: the relations a view reads. */
struct view_deps {
	struct mig_catalog	*cat;
	const char		*view, *cols;
};

static int
view_dep_node(const char *key, const json_t *v, void *arg)
{
	struct view_deps *d = arg;
	struct mig_rel *r;

	if (strcmp(key, "RangeVar") != 0)
		return JWALK_GO;
	r = mig_cat_find(d->cat, jstr(v, "schemaname"), jstr(v, "relname"));
	if (r == NULL)
		return JWALK_SKIP;
	add_view_cols(r, d->cols);
	if (r->views == NULL || strstr(r->views, d->view) == NULL) {
		char *s = r->views == NULL ? xstrdup(d->view) :
		    xstrfmt("%s, %s", r->views, d->view);

		free(r->views);
		r->views = s;
		r->nviews++;
	}
	return JWALK_SKIP;
}

static struct mig_rel *
rel_of(struct mig_catalog *cat, const json_t *rv)
{
	return mig_cat_find(cat, jstr(rv, "schemaname"), jstr(rv, "relname"));
}

static void
apply_alter(struct mig_catalog *cat, const json_t *at)
{
	struct mig_rel *r = rel_of(cat, jget(at, "relation"));
	json_t *cmd, *c;
	size_t i;

	if (r == NULL)
		return;
	json_array_foreach(jget(at, "cmds"), i, cmd) {
		const char *sub, *name;
		json_t *def, *dbody;

		if (jnode(cmd, &c) == NULL || (sub = jstr(c, "subtype")) == NULL)
			continue;
		name = jstr(c, "name");
		def = jget(c, "def");
		jnode(def, &dbody);
		if (strcmp(sub, "AT_AddColumn") == 0 && dbody != NULL) {
			apply_coldef(cat, r, dbody);
		} else if (strcmp(sub, "AT_DropColumn") == 0 && name != NULL) {
			struct mig_column *col = mig_rel_col(r, name);

			if (col != NULL) {
				free(col->name);
				col->name = xstrdup("");
			}
		} else if (strcmp(sub, "AT_AlterColumnType") == 0 && dbody != NULL) {
			mig_type_from_tree(jget(dbody, "typeName"),
			    mig_rel_add_col(r, name));
		} else if (strcmp(sub, "AT_SetNotNull") == 0) {
			mig_rel_add_col(r, name)->notnull = 1;
		} else if (strcmp(sub, "AT_DropNotNull") == 0) {
			mig_rel_add_col(r, name)->notnull = 0;
		} else if (strcmp(sub, "AT_AddConstraint") == 0 && dbody != NULL) {
			apply_constraint(cat, r, dbody, NULL);
		} else if (strcmp(sub, "AT_ValidateConstraint") == 0) {
			for (int k = 0; k < r->ncons; k++)
				if (name != NULL && strcmp(r->cons[k].name, name) == 0)
					r->cons[k].valid = 1;
		} else if (strcmp(sub, "AT_DropConstraint") == 0) {
			for (int k = 0; k < r->ncons; k++)
				if (name != NULL && strcmp(r->cons[k].name, name) == 0)
					r->cons[k].name[0] = '\0',
					r->cons[k].type = '-';
		} else if (strcmp(sub, "AT_AttachPartition") == 0 && dbody != NULL) {
			struct mig_rel *p = rel_of(cat, jget(dbody, "name"));

			if (p != NULL) {
				free(p->parent);
				p->parent = xstrdup(r->name);
			}
		} else if (strcmp(sub, "AT_DetachPartition") == 0 &&
		    dbody != NULL) {
			struct mig_rel *p = rel_of(cat, jget(dbody, "name"));

			if (p == NULL)
				continue;
			free(p->parent);
			p->parent = NULL;
			if (r->default_part != NULL &&
			    strcmp(r->default_part, p->name) == 0) {
				free(r->default_part);
				r->default_part = NULL;
				r->has_default_part = 0;
			}
		}
	}
}

static void
apply_drop(struct mig_catalog *cat, const json_t *d)
{
	json_t *obj;
	size_t i;

	json_array_foreach(jget(d, "objects"), i, obj) {
		json_t *list = jget(obj, "List") != NULL ?
		    jget(jget(obj, "List"), "items") : obj;
		size_t n = json_array_size(list);
		const char *schema = n > 1 ? jname_at(list, n - 2) : NULL;
		const char *name = jname_last(list);
		struct mig_rel *r = mig_cat_find(cat, schema, name);

		if (r != NULL) {
			struct mig_rel *p = r->parent != NULL ?
			    mig_cat_find(cat, r->schema, r->parent) : NULL;

			if (p != NULL && p->default_part != NULL &&
			    strcmp(p->default_part, r->name) == 0) {
				free(p->default_part);
				p->default_part = NULL;
				p->has_default_part = 0;
			}
			mig_cat_drop(cat, r);
			continue;
		}
		/* An index: drop it from its table. */
		for (int k = 0; k < cat->nrels; k++) {
			struct mig_rel *t = cat->rels[k];

			for (int j = 0; t != NULL && j < t->nidx; j++) {
				struct mig_index *ix = &t->idx[j];

				if (name == NULL || strcmp(ix->name, name) != 0)
					continue;
				/* Kept as an entry (no columns, not valid),
				 * so that it supports nothing. */
				for (int c = 0; c < ix->ncols; c++)
					free(ix->cols[c]);
				free(ix->cols);
				ix->cols = NULL;
				ix->ncols = 0;
				ix->valid = 0;
				ix->dropped = 1;
			}
		}
	}
}

static void
apply_rename(struct mig_catalog *cat, const json_t *rn)
{
	const char *type = jstr(rn, "renameType"), *to = jstr(rn, "newname");
	json_t *rv = jget(rn, "relation");
	struct mig_rel *r = rel_of(cat, rv);

	/* An index is found through its table. */
	if (type != NULL && to != NULL && strcmp(type, "OBJECT_INDEX") == 0) {
		const char *from = jstr(rv, "relname");

		for (int k = 0; from != NULL && k < cat->nrels; k++) {
			struct mig_rel *t = cat->rels[k];

			for (int j = 0; t != NULL && j < t->nidx; j++) {
				if (t->idx[j].dropped ||
				    strcmp(t->idx[j].name, from) != 0)
					continue;
				free(t->idx[j].name);
				t->idx[j].name = xstrdup(to);
				return;
			}
		}
		return;
	}
	if (r == NULL || type == NULL || to == NULL)
		return;
	if (strcmp(type, "OBJECT_COLUMN") == 0) {
		struct mig_column *c = mig_rel_col(r, jstr(rn, "subname"));

		if (c != NULL) {
			free(c->name);
			c->name = xstrdup(to);
		}
	} else if (strcmp(type, "OBJECT_TABLE") == 0 ||
	    strcmp(type, "OBJECT_VIEW") == 0 ||
	    strcmp(type, "OBJECT_MATVIEW") == 0) {
		free(r->name);
		r->name = xstrdup(to);
		rehash(cat);
	}
}

void
mig_cat_apply(struct mig_catalog *cat, const json_t *tree, int is_new)
{
	json_t *b, *e;
	const char *t = jnode(tree, &b);
	struct mig_rel *r;
	size_t i;

	if (t == NULL)
		return;
	if (strcmp(t, "CreateStmt") == 0) {
		json_t *rv = jget(b, "relation"), *parent;

		r = mig_cat_add(cat, jstr(rv, "schemaname"), jstr(rv, "relname"),
		    jget(b, "partspec") != NULL ? 'p' : 'r');
		r->is_new = is_new;
		if (is_new)
			r->heap_bytes = r->index_bytes = r->rows = 0;
		json_array_foreach(jget(b, "tableElts"), i, e) {
			json_t *body;
			const char *k = jnode(e, &body);

			if (k != NULL && strcmp(k, "ColumnDef") == 0)
				apply_coldef(cat, r, body);
			else if (k != NULL && strcmp(k, "Constraint") == 0)
				apply_constraint(cat, r, body, NULL);
		}
		parent = jget(json_array_get(jget(b, "inhRelations"), 0),
		    "RangeVar");
		if (parent != NULL && jget(b, "partbound") != NULL) {
			struct mig_rel *p = rel_of(cat, parent);

			r->parent = xstrdup(jstr(parent, "relname"));
			if (p != NULL && jbool(jget(b, "partbound"), "is_default")) {
				p->has_default_part = 1;
				free(p->default_part);
				p->default_part = xstrdup(r->name);
			}
		}
	} else if (strcmp(t, "IndexStmt") == 0) {
		struct mig_index *ix;

		if ((r = rel_of(cat, jget(b, "relation"))) == NULL)
			return;
		ix = add_index(r, jstr(b, "idxname"));
		ix->unique = jbool(b, "unique");
		ix->primary = jbool(b, "primary");
		json_array_foreach(jget(b, "indexParams"), i, e) {
			json_t *body;

			if (jnode(e, &body) != NULL)
				index_col(ix, jstr(body, "name"));
		}
	} else if (strcmp(t, "AlterTableStmt") == 0) {
		apply_alter(cat, b);
	} else if (strcmp(t, "DropStmt") == 0) {
		apply_drop(cat, b);
	} else if (strcmp(t, "RenameStmt") == 0) {
		apply_rename(cat, b);
	} else if (strcmp(t, "ViewStmt") == 0 ||
	    strcmp(t, "CreateTableAsStmt") == 0) {
		json_t *rv = strcmp(t, "ViewStmt") == 0 ? jget(b, "view") :
		    jget(jget(b, "into"), "rel");
		const char *name = jstr(rv, "relname");

		if (name == NULL)
			return;
		r = mig_cat_add(cat, jstr(rv, "schemaname"), name,
		    t[0] == 'V' ? 'v' : strcmp(jstr(b, "objtype") != NULL ?
		    jstr(b, "objtype") : "", "OBJECT_MATVIEW") == 0 ? 'm' : 'r');
		struct strbuf sb;
		struct view_deps d = { .cat = cat, .view = name };

		r->is_new = is_new;
		strbuf_init(&sb, 64);
		jwalk(jget(b, "query"), view_col_node, &sb);
		d.cols = sb.buf;
		jwalk(jget(b, "query"), view_dep_node, &d);
		strbuf_release(&sb);
	}
}

int
mig_catalog_add_sql(struct mig_catalog *cat, const char *name,
    const char *sql, char **err)
{
	struct mig_set *set = mig_load_string(name, sql, strlen(sql));

	*err = NULL;
	if (set->nerrors > 0)
		*err = xstrdup(set->errors[0]);
	for (int i = 0; i < set->nstmts; i++)
		if (set->stmts[i].tree != NULL)
			mig_cat_apply(cat, set->stmts[i].tree, 0);
	mig_set_free(set);
	return *err != NULL ? -1 : 0;
}

static char **
copy_strv(char **v, int n)
{
	char **out = n > 0 ? xcalloc((size_t)n < 8 ? 8 : (size_t)n * 2,
	    sizeof *out) : NULL;

	for (int i = 0; i < n; i++)
		out[i] = v[i] != NULL ? xstrdup(v[i]) : NULL;
	return out;
}

static char *
dup0(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* Arrays are grown by MIG_PUSH, so a copy keeps its doubling sizes. */
#define COPY_ARRAY(dst, src, n) do { \
	size_t cap_ = (n) == 0 ? 0 : (n) <= 8 ? 8 : 2 * (size_t)(n); \
	(dst) = cap_ ? xcalloc(cap_, sizeof *(dst)) : NULL; \
	if ((n) > 0) memcpy((dst), (src), (size_t)(n) * sizeof *(dst)); \
} while (0)

static struct mig_rel *
rel_copy(const struct mig_rel *s)
{
	struct mig_rel *r = xmalloc(sizeof *r);

	*r = *s;
	r->schema = dup0(s->schema);
	r->name = dup0(s->name);
	r->parent = dup0(s->parent);
	r->views = dup0(s->views);
	r->view_cols = dup0(s->view_cols);
	r->default_part = dup0(s->default_part);
	COPY_ARRAY(r->cols, s->cols, s->ncols);
	for (int i = 0; i < s->ncols; i++) {
		r->cols[i].name = dup0(s->cols[i].name);
		r->cols[i].type = dup0(s->cols[i].type);
	}
	COPY_ARRAY(r->idx, s->idx, s->nidx);
	for (int i = 0; i < s->nidx; i++) {
		r->idx[i].name = dup0(s->idx[i].name);
		r->idx[i].cols = copy_strv(s->idx[i].cols, s->idx[i].ncols);
	}
	COPY_ARRAY(r->cons, s->cons, s->ncons);
	for (int i = 0; i < s->ncons; i++) {
		r->cons[i].name = dup0(s->cons[i].name);
		r->cons[i].notnull_col = dup0(s->cons[i].notnull_col);
		r->cons[i].ref = dup0(s->cons[i].ref);
		r->cons[i].cols = copy_strv(s->cons[i].cols, s->cons[i].ncols);
	}
	return r;
}

struct mig_catalog *
mig_cat_copy(const struct mig_catalog *src)
{
	struct mig_catalog *cat = mig_catalog_new();

	if (src == NULL)
		return cat;
	for (int i = 0; i < src->nrels; i++)
		if (src->rels[i] != NULL)
			*MIG_PUSH(cat->rels, cat->nrels) = rel_copy(src->rels[i]);
	rehash(cat);
	cat->timezone = dup0(src->timezone);
	cat->server_version = src->server_version;
	return cat;
}
