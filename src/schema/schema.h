/*
 * schema.h - the Schema pane's engine: a catalog model of one database,
 * its set-based loader, the lints and FK cardinality.  No curses here.
 *
 * A catalog is loaded in two phases.  SCH_PHASE_CATALOG is everything the
 * tree needs (names, kinds, columns, indexes without definitions,
 * constraints, triggers, comments, enums, domains, statistics counters);
 * SCH_PHASE_DETAIL adds what costs the server file-system calls or
 * deparsing (sizes, index definitions, bloat inputs) and is loaded lazily
 * after the first display.  Each phase is a few set-based queries, never
 * one per table; each excludes pg_catalog, information_schema, pg_toast*
 * and pg_temp*, and is safe to run under statement_timeout (which the
 * caller sets).
 *
 * Blocking use (CLI, tests):
 *	struct sch_catalog *cat = sch_catalog_new();
 *	if (sch_load(conn, cat, SCH_PHASE_CATALOG, &err) < 0) ...
 *
 * Asynchronous use (the UI owns a non-blocking connection): for each
 * i in [0, sch_nqueries(phase)) in order, send sch_query(phase, i), then
 * hand its PGresult to sch_parse(cat, phase, i, res, &err); after the last
 * one call sch_finish(cat).  Results of a phase must be parsed in order,
 * and CATALOG must be parsed before DETAIL.
 *
 * Everything is addressed by index into the catalog's arrays; -1 means
 * none.  Strings are owned by the catalog; NULL means absent (SQL NULL).
 * The arrays are reallocated by the add functions and by sch_parse(), so
 * do not keep element pointers across them; indexes stay valid.
 */
#ifndef PGDECK_SCHEMA_H
#define PGDECK_SCHEMA_H

#include <stdint.h>

#include <libpq-fe.h>

enum sch_phase {
	SCH_PHASE_CATALOG,	/* what the tree needs, cheap */
	SCH_PHASE_DETAIL	/* sizes, index definitions, bloat inputs */
};

struct sch_schema {
	uint32_t	 oid;
	char		*name;
	char		*owner;
	char		*comment;	/* COMMENT ON SCHEMA, or NULL */
	int		*rels;		/* its relations but partitions (they */
	int		 nrels;		/* hang under their parent), by name */
};

struct sch_column {
	int		 attnum;	/* pg_attribute.attnum, > 0 */
	char		*name;
	char		*type;		/* format_type(atttypid, atttypmod) */
	uint32_t	 typid;
	int		 notnull;
	char		*dflt;		/* default, or generation, expression */
	char		 identity;	/* 'a' always, 'd' by default, 0 */
	char		 generated;	/* 's' stored, 0 */
	char		*comment;
	double		 avg_width;	/* pg_stats (DETAIL), < 0 unknown */
	double		 null_frac;	/* pg_stats (DETAIL), < 0 unknown */
};

struct sch_rel {
	uint32_t	 oid;
	int		 schema;	/* index into cat->schemas */
	char		*name;
	char		 kind;		/* 'r' 'p' 'v' 'm' 'f' */
	char		 persistence;	/* 'p' permanent, 'u' unlogged */
	int		 parent;	/* partition or inheritance parent, -1 */
	int		 is_partition;	/* parent is a partitioned table */
	char		*partbound;	/* "FOR VALUES ...", partitions only */
	char		 partstrat;	/* 'r' 'l' 'h' for kind 'p', else 0 */
	char		*partkey;	/* pg_get_partkeydef for kind 'p' */
	int		*children;	/* partitions / inheritance children */
	int		 nchildren;	/* (sorted by name) */
	char		*comment;

	double		 reltuples;	/* -1 never analysed or vacuumed */
	int64_t		 relpages;
	int		 fillfactor;	/* from reloptions, 100 by default */
	int64_t		 n_live_tup;	/* pg_stat_all_tables, 0 if absent */
	int64_t		 n_dead_tup;
	int64_t		 seq_scan;
	int64_t		 idx_scan;
	int64_t		 last_vacuum;	/* epoch seconds, 0 never */
	int64_t		 last_autovacuum;
	int64_t		 last_analyze;
	int64_t		 last_autoanalyze;

