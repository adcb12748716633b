/*
 * render.c - the ERD drawn into a canvas of cells: boxes, edges with
 * their cardinality marks, the minimap, and the canvas as text.
 *
 * Lines are drawn as sets of directions per cell (up, right, down, left)
 * from box borders and edge routes alike, and each cell's glyph is read
 * from the union: where an edge meets a border the border gets a tee,
 * where two edges cross a cross, where a shared port splits a tee.
 */
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "erd/erd_int.h"
#include "core/banned.h"

enum { D_N = 1, D_E = 2, D_S = 4, D_W = 8 };

/* What crossed a cell, to pick its role and dash. */
enum {
	F_SOLID = 1,		/* an edge that is not NOT VALID */
	F_DASHED = 2,
	F_LINT = 4,
	F_BOX = 8,		/* a box border: the box's role wins */
};

struct lines {
	uint8_t	*mask;		/* D_* per cell */
	uint8_t	*flags;		/* F_* per cell */
};

static uint32_t
line_glyph(unsigned m, int dashed, int ascii)
{
	static const uint32_t uni[16] = {
		' ', 0x2502, 0x2500, 0x2514, 0x2502, 0x2502, 0x250C, 0x251C,
		0x2500, 0x2518, 0x2500, 0x2534, 0x2510, 0x2524, 0x252C, 0x253C,
	};
	int	horiz = m == D_E || m == D_W || m == (D_E | D_W);
	int	vert = m == D_N || m == D_S || m == (D_N | D_S);

	if (ascii) {
		if (horiz)
			return dashed ? '.' : '-';
		if (vert)
			return dashed ? ':' : '|';
		return m ? '+' : ' ';
	}
	if (dashed && horiz)
		return 0x254C;
	if (dashed && vert)
		return 0x2506;
	return uni[m & 15];
}

static struct erd_cell *
cell(struct erd_canvas *c, int row, int col)
{
	if (row < 0 || col < 0 || row >= c->rows || col >= c->cols)
		return NULL;
	return &c->cells[(size_t)row * (size_t)c->cols + (size_t)col];
}

static void
put(struct erd_canvas *c, int row, int col, uint32_t ch, int role)
{
	struct erd_cell *x = cell(c, row, col);

	if (x) {
		x->ch = ch;
		x->role = (uint8_t)role;
	}
}

static void
line_add(struct lines *ln, const struct erd_canvas *c, int row, int col,
    unsigned dirs, unsigned flags)
{
	size_t	i;

	if (row < 0 || col < 0 || row >= c->rows || col >= c->cols)
		return;
	i = (size_t)row * (size_t)c->cols + (size_t)col;
	ln->mask[i] |= (uint8_t)dirs;
	ln->flags[i] |= (uint8_t)flags;
}

/* A straight run from (r1, c1) to (r2, c2), inclusive. */
static void
line_run(struct lines *ln, const struct erd_canvas *c, int r1, int c1, int r2,
    int c2, unsigned flags)
{
	int	i;

	if (r1 == r2) {
		int	a = c1 < c2 ? c1 : c2, b = c1 < c2 ? c2 : c1;

		for (i = a; i <= b; i++)
			line_add(ln, c, r1, i, (i > a ? D_W : 0) |
			    (i < b ? D_E : 0), flags);
	} else {
		int	a = r1 < r2 ? r1 : r2, b = r1 < r2 ? r2 : r1;

		for (i = a; i <= b; i++)
			line_add(ln, c, i, c1, (i > a ? D_N : 0) |
			    (i < b ? D_S : 0), flags);
	}
}

static int
box_role(unsigned flags)
{
	if (flags & ERD_NODE_FOCUS)
		return ERD_R_FOCUS;
	if (flags & (ERD_NODE_NO_PK | ERD_NODE_LINT))
		return ERD_R_LINT;
	return ERD_R_BORDER;
}

/* Put a fitted text at row/col in at most 'width' cells. */
static void
put_text(struct erd_canvas *c, int row, int col, int width, const char *text,
    int role, int ascii)
{
	struct erd_text	t;
	int		i;

	erd_text_fit(&t, text, width, ascii);
	for (i = 0; i < t.n; i++)
		put(c, row, col + i, t.cp[i], role);
	free(t.cp);
}

