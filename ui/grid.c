/*
 * grid.c - cells, UTF-8 decoding and safe text output.
 */
#include "grid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "../src/core/utf8.h"
#include "../src/core/util.h"
#include "../src/core/banned.h"

static int	utf8_mode = 1;

void
grid_set_utf8(int on)
{
	utf8_mode = on;
}

int
grid_utf8(void)
{
	return utf8_mode;
}

void
grid_init(struct grid *g, int rows, int cols)
{
	g->rows = g->cols = 0;
	g->cells = NULL;
	grid_resize(g, rows, cols);
}

void
grid_release(struct grid *g)
{
	free(g->cells);
	g->cells = NULL;
	g->rows = g->cols = 0;
}

void
grid_resize(struct grid *g, int rows, int cols)
{
	if (rows < 1)
		rows = 1;
	if (cols < 1)
		cols = 1;
	if (rows * cols != g->rows * g->cols || g->cells == NULL) {
		free(g->cells);
		g->cells = xcalloc((size_t)rows * (size_t)cols,
		    sizeof *g->cells);
	}
	g->rows = rows;
	g->cols = cols;
	grid_clear(g, ROLE_DEFAULT);
}

void
grid_clear(struct grid *g, enum role role)
{
	int	i;

	for (i = 0; i < g->rows * g->cols; i++) {
		g->cells[i].ch = ' ';
		g->cells[i].role = (uint8_t)role;
	}
}

const struct cell *
grid_at(const struct grid *g, int row, int col)
{
	if (row < 0 || row >= g->rows || col < 0 || col >= g->cols)
		return NULL;
	return &g->cells[row * g->cols + col];
}

static struct cell *
cell_at(struct grid *g, int row, int col)
{
	return (struct cell *)grid_at(g, row, col);
}

static uint32_t
ascii_fallback(uint32_t cp)
{
	if (cp < 0x80)
		return cp;
	switch (cp) {
	case G_HLINE:
		return '-';
	case G_VLINE:
		return '|';
	case G_TL: case G_TR: case G_BL: case G_BR: case G_TEE:
		return '+';
	case G_ELLIPSIS:
		return '~';
	case G_ARROW_UP:
		return '^';
	case G_ARROW_DOWN:
		return 'v';
	case G_BLOCK_FULL:
		return '#';
	default:
		return '?';
	}
}

static int
cp_width(uint32_t cp)
{
	int	w;

	if (!utf8_mode || cp < 0x80)
		return 1;
	w = wcwidth((wchar_t)cp);
	if (w < 0)
		return 1;
	return w;
}

int
grid_putc(struct grid *g, int row, int col, uint32_t cp, enum role role)
{
	struct cell	*c;
	int		 w;

	if (!utf8_mode)
		cp = ascii_fallback(cp);
	w = cp_width(cp);
	if (w == 0)
		return 0;		/* combining marks are dropped */
	if ((c = cell_at(g, row, col)) == NULL)
		return 0;
	if (w == 2 && col + 1 >= g->cols)
		return 0;
	/* Overwriting half of a wide character blanks the other half. */
	if (c->ch == GRID_WIDE_CONT && col > 0)
		cell_at(g, row, col - 1)->ch = ' ';
	if (col + w < g->cols && cell_at(g, row, col + w)->ch == GRID_WIDE_CONT)
		cell_at(g, row, col + w)->ch = ' ';
	c->ch = cp;
	c->role = (uint8_t)role;
	if (w == 2) {
		c = cell_at(g, row, col + 1);
		c->ch = GRID_WIDE_CONT;
		c->role = (uint8_t)role;
	}
	return w;
}

/*
 * Walk 'text' as display units: each is a code point with its role, or
 * an escape sequence shown for a bad byte or control character.
 */
struct unit {
	char		esc[8];		/* escape text, or "" */
	uint32_t	cp;
	int		len;		/* bytes consumed */
};

