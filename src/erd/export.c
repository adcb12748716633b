/*
 * export.c - the ERD as Graphviz DOT, Mermaid erDiagram and SVG.
 *
 * DOT and Mermaid describe the graph and let their tools lay it out; the
 * SVG draws our own layout, vector boxes and edges with the text of the
 * rendered canvas, so it looks like the pane.  Names from the catalog
 * can hold anything: every writer escapes or sanitises for its format,
 * and bytes that are not UTF-8 become '?'.
 */
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "core/utf8.h"
#include "core/util.h"
#include "erd/erd_int.h"
#include "core/banned.h"

static const struct erd_opts defaults = { 0, 0 };

/* Append 's' as valid UTF-8 without control characters. */
static void
add_clean(struct strbuf *sb, const char *s)
{
	size_t	len = s ? strlen(s) : 0, i = 0;

	while (i < len) {
		uint32_t cp;
		int	 n = utf8_decode((const unsigned char *)s + i, len - i,
		    &cp);

		if (n < 0 || cp < 0x20 || cp == 0x7F ||
		    (cp >= 0x80 && cp < 0xA0) || cp == 0xFFFE || cp == 0xFFFF) {
			strbuf_addch(sb, '?');
			i += n < 0 ? 1 : (size_t)n;
			continue;
		}
		strbuf_add(sb, s + i, (size_t)n);
		i += (size_t)n;
	}
}

/* Append 's' escaped for XML (and HTML-like DOT labels). */
static void
add_xml(struct strbuf *sb, const char *s)
{
	struct strbuf	 c = STRBUF_INIT;
	const char	*p;

	add_clean(&c, s);
	for (p = c.buf; *p; p++) {
		switch (*p) {
		case '&':
			strbuf_addstr(sb, "&amp;");
			break;
		case '<':
			strbuf_addstr(sb, "&lt;");
			break;
		case '>':
			strbuf_addstr(sb, "&gt;");
			break;
		case '"':
			strbuf_addstr(sb, "&quot;");
			break;
		case '\'':
			strbuf_addstr(sb, "&#39;");
			break;
		default:
			strbuf_addch(sb, *p);
		}
	}
	strbuf_release(&c);
}

/* Append 's' inside a DOT double-quoted string. */
static void
add_dotstr(struct strbuf *sb, const char *s)
{
	struct strbuf	 c = STRBUF_INIT;
	const char	*p;

	add_clean(&c, s);
	for (p = c.buf; *p; p++) {
		if (*p == '"' || *p == '\\')
			strbuf_addch(sb, '\\');
		strbuf_addch(sb, *p);
	}
	strbuf_release(&c);
}

/*
 * Append 's' as a Mermaid attribute word: ASCII letters, digits, '_'
 * and '-', starting with a letter (the grammar takes nothing else
 * unquoted); everything else becomes '_'.
 */
static void
add_word(struct strbuf *sb, const char *s, const char *empty)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	if (!*p) {
		strbuf_addstr(sb, empty);
		return;
	}
	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		strbuf_addch(sb, 'x');
	for (; *p; p++) {
		int	ok = (*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '_' || *p == '-';

		strbuf_addch(sb, ok ? (char)*p : '_');
	}
}

/*
 * Append 's' inside a Mermaid quoted name or label: the grammar refuses
 * '"', '%', '\' and line breaks there.
 */
static void
add_mmdstr(struct strbuf *sb, const char *s)
{
	struct strbuf	 c = STRBUF_INIT;
	const char	*p;

	add_clean(&c, s);
	for (p = c.buf; *p; p++) {
		if (*p == '"')
			strbuf_addch(sb, '\'');
		else if (*p == '%' || *p == '\\')
			strbuf_addch(sb, '_');
		else
			strbuf_addch(sb, *p);
	}
	strbuf_release(&c);
}

static int
flush_out(struct strbuf *sb, FILE *f, const char *what)
{
	size_t	len = sb->len, n = fwrite(sb->buf, 1, len, f);

	strbuf_release(sb);
	if (n != len || fflush(f) != 0)
		return error("cannot write the %s export: write failed", what);
	return 0;
}

/* Is column 'col' of 'bi' shown? */
static int
shown(const struct erd_boxinfo *bi, int col)
{
	return erd_boxinfo_row(bi, col) != ERD_ROW_TITLE;
}

static const char *
dot_arrow(enum erd_card c)
{
	switch (c) {
	case ERD_CARD_ONE:
		return "teetee";
	case ERD_CARD_ZERO_ONE:
		return "teeodot";
	default:
		return "crowodot";
	}
}

