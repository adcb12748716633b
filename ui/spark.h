/*
 * spark.h - sparklines in a grid row.
 */
#ifndef PGDECK_SPARK_H
#define PGDECK_SPARK_H

#include "grid.h"

/*
 * Draw 'n' values (NAN: no data, drawn blank) scaled to their maximum
 * in 'width' cells from row/col: one cell per value, the newest right.
 * Block elements in UTF-8, " .:-=+*#" in ASCII.  Returns the maximum.
 */
double	spark_draw(struct grid *g, int row, int col, int width,
	    const double *v, int n, enum role role);

#endif
