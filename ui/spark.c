/*
 * spark.c - sparklines in a grid row.
 */
#include "spark.h"

#include <math.h>

#include "../src/core/banned.h"

double
spark_draw(struct grid *g, int row, int col, int width, const double *v,
    int n, enum role role)
{
	static const char ascii[] = " .:-=+*#";
	double		  max = 0;
	int		  i, k, first;

	first = n > width ? n - width : 0;
	for (i = first; i < n; i++) {
		if (!isnan(v[i]) && v[i] > max)
			max = v[i];
	}
	for (i = first; i < n; i++) {
		if (isnan(v[i])) {
			grid_putc(g, row, col + i - first, ' ', ROLE_DIM);
			continue;
		}
		/* Eight levels; anything above zero shows at least one. */
		k = max > 0 ? (int)ceil(v[i] / max * 8) : 0;
		if (k < 0)
			k = 0;
		if (k > 8)
			k = 8;
		if (grid_utf8())
			grid_putc(g, row, col + i - first, k == 0 ? ' ' :
			    0x2580 + (uint32_t)k, role);
		else
			grid_putc(g, row, col + i - first,
			    (uint32_t)ascii[k == 8 ? 7 : k], role);
	}
	return max;
}