static void
next_unit(const unsigned char *s, size_t len, struct unit *u)
{
	int	n = utf8_decode(s, len, &u->cp);

	u->esc[0] = '\0';
	if (n < 0) {
		snprintf(u->esc, sizeof u->esc, "\\x%02X", s[0]);
		u->len = 1;
		return;
	}
	u->len = n;
	if (u->cp == '\n' || u->cp == '\t' || u->cp == '\r')
		u->cp = ' ';
	else if (u->cp < 0x20 || u->cp == 0x7F)
		snprintf(u->esc, sizeof u->esc, "^%c",
		    u->cp == 0x7F ? '?' : (char)(u->cp + '@'));
	else if (u->cp >= 0x80 && u->cp < 0xA0)
		snprintf(u->esc, sizeof u->esc, "\\u%02X", u->cp);
}

static int
unit_width(const struct unit *u)
{
	return u->esc[0] != '\0' ? (int)strlen(u->esc) : cp_width(u->cp);
}

int
text_width(const char *text)
{
	const unsigned char	*s = (const unsigned char *)text;
	size_t			 len = strlen(text), i = 0;
	struct unit		 u;
	int			 w = 0;

	while (i < len) {
		next_unit(s + i, len - i, &u);
		w += unit_width(&u);
		i += (size_t)u.len;
	}
	return w;
}

static int
put(struct grid *g, int row, int col, int width, const char *text,
    enum role role, int ellipsis)
{
	const unsigned char	*s = (const unsigned char *)text;
	size_t			 len, i = 0;
	struct unit		 u;
	int			 used = 0, w, k;

	if (text == NULL || row < 0 || row >= g->rows || col >= g->cols)
		return 0;
	if (width < 0 || col + width > g->cols)
		width = g->cols - col;
	len = strlen(text);
	while (i < len && used < width) {
		next_unit(s + i, len - i, &u);
		w = unit_width(&u);
		if (used + w > width ||
		    (ellipsis && used + w == width && i + (size_t)u.len < len)) {
			if (ellipsis && used < width)
				used += grid_putc(g, row, col + used,
				    G_ELLIPSIS, ROLE_DIM);
			break;
		}
		if (u.esc[0] != '\0') {
			for (k = 0; u.esc[k] != '\0'; k++)
				grid_putc(g, row, col + used + k,
				    (unsigned char)u.esc[k], ROLE_ESCAPED);
		} else
			grid_putc(g, row, col + used, u.cp, role);
		used += w;
		i += (size_t)u.len;
	}
	return used;
}

int
grid_put(struct grid *g, int row, int col, int width, const char *text,
    enum role role)
{
	return put(g, row, col, width, text, role, 0);
}

int
grid_put_trunc(struct grid *g, int row, int col, int width,
    const char *text, enum role role)
{
	return put(g, row, col, width, text, role, 1);
}

int
grid_put_right(struct grid *g, int row, int col, int width,
    const char *text, enum role role)
{
	int	w = text_width(text);

	if (w > width)
		return grid_put_trunc(g, row, col, width, text, role);
	return put(g, row, col + width - w, w, text, role, 0);
}

void
grid_fill(struct grid *g, int row, int col, int width, uint32_t cp,
    enum role role)
{
	int	i;

	for (i = 0; i < width; i++)
		grid_putc(g, row, col + i, cp, role);
}

void
grid_paint(struct grid *g, int row, int col, int width, enum role role)
{
	struct cell	*c;
	int		 i;

	for (i = 0; i < width; i++) {
		if ((c = cell_at(g, row, col + i)) != NULL &&
		    c->role != ROLE_ESCAPED)
			c->role = (uint8_t)role;
	}
}

void
grid_box(struct grid *g, int row, int col, int rows, int cols,
    enum role border, enum role fill)
{
	int	r;

	if (rows < 2 || cols < 2)
		return;
	for (r = row; r < row + rows; r++)
		grid_fill(g, r, col, cols, ' ', fill);
	grid_fill(g, row, col + 1, cols - 2, G_HLINE, border);
	grid_fill(g, row + rows - 1, col + 1, cols - 2, G_HLINE, border);
	for (r = row + 1; r < row + rows - 1; r++) {
		grid_putc(g, r, col, G_VLINE, border);
		grid_putc(g, r, col + cols - 1, G_VLINE, border);
	}
	grid_putc(g, row, col, G_TL, border);
	grid_putc(g, row, col + cols - 1, G_TR, border);
	grid_putc(g, row + rows - 1, col, G_BL, border);
	grid_putc(g, row + rows - 1, col + cols - 1, G_BR, border);
}