int
erd_export_dot(const struct erd_graph *g, const struct erd_opts *opts,
    FILE *f)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct erd_boxinfo *bi;
	int		 i, j;

	if (!opts)
		opts = &defaults;
	bi = xcalloc((size_t)g->nnodes + 1, sizeof(*bi));
	strbuf_addstr(&sb, "digraph erd {\n"
	    "\tgraph [rankdir=RL, nodesep=0.4, ranksep=0.8];\n"
	    "\tnode [shape=plaintext, fontname=\"Helvetica\", "
	    "fontsize=10];\n"
	    "\tedge [fontname=\"Helvetica\", fontsize=9];\n");
	for (i = 0; i < g->nnodes; i++) {
		const struct erd_node *n = &g->nodes[i];
		const char *border = (n->flags & ERD_NODE_FOCUS) ? "#1f6feb" :
		    (n->flags & (ERD_NODE_NO_PK | ERD_NODE_LINT)) ? "#c0392b" :
		    "#444444";

		erd_boxinfo_init(&bi[i], n, opts, 0);
		strbuf_addf(&sb, "\tn%d [label=<<TABLE BORDER=\"1\" "
		    "CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"3\" "
		    "COLOR=\"%s\"><TR><TD BGCOLOR=\"#e8e8e8\" COLSPAN=\"3\">"
		    "<B>", i, border);
		add_xml(&sb, bi[i].title);
		strbuf_addstr(&sb, "</B>");
		if (n->badge && n->badge[0]) {
			strbuf_addstr(&sb, " <I>");
			add_xml(&sb, n->badge);
			strbuf_addstr(&sb, "</I>");
		}
		strbuf_addstr(&sb, "</TD></TR>");
		for (j = 0; j < bi[i].nshown; j++) {
			const struct erd_col *c = &n->cols[bi[i].shown[j]];

			strbuf_addf(&sb, "<TR><TD ALIGN=\"LEFT\">%s</TD>"
			    "<TD ALIGN=\"LEFT\" PORT=\"c%d\">",
			    strcmp(erd_key_mark(c->flags), "  ") ?
			    erd_key_mark(c->flags) : " ", bi[i].shown[j]);
			add_xml(&sb, c->name);
			strbuf_addstr(&sb, "</TD><TD ALIGN=\"LEFT\">"
			    "<FONT COLOR=\"#666666\">");
			add_xml(&sb, c->type[0] ? c->type : " ");
			strbuf_addstr(&sb, "</FONT></TD></TR>");
		}
		if (bi[i].more > 0)
			strbuf_addf(&sb, "<TR><TD COLSPAN=\"3\" ALIGN=\"LEFT\">"
			    "... %d more</TD></TR>", bi[i].more);
		strbuf_addstr(&sb, "</TABLE>>];\n");
	}
	for (i = 0; i < g->nedges; i++) {
		const struct erd_edge *e = &g->edges[i];

		strbuf_addf(&sb, "\tn%d", e->from);
		if (e->ncols > 0 && shown(&bi[e->from], e->from_cols[0]))
			strbuf_addf(&sb, ":c%d", e->from_cols[0]);
		strbuf_addf(&sb, " -> n%d", e->to);
		if (e->ncols > 0 && shown(&bi[e->to], e->to_cols[0]))
			strbuf_addf(&sb, ":c%d", e->to_cols[0]);
		strbuf_addf(&sb, " [dir=both, arrowtail=%s, arrowhead=%s",
		    dot_arrow(e->child_card), dot_arrow(e->parent_card));
		if (e->flags & ERD_EDGE_NOT_VALID)
			strbuf_addstr(&sb, ", style=dashed");
		if (e->flags & ERD_EDGE_UNINDEXED)
			strbuf_addstr(&sb, ", color=\"#c0392b\"");
		strbuf_addstr(&sb, ", tooltip=\"");
		add_dotstr(&sb, e->name);
		strbuf_addstr(&sb, "\"];\n");
	}
	strbuf_addstr(&sb, "}\n");
	for (i = 0; i < g->nnodes; i++)
		erd_boxinfo_release(&bi[i]);
	free(bi);
	return flush_out(&sb, f, "DOT");
}

static void
add_entity(struct strbuf *sb, const struct erd_node *n)
{
	strbuf_addch(sb, '"');
	if (n->schema[0] && strcmp(n->schema, "public") != 0) {
		add_mmdstr(sb, n->schema);
		strbuf_addch(sb, '.');
	}
	add_mmdstr(sb, n->name);
	strbuf_addch(sb, '"');
}