	/*
	 * Bytes, < 0 until DETAIL is loaded.  For a partitioned table the
	 * sums over its whole partition tree (pg_total_relation_size() of
	 * the parent itself is 0).  heap is the main fork, index all its
	 * indexes, toast the TOAST table with its index, total everything
	 * (free space and visibility maps too).
	 */
	int64_t		 size_heap;
	int64_t		 size_index;
	int64_t		 size_toast;
	int64_t		 size_total;

	struct sch_column *cols;	/* by attnum, dropped ones left out */
	int		 ncols;
	int		*indexes;	/* into cat->indexes */
	int		 nindexes;
	int		*constraints;	/* into cat->constraints */
	int		 nconstraints;
	int		*triggers;	/* into cat->triggers */
	int		 ntriggers;
	int		*fks_in;	/* FKs of other tables referencing it */
	int		 nfks_in;
};

struct sch_index {
	uint32_t	 oid;
	char		*name;
	int		 rel;		/* the table it indexes */
	int		 parent;	/* index of a partitioned index, -1 */
	int		*keys;		/* attnums; 0 is an expression */
	int		 nkeys;		/* all columns, INCLUDE ones last */
	int		 nkeyatts;	/* key columns; the rest are INCLUDE */
	uint32_t	*opclass;	/* nkeyatts operator classes */
	int		*options;	/* nkeyatts indoption (DESC, NULLS) */
	int		 unique;
	int		 primary;
	int		 valid;		/* indisvalid */
	int		 partial;	/* has a WHERE */
	char		*predicate;	/* the WHERE, deparsed, or NULL */
	char		*exprs;		/* the expressions, deparsed, or NULL */
	char		*am;		/* "btree", "hash", "gin" ... */
	int64_t		 idx_scan;	/* for a partitioned index, sum */
	double		 reltuples;
	int64_t		 relpages;
	int		 fillfactor;	/* from reloptions, am default */
	int64_t		 size;		/* bytes, all forks, < 0 until DETAIL */
	char		*definition;	/* pg_get_indexdef, NULL until DETAIL */
	char		*comment;
};

struct sch_constraint {
	uint32_t	 oid;
	char		*name;
	char		 type;		/* 'p' 'f' 'u' 'c' 'x' */
	int		 rel;
	int		*cols;		/* attnums (conkey), NULL for some 'c' */
	int		 ncols;
	int		 index;		/* backing index of p/u/x, or -1 */
	/* FK only: */
	int		 ref_rel;	/* referenced table, -1 */
	int		*ref_cols;	/* ncols attnums (confkey) */
	char		 on_delete;	/* 'a' no action 'r' 'c' 'n' 'd' */
	char		 on_update;
	char		 match;		/* 'f' full 'p' partial 's' simple */
	int		 validated;	/* 0: NOT VALID left behind */
	int		 deferrable;
	char		*definition;	/* pg_get_constraintdef */
	char		*comment;
};

struct sch_trigger {
	uint32_t	 oid;
	char		*name;
	int		 rel;
	char		 enabled;	/* 'O' origin 'D' disabled 'R' 'A' */
	char		*function;	/* schema-qualified function name */
	char		*definition;	/* pg_get_triggerdef */
	char		*comment;
};

struct sch_enum {
	uint32_t	 oid;
	int		 schema;
	char		*name;
	char		**values;	/* in enumsortorder */
	int		 nvalues;
	char		*comment;
};

struct sch_domain {
	uint32_t	 oid;
	int		 schema;
	char		*name;
	char		*base;		/* format_type of the base type */
	int		 notnull;
	char		*dflt;		/* or NULL */
	char		**checks;	/* "CHECK (...)", by name */
	int		 nchecks;
	char		*comment;
};

/*
 * Declared FKs only: a FK on a partitioned table is cloned into every
 * partition (pg_constraint.conparentid != 0), and so is a FK referencing
 * one; those clones are not loaded.  Trigger clones (tgparentid != 0) and
 * internal triggers are not loaded either.  Constraints of p/u/x/c type
 * of partitions are kept: they exist on each partition.
 */