void
grid_blit(struct grid *dst, const struct grid *src, int row, int col)
{
	int		 r, c;
	struct cell	*d;

	for (r = 0; r < src->rows; r++) {
		for (c = 0; c < src->cols; c++) {
			if ((d = cell_at(dst, row + r, col + c)) != NULL)
				*d = src->cells[r * src->cols + c];
		}
	}
}

int
text_wrap(const char *text, int width,
    void (*fn)(const char *line, size_t len, void *arg), void *arg)
{
	const unsigned char	*s = (const unsigned char *)text;
	size_t			 len = strlen(text), i = 0, start = 0;
	size_t			 brk = 0;
	int			 w = 0, lines = 0, uw;
	struct unit		 u;

	if (width < 1)
		width = 1;
	while (i < len) {
		if (s[i] == '\n') {
			if (fn != NULL)
				fn(text + start, i - start, arg);
			lines++;
			start = i + 1;
			i = start;
			w = 0;
			brk = 0;
			continue;
		}
		next_unit(s + i, len - i, &u);
		uw = unit_width(&u);
		if (w + uw > width && i > start) {
			/*
			 * Break at this space if it is the one that does not
			 * fit, else after the last space, else mid-word.
			 */
			size_t	end = s[i] == ' ' ? i : brk > start ? brk : i;

			if (fn != NULL)
				fn(text + start, end - start, arg);
			lines++;
			start = end;
			while (start < len && s[start] == ' ')
				start++;
			i = start;
			w = 0;
			brk = 0;
			continue;
		}
		if (s[i] == ' ')
			brk = i + 1;
		w += uw;
		i += (size_t)u.len;
	}
	if (start < len || lines == 0) {
		if (fn != NULL)
			fn(text + start, len - start, arg);
		lines++;
	}
	return lines;
}

struct wrapped {
	struct grid	*g;
	int		 row, col, width, skip, left;
	enum role	 role;
};

static void
put_wrapped_line(const char *line, size_t len, void *arg)
{
	struct wrapped	*w = arg;
	char		*s;

	if (w->skip > 0) {
		w->skip--;
		return;
	}
	if (w->left <= 0)
		return;
	s = xstrndup(line, len);
	grid_put(w->g, w->row++, w->col, w->width, s, w->role);
	w->left--;
	free(s);
}

int
grid_put_wrapped(struct grid *g, int row, int col, int width, int skip,
    int max_rows, const char *text, enum role role)
{
	struct wrapped	w = { g, row, col, width, skip, max_rows, role };

	text_wrap(text, width, put_wrapped_line, &w);
	return w.row - row;
}

const char *
text_skip(const char *q, int n)
{
	while (n-- > 0 && *q != '\0') {
		q++;
		while (((unsigned char)*q & 0xC0) == 0x80)
			q++;
	}
	return q;
}

void
scroll_to(int *top, int sel, int n, int visible)
{
	if (visible < 1)
		visible = 1;
	if (sel < *top)
		*top = sel;
	if (sel >= *top + visible)
		*top = sel - visible + 1;
	if (*top > n - visible)
		*top = n - visible;
	if (*top < 0)
		*top = 0;
}

int
dline_next(struct dline *d)
{
	d->total++;
	if (d->skip > 0) {
		d->skip--;
		return -1;
	}
	if (d->row >= d->g->rows)
		return -1;
	return d->row++;
}

void
dline_put(struct dline *d, const char *label, const char *value,
    enum role role)
{
	int	row = dline_next(d);

	if (row < 0)
		return;
	grid_put(d->g, row, 1, 18, label, ROLE_HEADER_LABEL);
	grid_put_trunc(d->g, row, 20, d->g->cols - 21, value, role);
}
