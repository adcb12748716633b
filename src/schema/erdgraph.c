/*
 * erdgraph.c - the ERD graph of a catalog (schema_erd.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "schema/schema_erd.h"
#include "core/banned.h"

int
sch_root(const struct sch_catalog *cat, int rel)
{
	/* Partitions only: an inheritance child is a table of its own. */
	for (int guard = 0; rel >= 0 && guard < 64 &&
	    cat->rels[rel].is_partition && cat->rels[rel].parent >= 0; guard++)
		rel = cat->rels[rel].parent;
	return rel;
}

static int
is_node_kind(const struct sch_rel *r)
{
	return r->kind == 'r' || r->kind == 'p' || r->kind == 'f';
}

/* Whether attnum is one of the columns of a constraint of 'type'. */
static int
in_constraint(const struct sch_catalog *cat, const struct sch_rel *r,
    char type, int attnum)
{
	for (int i = 0; i < r->nconstraints; i++) {
		const struct sch_constraint *k = &cat->constraints[r->constraints[i]];

		if (k->type != type)
			continue;
		for (int j = 0; j < k->ncols; j++)
			if (k->cols[j] == attnum)
				return 1;
	}
	return 0;
}

static int
col_index(const struct sch_rel *r, int attnum)
{
	for (int i = 0; i < r->ncols; i++)
		if (r->cols[i].attnum == attnum)
			return i;
	return -1;
}

static int
add_rel_node(struct erd_graph *g, const struct sch_catalog *cat, int rel,
    const struct sch_finding *f, int nf, int *rel_node, int *node_rel)
{
	const struct sch_rel *r = &cat->rels[rel];
	unsigned flags = 0;
	char badge[32];
	int n;

	if (rel_node[rel] >= 0)
		return rel_node[rel];
	for (int i = 0; i < nf; i++) {
		if (f[i].rel != rel)
			continue;
		if (strcmp(f[i].rule, "no-primary-key") == 0)
			flags |= ERD_NODE_NO_PK;
		else if (strcmp(f[i].rule, "fk-without-index") != 0)
			flags |= ERD_NODE_LINT;
	}
	if (r->kind == 'p')
		flags |= ERD_NODE_PARTITIONED;
	fmt_bytes(badge, sizeof badge, (double)r->size_total);
	n = erd_add_node(g, cat->schemas[r->schema].name, r->name,
	    badge[0] != '\0' ? badge : NULL, flags);
	for (int i = 0; i < r->ncols; i++) {
		const struct sch_column *c = &r->cols[i];
		unsigned cf = c->notnull ? ERD_COL_NOTNULL : 0;

		if (in_constraint(cat, r, 'p', c->attnum))
			cf |= ERD_COL_PK;
		if (in_constraint(cat, r, 'f', c->attnum))
			cf |= ERD_COL_FK;
		if (in_constraint(cat, r, 'u', c->attnum))
			cf |= ERD_COL_UNIQUE;
		erd_add_col(g, n, c->name, c->type, cf);
	}
	rel_node[rel] = n;
	node_rel[n] = rel;	/* at most one node per relation */
	return n;
}

struct erd_graph *
sch_erd_graph(const struct sch_catalog *cat, int schema,
    const struct sch_finding *f, int nf, int **node_rel)
{
	struct erd_graph *g = erd_graph_new();
	int *rel_node = xmalloc(((size_t)cat->nrels + 1) * sizeof *rel_node);
	int *map = xmalloc(((size_t)cat->nrels + 1) * sizeof *map);

	for (int i = 0; i < cat->nrels; i++)
		rel_node[i] = -1;
	/* Nodes in the catalog's order of schemas and names. */
	for (int s = 0; s < cat->nschemas; s++) {
		const struct sch_schema *sc = &cat->schemas[s];

		if (schema >= 0 && s != schema)
			continue;
		for (int i = 0; i < sc->nrels; i++) {
			const struct sch_rel *r = &cat->rels[sc->rels[i]];

			if (is_node_kind(r) && !r->is_partition)
				add_rel_node(g, cat, sc->rels[i], f, nf, rel_node,
				    map);
		}
	}
	for (int i = 0; i < cat->nconstraints; i++) {
		const struct sch_constraint *k = &cat->constraints[i];
		int from, to, child_many, parent_opt, nf_cols = 0;
		int *fc, *tc;
		unsigned flags = 0;
		const struct sch_rel *cr, *pr;

		if (k->type != 'f' || k->ref_rel < 0)
			continue;
		from = sch_root(cat, k->rel);
		to = sch_root(cat, k->ref_rel);
		if (schema >= 0 && cat->rels[from].schema != schema &&
		    cat->rels[to].schema != schema)
			continue;
		if (!is_node_kind(&cat->rels[from]) || !is_node_kind(&cat->rels[to]))
			continue;
		from = add_rel_node(g, cat, from, f, nf, rel_node, map);
		to = add_rel_node(g, cat, to, f, nf, rel_node, map);
		cr = &cat->rels[map[from]];
		pr = &cat->rels[map[to]];
		fc = xcalloc((size_t)k->ncols + 1, sizeof *fc);
		tc = xcalloc((size_t)k->ncols + 1, sizeof *tc);
		for (int j = 0; j < k->ncols; j++) {
			int a = col_index(cr, k->cols[j]);
			int b = k->ref_cols != NULL ? col_index(pr, k->ref_cols[j]) : -1;

			if (a < 0 || b < 0)
				continue;
			fc[nf_cols] = a;
			tc[nf_cols++] = b;
		}
		sch_fk_cardinality(cat, k, &child_many, &parent_opt);
		if (!k->validated)
			flags |= ERD_EDGE_NOT_VALID;
		for (int j = 0; j < nf; j++)
			if (f[j].constraint == i &&
			    strcmp(f[j].rule, "fk-without-index") == 0)
				flags |= ERD_EDGE_UNINDEXED;
		erd_add_edge(g, from, to, k->name, fc, tc, nf_cols,
		    child_many ? ERD_CARD_MANY : ERD_CARD_ZERO_ONE,
		    parent_opt ? ERD_CARD_ZERO_ONE : ERD_CARD_ONE, flags);
		free(fc);
		free(tc);
	}
	free(rel_node);
	if (node_rel != NULL)
		*node_rel = map;
	else
		free(map);
	return g;
}
