/*
 * plan.h - an EXPLAIN plan as a tree of nodes, and what it means.
 *
 * Both parsers (EXPLAIN JSON through jansson, psql text output by
 * indentation) build the same struct plan.  plan_analyze() then derives
 * the figures a DBA reads: inclusive and self time per node under the
 * parallel, SubPlan, InitPlan and CTE rules, self buffers, misestimates,
 * and the warnings ranked by impact.  A plan owns all of its memory (one
 * arena); nothing in it points outside.
 */
#ifndef PGDECK_PLAN_H
#define PGDECK_PLAN_H

#include <stddef.h>
#include <stdint.h>

/* Limits: past these the input is refused, never allocated. */
#define PLAN_MAX_DEPTH		512		/* nesting of plan nodes */
#define PLAN_MAX_NODES		1000000
#define PLAN_MAX_INPUT		(512u << 20)	/* bytes of input */

/* Figures the plan itself leaves ambiguous (node->amb, plan->amb). */
enum {
	PLAN_AMB_PARALLEL = 0x01,	/* in a Gather section: divided */
	PLAN_AMB_CTE = 0x02,		/* CTE time charged to one of its scans */
	PLAN_AMB_INITPLAN = 0x04,	/* InitPlan time charged by a guess */
	PLAN_AMB_JIT = 0x08,		/* JIT time hides in node times */
	PLAN_AMB_CLAMPED = 0x10,	/* self time was negative, shown as 0 */
	PLAN_AMB_ROUNDING = 0x20,	/* per-loop times rounded to 0.001 ms,
					   multiplied by many loops */
};

enum plan_format { PLAN_JSON, PLAN_TEXT };

/* Buffer counters, blocks.  Inclusive as EXPLAIN reports them. */
struct plan_buffers {
	double	shared_hit, shared_read, shared_dirtied, shared_written;
	double	local_hit, local_read, local_dirtied, local_written;
	double	temp_read, temp_written;
};

/* One field of a node or plan as EXPLAIN printed it, for the detail view. */
struct plan_prop {
	const char	*key;		/* "Hash Cond", "Worker 0" */
	const char	*value;		/* as text; lists joined with ", " */
};

struct plan_node {
	int		 parent;	/* index, -1 for the root */
	int		 depth;		/* root 0 */
	int		 nsub;		/* descendants (subtree is [i+1, i+nsub]) */
	int		 nkids;
	int		*kids;		/* direct children, in order */

	const char	*type;		/* canonical "Node Type": "Hash Join" */
	const char	*label;		/* as EXPLAIN text names it: "Hash Left Join" */
	const char	*rel_kind;	/* "Parent Relationship": "Outer", "InitPlan"... or NULL */
	const char	*subplan;	/* "InitPlan 1 (returns $0)", "CTE x", or NULL */
	const char	*relation;	/* "Relation Name" or NULL */
	const char	*schema;
	const char	*alias;
	const char	*index;		/* "Index Name" */
	const char	*cte;		/* "CTE Name" of a CTE Scan */
	const char	*join_type;	/* "Inner", "Left", ... */
	const char	*strategy;	/* "Hashed", "Sorted", ... */
	const char	*cond;		/* the main condition (Index/Hash/Merge Cond, Filter) */

	/* Estimates. */
	double		 startup_cost, total_cost, plan_rows, plan_width;
	int		 has_cost;

	/* Measured (ANALYZE): per loop, as EXPLAIN reports. */
	int		 has_actual;	/* ANALYZE figures present */
	int		 has_timing;	/* actual times present (TIMING on) */
	int		 never_executed;
	double		 act_startup, act_total, act_rows, loops;

	struct plan_buffers buf;
	int		 has_buffers;
	double		 io_read_ms, io_write_ms;

	/* Node-specific figures; 0 or NULL when absent. */
	const char	*sort_method;	/* "quicksort", "external merge" */
	const char	*sort_space_type; /* "Memory", "Disk" */
	double		 sort_space_kb;
	double		 hash_buckets, hash_buckets_orig;
	double		 hash_batches, hash_batches_orig;
	double		 peak_memory_kb;
	double		 hashagg_batches, disk_usage_kb;
	double		 rows_removed_filter, rows_removed_join_filter;
	double		 rows_removed_recheck;
	double		 heap_fetches;
	double		 exact_blocks, lossy_blocks;
	double		 workers_planned, workers_launched;
	int		 has_workers_launched;
	double		 cache_hits, cache_misses, cache_evictions, cache_overflows;

	struct plan_prop *props;	/* every field, in input order */
	int		 nprops;
	int		 line;		/* input line where the node starts (1-based) */

