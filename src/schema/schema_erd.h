/*
 * schema_erd.h - the ERD graph of a catalog: tables as nodes with their
 * columns, declared foreign keys as edges with their cardinality, lint
 * findings as colours.  Used by the Schema pane and `pgdeck erd`.
 */
#ifndef PGDECK_SCHEMA_ERD_H
#define PGDECK_SCHEMA_ERD_H

#include "erd/erd.h"
#include "schema/schema.h"

/*
 * Tables, partitioned tables and foreign tables of 'schema' (an index
 * into cat->schemas, or -1 for every schema) become nodes; partitions are
 * folded into their root, and a FK to or from a partition is drawn on
 * the root.  Views and materialized views have no foreign keys and are
 * left out.  A node's badge is its total size once DETAIL is loaded.
 * Tables named by 'findings' get ERD_NODE_NO_PK or ERD_NODE_LINT, FKs
 * without an index ERD_EDGE_UNINDEXED; NOT VALID FKs ERD_EDGE_NOT_VALID.
 * '*node_rel' (caller frees; NULL to not ask) maps nodes to relations.
 * FKs between a node of 'schema' and a table of another schema bring
 * that table in too, so that no edge is lost.
 */
struct erd_graph *sch_erd_graph(const struct sch_catalog *cat, int schema,
	    const struct sch_finding *findings, int nfindings, int **node_rel);

/* The relation a partition (of a partition ...) belongs to, or 'rel'. */
int	sch_root(const struct sch_catalog *cat, int rel);

#endif