/* The outline of a box (and its separator) as lines. */
static void
box_lines(struct lines *ln, const struct erd_canvas *c,
    const struct erd_box *b, const struct erd_boxinfo *bi)
{
	int	r = b->row, k = b->col, h = b->rows, w = b->cols;

	line_run(ln, c, r, k, r, k + w - 1, F_BOX);
	line_run(ln, c, r + h - 1, k, r + h - 1, k + w - 1, F_BOX);
	line_run(ln, c, r, k, r + h - 1, k, F_BOX);
	line_run(ln, c, r, k + w - 1, r + h - 1, k + w - 1, F_BOX);
	if (bi->nshown > 0 || bi->more > 0)
		line_run(ln, c, r + 2, k, r + 2, k + w - 1, F_BOX);
}

/* The text inside a box and the badge on its bottom border. */
static void
box_text(struct erd_canvas *c, const struct erd_node *n,
    const struct erd_box *b, const struct erd_boxinfo *bi, int ascii)
{
	int	inner = b->cols - 4, i, x = b->col + 2;
	int	title_role = (n->flags & ERD_NODE_FOCUS) &&
	    (n->flags & (ERD_NODE_NO_PK | ERD_NODE_LINT)) ?
	    ERD_R_LINT : ERD_R_TITLE;

	put_text(c, b->row + ERD_ROW_TITLE, x, inner, bi->title, title_role,
	    ascii);
	for (i = 0; i < bi->nshown; i++) {
		const struct erd_col *col = &n->cols[bi->shown[i]];
		int	 row = b->row + ERD_ROW_FIRST + i;
		const char *mark = erd_key_mark(col->flags);

		put(c, row, x, (uint32_t)mark[0], ERD_R_KEY);
		put(c, row, x + 1, (uint32_t)mark[1], ERD_R_KEY);
		put_text(c, row, x + 3, bi->name_w, col->name, ERD_R_COLUMN,
		    ascii);
		if (bi->type_w > 0)
			put_text(c, row, x + 4 + bi->name_w, bi->type_w,
			    col->type, ERD_R_TYPE, ascii);
	}
	if (bi->more > 0) {
		char	*s = xstrfmt("%d more", bi->more);
		int	 row = b->row + ERD_ROW_FIRST + bi->nshown;

		put(c, row, x, ascii ? '~' : 0x2026, ERD_R_TYPE);
		put_text(c, row, x + 2, inner - 2, s, ERD_R_TYPE, ascii);
		free(s);
	}
	if (n->badge && n->badge[0]) {
		int	blen = erd_text_cells(n->badge);
		int	start;

		if (blen > inner - 2)
			blen = inner - 2;
		start = b->col + b->cols - 3 - blen;
		put(c, b->row + b->rows - 1, start - 1, ' ', ERD_R_BADGE);
		put_text(c, b->row + b->rows - 1, start, blen, n->badge,
		    ERD_R_BADGE, ascii);
		put(c, b->row + b->rows - 1, start + blen, ' ', ERD_R_BADGE);
	}
}

/* The mark of 'card' on a line travelling (dr, dc) away from its box. */
static uint32_t
mark_glyph(enum erd_card card, int dr, int dc, int ascii)
{
	switch (card) {
	case ERD_CARD_ONE:
		return ascii ? '#' : dc ? 0x256B : 0x256A;
	case ERD_CARD_ZERO_ONE:
		return ascii ? 'o' : 0x25CB;
	default:
		/* The crow's foot opens towards the box. */
		if (dc)
			return dc > 0 ? '>' : '<';
		return dr > 0 ? 'v' : '^';
	}
}

static int
sign(int v)
{
	return (v > 0) - (v < 0);
}

/*
 * Put the mark of one end of route 'r' (end 0 or 1).  Normally in the
 * cell after the border.  Where edges share a port and their marks
 * differ, each edge's mark goes on the first cell of its own path
 * instead ('usage' counts the edges through each cell), so no mark
 * speaks for another edge.
 */
