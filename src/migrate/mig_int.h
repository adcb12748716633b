/*
 * mig_int.h - what the files of src/migrate share and nobody else needs.
 */
#ifndef PGDECK_MIG_INT_H
#define PGDECK_MIG_INT_H

#include <jansson.h>

#include "migrate/migrate.h"

/*
 * Append to an array that grows by doubling: arr has n elements and
 * room for the next power of two (at least 8).  Evaluates to the new
 * element's address; n is incremented.
 */
#define MIG_PUSH(arr, n) \
	((((n) == 0 || ((n) >= 8 && ((n) & ((n) - 1)) == 0)) ? \
	    (void)((arr) = xrealloc((arr), sizeof *(arr) * \
	    ((n) == 0 ? 8 : 2 * (size_t)(n)))) : (void)0), \
	    memset(&(arr)[(n)], 0, sizeof *(arr)), &(arr)[(n)++])

/* source.c */
void	 mig_add_error(struct mig_set *set, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	 mig_line_of(const struct mig_file *f, size_t off, int *col);

/* split.c: cut, split and parse one file's text into set->stmts. */
void	 mig_cut_file(struct mig_file *f);
void	 mig_split_file(struct mig_set *set, int fi);

/* JSON access to libpg_query's parse tree. */
const char *jstr(const json_t *o, const char *key);
long	 jint(const json_t *o, const char *key);
int	 jbool(const json_t *o, const char *key);
json_t	*jget(const json_t *o, const char *key);
/* {"Type": {...}} -> "Type", *body = {...}; NULL when not a node. */
const char *jnode(const json_t *node, json_t **body);
/* The last String of a list of {"String":{"sval":...}}, or NULL. */
const char *jname_last(const json_t *list);
/*
 * Visit every key/value pair below 'node', depth first.  'fn' returns
 * JWALK_GO to descend into the value, JWALK_SKIP not to, JWALK_STOP to
 * end the walk; jwalk returns 1 when it was stopped.
 */
enum { JWALK_GO, JWALK_SKIP, JWALK_STOP };
typedef int (*jwalk_fn)(const char *key, const json_t *value, void *arg);
int	 jwalk(const json_t *node, jwalk_fn fn, void *arg);
const char *jname_at(const json_t *list, size_t i);

/* catalog.c */
struct mig_column {
	char		*name;
	char		*type;		/* canonical: "int4", "varchar", "numeric" */
	int		 mod1, mod2;	/* length or precision, scale; -1 none */
	int		 notnull;
	int		 has_default;
};

struct mig_index {
	char		*name;
	char		**cols;		/* key columns in order; NULL for an expression */
	int		 ncols;
	int		 unique, primary, valid;
	int		 dropped;	/* dropped by the set: kept, supports nothing */
	double		 bytes;
};

struct mig_constraint {
	char		*name;
	char		 type;		/* 'c' check, 'f' fk, 'p', 'u', 'x' */
	int		 valid;
	char		*notnull_col;	/* a CHECK (col IS NOT NULL) */
	char		*ref;		/* fk: referenced table name */
	char		**cols;		/* fk: referencing columns; NULL unknown */
	int		 ncols;
	char		 on_delete;	/* fk: 'a' 'r' 'c' 'n' 'd' as confdeltype, 0 unknown */
};

struct mig_rel {
	char		*schema;	/* NULL when unknown */
	char		*name;
	char		 kind;		/* 'r' 'p' 'm' 'v' 'f' 'i' 'S' */
	int		 is_new;	/* created by the set */
	double		 heap_bytes, index_bytes, rows;	/* < 0 unknown */
	struct mig_column *cols;
	int		 ncols;
	struct mig_index *idx;
	int		 nidx;
	struct mig_constraint *cons;
	int		 ncons;
	char		*parent;	/* partition or index: its table */
	int		 nviews;	/* views that depend on it */
	char		*views;		/* their names, ", " */
	char		*view_cols;	/* ",a,b," columns views use; "*" all */
	int		 has_default_part;
	char		*default_part;
	double		 toast_bytes;	/* 0 none or unknown (server.c) */
};

struct mig_catalog {
	struct mig_rel	**rels;
	int		 nrels;
	int		*hash;		/* open addressing on name, -1 empty */
	size_t		 hsize;
	char		*timezone;
	int		 server_version;
};

struct mig_rel	*mig_cat_find(struct mig_catalog *cat, const char *schema,
		    const char *name);
struct mig_rel	*mig_cat_add(struct mig_catalog *cat, const char *schema,
		    const char *name, char kind);
void		 mig_cat_drop(struct mig_catalog *cat, struct mig_rel *r);
struct mig_column *mig_rel_col(struct mig_rel *r, const char *name);
int		 mig_rel_view_uses(const struct mig_rel *r, const char *col);
struct mig_column *mig_rel_add_col(struct mig_rel *r, const char *name);
/* The relations whose parent is r (its partitions), in catalog order;
 * *out is malloc'd (NULL when none), the count returned. */
int		 mig_rel_children(struct mig_catalog *cat, const struct mig_rel *r,
		    struct mig_rel ***out);
/* Whether 'name' is an item of a ", "-separated list. */
int		 mig_list_has(const char *list, const char *name);
void		 mig_type_from_tree(const json_t *typename, struct mig_column *c);
/* Record what a statement creates or changes, so that later statements
 * see it; used by mig_analyze and mig_catalog_add_sql alike. */
void		 mig_cat_apply(struct mig_catalog *cat, const json_t *tree,
		    int is_new);
struct mig_catalog *mig_cat_copy(const struct mig_catalog *cat);

/* locks.c: the lock table. */
void	 mig_locks_stmt(struct mig_set *set, struct mig_catalog *cat,
	    struct mig_stmt *st);
int	 mig_default_volatile(const json_t *expr);
enum mig_addcol {
	MIG_ADDCOL_PLAIN,	/* no default or a constant one: metadata */
	MIG_ADDCOL_REQUIRED,	/* NOT NULL, no default: fails on rows */
	MIG_ADDCOL_VOLATILE,	/* rewrite */
	MIG_ADDCOL_SERIAL,
	MIG_ADDCOL_IDENTITY,
	MIG_ADDCOL_GENERATED,
};
enum mig_addcol mig_addcol_kind(const json_t *coldef);
/* ALTER COLUMN TYPE: 0 when PostgreSQL skips the rewrite (binary
 * coercible, no wider check), 1 when it rewrites, -1 old type unknown. */
int	 mig_type_rewrites(const struct mig_column *old,
	    const struct mig_column *nw, const char *timezone, int has_using);

/* rules.c */
void	 mig_rules(struct mig_set *set, struct mig_catalog *cat);
void	 mig_finding(struct mig_set *set, int stmt, const char *rule,
	    const char *fix, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));

#endif