int
erd_export_mermaid(const struct erd_graph *g, const struct erd_opts *opts,
    FILE *f)
{
	struct strbuf	sb = STRBUF_INIT;
	int		i, j;

	if (!opts)
		opts = &defaults;
	strbuf_addstr(&sb, "erDiagram\n");
	for (i = 0; i < g->nnodes; i++) {
		const struct erd_node *n = &g->nodes[i];
		struct erd_boxinfo bi;

		erd_boxinfo_init(&bi, n, opts, 0);
		strbuf_addstr(&sb, "    ");
		add_entity(&sb, n);
		if (bi.nshown == 0) {
			strbuf_addch(&sb, '\n');
			erd_boxinfo_release(&bi);
			continue;
		}
		strbuf_addstr(&sb, " {\n");
		for (j = 0; j < bi.nshown; j++) {
			const struct erd_col *c = &n->cols[bi.shown[j]];
			const char *sep = " ";

			strbuf_addstr(&sb, "        ");
			add_word(&sb, c->type, "unknown");
			strbuf_addch(&sb, ' ');
			add_word(&sb, c->name, "unnamed");
			if (c->flags & ERD_COL_PK) {
				strbuf_addstr(&sb, " PK");
				sep = ", ";
			}
			if (c->flags & ERD_COL_FK) {
				strbuf_addf(&sb, "%sFK", sep);
				sep = ", ";
			}
			if ((c->flags & ERD_COL_UNIQUE) &&
			    !(c->flags & ERD_COL_PK))
				strbuf_addf(&sb, "%sUK", sep);
			/* The real name and type, when the words changed them. */
			strbuf_addstr(&sb, " \"");
			add_mmdstr(&sb, c->name);
			strbuf_addch(&sb, ' ');
			add_mmdstr(&sb, c->type);
			strbuf_addstr(&sb, "\"\n");
		}
		strbuf_addstr(&sb, "    }\n");
		erd_boxinfo_release(&bi);
	}
	for (i = 0; i < g->nedges; i++) {
		const struct erd_edge *e = &g->edges[i];

		strbuf_addstr(&sb, "    ");
		add_entity(&sb, &g->nodes[e->to]);
		strbuf_addstr(&sb, e->parent_card == ERD_CARD_ZERO_ONE ?
		    " |o" : " ||");
		strbuf_addstr(&sb, (e->flags & ERD_EDGE_NOT_VALID) ?
		    ".." : "--");
		strbuf_addstr(&sb, e->child_card == ERD_CARD_ZERO_ONE ?
		    "o| " : "o{ ");
		add_entity(&sb, &g->nodes[e->from]);
		strbuf_addstr(&sb, " : \"");
		add_mmdstr(&sb, e->name[0] ? e->name : "fk");
		strbuf_addstr(&sb, "\"\n");
	}
	return flush_out(&sb, f, "Mermaid");
}

/* SVG: one canvas cell is CW x CH pixels; lines run through cell centres. */
#define CW	8
#define CH	16

static const char *
svg_colour(int role)
{
	switch (role) {
	case ERD_R_TITLE:
		return "#000000";
	case ERD_R_KEY:
		return "#8a5a00";
	case ERD_R_TYPE:
	case ERD_R_BADGE:
		return "#666666";
	case ERD_R_LINT:
		return "#c0392b";
	case ERD_R_FOCUS:
		return "#1f6feb";
	case ERD_R_CARD:
		return "#333333";
	default:
		return "#222222";
	}
}