static void
end_mark(struct erd_canvas *c, const struct erd_route *r, int end,
    enum erd_card card, const uint8_t *conflict, const uint16_t *usage,
    int ascii)
{
	int	 step = end ? -1 : 1, i = end ? r->npts - 1 : 0, k;
	struct erd_point p = r->pts[i], q = r->pts[i + step];
	int	 dr = sign(q.row - p.row), dc = sign(q.col - p.col);
	int	 row = p.row + dr, col = p.col + dc;
	size_t	 at = (size_t)p.row * (size_t)c->cols + (size_t)p.col;

	if (conflict[at] > 1) {
		for (k = i; k != i + step * (r->npts - 1); k += step) {
			struct erd_point a = r->pts[k], b = r->pts[k + step];
			int	sr = sign(b.row - a.row), sc = sign(b.col - a.col);
			int	y = a.row + sr, x = a.col + sc;

			/* Cells strictly inside the run: no corners. */
			for (; y != b.row || x != b.col; y += sr, x += sc) {
				if (usage[(size_t)y * (size_t)c->cols +
				    (size_t)x] == 1) {
					put(c, y, x, mark_glyph(card, sr, sc,
					    ascii), ERD_R_CARD);
					return;
				}
			}
		}
	}
	put(c, row, col, mark_glyph(card, dr, dc, ascii), ERD_R_CARD);
}

/*
 * Per border cell where routes end, 1 if every end there shows the same
 * mark, 2 if they differ; per cell, how many routes pass.
 */
static void
mark_conflicts(const struct erd_graph *g, const struct erd_layout *l,
    const struct erd_canvas *c, uint8_t *conflict, uint32_t *first,
    uint16_t *usage, int ascii)
{
	int	k, j, end;

	for (k = 0; k < l->nroutes; k++) {
		const struct erd_route *r = &l->routes[k];
		const struct erd_edge *e = &g->edges[r->edge];

		if (r->npts < 2)
			continue;
		for (end = 0; end < 2; end++) {
			int	 i = end ? r->npts - 1 : 0, step = end ? -1 : 1;
			struct erd_point p = r->pts[i], q = r->pts[i + step];
			uint32_t m = mark_glyph(end ? e->parent_card :
			    e->child_card, sign(q.row - p.row),
			    sign(q.col - p.col), ascii);
			size_t	 at;

			if (p.row < 0 || p.col < 0 || p.row >= c->rows ||
			    p.col >= c->cols)
				continue;
			at = (size_t)p.row * (size_t)c->cols + (size_t)p.col;
			if (!conflict[at]) {
				conflict[at] = 1;
				first[at] = m;
			} else if (first[at] != m)
				conflict[at] = 2;
		}
		for (j = 0; j + 1 < r->npts; j++) {
			struct erd_point a = r->pts[j], b = r->pts[j + 1];
			int	sr = sign(b.row - a.row), sc = sign(b.col - a.col);
			int	y = a.row, x = a.col;

			if (j > 0) {
				y += sr;
				x += sc;
			}
			for (;; y += sr, x += sc) {
				if (y >= 0 && x >= 0 && y < c->rows &&
				    x < c->cols)
					usage[(size_t)y * (size_t)c->cols +
					    (size_t)x]++;
				if (y == b.row && x == b.col)
					break;
			}
		}
	}
}

/* Draw order of edges: plain, then dashed, then lint on top. */
static int
edge_rank(const struct erd_edge *e)
{
	if (e->flags & ERD_EDGE_UNINDEXED)
		return 2;
	return (e->flags & ERD_EDGE_NOT_VALID) ? 1 : 0;
}