struct sch_catalog {
	char		*database;
	int		 server_version;	/* server_version_num */
	int		 block_size;		/* 8192 unless built otherwise */
	int64_t		 loaded_at;		/* server now(), epoch seconds */
	int64_t		 stats_reset;		/* pg_stat_database, 0 never */
	int64_t		 server_started;	/* pg_postmaster_start_time */
	int		 detail_loaded;		/* DETAIL parsed and finished */

	struct sch_schema	*schemas;	/* sorted by oid */
	int			 nschemas;
	struct sch_rel		*rels;		/* sorted by oid */
	int			 nrels;
	struct sch_index	*indexes;	/* sorted by oid */
	int			 nindexes;
	struct sch_constraint	*constraints;
	int			 nconstraints;
	struct sch_trigger	*triggers;
	int			 ntriggers;
	struct sch_enum		*enums;
	int			 nenums;
	struct sch_domain	*domains;
	int			 ndomains;

	void		*priv;		/* loader state, not for callers */
};

/* An empty catalog (owned; free with sch_catalog_free). */
struct sch_catalog *sch_catalog_new(void);
/* Free 'cat' and everything in it; NULL is fine. */
void	 sch_catalog_free(struct sch_catalog *cat);

/* Number of queries of 'phase'. */
int	 sch_nqueries(enum sch_phase phase);
/* The text of query 'i' of 'phase' (static, no parameters). */
const char *sch_query(enum sch_phase phase, int i);
/*
 * Parse the result of query 'i' of 'phase' into 'cat'.  Does not take
 * 'res' (the caller PQclears it).  Returns 0, or -1 with a malloc'd
 * '*err' if the result is an error or lacks an expected column.
 */
int	 sch_parse(struct sch_catalog *cat, enum sch_phase phase, int i,
	    PGresult *res, char **err);
/*
 * Resolve cross references after a phase: parents and children, schema
 * listings, FK targets and fks_in, backing indexes, partitioned index
 * scan counts, and (once sizes are in) partition-tree totals.  Safe to
 * call more than once.
 */
void	 sch_finish(struct sch_catalog *cat);
/*
 * Run every query of 'phase' on 'conn' (blocking), parse and finish.
 * Returns 0, or -1 with a malloc'd '*err'.
 */
int	 sch_load(PGconn *conn, struct sch_catalog *cat, enum sch_phase phase,
	    char **err);

/* Relation 'name' in schema 'schema' (exact names), or -1. */
int	 sch_find_rel(const struct sch_catalog *cat, const char *schema,
	    const char *name);
/* Index by name in 'schema', or -1. */
int	 sch_find_index(const struct sch_catalog *cat, const char *schema,
	    const char *name);
/* Constraint 'name' of relation 'rel', or -1. */
int	 sch_find_constraint(const struct sch_catalog *cat, int rel,
	    const char *name);
/* Column 'attnum' of relation 'rel' (borrowed), or NULL. */
const struct sch_column *sch_column(const struct sch_catalog *cat, int rel,
	    int attnum);
/* Column by name (borrowed), or NULL. */
const struct sch_column *sch_column_named(const struct sch_catalog *cat,
	    int rel, const char *name);
/* The relation with 'oid', or -1. */
int	 sch_rel_by_oid(const struct sch_catalog *cat, uint32_t oid);

/*
 * Building a catalog without a server (unit tests, fixtures).  Each
 * returns the new element's index; fields not taken as arguments are at
 * their "unknown" values and may be set directly.  OIDs are assigned in
 * increasing order.  Call sch_finish() after the last one.
 */
int	 sch_add_schema(struct sch_catalog *cat, const char *name);
int	 sch_add_rel(struct sch_catalog *cat, int schema, const char *name,
	    char kind);
/* Appends column attnum ncols+1; returns the attnum. */
int	 sch_add_column(struct sch_catalog *cat, int rel, const char *name,
	    const char *type, int notnull);
/* A valid btree index on 'nkeys' key columns (0 = an expression). */
int	 sch_add_index(struct sch_catalog *cat, int rel, const char *name,
	    const int *keys, int nkeys, int unique, int primary);
