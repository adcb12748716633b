/*
 * box.c - what goes in a table's box and how big it is.  The layout,
 * the renderer and the SVG export all measure through here, so a box is
 * drawn exactly as large as it was laid out.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/utf8.h"
#include "core/util.h"
#include "erd/erd_int.h"
#include "core/banned.h"

#define ELLIPSIS	0x2026u

/* Cells a code point takes: 2 for wide ones, 0 for combining marks. */
static int
cp_cells(uint32_t cp)
{
	int	w;

	if (cp < 0x80)
		return 1;
	w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

/* The next code point of 's' (advancing it); invalid bytes give '?'. */
static uint32_t
next_cp(const char **s)
{
	const unsigned char *p = (const unsigned char *)*s;
	uint32_t	 cp;
	int		 n;

	n = utf8_decode(p, strlen(*s), &cp);
	if (n < 0) {
		*s += 1;
		return '?';
	}
	*s += n;
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return '?';
	return cp;
}

int
erd_text_cells(const char *text)
{
	int	n = 0;

	while (text && *text)
		n += cp_cells(next_cp(&text));
	return n;
}

void
erd_text_fit(struct erd_text *t, const char *text, int width, int ascii)
{
	int		 total = erd_text_cells(text), used = 0;
	int		 room = total > width ? width - 1 : width;
	const char	*s = text ? text : "";

	t->cp = xmalloc(((size_t)(width > 0 ? width : 0) + 1) *
	    sizeof(uint32_t));
	t->n = 0;
	if (width <= 0)
		return;
	while (*s) {
		uint32_t cp = next_cp(&s);
		int	 w = cp_cells(cp);

		if (w == 0)
			continue;
		if (used + w > room)
			break;
		if (ascii && cp >= 0x80) {
			/* One '?' per cell keeps the layout's widths. */
			t->cp[t->n++] = '?';
			if (w == 2)
				t->cp[t->n++] = '?';
		} else {
			t->cp[t->n++] = cp;
			if (w == 2)
				t->cp[t->n++] = ERD_WIDE_CONT;
		}
		used += w;
	}
	if (total > width)
		t->cp[t->n++] = ascii ? '~' : ELLIPSIS;
}

char *
erd_title(const struct erd_node *n)
{
	const char	*kind = "";

	if (n->flags & ERD_NODE_VIEW)
		kind = " (view)";
	else if (n->flags & ERD_NODE_PARTITIONED)
		kind = " (partitioned)";
	if (!n->schema[0] || strcmp(n->schema, "public") == 0)
		return xstrfmt("%s%s", n->name, kind);
	return xstrfmt("%s.%s%s", n->schema, n->name, kind);
}

const char *
erd_key_mark(unsigned flags)
{
	if ((flags & ERD_COL_PK) && (flags & ERD_COL_FK))
		return "PF";
	if (flags & ERD_COL_PK)
		return "PK";
	if (flags & ERD_COL_FK)
		return "FK";
	if (flags & ERD_COL_UNIQUE)
		return "UQ";
	return "  ";
}

static int
min_int(int a, int b)
{
	return a < b ? a : b;
}

void
erd_boxinfo_init(struct erd_boxinfo *bi, const struct erd_node *n,
    const struct erd_opts *opts, int selfloop)
{
	unsigned	 keys = ERD_COL_PK | ERD_COL_FK | ERD_COL_UNIQUE;
	int		 i, inner, cap, nrows, total = 0;

	memset(bi, 0, sizeof(*bi));
	bi->title = erd_title(n);
	bi->shown = xmalloc(((size_t)n->ncols + 1) * sizeof(int));
	for (i = 0; i < n->ncols; i++) {
		if (!opts->all_columns && !(n->cols[i].flags & keys))
			continue;
		bi->shown[total++] = i;
	}
	cap = opts->max_rows_per_box;
	bi->nshown = total;
	if (cap > 0 && total > cap) {
		bi->nshown = cap - 1;
		bi->more = total - bi->nshown;
	}
	inner = min_int(erd_text_cells(bi->title), ERD_TITLE_MAX);
	for (i = 0; i < bi->nshown; i++) {
		const struct erd_col *c = &n->cols[bi->shown[i]];
		int	nw = min_int(erd_text_cells(c->name), ERD_NAME_MAX);
		int	tw = min_int(erd_text_cells(c->type), ERD_TYPE_MAX);

		if (nw > bi->name_w)
			bi->name_w = nw;
		if (tw > bi->type_w)
			bi->type_w = tw;
	}
	if (bi->nshown > 0) {
		int	w = 3 + bi->name_w + (bi->type_w ? 1 + bi->type_w : 0);

		if (w > inner)
			inner = w;
	}
	if (bi->more > 0) {
		char	*s = xstrfmt("%d more", bi->more);
		int	 w = 2 + (int)strlen(s);

		free(s);
		if (w > inner)
			inner = w;
	}
	if (n->badge && erd_text_cells(n->badge) + 2 > inner)
		inner = min_int(erd_text_cells(n->badge), ERD_TITLE_MAX) + 2;
	if (inner < 6)
		inner = 6;
	bi->cols = inner + 4;
	nrows = bi->nshown + (bi->more > 0);
	bi->rows = nrows > 0 ? 4 + nrows : 3;
	if (selfloop && bi->rows < 4)
		bi->rows = 4;
}

void
erd_boxinfo_release(struct erd_boxinfo *bi)
{
	free(bi->title);
	free(bi->shown);
	memset(bi, 0, sizeof(*bi));
}

int
erd_boxinfo_row(const struct erd_boxinfo *bi, int col)
{
	int	i;

	for (i = 0; i < bi->nshown; i++)
		if (bi->shown[i] == col)
			return ERD_ROW_FIRST + i;
	return ERD_ROW_TITLE;
}