int
erd_export_svg(const struct erd_graph *g, const struct erd_layout *l,
    const struct erd_opts *opts, FILE *f)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct erd_canvas c = { 0, 0, NULL };
	int		 i, j, r, x;

	if (!opts)
		opts = &defaults;
	erd_render(g, l, opts, 0, &c);
	strbuf_addf(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"monospace\" "
	    "font-size=\"13\">\n"
	    "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
	    l->cols * CW, l->rows * CH, l->cols * CW, l->rows * CH);
	for (i = 0; i < l->nroutes; i++) {
		const struct erd_route *rt = &l->routes[i];
		const struct erd_edge *e = &g->edges[rt->edge];

		strbuf_addstr(&sb, "<polyline fill=\"none\" stroke=\"");
		strbuf_addstr(&sb, (e->flags & ERD_EDGE_UNINDEXED) ?
		    "#c0392b" : "#555555");
		strbuf_addstr(&sb, "\"");
		if (e->flags & ERD_EDGE_NOT_VALID)
			strbuf_addstr(&sb, " stroke-dasharray=\"4 3\"");
		strbuf_addstr(&sb, " points=\"");
		for (j = 0; j < rt->npts; j++)
			strbuf_addf(&sb, "%s%d,%d", j ? " " : "",
			    rt->pts[j].col * CW + CW / 2,
			    rt->pts[j].row * CH + CH / 2);
		strbuf_addstr(&sb, "\"><title>");
		add_xml(&sb, e->name);
		strbuf_addstr(&sb, "</title></polyline>\n");
	}
	for (i = 0; i < l->nboxes && i < g->nnodes; i++) {
		const struct erd_box *b = &l->boxes[i];
		const struct erd_node *n = &g->nodes[i];
		const char *stroke = (n->flags & ERD_NODE_FOCUS) ? "#1f6feb" :
		    (n->flags & (ERD_NODE_NO_PK | ERD_NODE_LINT)) ? "#c0392b" :
		    "#444444";
		struct erd_boxinfo bi;

		erd_boxinfo_init(&bi, n, opts, 0);
		strbuf_addf(&sb, "<g><rect x=\"%d\" y=\"%d\" width=\"%d\" "
		    "height=\"%d\" fill=\"#fbfbf7\" stroke=\"%s\"/>\n",
		    b->col * CW + CW / 2, b->row * CH + CH / 2,
		    (b->cols - 1) * CW, (b->rows - 1) * CH, stroke);
		if (bi.nshown > 0 || bi.more > 0)
			strbuf_addf(&sb, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" "
			    "y2=\"%d\" stroke=\"%s\"/>\n",
			    b->col * CW + CW / 2, (b->row + 2) * CH + CH / 2,
			    (b->col + b->cols - 1) * CW + CW / 2,
			    (b->row + 2) * CH + CH / 2, stroke);
		strbuf_addstr(&sb, "<title>");
		add_xml(&sb, bi.title);
		strbuf_addstr(&sb, "</title></g>\n");
		erd_boxinfo_release(&bi);
	}
	/* Text runs of the canvas: titles, columns, badges, marks. */
	for (r = 0; r < c.rows; r++) {
		for (x = 0; x < c.cols; ) {
			const struct erd_cell *s = &c.cells[(size_t)r * c.cols + x];
			int	role = s->role, end = x;
			struct strbuf run = STRBUF_INIT;

			if (role == ERD_R_BLANK || role == ERD_R_BORDER ||
			    role == ERD_R_EDGE || role == ERD_R_EDGE_DASHED ||
			    ((role == ERD_R_LINT || role == ERD_R_FOCUS) &&
			    s->ch >= 0x2500 && s->ch < 0x2580)) {
				x++;
				continue;
			}
			while (end < c.cols) {
				const struct erd_cell *t =
				    &c.cells[(size_t)r * c.cols + end];
				char	u[5];
				size_t	k = 0;

				if (t->role != role ||
				    (t->ch >= 0x2500 && t->ch < 0x2580 &&
				    role != ERD_R_CARD))
					break;
				end++;
				if (t->ch == ERD_WIDE_CONT)
					continue;
				if (t->ch < 0x80)
					u[k++] = (char)t->ch;
				else if (t->ch < 0x800) {
					u[k++] = (char)(0xC0 | (t->ch >> 6));
					u[k++] = (char)(0x80 | (t->ch & 0x3F));
				} else if (t->ch < 0x10000) {
					u[k++] = (char)(0xE0 | (t->ch >> 12));
					u[k++] = (char)(0x80 |
					    ((t->ch >> 6) & 0x3F));
					u[k++] = (char)(0x80 | (t->ch & 0x3F));
				} else {
					u[k++] = (char)(0xF0 | (t->ch >> 18));
					u[k++] = (char)(0x80 |
					    ((t->ch >> 12) & 0x3F));
					u[k++] = (char)(0x80 |
					    ((t->ch >> 6) & 0x3F));
					u[k++] = (char)(0x80 | (t->ch & 0x3F));
				}
				u[k] = '\0';
				strbuf_addstr(&run, u);
			}
			if (end == x)
				end = x + 1;
			strbuf_addf(&sb, "<text x=\"%d\" y=\"%d\" fill=\"%s\" "
			    "xml:space=\"preserve\"%s>", x * CW,
			    r * CH + CH / 2 + 4, svg_colour(role),
			    role == ERD_R_TITLE ? " font-weight=\"bold\"" : "");
			add_xml(&sb, run.buf);
			strbuf_addstr(&sb, "</text>\n");
			strbuf_release(&run);
			x = end;
		}
	}
	strbuf_addstr(&sb, "</svg>\n");
	erd_canvas_free(&c);
	return flush_out(&sb, f, "SVG");
}
