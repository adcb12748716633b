/*
 * diff.h - two plans of one statement, node by node.
 *
 * Nodes are matched top-down: the roots, then each matched pair's
 * children, first by the same node and relation, then by the same
 * relation (a changed scan or join method), then by position.  What is
 * left over was added or has gone, with its whole subtree.  The result
 * is one merged tree in preorder, ready to draw or print.
 */
#ifndef PGDECK_PLAN_DIFF_H
#define PGDECK_PLAN_DIFF_H

#include "plan.h"

enum plan_diff_kind {
	PLAN_DIFF_SAME,		/* same node, figures may differ */
	PLAN_DIFF_CHANGED,	/* same place, another method (Seq -> Index Scan) */
	PLAN_DIFF_ADDED,	/* only in the new plan */
	PLAN_DIFF_GONE,		/* only in the old plan */
};

struct plan_diff_row {
	enum plan_diff_kind kind;
	int		 a, b;		/* node in the old / new plan, or -1 */
	int		 depth;
	int		 nsub;		/* descendant rows */
	double		 d_self_ms, d_incl_ms, d_rows, d_buf;	/* new - old */
};

struct plan_diff {
	const struct plan *a, *b;	/* borrowed: old and new */
	struct plan_diff_row *rows;	/* preorder */
	int		 nrows;
	int		 nchanged, nadded, ngone;
};

/* Match 'a' (old) and 'b' (new); both must outlive the result. */
struct plan_diff *plan_diff_new(const struct plan *a, const struct plan *b);
void		 plan_diff_free(struct plan_diff *d);
/* The merged tree as text (`pgdeck explain --print OLD NEW`). */
void		 plan_diff_print(const struct plan_diff *d, const char *aname,
		    const char *bname, struct strbuf *out);
const char	*plan_diff_kind_name(enum plan_diff_kind k);

#endif
