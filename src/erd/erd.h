/*
 * erd.h - the entity-relationship diagram of the Schema pane: a graph of
 * tables and foreign keys, its layout on a character grid, rendering
 * into a canvas of cells, and exports (DOT, Mermaid, SVG, text).
 *
 * Pure functions: no curses, no libpq.  The caller builds the graph from
 * the catalog (and computes cardinalities and lints); ui/pane_erd.c
 * draws the canvas.  A graph, layout and canvas each own all of their
 * memory.
 *
 * Layout.  A layered (Sugiyama) layout from left to right: referenced
 * (parent) tables to the left of the tables that reference them.  Cycles
 * are broken by reversing edges, layers assigned by longest path and
 * then balanced, order within layers by barycenter sweeps, rows by
 * least-squares placement under the ordering.  Edges are routed
 * orthogonally: out of the side of a box at the row of the FK (or
 * referenced) column, along a horizontal row through each layer they
 * pass and down or up a vertical track in the channel between layers.
 * Each connected component is laid out on its own and stacked; tables
 * with no foreign keys at all are packed in a grid at the bottom.
 * Invariants (tested): no two boxes overlap or touch, no route enters a
 * box's interior, every route is orthogonal and starts and ends on the
 * left or right border of its two boxes, at a column's row.
 *
 * A box, from top to bottom: border, title ("schema.name", the schema
 * left out for "public"; " (view)" or " (partitioned)" appended), a
 * separator, one row per shown column, border (the badge on it, right).
 * A column row is a two-letter key mark, the name and the type:
 *	PK  primary key         FK  foreign key     PF  both
 *	UQ  unique              (blank) other
 *
 * Cardinality marks, drawn in the cell just outside the box border at
 * each end of an edge (role ERD_R_CARD):
 *			Unicode		ASCII
 *	exactly one	  ╫		  #
 *	zero or one	  ○		  o
 *	many		  < or >	  < or >   (crow's foot, open towards
 *						    the box:  ──<│orders)
 * So users ──╫────<── orders reads "each order has one user, a user has
 * many orders".  Edges: ─│┌┐└┘├┤┬┴┼ (ASCII - | +), a NOT VALID edge
 * dashed ╌ ┆ (ASCII . :), where two edges cross ┼ (ASCII +).
 */
#ifndef PGDECK_ERD_H
#define PGDECK_ERD_H

#include <stdint.h>
#include <stdio.h>

/* ---------------------------------------------------------------- graph */

enum {
	ERD_COL_PK = 1,
	ERD_COL_FK = 2,
	ERD_COL_NOTNULL = 4,
	ERD_COL_UNIQUE = 8,
};

struct erd_col {
	char		*name;
	char		*type;		/* as format_type() prints it */
	unsigned	 flags;		/* ERD_COL_* */
};

enum {
	ERD_NODE_NO_PK = 1,		/* lint colour on the border */
	ERD_NODE_PARTITIONED = 2,
	ERD_NODE_VIEW = 4,
	ERD_NODE_FOCUS = 8,		/* focus colour on the border */
	ERD_NODE_LINT = 16,		/* any other lint: lint colour */
};

struct erd_node {
	char		*schema, *name;
	char		*badge;		/* "1.2 GB" or NULL */
	struct erd_col	*cols;
	int		 ncols;
	unsigned	 flags;		/* ERD_NODE_* */
};

enum erd_card { ERD_CARD_ONE, ERD_CARD_ZERO_ONE, ERD_CARD_MANY };

enum {
	ERD_EDGE_NOT_VALID = 1,		/* drawn dashed */
	ERD_EDGE_UNINDEXED = 2,		/* lint colour */
};

struct erd_edge {
	int		 from, to;	/* referencing (child) node, referenced
					   (parent) node; equal for a
					   self-reference */
	char		*name;		/* constraint name */
	int		*from_cols, *to_cols;	/* column indexes in each node */
	int		 ncols;
	enum erd_card	 child_card;	/* ZERO_ONE or MANY */
	enum erd_card	 parent_card;	/* ONE or ZERO_ONE */
	unsigned	 flags;		/* ERD_EDGE_* */
};

struct erd_graph {
	struct erd_node	*nodes;
	int		 nnodes;
	struct erd_edge	*edges;
	int		 nedges;
};

/* An empty graph, owned by the caller (erd_graph_free). */
struct erd_graph *erd_graph_new(void);
/*
 * Add a table; strings are copied ('badge' may be NULL).  Returns its
 * index, which later calls use.
 */
int	erd_add_node(struct erd_graph *g, const char *schema, const char *name,
	    const char *badge, unsigned flags);
/* Append a column to node 'node' (strings copied; 'type' may be NULL). */
void	erd_add_col(struct erd_graph *g, int node, const char *name,
	    const char *type, unsigned flags);
/*
 * Add a foreign key from 'from' (child) to 'to' (parent) over 'ncols'
 * column pairs (indexes into each node's columns; arrays copied, may be
 * NULL when ncols is 0).  Returns its index.  Bad node indexes are a
 * BUG(); column indexes out of range are kept and ignored when drawing.
 */
int	erd_add_edge(struct erd_graph *g, int from, int to, const char *name,
	    const int *from_cols, const int *to_cols, int ncols,
	    enum erd_card child, enum erd_card parent, unsigned flags);
/* Free 'g' and everything in it; NULL is fine. */
void	erd_graph_free(struct erd_graph *g);
/* The index of table schema.name, or -1.  A NULL schema matches any. */
int	erd_find(const struct erd_graph *g, const char *schema,
	    const char *name);
