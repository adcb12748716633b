/*
 * pgresult.c - typed reads from a PGresult.
 */
#include "pgresult.h"

#include <math.h>
#include <stdlib.h>

#include "../core/util.h"
#include "../core/banned.h"

static int
is_null(PGresult *res, int row, int col)
{
	return col < 0 || PQgetisnull(res, row, col);
}

int
pgr_column(PGresult *res, const char *name, char **cause)
{
	int	c = PQfnumber(res, name);

	if (c < 0 && *cause == NULL)
		*cause = xstrfmt("column '%s' missing from the server's answer",
		    name);
	return c;
}

const char *
pgr_str(struct snapshot *s, PGresult *res, int row, int col)
{
	return is_null(res, row, col) ? NULL :
	    snapshot_strdup(s, PQgetvalue(res, row, col));
}

double
pgr_double(PGresult *res, int row, int col)
{
	return is_null(res, row, col) ? NAN :
	    strtod(PQgetvalue(res, row, col), NULL);
}

int64_t
pgr_int(PGresult *res, int row, int col, int64_t dflt)
{
	return is_null(res, row, col) ? dflt :
	    strtoll(PQgetvalue(res, row, col), NULL, 10);
}

int
pgr_bool(PGresult *res, int row, int col)
{
	return !is_null(res, row, col) && PQgetvalue(res, row, col)[0] == 't';
}
