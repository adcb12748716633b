/*
 * fuzz_migrate.c - libFuzzer target: the migration splitter and analyser.
 *
 * The input is split at its first NUL byte, if any: before it a schema
 * (the catalog), after it a migration.  Whatever the bytes, loading,
 * cutting, splitting, analysing, estimating and both reports must finish
 * without a crash, a leak or undefined behaviour, and every statement
 * must lie inside its file with its line and column in range.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migrate/migrate.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	struct mig_catalog *cat = mig_catalog_new();
	struct mig_set *set;
	FILE *null = fopen("/dev/null", "w");
	size_t off = 0;

	if (nul != NULL) {
		char *schema = strndup((const char *)data, (size_t)(nul - data));
		char *err = NULL;

		mig_catalog_add_sql(cat, "schema.sql", schema, &err);
		free(err);
		free(schema);
		off = (size_t)(nul - data) + 1;
	}
	set = mig_load_string("V1__fuzz.sql", (const char *)data + off,
	    size - off);
	mig_analyze(set, cat);
	mig_estimate(set, cat);
	for (int i = 0; i < set->nstmts; i++) {
		const struct mig_stmt *st = &set->stmts[i];

		if (st->off + st->len > set->files[st->file].len || st->line < 1 ||
		    st->col < 1 || st->end_line < st->line)
			abort();
	}
	if (null != NULL) {
		mig_print_check(set, null);
		mig_print_runbook(set, null);
		fclose(null);
	}
	mig_set_free(set);
	mig_catalog_free(cat);
	return 0;
}