void
erd_render(const struct erd_graph *g, const struct erd_layout *l,
    const struct erd_opts *opts, int ascii, struct erd_canvas *out)
{
	static const struct erd_opts defaults = { 0, 0 };
	struct lines	 ln;
	struct erd_boxinfo bi;
	size_t		 n, i;
	int		 k, j, rank;

	if (!opts)
		opts = &defaults;
	erd_canvas_free(out);
	out->rows = l->rows;
	out->cols = l->cols;
	n = (size_t)l->rows * (size_t)l->cols;
	out->cells = xmalloc((n + 1) * sizeof(*out->cells));
	for (i = 0; i < n; i++) {
		out->cells[i].ch = ' ';
		out->cells[i].role = ERD_R_BLANK;
	}
	ln.mask = xcalloc(n + 1, 1);
	ln.flags = xcalloc(n + 1, 1);

	for (k = 0; k < l->nboxes && k < g->nnodes; k++) {
		erd_boxinfo_init(&bi, &g->nodes[k], opts, 0);
		box_lines(&ln, out, &l->boxes[k], &bi);
		erd_boxinfo_release(&bi);
	}
	for (rank = 0; rank < 3; rank++) {
		for (k = 0; k < l->nroutes; k++) {
			const struct erd_route *r = &l->routes[k];
			const struct erd_edge *e = &g->edges[r->edge];
			unsigned f;

			if (edge_rank(e) != rank)
				continue;
			f = (e->flags & ERD_EDGE_NOT_VALID) ? F_DASHED : F_SOLID;
			if (e->flags & ERD_EDGE_UNINDEXED)
				f |= F_LINT;
			for (j = 0; j + 1 < r->npts; j++)
				line_run(&ln, out, r->pts[j].row,
				    r->pts[j].col, r->pts[j + 1].row,
				    r->pts[j + 1].col, f);
		}
	}
	for (i = 0; i < n; i++) {
		unsigned f = ln.flags[i];
		int	 role;

		if (!ln.mask[i])
			continue;
		if (f & F_BOX)
			continue;	/* box roles below */
		role = (f & F_LINT) ? ERD_R_LINT :
		    (f & F_SOLID) ? ERD_R_EDGE : ERD_R_EDGE_DASHED;
		out->cells[i].ch = line_glyph(ln.mask[i],
		    !(f & F_SOLID), ascii);
		out->cells[i].role = (uint8_t)role;
	}
	for (k = 0; k < l->nboxes && k < g->nnodes; k++) {
		const struct erd_box *b = &l->boxes[k];
		int	 role = box_role(g->nodes[k].flags), r, x;

		for (r = b->row; r < b->row + b->rows; r++) {
			for (x = b->col; x < b->col + b->cols; x++) {
				i = (size_t)r * (size_t)out->cols + (size_t)x;
				if (r < 0 || x < 0 || r >= out->rows ||
				    x >= out->cols || !ln.mask[i])
					continue;
				out->cells[i].ch = line_glyph(ln.mask[i], 0,
				    ascii);
				out->cells[i].role = (uint8_t)role;
			}
		}
		erd_boxinfo_init(&bi, &g->nodes[k], opts, 0);
		box_text(out, &g->nodes[k], b, &bi, ascii);
		erd_boxinfo_release(&bi);
	}
	{
		uint8_t	 *conflict = xcalloc(n + 1, 1);
		uint32_t *first = xcalloc(n + 1, sizeof(uint32_t));
		uint16_t *usage = xcalloc(n + 1, sizeof(uint16_t));

		mark_conflicts(g, l, out, conflict, first, usage, ascii);
		for (k = 0; k < l->nroutes; k++) {
			const struct erd_route *r = &l->routes[k];
			const struct erd_edge *e = &g->edges[r->edge];

			if (r->npts < 2)
				continue;
			end_mark(out, r, 0, e->child_card, conflict, usage,
			    ascii);
			end_mark(out, r, 1, e->parent_card, conflict, usage,
			    ascii);
		}
		free(conflict);
		free(first);
		free(usage);
	}
	free(ln.mask);
	free(ln.flags);
}

void
erd_canvas_free(struct erd_canvas *c)
{
	free(c->cells);
	memset(c, 0, sizeof(*c));
}

/* ---------------------------------------------------------------- minimap */