/* A p, u, c or x constraint on 'cols'. */
int	 sch_add_constraint(struct sch_catalog *cat, int rel, char type,
	    const char *name, const int *cols, int ncols);
/* A validated FK from 'rel'('cols') to 'ref_rel'('ref_cols'). */
int	 sch_add_fk(struct sch_catalog *cat, int rel, const char *name,
	    const int *cols, int ncols, int ref_rel, const int *ref_cols);

/*
 * Counters and sizes a catalog holds stay at or below this (sums over
 * partition trees stop there), so that adding a few cannot overflow.
 */
#define SCH_COUNT_MAX	(INT64_MAX / 4)

/*
 * A catalog as compact JSON (catalog_json.c), for capture files: every
 * member but what sch_finish() derives and 'priv', with a "format" and a
 * "version".  Write a finished catalog.  Returns a malloc'd string
 * (free()); never fails.
 */
char	*sch_catalog_to_json(const struct sch_catalog *cat);
/*
 * The catalog of a document sch_catalog_to_json() wrote, finished and
 * indistinguishable from the one written (owned; sch_catalog_free).
 * Strict: on anything unexpected (a type, a range, an index out of its
 * array, unsorted OIDs or attnums, a cycle of parents, an unknown key or
 * version) returns NULL and a malloc'd one-line '*err' naming the member
 * ("catalog json: rels[12].schema: index 40 out of range"); never a
 * partial catalog.  'text' need not be NUL-terminated.
 */
struct sch_catalog *sch_catalog_from_json(const char *text, size_t len,
	    char **err);

enum sch_severity {
	SCH_SEV_INFO,		/* worth knowing */
	SCH_SEV_WARNING,	/* likely a problem */
	SCH_SEV_ERROR		/* certainly a problem */
};

/* Lint thresholds. */
#define SCH_UNUSED_MIN_AGE	(7 * 86400)	/* stats older than this */
#define SCH_BLOAT_MIN_RATIO	0.30		/* wasted / actual size */
#define SCH_BLOAT_MIN_BYTES	(10LL * 1024 * 1024)

struct sch_finding {
	const char	*rule;		/* "no-primary-key" ... (static) */
	enum sch_severity severity;
	int		 rel;		/* the relation it is about, or -1 */
	int		 index;		/* the index, or -1 */
	int		 constraint;	/* the constraint, or -1 */
	char		*message;	/* one line, with the reason */
	char		*fix;		/* suggested SQL or advice, or NULL */
	int64_t		 wasted;	/* bloat rules: estimated bytes */
};

/*
 * Run every rule on 'cat'.  Rules: no-primary-key, fk-without-index,
 * duplicate-index, redundant-index, unused-index, invalid-index,
 * not-valid-constraint, table-bloat, index-bloat (DETAIL needed),
 * fk-type-mismatch.  Stores a malloc'd array in '*out' (free with
 * sch_findings_free) ordered by relation, and returns its length.
 */
int	 sch_lint(const struct sch_catalog *cat, struct sch_finding **out);
void	 sch_findings_free(struct sch_finding *f, int n);

/*
 * Bloat estimates (the classic pg_stats/relpages ones).  Return the
 * estimated wasted bytes and set '*ratio' (wasted / actual), or -1 when
 * the inputs are missing (no statistics, DETAIL not loaded, not btree,
 * an expression key).
 */
int64_t	 sch_table_bloat(const struct sch_catalog *cat, int rel,
	    double *ratio);
int64_t	 sch_index_bloat(const struct sch_catalog *cat, int index,
	    double *ratio);

/*
 * Cardinality of FK 'fk' for an ERD edge.  '*child_many' is 0 (the
 * referencing side is 0..1) when the FK columns are, as a set, exactly
 * the columns of a PK, UNIQUE constraint or valid non-partial unique
 * index of the referencing table, else 1 (many).  '*parent_optional' is 0
 * (exactly one parent) when every FK column is NOT NULL, else 1 (0..1).
 */
void	 sch_fk_cardinality(const struct sch_catalog *cat,
	    const struct sch_constraint *fk, int *child_many,
	    int *parent_optional);

#endif
