/*
 * erd_int.h - what the ERD's files share: adjacency lists and the
 * contents of a table's box, measured once for layout, drawing and SVG.
 */
#ifndef PGDECK_ERD_INT_H
#define PGDECK_ERD_INT_H

#include <stdint.h>

#include "erd/erd.h"

/* Widths in cells past which names and types are cut with an ellipsis. */
#define ERD_TITLE_MAX	40
#define ERD_NAME_MAX	28
#define ERD_TYPE_MAX	20

/* Edges at each node, both directions, a self-reference once (CSR). */
struct erd_adj {
	int	*start;		/* nnodes + 1 offsets into item */
	int	*item;		/* edge indexes */
};

void	erd_adj_init(struct erd_adj *a, const struct erd_graph *g);
void	erd_adj_release(struct erd_adj *a);

/* A line of text as code points that fit a width (wide: ERD_WIDE_CONT). */
struct erd_text {
	uint32_t *cp;
	int	  n;		/* cells used, <= the width asked for */
};

/* The contents of one box; row offsets count from its top border. */
struct erd_boxinfo {
	char	*title;		/* owned */
	int	*shown;		/* column indexes shown, in order (owned) */
	int	 nshown;
	int	 more;		/* columns left out by the cap, shown as a
				   last "… N more" row when > 0 */
	int	 name_w, type_w;	/* widths of the name and type fields */
	int	 rows, cols;	/* box size, borders included */
};

#define ERD_ROW_TITLE	1	/* row offset of the title */
#define ERD_ROW_FIRST	3	/* row offset of the first column */

/*
 * Measure the box of node 'n'; 'selfloop' asks for at least two rows
 * where an edge can attach.  Release with erd_boxinfo_release().
 */
void	erd_boxinfo_init(struct erd_boxinfo *bi, const struct erd_node *n,
	    const struct erd_opts *opts, int selfloop);
void	erd_boxinfo_release(struct erd_boxinfo *bi);
/* The row offset where an edge at column 'col' attaches (the title when
   the column is not shown). */
int	erd_boxinfo_row(const struct erd_boxinfo *bi, int col);
/* The two-letter key mark of a column ("PK", "FK", "PF", "UQ", "  "). */
const char *erd_key_mark(unsigned flags);
/* Cells 'text' takes, not counting what past 'max' would be cut. */
int	erd_text_cells(const char *text);
/*
 * 'text' as at most 'width' cells, cut with '…' (or '~' when 'ascii')
 * when longer; control characters and invalid bytes become '?'.  When
 * 'ascii', anything outside ASCII becomes '?'.  Caller frees t->cp.
 */
void	erd_text_fit(struct erd_text *t, const char *text, int width,
	    int ascii);
/* The title of a box: "name" in public, else "schema.name", + kind. */
char	*erd_title(const struct erd_node *n);

#endif