/*
 * The subgraph of 'focus' and every node within 'hops' FK edges of it
 * (either direction), with every edge of g between two of those nodes.
 * Nodes keep g's order; the focus gets ERD_NODE_FOCUS and every other
 * node loses it.  '*map' (caller frees; may be NULL to not ask) maps
 * each new node index to its index in g.  Returns a new graph owned by
 * the caller; a bad 'focus' is a BUG().
 */
struct erd_graph *erd_neighbourhood(const struct erd_graph *g, int focus,
	    int hops, int **map);
/*
 * A shortest join path from 'a' to 'b' along FK edges (either
 * direction): '*edges' (caller frees, NULL when the count is 0 or -1)
 * gets the edge indexes in order from a to b.  Returns the number of
 * edges, 0 when a == b, -1 when b cannot be reached.
 */
int	erd_join_path(const struct erd_graph *g, int a, int b, int **edges);

/* ------------------------------------------------------ layout, drawing */

struct erd_opts {
	int	all_columns;		/* else key columns only: PK, FK, UNIQUE */
	int	max_rows_per_box;	/* column rows shown at most, the last
					   one "… N more"; 0 no cap */
};

/* A table's box on the canvas, borders included. */
struct erd_box {
	int	node;			/* index in the graph */
	int	row, col, rows, cols;
};

struct erd_point {
	int	row, col;
};

/*
 * An edge's path: pts[0] on the child's box border, pts[npts - 1] on the
 * parent's, each step horizontal or vertical, no two consecutive points
 * equal and no three on one line.
 */
struct erd_route {
	int		 edge;		/* index in the graph */
	struct erd_point *pts;
	int		 npts;
};

struct erd_layout {
	int		 rows, cols;	/* canvas size needed */
	struct erd_box	*boxes;		/* one per node, in node order */
	int		 nboxes;
	struct erd_route *routes;	/* one per edge, in edge order */
	int		 nroutes;
	int		 crossings;	/* edge crossings (a horizontal through a
					   vertical of another edge) */
};

/*
 * Lay out 'g' (opts NULL: key columns, no cap).  Returns a new layout
 * owned by the caller; never fails.  The graph is not kept: lay out
 * again when it or the options change.
 */
struct erd_layout *erd_layout(const struct erd_graph *g,
	    const struct erd_opts *opts);
void	erd_layout_free(struct erd_layout *l);
/* The box of node 'node', borrowed from 'l', or NULL. */
const struct erd_box *erd_box_of(const struct erd_layout *l, int node);

/* Colour roles of canvas cells; the pane maps them to theme roles. */
enum erd_role {
	ERD_R_BLANK, ERD_R_BORDER, ERD_R_TITLE, ERD_R_KEY, ERD_R_COLUMN,
	ERD_R_TYPE, ERD_R_BADGE, ERD_R_EDGE, ERD_R_EDGE_DASHED, ERD_R_LINT,
	ERD_R_FOCUS, ERD_R_CARD,
};

#define ERD_WIDE_CONT	0xFFFFFFFFu	/* right half of a wide character
					   (same value as GRID_WIDE_CONT) */

struct erd_cell {
	uint32_t	ch;		/* code point, ' ' when blank */
	uint8_t		role;		/* enum erd_role */
};

struct erd_canvas {
	int		 rows, cols;
	struct erd_cell	*cells;		/* rows * cols, row-major */
};

/*
 * Draw the whole layout into 'out' (its old cells are freed and
 * replaced; a zeroed canvas is fine): boxes, titles, columns with key
 * marks, badges, edges with cardinality marks, NOT VALID edges dashed,
 * unindexed FK edges and tables without a primary key in the lint role,
 * the focus table's border in the focus role.  'ascii' draws with +-|
 * and ASCII marks only.  'opts' must be the options of the layout.
 */
void	erd_render(const struct erd_graph *g, const struct erd_layout *l,
	    const struct erd_opts *opts, int ascii, struct erd_canvas *out);
/*
 * A scaled-down overview of 'l' into a rows x cols canvas: '#' where a
 * box is, '.' where only edges are, and the viewport (vr, vc, vrows,
 * vcols, in canvas coordinates) outlined in box drawing (role
 * ERD_R_FOCUS).
 */
void	erd_render_minimap(const struct erd_layout *l, int rows, int cols,
	    int vr, int vc, int vrows, int vcols, struct erd_canvas *out);
/* Free the cells of 'c' and zero it (the struct itself is the caller's). */
void	erd_canvas_free(struct erd_canvas *c);

/* ---------------------------------------------------------------- exports */

/*
 * Exports write to 'f' and return 0, or -1 (error() called) when
 * writing failed.
 *
 * DOT for Graphviz: one HTML-label node per table, edges child -> parent
 * between column ports, crow's-foot arrows, NOT VALID dashed.
 */
int	erd_export_dot(const struct erd_graph *g, const struct erd_opts *opts,
	    FILE *f);
/* Mermaid erDiagram: names quoted, types sanitised, "||--o{" cards. */
int	erd_export_mermaid(const struct erd_graph *g,
	    const struct erd_opts *opts, FILE *f);
/* SVG of our own layout 'l' (of 'g' with 'opts'). */
int	erd_export_svg(const struct erd_graph *g, const struct erd_layout *l,
	    const struct erd_opts *opts, FILE *f);
/* The canvas as UTF-8 lines, trailing blanks trimmed. */
int	erd_export_text(const struct erd_canvas *c, FILE *f);

#endif
