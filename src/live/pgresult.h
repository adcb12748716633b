/*
 * pgresult.h - typed, NULL-aware reads from a PGresult for the probes.
 *
 * A column index below 0 (not found) reads as NULL, so optional columns
 * need no special case; pgr_column() is for the required ones.
 */
#ifndef PGDECK_PGRESULT_H
#define PGDECK_PGRESULT_H

#include <stdint.h>

#include <libpq-fe.h>

#include "../core/snapshot.h"

/*
 * Index of column 'name'; if it is missing, -1 and (the first time) a
 * malloc'd '*cause' naming it.
 */
int		 pgr_column(PGresult *res, const char *name, char **cause);
/* The value copied into snapshot 's', or NULL. */
const char	*pgr_str(struct snapshot *s, PGresult *res, int row, int col);
/* The value as a number, NAN when NULL. */
double		 pgr_double(PGresult *res, int row, int col);
/* The value as an integer, 'dflt' when NULL. */
int64_t		 pgr_int(PGresult *res, int row, int col, int64_t dflt);
/* 1 for a boolean 't', else 0. */
int		 pgr_bool(PGresult *res, int row, int col);

#endif