	/* Derived by plan_analyze(). */
	double		 incl_ms;	/* total x loops (/ processes in a Gather section) */
	double		 self_ms;	/* incl minus children, clamped at 0 */
	double		 self_cost;	/* total cost minus children's */
	struct plan_buffers self_buf;
	double		 buf_total;	/* hit + read + dirtied + written, all kinds */
	double		 self_buf_total;
	double		 misestimate;	/* >= 1: actual vs estimated rows per loop */
	int		 underestimate;	/* 1: more rows than estimated */
	unsigned	 amb;		/* PLAN_AMB_* */
	int		 charged_to;	/* InitPlan/CTE root: node that pays, or -1 */
};

enum plan_warning_kind {
	PLAN_W_SLOW,		/* a large share of the time in one node */
	PLAN_W_MISESTIMATE,	/* rows off by more than 10x */
	PLAN_W_DISK_SORT,	/* sort spilled to disk */
	PLAN_W_HASH_BATCHES,	/* hash join in several batches */
	PLAN_W_HASHAGG_SPILL,	/* hash aggregate spilled */
	PLAN_W_FILTER,		/* most rows read were thrown away */
	PLAN_W_RECHECK,		/* index recheck removed many rows */
	PLAN_W_LOSSY,		/* lossy bitmap heap blocks */
	PLAN_W_HEAP_FETCHES,	/* index-only scan visiting the heap */
	PLAN_W_LOOPS,		/* nested loop inner side run many times */
	PLAN_W_WORKERS,		/* fewer workers launched than planned */
	PLAN_W_TEMP,		/* temp blocks written */
};

struct plan_warning {
	enum plan_warning_kind kind;
	int		 node;		/* index */
	double		 impact_ms;	/* time involved, for ranking */
	char		*text;		/* one line: what and why */
	char		*hint;		/* what to do about it */
};

struct plan_trigger {
	const char	*name;
	const char	*relation;
	double		 time_ms;
	double		 calls;
};

struct plan_arena;

struct plan {
	struct plan_node *nodes;	/* preorder; nodes[0] is the root */
	int		 nnodes;
	size_t		 nodes_alloc;	/* capacity, while parsing */
	enum plan_format format;
	const char	*query_text;	/* "Query Text" (auto_explain) or NULL */

	int		 analyzed;	/* ANALYZE figures present */
	int		 has_timing;
	int		 has_buffers;
	int		 has_planning, has_execution;
	double		 planning_ms, execution_ms;
	struct plan_buffers planning_buf;

	struct plan_trigger *triggers;
	int		 ntriggers;
	double		 trigger_ms;	/* sum */

	int		 has_jit;
	double		 jit_functions;
	double		 jit_generation_ms, jit_inlining_ms;
	double		 jit_optimization_ms, jit_emission_ms, jit_total_ms;

	struct plan_prop *props;	/* plan-level fields: Settings, JIT ... */
	int		 nprops;

	/* Derived by plan_analyze(). */
	double		 total_ms;	/* execution time, or root inclusive */
	double		 max_self_ms;
	double		 max_rows, max_cost, max_buf;	/* for highlight scales */
	unsigned	 amb;
	struct plan_warning *warnings;	/* ranked, most impact first */
	int		 nwarnings;

	struct plan_arena *arena;
};

/*
 * Parse 'len' bytes of EXPLAIN output, JSON or text (detected by the
 * first non-blank character, psql frames allowed around either).
 * 'name' is used in messages ("plan.json").  Returns a new plan,
 * analysed, or NULL with '*cause' set to one line naming the place
 * ("plan.json:3:17: expected ',' or '}'"); the caller frees it.
 */
struct plan	*plan_parse(const char *name, const char *buf, size_t len,
		    char **cause);
/* The same for one format; used by plan_parse() and the fuzz targets. */
struct plan	*plan_parse_json(const char *name, const char *buf, size_t len,
		    char **cause);
struct plan	*plan_parse_text(const char *name, const char *buf, size_t len,
		    char **cause);
/* Read a file ("-" is stdin) and parse it; as plan_parse(). */
struct plan	*plan_load(const char *path, char **cause);
void		 plan_free(struct plan *p);

/*
 * Derive times, buffers, misestimates and warnings.  Called by the
 * parsers; idempotent.
 */
void		 plan_analyze(struct plan *p);

/* Set the statement the plan is for (copied), if it has none. */
void		 plan_set_query_text(struct plan *p, const char *text);
/* The value of field 'key' of node 'n', or NULL. */
const char	*plan_node_prop(const struct plan_node *n, const char *key);
/* "Seq Scan on orders o" : label, relation/index and alias, in 'buf'. */
const char	*plan_node_title(const struct plan_node *n, char *buf,
		    size_t size);
/* Short name of a warning kind ("misestimate"). */
const char	*plan_warning_name(enum plan_warning_kind k);

/*
 * The analysed tree as text, for `pgdeck explain --print` and tests:
 * a header, one line per node, the warnings.  Appends to 'out'.
 */
struct strbuf;
void		 plan_print(const struct plan *p, const char *name,
		    struct strbuf *out);

#endif
