/*
 * grid.h - the cell grid panes draw into.
 *
 * A cell holds one code point and a colour role.  Text goes in as UTF-8
 * and comes out safe: control characters become spaces (newlines, tabs)
 * or visible escapes, bytes that are not valid UTF-8 are shown as \xNN
 * in the "escaped" role, and wide characters take two cells.  In ASCII
 * mode (a non-UTF-8 locale) box drawing maps to +-| and anything else
 * outside ASCII to '?'.  Only ui.c turns cells into curses calls.
 */
#ifndef PGDECK_GRID_H
#define PGDECK_GRID_H

#include <stddef.h>
#include <stdint.h>

#include "../src/config/theme.h"
#include "../src/core/utf8.h"

#define GRID_WIDE_CONT	0xFFFFFFFFu	/* right half of a wide character */

struct cell {
	uint32_t	ch;
	uint8_t		role;
};

struct grid {
	int		 rows, cols;
	struct cell	*cells;
};

/* Glyphs with an ASCII fallback. */
#define G_HLINE		0x2500
#define G_VLINE		0x2502
#define G_TL		0x250C
#define G_TR		0x2510
#define G_BL		0x2514
#define G_BR		0x2518
#define G_TEE		0x251C
#define G_ELLIPSIS	0x2026
#define G_ARROW_UP	0x25B2
#define G_ARROW_DOWN	0x25BC
#define G_BLOCK_FULL	0x2588

/* Whether the terminal takes UTF-8 (set once by the UI). */
void	grid_set_utf8(int on);
int	grid_utf8(void);

void	grid_init(struct grid *g, int rows, int cols);
void	grid_release(struct grid *g);
void	grid_resize(struct grid *g, int rows, int cols);
/* Blank every cell with 'role'. */
void	grid_clear(struct grid *g, enum role role);
const struct cell *grid_at(const struct grid *g, int row, int col);

/* Put one code point; returns the cells used (0 if it did not fit). */
int	grid_putc(struct grid *g, int row, int col, uint32_t cp,
	    enum role role);
/*
 * Put UTF-8 'text' at row/col in at most 'width' cells (-1: to the
 * edge), flattened to one line.  Returns the cells used.
 */
int	grid_put(struct grid *g, int row, int col, int width, const char *text,
	    enum role role);
/* Like grid_put, but marks truncation with an ellipsis. */
int	grid_put_trunc(struct grid *g, int row, int col, int width,
	    const char *text, enum role role);
/* Right-align 'text' in 'width' cells. */
int	grid_put_right(struct grid *g, int row, int col, int width,
	    const char *text, enum role role);
/* Fill 'width' cells with 'cp'. */
void	grid_fill(struct grid *g, int row, int col, int width, uint32_t cp,
	    enum role role);
/* Change the role of 'width' cells, keeping their text. */
void	grid_paint(struct grid *g, int row, int col, int width, enum role role);
/* A box outline; the inside is cleared with 'fill'. */
void	grid_box(struct grid *g, int row, int col, int rows, int cols,
	    enum role border, enum role fill);
/* Copy 'src' into 'dst' at row/col, clipped. */
void	grid_blit(struct grid *dst, const struct grid *src, int row, int col);

/* Display width of UTF-8 'text' as grid_put would draw it. */
int	text_width(const char *text);

/*
 * Word-wrap UTF-8 'text' (newlines kept) into lines of at most 'width'
 * cells.  Calls 'fn' (if not NULL) for each line with its byte range.
 * Returns the number of lines.
 */
int	text_wrap(const char *text, int width,
	    void (*fn)(const char *line, size_t len, void *arg), void *arg);

/*
 * Draw 'text' word-wrapped to 'width' cells from row/col, leaving out
 * its first 'skip' lines and drawing at most 'max_rows'.  Returns the
 * rows drawn.
 */
int	grid_put_wrapped(struct grid *g, int row, int col, int width, int skip,
	    int max_rows, const char *text, enum role role);

/* 'text' after its first 'n' characters (horizontal scrolling). */
const char *text_skip(const char *text, int n);

/*
 * Move '*top' so that row 'sel' of 'n' rows shows in a window of
 * 'visible' rows (at least 1).
 */
void	scroll_to(int *top, int sel, int n, int visible);

/* Lines down a grid, the first 'skip' of them scrolled out of view. */
struct dline {
	struct grid	*g;
	int		 row, skip;
	int		 total;		/* lines asked for, shown or not */
};

/* The row for the next line, or -1 if it is scrolled out or off. */
int	dline_next(struct dline *d);
/* A "label   value" line: the label in 18 cells, the value after it. */
void	dline_put(struct dline *d, const char *label, const char *value,
	    enum role role);

#endif