void
erd_render_minimap(const struct erd_layout *l, int rows, int cols, int vr,
    int vc, int vrows, int vcols, struct erd_canvas *out)
{
	double	sr, sc;
	size_t	n, i;
	int	k, j, r1, r2, c1, c2, r, x;

	erd_canvas_free(out);
	if (rows <= 0 || cols <= 0)
		return;
	out->rows = rows;
	out->cols = cols;
	n = (size_t)rows * (size_t)cols;
	out->cells = xmalloc(n * sizeof(*out->cells));
	for (i = 0; i < n; i++) {
		out->cells[i].ch = ' ';
		out->cells[i].role = ERD_R_BLANK;
	}
	/* Canvas cells per minimap cell, never below one. */
	sr = l->rows > rows ? (double)l->rows / rows : 1.0;
	sc = l->cols > cols ? (double)l->cols / cols : 1.0;
	for (k = 0; k < l->nroutes; k++) {
		const struct erd_route *rt = &l->routes[k];

		for (j = 0; j + 1 < rt->npts; j++) {
			struct erd_point a = rt->pts[j], b = rt->pts[j + 1];

			r1 = (int)((a.row < b.row ? a.row : b.row) / sr);
			r2 = (int)((a.row < b.row ? b.row : a.row) / sr);
			c1 = (int)((a.col < b.col ? a.col : b.col) / sc);
			c2 = (int)((a.col < b.col ? b.col : a.col) / sc);
			for (r = r1; r <= r2; r++)
				for (x = c1; x <= c2; x++)
					put(out, r, x, '.', ERD_R_EDGE);
		}
	}
	for (k = 0; k < l->nboxes; k++) {
		const struct erd_box *b = &l->boxes[k];

		r1 = (int)(b->row / sr);
		r2 = (int)((b->row + b->rows - 1) / sr);
		c1 = (int)(b->col / sc);
		c2 = (int)((b->col + b->cols - 1) / sc);
		for (r = r1; r <= r2; r++)
			for (x = c1; x <= c2; x++)
				put(out, r, x, '#', ERD_R_BORDER);
	}
	if (vrows <= 0 || vcols <= 0)
		return;
	r1 = (int)(vr / sr);
	c1 = (int)(vc / sc);
	r2 = (int)((vr + vrows - 1) / sr);
	c2 = (int)((vc + vcols - 1) / sc);
	if (r1 < 0)
		r1 = 0;
	if (c1 < 0)
		c1 = 0;
	if (r2 >= rows)
		r2 = rows - 1;
	if (c2 >= cols)
		c2 = cols - 1;
	if (r1 > r2 || c1 > c2)
		return;
	{
		struct lines	ln;
		struct erd_canvas view = { rows, cols, out->cells };

		ln.mask = xcalloc(n, 1);
		ln.flags = xcalloc(n, 1);
		line_run(&ln, &view, r1, c1, r1, c2, 0);
		line_run(&ln, &view, r2, c1, r2, c2, 0);
		line_run(&ln, &view, r1, c1, r2, c1, 0);
		line_run(&ln, &view, r1, c2, r2, c2, 0);
		for (i = 0; i < n; i++) {
			if (!ln.mask[i])
				continue;
			out->cells[i].ch = line_glyph(ln.mask[i], 0, 0);
			out->cells[i].role = ERD_R_FOCUS;
		}
		free(ln.mask);
		free(ln.flags);
	}
}

/* ------------------------------------------------------------------- text */

static size_t
utf8_put(uint32_t cp, char *p)
{
	if (cp < 0x80) {
		p[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		p[0] = (char)(0xC0 | (cp >> 6));
		p[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		p[0] = (char)(0xE0 | (cp >> 12));
		p[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		p[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	p[0] = (char)(0xF0 | (cp >> 18));
	p[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	p[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	p[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

int
erd_export_text(const struct erd_canvas *c, FILE *f)
{
	char	*line = xmalloc((size_t)c->cols * 4 + 2);
	int	 r, x;

	for (r = 0; r < c->rows; r++) {
		size_t	len = 0, keep = 0;

		for (x = 0; x < c->cols; x++) {
			uint32_t ch = c->cells[(size_t)r * (size_t)c->cols +
			    (size_t)x].ch;

			if (ch == ERD_WIDE_CONT)
				continue;
			len += utf8_put(ch, line + len);
			if (ch != ' ')
				keep = len;
		}
		line[keep] = '\n';
		if (fwrite(line, 1, keep + 1, f) != keep + 1) {
			free(line);
			return error("cannot write the diagram: write failed");
		}
	}
	free(line);
	if (fflush(f) != 0)
		return error("cannot write the diagram: flush failed");
	return 0;
}
